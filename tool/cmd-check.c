/* cmd-check.c: `dprk-intel check`: load feeds and summarise them.
 *
 * The summary is what an analyst wants before shipping a feed: how many
 * indicators each file gave, the set's version (feed-version.h: the same
 * indicators give the same hash on every relay), counts per type, actor,
 * source and nexus, and where the feeds overlap (one value listed by several
 * sources) or disagree (one value attributed to several actors); every value
 * a warninglist kept out, with the list; the warninglists in use.  Any error
 * is printed as FILE:LINE: ... and makes the exit status 1. */
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

/* Whether the attribution before index i of entry e has the same actor
 * (by_actor) or source: each value counts once per actor and per source. */
static gboolean
_seen_before(const DiSnapshot *snap, guint32 e, guint i, gboolean by_actor)
{
  guint32 a = di_snapshot_entry_attribution(snap, e, i);
  for (guint j = 0; j < i; j++)
    {
      guint32 b = di_snapshot_entry_attribution(snap, e, j);
      if (by_actor ? di_snapshot_attribution_actor_id(snap, a) == di_snapshot_attribution_actor_id(snap, b)
          : g_str_equal(di_snapshot_attribution_source(snap, a), di_snapshot_attribution_source(snap, b)))
        return TRUE;
    }
  return FALSE;
}

/* Values per type and nexus (of the primary attribution: DPRK when any
 * attribution links the value to the DPRK), per actor and per source (of
 * any attribution). */
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
  GHashTable *nexus = g_hash_table_new(g_str_hash, g_str_equal);
  static const gchar *const nexus_names[] = { "unknown", "dprk", "other" };
  for (guint32 e = 0; e < di_snapshot_count(snap); e++)
    {
      _count(types, di_type_name(di_snapshot_entry_type(snap, e)));
      for (guint i = 0; i < di_snapshot_entry_attribution_count(snap, e); i++)
        {
          guint32 a = di_snapshot_entry_attribution(snap, e, i);
          if (!_seen_before(snap, e, i, TRUE))
            _count(actors, di_snapshot_attribution_actor(snap, a));
          if (!_seen_before(snap, e, i, FALSE))
            _count(sources, di_snapshot_attribution_source(snap, a));
        }
      _count(nexus, nexus_names[di_snapshot_entry_nexus(snap, e)]);
    }
  printf("total\t%u\n", di_snapshot_count(snap));
  printf("version\t%s\n", text);
  _print_counts("type", types);
  _print_counts("actor", actors);
  _print_counts("source", sources);
  _print_counts("nexus", nexus);
  g_hash_table_destroy(nexus);
  g_hash_table_destroy(types);
  g_hash_table_destroy(actors);
  g_hash_table_destroy(sources);
}

/* The distinct sources (by_actor FALSE) or actors of an entry, joined
 * with "; ", an actor followed by its source in brackets; the count. */
static guint
_join_distinct(const DiSnapshot *snap, guint32 e, gboolean by_actor, GString *out)
{
  guint n = 0;
  g_string_truncate(out, 0);
  for (guint i = 0; i < di_snapshot_entry_attribution_count(snap, e); i++)
    {
      guint32 a = di_snapshot_entry_attribution(snap, e, i);
      if (_seen_before(snap, e, i, by_actor) || (by_actor && !di_snapshot_attribution_actor_id(snap, a)))
        continue;
      if (n++)
        g_string_append(out, "; ");
      if (by_actor)
        g_string_append_printf(out, "%s [%s]", di_snapshot_attribution_actor(snap, a),
                               di_snapshot_attribution_source(snap, a));
      else
        g_string_append(out, *di_snapshot_attribution_source(snap, a) ? di_snapshot_attribution_source(snap, a)
                        : "(none)");
    }
  return n;
}

/* One line per value listed by several sources (overlap) and per value
 * attributed to several actors (conflict), after their counts. */
static void
_print_overlaps(const DiSnapshot *snap)
{
  GString *lines = g_string_new(""), *joined = g_string_new(""), *value = g_string_new("");
  guint overlaps = 0, conflicts = 0;
  for (guint32 e = 0; e < di_snapshot_count(snap); e++)
    {
      if (di_snapshot_entry_attribution_count(snap, e) < 2)
        continue;
      g_string_truncate(value, 0);
      di_snapshot_entry_value(snap, e, value);
      const gchar *type = di_type_name(di_snapshot_entry_type(snap, e));
      if (_join_distinct(snap, e, FALSE, joined) > 1)
        {
          overlaps++;
          g_string_append_printf(lines, "overlap\t%s\t%s\t%s\n", type, value->str, joined->str);
        }
      if (_join_distinct(snap, e, TRUE, joined) > 1)
        {
          conflicts++;
          g_string_append_printf(lines, "conflict\t%s\t%s\t%s\n", type, value->str, joined->str);
        }
    }
  printf("overlaps\t%u\nconflicts\t%u\n", overlaps, conflicts);
  if (di_snapshot_attributions_dropped(snap))
    printf("attributions_dropped\t%u\n", di_snapshot_attributions_dropped(snap));
  fputs(lines->str, stdout);
  g_string_free(lines, TRUE);
  g_string_free(joined, TRUE);
  g_string_free(value, TRUE);
}

static void
_print_files(const DiLoadReport *report)
{
  for (guint i = 0; i < report->files->len; i++)
    {
      const DiFeedFileReport *f = report->files->pdata[i];
      if (f->not_a_feed)
        {
          printf("skipped\t%s\tnot a feed\n", f->filename);
          continue;
        }
      printf("file\t%s\t%s\tloaded=%u expired=%u ignored=%u skipped=%u errors=%u refanged=%u suppressed=%u "
             "limits=%u other_programs=%u%s\n", f->filename, f->format ? f->format : "?", f->loaded, f->expired,
             f->ignored, f->skipped, f->errors, f->refanged, f->suppressed, f->limits_hit, f->other_programs,
             f->declared_dprk ? " nexus=dprk" : "");
    }
  for (guint i = 0; i < report->warninglists->len; i++)
    printf("warninglist\t%s\n", (const gchar *) report->warninglists->pdata[i]);
  for (guint i = 0; i < report->suppressions->len; i++)
    printf("suppressed\t%s\n", (const gchar *) report->suppressions->pdata[i]);
}

int
di_cmd_check(int argc, char **argv)
{
  gchar **databases = NULL;
  gint status = di_tool_parse_args(&argc, &argv, "", "Load feeds and print counts per file, type, actor and source, overlaps and conflicting attributions.",
                                   NULL, &databases);
  if (status >= 0)
    return status;

  DiLoadReport report;
  di_load_report_init(&report);
  gint64 loaded_at = g_get_real_time() / G_USEC_PER_SEC;
  DiSnapshot *snap = di_tool_load(databases, &report);
  _print_files(&report);
  if (snap)
    {
      _print_summary(snap, loaded_at);
      _print_overlaps(snap);
    }
  else
    printf("errors\t%u\n", report.errors->len);

  di_load_report_clear(&report);
  di_snapshot_unref(snap);
  g_strfreev(databases);
  return snap ? 0 : 1;
}
