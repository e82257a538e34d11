/* logsrc-test-util.h: reading one line with a log-source reader and
 * checking exactly the fields it gave, for the logsrc unit tests.
 *
 *   LogsrcEvent *ev = logsrc_test_read(LOGSRC_AUTO, line);
 *   ASSERT_FIELDS(ev, "service.type=exchange", "crypto.account=acct-1");
 *   ASSERT_UNPARSED(ev, LOGSRC_EXCHANGE);
 *
 * The event and its scratch buffer live until the next read.
 */
#ifndef LOGSRC_TEST_UTIL_H
#define LOGSRC_TEST_UTIL_H

#include <criterion/criterion.h>
#include "logsrc/logsrc-reader.h"
#include <string.h>

static LogsrcEvent logsrc_test_event;
static gchar *logsrc_test_scratch;

/* Reads text[0..len) with a reader of source (keys: NULL or
 * LOGSRC_KEY_COUNT options). */
static inline LogsrcEvent *
logsrc_test_read_len_keys(LogsrcSource source, const gchar *text, gsize len, const gchar *const *keys)
{
  LogsrcReader *r = logsrc_reader_new(source, keys);
  gsize size = logsrc_scratch_size(len);

  g_free(logsrc_test_scratch);
  logsrc_test_scratch = g_malloc(size);
  LogsrcScratch scratch = { logsrc_test_scratch, size, 0 };
  logsrc_reader_read(r, text, len, &scratch, &logsrc_test_event);
  cr_assert_leq(scratch.used, scratch.size);
  logsrc_reader_free(r);
  return &logsrc_test_event;
}

static inline LogsrcEvent *
logsrc_test_read(LogsrcSource source, const gchar *text)
{
  return logsrc_test_read_len_keys(source, text, strlen(text), NULL);
}

/* The value of a field by name, NULL when it is not set. */
static inline gchar *
logsrc_test_field(const LogsrcEvent *ev, const gchar *name)
{
  for (gint f = 0; f < LOGSRC_FIELD_COUNT; f++)
    if (strcmp(logsrc_field_name(f), name) == 0)
      return (ev->fields >> f) & 1 ? g_strndup(ev->value[f].ptr, ev->value[f].len) : NULL;
  cr_assert_fail("no field %s in the scheme", name);
  return NULL;
}

/* Exactly the fields "name=value" ... (NULL-terminated), parsed. */
static inline void
logsrc_test_assert_fields(const LogsrcEvent *ev, const gchar *const *want)
{
  guint64 seen = 0;

  cr_assert_eq(ev->verdict, LOGSRC_PARSED, "parsed (verdict %d, source %s)", ev->verdict,
               logsrc_source_name(ev->source));
  for (guint i = 0; want[i]; i++)
    {
      const gchar *eq = strchr(want[i], '=');
      g_autofree gchar *name = g_strndup(want[i], eq - want[i]);
      g_autofree gchar *got = logsrc_test_field(ev, name);
      cr_assert(got, "%s is set (want '%s')", name, eq + 1);
      cr_assert_str_eq(got, eq + 1, "%s", name);
      for (gint f = 0; f < LOGSRC_FIELD_COUNT; f++)
        if (strcmp(logsrc_field_name(f), name) == 0)
          seen |= G_GUINT64_CONSTANT(1) << f;
    }
  for (gint f = 0; f < LOGSRC_FIELD_COUNT; f++)
    if (((ev->fields & ~seen) >> f) & 1)
      cr_assert_fail("%s='%.*s' not expected", logsrc_field_name(f), (gint) ev->value[f].len, ev->value[f].ptr);
}

#define ASSERT_FIELDS(ev, ...) logsrc_test_assert_fields(ev, (const gchar *const[]) { __VA_ARGS__, NULL })

#define ASSERT_UNPARSED(ev, src) do { \
    cr_assert_eq((ev)->verdict, LOGSRC_UNPARSED, "unparsed (verdict %d)", (ev)->verdict); \
    cr_assert_eq((ev)->source, (src), "blamed on %s", logsrc_source_name((ev)->source)); \
    cr_assert_eq((ev)->fields, 0, "no field on an unparsed line"); \
  } while (0)

#define ASSERT_IGNORED(ev) do { \
    cr_assert_eq((ev)->verdict, LOGSRC_IGNORED, "left alone (verdict %d, source %s)", (ev)->verdict, \
                 logsrc_source_name((ev)->source)); \
    cr_assert_eq((ev)->fields, 0); \
  } while (0)

#endif
