/* feed.c: error reporting and the add-one-indicator path every reader shares. */
#include "feed.h"
#include <stdio.h>
#include <string.h>

/* "FILE:LINE: what", "FILE:WHERE: what" or "FILE: what" (line 0, no where). */
static gchar *
_located(DiFeedContext *ctx, gsize line, const gchar *where, const gchar *what)
{
  if (where)
    return g_strdup_printf("%s:%s: %s", ctx->filename, where, what);
  if (line)
    return g_strdup_printf("%s:%" G_GSIZE_FORMAT ": %s", ctx->filename, line, what);
  return g_strdup_printf("%s: %s", ctx->filename, what);
}

static void
_record_error(DiFeedContext *ctx, gsize line, const gchar *where, const gchar *fmt, va_list args)
{
  gchar *what = g_strdup_vprintf(fmt, args);
  if (ctx->pipeline)
    di_feed_pipeline_error(ctx->pipeline, _located(ctx, line, where, what));
  else
    g_ptr_array_add(ctx->errors, _located(ctx, line, where, what));
  g_free(what);
}

void
di_feed_error(DiFeedContext *ctx, gsize line, const gchar *fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  _record_error(ctx, line, NULL, fmt, args);
  va_end(args);
}

void
di_feed_error_at(DiFeedContext *ctx, const gchar *where, const gchar *fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  _record_error(ctx, 0, where, fmt, args);
  va_end(args);
}

static void
_trim(const gchar **value, gsize *len)
{
  while (*len && g_ascii_isspace((*value)[0]))
    {
      (*value)++;
      (*len)--;
    }
  while (*len && g_ascii_isspace((*value)[*len - 1]))
    (*len)--;
}

/* A bad value: a warning in lenient feeds, an error otherwise. */
void
di_feed_bad_value(DiFeedContext *ctx, gsize line, const gchar *where, const gchar *what)
{
  if (!ctx->warnings)
    {
      g_ptr_array_add(ctx->errors, _located(ctx, line, where, what));
      return;
    }
  gchar *skipped = g_strdup_printf("%s (skipped)", what);
  g_ptr_array_add(ctx->warnings, _located(ctx, line, where, skipped));
  g_free(skipped);
  ctx->skipped++;
}

gboolean
di_feed_add(DiFeedContext *ctx, gsize line, const gchar *where, DiType type, const gchar *value, gssize len,
            const DiIndicatorMeta *meta)
{
  gsize n = len < 0 ? strlen(value) : (gsize) len;
  _trim(&value, &n);

  if (meta && meta->valid_until > 0 && meta->valid_until <= ctx->now)
    {
      ctx->expired++;
      return TRUE;
    }

  if (ctx->pipeline)
    {
      di_feed_pipeline_add(ctx->pipeline, line, where, type, value, n, meta);
      return TRUE;
    }

  DiKey key;
  DiType inferred = type;
  GError *error = NULL;
  if (!di_normalize(type, value, n, &key, &inferred, &error))
    {
      di_feed_bad_value(ctx, line, where, error->message);
      g_error_free(error);
      return FALSE;
    }
  di_feed_add_key(ctx, type, &key, inferred, meta);
  return TRUE;
}

void
di_feed_add_key(DiFeedContext *ctx, DiType type, const DiKey *key, DiType inferred, const DiIndicatorMeta *meta)
{
  /* "ipv4" rows written as 10.0.0.0/8 are networks: say so in their type */
  if (key->cls == DI_KEY_CIDR4 || key->cls == DI_KEY_CIDR6)
    inferred = DI_TYPE_CIDR;
  else if (type != DI_TYPE_NONE)
    inferred = type;
  di_snapshot_builder_add(ctx->builder, inferred, key, meta);
  ctx->loaded++;
}

GMappedFile *
di_feed_map(DiFeedContext *ctx)
{
  GError *error = NULL;
  GMappedFile *file = g_mapped_file_new(ctx->filename, FALSE, &error);
  if (!file)
    {
      di_feed_error(ctx, 0, "cannot read: %s", error->message);
      g_error_free(error);
    }
  return file;
}

gint64
di_feed_parse_time(const gchar *text)
{
  gint year, month, day;
  gchar tail;

  /* a bare date means "valid through that whole day" (UTC) */
  if (sscanf(text, "%4d-%2d-%2d%c", &year, &month, &day, &tail) == 3)
    {
      if (!g_date_valid_dmy(day, month, year))
        return -1;
      GDateTime *dt = g_date_time_new_utc(year, month, day, 23, 59, 59);
      gint64 t = dt ? g_date_time_to_unix(dt) : -1;
      if (dt)
        g_date_time_unref(dt);
      return t;
    }

  GTimeZone *utc = g_time_zone_new_utc();
  GDateTime *dt = g_date_time_new_from_iso8601(text, utc);
  g_time_zone_unref(utc);
  if (!dt)
    return -1;
  gint64 t = g_date_time_to_unix(dt);
  g_date_time_unref(dt);
  return t;
}
