/* warninglist.h: known-benign values that feeds list by mistake, and the
 * test the loader runs on every indicator before it loads it.
 *
 * The lists are MISP warninglists (github.com/MISP/misp-warninglists), read
 * in MISP's own JSON layout ({"name", "type", "list": [...]}), so that a
 * list can be refreshed from MISP as it is.  What a list's type means here:
 *
 *   string    exact values: a domain matches itself only (top-ranked domain
 *             lists: "github.io" is benign, "evil.github.io" is not), an IP,
 *             a hash, an e-mail address; ".example.com" matches nothing
 *   hostname  a domain and its subdomains; an entry written ".example.com"
 *             stands for the subdomains only
 *   cidr      IP ranges (and single addresses)
 *
 * substring and regex lists are not read (reported).  Whatever the list, an
 * entry is taken by its form: a CIDR or IP entry of a string list is a range,
 * a hash entry compares with hashes.  An indicator is benign when:
 * an IP lies in a listed range; a CIDR lies wholly in one; a domain matches
 * as above; a URL is a bare site ("https://box.com/", no path or query)
 * whose host is benign -- a URL with a path names one object and stays; a
 * hash or an e-mail address is listed.  Wallets are never suppressed.
 */
#ifndef DI_WARNINGLIST_H
#define DI_WARNINGLIST_H

#include "key.h"

/* (also declared in feed.h, which hands the lists to the readers) */
typedef struct _DiWarninglists DiWarninglists;

/* A list file larger than this is not read (public-dns-v4, the largest
 * MISP list we know, is 1.3 MB). */
#define DI_WARNINGLIST_MAX_FILE_SIZE ((gsize) 64 * 1024 * 1024)

DiWarninglists *di_warninglists_new(void);
void di_warninglists_free(DiWarninglists *self);

/* Loads the lists of paths: list files, directories of them (*.json, and
 * <name>/list.json as in a MISP checkout's lists/ folder, also the checkout
 * itself).  A list is named after its file, or its folder for list.json
 * ("tranco10k"); lists named in disabled are skipped ("all": every one).
 * A file that is not a warninglist is reported in problems ("FILE: ...")
 * and skipped: a broken list never stops the feeds from loading. */
void di_warninglists_load(DiWarninglists *self, const gchar *const *paths, const gchar *const *disabled,
                          GPtrArray *problems);
/* One list, read from text (for tests and single files). */
gboolean di_warninglists_add_json(DiWarninglists *self, const gchar *name, const gchar *json, gsize len,
                                  GError **error);

/* The name of a list that holds the indicator (type, key as the feed
 * reader normalised it), NULL when none does. */
const gchar *di_warninglists_find(const DiWarninglists *self, DiType type, const DiKey *key);

/* How many lists are loaded, and their names and entry counts. */
guint di_warninglists_count(const DiWarninglists *self);
const gchar *di_warninglists_name(const DiWarninglists *self, guint i);
guint di_warninglists_entries(const DiWarninglists *self, guint i);

#endif
