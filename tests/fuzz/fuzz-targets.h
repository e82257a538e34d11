/* fuzz-targets.h: the libFuzzer targets of the feed readers and of the
 * incident state, one table for the fuzz binaries and the replay test.
 *
 * Each target takes one input (up to 64 KiB) and runs it through a reader or
 * parser with the checks of its own invariants; a broken invariant aborts.
 * fuzz-main.c turns one of them into a libFuzzer binary (FUZZ_TARGET names
 * it); replay-fuzz.c runs every input kept in corpus/<name> and
 * regressions/<name> through all of them in every build, with or without
 * clang.
 */
#ifndef DI_FUZZ_TARGETS_H
#define DI_FUZZ_TARGETS_H

#include <glib.h>

typedef struct
{
  const gchar *name;                              /* "feed-csv": corpus/feed-csv, fuzz-feed-csv */
  void (*run)(const guint8 *data, gsize size);
} DiFuzzTarget;

/* NULL-terminated. */
extern const DiFuzzTarget di_fuzz_targets[];
const DiFuzzTarget *di_fuzz_target(const gchar *name);

/* A private directory for the files a target writes (tmpfs when there is
 * one), removed at exit. */
const gchar *di_fuzz_dir(void);
/* Writes data to name in that directory; returns the path (g_free). */
gchar *di_fuzz_write(const gchar *name, const guint8 *data, gsize size);

/* The targets (fuzz-feeds.c, fuzz-incidents.c). */
void di_fuzz_feed_csv(const guint8 *data, gsize size);
void di_fuzz_feed_plain(const guint8 *data, gsize size);
void di_fuzz_feed_stix(const guint8 *data, gsize size);
void di_fuzz_feed_misp(const guint8 *data, gsize size);
void di_fuzz_feed_ofac_csv(const guint8 *data, gsize size);
void di_fuzz_feed_ofac_xml(const guint8 *data, gsize size);
void di_fuzz_feed_any(const guint8 *data, gsize size);
void di_fuzz_csv_reader(const guint8 *data, gsize size);
void di_fuzz_stix_pattern(const guint8 *data, gsize size);
void di_fuzz_incident_state(const guint8 *data, gsize size);
void di_fuzz_incident_amount(const guint8 *data, gsize size);

#endif
