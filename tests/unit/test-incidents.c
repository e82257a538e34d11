/* test-incidents.c: the incident table: grouping, running counts, timeouts,
 * eviction, amounts, ids, distinct sets, summary text, threads and floods.
 * The state file has its own program, test-incidents-state.c. */
#include <criterion/criterion.h>
#include "incidents.h"
#include <string.h>

#define SEC G_GINT64_CONSTANT(1000000)
/* 2026-11-25T10:00:00Z */
#define T0 (G_GINT64_CONSTANT(1795600800) * SEC)

static const gchar *lazarus[] = { "Lazarus Group" };

/* One match of `indicator` (Lazarus Group) for key at t. */
static DiIncidentUpdate
_add(DiIncidents *t, const gchar *key, gint64 at, const gchar *indicator, const gchar *amount)
{
  DiIncidentUpdate up;
  const gchar *ind[] = { indicator ? indicator : "0xabc" };
  di_incidents_add(t, key, at, ind, 1, lazarus, 1, amount, &up);
  return up;
}

/* Collects delivered summaries as copies of the fields the tests look at. */
typedef struct
{
  GPtrArray *ids;
  GPtrArray *keys;
  GArray *counts;
  GArray *reasons;
  GPtrArray *messages;
} Closed;

static void
_closed_init(Closed *c)
{
  c->ids = g_ptr_array_new_with_free_func(g_free);
  c->keys = g_ptr_array_new_with_free_func(g_free);
  c->counts = g_array_new(FALSE, FALSE, sizeof(guint64));
  c->reasons = g_array_new(FALSE, FALSE, sizeof(gint));
  c->messages = g_ptr_array_new_with_free_func(g_free);
}

static void
_closed_clear(Closed *c)
{
  g_ptr_array_unref(c->ids);
  g_ptr_array_unref(c->keys);
  g_array_free(c->counts, TRUE);
  g_array_free(c->reasons, TRUE);
  g_ptr_array_unref(c->messages);
}

static void
_collect(const DiIncidentSummary *s, gpointer user_data)
{
  Closed *c = user_data;
  gint reason = s->reason;
  GString *msg = g_string_new(NULL);

  di_incident_summary_message(s, msg);
  g_ptr_array_add(c->ids, g_strdup(s->id));
  g_ptr_array_add(c->keys, g_strdup(s->key));
  g_array_append_val(c->counts, s->count);
  g_array_append_val(c->reasons, reason);
  g_ptr_array_add(c->messages, g_string_free(msg, FALSE));
}

static DiIncidentCounters
_counters(DiIncidents *t)
{
  DiIncidentCounters c;
  di_incidents_get_counters(t, &c);
  return c;
}

Test(incidents, groups_matches_by_key_with_running_counts)
{
  DiIncidents *t = di_incidents_new(3600, 100);

  DiIncidentUpdate a1 = _add(t, "acct-A", T0, NULL, NULL);
  DiIncidentUpdate b1 = _add(t, "acct-B", T0 + 1, NULL, NULL);
  DiIncidentUpdate a2 = _add(t, "acct-A", T0 + 2, NULL, NULL);
  DiIncidentUpdate a3 = _add(t, "acct-A", T0 + 3, NULL, NULL);

  cr_assert(a1.opened && b1.opened && !a2.opened && !a3.opened);
  cr_assert_eq(a1.count, 1);
  cr_assert_eq(a2.count, 2);
  cr_assert_eq(a3.count, 3);
  cr_assert_eq(b1.count, 1);
  cr_assert_null(a1.closed);
  cr_assert_null(a3.closed);

  DiIncidentCounters c = _counters(t);
  cr_assert_eq(c.opened, 2);
  cr_assert_eq(c.open_now, 2);
  cr_assert_eq(c.closed, 0);

  Closed closed;
  _closed_init(&closed);
  cr_assert_eq(di_incidents_close_all(t, DI_INCIDENT_CLOSED_SHUTDOWN, _collect, &closed), 2);
  /* oldest first: A was last seen at +3, B at +1 */
  cr_assert_str_eq(g_ptr_array_index(closed.keys, 0), "acct-B");
  cr_assert_str_eq(g_ptr_array_index(closed.keys, 1), "acct-A");
  cr_assert_eq(g_array_index(closed.counts, guint64, 1), 3);
  cr_assert_eq(g_array_index(closed.reasons, gint, 0), DI_INCIDENT_CLOSED_SHUTDOWN);
  cr_assert_eq(_counters(t).open_now, 0);
  _closed_clear(&closed);
  di_incidents_free(t);
}

Test(incidents, null_key_is_empty_key)
{
  DiIncidents *t = di_incidents_new(3600, 100);
  DiIncidentUpdate a = _add(t, NULL, T0, NULL, NULL);
  DiIncidentUpdate b = _add(t, "", T0 + 1, NULL, NULL);
  cr_assert_str_eq(a.id, b.id);
  cr_assert_eq(b.count, 2);
  di_incidents_free(t);
}

Test(incidents, closes_exactly_at_the_timeout_boundary)
{
  DiIncidents *t = di_incidents_new(10, 100);
  Closed closed;
  gint64 deadline = 0;

  _closed_init(&closed);
  cr_assert_not(di_incidents_next_deadline(t, &deadline));
  _add(t, "k", T0, NULL, NULL);
  _add(t, "k", T0 + 4 * SEC, NULL, NULL);   /* the timeout runs from the last match */
  cr_assert(di_incidents_next_deadline(t, &deadline));
  cr_assert_eq(deadline, T0 + 14 * SEC);

  cr_assert_eq(di_incidents_expire(t, T0 + 14 * SEC - 1, _collect, &closed), 0);
  cr_assert_eq(_counters(t).open_now, 1);
  cr_assert_eq(di_incidents_expire(t, T0 + 14 * SEC, _collect, &closed), 1);
  cr_assert_eq(g_array_index(closed.reasons, gint, 0), DI_INCIDENT_CLOSED_TIMEOUT);
  cr_assert_eq(g_array_index(closed.counts, guint64, 0), 2);

  DiIncidentCounters c = _counters(t);
  cr_assert_eq(c.closed, 1);
  cr_assert_eq(c.timed_out, 1);
  cr_assert_eq(c.evicted, 0);
  cr_assert_eq(c.open_now, 0);
  cr_assert_not(di_incidents_next_deadline(t, &deadline));
  _closed_clear(&closed);
  di_incidents_free(t);
}

Test(incidents, expire_closes_only_the_idle_ones_oldest_first)
{
  DiIncidents *t = di_incidents_new(60, 100);
  Closed closed;

  _closed_init(&closed);
  _add(t, "c", T0 + 30 * SEC, NULL, NULL);
  _add(t, "a", T0, NULL, NULL);
  _add(t, "b", T0 + 10 * SEC, NULL, NULL);
  _add(t, "d", T0 + 100 * SEC, NULL, NULL);
  cr_assert_eq(di_incidents_expire(t, T0 + 90 * SEC, _collect, &closed), 3);
  cr_assert_str_eq(g_ptr_array_index(closed.keys, 0), "a");
  cr_assert_str_eq(g_ptr_array_index(closed.keys, 1), "b");
  cr_assert_str_eq(g_ptr_array_index(closed.keys, 2), "c");
  cr_assert_eq(_counters(t).open_now, 1);
  _closed_clear(&closed);
  di_incidents_free(t);
}

Test(incidents, a_match_after_the_timeout_opens_a_new_incident)
{
  DiIncidents *t = di_incidents_new(10, 100);

  DiIncidentUpdate first = _add(t, "k", T0, NULL, NULL);
  _add(t, "k", T0 + 1 * SEC, NULL, NULL);
  /* expire() has not run yet: the add itself closes the old incident */
  DiIncidentUpdate again = _add(t, "k", T0 + 11 * SEC, NULL, NULL);

  cr_assert(again.opened);
  cr_assert_eq(again.count, 1);
  cr_assert_str_neq(again.id, first.id);
  cr_assert_not_null(again.closed);
  cr_assert_str_eq(again.closed->id, first.id);
  cr_assert_eq(again.closed->count, 2);
  cr_assert_eq(again.closed->reason, DI_INCIDENT_CLOSED_TIMEOUT);
  di_incident_update_clear(&again);
  cr_assert_null(again.closed);

  DiIncidentCounters c = _counters(t);
  cr_assert_eq(c.opened, 2);
  cr_assert_eq(c.timed_out, 1);
  cr_assert_eq(c.open_now, 1);
  di_incidents_free(t);
}

Test(incidents, evicts_the_one_idle_longest_and_counts_it)
{
  DiIncidents *t = di_incidents_new(3600, 3);

  _add(t, "k1", T0, NULL, NULL);
  _add(t, "k2", T0 + 1 * SEC, NULL, NULL);
  _add(t, "k3", T0 + 2 * SEC, NULL, NULL);
  _add(t, "k1", T0 + 3 * SEC, NULL, NULL);          /* k2 is now idle longest */
  DiIncidentUpdate up = _add(t, "k4", T0 + 4 * SEC, NULL, NULL);

  cr_assert_not_null(up.closed);
  cr_assert_str_eq(up.closed->key, "k2");
  cr_assert_eq(up.closed->reason, DI_INCIDENT_CLOSED_EVICTED);
  di_incident_update_clear(&up);

  up = _add(t, "k5", T0 + 5 * SEC, NULL, NULL);
  cr_assert_str_eq(up.closed->key, "k3");
  di_incident_update_clear(&up);

  DiIncidentCounters c = _counters(t);
  cr_assert_eq(c.evicted, 2);
  cr_assert_eq(c.closed, 2);
  cr_assert_eq(c.open_now, 3);
  cr_assert_eq(c.opened, 5);
  di_incidents_free(t);
}

Test(incidents, shrinking_max_evicts_and_expire_delivers_them)
{
  DiIncidents *t = di_incidents_new(3600, 10);
  Closed closed;
  gint64 deadline = -1;

  _closed_init(&closed);
  for (gint i = 0; i < 10; i++)
    {
      gchar key[8];
      g_snprintf(key, sizeof(key), "k%d", i);
      _add(t, key, T0 + i * SEC, NULL, NULL);
    }
  di_incidents_set_limits(t, 60, 3);
  cr_assert_eq(di_incidents_get_timeout(t), 60);
  cr_assert_eq(di_incidents_get_max_open(t), 3);
  cr_assert_eq(_counters(t).open_now, 3);
  cr_assert_eq(_counters(t).evicted, 7);
  cr_assert(di_incidents_next_deadline(t, &deadline));
  cr_assert_eq(deadline, 0, "evicted summaries wait: the timer must fire now");

  cr_assert_eq(di_incidents_expire(t, T0 + 10 * SEC, _collect, &closed), 7);
  cr_assert_str_eq(g_ptr_array_index(closed.keys, 0), "k0");
  cr_assert_str_eq(g_ptr_array_index(closed.keys, 6), "k6");
  cr_assert_eq(g_array_index(closed.reasons, gint, 0), DI_INCIDENT_CLOSED_EVICTED);
  cr_assert(di_incidents_next_deadline(t, &deadline));
  cr_assert_eq(deadline, T0 + 7 * SEC + 60 * SEC);
  _closed_clear(&closed);
  di_incidents_free(t);
}

Test(incidents, amounts_are_summed_and_invalid_ones_counted)
{
  DiIncidents *t = di_incidents_new(3600, 100);
  const gchar *valid[] = { "10", "2.5", "-1e1", " 3 ", "+0.5", ".5", "5.", "1E-1" };
  const gchar *invalid[] = { "abc", "nan", "inf", "-Infinity", "0x10", "1,5", "1e", "12 EUR", "1e999", "--1", "." };

  for (guint i = 0; i < G_N_ELEMENTS(valid); i++)
    _add(t, "a", T0 + i, NULL, valid[i]);
  for (guint i = 0; i < G_N_ELEMENTS(invalid); i++)
    _add(t, "a", T0 + 100 + i, NULL, invalid[i]);
  /* absent or blank: no amount, not an invalid one */
  _add(t, "a", T0 + 200, NULL, NULL);
  _add(t, "a", T0 + 201, NULL, "  ");
  _add(t, "only-bad", T0 + 300, NULL, "n/a");
  _add(t, "none", T0 + 301, NULL, NULL);

  GPtrArray *open = di_incidents_export(t);
  cr_assert_eq(open->len, 3);
  const DiIncidentSummary *a = g_ptr_array_index(open, 0);
  cr_assert_str_eq(a->key, "a");
  cr_assert(a->has_amount);
  cr_assert_float_eq(a->amount, 10 + 2.5 - 10 + 3 + 0.5 + 0.5 + 5 + 0.1, 1e-9);
  const DiIncidentSummary *bad = g_ptr_array_index(open, 1);
  cr_assert_not(bad->has_amount);
  cr_assert_not(((const DiIncidentSummary *) g_ptr_array_index(open, 2))->has_amount);
  g_ptr_array_unref(open);

  cr_assert_eq(_counters(t).amount_invalid, G_N_ELEMENTS(invalid) + 1);
  di_incidents_free(t);
}

Test(incidents, parse_amount_is_strict_decimal)
{
  gdouble v = 0;
  cr_assert(di_incident_parse_amount("1234.5", &v));
  cr_assert_float_eq(v, 1234.5, 1e-12);
  cr_assert(di_incident_parse_amount("-2e3", &v));
  cr_assert_float_eq(v, -2000, 1e-12);
  cr_assert_not(di_incident_parse_amount("", &v));
  cr_assert_not(di_incident_parse_amount(NULL, &v));
  cr_assert_not(di_incident_parse_amount("0x1p3", &v));
  cr_assert_not(di_incident_parse_amount("NaN", &v));
  cr_assert_not(di_incident_parse_amount("1 2", &v));
  cr_assert_not(di_incident_parse_amount("e5", &v));
}

static gboolean
_is_hex_id(const gchar *id)
{
  if (strlen(id) != DI_INCIDENT_ID_LEN)
    return FALSE;
  for (const gchar *p = id; *p; p++)
    if (!g_ascii_isdigit(*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

Test(incidents, ids_are_stable_per_incident_and_unique)
{
  DiIncidents *t = di_incidents_new(10, 100);

  DiIncidentUpdate a1 = _add(t, "acct-A", T0, NULL, NULL);
  DiIncidentUpdate b1 = _add(t, "acct-B", T0, NULL, NULL);
  DiIncidentUpdate a2 = _add(t, "acct-A", T0 + 5 * SEC, NULL, NULL);
  DiIncidentUpdate a3 = _add(t, "acct-A", T0 + 9 * SEC, NULL, NULL);

  cr_assert(_is_hex_id(a1.id), "id %s", a1.id);
  cr_assert_str_eq(a1.id, a2.id);
  cr_assert_str_eq(a1.id, a3.id);
  cr_assert_str_neq(a1.id, b1.id);

  /* the closing summary carries the id its matches got */
  DiIncidentUpdate b2 = _add(t, "acct-B", T0 + 20 * SEC, NULL, NULL);
  cr_assert_not_null(b2.closed);
  cr_assert_str_eq(b2.closed->id, b1.id);
  cr_assert_str_neq(b2.id, b1.id);
  di_incident_update_clear(&b2);

  /* the same key reopened by a later first match is another incident; one
   * whose first match has the same second gets the same id (the documented
   * limit of ids that every node computes alike) */
  di_incidents_close_all(t, DI_INCIDENT_CLOSED_SHUTDOWN, NULL, NULL);
  DiIncidentUpdate a4 = _add(t, "acct-A", T0 + 30 * SEC, NULL, NULL);
  cr_assert(a4.opened);
  cr_assert_str_neq(a4.id, a1.id);
  di_incidents_close_all(t, DI_INCIDENT_CLOSED_SHUTDOWN, NULL, NULL);
  DiIncidentUpdate a5 = _add(t, "acct-A", T0 + SEC / 2, NULL, NULL);
  cr_assert(a5.opened);
  cr_assert_str_eq(a5.id, a1.id);
  di_incidents_free(t);
}

Test(incidents, ids_depend_on_salt_key_and_first_stamp_only)
{
  DiIncidents *x = di_incidents_new(3600, 100);
  DiIncidents *y = di_incidents_new(10, 5);
  DiIncidents *z = di_incidents_new(3600, 100);

  di_incidents_set_id_salt(x, "deployment-1");
  di_incidents_set_id_salt(y, "deployment-1");
  di_incidents_set_id_salt(z, "deployment-2");
  /* another table with other limits and other traffic before */
  _add(y, "other", T0 - 5 * SEC, NULL, NULL);
  DiIncidentUpdate ux = _add(x, "k", T0, NULL, NULL);
  DiIncidentUpdate uy = _add(y, "k", T0, NULL, NULL);
  DiIncidentUpdate uz = _add(z, "k", T0, NULL, NULL);
  cr_assert_str_eq(ux.id, uy.id);
  cr_assert_str_neq(ux.id, uz.id);

  /* the local clock does not matter, the message's stamp does */
  DiIncidents *w = di_incidents_new(3600, 100);
  di_incidents_set_id_salt(w, "deployment-1");
  const gchar *ind[] = { "0xabc" };
  DiIncidentMatch m = { .key = "k", .now_us = T0 + 999 * SEC, .stamp = T0 / SEC, .indicators = ind, .n_indicators = 1 };
  DiIncidentUpdate uw;
  di_incidents_add_match(w, &m, &uw);
  cr_assert_str_eq(uw.id, ux.id);

  /* what docs/deployment.md tells users to recompute with sha256sum:
   * printf 'deployment-1\0k\01795600800' | sha256sum | cut -c1-16 */
  gchar id[DI_INCIDENT_ID_LEN + 1];
  di_incident_make_id("deployment-1", "k", 1795600800, id);
  cr_assert_str_eq(id, ux.id);
  cr_assert_str_eq(id, "7d5e6f5cde20ecae");
  /* printf '\0acct-A\01795600800' | sha256sum | cut -c1-16 */
  di_incident_make_id("", "acct-A", 1795600800, id);
  cr_assert_str_eq(id, "efa343c53857e030");
  di_incidents_free(x);
  di_incidents_free(y);
  di_incidents_free(z);
  di_incidents_free(w);
}

Test(incidents, keeps_distinct_indicators_and_actors)
{
  DiIncidents *t = di_incidents_new(3600, 100);
  DiIncidentUpdate up;
  const gchar *ind1[] = { "0xaaa", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "0xaaa" };
  const gchar *ind2[] = { "0xaaa", "evil.example" };
  const gchar *act1[] = { "Lazarus Group" };
  const gchar *act2[] = { "TraderTraitor", "Lazarus Group" };

  di_incidents_add(t, "k", T0, ind1, 3, act1, 1, NULL, &up);
  di_incidents_add(t, "k", T0 + 1, ind2, 2, act2, 2, NULL, &up);
  di_incidents_add(t, "k", T0 + 2, ind1, 1, NULL, 0, NULL, &up);

  GPtrArray *open = di_incidents_export(t);
  const DiIncidentSummary *s = g_ptr_array_index(open, 0);
  cr_assert_eq(s->count, 3);
  cr_assert_eq(s->indicators.n_distinct, 3);
  cr_assert_eq(s->indicators.n_names, 3);
  cr_assert_not(s->indicators.saturated);
  cr_assert_str_eq(s->indicators.names[0], "0xaaa");
  cr_assert_str_eq(s->indicators.names[2], "evil.example");
  cr_assert_eq(s->actors.n_distinct, 2);
  GString *actors = g_string_new(NULL);
  di_incident_set_join(&s->actors, ",", actors);
  cr_assert_str_eq(actors->str, "Lazarus Group,TraderTraitor");
  g_string_free(actors, TRUE);
  g_ptr_array_unref(open);
  di_incidents_free(t);
}

Test(incidents, distinct_sets_are_capped_but_count_exactly_up_to_the_cap)
{
  DiIncidents *t = di_incidents_new(3600, 100);
  DiIncidentUpdate up;

  for (gint pass = 0; pass < 2; pass++)
    for (gint i = 0; i < 200; i++)
      {
        gchar value[32];
        g_snprintf(value, sizeof(value), "indicator-%d", i);
        const gchar *ind[] = { value };
        di_incidents_add(t, "k", T0 + pass * 1000 + i, ind, 1, NULL, 0, NULL, &up);
      }
  GPtrArray *open = di_incidents_export(t);
  const DiIncidentSummary *s = g_ptr_array_index(open, 0);
  cr_assert_eq(s->indicators.n_distinct, 200, "repeats are not counted again");
  cr_assert_eq(s->indicators.n_names, DI_INCIDENT_LIST_MAX);
  cr_assert_str_eq(s->indicators.names[DI_INCIDENT_LIST_MAX - 1], "indicator-63");
  cr_assert_not(s->indicators.saturated);
  g_ptr_array_unref(open);

  for (gint i = 200; i < 300; i++)
    {
      gchar value[32];
      g_snprintf(value, sizeof(value), "indicator-%d", i);
      const gchar *ind[] = { value };
      di_incidents_add(t, "k", T0 + 5000 + i, ind, 1, NULL, 0, NULL, &up);
    }
  open = di_incidents_export(t);
  s = g_ptr_array_index(open, 0);
  cr_assert_eq(s->indicators.n_distinct, DI_INCIDENT_DISTINCT_MAX);
  cr_assert(s->indicators.saturated);
  GString *msg = g_string_new(NULL);
  di_incident_summary_message(s, msg);
  cr_assert(strstr(msg->str, " of 256+ indicators "), "%s", msg->str);
  g_string_free(msg, TRUE);
  g_ptr_array_unref(open);
  di_incidents_free(t);
}

Test(incidents, summary_message_reads_well)
{
  DiIncidents *t = di_incidents_new(600, 100);
  Closed closed;
  const gchar *ind1[] = { "0x098b716b8aaf21512996dc57eb0615e2383e2f96" };
  const gchar *ind2[] = { "0xa0e1c89ef1a489c9c7de96311ed5ce5d32c20e4b" };
  DiIncidentUpdate up;

  _closed_init(&closed);
  di_incidents_add(t, "acct-A", T0 + 1 * SEC, ind1, 1, lazarus, 1, "1000", &up);
  di_incidents_add(t, "acct-A", T0 + 2 * SEC, ind2, 1, lazarus, 1, "250.5", &up);
  di_incidents_add(t, "acct-A", T0 + 3 * SEC, ind1, 1, lazarus, 1, NULL, &up);
  di_incidents_add(t, "acct-A", T0 + 4 * SEC, ind2, 1, lazarus, 1, NULL, &up);
  di_incidents_add(t, "acct-A", T0 + 4 * 60 * SEC + 12 * SEC, ind1, 1, lazarus, 1, NULL, &up);
  gchar *acct_id = g_strdup(up.id);
  di_incidents_add(t, "host-9", T0 + 5 * SEC, ind1, 1, NULL, 0, NULL, &up);
  di_incidents_expire(t, T0 + 3600 * SEC, _collect, &closed);
  cr_assert_eq(closed.messages->len, 2);

  gchar *want = g_strdup_printf("dprk-intel: incident %s key=acct-A: 5 matches of 2 Lazarus Group indicators "
                                "from 2026-11-25T10:00:01Z to 2026-11-25T10:04:12Z, amount 1250.5",
                                acct_id);
  gchar *want_one = g_strdup_printf("dprk-intel: incident %s key=host-9: 1 match of 1 indicator "
                                    "from 2026-11-25T10:00:05Z to 2026-11-25T10:00:05Z",
                                    (gchar *) g_ptr_array_index(closed.ids, 0));
  cr_assert_str_eq(g_ptr_array_index(closed.messages, 1), want);
  cr_assert_str_eq(g_ptr_array_index(closed.messages, 0), want_one);
  g_free(want);
  g_free(want_one);
  g_free(acct_id);
  _closed_clear(&closed);

  /* an early close says why */
  _closed_init(&closed);
  _add(t, "x", T0, NULL, NULL);
  di_incidents_close_all(t, DI_INCIDENT_CLOSED_SHUTDOWN, _collect, &closed);
  cr_assert(g_str_has_suffix(g_ptr_array_index(closed.messages, 0), " (closed at shutdown)"));
  _closed_clear(&closed);
  cr_assert_str_eq(di_incident_reason_name(DI_INCIDENT_CLOSED_EVICTED), "evicted");
  di_incidents_free(t);
}

Test(incidents, format_time_is_utc_iso8601)
{
  GString *s = g_string_new(NULL);
  di_incident_format_time(T0 + 4 * 60 * SEC + 12 * SEC + 999999, s);
  cr_assert_str_eq(s->str, "2026-11-25T10:04:12Z");
  g_string_truncate(s, 0);
  di_incident_format_time(-1, s);
  cr_assert_str_eq(s->str, "1969-12-31T23:59:59Z");
  g_string_free(s, TRUE);
}

Test(incidents, times_out_of_order_keep_first_and_last_seen_right)
{
  DiIncidents *t = di_incidents_new(10, 100);
  Closed closed;

  _closed_init(&closed);
  _add(t, "k", T0 + 5 * SEC, NULL, NULL);
  _add(t, "k", T0 + 3 * SEC, NULL, NULL);   /* a thread with an older clock */
  _add(t, "j", T0 + 4 * SEC, NULL, NULL);
  GPtrArray *open = di_incidents_export(t);
  const DiIncidentSummary *k = g_ptr_array_index(open, 1);
  cr_assert_str_eq(k->key, "k");
  cr_assert_eq(k->first_seen, T0 + 3 * SEC);
  cr_assert_eq(k->last_seen, T0 + 5 * SEC);
  g_ptr_array_unref(open);
  cr_assert_eq(di_incidents_expire(t, T0 + 14 * SEC, _collect, &closed), 1);
  cr_assert_str_eq(g_ptr_array_index(closed.keys, 0), "j");
  _closed_clear(&closed);
  di_incidents_free(t);
}

/* Random adds with jittered times, random expiries and a small max, checked
 * against a naive model that scans everything: the heap must agree. */
typedef struct
{
  gint64 last_seen;
  guint64 count;
} Model;

static void
_model_close(GHashTable *model, Closed *closed, guint from)
{
  for (guint i = from; i < closed->keys->len; i++)
    {
      Model *m = g_hash_table_lookup(model, g_ptr_array_index(closed->keys, i));
      cr_assert_not_null(m);
      cr_assert_eq(m->count, g_array_index(closed->counts, guint64, i));
      g_hash_table_remove(model, g_ptr_array_index(closed->keys, i));
    }
}

Test(incidents, agrees_with_a_naive_model)
{
  const gint64 timeout = 1;
  const guint max_open = 20;
  DiIncidents *t = di_incidents_new(timeout, max_open);
  GHashTable *model = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  GRand *rand = g_rand_new_with_seed(7);
  Closed closed;

  _closed_init(&closed);
  for (gint i = 0; i < 20000; i++)
    {
      /* 10 ms apart, up to 40 ms out of order; 30 keys overflow max_open,
       * and a pause of 1.5 s every 500 matches lets incidents time out */
      gint64 now = T0 + i * (SEC / 100) + (i / 500) * (SEC * 3 / 2)
                   + g_rand_int_range(rand, -400, 400) * (SEC / 10000);
      gchar key[16];
      g_snprintf(key, sizeof(key), "k%d", g_rand_int_range(rand, 0, 30));

      if (g_rand_int_range(rand, 0, 50) == 0)
        {
          guint from = closed.keys->len;
          di_incidents_expire(t, now, _collect, &closed);
          for (guint j = from; j < closed.keys->len; j++)
            {
              Model *m = g_hash_table_lookup(model, g_ptr_array_index(closed.keys, j));
              cr_assert_geq(now - m->last_seen, timeout * SEC);
            }
          _model_close(model, &closed, from);
          /* nothing else was due */
          GHashTableIter it;
          gpointer k, v;
          g_hash_table_iter_init(&it, model);
          while (g_hash_table_iter_next(&it, &k, &v))
            cr_assert_lt(now - ((Model *) v)->last_seen, timeout * SEC, "%s missed", (gchar *) k);
        }

      DiIncidentUpdate up = _add(t, key, now, NULL, NULL);
      if (up.closed)
        {
          Model *m = g_hash_table_lookup(model, up.closed->key);
          cr_assert_eq(m->count, up.closed->count);
          if (up.closed->reason == DI_INCIDENT_CLOSED_EVICTED)
            {
              /* it really was the idle-longest */
              GHashTableIter it;
              gpointer k, v;
              g_hash_table_iter_init(&it, model);
              while (g_hash_table_iter_next(&it, &k, &v))
                cr_assert_geq(((Model *) v)->last_seen, m->last_seen);
            }
          g_hash_table_remove(model, up.closed->key);
          di_incident_update_clear(&up);
        }
      Model *m = g_hash_table_lookup(model, key);
      if (!m)
        {
          m = g_new0(Model, 1);
          m->last_seen = now;
          g_hash_table_insert(model, g_strdup(key), m);
        }
      m->count++;
      m->last_seen = MAX(m->last_seen, now);
      cr_assert_eq(up.count, m->count);
      cr_assert_leq(g_hash_table_size(model), max_open);
    }
  DiIncidentCounters c = _counters(t);
  cr_assert_eq(c.open_now, g_hash_table_size(model));
  cr_assert_gt(c.timed_out, 100, "the run must exercise timeouts");
  cr_assert_gt(c.evicted, 100, "the run must exercise eviction");
  cr_assert_eq(c.opened + c.loaded - c.closed, c.open_now);
  cr_assert_eq(c.closed, c.timed_out + c.evicted);
  g_rand_free(rand);
  g_hash_table_unref(model);
  _closed_clear(&closed);
  di_incidents_free(t);
}

/* 4 threads x 25000 matches over 50 keys: every match counted once. */
#define N_THREADS 4
#define N_PER_THREAD 25000
#define N_KEYS 50

typedef struct
{
  DiIncidents *table;
  gint thread;
  guint64 max_count[N_KEYS];
  guint bad;
} Worker;

static gpointer
_worker(gpointer data)
{
  Worker *w = data;
  for (gint i = 0; i < N_PER_THREAD; i++)
    {
      gint k = (i * 7 + w->thread) % N_KEYS;
      gchar key[16], ind[32];
      g_snprintf(key, sizeof(key), "key-%d", k);
      g_snprintf(ind, sizeof(ind), "ind-%d", i % 3);
      const gchar *inds[] = { ind };
      DiIncidentUpdate up;
      /* each thread's clock is a little off the others' */
      di_incidents_add(w->table, key, T0 + i * 10 + w->thread * 3, inds, 1, lazarus, 1, "1", &up);
      if (up.closed)
        w->bad++;
      di_incident_update_clear(&up);
      w->max_count[k] = MAX(w->max_count[k], up.count);
    }
  return NULL;
}

typedef struct
{
  guint64 total;
  guint n;
  gdouble amount;
  guint64 per_key_min, per_key_max;
} Totals;

static void
_sum(const DiIncidentSummary *s, gpointer user_data)
{
  Totals *t = user_data;
  t->total += s->count;
  t->n++;
  t->amount += s->amount;
  t->per_key_min = MIN(t->per_key_min, s->count);
  t->per_key_max = MAX(t->per_key_max, s->count);
}

Test(incidents, counts_are_exact_under_threads)
{
  DiIncidents *t = di_incidents_new(3600, 100000);
  Worker workers[N_THREADS] = { 0 };
  GThread *threads[N_THREADS];

  for (gint i = 0; i < N_THREADS; i++)
    {
      workers[i].table = t;
      workers[i].thread = i;
      threads[i] = g_thread_new("incidents", _worker, &workers[i]);
    }
  for (gint i = 0; i < N_THREADS; i++)
    g_thread_join(threads[i]);

  guint64 expected_per_key = (guint64) N_THREADS * N_PER_THREAD / N_KEYS;
  for (gint k = 0; k < N_KEYS; k++)
    {
      guint64 seen = 0;
      for (gint i = 0; i < N_THREADS; i++)
        seen = MAX(seen, workers[i].max_count[k]);
      cr_assert_eq(seen, expected_per_key, "key-%d reached %" G_GUINT64_FORMAT, k, seen);
    }
  for (gint i = 0; i < N_THREADS; i++)
    cr_assert_eq(workers[i].bad, 0);

  DiIncidentCounters c = _counters(t);
  cr_assert_eq(c.opened, N_KEYS);
  cr_assert_eq(c.open_now, N_KEYS);

  Totals totals = { 0, 0, 0, G_MAXUINT64, 0 };
  cr_assert_eq(di_incidents_close_all(t, DI_INCIDENT_CLOSED_SHUTDOWN, _sum, &totals), N_KEYS);
  cr_assert_eq(totals.total, (guint64) N_THREADS * N_PER_THREAD);
  cr_assert_eq(totals.per_key_min, expected_per_key);
  cr_assert_eq(totals.per_key_max, expected_per_key);
  cr_assert_float_eq(totals.amount, (gdouble) N_THREADS * N_PER_THREAD, 1e-6);
  di_incidents_free(t);
}

Test(incidents, a_key_flood_stays_within_max)
{
  const guint n_keys = 1000000, max_open = 1000;
  DiIncidents *t = di_incidents_new(3600, max_open);
  guint64 evicted_seen = 0;

  for (guint i = 0; i < n_keys; i++)
    {
      gchar key[16];
      g_snprintf(key, sizeof(key), "flood-%u", i);
      DiIncidentUpdate up = _add(t, key, T0 + i, NULL, NULL);
      if (up.closed)
        {
          evicted_seen++;
          cr_assert_eq(up.closed->reason, DI_INCIDENT_CLOSED_EVICTED);
        }
      di_incident_update_clear(&up);
      cr_assert_leq(_counters(t).open_now, max_open);
    }
  DiIncidentCounters c = _counters(t);
  cr_assert_eq(c.open_now, max_open);
  cr_assert_eq(c.opened, n_keys);
  cr_assert_eq(c.evicted, n_keys - max_open);
  cr_assert_eq(evicted_seen, n_keys - max_open);
  /* the survivors are the newest */
  GPtrArray *open = di_incidents_export(t);
  cr_assert_str_eq(((DiIncidentSummary *) g_ptr_array_index(open, 0))->key, "flood-999000");
  g_ptr_array_unref(open);
  di_incidents_free(t);
}

/* incident-key() renders what a sender chose: a key longer than the limit
 * is shortened, counted, still one incident per distinct key, and the
 * shortened form is the same on every node. */
Test(incidents, long_keys_are_bounded_but_stay_distinct)
{
  DiIncidents *t = di_incidents_new(3600, 100);
  GString *a = g_string_new(NULL), *b = g_string_new(NULL);

  for (gint i = 0; i < 5000; i++)
    g_string_append_c(a, 'x');
  g_string_assign(b, a->str);
  g_string_append_c(a, 'A');
  g_string_append_c(b, 'B');

  DiIncidentUpdate ua = _add(t, a->str, T0, NULL, NULL);
  DiIncidentUpdate ub = _add(t, b->str, T0, NULL, NULL);
  DiIncidentUpdate ua2 = _add(t, a->str, T0 + SEC, NULL, NULL);
  DiIncidentUpdate us = _add(t, "short", T0, NULL, NULL);
  cr_assert(ua.key_truncated && ub.key_truncated && ua2.key_truncated);
  cr_assert_not(us.key_truncated);
  cr_assert_str_neq(ua.id, ub.id);
  cr_assert_str_eq(ua.id, ua2.id);
  cr_assert_eq(ua2.count, 2);

  DiIncidentCounters c;
  di_incidents_get_counters(t, &c);
  cr_assert_eq(c.keys_truncated, 3);
  cr_assert_eq(c.open_now, 3);

  GPtrArray *open = di_incidents_export(t);
  for (guint i = 0; i < open->len; i++)
    {
      const DiIncidentSummary *s = g_ptr_array_index(open, i);
      cr_assert_leq(strlen(s->key), DI_INCIDENT_KEY_MAX);
      if (strcmp(s->key, "short") != 0)
        cr_assert(g_str_has_prefix(s->key, "xxxxxxxx") && strchr(s->key, '~'), "%s", s->key);
    }
  g_ptr_array_unref(open);

  /* a key of exactly the limit is kept whole; a cut never splits UTF-8 */
  gchar buf[DI_INCIDENT_KEY_MAX + 1];
  gboolean truncated;
  gchar *exact = g_strnfill(DI_INCIDENT_KEY_MAX, 'k');
  cr_assert_eq(di_incident_key_limit(exact, buf, &truncated), exact);
  cr_assert_not(truncated);
  GString *utf8 = g_string_new(NULL);
  while (utf8->len < 2 * DI_INCIDENT_KEY_MAX)
    g_string_append(utf8, "\xc3\xa9");      /* é */
  const gchar *cut = di_incident_key_limit(utf8->str, buf, &truncated);
  cr_assert(truncated);
  cr_assert(g_utf8_validate(cut, -1, NULL));
  cr_assert_leq(strlen(cut), DI_INCIDENT_KEY_MAX);
  g_free(exact);
  g_string_free(utf8, TRUE);
  g_string_free(a, TRUE);
  g_string_free(b, TRUE);
  di_incidents_free(t);
}

static void
_add_relayed(DiIncidents *t, const gchar *key, gint64 at, const gchar *relay, const gchar *relay_id, DiIncidentUpdate *up)
{
  const gchar *ind[] = { "0xabc" };
  DiIncidentMatch m =
  {
    .key = key, .now_us = at, .stamp = at / SEC, .indicators = ind, .n_indicators = 1,
    .actors = lazarus, .n_actors = 1, .relay = relay, .relay_incident_id = relay_id,
  };
  di_incidents_add_match(t, &m, up);
}

/* A central node's incident says which relays its matches came from, how
 * many each, and which incident ids the relays gave them. */
Test(incidents, relayed_matches_are_counted_per_relay)
{
  DiIncidents *t = di_incidents_new(3600, 100);
  DiIncidentUpdate up;

  _add_relayed(t, "acct-A", T0, "edge-a", "1111111111111111", &up);
  _add_relayed(t, "acct-A", T0 + SEC, "edge-b", "2222222222222222", &up);
  _add_relayed(t, "acct-A", T0 + 2 * SEC, "edge-a", "1111111111111111", &up);
  _add_relayed(t, "acct-A", T0 + 3 * SEC, "edge,c", NULL, &up);
  cr_assert_eq(up.count, 4);

  GPtrArray *open = di_incidents_export(t);
  const DiIncidentSummary *s = g_ptr_array_index(open, 0);
  GString *out = g_string_new(NULL);
  di_incident_relays_format(&s->relays, out);
  cr_assert_str_eq(out->str, "edge-a:2,edge-b:1,edge_c:1");
  g_string_truncate(out, 0);
  di_incident_set_join(&s->relay_ids, ",", out);
  cr_assert_str_eq(out->str, "1111111111111111,2222222222222222");
  g_string_truncate(out, 0);
  di_incident_summary_message(s, out);
  cr_assert(strstr(out->str, ", relays edge-a:2,edge-b:1,edge_c:1"), "%s", out->str);
  g_string_free(out, TRUE);
  g_ptr_array_unref(open);

  /* past DI_INCIDENT_RELAY_MAX relays, the rest are counted together */
  for (gint i = 0; i < DI_INCIDENT_RELAY_MAX + 5; i++)
    {
      gchar relay[32];
      g_snprintf(relay, sizeof(relay), "r%d", i);
      _add_relayed(t, "acct-B", T0 + i, relay, NULL, &up);
    }
  open = di_incidents_export(t);
  for (guint i = 0; i < open->len; i++)
    {
      s = g_ptr_array_index(open, i);
      if (strcmp(s->key, "acct-B") == 0)
        {
          cr_assert_eq(s->relays.n, DI_INCIDENT_RELAY_MAX);
          cr_assert_eq(s->relays.more, 5);
          out = g_string_new(NULL);
          di_incident_relays_format(&s->relays, out);
          cr_assert(g_str_has_suffix(out->str, ",(more):5"), "%s", out->str);
          g_string_free(out, TRUE);
        }
    }
  g_ptr_array_unref(open);

  /* a match without a relay (a scanning node's own) lists none */
  DiIncidentUpdate u = _add(t, "acct-C", T0, NULL, NULL);
  cr_assert(u.opened);
  open = di_incidents_export(t);
  for (guint i = 0; i < open->len; i++)
    {
      s = g_ptr_array_index(open, i);
      if (strcmp(s->key, "acct-C") == 0)
        cr_assert(s->relays.n == 0 && s->relay_ids.n_distinct == 0);
    }
  g_ptr_array_unref(open);
  di_incidents_free(t);
}
