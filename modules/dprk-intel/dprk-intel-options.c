/* dprk-intel-options.c: the options of dprk-intel(): defaults, the setters
 * and checks the grammar calls, copying for a clone.  See
 * dprk-intel-options.h.
 */
#include "dprk-intel-options.h"

#include "incidents.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
dprk_intel_options_init(DprkIntelOptions *self)
{
  memset(self, 0, sizeof(*self));
  self->databases = g_ptr_array_new_with_free_func(g_free);
  self->fields = g_ptr_array_new_with_free_func(g_free);
  self->prefix = g_strdup(DPRK_INTEL_DEFAULT_PREFIX);
  self->incident_timeout = DI_INCIDENT_DEFAULT_TIMEOUT;
  self->incident_max = DI_INCIDENT_DEFAULT_MAX;
  self->sanctions_programs = g_ptr_array_new_with_free_func(g_free);
  self->dprk_feeds = g_ptr_array_new_with_free_func(g_free);
  self->warninglists = g_ptr_array_new_with_free_func(g_free);
  self->warninglists_disabled = g_ptr_array_new_with_free_func(g_free);
  self->min_prefix_ipv4 = DI_FEED_DEFAULT_MIN_PREFIX_IPV4;
  self->min_prefix_ipv6 = DI_FEED_DEFAULT_MIN_PREFIX_IPV6;
}

void
dprk_intel_options_destroy(DprkIntelOptions *self)
{
  g_ptr_array_free(self->databases, TRUE);
  g_ptr_array_free(self->fields, TRUE);
  g_free(self->prefix);
  log_template_unref(self->incident_key);
  log_template_unref(self->incident_amount);
  g_free(self->state_file);
  g_free(self->incident_id_salt);
  g_ptr_array_free(self->sanctions_programs, TRUE);
  g_ptr_array_free(self->dprk_feeds, TRUE);
  g_ptr_array_free(self->warninglists, TRUE);
  g_ptr_array_free(self->warninglists_disabled, TRUE);
}

static void
_replace_string(gchar **slot, const gchar *value)
{
  g_free(*slot);
  *slot = g_strdup(value);
}

static void
_replace_template(LogTemplate **slot, LogTemplate *value)
{
  log_template_unref(*slot);
  *slot = log_template_ref(value);
}

static void
_append_all(GPtrArray *dst, const GPtrArray *src)
{
  for (guint i = 0; i < src->len; i++)
    g_ptr_array_add(dst, g_strdup(g_ptr_array_index(src, i)));
}

void
dprk_intel_options_copy(DprkIntelOptions *dst, const DprkIntelOptions *src)
{
  _append_all(dst->databases, src->databases);
  _append_all(dst->fields, src->fields);
  _replace_string(&dst->prefix, src->prefix);
  _replace_template(&dst->incident_key, src->incident_key);
  _replace_template(&dst->incident_amount, src->incident_amount);
  dst->incident_timeout = src->incident_timeout;
  dst->incident_max = src->incident_max;
  _replace_string(&dst->state_file, src->state_file);
  dst->reload_interval = src->reload_interval;
  dst->mode = src->mode;
  _replace_string(&dst->incident_id_salt, src->incident_id_salt);
  _append_all(dst->sanctions_programs, src->sanctions_programs);
  _append_all(dst->dprk_feeds, src->dprk_feeds);
  _append_all(dst->warninglists, src->warninglists);
  _append_all(dst->warninglists_disabled, src->warninglists_disabled);
  dst->min_prefix_ipv4 = src->min_prefix_ipv4;
  dst->min_prefix_ipv6 = src->min_prefix_ipv6;
}

static gchar **
_strv_or_default(const GPtrArray *list, const gchar *default_value)
{
  if (list->len == 0)
    {
      gchar *single[] = { (gchar *) default_value, NULL };
      return g_strdupv(single);
    }

  gchar **result = g_new0(gchar *, list->len + 1);
  for (guint i = 0; i < list->len; i++)
    result[i] = g_strdup(g_ptr_array_index(list, i));
  return result;
}

gchar **
dprk_intel_options_dup_databases(const DprkIntelOptions *self)
{
  return _strv_or_default(self->databases, DPRK_INTEL_DEFAULT_DATABASE);
}

gchar **
dprk_intel_options_dup_fields(const DprkIntelOptions *self)
{
  return _strv_or_default(self->fields, DPRK_INTEL_DEFAULT_FIELD);
}

/* the grammar's setters */

void
dprk_intel_options_add_database(DprkIntelOptions *self, const gchar *path)
{
  g_ptr_array_add(self->databases, g_strdup(path));
}

void
dprk_intel_options_add_field(DprkIntelOptions *self, const gchar *field)
{
  g_ptr_array_add(self->fields, g_strdup(field));
}

void
dprk_intel_options_set_prefix(DprkIntelOptions *self, const gchar *prefix)
{
  _replace_string(&self->prefix, prefix);
}

void
dprk_intel_options_set_incident_key(DprkIntelOptions *self, LogTemplate *key)
{
  _replace_template(&self->incident_key, key);
}

void
dprk_intel_options_set_incident_amount(DprkIntelOptions *self, LogTemplate *amount)
{
  _replace_template(&self->incident_amount, amount);
}

void
dprk_intel_options_set_incident_timeout(DprkIntelOptions *self, gint64 seconds)
{
  self->incident_timeout = seconds;
}

void
dprk_intel_options_set_incident_max(DprkIntelOptions *self, gint64 max_open)
{
  self->incident_max = max_open;
}

void
dprk_intel_options_set_reload_interval(DprkIntelOptions *self, gint64 seconds)
{
  self->reload_interval = seconds;
}

void
dprk_intel_options_set_state_file(DprkIntelOptions *self, const gchar *path)
{
  _replace_string(&self->state_file, path);
}

static const gchar *const mode_names[] =
{
  [DPRK_INTEL_MODE_SCAN] = "scan",
  [DPRK_INTEL_MODE_AGGREGATE] = "aggregate",
};

const gchar *
dprk_intel_options_mode_name(DprkIntelMode mode)
{
  return mode_names[mode];
}

gboolean
dprk_intel_options_set_mode(DprkIntelOptions *self, const gchar *mode)
{
  for (guint i = 0; i < G_N_ELEMENTS(mode_names); i++)
    if (strcmp(mode, mode_names[i]) == 0)
      {
        self->mode = i;
        return TRUE;
      }
  return FALSE;
}

void
dprk_intel_options_set_incident_id_salt(DprkIntelOptions *self, const gchar *salt)
{
  _replace_string(&self->incident_id_salt, salt);
}

void
dprk_intel_options_add_sanctions_program(DprkIntelOptions *self, const gchar *word)
{
  g_ptr_array_add(self->sanctions_programs, g_strdup(word));
}

void
dprk_intel_options_add_dprk_feed(DprkIntelOptions *self, const gchar *path)
{
  g_ptr_array_add(self->dprk_feeds, g_strdup(path));
}

void
dprk_intel_options_add_warninglist(DprkIntelOptions *self, const gchar *path)
{
  g_ptr_array_add(self->warninglists, g_strdup(path));
}

void
dprk_intel_options_add_warninglist_disabled(DprkIntelOptions *self, const gchar *name)
{
  g_ptr_array_add(self->warninglists_disabled, g_strdup(name));
}

void
dprk_intel_options_set_min_prefix_ipv4(DprkIntelOptions *self, gint prefix)
{
  self->min_prefix_ipv4 = prefix;
}

void
dprk_intel_options_set_min_prefix_ipv6(DprkIntelOptions *self, gint prefix)
{
  self->min_prefix_ipv6 = prefix;
}

/* NULL-terminated copy, NULL when empty */
static gchar **
_strv_or_null(const GPtrArray *list)
{
  if (list->len == 0)
    return NULL;
  gchar **result = g_new0(gchar *, list->len + 1);
  for (guint i = 0; i < list->len; i++)
    result[i] = g_strdup(g_ptr_array_index(list, i));
  return result;
}

gchar **
dprk_intel_options_dup_warninglists(const DprkIntelOptions *self)
{
  if (self->warninglists->len == 0 && !g_file_test(DPRK_INTEL_DEFAULT_WARNINGLISTS, G_FILE_TEST_EXISTS))
    return g_new0(gchar *, 1);
  return _strv_or_default(self->warninglists, DPRK_INTEL_DEFAULT_WARNINGLISTS);
}

DiFeedOptions *
dprk_intel_options_dup_feed_options(const DprkIntelOptions *self)
{
  DiFeedOptions options;
  gchar **warninglists = dprk_intel_options_dup_warninglists(self);

  di_feed_options_init(&options);
  options.sanctions_programs = (const gchar *const *) _strv_or_null(self->sanctions_programs);
  options.dprk_paths = (const gchar *const *) _strv_or_null(self->dprk_feeds);
  options.warninglists = (const gchar *const *) (warninglists[0] ? warninglists : NULL);
  options.warninglists_disabled = (const gchar *const *) _strv_or_null(self->warninglists_disabled);
  options.min_prefix_ipv4 = self->min_prefix_ipv4;
  options.min_prefix_ipv6 = self->min_prefix_ipv6;

  DiFeedOptions *copy = di_feed_options_copy(&options);
  g_strfreev((gchar **) options.sanctions_programs);
  g_strfreev((gchar **) options.dprk_paths);
  g_strfreev(warninglists);
  g_strfreev((gchar **) options.warninglists_disabled);
  return copy;
}

/* the grammar's checks */

gchar *
dprk_intel_options_check_database_path(const gchar *path)
{
  struct stat st;

  /* a directory must be listable too: the loader reads every file in it */
  if (stat(path, &st) < 0 || access(path, S_ISDIR(st.st_mode) ? (R_OK | X_OK) : R_OK) < 0)
    return g_strdup_printf("cannot read '%s': %s", path, g_strerror(errno));
  return NULL;
}

gchar *
dprk_intel_options_check(const DprkIntelOptions *self)
{
  /* a central node takes the matches relays made: it loads no feed */
  if (self->mode == DPRK_INTEL_MODE_AGGREGATE)
    {
      if (self->databases->len > 0 || self->fields->len > 0 || self->reload_interval > 0)
        return g_strdup("mode(aggregate) groups the matches that relays made and scans nothing: "
                        "database(), fields() and reload-interval() have no use with it");
      return NULL;
    }
  if (self->databases->len > 0)
    return NULL;

  gchar *problem = dprk_intel_options_check_database_path(DPRK_INTEL_DEFAULT_DATABASE);
  if (!problem)
    return NULL;

  gchar *result = g_strdup_printf("database() is not given and the default database is missing: %s", problem);
  g_free(problem);
  return result;
}
