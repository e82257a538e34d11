/* feed-loader.c: database() paths to one snapshot, all or nothing.
 *
 * Directories are read in name order, skipping quietly what is plainly not
 * a feed of ours (hidden files, editor backups, Markdown notes such as the
 * provenance file beside the bundled feed), and with a warning what looks
 * like a feed repository's other files (archives, checksums, signatures,
 * READMEs) or what no reader recognises.  The warninglists are read once a
 * load and handed to every reader through its context.  A big canonical CSV
 * has its values checked on every core (feed-pipeline.h).
 */
#include "feed-loader.h"
#include "feed-formats.h"
#include "feed-dir.h"
#include "feed-pipeline.h"
#include "warninglist.h"
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>
#include <zlib.h>

/* enough for a long comment block above a CSV header */
#define DI_DETECT_HEAD 65536
/* a file caught half-written is read again, the whole load this often at most */
#define DI_LOAD_ATTEMPTS 3

/* A canonical CSV this big has its values checked on every core
 * (feed-pipeline.h); a smaller one is not worth the threads. */
#define DI_PIPELINE_MIN_BYTES (4 * 1024 * 1024)

static gboolean
_worth_a_pipeline(const DiFeedFormat *format, const gchar *filename)
{
  GStatBuf st;
  return format == &di_feed_format_csv && g_stat(filename, &st) == 0 && st.st_size >= DI_PIPELINE_MIN_BYTES;
}

void
di_load_report_init(DiLoadReport *self)
{
  memset(self, 0, sizeof(*self));
  self->files = g_ptr_array_new();
  self->errors = g_ptr_array_new_with_free_func(g_free);
  self->warnings = g_ptr_array_new_with_free_func(g_free);
  self->suppressions = g_ptr_array_new_with_free_func(g_free);
  self->warninglists = g_ptr_array_new_with_free_func(g_free);
}

static void
_file_report_free(gpointer p)
{
  DiFeedFileReport *r = p;
  g_free(r->filename);
  g_free(r);
}

void
di_load_report_clear(DiLoadReport *self)
{
  if (self->files)
    {
      g_ptr_array_set_free_func(self->files, _file_report_free);
      g_ptr_array_free(self->files, TRUE);
    }
  GPtrArray **lists[] = { &self->errors, &self->warnings, &self->suppressions, &self->warninglists };
  for (gsize i = 0; i < G_N_ELEMENTS(lists); i++)
    if (*lists[i])
      g_ptr_array_free(*lists[i], TRUE);
  memset(self, 0, sizeof(*self));
}

/* ---- which files -------------------------------------------------------- */

/* Skipped without a word: not feeds, and ours to keep there. */
static gboolean
_is_quietly_skipped(const gchar *name)
{
  return name[0] == '.' || g_str_has_suffix(name, "~") || g_str_has_suffix(name, ".bak")
         || g_str_has_suffix(name, ".md") || g_str_has_suffix(name, ".dpkg-old")
         || g_str_has_suffix(name, ".dpkg-dist");
}

static gboolean
_has_suffix_ci(const gchar *name, const gchar *const *suffixes)
{
  gsize n = strlen(name);
  for (const gchar *const *s = suffixes; *s; s++)
    {
      gsize k = strlen(*s);
      if (n > k && g_ascii_strcasecmp(name + n - k, *s) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
_has_prefix_ci(const gchar *name, const gchar *const *prefixes)
{
  for (const gchar *const *p = prefixes; *p; p++)
    if (g_ascii_strncasecmp(name, *p, strlen(*p)) == 0)
      return TRUE;
  return FALSE;
}

/* "feed.csv.sha256" beside "feed.csv" is that file's checksum; a lone
 * "samples.sha256" is a list of hashes (ESET publishes its IOCs so), read
 * as a plain list. */
static gboolean
_is_checksum_of_a_sibling(const gchar *dir, const gchar *name)
{
  static const gchar *const hashes[] =
  {
    ".sha256", ".sha1", ".sha512", ".md5", ".sha256sum", ".sha1sum", ".sha512sum", ".md5sum", NULL
  };
  for (const gchar *const *h = hashes; *h; h++)
    if (_has_suffix_ci(name, (const gchar *const[]) { *h, NULL }))
      {
        gchar *sibling = g_strndup(name, strlen(name) - strlen(*h));
        gchar *path = g_build_filename(dir, sibling, NULL);
        gboolean found = g_file_test(path, G_FILE_TEST_EXISTS);
        g_free(path);
        g_free(sibling);
        return found;
      }
  return FALSE;
}

/* What a file in a directory is when its name says it is no feed, else NULL. */
static const gchar *
_not_a_feed_by_name(const gchar *dir, const gchar *name)
{
  static const gchar *const archives[] =
  {
    ".zip", ".tar", ".tgz", ".tar.gz", ".tbz", ".tbz2", ".tar.bz2", ".bz2", ".xz", ".txz", ".7z", ".rar",
    ".zst", ".lz4", ".lzma", ".Z", NULL
  };
  static const gchar *const checksums[] = { "SUMS", ".sums", ".checksum", ".checksums", NULL };
  static const gchar *const signatures[] = { ".sig", ".asc", ".gpg", ".minisig", ".p7s", NULL };
  static const gchar *const documents[] =
  {
    ".rst", ".html", ".htm", ".pdf", ".doc", ".docx", ".py", ".sh", ".yml", ".yaml", ".toml", ".ini",
    ".cfg", ".conf", NULL
  };
  static const gchar *const document_names[] =
  {
    "README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG", "NOTICE", "AUTHORS", "CHECKSUMS", NULL
  };
  if (_has_suffix_ci(name, archives))
    return "an archive dprk-intel does not read";
  if (_has_suffix_ci(name, checksums) || _is_checksum_of_a_sibling(dir, name))
    return "a checksum file";
  if (_has_suffix_ci(name, signatures))
    return "a signature";
  if (_has_prefix_ci(name, document_names) || _has_suffix_ci(name, documents))
    return "documentation or code";
  return NULL;
}

/* A file to read: from a directory (not a feed is then a warning) or given. */
typedef struct
{
  gchar *path;
  gboolean in_directory;
} FeedPath;

static void
_feed_path_free(gpointer p)
{
  FeedPath *f = p;
  g_free(f->path);
  g_free(f);
}

static void
_add_file(GPtrArray *files, gchar *path, gboolean in_directory)
{
  FeedPath *f = g_new(FeedPath, 1);
  f->path = path;
  f->in_directory = in_directory;
  g_ptr_array_add(files, f);
}

static void
_skip_file(DiLoadReport *report, const gchar *path, const gchar *why)
{
  DiFeedFileReport *file = g_new0(DiFeedFileReport, 1);
  file->filename = g_strdup(path);
  file->not_a_feed = TRUE;
  g_ptr_array_add(report->files, file);
  gchar *shown = di_feed_escape(path, -1, 0);
  g_ptr_array_add(report->warnings, g_strdup_printf("%s: %s, not a feed: skipped", shown, why));
  g_free(shown);
  report->not_feeds++;
}

/* Appends the feed files under path to files; errors for unreadable paths. */
static void
_expand_path(const gchar *path, GPtrArray *files, DiLoadReport *report)
{
  gchar *shown = di_feed_escape(path, -1, 0);
  if (!g_file_test(path, G_FILE_TEST_EXISTS))
    g_ptr_array_add(report->errors, g_strdup_printf("%s: cannot read: %s", shown, g_strerror(ENOENT)));
  else if (!g_file_test(path, G_FILE_TEST_IS_DIR))
    _add_file(files, g_strdup(path), FALSE);
  else
    {
      GError *error = NULL;
      GPtrArray *names = di_feed_dir_names(path, &error);
      if (!names)
        {
          g_ptr_array_add(report->errors, g_strdup_printf("%s: cannot read directory: %s", shown, error->message));
          g_error_free(error);
        }
      else
        {
          for (guint i = 0; i < names->len; i++)
            {
              gchar *full = g_build_filename(path, (const gchar *) names->pdata[i], NULL);
              const gchar *not_feed = _not_a_feed_by_name(path, names->pdata[i]);
              if (_is_quietly_skipped(names->pdata[i]) || !g_file_test(full, G_FILE_TEST_IS_REGULAR))
                g_free(full);
              else if (not_feed)
                {
                  _skip_file(report, full, not_feed);
                  g_free(full);
                }
              else
                _add_file(files, full, TRUE);
            }
          g_ptr_array_free(names, TRUE);
        }
    }
  g_free(shown);
}

/* ---- detection ---------------------------------------------------------- */

/* Up to DI_DETECT_HEAD bytes of the file, gunzipped; NULL with errno set. */
static gchar *
_read_head(const gchar *filename, gsize *len)
{
  gzFile gz = gzopen(filename, "rb");
  if (!gz)
    return NULL;
  gchar *head = g_malloc(DI_DETECT_HEAD + 1);
  gint n = gzread(gz, head, DI_DETECT_HEAD);
  gint saved = errno;
  gzclose(gz);
  if (n < 0)
    {
      /* a gzip header cut short reads as nothing: detection then says so */
      n = 0;
      errno = saved;
    }
  head[n] = '\0';
  *len = n;
  return head;
}

/* Binary formats a feed directory may hold, by their first bytes. */
static const gchar *
_binary_kind(const gchar *head, gsize len)
{
  static const struct
  {
    const gchar *magic;
    gsize len;
    const gchar *what;
  } magics[] =
  {
    { "PK\x03\x04", 4, "a zip archive" }, { "7z\xbc\xaf\x27\x1c", 6, "a 7-zip archive" },
    { "BZh", 3, "a bzip2 file" }, { "\xfd" "7zXZ", 5, "an xz file" }, { "Rar!", 4, "a rar archive" },
    { "%PDF", 4, "a PDF document" }, { "\x28\xb5\x2f\xfd", 4, "a zstd file" },
    { "-----BEGIN PGP", 14, "a PGP signature or key" }, { "\x1f\x8b", 2, "gzip data that does not decompress" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(magics); i++)
    if (len >= magics[i].len && memcmp(head, magics[i].magic, magics[i].len) == 0)
      return magics[i].what;
  if (len > 262 && memcmp(head + 257, "ustar", 5) == 0)
    return "a tar archive";
  for (gsize i = 0; i < len; i++)
    if (head[i] == '\0')
      return "binary data";
  return NULL;
}

/* The first non-comment line of head, escaped and cut. */
static gchar *
_first_line(const gchar *head, gsize len)
{
  const gchar *p = head, *end = head + len;
  if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  while (p < end)
    {
      while (p < end && g_ascii_isspace(*p))
        p++;
      if (p < end && *p != '#')
        break;
      const gchar *nl = memchr(p, '\n', end - p);
      p = nl ? nl + 1 : end;
    }
  const gchar *nl = p < end ? memchr(p, '\n', end - p) : NULL;
  gsize n = (nl ? nl : end) - p;
  while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
    n--;
  return di_feed_escape(p, n, 120);
}

/* What the file looks like, for the error that refuses it. */
static gchar *
_describe_head(const gchar *head, gsize len)
{
  const gchar *binary = _binary_kind(head, len);
  if (binary)
    return g_strdup(binary);
  gchar *line = _first_line(head, len);
  gchar *what;
  if (!*line)
    what = g_strdup(len ? "only comments and blank lines" : "an empty file");
  else if (line[0] == '{' || line[0] == '[')
    what = g_strdup_printf("JSON that is not a STIX bundle, a MISP event or a list of strings, starting '%s'", line);
  else if (line[0] == '<')
    what = g_strdup_printf("XML that is not OFAC's, starting '%s'", line);
  else if (strchr(line, ','))
    what = g_strdup_printf("a CSV header '%s' without a column named indicator, value or ioc", line);
  else
    what = g_strdup_printf("text whose first line '%s' is not one indicator", line);
  g_free(line);
  return what;
}

const DiFeedFormat *
di_feed_detect(const gchar *filename, GError **error)
{
  gsize n;
  gchar *head = _read_head(filename, &n);
  if (!head)
    {
      gint code = errno ? errno : EIO;
      g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(code), "cannot read: %s", g_strerror(code));
      return NULL;
    }
  const DiFeedFormat *found = NULL;
  for (const DiFeedFormat *const *f = di_feed_formats; *f && !found; f++)
    if ((*f)->detect(filename, head, n))
      found = *f;
  if (!found)
    {
      gchar *what = _describe_head(head, n);
      g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                  "unknown feed format: expected canonical CSV (a header naming an 'indicator' column), an IOC CSV "
                  "(a 'value', 'ioc' or 'indicator' column), a STIX 2 bundle, a MISP event, OFAC's sdn.csv or "
                  "sdn_advanced.xml, or a plain list (one indicator a line); found %s", what);
      g_free(what);
    }
  g_free(head);
  return found;
}

/* ---- loading ------------------------------------------------------------ */

typedef struct
{
  const DiFeedOptions *options;
  const DiWarninglists *warninglists;
  gint64 now;
  DiSnapshotBuilder *builder;
  DiLoadReport *report;
  gboolean changed;        /* a file changed while it was read */
  gchar *changed_file;
} LoadRun;

/* filename lies in (or is) one of paths. */
static gboolean
_under(const gchar *filename, const gchar *const *paths)
{
  for (const gchar *const *p = paths; p && *p; p++)
    {
      gsize n = strlen(*p);
      while (n > 1 && (*p)[n - 1] == '/')
        n--;
      if (strncmp(filename, *p, n) == 0 && (filename[n] == '\0' || filename[n] == '/'))
        return TRUE;
    }
  return FALSE;
}

static void
_add_not_listed(DiLoadReport *report, GPtrArray *to, const gchar *path, guint total, guint kept, const gchar *what)
{
  if (total <= kept)
    return;
  gchar *shown = di_feed_escape(path, -1, 0);
  g_ptr_array_add(to, g_strdup_printf("%s: %u more %s not listed (limit %s)", shown, total - kept, what,
                                      di_feed_limit_name(DI_LIMIT_MESSAGES)));
  g_free(shown);
  report->limits_hit++;
}

static void
_file_done(LoadRun *run, DiFeedFileReport *file, DiFeedContext *ctx)
{
  DiLoadReport *report = run->report;
  guint kept = (guint) MIN(di_feed_limit(ctx, DI_LIMIT_MESSAGES), G_MAXUINT);
  _add_not_listed(report, report->errors, ctx->filename, ctx->n_errors, kept, "errors");
  _add_not_listed(report, report->warnings, ctx->filename, ctx->n_warnings, kept, "warnings");
  _add_not_listed(report, report->suppressions, ctx->filename, ctx->suppressed, kept, "suppressed values");
  file->loaded = ctx->loaded;
  file->expired = ctx->expired;
  file->ignored = ctx->ignored;
  file->skipped = ctx->skipped;
  file->errors = ctx->n_errors;
  file->warnings = ctx->n_warnings;
  file->refanged = ctx->refanged;
  file->suppressed = ctx->suppressed;
  file->limits_hit = ctx->limits_hit;
  file->other_programs = ctx->other_programs;
  file->declared_dprk = ctx->nexus == DI_NEXUS_DPRK;
  report->suppressed += ctx->suppressed;
  report->limits_hit += ctx->limits_hit;
  report->refanged += ctx->refanged;
  report->other_programs += ctx->other_programs;
  if (ctx->changed && !run->changed)
    {
      run->changed = TRUE;
      run->changed_file = g_strdup(ctx->filename);
    }
}

static void
_load_file(LoadRun *run, const FeedPath *path)
{
  DiLoadReport *report = run->report;
  GError *error = NULL;
  const DiFeedFormat *format = di_feed_detect(path->path, &error);
  if (!format && path->in_directory && error->code == G_FILE_ERROR_INVAL)
    {
      gchar *why = g_strdup_printf("%s", error->message);
      _skip_file(report, path->path, why);
      g_free(why);
      g_error_free(error);
      return;
    }

  DiFeedFileReport *file = g_new0(DiFeedFileReport, 1);
  file->filename = g_strdup(path->path);
  g_ptr_array_add(report->files, file);
  if (!format)
    {
      gchar *shown = di_feed_escape(path->path, -1, 0);
      g_ptr_array_add(report->errors, g_strdup_printf("%s: %s", shown, error->message));
      g_free(shown);
      file->errors = 1;
      g_error_free(error);
      return;
    }

  DiFeedContext ctx = { run->builder, path->path, run->now, report->errors, 0, 0, 0 };
  ctx.warnings = format->lenient_values ? report->warnings : NULL;
  ctx.options = run->options;
  ctx.warninglists = run->warninglists;
  ctx.suppressions = report->suppressions;
  ctx.limit_warnings = report->warnings;
  if (_under(path->path, run->options->dprk_paths))
    ctx.nexus = DI_NEXUS_DPRK;
  if (_worth_a_pipeline(format, path->path))
    ctx.pipeline = di_feed_pipeline_new(&ctx);
  format->read(&ctx);
  if (ctx.pipeline)
    di_feed_pipeline_finish(ctx.pipeline);
  file->format = format->name;
  _file_done(run, file, &ctx);
}

/* Where the report stood before an attempt, to forget what a failed one added. */
typedef struct
{
  guint files, errors, warnings, suppressions, suppressed, limits_hit, refanged, not_feeds, other_programs;
} ReportMark;

static void
_mark(const DiLoadReport *r, ReportMark *m)
{
  *m = (ReportMark) { r->files->len, r->errors->len, r->warnings->len, r->suppressions->len, r->suppressed,
                      r->limits_hit, r->refanged, r->not_feeds, r->other_programs };
}

static void
_rewind(DiLoadReport *r, const ReportMark *m)
{
  for (guint i = m->files; i < r->files->len; i++)
    _file_report_free(r->files->pdata[i]);
  g_ptr_array_set_size(r->files, m->files);
  g_ptr_array_set_size(r->errors, m->errors);
  g_ptr_array_set_size(r->warnings, m->warnings);
  g_ptr_array_set_size(r->suppressions, m->suppressions);
  r->suppressed = m->suppressed;
  r->limits_hit = m->limits_hit;
  r->refanged = m->refanged;
  r->not_feeds = m->not_feeds;
  r->other_programs = m->other_programs;
}

static DiWarninglists *
_load_warninglists(const DiFeedOptions *options, DiLoadReport *report)
{
  if (!options->warninglists || !options->warninglists[0])
    return NULL;
  DiWarninglists *lists = di_warninglists_new();
  di_warninglists_load(lists, options->warninglists, options->warninglists_disabled, report->warnings);
  for (guint i = 0; i < di_warninglists_count(lists); i++)
    g_ptr_array_add(report->warninglists, g_strdup_printf("%s\t%u", di_warninglists_name(lists, i),
                                                           di_warninglists_entries(lists, i)));
  return lists;
}

DiSnapshot *
di_feed_load_with(const gchar *const *paths, const DiFeedOptions *options, gint64 now, DiLoadReport *report)
{
  if (!options)
    options = di_feed_options_default();
  DiWarninglists *warninglists = _load_warninglists(options, report);
  LoadRun run = { options, warninglists, now, NULL, report };
  for (gint attempt = 1;; attempt++)
    {
      ReportMark mark;
      _mark(report, &mark);
      GPtrArray *files = g_ptr_array_new_with_free_func(_feed_path_free);
      for (const gchar *const *p = paths; p && *p; p++)
        _expand_path(*p, files, report);
      run.builder = di_snapshot_builder_new();
      run.changed = FALSE;
      g_clear_pointer(&run.changed_file, g_free);
      for (guint i = 0; i < files->len; i++)
        _load_file(&run, files->pdata[i]);
      g_ptr_array_free(files, TRUE);
      if (!run.changed || attempt == DI_LOAD_ATTEMPTS)
        break;
      di_snapshot_builder_free(run.builder);
      _rewind(report, &mark);
    }
  di_warninglists_free(warninglists);

  if (run.changed)
    {
      gchar *shown = di_feed_escape(run.changed_file, -1, 0);
      g_ptr_array_add(report->errors, g_strdup_printf("%s: the file changed while it was read, %d times: not loaded "
                                                      "(it is read again at the next reload)", shown,
                                                      DI_LOAD_ATTEMPTS));
      g_free(shown);
    }
  g_free(run.changed_file);
  if (report->errors->len > 0)
    {
      di_snapshot_builder_free(run.builder);
      return NULL;
    }
  return di_snapshot_builder_finish(run.builder);
}

DiSnapshot *
di_feed_load(const gchar *const *paths, gint64 now, DiLoadReport *report)
{
  return di_feed_load_with(paths, NULL, now, report);
}
