/* feed-ofac.c: OFAC's legacy SDN list, sdn.csv with sdn_comments.csv.
 *
 * sdn.csv has no header; its twelve columns are ent_num, SDN_Name, SDN_Type,
 * Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner
 * and Remarks, with "-0- " for an empty field.  Program lists the sanctions
 * programs as "DPRK3] [CYBER2".  Wallets hide in the remarks:
 *
 *   Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96;
 *
 * OFAC cuts remarks at 1,000 characters and carries the rest, by ent_num, in
 * sdn_comments.csv beside it; the cut can fall inside an address, so the two
 * are joined before the remarks are searched.  sdn_comments.csv is detected
 * as a format of its own whose read() loads nothing: its content arrives
 * through sdn.csv, and the loader must not reject it as unknown.
 *
 * Only entries of the selected programs are loaded (sanctions-programs(),
 * by default the DPRK ones); each indicator carries its entry's programs
 * and its nexus: DPRK for a DPRK program (or an actor the alias table
 * knows), OTHER for any other.
 *
 * Also here: di_feed_add_asset(), which every reader of per-asset addresses
 * uses (OFAC CSV and XML, plain per-asset lists, MISP coin-address).
 */
#include "feed-formats.h"
#include "csv-reader.h"
#include "actors.h"
#include <string.h>

#define OFAC_COLUMNS 12
#define OFAC_COL_NAME 1
#define OFAC_COL_PROGRAM 3
#define OFAC_COL_REMARKS 11
#define OFAC_ADDRESS_TAG "Digital Currency Address - "

/* ---- di_feed_add_asset -------------------------------------------------- */

/* The asset codes OFAC writes after "Digital Currency Address - ", and the
 * type each is read as.  NULL: a token on several chains, typed by the
 * address's form; "": a chain dprk-intel has no address type for, reported
 * by name.  "bnb" (BNB Beacon Chain, bnb1...) is a type of its own once the
 * engine knows it; until then its values are reported like "". */
static const struct
{
  const gchar *code;
  const gchar *type;
} assets[] =
{
  { "XBT", "btc" }, { "ETH", "eth" }, { "ETC", "eth" }, { "ARB", "eth" }, { "BSC", "eth" }, { "MATIC", "eth" },
  { "USDT", NULL }, { "USDC", NULL }, { "AVAX", NULL }, { "TRX", "trx" }, { "LTC", "ltc" }, { "BCH", "bch" },
  { "BSV", "bsv" }, { "BTG", "btg" }, { "XMR", "xmr" }, { "ZEC", "zec" }, { "DASH", "dash" }, { "XRP", "xrp" },
  { "XVG", "xvg" }, { "SOL", "sol" }, { "DOGE", "doge" }, { "BNB", "bnb" }, { "ADA", "" }, { "XLM", "" },
};

static gboolean
_valid_as(DiType type, const gchar *value, gsize len)
{
  DiKey key;
  DiType inferred;
  return di_normalize(type, value, len, &key, &inferred, NULL);
}

/* A chain the value is a valid address of, other than except; Solana's
 * test (any 32-byte base58 text) is too loose to retype anything to it. */
static DiType
_wallet_by_form(const gchar *value, gsize len, DiType except)
{
  DiType inferred = di_infer_type(value, len);
  if (di_type_is_wallet(inferred) && inferred != except && inferred != DI_TYPE_SOL && _valid_as(inferred, value, len))
    return inferred;
  for (gint t = DI_TYPE_BTC; t < DI_TYPE_MAX; t++)
    if (t != (gint) except && t != DI_TYPE_SOL && di_type_is_wallet(t) && _valid_as(t, value, len))
      return t;
  return DI_TYPE_NONE;
}

/* How a feed's asset is read: *type (NONE: by the form), and whether the
 * asset is one we know at all. */
static gboolean
_asset_type(const gchar *asset, DiType *type)
{
  *type = DI_TYPE_NONE;
  if (!asset || !*asset)
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS(assets); i++)
    if (g_ascii_strcasecmp(asset, assets[i].code) == 0)
      {
        *type = assets[i].type ? di_type_from_name(assets[i].type) : DI_TYPE_NONE;
        return !assets[i].type || *type != DI_TYPE_NONE;
      }
  *type = di_type_from_name(asset);   /* MISP symbols: "btc", "ethereum" */
  return *type != DI_TYPE_NONE;
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

  DiType declared;
  gboolean known = _asset_type(asset, &declared);
  if (declared != DI_TYPE_NONE && _valid_as(declared, value, n))
    return di_feed_add(ctx, line, where, declared, value, n, meta);

  /* never loaded as anything but a wallet: a 64-hex XMR value is no hash */
  DiType other = _wallet_by_form(value, n, declared);
  if (other != DI_TYPE_NONE)
    {
      if (retyped && declared != DI_TYPE_NONE)
        (*retyped)++;
      return di_feed_add(ctx, line, where, other, value, n, meta);
    }

  gchar *shown = di_feed_escape(value, n, 100);
  gchar *code = di_feed_escape(asset ? asset : "", -1, 20);
  if (!known)
    di_feed_bad_value(ctx, line, where, "'%s' listed as %s: dprk-intel reads no addresses of that asset, and it is "
                      "no address of a chain it reads", shown, code);
  else if (declared != DI_TYPE_NONE)
    {
      DiKey key;
      GError *error = NULL;
      di_normalize(declared, value, n, &key, NULL, &error);
      di_feed_bad_value(ctx, line, where, "%s; listed as %s, and no address of another chain", error->message, code);
      g_error_free(error);
    }
  else
    di_feed_bad_value(ctx, line, where, "'%s' listed as %s is no address of a chain dprk-intel reads", shown, code);
  g_free(code);
  g_free(shown);
  return FALSE;
}

/* ---- programs ---------------------------------------------------------- */

/* "DPRK3] [CYBER2" -> { "DPRK3", "CYBER2" } */
static gchar **
_split_programs(const gchar *column)
{
  gchar **parts = g_strsplit_set(column, "[]", -1);
  GPtrArray *out = g_ptr_array_new();
  for (gchar **p = parts; *p; p++)
    {
      gchar *s = g_strstrip(*p);
      if (*s)
        g_ptr_array_add(out, g_strdup(s));
    }
  g_strfreev(parts);
  g_ptr_array_add(out, NULL);
  return (gchar **) g_ptr_array_free(out, FALSE);
}

gboolean
di_feed_sanctions_meta(DiFeedContext *ctx, const gchar *const *programs, const gchar *actor, DiIndicatorMeta *meta,
                       gchar **program_text)
{
  gboolean dprk;
  gboolean selected = di_feed_options_program_selected(ctx->options, programs, &dprk);
  gboolean dprk_actor = actor && di_actor_is_dprk(actor);
  *program_text = programs && programs[0] ? g_strjoinv(",", (gchar **) programs) : NULL;
  meta->program = *program_text;
  meta->nexus = dprk || dprk_actor ? DI_NEXUS_DPRK : DI_NEXUS_OTHER;
  /* an actor of the alias table is DPRK-linked whatever OFAC files it under */
  return selected || dprk_actor;
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

/* The companion file beside sdn.csv: "<stem>_comments.csv", or OFAC's own
 * name, each also gzipped. */
static gchar *
_comments_path(const gchar *filename)
{
  gchar *dir = g_path_get_dirname(filename);
  gchar *base = g_path_get_basename(filename);
  if (g_str_has_suffix(base, ".gz"))
    base[strlen(base) - 3] = '\0';
  gchar *dot = strrchr(base, '.');
  gchar *ext = g_strdup(dot ? dot : "");
  if (dot)
    *dot = '\0';
  gchar *names[] =
  {
    g_strconcat(base, "_comments", ext, NULL), g_strconcat(base, "_COMMENTS", ext, NULL),
    g_strdup("sdn_comments.csv"), g_strdup("SDN_COMMENTS.CSV"),
    g_strconcat(base, "_comments", ext, ".gz", NULL), g_strdup("sdn_comments.csv.gz"),
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

/* Reports a record the tokenizer could not read whole, or one longer than
 * max-line-length; FALSE when it could.  Text after a closing quote is kept:
 * OFAC's files are not ours to correct. */
static gboolean
_csv_broken(DiFeedContext *ctx, const gchar *path, const DiCsvReader *r)
{
  if (r->record_len > di_feed_limit(ctx, DI_LIMIT_LINE_LENGTH))
    {
      di_feed_limit_hit(ctx, DI_LIMIT_LINE_LENGTH, r->line, "longer records are skipped");
      return TRUE;
    }
  if (r->problems & DI_CSV_UNTERMINATED)
    di_feed_error_in(ctx, path, r->line, "a quoted field is not closed (truncated file?)");
  else if (r->problems & DI_CSV_NUL)
    di_feed_error_in(ctx, path, r->line, "column %u holds a NUL byte", r->nul_field + 1);
  return (r->problems & (DI_CSV_UNTERMINATED | DI_CSV_NUL)) != 0;
}

static void
_string_free(gpointer s)
{
  g_string_free(s, TRUE);
}

/* ent_num -> the rest of its remarks (GString), from sdn_comments.csv.  A
 * continuation is as long as a record may be, no longer. */
static GHashTable *
_load_comments(DiFeedContext *ctx, const gchar *path)
{
  GHashTable *comments = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, _string_free);
  gsize len;
  gchar *data = di_feed_contents_of(ctx, path, &len);
  if (!data)
    return comments;
  gsize max = di_feed_limit(ctx, DI_LIMIT_LINE_LENGTH);
  DiCsvReader r;
  _csv_init(&r, data, len);
  while (_csv_record(&r))
    {
      const gchar *ent_num = di_csv_reader_field(&r, 0);
      if (_csv_broken(ctx, path, &r))
        continue;
      if (r.n_fields != 2 || !_all_digits(ent_num))
        di_feed_error_in(ctx, path, r.line, "expected ent_num,\"remarks continued\" as in OFAC's sdn_comments.csv");
      else
        {
          GString *text = g_hash_table_lookup(comments, ent_num);
          if (!text)
            g_hash_table_insert(comments, g_strdup(ent_num), (text = g_string_new("")));
          if (text->len + di_csv_reader_field_len(&r, 1) > max)
            di_feed_limit_hit(ctx, DI_LIMIT_LINE_LENGTH, r.line, "the rest of this entry's continuation is not read");
          else
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
  GHashTable *seen;         /* ent_nums read, so that a repeated one is joined once */
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
  /* the continuation belongs to the first row of an ent_num: joined once,
   * not again for every row a hostile file repeats it in */
  gboolean first = g_hash_table_add(o->seen, g_strdup(ent_num));
  GString *rest = o->comments && first ? g_hash_table_lookup(o->comments, ent_num) : NULL;
  gchar *remarks = g_strconcat(di_csv_reader_field(r, OFAC_COL_REMARKS), rest ? rest->str : "", NULL);
  if (!strstr(remarks, OFAC_ADDRESS_TAG))
    o->ctx->ignored++;   /* a person, company or vessel without a wallet */
  else
    {
      const gchar *name = di_csv_reader_field(r, OFAC_COL_NAME);
      gchar **programs = _split_programs(di_csv_reader_field(r, OFAC_COL_PROGRAM));
      DiIndicatorMeta meta = { name, "OFAC SDN", ent_num, name, -1, 0 };
      gchar *program_text;
      if (di_feed_sanctions_meta(o->ctx, (const gchar *const *) programs, name, &meta, &program_text))
        _read_addresses(o, line, ent_num, remarks, rest != NULL, &meta);
      else
        o->ctx->other_programs++;
      g_free(program_text);
      g_strfreev(programs);
    }
  g_free(remarks);
}

static gboolean
_ofac_csv_read(DiFeedContext *ctx)
{
  gsize len;
  gchar *data = di_feed_contents(ctx, &len);
  if (!data)
    return TRUE;
  gchar *comments_path = _comments_path(ctx->filename);
  OfacReader o = { ctx, comments_path ? _load_comments(ctx, comments_path) : NULL,
                   g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL) };
  DiCsvReader r;
  _csv_init(&r, data, len);
  while (_csv_record(&r))
    _read_entry(&o, &r);
  di_csv_reader_clear(&r);
  if (o.comments)
    g_hash_table_destroy(o.comments);
  g_hash_table_destroy(o.seen);
  g_free(comments_path);
  g_free(data);
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
