/* feed-stix.c: STIX 2.1 bundles (INTERFACE §3).
 *
 * Each `indicator` whose pattern compares only the properties below becomes
 * one indicator per comparison, whether they are joined by OR or by AND
 * (FOLLOWEDBY and qualifiers such as WITHIN are read like AND):
 *
 *   ipv4-addr:value  ipv6-addr:value  domain-name:value  url:value
 *   email-addr:value  file:hashes.'SHA-256' | 'SHA-1' | 'MD5'
 *   cryptocurrency-wallet:value | :address
 *
 * A pattern with any other comparison (process:name, network-traffic ports,
 * != or LIKE ...) would match more than its author meant if we kept only the
 * parts we understand, so the whole indicator is ignored (counted, no error).
 * The actor comes from threat-actor / intrusion-set objects that relationship
 * objects tie to the indicator ("indicates", then "attributed-to" from a
 * campaign or intrusion set), else from labels the alias table knows.
 *
 * The JSON and actor helpers shared with the MISP reader live here too.
 */
#include "feed-formats.h"
#include "stix-pattern.h"
#include "actors.h"
#include <json.h>
#include <string.h>

/* ---- shared JSON and actor helpers ---------------------------------- */

static void
_line_and_column(const gchar *data, gsize offset, gsize *line, gsize *column)
{
  *line = 1;
  gsize line_start = 0;
  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n')
      {
        (*line)++;
        line_start = i + 1;
      }
  *column = offset - line_start + 1;
}

static gboolean
_only_space(const gchar *p, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace(p[i]))
      return FALSE;
  return TRUE;
}

static json_object *
_parse_json(DiFeedContext *ctx, const gchar *data, gsize len)
{
  gsize line, column;
  if (_only_space(data, len))
    {
      di_feed_error(ctx, 1, "empty file: expected a JSON document");
      return NULL;
    }
  if (len > G_MAXINT)
    {
      di_feed_error(ctx, 0, "file too large for the JSON reader");
      return NULL;
    }

  json_tokener *tok = json_tokener_new();
  json_object *root = json_tokener_parse_ex(tok, data, (gint) len);
  enum json_tokener_error jerr = json_tokener_get_error(tok);
  gsize end = json_tokener_get_parse_end(tok);
  json_tokener_free(tok);

  if (!root && jerr == json_tokener_continue)
    {
      /* the line of the last character there is */
      gsize last = len;
      while (last > 0 && g_ascii_isspace(data[last - 1]))
        last--;
      _line_and_column(data, last ? last - 1 : 0, &line, &column);
      di_feed_error(ctx, line, "the JSON document ends too early: the file is truncated, "
                    "or a closing bracket or quote is missing");
    }
  else if (!root)
    {
      _line_and_column(data, MIN(end, len), &line, &column);
      di_feed_error(ctx, line, "invalid JSON at column %" G_GSIZE_FORMAT ": %s", column,
                    json_tokener_error_desc(jerr));
    }
  else if (end < len && !_only_space(data + end, len - end))
    {
      _line_and_column(data, end, &line, &column);
      di_feed_error(ctx, line, "invalid JSON at column %" G_GSIZE_FORMAT ": text after the end of the document",
                    column);
      json_object_put(root);
      root = NULL;
    }
  return root;
}

json_object *
di_feed_read_json(DiFeedContext *ctx)
{
  gchar *data;
  gsize len;
  GError *error = NULL;
  if (!g_file_get_contents(ctx->filename, &data, &len, &error))
    {
      di_feed_error(ctx, 0, "cannot read: %s", error->message);
      g_error_free(error);
      return NULL;
    }
  gsize skip = (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) ? 3 : 0;
  json_object *root = _parse_json(ctx, data + skip, len - skip);
  g_free(data);
  return root;
}

const gchar *
di_json_string(json_object *obj, const gchar *key)
{
  json_object *v;
  if (!obj || !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
    return NULL;
  return json_object_get_string(v);
}

json_object *
di_json_array(json_object *obj, const gchar *key)
{
  json_object *v;
  if (!obj || !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_array))
    return NULL;
  return v;
}

gboolean
di_feed_actor_known(const gchar *name)
{
  return name && *name && di_actor_is_dprk(name);
}

/* ---- the bundle ------------------------------------------------------- */

typedef struct
{
  DiFeedContext *ctx;
  GHashTable *by_id;        /* id -> json_object (borrowed) */
  GHashTable *relations;    /* source_ref -> GPtrArray of relationship objects */
} StixBundle;

static void
_index_objects(StixBundle *b, json_object *objects)
{
  gsize n = json_object_array_length(objects);
  for (gsize i = 0; i < n; i++)
    {
      json_object *o = json_object_array_get_idx(objects, i);
      const gchar *id = di_json_string(o, "id");
      if (id)
        g_hash_table_insert(b->by_id, (gpointer) id, o);
      const gchar *source = di_json_string(o, "source_ref");
      if (g_strcmp0(di_json_string(o, "type"), "relationship") != 0 || !source || !di_json_string(o, "target_ref"))
        continue;
      GPtrArray *list = g_hash_table_lookup(b->relations, source);
      if (!list)
        {
          list = g_ptr_array_new();
          g_hash_table_insert(b->relations, (gpointer) source, list);
        }
      g_ptr_array_add(list, o);
    }
}

static gboolean
_is_actor_object(json_object *o)
{
  const gchar *type = di_json_string(o, "type");
  return g_strcmp0(type, "threat-actor") == 0 || g_strcmp0(type, "intrusion-set") == 0;
}

/* The name of an actor object the alias table knows (its name or one of its
 * aliases), else NULL. */
static const gchar *
_known_actor_name(json_object *o)
{
  const gchar *name = di_json_string(o, "name");
  if (di_feed_actor_known(name))
    return name;
  json_object *aliases = di_json_array(o, "aliases");
  for (gsize i = 0; aliases && i < json_object_array_length(aliases); i++)
    {
      const gchar *alias = json_object_get_string(json_object_array_get_idx(aliases, i));
      if (json_object_is_type(json_object_array_get_idx(aliases, i), json_type_string) && di_feed_actor_known(alias))
        return alias;
    }
  return NULL;
}

/* Walks relationships of type rel_type out of id, a few hops at most (bundles
 * may hold cycles).  Sets *known to the first actor the alias table knows and
 * *any to the first actor at all. */
static void
_find_actor(StixBundle *b, const gchar *id, const gchar *rel_type, guint hops, const gchar **known,
            const gchar **any)
{
  GPtrArray *list = g_hash_table_lookup(b->relations, id);
  for (guint i = 0; list && i < list->len && !*known; i++)
    {
      json_object *rel = list->pdata[i];
      if (g_strcmp0(di_json_string(rel, "relationship_type"), rel_type) != 0)
        continue;
      json_object *target = g_hash_table_lookup(b->by_id, di_json_string(rel, "target_ref"));
      if (!target)
        continue;
      if (_is_actor_object(target))
        {
          *known = _known_actor_name(target);
          if (!*any)
            *any = di_json_string(target, "name");
        }
      if (!*known && hops < 3)
        _find_actor(b, di_json_string(target, "id"), "attributed-to", hops + 1, known, any);
    }
}

static const gchar *
_indicator_actor(StixBundle *b, json_object *indicator)
{
  const gchar *known = NULL, *any = NULL;
  const gchar *id = di_json_string(indicator, "id");
  if (id)
    _find_actor(b, id, "indicates", 0, &known, &any);
  if (known || any)
    return known ? known : any;

  json_object *labels = di_json_array(indicator, "labels");
  for (gsize i = 0; labels && i < json_object_array_length(labels); i++)
    {
      json_object *label = json_object_array_get_idx(labels, i);
      if (json_object_is_type(label, json_type_string) && di_feed_actor_known(json_object_get_string(label)))
        return json_object_get_string(label);
    }
  return NULL;
}

static const gchar *
_indicator_reference(json_object *indicator)
{
  json_object *refs = di_json_array(indicator, "external_references");
  for (gsize i = 0; refs && i < json_object_array_length(refs); i++)
    {
      const gchar *url = di_json_string(json_object_array_get_idx(refs, i), "url");
      if (url && *url)
        return url;
    }
  return di_json_string(indicator, "id");
}

static const gchar *
_indicator_source(StixBundle *b, json_object *indicator)
{
  const gchar *creator = di_json_string(indicator, "created_by_ref");
  const gchar *name = creator ? di_json_string(g_hash_table_lookup(b->by_id, creator), "name") : NULL;
  return name && *name ? name : "STIX";
}

/* ---- patterns --------------------------------------------------------- */

/* The type a comparison yields, or FALSE when it is not one we load.
 * DI_TYPE_NONE with TRUE: a wallet whose chain is inferred from the value. */
static gboolean
_comparison_type(const DiStixComparison *c, DiType *type)
{
  static const struct
  {
    const gchar *object;
    DiType type;
  } values[] =
  {
    { "ipv4-addr", DI_TYPE_IPV4 }, { "ipv6-addr", DI_TYPE_IPV6 }, { "domain-name", DI_TYPE_DOMAIN },
    { "url", DI_TYPE_URL }, { "email-addr", DI_TYPE_EMAIL }, { "cryptocurrency-wallet", DI_TYPE_NONE },
  };

  if (strcmp(c->op, "=") != 0 || !c->is_string || !c->path[0])
    return FALSE;
  if (strcmp(c->object, "file") == 0)
    {
      if (strcmp(c->path[0], "hashes") != 0 || !c->path[1] || c->path[2])
        return FALSE;
      const gchar *h = c->path[1];
      if (g_ascii_strcasecmp(h, "SHA-256") == 0 || g_ascii_strcasecmp(h, "SHA256") == 0)
        *type = DI_TYPE_SHA256;
      else if (g_ascii_strcasecmp(h, "SHA-1") == 0 || g_ascii_strcasecmp(h, "SHA1") == 0)
        *type = DI_TYPE_SHA1;
      else if (g_ascii_strcasecmp(h, "MD5") == 0)
        *type = DI_TYPE_MD5;
      else
        return FALSE;
      return TRUE;
    }
  if (c->path[1])
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS(values); i++)
    if (strcmp(c->object, values[i].object) == 0)
      {
        *type = values[i].type;
        if (*type == DI_TYPE_NONE)
          return strcmp(c->path[0], "value") == 0 || strcmp(c->path[0], "address") == 0;
        return strcmp(c->path[0], "value") == 0;
      }
  return FALSE;
}

static void
_add_comparison(StixBundle *b, const gchar *path, const DiStixComparison *c, DiType type,
                const DiIndicatorMeta *meta)
{
  gchar *where = g_strdup_printf("%s: column %u", path, c->column);
  if ((type == DI_TYPE_IPV4 || type == DI_TYPE_IPV6) && strchr(c->value, '/'))
    type = DI_TYPE_CIDR;   /* STIX writes networks as ipv4-addr:value = '10.0.0.0/8' */
  if (type == DI_TYPE_NONE)
    {
      DiType wallet = di_infer_type(c->value, strlen(c->value));
      if (!di_type_is_wallet(wallet))
        {
          di_feed_error_at(b->ctx, where, "'%s' is not a cryptocurrency address of a chain we know", c->value);
          g_free(where);
          return;
        }
      type = wallet;
    }
  di_feed_add(b->ctx, 0, where, type, c->value, -1, meta);
  g_free(where);
}

/* Adds the indicators of one pattern; FALSE when the pattern holds
 * comparisons we do not load (the indicator is then ignored). */
static gboolean
_read_pattern(StixBundle *b, const gchar *path, const DiStixPattern *pattern, const DiIndicatorMeta *meta)
{
  DiType *types = g_new(DiType, pattern->comparisons->len);
  gboolean usable = pattern->comparisons->len > 0;
  for (guint i = 0; usable && i < pattern->comparisons->len; i++)
    usable = _comparison_type(pattern->comparisons->pdata[i], &types[i]);
  for (guint i = 0; usable && i < pattern->comparisons->len; i++)
    _add_comparison(b, path, pattern->comparisons->pdata[i], types[i], meta);
  g_free(types);
  return usable;
}

/* ---- indicators ------------------------------------------------------- */

static gboolean
_read_confidence(StixBundle *b, const gchar *path, json_object *indicator, DiIndicatorMeta *meta)
{
  json_object *v;
  meta->confidence = -1;
  if (!json_object_object_get_ex(indicator, "confidence", &v))
    return TRUE;
  gint64 c = json_object_get_int64(v);
  if (!json_object_is_type(v, json_type_int) || c < 0 || c > 100)
    {
      di_feed_error_at(b->ctx, path, "confidence must be a whole number from 0 to 100, not %s",
                       json_object_to_json_string(v));
      return FALSE;
    }
  meta->confidence = c;
  return TRUE;
}

static gboolean
_read_valid_until(StixBundle *b, const gchar *path, json_object *indicator, DiIndicatorMeta *meta)
{
  json_object *v;
  meta->valid_until = 0;
  if (!json_object_object_get_ex(indicator, "valid_until", &v))
    return TRUE;
  const gchar *text = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
  if (!text || (meta->valid_until = di_feed_parse_time(text)) < 0)
    {
      di_feed_error_at(b->ctx, path, "valid_until %s is not an ISO 8601 timestamp", json_object_to_json_string(v));
      return FALSE;
    }
  return TRUE;
}

static void
_read_indicator(StixBundle *b, gsize index, json_object *indicator)
{
  gchar *path = g_strdup_printf("$.objects[%" G_GSIZE_FORMAT "]", index);
  gchar *pattern_path = g_strconcat(path, ".pattern", NULL);
  gchar *confidence_path = g_strconcat(path, ".confidence", NULL);
  gchar *valid_until_path = g_strconcat(path, ".valid_until", NULL);
  json_object *revoked;
  const gchar *pattern_type = di_json_string(indicator, "pattern_type");
  const gchar *text = di_json_string(indicator, "pattern");
  DiIndicatorMeta meta = { 0 };

  if ((json_object_object_get_ex(indicator, "revoked", &revoked) && json_object_get_boolean(revoked))
      || (pattern_type && strcmp(pattern_type, "stix") != 0))
    b->ctx->ignored++;   /* withdrawn, or a YARA/Snort/Sigma rule: not ours to load */
  else if (!text)
    di_feed_error_at(b->ctx, path, "indicator without a \"pattern\" string");
  else if (_read_confidence(b, confidence_path, indicator, &meta)
           && _read_valid_until(b, valid_until_path, indicator, &meta))
    {
      GError *error = NULL;
      DiStixPattern *pattern = di_stix_pattern_parse(text, &error);
      if (!pattern)
        {
          di_feed_error_at(b->ctx, pattern_path, "%s in the STIX pattern", error->message);
          g_error_free(error);
        }
      else
        {
          meta.actor = _indicator_actor(b, indicator);
          meta.source = _indicator_source(b, indicator);
          meta.reference = _indicator_reference(indicator);
          meta.description = di_json_string(indicator, "name") ? di_json_string(indicator, "name") : di_json_string(indicator, "description");
          if (!_read_pattern(b, pattern_path, pattern, &meta))
            b->ctx->ignored++;
          di_stix_pattern_free(pattern);
        }
    }
  g_free(path);
  g_free(pattern_path);
  g_free(confidence_path);
  g_free(valid_until_path);
}

static gboolean
_stix_read(DiFeedContext *ctx)
{
  json_object *root = di_feed_read_json(ctx);
  if (!root)
    return TRUE;

  json_object *objects = di_json_array(root, "objects");
  if (!json_object_is_type(root, json_type_object) || !objects)
    {
      di_feed_error_at(ctx, "$", "not a STIX 2.1 bundle: expected an object with an \"objects\" array");
      json_object_put(root);
      return TRUE;
    }

  StixBundle b = { ctx, g_hash_table_new(g_str_hash, g_str_equal),
                   g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref) };
  _index_objects(&b, objects);
  gsize n = json_object_array_length(objects);
  for (gsize i = 0; i < n; i++)
    {
      json_object *o = json_object_array_get_idx(objects, i);
      const gchar *type = di_json_string(o, "type");
      if (!type)
        {
          gchar *where = g_strdup_printf("$.objects[%" G_GSIZE_FORMAT "]", i);
          di_feed_error_at(ctx, where, "not a STIX object: it has no \"type\"");
          g_free(where);
        }
      else if (strcmp(type, "indicator") == 0)
        _read_indicator(&b, i, o);
    }
  g_hash_table_destroy(b.by_id);
  g_hash_table_destroy(b.relations);
  json_object_put(root);
  return TRUE;
}

/* ---- detection -------------------------------------------------------- */

static const gchar *
_skip_space(const gchar *p)
{
  while (*p && g_ascii_isspace(*p))
    p++;
  return p;
}

gboolean
di_feed_json_has(const gchar *head, const gchar *key, const gchar *value)
{
  gchar *quoted = g_strdup_printf("\"%s\"", key);
  gboolean found = FALSE;
  for (const gchar *p = strstr(head, quoted); p && !found; p = strstr(p + 1, quoted))
    {
      const gchar *q = _skip_space(p + strlen(quoted));
      if (*q != ':')
        continue;
      q = _skip_space(q + 1);
      found = !value || (*q == '"' && strncmp(q + 1, value, strlen(value)) == 0 && q[1 + strlen(value)] == '"');
    }
  g_free(quoted);
  return found;
}

/* A JSON object with "type": "bundle" (or a bundle id when the type key
 * comes after a long first object). */
static gboolean
_stix_detect(const gchar *filename, const gchar *head, gsize len)
{
  if (len >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0)
    head += 3;
  head = _skip_space(head);
  if (*head != '{')
    return FALSE;
  return di_feed_json_has(head, "type", "bundle") || strstr(head, "\"bundle--") != NULL;
}

const DiFeedFormat di_feed_format_stix = { "stix", _stix_detect, _stix_read, TRUE };
