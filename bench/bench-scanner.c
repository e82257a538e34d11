/* bench-scanner.c: in-process throughput of di_scan on a realistic log mix.
 *
 * Generates a deterministic mix of the lines exchange and wallet platforms
 * log (withdrawal JSON events, API access logs, DNS and proxy lines, signer
 * service lines, sshd), about one line in eight naming a wallet address,
 * then scans it line by line as the parser scans MESSAGE, and prints MB/s
 * and tokens/s.  A memchr-style pass over the same buffer (finding the line
 * ends and touching every byte) is measured in the same run as the
 * baseline, so the ratio says how close the scanner is to reading memory.
 * Times are the thread's CPU time, best of ROUNDS.
 *
 * A second mix, "syslog", is a general-purpose host's log with few
 * indicators (systemd, cron, kernel, sshd, postfix, application lines).
 *
 *   bench/bench-scanner [MEGABYTES [ROUNDS [exchange|syslog]]]
 *   (default 64 MB, best of 5, the exchange mix)
 */
#include "scanner.h"
#include "log-mix.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gboolean
_count_token(const DiToken *token, gpointer user_data)
{
  (*(guint64 *) user_data)++;
  return TRUE;
}

/* di_scan over every line, as the parser calls it per message */
static gdouble
_time_scan(const gchar *buf, gsize len, guint64 *tokens)
{
  gdouble t0 = di_bench_cpu_seconds();
  *tokens = 0;
  for (const gchar *p = buf, *end = buf + len; p < end;)
    {
      const gchar *nl = memchr(p, '\n', end - p);
      di_scan(p, nl - p, DI_SCAN_LOOKUP_ONLY, _count_token, tokens);
      p = nl + 1;
    }
  return di_bench_cpu_seconds() - t0;
}

/* the baseline: find every line end and read every byte of the line */
static gdouble
_time_baseline(const gchar *buf, gsize len, guint64 *sum)
{
  gdouble t0 = di_bench_cpu_seconds();
  guint64 s = 0;
  for (const gchar *p = buf, *end = buf + len; p < end;)
    {
      const gchar *nl = memchr(p, '\n', end - p);
      s += memchr(p, 0, nl - p) == NULL;
      p = nl + 1;
    }
  *sum = s;
  return di_bench_cpu_seconds() - t0;
}

int
main(int argc, char **argv)
{
  gsize mb = argc > 1 ? strtoul(argv[1], NULL, 10) : 64;
  gint rounds = argc > 2 ? atoi(argv[2]) : 5;
  const gchar *mix = argc > 3 ? argv[3] : "exchange";
  void (*line)(GString *, GRand *) = !strcmp(mix, "exchange") ? di_bench_exchange_line
                                      : !strcmp(mix, "syslog") ? di_bench_syslog_line : NULL;
  if (!mb || rounds < 1 || !line)
    {
      fprintf(stderr, "usage: bench-scanner [MEGABYTES [ROUNDS [exchange|syslog]]]\n");
      return 2;
    }

  GString *buf = g_string_sized_new(mb << 20);
  guint64 lines = 0;
  di_bench_mix(buf, mb << 20, line, 20250221, &lines);

  gdouble best_scan = G_MAXDOUBLE, best_base = G_MAXDOUBLE;
  guint64 tokens = 0, sum = 0;
  for (gint i = 0; i < rounds; i++)
    {
      best_scan = MIN(best_scan, _time_scan(buf->str, buf->len, &tokens));
      best_base = MIN(best_base, _time_baseline(buf->str, buf->len, &sum));
    }

  gdouble mbytes = buf->len / 1e6;
  printf("input:    %s mix, %.1f MB, %" G_GUINT64_FORMAT " lines (%.0f bytes/line), best of %d\n", mix, mbytes,
         lines, (gdouble) buf->len / lines, rounds);
  printf("di_scan:  %.0f MB/s, %.1f M tokens/s, %.2f M lines/s (%" G_GUINT64_FORMAT " tokens)\n",
         mbytes / best_scan, tokens / best_scan / 1e6, lines / best_scan / 1e6, tokens);
  printf("baseline: %.0f MB/s (memchr line ends + byte pass)\n", mbytes / best_base);
  printf("ratio:    %.2f of baseline\n", best_base / best_scan);
  g_string_free(buf, TRUE);
  return sum == lines ? 0 : 1;
}
