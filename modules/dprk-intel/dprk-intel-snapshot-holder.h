/* dprk-intel-snapshot-holder.h: the parser's current loaded set, swappable
 * while worker threads read it.
 *
 * Readers call acquire() once per message and release() when done; whoever
 * loads a new database calls swap().  The old set is freed by its last
 * reader, never under one.  Swaps happen in init (workers stopped) and, with
 * reload-interval(), from the parser's timer while the workers run.
 */
#ifndef DPRK_INTEL_SNAPSHOT_HOLDER_H_INCLUDED
#define DPRK_INTEL_SNAPSHOT_HOLDER_H_INCLUDED

#include "dprk-intel-loaded-set.h"

typedef struct _DprkIntelSnapshotHolder
{
  gint ref_cnt;
  /* guards only the pointer read + ref and the pointer swap: a few
   * instructions, so workers practically never wait on it */
  GMutex lock;
  DprkIntelLoadedSet *current;
} DprkIntelSnapshotHolder;

/* Refcounted because clones of a parser share their original's holder:
 * one database in memory however many log paths use the parser. */
DprkIntelSnapshotHolder *dprk_intel_snapshot_holder_new(void);
DprkIntelSnapshotHolder *dprk_intel_snapshot_holder_ref(DprkIntelSnapshotHolder *self);
void dprk_intel_snapshot_holder_unref(DprkIntelSnapshotHolder *self);

/* A new reference to the current set, NULL when nothing is loaded. */
DprkIntelLoadedSet *dprk_intel_snapshot_holder_acquire(DprkIntelSnapshotHolder *self);

static inline void
dprk_intel_snapshot_holder_release(DprkIntelLoadedSet *set)
{
  dprk_intel_loaded_set_unref(set);
}

/* Installs new_set (takes over its reference) and drops the holder's
 * reference to the previous one. */
void dprk_intel_snapshot_holder_swap(DprkIntelSnapshotHolder *self, DprkIntelLoadedSet *new_set);

#endif
