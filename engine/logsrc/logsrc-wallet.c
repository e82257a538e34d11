/* logsrc-wallet.c: hot-wallet, withdrawal-signing and MPC/HSM signing
 * services that log logfmt-style key=value lines:
 *
 *   ts=2025-03-14T09:12:46Z level=info service=signer event=sign_request account=acct-1001 wallet=hw-eth-01 ...
 *
 * There is no standard for them; the reader knows the keys below (of the
 * keys of a field a line has, the one listed last wins).  A line is an
 * event when it starts with a key and has an event, action or op key; other
 * key=value lines (iptables' IN=..., audit's type=...) are left alone.  An
 * event without a wallet or account key is malformed; one that moves funds
 * (sign, withdraw, send, transfer, broadcast) without a numeric amount has
 * no amount.
 */
#include "logsrc-sources.h"
#include "logsrc-kv.h"

enum { W_OP, W_ACTION, W_EVENT, W_WALLET, W_WALLET_ID, W_VAULT, W_ACCOUNT, W_ACCOUNT_ID, W_CUSTOMER, W_KEYS };

static const gchar *const w_keys[W_KEYS] =
{
  "op", "action", "event", "wallet", "wallet_id", "vault", "account", "account_id", "customer",
};

static const LogsrcRenameSpec w_fields[] =
{
  { "op", LOGSRC_EVENT_ACTION },
  { "action", LOGSRC_EVENT_ACTION },
  { "event", LOGSRC_EVENT_ACTION },
  { "customer", LOGSRC_CRYPTO_ACCOUNT },
  { "account_id", LOGSRC_CRYPTO_ACCOUNT },
  { "account", LOGSRC_CRYPTO_ACCOUNT },
  { "user", LOGSRC_USER_NAME },
  { "vault", LOGSRC_CRYPTO_WALLET_ID },
  { "wallet_id", LOGSRC_CRYPTO_WALLET_ID },
  { "wallet", LOGSRC_CRYPTO_WALLET_ID },
  { "source_address", LOGSRC_CRYPTO_ADDRESS },
  { "from_address", LOGSRC_CRYPTO_ADDRESS },
  { "from", LOGSRC_CRYPTO_ADDRESS },
  { "address", LOGSRC_CRYPTO_COUNTERPARTY },
  { "destination", LOGSRC_CRYPTO_COUNTERPARTY },
  { "to_address", LOGSRC_CRYPTO_COUNTERPARTY },
  { "to", LOGSRC_CRYPTO_COUNTERPARTY },
  { "value", LOGSRC_CRYPTO_AMOUNT },
  { "amount", LOGSRC_CRYPTO_AMOUNT },
  { "currency", LOGSRC_CRYPTO_ASSET },
  { "coin", LOGSRC_CRYPTO_ASSET },
  { "asset", LOGSRC_CRYPTO_ASSET },
  { "network", LOGSRC_CRYPTO_CHAIN },
  { "chain", LOGSRC_CRYPTO_CHAIN },
  { "hash", LOGSRC_CRYPTO_TXID },
  { "tx_hash", LOGSRC_CRYPTO_TXID },
  { "txid", LOGSRC_CRYPTO_TXID },
  { "remote_addr", LOGSRC_SOURCE_ADDRESS },
  { "ip", LOGSRC_SOURCE_ADDRESS },
  { "client_ip", LOGSRC_SOURCE_ADDRESS },
  { "src_ip", LOGSRC_SOURCE_ADDRESS },
};

void
logsrc_wallet_setup(LogsrcWallet *self)
{
  self->keys = logsrc_keys_new();
  logsrc_slots_add(&self->slots, self->keys, w_keys, W_KEYS);
  logsrc_program_compile(&self->slots.program, self->keys, w_fields, G_N_ELEMENTS(w_fields), NULL);
}

void
logsrc_wallet_clear(LogsrcWallet *self)
{
  logsrc_program_clear(&self->slots.program);
  logsrc_keys_free(self->keys);
  self->keys = NULL;
}

/* " event=", " action=" or " op=" (or at the start) */
static gboolean
_names_an_event(const gchar *line, gsize len)
{
  const gchar *end = line + len;

  for (const gchar *eq = memchr(line, '=', len); eq; eq = memchr(eq + 1, '=', end - eq - 1))
    {
      const gchar *word;
      gsize n;
      /* the byte before the '=' rules out all but one word */
      switch (eq > line ? eq[-1] : 0)
        {
        case 't': word = "event"; n = 5; break;
        case 'n': word = "action"; n = 6; break;
        case 'p': word = "op"; n = 2; break;
        default: continue;
        }
      const gchar *w = eq - n;
      if (w >= line && memcmp(w, word, n) == 0 && (w == line || w[-1] == ' '))
        return TRUE;
    }
  return FALSE;
}

gboolean
logsrc_wallet_is_event_line(const gchar *line, gsize len)
{
  if (!len || !(g_ascii_isalpha(line[0]) || line[0] == '_'))
    return FALSE;
  gsize i = 1;
  while (i < len && logsrc_kv_is_key_char(line[i]))
    i++;
  return i < len && line[i] == '=' && _names_an_event(line, len);
}

static gboolean
_moves_funds(LogsrcSpan action)
{
  static const gchar *const verbs[] = { "sign", "withdraw", "send", "transfer", "broadcast" };
  for (guint i = 0; i < G_N_ELEMENTS(verbs); i++)
    if (logsrc_span_contains_ci(action, verbs[i]))
      return TRUE;
  return FALSE;
}

void
logsrc_wallet_read(const LogsrcWallet *self, const gchar *line, gsize len, LogsrcScratch *scratch, LogsrcEvent *ev)
{
  if (!logsrc_wallet_is_event_line(line, len))
    return;

  LogsrcDoc doc;
  logsrc_doc_reset(&doc);
  logsrc_kv_fill(self->keys, line, len, scratch, &doc);
  const LogsrcSlots *s = &self->slots;
  if (!logsrc_slot_has(s, &doc, W_EVENT) && !logsrc_slot_has(s, &doc, W_ACTION) && !logsrc_slot_has(s, &doc, W_OP))
    return;
  gboolean owned = FALSE;
  for (guint k = W_WALLET; k <= W_CUSTOMER; k++)
    owned |= logsrc_slot_has(s, &doc, k);
  if (!owned)
    {
      logsrc_event_unparsed(ev, LOGSRC_WALLET);
      return;
    }

  logsrc_event_parsed(ev, LOGSRC_WALLET);
  logsrc_event_set_str(ev, LOGSRC_SERVICE_TYPE, "wallet");
  logsrc_program_run(&s->program, &doc, ev);
  logsrc_event_fallback(ev, LOGSRC_CRYPTO_ACCOUNT, LOGSRC_CRYPTO_WALLET_ID);
  logsrc_event_endpoint(ev, LOGSRC_SOURCE_ADDRESS);
  logsrc_event_amount(ev, _moves_funds(ev->value[LOGSRC_EVENT_ACTION]));
}
