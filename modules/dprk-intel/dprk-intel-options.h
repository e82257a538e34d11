/* dprk-intel-options.h: the options of one dprk-intel() parser, as the
 * grammar set them.
 *
 * The grammar fills them through the dprk_intel_parser_set_*() setters of
 * dprk-intel.h (defined in dprk-intel-options.c, with the checks the grammar
 * runs); a clone copies them; at init each part of the parser reads what it
 * needs: the database its paths and reload-interval(), process() fields() and
 * prefix(), the incident tracker the incident options.  They do not change
 * once the config is parsed.
 */
#ifndef DPRK_INTEL_OPTIONS_H_INCLUDED
#define DPRK_INTEL_OPTIONS_H_INCLUDED

#include "template/templates.h"

typedef struct _DprkIntelOptions
{
  GPtrArray *databases;            /* gchar*; empty: DPRK_INTEL_DEFAULT_DATABASE */
  GPtrArray *fields;               /* gchar*; empty: DPRK_INTEL_DEFAULT_FIELD */
  gchar *prefix;
  LogTemplate *incident_key;       /* NULL: DPRK_INTEL_DEFAULT_INCIDENT_KEY */
  LogTemplate *incident_amount;    /* NULL: none */
  gint64 incident_timeout;
  gint64 incident_max;
  gchar *state_file;               /* NULL: the default; "": none */
  gint64 reload_interval;          /* 0: off */
} DprkIntelOptions;

/* The defaults. */
void dprk_intel_options_init(DprkIntelOptions *self);
void dprk_intel_options_destroy(DprkIntelOptions *self);
/* dst is freshly initialised (a clone's). */
void dprk_intel_options_copy(DprkIntelOptions *dst, const DprkIntelOptions *src);

/* NULL-terminated copies of databases and fields, with the default when
 * the option is not given. */
gchar **dprk_intel_options_dup_databases(const DprkIntelOptions *self);
gchar **dprk_intel_options_dup_fields(const DprkIntelOptions *self);

#endif
