/* cmd-convert.c: `dprk-intel convert`: every loaded indicator as canonical CSV,
 * whatever format it came from, so feeds can be merged, reviewed and diffed:
 * one row per attribution, the best first. */
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

/* One row per attribution: loading the output again gives the same set. */
static void
_print_attribution(const DiSnapshot *snap, guint32 a, const GString *value, GString *row)
{
  gchar confidence[8], valid_until[32];
  g_snprintf(confidence, sizeof(confidence), "%d", di_snapshot_attribution_confidence(snap, a));
  _format_time(di_snapshot_attribution_valid_until(snap, a), valid_until, sizeof(valid_until));

  g_string_truncate(row, 0);
  _csv_field(row, value->str, FALSE);
  _csv_field(row, di_type_name(di_snapshot_attribution_type(snap, a)), FALSE);
  _csv_field(row, di_snapshot_attribution_actor(snap, a), FALSE);
  _csv_field(row, di_snapshot_attribution_source(snap, a), FALSE);
  _csv_field(row, confidence, FALSE);
  _csv_field(row, di_snapshot_attribution_reference(snap, a), FALSE);
  _csv_field(row, valid_until, FALSE);
  _csv_field(row, di_snapshot_attribution_description(snap, a), TRUE);
  fputs(row->str, stdout);
}

static void
_print_entry(const DiSnapshot *snap, guint32 e, GString *row, GString *value)
{
  g_string_truncate(value, 0);
  di_snapshot_entry_value(snap, e, value);
  for (guint i = 0; i < di_snapshot_entry_attribution_count(snap, e); i++)
    _print_attribution(snap, di_snapshot_entry_attribution(snap, e, i), value, row);
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
