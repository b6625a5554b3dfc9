/*
 * prempti: validate, test and try rules; register the hook adapter with
 * coding agents; read the audit log. See docs/tools.md.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "cli.h"

const char *const pt_agents[] = {"claude_code", "codex", "copilot", "gemini", "cursor", NULL};

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"check", cmd_check, "load rules files and print every diagnostic"},
    {"eval", cmd_eval, "evaluate hook payloads and print the results as JSON"},
    {"test", cmd_test, "run rule-pack test cases"},
    {"install", cmd_install, "register the hook adapter with an agent"},
    {"uninstall", cmd_uninstall, "remove the hook adapter from an agent"},
    {"logs", cmd_logs, "show the audit log"},
    {"mode", cmd_mode, "show or set the mode (guardrails or monitor)"},
    {"status", cmd_status, "show the configuration, the rules and where the adapter is installed"},
    {"cache", cmd_cache, "show or clear the compiled-pack cache"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
    fprintf(f, "usage: prempti COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'prempti COMMAND --help' describes a command; see also docs/tools.md.\n");
}

int cli_next(int argc, char **argv, const struct option *longopts, const char *cmd)
{
    opterr = 0;
    int c = getopt_long(argc, argv, ":", longopts, NULL);
    if (c == '?' || c == ':') {
        fprintf(stderr, "prempti %s: %s %s\nTry 'prempti %s --help'.\n", cmd,
                c == '?' ? "unknown option" : "missing value for", argv[optind - 1], cmd);
        return '?';
    }
    return c;
}

int cli_settings_flag(int c, pt_flags *f)
{
    switch (c) {
    case OPT_RULES:
        return pt_strv_push(&f->rules, optarg) ? -1 : 1;
    case OPT_CONFIG:
        f->config = optarg;
        return 1;
    case OPT_MODE:
        f->mode = optarg;
        return 1;
    case OPT_FLOOR:
        f->floor = optarg;
        return 1;
    case OPT_AUDIT_LOG:
        f->audit_log = optarg;
        return 1;
    case OPT_NO_CACHE:
        f->no_cache = 1;
        return 1;
    default:
        return 0;
    }
}

int cli_help(const char *text)
{
    fputs(text, stdout);
    return PT_EXIT_OK;
}

int cli_error(const char *cmd, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "prempti %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return status;
}

int cli_settings(pt_settings *s, const pt_flags *f, const char *cmd)
{
    char *msg = NULL;
    if (pt_settings_load(s, f, &msg) == 0)
        return 0;
    cli_error(cmd, PT_EXIT_FAIL, "%s", msg ? msg : "out of memory");
    free(msg);
    return -1;
}

prempti_engine *cli_engine(const pt_settings *s, prempti_config *cfg, const char *cmd)
{
    prempti_engine *engine = NULL;
    char *msg = NULL;
    /* a damaged cache entry is found now (and replaced), not by a later step */
    if (prempti_config_set(cfg, "image_check", "full", NULL)) {
        cli_error(cmd, PT_EXIT_FAIL, "out of memory");
        return NULL;
    }
    if (pt_engine_load(&engine, cfg, &s->rules, s->use_cache, NULL, NULL, NULL, &msg)) {
        cli_error(cmd, PT_EXIT_FAIL, "%s", msg ? msg : "out of memory");
        free(msg);
        return NULL;
    }
    return engine;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return PT_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        if (argc > 2 && strcmp(name, "help") == 0) {
            char *args[] = {argv[2], "--help", NULL};
            for (size_t i = 0; i < NCOMMANDS; i++)
                if (strcmp(argv[2], commands[i].name) == 0)
                    return commands[i].run(2, args);
        }
        usage(stdout);
        return PT_EXIT_OK;
    }
    if (!strcmp(name, "--version") || !strcmp(name, "version")) {
        printf("prempti %s\n", prempti_version_string());
        return PT_EXIT_OK;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(name, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "prempti: unknown command '%s'\n", name);
    usage(stderr);
    return PT_EXIT_USAGE;
}
