/* dprk-intel-process.h: the per-message path of dprk-intel().
 *
 * process() hands the texts of fields() to the engine's matcher and, for a
 * matched message, writes the engine's report back as tags and name-value
 * pairs, counts it and has the incident tracker record it.  What it reads
 * from the message and writes into it goes through DprkIntelHandles,
 * resolved once at init: looking a name-value pair or a tag up by name takes
 * a global lock.
 *
 * All of the per-message code is in dprk-intel-process.c, so that the
 * compiler can inline it; an unmatched message costs no allocation.  Worker
 * threads, many at once: process() only reads the parser.
 */
#ifndef DPRK_INTEL_PROCESS_H_INCLUDED
#define DPRK_INTEL_PROCESS_H_INCLUDED

#include "dprk-intel-options.h"

#include "match-report.h"

#include "logpipe.h"
#include "logmsg/logmsg.h"
#include "logmsg/tags.h"
#include "parser/parser-expr.h"

#define DPRK_INTEL_MATCH_TAG "dprk.match"

typedef struct _DprkIntelHandles
{
  gchar **field_names;             /* NULL-terminated; MESSAGE when fields() is not given */
  guint n_fields;
  NVHandle *field_handles;
  NVHandle out_handles[DI_OUT_MAX];    /* prefix() + the report's field names */
  LogTagId match_tag;
} DprkIntelHandles;

/* At init; FALSE (logged at owner's location) when fields() names more
 * than DPRK_INTEL_MAX_FIELDS. */
gboolean dprk_intel_handles_resolve(DprkIntelHandles *self, const DprkIntelOptions *options, LogPipe *owner);
void dprk_intel_handles_clear(DprkIntelHandles *self);

/* The LogParser process() of dprk-intel(). */
gboolean dprk_intel_parser_process(LogParser *s, LogMessage **pmsg, const LogPathOptions *path_options,
                                   const gchar *input, gsize input_len);

#endif
