/* dprk-intel-processor.c: the per-message path: the handles resolved at init
 * and process() with everything it calls that is ours.  See
 * dprk-intel-processor.h.
 */
#include "dprk-intel-processor.h"

#include "match-report.h"
#include "matcher.h"

#include "messages.h"
#include "scratch-buffers.h"
#include "logmsg/tags.h"
#include "timeutils/cache.h"

/* the incident tracker takes the report's actors */
G_STATIC_ASSERT(DI_REPORT_MAX_ACTORS <= DPRK_INTEL_MAX_ACTOR_TAGS);

struct _DprkIntelProcessor
{
  DprkIntelSnapshotHolder *holder;
  DprkIntelStats *stats;
  DprkIntelIncidentTracker *incidents;

  /* resolved at init */
  gchar **field_names;             /* NULL-terminated; MESSAGE when fields() is not given */
  guint n_fields;
  NVHandle *field_handles;
  NVHandle out_handles[DI_OUT_MAX];    /* prefix() + the report's field names */
  NVHandle feed_version;               /* prefix() + "feed_version": the set's version */
  LogTagId match_tag;                  /* dprk.match */
  LogTagId other_match_tag;            /* dprk-intel.other_match */
  LogTagId sanctions_match_tag;        /* sanctions.match */
};

DprkIntelProcessor *
dprk_intel_processor_new(DprkIntelSnapshotHolder *holder, DprkIntelStats *stats, DprkIntelIncidentTracker *incidents)
{
  DprkIntelProcessor *self = g_new0(DprkIntelProcessor, 1);

  self->holder = holder;
  self->stats = stats;
  self->incidents = incidents;
  return self;
}

void
dprk_intel_processor_free(DprkIntelProcessor *self)
{
  g_strfreev(self->field_names);
  g_free(self->field_handles);
  g_free(self);
}

/* init */

static gboolean
_resolve_fields(DprkIntelProcessor *self, const DprkIntelOptions *options, LogPipe *owner)
{
  g_strfreev(self->field_names);
  self->field_names = dprk_intel_options_dup_fields(options);
  self->n_fields = g_strv_length(self->field_names);
  if (self->n_fields > DPRK_INTEL_MAX_FIELDS)
    {
      msg_error("dprk-intel: fields(): too many fields",
                evt_tag_int("given", self->n_fields),
                evt_tag_int("max", DPRK_INTEL_MAX_FIELDS),
                log_pipe_location_tag(owner));
      return FALSE;
    }

  g_free(self->field_handles);
  self->field_handles = g_new0(NVHandle, self->n_fields);
  for (guint i = 0; i < self->n_fields; i++)
    self->field_handles[i] = log_msg_get_value_handle(self->field_names[i]);
  return TRUE;
}

static void
_resolve_outputs(DprkIntelProcessor *self, const DprkIntelOptions *options)
{
  GString *name = g_string_sized_new(64);

  for (gint i = 0; i < DI_OUT_MAX; i++)
    {
      g_string_assign(name, options->prefix);
      g_string_append(name, di_out_field_name(i));
      self->out_handles[i] = log_msg_get_value_handle(name->str);
    }
  g_string_assign(name, options->prefix);
  g_string_append(name, "feed_version");
  self->feed_version = log_msg_get_value_handle(name->str);
  g_string_free(name, TRUE);
  self->match_tag = log_tags_get_by_name(DPRK_INTEL_MATCH_TAG);
  self->other_match_tag = log_tags_get_by_name(DI_TAG_OTHER_MATCH);
  self->sanctions_match_tag = log_tags_get_by_name(DI_TAG_SANCTIONS_MATCH);
}

gboolean
dprk_intel_processor_init(DprkIntelProcessor *self, const DprkIntelOptions *options, LogPipe *owner)
{
  if (!_resolve_fields(self, options, owner))
    return FALSE;
  _resolve_outputs(self, options);
  return TRUE;
}

/* per message */

/* Hands the text of every field to the matcher.  texts[] point into the
 * message: valid until it is written to, which happens only after the
 * report has copied what it needs.  Macros (SOURCEIP, SDATA, ...) share one
 * per-thread buffer that the next macro overwrites, so their values are
 * copied into scratch buffers first; returns whether marker was set. */
static inline gboolean
_scan_fields(const DprkIntelProcessor *self, LogMessage *msg, const DprkIntelLoadedSet *set, const gchar **texts,
             DiMatchSet *matches, ScratchBuffersMarker *marker)
{
  gint64 now = cached_g_current_time_sec();
  gboolean marked = FALSE;

  for (guint i = 0; i < self->n_fields; i++)
    {
      gssize len = 0;

      texts[i] = log_msg_get_value(msg, self->field_handles[i], &len);
      if (G_UNLIKELY(log_msg_is_handle_macro(self->field_handles[i])))
        {
          GString *copy = marked ? scratch_buffers_alloc() : scratch_buffers_alloc_and_mark(marker);
          marked = TRUE;
          g_string_truncate(copy, 0);
          g_string_append_len(copy, texts[i], len);
          texts[i] = copy->str;
        }
      if (len > 0)
        di_match_text(set->snapshot, texts[i], len, i, now, matches);
    }
  return marked;
}

static void
_write_tags(const DprkIntelProcessor *self, LogMessage *msg, const DprkIntelLoadedSet *set, const DiReport *report)
{
  if (report->n_dprk)
    {
      log_msg_set_tag_by_id(msg, self->match_tag);
      for (guint i = 0; i < report->n_actors; i++)
        log_msg_set_tag_by_id(msg, dprk_intel_loaded_set_actor_tag(set, report->actor_ids[i]));
    }
  if (report->n_other)
    log_msg_set_tag_by_id(msg, self->other_match_tag);
  if (report->sanctions)
    log_msg_set_tag_by_id(msg, self->sanctions_match_tag);
}

static const LogMessageValueType value_types[] =
{
  [DI_OUT_STRING] = LM_VT_STRING,
  [DI_OUT_INT] = LM_VT_INT32,
  [DI_OUT_JSON] = LM_VT_JSON,
};

/* Only the fields of the report's sections: a message that matched only
 * other data gets no .dprk.indicator, one that matched only DPRK-linked
 * indicators no .dprk.other.* */
static void
_write_report(const DprkIntelProcessor *self, LogMessage *msg, const DprkIntelLoadedSet *set, const DiReport *report)
{
  _write_tags(self, msg, set, report);
  for (gint i = 0; i < DI_OUT_MAX; i++)
    if (di_report_has(report, i))
      log_msg_set_value_with_type(msg, self->out_handles[i], report->values[i]->str, report->values[i]->len,
                                  value_types[di_out_field_type(i)]);
  /* which loaded set matched: relays with different feeds can be told apart */
  log_msg_set_value(msg, self->feed_version, set->version_text, -1);
}

static void
_count_matches(const DprkIntelProcessor *self, const DprkIntelLoadedSet *set, const DiReport *report)
{
  if (report->n_dprk)
    {
      stats_counter_inc(self->stats->matched);
      for (guint i = 0; i < report->n_actors; i++)
        stats_counter_inc(dprk_intel_loaded_set_actor_counter(set, report->actor_ids[i]));
    }
  if (report->n_other)
    stats_counter_inc(self->stats->other_matched);
  if (report->sanctions)
    stats_counter_inc(self->stats->sanctions_matched);
}

/* Incidents are suspected DPRK incidents: only DPRK-linked matches join one. */
static void
_record_incident(const DprkIntelProcessor *self, LogMessage *msg, const DprkIntelLoadedSet *set,
                 const DiMatchSet *matches, const DiReport *report)
{
  if (!report->n_dprk)
    return;

  DiMatchSet dprk;
  di_match_set_init(&dprk);
  di_report_select_dprk(set->snapshot, matches, &dprk);
  dprk_intel_incident_tracker_record(self->incidents, msg, set, &dprk, report->actor_ids, report->n_actors);
  di_match_set_clear(&dprk);
}

/* A matched message: the report, the counters and its incident. */
static void
_report_matches(const DprkIntelProcessor *self, LogMessage **pmsg, const LogPathOptions *path_options,
                const DprkIntelLoadedSet *set, const DiMatchSet *matches, const gchar *const *texts)
{
  DiReport report;

  di_report_init(&report);
  di_report_build(&report, set->snapshot, matches, (const gchar *const *) self->field_names, texts);

  LogMessage *msg = log_msg_make_writable(pmsg, path_options);
  _write_report(self, msg, set, &report);
  _count_matches(self, set, &report);

  /* after the report: incident-key() may use the values just written */
  _record_incident(self, msg, set, matches, &report);
  di_report_clear(&report);
}

gboolean
dprk_intel_processor_process(const DprkIntelProcessor *self, LogMessage **pmsg, const LogPathOptions *path_options)
{
  DprkIntelLoadedSet *set = dprk_intel_snapshot_holder_acquire(self->holder);

  dprk_intel_tag_counters_count(self->stats->tag_counters, *pmsg);
  if (G_UNLIKELY(!set))
    return TRUE;

  stats_counter_inc(self->stats->scanned);

  const gchar *texts[DPRK_INTEL_MAX_FIELDS];
  DiMatchSet matches;
  ScratchBuffersMarker marker;

  di_match_set_init(&matches);
  gboolean marked = _scan_fields(self, *pmsg, set, texts, &matches, &marker);
  if (G_UNLIKELY(matches.n > 0))
    _report_matches(self, pmsg, path_options, set, &matches, texts);

  if (marked)
    scratch_buffers_reclaim_marked(marker);
  di_match_set_clear(&matches);
  dprk_intel_snapshot_holder_release(set);
  return TRUE;
}
