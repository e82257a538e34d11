/* bench-hostile.c: what one hostile log line costs the scanner and the
 * matcher, per byte, against normal log text measured in the same run.
 *
 * Anyone who can make the platform log a line (a request header, an
 * account name, a withdrawal address) chooses its bytes.  Every shape below
 * is built to make a naive scanner rescan: URL starts before runs of
 * closing brackets and punctuation, e-mail local parts of many joined
 * parts, maximal-length tokens of every type (names of 253 characters,
 * bech32 of 90, mixed-case EVM words that need a Keccak each), runs of
 * every character class and joiner.  Each shape fills one line of 64 KiB
 * and one of 1 MiB, and is timed
 *   - through di_match_text() against a loaded snapshot, as the parser
 *     scans a message field, and
 *   - through di_scan() without lookup-only tokens, as `dprk-intel extract`
 *     scans a line;
 * the figures are ns/byte and the ratio to the exchange log mix (the
 * normal text of bench-scanner) timed the same way in the same run.  The
 * target: no shape above 4x normal text, and no shape dearer per byte at
 * 1 MiB than at 64 KiB (that would be superlinear growth).
 *
 *   bench/bench-hostile [--smoke] [--filter SUBSTRING] [--budget SECONDS]
 *
 * --smoke runs every shape once at 4 KiB and 16 KiB (the test suite runs
 * it: it must work and print figures, nothing is asserted on them).  A
 * shape whose 64 KiB line takes longer than the budget (default 5 s) is
 * not run at 1 MiB.  Times are the thread's CPU time, best of several runs.
 */
#include "matcher.h"
#include "normalize.h"
#include "scanner.h"
#include "log-mix.h"
#include "hostile-shapes.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOW 1764064800

/* ---- the snapshot the matcher looks up ---------------------------------------- */

static void
_add_indicator(DiSnapshotBuilder *b, DiType type, const gchar *value)
{
  DiKey key;
  DiType inferred;
  if (!di_normalize(type, value, strlen(value), &key, &inferred, NULL))
    g_error("bench-hostile: cannot load '%s'", value);
  DiIndicatorMeta meta = { "Lazarus Group", "bench", NULL, NULL, 90, 0 };
  di_snapshot_builder_add(b, inferred, &key, &meta);
}

/* 20000 indicators of the usual types, plus CIDRs, a listed URL path and a
 * parent domain, so that every kind of lookup (prefixes, parents) runs. */
static DiSnapshot *
_snapshot(void)
{
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  GRand *r = g_rand_new_with_seed(1);
  for (guint i = 0; i < 20000; i++)
    {
      gchar *v;
      DiType t;
      switch (i % 4)
        {
        case 0:
          t = DI_TYPE_ETH;
          v = g_strdup_printf("0x%08x%08x%08x%08x%08x", g_rand_int(r), g_rand_int(r), g_rand_int(r), g_rand_int(r),
                              g_rand_int(r));
          break;
        case 1:
          t = DI_TYPE_IPV4;
          v = g_strdup_printf("%u.%u.%u.%u", 1 + i % 200, (i >> 8) & 255, i & 255, 7);
          break;
        case 2:
          t = DI_TYPE_DOMAIN;
          v = g_strdup_printf("d%08x.bad-cdn%u.test", g_rand_int(r), i % 100);
          break;
        default:
          t = DI_TYPE_SHA256;
          v = g_strdup_printf("%08x%08x%08x%08x%08x%08x%08x%08x", g_rand_int(r), g_rand_int(r), g_rand_int(r),
                              g_rand_int(r), g_rand_int(r), g_rand_int(r), g_rand_int(r), g_rand_int(r));
          break;
        }
      _add_indicator(b, t, v);
      g_free(v);
    }
  g_rand_free(r);
  _add_indicator(b, DI_TYPE_CIDR, "10.0.0.0/8");
  _add_indicator(b, DI_TYPE_CIDR, "192.168.0.0/16");
  _add_indicator(b, DI_TYPE_CIDR, "203.0.113.0/24");
  _add_indicator(b, DI_TYPE_CIDR, "2001:db8::/32");
  _add_indicator(b, DI_TYPE_URL, "http://a.com/a/a/");
  _add_indicator(b, DI_TYPE_DOMAIN, "evil.example.com");
  _add_indicator(b, DI_TYPE_EMAIL, "a@b.example.com");
  _add_indicator(b, DI_TYPE_BTC, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
  return di_snapshot_builder_finish(b);
}

/* ---- timing --------------------------------------------------------------------- */

static gboolean
_count_token(const DiToken *token, gpointer user_data)
{
  (*(guint64 *) user_data)++;
  return TRUE;
}

typedef enum
{
  PATH_MATCH,
  PATH_SCAN,
} Path;

/* One pass of a path over text, line by line when `lines`. */
static void
_run(Path path, const DiSnapshot *snap, const gchar *text, gsize len, gboolean lines)
{
  DiMatchSet set;
  guint64 tokens = 0;
  di_match_set_init(&set);
  for (const gchar *p = text, *end = text + len; p < end;)
    {
      const gchar *nl = lines ? memchr(p, '\n', end - p) : NULL;
      gsize n = nl ? (gsize) (nl - p) : (gsize) (end - p);
      if (path == PATH_MATCH)
        {
          di_match_set_reset(&set);
          di_match_text(snap, p, n, 0, NOW, &set);
        }
      else
        di_scan(p, n, DI_SCAN_DEFAULT, _count_token, &tokens);
      p += n + 1;
    }
  di_match_set_clear(&set);
}

/* ns per byte, the best of at least `min_runs` runs and of what fits in
 * about 50 ms, one run only when that takes a second; *first receives the
 * seconds of the first run. */
static gdouble
_ns_per_byte(Path path, const DiSnapshot *snap, const gchar *text, gsize len, gboolean lines, gint min_runs,
             gdouble *first)
{
  gdouble best = G_MAXDOUBLE, total = 0;
  for (gint i = 0; (i < min_runs && total < 1.0) || (total < 0.05 && i < 50); i++)
    {
      gdouble t0 = di_bench_cpu_seconds();
      _run(path, snap, text, len, lines);
      gdouble t = di_bench_cpu_seconds() - t0;
      if (i == 0 && first)
        *first = t;
      best = MIN(best, t);
      total += t;
    }
  return best * 1e9 / len;
}

int
main(int argc, char **argv)
{
  gboolean smoke = FALSE;
  const gchar *filter = NULL;
  gdouble budget = 5.0;
  for (gint i = 1; i < argc; i++)
    {
      if (!strcmp(argv[i], "--smoke"))
        smoke = TRUE;
      else if (!strcmp(argv[i], "--filter") && i + 1 < argc)
        filter = argv[++i];
      else if (!strcmp(argv[i], "--budget") && i + 1 < argc)
        budget = atof(argv[++i]);
      else
        {
          fprintf(stderr, "usage: bench-hostile [--smoke] [--filter SUBSTRING] [--budget SECONDS]\n");
          return 2;
        }
    }
  gsize sizes[2] = { smoke ? 4096 : 65536, smoke ? 16384 : 1048576 };
  gint min_runs = smoke ? 1 : 3;

  setvbuf(stdout, NULL, _IOLBF, 0);
  GPtrArray *shapes = di_hostile_shapes();
  DiSnapshot *snap = _snapshot();

  GString *normal = g_string_new(NULL);
  di_bench_mix(normal, smoke ? 1 << 18 : 4 << 20, di_bench_exchange_line, 20250221, NULL);
  gdouble base[2];
  base[PATH_MATCH] = _ns_per_byte(PATH_MATCH, snap, normal->str, normal->len, TRUE, min_runs, NULL);
  base[PATH_SCAN] = _ns_per_byte(PATH_SCAN, snap, normal->str, normal->len, TRUE, min_runs, NULL);
  printf("normal text (exchange mix, line by line): match %.2f ns/byte, scan %.2f ns/byte\n", base[PATH_MATCH],
         base[PATH_SCAN]);
  printf("%-48s %8s %9s %7s %9s %7s\n", "shape", "line", "match", "ratio", "scan", "ratio");

  gdouble worst = 0, worst_growth = 0;
  const gchar *worst_name = "", *worst_growth_name = "";
  for (guint s = 0; s < shapes->len; s++)
    {
      const DiHostileShape *shape = g_ptr_array_index(shapes, s);
      if (filter && !strstr(shape->name, filter))
        continue;
      gdouble per_size[2][2] = { { 0 } };
      gboolean skipped = FALSE;
      for (gint z = 0; z < 2; z++)
        {
          if (skipped)
            {
              printf("%-48s %7zuK %s\n", shape->name, sizes[z] >> 10, "skipped: the smaller line exceeded the budget");
              continue;
            }
          GString *line = di_hostile_line(shape, sizes[z]);
          for (Path p = PATH_MATCH; p <= PATH_SCAN; p++)
            {
              gdouble first = 0;
              per_size[z][p] = _ns_per_byte(p, snap, line->str, line->len, FALSE, min_runs, &first);
              /* 16x the bytes at the same cost per byte must fit the budget */
              skipped |= first * (sizes[1] / sizes[0]) > budget;
            }
          printf("%-48s %7zuK %9.2f %6.1fx %9.2f %6.1fx\n", shape->name, sizes[z] >> 10, per_size[z][PATH_MATCH],
                 per_size[z][PATH_MATCH] / base[PATH_MATCH], per_size[z][PATH_SCAN],
                 per_size[z][PATH_SCAN] / base[PATH_SCAN]);
          g_string_free(line, TRUE);
          for (Path p = PATH_MATCH; p <= PATH_SCAN; p++)
            if (per_size[z][p] / base[p] > worst)
              {
                worst = per_size[z][p] / base[p];
                worst_name = shape->name;
              }
        }
      for (Path p = PATH_MATCH; !skipped && p <= PATH_SCAN; p++)
        if (per_size[0][p] > 0 && per_size[1][p] / per_size[0][p] > worst_growth)
          {
            worst_growth = per_size[1][p] / per_size[0][p];
            worst_growth_name = shape->name;
          }
    }
  printf("worst ratio to normal text: %.1fx (%s)\n", worst, worst_name);
  printf("worst growth of ns/byte from %zuK to %zuK: %.2fx (%s)\n", sizes[0] >> 10, sizes[1] >> 10, worst_growth,
         worst_growth_name);
  di_snapshot_unref(snap);
  g_string_free(normal, TRUE);
  g_ptr_array_free(shapes, TRUE);
  return 0;
}
