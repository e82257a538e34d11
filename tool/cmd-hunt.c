/* cmd-hunt.c: `dprk-intel hunt`: the retro-hunt over archived logs.
 *
 * Loads the feeds (or, with --since, only the indicators added since a
 * version or date: hunt-since.c), then hunts every FILE on every core
 * (hunt-pool.c).  The exit status follows grep's, since a hunt is a search
 * that scripts ask "did anything match?": 0 a line matched, 1 none did,
 * 2 trouble.
 */
#include "commands.h"
#include "tool-util.h"
#include "history.h"
#include "hunt-pool.h"
#include "hunt-since.h"
#include <stdio.h>
#include <unistd.h>

#define HUNT_SUMMARY \
  "Hunt archived logs for lines that match the loaded indicators, on every core.\n" \
  "\n" \
  "Each FILE is plain text, gzip or zstd (told by its content, not its name); \"-\" or\n" \
  "no FILE is standard input.  Prints one JSON object a matching line: \"file\" (the\n" \
  "path as given), \"line\" and the fields of `dprk-intel match`, in input order.\n" \
  "Progress goes to standard error when it is a terminal.\n" \
  "\n" \
  "--since restricts the hunt to the indicators added since a feed version (as\n" \
  "`dprk-intel check` prints it, or a unique prefix of its hash) or a date\n" \
  "(YYYY-MM-DD, UTC, or an ISO 8601 time), as the version history knows them\n" \
  "(`dprk-intel history`; dprk-intel-update records each update).\n" \
  "\n" \
  "Exit status: 0 when a line matched, 1 when none did, 2 on trouble (a feed or\n" \
  "history that cannot be read, a file that cannot be read to its end: the other\n" \
  "files are still hunted, and what came before the damage is)."

typedef struct
{
  gchar *since;
  gchar *history;
  gint jobs;
  gint64 block_size;
} DiHuntArgs;

static DiSnapshot *
_restrict(DiSnapshot *snap, const DiHuntArgs *args)
{
  GString *note = g_string_new(NULL);
  GError *error = NULL;
  DiSnapshot *subset = di_hunt_since(snap, args->since, args->history ? args->history : di_history_default_dir(),
                                     note, &error);
  if (subset)
    fprintf(stderr, "dprk-intel: %s\n", note->str);
  else
    {
      fprintf(stderr, "dprk-intel: %s\n", error->message);
      g_error_free(error);
    }
  g_string_free(note, TRUE);
  di_snapshot_unref(snap);
  return subset;
}

int
di_cmd_hunt(int argc, char **argv)
{
  gchar **databases = NULL;
  DiHuntArgs args = { NULL, NULL, 0, DI_HUNT_DEFAULT_PIECE };
  GOptionEntry entries[] =
  {
    { "since", 's', 0, G_OPTION_ARG_STRING, &args.since,
      "Only the indicators added since this feed version or date", "VERSION|DATE" },
    { "history", 0, 0, G_OPTION_ARG_FILENAME, &args.history,
      "The version history --since reads (default: $DPRK_INTEL_HISTORY, else " DI_STATEDIR "/history)", "DIR" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &args.jobs, "Worker threads (default: one a core)", "N" },
    { "block-size", 0, 0, G_OPTION_ARG_INT64, &args.block_size,
      "Bytes of a plain file a worker takes at once (default: 16 MiB); decompressed text is handed on in "
      "blocks of this size or 2 MiB, the smaller", "BYTES" },
    { NULL }
  };
  gint status = di_tool_parse_args(&argc, &argv, "[FILE ...]", HUNT_SUMMARY, entries, &databases);
  if (status >= 0)
    return status;
  if (args.jobs < 0 || args.jobs > 1024 || args.block_size < 1)
    {
      fprintf(stderr, "dprk-intel: --jobs takes 1 to 1024, --block-size a positive number (try --help)\n");
      g_strfreev(databases);
      return 2;
    }

  DiHuntOptions opts = { 0 };
  opts.now = g_get_real_time() / G_USEC_PER_SEC;
  DiSnapshot *snap = di_tool_load(databases, NULL);
  g_strfreev(databases);
  if (snap && args.since)
    snap = _restrict(snap, &args);
  if (!snap || di_snapshot_count(snap) == 0)
    {
      status = !snap ? 2 : 1;
      di_snapshot_unref(snap);
      g_free(args.since);
      g_free(args.history);
      return status;
    }

  opts.snap = snap;
  opts.jobs = args.jobs ? (guint) args.jobs : g_get_num_processors();
  opts.piece_size = args.block_size;
  opts.progress = isatty(STDERR_FILENO);
  const gchar *const stdin_only[] = { "-" };
  const gchar *const *paths = argc > 1 ? (const gchar *const *) argv + 1 : stdin_only;
  DiHuntResult result;
  di_hunt_run(&opts, paths, argc > 1 ? argc - 1 : 1, stdout, &result);

  di_snapshot_unref(snap);
  g_free(args.since);
  g_free(args.history);
  return result.errors ? 2 : result.matches ? 0 : 1;
}
