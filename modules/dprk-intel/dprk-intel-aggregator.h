/* dprk-intel-aggregator.h: the per-message path of dprk-intel(mode(aggregate)).
 *
 * On a central node messages arrive from relays (edges) that already ran
 * dprk-intel() in its default mode(scan) and forwarded them over syslog-ng's
 * own transport (the syslog-ng() destination, EWMM), tags and name-value
 * pairs intact.  The aggregator scans nothing: for a message tagged
 * dprk.match it takes the DPRK-linked matches it carries (prefix() +
 * "matches", the ECS enrichments whose dprk_intel.nexus is dprk; each one's
 * indicator.name, dprk_intel.actor and the actors of its other DPRK-linked
 * attributions), the relay it
 * came through (prefix() + "relay", set by the dprk-intel-forward() block;
 * else HOST_FROM) and hands them to the incident tracker, which groups them
 * by incident-key() exactly as a scanning parser does and replaces the
 * relay's incident id and count with the central ones.  Every other message
 * passes untouched, and so do the other matches (.dprk.other.*, tagged
 * dprk-intel.other_match): they are no DPRK incident on any node.  A .dprk.matches it cannot read (absent, not a JSON
 * array of matches, too deep, too long) falls back to .dprk.indicator and
 * .dprk.actors, is counted in matches_unreadable and warned about once.
 *
 * process() runs in many worker threads at once and only reads the
 * aggregator (but for the atomic logged-once flag); init in the main thread
 * with the workers stopped.
 */
#ifndef DPRK_INTEL_AGGREGATOR_H_INCLUDED
#define DPRK_INTEL_AGGREGATOR_H_INCLUDED

#include "dprk-intel-options.h"
#include "dprk-intel-stats.h"
#include "dprk-intel-incident-tracker.h"

#include "logpipe.h"
#include "logmsg/logmsg.h"

/* The most matches of one message taken into its incident; a relay's
 * dprk-intel() writes far fewer (a message has few indicators). */
#define DPRK_INTEL_AGGREGATE_MAX_MATCHES 64
/* .dprk.matches longer than this is not parsed (the first indicator is
 * taken instead); nested deeper than this is refused by the JSON parser. */
#define DPRK_INTEL_AGGREGATE_MAX_JSON (1024 * 1024)
#define DPRK_INTEL_AGGREGATE_JSON_DEPTH 8

typedef struct _DprkIntelAggregator DprkIntelAggregator;

/* owner, stats, incidents: the parser and its own, borrowed. */
DprkIntelAggregator *dprk_intel_aggregator_new(LogPipe *owner, DprkIntelStats *stats,
                                               DprkIntelIncidentTracker *incidents);
void dprk_intel_aggregator_free(DprkIntelAggregator *self);

/* Resolves the handles of the fields it reads under prefix(). */
void dprk_intel_aggregator_init(DprkIntelAggregator *self, const DprkIntelOptions *options);

/* One message; always TRUE: aggregated or not, the message goes on. */
gboolean dprk_intel_aggregator_process(DprkIntelAggregator *self, LogMessage **pmsg,
                                       const LogPathOptions *path_options);

#endif
