/* logsrc-fireblocks.c: Fireblocks webhook notifications, both shapes of the
 * Fireblocks API docs:
 *
 *   v1: {"type": "TRANSACTION_CREATED", "tenantId": ..., "data": {...}}
 *   v2: {"eventType": "transaction.created", "workspaceId": ..., "data": {...}}
 *
 * For transaction events `data` is a TransactionDetails object.  An outgoing
 * transaction (source type VAULT_ACCOUNT) has its own address in
 * sourceAddress and the counterparty in destinationAddress; an incoming one
 * the other way round.  The amount is taken from the event that creates a
 * transaction only: every status update repeats it, and an incident's amount
 * would count it again each time.  A transaction event without data.id is
 * malformed.
 */
#include "logsrc-sources.h"

enum
{
  FB_TENANT, FB_WORKSPACE, FB_TYPE, FB_EVENT_TYPE,
  FB_ID, FB_ASSET, FB_TX_HASH, FB_CREATED_BY, FB_AMOUNT, FB_AMOUNT_INFO,
  FB_SOURCE_TYPE, FB_SOURCE_ADDRESS, FB_DESTINATION_ADDRESS, FB_SOURCE_ID, FB_DESTINATION_ID,
  FB_CUSTOMER_REF, FB_WALLET_ID, FB_ACCOUNT_ID, FB_ADDRESS,
  FB_KEYS
};

static const gchar *const fb_keys[FB_KEYS] =
{
  "tenantId", "workspaceId", "type", "eventType",
  "data.id", "data.assetId", "data.txHash", "data.createdBy", "data.amount", "data.amountInfo.amount",
  "data.source.type", "data.sourceAddress", "data.destinationAddress", "data.source.id", "data.destination.id",
  "data.customerRefId", "data.walletId", "data.accountId", "data.address",
};

void
logsrc_fireblocks_setup(LogsrcSlots *self, LogsrcKeys *keys)
{
  logsrc_slots_add(self, keys, fb_keys, FB_KEYS);
}

gboolean
logsrc_fireblocks_is_notification(const LogsrcSlots *self, const LogsrcDoc *doc)
{
  return (logsrc_slot_has(self, doc, FB_TENANT) || logsrc_slot_has(self, doc, FB_WORKSPACE))
         && (logsrc_slot_has(self, doc, FB_TYPE) || logsrc_slot_has(self, doc, FB_EVENT_TYPE));
}

#define GET(k) logsrc_slot_get(self, doc, (k))

static void
_transaction(const LogsrcSlots *self, const LogsrcDoc *doc, LogsrcSpan action, LogsrcEvent *ev)
{
  gboolean created = logsrc_span_eq(action, "TRANSACTION_CREATED") || logsrc_span_eq(action, "transaction.created");

  logsrc_event_set_span(ev, LOGSRC_EVENT_ID, GET(FB_ID));
  logsrc_event_set_span(ev, LOGSRC_CRYPTO_ASSET, GET(FB_ASSET));
  logsrc_event_set_span(ev, LOGSRC_CRYPTO_TXID, GET(FB_TX_HASH));
  logsrc_event_set_span(ev, LOGSRC_USER_ID, GET(FB_CREATED_BY));
  if (created)
    {
      logsrc_event_set_span(ev, LOGSRC_CRYPTO_AMOUNT, GET(FB_AMOUNT));
      if (logsrc_slot_has(self, doc, FB_AMOUNT_INFO))
        logsrc_event_set_span(ev, LOGSRC_CRYPTO_AMOUNT, GET(FB_AMOUNT_INFO));
    }
  if (logsrc_span_eq(GET(FB_SOURCE_TYPE), "VAULT_ACCOUNT"))
    {
      logsrc_event_set_span(ev, LOGSRC_CRYPTO_ADDRESS, GET(FB_SOURCE_ADDRESS));
      logsrc_event_set_span(ev, LOGSRC_CRYPTO_COUNTERPARTY, GET(FB_DESTINATION_ADDRESS));
      logsrc_event_set_span(ev, LOGSRC_CRYPTO_WALLET_ID, GET(FB_SOURCE_ID));
    }
  else
    {
      logsrc_event_set_span(ev, LOGSRC_CRYPTO_ADDRESS, GET(FB_DESTINATION_ADDRESS));
      logsrc_event_set_span(ev, LOGSRC_CRYPTO_COUNTERPARTY, GET(FB_SOURCE_ADDRESS));
      logsrc_event_set_span(ev, LOGSRC_CRYPTO_WALLET_ID, GET(FB_DESTINATION_ID));
    }
  /* the account: the exchange's customer reference when the transaction
   * carries one, else the vault account */
  logsrc_event_set_span(ev, LOGSRC_CRYPTO_ACCOUNT, GET(FB_CUSTOMER_REF));
  logsrc_event_fallback(ev, LOGSRC_CRYPTO_ACCOUNT, LOGSRC_CRYPTO_WALLET_ID);
  if (created)
    logsrc_event_amount(ev, TRUE);
}

void
logsrc_fireblocks_map(const LogsrcSlots *self, const LogsrcDoc *doc, LogsrcEvent *ev)
{
  LogsrcSpan action = logsrc_slot_has(self, doc, FB_TYPE) ? GET(FB_TYPE) : GET(FB_EVENT_TYPE);

  if (logsrc_span_has_prefix(action, "TRANSACTION_") || logsrc_span_has_prefix(action, "transaction."))
    {
      if (!logsrc_slot_has(self, doc, FB_ID))
        {
          logsrc_event_unparsed(ev, LOGSRC_FIREBLOCKS);
          return;
        }
      logsrc_event_parsed(ev, LOGSRC_FIREBLOCKS);
      logsrc_event_set_str(ev, LOGSRC_SERVICE_TYPE, "fireblocks");
      logsrc_event_set_span(ev, LOGSRC_EVENT_ACTION, action);
      _transaction(self, doc, action, ev);
      return;
    }

  /* other workspace events: vault accounts, wallets and whitelisted
   * (external) addresses being added */
  logsrc_event_parsed(ev, LOGSRC_FIREBLOCKS);
  logsrc_event_set_str(ev, LOGSRC_SERVICE_TYPE, "fireblocks");
  logsrc_event_set_span(ev, LOGSRC_EVENT_ACTION, action);
  logsrc_event_set_span(ev, LOGSRC_CRYPTO_ASSET, GET(FB_ASSET));
  logsrc_event_set_span(ev, LOGSRC_CRYPTO_WALLET_ID, GET(FB_WALLET_ID));
  if (logsrc_slot_has(self, doc, FB_ACCOUNT_ID))
    logsrc_event_set_span(ev, LOGSRC_CRYPTO_WALLET_ID, GET(FB_ACCOUNT_ID));
  logsrc_event_set_span(ev, LOGSRC_CRYPTO_COUNTERPARTY, GET(FB_ADDRESS));
  logsrc_event_copy(ev, LOGSRC_CRYPTO_ACCOUNT, LOGSRC_CRYPTO_WALLET_ID);
}
