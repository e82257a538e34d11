/* tool-util.h: what the subcommands of the tool share: option parsing for
 * --database, loading feeds with errors on stderr, and reading input lines. */
#ifndef DI_TOOL_UTIL_H
#define DI_TOOL_UTIL_H

#include "snapshot.h"
#include "feed-loader.h"

/* Parses argv with entries (plus --database PATH, repeatable, when databases
 * is not NULL); prints --help or usage errors.  Returns -1 to go on, else the
 * exit status to return. */
gint di_tool_parse_args(gint *argc, gchar ***argv, const gchar *params, const gchar *summary,
                        GOptionEntry *entries, gchar ***databases);

/* The default feed directory: $DPRK_INTEL_DATABASE, else the installed one. */
const gchar *di_tool_default_database(void);

/* Loads the feeds; prints every error as FILE:LINE: ... on stderr and returns
 * NULL when there is one.  report may be NULL. */
DiSnapshot *di_tool_load(gchar **databases, DiLoadReport *report);

/* "YYYY-MM-DDTHH:MM:SSZ" of UNIX seconds t. */
void di_tool_format_time(gint64 t, gchar *buf, gsize size);

typedef void (*DiLineFunc)(const gchar *line, gsize len, gsize lineno, gpointer user_data);

/* Calls func for every line of each file, or of stdin when there is none.
 * Returns 0, or 1 when a file could not be read. */
gint di_tool_foreach_line(gint argc, gchar **argv, DiLineFunc func, gpointer user_data);

#endif
