/* test-feed-stix.c: the STIX pattern parser and the STIX 2.0 / 2.1 bundle
 * reader, on OASIS's example bundles, on vendors' published DPRK bundles
 * (tests/data/feeds/vendors: Cisco Talos, Unit 42) and on hand-written and
 * hostile ones. */
#include "feed-test-util.h"
#include "stix-pattern.h"
#include "stix-bundle.h"

/* ---- the pattern parser ------------------------------------------------ */

static DiStixPattern *
_parse_ok(const gchar *text)
{
  GError *error = NULL;
  DiStixPattern *p = di_stix_pattern_parse(text, &error);
  cr_assert_not_null(p, "'%s' should parse: %s", text, error ? error->message : "");
  return p;
}

static void
_assert_parse_error(const gchar *text, const gchar *expected)
{
  GError *error = NULL;
  DiStixPattern *p = di_stix_pattern_parse(text, &error);
  cr_assert_null(p, "'%s' should not parse", text);
  cr_assert_str_eq(error->message, expected, "pattern: %s -> %s", text, error->message);
  g_error_free(error);
}

static DiStixComparison *
_cmp(DiStixPattern *p, guint i)
{
  cr_assert_lt(i, p->comparisons->len);
  return p->comparisons->pdata[i];
}

Test(stix_pattern, single_comparison)
{
  DiStixPattern *p = _parse_ok("[ipv4-addr:value = '10.0.0.0']");
  cr_assert_eq(p->comparisons->len, 1);
  DiStixComparison *c = _cmp(p, 0);
  cr_assert_str_eq(c->object, "ipv4-addr");
  cr_assert_str_eq(c->path[0], "value");
  cr_assert_null(c->path[1]);
  cr_assert_str_eq(c->op, "=");
  cr_assert_str_eq(c->value, "10.0.0.0");
  cr_assert(c->is_string);
  cr_assert_eq(c->column, 2);
  di_stix_pattern_free(p);
}

Test(stix_pattern, quoted_path_parts_and_escapes)
{
  DiStixPattern *p = _parse_ok("[file:hashes.'SHA-256' = 'ab' AND file:name = 'O\\'Brien \\\\ co.exe']");
  cr_assert_eq(p->comparisons->len, 2);
  cr_assert_str_eq(_cmp(p, 0)->path[0], "hashes");
  cr_assert_str_eq(_cmp(p, 0)->path[1], "SHA-256");
  cr_assert_str_eq(_cmp(p, 1)->value, "O'Brien \\ co.exe");
  di_stix_pattern_free(p);
}

Test(stix_pattern, or_and_across_observations_and_parentheses)
{
  DiStixPattern *p = _parse_ok("([domain-name:value = 'a.example' OR (ipv4-addr:value = '1.2.3.4' AND "
                               "ipv4-addr:value = '1.2.3.5')] OR [url:value = 'http://b.example/x']) "
                               "AND [email-addr:value = 'x@c.example']");
  cr_assert_eq(p->comparisons->len, 5);
  cr_assert_str_eq(_cmp(p, 4)->object, "email-addr");
  cr_assert_not(p->has_followedby);
  di_stix_pattern_free(p);
}

Test(stix_pattern, every_operator_literal_and_qualifier)
{
  DiStixPattern *p = _parse_ok("[network-traffic:dst_port >= 443 AND network-traffic:src_ref.value NOT IN "
                               "('1.1.1.1', '8.8.8.8') AND file:name LIKE 'a%' AND file:name MATCHES '^x' AND "
                               "file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.5 AND "
                               "file:size != -1 AND artifact:payload_bin = b'aGk=' AND file:hashes.MD5 = h'00' "
                               "AND EXISTS file:parent_directory_ref AND x-foo:flag = true] "
                               "REPEATS 5 TIMES WITHIN 300 SECONDS FOLLOWEDBY [process:name = 'a'] "
                               "START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'");
  cr_assert_eq(p->comparisons->len, 11);
  cr_assert_str_eq(_cmp(p, 1)->op, "NOT IN");
  cr_assert_null(_cmp(p, 1)->value);
  cr_assert_str_eq(_cmp(p, 4)->path[2], "sections");
  cr_assert_str_eq(_cmp(p, 4)->path[3], "[*]");
  cr_assert_not(_cmp(p, 6)->is_string, "b'...' is binary, not a string");
  cr_assert_str_eq(_cmp(p, 8)->op, "EXISTS");
  cr_assert(p->has_followedby);
  cr_assert(p->has_qualifiers);
  di_stix_pattern_free(p);
}

Test(stix_pattern, errors_carry_the_column)
{
  _assert_parse_error("", "column 1: the pattern is empty");
  _assert_parse_error("[ipv4-addr:value = '1.2.3.4'",
                      "column 29: expected AND, OR or ']' to close the '[' at column 1, found the end of the pattern");
  _assert_parse_error("[ipv4-addr:value = '1.2.3.4]", "column 20: string not closed: a ' is missing");
  _assert_parse_error("[ipv4-addr:value = 'a\\nb']",
                      "column 22: invalid escape '\\n' in a string (only \\' and \\\\ are allowed)");
  _assert_parse_error("[ipv4-addr:value '1.2.3.4']",
                      "column 18: expected a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, "
                      "ISSUPERSET), found ''1.2.3.4''");
  _assert_parse_error("[ipv4-addr value = '1']", "column 12: expected ':' after the object type, found 'value'");
  _assert_parse_error("ipv4-addr:value = '1'", "column 1: expected '[' to start an observation, found 'ipv4-addr'");
  _assert_parse_error("[a:b = '1'] OR", "column 15: expected '[' to start an observation, found the end of the pattern");
  _assert_parse_error("[a:b = '1']]", "column 12: expected AND, OR, FOLLOWEDBY or the end of the pattern, found ']'");
  _assert_parse_error("[a:b = '1' OR (c:d = '2']",
                      "column 25: expected ')' to close the '(' at column 15, found ']'");
  _assert_parse_error("[a:b = @]", "column 8: unexpected character '@'");
  _assert_parse_error("[a:b = '1'] WITHIN x SECONDS", "column 20: expected a number of seconds after WITHIN, found 'x'");
}

Test(stix_pattern, deep_nesting_is_refused)
{
  GString *s = g_string_new("");
  for (gint i = 0; i < 200; i++)
    g_string_append_c(s, '(');
  GError *error = NULL;
  cr_assert_null(di_stix_pattern_parse(s->str, &error));
  cr_assert(strstr(error->message, "nested more than 64 levels"), "%s", error->message);
  g_error_free(error);
  g_string_free(s, TRUE);
}

/* ---- OASIS example bundles -------------------------------------------- */

/* stix21_indicators-for-C2-with-COA.json, counted by reading the file: 8
 * objects, 2 indicators ([ipv4-addr:value = '10.0.0.0'] and one SHA-256),
 * both indicating a malware object (not an actor), both created by the
 * identity "The MITRE Corporation - DHS Support Team", no external refs. */
Test(feed_stix, oasis_c2_with_coa)
{
  gchar *path = data_feed("stix21_indicators-for-C2-with-COA.json");
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "stix");
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 2);
  cr_assert_eq(r.ignored, 0);
  cr_assert_eq(r.per_type[DI_TYPE_IPV4], 1);
  cr_assert_eq(r.per_type[DI_TYPE_SHA256], 1);
  cr_assert_eq(di_snapshot_count(r.snap), 2);
  feed_assert_entry(&r, DI_TYPE_IPV4, "10.0.0.0", "", "The MITRE Corporation - DHS Support Team",
                    "indicator--53fe3b22-0201-47cf-85d0-97c02164528d");
  feed_assert_entry(&r, DI_TYPE_SHA256, "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c", "",
                    NULL, "indicator--a932fcc6-e032-476c-826f-cb970a5a1ade");
  feed_read_clear(&r);
  g_free(path);
}

/* stix21_threat-report_poisonivy.json, counted by listing the 25 indicator
 * patterns (objects 33..57): 2 compare file:name (objects 43 and 57) and are
 * ignored; the other 23 hold 65 domain-name/ipv4-addr comparisons joined by
 * OR.  Object 42 compares domain-name:value = 'domain autuo.xicp.net' (sic,
 * with a space): one error at its pattern, 64 loaded.  Distinct values: 25
 * domains less that one = 24, and 18 IPv4 addresses (60.2.148.167,
 * 113.10.246.30 ... repeat across indicators).  No created_by_ref: source
 * "STIX"; no threat-actor objects (campaigns and malware only): no actor. */
Test(feed_stix, oasis_poisonivy_report)
{
  gchar *path = data_feed("stix21_threat-report_poisonivy.json");
  FeedRead r;
  feed_read(&r, path);
  cr_assert_eq(r.errors->len, 1);
  feed_assert_error(&r, 0, path, "$.objects[42].pattern: column 2: invalid domain 'domain autuo.xicp.net'");
  cr_assert_eq(r.loaded, 64);
  cr_assert_eq(r.ignored, 2);
  cr_assert_eq(r.per_type[DI_TYPE_DOMAIN], 24);
  cr_assert_eq(r.per_type[DI_TYPE_IPV4], 18);
  cr_assert_eq(di_snapshot_count(r.snap), 42);
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "www.webserver.dynssl.com", "", "STIX", NULL);
  feed_assert_entry(&r, DI_TYPE_IPV4, "219.76.208.163", "", "STIX", NULL);
  /* each comparison is an indicator of its own: object 42's address loads */
  feed_assert_entry(&r, DI_TYPE_IPV4, "60.10.1.115", "", "STIX", "indicator--4e4c4ad7-4909-456a-b6fa-e24a6f682a40");
  feed_read_clear(&r);
  g_free(path);
}

/* ---- hand-written bundles --------------------------------------------- */

#define BUNDLE_HEAD "{\"type\": \"bundle\", \"id\": \"bundle--1\", \"objects\": [\n"

static const gchar actors_bundle[] =
  BUNDLE_HEAD
  /* 0 */ "{\"type\": \"identity\", \"id\": \"identity--cisa\", \"name\": \"CISA\"},\n"
  /* 1 */ "{\"type\": \"threat-actor\", \"id\": \"threat-actor--1\", \"name\": \"HIDDEN COBRA\"},\n"
  /* 2 */ "{\"type\": \"intrusion-set\", \"id\": \"intrusion-set--1\", \"name\": \"Operation X\","
  "  \"aliases\": [\"Jade Sleet\"]},\n"
  /* 3 */ "{\"type\": \"campaign\", \"id\": \"campaign--1\", \"name\": \"Bybit\"},\n"
  /* 4 */ "{\"type\": \"indicator\", \"id\": \"indicator--a\", \"created_by_ref\": \"identity--cisa\","
  "  \"pattern_type\": \"stix\", \"confidence\": 85,"
  "  \"external_references\": [{\"source_name\": \"cisa\", \"url\": \"https://www.cisa.gov/aa22-108a\"}],"
  "  \"pattern\": \"[domain-name:value = 'unioncrypto.vip'] OR [url:value = 'http://unioncrypto.vip/x.zip']\"},\n"
  /* 5 */ "{\"type\": \"relationship\", \"id\": \"relationship--1\", \"relationship_type\": \"indicates\","
  "  \"source_ref\": \"indicator--a\", \"target_ref\": \"threat-actor--1\"},\n"
  /* 6 */ "{\"type\": \"indicator\", \"id\": \"indicator--b\","
  "  \"pattern\": \"[cryptocurrency-wallet:value = '0x098B716B8Aaf21512996dC57EB0615e2383E2f96' AND "
  "cryptocurrency-wallet:address = '125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU']\"},\n"
  /* 7 */ "{\"type\": \"relationship\", \"id\": \"relationship--2\", \"relationship_type\": \"indicates\","
  "  \"source_ref\": \"indicator--b\", \"target_ref\": \"campaign--1\"},\n"
  /* 8 */ "{\"type\": \"relationship\", \"id\": \"relationship--3\", \"relationship_type\": \"attributed-to\","
  "  \"source_ref\": \"campaign--1\", \"target_ref\": \"intrusion-set--1\"},\n"
  /* 9 */ "{\"type\": \"indicator\", \"id\": \"indicator--c\", \"labels\": [\"malicious-activity\", \"kimsuky\"],"
  "  \"pattern\": \"[ipv4-addr:value = '198.51.100.0/24' OR ipv6-addr:value = '2001:db8::1' OR "
  "email-addr:value = 'a@b.example' OR file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' OR "
  "file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']\"},\n"
  /* 10 */ "{\"type\": \"indicator\", \"id\": \"indicator--d\","
  "  \"pattern\": \"[ipv4-addr:value = '203.0.113.9' AND process:name = 'a.exe']\"},\n"
  /* 11 */ "{\"type\": \"indicator\", \"id\": \"indicator--e\", \"pattern_type\": \"yara\", \"pattern\": \"rule x {}\"},\n"
  /* 12 */ "{\"type\": \"indicator\", \"id\": \"indicator--f\", \"revoked\": true,"
  "  \"pattern\": \"[ipv4-addr:value = '203.0.113.10']\"},\n"
  /* 13 */ "{\"type\": \"indicator\", \"id\": \"indicator--g\", \"valid_until\": \"2020-01-01T00:00:00Z\","
  "  \"pattern\": \"[ipv4-addr:value = '203.0.113.11']\"},\n"
  /* 14 */ "{\"type\": \"indicator\", \"id\": \"indicator--h\", \"valid_until\": \"2099-01-01T00:00:00.000Z\","
  "  \"pattern\": \"[ipv4-addr:value != '203.0.113.12']\"}\n"
  "]}\n";

Test(feed_stix, actors_types_and_ignored_indicators)
{
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "bundle.json", actors_bundle, -1);
  FeedRead r;
  feed_read(&r, path);
  feed_assert_no_errors(&r);
  /* a: 2, b: 2, c: 5 loaded; d (process:name), e (yara), f (revoked), h (!=)
   * ignored; g expired */
  cr_assert_eq(r.loaded, 9);
  cr_assert_eq(r.ignored, 4);
  cr_assert_eq(r.expired, 1);

  /* indicates -> threat-actor "HIDDEN COBRA" = Lazarus Group */
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "unioncrypto.vip", "Lazarus Group", "CISA", "https://www.cisa.gov/aa22-108a");
  feed_assert_entry(&r, DI_TYPE_URL, "http://unioncrypto.vip/x.zip", "Lazarus Group", "CISA", NULL);
  gint64 e = feed_find(&r, DI_TYPE_DOMAIN, "unioncrypto.vip");
  cr_assert_eq(di_snapshot_entry_confidence(r.snap, e), 85);
  /* indicates -> campaign, attributed-to -> intrusion-set whose alias is known */
  feed_assert_entry(&r, DI_TYPE_ETH, "0x098B716B8Aaf21512996dC57EB0615e2383E2f96", "TraderTraitor", "STIX",
                    "indicator--b");
  feed_assert_entry(&r, DI_TYPE_BTC, "125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU", "TraderTraitor", NULL, NULL);
  /* no relationship: the label the alias table knows */
  feed_assert_entry(&r, DI_TYPE_CIDR, "198.51.100.0/24", "Kimsuky", NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_IPV6, "2001:db8::1", "Kimsuky", NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_EMAIL, "a@b.example", "Kimsuky", NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_MD5, "d41d8cd98f00b204e9800998ecf8427e", "Kimsuky", NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", "Kimsuky", NULL, NULL);
  cr_assert_lt(feed_find(&r, DI_TYPE_IPV4, "203.0.113.9"), 0, "half of an AND with process:name is not loaded");
  cr_assert_lt(feed_find(&r, DI_TYPE_IPV4, "203.0.113.11"), 0, "expired");
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
}

static void
_assert_bundle_error(const gchar *contents, const gchar *expected)
{
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "bundle.json", contents, -1);
  FeedRead r;
  feed_read_as(&r, path, &di_feed_format_stix);
  cr_assert_eq(r.errors->len, 1, "one error expected for: %s", expected);
  feed_assert_error(&r, 0, path, expected);
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
}

Test(feed_stix, errors_name_the_json_path)
{
  _assert_bundle_error(BUNDLE_HEAD "{\"type\": \"indicator\", \"id\": \"indicator--1\"}]}",
                       "$.objects[0]: indicator without a \"pattern\" string");
  _assert_bundle_error(BUNDLE_HEAD "{\"type\": \"identity\", \"name\": \"x\"},\n"
                       "{\"type\": \"indicator\", \"pattern\": \"[ipv4-addr:value = '1.2.3.4' OR]\"}]}",
                       "$.objects[1].pattern: column 32: expected an object path such as ipv4-addr:value, "
                       "found ']' in the STIX pattern");
  _assert_bundle_error(BUNDLE_HEAD "{\"type\": \"indicator\", \"confidence\": 150, \"pattern\": \"[ipv4-addr:value = '1.2.3.4']\"}]}",
                       "$.objects[0].confidence: confidence must be a whole number from 0 to 100, not 150");
  _assert_bundle_error(BUNDLE_HEAD "{\"type\": \"indicator\", \"valid_until\": \"soon\", \"pattern\": \"[ipv4-addr:value = '1.2.3.4']\"}]}",
                       "$.objects[0].valid_until: valid_until \"soon\" is not an ISO 8601 timestamp");
  _assert_bundle_error(BUNDLE_HEAD "{\"type\": \"indicator\", \"pattern\": \"[cryptocurrency-wallet:value = 'example.com']\"}]}",
                       "$.objects[0].pattern: column 2: 'example.com' is not a cryptocurrency address of a chain we know");
  _assert_bundle_error(BUNDLE_HEAD "{\"type\": \"indicator\", \"pattern\": \"[ipv4-addr:value = '999.1.2.3']\"}]}",
                       "$.objects[0].pattern: column 2: invalid ipv4 address '999.1.2.3'");
  _assert_bundle_error("{\"type\": \"bundle\", \"id\": \"bundle--1\"}",
                       "$: not a STIX 2.0 or 2.1 bundle: expected an object with an \"objects\" array");
}

Test(feed_stix, broken_json_gives_the_line)
{
  _assert_bundle_error("{\"type\": \"bundle\",\n"
                       " \"objects\": [\n"
                       "  {\"type\": \"indicator\",, \"pattern\": \"\"}\n"
                       " ]\n"
                       "}\n",
                       "3: invalid JSON at column 24: quoted object property name expected");
  _assert_bundle_error("{\"type\": \"bundle\", \"objects\": []}\n}\n",
                       "2: invalid JSON at column 1: text after the end of the document");
  _assert_bundle_error("  \n", "1: empty file: expected a JSON document");
}

/* Cut after 10000 bytes, the file ends inside "spec_ve... on line 234. */
Test(feed_stix, truncated_bundle_gives_the_last_line)
{
  gchar *dir = scratch_new();
  gchar *full = data_feed("stix21_threat-report_poisonivy.json");
  gchar *path = scratch_truncated(dir, "poisonivy.json", full, 10000);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "stix");
  cr_assert_eq(r.errors->len, 1);
  feed_assert_error(&r, 0, path, "234: the JSON document ends too early: the file is truncated, "
                    "or a closing bracket or quote is missing");
  cr_assert_eq(r.loaded, 0);
  feed_read_clear(&r);
  g_free(path);
  g_free(full);
  scratch_free(dir);
}

Test(feed_stix, detection_by_content)
{
  gchar *dir = scratch_new();
  /* "type" after a long first key still detects by the bundle id */
  gchar *path = scratch_write(dir, "feed.dat",
                              "{\"objects\": [], \"id\": \"bundle--63fe3b22-0201-47cf-85d0-97c02164528d\", "
                              "\"type\": \"bundle\"}", -1);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "stix");
  feed_assert_no_errors(&r);
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
}

/* ---- hostile input (issue 11): linear work --------------------------- */

/* 100,000 comparisons (3.4 MB): each comparison's column used to be counted
 * from the start of the pattern, about 95 s of CPU for this one (5 s for
 * 690 KB); counted on from the previous comparison it is one pass.  The
 * columns must still count characters, not bytes: a two-byte character
 * opens the pattern. */
Test(stix_pattern, columns_of_a_huge_pattern)
{
  const guint n = 100000;
  GString *text = g_string_new("[file:name = '\xc3\xa9'");
  for (guint i = 0; i < n; i++)
    g_string_append_printf(text, " OR ipv4-addr:value = '10.%u.%u.%u'", i >> 16, (i >> 8) & 255, i & 255);
  g_string_append_c(text, ']');
  DiStixPattern *p = _parse_ok(text->str);
  cr_assert_eq(p->comparisons->len, n + 1);
  /* "[file:name = 'é'" is 16 characters; each " OR ipv4-addr:value = '10.a.b.c'" adds 4 + its rest */
  guint column = 17;
  for (guint i = 0; i < n; i++)
    {
      gchar *value = g_strdup_printf("10.%u.%u.%u", i >> 16, (i >> 8) & 255, i & 255);
      column += 4;
      cr_assert_eq(_cmp(p, i + 1)->column, column, "comparison %u", i);
      cr_assert_str_eq(_cmp(p, i + 1)->value, value);
      column += strlen("ipv4-addr:value = ''") + strlen(value);
      g_free(value);
    }
  di_stix_pattern_free(p);
  /* an error after many comparisons still names the right column */
  g_string_truncate(text, text->len - 1);
  g_string_append(text, " OR ]");
  GError *error = NULL;
  cr_assert_null(di_stix_pattern_parse(text->str, &error));
  gchar *expected = g_strdup_printf("column %u: expected an object path such as ipv4-addr:value, found ']'", column + 4);
  cr_assert_str_eq(error->message, expected);
  g_free(expected);
  g_error_free(error);
  g_string_free(text, TRUE);
}

/* Reads path as STIX with a warnings list, as the loader does. */
static void
_read_with_warnings(FeedRead *r, const gchar *path, GPtrArray *warnings)
{
  memset(r, 0, sizeof(*r));
  r->format = &di_feed_format_stix;
  r->errors = g_ptr_array_new_with_free_func(g_free);
  DiSnapshotBuilder *builder = di_snapshot_builder_new();
  DiFeedContext ctx = { builder, path, NOW, r->errors, 0, 0, 0, warnings, 0 };
  r->format->read(&ctx);
  r->loaded = ctx.loaded;
  r->ignored = ctx.ignored;
  r->snap = di_snapshot_builder_finish(builder);
}

static void
_relationship(GString *b, guint *id, const gchar *type, const gchar *source, const gchar *target)
{
  g_string_append_printf(b, "{\"type\":\"relationship\",\"id\":\"relationship--%u\",\"relationship_type\":\"%s\","
                         "\"source_ref\":\"%s\",\"target_ref\":\"%s\"},\n", (*id)++, type, source, target);
}

/* n intrusion sets "Set i", each attributed-to every other: n * (n - 1)
 * relationships, cycles everywhere. */
static void
_intrusion_set_clique(GString *b, guint *id, guint n)
{
  for (guint i = 0; i < n; i++)
    g_string_append_printf(b, "{\"type\":\"intrusion-set\",\"id\":\"intrusion-set--%u\",\"name\":\"Set %u\"},\n", i, i);
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      if (i != j)
        {
          gchar *s = g_strdup_printf("intrusion-set--%u", i), *t = g_strdup_printf("intrusion-set--%u", j);
          _relationship(b, id, "attributed-to", s, t);
          g_free(s);
          g_free(t);
        }
}

/* k intrusion sets, each attributed-to every other (k*k relationships, cycles
 * everywhere); 50 indicators indicate set 0; the last set is attributed-to a
 * threat actor known as Jade Sleet.  The walk without a visited set followed
 * k^3 paths per indicator: with k = 200 that is 400 million steps for the
 * file (minutes; the 43 KB bundle took 52 s).  Now each set's
 * relationships are followed once, the limit is not reached, and the actor
 * three hops away is found. */
Test(feed_stix, relationship_cycles_cost_linear_work)
{
  const guint k = 200, indicators = 50;
  guint id = 0;
  GString *b = g_string_new(BUNDLE_HEAD);
  g_string_append(b, "{\"type\":\"threat-actor\",\"id\":\"threat-actor--x\",\"name\":\"Jade Sleet\"},\n");
  _intrusion_set_clique(b, &id, k);
  gchar *last = g_strdup_printf("intrusion-set--%u", k - 1);
  _relationship(b, &id, "attributed-to", last, "threat-actor--x");
  g_free(last);
  for (guint i = 0; i < indicators; i++)
    {
      gchar *ind = g_strdup_printf("indicator--%u", i);
      g_string_append_printf(b, "{\"type\":\"indicator\",\"id\":\"%s\",\"pattern\":\"[ipv4-addr:value = '198.51.100.%u']\"},\n",
                             ind, i);
      _relationship(b, &id, "indicates", ind, "intrusion-set--0");
      g_free(ind);
    }
  g_string_append(b, "{\"type\":\"identity\",\"id\":\"identity--end\",\"name\":\"end\"}]}\n");

  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "cycles.json", b->str, b->len);
  GPtrArray *warnings = g_ptr_array_new_with_free_func(g_free);
  FeedRead r;
  _read_with_warnings(&r, path, warnings);
  feed_assert_no_errors(&r);
  cr_assert_eq(warnings->len, 0, "the step limit is not reached: %s", warnings->len ? (gchar *) warnings->pdata[0] : "");
  cr_assert_eq(r.loaded, indicators);
  feed_assert_entry(&r, DI_TYPE_IPV4, "198.51.100.0", "TraderTraitor", NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_IPV4, "198.51.100.49", "TraderTraitor", NULL, NULL);
  feed_read_clear(&r);
  g_ptr_array_free(warnings, TRUE);
  g_free(path);
  scratch_free(dir);
  g_string_free(b, TRUE);
}

/* Where sharing cannot help -- 200 campaigns, each indicated by one indicator
 * and attributed-to all of 120 intrusion sets that are attributed-to each
 * other, no actor anywhere -- the walks would take 200 * 120 * 120 = 2.9
 * million steps; the bundle's budget (4096 + 64 per object) stops them,
 * says so once, and every indicator still loads, the last one with the
 * actor its label names. */
Test(feed_stix, relationship_work_has_a_budget)
{
  const guint campaigns = 200, sets = 120;
  /* the sets, their relationships, per campaign: itself, its indicator, the
   * indicates and the sets' relationships; the closing identity */
  const guint objects = sets + sets * (sets - 1) + campaigns * (3 + sets) + 1;
  guint id = 0;
  GString *b = g_string_new(BUNDLE_HEAD);
  _intrusion_set_clique(b, &id, sets);
  for (guint c = 0; c < campaigns; c++)
    {
      gchar *camp = g_strdup_printf("campaign--%u", c), *ind = g_strdup_printf("indicator--%u", c);
      g_string_append_printf(b, "{\"type\":\"campaign\",\"id\":\"%s\",\"name\":\"C%u\"},\n", camp, c);
      g_string_append_printf(b, "{\"type\":\"indicator\",\"id\":\"%s\",%s\"pattern\":\"[ipv4-addr:value = '203.0.%u.%u']\"},\n",
                             ind, c == campaigns - 1 ? "\"labels\":[\"Kimsuky\"]," : "", c / 256, c % 256);
      _relationship(b, &id, "indicates", ind, camp);
      for (guint i = 0; i < sets; i++)
        {
          gchar *t = g_strdup_printf("intrusion-set--%u", i);
          _relationship(b, &id, "attributed-to", camp, t);
          g_free(t);
        }
      g_free(camp);
      g_free(ind);
    }
  g_string_append(b, "{\"type\":\"identity\",\"id\":\"identity--end\",\"name\":\"end\"}]}\n");

  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "budget.json", b->str, b->len);
  GPtrArray *warnings = g_ptr_array_new_with_free_func(g_free);
  FeedRead r;
  _read_with_warnings(&r, path, warnings);
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, campaigns);
  cr_assert_eq(warnings->len, 1);
  gchar *expected = g_strdup_printf("%s:$.objects: relationships: stopped following them after %u steps (the limit "
                                    "for %u objects): the actors of the indicators after that come from labels, "
                                    "actor objects and reports only",
                                    path, DI_STIX_STEPS_FLOOR + DI_STIX_STEPS_PER_OBJECT * objects, objects);
  cr_assert_str_eq(warnings->pdata[0], expected);
  feed_assert_entry(&r, DI_TYPE_IPV4, "203.0.0.199", "Kimsuky", NULL, NULL);
  g_free(expected);
  feed_read_clear(&r);
  g_ptr_array_free(warnings, TRUE);
  g_free(path);
  scratch_free(dir);
  g_string_free(b, TRUE);
}

/* ---- STIX 2.0, actors without relationships, network-traffic ----------- */

static const gchar stix20_bundle[] =
  "{\"type\": \"bundle\", \"id\": \"bundle--2\", \"spec_version\": \"2.0\", \"objects\": [\n"
  /* 0 */ "{\"type\": \"identity\", \"id\": \"identity--t\", \"name\": \"Talos\"},\n"
  /* 1: the name wins over an alias list that lumps several actors */
  "{\"type\": \"threat-actor\", \"id\": \"threat-actor--l\", \"name\": \"Lazarus Group\","
  "  \"labels\": [\"nation-state\"], \"aliases\": [\"Andariel\", \"APT38\", \"Bluenoroff\"]},\n"
  /* 2 */ "{\"type\": \"report\", \"id\": \"report--1\", \"name\": \"Lazarus and the tale of three RATs\","
  "  \"labels\": [\"Threat-Report\"], \"object_refs\": [\"indicator--1\"]},\n"
  /* 3 */ "{\"type\": \"indicator\", \"id\": \"indicator--1\", \"created_by_ref\": \"identity--t\","
  "  \"labels\": [\"malicious-activity\"], \"pattern\": \"[network-traffic:src_ref.type = 'ipv4-addr' AND "
  "network-traffic:src_ref.value = '193.56.28.251']\"},\n"
  /* 4 */ "{\"type\": \"indicator\", \"id\": \"indicator--2\", \"labels\": [\"malicious-activity\"],"
  "  \"pattern\": \"[network-traffic:dst_ref.value = '2001:db8::7' AND network-traffic:dst_port = 443] OR "
  "[network-traffic:dst_ref.value = 'c2.example.net']\"},\n"
  /* 5: a hash with its file name */
  "{\"type\": \"indicator\", \"id\": \"indicator--3\", \"labels\": [\"malicious-activity\"],"
  "  \"pattern\": \"[file:hashes.'SHA-256' = '4958fe8c106200da988c22957821513efd05803460e8e5fcfedb5cbca8d87a5b' AND "
  "file:name = 'a.exe']\"},\n"
  /* 6: typed benign: not loaded */
  "{\"type\": \"indicator\", \"id\": \"indicator--4\", \"labels\": [\"benign\"],"
  "  \"pattern\": \"[domain-name:value = 'box.com']\"},\n"
  /* 7: a file name alone, a port beside an address, a MAC: ignored or refused */
  "{\"type\": \"indicator\", \"id\": \"indicator--5\", \"labels\": [\"malicious-activity\"],"
  "  \"pattern\": \"[file:name = 'a.exe']\"},\n"
  "{\"type\": \"indicator\", \"id\": \"indicator--6\", \"labels\": [\"malicious-activity\"],"
  "  \"pattern\": \"[ipv4-addr:value = '198.51.100.1' AND network-traffic:dst_port = 443]\"},\n"
  "{\"type\": \"indicator\", \"id\": \"indicator--7\", \"labels\": [\"malicious-activity\"],"
  "  \"pattern\": \"[network-traffic:dst_ref.value = '00:11:22:33:44:55']\"}\n"
  "]}\n";

Test(feed_stix, stix20_single_actor_and_network_traffic)
{
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "bundle.json", stix20_bundle, -1);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "stix");
  cr_assert_eq(r.errors->len, 1);
  feed_assert_error(&r, 0, path, "$.objects[9].pattern: column 2: '00:11:22:33:44:55' is not an IP address or a domain name");
  /* 1 + 2 + 1 loaded; benign, the file name alone and the bare port beside an ipv4-addr ignored */
  cr_assert_eq(r.loaded, 4);
  cr_assert_eq(r.ignored, 3);
  feed_assert_entry(&r, DI_TYPE_IPV4, "193.56.28.251", "Lazarus Group", "Talos", "indicator--1");
  feed_assert_entry(&r, DI_TYPE_IPV6, "2001:db8::7", "Lazarus Group", "STIX", NULL);
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "c2.example.net", "Lazarus Group", NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_SHA256, "4958fe8c106200da988c22957821513efd05803460e8e5fcfedb5cbca8d87a5b",
                    "Lazarus Group", NULL, NULL);
  cr_assert_lt(feed_find(&r, DI_TYPE_DOMAIN, "box.com"), 0, "typed benign");
  gint64 e = feed_find(&r, DI_TYPE_IPV4, "193.56.28.251");
  cr_assert_eq(di_snapshot_entry_nexus(r.snap, e), DI_NEXUS_DPRK);
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
}

/* Without relationships or actor objects: the report's labels (machine
 * tags), then its name, then words in it; several actor objects naming
 * different actors name none; a report labelled DPRK gives the nexus. */
static void
_assert_report_actor(const gchar *objects, const gchar *actor, DiNexus nexus)
{
  gchar *text = g_strconcat(BUNDLE_HEAD, objects,
                            "{\"type\": \"indicator\", \"id\": \"indicator--1\", \"pattern\": \"[ipv4-addr:value = '203.0.113.5']\"}]}",
                            NULL);
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "bundle.json", text, -1);
  FeedRead r;
  feed_read(&r, path);
  feed_assert_no_errors(&r);
  feed_assert_entry(&r, DI_TYPE_IPV4, "203.0.113.5", actor, NULL, NULL);
  cr_assert_eq(di_snapshot_entry_nexus(r.snap, feed_find(&r, DI_TYPE_IPV4, "203.0.113.5")), nexus, "%s", objects);
  feed_read_clear(&r);
  g_free(path);
  g_free(text);
  scratch_free(dir);
}

Test(feed_stix, actors_from_reports_and_actor_objects)
{
  _assert_report_actor("{\"type\": \"report\", \"id\": \"report--1\", \"name\": \"BeaverTail and OtterCookie evolve\","
                       " \"labels\": [\"Threat-Report\", \"recorded-future:threat-actor=Famous Chollima\", \"DPRK\"]},\n",
                       "Famous Chollima", DI_NEXUS_DPRK);
  _assert_report_actor("{\"type\": \"report\", \"id\": \"report--1\", \"name\": \"Jade Sleet\"},\n",
                       "TraderTraitor", DI_NEXUS_DPRK);
  _assert_report_actor("{\"type\": \"report\", \"id\": \"report--1\", \"name\": \"MagicRAT: Lazarus\xe2\x80\x99 latest gateway\","
                       " \"labels\": [\"Threat-Report\", \"APT Lazarus\"]},\n", "Lazarus Group", DI_NEXUS_DPRK);
  _assert_report_actor("{\"type\": \"report\", \"id\": \"report--1\", \"name\": \"MoonPeak malware from North Korean actors\","
                       " \"labels\": [\"Threat-Report\", \"DPRK\", \"North Korea \"]},\n", "", DI_NEXUS_DPRK);
  _assert_report_actor("{\"type\": \"report\", \"id\": \"report--1\", \"name\": \"Some campaign\", \"labels\": [\"x\"]},\n",
                       "", DI_NEXUS_UNKNOWN);
  /* two actor objects that disagree: no bundle actor; the report decides */
  _assert_report_actor("{\"type\": \"threat-actor\", \"id\": \"threat-actor--1\", \"name\": \"Kimsuky\"},\n"
                       "{\"type\": \"intrusion-set\", \"id\": \"intrusion-set--1\", \"name\": \"APT37\"},\n"
                       "{\"type\": \"report\", \"id\": \"report--1\", \"name\": \"ScarCruft again\"},\n",
                       "APT37", DI_NEXUS_DPRK);
  /* two that agree (a threat actor and an intrusion set of one group) */
  _assert_report_actor("{\"type\": \"threat-actor\", \"id\": \"threat-actor--1\", \"name\": \"Diamond Sleet\"},\n"
                       "{\"type\": \"intrusion-set\", \"id\": \"intrusion-set--1\", \"name\": \"Lazarus Group\"},\n",
                       "Lazarus Group", DI_NEXUS_DPRK);
  /* an unknown name whose aliases disagree stays raw: the file's own word */
  _assert_report_actor("{\"type\": \"intrusion-set\", \"id\": \"intrusion-set--1\", \"name\": \"Cluster 9\","
                       " \"aliases\": [\"Kimsuky\", \"Andariel\"]},\n", "Cluster 9", DI_NEXUS_UNKNOWN);
  /* ... and one whose known aliases agree takes them */
  _assert_report_actor("{\"type\": \"intrusion-set\", \"id\": \"intrusion-set--1\", \"name\": \"Cluster 9\","
                       " \"aliases\": [\"Onyx Sleet\", \"x\", \"Andariel\"]},\n", "Andariel", DI_NEXUS_DPRK);
  /* MISP's converter: the event's threat-actor attribute */
  _assert_report_actor("{\"type\": \"x-misp-attribute\", \"id\": \"x-misp-attribute--1\", \"x_misp_type\": \"threat-actor\","
                       " \"x_misp_value\": \"Lazarus\"},\n", "Lazarus Group", DI_NEXUS_DPRK);
}

Test(feed_stix, unknown_spec_version_is_a_warning)
{
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "bundle.json", "{\"type\": \"bundle\", \"spec_version\": \"3.0\", \"objects\": ["
                              "{\"type\": \"indicator\", \"pattern\": \"[ipv4-addr:value = '203.0.113.5']\"}]}", -1);
  GPtrArray *warnings = g_ptr_array_new_with_free_func(g_free);
  FeedRead r;
  _read_with_warnings(&r, path, warnings);
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 1);
  cr_assert_eq(warnings->len, 1);
  gchar *expected = g_strconcat(path, ":$.spec_version: spec_version '3.0' is not 2.0 or 2.1: read as 2.1", NULL);
  cr_assert_str_eq(warnings->pdata[0], expected);
  g_free(expected);
  feed_read_clear(&r);
  g_ptr_array_free(warnings, TRUE);
  g_free(path);
  scratch_free(dir);
}

/* ---- vendors' published DPRK bundles ----------------------------------- */

static gchar *
vendor_feed(const gchar *name)
{
  return g_build_filename(DI_SRCDIR, "tests", "data", "feeds", "vendors", name, NULL);
}

typedef struct
{
  const gchar *file;
  guint loaded, ignored, sha256, ipv4, url, domain, email;
  const gchar *actor;           /* of every entry ("" none) */
  DiNexus nexus;                /* of every entry */
  const gchar *value;           /* one value ... */
  DiType type;                  /* ... of this type */
} VendorBundle;

/* Counted with python over each file (indicator objects, their patterns'
 * comparisons classified as the reader does; distinct values per type).
 * Talos (MISP-STIX-Converter, STIX 2.0): a threat-actor "Lazarus Group" and
 * no relationships; IPs as network-traffic src_ref values -- 29 of them, 28
 * distinct, in the four files that have any; CollectionRAT writes its 3 C2
 * IPs as url:value = '146.4.21.94' (loaded as the IPs).  MoonPeak has no actor object,
 * but MISP's threat-actor attribute (x-misp-attribute "UAT-5394"); BeaverTail's report is labelled with Recorded Future's actor
 * tag.  Unit 42 playbooks (STIX 2.0): indicators indicate campaigns
 * attributed-to the intrusion set; the ignored ones are registry keys,
 * command lines and e-mail subjects; Crooked Pisces lists one SHA-256 twice. */
static const VendorBundle vendor_bundles[] =
{
  { "talos/2022-09-lazarus-magicrat.json", 21, 0, 10, 5, 6, 0, 0, "Lazarus Group", DI_NEXUS_DPRK,
    "193.56.28.251", DI_TYPE_IPV4 },
  { "talos/2022-09-lazarus-three-rats.json", 67, 0, 15, 11, 41, 0, 0, "Lazarus Group", DI_NEXUS_DPRK,
    "104.155.149.103", DI_TYPE_IPV4 },
  { "talos/2023-08-lazarus-collectionrat.json", 15, 0, 5, 3, 7, 0, 0, "Lazarus Group", DI_NEXUS_DPRK,
    "146.4.21.94", DI_TYPE_IPV4 },
  { "talos/2023-08-lazarus-quiterat.json", 6, 0, 1, 1, 4, 0, 0, "Lazarus Group", DI_NEXUS_DPRK, NULL, 0 },
  { "talos/2024-08-moonpeak-infrastructure-north-korea.json", 41, 0, 25, 12, 0, 4, 0, "UAT-5394", DI_NEXUS_DPRK,
    "91.194.161.109", DI_TYPE_IPV4 },
  { "talos/2025-10-beavertail-and-ottercookie.json", 32, 0, 13, 0, 19, 0, 0, "Famous Chollima", DI_NEXUS_DPRK,
    "http://23.227.202.244:1224/uploads", DI_TYPE_URL },
  { "unit42/crooked-pisces.json", 53, 5, 32, 5, 11, 4, 0, "Konni", DI_NEXUS_DPRK,
    "4958fe8c106200da988c22957821513efd05803460e8e5fcfedb5cbca8d87a5b", DI_TYPE_SHA256 },
  { "unit42/moldypisces.json", 37, 4, 17, 0, 15, 4, 1, "APT37", DI_NEXUS_DPRK, "dropboxapi.com", DI_TYPE_DOMAIN },
};

Test(feed_stix, vendor_bundles)
{
  for (gsize i = 0; i < G_N_ELEMENTS(vendor_bundles); i++)
    {
      const VendorBundle *v = &vendor_bundles[i];
      gchar *path = vendor_feed(v->file);
      FeedRead r;
      feed_read(&r, path);
      cr_assert_str_eq(r.format->name, "stix", "%s", v->file);
      feed_assert_no_errors(&r);
      cr_assert_eq(r.loaded, v->loaded, "%s: loaded %u", v->file, r.loaded);
      cr_assert_eq(r.ignored, v->ignored, "%s: ignored %u", v->file, r.ignored);
      cr_assert_eq(r.per_type[DI_TYPE_SHA256], v->sha256, "%s: sha256", v->file);
      cr_assert_eq(r.per_type[DI_TYPE_IPV4], v->ipv4, "%s: ipv4", v->file);
      cr_assert_eq(r.per_type[DI_TYPE_URL], v->url, "%s: url", v->file);
      cr_assert_eq(r.per_type[DI_TYPE_DOMAIN], v->domain, "%s: domain", v->file);
      cr_assert_eq(r.per_type[DI_TYPE_EMAIL], v->email, "%s: email", v->file);
      for (guint32 e = 0; e < di_snapshot_count(r.snap); e++)
        {
          cr_assert_str_eq(di_snapshot_entry_actor(r.snap, e), v->actor, "%s: entry %u", v->file, e);
          cr_assert_eq(di_snapshot_entry_nexus(r.snap, e), v->nexus, "%s: entry %u", v->file, e);
        }
      if (v->value)
        feed_assert_entry(&r, v->type, v->value, v->actor, NULL, NULL);
      feed_read_clear(&r);
      g_free(path);
    }
}
