/* test-feed-version.c: the version hash of a loaded set (engine/feed-version.c):
 * it depends on the distinct (type, value, actor) indicators only, changes
 * with any of them, and keeps its value across releases; its text forms. */
#include <criterion/criterion.h>
#include "feed-version.h"
#include <string.h>

typedef struct
{
  DiType type;
  DiKeyClass cls;
  const gchar *value;
  const gchar *actor;
  const gchar *source;
} Row;

static const Row base_rows[] =
{
  { DI_TYPE_DOMAIN, DI_KEY_DOMAIN, "celasllc.com", "Lazarus Group", "maltrail" },
  { DI_TYPE_BTC, DI_KEY_WALLET, "1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo", "APT38", "OFAC SDN" },
  { DI_TYPE_EMAIL, DI_KEY_EMAIL, "hr@example.test", NULL, "vendor" },
  { DI_TYPE_URL, DI_KEY_URL, "http://example.test/a/b?c=d", "TraderTraitor", "FBI" },
};

static DiKey
_key(DiKeyClass cls, const gchar *text)
{
  DiKey k;
  cr_assert(di_key_set_text(&k, cls, text, strlen(text)));
  return k;
}

static void
_add(DiSnapshotBuilder *b, const Row *r, const gchar *reference, gint confidence)
{
  DiKey k = _key(r->cls, r->value);
  DiIndicatorMeta meta = { .actor = r->actor, .source = r->source, .reference = reference, .confidence = confidence };
  di_snapshot_builder_add(b, r->type, &k, &meta);
}

/* the base rows in the given order, with per-row metadata that must not matter */
static DiSnapshot *
_snapshot(const gint *order, gsize n, const gchar *reference, gint confidence)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  for (gsize i = 0; i < n; i++)
    _add(b, &base_rows[order[i]], reference, confidence);
  return di_snapshot_builder_finish(b);
}

static guint64
_hash(DiSnapshot *snap)
{
  DiFeedVersion v;
  di_feed_version_compute(&v, snap, 1700000000);
  di_snapshot_unref(snap);
  return v.hash;
}

static const gint forward[] = { 0, 1, 2, 3 };
static const gint backward[] = { 3, 2, 1, 0 };

Test(feed_version, order_and_metadata_do_not_matter)
{
  guint64 a = _hash(_snapshot(forward, 4, NULL, -1));
  guint64 b = _hash(_snapshot(backward, 4, "https://other.ref", 90));
  cr_assert_eq(a, b, "the same indicators in another order, with other references and confidences");
}

Test(feed_version, a_second_source_of_the_same_indicator_does_not_matter)
{
  guint64 a = _hash(_snapshot(forward, 4, NULL, -1));
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  for (gsize i = 0; i < 4; i++)
    _add(b, &base_rows[i], NULL, -1);
  Row again = base_rows[1];
  again.source = "vendor feed";       /* another attribution of the value, the same indicator */
  _add(b, &again, NULL, -1);
  DiSnapshot *snap = di_snapshot_builder_finish(b);
  cr_assert_eq(di_snapshot_count(snap), 4);
  cr_assert_eq(di_snapshot_entry_attribution_count(snap, 1), 2);
  DiFeedVersion v;
  di_feed_version_compute(&v, snap, 0);
  cr_assert_eq(v.count, 4, "four distinct indicators");
  cr_assert_eq(v.hash, a);
  di_snapshot_unref(snap);
}

/* One entry carries both actors: two indicators, as when each row was an
 * entry; the hash is the one of the rows as two separate sets would give. */
Test(feed_version, a_value_attributed_to_two_actors_is_two_indicators)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  for (gsize i = 0; i < 4; i++)
    _add(b, &base_rows[i], NULL, -1);
  Row other = base_rows[0];
  other.actor = "Kimsuky";
  _add(b, &other, NULL, -1);
  DiSnapshot *snap = di_snapshot_builder_finish(b);
  cr_assert_eq(di_snapshot_count(snap), 4, "one entry for the value");
  DiFeedVersion v;
  di_feed_version_compute(&v, snap, 0);
  cr_assert_eq(v.count, 5, "five distinct (type, value, actor) indicators");
  guint64 two_actors = v.hash;
  di_snapshot_unref(snap);

  /* the same with the second actor's row first: the primary changes, the
   * indicators do not */
  b = di_snapshot_builder_new();
  _add(b, &other, NULL, 90);
  for (gsize i = 0; i < 4; i++)
    _add(b, &base_rows[i], NULL, -1);
  cr_assert_eq(_hash(di_snapshot_builder_finish(b)), two_actors);
  cr_assert_neq(two_actors, _hash(_snapshot(forward, 4, NULL, -1)), "an actor more changes the version");
}

Test(feed_version, the_alias_of_an_actor_is_the_same_actor)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  Row r = base_rows[0];
  r.actor = "HIDDEN COBRA";           /* an alias of Lazarus Group */
  _add(b, &r, NULL, -1);
  for (gsize i = 1; i < 4; i++)
    _add(b, &base_rows[i], NULL, -1);
  cr_assert_eq(_hash(di_snapshot_builder_finish(b)), _hash(_snapshot(forward, 4, NULL, -1)));
}

/* each change of one row: another value, type, actor, or a row more or less */
Test(feed_version, every_change_of_the_set_changes_the_hash)
{
  guint64 base = _hash(_snapshot(forward, 4, NULL, -1));
  cr_assert_neq(_hash(_snapshot(forward, 3, NULL, -1)), base, "one indicator less");

  const Row changed[] =
  {
    { DI_TYPE_DOMAIN, DI_KEY_DOMAIN, "celasllc.net", "Lazarus Group", "maltrail" },
    { DI_TYPE_DOMAIN, DI_KEY_DOMAIN, "celasllc.com", "APT38", "maltrail" },
    { DI_TYPE_DOMAIN, DI_KEY_DOMAIN, "celasllc.com", NULL, "maltrail" },
    { DI_TYPE_URL, DI_KEY_URL, "celasllc.com", "Lazarus Group", "maltrail" },
  };
  GHashTable *seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  g_hash_table_add(seen, g_memdup2(&base, sizeof(base)));
  for (gsize c = 0; c < G_N_ELEMENTS(changed); c++)
    {
      DiSnapshotBuilder *b = di_snapshot_builder_new();
      _add(b, &changed[c], NULL, -1);
      for (gsize i = 1; i < 4; i++)
        _add(b, &base_rows[i], NULL, -1);
      guint64 h = _hash(di_snapshot_builder_finish(b));
      cr_assert_not(g_hash_table_contains(seen, &h), "change %zu gives a hash of its own", c);
      g_hash_table_add(seen, g_memdup2(&h, sizeof(h)));
    }

  DiSnapshotBuilder *b = di_snapshot_builder_new();
  for (gsize i = 0; i < 4; i++)
    _add(b, &base_rows[i], NULL, -1);
  _add(b, &changed[0], NULL, -1);
  cr_assert_neq(_hash(di_snapshot_builder_finish(b)), base, "one indicator more");
  g_hash_table_destroy(seen);
}

/* Relays running different releases must agree: this value may change only
 * with a documented break of every recorded version. */
Test(feed_version, the_hash_of_a_known_set_is_pinned)
{
  guint64 h = _hash(_snapshot(forward, 4, NULL, -1));
  gchar text[DI_FEED_VERSION_HASH_MAX];
  di_feed_version_format_hash(h, text);
  cr_assert_str_eq(text, "10af6f1a39b6a697");
}

Test(feed_version, the_empty_set_has_a_version)
{
  DiSnapshot *snap = di_snapshot_builder_finish(di_snapshot_builder_new());
  DiFeedVersion v;
  di_feed_version_compute(&v, snap, 0);
  cr_assert_eq(v.count, 0);
  cr_assert_eq(v.hash, di_feed_version_hash(NULL, 0));
  di_snapshot_unref(snap);
}

/* Enough entries for the distribution sort (with duplicates), against a
 * plain sort of the per-entry fingerprints. */
Test(feed_version, fingerprints_are_sorted_distinct_and_hash_in_any_order)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  GRand *r = g_rand_new_with_seed(7);
  const gchar *actors[] = { "Lazarus Group", "APT38", NULL };
  for (gint i = 0; i < 60000; i++)
    {
      DiKey k = { .cls = DI_KEY_IPV4, .len = 4 };
      guint32 ip = g_rand_int_range(r, 0, 40000);   /* many values twice */
      memcpy(k.bytes, &ip, 4);
      DiIndicatorMeta meta = { .actor = actors[i % 3], .source = i % 2 ? "a" : "b", .confidence = -1 };
      di_snapshot_builder_add(b, DI_TYPE_IPV4, &k, &meta);
    }
  DiSnapshot *snap = di_snapshot_builder_finish(b);

  guint n_entries = di_snapshot_count(snap);
  gsize n_each;
  guint32 *first;
  guint64 *each = di_feed_version_entry_fingerprints(snap, &n_each, &first);
  cr_assert_eq(first[0], 0);
  cr_assert_eq(first[n_entries], n_each);
  GHashTable *distinct = g_hash_table_new(g_int64_hash, g_int64_equal);
  for (gsize k = 0; k < n_each; k++)
    g_hash_table_add(distinct, &each[k]);
  for (guint e = 0; e < n_entries; e++)
    cr_assert_eq(first[e + 1] - first[e], di_snapshot_entry_attribution_count(snap, e));

  gsize n;
  guint64 *fps = di_feed_version_fingerprints(snap, &n);
  cr_assert_eq(n, g_hash_table_size(distinct));
  cr_assert_lt(n, n_each, "the input has one indicator from two sources");
  cr_assert_gt(n, n_entries, "the input has values of two actors");
  for (gsize i = 0; i < n; i++)
    {
      cr_assert(g_hash_table_contains(distinct, &fps[i]));
      if (i)
        cr_assert_lt(fps[i - 1], fps[i], "sorted and distinct at %zu", i);
    }

  DiFeedVersion v;
  di_feed_version_compute(&v, snap, 0);
  cr_assert_eq(v.hash, di_feed_version_hash(fps, n));
  for (gsize i = 0; i < n / 2; i++)
    {
      guint64 t = fps[i];
      fps[i] = fps[n - 1 - i];
      fps[n - 1 - i] = t;
    }
  cr_assert_eq(di_feed_version_hash(fps, n), v.hash, "the hash does not depend on order");
  cr_assert_neq(di_feed_version_hash(fps, n - 1), v.hash);

  g_hash_table_destroy(distinct);
  g_free(first);
  g_free(each);
  g_free(fps);
  g_rand_free(r);
  di_snapshot_unref(snap);
}

Test(feed_version, text_forms)
{
  DiFeedVersion v = { G_GUINT64_CONSTANT(0x03f9a0c41d2e87b6), 1740147185, 4 };
  gchar text[DI_FEED_VERSION_TEXT_MAX];
  di_feed_version_format(&v, text);
  cr_assert_str_eq(text, "03f9a0c41d2e87b6@2025-02-21T14:13:05Z");

  guint64 h = 0;
  gint64 t = -1;
  cr_assert(di_feed_version_parse(text, &h, &t));
  cr_assert_eq(h, v.hash);
  cr_assert_eq(t, v.loaded_at);
  cr_assert(di_feed_version_parse("03F9A0C41D2E87B6", &h, &t), "the short form, any case");
  cr_assert_eq(h, v.hash);
  cr_assert_eq(t, 0);

  const gchar *bad[] = { "", "03f9a0c41d2e87b", "03f9a0c41d2e87b6x", "03f9a0c41d2e87b6@yesterday",
                         "g3f9a0c41d2e87b6", "2025-02-21" };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++)
    cr_assert_not(di_feed_version_parse(bad[i], &h, &t), "'%s' is no version", bad[i]);
}
