/* bench-incidents.c: cost of di_incidents_add() under the shapes that matter:
 * few hot keys, a full table of 100000 open incidents, a flood of new keys
 * (every add evicts), each from 1 and from several threads; and keys chosen
 * to collide (issue 11): 65536 keys that share one g_str_hash ("Aa"/"B@"
 * blocks) against 65536 random keys of the same length, opened one by one,
 * printed as a ratio measured in the same run (target: about 1).  An unkeyed
 * GHashTable (g_str_hash), as the table was before, is timed on the same
 * shapes at a smaller count to show what the attack did (its ratio grows
 * with the count: every insert scans the run of colliding keys).
 *
 *   bench-incidents [ADDS_PER_THREAD] [THREADS] [COLLIDING_KEYS_LOG2]
 *
 * The baseline, run with the same keys and threads, is the obvious design
 * without bounds: one GHashTable of heap-allocated incidents under a mutex,
 * each with hash sets of its indicators and actors, no idle ordering and no
 * eviction (so it has no flood figure: it would only grow).
 */
#include "incidents.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct
{
  DiIncidents *table;
  guint n_keys;        /* 0 = a new key every add */
  guint adds;
  guint thread;
  gchar **keys;
} Job;

static const gchar *indicators[] = { "0x098b716b8aaf21512996dc57eb0615e2383e2f96" };
static const gchar *actors[] = { "Lazarus Group" };

static gpointer
_run(gpointer data)
{
  Job *job = data;
  gchar key[32];
  DiIncidentUpdate up;
  guint32 x = 2463534242u + job->thread;

  for (guint i = 0; i < job->adds; i++)
    {
      const gchar *k;
      x ^= x << 13, x ^= x >> 17, x ^= x << 5;
      if (job->n_keys)
        k = job->keys[x % job->n_keys];
      else
        {
          g_snprintf(key, sizeof(key), "flood-%u-%u", job->thread, i);
          k = key;
        }
      di_incidents_add(job->table, k, g_get_real_time(), indicators, 1, actors, 1, "12.5", &up);
      di_incident_update_clear(&up);
    }
  return NULL;
}

typedef struct
{
  guint64 count;
  gdouble amount;
  GHashTable *indicators, *actors;
} BaselineIncident;

typedef struct
{
  GMutex lock;
  GHashTable *open;
} Baseline;

static void
_baseline_incident_free(gpointer p)
{
  BaselineIncident *inc = p;
  g_hash_table_destroy(inc->indicators);
  g_hash_table_destroy(inc->actors);
  g_free(inc);
}

static void
_baseline_add(Baseline *b, const gchar *key)
{
  g_mutex_lock(&b->lock);
  BaselineIncident *inc = g_hash_table_lookup(b->open, key);
  if (!inc)
    {
      inc = g_new0(BaselineIncident, 1);
      inc->indicators = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
      inc->actors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert(b->open, g_strdup(key), inc);
    }
  inc->count++;
  inc->amount += g_ascii_strtod("12.5", NULL);
  if (!g_hash_table_contains(inc->indicators, indicators[0]))
    g_hash_table_add(inc->indicators, g_strdup(indicators[0]));
  if (!g_hash_table_contains(inc->actors, actors[0]))
    g_hash_table_add(inc->actors, g_strdup(actors[0]));
  g_mutex_unlock(&b->lock);
}

typedef struct
{
  Baseline *baseline;
  Job job;
} BaselineJob;

static gpointer
_baseline_run(gpointer data)
{
  BaselineJob *bj = data;
  guint32 x = 2463534242u + bj->job.thread;
  for (guint i = 0; i < bj->job.adds; i++)
    {
      x ^= x << 13, x ^= x >> 17, x ^= x << 5;
      _baseline_add(bj->baseline, bj->job.keys[x % bj->job.n_keys]);
    }
  return NULL;
}

/* ns per add of the baseline with the same keys and threads */
static gdouble
_baseline(guint n_keys, guint adds, guint threads, gchar **keys)
{
  Baseline b;
  g_mutex_init(&b.lock);
  b.open = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, _baseline_incident_free);
  GThread *th[64];
  BaselineJob jobs[64];
  gint64 start = g_get_monotonic_time();
  for (guint t = 0; t < threads; t++)
    {
      jobs[t] = (BaselineJob) { &b, { NULL, n_keys, adds, t, keys } };
      th[t] = g_thread_new("baseline", _baseline_run, &jobs[t]);
    }
  for (guint t = 0; t < threads; t++)
    g_thread_join(th[t]);
  gint64 elapsed = g_get_monotonic_time() - start;
  g_hash_table_destroy(b.open);
  g_mutex_clear(&b.lock);
  return elapsed * 1000.0 / ((gdouble) adds * threads);
}

static void
_bench(const gchar *name, guint n_keys, guint max_open, guint adds, guint threads)
{
  DiIncidents *table = di_incidents_new(3600, max_open);
  gchar **keys = g_new0(gchar *, n_keys + 1);
  GThread *th[64];
  Job jobs[64];

  for (guint i = 0; i < n_keys; i++)
    keys[i] = g_strdup_printf("host-%u/acct-%u", i % 97, i);
  gint64 start = g_get_monotonic_time();
  for (guint t = 0; t < threads; t++)
    {
      jobs[t] = (Job) { table, n_keys, adds, t, keys };
      th[t] = g_thread_new("bench", _run, &jobs[t]);
    }
  for (guint t = 0; t < threads; t++)
    g_thread_join(th[t]);
  gint64 elapsed = g_get_monotonic_time() - start;

  DiIncidentCounters c;
  di_incidents_get_counters(table, &c);
  gdouble total = (gdouble) adds * threads;
  gdouble ns = elapsed * 1000.0 / total;
  printf("%-28s threads=%u adds=%.0f  %.0f ns/add  %.2f M adds/s  open=%" G_GUINT64_FORMAT
         " evicted=%" G_GUINT64_FORMAT,
         name, threads, total, ns, total / elapsed, c.open_now, c.evicted);
  if (n_keys)
    {
      gdouble base = _baseline(n_keys, adds, threads, keys);
      printf("  baseline %.0f ns/add: %.2f of its cost", base, ns / base);
    }
  printf("\n");
  di_incidents_free(table);
  g_strfreev(keys);
}

/* ---- keys chosen to collide ---- */

/* 2^bits keys "acct-" + bits blocks of "Aa" or "B@": one g_str_hash for all
 * ('A' * 33 + 'a' == 'B' * 33 + '@') */
static gchar **
_colliding_keys(guint bits)
{
  guint n = 1u << bits;
  gchar **keys = g_new0(gchar *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      GString *k = g_string_new("acct-");
      for (guint b = 0; b < bits; b++)
        g_string_append(k, (i >> b) & 1 ? "B@" : "Aa");
      keys[i] = g_string_free(k, FALSE);
    }
  return keys;
}

/* as many random keys of the same length */
static gchar **
_random_keys(guint bits)
{
  static const gchar alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@";
  guint n = 1u << bits;
  gchar **keys = g_new0(gchar *, n + 1);
  GRand *rand = g_rand_new_with_seed(42);
  for (guint i = 0; i < n; i++)
    {
      GString *k = g_string_new("acct-");
      for (guint b = 0; b < 2 * bits; b++)
        g_string_append_c(k, alphabet[g_rand_int_range(rand, 0, sizeof(alphabet) - 1)]);
      keys[i] = g_string_free(k, FALSE);
    }
  g_rand_free(rand);
  return keys;
}

/* this thread's CPU time in ns: on a shared, busy machine wall time would
 * measure the neighbours */
static gint64
_cpu_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ns per incident opened: every key once, into a table that holds them all */
static gdouble
_open_all(gchar **keys, guint n, guint *max_probe)
{
  DiIncidents *table = di_incidents_new(3600, n);
  DiIncidentUpdate up;
  gint64 now = g_get_real_time();
  gint64 start = _cpu_ns();
  for (guint i = 0; i < n; i++)
    {
      di_incidents_add(table, keys[i], now, indicators, 1, actors, 1, NULL, &up);
      di_incident_update_clear(&up);
    }
  gint64 elapsed = _cpu_ns() - start;
  *max_probe = di_incidents_max_probe(table);
  di_incidents_free(table);
  return (gdouble) elapsed / n;
}

/* the same into an unkeyed GHashTable (the old table) */
static gdouble
_open_all_unkeyed(gchar **keys, guint n)
{
  GHashTable *table = g_hash_table_new(g_str_hash, g_str_equal);
  gint64 start = _cpu_ns();
  for (guint i = 0; i < n; i++)
    if (!g_hash_table_lookup(table, keys[i]))
      g_hash_table_insert(table, keys[i], keys[i]);
  gint64 elapsed = _cpu_ns() - start;
  g_hash_table_destroy(table);
  return (gdouble) elapsed / n;
}

static void
_bench_colliding(guint bits)
{
  guint n = 1u << bits, probe_c, probe_r;
  gchar **colliding = _colliding_keys(bits), **random = _random_keys(bits);

  /* warm up the allocator once, then best of 5 each, interleaved */
  _open_all(random, n, &probe_r);
  gdouble c = G_MAXDOUBLE, r = G_MAXDOUBLE;
  for (gint rep = 0; rep < 5; rep++)
    {
      c = MIN(c, _open_all(colliding, n, &probe_c));
      r = MIN(r, _open_all(random, n, &probe_r));
    }
  printf("%-28s keys=%u  colliding %.0f ns/open (max probe %u)  random %.0f ns/open (max probe %u)  ratio %.2f"
         " (CPU time, best of 5)\n",
         "colliding keys, keyed index", n, c, probe_c, r, probe_r, c / r);

  /* the unkeyed table, on fewer keys: it is quadratic on the colliding ones */
  guint small = MIN(bits, 13u), m = 1u << small;
  gchar **c_small = _colliding_keys(small), **r_small = _random_keys(small);
  gdouble uc = _open_all_unkeyed(c_small, m), ur = _open_all_unkeyed(r_small, m);
  printf("%-28s keys=%u  colliding %.0f ns/open  random %.0f ns/open  ratio %.2f (the old table, for comparison)\n",
         "colliding keys, g_str_hash", m, uc, ur, uc / ur);
  g_strfreev(c_small);
  g_strfreev(r_small);
  g_strfreev(colliding);
  g_strfreev(random);
}

int
main(int argc, char **argv)
{
  guint adds = argc > 1 ? (guint) atoi(argv[1]) : 1000000;
  guint threads = argc > 2 ? (guint) CLAMP(atoi(argv[2]), 1, 64) : 4;
  guint bits = argc > 3 ? (guint) CLAMP(atoi(argv[3]), 4, 20) : 16;

  _bench_colliding(bits);

  for (guint t = 1; t <= threads; t = t == threads ? threads + 1 : MIN(t * 2, threads))
    {
      _bench("50 hot keys", 50, DI_INCIDENT_DEFAULT_MAX, adds, t);
      _bench("100000 open incidents", 100000, DI_INCIDENT_DEFAULT_MAX, adds, t);
      _bench("key flood, max 100000", 0, DI_INCIDENT_DEFAULT_MAX, adds, t);
    }
  return 0;
}
