/* test-logsrc-scan.c: the scanners under the log-source readers -- the JSON
 * scanner (what json-c takes, only the wanted keys kept, escapes, nesting,
 * hostile input) and the key=value scanner (kv-parser()'s rules), and the
 * key table and rename programs they fill. */
#include <criterion/criterion.h>
#include "logsrc/logsrc-json.h"
#include "logsrc/logsrc-kv.h"
#include "logsrc/logsrc-event.h"
#include "logsrc/logsrc-reader.h"
#include <string.h>

#define MB (1024 * 1024)

typedef struct
{
  LogsrcKeys *keys;
  LogsrcDoc doc;
  gchar *buf;
  LogsrcScratch scratch;
} Scan;

static Scan s;

static void
_keys(const gchar *const *paths)
{
  logsrc_keys_free(s.keys);
  s.keys = logsrc_keys_new();
  for (guint i = 0; paths[i]; i++)
    cr_assert_eq(logsrc_keys_add(s.keys, paths[i], strcmp(paths[i], "list") == 0), (gint) i, "slot of %s", paths[i]);
}

#define KEYS(...) _keys((const gchar *const[]) { __VA_ARGS__, NULL })

static LogsrcJsonResult
_json_len(const gchar *text, gsize len)
{
  g_free(s.buf);
  gsize size = logsrc_scratch_size(len);
  s.buf = g_malloc(size);
  s.scratch = (LogsrcScratch) { s.buf, size, 0 };
  LogsrcJsonResult r = logsrc_json_scan(s.keys, text, len, &s.scratch, &s.doc);
  cr_assert_leq(s.scratch.used, len, "scratch holds no more than the text");
  return r;
}

static LogsrcJsonResult
_json(const gchar *text)
{
  return _json_len(text, strlen(text));
}

static void
_assert_slot(gint slot, const gchar *want)
{
  if (!want)
    {
      cr_assert_not(logsrc_doc_has(&s.doc, slot), "slot %d absent, is '%.*s'", slot,
                    (gint) s.doc.value[slot].len, s.doc.value[slot].ptr);
      return;
    }
  cr_assert(logsrc_doc_has(&s.doc, slot), "slot %d present (want '%s')", slot, want);
  LogsrcSpan v = logsrc_doc_get(&s.doc, slot);
  cr_assert_eq(v.len, strlen(want), "slot %d: '%.*s', want '%s'", slot, (gint) v.len, v.ptr, want);
  cr_assert(memcmp(v.ptr, want, v.len) == 0, "slot %d: '%.*s', want '%s'", slot, (gint) v.len, v.ptr, want);
}

static void
_teardown(void)
{
  logsrc_keys_free(s.keys);
  g_free(s.buf);
  memset(&s, 0, sizeof(s));
}

TestSuite(logsrc_json, .fini = _teardown);

Test(logsrc_json, keeps_only_wanted_keys_nested_by_dotted_path)
{
  KEYS("a", "data.id", "data.source.type", "n", "t", "f");
  cr_assert_eq(_json("{\"x\":{\"a\":\"inner\"},\"a\":\"top\",\"data\":{\"id\":\"7\",\"source\":{\"type\":\"VAULT\"},"
                     "\"other\":[1,{\"id\":\"no\"}]},\"n\":-12.5e3,\"t\":true,\"f\":false}"), LOGSRC_JSON_OBJECT);
  _assert_slot(0, "top");
  _assert_slot(1, "7");
  _assert_slot(2, "VAULT");
  _assert_slot(3, "-12.5e3");
  cr_assert_eq(s.doc.kind[3], LOGSRC_VALUE_NUMBER);
  _assert_slot(4, "true");
  _assert_slot(5, "false");
  cr_assert_eq(s.doc.kind[5], LOGSRC_VALUE_LITERAL);
}

Test(logsrc_json, null_empty_and_objects_are_absent_and_the_last_duplicate_counts)
{
  KEYS("a", "b", "c", "d", "e");
  cr_assert_eq(_json("{\"a\":null,\"b\":\"\",\"c\":{\"x\":1},\"d\":\"one\",\"d\":\"two\",\"e\":\"x\",\"e\":null,"
                     "\"list\":[1]}"), LOGSRC_JSON_OBJECT);
  _assert_slot(0, NULL);
  _assert_slot(1, NULL);
  _assert_slot(2, NULL);
  _assert_slot(3, "two");
  _assert_slot(4, NULL);
}

Test(logsrc_json, arrays_only_for_keys_that_want_them)
{
  KEYS("list", "other");
  cr_assert_eq(_json("{\"list\":[{\"address\":\"a1\"},{\"address\":\"a2\",\"wallet\":\"w\"}],\"other\":[1,2]}"),
               LOGSRC_JSON_OBJECT);
  _assert_slot(0, "[{\"address\":\"a1\"},{\"address\":\"a2\",\"wallet\":\"w\"}]");
  cr_assert_eq(s.doc.kind[0], LOGSRC_VALUE_ARRAY);
  _assert_slot(1, NULL);

  LogsrcSpan v;
  gchar *first = "{\"address\" : \"bc1q\", \"value\": 1, \"wallet\": null}";
  cr_assert(logsrc_json_member((LogsrcSpan) { first, strlen(first) }, "address", &v));
  cr_assert_eq(v.len, 4);
  cr_assert(logsrc_json_member((LogsrcSpan) { first, strlen(first) }, "wallet", &v), "present, though null");
  cr_assert_eq(v.len, 0);
  cr_assert_not(logsrc_json_member((LogsrcSpan) { first, strlen(first) }, "coin", &v));
}

static gboolean
_count(LogsrcSpan object, gpointer user_data)
{
  (*(gint *) user_data)++;
  return TRUE;
}

Test(logsrc_json, foreach_object_skips_other_elements)
{
  const gchar *a = "[ {\"a\":[{}]}, 1, \"{\", {\"b\":2} , null ]";
  gint n = 0;
  logsrc_json_foreach_object((LogsrcSpan) { a, strlen(a) }, _count, &n);
  cr_assert_eq(n, 2);
}

Test(logsrc_json, escapes_are_decoded_in_kept_values_and_keys)
{
  KEYS("s", "k\"q", "u", "pair", "lone", "nul", "/");
  cr_assert_eq(_json("{\"s\":\"a\\\"b\\\\c\\/d\\n\\t\",\"k\\\"q\":\"x\",\"u\":\"\\u00e9\\u20AC\","
                     "\"pair\":\"\\ud83d\\ude00\",\"lone\":\"\\ud800x\",\"nul\":\"ab\\u0000cd\",\"\\/\":\"slash\"}"),
               LOGSRC_JSON_OBJECT);
  _assert_slot(0, "a\"b\\c/d\n\t");
  _assert_slot(1, "x");
  _assert_slot(2, "\xc3\xa9\xe2\x82\xac");
  _assert_slot(3, "\xf0\x9f\x98\x80");
  _assert_slot(4, "\xef\xbf\xbdx");
  _assert_slot(5, "ab");
  _assert_slot(6, "slash");
}

Test(logsrc_json, what_json_c_takes)
{
  KEYS("a", "b");
  cr_assert_eq(_json("  \n{'a':'single',\"b\":2,}  trailing text json-c ignores"), LOGSRC_JSON_OBJECT);
  _assert_slot(0, "single");
  _assert_slot(1, "2");
  cr_assert_eq(_json("[1,2,]"), LOGSRC_JSON_NOT_OBJECT);
  cr_assert_eq(_json("{}"), LOGSRC_JSON_OBJECT);
  _assert_slot(0, NULL);
}

Test(logsrc_json, malformed_documents)
{
  static const gchar *const bad[] =
  {
    "", "   ", "\"str\"", "12", "true", "{", "{\"a\"", "{\"a\":", "{\"a\":1", "{\"a\":1,", "{\"a\" 1}",
    "{a:1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}", "{\"a\":1e}", "{\"a\":tru}", "{\"a\":nul}",
    "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"open}", "{\"a\":[1,2}",
    "{\"a\":{\"b\":1}", "{,}", "{\"a\":1,,\"b\":2}", "{\"a\":1 \"b\":2}", "{\"a\":\x01}",
  };
  KEYS("a");
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
    {
      cr_assert_neq(_json(bad[i]), LOGSRC_JSON_OBJECT, "'%s' is not an object", bad[i]);
      _assert_slot(0, NULL);
    }
  /* a partial scan leaves nothing behind */
  cr_assert_eq(_json("{\"a\":\"kept\",\"b\":"), LOGSRC_JSON_MALFORMED);
  _assert_slot(0, NULL);
}

Test(logsrc_json, a_nul_byte_inside_a_string_is_a_byte_outside_it_is_malformed)
{
  KEYS("a");
  cr_assert_eq(_json_len("{\"a\":\"x\0y\"}", 11), LOGSRC_JSON_OBJECT);
  cr_assert_eq(s.doc.value[0].len, 3);
  cr_assert_eq(_json_len("{\"a\":1\0}", 8), LOGSRC_JSON_MALFORMED);
}

Test(logsrc_json, nesting_stops_at_32_levels)
{
  GString *deep = g_string_new("{\"a\":");
  for (gint i = 0; i < 30; i++)
    g_string_append(deep, "[");
  g_string_append(deep, "1");
  for (gint i = 0; i < 30; i++)
    g_string_append(deep, "]");
  g_string_append(deep, "}");
  KEYS("a");
  cr_assert_eq(_json(deep->str), LOGSRC_JSON_OBJECT, "31 levels");
  g_string_insert(deep, 5, "[");
  g_string_insert(deep, deep->len - 1, "]");
  cr_assert_eq(_json(deep->str), LOGSRC_JSON_OBJECT, "32 levels");
  g_string_insert(deep, 5, "[");
  g_string_insert(deep, deep->len - 1, "]");
  cr_assert_eq(_json(deep->str), LOGSRC_JSON_MALFORMED, "33 levels");
  g_string_free(deep, TRUE);
}

Test(logsrc_json, hostile_megabytes_in_one_pass)
{
  KEYS("a", "x.y");
  /* 4 million unclosed brackets: refused at depth 33, not recursed into */
  gchar *brackets = g_malloc(4 * MB + 1);
  memset(brackets, '[', 4 * MB);
  memcpy(brackets, "{\"a\":", 5);
  brackets[4 * MB] = 0;
  cr_assert_eq(_json(brackets), LOGSRC_JSON_MALFORMED);

  /* 4 MB of members and escapes: each byte looked at a bounded number of times */
  GString *wide = g_string_new("{");
  while (wide->len < 4 * MB)
    g_string_append(wide, "\"x\":{\"y\":\"\\u0041\\\\\"},\"zzzzzzzz\":[1,2,{\"a\":3}],");
  g_string_append(wide, "\"a\":\"last\"}");
  cr_assert_eq(_json(wide->str), LOGSRC_JSON_OBJECT);
  _assert_slot(0, "last");
  _assert_slot(1, "A\\");

  /* one string of 2 million escapes, its quote at the end */
  g_string_assign(wide, "{\"a\":\"");
  while (wide->len < 4 * MB)
    g_string_append(wide, "\\n");
  g_string_append(wide, "\\\"\"}");
  cr_assert_eq(_json(wide->str), LOGSRC_JSON_OBJECT);
  cr_assert_eq(s.doc.value[0].len, (wide->len - 8) / 2);
  g_string_free(wide, TRUE);
  g_free(brackets);
}

Test(logsrc_json, key_table_gives_one_slot_per_path_and_refuses_the_unusable)
{
  LogsrcKeys *k = logsrc_keys_new();
  cr_assert_eq(logsrc_keys_add(k, "a.b", FALSE), 0);
  cr_assert_eq(logsrc_keys_add(k, "a.b", TRUE), 0, "the same path, the same slot");
  cr_assert_eq(logsrc_keys_add(k, "a", FALSE), 1, "a prefix that is wanted too gets a slot");
  cr_assert_eq(logsrc_keys_add(k, "", FALSE), -1);
  cr_assert_eq(logsrc_keys_add(k, NULL, FALSE), -1);
  gchar *longest = g_strnfill(LOGSRC_KEY_MAX_LEN, 'k');
  cr_assert_eq(logsrc_keys_add(k, longest, FALSE), -1);
  g_free(longest);
  gint last = 0;
  for (gint i = 0; i < 300; i++)
    {
      g_autofree gchar *key = g_strdup_printf("k%d", i);
      gint slot = logsrc_keys_add(k, key, FALSE);
      if (slot >= 0)
        last = slot;
    }
  cr_assert_eq(last, LOGSRC_DOC_SLOTS - 1, "the slots run out at %d without harm", LOGSRC_DOC_SLOTS);
  cr_assert_eq(logsrc_keys_slot(k, "k0", 2), 2);
  cr_assert_eq(logsrc_keys_slot(k, "k299", 4), -1);
  logsrc_keys_free(k);
}

Test(logsrc_json, rename_programs_let_the_last_key_present_win_and_skip_taken_keys)
{
  LogsrcKeys *k = logsrc_keys_new();
  GHashTable *taken = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  const LogsrcRenameSpec first[] = { { "a", LOGSRC_USER_ID }, { "b", LOGSRC_USER_ID }, { "", LOGSRC_USER_NAME } };
  const LogsrcRenameSpec second[] = { { "b", LOGSRC_USER_NAME }, { "c", LOGSRC_USER_NAME } };
  LogsrcProgram p1, p2;
  logsrc_program_compile(&p1, k, first, G_N_ELEMENTS(first), taken);
  logsrc_program_compile(&p2, k, second, G_N_ELEMENTS(second), taken);
  cr_assert_eq(p1.n, 2);
  cr_assert_eq(p2.n, 1, "b was taken by the first list");

  LogsrcDoc doc;
  LogsrcEvent ev;
  logsrc_doc_reset(&doc);
  logsrc_event_reset(&ev, LOGSRC_EXCHANGE);
  logsrc_doc_keep(&doc, logsrc_keys_slot(k, "a", 1), "A", 1, LOGSRC_VALUE_STRING);
  logsrc_doc_keep(&doc, logsrc_keys_slot(k, "b", 1), "B", 1, LOGSRC_VALUE_STRING);
  logsrc_program_run(&p1, &doc, &ev);
  logsrc_program_run(&p2, &doc, &ev);
  cr_assert_eq(ev.value[LOGSRC_USER_ID].ptr[0], 'B');
  cr_assert_not(logsrc_event_has(&ev, LOGSRC_USER_NAME));
  logsrc_program_clear(&p1);
  logsrc_program_clear(&p2);
  g_hash_table_destroy(taken);
  logsrc_keys_free(k);
}

/* key=value */

typedef struct
{
  GString *out;
} Pairs;

static gboolean
_pair(LogsrcSpan key, LogsrcSpan value, gpointer user_data)
{
  GString *out = user_data;
  g_string_append_printf(out, "[%.*s=%.*s]", (gint) key.len, key.ptr, (gint) value.len, value.ptr);
  return TRUE;
}

static gchar *
_kv(const gchar *text)
{
  gsize size = logsrc_scratch_size(strlen(text));
  gchar *buf = g_malloc(size);
  LogsrcScratch scratch = { buf, size, 0 };
  GString *out = g_string_new("");
  logsrc_kv_scan(text, strlen(text), &scratch, _pair, out);
  cr_assert_leq(scratch.used, strlen(text));
  gchar *result = g_strdup(out->str);
  g_string_free(out, TRUE);
  /* the values may point into buf: copied above */
  g_free(buf);
  return result;
}

#define KV(text, want) do { g_autofree gchar *got = _kv(text); cr_assert_str_eq(got, want, "%s", text); } while (0)

Test(logsrc_kv, kv_parser_rules)
{
  KV("a=1 b=two c=", "[a=1][b=two][c=]");
  KV("ts=x level=info msg=\"health check ok\" n=3", "[ts=x][level=info][msg=health check ok][n=3]");
  KV("user=ops admin wallet=w", "[user=ops admin][wallet=w]");
  KV("a=1, b=2,c=3", "[a=1][b=2,c=3]");
  KV("value=12,500,000 x=y", "[value=12,500,000][x=y]");
  KV("junk words key = spaced other=1", "[key=spaced][other=1]");
  KV("q='it\\'s' e=\"tab\\there\" k=\"back\\\\slash\" o=\"\\x\"", "[q=it's][e=tab\there][k=back\\slash][o=\\x]");
  KV("a= b=1", "[a=][b=1]");
  KV("a=b=c d=e", "[a=b=c][d=e]");
  KV("=x k.e-y_1=v", "[k.e-y_1=v]");
  KV("no pairs here", "");
  KV("", "");
}

Test(logsrc_kv, broken_quotes_read_as_plain_text)
{
  KV("a=\"open b=1", "[a=\"open][b=1]");
  KV("a=\"x\"y b=1", "[a=\"x\"y][b=1]");
  KV("a=\"x\\", "[a=\"x\\]");
}

Test(logsrc_kv, hostile_input_in_linear_time)
{
  /* long runs of spaces inside a value, '=' without keys, spaces before '=' */
  GString *t = g_string_new("a=");
  for (gint i = 0; i < 100000; i++)
    g_string_append(t, "x                                  ");
  for (gint i = 0; i < 100000; i++)
    g_string_append(t, "    =    =");
  g_string_append(t, " last=1");
  g_autofree gchar *got = _kv(t->str);
  cr_assert(g_str_has_suffix(got, "[last=1]"), "%.60s...", got + strlen(got) - 30);
  g_string_free(t, TRUE);
}
