/* snapshot.c: the immutable indicator store and its builder.
 *
 * Layout, chosen so that a million indicators cost about 50 bytes each:
 *   entries  flat array of DiEntry (16 bytes), ids are array indexes
 *   metas    what feeds say about indicators (actor, source, reference, ...),
 *            interned: a feed's rows share a handful of these
 *   slots    open-addressing table (linear probing, load <= 0.5) of entry id + 1
 *   keys     one arena holding every key's bytes
 *   strings  one arena of NUL-terminated strings, interned once, referenced by offset
 *   filter   16 bits per indicator, one set per key hash: most tokens of a log
 *            line are not indicators, and this small array (L2/L3-resident
 *            where the table is not) turns them away without a cache miss
 * Equal keys (the same value listed by two feeds or actors) sit in one probe
 * run, so a lookup reports all of them.  CIDRs are found by probing the same
 * table once per prefix length that the feeds use, longest first.
 */
#include "snapshot.h"
#include "actors.h"
#include <string.h>

typedef struct
{
  guint32 actor;         /* dense actor id, 0 = none */
  guint32 source;        /* offsets into the string arena, 0 = "" */
  guint32 reference;
  guint32 description;
  guint32 valid_until;   /* UNIX seconds, 0 = never */
  guint32 confidence;
  guint32 program;       /* string offset, 0 = "" */
  guint32 nexus;         /* DiNexus */
} DiMeta;

typedef struct
{
  guint32 hash;
  guint32 key_off;
  guint16 key_len;
  guint8 cls;
  guint8 type;
  guint32 meta;          /* index into metas */
} DiEntry;

typedef struct
{
  GHashTable *index;     /* string -> offset + 1 */
  GByteArray *arena;
} DiStringPool;

struct _DiSnapshotBuilder
{
  GArray *entries;
  GByteArray *keys;
  DiStringPool strings;
  GHashTable *actor_ids; /* pool offset + 1 of the canonical name -> id */
  GArray *actors;        /* id -> string offset */
  GArray *metas;         /* of DiMeta */
  GHashTable *meta_ids;  /* DiMeta (in metas) -> id + 1 */
};

struct _DiSnapshot
{
  gint ref_cnt;
  DiEntry *entries;
  guint n_entries;
  DiMeta *metas;
  guint n_metas;
  guint32 *slots;
  guint32 mask;
  guint64 *filter;
  guint32 filter_mask;   /* in bits */
  guint8 *keys;
  gsize keys_len;
  gchar *strings;
  gsize strings_len;
  guint32 *actors;
  guint n_actors;
  guint8 cidr4_lens[33];
  guint n_cidr4_lens;
  guint8 cidr6_lens[129];
  guint n_cidr6_lens;
};

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

/* ---- builder ---- */

static guint
_meta_hash(gconstpointer p)
{
  const guint32 *w = p;
  guint h = 0;
  for (gsize i = 0; i < sizeof(DiMeta) / sizeof(guint32); i++)
    h = h * 31 + w[i];
  return h;
}

static gboolean
_meta_equal(gconstpointer a, gconstpointer b)
{
  return memcmp(a, b, sizeof(DiMeta)) == 0;
}

DiSnapshotBuilder *
di_snapshot_builder_new(void)
{
  DiSnapshotBuilder *self = g_new0(DiSnapshotBuilder, 1);
  self->entries = g_array_new(FALSE, FALSE, sizeof(DiEntry));
  self->keys = g_byte_array_new();
  _pool_init(&self->strings);
  self->actor_ids = g_hash_table_new(g_direct_hash, g_direct_equal);
  self->actors = g_array_new(FALSE, TRUE, sizeof(guint32));
  g_array_set_size(self->actors, 1);
  self->metas = g_array_new(FALSE, FALSE, sizeof(DiMeta));
  /* keys are heap copies: the metas array moves as it grows */
  self->meta_ids = g_hash_table_new_full(_meta_hash, _meta_equal, g_free, NULL);
  return self;
}

static guint32
_builder_actor_id(DiSnapshotBuilder *self, const gchar *actor)
{
  if (!actor || !*actor)
    return 0;
  const gchar *canonical = di_actor_canonical(actor);
  guint32 off = _pool_intern(&self->strings, canonical);
  /* the pool offset is stable while the arena grows: key the ids by it */
  gpointer found = g_hash_table_lookup(self->actor_ids, GUINT_TO_POINTER(off + 1));
  if (found)
    return GPOINTER_TO_UINT(found);
  guint32 id = self->actors->len;
  g_array_append_val(self->actors, off);
  g_hash_table_insert(self->actor_ids, GUINT_TO_POINTER(off + 1), GUINT_TO_POINTER(id));
  return id;
}

static guint32
_builder_meta_id(DiSnapshotBuilder *self, const DiIndicatorMeta *meta)
{
  DiMeta m = { 0 };
  gint confidence = meta && meta->confidence >= 0 ? meta->confidence : DI_DEFAULT_CONFIDENCE;
  m.confidence = CLAMP(confidence, 0, 100);
  if (meta)
    {
      m.actor = _builder_actor_id(self, meta->actor);
      m.source = _pool_intern(&self->strings, meta->source);
      m.reference = _pool_intern(&self->strings, meta->reference);
      m.description = _pool_intern(&self->strings, meta->description);
      m.valid_until = meta->valid_until > 0 ? (guint32) MIN(meta->valid_until, G_MAXUINT32) : 0;
      m.program = _pool_intern(&self->strings, meta->program);
      m.nexus = meta->nexus;
      if (m.nexus == DI_NEXUS_UNKNOWN && meta->actor && di_actor_is_dprk(meta->actor))
        m.nexus = DI_NEXUS_DPRK;
    }
  gpointer found = g_hash_table_lookup(self->meta_ids, &m);
  if (found)
    return GPOINTER_TO_UINT(found) - 1;
  guint32 id = self->metas->len;
  g_array_append_val(self->metas, m);
  g_hash_table_insert(self->meta_ids, g_memdup2(&m, sizeof(m)), GUINT_TO_POINTER(id + 1));
  return id;
}

void
di_snapshot_builder_add(DiSnapshotBuilder *self, DiType type, const DiKey *key, const DiIndicatorMeta *meta)
{
  DiEntry e = { 0 };
  e.hash = di_key_hash(key->cls, key->bytes, key->len);
  e.key_off = self->keys->len;
  e.key_len = key->len;
  e.cls = key->cls;
  e.type = type;
  e.meta = _builder_meta_id(self, meta);
  g_byte_array_append(self->keys, key->bytes, key->len);
  g_array_append_val(self->entries, e);
}

guint
di_snapshot_builder_count(const DiSnapshotBuilder *self)
{
  return self->entries->len;
}

void
di_snapshot_builder_free(DiSnapshotBuilder *self)
{
  if (!self)
    return;
  g_array_free(self->entries, TRUE);
  g_byte_array_free(self->keys, TRUE);
  g_hash_table_destroy(self->strings.index);
  g_byte_array_free(self->strings.arena, TRUE);
  g_hash_table_destroy(self->actor_ids);
  g_array_free(self->actors, TRUE);
  g_array_free(self->metas, TRUE);
  g_hash_table_destroy(self->meta_ids);
  g_free(self);
}

static gboolean
_same_key(const DiEntry *a, const guint8 *a_keys, const DiEntry *b, const guint8 *b_keys)
{
  return a->hash == b->hash && a->cls == b->cls && a->key_len == b->key_len
         && memcmp(a_keys + a->key_off, b_keys + b->key_off, a->key_len) == 0;
}

static gboolean
_same_indicator(const DiSnapshot *snap, const DiEntry *a, const DiEntry *b)
{
  const DiMeta *ma = &snap->metas[a->meta], *mb = &snap->metas[b->meta];
  return a->type == b->type && ma->actor == mb->actor && ma->source == mb->source;
}

/* Inserts e into the table unless an identical indicator is there already. */
static gboolean
_insert(DiSnapshot *snap, guint n, const DiEntry *e, const guint8 *keys)
{
  guint32 i = e->hash & snap->mask;
  for (; snap->slots[i]; i = (i + 1) & snap->mask)
    {
      const DiEntry *other = &snap->entries[snap->slots[i] - 1];
      if (_same_key(other, keys, e, keys) && _same_indicator(snap, other, e))
        return FALSE;
    }
  snap->entries[n] = *e;
  snap->slots[i] = n + 1;
  return TRUE;
}

static inline gboolean
_filter_test(const DiSnapshot *snap, guint32 hash)
{
  guint32 bit = (hash * 0x9e3779b1u) & snap->filter_mask;
  return (snap->filter[bit >> 6] >> (bit & 63)) & 1;
}

static void
_filter_set(DiSnapshot *snap, guint32 hash)
{
  guint32 bit = (hash * 0x9e3779b1u) & snap->filter_mask;
  snap->filter[bit >> 6] |= G_GUINT64_CONSTANT(1) << (bit & 63);
}

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

DiSnapshot *
di_snapshot_builder_finish(DiSnapshotBuilder *self)
{
  DiSnapshot *snap = g_new0(DiSnapshot, 1);
  snap->ref_cnt = 1;

  guint n_in = self->entries->len;
  guint size = 16;
  while (size < n_in * 2)
    size <<= 1;
  snap->mask = size - 1;
  snap->slots = g_new0(guint32, size);
  snap->entries = g_new(DiEntry, MAX(n_in, 1));
  guint filter_bits = 1024;
  while (filter_bits < n_in * 16)
    filter_bits <<= 1;
  snap->filter_mask = filter_bits - 1;
  snap->filter = g_new0(guint64, filter_bits / 64);
  snap->n_metas = self->metas->len;
  snap->metas = (DiMeta *) g_array_free(self->metas, FALSE);
  self->metas = NULL;

  const guint8 *keys = self->keys->data;
  guint n = 0;
  for (guint i = 0; i < n_in; i++)
    {
      const DiEntry *e = &g_array_index(self->entries, DiEntry, i);
      if (!_insert(snap, n, e, keys))
        continue;
      _filter_set(snap, e->hash);
      if (e->cls == DI_KEY_CIDR4)
        _note_cidr_len(snap->cidr4_lens, &snap->n_cidr4_lens, keys[e->key_off]);
      else if (e->cls == DI_KEY_CIDR6)
        _note_cidr_len(snap->cidr6_lens, &snap->n_cidr6_lens, keys[e->key_off]);
      n++;
    }
  snap->n_entries = n;
  snap->entries = g_renew(DiEntry, snap->entries, MAX(n, 1));

  snap->keys_len = self->keys->len;
  snap->keys = g_byte_array_free(self->keys, FALSE);
  self->keys = NULL;
  snap->strings_len = self->strings.arena->len;
  snap->strings = (gchar *) g_byte_array_free(self->strings.arena, FALSE);
  self->strings.arena = NULL;
  snap->n_actors = self->actors->len;
  snap->actors = (guint32 *) g_array_free(self->actors, FALSE);
  self->actors = NULL;

  g_array_free(self->entries, TRUE);
  g_hash_table_destroy(self->strings.index);
  g_hash_table_destroy(self->actor_ids);
  g_hash_table_destroy(self->meta_ids);
  g_free(self);
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
  g_free(self->entries);
  g_free(self->metas);
  g_free(self->slots);
  g_free(self->filter);
  g_free(self->keys);
  g_free(self->strings);
  g_free(self->actors);
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
  return sizeof(*self) + self->n_entries * sizeof(DiEntry) + self->n_metas * sizeof(DiMeta)
         + (self->mask + 1) * sizeof(guint32) + (self->filter_mask + 1) / 8
         + self->keys_len + self->strings_len + self->n_actors * sizeof(guint32);
}

static gboolean
_lookup_raw(const DiSnapshot *self, guint8 cls, const guint8 *bytes, gsize len, DiEntryFunc func,
            gpointer user_data, gboolean *found)
{
  guint32 hash = di_key_hash(cls, bytes, len);
  if (!_filter_test(self, hash))
    return TRUE;
  for (guint32 i = hash & self->mask; self->slots[i]; i = (i + 1) & self->mask)
    {
      guint32 id = self->slots[i] - 1;
      const DiEntry *e = &self->entries[id];
      if (e->hash != hash || e->cls != cls || e->key_len != len || memcmp(self->keys + e->key_off, bytes, len) != 0)
        continue;
      *found = TRUE;
      if (!func(self, id, user_data))
        return FALSE;
    }
  return TRUE;
}

void
di_snapshot_lookup(const DiSnapshot *self, const DiKey *key, DiEntryFunc func, gpointer user_data)
{
  gboolean found = FALSE;
  _lookup_raw(self, key->cls, key->bytes, key->len, func, user_data, &found);
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

/* A domain matches itself and every parent the feeds list. */
static void
_find_domain(const DiSnapshot *self, const DiKey *key, DiEntryFunc func, gpointer user_data)
{
  const guint8 *p = key->bytes, *end = key->bytes + key->len;
  while (p < end)
    {
      gboolean found = FALSE;
      if (!_lookup_raw(self, DI_KEY_DOMAIN, p, end - p, func, user_data, &found))
        return;
      const guint8 *dot = memchr(p, '.', end - p);
      if (!dot)
        break;
      p = dot + 1;
    }
}

void
di_snapshot_find(const DiSnapshot *self, const DiKey *key, DiEntryFunc func, gpointer user_data)
{
  gboolean found = FALSE;
  switch (key->cls)
    {
    case DI_KEY_DOMAIN:
      _find_domain(self, key, func, user_data);
      break;
    case DI_KEY_IPV4:
      if (_lookup_raw(self, key->cls, key->bytes, key->len, func, user_data, &found))
        _find_cidr(self, DI_KEY_CIDR4, key->bytes, 4, self->cidr4_lens, self->n_cidr4_lens, func, user_data);
      break;
    case DI_KEY_IPV6:
      if (_lookup_raw(self, key->cls, key->bytes, key->len, func, user_data, &found))
        _find_cidr(self, DI_KEY_CIDR6, key->bytes, 16, self->cidr6_lens, self->n_cidr6_lens, func, user_data);
      break;
    default:
      _lookup_raw(self, key->cls, key->bytes, key->len, func, user_data, &found);
      break;
    }
}

/* ---- entry accessors ---- */

static inline const DiMeta *
_meta(const DiSnapshot *self, guint32 entry)
{
  return &self->metas[self->entries[entry].meta];
}

DiType
di_snapshot_entry_type(const DiSnapshot *self, guint32 entry)
{
  return self->entries[entry].type;
}

void
di_snapshot_entry_value(const DiSnapshot *self, guint32 entry, GString *out)
{
  const DiEntry *e = &self->entries[entry];
  di_key_format_raw(e->cls, self->keys + e->key_off, e->key_len, out);
}

const guint8 *
di_snapshot_entry_key(const DiSnapshot *self, guint32 entry, guint8 *cls, gsize *len)
{
  const DiEntry *e = &self->entries[entry];
  *cls = e->cls;
  *len = e->key_len;
  return self->keys + e->key_off;
}

gboolean
di_snapshot_entry_same_key(const DiSnapshot *self, guint32 a, guint32 b)
{
  return _same_key(&self->entries[a], self->keys, &self->entries[b], self->keys);
}

const gchar *
di_snapshot_entry_actor(const DiSnapshot *self, guint32 entry)
{
  return di_snapshot_actor_name(self, _meta(self, entry)->actor);
}

guint32
di_snapshot_entry_actor_id(const DiSnapshot *self, guint32 entry)
{
  return _meta(self, entry)->actor;
}

const gchar *
di_snapshot_entry_source(const DiSnapshot *self, guint32 entry)
{
  return self->strings + _meta(self, entry)->source;
}

const gchar *
di_snapshot_entry_reference(const DiSnapshot *self, guint32 entry)
{
  return self->strings + _meta(self, entry)->reference;
}

const gchar *
di_snapshot_entry_description(const DiSnapshot *self, guint32 entry)
{
  return self->strings + _meta(self, entry)->description;
}

gint
di_snapshot_entry_confidence(const DiSnapshot *self, guint32 entry)
{
  return _meta(self, entry)->confidence;
}

gint64
di_snapshot_entry_valid_until(const DiSnapshot *self, guint32 entry)
{
  return _meta(self, entry)->valid_until;
}

const gchar *
di_snapshot_entry_program(const DiSnapshot *self, guint32 entry)
{
  return self->strings + _meta(self, entry)->program;
}

DiNexus
di_snapshot_entry_nexus(const DiSnapshot *self, guint32 entry)
{
  return _meta(self, entry)->nexus;
}

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
