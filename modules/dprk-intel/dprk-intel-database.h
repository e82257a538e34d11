/* dprk-intel-database.h: database(): what a parser loads, from init to
 * deinit, including reload-interval().
 *
 * At first start init loads every database() path through the engine's
 * feed loader into the holder that process() reads; a broken feed fails
 * init.  At deinit it hands the current set (and a loader thread still
 * running) on to the next config in the persist config.
 *
 * On `syslog-ng-ctl reload` init runs with every worker stopped, so it must
 * not read ten million indicators there.  It takes the set the previous
 * config handed over (loaded from the same database() list) and:
 *  - keeps it when the files did not change (same fingerprint, see
 *    dprk-intel-feed-watch.h): nothing is read;
 *  - when they changed and are small (at most 1 MiB together), reads them
 *    at once, keeping the old set when they are broken;
 *  - when they changed and are bigger, keeps the old set in use and has a
 *    loader thread read them (or takes over the one the previous config
 *    left running on the same files); the timer installs the new set when
 *    it is done, or logs why not and keeps the old one.
 * When syslog-ng starts this config again after a failed reload, the set it
 * had plays the previous config's part.
 *
 * With reload-interval() the parser's timer calls tick(): every
 * reload-interval() seconds it compares the feed files' fingerprint with the
 * one the current set was loaded from, has a loader thread build a new set
 * when they differ and installs it once the thread is done.  Workers never
 * wait for any of this; at most one new set is built at a time.
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

/* The timer's part: releases the set the last swap replaced, installs a
 * finished load; with reload-interval(), looks at the files. */
void dprk_intel_database_tick(DprkIntelDatabase *self, gint64 now);
/* For arming the timer: a loader thread is running (poll it soon); when
 * the files are to be looked at next (FALSE without reload-interval()). */
gboolean dprk_intel_database_is_loading(DprkIntelDatabase *self);
gboolean dprk_intel_database_next_look(DprkIntelDatabase *self, gint64 *when);

#endif
