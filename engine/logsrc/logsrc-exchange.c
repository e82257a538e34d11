/* logsrc-exchange.c: exchange application events in JSON (withdrawal and
 * deposit requests, address-book changes, logins, API keys).
 *
 * There is no standard for them: the reader knows the key names such
 * services commonly use, and each *-key() option names one more key, which
 * wins over the built-in ones.  The lists below are in the order syslog-ng's
 * SCL renamed them in (docs/log-sources.md lists them the same way): of the
 * keys of a field the event has, the one listed last wins, and a key taken
 * by an earlier list (an option naming a built-in key) is not taken again.
 * An event is an object with an action key.
 */
#include "logsrc-sources.h"

#define OPT(k) options ? options[LOGSRC_KEY_ ## k] : NULL

void
logsrc_exchange_setup(LogsrcExchange *self, LogsrcKeys *keys, const gchar *const *options)
{
  const LogsrcRenameSpec top[] =
  {
    { "type", LOGSRC_EVENT_ACTION },
    { "event_type", LOGSRC_EVENT_ACTION },
    { "action", LOGSRC_EVENT_ACTION },
    { "event", LOGSRC_EVENT_ACTION },
    { OPT(ACTION), LOGSRC_EVENT_ACTION },
    { "customer_id", LOGSRC_USER_ID },
    { "uid", LOGSRC_USER_ID },
    { "user_id", LOGSRC_USER_ID },
    { OPT(USER), LOGSRC_USER_ID },
    { "account", LOGSRC_CRYPTO_ACCOUNT },
    { "account_id", LOGSRC_CRYPTO_ACCOUNT },
    { OPT(ACCOUNT), LOGSRC_CRYPTO_ACCOUNT },
    { "login", LOGSRC_USER_NAME },
    { "user_name", LOGSRC_USER_NAME },
    { "username", LOGSRC_USER_NAME },
    { "email", LOGSRC_USER_EMAIL },
    { "ua", LOGSRC_USER_AGENT },
    { "user_agent", LOGSRC_USER_AGENT },
    { "ip_address", LOGSRC_SOURCE_ADDRESS },
    { "remote_ip", LOGSRC_SOURCE_ADDRESS },
    { "src_ip", LOGSRC_SOURCE_ADDRESS },
    { "source_ip", LOGSRC_SOURCE_ADDRESS },
    { "client_ip", LOGSRC_SOURCE_ADDRESS },
    { "ip", LOGSRC_SOURCE_ADDRESS },
    { OPT(IP), LOGSRC_SOURCE_ADDRESS },
    { "qty", LOGSRC_CRYPTO_AMOUNT },
    { "quantity", LOGSRC_CRYPTO_AMOUNT },
    { "value", LOGSRC_CRYPTO_AMOUNT },
    { "amount", LOGSRC_CRYPTO_AMOUNT },
    { OPT(AMOUNT), LOGSRC_CRYPTO_AMOUNT },
    { "ccy", LOGSRC_CRYPTO_ASSET },
    { "currency", LOGSRC_CRYPTO_ASSET },
    { "coin", LOGSRC_CRYPTO_ASSET },
    { "asset", LOGSRC_CRYPTO_ASSET },
    { OPT(ASSET), LOGSRC_CRYPTO_ASSET },
    { "blockchain", LOGSRC_CRYPTO_CHAIN },
    { "chain", LOGSRC_CRYPTO_CHAIN },
    { "network", LOGSRC_CRYPTO_CHAIN },
    { OPT(CHAIN), LOGSRC_CRYPTO_CHAIN },
    { "transaction_hash", LOGSRC_CRYPTO_TXID },
    { "hash", LOGSRC_CRYPTO_TXID },
    { "tx_hash", LOGSRC_CRYPTO_TXID },
    { "tx_id", LOGSRC_CRYPTO_TXID },
    { "txid", LOGSRC_CRYPTO_TXID },
    { OPT(TXID), LOGSRC_CRYPTO_TXID },
    { "vault_id", LOGSRC_CRYPTO_WALLET_ID },
    { "wallet", LOGSRC_CRYPTO_WALLET_ID },
    { "wallet_id", LOGSRC_CRYPTO_WALLET_ID },
    { OPT(WALLET), LOGSRC_CRYPTO_WALLET_ID },
  };
  /* a deposit's own address is the deposit address, its counterparty the sender */
  const LogsrcRenameSpec deposit[] =
  {
    { "sender", LOGSRC_CRYPTO_COUNTERPARTY },
    { "source_address", LOGSRC_CRYPTO_COUNTERPARTY },
    { "from_address", LOGSRC_CRYPTO_COUNTERPARTY },
    { OPT(COUNTERPARTY), LOGSRC_CRYPTO_COUNTERPARTY },
    { "address", LOGSRC_CRYPTO_ADDRESS },
    { "to_address", LOGSRC_CRYPTO_ADDRESS },
    { "deposit_address", LOGSRC_CRYPTO_ADDRESS },
    { OPT(ADDRESS), LOGSRC_CRYPTO_ADDRESS },
  };
  /* everything else (withdrawals, address-book entries) names where funds go */
  const LogsrcRenameSpec other[] =
  {
    { "recipient", LOGSRC_CRYPTO_COUNTERPARTY },
    { "withdraw_address", LOGSRC_CRYPTO_COUNTERPARTY },
    { "destination_address", LOGSRC_CRYPTO_COUNTERPARTY },
    { "to_address", LOGSRC_CRYPTO_COUNTERPARTY },
    { "address", LOGSRC_CRYPTO_COUNTERPARTY },
    { OPT(COUNTERPARTY), LOGSRC_CRYPTO_COUNTERPARTY },
    { "source_address", LOGSRC_CRYPTO_ADDRESS },
    { "from_address", LOGSRC_CRYPTO_ADDRESS },
    { OPT(ADDRESS), LOGSRC_CRYPTO_ADDRESS },
  };

  GHashTable *taken = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  logsrc_program_compile(&self->top, keys, top, G_N_ELEMENTS(top), taken);
  GHashTable *taken_by_top = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, taken);
  while (g_hash_table_iter_next(&it, &key, NULL))
    g_hash_table_add(taken_by_top, g_strdup(key));
  logsrc_program_compile(&self->deposit, keys, deposit, G_N_ELEMENTS(deposit), taken);
  logsrc_program_compile(&self->other, keys, other, G_N_ELEMENTS(other), taken_by_top);
  g_hash_table_destroy(taken);
  g_hash_table_destroy(taken_by_top);

  /* the action keys: an object is an event when one of them is set */
  self->n_action = 0;
  for (guint i = 0; i < self->top.n; i++)
    if (self->top.op[i].field == LOGSRC_EVENT_ACTION && self->n_action < G_N_ELEMENTS(self->action))
      self->action[self->n_action++] = self->top.op[i].slot;
}

void
logsrc_exchange_clear(LogsrcExchange *self)
{
  logsrc_program_clear(&self->top);
  logsrc_program_clear(&self->deposit);
  logsrc_program_clear(&self->other);
}

gboolean
logsrc_exchange_is_event(const LogsrcExchange *self, const LogsrcDoc *doc)
{
  for (guint i = 0; i < self->n_action; i++)
    if (logsrc_doc_has(doc, self->action[i]))
      return TRUE;
  return FALSE;
}

static gboolean
_moves_funds(LogsrcSpan action)
{
  return logsrc_span_contains_ci(action, "withdraw") || logsrc_span_contains_ci(action, "deposit")
         || logsrc_span_contains_ci(action, "transfer") || logsrc_span_contains_ci(action, "payout");
}

void
logsrc_exchange_map(const LogsrcExchange *self, const LogsrcDoc *doc, LogsrcEvent *ev)
{
  logsrc_event_parsed(ev, LOGSRC_EXCHANGE);
  logsrc_event_set_str(ev, LOGSRC_SERVICE_TYPE, "exchange");
  logsrc_program_run(&self->top, doc, ev);
  /* the account is the user when the event names no account of its own */
  logsrc_event_fallback(ev, LOGSRC_CRYPTO_ACCOUNT, LOGSRC_USER_ID);

  LogsrcSpan action = logsrc_event_has(ev, LOGSRC_EVENT_ACTION) ? ev->value[LOGSRC_EVENT_ACTION]
                      : (LogsrcSpan) { "", 0 };
  if (logsrc_span_contains_ci(action, "deposit"))
    logsrc_program_run(&self->deposit, doc, ev);
  else
    logsrc_program_run(&self->other, doc, ev);

  logsrc_event_endpoint(ev, LOGSRC_SOURCE_ADDRESS);
  logsrc_event_amount(ev, _moves_funds(action));
}
