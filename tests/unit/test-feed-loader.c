/* test-feed-loader.c: what every feed goes through, whatever its format:
 * reading (not mapping) with change detection, gzip, the limits, escaped
 * and bounded messages, CIDR breadth, directories of a feed repository, the
 * messages that refuse a file, declared nexus, refanging and NUL bytes. */
#include "feed-test-util.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define HEADER "indicator,type,actor,source,confidence,reference,valid_until,description\n"

typedef struct
{
  DiLoadReport report;
  DiSnapshot *snap;
} Load;

static void
load_with(Load *l, const gchar *path, const DiFeedOptions *options)
{
  const gchar *paths[] = { path, NULL };
  di_load_report_init(&l->report);
  l->snap = di_feed_load_with(paths, options, NOW, &l->report);
}

static void
load_clear(Load *l)
{
  if (l->snap)
    di_snapshot_unref(l->snap);
  di_load_report_clear(&l->report);
}

static gchar *
joined(GPtrArray *list)
{
  GString *all = g_string_new("");
  for (guint i = 0; i < list->len; i++)
    g_string_append_printf(all, "%s\n", (const gchar *) list->pdata[i]);
  return g_string_free(all, FALSE);
}

static gboolean
any_contains(GPtrArray *list, const gchar *what)
{
  for (guint i = 0; i < list->len; i++)
    if (strstr(list->pdata[i], what))
      return TRUE;
  return FALSE;
}

#define assert_listed(list, what) \
  do { gchar *_all = joined(list); cr_assert(any_contains(list, what), "'%s' not in:\n%s", what, _all); \
       g_free(_all); } while (0)

static gchar *
write_gz(const gchar *dir, const gchar *name, const gchar *text, gssize len)
{
  if (len < 0)
    len = strlen(text);
  gchar *path = g_build_filename(dir, name, NULL);
  gzFile gz = gzopen(path, "wb");
  cr_assert_not_null(gz);
  cr_assert_eq(gzwrite(gz, text, len), (gint) len);
  cr_assert_eq(gzclose(gz), Z_OK);
  return path;
}

/* ---- escaping ----------------------------------------------------------- */

Test(feed_escape, control_characters_and_broken_utf8)
{
  gchar *e = di_feed_escape("a\nb\x1b[2J\r\t\x7f \xc2\x9b \xff ok \xc3\xa9", -1, 0);
  cr_assert_str_eq(e, "a\\nb\\x1b[2J\\r\\t\\x7f \\xc2\\x9b \\xff ok \xc3\xa9");
  g_free(e);
  e = di_feed_escape("0123456789", 10, 4);
  cr_assert_str_eq(e, "0123...");
  g_free(e);
}

/* Raw bytes of a feed never reach a message: a value with an escape
 * sequence and a line break, and a file name with one. */
Test(feed_escape, feed_bytes_in_errors_are_escaped)
{
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "feed\x1b[31m.csv", HEADER "\"999.1.2.3\x1b]0;pwned\x07\nX\",ipv4,,,,,,\n", -1);
  Load l;
  load_with(&l, path, NULL);
  cr_assert_null(l.snap);
  cr_assert_eq(l.report.errors->len, 1);
  const gchar *error = l.report.errors->pdata[0];
  for (const gchar *p = error; *p; p++)
    cr_assert((guchar) *p >= 0x20 && *p != 0x7f, "raw control byte 0x%02x in '%s'", (guchar) *p, error);
  cr_assert(strstr(error, "feed\\x1b[31m.csv:2: invalid ipv4 address"), "%s", error);
  cr_assert(strstr(error, "999.1.2.3\\033]0;pwned\\007\\nX"), "%s", error);
  load_clear(&l);
  g_free(path);
  scratch_free(dir);
}

/* ---- bounded messages --------------------------------------------------- */

/* 250 bad lines: the first 100 are listed, then one line says how many
 * more; the count is whole. */
Test(feed_messages, the_first_ones_are_kept_then_counted)
{
  GString *text = g_string_new(HEADER);
  for (gint i = 0; i < 250; i++)
    g_string_append(text, "999.1.2.3,ipv4,,,,,,\n");
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "feed.csv", text->str, -1);
  Load l;
  load_with(&l, path, NULL);
  cr_assert_null(l.snap);
  cr_assert_eq(l.report.errors->len, 101);
  gchar *last = g_strdup_printf("%s: 150 more errors not listed (limit max-messages)", path);
  cr_assert_str_eq(l.report.errors->pdata[100], last);
  DiFeedFileReport *file = l.report.files->pdata[0];
  cr_assert_eq(file->errors, 250);
  load_clear(&l);

  DiFeedOptions options;
  di_feed_options_init(&options);
  options.limits[DI_LIMIT_MESSAGES] = 3;
  load_with(&l, path, &options);
  cr_assert_eq(l.report.errors->len, 4);
  load_clear(&l);
  g_free(last);
  g_free(path);
  scratch_free(dir);
  g_string_free(text, TRUE);
}

/* ---- limits -------------------------------------------------------------- */

Test(feed_limits, indicators_per_file)
{
  GString *text = g_string_new("");
  for (gint i = 1; i <= 20; i++)
    g_string_append_printf(text, "198.51.100.%d\n", i);
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "list.txt", text->str, -1);
  DiFeedOptions options;
  di_feed_options_init(&options);
  options.limits[DI_LIMIT_INDICATORS] = 10;
  Load l;
  load_with(&l, path, &options);
  cr_assert_not_null(l.snap, "a limit is not fatal");
  cr_assert_eq(di_snapshot_count(l.snap), 10);
  cr_assert_eq(l.report.limits_hit, 10, "every value beyond is counted");
  cr_assert_eq(l.report.warnings->len, 1, "reported once");
  gchar *want = g_strdup_printf("%s:11: limit max-indicators (10) hit: the rest of the file is not loaded", path);
  cr_assert_str_eq(l.report.warnings->pdata[0], want);
  load_clear(&l);
  g_free(want);
  g_free(path);
  scratch_free(dir);
  g_string_free(text, TRUE);
}

/* A file over max-file-size is not read: a warning, not an error, also when
 * it only grows that large when gunzipped. */
Test(feed_limits, file_size_also_after_gunzip)
{
  gchar *dir = scratch_new();
  GString *text = g_string_new(HEADER);
  for (gint i = 1; i <= 100; i++)
    g_string_append_printf(text, "198.51.100.%d,ipv4,,,,,,\n", i);
  gchar *plain = scratch_write(dir, "big.csv", text->str, -1);
  DiFeedOptions options;
  di_feed_options_init(&options);
  options.limits[DI_LIMIT_FILE_SIZE] = 1000;
  Load l;
  load_with(&l, plain, &options);
  cr_assert_not_null(l.snap);
  cr_assert_eq(di_snapshot_count(l.snap), 0);
  assert_listed(l.report.warnings, "limit max-file-size (1000) hit: the file has");
  load_clear(&l);

  gchar *gz = write_gz(dir, "big.csv.gz", text->str, text->len);
  struct stat st;
  cr_assert_eq(stat(gz, &st), 0);
  cr_assert_lt(st.st_size, 1000, "the compressed file is under the limit");
  load_with(&l, gz, &options);
  cr_assert_not_null(l.snap);
  cr_assert_eq(di_snapshot_count(l.snap), 0);
  assert_listed(l.report.warnings, "limit max-file-size (1000) hit: the file grows larger when decompressed");
  load_clear(&l);
  g_free(plain);
  g_free(gz);
  scratch_free(dir);
  g_string_free(text, TRUE);
}

/* An IOC CSV with more columns than max-columns: the ones beyond are not
 * read, the rest loads. */
Test(feed_limits, columns)
{
  GString *text = g_string_new("value,type");
  for (gint i = 0; i < 300; i++)
    g_string_append_printf(text, ",extra%d", i);
  g_string_append(text, "\n203.0.113.9,ip\n");
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "iocs.csv", text->str, -1);
  Load l;
  load_with(&l, path, NULL);
  cr_assert_not_null(l.snap);
  cr_assert_eq(di_snapshot_count(l.snap), 1);
  assert_listed(l.report.warnings, "iocs.csv:1: limit max-columns (256) hit");
  load_clear(&l);
  g_free(path);
  scratch_free(dir);
  g_string_free(text, TRUE);
}

/* ---- CIDR breadth --------------------------------------------------------- */

Test(feed_cidr, broader_than_the_minimum_prefix_is_refused)
{
  gchar *dir = scratch_new();
  gchar *csv = scratch_write(dir, "feed.csv", HEADER "0.0.0.0/0,cidr,,,,,,\n10.0.0.0/8,cidr,,,,,,\n", -1);
  Load l;
  load_with(&l, csv, NULL);
  cr_assert_null(l.snap, "an error in our CSV");
  cr_assert_eq(l.report.errors->len, 1);
  assert_listed(l.report.errors, "feed.csv:2: CIDR '0.0.0.0/0' is broader than /8, the least prefix accepted for IPv4 "
                "(it would match too much; min-prefix-ipv4() lowers the limit)");
  load_clear(&l);

  gchar *list = scratch_write(dir, "list.txt", "::/0\n2001:db8::/16\n2001:db8::/32\n", -1);
  load_with(&l, list, NULL);
  cr_assert_not_null(l.snap, "a warning in a plain list");
  cr_assert_eq(di_snapshot_count(l.snap), 1);
  assert_listed(l.report.warnings, "list.txt:1: CIDR '::/0' is broader than /32");
  assert_listed(l.report.warnings, "list.txt:2: CIDR '2001:db8::/16' is broader than /32");
  load_clear(&l);

  DiFeedOptions options;
  di_feed_options_init(&options);
  options.min_prefix_ipv4 = 0;
  options.min_prefix_ipv6 = 0;
  load_with(&l, csv, &options);
  cr_assert_not_null(l.snap);
  cr_assert_eq(di_snapshot_count(l.snap), 2);
  load_clear(&l);
  g_free(csv);
  g_free(list);
  scratch_free(dir);
}

/* ---- reading ------------------------------------------------------------- */

/* The file is cut to nothing half-way through reading it (as `cp` over it
 * does): with a mapping, touching the pages past the new end raised
 * SIGBUS; read, it ends short and the change is seen. */
Test(feed_read, a_file_truncated_while_read_is_seen_not_fatal)
{
  gchar *dir = scratch_new();
  GString *text = g_string_new("");
  while (text->len < 1024 * 1024)
    g_string_append(text, "198.51.100.1\n");
  gchar *path = scratch_write(dir, "list.txt", text->str, text->len);
  GPtrArray *errors = g_ptr_array_new_with_free_func(g_free);
  DiFeedContext ctx = { NULL, path, NOW, errors };
  DiFeedInput *in = di_feed_open(&ctx);
  cr_assert_not_null(in);
  gchar buf[4096];
  cr_assert_eq(di_feed_input_read(in, buf, sizeof(buf)), (gssize) sizeof(buf));
  gint fd = open(path, O_WRONLY | O_TRUNC);
  cr_assert_geq(fd, 0);
  close(fd);
  gssize n;
  gsize rest = 0;
  while ((n = di_feed_input_read(in, buf, sizeof(buf))) > 0)
    rest += n;
  cr_assert_eq(n, 0);
  cr_assert_lt(rest, text->len, "the read ends short");
  di_feed_input_close(in);
  cr_assert(ctx.changed);
  cr_assert_eq(errors->len, 0);

  /* untouched: no change */
  DiFeedContext again = { NULL, path, NOW, errors };
  gsize len;
  g_free(di_feed_contents(&again, &len));
  cr_assert_not(again.changed);
  g_ptr_array_free(errors, TRUE);
  g_free(path);
  scratch_free(dir);
  g_string_free(text, TRUE);
}

typedef struct
{
  gchar *path;
  const gchar *versions[2];
  gint stop;
} Rewriter;

static gpointer
_rewrite(gpointer data)
{
  Rewriter *w = data;
  for (guint i = 0; !g_atomic_int_get(&w->stop); i++)
    {
      /* in place, as cp does: truncate, then write */
      FILE *fp = fopen(w->path, "w");
      if (fp)
        {
          fputs(w->versions[i % 2], fp);
          fclose(fp);
        }
      g_usleep(200);
    }
  return NULL;
}

/* Counts an entry for its version (10.1.x: A, 10.2.x and 10.3.x: B). */
static void
_count_version(const DiSnapshot *snap, guint32 entry, guint *counts)
{
  GString *v = g_string_new("");
  di_snapshot_entry_value(snap, entry, v);
  counts[g_str_has_prefix(v->str, "10.1.") ? 0 : 1]++;
  g_string_free(v, TRUE);
}

/* A feed rewritten in place, over and over, while it loads: the load gives
 * the rows of one version (whole, or as far as the writer had got: a file
 * caught between the writer's writes reads the same before and after) or an
 * error saying the file kept changing; never a crash, never rows of both. */
Test(feed_read, a_feed_rewritten_while_it_loads)
{
  GString *a = g_string_new(""), *b = g_string_new("");
  for (gint i = 0; i < 20000; i++)
    {
      g_string_append_printf(a, "10.1.%d.%d\n", i / 250, i % 250);
      g_string_append_printf(b, "10.2.%d.%d\n", i / 250, i % 250);
    }
  g_string_append(b, "10.3.0.1\n");
  gchar *dir = scratch_new();
  Rewriter w = { scratch_write(dir, "list.txt", a->str, a->len), { a->str, b->str } };
  GThread *thread = g_thread_new("rewriter", _rewrite, &w);
  for (gint round = 0; round < 20; round++)
    {
      Load l;
      load_with(&l, w.path, NULL);
      if (l.snap)
        {
          guint counts[2] = { 0, 0 };
          for (guint32 e = 0; e < di_snapshot_count(l.snap); e++)
            _count_version(l.snap, e, counts);
          cr_assert(counts[0] == 0 || counts[1] == 0, "rows of both versions: %u and %u", counts[0], counts[1]);
        }
      else
        assert_listed(l.report.errors, "the file changed while it was read, 3 times");
      load_clear(&l);
    }
  g_atomic_int_set(&w.stop, 1);
  g_thread_join(thread);
  g_free(w.path);
  scratch_free(dir);
  g_string_free(a, TRUE);
  g_string_free(b, TRUE);
}

Test(feed_read, gzip_feeds_are_read_directly)
{
  gchar *dir = scratch_new();
  const gchar *csv = HEADER "203.0.113.1,ipv4,Lazarus Group,,,,,\n";
  gchar *path = write_gz(dir, "local.csv.gz", csv, strlen(csv));
  Load l;
  load_with(&l, path, NULL);
  cr_assert_not_null(l.snap, "%s", l.report.errors->len ? (gchar *) l.report.errors->pdata[0] : "");
  cr_assert_eq(di_snapshot_count(l.snap), 1);
  DiFeedFileReport *file = l.report.files->pdata[0];
  cr_assert_str_eq(file->format, "csv");
  load_clear(&l);

  /* OFAC's pair, both gzipped: the continuation is found */
  gchar *sdn = write_gz(dir, "sdn.csv.gz",
                        "27307,\"LAZARUS GROUP\",-0- ,\"DPRK3\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
                        "\"Digital Currency Address - ETH 0x098B716B8Aaf2\"\n", -1);
  gchar *comments = write_gz(dir, "sdn_comments.csv.gz", "27307,\"1512996dC57EB0615e2383E2f96.\"\n", -1);
  FeedRead r;
  feed_read(&r, sdn);
  cr_assert_str_eq(r.format->name, "ofac-csv");
  feed_assert_no_errors(&r);
  feed_assert_entry(&r, DI_TYPE_ETH, "0x098B716B8Aaf21512996dC57EB0615e2383E2f96", "Lazarus Group", "OFAC SDN", "27307");
  feed_read_clear(&r);

  /* a JSON feed too: a vendor's STIX bundle, gzipped */
  gchar *bundle_path = data_feed("vendors/talos/2023-08-lazarus-collectionrat.json");
  gchar *bundle;
  gsize bundle_len;
  cr_assert(g_file_get_contents(bundle_path, &bundle, &bundle_len, NULL));
  gchar *stix = write_gz(dir, "collectionrat.json.gz", bundle, bundle_len);
  feed_read(&r, stix);
  cr_assert_str_eq(r.format->name, "stix");
  feed_assert_no_errors(&r);
  cr_assert_gt(r.loaded, 0);
  cr_assert_geq(feed_find(&r, DI_TYPE_IPV4, "146.4.21.94"), 0, "the C2 IP of the bundle");
  feed_read_clear(&r);
  g_free(bundle);
  g_free(bundle_path);
  g_free(stix);

  /* a gzip file cut short is an error, not a shorter feed */
  gchar *data;
  gsize len;
  cr_assert(g_file_get_contents(path, &data, &len, NULL));
  gchar *cut = scratch_write(dir, "cut.csv.gz", data, len - 12);
  load_with(&l, cut, NULL);
  cr_assert_null(l.snap);
  assert_listed(l.report.errors, "cut.csv.gz: the gzip data ends early (truncated file?)");
  load_clear(&l);
  g_free(data);
  g_free(cut);
  g_free(sdn);
  g_free(comments);
  g_free(path);
  scratch_free(dir);
}

/* ---- NUL bytes ------------------------------------------------------------ */

Test(feed_read, nul_bytes_are_reported_by_every_text_reader)
{
  gchar *dir = scratch_new();
  static const gchar list[] = "198.51.100.1\n198.51.100.2\0junk\n198.51.100.3\n";
  gchar *path = scratch_write(dir, "list.txt", list, sizeof(list) - 1);
  Load l;
  load_with(&l, path, NULL);
  cr_assert_not_null(l.snap);
  cr_assert_eq(di_snapshot_count(l.snap), 2, "the line with the NUL is not loaded cut short");
  assert_listed(l.report.warnings, "list.txt:2: the line holds a NUL byte (skipped)");
  load_clear(&l);
  static const gchar ioc[] = "value,type\n198.51.100.2\0junk,ip\n";
  gchar *csv = scratch_write(dir, "iocs.csv", ioc, sizeof(ioc) - 1);
  load_with(&l, csv, NULL);
  assert_listed(l.report.errors, "iocs.csv:2: column 1 holds a NUL byte");
  load_clear(&l);
  /* OFAC's XML: the address before the NUL is valid, and must not load cut
   * (GMarkup would end the text there quietly); XML allows no NUL at all */
  static const gchar xml[] = "<?xml version=\"1.0\"?>\n<Sanctions><ReferenceValueSets><FeatureTypeValues>"
    "<FeatureType ID=\"7\">Digital Currency Address - ETH</FeatureType></FeatureTypeValues></ReferenceValueSets>\n"
    "<DistinctParties><DistinctParty FixedRef=\"27307\"><Profile ID=\"27307\"><Identity><Alias Primary=\"true\">"
    "<DocumentedName><DocumentedNamePart><NamePartValue>LAZARUS GROUP</NamePartValue></DocumentedNamePart>"
    "</DocumentedName></Alias></Identity>\n<Feature FeatureTypeID=\"7\"><FeatureVersion><VersionDetail>"
    "0x098B716B8Aaf21512996dC57EB0615e2383E2f96\0junk</VersionDetail></FeatureVersion></Feature>\n"
    "</Profile></DistinctParty></DistinctParties></Sanctions>\n";
  gchar *sdn = scratch_write(dir, "sdn_advanced.xml", xml, sizeof(xml) - 1);
  load_with(&l, sdn, NULL);
  cr_assert_null(l.snap);
  assert_listed(l.report.errors, "sdn_advanced.xml:4: a NUL byte, which XML does not allow");
  load_clear(&l);
  g_free(sdn);
  g_free(path);
  g_free(csv);
  scratch_free(dir);
}

/* ---- directories and refused files --------------------------------------- */

/* A checkout of a feed repository: what is not a feed is skipped with a
 * warning and counted, and the feeds load. */
Test(feed_directory, files_that_are_not_feeds_are_skipped)
{
  gchar *dir = scratch_new();
  g_free(scratch_write(dir, "a-feed.csv", HEADER "203.0.113.1,ipv4,,,,,,\n", -1));
  g_free(scratch_write(dir, "README", "Threat intel feeds. See the LICENSE file.\n", -1));
  g_free(scratch_write(dir, "SHA256SUMS", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a-feed.csv\n", -1));
  g_free(scratch_write(dir, "a-feed.csv.sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n", -1));
  g_free(scratch_write(dir, "a-feed.csv.asc", "-----BEGIN PGP SIGNATURE-----\n", -1));
  g_free(scratch_write(dir, "old-feeds.zip", "PK\x03\x04junk", 8));
  g_free(scratch_write(dir, "notes.txt", "Sources of the files under feeds/ (data only).\n", -1));
  /* a lone .sha256 file of hashes is a feed, as ESET publishes its samples */
  g_free(scratch_write(dir, "scarcruft-samples.sha256",
                       "486bd76669fc2c0adc25a5498b42c1df5fc90514866d78318f8954aa0c67eacc\n"
                       "0f1fbde3a23bf23c36d2bd95ca3c24a5abcbd16dfb9e8c56d75e4e37fc5e5e1c\n", -1));
  Load l;
  load_with(&l, dir, NULL);
  cr_assert_not_null(l.snap, "%s", l.report.errors->len ? (gchar *) l.report.errors->pdata[0] : "");
  cr_assert_eq(di_snapshot_count(l.snap), 3, "the CSV row and the two hashes");
  cr_assert_eq(l.report.not_feeds, 6);
  assert_listed(l.report.warnings, "old-feeds.zip: an archive dprk-intel does not read, not a feed: skipped");
  assert_listed(l.report.warnings, "SHA256SUMS: a checksum file, not a feed: skipped");
  assert_listed(l.report.warnings, "a-feed.csv.sha256: a checksum file");
  assert_listed(l.report.warnings, "a-feed.csv.asc: a signature");
  assert_listed(l.report.warnings, "README: documentation or code");
  assert_listed(l.report.warnings, "notes.txt: unknown feed format");
  load_clear(&l);
  scratch_free(dir);
}

/* A file given by name that no reader recognises is an error saying what
 * was expected and what was found. */
Test(feed_directory, a_refused_file_says_what_it_found)
{
  gchar *dir = scratch_new();
  const struct
  {
    const gchar *text;
    const gchar *found;
  } cases[] =
  {
    { "address,chain,source\n0x098B716B8Aaf21512996dC57EB0615e2383E2f96,ETH,FBI\n",
      "found a CSV header 'address,chain,source' without a column named indicator, value or ioc" },
    { "{\"some\": \"json\"}\n", "found JSON that is not a STIX bundle, a MISP event or a list of strings" },
    { "<html><body>x</body></html>\n", "found XML that is not OFAC's, starting '<html><body>x</body></html>'" },
    { "PK\x03\x04 zipped", "found a zip archive" },
    { "Sources of the files (data only).\n", "found text whose first line 'Sources of the files (data only).'" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
    {
      gchar *path = scratch_write(dir, "x.dat", cases[i].text, -1);
      Load l;
      load_with(&l, path, NULL);
      cr_assert_null(l.snap);
      cr_assert_eq(l.report.errors->len, 1);
      const gchar *error = l.report.errors->pdata[0];
      cr_assert(strstr(error, "unknown feed format: expected canonical CSV (a header naming an 'indicator' column), "
                       "an IOC CSV (a 'value', 'ioc' or 'indicator' column), a STIX 2 bundle"), "%s", error);
      cr_assert(strstr(error, cases[i].found), "case %zu: %s", i, error);
      load_clear(&l);
      g_free(path);
    }
  scratch_free(dir);
}

/* ---- declared nexus ------------------------------------------------------- */

static DiNexus
_nexus_of(const DiSnapshot *snap, DiType type, const gchar *value)
{
  DiKey key;
  DiType inferred;
  cr_assert(di_normalize(type, value, strlen(value), &key, &inferred, NULL));
  FeedFind f = { type, -1 };
  di_snapshot_lookup(snap, &key, _feed_find_cb, &f);
  cr_assert_geq(f.entry, 0, "%s not loaded", value);
  return di_snapshot_entry_nexus(snap, f.entry);
}

/* Unattributed rows are DPRK-linked when their feed is declared DPRK, by a
 * header or by dprk-feeds(); an attributed row is by its actor anyway. */
Test(feed_nexus, declared_by_header_or_option)
{
  gchar *dir = scratch_new();
  gchar *declared = scratch_write(dir, "a.csv", "# nexus: dprk\n" HEADER "203.0.113.1,ipv4,,,,,,\n", -1);
  gchar *plain = scratch_write(dir, "b.txt", "203.0.113.2\n", -1);
  gchar *attributed = scratch_write(dir, "c.csv", HEADER "203.0.113.3,ipv4,Hidden Cobra,,,,,\n", -1);
  Load l;
  load_with(&l, dir, NULL);
  cr_assert_not_null(l.snap);
  cr_assert_eq(_nexus_of(l.snap, DI_TYPE_IPV4, "203.0.113.1"), DI_NEXUS_DPRK);
  cr_assert_eq(_nexus_of(l.snap, DI_TYPE_IPV4, "203.0.113.2"), DI_NEXUS_UNKNOWN);
  cr_assert_eq(_nexus_of(l.snap, DI_TYPE_IPV4, "203.0.113.3"), DI_NEXUS_DPRK);
  cr_assert(((DiFeedFileReport *) l.report.files->pdata[0])->declared_dprk);
  load_clear(&l);

  DiFeedOptions options;
  di_feed_options_init(&options);
  const gchar *dprk[] = { plain, NULL };
  options.dprk_paths = dprk;
  load_with(&l, dir, &options);
  cr_assert_eq(_nexus_of(l.snap, DI_TYPE_IPV4, "203.0.113.2"), DI_NEXUS_DPRK);
  load_clear(&l);
  const gchar *whole[] = { dir, NULL };
  options.dprk_paths = whole;
  load_with(&l, dir, &options);
  cr_assert_eq(_nexus_of(l.snap, DI_TYPE_IPV4, "203.0.113.2"), DI_NEXUS_DPRK);
  load_clear(&l);
  g_free(declared);
  g_free(plain);
  g_free(attributed);
  scratch_free(dir);
}

/* ---- refanging -------------------------------------------------------------- */

Test(feed_refang, the_usual_defanged_forms)
{
  GString *out = g_string_new("");
  const struct
  {
    const gchar *in, *out;
    guint n;
  } cases[] =
  {
    { "hxxp://evil[.]example/a", "http://evil.example/a", 2 },
    { "hXXps[://]evil(.)example[dot]com", "https://evil.example.com", 4 },
    { "104[.]155[.]138[.]21", "104.155.138.21", 3 },
    { "spy[@]evil[.]example", "spy@evil.example", 2 },
    { "evil.example[:]8080", "evil.example:8080", 1 },
    { "hxxp-out.wetax-pay.site", "hxxp-out.wetax-pay.site", 0 },
    { "http://[2001:db8::1]:80/", "http://[2001:db8::1]:80/", 0 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
    {
      guint n = di_feed_refang(cases[i].in, strlen(cases[i].in), out);
      cr_assert_eq(n, cases[i].n, "%s: %u", cases[i].in, n);
      if (n)
        cr_assert_str_eq(out->str, cases[i].out);
    }
  g_string_free(out, TRUE);
}

/* A defanged list and a defanged CSV load the real values, counted. */
Test(feed_refang, lists_and_csvs_load_refanged_values)
{
  gchar *dir = scratch_new();
  gchar *list = scratch_write(dir, "defanged.txt",
                              "hxxp[://]104[.]168[.]145[.]83/x.php\n"
                              "evil-update[.]example\n"
                              "hxxps://dl(.)evil-update[.]example/a.zip\n", -1);
  FeedRead r;
  feed_read(&r, list);
  feed_assert_no_errors(&r);
  cr_assert_eq(r.refanged, 3);
  feed_assert_entry(&r, DI_TYPE_URL, "http://104.168.145.83/x.php", NULL, NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_IPV4, "104.168.145.83", NULL, NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "evil-update.example", NULL, NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_URL, "https://dl.evil-update.example/a.zip", NULL, NULL, NULL);
  feed_read_clear(&r);
  gchar *csv = scratch_write(dir, "defanged.csv", HEADER "evil[.]example,domain,,,,,,\n", -1);
  feed_read(&r, csv);
  cr_assert_eq(r.refanged, 1);
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "evil.example", NULL, NULL, NULL);
  feed_read_clear(&r);
  g_free(list);
  g_free(csv);
  scratch_free(dir);
}
