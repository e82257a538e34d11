/* actors.h: canonical DPRK actor names and their aliases.
 *
 * The table itself is data (actor-aliases.tsv, compiled in at build time), so
 * analysts can review and extend it without reading C.  Names compare after
 * folding case and dropping everything but letters and digits, so
 * "LAZARUS GROUP", "lazarus-group" and "Lazarus Group" are one actor.
 */
#ifndef DI_ACTORS_H
#define DI_ACTORS_H

#include <glib.h>

/* The canonical name for name, or name itself when it is not in the table. */
const gchar *di_actor_canonical(const gchar *name);
/* Whether the alias table knows name: every actor in it is a DPRK actor.
 * MISP's "Lazarus Group - G0032" form is known by its name or its id. */
gboolean di_actor_is_dprk(const gchar *name);
/* The canonical actor a feed label or tag names, or NULL: the label itself
 * ("Lazarus Group"), a machine tag whose predicate names an actor
 * (misp-galaxy:threat-actor="Lazarus Group", recorded-future:threat-actor=X)
 * or "Actor: X".  Only names the table knows. */
const gchar *di_actor_from_label(const gchar *label);
/* A heuristic for prose (a report title): the first run of up to six words
 * that the table knows, of at least four letters and digits ("MagicRAT:
 * Lazarus' latest gateway" -> Lazarus Group), else NULL.  Linear in the text
 * times six.  Use it only when the feed names no actor explicitly. */
const gchar *di_actor_find_in_text(const gchar *text);
/* The tag slug of INTERFACE §1: lower case, runs of other characters as `_`. */
gchar *di_actor_slug(const gchar *name);
/* Appends the slug of name to out. */
void di_actor_append_slug(GString *out, const gchar *name);

#endif
