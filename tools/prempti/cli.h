/*
 * The prempti command: one function per subcommand, and the option
 * handling they share. Exit statuses: 0 success, 1 the command ran and
 * found a problem (errors in rules, failed tests, a file it cannot change),
 * 2 a usage error.
 */
#ifndef PT_CLI_H
#define PT_CLI_H

#include <getopt.h>

#include "settings.h"

#define PT_EXIT_OK    0
#define PT_EXIT_FAIL  1
#define PT_EXIT_USAGE 2

int cmd_check(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_install(int argc, char **argv);
int cmd_uninstall(int argc, char **argv);
int cmd_logs(int argc, char **argv);
int cmd_mode(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_cache(int argc, char **argv);

/* Option values shared by several subcommands (getopt_long return values). */
enum {
    OPT_HELP = 0x100,
    OPT_RULES,
    OPT_CONFIG,
    OPT_MODE,
    OPT_FLOOR,
    OPT_AGENT,
    OPT_AUDIT_LOG,
    OPT_NO_CACHE,
    OPT_LOCAL /* first value free for a subcommand's own options */
};

/*
 * Runs getopt_long over a subcommand's arguments (argv[0] is its name).
 * Returns the next option, -1 at the end, or '?' after printing a usage
 * error ("prempti CMD: unknown option --x") to stderr.
 */
int cli_next(int argc, char **argv, const struct option *longopts, const char *cmd);

/* Stores a settings flag in f; 1 when c was one, 0 when not, -1 out of memory. */
int cli_settings_flag(int c, pt_flags *f);

/* Prints the subcommand's usage on stdout (for --help). */
int cli_help(const char *text);

/* Prints "prempti CMD: message" on stderr and returns status. */
int cli_error(const char *cmd, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Loads settings, printing the error; 0 on success. */
int cli_settings(pt_settings *s, const pt_flags *f, const char *cmd);

/* Builds an engine with the settings' options and rules (from the
 * compiled-pack cache unless it is off); prints the error on failure.
 * NULL on failure. */
prempti_engine *cli_engine(const pt_settings *s, prempti_config *cfg, const char *cmd);

/* The five agents, in a stable order. */
extern const char *const pt_agents[];

#endif
