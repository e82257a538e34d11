/* logsrc-json.c: the JSON scanner of the log sources (see logsrc-json.h).
 *
 * Recursive descent over containers only (depth <= 32, so the stack is
 * bounded); strings, numbers and literals are scanned in place.  A member
 * is looked up only inside objects on the way to a wanted key (the root and
 * the prefixes of the wanted paths), its path hashed as it is read.
 */
#include "logsrc-json.h"
#include "logsrc-event.h"

#include "ascii.h"

#define PATH_MAX_LEN LOGSRC_KEY_MAX_LEN

/* the scanner */

typedef struct
{
  const gchar *p, *end;
  const LogsrcKeys *keys;
  LogsrcDoc *doc;
  LogsrcScratch *scratch;
  gchar path[PATH_MAX_LEN];
} Scan;

static inline void
_skip_ws(Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

/* s->p on the opening quote; leaves it past the closing one.  [*start, *stop)
 * is the text inside; *escaped when it holds a backslash. */
static gboolean
_string(Scan *s, const gchar **start, const gchar **stop, gboolean *escaped)
{
  gchar q = *s->p++;
  const gchar *p = s->p, *end = s->end;

  *start = p;
  *escaped = FALSE;
  for (;;)
    {
      while (p < end && *p != q && *p != '\\')
        p++;
      if (p >= end)
        return FALSE;
      if (*p == q)
        break;
      /* a backslash */
      *escaped = TRUE;
      if (p + 1 >= end)
        return FALSE;
      switch (p[1])
        {
        case '"': case '\\': case '/': case '\'':
        case 'b': case 'f': case 'n': case 'r': case 't':
          p += 2;
          break;
        case 'u':
          if (end - p < 6 || di_hex_digit(p[2]) < 0 || di_hex_digit(p[3]) < 0 || di_hex_digit(p[4]) < 0
              || di_hex_digit(p[5]) < 0)
            return FALSE;
          p += 6;
          break;
        default:
          return FALSE;
        }
    }
  *stop = p;
  s->p = p + 1;
  return TRUE;
}

static inline guint
_hex4(const gchar *p)
{
  return di_hex_digit(p[0]) << 12 | di_hex_digit(p[1]) << 8 | di_hex_digit(p[2]) << 4 | di_hex_digit(p[3]);
}

static gsize
_utf8(guint cp, gchar *out)
{
  if (cp < 0x80)
    {
      out[0] = cp;
      return 1;
    }
  if (cp < 0x800)
    {
      out[0] = 0xC0 | cp >> 6;
      out[1] = 0x80 | (cp & 0x3F);
      return 2;
    }
  if (cp < 0x10000)
    {
      out[0] = 0xE0 | cp >> 12;
      out[1] = 0x80 | ((cp >> 6) & 0x3F);
      out[2] = 0x80 | (cp & 0x3F);
      return 3;
    }
  out[0] = 0xF0 | cp >> 18;
  out[1] = 0x80 | ((cp >> 12) & 0x3F);
  out[2] = 0x80 | ((cp >> 6) & 0x3F);
  out[3] = 0x80 | (cp & 0x3F);
  return 4;
}

/* The text of a validated string with its escapes decoded into out (never
 * longer than the text: \uXXXX is 6 bytes for at most 3, a pair 12 for 4).
 * A lone surrogate becomes U+FFFD; the value ends at a \u0000, as json-c's
 * C strings do. */
static gsize
_unescape(const gchar *p, const gchar *stop, gchar *out)
{
  gsize n = 0;

  while (p < stop)
    {
      if (*p != '\\')
        {
          out[n++] = *p++;
          continue;
        }
      gchar c = p[1];
      p += 2;
      if (c != 'u')
        {
          /* \" \\ \/ \' stand for themselves */
          out[n++] = logsrc_control_escape(c) ? : c;
          continue;
        }
      guint cp = _hex4(p);
      p += 4;
      if (cp == 0)
        return n;
      if (cp >= 0xD800 && cp < 0xDC00 && stop - p >= 6 && p[0] == '\\' && p[1] == 'u')
        {
          guint lo = _hex4(p + 2);
          if (lo >= 0xDC00 && lo < 0xE000)
            {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
              p += 6;
            }
        }
      if (cp >= 0xD800 && cp < 0xE000)
        cp = 0xFFFD;
      n += _utf8(cp, out + n);
    }
  return n;
}

static gboolean
_number(Scan *s)
{
  const gchar *p = s->p, *end = s->end;

  if (p < end && *p == '-')
    p++;
  if (p >= end)
    return FALSE;
  if (*p == '0')
    p++;
  else if (*p >= '1' && *p <= '9')
    while (p < end && *p >= '0' && *p <= '9')
      p++;
  else
    return FALSE;
  if (p < end && *p == '.')
    {
      const gchar *digits = ++p;
      while (p < end && *p >= '0' && *p <= '9')
        p++;
      if (p == digits)
        return FALSE;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      const gchar *digits = p;
      while (p < end && *p >= '0' && *p <= '9')
        p++;
      if (p == digits)
        return FALSE;
    }
  s->p = p;
  return TRUE;
}

static gboolean
_literal(Scan *s, const gchar *word, gsize len)
{
  if ((gsize) (s->end - s->p) < len || memcmp(s->p, word, len) != 0)
    return FALSE;
  s->p += len;
  return TRUE;
}

static gboolean _object(Scan *s, gint depth, gboolean capture, gsize path_len, guint32 hash);
static gboolean _array(Scan *s, gint depth);

/* One value at s->p.  e: the entry of its path when the enclosing object is
 * captured (NULL otherwise, or when the path is not wanted). */
static gboolean
_value(Scan *s, gint depth, const LogsrcKeyEntry *e, gsize path_len, guint32 hash)
{
  if (s->p >= s->end)
    return FALSE;

  gint slot = e ? e->slot : -1;
  const gchar *start = s->p;
  switch (*s->p)
    {
    case '"':
    case '\'':
    {
      const gchar *from, *to;
      gboolean escaped;
      if (!_string(s, &from, &to, &escaped))
        return FALSE;
      if (slot >= 0)
        {
          if (escaped && to > from)
            {
              gchar *out = logsrc_scratch_alloc(s->scratch, to - from);
              gsize n = out ? _unescape(from, to, out) : 0;
              logsrc_doc_keep(s->doc, slot, out, n, LOGSRC_VALUE_STRING);
            }
          else
            logsrc_doc_keep(s->doc, slot, from, to - from, LOGSRC_VALUE_STRING);
        }
      return TRUE;
    }
    case '{':
      if (slot >= 0)
        logsrc_doc_clear(s->doc, slot);
      return _object(s, depth + 1, e && e->prefix, path_len, hash);
    case '[':
      if (!_array(s, depth + 1))
        return FALSE;
      if (slot >= 0)
        {
          if (e->arrays)
            logsrc_doc_keep(s->doc, slot, start, s->p - start, LOGSRC_VALUE_ARRAY);
          else
            logsrc_doc_clear(s->doc, slot);
        }
      return TRUE;
    case 't':
      if (!_literal(s, "true", 4))
        return FALSE;
      break;
    case 'f':
      if (!_literal(s, "false", 5))
        return FALSE;
      break;
    case 'n':
      if (!_literal(s, "null", 4))
        return FALSE;
      if (slot >= 0)
        logsrc_doc_clear(s->doc, slot);
      return TRUE;
    default:
      if (!_number(s))
        return FALSE;
      if (slot >= 0)
        logsrc_doc_keep(s->doc, slot, start, s->p - start, LOGSRC_VALUE_NUMBER);
      return TRUE;
    }
  if (slot >= 0)
    logsrc_doc_keep(s->doc, slot, start, s->p - start, LOGSRC_VALUE_LITERAL);
  return TRUE;
}

/* The entry of the member key [from, to) (escaped: holds backslashes) under
 * the path s->path[0..path_len), whose hash is `hash`; the member's own path
 * is left in s->path[0..*member_len) for its children.  NULL when it is not
 * wanted or does not fit. */
static const LogsrcKeyEntry *
_member_entry(Scan *s, const gchar *from, const gchar *to, gboolean escaped, gsize path_len, guint32 hash,
              gsize *member_len, guint32 *member_hash)
{
  gsize n = path_len;

  if (n)
    {
      s->path[n++] = '.';
      hash = logsrc_keys_hash(hash, ".", 1);
    }
  if ((gsize) (to - from) >= PATH_MAX_LEN - n)
    return NULL;
  gsize key_len = escaped ? _unescape(from, to, s->path + n) : (gsize) (to - from);
  if (!escaped)
    memcpy(s->path + n, from, key_len);
  hash = logsrc_keys_hash(hash, s->path + n, key_len);
  n += key_len;

  const LogsrcKeyEntry *e = logsrc_keys_find(s->keys, hash, s->path, n);
  if (!e)
    return NULL;
  *member_len = n;
  *member_hash = hash;
  return e;
}

/* A member's key at s->p and the colon after it; leaves s->p on the value. */
static gboolean
_key(Scan *s, const gchar **from, const gchar **to, gboolean *escaped)
{
  if (s->p >= s->end || (*s->p != '"' && *s->p != '\'') || !_string(s, from, to, escaped))
    return FALSE;
  _skip_ws(s);
  if (s->p >= s->end || *s->p != ':')
    return FALSE;
  s->p++;
  _skip_ws(s);
  return TRUE;
}

/* Past an opening bracket, or past a member or an element: the closing
 * bracket ends the container (json-c takes a trailing comma before it), a
 * comma after an item means another.  ITEM_NEXT, ITEM_END or ITEM_ERROR. */
enum { ITEM_NEXT, ITEM_END, ITEM_ERROR };

static gint
_open(Scan *s, gchar close)
{
  s->p++;
  _skip_ws(s);
  if (s->p < s->end && *s->p == close)
    {
      s->p++;
      return ITEM_END;
    }
  return ITEM_NEXT;
}

static gint
_after_item(Scan *s, gchar close)
{
  _skip_ws(s);
  if (s->p >= s->end || (*s->p != ',' && *s->p != close))
    return ITEM_ERROR;
  if (*s->p == ',')
    return _open(s, close);
  s->p++;
  return ITEM_END;
}

static gboolean
_object(Scan *s, gint depth, gboolean capture, gsize path_len, guint32 hash)
{
  if (depth > LOGSRC_JSON_MAX_DEPTH)
    return FALSE;
  gint next;
  for (next = _open(s, '}'); next == ITEM_NEXT; next = _after_item(s, '}'))
    {
      const gchar *from, *to;
      gboolean escaped;
      if (!_key(s, &from, &to, &escaped))
        return FALSE;
      const LogsrcKeyEntry *e = NULL;
      gsize member_len = 0;
      guint32 member_hash = 0;
      if (capture)
        e = _member_entry(s, from, to, escaped, path_len, hash, &member_len, &member_hash);
      if (!_value(s, depth, e, member_len, member_hash))
        return FALSE;
    }
  return next == ITEM_END;
}

static gboolean
_array(Scan *s, gint depth)
{
  if (depth > LOGSRC_JSON_MAX_DEPTH)
    return FALSE;
  gint next;
  for (next = _open(s, ']'); next == ITEM_NEXT; next = _after_item(s, ']'))
    if (!_value(s, depth, NULL, 0, 0))
      return FALSE;
  return next == ITEM_END;
}

LogsrcJsonResult
logsrc_json_scan(const LogsrcKeys *keys, const gchar *text, gsize len, LogsrcScratch *scratch, LogsrcDoc *doc)
{
  Scan s = { .p = text, .end = text + len, .keys = keys, .doc = doc, .scratch = scratch };

  logsrc_doc_reset(doc);
  _skip_ws(&s);
  if (s.p >= s.end)
    return LOGSRC_JSON_MALFORMED;
  if (*s.p == '[')
    return _array(&s, 1) ? LOGSRC_JSON_NOT_OBJECT : LOGSRC_JSON_MALFORMED;
  if (*s.p != '{')
    return LOGSRC_JSON_MALFORMED;
  if (!_object(&s, 1, TRUE, 0, LOGSRC_KEYS_HASH_START))
    {
      logsrc_doc_reset(doc);
      return LOGSRC_JSON_MALFORMED;
    }
  return LOGSRC_JSON_OBJECT;
}

/* raw walks over text the scanner validated */

void
logsrc_json_foreach_object(LogsrcSpan array, LogsrcJsonElementFunc fn, gpointer user_data)
{
  Scan s = { .p = array.ptr, .end = array.ptr + array.len };

  if (s.p >= s.end || *s.p != '[')
    return;
  for (gint next = _open(&s, ']'); next == ITEM_NEXT; next = _after_item(&s, ']'))
    {
      const gchar *start = s.p;
      gboolean is_object = s.p < s.end && *s.p == '{';
      if (!_value(&s, 1, NULL, 0, 0) || (is_object && !fn((LogsrcSpan) { start, s.p - start }, user_data)))
        return;
    }
}

gboolean
logsrc_json_member(LogsrcSpan object, const gchar *key, LogsrcSpan *value)
{
  Scan s = { .p = object.ptr, .end = object.ptr + object.len };
  gsize key_len = strlen(key);
  gboolean present = FALSE;

  *value = (LogsrcSpan) { "", 0 };
  if (s.p >= s.end || *s.p != '{')
    return FALSE;
  for (gint next = _open(&s, '}'); next == ITEM_NEXT; next = _after_item(&s, '}'))
    {
      const gchar *from, *to;
      gboolean escaped;
      if (!_key(&s, &from, &to, &escaped))
        return present;
      gboolean match = (gsize) (to - from) == key_len && memcmp(from, key, key_len) == 0;
      const gchar *start = s.p;
      gboolean is_string = s.p < s.end && (*s.p == '"' || *s.p == '\'');
      if (!_value(&s, 1, NULL, 0, 0))
        return present;
      if (match)
        {
          /* the last one counts */
          present = TRUE;
          *value = is_string ? (LogsrcSpan) { start + 1, s.p - start - 2 } : (LogsrcSpan) { "", 0 };
        }
    }
  return present;
}
