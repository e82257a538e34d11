/* feed-csv.c: the canonical CSV feed (INTERFACE §3).
 *
 *   indicator,type,actor,source,confidence,reference,valid_until,description
 *
 * RFC 4180: quoted fields may hold commas, doubled quotes and line breaks.
 * The header row is required and names the columns (any order, any subset
 * that includes `indicator`).  Lines starting with `#` outside quotes are
 * comments, so a hand-kept feed can say where its rows come from.  The
 * tokenizer (csv-reader.c) is the one OFAC's CSV uses too.
 */
#include "feed-formats.h"
#include "csv-reader.h"
#include <string.h>

enum
{
  COL_INDICATOR, COL_TYPE, COL_ACTOR, COL_SOURCE, COL_CONFIDENCE, COL_REFERENCE, COL_VALID_UNTIL,
  COL_DESCRIPTION, COL_MAX
};

static const gchar *column_names[COL_MAX] =
{
  "indicator", "type", "actor", "source", "confidence", "reference", "valid_until", "description"
};

/* Stored fields a record: one more than there are columns, so a longer
 * header shows, among the stored ones, the column it repeats or adds. */
#define CSV_STORED (COL_MAX + 1)

/* The column named name, -1 for none. */
static gint
_column_of(const gchar *name)
{
  for (gint c = 0; c < COL_MAX; c++)
    if (strcmp(name, column_names[c]) == 0)
      return c;
  return -1;
}

/* Reports what the tokenizer found wrong with the record; FALSE when nothing. */
static gboolean
_report_problem(DiFeedContext *ctx, const DiCsvReader *r)
{
  if (r->problems & DI_CSV_UNTERMINATED)
    di_feed_error(ctx, r->line, "unterminated quoted field");
  else if (r->problems & DI_CSV_NUL)
    di_feed_error(ctx, r->line, "column %u holds a NUL byte", r->nul_field + 1);
  else if (r->problems & DI_CSV_TEXT_AFTER_QUOTE)
    di_feed_error(ctx, r->line, "text after a closing quote");
  return r->problems != 0;
}

/* Maps header names to columns; FALSE on an unknown, repeated or missing column. */
static gboolean
_read_header(DiFeedContext *ctx, DiCsvReader *r, gint *columns)
{
  if (!di_csv_reader_next(r))
    {
      di_feed_error(ctx, 1, "empty file: the header row is missing");
      return FALSE;
    }
  if (_report_problem(ctx, r))
    return FALSE;
  for (gint c = 0; c < COL_MAX; c++)
    columns[c] = -1;
  for (guint i = 0; i < r->n_fields && i < CSV_STORED; i++)
    {
      const gchar *name = g_strstrip(di_csv_reader_field(r, i));
      gint c = _column_of(name);
      if (c < 0)
        {
          di_feed_error(ctx, r->line, "unknown column '%s' in the header row", name);
          return FALSE;
        }
      if (columns[c] >= 0)
        {
          di_feed_error(ctx, r->line, "column '%s' appears twice in the header row", name);
          return FALSE;
        }
      columns[c] = i;
    }
  if (columns[COL_INDICATOR] < 0)
    {
      di_feed_error(ctx, r->line, "the header row has no 'indicator' column");
      return FALSE;
    }
  return TRUE;
}

static const gchar *
_column(DiCsvReader *r, const gint *columns, gint c)
{
  gint i = columns[c];
  if (i < 0 || (guint) i >= r->n_fields)
    return NULL;
  const gchar *s = g_strstrip(di_csv_reader_field(r, i));
  return *s ? s : NULL;
}

static gboolean
_parse_meta(DiFeedContext *ctx, gsize line, DiCsvReader *r, const gint *columns, DiIndicatorMeta *meta,
            DiType *type)
{
  const gchar *type_name = _column(r, columns, COL_TYPE);
  const gchar *confidence = _column(r, columns, COL_CONFIDENCE);
  const gchar *valid_until = _column(r, columns, COL_VALID_UNTIL);

  *type = DI_TYPE_NONE;
  if (type_name && (*type = di_type_from_name(type_name)) == DI_TYPE_NONE)
    {
      di_feed_error(ctx, line, "unknown type '%s'", type_name);
      return FALSE;
    }
  meta->confidence = -1;
  if (confidence)
    {
      gchar *end;
      gint64 v = g_ascii_strtoll(confidence, &end, 10);
      if (*end || v < 0 || v > 100)
        {
          di_feed_error(ctx, line, "confidence '%s' is not a number from 0 to 100", confidence);
          return FALSE;
        }
      meta->confidence = v;
    }
  meta->valid_until = 0;
  if (valid_until && (meta->valid_until = di_feed_parse_time(valid_until)) < 0)
    {
      di_feed_error(ctx, line, "valid_until '%s' is not an ISO 8601 date", valid_until);
      return FALSE;
    }
  meta->actor = _column(r, columns, COL_ACTOR);
  meta->source = _column(r, columns, COL_SOURCE);
  meta->reference = _column(r, columns, COL_REFERENCE);
  meta->description = _column(r, columns, COL_DESCRIPTION);
  return TRUE;
}

static void
_read_row(DiFeedContext *ctx, DiCsvReader *r, const gint *columns, guint n_columns, gsize line)
{
  if (r->n_fields > n_columns)
    {
      di_feed_error(ctx, line, "%u columns, the header has %u", r->n_fields, n_columns);
      return;
    }
  const gchar *indicator = _column(r, columns, COL_INDICATOR);
  if (!indicator)
    {
      di_feed_error(ctx, line, "the indicator column is empty");
      return;
    }
  DiIndicatorMeta meta = { 0 };   /* program and nexus too: the CSV has no column for them */
  DiType type;
  if (_parse_meta(ctx, line, r, columns, &meta, &type))
    di_feed_add(ctx, line, NULL, type, indicator, -1, &meta);
}

static gboolean
_csv_read(DiFeedContext *ctx)
{
  GMappedFile *file = di_feed_map(ctx);
  if (!file)
    return FALSE;
  DiCsvReader r;
  di_csv_reader_init(&r, g_mapped_file_get_contents(file), g_mapped_file_get_length(file), CSV_STORED, TRUE);
  gint columns[COL_MAX];
  if (_read_header(ctx, &r, columns))
    {
      guint n_columns = r.n_fields;
      while (di_csv_reader_next(&r))
        if (!_report_problem(ctx, &r))
          _read_row(ctx, &r, columns, n_columns, r.line);
    }
  di_csv_reader_clear(&r);
  g_mapped_file_unref(file);
  return TRUE;
}

/* Our CSV starts (after any `#` comment lines) with a header row whose first
 * column is `indicator`, or that names only our columns, `indicator` among
 * them.  A header that starts with `indicator` but has a column we do not
 * know is still ours, so that the reader can say which column is wrong. */
static gboolean
_csv_detect(const gchar *filename, const gchar *head, gsize len)
{
  DiCsvReader r;
  di_csv_reader_init(&r, head, len, CSV_STORED, TRUE);
  gboolean has_indicator = FALSE, all_known = FALSE, first_is_indicator = FALSE;
  if (di_csv_reader_next(&r))
    {
      all_known = r.n_fields <= COL_MAX;
      for (guint i = 0; i < r.n_fields && i < CSV_STORED; i++)
        {
          gint c = _column_of(g_strstrip(di_csv_reader_field(&r, i)));
          all_known &= c >= 0;
          has_indicator |= c == COL_INDICATOR;
          first_is_indicator |= i == 0 && c == COL_INDICATOR;
        }
    }
  di_csv_reader_clear(&r);
  return first_is_indicator || (all_known && has_indicator);
}

const DiFeedFormat di_feed_format_csv = { "csv", _csv_detect, _csv_read };
