/* test-incidents-state.c: saving open incidents and reading them back:
 * round trip, expiry of what timed out meanwhile, broken files, atomicity. */
#include <criterion/criterion.h>
#include "incident-state.h"
#include <glib/gstdio.h>
#include <string.h>

#define SEC G_GINT64_CONSTANT(1000000)
#define T0 (G_GINT64_CONSTANT(1795600800) * SEC)

static gchar *dir;

static void
_setup(void)
{
  dir = g_dir_make_tmp("test-incidents-XXXXXX", NULL);
  cr_assert_not_null(dir);
}

static void
_rm_rf(const gchar *path)
{
  GDir *d = g_dir_open(path, 0, NULL);
  const gchar *name;
  while (d && (name = g_dir_read_name(d)))
    {
      gchar *p = g_build_filename(path, name, NULL);
      if (g_file_test(p, G_FILE_TEST_IS_DIR))
        _rm_rf(p);
      else
        g_unlink(p);
      g_free(p);
    }
  if (d)
    g_dir_close(d);
  g_rmdir(path);
}

static void
_teardown(void)
{
  _rm_rf(dir);
  g_free(dir);
}

TestSuite(incident_state, .init = _setup, .fini = _teardown);

static gchar *
_path(const gchar *name)
{
  return g_build_filename(dir, name, NULL);
}

static gint
_cmp_names(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const gchar *const *) a, *(const gchar *const *) b);
}

/* The names in dir, sorted, joined with spaces. */
static gchar *
_listing(void)
{
  GDir *d = g_dir_open(dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new();
  const gchar *name;
  while ((name = g_dir_read_name(d)))
    g_ptr_array_add(names, g_strdup(name));
  g_dir_close(d);
  g_ptr_array_sort(names, _cmp_names);
  GString *out = g_string_new(NULL);
  for (guint i = 0; i < names->len; i++)
    {
      if (i)
        g_string_append_c(out, ' ');
      g_string_append(out, g_ptr_array_index(names, i));
      g_free(g_ptr_array_index(names, i));
    }
  g_ptr_array_free(names, TRUE);
  return g_string_free(out, FALSE);
}

static void
_write(const gchar *path, const gchar *text)
{
  cr_assert(g_file_set_contents(path, text, -1, NULL));
}

static DiIncidentUpdate
_add(DiIncidents *t, const gchar *key, gint64 at, const gchar *indicator, const gchar *actor, const gchar *amount)
{
  DiIncidentUpdate up;
  const gchar *ind[] = { indicator };
  const gchar *act[] = { actor };
  di_incidents_add(t, key, at, ind, 1, act, actor ? 1 : 0, amount, &up);
  return up;
}

static void
_assert_set_eq(const DiIncidentSet *a, const DiIncidentSet *b)
{
  cr_assert_eq(a->n_distinct, b->n_distinct);
  cr_assert_eq(a->n_names, b->n_names);
  cr_assert_eq(a->saturated, b->saturated);
  for (guint i = 0; i < a->n_names; i++)
    cr_assert_str_eq(a->names[i], b->names[i]);
}

static void
_assert_same_incidents(DiIncidents *x, DiIncidents *y)
{
  GPtrArray *a = di_incidents_export(x);
  GPtrArray *b = di_incidents_export(y);
  cr_assert_eq(a->len, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const DiIncidentSummary *p = g_ptr_array_index(a, i), *q = g_ptr_array_index(b, i);
      cr_assert_str_eq(p->id, q->id);
      cr_assert_str_eq(p->key, q->key);
      cr_assert_eq(p->count, q->count);
      cr_assert_eq(p->first_seen, q->first_seen);
      cr_assert_eq(p->last_seen, q->last_seen);
      cr_assert_eq(p->has_amount, q->has_amount);
      cr_assert(p->amount == q->amount, "amount %.17g != %.17g", p->amount, q->amount);
      _assert_set_eq(&p->indicators, &q->indicators);
      _assert_set_eq(&p->actors, &q->actors);
      _assert_set_eq(&p->relay_ids, &q->relay_ids);
      cr_assert_eq(p->relays.n, q->relays.n);
      cr_assert_eq(p->relays.more, q->relays.more);
      for (guint r = 0; r < p->relays.n; r++)
        {
          cr_assert_str_eq(p->relays.items[r].name, q->relays.items[r].name);
          cr_assert_eq(p->relays.items[r].count, q->relays.items[r].count);
        }
    }
  g_ptr_array_unref(a);
  g_ptr_array_unref(b);
}

Test(incident_state, round_trip_keeps_ids_counts_sets_and_amounts)
{
  DiIncidents *t = di_incidents_new(3600, 100);
  gchar *path = _path("incidents.state");
  GError *error = NULL;

  DiIncidentUpdate a = _add(t, "acct-A", T0, "0xaaa", "Lazarus Group", "0.1");
  _add(t, "acct-A", T0 + 5 * SEC, "0xbbb", "TraderTraitor", "0.2");
  _add(t, "acct-A", T0 + 6 * SEC, "0xaaa", "Lazarus Group", "bogus");
  _add(t, "host \"q\"/\\ \xc3\xa9", T0 + 7 * SEC, "evil.example", NULL, NULL);
  /* a set past the kept names: its distinct count must survive */
  for (gint i = 0; i < 100; i++)
    {
      gchar ind[16];
      g_snprintf(ind, sizeof(ind), "ind-%d", i);
      _add(t, "wide", T0 + 10 * SEC + i, ind, "APT38", "1e2");
    }
  cr_assert(di_incident_state_save(t, path, &error), "%s", error ? error->message : "");

  DiIncidents *u = di_incidents_new(3600, 100);
  cr_assert(di_incident_state_load(u, path, T0 + 60 * SEC, &error), "%s", error ? error->message : "");
  _assert_same_incidents(t, u);

  DiIncidentCounters c;
  di_incidents_get_counters(u, &c);
  cr_assert_eq(c.loaded, 3);
  cr_assert_eq(c.open_now, 3);
  cr_assert_eq(c.opened, 0);

  /* the incident goes on where it stopped, under the same id */
  DiIncidentUpdate a2 = _add(u, "acct-A", T0 + 70 * SEC, "0xccc", NULL, "0.3");
  cr_assert_not(a2.opened);
  cr_assert_str_eq(a2.id, a.id);
  cr_assert_eq(a2.count, 4);
  /* ind-80 is beyond the kept names but was seen: not counted again */
  _add(u, "wide", T0 + 71 * SEC, "ind-80", NULL, NULL);
  GPtrArray *open = di_incidents_export(u);
  const DiIncidentSummary *acct = g_ptr_array_index(open, 1), *wide = g_ptr_array_index(open, 2);
  cr_assert_str_eq(acct->key, "acct-A");
  cr_assert_float_eq(acct->amount, 0.6, 1e-12);
  cr_assert_eq(acct->indicators.n_distinct, 3);
  cr_assert_str_eq(wide->key, "wide");
  cr_assert_eq(wide->indicators.n_distinct, 100);
  cr_assert_eq(wide->count, 101);
  cr_assert_float_eq(wide->amount, 10000, 1e-9);
  g_ptr_array_unref(open);

  di_incidents_free(t);
  di_incidents_free(u);
  g_free(path);
}

Test(incident_state, saves_atomically_leaving_no_temporary_file)
{
  DiIncidents *t = di_incidents_new(3600, 100);
  gchar *path = _path("incidents.state");
  gchar *text = NULL;

  _write(path, "old contents");
  _add(t, "k", T0, "0xaaa", NULL, NULL);
  cr_assert(di_incident_state_save(t, path, NULL));
  cr_assert(di_incident_state_save(t, path, NULL));
  gchar *listing = _listing();
  cr_assert_str_eq(listing, "incidents.state");
  cr_assert(g_file_get_contents(path, &text, NULL, NULL));
  cr_assert(g_str_has_prefix(text, "{\"format\":\"dprk-intel-incidents\",\"version\":1,"), "%s", text);

  /* private: keys may name accounts */
  GStatBuf st;
  cr_assert_eq(g_stat(path, &st), 0);
  cr_assert_eq(st.st_mode & 0777, 0600);
  g_free(text);
  g_free(listing);
  g_free(path);
  di_incidents_free(t);
}

Test(incident_state, a_failed_save_cleans_up_and_says_why)
{
  DiIncidents *t = di_incidents_new(3600, 100);
  gchar *path = _path("in-the-way");
  GError *error = NULL;

  /* the rename over a non-empty directory fails after the temp file is written */
  cr_assert_eq(g_mkdir(path, 0700), 0);
  gchar *inner = g_build_filename(path, "x", NULL);
  _write(inner, "x");
  _add(t, "k", T0, "0xaaa", NULL, NULL);
  cr_assert_not(di_incident_state_save(t, path, &error));
  cr_assert(g_error_matches(error, DI_INCIDENT_STATE_ERROR, DI_INCIDENT_STATE_ERROR_IO));
  cr_assert(strstr(error->message, path), "%s", error->message);
  g_clear_error(&error);
  gchar *listing = _listing();
  cr_assert_str_eq(listing, "in-the-way");

  gchar *nowhere = _path("no/such/dir/state");
  cr_assert_not(di_incident_state_save(t, nowhere, &error));
  cr_assert_not_null(error);
  g_clear_error(&error);

  g_free(listing);
  g_free(nowhere);
  g_free(inner);
  g_free(path);
  di_incidents_free(t);
}

Test(incident_state, a_missing_file_is_no_error)
{
  DiIncidents *t = di_incidents_new(3600, 100);
  gchar *path = _path("never-written");
  GError *error = NULL;

  cr_assert(di_incident_state_load(t, path, T0, &error));
  cr_assert_null(error);
  DiIncidentCounters c;
  di_incidents_get_counters(t, &c);
  cr_assert_eq(c.open_now, 0);
  g_free(path);
  di_incidents_free(t);
}

typedef struct
{
  guint n;
  gchar reasons[256];
} Reasons;

static void
_note_reason(const DiIncidentSummary *s, gpointer user_data)
{
  Reasons *r = user_data;
  r->n++;
  g_strlcat(r->reasons, di_incident_reason_name(s->reason), sizeof(r->reasons));
  g_strlcat(r->reasons, " ", sizeof(r->reasons));
}

Test(incident_state, incidents_that_timed_out_meanwhile_still_get_a_summary)
{
  DiIncidents *t = di_incidents_new(600, 100);
  gchar *path = _path("incidents.state");
  Reasons r = { 0 };
  gint64 deadline = -1;

  _add(t, "stale", T0, "0xaaa", NULL, NULL);
  _add(t, "fresh", T0 + 500 * SEC, "0xbbb", NULL, NULL);
  cr_assert(di_incident_state_save(t, path, NULL));

  /* down for 10 minutes */
  DiIncidents *u = di_incidents_new(600, 100);
  cr_assert(di_incident_state_load(u, path, T0 + 600 * SEC, NULL));
  cr_assert(di_incidents_next_deadline(u, &deadline));
  cr_assert_lt(deadline, T0, "the stale one is due at once");
  cr_assert_eq(di_incidents_expire(u, T0 + 600 * SEC, _note_reason, &r), 1);
  cr_assert_str_eq(r.reasons, "timeout ");
  cr_assert(di_incidents_next_deadline(u, &deadline));
  cr_assert_eq(deadline, T0 + 1100 * SEC);

  DiIncidentCounters c;
  di_incidents_get_counters(u, &c);
  cr_assert_eq(c.loaded, 2);
  cr_assert_eq(c.timed_out, 1);
  cr_assert_eq(c.open_now, 1);
  di_incidents_free(t);
  di_incidents_free(u);
  g_free(path);
}

Test(incident_state, loading_into_a_smaller_table_keeps_the_newest)
{
  DiIncidents *t = di_incidents_new(3600, 100);
  gchar *path = _path("incidents.state");
  Reasons r = { 0 };

  for (gint i = 0; i < 5; i++)
    {
      gchar key[8];
      g_snprintf(key, sizeof(key), "k%d", i);
      _add(t, key, T0 + i * SEC, "0xaaa", NULL, NULL);
    }
  cr_assert(di_incident_state_save(t, path, NULL));
  DiIncidents *u = di_incidents_new(3600, 2);
  _add(u, "k4", T0 + 9 * SEC, "0xaaa", NULL, NULL);   /* already open here: newer wins */
  cr_assert(di_incident_state_load(u, path, T0 + 10 * SEC, NULL));
  cr_assert_eq(di_incidents_expire(u, T0 + 10 * SEC, _note_reason, &r), 4);
  cr_assert_str_eq(r.reasons, "evicted evicted evicted evicted ");
  DiIncidentCounters c;
  di_incidents_get_counters(u, &c);
  cr_assert_eq(c.loaded, 5);
  cr_assert_eq(c.evicted, 4);
  cr_assert_eq(c.opened + c.loaded - c.closed, c.open_now);

  GPtrArray *open = di_incidents_export(u);
  cr_assert_eq(open->len, 2);
  cr_assert_str_eq(((DiIncidentSummary *) g_ptr_array_index(open, 0))->key, "k3");
  cr_assert_str_eq(((DiIncidentSummary *) g_ptr_array_index(open, 1))->key, "k4");
  cr_assert_eq(((DiIncidentSummary *) g_ptr_array_index(open, 1))->count, 1);
  g_ptr_array_unref(open);
  di_incidents_free(t);
  di_incidents_free(u);
  g_free(path);
}

static const gchar *good_incident =
  "{\"id\":\"0123456789abcdef\",\"key\":\"k\",\"count\":2,\"first_seen\":1,\"last_seen\":2,"
  "\"indicators\":{\"names\":[\"x\"],\"distinct\":1},\"actors\":{\"names\":[],\"distinct\":0}}";

static void
_assert_load_fails(const gchar *text, gint code, const gchar *why)
{
  DiIncidents *t = di_incidents_new(3600, 100);
  gchar *path = _path("broken.state");
  GError *error = NULL;

  _write(path, text);
  cr_assert_not(di_incident_state_load(t, path, T0, &error), "loaded: %s", text);
  cr_assert(g_error_matches(error, DI_INCIDENT_STATE_ERROR, code), "%s", error ? error->message : "no error");
  cr_assert(strstr(error->message, path), "the message names the file: %s", error->message);
  cr_assert(strstr(error->message, why), "'%s' not in: %s", why, error->message);
  DiIncidentCounters c;
  di_incidents_get_counters(t, &c);
  cr_assert_eq(c.loaded, 0, "nothing restored from a broken file");
  g_clear_error(&error);
  g_unlink(path);
  g_free(path);
  di_incidents_free(t);
}

Test(incident_state, broken_files_are_refused_with_a_clear_error)
{
  gint corrupt = DI_INCIDENT_STATE_ERROR_CORRUPT;
  gchar *wrap, *text;

  _assert_load_fails("", corrupt, "empty");
  _assert_load_fails("\x01\x02garbage", corrupt, "not valid JSON");
  _assert_load_fails("{\"format\":\"dprk-intel-incidents\",\"version\":1,\"incidents\":[", corrupt, "ends too early");
  _assert_load_fails("{\"format\":\"something-else\",\"version\":1,\"incidents\":[]}", corrupt, "not a dprk-intel");
  _assert_load_fails("[1,2,3]", corrupt, "not a dprk-intel");
  _assert_load_fails("{\"format\":\"dprk-intel-incidents\",\"incidents\":[]}", corrupt, "'version'");
  _assert_load_fails("{\"format\":\"dprk-intel-incidents\",\"version\":1,\"incidents\":[]} trailing", corrupt,
                     "after the JSON");
  _assert_load_fails("{\"format\":\"dprk-intel-incidents\",\"version\":9,\"incidents\":[]}",
                     DI_INCIDENT_STATE_ERROR_VERSION, "newer");

  wrap = "{\"format\":\"dprk-intel-incidents\",\"version\":1,\"incidents\":[%s,%s]}";
  const struct
  {
    const gchar *from, *to, *why;
  } breakages[] = {
    { "\"0123456789abcdef\"", "\"0123456789ABCDEX\"", "'id'" },
    { "\"count\":2", "\"count\":0", "'count' is out of range" },
    { "\"count\":2", "\"count\":\"2\"", "'count'" },
    { "\"last_seen\":2", "\"last_seen\":0", "'last_seen' is out of range" },
    { ",\"key\":\"k\"", "", "'key'" },
    { "\"names\":[\"x\"]", "\"names\":[1]", "other than text" },
    { "\"distinct\":1}", "\"distinct\":1,\"hashes\":[\"zz\"]}", "hash" },
    { ",\"actors\":{\"names\":[],\"distinct\":0}", "", "'actors'" },
    { "\"first_seen\":1", "\"first_seen\":1,\"amount\":\"lots\"", "'amount'" },
  };
  for (guint i = 0; i < G_N_ELEMENTS(breakages); i++)
    {
      gchar **parts = g_strsplit(good_incident, breakages[i].from, 2);
      cr_assert_not_null(parts[1], "test bug: %s", breakages[i].from);
      gchar *bad = g_strjoin(breakages[i].to, parts[0], parts[1], NULL);
      text = g_strdup_printf(wrap, good_incident, bad);
      _assert_load_fails(text, corrupt, breakages[i].why);
      g_free(text);
      g_free(bad);
      g_strfreev(parts);
    }

  /* and the intact one loads */
  DiIncidents *t = di_incidents_new(3600, 100);
  gchar *path = _path("good.state");
  text = g_strdup_printf("{\"format\":\"dprk-intel-incidents\",\"version\":1,\"incidents\":[%s]}\n", good_incident);
  _write(path, text);
  cr_assert(di_incident_state_load(t, path, 1, NULL));
  DiIncidentCounters c;
  di_incidents_get_counters(t, &c);
  cr_assert_eq(c.open_now, 1);
  g_free(text);
  g_free(path);
  di_incidents_free(t);
}

Test(incident_state, the_error_names_the_broken_incident)
{
  DiIncidents *t = di_incidents_new(3600, 100);
  gchar *path = _path("broken.state");
  GError *error = NULL;
  gchar *text = g_strdup_printf("{\"format\":\"dprk-intel-incidents\",\"version\":1,\"incidents\":[%s,{}]}",
                                good_incident);

  _write(path, text);
  cr_assert_not(di_incident_state_load(t, path, T0, &error));
  cr_assert(strstr(error->message, ": incident 2: "), "%s", error->message);
  g_clear_error(&error);
  g_free(text);
  g_free(path);
  di_incidents_free(t);
}

Test(incident_state, a_corrupt_file_is_set_aside)
{
  DiIncidents *t = di_incidents_new(3600, 100);
  gchar *path = _path("incidents.state");
  gchar *aside = NULL, *aside2 = NULL, *contents = NULL;
  GError *error = NULL;

  _write(path, "{\"truncated");
  cr_assert_not(di_incident_state_load(t, path, T0, &error));
  g_clear_error(&error);
  cr_assert(di_incident_state_set_aside(path, &aside, &error));
  cr_assert_not(g_file_test(path, G_FILE_TEST_EXISTS));
  gchar *prefix = g_strconcat(path, ".corrupt-", NULL);
  cr_assert(g_str_has_prefix(aside, prefix), "%s", aside);
  cr_assert(g_file_get_contents(aside, &contents, NULL, NULL));
  cr_assert_str_eq(contents, "{\"truncated");

  /* a second one in the same second does not overwrite the first */
  _write(path, "again");
  cr_assert(di_incident_state_set_aside(path, &aside2, NULL));
  cr_assert_str_neq(aside, aside2);
  cr_assert(g_file_test(aside, G_FILE_TEST_EXISTS));

  /* and the next start is clean */
  cr_assert(di_incident_state_load(t, path, T0, NULL));
  cr_assert_not(di_incident_state_set_aside(path, NULL, &error));
  cr_assert_not_null(error);
  g_clear_error(&error);

  g_free(contents);
  g_free(prefix);
  g_free(aside);
  g_free(aside2);
  g_free(path);
  di_incidents_free(t);
}

Test(incident_state, an_empty_table_saves_and_loads)
{
  DiIncidents *t = di_incidents_new(3600, 100);
  gchar *path = _path("incidents.state");
  cr_assert(di_incident_state_save(t, path, NULL));
  cr_assert(di_incident_state_load(t, path, T0, NULL));
  DiIncidentCounters c;
  di_incidents_get_counters(t, &c);
  cr_assert_eq(c.open_now, 0);
  g_free(path);
  di_incidents_free(t);
}

/* A central node's incidents keep their relays, and the relays' incident
 * ids, across a restart. */
Test(incident_state, relays_survive_a_restart)
{
  gchar *path = _path("relays.state");
  DiIncidents *t = di_incidents_new(3600, 100);
  const gchar *ind[] = { "0xabc" };
  DiIncidentUpdate up;

  for (gint i = 0; i < DI_INCIDENT_RELAY_MAX + 3; i++)
    {
      gchar relay[16];
      g_snprintf(relay, sizeof(relay), "edge-%d", i % (DI_INCIDENT_RELAY_MAX + 2));
      DiIncidentMatch m = { .key = "acct-A", .now_us = T0 + i, .stamp = T0 / SEC, .indicators = ind,
                            .n_indicators = 1, .relay = relay, .relay_incident_id = i % 2 ? "aaaaaaaaaaaaaaaa" : "bbbbbbbbbbbbbbbb" };
      di_incidents_add_match(t, &m, &up);
    }
  _add(t, "acct-B", T0, "0xdef", NULL, NULL);
  cr_assert(di_incident_state_save(t, path, NULL));

  DiIncidents *u = di_incidents_new(3600, 100);
  cr_assert(di_incident_state_load(u, path, T0 + SEC, NULL));
  _assert_same_incidents(t, u);
  di_incidents_free(t);
  di_incidents_free(u);
  g_free(path);
}

/* A file that claims incidents were last seen in the future must not keep
 * them open for ever: their times are set to the load time, counted, and
 * they time out from there. */
Test(incident_state, times_in_the_future_are_clamped_to_now)
{
  gchar *path = _path("future.state");
  gint64 year = 365 * 24 * 3600 * SEC;
  gchar *text = g_strdup_printf("{\"format\":\"dprk-intel-incidents\",\"version\":1,\"incidents\":[\n"
                                "{\"id\":\"0123456789abcdef\",\"key\":\"future\",\"count\":2,"
                                "\"first_seen\":%" G_GINT64_FORMAT ",\"last_seen\":%" G_GINT64_FORMAT ","
                                "\"indicators\":{\"names\":[\"0xabc\"],\"distinct\":1},"
                                "\"actors\":{\"names\":[],\"distinct\":0}},\n"
                                "{\"id\":\"fedcba9876543210\",\"key\":\"now\",\"count\":1,"
                                "\"first_seen\":%" G_GINT64_FORMAT ",\"last_seen\":%" G_GINT64_FORMAT ","
                                "\"indicators\":{\"names\":[\"0xabc\"],\"distinct\":1},"
                                "\"actors\":{\"names\":[],\"distinct\":0}}\n]}\n",
                                T0 + 1000 * year, T0 + 1000 * year, T0 - SEC, T0);
  _write(path, text);

  DiIncidents *t = di_incidents_new(60, 100);
  cr_assert(di_incident_state_load(t, path, T0, NULL));
  DiIncidentCounters c;
  di_incidents_get_counters(t, &c);
  cr_assert_eq(c.loaded, 2);
  cr_assert_eq(c.times_clamped, 1);

  GPtrArray *open = di_incidents_export(t);
  for (guint i = 0; i < open->len; i++)
    {
      const DiIncidentSummary *s = g_ptr_array_index(open, i);
      cr_assert_leq(s->last_seen, T0, "%s last seen %" G_GINT64_FORMAT, s->key, s->last_seen);
      cr_assert_leq(s->first_seen, s->last_seen);
    }
  g_ptr_array_unref(open);

  /* both close one timeout after the load */
  cr_assert_eq(di_incidents_expire(t, T0 + 59 * SEC, NULL, NULL), 0);
  cr_assert_eq(di_incidents_expire(t, T0 + 60 * SEC, NULL, NULL), 2);
  di_incidents_free(t);
  g_free(text);
  g_free(path);
}

/* A key longer than the limit in a hand-made file is shortened as a
 * match's key would be, so that the next match of that key finds it. */
Test(incident_state, long_keys_in_the_file_are_bounded_like_live_ones)
{
  gchar *path = _path("long.state");
  gchar *key = g_strnfill(3 * DI_INCIDENT_KEY_MAX, 'q');
  gchar *text = g_strdup_printf("{\"format\":\"dprk-intel-incidents\",\"version\":1,\"incidents\":[\n"
                                "{\"id\":\"0123456789abcdef\",\"key\":\"%s\",\"count\":2,"
                                "\"first_seen\":%" G_GINT64_FORMAT ",\"last_seen\":%" G_GINT64_FORMAT ","
                                "\"indicators\":{\"names\":[\"0xabc\"],\"distinct\":1},"
                                "\"actors\":{\"names\":[],\"distinct\":0}}\n]}\n",
                                key, T0, T0);
  _write(path, text);

  DiIncidents *t = di_incidents_new(3600, 100);
  cr_assert(di_incident_state_load(t, path, T0, NULL));
  DiIncidentUpdate up = _add(t, key, T0 + SEC, "0xabc", NULL, NULL);
  cr_assert_not(up.opened);
  cr_assert_str_eq(up.id, "0123456789abcdef");
  cr_assert_eq(up.count, 3);
  di_incidents_free(t);
  g_free(text);
  g_free(key);
  g_free(path);
}
