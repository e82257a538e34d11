/* cmd-extract.c: `dprk-intel extract`: every indicator the scanner finds.
 *
 * No feed is loaded: this shows what the scanner sees in a text, one JSON
 * object a line, {"line":N,"type":"btc","value":"...","offset":N}, with the
 * value in normalised form and the byte offset of the token in its line.  A
 * token valid for several types (a base58 address of two chains) prints one
 * line per type.  Lookup-only shapes (keys without a checksum) are not
 * reported.  An EVM address in mixed case whose EIP-55 checksum fails is
 * reported (the same account) with "checksum":"invalid".
 */
#include "commands.h"
#include "tool-util.h"
#include "scanner.h"
#include <json.h>
#include <stdio.h>

typedef struct
{
  gsize lineno;
  GString *value;
} DiExtract;

static void
_print(const DiExtract *ex, DiType type, const DiToken *token)
{
  json_object *obj = json_object_new_object();
  json_object_object_add(obj, "line", json_object_new_int64(ex->lineno));
  json_object_object_add(obj, "type", json_object_new_string(di_type_name(type)));
  json_object_object_add(obj, "value", json_object_new_string_len(ex->value->str, ex->value->len));
  json_object_object_add(obj, "offset", json_object_new_int64(token->offset));
  if (token->flags & DI_TOKEN_CHECKSUM_INVALID)
    json_object_object_add(obj, "checksum", json_object_new_string("invalid"));
  printf("%s\n", json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(obj);
}

static gboolean
_on_token(const DiToken *token, gpointer user_data)
{
  DiExtract *ex = user_data;
  if (!token->types)
    return TRUE;

  g_string_truncate(ex->value, 0);
  di_key_format(&token->key, ex->value);
  for (gint t = DI_TYPE_NONE + 1; t < DI_TYPE_MAX; t++)
    if (token->types & DI_TYPE_BIT(t))
      _print(ex, t, token);
  return TRUE;
}

static void
_extract_line(const gchar *line, gsize len, gsize lineno, gpointer user_data)
{
  DiExtract *ex = user_data;
  ex->lineno = lineno;
  di_scan(line, len, DI_SCAN_DEFAULT, _on_token, ex);
}

int
di_cmd_extract(int argc, char **argv)
{
  gint status = di_tool_parse_args(&argc, &argv, "[FILE ...]",
                                   "Print every indicator found in the text of FILE (stdin without FILE) as JSON lines:\n"
                                   "{\"line\":N,\"type\":\"btc\",\"value\":\"<normalised>\",\"offset\":N}, the offset "
                                   "being the byte offset within the line.",
                                   NULL, NULL);
  if (status >= 0)
    return status;

  DiExtract ex = { 0, g_string_sized_new(128) };
  status = di_tool_foreach_line(argc, argv, _extract_line, &ex);
  g_string_free(ex.value, TRUE);
  fflush(stdout);
  return status;
}
