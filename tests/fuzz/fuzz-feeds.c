/* fuzz-feeds.c: fuzz targets of the feed readers, the CSV tokenizer and the
 * STIX pattern parser (see fuzz-targets.h).
 *
 * A feed target writes the input to a file of the name its format expects
 * and reads it with that format's reader, as the loader would; ASan and UBSan
 * watch the reader.  Then, whatever the reader made of it:
 *   - every loaded indicator normalises again from its own canonical text,
 *     as its type, to a key the snapshot finds (`dprk-intel convert` output
 *     loads again, and what a feed loads can be matched);
 *   - every error and warning is a non-empty message without a control
 *     character (what a feed holds is escaped before it is echoed).
 * The CSV tokenizer is held to its contract (fields within the record,
 * memory bounded by the input, line numbers that only grow); the pattern
 * parser to columns inside the pattern.
 */
#include "fuzz-targets.h"
#include "feed-formats.h"
#include "feed-loader.h"
#include "csv-reader.h"
#include "stix-pattern.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* valid_until is compared with this: 2025-01-01 */
#define FUZZ_NOW 1735689600
/* entries checked a run: the check costs a normalisation each */
#define FUZZ_MAX_CHECKED 4096

static void
_fail(const gchar *what, const gchar *detail)
{
  fprintf(stderr, "fuzz: %s: %s\n", what, detail ? detail : "");
  abort();
}

static const DiFeedFormat *
_format(const gchar *name)
{
  for (const DiFeedFormat *const *f = di_feed_formats; *f; f++)
    if (strcmp((*f)->name, name) == 0)
      return *f;
  _fail("no feed format", name);
  return NULL;
}

typedef struct
{
  guint32 entry;
  gboolean found;
} FindEntry;

static gboolean
_same_key(const DiSnapshot *snap, guint32 entry, gpointer user_data)
{
  FindEntry *f = user_data;
  if (di_snapshot_entry_same_key(snap, entry, f->entry))
    f->found = TRUE;
  return !f->found;
}

static void
_check_snapshot(const DiSnapshot *snap)
{
  GString *value = g_string_new("");
  guint n = MIN(di_snapshot_count(snap), FUZZ_MAX_CHECKED);
  for (guint32 e = 0; e < n; e++)
    {
      DiType type = di_snapshot_entry_type(snap, e);
      g_string_truncate(value, 0);
      di_snapshot_entry_value(snap, e, value);
      DiKey key;
      DiType inferred;
      if (!di_normalize(type, value->str, value->len, &key, &inferred, NULL))
        {
          gchar *detail = g_strdup_printf("%s '%s'", di_type_name(type), value->str);
          _fail("a loaded indicator does not normalise from its own text", detail);
        }
      FindEntry f = { e, FALSE };
      di_snapshot_lookup(snap, &key, _same_key, &f);
      if (!f.found)
        _fail("a loaded indicator is not found by its own key", value->str);
      /* the accessors of every entry answer */
      if (!di_snapshot_entry_actor(snap, e) || !di_snapshot_entry_source(snap, e)
          || !di_snapshot_entry_reference(snap, e) || !di_snapshot_entry_description(snap, e)
          || !di_snapshot_entry_program(snap, e))
        _fail("an entry accessor returned NULL", value->str);
    }
  g_string_free(value, TRUE);
}

/* Messages end up in syslog-ng's own log: never empty, and no control
 * character from the feed (a newline would forge a log line, an escape
 * sequence drive a terminal). */
static void
_check_messages(GPtrArray *messages, const gchar *kind)
{
  for (guint i = 0; messages && i < messages->len; i++)
    {
      const gchar *m = messages->pdata[i];
      if (!m || !*m)
        _fail(kind, "an empty message");
      for (const guchar *p = (const guchar *) m; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
          _fail(kind, "a control character in a message (not escaped)");
    }
}

/* Reads path as format_name, with the reader's checks and the snapshot's. */
static void
_read_as(const gchar *format_name, const gchar *path, const guint8 *data, gsize size)
{
  const DiFeedFormat *format = _format(format_name);
  /* detection sees any head too */
  gchar *head = g_strndup((const gchar *) data, size);
  format->detect(path, head, size);
  g_free(head);

  DiSnapshotBuilder *builder = di_snapshot_builder_new();
  GPtrArray *errors = g_ptr_array_new_with_free_func(g_free);
  GPtrArray *warnings = g_ptr_array_new_with_free_func(g_free);
  DiFeedContext ctx = { .builder = builder, .filename = path, .now = FUZZ_NOW, .errors = errors,
                        .warnings = format->lenient_values ? warnings : NULL };
  format->read(&ctx);
  _check_messages(errors, "errors");
  _check_messages(warnings, "warnings");

  DiSnapshot *snap = di_snapshot_builder_finish(builder);
  _check_snapshot(snap);
  di_snapshot_unref(snap);
  g_ptr_array_free(errors, TRUE);
  g_ptr_array_free(warnings, TRUE);
}

static void
_fuzz_file(const gchar *format_name, const gchar *name, const guint8 *data, gsize size)
{
  gchar *path = di_fuzz_write(name, data, size);
  _read_as(format_name, path, data, size);
  g_free(path);
}

void
di_fuzz_feed_csv(const guint8 *data, gsize size)
{
  _fuzz_file("csv", "feed.csv", data, size);
}

void
di_fuzz_feed_stix(const guint8 *data, gsize size)
{
  _fuzz_file("stix", "bundle.json", data, size);
}

void
di_fuzz_feed_misp(const guint8 *data, gsize size)
{
  _fuzz_file("misp", "event.json", data, size);
}

void
di_fuzz_feed_ofac_xml(const guint8 *data, gsize size)
{
  _fuzz_file("ofac-xml", "sdn_advanced.xml", data, size);
}

/* The file name says what a plain list is (an OFAC per-asset list, a
 * maltrail trail named after its actor): a first byte below 8 picks one of
 * these names and is not part of the list. */
void
di_fuzz_feed_plain(const guint8 *data, gsize size)
{
  static const gchar *const names[] =
  {
    "apt_lazarus.txt", "sanctioned_addresses_XBT.txt", "sanctioned_addresses_ETH.txt",
    "sanctioned_addresses_TRX.txt", "sanctioned_addresses_XMR.txt", "list.txt",
    "sanctioned_addresses_USDT.txt", "kimsuky-trails.txt",
  };
  const gchar *name = names[0];
  if (size > 0 && data[0] < G_N_ELEMENTS(names))
    {
      name = names[data[0]];
      data++;
      size--;
    }
  _fuzz_file("plain", name, data, size);
}

/* sdn.csv, then a form feed, then the sdn_comments.csv beside it (none when
 * there is no form feed). */
void
di_fuzz_feed_ofac_csv(const guint8 *data, gsize size)
{
  const guint8 *ff = memchr(data, '\f', size);
  gsize sdn_size = ff ? (gsize) (ff - data) : size;
  gchar *comments = NULL;
  if (ff)
    comments = di_fuzz_write("sdn_comments.csv", ff + 1, size - sdn_size - 1);
  else
    {
      comments = g_build_filename(di_fuzz_dir(), "sdn_comments.csv", NULL);
      remove(comments);
    }
  _fuzz_file("ofac-csv", "sdn.csv", data, sdn_size);
  g_free(comments);
}

/* Any file through the loader: detection picks the reader. */
void
di_fuzz_feed_any(const guint8 *data, gsize size)
{
  gchar *path = di_fuzz_write("feed", data, size);
  const gchar *paths[] = { path, NULL };
  DiLoadReport report;
  di_load_report_init(&report);
  DiSnapshot *snap = di_feed_load(paths, FUZZ_NOW, &report);
  if (snap)
    {
      if (report.errors->len)
        _fail("the loader returned a snapshot and errors", report.errors->pdata[0]);
      _check_snapshot(snap);
      di_snapshot_unref(snap);
    }
  else if (!report.errors->len)
    _fail("the loader returned no snapshot and no error", NULL);
  _check_messages(report.errors, "errors");
  _check_messages(report.warnings, "warnings");
  di_load_report_clear(&report);
  g_free(path);
}

/* Two bytes of settings (stored fields, comments), then the CSV. */
void
di_fuzz_csv_reader(const guint8 *data, gsize size)
{
  guint max_fields = size > 0 ? data[0] % 12 + 1 : 1;
  gboolean comments = size > 1 && (data[1] & 1);
  gsize skip = MIN(size, 2);
  const gchar *text = (const gchar *) data + skip;
  gsize len = size - skip;

  DiCsvReader r;
  di_csv_reader_init(&r, len ? text : NULL, len, max_fields, comments);
  gsize last_line = 0, records = 0;
  while (di_csv_reader_next(&r))
    {
      if (r.line < 1 || r.line < last_line)
        _fail("csv-reader: a record's line number went back", NULL);
      last_line = r.line;
      if (++records > len + 1)
        _fail("csv-reader: more records than bytes", NULL);
      if (r.n_fields == 0)
        _fail("csv-reader: a record without a field", NULL);
      gsize total = 0;
      for (guint i = 0; i <= max_fields; i++)
        {
          gchar *f = di_csv_reader_field(&r, i);
          gsize flen = di_csv_reader_field_len(&r, i);
          gboolean stored = i < r.n_fields && i < max_fields;
          if (stored != (f != NULL))
            _fail("csv-reader: a field stored or not against n_fields and max_fields", NULL);
          if (f && strlen(f) > flen)
            _fail("csv-reader: a field longer than its length", NULL);
          total += flen;
        }
      if (total > len)
        _fail("csv-reader: fields hold more bytes than the input", NULL);
      /* memory grows with the bytes kept, never with the number of fields */
      gsize bound = sizeof(r) + max_fields * sizeof(gsize) + 2 * (len + max_fields) + 1024;
      if (di_csv_reader_memory(&r) > bound)
        _fail("csv-reader: memory beyond twice the input", NULL);
    }
  di_csv_reader_clear(&r);
}

void
di_fuzz_stix_pattern(const guint8 *data, gsize size)
{
  gchar *text = g_strndup((const gchar *) data, size);
  gsize len = strlen(text);
  GError *error = NULL;
  DiStixPattern *p = di_stix_pattern_parse(text, &error);
  if (p)
    {
      if (error)
        _fail("stix-pattern: a pattern and an error", error->message);
      for (guint i = 0; i < p->comparisons->len; i++)
        {
          const DiStixComparison *c = p->comparisons->pdata[i];
          if (!c->object || !c->path || !c->op || c->column < 1 || c->column > len)
            _fail("stix-pattern: a comparison without object, path or op, or a column outside", text);
        }
      di_stix_pattern_free(p);
    }
  else
    {
      if (!error || !g_str_has_prefix(error->message, "column "))
        _fail("stix-pattern: no pattern and no 'column N: ' error", text);
      g_error_free(error);
    }
  g_free(text);
}
