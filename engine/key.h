/* key.h: a normalised indicator value in the binary form the snapshot stores.
 *
 * Fixed-size types (addresses, digests, EVM accounts) are kept as raw bytes:
 * smaller than text and compared with one memcmp.  Everything else is kept as
 * its normalised text.  A DiKey lives on the stack of whoever builds it, so the
 * scanner allocates nothing per token.
 */
#ifndef DI_KEY_H
#define DI_KEY_H

#include "indicator-type.h"

#define DI_KEY_MAX 1024

typedef struct
{
  guint8 cls;          /* DiKeyClass */
  guint16 len;
  guint8 bytes[DI_KEY_MAX];
} DiKey;

/* Work counters for the tests that keep the scanner and the lookups linear
 * without timing them (tests/unit/test-linear.c): compiled in only with
 * -DDI_WORK_HOOKS, which that test alone builds the engine with.  Each
 * counts units of work (bytes visited, checksums computed, table probes)
 * on this thread; in every other build DI_WORK() is nothing. */
typedef enum
{
  DI_WORK_VISIT,      /* bytes a scanner step or a parser it calls looks at */
  DI_WORK_CHECKSUM,   /* checksums computed (Keccak, SHA-256d, base58, bech32, CashAddr) */
  DI_WORK_HASH,       /* bytes hashed for table lookups */
  DI_WORK_PROBE,      /* lookups in the table */
  DI_WORK_MAX
} DiWorkKind;

#ifdef DI_WORK_HOOKS
extern __thread guint64 di_work_counter[DI_WORK_MAX];
#define DI_WORK(kind, n) (di_work_counter[kind] += (n))
#else
#define DI_WORK(kind, n) ((void) 0)
#endif

/* The hash of a key: FNV-1a over the class and the bytes, then a
 * finaliser.  The bytes of a domain are taken from the last to the first,
 * of every other class from the first to the last, so that a lookup can
 * extend one running hash over what it probes: a domain's parents are its
 * suffixes (di_snapshot_find() hashes all of them in one pass from the
 * right), a URL's shorter paths are its prefixes (one pass from the left).
 * A URL's scheme is left out (the hash starts at its "://"), so that its
 * http and https forms share every hash.  The snapshot stores this hash:
 * both sides always agree. */
static inline guint64
di_key_hash_begin(guint8 cls)
{
  return 1469598103934665603ULL ^ cls;
}

static inline guint64
di_key_hash_step(guint64 h, guint8 byte)
{
  return (h ^ byte) * 1099511628211ULL;
}

static inline guint32
di_key_hash_end(guint64 h)
{
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return (guint32) h;
}

/* Inline: every lookup hashes, most of them a few bytes (FNV-1a: a byte
 * loop is as fast as anything fancier on keys this short). */
static inline guint32
di_key_hash(guint8 cls, const guint8 *bytes, gsize len)
{
  guint64 h = di_key_hash_begin(cls);
  DI_WORK(DI_WORK_HASH, len);
  if (cls == DI_KEY_URL)
    {
      /* from the "://" on (from the start when there is none) */
      gsize skip = 0;
      while (skip < len && bytes[skip] != ':')
        skip++;
      if (skip < len)
        {
          bytes += skip;
          len -= skip;
        }
    }
  if (cls == DI_KEY_DOMAIN)
    for (gsize i = len; i > 0; i--)
      h = di_key_hash_step(h, bytes[i - 1]);
  else
    for (gsize i = 0; i < len; i++)
      h = di_key_hash_step(h, bytes[i]);
  return di_key_hash_end(h);
}

/* Appends the canonical text of the key (INTERFACE §2) to out. */
void di_key_format(const DiKey *key, GString *out);
void di_key_format_raw(guint8 cls, const guint8 *bytes, gsize len, GString *out);
gboolean di_key_set_text(DiKey *key, DiKeyClass cls, const gchar *text, gsize len);

#endif
