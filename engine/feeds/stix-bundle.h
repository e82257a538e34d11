/* stix-bundle.h: the objects of one STIX 2.0 / 2.1 bundle, indexed, and the
 * question the reader asks of them: whom does an indicator belong to?
 *
 * Feeds state the actor in several ways, most explicit first:
 *   1. relationships: indicator "indicates" a threat-actor / intrusion-set,
 *      or a campaign, malware ... that is "attributed-to" one (a few hops);
 *   2. the indicator's own labels (a name the alias table knows, or a machine
 *      tag such as misp-galaxy:threat-actor="Lazarus Group");
 *   3. the bundle's actor: its threat-actor / intrusion-set objects (and the
 *      threat-actor attributes of MISP's converter) when they all name one
 *      actor;
 *   4. the report that lists the indicator (or the bundle's only report):
 *      its labels, then its name, then -- a heuristic -- an alias in the
 *      words of its labels and name.
 * An actor object's own name beats its alias list; an alias list is used
 * only when all its known aliases agree.
 *
 * Hostile bundles: every walk keeps a visited set, the result of a walk from
 * each node is kept, and the whole bundle has a budget of relationship steps
 * (step_limit); past it no further relationship is followed and
 * di_stix_bundle_steps() tells how far it went.  Everything borrowed from
 * the JSON document, which must outlive the bundle.
 */
#ifndef DI_STIX_BUNDLE_H
#define DI_STIX_BUNDLE_H

#include "snapshot.h"

struct json_object;
typedef struct _DiStixBundle DiStixBundle;

/* Relationship steps allowed per object of the bundle, plus a floor. */
#define DI_STIX_STEPS_PER_OBJECT 64
#define DI_STIX_STEPS_FLOOR 4096

DiStixBundle *di_stix_bundle_new(struct json_object *objects, gsize step_limit);
void di_stix_bundle_free(DiStixBundle *self);

/* The object with this id, or NULL. */
struct json_object *di_stix_bundle_object(DiStixBundle *self, const gchar *id);

/* The actor of an indicator (a name for the alias table), or NULL.  *nexus
 * becomes DI_NEXUS_DPRK when the bundle says DPRK without naming an actor (a
 * report labelled "DPRK" or "North Korea"); it is left alone otherwise. */
const gchar *di_stix_bundle_actor(DiStixBundle *self, struct json_object *indicator, DiNexus *nexus);

/* Relationship steps taken so far; TRUE once the limit stopped a walk. */
gsize di_stix_bundle_steps(const DiStixBundle *self);
gboolean di_stix_bundle_limit_hit(const DiStixBundle *self);

#endif
