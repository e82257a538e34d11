/* bench-load.c: the time to load feeds, as the daemon loads them.
 *
 *   bench/bench-load PATH...      (feed files or directories)
 *
 * Loads PATHs once with di_feed_load_with() (default options: the bundled
 * warninglists, the limits, a pipeline for a big canonical CSV) and prints
 * the indicators loaded, the wall time, the CPU time of all threads of the
 * process and that of the reading thread (the one that calls the loader):
 * on two cores the load is bound by the larger of the reading thread's CPU
 * and half of the whole.  Generate a feed with bench/gen-mix-feed (files
 * of at most 4M rows of its mix stay under max-file-size); compare two
 * builds by running their bench-load on the same files, interleaved.
 */
#include "feed-loader.h"
#include <stdio.h>
#include <time.h>
#include <sys/resource.h>

static gdouble
_process_cpu(void)
{
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

static gdouble
_thread_cpu(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
  if (argc < 2)
    {
      fprintf(stderr, "usage: %s PATH...\n", argv[0]);
      return 2;
    }
  DiLoadReport report;
  di_load_report_init(&report);
  gint64 wall = g_get_monotonic_time();
  gdouble cpu = _process_cpu(), thread = _thread_cpu();
  DiSnapshot *snap = di_feed_load_with((const gchar *const *) argv + 1, NULL, g_get_real_time() / G_USEC_PER_SEC,
                                       &report);
  gdouble wall_s = (g_get_monotonic_time() - wall) / 1e6;
  cpu = _process_cpu() - cpu;
  thread = _thread_cpu() - thread;
  for (guint i = 0; i < report.errors->len && i < 5; i++)
    fprintf(stderr, "%s\n", (const gchar *) report.errors->pdata[i]);
  if (!snap)
    {
      fprintf(stderr, "the feeds did not load (%u errors)\n", report.errors->len);
      return 1;
    }
  printf("indicators %u  wall %.2f s  CPU %.2f s (all threads)  reading thread %.2f s\n", di_snapshot_count(snap),
         wall_s, cpu, thread);
  di_snapshot_unref(snap);
  di_load_report_clear(&report);
  return 0;
}
