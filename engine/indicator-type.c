/* indicator-type.c: names and key classes of the indicator types. */
#include "indicator-type.h"
#include <string.h>

typedef struct
{
  const gchar *name;
  DiKeyClass key_class;
} DiTypeInfo;

static const DiTypeInfo type_info[DI_TYPE_MAX] =
{
  [DI_TYPE_NONE]   = { "",       DI_KEY_NONE },
  [DI_TYPE_IPV4]   = { "ipv4",   DI_KEY_IPV4 },
  [DI_TYPE_IPV6]   = { "ipv6",   DI_KEY_IPV6 },
  [DI_TYPE_CIDR]   = { "cidr",   DI_KEY_CIDR4 },   /* or CIDR6: the key says which */
  [DI_TYPE_DOMAIN] = { "domain", DI_KEY_DOMAIN },
  [DI_TYPE_URL]    = { "url",    DI_KEY_URL },
  [DI_TYPE_EMAIL]  = { "email",  DI_KEY_EMAIL },
  [DI_TYPE_MD5]    = { "md5",    DI_KEY_HASH },
  [DI_TYPE_SHA1]   = { "sha1",   DI_KEY_HASH },
  [DI_TYPE_SHA256] = { "sha256", DI_KEY_HASH },
  [DI_TYPE_BTC]    = { "btc",    DI_KEY_WALLET },
  [DI_TYPE_ETH]    = { "eth",    DI_KEY_EVM },
  [DI_TYPE_TRX]    = { "trx",    DI_KEY_WALLET },
  [DI_TYPE_LTC]    = { "ltc",    DI_KEY_WALLET },
  [DI_TYPE_BCH]    = { "bch",    DI_KEY_WALLET },
  [DI_TYPE_XRP]    = { "xrp",    DI_KEY_WALLET },
  [DI_TYPE_XMR]    = { "xmr",    DI_KEY_WALLET },
  [DI_TYPE_DASH]   = { "dash",   DI_KEY_WALLET },
  [DI_TYPE_ZEC]    = { "zec",    DI_KEY_WALLET },
  [DI_TYPE_DOGE]   = { "doge",   DI_KEY_WALLET },
  [DI_TYPE_BSV]    = { "bsv",    DI_KEY_WALLET },
  [DI_TYPE_BTG]    = { "btg",    DI_KEY_WALLET },
  [DI_TYPE_XVG]    = { "xvg",    DI_KEY_WALLET },
  [DI_TYPE_SOL]    = { "sol",    DI_KEY_WALLET },
  [DI_TYPE_BNB]    = { "bnb",    DI_KEY_WALLET },
};

/* Spellings feeds use for our types: OFAC asset codes, STIX object names. */
static const struct
{
  const gchar *alias;
  DiType type;
} type_aliases[] =
{
  { "ip", DI_TYPE_IPV4 }, { "ipv4-addr", DI_TYPE_IPV4 }, { "ip-dst", DI_TYPE_IPV4 }, { "ip-src", DI_TYPE_IPV4 },
  { "ipv6-addr", DI_TYPE_IPV6 }, { "domain-name", DI_TYPE_DOMAIN }, { "hostname", DI_TYPE_DOMAIN },
  { "email-addr", DI_TYPE_EMAIL }, { "sha-256", DI_TYPE_SHA256 }, { "sha-1", DI_TYPE_SHA1 },
  { "xbt", DI_TYPE_BTC }, { "bitcoin", DI_TYPE_BTC }, { "ethereum", DI_TYPE_ETH }, { "evm", DI_TYPE_ETH },
  { "etc", DI_TYPE_ETH }, { "arb", DI_TYPE_ETH }, { "bsc", DI_TYPE_ETH }, { "usdc", DI_TYPE_ETH },
  { "tron", DI_TYPE_TRX }, { "litecoin", DI_TYPE_LTC }, { "monero", DI_TYPE_XMR }, { "zcash", DI_TYPE_ZEC },
  { "dogecoin", DI_TYPE_DOGE }, { "ripple", DI_TYPE_XRP }, { "solana", DI_TYPE_SOL },
};

const gchar *
di_type_name(DiType type)
{
  return (type > DI_TYPE_NONE && type < DI_TYPE_MAX) ? type_info[type].name : "unknown";
}

DiType
di_type_from_name(const gchar *name)
{
  if (!name || !*name)
    return DI_TYPE_NONE;
  for (gint t = DI_TYPE_NONE + 1; t < DI_TYPE_MAX; t++)
    if (g_ascii_strcasecmp(name, type_info[t].name) == 0)
      return t;
  for (gsize i = 0; i < G_N_ELEMENTS(type_aliases); i++)
    if (g_ascii_strcasecmp(name, type_aliases[i].alias) == 0)
      return type_aliases[i].type;
  return DI_TYPE_NONE;
}

DiKeyClass
di_type_key_class(DiType type)
{
  return (type >= DI_TYPE_NONE && type < DI_TYPE_MAX) ? type_info[type].key_class : DI_KEY_NONE;
}

gboolean
di_type_is_wallet(DiType type)
{
  return type >= DI_TYPE_BTC && type < DI_TYPE_MAX;
}
