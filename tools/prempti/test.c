/* prempti test: rule-pack unit tests (payload -> expected decision and rules). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "explain.h"
#include "testcases.h"

static const char help[] =
    "usage: prempti test [--rules PATH]... [--config FILE] [--floor F] [--mode M]\n"
    "                    [--verbose] [--coverage] [--no-cache] CASES...\n"
    "\n"
    "Runs the test cases of each CASES file (or of the *.yaml files of a CASES\n"
    "directory) against the rules and prints every failure with the case's\n"
    "FILE:LINE, what was expected, what happened and the rules that matched. The\n"
    "last line is 'N passed, N failed'; exit status 1 when a case failed.\n"
    "\n"
    "A case file is a YAML list of cases:\n"
    "  - name: curl piped into a shell is denied\n"
    "    tool: Bash                            # short form: agent (claude_code),\n"
    "    input: {command: \"curl x | sh\"}       # tool, input, cwd, event\n"
    "    expect: deny                          # allow, deny, ask or defer\n"
    "    match: [Deny download piped into a shell]   # rules that must match\n"
    "    no_match: [Ask before destructive shell commands]  # ... must not\n"
    "  - payload: {hook_event_name: PreToolUse, tool_name: Read, ...}  # full form\n"
    "    expect: defer\n"
    "Cases run with home /home/user and cwd /home/user/project unless they say.\n"
    "\n"
    "  --rules PATH   rules file or directory, repeatable (default: configured rules)\n"
    "  --verbose      also list the cases that pass\n"
    "  --no-cache     compile the rules from YAML, without the compiled-pack cache\n"
    "  --coverage     fail when an active rule is in no passing case's match list\n";

typedef struct test_run {
    const pt_settings *settings;
    prempti_engine *engine;
    size_t passed, failed;
    unsigned char *covered; /* per rule: named in a passing case's match list */
    int verbose;
} test_run;

static int rule_index(const prempti_engine *e, const char *name)
{
    for (size_t i = 0; i < prempti_engine_rule_count(e); i++)
        if (strcmp(prempti_engine_rule_name(e, i), name) == 0)
            return (int)i;
    return -1;
}

static int matched(const prempti_result *res, const char *rule)
{
    for (size_t i = 0; i < prempti_result_match_count(res); i++)
        if (strcmp(prempti_result_match_rule(res, i), rule) == 0)
            return 1;
    return 0;
}

static void print_matches(const prempti_result *res)
{
    size_t n = prempti_result_match_count(res);
    printf("  matching rules:%s\n", n ? "" : " none");
    for (size_t i = 0; i < n; i++)
        printf("    %s (%s): %s\n", prempti_result_match_rule(res, i),
               prempti_decision_name(prempti_result_match_decision(res, i)),
               prempti_result_match_output(res, i));
}

/* Whether a rule is loaded and takes part in evaluation (only those have an
 * explanation). */
static int explainable(const test_run *t, const char *rule)
{
    int i = rule_index(t->engine, rule);
    return i >= 0 && prempti_engine_rule_active(t->engine, (size_t)i);
}

/* Prints which parts of the conditions held for the rules a failure is
 * about: those expected to match that did not, those expected not to that
 * did, and the rule that decided otherwise than expected. */
static void explain_failure(const test_run *t, const pt_case *c, const prempti_event *ev,
                            const prempti_result *res)
{
    pt_strv names = {0};
    for (size_t i = 0; i < c->match.count; i++)
        if (explainable(t, c->match.items[i]) && !matched(res, c->match.items[i]))
            pt_strv_push(&names, c->match.items[i]);
    for (size_t i = 0; i < c->no_match.count; i++)
        if (explainable(t, c->no_match.items[i]) && matched(res, c->no_match.items[i]))
            pt_strv_push(&names, c->no_match.items[i]);
    long d = prempti_result_deciding_match(res);
    if (prempti_result_decision(res) != c->expect && d >= 0)
        pt_strv_push(&names, prempti_result_match_rule(res, (size_t)d));
    if (!names.count)
        return;
    char *msg = NULL;
    json_object *why = pt_explain(t->engine, ev, &msg);
    if (why) {
        printf("  why:\n");
        pt_explain_print(stdout, why, (const char *const *)names.items, names.count, "    ");
    } else
        printf("  (%s)\n", msg ? msg : "out of memory");
    json_object_put(why);
    free(msg);
    pt_strv_clear(&names);
}

/* Checks a result against the case; prints what differs. 1 when it passed. */
static int judge(const test_run *t, const pt_case *c, const prempti_event *ev,
                 const prempti_result *res)
{
    int ok = prempti_result_decision(res) == c->expect;
    pt_strv lines = {0};
    if (!ok)
        pt_strv_take(&lines, pt_fmt("  expected %s, got %s", prempti_decision_name(c->expect),
                                    prempti_decision_name(prempti_result_decision(res))));
    for (size_t i = 0; i < c->match.count; i++) {
        const char *r = c->match.items[i];
        if (rule_index(t->engine, r) < 0 || !matched(res, r)) {
            ok = 0;
            pt_strv_take(&lines, pt_fmt(rule_index(t->engine, r) < 0
                                            ? "  match: no rule named '%s' is loaded"
                                            : "  expected '%s' to match; it did not",
                                        r));
        }
    }
    for (size_t i = 0; i < c->no_match.count; i++) {
        const char *r = c->no_match.items[i];
        if (rule_index(t->engine, r) < 0 || matched(res, r)) {
            ok = 0;
            pt_strv_take(&lines, pt_fmt(rule_index(t->engine, r) < 0
                                            ? "  no_match: no rule named '%s' is loaded"
                                            : "  expected '%s' not to match; it did",
                                        r));
        }
    }
    if (!ok) {
        printf("%s: FAIL%s%s\n", c->where, c->name[0] ? ": " : "", c->name);
        for (size_t i = 0; i < lines.count; i++)
            printf("%s\n", lines.items[i]);
        print_matches(res);
        explain_failure(t, c, ev, res);
    }
    pt_strv_clear(&lines);
    return ok;
}

static void case_failed(test_run *t, const char *where, const char *name, const char *why)
{
    printf("%s: FAIL%s%s\n  %s\n", where, name && name[0] ? ": " : "", name ? name : "", why);
    t->failed++;
}

/* Evaluates one case into *ev (the caller frees it); NULL result and *why
 * set when it cannot be. */
static prempti_result *evaluate(const test_run *t, const pt_case *c, prempti_event **evp,
                                char **why)
{
    prempti_config *cfg = NULL;
    prempti_event *ev = NULL;
    prempti_result *res = NULL;
    prempti_error *err = NULL;
    if (pt_settings_config(t->settings, c->agent, &cfg, why))
        return NULL;
    if (prempti_config_set(cfg, "home", c->home, &err) ||
        prempti_event_from_json(&ev, cfg, c->payload, strlen(c->payload), &err) ||
        prempti_evaluate(&res, t->engine, ev, &err))
        *why = pt_fmt("cannot evaluate the payload: %s",
                      err ? prempti_error_message(err) : "out of memory");
    prempti_error_free(err);
    prempti_config_free(cfg);
    *evp = ev;
    return res;
}

static void run_case(test_run *t, const pt_case *c)
{
    if (c->problem || !c->payload) {
        case_failed(t, c->where, c->name, c->problem ? c->problem : "out of memory");
        return;
    }
    char *why = NULL;
    prempti_event *ev = NULL;
    prempti_result *res = evaluate(t, c, &ev, &why);
    if (!res) {
        case_failed(t, c->where, c->name, why ? why : "out of memory");
        free(why);
        prempti_event_free(ev);
        return;
    }
    if (judge(t, c, ev, res)) {
        t->passed++;
        for (size_t i = 0; i < c->match.count; i++)
            t->covered[rule_index(t->engine, c->match.items[i])] = 1;
        if (t->verbose)
            printf("%s: ok%s%s\n", c->where, c->name[0] ? ": " : "", c->name);
    } else {
        t->failed++;
    }
    prempti_result_free(res);
    prempti_event_free(ev);
}

static int run_file(test_run *t, const char *path)
{
    pt_case_file f;
    if (pt_case_file_load(&f, path))
        return -1;
    if (f.problem)
        case_failed(t, path, NULL, f.problem);
    for (size_t i = 0; i < f.count; i++)
        run_case(t, &f.cases[i]);
    pt_case_file_free(&f);
    return 0;
}

/* Active rules no passing case names in its match list. */
static size_t report_coverage(const test_run *t)
{
    size_t missing = 0;
    for (size_t i = 0; i < prempti_engine_rule_count(t->engine); i++) {
        if (prempti_engine_rule_active(t->engine, i) && !t->covered[i]) {
            printf("coverage: no passing case matches '%s'\n",
                   prempti_engine_rule_name(t->engine, i));
            missing++;
        }
    }
    return missing;
}

static int run(test_run *t, int coverage, int n, char **args)
{
    pt_strv files = {0};
    char *msg = NULL;
    int status = PT_EXIT_OK;
    for (int i = 0; i < n && status == PT_EXIT_OK; i++)
        if (pt_case_paths(args[i], &files, &msg))
            status = cli_error("test", PT_EXIT_FAIL, "%s", msg ? msg : "out of memory");
    size_t nrules = prempti_engine_rule_count(t->engine);
    if (status == PT_EXIT_OK && !(t->covered = calloc(nrules + 1, 1)))
        status = cli_error("test", PT_EXIT_FAIL, "out of memory");
    for (size_t i = 0; i < files.count && status == PT_EXIT_OK; i++)
        if (run_file(t, files.items[i]))
            status = cli_error("test", PT_EXIT_FAIL, "out of memory");
    if (status == PT_EXIT_OK) {
        size_t missing = coverage ? report_coverage(t) : 0;
        printf("%zu passed, %zu failed\n", t->passed, t->failed);
        status = t->failed || missing ? PT_EXIT_FAIL : PT_EXIT_OK;
    }
    free(t->covered);
    free(msg);
    pt_strv_clear(&files);
    return status;
}

static int setup_and_run(const pt_flags *flags, int verbose, int coverage, int n, char **args)
{
    pt_settings s;
    if (cli_settings(&s, flags, "test")) {
        pt_settings_free(&s);
        return PT_EXIT_FAIL;
    }
    test_run t = {&s, NULL, 0, 0, NULL, verbose};
    prempti_config *cfg = NULL;
    char *msg = NULL;
    int status = PT_EXIT_FAIL;
    if (pt_settings_config(&s, NULL, &cfg, &msg))
        cli_error("test", PT_EXIT_FAIL, "%s", msg ? msg : "out of memory");
    else if ((t.engine = cli_engine(&s, cfg, "test")) != NULL)
        status = run(&t, coverage, n, args);
    free(msg);
    prempti_engine_free(t.engine);
    prempti_config_free(cfg);
    pt_settings_free(&s);
    return status;
}

int cmd_test(int argc, char **argv)
{
    enum { OPT_VERBOSE = OPT_LOCAL, OPT_COVERAGE };
    static const struct option opts[] = {{"rules", required_argument, NULL, OPT_RULES},
                                         {"config", required_argument, NULL, OPT_CONFIG},
                                         {"mode", required_argument, NULL, OPT_MODE},
                                         {"floor", required_argument, NULL, OPT_FLOOR},
                                         {"verbose", no_argument, NULL, OPT_VERBOSE},
                                         {"coverage", no_argument, NULL, OPT_COVERAGE},
                                         {"no-cache", no_argument, NULL, OPT_NO_CACHE},
                                         {"help", no_argument, NULL, OPT_HELP},
                                         {NULL, 0, NULL, 0}};
    pt_flags flags = PT_FLAGS_INIT;
    int c, status = -1, verbose = 0, coverage = 0;
    while (status < 0 && (c = cli_next(argc, argv, opts, "test")) != -1) {
        int r = cli_settings_flag(c, &flags);
        if (r < 0)
            status = cli_error("test", PT_EXIT_FAIL, "out of memory");
        else if (r > 0)
            continue;
        else if (c == OPT_HELP)
            status = cli_help(help);
        else if (c == OPT_VERBOSE)
            verbose = 1;
        else if (c == OPT_COVERAGE)
            coverage = 1;
        else
            status = PT_EXIT_USAGE;
    }
    if (status < 0 && optind >= argc)
        status = cli_error("test", PT_EXIT_USAGE, "no case file given\nTry 'prempti test --help'.");
    if (status < 0)
        status = setup_and_run(&flags, verbose, coverage, argc - optind, argv + optind);
    pt_strv_clear(&flags.rules);
    return status;
}
