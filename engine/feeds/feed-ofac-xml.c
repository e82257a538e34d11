/* feed-ofac-xml.c: OFAC's SDN list as XML, streamed through GMarkup.
 *
 * sdn_advanced.xml (root <Sanctions>) is over 100 MB, so it is fed to the
 * parser in 64 KB chunks and only the parties with wallets are kept in
 * memory.  Wallets are Features of a party's Profile whose FeatureTypeID
 * names a FeatureType "Digital Currency Address - XXX" in ReferenceValueSets;
 * the IDs are learnt from that text in each file, never assumed.  The actor
 * is the primary name of the party (last name first for people, as sdn.csv
 * writes it), normalised through the alias table; the reference is its SDN
 * uid.  The sanctions programs of a party come last in the file, in
 * SanctionsEntries: a SanctionsEntry for its ProfileID holds a
 * SanctionsMeasure of the type "Program" whose Comment is the program
 * ("DPRK3").  So the parties with wallets wait until the end of the file,
 * where they are loaded when a program of theirs is selected.
 *
 * The older sdn.xml (root <sdnList>) is read by the same callbacks:
 * sdnEntry/uid, lastName, firstName, programList/program and idList/id with
 * idType "Digital Currency Address - XXX" and idNumber.
 *
 * Every value taken from the file is owned by whoever holds it: a hostile
 * file may redefine a FeatureType ID at any point, which must not pull a
 * string out from under a Feature being read.
 */
#include "feed-formats.h"
#include <stdio.h>
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
  gchar *group;     /* NamePartGroupID; NULL: none given */
  gchar *value;     /* NULL: no text */
} NamePart;

/* A party with wallets, until its programs are known. */
typedef struct
{
  gchar *uid;
  gchar *profile;              /* Profile ID, what SanctionsEntry names */
  gchar *name;
  GPtrArray *addresses;        /* of PendingAddress* */
  GPtrArray *programs;         /* of gchar* */
} Party;

typedef struct
{
  DiFeedContext *ctx;
  GMarkupParseContext *markup;
  XmlMode mode;
  GString *text;               /* text of the element being collected */
  gboolean collecting;
  gsize text_line;             /* line where that text starts, 0: not yet */
  gsize element_line;          /* line of the element whose text it is: for an empty one */
  gchar *bad_root;             /* set when the root is not OFAC's */

  /* reference values, learnt from the file */
  GHashTable *feature_assets;  /* FeatureType ID -> asset code ("ETH") */
  GHashTable *part_types;      /* NamePartType ID -> "Last Name", "First Name" ... */
  GHashTable *program_types;   /* SanctionsType IDs whose text is "Program" */
  gchar *value_id;             /* ID of the FeatureType / NamePartType / SanctionsType being read */

  /* the party being read */
  gchar *uid, *profile;
  GPtrArray *name_parts;       /* of NamePart*, the primary name */
  GHashTable *groups;          /* NamePartGroup ID -> NamePartTypeID */
  gboolean primary_identity, primary_alias, in_name, name_done;
  gchar *feature_asset;        /* of the Feature being read (a copy); NULL: not a wallet */
  GPtrArray *addresses;        /* of PendingAddress* */
  gchar *first_name, *last_name, *id_type, *id_number;   /* sdnList */
  GPtrArray *programs;         /* sdnList: programList/program of the entry */

  /* sdn_advanced.xml: parties with wallets, and their programs */
  GPtrArray *parties;          /* of Party* */
  GHashTable *by_profile;      /* Profile ID -> Party* (borrowed from parties) */
  Party *entry_party;          /* of the SanctionsEntry being read; NULL: no wallets */
  gboolean program_measure;    /* the SanctionsMeasure being read is a program */
  gboolean text_cut;           /* the text being collected passed max-line-length */
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
_party_free(gpointer p)
{
  Party *party = p;
  g_free(party->uid);
  g_free(party->profile);
  g_free(party->name);
  g_ptr_array_free(party->addresses, TRUE);
  g_ptr_array_free(party->programs, TRUE);
  g_free(party);
}

static void
_reset_party(OfacXml *x)
{
  g_clear_pointer(&x->uid, g_free);
  g_clear_pointer(&x->profile, g_free);
  g_clear_pointer(&x->first_name, g_free);
  g_clear_pointer(&x->last_name, g_free);
  g_clear_pointer(&x->feature_asset, g_free);
  g_ptr_array_set_size(x->name_parts, 0);
  g_ptr_array_set_size(x->addresses, 0);
  g_ptr_array_set_size(x->programs, 0);
  g_hash_table_remove_all(x->groups);
  x->primary_identity = x->primary_alias = x->in_name = x->name_done = FALSE;
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
  x->text_cut = FALSE;
  x->text_line = 0;
  gint line, column;
  g_markup_parse_context_get_position(x->markup, &line, &column);
  x->element_line = line;
}

static void
_add_pending(OfacXml *x, const gchar *asset, const gchar *value)
{
  PendingAddress *a = g_new(PendingAddress, 1);
  a->asset = g_strdup(asset);
  a->value = g_strstrip(g_strdup(value));
  /* an element without text is reported where it is */
  a->line = x->text_line ? x->text_line : x->element_line;
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
      if (!part->value || !*part->value)
        continue;    /* <NamePartValue/>, or one holding elements */
      const gchar *type_id = part->group ? g_hash_table_lookup(x->groups, part->group) : NULL;
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

/* Adds the wallets of a party listed under programs. */
static void
_add_party(OfacXml *x, const gchar *uid, const gchar *name, GPtrArray *addresses, GPtrArray *programs)
{
  g_ptr_array_add(programs, NULL);
  DiIndicatorMeta meta = { name, "OFAC SDN", uid, name, -1, 0 };
  gchar *program_text;
  gboolean load = di_feed_sanctions_meta(x->ctx, (const gchar *const *) programs->pdata, name, &meta, &program_text);
  g_ptr_array_remove_index(programs, programs->len - 1);
  if (!load)
    x->ctx->other_programs++;
  for (guint i = 0; load && i < addresses->len; i++)
    {
      PendingAddress *a = addresses->pdata[i];
      if (!*a->value)
        di_feed_error(x->ctx, a->line, "SDN uid %s: \"" ADDRESS_TAG "%s\" without an address", uid ? uid : "?",
                      a->asset);
      else
        di_feed_add_asset(x->ctx, a->line, NULL, a->asset, a->value, -1, &meta, NULL);
    }
  g_free(program_text);
}

/* The party just read: sdn.xml's entries are complete (programList is
 * inside them); sdn_advanced.xml's wait for SanctionsEntries. */
static void
_flush_party(OfacXml *x, gchar *name)
{
  if (!x->addresses->len)
    x->ctx->ignored++;    /* a party without a wallet */
  else if (x->mode == MODE_SDNLIST)
    _add_party(x, x->uid, name, x->addresses, x->programs);
  else
    {
      Party *party = g_new0(Party, 1);
      party->uid = g_strdup(x->uid);
      party->profile = g_strdup(x->profile ? x->profile : x->uid);
      party->name = g_strdup(name);
      party->addresses = x->addresses;
      party->programs = g_ptr_array_new_with_free_func(g_free);
      x->addresses = g_ptr_array_new_with_free_func(_address_free);
      g_ptr_array_add(x->parties, party);
      if (party->profile)
        g_hash_table_replace(x->by_profile, party->profile, party);
    }
  g_free(name);
  _reset_party(x);
}

/* At the end of sdn_advanced.xml: every party with wallets, now that the
 * programs are known. */
static void
_add_parties(OfacXml *x)
{
  for (guint i = 0; i < x->parties->len; i++)
    {
      Party *party = x->parties->pdata[i];
      _add_party(x, party->uid, party->name, party->addresses, party->programs);
    }
}

/* ---- sdn_advanced.xml ------------------------------------------------- */

static gboolean
_is_reference_value(GMarkupParseContext *m, const gchar *name)
{
  return (strcmp(name, "FeatureType") == 0 && _parent_is(m, "FeatureTypeValues"))
         || (strcmp(name, "NamePartType") == 0 && _parent_is(m, "NamePartTypeValues"))
         || (strcmp(name, "SanctionsType") == 0 && _parent_is(m, "SanctionsTypeValues"));
}

static void
_sanctions_start(OfacXml *x, const gchar *name, const gchar **names, const gchar **values)
{
  if (strcmp(name, "SanctionsEntry") == 0)
    {
      const gchar *profile = _attr(names, values, "ProfileID");
      x->entry_party = profile ? g_hash_table_lookup(x->by_profile, profile) : NULL;
    }
  else if (strcmp(name, "SanctionsMeasure") == 0)
    {
      /* a file without SanctionsTypeValues: any measure with a comment */
      const gchar *type = _attr(names, values, "SanctionsTypeID");
      x->program_measure = g_hash_table_size(x->program_types) == 0
                           || (type && g_hash_table_contains(x->program_types, type));
    }
  else if (strcmp(name, "Comment") == 0 && _parent_is(x->markup, "SanctionsMeasure") && x->entry_party
           && x->program_measure)
    _collect(x);
}

static void
_advanced_start(OfacXml *x, const gchar *name, const gchar **names, const gchar **values)
{
  GMarkupParseContext *m = x->markup;
  if (_is_reference_value(m, name))
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
  else if (strcmp(name, "Profile") == 0)
    {
      g_free(x->profile);
      x->profile = g_strdup(_attr(names, values, "ID"));
      if (!x->uid)
        x->uid = g_strdup(x->profile);
    }
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
      g_free(x->feature_asset);
      x->feature_asset = g_strdup(type ? g_hash_table_lookup(x->feature_assets, type) : NULL);
    }
  else if (strcmp(name, "VersionDetail") == 0 && x->feature_asset)
    _collect(x);
  else
    _sanctions_start(x, name, names, values);
}

static void
_advanced_end(OfacXml *x, const gchar *name)
{
  const gchar *text = x->text->str;
  gboolean collected = x->collecting;
  if (strcmp(name, "FeatureType") == 0 && collected)
    {
      if (x->value_id && g_str_has_prefix(text, ADDRESS_TAG))
        g_hash_table_replace(x->feature_assets, g_strdup(x->value_id),
                             g_strstrip(g_strdup(text + strlen(ADDRESS_TAG))));
    }
  else if (strcmp(name, "NamePartType") == 0 && collected)
    {
      if (x->value_id)
        g_hash_table_replace(x->part_types, g_strdup(x->value_id), g_strstrip(g_strdup(text)));
    }
  else if (strcmp(name, "SanctionsType") == 0 && collected)
    {
      gchar *type = g_strstrip(g_strdup(text));
      if (x->value_id && g_ascii_strcasecmp(type, "Program") == 0)
        g_hash_table_add(x->program_types, g_strdup(x->value_id));
      g_free(type);
    }
  else if (strcmp(name, "NamePartValue") == 0 && collected && x->name_parts->len)
    {
      NamePart *part = x->name_parts->pdata[x->name_parts->len - 1];
      g_free(part->value);
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
    g_clear_pointer(&x->feature_asset, g_free);
  else if (strcmp(name, "VersionDetail") == 0 && collected && x->feature_asset)
    _add_pending(x, x->feature_asset, text);
  else if (strcmp(name, "DistinctParty") == 0)
    _flush_party(x, _primary_name(x));
  else if (strcmp(name, "Comment") == 0 && collected && x->entry_party)
    {
      gchar *program = g_strstrip(g_strdup(text));
      if (*program)
        g_ptr_array_add(x->entry_party->programs, program);
      else
        g_free(program);
    }
  else if (strcmp(name, "SanctionsEntry") == 0)
    x->entry_party = NULL;
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
  else if (strcmp(name, "program") == 0 && _parent_is(m, "programList"))
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
  else if (strcmp(name, "program") == 0 && x->collecting)
    g_ptr_array_add(x->programs, g_strstrip(g_strdup(x->text->str)));
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
  if (x->text->len + len > di_feed_limit(x->ctx, DI_LIMIT_LINE_LENGTH))
    {
      if (!x->text_cut)
        di_feed_limit_hit(x->ctx, DI_LIMIT_LINE_LENGTH, x->text_line, "the rest of this element's text is not read");
      x->text_cut = TRUE;
      return;
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

static gsize
_count_lines(const gchar *p, gsize n)
{
  gsize lines = 0;
  for (const gchar *nl; n && (nl = memchr(p, '\n', n)); n -= nl + 1 - p, p = nl + 1)
    lines++;
  return lines;
}

static gboolean
_feed_chunks(OfacXml *x, DiFeedInput *in)
{
  gchar *chunk = g_malloc(CHUNK_SIZE);
  gboolean first = TRUE, ok = TRUE;
  GError *error = NULL;
  gssize n;
  gsize lines = 0;    /* line breaks before this chunk */
  while (ok && (n = di_feed_input_read(in, chunk, CHUNK_SIZE)) > 0)
    {
      const gchar *p = chunk;
      if (first && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        {
          p += 3;
          n -= 3;
        }
      first = FALSE;
      /* GMarkup ends a text quietly at a NUL, so that "0x098b...\0junk"
       * would read as a valid address: XML allows no NUL, the file is broken */
      const gchar *nul = memchr(p, '\0', n);
      if (nul)
        {
          di_feed_error(x->ctx, lines + _count_lines(p, nul - p) + 1, "a NUL byte, which XML does not allow");
          ok = FALSE;
          break;
        }
      lines += _count_lines(p, n);
      if (!(ok = g_markup_parse_context_parse(x->markup, p, n, &error)))
        _report_markup_error(x, error, FALSE);
    }
  if (n < 0)
    ok = FALSE;     /* recorded by the input */
  if (ok && !(ok = g_markup_parse_context_end_parse(x->markup, &error)))
    _report_markup_error(x, error, TRUE);
  g_clear_error(&error);
  g_free(chunk);
  return ok;
}

static gboolean
_ofac_xml_read(DiFeedContext *ctx)
{
  DiFeedInput *in = di_feed_open(ctx);
  if (!in)
    return TRUE;
  OfacXml x = { ctx };
  x.text = g_string_sized_new(256);
  x.feature_assets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  x.part_types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  x.program_types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  x.groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  x.name_parts = g_ptr_array_new_with_free_func(_name_part_free);
  x.addresses = g_ptr_array_new_with_free_func(_address_free);
  x.programs = g_ptr_array_new_with_free_func(g_free);
  x.parties = g_ptr_array_new_with_free_func(_party_free);
  x.by_profile = g_hash_table_new(g_str_hash, g_str_equal);
  x.markup = g_markup_parse_context_new(&callbacks, G_MARKUP_TREAT_CDATA_AS_TEXT, &x, NULL);

  if (_feed_chunks(&x, in) && g_hash_table_size(x.feature_assets) == 0 && x.mode == MODE_ADVANCED)
    di_feed_error(ctx, 0, "no FeatureType \"" ADDRESS_TAG "...\" in ReferenceValueSets: "
                  "is this OFAC's sdn_advanced.xml?");
  _add_parties(&x);

  di_feed_input_close(in);
  g_markup_parse_context_free(x.markup);
  _reset_party(&x);
  g_free(x.value_id);
  g_free(x.bad_root);
  g_free(x.id_type);
  g_free(x.id_number);
  g_string_free(x.text, TRUE);
  g_hash_table_destroy(x.feature_assets);
  g_hash_table_destroy(x.part_types);
  g_hash_table_destroy(x.program_types);
  g_hash_table_destroy(x.groups);
  g_hash_table_destroy(x.by_profile);
  g_ptr_array_free(x.name_parts, TRUE);
  g_ptr_array_free(x.addresses, TRUE);
  g_ptr_array_free(x.programs, TRUE);
  g_ptr_array_free(x.parties, TRUE);
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
