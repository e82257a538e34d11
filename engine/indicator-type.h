/* indicator-type.h: the indicator types of INTERFACE §2 and the key class each
 * one is stored under.
 *
 * A type is what users see (`btc`, `eth`, `domain`); a key class is how the
 * snapshot compares values.  Several types share a class so that, for example,
 * a feed row typed `bsv` matches a token the scanner typed `btc`: both are
 * case-sensitive wallet text, and the entry keeps the type its feed gave it.
 */
#ifndef DI_INDICATOR_TYPE_H
#define DI_INDICATOR_TYPE_H

#include <glib.h>

typedef enum
{
  DI_TYPE_NONE = 0,
  DI_TYPE_IPV4,
  DI_TYPE_IPV6,
  DI_TYPE_CIDR,
  DI_TYPE_DOMAIN,
  DI_TYPE_URL,
  DI_TYPE_EMAIL,
  DI_TYPE_MD5,
  DI_TYPE_SHA1,
  DI_TYPE_SHA256,
  DI_TYPE_BTC,
  DI_TYPE_ETH,
  DI_TYPE_TRX,
  DI_TYPE_LTC,
  DI_TYPE_BCH,
  DI_TYPE_XRP,
  DI_TYPE_XMR,
  DI_TYPE_DASH,
  DI_TYPE_ZEC,
  DI_TYPE_DOGE,
  DI_TYPE_BSV,
  DI_TYPE_BTG,
  DI_TYPE_XVG,
  DI_TYPE_SOL,
  DI_TYPE_BNB,      /* BNB Beacon Chain: bech32 "bnb1...", 20-byte account */
  DI_TYPE_MAX
} DiType;

/* A set of types, one bit each: a token may be valid for several chains. */
typedef guint32 DiTypeMask;
#define DI_TYPE_BIT(t) ((DiTypeMask) 1u << (t))

typedef enum
{
  DI_KEY_NONE = 0,
  DI_KEY_IPV4,      /* 4 address bytes */
  DI_KEY_IPV6,      /* 16 address bytes */
  DI_KEY_CIDR4,     /* prefix length byte + 4 masked address bytes */
  DI_KEY_CIDR6,     /* prefix length byte + 16 masked address bytes */
  DI_KEY_DOMAIN,    /* lower-case text, no trailing dot */
  DI_KEY_URL,       /* normalised URL text */
  DI_KEY_EMAIL,     /* lower-case text */
  DI_KEY_HASH,      /* raw digest bytes: 16, 20 or 32 */
  DI_KEY_EVM,       /* 20 address bytes */
  DI_KEY_WALLET,    /* case-sensitive address text (bech32 lower-cased) */
  DI_KEY_CLASS_MAX
} DiKeyClass;

const gchar *di_type_name(DiType type);
/* Accepts the names of INTERFACE §2 and common synonyms (`xbt`, `ipv4-addr`, ...). */
DiType di_type_from_name(const gchar *name);
DiKeyClass di_type_key_class(DiType type);
gboolean di_type_is_wallet(DiType type);

#endif
