/* feed-ofac.c: OFAC's legacy SDN list, sdn.csv with sdn_comments.csv.
 *
 * sdn.csv has no header; its twelve columns are ent_num, SDN_Name, SDN_Type,
 * Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner
 * and Remarks, with "-0- " for an empty field.  Wallets hide in the remarks:
 *
 *   Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96;
 *
 * OFAC cuts remarks at 1,000 characters and carries the rest, by ent_num, in
 * sdn_comments.csv beside it; the cut can fall inside an address, so the two
 * are joined before the remarks are searched.  sdn_comments.csv is detected
 * as a format of its own whose read() loads nothing: its content arrives
 * through sdn.csv, and the loader must not reject it as unknown.
 *
 * Also here: di_feed_add_asset(), which every reader of per-asset addresses
 * uses (OFAC CSV and XML, plain per-asset lists, MISP coin-address).
 */
#include "feed-formats.h"
#include "csv-reader.h"
#include <string.h>

#define OFAC_COLUMNS 12
#define OFAC_COL_NAME 1
#define OFAC_COL_REMARKS 11
#define OFAC_ADDRESS_TAG "Digital Currency Address - "

/* ---- di_feed_add_asset -------------------------------------------------- */

static gboolean
_valid_as(DiType type, const gchar *value, gsize len)
{
  DiKey key;
  DiType inferred;
  return di_normalize(type, value, len, &key, &inferred, NULL);
}

gboolean
di_feed_add_asset(DiFeedContext *ctx, gsize line, const gchar *where, const gchar *asset, const gchar *value,
                  gssize len, const DiIndicatorMeta *meta, guint *retyped)
{
  gsize n = len < 0 ? strlen(value) : (gsize) len;
  while (n && g_ascii_isspace(*value))
    {
      value++;
      n--;
    }
  while (n && g_ascii_isspace(value[n - 1]))
    n--;

  DiType declared = asset ? di_type_from_name(asset) : DI_TYPE_NONE;
  if (declared != DI_TYPE_NONE && !_valid_as(declared, value, n))
    {
      DiType other = di_infer_type(value, n);
      if (other != DI_TYPE_NONE && other != declared && _valid_as(other, value, n))
        {
          if (retyped)
            (*retyped)++;
          return di_feed_add(ctx, line, where, other, value, n, meta);
        }
    }
  return di_feed_add(ctx, line, where, declared, value, n, meta);
}

/* ---- records ---------------------------------------------------------- */

/* The tokenizer with OFAC's conventions: at most the twelve columns of
 * sdn.csv stored, no comments (OFAC's files end with a DOS end-of-file mark,
 * which the tokenizer skips). */
static void
_csv_init(DiCsvReader *r, const gchar *data, gsize len)
{
  di_csv_reader_init(r, data, len, OFAC_COLUMNS, FALSE);
}

/* The next record, each stored field stripped and OFAC's empty field "-0-"
 * made empty; FALSE at the end of the input. */
static gboolean
_csv_record(DiCsvReader *r)
{
  if (!di_csv_reader_next(r))
    return FALSE;
  for (guint i = 0; i < r->n_fields && i < OFAC_COLUMNS; i++)
    {
      gchar *f = g_strstrip(di_csv_reader_field(r, i));
      if (strcmp(f, "-0-") == 0)
        *f = '\0';
    }
  return TRUE;
}

static gboolean
_all_digits(const gchar *s)
{
  return *s && strspn(s, "0123456789") == strlen(s);
}

/* ---- sdn_comments.csv ------------------------------------------------- */

/* The companion file beside sdn.csv: "<stem>_comments.csv", or OFAC's own name. */
static gchar *
_comments_path(const gchar *filename)
{
  gchar *dir = g_path_get_dirname(filename);
  gchar *base = g_path_get_basename(filename);
  gchar *dot = strrchr(base, '.');
  gchar *ext = g_strdup(dot ? dot : "");
  if (dot)
    *dot = '\0';
  gchar *names[] =
  {
    g_strconcat(base, "_comments", ext, NULL), g_strconcat(base, "_COMMENTS", ext, NULL),
    g_strdup("sdn_comments.csv"), g_strdup("SDN_COMMENTS.CSV"),
  };
  gchar *found = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
    {
      gchar *path = g_build_filename(dir, names[i], NULL);
      if (!found && strcmp(path, filename) != 0 && g_file_test(path, G_FILE_TEST_IS_REGULAR))
        found = path;
      else
        g_free(path);
      g_free(names[i]);
    }
  g_free(dir);
  g_free(base);
  g_free(ext);
  return found;
}

/* An error at path:line (sdn.csv or the sdn_comments.csv beside it). */
static void
_error_in(DiFeedContext *ctx, const gchar *path, gsize line, const gchar *what)
{
  g_ptr_array_add(ctx->errors, g_strdup_printf("%s:%" G_GSIZE_FORMAT ": %s", path, line, what));
}

/* Reports a record the tokenizer could not read whole; FALSE when it could.
 * Text after a closing quote is kept: OFAC's files are not ours to correct. */
static gboolean
_csv_broken(DiFeedContext *ctx, const gchar *path, const DiCsvReader *r)
{
  if (r->problems & DI_CSV_UNTERMINATED)
    _error_in(ctx, path, r->line, "a quoted field is not closed (truncated file?)");
  else if (r->problems & DI_CSV_NUL)
    {
      gchar *what = g_strdup_printf("column %u holds a NUL byte", r->nul_field + 1);
      _error_in(ctx, path, r->line, what);
      g_free(what);
    }
  return (r->problems & (DI_CSV_UNTERMINATED | DI_CSV_NUL)) != 0;
}

static void
_string_free(gpointer s)
{
  g_string_free(s, TRUE);
}

/* ent_num -> the rest of its remarks (GString), from sdn_comments.csv. */
static GHashTable *
_load_comments(DiFeedContext *ctx, const gchar *path)
{
  GHashTable *comments = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, _string_free);
  gchar *data;
  gsize len;
  GError *error = NULL;
  if (!g_file_get_contents(path, &data, &len, &error))
    {
      g_ptr_array_add(ctx->errors, g_strdup_printf("%s: cannot read: %s", path, error->message));
      g_error_free(error);
      return comments;
    }
  DiCsvReader r;
  _csv_init(&r, data, len);
  while (_csv_record(&r))
    {
      const gchar *ent_num = di_csv_reader_field(&r, 0);
      if (_csv_broken(ctx, path, &r))
        continue;
      if (r.n_fields != 2 || !_all_digits(ent_num))
        _error_in(ctx, path, r.line, "expected ent_num,\"remarks continued\" as in OFAC's sdn_comments.csv");
      else
        {
          GString *text = g_hash_table_lookup(comments, ent_num);
          if (!text)
            g_hash_table_insert(comments, g_strdup(ent_num), (text = g_string_new("")));
          g_string_append(text, di_csv_reader_field(&r, 1));
        }
    }
  di_csv_reader_clear(&r);
  g_free(data);
  return comments;
}

/* ---- sdn.csv ---------------------------------------------------------- */

typedef struct
{
  DiFeedContext *ctx;
  GHashTable *comments;     /* NULL when there is no sdn_comments.csv */
  const gchar *comments_path;
} OfacReader;

/* One "Digital Currency Address - XXX value" of the remarks.  *ran_to_end is
 * TRUE when the value runs to the end of the remarks: a cut remark. */
static const gchar *
_next_address(const gchar *p, gchar **asset, gchar **value, gboolean *ran_to_end)
{
  const gchar *tag = strstr(p, OFAC_ADDRESS_TAG);
  if (!tag)
    return NULL;
  p = tag + strlen(OFAC_ADDRESS_TAG);
  gsize n = strcspn(p, " ;");
  *asset = g_strndup(p, n);
  p += n;
  while (*p == ' ')
    p++;
  n = strcspn(p, " ;\t\r\n");
  *ran_to_end = p[n] == '\0';
  /* the last remark ends with a full stop, and no address does */
  gsize vlen = n;
  while (vlen && (p[vlen - 1] == '.' || p[vlen - 1] == ','))
    {
      vlen--;
      *ran_to_end = FALSE;
    }
  *value = g_strndup(p, vlen);
  return p + n;
}

static void
_read_addresses(OfacReader *o, gsize line, const gchar *ent_num, const gchar *remarks, gboolean joined,
                const DiIndicatorMeta *meta)
{
  gchar *asset, *value;
  gboolean ran_to_end;
  for (const gchar *p = _next_address(remarks, &asset, &value, &ran_to_end); p;
       p = _next_address(p, &asset, &value, &ran_to_end))
    {
      DiKey key;
      DiType inferred;
      if (!*value)
        di_feed_error(o->ctx, line, "ent_num %s: \"" OFAC_ADDRESS_TAG "%s\" without an address", ent_num, asset);
      else if (ran_to_end && !joined && !di_normalize(DI_TYPE_NONE, value, strlen(value), &key, &inferred, NULL))
        di_feed_error(o->ctx, line, "ent_num %s: the remarks end inside the %s address '%s': OFAC cuts remarks at "
                      "1000 characters and continues them in sdn_comments.csv, which must sit beside this file",
                      ent_num, asset, value);
      else
        di_feed_add_asset(o->ctx, line, NULL, asset, value, -1, meta, NULL);
      g_free(asset);
      g_free(value);
    }
}

static void
_read_entry(OfacReader *o, DiCsvReader *r)
{
  const gchar *ent_num = di_csv_reader_field(r, 0);
  gsize line = r->line;
  if (_csv_broken(o->ctx, o->ctx->filename, r))
    return;
  if (r->n_fields != OFAC_COLUMNS || !_all_digits(ent_num))
    {
      di_feed_error(o->ctx, line, "expected the %d columns of OFAC's sdn.csv starting with a numeric ent_num, "
                    "found %u columns", OFAC_COLUMNS, r->n_fields);
      return;
    }
  GString *rest = o->comments ? g_hash_table_lookup(o->comments, ent_num) : NULL;
  gchar *remarks = g_strconcat(di_csv_reader_field(r, OFAC_COL_REMARKS), rest ? rest->str : "", NULL);
  if (!strstr(remarks, OFAC_ADDRESS_TAG))
    o->ctx->ignored++;   /* a person, company or vessel without a wallet */
  else
    {
      const gchar *name = di_csv_reader_field(r, OFAC_COL_NAME);
      DiIndicatorMeta meta = { name, "OFAC SDN", ent_num, name, -1, 0 };
      _read_addresses(o, line, ent_num, remarks, rest != NULL, &meta);
    }
  g_free(remarks);
}

static gboolean
_ofac_csv_read(DiFeedContext *ctx)
{
  GMappedFile *file = di_feed_map(ctx);
  if (!file)
    return FALSE;
  gchar *comments_path = _comments_path(ctx->filename);
  OfacReader o = { ctx, comments_path ? _load_comments(ctx, comments_path) : NULL, comments_path };
  DiCsvReader r;
  _csv_init(&r, g_mapped_file_get_contents(file), g_mapped_file_get_length(file));
  while (_csv_record(&r))
    _read_entry(&o, &r);
  di_csv_reader_clear(&r);
  if (o.comments)
    g_hash_table_destroy(o.comments);
  g_free(comments_path);
  g_mapped_file_unref(file);
  return TRUE;
}

/* ---- detection -------------------------------------------------------- */

/* The first record of head; the caller frees the reader. */
static void
_first_record(DiCsvReader *r, const gchar *head, gsize len)
{
  _csv_init(r, head, len);
  if (!_csv_record(r))
    r->n_fields = 0;
}

/* 27307,"LAZARUS GROUP",-0- ,"DPRK3",-0- ,... : twelve columns, numeric ent_num. */
static gboolean
_ofac_csv_detect(const gchar *filename, const gchar *head, gsize len)
{
  DiCsvReader r;
  _first_record(&r, head, len);
  gboolean complete = !(r.problems & DI_CSV_UNTERMINATED);
  gboolean yes = r.n_fields > 0 && _all_digits(di_csv_reader_field(&r, 0))
                 && (complete ? r.n_fields == OFAC_COLUMNS : r.n_fields >= 3 && strstr(head, "-0-") != NULL);
  di_csv_reader_clear(&r);
  return yes;
}

/* 27307,"G TEAM'; Linked To: ...": a numeric ent_num and one text column. */
static gboolean
_ofac_comments_detect(const gchar *filename, const gchar *head, gsize len)
{
  DiCsvReader r;
  _first_record(&r, head, len);
  gboolean yes = r.n_fields == 2 && _all_digits(di_csv_reader_field(&r, 0));
  di_csv_reader_clear(&r);
  return yes;
}

static gboolean
_ofac_comments_read(DiFeedContext *ctx)
{
  return TRUE;   /* read with the sdn.csv beside it */
}

const DiFeedFormat di_feed_format_ofac_csv = { "ofac-csv", _ofac_csv_detect, _ofac_csv_read, TRUE };
const DiFeedFormat di_feed_format_ofac_comments = { "ofac-comments", _ofac_comments_detect, _ofac_comments_read };
