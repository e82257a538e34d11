/* test-incident-index.c: SipHash-2-4 against the published vectors, and the
 * keyed index of open incidents: it agrees with a plain hash table under
 * random inserts and removals, and keys built to collide under an unkeyed
 * string hash (g_str_hash: blocks of "Aa"/"B@") probe no further than
 * random keys. */
#include <criterion/criterion.h>
#include "siphash.h"
#include "incident-index.h"
#include "incidents.h"
#include <string.h>

/* SipHash-2-4, key 00 01 .. 0f, message 00 01 .. (len-1): the first twelve
 * and the sixteenth of the 64 vectors of the reference implementation
 * (vectors.h of https://github.com/veorq/SipHash, CC0), as 64-bit values. */
static const struct
{
  guint len;
  guint64 want;
} sip_vectors[] =
{
  { 0, 0x726fdb47dd0e0e31ULL }, { 1, 0x74f839c593dc67fdULL }, { 2, 0x0d6c8009d9a94f5aULL },
  { 3, 0x85676696d7fb7e2dULL }, { 4, 0xcf2794e0277187b7ULL }, { 5, 0x18765564cd99a68dULL },
  { 6, 0xcbc9466e58fee3ceULL }, { 7, 0xab0200f58b01d137ULL }, { 8, 0x93f5f5799a932462ULL },
  { 9, 0x9e0082df0ba9e4b0ULL }, { 10, 0x7a5dbbc594ddb9f3ULL }, { 11, 0xf4b32f46226bada7ULL },
  { 15, 0xa129ca6149be45e5ULL },
};

Test(siphash, matches_the_reference_vectors)
{
  guint8 key[DI_SIPHASH_KEY_LEN], msg[64];

  for (guint i = 0; i < sizeof(key); i++)
    key[i] = i;
  for (guint i = 0; i < sizeof(msg); i++)
    msg[i] = i;
  for (guint i = 0; i < G_N_ELEMENTS(sip_vectors); i++)
    cr_expect_eq(di_siphash(key, msg, sip_vectors[i].len), sip_vectors[i].want, "length %u: %016" G_GINT64_MODIFIER "x",
                 sip_vectors[i].len, di_siphash(key, msg, sip_vectors[i].len));
}

Test(siphash, the_process_key_is_random_and_fixed)
{
  const guint8 *a = di_siphash_process_key();
  const guint8 *b = di_siphash_process_key();
  guint8 zero[DI_SIPHASH_KEY_LEN] = { 0 };

  cr_assert_eq(a, b);
  cr_assert_neq(memcmp(a, zero, DI_SIPHASH_KEY_LEN), 0);
}

/* the i-th of 2^n keys that all have one g_str_hash: n blocks of "Aa" or
 * "B@" ('A'*33+'a' == 'B'*33+'@') */
static gchar *
_colliding_key(guint i, guint n)
{
  GString *key = g_string_new("acct-");
  for (guint b = 0; b < n; b++)
    g_string_append(key, (i >> b) & 1 ? "B@" : "Aa");
  return g_string_free(key, FALSE);
}

Test(incident_index, the_colliding_keys_do_collide_under_g_str_hash)
{
  gchar *a = _colliding_key(0, 16), *b = _colliding_key(0xbeef, 16);
  cr_assert_str_neq(a, b);
  cr_assert_eq(g_str_hash(a), g_str_hash(b));
  g_free(a);
  g_free(b);
}

/* 65,536 keys of one g_str_hash: in a table probed by that hash the last
 * insert scans 65,535 slots; here no key lies further than random keys do
 * (a probe run of a few dozen at half load; 512 would be astronomically
 * unlikely without an attack). */
Test(incident_index, colliding_keys_probe_no_further_than_random_keys)
{
  const guint n = 16, count = 1u << n;
  DiIncidentIndex *index = di_incident_index_new();
  gchar **keys = g_new(gchar *, count);

  for (guint i = 0; i < count; i++)
    {
      keys[i] = _colliding_key(i, n);
      di_incident_index_insert(index, di_incident_index_hash(keys[i]), keys[i], GUINT_TO_POINTER(i + 1));
    }
  cr_assert_eq(di_incident_index_size(index), count);
  cr_assert_lt(di_incident_index_max_probe(index), 512, "max probe %u", di_incident_index_max_probe(index));
  for (guint i = 0; i < count; i += 97)
    cr_assert_eq(di_incident_index_lookup(index, di_incident_index_hash(keys[i]), keys[i]), GUINT_TO_POINTER(i + 1));
  di_incident_index_free(index);
  for (guint i = 0; i < count; i++)
    g_free(keys[i]);
  g_free(keys);
}

/* The same through the incident table: every colliding key opens its own
 * incident, and the table's index stays shallow. */
Test(incident_index, the_incident_table_uses_it)
{
  const guint n = 14, count = 1u << n;
  DiIncidents *t = di_incidents_new(3600, count);
  const gchar *ind[] = { "0xabc" };

  for (guint i = 0; i < count; i++)
    {
      gchar *key = _colliding_key(i, n);
      DiIncidentUpdate up;
      di_incidents_add(t, key, G_GINT64_CONSTANT(1795600800000000) + i, ind, 1, NULL, 0, NULL, &up);
      cr_assert(up.opened);
      g_free(key);
    }
  DiIncidentCounters c;
  di_incidents_get_counters(t, &c);
  cr_assert_eq(c.open_now, count);
  cr_assert_lt(di_incidents_max_probe(t), 512);
  di_incidents_free(t);
}

/* Random inserts and removals against GHashTable: backward-shift deletion
 * must never lose a key that probed past the hole. */
Test(incident_index, agrees_with_a_plain_hash_table)
{
  DiIncidentIndex *index = di_incident_index_new();
  GHashTable *model = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  GRand *rand = g_rand_new_with_seed(7);
  gchar *keys[2000];

  for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
    keys[i] = g_strdup_printf("k%u", i);
  for (guint step = 0; step < 200000; step++)
    {
      guint i = g_rand_int_range(rand, 0, G_N_ELEMENTS(keys));
      guint64 h = di_incident_index_hash(keys[i]);
      gboolean present = g_hash_table_contains(model, keys[i]);

      cr_assert_eq(di_incident_index_lookup(index, h, keys[i]) != NULL, present, "step %u key %s", step, keys[i]);
      if (present)
        {
          cr_assert(di_incident_index_remove(index, h, keys[i]));
          g_hash_table_remove(model, keys[i]);
        }
      else
        {
          di_incident_index_insert(index, h, keys[i], keys[i]);
          g_hash_table_add(model, g_strdup(keys[i]));
        }
      cr_assert_eq(di_incident_index_size(index), g_hash_table_size(model));
    }
  /* and everything left is still found, with its value */
  for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
    {
      gpointer v = di_incident_index_lookup(index, di_incident_index_hash(keys[i]), keys[i]);
      cr_assert_eq(v != NULL, g_hash_table_contains(model, keys[i]));
      cr_assert(v == NULL || v == keys[i]);
    }
  cr_assert_not(di_incident_index_remove(index, di_incident_index_hash("absent"), "absent"));
  for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
    g_free(keys[i]);
  g_rand_free(rand);
  g_hash_table_destroy(model);
  di_incident_index_free(index);
}
