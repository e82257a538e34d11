/* dprk-intel-options.h: the options of one dprk-intel() parser, as the
 * grammar set them, with their defaults and limits.
 *
 * The grammar fills them through the setters below (it gets them with
 * dprk_intel_parser_get_options()) and runs the checks; a clone copies them;
 * at init each part of the parser reads what it needs: the database its
 * paths and reload-interval(), process() mode(), fields() and prefix(), the
 * incident tracker the incident options.  They do not change once the config is
 * parsed.  This object knows nothing of the parser: syslog-ng's own option
 * structs (LogTemplateOptions, ...) work the same way.
 */
#ifndef DPRK_INTEL_OPTIONS_H_INCLUDED
#define DPRK_INTEL_OPTIONS_H_INCLUDED

#include "template/templates.h"
#include "feed.h"

#define DPRK_INTEL_DEFAULT_PREFIX ".dprk."
#define DPRK_INTEL_DEFAULT_FIELD "MESSAGE"
#define DPRK_INTEL_DEFAULT_DATABASE DI_DATADIR "/feeds"
/* warninglists(): the known-benign values bundled with the package */
#define DPRK_INTEL_DEFAULT_WARNINGLISTS DI_DATADIR "/warninglists"
/* fields(): at most this many; process() keeps their texts on its stack */
#define DPRK_INTEL_MAX_FIELDS 64

/* incidents (INTERFACE §1) */
#define DPRK_INTEL_DEFAULT_INCIDENT_KEY "${HOST}"
/* the largest number of seconds an option takes: ten years */
#define DPRK_INTEL_MAX_SECONDS 315360000
/* each open incident costs up to a few kilobytes */
#define DPRK_INTEL_MAX_INCIDENTS 10000000

/* mode(): what the parser does with a message */
typedef enum
{
  DPRK_INTEL_MODE_SCAN = 0,        /* scan fields() against the feeds, tag, group (an edge, or one node) */
  DPRK_INTEL_MODE_AGGREGATE,       /* group the matches relays already tagged (a central node) */
} DprkIntelMode;

typedef struct _DprkIntelOptions
{
  DprkIntelMode mode;
  GPtrArray *databases;            /* gchar*; empty: DPRK_INTEL_DEFAULT_DATABASE */
  GPtrArray *fields;               /* gchar*; empty: DPRK_INTEL_DEFAULT_FIELD */
  gchar *prefix;
  LogTemplate *incident_key;       /* NULL: DPRK_INTEL_DEFAULT_INCIDENT_KEY */
  LogTemplate *incident_amount;    /* NULL: none */
  gint64 incident_timeout;
  gint64 incident_max;
  gchar *state_file;               /* NULL: the default; "": none */
  gchar *incident_id_salt;         /* NULL: "" */
  gint64 reload_interval;          /* 0: off */

  /* what the feeds load (docs/configuration.md; DiFeedOptions) */
  GPtrArray *sanctions_programs;   /* gchar*; empty: "dprk" */
  GPtrArray *dprk_feeds;           /* gchar*: dprk-feeds() paths */
  GPtrArray *warninglists;         /* gchar*; empty: DPRK_INTEL_DEFAULT_WARNINGLISTS when it exists */
  GPtrArray *warninglists_disabled;/* gchar*: list names, or "all" */
  gint min_prefix_ipv4, min_prefix_ipv6;
} DprkIntelOptions;

/* The defaults. */
void dprk_intel_options_init(DprkIntelOptions *self);
void dprk_intel_options_destroy(DprkIntelOptions *self);
/* dst is freshly initialised (a clone's). */
void dprk_intel_options_copy(DprkIntelOptions *dst, const DprkIntelOptions *src);

/* database(PATH ...): each call adds one feed file or directory. */
void dprk_intel_options_add_database(DprkIntelOptions *self, const gchar *path);
/* fields(NAME ...): each call adds one name-value pair to scan; without any,
 * MESSAGE is scanned. */
void dprk_intel_options_add_field(DprkIntelOptions *self, const gchar *field);
void dprk_intel_options_set_prefix(DprkIntelOptions *self, const gchar *prefix);
/* incident-key(TEMPLATE), incident-amount(TEMPLATE): take a reference. */
void dprk_intel_options_set_incident_key(DprkIntelOptions *self, LogTemplate *key);
void dprk_intel_options_set_incident_amount(DprkIntelOptions *self, LogTemplate *amount);
/* incident-timeout(SECONDS), incident-max(N), reload-interval(SECONDS): the
 * grammar checks the ranges and names the option when one is wrong. */
void dprk_intel_options_set_incident_timeout(DprkIntelOptions *self, gint64 seconds);
void dprk_intel_options_set_incident_max(DprkIntelOptions *self, gint64 max_open);
void dprk_intel_options_set_reload_interval(DprkIntelOptions *self, gint64 seconds);
/* state-file(PATH): where open incidents are kept across restarts; "" for
 * none.  Default: dprk-intel-<name>.state beside syslog-ng's persist file. */
void dprk_intel_options_set_state_file(DprkIntelOptions *self, const gchar *path);
/* mode(scan|aggregate): FALSE for any other name. */
gboolean dprk_intel_options_set_mode(DprkIntelOptions *self, const gchar *mode);
const gchar *dprk_intel_options_mode_name(DprkIntelMode mode);
/* incident-id-salt(STRING): the deployment-wide salt of incident ids. */
void dprk_intel_options_set_incident_id_salt(DprkIntelOptions *self, const gchar *salt);

/* sanctions-programs(WORD ...): which OFAC entries load: dprk (the
 * default), all, or program names; each call adds one word. */
void dprk_intel_options_add_sanctions_program(DprkIntelOptions *self, const gchar *word);
/* dprk-feeds(PATH ...): feeds whose every row is DPRK-linked. */
void dprk_intel_options_add_dprk_feed(DprkIntelOptions *self, const gchar *path);
/* warninglists(PATH ...), warninglists-disable(NAME ...). */
void dprk_intel_options_add_warninglist(DprkIntelOptions *self, const gchar *path);
void dprk_intel_options_add_warninglist_disabled(DprkIntelOptions *self, const gchar *name);
/* min-prefix-ipv4(N), min-prefix-ipv6(N): the grammar checks the range. */
void dprk_intel_options_set_min_prefix_ipv4(DprkIntelOptions *self, gint prefix);
void dprk_intel_options_set_min_prefix_ipv6(DprkIntelOptions *self, gint prefix);

/* The loader's options: a copy that owns its strings (a loader thread may
 * outlive the config); free with di_feed_options_free(). */
DiFeedOptions *dprk_intel_options_dup_feed_options(const DprkIntelOptions *self);
/* The warninglists() paths to watch with the feeds (NULL-terminated). */
gchar **dprk_intel_options_dup_warninglists(const DprkIntelOptions *self);

/* For the grammar, so that a missing database() path fails at parse time and
 * thus in `syslog-ng --syntax-only` too: NULL when path can be read,
 * otherwise why not (an allocated string). */
gchar *dprk_intel_options_check_database_path(const gchar *path);
/* The same for the options as a whole, once they are all parsed (the
 * default database when database() is not given). */
gchar *dprk_intel_options_check(const DprkIntelOptions *self);

/* NULL-terminated copies of databases and fields, with the default when
 * the option is not given. */
gchar **dprk_intel_options_dup_databases(const DprkIntelOptions *self);
gchar **dprk_intel_options_dup_fields(const DprkIntelOptions *self);

#endif
