/* cmd-match.c: `dprk-intel match`: the parser's output for each input line.
 *
 * Each line is scanned as if it were a message's MESSAGE field, and every
 * matching line prints one JSON object with "line" and the fields of
 * INTERFACE §1 without the prefix (line-match.c, shared with `hunt`). */
#include "commands.h"
#include "tool-util.h"
#include "line-match.h"
#include <stdio.h>

typedef struct
{
  DiSnapshot *snap;
  DiLineMatch match;
  gint64 now;
} DiMatchCmd;

static void
_match_line(const gchar *line, gsize len, gsize lineno, gpointer user_data)
{
  DiMatchCmd *cmd = user_data;
  if (di_line_match(&cmd->match, cmd->snap, line, len, cmd->now))
    printf("{\"line\":%" G_GSIZE_FORMAT ",%s}\n", lineno, cmd->match.members->str);
}

int
di_cmd_match(int argc, char **argv)
{
  gchar **databases = NULL;
  gint status = di_tool_parse_args(&argc, &argv, "[FILE ...]",
                                   "Print each input line that matches a loaded indicator as JSON (stdin without FILE).",
                                   NULL, &databases);
  if (status >= 0)
    return status;

  DiMatchCmd cmd = { 0 };
  cmd.snap = di_tool_load(databases, NULL);
  g_strfreev(databases);
  if (!cmd.snap)
    return 1;
  cmd.now = g_get_real_time() / G_USEC_PER_SEC;
  di_line_match_init(&cmd.match);

  status = di_tool_foreach_line(argc, argv, _match_line, &cmd);

  di_line_match_clear(&cmd.match);
  di_snapshot_unref(cmd.snap);
  return status;
}
