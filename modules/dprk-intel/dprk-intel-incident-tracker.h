/* dprk-intel-incident-tracker.h: the suspected incidents of one parser
 * instance, as syslog-ng sees them.
 *
 * The engine (engine/incidents.h) groups matches into incidents and
 * dprk-intel-incidents.h has the pieces around it (the table that travels
 * across reloads, the saving thread, summary messages); this object puts
 * them to work for one parser:
 *
 * - record(): joins a matched message to the incident of its incident-key()
 *   (or opens one) and writes the running id and count into it; in
 *   mode(aggregate), record_relayed() does the same with the matches a relay
 *   found.  Worker threads; the table locks itself.
 * - summaries: every closed incident goes on as a new message into the log
 *   path after the parser, without ack.
 * - keeping the open incidents: across `syslog-ng-ctl reload` the table is
 *   handed over in the persist config; across restarts it is written to the
 *   state file, by a thread every DPRK_INTEL_SAVE_INTERVAL seconds when it
 *   changed, and at shutdown, and read back at start.
 * - tick(): the parser's timer closes timed-out incidents, publishes the
 *   incident counters and saves.
 *
 * Clones have their own tracker (as grouping-by's clones do).  Everything
 * but record() runs in the main thread.
 */
#ifndef DPRK_INTEL_INCIDENT_TRACKER_H_INCLUDED
#define DPRK_INTEL_INCIDENT_TRACKER_H_INCLUDED

#include "dprk-intel-options.h"
#include "dprk-intel-loaded-set.h"
#include "dprk-intel-stats.h"

#include "matcher.h"

#include "logpipe.h"
#include "logmsg/logmsg.h"

typedef struct _DprkIntelIncidentTracker DprkIntelIncidentTracker;

/* owner: the parser, which summaries are forwarded from; stats: its
 * counters.  Both borrowed. */
DprkIntelIncidentTracker *dprk_intel_incident_tracker_new(LogPipe *owner, DprkIntelStats *stats);
void dprk_intel_incident_tracker_free(DprkIntelIncidentTracker *self);

/* Takes the table the previous config handed over under persist_name, or
 * the one this tracker kept (a failed reload), or opens a new one with the
 * state file's incidents; never fails.  child_id names the default state
 * file; a clone adds it to an explicit state-file() too, so that no two
 * instances write one file.  The counters are registered already. */
void dprk_intel_incident_tracker_init(DprkIntelIncidentTracker *self, const DprkIntelOptions *options,
                                      const gchar *child_id, const gchar *persist_name, gboolean is_clone);
/* Hands the table over on a reload; at shutdown writes the state file (the
 * open incidents are not closed). */
void dprk_intel_incident_tracker_deinit(DprkIntelIncidentTracker *self);

/* n_actors is at most DPRK_INTEL_MAX_ACTOR_TAGS.  Call after the report is
 * written: incident-key() may use its values. */
void dprk_intel_incident_tracker_record(DprkIntelIncidentTracker *self, LogMessage *msg,
                                        const DprkIntelLoadedSet *set, const DiMatchSet *matches,
                                        const guint32 *actor_ids, guint n_actors);
/* mode(aggregate): a message matched by a relay, with the indicators and
 * actors it carries; relay names the relay.  The relay's incident id (the
 * message's incident id field) is recorded, then ours replaces it. */
void dprk_intel_incident_tracker_record_relayed(DprkIntelIncidentTracker *self, LogMessage *msg,
                                                const gchar *const *indicators, guint n_indicators,
                                                const gchar *const *actors, guint n_actors, const gchar *relay);

void dprk_intel_incident_tracker_tick(DprkIntelIncidentTracker *self, gint64 now);
/* For arming the timer: the earliest incident deadline (FALSE: none), and
 * whether a saving thread runs (poll it soon). */
gboolean dprk_intel_incident_tracker_next_deadline(DprkIntelIncidentTracker *self, gint64 *deadline);
gboolean dprk_intel_incident_tracker_is_saving(DprkIntelIncidentTracker *self);

#endif
