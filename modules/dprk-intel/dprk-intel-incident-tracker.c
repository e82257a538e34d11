/* dprk-intel-incident-tracker.c: one parser's incidents: recording matches,
 * summaries of closed incidents, keeping the table across reloads and
 * restarts.  See dprk-intel-incident-tracker.h.
 */
#include "dprk-intel-incident-tracker.h"
#include "dprk-intel-incidents.h"

#include "incident-state.h"

#include "cfg.h"
#include "hostname.h"
#include "messages.h"
#include "scratch-buffers.h"

/* the state file is written this often (seconds) while incidents change */
#define DPRK_INTEL_SAVE_INTERVAL 60
/* matches of one message handed to the incident table without allocating */
#define DPRK_INTEL_INCIDENT_STACK 32

struct _DprkIntelIncidentTracker
{
  LogPipe *owner;
  DprkIntelStats *stats;

  /* set at init */
  LogTemplate *key;                 /* incident-key(), or the default */
  LogTemplate *amount;              /* incident-amount(); NULL: none */
  const LogTemplateOptions *template_options;
  DprkIntelIncidentFields fields;
  gchar *hostname;                  /* of summaries */
  gchar *state_file;                /* NULL: none */
  gchar *persist_name;
  gint64 timeout;
  guint max_open;
  gchar *id_salt;                   /* incident-id-salt() */
  gint key_limit_logged;            /* atomic: the key-length limit is logged once */

  /* set between init and deinit, and kept across a reload */
  DprkIntelIncidentTable *table;
  gint64 next_save_us;
  DprkIntelStateSave *saving;       /* a periodic save running in its thread */
};

DprkIntelIncidentTracker *
dprk_intel_incident_tracker_new(LogPipe *owner, DprkIntelStats *stats)
{
  DprkIntelIncidentTracker *self = g_new0(DprkIntelIncidentTracker, 1);

  self->owner = owner;
  self->stats = stats;
  return self;
}

/* summaries */

/* Forwards the summary of a closed incident into the log path after the
 * parser, without ack (nobody waits for it).  Called with no lock held: from
 * the timer, or from record() when a match closed another incident. */
static void
_emit_closed(const DiIncidentSummary *summary, gpointer user_data)
{
  DprkIntelIncidentTracker *self = user_data;
  LogMessage *msg = dprk_intel_incident_summary_msg_new(&self->fields, summary, self->hostname);
  LogPathOptions path_options = LOG_PATH_OPTIONS_INIT_NOACK;

  msg_debug("dprk-intel: incident closed",
            evt_tag_str("id", summary->id),
            evt_tag_str("key", summary->key),
            evt_tag_long("count", (long long) summary->count),
            evt_tag_str("reason", di_incident_reason_name(summary->reason)),
            log_pipe_location_tag(self->owner));
  log_pipe_forward_msg(self->owner, msg, &path_options);
}

/* the state file */

static void
_log_save_error(DprkIntelIncidentTracker *self, GError *error)
{
  /* the table stays dirty: tried again at the next save */
  msg_error("dprk-intel: cannot save the open incidents to the state file",
            evt_tag_str("state_file", self->state_file),
            evt_tag_str("error", error->message),
            log_pipe_location_tag(self->owner));
}

static gboolean
_state_is_dirty(DprkIntelIncidentTracker *self)
{
  return self->table && self->state_file
         && g_atomic_int_get(&self->table->generation) != self->table->saved_generation;
}

/* Waits for a periodic save that is still writing. */
static void
_finish_saving(DprkIntelIncidentTracker *self)
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
_save_state(DprkIntelIncidentTracker *self)
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
_save_state_periodically(DprkIntelIncidentTracker *self, gint64 now)
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
                  log_pipe_location_tag(self->owner));
      g_clear_error(&error);
      _save_state(self);
    }
}

static void
_log_state_restored(DprkIntelIncidentTracker *self, DprkIntelIncidentTable *table)
{
  DiIncidentCounters counters;

  di_incidents_get_counters(table->incidents, &counters);
  if (counters.loaded)
    msg_info("dprk-intel: open incidents restored from the state file",
             evt_tag_str("state_file", self->state_file),
             evt_tag_long("incidents", (long long) counters.loaded),
             log_pipe_location_tag(self->owner));
  if (counters.times_clamped)
    msg_warning("dprk-intel: the state file has incidents last seen in the future, their times were set to now "
                "(limit: state file times, counted in state_times_clamped)",
                evt_tag_str("state_file", self->state_file),
                evt_tag_long("incidents", (long long) counters.times_clamped),
                log_pipe_location_tag(self->owner));
}

static void
_set_state_file_aside(DprkIntelIncidentTracker *self, GError *error)
{
  gchar *aside = NULL;
  GError *aside_error = NULL;

  if (di_incident_state_set_aside(self->state_file, &aside, &aside_error))
    msg_error("dprk-intel: the incident state file cannot be read, it was set aside and the parser starts without "
              "open incidents",
              evt_tag_str("state_file", self->state_file),
              evt_tag_str("error", error->message),
              evt_tag_str("set_aside_as", aside),
              log_pipe_location_tag(self->owner));
  else
    msg_error("dprk-intel: the incident state file cannot be read nor set aside, the parser starts without "
              "open incidents",
              evt_tag_str("state_file", self->state_file),
              evt_tag_str("error", error->message),
              evt_tag_str("set_aside_error", aside_error->message),
              log_pipe_location_tag(self->owner));
  g_free(aside);
  g_clear_error(&aside_error);
}

/* A new table, with the open incidents of the state file when there is
 * one.  A state file that cannot be read is set aside and logged; the
 * parser starts without open incidents then, never fails. */
static DprkIntelIncidentTable *
_new_table(DprkIntelIncidentTracker *self)
{
  DprkIntelIncidentTable *table = dprk_intel_incident_table_new(self->timeout, self->max_open);
  GError *error = NULL;

  if (!self->state_file)
    return table;

  if (di_incident_state_load(table->incidents, self->state_file, g_get_real_time(), &error))
    _log_state_restored(self, table);
  else
    _set_state_file_aside(self, error);
  g_clear_error(&error);
  return table;
}

/* init and deinit */

static void
_resolve_key(DprkIntelIncidentTracker *self, const DprkIntelOptions *options)
{
  if (self->key)
    return;

  if (options->incident_key)
    {
      self->key = log_template_ref(options->incident_key);
      return;
    }
  self->key = log_template_new(log_pipe_get_config(self->owner), NULL);
  log_template_compile(self->key, DPRK_INTEL_DEFAULT_INCIDENT_KEY, NULL);
}

/* state-file(): given, or dprk-intel-<child id>.state beside the persist
 * file.  Clones of a parser with an explicit state-file() add their child id
 * to it, so that no two instances write one file. */
static void
_resolve_state_file(DprkIntelIncidentTracker *self, const gchar *option, const gchar *child_id, gboolean is_clone)
{
  gchar *name = dprk_intel_incident_sanitise_name(child_id);

  g_free(self->state_file);
  self->state_file = NULL;
  if (option)
    {
      if (option[0] == '\0')
        ;
      else if (!is_clone)
        self->state_file = g_strdup(option);
      else
        self->state_file = g_strdup_printf("%s.%s", option, name);
    }
  else
    {
      gchar *dir = dprk_intel_incident_persist_dir(log_pipe_get_config(self->owner));
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

static void
_resolve_options(DprkIntelIncidentTracker *self, const DprkIntelOptions *options, const gchar *child_id,
                 const gchar *persist_name, gboolean is_clone)
{
  GlobalConfig *cfg = log_pipe_get_config(self->owner);

  _resolve_key(self, options);
  log_template_unref(self->amount);
  self->amount = log_template_ref(options->incident_amount);
  self->template_options = &cfg->template_options;
  dprk_intel_incident_fields_init(&self->fields, options->prefix, options->incident_amount != NULL);

  g_free(self->hostname);
  self->hostname = g_strdup(cfg->host_resolve_options.use_fqdn ? get_local_hostname_fqdn()
                            : get_local_hostname_short());
  _resolve_state_file(self, options->state_file, child_id, is_clone);
  g_free(self->persist_name);
  self->persist_name = g_strdup(persist_name);
  self->timeout = options->incident_timeout;
  self->max_open = (guint) options->incident_max;
  g_free(self->id_salt);
  self->id_salt = g_strdup(options->incident_id_salt ? options->incident_id_salt : "");
}

/* The table the previous config handed over (reload), else a new one. */
static DprkIntelIncidentTable *
_take_table(DprkIntelIncidentTracker *self)
{
  GlobalConfig *cfg = log_pipe_get_config(self->owner);
  DprkIntelIncidentTable *table = cfg_persist_config_fetch(cfg, self->persist_name);

  /* nothing handed over, but this tracker kept its table: a reload failed
   * and syslog-ng is starting the old config again, after the new one let go */
  if (!table && self->table)
    table = dprk_intel_incident_table_ref(self->table);
  if (!table)
    return _new_table(self);

  DiIncidents *incidents = table->incidents;
  if (di_incidents_get_timeout(incidents) != self->timeout || di_incidents_get_max_open(incidents) != self->max_open)
    di_incidents_set_limits(incidents, self->timeout, self->max_open);
  /* written again at the next save: state-file() may have changed */
  table->saved_generation = g_atomic_int_get(&table->generation) - 1;
  return table;
}

void
dprk_intel_incident_tracker_init(DprkIntelIncidentTracker *self, const DprkIntelOptions *options,
                                 const gchar *child_id, const gchar *persist_name, gboolean is_clone)
{
  _resolve_options(self, options, child_id, persist_name, is_clone);

  DprkIntelIncidentTable *table = _take_table(self);
  dprk_intel_incident_table_unref(self->table);
  self->table = table;
  /* workers are stopped: the salt may change under a kept table */
  di_incidents_set_id_salt(self->table->incidents, self->id_salt);
  dprk_intel_stats_publish_incidents(self->stats, self->table);
  self->next_save_us = g_get_real_time() + DPRK_INTEL_SAVE_INTERVAL * G_USEC_PER_SEC;
}

void
dprk_intel_incident_tracker_deinit(DprkIntelIncidentTracker *self)
{
  GlobalConfig *cfg = log_pipe_get_config(self->owner);

  if (!self->table)
    return;

  dprk_intel_stats_publish_incidents(self->stats, self->table);
  _finish_saving(self);
  /* cfg->persist exists only during a reload: hand the table over (it is
   * written at the next periodic save).  On shutdown, write the open
   * incidents for the next start; they are not closed. */
  if (cfg->persist)
    {
      /* keep our reference too: if the reload fails, we are init'ed again */
      cfg_persist_config_add(cfg, self->persist_name, dprk_intel_incident_table_ref(self->table),
                             (GDestroyNotify) dprk_intel_incident_table_unref, FALSE);
      return;
    }
  _save_state(self);
  dprk_intel_incident_table_unref(self->table);
  self->table = NULL;
}

void
dprk_intel_incident_tracker_free(DprkIntelIncidentTracker *self)
{
  _finish_saving(self);
  dprk_intel_incident_table_unref(self->table);
  log_template_unref(self->key);
  log_template_unref(self->amount);
  g_free(self->hostname);
  g_free(self->state_file);
  g_free(self->persist_name);
  g_free(self->id_salt);
  g_free(self);
}

/* per matched message */

/* The message's own time stamp: the id of an incident it opens is the same
 * on every node that sees it first (engine/incidents.h). */
static inline gint64
_stamp_of(LogMessage *msg)
{
  return msg->timestamps[LM_TS_STAMP].ut_sec;
}

static void
_write_running_count(DprkIntelIncidentTracker *self, LogMessage *msg, const DiIncidentUpdate *update)
{
  gchar count[G_ASCII_DTOSTR_BUF_SIZE];

  g_snprintf(count, sizeof(count), "%" G_GUINT64_FORMAT, update->count);
  log_msg_set_value_with_type(msg, self->fields.handles[DPRK_INTEL_INC_ID], update->id, -1, LM_VT_STRING);
  log_msg_set_value_with_type(msg, self->fields.handles[DPRK_INTEL_INC_COUNT], count, -1, LM_VT_INT64);
}

static void
_log_key_limit(DprkIntelIncidentTracker *self, gsize key_len)
{
  if (!g_atomic_int_compare_and_exchange(&self->key_limit_logged, 0, 1))
    return;
  msg_warning("dprk-intel: an incident-key() value is longer than the limit and was shortened "
              "(logged once; every one is counted in incident_keys_truncated)",
              evt_tag_int("limit", DI_INCIDENT_KEY_MAX),
              evt_tag_long("length", (long long) key_len),
              log_pipe_location_tag(self->owner));
}

/* Renders incident-key() and incident-amount() into the match, adds it to
 * the table and writes the running id and count into msg. */
static void
_join_incident(DprkIntelIncidentTracker *self, LogMessage *msg, DiIncidentMatch *match)
{
  LogTemplateEvalOptions options = { self->template_options, LTZ_LOCAL, 0, NULL, LM_VT_STRING };
  ScratchBuffersMarker marker;
  GString *key = scratch_buffers_alloc_and_mark(&marker);
  GString *amount = NULL;
  DiIncidentUpdate update;

  log_template_format(self->key, msg, &options, key);
  if (self->amount)
    {
      amount = scratch_buffers_alloc();
      log_template_format(self->amount, msg, &options, amount);
    }
  match->key = key->str;
  match->amount = amount ? amount->str : NULL;
  match->now_us = g_get_real_time();
  match->stamp = _stamp_of(msg);

  di_incidents_add_match(self->table->incidents, match, &update);
  dprk_intel_incident_table_touch(self->table);
  _write_running_count(self, msg, &update);
  if (G_UNLIKELY(update.key_truncated))
    _log_key_limit(self, key->len);

  /* this match evicted the incident idle longest, or found its key's
   * incident timed out before the timer closed it */
  if (update.closed)
    _emit_closed(update.closed, self);
  di_incident_update_clear(&update);
  scratch_buffers_reclaim_marked(marker);
}

/* The normalised values of the matches, NUL-separated in values, then
 * pointers into it (taken once the buffer no longer grows). */
static void
_collect_indicators(const DprkIntelLoadedSet *set, const DiMatchSet *matches, GString *values,
                    const gchar **indicators, gsize *offsets)
{
  for (guint i = 0; i < matches->n; i++)
    {
      offsets[i] = values->len;
      di_snapshot_entry_value(set->snapshot, matches->matches[i].entry, values);
      g_string_append_c(values, '\0');
    }
  for (guint i = 0; i < matches->n; i++)
    indicators[i] = values->str + offsets[i];
}

void
dprk_intel_incident_tracker_record(DprkIntelIncidentTracker *self, LogMessage *msg, const DprkIntelLoadedSet *set,
                                   const DiMatchSet *matches, const guint32 *actor_ids, guint n_actors)
{
  if (!self->table)
    return;

  ScratchBuffersMarker marker;
  GString *values = scratch_buffers_alloc_and_mark(&marker);
  guint n = matches->n;
  const gchar *stack_indicators[DPRK_INTEL_INCIDENT_STACK];
  gsize stack_offsets[DPRK_INTEL_INCIDENT_STACK];
  const gchar **indicators = n <= DPRK_INTEL_INCIDENT_STACK ? stack_indicators : g_new(const gchar *, n);
  gsize *offsets = n <= DPRK_INTEL_INCIDENT_STACK ? stack_offsets : g_new(gsize, n);
  const gchar *actors[DPRK_INTEL_MAX_ACTOR_TAGS];

  _collect_indicators(set, matches, values, indicators, offsets);
  for (guint i = 0; i < n_actors; i++)
    actors[i] = di_snapshot_actor_name(set->snapshot, actor_ids[i]);

  DiIncidentMatch match = { .indicators = indicators, .n_indicators = n, .actors = actors, .n_actors = n_actors };
  _join_incident(self, msg, &match);

  if (indicators != stack_indicators)
    {
      g_free(indicators);
      g_free(offsets);
    }
  scratch_buffers_reclaim_marked(marker);
}

void
dprk_intel_incident_tracker_record_relayed(DprkIntelIncidentTracker *self, LogMessage *msg,
                                           const gchar *const *indicators, guint n_indicators,
                                           const gchar *const *actors, guint n_actors, const gchar *relay)
{
  if (!self->table)
    return;

  /* the relay's own id, read before ours overwrites it */
  ScratchBuffersMarker marker;
  GString *relay_id = scratch_buffers_alloc_and_mark(&marker);
  gssize len = 0;
  const gchar *value = log_msg_get_value(msg, self->fields.handles[DPRK_INTEL_INC_ID], &len);
  g_string_truncate(relay_id, 0);
  g_string_append_len(relay_id, value, len);

  DiIncidentMatch match =
  {
    .indicators = indicators, .n_indicators = n_indicators, .actors = actors, .n_actors = n_actors,
    .relay = relay, .relay_incident_id = relay_id->len ? relay_id->str : NULL,
  };
  _join_incident(self, msg, &match);
  scratch_buffers_reclaim_marked(marker);
}

/* the timer's part */

void
dprk_intel_incident_tracker_tick(DprkIntelIncidentTracker *self, gint64 now)
{
  if (!self->table)
    return;

  if (di_incidents_expire(self->table->incidents, now, _emit_closed, self) > 0)
    dprk_intel_incident_table_touch(self->table);
  dprk_intel_stats_publish_incidents(self->stats, self->table);
  _save_state_periodically(self, now);
}

gboolean
dprk_intel_incident_tracker_next_deadline(DprkIntelIncidentTracker *self, gint64 *deadline)
{
  return self->table && di_incidents_next_deadline(self->table->incidents, deadline);
}

gboolean
dprk_intel_incident_tracker_is_saving(DprkIntelIncidentTracker *self)
{
  return self->saving != NULL;
}
