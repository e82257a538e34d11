/* logsrc-bitgo.c: BitGo transfers, two JSON shapes of the BitGo API docs:
 *
 *  - the transfer webhook notification (hash, transfer, coin, type, state,
 *    wallet, ...);
 *  - the transfer object (GET /api/v2/{coin}/wallet/{walletId}/transfer/{id},
 *    which BitGo recommends fetching to verify a notification: id, coin,
 *    wallet, txid, type send/receive, valueString, baseValueString,
 *    entries [{address, wallet?, value, valueString}], ...).
 *
 * An object is BitGo's when `wallet` is a BitGo id (32 hex digits) and
 * `coin` is set; one that is neither shape is malformed.  The amount is the
 * transfer object's baseValueString (without fees), else its valueString,
 * in the coin's base units; a notification's is left out, since BitGo
 * notifies every state change of a transfer.  Of the entries, the first
 * without a wallet is the counterparty, the first of the transfer's own
 * wallet the address on its side.
 */
#include "logsrc-sources.h"
#include "logsrc-json.h"

enum
{
  BG_WALLET, BG_COIN, BG_TRANSFER, BG_TYPE, BG_HASH, BG_ID, BG_TXID, BG_VALUE, BG_BASE_VALUE, BG_ENTRIES,
  BG_KEYS
};

static const gchar *const bg_keys[BG_KEYS] =
{
  "wallet", "coin", "transfer", "type", "hash", "id", "txid", "valueString", "baseValueString", "entries",
};

void
logsrc_bitgo_setup(LogsrcSlots *self, LogsrcKeys *keys)
{
  logsrc_slots_add(self, keys, bg_keys, BG_KEYS);
  self->slot[BG_ENTRIES] = logsrc_keys_add(keys, "entries", TRUE);
}

#define GET(k) logsrc_slot_get(self, doc, (k))

gboolean
logsrc_bitgo_is_bitgo(const LogsrcSlots *self, const LogsrcDoc *doc)
{
  LogsrcSpan w = GET(BG_WALLET);

  if (w.len != 32 || !logsrc_slot_has(self, doc, BG_COIN))
    return FALSE;
  for (gsize i = 0; i < w.len; i++)
    if (!((w.ptr[i] >= '0' && w.ptr[i] <= '9') || (w.ptr[i] >= 'a' && w.ptr[i] <= 'f')))
      return FALSE;
  return TRUE;
}

typedef struct
{
  LogsrcSpan wallet;
  LogsrcSpan counterparty;
  LogsrcSpan own;
} Entries;

static gboolean
_entry(LogsrcSpan object, gpointer user_data)
{
  Entries *e = user_data;
  LogsrcSpan address, wallet;

  if (!logsrc_json_member(object, "address", &address) || !address.len)
    return TRUE;
  gboolean has_wallet = logsrc_json_member(object, "wallet", &wallet);
  if (!has_wallet && !e->counterparty.len)
    e->counterparty = address;
  else if (has_wallet && !e->own.len && wallet.len == e->wallet.len
           && memcmp(wallet.ptr, e->wallet.ptr, wallet.len) == 0)
    e->own = address;
  return !(e->counterparty.len && e->own.len);
}

static void
_object(const LogsrcSlots *self, const LogsrcDoc *doc, LogsrcScratch *scratch, LogsrcEvent *ev)
{
  LogsrcSpan type = GET(BG_TYPE);
  if (type.len)
    {
      gchar *action = logsrc_scratch_alloc(scratch, type.len + 9);
      if (action)
        {
          memcpy(action, "transfer.", 9);
          memcpy(action + 9, type.ptr, type.len);
          logsrc_event_set(ev, LOGSRC_EVENT_ACTION, action, type.len + 9);
        }
    }
  logsrc_event_set_span(ev, LOGSRC_EVENT_ID, GET(BG_ID));
  logsrc_event_set_span(ev, LOGSRC_CRYPTO_TXID, GET(BG_TXID));
  logsrc_event_set_span(ev, LOGSRC_CRYPTO_AMOUNT, GET(BG_VALUE));
  if (logsrc_slot_has(self, doc, BG_BASE_VALUE))
    logsrc_event_set_span(ev, LOGSRC_CRYPTO_AMOUNT, GET(BG_BASE_VALUE));

  if (logsrc_slot_has(self, doc, BG_ENTRIES))
    {
      Entries e = { .wallet = GET(BG_WALLET) };
      logsrc_json_foreach_object(GET(BG_ENTRIES), _entry, &e);
      logsrc_event_set_span(ev, LOGSRC_CRYPTO_COUNTERPARTY, e.counterparty);
      logsrc_event_set_span(ev, LOGSRC_CRYPTO_ADDRESS, e.own);
    }
  logsrc_event_amount(ev, TRUE);
}

void
logsrc_bitgo_map(const LogsrcSlots *self, const LogsrcDoc *doc, LogsrcScratch *scratch, LogsrcEvent *ev)
{
  gboolean notification = logsrc_slot_has(self, doc, BG_TRANSFER);

  if (!notification && !logsrc_slot_has(self, doc, BG_ID))
    {
      logsrc_event_unparsed(ev, LOGSRC_BITGO);
      return;
    }
  logsrc_event_parsed(ev, LOGSRC_BITGO);
  logsrc_event_set_str(ev, LOGSRC_SERVICE_TYPE, "bitgo");
  logsrc_event_set_span(ev, LOGSRC_CRYPTO_WALLET_ID, GET(BG_WALLET));
  logsrc_event_set_span(ev, LOGSRC_CRYPTO_ACCOUNT, GET(BG_WALLET));
  logsrc_event_set_span(ev, LOGSRC_CRYPTO_ASSET, GET(BG_COIN));
  if (notification)
    {
      logsrc_event_set_span(ev, LOGSRC_EVENT_ACTION, GET(BG_TYPE));
      logsrc_event_set_span(ev, LOGSRC_EVENT_ID, GET(BG_TRANSFER));
      logsrc_event_set_span(ev, LOGSRC_CRYPTO_TXID, GET(BG_HASH));
    }
  else
    _object(self, doc, scratch, ev);
}
