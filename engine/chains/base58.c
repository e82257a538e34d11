/* base58.c: base58 decoding as a big number in 32-bit limbs, base58check,
 * and Monero's fixed-size blocks.
 *
 * The scanner calls these only on tokens whose length and characters already
 * fit an address, so the quadratic big-number decode runs on at most
 * DI_BASE58_MAX_TEXT characters. */
#include "chains/base58.h"
#include "chains/sha256.h"
#include <string.h>

static const gchar *const alphabets[] =
{
  [DI_BASE58_BITCOIN] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz",
  [DI_BASE58_RIPPLE]  = "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz",
};

/* digit value + 1 of every byte, 0 for bytes outside the alphabet */
static const guint8 digit_tables[2][256] =
{
  [DI_BASE58_BITCOIN] = {
    ['1'] = 1, ['2'] = 2, ['3'] = 3, ['4'] = 4, ['5'] = 5, ['6'] = 6, ['7'] = 7, ['8'] = 8,
    ['9'] = 9, ['A'] = 10, ['B'] = 11, ['C'] = 12, ['D'] = 13, ['E'] = 14, ['F'] = 15, ['G'] = 16,
    ['H'] = 17, ['J'] = 18, ['K'] = 19, ['L'] = 20, ['M'] = 21, ['N'] = 22, ['P'] = 23, ['Q'] = 24,
    ['R'] = 25, ['S'] = 26, ['T'] = 27, ['U'] = 28, ['V'] = 29, ['W'] = 30, ['X'] = 31, ['Y'] = 32,
    ['Z'] = 33, ['a'] = 34, ['b'] = 35, ['c'] = 36, ['d'] = 37, ['e'] = 38, ['f'] = 39, ['g'] = 40,
    ['h'] = 41, ['i'] = 42, ['j'] = 43, ['k'] = 44, ['m'] = 45, ['n'] = 46, ['o'] = 47, ['p'] = 48,
    ['q'] = 49, ['r'] = 50, ['s'] = 51, ['t'] = 52, ['u'] = 53, ['v'] = 54, ['w'] = 55, ['x'] = 56,
    ['y'] = 57, ['z'] = 58,
  },
  [DI_BASE58_RIPPLE] = {
    ['r'] = 1, ['p'] = 2, ['s'] = 3, ['h'] = 4, ['n'] = 5, ['a'] = 6, ['f'] = 7, ['3'] = 8,
    ['9'] = 9, ['w'] = 10, ['B'] = 11, ['U'] = 12, ['D'] = 13, ['N'] = 14, ['E'] = 15, ['G'] = 16,
    ['H'] = 17, ['J'] = 18, ['K'] = 19, ['L'] = 20, ['M'] = 21, ['4'] = 22, ['P'] = 23, ['Q'] = 24,
    ['R'] = 25, ['S'] = 26, ['T'] = 27, ['7'] = 28, ['V'] = 29, ['W'] = 30, ['X'] = 31, ['Y'] = 32,
    ['Z'] = 33, ['2'] = 34, ['b'] = 35, ['c'] = 36, ['d'] = 37, ['e'] = 38, ['C'] = 39, ['g'] = 40,
    ['6'] = 41, ['5'] = 42, ['j'] = 43, ['k'] = 44, ['m'] = 45, ['8'] = 46, ['o'] = 47, ['F'] = 48,
    ['q'] = 49, ['i'] = 50, ['1'] = 51, ['t'] = 52, ['u'] = 53, ['v'] = 54, ['A'] = 55, ['x'] = 56,
    ['y'] = 57, ['z'] = 58,
  },
};

static inline const guint8 *
_digits(DiBase58Alphabet alphabet)
{
  return digit_tables[alphabet];
}

gssize
di_base58_decode(DiBase58Alphabet alphabet, const gchar *text, gsize len, guint8 *out, gsize out_max)
{
  if (len > DI_BASE58_MAX_TEXT)
    return -1;

  const guint8 *digits = _digits(alphabet);
  /* limbs[0] is the least significant; 58^50 < 2^293, so 10 limbs suffice */
  guint32 limbs[10] = { 0 };
  gsize zeros = 0, used = 0;

  while (zeros < len && digits[(guint8) text[zeros]] == 1)
    zeros++;
  /* five digits at a time: 58^5 < 2^32, so one multiply per limb per five */
  for (gsize i = zeros; i < len;)
    {
      guint64 carry = 0, scale = 1;
      for (gsize k = 0; k < 5 && i < len; k++, i++)
        {
          guint32 d = digits[(guint8) text[i]];
          if (!d)
            return -1;
          carry = carry * 58 + d - 1;
          scale *= 58;
        }
      for (gsize j = 0; j < used; j++)
        {
          guint64 t = (guint64) limbs[j] * scale + carry;
          limbs[j] = (guint32) t;
          carry = t >> 32;
        }
      if (carry)
        limbs[used++] = (guint32) carry;
    }

  /* the number's bytes, most significant first, without leading zeros */
  guint8 number[40];
  gsize n = 0;
  for (gsize j = used; j-- > 0;)
    for (gint s = 24; s >= 0; s -= 8)
      {
        guint8 b = limbs[j] >> s;
        if (n || b)
          number[n++] = b;
      }
  if (zeros + n > out_max)
    return -1;
  memset(out, 0, zeros);
  memcpy(out + zeros, number, n);
  return zeros + n;
}

gssize
di_base58check_decode(DiBase58Alphabet alphabet, const gchar *text, gsize len, guint8 *out, gsize out_max)
{
  guint8 raw[DI_BASE58_MAX_BYTES];
  gssize n = di_base58_decode(alphabet, text, len, raw, sizeof(raw));
  if (n < 5 || (gsize) n - 4 > out_max)
    return -1;

  guint8 hash[DI_SHA256_LEN];
  di_sha256d(raw, n - 4, hash);
  if (memcmp(hash, raw + n - 4, 4) != 0)
    return -1;
  memcpy(out, raw, n - 4);
  return n - 4;
}

gsize
di_base58check_encode(DiBase58Alphabet alphabet, const guint8 *payload, gsize len, gchar *out)
{
  guint8 raw[DI_BASE58_MAX_BYTES + 4];
  g_assert(len <= DI_BASE58_MAX_BYTES);
  memcpy(raw, payload, len);
  guint8 hash[DI_SHA256_LEN];
  di_sha256d(payload, len, hash);
  memcpy(raw + len, hash, 4);
  len += 4;

  /* repeated division by 58 of the byte string, digits collected backwards */
  guint8 digits[2 * (DI_BASE58_MAX_BYTES + 4)];
  gsize nd = 0, zeros = 0;
  while (zeros < len && raw[zeros] == 0)
    zeros++;
  for (gsize start = zeros; start < len;)
    {
      guint rem = 0;
      for (gsize i = start; i < len; i++)
        {
          guint v = (rem << 8) | raw[i];
          raw[i] = v / 58;
          rem = v % 58;
        }
      digits[nd++] = rem;
      while (start < len && raw[start] == 0)
        start++;
    }

  const gchar *alpha = alphabets[alphabet];
  gsize o = 0;
  for (gsize i = 0; i < zeros; i++)
    out[o++] = alpha[0];
  while (nd)
    out[o++] = alpha[digits[--nd]];
  out[o] = 0;
  return o;
}

/* Monero encodes 8-byte blocks as 11 characters; a shorter last block of k
 * bytes takes block_chars[k] characters. */
static const guint8 block_chars[9] = { 0, 2, 3, 5, 6, 7, 9, 10, 11 };

static gint
_block_bytes(gsize chars)
{
  for (gint k = 1; k <= 8; k++)
    if (block_chars[k] == chars)
      return k;
  return -1;
}

static gboolean
_decode_block(const guint8 *digits, const gchar *text, gsize chars, guint8 *out, gint bytes)
{
  guint64 v = 0;
  for (gsize i = 0; i < chars; i++)
    {
      guint d = digits[(guint8) text[i]];
      if (!d)
        return FALSE;
      /* 58^11 exceeds 2^64: refuse overflow rather than wrap */
      if (v > (G_MAXUINT64 - (d - 1)) / 58)
        return FALSE;
      v = v * 58 + (d - 1);
    }
  if (bytes < 8 && (v >> (8 * bytes)) != 0)
    return FALSE;
  for (gint i = bytes - 1; i >= 0; i--, v >>= 8)
    out[i] = (guint8) v;
  return TRUE;
}

gssize
di_base58_monero_decode(const gchar *text, gsize len, guint8 *out, gsize out_max)
{
  const guint8 *digits = _digits(DI_BASE58_BITCOIN);
  gsize full = len / 11, rest = len % 11;
  gint last = rest ? _block_bytes(rest) : 0;
  if (last < 0 || full * 8 + last > out_max)
    return -1;

  for (gsize b = 0; b < full; b++)
    if (!_decode_block(digits, text + 11 * b, 11, out + 8 * b, 8))
      return -1;
  if (last && !_decode_block(digits, text + 11 * full, rest, out + 8 * full, last))
    return -1;
  return full * 8 + last;
}
