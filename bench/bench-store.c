/* bench-store.c: memory and lookup speed of the indicator store.
 *
 *   bench/bench-store [N]     (default 1000000 indicators)
 *
 * Builds a snapshot of N synthetic indicators (a mix of EVM addresses, IPv4,
 * domains, SHA-256 and base58 wallets, with per-feed metadata as real feeds
 * have it), then prints bytes per indicator and lookups per second (hits and
 * misses).  The baseline, measured in the same run, is the obvious design the
 * snapshot replaces: a GHashTable of heap strings (value -> metadata struct). */
#include "snapshot.h"
#include "normalize.h"
#include <stdio.h>
#include <string.h>
#include <malloc.h>

typedef struct
{
  gchar *actor, *source, *reference, *description;
  gint confidence;
} BaselineMeta;

static gchar *
_value(guint i, GRand *rnd, DiType *type)
{
  static const gchar b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  switch (i % 5)
    {
    case 0:
      *type = DI_TYPE_ETH;
      return g_strdup_printf("0x%08x%08x%08x%08x%08x", g_rand_int(rnd), g_rand_int(rnd), g_rand_int(rnd),
                             g_rand_int(rnd), g_rand_int(rnd));
    case 1:
      *type = DI_TYPE_IPV4;
      return g_strdup_printf("%u.%u.%u.%u", 1 + (i >> 24) % 200, (i >> 16) & 255, (i >> 8) & 255, i & 255);
    case 2:
      *type = DI_TYPE_DOMAIN;
      return g_strdup_printf("d%08x.bad-cdn%u.test", g_rand_int(rnd), i % 1000);
    case 3:
      *type = DI_TYPE_SHA256;
      return g_strdup_printf("%08x%08x%08x%08x%08x%08x%08x%08x", g_rand_int(rnd), g_rand_int(rnd), g_rand_int(rnd),
                             g_rand_int(rnd), g_rand_int(rnd), g_rand_int(rnd), g_rand_int(rnd), g_rand_int(rnd));
    default:
      {
        *type = DI_TYPE_SOL;
        gchar *s = g_malloc(45);
        for (gint k = 0; k < 44; k++)
          s[k] = b58[g_rand_int_range(rnd, 0, 58)];
        s[0] = '4';   /* keeps 44 digits within 32 bytes */
        s[44] = '\0';
        return s;
      }
    }
}

static gboolean
_on_hit(const DiSnapshot *snap, guint32 entry, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return FALSE;
}

static gsize
_heap_in_use(void)
{
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

int
main(int argc, char **argv)
{
  guint n = argc > 1 ? atoi(argv[1]) : 1000000;
  static const gchar *actors[] = { "Lazarus Group", "APT38", "TraderTraitor", "Andariel", "Kimsuky" };
  GRand *rnd = g_rand_new_with_seed(42);
  gchar **values = g_new(gchar *, n);
  DiType *types = g_new(DiType, n);
  for (guint i = 0; i < n; i++)
    values[i] = _value(i, rnd, &types[i]);

  /* the snapshot */
  gsize before = _heap_in_use();
  gint64 t0 = g_get_monotonic_time();
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  for (guint i = 0; i < n; i++)
    {
      DiKey key;
      if (!di_normalize(types[i], values[i], strlen(values[i]), &key, NULL, NULL))
        continue;
      gchar ref[64];
      g_snprintf(ref, sizeof(ref), "https://example.test/report/%u", i / 1000);
      DiIndicatorMeta meta = { actors[i % 5], "bench feed", ref, NULL, 70, 0 };
      di_snapshot_builder_add(b, types[i], &key, &meta);
    }
  DiSnapshot *snap = di_snapshot_builder_finish(b);
  gint64 t1 = g_get_monotonic_time();
  gsize snap_bytes = _heap_in_use() - before;

  /* the baseline: value string -> metadata struct */
  before = _heap_in_use();
  GHashTable *baseline = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < n; i++)
    {
      BaselineMeta *m = g_new0(BaselineMeta, 1);
      m->actor = g_strdup(actors[i % 5]);
      m->source = g_strdup("bench feed");
      m->reference = g_strdup_printf("https://example.test/report/%u", i / 1000);
      m->confidence = 70;
      g_hash_table_insert(baseline, g_ascii_strdown(values[i], -1), m);
    }
  gsize base_bytes = _heap_in_use() - before;

  /* lookups: every value (hits) and as many fresh ones (misses) */
  guint found = 0;
  gint64 t2 = g_get_monotonic_time();
  for (guint i = 0; i < n; i++)
    {
      DiKey key;
      di_normalize(types[i], values[i], strlen(values[i]), &key, NULL, NULL);
      gboolean hit = FALSE;
      di_snapshot_find(snap, &key, _on_hit, &hit);
      found += hit;
    }
  gint64 t3 = g_get_monotonic_time();
  guint base_found = 0;
  for (guint i = 0; i < n; i++)
    {
      gchar *lower = g_ascii_strdown(values[i], -1);
      base_found += g_hash_table_contains(baseline, lower);
      g_free(lower);
    }
  gint64 t4 = g_get_monotonic_time();

  /* misses: values of the same shapes that were never loaded (most tokens of
   * a real log line), keys normalised beforehand so only the find is timed */
  GRand *other = g_rand_new_with_seed(7);
  DiKey *keys = g_new(DiKey, 4096);
  guint misses = 0, rounds = MAX(n / 4096, 1);
  for (guint k = 0; k < 4096; k++)
    {
      DiType type;
      gchar *v = _value(k + 1, other, &type);
      di_normalize(type, v, strlen(v), &keys[k], NULL, NULL);
      g_free(v);
    }
  gint64 t5 = g_get_monotonic_time();
  for (guint r = 0; r < rounds; r++)
    for (guint k = 0; k < 4096; k++)
      {
        gboolean hit = FALSE;
        di_snapshot_find(snap, &keys[k], _on_hit, &hit);
        misses += !hit;
      }
  gint64 t6 = g_get_monotonic_time();
  g_free(keys);
  g_rand_free(other);

  printf("indicators               %u (snapshot holds %u)\n", n, di_snapshot_count(snap));
  printf("snapshot build           %.2f s\n", (t1 - t0) / 1e6);
  printf("snapshot memory          %.1f bytes/indicator (di_snapshot_memory: %.1f)\n", (double) snap_bytes / n,
         (double) di_snapshot_memory(snap) / n);
  printf("baseline memory          %.1f bytes/indicator (GHashTable of strings)\n", (double) base_bytes / n);
  printf("memory ratio             %.2f of baseline\n", (double) snap_bytes / base_bytes);
  printf("snapshot lookups         %.1f M/s (normalise + find, %u hits)\n", n / ((t3 - t2) / 1e6) / 1e6, found);
  printf("baseline lookups         %.1f M/s (lower-case + lookup, %u hits)\n", n / ((t4 - t3) / 1e6) / 1e6,
         base_found);
  printf("lookup speed ratio       %.2f of baseline\n", (double) (t4 - t3) / (t3 - t2));
  printf("snapshot misses          %.1f M/s (find only, normalised keys; %u of %u missed)\n",
         rounds * 4096.0 / ((t6 - t5) / 1e6) / 1e6, misses, rounds * 4096);

  g_hash_table_destroy(baseline);
  di_snapshot_unref(snap);
  for (guint i = 0; i < n; i++)
    g_free(values[i]);
  g_free(values);
  g_free(types);
  g_rand_free(rnd);
  return found == n ? 0 : 1;
}
