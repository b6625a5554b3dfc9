/*
 * Heap allocations of an evaluation (tests/data/allocs/allocs.cases): one,
 * for the result; nothing more to read its decision, reason and deciding
 * output; another match's output rendered once, on its first read; and a
 * result read after its engine and event were freed. This suite is linked
 * with malloc, calloc and realloc wrapped (tests/CMakeLists.txt), so it
 * counts what the library asks for itself.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);

static atomic_size_t allocs;

void *__wrap_malloc(size_t n)
{
    atomic_fetch_add(&allocs, 1);
    return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
    atomic_fetch_add(&allocs, 1);
    return __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
    atomic_fetch_add(&allocs, 1);
    return __real_realloc(p, n);
}

static size_t since(size_t mark)
{
    return atomic_load(&allocs) - mark;
}

static prempti_engine *engine_for(const pe_case *c, const prempti_config *cfg)
{
    const char *rules = pe_case_get(c, "rules");
    ck_assert_ptr_nonnull(rules);
    const char *path = strcmp(rules, "upstream") == 0 ? PREMPTI_COMPAT_DIR
                           "/coding_agents_rules.yaml"
                                                      : pe_test_data(rules);
    prempti_engine *e = NULL;
    prempti_error *err = NULL;
    ck_assert_int_eq(prempti_engine_new(&e, cfg, &err), PREMPTI_OK);
    ck_assert_msg(prempti_engine_load_rules_path(e, path, &err) == PREMPTI_OK, "%s",
                  pe_test_errstr(err));
    return e;
}

/* Reads everything of r that was rendered with it: no allocation. */
static void read_rendered(const prempti_result *r, const pe_case *c)
{
    size_t mark = atomic_load(&allocs), missing = 0;
    missing += prempti_result_decision(r) < 0;
    missing += prempti_result_reason(r) == NULL;
    long d = prempti_result_deciding_match(r);
    if (d >= 0) {
        missing += prempti_result_match_output(r, (size_t)d) == NULL;
        missing += prempti_result_match_rule(r, (size_t)d) == NULL;
    }
    for (size_t i = 0; i < prempti_result_match_count(r); i++)
        for (size_t j = 0; j < prempti_result_match_tag_count(r, i); j++)
            missing += prempti_result_match_tag(r, i, j) == NULL;
    size_t n = since(mark);
    ck_assert_uint_eq(missing, 0);
    ck_assert_msg(n == 0, "allocs.cases:%zu (%s): reading the result allocated %zu", c->line,
                  pe_case_get(c, "name"), n);
}

/* Every other output: rendered on the first read, kept for the next. */
static void read_lazy(const prempti_result *r, const pe_case *c)
{
    for (size_t i = 0; i < prempti_result_match_count(r); i++) {
        const char *first = prempti_result_match_output(r, i);
        ck_assert_ptr_nonnull(first);
        size_t mark = atomic_load(&allocs);
        const char *again = prempti_result_match_output(r, i);
        size_t n = since(mark);
        ck_assert_ptr_eq(again, first);
        ck_assert_msg(n == 0, "allocs.cases:%zu: match %zu rendered twice", c->line, i);
    }
}

START_TEST(one_allocation_per_evaluation)
{
    pe_cases cs = pe_cases_load(pe_test_data("allocs/allocs.cases"));
    ck_assert_uint_ge(cs.count, 4);
    int compat = pe_test_have_compat("allocations on upstream's pack");
    for (size_t i = 0; i < cs.count; i++) {
        const pe_case *c = &cs.items[i];
        if (!compat && strcmp(pe_case_get(c, "rules"), "upstream") == 0)
            continue;
        prempti_config *cfg = pe_test_config(pe_case_get(c, "config"));
        prempti_engine *e = engine_for(c, cfg);
        prempti_event *ev = pe_test_event(pe_case_get(c, "payload"), cfg);
        prempti_result *r = NULL;
        prempti_error *err = NULL;
        ck_assert_int_eq(prempti_evaluate(&r, e, ev, &err), PREMPTI_OK); /* warm: lazy parts */
        prempti_result_free(r);
        /* (Check's assertions allocate: none between mark and count.) */
        size_t mark = atomic_load(&allocs);
        int rc = prempti_evaluate(&r, e, ev, &err);
        size_t n = since(mark);
        ck_assert_int_eq(rc, PREMPTI_OK);
        ck_assert_msg(n == strtoul(pe_case_get(c, "allocs"), NULL, 10),
                      "allocs.cases:%zu (%s): %zu allocations", c->line, pe_case_get(c, "name"), n);
        ck_assert_uint_eq(prempti_result_match_count(r),
                          strtoul(pe_case_get(c, "matches"), NULL, 10));
        read_rendered(r, c);
        /* The result stands alone: its engine and event go first. */
        prempti_event_free(ev);
        prempti_engine_free(e);
        read_lazy(r, c);
        char *json = NULL;
        ck_assert_int_eq(prempti_result_to_json(&json, r, NULL), PREMPTI_OK);
        prempti_free(json);
        prempti_result_free(r);
        prempti_config_free(cfg);
    }
    pe_cases_free(&cs);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("allocs");
    TCase *tc = tcase_create("allocs");
    tcase_add_test(tc, one_allocation_per_evaluation);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
