/* logsrc-kv.c: key=value lines the way kv-parser() reads them (see
 * logsrc-kv.h), in linear time: a run of spaces is judged once (it
 * delimits or it is part of the value, the same for each of its spaces),
 * and the search back from an '=' for its key never crosses the '=' before.
 */
#include "logsrc-kv.h"
#include "logsrc-event.h"

/* Does the run of spaces at p end a value?  Yes when the text ends after
 * it, a key= follows, or ", " does; *next is where the next pair starts. */
static gboolean
_spaces_delimit(const gchar *p, const gchar *end, const gchar **next)
{
  const gchar *q = p;
  while (q < end && *q == ' ')
    q++;
  if (q == end)
    {
      *next = q;
      return TRUE;
    }
  const gchar *k = q;
  while (k < end && logsrc_kv_is_key_char(*k))
    k++;
  const gchar *after = k;
  while (after < end && *after == ' ')
    after++;
  if (k > q && after < end && *after == '=')
    {
      *next = q;
      return TRUE;
    }
  if (end - q >= 2 && q[0] == ',' && q[1] == ' ')
    {
      *next = q + 2;
      return TRUE;
    }
  return FALSE;
}

static const gchar *
_unquoted(const gchar *p, const gchar *end, LogsrcSpan *value)
{
  const gchar *start = p, *next;

  while (p < end)
    {
      if (*p == ' ')
        {
          if (_spaces_delimit(p, end, &next))
            {
              *value = (LogsrcSpan) { start, p - start };
              return next;
            }
          while (p < end && *p == ' ')
            p++;
          continue;
        }
      if (*p == ',' && p + 1 < end && p[1] == ' ')
        {
          *value = (LogsrcSpan) { start, p - start };
          return p + 2;
        }
      p++;
    }
  *value = (LogsrcSpan) { start, end - start };
  return end;
}

static gsize
_unescape(const gchar *p, const gchar *stop, gchar quote, gchar *out)
{
  gsize n = 0;

  while (p < stop)
    {
      if (*p != '\\' || p + 1 >= stop)
        {
          out[n++] = *p++;
          continue;
        }
      gchar c = p[1];
      p += 2;
      gchar control = c == '\\' ? '\\' : logsrc_control_escape(c);
      if (control)
        {
          out[n++] = control;
          continue;
        }
      /* an escaped quote is the quote; any other escape stays as written */
      if (c != quote)
        out[n++] = '\\';
      out[n++] = c;
    }
  return n;
}

/* A quoted value at p; NULL when the quote is not closed or text follows
 * the closing quote (the caller then reads it unquoted). */
static const gchar *
_quoted(const gchar *p, const gchar *end, LogsrcScratch *scratch, LogsrcSpan *value)
{
  gchar quote = *p;
  const gchar *i = p + 1;
  gboolean escaped = FALSE;

  while (i < end && *i != quote)
    {
      if (*i == '\\')
        {
          escaped = TRUE;
          i++;
        }
      i++;
    }
  if (i >= end)
    return NULL;

  const gchar *close = i, *next;
  if (close + 1 == end)
    next = end;
  else if (close[1] == ' ')
    next = close + 2;
  else if (close[1] == ',' && close + 2 < end && close[2] == ' ')
    next = close + 3;
  else
    return NULL;

  if (!escaped)
    {
      *value = (LogsrcSpan) { p + 1, close - p - 1 };
      return next;
    }
  gchar *out = logsrc_scratch_alloc(scratch, close - p - 1);
  *value = (LogsrcSpan) { out, out ? _unescape(p + 1, close, quote, out) : 0 };
  return next;
}

/* the value at p (just past the '='); returns where the next pair starts */
static const gchar *
_value(const gchar *p, const gchar *end, LogsrcScratch *scratch, LogsrcSpan *value)
{
  const gchar *next;

  if (p < end && *p == ' ')
    {
      if (_spaces_delimit(p, end, &next))
        {
          *value = (LogsrcSpan) { p, 0 };
          return next;
        }
      while (p < end && *p == ' ')
        p++;
    }
  if (p == end)
    {
      *value = (LogsrcSpan) { p, 0 };
      return end;
    }
  if (*p == ',' && p + 1 < end && p[1] == ' ')
    {
      *value = (LogsrcSpan) { p, 0 };
      return p + 2;
    }
  if (*p == '"' || *p == '\'')
    {
      next = _quoted(p, end, scratch, value);
      if (next)
        return next;
    }
  return _unquoted(p, end, value);
}

void
logsrc_kv_scan(const gchar *text, gsize len, LogsrcScratch *scratch, LogsrcKvFunc fn, gpointer user_data)
{
  const gchar *pos = text, *end = text + len;

  while (pos < end)
    {
      const gchar *lower = pos, *search = pos, *eq, *key_start, *key_end;
      for (;;)
        {
          eq = memchr(search, '=', end - search);
          if (!eq)
            return;
          key_end = eq;
          while (key_end > lower && key_end[-1] == ' ')
            key_end--;
          key_start = key_end;
          while (key_start > lower && logsrc_kv_is_key_char(key_start[-1]))
            key_start--;
          if (key_start < key_end)
            break;
          lower = search = eq + 1;
        }

      LogsrcSpan value;
      pos = _value(eq + 1, end, scratch, &value);
      if (!fn((LogsrcSpan) { key_start, key_end - key_start }, value, user_data))
        return;
    }
}

typedef struct
{
  const LogsrcKeys *keys;
  LogsrcDoc *doc;
} Fill;

static gboolean
_fill(LogsrcSpan key, LogsrcSpan value, gpointer user_data)
{
  Fill *f = user_data;
  gint slot = logsrc_keys_slot(f->keys, key.ptr, key.len);

  if (slot >= 0)
    logsrc_doc_keep(f->doc, slot, value.ptr, value.len, LOGSRC_VALUE_STRING);
  return TRUE;
}

void
logsrc_kv_fill(const LogsrcKeys *keys, const gchar *text, gsize len, LogsrcScratch *scratch, LogsrcDoc *doc)
{
  Fill f = { keys, doc };
  logsrc_kv_scan(text, len, scratch, _fill, &f);
}
