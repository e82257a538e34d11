/* match-report.c: INTERFACE §1's output values for the messages that match.
 *
 * Runs only for matched messages, so clarity wins over speed here; the JSON
 * of every match is built with json-c.
 */
#include "match-report.h"
#include "actors.h"
#include "chains/wallet.h"
#include <json.h>

static const struct
{
  const gchar *name;
  DiOutType type;
} out_fields[DI_OUT_MAX] =
{
  [DI_OUT_INDICATOR] = { "indicator", DI_OUT_STRING },
  [DI_OUT_TYPE] = { "type", DI_OUT_STRING },
  [DI_OUT_FIELD] = { "field", DI_OUT_STRING },
  [DI_OUT_ACTOR] = { "actor", DI_OUT_STRING },
  [DI_OUT_ACTORS] = { "actors", DI_OUT_STRING },
  [DI_OUT_SOURCE] = { "source", DI_OUT_STRING },
  [DI_OUT_CONFIDENCE] = { "confidence", DI_OUT_INT },
  [DI_OUT_REFERENCE] = { "reference", DI_OUT_STRING },
  [DI_OUT_MATCH_COUNT] = { "match_count", DI_OUT_INT },
  [DI_OUT_MATCHES] = { "matches", DI_OUT_JSON },
  [DI_OUT_PROGRAM] = { "program", DI_OUT_STRING },
  [DI_OUT_OTHER_INDICATOR] = { "other.indicator", DI_OUT_STRING },
  [DI_OUT_OTHER_TYPE] = { "other.type", DI_OUT_STRING },
  [DI_OUT_OTHER_FIELD] = { "other.field", DI_OUT_STRING },
  [DI_OUT_OTHER_ACTOR] = { "other.actor", DI_OUT_STRING },
  [DI_OUT_OTHER_ACTORS] = { "other.actors", DI_OUT_STRING },
  [DI_OUT_OTHER_SOURCE] = { "other.source", DI_OUT_STRING },
  [DI_OUT_OTHER_CONFIDENCE] = { "other.confidence", DI_OUT_INT },
  [DI_OUT_OTHER_REFERENCE] = { "other.reference", DI_OUT_STRING },
  [DI_OUT_OTHER_PROGRAM] = { "other.program", DI_OUT_STRING },
  [DI_OUT_OTHER_MATCH_COUNT] = { "other.match_count", DI_OUT_INT },
};

/* The fields of one section, from the primary of its first match on. */
typedef struct
{
  DiOutField indicator, type, field, actor, actors, source, confidence, reference, program, match_count;
} DiSection;

static const DiSection dprk_section =
{
  DI_OUT_INDICATOR, DI_OUT_TYPE, DI_OUT_FIELD, DI_OUT_ACTOR, DI_OUT_ACTORS, DI_OUT_SOURCE,
  DI_OUT_CONFIDENCE, DI_OUT_REFERENCE, DI_OUT_PROGRAM, DI_OUT_MATCH_COUNT,
};

static const DiSection other_section =
{
  DI_OUT_OTHER_INDICATOR, DI_OUT_OTHER_TYPE, DI_OUT_OTHER_FIELD, DI_OUT_OTHER_ACTOR, DI_OUT_OTHER_ACTORS,
  DI_OUT_OTHER_SOURCE, DI_OUT_OTHER_CONFIDENCE, DI_OUT_OTHER_REFERENCE, DI_OUT_OTHER_PROGRAM,
  DI_OUT_OTHER_MATCH_COUNT,
};

const gchar *
di_out_field_name(DiOutField field)
{
  return out_fields[field].name;
}

DiOutType
di_out_field_type(DiOutField field)
{
  return out_fields[field].type;
}

void
di_report_init(DiReport *self)
{
  for (gint i = 0; i < DI_OUT_MAX; i++)
    self->values[i] = g_string_sized_new(64);
  self->n_dprk = self->n_other = self->n_actors = 0;
  self->sanctions = FALSE;
}

void
di_report_clear(DiReport *self)
{
  for (gint i = 0; i < DI_OUT_MAX; i++)
    g_string_free(self->values[i], TRUE);
}

gboolean
di_report_has(const DiReport *self, DiOutField field)
{
  if (field == DI_OUT_MATCHES)
    return self->n_dprk + self->n_other > 0;
  if (field >= DI_OUT_OTHER_INDICATOR)
    return self->n_other > 0;
  return self->n_dprk > 0;
}

gboolean
di_match_is_dprk(const DiSnapshot *snap, const DiMatch *m)
{
  return di_snapshot_attribution_nexus(snap, m->attr) == DI_NEXUS_DPRK;
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

/* The attributions of a match that have not expired, the primary first. */
static guint
_live_attributions(const DiSnapshot *snap, const DiMatch *m, gint64 now, guint32 *out, guint max)
{
  guint n = 0, count = di_snapshot_entry_attribution_count(snap, m->entry);
  out[n++] = m->attr;
  for (guint i = 0; i < count && n < max; i++)
    {
      guint32 a = di_snapshot_entry_attribution(snap, m->entry, i);
      if (a != m->attr && !di_attribution_expired(snap, a, now))
        out[n++] = a;
    }
  return n;
}

static json_object *
_attribution_json(const DiSnapshot *snap, guint32 a)
{
  json_object *obj = json_object_new_object();
  _add_string(obj, "actor", di_snapshot_attribution_actor(snap, a));
  _add_string(obj, "source", di_snapshot_attribution_source(snap, a));
  _add_string(obj, "reference", di_snapshot_attribution_reference(snap, a));
  json_object_object_add(obj, "confidence", json_object_new_int(di_snapshot_attribution_confidence(snap, a)));
  _add_string(obj, "program", di_snapshot_attribution_program(snap, a));
  _add_string(obj, "nexus", di_nexus_name(di_snapshot_attribution_nexus(snap, a)));
  _add_string(obj, "type", di_type_name(di_snapshot_attribution_type(snap, a)));
  _add_string(obj, "description", di_snapshot_attribution_description(snap, a));
  gint64 valid_until = di_snapshot_attribution_valid_until(snap, a);
  if (valid_until)
    {
      GDateTime *dt = g_date_time_new_from_unix_utc(valid_until);
      gchar *iso = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
      _add_string(obj, "valid_until", iso);
      g_free(iso);
      g_date_time_unref(dt);
    }
  return obj;
}

/* ECS has no actor, wallet chain, checksum mark, nexus or sanctions program:
 * our own fields sit under dprk_intel (atomic is the matched text).  An
 * indicator that several feeds or rows attribute lists each attribution (the
 * primary first) under attributions. */
static json_object *
_our_json(const DiSnapshot *snap, const DiMatch *m, gint64 now, const gchar *atomic)
{
  guint32 a = m->attr;
  DiType type = di_snapshot_attribution_type(snap, a);
  json_object *ours = json_object_new_object();
  _add_string(ours, "actor", di_snapshot_attribution_actor(snap, a));
  json_object_object_add(ours, "confidence", json_object_new_int(di_snapshot_attribution_confidence(snap, a)));
  if (di_type_is_wallet(type))
    _add_string(ours, "chain", di_type_name(type));
  /* an EVM address logged in mixed case whose EIP-55 checksum fails: the
   * same account (so it matched), but mistyped or tampered with */
  guint8 account[20];
  if (di_type_key_class(type) == DI_KEY_EVM
      && di_evm_address_read(atomic, m->atomic_len, account, TRUE) == DI_EVM_CHECKSUM_INVALID)
    _add_string(ours, "checksum", "invalid");
  _add_string(ours, "nexus", di_nexus_name(di_snapshot_attribution_nexus(snap, a)));
  _add_string(ours, "program", di_snapshot_attribution_program(snap, a));

  guint32 live[DI_SNAPSHOT_MAX_ATTRIBUTIONS];
  guint n = _live_attributions(snap, m, now, live, G_N_ELEMENTS(live));
  if (n > 1)
    {
      json_object *list = json_object_new_array();
      for (guint i = 0; i < n; i++)
        json_object_array_add(list, _attribution_json(snap, live[i]));
      json_object_object_add(ours, "attributions", list);
    }
  return ours;
}

static json_object *
_match_json(const DiSnapshot *snap, const DiMatch *m, gint64 now, const gchar *value,
            const gchar *const *field_names, const gchar *const *field_texts)
{
  guint32 a = m->attr;

  json_object *indicator = json_object_new_object();
  _add_string(indicator, "name", value);
  _add_string(indicator, "type", di_type_name(di_snapshot_attribution_type(snap, a)));
  _add_string(indicator, "provider", di_snapshot_attribution_source(snap, a));
  _add_string(indicator, "confidence", _ecs_confidence(di_snapshot_attribution_confidence(snap, a)));
  _add_string(indicator, "reference", di_snapshot_attribution_reference(snap, a));
  _add_string(indicator, "description", di_snapshot_attribution_description(snap, a));

  json_object *matched = json_object_new_object();
  json_object_object_add(matched, "atomic",
                         json_object_new_string_len(field_texts[m->field] + m->atomic_off, m->atomic_len));
  _add_string(matched, "field", field_names[m->field]);
  _add_string(matched, "type", "indicator_match_rule");

  json_object *entry = json_object_new_object();
  json_object_object_add(entry, "indicator", indicator);
  json_object_object_add(entry, "matched", matched);
  json_object_object_add(entry, "dprk_intel", _our_json(snap, m, now, field_texts[m->field] + m->atomic_off));
  return entry;
}

/* Adds id to ids (n of them) unless it is there; FALSE when it was. */
static gboolean
_add_id(guint32 *ids, guint *n, guint max, guint32 id)
{
  for (guint j = 0; j < *n; j++)
    if (ids[j] == id)
      return FALSE;
  if (*n >= max)
    return FALSE;
  ids[(*n)++] = id;
  return TRUE;
}

/* The distinct actors of the DPRK-linked (dprk) or of the other matches:
 * the actors of their live attributions of that nexus, in match order. */
static guint
_actor_ids(const DiSnapshot *snap, const DiMatchSet *set, gboolean dprk, guint32 *out, guint max)
{
  guint n = 0;
  for (guint i = 0; i < set->n && n < max; i++)
    {
      const DiMatch *m = &set->matches[i];
      if (di_match_is_dprk(snap, m) != dprk)
        continue;
      guint32 live[DI_SNAPSHOT_MAX_ATTRIBUTIONS];
      guint n_live = _live_attributions(snap, m, set->now, live, G_N_ELEMENTS(live));
      for (guint k = 0; k < n_live; k++)
        {
          guint32 actor = di_snapshot_attribution_actor_id(snap, live[k]);
          gboolean is_dprk = di_snapshot_attribution_nexus(snap, live[k]) == DI_NEXUS_DPRK;
          if (actor && is_dprk == dprk)
            _add_id(out, &n, max, actor);
        }
    }
  return n;
}

static void
_build_actors(GString *out, const DiSnapshot *snap, const DiMatchSet *set, gboolean dprk)
{
  guint32 ids[DI_REPORT_MAX_ACTORS];
  guint n = _actor_ids(snap, set, dprk, ids, G_N_ELEMENTS(ids));
  for (guint i = 0; i < n; i++)
    {
      if (out->len)
        g_string_append_c(out, ',');
      g_string_append(out, di_snapshot_actor_name(snap, ids[i]));
    }
}

static void
_build_section(DiReport *self, const DiSection *s, const DiSnapshot *snap, const DiMatchSet *set, gboolean dprk,
               guint count, const gchar *const *field_names)
{
  if (count == 0)
    return;
  const DiMatch *first = NULL;
  for (guint i = 0; i < set->n && !first; i++)
    if (di_match_is_dprk(snap, &set->matches[i]) == dprk)
      first = &set->matches[i];

  guint32 a = first->attr;
  di_snapshot_entry_value(snap, first->entry, self->values[s->indicator]);
  g_string_assign(self->values[s->type], di_type_name(di_snapshot_attribution_type(snap, a)));
  g_string_assign(self->values[s->field], field_names[first->field]);
  g_string_assign(self->values[s->actor], di_snapshot_attribution_actor(snap, a));
  g_string_assign(self->values[s->source], di_snapshot_attribution_source(snap, a));
  g_string_printf(self->values[s->confidence], "%d", di_snapshot_attribution_confidence(snap, a));
  g_string_assign(self->values[s->reference], di_snapshot_attribution_reference(snap, a));
  g_string_assign(self->values[s->program], di_snapshot_attribution_program(snap, a));
  /* one value is one entry, so matches are distinct indicators */
  g_string_printf(self->values[s->match_count], "%u", count);
  _build_actors(self->values[s->actors], snap, set, dprk);
}

/* Listed under a sanctions program that is not the DPRK's. */
static gboolean
_other_sanctions(const DiSnapshot *snap, const DiMatch *m, gint64 now)
{
  guint32 live[DI_SNAPSHOT_MAX_ATTRIBUTIONS];
  guint n = _live_attributions(snap, m, now, live, G_N_ELEMENTS(live));
  for (guint k = 0; k < n; k++)
    if (*di_snapshot_attribution_program(snap, live[k])
        && di_snapshot_attribution_nexus(snap, live[k]) != DI_NEXUS_DPRK)
      return TRUE;
  return FALSE;
}

static void
_build_matches(GString *out, const DiSnapshot *snap, const DiMatchSet *set, const gchar *const *field_names,
               const gchar *const *field_texts)
{
  json_object *array = json_object_new_array();
  GString *value = g_string_sized_new(64);
  for (guint i = 0; i < set->n; i++)
    {
      g_string_truncate(value, 0);
      di_snapshot_entry_value(snap, set->matches[i].entry, value);
      json_object_array_add(array, _match_json(snap, &set->matches[i], set->now, value->str, field_names,
                                               field_texts));
    }
  g_string_assign(out, json_object_to_json_string_ext(array, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(array);
  g_string_free(value, TRUE);
}

void
di_report_build(DiReport *self, const DiSnapshot *snap, const DiMatchSet *set, const gchar *const *field_names,
                const gchar *const *field_texts)
{
  for (gint i = 0; i < DI_OUT_MAX; i++)
    g_string_truncate(self->values[i], 0);
  self->n_dprk = self->n_other = 0;
  self->sanctions = FALSE;
  for (guint i = 0; i < set->n; i++)
    {
      if (di_match_is_dprk(snap, &set->matches[i]))
        self->n_dprk++;
      else
        self->n_other++;
      self->sanctions = self->sanctions || _other_sanctions(snap, &set->matches[i], set->now);
    }
  self->n_actors = di_report_actor_ids(snap, set, self->actor_ids, G_N_ELEMENTS(self->actor_ids));
  if (set->n == 0)
    return;

  _build_section(self, &dprk_section, snap, set, TRUE, self->n_dprk, field_names);
  _build_section(self, &other_section, snap, set, FALSE, self->n_other, field_names);
  _build_matches(self->values[DI_OUT_MATCHES], snap, set, field_names, field_texts);
}

guint
di_report_actor_ids(const DiSnapshot *snap, const DiMatchSet *set, guint32 *out, guint max)
{
  return _actor_ids(snap, set, TRUE, out, max);
}

void
di_report_select_dprk(const DiSnapshot *snap, const DiMatchSet *set, DiMatchSet *out)
{
  di_match_set_reset(out);
  out->now = set->now;
  for (guint i = 0; i < set->n; i++)
    if (di_match_is_dprk(snap, &set->matches[i]))
      di_match_set_add(out, &set->matches[i]);
}
