/* test-feed-misp.c: the MISP event reader, on CIRCL's published OSINT event
 * and on hand-written events (galaxies, tags, objects, coin-address). */
#include "feed-test-util.h"
#include "actors.h"

/* misp_event_osint_asert_four-element-sword.json, counted with jq-style
 * listing of Event.Attribute[] (370 attributes, no Object, no Galaxy):
 *   to_ids true: sha1 57, filename|sha256 44, filename|md5 44, sha256 40,
 *   md5 31, url 14, hostname 9, ip-dst 8, domain 3 = 250 rows we read, plus
 *   filename 4, imphash, email-attachment, pehash, ssdeep = 8 we do not;
 *   to_ids false: 112.  Ignored = 112 + 8 = 120.
 * Of the 14 urls, 4 are not URLs at all: Attribute[0] '107.183.86',
 * [123] 'igfxtray.exe', [124] 'Data/dtl.dat', [125] 'Data/glp.uin' (errors);
 * 6 are bare hosts ('www.whitewall.top' ...) read as http://host/; so
 * loaded = 250 - 4 = 246.
 * Distinct values: md5 31 + 44 from filename|md5 = 74 (one repeats), sha256
 * 40 + 44 = 73 (eleven repeat), sha1 57, domain 9 hostnames + 3 domains =
 * 12, ipv4 8, url 10.  Orgc is CIRCL; tags tlp:white and type:OSINT name no
 * actor. */
Test(feed_misp, circl_osint_event)
{
  gchar *path = data_feed("misp_event_osint_asert_four-element-sword.json");
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "misp");
  cr_assert_eq(r.errors->len, 4);
  feed_assert_error(&r, 0, path, "$.Event.Attribute[0].value: invalid url '107.183.86'");
  feed_assert_error(&r, 1, path, "$.Event.Attribute[123].value: invalid url 'igfxtray.exe'");
  feed_assert_error(&r, 2, path, "$.Event.Attribute[124].value: invalid url 'Data/dtl.dat'");
  feed_assert_error(&r, 3, path, "$.Event.Attribute[125].value: invalid url 'Data/glp.uin'");
  cr_assert_eq(r.loaded, 246);
  cr_assert_eq(r.ignored, 120);
  cr_assert_eq(r.per_type[DI_TYPE_MD5], 74);
  cr_assert_eq(r.per_type[DI_TYPE_SHA1], 57);
  cr_assert_eq(r.per_type[DI_TYPE_SHA256], 73);
  cr_assert_eq(r.per_type[DI_TYPE_DOMAIN], 12);
  cr_assert_eq(r.per_type[DI_TYPE_IPV4], 8);
  cr_assert_eq(r.per_type[DI_TYPE_URL], 10);
  cr_assert_eq(di_snapshot_count(r.snap), 74 + 57 + 73 + 12 + 8 + 10);
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "gugehotel.cn", "", "CIRCL", "57153590-f73c-49fa-be4b-4737950d210f");
  feed_assert_entry(&r, DI_TYPE_URL, "http://www.whitewall.top/", "", "CIRCL", NULL);
  feed_assert_entry(&r, DI_TYPE_URL, "http://www.kcico.com.tw/data/openwebmail/doc/wthk.txt", "", NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_IPV4, "198.55.120.143", "", NULL, NULL);
  cr_assert_lt(feed_find(&r, DI_TYPE_IPV4, "114.60.106.156"), 0, "to_ids false is not loaded");
  cr_assert_lt(feed_find(&r, DI_TYPE_EMAIL, "bill_clay6801@yahoo.com"), 0, "to_ids false is not loaded");
  gint64 e = feed_find(&r, DI_TYPE_DOMAIN, "gugehotel.cn");
  cr_assert_str_eq(di_snapshot_entry_description(r.snap, e),
                   "OSINT - ASERT Threat Intelligence Report 2016-03 The Four-Element Sword Engagement");
  feed_read_clear(&r);
  g_free(path);
}

static const gchar event_json[] =
  "{\"Event\": {\"uuid\": \"5e1b7c1e-0000-4000-8000-000000000001\", \"info\": \"TraderTraitor wallets\",\n"
  " \"Orgc\": {\"name\": \"Some ISAC\"},\n"
  " \"Tag\": [{\"name\": \"tlp:green\"}, {\"name\": \"misp-galaxy:threat-actor=\\\"Unknown Crew\\\"\"},\n"
  "         {\"name\": \"misp-galaxy:threat-actor=\\\"Jade Sleet\\\"\"}],\n"
  " \"Attribute\": [\n"
  "  {\"type\": \"domain|ip\", \"value\": \"dafom.dev|203.0.113.7\", \"to_ids\": true},\n"
  "  {\"type\": \"ip-dst|port\", \"value\": \"203.0.113.8|443\", \"to_ids\": \"1\"},\n"
  "  {\"type\": \"ip-src\", \"value\": \"198.51.100.0/24\", \"to_ids\": 1},\n"
  "  {\"type\": \"ip-dst\", \"value\": \"2001:db8::7\", \"to_ids\": true},\n"
  "  {\"type\": \"hostname|port\", \"value\": \"c2.example.org|8443\", \"to_ids\": true},\n"
  "  {\"type\": \"email-dst\", \"value\": \"Recruiter@Example.org\", \"to_ids\": true},\n"
  "  {\"type\": \"filename|sha1\", \"value\": \"a.exe|da39a3ee5e6b4b0d3255bfef95601890afd80709\", \"to_ids\": true},\n"
  "  {\"type\": \"btc\", \"value\": \"125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU\", \"to_ids\": true,\n"
  "   \"Tag\": [{\"name\": \"misp-galaxy:threat-actor=\\\"Andariel\\\"\"}]},\n"
  "  {\"type\": \"ip-dst\", \"value\": \"203.0.113.9\", \"to_ids\": false},\n"
  "  {\"type\": \"ip-dst\", \"value\": \"203.0.113.10\", \"to_ids\": true, \"deleted\": true},\n"
  "  {\"type\": \"comment\", \"value\": \"see the report\", \"to_ids\": false},\n"
  "  {\"type\": \"text\", \"value\": \"Lazarus\", \"to_ids\": true}\n"
  " ],\n"
  " \"Object\": [\n"
  "  {\"name\": \"coin-address\", \"Attribute\": [\n"
  "    {\"object_relation\": \"symbol\", \"type\": \"text\", \"value\": \"ETH\", \"to_ids\": false},\n"
  "    {\"object_relation\": \"address-crypto\", \"type\": \"text\", \"value\": \"0x098B716B8Aaf21512996dC57EB0615e2383E2f96\", \"to_ids\": false},\n"
  "    {\"object_relation\": \"first-seen\", \"type\": \"datetime\", \"value\": \"2022-04-18\", \"to_ids\": false}]},\n"
  "  {\"name\": \"coin-address\", \"Attribute\": [\n"
  "    {\"object_relation\": \"address\", \"type\": \"btc\", \"value\": \"TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq\", \"to_ids\": true}]},\n"
  "  {\"name\": \"domain-ip\", \"Attribute\": [\n"
  "    {\"object_relation\": \"domain\", \"type\": \"domain\", \"value\": \"kupaywallet.com\", \"to_ids\": true},\n"
  "    {\"object_relation\": \"ip\", \"type\": \"ip-dst\", \"value\": \"203.0.113.11\", \"to_ids\": false}]}\n"
  " ]}}\n";

Test(feed_misp, attributes_objects_and_actors)
{
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "event.json", event_json, -1);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "misp");
  feed_assert_no_errors(&r);
  /* attributes: domain|ip 2, ip|port, cidr, ipv6, hostname|port, email,
   * filename|sha1, btc = 9; objects: 1 address-crypto, 1 address, 1 domain */
  cr_assert_eq(r.loaded, 12);
  /* to_ids false 2, deleted 1, text 1; symbol and first-seen; object ip */
  cr_assert_eq(r.ignored, 7);

  const gchar *ref = "5e1b7c1e-0000-4000-8000-000000000001";
  /* the event's tags: the first actor the alias table knows */
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "dafom.dev", "TraderTraitor", "Some ISAC", ref);
  feed_assert_entry(&r, DI_TYPE_IPV4, "203.0.113.7", "TraderTraitor", NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_IPV4, "203.0.113.8", NULL, NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_CIDR, "198.51.100.0/24", NULL, NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_IPV6, "2001:db8::7", NULL, NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "c2.example.org", NULL, NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_EMAIL, "recruiter@example.org", NULL, NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", NULL, NULL, NULL);
  /* the attribute's own tag wins */
  feed_assert_entry(&r, DI_TYPE_BTC, "125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU", "Andariel", NULL, NULL);
  /* coin-address: the symbol types address-crypto; a TRON address filed as btc loads as trx */
  feed_assert_entry(&r, DI_TYPE_ETH, "0x098B716B8Aaf21512996dC57EB0615e2383E2f96", "TraderTraitor", NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_TRX, "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq", NULL, NULL, NULL);
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "kupaywallet.com", NULL, NULL, NULL);
  cr_assert_lt(feed_find(&r, DI_TYPE_IPV4, "203.0.113.9"), 0);
  cr_assert_lt(feed_find(&r, DI_TYPE_IPV4, "203.0.113.10"), 0);
  cr_assert_lt(feed_find(&r, DI_TYPE_IPV4, "203.0.113.11"), 0);
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
}

/* The galaxy (threat-actor and mitre-intrusion-set) names the actor; an API
 * search result wraps events in "response". */
Test(feed_misp, galaxy_actor_and_response_wrapper)
{
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "search.json",
    "{\"response\": [\n"
    " {\"Event\": {\"info\": \"no uuid\", \"Galaxy\": [\n"
    "   {\"type\": \"mitre-intrusion-set\", \"GalaxyCluster\": [{\"value\": \"Kimsuky - G0094\"}]}],\n"
    "  \"Attribute\": [{\"type\": \"domain\", \"value\": \"nidlogin.example.com\", \"to_ids\": true}]}},\n"
    " {\"Event\": {\"uuid\": \"e2\", \"Org\": {\"name\": \"Local\"}, \"Galaxy\": [\n"
    "   {\"type\": \"threat-actor\", \"GalaxyCluster\": [{\"value\": \"Lazarus Group\"}]}],\n"
    "  \"Attribute\": [{\"type\": \"url\", \"value\": \"https://Example.net/a\", \"to_ids\": true}]}}\n"
    "]}\n", -1);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "misp");
  feed_assert_no_errors(&r);
  feed_assert_entry(&r, DI_TYPE_DOMAIN, "nidlogin.example.com", "Kimsuky", "MISP", "no uuid");
  feed_assert_entry(&r, DI_TYPE_URL, "https://example.net/a", "Lazarus Group", "Local", "e2");
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
}

static void
_assert_event_error(const gchar *contents, const gchar *expected)
{
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "event.json", contents, -1);
  FeedRead r;
  feed_read_as(&r, path, &di_feed_format_misp);
  cr_assert_eq(r.errors->len, 1, "one error expected for: %s", expected);
  feed_assert_error(&r, 0, path, expected);
  feed_read_clear(&r);
  g_free(path);
  scratch_free(dir);
}

Test(feed_misp, errors_name_the_json_path)
{
  _assert_event_error("{\"Event\": {\"Attribute\": [{\"type\": \"ip-dst\"}]}}",
                      "$.Event.Attribute[0]: attribute without a \"type\" and a \"value\" string");
  _assert_event_error("{\"Event\": {\"Attribute\": [{\"type\": \"domain|ip\", \"value\": \"a.example.com\"}]}}",
                      "$.Event.Attribute[0].value: a 'domain|ip' value must hold two parts joined by '|', not "
                      "'a.example.com'");
  _assert_event_error("{\"Event\": {\"Object\": [{\"name\": \"x\", \"Attribute\": [{}, "
                      "{\"type\": \"md5\", \"value\": \"d41d8cd98f00b204e9800998ecf8427e\"}]}]}}",
                      "$.Event.Object[0].Attribute[0]: attribute without a \"type\" and a \"value\" string");
  _assert_event_error("{\"Event\": {\"Attribute\": [{\"type\": \"sha256\", \"value\": \"abc\", \"to_ids\": true}]}}",
                      "$.Event.Attribute[0].value: invalid sha256 hash 'abc'");
  _assert_event_error("{\"Events\": []}", "$: not a MISP event: expected an object with an \"Event\"");
}

/* Cut after 20000 bytes the file ends on line 591 with blanks; the last
 * character there is, a comma, is on line 590. */
Test(feed_misp, truncated_event_gives_the_last_line)
{
  gchar *dir = scratch_new();
  gchar *full = data_feed("misp_event_osint_asert_four-element-sword.json");
  gchar *path = scratch_truncated(dir, "event.json", full, 20000);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "misp");
  cr_assert_eq(r.errors->len, 1);
  feed_assert_error(&r, 0, path, "590: the JSON document ends too early: the file is truncated, "
                    "or a closing bracket or quote is missing");
  feed_read_clear(&r);
  g_free(path);
  g_free(full);
  scratch_free(dir);
}

/* ---- actors as MISP writes them ---------------------------------------- */

static void
_assert_event_actor(const gchar *event, const gchar *actor)
{
  gchar *text = g_strdup_printf("{\"Event\": {\"uuid\": \"u1\", %s, \"Attribute\": [{\"type\": \"ip-dst\", "
                                "\"value\": \"203.0.113.7\", \"to_ids\": true}]}}", event);
  gchar *dir = scratch_new();
  gchar *path = scratch_write(dir, "event.json", text, -1);
  FeedRead r;
  feed_read(&r, path);
  feed_assert_no_errors(&r);
  feed_assert_entry(&r, DI_TYPE_IPV4, "203.0.113.7", actor, NULL, NULL);
  DiNexus nexus = di_snapshot_entry_nexus(r.snap, feed_find(&r, DI_TYPE_IPV4, "203.0.113.7"));
  cr_assert_eq(nexus == DI_NEXUS_DPRK, di_actor_is_dprk(actor), "%s", event);
  feed_read_clear(&r);
  g_free(path);
  g_free(text);
  scratch_free(dir);
}

Test(feed_misp, actor_galaxies_synonyms_and_info)
{
  /* Microsoft's galaxy, as a cluster and as a tag */
  _assert_event_actor("\"info\": \"x\", \"Galaxy\": [{\"type\": \"microsoft-activity-group\", "
                      "\"GalaxyCluster\": [{\"value\": \"Jade Sleet\"}]}]", "TraderTraitor");
  _assert_event_actor("\"info\": \"x\", \"Tag\": [{\"name\": \"misp-galaxy:microsoft-activity-group=\\\"Citrine Sleet\\\"\"}]",
                      "AppleJeus");
  _assert_event_actor("\"info\": \"x\", \"Tag\": [{\"name\": \"misp-galaxy:mitre-intrusion-set=\\\"Andariel - G0138\\\"\"}]",
                      "Andariel");
  /* a cluster the table does not know by name, by its synonyms when they agree */
  _assert_event_actor("\"info\": \"x\", \"Galaxy\": [{\"type\": \"threat-actor\", \"GalaxyCluster\": [{\"value\": "
                      "\"Cluster 7\", \"meta\": {\"synonyms\": [\"Onyx Sleet\", \"PLUTONIUM\"]}}]}]", "Andariel");
  _assert_event_actor("\"info\": \"x\", \"Galaxy\": [{\"type\": \"threat-actor\", \"GalaxyCluster\": [{\"value\": "
                      "\"Cluster 7\", \"meta\": {\"synonyms\": [\"Onyx Sleet\", \"Kimsuky\"]}}]}]", "Cluster 7");
  /* MISP's own lumping: the cluster's value wins over its synonym list */
  _assert_event_actor("\"info\": \"x\", \"Galaxy\": [{\"type\": \"threat-actor\", \"GalaxyCluster\": [{\"value\": "
                      "\"Lazarus Group\", \"meta\": {\"synonyms\": [\"Andariel\", \"APT38\"]}}]}]", "Lazarus Group");
  /* an explicit tag beats the words of the info; the info's words are the last resort */
  _assert_event_actor("\"info\": \"Kimsuky phishing\", \"Tag\": [{\"name\": \"misp-galaxy:threat-actor=\\\"APT37\\\"\"}]",
                      "APT37");
  _assert_event_actor("\"info\": \"Linux malware strengthen links between Lazarus and the 3CX supply-chain attack\"",
                      "Lazarus Group");
  _assert_event_actor("\"info\": \"Phishing wave\", \"Tag\": [{\"name\": \"misp-galaxy:malpedia=\\\"Lazarus\\\"\"}]", "");
}

/* ESET's MISP export (tests/data/feeds/vendors/eset), counted with python:
 * 50 object attributes (its attribute_count); 15 load: to_ids on 4 md5,
 * 4 sha1, 4 sha256 (file objects) and 3 url; 35 are ignored: the 2
 * av-signature texts with to_ids, and 33 with to_ids off (the domain-ip
 * objects' addresses, file names, paths, ELF details).  One url is tcp://23.254.211.230 (the C2, no path): loaded as
 * a URL of that scheme.  Tag and galaxy: threat-actor "Lazarus Group". */
Test(feed_misp, eset_lazarus_3cx_event)
{
  gchar *path = g_build_filename(DI_SRCDIR, "tests", "data", "feeds", "vendors", "eset",
                                 "nukesped_lazarus-lazarus_3cx.json", NULL);
  FeedRead r;
  feed_read(&r, path);
  cr_assert_str_eq(r.format->name, "misp");
  feed_assert_no_errors(&r);
  cr_assert_eq(r.loaded, 15);
  cr_assert_eq(r.ignored, 35, "ignored %u", r.ignored);
  cr_assert_eq(r.per_type[DI_TYPE_MD5], 4);
  cr_assert_eq(r.per_type[DI_TYPE_SHA1], 4);
  cr_assert_eq(r.per_type[DI_TYPE_SHA256], 4);
  cr_assert_eq(r.per_type[DI_TYPE_URL], 3);
  for (guint32 e = 0; e < di_snapshot_count(r.snap); e++)
    {
      cr_assert_str_eq(di_snapshot_entry_actor(r.snap, e), "Lazarus Group");
      cr_assert_eq(di_snapshot_entry_nexus(r.snap, e), DI_NEXUS_DPRK);
    }
  feed_assert_entry(&r, DI_TYPE_URL, "https://journalide.org/djour.php", "Lazarus Group", "ESET",
                    "72f7a401-5a65-4977-8f43-4c34dda37b2f");
  feed_read_clear(&r);
  g_free(path);
}
