/* incident-index.c: linear probing over keyed hashes, with backward-shift
 * deletion (no tombstones, so a table that churns keys never degrades).
 * See incident-index.h.
 */
#include "incident-index.h"
#include "siphash.h"
#include <string.h>

#define DI_INDEX_MIN_SLOTS 64

typedef struct
{
  guint64 hash;
  const gchar *key;        /* NULL: empty slot */
  gpointer value;
} DiIndexSlot;

struct _DiIncidentIndex
{
  DiIndexSlot *slots;
  guint mask;              /* n_slots - 1 */
  guint n;
};

guint64
di_incident_index_hash(const gchar *key)
{
  return di_siphash(di_siphash_process_key(), key, strlen(key));
}

static DiIndexSlot *
_alloc(guint n_slots)
{
  return g_new0(DiIndexSlot, n_slots);
}

DiIncidentIndex *
di_incident_index_new(void)
{
  DiIncidentIndex *self = g_new0(DiIncidentIndex, 1);

  self->slots = _alloc(DI_INDEX_MIN_SLOTS);
  self->mask = DI_INDEX_MIN_SLOTS - 1;
  return self;
}

void
di_incident_index_free(DiIncidentIndex *self)
{
  if (!self)
    return;
  g_free(self->slots);
  g_free(self);
}

static inline guint
_home(const DiIncidentIndex *self, guint64 hash)
{
  /* the high bits: SipHash mixes all of them alike */
  return (guint) (hash >> 32) & self->mask;
}

/* The slot of key, or the empty slot that ends its probe run. */
static guint
_find(const DiIncidentIndex *self, guint64 hash, const gchar *key)
{
  guint i = _home(self, hash);

  while (self->slots[i].key
         && !(self->slots[i].hash == hash && strcmp(self->slots[i].key, key) == 0))
    i = (i + 1) & self->mask;
  return i;
}

static void
_resize(DiIncidentIndex *self, guint n_slots)
{
  DiIndexSlot *old = self->slots;
  guint old_n = self->mask + 1;

  self->slots = _alloc(n_slots);
  self->mask = n_slots - 1;
  for (guint i = 0; i < old_n; i++)
    if (old[i].key)
      {
        guint j = _home(self, old[i].hash);
        while (self->slots[j].key)
          j = (j + 1) & self->mask;
        self->slots[j] = old[i];
      }
  g_free(old);
}

gpointer
di_incident_index_lookup(const DiIncidentIndex *self, guint64 hash, const gchar *key)
{
  return self->slots[_find(self, hash, key)].value;
}

void
di_incident_index_insert(DiIncidentIndex *self, guint64 hash, const gchar *key, gpointer value)
{
  /* at most half full: probe runs stay short */
  if ((self->n + 1) * 2 > self->mask + 1)
    _resize(self, (self->mask + 1) * 2);
  guint i = _find(self, hash, key);
  self->slots[i] = (DiIndexSlot) { hash, key, value };
  self->n++;
}

/* Whether slot j, whose home is `home`, may move back to the hole at i:
 * only if its home is not inside (i, j] going round. */
static inline gboolean
_may_fill(guint i, guint j, guint home)
{
  if (i <= j)
    return home <= i || home > j;
  return home <= i && home > j;
}

gboolean
di_incident_index_remove(DiIncidentIndex *self, guint64 hash, const gchar *key)
{
  guint i = _find(self, hash, key);

  if (!self->slots[i].key)
    return FALSE;
  /* backward shift: pull later members of the run into the hole */
  for (guint j = (i + 1) & self->mask; self->slots[j].key; j = (j + 1) & self->mask)
    if (_may_fill(i, j, _home(self, self->slots[j].hash)))
      {
        self->slots[i] = self->slots[j];
        i = j;
      }
  self->slots[i] = (DiIndexSlot) { 0, NULL, NULL };
  self->n--;

  /* give memory back after a flood of keys, without thrashing */
  if (self->mask + 1 > DI_INDEX_MIN_SLOTS && self->n * 8 < self->mask + 1)
    _resize(self, (self->mask + 1) / 2);
  return TRUE;
}

guint
di_incident_index_size(const DiIncidentIndex *self)
{
  return self->n;
}

guint
di_incident_index_max_probe(const DiIncidentIndex *self)
{
  guint worst = 0;

  for (guint i = 0; i <= self->mask; i++)
    if (self->slots[i].key)
      worst = MAX(worst, (i - _home(self, self->slots[i].hash)) & self->mask);
  return worst;
}
