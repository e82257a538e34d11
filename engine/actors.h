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
/* Whether the alias table knows name: every actor in it is a DPRK actor. */
gboolean di_actor_is_dprk(const gchar *name);
/* The tag slug of INTERFACE §1: lower case, runs of other characters as `_`. */
gchar *di_actor_slug(const gchar *name);
/* Appends the slug of name to out. */
void di_actor_append_slug(GString *out, const gchar *name);

#endif
