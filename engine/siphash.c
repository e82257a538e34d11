/* siphash.c: SipHash-2-4 (Aumasson and Bernstein, 2012) and the process key.
 * See siphash.h.  Written from the paper's description; the unit test checks
 * it against the paper's test vectors.
 */
#include "siphash.h"
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#define ROTL(x, b) (guint64) (((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND                                                        \
  do {                                                                  \
    v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);           \
    v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                              \
    v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                              \
    v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);           \
  } while (0)

static inline guint64
_load_le64(const guint8 *p)
{
  guint64 v;
  memcpy(&v, p, 8);
  return GUINT64_FROM_LE(v);
}

guint64
di_siphash(const guint8 key[DI_SIPHASH_KEY_LEN], const void *data, gsize len)
{
  const guint8 *in = data;
  guint64 k0 = _load_le64(key), k1 = _load_le64(key + 8);
  guint64 v0 = 0x736f6d6570736575ULL ^ k0;
  guint64 v1 = 0x646f72616e646f6dULL ^ k1;
  guint64 v2 = 0x6c7967656e657261ULL ^ k0;
  guint64 v3 = 0x7465646279746573ULL ^ k1;
  const guint8 *end = in + (len & ~(gsize) 7);

  for (; in != end; in += 8)
    {
      guint64 m = _load_le64(in);
      v3 ^= m;
      SIPROUND;
      SIPROUND;
      v0 ^= m;
    }

  /* the last 0-7 bytes, with the length's low byte on top */
  guint64 b = (guint64) len << 56;
  switch (len & 7)
    {
    case 7: b |= (guint64) in[6] << 48; /* fall through */
    case 6: b |= (guint64) in[5] << 40; /* fall through */
    case 5: b |= (guint64) in[4] << 32; /* fall through */
    case 4: b |= (guint64) in[3] << 24; /* fall through */
    case 3: b |= (guint64) in[2] << 16; /* fall through */
    case 2: b |= (guint64) in[1] << 8;  /* fall through */
    case 1: b |= (guint64) in[0];       /* fall through */
    case 0: break;
    }
  v3 ^= b;
  SIPROUND;
  SIPROUND;
  v0 ^= b;

  v2 ^= 0xff;
  SIPROUND;
  SIPROUND;
  SIPROUND;
  SIPROUND;
  return v0 ^ v1 ^ v2 ^ v3;
}

static guint8 process_key[DI_SIPHASH_KEY_LEN];

const guint8 *
di_siphash_process_key(void)
{
  static gsize done = 0;

  if (g_once_init_enter(&done))
    {
      gsize got = 0;
      while (got < sizeof(process_key))
        {
          gssize n = getrandom(process_key + got, sizeof(process_key) - got, 0);
          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            break;
          got += n;
        }
      /* no kernel randomness (very old kernel, seccomp): GLib's generator,
       * itself seeded from /dev/urandom or the time */
      for (; got < sizeof(process_key); got++)
        process_key[got] = (guint8) g_random_int();
      g_once_init_leave(&done, 1);
    }
  return process_key;
}
