/* prempti check: load rules the way the adapter does and print every diagnostic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fileio.h"
#include "str.h"

static const char help[] =
    "usage: prempti check [--strict] PATH...\n"
    "\n"
    "Loads the rules files and directories in order, as the hook adapter does, and\n"
    "prints every diagnostic as FILE:LINE:COL: error|warning: MESSAGE [KIND],\n"
    "followed by the line it points at with a caret under the column.\n"
    "Exit status 0 when the rules load (warnings allowed), 1 on an error.\n"
    "\n"
    "  --strict   also fail (exit 1) when there is a warning\n";

typedef struct tally {
    size_t errors, warnings;
} tally;

/* The largest rules file whose lines are shown under its diagnostics. */
#define SHOW_MAX_FILE (16u << 20)

/* Shows the line a diagnostic points at, with a caret under its column,
 * the way compilers do. Files that cannot be read again show nothing. */
static void show_source(const prempti_error *d)
{
    unsigned line = prempti_error_line(d), col = prempti_error_column(d);
    const char *path = prempti_error_source(d);
    char *buf = NULL, *msg = NULL;
    size_t len = 0;
    if (!line || !path[0] || pt_read_regular(path, SHOW_MAX_FILE, &buf, &len, &msg)) {
        free(msg);
        return;
    }
    const char *p = buf, *end = buf + len;
    for (unsigned l = 1; l < line && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
    if (p < end && n < 4096) {
        char *text = strndup(p, n), *pad = malloc(n + 2);
        if (text && pad) {
            size_t k = 0; /* tabs stay tabs so that the caret lines up */
            for (size_t i = 0; col && i + 1 < col && i < n; i++)
                pad[k++] = p[i] == '\t' ? '\t' : ' ';
            pad[k] = '\0';
            pt_term_printf(stdout, "  %s\n  %s^\n", text, pad);
        }
        free(text);
        free(pad);
    }
    free(buf);
}

static void print_diag(const prempti_error *d, void *ctx)
{
    tally *t = ctx;
    char *text = pt_error_text(d);
    printf("%s\n", text ? text : prempti_error_message(d));
    free(text);
    show_source(d);
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
