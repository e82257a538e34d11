/* dprk-intel-database.h: database(): what a parser loads, from init to
 * deinit, including reload-interval().
 *
 * At init it loads every database() path through the engine's feed loader
 * into the holder that process() reads.  When that fails on a reload it
 * keeps the set the previous config handed over in the persist config (or,
 * when syslog-ng starts this config again after a failed reload, the set it
 * had); at first start a broken feed fails init.  At deinit it hands the
 * current set on to the next config.
 *
 * With reload-interval() the parser's timer calls tick(): every
 * reload-interval() seconds it compares the feed files' fingerprint with the
 * one the current set was loaded from, has a loader thread build a new set
 * when they differ (dprk-intel-feed-watch.h) and installs it once the thread
 * is done.  Workers never wait for any of this.
 *
 * Load errors and warnings are logged here, naming FILE:LINE.  Only the
 * parser that loads has a database: its clones share the holder and only
 * read.  Main thread only.
 */
#ifndef DPRK_INTEL_DATABASE_H_INCLUDED
#define DPRK_INTEL_DATABASE_H_INCLUDED

#include "dprk-intel-options.h"
#include "dprk-intel-snapshot-holder.h"
#include "dprk-intel-stats.h"

#include "logpipe.h"

typedef struct _DprkIntelDatabase DprkIntelDatabase;

/* owner: the parser, for the config and the location of log messages;
 * stats: its counters, told about every set installed.  Both borrowed. */
DprkIntelDatabase *dprk_intel_database_new(LogPipe *owner, DprkIntelSnapshotHolder *holder, DprkIntelStats *stats);
void dprk_intel_database_free(DprkIntelDatabase *self);

/* Loads (or keeps) the set; FALSE (logged) when the parser cannot start.
 * persist_name: the parser's, under which the set travels across reloads.
 * The counters are not registered yet: the parser points them at the set. */
gboolean dprk_intel_database_init(DprkIntelDatabase *self, const DprkIntelOptions *options,
                                  const gchar *persist_name);
void dprk_intel_database_deinit(DprkIntelDatabase *self);

/* The timer's part: releases the set the last swap replaced; with
 * reload-interval(), looks at the files and installs a finished load. */
void dprk_intel_database_tick(DprkIntelDatabase *self, gint64 now);
/* For arming the timer: a loader thread is running (poll it soon); when
 * the files are to be looked at next (FALSE without reload-interval()). */
gboolean dprk_intel_database_is_loading(DprkIntelDatabase *self);
gboolean dprk_intel_database_next_look(DprkIntelDatabase *self, gint64 *when);

#endif
