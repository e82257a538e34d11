/* feed-loader.c: database() paths to one snapshot, all or nothing.
 *
 * Directories are read in name order, skipping what is plainly not a feed:
 * hidden files, editor backups, and Markdown notes such as the provenance
 * file beside the bundled feed.
 */
#include "feed-loader.h"
#include "feed-formats.h"
#include "feed-pipeline.h"
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>
#include <stdio.h>

/* enough for a long comment block above a CSV header */
#define DI_DETECT_HEAD 65536

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
  self->files = g_ptr_array_new();
  self->errors = g_ptr_array_new_with_free_func(g_free);
  self->warnings = g_ptr_array_new_with_free_func(g_free);
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
  if (self->errors)
    g_ptr_array_free(self->errors, TRUE);
  if (self->warnings)
    g_ptr_array_free(self->warnings, TRUE);
  self->files = self->errors = self->warnings = NULL;
}

static gboolean
_is_feed_name(const gchar *name)
{
  return name[0] != '.' && !g_str_has_suffix(name, "~") && !g_str_has_suffix(name, ".bak")
         && !g_str_has_suffix(name, ".md") && !g_str_has_suffix(name, ".dpkg-old")
         && !g_str_has_suffix(name, ".dpkg-dist");
}

static gint
_compare_names(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const gchar *const *) a, *(const gchar *const *) b);
}

/* Appends the feed files under path to files; errors for unreadable paths. */
static void
_expand_path(const gchar *path, GPtrArray *files, GPtrArray *errors)
{
  if (!g_file_test(path, G_FILE_TEST_EXISTS))
    {
      g_ptr_array_add(errors, g_strdup_printf("%s: cannot read: %s", path, g_strerror(ENOENT)));
      return;
    }
  if (!g_file_test(path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add(files, g_strdup(path));
      return;
    }

  GError *error = NULL;
  GDir *dir = g_dir_open(path, 0, &error);
  if (!dir)
    {
      g_ptr_array_add(errors, g_strdup_printf("%s: cannot read directory: %s", path, error->message));
      g_error_free(error);
      return;
    }
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const gchar *name;
  while ((name = g_dir_read_name(dir)))
    {
      gchar *full = g_build_filename(path, name, NULL);
      if (_is_feed_name(name) && g_file_test(full, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add(names, full);
      else
        g_free(full);
    }
  g_dir_close(dir);
  g_ptr_array_sort(names, _compare_names);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add(files, g_strdup(names->pdata[i]));
  g_ptr_array_free(names, TRUE);
}

const DiFeedFormat *
di_feed_detect(const gchar *filename, GError **error)
{
  FILE *fp = fopen(filename, "rb");
  if (!fp)
    {
      g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot read: %s", g_strerror(errno));
      return NULL;
    }
  gchar *head = g_malloc(DI_DETECT_HEAD + 1);
  gsize n = fread(head, 1, DI_DETECT_HEAD, fp);
  fclose(fp);
  head[n] = '\0';

  const DiFeedFormat *found = NULL;
  for (const DiFeedFormat *const *f = di_feed_formats; *f && !found; f++)
    if ((*f)->detect(filename, head, n))
      found = *f;
  g_free(head);
  if (found)
    return found;
  g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
              "unknown feed format (expected canonical CSV, STIX 2.1, MISP, OFAC SDN or a plain list)");
  return NULL;
}

static void
_load_file(const gchar *filename, DiSnapshotBuilder *builder, gint64 now, DiLoadReport *report)
{
  DiFeedFileReport *file = g_new0(DiFeedFileReport, 1);
  file->filename = g_strdup(filename);
  g_ptr_array_add(report->files, file);

  GError *error = NULL;
  const DiFeedFormat *format = di_feed_detect(filename, &error);
  if (!format)
    {
      g_ptr_array_add(report->errors, g_strdup_printf("%s: %s", filename, error->message));
      file->errors = 1;
      g_error_free(error);
      return;
    }

  DiFeedContext ctx = { builder, filename, now, report->errors, 0, 0, 0 };
  ctx.warnings = format->lenient_values ? report->warnings : NULL;
  guint errors_before = report->errors->len;
  if (_worth_a_pipeline(format, filename))
    ctx.pipeline = di_feed_pipeline_new(&ctx);
  format->read(&ctx);
  if (ctx.pipeline)
    di_feed_pipeline_finish(ctx.pipeline);
  file->format = format->name;
  file->loaded = ctx.loaded;
  file->expired = ctx.expired;
  file->ignored = ctx.ignored;
  file->skipped = ctx.skipped;
  file->errors = report->errors->len - errors_before;
}

DiSnapshot *
di_feed_load(const gchar *const *paths, gint64 now, DiLoadReport *report)
{
  GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
  for (const gchar *const *p = paths; p && *p; p++)
    _expand_path(*p, files, report->errors);

  DiSnapshotBuilder *builder = di_snapshot_builder_new();
  for (guint i = 0; i < files->len; i++)
    _load_file(files->pdata[i], builder, now, report);
  g_ptr_array_free(files, TRUE);

  if (report->errors->len > 0)
    {
      di_snapshot_builder_free(builder);
      return NULL;
    }
  return di_snapshot_builder_finish(builder);
}
