/* cmd-match.c: `dprk-intel match`: the parser's output for each input line.
 *
 * Each line is scanned as if it were a message's MESSAGE field, and every
 * matching line prints one JSON object with "line" and the fields of
 * INTERFACE §1 without the prefix. */
#include "commands.h"
#include "tool-util.h"
#include "match-report.h"
#include <json.h>
#include <stdio.h>

typedef struct
{
  DiSnapshot *snap;
  DiMatchSet set;
  DiReport report;
  gint64 now;
  guint matched;
} DiMatchCmd;

static json_object *
_report_value(DiOutField f, const GString *value)
{
  if (di_out_field_type(f) == DI_OUT_JSON)
    return json_tokener_parse(value->str);
  if (di_out_field_type(f) == DI_OUT_INT)
    return json_object_new_int(atoi(value->str));
  return json_object_new_string_len(value->str, value->len);
}

static void
_match_line(const gchar *line, gsize len, gsize lineno, gpointer user_data)
{
  DiMatchCmd *cmd = user_data;
  di_match_set_reset(&cmd->set);
  if (!di_match_text(cmd->snap, line, len, 0, cmd->now, &cmd->set))
    return;

  /* the report reads matched text from the field texts: this line, which
   * stays valid for the whole call (and may hold NUL bytes) */
  const gchar *names[] = { "MESSAGE" };
  const gchar *texts[] = { line };
  di_report_build(&cmd->report, cmd->snap, &cmd->set, names, texts);

  json_object *obj = json_object_new_object();
  json_object_object_add(obj, "line", json_object_new_int64(lineno));
  for (gint f = 0; f < DI_OUT_MAX; f++)
    if (di_report_has(&cmd->report, f))
      json_object_object_add(obj, di_out_field_name(f), _report_value(f, cmd->report.values[f]));
  printf("%s\n", json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(obj);
  cmd->matched++;
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
  di_match_set_init(&cmd.set);
  di_report_init(&cmd.report);

  status = di_tool_foreach_line(argc, argv, _match_line, &cmd);

  di_report_clear(&cmd.report);
  di_match_set_clear(&cmd.set);
  di_snapshot_unref(cmd.snap);
  return status;
}
