/* test-snapshot.c: the indicator store: exact, CIDR and domain lookups,
 * duplicates, metadata and the actor table. */
#include <criterion/criterion.h>
#include "snapshot.h"
#include <string.h>

static DiKey
_text_key(DiKeyClass cls, const char *text)
{
  DiKey k;
  di_key_set_text(&k, cls, text, strlen(text));
  return k;
}

static DiKey
_bytes_key(DiKeyClass cls, const guint8 *bytes, gsize len)
{
  DiKey k = { .cls = cls, .len = len };
  memcpy(k.bytes, bytes, len);
  return k;
}

static DiKey
_ipv4(guint8 a, guint8 b, guint8 c, guint8 d)
{
  guint8 ip[4] = { a, b, c, d };
  return _bytes_key(DI_KEY_IPV4, ip, 4);
}

static DiKey
_cidr4(guint8 len, guint8 a, guint8 b, guint8 c, guint8 d)
{
  guint8 k[5] = { len, a, b, c, d };
  return _bytes_key(DI_KEY_CIDR4, k, 5);
}

static gboolean
_collect(const DiSnapshot *snap, guint32 entry, gpointer user_data)
{
  GString *out = user_data;
  if (out->len)
    g_string_append_c(out, ' ');
  di_snapshot_entry_value(snap, entry, out);
  return TRUE;
}

static gchar *
_find(const DiSnapshot *snap, DiKey key)
{
  GString *out = g_string_new("");
  di_snapshot_find(snap, &key, _collect, out);
  return g_string_free(out, FALSE);
}

static const DiIndicatorMeta lazarus = { "HIDDEN COBRA", "OFAC SDN", "https://ref", "desc", 90, 0 };

Test(snapshot, domain_matches_itself_and_subdomains_only)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  DiKey k = _text_key(DI_KEY_DOMAIN, "celasllc.com");
  di_snapshot_builder_add(b, DI_TYPE_DOMAIN, &k, &lazarus);
  DiSnapshot *snap = di_snapshot_builder_finish(b);

  cr_assert_str_eq(_find(snap, _text_key(DI_KEY_DOMAIN, "celasllc.com")), "celasllc.com");
  cr_assert_str_eq(_find(snap, _text_key(DI_KEY_DOMAIN, "api.celasllc.com")), "celasllc.com");
  cr_assert_str_eq(_find(snap, _text_key(DI_KEY_DOMAIN, "a.b.api.celasllc.com")), "celasllc.com");
  cr_assert_str_eq(_find(snap, _text_key(DI_KEY_DOMAIN, "notcelasllc.com")), "");
  cr_assert_str_eq(_find(snap, _text_key(DI_KEY_DOMAIN, "celasllc.com.example.net")), "");
  cr_assert_str_eq(_find(snap, _text_key(DI_KEY_DOMAIN, "com")), "");
  di_snapshot_unref(snap);
}

Test(snapshot, cidr4_longest_prefix_and_edges)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  DiKey k8 = _cidr4(8, 10, 0, 0, 0), k24 = _cidr4(24, 10, 1, 2, 0), k32 = _cidr4(32, 192, 0, 2, 1);
  DiKey k0 = _cidr4(0, 0, 0, 0, 0);
  di_snapshot_builder_add(b, DI_TYPE_CIDR, &k8, &lazarus);
  di_snapshot_builder_add(b, DI_TYPE_CIDR, &k24, &lazarus);
  di_snapshot_builder_add(b, DI_TYPE_CIDR, &k32, &lazarus);
  DiSnapshot *snap = di_snapshot_builder_finish(b);

  cr_assert_str_eq(_find(snap, _ipv4(10, 1, 2, 3)), "10.1.2.0/24");
  cr_assert_str_eq(_find(snap, _ipv4(10, 1, 2, 255)), "10.1.2.0/24");
  cr_assert_str_eq(_find(snap, _ipv4(10, 1, 3, 0)), "10.0.0.0/8");
  cr_assert_str_eq(_find(snap, _ipv4(10, 255, 255, 255)), "10.0.0.0/8");
  cr_assert_str_eq(_find(snap, _ipv4(11, 0, 0, 0)), "");
  cr_assert_str_eq(_find(snap, _ipv4(9, 255, 255, 255)), "");
  cr_assert_str_eq(_find(snap, _ipv4(192, 0, 2, 1)), "192.0.2.1/32");
  cr_assert_str_eq(_find(snap, _ipv4(192, 0, 2, 2)), "");
  di_snapshot_unref(snap);

  b = di_snapshot_builder_new();
  di_snapshot_builder_add(b, DI_TYPE_CIDR, &k0, &lazarus);
  snap = di_snapshot_builder_finish(b);
  cr_assert_str_eq(_find(snap, _ipv4(203, 0, 113, 7)), "0.0.0.0/0");
  di_snapshot_unref(snap);
}

Test(snapshot, cidr6_longest_prefix_and_edges)
{
  guint8 p32[17] = { 32, 0x20, 0x01, 0x0d, 0xb8 };
  guint8 p127[17] = { 127, 0x20, 0x01, 0x0d, 0xb8, [16] = 0x02 };
  DiKey k32 = _bytes_key(DI_KEY_CIDR6, p32, 17), k127 = _bytes_key(DI_KEY_CIDR6, p127, 17);
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  di_snapshot_builder_add(b, DI_TYPE_CIDR, &k32, &lazarus);
  di_snapshot_builder_add(b, DI_TYPE_CIDR, &k127, &lazarus);
  DiSnapshot *snap = di_snapshot_builder_finish(b);

  guint8 a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x03 };
  cr_assert_str_eq(_find(snap, _bytes_key(DI_KEY_IPV6, a, 16)), "2001:db8::2/127");
  a[15] = 0x04;
  cr_assert_str_eq(_find(snap, _bytes_key(DI_KEY_IPV6, a, 16)), "2001:db8::/32");
  a[3] = 0xb9;
  cr_assert_str_eq(_find(snap, _bytes_key(DI_KEY_IPV6, a, 16)), "");
  di_snapshot_unref(snap);
}

Test(snapshot, exact_ipv4_and_cidr_both_reported)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  DiKey ip = _ipv4(185, 142, 236, 226), net = _cidr4(16, 185, 142, 0, 0);
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &ip, &lazarus);
  di_snapshot_builder_add(b, DI_TYPE_CIDR, &net, &lazarus);
  DiSnapshot *snap = di_snapshot_builder_finish(b);
  cr_assert_str_eq(_find(snap, _ipv4(185, 142, 236, 226)), "185.142.236.226 185.142.0.0/16");
  cr_assert_str_eq(_find(snap, _ipv4(185, 142, 1, 1)), "185.142.0.0/16");
  di_snapshot_unref(snap);
}

static gboolean
_take(const DiSnapshot *snap, guint32 entry, gpointer user_data)
{
  *(guint32 *) user_data = entry;
  return TRUE;
}

/* The attributions of the entry of key, "actor/source" joined by ' ', best first. */
static gchar *
_attributions(const DiSnapshot *snap, DiKey key)
{
  guint32 entry = G_MAXUINT32;
  GString *out = g_string_new("");
  di_snapshot_lookup(snap, &key, _take, &entry);
  cr_assert_neq(entry, G_MAXUINT32, "the value is loaded");
  for (guint i = 0; i < di_snapshot_entry_attribution_count(snap, entry); i++)
    {
      guint32 a = di_snapshot_entry_attribution(snap, entry, i);
      g_string_append_printf(out, "%s%s/%s", i ? " " : "", di_snapshot_attribution_actor(snap, a),
                             di_snapshot_attribution_source(snap, a));
    }
  return g_string_free(out, FALSE);
}

Test(snapshot, one_value_is_one_entry_with_every_attribution)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  DiKey k = _text_key(DI_KEY_WALLET, "125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU");
  DiIndicatorMeta other = lazarus;
  other.actor = "APT38";
  di_snapshot_builder_add(b, DI_TYPE_BTC, &k, &lazarus);
  di_snapshot_builder_add(b, DI_TYPE_BTC, &k, &lazarus);
  di_snapshot_builder_add(b, DI_TYPE_BTC, &k, &other);
  DiSnapshot *snap = di_snapshot_builder_finish(b);
  cr_assert_eq(di_snapshot_count(snap), 1, "one value, one indicator");
  cr_assert_str_eq(_find(snap, k), "125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU", "found once");
  cr_assert_str_eq(_attributions(snap, k), "Lazarus Group/OFAC SDN APT38/OFAC SDN", "the identical row kept once");
  di_snapshot_unref(snap);
}

Test(snapshot, primary_attribution_is_the_best)
{
  DiKey k = _ipv4(198, 51, 100, 7);
  DiIndicatorMeta unattributed = { .source = "blocklist", .confidence = 100 };
  DiIndicatorMeta other = { .actor = "GARANTEX EUROPE OU", .source = "OFAC SDN", .program = "RUSSIA-EO14024",
                            .nexus = DI_NEXUS_OTHER, .confidence = 95 };
  DiIndicatorMeta low = { .actor = "Kimsuky", .source = "vendor A", .confidence = 40 };
  DiIndicatorMeta high = { .actor = "Lazarus Group", .source = "vendor B", .confidence = 80 };
  DiIndicatorMeta high_later = { .actor = "TraderTraitor", .source = "vendor C", .confidence = 80 };
  DiIndicatorMeta dprk_unattributed = { .source = "declared DPRK list", .nexus = DI_NEXUS_DPRK, .confidence = 90 };

  /* loaded worst first, so that load order alone would pick the wrong one */
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &k, &unattributed);
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &k, &other);
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &k, &dprk_unattributed);
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &k, &low);
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &k, &high);
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &k, &high_later);
  DiSnapshot *snap = di_snapshot_builder_finish(b);

  cr_assert_eq(di_snapshot_count(snap), 1);
  cr_assert_str_eq(_attributions(snap, k),
                   "Lazarus Group/vendor B TraderTraitor/vendor C Kimsuky/vendor A /declared DPRK list "
                   "GARANTEX EUROPE OU/OFAC SDN /blocklist",
                   "DPRK-linked first, then attributed, then confidence, then load order");
  cr_assert_str_eq(di_snapshot_entry_actor(snap, 0), "Lazarus Group", "the primary's actor");
  cr_assert_eq(di_snapshot_entry_nexus(snap, 0), DI_NEXUS_DPRK);
  cr_assert_eq(di_snapshot_entry_confidence(snap, 0), 80);
  di_snapshot_unref(snap);

  /* an attributed row beats an unattributed one, whatever the order */
  b = di_snapshot_builder_new();
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &k, &unattributed);
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &k, &low);
  snap = di_snapshot_builder_finish(b);
  cr_assert_str_eq(di_snapshot_entry_actor(snap, 0), "Kimsuky");
  cr_assert_eq(di_snapshot_entry_attribution_count(snap, 0), 2);
  di_snapshot_unref(snap);
}

Test(snapshot, same_actor_and_source_kept_once_the_better)
{
  DiKey k = _ipv4(198, 51, 100, 8);
  DiIndicatorMeta first = { .actor = "Lazarus Group", .source = "OFAC SDN", .reference = "a", .confidence = 60 };
  DiIndicatorMeta better = { .actor = "Lazarus Group", .source = "OFAC SDN", .reference = "b", .confidence = 90 };
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &k, &first);
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &k, &better);
  DiSnapshot *snap = di_snapshot_builder_finish(b);
  cr_assert_eq(di_snapshot_entry_attribution_count(snap, 0), 1);
  cr_assert_str_eq(di_snapshot_entry_reference(snap, 0), "b");
  di_snapshot_unref(snap);
}

Test(snapshot, entries_keep_the_order_values_were_first_added)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  for (guint8 i = 0; i < 50; i++)
    {
      DiKey k = _ipv4(192, 0, 2, 200 - i);
      di_snapshot_builder_add(b, DI_TYPE_IPV4, &k, &lazarus);
      DiKey again = _ipv4(192, 0, 2, 200);
      di_snapshot_builder_add(b, DI_TYPE_IPV4, &again, &lazarus);
    }
  DiSnapshot *snap = di_snapshot_builder_finish(b);
  cr_assert_eq(di_snapshot_count(snap), 50);
  for (guint32 e = 0; e < 50; e++)
    {
      GString *v = g_string_new("");
      di_snapshot_entry_value(snap, e, v);
      gchar *want = g_strdup_printf("192.0.2.%u", 200 - e);
      cr_assert_str_eq(v->str, want);
      g_free(want);
      g_string_free(v, TRUE);
    }
  di_snapshot_unref(snap);
}

/* 40,000 rows of one value from 40,000 sources: linear, not one probe run
 * of 40,000 entries walked for every row (that took seconds).  No time is
 * asserted: a quadratic build would take minutes here and time the test
 * out. */
Test(snapshot, many_rows_of_one_value_are_one_entry, .timeout = 60)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  DiKey k = _ipv4(203, 0, 113, 9);
  for (guint i = 0; i < 200000; i++)
    {
      gchar source[32];
      g_snprintf(source, sizeof(source), "feed %u", i);
      DiIndicatorMeta m = { .actor = i % 2 ? "APT38" : NULL, .source = source, .confidence = i % 101 };
      di_snapshot_builder_add(b, DI_TYPE_IPV4, &k, &m);
    }
  DiSnapshot *snap = di_snapshot_builder_finish(b);
  cr_assert_eq(di_snapshot_count(snap), 1);
  cr_assert_eq(di_snapshot_entry_attribution_count(snap, 0), DI_SNAPSHOT_MAX_ATTRIBUTIONS);
  cr_assert_eq(di_snapshot_attributions_dropped(snap), 200000 - DI_SNAPSHOT_MAX_ATTRIBUTIONS);
  cr_assert_str_eq(di_snapshot_entry_actor(snap, 0), "APT38");
  cr_assert_eq(di_snapshot_entry_confidence(snap, 0), 100, "the best kept: attributed, confidence 100");
  di_snapshot_unref(snap);

  /* the same rows again and again (one feed loaded twice, say) */
  b = di_snapshot_builder_new();
  for (guint i = 0; i < 200000; i++)
    {
      DiIndicatorMeta m = { .actor = i % 2 ? "APT38" : "Kimsuky", .source = "feed", .confidence = 70 };
      di_snapshot_builder_add(b, DI_TYPE_IPV4, &k, &m);
    }
  snap = di_snapshot_builder_finish(b);
  cr_assert_eq(di_snapshot_count(snap), 1);
  cr_assert_eq(di_snapshot_entry_attribution_count(snap, 0), 2);
  cr_assert_lt(di_snapshot_memory(snap), 4096, "the table is sized for one value, not for the rows");
  di_snapshot_unref(snap);
}

Test(snapshot, expiry_is_the_latest_of_the_attributions)
{
  DiKey k = _ipv4(203, 0, 113, 10), k2 = _ipv4(203, 0, 113, 11);
  DiIndicatorMeta soon = { .actor = "Lazarus Group", .source = "a", .valid_until = 1000 };
  DiIndicatorMeta later = { .actor = "Lazarus Group", .source = "b", .valid_until = 2000 };
  DiIndicatorMeta never = { .actor = "Lazarus Group", .source = "c" };
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &k, &soon);
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &k, &later);
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &k2, &soon);
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &k2, &never);
  DiSnapshot *snap = di_snapshot_builder_finish(b);
  cr_assert_eq(di_snapshot_entry_valid_until(snap, 0), 2000);
  cr_assert_eq(di_snapshot_entry_valid_until(snap, 1), 0, "one attribution never expires");
  di_snapshot_unref(snap);
}

Test(snapshot, dprk_actors_are_marked)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  DiKey k1 = _ipv4(192, 0, 2, 1), k2 = _ipv4(192, 0, 2, 2), k3 = _ipv4(192, 0, 2, 3);
  DiIndicatorMeta other = { .actor = "GARANTEX EUROPE OU", .program = "RUSSIA-EO14024", .nexus = DI_NEXUS_OTHER };
  DiIndicatorMeta sdn = { .actor = "KIM, Il", .program = "DPRK3", .nexus = DI_NEXUS_DPRK };
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &k1, &lazarus);
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &k2, &other);
  di_snapshot_builder_add(b, DI_TYPE_IPV4, &k3, &sdn);
  DiSnapshot *snap = di_snapshot_builder_finish(b);
  cr_assert(di_snapshot_actor_is_dprk(snap, di_snapshot_entry_actor_id(snap, 0)));
  cr_assert_not(di_snapshot_actor_is_dprk(snap, di_snapshot_entry_actor_id(snap, 1)));
  cr_assert(di_snapshot_actor_is_dprk(snap, di_snapshot_entry_actor_id(snap, 2)));
  cr_assert_not(di_snapshot_actor_is_dprk(snap, 0));
  di_snapshot_unref(snap);
}

Test(snapshot, wallet_text_is_case_sensitive)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  DiKey k = _text_key(DI_KEY_WALLET, "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq");
  di_snapshot_builder_add(b, DI_TYPE_TRX, &k, &lazarus);
  DiSnapshot *snap = di_snapshot_builder_finish(b);
  cr_assert_str_eq(_find(snap, _text_key(DI_KEY_WALLET, "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq")),
                   "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq");
  cr_assert_str_eq(_find(snap, _text_key(DI_KEY_WALLET, "tucstq7tofTCJRRoHk6RvhMoS2mJLm5Yzq")), "");
  cr_assert_str_eq(_find(snap, _text_key(DI_KEY_DOMAIN, "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq")), "",
                   "a key of another class never matches");
  di_snapshot_unref(snap);
}

Test(snapshot, metadata_and_canonical_actor)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  guint8 evm[20] = { 0x09, 0x8b, 0x71 };
  DiKey k = _bytes_key(DI_KEY_EVM, evm, 20);
  DiIndicatorMeta none = { NULL, NULL, NULL, NULL, -1, 0 };
  di_snapshot_builder_add(b, DI_TYPE_ETH, &k, &lazarus);
  DiKey k2 = _text_key(DI_KEY_DOMAIN, "example.test");
  di_snapshot_builder_add(b, DI_TYPE_DOMAIN, &k2, &none);
  DiSnapshot *snap = di_snapshot_builder_finish(b);

  cr_assert_eq(di_snapshot_entry_type(snap, 0), DI_TYPE_ETH);
  cr_assert_str_eq(di_snapshot_entry_actor(snap, 0), "Lazarus Group");
  cr_assert_str_eq(di_snapshot_entry_source(snap, 0), "OFAC SDN");
  cr_assert_str_eq(di_snapshot_entry_reference(snap, 0), "https://ref");
  cr_assert_str_eq(di_snapshot_entry_description(snap, 0), "desc");
  cr_assert_eq(di_snapshot_entry_confidence(snap, 0), 90);
  cr_assert_eq(di_snapshot_entry_actor_id(snap, 0), 1);
  cr_assert_str_eq(di_snapshot_entry_actor(snap, 1), "");
  cr_assert_eq(di_snapshot_entry_actor_id(snap, 1), 0);
  cr_assert_eq(di_snapshot_entry_confidence(snap, 1), DI_DEFAULT_CONFIDENCE);
  cr_assert_eq(di_snapshot_actor_count(snap), 2);
  GString *v = g_string_new("");
  di_snapshot_entry_value(snap, 0, v);
  cr_assert_str_eq(v->str, "0x098b710000000000000000000000000000000000");
  g_string_free(v, TRUE);
  di_snapshot_unref(snap);
}

Test(snapshot, nexus_from_actor_program_or_reader)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  DiIndicatorMeta dprk_actor = { .actor = "HIDDEN COBRA", .confidence = -1 };
  DiIndicatorMeta unattributed = { .source = "some list", .confidence = -1 };
  DiIndicatorMeta other_program = { .actor = "GARANTEX EUROPE OU", .program = "RUSSIA-EO14024",
                                    .nexus = DI_NEXUS_OTHER, .confidence = -1 };
  DiIndicatorMeta dprk_program = { .actor = "KIM, Il", .program = "DPRK3", .nexus = DI_NEXUS_DPRK,
                                   .confidence = -1 };
  DiIndicatorMeta *metas[] = { &dprk_actor, &unattributed, &other_program, &dprk_program };
  for (guint8 i = 0; i < G_N_ELEMENTS(metas); i++)
    {
      DiKey k = _ipv4(192, 0, 2, i + 1);
      di_snapshot_builder_add(b, DI_TYPE_IPV4, &k, metas[i]);
    }
  DiSnapshot *snap = di_snapshot_builder_finish(b);

  cr_assert_eq(di_snapshot_entry_nexus(snap, 0), DI_NEXUS_DPRK, "an alias-table actor is DPRK-linked");
  cr_assert_eq(di_snapshot_entry_nexus(snap, 1), DI_NEXUS_UNKNOWN);
  cr_assert_eq(di_snapshot_entry_nexus(snap, 2), DI_NEXUS_OTHER);
  cr_assert_str_eq(di_snapshot_entry_program(snap, 2), "RUSSIA-EO14024");
  cr_assert_eq(di_snapshot_entry_nexus(snap, 3), DI_NEXUS_DPRK);
  cr_assert_str_eq(di_snapshot_entry_program(snap, 3), "DPRK3");
  cr_assert_str_eq(di_snapshot_entry_program(snap, 0), "");
  di_snapshot_unref(snap);
}

Test(snapshot, many_entries_all_found)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  for (guint i = 0; i < 100000; i++)
    {
      DiKey k = _ipv4(10, i >> 16, (i >> 8) & 255, i & 255);
      di_snapshot_builder_add(b, DI_TYPE_IPV4, &k, &lazarus);
    }
  DiSnapshot *snap = di_snapshot_builder_finish(b);
  cr_assert_eq(di_snapshot_count(snap), 100000);
  for (guint i = 0; i < 100000; i += 997)
    {
      gchar *found = _find(snap, _ipv4(10, i >> 16, (i >> 8) & 255, i & 255));
      cr_assert_neq(*found, '\0', "entry %u not found", i);
      g_free(found);
    }
  cr_assert_str_eq(_find(snap, _ipv4(10, 2, 0, 0)), "");
  cr_assert_lt(di_snapshot_memory(snap) / 100000, 22, "bytes per IPv4 indicator");
  di_snapshot_unref(snap);
}
