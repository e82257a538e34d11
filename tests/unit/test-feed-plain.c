/* test-feed-plain.c: plain lists: maltrail's trails, OFAC's per-asset
 * address lists (text and JSON) and hand-written lists. */
#include "feed-test-util.h"

/* maltrail_apt_lazarus.txt: 5573 indicator lines (not blank, not '#'),
 * sorted by shape with a script and checked by eye on samples:
 *   3903 domains (3853 distinct after lower-casing),
 *      4 IPv4 + 871 IPv4:port (574 distinct addresses: the port is dropped),
 *    693 host/path + 3 host:port/path (630 distinct URLs), 166 of them with
 *        an IP for host, which is loaded too: 113 addresses not listed
 *        bare (687 distinct IPv4),
 *     99 paths without a host ("/tbl_add.php"): ignored.
 * Loaded 5573 - 99 + 166 = 5640.  The file's name names Lazarus. */
Test(feed_plain, maltrail_lazarus)
{
  gchar *path = data_feed("maltrail_apt_lazarus.txt");
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "plain");
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 5640);
  cr_assert_eq(r.ignored, 99);
  cr_assert_eq(r.per_type[DI_TYPE_DOMAIN], 3853);
  cr_assert_eq(r.per_type[DI_TYPE_IPV4], 687);
  cr_assert_eq(r.per_type[DI_TYPE_URL], 630);
  cr_assert_eq(di_snapshot_count(r.snap), 3853 + 687 + 630);
  /* line 8, under the Reference of line 6 */
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "exbonus.mrbasic.com", "Lazarus Group", "maltrail",
                    "https://cdn.securelist.com/files/2017/04/Lazarus_Under_The_Hood_PDF_final.pdf");
  /* line 16 */
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "celasllc.com", "Lazarus Group", "maltrail",
                    "https://securelist.com/operation-applejeus/87553/");
  /* line 30: host/path */
  feed_assert_entry(&r, DI_TYPE_URL, "http://apshenyihl.com/include/arc.speclist.class.php", "Lazarus Group", NULL,
                    "https://www.alienvault.com/blogs/labs-research/"
                    "malicious-documents-from-lazarus-group-targeting-south-korea");
  /* line 105: 194.45.8.41:443 */
  feed_assert_entry(&r, DI_TYPE_IPV4, "194.45.8.41", "Lazarus Group", NULL,
                    "https://twitter.com/blackorbird/status/1148843702690832385");
  cr_assert_lt(feed_find(&r, DI_TYPE_DOMAIN, "apshenyihl.com"), 0, "a host/path trail does not list its host");
  feed_read_clear(&r);
  g_free(path);
}

/* maltrail_apt_kimsuky.txt, sorted the same way: 26493 indicator lines:
 * 25933 domains (25560 distinct; 27 of them with '_' in a label, such as
 * mp_eval_r.ria.monster, which DNS allows; 11 starting "hxxp", such as
 * hxxp-out.wetax-pay.site, which are no defanged URLs), 96 IPv4:port (74
 * distinct), 353 host/path and http://IP (348 distinct URLs; 76 with an IP
 * for host, loaded too: 54 not listed bare, 128 distinct IPv4), 111 paths
 * without a host (ignored).  Loaded 26493 - 111 + 76 = 26458. */
Test(feed_plain, maltrail_kimsuky)
{
  gchar *path = data_feed("maltrail_apt_kimsuky.txt");
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "plain");
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 26458);
  cr_assert_eq(r.ignored, 111);
  cr_assert_eq(r.refanged, 0);
  cr_assert_eq(r.per_type[DI_TYPE_DOMAIN], 25560);
  cr_assert_eq(r.per_type[DI_TYPE_IPV4], 128);
  cr_assert_eq(r.per_type[DI_TYPE_URL], 348);
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "hxxp-out.wetax-pay.site", "Kimsuky", NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_IPV4, "192.186.142.74", "Kimsuky", NULL, NULL);
  /* line 9, under two Reference lines (5 and 6): both kept */
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "maii-daum-net.atwebpages.com", "Kimsuky", "maltrail",
                    "https://otx.alienvault.com/pulse/5c93c4e48312d159728a9d78 https://blog.alyac.co.kr/2209 (Korean)");
  /* line 31, under four */
  feed_assert_entry(&r, DI_TYPE_URL, "http://192.186.142.74/", "Kimsuky", "maltrail",
                    "https://twitter.com/blackorbird/status/1118334122592591872 "
                    "https://raw.githubusercontent.com/blackorbird/APT_REPORT/master/kimsuky/Smoke%20Screen.pdf "
                    "https://www.virustotal.com/gui/ip-address/192.186.142.74/relations "
                    "https://otx.alienvault.com/pulse/5cb6e14b2fefc160d9e18b24");
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "mp_eval_r.ria.monster", "Kimsuky", NULL, NULL);
  feed_read_clear(&r);
  g_free(path);
}

/* ---- OFAC per-asset lists --------------------------------------------- */

typedef struct
{
  const gchar *asset;
  guint lines;
  DiType types[3];
  guint counts[3];
} AssetList;

/* Counted by the first characters of each line (0x..., T..., 1/3/bc1...,
 * 4/8 for Monero) and by length (95 for Monero addresses, 64 for the one
 * hex string OFAC lists as XMR: no address of any chain, so reported, not
 * loaded as a hash).  USDT holds Ethereum, Omni (bitcoin) and TRON
 * addresses; XBT holds one TRON address; BCH mixes legacy and cashaddr
 * forms, all Bitcoin Cash. */
static const AssetList asset_lists[] =
{
  { "ARB", 1, { DI_TYPE_ETH }, { 1 } },
  { "BCH", 7, { DI_TYPE_BCH }, { 7 } },
  { "BSC", 1, { DI_TYPE_ETH }, { 1 } },
  { "BSV", 1, { DI_TYPE_BSV }, { 1 } },
  { "BTG", 1, { DI_TYPE_BTG }, { 1 } },
  { "DASH", 3, { DI_TYPE_DASH }, { 3 } },
  { "ETC", 1, { DI_TYPE_ETH }, { 1 } },
  { "ETH", 152, { DI_TYPE_ETH }, { 152 } },
  { "LTC", 10, { DI_TYPE_LTC }, { 10 } },
  { "TRX", 6, { DI_TYPE_TRX }, { 6 } },
  { "USDC", 2, { DI_TYPE_ETH }, { 2 } },
  { "USDT", 26, { DI_TYPE_ETH, DI_TYPE_BTC, DI_TYPE_TRX }, { 8, 7, 11 } },
  { "XBT", 435, { DI_TYPE_BTC, DI_TYPE_TRX }, { 434, 1 } },
  { "XMR", 2, { DI_TYPE_XMR }, { 2 } },
  { "XRP", 1, { DI_TYPE_XRP }, { 1 } },
  { "XVG", 1, { DI_TYPE_XVG }, { 1 } },
  { "ZEC", 3, { DI_TYPE_ZEC }, { 3 } },
};

static void
_check_asset_list(const AssetList *list, const gchar *ext)
{
  gchar *name = g_strdup_printf("ofac_0xB10C_lists/sanctioned_addresses_%s.%s", list->asset, ext);
  gchar *path = data_feed(name);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "plain", "%s", name);
  if (strcmp(list->asset, "XMR") == 0)
    {
      /* line 2, or the JSON twin's $[1] */
      cr_assert_eq(r.errors->len, 1, "%s", feed_errors(&r));
      cr_assert(strstr(r.errors->pdata[0], "invalid xmr address '5be5543ff73456ab9f2d207887e2af87322c651ea1a873c5b25b7ffae"
                                           "456c320'; listed as XMR, and no address of another chain"));
    }
  else
    feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, list->lines, "%s: %u loaded", name, r.loaded);
  guint total = 0;
  for (gsize i = 0; i < G_N_ELEMENTS(list->types) && list->counts[i]; i++)
    {
      cr_assert_eq(r.per_type[list->types[i]], list->counts[i], "%s: %u %s", name, r.per_type[list->types[i]],
                   di_type_name(list->types[i]));
      total += list->counts[i];
    }
  cr_assert_eq(di_snapshot_count(r.snap), total, "%s: nothing else", name);
  for (guint32 e = 0; e < di_snapshot_count(r.snap); e++)
    {
      cr_assert_str_eq(di_snapshot_entry_source(r.snap, e), "OFAC SDN");
      cr_assert_str_eq(di_snapshot_entry_actor(r.snap, e), "");
    }
  feed_read_clear(&r);
  g_free(path);
  g_free(name);
}

Test(feed_plain, ofac_asset_lists)
{
  for (gsize i = 0; i < G_N_ELEMENTS(asset_lists); i++)
    _check_asset_list(&asset_lists[i], "txt");
}

Test(feed_plain, ofac_asset_lists_as_json)
{
  for (gsize i = 0; i < G_N_ELEMENTS(asset_lists); i++)
    _check_asset_list(&asset_lists[i], "json");
}

/* The TRON address OFAC files under XBT is loaded as trx, not reported. */
Test(feed_plain, mis_tagged_address_keeps_its_real_type)
{
  gchar *path = data_feed("ofac_0xB10C_lists/sanctioned_addresses_XBT.txt");
  FeedRead r;
  feed_read(&r, path);
  feed_assert_entry(&r, DI_TYPE_TRX, "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq", "", "OFAC SDN", "");
  cr_assert_lt(feed_find(&r, DI_TYPE_BTC, "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq"), 0);
  feed_read_clear(&r);
  g_free(path);
}

/* ---- hand-written lists ----------------------------------------------- */

Test(feed_plain, shapes_references_and_actor_from_the_name)
{
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "apt_kimsuky.txt",
    "# Aliases: nobody we know, also unknown\r\n"
    "# Reference: https://example.org/one\r\n"
    "\r\n"
    "Login.Example-Mail.com.\r\n"
    "203.0.113.5:8080\r\n"
    "[2001:db8::5]:443\r\n"
    "2001:db8::6\r\n"
    "198.51.100.0/24\r\n"
    "# Reference: https://example.org/two\r\n"
    "# a note between\r\n"
    "# Reference: https://example.org/three\r\n"
    "mail.example.net/owa/auth.php   # phishing page\r\n"
    "https://example.com:8443/a?b=c\r\n"
    "/wp-admin/x.php\r\n"
    "spy@example.org\r\n"
    "d41d8cd98f00b204e9800998ecf8427e\r\n", -1);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "plain");
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 9);
  cr_assert_eq(r.ignored, 1);
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "login.example-mail.com", "Kimsuky", "apt_kimsuky.txt",
                    "https://example.org/one");
  feed_assert_entry(&r, DI_TYPE_IPV4, "203.0.113.5", "Kimsuky", NULL, "https://example.org/one");
  feed_assert_entry(&r, DI_TYPE_IPV6, "2001:db8::5", NULL, NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_IPV6, "2001:db8::6", NULL, NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_CIDR, "198.51.100.0/24", NULL, NULL, NULL);
  const gchar *joined = "https://example.org/two https://example.org/three";
  feed_assert_entry(&r, DI_TYPE_URL, "http://mail.example.net/owa/auth.php", NULL, NULL, joined);
  feed_assert_entry(&r, DI_TYPE_URL, "https://example.com:8443/a?b=c", NULL, NULL, joined);
  feed_assert_entry(&r, DI_TYPE_EMAIL, "spy@example.org", NULL, NULL, joined);
  feed_assert_entry(&r, DI_TYPE_MD5, "d41d8cd98f00b204e9800998ecf8427e", NULL, NULL, joined);
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
}

Test(feed_plain, bad_lines_give_file_and_line)
{
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "list.txt",
    "# my list\n"
    "good.example.com\n"
    "not a value\n"
    "999.1.2.3\n"
    "sanctioned.example.org\n", -1);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_eq(r.errors->len, 2);
  feed_assert_error(&r, 0, path, "3: cannot tell the type of 'not a value'");
  feed_assert_error(&r, 1, path, "4: cannot tell the type of '999.1.2.3'");
  cr_assert_eq(r.loaded, 2);
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "sanctioned.example.org", "", "list.txt", "");
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
}

Test(feed_plain, asset_list_errors)
{
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "sanctioned_addresses_ETH.txt",
    "0x098B716B8Aaf21512996dC57EB0615e2383E2f96\n"
    "0x098b716B8AAF21512996DC57EB0615E2383E2F96\n", -1);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_eq(r.errors->len, 1);
  feed_assert_error(&r, 0, path,
                    "2: invalid eth address '0x098b716B8AAF21512996DC57EB0615E2383E2F96' (EIP-55 checksum mismatch); "
                    "listed as ETH, and no address of another chain");
  feed_read_clear(&r);
  g_free(path);

  path = scratch_write(dir, "sanctioned_addresses_XBT.json", "[\"125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU\", 7]", -1);
  feed_read(&r, path);
  cr_assert_eq(r.errors->len, 1);
  feed_assert_error(&r, 0, path, "$[1]: expected an indicator string");
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
}

/* What is not a list is not read as one. */
Test(feed_plain, detection_leaves_other_text_alone)
{
  gchar *dir = scratch_new();
  const gchar *not_plain[] =
  {
    "address,chain,source\n0x098B716B8Aaf21512996dC57EB0615e2383E2f96,ETH,FBI\n",
    "{\"some\": \"json\"}\n",
    "<html><body>x</body></html>\n",
    "binary\x01\x02\n",
    "# notes\nSources of the files under feeds/ (data only).\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(not_plain); i++)
    {
      gchar *path = scratch_write(dir, "x.txt", not_plain[i], -1);
      GError *error = NULL;
      cr_assert_null(di_feed_detect(path, &error), "case %zu", i);
      cr_assert(strstr(error->message, "unknown feed format"), "%s", error->message);
      g_error_free(error);
      g_free(path);
    }
  gchar *path = scratch_write(dir, "empty.txt", "", 0);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "plain");
  cr_assert_eq(r.loaded, 0);
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
}

/* ---- the file's own actor, C2 URLs on bare IPs (real trails) ------------ */

/* maltrail's apt_bluenoroff.txt (tests/data/feeds/maltrail): its Aliases
 * line names "cryptocore" (UNC1069) before "ta444" (APT38); the file is
 * BlueNoroff's, and its name says so: every row is APT38.  2132 indicator
 * lines (8 paths ignored), 6 of them http://IP C2s, which give their IP
 * too: 2138 loaded; 2049 domains, 42 IPv4, 7 URLs.  msservices.hxxps443.org
 * is a domain, not a defanged URL. */
Test(feed_plain, maltrail_bluenoroff_is_apt38)
{
  gchar *path = data_feed("maltrail/apt_bluenoroff.txt");
  FeedRead r;
  feed_read(&r, path);
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 2138);
  cr_assert_eq(r.ignored, 8);
  cr_assert_eq(r.refanged, 0);
  cr_assert_eq(r.per_type[DI_TYPE_DOMAIN], 2049);
  cr_assert_eq(r.per_type[DI_TYPE_IPV4], 42);
  cr_assert_eq(r.per_type[DI_TYPE_URL], 7);
  for (guint32 e = 0; e < di_snapshot_count(r.snap); e++)
    cr_assert_str_eq(di_snapshot_entry_actor(r.snap, e), "APT38");
  /* line 609, http://104.255.172.56 alone: the URL and its address */
  feed_assert_entry(&r, DI_TYPE_URL, "http://104.255.172.56/", "APT38", "maltrail", NULL);
  feed_assert_entry(&r, DI_TYPE_IPV4, "104.255.172.56", "APT38", "maltrail", NULL);
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "msservices.hxxps443.org", "APT38", NULL, NULL);
  feed_read_clear(&r);
  g_free(path);
}

/* android_lazarus.txt: aliases no table entry knows ("lazarus stealer"),
 * a name that does: Lazarus Group.  80 IP:port and 7 domain lines (the
 * port dropped: 80 + 4 distinct). */
Test(feed_plain, maltrail_android_lazarus)
{
  gchar *path = data_feed("maltrail/android_lazarus.txt");
  FeedRead r;
  feed_read(&r, path);
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 87);
  cr_assert_eq(r.per_type[DI_TYPE_IPV4], 80);
  feed_assert_entry(&r, DI_TYPE_IPV4, "193.151.108.203", "Lazarus Group", "maltrail",
                    "https://x.com/solostalking/status/1953741512136688056");
  feed_read_clear(&r);
  g_free(path);
}

/* An explicit "# actor:" beats the name; a name that names no actor leaves
 * it to the Aliases line, the first alias the table knows. */
Test(feed_plain, explicit_actor_then_name_then_aliases)
{
  gchar *dir = scratch_new();
  gchar *named = scratch_write(dir, "apt_kimsuky.txt", "# actor: Andariel\n# Aliases: ta444\nevil.example\n", -1);
  gchar *plain = scratch_write(dir, "trails.txt", "# Aliases: apt-c-55, ta444, kimsuky\nevil.example\n", -1);
  FeedRead r;
  feed_read(&r, named);
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "evil.example", "Andariel", NULL, NULL);
  feed_read_clear(&r);
  feed_read(&r, plain);
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "evil.example", "APT38", NULL, NULL);
  feed_read_clear(&r);
  g_free(named);
  g_free(plain);
  scratch_free(dir);
}
