/* dprk-intel-tag-counters.c: counters of the tags the SCL log parsers set
 * (see the header): the registered tags are walked once at init, the ones
 * named dprk.unparsed.* or dprk.no_amount.* each get a counter, and a
 * message costs one bit test per counted tag.
 */
#include "dprk-intel-tag-counters.h"

#include "logmsg/tags.h"
#include "stats/stats-registry.h"
#include "stats/stats-cluster-single.h"

#include <string.h>

/* the tag prefixes counted, and the counter name prefix of each */
static const struct
{
  const gchar *tag_prefix;
  const gchar *counter_prefix;
} counted[] =
{
  { "dprk.unparsed.",  "unparsed_" },
  { "dprk.no_amount.", "no_amount_" },
};

struct _DprkIntelTagCounters
{
  gchar *stats_instance;
  GArray *tags;            /* LogTagId */
  GPtrArray *names;        /* gchar*: the counter names */
  StatsCounterItem **counters;
};

static void
_stats_key(StatsClusterKey *key, const DprkIntelTagCounters *self, const gchar *name)
{
  stats_cluster_single_key_set_with_name(key, SCS_PARSER, "dprk-intel", self->stats_instance, name);
}

/* the counter name of a tag, NULL when the tag is not counted */
static gchar *
_counter_name(const gchar *tag)
{
  for (guint i = 0; i < G_N_ELEMENTS(counted); i++)
    {
      gsize len = strlen(counted[i].tag_prefix);
      if (strncmp(tag, counted[i].tag_prefix, len) == 0 && tag[len])
        return g_strconcat(counted[i].counter_prefix, tag + len, NULL);
    }
  return NULL;
}

DprkIntelTagCounters *
dprk_intel_tag_counters_new(const gchar *stats_instance)
{
  DprkIntelTagCounters *self = g_new0(DprkIntelTagCounters, 1);

  self->stats_instance = g_strdup(stats_instance);
  self->tags = g_array_new(FALSE, FALSE, sizeof(LogTagId));
  self->names = g_ptr_array_new_with_free_func(g_free);
  for (guint id = 0; id < LOG_TAGS_MAX; id++)
    {
      const gchar *tag = log_tags_get_by_id(id);
      if (!tag)
        break;
      gchar *name = _counter_name(tag);
      if (!name)
        continue;
      LogTagId tag_id = id;
      g_array_append_val(self->tags, tag_id);
      g_ptr_array_add(self->names, name);
    }

  self->counters = g_new0(StatsCounterItem *, self->tags->len);
  stats_lock();
  for (guint i = 0; i < self->tags->len; i++)
    {
      StatsClusterKey key;
      _stats_key(&key, self, g_ptr_array_index(self->names, i));
      stats_register_counter(0, &key, SC_TYPE_SINGLE_VALUE, &self->counters[i]);
    }
  stats_unlock();
  return self;
}

void
dprk_intel_tag_counters_free(DprkIntelTagCounters *self)
{
  if (!self)
    return;

  stats_lock();
  for (guint i = 0; i < self->tags->len; i++)
    {
      StatsClusterKey key;
      _stats_key(&key, self, g_ptr_array_index(self->names, i));
      stats_unregister_counter(&key, SC_TYPE_SINGLE_VALUE, &self->counters[i]);
    }
  stats_unlock();
  g_free(self->counters);
  g_ptr_array_free(self->names, TRUE);
  g_array_free(self->tags, TRUE);
  g_free(self->stats_instance);
  g_free(self);
}

void
dprk_intel_tag_counters_count(const DprkIntelTagCounters *self, LogMessage *msg)
{
  for (guint i = 0; i < self->tags->len; i++)
    if (G_UNLIKELY(log_msg_is_tag_by_id(msg, g_array_index(self->tags, LogTagId, i))))
      stats_counter_inc(self->counters[i]);
}
