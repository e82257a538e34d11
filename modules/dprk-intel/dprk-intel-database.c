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

/* A broken million-row feed must not flood the log: the first errors say
 * what is wrong, `dprk-intel check` lists them all. */
#define DPRK_INTEL_MAX_LOGGED_ERRORS 50

struct _DprkIntelDatabase
{
  LogPipe *owner;
  DprkIntelSnapshotHolder *holder;
  DprkIntelStats *stats;

  /* set at init */
  gchar **paths;                    /* database(), or the default; NULL-terminated */
  gchar *persist_name;
  gint64 reload_interval;           /* seconds; 0: the files are not watched */

  /* reload-interval() */
  gchar *fingerprint;               /* of the files the current set was loaded from */
  gint64 next_look_us;
  DprkIntelFeedBuild *build;        /* a loader thread running or done */
  DprkIntelLoadedSet *retired;      /* replaced by the last swap; released at the next tick */
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
  g_free(self->persist_name);
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
_log_loaded_files(DiLoadReport *report)
{
  for (guint i = 0; i < report->files->len; i++)
    {
      DiFeedFileReport *file = g_ptr_array_index(report->files, i);
      msg_verbose("dprk-intel: feed loaded",
                  evt_tag_str("file", file->filename),
                  evt_tag_str("format", file->format ? : "unknown"),
                  evt_tag_int("indicators", file->loaded),
                  evt_tag_int("expired", file->expired),
                  evt_tag_int("ignored", file->ignored));
    }
}

/* loading at init */

/* Reads every database() path; NULL (errors logged) when any feed is broken. */
static DprkIntelLoadedSet *
_load(DprkIntelDatabase *self, const gchar *database_key)
{
  DiLoadReport report;
  DprkIntelLoadedSet *set = NULL;

  di_load_report_init(&report);
  DiSnapshot *snapshot = di_feed_load((const gchar *const *) self->paths, g_get_real_time() / G_USEC_PER_SEC, &report);
  if (!snapshot)
    {
      _log_load_errors(self, &report);
      if (report.errors->len == 0)
        msg_error("dprk-intel: database(): loading the feeds failed", log_pipe_location_tag(self->owner));
      goto exit;
    }

  _log_loaded_files(&report);
  _log_load_problems(self, report.warnings, FALSE);
  set = dprk_intel_loaded_set_new(snapshot, database_key);
  msg_info("dprk-intel: database loaded",
           evt_tag_int("indicators", di_snapshot_count(snapshot)),
           evt_tag_int("files", report.files->len),
           evt_tag_int("actors", set->n_actors ? set->n_actors - 1 : 0),
           evt_tag_str("version", set->version_text),
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
_load_or_keep(DprkIntelDatabase *self)
{
  gchar *database_key = dprk_intel_loaded_set_format_key((const gchar *const *) self->paths);
  DprkIntelLoadedSet *previous = _previous_set(self, database_key);
  gboolean success = TRUE;

  DprkIntelLoadedSet *set = _load(self, database_key);
  if (set)
    {
      dprk_intel_snapshot_holder_swap(self->holder, set);
      dprk_intel_loaded_set_unref(previous);
    }
  else if (previous)
    {
      msg_warning("dprk-intel: database(): the feeds could not be loaded, the indicators loaded before stay in use",
                  evt_tag_int("indicators", di_snapshot_count(previous->snapshot)),
                  log_pipe_location_tag(self->owner));
      dprk_intel_snapshot_holder_swap(self->holder, previous);
    }
  else
    {
      msg_error("dprk-intel: database(): the feeds could not be loaded, the parser cannot start",
                log_pipe_location_tag(self->owner));
      success = FALSE;
    }

  g_free(database_key);
  return success;
}

static gboolean
_watches_feeds(DprkIntelDatabase *self)
{
  return self->reload_interval > 0;
}

gboolean
dprk_intel_database_init(DprkIntelDatabase *self, const DprkIntelOptions *options, const gchar *persist_name)
{
  g_strfreev(self->paths);
  self->paths = dprk_intel_options_dup_databases(options);
  g_free(self->persist_name);
  self->persist_name = g_strdup(persist_name);
  self->reload_interval = options->reload_interval;

  /* before loading: a change during the load is seen at the next look */
  if (_watches_feeds(self))
    {
      g_free(self->fingerprint);
      self->fingerprint = dprk_intel_feed_fingerprint((const gchar *const *) self->paths);
      self->next_look_us = g_get_real_time() + self->reload_interval * G_USEC_PER_SEC;
    }
  return _load_or_keep(self);
}

void
dprk_intel_database_deinit(DprkIntelDatabase *self)
{
  /* a loader thread still running finishes on its own and frees its work */
  dprk_intel_feed_build_unref(self->build);
  self->build = NULL;
  dprk_intel_loaded_set_unref(self->retired);
  self->retired = NULL;

  /* hand the set to the next config; cfg->persist only exists during a
   * reload, otherwise the reference is simply dropped.  The holder keeps its
   * own reference, in case this config is started again after the new one
   * failed. */
  DprkIntelLoadedSet *set = dprk_intel_snapshot_holder_acquire(self->holder);
  if (set)
    cfg_persist_config_add(log_pipe_get_config(self->owner), self->persist_name, set,
                           (GDestroyNotify) dprk_intel_loaded_set_unref, FALSE);
}

/* reload-interval() */

/* The files changed while they were read: a writer was half-way, most
 * likely; not worth an error, the next look loads them again.  Otherwise
 * the feeds are broken: logged, and the current set stays. */
static void
_keep_current_set(DprkIntelDatabase *self, DiLoadReport *report)
{
  gchar *fingerprint = dprk_intel_feed_fingerprint((const gchar *const *) self->paths);
  gboolean changed = g_strcmp0(fingerprint, self->fingerprint) != 0;
  g_free(fingerprint);
  if (changed)
    {
      msg_verbose("dprk-intel: reload-interval(): the feeds changed while they were loaded, loading them again",
                  log_pipe_location_tag(self->owner));
      return;
    }

  _log_load_errors(self, report);
  DprkIntelLoadedSet *current = dprk_intel_snapshot_holder_acquire(self->holder);
  msg_warning("dprk-intel: reload-interval(): the feeds changed but could not be loaded, "
              "the indicators loaded before stay in use",
              evt_tag_int("indicators", current ? di_snapshot_count(current->snapshot) : 0),
              log_pipe_location_tag(self->owner));
  dprk_intel_snapshot_holder_release(current);
}

static void
_install_snapshot(DprkIntelDatabase *self, DiSnapshot *snapshot, DiLoadReport *report)
{
  _log_loaded_files(report);
  _log_load_problems(self, report->warnings, FALSE);
  gchar *database_key = dprk_intel_loaded_set_format_key((const gchar *const *) self->paths);
  DprkIntelLoadedSet *set = dprk_intel_loaded_set_new(snapshot, database_key);
  g_free(database_key);
  /* before the swap: workers must never see a set without its counters */
  dprk_intel_stats_resolve_actor_counters(self->stats, set);

  /* keep the old set until the next tick, so that its memory is most
   * likely freed here, in the main thread, and not by the worker that
   * happens to release it last */
  dprk_intel_loaded_set_unref(self->retired);
  self->retired = dprk_intel_snapshot_holder_acquire(self->holder);
  dprk_intel_snapshot_holder_swap(self->holder, set);
  dprk_intel_stats_set_indicators(self->stats, di_snapshot_count(snapshot));
  dprk_intel_stats_set_feed_version(self->stats, &set->version);

  msg_notice("dprk-intel: reload-interval(): the feeds changed, database reloaded",
             evt_tag_int("indicators", di_snapshot_count(snapshot)),
             evt_tag_int("files", report->files->len),
             evt_tag_int("actors", set->n_actors ? set->n_actors - 1 : 0),
             evt_tag_str("version", set->version_text),
             log_pipe_location_tag(self->owner));
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

static void
_start_build(DprkIntelDatabase *self, gchar *fingerprint)
{
  GError *error = NULL;

  self->build = dprk_intel_feed_build_start((const gchar *const *) self->paths, &error);
  if (!self->build)
    {
      msg_error("dprk-intel: reload-interval(): cannot start a thread to load the feeds",
                evt_tag_str("error", error->message),
                log_pipe_location_tag(self->owner));
      g_clear_error(&error);
      g_free(fingerprint);
      return;
    }
  msg_verbose("dprk-intel: reload-interval(): the feeds changed, loading them",
              log_pipe_location_tag(self->owner));
  /* what this load reads; a broken feed is not tried again until the files
   * change again */
  g_free(self->fingerprint);
  self->fingerprint = fingerprint;
}

static void
_watch_feeds(DprkIntelDatabase *self, gint64 now)
{
  if (self->build)
    {
      if (!dprk_intel_feed_build_is_done(self->build))
        return;
      _install_build(self);
    }

  if (now < self->next_look_us)
    return;
  self->next_look_us = now + self->reload_interval * G_USEC_PER_SEC;

  gchar *fingerprint = dprk_intel_feed_fingerprint((const gchar *const *) self->paths);
  if (g_strcmp0(fingerprint, self->fingerprint) == 0)
    {
      g_free(fingerprint);
      return;
    }
  _start_build(self, fingerprint);
}

void
dprk_intel_database_tick(DprkIntelDatabase *self, gint64 now)
{
  dprk_intel_loaded_set_unref(self->retired);
  self->retired = NULL;

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
