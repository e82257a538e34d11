/* test-csv-reader.c: the CSV tokenizer the feed readers share (RFC 4180,
 * hostile input: a huge record, NUL bytes, unterminated quotes). */
#include <criterion/criterion.h>
#include "csv-reader.h"
#include <string.h>

#define TEN_MB (10 * 1024 * 1024)

/* Reads data (len bytes; -1: strlen) and asserts its next record is `fields`
 * (NULL-terminated), starting on `line`, with no problem. */
static void
_assert_record(DiCsvReader *r, gsize line, const gchar *const *fields)
{
  cr_assert(di_csv_reader_next(r), "a record starting on line %zu", line);
  cr_assert_eq(r->line, line);
  cr_assert_eq(r->problems, 0, "problems 0x%x on line %zu", r->problems, line);
  guint n = g_strv_length((gchar **) fields);
  cr_assert_eq(r->n_fields, n, "%u fields on line %zu, expected %u", r->n_fields, line, n);
  for (guint i = 0; i < n; i++)
    {
      cr_assert_str_eq(di_csv_reader_field(r, i), fields[i], "field %u on line %zu", i, line);
      cr_assert_eq(di_csv_reader_field_len(r, i), strlen(fields[i]));
    }
}

#define RECORD(r, line, ...) _assert_record(r, line, (const gchar *const[]) { __VA_ARGS__, NULL })

/* Starts reading text (a C string), 8 fields stored. */
static void
_open(DiCsvReader *r, const gchar *text, gboolean comments)
{
  di_csv_reader_init(r, text, strlen(text), 8, comments);
}

/* Asserts the input has no record left, and frees the reader. */
static void
_assert_end(DiCsvReader *r)
{
  cr_assert_not(di_csv_reader_next(r), "no record after line %zu", r->line);
  di_csv_reader_clear(r);
}

Test(csv_reader, fields_records_and_empty_fields)
{
  const gchar *text = "a,b,c\nd,,f\n,\nlast";
  DiCsvReader r;
  _open(&r, text, FALSE);
  RECORD(&r, 1, "a", "b", "c");
  RECORD(&r, 2, "d", "", "f");
  RECORD(&r, 3, "", "");
  RECORD(&r, 4, "last");
  cr_assert_not(di_csv_reader_next(&r));
  cr_assert_not(di_csv_reader_next(&r), "the end stays the end");
  di_csv_reader_clear(&r);
}

Test(csv_reader, empty_input)
{
  DiCsvReader r;
  di_csv_reader_init(&r, NULL, 0, 8, TRUE);
  _assert_end(&r);
  di_csv_reader_init(&r, "\r\n\n\x1a\n", 5, 8, TRUE);
  cr_assert_not(di_csv_reader_next(&r), "blank lines and a DOS end-of-file mark are no record");
  di_csv_reader_clear(&r);
}

Test(csv_reader, quotes)
{
  const gchar *text = "\"a,b\",\"say \"\"hi\"\"\",\"\",\"\"\"\"\n\"x\"\n";
  DiCsvReader r;
  _open(&r, text, FALSE);
  RECORD(&r, 1, "a,b", "say \"hi\"", "", "\"");
  RECORD(&r, 2, "x");
  _assert_end(&r);
}

Test(csv_reader, quoted_line_breaks_stay_in_the_field_and_count_as_lines)
{
  const gchar *text = "\"two\nlines\",x\n\"crlf\r\nkept\r\n\",y\r\nnext,\"a\n\n\nb\"\nlast\n";
  DiCsvReader r;
  _open(&r, text, FALSE);
  RECORD(&r, 1, "two\nlines", "x");
  RECORD(&r, 3, "crlf\r\nkept\r\n", "y");
  RECORD(&r, 6, "next", "a\n\n\nb");
  RECORD(&r, 10, "last");
  _assert_end(&r);
}

Test(csv_reader, crlf_ends_a_record_and_a_lone_cr_is_data)
{
  const gchar *text = "a,b\r\n\"q\"\r\nc\rd,e\r\n\r\nend\r";
  DiCsvReader r;
  _open(&r, text, FALSE);
  RECORD(&r, 1, "a", "b");
  RECORD(&r, 2, "q");
  RECORD(&r, 3, "c\rd", "e");
  RECORD(&r, 5, "end");
  _assert_end(&r);
}

Test(csv_reader, bom_comments_blank_lines_and_dos_eof)
{
  const gchar *text = "\xef\xbb\xbf# a note, \"with quotes\n\r\n\n#x\na,b\n\x1a\n";
  DiCsvReader r;
  _open(&r, text, TRUE);
  RECORD(&r, 5, "a", "b");
  _assert_end(&r);

  _open(&r, text, FALSE);
  /* without comments, # starts a record; a quote inside an unquoted field is text */
  RECORD(&r, 1, "# a note", " \"with quotes");
  di_csv_reader_clear(&r);
}

Test(csv_reader, nul_bytes_are_reported_and_kept)
{
  static const gchar text[] = "ok,ab\0cd,\"q\0\"\nfine\n";
  DiCsvReader r;
  di_csv_reader_init(&r, text, sizeof(text) - 1, 8, FALSE);
  cr_assert(di_csv_reader_next(&r));
  cr_assert_eq(r.problems, DI_CSV_NUL);
  cr_assert_eq(r.nul_field, 1, "the first field with a NUL");
  cr_assert_eq(r.n_fields, 3);
  cr_assert_eq(di_csv_reader_field_len(&r, 1), 5, "the field is not cut at its NUL");
  cr_assert_eq(memcmp(di_csv_reader_field(&r, 1), "ab\0cd", 6), 0);
  cr_assert_eq(di_csv_reader_field_len(&r, 2), 2);
  RECORD(&r, 2, "fine");
  di_csv_reader_clear(&r);
}

Test(csv_reader, unterminated_quote_runs_to_the_end)
{
  const gchar *text = "a,b\nc,\"d,e\nf\n";
  DiCsvReader r;
  _open(&r, text, FALSE);
  RECORD(&r, 1, "a", "b");
  cr_assert(di_csv_reader_next(&r));
  cr_assert_eq(r.line, 2);
  cr_assert_eq(r.problems, DI_CSV_UNTERMINATED);
  cr_assert_eq(r.n_fields, 2);
  cr_assert_str_eq(di_csv_reader_field(&r, 1), "d,e\nf\n");
  _assert_end(&r);
}

Test(csv_reader, text_after_a_closing_quote)
{
  const gchar *text = "\"ab\"c,d\n\"ok\" \n";
  DiCsvReader r;
  _open(&r, text, FALSE);
  cr_assert(di_csv_reader_next(&r));
  cr_assert_eq(r.problems, DI_CSV_TEXT_AFTER_QUOTE);
  cr_assert_str_eq(di_csv_reader_field(&r, 0), "abc");
  cr_assert_str_eq(di_csv_reader_field(&r, 1), "d");
  cr_assert(di_csv_reader_next(&r));
  cr_assert_eq(r.problems, DI_CSV_TEXT_AFTER_QUOTE, "a space after the quote is text too");
  cr_assert_str_eq(di_csv_reader_field(&r, 0), "ok ");
  di_csv_reader_clear(&r);
}

Test(csv_reader, fields_beyond_max_fields_are_counted_not_stored)
{
  const gchar *text = "1,2,\"3,x\",4,5\n6\n";
  DiCsvReader r;
  di_csv_reader_init(&r, text, strlen(text), 2, FALSE);
  cr_assert(di_csv_reader_next(&r));
  cr_assert_eq(r.n_fields, 5);
  cr_assert_str_eq(di_csv_reader_field(&r, 1), "2");
  cr_assert_null(di_csv_reader_field(&r, 2));
  cr_assert_eq(di_csv_reader_field_len(&r, 2), 0);
  RECORD(&r, 2, "6");
  cr_assert_null(di_csv_reader_field(&r, 1), "a field the record does not have");
  di_csv_reader_clear(&r);
}

/* A 10 MB line of commas is 10 million empty fields: counted, and the reader
 * holds no more memory after it than before (it used to be a buffer per
 * empty field, 1.9 GB). */
Test(csv_reader, ten_mb_of_commas_costs_no_memory)
{
  gchar *text = g_malloc(TEN_MB + 4);
  memset(text, ',', TEN_MB);
  memcpy(text + TEN_MB, "\na,b", 4);
  DiCsvReader r;
  di_csv_reader_init(&r, text, TEN_MB + 4, 12, FALSE);
  gsize before = di_csv_reader_memory(&r);
  cr_assert(di_csv_reader_next(&r));
  cr_assert_eq(r.n_fields, TEN_MB + 1);
  cr_assert_eq(r.problems, 0);
  cr_assert_str_eq(di_csv_reader_field(&r, 11), "");
  cr_assert_eq(di_csv_reader_memory(&r), before, "%zu bytes after, %zu before", di_csv_reader_memory(&r), before);
  cr_assert_lt(before, 4096);
  RECORD(&r, 2, "a", "b");
  di_csv_reader_clear(&r);
  g_free(text);
}

/* A 10 MB field is kept, so memory follows the longest line (not more). */
Test(csv_reader, a_long_field_costs_its_length)
{
  gchar *text = g_malloc(TEN_MB + 3);
  text[0] = '"';
  memset(text + 1, 'x', TEN_MB);
  memcpy(text + TEN_MB + 1, "\"\n", 2);
  DiCsvReader r;
  di_csv_reader_init(&r, text, TEN_MB + 3, 12, FALSE);
  cr_assert(di_csv_reader_next(&r));
  cr_assert_eq(r.n_fields, 1);
  cr_assert_eq(di_csv_reader_field_len(&r, 0), TEN_MB);
  cr_assert_leq(di_csv_reader_memory(&r), 2 * (gsize) TEN_MB + 4096);
  di_csv_reader_clear(&r);
  g_free(text);
}

/* di_csv_reader_next_plain() + di_csv_reader_split() (the pipeline's way,
 * feed-pipeline.h) give what di_csv_reader_next() gives, record by record:
 * fields, lengths, counts, lines, NUL bytes; a record with a quote is left
 * for di_csv_reader_next(). */
Test(csv_reader, split_in_place_is_the_same_as_next)
{
  static const gchar input[] =
    "a,b,c\n"
    " x , y ,\r\n"
    "\n# comment, \"quoted\"\n\r\n"
    ",,,,\n"
    "1,2,3,4,5,6,7,8,9,10,11\n"
    "nul\0here,second\0too,third\n"
    "cr\rinside,last\r\n"
    "a \"quote\" inside,b\n"
    "\"quoted, field\",x\n"
    "0123456789abcdef0123456789abcdef,01234567890123456789,012345678901234567890123456789012345\n"
    "no line end";
  gsize len = sizeof(input) - 1;
  DiCsvReader want, got;
  di_csv_reader_init(&want, input, len, 8, TRUE);
  di_csv_reader_init(&got, input, len, 8, TRUE);
  DiCsvReader scratch;
  di_csv_reader_init(&scratch, NULL, 0, 8, TRUE);
  guint records = 0, quoted_records = 0;
  const gchar *record;
  gsize record_len;
  gboolean quoted;
  while (di_csv_reader_next_plain(&got, &record, &record_len, &quoted))
    {
      cr_assert(di_csv_reader_next(&want));
      records++;
      DiCsvReader *r = &got;
      if (quoted)
        {
          quoted_records++;
          cr_assert(di_csv_reader_next(&got));
        }
      else
        {
          cr_assert_eq(got.line, want.line);
          cr_assert_eq(got.record_len, want.record_len, "record_len on line %zu", want.line);
          gchar *copy = g_malloc(record_len + 1);   /* as the pipeline copies it, NUL bytes and all */
          memcpy(copy, record, record_len);
          copy[record_len] = '\0';
          di_csv_reader_split(&scratch, copy, record_len);
          r = &scratch;
          cr_assert_eq(r->n_fields, want.n_fields, "fields on line %zu", want.line);
          cr_assert_eq(r->problems, want.problems, "problems on line %zu", want.line);
          if (want.problems & DI_CSV_NUL)
            cr_assert_eq(r->nul_field, want.nul_field);
          for (guint i = 0; i < want.n_fields; i++)
            {
              cr_assert_eq(di_csv_reader_field_len(r, i), di_csv_reader_field_len(&want, i),
                           "field %u of line %zu", i, want.line);
              gsize n = di_csv_reader_field_len(r, i);
              if (i < 8)
                cr_assert(memcmp(di_csv_reader_field(r, i), di_csv_reader_field(&want, i), n + 1) == 0,
                          "field %u of line %zu: '%s', want '%s'", i, want.line, di_csv_reader_field(r, i),
                          di_csv_reader_field(&want, i));
              else
                cr_assert_null(di_csv_reader_field(r, i));
            }
          g_free(copy);
          continue;
        }
      cr_assert_eq(r->n_fields, want.n_fields);
      for (guint i = 0; i < want.n_fields; i++)
        cr_assert_str_eq(di_csv_reader_field(r, i), di_csv_reader_field(&want, i));
    }
  cr_assert_not(di_csv_reader_next(&want), "as many records");
  cr_assert_eq(records, 10);
  cr_assert_eq(quoted_records, 2);
  di_csv_reader_clear(&want);
  di_csv_reader_clear(&got);
  di_csv_reader_clear(&scratch);
}
