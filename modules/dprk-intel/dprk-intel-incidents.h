/* dprk-intel-incidents.h: the syslog-ng side of suspected incidents.
 *
 * The engine (engine/incidents.h) groups matches into incidents; this file
 * gives the parser what it needs around it:
 *
 * - DprkIntelIncidentTable: the engine's table plus what must travel with it
 *   across `syslog-ng-ctl reload` (it is handed over in the persist config):
 *   the counter values already published to syslog-ng's stats, and a change
 *   generation for the periodic state-file save.
 * - summary messages: a closed incident as a new LogMessage.
 * - the default state-file path, in syslog-ng's persist directory.
 */
#ifndef DPRK_INTEL_INCIDENTS_H_INCLUDED
#define DPRK_INTEL_INCIDENTS_H_INCLUDED

#include "incidents.h"

#include "cfg.h"
#include "logmsg/logmsg.h"
#include "logmsg/tags.h"

#define DPRK_INTEL_INCIDENT_TAG "dprk.incident"

typedef struct _DprkIntelIncidentTable
{
  gint ref_cnt;
  DiIncidents *incidents;
  /* the engine's counters as last added to the stats counters of
   * stats_instance: the parser adds the differences, so that a table kept
   * across a reload, or several tables (clones) of one instance, add up */
  DiIncidentCounters published;
  gchar *stats_instance;
  /* bumped (atomically) by every change; the state file is written when it
   * differs from saved_generation (main thread only) */
  gint generation;
  gint saved_generation;
} DprkIntelIncidentTable;

DprkIntelIncidentTable *dprk_intel_incident_table_new(gint64 timeout_sec, guint max_open);
DprkIntelIncidentTable *dprk_intel_incident_table_ref(DprkIntelIncidentTable *self);
void dprk_intel_incident_table_unref(DprkIntelIncidentTable *self);

static inline void
dprk_intel_incident_table_touch(DprkIntelIncidentTable *self)
{
  g_atomic_int_inc(&self->generation);
}

/* Writes the table's open incidents to path in a thread of its own, so that
 * a big table (100,000 incidents take about half a second) never holds up
 * the main loop.  Main thread: start, poll is_done, then finish, which joins
 * the thread, marks the table saved up to the generation it had when the
 * save started, and returns FALSE with error set when the write failed. */
typedef struct _DprkIntelStateSave DprkIntelStateSave;

DprkIntelStateSave *dprk_intel_state_save_start(DprkIntelIncidentTable *table, const gchar *path, GError **error);
gboolean dprk_intel_state_save_is_done(DprkIntelStateSave *self);
gboolean dprk_intel_state_save_finish(DprkIntelStateSave *self, GError **error);

/* The name-value pairs of summaries and running counts, resolved once. */
typedef enum
{
  DPRK_INTEL_INC_ID,
  DPRK_INTEL_INC_COUNT,
  DPRK_INTEL_INC_KEY,
  DPRK_INTEL_INC_INDICATORS,
  DPRK_INTEL_INC_INDICATORS_COUNT,
  DPRK_INTEL_INC_ACTORS,
  DPRK_INTEL_INC_FIRST_SEEN,
  DPRK_INTEL_INC_LAST_SEEN,
  DPRK_INTEL_INC_AMOUNT,
  DPRK_INTEL_INC_REASON,
  DPRK_INTEL_INC_RELAYS,
  DPRK_INTEL_INC_RELAY_IDS,
  DPRK_INTEL_INC_MAX
} DprkIntelIncidentField;

typedef struct
{
  NVHandle handles[DPRK_INTEL_INC_MAX];
  LogTagId tag;
  gboolean with_amount;
} DprkIntelIncidentFields;

/* prefix + "incident.id", ...; with_amount: incident-amount() is set. */
void dprk_intel_incident_fields_init(DprkIntelIncidentFields *self, const gchar *prefix, gboolean with_amount);

/* A new message for a closed incident: tagged dprk.incident, PROGRAM
 * dprk-intel, HOST the local host, a readable MESSAGE and every field;
 * relays and relay_ids only for an incident of relayed matches. */
LogMessage *dprk_intel_incident_summary_msg_new(const DprkIntelIncidentFields *fields, const DiIncidentSummary *summary,
                                                const gchar *hostname);

/* The directory of syslog-ng's persist file (-R), NULL when unknown. */
gchar *dprk_intel_incident_persist_dir(GlobalConfig *cfg);
/* "p_dprk#0" -> "p_dprk_0": what may go into a file name. */
gchar *dprk_intel_incident_sanitise_name(const gchar *name);

#endif
