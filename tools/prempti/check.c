/* prempti check: load rules the way the adapter does and print every diagnostic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: prempti check [--strict] PATH...\n"
    "\n"
    "Loads the rules files and directories in order, as the hook adapter does, and\n"
    "prints every diagnostic as FILE:LINE:COL: error|warning: MESSAGE [KIND].\n"
    "Exit status 0 when the rules load (warnings allowed), 1 on an error.\n"
    "\n"
    "  --strict   also fail (exit 1) when there is a warning\n";

typedef struct tally {
    size_t errors, warnings;
} tally;

static void print_diag(const prempti_error *d, void *ctx)
{
    tally *t = ctx;
    char *text = pt_error_text(d);
    printf("%s\n", text ? text : prempti_error_message(d));
    free(text);
    if (prempti_error_severity(d) == PREMPTI_SEVERITY_WARNING)
        t->warnings++;
    else
        t->errors++;
}

int cmd_check(int argc, char **argv)
{
    enum { OPT_STRICT = OPT_LOCAL };
    static const struct option opts[] = {{"strict", no_argument, NULL, OPT_STRICT},
                                         {"help", no_argument, NULL, OPT_HELP},
                                         {NULL, 0, NULL, 0}};
    int strict = 0, c;
    while ((c = cli_next(argc, argv, opts, "check")) != -1) {
        if (c == OPT_HELP)
            return cli_help(help);
        if (c != OPT_STRICT)
            return PT_EXIT_USAGE;
        strict = 1;
    }
    if (optind >= argc)
        return cli_error("check", PT_EXIT_USAGE,
                         "no rules file given\nTry 'prempti check --help'.");
    pt_strv paths = {argv + optind, (size_t)(argc - optind), 0};
    prempti_engine *engine = NULL;
    prempti_error *err = NULL;
    if (prempti_engine_new(&engine, NULL, &err) != PREMPTI_OK) {
        prempti_error_free(err);
        return cli_error("check", PT_EXIT_FAIL, "out of memory");
    }
    tally t = {0, 0};
    char *msg = NULL;
    int failed = pt_load_rules(engine, &paths, print_diag, &t, &msg) != 0;
    if (failed && t.errors == 0) /* no diagnostic object: say what failed */
        printf("%s\n", msg ? msg : "out of memory");
    free(msg);
    if (failed)
        printf("prempti check: failed: %zu error%s, %zu warning%s\n", t.errors ? t.errors : 1,
               t.errors == 1 || !t.errors ? "" : "s", t.warnings, t.warnings == 1 ? "" : "s");
    else
        printf("prempti check: %zu rule%s loaded, %zu warning%s\n",
               prempti_engine_rule_count(engine), prempti_engine_rule_count(engine) == 1 ? "" : "s",
               t.warnings, t.warnings == 1 ? "" : "s");
    prempti_engine_free(engine);
    return failed || (strict && t.warnings) ? PT_EXIT_FAIL : PT_EXIT_OK;
}
