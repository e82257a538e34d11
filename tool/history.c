/* history.c: the version history's files (layout and crash safety in the
 * header).
 *
 * Record:   "DIH1" u32 flags, u64 hash, i64 recorded_at, u64 total,
 *           u64 n_added, u64 added[n_added], u64 crc32 of all before it
 * Set file: "DIS1" u32 0, u64 hash, u64 n, u64 fps[n], u64 crc32
 */
#include "history.h"
#include <zlib.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define RECORD_MAGIC "DIH1"
#define SET_MAGIC "DIS1"
#define HEADER_SIZE 40
#define FLAG_BASELINE 1u

struct _DiHistory
{
  gchar *dir;
  gint lock_fd;
  GArray *records;        /* of DiHistoryRecord, added arrays owned */
  gsize valid_len;        /* bytes of the log that hold whole, valid records */
  gsize file_len;
};

static GQuark
_quark(void)
{
  return g_quark_from_static_string("di-history");
}

const gchar *
di_history_default_dir(void)
{
  const gchar *env = g_getenv("DPRK_INTEL_HISTORY");
  return (env && *env) ? env : DI_STATEDIR "/history";
}

/* ---- little-endian fields ---- */

static guint64
_get64(const guint8 *p)
{
  guint64 v;
  memcpy(&v, p, 8);
  return GUINT64_FROM_LE(v);
}

static void
_put64(GByteArray *out, guint64 v)
{
  v = GUINT64_TO_LE(v);
  g_byte_array_append(out, (const guint8 *) &v, 8);
}

static void
_put_head(GByteArray *out, const gchar *magic, guint32 word)
{
  word = GUINT32_TO_LE(word);
  g_byte_array_append(out, (const guint8 *) magic, 4);
  g_byte_array_append(out, (const guint8 *) &word, 4);
}

static guint64 *
_get_array(const guint8 *p, gsize n)
{
  guint64 *v = g_new(guint64, MAX(n, 1));
  for (gsize i = 0; i < n; i++)
    v[i] = _get64(p + 8 * i);
  return v;
}

static guint64
_crc(const guint8 *p, gsize len)
{
  return crc32(crc32(0, NULL, 0), p, len);
}

/* ---- files ---- */

static gboolean
_fail(GError **error, const gchar *path, const gchar *what)
{
  g_set_error(error, _quark(), 1, "%s: %s", path, what);
  return FALSE;
}

static gboolean
_sync_dir(const gchar *dir, GError **error)
{
  gint fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || fsync(fd) != 0)
    {
      gint e = errno;
      if (fd >= 0)
        close(fd);
      return _fail(error, dir, g_strerror(e));
    }
  close(fd);
  return TRUE;
}

static gboolean
_write_all(gint fd, const guint8 *p, gsize len, off_t off)
{
  while (len > 0)
    {
      gssize n = pwrite(fd, p, len, off);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      len -= n;
      off += n;
    }
  return TRUE;
}

/* Writes path atomically: a temp file, synced, renamed over it. */
static gboolean
_write_file(const gchar *dir, const gchar *path, const GByteArray *data, GError **error)
{
  gchar *tmp = g_strconcat(path, ".tmp", NULL);
  gint fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  gboolean ok = fd >= 0 && _write_all(fd, data->data, data->len, 0) && fsync(fd) == 0;
  gint e = errno;
  if (fd >= 0)
    close(fd);
  if (ok && rename(tmp, path) != 0)
    {
      ok = FALSE;
      e = errno;
    }
  if (!ok)
    {
      unlink(tmp);
      g_free(tmp);
      return _fail(error, path, g_strerror(e));
    }
  g_free(tmp);
  return _sync_dir(dir, error);
}

static gchar *
_set_path(const DiHistory *self, guint64 hash)
{
  gchar name[DI_FEED_VERSION_HASH_MAX + 4];
  gchar hex[DI_FEED_VERSION_HASH_MAX];
  di_feed_version_format_hash(hash, hex);
  g_snprintf(name, sizeof(name), "set-%s", hex);
  return g_build_filename(self->dir, name, NULL);
}

/* ---- the log ---- */

static void
_records_free(GArray *records)
{
  for (guint i = 0; i < records->len; i++)
    g_free((gpointer) g_array_index(records, DiHistoryRecord, i).added);
  g_array_free(records, TRUE);
}

/* One record at p (len bytes left): its size, or 0 when it is not whole
 * and valid (a torn or damaged tail). */
static gsize
_parse_record(const guint8 *p, gsize len, DiHistoryRecord *r)
{
  if (len < HEADER_SIZE + 8 || memcmp(p, RECORD_MAGIC, 4) != 0)
    return 0;
  guint64 n = _get64(p + 32);
  if (n > (len - HEADER_SIZE - 8) / 8)
    return 0;
  gsize size = HEADER_SIZE + 8 * n;
  if (_get64(p + size) != _crc(p, size))
    return 0;
  guint32 flags;
  memcpy(&flags, p + 4, 4);
  r->baseline = (GUINT32_FROM_LE(flags) & FLAG_BASELINE) != 0;
  r->hash = _get64(p + 8);
  r->recorded_at = (gint64) _get64(p + 16);
  r->total = _get64(p + 24);
  r->n_added = n;
  r->added = _get_array(p + HEADER_SIZE, n);
  return size + 8;
}

static gboolean
_read_log(DiHistory *self, GError **error)
{
  gchar *path = g_build_filename(self->dir, "versions", NULL);
  gchar *data = NULL;
  gsize len = 0;
  GError *local = NULL;
  if (!g_file_get_contents(path, &data, &len, &local))
    {
      gboolean missing = g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT);
      if (!missing)
        g_propagate_error(error, local);
      else
        g_error_free(local);
      g_free(path);
      return missing;
    }
  gsize off = 0, size;
  DiHistoryRecord r;
  while ((size = _parse_record((const guint8 *) data + off, len - off, &r)) > 0)
    {
      g_array_append_val(self->records, r);
      off += size;
    }
  self->valid_len = off;
  self->file_len = len;
  g_free(data);
  g_free(path);
  return TRUE;
}

DiHistory *
di_history_open(const gchar *dir, gboolean for_update, GError **error)
{
  if (for_update && g_mkdir_with_parents(dir, 0755) != 0)
    {
      _fail(error, dir, g_strerror(errno));
      return NULL;
    }
  gchar *lock = g_build_filename(dir, "lock", NULL);
  gint fd = for_update ? open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644) : open(lock, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      if (errno == ENOENT)
        g_set_error(error, _quark(), 1, "%s: no version history here (`dprk-intel history record` starts one; "
                    "dprk-intel-update runs it after each update)", dir);
      else
        _fail(error, lock, g_strerror(errno));
      g_free(lock);
      return NULL;
    }
  g_free(lock);
  if (flock(fd, for_update ? LOCK_EX : LOCK_SH) != 0)
    {
      _fail(error, dir, g_strerror(errno));
      close(fd);
      return NULL;
    }

  DiHistory *self = g_new0(DiHistory, 1);
  self->dir = g_strdup(dir);
  self->lock_fd = fd;
  self->records = g_array_new(FALSE, FALSE, sizeof(DiHistoryRecord));
  if (!_read_log(self, error))
    {
      di_history_close(self);
      return NULL;
    }
  return self;
}

void
di_history_close(DiHistory *self)
{
  if (!self)
    return;
  _records_free(self->records);
  close(self->lock_fd);
  g_free(self->dir);
  g_free(self);
}

guint
di_history_count(const DiHistory *self)
{
  return self->records->len;
}

const DiHistoryRecord *
di_history_record_at(const DiHistory *self, guint i)
{
  return &g_array_index(self->records, DiHistoryRecord, i);
}

const gchar *
di_history_dir(const DiHistory *self)
{
  return self->dir;
}

/* ---- set files ---- */

static gboolean
_valid_set(const guint8 *p, gsize len, guint64 hash)
{
  return len >= 32 && (len - 32) % 8 == 0 && memcmp(p, SET_MAGIC, 4) == 0 && _get64(p + 8) == hash
         && _get64(p + 16) == (len - 32) / 8 && _get64(p + len - 8) == _crc(p, len - 8);
}

static guint64 *
_read_set(const DiHistory *self, guint64 hash, gsize *n, GError **error)
{
  gchar *path = _set_path(self, hash);
  gchar *data = NULL;
  gsize len = 0;
  guint64 *fps = NULL;
  if (!g_file_get_contents(path, &data, &len, NULL))
    _fail(error, path, "missing: what the last recorded version held is unknown "
          "(move the history directory away to start a new one)");
  else if (!_valid_set((const guint8 *) data, len, hash))
    _fail(error, path, "damaged (move the history directory away to start a new one)");
  else
    {
      *n = (len - 32) / 8;
      fps = _get_array((const guint8 *) data + 24, *n);
    }
  g_free(data);
  g_free(path);
  return fps;
}

guint64 *
di_history_last_set(DiHistory *self, gsize *n, GError **error)
{
  guint count = self->records->len;
  if (count == 0)
    {
      *n = 0;
      return g_new(guint64, 1);
    }
  return _read_set(self, di_history_record_at(self, count - 1)->hash, n, error);
}

static gboolean
_write_set(DiHistory *self, guint64 hash, const guint64 *fps, gsize n, GError **error)
{
  GByteArray *data = g_byte_array_sized_new(32 + 8 * n);
  _put_head(data, SET_MAGIC, 0);
  _put64(data, hash);
  _put64(data, n);
  for (gsize i = 0; i < n; i++)
    _put64(data, fps[i]);
  _put64(data, _crc(data->data, data->len));
  gchar *path = _set_path(self, hash);
  gboolean ok = _write_file(self->dir, path, data, error);
  g_free(path);
  g_byte_array_free(data, TRUE);
  return ok;
}

/* Only the set of the last record is needed; older ones (and temp files of
 * a crashed run) go. */
static void
_remove_other_sets(DiHistory *self, guint64 keep)
{
  GDir *d = g_dir_open(self->dir, 0, NULL);
  if (!d)
    return;
  gchar *keep_path = _set_path(self, keep);
  gchar *keep_name = g_path_get_basename(keep_path);
  const gchar *name;
  while ((name = g_dir_read_name(d)))
    if (g_str_has_prefix(name, "set-") && strcmp(name, keep_name) != 0)
      {
        gchar *path = g_build_filename(self->dir, name, NULL);
        unlink(path);
        g_free(path);
      }
  g_dir_close(d);
  g_free(keep_name);
  g_free(keep_path);
  _sync_dir(self->dir, NULL);
}

/* ---- recording ---- */

guint64 *
di_fingerprints_minus(const guint64 *a, gsize na, const guint64 *b, gsize nb, gsize *n)
{
  guint64 *out = g_new(guint64, MAX(na, 1));
  gsize i = 0, j = 0, k = 0;
  while (i < na)
    {
      while (j < nb && b[j] < a[i])
        j++;
      if (j == nb || b[j] != a[i])
        out[k++] = a[i];
      i++;
    }
  *n = k;
  return out;
}

gboolean
di_fingerprints_contain(const guint64 *sorted, gsize n, guint64 fp)
{
  gsize lo = 0, hi = n;
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      if (sorted[mid] < fp)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < n && sorted[lo] == fp;
}

static gboolean
_append_record(DiHistory *self, const DiFeedVersion *version, gboolean baseline, const guint64 *added,
               gsize n_added, GError **error)
{
  GByteArray *data = g_byte_array_sized_new(HEADER_SIZE + 8 * n_added + 8);
  _put_head(data, RECORD_MAGIC, baseline ? FLAG_BASELINE : 0);
  _put64(data, version->hash);
  _put64(data, (guint64) version->loaded_at);
  _put64(data, version->count);
  _put64(data, n_added);
  for (gsize i = 0; i < n_added; i++)
    _put64(data, added[i]);
  _put64(data, _crc(data->data, data->len));

  gchar *path = g_build_filename(self->dir, "versions", NULL);
  gint fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  /* a torn record of a crashed run is cut off first */
  gboolean ok = fd >= 0 && (self->file_len == self->valid_len || ftruncate(fd, self->valid_len) == 0)
                && _write_all(fd, data->data, data->len, self->valid_len) && fsync(fd) == 0;
  gint e = errno;
  if (fd >= 0)
    close(fd);
  if (ok)
    {
      self->valid_len += data->len;
      self->file_len = self->valid_len;
    }
  else
    _fail(error, path, g_strerror(e));
  g_free(path);
  g_byte_array_free(data, TRUE);
  return ok;
}

gboolean
di_history_add(DiHistory *self, const DiFeedVersion *version, const guint64 *fps, gsize n, gboolean *recorded,
               GError **error)
{
  guint count = self->records->len;
  const DiHistoryRecord *last = count ? di_history_record_at(self, count - 1) : NULL;
  *recorded = FALSE;
  if (last && last->hash == version->hash)
    {
      /* unchanged; restore its set file if it went missing */
      gsize n_old;
      guint64 *old = _read_set(self, last->hash, &n_old, NULL);
      gboolean ok = old || _write_set(self, version->hash, fps, n, error);
      g_free(old);
      return ok;
    }

  gsize n_prev = 0, n_added = 0;
  guint64 *prev = last ? _read_set(self, last->hash, &n_prev, error) : g_new(guint64, 1);
  if (!prev)
    return FALSE;
  guint64 *added = last ? di_fingerprints_minus(fps, n, prev, n_prev, &n_added) : g_new(guint64, 1);
  g_free(prev);

  gboolean ok = _write_set(self, version->hash, fps, n, error)
                && _append_record(self, version, last == NULL, added, n_added, error);
  if (ok)
    {
      DiHistoryRecord r = { version->hash, version->loaded_at, version->count, last == NULL, added, n_added };
      g_array_append_val(self->records, r);
      _remove_other_sets(self, version->hash);
      *recorded = TRUE;
    }
  else
    g_free(added);
  return ok;
}
