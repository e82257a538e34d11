/* test-feed-csv.c: the canonical CSV reader and the loader's all-or-nothing
 * rule, with every error as FILE:LINE. */
#include <criterion/criterion.h>
#include "feed-loader.h"
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>

#define HEADER "indicator,type,actor,source,confidence,reference,valid_until,description\n"
#define NOW 1764064800   /* 2025-11-25T10:00:00Z */

static gchar *tmpdir;

static void
_setup(void)
{
  tmpdir = g_dir_make_tmp("di-csv-XXXXXX", NULL);
}

static void
_teardown(void)
{
  GDir *d = g_dir_open(tmpdir, 0, NULL);
  const gchar *n;
  while ((n = g_dir_read_name(d)))
    {
      gchar *p = g_build_filename(tmpdir, n, NULL);
      g_unlink(p);
      g_free(p);
    }
  g_dir_close(d);
  g_rmdir(tmpdir);
  g_free(tmpdir);
}

static gchar *
_write(const gchar *name, const gchar *contents)
{
  gchar *path = g_build_filename(tmpdir, name, NULL);
  g_file_set_contents(path, contents, -1, NULL);
  return path;
}

/* Loads one file; returns the snapshot (NULL on error) and the joined errors. */
static DiSnapshot *
_load(const gchar *path, gchar **errors)
{
  const gchar *paths[] = { path, NULL };
  DiLoadReport report;
  di_load_report_init(&report);
  DiSnapshot *snap = di_feed_load(paths, NOW, &report);
  g_ptr_array_add(report.errors, NULL);
  *errors = g_strjoinv("\n", (gchar **) report.errors->pdata);
  g_ptr_array_remove_index(report.errors, report.errors->len - 1);
  di_load_report_clear(&report);
  return snap;
}

static void
_assert_error(const gchar *contents, gint line, const gchar *what)
{
  gchar *path = _write("feed.csv", contents);
  gchar *errors;
  DiSnapshot *snap = _load(path, &errors);
  gchar *expected = g_strdup_printf("%s:%d: ", path, line);
  cr_assert_null(snap, "a broken feed gives no snapshot");
  cr_assert(g_str_has_prefix(errors, expected), "expected '%s...', got '%s'", expected, errors);
  cr_assert(strstr(errors, what), "expected '%s' in '%s'", what, errors);
  g_free(expected);
  g_free(errors);
  g_free(path);
}

TestSuite(feed_csv, .init = _setup, .fini = _teardown);

Test(feed_csv, loads_rows_with_metadata)
{
  gchar *path = _write("feed.csv", HEADER
                       "0x098B716B8Aaf21512996dC57EB0615e2383E2f96,eth,LAZARUS GROUP,OFAC SDN,90,https://ofac/27307,,\"Lazarus, ETH\"\n"
                       "celasllc.com,domain,Hidden Cobra,maltrail,70,https://securelist.com/x,2099-01-01,\n");
  gchar *errors;
  DiSnapshot *snap = _load(path, &errors);
  cr_assert_not_null(snap, "%s", errors);
  cr_assert_eq(di_snapshot_count(snap), 2);
  GString *v = g_string_new("");
  di_snapshot_entry_value(snap, 0, v);
  cr_assert_str_eq(v->str, "0x098b716b8aaf21512996dc57eb0615e2383e2f96");
  cr_assert_str_eq(di_snapshot_entry_actor(snap, 0), "Lazarus Group");
  cr_assert_str_eq(di_snapshot_entry_description(snap, 0), "Lazarus, ETH");
  cr_assert_eq(di_snapshot_entry_confidence(snap, 0), 90);
  cr_assert_str_eq(di_snapshot_entry_actor(snap, 1), "Lazarus Group");
  cr_assert_eq(di_snapshot_entry_valid_until(snap, 1), 4070995199);
  g_string_free(v, TRUE);
  di_snapshot_unref(snap);
  g_free(errors);
  g_free(path);
}

Test(feed_csv, infers_empty_type_and_allows_column_subsets)
{
  gchar *path = _write("feed.csv", "actor,indicator\n"
                       "Lazarus Group,185.142.236.226\n"
                       "Lazarus Group,bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq\n"
                       "Lazarus Group,Celasllc.COM.\n");
  gchar *errors;
  DiSnapshot *snap = _load(path, &errors);
  cr_assert_not_null(snap, "%s", errors);
  cr_assert_eq(di_snapshot_count(snap), 3);
  cr_assert_eq(di_snapshot_entry_type(snap, 0), DI_TYPE_IPV4);
  cr_assert_eq(di_snapshot_entry_type(snap, 1), DI_TYPE_BTC);
  cr_assert_eq(di_snapshot_entry_type(snap, 2), DI_TYPE_DOMAIN);
  GString *v = g_string_new("");
  di_snapshot_entry_value(snap, 2, v);
  cr_assert_str_eq(v->str, "celasllc.com");
  g_string_free(v, TRUE);
  di_snapshot_unref(snap);
  g_free(errors);
  g_free(path);
}

Test(feed_csv, expired_rows_are_skipped)
{
  gchar *path = _write("feed.csv", HEADER
                       "203.0.113.1,ipv4,,,,,2020-01-01,\n"
                       "203.0.113.2,ipv4,,,,,2025-11-25T09:59:59Z,\n"
                       "203.0.113.3,ipv4,,,,,2025-11-25T10:00:01Z,\n"
                       "203.0.113.4,ipv4,,,,,,\n");
  gchar *errors;
  DiSnapshot *snap = _load(path, &errors);
  cr_assert_not_null(snap, "%s", errors);
  cr_assert_eq(di_snapshot_count(snap), 2);
  di_snapshot_unref(snap);
  g_free(errors);
  g_free(path);
}

Test(feed_csv, quoted_fields_comments_crlf_and_bom)
{
  gchar *path = _write("feed.csv", "\xef\xbb\xbf# our own rows\r\n" HEADER
                       "\"203.0.113.7\",ipv4,\"Cluster \"\"X\"\"\",src,,ref,,\"two\r\nlines\"\r\n"
                       "\r\n"
                       "203.0.113.8,ipv4,,,,,,\r\n");
  gchar *errors;
  DiSnapshot *snap = _load(path, &errors);
  cr_assert_not_null(snap, "%s", errors);
  cr_assert_eq(di_snapshot_count(snap), 2);
  cr_assert_str_eq(di_snapshot_entry_actor(snap, 0), "Cluster \"X\"");
  cr_assert_str_eq(di_snapshot_entry_description(snap, 0), "two\r\nlines");
  di_snapshot_unref(snap);
  g_free(errors);
  g_free(path);
}

Test(feed_csv, invalid_ipv4_names_file_and_line)
{
  _assert_error(HEADER "203.0.113.1,ipv4,,,,,,\n999.1.2.3,ipv4,,,,,,\n", 3, "999.1.2.3");
}

Test(feed_csv, too_many_columns)
{
  _assert_error(HEADER "203.0.113.1,ipv4,,,,,,,extra\n", 2, "9 columns, the header has 8");
}

Test(feed_csv, unterminated_quote_reports_its_line)
{
  _assert_error(HEADER "203.0.113.1,ipv4,,,,,,\n203.0.113.2,ipv4,\"Lazarus,,,,,\n203.0.113.3,ipv4,,,,,,\n", 3,
                "unterminated quoted field");
}

Test(feed_csv, line_numbers_count_quoted_line_breaks)
{
  _assert_error(HEADER "203.0.113.1,ipv4,,,,,,\"a\nb\nc\"\n999.1.2.3,ipv4,,,,,,\n", 5, "999.1.2.3");
}

Test(feed_csv, bad_confidence_type_and_date)
{
  _assert_error(HEADER "203.0.113.1,ipv4,,,101,,,\n", 2, "confidence '101'");
  _assert_error(HEADER "203.0.113.1,ipv5,,,,,,\n", 2, "unknown type 'ipv5'");
  _assert_error(HEADER "203.0.113.1,ipv4,,,,,tomorrow,\n", 2, "valid_until 'tomorrow'");
  _assert_error(HEADER ",ipv4,,,,,,\n", 2, "indicator column is empty");
}

Test(feed_csv, header_problems)
{
  _assert_error("indicator,colour\n1.2.3.4,red\n", 1, "unknown column 'colour'");
}

Test(feed_csv, all_errors_are_listed_and_nothing_is_loaded)
{
  gchar *path = _write("feed.csv", HEADER "999.1.2.3,ipv4,,,,,,\n203.0.113.1,ipv4,,,,,,\n1.2.3.4.5,ipv4,,,,,,\n");
  gchar *errors;
  DiSnapshot *snap = _load(path, &errors);
  cr_assert_null(snap);
  gchar **lines = g_strsplit(errors, "\n", -1);
  cr_assert_eq(g_strv_length(lines), 2, "%s", errors);
  cr_assert(strstr(lines[0], ":2: "));
  cr_assert(strstr(lines[1], ":4: "));
  g_strfreev(lines);
  g_free(errors);
  g_free(path);
}

Test(feed_csv, directories_are_read_in_name_order_and_notes_skipped)
{
  gchar *a = _write("b.csv", HEADER "203.0.113.2,ipv4,,,,,,\n");
  gchar *b = _write("a.csv", HEADER "203.0.113.1,ipv4,,,,,,\n");
  gchar *c = _write("NOTES.md", "# not a feed\n");
  gchar *errors;
  DiSnapshot *snap = _load(tmpdir, &errors);
  cr_assert_not_null(snap, "%s", errors);
  cr_assert_eq(di_snapshot_count(snap), 2);
  GString *v = g_string_new("");
  di_snapshot_entry_value(snap, 0, v);
  cr_assert_str_eq(v->str, "203.0.113.1");
  g_string_free(v, TRUE);
  di_snapshot_unref(snap);
  g_free(errors);
  g_free(a);
  g_free(b);
  g_free(c);
}

Test(feed_csv, missing_file_is_an_error)
{
  gchar *errors;
  DiSnapshot *snap = _load("/nonexistent/feed.csv", &errors);
  cr_assert_null(snap);
  cr_assert_str_eq(errors, "/nonexistent/feed.csv: cannot read: No such file or directory");
  g_free(errors);
}

/* Third-party feeds: a junk value is a warning and skipped, the rest loads. */
Test(feed_loader, third_party_bad_values_are_warnings)
{
  gchar *path = g_build_filename(DI_TESTDATA_DIR, "feeds", "stix21_threat-report_poisonivy.json", NULL);
  const gchar *paths[] = { path, NULL };
  DiLoadReport report;
  di_load_report_init(&report);
  DiSnapshot *snap = di_feed_load(paths, NOW, &report);
  cr_assert_not_null(snap);
  cr_assert_eq(report.errors->len, 0);
  cr_assert_eq(report.warnings->len, 1);
  cr_assert(strstr(report.warnings->pdata[0], "poisonivy.json:$.objects[42].pattern"), "%s",
            (gchar *) report.warnings->pdata[0]);
  DiFeedFileReport *file = report.files->pdata[0];
  cr_assert_eq(file->skipped, 1);
  cr_assert_eq(file->loaded, 64);
  cr_assert_eq(di_snapshot_count(snap), 42, "24 domains and 18 IPv4 once each");
  di_snapshot_unref(snap);
  di_load_report_clear(&report);
  g_free(path);
}

Test(feed_loader, our_csv_stays_strict)
{
  gchar *dir = g_dir_make_tmp("di-strict-XXXXXX", NULL);
  gchar *path = g_build_filename(dir, "feed.csv", NULL);
  g_file_set_contents(path, HEADER "999.1.2.3,ipv4,,,,,,\n", -1, NULL);
  const gchar *paths[] = { path, NULL };
  DiLoadReport report;
  di_load_report_init(&report);
  cr_assert_null(di_feed_load(paths, NOW, &report));
  cr_assert_eq(report.errors->len, 1);
  cr_assert_eq(report.warnings->len, 0);
  di_load_report_clear(&report);
  g_unlink(path);
  g_rmdir(dir);
  g_free(path);
  g_free(dir);
}

Test(feed_csv, a_long_comment_block_above_the_header)
{
  GString *text = g_string_new("");
  for (gint i = 0; i < 200; i++)
    g_string_append_printf(text, "# provenance note line %d: where the rows below come from, and why\n", i);
  g_string_append(text, HEADER "203.0.113.1,ipv4,,,,,,\n");
  gchar *path = _write("feed.csv", text->str);
  gchar *errors;
  DiSnapshot *snap = _load(path, &errors);
  cr_assert_not_null(snap, "%s", errors);
  cr_assert_eq(di_snapshot_count(snap), 1);
  di_snapshot_unref(snap);
  g_string_free(text, TRUE);
  g_free(errors);
  g_free(path);
}

/* Loads contents (len bytes) as feed.csv; asserts the load fails with the
 * one error "FILE:LINE: what". */
static void
_assert_only_error(const gchar *contents, gsize len, gint line, const gchar *what)
{
  gchar *path = g_build_filename(tmpdir, "feed.csv", NULL);
  cr_assert(g_file_set_contents(path, contents, len, NULL));
  gchar *errors;
  DiSnapshot *snap = _load(path, &errors);
  gchar *expected = g_strdup_printf("%s:%d: %s", path, line, what);
  cr_assert_null(snap, "a broken feed gives no snapshot");
  cr_assert_str_eq(errors, expected);
  g_free(expected);
  g_free(errors);
  g_free(path);
}

Test(feed_csv, a_nul_byte_is_an_error_not_the_end_of_the_value)
{
  static const gchar text[] = HEADER "203.0.113.1,ipv4,,,,,,\n203.0.113.2\0junk,ipv4,,,,,,\n";
  _assert_only_error(text, sizeof(text) - 1, 3, "column 1 holds a NUL byte");
}

Test(feed_csv, a_column_named_twice_in_the_header)
{
  _assert_error("indicator,type,actor,type\n203.0.113.1,ipv4,,\n", 1, "column 'type' appears twice in the header row");
}

/* 10 MB of commas: longer than max-line-length, the line is skipped with
 * a warning that names the limit (never an error: limits are not fatal);
 * the rows around it still read.  With the limit lifted it is one error
 * for its columns, and memory stays near the size of the file. */
Test(feed_csv, a_ten_mb_line_of_commas_is_one_error)
{
  gsize commas = 10 * 1024 * 1024;
  GString *text = g_string_new(HEADER "203.0.113.1,ipv4,,,,,,\n");
  g_string_set_size(text, text->len + commas);
  memset(text->str + text->len - commas, ',', commas);
  g_string_append(text, "\n999.1.2.3,ipv4,,,,,,\n");
  gchar *path = g_build_filename(tmpdir, "feed.csv", NULL);
  cr_assert(g_file_set_contents(path, text->str, text->len, NULL));
  const gchar *paths[] = { path, NULL };
  DiLoadReport report;
  di_load_report_init(&report);
  cr_assert_null(di_feed_load(paths, NOW, &report));
  cr_assert_eq(report.errors->len, 1);
  gchar *expected = g_strdup_printf("%s:4: invalid ipv4 address '999.1.2.3'", path);
  cr_assert_str_eq(report.errors->pdata[0], expected);
  g_free(expected);
  cr_assert_eq(report.warnings->len, 1);
  expected = g_strdup_printf("%s:3: limit max-line-length (1048576) hit: longer records are skipped", path);
  cr_assert_str_eq(report.warnings->pdata[0], expected);
  g_free(expected);
  cr_assert_eq(report.limits_hit, 1);
  di_load_report_clear(&report);

  DiFeedOptions options;
  di_feed_options_init(&options);
  options.limits[DI_LIMIT_LINE_LENGTH] = 0;
  di_load_report_init(&report);
  cr_assert_null(di_feed_load_with(paths, &options, NOW, &report));
  g_ptr_array_add(report.errors, NULL);
  gchar *errors = g_strjoinv("\n", (gchar **) report.errors->pdata);
  expected = g_strdup_printf("%s:3: %" G_GSIZE_FORMAT " columns, the header has 8\n"
                             "%s:4: invalid ipv4 address '999.1.2.3'", path, commas + 1, path);
  cr_assert_str_eq(errors, expected);
  g_ptr_array_remove_index(report.errors, report.errors->len - 1);
  di_load_report_clear(&report);
  /* the test's own process (Criterion forks one a test) peaked near 30 MB,
   * the file and this copy included; a buffer per empty field made 1.9 GB */
  struct rusage ru;
  cr_assert_eq(getrusage(RUSAGE_SELF, &ru), 0);
  cr_assert_lt(ru.ru_maxrss, 256 * 1024, "peak RSS %ld kB", ru.ru_maxrss);
  g_free(expected);
  g_free(errors);
  g_free(path);
  g_string_free(text, TRUE);
}

/* ---- IOC CSVs as vendors publish them ----------------------------------- */

TestSuite(feed_ioc_csv, .init = _setup, .fini = _teardown);

static gchar *
_volexity(const gchar *name)
{
  return g_build_filename(DI_SRCDIR, "tests", "data", "feeds", "volexity", name, NULL);
}

static gint64
_find(DiSnapshot *snap, DiType type, const gchar *value)
{
  for (guint32 e = 0; e < di_snapshot_count(snap); e++)
    {
      GString *v = g_string_new("");
      di_snapshot_entry_value(snap, e, v);
      gboolean same = di_snapshot_entry_type(snap, e) == type && strcmp(v->str, value) == 0;
      g_string_free(v, TRUE);
      if (same)
        return e;
    }
  return -1;
}

/* Volexity's AppleJeus file (value,entity_type,description with a BOM):
 * 17 "file" rows of md5,sha1,sha256 in one field, 6 hostnames.  One sha256
 * has 63 digits: a warning, the row's other hashes load.  51 hashes - 1 + 6
 * domains = 56.  The actor comes from the file's name, the source is the
 * file, the description the row's. */
Test(feed_ioc_csv, volexity_applejeus)
{
  gchar *path = _volexity("2022-12-01-applejeus.csv");
  const gchar *paths[] = { path, NULL };
  DiLoadReport report;
  di_load_report_init(&report);
  DiSnapshot *snap = di_feed_load(paths, NOW, &report);
  cr_assert_not_null(snap);
  DiFeedFileReport *file = report.files->pdata[0];
  cr_assert_str_eq(file->format, "ioc-csv");
  cr_assert_eq(file->loaded, 56);
  cr_assert_eq(file->skipped, 1);
  cr_assert_eq(report.warnings->len, 1);
  gchar *want = g_strdup_printf("%s:6: '82e67114d632795edf29ce1d50a4c1c444846d9e16cd121ce26e63c8dc4a162' is not an "
                                "md5, sha1 or sha256 hash (skipped)", path);
  cr_assert_str_eq(report.warnings->pdata[0], want);
  gint64 e = _find(snap, DI_TYPE_DOMAIN, "bloxholder.com");
  cr_assert_geq(e, 0);
  cr_assert_str_eq(di_snapshot_entry_actor(snap, e), "AppleJeus");
  cr_assert_str_eq(di_snapshot_entry_source(snap, e), "2022-12-01-applejeus.csv");
  cr_assert_str_eq(di_snapshot_entry_description(snap, e), "AppleJeus C2 server");
  cr_assert_eq(di_snapshot_entry_nexus(snap, e), DI_NEXUS_DPRK);
  cr_assert_geq(_find(snap, DI_TYPE_MD5, "51871504c1d5c09ade5e2a1e6e98c37a"), 0);
  cr_assert_geq(_find(snap, DI_TYPE_SHA1, "ae34fa6c6baf77390fb3ff683d880cde14bf893d"), 0);
  cr_assert_geq(_find(snap, DI_TYPE_SHA256, "17e6189c19dedea678969e042c64de2a51dd9fba69ff521571d63fd92e48601b"), 0);
  g_free(want);
  di_snapshot_unref(snap);
  di_load_report_clear(&report);
  g_free(path);
}

/* Volexity's 3CX file: hostnames, whois e-mails and file hashes; no actor
 * in the file or its name. */
Test(feed_ioc_csv, volexity_3cx)
{
  gchar *path = _volexity("2023-03-30-3cx.csv");
  const gchar *paths[] = { path, NULL };
  DiLoadReport report;
  di_load_report_init(&report);
  DiSnapshot *snap = di_feed_load(paths, NOW, &report);
  cr_assert_not_null(snap);
  cr_assert_eq(report.warnings->len, 0);
  gint64 e = _find(snap, DI_TYPE_EMAIL, "cliego.garcia@proton.me");
  cr_assert_geq(e, 0);
  cr_assert_str_eq(di_snapshot_entry_actor(snap, e), "");
  cr_assert_eq(di_snapshot_entry_nexus(snap, e), DI_NEXUS_UNKNOWN);
  cr_assert_geq(_find(snap, DI_TYPE_DOMAIN, "msstorageazure.com"), 0);
  cr_assert_geq(_find(snap, DI_TYPE_SHA256, "59e1edf4d82fae4978e97512b0331b7eb21dd4b838b850ba46794d9c7a2c0983"), 0);
  di_snapshot_unref(snap);
  di_load_report_clear(&report);
  g_free(path);
}

/* Other common headers (ioc / ioc_type / comment, any case), a vendor type
 * the reader does not take (a warning), an empty value (ignored), extra
 * columns (ignored), an IP of either family under "ip", defanged values. */
Test(feed_ioc_csv, common_header_names_and_types)
{
  gchar *path = _write("iocs.csv", "# actor: Kimsuky\n"
                       "First Seen,IOC,IOC_Type,Comment\n"
                       "2024-01-01,login-daum[.]example,FQDN,phishing\n"
                       "2024-01-01,2001:db8::7,ip,c2\n"
                       "2024-01-01,203.0.113.7,IPAddress,c2\n"
                       "2024-01-01,Global\\\\Mtx,mutex,\n"
                       "2024-01-01,,domain,\n");
  const gchar *paths[] = { path, NULL };
  DiLoadReport report;
  di_load_report_init(&report);
  DiSnapshot *snap = di_feed_load(paths, NOW, &report);
  cr_assert_not_null(snap);
  cr_assert_eq(di_snapshot_count(snap), 3);
  gint64 e = _find(snap, DI_TYPE_DOMAIN, "login-daum.example");
  cr_assert_geq(e, 0);
  cr_assert_str_eq(di_snapshot_entry_actor(snap, e), "Kimsuky");
  cr_assert_str_eq(di_snapshot_entry_description(snap, e), "phishing");
  cr_assert_geq(_find(snap, DI_TYPE_IPV6, "2001:db8::7"), 0);
  cr_assert_geq(_find(snap, DI_TYPE_IPV4, "203.0.113.7"), 0);
  cr_assert_eq(report.warnings->len, 1);
  cr_assert(strstr(report.warnings->pdata[0], "iocs.csv:6: type 'mutex' is not an indicator type dprk-intel reads"),
            "%s", (gchar *) report.warnings->pdata[0]);
  DiFeedFileReport *file = report.files->pdata[0];
  cr_assert_eq(file->refanged, 1);
  cr_assert_eq(file->ignored, 2);
  di_snapshot_unref(snap);
  di_load_report_clear(&report);
  g_free(path);
}
