/* wallet.c: the per-chain address rules, as one table of base58check
 * versions plus the formats with their own encodings (segwit bech32,
 * CashAddr, Monero, EVM).
 *
 * A token valid for several chains gets every chain's bit: version 0x1e is
 * both Dogecoin and Verge, and 0x05 is Bitcoin P2SH and Litecoin's old P2SH.
 * Bitcoin Cash and Bitcoin SV legacy addresses share Bitcoin's versions 0x00
 * and 0x05 and are reported as btc only: nothing in the text tells them
 * apart, and the snapshot compares every wallet type by value, so a feed row
 * typed bch or bsv still matches a token typed btc.  Bitcoin Cash is reported
 * as bch when written as CashAddr. */
#include "chains/wallet.h"
#include "ascii.h"
#include "chains/base58.h"
#include "chains/bech32.h"
#include "chains/keccak.h"
#include <string.h>

#define BIT(t) DI_TYPE_BIT(DI_TYPE_##t)

typedef struct
{
  guint8 version_len;
  guint8 version[2];
  DiTypeMask types;
} DiBase58Version;

/* base58check versions of 20-byte hashes, Bitcoin alphabet */
static const DiBase58Version base58_versions[] =
{
  { 1, { 0x00 }, BIT(BTC) },              /* 1... P2PKH */
  { 1, { 0x05 }, BIT(BTC) | BIT(LTC) },   /* 3... P2SH; Litecoin's P2SH before 0x32 */
  { 1, { 0x30 }, BIT(LTC) },              /* L... */
  { 1, { 0x32 }, BIT(LTC) },              /* M... */
  { 1, { 0x41 }, BIT(TRX) },              /* T... */
  { 1, { 0x4c }, BIT(DASH) },             /* X... */
  { 1, { 0x10 }, BIT(DASH) },             /* 7... P2SH */
  { 1, { 0x1e }, BIT(DOGE) | BIT(XVG) },  /* D... */
  { 1, { 0x16 }, BIT(DOGE) },             /* 9... or A... P2SH */
  { 1, { 0x26 }, BIT(BTG) },              /* G... */
  { 1, { 0x17 }, BIT(BTG) },              /* A... P2SH */
  { 2, { 0x1c, 0xb8 }, BIT(ZEC) },        /* t1... */
  { 2, { 0x1c, 0xbd }, BIT(ZEC) },        /* t3... */
};

static const struct
{
  const gchar *hrp;
  DiTypeMask types;
} segwit_hrps[] =
{
  { "bc", BIT(BTC) },
  { "ltc", BIT(LTC) },
};

/* Monero: standard 18, integrated 19 (with an 8-byte payment id), subaddress 42 */
static const struct
{
  guint8 version;
  gsize bytes;       /* decoded length, checksum included */
} monero_versions[] =
{
  { 18, 69 },
  { 42, 69 },
  { 19, 77 },
};

static gboolean
_set_text(DiKey *key, const gchar *text, gsize len, gboolean lower)
{
  if (!di_key_set_text(key, DI_KEY_WALLET, text, len))
    return FALSE;
  if (lower)
    for (gsize i = 0; i < len; i++)
      key->bytes[i] = di_ascii_lower(key->bytes[i]);
  return TRUE;
}

static DiTypeMask
_base58check(const gchar *text, gsize len, DiKey *key)
{
  guint8 payload[DI_BASE58_MAX_BYTES];
  DI_WORK(DI_WORK_CHECKSUM, 1);
  gssize n = di_base58check_decode(DI_BASE58_BITCOIN, text, len, payload, sizeof(payload));
  DiTypeMask types = 0;

  for (gsize i = 0; n > 0 && i < G_N_ELEMENTS(base58_versions); i++)
    {
      const DiBase58Version *v = &base58_versions[i];
      if (n == v->version_len + 20 && memcmp(payload, v->version, v->version_len) == 0)
        types |= v->types;
    }

  /* Ripple: version 0x00 in its own alphabet, where 'r' is the zero digit */
  if (text[0] == 'r')
    {
      DI_WORK(DI_WORK_CHECKSUM, 1);
      if (di_base58check_decode(DI_BASE58_RIPPLE, text, len, payload, sizeof(payload)) == 21 && payload[0] == 0)
        types |= BIT(XRP);
    }

  if (types)
    _set_text(key, text, len, FALSE);
  return types;
}

static DiTypeMask
_monero(const gchar *text, gsize len, DiKey *key)
{
  guint8 raw[80];
  DI_WORK(DI_WORK_CHECKSUM, 1);
  gssize n = di_base58_monero_decode(text, len, raw, sizeof(raw));
  if (n < 0)
    return 0;
  for (gsize i = 0; i < G_N_ELEMENTS(monero_versions); i++)
    if (raw[0] == monero_versions[i].version && (gsize) n == monero_versions[i].bytes)
      {
        guint8 hash[DI_KECCAK256_LEN];
        di_keccak256(raw, n - 4, hash);
        if (memcmp(hash, raw + n - 4, 4) != 0)
          return 0;
        _set_text(key, text, len, FALSE);
        return BIT(XMR);
      }
  return 0;
}

/* Whether text starts with prefix, its letters in either case (inline: the
 * scanner asks this of every word of an address's shape). */
static inline gboolean
_has_prefix_nocase(const gchar *text, gsize len, const gchar *prefix)
{
  gsize i = 0;
  for (; prefix[i]; i++)
    {
      gchar p = prefix[i], c = text[i];
      if (i >= len || (p >= 'a' && p <= 'z' ? (c | 0x20) != p : c != p))
        return FALSE;
    }
  return len > i;
}

/* Decoded once, with the HRP its prefix names ("bc1..." is never tried as
 * "ltc"). */
static DiTypeMask
_segwit(const gchar *text, gsize len, DiKey *key)
{
  guint8 program[40];
  gsize program_len;
  guint version;
  for (gsize i = 0; i < G_N_ELEMENTS(segwit_hrps); i++)
    {
      gsize n = strlen(segwit_hrps[i].hrp);
      if (_has_prefix_nocase(text, len, segwit_hrps[i].hrp) && text[n] == '1')
        {
          DI_WORK(DI_WORK_CHECKSUM, 1);
          if (!di_segwit_decode(text, len, segwit_hrps[i].hrp, &version, program, &program_len))
            return 0;
          _set_text(key, text, len, TRUE);
          return segwit_hrps[i].types;
        }
    }
  return 0;
}

/* A BNB Beacon Chain account: bech32 (not bech32m) with the HRP "bnb" and
 * a 20-byte payload, 42 characters. */
static DiTypeMask
_bnb(const gchar *text, gsize len, DiKey *key)
{
  gchar hrp[DI_BECH32_MAX_HRP + 1];
  guint8 data[DI_BECH32_MAX_LEN], account[20];
  gsize n, account_len;
  DI_WORK(DI_WORK_CHECKSUM, 1);
  if (len != 42 || di_bech32_decode(text, len, hrp, data, &n) != DI_BECH32 || strcmp(hrp, "bnb") != 0
      || !di_bech32_to_bytes(data, n, account, sizeof(account), &account_len) || account_len != 20)
    return 0;
  _set_text(key, text, len, TRUE);
  return BIT(BNB);
}

static DiTypeMask
_cashaddr(const gchar *text, gsize len, DiKey *key)
{
  static const gsize prefix_len = sizeof(DI_CASHADDR_PREFIX ":") - 1;
  guint8 payload[DI_CASHADDR_MAX_PAYLOAD];
  gsize n;
  DI_WORK(DI_WORK_CHECKSUM, 1);
  if (!di_cashaddr_decode(text, len, payload, &n))
    return 0;

  /* stored with the prefix, so both written forms give one key */
  gboolean prefixed = len > prefix_len && text[prefix_len - 1] == ':';
  key->cls = DI_KEY_WALLET;
  key->len = 0;
  if (!prefixed)
    {
      memcpy(key->bytes, DI_CASHADDR_PREFIX ":", prefix_len);
      key->len = prefix_len;
    }
  for (gsize i = 0; i < len; i++)
    key->bytes[key->len++] = di_ascii_lower(text[i]);
  return BIT(BCH);
}

/* Hex digit values, 0xff for any other byte; bit 0x10 marks a letter a-f,
 * 0x20 a letter A-F: a table lookup per digit, no branch to mispredict on
 * random hex. */
#define HEX_ROW(b) HEXV((b) + 0), HEXV((b) + 1), HEXV((b) + 2), HEXV((b) + 3), HEXV((b) + 4), HEXV((b) + 5), \
                   HEXV((b) + 6), HEXV((b) + 7), HEXV((b) + 8), HEXV((b) + 9), HEXV((b) + 10), HEXV((b) + 11), \
                   HEXV((b) + 12), HEXV((b) + 13), HEXV((b) + 14), HEXV((b) + 15)
#define HEXV(c) ((c) >= '0' && (c) <= '9' ? (c) - '0' : (c) >= 'a' && (c) <= 'f' ? 0x10 | ((c) - 'a' + 10) \
                 : (c) >= 'A' && (c) <= 'F' ? 0x20 | ((c) - 'A' + 10) : 0xff)
static const guint8 hex_value[256] =
{
  HEX_ROW(0x00), HEX_ROW(0x10), HEX_ROW(0x20), HEX_ROW(0x30), HEX_ROW(0x40), HEX_ROW(0x50), HEX_ROW(0x60),
  HEX_ROW(0x70), HEX_ROW(0x80), HEX_ROW(0x90), HEX_ROW(0xa0), HEX_ROW(0xb0), HEX_ROW(0xc0), HEX_ROW(0xd0),
  HEX_ROW(0xe0), HEX_ROW(0xf0),
};

DiEvmForm
di_evm_address_read(const gchar *text, gsize len, guint8 out[20], gboolean check)
{
  if (len != 42 || text[0] != '0' || text[1] != 'x')
    return DI_EVM_NOT_AN_ADDRESS;
  guint seen = 0, bad = 0;
  for (gsize i = 0; i < 40; i += 2)
    {
      guint hi = hex_value[(guint8) text[2 + i]], lo = hex_value[(guint8) text[3 + i]];
      seen |= hi | lo;
      bad |= (hi | lo) == 0xff;
      out[i / 2] = ((hi & 15) << 4) | (lo & 15);
    }
  if (bad)
    return DI_EVM_NOT_AN_ADDRESS;
  if ((seen & 0x30) != 0x30)
    return DI_EVM_ONE_CASE;
  if (!check)
    return DI_EVM_MIXED_CASE;

  gchar expect[43];
  di_evm_checksum_format(out, expect);
  return memcmp(expect, text, 42) == 0 ? DI_EVM_CHECKSUM_VALID : DI_EVM_CHECKSUM_INVALID;
}

gboolean
di_evm_address_parse(const gchar *text, gsize len, guint8 out[20])
{
  DiEvmForm form = di_evm_address_read(text, len, out, TRUE);
  return form == DI_EVM_ONE_CASE || form == DI_EVM_CHECKSUM_VALID;
}

void
di_evm_checksum_format(const guint8 addr[20], gchar out[43])
{
  static const gchar digits[] = "0123456789abcdef";
  guint8 hash[DI_KECCAK256_LEN];

  out[0] = '0';
  out[1] = 'x';
  for (gint i = 0; i < 20; i++)
    {
      out[2 + 2 * i] = digits[addr[i] >> 4];
      out[3 + 2 * i] = digits[addr[i] & 15];
    }
  /* EIP-55: a letter is upper case when its nibble of keccak(lower hex) is >= 8 */
  DI_WORK(DI_WORK_CHECKSUM, 1);
  di_keccak256((const guint8 *) out + 2, 40, hash);
  for (gint i = 0; i < 40; i++)
    {
      /* without a branch: random hex would mispredict half of them */
      guint nibble = (i & 1) ? hash[i / 2] & 15 : hash[i / 2] >> 4;
      out[2 + i] -= ((nibble >= 8) & (out[2 + i] >= 'a')) * ('a' - 'A');
    }
  out[42] = 0;
}

gboolean
di_wallet_is_base58_key(const gchar *text, gsize len)
{
  guint8 raw[DI_BASE58_MAX_BYTES];
  return len >= 32 && len <= 44 && di_base58_decode(DI_BASE58_BITCOIN, text, len, raw, sizeof(raw)) == 32;
}

/* P2KH and P2SH payloads start with version byte 0x00 or 0x08: 'q' or 'p' */
static inline gboolean
_is_cashaddr_start(gchar c)
{
  return c == 'q' || c == 'p' || c == 'Q' || c == 'P';
}

DiTypeMask
di_wallet_validate(const gchar *text, gsize len, DiKey *key)
{
  if (len < 14)
    return 0;

  if (len == 42 && text[0] == '0' && text[1] == 'x')
    {
      if (!di_evm_address_parse(text, len, key->bytes))
        return 0;
      key->cls = DI_KEY_EVM;
      key->len = 20;
      return BIT(ETH);
    }
  if (_has_prefix_nocase(text, len, "bc1") || _has_prefix_nocase(text, len, "ltc1"))
    return _segwit(text, len, key);
  if (_has_prefix_nocase(text, len, "bnb1"))
    return _bnb(text, len, key);
  if (_has_prefix_nocase(text, len, DI_CASHADDR_PREFIX ":") || ((len == 42 || len == 61) && _is_cashaddr_start(text[0])))
    return _cashaddr(text, len, key);
  if (len == 95 || len == 106)
    return _monero(text, len, key);
  if (len >= 25 && len <= 36)
    return _base58check(text, len, key);
  return 0;
}
