/* bench-gen.c: the benchmarks' synthetic indicator mix.  See bench-gen.h.
 *
 * The engine only decodes addresses; the two encoders the mix needs
 * (base58check is the engine's, bech32 is written here from BIP-173) live
 * here because only benchmarks make addresses up. */
#include "bench-gen.h"
#include "chains/base58.h"
#include <string.h>

const gchar *const di_bench_actors[5] = { "Lazarus Group", "APT38", "TraderTraitor", "Andariel", "Kimsuky" };

static void
_random_bytes(GRand *rnd, guint8 *out, gsize len)
{
  for (gsize i = 0; i < len; i += 4)
    {
      guint32 r = g_rand_int(rnd);
      for (gsize k = 0; k < 4 && i + k < len; k++)
        out[i + k] = r >> (8 * k);
    }
}

static void
_hex(const guint8 *bytes, gsize len, gchar *out)
{
  static const gchar digits[] = "0123456789abcdef";
  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = digits[bytes[i] >> 4];
      out[2 * i + 1] = digits[bytes[i] & 15];
    }
  out[2 * len] = '\0';
}

/* BIP-173's checksum over the expanded HRP and the 5-bit data. */
static guint32
_bech32_polymod(const guint8 *values, gsize len)
{
  static const guint32 gen[5] = { 0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3 };
  guint32 chk = 1;
  for (gsize i = 0; i < len; i++)
    {
      guint32 top = chk >> 25;
      chk = ((chk & 0x1ffffff) << 5) ^ values[i];
      for (gint k = 0; k < 5; k++)
        if ((top >> k) & 1)
          chk ^= gen[k];
    }
  return chk;
}

/* A version 0 segwit address of a 20-byte program on mainnet (bc1q...). */
static void
_bech32_p2wpkh(const guint8 program[20], gchar *out)
{
  static const gchar charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  guint8 values[5 + 33 + 6];
  gsize n = 0;
  /* the HRP "bc" expanded: high bits, a zero, low bits */
  values[n++] = 'b' >> 5;
  values[n++] = 'c' >> 5;
  values[n++] = 0;
  values[n++] = 'b' & 31;
  values[n++] = 'c' & 31;
  gsize data = n;
  values[n++] = 0;   /* witness version */
  guint32 acc = 0;
  gint bits = 0;
  for (gint i = 0; i < 20; i++)
    {
      acc = (acc << 8) | program[i];
      bits += 8;
      while (bits >= 5)
        {
          bits -= 5;
          values[n++] = (acc >> bits) & 31;
        }
    }
  gsize data_end = n;
  memset(values + n, 0, 6);
  guint32 mod = _bech32_polymod(values, n + 6) ^ 1;
  for (gint i = 0; i < 6; i++)
    values[n++] = (mod >> (5 * (5 - i))) & 31;

  gchar *p = out;
  memcpy(p, "bc1", 3);
  p += 3;
  for (gsize i = data; i < data_end + 6; i++)
    *p++ = charset[values[i]];
  *p = '\0';
}

static void
_base58check(guint8 version, GRand *rnd, gchar *out)
{
  guint8 payload[21];
  payload[0] = version;
  _random_bytes(rnd, payload + 1, 20);
  di_base58check_encode(DI_BASE58_BITCOIN, payload, sizeof(payload), out);
}

DiType
di_bench_value(guint64 i, GRand *rnd, gchar out[DI_BENCH_VALUE_MAX])
{
  guint8 bytes[32];
  guint k = i % 100;
  if (k < 45)
    {
      _random_bytes(rnd, bytes, 20);
      out[0] = '0';
      out[1] = 'x';
      _hex(bytes, 20, out + 2);
      return DI_TYPE_ETH;
    }
  if (k < 60)
    {
      _base58check(0x00, rnd, out);
      return DI_TYPE_BTC;
    }
  if (k < 70)
    {
      _base58check(0x05, rnd, out);
      return DI_TYPE_BTC;
    }
  if (k < 80)
    {
      _random_bytes(rnd, bytes, 20);
      _bech32_p2wpkh(bytes, out);
      return DI_TYPE_BTC;
    }
  if (k < 88)
    {
      guint32 ip = g_rand_int(rnd);
      g_snprintf(out, DI_BENCH_VALUE_MAX, "%u.%u.%u.%u", 1 + (ip >> 24) % 223, (ip >> 16) & 255, (ip >> 8) & 255,
                 ip & 255);
      return DI_TYPE_IPV4;
    }
  if (k < 95)
    {
      g_snprintf(out, DI_BENCH_VALUE_MAX, "d%08x.bad-cdn%u.test", g_rand_int(rnd), (guint) (i % 1000));
      return DI_TYPE_DOMAIN;
    }
  _random_bytes(rnd, bytes, 32);
  _hex(bytes, 32, out);
  return DI_TYPE_SHA256;
}
