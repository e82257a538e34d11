/* feed-dir.c: a directory's names in order (see feed-dir.h). */
#include "feed-dir.h"
#include <string.h>

static gint
_compare_names(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const gchar *const *) a, *(const gchar *const *) b);
}

GPtrArray *
di_feed_dir_names(const gchar *path, GError **error)
{
  GDir *dir = g_dir_open(path, 0, error);
  if (!dir)
    return NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const gchar *name;
  while ((name = g_dir_read_name(dir)))
    if (name[0] != '.')
      g_ptr_array_add(names, g_strdup(name));
  g_dir_close(dir);
  g_ptr_array_sort(names, _compare_names);
  return names;
}
