/* tool-util.c: shared plumbing of the dprk-intel subcommands. */
#include "tool-util.h"
#include <stdio.h>
#include <string.h>
#include <errno.h>

/* The loading flags of the commands that take --database: the dprk-intel()
 * options of the same names (docs/tool.md). */
static struct
{
  gchar **sanctions_programs;
  gchar **dprk_feeds;
  gchar **warninglists;
  gchar **warninglists_disabled;
  gint min_prefix_ipv4, min_prefix_ipv6;
} load_flags = { .min_prefix_ipv4 = -1, .min_prefix_ipv6 = -1 };

static const gchar *
_default_warninglists(void)
{
  const gchar *env = g_getenv("DPRK_INTEL_WARNINGLISTS");
  return (env && *env) ? env : DI_DATADIR "/warninglists";
}

/* "dprk,CYBER2" "all" -> one word an element */
static gchar **
_split_words(gchar **lists)
{
  GPtrArray *words = g_ptr_array_new();
  for (gchar **l = lists; l && *l; l++)
    {
      gchar **parts = g_strsplit_set(*l, ", ", -1);
      for (gchar **p = parts; *p; p++)
        if (**p)
          g_ptr_array_add(words, g_strdup(*p));
      g_strfreev(parts);
    }
  g_ptr_array_add(words, NULL);
  return (gchar **) g_ptr_array_free(words, FALSE);
}

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
    { "sanctions-programs", 0, 0, G_OPTION_ARG_STRING_ARRAY, &load_flags.sanctions_programs,
      "OFAC entries to load: dprk (the default), all, or program names, comma separated", "LIST" },
    { "dprk-feed", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &load_flags.dprk_feeds,
      "Feed file or directory whose rows are all DPRK-linked (repeatable)", "PATH" },
    { "warninglists", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &load_flags.warninglists,
      "MISP warninglist file or directory (repeatable; default: the bundled lists)", "PATH" },
    { "warninglists-disable", 0, 0, G_OPTION_ARG_STRING_ARRAY, &load_flags.warninglists_disabled,
      "Do not use this warninglist (repeatable; 'all': none)", "NAME" },
    { "min-prefix-ipv4", 0, 0, G_OPTION_ARG_INT, &load_flags.min_prefix_ipv4,
      "Refuse IPv4 CIDRs broader than /N (default 8; 0 accepts any)", "N" },
    { "min-prefix-ipv6", 0, 0, G_OPTION_ARG_INT, &load_flags.min_prefix_ipv6,
      "Refuse IPv6 CIDRs broader than /N (default 32; 0 accepts any)", "N" },
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
  if (load_flags.min_prefix_ipv4 > 32 || load_flags.min_prefix_ipv6 > 128)
    {
      fprintf(stderr, "dprk-intel: --min-prefix-ipv4 takes 0 to 32, --min-prefix-ipv6 0 to 128 (try --help)\n");
      return 2;
    }
  return -1;
}

/* The options the flags give; the strings live until the process ends. */
static void
_load_options(DiFeedOptions *options)
{
  static gchar **programs, **warninglists;
  di_feed_options_init(options);
  if (!programs && load_flags.sanctions_programs)
    programs = _split_words(load_flags.sanctions_programs);
  options->sanctions_programs = (const gchar *const *) programs;
  options->dprk_paths = (const gchar *const *) load_flags.dprk_feeds;
  if (!warninglists)
    {
      if (load_flags.warninglists)
        warninglists = g_strdupv(load_flags.warninglists);
      else if (g_file_test(_default_warninglists(), G_FILE_TEST_EXISTS))
        {
          warninglists = g_new0(gchar *, 2);
          warninglists[0] = g_strdup(_default_warninglists());
        }
    }
  options->warninglists = (const gchar *const *) warninglists;
  options->warninglists_disabled = (const gchar *const *) load_flags.warninglists_disabled;
  if (load_flags.min_prefix_ipv4 >= 0)
    options->min_prefix_ipv4 = load_flags.min_prefix_ipv4;
  if (load_flags.min_prefix_ipv6 >= 0)
    options->min_prefix_ipv6 = load_flags.min_prefix_ipv6;
}

DiSnapshot *
di_tool_load(gchar **databases, DiLoadReport *report)
{
  DiLoadReport local;
  DiLoadReport *r = report ? report : &local;
  if (!report)
    di_load_report_init(&local);

  DiFeedOptions options;
  _load_options(&options);
  DiSnapshot *snap = di_feed_load_with((const gchar *const *) databases, &options, g_get_real_time() / G_USEC_PER_SEC,
                                       r);
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
