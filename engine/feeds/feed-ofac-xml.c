/* feed-ofac-xml.c: OFAC's SDN list as XML, streamed through GMarkup.
 *
 * sdn_advanced.xml (root <Sanctions>) is about 100 MB, so it is fed to the
 * parser in 64 KB chunks and only the party being read is kept in memory.
 * Wallets are Features of a party's Profile whose FeatureTypeID names a
 * FeatureType "Digital Currency Address - XXX" in ReferenceValueSets; the IDs
 * are learnt from that text in each file, never assumed.  The actor is the
 * primary name of the party (last name first for people, as sdn.csv writes
 * it), normalised through the alias table; the reference is its SDN uid.
 *
 * The older sdn.xml (root <sdnList>) is read by the same callbacks:
 * sdnEntry/uid, lastName, firstName and idList/id with idType
 * "Digital Currency Address - XXX" and idNumber.
 */
#include "feed-formats.h"
#include <stdio.h>
#include <errno.h>
#include <string.h>

#define CHUNK_SIZE (64 * 1024)
#define ADDRESS_TAG "Digital Currency Address - "

typedef enum { MODE_NONE, MODE_ADVANCED, MODE_SDNLIST } XmlMode;

typedef struct
{
  gchar *asset;
  gchar *value;
  gsize line;
} PendingAddress;

typedef struct
{
  gchar *group;     /* NamePartGroupID */
  gchar *value;
} NamePart;

typedef struct
{
  DiFeedContext *ctx;
  GMarkupParseContext *markup;
  XmlMode mode;
  GString *text;               /* text of the element being collected */
  gboolean collecting;
  gsize text_line;             /* line where that text starts, 0: not yet */
  gchar *bad_root;             /* set when the root is not OFAC's */

  /* reference values, learnt from the file */
  GHashTable *feature_assets;  /* FeatureType ID -> asset code ("ETH") */
  GHashTable *part_types;      /* NamePartType ID -> "Last Name", "First Name" ... */
  gchar *value_id;             /* ID of the FeatureType / NamePartType being read */

  /* the party being read */
  gchar *uid;
  GPtrArray *name_parts;       /* of NamePart*, the primary name */
  GHashTable *groups;          /* NamePartGroup ID -> NamePartTypeID */
  gboolean primary_identity, primary_alias, in_name, name_done;
  const gchar *feature_asset;  /* of the Feature being read; NULL: not a wallet */
  GPtrArray *addresses;        /* of PendingAddress* */
  gchar *first_name, *last_name, *id_type, *id_number;   /* sdnList */
} OfacXml;

static void
_address_free(gpointer p)
{
  PendingAddress *a = p;
  g_free(a->asset);
  g_free(a->value);
  g_free(a);
}

static void
_name_part_free(gpointer p)
{
  NamePart *n = p;
  g_free(n->group);
  g_free(n->value);
  g_free(n);
}

static void
_reset_party(OfacXml *x)
{
  g_clear_pointer(&x->uid, g_free);
  g_clear_pointer(&x->first_name, g_free);
  g_clear_pointer(&x->last_name, g_free);
  g_ptr_array_set_size(x->name_parts, 0);
  g_ptr_array_set_size(x->addresses, 0);
  g_hash_table_remove_all(x->groups);
  x->primary_identity = x->primary_alias = x->in_name = x->name_done = FALSE;
  x->feature_asset = NULL;
}

/* Element names without a namespace prefix. */
static const gchar *
_local(const gchar *name)
{
  const gchar *colon = strchr(name, ':');
  return colon ? colon + 1 : name;
}

static gboolean
_parent_is(GMarkupParseContext *markup, const gchar *parent)
{
  const GSList *stack = g_markup_parse_context_get_element_stack(markup);
  return stack && stack->next && strcmp(_local(stack->next->data), parent) == 0;
}

static const gchar *
_attr(const gchar **names, const gchar **values, const gchar *wanted)
{
  for (gsize i = 0; names[i]; i++)
    if (strcmp(_local(names[i]), wanted) == 0)
      return values[i];
  return NULL;
}

static void
_collect(OfacXml *x)
{
  g_string_truncate(x->text, 0);
  x->collecting = TRUE;
  x->text_line = 0;
}

static void
_add_pending(OfacXml *x, const gchar *asset, const gchar *value)
{
  PendingAddress *a = g_new(PendingAddress, 1);
  a->asset = g_strdup(asset);
  a->value = g_strstrip(g_strdup(value));
  a->line = x->text_line;
  g_ptr_array_add(x->addresses, a);
}

/* "LAST, First Middle" as sdn.csv writes people; entities as they are. */
static gchar *
_primary_name(OfacXml *x)
{
  GString *last = g_string_new(""), *rest = g_string_new("");
  for (guint i = 0; i < x->name_parts->len; i++)
    {
      NamePart *part = x->name_parts->pdata[i];
      const gchar *type_id = g_hash_table_lookup(x->groups, part->group);
      const gchar *type = type_id ? g_hash_table_lookup(x->part_types, type_id) : NULL;
      GString *to = g_strcmp0(type, "Last Name") == 0 ? last : rest;
      if (to->len)
        g_string_append_c(to, ' ');
      g_string_append(to, part->value);
    }
  if (last->len && rest->len)
    g_string_append(last, ", ");
  g_string_append(last, rest->str);
  g_string_free(rest, TRUE);
  return g_string_free(last, FALSE);
}

/* Adds the wallets of the party just read. */
static void
_flush_party(OfacXml *x, gchar *name)
{
  if (!x->addresses->len)
    x->ctx->ignored++;    /* a party without a wallet */
  DiIndicatorMeta meta = { name, "OFAC SDN", x->uid, name, -1, 0 };
  for (guint i = 0; i < x->addresses->len; i++)
    {
      PendingAddress *a = x->addresses->pdata[i];
      if (!*a->value)
        di_feed_error(x->ctx, a->line, "SDN uid %s: \"" ADDRESS_TAG "%s\" without an address",
                      x->uid ? x->uid : "?", a->asset);
      else
        di_feed_add_asset(x->ctx, a->line, NULL, a->asset, a->value, -1, &meta, NULL);
    }
  g_free(name);
  _reset_party(x);
}

/* ---- sdn_advanced.xml ------------------------------------------------- */

static void
_advanced_start(OfacXml *x, const gchar *name, const gchar **names, const gchar **values)
{
  GMarkupParseContext *m = x->markup;
  if ((strcmp(name, "FeatureType") == 0 && _parent_is(m, "FeatureTypeValues"))
      || (strcmp(name, "NamePartType") == 0 && _parent_is(m, "NamePartTypeValues")))
    {
      g_free(x->value_id);
      x->value_id = g_strdup(_attr(names, values, "ID"));
      _collect(x);
    }
  else if (strcmp(name, "DistinctParty") == 0)
    {
      _reset_party(x);
      x->uid = g_strdup(_attr(names, values, "FixedRef"));
    }
  else if (strcmp(name, "Profile") == 0 && !x->uid)
    x->uid = g_strdup(_attr(names, values, "ID"));
  else if (strcmp(name, "Identity") == 0)
    x->primary_identity = g_strcmp0(_attr(names, values, "Primary"), "false") != 0;
  else if (strcmp(name, "Alias") == 0)
    x->primary_alias = x->primary_identity && g_strcmp0(_attr(names, values, "Primary"), "true") == 0;
  else if (strcmp(name, "DocumentedName") == 0)
    x->in_name = x->primary_alias && !x->name_done;   /* the first script only */
  else if (strcmp(name, "NamePartValue") == 0 && x->in_name)
    {
      NamePart *part = g_new(NamePart, 1);
      part->group = g_strdup(_attr(names, values, "NamePartGroupID"));
      part->value = NULL;
      g_ptr_array_add(x->name_parts, part);
      _collect(x);
    }
  else if (strcmp(name, "NamePartGroup") == 0)
    {
      const gchar *id = _attr(names, values, "ID"), *type = _attr(names, values, "NamePartTypeID");
      if (id && type)
        g_hash_table_replace(x->groups, g_strdup(id), g_strdup(type));
    }
  else if (strcmp(name, "Feature") == 0)
    {
      const gchar *type = _attr(names, values, "FeatureTypeID");
      x->feature_asset = type ? g_hash_table_lookup(x->feature_assets, type) : NULL;
    }
  else if (strcmp(name, "VersionDetail") == 0 && x->feature_asset)
    _collect(x);
}

static void
_advanced_end(OfacXml *x, const gchar *name)
{
  const gchar *text = x->text->str;
  if (strcmp(name, "FeatureType") == 0 && x->collecting)
    {
      if (x->value_id && g_str_has_prefix(text, ADDRESS_TAG))
        g_hash_table_replace(x->feature_assets, g_strdup(x->value_id),
                             g_strstrip(g_strdup(text + strlen(ADDRESS_TAG))));
    }
  else if (strcmp(name, "NamePartType") == 0 && x->collecting)
    {
      if (x->value_id)
        g_hash_table_replace(x->part_types, g_strdup(x->value_id), g_strstrip(g_strdup(text)));
    }
  else if (strcmp(name, "NamePartValue") == 0 && x->collecting)
    {
      NamePart *part = x->name_parts->pdata[x->name_parts->len - 1];
      part->value = g_strstrip(g_strdup(text));
    }
  else if (strcmp(name, "DocumentedName") == 0 && x->in_name)
    {
      x->in_name = FALSE;
      x->name_done = TRUE;
    }
  else if (strcmp(name, "Alias") == 0)
    x->primary_alias = FALSE;
  else if (strcmp(name, "Identity") == 0)
    x->primary_identity = FALSE;
  else if (strcmp(name, "Feature") == 0)
    x->feature_asset = NULL;
  else if (strcmp(name, "VersionDetail") == 0 && x->collecting)
    _add_pending(x, x->feature_asset, text);
  else if (strcmp(name, "DistinctParty") == 0)
    _flush_party(x, _primary_name(x));
}

/* ---- sdn.xml ---------------------------------------------------------- */

static void
_sdnlist_start(OfacXml *x, const gchar *name)
{
  GMarkupParseContext *m = x->markup;
  if (strcmp(name, "sdnEntry") == 0)
    _reset_party(x);
  else if ((strcmp(name, "uid") == 0 || strcmp(name, "firstName") == 0 || strcmp(name, "lastName") == 0)
           && _parent_is(m, "sdnEntry"))
    _collect(x);
  else if (strcmp(name, "id") == 0 && _parent_is(m, "idList"))
    {
      g_clear_pointer(&x->id_type, g_free);
      g_clear_pointer(&x->id_number, g_free);
    }
  else if ((strcmp(name, "idType") == 0 || strcmp(name, "idNumber") == 0) && _parent_is(m, "id"))
    _collect(x);
}

static void
_sdnlist_end(OfacXml *x, const gchar *name)
{
  gchar **slot = NULL;
  if (x->collecting)
    slot = strcmp(name, "uid") == 0 ? &x->uid : strcmp(name, "firstName") == 0 ? &x->first_name
           : strcmp(name, "lastName") == 0 ? &x->last_name : strcmp(name, "idType") == 0 ? &x->id_type
           : strcmp(name, "idNumber") == 0 ? &x->id_number : NULL;
  if (slot)
    {
      g_free(*slot);
      *slot = g_strstrip(g_strdup(x->text->str));
    }
  else if (strcmp(name, "id") == 0 && x->id_type && g_str_has_prefix(x->id_type, ADDRESS_TAG))
    {
      gchar *asset = g_strstrip(g_strdup(x->id_type + strlen(ADDRESS_TAG)));
      _add_pending(x, asset, x->id_number ? x->id_number : "");
      g_free(asset);
    }
  else if (strcmp(name, "sdnEntry") == 0)
    _flush_party(x, x->first_name ? g_strdup_printf("%s, %s", x->last_name ? x->last_name : "", x->first_name)
                                  : g_strdup(x->last_name));
}

/* ---- GMarkup callbacks ------------------------------------------------ */

static void
_start_element(GMarkupParseContext *markup, const gchar *element, const gchar **names, const gchar **values,
               gpointer user_data, GError **error)
{
  OfacXml *x = user_data;
  const gchar *name = _local(element);
  x->collecting = FALSE;
  if (x->mode == MODE_NONE)
    {
      if (strcmp(name, "Sanctions") == 0)
        x->mode = MODE_ADVANCED;
      else if (strcmp(name, "sdnList") == 0)
        x->mode = MODE_SDNLIST;
      else
        {
          x->bad_root = g_strdup(name);
          g_set_error_literal(error, G_MARKUP_ERROR, G_MARKUP_ERROR_UNKNOWN_ELEMENT, "not OFAC's XML");
        }
    }
  else if (x->mode == MODE_ADVANCED)
    _advanced_start(x, name, names, values);
  else
    _sdnlist_start(x, name);
}

static void
_end_element(GMarkupParseContext *markup, const gchar *element, gpointer user_data, GError **error)
{
  OfacXml *x = user_data;
  if (x->mode == MODE_ADVANCED)
    _advanced_end(x, _local(element));
  else if (x->mode == MODE_SDNLIST)
    _sdnlist_end(x, _local(element));
  x->collecting = FALSE;
}

/* GMarkup reports text when it reaches the '<' after it, so the line where
 * the value starts is that position less the line breaks after it. */
static void
_text(GMarkupParseContext *markup, const gchar *text, gsize len, gpointer user_data, GError **error)
{
  OfacXml *x = user_data;
  if (!x->collecting)
    return;
  gsize start = 0;
  while (start < len && g_ascii_isspace(text[start]))
    start++;
  if (!x->text_line && start < len)
    {
      gint line, column;
      g_markup_parse_context_get_position(markup, &line, &column);
      x->text_line = line;
      for (gsize i = start; i < len; i++)
        if (text[i] == '\n')
          x->text_line--;
    }
  g_string_append_len(x->text, text, len);
}

static const GMarkupParser callbacks = { _start_element, _end_element, _text, NULL, NULL };

/* ---- reading ---------------------------------------------------------- */

/* GMarkup says "Error on line 3 char 7: ..."; we say FILE:3 and the column. */
static void
_report_markup_error(OfacXml *x, GError *error, gboolean at_end)
{
  gint line, column;
  g_markup_parse_context_get_position(x->markup, &line, &column);
  const gchar *message = error->message;
  if (x->bad_root)
    {
      di_feed_error(x->ctx, 0, "the root element is <%s>, not OFAC's <Sanctions> (sdn_advanced.xml) "
                    "or <sdnList> (sdn.xml)", x->bad_root);
      return;
    }
  if (sscanf(message, "Error on line %d char %d: ", &line, &column) == 2)
    message = strstr(message, ": ") + 2;
  if (at_end)
    di_feed_error(x->ctx, line, "the XML ends too early (truncated file?): %s", message);
  else
    di_feed_error(x->ctx, line, "invalid XML at column %d: %s", column, message);
}

static gboolean
_feed_chunks(OfacXml *x, FILE *fp)
{
  gchar *chunk = g_malloc(CHUNK_SIZE);
  gboolean first = TRUE, ok = TRUE;
  GError *error = NULL;
  gsize n;
  while (ok && (n = fread(chunk, 1, CHUNK_SIZE, fp)) > 0)
    {
      const gchar *p = chunk;
      if (first && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        {
          p += 3;
          n -= 3;
        }
      first = FALSE;
      if (!(ok = g_markup_parse_context_parse(x->markup, p, n, &error)))
        _report_markup_error(x, error, FALSE);
    }
  if (ok && ferror(fp))
    {
      di_feed_error(x->ctx, 0, "cannot read: %s", g_strerror(errno));
      ok = FALSE;
    }
  if (ok && !(ok = g_markup_parse_context_end_parse(x->markup, &error)))
    _report_markup_error(x, error, TRUE);
  g_clear_error(&error);
  g_free(chunk);
  return ok;
}

static gboolean
_ofac_xml_read(DiFeedContext *ctx)
{
  FILE *fp = fopen(ctx->filename, "rb");
  if (!fp)
    {
      di_feed_error(ctx, 0, "cannot read: %s", g_strerror(errno));
      return FALSE;
    }
  OfacXml x = { ctx };
  x.text = g_string_sized_new(256);
  x.feature_assets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  x.part_types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  x.groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  x.name_parts = g_ptr_array_new_with_free_func(_name_part_free);
  x.addresses = g_ptr_array_new_with_free_func(_address_free);
  x.markup = g_markup_parse_context_new(&callbacks, G_MARKUP_TREAT_CDATA_AS_TEXT, &x, NULL);

  if (_feed_chunks(&x, fp) && g_hash_table_size(x.feature_assets) == 0 && x.mode == MODE_ADVANCED)
    di_feed_error(ctx, 0, "no FeatureType \"" ADDRESS_TAG "...\" in ReferenceValueSets: "
                  "is this OFAC's sdn_advanced.xml?");

  fclose(fp);
  g_markup_parse_context_free(x.markup);
  _reset_party(&x);
  g_free(x.value_id);
  g_free(x.bad_root);
  g_free(x.id_type);
  g_free(x.id_number);
  g_string_free(x.text, TRUE);
  g_hash_table_destroy(x.feature_assets);
  g_hash_table_destroy(x.part_types);
  g_hash_table_destroy(x.groups);
  g_ptr_array_free(x.name_parts, TRUE);
  g_ptr_array_free(x.addresses, TRUE);
  return TRUE;
}

/* <?xml ...?> then <Sanctions ...> or <sdnList ...>. */
static gboolean
_ofac_xml_detect(const gchar *filename, const gchar *head, gsize len)
{
  if (len >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0)
    head += 3;
  while (g_ascii_isspace(*head))
    head++;
  if (*head != '<')
    return FALSE;
  return strstr(head, "<sdnList") || strstr(head, "<Sanctions") || strstr(head, ":sdnList")
         || strstr(head, ":Sanctions");
}

const DiFeedFormat di_feed_format_ofac_xml = { "ofac-xml", _ofac_xml_detect, _ofac_xml_read, TRUE };
