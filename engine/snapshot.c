/* snapshot.c: the immutable indicator store and its builder.
 *
 * Layout, chosen so that ten million indicators cost under 48 bytes each
 * (docs/performance.md has the breakdown):
 *   entries  one per distinct value, in the order values were first added,
 *            as parallel arrays: key offset (4 bytes), key class and length
 *            (2), attribution (4: an attribution id, or an index into lists)
 *   keys     one arena holding every key's bytes, once per value
 *   attrs    attributions, interned: what a row says about a value (actor,
 *            source, reference, ...); a feed's rows share a handful
 *   lists    for a value that several rows attribute differently: count,
 *            latest expiry, then the attribution ids, best first
 *   slots    open addressing (linear probing, load <= 0.7, any size, so no
 *            power-of-two waste) of entry id + 1 in the low bits and, in the
 *            bits the ids leave free, a tag of the key's hash: a probe that
 *            gets past the filter rarely touches an entry or a key
 *   filter   8 bits per indicator, a Bloom filter whose two bits for a key sit
 *            in one 64-bit word: most tokens of a log line are not
 *            indicators, and this array, a fifth of the slots' size (so
 *            more likely in cache), turns about 95 % of them away with one
 *            read
 *   strings  one arena of NUL-terminated strings, interned once, by offset
 * CIDRs are found by probing the same table once per prefix length that the
 * feeds use, longest first; a domain's listed parents and a URL's listed
 * path prefixes by probing each with a hash extended over the key in one
 * pass (see _key_hash), so that a lookup costs time linear in the key.
 *
 * The builder keeps one row per add (the same three arrays and the key
 * arena); finish() walks the rows once, inserting each value into the table
 * or, when it is there already, chaining the row's attribution onto it, and
 * compacts the arrays in place: the builder's arrays become the snapshot's,
 * and nothing is copied.  So a value that 40,000 rows list costs one probe
 * per row, not a walk over the other 39,999.
 */
#include "snapshot.h"
#include "actors.h"
#include <string.h>
#include <sys/mman.h>

/* what one row (or several identical ones) says about a value; hashed and
 * compared as bytes, so every byte is set */
typedef struct
{
  guint32 actor;         /* dense actor id, 0 = none */
  guint32 source;        /* offsets into the string arena, 0 = "" */
  guint32 reference;
  guint32 description;
  guint32 program;
  guint32 valid_until;   /* UNIX seconds, 0 = never */
  guint8 confidence;
  guint8 nexus;          /* DiNexus */
  guint8 type;           /* DiType the row gave */
  guint8 reserved;
} DiAttr;

/* entry_attrs: an attribution id, or with this bit an offset into lists */
#define DI_ATTR_LIST 0x80000000u
/* key_infos: class in the top 4 bits, length in the low 12 */
#define DI_KEY_LEN_BITS 12
#define DI_KEY_LEN_MASK ((1u << DI_KEY_LEN_BITS) - 1)
G_STATIC_ASSERT(DI_KEY_MAX <= DI_KEY_LEN_MASK);
G_STATIC_ASSERT(DI_KEY_CLASS_MAX <= 16);

/* lists: [count, latest expiry, id, id, ...] */
#define DI_LIST_HEADER 2

/* the table's fill, in tenths: a miss probes about 6 slots at 0.7 */
#define DI_TABLE_LOAD_TENTHS 7
#define DI_FILTER_BITS_PER_ENTRY 8

typedef struct
{
  GHashTable *index;     /* string -> offset + 1 */
  GByteArray *arena;
} DiStringPool;

/* The last strings seen for one meta field and what they became: feeds
 * repeat source, actor and reference row after row, and a string compare
 * is cheaper than a hash lookup (or, for actors, the alias table). */
#define DI_FIELD_CACHE 32
#define DI_RECENT_ATTRS 16
typedef struct
{
  gchar *text[DI_FIELD_CACHE];
  guint32 value[DI_FIELD_CACHE];
} DiFieldCache;

/* One element per row until finish(); plain arrays grown by doubling (a
 * large realloc is an mremap, no copy), written without a call per row. */
typedef struct
{
  guint32 *key_offs;
  guint16 *key_infos;
  guint32 *entry_attrs;
  guint n, cap;
  guint8 *keys;
  gsize keys_len, keys_cap;
} DiRows;

struct _DiSnapshotBuilder
{
  DiRows rows;
  DiStringPool strings;
  GHashTable *actor_ids; /* pool offset + 1 of the canonical name -> id */
  GArray *actors;        /* id -> string offset */
  GArray *attrs;         /* of DiAttr */
  GHashTable *attr_ids;  /* DiAttr (a copy) -> id + 1 */
  DiFieldCache actor_cache, source_cache, reference_cache;
  guint8 actor_dprk_cache[DI_FIELD_CACHE];   /* beside actor_cache: di_actor_is_dprk() of the raw name */
  /* attributions recently interned, by hash: most rows repeat one of a few */
  DiAttr recent[DI_RECENT_ATTRS];
  guint32 recent_ids[DI_RECENT_ATTRS];
  guint dropped;         /* rows refused: the arena or the ids would overflow */
};

struct _DiSnapshot
{
  gint ref_cnt;
  guint n_entries;
  guint32 *key_offs;
  guint16 *key_infos;
  guint32 *entry_attrs;
  guint8 *keys;
  gsize keys_len;
  guint32 *lists;
  gsize lists_len;
  DiAttr *attrs;
  guint n_attrs;
  guint32 *slots;
  guint32 cap;
  guint id_bits;
  guint32 id_mask;
  guint64 *filter;
  guint32 filter_words;
  gpointer table_region;   /* slots and filter, one mapping (see _table_alloc) */
  gsize table_region_size;
  guint64 seed;            /* of the key hash, random for each snapshot */
  gchar *strings;
  gsize strings_len;
  guint32 *actors;
  guint8 *actor_dprk;
  guint n_actors;
  guint attributions_dropped;
  guint8 cidr4_lens[33];
  guint n_cidr4_lens;
  guint8 cidr6_lens[129];
  guint n_cidr6_lens;
};

const gchar *
di_nexus_name(DiNexus nexus)
{
  switch (nexus)
    {
    case DI_NEXUS_DPRK:
      return "dprk";
    case DI_NEXUS_OTHER:
      return "other";
    default:
      return "unknown";
    }
}

/* ---- string pool ---- */

static void
_pool_init(DiStringPool *pool)
{
  pool->index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  pool->arena = g_byte_array_new();
  g_byte_array_append(pool->arena, (const guint8 *) "", 1);   /* offset 0 is "" */
}

static guint32
_pool_intern(DiStringPool *pool, const gchar *s)
{
  if (!s || !*s)
    return 0;
  gpointer found = g_hash_table_lookup(pool->index, s);
  if (found)
    return GPOINTER_TO_UINT(found) - 1;
  guint32 off = pool->arena->len;
  g_byte_array_append(pool->arena, (const guint8 *) s, strlen(s) + 1);
  g_hash_table_insert(pool->index, g_strdup(s), GUINT_TO_POINTER(off + 1));
  return off;
}

/* ---- field caches ---- */

/* A hash of the first (up to) eight bytes of s: enough to tell apart the
 * few names a feed repeats, without a strlen(). */
static inline guint
_cache_slot(const gchar *s)
{
  guint h = 0;
  for (gint i = 0; i < 8 && s[i]; i++)
    h = h * 33 + (guchar) s[i];
  return (h ^ (h >> 7)) % DI_FIELD_CACHE;
}

static gboolean
_cache_get(DiFieldCache *cache, const gchar *s, guint32 *value)
{
  guint i = _cache_slot(s);
  if (!cache->text[i] || strcmp(cache->text[i], s) != 0)
    return FALSE;
  *value = cache->value[i];
  return TRUE;
}

static void
_cache_put(DiFieldCache *cache, const gchar *s, guint32 value)
{
  guint i = _cache_slot(s);
  g_free(cache->text[i]);
  cache->text[i] = g_strdup(s);
  cache->value[i] = value;
}

static void
_cache_clear(DiFieldCache *cache)
{
  for (guint i = 0; i < DI_FIELD_CACHE; i++)
    g_free(cache->text[i]);
}

static guint32
_cached_intern(DiStringPool *pool, DiFieldCache *cache, const gchar *s)
{
  guint32 off;
  if (!s || !*s)
    return 0;
  if (_cache_get(cache, s, &off))
    return off;
  off = _pool_intern(pool, s);
  _cache_put(cache, s, off);
  return off;
}

/* ---- builder ---- */

static guint
_attr_hash(gconstpointer p)
{
  const guint32 *w = p;
  guint h = 0;
  for (gsize i = 0; i < sizeof(DiAttr) / sizeof(guint32); i++)
    h = h * 31 + w[i];
  return h;
}

static gboolean
_attr_equal(gconstpointer a, gconstpointer b)
{
  return memcmp(a, b, sizeof(DiAttr)) == 0;
}

DiSnapshotBuilder *
di_snapshot_builder_new(void)
{
  DiSnapshotBuilder *self = g_new0(DiSnapshotBuilder, 1);
  _pool_init(&self->strings);
  self->actor_ids = g_hash_table_new(g_direct_hash, g_direct_equal);
  self->actors = g_array_new(FALSE, TRUE, sizeof(guint32));
  g_array_set_size(self->actors, 1);
  self->attrs = g_array_new(FALSE, FALSE, sizeof(DiAttr));
  /* keys are heap copies: the attrs array moves as it grows */
  self->attr_ids = g_hash_table_new_full(_attr_hash, _attr_equal, g_free, NULL);
  memset(self->recent_ids, 0xff, sizeof(self->recent_ids));
  return self;
}

/* The actor id of a raw actor name, and whether the alias table knows it
 * as a DPRK actor; both cached, as feeds name a few actors row after row. */
static guint32
_builder_actor_id(DiSnapshotBuilder *self, const gchar *actor, gboolean *is_dprk)
{
  guint32 id;
  *is_dprk = FALSE;
  if (!actor || !*actor)
    return 0;
  if (_cache_get(&self->actor_cache, actor, &id))
    {
      *is_dprk = self->actor_dprk_cache[_cache_slot(actor)];
      return id;
    }

  const gchar *canonical = di_actor_canonical(actor);
  guint32 off = _pool_intern(&self->strings, canonical);
  /* the pool offset is stable while the arena grows: key the ids by it */
  gpointer found = g_hash_table_lookup(self->actor_ids, GUINT_TO_POINTER(off + 1));
  if (found)
    id = GPOINTER_TO_UINT(found);
  else
    {
      id = self->actors->len;
      g_array_append_val(self->actors, off);
      g_hash_table_insert(self->actor_ids, GUINT_TO_POINTER(off + 1), GUINT_TO_POINTER(id));
    }
  _cache_put(&self->actor_cache, actor, id);
  *is_dprk = di_actor_is_dprk(actor);
  self->actor_dprk_cache[_cache_slot(actor)] = *is_dprk;
  return id;
}

static guint32
_builder_attr_id(DiSnapshotBuilder *self, DiType type, const DiIndicatorMeta *meta)
{
  DiAttr a = { 0 };
  gint confidence = meta && meta->confidence >= 0 ? meta->confidence : DI_DEFAULT_CONFIDENCE;
  a.confidence = CLAMP(confidence, 0, 100);
  a.type = type;
  if (meta)
    {
      gboolean dprk_actor;
      a.actor = _builder_actor_id(self, meta->actor, &dprk_actor);
      a.source = _cached_intern(&self->strings, &self->source_cache, meta->source);
      a.reference = _cached_intern(&self->strings, &self->reference_cache, meta->reference);
      a.description = _pool_intern(&self->strings, meta->description);
      a.valid_until = meta->valid_until > 0 ? (guint32) MIN(meta->valid_until, G_MAXUINT32) : 0;
      a.program = _pool_intern(&self->strings, meta->program);
      a.nexus = meta->nexus;
      if (a.nexus == DI_NEXUS_UNKNOWN && dprk_actor)
        a.nexus = DI_NEXUS_DPRK;
    }
  guint recent = _attr_hash(&a) % DI_RECENT_ATTRS;
  if (self->recent_ids[recent] != G_MAXUINT32 && memcmp(&self->recent[recent], &a, sizeof(a)) == 0)
    return self->recent_ids[recent];

  guint32 id;
  gpointer found = g_hash_table_lookup(self->attr_ids, &a);
  if (found)
    id = GPOINTER_TO_UINT(found) - 1;
  else
    {
      id = self->attrs->len;
      g_array_append_val(self->attrs, a);
      g_hash_table_insert(self->attr_ids, g_memdup2(&a, sizeof(a)), GUINT_TO_POINTER(id + 1));
    }
  self->recent[recent] = a;
  self->recent_ids[recent] = id;
  return id;
}

static void
_rows_grow(DiRows *rows)
{
  rows->cap = MAX(rows->cap * 2, 1024);
  rows->key_offs = g_renew(guint32, rows->key_offs, rows->cap);
  rows->key_infos = g_renew(guint16, rows->key_infos, rows->cap);
  rows->entry_attrs = g_renew(guint32, rows->entry_attrs, rows->cap);
}

static void
_keys_grow(DiRows *rows, gsize need)
{
  while (rows->keys_cap < need)
    rows->keys_cap = MAX(rows->keys_cap * 2, 16384);
  rows->keys = g_realloc(rows->keys, rows->keys_cap);
}

void
di_snapshot_builder_add(DiSnapshotBuilder *self, DiType type, const DiKey *key, const DiIndicatorMeta *meta)
{
  DiRows *rows = &self->rows;
  /* offsets and ids are 32-bit, the top id bit marks lists: billions of
   * rows are refused, counted, rather than wrapped */
  if (G_UNLIKELY((guint64) rows->keys_len + key->len > G_MAXUINT32 || rows->n >= DI_ATTR_LIST - 1
                 || key->len > DI_KEY_LEN_MASK))
    {
      self->dropped++;
      return;
    }
  if (G_UNLIKELY(rows->n == rows->cap))
    _rows_grow(rows);
  if (G_UNLIKELY(rows->keys_len + key->len > rows->keys_cap))
    _keys_grow(rows, rows->keys_len + key->len);

  rows->key_offs[rows->n] = (guint32) rows->keys_len;
  rows->key_infos[rows->n] = (guint16) ((key->cls << DI_KEY_LEN_BITS) | key->len);
  rows->entry_attrs[rows->n] = _builder_attr_id(self, type, meta);
  rows->n++;
  memcpy(rows->keys + rows->keys_len, key->bytes, key->len);
  rows->keys_len += key->len;
}

guint
di_snapshot_builder_count(const DiSnapshotBuilder *self)
{
  return self->rows.n;
}

static void
_builder_free_indexes(DiSnapshotBuilder *self)
{
  g_hash_table_destroy(self->strings.index);
  g_hash_table_destroy(self->actor_ids);
  g_hash_table_destroy(self->attr_ids);
  _cache_clear(&self->actor_cache);
  _cache_clear(&self->source_cache);
  _cache_clear(&self->reference_cache);
}

void
di_snapshot_builder_free(DiSnapshotBuilder *self)
{
  if (!self)
    return;
  g_free(self->rows.key_offs);
  g_free(self->rows.key_infos);
  g_free(self->rows.entry_attrs);
  g_free(self->rows.keys);
  g_byte_array_free(self->strings.arena, TRUE);
  g_array_free(self->actors, TRUE);
  g_array_free(self->attrs, TRUE);
  _builder_free_indexes(self);
  g_free(self);
}

/* ---- the table ---- */

/* The hash of a key: eight bytes a step with a multiply-xorshift mix and a
 * splitmix finaliser (the byte-at-a-time FNV it replaced cost twice as much
 * on 20 to 40-byte keys, and every token of every message is hashed).
 * Seeded at random per snapshot: a feed written to collide cannot know the
 * seed.
 *
 * The steps run so that one pass over a key gives the hash of every key a
 * lookup of it probes (_find_domain, _find_url):
 *   - a domain's eight-byte words are taken from its end back, and what is
 *     left at its start (0..7 bytes) goes in last: the parents of a name are
 *     its suffixes, and each suffix's words are the name's last words, so
 *     the states after each word serve them all;
 *   - a URL's words are taken from its "://" on (its scheme is left out, so
 *     that its http and https forms hash alike), and what is left at its
 *     end goes in last: its shorter paths are its prefixes;
 *   - every other key's from its start, like a URL's.
 * The length goes in with the last bytes. */
#define DI_HASH_WORD 8
#define DI_HASH_STATES (DI_KEY_MAX / DI_HASH_WORD + 1)

static inline guint64
_hash_begin(const DiSnapshot *snap, guint cls)
{
  return snap->seed ^ ((guint64) cls << 56);
}

static inline guint64
_hash_step(guint64 h, guint64 w)
{
  h = (h ^ w) * G_GUINT64_CONSTANT(0xbf58476d1ce4e5b9);
  return h ^ (h >> 29);
}

static inline guint64
_hash_load(const guint8 *p, gsize n)
{
  guint64 w = 0;
  memcpy(&w, p, n);
  return w;
}

/* the last (up to 7) bytes and the length of what was hashed */
static inline guint32
_hash_end(guint64 h, const guint8 *rest, gsize rest_len, gsize len)
{
  h = _hash_step(h ^ len, _hash_load(rest, rest_len));
  h ^= h >> 32;
  h *= G_GUINT64_CONSTANT(0x94d049bb133111eb);
  h ^= h >> 31;
  return (guint32) h;
}

/* Where a URL key's hash starts: at its "://" (at its start without one). */
static inline gsize
_url_hash_start(const guint8 *p, gsize len)
{
  const guint8 *colon = memchr(p, ':', len);
  return colon ? (gsize) (colon - p) : 0;
}

/* The states after each word of p[0, len) from its start: states[i] has
 * hashed i words.  Returns the number of whole words. */
static inline gsize
_hash_states_forward(const DiSnapshot *snap, guint cls, const guint8 *p, gsize len, guint64 *states)
{
  gsize words = len / DI_HASH_WORD;
  states[0] = _hash_begin(snap, cls);
  for (gsize i = 0; i < words; i++)
    states[i + 1] = _hash_step(states[i], _hash_load(p + i * DI_HASH_WORD, DI_HASH_WORD));
  DI_WORK(DI_WORK_HASH, len);
  return words;
}

/* The same from the end of p[0, len) back. */
static inline gsize
_hash_states_backward(const DiSnapshot *snap, guint cls, const guint8 *p, gsize len, guint64 *states)
{
  gsize words = len / DI_HASH_WORD;
  states[0] = _hash_begin(snap, cls);
  for (gsize i = 0; i < words; i++)
    states[i + 1] = _hash_step(states[i], _hash_load(p + len - (i + 1) * DI_HASH_WORD, DI_HASH_WORD));
  DI_WORK(DI_WORK_HASH, len);
  return words;
}

/* The hash of p[0, n) given the forward states of p. */
static inline guint32
_hash_prefix(const guint64 *states, const guint8 *p, gsize n)
{
  gsize words = n / DI_HASH_WORD;
  return _hash_end(states[words], p + words * DI_HASH_WORD, n % DI_HASH_WORD, n);
}

/* The hash of the last n bytes of p[0, len) given the backward states of p. */
static inline guint32
_hash_suffix(const guint64 *states, const guint8 *p, gsize len, gsize n)
{
  return _hash_end(states[n / DI_HASH_WORD], p + len - n, n % DI_HASH_WORD, n);
}

static inline guint32
_key_hash(const DiSnapshot *snap, guint cls, const guint8 *p, gsize len)
{
  guint64 h = _hash_begin(snap, cls);
  DI_WORK(DI_WORK_HASH, len);
  if (cls == DI_KEY_DOMAIN)
    {
      gsize n = len;
      for (; n >= DI_HASH_WORD; n -= DI_HASH_WORD)
        h = _hash_step(h, _hash_load(p + n - DI_HASH_WORD, DI_HASH_WORD));
      return _hash_end(h, p, n, len);
    }
  if (cls == DI_KEY_URL)
    {
      gsize skip = _url_hash_start(p, len);
      p += skip;
      len -= skip;
    }
  const guint8 *q = p;
  gsize n = len;
  for (; n >= DI_HASH_WORD; q += DI_HASH_WORD, n -= DI_HASH_WORD)
    h = _hash_step(h, _hash_load(q, DI_HASH_WORD));
  return _hash_end(h, q, n, len);
}

/* Any table size works: the slot is the hash scaled to it (the high bits
 * decide), the tag is taken from the low bits, so that the entries of one
 * probe run, whose high bits are alike, still have different tags. */
static inline guint32
_home_slot(const DiSnapshot *snap, guint32 hash)
{
  return (guint32) (((guint64) hash * snap->cap) >> 32);
}

static inline guint32
_tag(const DiSnapshot *snap, guint32 hash)
{
  return (guint32) ((guint64) hash << snap->id_bits);
}

#define DI_HUGE_PAGE (2 * 1024 * 1024)

/* The slots and the filter in one anonymous mapping (zeroed), in huge
 * pages where the kernel gives them (transparent huge pages, "madvise"
 * mode on Debian): every lookup reads a random word of both, and with 4 KiB
 * pages most of those reads would also miss the TLB. */
static void
_table_alloc(DiSnapshot *snap, guint n)
{
  guint64 cap = (guint64) n * 10 / DI_TABLE_LOAD_TENTHS + 1;
  snap->cap = (guint32) MIN(MAX(cap, 16), G_MAXUINT32);
  /* ids are stored + 1, so the largest is n */
  snap->id_bits = g_bit_storage(n);
  snap->id_mask = snap->id_bits >= 32 ? G_MAXUINT32 : (1u << snap->id_bits) - 1;
  guint64 words = MAX((guint64) n * DI_FILTER_BITS_PER_ENTRY / 64, 16);
  snap->filter_words = (guint32) MIN(words, G_MAXUINT32);

  gsize slots_size = ((gsize) snap->cap * sizeof(guint32) + 63) & ~(gsize) 63;
  gsize size = slots_size + (gsize) snap->filter_words * sizeof(guint64);
  gpointer region = MAP_FAILED;
  if (size >= DI_HUGE_PAGE)
    {
      size = (size + DI_HUGE_PAGE - 1) & ~(gsize) (DI_HUGE_PAGE - 1);
      region = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    }
  if (region != MAP_FAILED)
    madvise(region, size, MADV_HUGEPAGE);
  else
    {
      region = g_malloc0(size);
      size = 0;   /* not a mapping */
    }
  snap->table_region = region;
  snap->table_region_size = size;
  snap->slots = region;
  snap->filter = (guint64 *) ((guint8 *) region + slots_size);
}

static void
_table_free(DiSnapshot *snap)
{
  if (snap->table_region_size)
    munmap(snap->table_region, snap->table_region_size);
  else
    g_free(snap->table_region);
  snap->table_region = NULL;
  snap->slots = NULL;
  snap->filter = NULL;
}

/* The filter's word and its two bits for a hash: other mixes of it than
 * the slot's; the word scaled from high bits, the bits from low ones. */
static inline guint64
_filter_mask(guint32 hash)
{
  guint32 b = hash * 0x85ebca6bu;
  return (G_GUINT64_CONSTANT(1) << (b >> 26)) | (G_GUINT64_CONSTANT(1) << ((b >> 20) & 63));
}

static inline guint32
_filter_word(const DiSnapshot *snap, guint32 hash)
{
  return (guint32) (((guint64) (hash * 0x9e3779b1u) * snap->filter_words) >> 32);
}

static inline void
_filter_set(DiSnapshot *snap, guint32 hash)
{
  snap->filter[_filter_word(snap, hash)] |= _filter_mask(hash);
}

static inline gboolean
_filter_test(const DiSnapshot *snap, guint32 hash)
{
  guint64 mask = _filter_mask(hash);
  return (snap->filter[_filter_word(snap, hash)] & mask) == mask;
}

static inline gboolean
_entry_has_key(const DiSnapshot *snap, guint32 id, guint16 info, const guint8 *bytes)
{
  return snap->key_infos[id] == info && memcmp(snap->keys + snap->key_offs[id], bytes, info & DI_KEY_LEN_MASK) == 0;
}

/* The slot that holds the key, or the empty slot where it would go. */
static inline guint32 *
_table_probe(const DiSnapshot *snap, guint32 hash, guint16 info, const guint8 *bytes)
{
  guint32 tag = _tag(snap, hash);
  guint32 i = _home_slot(snap, hash);
  for (;;)
    {
      guint32 s = snap->slots[i];
      if (!s)
        return &snap->slots[i];
      if ((s & ~snap->id_mask) == tag && _entry_has_key(snap, (s & snap->id_mask) - 1, info, bytes))
        return &snap->slots[i];
      if (++i == snap->cap)
        i = 0;
    }
}

static inline guint16
_info(guint cls, gsize len)
{
  return (guint16) ((cls << DI_KEY_LEN_BITS) | len);
}

/* The hash of entry (or, in finish(), row) id's key. */
static inline guint32
_entry_hash(const DiSnapshot *snap, guint32 id)
{
  guint16 info = snap->key_infos[id];
  return _key_hash(snap, info >> DI_KEY_LEN_BITS, snap->keys + snap->key_offs[id], info & DI_KEY_LEN_MASK);
}

static void
_table_rebuild(DiSnapshot *snap)
{
  _table_free(snap);
  _table_alloc(snap, snap->n_entries);
  for (guint32 id = 0; id < snap->n_entries; id++)
    {
      guint32 hash = _entry_hash(snap, id);
      guint32 *slot = _table_probe(snap, hash, snap->key_infos[id], snap->keys + snap->key_offs[id]);
      *slot = _tag(snap, hash) | (id + 1);
      _filter_set(snap, hash);
    }
}

/* ---- attribution order ---- */

typedef struct
{
  guint32 next;          /* G_MAXUINT32 ends the chain */
  guint32 attr;
} DiAttrNode;

typedef struct
{
  guint32 attr;
  guint32 seq;           /* row order among this value's rows */
} DiRanked;

/* Best first: DPRK-linked, attributed, more confident, loaded first. */
static gint
_compare_rank(gconstpointer pa, gconstpointer pb, gpointer user_data)
{
  const DiSnapshot *snap = user_data;
  const DiRanked *ra = pa, *rb = pb;
  const DiAttr *a = &snap->attrs[ra->attr], *b = &snap->attrs[rb->attr];
  gint da = a->nexus == DI_NEXUS_DPRK, db = b->nexus == DI_NEXUS_DPRK;
  if (da != db)
    return db - da;
  if ((a->actor != 0) != (b->actor != 0))
    return (b->actor != 0) - (a->actor != 0);
  if (a->confidence != b->confidence)
    return (gint) b->confidence - (gint) a->confidence;
  return ra->seq < rb->seq ? -1 : ra->seq > rb->seq;
}

/* Groups attributions of one actor and source, best first in each group. */
static gint
_compare_actor_source(gconstpointer pa, gconstpointer pb, gpointer user_data)
{
  const DiSnapshot *snap = user_data;
  const DiRanked *ra = pa, *rb = pb;
  const DiAttr *a = &snap->attrs[ra->attr], *b = &snap->attrs[rb->attr];
  if (a->actor != b->actor)
    return a->actor < b->actor ? -1 : 1;
  if (a->source != b->source)
    return a->source < b->source ? -1 : 1;
  return _compare_rank(pa, pb, user_data);
}

/* The value's attributions from its chain, in row order. */
static void
_collect_chain(const DiAttrNode *nodes, guint32 head, GArray *out)
{
  g_array_set_size(out, 0);
  for (guint32 i = head; i != G_MAXUINT32; i = nodes[i].next)
    {
      DiRanked r = { nodes[i].attr, 0 };
      g_array_append_val(out, r);
    }
  DiRanked *v = (DiRanked *) out->data;
  for (guint i = 0; i < out->len; i++)
    v[i].seq = out->len - 1 - i;
}

/* One actor and source once (the best of them); then best first. */
static guint
_rank_attributions(const DiSnapshot *snap, DiRanked *v, guint n)
{
  g_qsort_with_data(v, n, sizeof(DiRanked), _compare_actor_source, (gpointer) snap);
  guint kept = 0;
  for (guint i = 0; i < n; i++)
    {
      const DiAttr *a = &snap->attrs[v[i].attr];
      if (kept > 0)
        {
          const DiAttr *last = &snap->attrs[v[kept - 1].attr];
          if (last->actor == a->actor && last->source == a->source)
            continue;
        }
      v[kept++] = v[i];
    }
  g_qsort_with_data(v, kept, sizeof(DiRanked), _compare_rank, (gpointer) snap);
  return kept;
}

static guint32
_latest_expiry(const DiSnapshot *snap, const DiRanked *v, guint n)
{
  guint32 latest = 0;
  for (guint i = 0; i < n; i++)
    {
      guint32 t = snap->attrs[v[i].attr].valid_until;
      if (t == 0)
        return 0;
      latest = MAX(latest, t);
    }
  return latest;
}

/* Turns every entry's chain into its final form: one id, or a list. */
static void
_finish_attributions(DiSnapshot *snap, const DiAttrNode *nodes)
{
  GArray *lists = g_array_new(FALSE, FALSE, sizeof(guint32));
  GArray *ranked = g_array_new(FALSE, FALSE, sizeof(DiRanked));

  for (guint32 e = 0; e < snap->n_entries; e++)
    {
      if (!(snap->entry_attrs[e] & DI_ATTR_LIST))
        continue;
      _collect_chain(nodes, snap->entry_attrs[e] & ~DI_ATTR_LIST, ranked);
      DiRanked *v = (DiRanked *) ranked->data;
      guint n = _rank_attributions(snap, v, ranked->len);
      if (n > DI_SNAPSHOT_MAX_ATTRIBUTIONS)
        {
          snap->attributions_dropped += n - DI_SNAPSHOT_MAX_ATTRIBUTIONS;
          n = DI_SNAPSHOT_MAX_ATTRIBUTIONS;
        }
      if (n == 1)
        {
          snap->entry_attrs[e] = v[0].attr;
          continue;
        }
      snap->entry_attrs[e] = DI_ATTR_LIST | lists->len;
      guint32 header[DI_LIST_HEADER] = { n, _latest_expiry(snap, v, n) };
      g_array_append_vals(lists, header, DI_LIST_HEADER);
      for (guint i = 0; i < n; i++)
        g_array_append_val(lists, v[i].attr);
    }

  g_array_free(ranked, TRUE);
  snap->lists_len = lists->len;
  snap->lists = (guint32 *) g_array_free(lists, FALSE);
}

/* Adds attribution attr of a later row to entry e, as a chain of nodes
 * (newest first) that _finish_attributions() sorts out. */
static void
_chain_attribution(DiSnapshot *snap, GArray *nodes, guint32 e, guint32 attr)
{
  guint32 current = snap->entry_attrs[e];
  guint32 head;
  if (current & DI_ATTR_LIST)
    {
      head = current & ~DI_ATTR_LIST;
      /* the same row repeated: nothing to chain */
      if (g_array_index(nodes, DiAttrNode, head).attr == attr)
        return;
    }
  else
    {
      if (current == attr)
        return;
      DiAttrNode first = { G_MAXUINT32, current };
      head = nodes->len;
      g_array_append_val(nodes, first);
    }
  DiAttrNode node = { head, attr };
  snap->entry_attrs[e] = DI_ATTR_LIST | nodes->len;
  g_array_append_val(nodes, node);
}

/* ---- finish ---- */

static void
_note_cidr_len(guint8 *lens, guint *n, guint8 len)
{
  for (guint i = 0; i < *n; i++)
    if (lens[i] == len)
      return;
  /* keep them sorted longest first: longest-prefix match stops at the first hit */
  guint pos = *n;
  while (pos > 0 && lens[pos - 1] < len)
    {
      lens[pos] = lens[pos - 1];
      pos--;
    }
  lens[pos] = len;
  (*n)++;
}

static void
_note_key_class(DiSnapshot *snap, guint cls, const guint8 *bytes)
{
  if (cls == DI_KEY_CIDR4)
    _note_cidr_len(snap->cidr4_lens, &snap->n_cidr4_lens, bytes[0]);
  else if (cls == DI_KEY_CIDR6)
    _note_cidr_len(snap->cidr6_lens, &snap->n_cidr6_lens, bytes[0]);
}

/* One pass over the rows: each value found in the table gets the row's
 * attribution chained, each new value moves down to the next free entry
 * (and its key to the end of the keys kept so far: entries and keys only
 * ever move towards the front, so this is done in place). */
/* Rows ahead whose home slot is fetched while this one is inserted: the
 * table is far larger than the caches, so each insert would otherwise wait
 * for memory. */
#define DI_PREFETCH_ROWS 16

/* One pass over the rows: each value found in the table gets the row's
 * attribution chained, each new value moves down to the next free entry
 * (and its key to the end of the keys kept so far: entries and keys only
 * ever move towards the front, and a row's key is read before anything is
 * written over it, so this is done in place). */
static void
_merge_rows(DiSnapshot *snap, guint n_rows)
{
  GArray *nodes = g_array_new(FALSE, FALSE, sizeof(DiAttrNode));
  guint32 n = 0, keys_end = 0;
  guint32 hashes[DI_PREFETCH_ROWS];

  _table_alloc(snap, n_rows);
  for (guint32 row = 0; row < MIN(n_rows, DI_PREFETCH_ROWS); row++)
    hashes[row] = _entry_hash(snap, row);
  for (guint32 row = 0; row < n_rows; row++)
    {
      guint32 hash = hashes[row % DI_PREFETCH_ROWS];
      if (row + DI_PREFETCH_ROWS < n_rows)
        {
          guint32 ahead = _entry_hash(snap, row + DI_PREFETCH_ROWS);
          hashes[row % DI_PREFETCH_ROWS] = ahead;
          __builtin_prefetch(&snap->slots[_home_slot(snap, ahead)], 1);
        }

      guint16 info = snap->key_infos[row];
      guint cls = info >> DI_KEY_LEN_BITS, len = info & DI_KEY_LEN_MASK;
      const guint8 *bytes = snap->keys + snap->key_offs[row];
      guint32 *slot = _table_probe(snap, hash, info, bytes);
      if (*slot)
        {
          _chain_attribution(snap, nodes, (*slot & snap->id_mask) - 1, snap->entry_attrs[row]);
          continue;
        }
      memmove(snap->keys + keys_end, bytes, len);
      snap->key_offs[n] = keys_end;
      snap->key_infos[n] = info;
      snap->entry_attrs[n] = snap->entry_attrs[row];
      _note_key_class(snap, cls, snap->keys + keys_end);
      *slot = _tag(snap, hash) | (n + 1);
      _filter_set(snap, hash);
      keys_end += len;
      n++;
    }
  snap->n_entries = n;
  snap->keys_len = keys_end;
  _finish_attributions(snap, (const DiAttrNode *) nodes->data);
  g_array_free(nodes, TRUE);
}

static void
_shrink_to_entries(DiSnapshot *snap)
{
  guint n = MAX(snap->n_entries, 1);
  snap->key_offs = g_renew(guint32, snap->key_offs, n);
  snap->key_infos = g_renew(guint16, snap->key_infos, n);
  snap->entry_attrs = g_renew(guint32, snap->entry_attrs, n);
  snap->keys = g_realloc(snap->keys, MAX(snap->keys_len, 1));
}

static void
_mark_dprk_actors(DiSnapshot *snap)
{
  snap->actor_dprk = g_new0(guint8, MAX(snap->n_actors, 1));
  for (guint i = 0; i < snap->n_attrs; i++)
    if (snap->attrs[i].nexus == DI_NEXUS_DPRK && snap->attrs[i].actor)
      snap->actor_dprk[snap->attrs[i].actor] = 1;
}

DiSnapshot *
di_snapshot_builder_finish(DiSnapshotBuilder *self)
{
  DiSnapshot *snap = g_new0(DiSnapshot, 1);
  snap->ref_cnt = 1;
  snap->seed = ((guint64) g_random_int() << 32) | g_random_int();

  guint n_rows = self->rows.n;
  snap->key_offs = self->rows.key_offs;
  snap->key_infos = self->rows.key_infos;
  snap->entry_attrs = self->rows.entry_attrs;
  snap->keys = self->rows.keys;
  snap->n_attrs = self->attrs->len;
  snap->attrs = (DiAttr *) g_array_free(self->attrs, FALSE);
  snap->strings_len = self->strings.arena->len;
  snap->strings = (gchar *) g_byte_array_free(self->strings.arena, FALSE);
  snap->n_actors = self->actors->len;
  snap->actors = (guint32 *) g_array_free(self->actors, FALSE);
  snap->attributions_dropped = self->dropped;
  _builder_free_indexes(self);
  g_free(self);

  _merge_rows(snap, n_rows);
  _shrink_to_entries(snap);
  /* many rows of few values: a table sized for the rows would be mostly empty */
  if (snap->n_entries < n_rows / 2)
    _table_rebuild(snap);
  _mark_dprk_actors(snap);
  return snap;
}

/* ---- snapshot ---- */

DiSnapshot *
di_snapshot_ref(DiSnapshot *self)
{
  if (self)
    g_atomic_int_inc(&self->ref_cnt);
  return self;
}

void
di_snapshot_unref(DiSnapshot *self)
{
  if (!self || !g_atomic_int_dec_and_test(&self->ref_cnt))
    return;
  g_free(self->key_offs);
  g_free(self->key_infos);
  g_free(self->entry_attrs);
  g_free(self->keys);
  g_free(self->lists);
  g_free(self->attrs);
  _table_free(self);
  g_free(self->strings);
  g_free(self->actors);
  g_free(self->actor_dprk);
  g_free(self);
}

guint
di_snapshot_count(const DiSnapshot *self)
{
  return self->n_entries;
}

gsize
di_snapshot_memory(const DiSnapshot *self)
{
  return sizeof(*self)
         + (gsize) self->n_entries * (sizeof(guint32) + sizeof(guint16) + sizeof(guint32))
         + self->keys_len + self->lists_len * sizeof(guint32) + (gsize) self->n_attrs * sizeof(DiAttr)
         + (gsize) self->cap * sizeof(guint32) + (gsize) self->filter_words * sizeof(guint64) + self->strings_len
         + (gsize) self->n_actors * (sizeof(guint32) + 1);
}

guint
di_snapshot_attributions_dropped(const DiSnapshot *self)
{
  return self->attributions_dropped;
}

/* The entry of key (cls, bytes, len), whose _key_hash() is hash. */
static gboolean
_lookup_hashed(const DiSnapshot *self, guint32 hash, guint8 cls, const guint8 *bytes, gsize len, DiEntryFunc func,
               gpointer user_data, gboolean *found)
{
  DI_WORK(DI_WORK_PROBE, 1);
  if (!_filter_test(self, hash))
    return TRUE;
  guint32 *slot = _table_probe(self, hash, _info(cls, len), bytes);
  if (!*slot)
    return TRUE;
  *found = TRUE;
  return func(self, (*slot & self->id_mask) - 1, user_data);
}

static gboolean
_lookup_raw(const DiSnapshot *self, guint8 cls, const guint8 *bytes, gsize len, DiEntryFunc func,
            gpointer user_data, gboolean *found)
{
  if (len > DI_KEY_LEN_MASK)
    return TRUE;
  return _lookup_hashed(self, _key_hash(self, cls, bytes, len), cls, bytes, len, func, user_data, found);
}

void
di_snapshot_lookup(const DiSnapshot *self, const DiKey *key, DiEntryFunc func, gpointer user_data)
{
  gboolean found = FALSE;
  _lookup_raw(self, key->cls, key->bytes, key->len, func, user_data, &found);
}

/* A domain's parents that can be listed: the suffixes at its label starts
 * but the last label (a listed domain has two labels at least), longest
 * first, with their hashes, from one pass over the name.  A name has 127
 * labels at most. */
#define DI_MAX_LABELS (DI_KEY_MAX / 2 + 1)

static guint
_domain_suffixes(const DiSnapshot *self, const DiKey *key, guint32 *hashes, guint16 *starts)
{
  guint64 states[DI_HASH_STATES];
  const guint8 *p = key->bytes;
  gsize len = key->len;
  guint n = 0;
  _hash_states_backward(self, DI_KEY_DOMAIN, p, len, states);
  for (gsize s = 0; n < DI_MAX_LABELS;)
    {
      hashes[n] = _hash_suffix(states, p, len, len - s);
      starts[n++] = s;
      const guint8 *dot = memchr(p + s, '.', len - s);
      if (!dot || !memchr(dot + 1, '.', p + len - dot - 1))
        break;
      s = dot + 1 - p;
    }
  return n;
}

guint32
di_snapshot_prefetch(const DiSnapshot *self, const DiKey *key)
{
  if (key->cls != DI_KEY_DOMAIN)
    {
      guint32 hash = _key_hash(self, key->cls, key->bytes, key->len);
      __builtin_prefetch(&self->filter[_filter_word(self, hash)]);
      return hash;
    }
  /* the name and the parents _find_domain() looks up */
  guint32 hashes[DI_MAX_LABELS];
  guint16 starts[DI_MAX_LABELS];
  guint n = _domain_suffixes(self, key, hashes, starts);
  for (guint i = 0; i < n; i++)
    __builtin_prefetch(&self->filter[_filter_word(self, hashes[i])]);
  return hashes[0];
}

/* Longest-prefix match: one probe per prefix length in use, longest first. */
static gboolean
_find_cidr(const DiSnapshot *self, guint8 cls, const guint8 *addr, guint addr_len, const guint8 *lens,
           guint n_lens, DiEntryFunc func, gpointer user_data)
{
  guint8 probe[17];
  for (guint i = 0; i < n_lens; i++)
    {
      guint8 plen = lens[i];
      probe[0] = plen;
      for (guint b = 0; b < addr_len; b++)
        {
          gint bits = CLAMP((gint) plen - (gint) b * 8, 0, 8);
          probe[1 + b] = addr[b] & (guint8) (0xff00 >> bits);
        }
      gboolean found = FALSE;
      if (!_lookup_raw(self, cls, probe, addr_len + 1, func, user_data, &found))
        return FALSE;
      if (found)
        break;
    }
  return TRUE;
}

/* A domain matches itself and every parent the feeds list, longest first;
 * their hashes come from one pass over the name (_domain_suffixes), so a
 * name of many labels costs time linear in its length. */
static void
_find_domain(const DiSnapshot *self, const DiKey *key, DiEntryFunc func, gpointer user_data)
{
  guint32 hashes[DI_MAX_LABELS];
  guint16 starts[DI_MAX_LABELS];
  guint n = _domain_suffixes(self, key, hashes, starts);
  for (guint i = 0; i < n; i++)
    {
      gboolean found = FALSE;
      if (!_lookup_hashed(self, hashes[i], DI_KEY_DOMAIN, key->bytes + starts[i], key->len - starts[i], func,
                          user_data, &found))
        return;
    }
}

/* A listed URL matches the same URL with the other of http/https, and
 * every URL on the same scheme, host and port whose path starts with the
 * listed path at a segment boundary ("/a/b" matches "/a/b", "/a/b/" and
 * "/a/b/c", not "/a/bc"); a listed URL with a query only matches that path
 * and query (a file-sharing link differs from the next only in its query).
 * Keys are normalised (normalize.h: no fragment, no user info, no default
 * port, a path from "/").  A URL key's hash runs from its "://" on
 * (_key_hash), so one pass hashes every prefix for both schemes; they are
 * probed longest first, the first MAX_URL_PREFIXES segment boundaries at
 * most, so that a hostile path of many slashes costs linear time. */
#define MAX_URL_PREFIXES 32

static void
_find_url(const DiSnapshot *self, const DiKey *key, DiEntryFunc func, gpointer user_data)
{
  const guint8 *k = key->bytes;
  gsize len = key->len;
  const guint8 *colon = memchr(k, ':', len);
  if (!colon || (gsize) (colon - k) + 3 > len)
    return;
  gsize scheme = colon - k;
  const guint8 *slash = memchr(k + scheme + 3, '/', len - scheme - 3);
  gsize path = slash ? (gsize) (slash - k) : len;
  const guint8 *mark = memchr(k + path, '?', len - path);
  gsize query = mark ? (gsize) (mark - k) : len;

  /* the lengths to probe, shortest first: the path up to each '/' without
   * it and with it (unless that is the whole path), the path without its
   * query, the whole key */
  gsize lens[2 * MAX_URL_PREFIXES + 2];
  guint n = 0;
  for (gsize i = path; i < query && n < 2 * MAX_URL_PREFIXES; i++)
    {
      if (k[i] != '/')
        continue;
      if (i > path)
        lens[n++] = i;
      if (i + 1 < query && n < 2 * MAX_URL_PREFIXES)
        lens[n++] = i + 1;
    }
  if (query < len)
    lens[n++] = query;
  lens[n++] = len;

  guint64 states[DI_HASH_STATES];
  _hash_states_forward(self, DI_KEY_URL, k + scheme, len - scheme, states);

  /* the same lengths with the other of http and https, one byte more or
   * less: written out only when the filter lets a length through */
  guint8 other[DI_KEY_MAX + 1];
  gssize shift = (scheme == 4 && memcmp(k, "http", 4) == 0) ? 1 : (scheme == 5 && memcmp(k, "https", 5) == 0) ? -1 : 0;
  gboolean written = FALSE;
  while (n-- > 0)
    {
      gboolean found = FALSE;
      guint32 hash = _hash_prefix(states, k + scheme, lens[n] - scheme);
      /* both forms share the hash, and so the filter's answer; a probe
       * the filter answers is still work (test-linear counts it) */
      if (!_filter_test(self, hash))
        {
          DI_WORK(DI_WORK_PROBE, 1);
          continue;
        }
      if (!_lookup_hashed(self, hash, DI_KEY_URL, k, lens[n], func, user_data, &found))
        return;
      if (!shift)
        continue;
      if (!written)
        {
          memcpy(other, shift > 0 ? "https" : "http", scheme + shift);
          memcpy(other + scheme + shift, k + scheme, len - scheme);
          written = TRUE;
        }
      if (!_lookup_hashed(self, hash, DI_KEY_URL, other, lens[n] + shift, func, user_data, &found))
        return;
    }
}

void
di_snapshot_find_hashed(const DiSnapshot *self, const DiKey *key, guint32 hash, DiEntryFunc func,
                        gpointer user_data)
{
  gboolean found = FALSE;
  if (key->len > DI_KEY_LEN_MASK)
    return;
  switch (key->cls)
    {
    case DI_KEY_DOMAIN:
      _find_domain(self, key, func, user_data);
      break;
    case DI_KEY_IPV4:
      if (_lookup_hashed(self, hash, key->cls, key->bytes, key->len, func, user_data, &found))
        _find_cidr(self, DI_KEY_CIDR4, key->bytes, 4, self->cidr4_lens, self->n_cidr4_lens, func, user_data);
      break;
    case DI_KEY_IPV6:
      /* an IPv4-mapped address (::ffff:a.b.c.d, as dual-stack servers log
       * IPv4 clients) is also the IPv4 address */
      if (memcmp(key->bytes, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0
          && (!_lookup_raw(self, DI_KEY_IPV4, key->bytes + 12, 4, func, user_data, &found)
              || !_find_cidr(self, DI_KEY_CIDR4, key->bytes + 12, 4, self->cidr4_lens, self->n_cidr4_lens, func,
                             user_data)))
        break;
      if (_lookup_hashed(self, hash, key->cls, key->bytes, key->len, func, user_data, &found))
        _find_cidr(self, DI_KEY_CIDR6, key->bytes, 16, self->cidr6_lens, self->n_cidr6_lens, func, user_data);
      break;
    case DI_KEY_URL:
      _find_url(self, key, func, user_data);
      break;
    default:
      _lookup_hashed(self, hash, key->cls, key->bytes, key->len, func, user_data, &found);
      break;
    }
}

void
di_snapshot_find(const DiSnapshot *self, const DiKey *key, DiEntryFunc func, gpointer user_data)
{
  if (key->len > DI_KEY_LEN_MASK)
    return;
  /* a domain's and a URL's hashes come from their own pass */
  guint32 hash = key->cls == DI_KEY_DOMAIN || key->cls == DI_KEY_URL ? 0
                 : _key_hash(self, key->cls, key->bytes, key->len);
  di_snapshot_find_hashed(self, key, hash, func, user_data);
}

/* ---- entry accessors ---- */

void
di_snapshot_entry_value(const DiSnapshot *self, guint32 entry, GString *out)
{
  guint16 info = self->key_infos[entry];
  di_key_format_raw(info >> DI_KEY_LEN_BITS, self->keys + self->key_offs[entry], info & DI_KEY_LEN_MASK, out);
}

const guint8 *
di_snapshot_entry_key(const DiSnapshot *self, guint32 entry, guint8 *cls, gsize *len)
{
  guint16 info = self->key_infos[entry];
  *cls = info >> DI_KEY_LEN_BITS;
  *len = info & DI_KEY_LEN_MASK;
  return self->keys + self->key_offs[entry];
}

gboolean
di_snapshot_entry_same_key(const DiSnapshot *self, guint32 a, guint32 b)
{
  return a == b;
}

guint
di_snapshot_entry_attribution_count(const DiSnapshot *self, guint32 entry)
{
  guint32 a = self->entry_attrs[entry];
  return a & DI_ATTR_LIST ? self->lists[a & ~DI_ATTR_LIST] : 1;
}

guint32
di_snapshot_entry_attribution(const DiSnapshot *self, guint32 entry, guint i)
{
  guint32 a = self->entry_attrs[entry];
  if (!(a & DI_ATTR_LIST))
    return a;
  return self->lists[(a & ~DI_ATTR_LIST) + DI_LIST_HEADER + i];
}

gint64
di_snapshot_entry_valid_until(const DiSnapshot *self, guint32 entry)
{
  guint32 a = self->entry_attrs[entry];
  if (a & DI_ATTR_LIST)
    return self->lists[(a & ~DI_ATTR_LIST) + 1];
  return self->attrs[a].valid_until;
}

static inline const DiAttr *
_primary(const DiSnapshot *self, guint32 entry)
{
  return &self->attrs[di_snapshot_entry_attribution(self, entry, 0)];
}

DiType
di_snapshot_entry_type(const DiSnapshot *self, guint32 entry)
{
  return _primary(self, entry)->type;
}

const gchar *
di_snapshot_entry_actor(const DiSnapshot *self, guint32 entry)
{
  return di_snapshot_actor_name(self, _primary(self, entry)->actor);
}

guint32
di_snapshot_entry_actor_id(const DiSnapshot *self, guint32 entry)
{
  return _primary(self, entry)->actor;
}

const gchar *
di_snapshot_entry_source(const DiSnapshot *self, guint32 entry)
{
  return self->strings + _primary(self, entry)->source;
}

const gchar *
di_snapshot_entry_reference(const DiSnapshot *self, guint32 entry)
{
  return self->strings + _primary(self, entry)->reference;
}

const gchar *
di_snapshot_entry_description(const DiSnapshot *self, guint32 entry)
{
  return self->strings + _primary(self, entry)->description;
}

gint
di_snapshot_entry_confidence(const DiSnapshot *self, guint32 entry)
{
  return _primary(self, entry)->confidence;
}

const gchar *
di_snapshot_entry_program(const DiSnapshot *self, guint32 entry)
{
  return self->strings + _primary(self, entry)->program;
}

DiNexus
di_snapshot_entry_nexus(const DiSnapshot *self, guint32 entry)
{
  return _primary(self, entry)->nexus;
}

/* ---- attribution accessors ---- */

DiType
di_snapshot_attribution_type(const DiSnapshot *self, guint32 attribution)
{
  return self->attrs[attribution].type;
}

const gchar *
di_snapshot_attribution_actor(const DiSnapshot *self, guint32 attribution)
{
  return di_snapshot_actor_name(self, self->attrs[attribution].actor);
}

guint32
di_snapshot_attribution_actor_id(const DiSnapshot *self, guint32 attribution)
{
  return self->attrs[attribution].actor;
}

const gchar *
di_snapshot_attribution_source(const DiSnapshot *self, guint32 attribution)
{
  return self->strings + self->attrs[attribution].source;
}

const gchar *
di_snapshot_attribution_reference(const DiSnapshot *self, guint32 attribution)
{
  return self->strings + self->attrs[attribution].reference;
}

const gchar *
di_snapshot_attribution_description(const DiSnapshot *self, guint32 attribution)
{
  return self->strings + self->attrs[attribution].description;
}

gint
di_snapshot_attribution_confidence(const DiSnapshot *self, guint32 attribution)
{
  return self->attrs[attribution].confidence;
}

gint64
di_snapshot_attribution_valid_until(const DiSnapshot *self, guint32 attribution)
{
  return self->attrs[attribution].valid_until;
}

const gchar *
di_snapshot_attribution_program(const DiSnapshot *self, guint32 attribution)
{
  return self->strings + self->attrs[attribution].program;
}

DiNexus
di_snapshot_attribution_nexus(const DiSnapshot *self, guint32 attribution)
{
  return self->attrs[attribution].nexus;
}

/* ---- actors ---- */

guint
di_snapshot_actor_count(const DiSnapshot *self)
{
  return self->n_actors;
}

const gchar *
di_snapshot_actor_name(const DiSnapshot *self, guint32 actor_id)
{
  if (actor_id == 0 || actor_id >= self->n_actors)
    return "";
  return self->strings + self->actors[actor_id];
}

gboolean
di_snapshot_actor_is_dprk(const DiSnapshot *self, guint32 actor_id)
{
  return actor_id > 0 && actor_id < self->n_actors && self->actor_dprk[actor_id];
}
