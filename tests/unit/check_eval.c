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
                p.parse_rc ? p.perr.message : p.ndiags ? p.diags[0].msg : "?");
    } else {
        int got = ct_eval(p.root, ev);
        if (got != want) {
            failures++;
            fprintf(stderr, "eval.cases:%zu: %s: %d, wanted %s\n", c->line, line, got,
                    want ? "true" : "false");
        }
    }
    checked++;
    ct_free(&p);
}

static void check_lines(const pe_case *c, const prempti_event *ev, const char *key, int want)
{
    for (int esc = 0; esc < 2; esc++) {
        char k[32];
        snprintf(k, sizeof(k), "%s%s", key, esc ? "_esc" : "");
        const char *v = pe_case_get(c, k);
        if (!v)
            continue;
        char *copy = strdup(v), *save = NULL;
        ck_assert_ptr_nonnull(copy);
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            size_t len = strlen(line);
            char *text = esc ? ct_unescape(line, &len) : line;
            check_line(c, ev, text, len, want);
            if (text != line)
                free(text);
        }
        free(copy);
    }
}

START_TEST(eval_cases)
{
    failures = 0;
    checked = 0;
    pe_cases cs = pe_cases_load(pe_test_data("cond/eval.cases"));
    for (size_t i = 0; i < cs.count; i++) {
        const pe_case *c = &cs.items[i];
        prempti_event *ev = ct_event(c);
        check_lines(c, ev, "true", 1);
        check_lines(c, ev, "false", 0);
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
