/* test-feed-stix.c: the STIX pattern parser and the STIX 2.1 bundle reader,
 * on OASIS's published example bundles and on hand-written ones. */
#include "feed-test-util.h"
#include "stix-pattern.h"

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
                       "$: not a STIX 2.1 bundle: expected an object with an \"objects\" array");
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
