/* cmd-convert.c: `dprk-intel convert`: every loaded indicator as canonical CSV,
 * whatever format it came from, so feeds can be merged, reviewed and diffed. */
#include "commands.h"
#include "tool-util.h"
#include <stdio.h>
#include <string.h>

static void
_csv_field(GString *out, const gchar *value, gboolean last)
{
  if (strpbrk(value, ",\"\r\n"))
    {
      g_string_append_c(out, '"');
      for (const gchar *p = value; *p; p++)
        {
          if (*p == '"')
            g_string_append_c(out, '"');
          g_string_append_c(out, *p);
        }
      g_string_append_c(out, '"');
    }
  else
    g_string_append(out, value);
  g_string_append_c(out, last ? '\n' : ',');
}

static void
_format_time(gint64 t, gchar *buf, gsize size)
{
  buf[0] = '\0';
  if (t)
    di_tool_format_time(t, buf, size);
}

static void
_print_entry(const DiSnapshot *snap, guint32 e, GString *row, GString *value)
{
  gchar confidence[8], valid_until[32];
  g_snprintf(confidence, sizeof(confidence), "%d", di_snapshot_entry_confidence(snap, e));
  _format_time(di_snapshot_entry_valid_until(snap, e), valid_until, sizeof(valid_until));

  g_string_truncate(row, 0);
  g_string_truncate(value, 0);
  di_snapshot_entry_value(snap, e, value);
  _csv_field(row, value->str, FALSE);
  _csv_field(row, di_type_name(di_snapshot_entry_type(snap, e)), FALSE);
  _csv_field(row, di_snapshot_entry_actor(snap, e), FALSE);
  _csv_field(row, di_snapshot_entry_source(snap, e), FALSE);
  _csv_field(row, confidence, FALSE);
  _csv_field(row, di_snapshot_entry_reference(snap, e), FALSE);
  _csv_field(row, valid_until, FALSE);
  _csv_field(row, di_snapshot_entry_description(snap, e), TRUE);
  fputs(row->str, stdout);
}

int
di_cmd_convert(int argc, char **argv)
{
  gchar **databases = NULL;
  gint status = di_tool_parse_args(&argc, &argv, "", "Print every loaded indicator as canonical CSV.", NULL,
                                   &databases);
  if (status >= 0)
    return status;

  DiSnapshot *snap = di_tool_load(databases, NULL);
  g_strfreev(databases);
  if (!snap)
    return 1;

  GString *row = g_string_new(""), *value = g_string_new("");
  printf("indicator,type,actor,source,confidence,reference,valid_until,description\n");
  for (guint32 e = 0; e < di_snapshot_count(snap); e++)
    _print_entry(snap, e, row, value);
  g_string_free(row, TRUE);
  g_string_free(value, TRUE);
  di_snapshot_unref(snap);
  return 0;
}
