/*
 * The condition language's front end, data-driven:
 *   tests/data/cond/parse.cases    condition -> canonical text, or the
 *                                  parser's exact message and byte offset
 *   tests/data/cond/compile.cases  condition -> the compiler's exact error
 *                                  (message, offset, kind) or warnings
 * A failure names the case's line in its file.
 */
#include <stdlib.h>
#include <string.h>

#include "cond_test.h"

/* Every failing case is reported, then the test fails once. */
static int failures;

#define EXPECT(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            failures++;                                                                            \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* The canonical text of an AST (malloc'd). */
static char *canonical(const pe_ast_node *ast)
{
    pe_strbuf sb = PE_STRBUF_INIT;
    pe_ast_print(&sb, ast);
    ck_assert(!pe_sb_failed(&sb));
    char *s = pe_sb_take(&sb);
    ck_assert_ptr_nonnull(s);
    return s;
}

/* Parses text; returns 0 and the canonical text, or -1 and the error. */
static int parse(const char *text, size_t len, unsigned depth, char **out, pe_parse_error *err)
{
    pe_arena a = PE_ARENA_INIT;
    pe_ast_node *ast = NULL;
    int rc = pe_parse_condition(&ast, text, len, NULL, depth, &a, err);
    ck_assert_int_ne(rc, -2);
    *out = rc == 0 ? canonical(ast) : NULL;
    pe_arena_free(&a);
    return rc;
}

static void check_parse_ok(const pe_case *c, const char *cond, size_t len, unsigned depth,
                           const char *want)
{
    char *got = NULL;
    pe_parse_error err;
    int rc = parse(cond, len, depth, &got, &err);
    EXPECT(rc == 0, "parse.cases:%zu: %s: unexpected error at %u: %s", c->line, cond, err.pos,
           err.message);
    EXPECT(strcmp(got, want) == 0, "parse.cases:%zu: %s: printed\n  %s\nwanted\n  %s", c->line,
           cond, got, want);
    /* the canonical text reads back as itself */
    char *again = NULL;
    rc = parse(got, strlen(got), 1000, &again, &err);
    EXPECT(rc == 0 && strcmp(again, got) == 0,
           "parse.cases:%zu: canonical text %s does not read back (%s)", c->line, got,
           rc ? err.message : again);
    free(again);
    free(got);
}

static void check_parse_error(const pe_case *c, const char *cond, size_t len, unsigned depth)
{
    char *got = NULL;
    pe_parse_error err;
    int rc = parse(cond, len, depth, &got, &err);
    EXPECT(rc == -1, "parse.cases:%zu: %s: parsed as %s, wanted an error", c->line, cond,
           got ? got : "?");
    const char *want = pe_case_get(c, "error"), *at = pe_case_get(c, "at");
    EXPECT(strcmp(err.message, want) == 0, "parse.cases:%zu: %s: message\n  %s\nwanted\n  %s",
           c->line, cond, err.message, want);
    EXPECT(at != NULL, "parse.cases:%zu: error without 'at'", c->line);
    EXPECT(err.pos == strtoul(at, NULL, 10), "parse.cases:%zu: %s: error at %u, wanted %s", c->line,
           cond, err.pos, at);
}

START_TEST(parse_cases)
{
    failures = 0;
    pe_cases cs = pe_cases_load(pe_test_data("cond/parse.cases"));
    size_t checked = 0;
    for (size_t i = 0; i < cs.count; i++) {
        const pe_case *c = &cs.items[i];
        const char *d = pe_case_get(c, "depth");
        unsigned depth = d ? (unsigned)strtoul(d, NULL, 10) : 1000;
        /* "same:" lines: conditions already in canonical form */
        const char *same = pe_case_get(c, "same");
        if (same) {
            char *copy = strdup(same);
            ck_assert_ptr_nonnull(copy);
            for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
                check_parse_ok(c, line, strlen(line), depth, line);
                checked++;
            }
            free(copy);
            continue;
        }
        size_t len;
        char *cond = ct_get(c, "cond", &len);
        ck_assert_msg(cond != NULL, "parse.cases:%zu: no cond", c->line);
        const char *ok = pe_case_get(c, "ok");
        if (ok)
            check_parse_ok(c, cond, len, depth, ok);
        else
            check_parse_error(c, cond, len, depth);
        free(cond);
        checked++;
    }
    printf("parse.cases: %zu conditions, %d failed\n", checked, failures);
    ck_assert_int_eq(failures, 0);
    ck_assert_uint_gt(checked, 100);
    pe_cases_free(&cs);
}
END_TEST

/* "<offset> <message>" lines of the case's key, compared with the
 * diagnostics of the given severity, in order. */
static void check_diags(const pe_case *c, const ct_prog *p, const char *key, int severity)
{
    const char *want = pe_case_get(c, key);
    char *copy = strdup(want ? want : "");
    ck_assert_ptr_nonnull(copy);
    size_t k = 0;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        while (k < p->ndiags && p->diags[k].severity != severity)
            k++;
        EXPECT(k < p->ndiags, "compile.cases:%zu: missing %s: %s", c->line, key, line);
        char *msg;
        unsigned long at = strtoul(line, &msg, 10);
        msg += *msg == ' ';
        EXPECT(strcmp(p->diags[k].msg, msg) == 0 && p->diags[k].pos == at,
               "compile.cases:%zu: %s\n  %u %s\nwanted\n  %s", c->line, key, p->diags[k].pos,
               p->diags[k].msg, line);
        k++;
    }
    for (; k < p->ndiags; k++)
        EXPECT(p->diags[k].severity != severity, "compile.cases:%zu: unexpected %s: %u %s", c->line,
               key, p->diags[k].pos, p->diags[k].msg);
    free(copy);
}

/* The compiled tree's canonical text, macros by name or expanded. */
static void check_compiled(const pe_case *c, const ct_prog *p, const char *key, int expand)
{
    const char *want = pe_case_get(c, key);
    if (!want)
        return;
    pe_strbuf sb = PE_STRBUF_INIT;
    pe_cnode_print(&sb, p->region.base, p->root, expand);
    if (strcmp(pe_sb_str(&sb), want) != 0) {
        failures++;
        fprintf(stderr, "compile.cases:%zu: %s\n  %s\nwanted\n  %s\n", c->line, key, pe_sb_str(&sb),
                want);
    }
    pe_sb_free(&sb);
}

static void check_compile_case(const pe_case *c)
{
    ct_prog p;
    int rc = ct_compile(&p, c);
    const char *error = pe_case_get(c, "error"), *kind = pe_case_get(c, "kind");
    if (p.parse_rc) {
        failures++;
        fprintf(stderr, "compile.cases:%zu: does not parse: %s\n", c->line, p.perr.message);
    } else if (error && rc == 0) {
        failures++;
        fprintf(stderr, "compile.cases:%zu: compiled, wanted: %s\n", c->line, error);
    } else if (!error && rc != 0) {
        failures++;
        fprintf(stderr, "compile.cases:%zu: %s\n", c->line, p.ndiags ? p.diags[0].msg : "?");
    } else {
        for (size_t i = 0; i < p.ndiags; i++)
            if (p.diags[i].severity == PREMPTI_SEVERITY_ERROR &&
                strcmp(p.diags[i].kind, kind ? kind : "LOAD_ERR_COMPILE_CONDITION") != 0) {
                failures++;
                fprintf(stderr, "compile.cases:%zu: kind %s\n", c->line, p.diags[i].kind);
            }
        check_diags(c, &p, "error", PREMPTI_SEVERITY_ERROR);
        check_diags(c, &p, "warn", PREMPTI_SEVERITY_WARNING);
        check_compiled(c, &p, "compiled", 0);
        check_compiled(c, &p, "expanded", 1);
    }
    ct_free(&p);
}

START_TEST(compile_cases)
{
    failures = 0;
    pe_cases cs = pe_cases_load(pe_test_data("cond/compile.cases"));
    for (size_t i = 0; i < cs.count; i++)
        check_compile_case(&cs.items[i]);
    printf("compile.cases: %zu conditions, %d failed\n", cs.count, failures);
    ck_assert_int_eq(failures, 0);
    pe_cases_free(&cs);
}
END_TEST

/* Falco's guard counts every grammar level: the limit is exact. */
START_TEST(depth_limit_is_exact)
{
    char buf[4096];
    for (unsigned levels = 190; levels < 210; levels++) {
        size_t n = 0;
        for (unsigned i = 0; i < levels; i++)
            buf[n++] = '(';
        buf[n++] = 'a';
        for (unsigned i = 0; i < levels; i++)
            buf[n++] = ')';
        char *got = NULL;
        pe_parse_error err;
        int rc = parse(buf, n, 1000, &got, &err);
        /* each '(' costs five levels (check, remainder, or, and, not) */
        if (5 * levels + 4 < 1000) {
            ck_assert_msg(rc == 0, "%u levels: %s", levels, err.message);
            ck_assert_str_eq(got, "a");
        } else {
            ck_assert_msg(rc == -1, "%u levels parsed", levels);
            ck_assert_str_eq(err.message, "exceeded max depth limit of 1000");
        }
        free(got);
    }
}
END_TEST

/* The printer's output always reads back, whatever bytes a value holds. */
START_TEST(values_print_and_read_back)
{
    for (int c = 1; c < 256; c++) {
        char cond[64];
        int n = snprintf(cond, sizeof(cond), "tool.name = \"a%cb\"", c);
        if (c == '"' || c == '\\')
            n = snprintf(cond, sizeof(cond), "tool.name = \"a\\%cb\"", c);
        char *got = NULL;
        pe_parse_error err;
        int rc = parse(cond, (size_t)n, 1000, &got, &err);
        ck_assert_msg(rc == 0, "byte %d: %s", c, err.message);
        char *again = NULL;
        rc = parse(got, strlen(got), 1000, &again, &err);
        ck_assert_msg(rc == 0 && strcmp(got, again) == 0, "byte %d: %s", c, got);
        free(got);
        free(again);
    }
}
END_TEST

/* The compiled tree's depth is bounded (it bounds the evaluator's
 * recursion), whatever the parser's limit allows. */
START_TEST(compile_depth_is_bounded)
{
    for (unsigned levels = 500; levels <= 600; levels += 100) {
        pe_strbuf sb = PE_STRBUF_INIT;
        for (unsigned i = 0; i < levels; i++)
            pe_sb_puts(&sb, "not (");
        pe_sb_puts(&sb, "tool.name = a");
        for (unsigned i = 0; i < levels; i++)
            pe_sb_putc(&sb, ')');
        ck_assert(!pe_sb_failed(&sb));
        pe_arena a = PE_ARENA_INIT;
        pe_region r = PE_REGION_INIT;
        ck_assert_int_eq(pe_region_init(&r, (size_t)64 << 20, 8), 0);
        pe_ast_node *ast;
        pe_parse_error err;
        ck_assert_int_eq(pe_parse_condition(&ast, pe_sb_str(&sb), sb.len, NULL, 10000, &a, &err),
                         0);
        ct_prog p = {0};
        pe_compile_ctx cc = {&r, ct_on_diag, &p, 0, 0, NULL, 0};
        const pe_cnode *root = pe_compile_condition(&cc, ast);
        if (levels == 500) {
            ck_assert_ptr_nonnull(root);
        } else {
            ck_assert_ptr_null(root);
            ck_assert_str_eq(p.diags[0].msg,
                             "condition nests too deeply: more than 512 levels with its macros "
                             "expanded");
        }
        pe_arena_free(&a);
        pe_region_free(&r);
        pe_sb_free(&sb);
    }
}
END_TEST

/* Every condition and output of upstream prempti's rule pack compiles,
 * with no compiler warning: the one warning of the load is Falco's own
 * unused-macro warning (the loader drives parser and compiler here). */
START_TEST(upstream_pack_compiles)
{
    if (!pe_test_have_compat("upstream_pack_compiles"))
        return;
    prempti_engine *e = NULL;
    prempti_error *err = NULL;
    ck_assert_int_eq(prempti_engine_new(&e, NULL, &err), PREMPTI_OK);
    /* the directory holds coding_agents_rules.yaml and seen.yaml */
    int rc = prempti_engine_load_rules_path(e, PREMPTI_COMPAT_DIR, &err);
    ck_assert_msg(rc == PREMPTI_OK, "%s", pe_test_errstr(err));
    ck_assert_uint_ge(prempti_engine_rule_count(e), 80);
    for (size_t i = 0; i < prempti_engine_rule_count(e); i++)
        ck_assert_msg(prempti_engine_rule_active(e, i), "%s", prempti_engine_rule_name(e, i));
    ck_assert_uint_eq(prempti_engine_warning_count(e), 1);
    const prempti_error *w = prempti_engine_warning(e, 0);
    ck_assert_str_eq(prempti_error_kind(w), "LOAD_UNUSED_MACRO");
    ck_assert_str_eq(prempti_error_item_name(w), "is_psh_service_stop");
    prempti_engine_free(e);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cond");
    TCase *tc = tcase_create("cond");
    tcase_add_test(tc, parse_cases);
    tcase_add_test(tc, compile_cases);
    tcase_add_test(tc, depth_limit_is_exact);
    tcase_add_test(tc, values_print_and_read_back);
    tcase_add_test(tc, upstream_pack_compiles);
    tcase_add_test(tc, compile_depth_is_bounded);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
