/* logsrc-bitcoind.c: Bitcoin Core debug.log.
 *
 * A line is an ISO 8601 UTC timestamp (-logtimestamps; .ffffffZ with
 * -logtimemicros), an optional " (mocktime: ...)", the optional bracketed
 * prefixes [thread] (-logthreadnames), [file:line] [func]
 * (-logsourcelocations), [category] / [category:level] / [warning] (v28+)
 * and for wallet messages [wallet name], then the message.  Peer addresses
 * are there with -logips.  The messages read, by their format strings in
 * the Bitcoin Core source:
 *
 *   net_processing.cpp  New %s %s peer connected: version: %d, blocks=%d, peer=%d%s%s
 *                       (and the older New outbound peer connected: ... (%s))
 *   net.cpp             connection from %s accepted
 *                       Added connection to %s peer=%d
 *   httpserver.cpp      Received a %s request for %s from %s
 *   httprpc.cpp         ThreadRPCServer incorrect password attempt from %s
 *   rpc/request.cpp     ThreadRPCServer method=%s user=%s [peeraddr=%s]
 *   wallet/wallet.cpp   AddToWallet %s  %s%s %s
 *                       Submitting wtx %s to mempool for relay
 *
 * Every other debug.log line gets service.type and nothing else; one that
 * starts like one of these messages but does not match its format is
 * malformed.  Each format is matched by hand, in one pass, as the anchored
 * regular expressions of the former SCL parser matched it.
 */
#include "logsrc-sources.h"

typedef struct
{
  const gchar *p, *end;
} Cursor;

static gboolean
_lit(Cursor *c, const gchar *s)
{
  gsize n = strlen(s);
  if ((gsize) (c->end - c->p) < n || memcmp(c->p, s, n) != 0)
    return FALSE;
  c->p += n;
  return TRUE;
}

static gboolean
_at(const Cursor *c, const gchar *s)
{
  gsize n = strlen(s);
  return (gsize) (c->end - c->p) >= n && memcmp(c->p, s, n) == 0;
}

/* the run of a character class at the cursor (maybe empty) */
static LogsrcSpan
_run(Cursor *c, gboolean (*in)(gchar))
{
  const gchar *s = c->p;
  while (c->p < c->end && in(*c->p))
    c->p++;
  return (LogsrcSpan) { s, c->p - s };
}

/* An optional "<lead><run of in>" (the run not empty): taken and its run
 * returned when it is there, else nothing taken and an empty span. */
static LogsrcSpan
_optional(Cursor *c, const gchar *lead, gboolean (*in)(gchar))
{
  Cursor t = *c;
  LogsrcSpan v;
  if (_lit(&t, lead) && (v = _run(&t, in)).len)
    {
      *c = t;
      return v;
    }
  return (LogsrcSpan) { "", 0 };
}

static gboolean _digit(gchar ch) { return ch >= '0' && ch <= '9'; }
static gboolean _lower_or_dash(gchar ch) { return (ch >= 'a' && ch <= 'z') || ch == '-'; }
static gboolean _upper(gchar ch) { return ch >= 'A' && ch <= 'Z'; }
static gboolean _hex_lower(gchar ch) { return _digit(ch) || (ch >= 'a' && ch <= 'f'); }
static gboolean _not_space_comma(gchar ch) { return ch != ' ' && ch != ','; }
static gboolean _not_space(gchar ch) { return ch != ' '; }
/* PCRE's \S */
static gboolean _not_whitespace(gchar ch) { return !(ch == ' ' || (ch >= '\t' && ch <= '\r')); }

static gboolean
_end(const Cursor *c)
{
  return c->p == c->end;
}

/* the timestamp */

static gboolean
_fixed_digits(const gchar *p, guint n)
{
  for (guint i = 0; i < n; i++)
    if (!_digit(p[i]))
      return FALSE;
  return TRUE;
}

static gboolean
_time_chars(const gchar *p, guint n)
{
  for (guint i = 0; i < n; i++)
    if (!_digit(p[i]) && p[i] != ':')
      return FALSE;
  return TRUE;
}

/* YYYY-MM-DDTHH:MM:SS[.ffffff]Z; returns the length, 0 when it is not one.
 * Not strict, the time is any 8 of [0-9:] (as the former SCL parser's regex
 * had it); strict, HH:MM:SS (as its trial for dprk-intel-enrich() had it). */
static gsize
_timestamp(const gchar *p, gsize len, gboolean strict)
{
  if (len < 20 || !_fixed_digits(p, 4) || p[4] != '-' || !_fixed_digits(p + 5, 2) || p[7] != '-'
      || !_fixed_digits(p + 8, 2) || p[10] != 'T' || !_time_chars(p + 11, 8))
    return 0;
  if (strict && !(_fixed_digits(p + 11, 2) && p[13] == ':' && _fixed_digits(p + 14, 2) && p[16] == ':'
                  && _fixed_digits(p + 17, 2)))
    return 0;
  if (p[19] == 'Z')
    return 20;
  if (len >= 27 && p[19] == '.' && _fixed_digits(p + 20, 6) && p[26] == 'Z')
    return 27;
  return 0;
}

gboolean
logsrc_bitcoind_is_line(const gchar *line, gsize len)
{
  gsize n = _timestamp(line, len, TRUE);
  return n && n < len && line[n] == ' ';
}

/* the messages */

typedef enum
{
  M_NONE, M_PEER, M_HTTP, M_AUTH_FAILURE, M_RPC, M_ACCEPTED, M_ADDED, M_ADD_TO_WALLET, M_SUBMITTING,
} Message;

typedef struct
{
  Message kind;
  LogsrcSpan conn, addr, method, uri, user, txid;
} Parsed;

/* Does msg start like one of the messages?  (Then it must match one.) */
static gboolean
_looks_known(LogsrcSpan msg)
{
  Cursor c = { msg.ptr, msg.ptr + msg.len };

  if (_lit(&c, "New "))
    {
      if (!_run(&c, _lower_or_dash).len || !_lit(&c, " "))
        return FALSE;
      if (_at(&c, "peer connected"))
        return TRUE;
      return _run(&c, _not_whitespace).len && _lit(&c, " ") && _at(&c, "peer connected");
    }
  if (_lit(&c, "Received a "))
    return _run(&c, _upper).len && _at(&c, " request");
  return _at(&c, "ThreadRPCServer ") || _at(&c, "connection from ") || _at(&c, "Added connection")
         || _at(&c, "AddToWallet ") || _at(&c, "Submitting wtx ");
}

/* New <conn>[ v1|v2|detecting] peer connected: version: N, blocks=N, peer=N[,? peeraddr=A][, mapped_as=N][ (x)] */
static gboolean
_peer_connected(Cursor c, Parsed *m)
{
  if (!_lit(&c, "New ") || !(m->conn = _run(&c, _lower_or_dash)).len)
    return FALSE;
  Cursor t = c;
  if ((_lit(&t, " v1") || _lit(&t, " v2") || _lit(&t, " detecting")) && _at(&t, " peer connected: "))
    c = t;
  if (!_lit(&c, " peer connected: version: ") || !_run(&c, _digit).len || !_lit(&c, ", blocks="))
    return FALSE;
  _lit(&c, "-");
  if (!_run(&c, _digit).len || !_lit(&c, ", peer=") || !_run(&c, _digit).len)
    return FALSE;
  m->addr = _optional(&c, ", peeraddr=", _not_space_comma);
  if (!m->addr.len)
    m->addr = _optional(&c, " peeraddr=", _not_space_comma);
  _optional(&c, ", mapped_as=", _digit);
  /* the end must follow: a " (x" taken without its ")" fails as leaving it would */
  if (_optional(&c, " (", _lower_or_dash).len && !_lit(&c, ")"))
    return FALSE;
  m->kind = M_PEER;
  return _end(&c);
}

/* Received a <METHOD> request for <uri> from <addr>[ (id=N)] */
static gboolean
_http_request(Cursor c, Parsed *m)
{
  if (!_lit(&c, "Received a ") || !(m->method = _run(&c, _upper)).len || !_lit(&c, " request for "))
    return FALSE;
  m->uri = _run(&c, _not_whitespace);
  if (!_lit(&c, " from ") || !(m->addr = _run(&c, _not_space)).len)
    return FALSE;
  if (_optional(&c, " (id=", _digit).len && !_lit(&c, ")"))
    return FALSE;
  m->kind = M_HTTP;
  return _end(&c);
}

static gboolean
_rpc(Cursor c, Parsed *m)
{
  if (_lit(&c, "ThreadRPCServer incorrect password attempt from "))
    {
      m->kind = M_AUTH_FAILURE;
      return (m->addr = _run(&c, _not_whitespace)).len && _end(&c);
    }
  if (!_lit(&c, "ThreadRPCServer method=") || !(m->method = _run(&c, _not_whitespace)).len
      || !_lit(&c, " user="))
    return FALSE;
  m->user = _run(&c, _not_whitespace);
  m->addr = _optional(&c, " peeraddr=", _not_whitespace);
  m->kind = M_RPC;
  return _end(&c);
}

static gboolean
_connection(Cursor c, Parsed *m)
{
  if (_lit(&c, "connection from "))
    {
      m->kind = M_ACCEPTED;
      return (m->addr = _run(&c, _not_whitespace)).len && _lit(&c, " accepted") && _end(&c);
    }
  if (!_lit(&c, "Added connection"))
    return FALSE;
  /* taking " to X" where " peer=" does not follow fails as leaving it would */
  m->addr = _optional(&c, " to ", _not_whitespace);
  m->kind = M_ADDED;
  return _lit(&c, " peer=") && _run(&c, _digit).len && _end(&c);
}

static gboolean
_txid(Cursor *c, LogsrcSpan *txid)
{
  const gchar *s = c->p;
  LogsrcSpan hex = _run(c, _hex_lower);
  *txid = (LogsrcSpan) { s, 64 };
  return hex.len == 64;
}

static gboolean
_wallet(Cursor c, Parsed *m)
{
  if (_lit(&c, "AddToWallet "))
    {
      m->kind = M_ADD_TO_WALLET;
      return _txid(&c, &m->txid) && _lit(&c, " ");
    }
  m->kind = M_SUBMITTING;
  return _lit(&c, "Submitting wtx ") && _txid(&c, &m->txid) && _lit(&c, " to mempool for relay") && _end(&c);
}

static gboolean
_parse_message(LogsrcSpan msg, Parsed *m)
{
  Cursor c = { msg.ptr, msg.ptr + msg.len };

  memset(m, 0, sizeof(*m));
  switch (msg.ptr[0])
    {
    case 'N': return _peer_connected(c, m);
    case 'R': return _http_request(c, m);
    case 'T': return _rpc(c, m);
    case 'c':
    case 'A':
      if (_at(&c, "AddToWallet "))
        return _wallet(c, m);
      return _connection(c, m);
    case 'S': return _wallet(c, m);
    default: return FALSE;
    }
}

static void
_map(const Parsed *m, LogsrcSpan wallet, LogsrcScratch *scratch, LogsrcEvent *ev)
{
  switch (m->kind)
    {
    case M_PEER:
      logsrc_event_set_str(ev, LOGSRC_EVENT_ACTION, "peer-connected");
      logsrc_event_set_span(ev, logsrc_span_eq(m->conn, "inbound") ? LOGSRC_SOURCE_ADDRESS : LOGSRC_DESTINATION_ADDRESS,
                            m->addr);
      break;
    case M_HTTP:
      logsrc_event_set_str(ev, LOGSRC_EVENT_ACTION, "http-request");
      logsrc_event_set_span(ev, LOGSRC_SOURCE_ADDRESS, m->addr);
      logsrc_event_set_span(ev, LOGSRC_HTTP_METHOD, m->method);
      logsrc_event_set_span(ev, LOGSRC_URL_ORIGINAL, m->uri);
      logsrc_event_url(ev, scratch);
      break;
    case M_AUTH_FAILURE:
      logsrc_event_set_str(ev, LOGSRC_EVENT_ACTION, "rpc-auth-failure");
      logsrc_event_set_str(ev, LOGSRC_EVENT_OUTCOME, "failure");
      logsrc_event_set_span(ev, LOGSRC_SOURCE_ADDRESS, m->addr);
      break;
    case M_RPC:
      logsrc_event_set_span(ev, LOGSRC_EVENT_ACTION, m->method);
      logsrc_event_set_span(ev, LOGSRC_SOURCE_ADDRESS, m->addr);
      logsrc_event_set_span(ev, LOGSRC_USER_NAME, m->user);
      logsrc_event_copy(ev, LOGSRC_CRYPTO_ACCOUNT, LOGSRC_USER_NAME);
      break;
    case M_ACCEPTED:
      logsrc_event_set_str(ev, LOGSRC_EVENT_ACTION, "connection-accepted");
      logsrc_event_set_span(ev, LOGSRC_SOURCE_ADDRESS, m->addr);
      break;
    case M_ADDED:
      logsrc_event_set_str(ev, LOGSRC_EVENT_ACTION, "connection-added");
      logsrc_event_set_span(ev, LOGSRC_SOURCE_ADDRESS, m->addr);
      break;
    case M_ADD_TO_WALLET:
    case M_SUBMITTING:
      logsrc_event_set_str(ev, LOGSRC_EVENT_ACTION, m->kind == M_ADD_TO_WALLET ? "wallet-transaction" : "wallet-relay");
      logsrc_event_set_str(ev, LOGSRC_CRYPTO_CHAIN, "bitcoin");
      logsrc_event_set_span(ev, LOGSRC_CRYPTO_TXID, m->txid);
      /* WalletLogPrintf: the wallet's name is the last bracketed prefix */
      logsrc_event_set_span(ev, LOGSRC_CRYPTO_WALLET_ID, wallet);
      logsrc_event_copy(ev, LOGSRC_CRYPTO_ACCOUNT, LOGSRC_CRYPTO_WALLET_ID);
      break;
    case M_NONE:
      break;
    }
  logsrc_event_endpoint(ev, LOGSRC_SOURCE_ADDRESS);
  logsrc_event_endpoint(ev, LOGSRC_DESTINATION_ADDRESS);
}

void
logsrc_bitcoind_read(const gchar *line, gsize len, LogsrcScratch *scratch, LogsrcEvent *ev)
{
  gsize n = _timestamp(line, len, FALSE);
  if (!n)
    return;
  Cursor c = { line + n, line + len };

  Cursor t = c;
  if (_lit(&t, " (mocktime: "))
    {
      const gchar *close = memchr(t.p, ')', t.end - t.p);
      if (close && close + 1 < t.end && close[1] == ' ')
        c.p = close + 1;
    }
  if (!_lit(&c, " "))
    return;

  /* [prefix] [prefix] ... */
  LogsrcSpan last = { "", 0 };
  while (c.p < c.end && *c.p == '[')
    {
      const gchar *close = memchr(c.p, ']', c.end - c.p);
      if (!close || close + 1 >= c.end || close[1] != ' ')
        break;
      last = (LogsrcSpan) { c.p + 1, close - c.p - 1 };
      c.p = close + 2;
    }
  LogsrcSpan msg = { c.p, c.end - c.p };

  Parsed m = { .kind = M_NONE };
  if (msg.len && _looks_known(msg) && !_parse_message(msg, &m))
    {
      logsrc_event_unparsed(ev, LOGSRC_BITCOIND);
      return;
    }
  logsrc_event_parsed(ev, LOGSRC_BITCOIND);
  logsrc_event_set_str(ev, LOGSRC_SERVICE_TYPE, "bitcoind");
  _map(&m, last, scratch, ev);
}
