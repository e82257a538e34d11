/* hunt-output.h: the hunt's matches, printed in input order.
 *
 * Workers scan pieces of the inputs (segments: a range of a plain file, a
 * block of a decompressed archive) in any order and at once.  A segment
 * knows its lines only relative to its own start, and a line's number in
 * its file is known only once every earlier segment of the file has been
 * counted; so each segment keeps its matches until then, and whoever
 * finishes a segment prints every segment that is now next in line: files
 * in the order given, segments in file order.  Only matching lines wait in
 * memory.
 */
#ifndef DI_TOOL_HUNT_OUTPUT_H
#define DI_TOOL_HUNT_OUTPUT_H

#include <glib.h>
#include <stdio.h>

typedef struct
{
  guint64 lines;       /* lines that end in this segment */
  GString *matches;    /* "<local line>\t<JSON members>\n" a matching line */
  gboolean done;
} DiHuntSegment;

typedef struct _DiHuntOutput DiHuntOutput;

DiHuntOutput *di_hunt_output_new(FILE *out, const gchar *const *paths, guint n_paths);
void di_hunt_output_free(DiHuntOutput *self);

/* The next segment of a file, in file order.  Thread-safe. */
DiHuntSegment *di_hunt_output_add_segment(DiHuntOutput *self, guint file);
/* Line 1 of a segment is the line after the ones that ended in the earlier
 * segments (a line cut between two segments gets the number of the line it
 * is completed in). */
void di_hunt_segment_add_match(DiHuntSegment *seg, guint64 local_line, const GString *members);
/* Prints what is now in order.  Thread-safe. */
void di_hunt_output_segment_done(DiHuntOutput *self, guint file, DiHuntSegment *seg);
/* The file has all its segments. */
void di_hunt_output_file_done(DiHuntOutput *self, guint file);

/* Matching lines printed so far. */
guint64 di_hunt_output_matches(DiHuntOutput *self);

#endif
