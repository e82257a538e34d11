/* feed-csv.c: CSV feeds: our canonical CSV (INTERFACE §3), and the IOC CSVs
 * vendors publish.
 *
 *   indicator,type,actor,source,confidence,reference,valid_until,description
 *
 * Canonical: the header row is required and names the columns (any order,
 * any subset that includes `indicator`); every problem is an error, since it
 * is the format users write themselves.  IOC CSV: a header with common names
 * for the same columns (`value`/`ioc`/`indicator`, `type`/`entity_type`/
 * `ioc_type`, `description`/`comment`/`notes` ...), in any case, other
 * columns ignored, vendor type names mapped (`hostname`, `ipaddress`, `file`
 * holding "md5,sha1,sha256" ...); a third-party format, so a bad value is a
 * warning.  In both, lines starting with `#` outside quotes are comments (the
 * header block may say `# nexus: dprk` and `# actor: NAME`), quoted fields
 * may hold commas, doubled quotes and line breaks, and defanged values are
 * refanged.  The tokenizer (csv-reader.c) is the one OFAC's CSV uses too.
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

/* The names IOC CSVs give our columns (compared ignoring case, spaces, '-'
 * and '_'), the canonical names included. */
static const struct
{
  const gchar *name;
  gint column;
} ioc_column_names[] =
{
  { "indicator", COL_INDICATOR }, { "value", COL_INDICATOR }, { "ioc", COL_INDICATOR },
  { "iocvalue", COL_INDICATOR }, { "indicatorvalue", COL_INDICATOR }, { "observable", COL_INDICATOR },
  { "observablevalue", COL_INDICATOR },
  { "type", COL_TYPE }, { "entitytype", COL_TYPE }, { "ioctype", COL_TYPE }, { "indicatortype", COL_TYPE },
  { "observabletype", COL_TYPE }, { "typename", COL_TYPE },
  { "description", COL_DESCRIPTION }, { "comment", COL_DESCRIPTION }, { "comments", COL_DESCRIPTION },
  { "notes", COL_DESCRIPTION }, { "note", COL_DESCRIPTION }, { "context", COL_DESCRIPTION },
  { "actor", COL_ACTOR }, { "threatactor", COL_ACTOR }, { "attribution", COL_ACTOR },
  { "source", COL_SOURCE }, { "confidence", COL_CONFIDENCE },
  { "reference", COL_REFERENCE }, { "references", COL_REFERENCE },
  { "validuntil", COL_VALID_UNTIL }, { "expiration", COL_VALID_UNTIL }, { "expires", COL_VALID_UNTIL },
};

/* Vendor type names (same comparison) that di_type_from_name does not know.
 * An "ip" may be either family; a "file" holds one or more hashes. */
typedef enum { KIND_TYPE, KIND_IP, KIND_HASHES } IocKind;
static const struct
{
  const gchar *name;
  IocKind kind;
  DiType type;
} ioc_type_names[] =
{
  { "ip", KIND_IP }, { "ipaddress", KIND_IP }, { "ipaddr", KIND_IP }, { "ipdst", KIND_IP }, { "ipsrc", KIND_IP },
  { "file", KIND_HASHES }, { "hash", KIND_HASHES }, { "filehash", KIND_HASHES }, { "hashes", KIND_HASHES },
  { "domain", KIND_TYPE, DI_TYPE_DOMAIN }, { "hostname", KIND_TYPE, DI_TYPE_DOMAIN },
  { "host", KIND_TYPE, DI_TYPE_DOMAIN }, { "fqdn", KIND_TYPE, DI_TYPE_DOMAIN },
  { "domainname", KIND_TYPE, DI_TYPE_DOMAIN }, { "uri", KIND_TYPE, DI_TYPE_URL },
  { "email", KIND_TYPE, DI_TYPE_EMAIL }, { "emailaddress", KIND_TYPE, DI_TYPE_EMAIL },
  { "emailwhois", KIND_TYPE, DI_TYPE_EMAIL }, { "emailsender", KIND_TYPE, DI_TYPE_EMAIL },
  { "emailsrc", KIND_TYPE, DI_TYPE_EMAIL }, { "emaildst", KIND_TYPE, DI_TYPE_EMAIL },
  { "filehashmd5", KIND_TYPE, DI_TYPE_MD5 }, { "filehashsha1", KIND_TYPE, DI_TYPE_SHA1 },
  { "filehashsha256", KIND_TYPE, DI_TYPE_SHA256 }, { "sha256", KIND_TYPE, DI_TYPE_SHA256 },
};

typedef struct
{
  DiFeedContext *ctx;
  gboolean ioc;           /* an IOC CSV, else our canonical CSV */
  gint columns[COL_MAX];  /* the record field of each column, -1: none */
  guint n_columns;        /* of the header */
  gchar *actor;           /* "# actor:" or, in an IOC CSV, the file's name; NULL: none */
  gchar *source;          /* an IOC CSV's file name, for rows without a source column */
} CsvFeed;

/* Stored fields a canonical record: one more than there are columns, so a
 * longer header shows, among the stored ones, the column it repeats or adds. */
#define CSV_STORED (COL_MAX + 1)

/* "Entity_Type", "entity type", "entity-type" -> "entitytype" */
static gchar *
_squeezed(const gchar *name)
{
  GString *out = g_string_new("");
  for (const gchar *p = name; *p; p++)
    if (*p != ' ' && *p != '_' && *p != '-' && *p != '\t')
      g_string_append_c(out, g_ascii_tolower(*p));
  return g_string_free(out, FALSE);
}

/* The canonical column named name, -1 for none. */
static gint
_column_of(const gchar *name)
{
  for (gint c = 0; c < COL_MAX; c++)
    if (strcmp(name, column_names[c]) == 0)
      return c;
  return -1;
}

static gint
_ioc_column_of(const gchar *name)
{
  gchar *key = _squeezed(name);
  gint found = -1;
  for (gsize i = 0; i < G_N_ELEMENTS(ioc_column_names) && found < 0; i++)
    if (strcmp(key, ioc_column_names[i].name) == 0)
      found = ioc_column_names[i].column;
  g_free(key);
  return found;
}

/* Reports what the tokenizer found wrong with the record, and a record
 * longer than max-line-length; FALSE when nothing. */
static gboolean
_report_problem(DiFeedContext *ctx, const DiCsvReader *r)
{
  if (r->record_len > di_feed_limit(ctx, DI_LIMIT_LINE_LENGTH))
    {
      di_feed_limit_hit(ctx, DI_LIMIT_LINE_LENGTH, r->line, "longer records are skipped");
      return TRUE;
    }
  if (r->problems & DI_CSV_UNTERMINATED)
    di_feed_error(ctx, r->line, "unterminated quoted field");
  else if (r->problems & DI_CSV_NUL)
    di_feed_error(ctx, r->line, "column %u holds a NUL byte", r->nul_field + 1);
  else if (r->problems & DI_CSV_TEXT_AFTER_QUOTE)
    di_feed_error(ctx, r->line, "text after a closing quote");
  return r->problems != 0;
}

static gboolean
_header_record(DiFeedContext *ctx, DiCsvReader *r)
{
  if (!di_csv_reader_next(r))
    {
      di_feed_error(ctx, 1, "empty file: the header row is missing");
      return FALSE;
    }
  return !_report_problem(ctx, r);
}

/* Maps canonical header names to columns; FALSE on an unknown, repeated or
 * missing column. */
static gboolean
_read_header(CsvFeed *f, DiCsvReader *r)
{
  DiFeedContext *ctx = f->ctx;
  if (!_header_record(ctx, r))
    return FALSE;
  for (guint i = 0; i < r->n_fields && i < CSV_STORED; i++)
    {
      const gchar *name = g_strstrip(di_csv_reader_field(r, i));
      gint c = _column_of(name);
      if (c < 0)
        {
          di_feed_error(ctx, r->line, "unknown column '%s' in the header row", name);
          return FALSE;
        }
      if (f->columns[c] >= 0)
        {
          di_feed_error(ctx, r->line, "column '%s' appears twice in the header row", name);
          return FALSE;
        }
      f->columns[c] = i;
    }
  if (f->columns[COL_INDICATOR] < 0)
    {
      di_feed_error(ctx, r->line, "the header row has no 'indicator' column");
      return FALSE;
    }
  return TRUE;
}

/* An IOC CSV's header: known names give columns (the first of a repeated
 * one wins), the others are ignored. */
static gboolean
_read_ioc_header(CsvFeed *f, DiCsvReader *r)
{
  if (!_header_record(f->ctx, r))
    return FALSE;
  if (r->n_fields > r->max_fields)
    di_feed_limit_hit(f->ctx, DI_LIMIT_COLUMNS, r->line, "the columns after it are not read");
  for (guint i = 0; i < r->n_fields && i < r->max_fields; i++)
    {
      gint c = _ioc_column_of(g_strstrip(di_csv_reader_field(r, i)));
      if (c >= 0 && f->columns[c] < 0)
        f->columns[c] = i;
    }
  if (f->columns[COL_INDICATOR] < 0)
    {
      di_feed_error(f->ctx, r->line, "the header row has no indicator column (value, ioc or indicator)");
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
  gchar *s = di_csv_reader_field(r, i);
  if (!s)
    return NULL;
  s = g_strstrip(s);
  return *s ? s : NULL;
}

/* A problem with a row's other columns: an error in our CSV, a warning
 * (the row skipped) in an IOC CSV. */
static void
_row_problem(CsvFeed *f, gsize line, const gchar *what)
{
  if (f->ioc)
    {
      di_feed_warning(f->ctx, line, "%s (skipped)", what);
      f->ctx->skipped++;
    }
  else
    di_feed_error(f->ctx, line, "%s", what);
}

static gboolean
_parse_meta(CsvFeed *f, gsize line, DiCsvReader *r, DiIndicatorMeta *meta)
{
  const gchar *confidence = _column(r, f->columns, COL_CONFIDENCE);
  const gchar *valid_until = _column(r, f->columns, COL_VALID_UNTIL);
  gboolean ok = TRUE;
  meta->confidence = -1;
  if (confidence)
    {
      gchar *end;
      gint64 v = g_ascii_strtoll(confidence, &end, 10);
      if (*end || v < 0 || v > 100)
        {
          gchar *what = g_strdup_printf("confidence '%s' is not a number from 0 to 100", confidence);
          _row_problem(f, line, what);
          g_free(what);
          ok = FALSE;
        }
      meta->confidence = v;
    }
  meta->valid_until = 0;
  if (ok && valid_until && (meta->valid_until = di_feed_parse_time(valid_until)) < 0)
    {
      gchar *what = g_strdup_printf("valid_until '%s' is not an ISO 8601 date", valid_until);
      _row_problem(f, line, what);
      g_free(what);
      ok = FALSE;
    }
  meta->actor = _column(r, f->columns, COL_ACTOR);
  if (!meta->actor)
    meta->actor = f->actor;
  meta->source = _column(r, f->columns, COL_SOURCE);
  if (!meta->source)
    meta->source = f->source;
  meta->reference = _column(r, f->columns, COL_REFERENCE);
  meta->description = _column(r, f->columns, COL_DESCRIPTION);
  return ok;
}

/* The value(s) of an IOC CSV row as its vendor type says; a type we do not
 * read (mutex, filename ...) is a warning and the row is ignored. */
static void
_add_ioc(CsvFeed *f, gsize line, const gchar *type_name, const gchar *value, const DiIndicatorMeta *meta)
{
  IocKind kind = KIND_TYPE;
  DiType type = DI_TYPE_NONE;
  if (type_name)
    {
      gchar *key = _squeezed(type_name);
      gboolean known = FALSE;
      for (gsize i = 0; i < G_N_ELEMENTS(ioc_type_names) && !known; i++)
        if (strcmp(key, ioc_type_names[i].name) == 0)
          {
            kind = ioc_type_names[i].kind;
            type = ioc_type_names[i].type;
            known = TRUE;
          }
      if (!known && (type = di_type_from_name(key)) == DI_TYPE_NONE)
        {
          gchar *shown = di_feed_escape(type_name, -1, 60);
          di_feed_warning(f->ctx, line, "type '%s' is not an indicator type dprk-intel reads (skipped)", shown);
          g_free(shown);
          f->ctx->ignored++;
          g_free(key);
          return;
        }
      g_free(key);
    }
  if (kind != KIND_HASHES)
    {
      DiType inferred = kind == KIND_IP ? di_infer_type(value, strlen(value)) : type;
      if (kind == KIND_IP && inferred != DI_TYPE_IPV4 && inferred != DI_TYPE_IPV6 && inferred != DI_TYPE_CIDR)
        inferred = DI_TYPE_IPV4;   /* for the error: "invalid ipv4 address" */
      di_feed_add(f->ctx, line, NULL, inferred, value, -1, meta);
      return;
    }
  /* "md5,sha1,sha256" in one field (Volexity) */
  gchar **hashes = g_strsplit_set(value, ",;| \t", -1);
  for (gchar **h = hashes; *h; h++)
    if (**h)
      {
        DiType t = di_infer_type(*h, strlen(*h));
        if (t != DI_TYPE_MD5 && t != DI_TYPE_SHA1 && t != DI_TYPE_SHA256)
          {
            gchar *shown = di_feed_escape(*h, -1, 100);
            gchar *what = g_strdup_printf("'%s' is not an md5, sha1 or sha256 hash", shown);
            _row_problem(f, line, what);
            g_free(what);
            g_free(shown);
          }
        else
          di_feed_add(f->ctx, line, NULL, t, *h, -1, meta);
      }
  g_strfreev(hashes);
}

static void
_read_row(CsvFeed *f, DiCsvReader *r)
{
  gsize line = r->line;
  if (!f->ioc && r->n_fields > f->n_columns)
    {
      di_feed_error(f->ctx, line, "%u columns, the header has %u", r->n_fields, f->n_columns);
      return;
    }
  const gchar *indicator = _column(r, f->columns, COL_INDICATOR);
  if (!indicator)
    {
      if (f->ioc)
        f->ctx->ignored++;    /* vendors leave the odd row empty */
      else
        di_feed_error(f->ctx, line, "the indicator column is empty");
      return;
    }
  DiIndicatorMeta meta = { 0 };
  if (!_parse_meta(f, line, r, &meta))
    return;
  const gchar *type_name = _column(r, f->columns, COL_TYPE);
  if (f->ioc)
    {
      _add_ioc(f, line, type_name, indicator, &meta);
      return;
    }
  DiType type = DI_TYPE_NONE;
  if (type_name && (type = di_type_from_name(type_name)) == DI_TYPE_NONE)
    {
      di_feed_error(f->ctx, line, "unknown type '%s'", type_name);
      return;
    }
  di_feed_add(f->ctx, line, NULL, type, indicator, -1, &meta);
}

static void
_read_csv(DiFeedContext *ctx, gboolean ioc)
{
  gsize len;
  gchar *data = di_feed_contents(ctx, &len);
  if (!data)
    return;
  CsvFeed f = { ctx, ioc };
  for (gint c = 0; c < COL_MAX; c++)
    f.columns[c] = -1;
  di_feed_read_header(ctx, data, len, &f.actor);
  if (!f.actor && ioc)
    f.actor = di_feed_actor_from_name(ctx->filename);
  if (ioc)
    f.source = g_path_get_basename(ctx->filename);
  ctx->refang = TRUE;

  DiCsvReader r;
  guint stored = ioc ? (guint) MIN(di_feed_limit(ctx, DI_LIMIT_COLUMNS), 4096) : CSV_STORED;
  di_csv_reader_init(&r, data, len, stored, TRUE);
  if (ioc ? _read_ioc_header(&f, &r) : _read_header(&f, &r))
    {
      f.n_columns = r.n_fields;
      while (di_csv_reader_next(&r))
        if (!_report_problem(ctx, &r))
          _read_row(&f, &r);
    }
  di_csv_reader_clear(&r);
  g_free(f.actor);
  g_free(f.source);
  g_free(data);
}

static gboolean
_csv_read(DiFeedContext *ctx)
{
  _read_csv(ctx, FALSE);
  return TRUE;
}

static gboolean
_ioc_csv_read(DiFeedContext *ctx)
{
  _read_csv(ctx, TRUE);
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

/* An IOC CSV: a header of two or more columns, one of them the value's. */
static gboolean
_ioc_csv_detect(const gchar *filename, const gchar *head, gsize len)
{
  DiCsvReader r;
  di_csv_reader_init(&r, head, len, DI_FEED_DEFAULT_MAX_COLUMNS, TRUE);
  gboolean yes = FALSE;
  if (di_csv_reader_next(&r) && r.n_fields >= 2 && !(r.problems & DI_CSV_NUL))
    for (guint i = 0; i < r.n_fields && i < r.max_fields && !yes; i++)
      yes = _ioc_column_of(g_strstrip(di_csv_reader_field(&r, i))) == COL_INDICATOR;
  di_csv_reader_clear(&r);
  return yes;
}

const DiFeedFormat di_feed_format_csv = { "csv", _csv_detect, _csv_read };
const DiFeedFormat di_feed_format_ioc_csv = { "ioc-csv", _ioc_csv_detect, _ioc_csv_read, TRUE };
