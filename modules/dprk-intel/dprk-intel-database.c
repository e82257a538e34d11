/* dprk-intel-database.c: loading database() at init, keeping the previous
 * set when that fails on a reload, handing the set across reloads, and
 * reload-interval().  See dprk-intel-database.h.
 */
#include "dprk-intel-database.h"
#include "dprk-intel-feed-watch.h"

#include "feed-loader.h"

#include "cfg.h"
#include "messages.h"

#include <string.h>
#include <sys/resource.h>

/* A broken million-row feed must not flood the log: the first errors say
 * what is wrong, `dprk-intel check` lists them all. */
#define DPRK_INTEL_MAX_LOGGED_ERRORS 50

/* A reload whose feeds changed reads them in init when they are at most
 * this big together (a few tens of milliseconds), and in a loader thread
 * otherwise: syslog-ng runs init with every worker stopped, so reading ten
 * million indicators there would stall the whole daemon for seconds. */
#define DPRK_INTEL_INIT_LOAD_MAX_BYTES (1024 * 1024)

struct _DprkIntelDatabase
{
  LogPipe *owner;
  DprkIntelSnapshotHolder *holder;
  DprkIntelStats *stats;

  /* set at init */
  gchar **paths;                    /* database(), or the default; NULL-terminated */
  gchar **watched;                  /* paths and warninglists(): what the fingerprint covers */
  DiFeedOptions *feed_options;      /* what the loader is asked for */
  gchar *persist_name;
  gint64 reload_interval;           /* seconds; 0: the files are not watched */

  /* reload-interval(), and a reload that loads in the background */
  gchar *fingerprint;               /* of the files the current set was loaded from, or a build reads */
  gint64 next_look_us;
  DprkIntelFeedBuild *build;        /* a loader thread running or done */
  const gchar *build_origin;        /* "reload-interval()" or "database()", for the log */
  DprkIntelLoadedSet *retired;      /* replaced by the last swap; released at the next tick */
  gchar *build_persist_name;        /* a running build travels across reloads under this name */
};

DprkIntelDatabase *
dprk_intel_database_new(LogPipe *owner, DprkIntelSnapshotHolder *holder, DprkIntelStats *stats)
{
  DprkIntelDatabase *self = g_new0(DprkIntelDatabase, 1);

  self->owner = owner;
  self->holder = dprk_intel_snapshot_holder_ref(holder);
  self->stats = stats;
  return self;
}

void
dprk_intel_database_free(DprkIntelDatabase *self)
{
  if (!self)
    return;

  dprk_intel_feed_build_unref(self->build);
  dprk_intel_loaded_set_unref(self->retired);
  dprk_intel_snapshot_holder_unref(self->holder);
  g_strfreev(self->paths);
  g_strfreev(self->watched);
  di_feed_options_free(self->feed_options);
  g_free(self->persist_name);
  g_free(self->build_persist_name);
  g_free(self->fingerprint);
  g_free(self);
}

/* logging what the loader reported */

static void
_log_load_problems(DprkIntelDatabase *self, GPtrArray *problems, gboolean errors)
{
  guint shown = MIN(problems->len, DPRK_INTEL_MAX_LOGGED_ERRORS);
  for (guint i = 0; i < shown; i++)
    {
      /* the problem itself goes into the message text: it is what the user
       * must read, and it names the file and line */
      gchar *desc = g_strdup_printf("dprk-intel: database(): %s%s", errors ? "" : "warning: ",
                                    (const gchar *) g_ptr_array_index(problems, i));
      if (errors)
        msg_error(desc, log_pipe_location_tag(self->owner));
      else
        msg_warning(desc, log_pipe_location_tag(self->owner));
      g_free(desc);
    }
  if (problems->len > shown)
    msg_warning("dprk-intel: database(): more problems not shown; `dprk-intel check` lists them all",
                evt_tag_int("not_shown", problems->len - shown), log_pipe_location_tag(self->owner));
}

static void
_log_load_errors(DprkIntelDatabase *self, DiLoadReport *report)
{
  _log_load_problems(self, report->errors, TRUE);
}

static void
_log_loaded_files(DprkIntelDatabase *self, DiLoadReport *report)
{
  for (guint i = 0; i < report->files->len; i++)
    {
      DiFeedFileReport *file = g_ptr_array_index(report->files, i);
      if (file->not_a_feed)
        continue;
      msg_verbose("dprk-intel: feed loaded",
                  evt_tag_str("file", file->filename),
                  evt_tag_str("format", file->format ? : "unknown"),
                  evt_tag_int("indicators", file->loaded),
                  evt_tag_int("expired", file->expired),
                  evt_tag_int("ignored", file->ignored),
                  evt_tag_int("suppressed", file->suppressed),
                  evt_tag_int("refanged", file->refanged),
                  evt_tag_int("other_programs", file->other_programs));
    }
  /* each suppressed value is for `dprk-intel check`; the log says how many */
  if (report->suppressed || report->not_feeds || report->other_programs)
    msg_notice("dprk-intel: database(): values on warninglists, files that are not feeds and OFAC entries of "
               "programs not selected were left out; `dprk-intel check` lists them",
               evt_tag_int("suppressed", report->suppressed),
               evt_tag_int("not_feeds", report->not_feeds),
               evt_tag_int("other_programs", report->other_programs),
               log_pipe_location_tag(self->owner));
}

/* loading at init */

/* CPU seconds of the whole process so far: at start-up only the load runs,
 * so the difference is its cost, whatever else the machine is doing. */
static gdouble
_process_cpu_seconds(void)
{
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) < 0)
    return 0;
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static DprkIntelLoadedSet *
_new_set(DiSnapshot *snapshot, const gchar *database_key, const gchar *fingerprint, const DiLoadReport *report,
         const DiFeedVersion *version)
{
  DprkIntelLoadedSet *set = dprk_intel_loaded_set_new(snapshot, database_key, version);

  set->fingerprint = g_strdup(fingerprint);
  set->suppressed = report->suppressed;
  set->limits_hit = report->limits_hit;
  return set;
}

/* Reads every database() path; NULL (errors logged) when any feed is broken. */
static DprkIntelLoadedSet *
_load(DprkIntelDatabase *self, const gchar *database_key)
{
  DiLoadReport report;
  DprkIntelLoadedSet *set = NULL;
  gint64 start = g_get_monotonic_time();
  gdouble cpu_start = _process_cpu_seconds();

  di_load_report_init(&report);
  DiSnapshot *snapshot = di_feed_load_with((const gchar *const *) self->paths, self->feed_options,
                                           g_get_real_time() / G_USEC_PER_SEC, &report);
  if (!snapshot)
    {
      _log_load_errors(self, &report);
      if (report.errors->len == 0)
        msg_error("dprk-intel: database(): loading the feeds failed", log_pipe_location_tag(self->owner));
      goto exit;
    }

  _log_loaded_files(self, &report);
  _log_load_problems(self, report.warnings, FALSE);
  set = _new_set(snapshot, database_key, self->fingerprint, &report, NULL);
  msg_info("dprk-intel: database loaded",
           evt_tag_int("indicators", di_snapshot_count(snapshot)),
           evt_tag_int("files", report.files->len),
           evt_tag_int("actors", set->n_actors ? set->n_actors - 1 : 0),
           evt_tag_str("version", set->version_text),
           evt_tag_printf("seconds", "%.3f", (g_get_monotonic_time() - start) / 1e6),
           evt_tag_printf("cpu_seconds", "%.3f", _process_cpu_seconds() - cpu_start),
           log_pipe_location_tag(self->owner));

exit:
  di_load_report_clear(&report);
  return set;
}

static DprkIntelLoadedSet *
_only_if_same_key(DprkIntelLoadedSet *set, const gchar *database_key)
{
  if (set && strcmp(set->database_key, database_key) != 0)
    {
      dprk_intel_loaded_set_unref(set);
      return NULL;
    }
  return set;
}

/* What to fall back to when the load fails: the set the previous config
 * handed over, if it was loaded from the same database() list (after an
 * edit of the config it belongs to nobody); else, when this very config is
 * init'ed again after a failed reload, what it had before. */
static DprkIntelLoadedSet *
_previous_set(DprkIntelDatabase *self, const gchar *database_key)
{
  GlobalConfig *cfg = log_pipe_get_config(self->owner);
  DprkIntelLoadedSet *previous = cfg_persist_config_fetch(cfg, self->persist_name);

  previous = _only_if_same_key(previous, database_key);
  if (!previous)
    previous = _only_if_same_key(dprk_intel_snapshot_holder_acquire(self->holder), database_key);
  return previous;
}

/* Load the database, or fall back to what the previous configuration had
 * when this is a reload and the feeds are broken now.  At first start a
 * broken feed fails init. */
static gboolean
_load_or_keep(DprkIntelDatabase *self, const gchar *database_key, DprkIntelLoadedSet *previous)
{
  DprkIntelLoadedSet *set = _load(self, database_key);
  if (set)
    {
      dprk_intel_snapshot_holder_swap(self->holder, set);
      dprk_intel_loaded_set_unref(previous);
      return TRUE;
    }
  if (previous)
    {
      msg_warning("dprk-intel: database(): the feeds could not be loaded, the indicators loaded before stay in use",
                  evt_tag_int("indicators", di_snapshot_count(previous->snapshot)),
                  log_pipe_location_tag(self->owner));
      dprk_intel_snapshot_holder_swap(self->holder, previous);
      return TRUE;
    }
  msg_error("dprk-intel: database(): the feeds could not be loaded, the parser cannot start",
            log_pipe_location_tag(self->owner));
  return FALSE;
}

/* database() and warninglists(): a refreshed list reloads the feeds too */
static gchar **
_watched_paths(gchar **paths, const DiFeedOptions *options)
{
  GPtrArray *all = g_ptr_array_new();
  for (gchar **p = paths; *p; p++)
    g_ptr_array_add(all, g_strdup(*p));
  for (const gchar *const *w = options->warninglists; w && *w; w++)
    g_ptr_array_add(all, g_strdup(*w));
  g_ptr_array_add(all, NULL);
  return (gchar **) g_ptr_array_free(all, FALSE);
}

static void
_append_words(GString *out, const gchar *option, const gchar *const *words)
{
  g_string_append_printf(out, "\n%s(", option);
  for (const gchar *const *w = words; w && *w; w++)
    g_string_append_printf(out, "%s\"%s\"", w == words ? "" : " ", *w);
  g_string_append_c(out, ')');
}

/* What a set is made of: the files (database() and warninglists(), see
 * dprk_intel_feed_fingerprint) and the options that decide what the loader
 * keeps of them.  A set is kept across a reload only when this is the same:
 * editing sanctions-programs() with the files unchanged loads them again. */
static gchar *
_fingerprint(DprkIntelDatabase *self)
{
  const DiFeedOptions *o = self->feed_options;
  gchar *files = dprk_intel_feed_fingerprint((const gchar *const *) self->watched);
  GString *out = g_string_new(files);
  g_free(files);
  _append_words(out, "sanctions-programs", o->sanctions_programs);
  _append_words(out, "dprk-feeds", o->dprk_paths);
  _append_words(out, "warninglists-disable", o->warninglists_disabled);
  g_string_append_printf(out, "\nmin-prefix(%u %u) limits(", o->min_prefix_ipv4, o->min_prefix_ipv6);
  for (gint i = 0; i < DI_LIMIT_MAX; i++)
    g_string_append_printf(out, "%s%" G_GSIZE_FORMAT, i ? " " : "", o->limits[i]);
  g_string_append_c(out, ')');
  return g_string_free(out, FALSE);
}

static gboolean
_watches_feeds(DprkIntelDatabase *self)
{
  return self->reload_interval > 0;
}

static gboolean
_start_build(DprkIntelDatabase *self, gchar *fingerprint, const gchar *origin);

/* A build the previous config started on these very files, handed over so
 * that a reload during a long load does not start it again; NULL when there
 * is none or it reads other files. */
static DprkIntelFeedBuild *
_previous_build(DprkIntelDatabase *self)
{
  GlobalConfig *cfg = log_pipe_get_config(self->owner);
  DprkIntelFeedBuild *build = cfg_persist_config_fetch(cfg, self->build_persist_name);

  if (build && g_strcmp0(dprk_intel_feed_build_get_fingerprint(build), self->fingerprint) != 0)
    {
      dprk_intel_feed_build_unref(build);
      build = NULL;
    }
  return build;
}

/* A reload whose feeds changed, too big to read with the workers stopped:
 * the set loaded before stays in use while a loader thread reads them, and
 * the timer swaps the new set in when it is done (or logs why not). */
static gboolean
_load_in_background(DprkIntelDatabase *self, DprkIntelLoadedSet *previous, DprkIntelFeedBuild *build)
{
  if (build)
    {
      self->build = build;
      self->build_origin = "database()";
    }
  else if (!_start_build(self, g_strdup(self->fingerprint), "database()"))
    return FALSE;

  dprk_intel_snapshot_holder_swap(self->holder, dprk_intel_loaded_set_ref(previous));
  msg_notice("dprk-intel: database(): the feeds changed, loading them in the background, "
             "the indicators loaded before stay in use until then",
             evt_tag_int("indicators", di_snapshot_count(previous->snapshot)),
             log_pipe_location_tag(self->owner));
  return TRUE;
}

/* What init does with the set the previous config had (previous, with the
 * same database() list; NULL at first start or after the list changed):
 * keep it when the files did not change, have it stand in while a big
 * load runs in the background, else read the files now. */
static gboolean
_load_database(DprkIntelDatabase *self, const gchar *database_key)
{
  DprkIntelLoadedSet *previous = _previous_set(self, database_key);
  DprkIntelFeedBuild *build = previous ? _previous_build(self) : NULL;

  if (previous && g_strcmp0(previous->fingerprint, self->fingerprint) == 0)
    {
      msg_verbose("dprk-intel: database(): the feeds did not change, the indicators loaded before stay in use",
                  evt_tag_int("indicators", di_snapshot_count(previous->snapshot)),
                  log_pipe_location_tag(self->owner));
      dprk_intel_feed_build_unref(build);
      dprk_intel_snapshot_holder_swap(self->holder, previous);
      return TRUE;
    }
  if (previous && (build || dprk_intel_feed_size((const gchar *const *) self->paths) > DPRK_INTEL_INIT_LOAD_MAX_BYTES)
      && _load_in_background(self, previous, build))
    {
      dprk_intel_loaded_set_unref(previous);
      return TRUE;
    }
  return _load_or_keep(self, database_key, previous);
}

gboolean
dprk_intel_database_init(DprkIntelDatabase *self, const DprkIntelOptions *options, const gchar *persist_name)
{
  g_strfreev(self->paths);
  self->paths = dprk_intel_options_dup_databases(options);
  di_feed_options_free(self->feed_options);
  self->feed_options = dprk_intel_options_dup_feed_options(options);
  if (!self->feed_options->warninglists)
    msg_verbose("dprk-intel: warninglists(): none in use, no known-benign value is kept out of the feeds",
                evt_tag_str("default", DPRK_INTEL_DEFAULT_WARNINGLISTS), log_pipe_location_tag(self->owner));
  g_strfreev(self->watched);
  self->watched = _watched_paths(self->paths, self->feed_options);
  g_free(self->persist_name);
  self->persist_name = g_strdup(persist_name);
  g_free(self->build_persist_name);
  self->build_persist_name = g_strdup_printf("%s.build", persist_name);
  self->reload_interval = options->reload_interval;

  /* before loading: a change during the load is seen at the next look */
  g_free(self->fingerprint);
  self->fingerprint = _fingerprint(self);
  if (_watches_feeds(self))
    self->next_look_us = g_get_real_time() + self->reload_interval * G_USEC_PER_SEC;

  gchar *database_key = dprk_intel_loaded_set_format_key((const gchar *const *) self->paths);
  gboolean success = _load_database(self, database_key);
  g_free(database_key);
  return success;
}

void
dprk_intel_database_deinit(DprkIntelDatabase *self)
{
  GlobalConfig *cfg = log_pipe_get_config(self->owner);

  /* a loader thread still running goes to the next config, which takes it
   * over if it reads the same files; dropped by everyone, it finishes on
   * its own and frees its work */
  if (self->build)
    cfg_persist_config_add(cfg, self->build_persist_name, self->build,
                           (GDestroyNotify) dprk_intel_feed_build_unref, FALSE);
  self->build = NULL;
  dprk_intel_loaded_set_unref(self->retired);
  self->retired = NULL;

  /* hand the set to the next config; cfg->persist only exists during a
   * reload, otherwise the reference is simply dropped.  The holder keeps its
   * own reference, in case this config is started again after the new one
   * failed. */
  DprkIntelLoadedSet *set = dprk_intel_snapshot_holder_acquire(self->holder);
  if (set)
    cfg_persist_config_add(cfg, self->persist_name, set, (GDestroyNotify) dprk_intel_loaded_set_unref, FALSE);
}

/* reload-interval() */

/* The files changed while they were read: a writer was half-way, most
 * likely; not worth an error, the next look loads them again.  Otherwise
 * the feeds are broken: logged, and the current set stays. */
static void
_keep_current_set(DprkIntelDatabase *self, DiLoadReport *report)
{
  gchar *fingerprint = _fingerprint(self);
  gboolean changed = g_strcmp0(fingerprint, self->fingerprint) != 0;
  g_free(fingerprint);
  if (changed && _watches_feeds(self))
    {
      msg_verbose("dprk-intel: reload-interval(): the feeds changed while they were loaded, loading them again",
                  log_pipe_location_tag(self->owner));
      return;
    }

  _log_load_errors(self, report);
  DprkIntelLoadedSet *current = dprk_intel_snapshot_holder_acquire(self->holder);
  gchar *what = g_strdup_printf("dprk-intel: %s: the feeds changed but could not be loaded, "
                                "the indicators loaded before stay in use", self->build_origin);
  msg_warning(what,
              evt_tag_int("indicators", current ? di_snapshot_count(current->snapshot) : 0),
              log_pipe_location_tag(self->owner));
  g_free(what);
  dprk_intel_snapshot_holder_release(current);
}

static gpointer
_release_thread(gpointer set)
{
  dprk_intel_loaded_set_unref(set);
  return NULL;
}

/* Drops the set a swap replaced.  Freeing hundreds of megabytes (unmapping
 * them) takes milliseconds, and the main thread also dispatches the
 * sources' I/O: a thread of its own does it.  A worker may still hold the
 * set for the message it is on; the last one to let go frees it. */
static void
_release_retired(DprkIntelDatabase *self)
{
  DprkIntelLoadedSet *set = self->retired;
  self->retired = NULL;
  if (!set)
    return;
  GThread *thread = g_thread_try_new("dprk-intel-free", _release_thread, set, NULL);
  if (thread)
    g_thread_unref(thread);
  else
    dprk_intel_loaded_set_unref(set);
}

static void
_install_snapshot(DprkIntelDatabase *self, DiSnapshot *snapshot, DiLoadReport *report)
{
  _log_loaded_files(self, report);
  _log_load_problems(self, report->warnings, FALSE);
  gchar *database_key = dprk_intel_loaded_set_format_key((const gchar *const *) self->paths);
  DprkIntelLoadedSet *set = _new_set(snapshot, database_key, dprk_intel_feed_build_get_fingerprint(self->build),
                                     report, dprk_intel_feed_build_get_version(self->build));
  g_free(database_key);
  /* before the swap: workers must never see a set without its counters */
  dprk_intel_stats_resolve_actor_counters(self->stats, set);

  /* keep the old set until the next tick, so that no worker is likely to
   * hold it any more and it is freed there, off the workers */
  _release_retired(self);
  self->retired = dprk_intel_snapshot_holder_acquire(self->holder);
  dprk_intel_snapshot_holder_swap(self->holder, set);
  dprk_intel_stats_set_indicators(self->stats, di_snapshot_count(snapshot));
  dprk_intel_stats_set_feed_version(self->stats, &set->version);
  dprk_intel_stats_set_load_counts(self->stats, set->suppressed, set->limits_hit);

  gchar *what = g_strdup_printf("dprk-intel: %s: the feeds changed, database reloaded", self->build_origin);
  msg_notice(what,
             evt_tag_int("indicators", di_snapshot_count(snapshot)),
             evt_tag_int("files", report->files->len),
             evt_tag_int("actors", set->n_actors ? set->n_actors - 1 : 0),
             evt_tag_str("version", set->version_text),
             log_pipe_location_tag(self->owner));
  g_free(what);
}

static void
_install_build(DprkIntelDatabase *self)
{
  DiSnapshot *snapshot = dprk_intel_feed_build_take_snapshot(self->build);
  DiLoadReport *report = dprk_intel_feed_build_get_report(self->build);

  if (snapshot)
    _install_snapshot(self, snapshot, report);
  else
    _keep_current_set(self, report);

  dprk_intel_feed_build_unref(self->build);
  self->build = NULL;
}

/* Starts a loader thread on the files as they are now (fingerprint, taken
 * over: what the current set is then said to be loaded from, so that a
 * broken feed is not tried again until the files change again); FALSE
 * (logged) when no thread could be started. */
static gboolean
_start_build(DprkIntelDatabase *self, gchar *fingerprint, const gchar *origin)
{
  GError *error = NULL;

  self->build = dprk_intel_feed_build_start((const gchar *const *) self->paths, self->feed_options, fingerprint,
                                            &error);
  if (!self->build)
    {
      msg_error("dprk-intel: cannot start a thread to load the feeds",
                evt_tag_str("error", error->message),
                log_pipe_location_tag(self->owner));
      g_clear_error(&error);
      g_free(fingerprint);
      return FALSE;
    }
  self->build_origin = origin;
  g_free(self->fingerprint);
  self->fingerprint = fingerprint;
  return TRUE;
}

static void
_watch_feeds(DprkIntelDatabase *self, gint64 now)
{
  if (self->build || now < self->next_look_us)
    return;
  self->next_look_us = now + self->reload_interval * G_USEC_PER_SEC;

  gchar *fingerprint = _fingerprint(self);
  if (g_strcmp0(fingerprint, self->fingerprint) == 0)
    {
      g_free(fingerprint);
      return;
    }
  if (_start_build(self, fingerprint, "reload-interval()"))
    msg_verbose("dprk-intel: reload-interval(): the feeds changed, loading them",
                log_pipe_location_tag(self->owner));
}

void
dprk_intel_database_tick(DprkIntelDatabase *self, gint64 now)
{
  _release_retired(self);

  if (self->build && dprk_intel_feed_build_is_done(self->build))
    _install_build(self);
  if (_watches_feeds(self))
    _watch_feeds(self, now);
}

gboolean
dprk_intel_database_is_loading(DprkIntelDatabase *self)
{
  return self->build != NULL;
}

gboolean
dprk_intel_database_next_look(DprkIntelDatabase *self, gint64 *when)
{
  if (!_watches_feeds(self))
    return FALSE;
  *when = self->next_look_us;
  return TRUE;
}
