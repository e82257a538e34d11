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
_lookup_len(const gchar *name, gsize len)
{
  static GOnce once = G_ONCE_INIT;
  g_once(&once, _build_table, NULL);

  gchar *copy = g_strndup(name, len);
  gchar *folded = _fold(copy);
  const gchar *canonical = g_hash_table_lookup(folded_aliases, folded);
  g_free(folded);
  g_free(copy);
  return canonical;
}

/* Where MISP's mitre-intrusion-set galaxy appends the ATT&CK id to a name
 * ("Lazarus Group - G0032"): the offset of " - G", else -1. */
static gssize
_galaxy_suffix(const gchar *name)
{
  const gchar *dash = g_strrstr(name, " - G");
  if (!dash || !dash[4] || strspn(dash + 4, "0123456789") != strlen(dash + 4))
    return -1;
  return dash - name;
}

static const gchar *
_lookup(const gchar *name)
{
  const gchar *canonical = _lookup_len(name, strlen(name));
  gssize suffix = canonical ? -1 : _galaxy_suffix(name);
  if (suffix > 0)
    {
      canonical = _lookup_len(name, suffix);
      if (!canonical)
        canonical = _lookup_len(name + suffix + 3, strlen(name + suffix + 3));
    }
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

/* The predicate of a machine tag names an actor: threat-actor,
 * mitre-intrusion-set, microsoft-activity-group, actor ... */
static gboolean
_actor_predicate(const gchar *tag, gsize len)
{
  gchar *predicate = g_ascii_strdown(tag, len);
  gboolean yes = strstr(predicate, "actor") || strstr(predicate, "intrusion-set")
                 || strstr(predicate, "activity-group");
  g_free(predicate);
  return yes;
}

const gchar *
di_actor_from_label(const gchar *label)
{
  if (!label || !*label)
    return NULL;
  const gchar *canonical = _lookup(label);
  if (canonical)
    return canonical;

  /* misp-galaxy:threat-actor="Lazarus Group", recorded-future:threat-actor=X */
  const gchar *eq = strchr(label, '=');
  if (eq && memchr(label, ':', eq - label) && _actor_predicate(label, eq - label))
    {
      gchar *value = g_strdup(eq + 1);
      gsize n = strlen(value);
      if (n >= 2 && value[0] == '"' && value[n - 1] == '"')
        {
          memmove(value, value + 1, n - 2);
          value[n - 2] = '\0';
        }
      canonical = _lookup(value);
      g_free(value);
      return canonical;
    }
  /* "Actor: Lazarus" */
  if (g_ascii_strncasecmp(label, "actor:", 6) == 0)
    return _lookup(label + 6);
  return NULL;
}

/* One word of text: a run of ASCII letters and digits. */
static const gchar *
_next_word(const gchar *p, const gchar **end)
{
  while (*p && !g_ascii_isalnum(*p))
    p++;
  *end = p;
  while (g_ascii_isalnum(**end))
    (*end)++;
  return *p ? p : NULL;
}

#define DI_ACTOR_TEXT_WORDS 6       /* the longest alias has fewer words */
#define DI_ACTOR_TEXT_MIN_CHARS 4   /* "GOP" alone in prose is not an actor */

static gsize
_alnum_count(const gchar *p, const gchar *end)
{
  gsize n = 0;
  for (; p < end; p++)
    n += g_ascii_isalnum(*p) ? 1 : 0;
  return n;
}

const gchar *
di_actor_find_in_text(const gchar *text)
{
  const gchar *end;
  for (const gchar *start = text ? _next_word(text, &end) : NULL; start; start = _next_word(end, &end))
    {
      /* the longest run of words from here that names an actor */
      const gchar *best = NULL, *stop = end;
      for (guint words = 1; words <= DI_ACTOR_TEXT_WORDS; words++)
        {
          const gchar *canonical = _lookup_len(start, stop - start);
          if (canonical && _alnum_count(start, stop) >= DI_ACTOR_TEXT_MIN_CHARS)
            best = canonical;
          if (!_next_word(stop, &stop))
            break;
        }
      if (best)
        return best;
    }
  return NULL;
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
