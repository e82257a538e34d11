/* logsrc-json.h: a single-pass JSON scanner that keeps only the values of
 * the keys a source maps, for the JSON log sources (exchange events,
 * CloudTrail, Fireblocks, BitGo, nginx JSON access logs, geth).
 *
 * The keys are dotted paths ("data.source.type", as syslog-ng's
 * json-parser() names nested members) in a LogsrcKeys table.  The scanner
 * walks the object once, validating all of it, looks members up only in
 * objects on the way to a wanted key, unescapes only the strings it keeps
 * (into the caller's scratch) and records nothing else: no tree, no
 * allocation.
 *
 * It reads what json-c (and so json-parser()) reads: RFC 8259 plus the
 * leniencies of json-c that producers rely on (single-quoted strings, a
 * trailing comma), up to 32 levels deep; anything after the first value is
 * ignored, as json-c does.  A key's value counts when it is a non-empty
 * string, a number (its text as written), true or false; null, "" and an
 * object count as absent; an array only for keys added with `arrays`, as
 * its raw text.  When a key appears twice, the last one counts.
 */
#ifndef DI_LOGSRC_JSON_H
#define DI_LOGSRC_JSON_H

#include "logsrc-doc.h"

#define LOGSRC_JSON_MAX_DEPTH 32

typedef enum
{
  LOGSRC_JSON_OBJECT,        /* an object: the slots are filled */
  LOGSRC_JSON_NOT_OBJECT,    /* valid JSON, but an array */
  LOGSRC_JSON_MALFORMED,     /* not JSON, or a bare string, number, ... */
} LogsrcJsonResult;

LogsrcJsonResult logsrc_json_scan(const LogsrcKeys *keys, const gchar *text, gsize len, LogsrcScratch *scratch,
                                  LogsrcDoc *doc);

/* Walks a JSON array's raw text (from the scanner: valid) and calls fn for
 * each element that is an object, with its raw text; stops when fn returns
 * FALSE. */
typedef gboolean (*LogsrcJsonElementFunc)(LogsrcSpan object, gpointer user_data);
void logsrc_json_foreach_object(LogsrcSpan array, LogsrcJsonElementFunc fn, gpointer user_data);

/* In an object's raw text (valid JSON): whether it has a top-level member
 * `key`, and in *value that member's string value when it is a non-empty
 * string (escapes as written; empty otherwise).  The last one counts. */
gboolean logsrc_json_member(LogsrcSpan object, const gchar *key, LogsrcSpan *value);

#endif
