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
} DiFeedContext;

void di_feed_error(DiFeedContext *ctx, gsize line, const gchar *fmt, ...) G_GNUC_PRINTF(3, 4);
/* The same for formats located by path rather than line ("$.objects[3].pattern"). */
void di_feed_error_at(DiFeedContext *ctx, const gchar *where, const gchar *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Normalises value as type (DI_TYPE_NONE: inferred), canonicalises the actor,
 * skips it when expired, and adds it.  Reports a bad value as an error at line
 * (or `where`, when not NULL) and returns FALSE. */
gboolean di_feed_add(DiFeedContext *ctx, gsize line, const gchar *where, DiType type, const gchar *value,
                     gssize len, const DiIndicatorMeta *meta);

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
