/* feed-pipeline.c: batches of rows normalised by a thread pool, added in
 * file order.  See feed-pipeline.h.
 *
 * A batch holds its rows' text (value, where, meta strings) in one buffer
 * and, once a worker is done, their results (key bytes and error messages)
 * in another that only that worker writes.  A worker runs the first half of
 * di_feed_add() (di_feed_normalize: refang, normalise), the reader's thread
 * the second (di_feed_add_normalized: warninglists, limits, nexus, the
 * builder) and every message a reader records meanwhile, in file order.
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
} DiRowKind;

typedef struct
{
  gsize line;
  guint32 where, value, value_len;          /* offsets into the batch's text, NONE for NULL */
  guint32 actor, source, reference, description, program;
  gint confidence;
  gint64 valid_until;
  guint8 kind, type, nexus, has_meta, refang;   /* refang: ctx->refang when added */
  GPtrArray *list;                          /* ROW_MESSAGE's */
  guint *count;
  /* results */
  guint8 ok, inferred, cls, refanged;
  guint16 key_len;
  guint32 result;                           /* key bytes or error message, offset into results */
} DiRow;

typedef struct
{
  GArray *rows;
  GString *text;
  GString *results;
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
  g_array_set_size(self->current->rows, self->current->rows->len + 1);
  DiRow *row = &g_array_index(self->current->rows, DiRow, self->current->rows->len - 1);
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
      row->actor = _text(b, meta->actor, -1);
      row->source = _text(b, meta->source, -1);
      row->reference = _text(b, meta->reference, -1);
      row->description = _text(b, meta->description, -1);
      row->program = _text(b, meta->program, -1);
      row->confidence = meta->confidence;
      row->valid_until = meta->valid_until;
      row->nexus = meta->nexus;
    }
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
di_feed_pipeline_finish(DiFeedPipeline *self)
{
  _submit(self);
  _commit(self, TRUE, 0);
  g_thread_pool_free(self->pool, FALSE, TRUE);
  g_mutex_clear(&self->lock);
  g_cond_clear(&self->done);
  g_free(self);
}
