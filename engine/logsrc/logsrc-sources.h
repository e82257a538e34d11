/* logsrc-sources.h: the readers of the individual log sources, which
 * logsrc.c puts together (a reader for one source, or `auto`).  Internal
 * to engine/logsrc/.
 *
 * JSON sources register the keys they map in the reader's one key table at
 * setup (so that `auto` scans an object once for all of them), then get the
 * scanned LogsrcDoc: a gate says whether the object is theirs, a map fills
 * the event (and may still find it malformed).  Text sources read the line
 * themselves.  Every map sets the event's verdict.
 */
#ifndef DI_LOGSRC_SOURCES_H
#define DI_LOGSRC_SOURCES_H

#include "logsrc-doc.h"
#include "logsrc-event.h"

/* exchange application events (JSON); options: LOGSRC_KEY_COUNT keys */
typedef struct
{
  LogsrcProgram top, deposit, other;
  gint16 action[5];
  guint n_action;
} LogsrcExchange;

void logsrc_exchange_setup(LogsrcExchange *self, LogsrcKeys *keys, const gchar *const *options);
void logsrc_exchange_clear(LogsrcExchange *self);
gboolean logsrc_exchange_is_event(const LogsrcExchange *self, const LogsrcDoc *doc);
void logsrc_exchange_map(const LogsrcExchange *self, const LogsrcDoc *doc, LogsrcEvent *ev);

/* AWS CloudTrail records */
void logsrc_cloudtrail_setup(LogsrcSlots *self, LogsrcKeys *keys);
gboolean logsrc_cloudtrail_is_record(const LogsrcSlots *self, const LogsrcDoc *doc);
void logsrc_cloudtrail_map(const LogsrcSlots *self, const LogsrcDoc *doc, LogsrcEvent *ev);

/* Fireblocks webhooks */
void logsrc_fireblocks_setup(LogsrcSlots *self, LogsrcKeys *keys);
gboolean logsrc_fireblocks_is_notification(const LogsrcSlots *self, const LogsrcDoc *doc);
void logsrc_fireblocks_map(const LogsrcSlots *self, const LogsrcDoc *doc, LogsrcEvent *ev);

/* BitGo transfers */
void logsrc_bitgo_setup(LogsrcSlots *self, LogsrcKeys *keys);
gboolean logsrc_bitgo_is_bitgo(const LogsrcSlots *self, const LogsrcDoc *doc);
void logsrc_bitgo_map(const LogsrcSlots *self, const LogsrcDoc *doc, LogsrcScratch *scratch, LogsrcEvent *ev);

/* HTTP access logs: nginx JSON objects, combined/common lines */
void logsrc_accesslog_setup(LogsrcSlots *self, LogsrcKeys *keys);
gboolean logsrc_accesslog_is_json(const LogsrcSlots *self, const LogsrcDoc *doc);
void logsrc_accesslog_map_json(const LogsrcSlots *self, const LogsrcDoc *doc, LogsrcScratch *scratch,
                               LogsrcEvent *ev);
gboolean logsrc_accesslog_is_combined(const gchar *line, gsize len);
void logsrc_accesslog_read_combined(const gchar *line, gsize len, LogsrcScratch *scratch, LogsrcEvent *ev);

/* geth: JSON objects, and terminal and logfmt lines (their key=value table
 * of its own) */
typedef struct
{
  LogsrcSlots json;
  LogsrcSlots kv;
  LogsrcKeys *kv_keys;
} LogsrcGeth;

void logsrc_geth_setup(LogsrcGeth *self, LogsrcKeys *json_keys);
void logsrc_geth_clear(LogsrcGeth *self);
/* with_time: `auto` also wants the "t" key */
gboolean logsrc_geth_is_json(const LogsrcGeth *self, const LogsrcDoc *doc, gboolean with_time);
void logsrc_geth_map_json(const LogsrcGeth *self, const LogsrcDoc *doc, LogsrcScratch *scratch, LogsrcEvent *ev);
gboolean logsrc_geth_is_text(const gchar *line, gsize len);
/* a terminal or logfmt line; unparsed when it is neither */
void logsrc_geth_read_text(const LogsrcGeth *self, const gchar *line, gsize len, LogsrcScratch *scratch,
                           LogsrcEvent *ev);

/* Bitcoin Core debug.log */
gboolean logsrc_bitcoind_is_line(const gchar *line, gsize len);
void logsrc_bitcoind_read(const gchar *line, gsize len, LogsrcScratch *scratch, LogsrcEvent *ev);

/* hot-wallet and signing services, key=value */
typedef struct
{
  LogsrcSlots slots;
  LogsrcKeys *keys;
} LogsrcWallet;

void logsrc_wallet_setup(LogsrcWallet *self);
void logsrc_wallet_clear(LogsrcWallet *self);
gboolean logsrc_wallet_is_event_line(const gchar *line, gsize len);
void logsrc_wallet_read(const LogsrcWallet *self, const gchar *line, gsize len, LogsrcScratch *scratch,
                        LogsrcEvent *ev);

#endif
