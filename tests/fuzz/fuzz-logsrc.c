/* fuzz-logsrc.c: libFuzzer target for the log-source readers (engine/logsrc/).
 *
 * Every input is read as a line by a reader of every source and of `auto`
 * (the exchange reader and `auto` with *-key() options too), without a
 * crash, a hang or a read out of bounds (ASan watches), and each event must
 * keep the readers' promises: a malformed line has no field and no amount
 * flag, a line left alone has nothing at all, every field set is non-empty
 * and lies inside the line or the scratch buffer it was lent (or, for the
 * fields that take fixed words -- service.type, event.action, ... -- is
 * such a word, a C string of its own), the scratch
 * buffer is never overrun, an amount is a plain decimal number, and the
 * verdict names a source the reader covers.
 *
 * Built and run briefly by run-fuzz-logsrc.sh (clang -fsanitize=fuzzer).
 */
#include "logsrc/logsrc-reader.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static LogsrcReader *readers[LOGSRC_AUTO + 1];
static LogsrcReader *with_keys[2];

static void
_fail(const gchar *line, gsize len, LogsrcSource reader, const gchar *what)
{
  fprintf(stderr, "fuzz-logsrc: reader %s: %s: '%.*s'\n", logsrc_source_name(reader), what, (int) MIN(len, 300), line);
  abort();
}

static gboolean
_inside(LogsrcSpan v, const gchar *base, gsize len)
{
  return v.ptr >= base && v.len <= len && v.ptr - base <= (gssize) (len - v.len);
}

/* the fields a reader may set to a word of its own ("bitcoind", "failure") */
static gboolean
_takes_fixed_words(gint f)
{
  return f == LOGSRC_SERVICE_TYPE || f == LOGSRC_EVENT_ACTION || f == LOGSRC_EVENT_OUTCOME
         || f == LOGSRC_CLOUD_PROVIDER || f == LOGSRC_CRYPTO_CHAIN;
}

static gboolean
_decimal(LogsrcSpan v)
{
  gsize i = 0, digits = 0;
  while (i < v.len && v.ptr[i] >= '0' && v.ptr[i] <= '9')
    i++, digits++;
  if (!digits)
    return FALSE;
  if (i == v.len)
    return TRUE;
  if (v.ptr[i++] != '.' || i == v.len)
    return FALSE;
  while (i < v.len && v.ptr[i] >= '0' && v.ptr[i] <= '9')
    i++;
  return i == v.len;
}

static void
_read(const LogsrcReader *r, LogsrcSource source, const gchar *line, gsize len)
{
  gsize size = logsrc_scratch_size(len);
  /* one byte past the lent size: a write there is an overrun */
  gchar *buf = malloc(size + 1);
  buf[size] = 0x5A;
  LogsrcScratch scratch = { buf, size, 0 };
  LogsrcEvent ev;

  logsrc_reader_read(r, line, len, &scratch, &ev);
  if (scratch.used > size || buf[size] != 0x5A)
    _fail(line, len, source, "the scratch buffer was overrun");
  switch (ev.verdict)
    {
    case LOGSRC_IGNORED:
      if (ev.fields || ev.no_amount || ev.has_time)
        _fail(line, len, source, "a line left alone has fields");
      break;
    case LOGSRC_UNPARSED:
      if (ev.fields || ev.no_amount)
        _fail(line, len, source, "a malformed line has fields");
      break;
    case LOGSRC_PARSED:
      if (!(ev.fields & 1))
        _fail(line, len, source, "a parsed line without service.type");
      break;
    default:
      _fail(line, len, source, "no such verdict");
    }
  if (ev.verdict != LOGSRC_IGNORED && (ev.source >= LOGSRC_SOURCE_COUNT || !logsrc_source_covers(source, ev.source)))
    _fail(line, len, source, "the verdict names a source the reader does not cover");
  for (gint f = 0; f < LOGSRC_FIELD_COUNT; f++)
    {
      if (!((ev.fields >> f) & 1))
        continue;
      LogsrcSpan v = ev.value[f];
      if (!v.len)
        _fail(line, len, source, "an empty field");
      if (!_inside(v, line, len) && !_inside(v, buf, scratch.used)
          && !(_takes_fixed_words(f) && memchr(v.ptr, 0, v.len + 1) == v.ptr + v.len))
        _fail(line, len, source, "a field outside the line and the scratch it used");
      if (f == LOGSRC_CRYPTO_AMOUNT && !_decimal(v))
        _fail(line, len, source, "an amount that is not a decimal number");
    }
  free(buf);
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
  if (!readers[0])
    {
      static const gchar *const keys[LOGSRC_KEY_COUNT] =
      {
        "kind", "client.ref", "uid", "mine", "address", "sum", "a.b.c", "chain", "x", "wallet", "peer",
      };
      for (gint s = 0; s <= LOGSRC_AUTO; s++)
        readers[s] = logsrc_reader_new(s, NULL);
      with_keys[0] = logsrc_reader_new(LOGSRC_EXCHANGE, keys);
      with_keys[1] = logsrc_reader_new(LOGSRC_AUTO, keys);
    }
  /* a copy of exactly size bytes: ASan sees a read past the line */
  gchar *line = malloc(size ? size : 1);
  memcpy(line, data, size);
  for (gint s = 0; s <= LOGSRC_AUTO; s++)
    _read(readers[s], s, line, size);
  _read(with_keys[0], LOGSRC_EXCHANGE, line, size);
  _read(with_keys[1], LOGSRC_AUTO, line, size);
  free(line);
  return 0;
}
