/* logsrc-doc.h: the raw values a line holds under the keys a source maps,
 * and the programs that map them into the field scheme.  Internal to
 * engine/logsrc/.
 *
 *   LogsrcKeys     the keys a reader wants (dotted paths for nested JSON
 *                  members), each with a slot; a hash table built once.
 *   LogsrcDoc      one line's values by slot (the JSON and key=value
 *                  scanners fill it); a slot is present when its value is
 *                  not empty.  Not cleared per line but for its bitmap.
 *   LogsrcSlots    the slots of one source's keys, by the source's own enum.
 *   LogsrcProgram  an ordered list of "key -> field" that runs over a doc:
 *                  the last key present of a field wins, as syslog-ng's
 *                  rename() chains did; a key that an earlier list of the
 *                  same chain already took is left out at compile time (a
 *                  rename moved it).
 */
#ifndef DI_LOGSRC_DOC_H
#define DI_LOGSRC_DOC_H

#include "logsrc.h"

#define LOGSRC_DOC_SLOTS 128
#define LOGSRC_KEY_MAX_LEN 256

typedef enum
{
  LOGSRC_VALUE_STRING,
  LOGSRC_VALUE_NUMBER,
  LOGSRC_VALUE_LITERAL,     /* true, false */
  LOGSRC_VALUE_ARRAY,       /* JSON: the raw text, brackets included */
} LogsrcValueKind;

typedef struct
{
  guint64 present[LOGSRC_DOC_SLOTS / 64];
  LogsrcSpan value[LOGSRC_DOC_SLOTS];
  guint8 kind[LOGSRC_DOC_SLOTS];
} LogsrcDoc;

static inline void
logsrc_doc_reset(LogsrcDoc *doc)
{
  doc->present[0] = doc->present[1] = 0;
}

static inline gboolean
logsrc_doc_has(const LogsrcDoc *doc, gint slot)
{
  return slot >= 0 && ((doc->present[slot >> 6] >> (slot & 63)) & 1);
}

/* The value of slot, empty when absent. */
static inline LogsrcSpan
logsrc_doc_get(const LogsrcDoc *doc, gint slot)
{
  if (!logsrc_doc_has(doc, slot))
    return (LogsrcSpan) { "", 0 };
  return doc->value[slot];
}

static inline void
logsrc_doc_clear(LogsrcDoc *doc, gint slot)
{
  doc->present[slot >> 6] &= ~(G_GUINT64_CONSTANT(1) << (slot & 63));
}

/* An empty value clears the slot: a later, empty occurrence of a key wins
 * over an earlier one, and empty counts as absent. */
static inline void
logsrc_doc_keep(LogsrcDoc *doc, gint slot, const gchar *p, gsize len, LogsrcValueKind kind)
{
  if (!len)
    {
      logsrc_doc_clear(doc, slot);
      return;
    }
  doc->present[slot >> 6] |= G_GUINT64_CONSTANT(1) << (slot & 63);
  doc->value[slot].ptr = p;
  doc->value[slot].len = len;
  doc->kind[slot] = kind;
}

/* keys */

typedef struct
{
  gchar *path;              /* NULL: an empty entry */
  gsize len;
  guint32 hash;
  gint16 slot;              /* -1: only a prefix */
  gboolean prefix;          /* wanted paths go on below it */
  gboolean arrays;          /* keep an array value */
} LogsrcKeyEntry;

typedef struct _LogsrcKeys LogsrcKeys;

/* FNV-1a, continued byte by byte as a path is read */
#define LOGSRC_KEYS_HASH_START 2166136261u

static inline guint32
logsrc_keys_hash(guint32 h, const gchar *p, gsize len)
{
  for (gsize i = 0; i < len; i++)
    h = (h ^ (guchar) p[i]) * 16777619u;
  return h;
}

LogsrcKeys *logsrc_keys_new(void);
void logsrc_keys_free(LogsrcKeys *self);
/* The slot of a path (the same path always gets the same one); -1 for ""
 * or when the slots are used up.  With arrays, an array value is kept. */
gint logsrc_keys_add(LogsrcKeys *self, const gchar *path, gboolean arrays);
/* The entry of path[0..len) whose hash (from LOGSRC_KEYS_HASH_START) is
 * hash; NULL when it is not wanted. */
const LogsrcKeyEntry *logsrc_keys_find(const LogsrcKeys *self, guint32 hash, const gchar *path, gsize len);
/* The slot of a key, -1 when it is not wanted. */
gint logsrc_keys_slot(const LogsrcKeys *self, const gchar *key, gsize len);

/* programs */

typedef struct
{
  const gchar *key;         /* NULL or "": left out */
  LogsrcField field;
} LogsrcRenameSpec;

typedef struct
{
  gint16 slot;
  guint8 field;
} LogsrcRename;

typedef struct
{
  LogsrcRename *op;
  guint n;
} LogsrcProgram;

/* Compiles spec[0..n) against keys.  taken: the keys earlier lists of the
 * same chain took (added to); NULL for a list of its own. */
void logsrc_program_compile(LogsrcProgram *self, LogsrcKeys *keys, const LogsrcRenameSpec *spec, guint n,
                            GHashTable *taken);
void logsrc_program_clear(LogsrcProgram *self);
void logsrc_program_run(const LogsrcProgram *self, const LogsrcDoc *doc, LogsrcEvent *ev);

/* slots: the slots of one source's keys (its own enum indexes them) */

#define LOGSRC_SOURCE_KEYS 40

typedef struct
{
  gint16 slot[LOGSRC_SOURCE_KEYS];
  LogsrcProgram program;
} LogsrcSlots;

/* Adds keys[0..n) to table, their slots into self->slot. */
void logsrc_slots_add(LogsrcSlots *self, LogsrcKeys *table, const gchar *const *keys, guint n);

static inline LogsrcSpan
logsrc_slot_get(const LogsrcSlots *self, const LogsrcDoc *doc, guint key)
{
  return logsrc_doc_get(doc, self->slot[key]);
}

static inline gboolean
logsrc_slot_has(const LogsrcSlots *self, const LogsrcDoc *doc, guint key)
{
  return logsrc_doc_has(doc, self->slot[key]);
}

#endif
