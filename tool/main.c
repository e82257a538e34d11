/* main.c: the dprk-intel command-line tool (INTERFACE §4).
 *
 * It links the engine directly, not syslog-ng, so analysts can check feeds
 * and try log lines on any machine, with the same code the daemon runs. */
#include "commands.h"
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <locale.h>

typedef struct
{
  const gchar *name;
  int (*run)(int argc, char **argv);
  const gchar *help;
} DiCommand;

static const DiCommand commands[] =
{
  { "check", di_cmd_check, "load feeds, print counts per file, type, actor and source; errors as FILE:LINE" },
  { "extract", di_cmd_extract, "print every indicator found in text as JSON lines" },
  { "match", di_cmd_match, "print the lines that match loaded indicators, with the parser's fields" },
  { "convert", di_cmd_convert, "print every loaded indicator as canonical CSV" },
  { "hunt", di_cmd_hunt, "hunt archived logs (plain, gzip, zstd) on every core; --since: new indicators only" },
  { "history", di_cmd_history, "record and list feed versions, for hunt --since" },
};

static void
_usage(FILE *out)
{
  fprintf(out, "Usage: dprk-intel COMMAND [OPTIONS] [ARGS]\n\nCommands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
    fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].help);
  fprintf(out, "\n`dprk-intel COMMAND --help` describes each; --version prints the version.\n");
}

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  if (argc < 2)
    {
      _usage(stderr);
      return 2;
    }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0)
    {
      _usage(stdout);
      return 0;
    }
  if (strcmp(argv[1], "--version") == 0)
    {
      printf("dprk-intel %s\n", DI_VERSION);
      return 0;
    }
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
    if (strcmp(argv[1], commands[i].name) == 0)
      return commands[i].run(argc - 1, argv + 1);

  fprintf(stderr, "dprk-intel: unknown command '%s'\n", argv[1]);
  _usage(stderr);
  return 2;
}
