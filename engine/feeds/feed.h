/* feed.h: what every feed reader shares.
 *
 * A reader turns one file of its format into indicators in a
 * DiSnapshotBuilder.  It never stops at the first problem: it records each as
 * "FILE:LINE: what is wrong" (or a JSON path / XML element where a format has
 * no lines) in the context, so that `dprk-intel check` can list them all.  The
 * loader (feed-loader.h) decides what a broken file means for the snapshot.
 */
#ifndef DI_FEED_H
#define DI_FEED_H

#include "snapshot.h"
#include "normalize.h"

typedef struct _DiFeedPipeline DiFeedPipeline;

typedef struct
{
  DiSnapshotBuilder *builder;
  const gchar *filename;
  gint64 now;                /* for valid_until; UNIX seconds */
  GPtrArray *errors;         /* of gchar*, "FILE:LINE: ..." */
  guint loaded;              /* indicators added from this file */
  guint expired;             /* rows skipped because valid_until has passed */
  guint ignored;             /* rows that carry no indicator we know (not errors) */
  /* Third-party feeds carry the odd junk value ("107.183.86" as a url): with
   * lenient_values a bad value is a warning and skipped, not an error that
   * would keep the whole feed out.  Broken structure is always an error. */
  GPtrArray *warnings;       /* of gchar*, "FILE:LINE: ..."; NULL: values are strict */
  guint skipped;             /* bad values skipped as warnings */
  /* NULL, or the values go through it (feed-pipeline.h): di_feed_add()
   * then always returns TRUE, a bad value being reported in its place */
  DiFeedPipeline *pipeline;
} DiFeedContext;

void di_feed_error(DiFeedContext *ctx, gsize line, const gchar *fmt, ...) G_GNUC_PRINTF(3, 4);
/* The same for formats located by path rather than line ("$.objects[3].pattern"). */
void di_feed_error_at(DiFeedContext *ctx, const gchar *where, const gchar *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Normalises value as type (DI_TYPE_NONE: inferred), canonicalises the actor,
 * skips it when expired, and adds it.  Reports a bad value as an error at line
 * (or `where`, when not NULL) and returns FALSE. */
gboolean di_feed_add(DiFeedContext *ctx, gsize line, const gchar *where, DiType type, const gchar *value,
                     gssize len, const DiIndicatorMeta *meta);

/* The pipeline's side of di_feed_add() and of the error reporting here
 * (feed-pipeline.c; declared here so that feed.c needs no include of it):
 * a row, and a reader's error "FILE:LINE: ..." (taken over), in order. */
void di_feed_pipeline_add(DiFeedPipeline *self, gsize line, const gchar *where, DiType type, const gchar *value,
                          gsize len, const DiIndicatorMeta *meta);
void di_feed_pipeline_error(DiFeedPipeline *self, gchar *message);

/* The two halves of di_feed_add() around di_normalize(), for the pipeline:
 * add a normalised key (type: as declared, inferred: as normalised), or
 * report a bad value. */
void di_feed_add_key(DiFeedContext *ctx, DiType type, const DiKey *key, DiType inferred, const DiIndicatorMeta *meta);
void di_feed_bad_value(DiFeedContext *ctx, gsize line, const gchar *where, const gchar *what);

/* Maps ctx->filename read-only; records "FILE: cannot read: ..." and returns
 * NULL when it cannot. */
GMappedFile *di_feed_map(DiFeedContext *ctx);

/* Parses ISO 8601 ("2025-01-31", "2025-01-31T10:00:00Z", offsets); -1 on error. */
gint64 di_feed_parse_time(const gchar *text);

typedef struct
{
  const gchar *name;                 /* "csv", "stix", "misp", "ofac-csv", "ofac-xml", "plain" */
  /* Does this file look like our format?  head is its first bytes. */
  gboolean (*detect)(const gchar *filename, const gchar *head, gsize head_len);
  /* Reads the whole file into ctx; FALSE when the file could not be read at all. */
  gboolean (*read)(DiFeedContext *ctx);
  /* TRUE for formats we do not write ourselves: see DiFeedContext.warnings. */
  gboolean lenient_values;
} DiFeedFormat;

#endif
