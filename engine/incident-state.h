/* incident-state.h: open incidents saved to a file, so a restart loses none.
 *
 * The file is JSON, versioned, one incident a line (see incident-state.c for
 * the format).  Saving writes a temporary file beside the target, fsyncs it
 * and renames it over the target: a crash at any point leaves either the old
 * file or the new one, never a torn one.  A file that cannot be read back is
 * reported, and the caller moves it out of the way with
 * di_incident_state_set_aside() and starts empty; nothing here is fatal.
 */
#ifndef DI_INCIDENT_STATE_H
#define DI_INCIDENT_STATE_H

#include "incidents.h"

#define DI_INCIDENT_STATE_FORMAT "dprk-intel-incidents"
#define DI_INCIDENT_STATE_VERSION 1

#define DI_INCIDENT_STATE_ERROR (di_incident_state_error_quark())
typedef enum
{
  DI_INCIDENT_STATE_ERROR_IO,        /* could not read or write the file */
  DI_INCIDENT_STATE_ERROR_CORRUPT,   /* not a state file, or a broken one */
  DI_INCIDENT_STATE_ERROR_VERSION,   /* written by a newer version */
} DiIncidentStateError;

GQuark di_incident_state_error_quark(void);

/* Writes every open incident of self to path, atomically. */
gboolean di_incident_state_save(DiIncidents *self, const gchar *path, GError **error);

/* Restores the incidents saved in path into self.  A missing file is no
 * error.  Incidents that timed out by now_us are closed at once and come out
 * of the next di_incidents_expire().  On error nothing is restored. */
gboolean di_incident_state_load(DiIncidents *self, const gchar *path, gint64 now_us, GError **error);

/* Renames path to path.corrupt-YYYYMMDDTHHMMSSZ (plus -N if that exists);
 * new_path, if not NULL, gets the new name. */
gboolean di_incident_state_set_aside(const gchar *path, gchar **new_path, GError **error);

#endif
