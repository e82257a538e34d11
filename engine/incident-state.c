/* incident-state.c: saving open incidents to a file and reading them back.
 *
 * Format (version 1), JSON with one incident a line so that a person can
 * read and grep it:
 *
 *   {"format":"dprk-intel-incidents","version":1,"saved_at":<us>,"incidents":[
 *   {"id":"7f3a9c0e12b4d5a6","key":"acct-A","count":5,
 *    "first_seen":<us>,"last_seen":<us>,"amount":"1250.5",
 *    "indicators":{"names":[...],"distinct":2,"saturated":false},
 *    "actors":{"names":["Lazarus Group"],"distinct":1,"saturated":false},
 *    "relays":[{"name":"edge-a","count":3}],"relays_more":0,
 *    "relay_ids":{"names":[...],"distinct":1,"saturated":false}},
 *   ...
 *   ]}
 *
 * Times are UNIX microseconds.  The amount is text (g_ascii_dtostr: exact
 * round trip, no locale) and absent when none was seen.  A set with more
 * distinct values than names also carries "hashes": every value's 64-bit
 * hash as 16 hex digits, so that its distinct count stays exact after a
 * restart.  "relays", "relays_more" and "relay_ids" are there only for
 * incidents of relayed matches (a central node's); an older reader ignores
 * them.  Readers refuse a higher version; fields they do not know are
 * ignored, so a later version may add some without bumping it.
 *
 * The file is input like any other: a key longer than DI_INCIDENT_KEY_MAX
 * is shortened as a match's would be, and times after now are set to now
 * when the incidents go back into the table (di_incidents_restore()).
 */
#include "incident-state.h"
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

G_DEFINE_QUARK(di-incident-state-error-quark, di_incident_state_error)

/* Sanity bound for times read back: year ~ 148,000, far from overflow. */
#define DI_STATE_TIME_MAX (G_MAXINT64 / 4)
#define DI_STATE_MAX_DEPTH 16

/* ---- writing ---- */

static json_object *
_set_to_json(const DiIncidentSet *set)
{
  json_object *obj = json_object_new_object();
  json_object *names = json_object_new_array();

  for (guint i = 0; i < set->n_names; i++)
    json_object_array_add(names, json_object_new_string(set->names[i]));
  json_object_object_add(obj, "names", names);
  json_object_object_add(obj, "distinct", json_object_new_int64(set->n_distinct));
  json_object_object_add(obj, "saturated", json_object_new_boolean(set->saturated));
  if (set->n_distinct > set->n_names)
    {
      GArray *hashes = di_incident_set_hashes(set);
      json_object *list = json_object_new_array();
      for (guint i = 0; i < hashes->len; i++)
        {
          gchar hex[17];
          g_snprintf(hex, sizeof(hex), "%016" G_GINT64_MODIFIER "x", g_array_index(hashes, guint64, i));
          json_object_array_add(list, json_object_new_string(hex));
        }
      json_object_object_add(obj, "hashes", list);
      g_array_free(hashes, TRUE);
    }
  return obj;
}

static json_object *
_incident_to_json(const DiIncidentSummary *s)
{
  json_object *obj = json_object_new_object();

  json_object_object_add(obj, "id", json_object_new_string(s->id));
  json_object_object_add(obj, "key", json_object_new_string(s->key));
  json_object_object_add(obj, "count", json_object_new_int64((gint64) MIN(s->count, (guint64) G_MAXINT64)));
  json_object_object_add(obj, "first_seen", json_object_new_int64(s->first_seen));
  json_object_object_add(obj, "last_seen", json_object_new_int64(s->last_seen));
  if (s->has_amount)
    {
      gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
      json_object_object_add(obj, "amount", json_object_new_string(g_ascii_dtostr(buf, sizeof(buf), s->amount)));
    }
  json_object_object_add(obj, "indicators", _set_to_json(&s->indicators));
  json_object_object_add(obj, "actors", _set_to_json(&s->actors));
  if (s->relays.n || s->relays.more || s->relay_ids.n_distinct)
    {
      json_object *relays = json_object_new_array();
      for (guint i = 0; i < s->relays.n; i++)
        {
          json_object *relay = json_object_new_object();
          json_object_object_add(relay, "name", json_object_new_string(s->relays.items[i].name));
          json_object_object_add(relay, "count",
                                 json_object_new_int64((gint64) MIN(s->relays.items[i].count, (guint64) G_MAXINT64)));
          json_object_array_add(relays, relay);
        }
      json_object_object_add(obj, "relays", relays);
      json_object_object_add(obj, "relays_more", json_object_new_int64((gint64) MIN(s->relays.more, (guint64) G_MAXINT64)));
      json_object_object_add(obj, "relay_ids", _set_to_json(&s->relay_ids));
    }
  return obj;
}

static void
_append_incident(GString *out, const DiIncidentSummary *s)
{
  json_object *obj = _incident_to_json(s);
  g_string_append(out, json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(obj);
}

static GString *
_render(DiIncidents *self)
{
  GPtrArray *open = di_incidents_export(self);
  GString *out = g_string_sized_new(256 + open->len * 256);

  g_string_append_printf(out, "{\"format\":\"%s\",\"version\":%d,\"saved_at\":%" G_GINT64_FORMAT ",\"incidents\":[\n",
                         DI_INCIDENT_STATE_FORMAT, DI_INCIDENT_STATE_VERSION, g_get_real_time());
  for (guint i = 0; i < open->len; i++)
    {
      if (i)
        g_string_append(out, ",\n");
      _append_incident(out, g_ptr_array_index(open, i));
    }
  g_string_append(out, "\n]}\n");
  g_ptr_array_unref(open);
  return out;
}

static gboolean
_set_errno_error(GError **error, const gchar *what, const gchar *path, gint errsv)
{
  g_set_error(error, DI_INCIDENT_STATE_ERROR, DI_INCIDENT_STATE_ERROR_IO, "%s %s: %s", what, path,
              g_strerror(errsv));
  return FALSE;
}

static gboolean
_write_all(gint fd, const gchar *data, gsize len)
{
  while (len)
    {
      gssize n = write(fd, data, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

/* Makes the rename itself durable; failing here loses nothing already
 * written, so errors are ignored. */
static void
_sync_dir(const gchar *path)
{
  gchar *dir = g_path_get_dirname(path);
  gint fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0)
    {
      fsync(fd);
      close(fd);
    }
  g_free(dir);
}

/* Writes data to a fresh temporary file beside path, flushed to disk. */
static gboolean
_write_temp(const gchar *tmp, gint fd, const GString *data, GError **error)
{
  gboolean ok = _write_all(fd, data->str, data->len) && fsync(fd) == 0;
  gint errsv = errno;

  if (close(fd) < 0 && ok)
    {
      ok = FALSE;
      errsv = errno;
    }
  return ok || _set_errno_error(error, "cannot write", tmp, errsv);
}

/* Temporary file, fsync, rename over path: a reader sees the old file or the
 * new one, whole.  The temporary is removed on any failure. */
static gboolean
_write_atomically(const gchar *path, const GString *data, GError **error)
{
  gchar *tmp = g_strdup_printf("%s.tmp-XXXXXX", path);
  gint fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600);
  gboolean ok;

  if (fd < 0)
    ok = _set_errno_error(error, "cannot create a temporary file for", path, errno);
  else if (!_write_temp(tmp, fd, data, error))
    ok = FALSE;
  else if (rename(tmp, path) < 0)
    ok = _set_errno_error(error, "cannot rename the new state file to", path, errno);
  else
    ok = TRUE;

  if (fd >= 0 && !ok)
    unlink(tmp);
  if (ok)
    _sync_dir(path);
  g_free(tmp);
  return ok;
}

gboolean
di_incident_state_save(DiIncidents *self, const gchar *path, GError **error)
{
  GString *data = _render(self);
  gboolean ok = _write_atomically(path, data, error);
  g_string_free(data, TRUE);
  return ok;
}

/* ---- reading ---- */

typedef struct
{
  const gchar *path;
  guint index;          /* of the incident being read, from 1; 0 = the header */
  GError **error;
} DiStateReader;

static gboolean
_corrupt(DiStateReader *r, const gchar *fmt, const gchar *field)
{
  gchar *what = g_strdup_printf(fmt, field);
  if (r->index)
    g_set_error(r->error, DI_INCIDENT_STATE_ERROR, DI_INCIDENT_STATE_ERROR_CORRUPT,
                "%s: incident %u: %s", r->path, r->index, what);
  else
    g_set_error(r->error, DI_INCIDENT_STATE_ERROR, DI_INCIDENT_STATE_ERROR_CORRUPT, "%s: %s", r->path, what);
  g_free(what);
  return FALSE;
}

static gboolean
_get_int(DiStateReader *r, json_object *obj, const gchar *field, gint64 min, gint64 max, gint64 *out)
{
  json_object *v;
  if (!json_object_object_get_ex(obj, field, &v) || !json_object_is_type(v, json_type_int))
    return _corrupt(r, "'%s' is missing or not an integer", field);
  errno = 0;
  *out = json_object_get_int64(v);
  if (errno || *out < min || *out > max)
    return _corrupt(r, "'%s' is out of range", field);
  return TRUE;
}

static gboolean
_parse_hash(const gchar *text, guint64 *out)
{
  gchar *end = NULL;
  if (strlen(text) != 16 || !g_ascii_isxdigit(text[0]))
    return FALSE;
  *out = g_ascii_strtoull(text, &end, 16);
  return *end == '\0' && *out != 0;
}

static gboolean
_is_id(const gchar *text)
{
  if (strlen(text) != DI_INCIDENT_ID_LEN)
    return FALSE;
  for (const gchar *p = text; *p; p++)
    if (!g_ascii_isdigit(*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

static gboolean
_read_strings(DiStateReader *r, json_object *obj, const gchar *field, gboolean required, json_object **out)
{
  *out = NULL;
  if (!json_object_object_get_ex(obj, field, out))
    return required ? _corrupt(r, "'%s' is missing", field) : TRUE;
  if (!json_object_is_type(*out, json_type_array))
    return _corrupt(r, "'%s' is not a list", field);
  for (gsize i = 0; i < json_object_array_length(*out); i++)
    if (!json_object_is_type(json_object_array_get_idx(*out, i), json_type_string))
      return _corrupt(r, "'%s' holds something other than text", field);
  return TRUE;
}

static gboolean
_read_set(DiStateReader *r, json_object *incident, const gchar *field, DiIncidentSet *set)
{
  json_object *obj, *names, *hashes, *saturated;
  gint64 distinct;

  if (!json_object_object_get_ex(incident, field, &obj) || !json_object_is_type(obj, json_type_object))
    return _corrupt(r, "'%s' is missing or not an object", field);
  if (!_read_strings(r, obj, "names", TRUE, &names) || !_read_strings(r, obj, "hashes", FALSE, &hashes)
      || !_get_int(r, obj, "distinct", 0, G_MAXINT32, &distinct))
    return FALSE;

  for (gsize i = 0; i < json_object_array_length(names); i++)
    di_incident_set_add(set, json_object_get_string(json_object_array_get_idx(names, i)));
  for (gsize i = 0; hashes && i < json_object_array_length(hashes); i++)
    {
      guint64 h;
      if (!_parse_hash(json_object_get_string(json_object_array_get_idx(hashes, i)), &h))
        return _corrupt(r, "'%s' holds a hash that is not 16 hex digits", field);
      di_incident_set_add_hash(set, h);
    }
  /* values whose hashes were not kept still count */
  if (distinct > set->n_distinct)
    set->n_distinct = MIN(distinct, DI_INCIDENT_DISTINCT_MAX);
  if (json_object_object_get_ex(obj, "saturated", &saturated) && json_object_get_boolean(saturated))
    set->saturated = TRUE;
  return TRUE;
}

static gboolean
_get_string(DiStateReader *r, json_object *obj, const gchar *field, const gchar **out)
{
  json_object *v;
  if (!json_object_object_get_ex(obj, field, &v) || !json_object_is_type(v, json_type_string))
    return _corrupt(r, "'%s' is missing or not text", field);
  *out = json_object_get_string(v);
  return TRUE;
}

static gboolean
_read_amount(DiStateReader *r, json_object *obj, DiIncidentSummary *s)
{
  json_object *v;
  if (!json_object_object_get_ex(obj, "amount", &v))
    return TRUE;
  if (!json_object_is_type(v, json_type_string) || !di_incident_parse_amount(json_object_get_string(v), &s->amount))
    return _corrupt(r, "'%s' is not a number", "amount");
  s->has_amount = TRUE;
  return TRUE;
}

static gboolean
_read_relays(DiStateReader *r, json_object *obj, DiIncidentSummary *s)
{
  json_object *relays, *v;
  gint64 more = 0;

  if (json_object_object_get_ex(obj, "relay_ids", &v) && !_read_set(r, obj, "relay_ids", &s->relay_ids))
    return FALSE;
  if (json_object_object_get_ex(obj, "relays_more", &v) && !_get_int(r, obj, "relays_more", 0, G_MAXINT64, &more))
    return FALSE;
  s->relays.more = more;
  if (!json_object_object_get_ex(obj, "relays", &relays))
    return TRUE;
  if (!json_object_is_type(relays, json_type_array))
    return _corrupt(r, "'%s' is not a list", "relays");
  for (gsize i = 0; i < json_object_array_length(relays); i++)
    {
      json_object *relay = json_object_array_get_idx(relays, i);
      const gchar *name;
      gint64 count;

      if (!json_object_is_type(relay, json_type_object))
        return _corrupt(r, "'%s' holds something other than an object", "relays");
      if (!_get_string(r, relay, "name", &name) || !_get_int(r, relay, "count", 1, G_MAXINT64, &count))
        return FALSE;
      di_incident_relays_add(&s->relays, name, count);
    }
  return TRUE;
}

static DiIncidentSummary *
_read_incident(DiStateReader *r, json_object *obj)
{
  const gchar *id, *key;
  gint64 count, first_seen, last_seen;

  if (!json_object_is_type(obj, json_type_object))
    {
      _corrupt(r, "%s", "not an object");
      return NULL;
    }
  if (!_get_string(r, obj, "id", &id) || !_get_string(r, obj, "key", &key)
      || !_get_int(r, obj, "count", 1, G_MAXINT64, &count)
      || !_get_int(r, obj, "first_seen", 0, DI_STATE_TIME_MAX, &first_seen)
      || !_get_int(r, obj, "last_seen", first_seen, DI_STATE_TIME_MAX, &last_seen))
    return NULL;
  if (!_is_id(id))
    {
      _corrupt(r, "'%s' is not 16 lower-case hex digits", "id");
      return NULL;
    }

  /* a hand-edited or hostile file: the same bound as for a match's key */
  gchar key_buf[DI_INCIDENT_KEY_MAX + 1];
  gboolean truncated;
  DiIncidentSummary *s = di_incident_summary_new(id, di_incident_key_limit(key, key_buf, &truncated));
  s->count = count;
  s->first_seen = first_seen;
  s->last_seen = last_seen;
  if (!_read_amount(r, obj, s) || !_read_set(r, obj, "indicators", &s->indicators)
      || !_read_set(r, obj, "actors", &s->actors) || !_read_relays(r, obj, s))
    {
      di_incident_summary_free(s);
      return NULL;
    }
  return s;
}

static gboolean
_read_header(DiStateReader *r, json_object *root, json_object **incidents)
{
  const gchar *format;
  gint64 version;

  /* one error each: _get_string() sets its own when "format" is missing */
  json_object *v;
  if (!json_object_is_type(root, json_type_object) || !json_object_object_get_ex(root, "format", &v))
    return _corrupt(r, "%s", "not a " DI_INCIDENT_STATE_FORMAT " state file");
  if (!_get_string(r, root, "format", &format))
    return FALSE;
  if (strcmp(format, DI_INCIDENT_STATE_FORMAT) != 0)
    return _corrupt(r, "%s", "not a " DI_INCIDENT_STATE_FORMAT " state file");
  if (!_get_int(r, root, "version", 1, G_MAXINT32, &version))
    return FALSE;
  if (version > DI_INCIDENT_STATE_VERSION)
    {
      g_set_error(r->error, DI_INCIDENT_STATE_ERROR, DI_INCIDENT_STATE_ERROR_VERSION,
                  "%s: state file version %" G_GINT64_FORMAT " is newer than this build reads (%d)", r->path,
                  version, DI_INCIDENT_STATE_VERSION);
      return FALSE;
    }
  if (!json_object_object_get_ex(root, "incidents", incidents)
      || !json_object_is_type(*incidents, json_type_array))
    return _corrupt(r, "'%s' is missing or not a list", "incidents");
  return TRUE;
}

/* Parses the whole text as one JSON value, trailing blanks allowed. */
static json_object *
_parse(DiStateReader *r, const gchar *text, gsize len)
{
  json_tokener *tok = json_tokener_new_ex(DI_STATE_MAX_DEPTH);
  json_object *root = json_tokener_parse_ex(tok, text, (gint) len);
  enum json_tokener_error jerr = json_tokener_get_error(tok);
#if JSON_C_VERSION_NUM >= ((0 << 16) | (15 << 8))
  gsize end = json_tokener_get_parse_end(tok);
#else
  gsize end = tok->char_offset;
#endif

  json_tokener_free(tok);
  if (!root || jerr != json_tokener_success)
    {
      json_object_put(root);
      _corrupt(r, "not valid JSON: %s",
               jerr == json_tokener_continue ? "it ends too early" : json_tokener_error_desc(jerr));
      return NULL;
    }
  while (end < len && g_ascii_isspace(text[end]))
    end++;
  if (end < len)
    {
      json_object_put(root);
      _corrupt(r, "%s", "there is text after the JSON value");
      return NULL;
    }
  return root;
}

/* Reads every incident first, so that a broken file restores nothing. */
static GPtrArray *
_read_all(DiStateReader *r, json_object *root)
{
  json_object *list;
  if (!_read_header(r, root, &list))
    return NULL;

  GPtrArray *incidents = g_ptr_array_new_with_free_func((GDestroyNotify) di_incident_summary_free);
  for (gsize i = 0; i < json_object_array_length(list); i++)
    {
      r->index = i + 1;
      DiIncidentSummary *s = _read_incident(r, json_object_array_get_idx(list, i));
      if (!s)
        {
          g_ptr_array_unref(incidents);
          return NULL;
        }
      g_ptr_array_add(incidents, s);
    }
  return incidents;
}

static gint
_by_last_seen(gconstpointer a, gconstpointer b)
{
  const DiIncidentSummary *x = *(DiIncidentSummary *const *) a;
  const DiIncidentSummary *y = *(DiIncidentSummary *const *) b;
  return (x->last_seen > y->last_seen) - (x->last_seen < y->last_seen);
}

gboolean
di_incident_state_load(DiIncidents *self, const gchar *path, gint64 now_us, GError **error)
{
  DiStateReader r = { path, 0, error };
  gchar *text = NULL;
  gsize len = 0;
  GError *read_error = NULL;

  if (!g_file_get_contents(path, &text, &len, &read_error))
    {
      gboolean missing = g_error_matches(read_error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
      if (!missing)
        g_set_error(error, DI_INCIDENT_STATE_ERROR, DI_INCIDENT_STATE_ERROR_IO, "%s", read_error->message);
      g_error_free(read_error);
      return missing;
    }

  json_object *root = len ? _parse(&r, text, len) : NULL;
  if (!len)
    _corrupt(&r, "%s", "the file is empty");
  g_free(text);
  if (!root)
    return FALSE;

  GPtrArray *incidents = _read_all(&r, root);
  json_object_put(root);
  if (!incidents)
    return FALSE;

  /* oldest first, so that if they do not all fit the oldest make way */
  g_ptr_array_sort(incidents, _by_last_seen);
  for (guint i = 0; i < incidents->len; i++)
    di_incidents_restore(self, g_ptr_array_index(incidents, i), now_us);
  g_ptr_array_set_free_func(incidents, NULL);   /* the table owns them now */
  g_ptr_array_unref(incidents);
  return TRUE;
}

/* ---- setting a broken file aside ---- */

gboolean
di_incident_state_set_aside(const gchar *path, gchar **new_path, GError **error)
{
  gchar stamp[32];
  time_t now = time(NULL);
  struct tm tm;

  gmtime_r(&now, &tm);
  strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);

  gchar *target = g_strdup_printf("%s.corrupt-%s", path, stamp);
  for (guint n = 2; g_file_test(target, G_FILE_TEST_EXISTS); n++)
    {
      g_free(target);
      target = g_strdup_printf("%s.corrupt-%s-%u", path, stamp, n);
    }
  if (rename(path, target) < 0)
    {
      _set_errno_error(error, "cannot set aside", path, errno);
      g_free(target);
      return FALSE;
    }
  if (new_path)
    *new_path = target;
  else
    g_free(target);
  return TRUE;
}
