/* warninglist.c: MISP warninglists, read into hash tables that answer "is
 * this indicator benign?" at load time (see warninglist.h for the rules).
 *
 * Every entry is stored by its normalised key, the form feed values take,
 * so that "Box.com." in a list and "box.com" in a feed are one value.
 * Ranges are kept per prefix length: an address is tested against each
 * length some list uses (at most 33 or 129 probes), whatever the number of
 * ranges (public-dns-v4 has 60,000).
 */
#include "warninglist.h"
#include "feed-dir.h"
#include "normalize.h"
#include <json.h>
#include <string.h>
#include <sys/stat.h>

typedef struct
{
  gchar *name;
  guint entries;
} Warninglist;

struct _DiWarninglists
{
  GPtrArray *lists;            /* of Warninglist* */
  GHashTable *exact;           /* GBytes [class, key bytes] -> list index + 1 */
  GHashTable *domains;         /* domain -> list index + 1: it and its subdomains */
  GHashTable *below;           /* domain -> list index + 1: its subdomains only */
  GHashTable *ranges;          /* GBytes [class, prefix, masked address] -> list index + 1 */
  gboolean lens4[33], lens6[129];
};

static void
_list_free(gpointer p)
{
  Warninglist *l = p;
  g_free(l->name);
  g_free(l);
}

DiWarninglists *
di_warninglists_new(void)
{
  DiWarninglists *self = g_new0(DiWarninglists, 1);
  self->lists = g_ptr_array_new_with_free_func(_list_free);
  self->exact = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  self->domains = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  self->below = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  self->ranges = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  return self;
}

void
di_warninglists_free(DiWarninglists *self)
{
  if (!self)
    return;
  g_ptr_array_free(self->lists, TRUE);
  g_hash_table_destroy(self->exact);
  g_hash_table_destroy(self->domains);
  g_hash_table_destroy(self->below);
  g_hash_table_destroy(self->ranges);
  g_free(self);
}

guint
di_warninglists_count(const DiWarninglists *self)
{
  return self ? self->lists->len : 0;
}

const gchar *
di_warninglists_name(const DiWarninglists *self, guint i)
{
  return ((Warninglist *) self->lists->pdata[i])->name;
}

guint
di_warninglists_entries(const DiWarninglists *self, guint i)
{
  return ((Warninglist *) self->lists->pdata[i])->entries;
}

/* ---- keys --------------------------------------------------------------- */

static GBytes *
_bytes_key(guint8 cls, const guint8 *bytes, gsize len)
{
  guint8 buf[1 + DI_KEY_MAX];
  buf[0] = cls;
  memcpy(buf + 1, bytes, len);
  return g_bytes_new(buf, len + 1);
}

/* [class, prefix, address masked to prefix] of an address family. */
static GBytes *
_range_key(guint8 cls, guint prefix, const guint8 *addr, guint addr_len)
{
  guint8 buf[2 + 16];
  buf[0] = cls;
  buf[1] = prefix;
  for (guint i = 0; i < addr_len; i++)
    {
      guint keep = prefix >= 8 * (i + 1) ? 8 : (prefix > 8 * i ? prefix - 8 * i : 0);
      buf[2 + i] = addr[i] & (guint8) (0xff00 >> keep);
    }
  return g_bytes_new(buf, 2 + addr_len);
}

/* ---- loading ------------------------------------------------------------ */

typedef enum { LIST_STRING, LIST_HOSTNAME, LIST_CIDR } ListKind;

/* The first list to name a value keeps it. */
static void
_insert_bytes(GHashTable *table, GBytes *key, guint list)
{
  if (g_hash_table_contains(table, key))
    g_bytes_unref(key);
  else
    g_hash_table_insert(table, key, GUINT_TO_POINTER(list + 1));
}

static void
_add_range(DiWarninglists *self, const DiKey *key, guint list)
{
  guint8 cls = key->cls == DI_KEY_CIDR4 || key->cls == DI_KEY_IPV4 ? DI_KEY_IPV4 : DI_KEY_IPV6;
  guint addr_len = cls == DI_KEY_IPV4 ? 4 : 16;
  gboolean is_cidr = key->cls == DI_KEY_CIDR4 || key->cls == DI_KEY_CIDR6;
  guint prefix = is_cidr ? key->bytes[0] : addr_len * 8;
  const guint8 *addr = is_cidr ? key->bytes + 1 : key->bytes;
  _insert_bytes(self->ranges, _range_key(cls, prefix, addr, addr_len), list);
  if (cls == DI_KEY_IPV4)
    self->lens4[prefix] = TRUE;
  else
    self->lens6[prefix] = TRUE;
}

static void
_add_string(GHashTable *table, const DiKey *key, guint list)
{
  gchar *s = g_strndup((const gchar *) key->bytes, key->len);
  if (g_hash_table_contains(table, s))
    g_free(s);
  else
    g_hash_table_insert(table, s, GUINT_TO_POINTER(list + 1));
}

/* One entry; FALSE when its form is none we compare (ssdeep, sha512, "3::"). */
static gboolean
_add_entry(DiWarninglists *self, ListKind kind, const gchar *value, guint list)
{
  gsize len = strlen(value);
  while (len && g_ascii_isspace(value[len - 1]))
    len--;
  while (len && g_ascii_isspace(*value))
    {
      value++;
      len--;
    }
  /* ".example.com" in a hostname list: the subdomains; in a string list
   * it is an exact value, which no domain equals */
  gboolean subdomains_only = kind == LIST_HOSTNAME && len > 1 && value[0] == '.';
  if (subdomains_only)
    {
      value++;
      len--;
    }
  DiKey key;
  DiType type;
  if (!len || !di_normalize(DI_TYPE_NONE, value, len, &key, &type, NULL))
    return FALSE;
  switch (key.cls)
    {
    case DI_KEY_IPV4:
    case DI_KEY_IPV6:
    case DI_KEY_CIDR4:
    case DI_KEY_CIDR6:
      _add_range(self, &key, list);
      return TRUE;
    case DI_KEY_DOMAIN:
      if (subdomains_only)
        _add_string(self->below, &key, list);
      else if (kind == LIST_HOSTNAME)
        _add_string(self->domains, &key, list);
      else
        _insert_bytes(self->exact, _bytes_key(key.cls, key.bytes, key.len), list);
      return TRUE;
    case DI_KEY_HASH:
    case DI_KEY_EMAIL:
      _insert_bytes(self->exact, _bytes_key(key.cls, key.bytes, key.len), list);
      return TRUE;
    default:
      return FALSE;     /* URLs, wallets: not what warninglists are for */
    }
}

gboolean
di_warninglists_add_json(DiWarninglists *self, const gchar *name, const gchar *json, gsize len, GError **error)
{
  json_tokener *tok = json_tokener_new();
  json_object *root = json_tokener_parse_ex(tok, json, (gint) MIN(len, (gsize) G_MAXINT));
  gboolean complete = json_tokener_get_error(tok) == json_tokener_success;
  json_tokener_free(tok);
  json_object *values = NULL, *type = NULL;
  if (!complete || !root || !json_object_is_type(root, json_type_object)
      || !json_object_object_get_ex(root, "list", &values) || !json_object_is_type(values, json_type_array))
    {
      g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                  "not a MISP warninglist: expected a JSON object with a \"list\" array");
      json_object_put(root);
      return FALSE;
    }
  const gchar *kind_name = json_object_object_get_ex(root, "type", &type) ? json_object_get_string(type) : "string";
  ListKind kind;
  if (g_strcmp0(kind_name, "string") == 0)
    kind = LIST_STRING;
  else if (g_strcmp0(kind_name, "hostname") == 0)
    kind = LIST_HOSTNAME;
  else if (g_strcmp0(kind_name, "cidr") == 0)
    kind = LIST_CIDR;
  else
    {
      g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "warninglists of type '%s' are not read "
                  "(string, hostname and cidr are)", kind_name ? kind_name : "?");
      json_object_put(root);
      return FALSE;
    }

  Warninglist *list = g_new0(Warninglist, 1);
  list->name = g_strdup(name);
  guint index = self->lists->len;
  g_ptr_array_add(self->lists, list);
  for (gsize i = 0; i < json_object_array_length(values); i++)
    {
      json_object *v = json_object_array_get_idx(values, i);
      if (json_object_is_type(v, json_type_string) && _add_entry(self, kind, json_object_get_string(v), index))
        list->entries++;
    }
  json_object_put(root);
  return TRUE;
}

static gboolean
_disabled(const gchar *const *disabled, const gchar *name)
{
  for (const gchar *const *d = disabled; d && *d; d++)
    if (g_ascii_strcasecmp(*d, "all") == 0 || strcmp(*d, name) == 0)
      return TRUE;
  return FALSE;
}

/* tranco10k/list.json -> "tranco10k"; public-dns.json -> "public-dns" */
static gchar *
_list_name(const gchar *path)
{
  gchar *base = g_path_get_basename(path);
  if (strcmp(base, "list.json") == 0)
    {
      gchar *dir = g_path_get_dirname(path);
      g_free(base);
      base = g_path_get_basename(dir);
      g_free(dir);
      return base;
    }
  if (g_str_has_suffix(base, ".json"))
    base[strlen(base) - 5] = '\0';
  return base;
}

/* "PATH: what", the path escaped: it is shown in syslog-ng's log. */
static void
_problem(GPtrArray *problems, const gchar *path, const gchar *what)
{
  gchar *shown = g_strescape(path, NULL);
  g_ptr_array_add(problems, g_strdup_printf("%s: %s", shown, what));
  g_free(shown);
}

static void
_load_file(DiWarninglists *self, const gchar *path, const gchar *const *disabled, GPtrArray *problems)
{
  gchar *name = _list_name(path);
  struct stat st;
  gchar *data = NULL;
  gsize len;
  GError *error = NULL;
  if (_disabled(disabled, name))
    ;
  else if (stat(path, &st) == 0 && (guint64) st.st_size > DI_WARNINGLIST_MAX_FILE_SIZE)
    _problem(problems, path, "larger than 64 MB; the list is not used");
  /* read, not mapped: g_file_get_contents() read()s */
  else if (!g_file_get_contents(path, &data, &len, &error)
           || !di_warninglists_add_json(self, name, data, len, &error))
    {
      gchar *what = g_strdup_printf("%s; the list is not used", error->message);
      _problem(problems, path, what);
      g_free(what);
      g_error_free(error);
    }
  g_free(data);
  g_free(name);
}

/* *.json files of a directory, <name>/list.json of its subdirectories,
 * and a checkout's lists/ folder; in name order. */
static void
_load_dir(DiWarninglists *self, const gchar *path, const gchar *const *disabled, GPtrArray *problems, gint depth)
{
  GPtrArray *names = di_feed_dir_names(path, NULL);
  if (!names)
    {
      _problem(problems, path, "cannot read directory");
      return;
    }
  for (guint i = 0; i < names->len; i++)
    {
      const gchar *n = names->pdata[i];
      gchar *full = g_build_filename(path, n, NULL);
      if (g_file_test(full, G_FILE_TEST_IS_DIR) && depth < 2)
        {
          gchar *list = g_build_filename(full, "list.json", NULL);
          if (g_file_test(list, G_FILE_TEST_IS_REGULAR))
            _load_file(self, list, disabled, problems);
          else if (strcmp(n, "lists") == 0)
            _load_dir(self, full, disabled, problems, depth + 1);
          g_free(list);
        }
      else if (g_str_has_suffix(n, ".json") && strcmp(n, "schema.json") != 0
               && g_file_test(full, G_FILE_TEST_IS_REGULAR))
        _load_file(self, full, disabled, problems);
      g_free(full);
    }
  g_ptr_array_free(names, TRUE);
}

void
di_warninglists_load(DiWarninglists *self, const gchar *const *paths, const gchar *const *disabled,
                     GPtrArray *problems)
{
  for (const gchar *const *p = paths; p && *p; p++)
    {
      if (g_file_test(*p, G_FILE_TEST_IS_DIR))
        _load_dir(self, *p, disabled, problems, 0);
      else if (g_file_test(*p, G_FILE_TEST_EXISTS))
        _load_file(self, *p, disabled, problems);
      else
        _problem(problems, *p, "cannot read: no such file or directory");
    }
}

/* ---- lookups ------------------------------------------------------------ */

static const gchar *
_name_of(const DiWarninglists *self, gpointer found)
{
  return found ? di_warninglists_name(self, GPOINTER_TO_UINT(found) - 1) : NULL;
}

/* An address (prefix = all its bits) or a network: in a listed range? */
static const gchar *
_find_range(const DiWarninglists *self, guint8 cls, const guint8 *addr, guint prefix)
{
  const gboolean *lens = cls == DI_KEY_IPV4 ? self->lens4 : self->lens6;
  guint addr_len = cls == DI_KEY_IPV4 ? 4 : 16;
  for (guint p = 0; p <= prefix; p++)
    if (lens[p])
      {
        GBytes *k = _range_key(cls, p, addr, addr_len);
        gpointer found = g_hash_table_lookup(self->ranges, k);
        g_bytes_unref(k);
        if (found)
          return _name_of(self, found);
      }
  return NULL;
}

static const gchar *
_find_domain(const DiWarninglists *self, const gchar *domain, gsize len)
{
  GBytes *k = _bytes_key(DI_KEY_DOMAIN, (const guint8 *) domain, len);
  const gchar *found = _name_of(self, g_hash_table_lookup(self->exact, k));
  g_bytes_unref(k);
  gchar *d = g_strndup(domain, len);
  for (const gchar *p = d; !found;)
    {
      found = _name_of(self, g_hash_table_lookup(self->domains, p));
      if (!found && p != d)
        found = _name_of(self, g_hash_table_lookup(self->below, p));
      const gchar *dot = strchr(p, '.');
      if (!dot)
        break;
      p = dot + 1;
    }
  g_free(d);
  return found;
}

/* A URL that names a whole site: "scheme://host[:port]" and "/" at most. */
static const gchar *
_find_url(const DiWarninglists *self, const DiKey *key)
{
  const gchar *text = (const gchar *) key->bytes;
  DiUrlParts parts;
  DiKey url;
  if (!di_url_parse(text, key->len, &parts, &url))
    return NULL;
  gsize rest = key->len - parts.authority_end;
  if (rest > 1 || (rest == 1 && text[parts.authority_end] != '/'))
    return NULL;
  DiKey host;
  DiType type;
  if (!di_normalize(parts.host_type == DI_TYPE_NONE ? DI_TYPE_DOMAIN : parts.host_type, text + parts.host_off,
                    parts.host_len, &host, &type, NULL))
    return NULL;
  return di_warninglists_find(self, type, &host);
}

const gchar *
di_warninglists_find(const DiWarninglists *self, DiType type, const DiKey *key)
{
  if (!self || !self->lists->len)
    return NULL;
  switch (key->cls)
    {
    case DI_KEY_IPV4:
    case DI_KEY_IPV6:
      return _find_range(self, key->cls, key->bytes, key->cls == DI_KEY_IPV4 ? 32 : 128);
    case DI_KEY_CIDR4:
      return _find_range(self, DI_KEY_IPV4, key->bytes + 1, key->bytes[0]);
    case DI_KEY_CIDR6:
      return _find_range(self, DI_KEY_IPV6, key->bytes + 1, key->bytes[0]);
    case DI_KEY_DOMAIN:
      return _find_domain(self, (const gchar *) key->bytes, key->len);
    case DI_KEY_URL:
      return _find_url(self, key);
    case DI_KEY_HASH:
    case DI_KEY_EMAIL:
      {
        GBytes *k = _bytes_key(key->cls, key->bytes, key->len);
        const gchar *found = _name_of(self, g_hash_table_lookup(self->exact, k));
        g_bytes_unref(k);
        return found;
      }
    default:
      return NULL;
    }
}
