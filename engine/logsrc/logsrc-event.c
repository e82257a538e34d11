/* logsrc-event.c: the rules of the field scheme every source shares (see
 * logsrc-event.h): endpoints, amounts, request targets, and the text
 * predicates behind them.  Each is one pass over a value, no allocation
 * beyond the caller's scratch.
 */
#include "logsrc-event.h"

#include "ascii.h"

gchar *
logsrc_scratch_alloc(LogsrcScratch *scratch, gsize n)
{
  if (n > scratch->size - scratch->used)
    return NULL;
  gchar *p = scratch->buf + scratch->used;
  scratch->used += n;
  return p;
}

gchar *
logsrc_scratch_rewrite(LogsrcScratch *scratch, LogsrcSpan *v, gchar c)
{
  if (!memchr(v->ptr, c, v->len))
    return NULL;
  gchar *out = logsrc_scratch_alloc(scratch, v->len);
  if (!out)
    v->len = 0;
  return out;
}

/* text predicates */

gboolean
logsrc_span_eq(LogsrcSpan v, const gchar *s)
{
  gsize n = strlen(s);
  return v.len == n && memcmp(v.ptr, s, n) == 0;
}

gboolean
logsrc_span_has_prefix(LogsrcSpan v, const gchar *prefix)
{
  gsize n = strlen(prefix);
  return v.len >= n && memcmp(v.ptr, prefix, n) == 0;
}

/* Linear enough: needles are short words (deposit, withdraw, dial). */
static gboolean
_contains(LogsrcSpan v, const gchar *needle, gboolean fold)
{
  gsize n = strlen(needle);
  for (gsize i = 0; i + n <= v.len; i++)
    {
      gsize j = 0;
      while (j < n && (fold ? di_ascii_lower(v.ptr[i + j]) : v.ptr[i + j]) == needle[j])
        j++;
      if (j == n)
        return TRUE;
    }
  return FALSE;
}

gboolean
logsrc_span_contains(LogsrcSpan v, const gchar *needle)
{
  return _contains(v, needle, FALSE);
}

gboolean
logsrc_span_contains_ci(LogsrcSpan v, const gchar *needle)
{
  return _contains(v, needle, TRUE);
}

static inline gboolean
_is_digit(gchar c)
{
  return c >= '0' && c <= '9';
}

gboolean
logsrc_is_decimal(const gchar *p, gsize len)
{
  gsize i = 0;

  if (i < len && p[i] == '-')
    i++;
  gsize start = i;
  while (i < len && _is_digit(p[i]))
    i++;
  if (i == start)
    return FALSE;
  if (i == len)
    return TRUE;
  if (p[i] != '.')
    return FALSE;
  start = ++i;
  while (i < len && _is_digit(p[i]))
    i++;
  return i > start && i == len;
}

/* 0-255 without leading zeros ("0" itself is fine) */
static gboolean
_is_octet(const gchar *p, gsize len)
{
  if (len == 0 || len > 3 || (len > 1 && p[0] == '0'))
    return FALSE;
  guint v = 0;
  for (gsize i = 0; i < len; i++)
    {
      if (!_is_digit(p[i]))
        return FALSE;
      v = v * 10 + (p[i] - '0');
    }
  return v <= 255;
}

gboolean
logsrc_is_ipv4(const gchar *p, gsize len)
{
  gsize start = 0;
  guint dots = 0;

  for (gsize i = 0; i <= len; i++)
    {
      if (i < len && p[i] != '.')
        continue;
      if (!_is_octet(p + start, i - start))
        return FALSE;
      if (i < len && ++dots > 3)
        return FALSE;
      start = i + 1;
    }
  return dots == 3;
}

/* Hex groups of 1-4 digits between colons: eight of them, or at most seven
 * around one "::" (only addresses Elasticsearch takes for an `ip`). */
gboolean
logsrc_is_ipv6(const gchar *p, gsize len)
{
  guint groups = 0;
  gboolean compressed = FALSE;
  gsize i = 0;

  if (len < 2)
    return FALSE;
  if (p[0] == ':')
    {
      if (p[1] != ':')
        return FALSE;
      compressed = TRUE;
      i = 2;
      if (i == len)
        return TRUE;
    }
  for (;;)
    {
      gsize start = i;
      while (i < len && i - start < 5 && di_hex_digit(p[i]) >= 0)
        i++;
      if (i == start || i - start > 4)
        return FALSE;
      groups++;
      if (i == len)
        break;
      if (p[i] != ':')
        return FALSE;
      i++;
      if (i < len && p[i] == ':')
        {
          if (compressed)
            return FALSE;
          compressed = TRUE;
          i++;
          if (i == len)
            break;
        }
      else if (i == len)
        return FALSE;
    }
  return compressed ? groups <= 7 : groups == 8;
}

/* 1-5 digits */
static gboolean
_is_port(const gchar *p, gsize len)
{
  if (len == 0 || len > 5)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!_is_digit(p[i]))
      return FALSE;
  return TRUE;
}

/* endpoints */

void
logsrc_event_endpoint(LogsrcEvent *ev, LogsrcField side)
{
  if (!logsrc_event_has(ev, side))
    return;

  LogsrcField ip = side + 1, port = side + 2;
  const gchar *p = ev->value[side].ptr;
  gsize len = ev->value[side].len;
  const gchar *colon = memchr(p, ':', len);

  if (colon && p[0] != '[' && logsrc_is_ipv4(p, colon - p))
    {
      /* 203.0.113.5:8333 */
      if (_is_port(colon + 1, len - (colon + 1 - p)))
        {
          logsrc_event_set(ev, ip, p, colon - p);
          logsrc_event_set(ev, port, colon + 1, len - (colon + 1 - p));
        }
      return;
    }
  if (!colon && logsrc_is_ipv4(p, len))
    {
      logsrc_event_set(ev, ip, p, len);
      return;
    }
  if (p[0] == '[')
    {
      /* [2001:db8::1]:8333 */
      const gchar *close = memchr(p, ']', len);
      if (close && close + 1 < p + len && close[1] == ':' && logsrc_is_ipv6(p + 1, close - p - 1)
          && _is_port(close + 2, len - (close + 2 - p)))
        {
          logsrc_event_set(ev, ip, p + 1, close - p - 1);
          logsrc_event_set(ev, port, close + 2, len - (close + 2 - p));
        }
      return;
    }
  if (logsrc_is_ipv6(p, len))
    logsrc_event_set(ev, ip, p, len);
}

/* amounts */

void
logsrc_event_amount(LogsrcEvent *ev, gboolean transfer)
{
  if (logsrc_event_has(ev, LOGSRC_CRYPTO_AMOUNT))
    {
      LogsrcSpan v = ev->value[LOGSRC_CRYPTO_AMOUNT];
      if (logsrc_is_decimal(v.ptr, v.len))
        {
          /* a send is an amount like any other */
          if (v.ptr[0] == '-')
            logsrc_event_set(ev, LOGSRC_CRYPTO_AMOUNT, v.ptr + 1, v.len - 1);
          return;
        }
      logsrc_event_unset(ev, LOGSRC_CRYPTO_AMOUNT);
    }
  if (transfer)
    ev->no_amount = TRUE;
}

/* request targets */

/* %XX decoded into scratch; a '%' that starts no valid escape (or one of a
 * NUL byte) is kept as it is.  Returns the value itself when it has no '%'. */
static LogsrcSpan
_url_decode(LogsrcSpan v, LogsrcScratch *scratch)
{
  gchar *out = logsrc_scratch_rewrite(scratch, &v, '%');
  if (!out)
    return v;
  gsize n = 0;
  for (gsize i = 0; i < v.len; i++)
    {
      if (v.ptr[i] == '%' && i + 2 < v.len)
        {
          gint hi = di_hex_digit(v.ptr[i + 1]);
          gint lo = di_hex_digit(v.ptr[i + 2]);
          if (hi >= 0 && lo >= 0 && (hi | lo))
            {
              out[n++] = (gchar) (hi << 4 | lo);
              i += 2;
              continue;
            }
        }
      out[n++] = v.ptr[i];
    }
  return (LogsrcSpan) { out, n };
}

/* The query keys an exchange API request names, by target; within a target
 * a key listed later wins (the order syslog-ng's SCL renamed them in). */
enum { Q_ADDRESS, Q_AMOUNT, Q_ASSET, Q_CHAIN, Q_TARGETS };

static const struct
{
  const gchar *key;
  guint8 target;
  guint8 rank;
} query_keys[] =
{
  { "address", Q_ADDRESS, 0 },
  { "recipient", Q_ADDRESS, 1 },
  { "destination", Q_ADDRESS, 2 },
  { "to", Q_ADDRESS, 3 },
  { "addr", Q_ADDRESS, 4 },
  { "withdraw_address", Q_ADDRESS, 5 },
  { "withdrawAddress", Q_ADDRESS, 6 },
  { "to_address", Q_ADDRESS, 7 },
  { "toAddress", Q_ADDRESS, 8 },
  { "amount", Q_AMOUNT, 0 },
  { "qty", Q_AMOUNT, 1 },
  { "quantity", Q_AMOUNT, 2 },
  { "coin", Q_ASSET, 0 },
  { "currency", Q_ASSET, 1 },
  { "asset", Q_ASSET, 2 },
  { "network", Q_CHAIN, 0 },
  { "chain", Q_CHAIN, 1 },
};

static gint
_query_key(const gchar *k, gsize len)
{
  for (guint i = 0; i < G_N_ELEMENTS(query_keys); i++)
    if (strlen(query_keys[i].key) == len && memcmp(query_keys[i].key, k, len) == 0)
      return i;
  return -1;
}

static void
_read_query(LogsrcEvent *ev, LogsrcSpan q, LogsrcScratch *scratch)
{
  LogsrcSpan value[Q_TARGETS];
  gint rank[Q_TARGETS] = { -1, -1, -1, -1 };
  const gchar *p = q.ptr, *end = q.ptr + q.len;

  while (p < end)
    {
      const gchar *amp = memchr(p, '&', end - p);
      const gchar *pair_end = amp ? amp : end;
      const gchar *eq = memchr(p, '=', pair_end - p);
      if (eq && eq + 1 < pair_end)
        {
          gint k = _query_key(p, eq - p);
          if (k >= 0 && query_keys[k].rank >= rank[query_keys[k].target])
            {
              rank[query_keys[k].target] = query_keys[k].rank;
              value[query_keys[k].target] = (LogsrcSpan) { eq + 1, pair_end - eq - 1 };
            }
        }
      p = pair_end + 1;
    }

  static const LogsrcField field[Q_TARGETS] =
  { LOGSRC_CRYPTO_COUNTERPARTY, LOGSRC_CRYPTO_AMOUNT, LOGSRC_CRYPTO_ASSET, LOGSRC_CRYPTO_CHAIN };
  for (gint t = 0; t < Q_TARGETS; t++)
    if (rank[t] >= 0)
      logsrc_event_set_span(ev, field[t], _url_decode(value[t], scratch));
  if (rank[Q_AMOUNT] >= 0)
    logsrc_event_amount(ev, FALSE);
}

static gboolean
_all_in(const gchar *p, gsize len, const gchar *set)
{
  for (gsize i = 0; i < len; i++)
    if (!p[i] || !strchr(set, p[i]))
      return FALSE;
  return TRUE;
}

#define BASE58 "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
#define BECH32 "023456789acdefghjklmnpqrstuvwxyz"
#define HEX "0123456789abcdefABCDEF"

/* A path segment that is an address: 0x + 40 hex, bech32 bc1/tb1/ltc1,
 * base58 starting 1, 3, m, n or 2 (25-34 more), Tron's T + 33 base58. */
static gboolean
_is_address_segment(const gchar *p, gsize len)
{
  if (len == 42 && p[0] == '0' && p[1] == 'x')
    return _all_in(p + 2, 40, HEX);
  if (len >= 11 && len <= 90 && (memcmp(p, "bc1", 3) == 0 || memcmp(p, "tb1", 3) == 0))
    return _all_in(p + 3, len - 3, BECH32);
  if (len >= 12 && len <= 91 && memcmp(p, "ltc1", 4) == 0)
    return _all_in(p + 4, len - 4, BECH32);
  if (len >= 26 && len <= 35 && strchr("13mn2", p[0]))
    return _all_in(p + 1, len - 1, BASE58);
  if (len == 34 && p[0] == 'T')
    return _all_in(p + 1, 33, BASE58);
  return FALSE;
}

static void
_read_path(LogsrcEvent *ev, LogsrcSpan path)
{
  const gchar *p = path.ptr, *end = path.ptr + path.len;
  const gchar *slash = memchr(p, '/', end - p);

  while (slash)
    {
      const gchar *seg = slash + 1;
      slash = memchr(seg, '/', end - seg);
      const gchar *seg_end = slash ? slash : end;
      if (seg_end > seg && _is_address_segment(seg, seg_end - seg))
        {
          logsrc_event_set(ev, LOGSRC_CRYPTO_COUNTERPARTY, seg, seg_end - seg);
          return;
        }
    }
}

void
logsrc_event_url(LogsrcEvent *ev, LogsrcScratch *scratch)
{
  if (!logsrc_event_has(ev, LOGSRC_URL_ORIGINAL))
    return;

  LogsrcSpan u = ev->value[LOGSRC_URL_ORIGINAL];
  gsize path_end = 0;
  while (path_end < u.len && u.ptr[path_end] != '?' && u.ptr[path_end] != '#')
    path_end++;
  logsrc_event_set(ev, LOGSRC_URL_PATH, u.ptr, path_end);
  if (path_end < u.len && u.ptr[path_end] == '?')
    {
      const gchar *q = u.ptr + path_end + 1;
      const gchar *hash = memchr(q, '#', u.ptr + u.len - q);
      LogsrcSpan query = { q, (hash ? hash : u.ptr + u.len) - q };
      logsrc_event_set_span(ev, LOGSRC_URL_QUERY, query);
      if (query.len)
        _read_query(ev, query, scratch);
    }
  if (!logsrc_event_has(ev, LOGSRC_CRYPTO_COUNTERPARTY) && logsrc_event_has(ev, LOGSRC_URL_PATH))
    _read_path(ev, ev->value[LOGSRC_URL_PATH]);
}
