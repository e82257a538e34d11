/* match-report.h: the output fields of INTERFACE §1 for a set of matches.
 *
 * The syslog-ng module writes them as name-value pairs under its prefix, the
 * command-line tool as JSON keys; both get them from here so they never
 * drift apart.
 *
 * A report has two sections.  The DPRK section (indicator ... match_count,
 * program) describes the matches of DPRK-linked indicators only, and only
 * a message with such a match gets it, with the tag `dprk.match` and a
 * `dprk.actor.<slug>` tag per DPRK actor (INTERFACE §5: `dprk.match` is
 * reserved for them).  The other section (other.indicator ...
 * other.match_count) describes matches of everything else loaded: other
 * sanctions programs, and values that no feed links to the DPRK (an
 * unattributed row of a feed not declared DPRK, a non-DPRK actor).
 * `matches` lists every match of both, each marked with its nexus.
 */
#ifndef DI_MATCH_REPORT_H
#define DI_MATCH_REPORT_H

#include "matcher.h"

typedef enum
{
  /* the DPRK section */
  DI_OUT_INDICATOR,
  DI_OUT_TYPE,
  DI_OUT_FIELD,
  DI_OUT_ACTOR,
  DI_OUT_ACTORS,
  DI_OUT_SOURCE,
  DI_OUT_CONFIDENCE,
  DI_OUT_REFERENCE,
  DI_OUT_MATCH_COUNT,
  /* both sections */
  DI_OUT_MATCHES,        /* a JSON array of ECS threat.enrichments entries */
  /* the DPRK section, continued */
  DI_OUT_PROGRAM,
  /* the other section */
  DI_OUT_OTHER_INDICATOR,
  DI_OUT_OTHER_TYPE,
  DI_OUT_OTHER_FIELD,
  DI_OUT_OTHER_ACTOR,
  DI_OUT_OTHER_ACTORS,
  DI_OUT_OTHER_SOURCE,
  DI_OUT_OTHER_CONFIDENCE,
  DI_OUT_OTHER_REFERENCE,
  DI_OUT_OTHER_PROGRAM,
  DI_OUT_OTHER_MATCH_COUNT,
  DI_OUT_MAX
} DiOutField;

typedef enum
{
  DI_OUT_STRING,
  DI_OUT_INT,
  DI_OUT_JSON,
} DiOutType;

/* "indicator", "type", ..., "other.indicator", ... without any prefix. */
const gchar *di_out_field_name(DiOutField field);
DiOutType di_out_field_type(DiOutField field);

/* Tags, as syslog-ng sets them (the DPRK ones are in the module and the
 * report's actor ids). */
#define DI_TAG_OTHER_MATCH "dprk-intel.other_match"
#define DI_TAG_SANCTIONS_MATCH "sanctions.match"

/* The most distinct DPRK actors a report names (and the module tags). */
#define DI_REPORT_MAX_ACTORS 64

typedef struct
{
  GString *values[DI_OUT_MAX];
  guint n_dprk;          /* DPRK-linked matches: the DPRK section is set when > 0 */
  guint n_other;         /* the others: the other section is set when > 0 */
  gboolean sanctions;    /* some match is listed under a sanctions program other than the DPRK's */
  guint32 actor_ids[DI_REPORT_MAX_ACTORS];   /* the distinct DPRK actors, in match order */
  guint n_actors;
} DiReport;

void di_report_init(DiReport *self);
void di_report_clear(DiReport *self);

/* Fills every output value for a non-empty set; field_names/field_texts are
 * indexed by DiMatch.field. */
void di_report_build(DiReport *self, const DiSnapshot *snap, const DiMatchSet *set,
                     const gchar *const *field_names, const gchar *const *field_texts);

/* Whether the report has field: its section has a match.  Fields of a
 * section that has none are not written at all. */
gboolean di_report_has(const DiReport *self, DiOutField field);

/* Whether a match is of a DPRK-linked indicator. */
gboolean di_match_is_dprk(const DiSnapshot *snap, const DiMatch *m);

/* The distinct DPRK actor ids in set (of DPRK-linked attributions), in
 * match order, at most max of them. */
guint di_report_actor_ids(const DiSnapshot *snap, const DiMatchSet *set, guint32 *out, guint max);

/* Copies the DPRK-linked matches of set into out (reset first). */
void di_report_select_dprk(const DiSnapshot *snap, const DiMatchSet *set, DiMatchSet *out);

#endif
