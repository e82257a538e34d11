/* logsrc-kv.h: key=value lines (logfmt and the like: hot-wallet services,
 * geth's terminal pairs and its logfmt format), read the way syslog-ng's
 * kv-parser() reads them, in one pass.
 *
 * A key is the run of [A-Za-z0-9_.-] before an '=' (spaces between it and
 * the '=' allowed); text before it that is not a key is skipped.  A value
 * is quoted ("..." or '...', with \b \f \n \r \t \\ and \<quote> escapes) or
 * runs up to a ", " or to spaces followed by the next key= or the end: an
 * unquoted value may hold single spaces ("user=ops admin wallet=w").  A
 * quote that is not closed, or closed with text right after it, makes the
 * value an unquoted one, ending where such a value ends.  (kv-parser() keeps
 * the raw text then too, but up to the first space after the text that
 * follows the closing quote, or to the end of the line, and reads the keys
 * inside it again: a rescan not worth its cost for broken lines.)
 */
#ifndef DI_LOGSRC_KV_H
#define DI_LOGSRC_KV_H

#include "logsrc-doc.h"

/* Called for each pair in order; return FALSE to stop.  The value may be
 * empty; a decoded value is in scratch. */
typedef gboolean (*LogsrcKvFunc)(LogsrcSpan key, LogsrcSpan value, gpointer user_data);

void logsrc_kv_scan(const gchar *text, gsize len, LogsrcScratch *scratch, LogsrcKvFunc fn, gpointer user_data);

/* The pairs whose key is in keys into doc (not reset here); the last
 * occurrence of a key counts, an empty value clears its slot. */
void logsrc_kv_fill(const LogsrcKeys *keys, const gchar *text, gsize len, LogsrcScratch *scratch, LogsrcDoc *doc);

/* [A-Za-z0-9_.-] */
static inline gboolean
logsrc_kv_is_key_char(gchar c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
         || c == '-';
}

#endif
