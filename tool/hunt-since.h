/* hunt-since.h: `hunt --since VERSION|DATE`: only the indicators added since.
 *
 * The version history (history.h) says which indicators each recorded
 * version added.  Since a VERSION (either text form of feed-version.h, or
 * a unique prefix of at least 6 hex digits): what the records after its
 * last record added.  Since a DATE (YYYY-MM-DD, UTC, or an ISO 8601 time):
 * what the records made at or after it added.  Either way, when the loaded
 * set is newer than the last record, what it holds beyond that record counts
 * as added too.  Only indicators still loaded are hunted.
 */
#ifndef DI_TOOL_HUNT_SINCE_H
#define DI_TOOL_HUNT_SINCE_H

#include "snapshot.h"

/* A snapshot of the entries of snap added since `since`; NULL with error
 * set when since or the history cannot be read.  note gets one line for the
 * user about what was selected. */
DiSnapshot *di_hunt_since(const DiSnapshot *snap, const gchar *since, const gchar *history_dir, GString *note,
                          GError **error);

#endif
