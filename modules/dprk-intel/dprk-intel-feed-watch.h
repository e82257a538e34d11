/* dprk-intel-feed-watch.h: reload-interval() and syslog-ng-ctl reload:
 * notice that the feeds changed, and load them again off the main loop and
 * off the worker threads.
 *
 * On the parser's timer (main thread), the database (dprk-intel-database.c)
 * calls dprk_intel_feed_fingerprint() every reload-interval() seconds; when
 * the fingerprint differs from the one the current set was loaded from, it
 * starts a DprkIntelFeedBuild: a detached GThread that runs the feed
 * loader.  Each tick polls dprk_intel_feed_build_is_done() and, once it is,
 * takes the snapshot and installs it (tag ids and counters are resolved in
 * the main thread, then the holder swaps the pointer).  A load that failed while the fingerprint
 * changed under it (a file caught half-written) is quietly tried again at
 * the next look; one that failed on files that did not change is logged and
 * the old set stays.  Workers never wait for any of this.  A reload whose
 * feeds changed starts a build the same way (dprk-intel-database.h).
 *
 * Nothing here logs: the thread is not one of syslog-ng's, so it only
 * collects the loader's report and the main thread logs it.
 */
#ifndef DPRK_INTEL_FEED_WATCH_H_INCLUDED
#define DPRK_INTEL_FEED_WATCH_H_INCLUDED

#include "feed-loader.h"
#include "feed-version.h"

/* A description of every database() path: for a file its device, inode,
 * size and modification time; for a directory the same for each entry that
 * does not start with '.', in name order.  Two equal fingerprints mean
 * nothing the loader reads has changed (to nanosecond mtime resolution).
 * Costs one stat() per file and one readdir per directory. */
gchar *dprk_intel_feed_fingerprint(const gchar *const *paths);

/* The bytes of every file the loader reads under paths. */
guint64 dprk_intel_feed_size(const gchar *const *paths);

typedef struct _DprkIntelFeedBuild DprkIntelFeedBuild;

/* Starts loading paths with options (copied: the thread owns its copy) in a
 * new thread; NULL (and error set) when no thread could be started.
 * fingerprint: of the files and options as the caller saw them, kept with
 * the build.  Builds load one at a time, process-wide (a later one waits),
 * and one whose owner dropped it before it started does not load: so a
 * reload that abandons a build never holds two new sets at once. */
DprkIntelFeedBuild *dprk_intel_feed_build_start(const gchar *const *paths, const DiFeedOptions *options,
                                                const gchar *fingerprint, GError **error);
DprkIntelFeedBuild *dprk_intel_feed_build_ref(DprkIntelFeedBuild *self);
const gchar *dprk_intel_feed_build_get_fingerprint(DprkIntelFeedBuild *self);
gboolean dprk_intel_feed_build_is_done(DprkIntelFeedBuild *self);
/* Once done: the snapshot (the caller owns it; NULL when a feed was broken)
 * and the loader's report (valid until the build is unref'd). */
DiSnapshot *dprk_intel_feed_build_take_snapshot(DprkIntelFeedBuild *self);
DiLoadReport *dprk_intel_feed_build_get_report(DprkIntelFeedBuild *self);
/* Once done with a snapshot: its version (feed-version.h), computed in the
 * thread, loaded when the load ended. */
const DiFeedVersion *dprk_intel_feed_build_get_version(DprkIntelFeedBuild *self);
/* Drops the caller's reference; a build still running finishes on its own
 * and frees what it made. */
void dprk_intel_feed_build_unref(DprkIntelFeedBuild *self);

#endif
