/* replay-scanner.c: every input of the scanner's fuzz corpus and every
 * finding kept from fuzzing, run through the fuzz target's checks
 * (fuzz-scanner.c) in every build, with or without clang: a finding fixed
 * once stays fixed.  The seeds are in tests/fuzz/corpus/scanner, the
 * findings in tests/fuzz/regressions/scanner (README.md says how one gets
 * there).  A failed check aborts: Criterion reports the crash and the file
 * is named on stderr first. */
#include <criterion/criterion.h>
#include <glib.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static guint
_replay_dir(const gchar *relative)
{
  gchar *dir = g_build_filename(DI_SRCDIR, relative, NULL);
  GDir *d = g_dir_open(dir, 0, NULL);
  cr_assert_not_null(d, "cannot open %s", dir);
  guint n = 0;
  for (const gchar *name; (name = g_dir_read_name(d));)
    {
      gchar *path = g_build_filename(dir, name, NULL), *data = NULL;
      gsize len = 0;
      cr_assert(g_file_get_contents(path, &data, &len, NULL), "cannot read %s", path);
      fprintf(stderr, "replay %s\n", path);
      LLVMFuzzerTestOneInput((const guint8 *) data, len);
      g_free(data);
      g_free(path);
      n++;
    }
  g_dir_close(d);
  g_free(dir);
  return n;
}

Test(fuzz_replay, seed_corpus)
{
  cr_expect_gt(_replay_dir("tests/fuzz/corpus/scanner"), 100);
}

Test(fuzz_replay, findings_kept_as_regressions)
{
  cr_expect_gt(_replay_dir("tests/fuzz/regressions/scanner"), 0);
}
