/* feed-csv.c: the canonical CSV feed (INTERFACE §3).
 *
 *   indicator,type,actor,source,confidence,reference,valid_until,description
 *
 * RFC 4180: quoted fields may hold commas, doubled quotes and line breaks.
 * The header row is required and names the columns (any order, any subset
 * that includes `indicator`).  Lines starting with `#` outside quotes are
 * comments, so a hand-kept feed can say where its rows come from.
 */
#include "feed-formats.h"
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

typedef struct
{
  const gchar *p, *end;
  gsize line;             /* line of the next character */
  GPtrArray *fields;      /* of GString, reused row to row */
  guint n_fields;
} DiCsvReader;

static GString *
_field(DiCsvReader *r, guint i)
{
  while (r->fields->len <= i)
    g_ptr_array_add(r->fields, g_string_sized_new(64));
  return r->fields->pdata[i];
}

static void
_skip_comments_and_blank_lines(DiCsvReader *r)
{
  while (r->p < r->end && (*r->p == '#' || *r->p == '\n' || *r->p == '\r'))
    {
      const gchar *nl = memchr(r->p, '\n', r->end - r->p);
      r->p = nl ? nl + 1 : r->end;
      r->line++;
    }
}

/* Reads one quoted field; FALSE when the closing quote never comes. */
static gboolean
_read_quoted(DiCsvReader *r, GString *out)
{
  r->p++;
  while (r->p < r->end)
    {
      gchar c = *r->p++;
      if (c == '"')
        {
          if (r->p < r->end && *r->p == '"')
            {
              g_string_append_c(out, '"');
              r->p++;
              continue;
            }
          return TRUE;
        }
      if (c == '\n')
        r->line++;
      g_string_append_c(out, c);
    }
  return FALSE;
}

/* Reads one record into r->fields.  Returns FALSE at end of input; sets
 * *error to a message (static) when the record is malformed. */
static gboolean
_read_record(DiCsvReader *r, const gchar **error)
{
  *error = NULL;
  _skip_comments_and_blank_lines(r);
  if (r->p >= r->end)
    return FALSE;

  r->n_fields = 0;
  for (;;)
    {
      GString *f = _field(r, r->n_fields++);
      g_string_truncate(f, 0);
      if (r->p < r->end && *r->p == '"')
        {
          if (!_read_quoted(r, f))
            {
              *error = "unterminated quoted field";
              return TRUE;
            }
          if (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r')
            *error = "text after a closing quote";
        }
      while (r->p < r->end && *r->p != ',' && *r->p != '\n')
        {
          if (*r->p != '\r')
            g_string_append_c(f, *r->p);
          r->p++;
        }
      if (r->p >= r->end || *r->p == '\n')
        {
          if (r->p < r->end)
            r->p++;
          r->line++;
          return TRUE;
        }
      r->p++;   /* the comma */
    }
}

/* Maps header names to columns; FALSE on an unknown or missing column. */
static gboolean
_read_header(DiFeedContext *ctx, DiCsvReader *r, gint *columns)
{
  gsize line = r->line;
  const gchar *error;
  if (!_read_record(r, &error))
    {
      di_feed_error(ctx, 1, "empty file: the header row is missing");
      return FALSE;
    }
  for (gint c = 0; c < COL_MAX; c++)
    columns[c] = -1;
  for (guint i = 0; i < r->n_fields; i++)
    {
      const gchar *name = g_strstrip(_field(r, i)->str);
      gint c;
      for (c = 0; c < COL_MAX && strcmp(name, column_names[c]) != 0; c++)
        ;
      if (c == COL_MAX)
        {
          di_feed_error(ctx, line, "unknown column '%s' in the header row", name);
          return FALSE;
        }
      columns[c] = i;
    }
  if (columns[COL_INDICATOR] < 0)
    {
      di_feed_error(ctx, line, "the header row has no 'indicator' column");
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
  const gchar *s = g_strstrip(_field(r, i)->str);
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
  DiIndicatorMeta meta;
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
  DiCsvReader r = { g_mapped_file_get_contents(file), NULL, 1, g_ptr_array_new(), 0 };
  r.end = r.p ? r.p + g_mapped_file_get_length(file) : NULL;
  if (r.p && r.end - r.p >= 3 && memcmp(r.p, "\xef\xbb\xbf", 3) == 0)
    r.p += 3;

  gint columns[COL_MAX];
  if (r.p && _read_header(ctx, &r, columns))
    {
      guint n_columns = r.n_fields;
      for (;;)
        {
          _skip_comments_and_blank_lines(&r);
          gsize line = r.line;
          const gchar *problem;
          if (!_read_record(&r, &problem))
            break;
          if (problem)
            di_feed_error(ctx, line, "%s", problem);
          else
            _read_row(ctx, &r, columns, n_columns, line);
        }
    }
  else if (!r.p)
    di_feed_error(ctx, 1, "empty file: the header row is missing");

  for (guint i = 0; i < r.fields->len; i++)
    g_string_free(r.fields->pdata[i], TRUE);
  g_ptr_array_free(r.fields, TRUE);
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
  if (len >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0)
    head += 3;
  while (*head == '#')
    {
      const gchar *nl = strchr(head, '\n');
      if (!nl)
        return FALSE;
      head = nl + 1;
    }
  gchar *line = g_strndup(head, strcspn(head, "\r\n"));
  gchar **names = g_strsplit(line, ",", -1);
  gboolean has_indicator = FALSE, all_known = names[0] != NULL, first_is_indicator = FALSE;
  for (gchar **n = names; *n; n++)
    {
      gchar *name = g_strstrip(g_strdelimit(*n, "\"", ' '));
      gint c;
      for (c = 0; c < COL_MAX && strcmp(name, column_names[c]) != 0; c++)
        ;
      all_known &= c < COL_MAX;
      has_indicator |= c == COL_INDICATOR;
      first_is_indicator |= (n == names && c == COL_INDICATOR);
    }
  g_strfreev(names);
  g_free(line);
  return first_is_indicator || (all_known && has_indicator);
}

const DiFeedFormat di_feed_format_csv = { "csv", _csv_detect, _csv_read };
