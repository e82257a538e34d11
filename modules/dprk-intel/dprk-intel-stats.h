/* dprk-intel-stats.h: the counters a dprk-intel() parser shows in
 * `syslog-ng-ctl stats` (parser;dprk-intel;<name>;a;<counter>;N).
 *
 * scanned, matched, other_matched, sanctions_matched, indicators,
 * suppressed (values of the loaded feeds that a warninglist kept out),
 * feed_limits (limits the last load hit), matches_unreadable
 * (mode(aggregate)), feed_version_<hash> (the set in use), the incident
 * counters (incidents_*, amount_invalid, incident_keys_truncated,
 * state_times_clamped), one matched_<actor slug> per DPRK actor,
 * and the log parsers' unparsed_<source> and no_amount_<source>
 * (dprk-intel-tag-counters.h).  Kept apart from
 * the parser because registering, naming and feeding them is a job of its
 * own; the processor (dprk-intel-processor.c) still increments scanned and
 * matched directly through the struct, so that stats_counter_inc() stays
 * inline on the hot path.
 *
 * Main thread only, except the increments.
 */
#ifndef DPRK_INTEL_STATS_H_INCLUDED
#define DPRK_INTEL_STATS_H_INCLUDED

#include "dprk-intel-loaded-set.h"
#include "dprk-intel-incidents.h"
#include "dprk-intel-tag-counters.h"

#include "stats/stats-counter.h"

/* incidents_opened, _loaded, _closed, _timed_out, _evicted, _open,
 * amount_invalid, incident_keys_truncated and state_times_clamped: one for
 * each counter of DiIncidentCounters */
#define DPRK_INTEL_N_INCIDENT_COUNTERS 9

typedef struct _DprkIntelStats
{
  gchar *instance;                 /* the parser's name; NULL before the first init */
  StatsCounterItem *scanned;
  StatsCounterItem *matched;            /* messages with a DPRK-linked match */
  StatsCounterItem *other_matched;      /* messages with a match of other loaded data */
  StatsCounterItem *sanctions_matched;  /* ... listed under another sanctions program */
  StatsCounterItem *indicators;
  StatsCounterItem *suppressed;
  StatsCounterItem *feed_limits;
  gsize suppressed_value, feed_limits_value;   /* of the last load: it may run before registering */
  StatsCounterItem *incidents[DPRK_INTEL_N_INCIDENT_COUNTERS];
  /* mode(aggregate): relayed matches whose .dprk.matches was unreadable */
  StatsCounterItem *matches_unreadable;
  /* "matched_<slug>" -> StatsCounterItem*: only the parser that loads the
   * feeds (not its clones) fills it */
  GHashTable *actor_counters;
  /* unparsed_<source>, no_amount_<source>: the log parsers' tags */
  DprkIntelTagCounters *tag_counters;
  /* "feed_version_<hash>" = the load time of the set in use (UNIX seconds) */
  gchar *feed_version_name;
  StatsCounterItem *feed_version;
} DprkIntelStats;

void dprk_intel_stats_init(DprkIntelStats *self);
void dprk_intel_stats_destroy(DprkIntelStats *self);

/* At init (under the name instance) and deinit of the parser. */
void dprk_intel_stats_register(DprkIntelStats *self, const gchar *instance);
void dprk_intel_stats_unregister(DprkIntelStats *self);

/* Points the set's per-actor counters at ours, registering the counter of
 * a DPRK actor seen for the first time (other actors are never counted,
 * see di_snapshot_actor_is_dprk).  Counters stay registered until deinit,
 * so that a reload-interval() swap never unregisters one a worker may be
 * about to increment.  The set is not installed yet, or the workers are
 * stopped. */
void dprk_intel_stats_resolve_actor_counters(DprkIntelStats *self, DprkIntelLoadedSet *set);

void dprk_intel_stats_set_indicators(DprkIntelStats *self, gsize count);
/* What the last load of the feeds left out: values on warninglists, and
 * limits hit. */
void dprk_intel_stats_set_load_counts(DprkIntelStats *self, gsize suppressed, gsize limits_hit);

/* The version of the set in use: a counter feed_version_<hash> whose value
 * is its load time (UNIX seconds), e.g. parser.dprk-intel.p_dprk.
 * feed_version_3f9a0c41d2e87b65=1740147185 in `syslog-ng-ctl query`.  A new
 * version replaces the counter of the old one (which reads 0 until syslog-ng
 * drops it at its next reload).  Main thread. */
void dprk_intel_stats_set_feed_version(DprkIntelStats *self, const DiFeedVersion *version);

/* Adds what the engine counted in table since the last call to the
 * incident counters. */
void dprk_intel_stats_publish_incidents(DprkIntelStats *self, DprkIntelIncidentTable *table);

#endif
