/* dprk-intel-stats.c: registering, naming and feeding the parser's stats
 * counters.  See dprk-intel-stats.h.
 */
#include "dprk-intel-stats.h"

#include "actors.h"

#include "stats/stats-registry.h"
#include "stats/stats-cluster-single.h"

#include <string.h>

#define DPRK_INTEL_STATS_MODULE "dprk-intel"
#define DPRK_INTEL_ACTOR_COUNTER_PREFIX "matched_"
#define DPRK_INTEL_FEED_VERSION_PREFIX "feed_version_"

/* the incident counters: stats name and the engine's counter */
static const struct
{
  const gchar *name;
  gsize offset;
} incident_counters[] =
{
  { "incidents_opened",    G_STRUCT_OFFSET(DiIncidentCounters, opened) },
  { "incidents_loaded",    G_STRUCT_OFFSET(DiIncidentCounters, loaded) },
  { "incidents_closed",    G_STRUCT_OFFSET(DiIncidentCounters, closed) },
  { "incidents_timed_out", G_STRUCT_OFFSET(DiIncidentCounters, timed_out) },
  { "incidents_evicted",   G_STRUCT_OFFSET(DiIncidentCounters, evicted) },
  { "incidents_open",      G_STRUCT_OFFSET(DiIncidentCounters, open_now) },
  { "amount_invalid",      G_STRUCT_OFFSET(DiIncidentCounters, amount_invalid) },
  { "incident_keys_truncated", G_STRUCT_OFFSET(DiIncidentCounters, keys_truncated) },
  { "state_times_clamped", G_STRUCT_OFFSET(DiIncidentCounters, times_clamped) },
};
G_STATIC_ASSERT(G_N_ELEMENTS(incident_counters) == DPRK_INTEL_N_INCIDENT_COUNTERS);

void
dprk_intel_stats_init(DprkIntelStats *self)
{
  memset(self, 0, sizeof(*self));
  self->actor_counters = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

void
dprk_intel_stats_destroy(DprkIntelStats *self)
{
  g_free(self->instance);
  g_free(self->feed_version_name);
  g_hash_table_destroy(self->actor_counters);
}

/* Called with stats_lock() held, as are the two below. */
static void
_register_counter(DprkIntelStats *self, const gchar *name, StatsCounterItem **counter)
{
  StatsClusterKey key;

  stats_cluster_single_key_set_with_name(&key, SCS_PARSER, DPRK_INTEL_STATS_MODULE, self->instance, name);
  stats_register_counter(0, &key, SC_TYPE_SINGLE_VALUE, counter);
}

static void
_unregister_counter(DprkIntelStats *self, const gchar *name, StatsCounterItem **counter)
{
  StatsClusterKey key;

  stats_cluster_single_key_set_with_name(&key, SCS_PARSER, DPRK_INTEL_STATS_MODULE, self->instance, name);
  stats_unregister_counter(&key, SC_TYPE_SINGLE_VALUE, counter);
}

/* With stats_lock() held.  It reads 0 from now on: syslog-ng shows an
 * unregistered counter until its next reload. */
static void
_unregister_feed_version(DprkIntelStats *self)
{
  if (!self->feed_version_name)
    return;
  stats_counter_set(self->feed_version, 0);
  _unregister_counter(self, self->feed_version_name, &self->feed_version);
  g_free(self->feed_version_name);
  self->feed_version_name = NULL;
}

static void
_unregister_actor_counters(DprkIntelStats *self)
{
  GHashTableIter iter;
  gpointer name, counter;

  g_hash_table_iter_init(&iter, self->actor_counters);
  while (g_hash_table_iter_next(&iter, &name, &counter))
    {
      StatsCounterItem *item = counter;
      _unregister_counter(self, name, &item);
      g_hash_table_iter_remove(&iter);
    }
}

/* every counter but the per-actor ones, each with its name */
static void
_foreach_fixed_counter(DprkIntelStats *self,
                       void (*func)(DprkIntelStats *self, const gchar *name, StatsCounterItem **counter))
{
  func(self, "scanned", &self->scanned);
  func(self, "matched", &self->matched);
  func(self, "other_matched", &self->other_matched);
  func(self, "sanctions_matched", &self->sanctions_matched);
  func(self, "indicators", &self->indicators);
  func(self, "suppressed", &self->suppressed);
  func(self, "feed_limits", &self->feed_limits);
  func(self, "matches_unreadable", &self->matches_unreadable);
  for (guint i = 0; i < DPRK_INTEL_N_INCIDENT_COUNTERS; i++)
    func(self, incident_counters[i].name, &self->incidents[i]);
}

void
dprk_intel_stats_register(DprkIntelStats *self, const gchar *instance)
{
  g_free(self->instance);
  self->instance = g_strdup(instance);

  stats_lock();
  _foreach_fixed_counter(self, _register_counter);
  stats_unlock();
  self->tag_counters = dprk_intel_tag_counters_new(instance);
  stats_counter_set(self->suppressed, self->suppressed_value);
  stats_counter_set(self->feed_limits, self->feed_limits_value);
}

void
dprk_intel_stats_unregister(DprkIntelStats *self)
{
  if (!self->instance)
    return;

  dprk_intel_tag_counters_free(self->tag_counters);
  self->tag_counters = NULL;
  stats_lock();
  _unregister_feed_version(self);
  _unregister_actor_counters(self);
  _foreach_fixed_counter(self, _unregister_counter);
  stats_unlock();
}

void
dprk_intel_stats_resolve_actor_counters(DprkIntelStats *self, DprkIntelLoadedSet *set)
{
  GString *name = g_string_sized_new(64);

  stats_lock();
  for (guint32 id = 1; id < set->n_actors; id++)
    {
      if (!di_snapshot_actor_is_dprk(set->snapshot, id))
        continue;
      g_string_assign(name, DPRK_INTEL_ACTOR_COUNTER_PREFIX);
      di_actor_append_slug(name, di_snapshot_actor_name(set->snapshot, id));

      StatsCounterItem *counter = g_hash_table_lookup(self->actor_counters, name->str);
      if (!counter)
        {
          _register_counter(self, name->str, &counter);
          g_hash_table_insert(self->actor_counters, g_strdup(name->str), counter);
        }
      set->actor_counters[id] = counter;
    }
  stats_unlock();
  g_string_free(name, TRUE);
}

void
dprk_intel_stats_set_indicators(DprkIntelStats *self, gsize count)
{
  stats_counter_set(self->indicators, count);
}

void
dprk_intel_stats_set_feed_version(DprkIntelStats *self, const DiFeedVersion *version)
{
  gchar hash[DI_FEED_VERSION_HASH_MAX];
  di_feed_version_format_hash(version->hash, hash);
  gchar *name = g_strconcat(DPRK_INTEL_FEED_VERSION_PREFIX, hash, NULL);

  stats_lock();
  if (g_strcmp0(name, self->feed_version_name) != 0)
    {
      _unregister_feed_version(self);
      self->feed_version_name = g_steal_pointer(&name);
      _register_counter(self, self->feed_version_name, &self->feed_version);
    }
  stats_counter_set(self->feed_version, (gsize) version->loaded_at);
  stats_unlock();
  g_free(name);
}

void
dprk_intel_stats_set_load_counts(DprkIntelStats *self, gsize suppressed, gsize limits_hit)
{
  self->suppressed_value = suppressed;
  self->feed_limits_value = limits_hit;
  stats_counter_set(self->suppressed, suppressed);
  stats_counter_set(self->feed_limits, limits_hit);
}

/* a table that comes from another instance name (the parser was renamed):
 * its counts start afresh under this name */
static void
_adopt_table(DprkIntelStats *self, DprkIntelIncidentTable *table)
{
  if (g_strcmp0(table->stats_instance, self->instance) == 0)
    return;

  memset(&table->published, 0, sizeof(table->published));
  g_free(table->stats_instance);
  table->stats_instance = g_strdup(self->instance);
}

void
dprk_intel_stats_publish_incidents(DprkIntelStats *self, DprkIntelIncidentTable *table)
{
  DiIncidentCounters now;

  _adopt_table(self, table);
  di_incidents_get_counters(table->incidents, &now);
  for (guint i = 0; i < DPRK_INTEL_N_INCIDENT_COUNTERS; i++)
    {
      guint64 value = G_STRUCT_MEMBER(guint64, &now, incident_counters[i].offset);
      guint64 published = G_STRUCT_MEMBER(guint64, &table->published, incident_counters[i].offset);

      if (value != published)
        stats_counter_add(self->incidents[i], (gssize) (value - published));
    }
  table->published = now;
}
