/* sha256.c: SHA-256 (FIPS 180-4), one-shot, for short inputs.
 *
 * Only base58check checksums use it, so there is no streaming interface:
 * the whole message is hashed in one call.  The compression function is
 * portable C, or the x86 SHA extensions where the CPU has them (chosen once
 * at run time): the scanner hashes twice per candidate address. */
#include "chains/sha256.h"
#include <string.h>

static const guint32 K[64] =
{
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
_compress(guint32 h[8], const guint8 block[64])
{
  guint32 w[64];
  for (gint i = 0; i < 16; i++)
    w[i] = (guint32) block[4 * i] << 24 | (guint32) block[4 * i + 1] << 16
           | (guint32) block[4 * i + 2] << 8 | block[4 * i + 3];
  for (gint i = 16; i < 64; i++)
    {
      guint32 s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
      guint32 s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }

  guint32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (gint i = 0; i < 64; i++)
    {
      guint32 t1 = k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
      guint32 t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      k = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d;
  h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

typedef void (*DiCompressFunc)(guint32 h[8], const guint8 block[64]);

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <cpuid.h>
#include <immintrin.h>

#define SHA_NI __attribute__((target("sha,ssse3,sse4.1")))

/* The same compression with the SHA extensions (Intel SHA-NI, on most x86
 * CPUs since 2017): the state is kept as ABEF and CDGH, each instruction
 * does two rounds, msg1/msg2 extend the schedule four words at a time. */
static SHA_NI void
_compress_shani(guint32 h[8], const guint8 block[64])
{
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i dcba = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *) h), 0xb1);
  __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *) (h + 4)), 0x1b);
  __m128i abef = _mm_alignr_epi8(dcba, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, dcba, 0xf0);
  __m128i abef_in = abef, cdgh_in = cdgh;
  __m128i w[16];

  for (gint k = 0; k < 16; k++)
    {
      if (k < 4)
        w[k] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *) (block + 16 * k)), bswap);
      else
        w[k] = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(w[k - 4], w[k - 3]),
                                                  _mm_alignr_epi8(w[k - 1], w[k - 2], 4)),
                                    w[k - 1]);
      __m128i msg = _mm_add_epi32(w[k], _mm_loadu_si128((const __m128i *) (K + 4 * k)));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, msg);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(msg, 0x0e));
    }
  abef = _mm_add_epi32(abef, abef_in);
  cdgh = _mm_add_epi32(cdgh, cdgh_in);

  __m128i feba = _mm_shuffle_epi32(abef, 0x1b);
  __m128i dchg = _mm_shuffle_epi32(cdgh, 0xb1);
  _mm_storeu_si128((__m128i *) h, _mm_blend_epi16(feba, dchg, 0xf0));
  _mm_storeu_si128((__m128i *) (h + 4), _mm_alignr_epi8(dchg, feba, 8));
}

static DiCompressFunc
_pick_compress_once(void)
{
  guint eax, ebx, ecx, edx;
  /* leaf 7: EBX bit 29 is SHA; SSSE3 and SSE4.1 come with every SHA CPU */
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) && (ebx & (1u << 29)))
    return _compress_shani;
  return _compress;
}
#else
static DiCompressFunc
_pick_compress_once(void)
{
  return _compress;
}
#endif

static DiCompressFunc
_pick_compress(void)
{
  static gpointer picked = NULL;
  gpointer f = g_atomic_pointer_get(&picked);
  if (!f)
    {
      f = (gpointer) _pick_compress_once();
      g_atomic_pointer_set(&picked, f);
    }
  return (DiCompressFunc) f;
}

static void
_sha256_with(DiCompressFunc compress, const guint8 *data, gsize len, guint8 out[DI_SHA256_LEN]);

void
di_sha256(const guint8 *data, gsize len, guint8 out[DI_SHA256_LEN])
{
  _sha256_with(_pick_compress(), data, len, out);
}

void
di_sha256_portable(const guint8 *data, gsize len, guint8 out[DI_SHA256_LEN])
{
  _sha256_with(_compress, data, len, out);
}

static void
_sha256_with(DiCompressFunc compress, const guint8 *data, gsize len, guint8 out[DI_SHA256_LEN])
{
  guint32 h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
  gsize done = 0;

  for (; len - done >= 64; done += 64)
    compress(h, data + done);

  /* the tail, the 0x80 marker and the bit length fill one or two blocks */
  guint8 tail[128] = { 0 };
  gsize rest = len - done;
  memcpy(tail, data + done, rest);
  tail[rest] = 0x80;
  gsize blocks = rest + 9 > 64 ? 2 : 1;
  guint64 bits = (guint64) len * 8;
  for (gint i = 0; i < 8; i++)
    tail[blocks * 64 - 1 - i] = (guint8) (bits >> (8 * i));
  for (gsize i = 0; i < blocks; i++)
    compress(h, tail + 64 * i);

  for (gint i = 0; i < 8; i++)
    {
      out[4 * i] = h[i] >> 24;
      out[4 * i + 1] = h[i] >> 16;
      out[4 * i + 2] = h[i] >> 8;
      out[4 * i + 3] = h[i];
    }
}

void
di_sha256d(const guint8 *data, gsize len, guint8 out[DI_SHA256_LEN])
{
  guint8 first[DI_SHA256_LEN];
  di_sha256(data, len, first);
  di_sha256(first, sizeof(first), out);
}
