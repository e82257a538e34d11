/* dprk-intel-incidents.c: the incident table as the parser keeps it, and
 * summary messages.  See dprk-intel-incidents.h.
 */
#include "dprk-intel-incidents.h"
#include "incident-state.h"

#include "persist-state.h"
#include "resolved-configurable-paths.h"

#include <string.h>

#define DPRK_INTEL_SUMMARY_PROGRAM "dprk-intel"

DprkIntelIncidentTable *
dprk_intel_incident_table_new(gint64 timeout_sec, guint max_open)
{
  DprkIntelIncidentTable *self = g_new0(DprkIntelIncidentTable, 1);

  g_atomic_int_set(&self->ref_cnt, 1);
  self->incidents = di_incidents_new(timeout_sec, max_open);
  return self;
}

DprkIntelIncidentTable *
dprk_intel_incident_table_ref(DprkIntelIncidentTable *self)
{
  if (self)
    g_atomic_int_inc(&self->ref_cnt);
  return self;
}

void
dprk_intel_incident_table_unref(DprkIntelIncidentTable *self)
{
  if (!self || !g_atomic_int_dec_and_test(&self->ref_cnt))
    return;

  di_incidents_free(self->incidents);
  g_free(self->stats_instance);
  g_free(self);
}

/* saving in a thread */

struct _DprkIntelStateSave
{
  DprkIntelIncidentTable *table;
  gchar *path;
  gint generation;
  GThread *thread;
  gint done;               /* atomic; set by the thread after the result */
  gboolean success;
  GError *error;
};

static gpointer
_save_thread(gpointer user_data)
{
  DprkIntelStateSave *self = user_data;

  self->success = di_incident_state_save(self->table->incidents, self->path, &self->error);
  g_atomic_int_set(&self->done, 1);
  return NULL;
}

static void
_state_save_free(DprkIntelStateSave *self)
{
  dprk_intel_incident_table_unref(self->table);
  g_free(self->path);
  g_clear_error(&self->error);
  g_free(self);
}

DprkIntelStateSave *
dprk_intel_state_save_start(DprkIntelIncidentTable *table, const gchar *path, GError **error)
{
  DprkIntelStateSave *self = g_new0(DprkIntelStateSave, 1);

  self->table = dprk_intel_incident_table_ref(table);
  self->path = g_strdup(path);
  /* read before the save: changes made while it writes keep the table dirty */
  self->generation = g_atomic_int_get(&table->generation);
  self->thread = g_thread_try_new("dprk-intel-save", _save_thread, self, error);
  if (!self->thread)
    {
      _state_save_free(self);
      return NULL;
    }
  return self;
}

gboolean
dprk_intel_state_save_is_done(DprkIntelStateSave *self)
{
  return g_atomic_int_get(&self->done) != 0;
}

gboolean
dprk_intel_state_save_finish(DprkIntelStateSave *self, GError **error)
{
  gboolean success;

  g_thread_join(self->thread);
  success = self->success;
  if (success)
    self->table->saved_generation = self->generation;
  else
    g_propagate_error(error, g_steal_pointer(&self->error));
  _state_save_free(self);
  return success;
}

/* fields */

static const gchar *const field_names[DPRK_INTEL_INC_MAX] =
{
  [DPRK_INTEL_INC_ID] = "incident.id",
  [DPRK_INTEL_INC_COUNT] = "incident.count",
  [DPRK_INTEL_INC_KEY] = "incident.key",
  [DPRK_INTEL_INC_INDICATORS] = "incident.indicators",
  [DPRK_INTEL_INC_INDICATORS_COUNT] = "incident.indicators_count",
  [DPRK_INTEL_INC_ACTORS] = "incident.actors",
  [DPRK_INTEL_INC_FIRST_SEEN] = "incident.first_seen",
  [DPRK_INTEL_INC_LAST_SEEN] = "incident.last_seen",
  [DPRK_INTEL_INC_AMOUNT] = "incident.amount",
  [DPRK_INTEL_INC_REASON] = "incident.reason",
  [DPRK_INTEL_INC_RELAYS] = "incident.relays",
  [DPRK_INTEL_INC_RELAY_IDS] = "incident.relay_ids",
};

void
dprk_intel_incident_fields_init(DprkIntelIncidentFields *self, const gchar *prefix, gboolean with_amount)
{
  GString *name = g_string_sized_new(64);

  for (gint i = 0; i < DPRK_INTEL_INC_MAX; i++)
    {
      g_string_assign(name, prefix);
      g_string_append(name, field_names[i]);
      self->handles[i] = log_msg_get_value_handle(name->str);
    }
  g_string_free(name, TRUE);
  self->tag = log_tags_get_by_name(DPRK_INTEL_INCIDENT_TAG);
  self->with_amount = with_amount;
}

static void
_set(LogMessage *msg, const DprkIntelIncidentFields *fields, DprkIntelIncidentField field, const GString *value,
     LogMessageValueType type)
{
  log_msg_set_value_with_type(msg, fields->handles[field], value->str, value->len, type);
}

LogMessage *
dprk_intel_incident_summary_msg_new(const DprkIntelIncidentFields *fields, const DiIncidentSummary *s,
                                    const gchar *hostname)
{
  LogMessage *msg = log_msg_new_local();
  GString *buf = g_string_sized_new(256);

  log_msg_set_value(msg, LM_V_HOST, hostname, -1);
  log_msg_set_value(msg, LM_V_PROGRAM, DPRK_INTEL_SUMMARY_PROGRAM, -1);
  di_incident_summary_message(s, buf);
  log_msg_set_value(msg, LM_V_MESSAGE, buf->str, buf->len);
  log_msg_set_tag_by_id(msg, fields->tag);

  g_string_assign(buf, s->id);
  _set(msg, fields, DPRK_INTEL_INC_ID, buf, LM_VT_STRING);
  g_string_assign(buf, s->key);
  _set(msg, fields, DPRK_INTEL_INC_KEY, buf, LM_VT_STRING);
  g_string_printf(buf, "%" G_GUINT64_FORMAT, s->count);
  _set(msg, fields, DPRK_INTEL_INC_COUNT, buf, LM_VT_INT64);

  g_string_truncate(buf, 0);
  di_incident_set_join(&s->indicators, ",", buf);
  _set(msg, fields, DPRK_INTEL_INC_INDICATORS, buf, LM_VT_STRING);
  g_string_printf(buf, "%u", s->indicators.n_distinct);
  _set(msg, fields, DPRK_INTEL_INC_INDICATORS_COUNT, buf, LM_VT_INT64);

  g_string_truncate(buf, 0);
  di_incident_set_join(&s->actors, ",", buf);
  _set(msg, fields, DPRK_INTEL_INC_ACTORS, buf, LM_VT_STRING);

  g_string_truncate(buf, 0);
  di_incident_format_time(s->first_seen, buf);
  _set(msg, fields, DPRK_INTEL_INC_FIRST_SEEN, buf, LM_VT_STRING);
  g_string_truncate(buf, 0);
  di_incident_format_time(s->last_seen, buf);
  _set(msg, fields, DPRK_INTEL_INC_LAST_SEEN, buf, LM_VT_STRING);

  if (fields->with_amount)
    {
      /* an empty sum is 0: no valid amount was seen */
      g_string_truncate(buf, 0);
      di_incident_format_amount(s->has_amount ? s->amount : 0, buf);
      _set(msg, fields, DPRK_INTEL_INC_AMOUNT, buf, LM_VT_DOUBLE);
    }

  g_string_assign(buf, di_incident_reason_name(s->reason));
  _set(msg, fields, DPRK_INTEL_INC_REASON, buf, LM_VT_STRING);

  if (s->relays.n || s->relays.more)
    {
      g_string_truncate(buf, 0);
      di_incident_relays_format(&s->relays, buf);
      _set(msg, fields, DPRK_INTEL_INC_RELAYS, buf, LM_VT_STRING);
      g_string_truncate(buf, 0);
      di_incident_set_join(&s->relay_ids, ",", buf);
      _set(msg, fields, DPRK_INTEL_INC_RELAY_IDS, buf, LM_VT_STRING);
    }

  g_string_free(buf, TRUE);
  return msg;
}

/* paths */

gchar *
dprk_intel_incident_persist_dir(GlobalConfig *cfg)
{
  const gchar *persist_file = NULL;

  if (cfg && cfg->state)
    persist_file = persist_state_get_filename(cfg->state);
  if (!persist_file)
    persist_file = resolvedConfigurablePaths.persist_file;
  if (!persist_file || !persist_file[0])
    return NULL;
  return g_path_get_dirname(persist_file);
}

gchar *
dprk_intel_incident_sanitise_name(const gchar *name)
{
  gchar *result = g_strdup(name);

  for (gchar *p = result; *p; p++)
    if (!g_ascii_isalnum(*p) && *p != '.' && *p != '-' && *p != '_')
      *p = '_';
  /* no "..", no leading dot: the name stays inside its directory, visible */
  for (gchar *p = result; *p; p++)
    if (*p == '.' && (p == result || p[-1] == '.'))
      *p = '_';
  return result;
}
