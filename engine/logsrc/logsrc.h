/* logsrc.h: the vocabulary of the log-source readers (logsrc-reader.h):
 * the sources -- exchange events, HTTP access logs, CloudTrail, Fireblocks,
 * BitGo, Bitcoin Core debug.log, geth, hot-wallet key=value lines -- the
 * one field scheme they are read into (docs/log-sources.md), the *-key()
 * options, the event a line gives and the scratch buffer for decoded values.
 *
 * No syslog-ng header here: the module, the unit tests and the fuzzer link it.
 */
#ifndef DI_LOGSRC_H
#define DI_LOGSRC_H

#include <glib.h>

typedef enum
{
  LOGSRC_EXCHANGE,
  LOGSRC_ACCESSLOG,
  LOGSRC_CLOUDTRAIL,
  LOGSRC_FIREBLOCKS,
  LOGSRC_BITGO,
  LOGSRC_BITCOIND,
  LOGSRC_GETH,
  LOGSRC_WALLET,
  LOGSRC_SOURCE_COUNT,
  /* not a source: every one of them, picked per line */
  LOGSRC_AUTO = LOGSRC_SOURCE_COUNT,
} LogsrcSource;

/* The field scheme: each field is written as prefix + its name
 * (.dprk.log.source.ip).  At most 64. */
typedef enum
{
  LOGSRC_SERVICE_TYPE,
  LOGSRC_EVENT_ACTION,
  LOGSRC_EVENT_ID,
  LOGSRC_EVENT_OUTCOME,
  LOGSRC_EVENT_PROVIDER,
  LOGSRC_ERROR_CODE,
  LOGSRC_LOG_LEVEL,
  LOGSRC_SOURCE_ADDRESS,
  LOGSRC_SOURCE_IP,
  LOGSRC_SOURCE_PORT,
  LOGSRC_DESTINATION_ADDRESS,
  LOGSRC_DESTINATION_IP,
  LOGSRC_DESTINATION_PORT,
  LOGSRC_USER_ID,
  LOGSRC_USER_NAME,
  LOGSRC_USER_EMAIL,
  LOGSRC_USER_AGENT,
  LOGSRC_URL_ORIGINAL,
  LOGSRC_URL_PATH,
  LOGSRC_URL_QUERY,
  LOGSRC_URL_DOMAIN,
  LOGSRC_HTTP_METHOD,
  LOGSRC_HTTP_REFERRER,
  LOGSRC_HTTP_STATUS,
  LOGSRC_HTTP_BYTES,
  LOGSRC_HTTP_VERSION,
  LOGSRC_CLOUD_PROVIDER,
  LOGSRC_CLOUD_REGION,
  LOGSRC_CLOUD_ACCOUNT_ID,
  LOGSRC_CRYPTO_ACCOUNT,
  LOGSRC_CRYPTO_ADDRESS,
  LOGSRC_CRYPTO_COUNTERPARTY,
  LOGSRC_CRYPTO_AMOUNT,
  LOGSRC_CRYPTO_ASSET,
  LOGSRC_CRYPTO_CHAIN,
  LOGSRC_CRYPTO_TXID,
  LOGSRC_CRYPTO_WALLET_ID,
  LOGSRC_FIELD_COUNT,
} LogsrcField;

/* The *-key() options of exchange events: one more JSON key (a dotted path
 * for nested objects) for a field, which wins over the built-in keys. */
typedef enum
{
  LOGSRC_KEY_ACTION,
  LOGSRC_KEY_ACCOUNT,
  LOGSRC_KEY_USER,
  LOGSRC_KEY_ADDRESS,
  LOGSRC_KEY_COUNTERPARTY,
  LOGSRC_KEY_AMOUNT,
  LOGSRC_KEY_ASSET,
  LOGSRC_KEY_CHAIN,
  LOGSRC_KEY_TXID,
  LOGSRC_KEY_WALLET,
  LOGSRC_KEY_IP,
  LOGSRC_KEY_COUNT,
} LogsrcKeyOption;

typedef enum
{
  LOGSRC_IGNORED,     /* not a line of the source(s): left alone */
  LOGSRC_PARSED,      /* fields set (maybe only service.type) */
  LOGSRC_UNPARSED,    /* looks like `source`'s but malformed: no field */
} LogsrcVerdict;

typedef struct
{
  const gchar *ptr;
  gsize len;
} LogsrcSpan;

/* What a line gave.  Only the spans whose bit is set in `fields` are
 * meaningful (the rest are stale: the record is not cleared per line); a set
 * span is never empty. */
typedef struct
{
  LogsrcVerdict verdict;
  LogsrcSource source;       /* the source the verdict is about */
  gboolean no_amount;        /* a transfer without a numeric amount */
  gboolean has_time;         /* the line's own time (access logs) */
  gint64 time_sec;           /* seconds since the epoch, UTC */
  gint32 time_gmtoff;        /* the line's UTC offset, in seconds */
  guint64 fields;            /* bit 1 << LogsrcField per field set */
  LogsrcSpan value[LOGSRC_FIELD_COUNT];
} LogsrcEvent;

/* A buffer the caller lends for decoded values; the spans of an event may
 * point into it, so it must outlive the use of the event.  Its size must be
 * at least logsrc_scratch_size() of the line's length. */
typedef struct
{
  gchar *buf;
  gsize size;
  gsize used;
} LogsrcScratch;

/* Names: "exchange" ... "wallet", "auto"; "service.type" ... */
const gchar *logsrc_source_name(LogsrcSource source);
gboolean logsrc_source_by_name(const gchar *name, LogsrcSource *source);
const gchar *logsrc_field_name(LogsrcField field);
/* "action-key" ... "ip-key" */
const gchar *logsrc_key_option_name(LogsrcKeyOption option);
gboolean logsrc_key_option_by_name(const gchar *name, LogsrcKeyOption *option);

/* Whether a source tags transfers without an amount (dprk.no_amount.<source>);
 * every source tags malformed lines (dprk.unparsed.<source>). */
gboolean logsrc_source_tags_no_amount(LogsrcSource source);
/* Whether `source` (or any, for LOGSRC_AUTO) can report `other`'s verdicts:
 * the tags a reader of `source` may set are those of the sources it covers. */
gboolean logsrc_source_covers(LogsrcSource source, LogsrcSource other);

#endif
