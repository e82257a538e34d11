/* dprk-intel-snapshot-holder.c: get+ref and swap of the current set.
 *
 * The classic race of a bare atomic pointer — a reader loads the pointer, the
 * writer swaps and drops the last reference, the reader then refs freed
 * memory — is closed by doing the load and the ref under one short mutex.
 * The writer drops its reference outside the lock; a reader that still holds
 * the old set keeps it alive until it releases it.
 */
#include "dprk-intel-snapshot-holder.h"

DprkIntelSnapshotHolder *
dprk_intel_snapshot_holder_new(void)
{
  DprkIntelSnapshotHolder *self = g_new0(DprkIntelSnapshotHolder, 1);

  g_atomic_int_set(&self->ref_cnt, 1);
  g_mutex_init(&self->lock);
  return self;
}

DprkIntelSnapshotHolder *
dprk_intel_snapshot_holder_ref(DprkIntelSnapshotHolder *self)
{
  g_atomic_int_inc(&self->ref_cnt);
  return self;
}

void
dprk_intel_snapshot_holder_unref(DprkIntelSnapshotHolder *self)
{
  if (!self || !g_atomic_int_dec_and_test(&self->ref_cnt))
    return;

  dprk_intel_snapshot_holder_swap(self, NULL);
  g_mutex_clear(&self->lock);
  g_free(self);
}

DprkIntelLoadedSet *
dprk_intel_snapshot_holder_acquire(DprkIntelSnapshotHolder *self)
{
  DprkIntelLoadedSet *set;

  g_mutex_lock(&self->lock);
  set = dprk_intel_loaded_set_ref(self->current);
  g_mutex_unlock(&self->lock);
  return set;
}

void
dprk_intel_snapshot_holder_swap(DprkIntelSnapshotHolder *self, DprkIntelLoadedSet *new_set)
{
  DprkIntelLoadedSet *old;

  g_mutex_lock(&self->lock);
  old = self->current;
  self->current = new_set;
  g_mutex_unlock(&self->lock);

  dprk_intel_loaded_set_unref(old);
}
