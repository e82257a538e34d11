/* hostile-shapes.h: adversarial log lines, one per shape a naive scanner
 * would rescan (URL starts before runs of closing brackets, local parts of
 * many joined parts, maximal-length tokens of every type, runs of every
 * character class and joiner).  bench-hostile times them; the unit test
 * test-linear counts the scanner's and the matcher's work on them. */
#ifndef DI_BENCH_HOSTILE_SHAPES_H
#define DI_BENCH_HOSTILE_SHAPES_H

#include <glib.h>

typedef struct
{
  gchar *name;
  gchar *first;    /* the template repeated over the line, or its first half */
  gchar *second;   /* the template of its second half, or NULL */
} DiHostileShape;

/* Every shape, in a new array that frees them. */
GPtrArray *di_hostile_shapes(void);

/* The shape's line of n bytes (deterministic). */
GString *di_hostile_line(const DiHostileShape *shape, gsize n);

#endif
