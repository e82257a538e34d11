/* matcher.c: the scanner's tokens looked up in a snapshot.
 *
 * This is the per-message hot path: the match set lives on the caller's
 * stack, and nothing is allocated unless a message matches more than
 * DI_MATCH_INLINE distinct indicators.  A big snapshot's filter is not in
 * the caches, so each lookup would wait for memory: tokens are kept (a few
 * at a time, on the stack) while their filter words are fetched, and
 * looked up together, in the order found.
 */
#include "matcher.h"
#include "scanner.h"
#include <string.h>

void
di_match_set_init(DiMatchSet *self)
{
  self->matches = self->inline_matches;
  self->n = 0;
  self->cap = DI_MATCH_INLINE;
  self->now = 0;
}

void
di_match_set_reset(DiMatchSet *self)
{
  self->n = 0;
}

void
di_match_set_clear(DiMatchSet *self)
{
  if (self->matches != self->inline_matches)
    g_free(self->matches);
  di_match_set_init(self);
}

static gboolean
_contains(const DiMatchSet *self, guint32 entry)
{
  for (guint i = 0; i < self->n; i++)
    if (self->matches[i].entry == entry)
      return TRUE;
  return FALSE;
}

void
di_match_set_add(DiMatchSet *self, const DiMatch *m)
{
  if (self->n == self->cap)
    {
      guint cap = self->cap * 2;
      DiMatch *grown = g_new(DiMatch, cap);
      memcpy(grown, self->matches, self->n * sizeof(DiMatch));
      if (self->matches != self->inline_matches)
        g_free(self->matches);
      self->matches = grown;
      self->cap = cap;
    }
  self->matches[self->n++] = *m;
}

/* tokens kept for a lookup together, and the longest key kept (longer
 * ones, URLs mostly, are looked up at once) */
#define DI_PENDING_TOKENS 8
#define DI_PENDING_KEY_MAX 96

typedef struct
{
  guint32 offset, length;
  guint32 hash;              /* di_snapshot_prefetch()'s */
  guint8 cls;
  guint8 len;
  guint8 bytes[DI_PENDING_KEY_MAX];
} DiPendingToken;

typedef struct
{
  const DiSnapshot *snap;
  DiMatchSet *set;
  guint32 offset, length;    /* of the token being looked up */
  guint32 field;
  gint64 now;
  guint added;
  DiPendingToken pending[DI_PENDING_TOKENS];
  guint n_pending;
} DiMatchState;

/* The best attribution of entry that has not expired, when the primary
 * has; the entry as a whole has not (its expiry is the latest of its
 * attributions'). */
static guint32
_valid_attribution(const DiSnapshot *snap, guint32 entry, gint64 now)
{
  guint n = di_snapshot_entry_attribution_count(snap, entry);
  for (guint i = 0; i < n; i++)
    {
      guint32 attr = di_snapshot_entry_attribution(snap, entry, i);
      if (!di_attribution_expired(snap, attr, now))
        return attr;
    }
  return di_snapshot_entry_attribution(snap, entry, 0);
}

static gboolean
_on_entry(const DiSnapshot *snap, guint32 entry, gpointer user_data)
{
  DiMatchState *st = user_data;
  gint64 valid_until = di_snapshot_entry_valid_until(snap, entry);

  if (valid_until && st->now > valid_until)
    return TRUE;
  if (st->set->n >= DI_MATCH_MAX)
    return FALSE;
  if (_contains(st->set, entry))
    return TRUE;

  guint32 attr = di_snapshot_entry_attribution(snap, entry, 0);
  if (G_UNLIKELY(di_attribution_expired(snap, attr, st->now)))
    attr = _valid_attribution(snap, entry, st->now);
  DiMatch m = { entry, attr, st->field, st->offset, st->length };
  di_match_set_add(st->set, &m);
  st->added++;
  return TRUE;
}

static void
_lookup(DiMatchState *st, const DiKey *key, gsize offset, gsize length)
{
  st->offset = (guint32) offset;
  st->length = (guint32) length;
  di_snapshot_find(st->snap, key, _on_entry, st);
}

static void
_lookup_pending(DiMatchState *st, const DiPendingToken *t, DiKey *key)
{
  key->cls = t->cls;
  key->len = t->len;
  memcpy(key->bytes, t->bytes, t->len);
  st->offset = t->offset;
  st->length = t->length;
  di_snapshot_find_hashed(st->snap, key, t->hash, _on_entry, st);
}

static void
_flush(DiMatchState *st)
{
  DiKey key;
  for (guint i = 0; i < st->n_pending; i++)
    _lookup_pending(st, &st->pending[i], &key);
  st->n_pending = 0;
}

static gboolean
_on_token(const DiToken *token, gpointer user_data)
{
  DiMatchState *st = user_data;
  if (token->key.len > DI_PENDING_KEY_MAX)
    {
      _flush(st);
      _lookup(st, &token->key, token->offset, token->length);
      return TRUE;
    }
  DiPendingToken *t = &st->pending[st->n_pending++];
  t->hash = di_snapshot_prefetch(st->snap, &token->key);
  t->offset = (guint32) token->offset;
  t->length = (guint32) token->length;
  t->cls = token->key.cls;
  t->len = token->key.len;
  memcpy(t->bytes, token->key.bytes, token->key.len);
  if (st->n_pending == DI_PENDING_TOKENS)
    _flush(st);
  return TRUE;
}

guint
di_match_text(const DiSnapshot *snap, const gchar *text, gsize len, guint32 field, gint64 now, DiMatchSet *set)
{
  if (!snap || di_snapshot_count(snap) == 0 || len == 0)
    return 0;
  DiMatchState st;
  st.snap = snap;
  st.set = set;
  st.field = field;
  st.now = now;
  st.added = 0;
  st.n_pending = 0;
  set->now = now;
  di_scan(text, len, DI_SCAN_LOOKUP_ONLY, _on_token, &st);
  _flush(&st);
  return st.added;
}
