/* feed-version.c: content hash and text forms of a loaded set's version.
 *
 * Each attribution of an entry (what one feed row said about its value)
 * gets a 64-bit fingerprint: a hash of the type's name it gives, the entry's
 * key in the snapshot's binary form (already normalised, so "0xAB.." and
 * "0xab.." or a CSV and a STIX spelling of one address are the same bytes)
 * and the canonical name of the actor it gives.  A unit test pins the hash
 * of a known set: relays running different releases must keep agreeing.
 * Sources, references, confidences, descriptions, programs and nexus stay
 * out: a plain list's source is its file name, and the version answers
 * "which indicators, attributed to whom, did this relay match against".
 *
 * The version hash combines the distinct fingerprints with an
 * order-independent multiset hash: the sum of one keyed remix of each
 * fingerprint and the xor of another, plus the count.  Order independence
 * means no dependence on file or entry order without a canonical
 * serialisation; two different group operations over two keyed variants
 * mean that a structured coincidence (a value cancelling itself in the xor,
 * two entries trading bits in the sum) would have to happen in both.
 *
 * "Distinct" matters: one address listed by OFAC and by a vendor with the
 * same actor is one entry with two attributions (their sources differ) but
 * one indicator, and must not change the hash; the same address attributed
 * to two actors is two indicators (as it was when the store kept an entry
 * per row: the hash of a set did not change with the store).  An entry
 * keeps at most DI_SNAPSHOT_MAX_ATTRIBUTIONS, and two rows of one actor and
 * source are one attribution: the indicators it did not keep are not
 * loaded, and not hashed.  Fingerprints are collected in
 * one O(n) pass over the raw key bytes, then sorted by two cache-friendly
 * distribution passes (they are uniform, so the buckets even out) and made
 * unique.  At 10M indicators that is ~16 bytes an indicator for a
 * moment and well under a second, and the sorted set is what the tool's
 * version history stores.
 *
 * This is not a cryptographic digest: it identifies a set, it does not
 * authenticate one.
 */
#include "feed-version.h"
#include <string.h>
#include <stdlib.h>
#include <stdio.h>
#include <time.h>

#define K1 G_GUINT64_CONSTANT(0x9e3779b97f4a7c15)
#define K2 G_GUINT64_CONSTANT(0xc2b2ae3d27d4eb4f)
#define K3 G_GUINT64_CONSTANT(0x165667b19e3779f9)

static inline guint64
_rotl(guint64 x, gint r)
{
  return (x << r) | (x >> (64 - r));
}

/* a 64-bit finaliser: every input bit reaches every output bit */
static inline guint64
_mix(guint64 x)
{
  x ^= x >> 30;
  x *= G_GUINT64_CONSTANT(0xbf58476d1ce4e5b9);
  x ^= x >> 27;
  x *= G_GUINT64_CONSTANT(0x94d049bb133111eb);
  x ^= x >> 31;
  return x;
}

/* little-endian on every host: relays of any architecture agree */
static inline guint64
_load(const guint8 *p, gsize len)
{
  guint64 w = 0;
  memcpy(&w, p, len);
  return GUINT64_FROM_LE(w);
}

static guint64
_hash_bytes(const guint8 *p, gsize len, guint64 seed)
{
  guint64 h = seed ^ ((guint64) len * K1);
  for (; len >= 8; p += 8, len -= 8)
    h = _rotl(h ^ (_load(p, 8) * K2), 31) * K1;
  if (len)
    h = _rotl(h ^ (_load(p, len) * K2), 31) * K1;
  return _mix(h);
}

static guint64
_hash_string(const gchar *s, guint64 seed)
{
  return _hash_bytes((const guint8 *) s, strlen(s), seed);
}

/* Names, not enum values or ids, enter the hash: actor ids follow load
 * order, and type numbers may change between releases while the names of
 * INTERFACE §2 do not. */
typedef struct
{
  guint64 types[DI_TYPE_MAX];
  guint64 *actors;
} DiNameKeys;

static void
_name_keys_init(DiNameKeys *self, const DiSnapshot *snap)
{
  for (gint t = 0; t < DI_TYPE_MAX; t++)
    self->types[t] = _hash_string(di_type_name(t), K1);
  guint n = di_snapshot_actor_count(snap);
  self->actors = g_new(guint64, MAX(n, 1));
  self->actors[0] = 0;
  for (guint a = 1; a < n; a++)
    self->actors[a] = _hash_string(di_snapshot_actor_name(snap, a), K3);
}

/* One (type, value, actor) indicator: the value of an entry as one of its
 * attributions types and attributes it. */
static inline guint64
_fingerprint(const guint8 *key, gsize len, const DiSnapshot *snap, guint32 attribution, const DiNameKeys *names)
{
  guint64 h = _hash_bytes(key, len, names->types[di_snapshot_attribution_type(snap, attribution)]);
  return _mix(h ^ names->actors[di_snapshot_attribution_actor_id(snap, attribution)]);
}

guint64 *
di_feed_version_entry_fingerprints(const DiSnapshot *snap, gsize *n, guint32 **first)
{
  guint n_entries = di_snapshot_count(snap);
  DiNameKeys names;
  _name_keys_init(&names, snap);
  gsize total = 0;
  for (guint32 e = 0; e < n_entries; e++)
    total += di_snapshot_entry_attribution_count(snap, e);
  guint64 *fps = g_new(guint64, MAX(total, 1));
  if (first)
    *first = g_new(guint32, n_entries + 1);
  gsize k = 0;
  for (guint32 e = 0; e < n_entries; e++)
    {
      guint8 cls;
      gsize len;
      const guint8 *key = di_snapshot_entry_key(snap, e, &cls, &len);
      if (first)
        (*first)[e] = k;
      for (guint i = 0; i < di_snapshot_entry_attribution_count(snap, e); i++)
        fps[k++] = _fingerprint(key, len, snap, di_snapshot_entry_attribution(snap, e, i), &names);
    }
  if (first)
    (*first)[n_entries] = k;
  *n = k;
  g_free(names.actors);
  return fps;
}

static gint
_compare_u64(const void *a, const void *b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;
  return x < y ? -1 : x > y;
}

static void
_sort_small(guint64 *v, gsize n)
{
  /* a bucket is large only when values collide on purpose or repeat */
  if (n > 32)
    {
      qsort(v, n, sizeof(guint64), _compare_u64);
      return;
    }
  for (gsize i = 1; i < n; i++)
    {
      guint64 x = v[i];
      gsize j = i;
      for (; j > 0 && v[j - 1] > x; j--)
        v[j] = v[j - 1];
      v[j] = x;
    }
}

/* Scatters v[0..n) into out by the `bits` bits below the top `skip` bits;
 * bounds (n_buckets + 1 entries) gets each bucket's start, then its end. */
static void
_scatter(const guint64 *v, gsize n, guint64 *out, guint skip, guint bits, guint32 *bounds)
{
  gsize n_buckets = (gsize) 1 << bits;
  guint shift = 64 - skip - bits;
  guint64 mask = n_buckets - 1;
  memset(bounds, 0, (n_buckets + 1) * sizeof(guint32));
  for (gsize i = 0; i < n; i++)
    bounds[((v[i] >> shift) & mask) + 1]++;
  for (gsize b = 0; b < n_buckets; b++)
    bounds[b + 1] += bounds[b];
  for (gsize i = 0; i < n; i++)
    out[bounds[(v[i] >> shift) & mask]++] = v[i];
}

#define TOP_BITS 11
#define MAX_BITS 16

/* Sorts v with two distribution passes, each writing to at most 2^11 (then
 * 2^16 within a cache-resident bucket) places at once so that the scattered
 * stores stay in cache: first by the top 11 bits into tmp, then each bucket
 * by the next bits back into v (about four values a sub-bucket, since
 * fingerprints are uniform), then each sub-bucket on its own. */
static void
_sort(guint64 *v, gsize n)
{
  if (n < 4096)
    {
      qsort(v, n, sizeof(guint64), _compare_u64);
      return;
    }
  guint64 *tmp = g_new(guint64, n);
  guint32 *top = g_new(guint32, (1 << TOP_BITS) + 1);
  guint32 *sub = g_new(guint32, (1 << MAX_BITS) + 1);
  _scatter(v, n, tmp, 0, TOP_BITS, top);
  for (gsize b = 0, begin = 0; b < (1 << TOP_BITS); begin = top[b], b++)
    {
      gsize m = top[b] - begin;
      if (m <= 32)
        {
          memcpy(v + begin, tmp + begin, m * sizeof(guint64));
          _sort_small(v + begin, m);
          continue;
        }
      guint bits = CLAMP(g_bit_storage(m) - 2, 1, MAX_BITS);
      _scatter(tmp + begin, m, v + begin, TOP_BITS, bits, sub);
      for (gsize s = 0, from = 0; s < ((gsize) 1 << bits); from = sub[s], s++)
        _sort_small(v + begin + from, sub[s] - from);
    }
  g_free(sub);
  g_free(top);
  g_free(tmp);
}

guint64 *
di_feed_version_fingerprints(const DiSnapshot *snap, gsize *n)
{
  gsize count;
  guint64 *fps = di_feed_version_entry_fingerprints(snap, &count, NULL);
  _sort(fps, count);
  gsize distinct = 0;
  for (gsize i = 0; i < count; i++)
    if (distinct == 0 || fps[distinct - 1] != fps[i])
      fps[distinct++] = fps[i];
  *n = distinct;
  return g_renew(guint64, fps, MAX(distinct, 1));
}

guint64
di_feed_version_hash(const guint64 *fingerprints, gsize n)
{
  guint64 sum = 0, x = 0;
  for (gsize i = 0; i < n; i++)
    {
      sum += _mix(fingerprints[i] ^ K1);
      x ^= _mix(fingerprints[i] ^ K2);
    }
  return _mix(sum ^ _rotl(x, 32) ^ ((guint64) n * K3));
}

void
di_feed_version_compute(DiFeedVersion *self, const DiSnapshot *snap, gint64 loaded_at)
{
  gsize n;
  guint64 *fps = di_feed_version_fingerprints(snap, &n);
  self->hash = di_feed_version_hash(fps, n);
  self->count = n;
  self->loaded_at = loaded_at;
  g_free(fps);
}

void
di_feed_version_format_hash(guint64 hash, gchar buf[DI_FEED_VERSION_HASH_MAX])
{
  g_snprintf(buf, DI_FEED_VERSION_HASH_MAX, "%016" G_GINT64_MODIFIER "x", hash);
}

void
di_feed_version_format(const DiFeedVersion *self, gchar buf[DI_FEED_VERSION_TEXT_MAX])
{
  time_t t = (time_t) self->loaded_at;
  struct tm tm;
  gmtime_r(&t, &tm);
  di_feed_version_format_hash(self->hash, buf);
  buf[16] = '@';
  strftime(buf + 17, DI_FEED_VERSION_TEXT_MAX - 17, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

gboolean
di_feed_version_parse(const gchar *text, guint64 *hash, gint64 *loaded_at)
{
  guint64 h = 0;
  gint i = 0;
  for (; i < 16; i++)
    {
      gint d = g_ascii_xdigit_value(text[i]);
      if (d < 0)
        return FALSE;
      h = h << 4 | (guint) d;
    }
  gint64 t = 0;
  if (text[16] == '@')
    {
      GDateTime *dt = g_date_time_new_from_iso8601(text + 17, NULL);
      if (!dt)
        return FALSE;
      t = g_date_time_to_unix(dt);
      g_date_time_unref(dt);
    }
  else if (text[16] != '\0')
    return FALSE;
  *hash = h;
  if (loaded_at)
    *loaded_at = t;
  return TRUE;
}
