/* dprk-intel-loaded-set.c: a snapshot, its per-actor tag ids and its
 * version.
 *
 * Tag ids are resolved here, in the main thread while a database is loaded,
 * because log_tags_get_by_name() takes a global lock and may allocate: doing
 * it per message would serialise the worker threads.  The version
 * (engine/feed-version.h) is computed once too: every match carries it.
 */
#include "dprk-intel-loaded-set.h"
#include "actors.h"

#include <string.h>

#define DPRK_INTEL_ACTOR_TAG_PREFIX "dprk.actor."

static void
_resolve_actor_tags(DprkIntelLoadedSet *self)
{
  self->n_actors = di_snapshot_actor_count(self->snapshot);
  self->actor_tags = g_new0(LogTagId, self->n_actors + 1);
  self->actor_counters = g_new0(StatsCounterItem *, self->n_actors + 1);

  GString *name = g_string_sized_new(64);
  for (guint32 id = 1; id < self->n_actors; id++)
    {
      /* only DPRK actors are tagged: the full OFAC list has thousands of others */
      if (!di_snapshot_actor_is_dprk(self->snapshot, id))
        continue;
      g_string_assign(name, DPRK_INTEL_ACTOR_TAG_PREFIX);
      di_actor_append_slug(name, di_snapshot_actor_name(self->snapshot, id));
      self->actor_tags[id] = log_tags_get_by_name(name->str);
    }
  g_string_free(name, TRUE);
}

DprkIntelLoadedSet *
dprk_intel_loaded_set_new(DiSnapshot *snapshot, const gchar *database_key, const DiFeedVersion *version)
{
  DprkIntelLoadedSet *self = g_new0(DprkIntelLoadedSet, 1);

  g_atomic_int_set(&self->ref_cnt, 1);
  self->snapshot = snapshot;
  self->database_key = g_strdup(database_key);
  _resolve_actor_tags(self);
  if (version)
    self->version = *version;
  else
    di_feed_version_compute(&self->version, snapshot, g_get_real_time() / G_USEC_PER_SEC);
  di_feed_version_format(&self->version, self->version_text);
  return self;
}

DprkIntelLoadedSet *
dprk_intel_loaded_set_ref(DprkIntelLoadedSet *self)
{
  if (self)
    g_atomic_int_inc(&self->ref_cnt);
  return self;
}

void
dprk_intel_loaded_set_unref(DprkIntelLoadedSet *self)
{
  if (!self || !g_atomic_int_dec_and_test(&self->ref_cnt))
    return;

  di_snapshot_unref(self->snapshot);
  g_free(self->actor_tags);
  g_free(self->actor_counters);
  g_free(self->database_key);
  g_free(self->fingerprint);
  g_free(self);
}

gchar *
dprk_intel_loaded_set_format_key(const gchar *const *paths)
{
  /* NUL is the one byte a path cannot hold, so '\n' joins are unambiguous
   * enough for paths people write in a config */
  return g_strjoinv("\n", (gchar **) paths);
}
