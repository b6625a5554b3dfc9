/*
 * prempti_explain(): tests/data/cond/explain.cases gives a small rule set
 * (rules:, YAML) and an event (tool / input / payload) and the exact JSON
 * explanation. The contract's edges (arguments, deep conditions, no rules)
 * are checked here.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cond_test.h"

static int failures;

static char *explain(const char *rules, const prempti_event *ev)
{
    prempti_engine *e = pe_test_engine(rules, NULL);
    char *out = NULL;
    prempti_error *err = NULL;
    int rc = prempti_explain(&out, e, ev, &err);
    ck_assert_msg(rc == PREMPTI_OK, "explain: %s", pe_test_errstr(err));
    ck_assert_ptr_nonnull(out);
    prempti_engine_free(e);
    return out;
}

/* The output must always be one valid JSON document. */
static void check_json(const char *s)
{
    json_tokener *tok = json_tokener_new_ex(128); /* the default 32 is too shallow */
    ck_assert_ptr_nonnull(tok);
    json_object *o = json_tokener_parse_ex(tok, s, (int)strlen(s));
    ck_assert_msg(o != NULL && json_tokener_get_error(tok) == json_tokener_success, "not JSON: %s",
                  s);
    json_object_put(o);
    json_tokener_free(tok);
}

START_TEST(explain_cases)
{
    failures = 0;
    pe_cases cs = pe_cases_load(pe_test_data("cond/explain.cases"));
    for (size_t i = 0; i < cs.count; i++) {
        const pe_case *c = &cs.items[i];
        const char *rules = pe_case_get(c, "rules"), *want = pe_case_get(c, "expect");
        ck_assert_msg(rules && want, "explain.cases:%zu: rules and expect needed", c->line);
        prempti_event *ev = ct_event(c);
        char *got = explain(rules, ev);
        check_json(got);
        if (strcmp(got, want) != 0) {
            failures++;
            fprintf(stderr, "explain.cases:%zu:\n  %s\nwanted\n  %s\n", c->line, got, want);
        }
        prempti_free(got);
        prempti_event_free(ev);
    }
    printf("explain.cases: %zu rule sets, %d failed\n", cs.count, failures);
    ck_assert_int_eq(failures, 0);
    pe_cases_free(&cs);
}
END_TEST

START_TEST(arguments_are_checked)
{
    prempti_engine *e = pe_test_engine("[]", NULL);
    prempti_event *ev = pe_test_event("{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\","
                                      "\"tool_input\":{\"a\":1},\"cwd\":\"/w\"}",
                                      NULL);
    char *out = (char *)"untouched";
    prempti_error *err = NULL;
    ck_assert_int_eq(prempti_explain(NULL, e, ev, &err), PREMPTI_E_INVALID_ARG);
    prempti_error_free(err);
    ck_assert_int_eq(prempti_explain(&out, NULL, ev, &err), PREMPTI_E_INVALID_ARG);
    ck_assert_ptr_null(out);
    prempti_error_free(err);
    ck_assert_int_eq(prempti_explain(&out, e, NULL, NULL), PREMPTI_E_INVALID_ARG);
    ck_assert_int_eq(prempti_explain(&out, e, ev, NULL), PREMPTI_OK);
    ck_assert_str_eq(out, "{\"rules\":[]}");
    prempti_free(out);
    prempti_event_free(ev);
    prempti_engine_free(e);
}
END_TEST

/* A condition nested deeper than the output can hold is cut, visibly,
 * and the document stays valid JSON with the right results. */
START_TEST(deep_conditions_are_truncated)
{
    char cond[2048];
    size_t n = 0;
    for (int i = 0; i < 60; i++)
        n += (size_t)snprintf(cond + n, sizeof(cond) - n, "(tool.name = x or ");
    n += (size_t)snprintf(cond + n, sizeof(cond) - n, "tool.name = Bash");
    for (int i = 0; i < 60; i++)
        cond[n++] = ')';
    cond[n] = '\0';
    char rules[4096];
    snprintf(rules, sizeof(rules),
             "- rule: deep\n  desc: d\n  condition: %s\n  output: o\n  priority: INFO\n"
             "  source: coding_agent\n",
             cond);
    prempti_event *ev = pe_test_event("{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\","
                                      "\"tool_input\":{\"a\":1},\"cwd\":\"/w\"}",
                                      NULL);
    char *out = explain(rules, ev);
    check_json(out);
    ck_assert_ptr_nonnull(strstr(out, "\"matched\":true"));
    ck_assert_ptr_nonnull(strstr(out, "\"truncated\":true"));
    prempti_free(out);
    prempti_event_free(ev);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("explain");
    TCase *tc = tcase_create("explain");
    tcase_add_test(tc, explain_cases);
    tcase_add_test(tc, arguments_are_checked);
    tcase_add_test(tc, deep_conditions_are_truncated);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
