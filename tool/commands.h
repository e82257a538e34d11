/* commands.h: the subcommands of the dprk-intel tool (INTERFACE §4).
 * Each returns the process exit status: 0 ok, 1 bad input, 2 usage error;
 * except hunt, a search, which follows grep: 0 a match, 1 none, 2 trouble. */
#ifndef DI_TOOL_COMMANDS_H
#define DI_TOOL_COMMANDS_H

int di_cmd_check(int argc, char **argv);
int di_cmd_extract(int argc, char **argv);
int di_cmd_match(int argc, char **argv);
int di_cmd_convert(int argc, char **argv);
int di_cmd_hunt(int argc, char **argv);
int di_cmd_history(int argc, char **argv);

#endif
