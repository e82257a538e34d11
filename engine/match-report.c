/* match-report.c: INTERFACE §1's output values for the messages that match.
 *
 * Runs only for matched messages, so clarity wins over speed here; the JSON
 * of every match is built with json-c.
 */
#include "match-report.h"
#include "actors.h"
#include "chains/wallet.h"
#include <json.h>

static const gchar *out_field_names[DI_OUT_MAX] =
{
  [DI_OUT_INDICATOR] = "indicator",
  [DI_OUT_TYPE] = "type",
  [DI_OUT_FIELD] = "field",
  [DI_OUT_ACTOR] = "actor",
  [DI_OUT_ACTORS] = "actors",
  [DI_OUT_SOURCE] = "source",
  [DI_OUT_CONFIDENCE] = "confidence",
  [DI_OUT_REFERENCE] = "reference",
  [DI_OUT_MATCH_COUNT] = "match_count",
  [DI_OUT_MATCHES] = "matches",
};

const gchar *
di_out_field_name(DiOutField field)
{
  return out_field_names[field];
}

void
di_report_init(DiReport *self)
{
  for (gint i = 0; i < DI_OUT_MAX; i++)
    self->values[i] = g_string_sized_new(64);
}

void
di_report_clear(DiReport *self)
{
  for (gint i = 0; i < DI_OUT_MAX; i++)
    g_string_free(self->values[i], TRUE);
}

/* ECS threat.indicator.confidence is a keyword scale; STIX's mapping. */
static const gchar *
_ecs_confidence(gint confidence)
{
  if (confidence <= 0)
    return "None";
  if (confidence < 30)
    return "Low";
  if (confidence < 70)
    return "Medium";
  return "High";
}

static void
_add_string(json_object *obj, const gchar *key, const gchar *value)
{
  if (value && *value)
    json_object_object_add(obj, key, json_object_new_string(value));
}

static json_object *
_match_json(const DiSnapshot *snap, const DiMatch *m, const gchar *value, const gchar *const *field_names,
            const gchar *const *field_texts)
{
  guint32 e = m->entry;
  DiType type = di_snapshot_entry_type(snap, e);

  json_object *indicator = json_object_new_object();
  _add_string(indicator, "name", value);
  _add_string(indicator, "type", di_type_name(type));
  _add_string(indicator, "provider", di_snapshot_entry_source(snap, e));
  _add_string(indicator, "confidence", _ecs_confidence(di_snapshot_entry_confidence(snap, e)));
  _add_string(indicator, "reference", di_snapshot_entry_reference(snap, e));
  _add_string(indicator, "description", di_snapshot_entry_description(snap, e));

  json_object *matched = json_object_new_object();
  json_object_object_add(matched, "atomic",
                         json_object_new_string_len(field_texts[m->field] + m->atomic_off, m->atomic_len));
  _add_string(matched, "field", field_names[m->field]);
  _add_string(matched, "type", "indicator_match_rule");

  /* ECS has no actor or wallet chain: our own fields sit under dprk_intel */
  json_object *ours = json_object_new_object();
  _add_string(ours, "actor", di_snapshot_entry_actor(snap, e));
  json_object_object_add(ours, "confidence", json_object_new_int(di_snapshot_entry_confidence(snap, e)));
  if (di_type_is_wallet(type))
    _add_string(ours, "chain", di_type_name(type));
  /* an EVM address logged in mixed case whose EIP-55 checksum fails: the
   * same account (so it matched), but mistyped or tampered with */
  guint8 account[20];
  if (di_type_key_class(type) == DI_KEY_EVM
      && di_evm_address_read(field_texts[m->field] + m->atomic_off, m->atomic_len, account, TRUE)
           == DI_EVM_CHECKSUM_INVALID)
    _add_string(ours, "checksum", "invalid");

  json_object *entry = json_object_new_object();
  json_object_object_add(entry, "indicator", indicator);
  json_object_object_add(entry, "matched", matched);
  json_object_object_add(entry, "dprk_intel", ours);
  return entry;
}

static void
_build_actors(GString *out, const DiSnapshot *snap, const DiMatchSet *set)
{
  guint32 ids[64];
  guint n = di_report_actor_ids(snap, set, ids, G_N_ELEMENTS(ids));
  for (guint i = 0; i < n; i++)
    {
      if (out->len)
        g_string_append_c(out, ',');
      g_string_append(out, di_snapshot_actor_name(snap, ids[i]));
    }
}

/* match_count is of distinct indicators: one value listed by two feeds or
 * actors is two entries but one indicator. */
static guint
_distinct_values(const DiSnapshot *snap, const DiMatchSet *set)
{
  guint n = 0;
  for (guint i = 0; i < set->n; i++)
    {
      gboolean seen = FALSE;
      for (guint j = 0; j < i && !seen; j++)
        seen = di_snapshot_entry_same_key(snap, set->matches[i].entry, set->matches[j].entry);
      n += !seen;
    }
  return n;
}

void
di_report_build(DiReport *self, const DiSnapshot *snap, const DiMatchSet *set, const gchar *const *field_names,
                const gchar *const *field_texts)
{
  for (gint i = 0; i < DI_OUT_MAX; i++)
    g_string_truncate(self->values[i], 0);
  if (set->n == 0)
    return;

  const DiMatch *first = &set->matches[0];
  di_snapshot_entry_value(snap, first->entry, self->values[DI_OUT_INDICATOR]);
  g_string_assign(self->values[DI_OUT_TYPE], di_type_name(di_snapshot_entry_type(snap, first->entry)));
  g_string_assign(self->values[DI_OUT_FIELD], field_names[first->field]);
  g_string_assign(self->values[DI_OUT_ACTOR], di_snapshot_entry_actor(snap, first->entry));
  g_string_assign(self->values[DI_OUT_SOURCE], di_snapshot_entry_source(snap, first->entry));
  g_string_printf(self->values[DI_OUT_CONFIDENCE], "%d", di_snapshot_entry_confidence(snap, first->entry));
  g_string_assign(self->values[DI_OUT_REFERENCE], di_snapshot_entry_reference(snap, first->entry));
  g_string_printf(self->values[DI_OUT_MATCH_COUNT], "%u", _distinct_values(snap, set));
  _build_actors(self->values[DI_OUT_ACTORS], snap, set);

  json_object *array = json_object_new_array();
  GString *value = g_string_sized_new(64);
  for (guint i = 0; i < set->n; i++)
    {
      g_string_truncate(value, 0);
      di_snapshot_entry_value(snap, set->matches[i].entry, value);
      json_object_array_add(array, _match_json(snap, &set->matches[i], value->str, field_names, field_texts));
    }
  g_string_assign(self->values[DI_OUT_MATCHES],
                  json_object_to_json_string_ext(array, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(array);
  g_string_free(value, TRUE);
}

guint
di_report_actor_ids(const DiSnapshot *snap, const DiMatchSet *set, guint32 *out, guint max)
{
  guint n = 0;
  for (guint i = 0; i < set->n && n < max; i++)
    {
      guint32 id = di_snapshot_entry_actor_id(snap, set->matches[i].entry);
      gboolean seen = (id == 0);
      for (guint j = 0; j < n && !seen; j++)
        seen = (out[j] == id);
      if (!seen)
        out[n++] = id;
    }
  return n;
}
