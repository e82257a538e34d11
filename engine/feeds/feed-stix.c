/* feed-stix.c: STIX 2.0 and 2.1 bundles (INTERFACE §3).
 *
 * Both versions by design: 2.0 puts spec_version on the bundle, types
 * indicators by labels and has no pattern_type; 2.1 puts spec_version on
 * each object, has indicator_types and pattern_type.  The pattern language
 * is the same.  Each `indicator` whose pattern compares only the properties
 * below becomes one indicator per comparison, whether they are joined by OR
 * or by AND (FOLLOWEDBY and qualifiers such as WITHIN are read like AND):
 *
 *   ipv4-addr:value  ipv6-addr:value  domain-name:value  url:value
 *   email-addr:value  file:hashes.'SHA-256' | 'SHA-1' | 'MD5'
 *   cryptocurrency-wallet:value | :address
 *   network-traffic:src_ref.value | dst_ref.value (an IP or a domain)
 *
 * Some comparisons only narrow another one and are allowed beside it
 * without loading anything: network-traffic's src_ref.type / dst_ref.type,
 * ports and protocols beside a ref value (matches compare addresses, as a
 * plain list's host:port does), file:name and file:size beside a file hash
 * (the hash names the content).  A pattern with any other comparison
 * (process:name, != or LIKE ...) would match more than its author meant if we
 * kept only the parts we understand, so the whole indicator is ignored
 * (counted, no error), as are revoked ones, non-STIX patterns (YARA, Sigma)
 * and those typed "benign".  The actor: stix-bundle.h.
 *
 * The JSON and actor helpers shared with the MISP reader live here too.
 */
#include "feed-formats.h"
#include "stix-pattern.h"
#include "stix-bundle.h"
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
  /* read, not mapped, gunzipped, size-limited, a change noticed: as every reader */
  gsize len;
  gchar *data = di_feed_contents(ctx, &len);
  if (!data)
    return NULL;
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

gchar *
di_feed_bare_host_url(const gchar *value, gsize len, DiType *type)
{
  DiKey key;
  guint8 addr[4];
  DiType inferred;
  if (g_strstr_len(value, len, "://") || memchr(value, '/', len))
    return NULL;
  if (di_parse_ipv4(value, len, addr)
      || (memchr(value, ':', len) && di_normalize(DI_TYPE_IPV6, value, len, &key, &inferred, NULL)))
    {
      *type = di_parse_ipv4(value, len, addr) ? DI_TYPE_IPV4 : DI_TYPE_IPV6;
      return g_strndup(value, len);
    }
  if (!(di_normalize_domain(value, len, &key) && di_domain_is_plausible(value, len)))
    return NULL;   /* "igfxtray.exe" is a file name, not a host */
  return g_strdup_printf("http://%.*s/", (gint) len, value);
}

/* ---- the bundle ------------------------------------------------------- */

typedef struct
{
  DiFeedContext *ctx;
  DiStixBundle *index;
  json_object *objects;
} StixBundle;

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
  const gchar *name = di_json_string(di_stix_bundle_object(b->index, creator), "name");
  return name && *name ? name : "STIX";
}

/* 2.0 types an indicator by its labels, 2.1 by indicator_types: a pattern
 * typed "benign" describes activity that is not malicious. */
static gboolean
_is_benign(json_object *indicator)
{
  static const gchar *const keys[] = { "indicator_types", "labels" };
  for (gsize k = 0; k < G_N_ELEMENTS(keys); k++)
    {
      json_object *types = di_json_array(indicator, keys[k]);
      for (gsize i = 0; types && i < json_object_array_length(types); i++)
        if (g_strcmp0(json_object_get_string(json_object_array_get_idx(types, i)), "benign") == 0)
          return TRUE;
    }
  return FALSE;
}

/* ---- patterns --------------------------------------------------------- */

typedef enum
{
  CMP_UNUSABLE,      /* a comparison we cannot load: the indicator is ignored */
  CMP_LOAD,          /* an indicator of `type` (DI_TYPE_NONE: a wallet, chain inferred) */
  CMP_LOAD_HOST,     /* network-traffic ref value: an IP or a domain, inferred */
  CMP_NARROW_NET,    /* network-traffic ref type, ports, protocols */
  CMP_NARROW_FILE,   /* file:name, file:size */
} CmpKind;

static gboolean
_hash_type(const gchar *h, DiType *type)
{
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

static gboolean
_is_equality(const DiStixComparison *c)
{
  return strcmp(c->op, "=") == 0 && c->is_string;
}

static CmpKind
_file_comparison(const DiStixComparison *c, DiType *type)
{
  if (strcmp(c->path[0], "hashes") == 0 && c->path[1] && !c->path[2])
    return _is_equality(c) && _hash_type(c->path[1], type) ? CMP_LOAD : CMP_UNUSABLE;
  if (!c->path[1] && (strcmp(c->path[0], "name") == 0 || strcmp(c->path[0], "size") == 0))
    return CMP_NARROW_FILE;
  return CMP_UNUSABLE;
}

static CmpKind
_network_comparison(const DiStixComparison *c)
{
  gboolean ref = strcmp(c->path[0], "src_ref") == 0 || strcmp(c->path[0], "dst_ref") == 0;
  if (ref && c->path[1] && !c->path[2] && strcmp(c->path[1], "value") == 0)
    return _is_equality(c) ? CMP_LOAD_HOST : CMP_UNUSABLE;
  if (ref && c->path[1] && !c->path[2] && strcmp(c->path[1], "type") == 0)
    return CMP_NARROW_NET;
  if ((strcmp(c->path[0], "src_port") == 0 || strcmp(c->path[0], "dst_port") == 0) && !c->path[1])
    return CMP_NARROW_NET;
  if (strcmp(c->path[0], "protocols") == 0)
    return CMP_NARROW_NET;
  return CMP_UNUSABLE;
}

/* What a comparison is to us, and the type it yields when it loads one. */
static CmpKind
_comparison_kind(const DiStixComparison *c, DiType *type)
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

  if (!c->path[0])
    return CMP_UNUSABLE;
  if (strcmp(c->object, "file") == 0)
    return _file_comparison(c, type);
  if (strcmp(c->object, "network-traffic") == 0)
    return _network_comparison(c);
  if (c->path[1] || !_is_equality(c))
    return CMP_UNUSABLE;
  for (gsize i = 0; i < G_N_ELEMENTS(values); i++)
    if (strcmp(c->object, values[i].object) == 0)
      {
        *type = values[i].type;
        if (*type == DI_TYPE_NONE)
          return strcmp(c->path[0], "value") == 0 || strcmp(c->path[0], "address") == 0 ? CMP_LOAD : CMP_UNUSABLE;
        return strcmp(c->path[0], "value") == 0 ? CMP_LOAD : CMP_UNUSABLE;
      }
  return CMP_UNUSABLE;
}

/* The type of a value that must be one of these, inferred; DI_TYPE_NONE when
 * it is none of them. */
static DiType
_inferred(const gchar *value, gboolean (*accept)(DiType))
{
  DiType t = di_infer_type(value, strlen(value));
  return accept(t) ? t : DI_TYPE_NONE;
}

static gboolean
_is_host_type(DiType t)
{
  return t == DI_TYPE_IPV4 || t == DI_TYPE_IPV6 || t == DI_TYPE_CIDR || t == DI_TYPE_DOMAIN;
}

static void
_add_comparison(StixBundle *b, const gchar *path, const DiStixComparison *c, CmpKind kind, DiType type,
                const DiIndicatorMeta *meta)
{
  gchar *where = g_strdup_printf("%s: column %u", path, c->column);
  gchar *url = type == DI_TYPE_URL ? di_feed_bare_host_url(c->value, strlen(c->value), &type) : NULL;
  const gchar *value = url ? url : c->value;
  if ((type == DI_TYPE_IPV4 || type == DI_TYPE_IPV6) && strchr(value, '/'))
    type = DI_TYPE_CIDR;   /* STIX writes networks as ipv4-addr:value = '10.0.0.0/8' */
  if (kind == CMP_LOAD_HOST && (type = _inferred(c->value, _is_host_type)) == DI_TYPE_NONE)
    di_feed_error_at(b->ctx, where, "'%s' is not an IP address or a domain name", c->value);
  else if (kind == CMP_LOAD && type == DI_TYPE_NONE && (type = _inferred(c->value, di_type_is_wallet)) == DI_TYPE_NONE)
    di_feed_error_at(b->ctx, where, "'%s' is not a cryptocurrency address of a chain we know", c->value);
  else
    di_feed_add(b->ctx, 0, where, type, value, -1, meta);
  g_free(url);
  g_free(where);
}

/* Adds the indicators of one pattern; FALSE when the pattern holds
 * comparisons we do not load (the indicator is then ignored).  Narrowing
 * comparisons are allowed only beside what they narrow. */
static gboolean
_read_pattern(StixBundle *b, const gchar *path, const DiStixPattern *pattern, const DiIndicatorMeta *meta)
{
  guint n = pattern->comparisons->len, loads = 0, hosts = 0, hashes = 0, narrow_net = 0, narrow_file = 0;
  CmpKind *kinds = g_new(CmpKind, n);
  DiType *types = g_new0(DiType, n);
  gboolean usable = TRUE;
  for (guint i = 0; usable && i < n; i++)
    {
      const DiStixComparison *c = pattern->comparisons->pdata[i];
      kinds[i] = _comparison_kind(c, &types[i]);
      usable = kinds[i] != CMP_UNUSABLE;
      loads += kinds[i] == CMP_LOAD || kinds[i] == CMP_LOAD_HOST;
      hosts += kinds[i] == CMP_LOAD_HOST;
      hashes += kinds[i] == CMP_LOAD && strcmp(c->object, "file") == 0;
      narrow_net += kinds[i] == CMP_NARROW_NET;
      narrow_file += kinds[i] == CMP_NARROW_FILE;
    }
  usable = usable && loads > 0 && (!narrow_net || hosts) && (!narrow_file || hashes);
  for (guint i = 0; usable && i < n; i++)
    if (kinds[i] == CMP_LOAD || kinds[i] == CMP_LOAD_HOST)
      _add_comparison(b, path, pattern->comparisons->pdata[i], kinds[i], types[i], meta);
  g_free(kinds);
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
      || (pattern_type && strcmp(pattern_type, "stix") != 0) || _is_benign(indicator))
    b->ctx->ignored++;   /* withdrawn, a YARA/Snort/Sigma rule, or benign: not ours to load */
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
          meta.actor = di_stix_bundle_actor(b->index, indicator, &meta.nexus);
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

/* 2.0 writes spec_version on the bundle; 2.1 on each object (and a 2.1
 * bundle has none).  Anything else is read as 2.1, with a warning. */
static void
_check_version(DiFeedContext *ctx, json_object *root)
{
  const gchar *version = di_json_string(root, "spec_version");
  if (version && strcmp(version, "2.0") != 0 && strcmp(version, "2.1") != 0)
    {
      /* a problem that loses no indicator: a warning (escaped, as every
       * message with feed text in it) */
      di_feed_warning_at(ctx, "$.spec_version", "spec_version '%.20s' is not 2.0 or 2.1: read as 2.1", version);
    }
}

static void
_warn_step_limit(StixBundle *b, gsize limit)
{
  di_feed_warning_at(b->ctx, "$.objects", "relationships: stopped following them after %" G_GSIZE_FORMAT
                     " steps (the limit for %u objects): the actors of the indicators after that come from "
                     "labels, actor objects and reports only", limit, (guint) json_object_array_length(b->objects));
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
      di_feed_error_at(ctx, "$", "not a STIX 2.0 or 2.1 bundle: expected an object with an \"objects\" array");
      json_object_put(root);
      return TRUE;
    }

  gsize n = json_object_array_length(objects);
  gsize limit = DI_STIX_STEPS_FLOOR + DI_STIX_STEPS_PER_OBJECT * n;
  StixBundle b = { ctx, di_stix_bundle_new(objects, limit), objects };
  _check_version(ctx, root);
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
  if (di_stix_bundle_limit_hit(b.index))
    _warn_step_limit(&b, limit);
  di_stix_bundle_free(b.index);
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
