/* feed-version.h: the version of a loaded indicator set.
 *
 * A version is a content hash plus the time the set was loaded.  The hash
 * depends only on what is loaded -- the set of distinct (type, value, actor)
 * indicators -- never on file names or order, formatting, sources or load
 * time, so two relays that load the same indicators show the same hash.
 *
 * Text forms: "<16 hex digits>@<ISO 8601 UTC load time>", e.g.
 * "3f9a0c41d2e87b65@2025-02-21T14:13:05Z", and the short form, the hash
 * alone.  The hash is the part that identifies the set.
 */
#ifndef DI_FEED_VERSION_H
#define DI_FEED_VERSION_H

#include "snapshot.h"

typedef struct
{
  guint64 hash;         /* content hash of the distinct indicators */
  gint64 loaded_at;     /* UNIX seconds */
  gsize count;          /* distinct (type, value, actor) indicators */
} DiFeedVersion;

/* "<hash>@YYYY-MM-DDTHH:MM:SSZ" and its NUL */
#define DI_FEED_VERSION_TEXT_MAX 40
/* the short form: 16 lower-case hex digits and the NUL */
#define DI_FEED_VERSION_HASH_MAX 17

void di_feed_version_compute(DiFeedVersion *self, const DiSnapshot *snap, gint64 loaded_at);

/* The fingerprint of every distinct indicator of snap, sorted ascending;
 * *n is set to their number.  g_free() the result. */
guint64 *di_feed_version_fingerprints(const DiSnapshot *snap, gsize *n);

/* The fingerprint of each attribution of each entry, in entry order (*n of
 * them; a value attributed to two actors has two, one listed by two sources
 * of one actor the same one twice).  With first, (*first)[e] is where entry
 * e's begin and (*first)[count] is *n.  g_free() the result and *first. */
guint64 *di_feed_version_entry_fingerprints(const DiSnapshot *snap, gsize *n, guint32 **first);

/* The content hash of a set of distinct fingerprints, in any order. */
guint64 di_feed_version_hash(const guint64 *fingerprints, gsize n);

void di_feed_version_format(const DiFeedVersion *self, gchar buf[DI_FEED_VERSION_TEXT_MAX]);
void di_feed_version_format_hash(guint64 hash, gchar buf[DI_FEED_VERSION_HASH_MAX]);
/* Reads either text form; *loaded_at is 0 for the short form.  FALSE when
 * text is neither. */
gboolean di_feed_version_parse(const gchar *text, guint64 *hash, gint64 *loaded_at);

#endif
