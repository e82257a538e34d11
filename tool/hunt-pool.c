/* hunt-pool.c: the workers of the retro-hunt (see the header for the plan).
 *
 * What a worker scans is always whole lines, each line as the parser scans
 * one message (line-match.c), with its number counted inside its segment
 * (hunt-output.c turns that into the line number in the file):
 *   - a range of a plain file owns the lines that start inside it: it skips
 *     the rest of a line that began before it and reads past its end to
 *     finish its last line, so a line longer than a range belongs to the
 *     range it starts in;
 *   - a block of decompressed text ends at a line end, the producer keeping
 *     the unfinished line for the next block.
 * A line longer than DI_HUNT_MAX_LINE is scanned in pieces of that size (an
 * indicator cut between two pieces is missed), with a warning.
 *
 * A decompressing worker hands blocks on until DI_HUNT_PENDING blocks a
 * worker wait; then it scans the oldest itself, which bounds the memory and
 * keeps every core busy when there are fewer archives than cores, or more.
 */
#define _GNU_SOURCE
#include "hunt-pool.h"
#include "hunt-input.h"
#include "hunt-output.h"
#include "line-match.h"
#include <glib/gstdio.h>
#include <errno.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#define DI_HUNT_READ (1 << 20)
/* decompressed blocks: large enough that handing one on costs nothing
 * next to scanning it, small enough that the blocks waiting (2 a worker),
 * being scanned and being filled cost a few MiB a worker */
#define DI_HUNT_BLOCK (2 << 20)
#define DI_HUNT_MAX_LINE (64 << 20)
#define DI_HUNT_PENDING 2

typedef struct
{
  DiHuntInput *input;
  gint fd;
  guint file;
  gint ranges_left;      /* the last range to finish closes the file */
} DiPlainFile;

typedef struct
{
  guint file;
  DiHuntSegment *seg;
  DiPlainFile *plain;    /* a range of a plain file... */
  guint64 start, end;
  guint8 *text;          /* ...or a block of text */
  gsize len;
  gboolean final;        /* the block ends the file: its last line may lack a line end */
} DiHuntTask;

typedef struct
{
  const DiHuntOptions *opts;
  const gchar *const *paths;
  guint n_paths;
  DiHuntOutput *output;

  GMutex lock;           /* the queues and counters below */
  GCond cond;            /* work to take, or none will come */
  GCond finished;        /* a worker finished: for the status line */
  GQueue blocks;
  GQueue ranges;
  guint pending_blocks;
  guint next_file;
  guint producers;       /* workers opening a file or decompressing one */
  guint running;         /* workers not finished */
  guint files_done;
  guint errors;

  gsize bytes;           /* atomic: file bytes read */
  guint64 total_bytes;
  gint64 started;
  GMutex err_lock;       /* standard error, shared with the status line */
  gboolean status_shown;
} DiHuntPool;

typedef struct
{
  DiHuntPool *pool;
  DiLineMatch match;
  guint8 *buf;
  gsize cap;
  GThread *thread;
} DiHuntWorker;

/* ---- messages ---- */

static void
_message(DiHuntPool *p, const gchar *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
_message(DiHuntPool *p, const gchar *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  gchar *text = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_mutex_lock(&p->err_lock);
  fprintf(stderr, "%sdprk-intel: %s\n", p->status_shown ? "\r\033[K" : "", text);
  p->status_shown = FALSE;
  g_mutex_unlock(&p->err_lock);
  g_free(text);
}

static void
_error(DiHuntPool *p, GError *error)
{
  _message(p, "%s", error->message);
  g_mutex_lock(&p->lock);
  p->errors++;
  g_mutex_unlock(&p->lock);
}

static void
_add_bytes(DiHuntPool *p, gsize n)
{
  __atomic_fetch_add(&p->bytes, n, __ATOMIC_RELAXED);
}

/* ---- scanning ---- */

/* Every line of text: a line is numbered one after those counted so far in
 * its segment; an unfinished last line (final: the file's last line) is
 * scanned but counted only when final. */
static void
_scan_text(DiHuntWorker *w, DiHuntSegment *seg, const guint8 *text, gsize len, gboolean final)
{
  const DiHuntOptions *o = w->pool->opts;
  const gchar *p = (const gchar *) text, *end = p + len;
  while (p < end)
    {
      const gchar *nl = memchr(p, '\n', end - p);
      gsize n = (nl ? nl : end) - p;
      if (n && p[n - 1] == '\r')
        n--;
      if (di_line_match(&w->match, o->snap, p, n, o->now))
        di_hunt_segment_add_match(seg, seg->lines + 1, w->match.members);
      if (!nl)
        {
          seg->lines += final;
          break;
        }
      seg->lines++;
      p = nl + 1;
    }
}

static gboolean
_pread(DiHuntPool *p, DiHuntTask *t, guint8 *buf, gsize cap, guint64 off, gsize *got)
{
  gssize n;
  do
    n = pread(t->plain->fd, buf, cap, off);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      _message(p, "%s: %s", p->paths[t->file], g_strerror(errno));
      return FALSE;
    }
  *got = n;
  return TRUE;
}

/* The first line that starts at or after *pos: the range before it belongs
 * to the range that holds its start. */
static gboolean
_line_start(DiHuntWorker *w, DiHuntTask *t, guint64 *pos)
{
  guint8 c;
  gsize got;
  if (*pos == 0)
    return TRUE;
  if (!_pread(w->pool, t, &c, 1, *pos - 1, &got))
    return FALSE;
  if (got == 0 || c == '\n')
    return TRUE;
  for (gsize want = 4096;; want = MIN(want * 2, w->cap))
    {
      if (!_pread(w->pool, t, w->buf, want, *pos, &got))
        return FALSE;
      if (got == 0)
        return TRUE;                     /* at the end of the file */
      const guint8 *nl = memchr(w->buf, '\n', got);
      if (nl)
        {
          *pos += nl + 1 - w->buf;
          return TRUE;
        }
      *pos += got;
    }
}

static gboolean
_grow(DiHuntWorker *w)
{
  if (w->cap >= DI_HUNT_MAX_LINE)
    return FALSE;
  w->cap *= 2;
  w->buf = g_realloc(w->buf, w->cap);
  return TRUE;
}

static void
_long_line(DiHuntPool *p, guint file)
{
  _message(p, "%s: a line longer than %d MiB is scanned in pieces", p->paths[file], DI_HUNT_MAX_LINE >> 20);
}

/* The lines that start in [start, end): read in chunks; the text before
 * the last line end of a chunk is scanned, the rest carried over. */
static gboolean
_scan_range(DiHuntWorker *w, DiHuntTask *t)
{
  guint64 pos = t->start;
  if (!_line_start(w, t, &pos))
    return FALSE;
  if (pos >= t->end)
    return TRUE;

  gsize carry = 0;
  for (;;)
    {
      /* no more than the range needs, and a little to finish its last line */
      gsize got, want = MIN(w->cap - carry, MAX(t->end - MIN(t->end, pos + carry), 4096));
      if (!_pread(w->pool, t, w->buf + carry, want, pos + carry, &got))
        return FALSE;
      gsize len = carry + got;
      if (got == 0)
        {
          _scan_text(w, t->seg, w->buf, len, TRUE);
          return TRUE;
        }
      /* the range ends with the line that holds its last byte */
      gsize last = t->end - 1 > pos ? t->end - 1 - pos : 0;
      const guint8 *stop = last < len ? memchr(w->buf + last, '\n', len - last) : NULL;
      if (stop)
        {
          _scan_text(w, t->seg, w->buf, stop + 1 - w->buf, FALSE);
          return TRUE;
        }
      const guint8 *nl = memrchr(w->buf, '\n', len);
      if (nl)
        {
          gsize k = nl + 1 - w->buf;
          _scan_text(w, t->seg, w->buf, k, FALSE);
          memmove(w->buf, w->buf + k, len - k);
          carry = len - k;
          pos += k;
        }
      else if (len < w->cap || _grow(w))
        carry = len;
      else
        {
          _long_line(w->pool, t->file);
          _scan_text(w, t->seg, w->buf, len, FALSE);
          carry = 0;
          pos += len;
        }
    }
}

static void
_run_task(DiHuntWorker *w, DiHuntTask *t)
{
  DiHuntPool *p = w->pool;
  if (t->plain)
    {
      if (!_scan_range(w, t))
        {
          g_mutex_lock(&p->lock);
          p->errors++;
          g_mutex_unlock(&p->lock);
        }
      _add_bytes(p, t->end - t->start);
      di_hunt_output_segment_done(p->output, t->file, t->seg);
      if (g_atomic_int_dec_and_test(&t->plain->ranges_left))
        {
          di_hunt_input_close(t->plain->input);
          g_free(t->plain);
          g_mutex_lock(&p->lock);
          p->files_done++;
          g_mutex_unlock(&p->lock);
        }
    }
  else
    {
      _scan_text(w, t->seg, t->text, t->len, t->final);
      di_hunt_output_segment_done(p->output, t->file, t->seg);
      g_free(t->text);
    }
  g_free(t);
}

/* ---- files ---- */

static void
_plan_ranges(DiHuntWorker *w, guint file, DiHuntInput *input, gint fd, guint64 size)
{
  DiHuntPool *p = w->pool;
  guint64 piece = p->opts->piece_size;
  guint n = MAX((size + piece - 1) / piece, 1);
  DiPlainFile *plain = g_new0(DiPlainFile, 1);
  plain->input = input;
  plain->fd = fd;
  plain->file = file;
  plain->ranges_left = n;

  GQueue tasks = G_QUEUE_INIT;
  for (guint i = 0; i < n; i++)
    {
      DiHuntTask *t = g_new0(DiHuntTask, 1);
      t->file = file;
      t->plain = plain;
      t->start = i * piece;
      t->end = MIN(size, (i + 1) * piece);
      t->seg = di_hunt_output_add_segment(p->output, file);
      g_queue_push_tail(&tasks, t);
    }
  di_hunt_output_file_done(p->output, file);

  g_mutex_lock(&p->lock);
  for (GList *l = tasks.head; l; l = l->next)
    g_queue_push_tail(&p->ranges, l->data);
  g_cond_broadcast(&p->cond);
  g_mutex_unlock(&p->lock);
  g_queue_clear(&tasks);
}

/* Hands a block on, or scans the oldest waiting one first when enough wait. */
static void
_emit(DiHuntWorker *w, guint file, guint8 *text, gsize len, gboolean final)
{
  DiHuntPool *p = w->pool;
  DiHuntTask *t = g_new0(DiHuntTask, 1);
  t->file = file;
  t->text = text;
  t->len = len;
  t->final = final;
  t->seg = di_hunt_output_add_segment(p->output, file);

  g_mutex_lock(&p->lock);
  while (p->pending_blocks >= DI_HUNT_PENDING * p->opts->jobs)
    {
      DiHuntTask *old = g_queue_pop_head(&p->blocks);
      p->pending_blocks--;
      g_mutex_unlock(&p->lock);
      _run_task(w, old);
      g_mutex_lock(&p->lock);
    }
  g_queue_push_tail(&p->blocks, t);
  p->pending_blocks++;
  g_cond_signal(&p->cond);
  g_mutex_unlock(&p->lock);
}

/* Decompresses (or reads a pipe) into blocks that end at a line end. */
static void
_produce(DiHuntWorker *w, guint file, DiHuntInput *input)
{
  DiHuntPool *p = w->pool;
  gsize block = MIN(p->opts->piece_size, DI_HUNT_BLOCK), cap = block, len = 0;
  guint8 *buf = g_malloc(cap);
  guint64 consumed = 0;
  gboolean warned = FALSE;
  for (;;)
    {
      GError *error = NULL;
      gssize n = di_hunt_input_read(input, buf + len, cap - len, &error);
      guint64 now_consumed = di_hunt_input_consumed(input);
      _add_bytes(p, now_consumed - consumed);
      consumed = now_consumed;
      if (n <= 0)
        {
          if (n < 0)
            _error(p, error);
          g_clear_error(&error);
          if (len)
            _emit(w, file, buf, len, TRUE);
          else
            g_free(buf);
          break;
        }
      len += n;
      if (len < cap)
        continue;
      const guint8 *nl = memrchr(buf, '\n', len);
      if (!nl && cap < DI_HUNT_MAX_LINE)
        {
          cap *= 2;
          buf = g_realloc(buf, cap);
          continue;
        }
      if (!nl && !warned)
        {
          _long_line(p, file);
          warned = TRUE;
        }
      gsize k = nl ? (gsize) (nl + 1 - buf) : len;
      gsize next_cap = len - k < block / 2 ? block : cap;
      guint8 *next = g_malloc(next_cap);
      memcpy(next, buf + k, len - k);
      _emit(w, file, buf, k, FALSE);
      buf = next;
      cap = next_cap;
      len -= k;
    }
  di_hunt_output_file_done(p->output, file);
}

static void
_start_file(DiHuntWorker *w, guint file)
{
  DiHuntPool *p = w->pool;
  GError *error = NULL;
  DiHuntInput *input = di_hunt_input_open(p->paths[file], &error);
  if (!input)
    {
      _error(p, error);
      g_error_free(error);
      di_hunt_output_file_done(p->output, file);
      g_mutex_lock(&p->lock);
      p->files_done++;
      g_mutex_unlock(&p->lock);
      return;
    }
  guint64 size;
  gint fd = di_hunt_input_plain_fd(input, &size);
  if (fd >= 0)
    {
      _plan_ranges(w, file, input, fd, size);
      return;
    }
  _produce(w, file, input);
  di_hunt_input_close(input);
  g_mutex_lock(&p->lock);
  p->files_done++;
  g_mutex_unlock(&p->lock);
}

/* ---- workers ---- */

static gpointer
_work(gpointer data)
{
  DiHuntWorker *w = data;
  DiHuntPool *p = w->pool;
  g_mutex_lock(&p->lock);
  for (;;)
    {
      DiHuntTask *t = g_queue_pop_head(&p->blocks);
      if (t)
        p->pending_blocks--;
      else
        t = g_queue_pop_head(&p->ranges);
      if (t)
        {
          g_mutex_unlock(&p->lock);
          _run_task(w, t);
          g_mutex_lock(&p->lock);
          continue;
        }
      if (p->next_file < p->n_paths)
        {
          guint file = p->next_file++;
          p->producers++;
          g_mutex_unlock(&p->lock);
          _start_file(w, file);
          g_mutex_lock(&p->lock);
          p->producers--;
          g_cond_broadcast(&p->cond);
          continue;
        }
      if (p->producers == 0)
        break;
      g_cond_wait(&p->cond, &p->lock);
    }
  p->running--;
  g_cond_broadcast(&p->cond);
  g_cond_signal(&p->finished);
  g_mutex_unlock(&p->lock);
  return NULL;
}

/* ---- progress ---- */

static void
_format_bytes(gchar *buf, gsize size, gdouble bytes)
{
  const gchar *units[] = { "B", "kB", "MB", "GB", "TB" };
  gint u = 0;
  while (bytes >= 1000 && u < 4)
    {
      bytes /= 1000;
      u++;
    }
  g_snprintf(buf, size, u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

static void
_show_status(DiHuntPool *p, gboolean last)
{
  gdouble secs = (g_get_monotonic_time() - p->started) / 1e6;
  gsize bytes = __atomic_load_n(&p->bytes, __ATOMIC_RELAXED);
  gchar done[32], total[32], rate[32];
  _format_bytes(done, sizeof(done), bytes);
  _format_bytes(total, sizeof(total), p->total_bytes);
  _format_bytes(rate, sizeof(rate), secs > 0 ? bytes / secs : 0);
  g_mutex_lock(&p->lock);
  guint files_done = p->files_done;
  g_mutex_unlock(&p->lock);
  guint64 matches = di_hunt_output_matches(p->output);

  g_mutex_lock(&p->err_lock);
  if (last)
    fprintf(stderr, "\r\033[Khunt: %u files, %s in %.1f s (%s/s), %" G_GUINT64_FORMAT " matching lines\n",
            p->n_paths, done, secs, rate, matches);
  else
    fprintf(stderr, "\r\033[Khunt: %u/%u files, %s of %s (%.0f%%), %s/s, %" G_GUINT64_FORMAT " matching lines",
            files_done, p->n_paths, done, total, p->total_bytes ? 100.0 * bytes / p->total_bytes : 0.0, rate,
            matches);
  p->status_shown = !last;
  g_mutex_unlock(&p->err_lock);
}

static guint64
_total_size(const gchar *const *paths, guint n)
{
  guint64 total = 0;
  for (guint i = 0; i < n; i++)
    {
      GStatBuf st;
      if (strcmp(paths[i], "-") != 0 && g_stat(paths[i], &st) == 0 && S_ISREG(st.st_mode))
        total += st.st_size;
    }
  return total;
}

void
di_hunt_run(const DiHuntOptions *opts, const gchar *const *paths, guint n_paths, FILE *out, DiHuntResult *result)
{
  DiHuntPool p = { 0 };
  p.opts = opts;
  p.paths = paths;
  p.n_paths = n_paths;
  p.output = di_hunt_output_new(out, paths, n_paths);
  g_mutex_init(&p.lock);
  g_mutex_init(&p.err_lock);
  g_cond_init(&p.cond);
  g_cond_init(&p.finished);
  p.total_bytes = opts->progress ? _total_size(paths, n_paths) : 0;
  p.started = g_get_monotonic_time();

  guint jobs = MAX(opts->jobs, 1);
  DiHuntWorker *workers = g_new0(DiHuntWorker, jobs);
  p.running = jobs;
  for (guint i = 0; i < jobs; i++)
    {
      workers[i].pool = &p;
      di_line_match_init(&workers[i].match);
      workers[i].cap = DI_HUNT_READ;
      workers[i].buf = g_malloc(workers[i].cap);
      workers[i].thread = g_thread_new("hunt", _work, &workers[i]);
    }

  if (opts->progress)
    {
      gint64 next = p.started + G_USEC_PER_SEC / 4;
      g_mutex_lock(&p.lock);
      while (p.running > 0)
        {
          g_cond_wait_until(&p.finished, &p.lock, next);
          if (p.running == 0 || g_get_monotonic_time() < next)
            continue;
          g_mutex_unlock(&p.lock);
          _show_status(&p, FALSE);
          next += G_USEC_PER_SEC / 4;
          g_mutex_lock(&p.lock);
        }
      g_mutex_unlock(&p.lock);
    }
  for (guint i = 0; i < jobs; i++)
    {
      g_thread_join(workers[i].thread);
      di_line_match_clear(&workers[i].match);
      g_free(workers[i].buf);
    }
  if (opts->progress)
    _show_status(&p, TRUE);

  result->matches = di_hunt_output_matches(p.output);
  result->errors = p.errors;
  result->bytes = p.bytes;
  result->seconds = (g_get_monotonic_time() - p.started) / 1e6;
  fflush(out);
  di_hunt_output_free(p.output);
  g_free(workers);
  g_cond_clear(&p.cond);
  g_cond_clear(&p.finished);
  g_mutex_clear(&p.lock);
  g_mutex_clear(&p.err_lock);
}
