/*
 * Evaluation, data-driven: tests/data/cond/eval.cases gives a Claude Code
 * PreToolUse payload (or tool / input / cwd to build one) and conditions
 * that must hold (true:) or not (false:) on it, one per line. Every
 * operator, modifier and transformer, Falco's absent-value rule, list
 * semantics and the language's documented pitfalls are covered there.
 */
#include <stdlib.h>
#include <string.h>

#include "cond_test.h"

static int failures;
static size_t checked;

static void check_line(const pe_case *c, const prempti_event *ev, const char *line, size_t len,
                       int want)
{
    ct_prog p;
    if (ct_compile_text(&p, c, line, len)) {
        failures++;
        fprintf(stderr, "eval.cases:%zu: %s: %s\n", c->line, line,
                p.parse_rc ? p.perr.message
                : p.ndiags ? p.diags[0].msg
                           : "?");
    } else {
        int got = ct_eval(&p, ev);
        if (got != want) {
            failures++;
            fprintf(stderr, "eval.cases:%zu: %s: %d, wanted %s\n", c->line, line, got,
                    want ? "true" : "false");
        }
    }
    checked++;
    ct_free(&p);
}

typedef struct eval_ctx {
    const pe_case *c;
    const prempti_event *ev;
    int want;
} eval_ctx;

static void check_one(void *ctx, const char *line, size_t len)
{
    eval_ctx *e = ctx;
    check_line(e->c, e->ev, line, len, e->want);
}

START_TEST(eval_cases)
{
    failures = 0;
    checked = 0;
    pe_cases cs = pe_cases_load(pe_test_data("cond/eval.cases"));
    for (size_t i = 0; i < cs.count; i++) {
        const pe_case *c = &cs.items[i];
        prempti_event *ev = ct_event(c);
        eval_ctx yes = {c, ev, 1}, no = {c, ev, 0};
        ct_each_line(c, "true", check_one, &yes);
        ct_each_line(c, "false", check_one, &no);
        prempti_event_free(ev);
    }
    printf("eval.cases: %zu conditions on %zu events, %d failed\n", checked, cs.count, failures);
    ck_assert_int_eq(failures, 0);
    ck_assert_uint_gt(checked, 200);
    pe_cases_free(&cs);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("eval");
    TCase *tc = tcase_create("eval");
    tcase_add_test(tc, eval_cases);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
