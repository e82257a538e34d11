/* dprk-intel-processor.h: the per-message path of dprk-intel().
 *
 * For every message, process() hands the texts of fields() to the engine's
 * matcher and, for a matched one, writes the engine's report back as tags
 * and name-value pairs, counts it and has the incident tracker record it.
 * The name-value handles and the dprk.match tag it uses are resolved once at
 * init: looking them up by name takes a global lock.
 *
 * All of the per-message code is in dprk-intel-processor.c, so that the
 * compiler can inline it; an unmatched message costs no allocation.
 * process() runs in many worker threads at once and only reads the
 * processor; init in the main thread with the workers stopped.
 */
#ifndef DPRK_INTEL_PROCESSOR_H_INCLUDED
#define DPRK_INTEL_PROCESSOR_H_INCLUDED

#include "dprk-intel-options.h"
#include "dprk-intel-snapshot-holder.h"
#include "dprk-intel-stats.h"
#include "dprk-intel-incident-tracker.h"

#include "logpipe.h"
#include "logmsg/logmsg.h"

#define DPRK_INTEL_MATCH_TAG "dprk.match"

typedef struct _DprkIntelProcessor DprkIntelProcessor;

/* holder (the set to match against), stats, incidents: the parser's,
 * borrowed. */
DprkIntelProcessor *dprk_intel_processor_new(DprkIntelSnapshotHolder *holder, DprkIntelStats *stats,
                                             DprkIntelIncidentTracker *incidents);
void dprk_intel_processor_free(DprkIntelProcessor *self);

/* Resolves the handles of fields() and of the report's output fields under
 * prefix(); FALSE (logged at owner's location) when fields() names more than
 * DPRK_INTEL_MAX_FIELDS. */
gboolean dprk_intel_processor_init(DprkIntelProcessor *self, const DprkIntelOptions *options, LogPipe *owner);

/* One message; always TRUE: matched or not, the message goes on. */
gboolean dprk_intel_processor_process(const DprkIntelProcessor *self, LogMessage **pmsg,
                                      const LogPathOptions *path_options);

#endif
