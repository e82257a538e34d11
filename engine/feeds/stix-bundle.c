/* stix-bundle.c: the index of a STIX bundle's objects and the attribution of
 * its indicators (see stix-bundle.h for the order of the sources).
 *
 * The relationship walk is breadth first with a visited set, remembered per
 * starting node, and charged to one budget for the bundle: a bundle of n
 * objects costs O(n + budget) whatever its relationships look like (before,
 * a depth-limited walk without a visited set took 52 s on a 43 KB bundle).
 */
#include "stix-bundle.h"
#include "feed-formats.h"
#include "actors.h"
#include <json.h>
#include <string.h>

/* attributed-to steps after "indicates": campaign -> intrusion-set -> threat-actor, and one more */
#define ATTRIBUTED_HOPS 3

typedef struct
{
  const gchar *known;   /* a name the alias table knows */
  const gchar *any;     /* else the first actor's own name */
} StixActor;

typedef enum { EDGE_OTHER, EDGE_INDICATES, EDGE_ATTRIBUTED_TO } EdgeKind;

/* A relationship as the walk needs it, resolved once. */
typedef struct
{
  json_object *target;   /* NULL: not in the bundle */
  const gchar *target_id;
  EdgeKind kind;
} StixEdge;

struct _DiStixBundle
{
  GHashTable *by_id;         /* id -> json_object */
  GHashTable *relations;     /* source_ref -> GArray of StixEdge */
  GHashTable *walked;        /* start id -> StixActor* (the walk's result) */
  GHashTable *report_of;     /* object id -> the first report listing it */
  json_object *only_report;  /* the bundle's report when it has exactly one */
  StixActor bundle_actor;    /* the actor every actor object names, if one */
  gsize steps, step_limit;
  gboolean limit_hit;
};

static gboolean
_is_type(json_object *o, const gchar *type)
{
  return g_strcmp0(di_json_string(o, "type"), type) == 0;
}

static gboolean
_is_actor_object(json_object *o)
{
  return _is_type(o, "threat-actor") || _is_type(o, "intrusion-set");
}

/* ---- actor objects ------------------------------------------------------ */

/* Its name when the table knows it; else its aliases when every known one
 * names the same actor (an alias list lumping several is no attribution). */
static StixActor
_actor_object(json_object *o)
{
  StixActor a = { NULL, di_json_string(o, "name") };
  if (a.any && di_actor_is_dprk(a.any))
    {
      a.known = a.any;
      return a;
    }
  const gchar *agreed = NULL;
  json_object *aliases = di_json_array(o, "aliases");
  for (gsize i = 0; aliases && i < json_object_array_length(aliases); i++)
    {
      const gchar *alias = json_object_get_string(json_object_array_get_idx(aliases, i));
      if (!json_object_is_type(json_object_array_get_idx(aliases, i), json_type_string) || !di_actor_is_dprk(alias))
        continue;
      if (agreed && strcmp(di_actor_canonical(agreed), di_actor_canonical(alias)) != 0)
        return a;
      agreed = agreed ? agreed : alias;
    }
  a.known = agreed;
  return a;
}

/* MISP's converter writes the event's threat-actor attribute as an
 * x-misp-attribute with x_misp_type "threat-actor". */
static const gchar *
_misp_actor_attribute(json_object *o)
{
  if (!_is_type(o, "x-misp-attribute") || g_strcmp0(di_json_string(o, "x_misp_type"), "threat-actor") != 0)
    return NULL;
  return di_json_string(o, "x_misp_value");
}

/* The canonical form of an actor, for comparing two. */
static const gchar *
_canonical(StixActor a)
{
  return a.known ? di_actor_canonical(a.known) : a.any;
}

/* Folds one more actor object into the bundle's actor: it stays only while
 * every object names the same actor. */
static void
_merge_bundle_actor(DiStixBundle *self, StixActor a, gboolean *conflict)
{
  if (*conflict || (!a.known && !a.any))
    return;
  if (!self->bundle_actor.known && !self->bundle_actor.any)
    self->bundle_actor = a;
  else if (g_strcmp0(_canonical(self->bundle_actor), _canonical(a)) != 0)
    {
      *conflict = TRUE;
      self->bundle_actor = (StixActor) { NULL, NULL };
    }
  else if (!self->bundle_actor.known)
    self->bundle_actor = a;
}

/* ---- the index ----------------------------------------------------------- */

/* After every id is indexed: the edge of one relationship object. */
static void
_index_relationship(DiStixBundle *self, json_object *o)
{
  const gchar *source = di_json_string(o, "source_ref");
  const gchar *type = di_json_string(o, "relationship_type");
  StixEdge edge = { NULL, di_json_string(o, "target_ref"), EDGE_OTHER };
  if (!source || !edge.target_id)
    return;
  edge.target = g_hash_table_lookup(self->by_id, edge.target_id);
  edge.kind = g_strcmp0(type, "indicates") == 0 ? EDGE_INDICATES
              : g_strcmp0(type, "attributed-to") == 0 ? EDGE_ATTRIBUTED_TO : EDGE_OTHER;
  GArray *list = g_hash_table_lookup(self->relations, source);
  if (!list)
    {
      list = g_array_new(FALSE, FALSE, sizeof(StixEdge));
      g_hash_table_insert(self->relations, (gpointer) source, list);
    }
  g_array_append_val(list, edge);
}

static void
_index_report(DiStixBundle *self, json_object *o, guint *reports)
{
  json_object *refs = di_json_array(o, "object_refs");
  (*reports)++;
  self->only_report = *reports == 1 ? o : NULL;
  for (gsize i = 0; refs && i < json_object_array_length(refs); i++)
    {
      const gchar *ref = json_object_get_string(json_object_array_get_idx(refs, i));
      if (json_object_is_type(json_object_array_get_idx(refs, i), json_type_string)
          && !g_hash_table_contains(self->report_of, ref))
        g_hash_table_insert(self->report_of, (gpointer) ref, o);
    }
}

DiStixBundle *
di_stix_bundle_new(json_object *objects, gsize step_limit)
{
  DiStixBundle *self = g_new0(DiStixBundle, 1);
  self->by_id = g_hash_table_new(g_str_hash, g_str_equal);
  self->relations = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_array_unref);
  self->walked = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
  self->report_of = g_hash_table_new(g_str_hash, g_str_equal);
  self->step_limit = step_limit;

  gboolean conflict = FALSE;
  guint reports = 0;
  gsize n = json_object_array_length(objects);
  for (gsize i = 0; i < n; i++)
    {
      json_object *o = json_object_array_get_idx(objects, i);
      const gchar *id = di_json_string(o, "id");
      if (id && !g_hash_table_contains(self->by_id, id))
        g_hash_table_insert(self->by_id, (gpointer) id, o);   /* the first of a duplicated id */
      if (_is_type(o, "report"))
        _index_report(self, o, &reports);
      else if (_is_actor_object(o))
        _merge_bundle_actor(self, _actor_object(o), &conflict);
      else if (_misp_actor_attribute(o))
        _merge_bundle_actor(self, (StixActor) { di_actor_is_dprk(_misp_actor_attribute(o)) ? _misp_actor_attribute(o) : NULL,
                                                _misp_actor_attribute(o) }, &conflict);
    }
  for (gsize i = 0; i < n; i++)
    if (_is_type(json_object_array_get_idx(objects, i), "relationship"))
      _index_relationship(self, json_object_array_get_idx(objects, i));
  return self;
}

void
di_stix_bundle_free(DiStixBundle *self)
{
  if (!self)
    return;
  g_hash_table_destroy(self->by_id);
  g_hash_table_destroy(self->relations);
  g_hash_table_destroy(self->walked);
  g_hash_table_destroy(self->report_of);
  g_free(self);
}

json_object *
di_stix_bundle_object(DiStixBundle *self, const gchar *id)
{
  return id ? g_hash_table_lookup(self->by_id, id) : NULL;
}

gsize
di_stix_bundle_steps(const DiStixBundle *self)
{
  return self->steps;
}

gboolean
di_stix_bundle_limit_hit(const DiStixBundle *self)
{
  return self->limit_hit;
}

/* ---- the relationship walk ------------------------------------------------ */

static void
_take(StixActor *found, StixActor a)
{
  found->known = found->known ? found->known : a.known;
  found->any = found->any ? found->any : a.any;
}

/* One step along a relationship, charged to the bundle's budget. */
static gboolean
_charge(DiStixBundle *self)
{
  if (self->steps >= self->step_limit)
    {
      self->limit_hit = TRUE;
      return FALSE;
    }
  self->steps++;
  return TRUE;
}

/* Breadth first from start along attributed-to, hops deep, with a visited
 * set: the first actor the table knows, else the first actor at all. */
static StixActor
_walk(DiStixBundle *self, const gchar *start, guint hops)
{
  StixActor found = { NULL, NULL };
  GHashTable *visited = g_hash_table_new(g_str_hash, g_str_equal);
  GPtrArray *level = g_ptr_array_new(), *next = g_ptr_array_new();
  g_hash_table_add(visited, (gpointer) start);
  g_ptr_array_add(level, (gpointer) start);
  for (guint hop = 0; hop < hops && level->len && !found.known; hop++)
    {
      for (guint i = 0; i < level->len && !found.known; i++)
        {
          GArray *list = g_hash_table_lookup(self->relations, level->pdata[i]);
          for (guint r = 0; list && r < list->len && !found.known && _charge(self); r++)
            {
              StixEdge *edge = &g_array_index(list, StixEdge, r);
              if (!edge->target || edge->kind != EDGE_ATTRIBUTED_TO || !g_hash_table_add(visited, (gpointer) edge->target_id))
                continue;
              if (_is_actor_object(edge->target))
                _take(&found, _actor_object(edge->target));
              g_ptr_array_add(next, (gpointer) edge->target_id);
            }
        }
      GPtrArray *t = level;
      level = next;
      next = t;
      g_ptr_array_set_size(next, 0);
    }
  g_ptr_array_free(level, TRUE);
  g_ptr_array_free(next, TRUE);
  g_hash_table_destroy(visited);
  return found;
}

/* What an object that an indicator indicates is attributed to, walked once
 * per object however many indicators point at it. */
static StixActor
_attributed(DiStixBundle *self, const gchar *id)
{
  StixActor *memo = g_hash_table_lookup(self->walked, id);
  if (!memo)
    {
      memo = g_new(StixActor, 1);
      *memo = _walk(self, id, ATTRIBUTED_HOPS);
      g_hash_table_insert(self->walked, (gpointer) id, memo);
    }
  return *memo;
}

/* The indicator's "indicates" relationships: an actor object the table
 * knows that it indicates, then what the objects it indicates are
 * attributed to; else the first actor met at all. */
static StixActor
_related_actor(DiStixBundle *self, const gchar *id)
{
  StixActor found = { NULL, NULL };
  GArray *list = g_hash_table_lookup(self->relations, id);
  for (gint pass = 0; pass < 2 && list && !found.known; pass++)
    for (guint r = 0; r < list->len && !found.known && _charge(self); r++)
      {
        StixEdge *edge = &g_array_index(list, StixEdge, r);
        if (!edge->target || edge->kind != EDGE_INDICATES)
          continue;
        if (pass == 0 && _is_actor_object(edge->target))
          _take(&found, _actor_object(edge->target));
        else if (pass == 1)
          _take(&found, _attributed(self, edge->target_id));
      }
  return found;
}

/* ---- labels and reports ------------------------------------------------------ */

static const gchar *
_label_actor(json_object *o)
{
  json_object *labels = di_json_array(o, "labels");
  for (gsize i = 0; labels && i < json_object_array_length(labels); i++)
    {
      json_object *label = json_object_array_get_idx(labels, i);
      const gchar *actor = json_object_is_type(label, json_type_string)
                           ? di_actor_from_label(json_object_get_string(label)) : NULL;
      if (actor)
        return actor;
    }
  return NULL;
}

/* A label saying DPRK without naming an actor ("DPRK", "North Korea "). */
static gboolean
_label_says_dprk(json_object *o)
{
  json_object *labels = di_json_array(o, "labels");
  for (gsize i = 0; labels && i < json_object_array_length(labels); i++)
    {
      const gchar *label = json_object_get_string(json_object_array_get_idx(labels, i));
      if (!label)
        continue;
      gchar *folded = g_strstrip(g_ascii_strdown(label, -1));
      gboolean yes = strcmp(folded, "dprk") == 0 || strcmp(folded, "north korea") == 0;
      g_free(folded);
      if (yes)
        return TRUE;
    }
  return FALSE;
}

/* Labels and name as the alias table knows them, then words in them. */
static const gchar *
_report_actor(json_object *report)
{
  const gchar *actor = _label_actor(report);
  if (!actor)
    actor = di_actor_from_label(di_json_string(report, "name"));
  json_object *labels = di_json_array(report, "labels");
  for (gsize i = 0; !actor && labels && i < json_object_array_length(labels); i++)
    actor = di_actor_find_in_text(json_object_get_string(json_object_array_get_idx(labels, i)));
  return actor ? actor : di_actor_find_in_text(di_json_string(report, "name"));
}

const gchar *
di_stix_bundle_actor(DiStixBundle *self, json_object *indicator, DiNexus *nexus)
{
  const gchar *id = di_json_string(indicator, "id");
  StixActor related = id ? _related_actor(self, id) : (StixActor) { NULL, NULL };
  if (related.known || related.any)
    return related.known ? related.known : related.any;

  const gchar *actor = _label_actor(indicator);
  if (actor)
    return actor;
  if (self->bundle_actor.known || self->bundle_actor.any)
    return self->bundle_actor.known ? self->bundle_actor.known : self->bundle_actor.any;

  json_object *report = id ? g_hash_table_lookup(self->report_of, id) : NULL;
  report = report ? report : self->only_report;
  if (!report)
    return NULL;
  actor = _report_actor(report);
  if (!actor && _label_says_dprk(report))
    *nexus = DI_NEXUS_DPRK;
  return actor;
}
