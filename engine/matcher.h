/* matcher.h: scan texts and look every candidate up in a snapshot.
 *
 * A DiMatchSet collects the distinct indicators matched in one message over
 * all its scanned fields.  It keeps a small inline array so that a message
 * with no match, or a few, allocates nothing.
 */
#ifndef DI_MATCHER_H
#define DI_MATCHER_H

#include "snapshot.h"

typedef struct
{
  guint32 entry;        /* snapshot entry id */
  guint32 attr;         /* its primary attribution at the time of the match
                         * (the best one that has not expired) */
  guint32 field;        /* index of the field it was found in */
  guint32 atomic_off;   /* the text as found: field text + atomic_off */
  guint32 atomic_len;
} DiMatch;

#define DI_MATCH_INLINE 16
/* At most this many matches are kept for one message: a hostile line packed
 * with public indicators must not cost quadratic time or unbounded output.
 * More than enough to tag the message and its incident. */
#define DI_MATCH_MAX 256

typedef struct
{
  DiMatch inline_matches[DI_MATCH_INLINE];
  DiMatch *matches;
  guint n;
  guint cap;
  gint64 now;           /* of the last di_match_text(): the report leaves out what expired */
} DiMatchSet;

void di_match_set_init(DiMatchSet *self);
void di_match_set_reset(DiMatchSet *self);   /* empty it, keep its memory */
void di_match_set_clear(DiMatchSet *self);   /* free what it allocated */
/* Appends m (no check for duplicates, no cap). */
void di_match_set_add(DiMatchSet *self, const DiMatch *m);

/* Scans text (field number `field`) and adds every distinct match that has
 * not expired at `now` (UNIX seconds).  Returns the number added. */
guint di_match_text(const DiSnapshot *snap, const gchar *text, gsize len, guint32 field, gint64 now,
                    DiMatchSet *set);

/* Whether attribution has expired at now. */
static inline gboolean
di_attribution_expired(const DiSnapshot *snap, guint32 attribution, gint64 now)
{
  gint64 valid_until = di_snapshot_attribution_valid_until(snap, attribution);
  return valid_until && now > valid_until;
}

#endif
