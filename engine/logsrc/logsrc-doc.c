/* logsrc-doc.c: the key table and the rename programs of the log sources
 * (see logsrc-doc.h).  Built once per reader; read by any thread.
 */
#include "logsrc-doc.h"
#include "logsrc-event.h"

#define TABLE_SIZE 512          /* at most half full: slots and their prefixes */

struct _LogsrcKeys
{
  LogsrcKeyEntry table[TABLE_SIZE];
  gint n_entries;
  gint n_slots;
};

LogsrcKeys *
logsrc_keys_new(void)
{
  return g_new0(LogsrcKeys, 1);
}

void
logsrc_keys_free(LogsrcKeys *self)
{
  if (!self)
    return;
  for (gint i = 0; i < TABLE_SIZE; i++)
    g_free(self->table[i].path);
  g_free(self);
}

/* the entry of path, or the empty one where it would go */
static LogsrcKeyEntry *
_probe(const LogsrcKeys *self, guint32 hash, const gchar *path, gsize len)
{
  for (guint32 i = hash & (TABLE_SIZE - 1);; i = (i + 1) & (TABLE_SIZE - 1))
    {
      const LogsrcKeyEntry *e = &self->table[i];
      if (!e->path || (e->hash == hash && e->len == len && memcmp(e->path, path, len) == 0))
        return (LogsrcKeyEntry *) e;
    }
}

const LogsrcKeyEntry *
logsrc_keys_find(const LogsrcKeys *self, guint32 hash, const gchar *path, gsize len)
{
  const LogsrcKeyEntry *e = _probe(self, hash, path, len);
  return e->path ? e : NULL;
}

gint
logsrc_keys_slot(const LogsrcKeys *self, const gchar *key, gsize len)
{
  const LogsrcKeyEntry *e = logsrc_keys_find(self, logsrc_keys_hash(LOGSRC_KEYS_HASH_START, key, len), key, len);
  return e ? e->slot : -1;
}

/* the entry of path, made (neither slot nor prefix) when missing; NULL when
 * the table is half full */
static LogsrcKeyEntry *
_entry(LogsrcKeys *self, const gchar *path, gsize len)
{
  guint32 hash = logsrc_keys_hash(LOGSRC_KEYS_HASH_START, path, len);
  LogsrcKeyEntry *e = _probe(self, hash, path, len);

  if (e->path)
    return e;
  if (self->n_entries >= TABLE_SIZE / 2)
    return NULL;
  self->n_entries++;
  e->path = g_strndup(path, len);
  e->len = len;
  e->hash = hash;
  e->slot = -1;
  return e;
}

gint
logsrc_keys_add(LogsrcKeys *self, const gchar *path, gboolean arrays)
{
  gsize len = path ? strlen(path) : 0;
  if (len == 0 || len >= LOGSRC_KEY_MAX_LEN)
    return -1;

  guint32 hash = logsrc_keys_hash(LOGSRC_KEYS_HASH_START, path, len);
  const LogsrcKeyEntry *known = logsrc_keys_find(self, hash, path, len);
  if ((!known || known->slot < 0) && self->n_slots >= LOGSRC_DOC_SLOTS)
    return -1;
  LogsrcKeyEntry *e = _entry(self, path, len);
  if (!e)
    return -1;
  if (e->slot < 0)
    e->slot = self->n_slots++;
  e->arrays |= arrays;
  gint slot = e->slot;

  /* "a.b.c": a JSON scanner descends into a and a.b */
  for (gsize i = 1; i < len; i++)
    if (path[i] == '.')
      {
        LogsrcKeyEntry *p = _entry(self, path, i);
        if (p)
          p->prefix = TRUE;
      }
  return slot;
}

/* programs */

void
logsrc_program_compile(LogsrcProgram *self, LogsrcKeys *keys, const LogsrcRenameSpec *spec, guint n,
                       GHashTable *taken)
{
  self->op = g_new0(LogsrcRename, n ? n : 1);
  self->n = 0;
  for (guint i = 0; i < n; i++)
    {
      const gchar *key = spec[i].key;
      if (!key || !key[0])
        continue;
      if (taken)
        {
          if (g_hash_table_contains(taken, key))
            continue;
          g_hash_table_add(taken, g_strdup(key));
        }
      gint slot = logsrc_keys_add(keys, key, FALSE);
      if (slot < 0)
        continue;
      self->op[self->n].slot = slot;
      self->op[self->n].field = spec[i].field;
      self->n++;
    }
}

void
logsrc_program_clear(LogsrcProgram *self)
{
  g_free(self->op);
  self->op = NULL;
  self->n = 0;
}

void
logsrc_program_run(const LogsrcProgram *self, const LogsrcDoc *doc, LogsrcEvent *ev)
{
  for (guint i = 0; i < self->n; i++)
    if (logsrc_doc_has(doc, self->op[i].slot))
      logsrc_event_set_span(ev, self->op[i].field, doc->value[self->op[i].slot]);
}

void
logsrc_slots_add(LogsrcSlots *self, LogsrcKeys *table, const gchar *const *keys, guint n)
{
  g_assert(n <= LOGSRC_SOURCE_KEYS);
  for (guint i = 0; i < n; i++)
    self->slot[i] = logsrc_keys_add(table, keys[i], FALSE);
}
