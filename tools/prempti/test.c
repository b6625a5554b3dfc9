/* prempti test: rule-pack unit tests (payload -> expected decision and rules),
 * and with --score the pack's figures on a corpus of classed calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "explain.h"
#include "fileio.h"
#include "score.h"
#include "testcases.h"

#define TARGETS_FILE "targets.yaml"

static const char help[] =
    "usage: prempti test [--rules PATH]... [--config FILE] [--floor F] [--mode M]\n"
    "                    [--verbose] [--coverage] [--no-cache] CASES...\n"
    "       prempti test --score [--targets FILE] [--json] [--rules PATH]... [--verbose] CASES...\n"
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
    "  --coverage     fail when an active rule is in no passing case's match list,\n"
    "                 or in no passing case's no_match list\n"
    "  --coverage     fail when an active rule is in no passing case's match list\n"
    "  --no-cache     compile the rules from YAML, without the compiled-pack cache\n"
    "\n"
    "With --score the cases are a corpus: each has 'class: attack|everyday|safe'\n"
    "and an 'area' instead of an expectation. Prints per class and area the share\n"
    "of attacks stopped (denied or asked) and of everyday and safe calls denied\n"
    "and asked, and checks the targets of --targets FILE (default: targets.yaml\n"
    "in a CASES directory). A call the library refuses is scored as denied, as\n"
    "the adapter blocks it. Exit status 1 when a case cannot be scored, or when\n"
    "the targets say 'enforce: true' and one is not met.\n"
    "  --verbose      also list every miss (name, decision, FILE:LINE)\n"
    "  --json         print the figures as one JSON object\n";

enum { COVER_MATCH = 1, COVER_NO_MATCH = 2 };

typedef struct test_run {
    const pt_settings *settings;
    prempti_engine *engine;
    size_t passed, failed;
    unsigned char *covered; /* per rule: COVER_MATCH and COVER_NO_MATCH, for each list of a
                               passing case that names it */
    int verbose;
    pt_score *score; /* scoring a corpus; NULL for unit tests */
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
        pt_term_printf(stdout, "    %s (%s): %s\n", prempti_result_match_rule(res, i),
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

/* A case (or a file, name NULL) that cannot run: a failure, or when scoring a
 * case that is not scored; -1 only when out of memory. */
static int case_failed(test_run *t, const char *where, const char *name, const char *why)
{
    if (t->score)
        return pt_score_error(t->score, where, name, why);
    printf("%s: FAIL%s%s\n  %s\n", where, name && name[0] ? ": " : "", name ? name : "", why);
    t->failed++;
    return 0;
}

/* Evaluates one case into *ev (the caller frees it); NULL result and *why
 * set when it cannot be, with *refused set when the library refused the
 * payload or the evaluation (what the adapter answers by failing closed),
 * as opposed to a bad case or running out of memory. */
static prempti_result *evaluate(const test_run *t, const pt_case *c, prempti_event **evp,
                                char **why, int *refused)
{
    prempti_config *cfg = NULL;
    prempti_event *ev = NULL;
    prempti_result *res = NULL;
    prempti_error *err = NULL;
    *refused = 0;
    if (pt_settings_config(t->settings, c->agent, &cfg, why))
        return NULL;
    if (prempti_config_set(cfg, "home", c->home, &err)) {
        *why = pt_fmt("home: %s", err ? prempti_error_message(err) : "out of memory");
    } else if (prempti_event_from_json(&ev, cfg, c->payload, strlen(c->payload), &err) ||
               prempti_evaluate(&res, t->engine, ev, &err)) {
        *refused = err && prempti_error_code(err) != PREMPTI_E_NOMEM;
        *why = pt_fmt("cannot evaluate the payload: %s",
                      err ? prempti_error_message(err) : "out of memory");
    }
    prempti_error_free(err);
    prempti_config_free(cfg);
    *evp = ev;
    return res;
}

/* Counts a scored case at the decision the rules reach (the would-be
 * decision in monitor mode: the pack is measured, not the mode). */
static int score_case(test_run *t, const pt_case *c, const prempti_result *res)
{
    long d = prempti_result_deciding_match(res);
    return pt_score_add(t->score, c, prempti_result_would_be(res),
                        d >= 0 ? prempti_result_match_rule(res, (size_t)d) : NULL, NULL);
}

static void unit_case(test_run *t, const pt_case *c, const prempti_event *ev,
                      const prempti_result *res)
{
    if (judge(t, c, ev, res)) {
        t->passed++;
        for (size_t i = 0; i < c->match.count; i++)
            t->covered[rule_index(t->engine, c->match.items[i])] |= COVER_MATCH;
        for (size_t i = 0; i < c->no_match.count; i++)
            t->covered[rule_index(t->engine, c->no_match.items[i])] |= COVER_NO_MATCH;
        if (t->verbose)
            printf("%s: ok%s%s\n", c->where, c->name[0] ? ": " : "", c->name);
    } else {
        t->failed++;
    }
}

/* -1 only when out of memory. */
static int run_case(test_run *t, const pt_case *c)
{
    if (c->problem || !c->payload)
        return case_failed(t, c->where, c->name, c->problem ? c->problem : "out of memory");
    char *why = NULL;
    prempti_event *ev = NULL;
    int refused = 0;
    prempti_result *res = evaluate(t, c, &ev, &why, &refused);
    int rc = 0;
    if (!res && t->score && refused) /* the adapter blocks such a call */
        rc = pt_score_add(t->score, c, PREMPTI_DENY, NULL, why);
    else if (!res)
        rc = case_failed(t, c->where, c->name, why ? why : "out of memory");
    else if (t->score)
        rc = score_case(t, c, res);
    else
        unit_case(t, c, ev, res);
    free(why);
    prempti_result_free(res);
    prempti_event_free(ev);
    return rc;
}

static int run_file(test_run *t, const char *path)
{
    pt_case_file f;
    if (pt_case_file_load(&f, path, t->score ? PT_NEED_CLASS : PT_NEED_EXPECT))
        return -1;
    int rc = f.problem ? case_failed(t, path, NULL, f.problem) : 0;
    for (size_t i = 0; i < f.count && !rc; i++)
        rc = run_case(t, &f.cases[i]);
    pt_case_file_free(&f);
    return rc;
}

/* Active rules no passing case names in its match list, or in its
 * no_match list: every rule needs a case it decides and one it must not. */
static size_t report_coverage(const test_run *t)
{
    size_t missing = 0;
    for (size_t i = 0; i < prempti_engine_rule_count(t->engine); i++) {
        if (!prempti_engine_rule_active(t->engine, i))
            continue;
        const char *name = prempti_engine_rule_name(t->engine, i);
        if (!(t->covered[i] & COVER_MATCH)) {
            pt_term_printf(stdout, "coverage: no passing case matches '%s'\n", name);
            missing++;
        }
        if (!(t->covered[i] & COVER_NO_MATCH)) {
            pt_term_printf(stdout, "coverage: no passing case says '%s' must not match\n", name);
            missing++;
        }
    }
    return missing;
}

typedef struct test_opts {
    int verbose, coverage, score, json;
    const char *targets; /* --targets FILE, or NULL */
} test_opts;

/* The case files of args. When scoring, a directory's targets.yaml is not a
 * case file: it is the targets, unless --targets names them (*found). */
static int collect(const test_opts *o, int n, char **args, pt_strv *files, char **found, char **msg)
{
    for (int i = 0; i < n; i++) {
        size_t first = files->count;
        if (pt_case_paths(args[i], files, msg))
            return -1;
        for (size_t j = first; o->score && pt_is_dir(args[i]) && j < files->count; j++) {
            const char *f = files->items[j];
            if (strcmp(f + strlen(f) - strlen(TARGETS_FILE), TARGETS_FILE) != 0 ||
                strcmp(f + strlen(args[i]) + 1, TARGETS_FILE) != 0)
                continue;
            if (!o->targets && *found)
                return pt_fail(msg, "%s and %s are both targets; name one with --targets", *found,
                               f);
            if (!o->targets)
                *found = files->items[j];
            else
                free(files->items[j]);
            memmove(&files->items[j], &files->items[j + 1],
                    (files->count - j - 1) * sizeof(*files->items));
            files->count--;
            j--;
        }
    }
    return 0;
}

/* Prints the score and gives the exit status. */
static int finish_score(test_run *t, const test_opts *o, const pt_targets *targets)
{
    int met = pt_score_report(stdout, t->score, targets, o->verbose, o->json);
    if (met < 0)
        return cli_error("test", PT_EXIT_FAIL, "out of memory");
    if (t->score->nerrors || (targets->enforce && !met))
        return PT_EXIT_FAIL;
    return PT_EXIT_OK;
}

static int finish_tests(test_run *t, const test_opts *o)
{
    size_t missing = o->coverage ? report_coverage(t) : 0;
    printf("%zu passed, %zu failed\n", t->passed, t->failed);
    return t->failed || missing ? PT_EXIT_FAIL : PT_EXIT_OK;
}

static int run(test_run *t, const test_opts *o, int n, char **args)
{
    pt_strv files = {0};
    pt_targets targets = {0};
    char *msg = NULL, *found = NULL;
    int status = PT_EXIT_OK;
    if (collect(o, n, args, &files, &found, &msg))
        status = cli_error("test", PT_EXIT_FAIL, "%s", msg ? msg : "out of memory");
    const char *tpath = o->targets ? o->targets : found;
    if (status == PT_EXIT_OK && tpath && pt_targets_load(&targets, tpath, &msg))
        status = cli_error("test", PT_EXIT_FAIL, "%s", msg ? msg : "out of memory");
    size_t nrules = prempti_engine_rule_count(t->engine);
    if (status == PT_EXIT_OK && !(t->covered = calloc(nrules + 1, 1)))
        status = cli_error("test", PT_EXIT_FAIL, "out of memory");
    for (size_t i = 0; i < files.count && status == PT_EXIT_OK; i++)
        if (run_file(t, files.items[i]))
            status = cli_error("test", PT_EXIT_FAIL, "out of memory");
    if (status == PT_EXIT_OK)
        status = o->score ? finish_score(t, o, &targets) : finish_tests(t, o);
    free(t->covered);
    free(msg);
    free(found);
    pt_targets_free(&targets);
    pt_strv_clear(&files);
    return status;
}

static int setup_and_run(const pt_flags *flags, const test_opts *o, int n, char **args)
{
    pt_settings s;
    if (cli_settings(&s, flags, "test")) {
        pt_settings_free(&s);
        return PT_EXIT_FAIL;
    }
    pt_score score = {0};
    test_run t = {&s, NULL, 0, 0, NULL, o->verbose, o->score ? &score : NULL};
    prempti_config *cfg = NULL;
    char *msg = NULL;
    int status = PT_EXIT_FAIL;
    if (pt_settings_config(&s, NULL, &cfg, &msg))
        cli_error("test", PT_EXIT_FAIL, "%s", msg ? msg : "out of memory");
    else if ((t.engine = cli_engine(&s, cfg, "test")) != NULL)
        status = run(&t, o, n, args);
    free(msg);
    pt_score_free(&score);
    prempti_engine_free(t.engine);
    prempti_config_free(cfg);
    pt_settings_free(&s);
    return status;
}

/* Options that only make sense with (or without) --score. */
static int check_opts(const test_opts *o)
{
    if (o->score && o->coverage)
        return cli_error("test", PT_EXIT_USAGE, "--coverage is for unit tests, not --score");
    if (!o->score && (o->json || o->targets))
        return cli_error("test", PT_EXIT_USAGE, "%s goes with --score",
                         o->json ? "--json" : "--targets");
    return -1;
}

int cmd_test(int argc, char **argv)
{
    enum { OPT_VERBOSE = OPT_LOCAL, OPT_COVERAGE, OPT_SCORE, OPT_TARGETS, OPT_JSON };
    static const struct option opts[] = {{"rules", required_argument, NULL, OPT_RULES},
                                         {"config", required_argument, NULL, OPT_CONFIG},
                                         {"mode", required_argument, NULL, OPT_MODE},
                                         {"floor", required_argument, NULL, OPT_FLOOR},
                                         {"verbose", no_argument, NULL, OPT_VERBOSE},
                                         {"coverage", no_argument, NULL, OPT_COVERAGE},
                                         {"no-cache", no_argument, NULL, OPT_NO_CACHE},
                                         {"score", no_argument, NULL, OPT_SCORE},
                                         {"targets", required_argument, NULL, OPT_TARGETS},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"help", no_argument, NULL, OPT_HELP},
                                         {NULL, 0, NULL, 0}};
    pt_flags flags = PT_FLAGS_INIT;
    test_opts o = {0, 0, 0, 0, NULL};
    int c, status = -1;
    while (status < 0 && (c = cli_next(argc, argv, opts, "test")) != -1) {
        int r = cli_settings_flag(c, &flags);
        if (r < 0)
            status = cli_error("test", PT_EXIT_FAIL, "out of memory");
        else if (r > 0)
            continue;
        else if (c == OPT_HELP)
            status = cli_help(help);
        else if (c == OPT_VERBOSE)
            o.verbose = 1;
        else if (c == OPT_COVERAGE)
            o.coverage = 1;
        else if (c == OPT_SCORE)
            o.score = 1;
        else if (c == OPT_TARGETS)
            o.targets = optarg;
        else if (c == OPT_JSON)
            o.json = 1;
        else
            status = PT_EXIT_USAGE;
    }
    if (status < 0)
        status = check_opts(&o);
    if (status < 0 && optind >= argc)
        status = cli_error("test", PT_EXIT_USAGE, "no case file given\nTry 'prempti test --help'.");
    if (status < 0)
        status = setup_and_run(&flags, &o, argc - optind, argv + optind);
    pt_strv_clear(&flags.rules);
    return status;
}
