/* logsrc.c: the names of the log sources, of the fields of the scheme and of
 * the *-key() options (see logsrc.h).
 */
#include "logsrc.h"

#include <string.h>

static const gchar *const source_names[] =
{
  [LOGSRC_EXCHANGE] = "exchange",
  [LOGSRC_ACCESSLOG] = "accesslog",
  [LOGSRC_CLOUDTRAIL] = "cloudtrail",
  [LOGSRC_FIREBLOCKS] = "fireblocks",
  [LOGSRC_BITGO] = "bitgo",
  [LOGSRC_BITCOIND] = "bitcoind",
  [LOGSRC_GETH] = "geth",
  [LOGSRC_WALLET] = "wallet",
  [LOGSRC_AUTO] = "auto",
};

static const gchar *const field_names[LOGSRC_FIELD_COUNT] =
{
  [LOGSRC_SERVICE_TYPE] = "service.type",
  [LOGSRC_EVENT_ACTION] = "event.action",
  [LOGSRC_EVENT_ID] = "event.id",
  [LOGSRC_EVENT_OUTCOME] = "event.outcome",
  [LOGSRC_EVENT_PROVIDER] = "event.provider",
  [LOGSRC_ERROR_CODE] = "error.code",
  [LOGSRC_LOG_LEVEL] = "log.level",
  [LOGSRC_SOURCE_ADDRESS] = "source.address",
  [LOGSRC_SOURCE_IP] = "source.ip",
  [LOGSRC_SOURCE_PORT] = "source.port",
  [LOGSRC_DESTINATION_ADDRESS] = "destination.address",
  [LOGSRC_DESTINATION_IP] = "destination.ip",
  [LOGSRC_DESTINATION_PORT] = "destination.port",
  [LOGSRC_USER_ID] = "user.id",
  [LOGSRC_USER_NAME] = "user.name",
  [LOGSRC_USER_EMAIL] = "user.email",
  [LOGSRC_USER_AGENT] = "user_agent.original",
  [LOGSRC_URL_ORIGINAL] = "url.original",
  [LOGSRC_URL_PATH] = "url.path",
  [LOGSRC_URL_QUERY] = "url.query",
  [LOGSRC_URL_DOMAIN] = "url.domain",
  [LOGSRC_HTTP_METHOD] = "http.request.method",
  [LOGSRC_HTTP_REFERRER] = "http.request.referrer",
  [LOGSRC_HTTP_STATUS] = "http.response.status_code",
  [LOGSRC_HTTP_BYTES] = "http.response.body.bytes",
  [LOGSRC_HTTP_VERSION] = "http.version",
  [LOGSRC_CLOUD_PROVIDER] = "cloud.provider",
  [LOGSRC_CLOUD_REGION] = "cloud.region",
  [LOGSRC_CLOUD_ACCOUNT_ID] = "cloud.account.id",
  [LOGSRC_CRYPTO_ACCOUNT] = "crypto.account",
  [LOGSRC_CRYPTO_ADDRESS] = "crypto.address",
  [LOGSRC_CRYPTO_COUNTERPARTY] = "crypto.counterparty.address",
  [LOGSRC_CRYPTO_AMOUNT] = "crypto.amount",
  [LOGSRC_CRYPTO_ASSET] = "crypto.asset",
  [LOGSRC_CRYPTO_CHAIN] = "crypto.chain",
  [LOGSRC_CRYPTO_TXID] = "crypto.transaction.id",
  [LOGSRC_CRYPTO_WALLET_ID] = "crypto.wallet.id",
};

static const gchar *const key_option_names[LOGSRC_KEY_COUNT] =
{
  [LOGSRC_KEY_ACTION] = "action-key",
  [LOGSRC_KEY_ACCOUNT] = "account-key",
  [LOGSRC_KEY_USER] = "user-key",
  [LOGSRC_KEY_ADDRESS] = "address-key",
  [LOGSRC_KEY_COUNTERPARTY] = "counterparty-key",
  [LOGSRC_KEY_AMOUNT] = "amount-key",
  [LOGSRC_KEY_ASSET] = "asset-key",
  [LOGSRC_KEY_CHAIN] = "chain-key",
  [LOGSRC_KEY_TXID] = "txid-key",
  [LOGSRC_KEY_WALLET] = "wallet-key",
  [LOGSRC_KEY_IP] = "ip-key",
};

G_STATIC_ASSERT(LOGSRC_FIELD_COUNT <= 64);

const gchar *
logsrc_source_name(LogsrcSource source)
{
  return source <= LOGSRC_AUTO ? source_names[source] : "?";
}

gboolean
logsrc_source_by_name(const gchar *name, LogsrcSource *source)
{
  for (gint i = 0; i <= LOGSRC_AUTO; i++)
    if (strcmp(name, source_names[i]) == 0)
      {
        *source = i;
        return TRUE;
      }
  return FALSE;
}

const gchar *
logsrc_field_name(LogsrcField field)
{
  return field < LOGSRC_FIELD_COUNT ? field_names[field] : "?";
}

const gchar *
logsrc_key_option_name(LogsrcKeyOption option)
{
  return option < LOGSRC_KEY_COUNT ? key_option_names[option] : "?";
}

/* "account-key", "account_key" */
gboolean
logsrc_key_option_by_name(const gchar *name, LogsrcKeyOption *option)
{
  for (gint i = 0; i < LOGSRC_KEY_COUNT; i++)
    {
      const gchar *want = key_option_names[i];
      gsize j = 0;
      while (want[j] && name[j] && (name[j] == want[j] || (name[j] == '_' && want[j] == '-')))
        j++;
      if (!want[j] && !name[j])
        {
          *option = i;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
logsrc_source_tags_no_amount(LogsrcSource source)
{
  switch (source)
    {
    case LOGSRC_EXCHANGE:
    case LOGSRC_FIREBLOCKS:
    case LOGSRC_BITGO:
    case LOGSRC_GETH:
    case LOGSRC_WALLET:
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
logsrc_source_covers(LogsrcSource source, LogsrcSource other)
{
  return source == LOGSRC_AUTO || source == other;
}

