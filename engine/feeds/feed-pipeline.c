/* feed-pipeline.c: batches of rows normalised by a thread pool, added in
 * file order.  See feed-pipeline.h.
 *
 * A batch holds its rows' text (value, where, meta strings, or a whole
 * record) in one buffer and, once a worker is done, their results (key
 * bytes and error messages) in another that only that worker writes.  A
 * worker splits records (the reader's function, in place in the text: the
 * reader's thread no longer touches a batch it submitted) and runs the first
 * half of di_feed_add() (di_feed_normalize: refang, normalise), the reader's
 * thread the second (di_feed_add_normalized: warninglists, limits, nexus,
 * the builder) and every message a reader records meanwhile, in file order.
 * The reader's thread submits batches, adds the finished ones at the head of
 * the queue as they come, and waits for the head only when too many are in
 * flight.
 */
#include "feed-pipeline.h"
#include <string.h>

#define DI_PIPELINE_BATCH 4096
/* batches in flight for each thread of the pool */
#define DI_PIPELINE_AHEAD 3
#define NONE G_MAXUINT32

typedef enum
{
  ROW_VALUE,
  ROW_MESSAGE,   /* a message the reader recorded (in text) for list, counted in count */
  ROW_RECORD,    /* a record to split, in text, where its fields stay once split */
} DiRowKind;

/* what a ROW_RECORD turned out to be */
enum
{
  RECORD_VALUE,
  RECORD_ERROR,      /* the message in results */
  RECORD_EXPIRED,
};

typedef struct
{
  gsize line;
  guint32 where, value, value_len;          /* offsets into the batch's text, NONE for NULL */
  guint32 actor, source, reference, description, program;
  gint confidence;
  gint64 valid_until;
  guint8 kind, type, nexus, has_meta, refang;   /* refang: ctx->refang when added */
  guint8 status;                            /* a ROW_RECORD's, once split */
  GPtrArray *list;                          /* ROW_MESSAGE's */
  guint *count;
  /* results */
  guint8 ok, inferred, cls, refanged;
  guint16 key_len;
  guint32 result;                           /* key bytes or error message, offset into results */
} DiRow;

/* The meta strings a batch holds already, by a hash of their start: feeds
 * repeat a few actors, sources and references row after row, and comparing
 * with a copy is cheaper than making another one. */
#define DI_PIPELINE_RECENT 16

typedef struct
{
  GArray *rows;
  GString *text;
  GString *results;
  guint32 recent[DI_PIPELINE_RECENT];       /* offsets into text, NONE: empty */
  DiFeedRecordFunc parse;                   /* of its ROW_RECORDs */
  gpointer parse_data;
  gboolean done;                            /* under the pipeline's lock */
} DiBatch;

struct _DiFeedPipeline
{
  DiFeedContext *ctx;
  GThreadPool *pool;
  DiBatch *current;
  GQueue pending;                           /* submitted batches, in file order */
  guint max_pending;
  GMutex lock;
  GCond done;
};

static DiBatch *
_batch_new(void)
{
  DiBatch *b = g_new0(DiBatch, 1);
  b->rows = g_array_sized_new(FALSE, FALSE, sizeof(DiRow), DI_PIPELINE_BATCH);
  b->text = g_string_sized_new(DI_PIPELINE_BATCH * 96);
  b->results = g_string_sized_new(DI_PIPELINE_BATCH * 24);
  memset(b->recent, 0xff, sizeof(b->recent));
  return b;
}

static void
_batch_free(DiBatch *b)
{
  g_array_free(b->rows, TRUE);
  g_string_free(b->text, TRUE);
  g_string_free(b->results, TRUE);
  g_free(b);
}

static guint32
_text(DiBatch *b, const gchar *s, gssize len)
{
  if (!s)
    return NONE;
  guint32 off = b->text->len;
  g_string_append_len(b->text, s, len < 0 ? (gssize) strlen(s) : len);
  g_string_append_c(b->text, '\0');
  return off;
}

/* _text() of a meta string, shared with an earlier row of the batch that
 * says the same. */
static guint32
_meta_text(DiBatch *b, const gchar *s)
{
  if (!s)
    return NONE;
  guint h = 0;
  for (gint i = 0; i < 8 && s[i]; i++)
    h = h * 33 + (guchar) s[i];
  guint32 *slot = &b->recent[(h ^ (h >> 7)) % DI_PIPELINE_RECENT];
  if (*slot != NONE && strcmp(b->text->str + *slot, s) == 0)
    return *slot;
  *slot = _text(b, s, -1);
  return *slot;
}

static const gchar *
_at(const GString *s, guint32 off)
{
  return off == NONE ? NULL : s->str + off;
}

/* ---- the workers ---- */

static void
_normalize_row(DiBatch *b, DiRow *row)
{
  DiKey key;
  DiType inferred;
  gboolean refanged;
  GError *error = NULL;

  row->ok = di_feed_normalize(row->refang, row->type, b->text->str + row->value, row->value_len, &key, &inferred,
                              &refanged, &error);
  row->refanged = refanged;
  row->result = b->results->len;
  if (!row->ok)
    {
      g_string_append(b->results, error->message);
      g_string_append_c(b->results, '\0');
      g_error_free(error);
      return;
    }
  row->inferred = inferred;
  row->cls = key.cls;
  row->key_len = key.len;
  g_string_append_len(b->results, (const gchar *) key.bytes, key.len);
}

/* Where s (a string the parser gave) is: an offset into text when it is
 * in the record, else NONE with *outside set, for _split_record to copy. */
static guint32
_record_offset(const DiBatch *b, const gchar *s, gboolean *outside)
{
  if (!s)
    return NONE;
  if (s >= b->text->str && s < b->text->str + b->text->len)
    return s - b->text->str;
  *outside = TRUE;
  return NONE;
}

/* A record split here rather than in the reader's thread: what the reader
 * and di_feed_add() would do before normalising (the reader's thread had
 * most of the work of a big feed, the pool threads waited).  The parser
 * splits the record in place: the fields stay in the batch's text, and
 * only a string from elsewhere (a default actor) is copied to its end,
 * which this thread alone touches until the batch is done. */
static void
_split_record(DiFeedPipeline *self, DiBatch *b, DiRow *row)
{
  DiFeedRecord rec = { 0 };
  b->parse(b->parse_data, b->text->str + row->value, row->value_len, row->line, &rec);
  if (rec.error)
    {
      row->status = RECORD_ERROR;
      row->result = b->results->len;
      g_string_append(b->results, rec.error);
      g_string_append_c(b->results, '\0');
      g_free(rec.error);
      return;
    }
  /* di_feed_add()'s trim and expiry check */
  const gchar *value = rec.value;
  gsize n = strlen(value);
  while (n && g_ascii_isspace(*value))
    {
      value++;
      n--;
    }
  while (n && g_ascii_isspace(value[n - 1]))
    n--;
  if (rec.meta.valid_until > 0 && rec.meta.valid_until <= self->ctx->now)
    {
      row->status = RECORD_EXPIRED;
      return;
    }
  const DiIndicatorMeta *meta = &rec.meta;
  const gchar *strings[] = { meta->actor, meta->source, meta->reference, meta->description, meta->program };
  guint32 *offsets[] = { &row->actor, &row->source, &row->reference, &row->description, &row->program };
  gboolean outside = FALSE;
  row->status = RECORD_VALUE;
  row->type = rec.type;
  row->value = _record_offset(b, value, &outside);
  row->value_len = n;
  row->has_meta = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS(strings); i++)
    *offsets[i] = _record_offset(b, strings[i], &outside);
  /* the text may move now */
  if (G_UNLIKELY(outside))
    {
      if (row->value == NONE)
        row->value = _text(b, value, n);
      for (guint i = 0; i < G_N_ELEMENTS(strings); i++)
        if (strings[i] && *offsets[i] == NONE)
          *offsets[i] = _text(b, strings[i], -1);
    }
  row->confidence = meta->confidence;
  row->valid_until = meta->valid_until;
  row->nexus = meta->nexus;
  _normalize_row(b, row);
}

static void
_work(gpointer data, gpointer user_data)
{
  DiBatch *b = data;
  DiFeedPipeline *self = user_data;

  for (guint i = 0; i < b->rows->len; i++)
    {
      DiRow *row = &g_array_index(b->rows, DiRow, i);
      if (row->kind == ROW_VALUE)
        _normalize_row(b, row);
      else if (row->kind == ROW_RECORD)
        _split_record(self, b, row);
    }
  g_mutex_lock(&self->lock);
  b->done = TRUE;
  g_cond_broadcast(&self->done);
  g_mutex_unlock(&self->lock);
}

/* ---- the reader's thread ---- */

DiFeedPipeline *
di_feed_pipeline_new(DiFeedContext *ctx)
{
  DiFeedPipeline *self = g_new0(DiFeedPipeline, 1);
  guint threads = MAX(g_get_num_processors(), 1);

  self->ctx = ctx;
  /* exclusive: its threads start now, from this thread, and so inherit its
   * priority (a reload's loader runs at a lower one) */
  self->pool = g_thread_pool_new(_work, self, threads, TRUE, NULL);
  self->max_pending = threads * DI_PIPELINE_AHEAD;
  g_queue_init(&self->pending);
  g_mutex_init(&self->lock);
  g_cond_init(&self->done);
  return self;
}

/* What di_feed_add() does after normalising, and the messages, as without
 * a pipeline: ctx->pipeline is NULL meanwhile (_commit). */
static void
_commit_row(DiFeedPipeline *self, DiBatch *b, const DiRow *row)
{
  DiFeedContext *ctx = self->ctx;
  if (row->kind == ROW_MESSAGE)
    {
      /* _keep() of feed.c, now in its place */
      (*row->count)++;
      if (*row->count <= di_feed_limit(ctx, DI_LIMIT_MESSAGES))
        g_ptr_array_add(row->list, g_strdup(b->text->str + row->value));
      return;
    }
  if (row->kind == ROW_RECORD && row->status == RECORD_ERROR)
    {
      di_feed_error(ctx, row->line, "%s", b->results->str + row->result);
      return;
    }
  if (row->kind == ROW_RECORD && row->status == RECORD_EXPIRED)
    {
      ctx->expired++;
      return;
    }
  DiKey key;
  key.cls = row->cls;
  key.len = row->key_len;
  if (row->ok)
    memcpy(key.bytes, b->results->str + row->result, row->key_len);
  DiIndicatorMeta meta =
  {
    .actor = _at(b->text, row->actor), .source = _at(b->text, row->source),
    .reference = _at(b->text, row->reference), .description = _at(b->text, row->description),
    .confidence = row->confidence, .valid_until = row->valid_until, .program = _at(b->text, row->program),
    .nexus = row->nexus,
  };
  di_feed_add_normalized(ctx, row->line, _at(b->text, row->where), row->type, b->text->str + row->value,
                         row->value_len, &key, row->inferred, row->refanged,
                         row->ok ? NULL : b->results->str + row->result, row->has_meta ? &meta : NULL);
}

/* Adds the finished batches at the head of the queue; with wait, waits
 * for the head until at most keep are left in flight. */
static void
_commit(DiFeedPipeline *self, gboolean wait, guint keep)
{
  for (;;)
    {
      DiBatch *b = g_queue_peek_head(&self->pending);
      if (!b)
        return;
      g_mutex_lock(&self->lock);
      while (!b->done && wait && g_queue_get_length(&self->pending) > keep)
        g_cond_wait(&self->done, &self->lock);
      gboolean done = b->done;
      g_mutex_unlock(&self->lock);
      if (!done)
        return;
      g_queue_pop_head(&self->pending);
      self->ctx->pipeline = NULL;
      for (guint i = 0; i < b->rows->len; i++)
        _commit_row(self, b, &g_array_index(b->rows, DiRow, i));
      self->ctx->pipeline = self;
      _batch_free(b);
    }
}

static void
_submit(DiFeedPipeline *self)
{
  DiBatch *b = self->current;
  if (!b)
    return;
  self->current = NULL;
  g_queue_push_tail(&self->pending, b);
  g_thread_pool_push(self->pool, b, NULL);
  _commit(self, TRUE, self->max_pending);
}

static DiRow *
_new_row(DiFeedPipeline *self, DiRowKind kind, gsize line)
{
  if (!self->current)
    self->current = _batch_new();
  /* the array holds DI_PIPELINE_BATCH rows from the start (_batch_new) and
   * is submitted when full: grow it by hand, without a call per row */
  GArray *rows = self->current->rows;
  g_assert(rows->len < DI_PIPELINE_BATCH);
  DiRow *row = &g_array_index(rows, DiRow, rows->len++);
  memset(row, 0, sizeof(*row));
  row->kind = kind;
  row->line = line;
  return row;
}

void
di_feed_pipeline_add(DiFeedPipeline *self, gsize line, const gchar *where, DiType type, const gchar *value,
                     gsize len, const DiIndicatorMeta *meta)
{
  DiRow *row = _new_row(self, ROW_VALUE, line);
  DiBatch *b = self->current;
  row->type = type;
  row->where = _text(b, where, -1);
  row->value = _text(b, value, len);
  row->value_len = len;
  row->actor = row->source = row->reference = row->description = row->program = NONE;
  row->confidence = -1;
  row->refang = self->ctx->refang;
  row->has_meta = meta != NULL;
  if (meta)
    {
      row->actor = _meta_text(b, meta->actor);
      row->source = _meta_text(b, meta->source);
      row->reference = _meta_text(b, meta->reference);
      row->description = _meta_text(b, meta->description);
      row->program = _meta_text(b, meta->program);
      row->confidence = meta->confidence;
      row->valid_until = meta->valid_until;
      row->nexus = meta->nexus;
    }
  if (b->rows->len >= DI_PIPELINE_BATCH)
    _submit(self);
}

void
di_feed_pipeline_add_record(DiFeedPipeline *self, gsize line, const gchar *record, gsize len,
                            DiFeedRecordFunc parse, gpointer user_data)
{
  DiRow *row = _new_row(self, ROW_RECORD, line);
  DiBatch *b = self->current;
  row->value = _text(b, record, len);
  row->value_len = len;
  row->where = row->actor = row->source = row->reference = row->description = row->program = NONE;
  row->confidence = -1;
  row->refang = self->ctx->refang;
  b->parse = parse;
  b->parse_data = user_data;
  if (b->rows->len >= DI_PIPELINE_BATCH)
    _submit(self);
}

void
di_feed_pipeline_message(DiFeedPipeline *self, GPtrArray *list, guint *count, gchar *message)
{
  DiRow *row = _new_row(self, ROW_MESSAGE, 0);
  row->value = _text(self->current, message, -1);
  row->list = list;
  row->count = count;
  g_free(message);
  if (self->current->rows->len >= DI_PIPELINE_BATCH)
    _submit(self);
}

void
di_feed_pipeline_flush(DiFeedPipeline *self)
{
  _submit(self);
  _commit(self, TRUE, 0);
}

void
di_feed_pipeline_finish(DiFeedPipeline *self)
{
  di_feed_pipeline_flush(self);
  g_thread_pool_free(self->pool, FALSE, TRUE);
  g_mutex_clear(&self->lock);
  g_cond_clear(&self->done);
  g_free(self);
}
