/* feed-plain.c: plain lists, one indicator a line (maltrail trails, OFAC
 * per-asset address lists, hand-kept lists).
 *
 *   # Aliases: appleworm, hidden cobra, zinc, ...
 *   # Reference: https://securelist.com/operation-applejeus/87553/
 *   celasllc.com                  domain (or IP, CIDR, e-mail, hash, wallet: inferred)
 *   194.45.8.41:443               host:port -> the host; our matcher compares addresses
 *   apshenyihl.com/include/a.php  host/path -> a URL, http:// assumed without a scheme;
 *                                 the host alone is not loaded: such trails mostly
 *                                 name a hacked legitimate site
 *   /tbl_add.php                  path only -> ignored (counted): nothing to match on
 *
 *   http://104.168.145.83/x.php   a URL whose host is an IP: the URL, and the IP
 *   hxxp://evil[.]example         defanged: refanged (and counted)
 *
 * `# Reference:` lines are the reference of the rows that follow (consecutive
 * ones are joined).  The actor is the file's own: a `# actor: NAME` header,
 * else its name (apt_bluenoroff.txt -> APT38); only a file whose name names
 * no actor falls back to its `# Aliases:` line, taking the first alias the
 * table knows -- an alias list names related groups too, so it must not
 * override the file's own.  A `# nexus: dprk` header declares every row
 * DPRK-linked.  OFAC's per-asset lists (sanctioned_addresses_XBT.txt) take
 * the type from the asset code in the name and the source "OFAC SDN"; a
 * value valid only as another chain (a TRON address in the XBT list) is
 * loaded as that chain, not reported.  A NUL byte is reported and its line
 * skipped; a line longer than max-line-length is skipped.
 */
#include "feed-formats.h"
#include <json.h>
#include <string.h>

#define ASSET_LIST_PREFIX "sanctioned_addresses_"

typedef struct
{
  DiFeedContext *ctx;
  gchar *basename;
  gchar *actor;          /* NULL: none */
  gboolean actor_settled; /* by "# actor:" or the file name; else the Aliases line may set it */
  gchar *alias_actor;    /* the first known alias of the Aliases line */
  gchar *source;         /* "OFAC SDN", "maltrail" (from its header), else the file name */
  gchar *asset;          /* of a per-asset list, else NULL */
  GString *reference;    /* the current group of Reference lines */
  gboolean in_references;
  guint retyped;          /* values loaded as another chain than the list's; no
                           * DiFeedContext field reports it yet */
} PlainList;

/* "sanctioned_addresses_XBT.txt" -> "XBT" */
static gchar *
_asset_of(const gchar *basename)
{
  if (g_ascii_strncasecmp(basename, ASSET_LIST_PREFIX, strlen(ASSET_LIST_PREFIX)) != 0)
    return NULL;
  const gchar *code = basename + strlen(ASSET_LIST_PREFIX);
  gsize n = strcspn(code, ".");
  return n ? g_ascii_strup(code, n) : NULL;
}

/* "# Aliases: a, b, c," -> the first alias the table knows, used only
 * when the file itself names no actor. */
static void
_read_aliases(PlainList *l, const gchar *list)
{
  gchar **aliases = g_strsplit(list, ",", -1);
  for (gchar **a = aliases; *a && !l->alias_actor; a++)
    if (di_feed_actor_known(g_strstrip(*a)))
      l->alias_actor = g_strdup(*a);
  g_strfreev(aliases);
}

static void
_read_comment(PlainList *l, const gchar *body)
{
  while (*body == '#' || g_ascii_isspace(*body))
    body++;
  if (g_ascii_strncasecmp(body, "Reference:", 10) == 0)
    {
      if (!l->in_references)
        g_string_truncate(l->reference, 0);
      gchar *ref = g_strstrip(g_strdup(body + 10));
      if (*ref)
        g_string_append_printf(l->reference, "%s%s", l->reference->len ? " " : "", ref);
      g_free(ref);
      l->in_references = TRUE;
    }
  else if (g_ascii_strncasecmp(body, "Aliases:", 8) == 0)
    _read_aliases(l, body + 8);
  else if (!l->source)
    {
      gchar *lower = g_ascii_strdown(body, -1);
      if (strstr(lower, "maltrail"))
        l->source = g_strdup("maltrail");   /* its copyright header: "Maltrail developers" */
      g_free(lower);
    }
}

/* "[2001:db8::1]:443" and "host:443" -> the host; a bare IPv6 stays whole. */
static gsize
_host_length(const gchar *value, gsize len, const gchar **start)
{
  *start = value;
  if (value[0] == '[')
    {
      const gchar *close = memchr(value, ']', len);
      if (close)
        {
          *start = value + 1;
          return close - value - 1;
        }
    }
  const gchar *colon = memchr(value, ':', len);
  if (colon && !memchr(colon + 1, ':', len - (colon + 1 - value)))
    return colon - value;
  return len;
}

/* "http://104.168.145.83:8080/x" -> also the IP: C2 servers are listed
 * by URL, and logged by address (firewall, netflow, a proxy's CONNECT). */
static void
_add_url_host_ip(PlainList *l, gsize line, const gchar *where, const gchar *url, const DiIndicatorMeta *meta)
{
  DiUrlParts parts;
  DiKey key;
  GString *plain = g_string_new("");
  if (di_feed_refang(url, strlen(url), plain) == 0)
    g_string_assign(plain, url);
  if (di_url_parse(plain->str, plain->len, &parts, &key)
      && (parts.host_type == DI_TYPE_IPV4 || parts.host_type == DI_TYPE_IPV6))
    di_feed_add(l->ctx, line, where, parts.host_type, plain->str + parts.host_off, parts.host_len, meta);
  g_string_free(plain, TRUE);
}

static void
_read_entry(PlainList *l, gsize line, const gchar *where, const gchar *value, gsize len)
{
  DiIndicatorMeta meta = { l->actor, l->source, l->reference->len ? l->reference->str : NULL, NULL, -1, 0 };
  if (l->asset)
    {
      di_feed_add_asset(l->ctx, line, where, l->asset, value, len, &meta, &l->retyped);
      return;
    }
  if (value[0] == '/')
    {
      l->ctx->ignored++;   /* a path without a host */
      return;
    }
  gchar *entry = g_strndup(value, len);
  if (strstr(entry, "://") || strstr(entry, "[://]"))
    {
      if (di_feed_add(l->ctx, line, where, DI_TYPE_URL, entry, len, &meta))
        _add_url_host_ip(l, line, where, entry, &meta);
    }
  else if (strchr(entry, '/') && di_infer_type(entry, len) != DI_TYPE_CIDR)
    {
      gchar *url = g_strconcat("http://", entry, NULL);
      if (di_feed_add(l->ctx, line, where, DI_TYPE_URL, url, -1, &meta))
        _add_url_host_ip(l, line, where, url, &meta);
      g_free(url);
    }
  else
    {
      const gchar *host;
      gsize n = _host_length(entry, len, &host);
      di_feed_add(l->ctx, line, where, DI_TYPE_NONE, host, n, &meta);
    }
  g_free(entry);
}

static void
_read_line(PlainList *l, gsize line, const gchar *p, gsize len)
{
  while (len && g_ascii_isspace(*p))
    {
      p++;
      len--;
    }
  while (len && g_ascii_isspace(p[len - 1]))
    len--;
  if (!len)
    return;
  if (*p == '#')
    {
      gchar *body = g_strndup(p, len);
      _read_comment(l, body);
      g_free(body);
      return;
    }
  /* "value  # note" */
  for (gsize i = 1; i < len; i++)
    if (p[i] == '#' && g_ascii_isspace(p[i - 1]))
      {
        len = i;
        while (len && g_ascii_isspace(p[len - 1]))
          len--;
        break;
      }
  l->in_references = FALSE;
  if (!l->actor_settled)
    {
      /* the header is over: the file names no actor, its aliases may */
      l->actor = g_strdup(l->alias_actor);
      l->actor_settled = TRUE;
    }
  if (!l->source)
    l->source = g_strdup(l->basename);
  _read_entry(l, line, NULL, p, len);
}

/* The same list as a JSON array of strings (0xB10C publishes both forms). */
static void
_read_json_list(PlainList *l)
{
  json_object *root = di_feed_read_json(l->ctx);
  if (!root)
    return;
  if (!json_object_is_type(root, json_type_array))
    di_feed_error_at(l->ctx, "$", "expected a JSON array of indicator strings");
  if (!l->source)
    l->source = g_strdup(l->basename);
  for (gsize i = 0; json_object_is_type(root, json_type_array) && i < json_object_array_length(root); i++)
    {
      json_object *v = json_object_array_get_idx(root, i);
      gchar *where = g_strdup_printf("$[%" G_GSIZE_FORMAT "]", i);
      if (!json_object_is_type(v, json_type_string))
        di_feed_error_at(l->ctx, where, "expected an indicator string");
      else if (json_object_get_string_len(v) > 0)
        _read_entry(l, 0, where, json_object_get_string(v), json_object_get_string_len(v));
      g_free(where);
    }
  json_object_put(root);
}

static gboolean
_is_json_list(const gchar *p, const gchar *end)
{
  while (p < end && g_ascii_isspace(*p))
    p++;
  return p < end && *p == '[';
}

/* The lines of a text list; a NUL byte or an overlong line is reported
 * and the line skipped. */
static void
_read_lines(PlainList *l, const gchar *p, const gchar *end)
{
  gsize max = di_feed_limit(l->ctx, DI_LIMIT_LINE_LENGTH);
  for (gsize line = 1; p < end; line++)
    {
      const gchar *nl = memchr(p, '\n', end - p);
      const gchar *stop = nl ? nl : end;
      if ((gsize) (stop - p) > max)
        di_feed_limit_hit(l->ctx, DI_LIMIT_LINE_LENGTH, line, "longer lines are skipped");
      else if (memchr(p, '\0', stop - p))
        di_feed_bad_value(l->ctx, line, NULL, "the line holds a NUL byte");
      else
        _read_line(l, line, p, stop - p);
      p = nl ? nl + 1 : end;
    }
}

static gboolean
_plain_read(DiFeedContext *ctx)
{
  gsize len;
  gchar *data = di_feed_contents(ctx, &len);
  if (!data)
    return TRUE;
  PlainList l = { ctx };
  l.basename = g_path_get_basename(ctx->filename);
  l.asset = _asset_of(l.basename);
  l.source = l.asset ? g_strdup("OFAC SDN") : NULL;
  l.reference = g_string_new("");
  ctx->refang = !l.asset;
  /* the file's own actor: its header, else its name */
  di_feed_read_header(ctx, data, len, &l.actor);
  if (!l.actor && !l.asset)
    l.actor = di_feed_actor_from_name(ctx->filename);
  l.actor_settled = l.actor != NULL;

  const gchar *p = data, *end = data + len;
  if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  if (_is_json_list(p, end))
    _read_json_list(&l);
  else
    _read_lines(&l, p, end);

  g_free(l.basename);
  g_free(l.actor);
  g_free(l.alias_actor);
  g_free(l.source);
  g_free(l.asset);
  g_string_free(l.reference, TRUE);
  g_free(data);
  return TRUE;
}

/* Any text that is not JSON, XML, CSV or prose: no control bytes (a NUL
 * byte aside), and a first entry that is one token. */
static gboolean
_plain_detect(const gchar *filename, const gchar *head, gsize len)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = head[i];
      /* a NUL is the reader's to report, with its line */
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1a && c != '\0')
        return FALSE;
    }
  const gchar *p = head;
  if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  while (*p)
    {
      while (g_ascii_isspace(*p))
        p++;
      if (*p != '#')
        break;
      p += strcspn(p, "\n");
    }
  if (*p == '[')
    {
      /* a JSON array of strings */
      p++;
      while (g_ascii_isspace(*p))
        p++;
      return *p == '"' || *p == ']';
    }
  if (*p == '{' || *p == '<')
    return FALSE;
  /* one token a line (a note may follow after " #"): not CSV, not prose */
  gsize n = strcspn(p, "\r\n");
  gsize token = strcspn(p, " \t,\r\n");
  if (token < n && p[token] == ',')
    return FALSE;
  while (token < n && (p[token] == ' ' || p[token] == '\t'))
    token++;
  return token == n || p[token] == '#';
}

const DiFeedFormat di_feed_format_plain = { "plain", _plain_detect, _plain_read, TRUE };
