/* tool-util.c: shared plumbing of the dprk-intel subcommands. */
#include "tool-util.h"
#include <stdio.h>
#include <string.h>
#include <errno.h>

const gchar *
di_tool_default_database(void)
{
  const gchar *env = g_getenv("DPRK_INTEL_DATABASE");
  return (env && *env) ? env : DI_DATADIR "/feeds";
}

gint
di_tool_parse_args(gint *argc, gchar ***argv, const gchar *params, const gchar *summary, GOptionEntry *entries,
                   gchar ***databases)
{
  GOptionEntry db_entries[] =
  {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME_ARRAY, databases,
      "Feed file or directory (repeatable; default: the bundled feed)", "PATH" },
    { NULL }
  };
  GOptionContext *ctx = g_option_context_new(params);
  g_option_context_set_summary(ctx, summary);
  if (databases)
    g_option_context_add_main_entries(ctx, db_entries, NULL);
  if (entries)
    g_option_context_add_main_entries(ctx, entries, NULL);

  GError *error = NULL;
  gboolean ok = g_option_context_parse(ctx, argc, argv, &error);
  g_option_context_free(ctx);
  if (!ok)
    {
      fprintf(stderr, "dprk-intel: %s (try --help)\n", error->message);
      g_error_free(error);
      return 2;
    }
  if (databases && !*databases)
    {
      *databases = g_new0(gchar *, 2);
      (*databases)[0] = g_strdup(di_tool_default_database());
    }
  return -1;
}

DiSnapshot *
di_tool_load(gchar **databases, DiLoadReport *report)
{
  DiLoadReport local;
  DiLoadReport *r = report ? report : &local;
  if (!report)
    di_load_report_init(&local);

  DiSnapshot *snap = di_feed_load((const gchar *const *) databases, g_get_real_time() / G_USEC_PER_SEC, r);
  for (guint i = 0; i < r->warnings->len; i++)
    fprintf(stderr, "warning: %s\n", (const gchar *) r->warnings->pdata[i]);
  for (guint i = 0; i < r->errors->len; i++)
    fprintf(stderr, "%s\n", (const gchar *) r->errors->pdata[i]);

  if (!report)
    di_load_report_clear(&local);
  return snap;
}

void
di_tool_format_time(gint64 t, gchar *buf, gsize size)
{
  GDateTime *dt = g_date_time_new_from_unix_utc(t);
  gchar *s = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
  g_strlcpy(buf, s, size);
  g_free(s);
  g_date_time_unref(dt);
}

static void
_foreach_line_in(FILE *fp, DiLineFunc func, gpointer user_data)
{
  gchar *line = NULL;
  size_t cap = 0;
  ssize_t n;
  gsize lineno = 0;
  while ((n = getline(&line, &cap, fp)) >= 0)
    {
      lineno++;
      while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        n--;
      func(line, n, lineno, user_data);
    }
  free(line);
}

gint
di_tool_foreach_line(gint argc, gchar **argv, DiLineFunc func, gpointer user_data)
{
  if (argc <= 1)
    {
      _foreach_line_in(stdin, func, user_data);
      return 0;
    }
  gint status = 0;
  for (gint i = 1; i < argc; i++)
    {
      FILE *fp = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");
      if (!fp)
        {
          fprintf(stderr, "dprk-intel: %s: %s\n", argv[i], g_strerror(errno));
          status = 1;
          continue;
        }
      _foreach_line_in(fp, func, user_data);
      if (fp != stdin)
        fclose(fp);
    }
  return status;
}
