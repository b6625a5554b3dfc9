/*
 * Agent responses: the golden table in the case files of tests/data/responses/ pins the
 * exact stdout, stderr and exit status for every agent x hook event x
 * decision and for failures; cases with a payload are evaluated end to end.
 * The other tests check properties that must hold for every cell.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "output/response_internal.h"
#include "verdict/result_internal.h"
#include "test_util.h"

static const char *test_rules = "- rule: Deny marker\n"
                                "  desc: commands carrying the deny marker\n"
                                "  condition: tool.input_command contains deny-me\n"
                                "  output: Falco blocked %tool.input_command\n"
                                "  priority: CRITICAL\n"
                                "  source: coding_agent\n"
                                "  tags: [coding_agent_deny]\n"
                                "- rule: Ask marker\n"
                                "  desc: commands carrying the ask marker\n"
                                "  condition: tool.input_command contains ask-me\n"
                                "  output: Falco wants confirmation for %tool.input_command\n"
                                "  priority: WARNING\n"
                                "  source: coding_agent\n"
                                "  tags: [coding_agent_ask]\n"
                                "- rule: Allow marker\n"
                                "  desc: commands carrying the allow marker\n"
                                "  condition: tool.input_command contains allow-me\n"
                                "  output: Falco allows %tool.input_command\n"
                                "  priority: NOTICE\n"
                                "  source: coding_agent\n"
                                "  tags: [coding_agent_allow]\n";

#define NCOLS 6 /* defer, allow, ask, deny, error closed, error open */

static int decision_of(const char *name)
{
    for (int d = PREMPTI_DEFER; d <= PREMPTI_DENY; d++)
        if (strcmp(prempti_decision_name(d), name) == 0)
            return d;
    ck_abort_msg("unknown decision '%s'", name);
    return -1;
}

static long table_row(const char *agent, const char *hook)
{
    for (size_t i = 0; i < pe_response_row_count(); i++) {
        const char *a, *h;
        pe_response_row(i, &a, &h);
        if (strcmp(a, agent) == 0 && strcmp(h, hook) == 0)
            return (long)i;
    }
    return -1;
}

/* stdout must be empty or exactly one line of valid JSON (an object). */
static void check_json_line(const char *where, const char *out)
{
    if (!out[0])
        return;
    size_t len = strlen(out);
    ck_assert_msg(out[len - 1] == '\n' && !memchr(out, '\n', len - 1),
                  "%s: stdout is not one line ending in a newline: [%s]", where, out);
    json_object *o = pe_test_json(out, len - 1);
    ck_assert_msg(json_object_is_type(o, json_type_object), "%s: stdout is not an object", where);
    json_object_put(o);
}

static void expect_text(const char *where, const char *what, const char *got, const char *want)
{
    char *full = malloc(strlen(want) + 2);
    ck_assert_ptr_nonnull(full);
    strcpy(full, want);
    if (want[0])
        strcat(full, "\n");
    ck_assert_msg(strcmp(got, full) == 0, "%s: %s\n  got:  [%s]\n  want: [%s]", where, what, got,
                  full);
    free(full);
}

static void expect_response(const char *where, const prempti_response *r, const pe_case *c)
{
    expect_text(where, "stdout", prempti_response_stdout(r), pe_case_get(c, "stdout"));
    expect_text(where, "stderr", prempti_response_stderr(r), pe_case_get(c, "stderr"));
    ck_assert_msg(prempti_response_exit_code(r) == atoi(pe_case_get(c, "exit")),
                  "%s: exit %d, want %s", where, prempti_response_exit_code(r),
                  pe_case_get(c, "exit"));
    check_json_line(where, prempti_response_stdout(r));
}

/* Evaluates the case's payload against the test rules and checks that the
 * result is the decision and reason of the case, then renders the result. */
static void run_end_to_end(const char *where, const pe_case *c, int decision)
{
    prempti_config *cfg = pe_test_config("reason_suffix= | policy=test");
    ck_assert_int_eq(prempti_config_set(cfg, "agent", pe_case_get(c, "agent"), NULL), 0);
    const char *mode = pe_case_get(c, "mode");
    if (mode)
        ck_assert_int_eq(prempti_config_set(cfg, "mode", mode, NULL), 0);
    prempti_engine *e = pe_test_engine(test_rules, cfg);
    prempti_event *ev = pe_test_event(pe_case_get(c, "payload"), cfg);
    prempti_result *res = NULL;
    prempti_error *err = NULL;
    ck_assert_msg(prempti_evaluate(&res, e, ev, &err) == PREMPTI_OK, "%s: %s", where,
                  pe_test_errstr(err));
    const char *would_be = pe_case_get(c, "would_be");
    ck_assert_msg(prempti_result_decision(res) == decision, "%s: decision %s", where,
                  prempti_decision_name(prempti_result_decision(res)));
    ck_assert_int_eq(prempti_result_would_be(res), would_be ? decision_of(would_be) : decision);
    ck_assert_str_eq(prempti_result_reason(res), pe_case_get(c, "reason"));
    prempti_response *r = NULL;
    ck_assert_msg(prempti_response_new(&r, res, &err) == PREMPTI_OK, "%s: %s", where,
                  pe_test_errstr(err));
    expect_response(where, r, c);
    prempti_response_free(r);
    prempti_result_free(res);
    prempti_event_free(ev);
    prempti_engine_free(e);
    prempti_config_free(cfg);
}

/* Runs one case; returns its column (0-5) and sets *row, or -1 when the
 * case is not on a row of the table (fallbacks, unknown agents). */
static int run_case(const char *file, const pe_case *c, long *row, int *end_to_end)
{
    char where[512];
    snprintf(where, sizeof(where), "%s:%zu", file, c->line);
    const char *agent = pe_case_get(c, "agent"), *hook = pe_case_get(c, "hook");
    ck_assert_msg(agent && hook && pe_case_get(c, "stdout") && pe_case_get(c, "stderr") &&
                      pe_case_get(c, "exit"),
                  "%s: a case needs agent, hook, stdout, stderr and exit", where);
    *row = table_row(agent, hook);
    prempti_response *r = NULL;
    prempti_error *err = NULL;
    const char *error = pe_case_get(c, "error");
    int col;
    if (error) {
        int open = strcmp(error, "open") == 0;
        ck_assert_msg(open || strcmp(error, "closed") == 0, "%s: error: closed|open", where);
        ck_assert_int_eq(
            prempti_response_for_error(&r, agent, hook, pe_case_get(c, "message"), open, &err),
            PREMPTI_OK);
        col = open ? 5 : 4;
    } else {
        col = decision_of(pe_case_get(c, "decision"));
        const char *reason = pe_case_get(c, "reason"), *user = pe_case_get(c, "user");
        ck_assert_msg(pe_response_render_texts(&r, agent, hook, col, reason, user, &err) ==
                          PREMPTI_OK,
                      "%s: %s", where, pe_test_errstr(err));
        if (pe_case_get(c, "payload")) {
            run_end_to_end(where, c, col);
            (*end_to_end)++;
        }
    }
    expect_response(where, r, c);
    prempti_response_free(r);
    return *row < 0 ? -1 : col;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(golden_table)
{
    DIR *d = opendir(pe_test_data("responses"));
    ck_assert_ptr_nonnull(d);
    char *names[64];
    size_t nfiles = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n > 6 && strcmp(de->d_name + n - 6, ".cases") == 0) {
            ck_assert_uint_lt(nfiles, 64);
            names[nfiles++] = strdup(de->d_name);
        }
    }
    closedir(d);
    qsort(names, nfiles, sizeof(*names), cmp_names);
    size_t nrows = pe_response_row_count();
    unsigned char(*covered)[NCOLS] = calloc(nrows, sizeof(*covered));
    ck_assert_ptr_nonnull(covered);
    size_t total = 0;
    int end_to_end = 0;
    for (size_t f = 0; f < nfiles; f++) {
        char rel[300];
        snprintf(rel, sizeof(rel), "responses/%s", names[f]);
        pe_cases cs = pe_cases_load(pe_test_data(rel));
        for (size_t i = 0; i < cs.count; i++) {
            long row;
            int col = run_case(names[f], &cs.items[i], &row, &end_to_end);
            if (col >= 0)
                covered[row][col] = 1;
        }
        total += cs.count;
        pe_cases_free(&cs);
        free(names[f]);
    }
    /* Every cell of the table has a golden answer. */
    for (size_t i = 0; i < nrows; i++) {
        const char *a, *h;
        pe_response_row(i, &a, &h);
        for (int col = 0; col < NCOLS; col++)
            ck_assert_msg(covered[i][col], "no golden case for %s %s column %d", a, h, col);
    }
    free(covered);
    printf("responses: %zu golden cases, %d end to end, %zu table rows\n", total, end_to_end,
           nrows);
    ck_assert_uint_ge(total, nrows * NCOLS);
    ck_assert_int_ge(end_to_end, 8);
}
END_TEST

/* Walks a JSON value: 1 when any string in it is "allow" or "approve". */
static int json_has_allow(json_object *o)
{
    if (json_object_is_type(o, json_type_string))
        return strcmp(json_object_get_string(o), "allow") == 0 ||
               strcmp(json_object_get_string(o), "approve") == 0;
    if (json_object_is_type(o, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(o); i++)
            if (json_has_allow(json_object_array_get_idx(o, i)))
                return 1;
        return 0;
    }
    if (json_object_is_type(o, json_type_object)) {
        json_object_object_foreach(o, k, v)
        {
            (void)k;
            if (json_has_allow(v))
                return 1;
        }
    }
    return 0;
}

/* An error is never answered with an allow, for any agent, hook event
 * (known or not) or message, failing closed or open. */
START_TEST(errors_never_allow)
{
    static const char *const hooks[] = {"", "PostToolUse", "Stop", "sessionStart"};
    static const char *const messages[] = {"allow", "", "{\"decision\":\"allow\"}"};
    for (size_t i = 0; i < pe_response_row_count(); i++) {
        const char *agent, *row_hook;
        pe_response_row(i, &agent, &row_hook);
        for (size_t h = 0; h <= sizeof(hooks) / sizeof(hooks[0]); h++) {
            const char *hook = h == 0 ? row_hook : hooks[h - 1];
            for (int open = 0; open <= 1; open++)
                for (size_t m = 0; m < sizeof(messages) / sizeof(messages[0]); m++) {
                    prempti_response *r = NULL;
                    ck_assert_int_eq(
                        prempti_response_for_error(&r, agent, hook, messages[m], open, NULL),
                        PREMPTI_OK);
                    const char *out = prempti_response_stdout(r);
                    if (!open)
                        ck_assert_msg(out[0] || prempti_response_exit_code(r) == 2,
                                      "%s %s: a closed failure neither blocks nor answers", agent,
                                      hook);
                    else
                        ck_assert_msg(!out[0] && prempti_response_exit_code(r) == 0 &&
                                          !prempti_response_stderr(r)[0],
                                      "%s %s: failing open must print nothing", agent, hook);
                    if (out[0]) {
                        json_object *o = pe_test_json(out, strlen(out) - 1);
                        ck_assert_msg(!json_has_allow(o), "%s %s: error answered with %s", agent,
                                      hook, out);
                        json_object_put(o);
                    }
                    prempti_response_free(r);
                }
        }
    }
}
END_TEST

/* Every blocking answer carries a non-empty reason, whatever the reason. */
START_TEST(blocks_always_have_a_reason)
{
    static const char *const reasons[] = {"", " ", "\t\n", NULL};
    for (size_t i = 0; i < pe_response_row_count(); i++) {
        const char *agent, *hook;
        pe_response_row(i, &agent, &hook);
        for (size_t k = 0; k < sizeof(reasons) / sizeof(reasons[0]); k++) {
            prempti_response *r = NULL;
            ck_assert_int_eq(pe_response_render(&r, agent, hook, PREMPTI_DENY, reasons[k], NULL),
                             PREMPTI_OK);
            const char *err = prempti_response_stderr(r);
            ck_assert_msg(strncmp(err, "prempti: ", 9) == 0, "%s %s: stderr [%s]", agent, hook,
                          err);
            ck_assert_msg(
                strstr(prempti_response_stdout(r), "\"prempti: blocked by a policy rule\""),
                "%s %s: stdout [%s]", agent, hook, prempti_response_stdout(r));
            prempti_response_free(r);
        }
    }
}
END_TEST

START_TEST(unsupported_and_bad_arguments)
{
    prempti_response *r = (prempti_response *)1;
    prempti_error *err = NULL;
    ck_assert_int_eq(pe_response_render(&r, "claude_code", "PostToolUse", PREMPTI_DENY, "x", &err),
                     PREMPTI_E_UNSUPPORTED);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(prempti_error_message(err), "'PostToolUse'"));
    prempti_error_free(err);
    ck_assert_int_eq(pe_response_render(&r, "windsurf", "pre_run_command", 0, "", &err),
                     PREMPTI_E_UNSUPPORTED);
    ck_assert_ptr_nonnull(strstr(prempti_error_message(err), "'windsurf'"));
    prempti_error_free(err);
    ck_assert_int_eq(pe_response_render(&r, NULL, NULL, 0, "", NULL), PREMPTI_E_UNSUPPORTED);
    ck_assert_int_eq(pe_response_render(&r, "codex", "PreToolUse", 4, "", NULL),
                     PREMPTI_E_INVALID_ARG);
    ck_assert_int_eq(pe_response_render(&r, "codex", "PreToolUse", -1, "", NULL),
                     PREMPTI_E_INVALID_ARG);
    ck_assert_int_eq(prempti_response_new(&r, NULL, &err), PREMPTI_E_INVALID_ARG);
    ck_assert_ptr_null(r);
    prempti_error_free(err);
    ck_assert_int_eq(prempti_response_new(NULL, NULL, NULL), PREMPTI_E_INVALID_ARG);
    ck_assert_int_eq(prempti_response_for_error(NULL, "codex", "", "m", 0, NULL),
                     PREMPTI_E_INVALID_ARG);
    /* NULL agent, hook and message: an exit-2 block with a message. */
    ck_assert_int_eq(prempti_response_for_error(&r, NULL, NULL, NULL, 1, NULL), PREMPTI_OK);
    ck_assert_int_eq(prempti_response_exit_code(r), 2);
    ck_assert_str_eq(prempti_response_stderr(r), "prempti: internal error\n");
    prempti_response_free(r);
    /* The getters on NULL: nothing printed, and a blocking exit status. */
    ck_assert_str_eq(prempti_response_stdout(NULL), "");
    ck_assert_str_eq(prempti_response_stderr(NULL), "");
    ck_assert_int_eq(prempti_response_exit_code(NULL), 2);
    prempti_response_free(NULL);
}
END_TEST

/* A result from a hook event the table does not answer: unsupported, and
 * the message names the event. */
START_TEST(result_on_unanswered_hook)
{
    /* The event stage refuses hook events no response row answers... */
    prempti_event *ev = NULL;
    prempti_error *err = NULL;
    static const char post[] = "{\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Bash\","
                               "\"tool_input\":{\"command\":\"echo deny-me\"}}";
    ck_assert_int_eq(prempti_event_from_json(&ev, NULL, post, sizeof(post) - 1, &err),
                     PREMPTI_E_UNSUPPORTED);
    prempti_error_free(err);
    err = NULL;
    /* ...and should a result ever carry one, rendering it is an error, not
     * a guess. */
    prempti_engine *e = pe_test_engine(test_rules, NULL);
    ev = pe_test_event("{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\","
                       "\"tool_input\":{\"command\":\"echo deny-me\"}}",
                       NULL);
    prempti_result *res = NULL;
    ck_assert_int_eq(prempti_evaluate(&res, e, ev, NULL), PREMPTI_OK);
    res->hook = "PostToolUse";
    prempti_response *r = (prempti_response *)1;
    ck_assert_int_eq(prempti_response_new(&r, res, &err), PREMPTI_E_UNSUPPORTED);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(prempti_error_message(err), "PostToolUse"));
    prempti_error_free(err);
    prempti_result_free(res);
    prempti_event_free(ev);
    prempti_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("response");
    TCase *tc = tcase_create("response");
    tcase_add_test(tc, golden_table);
    tcase_add_test(tc, errors_never_allow);
    tcase_add_test(tc, blocks_always_have_a_reason);
    tcase_add_test(tc, unsupported_and_bad_arguments);
    tcase_add_test(tc, result_on_unanswered_hook);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pe_test_run(suite());
}
