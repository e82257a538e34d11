/* dprk-intel.h: the dprk-intel() LogParser.
 *
 * The grammar creates one with dprk_intel_parser_new() (dprk-intel.c) and
 * configures it through the setters below (dprk-intel-options.c); the map of
 * everything else (loading, matching, tagging, incidents) is at the top of
 * dprk-intel.c.
 */
#ifndef DPRK_INTEL_H_INCLUDED
#define DPRK_INTEL_H_INCLUDED

#include "parser/parser-expr.h"
#include "template/templates.h"

#define DPRK_INTEL_DEFAULT_PREFIX ".dprk."
#define DPRK_INTEL_DEFAULT_FIELD "MESSAGE"
#define DPRK_INTEL_DEFAULT_DATABASE DI_DATADIR "/feeds"
/* process() keeps the texts of the scanned fields on its stack */
#define DPRK_INTEL_MAX_FIELDS 64
/* a message naming more distinct actors than this tags only the first ones */
#define DPRK_INTEL_MAX_ACTOR_TAGS 64

/* incidents (INTERFACE §1) */
#define DPRK_INTEL_DEFAULT_INCIDENT_KEY "${HOST}"
/* the largest number of seconds an option takes: ten years */
#define DPRK_INTEL_MAX_SECONDS 315360000
/* each open incident costs up to a few kilobytes */
#define DPRK_INTEL_MAX_INCIDENTS 10000000

LogParser *dprk_intel_parser_new(GlobalConfig *cfg);

/* database(PATH ...): each call adds one feed file or directory. */
void dprk_intel_parser_set_database(LogParser *s, const gchar *path);
/* fields(NAME ...): each call adds one name-value pair to scan; without any,
 * MESSAGE is scanned. */
void dprk_intel_parser_set_fields(LogParser *s, const gchar *field);
void dprk_intel_parser_set_prefix(LogParser *s, const gchar *prefix);
/* incident-key(TEMPLATE), incident-amount(TEMPLATE): take a reference. */
void dprk_intel_parser_set_incident_key(LogParser *s, LogTemplate *key);
void dprk_intel_parser_set_incident_amount(LogParser *s, LogTemplate *amount);
/* incident-timeout(SECONDS), incident-max(N), reload-interval(SECONDS): the
 * grammar checks the ranges and names the option when one is wrong. */
void dprk_intel_parser_set_incident_timeout(LogParser *s, gint64 seconds);
void dprk_intel_parser_set_incident_max(LogParser *s, gint64 max_open);
void dprk_intel_parser_set_reload_interval(LogParser *s, gint64 seconds);
/* state-file(PATH): where open incidents are kept across restarts; "" for
 * none.  Default: dprk-intel-<name>.state beside syslog-ng's persist file. */
void dprk_intel_parser_set_state_file(LogParser *s, const gchar *path);

/* For the grammar, so that a missing database() path fails at parse time and
 * thus in `syslog-ng --syntax-only` too: NULL when path can be read,
 * otherwise why not (an allocated string). */
gchar *dprk_intel_parser_check_database_path(const gchar *path);
/* The same for the options as a whole, once they are all parsed (the
 * default database when database() is not given). */
gchar *dprk_intel_parser_check_options(LogParser *s);

#endif
