/* test-warninglist.c: known-benign values: what each kind of MISP
 * warninglist matches, the loader keeping such values out of the feeds
 * (noted with the list for `dprk-intel check`), turning a list off, and the
 * lists bundled in feeds/warninglists against real DPRK feeds. */
#include "feed-test-util.h"
#include "warninglist.h"

static DiWarninglists *
_lists(const gchar *const *jsons)
{
  DiWarninglists *w = di_warninglists_new();
  for (gsize i = 0; jsons[i]; i += 2)
    {
      GError *error = NULL;
      cr_assert(di_warninglists_add_json(w, jsons[i], jsons[i + 1], strlen(jsons[i + 1]), &error), "%s: %s",
                jsons[i], error ? error->message : "");
    }
  return w;
}

/* The name of the list that holds value (typed as a feed would), or "". */
static const gchar *
_find(DiWarninglists *w, DiType type, const gchar *value)
{
  DiKey key;
  DiType inferred;
  cr_assert(di_normalize(type, value, strlen(value), &key, &inferred, NULL), "%s", value);
  const gchar *list = di_warninglists_find(w, inferred, &key);
  return list ? list : "";
}

Test(warninglist, string_hostname_and_cidr_lists)
{
  const gchar *jsons[] =
  {
    "top", "{\"name\": \"top\", \"type\": \"string\", \"list\": [\"Box.com.\", \"github.io\", \".azurewebsites.net\", "
           "\"d41d8cd98f00b204e9800998ecf8427e\", \"8.8.8.8\"]}",
    "services", "{\"type\": \"hostname\", \"list\": [\"dropboxapi.com\", \".ngrok.io\"]}",
    "ranges", "{\"type\": \"cidr\", \"list\": [\"10.0.0.0/8\", \"2001:db8::/32\", \"198.51.100.7\"]}",
    NULL
  };
  DiWarninglists *w = _lists(jsons);
  cr_assert_eq(di_warninglists_count(w), 3);
  /* string: exact values only */
  cr_assert_str_eq(_find(w, DI_TYPE_DOMAIN, "box.com"), "top");
  cr_assert_str_eq(_find(w, DI_TYPE_DOMAIN, "app.box.com"), "");
  cr_assert_str_eq(_find(w, DI_TYPE_DOMAIN, "github.io"), "top");
  cr_assert_str_eq(_find(w, DI_TYPE_DOMAIN, "lazarus.github.io"), "", "an attacker's page on a listed host");
  cr_assert_str_eq(_find(w, DI_TYPE_DOMAIN, "evil.azurewebsites.net"), "", "a dotted entry of a string list");
  cr_assert_str_eq(_find(w, DI_TYPE_MD5, "D41D8CD98F00B204E9800998ECF8427E"), "top");
  cr_assert_str_eq(_find(w, DI_TYPE_IPV4, "8.8.8.8"), "top");
  /* hostname: a domain and its subdomains; ".x" the subdomains only */
  cr_assert_str_eq(_find(w, DI_TYPE_DOMAIN, "dropboxapi.com"), "services");
  cr_assert_str_eq(_find(w, DI_TYPE_DOMAIN, "content.dropboxapi.com"), "services");
  cr_assert_str_eq(_find(w, DI_TYPE_DOMAIN, "notdropboxapi.com"), "");
  cr_assert_str_eq(_find(w, DI_TYPE_DOMAIN, "abc.ngrok.io"), "services");
  cr_assert_str_eq(_find(w, DI_TYPE_DOMAIN, "ngrok.io"), "");
  /* URLs: a bare site is benign, an object on it is an indicator */
  cr_assert_str_eq(_find(w, DI_TYPE_URL, "https://content.dropboxapi.com/"), "services");
  cr_assert_str_eq(_find(w, DI_TYPE_URL, "https://content.dropboxapi.com:443"), "services");
  cr_assert_str_eq(_find(w, DI_TYPE_URL, "https://content.dropboxapi.com/2/files/download"), "");
  cr_assert_str_eq(_find(w, DI_TYPE_URL, "http://10.1.2.3/"), "ranges");
  /* cidr: addresses and networks inside a range */
  cr_assert_str_eq(_find(w, DI_TYPE_IPV4, "10.200.3.4"), "ranges");
  cr_assert_str_eq(_find(w, DI_TYPE_CIDR, "10.20.0.0/16"), "ranges");
  cr_assert_str_eq(_find(w, DI_TYPE_CIDR, "10.0.0.0/7"), "", "a network wider than the range");
  cr_assert_str_eq(_find(w, DI_TYPE_IPV4, "198.51.100.7"), "ranges");
  cr_assert_str_eq(_find(w, DI_TYPE_IPV4, "198.51.100.8"), "");
  cr_assert_str_eq(_find(w, DI_TYPE_IPV6, "2001:db8:1::5"), "ranges");
  cr_assert_str_eq(_find(w, DI_TYPE_IPV6, "2001:db9::5"), "");
  /* wallets are never benign */
  cr_assert_str_eq(_find(w, DI_TYPE_ETH, "0x098B716B8Aaf21512996dC57EB0615e2383E2f96"), "");
  di_warninglists_free(w);
}

Test(warninglist, what_is_not_a_list_is_refused)
{
  DiWarninglists *w = di_warninglists_new();
  GError *error = NULL;
  cr_assert_not(di_warninglists_add_json(w, "x", "{\"list\": 1}", 11, &error));
  cr_assert_str_eq(error->message, "not a MISP warninglist: expected a JSON object with a \"list\" array");
  g_clear_error(&error);
  const gchar *regex = "{\"type\": \"regex\", \"list\": [\"^a\"]}";
  cr_assert_not(di_warninglists_add_json(w, "x", regex, strlen(regex), &error));
  cr_assert_str_eq(error->message, "warninglists of type 'regex' are not read (string, hostname and cidr are)");
  g_clear_error(&error);
  cr_assert_eq(di_warninglists_count(w), 0);
  di_warninglists_free(w);
}

/* A feed listing benign services: each kept out, noted with its list, and
 * counted; the real indicator beside them loads.  A list turned off by name
 * lets its values through to the next list that holds them; "all" turns
 * every list off. */
Test(warninglist, the_loader_keeps_benign_values_out)
{
  gchar *dir = scratch_new();
  gchar *feed = scratch_write(dir, "playbook.txt",
                              "box.com\n"
                              "dropboxapi.com\n"
                              "api.pcloud.com\n"
                              "yandex.com\n"
                              "https://www.dropbox.com/s/x1y2z3/invoice.zip\n"
                              "8.8.8.8\n"
                              "104.16.0.1\n"
                              "d41d8cd98f00b204e9800998ecf8427e\n"
                              "celasllc.com\n", -1);
  gchar *bundled = g_build_filename(DI_SRCDIR, "feeds", "warninglists", NULL);
  const gchar *lists[] = { bundled, NULL };
  DiFeedOptions options;
  di_feed_options_init(&options);
  options.warninglists = lists;
  const gchar *paths[] = { feed, NULL };
  DiLoadReport report;
  di_load_report_init(&report);
  DiSnapshot *snap = di_feed_load_with(paths, &options, NOW, &report);
  cr_assert_not_null(snap);
  cr_assert_eq(di_snapshot_count(snap), 2, "the Dropbox file and celasllc.com");
  cr_assert_eq(report.suppressed, 7);
  cr_assert_eq(((DiFeedFileReport *) report.files->pdata[0])->suppressed, 7);
  const gchar *expected[] =
  {
    "1: domain 'box.com' is on warninglist 'cloudflare-top1k': not loaded",
    "2: domain 'dropboxapi.com' is on warninglist 'cloudflare-top1k': not loaded",
    "3: domain 'api.pcloud.com' is on warninglist 'dprk-intel-file-sharing': not loaded",
    "4: domain 'yandex.com' is on warninglist 'cloudflare-top1k': not loaded",
    "6: ipv4 '8.8.8.8' is on warninglist 'public-dns-v4': not loaded",
    "7: ipv4 '104.16.0.1' is on warninglist 'cloudflare': not loaded",
    "8: md5 'd41d8cd98f00b204e9800998ecf8427e' is on warninglist 'common-ioc-false-positive': not loaded",
  };
  cr_assert_eq(report.suppressions->len, G_N_ELEMENTS(expected));
  for (gsize i = 0; i < G_N_ELEMENTS(expected); i++)
    {
      gchar *want = g_strdup_printf("%s:%s", feed, expected[i]);
      cr_assert_str_eq(report.suppressions->pdata[i], want);
      g_free(want);
    }
  cr_assert_geq(report.warninglists->len, 20);
  di_snapshot_unref(snap);
  di_load_report_clear(&report);

  const gchar *off[] = { "cloudflare-top1k", "cisco_top1000", NULL };
  options.warninglists_disabled = off;
  di_load_report_init(&report);
  snap = di_feed_load_with(paths, &options, NOW, &report);
  cr_assert_eq(report.suppressed, 7, "the file-sharing list holds the same services");
  cr_assert(strstr(report.suppressions->pdata[0], "'box.com' is on warninglist 'dprk-intel-file-sharing'"));
  di_snapshot_unref(snap);
  di_load_report_clear(&report);

  const gchar *all[] = { "all", NULL };
  options.warninglists_disabled = all;
  di_load_report_init(&report);
  snap = di_feed_load_with(paths, &options, NOW, &report);
  cr_assert_eq(report.suppressed, 0);
  cr_assert_eq(di_snapshot_count(snap), 9);
  di_snapshot_unref(snap);
  di_load_report_clear(&report);
  g_free(bundled);
  g_free(feed);
  scratch_free(dir);
}

/* A MISP checkout (lists/NAME/list.json) is read whole; a broken list is a
 * warning and the others are used. */
Test(warninglist, a_misp_checkout_and_a_broken_list)
{
  gchar *dir = scratch_new();
  gchar *lists = g_build_filename(dir, "lists", NULL);
  gchar *one = g_build_filename(lists, "one", NULL);
  gchar *two = g_build_filename(lists, "two", NULL);
  cr_assert_eq(g_mkdir_with_parents(one, 0700), 0);
  cr_assert_eq(g_mkdir_with_parents(two, 0700), 0);
  gchar *a = scratch_write(one, "list.json", "{\"type\": \"hostname\", \"list\": [\"example.org\"]}", -1);
  gchar *b = scratch_write(two, "list.json", "{\"type\": \"hostname\", \"list\": [", -1);
  DiWarninglists *w = di_warninglists_new();
  GPtrArray *problems = g_ptr_array_new_with_free_func(g_free);
  const gchar *paths[] = { dir, NULL };
  di_warninglists_load(w, paths, NULL, problems);
  cr_assert_eq(di_warninglists_count(w), 1);
  cr_assert_str_eq(di_warninglists_name(w, 0), "one");
  cr_assert_eq(problems->len, 1);
  cr_assert(strstr(problems->pdata[0], "two/list.json: not a MISP warninglist"), "%s", (gchar *) problems->pdata[0]);
  cr_assert_str_eq(_find(w, DI_TYPE_DOMAIN, "www.example.org"), "one");
  g_ptr_array_free(problems, TRUE);
  di_warninglists_free(w);
  g_unlink(a);
  g_unlink(b);
  g_rmdir(one);
  g_rmdir(two);
  g_rmdir(lists);
  g_free(a);
  g_free(b);
  g_free(one);
  g_free(two);
  g_free(lists);
  scratch_free(dir);
}

/* The bundled lists keep none of the indicators of real DPRK feeds out:
 * maltrail's BlueNoroff and Android Lazarus trails, Volexity's AppleJeus,
 * 3CX and SharpTongue files. */
Test(warninglist, the_bundled_lists_spare_real_dprk_feeds)
{
  gchar *bundled = g_build_filename(DI_SRCDIR, "feeds", "warninglists", NULL);
  const gchar *lists[] = { bundled, NULL };
  DiFeedOptions options;
  di_feed_options_init(&options);
  options.warninglists = lists;
  gchar *maltrail = data_feed("maltrail");
  gchar *volexity = data_feed("volexity");
  const gchar *paths[] = { maltrail, volexity, NULL };
  DiLoadReport report;
  di_load_report_init(&report);
  DiSnapshot *snap = di_feed_load_with(paths, &options, NOW, &report);
  cr_assert_not_null(snap);
  gchar *all = g_strdup("");
  for (guint i = 0; i < report.suppressions->len; i++)
    {
      gchar *more = g_strconcat(all, report.suppressions->pdata[i], "\n", NULL);
      g_free(all);
      all = more;
    }
  cr_assert_eq(report.suppressed, 0, "%s", all);
  cr_assert_gt(di_snapshot_count(snap), 1000);
  g_free(all);
  di_snapshot_unref(snap);
  di_load_report_clear(&report);
  g_free(maltrail);
  g_free(volexity);
  g_free(bundled);
}
