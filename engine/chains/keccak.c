/* keccak.c: Keccak-f[1600] and the Keccak-256 sponge (rate 136 bytes).
 *
 * From the Keccak reference description: theta, rho and pi, chi, iota over
 * a 5x5 state of 64-bit lanes, lane (x, y) at index x + 5y. */
#include "chains/keccak.h"
#include <string.h>

#define RATE 136

static const guint64 round_constants[24] =
{
  0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
  0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
  0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
  0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
  0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
  0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

static inline guint64
_rol(guint64 v, guint n)
{
  return (v << n) | (v >> ((64 - n) & 63));
}

/* One round on 25 named lanes: theta, then rho and pi (lane (x, y) moves
 * to (y, 2x + 3y), rotated), then chi and iota.  Written out so that the
 * lanes stay in registers. */
#define KECCAK_ROUND(rc) \
  do { \
    guint64 c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20, c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21; \
    guint64 c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22, c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23; \
    guint64 c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24; \
    guint64 d0 = c4 ^ _rol(c1, 1), d1 = c0 ^ _rol(c2, 1), d2 = c1 ^ _rol(c3, 1); \
    guint64 d3 = c2 ^ _rol(c4, 1), d4 = c3 ^ _rol(c0, 1); \
    guint64 b00 = a00 ^ d0, b01 = _rol(a06 ^ d1, 44), b02 = _rol(a12 ^ d2, 43); \
    guint64 b03 = _rol(a18 ^ d3, 21), b04 = _rol(a24 ^ d4, 14); \
    guint64 b05 = _rol(a03 ^ d3, 28), b06 = _rol(a09 ^ d4, 20), b07 = _rol(a10 ^ d0, 3); \
    guint64 b08 = _rol(a16 ^ d1, 45), b09 = _rol(a22 ^ d2, 61); \
    guint64 b10 = _rol(a01 ^ d1, 1), b11 = _rol(a07 ^ d2, 6), b12 = _rol(a13 ^ d3, 25); \
    guint64 b13 = _rol(a19 ^ d4, 8), b14 = _rol(a20 ^ d0, 18); \
    guint64 b15 = _rol(a04 ^ d4, 27), b16 = _rol(a05 ^ d0, 36), b17 = _rol(a11 ^ d1, 10); \
    guint64 b18 = _rol(a17 ^ d2, 15), b19 = _rol(a23 ^ d3, 56); \
    guint64 b20 = _rol(a02 ^ d2, 62), b21 = _rol(a08 ^ d3, 55), b22 = _rol(a14 ^ d4, 39); \
    guint64 b23 = _rol(a15 ^ d0, 41), b24 = _rol(a21 ^ d1, 2); \
    a00 = b00 ^ (~b01 & b02) ^ (rc); a01 = b01 ^ (~b02 & b03); a02 = b02 ^ (~b03 & b04); \
    a03 = b03 ^ (~b04 & b00); a04 = b04 ^ (~b00 & b01); \
    a05 = b05 ^ (~b06 & b07); a06 = b06 ^ (~b07 & b08); a07 = b07 ^ (~b08 & b09); \
    a08 = b08 ^ (~b09 & b05); a09 = b09 ^ (~b05 & b06); \
    a10 = b10 ^ (~b11 & b12); a11 = b11 ^ (~b12 & b13); a12 = b12 ^ (~b13 & b14); \
    a13 = b13 ^ (~b14 & b10); a14 = b14 ^ (~b10 & b11); \
    a15 = b15 ^ (~b16 & b17); a16 = b16 ^ (~b17 & b18); a17 = b17 ^ (~b18 & b19); \
    a18 = b18 ^ (~b19 & b15); a19 = b19 ^ (~b15 & b16); \
    a20 = b20 ^ (~b21 & b22); a21 = b21 ^ (~b22 & b23); a22 = b22 ^ (~b23 & b24); \
    a23 = b23 ^ (~b24 & b20); a24 = b24 ^ (~b20 & b21); \
  } while (0)

static void
_permute(guint64 a[25])
{
  guint64 a00 = a[0], a01 = a[1], a02 = a[2], a03 = a[3], a04 = a[4];
  guint64 a05 = a[5], a06 = a[6], a07 = a[7], a08 = a[8], a09 = a[9];
  guint64 a10 = a[10], a11 = a[11], a12 = a[12], a13 = a[13], a14 = a[14];
  guint64 a15 = a[15], a16 = a[16], a17 = a[17], a18 = a[18], a19 = a[19];
  guint64 a20 = a[20], a21 = a[21], a22 = a[22], a23 = a[23], a24 = a[24];
  for (gint round = 0; round < 24; round++)
    KECCAK_ROUND(round_constants[round]);
  a[0] = a00; a[1] = a01; a[2] = a02; a[3] = a03; a[4] = a04;
  a[5] = a05; a[6] = a06; a[7] = a07; a[8] = a08; a[9] = a09;
  a[10] = a10; a[11] = a11; a[12] = a12; a[13] = a13; a[14] = a14;
  a[15] = a15; a[16] = a16; a[17] = a17; a[18] = a18; a[19] = a19;
  a[20] = a20; a[21] = a21; a[22] = a22; a[23] = a23; a[24] = a24;
}

/* Lanes are little-endian 64-bit words: one load each (memcpy, which the
 * compiler turns into a move) rather than eight byte shifts. */
static void
_absorb(guint64 a[25], const guint8 block[RATE])
{
  for (gint i = 0; i < RATE / 8; i++)
    {
      guint64 lane;
      memcpy(&lane, block + 8 * i, 8);
      a[i] ^= GUINT64_FROM_LE(lane);
    }
  _permute(a);
}

void
di_keccak256(const guint8 *data, gsize len, guint8 out[DI_KECCAK256_LEN])
{
  guint64 a[25] = { 0 };
  for (; len >= RATE; data += RATE, len -= RATE)
    _absorb(a, data);

  guint8 last[RATE] = { 0 };
  memcpy(last, data, len);
  last[len] ^= 0x01;
  last[RATE - 1] ^= 0x80;
  _absorb(a, last);

  for (gint i = 0; i < DI_KECCAK256_LEN; i++)
    out[i] = (guint8) (a[i / 8] >> (8 * (i % 8)));
}
