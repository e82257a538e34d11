/* line-match.c: the matcher and the report for one line, as JSON members.
 *
 * Runs for every line, but builds JSON only for the ones that match.  The
 * members are the report's fields that are set, in DiOutField order
 * (the DPRK-linked section, the other section, the matches), rendered by json-c
 * (escaping included) without the enclosing braces, so that each command
 * can put its own keys first.
 */
#include "line-match.h"
#include <json.h>
#include <stdlib.h>

void
di_line_match_init(DiLineMatch *self)
{
  di_match_set_init(&self->set);
  di_report_init(&self->report);
  self->members = g_string_sized_new(1024);
}

void
di_line_match_clear(DiLineMatch *self)
{
  g_string_free(self->members, TRUE);
  di_report_clear(&self->report);
  di_match_set_clear(&self->set);
}

static json_object *
_report_value(DiOutField f, const GString *value)
{
  if (di_out_field_type(f) == DI_OUT_JSON)
    return json_tokener_parse(value->str);
  if (di_out_field_type(f) == DI_OUT_INT)
    return json_object_new_int(atoi(value->str));
  return json_object_new_string_len(value->str, value->len);
}

gboolean
di_line_match(DiLineMatch *self, const DiSnapshot *snap, const gchar *line, gsize len, gint64 now)
{
  di_match_set_reset(&self->set);
  if (!di_match_text(snap, line, len, 0, now, &self->set))
    return FALSE;

  /* the report reads matched text from the field texts: this line, which
   * stays valid for the whole call (and may hold NUL bytes) */
  const gchar *names[] = { "MESSAGE" };
  const gchar *texts[] = { line };
  di_report_build(&self->report, snap, &self->set, names, texts);

  json_object *obj = json_object_new_object();
  /* only the sections that are set: a line with DPRK-linked matches only
   * has no empty other.* fields, and the other way round */
  for (gint f = 0; f < DI_OUT_MAX; f++)
    if (di_report_has(&self->report, f))
      json_object_object_add(obj, di_out_field_name(f), _report_value(f, self->report.values[f]));
  const gchar *json = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
  /* "{...}" without its braces */
  g_string_assign(self->members, json + 1);
  g_string_truncate(self->members, self->members->len - 1);
  json_object_put(obj);
  return TRUE;
}
