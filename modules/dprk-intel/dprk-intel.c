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

#include "incident-state.h"
#include "match-report.h"
#include "matcher.h"

#include "cfg.h"
#include "cfg-tree.h"
#include "hostname.h"
#include "messages.h"
#include "scratch-buffers.h"
#include "logmsg/logmsg.h"
#include "logmsg/tags.h"
#include "timeutils/cache.h"

#include <iv.h>

#include <string.h>

#define DPRK_INTEL_MATCH_TAG "dprk.match"
/* a message naming more distinct actors than this tags only the first ones */
#define DPRK_INTEL_MAX_ACTOR_TAGS 64
/* matches of one message handed to the incident table without allocating */
#define DPRK_INTEL_INCIDENT_STACK 32

#define DPRK_INTEL_TICK_US G_USEC_PER_SEC
/* while a loader or saver thread runs */
#define DPRK_INTEL_THREAD_POLL_US (100 * 1000)
#define DPRK_INTEL_MIN_TICK_US 1000
/* the state file is written this often (seconds) while incidents change */
#define DPRK_INTEL_SAVE_INTERVAL 60


/* init helpers */

static gboolean
_resolve_handles(DprkIntelParser *self)
{
  GlobalConfig *cfg = log_pipe_get_config(&self->super.super);

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

  /* incidents */
  if (!self->effective_incident_key)
    {
      if (self->options.incident_key)
        self->effective_incident_key = log_template_ref(self->options.incident_key);
      else
        {
          self->effective_incident_key = log_template_new(cfg, NULL);
          log_template_compile(self->effective_incident_key, DPRK_INTEL_DEFAULT_INCIDENT_KEY, NULL);
        }
    }
  self->template_options = &cfg->template_options;
  dprk_intel_incident_fields_init(&self->incident_fields, self->options.prefix, self->options.incident_amount != NULL);

  g_free(self->hostname);
  self->hostname = g_strdup(cfg->host_resolve_options.use_fqdn ? get_local_hostname_fqdn()
                            : get_local_hostname_short());
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

/* state-file(): given, or dprk-intel-<child id>.state beside the persist
 * file.  Clones of a parser with an explicit state-file() add their child id
 * to it, so that no two instances write one file. */
static void
_resolve_state_file(DprkIntelParser *self)
{
  gchar *name = dprk_intel_incident_sanitise_name(self->child_id);

  g_free(self->state_file);
  self->state_file = NULL;
  if (self->options.state_file)
    {
      if (self->options.state_file[0] == '\0')
        ;
      else if (self->database)
        self->state_file = g_strdup(self->options.state_file);
      else
        self->state_file = g_strdup_printf("%s.%s", self->options.state_file, name);
    }
  else
    {
      gchar *dir = dprk_intel_incident_persist_dir(log_pipe_get_config(&self->super.super));
      if (dir)
        {
          gchar *file = g_strdup_printf("dprk-intel-%s.state", name);
          self->state_file = g_build_filename(dir, file, NULL);
          g_free(file);
        }
      g_free(dir);
    }
  g_free(name);
}

/* incidents */

/* Forwards the summary of a closed incident into the log path after this
 * parser, without ack (nobody waits for it).  Called with no lock held: from
 * the timer, or from process() when a match closed another incident. */
static void
_emit_closed(const DiIncidentSummary *summary, gpointer user_data)
{
  DprkIntelParser *self = user_data;
  LogMessage *msg = dprk_intel_incident_summary_msg_new(&self->incident_fields, summary, self->hostname);
  LogPathOptions path_options = LOG_PATH_OPTIONS_INIT_NOACK;

  msg_debug("dprk-intel: incident closed",
            evt_tag_str("id", summary->id),
            evt_tag_str("key", summary->key),
            evt_tag_long("count", (long long) summary->count),
            evt_tag_str("reason", di_incident_reason_name(summary->reason)),
            log_pipe_location_tag(&self->super.super));
  log_pipe_forward_msg(&self->super.super, msg, &path_options);
}

static void
_log_save_error(DprkIntelParser *self, GError *error)
{
  /* the table stays dirty: tried again at the next save */
  msg_error("dprk-intel: cannot save the open incidents to the state file",
            evt_tag_str("state_file", self->state_file),
            evt_tag_str("error", error->message),
            log_pipe_location_tag(&self->super.super));
}

static gboolean
_state_is_dirty(DprkIntelParser *self)
{
  return self->table && self->state_file
         && g_atomic_int_get(&self->table->generation) != self->table->saved_generation;
}

/* Waits for a periodic save that is still writing. */
static void
_finish_saving(DprkIntelParser *self)
{
  GError *error = NULL;

  if (!self->saving)
    return;
  if (!dprk_intel_state_save_finish(self->saving, &error))
    {
      _log_save_error(self, error);
      g_clear_error(&error);
    }
  self->saving = NULL;
}

/* Writes the state file now, in this thread (shutdown). */
static void
_save_state(DprkIntelParser *self)
{
  GError *error = NULL;

  _finish_saving(self);
  if (!_state_is_dirty(self))
    return;

  gint generation = g_atomic_int_get(&self->table->generation);
  if (!di_incident_state_save(self->table->incidents, self->state_file, &error))
    {
      _log_save_error(self, error);
      g_clear_error(&error);
      return;
    }
  self->table->saved_generation = generation;
}

/* The timer's part: the periodic save, in a thread of its own so that a
 * big table never holds up the main loop. */
static void
_save_state_periodically(DprkIntelParser *self, gint64 now)
{
  GError *error = NULL;

  if (self->saving && dprk_intel_state_save_is_done(self->saving))
    _finish_saving(self);
  if (self->saving || now < self->next_save_us)
    return;

  self->next_save_us = now + DPRK_INTEL_SAVE_INTERVAL * G_USEC_PER_SEC;
  if (!_state_is_dirty(self))
    return;
  self->saving = dprk_intel_state_save_start(self->table, self->state_file, &error);
  if (!self->saving)
    {
      msg_warning("dprk-intel: cannot start a thread to save the open incidents, saving them in the main thread",
                  evt_tag_str("error", error->message),
                  log_pipe_location_tag(&self->super.super));
      g_clear_error(&error);
      _save_state(self);
    }
}

/* A new table, with the open incidents of the state file when there is
 * one.  A state file that cannot be read is set aside and logged; the
 * parser starts without open incidents then, never fails. */
static DprkIntelIncidentTable *
_new_incident_table(DprkIntelParser *self)
{
  DprkIntelIncidentTable *table = dprk_intel_incident_table_new(self->options.incident_timeout, (guint) self->options.incident_max);
  GError *error = NULL;

  if (!self->state_file)
    return table;

  if (di_incident_state_load(table->incidents, self->state_file, g_get_real_time(), &error))
    {
      DiIncidentCounters counters;

      di_incidents_get_counters(table->incidents, &counters);
      if (counters.loaded)
        msg_info("dprk-intel: open incidents restored from the state file",
                 evt_tag_str("state_file", self->state_file),
                 evt_tag_long("incidents", (long long) counters.loaded),
                 log_pipe_location_tag(&self->super.super));
      return table;
    }

  gchar *aside = NULL;
  GError *aside_error = NULL;
  if (di_incident_state_set_aside(self->state_file, &aside, &aside_error))
    msg_error("dprk-intel: the incident state file cannot be read, it was set aside and the parser starts without "
              "open incidents",
              evt_tag_str("state_file", self->state_file),
              evt_tag_str("error", error->message),
              evt_tag_str("set_aside_as", aside),
              log_pipe_location_tag(&self->super.super));
  else
    msg_error("dprk-intel: the incident state file cannot be read nor set aside, the parser starts without "
              "open incidents",
              evt_tag_str("state_file", self->state_file),
              evt_tag_str("error", error->message),
              evt_tag_str("set_aside_error", aside_error->message),
              log_pipe_location_tag(&self->super.super));
  g_free(aside);
  g_clear_error(&aside_error);
  g_clear_error(&error);
  return table;
}

/* The table the previous config handed over (reload), else a new one. */
static void
_init_incidents(DprkIntelParser *self)
{
  GlobalConfig *cfg = log_pipe_get_config(&self->super.super);
  DprkIntelIncidentTable *table = cfg_persist_config_fetch(cfg, self->incidents_persist_name);

  /* nothing handed over, but this parser kept its table: a reload failed and
   * syslog-ng is starting the old config again, after the new one let go */
  if (!table && self->table)
    table = dprk_intel_incident_table_ref(self->table);

  if (table)
    {
      DiIncidents *incidents = table->incidents;

      if (di_incidents_get_timeout(incidents) != self->options.incident_timeout
          || di_incidents_get_max_open(incidents) != (guint) self->options.incident_max)
        di_incidents_set_limits(incidents, self->options.incident_timeout, (guint) self->options.incident_max);
      /* written again at the next save: state-file() may have changed */
      table->saved_generation = g_atomic_int_get(&table->generation) - 1;
    }
  else
    table = _new_incident_table(self);

  dprk_intel_incident_table_unref(self->table);
  self->table = table;
  dprk_intel_stats_publish_incidents(&self->stats, self->table);
  self->next_save_us = g_get_real_time() + DPRK_INTEL_SAVE_INTERVAL * G_USEC_PER_SEC;
}

static void
_deinit_incidents(DprkIntelParser *self)
{
  GlobalConfig *cfg = log_pipe_get_config(&self->super.super);

  if (!self->table)
    return;

  dprk_intel_stats_publish_incidents(&self->stats, self->table);
  _finish_saving(self);
  /* cfg->persist exists only during a reload: hand the table over (it is
   * written at the next periodic save).  On shutdown, write the open
   * incidents for the next start; they are not closed. */
  if (cfg->persist)
    {
      /* keep our reference too: if the reload fails, we are init'ed again */
      cfg_persist_config_add(cfg, self->incidents_persist_name, dprk_intel_incident_table_ref(self->table),
                             (GDestroyNotify) dprk_intel_incident_table_unref, FALSE);
      return;
    }
  _save_state(self);
  dprk_intel_incident_table_unref(self->table);
  self->table = NULL;
}

/* Per matched message: joins (or opens) the incident of its key and writes
 * the running id and count.  A worker thread; the table locks itself. */
static void
_record_incident(DprkIntelParser *self, LogMessage *msg, const DprkIntelLoadedSet *set, const DiMatchSet *matches,
                 const guint32 *actor_ids, guint n_actors)
{
  LogTemplateEvalOptions options = { self->template_options, LTZ_LOCAL, 0, NULL, LM_VT_STRING };
  ScratchBuffersMarker marker;
  GString *key = scratch_buffers_alloc_and_mark(&marker);
  GString *values = scratch_buffers_alloc();
  GString *amount = NULL;

  log_template_format(self->effective_incident_key, msg, &options, key);
  if (self->options.incident_amount)
    {
      amount = scratch_buffers_alloc();
      log_template_format(self->options.incident_amount, msg, &options, amount);
    }

  /* the normalised values, NUL-separated in one buffer, then pointers into
   * it (taken once the buffer no longer grows) */
  guint n = matches->n;
  const gchar *stack_indicators[DPRK_INTEL_INCIDENT_STACK];
  gsize stack_offsets[DPRK_INTEL_INCIDENT_STACK];
  const gchar **indicators = n <= DPRK_INTEL_INCIDENT_STACK ? stack_indicators : g_new(const gchar *, n);
  gsize *offsets = n <= DPRK_INTEL_INCIDENT_STACK ? stack_offsets : g_new(gsize, n);

  for (guint i = 0; i < n; i++)
    {
      offsets[i] = values->len;
      di_snapshot_entry_value(set->snapshot, matches->matches[i].entry, values);
      g_string_append_c(values, '\0');
    }
  for (guint i = 0; i < n; i++)
    indicators[i] = values->str + offsets[i];

  const gchar *actors[DPRK_INTEL_MAX_ACTOR_TAGS];
  for (guint i = 0; i < n_actors; i++)
    actors[i] = di_snapshot_actor_name(set->snapshot, actor_ids[i]);

  DiIncidentUpdate update;
  di_incidents_add(self->table->incidents, key->str, g_get_real_time(), indicators, n, actors, n_actors,
                   amount ? amount->str : NULL, &update);
  dprk_intel_incident_table_touch(self->table);

  gchar count[G_ASCII_DTOSTR_BUF_SIZE];
  g_snprintf(count, sizeof(count), "%" G_GUINT64_FORMAT, update.count);
  log_msg_set_value_with_type(msg, self->incident_fields.handles[DPRK_INTEL_INC_ID], update.id, -1, LM_VT_STRING);
  log_msg_set_value_with_type(msg, self->incident_fields.handles[DPRK_INTEL_INC_COUNT], count, -1, LM_VT_INT64);

  /* this match evicted the incident idle longest, or found its key's
   * incident timed out before the timer closed it */
  if (update.closed)
    _emit_closed(update.closed, self);
  di_incident_update_clear(&update);

  if (indicators != stack_indicators)
    {
      g_free(indicators);
      g_free(offsets);
    }
  scratch_buffers_reclaim_marked(marker);
}

/* the timer */

static void
_arm_timer(DprkIntelParser *self, gint64 now)
{
  gint64 delay = DPRK_INTEL_TICK_US;
  gint64 deadline;

  if (self->table && di_incidents_next_deadline(self->table->incidents, &deadline))
    delay = MIN(delay, deadline - now);
  if (self->saving || (self->database && dprk_intel_database_is_loading(self->database)))
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

  if (self->table)
    {
      if (di_incidents_expire(self->table->incidents, now, _emit_closed, self) > 0)
        dprk_intel_incident_table_touch(self->table);
      dprk_intel_stats_publish_incidents(&self->stats, self->table);
      _save_state_periodically(self, now);
    }

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
  _resolve_state_file(self);

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

  _init_incidents(self);

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
  _deinit_incidents(self);
  dprk_intel_stats_unregister(&self->stats);

  return log_parser_deinit_method(s);
}

static void
_free(LogPipe *s)
{
  DprkIntelParser *self = (DprkIntelParser *) s;

  _finish_saving(self);
  dprk_intel_database_free(self->database);
  dprk_intel_incident_table_unref(self->table);
  dprk_intel_snapshot_holder_unref(self->holder);
  dprk_intel_options_destroy(&self->options);
  log_template_unref(self->effective_incident_key);
  g_free(self->state_file);
  g_free(self->hostname);
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
  if (self->table)
    _record_incident(self, msg, set, &matches, actor_ids, n_actors);

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
