/* logsrc-accesslog.c: HTTP access logs of exchange APIs.
 *
 *  - nginx/Apache `combined` and `common` lines, with or without Apache's
 *    vhost_combined "host:port " in front, read the way syslog-ng's
 *    apache-accesslog-parser() reads them: space-separated columns, "..." and
 *    [...] quoted (a doubled quote inside is one), the request split into
 *    method, target and protocol, and the time (%d/%b/%Y:%H:%M:%S %z) parsed:
 *    a line whose time does not parse is malformed, as it was there;
 *  - nginx JSON access logs (log_format ... escape=json) whose keys are the
 *    nginx variable names.
 *
 * Either is malformed without a three-digit status (1xx-5xx) or a request
 * target (a truncated line, nginx's "-" 400 for a connection that sent no
 * request).  Addresses, amounts and assets in the target's query or path
 * become crypto.* fields (logsrc_event_url()).
 */
#include "logsrc-sources.h"

#include "ascii.h"

/* what either format gives, before the scheme's rules */
typedef struct
{
  LogsrcSpan client, user, method, target, version, status, bytes, referrer, agent, domain;
} Access;

static gboolean
_is_status(LogsrcSpan v)
{
  return v.len == 3 && v.ptr[0] >= '1' && v.ptr[0] <= '5' && g_ascii_isdigit(v.ptr[1]) && g_ascii_isdigit(v.ptr[2]);
}

static gboolean
_all_digits(LogsrcSpan v)
{
  if (!v.len)
    return FALSE;
  for (gsize i = 0; i < v.len; i++)
    if (!g_ascii_isdigit(v.ptr[i]))
      return FALSE;
  return TRUE;
}

/* "-" means none */
static void
_set_unless_dash(LogsrcEvent *ev, LogsrcField f, LogsrcSpan v)
{
  if (!(v.len == 1 && v.ptr[0] == '-'))
    logsrc_event_set_span(ev, f, v);
}

static void
_finish(const Access *a, LogsrcScratch *scratch, LogsrcEvent *ev)
{
  logsrc_event_parsed(ev, LOGSRC_ACCESSLOG);
  logsrc_event_set_str(ev, LOGSRC_SERVICE_TYPE, "accesslog");
  logsrc_event_set_span(ev, LOGSRC_SOURCE_ADDRESS, a->client);
  _set_unless_dash(ev, LOGSRC_USER_NAME, a->user);
  logsrc_event_set_span(ev, LOGSRC_HTTP_METHOD, a->method);
  logsrc_event_set_span(ev, LOGSRC_URL_ORIGINAL, a->target);
  LogsrcSpan version = a->version;
  if (logsrc_span_has_prefix(version, "HTTP/"))
    version = (LogsrcSpan) { version.ptr + 5, version.len - 5 };
  logsrc_event_set_span(ev, LOGSRC_HTTP_VERSION, version);
  logsrc_event_set_span(ev, LOGSRC_HTTP_STATUS, a->status);
  if (_all_digits(a->bytes))
    logsrc_event_set_span(ev, LOGSRC_HTTP_BYTES, a->bytes);
  _set_unless_dash(ev, LOGSRC_HTTP_REFERRER, a->referrer);
  _set_unless_dash(ev, LOGSRC_USER_AGENT, a->agent);
  logsrc_event_set_span(ev, LOGSRC_URL_DOMAIN, a->domain);
  logsrc_event_copy(ev, LOGSRC_CRYPTO_ACCOUNT, LOGSRC_USER_NAME);
  logsrc_event_endpoint(ev, LOGSRC_SOURCE_ADDRESS);
  logsrc_event_url(ev, scratch);
}

/* nginx JSON */

enum
{
  AL_REMOTE_ADDR, AL_REMOTE_USER, AL_REQUEST, AL_REQUEST_METHOD, AL_REQUEST_URI, AL_SERVER_PROTOCOL,
  AL_HTTP_VERSION, AL_STATUS, AL_BYTES, AL_REFERER, AL_USER_AGENT, AL_SERVER_NAME, AL_HOST,
  AL_KEYS
};

static const gchar *const al_keys[AL_KEYS] =
{
  "remote_addr", "remote_user", "request", "request_method", "request_uri", "server_protocol",
  "http_version", "status", "body_bytes_sent", "http_referer", "http_user_agent", "server_name", "host",
};

void
logsrc_accesslog_setup(LogsrcSlots *self, LogsrcKeys *keys)
{
  logsrc_slots_add(self, keys, al_keys, AL_KEYS);
}

gboolean
logsrc_accesslog_is_json(const LogsrcSlots *self, const LogsrcDoc *doc)
{
  return logsrc_slot_has(self, doc, AL_REMOTE_ADDR) && logsrc_slot_has(self, doc, AL_STATUS);
}

/* "GET /path?q HTTP/1.1": [A-Za-z]+, one space, a target without spaces,
 * optionally " HTTP/" and a version of digits and dots, nothing else */
static gboolean
_split_request(LogsrcSpan r, LogsrcSpan *method, LogsrcSpan *target, LogsrcSpan *version)
{
  gsize i = 0;
  while (i < r.len && g_ascii_isalpha(r.ptr[i]))
    i++;
  if (i == 0 || i >= r.len || r.ptr[i] != ' ')
    return FALSE;
  *method = (LogsrcSpan) { r.ptr, i };
  gsize t = ++i;
  while (i < r.len && !g_ascii_isspace(r.ptr[i]))
    i++;
  if (i == t)
    return FALSE;
  *target = (LogsrcSpan) { r.ptr + t, i - t };
  *version = (LogsrcSpan) { "", 0 };
  if (i == r.len)
    return TRUE;
  if (r.len - i < 7 || memcmp(r.ptr + i, " HTTP/", 6) != 0)
    return FALSE;
  gsize v = i + 6;
  for (i = v; i < r.len; i++)
    if (!g_ascii_isdigit(r.ptr[i]) && r.ptr[i] != '.')
      return FALSE;
  *version = (LogsrcSpan) { r.ptr + v, r.len - v };
  return TRUE;
}

#define GET(k) logsrc_slot_get(self, doc, (k))

void
logsrc_accesslog_map_json(const LogsrcSlots *self, const LogsrcDoc *doc, LogsrcScratch *scratch, LogsrcEvent *ev)
{
  Access a =
  {
    .client = GET(AL_REMOTE_ADDR), .user = GET(AL_REMOTE_USER),
    .method = GET(AL_REQUEST_METHOD), .target = GET(AL_REQUEST_URI),
    .status = GET(AL_STATUS), .bytes = GET(AL_BYTES), .referrer = GET(AL_REFERER), .agent = GET(AL_USER_AGENT),
    .domain = logsrc_slot_has(self, doc, AL_HOST) ? GET(AL_HOST) : GET(AL_SERVER_NAME),
  };
  LogsrcSpan version = GET(AL_HTTP_VERSION);

  /* $request, when it splits, wins over $request_method and $request_uri */
  LogsrcSpan m, t, v;
  if (logsrc_slot_has(self, doc, AL_REQUEST) && _split_request(GET(AL_REQUEST), &m, &t, &v))
    {
      a.method = m;
      a.target = t;
      if (v.len)
        version = v;
    }
  a.version = version.len ? version : GET(AL_SERVER_PROTOCOL);

  if (!_is_status(a.status) || !a.target.len)
    {
      logsrc_event_unparsed(ev, LOGSRC_ACCESSLOG);
      return;
    }
  _finish(&a, scratch, ev);
}

/* combined and common lines */

static const gchar *
_vhost_end(const gchar *p, const gchar *end)
{
  const gchar *q = p;
  while (q < end && (g_ascii_isalnum(*q) || *q == '.' || *q == '_' || *q == '-'))
    q++;
  if (q == p || q >= end || *q != ':')
    return NULL;
  const gchar *digits = ++q;
  while (q < end && g_ascii_isdigit(*q))
    q++;
  if (q == digits || q >= end || *q != ' ')
    return NULL;
  return q + 1;
}

/* a run of \S (PCRE: not space, \t, \n, \v, \f, \r) followed by a space */
static const gchar *
_token(const gchar *p, const gchar *end)
{
  const gchar *q = p;
  while (q < end && !g_ascii_isspace(*q) && *q != '\v')
    q++;
  if (q == p || q >= end || *q != ' ')
    return NULL;
  return q + 1;
}

/* client ident user [time] " */
static gboolean
_combined_from(const gchar *p, const gchar *end)
{
  const gchar *q = p;
  while (q < end && (di_hex_digit(*q) >= 0 || *q == '.' || *q == ':'))
    q++;
  if (q == p || q >= end || *q != ' ')
    return FALSE;
  if (!(q = _token(q + 1, end)) || !(q = _token(q, end)))
    return FALSE;
  if (q >= end || *q != '[')
    return FALSE;
  const gchar *close = memchr(q + 1, ']', end - q - 1);
  return close && close > q + 1 && end - close >= 3 && close[1] == ' ' && close[2] == '"';
}

gboolean
logsrc_accesslog_is_combined(const gchar *line, gsize len)
{
  const gchar *end = line + len;
  const gchar *after_vhost = _vhost_end(line, end);

  return (after_vhost && _combined_from(after_vhost, end)) || _combined_from(line, end);
}

/* One column the way syslog-ng's csv scanner reads it: an opening quote
 * (a character of quotes_start) makes the text up to its closing one
 * (quotes_end) literal, delimiters included; with double_char a doubled
 * closing quote is one; text after the closing quote runs on to the next
 * delimiter; whitespace around the value is stripped.  FALSE when the input
 * is used up (the column is missing). */
typedef struct
{
  const gchar *p, *end;
  const gchar *quotes_start, *quotes_end;
  gboolean double_char;
  gchar delimiter;
  LogsrcScratch *scratch;
} Csv;

static LogsrcSpan
_rstrip(const gchar *p, gsize len)
{
  while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
    len--;
  return (LogsrcSpan) { p, len };
}

/* the general case of a column from p, inside `quote` (0: none): its
 * length, and its text into out unless NULL; *next: past its delimiter */
static gsize
_csv_slow(const gchar *p, const gchar *end, gchar quote, const Csv *c, gchar *out, const gchar **next)
{
  gsize n = 0;

  while (p < end)
    {
      if (quote)
        {
          if (c->double_char && *p == quote && p + 1 < end && p[1] == quote)
            p++;
          else if (*p == quote)
            {
              quote = 0;
              p++;
              continue;
            }
        }
      else if (*p == c->delimiter)
        {
          p++;
          break;
        }
      if (out)
        out[n] = *p;
      n++;
      p++;
    }
  *next = p;
  return n;
}

static gboolean
_csv_column(Csv *c, LogsrcSpan *value)
{
  const gchar *p = c->p, *end = c->end;
  gchar quote = 0;

  if (p >= end)
    return FALSE;
  const gchar *qs = *p ? strchr(c->quotes_start, *p) : NULL;
  if (qs)
    {
      quote = c->quotes_end[qs - c->quotes_start];
      p++;
    }
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  const gchar *start = p;

  /* the usual cases: no quote, or text that ends with its quote */
  if (!quote)
    {
      const gchar *d = memchr(p, c->delimiter, end - p);
      *value = _rstrip(start, (d ? d : end) - start);
      c->p = d ? d + 1 : end;
      return TRUE;
    }
  const gchar *close = memchr(p, quote, end - p);
  if (close && !(c->double_char && close + 1 < end && close[1] == quote)
      && (close + 1 == end || close[1] == c->delimiter))
    {
      *value = _rstrip(start, close - start);
      c->p = close + 1 == end ? end : close + 2;
      return TRUE;
    }

  /* a doubled quote, text after the closing quote, no closing quote: the
   * value's length first, so that scratch holds no more than the values */
  gsize n = _csv_slow(p, end, quote, c, NULL, &c->p);
  gchar *out = logsrc_scratch_alloc(c->scratch, n);
  if (!out)
    {
      *value = (LogsrcSpan) { start, 0 };
      return TRUE;
    }
  _csv_slow(p, end, quote, c, out, &c->p);
  *value = _rstrip(out, n);
  return TRUE;
}

static const gchar *const months[12] =
{ "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
static const gchar *const month_names[12] =
{ "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
  "november", "december" };

static gboolean
_number(const gchar **p, const gchar *end, guint min_digits, guint max_digits, gint min, gint max, gint *out)
{
  gint v = 0;
  guint n = 0;
  while (*p < end && n < max_digits && g_ascii_isdigit(**p))
    {
      v = v * 10 + (**p - '0');
      (*p)++;
      n++;
    }
  *out = v;
  return n >= min_digits && v >= min && v <= max;
}

static gboolean
_literal(const gchar **p, const gchar *end, gchar c)
{
  if (*p >= end || **p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

static gboolean
_month(const gchar **p, const gchar *end, gint *month)
{
  for (gint m = 0; m < 12; m++)
    {
      gsize full = strlen(month_names[m]);
      if ((gsize) (end - *p) >= full && g_ascii_strncasecmp(*p, month_names[m], full) == 0)
        {
          *p += full;
          *month = m + 1;
          return TRUE;
        }
      if (end - *p >= 3 && g_ascii_strncasecmp(*p, months[m], 3) == 0)
        {
          *p += 3;
          *month = m + 1;
          return TRUE;
        }
    }
  return FALSE;
}

/* days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil) */
static gint64
_days_from_civil(gint64 y, gint m, gint d)
{
  y -= m <= 2;
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 yoe = y - era * 400;
  gint64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* %d/%b/%Y:%H:%M:%S %z, the whole text: 14/Mar/2025:09:12:44 +0000 */
static gboolean
_parse_time(LogsrcSpan t, gint64 *sec, gint32 *gmtoff)
{
  const gchar *p = t.ptr, *end = t.ptr + t.len;
  gint day, month, year, hour, minute, second, zh, zm = 0;

  if (!_number(&p, end, 1, 2, 1, 31, &day) || !_literal(&p, end, '/') || !_month(&p, end, &month)
      || !_literal(&p, end, '/') || !_number(&p, end, 1, 4, 0, 9999, &year) || !_literal(&p, end, ':')
      || !_number(&p, end, 1, 2, 0, 23, &hour) || !_literal(&p, end, ':')
      || !_number(&p, end, 1, 2, 0, 59, &minute) || !_literal(&p, end, ':')
      || !_number(&p, end, 1, 2, 0, 60, &second))
    return FALSE;
  while (p < end && g_ascii_isspace(*p))
    p++;
  if (p < end && *p == 'Z')
    {
      *gmtoff = 0;
      p++;
    }
  else
    {
      if (p >= end || (*p != '+' && *p != '-'))
        return FALSE;
      gint sign = *p++ == '-' ? -1 : 1;
      if (!_number(&p, end, 2, 2, 0, 23, &zh))
        return FALSE;
      if (p < end && *p == ':')
        p++;
      if (p < end && !_number(&p, end, 2, 2, 0, 59, &zm))
        return FALSE;
      *gmtoff = sign * (zh * 3600 + zm * 60);
    }
  if (p != end)
    return FALSE;
  *sec = _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - *gmtoff;
  return TRUE;
}

static const gchar *const request_quotes = "\"'";

/* The columns from `from` on (after the vhost, if any); FALSE when the
 * time does not parse, or the status, the method or the target is wrong. */
static gboolean
_read_columns(const gchar *from, const gchar *end, LogsrcSpan domain, LogsrcScratch *scratch, LogsrcEvent *ev)
{
  Csv c = { .p = from, .end = end, .quotes_start = "\"[", .quotes_end = "\"]", .double_char = TRUE,
            .delimiter = ' ', .scratch = scratch };
  Access a = { .domain = domain };
  LogsrcSpan ident, time = { "", 0 }, request = { "", 0 };

  LogsrcSpan *columns[] = { &a.client, &ident, &a.user, &time, &request, &a.status, &a.bytes, &a.referrer,
                            &a.agent };
  for (guint i = 0; i < G_N_ELEMENTS(columns) && _csv_column(&c, columns[i]); i++)
    ;

  Csv r = { .p = request.ptr, .end = request.ptr + request.len, .quotes_start = request_quotes,
            .quotes_end = request_quotes, .delimiter = ' ', .scratch = scratch };
  LogsrcSpan *parts[] = { &a.method, &a.target, &a.version };
  for (guint i = 0; i < G_N_ELEMENTS(parts) && _csv_column(&r, parts[i]); i++)
    ;

  gboolean method_ok = a.method.len > 0;
  for (gsize i = 0; i < a.method.len; i++)
    method_ok &= g_ascii_isalpha(a.method.ptr[i]);
  if (!_parse_time(time, &ev->time_sec, &ev->time_gmtoff) || !_is_status(a.status) || !method_ok || !a.target.len)
    return FALSE;
  _finish(&a, scratch, ev);
  ev->has_time = TRUE;
  return TRUE;
}

/* A line that starts like vhost:port is read as vhost_combined first; when
 * that fails it is read again as a plain combined line (syslog-ng's
 * apache-accesslog-parser() does the same: its if/else takes the other
 * branch when anything after the first fails). */
void
logsrc_accesslog_read_combined(const gchar *line, gsize len, LogsrcScratch *scratch, LogsrcEvent *ev)
{
  const gchar *end = line + len;
  const gchar *after_vhost = _vhost_end(line, end);
  gsize used = scratch->used;

  if (after_vhost)
    {
      LogsrcSpan domain = { line, (const gchar *) memchr(line, ':', len) - line };
      if (_read_columns(after_vhost, end, domain, scratch, ev))
        return;
      scratch->used = used;
    }
  if (!_read_columns(line, end, (LogsrcSpan) { "", 0 }, scratch, ev))
    logsrc_event_unparsed(ev, LOGSRC_ACCESSLOG);
}
