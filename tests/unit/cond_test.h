/*
 * Helpers shared by the condition-language suites (check_cond, check_eval,
 * check_output, check_regex): reading case values, compiling a condition
 * with the macros a case defines, and building events. Header-only so each
 * suite stays one executable; every function is static.
 *
 * Case keys understood here:
 *   cond / cond_esc      the condition (_esc: with C escapes \n \t \xHH ...)
 *   macro <name>         a macro the condition may reference
 *   payload              a full hook payload (JSON); otherwise one is built
 *                        from tool, input (JSON object) and cwd (an empty
 *                        tool input is avoided: the event stage's compact
 *                        JSON writer passes NULL to qsort for it)
 */
#ifndef PE_TEST_COND_TEST_H
#define PE_TEST_COND_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile/compile.h"
#include "cond/parser.h"
#include "cond/print.h"
#include "eval/eval.h"
#include "event/event_internal.h"
#include "test_util.h"

/* Decodes C escapes (\n \t \r \b \f \v \\ \" \0 \xHH); malloc'd. */
static inline char *ct_unescape(const char *s, size_t *len)
{
    size_t n = strlen(s), k = 0;
    char *d = malloc(n + 1);
    ck_assert_ptr_nonnull(d);
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 == n) {
            d[k++] = s[i];
            continue;
        }
        char e = s[++i];
        switch (e) {
        case 'n': d[k++] = '\n'; break;
        case 't': d[k++] = '\t'; break;
        case 'r': d[k++] = '\r'; break;
        case 'b': d[k++] = '\b'; break;
        case 'f': d[k++] = '\f'; break;
        case 'v': d[k++] = '\v'; break;
        case '0': d[k++] = '\0'; break;
        case 'x': {
            unsigned v = 0;
            ck_assert_msg(i + 2 < n && sscanf(s + i + 1, "%2x", &v) == 1, "bad \\x in %s", s);
            d[k++] = (char)v;
            i += 2;
            break;
        }
        default: d[k++] = e; break;
        }
    }
    d[k] = '\0';
    *len = k;
    return d;
}

/* The value of key, or of key_esc decoded; malloc'd, NULL when absent. */
static inline char *ct_get(const pe_case *c, const char *key, size_t *len)
{
    const char *v = pe_case_get(c, key);
    if (v) {
        *len = strlen(v);
        char *d = malloc(*len + 1);
        ck_assert_ptr_nonnull(d);
        memcpy(d, v, *len + 1);
        return d;
    }
    char k[64];
    snprintf(k, sizeof(k), "%s_esc", key);
    v = pe_case_get(c, k);
    return v ? ct_unescape(v, len) : NULL;
}

/* Calls fn(ctx, line, len) for each line of the case's key, then for each
 * line of key_esc with its C escapes decoded. */
static inline void ct_each_line(const pe_case *c, const char *key,
                                void (*fn)(void *ctx, const char *line, size_t len), void *ctx)
{
    for (int esc = 0; esc < 2; esc++) {
        char k[64];
        snprintf(k, sizeof(k), "%s%s", key, esc ? "_esc" : "");
        const char *v = pe_case_get(c, k);
        if (!v)
            continue;
        char *copy = strdup(v), *save = NULL;
        ck_assert_ptr_nonnull(copy);
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            size_t len = strlen(line);
            char *text = esc ? ct_unescape(line, &len) : line;
            fn(ctx, text, len);
            if (text != line)
                free(text);
        }
        free(copy);
    }
}

typedef struct ct_diag {
    int severity;
    char kind[64];
    uint32_t pos;
    char msg[512];
} ct_diag;

typedef struct ct_prog {
    pe_arena arena;   /* the AST */
    pe_region region; /* the compiled program */
    const pe_case *c;
    int parse_rc; /* pe_parse_condition's result */
    pe_parse_error perr;
    ct_diag diags[16];
    size_t ndiags;
    const pe_cnode *root;
    pe_ast_node *ast;
} ct_prog;

static inline void ct_on_diag(void *user, int severity, const char *kind, const pe_cond_src *src,
                       uint32_t pos, const char *msg)
{
    (void)src;
    ct_prog *p = user;
    if (p->ndiags == sizeof(p->diags) / sizeof(p->diags[0]))
        return;
    ct_diag *d = &p->diags[p->ndiags++];
    d->severity = severity;
    snprintf(d->kind, sizeof(d->kind), "%s", kind);
    d->pos = pos;
    snprintf(d->msg, sizeof(d->msg), "%s", msg);
}

/* Turns identifiers into links to the case's macros, as the loader does. */
static inline int ct_resolve(ct_prog *p, pe_ast_node *n, unsigned depth)
{
    ck_assert_msg(depth < 64, "macro loop in case at line %zu", p->c->line);
    if (n->kind == PE_AST_AND || n->kind == PE_AST_OR || n->kind == PE_AST_NOT) {
        for (size_t i = 0; i < n->nkids; i++)
            if (ct_resolve(p, n->kids[i], depth))
                return -1;
        return 0;
    }
    if (n->kind != PE_AST_IDENT)
        return 0;
    char key[128];
    snprintf(key, sizeof(key), "macro %.*s", (int)n->ident_len, n->ident);
    const char *text = pe_case_get(p->c, key);
    if (!text)
        return 0; /* stays undefined: the compiler reports it */
    pe_ast_node *ast;
    pe_parse_error perr;
    int rc = pe_parse_condition(&ast, text, strlen(text), NULL, 1000, &p->arena, &perr);
    ck_assert_msg(rc == 0, "line %zu: macro %s: %s", p->c->line, key, perr.message);
    if (ct_resolve(p, ast, depth + 1))
        return -1;
    n->kind = PE_AST_MACRO;
    n->target = ast;
    return 0;
}

/* Parses, resolves (with the case's macros) and compiles a condition.
 * Returns 0 when it compiled; the parse error or the diagnostics are in p
 * either way. */
static inline int ct_compile_text(ct_prog *p, const pe_case *c, const char *cond, size_t len)
{
    memset(p, 0, sizeof(*p));
    p->c = c;
    /* the AST refers to the text: keep a copy with it */
    const char *text = pe_arena_strndup(&p->arena, cond, len);
    ck_assert_ptr_nonnull(text);
    p->parse_rc = pe_parse_condition(&p->ast, text, len, NULL, 1000, &p->arena, &p->perr);
    if (p->parse_rc)
        return -1;
    ct_resolve(p, p->ast, 0);
    ck_assert_int_eq(pe_region_init(&p->region, (size_t)64 << 20, 8), 0);
    pe_compile_ctx cc = {&p->region, ct_on_diag, p, 0, 0, NULL, 0};
    p->root = pe_compile_condition(&cc, p->ast);
    ck_assert_msg(!cc.oom, "line %zu: out of memory", c->line);
    return p->root ? 0 : -1;
}

/* ct_compile_text() on the case's cond / cond_esc. */
static inline int ct_compile(ct_prog *p, const pe_case *c)
{
    size_t len;
    char *cond = ct_get(c, "cond", &len);
    ck_assert_msg(cond != NULL, "line %zu: no cond", c->line);
    int rc = ct_compile_text(p, c, cond, len);
    free(cond);
    return rc;
}

static inline void ct_free(ct_prog *p)
{
    pe_arena_free(&p->arena);
    pe_region_free(&p->region);
}

/* The case's event: its payload, or one built from tool/input/cwd. */
static inline prempti_event *ct_event(const pe_case *c)
{
    prempti_config *cfg = NULL;
    ck_assert_int_eq(prempti_config_new(&cfg, NULL), PREMPTI_OK);
    ck_assert_int_eq(prempti_config_set(cfg, "paths", "lexical", NULL), PREMPTI_OK);
    const char *payload = pe_case_get(c, "payload");
    char *built = NULL;
    if (!payload) {
        const char *tool = pe_case_get(c, "tool"), *input = pe_case_get(c, "input");
        const char *cwd = pe_case_get(c, "cwd");
        size_t n = 256 + strlen(tool ? tool : "") + strlen(input ? input : "") +
                   strlen(cwd ? cwd : "");
        built = malloc(n);
        ck_assert_ptr_nonnull(built);
        snprintf(built, n,
                 "{\"session_id\":\"s-1\",\"hook_event_name\":\"PreToolUse\","
                 "\"tool_name\":\"%s\",\"tool_input\":%s,\"cwd\":\"%s\"}",
                 tool ? tool : "Bash", input ? input : "{\"description\":\"x\"}",
                 cwd ? cwd : "/home/u/proj");
        payload = built;
    }
    prempti_event *ev = pe_test_event(payload, cfg);
    free(built);
    prempti_config_free(cfg);
    return ev;
}

/* Evaluates p's compiled condition on view 0 of ev: 1, 0 or < 0. */
static inline int ct_eval(const ct_prog *p, const prempti_event *ev)
{
    pe_arena scratch = PE_ARENA_INIT;
    pe_xctx *x = malloc(sizeof(*x));
    ck_assert_ptr_nonnull(x);
    pe_xctx_init(x, ev, &ev->views[0], &scratch);
    x->img = p->region.base;
    int r = pe_eval_cond(x, p->root);
    free(x);
    pe_arena_free(&scratch);
    return r;
}

#endif
