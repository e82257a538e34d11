/* feed-dir.h: the entries of a directory of feeds or of warninglists, in
 * name order, so that a load reads them in an order the user can predict. */
#ifndef DI_FEED_DIR_H
#define DI_FEED_DIR_H

#include <glib.h>

/* The names in path that do not start with '.', sorted (byte order); NULL
 * with error set when the directory cannot be read.  Free with
 * g_ptr_array_free(names, TRUE). */
GPtrArray *di_feed_dir_names(const gchar *path, GError **error);

#endif
