/* test-feed-ofac.c: OFAC's SDN list as sdn.csv (+ sdn_comments.csv) and as
 * sdn_advanced.xml / sdn.xml. */
#include "feed-test-util.h"

/* The eight ETH addresses of LAZARUS GROUP (ent_num 27307), in the order of
 * its remarks in the sdn.csv excerpt (checked by eye against the file). */
static const gchar *const lazarus_eth[] =
{
  "0x098B716B8Aaf21512996dC57EB0615e2383E2f96", "0xa0e1c89Ef1a489c9C7dE96311eD5Ce5D32c20E4B",
  "0x3Cffd56B47B7b41c56258D9C7731ABaDc360E073", "0x53b6936513e738f44FB50d2b9476730C0Ab3Bfc1",
  "0x35fB6f6DB4fb05e6A4cE86f2C93691425626d4b1", "0xF7B31119c2682c88d88D455dBb9d5932c65Cf1bE",
  "0x3e37627dEAA754090fBFbb8bd226c1CE66D255e9", "0x08723392Ed15743cc38513C4925f5e6be5c17243",
};

/* ---- sdn.csv ---------------------------------------------------------- */

/* 3 entries: LAZARUS GROUP with 8 "Digital Currency Address - ETH" remarks;
 * BLUENOROFF and ANDARIEL with none (ignored). */
Test(feed_ofac_csv, lazarus_excerpt)
{
  gchar *path = data_feed("ofac_sdn_csv_excerpt_lazarus_bluenoroff_andariel.csv");
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "ofac-csv");
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 8);
  cr_assert_eq(r.ignored, 2);
  cr_assert_eq(r.per_type[DI_TYPE_ETH], 8);
  cr_assert_eq(di_snapshot_count(r.snap), 8);
  for (gsize i = 0; i < G_N_ELEMENTS(lazarus_eth); i++)
    feed_assert_entry(&r, DI_TYPE_ETH, lazarus_eth[i], "Lazarus Group", "OFAC SDN", "27307");
  gint64 e = feed_find(&r, DI_TYPE_ETH, lazarus_eth[0]);
  cr_assert_str_eq(di_snapshot_entry_description(r.snap, e), "LAZARUS GROUP");
  feed_read_clear(&r);
  g_free(path);
}

/* The excerpt's Lazarus line with the remarks cut inside the eighth address,
 * "0x08723392Ed1|5743cc...", the rest in sdn_comments.csv; both files with
 * OFAC's CRLF line ends and closing 0x1A. */
#define SDN_HEAD "27307,\"LAZARUS GROUP\",-0- ,\"DPRK3\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\""
#define SDN_REMARKS \
  "Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96; alt. Digital Currency Address - ETH " \
  "0xa0e1c89Ef1a489c9C7dE96311eD5Ce5D32c20E4B; alt. Digital Currency Address - ETH " \
  "0x3Cffd56B47B7b41c56258D9C7731ABaDc360E073; alt. Digital Currency Address - ETH " \
  "0x53b6936513e738f44FB50d2b9476730C0Ab3Bfc1; alt. Digital Currency Address - ETH " \
  "0x35fB6f6DB4fb05e6A4cE86f2C93691425626d4b1; alt. Digital Currency Address - ETH " \
  "0xF7B31119c2682c88d88D455dBb9d5932c65Cf1bE; alt. Digital Currency Address - ETH " \
  "0x3e37627dEAA754090fBFbb8bd226c1CE66D255e9; alt. Digital Currency Address - ETH 0x08723392Ed1"
#define SDN_SPLIT SDN_HEAD SDN_REMARKS "\"\r\n" \
  "27308,\"BLUENOROFF\",-0- ,\"DPRK3\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'APT38'.\"\r\n\x1a"
#define COMMENTS_SPLIT "27307,\"5743cc38513C4925f5e6be5c17243; Secondary sanctions risk: North Korea Sanctions " \
  "Regulations, sections 510.201 and 510.210; a.k.a. 'WHOIS HACKING TEAM'.\"\r\n\x1a"

Test(feed_ofac_csv, address_split_across_sdn_comments)
{
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "sdn.csv", SDN_SPLIT, -1);
  gchar *comments = scratch_write(dir, "sdn_comments.csv", COMMENTS_SPLIT, -1);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "ofac-csv");
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 8);
  cr_assert_eq(r.ignored, 1);
  for (gsize i = 0; i < G_N_ELEMENTS(lazarus_eth); i++)
    feed_assert_entry(&r, DI_TYPE_ETH, lazarus_eth[i], "Lazarus Group", "OFAC SDN", "27307");
  feed_read_clear(&r);

  /* the companion is a format of its own that loads nothing */
  feed_read(&r, comments);
  cr_assert_str_eq(r.format->name, "ofac-comments");
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 0);
  feed_read_clear(&r);

  /* and the loader takes the directory holding both */
  const gchar *paths[] = { dir, NULL };
  DiLoadReport report;
  di_load_report_init(&report);
  DiSnapshot *snap = di_feed_load(paths, NOW, &report);
  cr_assert_not_null(snap, "the directory loads");
  cr_assert_eq(di_snapshot_count(snap), 8);
  cr_assert_eq(report.files->len, 2);
  DiFeedFileReport *f0 = report.files->pdata[0], *f1 = report.files->pdata[1];
  cr_assert_str_eq(f0->format, "ofac-csv");
  cr_assert_str_eq(f1->format, "ofac-comments");
  di_snapshot_unref(snap);
  di_load_report_clear(&report);

  g_free(comments);
  g_free(path);
  scratch_free(dir);
}

Test(feed_ofac_csv, cut_address_without_comments_is_explained)
{
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "sdn.csv", SDN_SPLIT, -1);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_eq(r.errors->len, 1);
  feed_assert_error(&r, 0, path, "1: ent_num 27307: the remarks end inside the ETH address '0x08723392Ed1': OFAC "
                    "cuts remarks at 1000 characters and continues them in sdn_comments.csv, which must sit beside "
                    "this file");
  cr_assert_eq(r.loaded, 7);
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
}

Test(feed_ofac_csv, detected_by_content_not_name)
{
  gchar *dir = scratch_new();
  gchar *full = data_feed("ofac_sdn_csv_excerpt_lazarus_bluenoroff_andariel.csv");
  gchar *data;
  cr_assert(g_file_get_contents(full, &data, NULL, NULL));
  gchar *path = scratch_write(dir, "20-treasury.dat", data, -1);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "ofac-csv");
  cr_assert_eq(r.loaded, 8);
  feed_read_clear(&r);
  g_free(data);
  g_free(path);
  g_free(full);
  scratch_free(dir);
}

static void
_assert_csv_errors(const gchar *contents, const gchar *first, const gchar *second)
{
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "sdn.csv", contents, -1);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "ofac-csv");
  cr_assert_eq(r.errors->len, second ? 2 : 1);
  feed_assert_error(&r, 0, path, first);
  if (second)
    feed_assert_error(&r, 1, path, second);
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
}

Test(feed_ofac_csv, broken_and_truncated_lines)
{
  _assert_csv_errors(SDN_HEAD "Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96.\"\n"
                     "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\"\n"
                     "27309,\"X\",-0- ,\"DPRK3\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"Digital Currency Address - XBT "
                     "1AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA; x.\"\n",
                     "2: expected the 12 columns of OFAC's sdn.csv starting with a numeric ent_num, found 4 columns",
                     "3: invalid btc address '1AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'; listed as XBT, and no address "
                     "of another chain");
  _assert_csv_errors(SDN_HEAD "a.k.a. 'X'.\"\n" SDN_HEAD "Digital Currency Address - ETH 0x098B716B",
                     "2: a quoted field is not closed (truncated file?)", NULL);
}

/* A NUL byte in the remarks is an error: the address before it is not
 * loaded from a field cut short. */
Test(feed_ofac_csv, a_nul_byte_is_an_error)
{
  static const gchar text[] = SDN_HEAD "Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96;"
                              "\0 x.\"\n";
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "sdn.csv", text, sizeof(text) - 1);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "ofac-csv");
  cr_assert_eq(r.errors->len, 1);
  feed_assert_error(&r, 0, path, "1: column 12 holds a NUL byte");
  cr_assert_eq(r.loaded, 0);
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
}

/* A line of 10 MB of commas passes max-line-length: skipped with a warning
 * (not an error); the entry after it still loads.  With the limit lifted it
 * is one error for its columns. */
Test(feed_ofac_csv, a_ten_mb_line_of_commas_is_one_error)
{
  gsize commas = 10 * 1024 * 1024;
  GString *text = g_string_new("27307");
  g_string_set_size(text, text->len + commas);
  memset(text->str + text->len - commas, ',', commas);
  g_string_append(text, "\n" SDN_HEAD "Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96.\"\n");
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "sdn.csv", text->str, text->len);
  FeedRead r;
  feed_read_as(&r, path, &di_feed_format_ofac_csv);
  feed_assert_no_errors(&r);
  cr_assert_eq(r.limits_hit, 1);
  cr_assert_eq(r.loaded, 1);
  feed_read_clear(&r);

  DiFeedOptions options;
  di_feed_options_init(&options);
  options.limits[DI_LIMIT_LINE_LENGTH] = 0;
  feed_read_with(&r, path, &di_feed_format_ofac_csv, &options);
  cr_assert_eq(r.errors->len, 1);
  gchar *want = g_strdup_printf("1: expected the 12 columns of OFAC's sdn.csv starting with a numeric ent_num, "
                                "found %" G_GSIZE_FORMAT " columns", commas + 1);
  feed_assert_error(&r, 0, path, want);
  cr_assert_eq(r.loaded, 1);
  g_free(want);
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
  g_string_free(text, TRUE);
}

/* One entity on many rows of sdn.csv (a hostile file) with a long
 * continuation in sdn_comments.csv: the continuation is joined to the first
 * row only.  Each row joined it again before: 2000 rows x 200 KB. */
Test(feed_ofac_csv, a_repeated_entity_joins_its_continuation_once)
{
  GString *sdn = g_string_new("");
  for (gint i = 0; i < 2000; i++)
    g_string_append(sdn, SDN_HEAD "Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96; \"\n");
  GString *comments = g_string_new("27307,\"");
  while (comments->len < 200 * 1024)
    g_string_append(comments, "alt. Digital Currency Address - ETH 0xa0e1c89Ef1a489c9C7dE96311eD5Ce5D32c20E4B; ");
  g_string_append(comments, "\"\n");
  guint continued = 0;
  for (const gchar *p = comments->str; (p = strstr(p, "Digital Currency")); p++)
    continued++;
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "sdn.csv", sdn->str, sdn->len);
  gchar *side = scratch_write(dir, "sdn_comments.csv", comments->str, comments->len);
  FeedRead r;
  feed_read(&r, path);
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 2000 + continued, "%u loaded", r.loaded);
  cr_assert_eq(di_snapshot_count(r.snap), 2);
  feed_read_clear(&r);
  g_free(path);
  g_free(side);
  scratch_free(dir);
  g_string_free(sdn, TRUE);
  g_string_free(comments, TRUE);
}

/* The nexus and program of each entry: DPRK for a DPRK program, the
 * programs as OFAC lists them. */
Test(feed_ofac_csv, dprk_programs_give_the_nexus)
{
  gchar *path = data_feed("ofac_sdn_csv_excerpt_lazarus_bluenoroff_andariel.csv");
  FeedRead r;
  feed_read(&r, path);
  gint64 e = feed_find(&r, DI_TYPE_ETH, lazarus_eth[0]);
  cr_assert_geq(e, 0);
  cr_assert_eq(di_snapshot_entry_nexus(r.snap, e), DI_NEXUS_DPRK);
  cr_assert_str_eq(di_snapshot_entry_program(r.snap, e), "DPRK3");
  feed_read_clear(&r);
  g_free(path);
}

/* ---- sdn_advanced.xml ------------------------------------------------- */

/* tests/unit/data/sdn_advanced_small.xml, by reading it: LAZARUS GROUP with
 * 2 ETH features (and a Website feature), DPRK3; WU Huihui with a Birthdate
 * and 2 XBT, DPRK3 (a Block measure's comment, DPRK2, is no program); KIM
 * Sang Man with one address as USDT and USDC (one entry: same key, type,
 * actor and source), DPRK4; BLUENOROFF without wallets (ignored); a test
 * party with a TRON address filed as XBT, under CYBER2 only: not loaded by
 * default.  Loaded 2 + 2 + 2 = 6, distinct 5: eth 3, btc 2. */
Test(feed_ofac_xml, small_advanced_file)
{
  gchar *path = test_data("sdn_advanced_small.xml");
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "ofac-xml");
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 6);
  cr_assert_eq(r.ignored, 1);
  cr_assert_eq(r.other_programs, 1);
  cr_assert_eq(r.per_type[DI_TYPE_ETH], 3);
  cr_assert_eq(r.per_type[DI_TYPE_BTC], 2);
  cr_assert_eq(r.per_type[DI_TYPE_TRX], 0);
  cr_assert_eq(di_snapshot_count(r.snap), 5);
  feed_assert_entry(&r, DI_TYPE_ETH, lazarus_eth[0], "Lazarus Group", "OFAC SDN", "27307");
  feed_assert_entry(&r, DI_TYPE_ETH, lazarus_eth[1], "Lazarus Group", "OFAC SDN", "27307");
  feed_assert_entry(&r, DI_TYPE_BTC, "125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU", "WU, Huihui", "OFAC SDN", "42496");
  feed_assert_entry(&r, DI_TYPE_BTC, "12YCfVAEzkEZXBYhUTyJJaRkgMXiFxJgcu", "WU, Huihui", "OFAC SDN", "42496");
  feed_assert_entry(&r, DI_TYPE_ETH, "0xb6f5ec1a0a9cd1526536d3f0426c429529471f40", "KIM, Sang Man", "OFAC SDN",
                    "43377");
  for (guint32 e = 0; e < di_snapshot_count(r.snap); e++)
    cr_assert_eq(di_snapshot_entry_nexus(r.snap, e), DI_NEXUS_DPRK);
  cr_assert_str_eq(di_snapshot_entry_program(r.snap, feed_find(&r, DI_TYPE_BTC, "125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU")),
                   "DPRK3");
  cr_assert_str_eq(di_snapshot_entry_program(r.snap, feed_find(&r, DI_TYPE_ETH, lazarus_eth[0])), "DPRK3");
  cr_assert_lt(feed_find(&r, DI_TYPE_TRX, "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq"), 0, "a CYBER2 party");
  feed_read_clear(&r);
  g_free(path);
}

/* sanctions-programs(all) loads the CYBER2 party too, as nexus OTHER with
 * its program; naming a program loads that one (and DPRK actors: LAZARUS
 * GROUP is in the alias table), not the other DPRK programs. */
Test(feed_ofac_xml, other_programs_on_request)
{
  gchar *path = test_data("sdn_advanced_small.xml");
  DiFeedOptions options;
  di_feed_options_init(&options);
  const gchar *all[] = { "all", NULL };
  options.sanctions_programs = all;
  FeedRead r;
  feed_read_with(&r, path, NULL, &options);
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 7);
  cr_assert_eq(r.other_programs, 0);
  gint64 e = feed_find(&r, DI_TYPE_TRX, "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq");
  cr_assert_geq(e, 0);
  cr_assert_eq(di_snapshot_entry_nexus(r.snap, e), DI_NEXUS_OTHER);
  cr_assert_str_eq(di_snapshot_entry_program(r.snap, e), "CYBER2");
  cr_assert_eq(di_snapshot_entry_nexus(r.snap, feed_find(&r, DI_TYPE_ETH, lazarus_eth[0])), DI_NEXUS_DPRK);
  feed_read_clear(&r);

  const gchar *cyber[] = { "cyber2", NULL };
  options.sanctions_programs = cyber;
  feed_read_with(&r, path, NULL, &options);
  cr_assert_eq(r.loaded, 3, "the CYBER2 party and LAZARUS GROUP");
  cr_assert_eq(r.other_programs, 2, "WU Huihui (DPRK3) and KIM Sang Man (DPRK4)");
  cr_assert_geq(feed_find(&r, DI_TYPE_ETH, lazarus_eth[0]), 0);
  feed_read_clear(&r);
  g_free(path);
}

/* The feature types are found by their text: renaming the ETH one drops
 * exactly the ETH wallets. */
Test(feed_ofac_xml, feature_types_found_by_text)
{
  gchar *dir = scratch_new();
  gchar *small = test_data("sdn_advanced_small.xml");
  gchar *data;
  cr_assert(g_file_get_contents(small, &data, NULL, NULL));
  GString *s = g_string_new(data);
  const gchar *eth = ">Digital Currency Address - ETH<";
  gchar *at = strstr(s->str, eth);
  cr_assert_not_null(at);
  gsize pos = at - s->str;
  g_string_erase(s, pos, strlen(eth));
  g_string_insert(s, pos, ">Website<");
  gchar *path = scratch_write(dir, "sdn_advanced.xml", s->str, -1);
  FeedRead r;
  feed_read(&r, path);
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 4);
  cr_assert_eq(r.per_type[DI_TYPE_ETH], 1, "only KIM's USDT/USDC address is left");
  cr_assert_lt(feed_find(&r, DI_TYPE_ETH, lazarus_eth[0]), 0);
  feed_read_clear(&r);
  g_string_free(s, TRUE);
  g_free(data);
  g_free(path);
  g_free(small);
  scratch_free(dir);
}

/* 3000 parties (about 2 MB): the file crosses many 64 KB chunks, and the
 * padding puts the chunk boundary at byte 65536 inside an address. */
Test(feed_ofac_xml, streams_across_chunks)
{
  const gchar *address = "0x098B716B8Aaf21512996dC57EB0615e2383E2f96";
  GString *parties = g_string_new("");
  gsize boundary_party_start = 0;
  for (gint i = 0; i < 3000; i++)
    g_string_append_printf(parties,
      "<DistinctParty FixedRef=\"%d\"><Comment>%0400d</Comment><Profile ID=\"%d\">"
      "<Identity ID=\"%d\" Primary=\"true\"><Alias Primary=\"true\"><DocumentedName><DocumentedNamePart>"
      "<NamePartValue NamePartGroupID=\"g%d\">PARTY %d</NamePartValue></DocumentedNamePart></DocumentedName></Alias>"
      "</Identity><Feature FeatureTypeID=\"7\"><FeatureVersion><VersionDetail>%s</VersionDetail></FeatureVersion>"
      "</Feature></Profile></DistinctParty>\n", 50000 + i, i, 50000 + i, i, i, i, address);
  const gchar *head = "<?xml version=\"1.0\"?>\n<Sanctions><ReferenceValueSets><FeatureTypeValues>"
                      "<FeatureType ID=\"7\">Digital Currency Address - ETH</FeatureType></FeatureTypeValues>"
                      "</ReferenceValueSets><DistinctParties>\n<!-- ";
  const gchar *pad_end = " -->\n";
  /* the last address that starts before byte 65516 gets moved to start there */
  gsize base = strlen(head) + strlen(pad_end);
  for (const gchar *p = strstr(parties->str, address); p; p = strstr(p + 1, address))
    if (base + (p - parties->str) <= 65516)
      boundary_party_start = p - parties->str;
  gsize pad = 65516 - (base + boundary_party_start);
  GString *doc = g_string_new(head);
  for (gsize i = 0; i < pad; i++)
    g_string_append_c(doc, 'x');
  g_string_append(doc, pad_end);
  g_string_append(doc, parties->str);
  g_string_append(doc, "</DistinctParties><SanctionsEntries>\n");
  for (gint i = 0; i < 3000; i++)
    g_string_append_printf(doc, "<SanctionsEntry ProfileID=\"%d\"><SanctionsMeasure><Comment>DPRK3</Comment>"
                           "</SanctionsMeasure></SanctionsEntry>\n", 50000 + i);
  g_string_append(doc, "</SanctionsEntries></Sanctions>\n");
  cr_assert_eq(memcmp(doc->str + 65516, address, strlen(address)), 0, "an address straddles byte 65536");

  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "sdn_advanced.xml", doc->str, doc->len);
  FeedRead r;
  feed_read(&r, path);
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 3000);
  cr_assert_eq(di_snapshot_count(r.snap), 1, "one address, one indicator");
  cr_assert_eq(di_snapshot_entry_attribution_count(r.snap, 0), DI_SNAPSHOT_MAX_ATTRIBUTIONS,
               "each party an attribution, up to the limit");
  feed_assert_entry(&r, DI_TYPE_ETH, address, NULL, "OFAC SDN", NULL);
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
  g_string_free(doc, TRUE);
  g_string_free(parties, TRUE);
}

/* Cut right after <DistinctParty FixedRef="42496"> (line 93 of the file). */
Test(feed_ofac_xml, truncated_file_gives_the_line)
{
  gchar *dir = scratch_new();
  gchar *small = test_data("sdn_advanced_small.xml");
  gchar *data;
  cr_assert(g_file_get_contents(small, &data, NULL, NULL));
  const gchar *tag = "<DistinctParty FixedRef=\"42496\">";
  gchar *path = scratch_write(dir, "sdn_advanced.xml", data, strstr(data, tag) + strlen(tag) - data);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "ofac-xml");
  cr_assert_eq(r.errors->len, 1);
  cr_assert(g_str_has_prefix(r.errors->pdata[0], path), "%s", (gchar *) r.errors->pdata[0]);
  const gchar *what = (const gchar *) r.errors->pdata[0] + strlen(path);
  cr_assert(g_str_has_prefix(what, ":93: the XML ends too early (truncated file?): Document ended unexpectedly"),
            "%s", what);
  feed_read_clear(&r);
  g_free(data);
  g_free(path);
  g_free(small);
  scratch_free(dir);
}

/* A mismatched close tag on line 90 (the Website feature's </Feature>). */
Test(feed_ofac_xml, broken_file_gives_line_and_column)
{
  gchar *dir = scratch_new();
  gchar *small = test_data("sdn_advanced_small.xml");
  gchar *data;
  cr_assert(g_file_get_contents(small, &data, NULL, NULL));
  GString *s = g_string_new(data);
  const gchar *line90 = "          </FeatureVersion>\n        </Feature>\n      </Profile>";
  gchar *at = strstr(s->str, line90);
  cr_assert_not_null(at);
  g_string_insert_c(s, at - s->str + strlen("          </FeatureVersion>\n        </Featur"), 'X');
  gchar *path = scratch_write(dir, "sdn_advanced.xml", s->str, -1);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_eq(r.errors->len, 1);
  const gchar *what = (const gchar *) r.errors->pdata[0] + strlen(path);
  cr_assert(g_str_has_prefix(what, ":90: invalid XML at column "), "%s", what);
  cr_assert(strstr(what, "FeaturXe"), "%s", what);
  feed_read_clear(&r);
  g_string_free(s, TRUE);
  g_free(data);
  g_free(path);
  g_free(small);
  scratch_free(dir);
}

/* Bad addresses are reported at the line of their value: line 74 (on one
 * line with its tags) and line 220 (alone between the tags); an empty
 * VersionDetail at its own line.  sanctions-programs(all): the second is a
 * CYBER2 party's. */
Test(feed_ofac_xml, bad_address_gives_its_line)
{
  gchar *dir = scratch_new();
  gchar *small = test_data("sdn_advanced_small.xml");
  gchar *data;
  cr_assert(g_file_get_contents(small, &data, NULL, NULL));
  GString *s = g_string_new(data);
  for (const gchar *const *v = (const gchar *const[]) { "0x098B716B8Aaf2", "TUCsTq7TofTCJ", NULL }; *v; v++)
    {
      gchar *at = strstr(s->str, *v);
      cr_assert_not_null(at);
      at[strlen(*v) - 1] = 'Z';   /* not hex, not base58 of the right checksum */
    }
  /* KIM Sang Man's USDC feature, emptied: line 173 */
  const gchar *usdc = ">0xb6f5ec1a0a9cd1526536d3f0426c429529471f40</VersionDetail>";
  gchar *at = strstr(s->str, usdc);
  cr_assert_not_null(at = strstr(at + 1, usdc), "the second one, USDC");
  g_string_erase(s, at - s->str + 1, 42);
  gchar *path = scratch_write(dir, "sdn_advanced.xml", s->str, -1);
  DiFeedOptions options;
  di_feed_options_init(&options);
  const gchar *all[] = { "all", NULL };
  options.sanctions_programs = all;
  FeedRead r;
  feed_read_with(&r, path, NULL, &options);
  cr_assert_eq(r.errors->len, 3, "%s", feed_errors(&r));
  feed_assert_error(&r, 0, path, "74: invalid eth address '0x098B716B8AafZ1512996dC57EB0615e2383E2f96'; listed as "
                    "ETH, and no address of another chain");
  feed_assert_error(&r, 1, path, "173: SDN uid 43377: \"Digital Currency Address - USDC\" without an address");
  feed_assert_error(&r, 2, path, "220: invalid btc address 'TUCsTq7TofTCZRRoHk6RvhMoS2mJLm5Yzq'; listed as XBT, "
                    "and no address of another chain");
  feed_read_clear(&r);
  g_string_free(s, TRUE);
  g_free(data);
  g_free(path);
  g_free(small);
  scratch_free(dir);
}

/* A party whose name parts a hostile file leaves without NamePartGroupID
 * (a NULL dereference before), without text, or holding an element (a
 * GLib-CRITICAL before: made fatal here), and a FeatureType ID defined
 * again inside a Feature (the Feature's asset was borrowed from the entry
 * the redefinition frees: a use after free, seen by ASan).  The party
 * loads, its name from the parts that have text, its address typed by the
 * asset its Feature had when it started. */
Test(feed_ofac_xml, hostile_names_and_feature_types)
{
  g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR);
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "sdn_advanced.xml",
    "<?xml version=\"1.0\"?>\n<Sanctions><ReferenceValueSets><FeatureTypeValues>\n"
    "<FeatureType ID=\"7\">Digital Currency Address - ETH</FeatureType></FeatureTypeValues>\n"
    "</ReferenceValueSets><DistinctParties>\n"
    "<DistinctParty FixedRef=\"5\"><Profile ID=\"5\"><Identity Primary=\"true\"><Alias Primary=\"true\">\n"
    "<DocumentedName><DocumentedNamePart><NamePartValue>LAZARUS</NamePartValue></DocumentedNamePart>\n"
    "<DocumentedNamePart><NamePartValue NamePartGroupID=\"1\"/></DocumentedNamePart>\n"
    "<DocumentedNamePart><NamePartValue NamePartGroupID=\"2\"><b>x</b></NamePartValue></DocumentedNamePart>\n"
    "<DocumentedNamePart><NamePartValue>GROUP</NamePartValue></DocumentedNamePart>\n"
    "</DocumentedName></Alias></Identity>\n"
    "<Feature FeatureTypeID=\"7\"><FeatureTypeValues><FeatureType ID=\"7\">Digital Currency Address - XBT"
    "</FeatureType><FeatureType ID=\"7\">Digital Currency Address - TRX</FeatureType></FeatureTypeValues>\n"
    "<FeatureVersion><VersionDetail>0x098B716B8Aaf21512996dC57EB0615e2383E2f96</VersionDetail></FeatureVersion>"
    "</Feature>\n"
    "</Profile></DistinctParty></DistinctParties></Sanctions>\n", -1);
  FeedRead r;
  feed_read(&r, path);
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 1);
  feed_assert_entry(&r, DI_TYPE_ETH, lazarus_eth[0], "Lazarus Group", "OFAC SDN", "5");
  cr_assert_str_eq(di_snapshot_entry_description(r.snap, feed_find(&r, DI_TYPE_ETH, lazarus_eth[0])), "LAZARUS GROUP");
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
}

/* ---- sdn.xml ---------------------------------------------------------- */

Test(feed_ofac_xml, legacy_sdn_list)
{
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "sdn.xml",
    "<?xml version=\"1.0\" standalone=\"yes\"?>\n"
    "<sdnList xmlns=\"http://tempuri.org/sdnList.xsd\">\n"
    "  <publshInformation><Publish_Date>08/20/2026</Publish_Date></publshInformation>\n"
    "  <sdnEntry>\n"
    "    <uid>28264</uid><firstName>Jiadong</firstName><lastName>LI</lastName><sdnType>Individual</sdnType>\n"
    "    <programList><program>CYBER2</program><program>DPRK3</program></programList>\n"
    "    <idList>\n"
    "      <id><uid>1001</uid><idType>Digital Currency Address - XBT</idType>\n"
    "          <idNumber>17UVSMegvrzfobKC82dHXpZLtLcqzW9stF</idNumber></id>\n"
    "      <id><uid>1002</uid><idType>Passport</idType><idNumber>G12345678</idNumber></id>\n"
    "    </idList>\n"
    "  </sdnEntry>\n"
    "  <sdnEntry><uid>27308</uid><lastName>BLUENOROFF</lastName><sdnType>Entity</sdnType></sdnEntry>\n"
    "  <sdnEntry>\n"
    "    <uid>27307</uid><lastName>LAZARUS GROUP</lastName>\n"
    "    <idList><id><uid>1003</uid><idType>Digital Currency Address - ETH</idType>\n"
    "      <idNumber>0x098B716B8Aaf21512996dC57EB0615e2383E2f96</idNumber></id></idList>\n"
    "  </sdnEntry>\n"
    "  <sdnEntry>\n"
    "    <uid>33151</uid><lastName>SUEX OTC, S.R.O.</lastName><programList><program>CYBER2</program></programList>\n"
    "    <idList><id><uid>1004</uid><idType>Digital Currency Address - XBT</idType>\n"
    "      <idNumber>12HQDsicffSBaYdJ6BhnE22sfjTESmmzKx</idNumber></id></idList>\n"
    "  </sdnEntry>\n"
    "</sdnList>\n", -1);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "ofac-xml");
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 2);
  cr_assert_eq(r.ignored, 1);
  cr_assert_eq(r.other_programs, 1, "SUEX (CYBER2)");
  feed_assert_entry(&r, DI_TYPE_BTC, "17UVSMegvrzfobKC82dHXpZLtLcqzW9stF", "LI, Jiadong", "OFAC SDN", "28264");
  cr_assert_str_eq(di_snapshot_entry_program(r.snap, feed_find(&r, DI_TYPE_BTC, "17UVSMegvrzfobKC82dHXpZLtLcqzW9stF")),
                   "CYBER2,DPRK3");
  feed_assert_entry(&r, DI_TYPE_ETH, lazarus_eth[0], "Lazarus Group", "OFAC SDN", "27307");
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
}

Test(feed_ofac_xml, other_xml_is_refused)
{
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "x.xml", "<?xml version=\"1.0\"?>\n<feed>\n<Sanctions/>\n</feed>\n", -1);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_eq(r.errors->len, 1);
  feed_assert_error(&r, 0, path, " the root element is <feed>, not OFAC's <Sanctions> "
                    "(sdn_advanced.xml) or <sdnList> (sdn.xml)");
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
}

/* ---- real sdn.csv of 2022: programs ------------------------------------ */

/* tests/data/feeds/ofac/sdn_2022-01-31_excerpt.csv: 24 entries, 20 with
 * wallets, two of them (TIAN Yinyin, LI Jiadong) under DPRK3 and CYBER2.
 * By default only those two load (8 + 12 XBT), DPRK-linked, with both
 * programs; the 18 others are counted.  With sanctions-programs(all) every
 * program loads, the others as nexus OTHER; three of their remarks were cut
 * by OFAC inside an address (the sdn_comments.csv that continues them is
 * not part of the excerpt), and KARASAVIDI's "XMR" value is 64 hex digits,
 * which is no address: reported, not loaded as a sha256. */
Test(feed_ofac_csv, real_list_of_2022_by_program)
{
  gchar *path = data_feed("ofac/sdn_2022-01-31_excerpt.csv");
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "ofac-csv");
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 20);
  cr_assert_eq(r.ignored, 4);
  cr_assert_eq(r.other_programs, 18);
  cr_assert_eq(r.per_type[DI_TYPE_BTC], 20);
  for (guint32 e = 0; e < di_snapshot_count(r.snap); e++)
    {
      cr_assert_eq(di_snapshot_entry_nexus(r.snap, e), DI_NEXUS_DPRK);
      cr_assert_str_eq(di_snapshot_entry_program(r.snap, e), "DPRK3,CYBER2");
    }
  feed_assert_entry(&r, DI_TYPE_BTC, "17UVSMegvrzfobKC82dHXpZLtLcqzW9stF", "LI, Jiadong", "OFAC SDN", "28264");
  feed_read_clear(&r);

  DiFeedOptions options;
  di_feed_options_init(&options);
  const gchar *all[] = { "all", NULL };
  options.sanctions_programs = all;
  feed_read_with(&r, path, NULL, &options);
  cr_assert_eq(r.other_programs, 0);
  cr_assert_eq(r.errors->len, 4, "%s", feed_errors(&r));
  feed_assert_error(&r, 0, path, "13: invalid xmr address '5be5543ff73456ab9f2d207887e2af87322c651ea1a873c5b25b7ffae"
                    "456c320'; listed as XMR, and no address of another chain");
  cr_assert(strstr(r.errors->pdata[1], "16: ent_num 30518: the remarks end inside the XBT address '1Gq'"));
  cr_assert_eq(r.per_type[DI_TYPE_SHA256], 0);
  gint64 suex = feed_find(&r, DI_TYPE_BTC, "12HQDsicffSBaYdJ6BhnE22sfjTESmmzKx");
  cr_assert_geq(suex, 0, "SUEX OTC (CYBER2)");
  cr_assert_eq(di_snapshot_entry_nexus(r.snap, suex), DI_NEXUS_OTHER);
  cr_assert_str_eq(di_snapshot_entry_program(r.snap, suex), "CYBER2");
  cr_assert_gt(r.loaded, 100);
  feed_read_clear(&r);
  g_free(path);
}

/* ---- asset codes ------------------------------------------------------- */

/* Every asset code OFAC writes is read or reported by name.  BNB (BNB
 * Beacon Chain, bnb1...) is read as the engine's "bnb" type once it has
 * one (the scanner's branch adds it); until then it is reported by name,
 * like ADA, for which there is no type.  USDT and USDC are tokens on
 * several chains: typed by the address's form.  MATIC is an EVM chain. */
#define BNB_ADDRESS "bnb1x9cnn36wu065y6yxyghg8l9vp7gnjl47kllgaf"   /* a valid bech32, built for this test */
Test(feed_ofac_csv, every_asset_code_is_read_or_reported_by_name)
{
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "sdn.csv", SDN_HEAD
    "Digital Currency Address - BNB " BNB_ADDRESS "; "
    "alt. Digital Currency Address - ADA addr1qx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgse35a3x; "
    "alt. Digital Currency Address - USDT TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq; "
    "alt. Digital Currency Address - USDT 0x098B716B8Aaf21512996dC57EB0615e2383E2f96; "
    "alt. Digital Currency Address - USDC 0xa0e1c89Ef1a489c9C7dE96311eD5Ce5D32c20E4B; "
    "alt. Digital Currency Address - MATIC 0x3Cffd56B47B7b41c56258D9C7731ABaDc360E073; "
    "alt. Digital Currency Address - SOL 9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM; "
    "alt. Digital Currency Address - XBT 125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU.\"\n", -1);
  FeedRead r;
  feed_read(&r, path);
  feed_assert_entry(&r, DI_TYPE_TRX, "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq", "Lazarus Group", "OFAC SDN", "27307");
  feed_assert_entry(&r, DI_TYPE_ETH, lazarus_eth[0], "Lazarus Group", NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_ETH, lazarus_eth[1], "Lazarus Group", NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_ETH, lazarus_eth[2], "Lazarus Group", NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_SOL, "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM", "Lazarus Group", NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_BTC, "125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU", "Lazarus Group", NULL, NULL);
  gchar *errors = feed_errors(&r);
  cr_assert(strstr(errors, "'addr1qx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2x"
                   "wl2wywfgse35...' listed as ADA: dprk-intel reads no addresses of that asset"), "%s", errors);
  DiType bnb = di_type_from_name("bnb");
  if (bnb == DI_TYPE_NONE)
    {
      /* BEFORE THE SCANNER BRANCH IS MERGED: no "bnb" type, so reported */
      cr_assert_eq(r.errors->len, 2, "%s", errors);
      cr_assert(strstr(errors, "'" BNB_ADDRESS "' listed as BNB: dprk-intel reads no addresses of that asset"),
                "%s", errors);
      cr_assert_eq(r.loaded, 6);
    }
  else
    {
      /* after it: loaded as bnb */
      cr_assert_eq(r.errors->len, 1, "%s", errors);
      feed_assert_entry(&r, bnb, BNB_ADDRESS, "Lazarus Group", "OFAC SDN", "27307");
      cr_assert_eq(r.loaded, 7);
    }
  g_free(errors);
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
}
