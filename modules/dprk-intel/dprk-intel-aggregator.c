/* dprk-intel-aggregator.c: mode(aggregate), a central node's per-message
 * path.  See dprk-intel-aggregator.h.
 */
#include "dprk-intel-aggregator.h"
#include "dprk-intel-processor.h"

#include "match-report.h"

#include "messages.h"
#include "scratch-buffers.h"
#include "logmsg/tags.h"

#include <json-c/json.h>
#include <string.h>

#define DPRK_INTEL_UNKNOWN_RELAY "unknown"

struct _DprkIntelAggregator
{
  LogPipe *owner;                  /* the parser, named in the warning */
  DprkIntelStats *stats;
  DprkIntelIncidentTracker *incidents;
  gint unreadable_logged;          /* the warning below is logged once */

  /* resolved at init */
  NVHandle matches;                /* prefix + "matches" */
  NVHandle indicator;              /* prefix + "indicator": when matches is unreadable */
  NVHandle actors;                 /* prefix + "actors": idem */
  NVHandle relay;                  /* prefix + "relay" */
  LogTagId match_tag;
  LogTagId other_match_tag;
  LogTagId sanctions_match_tag;
};

/* What one message carries: pointers into its parsed JSON or into copies. */
typedef struct
{
  const gchar *indicators[DPRK_INTEL_AGGREGATE_MAX_MATCHES];
  guint n_indicators;
  const gchar *actors[DPRK_INTEL_AGGREGATE_MAX_MATCHES];
  guint n_actors;
  json_object *root;
} DprkIntelRelayedMatches;

DprkIntelAggregator *
dprk_intel_aggregator_new(LogPipe *owner, DprkIntelStats *stats, DprkIntelIncidentTracker *incidents)
{
  DprkIntelAggregator *self = g_new0(DprkIntelAggregator, 1);

  self->owner = owner;
  self->stats = stats;
  self->incidents = incidents;
  return self;
}

void
dprk_intel_aggregator_free(DprkIntelAggregator *self)
{
  g_free(self);
}

static NVHandle
_handle(const gchar *prefix, const gchar *name)
{
  gchar *full = g_strconcat(prefix, name, NULL);
  NVHandle handle = log_msg_get_value_handle(full);
  g_free(full);
  return handle;
}

void
dprk_intel_aggregator_init(DprkIntelAggregator *self, const DprkIntelOptions *options)
{
  self->matches = _handle(options->prefix, "matches");
  self->indicator = _handle(options->prefix, "indicator");
  self->actors = _handle(options->prefix, "actors");
  self->relay = _handle(options->prefix, "relay");
  self->match_tag = log_tags_get_by_name(DPRK_INTEL_MATCH_TAG);
  self->other_match_tag = log_tags_get_by_name(DI_TAG_OTHER_MATCH);
  self->sanctions_match_tag = log_tags_get_by_name(DI_TAG_SANCTIONS_MATCH);
}

/* per message */

static const gchar *
_string_of(json_object *obj, const gchar *key)
{
  json_object *v;

  if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
    return NULL;
  const gchar *s = json_object_get_string(v);
  return *s ? s : NULL;
}

static const gchar *
_member_string(json_object *obj, const gchar *outer, const gchar *inner)
{
  json_object *o;

  if (!json_object_object_get_ex(obj, outer, &o))
    return NULL;
  return _string_of(o, inner);
}

/* A DPRK-linked match: its nexus as match-report.c marks it.  The other
 * matches a message also carries (.dprk.other.*) never join an incident,
 * as on a scanning node.  An entry with no nexus comes from an edge older
 * than the nexus, whose every match was tagged dprk.match. */
static gboolean
_is_dprk_match(json_object *entry)
{
  const gchar *nexus = _member_string(entry, "dprk_intel", "nexus");
  return !nexus || strcmp(nexus, "dprk") == 0;
}

static void
_add_actor(DprkIntelRelayedMatches *out, const gchar *actor)
{
  if (actor && out->n_actors < DPRK_INTEL_AGGREGATE_MAX_MATCHES)
    out->actors[out->n_actors++] = actor;
}

/* The actors a scanning node records for one match: the primary
 * attribution's, then those of its other DPRK-linked attributions (the
 * incident's set drops repeats). */
static void
_add_actors(json_object *entry, DprkIntelRelayedMatches *out)
{
  json_object *ours, *list;

  if (!json_object_object_get_ex(entry, "dprk_intel", &ours))
    return;
  _add_actor(out, _string_of(ours, "actor"));
  if (!json_object_object_get_ex(ours, "attributions", &list) || !json_object_is_type(list, json_type_array))
    return;
  gsize n = json_object_array_length(list);
  for (gsize i = 1; i < n; i++)
    {
      json_object *attribution = json_object_array_get_idx(list, i);
      const gchar *nexus = _string_of(attribution, "nexus");
      if (nexus && strcmp(nexus, "dprk") == 0)
        _add_actor(out, _string_of(attribution, "actor"));
    }
}

/* The relay's .dprk.matches: the indicator.name and actors of every
 * DPRK-linked entry (match-report.c writes them).  FALSE when it is not a
 * JSON array with such an entry. */
static gboolean
_parse_matches(const gchar *text, gssize len, DprkIntelRelayedMatches *out)
{
  if (len <= 0 || len > DPRK_INTEL_AGGREGATE_MAX_JSON)
    return FALSE;

  json_tokener *tok = json_tokener_new_ex(DPRK_INTEL_AGGREGATE_JSON_DEPTH);
  out->root = json_tokener_parse_ex(tok, text, (gint) len);
  gboolean ok = out->root && json_tokener_get_error(tok) == json_tokener_success
                && json_object_is_type(out->root, json_type_array);
  json_tokener_free(tok);
  if (!ok)
    return FALSE;

  gsize n = json_object_array_length(out->root);
  for (gsize i = 0; i < n && out->n_indicators < DPRK_INTEL_AGGREGATE_MAX_MATCHES; i++)
    {
      json_object *entry = json_object_array_get_idx(out->root, i);
      if (!_is_dprk_match(entry))
        continue;
      const gchar *name = _member_string(entry, "indicator", "name");
      if (name)
        out->indicators[out->n_indicators++] = name;
      _add_actors(entry, out);
    }
  return out->n_indicators > 0;
}

/* A copy of a value of msg in a scratch buffer: writing to msg may move it. */
static const gchar *
_copy_value(LogMessage *msg, NVHandle handle)
{
  gssize len = 0;
  const gchar *value = log_msg_get_value(msg, handle, &len);
  GString *copy = scratch_buffers_alloc();

  g_string_truncate(copy, 0);
  g_string_append_len(copy, value, len);
  return copy->str;
}

/* Without a readable .dprk.matches: the first indicator and the actor list,
 * which a relay writes too. */
static void
_fallback(LogMessage *msg, const DprkIntelAggregator *self, DprkIntelRelayedMatches *out)
{
  const gchar *indicator = _copy_value(msg, self->indicator);
  if (*indicator)
    out->indicators[out->n_indicators++] = indicator;

  gchar *actors = (gchar *) _copy_value(msg, self->actors);
  out->n_actors = 0;
  for (gchar *p = actors; *p && out->n_actors < DPRK_INTEL_AGGREGATE_MAX_MATCHES;)
    {
      gchar *comma = strchr(p, ',');
      if (comma)
        *comma = '\0';
      if (*p)
        out->actors[out->n_actors++] = p;
      if (!comma)
        break;
      p = comma + 1;
    }
}

/* A relay that sends what no dprk-intel() writes is misconfigured or
 * hostile: said once, with where it came from, and counted every time. */
static void
_log_unreadable(DprkIntelAggregator *self, gssize len, const gchar *relay)
{
  stats_counter_inc(self->stats->matches_unreadable);
  if (!g_atomic_int_compare_and_exchange(&self->unreadable_logged, 0, 1))
    return;
  msg_warning("dprk-intel: a relayed match without a readable matches field (absent, not a JSON array "
              "of matches with indicator.name, nested too deep or too long), its indicator and actors "
              "fields were used instead (logged once, every one is counted in matches_unreadable)",
              evt_tag_str("field", log_msg_get_value_name(self->matches, NULL)),
              evt_tag_long("length", (long long) len),
              evt_tag_int("max_length", DPRK_INTEL_AGGREGATE_MAX_JSON),
              evt_tag_int("max_depth", DPRK_INTEL_AGGREGATE_JSON_DEPTH),
              evt_tag_str("relay", relay),
              log_pipe_location_tag(self->owner));
}

/* .dprk.relay as the forwarding block set it, else the host it came from. */
static const gchar *
_relay_of(LogMessage *msg, const DprkIntelAggregator *self)
{
  const gchar *relay = _copy_value(msg, self->relay);
  if (!*relay)
    relay = _copy_value(msg, LM_V_HOST_FROM);
  return *relay ? relay : DPRK_INTEL_UNKNOWN_RELAY;
}

gboolean
dprk_intel_aggregator_process(DprkIntelAggregator *self, LogMessage **pmsg, const LogPathOptions *path_options)
{
  stats_counter_inc(self->stats->scanned);
  /* the edge's other matches are counted as a scanning node counts them,
   * and go on untouched: they are no DPRK incident */
  if (G_UNLIKELY(log_msg_is_tag_by_id(*pmsg, self->other_match_tag)))
    stats_counter_inc(self->stats->other_matched);
  if (G_UNLIKELY(log_msg_is_tag_by_id(*pmsg, self->sanctions_match_tag)))
    stats_counter_inc(self->stats->sanctions_matched);
  if (G_LIKELY(!log_msg_is_tag_by_id(*pmsg, self->match_tag)))
    return TRUE;

  LogMessage *msg = log_msg_make_writable(pmsg, path_options);
  ScratchBuffersMarker marker;
  DprkIntelRelayedMatches relayed = { .n_indicators = 0 };
  gssize len = 0;

  scratch_buffers_mark(&marker);
  const gchar *text = log_msg_get_value(msg, self->matches, &len);
  gboolean readable = _parse_matches(text, len, &relayed);
  if (!readable)
    {
      relayed.n_indicators = relayed.n_actors = 0;
      _fallback(msg, self, &relayed);
    }
  const gchar *relay = _relay_of(msg, self);
  if (G_UNLIKELY(!readable))
    _log_unreadable(self, len, relay);

  stats_counter_inc(self->stats->matched);
  dprk_intel_incident_tracker_record_relayed(self->incidents, msg, relayed.indicators, relayed.n_indicators,
                                             relayed.actors, relayed.n_actors, relay);
  json_object_put(relayed.root);
  scratch_buffers_reclaim_marked(marker);
  return TRUE;
}
