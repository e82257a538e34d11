/* logsrc-reader.h: the log-source reader (see logsrc.h for what it reads
 * into).
 *
 * A LogsrcReader is built once (at syslog-ng init) for one source, or for
 * `auto`, which tells the sources apart by a cheap trial on a line's first
 * bytes and, for JSON, by the keys the object has.  logsrc_reader_read()
 * then reads one line in a single pass, without building a tree and without
 * allocating: the fields it finds are spans into the line, or into the
 * scratch buffer the caller lends for the values that had to be decoded
 * (JSON escapes, %XX, quotes).  A reader is read-only after construction,
 * so any number of threads may read lines with it at once.
 *
 * Hostile input: linear time in the line's length, bounded stack (the JSON
 * scanner stops at 32 levels of nesting), no allocation.  A line that looks
 * like a source's but is malformed is reported as LOGSRC_UNPARSED with no
 * field, so that the caller can tag it and pass it on unchanged.
 */
#ifndef DI_LOGSRC_READER_H
#define DI_LOGSRC_READER_H

#include "logsrc.h"

typedef struct _LogsrcReader LogsrcReader;

/* keys: LOGSRC_KEY_COUNT strings, NULL or "" for none (only exchange and
 * auto use them); copied.  Never fails. */
LogsrcReader *logsrc_reader_new(LogsrcSource source, const gchar *const *keys);
void logsrc_reader_free(LogsrcReader *self);
LogsrcSource logsrc_reader_source(const LogsrcReader *self);

gsize logsrc_scratch_size(gsize line_len);

/* Reads line[0..len) (not NUL-terminated; may hold NUL bytes) into ev,
 * using scratch (reset here).  Any thread. */
void logsrc_reader_read(const LogsrcReader *self, const gchar *line, gsize len, LogsrcScratch *scratch,
                        LogsrcEvent *ev);

#endif
