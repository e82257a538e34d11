/* snapshot.h: an immutable set of indicators, shared read-only by every thread.
 *
 * A DiSnapshotBuilder collects indicators (from any feed reader); finishing it
 * yields a DiSnapshot that never changes again.  Worker threads look values up
 * in it without locks; a reload builds a whole new snapshot off the hot path
 * and swaps the pointer.  Entries live in flat arrays (open addressing over
 * 32-bit entry ids, keys in one arena, strings interned once), so a million
 * indicators cost tens of megabytes, not a million heap strings.
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

DiSnapshotBuilder *di_snapshot_builder_new(void);
/* Adds one indicator; an identical (key, type, actor, source) is kept once. */
void di_snapshot_builder_add(DiSnapshotBuilder *self, DiType type, const DiKey *key, const DiIndicatorMeta *meta);
guint di_snapshot_builder_count(const DiSnapshotBuilder *self);
/* Consumes the builder. */
DiSnapshot *di_snapshot_builder_finish(DiSnapshotBuilder *self);
void di_snapshot_builder_free(DiSnapshotBuilder *self);

DiSnapshot *di_snapshot_ref(DiSnapshot *self);
void di_snapshot_unref(DiSnapshot *self);

guint di_snapshot_count(const DiSnapshot *self);
gsize di_snapshot_memory(const DiSnapshot *self);

/* Called for each entry that matches; return FALSE to stop. */
typedef gboolean (*DiEntryFunc)(const DiSnapshot *snap, guint32 entry, gpointer user_data);

/* Exact lookup of a key of any class. */
void di_snapshot_lookup(const DiSnapshot *self, const DiKey *key, DiEntryFunc func, gpointer user_data);
/* Everything a found value matches: exact, plus the longest CIDR around an
 * IPv4/IPv6 address, plus every listed parent of a domain. */
void di_snapshot_find(const DiSnapshot *self, const DiKey *key, DiEntryFunc func, gpointer user_data);

/* Entry accessors; entry ids run from 0 to di_snapshot_count() - 1. */
DiType di_snapshot_entry_type(const DiSnapshot *self, guint32 entry);
void di_snapshot_entry_value(const DiSnapshot *self, guint32 entry, GString *out);
/* The entry's key in its stored binary form (class and bytes, as in DiKey):
 * for hashing every entry without formatting it (feed-version.c). */
const guint8 *di_snapshot_entry_key(const DiSnapshot *self, guint32 entry, guint8 *cls, gsize *len);
/* Whether two entries hold the same value (one indicator listed twice). */
gboolean di_snapshot_entry_same_key(const DiSnapshot *self, guint32 a, guint32 b);
const gchar *di_snapshot_entry_actor(const DiSnapshot *self, guint32 entry);   /* "" when none */
guint32 di_snapshot_entry_actor_id(const DiSnapshot *self, guint32 entry);
const gchar *di_snapshot_entry_source(const DiSnapshot *self, guint32 entry);
const gchar *di_snapshot_entry_reference(const DiSnapshot *self, guint32 entry);
const gchar *di_snapshot_entry_description(const DiSnapshot *self, guint32 entry);
gint di_snapshot_entry_confidence(const DiSnapshot *self, guint32 entry);
gint64 di_snapshot_entry_valid_until(const DiSnapshot *self, guint32 entry);
const gchar *di_snapshot_entry_program(const DiSnapshot *self, guint32 entry);  /* "" when none */
DiNexus di_snapshot_entry_nexus(const DiSnapshot *self, guint32 entry);

/* Actors are numbered densely so that callers can keep per-actor tables
 * (tag ids, counters); id 0 is "no actor". */
guint di_snapshot_actor_count(const DiSnapshot *self);
const gchar *di_snapshot_actor_name(const DiSnapshot *self, guint32 actor_id);

#endif
