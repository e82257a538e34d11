/* replay-fuzz.c: every input kept for the fuzz targets of the feed readers
 * and the incident state (fuzz-targets.h) run through its target's checks
 * in every build, with gcc and without libFuzzer (under ASan and UBSan in
 * the sanitizer build): a finding fixed once stays fixed.  The seeds made by
 * hand are in tests/fuzz/corpus/TARGET, the findings in
 * tests/fuzz/regressions/TARGET (README.md says how one gets there).  A
 * broken check aborts: Criterion reports the crash, and the file is named
 * on stderr first. */
#include "fuzz-targets.h"
#include <criterion/criterion.h>
#include <stdio.h>

/* Replays DI_SRCDIR/tests/fuzz/<kind>/<target>; the number of files. */
static guint
_replay(const DiFuzzTarget *target, const gchar *kind)
{
  gchar *dir = g_build_filename(DI_SRCDIR, "tests", "fuzz", kind, target->name, NULL);
  GDir *d = g_dir_open(dir, 0, NULL);
  guint n = 0;
  for (const gchar *name; d && (name = g_dir_read_name(d));)
    {
      if (g_str_equal(name, "README.md"))
        continue;
      gchar *path = g_build_filename(dir, name, NULL), *data = NULL;
      gsize len = 0;
      cr_assert(g_file_get_contents(path, &data, &len, NULL), "cannot read %s", path);
      fprintf(stderr, "replay %s\n", path);
      target->run((const guint8 *) data, MIN(len, 65536));
      g_free(data);
      g_free(path);
      n++;
    }
  if (d)
    g_dir_close(d);
  g_free(dir);
  return n;
}

Test(fuzz_replay, every_target_has_inputs_kept)
{
  for (const DiFuzzTarget *t = di_fuzz_targets; t->name; t++)
    {
      guint n = _replay(t, "corpus") + _replay(t, "regressions");
      /* the feed readers' seeds come from tests/data at fuzz time; the
       * others have seeds made by hand */
      if (!g_str_has_prefix(t->name, "feed-") && !g_str_equal(t->name, "csv-reader"))
        cr_expect_gt(n, 0, "%s: no input in tests/fuzz/corpus/%s", t->name, t->name);
    }
}

/* The test data the fuzzers start from, through the same checks: a seed
 * that broke one would stop every fuzz run at its first input. */
static void
_replay_file(const gchar *target, const gchar *relative)
{
  gchar *path = g_build_filename(DI_SRCDIR, relative, NULL), *data = NULL;
  gsize len = 0;
  cr_assert(g_file_get_contents(path, &data, &len, NULL), "cannot read %s", path);
  fprintf(stderr, "replay %s as %s\n", path, target);
  di_fuzz_target(target)->run((const guint8 *) data, MIN(len, 65536));
  g_free(data);
  g_free(path);
}

Test(fuzz_replay, test_data_passes_the_checks)
{
  _replay_file("feed-csv", "tests/functional/ecs/feed.csv");
  _replay_file("feed-stix", "tests/data/feeds/stix21_indicators-for-C2-with-COA.json");
  _replay_file("feed-misp", "tests/data/feeds/misp_event_osint_asert_four-element-sword.json");
  _replay_file("feed-ofac-csv", "tests/data/feeds/ofac_sdn_csv_excerpt_lazarus_bluenoroff_andariel.csv");
  _replay_file("feed-ofac-xml", "tests/unit/data/sdn_advanced_small.xml");
  _replay_file("feed-plain", "tests/data/feeds/maltrail_apt_lazarus.txt");
  _replay_file("feed-any", "tests/data/feeds/stix21_threat-report_poisonivy.json");
}
