/* feed-test-util.h: what the feed reader tests share: reading one file
 * through the format the loader detects (keeping the indicators even when
 * the file has errors, so that counts and errors can be checked together),
 * looking a value up, and scratch directories for hand-written feeds. */
#ifndef DI_FEED_TEST_UTIL_H
#define DI_FEED_TEST_UTIL_H

#include <criterion/criterion.h>
#include "feed-loader.h"
#include "feed-formats.h"
#include <glib/gstdio.h>
#include <string.h>

#define NOW 1788000000   /* 2026-08-29T10:40:00Z */

typedef struct
{
  const DiFeedFormat *format;
  DiSnapshot *snap;
  GPtrArray *errors;          /* of gchar*, "FILE:LINE: ..." */
  guint loaded, expired, ignored;
  guint per_type[DI_TYPE_MAX];   /* distinct entries per type */
  guint skipped, refanged, suppressed, limits_hit, other_programs;
  DiNexus nexus;                 /* the file's declared nexus */
} FeedRead;

/* A file under tests/data/feeds (public feeds; see SOURCES.md there). */
static inline gchar *
data_feed(const gchar *name)
{
  return g_build_filename(DI_TESTDATA_DIR, "feeds", name, NULL);
}

/* A file under tests/unit/data. */
static inline gchar *
test_data(const gchar *name)
{
  return g_build_filename(DI_SRCDIR, "tests", "unit", "data", name, NULL);
}

/* Reads path with format, or with the format the loader detects (NULL),
 * with options (NULL: the defaults). */
static inline void
feed_read_with(FeedRead *r, const gchar *path, const DiFeedFormat *format, const DiFeedOptions *options)
{
  GError *error = NULL;
  memset(r, 0, sizeof(*r));
  r->format = format ? format : di_feed_detect(path, &error);
  cr_assert_not_null(r->format, "%s: %s", path, error ? error->message : "?");
  r->errors = g_ptr_array_new_with_free_func(g_free);
  DiSnapshotBuilder *builder = di_snapshot_builder_new();
  DiFeedContext ctx = { builder, path, NOW, r->errors, 0, 0, 0 };
  ctx.options = options;
  r->format->read(&ctx);
  r->loaded = ctx.loaded;
  r->expired = ctx.expired;
  r->ignored = ctx.ignored;
  r->skipped = ctx.skipped;
  r->refanged = ctx.refanged;
  r->suppressed = ctx.suppressed;
  r->limits_hit = ctx.limits_hit;
  r->other_programs = ctx.other_programs;
  r->nexus = ctx.nexus;
  r->snap = di_snapshot_builder_finish(builder);
  for (guint32 e = 0; e < di_snapshot_count(r->snap); e++)
    r->per_type[di_snapshot_entry_type(r->snap, e)]++;
}

/* Reads path with format, or with the format the loader detects (NULL). */
static inline void
feed_read_as(FeedRead *r, const gchar *path, const DiFeedFormat *format)
{
  feed_read_with(r, path, format, NULL);
}

static inline void
feed_read(FeedRead *r, const gchar *path)
{
  feed_read_as(r, path, NULL);
}

static inline void
feed_read_clear(FeedRead *r)
{
  di_snapshot_unref(r->snap);
  g_ptr_array_free(r->errors, TRUE);
}

/* Every error, one a line, for assertion messages. */
static inline gchar *
feed_errors(FeedRead *r)
{
  GString *all = g_string_new("");
  for (guint i = 0; i < r->errors->len; i++)
    g_string_append_printf(all, "%s\n", (const gchar *) r->errors->pdata[i]);
  return g_string_free(all, FALSE);
}

static inline void
feed_assert_no_errors(FeedRead *r)
{
  gchar *all = feed_errors(r);
  cr_assert_eq(r->errors->len, 0, "unexpected errors:\n%s", all);
  g_free(all);
}

/* Asserts that error i is exactly expected (the file name in front added). */
static inline void
feed_assert_error(FeedRead *r, guint i, const gchar *file, const gchar *expected)
{
  gchar *all = feed_errors(r);
  gchar *want = g_strdup_printf("%s:%s", file, expected);
  cr_assert(i < r->errors->len, "expected error %u '%s', got:\n%s", i, want, all);
  cr_assert_str_eq(r->errors->pdata[i], want, "errors were:\n%s", all);
  g_free(want);
  g_free(all);
}

typedef struct
{
  DiType type;
  gint64 entry;
} FeedFind;

static inline gboolean
_feed_find_cb(const DiSnapshot *snap, guint32 entry, gpointer user_data)
{
  FeedFind *f = user_data;
  if (di_snapshot_entry_type(snap, entry) != f->type)
    return TRUE;
  f->entry = entry;
  return FALSE;
}

/* The entry of value as type, or -1. */
static inline gint64
feed_find(FeedRead *r, DiType type, const gchar *value)
{
  DiKey key;
  DiType inferred;
  if (!di_normalize(type, value, strlen(value), &key, &inferred, NULL))
    return -1;
  FeedFind f = { type, -1 };
  di_snapshot_lookup(r->snap, &key, _feed_find_cb, &f);
  return f.entry;
}

/* Asserts value is loaded as type with this actor, source and reference
 * (NULL: not checked). */
static inline void
feed_assert_entry(FeedRead *r, DiType type, const gchar *value, const gchar *actor, const gchar *source,
                  const gchar *reference)
{
  gint64 e = feed_find(r, type, value);
  cr_assert_geq(e, 0, "%s '%s' not loaded", di_type_name(type), value);
  if (actor)
    cr_assert_str_eq(di_snapshot_entry_actor(r->snap, e), actor, "actor of %s", value);
  if (source)
    cr_assert_str_eq(di_snapshot_entry_source(r->snap, e), source, "source of %s", value);
  if (reference)
    cr_assert_str_eq(di_snapshot_entry_reference(r->snap, e), reference, "reference of %s", value);
}

/* ---- scratch directories ----------------------------------------------- */

static inline gchar *
scratch_new(void)
{
  return g_dir_make_tmp("di-feed-XXXXXX", NULL);
}

static inline void
scratch_free(gchar *dir)
{
  GDir *d = g_dir_open(dir, 0, NULL);
  const gchar *n;
  while (d && (n = g_dir_read_name(d)))
    {
      gchar *p = g_build_filename(dir, n, NULL);
      g_unlink(p);
      g_free(p);
    }
  if (d)
    g_dir_close(d);
  g_rmdir(dir);
  g_free(dir);
}

static inline gchar *
scratch_write(const gchar *dir, const gchar *name, const gchar *contents, gssize len)
{
  gchar *path = g_build_filename(dir, name, NULL);
  cr_assert(g_file_set_contents(path, contents, len, NULL), "cannot write %s", path);
  return path;
}

/* The first len bytes of a file, written to dir/name: a truncated copy. */
static inline gchar *
scratch_truncated(const gchar *dir, const gchar *name, const gchar *source, gsize len)
{
  gchar *data;
  gsize n;
  cr_assert(g_file_get_contents(source, &data, &n, NULL), "cannot read %s", source);
  cr_assert_lt(len, n);
  gchar *path = scratch_write(dir, name, data, len);
  g_free(data);
  return path;
}

#endif
