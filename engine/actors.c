/* actors.c: alias lookup over the compiled actor-aliases.tsv.
 *
 * The table is small (a few hundred names); it is folded into a hash table
 * once, on first use, and read-only afterwards.
 */
#include "actors.h"
#include "actor-table.h"
#include <string.h>

static GHashTable *folded_aliases;

/* "LAZARUS GROUP" and "lazarus-group" fold to "lazarusgroup". */
static gchar *
_fold(const gchar *name)
{
  GString *folded = g_string_sized_new(strlen(name));
  for (const gchar *p = name; *p; p++)
    if (g_ascii_isalnum(*p))
      g_string_append_c(folded, g_ascii_tolower(*p));
  return g_string_free(folded, FALSE);
}

static gpointer
_build_table(gpointer unused)
{
  GHashTable *table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (const DiActorAlias *a = di_actor_aliases; a->canonical; a++)
    {
      g_hash_table_replace(table, _fold(a->alias), (gpointer) a->canonical);
      g_hash_table_replace(table, _fold(a->canonical), (gpointer) a->canonical);
    }
  folded_aliases = table;
  return NULL;
}

static const gchar *
_lookup(const gchar *name)
{
  static GOnce once = G_ONCE_INIT;
  g_once(&once, _build_table, NULL);

  gchar *folded = _fold(name);
  const gchar *canonical = g_hash_table_lookup(folded_aliases, folded);
  g_free(folded);
  return canonical;
}

const gchar *
di_actor_canonical(const gchar *name)
{
  if (!name)
    return NULL;
  const gchar *canonical = _lookup(name);
  return canonical ? canonical : name;
}

gboolean
di_actor_is_dprk(const gchar *name)
{
  return name && _lookup(name) != NULL;
}

/* Names without ASCII letters or digits (Korean, Chinese) would all share
 * the empty slug: give them one derived from the name instead. */
static void
_append_hashed_slug(GString *out, const gchar *name)
{
  g_string_append_printf(out, "u%08x", g_str_hash(name));
}

void
di_actor_append_slug(GString *out, const gchar *name)
{
  gboolean pending_sep = FALSE;
  gsize start = out->len;
  for (const gchar *p = name; *p; p++)
    {
      if (g_ascii_isalnum(*p))
        {
          if (pending_sep && out->len > start)
            g_string_append_c(out, '_');
          g_string_append_c(out, g_ascii_tolower(*p));
          pending_sep = FALSE;
        }
      else
        pending_sep = TRUE;
    }
  if (out->len == start && *name)
    _append_hashed_slug(out, name);
}

gchar *
di_actor_slug(const gchar *name)
{
  GString *slug = g_string_new("");
  di_actor_append_slug(slug, name);
  return g_string_free(slug, FALSE);
}
