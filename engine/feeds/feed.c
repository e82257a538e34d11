/* feed.c: what every reader shares: recording problems (escaped, bounded),
 * the limits, reading a feed file safely, refanging, the file header, and
 * the add-one-indicator path (nexus, minimum CIDR prefix, warninglists).
 *
 * Feeds come over the network, so nothing a feed holds reaches a message
 * unescaped, no message list grows without bound, and a file is read, never
 * mapped: a feed truncated in place while it is read ("cp" over it) would
 * raise SIGBUS in a mapping, which kills the daemon.
 */
#include "feed.h"
#include "warninglist.h"
#include "actors.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* ---- options ----------------------------------------------------------- */

static const gchar *limit_names[DI_LIMIT_MAX] =
{
  [DI_LIMIT_FILE_SIZE] = "max-file-size",
  [DI_LIMIT_LINE_LENGTH] = "max-line-length",
  [DI_LIMIT_COLUMNS] = "max-columns",
  [DI_LIMIT_INDICATORS] = "max-indicators",
  [DI_LIMIT_MESSAGES] = "max-messages",
};

const gchar *
di_feed_limit_name(DiFeedLimit limit)
{
  return limit < DI_LIMIT_MAX ? limit_names[limit] : "?";
}

void
di_feed_options_init(DiFeedOptions *self)
{
  memset(self, 0, sizeof(*self));
  self->min_prefix_ipv4 = DI_FEED_DEFAULT_MIN_PREFIX_IPV4;
  self->min_prefix_ipv6 = DI_FEED_DEFAULT_MIN_PREFIX_IPV6;
  self->limits[DI_LIMIT_FILE_SIZE] = DI_FEED_DEFAULT_MAX_FILE_SIZE;
  self->limits[DI_LIMIT_LINE_LENGTH] = DI_FEED_DEFAULT_MAX_LINE_LENGTH;
  self->limits[DI_LIMIT_COLUMNS] = DI_FEED_DEFAULT_MAX_COLUMNS;
  self->limits[DI_LIMIT_INDICATORS] = DI_FEED_DEFAULT_MAX_INDICATORS;
  self->limits[DI_LIMIT_MESSAGES] = DI_FEED_DEFAULT_MAX_MESSAGES;
}

DiFeedOptions *
di_feed_options_copy(const DiFeedOptions *self)
{
  DiFeedOptions *copy = g_new(DiFeedOptions, 1);
  *copy = *self;
  copy->sanctions_programs = (const gchar *const *) g_strdupv((gchar **) self->sanctions_programs);
  copy->dprk_paths = (const gchar *const *) g_strdupv((gchar **) self->dprk_paths);
  copy->warninglists = (const gchar *const *) g_strdupv((gchar **) self->warninglists);
  copy->warninglists_disabled = (const gchar *const *) g_strdupv((gchar **) self->warninglists_disabled);
  return copy;
}

void
di_feed_options_free(DiFeedOptions *self)
{
  if (!self)
    return;
  g_strfreev((gchar **) self->sanctions_programs);
  g_strfreev((gchar **) self->dprk_paths);
  g_strfreev((gchar **) self->warninglists);
  g_strfreev((gchar **) self->warninglists_disabled);
  g_free(self);
}

const DiFeedOptions *
di_feed_options_default(void)
{
  static DiFeedOptions defaults;
  static gsize done;
  if (g_once_init_enter(&done))
    {
      di_feed_options_init(&defaults);
      g_once_init_leave(&done, 1);
    }
  return &defaults;
}

static const DiFeedOptions *
_options(const DiFeedContext *ctx)
{
  return ctx->options ? ctx->options : di_feed_options_default();
}

gsize
di_feed_limit(const DiFeedContext *ctx, DiFeedLimit limit)
{
  gsize v = _options(ctx)->limits[limit];
  return v ? v : G_MAXSIZE;
}

gboolean
di_feed_program_is_dprk(const gchar *program)
{
  static const gchar *const dprk[] = { "DPRK", "DPRK2", "DPRK3", "DPRK4", "DPRK-NKSPEA" };
  for (gsize i = 0; i < G_N_ELEMENTS(dprk); i++)
    if (g_ascii_strcasecmp(program, dprk[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
_program_named(const gchar *const *words, const gchar *program)
{
  for (const gchar *const *w = words; *w; w++)
    if (g_ascii_strcasecmp(*w, "all") == 0 || g_ascii_strcasecmp(*w, program) == 0
        || (g_ascii_strcasecmp(*w, "dprk") == 0 && di_feed_program_is_dprk(program)))
      return TRUE;
  return FALSE;
}

gboolean
di_feed_options_program_selected(const DiFeedOptions *self, const gchar *const *programs, gboolean *dprk)
{
  static const gchar *const dprk_only[] = { "dprk", NULL };
  const gchar *const *words = self && self->sanctions_programs && self->sanctions_programs[0]
                              ? self->sanctions_programs : dprk_only;
  gboolean selected = FALSE;
  *dprk = FALSE;
  for (const gchar *const *p = programs; p && *p; p++)
    {
      *dprk |= di_feed_program_is_dprk(*p);
      selected |= _program_named(words, *p);
    }
  return selected;
}

/* ---- escaping ---------------------------------------------------------- */

gchar *
di_feed_escape(const gchar *text, gssize len, gsize max)
{
  gsize n = len < 0 ? strlen(text) : (gsize) len;
  gsize shown = max && n > max ? max : n;
  GString *out = g_string_sized_new(shown + 8);
  const gchar *p = text, *end = text + shown;
  while (p < end)
    {
      guchar c = *p;
      const gchar *next = g_utf8_find_next_char(p, end);
      gsize clen = (next ? next : end) - p;
      gunichar u = c >= 0x80 ? g_utf8_get_char_validated(p, clen) : 0;
      /* a whole, valid UTF-8 character that is not a C1 control (CSI ...) */
      if (c >= 0x80 && u < (gunichar) -2 && u > 0x9f)
        g_string_append_len(out, p, clen);
      else if (c == '\n')
        g_string_append(out, "\\n");
      else if (c == '\r')
        g_string_append(out, "\\r");
      else if (c == '\t')
        g_string_append(out, "\\t");
      else if (c < 0x20 || c >= 0x7f)
        {
          g_string_append_printf(out, "\\x%02x", c);
          clen = 1;
        }
      else
        {
          g_string_append_c(out, c);
          clen = 1;
        }
      p += clen;
    }
  if (shown < n)
    g_string_append(out, "...");
  return g_string_free(out, FALSE);
}

/* ---- problems ---------------------------------------------------------- */

/* "FILE:LINE: what", "FILE:WHERE: what" or "FILE: what" (line 0, no where),
 * escaped as a whole: the file name and what come from outside. */
static gchar *
_located(const gchar *path, gsize line, const gchar *where, const gchar *what)
{
  gchar *raw;
  if (where)
    raw = g_strdup_printf("%s:%s: %s", path, where, what);
  else if (line)
    raw = g_strdup_printf("%s:%" G_GSIZE_FORMAT ": %s", path, line, what);
  else
    raw = g_strdup_printf("%s: %s", path, what);
  gchar *escaped = di_feed_escape(raw, -1, 0);
  g_free(raw);
  return escaped;
}

/* Keeps the first max-messages of a kind per file; the loader adds a line
 * saying how many more there were.  With a pipeline, a message goes through
 * it, so that it takes its place in file order among the messages of the
 * rows still in flight (the pipeline calls this again, without one, when it
 * gets there). */
static void
_keep(DiFeedContext *ctx, GPtrArray *list, guint *count, gchar *message)
{
  if (ctx->pipeline)
    {
      di_feed_pipeline_message(ctx->pipeline, list, count, message);
      return;
    }
  (*count)++;
  if (*count <= di_feed_limit(ctx, DI_LIMIT_MESSAGES))
    g_ptr_array_add(list, message);
  else
    g_free(message);
}

static void
_record_error(DiFeedContext *ctx, const gchar *path, gsize line, const gchar *where, const gchar *fmt, va_list args)
{
  gchar *what = g_strdup_vprintf(fmt, args);
  _keep(ctx, ctx->errors, &ctx->n_errors, _located(path, line, where, what));
  g_free(what);
}

void
di_feed_error(DiFeedContext *ctx, gsize line, const gchar *fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  _record_error(ctx, ctx->filename, line, NULL, fmt, args);
  va_end(args);
}

void
di_feed_error_at(DiFeedContext *ctx, const gchar *where, const gchar *fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  _record_error(ctx, ctx->filename, 0, where, fmt, args);
  va_end(args);
}

void
di_feed_error_in(DiFeedContext *ctx, const gchar *path, gsize line, const gchar *fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  _record_error(ctx, path, line, NULL, fmt, args);
  va_end(args);
}

static void
_warn(DiFeedContext *ctx, gsize line, const gchar *where, const gchar *what)
{
  if (!ctx->warnings)
    _keep(ctx, ctx->errors, &ctx->n_errors, _located(ctx->filename, line, where, what));
  else
    _keep(ctx, ctx->warnings, &ctx->n_warnings, _located(ctx->filename, line, where, what));
}

static void
_warn_v(DiFeedContext *ctx, gsize line, const gchar *where, const gchar *fmt, va_list args)
{
  gchar *what = g_strdup_vprintf(fmt, args);
  _warn(ctx, line, where, what);
  g_free(what);
}

void
di_feed_warning(DiFeedContext *ctx, gsize line, const gchar *fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  _warn_v(ctx, line, NULL, fmt, args);
  va_end(args);
}

void
di_feed_warning_at(DiFeedContext *ctx, const gchar *where, const gchar *fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  _warn_v(ctx, 0, where, fmt, args);
  va_end(args);
}

/* A suppressed value for `dprk-intel check`: kept like the errors, but
 * never an error. */
static void
_note(DiFeedContext *ctx, gsize line, const gchar *where, const gchar *what)
{
  /* bounded like the messages; the loader says how many more there were */
  if (ctx->suppressions && ctx->suppressed <= di_feed_limit(ctx, DI_LIMIT_MESSAGES))
    g_ptr_array_add(ctx->suppressions, _located(ctx->filename, line, where, what));
}

void
di_feed_limit_hit(DiFeedContext *ctx, DiFeedLimit limit, gsize line, const gchar *what)
{
  ctx->limits_hit++;
  if (ctx->limits_reported & (1u << limit))
    return;
  ctx->limits_reported |= 1u << limit;
  gchar *text = g_strdup_printf("limit %s (%" G_GSIZE_FORMAT ") hit: %s", di_feed_limit_name(limit),
                                di_feed_limit(ctx, limit), what);
  /* a warning even in a strict format: a limit is never fatal */
  GPtrArray *to = ctx->warnings ? ctx->warnings : ctx->limit_warnings;
  if (to)
    _keep(ctx, to, &ctx->n_warnings, _located(ctx->filename, line, NULL, text));
  g_free(text);
}

/* ---- adding ------------------------------------------------------------- */

static void
_trim(const gchar **value, gsize *len)
{
  while (*len && g_ascii_isspace((*value)[0]))
    {
      (*value)++;
      (*len)--;
    }
  while (*len && g_ascii_isspace((*value)[*len - 1]))
    (*len)--;
}

/* A bad value: a warning in lenient feeds, an error otherwise. */
static void
_bad_value(DiFeedContext *ctx, gsize line, const gchar *where, const gchar *what)
{
  if (!ctx->warnings)
    {
      _keep(ctx, ctx->errors, &ctx->n_errors, _located(ctx->filename, line, where, what));
      return;
    }
  gchar *skipped = g_strdup_printf("%s (skipped)", what);
  _keep(ctx, ctx->warnings, &ctx->n_warnings, _located(ctx->filename, line, where, skipped));
  g_free(skipped);
  ctx->skipped++;
}

void
di_feed_bad_value(DiFeedContext *ctx, gsize line, const gchar *where, const gchar *fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  gchar *what = g_strdup_vprintf(fmt, args);
  va_end(args);
  _bad_value(ctx, line, where, what);
  g_free(what);
}

/* A CIDR broader than the minimum prefix of its family; else NULL.  value
 * as the feed wrote it (refanged: it was defanged). */
static gchar *
_too_broad(DiFeedContext *ctx, const DiKey *key, const gchar *value, gsize len, gboolean refanged)
{
  const DiFeedOptions *o = _options(ctx);
  guint min = key->cls == DI_KEY_CIDR4 ? o->min_prefix_ipv4 : key->cls == DI_KEY_CIDR6 ? o->min_prefix_ipv6 : 0;
  if (!min || key->bytes[0] >= min)
    return NULL;
  /* the value as it was normalised */
  GString *plain = g_string_new_len(value, len);
  if (refanged)
    di_feed_refang(value, len, plain);
  gchar *shown = di_feed_escape(plain->str, plain->len, 100);
  g_string_free(plain, TRUE);
  gchar *why = g_strdup_printf("CIDR '%s' is broader than /%u, the least prefix accepted for %s (it would match "
                               "too much; min-prefix-%s() lowers the limit)", shown, min,
                               key->cls == DI_KEY_CIDR4 ? "IPv4" : "IPv6", key->cls == DI_KEY_CIDR4 ? "ipv4" : "ipv6");
  g_free(shown);
  return why;
}

static gboolean
_suppressed(DiFeedContext *ctx, gsize line, const gchar *where, DiType type, const DiKey *key)
{
  if (!ctx->warninglists)
    return FALSE;
  const gchar *list = di_warninglists_find(ctx->warninglists, type, key);
  if (!list)
    return FALSE;
  ctx->suppressed++;
  GString *value = g_string_new("");
  di_key_format(key, value);
  gchar *what = g_strdup_printf("%s '%s' is on warninglist '%s': not loaded", di_type_name(type), value->str, list);
  _note(ctx, line, where, what);
  g_free(what);
  g_string_free(value, TRUE);
  return TRUE;
}

gboolean
di_feed_add(DiFeedContext *ctx, gsize line, const gchar *where, DiType type, const gchar *value, gssize len,
            const DiIndicatorMeta *meta)
{
  gsize n = len < 0 ? strlen(value) : (gsize) len;
  _trim(&value, &n);

  if (meta && meta->valid_until > 0 && meta->valid_until <= ctx->now)
    {
      ctx->expired++;
      return TRUE;
    }
  if (ctx->pipeline)
    {
      di_feed_pipeline_add(ctx->pipeline, line, where, type, value, n, meta);
      return TRUE;
    }

  DiKey key;
  DiType inferred;
  gboolean refanged;
  GError *error = NULL;
  di_feed_normalize(ctx->refang, type, value, n, &key, &inferred, &refanged, &error);
  gboolean ok = di_feed_add_normalized(ctx, line, where, type, value, n, &key, inferred, refanged,
                                       error ? error->message : NULL, meta);
  g_clear_error(&error);
  return ok;
}

/* Whether di_feed_refang() could replace anything in value: every defanged
 * spelling starts with '[', '(' or '{', or is "hxxp" at the start. */
static gboolean
_may_be_defanged(const gchar *value, gsize len)
{
  if (len >= 4 && (value[0] | 0x20) == 'h' && (value[1] | 0x20) == 'x')
    return TRUE;
  for (gsize i = 0; i < len; i++)
    if (value[i] == '[' || value[i] == '(' || value[i] == '{')
      return TRUE;
  return FALSE;
}

gboolean
di_feed_normalize(gboolean refang, DiType type, const gchar *value, gsize len, DiKey *key, DiType *inferred,
                  gboolean *refanged, GError **error)
{
  GString *plain = NULL;
  *refanged = FALSE;
  /* most values are not defanged: tell so without allocating (a big feed
   * spent a third of its value checking here) */
  if (refang && len <= DI_KEY_MAX && _may_be_defanged(value, len))
    {
      plain = g_string_sized_new(len);
      if (di_feed_refang(value, len, plain))
        {
          *refanged = TRUE;
          value = plain->str;
          len = plain->len;
        }
    }
  *inferred = type;
  gboolean ok = di_normalize(type, value, len, key, inferred, error);
  if (plain)
    g_string_free(plain, TRUE);
  return ok;
}

gboolean
di_feed_add_normalized(DiFeedContext *ctx, gsize line, const gchar *where, DiType type, const gchar *value,
                       gsize len, const DiKey *key, DiType inferred, gboolean refanged, const gchar *error,
                       const DiIndicatorMeta *meta)
{
  if (refanged)
    ctx->refanged++;
  gchar *broad = error ? NULL : _too_broad(ctx, key, value, len, refanged);
  if (error || broad)
    {
      _bad_value(ctx, line, where, broad ? broad : error);
      g_free(broad);
      return FALSE;
    }

  /* "ipv4" rows written as 10.0.0.0/8 are networks: say so in their type */
  if (key->cls == DI_KEY_CIDR4 || key->cls == DI_KEY_CIDR6)
    inferred = DI_TYPE_CIDR;
  else if (type != DI_TYPE_NONE)
    inferred = type;

  if (_suppressed(ctx, line, where, inferred, key))
    return TRUE;
  if (ctx->loaded >= di_feed_limit(ctx, DI_LIMIT_INDICATORS))
    {
      di_feed_limit_hit(ctx, DI_LIMIT_INDICATORS, line, "the rest of the file is not loaded");
      return TRUE;
    }

  DiIndicatorMeta declared;
  if (ctx->nexus != DI_NEXUS_UNKNOWN && (!meta || meta->nexus == DI_NEXUS_UNKNOWN))
    {
      if (meta)
        declared = *meta;
      else
        {
          memset(&declared, 0, sizeof(declared));
          declared.confidence = -1;
        }
      declared.nexus = ctx->nexus;
      meta = &declared;
    }
  di_snapshot_builder_add(ctx->builder, inferred, key, meta);
  ctx->loaded++;
  return TRUE;
}

/* ---- reading files ------------------------------------------------------ */

struct _DiFeedInput
{
  DiFeedContext *ctx;
  const gchar *path;
  gint fd;
  gzFile gz;
  struct stat before;
  gsize total;            /* bytes delivered (after gunzip) */
  gsize max;
  gboolean failed;
};

static gboolean
_same_file_state(const struct stat *a, const struct stat *b)
{
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size
         && a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static DiFeedInput *
_open_path(DiFeedContext *ctx, const gchar *path)
{
  gint fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) < 0)
    {
      di_feed_error_in(ctx, path, 0, "cannot read: %s", g_strerror(errno));
      if (fd >= 0)
        close(fd);
      return NULL;
    }
  if (!S_ISREG(st.st_mode))
    {
      di_feed_error_in(ctx, path, 0, "cannot read: not a regular file");
      close(fd);
      return NULL;
    }
  gsize max = di_feed_limit(ctx, DI_LIMIT_FILE_SIZE);
  if ((guint64) st.st_size > max)
    {
      gchar *what = g_strdup_printf("the file has %" G_GINT64_FORMAT " bytes: not read", (gint64) st.st_size);
      di_feed_limit_hit(ctx, DI_LIMIT_FILE_SIZE, 0, what);
      g_free(what);
      close(fd);
      return NULL;
    }
  gint gz_fd = dup(fd);
  gzFile gz = gz_fd >= 0 ? gzdopen(gz_fd, "rb") : NULL;
  if (!gz)
    {
      di_feed_error_in(ctx, path, 0, "cannot read: %s", g_strerror(errno ? errno : ENOMEM));
      if (gz_fd >= 0)
        close(gz_fd);
      close(fd);
      return NULL;
    }
  gzbuffer(gz, 64 * 1024);
  DiFeedInput *in = g_new0(DiFeedInput, 1);
  in->ctx = ctx;
  in->path = path;
  in->fd = fd;
  in->gz = gz;
  in->before = st;
  in->max = max;
  return in;
}

DiFeedInput *
di_feed_open(DiFeedContext *ctx)
{
  return _open_path(ctx, ctx->filename);
}

gssize
di_feed_input_read(DiFeedInput *in, gchar *buf, gsize n)
{
  if (in->failed)
    return -1;
  gint got = gzread(in->gz, buf, (guint) MIN(n, (gsize) G_MAXINT));
  if (got < 0)
    {
      gint code;
      const gchar *msg = gzerror(in->gz, &code);
      if (code == Z_ERRNO)
        di_feed_error_in(in->ctx, in->path, 0, "cannot read: %s", g_strerror(errno));
      else
        di_feed_error_in(in->ctx, in->path, 0, "cannot read the gzip data: %s", msg);
      in->failed = TRUE;
      return -1;
    }
  if (got == 0)
    {
      /* the end: zlib says only here whether a gzip member was cut short */
      gint code;
      const gchar *msg = gzerror(in->gz, &code);
      if (code != Z_OK && code != Z_STREAM_END)
        {
          di_feed_error_in(in->ctx, in->path, 0, "the gzip data ends early (truncated file?): %s", msg);
          in->failed = TRUE;
          return -1;
        }
    }
  in->total += got;
  if (in->total > in->max)
    {
      di_feed_limit_hit(in->ctx, DI_LIMIT_FILE_SIZE, 0, "the file grows larger when decompressed: not read");
      in->failed = TRUE;
      return -1;
    }
  return got;
}

void
di_feed_input_close(DiFeedInput *in)
{
  if (!in)
    return;
  struct stat after, now;
  /* the open file changed (written in place), or the name now points to
   * another one (replaced): either way what was read may be half of it */
  if (fstat(in->fd, &after) < 0 || !_same_file_state(&in->before, &after)
      || stat(in->path, &now) < 0 || !_same_file_state(&in->before, &now))
    in->ctx->changed = TRUE;
  gzclose(in->gz);
  close(in->fd);
  g_free(in);
}

static gchar *
_read_whole(DiFeedContext *ctx, const gchar *path, gsize *len)
{
  DiFeedInput *in = _open_path(ctx, path);
  *len = 0;
  if (!in)
    return NULL;
  /* read straight into the result, a megabyte at a time: zlib hands reads
   * of twice its buffer or more over without copying them through it (a
   * plain file as well as a gzip one's output) */
  const gsize step = 1024 * 1024;
  gsize cap = MIN((gsize) in->before.st_size, in->max) + step + 1, n = 0;
  gchar *data = g_malloc(cap);
  gssize got;
  for (;;)
    {
      if (cap - n < step + 1)
        {
          cap = MAX(cap * 2, n + step + 1);
          data = g_realloc(data, cap);
        }
      if ((got = di_feed_input_read(in, data + n, step)) <= 0)
        break;
      n += got;
    }
  di_feed_input_close(in);
  if (got < 0)
    {
      g_free(data);
      return NULL;
    }
  data[n] = '\0';
  *len = n;
  return data;
}

gchar *
di_feed_contents(DiFeedContext *ctx, gsize *len)
{
  return _read_whole(ctx, ctx->filename, len);
}

gchar *
di_feed_contents_of(DiFeedContext *ctx, const gchar *path, gsize *len)
{
  return _read_whole(ctx, path, len);
}

/* ---- refanging ---------------------------------------------------------- */

/* The defanged spellings and what they stand for, longest first where one
 * is the start of another. */
static const struct
{
  const gchar *defanged;
  const gchar *plain;
} defangs[] =
{
  { "[://]", "://" }, { "[:]", ":" }, { "[.]", "." }, { "(.)", "." }, { "{.}", "." }, { "[dot]", "." },
  { "(dot)", "." }, { "[@]", "@" }, { "[at]", "@" },
};

static gsize
_defang_at(const gchar *p, gsize left, const gchar **plain)
{
  for (gsize i = 0; i < G_N_ELEMENTS(defangs); i++)
    {
      gsize n = strlen(defangs[i].defanged);
      if (n <= left && g_ascii_strncasecmp(p, defangs[i].defanged, n) == 0)
        {
          *plain = defangs[i].plain;
          return n;
        }
    }
  return 0;
}

guint
di_feed_refang(const gchar *value, gsize len, GString *out)
{
  guint replaced = 0;
  gsize i = 0;
  g_string_truncate(out, 0);
  /* hxxp:// hxxps:// hxxp[://] (any case) at the start; only as a scheme:
   * "hxxp-out.wetax-pay.site" is a real Kimsuky domain */
  if (len >= 5 && g_ascii_strncasecmp(value, "hxxp", 4) == 0)
    {
      gsize s = (value[4] == 's' || value[4] == 'S') ? 5 : 4;
      if (s < len && (value[s] == ':' || (value[s] == '[' && s + 1 < len && value[s + 1] == ':')))
        {
          g_string_append(out, "http");
          i = 4;
          replaced++;
        }
    }
  while (i < len)
    {
      const gchar *plain;
      gsize n = value[i] == '[' || value[i] == '(' || value[i] == '{' ? _defang_at(value + i, len - i, &plain) : 0;
      if (n)
        {
          g_string_append(out, plain);
          i += n;
          replaced++;
        }
      else
        g_string_append_c(out, value[i++]);
    }
  return replaced;
}

/* ---- the header of a text feed ----------------------------------------- */

static gchar *
_header_value(const gchar *line, gsize len, const gchar *key)
{
  gsize k = strlen(key);
  while (len && (*line == '#' || *line == ' ' || *line == '\t'))
    {
      line++;
      len--;
    }
  if (len <= k || g_ascii_strncasecmp(line, key, k) != 0 || line[k] != ':')
    return NULL;
  gchar *v = g_strndup(line + k + 1, len - k - 1);
  return g_strstrip(v);
}

void
di_feed_read_header(DiFeedContext *ctx, const gchar *data, gsize len, gchar **actor)
{
  const gchar *p = data, *end = data + len;
  if (actor)
    *actor = NULL;
  if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  while (p < end)
    {
      const gchar *nl = memchr(p, '\n', end - p);
      const gchar *stop = nl ? nl : end;
      const gchar *s = p;
      while (s < stop && (*s == ' ' || *s == '\t' || *s == '\r'))
        s++;
      if (s < stop && *s != '#')
        break;           /* the header is over */
      gsize n = stop - s;
      while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
        n--;
      gchar *nexus = _header_value(s, n, "nexus");
      if (nexus && g_ascii_strcasecmp(nexus, "dprk") == 0)
        ctx->nexus = DI_NEXUS_DPRK;
      else if (nexus)
        di_feed_warning(ctx, 0, "unknown '# nexus: %s' in the header: only 'dprk' is known", nexus);
      g_free(nexus);
      gchar *named = actor && !*actor ? _header_value(s, n, "actor") : NULL;
      if (named && *named)
        *actor = named;
      else
        g_free(named);
      p = nl ? nl + 1 : end;
    }
}

gchar *
di_feed_actor_from_name(const gchar *path)
{
  gchar *base = g_path_get_basename(path);
  gchar *stem = g_strndup(base, strcspn(base, "."));
  gchar **words = g_strsplit_set(stem, "_-", -1);
  guint n = g_strv_length(words);
  gchar *actor = NULL;
  /* every run of words, longest first: "apt_bluenoroff-defanged" ->
   * "bluenoroff", "lazarus_group_iocs" -> "lazarus_group" */
  for (guint len = n; len > 0 && !actor; len--)
    for (guint i = 0; i + len <= n && !actor; i++)
      {
        gchar *saved = words[i + len];
        words[i + len] = NULL;
        gchar *run = g_strjoinv("_", words + i);
        words[i + len] = saved;
        if (*run && di_actor_is_dprk(run))
          actor = run;
        else
          g_free(run);
      }
  g_strfreev(words);
  g_free(stem);
  g_free(base);
  return actor;
}

/* ---- time --------------------------------------------------------------- */

gint64
di_feed_parse_time(const gchar *text)
{
  gint year, month, day;
  gchar tail;

  /* a bare date means "valid through that whole day" (UTC) */
  if (sscanf(text, "%4d-%2d-%2d%c", &year, &month, &day, &tail) == 3)
    {
      if (!g_date_valid_dmy(day, month, year))
        return -1;
      GDateTime *dt = g_date_time_new_utc(year, month, day, 23, 59, 59);
      gint64 t = dt ? g_date_time_to_unix(dt) : -1;
      if (dt)
        g_date_time_unref(dt);
      return t;
    }

  GTimeZone *utc = g_time_zone_new_utc();
  GDateTime *dt = g_date_time_new_from_iso8601(text, utc);
  g_time_zone_unref(utc);
  if (!dt)
    return -1;
  gint64 t = g_date_time_to_unix(dt);
  g_date_time_unref(dt);
  return t;
}
