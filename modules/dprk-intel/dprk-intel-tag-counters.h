/* dprk-intel-tag-counters.h: counters of the tags the SCL log parsers set.
 *
 * The log parsers (parsers/log-*.conf) tag a line they cannot parse
 * dprk.unparsed.<source> and a transfer without a usable amount
 * dprk.no_amount.<source>.  dprk-intel() counts the messages that carry
 * such a tag, under its stats instance, as unparsed_<source> and
 * no_amount_<source> (`syslog-ng-ctl stats`: parser;dprk-intel;<instance>;
 * a;unparsed_cloudtrail;N).  Nothing in here knows the sources: the counted
 * tags are the ones the configuration uses.
 */
#ifndef DPRK_INTEL_TAG_COUNTERS_H_INCLUDED
#define DPRK_INTEL_TAG_COUNTERS_H_INCLUDED

#include "logmsg/logmsg.h"

typedef struct _DprkIntelTagCounters DprkIntelTagCounters;

/* One counter for every tag of the counted kinds registered so far (set-tag()
 * registers a tag when the configuration is parsed, so at init every tag the
 * configuration can set is known).  Registers the counters: main thread, with
 * the stats lock free. */
DprkIntelTagCounters *dprk_intel_tag_counters_new(const gchar *stats_instance);
/* Unregisters the counters (main thread, stats lock free) and frees. */
void dprk_intel_tag_counters_free(DprkIntelTagCounters *self);
/* Counts msg's tags: a bit test per counted tag.  Any worker thread. */
void dprk_intel_tag_counters_count(const DprkIntelTagCounters *self, LogMessage *msg);

#endif
