/* logsrc-reader.c: the LogsrcReader (see logsrc-reader.h): the sources put
 * together, and which reader a line goes to.
 *
 * `auto` decides on a line's first bytes, in the order of
 * docs/log-sources.md:
 *
 *   `{` (after whitespace)     JSON, scanned once with the keys of every JSON
 *                              source, then told apart by the keys it has:
 *                              CloudTrail, Fireblocks, BitGo, geth, nginx
 *                              JSON, exchange event (other objects are left
 *                              alone; broken JSON is malformed, blamed on
 *                              the source whose key it names)
 *   [vhost:port ]client ident user [time] "    combined/common access log
 *   2025-03-14T09:12:44Z       Bitcoin Core debug.log
 *   INFO [ / t=... lvl=...     geth terminal / logfmt
 *   key=... event=|action=|op= hot-wallet and signing services
 *
 * A line that starts like none of them costs those few byte comparisons
 * (the key=value check may look for an '=' along the line).
 */
#include "logsrc-reader.h"
#include "logsrc-sources.h"
#include "logsrc-json.h"
#include "logsrc-kv.h"

struct _LogsrcReader
{
  LogsrcSource source;
  LogsrcKeys *json_keys;        /* NULL when the source reads no JSON */
  LogsrcExchange exchange;
  LogsrcSlots cloudtrail, fireblocks, bitgo, accesslog;
  LogsrcGeth geth;
  LogsrcWallet wallet;
};

gsize
logsrc_scratch_size(gsize line_len)
{
  /* every decoded value is at most as long as its text, and a text is
   * decoded at most three times over (columns or JSON or quotes; the request
   * line's parts; %XX or the separators of a number); plus "transfer." */
  return 4 * line_len + 16;
}

LogsrcReader *
logsrc_reader_new(LogsrcSource source, const gchar *const *keys)
{
  LogsrcReader *self = g_new0(LogsrcReader, 1);
  gboolean all = source == LOGSRC_AUTO;

  self->source = source;
  if (all || source == LOGSRC_EXCHANGE || source == LOGSRC_ACCESSLOG || source == LOGSRC_CLOUDTRAIL
      || source == LOGSRC_FIREBLOCKS || source == LOGSRC_BITGO || source == LOGSRC_GETH)
    self->json_keys = logsrc_keys_new();
  if (all || source == LOGSRC_CLOUDTRAIL)
    logsrc_cloudtrail_setup(&self->cloudtrail, self->json_keys);
  if (all || source == LOGSRC_FIREBLOCKS)
    logsrc_fireblocks_setup(&self->fireblocks, self->json_keys);
  if (all || source == LOGSRC_BITGO)
    logsrc_bitgo_setup(&self->bitgo, self->json_keys);
  if (all || source == LOGSRC_GETH)
    logsrc_geth_setup(&self->geth, self->json_keys);
  if (all || source == LOGSRC_ACCESSLOG)
    logsrc_accesslog_setup(&self->accesslog, self->json_keys);
  if (all || source == LOGSRC_EXCHANGE)
    logsrc_exchange_setup(&self->exchange, self->json_keys, keys);
  if (all || source == LOGSRC_WALLET)
    logsrc_wallet_setup(&self->wallet);
  return self;
}

void
logsrc_reader_free(LogsrcReader *self)
{
  if (!self)
    return;
  logsrc_exchange_clear(&self->exchange);
  logsrc_program_clear(&self->cloudtrail.program);
  logsrc_geth_clear(&self->geth);
  logsrc_wallet_clear(&self->wallet);
  logsrc_keys_free(self->json_keys);
  g_free(self);
}

LogsrcSource
logsrc_reader_source(const LogsrcReader *self)
{
  return self->source;
}

/* reading */

static gboolean
_starts_json(const gchar *line, gsize len)
{
  gsize i = 0;
  while (i < len && (line[i] == ' ' || (line[i] >= '\t' && line[i] <= '\r')))
    i++;
  return i < len && line[i] == '{';
}

/* One of the four JSON-only sources alone: anything that is not its object
 * is malformed, as it was when json-parser() and a filter failed. */
static void
_read_json_source(const LogsrcReader *self, const gchar *line, gsize len, LogsrcScratch *scratch, LogsrcEvent *ev)
{
  LogsrcDoc doc;

  if (logsrc_json_scan(self->json_keys, line, len, scratch, &doc) != LOGSRC_JSON_OBJECT)
    goto unparsed;
  switch (self->source)
    {
    case LOGSRC_EXCHANGE:
      if (!logsrc_exchange_is_event(&self->exchange, &doc))
        goto unparsed;
      logsrc_exchange_map(&self->exchange, &doc, ev);
      return;
    case LOGSRC_CLOUDTRAIL:
      if (!logsrc_cloudtrail_is_record(&self->cloudtrail, &doc))
        goto unparsed;
      logsrc_cloudtrail_map(&self->cloudtrail, &doc, ev);
      return;
    case LOGSRC_FIREBLOCKS:
      if (!logsrc_fireblocks_is_notification(&self->fireblocks, &doc))
        goto unparsed;
      logsrc_fireblocks_map(&self->fireblocks, &doc, ev);
      return;
    case LOGSRC_BITGO:
      if (!logsrc_bitgo_is_bitgo(&self->bitgo, &doc))
        goto unparsed;
      logsrc_bitgo_map(&self->bitgo, &doc, scratch, ev);
      return;
    default:
      g_assert_not_reached();
    }
unparsed:
  logsrc_event_unparsed(ev, self->source);
}

static void
_read_accesslog(const LogsrcReader *self, const gchar *line, gsize len, LogsrcScratch *scratch, LogsrcEvent *ev)
{
  if (_starts_json(line, len))
    {
      LogsrcDoc doc;
      if (logsrc_json_scan(self->json_keys, line, len, scratch, &doc) != LOGSRC_JSON_OBJECT)
        logsrc_event_unparsed(ev, LOGSRC_ACCESSLOG);
      else
        logsrc_accesslog_map_json(&self->accesslog, &doc, scratch, ev);
    }
  else if (logsrc_accesslog_is_combined(line, len))
    logsrc_accesslog_read_combined(line, len, scratch, ev);
  else
    logsrc_event_unparsed(ev, LOGSRC_ACCESSLOG);
}

static void
_read_geth(const LogsrcReader *self, const gchar *line, gsize len, LogsrcScratch *scratch, LogsrcEvent *ev)
{
  if (_starts_json(line, len))
    {
      LogsrcDoc doc;
      if (logsrc_json_scan(self->json_keys, line, len, scratch, &doc) == LOGSRC_JSON_OBJECT
          && logsrc_geth_is_json(&self->geth, &doc, FALSE))
        logsrc_geth_map_json(&self->geth, &doc, scratch, ev);
      else
        logsrc_event_unparsed(ev, LOGSRC_GETH);
    }
  else
    logsrc_geth_read_text(&self->geth, line, len, scratch, ev);
}

/* contains "<key>" followed by optional spaces and a colon */
static gboolean
_names_key(const gchar *line, gsize len, const gchar *quoted_key)
{
  LogsrcSpan rest = { line, len };
  gsize n = strlen(quoted_key);

  for (;;)
    {
      const gchar *hit = NULL;
      for (gsize i = 0; i + n <= rest.len; i++)
        if (rest.ptr[i] == '"' && memcmp(rest.ptr + i, quoted_key, n) == 0)
          {
            hit = rest.ptr + i;
            break;
          }
      if (!hit)
        return FALSE;
      const gchar *p = hit + n, *end = line + len;
      while (p < end && *p == ' ')
        p++;
      if (p < end && *p == ':')
        return TRUE;
      rest = (LogsrcSpan) { hit + 1, end - hit - 1 };
    }
}

/* "wallet" : "<32 lower-case hex digits> */
static gboolean
_names_bitgo_wallet(const gchar *line, gsize len)
{
  const gchar *end = line + len;
  for (const gchar *p = line; (p = memchr(p, '"', end - p)); p++)
    {
      if (end - p < 8 || memcmp(p, "\"wallet\"", 8) != 0)
        continue;
      const gchar *q = p + 8;
      while (q < end && *q == ' ')
        q++;
      if (q >= end || *q++ != ':')
        continue;
      while (q < end && *q == ' ')
        q++;
      if (end - q < 33 || *q++ != '"')
        continue;
      gsize i = 0;
      while (i < 32 && ((q[i] >= '0' && q[i] <= '9') || (q[i] >= 'a' && q[i] <= 'f')))
        i++;
      if (i == 32)
        return TRUE;
    }
  return FALSE;
}

/* Broken JSON: the source whose key it names gets the blame, else the
 * exchange (whose events have no key of their own). */
static LogsrcSource
_guess_json_source(const gchar *line, gsize len)
{
  LogsrcSpan all = { line, len };

  if (logsrc_span_contains(all, "\"eventVersion\""))
    return LOGSRC_CLOUDTRAIL;
  if (logsrc_span_contains(all, "\"tenantId\"") || logsrc_span_contains(all, "\"workspaceId\""))
    return LOGSRC_FIREBLOCKS;
  if (_names_bitgo_wallet(line, len))
    return LOGSRC_BITGO;
  if (_names_key(line, len, "\"lvl\""))
    return LOGSRC_GETH;
  if (_names_key(line, len, "\"remote_addr\""))
    return LOGSRC_ACCESSLOG;
  return LOGSRC_EXCHANGE;
}

static void
_read_auto_json(const LogsrcReader *self, const gchar *line, gsize len, LogsrcScratch *scratch, LogsrcEvent *ev)
{
  LogsrcDoc doc;

  switch (logsrc_json_scan(self->json_keys, line, len, scratch, &doc))
    {
    case LOGSRC_JSON_MALFORMED:
      logsrc_event_unparsed(ev, _guess_json_source(line, len));
      return;
    case LOGSRC_JSON_NOT_OBJECT:
      return;
    case LOGSRC_JSON_OBJECT:
      break;
    }
  if (logsrc_cloudtrail_is_record(&self->cloudtrail, &doc))
    logsrc_cloudtrail_map(&self->cloudtrail, &doc, ev);
  else if (logsrc_fireblocks_is_notification(&self->fireblocks, &doc))
    logsrc_fireblocks_map(&self->fireblocks, &doc, ev);
  else if (logsrc_bitgo_is_bitgo(&self->bitgo, &doc))
    logsrc_bitgo_map(&self->bitgo, &doc, scratch, ev);
  else if (logsrc_geth_is_json(&self->geth, &doc, TRUE))
    logsrc_geth_map_json(&self->geth, &doc, scratch, ev);
  else if (logsrc_accesslog_is_json(&self->accesslog, &doc))
    logsrc_accesslog_map_json(&self->accesslog, &doc, scratch, ev);
  else if (logsrc_exchange_is_event(&self->exchange, &doc))
    logsrc_exchange_map(&self->exchange, &doc, ev);
}

/* Which text readers a line may be for is told by its first token (a run
 * of [A-Za-z0-9._-]) and the byte after it: a vhost, an IPv6 client or a
 * debug.log time ends at ':'; a client or a geth level at ' ' (or '[');
 * a key at '='.  Each reader's own check then decides. */
static void
_read_auto_text(const LogsrcReader *self, const gchar *line, gsize len, LogsrcScratch *scratch, LogsrcEvent *ev)
{
  gsize i = 0;
  while (i < len && logsrc_kv_is_key_char(line[i]))
    i++;
  switch (i < len ? line[i] : 0)
    {
    case ':':
      if (logsrc_accesslog_is_combined(line, len))
        logsrc_accesslog_read_combined(line, len, scratch, ev);
      else if (logsrc_bitcoind_is_line(line, len))
        logsrc_bitcoind_read(line, len, scratch, ev);
      break;
    case ' ':
    case '[':
      if (logsrc_accesslog_is_combined(line, len))
        logsrc_accesslog_read_combined(line, len, scratch, ev);
      else if (logsrc_geth_is_text(line, len))
        logsrc_geth_read_text(&self->geth, line, len, scratch, ev);
      break;
    case '=':
      if (logsrc_geth_is_text(line, len))
        logsrc_geth_read_text(&self->geth, line, len, scratch, ev);
      else if (logsrc_wallet_is_event_line(line, len))
        logsrc_wallet_read(&self->wallet, line, len, scratch, ev);
      break;
    default:
      break;
    }
}

static void
_read_auto(const LogsrcReader *self, const gchar *line, gsize len, LogsrcScratch *scratch, LogsrcEvent *ev)
{
  if (!len)
    return;
  gchar c = line[0];
  if (c == '{' || c == ' ' || (c >= '\t' && c <= '\r'))
    {
      if (_starts_json(line, len))
        _read_auto_json(self, line, len, scratch, ev);
      return;
    }
  _read_auto_text(self, line, len, scratch, ev);
}

void
logsrc_reader_read(const LogsrcReader *self, const gchar *line, gsize len, LogsrcScratch *scratch, LogsrcEvent *ev)
{
  logsrc_event_reset(ev, self->source);
  scratch->used = 0;
  switch (self->source)
    {
    case LOGSRC_EXCHANGE:
    case LOGSRC_CLOUDTRAIL:
    case LOGSRC_FIREBLOCKS:
    case LOGSRC_BITGO:
      _read_json_source(self, line, len, scratch, ev);
      break;
    case LOGSRC_ACCESSLOG:
      _read_accesslog(self, line, len, scratch, ev);
      break;
    case LOGSRC_BITCOIND:
      logsrc_bitcoind_read(line, len, scratch, ev);
      break;
    case LOGSRC_GETH:
      _read_geth(self, line, len, scratch, ev);
      break;
    case LOGSRC_WALLET:
      logsrc_wallet_read(&self->wallet, line, len, scratch, ev);
      break;
    case LOGSRC_AUTO:
      _read_auto(self, line, len, scratch, ev);
      break;
    default:
      break;
    }
}
