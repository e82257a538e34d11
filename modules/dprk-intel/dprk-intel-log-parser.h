/* dprk-intel-log-parser.h: dprk-intel-log-parser(), the log-source parser
 * of exchange and wallet logs (docs/log-sources.md):
 *
 *   dprk-intel-log-parser(source(exchange|accesslog|cloudtrail|fireblocks|bitgo|
 *                                bitcoind|geth|wallet|auto)
 *                         prefix(".dprk.log.") template("${MESSAGE}")
 *                         action-key() account-key() ... ip-key())
 *
 * The reading is the engine's (engine/logsrc/); this object holds a reader
 * built at init, the name-value handles of the fields (prefix + field name)
 * and the tag ids, and writes what a line gave into the message: the fields,
 * dprk.unparsed.<source> for a malformed line (which then gets no field),
 * dprk.no_amount.<source> for a transfer without an amount, and the time of
 * an access log line.  It never drops a message and never changes MESSAGE.
 * The SCL blocks dprk-intel-<source>-parser() and dprk-intel-enrich() wrap it.
 */
#ifndef DPRK_INTEL_LOG_PARSER_H_INCLUDED
#define DPRK_INTEL_LOG_PARSER_H_INCLUDED

#include "parser/parser-expr.h"

LogParser *dprk_intel_log_parser_new(GlobalConfig *cfg);

/* The grammar's setters.  source(): FALSE for an unknown name.  A *-key()
 * option by its name (action-key or action_key): FALSE for an unknown one;
 * "" unsets it. */
gboolean dprk_intel_log_parser_set_source(LogParser *s, const gchar *name);
void dprk_intel_log_parser_set_prefix(LogParser *s, const gchar *prefix);
gboolean dprk_intel_log_parser_set_key(LogParser *s, const gchar *option, const gchar *key);

/* Registers the tags the parser can set, when the configuration is parsed,
 * so that dprk-intel() finds them to count at its init. */
void dprk_intel_log_parser_register_tags(LogParser *s);

/* "exchange, accesslog, ..., auto", for error messages */
const gchar *dprk_intel_log_parser_source_names(void);

#endif
