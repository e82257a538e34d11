/* test-linear.c: the scanner and the matcher do work linear in the length
 * of any line, and a small constant per byte, on every hostile shape that
 * bench-hostile times (bench/hostile-shapes.c) -- counted, not timed, so
 * the verdict does not depend on the machine or its load.
 *
 * This test alone builds the engine's scanning and lookup sources with
 * -DDI_WORK_HOOKS (tests/unit/scanner.inc): every loop that visits bytes,
 * every checksum and every table lookup adds to a thread-local counter
 * (key.h).  A shape passes when, through di_scan (as `extract` scans) and
 * through di_match_text against a snapshot (as the parser does), at line
 * lengths of 2, 16 and 128 KiB:
 *   - the bytes visited per byte of text stay under VISIT_MAX, the bytes
 *     hashed for lookups under HASH_MAX and the lookups under PROBE_MAX;
 *   - matching computes no checksum (it looks keys up without them), and
 *     scanning at most one per word;
 *   - 8x the text costs at most 8x the work (and a constant): no rescan
 *     that grows with the line.
 */
#include <criterion/criterion.h>
#include "matcher.h"
#include "normalize.h"
#include "scanner.h"
#include "hostile-shapes.h"
#include <string.h>

#define NOW 1764064800

/* per byte of text; normal log text visits about 1.5 (see _normal) */
#define VISIT_MAX 12.0
#define HASH_MAX 4.0
#define PROBE_MAX 1.5

#define TINY 2048
#define SMALL (8 * TINY)
#define LARGE (8 * SMALL)

typedef struct
{
  guint64 n[DI_WORK_MAX];
} Work;

static gboolean
_count(const DiToken *token, gpointer user_data)
{
  return TRUE;
}

static DiSnapshot *
_snapshot(void)
{
  static const struct { DiType type; const gchar *value; } rows[] =
  {
    { DI_TYPE_ETH, "0x098B716B8Aaf21512996dC57EB0615e2383E2f96" },
    { DI_TYPE_BTC, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa" },
    { DI_TYPE_DOMAIN, "evil.example.com" },
    { DI_TYPE_DOMAIN, "a.com" },
    { DI_TYPE_URL, "http://a.com/a/a/" },
    { DI_TYPE_EMAIL, "a@b.example.com" },
    { DI_TYPE_CIDR, "10.0.0.0/8" },
    { DI_TYPE_CIDR, "203.0.113.0/24" },
    { DI_TYPE_CIDR, "2001:db8::/32" },
    { DI_TYPE_IPV4, "255.255.255.255" },
  };
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  for (gsize i = 0; i < G_N_ELEMENTS(rows); i++)
    {
      DiKey key;
      DiType type;
      cr_assert(di_normalize(rows[i].type, rows[i].value, strlen(rows[i].value), &key, &type, NULL));
      di_snapshot_builder_add(b, type, &key, NULL);
    }
  return di_snapshot_builder_finish(b);
}

/* The work of one pass: the matcher's when snap, else di_scan's. */
static Work
_work(const gchar *text, gsize len, const DiSnapshot *snap)
{
  memset(di_work_counter, 0, sizeof(di_work_counter));
  if (snap)
    {
      DiMatchSet set;
      di_match_set_init(&set);
      di_match_text(snap, text, len, 0, NOW, &set);
      di_match_set_clear(&set);
    }
  else
    di_scan(text, len, DI_SCAN_DEFAULT, _count, NULL);
  Work w;
  memcpy(w.n, di_work_counter, sizeof(w.n));
  return w;
}

static const gchar *kind_names[DI_WORK_MAX] = { "visited", "checksums", "hashed", "probes" };

/* Whether 8x the text cost at most 8x the work of each kind (and a
 * constant: the lines end inside a template's copy). */
static gboolean
_grows_linearly(const DiHostileShape *shape, const gchar *path, const Work *w1, const Work *w8)
{
  gboolean ok = TRUE;
  for (gint k = 0; k < DI_WORK_MAX; k++)
    {
      gboolean linear = w8->n[k] <= 9 * w1->n[k] + 4096;
      cr_expect(linear, "%s, %s: %s grow from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT " for 8x the text",
                shape->name, path, kind_names[k], w1->n[k], w8->n[k]);
      ok &= linear;
    }
  return ok;
}

static void
_check_shape(const DiHostileShape *shape, const DiSnapshot *snap)
{
  const gchar *path = snap ? "match" : "scan";
  GString *tiny = di_hostile_line(shape, TINY), *small = di_hostile_line(shape, SMALL);
  Work wt = _work(tiny->str, tiny->len, snap), ws = _work(small->str, small->len, snap);
  g_string_free(tiny, TRUE);
  g_string_free(small, TRUE);
  /* a shape that grows too fast is not run at the large size, where a
   * quadratic or cubic cost would take minutes */
  if (!_grows_linearly(shape, path, &wt, &ws))
    return;

  GString *large = di_hostile_line(shape, LARGE);
  Work wl = _work(large->str, large->len, snap);
  g_string_free(large, TRUE);
  _grows_linearly(shape, path, &ws, &wl);

  /* one checksum a word at most, and "bitcoincash:" the shortest word to
   * have one (12 bytes); matching none at all */
  const gdouble per_byte_max[DI_WORK_MAX] = { VISIT_MAX, snap ? 0 : 1.0 / 12, HASH_MAX, PROBE_MAX };
  for (gint k = 0; k < DI_WORK_MAX; k++)
    {
      gdouble per_byte = (gdouble) wl.n[k] / LARGE;
      cr_expect(per_byte <= per_byte_max[k], "%s, %s: %.2f %s per byte (at most %.2f)", shape->name, path, per_byte,
                kind_names[k], per_byte_max[k]);
    }
}

Test(linear, every_hostile_shape_costs_linear_work_when_scanned)
{
  GPtrArray *shapes = di_hostile_shapes();
  cr_assert_gt(shapes->len, 100);
  for (guint i = 0; i < shapes->len; i++)
    _check_shape(g_ptr_array_index(shapes, i), NULL);
  g_ptr_array_free(shapes, TRUE);
}

Test(linear, every_hostile_shape_costs_linear_work_when_matched)
{
  GPtrArray *shapes = di_hostile_shapes();
  DiSnapshot *snap = _snapshot();
  for (guint i = 0; i < shapes->len; i++)
    _check_shape(g_ptr_array_index(shapes, i), snap);
  di_snapshot_unref(snap);
  g_ptr_array_free(shapes, TRUE);
}

/* The counters count: text with the work of each kind registers it. */
Test(linear, the_counters_see_the_work)
{
  DiSnapshot *snap = _snapshot();
  const gchar *text = "to 0x098B716B8Aaf21512996dC57EB0615e2383E2f96 via https://a.com/a/a/b?x=1 at sub.evil.example.com";
  Work scan = _work(text, strlen(text), NULL);
  Work match = _work(text, strlen(text), snap);
  cr_expect_geq(scan.n[DI_WORK_VISIT], strlen(text));
  cr_expect_eq(scan.n[DI_WORK_CHECKSUM], 1, "the EIP-55 checksum of the mixed-case address");
  cr_expect_eq(match.n[DI_WORK_CHECKSUM], 0, "looked up without its checksum");
  /* the URL in both schemes with its prefixes, the domain with its parents */
  cr_expect_geq(match.n[DI_WORK_PROBE], 8);
  cr_expect_geq(match.n[DI_WORK_HASH], strlen("://a.com/a/a/b?x=1") + strlen("sub.evil.example.com"));
  di_snapshot_unref(snap);
}
