/* incidents.h: suspected incidents, i.e. matches grouped by a key over time.
 *
 * A DiIncidents table holds the open incidents.  Every match joins the open
 * incident of its key (the rendered incident-key() template) or opens one; an
 * incident closes `timeout` seconds after its last match, and when more than
 * `max_open` are open the one idle longest is closed early ("evicted").
 *
 * No syslog-ng header here: the module glue renders the templates, passes the
 * strings in, and turns closed incidents (DiIncidentSummary) into messages.
 * Worker threads call di_incidents_add() concurrently; one mutex guards the
 * table and every callback runs after it is released, so the caller may
 * forward messages from it.  Times are UNIX microseconds (g_get_real_time()),
 * except a message's own time stamp, in seconds.
 *
 * Keys are found through a keyed hash (incident-index.h): keys that an
 * attacker chose to collide cost what random keys cost.  A key longer than
 * DI_INCIDENT_KEY_MAX bytes is shortened (di_incident_key_limit()).
 *
 * Incident ids are the same on every node that sees the same first match:
 * di_incident_make_id() of a deployment-wide salt, the key and the time
 * stamp of the incident's first match, so that an edge's incident and the
 * central node's can be correlated (docs/deployment.md).  A central node
 * also records which relay each match came from (DiIncidentMatch.relay).
 */
#ifndef DI_INCIDENTS_H
#define DI_INCIDENTS_H

#include <glib.h>

#define DI_INCIDENT_DEFAULT_TIMEOUT 3600
#define DI_INCIDENT_DEFAULT_MAX 100000

/* 16 lower-case hex digits. */
#define DI_INCIDENT_ID_LEN 16

/* The longest key in bytes.  A longer one becomes its first
 * DI_INCIDENT_KEY_MAX - 17 bytes (cut at a UTF-8 character boundary), "~"
 * and 16 hex digits of the SHA-256 of the whole key: still one incident per
 * distinct key, the same on every node, and bounded. */
#define DI_INCIDENT_KEY_MAX 1024

/* Relays kept per incident with their match counts; matches from more
 * relays are counted together.  A relay name is kept to this many bytes. */
#define DI_INCIDENT_RELAY_MAX 32
#define DI_INCIDENT_RELAY_NAME_MAX 255

/* Per incident and per set (indicators, actors): the first LIST_MAX distinct
 * values are kept as text, in the order first seen; the distinct count is
 * exact up to DISTINCT_MAX (64-bit hashes) and saturates there, so one
 * incident costs at most a few kilobytes whatever it is fed. */
#define DI_INCIDENT_LIST_MAX 64
#define DI_INCIDENT_DISTINCT_MAX 256

typedef enum
{
  DI_INCIDENT_OPEN = 0,          /* still open: an exported copy */
  DI_INCIDENT_CLOSED_TIMEOUT,    /* no match for `timeout` seconds */
  DI_INCIDENT_CLOSED_EVICTED,    /* closed early: max_open reached */
  DI_INCIDENT_CLOSED_SHUTDOWN,   /* closed by di_incidents_close_all() */
} DiIncidentReason;

/* A set of distinct strings; read the public part only. */
typedef struct
{
  gchar **names;       /* the first DI_INCIDENT_LIST_MAX distinct values */
  guint n_names;
  guint n_distinct;    /* exact distinct count, at most DI_INCIDENT_DISTINCT_MAX */
  gboolean saturated;  /* more than DI_INCIDENT_DISTINCT_MAX: n_distinct is a lower bound */
  /* private: open addressing over 64-bit hashes of every distinct value */
  guint64 *slots;
  guint n_slots;
} DiIncidentSet;

/* The relays an incident's matches came from, in the order first seen. */
typedef struct
{
  gchar *name;
  guint64 count;
} DiIncidentRelay;

typedef struct
{
  DiIncidentRelay *items;
  guint n;
  guint64 more;        /* matches from relays beyond DI_INCIDENT_RELAY_MAX */
} DiIncidentRelays;

/* One incident: handed out when it closes, or copied by di_incidents_export().
 * Owned by whoever received it; release with di_incident_summary_free(). */
typedef struct
{
  gchar id[DI_INCIDENT_ID_LEN + 1];
  const gchar *key;
  guint64 count;              /* matches */
  DiIncidentSet indicators;
  DiIncidentSet actors;
  DiIncidentRelays relays;    /* empty unless matches came with a relay */
  DiIncidentSet relay_ids;    /* the relays' own incident ids */
  gint64 first_seen;          /* UNIX microseconds */
  gint64 last_seen;
  gdouble amount;             /* sum of the valid amounts */
  gboolean has_amount;        /* at least one valid amount was seen */
  DiIncidentReason reason;
} DiIncidentSummary;

typedef struct
{
  guint64 opened;          /* incidents opened by matches */
  guint64 loaded;          /* incidents restored from a state file */
  guint64 closed;          /* closed for any reason (timed out + evicted + shutdown) */
  guint64 timed_out;
  guint64 evicted;
  guint64 open_now;        /* = opened + loaded - closed */
  guint64 amount_invalid;  /* amounts skipped because they were not a number */
  guint64 keys_truncated;  /* keys longer than DI_INCIDENT_KEY_MAX, shortened */
  guint64 times_clamped;   /* restored incidents last seen in the future, set to now */
} DiIncidentCounters;

/* One matched message, as di_incidents_add_match() takes it. */
typedef struct
{
  const gchar *key;                      /* NULL counts as "" */
  gint64 now_us;                         /* local clock: timeouts, first and last seen */
  gint64 stamp;                          /* the message's own time, UNIX seconds: the id of an incident it opens */
  const gchar *const *indicators;        /* may repeat */
  guint n_indicators;
  const gchar *const *actors;            /* may repeat */
  guint n_actors;
  const gchar *amount;                   /* rendered amount; NULL or blank: none; invalid: skipped and counted */
  const gchar *relay;                    /* the node that matched, when relayed; NULL: none */
  const gchar *relay_incident_id;        /* that node's own incident id; NULL: none */
} DiIncidentMatch;

/* What one di_incidents_add() did. */
typedef struct
{
  gchar id[DI_INCIDENT_ID_LEN + 1];  /* -> .dprk.incident.id */
  guint64 count;                     /* -> .dprk.incident.count, this match included */
  gboolean opened;                   /* this match opened the incident */
  gboolean key_truncated;            /* the key was longer than DI_INCIDENT_KEY_MAX */
  /* At most one incident this add closed: the one idle longest, evicted to
   * make room, or this key's previous incident whose timeout had passed
   * before expiry ran.  Emit it, then di_incident_update_clear(). */
  DiIncidentSummary *closed;
} DiIncidentUpdate;

typedef struct _DiIncidents DiIncidents;
typedef void (*DiIncidentClosedFunc)(const DiIncidentSummary *summary, gpointer user_data);

/* timeout_sec < 0 counts as 0; max_open 0 counts as 1. */
DiIncidents *di_incidents_new(gint64 timeout_sec, guint max_open);
/* Frees open incidents and undelivered summaries without emitting them;
 * call di_incidents_close_all() first to get their summaries. */
void di_incidents_free(DiIncidents *self);

/* Changes the limits, e.g. after a reload kept the table.  Incidents over a
 * smaller max are evicted; they, like every incident closed outside add(),
 * come out of the next di_incidents_expire(). */
void di_incidents_set_limits(DiIncidents *self, gint64 timeout_sec, guint max_open);
gint64 di_incidents_get_timeout(DiIncidents *self);
guint di_incidents_get_max_open(DiIncidents *self);
/* The salt of di_incident_make_id(); "" by default.  NULL counts as "". */
void di_incidents_set_id_salt(DiIncidents *self, const gchar *salt);

/* Records one match.  Safe from several threads. */
void di_incidents_add_match(DiIncidents *self, const DiIncidentMatch *match, DiIncidentUpdate *out);
/* The same for a match at now_us, stamped now_us, not relayed. */
void di_incidents_add(DiIncidents *self, const gchar *key, gint64 now_us,
                      const gchar *const *indicators, guint n_indicators,
                      const gchar *const *actors, guint n_actors,
                      const gchar *amount_text, DiIncidentUpdate *out);
void di_incident_update_clear(DiIncidentUpdate *update);

/* Closes every incident idle for at least the timeout at now_us (now_us -
 * last_seen >= timeout) and delivers them, and those closed earlier outside
 * add(), to cb after the lock is released, oldest first.  cb may be NULL.
 * Returns how many were delivered. */
guint di_incidents_expire(DiIncidents *self, gint64 now_us, DiIncidentClosedFunc cb, gpointer user_data);
/* Closes every open incident with the given reason (normally
 * DI_INCIDENT_CLOSED_SHUTDOWN) and delivers them as expire() does. */
guint di_incidents_close_all(DiIncidents *self, DiIncidentReason reason, DiIncidentClosedFunc cb,
                             gpointer user_data);
/* When expire() has work next, in UNIX microseconds; a time in the past means
 * now.  FALSE when nothing is open or waiting. */
gboolean di_incidents_next_deadline(DiIncidents *self, gint64 *deadline_us);

void di_incidents_get_counters(DiIncidents *self, DiIncidentCounters *out);

/* Copies of the open incidents (reason DI_INCIDENT_OPEN), ordered by
 * last_seen, in a GPtrArray that frees them. */
GPtrArray *di_incidents_export(DiIncidents *self);
/* Puts back an incident built with di_incident_summary_new() (from a state
 * file); takes ownership.  Times after now_us are set to now_us (counted in
 * times_clamped: a file claiming the future must not keep an incident open
 * for ever).  One already timed out at now_us, one whose key is already
 * open, or one that would be the first evicted is closed at once and comes
 * out of the next expire(), so it still gets its summary. */
void di_incidents_restore(DiIncidents *self, DiIncidentSummary *incident, gint64 now_us);

/* For tests and benchmarks: how far the key index probes at worst. */
guint di_incidents_max_probe(DiIncidents *self);

/* Ids and keys. */
/* The first 16 hex digits of SHA-256(salt NUL key NUL stamp-in-decimal):
 * `printf '%s\0%s\0%s' SALT KEY STAMP | sha256sum | cut -c1-16`. */
void di_incident_make_id(const gchar *salt, const gchar *key, gint64 stamp, gchar out[DI_INCIDENT_ID_LEN + 1]);
/* key itself when it fits DI_INCIDENT_KEY_MAX, else its shortened form
 * written to buf (and *truncated set). */
const gchar *di_incident_key_limit(const gchar *key, gchar buf[DI_INCIDENT_KEY_MAX + 1], gboolean *truncated);

/* Summaries. */
DiIncidentSummary *di_incident_summary_new(const gchar *id, const gchar *key);
void di_incident_summary_free(DiIncidentSummary *summary);
/* Adds a value to a set; TRUE if it was not there yet. */
gboolean di_incident_set_add(DiIncidentSet *set, const gchar *value);
/* Every 64-bit hash in the set (state files keep those of values beyond the
 * list); di_incident_set_add_hash() puts one back without a name. */
GArray *di_incident_set_hashes(const DiIncidentSet *set);
gboolean di_incident_set_add_hash(DiIncidentSet *set, guint64 hash);
/* Joins the kept names with sep. */
void di_incident_set_join(const DiIncidentSet *set, const gchar *sep, GString *out);
/* Counts one match of relay (commas in the name become '_'); restoring
 * from a state file passes the saved count. */
void di_incident_relays_add(DiIncidentRelays *relays, const gchar *relay, guint64 count);
/* "edge-a:3,edge-b:2", then "(more):N" for the relays beyond the list. */
void di_incident_relays_format(const DiIncidentRelays *relays, GString *out);

const gchar *di_incident_reason_name(DiIncidentReason reason);   /* "timeout", "evicted", ... */
/* The readable MESSAGE of a closed incident, appended to out. */
void di_incident_summary_message(const DiIncidentSummary *summary, GString *out);
/* "2026-11-25T10:00:01Z": UTC, whole seconds. */
void di_incident_format_time(gint64 time_us, GString *out);
/* The amount as text, 15 significant digits, locale-independent. */
void di_incident_format_amount(gdouble amount, GString *out);
/* Parses a decimal number (sign, fraction, exponent; surrounding blanks
 * allowed; no hex, nan, inf or overflow) without looking at the locale. */
gboolean di_incident_parse_amount(const gchar *text, gdouble *value);

#endif
