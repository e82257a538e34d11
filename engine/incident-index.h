/* incident-index.h: open incidents found by key, in time independent of
 * what the keys are.
 *
 * Keys are rendered incident-key() templates, i.e. text a sender of log
 * lines may choose.  The index hashes them with SipHash under a per-process
 * random key (siphash.h), so no set of keys can be made to collide on
 * purpose, and probes linearly in a power-of-two array kept at most half
 * full: a lookup, an insert and a removal cost O(1) expected whatever the
 * keys.  The hash is computed by the caller, outside any lock it holds
 * (di_incident_index_hash()); the index itself is not locked.
 *
 * It stores the caller's key pointer and value, and owns neither: the key
 * must stay valid while it is in the index (the incident's own copy).
 */
#ifndef DI_INCIDENT_INDEX_H
#define DI_INCIDENT_INDEX_H

#include <glib.h>

typedef struct _DiIncidentIndex DiIncidentIndex;

guint64 di_incident_index_hash(const gchar *key);

DiIncidentIndex *di_incident_index_new(void);
void di_incident_index_free(DiIncidentIndex *self);

/* The value of key (hash = di_incident_index_hash(key)), NULL if absent. */
gpointer di_incident_index_lookup(const DiIncidentIndex *self, guint64 hash, const gchar *key);
/* key must not be in the index yet. */
void di_incident_index_insert(DiIncidentIndex *self, guint64 hash, const gchar *key, gpointer value);
/* TRUE if key was there. */
gboolean di_incident_index_remove(DiIncidentIndex *self, guint64 hash, const gchar *key);
guint di_incident_index_size(const DiIncidentIndex *self);

/* The longest distance of a key from its home slot: how bad a lookup can
 * get.  For tests and benchmarks. */
guint di_incident_index_max_probe(const DiIncidentIndex *self);

#endif
