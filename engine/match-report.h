/* match-report.h: the output fields of INTERFACE §1 for a set of matches.
 *
 * The syslog-ng module writes them as name-value pairs under its prefix, the
 * command-line tool as JSON keys; both get them from here so they never
 * drift apart.
 */
#ifndef DI_MATCH_REPORT_H
#define DI_MATCH_REPORT_H

#include "matcher.h"

typedef enum
{
  DI_OUT_INDICATOR,
  DI_OUT_TYPE,
  DI_OUT_FIELD,
  DI_OUT_ACTOR,
  DI_OUT_ACTORS,
  DI_OUT_SOURCE,
  DI_OUT_CONFIDENCE,
  DI_OUT_REFERENCE,
  DI_OUT_MATCH_COUNT,
  DI_OUT_MATCHES,        /* a JSON array of ECS threat.enrichments entries */
  DI_OUT_MAX
} DiOutField;

/* "indicator", "type", ... without any prefix. */
const gchar *di_out_field_name(DiOutField field);

typedef struct
{
  GString *values[DI_OUT_MAX];
} DiReport;

void di_report_init(DiReport *self);
void di_report_clear(DiReport *self);

/* Fills every output value for a non-empty set; field_names/field_texts are
 * indexed by DiMatch.field. */
void di_report_build(DiReport *self, const DiSnapshot *snap, const DiMatchSet *set,
                     const gchar *const *field_names, const gchar *const *field_texts);

/* The distinct actor ids in set, in match order, at most max of them. */
guint di_report_actor_ids(const DiSnapshot *snap, const DiMatchSet *set, guint32 *out, guint max);

#endif
