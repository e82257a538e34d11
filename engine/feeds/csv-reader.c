/* csv-reader.c: the CSV tokenizer every CSV feed reader uses (see
 * csv-reader.h for the rules).
 *
 * Every byte is looked at once: spans between quotes and separators are
 * found with memchr or one loop and copied whole, so a hostile line costs
 * time linear in its length and, beyond max_fields, no memory at all.
 */
#include "csv-reader.h"
#include <string.h>

void
di_csv_reader_init(DiCsvReader *r, const gchar *data, gsize len, guint max_fields, gboolean comments)
{
  memset(r, 0, sizeof(*r));
  r->p = data;
  r->end = data ? data + len : NULL;
  if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
    r->p += 3;
  r->next_line = 1;
  r->comments = comments;
  r->max_fields = max_fields;
  r->ends = g_new0(gsize, max_fields);
  r->text = g_string_sized_new(256);
}

void
di_csv_reader_clear(DiCsvReader *r)
{
  g_free(r->ends);
  g_string_free(r->text, TRUE);
  r->ends = NULL;
  r->text = NULL;
}

/* Blank lines, DOS end-of-file marks and (with comments) '#' lines. */
static void
_skip_to_record(DiCsvReader *r)
{
  while (r->p < r->end)
    {
      gchar c = *r->p;
      if (c == '\n')
        r->next_line++;
      else if (c == '#' && r->comments)
        {
          const gchar *nl = memchr(r->p, '\n', r->end - r->p);
          r->p = nl ? nl : r->end;
          continue;
        }
      else if (c != '\r' && c != '\x1a')
        return;
      r->p++;
    }
}

/* Appends s[0..n) to the field being read when it is stored, noting a NUL. */
static void
_take(DiCsvReader *r, const gchar *s, gsize n)
{
  if (!(r->problems & DI_CSV_NUL) && memchr(s, '\0', n))
    {
      r->problems |= DI_CSV_NUL;
      r->nul_field = r->n_fields;
    }
  if (r->n_fields < r->max_fields)
    g_string_append_len(r->text, s, n);
}

static gsize
_count_newlines(const gchar *s, gsize n)
{
  gsize lines = 0;
  for (const gchar *nl; n && (nl = memchr(s, '\n', n)); n -= nl + 1 - s, s = nl + 1)
    lines++;
  return lines;
}

/* The quoted part of a field, r->p on its opening quote. */
static void
_read_quoted(DiCsvReader *r)
{
  r->p++;
  for (;;)
    {
      const gchar *q = memchr(r->p, '"', r->end - r->p);
      const gchar *stop = q ? q : r->end;
      _take(r, r->p, stop - r->p);
      r->next_line += _count_newlines(r->p, stop - r->p);
      r->p = stop;
      if (!q)
        {
          r->problems |= DI_CSV_UNTERMINATED;
          return;
        }
      r->p++;
      if (r->p < r->end && *r->p == '"')
        {
          _take(r, r->p++, 1);
          continue;
        }
      return;
    }
}

/* TRUE when p is at a line end: LF, CRLF, or CR as the last byte. */
static gboolean
_at_line_end(const DiCsvReader *r, const gchar *p)
{
  return *p == '\n' || (*p == '\r' && (p + 1 == r->end || p[1] == '\n'));
}

/* One field, up to (not past) the comma or line end that follows it. */
static void
_read_field(DiCsvReader *r)
{
  if (r->p < r->end && *r->p == '"')
    {
      _read_quoted(r);
      if (r->p < r->end && *r->p != ',' && !_at_line_end(r, r->p))
        r->problems |= DI_CSV_TEXT_AFTER_QUOTE;
    }
  const gchar *q = r->p;
  while (q < r->end && *q != ',' && *q != '\n')
    q++;
  const gchar *stop = q;
  if (stop > r->p && stop[-1] == '\r' && (stop == r->end || *stop == '\n'))
    stop--;
  _take(r, r->p, stop - r->p);
  r->p = q;
}

gboolean
di_csv_reader_next(DiCsvReader *r)
{
  _skip_to_record(r);
  if (r->p >= r->end)
    return FALSE;
  r->line = r->next_line;
  r->n_fields = 0;
  r->problems = 0;
  g_string_truncate(r->text, 0);
  const gchar *start = r->p;
  for (;;)
    {
      _read_field(r);
      if (r->n_fields < r->max_fields)
        {
          g_string_append_c(r->text, '\0');
          r->ends[r->n_fields] = r->text->len;
        }
      if (r->n_fields < G_MAXUINT)   /* a 4 GB line of commas counts no further */
        r->n_fields++;
      if (r->p >= r->end)
        break;
      if (*r->p++ == '\n')
        {
          r->next_line++;
          break;
        }
    }
  r->record_len = r->p - start;
  return TRUE;
}

gchar *
di_csv_reader_field(DiCsvReader *r, guint i)
{
  if (i >= r->n_fields || i >= r->max_fields)
    return NULL;
  return r->text->str + (i ? r->ends[i - 1] : 0);
}

gsize
di_csv_reader_field_len(const DiCsvReader *r, guint i)
{
  if (i >= r->n_fields || i >= r->max_fields)
    return 0;
  return r->ends[i] - (i ? r->ends[i - 1] : 0) - 1;
}

gsize
di_csv_reader_memory(const DiCsvReader *r)
{
  return sizeof(*r) + r->max_fields * sizeof(gsize) + r->text->allocated_len;
}
