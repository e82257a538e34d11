/* hunt-since.c: the indicators added since a version or a date (see the
 * header), as a snapshot of their own that the hunt then matches against. */
#include "hunt-since.h"
#include "history.h"
#include "tool-util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static GQuark
_quark(void)
{
  return g_quark_from_static_string("di-hunt-since");
}

/* YYYY-MM-DD (from midnight UTC) or an ISO 8601 time (UTC unless it
 * says); -1 when it is neither.  The feeds' parser reads a bare date as
 * the end of that day: since a day means from its start. */
static gint64
_parse_date(const gchar *text)
{
  gint64 t = di_feed_parse_time(text);
  if (t >= 0 && strlen(text) == 10)
    t -= 24 * 3600 - 1;
  return t;
}

static gboolean
_is_date(const gchar *text)
{
  return strlen(text) >= 10 && g_ascii_isdigit(text[0]) && text[4] == '-';
}

/* The index of the last record of the version `text` names (a hex prefix,
 * or either text form); -1 with error set when none or several match. */
static gint
_find_version(DiHistory *h, const gchar *text, guint64 current, gboolean *is_current, GError **error)
{
  gchar *prefix = g_ascii_strdown(text, strcspn(text, "@"));
  gsize len = strlen(prefix);
  gboolean hex = len >= 6 && len <= 16 && strspn(prefix, "0123456789abcdef") == len;
  gint found = -1;
  guint64 found_hash = 0;
  gchar hash[DI_FEED_VERSION_HASH_MAX];
  *is_current = FALSE;
  for (guint i = 0; hex && i < di_history_count(h); i++)
    {
      const DiHistoryRecord *r = di_history_record_at(h, i);
      di_feed_version_format_hash(r->hash, hash);
      if (strncmp(hash, prefix, len) != 0)
        continue;
      if (found >= 0 && found_hash != r->hash)
        {
          g_set_error(error, _quark(), 1, "--since %s: names several recorded versions (give more digits)", text);
          g_free(prefix);
          return -1;
        }
      found = i;
      found_hash = r->hash;
    }
  di_feed_version_format_hash(current, hash);
  if (found < 0 && hex && strncmp(hash, prefix, len) == 0)
    *is_current = TRUE;
  else if (found < 0 && hex)
    g_set_error(error, _quark(), 1, "--since %s: not a version recorded in %s (`dprk-intel history list` "
                "shows them)", text, di_history_dir(h));
  else if (found < 0)
    g_set_error(error, _quark(), 1, "--since %s: neither a feed version (6 to 16 hex digits) nor a date "
                "(YYYY-MM-DD)", text);
  g_free(prefix);
  return found;
}

static gint
_compare_u64(const void *a, const void *b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;
  return x < y ? -1 : x > y;
}

/* What the records from `first` on added, and what the loaded set holds
 * beyond the last record (fps: its sorted distinct fingerprints). */
static GArray *
_added_since(DiHistory *h, guint first, const guint64 *fps, gsize n, guint64 current, gsize *n_unrecorded,
             GError **error)
{
  GArray *sel = g_array_new(FALSE, FALSE, sizeof(guint64));
  for (guint i = first; i < di_history_count(h); i++)
    {
      const DiHistoryRecord *r = di_history_record_at(h, i);
      g_array_append_vals(sel, r->added, r->n_added);
    }
  *n_unrecorded = 0;
  guint count = di_history_count(h);
  if (count && di_history_record_at(h, count - 1)->hash != current)
    {
      gsize n_last;
      guint64 *last = di_history_last_set(h, &n_last, error);
      if (!last)
        {
          g_array_free(sel, TRUE);
          return NULL;
        }
      guint64 *extra = di_fingerprints_minus(fps, n, last, n_last, n_unrecorded);
      g_array_append_vals(sel, extra, *n_unrecorded);
      g_free(extra);
      g_free(last);
    }
  qsort(sel->data, sel->len, sizeof(guint64), _compare_u64);
  return sel;
}

/* Whether one of entry e's fingerprints (fps[first[e]] on) was added. */
static gboolean
_entry_added(const GArray *sel, const guint64 *fps, const guint32 *first, guint32 e)
{
  for (guint32 k = first[e]; k < first[e + 1]; k++)
    if (di_fingerprints_contain((const guint64 *) sel->data, sel->len, fps[k]))
      return TRUE;
  return FALSE;
}

/* The entries of snap one of whose indicators was added, each with every
 * attribution it has (an address newly attributed to a second actor is
 * reported with both, as the full set would report it), added again in
 * their order, best first, so that the subset ranks them the same way. */
static DiSnapshot *
_subset(const DiSnapshot *snap, const GArray *sel)
{
  gsize n;
  guint32 *first;
  guint64 *fps = di_feed_version_entry_fingerprints(snap, &n, &first);
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  for (guint32 e = 0; e < di_snapshot_count(snap); e++)
    {
      if (!_entry_added(sel, fps, first, e))
        continue;
      DiKey key;
      gsize len;
      const guint8 *bytes = di_snapshot_entry_key(snap, e, &key.cls, &len);
      key.len = len;
      memcpy(key.bytes, bytes, len);
      for (guint i = 0; i < di_snapshot_entry_attribution_count(snap, e); i++)
        {
          guint32 a = di_snapshot_entry_attribution(snap, e, i);
          const gchar *actor = di_snapshot_attribution_actor(snap, a);
          DiIndicatorMeta meta =
          {
            .actor = *actor ? actor : NULL,
            .source = di_snapshot_attribution_source(snap, a),
            .reference = di_snapshot_attribution_reference(snap, a),
            .description = di_snapshot_attribution_description(snap, a),
            .confidence = di_snapshot_attribution_confidence(snap, a),
            .valid_until = di_snapshot_attribution_valid_until(snap, a),
            .program = di_snapshot_attribution_program(snap, a),
            .nexus = di_snapshot_attribution_nexus(snap, a),
          };
          di_snapshot_builder_add(b, di_snapshot_attribution_type(snap, a), &key, &meta);
        }
    }
  g_free(first);
  g_free(fps);
  return di_snapshot_builder_finish(b);
}

/* The first record to count and the note's words for it; -1 on error.
 * *nothing: since names the version loaded now, which adds nothing. */
static gint
_first_record(DiHistory *h, const gchar *since, guint64 current, GString *note, gboolean *nothing,
              GError **error)
{
  *nothing = FALSE;
  guint count = di_history_count(h);
  gchar when[32];
  if (_is_date(since))
    {
      gint64 t = _parse_date(since);
      if (t < 0)
        {
          g_set_error(error, _quark(), 1, "--since %s: not a date (YYYY-MM-DD or an ISO 8601 time)", since);
          return -1;
        }
      guint i = 0;
      while (i < count && di_history_record_at(h, i)->recorded_at < t)
        i++;
      g_string_append_printf(note, "since %s", since);
      if (count && t < di_history_record_at(h, 0)->recorded_at)
        {
          di_tool_format_time(di_history_record_at(h, 0)->recorded_at, when, sizeof(when));
          g_string_append_printf(note, " (the history begins at %s: what was loaded then is not counted as added)",
                                 when);
        }
      return i;
    }
  gint i = _find_version(h, since, current, nothing, error);
  if (*nothing)
    {
      g_string_append_printf(note, "since %s (the version loaded now)", since);
      return count;
    }
  if (i < 0)
    return -1;
  di_tool_format_time(di_history_record_at(h, i)->recorded_at, when, sizeof(when));
  g_string_append_printf(note, "since %s (recorded %s)", since, when);
  return i + 1;
}

DiSnapshot *
di_hunt_since(const DiSnapshot *snap, const gchar *since, const gchar *history_dir, GString *note, GError **error)
{
  DiHistory *h = di_history_open(history_dir, FALSE, error);
  if (!h)
    return NULL;
  gsize n;
  guint64 *fps = di_feed_version_fingerprints(snap, &n);
  guint64 current = di_feed_version_hash(fps, n);
  DiSnapshot *subset = NULL;
  GString *when = g_string_new(NULL);

  gboolean nothing;
  gint first = _first_record(h, since, current, when, &nothing, error);
  gsize n_unrecorded = 0;
  GArray *sel = NULL;
  if (nothing)
    sel = g_array_new(FALSE, FALSE, sizeof(guint64));
  else if (first >= 0)
    sel = _added_since(h, first, fps, n, current, &n_unrecorded, error);
  if (sel)
    {
      subset = _subset(snap, sel);
      g_string_append_printf(note, "%u of %u loaded indicators were added %s", di_snapshot_count(subset),
                             di_snapshot_count(snap), when->str);
      if (n_unrecorded)
        g_string_append_printf(note, "; %" G_GSIZE_FORMAT " of them are newer than the last recorded version",
                               n_unrecorded);
      g_array_free(sel, TRUE);
    }
  g_string_free(when, TRUE);
  g_free(fps);
  di_history_close(h);
  return subset;
}
