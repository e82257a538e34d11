/* hunt-input.c: open an archive, tell its format by its first bytes, and
 * read it as text: plain, gzip (zlib), zstd (libzstd, when configured).
 *
 * Decompression is sequential by nature; the hunt keeps it the only
 * sequential part by handing the text on in large blocks (hunt-pool.c).
 * An error names the file and how much text came out before it, and the
 * text before a corrupt or truncated spot is still hunted.
 */
#include "hunt-input.h"
#include <zlib.h>
#ifdef HAVE_ZSTD
#include <zstd.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RAW_SIZE (256 * 1024)
#define MAGIC_SIZE 16

struct _DiHuntInput
{
  gchar *path;
  gint fd;
  DiInputFormat format;
  gboolean regular;
  guint64 size;
  guint8 *raw;           /* compressed bytes read ahead (and the first bytes of a pipe) */
  gsize raw_pos, raw_len;
  gboolean raw_eof;
  guint64 consumed;
  guint64 produced;      /* text bytes returned: where an error is */
  GError *pending;       /* an error found after some text: returned on the next read */
  gboolean done;
  z_stream zs;
  gboolean member_end;   /* a gzip member ended: another may follow */
#ifdef HAVE_ZSTD
  ZSTD_DCtx *zd;
  size_t zstd_left;      /* 0 when the last frame is complete */
#endif
};

static GQuark
_quark(void)
{
  return g_quark_from_static_string("di-hunt-input");
}

/* got: the text of this read so far */
static void
_set_error(DiHuntInput *self, GError **error, gsize got, const gchar *what)
{
  g_set_error(error, _quark(), 1, "%s: %s after %" G_GUINT64_FORMAT " bytes of text", self->path, what,
              self->produced + got);
}

static gboolean
_fail_errno(DiHuntInput *self, GError **error)
{
  g_set_error(error, _quark(), 1, "%s: %s", self->path, g_strerror(errno));
  return FALSE;
}

static gssize
_read_fd(gint fd, guint8 *buf, gsize cap)
{
  gssize n;
  do
    n = read(fd, buf, cap);
  while (n < 0 && errno == EINTR);
  return n;
}

/* refills the read-ahead buffer when it is empty; FALSE on a read error */
static gboolean
_fill_raw(DiHuntInput *self, GError **error)
{
  if (self->raw_pos < self->raw_len || self->raw_eof)
    return TRUE;
  gssize n = _read_fd(self->fd, self->raw, RAW_SIZE);
  if (n < 0)
    return _fail_errno(self, error);
  self->raw_pos = 0;
  self->raw_len = n;
  self->raw_eof = (n == 0);
  self->consumed += n;
  return TRUE;
}

static DiInputFormat
_detect(const guint8 *m, gsize n, const gchar **unsupported)
{
  static const guint8 xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
  static const guint8 bz2[] = { 0x31, 0x41, 0x59, 0x26, 0x53, 0x59 };
  *unsupported = NULL;
  if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b)
    return DI_INPUT_GZIP;
  if (n >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
    {
#ifndef HAVE_ZSTD
      *unsupported = "zstd (this dprk-intel is built without libzstd; try: zstdcat FILE | dprk-intel hunt -)";
#endif
      return DI_INPUT_ZSTD;
    }
  if (n >= 6 && memcmp(m, xz, 6) == 0)
    *unsupported = "xz (try: xzcat FILE | dprk-intel hunt -)";
  else if (n >= 10 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h' && memcmp(m + 4, bz2, 6) == 0)
    *unsupported = "bzip2 (try: bzcat FILE | dprk-intel hunt -)";
  return DI_INPUT_PLAIN;
}

static gboolean
_read_magic(DiHuntInput *self, guint8 *magic, gsize *n, GError **error)
{
  if (self->regular)
    {
      gssize got = pread(self->fd, magic, MAGIC_SIZE, 0);
      if (got < 0)
        return _fail_errno(self, error);
      *n = got;
      return TRUE;
    }
  /* a pipe: what is read to tell the format stays in the read-ahead buffer */
  while (self->raw_len < MAGIC_SIZE && !self->raw_eof)
    {
      gssize got = _read_fd(self->fd, self->raw + self->raw_len, RAW_SIZE - self->raw_len);
      if (got < 0)
        return _fail_errno(self, error);
      self->raw_len += got;
      self->raw_eof = (got == 0);
      self->consumed += got;
    }
  *n = MIN(self->raw_len, MAGIC_SIZE);
  memcpy(magic, self->raw, *n);
  return TRUE;
}

static gboolean
_init_decoder(DiHuntInput *self, GError **error)
{
  if (self->format == DI_INPUT_GZIP)
    {
      /* 15 + 16: a gzip wrapper, the largest window */
      if (inflateInit2(&self->zs, 15 + 16) != Z_OK)
        {
          g_set_error(error, _quark(), 1, "%s: cannot start zlib", self->path);
          return FALSE;
        }
    }
#ifdef HAVE_ZSTD
  else if (self->format == DI_INPUT_ZSTD)
    self->zd = ZSTD_createDCtx();
#endif
  return TRUE;
}

static gboolean
_open(DiHuntInput *self, GError **error)
{
  self->fd = strcmp(self->path, "-") == 0 ? dup(STDIN_FILENO) : open(self->path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (self->fd < 0 || fstat(self->fd, &st) != 0)
    return _fail_errno(self, error);
  if (S_ISDIR(st.st_mode))
    {
      g_set_error(error, _quark(), 1, "%s: is a directory", self->path);
      return FALSE;
    }
  self->regular = S_ISREG(st.st_mode);
  self->size = self->regular ? (guint64) st.st_size : 0;

  guint8 magic[MAGIC_SIZE];
  gsize n = 0;
  const gchar *unsupported;
  if (!_read_magic(self, magic, &n, error))
    return FALSE;
  self->format = _detect(magic, n, &unsupported);
  if (unsupported)
    {
      g_set_error(error, _quark(), 1, "%s: %s is not supported", self->path, unsupported);
      return FALSE;
    }
  return _init_decoder(self, error);
}

DiHuntInput *
di_hunt_input_open(const gchar *path, GError **error)
{
  DiHuntInput *self = g_new0(DiHuntInput, 1);
  self->path = g_strdup(path);
  self->raw = g_malloc(RAW_SIZE);
  self->fd = -1;
  if (!_open(self, error))
    {
      di_hunt_input_close(self);
      return NULL;
    }
  return self;
}

void
di_hunt_input_close(DiHuntInput *self)
{
  if (!self)
    return;
  if (self->format == DI_INPUT_GZIP)
    inflateEnd(&self->zs);
#ifdef HAVE_ZSTD
  ZSTD_freeDCtx(self->zd);
#endif
  if (self->fd >= 0)
    close(self->fd);
  g_clear_error(&self->pending);
  g_free(self->raw);
  g_free(self->path);
  g_free(self);
}

DiInputFormat
di_hunt_input_format(const DiHuntInput *self)
{
  return self->format;
}

const gchar *
di_hunt_input_format_name(DiInputFormat format)
{
  return format == DI_INPUT_GZIP ? "gzip" : format == DI_INPUT_ZSTD ? "zstd" : "plain";
}

gint
di_hunt_input_plain_fd(const DiHuntInput *self, guint64 *size)
{
  if (self->format != DI_INPUT_PLAIN || !self->regular)
    return -1;
  *size = self->size;
  return self->fd;
}

guint64
di_hunt_input_consumed(const DiHuntInput *self)
{
  return self->consumed;
}

/* Each reader puts the text it decoded in *got, even when it fails. */
static gboolean
_read_plain(DiHuntInput *self, guint8 *buf, gsize cap, gsize *got, GError **error)
{
  if (self->raw_pos < self->raw_len)
    {
      *got = MIN(cap, self->raw_len - self->raw_pos);
      memcpy(buf, self->raw + self->raw_pos, *got);
      self->raw_pos += *got;
      return TRUE;
    }
  if (self->raw_eof)
    return TRUE;
  gssize n = _read_fd(self->fd, buf, cap);
  if (n < 0)
    return _fail_errno(self, error);
  self->consumed += n;
  *got = n;
  return TRUE;
}

/* One more gzip member may follow the one that ended; anything else is
 * garbage, which zcat also reports. */
static gboolean
_next_member(DiHuntInput *self, gsize got, GError **error)
{
  if (!_fill_raw(self, error))
    return FALSE;
  if (self->raw_pos == self->raw_len)
    {
      self->done = TRUE;
      return TRUE;
    }
  if (self->raw[self->raw_pos] != 0x1f)
    {
      _set_error(self, error, got, "trailing garbage after the gzip data");
      return FALSE;
    }
  inflateReset(&self->zs);
  self->member_end = FALSE;
  return TRUE;
}

static gboolean
_read_gzip(DiHuntInput *self, guint8 *buf, gsize cap, gsize *got, GError **error)
{
  self->zs.next_out = buf;
  self->zs.avail_out = cap;
  gboolean ok = TRUE;
  while (ok && self->zs.avail_out > 0 && !self->done)
    {
      gsize so_far = cap - self->zs.avail_out;
      if (self->member_end)
        {
          ok = _next_member(self, so_far, error);
          continue;
        }
      if (!(ok = _fill_raw(self, error)))
        break;
      if (self->raw_pos == self->raw_len)
        {
          _set_error(self, error, so_far, "unexpected end of the gzip data (truncated)");
          ok = FALSE;
          break;
        }
      self->zs.next_in = self->raw + self->raw_pos;
      self->zs.avail_in = self->raw_len - self->raw_pos;
      gint ret = inflate(&self->zs, Z_NO_FLUSH);
      self->raw_pos = self->raw_len - self->zs.avail_in;
      if (ret == Z_STREAM_END)
        self->member_end = TRUE;
      else if (ret != Z_OK && ret != Z_BUF_ERROR)
        {
          _set_error(self, error, cap - self->zs.avail_out, self->zs.msg ? self->zs.msg : "corrupt gzip data");
          ok = FALSE;
        }
    }
  *got = cap - self->zs.avail_out;
  return ok;
}

#ifdef HAVE_ZSTD
static gboolean
_read_zstd(DiHuntInput *self, guint8 *buf, gsize cap, gsize *got, GError **error)
{
  ZSTD_outBuffer out = { buf, cap, 0 };
  gboolean ok = TRUE;
  while (ok && out.pos < cap && !self->done)
    {
      if (!(ok = _fill_raw(self, error)))
        break;
      if (self->raw_pos == self->raw_len)
        {
          if (self->zstd_left)
            {
              _set_error(self, error, out.pos, "unexpected end of the zstd data (truncated)");
              ok = FALSE;
            }
          self->done = TRUE;
          break;
        }
      ZSTD_inBuffer in = { self->raw, self->raw_len, self->raw_pos };
      size_t ret = ZSTD_decompressStream(self->zd, &out, &in);
      self->raw_pos = in.pos;
      if (ZSTD_isError(ret))
        {
          _set_error(self, error, out.pos, ZSTD_getErrorName(ret));
          ok = FALSE;
        }
      else
        self->zstd_left = ret;
    }
  *got = out.pos;
  return ok;
}
#endif

gssize
di_hunt_input_read(DiHuntInput *self, guint8 *buf, gsize cap, GError **error)
{
  if (self->pending)
    {
      g_propagate_error(error, self->pending);
      self->pending = NULL;
      return -1;
    }
  GError *local = NULL;
  gsize got = 0;
  gboolean ok;
  switch (self->format)
    {
    case DI_INPUT_GZIP:
      ok = _read_gzip(self, buf, cap, &got, &local);
      break;
#ifdef HAVE_ZSTD
    case DI_INPUT_ZSTD:
      ok = _read_zstd(self, buf, cap, &got, &local);
      break;
#endif
    default:
      ok = _read_plain(self, buf, cap, &got, &local);
      break;
    }
  if (!ok && got == 0)
    {
      g_propagate_error(error, local);
      self->done = TRUE;
      return -1;
    }
  /* the text decoded before an error first, the error on the next read */
  if (!ok)
    self->pending = local;
  self->produced += got;
  return got;
}
