/* feed-misp.c: MISP events in MISP's JSON export (INTERFACE §3).
 *
 * A file holds one event ({"Event": {...}}), a list of them, or an API
 * search result ({"response": [{"Event": ...}]}).  Attributes come from
 * Event.Attribute[] and Event.Object[].Attribute[]; only those flagged
 * to_ids are loaded, since MISP uses that flag to tell detection data from
 * context (a victim's address, a benign resolver).  The one exception is
 * `address-crypto` in coin-address objects: MISP types it `text`, whose
 * to_ids defaults to off, so the flag carries no analyst decision there.
 *
 * A `url` that is a bare host is read as http://host/, a bare IP address as
 * that address (di_feed_bare_host_url).
 *
 * The actor comes from the attribute's own actor galaxy or tag, else the
 * event's: Galaxy[type threat-actor, mitre-intrusion-set, microsoft-activity-
 * group ...].GalaxyCluster[].value (a cluster the alias table does not know
 * by its value is known by its synonyms when they agree), or tags such as
 * misp-galaxy:threat-actor="Lazarus Group"; else, as a last resort, an alias
 * in the words of the event's info.  The work is linear in the event.
 */
#include "feed-formats.h"
#include "actors.h"
#include <json.h>
#include <string.h>

typedef struct
{
  DiFeedContext *ctx;
  DiIndicatorMeta meta;      /* source, reference, description of the event */
  const gchar *event_actor;
} MispEvent;

typedef enum
{
  PART_WHOLE,        /* the value as it is */
  PART_FIRST,        /* "ip|port": before the bar */
  PART_SECOND,       /* "filename|sha256": after the bar */
  PART_BOTH,         /* "domain|ip": both halves */
} MispPart;

#define DI_TYPE_IP_ANY DI_TYPE_MAX    /* ipv4, ipv6 or cidr by the value's shape */

static const struct
{
  const gchar *misp;
  DiType type;
  MispPart part;
  DiType second;     /* type of the second half with PART_BOTH */
} attribute_types[] =
{
  { "ip-dst", DI_TYPE_IP_ANY, PART_WHOLE }, { "ip-src", DI_TYPE_IP_ANY, PART_WHOLE },
  { "ip-dst|port", DI_TYPE_IP_ANY, PART_FIRST }, { "ip-src|port", DI_TYPE_IP_ANY, PART_FIRST },
  { "domain", DI_TYPE_DOMAIN, PART_WHOLE }, { "hostname", DI_TYPE_DOMAIN, PART_WHOLE },
  { "hostname|port", DI_TYPE_DOMAIN, PART_FIRST }, { "domain|ip", DI_TYPE_DOMAIN, PART_BOTH, DI_TYPE_IP_ANY },
  { "url", DI_TYPE_URL, PART_WHOLE },
  { "email", DI_TYPE_EMAIL, PART_WHOLE }, { "email-src", DI_TYPE_EMAIL, PART_WHOLE },
  { "email-dst", DI_TYPE_EMAIL, PART_WHOLE },
  { "md5", DI_TYPE_MD5, PART_WHOLE }, { "sha1", DI_TYPE_SHA1, PART_WHOLE }, { "sha256", DI_TYPE_SHA256, PART_WHOLE },
  { "filename|md5", DI_TYPE_MD5, PART_SECOND }, { "filename|sha1", DI_TYPE_SHA1, PART_SECOND },
  { "filename|sha256", DI_TYPE_SHA256, PART_SECOND },
  { "btc", DI_TYPE_BTC, PART_WHOLE }, { "xmr", DI_TYPE_XMR, PART_WHOLE }, { "dash", DI_TYPE_DASH, PART_WHOLE },
};

/* MISP writes booleans as true, 1 or "1" depending on version and export. */
static gboolean
_flag(json_object *obj, const gchar *key, gboolean missing)
{
  json_object *v;
  if (!json_object_object_get_ex(obj, key, &v) || !v)
    return missing;
  if (json_object_is_type(v, json_type_string))
    {
      const gchar *s = json_object_get_string(v);
      return strcmp(s, "1") == 0 || g_ascii_strcasecmp(s, "true") == 0;
    }
  return json_object_get_boolean(v);
}

/* ---- actors ----------------------------------------------------------- */

/* "Lazarus Group - G0032" (mitre-intrusion-set) -> "Lazarus Group" */
static gchar *
_cluster_name(const gchar *value)
{
  const gchar *dash = g_strrstr(value, " - G");
  if (dash && dash[4] && strspn(dash + 4, "0123456789") == strlen(dash + 4))
    return g_strndup(value, dash - value);
  return g_strdup(value);
}

static gboolean
_is_actor_galaxy(const gchar *type)
{
  static const gchar *const types[] =
  {
    "threat-actor", "mitre-intrusion-set", "mitre-enterprise-attack-intrusion-set", "microsoft-activity-group",
  };
  for (gsize i = 0; type && i < G_N_ELEMENTS(types); i++)
    if (strcmp(type, types[i]) == 0)
      return TRUE;
  return FALSE;
}

/* A cluster's value, or -- when the table does not know the value -- the
 * synonym the table knows, if all the known ones name one actor. */
static gchar *
_cluster_actor(json_object *cluster, const gchar *value)
{
  json_object *meta;
  if (di_actor_is_dprk(value) || !json_object_object_get_ex(cluster, "meta", &meta))
    return _cluster_name(value);
  json_object *synonyms = di_json_array(meta, "synonyms");
  const gchar *agreed = NULL;
  for (gsize i = 0; synonyms && i < json_object_array_length(synonyms); i++)
    {
      const gchar *synonym = json_object_get_string(json_object_array_get_idx(synonyms, i));
      if (!json_object_is_type(json_object_array_get_idx(synonyms, i), json_type_string) || !di_actor_is_dprk(synonym))
        continue;
      if (agreed && strcmp(di_actor_canonical(agreed), di_actor_canonical(synonym)) != 0)
        return _cluster_name(value);
      agreed = agreed ? agreed : synonym;
    }
  return g_strdup(agreed ? agreed : value);
}

static void
_collect_galaxies(json_object *holder, GPtrArray *candidates)
{
  json_object *galaxies = di_json_array(holder, "Galaxy");
  for (gsize i = 0; galaxies && i < json_object_array_length(galaxies); i++)
    {
      json_object *g = json_object_array_get_idx(galaxies, i);
      if (!_is_actor_galaxy(di_json_string(g, "type")))
        continue;
      json_object *clusters = di_json_array(g, "GalaxyCluster");
      for (gsize j = 0; clusters && j < json_object_array_length(clusters); j++)
        {
          json_object *cluster = json_object_array_get_idx(clusters, j);
          const gchar *value = di_json_string(cluster, "value");
          if (value && *value)
            g_ptr_array_add(candidates, _cluster_actor(cluster, value));
        }
    }
}

/* misp-galaxy:threat-actor="Lazarus Group", and other actor galaxies' tags */
static void
_collect_tags(json_object *holder, GPtrArray *candidates)
{
  json_object *tags = di_json_array(holder, "Tag");
  for (gsize i = 0; tags && i < json_object_array_length(tags); i++)
    {
      const gchar *name = di_json_string(json_object_array_get_idx(tags, i), "name");
      if (!name || !g_str_has_prefix(name, "misp-galaxy:"))
        continue;
      const gchar *eq = strchr(name, '=');
      gchar *galaxy = eq ? g_strndup(name + strlen("misp-galaxy:"), eq - name - strlen("misp-galaxy:")) : NULL;
      gsize n = eq ? strlen(eq + 1) : 0;
      if (galaxy && _is_actor_galaxy(galaxy) && n > 2 && eq[1] == '"' && eq[n] == '"')
        {
          gchar *value = g_strndup(eq + 2, n - 2);
          g_ptr_array_add(candidates, _cluster_name(value));
          g_free(value);
        }
      g_free(galaxy);
    }
}

/* The actor named by holder's galaxies and tags, owned by the caller: the
 * first the alias table knows, else the first named. */
static gchar *
_actor_of(json_object *holder)
{
  GPtrArray *candidates = g_ptr_array_new_with_free_func(g_free);
  _collect_galaxies(holder, candidates);
  _collect_tags(holder, candidates);
  gchar *actor = NULL;
  for (guint i = 0; i < candidates->len && !actor; i++)
    if (di_feed_actor_known(candidates->pdata[i]))
      actor = g_strdup(candidates->pdata[i]);
  if (!actor && candidates->len)
    actor = g_strdup(candidates->pdata[0]);
  g_ptr_array_free(candidates, TRUE);
  return actor;
}

/* ---- attributes ------------------------------------------------------- */

static DiType
_ip_type(const gchar *value, gsize len)
{
  if (memchr(value, '/', len))
    return DI_TYPE_CIDR;
  return memchr(value, ':', len) ? DI_TYPE_IPV6 : DI_TYPE_IPV4;
}

static void
_add(MispEvent *e, const gchar *where, DiType type, const gchar *value, gsize len, const DiIndicatorMeta *meta)
{
  gchar *url = type == DI_TYPE_URL ? di_feed_bare_host_url(value, len, &type) : NULL;
  if (type == DI_TYPE_IP_ANY)
    type = _ip_type(value, len);
  if (url)
    di_feed_add(e->ctx, 0, where, type, url, -1, meta);
  else
    di_feed_add(e->ctx, 0, where, type, value, len, meta);
  g_free(url);
}

/* Adds one typed attribute; FALSE when its type carries no indicator. */
static gboolean
_add_typed(MispEvent *e, const gchar *where, const gchar *type, const gchar *value, const DiIndicatorMeta *meta)
{
  gsize i;
  for (i = 0; i < G_N_ELEMENTS(attribute_types) && strcmp(attribute_types[i].misp, type) != 0; i++)
    ;
  if (i == G_N_ELEMENTS(attribute_types))
    return FALSE;

  const gchar *bar = strchr(value, '|');
  MispPart part = attribute_types[i].part;
  if (part != PART_WHOLE && !bar)
    {
      di_feed_error_at(e->ctx, where, "a '%s' value must hold two parts joined by '|', not '%s'", type, value);
      return TRUE;
    }
  if (part == PART_WHOLE)
    _add(e, where, attribute_types[i].type, value, strlen(value), meta);
  if (part == PART_FIRST || part == PART_BOTH)
    _add(e, where, attribute_types[i].type, value, bar - value, meta);
  if (part == PART_SECOND)
    _add(e, where, attribute_types[i].type, bar + 1, strlen(bar + 1), meta);
  if (part == PART_BOTH)
    _add(e, where, attribute_types[i].second, bar + 1, strlen(bar + 1), meta);
  return TRUE;
}

/* Meta for one attribute: the event's, with the attribute's own actor. */
static gchar *
_attribute_meta(MispEvent *e, json_object *attr, DiIndicatorMeta *meta)
{
  gchar *own = _actor_of(attr);
  *meta = e->meta;
  meta->actor = own ? own : e->event_actor;
  return own;
}

static void
_read_attribute(MispEvent *e, const gchar *path, json_object *attr)
{
  const gchar *type = di_json_string(attr, "type");
  const gchar *value = di_json_string(attr, "value");
  gchar *where = g_strconcat(path, ".value", NULL);
  if (!type || !value)
    di_feed_error_at(e->ctx, path, "attribute without a \"type\" and a \"value\" string");
  else if (_flag(attr, "deleted", FALSE) || !_flag(attr, "to_ids", TRUE))
    e->ctx->ignored++;
  else
    {
      DiIndicatorMeta meta;
      gchar *own = _attribute_meta(e, attr, &meta);
      if (!_add_typed(e, where, type, value, &meta))
        e->ctx->ignored++;
      g_free(own);
    }
  g_free(where);
}

/* coin-address: `address` (btc), `address-xmr`, `address-crypto` (text), with
 * the chain in `symbol` (BTC, ETH, TRX ...). */
static void
_read_coin_address(MispEvent *e, const gchar *path, json_object *attrs)
{
  const gchar *symbol = NULL;
  gsize n = json_object_array_length(attrs);
  for (gsize i = 0; i < n; i++)
    {
      json_object *a = json_object_array_get_idx(attrs, i);
      if (g_strcmp0(di_json_string(a, "object_relation"), "symbol") == 0)
        symbol = di_json_string(a, "value");
    }
  for (gsize i = 0; i < n; i++)
    {
      json_object *a = json_object_array_get_idx(attrs, i);
      const gchar *relation = di_json_string(a, "object_relation");
      const gchar *value = di_json_string(a, "value");
      gboolean crypto = g_strcmp0(relation, "address-crypto") == 0;
      gboolean address = crypto || g_strcmp0(relation, "address") == 0 || g_strcmp0(relation, "address-xmr") == 0;
      if (!address || !value || _flag(a, "deleted", FALSE) || (!crypto && !_flag(a, "to_ids", TRUE)))
        {
          e->ctx->ignored++;
          continue;
        }
      gchar *where = g_strdup_printf("%s.Attribute[%" G_GSIZE_FORMAT "].value", path, i);
      DiIndicatorMeta meta;
      gchar *own = _attribute_meta(e, a, &meta);
      const gchar *asset = symbol ? symbol : g_strcmp0(relation, "address-xmr") == 0 ? "xmr"
                         : crypto ? NULL : di_json_string(a, "type");
      di_feed_add_asset(e->ctx, 0, where, asset, value, -1, &meta, NULL);
      g_free(own);
      g_free(where);
    }
}

static void
_read_attributes(MispEvent *e, const gchar *path, json_object *holder)
{
  json_object *attrs = di_json_array(holder, "Attribute");
  for (gsize i = 0; attrs && i < json_object_array_length(attrs); i++)
    {
      gchar *where = g_strdup_printf("%s.Attribute[%" G_GSIZE_FORMAT "]", path, i);
      json_object *a = json_object_array_get_idx(attrs, i);
      if (json_object_is_type(a, json_type_object))
        _read_attribute(e, where, a);
      else
        di_feed_error_at(e->ctx, where, "not an attribute object");
      g_free(where);
    }
}

static void
_read_objects(MispEvent *e, const gchar *path, json_object *event)
{
  json_object *objects = di_json_array(event, "Object");
  for (gsize i = 0; objects && i < json_object_array_length(objects); i++)
    {
      gchar *where = g_strdup_printf("%s.Object[%" G_GSIZE_FORMAT "]", path, i);
      json_object *o = json_object_array_get_idx(objects, i);
      json_object *attrs = di_json_array(o, "Attribute");
      if (!json_object_is_type(o, json_type_object))
        di_feed_error_at(e->ctx, where, "not a MISP object");
      else if (_flag(o, "deleted", FALSE))
        e->ctx->ignored++;
      else if (attrs && g_strcmp0(di_json_string(o, "name"), "coin-address") == 0)
        _read_coin_address(e, where, attrs);
      else
        _read_attributes(e, where, o);
      g_free(where);
    }
}

static void
_read_event(DiFeedContext *ctx, const gchar *path, json_object *event)
{
  if (!json_object_is_type(event, json_type_object))
    {
      di_feed_error_at(ctx, path, "not a MISP event object");
      return;
    }
  json_object *orgc, *org;
  const gchar *org_name = NULL;
  if (json_object_object_get_ex(event, "Orgc", &orgc))
    org_name = di_json_string(orgc, "name");
  if (!org_name && json_object_object_get_ex(event, "Org", &org))
    org_name = di_json_string(org, "name");

  MispEvent e = { ctx };
  e.meta.source = org_name && *org_name ? org_name : "MISP";
  e.meta.reference = di_json_string(event, "uuid") ? di_json_string(event, "uuid") : di_json_string(event, "info");
  e.meta.description = di_json_string(event, "info");
  e.meta.confidence = -1;
  gchar *actor = _actor_of(event);
  if (!actor && di_actor_find_in_text(e.meta.description))
    actor = g_strdup(di_actor_find_in_text(e.meta.description));   /* no galaxy, no tag: the info's words */
  e.event_actor = actor;

  _read_attributes(&e, path, event);
  _read_objects(&e, path, event);
  g_free(actor);
}

/* {"Event": ...}, [{"Event": ...}, ...] or {"response": [{"Event": ...}]} */
static void
_read_event_list(DiFeedContext *ctx, const gchar *path, json_object *list)
{
  for (gsize i = 0; i < json_object_array_length(list); i++)
    {
      json_object *event;
      gchar *where = g_strdup_printf("%s[%" G_GSIZE_FORMAT "]", path, i);
      if (json_object_object_get_ex(json_object_array_get_idx(list, i), "Event", &event))
        {
          gchar *event_path = g_strconcat(where, ".Event", NULL);
          _read_event(ctx, event_path, event);
          g_free(event_path);
        }
      else
        di_feed_error_at(ctx, where, "expected an object with an \"Event\"");
      g_free(where);
    }
}

static gboolean
_misp_read(DiFeedContext *ctx)
{
  json_object *root = di_feed_read_json(ctx);
  if (!root)
    return TRUE;
  json_object *v;
  if (json_object_is_type(root, json_type_array))
    _read_event_list(ctx, "$", root);
  else if (json_object_is_type(root, json_type_object) && json_object_object_get_ex(root, "Event", &v))
    _read_event(ctx, "$.Event", v);
  else if (json_object_is_type(root, json_type_object) && json_object_object_get_ex(root, "response", &v)
           && json_object_is_type(v, json_type_array))
    _read_event_list(ctx, "$.response", v);
  else
    di_feed_error_at(ctx, "$", "not a MISP event: expected an object with an \"Event\"");
  json_object_put(root);
  return TRUE;
}

static gboolean
_misp_detect(const gchar *filename, const gchar *head, gsize len)
{
  if (len >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0)
    head += 3;
  while (g_ascii_isspace(*head))
    head++;
  return (*head == '{' || *head == '[') && di_feed_json_has(head, "Event", NULL);
}

const DiFeedFormat di_feed_format_misp = { "misp", _misp_detect, _misp_read, TRUE };
