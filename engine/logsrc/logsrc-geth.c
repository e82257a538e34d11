/* logsrc-geth.c: go-ethereum (geth) logs, in the three formats of
 * --log.format:
 *
 *   terminal  INFO [03-14|09:12:44.123] Submitted transaction      hash=0x... value=1,500,000
 *             (the level padded to five characters, the message padded to
 *             40, then key=value pairs; numbers with thousands separators)
 *   logfmt    t=2025-03-14T09:12:44+0000 lvl=info msg="Submitted transaction" hash=0x...
 *   json      {"t":"...","lvl":"info","msg":"Submitted transaction","hash":"0x...",...}
 *
 * Read here, by their log calls in the geth source (internal/ethapi,
 * p2p/server.go): "Submitted transaction" and "Submitted contract creation"
 * (hash, from, nonce, recipient or contract, value in wei), and "Adding p2p
 * peer" (peercount, id, conn, addr, name).  Every other line gets
 * service.type and log.level.  A terminal line without a proper
 * [MM-DD|HH:MM:SS.mmm], a transaction without hash or from, a peer without
 * addr are malformed.
 */
#include "logsrc-sources.h"
#include "logsrc-kv.h"

#include "ascii.h"

enum { G_T, G_LVL, G_MSG, G_HASH, G_FROM, G_CONTRACT, G_RECIPIENT, G_VALUE, G_ADDR, G_CONN, G_KEYS };

static const gchar *const geth_keys[G_KEYS] =
{
  "t", "lvl", "msg", "hash", "from", "contract", "recipient", "value", "addr", "conn",
};

void
logsrc_geth_setup(LogsrcGeth *self, LogsrcKeys *json_keys)
{
  if (json_keys)
    logsrc_slots_add(&self->json, json_keys, geth_keys, G_KEYS);
  self->kv_keys = logsrc_keys_new();
  logsrc_slots_add(&self->kv, self->kv_keys, geth_keys, G_KEYS);
}

void
logsrc_geth_clear(LogsrcGeth *self)
{
  logsrc_keys_free(self->kv_keys);
  self->kv_keys = NULL;
}

#define GET(k) logsrc_slot_get(slots, doc, (k))

/* lower case, into scratch only when it has upper case letters */
static LogsrcSpan
_lower(LogsrcSpan v, LogsrcScratch *scratch)
{
  gsize i = 0;
  while (i < v.len && !(v.ptr[i] >= 'A' && v.ptr[i] <= 'Z'))
    i++;
  if (i == v.len)
    return v;
  gchar *out = logsrc_scratch_alloc(scratch, v.len);
  if (!out)
    return (LogsrcSpan) { v.ptr, 0 };
  for (i = 0; i < v.len; i++)
    out[i] = di_ascii_lower(v.ptr[i]);
  return (LogsrcSpan) { out, v.len };
}

/* the thousands separators out, into scratch only when there are some */
static LogsrcSpan
_without_commas(LogsrcSpan v, LogsrcScratch *scratch)
{
  gchar *out = logsrc_scratch_rewrite(scratch, &v, ',');
  if (!out)
    return v;
  gsize n = 0;
  for (gsize i = 0; i < v.len; i++)
    if (v.ptr[i] != ',')
      out[n++] = v.ptr[i];
  return (LogsrcSpan) { out, n };
}

static void
_unparsed(LogsrcEvent *ev)
{
  logsrc_event_unparsed(ev, LOGSRC_GETH);
}

static void
_map(const LogsrcSlots *slots, const LogsrcDoc *doc, LogsrcScratch *scratch, LogsrcEvent *ev)
{
  LogsrcSpan msg = GET(G_MSG);

  logsrc_event_parsed(ev, LOGSRC_GETH);
  logsrc_event_set_str(ev, LOGSRC_SERVICE_TYPE, "geth");
  logsrc_event_set_span(ev, LOGSRC_LOG_LEVEL, _lower(GET(G_LVL), scratch));

  gboolean tx = logsrc_span_eq(msg, "Submitted transaction");
  if (tx || logsrc_span_eq(msg, "Submitted contract creation"))
    {
      if (!logsrc_slot_has(slots, doc, G_HASH) || !logsrc_slot_has(slots, doc, G_FROM))
        return _unparsed(ev);
      logsrc_event_set_str(ev, LOGSRC_EVENT_ACTION, tx ? "submitted-transaction" : "submitted-contract-creation");
      logsrc_event_set_span(ev, LOGSRC_CRYPTO_TXID, GET(G_HASH));
      logsrc_event_set_span(ev, LOGSRC_CRYPTO_ADDRESS, GET(G_FROM));
      logsrc_event_set_span(ev, LOGSRC_CRYPTO_ACCOUNT, GET(G_FROM));
      logsrc_event_set_span(ev, LOGSRC_CRYPTO_COUNTERPARTY, GET(G_CONTRACT));
      if (logsrc_slot_has(slots, doc, G_RECIPIENT))
        logsrc_event_set_span(ev, LOGSRC_CRYPTO_COUNTERPARTY, GET(G_RECIPIENT));
      logsrc_event_set_span(ev, LOGSRC_CRYPTO_AMOUNT, _without_commas(GET(G_VALUE), scratch));
      logsrc_event_amount(ev, TRUE);
    }
  else if (logsrc_span_eq(msg, "Adding p2p peer"))
    {
      if (!logsrc_slot_has(slots, doc, G_ADDR))
        return _unparsed(ev);
      logsrc_event_set_str(ev, LOGSRC_EVENT_ACTION, "peer-added");
      /* dialled peers are where we connect to, inbound ones where from */
      LogsrcField side = logsrc_span_contains(GET(G_CONN), "dial") ? LOGSRC_DESTINATION_ADDRESS : LOGSRC_SOURCE_ADDRESS;
      logsrc_event_set_span(ev, side, GET(G_ADDR));
      logsrc_event_endpoint(ev, side);
    }
}

#undef GET

gboolean
logsrc_geth_is_json(const LogsrcGeth *self, const LogsrcDoc *doc, gboolean with_time)
{
  return logsrc_slot_has(&self->json, doc, G_MSG) && logsrc_slot_has(&self->json, doc, G_LVL)
         && (!with_time || logsrc_slot_has(&self->json, doc, G_T));
}

void
logsrc_geth_map_json(const LogsrcGeth *self, const LogsrcDoc *doc, LogsrcScratch *scratch, LogsrcEvent *ev)
{
  _map(&self->json, doc, scratch, ev);
}

/* the level a terminal line starts with (TRACE DEBUG INFO WARN ERROR CRIT),
 * and where its '[' is; NULL if none */
static const gchar *
_terminal_level(const gchar *line, gsize len, LogsrcSpan *level)
{
  const gchar *word;
  switch (len ? line[0] : 0)
    {
    case 'T': word = "TRACE"; break;
    case 'D': word = "DEBUG"; break;
    case 'I': word = "INFO"; break;
    case 'W': word = "WARN"; break;
    case 'E': word = "ERROR"; break;
    case 'C': word = "CRIT"; break;
    default: return NULL;
    }
  gsize n = strlen(word);
  if (len <= n || memcmp(line, word, n) != 0)
    return NULL;
  const gchar *p = line + n;
  if (*p == ' ' && len > n + 1)
    p++;
  if (*p != '[')
    return NULL;
  *level = (LogsrcSpan) { line, n };
  return p;
}

/* t=[^ ]+ lvl=[a-z]+ and a space */
static gboolean
_is_logfmt(const gchar *line, gsize len)
{
  if (len < 3 || memcmp(line, "t=", 2) != 0)
    return FALSE;
  const gchar *p = line + 2, *end = line + len;
  const gchar *space = memchr(p, ' ', end - p);
  if (!space || space == p || end - space < 6 || memcmp(space, " lvl=", 5) != 0)
    return FALSE;
  p = space + 5;
  const gchar *letters = p;
  while (p < end && *p >= 'a' && *p <= 'z')
    p++;
  return p > letters && p < end && *p == ' ';
}

gboolean
logsrc_geth_is_text(const gchar *line, gsize len)
{
  LogsrcSpan level;
  return _terminal_level(line, len, &level) || _is_logfmt(line, len);
}

static gboolean
_digits(const gchar **p, const gchar *end, guint n)
{
  if ((gsize) (end - *p) < n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!g_ascii_isdigit((*p)[i]))
      return FALSE;
  *p += n;
  return TRUE;
}

static gboolean
_char(const gchar **p, const gchar *end, gchar c)
{
  if (*p >= end || **p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

/* The message and the pairs of a terminal line after its "] ": the message
 * is the shortest text after which come only spaces and key=value pairs
 * (a key: [A-Za-z_][A-Za-z0-9_.-]*), or nothing. */
static void
_split_message(const gchar *p, const gchar *end, LogsrcSpan *msg, LogsrcSpan *pairs)
{
  const gchar *i = p;

  *pairs = (LogsrcSpan) { end, 0 };
  while (i < end)
    {
      if (*i != ' ')
        {
          i++;
          continue;
        }
      /* a run of spaces: is a key= after it? */
      const gchar *k = i;
      while (k < end && *k == ' ')
        k++;
      const gchar *key = k;
      if (k < end && (g_ascii_isalpha(*k) || *k == '_'))
        {
          k++;
          while (k < end && logsrc_kv_is_key_char(*k))
            k++;
          if (k < end && *k == '=')
            {
              *msg = (LogsrcSpan) { p, i - p };
              *pairs = (LogsrcSpan) { key, end - key };
              return;
            }
        }
      i = k > i ? k : i + 1;
    }
  *msg = (LogsrcSpan) { p, end - p };
}

void
logsrc_geth_read_text(const LogsrcGeth *self, const gchar *line, gsize len, LogsrcScratch *scratch,
                      LogsrcEvent *ev)
{
  LogsrcDoc doc;
  const gchar *end = line + len;

  logsrc_doc_reset(&doc);
  if (_is_logfmt(line, len))
    {
      logsrc_kv_fill(self->kv_keys, line, len, scratch, &doc);
      _map(&self->kv, &doc, scratch, ev);
      return;
    }

  LogsrcSpan level, msg, pairs;
  const gchar *p = _terminal_level(line, len, &level);
  if (!p || !_char(&p, end, '[') || !_digits(&p, end, 2) || !_char(&p, end, '-') || !_digits(&p, end, 2)
      || !_char(&p, end, '|') || !_digits(&p, end, 2) || !_char(&p, end, ':') || !_digits(&p, end, 2)
      || !_char(&p, end, ':') || !_digits(&p, end, 2))
    return _unparsed(ev);
  if (p < end && *p == '.' && !(p++, _digits(&p, end, 3)))
    return _unparsed(ev);
  if (!_char(&p, end, ']') || !_char(&p, end, ' '))
    return _unparsed(ev);

  _split_message(p, end, &msg, &pairs);
  logsrc_doc_keep(&doc, self->kv.slot[G_LVL], level.ptr, level.len, LOGSRC_VALUE_STRING);
  logsrc_doc_keep(&doc, self->kv.slot[G_MSG], msg.ptr, msg.len, LOGSRC_VALUE_STRING);
  if (pairs.len)
    logsrc_kv_fill(self->kv_keys, pairs.ptr, pairs.len, scratch, &doc);
  _map(&self->kv, &doc, scratch, ev);
}
