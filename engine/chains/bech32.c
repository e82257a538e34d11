/* bech32.c: the bech32/bech32m checksum (BIP-173, BIP-350), segwit address
 * rules, and CashAddr (the Bitcoin Cash address format, same alphabet,
 * 40-bit BCH code over the prefix and the payload).
 *
 * Inputs are bounded (90 characters for bech32, 112 for CashAddr), so every
 * function here runs in a fixed small time whatever the text. */
#include "chains/bech32.h"
#include "ascii.h"
#include <string.h>

#define BECH32M_CONST 0x2bc830a3u
#define CASHADDR_MAX_LEN 112

/* 5-bit value + 1 of each character (either case), 0 outside the charset
 * "qpzry9x8gf2tvdw0s3jn54khce6mua7l" */
static const guint8 charset_rev[256] =
{
  ['q'] = 1, ['p'] = 2, ['z'] = 3, ['r'] = 4, ['y'] = 5, ['9'] = 6, ['x'] = 7, ['8'] = 8,
  ['g'] = 9, ['f'] = 10, ['2'] = 11, ['t'] = 12, ['v'] = 13, ['d'] = 14, ['w'] = 15, ['0'] = 16,
  ['s'] = 17, ['3'] = 18, ['j'] = 19, ['n'] = 20, ['5'] = 21, ['4'] = 22, ['k'] = 23, ['h'] = 24,
  ['c'] = 25, ['e'] = 26, ['6'] = 27, ['m'] = 28, ['u'] = 29, ['a'] = 30, ['7'] = 31, ['l'] = 32,
  ['Q'] = 1, ['P'] = 2, ['Z'] = 3, ['R'] = 4, ['Y'] = 5, ['X'] = 7,
  ['G'] = 9, ['F'] = 10, ['T'] = 12, ['V'] = 13, ['D'] = 14, ['W'] = 15,
  ['S'] = 17, ['J'] = 19, ['N'] = 20, ['K'] = 23, ['H'] = 24,
  ['C'] = 25, ['E'] = 26, ['M'] = 28, ['U'] = 29, ['A'] = 30, ['L'] = 32,
};

/* The generator's XOR for each value of the 5 bits shifted out: entry t
 * is the XOR of gen[i] for every bit i set in t, gen being BIP-173's
 * { 0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3 }.  One load
 * per character instead of five data-dependent branches. */
static const guint32 polymod_table[32] =
{
  0x00000000, 0x3b6a57b2, 0x26508e6d, 0x1d3ad9df, 0x1ea119fa, 0x25cb4e48,
  0x38f19797, 0x039bc025, 0x3d4233dd, 0x0628646f, 0x1b12bdb0, 0x2078ea02,
  0x23e32a27, 0x18897d95, 0x05b3a44a, 0x3ed9f3f8, 0x2a1462b3, 0x117e3501,
  0x0c44ecde, 0x372ebb6c, 0x34b57b49, 0x0fdf2cfb, 0x12e5f524, 0x298fa296,
  0x1756516e, 0x2c3c06dc, 0x3106df03, 0x0a6c88b1, 0x09f74894, 0x329d1f26,
  0x2fa7c6f9, 0x14cd914b,
};

/* The same for CashAddr's 40-bit code, gen being { 0x98f2bc8e61,
 * 0x79b76d99e2, 0xf33e5fb3c4, 0xae2eabe2a8, 0x1e4f43e470 }. */
static const guint64 cashaddr_table[32] =
{
  0x0000000000ULL, 0x98f2bc8e61ULL, 0x79b76d99e2ULL, 0xe145d11783ULL,
  0xf33e5fb3c4ULL, 0x6bcce33da5ULL, 0x8a89322a26ULL, 0x127b8ea447ULL,
  0xae2eabe2a8ULL, 0x36dc176cc9ULL, 0xd799c67b4aULL, 0x4f6b7af52bULL,
  0x5d10f4516cULL, 0xc5e248df0dULL, 0x24a799c88eULL, 0xbc552546efULL,
  0x1e4f43e470ULL, 0x86bdff6a11ULL, 0x67f82e7d92ULL, 0xff0a92f3f3ULL,
  0xed711c57b4ULL, 0x7583a0d9d5ULL, 0x94c671ce56ULL, 0x0c34cd4037ULL,
  0xb061e806d8ULL, 0x28935488b9ULL, 0xc9d6859f3aULL, 0x512439115bULL,
  0x435fb7b51cULL, 0xdbad0b3b7dULL, 0x3ae8da2cfeULL, 0xa21a66a29fULL,
};

static inline guint32
_polymod_step(guint32 chk, guint8 value)
{
  return ((chk & 0x1ffffff) << 5) ^ value ^ polymod_table[chk >> 25];
}

/* Rejects mixed case; bytes outside 33..126 are invalid anywhere. */
static gboolean
_single_case(const gchar *text, gsize len)
{
  gboolean lower = FALSE, upper = FALSE;
  for (gsize i = 0; i < len; i++)
    {
      guint8 c = text[i];
      if (c < 33 || c > 126)
        return FALSE;
      lower |= g_ascii_islower(c);
      upper |= g_ascii_isupper(c);
    }
  return !(lower && upper);
}

DiBech32Encoding
di_bech32_decode(const gchar *text, gsize len, gchar *hrp, guint8 *data, gsize *data_len)
{
  if (len < 8 || len > DI_BECH32_MAX_LEN || !_single_case(text, len))
    return DI_BECH32_INVALID;

  gsize sep = len;
  while (sep > 0 && text[sep - 1] != '1')
    sep--;
  if (sep < 2 || len - sep < 6)  /* sep is one past the '1' */
    return DI_BECH32_INVALID;
  gsize hrp_len = sep - 1;
  if (hrp_len > DI_BECH32_MAX_HRP)
    return DI_BECH32_INVALID;

  guint32 chk = 1;
  for (gsize i = 0; i < hrp_len; i++)
    {
      hrp[i] = di_ascii_lower(text[i]);
      chk = _polymod_step(chk, (guint8) hrp[i] >> 5);
    }
  hrp[hrp_len] = 0;
  chk = _polymod_step(chk, 0);
  for (gsize i = 0; i < hrp_len; i++)
    chk = _polymod_step(chk, hrp[i] & 31);

  gsize n = 0;
  for (gsize i = sep; i < len; i++)
    {
      guint8 v = charset_rev[(guint8) text[i]];
      if (!v)
        return DI_BECH32_INVALID;
      chk = _polymod_step(chk, v - 1);
      data[n++] = v - 1;
    }
  *data_len = n - 6;
  if (chk == 1)
    return DI_BECH32;
  if (chk == BECH32M_CONST)
    return DI_BECH32M;
  return DI_BECH32_INVALID;
}

/* Regroups 5-bit values into bytes; leftover padding must be under 5 bits
 * and zero. */
static gboolean
_from_5bit(const guint8 *in, gsize n, guint8 *out, gsize out_max, gsize *out_len)
{
  guint32 acc = 0;
  guint bits = 0;
  gsize o = 0;
  for (gsize i = 0; i < n; i++)
    {
      acc = (acc << 5) | in[i];
      bits += 5;
      if (bits >= 8)
        {
          bits -= 8;
          if (o == out_max)
            return FALSE;
          out[o++] = (acc >> bits) & 0xff;
        }
    }
  if (bits >= 5 || (acc & ((1u << bits) - 1)))
    return FALSE;
  *out_len = o;
  return TRUE;
}

gboolean
di_bech32_to_bytes(const guint8 *data, gsize n, guint8 *out, gsize out_max, gsize *out_len)
{
  return _from_5bit(data, n, out, out_max, out_len);
}

gboolean
di_segwit_decode(const gchar *text, gsize len, const gchar *want_hrp, guint *version, guint8 *program,
                 gsize *program_len)
{
  gchar hrp[DI_BECH32_MAX_HRP + 1];
  guint8 data[DI_BECH32_MAX_LEN];
  gsize n;
  DiBech32Encoding enc = di_bech32_decode(text, len, hrp, data, &n);

  if (enc == DI_BECH32_INVALID || n < 1 || strcmp(hrp, want_hrp) != 0 || data[0] > 16)
    return FALSE;
  if ((data[0] == 0) != (enc == DI_BECH32))
    return FALSE;
  if (!_from_5bit(data + 1, n - 1, program, 40, program_len))
    return FALSE;
  if (*program_len < 2 || *program_len > 40)
    return FALSE;
  if (data[0] == 0 && *program_len != 20 && *program_len != 32)
    return FALSE;
  *version = data[0];
  return TRUE;
}

static inline guint64
_cashaddr_step(guint64 c, guint8 d)
{
  return ((c & 0x07ffffffffULL) << 5) ^ d ^ cashaddr_table[c >> 35];
}

gboolean
di_cashaddr_decode(const gchar *text, gsize len, guint8 *payload, gsize *payload_len)
{
  static const gsize prefix_len = sizeof(DI_CASHADDR_PREFIX) - 1;

  if (len > CASHADDR_MAX_LEN || !_single_case(text, len))
    return FALSE;
  if (len > prefix_len && text[prefix_len] == ':')
    {
      if (g_ascii_strncasecmp(text, DI_CASHADDR_PREFIX, prefix_len) != 0)
        return FALSE;
      text += prefix_len + 1;
      len -= prefix_len + 1;
    }
  if (len < 8 + 2)
    return FALSE;

  /* the checksum covers the low 5 bits of the prefix, a 0, then the payload */
  guint64 c = 1;
  for (gsize i = 0; i < prefix_len; i++)
    c = _cashaddr_step(c, DI_CASHADDR_PREFIX[i] & 31);
  c = _cashaddr_step(c, 0);

  guint8 values[CASHADDR_MAX_LEN];
  for (gsize i = 0; i < len; i++)
    {
      guint8 v = charset_rev[(guint8) text[i]];
      if (!v)
        return FALSE;
      values[i] = v - 1;
      c = _cashaddr_step(c, v - 1);
    }
  if ((c ^ 1) != 0)
    return FALSE;

  if (!_from_5bit(values, len - 8, payload, DI_CASHADDR_MAX_PAYLOAD, payload_len) || *payload_len < 1)
    return FALSE;
  /* version byte: reserved top bit, 4 type bits, 3 bits of hash size */
  static const guint8 hash_sizes[8] = { 20, 24, 28, 32, 40, 48, 56, 64 };
  guint8 v = payload[0];
  return !(v & 0x80) && *payload_len == 1u + hash_sizes[v & 7];
}
