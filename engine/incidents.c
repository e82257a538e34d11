/* incidents.c: the table of open suspected incidents.
 *
 * Layout: an index from key to incident (incident-index.h: keyed hashes,
 * so chosen keys cannot collide), and a 4-ary min-heap of the
 * incidents ordered by last_seen.  The heap top is at once the next to time
 * out and the one idle longest (the one to evict), and it stays correct when
 * worker threads hand in times slightly out of order: an add costs a hash
 * lookup plus O(log n) heap moves, never a scan.  Every incident is a
 * DiIncidentNode whose first member is the public summary, so closing one
 * hands out the node itself, with nothing copied.
 *
 * Locking: one mutex around the table.  Hashing the key, amount parsing
 * and every callback happen outside it (the id of a new incident is hashed
 * inside, as opening one allocates there anyway); inside, only opening an incident and the first
 * sighting of a distinct value in it allocate.  Incidents closed under the
 * lock are chained through next_closed (no allocation) and delivered after
 * it is released.
 */
#include "incidents.h"
#include "incident-index.h"
#include "chains/sha256.h"
#include <math.h>
#include <string.h>
#include <time.h>

#define DI_HEAP_ARITY 4
#define DI_SET_MIN_SLOTS 8
#define DI_HASH_STACK 32
#define DI_USEC 1000000

typedef struct _DiIncidentNode DiIncidentNode;
struct _DiIncidentNode
{
  DiIncidentSummary s;            /* first: a summary pointer is a node pointer */
  guint64 key_hash;               /* di_incident_index_hash(s.key) */
  guint heap_pos;
  DiIncidentNode *next_closed;
  gchar key_buf[];
};

typedef struct
{
  gint64 last_seen;               /* copied here so sifting stays in the heap array */
  DiIncidentNode *node;
} DiHeapEntry;

/* A FIFO of closed incidents waiting to be delivered. */
typedef struct
{
  DiIncidentNode *head;
  DiIncidentNode *tail;
} DiClosedList;

struct _DiIncidents
{
  GMutex lock;
  DiIncidentIndex *by_key;        /* node->s.key -> node; owns nothing */
  DiHeapEntry *heap;
  guint heap_len;
  guint heap_cap;
  gint64 timeout_us;
  guint max_open;
  gchar *salt;                    /* of ids; set only with the workers stopped */
  DiClosedList pending;           /* closed outside add(), for the next expire() */
  DiIncidentCounters counters;
};

/* ---- hashing ---- */

static inline guint64
_fmix64(guint64 h)
{
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

/* FNV-1a plus a finaliser.  State files store these, so never change it. */
static guint64
_value_hash(const gchar *value)
{
  guint64 h = 1469598103934665603ULL;
  for (const guchar *p = (const guchar *) value; *p; p++)
    {
      h ^= *p;
      h *= 1099511628211ULL;
    }
  h = _fmix64(h);
  return h ? h : 1;               /* 0 marks an empty slot */
}

/* ---- ids and keys ---- */

static void
_format_hex(const guint8 *bytes, guint n_digits, gchar *out)
{
  static const gchar digits[] = "0123456789abcdef";
  for (guint i = 0; i < n_digits; i++)
    out[i] = digits[(bytes[i / 2] >> (i % 2 ? 0 : 4)) & 15];
  out[n_digits] = '\0';
}

/* A cryptographic hash, not a fast one: anyone can recompute an id from
 * the salt, key and time, and nobody can make two keys share one. */
void
di_incident_make_id(const gchar *salt, const gchar *key, gint64 stamp, gchar out[DI_INCIDENT_ID_LEN + 1])
{
  gchar stamp_text[24];
  gsize salt_len = strlen(salt ? salt : ""), key_len = strlen(key ? key : "");
  gint stamp_len = g_snprintf(stamp_text, sizeof(stamp_text), "%" G_GINT64_FORMAT, stamp);
  gsize len = salt_len + 1 + key_len + 1 + stamp_len;
  guint8 stack_buf[512], digest[DI_SHA256_LEN];
  guint8 *buf = len <= sizeof(stack_buf) ? stack_buf : g_malloc(len);

  memcpy(buf, salt ? salt : "", salt_len);
  buf[salt_len] = '\0';
  memcpy(buf + salt_len + 1, key ? key : "", key_len);
  buf[salt_len + 1 + key_len] = '\0';
  memcpy(buf + salt_len + 2 + key_len, stamp_text, stamp_len);
  di_sha256(buf, len, digest);
  if (buf != stack_buf)
    g_free(buf);
  _format_hex(digest, DI_INCIDENT_ID_LEN, out);
}

const gchar *
di_incident_key_limit(const gchar *key, gchar buf[DI_INCIDENT_KEY_MAX + 1], gboolean *truncated)
{
  gsize len = strlen(key);
  guint8 digest[DI_SHA256_LEN];

  *truncated = len > DI_INCIDENT_KEY_MAX;
  if (!*truncated)
    return key;

  /* room for "~" and 16 hex digits; never half a UTF-8 character */
  gsize cut = DI_INCIDENT_KEY_MAX - 1 - 16;
  while (cut > 0 && ((guchar) key[cut] & 0xC0) == 0x80)
    cut--;
  memcpy(buf, key, cut);
  buf[cut] = '~';
  di_sha256((const guint8 *) key, len, digest);
  _format_hex(digest, 16, buf + cut + 1);
  return buf;
}

/* ---- distinct sets ---- */

/* Returns the slot holding h, or the empty slot where it belongs. */
static guint
_set_probe(const DiIncidentSet *set, guint64 h)
{
  guint mask = set->n_slots - 1;
  guint i = (guint) h & mask;
  while (set->slots[i] && set->slots[i] != h)
    i = (i + 1) & mask;
  return i;
}

static void
_set_grow(DiIncidentSet *set)
{
  guint64 *old = set->slots;
  guint old_n = set->n_slots;

  set->n_slots = old_n ? old_n * 2 : DI_SET_MIN_SLOTS;
  set->slots = g_new0(guint64, set->n_slots);
  for (guint i = 0; i < old_n; i++)
    if (old[i])
      set->slots[_set_probe(set, old[i])] = old[i];
  g_free(old);
}

static gboolean
_set_contains(const DiIncidentSet *set, guint64 h)
{
  return set->n_slots && set->slots[_set_probe(set, h)] == h;
}

/* Records h; TRUE if it is new.  Past DISTINCT_MAX new values cannot be told
 * from old ones any more, so the set just notes that it saturated. */
static gboolean
_set_insert_hash(DiIncidentSet *set, guint64 h)
{
  if (_set_contains(set, h))
    return FALSE;
  if (set->n_distinct >= DI_INCIDENT_DISTINCT_MAX)
    {
      set->saturated = TRUE;
      return FALSE;
    }
  if ((set->n_distinct + 1) * 2 > set->n_slots)
    _set_grow(set);
  set->slots[_set_probe(set, h)] = h;
  set->n_distinct++;
  return TRUE;
}

static gboolean
_set_add_hashed(DiIncidentSet *set, const gchar *value, guint64 h)
{
  if (!_set_insert_hash(set, h))
    return FALSE;
  if (set->n_names < DI_INCIDENT_LIST_MAX)
    {
      /* grow the name array by doubling: 1, 2, 4, ... LIST_MAX */
      if ((set->n_names & (set->n_names - 1)) == 0)
        set->names = g_renew(gchar *, set->names, set->n_names ? set->n_names * 2 : 1);
      set->names[set->n_names++] = g_strdup(value);
    }
  return TRUE;
}

gboolean
di_incident_set_add(DiIncidentSet *set, const gchar *value)
{
  return _set_add_hashed(set, value, _value_hash(value));
}

gboolean
di_incident_set_add_hash(DiIncidentSet *set, guint64 hash)
{
  return hash != 0 && _set_insert_hash(set, hash);
}

GArray *
di_incident_set_hashes(const DiIncidentSet *set)
{
  GArray *hashes = g_array_sized_new(FALSE, FALSE, sizeof(guint64), set->n_distinct);
  for (guint i = 0; i < set->n_slots; i++)
    if (set->slots[i])
      g_array_append_val(hashes, set->slots[i]);
  return hashes;
}

void
di_incident_set_join(const DiIncidentSet *set, const gchar *sep, GString *out)
{
  for (guint i = 0; i < set->n_names; i++)
    {
      if (i)
        g_string_append(out, sep);
      g_string_append(out, set->names[i]);
    }
}

static void
_set_copy(DiIncidentSet *dst, const DiIncidentSet *src)
{
  *dst = *src;
  dst->names = NULL;
  if (src->n_names)
    {
      /* keep the power-of-two capacity _set_add_hashed() relies on */
      guint cap = 1;
      while (cap < src->n_names)
        cap *= 2;
      dst->names = g_new(gchar *, cap);
      for (guint i = 0; i < src->n_names; i++)
        dst->names[i] = g_strdup(src->names[i]);
    }
  dst->slots = NULL;
  if (src->n_slots)
    {
      dst->slots = g_new(guint64, src->n_slots);
      memcpy(dst->slots, src->slots, src->n_slots * sizeof(guint64));
    }
}

static void
_set_clear(DiIncidentSet *set)
{
  for (guint i = 0; i < set->n_names; i++)
    g_free(set->names[i]);
  g_free(set->names);
  g_free(set->slots);
  memset(set, 0, sizeof(*set));
}

/* ---- relays ---- */

void
di_incident_relays_add(DiIncidentRelays *relays, const gchar *relay, guint64 count)
{
  gchar name[DI_INCIDENT_RELAY_NAME_MAX + 1];
  gsize len = strlen(relay);

  if (len > DI_INCIDENT_RELAY_NAME_MAX)
    {
      len = DI_INCIDENT_RELAY_NAME_MAX;
      while (len > 0 && ((guchar) relay[len] & 0xC0) == 0x80)
        len--;
    }
  memcpy(name, relay, len);
  name[len] = '\0';
  /* "name:count,..." must split back */
  for (gchar *p = name; *p; p++)
    if (*p == ',')
      *p = '_';

  for (guint i = 0; i < relays->n; i++)
    if (strcmp(relays->items[i].name, name) == 0)
      {
        relays->items[i].count += count;
        return;
      }
  if (relays->n >= DI_INCIDENT_RELAY_MAX)
    {
      relays->more += count;
      return;
    }
  /* grow by doubling: 1, 2, 4, ... RELAY_MAX */
  if ((relays->n & (relays->n - 1)) == 0)
    relays->items = g_renew(DiIncidentRelay, relays->items, relays->n ? relays->n * 2 : 1);
  relays->items[relays->n++] = (DiIncidentRelay) { g_strdup(name), count };
}

void
di_incident_relays_format(const DiIncidentRelays *relays, GString *out)
{
  for (guint i = 0; i < relays->n; i++)
    g_string_append_printf(out, "%s%s:%" G_GUINT64_FORMAT, i ? "," : "", relays->items[i].name,
                           relays->items[i].count);
  if (relays->more)
    g_string_append_printf(out, "%s(more):%" G_GUINT64_FORMAT, relays->n ? "," : "", relays->more);
}

static void
_relays_copy(DiIncidentRelays *dst, const DiIncidentRelays *src)
{
  memset(dst, 0, sizeof(*dst));
  for (guint i = 0; i < src->n; i++)
    di_incident_relays_add(dst, src->items[i].name, src->items[i].count);
  dst->more = src->more;
}

static void
_relays_clear(DiIncidentRelays *relays)
{
  for (guint i = 0; i < relays->n; i++)
    g_free(relays->items[i].name);
  g_free(relays->items);
  memset(relays, 0, sizeof(*relays));
}

/* ---- summaries ---- */

DiIncidentSummary *
di_incident_summary_new(const gchar *id, const gchar *key)
{
  gsize key_len = strlen(key);
  DiIncidentNode *node = g_malloc0(sizeof(DiIncidentNode) + key_len + 1);

  memcpy(node->key_buf, key, key_len + 1);
  node->s.key = node->key_buf;
  if (id)
    g_strlcpy(node->s.id, id, sizeof(node->s.id));
  return &node->s;
}

void
di_incident_summary_free(DiIncidentSummary *summary)
{
  if (!summary)
    return;
  _set_clear(&summary->indicators);
  _set_clear(&summary->actors);
  _set_clear(&summary->relay_ids);
  _relays_clear(&summary->relays);
  g_free(summary);                /* the node: the summary is its first member */
}

static DiIncidentSummary *
_summary_copy(const DiIncidentSummary *src)
{
  DiIncidentSummary *dst = di_incident_summary_new(src->id, src->key);

  dst->count = src->count;
  dst->first_seen = src->first_seen;
  dst->last_seen = src->last_seen;
  dst->amount = src->amount;
  dst->has_amount = src->has_amount;
  dst->reason = DI_INCIDENT_OPEN;
  _set_copy(&dst->indicators, &src->indicators);
  _set_copy(&dst->actors, &src->actors);
  _set_copy(&dst->relay_ids, &src->relay_ids);
  _relays_copy(&dst->relays, &src->relays);
  return dst;
}

void
di_incident_update_clear(DiIncidentUpdate *update)
{
  di_incident_summary_free(update->closed);
  update->closed = NULL;
}

/* ---- the heap ---- */

static inline void
_heap_put(DiIncidents *self, guint pos, DiHeapEntry entry)
{
  self->heap[pos] = entry;
  entry.node->heap_pos = pos;
}

static void
_heap_sift_up(DiIncidents *self, guint pos)
{
  DiHeapEntry entry = self->heap[pos];

  while (pos > 0)
    {
      guint parent = (pos - 1) / DI_HEAP_ARITY;
      if (self->heap[parent].last_seen <= entry.last_seen)
        break;
      _heap_put(self, pos, self->heap[parent]);
      pos = parent;
    }
  _heap_put(self, pos, entry);
}

static void
_heap_sift_down(DiIncidents *self, guint pos)
{
  DiHeapEntry entry = self->heap[pos];

  for (;;)
    {
      guint first = pos * DI_HEAP_ARITY + 1;
      if (first >= self->heap_len)
        break;
      guint last = MIN(first + DI_HEAP_ARITY, self->heap_len);
      guint best = first;
      for (guint c = first + 1; c < last; c++)
        if (self->heap[c].last_seen < self->heap[best].last_seen)
          best = c;
      if (self->heap[best].last_seen >= entry.last_seen)
        break;
      _heap_put(self, pos, self->heap[best]);
      pos = best;
    }
  _heap_put(self, pos, entry);
}

static void
_heap_push(DiIncidents *self, DiIncidentNode *node)
{
  if (self->heap_len == self->heap_cap)
    {
      self->heap_cap = self->heap_cap ? self->heap_cap * 2 : 64;
      self->heap = g_renew(DiHeapEntry, self->heap, self->heap_cap);
    }
  guint pos = self->heap_len++;
  self->heap[pos] = (DiHeapEntry) { node->s.last_seen, node };
  _heap_sift_up(self, pos);
}

static void
_heap_remove(DiIncidents *self, guint pos)
{
  gint64 removed = self->heap[pos].last_seen;
  DiHeapEntry last = self->heap[--self->heap_len];

  if (pos == self->heap_len)
    return;
  _heap_put(self, pos, last);
  if (last.last_seen < removed)
    _heap_sift_up(self, pos);
  else
    _heap_sift_down(self, pos);
}

/* The node's last_seen only ever grows: it can only move down. */
static void
_heap_touch(DiIncidents *self, DiIncidentNode *node)
{
  self->heap[node->heap_pos].last_seen = node->s.last_seen;
  _heap_sift_down(self, node->heap_pos);
}

/* Trims the heap array when it is mostly empty, e.g. after a flood. */
static void
_heap_shrink(DiIncidents *self)
{
  if (self->heap_cap > 256 && self->heap_len < self->heap_cap / 4)
    {
      self->heap_cap /= 2;
      self->heap = g_renew(DiHeapEntry, self->heap, self->heap_cap);
    }
}

/* ---- the table (all under the lock) ---- */

static inline gboolean
_is_expired(DiIncidents *self, gint64 last_seen, gint64 now_us)
{
  return now_us - last_seen >= self->timeout_us;
}

static void
_closed_push(DiClosedList *list, DiIncidentNode *node)
{
  node->next_closed = NULL;
  if (list->tail)
    list->tail->next_closed = node;
  else
    list->head = node;
  list->tail = node;
}

static void
_count_close(DiIncidents *self, DiIncidentReason reason)
{
  self->counters.closed++;
  if (reason == DI_INCIDENT_CLOSED_TIMEOUT)
    self->counters.timed_out++;
  else if (reason == DI_INCIDENT_CLOSED_EVICTED)
    self->counters.evicted++;
}

/* Takes an open incident out of the table and counts it closed. */
static DiIncidentNode *
_detach(DiIncidents *self, DiIncidentNode *node, DiIncidentReason reason)
{
  di_incident_index_remove(self->by_key, node->key_hash, node->s.key);
  _heap_remove(self, node->heap_pos);
  node->s.reason = reason;
  _count_close(self, reason);
  self->counters.open_now = self->heap_len;
  return node;
}

/* Makes room: the idle-longest incident goes, as timed out if its time had
 * come anyway, otherwise as evicted. */
static DiIncidentNode *
_close_idlest(DiIncidents *self, gint64 now_us)
{
  DiIncidentNode *node = self->heap[0].node;
  gboolean expired = _is_expired(self, node->s.last_seen, now_us);
  return _detach(self, node, expired ? DI_INCIDENT_CLOSED_TIMEOUT : DI_INCIDENT_CLOSED_EVICTED);
}

static void
_attach(DiIncidents *self, DiIncidentNode *node)
{
  di_incident_index_insert(self->by_key, node->key_hash, node->s.key, node);
  _heap_push(self, node);
  self->counters.open_now = self->heap_len;
}

/* The id is hashed here, under the lock, only for an incident that opens:
 * most matches join an open one. */
static DiIncidentNode *
_open(DiIncidents *self, const gchar *key, guint64 key_hash, gint64 stamp, gint64 now_us)
{
  DiIncidentNode *node = (DiIncidentNode *) di_incident_summary_new(NULL, key);

  di_incident_make_id(self->salt, key, stamp, node->s.id);
  node->key_hash = key_hash;
  node->s.first_seen = now_us;
  node->s.last_seen = now_us;
  _attach(self, node);
  self->counters.opened++;
  return node;
}

/* ---- the public table ---- */

static gint64
_timeout_us(gint64 timeout_sec)
{
  /* clamped so that now - last_seen >= timeout never overflows in practice */
  return CLAMP(timeout_sec, 0, G_MAXINT64 / DI_USEC / 4) * DI_USEC;
}

DiIncidents *
di_incidents_new(gint64 timeout_sec, guint max_open)
{
  DiIncidents *self = g_new0(DiIncidents, 1);

  g_mutex_init(&self->lock);
  self->by_key = di_incident_index_new();
  self->timeout_us = _timeout_us(timeout_sec);
  self->max_open = MAX(max_open, 1);
  self->salt = g_strdup("");
  return self;
}

static void
_free_closed(DiClosedList *list)
{
  DiIncidentNode *next;
  for (DiIncidentNode *node = list->head; node; node = next)
    {
      next = node->next_closed;
      di_incident_summary_free(&node->s);
    }
  list->head = list->tail = NULL;
}

void
di_incidents_free(DiIncidents *self)
{
  if (!self)
    return;
  for (guint i = 0; i < self->heap_len; i++)
    di_incident_summary_free(&self->heap[i].node->s);
  _free_closed(&self->pending);
  di_incident_index_free(self->by_key);
  g_free(self->salt);
  g_free(self->heap);
  g_mutex_clear(&self->lock);
  g_free(self);
}

void
di_incidents_set_limits(DiIncidents *self, gint64 timeout_sec, guint max_open)
{
  g_mutex_lock(&self->lock);
  self->timeout_us = _timeout_us(timeout_sec);
  self->max_open = MAX(max_open, 1);
  while (self->heap_len > self->max_open)
    _closed_push(&self->pending, _detach(self, self->heap[0].node, DI_INCIDENT_CLOSED_EVICTED));
  _heap_shrink(self);
  g_mutex_unlock(&self->lock);
}

gint64
di_incidents_get_timeout(DiIncidents *self)
{
  g_mutex_lock(&self->lock);
  gint64 timeout = self->timeout_us / DI_USEC;
  g_mutex_unlock(&self->lock);
  return timeout;
}

guint
di_incidents_get_max_open(DiIncidents *self)
{
  g_mutex_lock(&self->lock);
  guint max_open = self->max_open;
  g_mutex_unlock(&self->lock);
  return max_open;
}

void
di_incidents_set_id_salt(DiIncidents *self, const gchar *salt)
{
  g_mutex_lock(&self->lock);
  g_free(self->salt);
  self->salt = g_strdup(salt ? salt : "");
  g_mutex_unlock(&self->lock);
}

guint
di_incidents_max_probe(DiIncidents *self)
{
  g_mutex_lock(&self->lock);
  guint probe = di_incident_index_max_probe(self->by_key);
  g_mutex_unlock(&self->lock);
  return probe;
}

/* What di_incidents_add_match() works out before it takes the lock. */
typedef struct
{
  const gchar *key;               /* within DI_INCIDENT_KEY_MAX */
  guint64 key_hash;
  gint64 stamp;                   /* the id of an incident this match opens */
} DiKeyPrep;

/* Finds or opens the incident of key; *closed gets an incident this closed. */
static DiIncidentNode *
_lookup_or_open(DiIncidents *self, const DiKeyPrep *k, gint64 now_us, DiIncidentNode **closed)
{
  DiIncidentNode *node = di_incident_index_lookup(self->by_key, k->key_hash, k->key);

  if (node && _is_expired(self, node->s.last_seen, now_us))
    {
      /* its time had come before expire() ran: it closes, this match opens anew */
      *closed = _detach(self, node, DI_INCIDENT_CLOSED_TIMEOUT);
      node = NULL;
    }
  if (node)
    return node;
  if (self->heap_len >= self->max_open)
    *closed = _close_idlest(self, now_us);
  return _open(self, k->key, k->key_hash, k->stamp, now_us);
}

static void
_join(DiIncidents *self, DiIncidentNode *node, gint64 now_us)
{
  node->s.count++;
  if (now_us < node->s.first_seen)
    node->s.first_seen = now_us;
  if (now_us > node->s.last_seen)
    {
      node->s.last_seen = now_us;
      _heap_touch(self, node);
    }
}

static void
_add_amount(DiIncidents *self, DiIncidentNode *node, gdouble amount)
{
  gdouble sum = node->s.amount + amount;
  if (!isfinite(sum))
    {
      self->counters.amount_invalid++;
      return;
    }
  node->s.amount = sum;
  node->s.has_amount = TRUE;
}

static const guint64 *
_hash_all(const gchar *const *values, guint n, guint64 *stack_buf)
{
  guint64 *hashes = n <= DI_HASH_STACK ? stack_buf : g_new(guint64, n);
  for (guint i = 0; i < n; i++)
    hashes[i] = _value_hash(values[i] ? values[i] : "");
  return hashes;
}

static gboolean
_has_text(const gchar *text)
{
  if (!text)
    return FALSE;
  while (g_ascii_isspace(*text))
    text++;
  return *text != '\0';
}

/* A relayed match: which relay, and that relay's own incident id. */
static void
_add_relay(DiIncidentNode *node, const DiIncidentMatch *m, guint64 relay_id_hash)
{
  if (m->relay)
    di_incident_relays_add(&node->s.relays, m->relay, 1);
  if (m->relay_incident_id && *m->relay_incident_id)
    _set_add_hashed(&node->s.relay_ids, m->relay_incident_id, relay_id_hash);
}

void
di_incidents_add_match(DiIncidents *self, const DiIncidentMatch *m, DiIncidentUpdate *out)
{
  guint64 ind_buf[DI_HASH_STACK], act_buf[DI_HASH_STACK];
  const guint64 *ind_hashes = _hash_all(m->indicators, m->n_indicators, ind_buf);
  const guint64 *act_hashes = _hash_all(m->actors, m->n_actors, act_buf);
  guint64 relay_id_hash = m->relay_incident_id ? _value_hash(m->relay_incident_id) : 0;
  gboolean has_amount = _has_text(m->amount);
  gdouble amount = 0;
  gboolean amount_ok = has_amount && di_incident_parse_amount(m->amount, &amount);
  gchar key_buf[DI_INCIDENT_KEY_MAX + 1];
  DiKeyPrep k;
  DiIncidentNode *closed = NULL;

  k.key = di_incident_key_limit(m->key ? m->key : "", key_buf, &out->key_truncated);
  k.key_hash = di_incident_index_hash(k.key);
  k.stamp = m->stamp;

  g_mutex_lock(&self->lock);
  guint64 opened_before = self->counters.opened;
  DiIncidentNode *node = _lookup_or_open(self, &k, m->now_us, &closed);
  _join(self, node, m->now_us);
  for (guint i = 0; i < m->n_indicators; i++)
    _set_add_hashed(&node->s.indicators, m->indicators[i] ? m->indicators[i] : "", ind_hashes[i]);
  for (guint i = 0; i < m->n_actors; i++)
    _set_add_hashed(&node->s.actors, m->actors[i] ? m->actors[i] : "", act_hashes[i]);
  _add_relay(node, m, relay_id_hash);
  if (amount_ok)
    _add_amount(self, node, amount);
  else if (has_amount)
    self->counters.amount_invalid++;
  if (out->key_truncated)
    self->counters.keys_truncated++;
  memcpy(out->id, node->s.id, sizeof(out->id));
  out->count = node->s.count;
  out->opened = self->counters.opened != opened_before;
  g_mutex_unlock(&self->lock);

  out->closed = closed ? &closed->s : NULL;
  if (ind_hashes != ind_buf)
    g_free((gpointer) ind_hashes);
  if (act_hashes != act_buf)
    g_free((gpointer) act_hashes);
}

void
di_incidents_add(DiIncidents *self, const gchar *key, gint64 now_us,
                 const gchar *const *indicators, guint n_indicators,
                 const gchar *const *actors, guint n_actors,
                 const gchar *amount_text, DiIncidentUpdate *out)
{
  DiIncidentMatch m =
  {
    .key = key,
    .now_us = now_us,
    .stamp = now_us >= 0 ? now_us / DI_USEC : (now_us - DI_USEC + 1) / DI_USEC,
    .indicators = indicators,
    .n_indicators = n_indicators,
    .actors = actors,
    .n_actors = n_actors,
    .amount = amount_text,
  };
  di_incidents_add_match(self, &m, out);
}

static guint
_deliver(DiClosedList *list, DiIncidentClosedFunc cb, gpointer user_data)
{
  guint n = 0;
  DiIncidentNode *next;

  for (DiIncidentNode *node = list->head; node; node = next)
    {
      next = node->next_closed;
      if (cb)
        cb(&node->s, user_data);
      di_incident_summary_free(&node->s);
      n++;
    }
  list->head = list->tail = NULL;
  return n;
}

guint
di_incidents_expire(DiIncidents *self, gint64 now_us, DiIncidentClosedFunc cb, gpointer user_data)
{
  g_mutex_lock(&self->lock);
  DiClosedList out = self->pending;
  self->pending = (DiClosedList) { NULL, NULL };
  while (self->heap_len && _is_expired(self, self->heap[0].last_seen, now_us))
    _closed_push(&out, _detach(self, self->heap[0].node, DI_INCIDENT_CLOSED_TIMEOUT));
  _heap_shrink(self);
  g_mutex_unlock(&self->lock);

  return _deliver(&out, cb, user_data);
}

guint
di_incidents_close_all(DiIncidents *self, DiIncidentReason reason, DiIncidentClosedFunc cb,
                       gpointer user_data)
{
  g_mutex_lock(&self->lock);
  DiClosedList out = self->pending;
  self->pending = (DiClosedList) { NULL, NULL };
  while (self->heap_len)
    _closed_push(&out, _detach(self, self->heap[0].node, reason));
  _heap_shrink(self);
  g_mutex_unlock(&self->lock);

  return _deliver(&out, cb, user_data);
}

gboolean
di_incidents_next_deadline(DiIncidents *self, gint64 *deadline_us)
{
  gboolean any = TRUE;

  g_mutex_lock(&self->lock);
  if (self->pending.head)
    *deadline_us = 0;
  else if (self->heap_len)
    *deadline_us = self->heap[0].last_seen + self->timeout_us;
  else
    any = FALSE;
  g_mutex_unlock(&self->lock);
  return any;
}

void
di_incidents_get_counters(DiIncidents *self, DiIncidentCounters *out)
{
  g_mutex_lock(&self->lock);
  *out = self->counters;
  g_mutex_unlock(&self->lock);
}

static gint
_by_last_seen(gconstpointer a, gconstpointer b)
{
  const DiIncidentSummary *x = *(DiIncidentSummary *const *) a;
  const DiIncidentSummary *y = *(DiIncidentSummary *const *) b;
  return (x->last_seen > y->last_seen) - (x->last_seen < y->last_seen);
}

GPtrArray *
di_incidents_export(DiIncidents *self)
{
  GPtrArray *copies = g_ptr_array_new_with_free_func((GDestroyNotify) di_incident_summary_free);

  g_mutex_lock(&self->lock);
  g_ptr_array_set_size(copies, self->heap_len);
  for (guint i = 0; i < self->heap_len; i++)
    copies->pdata[i] = _summary_copy(&self->heap[i].node->s);
  g_mutex_unlock(&self->lock);

  g_ptr_array_sort(copies, _by_last_seen);
  return copies;
}

void
di_incidents_restore(DiIncidents *self, DiIncidentSummary *incident, gint64 now_us)
{
  DiIncidentNode *node = (DiIncidentNode *) incident;
  gboolean clamped = node->s.last_seen > now_us;

  node->s.reason = DI_INCIDENT_OPEN;
  node->key_hash = di_incident_index_hash(node->s.key);
  /* a time in the future would keep the incident open, and at the top of
   * nothing, for as long as the file claims */
  if (clamped)
    node->s.last_seen = now_us;
  node->s.first_seen = MIN(node->s.first_seen, node->s.last_seen);

  g_mutex_lock(&self->lock);
  self->counters.loaded++;
  self->counters.times_clamped += clamped;
  if (_is_expired(self, node->s.last_seen, now_us))
    {
      /* closed while we were down: it still gets its summary */
      node->s.reason = DI_INCIDENT_CLOSED_TIMEOUT;
      _count_close(self, node->s.reason);
      _closed_push(&self->pending, node);
    }
  else if (di_incident_index_lookup(self->by_key, node->key_hash, node->s.key)
           || (self->heap_len >= self->max_open && node->s.last_seen < self->heap[0].last_seen))
    {
      /* a newer incident has the key, or this one would be the first evicted */
      node->s.reason = DI_INCIDENT_CLOSED_EVICTED;
      _count_close(self, node->s.reason);
      _closed_push(&self->pending, node);
    }
  else
    {
      if (self->heap_len >= self->max_open)
        _closed_push(&self->pending, _close_idlest(self, now_us));
      _attach(self, node);
    }
  self->counters.open_now = self->heap_len;
  g_mutex_unlock(&self->lock);
}

/* ---- amounts and text ---- */

/* [sign] digits [. digits] [e|E [sign] digits], at least one mantissa digit. */
static gboolean
_is_decimal(const gchar *p, const gchar *end)
{
  guint digits = 0;

  if (p < end && (*p == '+' || *p == '-'))
    p++;
  for (; p < end && g_ascii_isdigit(*p); p++)
    digits++;
  if (p < end && *p == '.')
    for (p++; p < end && g_ascii_isdigit(*p); p++)
      digits++;
  if (!digits)
    return FALSE;
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p == end || !g_ascii_isdigit(*p))
        return FALSE;
      while (p < end && g_ascii_isdigit(*p))
        p++;
    }
  return p == end;
}

gboolean
di_incident_parse_amount(const gchar *text, gdouble *value)
{
  if (!text)
    return FALSE;
  while (g_ascii_isspace(*text))
    text++;
  const gchar *end = text + strlen(text);
  while (end > text && g_ascii_isspace(end[-1]))
    end--;
  if (!_is_decimal(text, end))
    return FALSE;

  gchar *stop = NULL;
  gdouble v = g_ascii_strtod(text, &stop);
  if (stop != end || !isfinite(v))
    return FALSE;
  *value = v;
  return TRUE;
}

void
di_incident_format_amount(gdouble amount, GString *out)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append(out, g_ascii_formatd(buf, sizeof(buf), "%.15g", amount));
}

void
di_incident_format_time(gint64 time_us, GString *out)
{
  time_t t = (time_t) (time_us >= 0 ? time_us / DI_USEC : (time_us - DI_USEC + 1) / DI_USEC);
  struct tm tm;

  if (!gmtime_r(&t, &tm))
    memset(&tm, 0, sizeof(tm));
  g_string_append_printf(out, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

const gchar *
di_incident_reason_name(DiIncidentReason reason)
{
  switch (reason)
    {
    case DI_INCIDENT_OPEN:
      return "open";
    case DI_INCIDENT_CLOSED_TIMEOUT:
      return "timeout";
    case DI_INCIDENT_CLOSED_EVICTED:
      return "evicted";
    case DI_INCIDENT_CLOSED_SHUTDOWN:
      return "shutdown";
    }
  return "unknown";
}

/* e.g. "dprk-intel: incident 7f3a9c0e12b4d5a6 key=acct-A: 5 matches of 2
 * Lazarus Group indicators from 2026-11-25T10:00:01Z to 2026-11-25T10:04:12Z,
 * amount 1250.5" */
void
di_incident_summary_message(const DiIncidentSummary *s, GString *out)
{
  g_string_append_printf(out, "dprk-intel: incident %s key=%s: ", s->id, s->key);
  g_string_append_printf(out, "%" G_GUINT64_FORMAT " %s of %u%s ", s->count,
                         s->count == 1 ? "match" : "matches", s->indicators.n_distinct,
                         s->indicators.saturated ? "+" : "");
  if (s->actors.n_names)
    {
      di_incident_set_join(&s->actors, "/", out);
      g_string_append_c(out, ' ');
    }
  g_string_append(out, s->indicators.n_distinct == 1 && !s->indicators.saturated ? "indicator" : "indicators");
  g_string_append(out, " from ");
  di_incident_format_time(s->first_seen, out);
  g_string_append(out, " to ");
  di_incident_format_time(s->last_seen, out);
  if (s->has_amount)
    {
      g_string_append(out, ", amount ");
      di_incident_format_amount(s->amount, out);
    }
  if (s->relays.n || s->relays.more)
    {
      g_string_append(out, ", relays ");
      di_incident_relays_format(&s->relays, out);
    }
  if (s->reason == DI_INCIDENT_CLOSED_EVICTED)
    g_string_append(out, " (closed early: too many open incidents)");
  else if (s->reason == DI_INCIDENT_CLOSED_SHUTDOWN)
    g_string_append(out, " (closed at shutdown)");
  else if (s->reason == DI_INCIDENT_OPEN)
    g_string_append(out, " (still open)");
}
