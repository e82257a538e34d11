/* fuzz-main.c: the table of fuzz targets, their scratch directory, and the
 * libFuzzer entry point of the one binary FUZZ_TARGET names
 * (run-fuzz-feeds.sh builds fuzz-feed-csv with -DFUZZ_TARGET='"feed-csv"', ...).
 * Without FUZZ_TARGET this file only provides the table (replay-fuzz.c). */
#include "fuzz-targets.h"
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const DiFuzzTarget di_fuzz_targets[] =
{
  { "feed-csv", di_fuzz_feed_csv },
  { "feed-plain", di_fuzz_feed_plain },
  { "feed-stix", di_fuzz_feed_stix },
  { "feed-misp", di_fuzz_feed_misp },
  { "feed-ofac-csv", di_fuzz_feed_ofac_csv },
  { "feed-ofac-xml", di_fuzz_feed_ofac_xml },
  { "feed-any", di_fuzz_feed_any },
  { "csv-reader", di_fuzz_csv_reader },
  { "stix-pattern", di_fuzz_stix_pattern },
  { "incident-state", di_fuzz_incident_state },
  { "incident-amount", di_fuzz_incident_amount },
  { NULL, NULL }
};

const DiFuzzTarget *
di_fuzz_target(const gchar *name)
{
  for (const DiFuzzTarget *t = di_fuzz_targets; t->name; t++)
    if (strcmp(t->name, name) == 0)
      return t;
  return NULL;
}

static gchar *scratch;

static void
_remove_scratch(void)
{
  GDir *d = g_dir_open(scratch, 0, NULL);
  if (d)
    {
      for (const gchar *name; (name = g_dir_read_name(d));)
        {
          gchar *path = g_build_filename(scratch, name, NULL);
          g_unlink(path);
          g_free(path);
        }
      g_dir_close(d);
    }
  g_rmdir(scratch);
}

const gchar *
di_fuzz_dir(void)
{
  if (scratch)
    return scratch;
  /* tmpfs: a file a run costs no disk I/O (the state target fsyncs) */
  if (g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) && access("/dev/shm", W_OK) == 0)
    {
      gchar *tmpl = g_strdup("/dev/shm/di-fuzz-XXXXXX");
      scratch = g_mkdtemp(tmpl);
      if (!scratch)
        g_free(tmpl);
    }
  if (!scratch)
    scratch = g_dir_make_tmp("di-fuzz-XXXXXX", NULL);
  if (!scratch)
    {
      fprintf(stderr, "fuzz: cannot create a scratch directory\n");
      abort();
    }
  atexit(_remove_scratch);
  return scratch;
}

gchar *
di_fuzz_write(const gchar *name, const guint8 *data, gsize size)
{
  gchar *path = g_build_filename(di_fuzz_dir(), name, NULL);
  FILE *fp = fopen(path, "wb");
  if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0)
    {
      fprintf(stderr, "fuzz: cannot write %s\n", path);
      abort();
    }
  return path;
}

#ifdef FUZZ_TARGET
int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
  static const DiFuzzTarget *target;
  if (!target && !(target = di_fuzz_target(FUZZ_TARGET)))
    {
      fprintf(stderr, "fuzz: no target %s\n", FUZZ_TARGET);
      abort();
    }
  /* the inputs of the suite: a long log field or feed record, 64 KiB */
  if (size <= 65536)
    target->run(data, size);
  return 0;
}
#endif
