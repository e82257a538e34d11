/* cmd-check.c: `dprk-intel check`: load feeds and summarise them.
 *
 * The summary is what an analyst wants before shipping a feed: how many
 * indicators each file gave, the set's version (feed-version.h: the same
 * indicators give the same hash on every relay), and counts per type, actor
 * and source.  Any error is printed as FILE:LINE: ... and makes the exit
 * status 1. */
#include "commands.h"
#include "tool-util.h"
#include "feed-version.h"
#include <stdio.h>

static void
_count(GHashTable *counts, const gchar *name)
{
  gpointer n = g_hash_table_lookup(counts, name);
  g_hash_table_replace(counts, (gpointer) name, GUINT_TO_POINTER(GPOINTER_TO_UINT(n) + 1));
}

static gint
_compare_keys(gconstpointer a, gconstpointer b)
{
  return g_strcmp0(*(const gchar **) a, *(const gchar **) b);
}

static void
_print_counts(const gchar *label, GHashTable *counts)
{
  guint n;
  gpointer *keys = g_hash_table_get_keys_as_array(counts, &n);
  qsort(keys, n, sizeof(gpointer), (int (*)(const void *, const void *)) _compare_keys);
  for (guint i = 0; i < n; i++)
    printf("%s\t%s\t%u\n", label, *(const gchar *) keys[i] ? (const gchar *) keys[i] : "(none)",
           GPOINTER_TO_UINT(g_hash_table_lookup(counts, keys[i])));
  g_free(keys);
}

static void
_print_summary(const DiSnapshot *snap, gint64 loaded_at)
{
  DiFeedVersion version;
  gchar text[DI_FEED_VERSION_TEXT_MAX];
  di_feed_version_compute(&version, snap, loaded_at);
  di_feed_version_format(&version, text);

  GHashTable *types = g_hash_table_new(g_str_hash, g_str_equal);
  GHashTable *actors = g_hash_table_new(g_str_hash, g_str_equal);
  GHashTable *sources = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint32 e = 0; e < di_snapshot_count(snap); e++)
    {
      _count(types, di_type_name(di_snapshot_entry_type(snap, e)));
      _count(actors, di_snapshot_entry_actor(snap, e));
      _count(sources, di_snapshot_entry_source(snap, e));
    }
  printf("total\t%u\n", di_snapshot_count(snap));
  printf("version\t%s\n", text);
  _print_counts("type", types);
  _print_counts("actor", actors);
  _print_counts("source", sources);
  g_hash_table_destroy(types);
  g_hash_table_destroy(actors);
  g_hash_table_destroy(sources);
}

static void
_print_files(const DiLoadReport *report)
{
  for (guint i = 0; i < report->files->len; i++)
    {
      const DiFeedFileReport *f = report->files->pdata[i];
      printf("file\t%s\t%s\tloaded=%u expired=%u ignored=%u skipped=%u errors=%u\n", f->filename,
             f->format ? f->format : "?", f->loaded, f->expired, f->ignored, f->skipped, f->errors);
    }
}

int
di_cmd_check(int argc, char **argv)
{
  gchar **databases = NULL;
  gint status = di_tool_parse_args(&argc, &argv, "", "Load feeds and print counts per file, type, actor and source.",
                                   NULL, &databases);
  if (status >= 0)
    return status;

  DiLoadReport report;
  di_load_report_init(&report);
  gint64 loaded_at = g_get_real_time() / G_USEC_PER_SEC;
  DiSnapshot *snap = di_tool_load(databases, &report);
  _print_files(&report);
  if (snap)
    _print_summary(snap, loaded_at);
  else
    printf("errors\t%u\n", report.errors->len);

  di_load_report_clear(&report);
  di_snapshot_unref(snap);
  g_strfreev(databases);
  return snap ? 0 : 1;
}
