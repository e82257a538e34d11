/* dprk-intel-feed-watch.c: feed fingerprints and the loader thread of
 * reload-interval().  See dprk-intel-feed-watch.h.
 */
#include "dprk-intel-feed-watch.h"
#include "feed-dir.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

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

static void
_append_directory(GString *out, const gchar *path)
{
  /* the names the loader reads, in its order */
  GPtrArray *names = di_feed_dir_names(path, NULL);
  if (!names)
    {
      g_string_append_printf(out, "%s|unreadable directory\n", path);
      return;
    }
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

guint64
dprk_intel_feed_size(const gchar *const *paths)
{
  guint64 total = 0;

  for (const gchar *const *p = paths; p && *p; p++)
    {
      struct stat st;
      if (stat(*p, &st) < 0)
        continue;
      if (!S_ISDIR(st.st_mode))
        {
          total += st.st_size;
          continue;
        }
      GDir *dir = g_dir_open(*p, 0, NULL);
      const gchar *name;
      while (dir && (name = g_dir_read_name(dir)))
        {
          gchar *full = g_build_filename(*p, name, NULL);
          if (name[0] != '.' && stat(full, &st) == 0 && S_ISREG(st.st_mode))
            total += st.st_size;
          g_free(full);
        }
      if (dir)
        g_dir_close(dir);
    }
  return total;
}

/* the build */

struct _DprkIntelFeedBuild
{
  gint ref_cnt;
  gint done;               /* atomic; set by the thread after the results */
  gchar **paths;
  gchar *fingerprint;
  DiFeedOptions *options;
  gint64 now;
  DiSnapshot *snapshot;
  DiFeedVersion version;   /* of snapshot, computed here too: at ten million
                            * indicators it takes a good part of a second */
  DiLoadReport report;
};

/* One build loads at a time, process-wide: a reload that abandons a build
 * and starts another must not hold two new sets besides the one in use. */
static GMutex build_lock;

static void
_build_unref(DprkIntelFeedBuild *self)
{
  if (!g_atomic_int_dec_and_test(&self->ref_cnt))
    return;

  if (self->snapshot)
    di_snapshot_unref(self->snapshot);
  di_load_report_clear(&self->report);
  g_strfreev(self->paths);
  g_free(self->fingerprint);
  di_feed_options_free(self->options);
  g_free(self);
}

/* Only the thread holds it: its owner gave it up. */
static gboolean
_abandoned(DprkIntelFeedBuild *self)
{
  return g_atomic_int_get(&self->ref_cnt) == 1;
}

/* The loader runs while the workers relay messages, on the same cores: at
 * a lower priority (nice 10, inherited by the threads it starts to check
 * values), it takes what they leave and never holds a message up for long.
 * Linux keeps a nice value per thread. */
#define DPRK_INTEL_BUILD_NICE 10

static gpointer
_build_thread(gpointer user_data)
{
  DprkIntelFeedBuild *self = user_data;

  setpriority(PRIO_PROCESS, (id_t) syscall(SYS_gettid), DPRK_INTEL_BUILD_NICE);
  g_mutex_lock(&build_lock);
  if (!_abandoned(self))
    self->snapshot = di_feed_load_with((const gchar *const *) self->paths, self->options, self->now,
                                       &self->report);
  /* an abandoned set is freed before the next build may start loading */
  if (self->snapshot && _abandoned(self))
    {
      di_snapshot_unref(self->snapshot);
      self->snapshot = NULL;
    }
  if (self->snapshot)
    di_feed_version_compute(&self->version, self->snapshot, g_get_real_time() / G_USEC_PER_SEC);
  g_atomic_int_set(&self->done, 1);
  g_mutex_unlock(&build_lock);
  _build_unref(self);
  return NULL;
}

DprkIntelFeedBuild *
dprk_intel_feed_build_start(const gchar *const *paths, const DiFeedOptions *options, const gchar *fingerprint,
                            GError **error)
{
  DprkIntelFeedBuild *self = g_new0(DprkIntelFeedBuild, 1);

  /* one reference for the caller, one for the thread */
  g_atomic_int_set(&self->ref_cnt, 2);
  self->paths = g_strdupv((gchar **) paths);
  self->fingerprint = g_strdup(fingerprint);
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

const gchar *
dprk_intel_feed_build_get_fingerprint(DprkIntelFeedBuild *self)
{
  return self->fingerprint;
}

DprkIntelFeedBuild *
dprk_intel_feed_build_ref(DprkIntelFeedBuild *self)
{
  g_atomic_int_inc(&self->ref_cnt);
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

const DiFeedVersion *
dprk_intel_feed_build_get_version(DprkIntelFeedBuild *self)
{
  g_assert(dprk_intel_feed_build_is_done(self));
  return &self->version;
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
