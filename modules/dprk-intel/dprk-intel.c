/* dprk-intel.c: the dprk-intel() parser: options, lifecycle, process().
 *
 * What the syslog-ng glue does and nothing more: it resolves name-value
 * handles and tags once at init, loads the database through the engine
 * (parsers/feed-loader.h), keeps the result across reloads in the persist
 * config, and per message hands the texts of fields() to the matcher and
 * writes the engine's report back as tags and name-value pairs.  Matched
 * messages are grouped into suspected incidents (engine/incidents.h); closed
 * incidents come out as summary messages.
 *
 * Threads: init/deinit/clone/free and the timer run in the main thread;
 * init/deinit with the workers stopped.  process() runs in many workers at
 * once and only reads the parser (the current set comes through the holder,
 * see dprk-intel-snapshot-holder.h; the incident table has its own lock).
 *
 * The timer (one iv_timer per parser instance, main thread only) does all
 * the time-driven work: it closes timed-out incidents and forwards their
 * summaries, publishes the incident counters, has the state file written
 * (by a thread) every DPRK_INTEL_SAVE_INTERVAL seconds when something
 * changed, and, with
 * reload-interval(), watches the feed files and installs a set that a loader
 * thread built.  It runs at least every second, earlier when the next
 * incident deadline is earlier, and every 100 ms while a loader or saver
 * thread runs.
 * Workers never touch it: a match can only set a deadline at least
 * incident-timeout() (>= 1 s) ahead, and the timer is never more than a
 * second away.
 */
#include "dprk-intel.h"
#include "dprk-intel-private.h"

#include "match-report.h"
#include "matcher.h"

#include "cfg.h"
#include "cfg-tree.h"
#include "messages.h"
#include "scratch-buffers.h"
#include "logmsg/logmsg.h"
#include "logmsg/tags.h"
#include "timeutils/cache.h"

#include <iv.h>

#include <string.h>

#define DPRK_INTEL_MATCH_TAG "dprk.match"

#define DPRK_INTEL_TICK_US G_USEC_PER_SEC
/* while a loader or saver thread runs */
#define DPRK_INTEL_THREAD_POLL_US (100 * 1000)
#define DPRK_INTEL_MIN_TICK_US 1000


/* init helpers */

static gboolean
_resolve_handles(DprkIntelParser *self)
{
  g_strfreev(self->field_names);
  self->field_names = dprk_intel_options_dup_fields(&self->options);
  self->n_fields = g_strv_length(self->field_names);
  if (self->n_fields > DPRK_INTEL_MAX_FIELDS)
    {
      msg_error("dprk-intel: fields(): too many fields",
                evt_tag_int("given", self->n_fields),
                evt_tag_int("max", DPRK_INTEL_MAX_FIELDS),
                log_pipe_location_tag(&self->super.super));
      return FALSE;
    }

  g_free(self->field_handles);
  self->field_handles = g_new0(NVHandle, self->n_fields);
  for (guint i = 0; i < self->n_fields; i++)
    self->field_handles[i] = log_msg_get_value_handle(self->field_names[i]);

  GString *name = g_string_sized_new(64);
  for (gint i = 0; i < DI_OUT_MAX; i++)
    {
      g_string_assign(name, self->options.prefix);
      g_string_append(name, di_out_field_name(i));
      self->out_handles[i] = log_msg_get_value_handle(name->str);
    }
  g_string_free(name, TRUE);

  self->match_tag = log_tags_get_by_name(DPRK_INTEL_MATCH_TAG);

  return TRUE;
}

/* Stable across reloads of the same config, distinct for every instance
 * (clones and several dprk-intel() in one rule included): the rule name plus
 * the instance's sequence number in that rule.  Computed once, so that a
 * re-init of the old config after a failed reload finds its entry again. */
static void
_setup_persist_name(DprkIntelParser *self)
{
  if (self->persist_name)
    return;

  GlobalConfig *cfg = log_pipe_get_config(&self->super.super);
  self->child_id = cfg_tree_get_child_id(&cfg->tree, ENC_PARSER, self->super.super.expr_node);
  self->persist_name = g_strdup_printf("dprk-intel(%s)", self->child_id);
  self->incidents_persist_name = g_strdup_printf("dprk-intel(%s).incidents", self->child_id);
}

static const gchar *
_generate_persist_name(const LogPipe *s)
{
  const DprkIntelParser *self = (const DprkIntelParser *) s;

  return self->persist_name;
}

/* the timer */

static void
_arm_timer(DprkIntelParser *self, gint64 now)
{
  gint64 delay = DPRK_INTEL_TICK_US;
  gint64 deadline;

  if (dprk_intel_incident_tracker_next_deadline(self->incidents, &deadline))
    delay = MIN(delay, deadline - now);
  if (dprk_intel_incident_tracker_is_saving(self->incidents)
      || (self->database && dprk_intel_database_is_loading(self->database)))
    delay = MIN(delay, DPRK_INTEL_THREAD_POLL_US);
  if (self->database && dprk_intel_database_next_look(self->database, &deadline))
    delay = MIN(delay, deadline - now);
  delay = MAX(delay, DPRK_INTEL_MIN_TICK_US);

  iv_validate_now();
  self->tick.expires = iv_now;
  self->tick.expires.tv_sec += delay / G_USEC_PER_SEC;
  self->tick.expires.tv_nsec += (delay % G_USEC_PER_SEC) * 1000;
  if (self->tick.expires.tv_nsec >= 1000000000)
    {
      self->tick.expires.tv_sec++;
      self->tick.expires.tv_nsec -= 1000000000;
    }
  iv_timer_register(&self->tick);
}

static void
_on_tick(void *cookie)
{
  DprkIntelParser *self = cookie;
  gint64 now = g_get_real_time();

  dprk_intel_incident_tracker_tick(self->incidents, now);

  if (self->database)
    dprk_intel_database_tick(self->database, now);

  _arm_timer(self, g_get_real_time());
}

/* lifecycle */

static gboolean
_init(LogPipe *s)
{
  DprkIntelParser *self = (DprkIntelParser *) s;

  if (!log_parser_init_method(s))
    return FALSE;

  if (self->super.template)
    msg_warning("dprk-intel: template() is not used; the parser scans the name-value pairs of fields()",
                log_pipe_location_tag(s));

  if (!_resolve_handles(self))
    return FALSE;
  _setup_persist_name(self);

  if (self->database && !dprk_intel_database_init(self->database, &self->options, self->persist_name))
    return FALSE;

  /* nothing below fails: the incident table taken from the persist config
   * is never lost to a failed init */
  dprk_intel_stats_register(&self->stats, self->super.name ? : "dprk-intel");

  DprkIntelLoadedSet *set = dprk_intel_snapshot_holder_acquire(self->holder);
  if (set && self->database)
    dprk_intel_stats_resolve_actor_counters(&self->stats, set);
  dprk_intel_stats_set_indicators(&self->stats, set ? di_snapshot_count(set->snapshot) : 0);
  dprk_intel_snapshot_holder_release(set);

  dprk_intel_incident_tracker_init(self->incidents, &self->options, self->child_id, self->incidents_persist_name,
                                   self->database == NULL);

  IV_TIMER_INIT(&self->tick);
  self->tick.cookie = self;
  self->tick.handler = _on_tick;
  _arm_timer(self, g_get_real_time());
  return TRUE;
}

static gboolean
_deinit(LogPipe *s)
{
  DprkIntelParser *self = (DprkIntelParser *) s;

  if (iv_timer_registered(&self->tick))
    iv_timer_unregister(&self->tick);

  if (self->database)
    dprk_intel_database_deinit(self->database);
  dprk_intel_incident_tracker_deinit(self->incidents);
  dprk_intel_stats_unregister(&self->stats);

  return log_parser_deinit_method(s);
}

static void
_free(LogPipe *s)
{
  DprkIntelParser *self = (DprkIntelParser *) s;

  dprk_intel_incident_tracker_free(self->incidents);
  dprk_intel_database_free(self->database);
  dprk_intel_snapshot_holder_unref(self->holder);
  dprk_intel_options_destroy(&self->options);
  g_strfreev(self->field_names);
  g_free(self->field_handles);
  g_free(self->child_id);
  g_free(self->persist_name);
  g_free(self->incidents_persist_name);
  dprk_intel_stats_destroy(&self->stats);

  log_parser_free_method(s);
}

/* per message */

static void
_write_report(DprkIntelParser *self, LogMessage *msg, const DprkIntelLoadedSet *set, const DiReport *report,
              const guint32 *actor_ids, guint n_actors)
{
  log_msg_set_tag_by_id(msg, self->match_tag);
  for (guint i = 0; i < n_actors; i++)
    log_msg_set_tag_by_id(msg, dprk_intel_loaded_set_actor_tag(set, actor_ids[i]));

  for (gint i = 0; i < DI_OUT_MAX; i++)
    {
      LogMessageValueType type = LM_VT_STRING;

      if (i == DI_OUT_MATCHES)
        type = LM_VT_JSON;
      else if (i == DI_OUT_CONFIDENCE || i == DI_OUT_MATCH_COUNT)
        type = LM_VT_INT32;
      log_msg_set_value_with_type(msg, self->out_handles[i], report->values[i]->str, report->values[i]->len, type);
    }
}

/* `input` (MESSAGE or template()) is not used: the texts come from fields(). */
static gboolean
_process(LogParser *s, LogMessage **pmsg, const LogPathOptions *path_options, const gchar *input, gsize input_len)
{
  DprkIntelParser *self = (DprkIntelParser *) s;
  DprkIntelLoadedSet *set = dprk_intel_snapshot_holder_acquire(self->holder);

  if (G_UNLIKELY(!set))
    return TRUE;

  stats_counter_inc(self->stats.scanned);

  /* pointers into the message: valid until it is written to, which happens
   * only after the report has copied what it needs.  Macros (SOURCEIP,
   * SDATA, ...) share one per-thread buffer that the next macro overwrites,
   * so their values are copied into scratch buffers first. */
  const gchar *texts[DPRK_INTEL_MAX_FIELDS];
  DiMatchSet matches;
  gint64 now = cached_g_current_time_sec();
  ScratchBuffersMarker marker;
  gboolean marked = FALSE;

  di_match_set_init(&matches);
  for (guint i = 0; i < self->n_fields; i++)
    {
      gssize len = 0;

      texts[i] = log_msg_get_value(*pmsg, self->field_handles[i], &len);
      if (G_UNLIKELY(log_msg_is_handle_macro(self->field_handles[i])))
        {
          GString *copy = marked ? scratch_buffers_alloc() : scratch_buffers_alloc_and_mark(&marker);
          marked = TRUE;
          g_string_truncate(copy, 0);
          g_string_append_len(copy, texts[i], len);
          texts[i] = copy->str;
        }
      if (len > 0)
        di_match_text(set->snapshot, texts[i], len, i, now, &matches);
    }

  if (G_LIKELY(matches.n == 0))
    goto exit;

  DiReport report;
  guint32 actor_ids[DPRK_INTEL_MAX_ACTOR_TAGS];

  di_report_init(&report);
  di_report_build(&report, set->snapshot, &matches, (const gchar *const *) self->field_names, texts);
  guint n_actors = di_report_actor_ids(set->snapshot, &matches, actor_ids, G_N_ELEMENTS(actor_ids));

  LogMessage *msg = log_msg_make_writable(pmsg, path_options);
  _write_report(self, msg, set, &report, actor_ids, n_actors);
  di_report_clear(&report);
  stats_counter_inc(self->stats.matched);
  for (guint i = 0; i < n_actors; i++)
    stats_counter_inc(dprk_intel_loaded_set_actor_counter(set, actor_ids[i]));

  /* after the report: incident-key() may use the values just written */
  dprk_intel_incident_tracker_record(self->incidents, msg, set, &matches, actor_ids, n_actors);

exit:
  if (marked)
    scratch_buffers_reclaim_marked(marker);
  di_match_set_clear(&matches);
  dprk_intel_snapshot_holder_release(set);
  return TRUE;
}

static LogPipe *_clone(LogPipe *s);

/* Takes over the reference to holder. */
static DprkIntelParser *
_new_instance(GlobalConfig *cfg, DprkIntelSnapshotHolder *holder)
{
  DprkIntelParser *self = g_new0(DprkIntelParser, 1);

  log_parser_init_instance(&self->super, cfg);
  self->super.super.init = _init;
  self->super.super.deinit = _deinit;
  self->super.super.clone = _clone;
  self->super.super.free_fn = _free;
  self->super.super.generate_persist_name = _generate_persist_name;
  self->super.process = _process;

  dprk_intel_options_init(&self->options);
  self->holder = holder;
  dprk_intel_stats_init(&self->stats);
  self->incidents = dprk_intel_incident_tracker_new(&self->super.super, &self->stats);
  IV_TIMER_INIT(&self->tick);
  return self;
}

static LogPipe *
_clone(LogPipe *s)
{
  DprkIntelParser *self = (DprkIntelParser *) s;
  /* the original is always initialised before its clones (it is the first
   * reference in the tree), so sharing its holder means one load */
  DprkIntelParser *cloned = _new_instance(s->cfg, dprk_intel_snapshot_holder_ref(self->holder));

  dprk_intel_options_copy(&cloned->options, &self->options);
  log_parser_set_template(&cloned->super, log_template_ref(self->super.template));
  return &cloned->super.super;
}

/* The original: it loads the database; its clones share the holder. */
LogParser *
dprk_intel_parser_new(GlobalConfig *cfg)
{
  DprkIntelParser *self = _new_instance(cfg, dprk_intel_snapshot_holder_new());

  self->database = dprk_intel_database_new(&self->super.super, self->holder, &self->stats);
  return &self->super;
}
