/* cmd-history.c: `dprk-intel history record|list`: the local version history
 * that `hunt --since` reads (history.h).
 *
 * `record` loads the feeds as the daemon would and notes their version when
 * it differs from the last one recorded, with the indicators it adds;
 * dprk-intel-update runs it after each update.  `list` prints the records.
 */
#include "commands.h"
#include "tool-util.h"
#include "history.h"
#include <stdio.h>
#include <string.h>

static void
_format_record(const DiHistoryRecord *r, gchar text[DI_FEED_VERSION_TEXT_MAX])
{
  DiFeedVersion v = { r->hash, r->recorded_at, r->total };
  di_feed_version_format(&v, text);
}

static gint
_record(const gchar *dir, gchar **databases, gboolean quiet)
{
  gint64 loaded_at = g_get_real_time() / G_USEC_PER_SEC;
  DiSnapshot *snap = di_tool_load(databases, NULL);
  if (!snap)
    return 1;
  DiFeedVersion version;
  gsize n;
  guint64 *fps = di_feed_version_fingerprints(snap, &n);
  version.hash = di_feed_version_hash(fps, n);
  version.loaded_at = loaded_at;
  version.count = n;
  di_snapshot_unref(snap);

  GError *error = NULL;
  gboolean recorded = FALSE;
  DiHistory *h = di_history_open(dir, TRUE, &error);
  gboolean ok = h && di_history_add(h, &version, fps, n, &recorded, &error);
  g_free(fps);
  if (!ok)
    {
      fprintf(stderr, "dprk-intel: %s\n", error->message);
      g_error_free(error);
      di_history_close(h);
      return 1;
    }

  guint count = di_history_count(h);
  const DiHistoryRecord *last = di_history_record_at(h, count - 1);
  gchar text[DI_FEED_VERSION_TEXT_MAX];
  _format_record(last, text);
  if (quiet)
    ;
  else if (!recorded)
    printf("unchanged\t%s\t%" G_GUINT64_FORMAT " indicators\n", text, last->total);
  else if (last->baseline)
    printf("recorded\t%s\t%" G_GUINT64_FORMAT " indicators\tbaseline\n", text, last->total);
  else
    printf("recorded\t%s\t%" G_GUINT64_FORMAT " indicators\t%" G_GSIZE_FORMAT " added\n", text, last->total,
           last->n_added);
  di_history_close(h);
  return 0;
}

static gint
_list(const gchar *dir)
{
  GError *error = NULL;
  DiHistory *h = di_history_open(dir, FALSE, &error);
  if (!h)
    {
      fprintf(stderr, "dprk-intel: %s\n", error->message);
      g_error_free(error);
      return 1;
    }
  for (guint i = 0; i < di_history_count(h); i++)
    {
      const DiHistoryRecord *r = di_history_record_at(h, i);
      gchar text[DI_FEED_VERSION_TEXT_MAX];
      _format_record(r, text);
      if (r->baseline)
        printf("%s\t%" G_GUINT64_FORMAT " indicators\tbaseline\n", text, r->total);
      else
        printf("%s\t%" G_GUINT64_FORMAT " indicators\t%" G_GSIZE_FORMAT " added\n", text, r->total, r->n_added);
    }
  di_history_close(h);
  return 0;
}

static void
_usage(FILE *out)
{
  fprintf(out, "Usage: dprk-intel history record [--database PATH ...] [--history DIR] [--quiet]\n"
          "       dprk-intel history list [--history DIR]\n\n"
          "The local record of feed versions that `dprk-intel hunt --since` reads.\n"
          "  record  load the feeds and record their version, with the indicators it adds,\n"
          "          unless it is the last one recorded (dprk-intel-update runs this)\n"
          "  list    print each recorded version, its size and what it added\n\n"
          "The history lives in DIR (default: $DPRK_INTEL_HISTORY, else " DI_STATEDIR "/history).\n");
}

int
di_cmd_history(int argc, char **argv)
{
  const gchar *sub = argc > 1 ? argv[1] : "";
  gboolean record = strcmp(sub, "record") == 0;
  if (!record && strcmp(sub, "list") != 0)
    {
      gboolean help = strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0;
      _usage(help ? stdout : stderr);
      return help ? 0 : 2;
    }

  gchar **databases = NULL;
  gchar *dir = NULL;
  gboolean quiet = FALSE;
  GOptionEntry entries[] =
  {
    { "history", 0, 0, G_OPTION_ARG_FILENAME, &dir,
      "The version history (default: $DPRK_INTEL_HISTORY, else " DI_STATEDIR "/history)", "DIR" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print errors only", NULL },
    { NULL }
  };
  if (!record)
    entries[1].long_name = NULL;
  argc--;
  argv++;
  gint status = di_tool_parse_args(&argc, &argv, "",
                                   record ? "Record the version of the loaded feeds in the version history."
                                   : "Print the versions in the version history.",
                                   entries, record ? &databases : NULL);
  if (status < 0 && argc > 1)
    {
      fprintf(stderr, "dprk-intel: history %s takes no FILE (try --help)\n", sub);
      status = 2;
    }
  if (status < 0)
    status = record ? _record(dir ? dir : di_history_default_dir(), databases, quiet)
             : _list(dir ? dir : di_history_default_dir());
  g_strfreev(databases);
  g_free(dir);
  return status;
}
