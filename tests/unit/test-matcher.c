/* test-matcher.c: scanning + lookup over several fields, and the report of
 * INTERFACE §1 built from the matches. */
#include <criterion/criterion.h>
#include "match-report.h"
#include "normalize.h"
#include <json.h>
#include <string.h>

#define NOW 1764064800

static DiSnapshot *
_snapshot(void)
{
  static const struct { DiType type; const char *value; const char *actor; const char *source; gint64 until; } rows[] =
  {
    { DI_TYPE_ETH, "0x098B716B8Aaf21512996dC57EB0615e2383E2f96", "LAZARUS GROUP", "OFAC SDN", 0 },
    { DI_TYPE_ETH, "0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D", "Jade Sleet", "FBI", 0 },
    { DI_TYPE_DOMAIN, "celasllc.com", "Lazarus Group", "maltrail", 0 },
    { DI_TYPE_IPV4, "185.142.236.226", "Lazarus Group", "maltrail", 0 },
    { DI_TYPE_IPV4, "203.0.113.99", "Lazarus Group", "old", NOW - 1 },
  };
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  for (gsize i = 0; i < G_N_ELEMENTS(rows); i++)
    {
      DiKey key;
      GError *error = NULL;
      cr_assert(di_normalize(rows[i].type, rows[i].value, strlen(rows[i].value), &key, NULL, &error),
                "%s", error ? error->message : "");
      DiIndicatorMeta meta = { rows[i].actor, rows[i].source, "https://ref", NULL, 90, rows[i].until };
      di_snapshot_builder_add(b, rows[i].type, &key, &meta);
    }
  return di_snapshot_builder_finish(b);
}

Test(matcher, nothing_matches_in_clean_text)
{
  DiSnapshot *snap = _snapshot();
  DiMatchSet set;
  di_match_set_init(&set);
  const char *text = "GET /api/v3/ticker 200 from 198.51.100.23 host api.binance.com";
  cr_assert_eq(di_match_text(snap, text, strlen(text), 0, NOW, &set), 0);
  cr_assert_eq(set.n, 0);
  di_match_set_clear(&set);
  di_snapshot_unref(snap);
}

Test(matcher, distinct_matches_over_fields_and_report)
{
  DiSnapshot *snap = _snapshot();
  DiMatchSet set;
  di_match_set_init(&set);
  const char *names[] = { "json.to_address", "MESSAGE" };
  const char *texts[] =
  {
    "0x098B716B8Aaf21512996dC57EB0615e2383E2f96",
    "to 0x098b716b8aaf21512996dc57eb0615e2383e2f96 and 0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D "
    "via http://download.celasllc.com/x from 185.142.236.226:443, 203.0.113.99",
  };
  di_match_text(snap, texts[0], strlen(texts[0]), 0, NOW, &set);
  di_match_text(snap, texts[1], strlen(texts[1]), 1, NOW, &set);
  cr_assert_eq(set.n, 4, "eth twice counts once, the expired IP not at all: %u", set.n);

  DiReport r;
  di_report_init(&r);
  di_report_build(&r, snap, &set, names, texts);
  cr_assert_str_eq(r.values[DI_OUT_INDICATOR]->str, "0x098b716b8aaf21512996dc57eb0615e2383e2f96");
  cr_assert_str_eq(r.values[DI_OUT_TYPE]->str, "eth");
  cr_assert_str_eq(r.values[DI_OUT_FIELD]->str, "json.to_address");
  cr_assert_str_eq(r.values[DI_OUT_ACTOR]->str, "Lazarus Group");
  cr_assert_str_eq(r.values[DI_OUT_ACTORS]->str, "Lazarus Group,TraderTraitor");
  cr_assert_str_eq(r.values[DI_OUT_SOURCE]->str, "OFAC SDN");
  cr_assert_str_eq(r.values[DI_OUT_CONFIDENCE]->str, "90");
  cr_assert_str_eq(r.values[DI_OUT_REFERENCE]->str, "https://ref");
  cr_assert_str_eq(r.values[DI_OUT_MATCH_COUNT]->str, "4");

  json_object *matches = json_tokener_parse(r.values[DI_OUT_MATCHES]->str);
  cr_assert_not_null(matches);
  cr_assert_eq(json_object_array_length(matches), 4);
  json_object *first = json_object_array_get_idx(matches, 0), *o, *v;
  json_object_object_get_ex(first, "matched", &o);
  json_object_object_get_ex(o, "atomic", &v);
  cr_assert_str_eq(json_object_get_string(v), "0x098B716B8Aaf21512996dC57EB0615e2383E2f96");
  json_object_object_get_ex(o, "field", &v);
  cr_assert_str_eq(json_object_get_string(v), "json.to_address");
  json_object_object_get_ex(first, "indicator", &o);
  json_object_object_get_ex(o, "provider", &v);
  cr_assert_str_eq(json_object_get_string(v), "OFAC SDN");
  json_object_object_get_ex(o, "type", &v);
  cr_assert_str_eq(json_object_get_string(v), "eth");
  json_object_object_get_ex(first, "dprk_intel", &o);
  json_object_object_get_ex(o, "actor", &v);
  cr_assert_str_eq(json_object_get_string(v), "Lazarus Group");

  json_object *third = json_object_array_get_idx(matches, 2);
  json_object_object_get_ex(third, "matched", &o);
  json_object_object_get_ex(o, "atomic", &v);
  cr_assert_str_eq(json_object_get_string(v), "download.celasllc.com");
  json_object_object_get_ex(third, "indicator", &o);
  json_object_object_get_ex(o, "name", &v);
  cr_assert_str_eq(json_object_get_string(v), "celasllc.com");
  json_object_put(matches);

  di_report_clear(&r);
  di_match_set_clear(&set);
  di_snapshot_unref(snap);
}

/* A snapshot of n distinct IPv4 addresses, and a text naming each once. */
static DiSnapshot *
_ip_snapshot(gint n, GString *text)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  for (gint i = 0; i < n; i++)
    {
      gchar ip[32];
      g_snprintf(ip, sizeof(ip), "10.0.%d.%d", i / 250, i % 250 + 1);
      DiKey key;
      cr_assert(di_normalize(DI_TYPE_IPV4, ip, strlen(ip), &key, NULL, NULL));
      di_snapshot_builder_add(b, DI_TYPE_IPV4, &key, NULL);
      g_string_append_printf(text, "%s ", ip);
    }
  return di_snapshot_builder_finish(b);
}

Test(matcher, many_matches_grow_past_inline_storage)
{
  GString *text = g_string_new("");
  DiSnapshot *snap = _ip_snapshot(40, text);
  DiMatchSet set;
  di_match_set_init(&set);
  cr_assert_eq(di_match_text(snap, text->str, text->len, 0, NOW, &set), 40);
  di_match_set_reset(&set);
  cr_assert_eq(set.n, 0);
  di_match_set_clear(&set);
  g_string_free(text, TRUE);
  di_snapshot_unref(snap);
}

/* The JSON value at path ("a.b.c", array indexes as numbers) in the report's matches. */
static gchar *
_json_at(const DiReport *r, const char *path)
{
  json_object *root = json_tokener_parse(r->values[DI_OUT_MATCHES]->str), *o = root;
  cr_assert_not_null(root);
  gchar **parts = g_strsplit(path, ".", -1);
  for (gchar **p = parts; *p && o; p++)
    {
      if (g_ascii_isdigit(**p))
        o = json_object_array_get_idx(o, atoi(*p));
      else if (!json_object_object_get_ex(o, *p, &o))
        o = NULL;
    }
  gchar *out = g_strdup(o ? json_object_get_string(o) : "(none)");
  g_strfreev(parts);
  json_object_put(root);
  return out;
}

Test(matcher, one_value_two_feeds_is_one_match_with_both_attributions)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  DiKey key;
  const char *v = "0x098B716B8Aaf21512996dC57EB0615e2383E2f96";
  cr_assert(di_normalize(DI_TYPE_ETH, v, strlen(v), &key, NULL, NULL));
  /* the unattributed list first: its row must not become the primary */
  DiIndicatorMeta list = { NULL, "plain list", NULL, NULL, 100, 0 };
  DiIndicatorMeta ofac = { "Lazarus Group", "OFAC SDN", "https://ofac", NULL, 90, 0, "DPRK3", DI_NEXUS_DPRK };
  DiIndicatorMeta fbi = { "TraderTraitor", "FBI", "https://fbi", NULL, 90, 0 };
  di_snapshot_builder_add(b, DI_TYPE_ETH, &key, &list);
  di_snapshot_builder_add(b, DI_TYPE_ETH, &key, &ofac);
  di_snapshot_builder_add(b, DI_TYPE_ETH, &key, &fbi);
  DiSnapshot *snap = di_snapshot_builder_finish(b);
  DiMatchSet set;
  di_match_set_init(&set);
  di_match_text(snap, v, strlen(v), 0, NOW, &set);
  cr_assert_eq(set.n, 1, "one value, one match");
  DiReport r;
  di_report_init(&r);
  const char *names[] = { "MESSAGE" }, *texts[] = { v };
  di_report_build(&r, snap, &set, names, texts);
  cr_assert_str_eq(r.values[DI_OUT_MATCH_COUNT]->str, "1");
  cr_assert_str_eq(r.values[DI_OUT_ACTOR]->str, "Lazarus Group", "the attributed row is the primary");
  cr_assert_str_eq(r.values[DI_OUT_SOURCE]->str, "OFAC SDN");
  cr_assert_str_eq(r.values[DI_OUT_REFERENCE]->str, "https://ofac");
  cr_assert_str_eq(r.values[DI_OUT_PROGRAM]->str, "DPRK3");
  cr_assert_str_eq(r.values[DI_OUT_ACTORS]->str, "Lazarus Group,TraderTraitor");
  cr_assert_eq(r.n_actors, 2);

  gchar *got = _json_at(&r, "0.dprk_intel.attributions.1.actor");
  cr_assert_str_eq(got, "TraderTraitor");
  g_free(got);
  got = _json_at(&r, "0.dprk_intel.attributions.2.source");
  cr_assert_str_eq(got, "plain list", "the unattributed row is listed too");
  g_free(got);
  got = _json_at(&r, "0.dprk_intel.attributions.0.program");
  cr_assert_str_eq(got, "DPRK3");
  g_free(got);
  got = _json_at(&r, "0.dprk_intel.nexus");
  cr_assert_str_eq(got, "dprk");
  g_free(got);
  got = _json_at(&r, "0.indicator.provider");
  cr_assert_str_eq(got, "OFAC SDN");
  g_free(got);
  di_report_clear(&r);
  di_match_set_clear(&set);
  di_snapshot_unref(snap);
}

/* A DPRK-linked value, a value of another sanctions program and one of an
 * undeclared feed in one text: each in its own section. */
Test(matcher, dprk_and_other_matches_are_reported_apart)
{
  static const struct { const char *value; DiIndicatorMeta meta; } rows[] =
  {
    { "0x098B716B8Aaf21512996dC57EB0615e2383E2f96", { "Lazarus Group", "OFAC SDN", NULL, NULL, 90, 0, "DPRK3" } },
    { "0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9", { "GARANTEX EUROPE OU", "OFAC SDN", "https://garantex", NULL, 95,
                                                     0, "RUSSIA-EO14024", DI_NEXUS_OTHER } },
    { "198.51.100.44", { NULL, "some blocklist", NULL, NULL, -1, 0 } },
  };
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  for (gsize i = 0; i < G_N_ELEMENTS(rows); i++)
    {
      DiKey key;
      DiType type;
      cr_assert(di_normalize(DI_TYPE_NONE, rows[i].value, strlen(rows[i].value), &key, &type, NULL));
      di_snapshot_builder_add(b, type, &key, &rows[i].meta);
    }
  DiSnapshot *snap = di_snapshot_builder_finish(b);
  const char *names[] = { "MESSAGE" };
  DiMatchSet set;
  DiReport r;
  di_match_set_init(&set);
  di_report_init(&r);

  /* others only: no DPRK section at all */
  const char *others = "to 0x7ff9cfad3877f21d41da833e2f775db0569ee3d9 from 198.51.100.44";
  di_match_text(snap, others, strlen(others), 0, NOW, &set);
  di_report_build(&r, snap, &set, names, &others);
  cr_assert_eq(r.n_dprk, 0);
  cr_assert_eq(r.n_other, 2);
  cr_assert(r.sanctions, "listed under another sanctions program");
  cr_assert_eq(r.n_actors, 0, "no DPRK actor to tag");
  cr_assert_not(di_report_has(&r, DI_OUT_INDICATOR));
  cr_assert_not(di_report_has(&r, DI_OUT_MATCH_COUNT));
  cr_assert(di_report_has(&r, DI_OUT_MATCHES));
  cr_assert(di_report_has(&r, DI_OUT_OTHER_INDICATOR));
  cr_assert_str_eq(r.values[DI_OUT_OTHER_INDICATOR]->str, "0x7ff9cfad3877f21d41da833e2f775db0569ee3d9");
  cr_assert_str_eq(r.values[DI_OUT_OTHER_ACTOR]->str, "GARANTEX EUROPE OU");
  cr_assert_str_eq(r.values[DI_OUT_OTHER_ACTORS]->str, "GARANTEX EUROPE OU");
  cr_assert_str_eq(r.values[DI_OUT_OTHER_PROGRAM]->str, "RUSSIA-EO14024");
  cr_assert_str_eq(r.values[DI_OUT_OTHER_REFERENCE]->str, "https://garantex");
  cr_assert_str_eq(r.values[DI_OUT_OTHER_MATCH_COUNT]->str, "2");
  gchar *got = _json_at(&r, "1.dprk_intel.nexus");
  cr_assert_str_eq(got, "unknown", "an unattributed row of an undeclared feed");
  g_free(got);
  got = _json_at(&r, "0.dprk_intel.nexus");
  cr_assert_str_eq(got, "other");
  g_free(got);

  /* all three: the DPRK section describes the DPRK-linked one only */
  const char *all = "198.51.100.44 0x7ff9cfad3877f21d41da833e2f775db0569ee3d9 0x098b716b8aaf21512996dc57eb0615e2383e2f96";
  di_match_set_reset(&set);
  di_match_text(snap, all, strlen(all), 0, NOW, &set);
  di_report_build(&r, snap, &set, names, &all);
  cr_assert_eq(r.n_dprk, 1);
  cr_assert_eq(r.n_other, 2);
  cr_assert_str_eq(r.values[DI_OUT_INDICATOR]->str, "0x098b716b8aaf21512996dc57eb0615e2383e2f96",
                   "the primary is DPRK-linked though it came last");
  cr_assert_str_eq(r.values[DI_OUT_ACTORS]->str, "Lazarus Group");
  cr_assert_str_eq(r.values[DI_OUT_MATCH_COUNT]->str, "1");
  cr_assert_str_eq(r.values[DI_OUT_OTHER_INDICATOR]->str, "198.51.100.44");
  cr_assert_str_eq(r.values[DI_OUT_OTHER_MATCH_COUNT]->str, "2");
  got = _json_at(&r, "2.indicator.name");
  cr_assert_str_eq(got, "0x098b716b8aaf21512996dc57eb0615e2383e2f96", "matches keep the order of the text");
  g_free(got);

  DiMatchSet dprk;
  di_match_set_init(&dprk);
  di_report_select_dprk(snap, &set, &dprk);
  cr_assert_eq(dprk.n, 1);
  cr_assert_eq(dprk.matches[0].entry, 0);
  di_match_set_clear(&dprk);

  di_report_clear(&r);
  di_match_set_clear(&set);
  di_snapshot_unref(snap);
}

Test(matcher, expired_attribution_is_not_the_primary)
{
  DiKey key;
  const char *v = "203.0.113.5";
  cr_assert(di_normalize(DI_TYPE_IPV4, v, strlen(v), &key, NULL, NULL));
  DiIndicatorMeta expired = { "Lazarus Group", "old feed", NULL, NULL, 100, NOW - 10 };
  DiIndicatorMeta live = { "Kimsuky", "new feed", NULL, NULL, 50, 0 };
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &key, &expired);
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &key, &live);
  DiSnapshot *snap = di_snapshot_builder_finish(b);
  DiMatchSet set;
  DiReport r;
  di_match_set_init(&set);
  di_report_init(&r);
  const char *names[] = { "MESSAGE" };
  di_match_text(snap, v, strlen(v), 0, NOW, &set);
  di_report_build(&r, snap, &set, names, &v);
  cr_assert_str_eq(r.values[DI_OUT_ACTOR]->str, "Kimsuky");
  cr_assert_str_eq(r.values[DI_OUT_ACTORS]->str, "Kimsuky", "the expired attribution's actor is left out");
  gchar *got = _json_at(&r, "0.dprk_intel.attributions");
  cr_assert_str_eq(got, "(none)", "one live attribution: no list");
  g_free(got);

  /* before it expired, both */
  di_match_set_reset(&set);
  di_match_text(snap, v, strlen(v), 0, NOW - 20, &set);
  di_report_build(&r, snap, &set, names, &v);
  cr_assert_str_eq(r.values[DI_OUT_ACTOR]->str, "Lazarus Group");
  cr_assert_str_eq(r.values[DI_OUT_ACTORS]->str, "Lazarus Group,Kimsuky");
  di_report_clear(&r);
  di_match_set_clear(&set);
  di_snapshot_unref(snap);
}

Test(matcher, matches_per_message_are_capped)
{
  GString *text = g_string_new("");
  DiSnapshot *snap = _ip_snapshot(1000, text);
  DiMatchSet set;
  di_match_set_init(&set);
  di_match_text(snap, text->str, text->len, 0, NOW, &set);
  cr_assert_eq(set.n, DI_MATCH_MAX);
  di_match_set_clear(&set);
  g_string_free(text, TRUE);
  di_snapshot_unref(snap);
}

/* ---- values as logs show them (issue 12) ------------------------------------ */

/* A snapshot of (type, value) rows, every one attributed to its value. */
static DiSnapshot *
_rows_snapshot(const gchar *const rows[][2], gsize n)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  for (gsize i = 0; i < n; i++)
    {
      DiKey key;
      DiType type = di_type_from_name(rows[i][0]);
      GError *error = NULL;
      cr_assert(di_normalize(type, rows[i][1], strlen(rows[i][1]), &key, &type, &error), "%s",
                error ? error->message : "");
      /* the feed is declared DPRK: what these tests look at is the main section */
      DiIndicatorMeta meta = { NULL, rows[i][1], NULL, NULL, 90, 0, NULL, DI_NEXUS_DPRK };
      di_snapshot_builder_add(b, type, &key, &meta);
    }
  return di_snapshot_builder_finish(b);
}

/* The sources (= listed values) that text matches, sorted, comma separated. */
static gchar *
_matched(const DiSnapshot *snap, const gchar *text)
{
  DiMatchSet set;
  di_match_set_init(&set);
  di_match_text(snap, text, strlen(text), 0, NOW, &set);
  GPtrArray *names = g_ptr_array_new();
  for (guint i = 0; i < set.n; i++)
    g_ptr_array_add(names, (gpointer) di_snapshot_entry_source(snap, set.matches[i].entry));
  g_ptr_array_sort(names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add(names, NULL);
  gchar *joined = g_strjoinv(",", (gchar **) names->pdata);
  g_ptr_array_free(names, TRUE);
  di_match_set_clear(&set);
  return joined;
}

static void
_expect_matched(const DiSnapshot *snap, const gchar *text, const gchar *expected)
{
  gchar *got = _matched(snap, text);
  cr_expect_str_eq(got, expected, "'%s' matched '%s', expected '%s'", text, got, expected);
  g_free(got);
}

Test(matcher, ipv4_mapped_ipv6_matches_the_ipv4_indicator_and_cidr)
{
  static const gchar *const rows[][2] =
  {
    { "ipv4", "185.142.236.226" }, { "cidr", "175.45.176.0/22" }, { "ipv6", "2001:db8::7" },
  };
  DiSnapshot *snap = _rows_snapshot(rows, G_N_ELEMENTS(rows));
  /* as nginx and Java log IPv4 clients of a dual-stack socket */
  _expect_matched(snap, "client ::ffff:185.142.236.226 GET /", "185.142.236.226");
  _expect_matched(snap, "remote=/0:0:0:0:0:ffff:185.142.236.226:443", "185.142.236.226");
  _expect_matched(snap, "from [::FFFF:175.45.178.9]:51234", "175.45.176.0/22");
  _expect_matched(snap, "::ffff:b98e:ece2 upstream", "185.142.236.226");
  _expect_matched(snap, "2001:db8::7", "2001:db8::7");
  /* other embeddings are other addresses */
  _expect_matched(snap, "::185.142.236.226 64:ff9b::185.142.236.226 ::ffff:0:185.142.236.226", "");
  _expect_matched(snap, "::ffff:185.142.236.227", "");
  di_snapshot_unref(snap);
}

Test(matcher, urls_match_across_http_and_https_and_by_path_prefix)
{
  static const gchar *const rows[][2] =
  {
    { "url", "http://Evil.Example.com/gate/" }, { "url", "https://c2.example.net:443/api/v1" },
    { "url", "https://drive.example.org/uc?id=XYZ&export=download" }, { "url", "evil.example.com:8080/panel" },
    { "url", "http://host.example.io" },
  };
  DiSnapshot *snap = _rows_snapshot(rows, G_N_ELEMENTS(rows));
  const gchar *gate = "http://Evil.Example.com/gate/", *api = "https://c2.example.net:443/api/v1";
  const gchar *drive = "https://drive.example.org/uc?id=XYZ&export=download";
  const gchar *panel = "evil.example.com:8080/panel", *host = "http://host.example.io";

  /* the scheme: http and https alike; host case and default port do not count */
  _expect_matched(snap, "GET https://evil.example.com/gate/ 200", gate);
  _expect_matched(snap, "GET HTTP://EVIL.EXAMPLE.COM:80/gate/x.php 200", gate);
  _expect_matched(snap, "fetch http://c2.example.net/api/v1", api);
  _expect_matched(snap, "fetch http://c2.example.net:80/api/v1/", api);
  _expect_matched(snap, "ftp://c2.example.net/api/v1", "");
  /* a longer path at a segment boundary, any query, no fragment */
  _expect_matched(snap, "https://c2.example.net/api/v1/beacon?id=7#x", api);
  _expect_matched(snap, "https://c2.example.net/api/v1?id=7", api);
  _expect_matched(snap, "https://c2.example.net/api/v12", "");
  _expect_matched(snap, "https://c2.example.net/api/", "");
  _expect_matched(snap, "https://c2.example.net:8443/api/v1", "");
  /* a listed "dir/" matches below it, not the name without the slash */
  _expect_matched(snap, "http://evil.example.com/gate", "");
  _expect_matched(snap, "http://evil.example.com/gate/a/b/c", gate);
  /* a listed query must be the query logged: a file-sharing link is its id */
  _expect_matched(snap, "GET https://drive.example.org/uc?id=XYZ&export=download", drive);
  _expect_matched(snap, "GET http://drive.example.org/uc?id=XYZ&export=download#page", drive);
  _expect_matched(snap, "GET https://drive.example.org/uc?id=ABC&export=download", "");
  _expect_matched(snap, "GET https://drive.example.org/uc", "");
  /* another port is another service; a listed host is every path on it */
  _expect_matched(snap, "http://evil.example.com:8080/panel/login.php", panel);
  _expect_matched(snap, "https://host.example.io/x/y?z", host);
  _expect_matched(snap, "https://user:pw@host.example.io/", host);
  /* the host is matched as a domain too, so these stay URL matches only */
  _expect_matched(snap, "https://host.example.io.evil.test/", "");
  di_snapshot_unref(snap);
}

Test(matcher, evm_in_broken_mixed_case_matches_and_is_marked)
{
  static const gchar *const rows[][2] = { { "eth", "0x098B716B8Aaf21512996dC57EB0615e2383E2f96" } };
  DiSnapshot *snap = _rows_snapshot(rows, G_N_ELEMENTS(rows));
  const gchar *names[] = { "MESSAGE" };
  const gchar *cases[][2] =
  {
    { "to 0x098b716B8Aaf21512996dC57EB0615e2383E2f96", "invalid" },   /* one letter's case changed */
    { "to 0x098B716B8Aaf21512996dC57EB0615e2383E2f96", NULL },        /* the EIP-55 form */
    { "to 0x098b716b8aaf21512996dc57eb0615e2383e2f96", NULL },        /* no checksum in one case */
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
    {
      const gchar *texts[] = { cases[i][0] };
      DiMatchSet set;
      di_match_set_init(&set);
      cr_assert_eq(di_match_text(snap, texts[0], strlen(texts[0]), 0, NOW, &set), 1, "%s", texts[0]);
      DiReport r;
      di_report_init(&r);
      di_report_build(&r, snap, &set, names, texts);
      cr_expect_str_eq(r.values[DI_OUT_INDICATOR]->str, "0x098b716b8aaf21512996dc57eb0615e2383e2f96");
      json_object *matches = json_tokener_parse(r.values[DI_OUT_MATCHES]->str), *ours, *checksum = NULL;
      cr_assert(json_object_object_get_ex(json_object_array_get_idx(matches, 0), "dprk_intel", &ours));
      json_object_object_get_ex(ours, "checksum", &checksum);
      if (cases[i][1])
        cr_expect_str_eq(json_object_get_string(checksum), cases[i][1], "%s", texts[0]);
      else
        cr_expect_null(checksum, "%s: %s", texts[0], json_object_get_string(checksum));
      json_object_put(matches);
      di_report_clear(&r);
      di_match_set_clear(&set);
    }
  di_snapshot_unref(snap);
}

Test(matcher, bnb_beacon_chain_address_matches)
{
  /* the one address the OFAC SDN list files as "Digital Currency Address -
   * BNB" (a BNB Beacon Chain bech32 account) */
  static const gchar *const rows[][2] = { { "BNB", "bnb136ns6lfw4zs5hg4n85vdthaad7hq5m4gtkgf23" } };
  DiSnapshot *snap = _rows_snapshot(rows, G_N_ELEMENTS(rows));
  cr_expect_eq(di_snapshot_entry_type(snap, 0), DI_TYPE_BNB);
  _expect_matched(snap, "withdraw to bnb136ns6lfw4zs5hg4n85vdthaad7hq5m4gtkgf23 memo 1", rows[0][1]);
  _expect_matched(snap, "BNB136NS6LFW4ZS5HG4N85VDTHAAD7HQ5M4GTKGF23", rows[0][1]);
  _expect_matched(snap, "bnb136ns6lfw4zs5hg4n85vdthaad7hq5m4gtkgf24", "");
  di_snapshot_unref(snap);
}
