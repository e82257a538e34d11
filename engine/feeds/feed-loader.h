/* feed-loader.h: read the files and directories of database() into a snapshot.
 *
 * Every regular file in a directory is a feed, read in name order; its format
 * is detected from its content (gzip files are read decompressed).  Files in a
 * directory that are plainly not feeds (archives, checksums, signatures,
 * READMEs) or whose content no reader recognises are skipped with a warning
 * and counted.  The result is all or nothing: when any file has an error the
 * loader returns NULL with every error listed, so the daemon keeps the
 * snapshot it already has.  A bad value in a third-party feed (STIX, MISP,
 * OFAC, plain lists, IOC CSVs) is a warning instead: it is skipped and listed,
 * and the rest of that feed loads.  A file that changes while it is read is
 * read again (the whole load starts over, a few times at most).
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
  guint warnings;
  guint refanged;          /* values written defanged */
  guint suppressed;        /* values on a warninglist, not loaded */
  guint limits_hit;
  guint other_programs;    /* sanctions entries of programs not selected */
  gboolean not_a_feed;     /* skipped: not a feed (found in a directory) */
  gboolean declared_dprk;  /* dprk-feeds() or "# nexus: dprk" */
} DiFeedFileReport;

typedef struct
{
  GPtrArray *files;        /* of DiFeedFileReport* */
  GPtrArray *errors;       /* of gchar*, "FILE:LINE: ..." */
  GPtrArray *warnings;     /* of gchar*: bad values skipped in third-party feeds */
  /* of gchar*, "FILE:LINE: ...": each value a warninglist suppressed, with
   * the list (the first max-messages of each file) */
  GPtrArray *suppressions;
  GPtrArray *warninglists; /* of gchar*, "NAME\tENTRIES": the lists in use */
  guint suppressed, limits_hit, refanged, not_feeds, other_programs;   /* totals */
} DiLoadReport;

void di_load_report_init(DiLoadReport *self);
void di_load_report_clear(DiLoadReport *self);

/* paths: files or directories, NULL-terminated.  now: for valid_until. */
DiSnapshot *di_feed_load(const gchar *const *paths, gint64 now, DiLoadReport *report);
/* The same with options (NULL: the defaults, as di_feed_load). */
DiSnapshot *di_feed_load_with(const gchar *const *paths, const DiFeedOptions *options, gint64 now,
                              DiLoadReport *report);

/* The format of one file, NULL when no reader recognises it; the error then
 * says what was expected and what the file looks like. */
const DiFeedFormat *di_feed_detect(const gchar *filename, GError **error);

#endif
