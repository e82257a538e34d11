/* hunt-pool.h: the retro-hunt over many files on every core.
 *
 * A pool of worker threads takes work in this order: blocks of text that a
 * decompressing worker has handed on, ranges of plain files, then the next
 * file.  A plain file is split into line-aligned ranges read with pread(),
 * so one large file keeps every core busy; a compressed file is decompressed
 * by one worker (that part cannot be split) which hands the text on in
 * blocks to the others, so that hunting a gzip archive costs about what
 * decompressing it costs.  Matches are printed in input order
 * (hunt-output.h).
 */
#ifndef DI_TOOL_HUNT_POOL_H
#define DI_TOOL_HUNT_POOL_H

#include "snapshot.h"
#include <stdio.h>

#define DI_HUNT_DEFAULT_PIECE (16 << 20)

typedef struct
{
  const DiSnapshot *snap;
  gint64 now;            /* for valid_until */
  guint jobs;            /* worker threads */
  gsize piece_size;      /* bytes of a plain file's range; decompressed blocks are at most 2 MiB */
  gboolean progress;     /* a status line on standard error */
} DiHuntOptions;

typedef struct
{
  guint64 matches;       /* matching lines printed */
  guint errors;          /* files that could not be read to their end */
  guint64 bytes;         /* file bytes read (compressed bytes of an archive) */
  gdouble seconds;
} DiHuntResult;

void di_hunt_run(const DiHuntOptions *opts, const gchar *const *paths, guint n_paths, FILE *out,
                 DiHuntResult *result);

#endif
