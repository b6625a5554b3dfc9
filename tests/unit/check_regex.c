/*
 * The regex engine: Falco's dialect (RE2, POSIX mode, full match), its
 * error messages, and linear time on inputs that make backtracking
 * engines explode. tests/data/cond/regex.cases holds the pattern x input
 * table; the pathological inputs are built here.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compile/regex.h"
#include "compile/regex_internal.h"
#include "cond_test.h"

static int failures;

/* Compiles pattern; NULL with msg on error. */
static const pe_regex *compile(pe_region *a, const char *pat, size_t len, char *msg, size_t n)
{
    msg[0] = '\0';
    return pe_regex_compile(a, pat, len, msg, n);
}

typedef struct input_ctx {
    const unsigned char *base;
    const pe_case *c;
    const pe_regex *re;
    const char *pat;
    int want;
} input_ctx;

/* One line of a match/nomatch list: "<empty>" stands for "". */
static void check_input(void *ctx, const char *line, size_t len)
{
    input_ctx *in = ctx;
    if (strcmp(line, "<empty>") == 0)
        len = 0;
    int got = pe_regex_match(in->base, in->re, line, len, NULL);
    if (got != in->want) {
        failures++;
        fprintf(stderr, "regex.cases:%zu: /%s/ on \"%s\": %d, wanted %d\n", in->c->line, in->pat,
                line, got, in->want);
    }
}

/* need: the literal every match contains, looked for before the automaton
 * runs ("<none>" when the pattern has none). */
static void check_need(const pe_case *c, const unsigned char *base, const pe_regex *re,
                       const char *pat)
{
    size_t wlen;
    char *want = ct_get(c, "need", &wlen);
    if (!want)
        return;
    if (strcmp(want, "<none>") == 0)
        wlen = 0;
    pe_str got = re->need.off ? pe_rstr_str(base, re->need) : (pe_str){"", 0};
    if (got.len != wlen || memcmp(got.s, want, wlen) != 0) {
        failures++;
        fprintf(stderr, "regex.cases:%zu: /%s/ needs \"%.*s\", wanted \"%s\"\n", c->line, pat,
                (int)got.len, got.s, want);
    }
    free(want);
}

/* needs: the texts one of which every match contains ("<none>": none
 * known), one per line, in any order. */
static void check_needs(const pe_case *c, const unsigned char *base, const pe_regex *re,
                        const char *pat)
{
    size_t wlen;
    char *want = ct_get(c, "needs", &wlen);
    if (!want)
        return;
    pe_str got[PE_REGEX_NEEDS_MAX];
    size_t n = pe_regex_needs(base, re, got, PE_REGEX_NEEDS_MAX), nwant = 0, found = 0;
    for (char *line = want, *next; line; line = next) {
        next = strchr(line, '\n');
        size_t len = next ? (size_t)(next++ - line) : strlen(line);
        if (len == 6 && memcmp(line, "<none>", 6) == 0)
            continue;
        nwant++;
        for (size_t i = 0; i < n; i++)
            found += got[i].len == len && memcmp(got[i].s, line, len) == 0;
    }
    if (found != nwant || n != nwant) {
        failures++;
        fprintf(stderr, "regex.cases:%zu: /%s/ needs one of %zu texts (", c->line, pat, n);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "%s\"%.*s\"", i ? ", " : "", (int)got[i].len, got[i].s);
        fprintf(stderr, "), wanted \"%s\"\n", want);
    }
    free(want);
}

/* bytes: the bytes besides the needed literal's that every match holds,
 * looked for before the automaton runs, as one string ("<none>"). */
static void check_bytes(const pe_case *c, const pe_regex *re, const char *pat)
{
    size_t wlen;
    char *want = ct_get(c, "bytes", &wlen);
    if (!want)
        return;
    if (strcmp(want, "<none>") == 0)
        wlen = 0;
    if (re->nbytes != wlen || memcmp(re->bytes, want, wlen) != 0) {
        failures++;
        fprintf(stderr, "regex.cases:%zu: /%s/ needs bytes \"%.*s\", wanted \"%s\"\n", c->line,
                pat, (int)re->nbytes, re->bytes, want);
    }
    free(want);
}

/* Every text a pattern matches contains one of its needed texts: checked
 * on every match: line of every case. */
static void check_match_has_need(void *ctx, const char *line, size_t len)
{
    input_ctx *in = ctx;
    if (strcmp(line, "<empty>") == 0)
        len = 0;
    pe_str needs[PE_REGEX_NEEDS_MAX];
    size_t n = pe_regex_needs(in->base, in->re, needs, PE_REGEX_NEEDS_MAX), has = !n;
    for (size_t i = 0; i < n && !has; i++)
        for (size_t at = 0; !has && needs[i].len <= len && at <= len - needs[i].len; at++)
            has = memcmp(line + at, needs[i].s, needs[i].len) == 0;
    if (!has) {
        failures++;
        fprintf(stderr, "regex.cases:%zu: /%s/ matches \"%s\" without a needed text\n",
                in->c->line, in->pat, line);
    }
}

static void check_case(const pe_case *c)
{
    size_t len;
    char *pat = ct_get(c, "pattern", &len);
    ck_assert_msg(pat != NULL, "regex.cases:%zu: no pattern", c->line);
    pe_region a = PE_REGION_INIT;
    ck_assert_int_eq(pe_region_init(&a, (size_t)64 << 20, 8), 0);
    char msg[300];
    const pe_regex *re = compile(&a, pat, len, msg, sizeof(msg));
    const char *error = pe_case_get(c, "error"), *size = pe_case_get(c, "size");
    if (error) {
        if (re || strcmp(msg, error) != 0) {
            failures++;
            fprintf(stderr, "regex.cases:%zu: /%s/: %s, wanted error: %s\n", c->line, pat,
                    re ? "compiled" : msg, error);
        }
    } else if (!re) {
        failures++;
        fprintf(stderr, "regex.cases:%zu: /%s/: %s\n", c->line, pat, msg);
    } else {
        if (size && pe_regex_size(re) != strtoul(size, NULL, 10)) {
            failures++;
            fprintf(stderr, "regex.cases:%zu: /%s/: %zu instructions, wanted %s\n", c->line, pat,
                    pe_regex_size(re), size);
        }
        check_need(c, a.base, re, pat);
        check_needs(c, a.base, re, pat);
        check_bytes(c, re, pat);
        input_ctx yes = {a.base, c, re, pat, 1}, no = {a.base, c, re, pat, 0};
        ct_each_line(c, "match", check_input, &yes);
        ct_each_line(c, "match", check_match_has_need, &yes);
        ct_each_line(c, "nomatch", check_input, &no);
    }
    pe_region_free(&a);
    free(pat);
}

START_TEST(regex_cases)
{
    failures = 0;
    pe_cases cs = pe_cases_load(pe_test_data("cond/regex.cases"));
    for (size_t i = 0; i < cs.count; i++)
        check_case(&cs.items[i]);
    printf("regex.cases: %zu patterns, %d failed\n", cs.count, failures);
    ck_assert_int_eq(failures, 0);
    ck_assert_uint_gt(cs.count, 80);
    pe_cases_free(&cs);
}
END_TEST

/* A string of n copies of c, then tail. */
static char *repeat(char c, size_t n, const char *tail)
{
    size_t t = strlen(tail);
    char *s = malloc(n + t + 1);
    ck_assert_ptr_nonnull(s);
    memset(s, c, n);
    memcpy(s + n, tail, t + 1);
    return s;
}

static int match(const char *pat, const char *s)
{
    pe_region a = PE_REGION_INIT;
    ck_assert_int_eq(pe_region_init(&a, (size_t)64 << 20, 8), 0);
    char msg[300];
    const pe_regex *re = compile(&a, pat, strlen(pat), msg, sizeof(msg));
    ck_assert_msg(re != NULL, "%s: %s", pat, msg);
    int r = pe_regex_match(a.base, re, s, strlen(s), NULL);
    pe_region_free(&a);
    return r;
}

/* Patterns that take exponential time in a backtracking engine, on
 * 100 000-byte inputs: with state sets each takes a few milliseconds. */
START_TEST(pathological_patterns_stay_linear)
{
    static const struct {
        const char *pat;
        char fill;
        const char *tail;
        int want;
    } cases[] = {
        {"(a*)*b", 'a', "", 0},
        {"(a*)*b", 'a', "b", 1},
        {"(a|a)*c", 'a', "", 0},
        {"(a|aa)*c", 'a', "c", 1},
        {"(x+x+)+y", 'x', "", 0},
        {"(x+x+)+y", 'x', "y", 1},
        {"(.*a){12}", 'a', "", 1},
        {"(.*a){12}", 'a', "b", 0},
        {".*.*.*.*.*=.*", 'q', "", 0},
        {"(a?){30}a{30}", 'a', "", 0},
        {"([a-z]+)*[0-9]", 'z', "!", 0},
        {"(a|b|ab|ba)*c", 'a', "", 0},
        {"((a{0,10}){0,10}){0,10}", 'a', "", 0},
        {"^(a+)+$", 'a', "!", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *s = repeat(cases[i].fill, 100000, cases[i].tail);
        ck_assert_msg(match(cases[i].pat, s) == cases[i].want, "%s", cases[i].pat);
        free(s);
    }
    char *s = repeat('a', 900, "");
    ck_assert_int_eq(match("((a{0,10}){0,10}){0,10}", s), 1);
    free(s);
    s = repeat('a', 1000, "");
    ck_assert_int_eq(match("((a{0,10}){0,10}){0,10}", s), 1);
    free(s);
    s = repeat('a', 1001, "");
    ck_assert_int_eq(match("((a{0,10}){0,10}){0,10}", s), 0);
    free(s);
}
END_TEST

/* The work budget: a match that needs exactly the steps it is given
 * finishes with its answer and leaves none; one step fewer stops it with
 * -2, which is neither a match nor a non-match. */
START_TEST(work_budget_at_and_past_the_limit)
{
    static const struct {
        const char *pat, *text;
        int want;
    } cases[] = {
        {"curl.*", "curl -fsSL https://x | sh", 1},
        {".*curl.*\\|.*sh.*", "curl x | bash", 1},
        {"(.*a){20}.*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", 1},
        /* holds the 'b' every match needs, so the automaton runs */
        {"(.*a){20}.*b", "baaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0},
        {"abc", "xabc", 0},
        {"(a|b)*c", "abababcabababababx", 0}, /* holds the needed c */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        pe_region a = PE_REGION_INIT;
        ck_assert_int_eq(pe_region_init(&a, (size_t)64 << 20, 8), 0);
        char msg[300];
        const pe_regex *re = compile(&a, cases[i].pat, strlen(cases[i].pat), msg, sizeof(msg));
        ck_assert_msg(re != NULL, "%s: %s", cases[i].pat, msg);
        size_t len = strlen(cases[i].text);
        uint64_t work = UINT64_MAX;
        ck_assert_int_eq(pe_regex_match(a.base, re, cases[i].text, len, &work), cases[i].want);
        uint64_t used = UINT64_MAX - work;
        ck_assert_uint_gt(used, 0);
        work = used; /* just enough */
        ck_assert_msg(pe_regex_match(a.base, re, cases[i].text, len, &work) == cases[i].want, "%s",
                      cases[i].pat);
        ck_assert_uint_eq(work, 0);
        work = used - 1; /* one step short */
        ck_assert_msg(pe_regex_match(a.base, re, cases[i].text, len, &work) == -2, "%s",
                      cases[i].pat);
        ck_assert_uint_eq(work, 0);
        pe_region_free(&a);
    }
}
END_TEST

/* A text without a pattern's needed literal is answered "no match" before
 * the automaton runs: no step of the budget is used, even a budget of 0. */
START_TEST(a_missing_needed_literal_costs_no_work)
{
    pe_region a = PE_REGION_INIT;
    ck_assert_int_eq(pe_region_init(&a, (size_t)64 << 20, 8), 0);
    char msg[300];
    const char *pat = "(.*a){1000}.*/[.]ssh/.*";
    const pe_regex *re = compile(&a, pat, strlen(pat), msg, sizeof(msg));
    ck_assert_msg(re != NULL, "%s", msg);
    char *s = repeat('a', 1 << 20, "/.ssx/");
    uint64_t work = 0;
    ck_assert_int_eq(pe_regex_match(a.base, re, s, strlen(s), &work), 0);
    free(s);
    s = repeat('a', 1 << 20, "/.ssh/"); /* present: the automaton runs out */
    work = 1000;
    ck_assert_int_eq(pe_regex_match(a.base, re, s, strlen(s), &work), -2);
    free(s);
    /* a byte every match needs besides the literal: '@' */
    pat = "(.*a){1000}.*/[.]ssh/.*@.*";
    re = compile(&a, pat, strlen(pat), msg, sizeof(msg));
    ck_assert_msg(re != NULL, "%s", msg);
    s = repeat('a', 1 << 20, "/.ssh/x");
    work = 0;
    ck_assert_int_eq(pe_regex_match(a.base, re, s, strlen(s), &work), 0);
    free(s);
    pe_region_free(&a);
}
END_TEST

/* (.*a){1000}.*b costs thousands of steps per byte (7e9 for a megabyte of
 * 'a', about ten seconds): under a budget the match stops early and says
 * so (-2), never "no match". */
START_TEST(pathological_work_stops_at_the_budget)
{
    pe_region a = PE_REGION_INIT;
    ck_assert_int_eq(pe_region_init(&a, (size_t)64 << 20, 8), 0);
    char msg[300];
    const char *pat = "(.*a){1000}.*b";
    const pe_regex *re = compile(&a, pat, strlen(pat), msg, sizeof(msg));
    ck_assert_msg(re != NULL, "%s", msg);
    char *s = repeat('a', 1 << 20, "ba"); /* the needed 'b', not at the end */
    uint64_t work = 100000000; /* a tenth of max_regex_work's default */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ck_assert_int_eq(pe_regex_match(a.base, re, s, strlen(s), &work), -2);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ck_assert_uint_eq(work, 0);
    ck_assert_msg(t1.tv_sec - t0.tv_sec < 20, "the budget took too long to run out");
    free(s);
    pe_region_free(&a);
}
END_TEST

/* Programs above the stack buffer take the heap path; same answers. */
START_TEST(large_programs_match)
{
    pe_region a = PE_REGION_INIT;
    ck_assert_int_eq(pe_region_init(&a, (size_t)64 << 20, 8), 0);
    char msg[300];
    const char *pat = "(abcdefghi){100}";
    const pe_regex *re = compile(&a, pat, strlen(pat), msg, sizeof(msg));
    ck_assert_ptr_nonnull(re);
    ck_assert_uint_gt(pe_regex_size(re), 512);
    char buf[1000];
    for (int i = 0; i < 100; i++)
        memcpy(buf + 9 * i, "abcdefghi", 9);
    ck_assert_int_eq(pe_regex_match(a.base, re, buf, 900, NULL), 1);
    ck_assert_int_eq(pe_regex_match(a.base, re, buf, 899, NULL), 0);
    buf[450] = 'x';
    ck_assert_int_eq(pe_regex_match(a.base, re, buf, 900, NULL), 0);
    pe_region_free(&a);
}
END_TEST

/* Deep nesting is refused, not a stack overflow. */
START_TEST(nesting_is_bounded)
{
    size_t n = 5000;
    char *p = malloc(2 * n + 2);
    ck_assert_ptr_nonnull(p);
    memset(p, '(', n);
    p[n] = 'a';
    memset(p + n + 1, ')', n);
    p[2 * n + 1] = '\0';
    pe_region a = PE_REGION_INIT;
    ck_assert_int_eq(pe_region_init(&a, (size_t)64 << 20, 8), 0);
    char msg[300];
    ck_assert_ptr_null(compile(&a, p, 2 * n + 1, msg, sizeof(msg)));
    ck_assert_str_eq(msg, "expression nests too deeply");
    /* stacked operators collapse into one: no depth at all */
    char *stars = repeat('*', 20000, "");
    stars[0] = 'a';
    const pe_regex *re = compile(&a, stars, strlen(stars), msg, sizeof(msg));
    ck_assert_msg(re != NULL, "%s", msg);
    ck_assert_int_eq(pe_regex_match(a.base, re, "aaaa", 4, NULL), 1);
    /* stacked counts do not collapse: bounded by the nesting limit */
    char *counts = malloc(3 * 2000 + 2);
    ck_assert_ptr_nonnull(counts);
    counts[0] = 'a';
    for (int i = 0; i < 2000; i++)
        memcpy(counts + 1 + 3 * i, "{1}", 3);
    counts[1 + 3 * 2000] = '\0';
    ck_assert_ptr_null(compile(&a, counts, strlen(counts), msg, sizeof(msg)));
    ck_assert_str_eq(msg, "expression nests too deeply");
    pe_region_free(&a);
    free(counts);
    free(stars);
    free(p);
}
END_TEST

/* Falco's "could be a plain operator" hint. */
START_TEST(simpler_operator_hint)
{
    static const struct {
        const char *pat;
        int simple;
    } cases[] = {
        {"abc", 1},  {".*abc", 1}, {"abc.*", 1}, {".*abc.*", 1}, {"^abc$", 1}, {".+a.?", 1},
        {"", 1},     {"a.c", 0},   {".", 0},     {"abc.", 0},    {"a|b", 0},   {"a(b)", 0},
        {"[ab]", 0}, {"a\\.b", 0}, {"a{2}", 0},  {"^a.*b$", 0},  {"$a", 0},    {"a^", 0},
        {"..*", 0},  {".*", 1},    {"x.*.*", 0}, {"/etc/", 1},   {"a b", 1},   {"a+", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        ck_assert_msg(pe_regex_could_be_simpler(cases[i].pat, strlen(cases[i].pat)) ==
                          cases[i].simple,
                      "%s", cases[i].pat);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("regex");
    TCase *tc = tcase_create("regex");
    tcase_add_test(tc, regex_cases);
    tcase_add_test(tc, pathological_patterns_stay_linear);
    tcase_add_test(tc, large_programs_match);
    tcase_add_test(tc, work_budget_at_and_past_the_limit);
    tcase_add_test(tc, a_missing_needed_literal_costs_no_work);
    tcase_add_test(tc, pathological_work_stops_at_the_budget);
    tcase_add_test(tc, nesting_is_bounded);
    tcase_add_test(tc, simpler_operator_hint);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
