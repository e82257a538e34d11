/* dprk-intel-loaded-set.h: one loaded database as the parser uses it.
 *
 * A DprkIntelLoadedSet is an indicator snapshot plus what the module derives
 * from it once, at load time: the syslog-ng tag id of every actor
 * (`dprk.actor.<slug>`), so that process() never looks a tag up by name, and
 * the per-actor match counters.  It is immutable once installed (the counter
 * pointers are only rewritten while no worker runs) and refcounted: worker threads hold a reference
 * for one message, the parser holds one as "current", and a reload keeps one
 * in the persist config so that a broken feed can fall back to it.
 */
#ifndef DPRK_INTEL_LOADED_SET_H_INCLUDED
#define DPRK_INTEL_LOADED_SET_H_INCLUDED

#include "logmsg/tags.h"
#include "stats/stats-counter.h"
#include "snapshot.h"
#include "feed-version.h"

/* The most distinct actors of one message that process() tags, counts and
 * records in its incident; a message naming more tags only the first ones. */
#define DPRK_INTEL_MAX_ACTOR_TAGS 64

typedef struct _DprkIntelLoadedSet
{
  gint ref_cnt;
  DiSnapshot *snapshot;
  /* indexed by the snapshot's dense actor id; [0] (no actor) is unused */
  LogTagId *actor_tags;
  /* the parser's `matched_<slug>` counters, same index; NULL until the parser
   * that installs the set resolves them (main thread, before workers can see
   * the set or while they are stopped).  Borrowed: the parser registers and
   * unregisters them. */
  StatsCounterItem **actor_counters;
  guint n_actors;
  /* the database() list it was loaded from, to tell whether a persisted set
   * still belongs to a parser whose options may have changed */
  gchar *database_key;
  /* its version (feed-version.h: content hash and load time), and that as
   * text, "<hash>@<time>", for .dprk.feed_version */
  DiFeedVersion version;
  gchar version_text[DI_FEED_VERSION_TEXT_MAX];
  /* dprk_intel_feed_fingerprint() of those files when they were read (set
   * by the database, NULL when unknown): a reload that finds the same
   * fingerprint keeps the set instead of reading the files again */
  gchar *fingerprint;
  /* what the load left out (values on warninglists, limits hit), for the
   * suppressed and feed_limits counters of whichever config uses the set */
  gsize suppressed, limits_hit;
} DprkIntelLoadedSet;

/* Takes over snapshot's reference.  version: the snapshot's, when the
 * loader thread computed it; NULL to compute it here, loaded now. */
DprkIntelLoadedSet *dprk_intel_loaded_set_new(DiSnapshot *snapshot, const gchar *database_key,
                                              const DiFeedVersion *version);
DprkIntelLoadedSet *dprk_intel_loaded_set_ref(DprkIntelLoadedSet *self);
void dprk_intel_loaded_set_unref(DprkIntelLoadedSet *self);

/* The key of a database() list, to compare with database_key. */
gchar *dprk_intel_loaded_set_format_key(const gchar *const *paths);

static inline LogTagId
dprk_intel_loaded_set_actor_tag(const DprkIntelLoadedSet *self, guint32 actor_id)
{
  return self->actor_tags[actor_id];
}

static inline StatsCounterItem *
dprk_intel_loaded_set_actor_counter(const DprkIntelLoadedSet *self, guint32 actor_id)
{
  return self->actor_counters[actor_id];
}

#endif
