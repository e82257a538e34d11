/* bench-store.c: memory, build time and lookup speed of the indicator store.
 *
 *   bench/bench-store [N ...] [--data FILE]   (default: 1000 100000 1000000)
 *
 * For each N, builds a snapshot of N indicators of the benchmark mix
 * (bench-gen.h: mostly EVM and Bitcoin addresses, some IPv4, domains and
 * SHA-256, a DPRK actor each as a feed gives them) and prints bytes per
 * indicator (growth of the anonymous memory of the process, and what
 * di_snapshot_memory() counts), the build
 * time (normalise, add, finish) and lookups per second of hits and of
 * misses, all in CPU time of the thread.  The baseline, measured in the same run on the same values, is
 * the obvious design the snapshot replaces: a GHashTable of heap strings
 * (lower-cased value -> metadata struct).  --data appends one line per N
 * (n, bytes/indicator, build seconds, hits/s, misses/s and the baseline's)
 * for the plots of bench/plot-store.gp. */
#include "snapshot.h"
#include "normalize.h"
#include "bench-gen.h"
#include <stdio.h>
#include <string.h>
#include <malloc.h>
#include <time.h>

typedef struct
{
  gchar *actor, *source, *reference, *description;
  gint confidence;
} BaselineMeta;

typedef struct
{
  guint n;
  gchar **values;
  DiType *types;
  /* results */
  gdouble snap_bytes, snap_counted, base_bytes;   /* per indicator */
  gdouble snap_build, base_build;                 /* seconds */
  gdouble normalize, finish;                      /* seconds of snap_build */
  gdouble snap_hits, base_hits, snap_misses, base_misses;   /* lookups/s */
} StoreRun;

static gboolean
_on_hit(const DiSnapshot *snap, guint32 entry, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return FALSE;
}

/* Anonymous memory of the process (heap and mappings: the store maps its
 * table itself), after giving freed heap back. */
static gsize
_heap_in_use(void)
{
  malloc_trim(0);
  gsize kb = 0;
  gchar *status = NULL;
  if (g_file_get_contents("/proc/self/status", &status, NULL, NULL))
    {
      const gchar *p = strstr(status, "RssAnon:");
      if (p)
        kb = g_ascii_strtoull(p + 8, NULL, 10);
      g_free(status);
    }
  return kb * 1024;
}

/* This thread's CPU time in microseconds: on a small shared machine wall
 * time measures the neighbours as much as the code. */
static gint64
_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static gdouble
_seconds(gint64 from, gint64 to)
{
  return MAX(to - from, 1) / 1e6;
}

static void
_make_values(StoreRun *r, guint32 seed)
{
  GRand *rnd = g_rand_new_with_seed(seed);
  gchar value[DI_BENCH_VALUE_MAX];
  r->values = g_new(gchar *, r->n);
  r->types = g_new(DiType, r->n);
  for (guint i = 0; i < r->n; i++)
    {
      r->types[i] = di_bench_value(i, rnd, value);
      r->values[i] = g_strdup(value);
    }
  g_rand_free(rnd);
}

static void
_free_values(gchar **values, DiType *types, guint n)
{
  for (guint i = 0; i < n; i++)
    g_free(values[i]);
  g_free(values);
  g_free(types);
}

/* The part of the build that is the normaliser's (base58check and bech32
 * checksums, hex), not the store's: timed on its own first. */
static void
_time_normalize(StoreRun *r)
{
  gint64 t0 = _now();
  guint ok = 0;
  for (guint i = 0; i < r->n; i++)
    {
      DiKey key;
      ok += di_normalize(r->types[i], r->values[i], strlen(r->values[i]), &key, NULL, NULL);
    }
  r->normalize = _seconds(t0, _now());
  if (ok != r->n)
    fprintf(stderr, "warning: %u of %u values do not normalise\n", r->n - ok, r->n);
}

static DiSnapshot *
_build_snapshot(StoreRun *r)
{
  _time_normalize(r);
  gsize before = _heap_in_use();
  gint64 t0 = _now();
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  for (guint i = 0; i < r->n; i++)
    {
      DiKey key;
      if (!di_normalize(r->types[i], r->values[i], strlen(r->values[i]), &key, NULL, NULL))
        continue;
      DiIndicatorMeta meta = { di_bench_actors[i % 5], "bench feed", NULL, NULL, 50, 0 };
      di_snapshot_builder_add(b, r->types[i], &key, &meta);
    }
  gint64 t1 = _now();
  DiSnapshot *snap = di_snapshot_builder_finish(b);
  r->snap_build = _seconds(t0, _now());
  r->finish = _seconds(t1, _now());
  r->snap_bytes = (gdouble) (_heap_in_use() - before) / r->n;
  r->snap_counted = (gdouble) di_snapshot_memory(snap) / r->n;
  return snap;
}

static GHashTable *
_build_baseline(StoreRun *r)
{
  gsize before = _heap_in_use();
  gint64 t0 = _now();
  GHashTable *baseline = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < r->n; i++)
    {
      BaselineMeta *m = g_new0(BaselineMeta, 1);
      m->actor = g_strdup(di_bench_actors[i % 5]);
      m->source = g_strdup("bench feed");
      m->confidence = 50;
      g_hash_table_insert(baseline, g_ascii_strdown(r->values[i], -1), m);
    }
  r->base_build = _seconds(t0, _now());
  r->base_bytes = (gdouble) (_heap_in_use() - before) / r->n;
  return baseline;
}

/* Hits: every value, normalised as the scanner would (the baseline
 * lower-cases); misses: as many values of the same shapes never loaded. */
static void
_time_lookups(StoreRun *r, DiSnapshot *snap, GHashTable *baseline)
{
  guint found = 0, base_found = 0, lookups = MIN(r->n, 2000000);
  gint64 t0 = _now();
  for (guint i = 0; i < lookups; i++)
    {
      DiKey key;
      gboolean hit = FALSE;
      di_normalize(r->types[i], r->values[i], strlen(r->values[i]), &key, NULL, NULL);
      di_snapshot_find(snap, &key, _on_hit, &hit);
      found += hit;
    }
  gint64 t1 = _now();
  for (guint i = 0; i < lookups; i++)
    {
      gchar *lower = g_ascii_strdown(r->values[i], -1);
      base_found += g_hash_table_contains(baseline, lower);
      g_free(lower);
    }
  gint64 t2 = _now();
  r->snap_hits = lookups / _seconds(t0, t1);
  r->base_hits = lookups / _seconds(t1, t2);
  if (found != lookups || base_found != lookups)
    fprintf(stderr, "warning: %u/%u snapshot and %u/%u baseline hits\n", found, lookups, base_found, lookups);

  StoreRun other = { .n = lookups };
  _make_values(&other, 7);
  guint missed = 0, base_missed = 0;
  gint64 t3 = _now();
  for (guint i = 0; i < other.n; i++)
    {
      DiKey key;
      gboolean hit = FALSE;
      di_normalize(other.types[i], other.values[i], strlen(other.values[i]), &key, NULL, NULL);
      di_snapshot_find(snap, &key, _on_hit, &hit);
      missed += !hit;
    }
  gint64 t4 = _now();
  for (guint i = 0; i < other.n; i++)
    {
      gchar *lower = g_ascii_strdown(other.values[i], -1);
      base_missed += !g_hash_table_contains(baseline, lower);
      g_free(lower);
    }
  gint64 t5 = _now();
  r->snap_misses = other.n / _seconds(t3, t4);
  r->base_misses = other.n / _seconds(t4, t5);
  _free_values(other.values, other.types, other.n);
}

static void
_run(StoreRun *r)
{
  _make_values(r, 42);
  DiSnapshot *snap = _build_snapshot(r);
  GHashTable *baseline = _build_baseline(r);
  _time_lookups(r, snap, baseline);
  printf("%10u  %7.1f B (%5.1f counted)  %7.1f B  %5.2f   %7.2f s (%4.2f norm., %4.2f add, %4.2f finish)  %7.2f s"
         "  %6.2f M/s %6.2f M/s  %6.2f M/s %6.2f M/s\n",
         r->n, r->snap_bytes, r->snap_counted, r->base_bytes, r->snap_bytes / r->base_bytes, r->snap_build,
         r->normalize, r->snap_build - r->finish - r->normalize, r->finish, r->base_build, r->snap_hits / 1e6,
         r->base_hits / 1e6, r->snap_misses / 1e6, r->base_misses / 1e6);
  fflush(stdout);
  g_hash_table_destroy(baseline);
  di_snapshot_unref(snap);
  _free_values(r->values, r->types, r->n);
}

int
main(int argc, char **argv)
{
  const gchar *data = NULL;
  GArray *sizes = g_array_new(FALSE, FALSE, sizeof(guint));
  for (gint i = 1; i < argc; i++)
    {
      if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
        data = argv[++i];
      else
        {
          guint n = MAX(atoi(argv[i]), 1);
          g_array_append_val(sizes, n);
        }
    }
  if (sizes->len == 0)
    {
      guint defaults[] = { 1000, 100000, 1000000 };
      g_array_append_vals(sizes, defaults, G_N_ELEMENTS(defaults));
    }

  printf("mix: 45%% EVM, 35%% BTC (P2PKH, P2SH, bech32), 8%% IPv4, 7%% domains, 5%% SHA-256; "
         "baseline: GHashTable of strings, same values, same run\n");
  printf("%10s  %-24s  %-9s  %-5s  %-51s  %-9s  %-21s  %-21s\n", "indicators", "snapshot memory/indicator",
         "baseline", "ratio", "build (CPU)", "baseline", "hits: snapshot, base", "misses: snapshot, base");
  FILE *out = data ? fopen(data, "a") : NULL;
  for (guint i = 0; i < sizes->len; i++)
    {
      StoreRun r = { .n = g_array_index(sizes, guint, i) };
      _run(&r);
      if (out)
        fprintf(out, "%u %.2f %.4f %.0f %.0f %.2f %.4f %.0f %.0f\n", r.n, r.snap_bytes, r.snap_build, r.snap_hits,
                r.snap_misses, r.base_bytes, r.base_build, r.base_hits, r.base_misses);
    }
  if (out)
    fclose(out);
  g_array_free(sizes, TRUE);
  return 0;
}
