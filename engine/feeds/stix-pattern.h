/* stix-pattern.h: a recursive-descent parser for STIX 2.1 patterns.
 *
 * It checks the whole grammar of STIX patterning (observations in brackets,
 * AND / OR / FOLLOWEDBY between and inside them, parentheses, qualifiers,
 * every comparison operator and literal kind) and returns the comparisons it
 * found, in pattern order.  Deciding which comparisons are indicators is the
 * reader's business (feed-stix.c); this file only knows the syntax.
 */
#ifndef DI_STIX_PATTERN_H
#define DI_STIX_PATTERN_H

#include <glib.h>

#define DI_STIX_PATTERN_ERROR di_stix_pattern_error_quark()
GQuark di_stix_pattern_error_quark(void);

typedef struct
{
  gchar *object;        /* "ipv4-addr", "file" */
  gchar **path;         /* NULL-terminated: {"hashes", "SHA-256"}; list steps as "[0]" or "[*]" */
  gchar *op;            /* "=", "!=", "<=", "IN", "LIKE", "EXISTS", ...; "NOT " in front when negated */
  gchar *value;         /* string literals unescaped; other literals as written; NULL for IN and EXISTS */
  gboolean is_string;   /* value came from a plain '...' string literal */
  guint column;         /* 1-based column of the object type, for messages */
} DiStixComparison;

typedef struct
{
  GPtrArray *comparisons;   /* of DiStixComparison*, in pattern order */
  gboolean has_followedby;
  gboolean has_qualifiers;  /* WITHIN, REPEATS, START ... STOP */
} DiStixPattern;

/* NULL on a syntax error, with a message that starts "column N: ". */
DiStixPattern *di_stix_pattern_parse(const gchar *text, GError **error);
void di_stix_pattern_free(DiStixPattern *self);

#endif
