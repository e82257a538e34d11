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

/* The values found, space-separated; kept until the test's process ends
 * (so that asserting on it leaks nothing LeakSanitizer would report). */
static gchar *
_find(const DiSnapshot *snap, DiKey key)
{
  static GPtrArray *kept;
  GString *out = g_string_new("");
  di_snapshot_find(snap, &key, _collect, out);
  if (!kept)
    kept = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(kept, out->str);
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

Test(snapshot, duplicates_kept_once_distinct_actors_kept_apart)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  DiKey k = _text_key(DI_KEY_WALLET, "125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU");
  DiIndicatorMeta other = lazarus;
  other.actor = "APT38";
  di_snapshot_builder_add(b, DI_TYPE_BTC, &k, &lazarus);
  di_snapshot_builder_add(b, DI_TYPE_BTC, &k, &lazarus);
  di_snapshot_builder_add(b, DI_TYPE_BTC, &k, &other);
  DiSnapshot *snap = di_snapshot_builder_finish(b);
  cr_assert_eq(di_snapshot_count(snap), 2);
  cr_assert_str_eq(_find(snap, k), "125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU 125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU");
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
  cr_assert_lt(di_snapshot_memory(snap) / 100000, 36, "bytes per IPv4 indicator");
  di_snapshot_unref(snap);
}
