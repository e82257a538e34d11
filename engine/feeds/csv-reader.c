/* csv-reader.c: the CSV tokenizer every CSV feed reader uses (see
 * csv-reader.h for the rules).
 *
 * Every byte is looked at once: spans between quotes and separators are
 * found with memchr or one loop and copied whole, so a hostile line costs
 * time linear in its length and, beyond max_fields, no memory at all.
 */
#include "csv-reader.h"
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

static void
_unsplit(DiCsvReader *r)
{
  g_free(r->fields);
  g_free(r->lens);
  r->fields = NULL;
  r->lens = NULL;
}

void
di_csv_reader_clear(DiCsvReader *r)
{
  _unsplit(r);
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

/* g_string_append_len() without its call and checks when the buffer has
 * room: a big feed appends every field of every record here. */
static inline void
_append(GString *text, const gchar *s, gsize n)
{
  if (G_UNLIKELY(text->len + n >= text->allocated_len))
    {
      g_string_append_len(text, s, n);
      return;
    }
  memcpy(text->str + text->len, s, n);
  text->len += n;
  text->str[text->len] = '\0';
}

static void
_note_nul(DiCsvReader *r)
{
  if (!(r->problems & DI_CSV_NUL))
    {
      r->problems |= DI_CSV_NUL;
      r->nul_field = r->n_fields;
    }
}

/* Appends s[0..n) to the field being read when it is stored, noting a NUL. */
static void
_take(DiCsvReader *r, const gchar *s, gsize n)
{
  if (!(r->problems & DI_CSV_NUL) && memchr(s, '\0', n))
    _note_nul(r);
  if (r->n_fields < r->max_fields)
    _append(r->text, s, n);
}

/* The first ',', '\n' or NUL in [p, end), or end: an unquoted field's end
 * and, in the same pass, whether it holds a NUL (16 bytes a step). */
static inline const gchar *
_field_stop(const gchar *p, const gchar *end)
{
#ifdef __SSE2__
  const __m128i comma = _mm_set1_epi8(','), nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
  while (end - p >= 16)
    {
      __m128i v = _mm_loadu_si128((const __m128i *) p);
      __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, nl)),
                                 _mm_cmpeq_epi8(v, zero));
      guint mask = (guint) _mm_movemask_epi8(hit);
      if (mask)
        return p + __builtin_ctz(mask);
      p += 16;
    }
#endif
  while (p < end && *p != ',' && *p != '\n' && *p != '\0')
    p++;
  return p;
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
  const gchar *q = _field_stop(r->p, r->end);
  while (q < r->end && *q == '\0')
    {
      _note_nul(r);
      q = _field_stop(q + 1, r->end);
    }
  const gchar *stop = q;
  if (stop > r->p && stop[-1] == '\r' && (stop == r->end || *stop == '\n'))
    stop--;
  if (r->n_fields < r->max_fields)
    _append(r->text, r->p, stop - r->p);
  r->p = q;
}

gboolean
di_csv_reader_next(DiCsvReader *r)
{
  _skip_to_record(r);
  if (r->p >= r->end)
    return FALSE;
  if (G_UNLIKELY(r->fields != NULL))
    _unsplit(r);
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
          _append(r->text, "", 1);
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

gboolean
di_csv_reader_next_plain(DiCsvReader *r, const gchar **record, gsize *len, gboolean *quoted)
{
  _skip_to_record(r);
  if (r->p >= r->end)
    return FALSE;
  const gchar *nl = memchr(r->p, '\n', r->end - r->p);
  const gchar *stop = nl ? nl : r->end;
  *quoted = memchr(r->p, '"', stop - r->p) != NULL;
  if (*quoted)
    return TRUE;   /* r->p stays at the record for di_csv_reader_next() */
  r->line = r->next_line;
  r->n_fields = 0;
  r->problems = 0;
  *record = r->p;
  *len = stop - r->p;
  r->p = nl ? nl + 1 : r->end;
  if (nl)
    r->next_line++;
  r->record_len = r->p - *record;
  return TRUE;
}

void
di_csv_reader_split(DiCsvReader *r, gchar *record, gsize len)
{
  if (!r->fields)
    {
      r->fields = g_new0(gchar *, r->max_fields);
      r->lens = g_new0(gsize, r->max_fields);
    }
  gchar *p = record, *end = record + len;
  r->n_fields = 0;
  r->problems = 0;
  r->record_len = len;
  for (;;)
    {
      gchar *q = (gchar *) _field_stop(p, end);
      while (q < end && *q == '\0')
        {
          _note_nul(r);
          q = (gchar *) _field_stop(q + 1, end);
        }
      /* a CR before the line end is not the field's (_read_field) */
      gsize n = q - p;
      if (q == end && n && p[n - 1] == '\r')
        n--;
      if (r->n_fields < r->max_fields)
        {
          r->fields[r->n_fields] = p;
          r->lens[r->n_fields] = n;
        }
      p[n] = '\0';
      if (r->n_fields < G_MAXUINT)
        r->n_fields++;
      if (q >= end)
        break;
      p = q + 1;
    }
}

gchar *
di_csv_reader_field(DiCsvReader *r, guint i)
{
  if (i >= r->n_fields || i >= r->max_fields)
    return NULL;
  if (r->fields)
    return r->fields[i];
  return r->text->str + (i ? r->ends[i - 1] : 0);
}

gsize
di_csv_reader_field_len(const DiCsvReader *r, guint i)
{
  if (i >= r->n_fields || i >= r->max_fields)
    return 0;
  if (r->fields)
    return r->lens[i];
  return r->ends[i] - (i ? r->ends[i - 1] : 0) - 1;
}

gsize
di_csv_reader_memory(const DiCsvReader *r)
{
  return sizeof(*r) + r->max_fields * sizeof(gsize) + r->text->allocated_len;
}
