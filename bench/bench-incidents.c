/* bench-incidents.c: cost of di_incidents_add() under the shapes that matter:
 * few hot keys, a full table of 100000 open incidents, a flood of new keys
 * (every add evicts), each from 1 and from several threads.
 *
 *   bench-incidents [ADDS_PER_THREAD] [THREADS]
 *
 * The baseline, run with the same keys and threads, is the obvious design
 * without bounds: one GHashTable of heap-allocated incidents under a mutex,
 * each with hash sets of its indicators and actors, no idle ordering and no
 * eviction (so it has no flood figure: it would only grow).
 */
#include "incidents.h"
#include <stdio.h>
#include <stdlib.h>

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

int
main(int argc, char **argv)
{
  guint adds = argc > 1 ? (guint) atoi(argv[1]) : 1000000;
  guint threads = argc > 2 ? (guint) CLAMP(atoi(argv[2]), 1, 64) : 4;

  for (guint t = 1; t <= threads; t = t == threads ? threads + 1 : MIN(t * 2, threads))
    {
      _bench("50 hot keys", 50, DI_INCIDENT_DEFAULT_MAX, adds, t);
      _bench("100000 open incidents", 100000, DI_INCIDENT_DEFAULT_MAX, adds, t);
      _bench("key flood, max 100000", 0, DI_INCIDENT_DEFAULT_MAX, adds, t);
    }
  return 0;
}
