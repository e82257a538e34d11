/* dprk-intel-feed-watch.c: feed fingerprints and the loader thread of
 * reload-interval().  See dprk-intel-feed-watch.h.
 */
#include "dprk-intel-feed-watch.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static void
_append_stat(GString *out, const gchar *path)
{
  struct stat st;

  g_string_append(out, path);
  if (stat(path, &st) < 0)
    {
      g_string_append_printf(out, "|error %d\n", errno);
      return;
    }
  g_string_append_printf(out, "|%" G_GUINT64_FORMAT "|%" G_GUINT64_FORMAT "|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT
                         ".%09ld|%o\n",
                         (guint64) st.st_dev, (guint64) st.st_ino, (gint64) st.st_size,
                         (gint64) st.st_mtim.tv_sec, (long) st.st_mtim.tv_nsec, (guint) st.st_mode);
}

static gint
_compare_names(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const gchar *const *) a, *(const gchar *const *) b);
}

static void
_append_directory(GString *out, const gchar *path)
{
  GDir *dir = g_dir_open(path, 0, NULL);
  if (!dir)
    {
      g_string_append_printf(out, "%s|unreadable directory\n", path);
      return;
    }

  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const gchar *name;
  while ((name = g_dir_read_name(dir)))
    if (name[0] != '.')
      g_ptr_array_add(names, g_strdup(name));
  g_dir_close(dir);

  g_ptr_array_sort(names, _compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      gchar *full = g_build_filename(path, (const gchar *) g_ptr_array_index(names, i), NULL);
      _append_stat(out, full);
      g_free(full);
    }
  g_ptr_array_free(names, TRUE);
}

gchar *
dprk_intel_feed_fingerprint(const gchar *const *paths)
{
  GString *out = g_string_sized_new(256);

  for (const gchar *const *p = paths; p && *p; p++)
    {
      _append_stat(out, *p);
      if (g_file_test(*p, G_FILE_TEST_IS_DIR))
        _append_directory(out, *p);
    }
  return g_string_free(out, FALSE);
}

/* the build */

struct _DprkIntelFeedBuild
{
  gint ref_cnt;
  gint done;               /* atomic; set by the thread after the results */
  gchar **paths;
  DiFeedOptions *options;
  gint64 now;
  DiSnapshot *snapshot;
  DiLoadReport report;
};

static void
_build_unref(DprkIntelFeedBuild *self)
{
  if (!g_atomic_int_dec_and_test(&self->ref_cnt))
    return;

  if (self->snapshot)
    di_snapshot_unref(self->snapshot);
  di_load_report_clear(&self->report);
  g_strfreev(self->paths);
  di_feed_options_free(self->options);
  g_free(self);
}

static gpointer
_build_thread(gpointer user_data)
{
  DprkIntelFeedBuild *self = user_data;

  self->snapshot = di_feed_load_with((const gchar *const *) self->paths, self->options, self->now, &self->report);
  g_atomic_int_set(&self->done, 1);
  _build_unref(self);
  return NULL;
}

DprkIntelFeedBuild *
dprk_intel_feed_build_start(const gchar *const *paths, const DiFeedOptions *options, GError **error)
{
  DprkIntelFeedBuild *self = g_new0(DprkIntelFeedBuild, 1);

  /* one reference for the caller, one for the thread */
  g_atomic_int_set(&self->ref_cnt, 2);
  self->paths = g_strdupv((gchar **) paths);
  self->options = di_feed_options_copy(options);
  self->now = g_get_real_time() / G_USEC_PER_SEC;
  di_load_report_init(&self->report);

  GThread *thread = g_thread_try_new("dprk-intel-load", _build_thread, self, error);
  if (!thread)
    {
      g_atomic_int_set(&self->ref_cnt, 1);
      _build_unref(self);
      return NULL;
    }
  g_thread_unref(thread);
  return self;
}

gboolean
dprk_intel_feed_build_is_done(DprkIntelFeedBuild *self)
{
  return g_atomic_int_get(&self->done) != 0;
}

DiSnapshot *
dprk_intel_feed_build_take_snapshot(DprkIntelFeedBuild *self)
{
  g_assert(dprk_intel_feed_build_is_done(self));

  DiSnapshot *snapshot = self->snapshot;
  self->snapshot = NULL;
  return snapshot;
}

DiLoadReport *
dprk_intel_feed_build_get_report(DprkIntelFeedBuild *self)
{
  g_assert(dprk_intel_feed_build_is_done(self));
  return &self->report;
}

void
dprk_intel_feed_build_unref(DprkIntelFeedBuild *self)
{
  if (self)
    _build_unref(self);
}
