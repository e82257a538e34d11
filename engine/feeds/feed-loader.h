/* feed-loader.h: read the files and directories of database() into a snapshot.
 *
 * Every regular file in a directory is a feed, read in name order; its format
 * is detected from its content.  The result is all or nothing: when any file
 * has an error the loader returns NULL with every error listed, so the daemon
 * keeps the snapshot it already has.  A bad value in a third-party feed (STIX,
 * MISP, OFAC, plain lists) is a warning instead: it is skipped and listed, and
 * the rest of that feed loads.
 */
#ifndef DI_FEED_LOADER_H
#define DI_FEED_LOADER_H

#include "feed.h"

typedef struct
{
  gchar *filename;
  const gchar *format;     /* DiFeedFormat.name */
  guint loaded;
  guint expired;
  guint ignored;
  guint skipped;           /* bad values of a third-party feed, see warnings */
  guint errors;
} DiFeedFileReport;

typedef struct
{
  GPtrArray *files;        /* of DiFeedFileReport* */
  GPtrArray *errors;       /* of gchar*, "FILE:LINE: ..." */
  GPtrArray *warnings;     /* of gchar*: bad values skipped in third-party feeds */
} DiLoadReport;

void di_load_report_init(DiLoadReport *self);
void di_load_report_clear(DiLoadReport *self);

/* paths: files or directories, NULL-terminated.  now: for valid_until. */
DiSnapshot *di_feed_load(const gchar *const *paths, gint64 now, DiLoadReport *report);

/* The format of one file, NULL when no reader recognises it. */
const DiFeedFormat *di_feed_detect(const gchar *filename, GError **error);

#endif
