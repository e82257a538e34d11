/* history.h: the local record of feed versions, for `hunt --since`.
 *
 * "What do the new designations hit?" needs to know which indicators are
 * new.  `dprk-intel history record` (the updater runs it after each update)
 * notes each new version of the loaded set in a directory:
 *
 *   versions      append-only log, one record a version: its hash, when it
 *                 was recorded, its size, and the fingerprints
 *                 (feed-version.h) of the indicators added since the
 *                 previous record -- 8 bytes an added indicator;
 *   set-<hash>    the fingerprints of the last recorded version, to tell
 *                 what the next one adds (8 bytes an indicator, one file);
 *   lock          taken by every reader and writer (flock).
 *
 * The first record is the baseline: what was loaded then counts as present,
 * not as added.  Crash safety: the new set file is complete (written,
 * synced, renamed) before the record that needs it is appended, the old one
 * is removed only after; a record torn by a crash fails its checksum and is
 * cut off by the next writer.  All numbers are little-endian.
 */
#ifndef DI_TOOL_HISTORY_H
#define DI_TOOL_HISTORY_H

#include "feed-version.h"

typedef struct
{
  guint64 hash;
  gint64 recorded_at;     /* the load time of the version when it was recorded */
  guint64 total;          /* distinct indicators in the version */
  gboolean baseline;      /* the first record: nothing counts as added */
  const guint64 *added;   /* sorted fingerprints added since the previous record */
  gsize n_added;
} DiHistoryRecord;

typedef struct _DiHistory DiHistory;

/* The default directory: $DPRK_INTEL_HISTORY, else under /var/lib/dprk-intel. */
const gchar *di_history_default_dir(void);

/* Opens dir and reads its records, holding its lock (exclusive with
 * for_update, which creates dir when needed) until closed.  A reader of a
 * directory without a history gets an error. */
DiHistory *di_history_open(const gchar *dir, gboolean for_update, GError **error);
void di_history_close(DiHistory *self);

guint di_history_count(const DiHistory *self);
const DiHistoryRecord *di_history_record_at(const DiHistory *self, guint i);
const gchar *di_history_dir(const DiHistory *self);

/* The sorted fingerprints of the last record's version. */
guint64 *di_history_last_set(DiHistory *self, gsize *n, GError **error);

/* Records a version (fps: its sorted distinct fingerprints) unless it is
 * the last one recorded (*recorded = FALSE then). */
gboolean di_history_add(DiHistory *self, const DiFeedVersion *version, const guint64 *fps, gsize n,
                        gboolean *recorded, GError **error);

/* Fingerprints in a that are not in b, both sorted; g_free() the result. */
guint64 *di_fingerprints_minus(const guint64 *a, gsize na, const guint64 *b, gsize nb, gsize *n);
gboolean di_fingerprints_contain(const guint64 *sorted, gsize n, guint64 fp);

#endif
