/* dprk-intel-parser.c: keywords of dprk-intel() and the glue between
 * syslog-ng's config lexer and the bison parser of dprk-intel-grammar.ym.
 *
 * Keywords are spelled with '_'; the lexer accepts '-' in their place, so
 * `dprk-intel` and `dprk_intel` are the same keyword.
 */
#include "dprk-intel-parser.h"
#include "dprk-intel.h"
#include "dprk-intel-grammar.h"

extern int dprk_intel_debug;

int dprk_intel_parse(CfgLexer *lexer, LogParser **instance, gpointer arg);

static CfgLexerKeyword dprk_intel_keywords[] =
{
  { "dprk_intel", KW_DPRK_INTEL },
  { "database",   KW_DATABASE },
  { "fields",     KW_FIELDS },
  { "prefix",     KW_PREFIX },
  { "incident_key",     KW_INCIDENT_KEY },
  { "incident_timeout", KW_INCIDENT_TIMEOUT },
  { "incident_max",     KW_INCIDENT_MAX },
  { "incident_amount",  KW_INCIDENT_AMOUNT },
  { "state_file",       KW_STATE_FILE },
  { "reload_interval",  KW_RELOAD_INTERVAL },
  { "mode",             KW_MODE },
  { "incident_id_salt", KW_INCIDENT_ID_SALT },
  { "sanctions_programs",   KW_SANCTIONS_PROGRAMS },
  { "dprk_feeds",           KW_DPRK_FEEDS },
  { "warninglists",         KW_WARNINGLISTS },
  { "warninglists_disable", KW_WARNINGLISTS_DISABLE },
  { "min_prefix_ipv4",      KW_MIN_PREFIX_IPV4 },
  { "min_prefix_ipv6",      KW_MIN_PREFIX_IPV6 },
  /* dprk-intel-log-parser() */
  { "dprk_intel_log_parser", KW_DPRK_INTEL_LOG_PARSER },
  { "source",           KW_SOURCE },
  { NULL }
};

/* frees a half-built parser when the config has an error */
static void
_cleanup(gpointer instance)
{
  log_pipe_unref((LogPipe *) instance);
}

CfgParser dprk_intel_parser =
{
#if SYSLOG_NG_ENABLE_DEBUG
  .debug_flag = &dprk_intel_debug,
#endif
  .name = "dprk-intel",
  .keywords = dprk_intel_keywords,
  .parse = (gint (*)(CfgLexer *, gpointer *, gpointer)) dprk_intel_parse,
  .cleanup = _cleanup,
};

CFG_PARSER_IMPLEMENT_LEXER_BINDING(dprk_intel_, DPRK_INTEL_, LogParser **)
