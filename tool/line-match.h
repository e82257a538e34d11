/* line-match.h: one input line through the matcher, and its JSON.
 *
 * `match` and `hunt` print the same fields for a matching line (INTERFACE §1
 * without the prefix) after keys of their own ("line", or "file" and
 * "line"); both get them from here.  One DiLineMatch a thread: it keeps the
 * match set and the report buffers from line to line.
 */
#ifndef DI_TOOL_LINE_MATCH_H
#define DI_TOOL_LINE_MATCH_H

#include "match-report.h"

typedef struct
{
  DiMatchSet set;
  DiReport report;
  GString *members;    /* after a match: "\"indicator\":...,\"matches\":[...]" */
} DiLineMatch;

void di_line_match_init(DiLineMatch *self);
void di_line_match_clear(DiLineMatch *self);

/* Scans one line (without its end of line) as a message's MESSAGE field;
 * when anything matches, fills self->members and returns TRUE. */
gboolean di_line_match(DiLineMatch *self, const DiSnapshot *snap, const gchar *line, gsize len, gint64 now);

#endif
