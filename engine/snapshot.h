/* snapshot.h: an immutable set of indicators, shared read-only by every thread.
 *
 * A DiSnapshotBuilder collects indicators (from any feed reader); finishing it
 * yields a DiSnapshot that never changes again.  Worker threads look values up
 * in it without locks; a reload builds a whole new snapshot off the hot path
 * and swaps the pointer.  Entries live in flat arrays (open addressing over
 * 32-bit entry ids, keys in one arena, strings interned once), so ten million
 * indicators cost a few hundred megabytes, not ten million heap strings.
 *
 * One value is one entry, however many feeds or rows list it: the entry
 * carries every attribution (what one row says about the value: actor,
 * source, reference, ...), the best one first (see di_snapshot_builder_add).
 */
#ifndef DI_SNAPSHOT_H
#define DI_SNAPSHOT_H

#include "key.h"

typedef struct _DiSnapshot DiSnapshot;
typedef struct _DiSnapshotBuilder DiSnapshotBuilder;

/* Whether an indicator is linked to the DPRK.  `dprk.match` is reserved for
 * DPRK-linked indicators (INTERFACE §5): a match of anything else loaded
 * (other sanctions programs, unattributed rows of feeds not declared DPRK)
 * is reported apart.  A row whose actor the alias table knows as a DPRK
 * actor is DPRK-linked whatever the reader says. */
typedef enum
{
  DI_NEXUS_UNKNOWN = 0,   /* nothing links it to the DPRK */
  DI_NEXUS_DPRK,          /* a DPRK actor, a DPRK sanctions program, or a feed declared DPRK */
  DI_NEXUS_OTHER,         /* listed under another sanctions program, or a non-DPRK actor */
} DiNexus;

/* "dprk", "other", "unknown": as the report writes it. */
const gchar *di_nexus_name(DiNexus nexus);

/* What a feed says about an indicator besides its value.  Strings are copied. */
typedef struct
{
  const gchar *actor;        /* normalised through the alias table; NULL = none */
  const gchar *source;
  const gchar *reference;
  const gchar *description;
  gint confidence;           /* 0..100, or -1 for the default */
  gint64 valid_until;        /* UNIX seconds, 0 = never expires */
  const gchar *program;      /* sanctions program(s) as the list writes them ("DPRK3"); NULL = none */
  DiNexus nexus;
} DiIndicatorMeta;

#define DI_DEFAULT_CONFIDENCE 50

/* An indicator keeps at most this many attributions, the best ones: a value
 * that thousands of rows list must not make every match of it print
 * thousands of attributions.  What is dropped is counted
 * (di_snapshot_attributions_dropped). */
#define DI_SNAPSHOT_MAX_ATTRIBUTIONS 32

DiSnapshotBuilder *di_snapshot_builder_new(void);
/* Adds one row: the value key, as type, with what the row says about it.
 * The same key added again (by another feed or row) becomes another
 * attribution of the same indicator, not another indicator.  An indicator's
 * attributions are ordered best first, and the first is its primary one:
 *   1. a DPRK-linked attribution before one that is not (so that the
 *      primary of an indicator that any feed links to the DPRK is a DPRK
 *      link, as the .dprk.* output fields require),
 *   2. an attributed one (with an actor) before an unattributed one,
 *   3. higher confidence first,
 *   4. then the order of loading: the attribution first seen first (files in
 *      database() order, a directory's files in name order).
 * Two attributions with the same actor and source are one: the better is
 * kept.  Linear in the number of rows, duplicates included. */
void di_snapshot_builder_add(DiSnapshotBuilder *self, DiType type, const DiKey *key, const DiIndicatorMeta *meta);
/* Rows added so far (duplicates included). */
guint di_snapshot_builder_count(const DiSnapshotBuilder *self);
/* Consumes the builder: its arrays become the snapshot's (no second copy of
 * the set is made). */
DiSnapshot *di_snapshot_builder_finish(DiSnapshotBuilder *self);
void di_snapshot_builder_free(DiSnapshotBuilder *self);

DiSnapshot *di_snapshot_ref(DiSnapshot *self);
void di_snapshot_unref(DiSnapshot *self);

/* Distinct indicators (values). */
guint di_snapshot_count(const DiSnapshot *self);
gsize di_snapshot_memory(const DiSnapshot *self);
/* Attributions not kept because an indicator had more than
 * DI_SNAPSHOT_MAX_ATTRIBUTIONS. */
guint di_snapshot_attributions_dropped(const DiSnapshot *self);

/* Called for each entry that matches; return FALSE to stop. */
typedef gboolean (*DiEntryFunc)(const DiSnapshot *snap, guint32 entry, gpointer user_data);

/* Exact lookup of a key of any class: at most one entry. */
void di_snapshot_lookup(const DiSnapshot *self, const DiKey *key, DiEntryFunc func, gpointer user_data);
/* Everything a found value matches: exact, plus the longest CIDR around an
 * IPv4/IPv6 address (an IPv4-mapped IPv6 address, ::ffff:a.b.c.d, also as
 * the IPv4 address), plus every listed parent of a domain, plus for a URL
 * the listed URLs on its scheme (http and https alike), host and port whose
 * path is a prefix of its path at a segment boundary (see snapshot.c). */
void di_snapshot_find(const DiSnapshot *self, const DiKey *key, DiEntryFunc func, gpointer user_data);

/* Starts fetching what di_snapshot_find() of key will read first (the
 * filter words of the key and of a domain's parents) and returns at once,
 * with the key's hash in this snapshot: a matcher that calls it for each
 * token as it is found and looks the tokens up a few at a time (with
 * di_snapshot_find_hashed()) waits for memory once, not once a token. */
guint32 di_snapshot_prefetch(const DiSnapshot *self, const DiKey *key);
/* di_snapshot_find() of a key whose hash di_snapshot_prefetch() gave. */
void di_snapshot_find_hashed(const DiSnapshot *self, const DiKey *key, guint32 hash, DiEntryFunc func,
                             gpointer user_data);

/* Entry accessors; entry ids run from 0 to di_snapshot_count() - 1, in the
 * order the values were first added. */
void di_snapshot_entry_value(const DiSnapshot *self, guint32 entry, GString *out);
/* The entry's key in its stored binary form (class and bytes, as in DiKey):
 * for hashing every entry without formatting it (feed-version.c). */
const guint8 *di_snapshot_entry_key(const DiSnapshot *self, guint32 entry, guint8 *cls, gsize *len);
/* Whether two entries hold the same value: only when a == b, since one value
 * is one entry. */
gboolean di_snapshot_entry_same_key(const DiSnapshot *self, guint32 a, guint32 b);
/* 0 when any attribution never expires, else the latest expiry. */
gint64 di_snapshot_entry_valid_until(const DiSnapshot *self, guint32 entry);

/* Attributions: ids of what rows said about a value, shared between
 * entries; 0 <= i < di_snapshot_entry_attribution_count(), i = 0 the
 * primary. */
guint di_snapshot_entry_attribution_count(const DiSnapshot *self, guint32 entry);
guint32 di_snapshot_entry_attribution(const DiSnapshot *self, guint32 entry, guint i);

DiType di_snapshot_attribution_type(const DiSnapshot *self, guint32 attribution);
const gchar *di_snapshot_attribution_actor(const DiSnapshot *self, guint32 attribution);   /* "" when none */
guint32 di_snapshot_attribution_actor_id(const DiSnapshot *self, guint32 attribution);
const gchar *di_snapshot_attribution_source(const DiSnapshot *self, guint32 attribution);
const gchar *di_snapshot_attribution_reference(const DiSnapshot *self, guint32 attribution);
const gchar *di_snapshot_attribution_description(const DiSnapshot *self, guint32 attribution);
gint di_snapshot_attribution_confidence(const DiSnapshot *self, guint32 attribution);
gint64 di_snapshot_attribution_valid_until(const DiSnapshot *self, guint32 attribution);
const gchar *di_snapshot_attribution_program(const DiSnapshot *self, guint32 attribution);  /* "" when none */
DiNexus di_snapshot_attribution_nexus(const DiSnapshot *self, guint32 attribution);

/* The same of an entry's primary attribution. */
DiType di_snapshot_entry_type(const DiSnapshot *self, guint32 entry);
const gchar *di_snapshot_entry_actor(const DiSnapshot *self, guint32 entry);   /* "" when none */
guint32 di_snapshot_entry_actor_id(const DiSnapshot *self, guint32 entry);
const gchar *di_snapshot_entry_source(const DiSnapshot *self, guint32 entry);
const gchar *di_snapshot_entry_reference(const DiSnapshot *self, guint32 entry);
const gchar *di_snapshot_entry_description(const DiSnapshot *self, guint32 entry);
gint di_snapshot_entry_confidence(const DiSnapshot *self, guint32 entry);
const gchar *di_snapshot_entry_program(const DiSnapshot *self, guint32 entry);  /* "" when none */
/* DI_NEXUS_DPRK when any attribution links the value to the DPRK. */
DiNexus di_snapshot_entry_nexus(const DiSnapshot *self, guint32 entry);

/* Actors are numbered densely so that callers can keep per-actor tables
 * (tag ids, counters); id 0 is "no actor". */
guint di_snapshot_actor_count(const DiSnapshot *self);
const gchar *di_snapshot_actor_name(const DiSnapshot *self, guint32 actor_id);
/* Whether some attribution of this actor is DPRK-linked (only those get
 * dprk.actor.* tags and matched_* counters). */
gboolean di_snapshot_actor_is_dprk(const DiSnapshot *self, guint32 actor_id);

#endif
