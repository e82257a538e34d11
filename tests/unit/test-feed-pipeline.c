/* test-feed-pipeline.c: a big canonical CSV read through the pipeline
 * (values checked on every core, feed-pipeline.h) gives exactly what the
 * reader gives alone: the same entries in the same order with the same
 * attributions, the same errors in the same order, the same counts. */
#include <criterion/criterion.h>
#include "feed-loader.h"
#include "feed-formats.h"
#include "feed-pipeline.h"
#include <glib/gstdio.h>
#include <string.h>

#define NOW 1788000000

/* A CSV of rows rows (well over the pipeline's threshold), with a bad value
 * every 997 rows, a row of too many columns every 1999, an expired row
 * every 3001, repeats of earlier values every 13 (other actors). */
static gchar *
_write_feed(guint rows)
{
  gchar *path = g_build_filename(g_get_tmp_dir(), "test-feed-pipeline-XXXXXX.csv", NULL);
  gint fd = g_mkstemp(path);
  cr_assert(fd >= 0);
  FILE *fp = fdopen(fd, "w");
  static const char *actors[] = { "Lazarus Group", "APT38", "Kimsuky", "", "Garantex" };
  fprintf(fp, "indicator,type,actor,source,confidence,reference,valid_until,description\n");
  for (guint i = 1; i <= rows; i++)
    {
      guint v = i % 13 == 0 ? i / 2 : i;
      const char *actor = actors[i % 5];
      if (i % 997 == 0)
        fprintf(fp, "999.%u.1.1,ipv4,%s,feed %u,50,,,bad\n", i % 250, actor, i % 7);
      else if (i % 1999 == 0)
        fprintf(fp, "10.1.1.1,ipv4,x,y,1,2,3,4,5,6\n");
      else if (i % 3001 == 0)
        fprintf(fp, "10.2.%u.%u,ipv4,%s,feed,50,,2020-01-01,expired\n", (i >> 8) & 255, i & 255, actor);
      else if (i % 3 == 0)
        fprintf(fp, "0x%040x,eth,%s,feed %u,%u,https://ref/%u,,row %u\n", v, actor, i % 7, i % 101, i % 17, i);
      else
        fprintf(fp, "d%u.example-feed.test,domain,%s,feed %u,%u,,,\n", v, actor, i % 7, i % 101);
    }
  fclose(fp);
  return path;
}

static gchar *
_dump(const DiSnapshot *snap)
{
  GString *out = g_string_new("");
  for (guint32 e = 0; e < di_snapshot_count(snap); e++)
    {
      di_snapshot_entry_value(snap, e, out);
      for (guint i = 0; i < di_snapshot_entry_attribution_count(snap, e); i++)
        {
          guint32 a = di_snapshot_entry_attribution(snap, e, i);
          g_string_append_printf(out, "|%s/%s/%d/%s/%s", di_snapshot_attribution_actor(snap, a),
                                 di_snapshot_attribution_source(snap, a), di_snapshot_attribution_confidence(snap, a),
                                 di_snapshot_attribution_reference(snap, a),
                                 di_snapshot_attribution_description(snap, a));
        }
      g_string_append_c(out, '\n');
    }
  return g_string_free(out, FALSE);
}

static gchar *
_joined(GPtrArray *lines)
{
  g_ptr_array_add(lines, NULL);
  gchar *s = g_strjoinv("\n", (gchar **) lines->pdata);
  g_ptr_array_remove_index(lines, lines->len - 1);
  return s;
}

Test(feed_pipeline, same_result_as_the_reader_alone)
{
  gchar *path = _write_feed(120000);
  GStatBuf st;
  cr_assert_eq(g_stat(path, &st), 0);
  cr_assert_gt(st.st_size, 4 * 1024 * 1024, "the file is big enough for the loader to use the pipeline");

  /* the reader alone */
  GPtrArray *errors = g_ptr_array_new_with_free_func(g_free);
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  DiFeedContext ctx = { b, path, NOW, errors, 0, 0, 0 };
  cr_assert(di_feed_format_csv.read(&ctx));
  DiSnapshot *alone = di_snapshot_builder_finish(b);

  /* the same through a pipeline */
  GPtrArray *p_errors = g_ptr_array_new_with_free_func(g_free);
  b = di_snapshot_builder_new();
  DiFeedContext p_ctx = { b, path, NOW, p_errors, 0, 0, 0 };
  p_ctx.pipeline = di_feed_pipeline_new(&p_ctx);
  cr_assert(di_feed_format_csv.read(&p_ctx));
  di_feed_pipeline_finish(p_ctx.pipeline);
  DiSnapshot *piped = di_snapshot_builder_finish(b);

  /* the messages kept are capped (feed.h); the count is not */
  cr_assert_gt(ctx.n_errors, 100, "the feed has errors: %u", ctx.n_errors);
  cr_assert_eq(p_ctx.n_errors, ctx.n_errors, "as many errors through the pipeline");
  gchar *want = _joined(errors), *got = _joined(p_errors);
  cr_assert_str_eq(got, want, "the same errors in the same order");
  cr_assert_eq(p_ctx.loaded, ctx.loaded);
  cr_assert_eq(p_ctx.expired, ctx.expired);
  cr_assert_gt(ctx.expired, 0);
  cr_assert_eq(di_snapshot_count(piped), di_snapshot_count(alone));
  gchar *dump_alone = _dump(alone), *dump_piped = _dump(piped);
  cr_assert(strcmp(dump_alone, dump_piped) == 0, "the same entries, attributions and order");

  /* and the loader does use it: its result is the same again */
  DiLoadReport report;
  di_load_report_init(&report);
  const gchar *paths[] = { path, NULL };
  DiSnapshot *loaded = di_feed_load(paths, NOW, &report);
  cr_assert_null(loaded, "errors keep the load out");
  gchar *loader_errors = _joined(report.errors);
  /* ... then a line for the errors past the cap */
  cr_assert(g_str_has_prefix(loader_errors, want), "%s", loader_errors);
  cr_assert(strstr(loader_errors + strlen(want), "more errors not listed"), "%s", loader_errors + strlen(want));
  di_load_report_clear(&report);

  g_free(loader_errors);
  g_free(dump_alone);
  g_free(dump_piped);
  g_free(want);
  g_free(got);
  di_snapshot_unref(alone);
  di_snapshot_unref(piped);
  g_ptr_array_free(errors, TRUE);
  g_ptr_array_free(p_errors, TRUE);
  g_unlink(path);
  g_free(path);
}
