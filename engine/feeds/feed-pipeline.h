/* feed-pipeline.h: checking a big feed's values on every core.
 *
 * A taint set runs to millions of rows, and checking each value (base58check
 * and bech32 checksums, hex) is most of the work of reading it.  With a
 * pipeline, di_feed_add() copies each row (its value and what it says about
 * it) into a batch; a pool of threads, one per core, normalises whole batches
 * while the reader goes on tokenising; the reader's thread then adds the
 * finished batches to the builder in file order, with each row's error and
 * the reader's own errors at their place.  The result is the same as
 * without it: the same entries in the same order, the same errors and
 * warnings in the same order, the same counts.  Memory: the batches in
 * flight, a few per thread.
 *
 * The reader's thread calls everything here; only the normalising runs
 * elsewhere.  feed-loader.c uses it for big files of the canonical CSV.
 */
#ifndef DI_FEED_PIPELINE_H
#define DI_FEED_PIPELINE_H

#include "feed.h"

/* Set it as ctx->pipeline: di_feed_add() and the reader's errors then go
 * through it (di_feed_pipeline_add() and _error(), declared in feed.h). */
DiFeedPipeline *di_feed_pipeline_new(DiFeedContext *ctx);
/* Adds every row still in flight and frees the pipeline. */
void di_feed_pipeline_finish(DiFeedPipeline *self);

#endif
