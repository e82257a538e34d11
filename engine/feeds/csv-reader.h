/* csv-reader.h: the one CSV tokenizer of the feed readers (our canonical CSV
 * in feed-csv.c, OFAC's sdn.csv and sdn_comments.csv in feed-ofac.c).
 *
 * RFC 4180: fields split at commas, records at line ends (LF or CRLF); a
 * field in double quotes may hold commas, line breaks and doubled quotes.
 * Feeds come over the network, so the input is treated as hostile: one pass,
 * linear time, and memory that grows with the fields kept, never with the
 * number of fields: a record may have any number, only the first max_fields
 * are stored (the rest are counted), all in one buffer reused record to
 * record.  A NUL byte inside a field is reported, not taken for its end.
 */
#ifndef DI_CSV_READER_H
#define DI_CSV_READER_H

#include <glib.h>

/* What was wrong with the current record (bits of DiCsvReader.problems).
 * The record is still returned, as well as it could be read. */
typedef enum
{
  DI_CSV_UNTERMINATED = 1 << 0,     /* the input ended inside a quoted field */
  DI_CSV_TEXT_AFTER_QUOTE = 1 << 1, /* "ab"c: kept as abc */
  DI_CSV_NUL = 1 << 2,              /* a NUL byte in field nul_field */
} DiCsvProblem;

typedef struct
{
  /* the current record, for the caller to read */
  gsize line;            /* the line it starts on, from 1 */
  guint n_fields;        /* how many it has, stored or not */
  guint problems;        /* DiCsvProblem bits */
  guint nul_field;       /* with DI_CSV_NUL: the first field holding one, from 0 */
  gsize record_len;      /* bytes of input it spans, quoted line breaks included */

  /* private */
  const gchar *p, *end;
  gsize next_line;
  gboolean comments;
  guint max_fields;
  gsize *ends;           /* max_fields offsets into text, each past a field's NUL */
  GString *text;         /* the stored fields, each NUL-terminated */
} DiCsvReader;

/* Reads data[0..len) (data may be NULL when len is 0), skipping a UTF-8 BOM.
 * Stores at most max_fields fields a record.  With comments, a line that
 * starts with '#' where a record could start is skipped.  Lines holding only
 * CR, LF or DOS end-of-file marks (0x1A) are always skipped. */
void di_csv_reader_init(DiCsvReader *r, const gchar *data, gsize len, guint max_fields, gboolean comments);
void di_csv_reader_clear(DiCsvReader *r);

/* Reads the next record; FALSE at the end of the input. */
gboolean di_csv_reader_next(DiCsvReader *r);

/* Field i of the current record, NUL-terminated and unquoted (the caller may
 * change it in place, e.g. strip it); NULL when i is not stored. */
gchar *di_csv_reader_field(DiCsvReader *r, guint i);
/* Its length in bytes (a NUL inside counts), 0 when i is not stored. */
gsize di_csv_reader_field_len(const DiCsvReader *r, guint i);

/* The bytes the reader holds, for tests that bound its memory. */
gsize di_csv_reader_memory(const DiCsvReader *r);

#endif
