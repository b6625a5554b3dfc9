/*
 * Binding and checking conditions (Falco's "compile" step): the order of
 * the checks and their messages follow libsinsp's filter compiler, so a
 * condition Falco rejects at load time is rejected here with the same
 * words, at the offending token.
 */
#include "compile/compile.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "compile/diag.h"
#include "compile/ops.h"
#include "compile/regex.h"
#include "cond/parser.h"
#include "cond/print.h"
#include "util/aho.h"
#include "prempti/error.h"
#include "util/hash.h"
#include "util/mem.h"

#define ERR(c, src, pos, ...)                                                                      \
    pe_compile_report(c, PREMPTI_SEVERITY_ERROR, PE_KIND_COMPILE, src, pos, __VA_ARGS__)
#define WARN(c, src, pos, ...)                                                                     \
    pe_compile_report(c, PREMPTI_SEVERITY_WARNING, PE_KIND_WARNING, src, pos, __VA_ARGS__)

/* ---- operator / type compatibility (libsinsp's flt_is_comparable) ---- */

static int op_in(pe_op op, const pe_op *ops, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ops[i] == op)
            return 1;
    return 0;
}

/* NULL when op applies to values of type t, else what Falco says. */
static const char *op_type_error(pe_op op, pe_ftype t)
{
    static const pe_op numeric[] = {PE_OP_EQ, PE_OP_NE, PE_OP_LT, PE_OP_LE,
                                    PE_OP_GT, PE_OP_GE, PE_OP_IN, PE_OP_INTERSECTS};
    static const pe_op boolean[] = {PE_OP_EQ, PE_OP_NE, PE_OP_IN, PE_OP_INTERSECTS};
    /* string operators on a list test each element (an extension) */
    static const pe_op list[] = {
        PE_OP_IN,       PE_OP_INTERSECTS, PE_OP_CONTAINS, PE_OP_ICONTAINS, PE_OP_STARTSWITH,
        PE_OP_ENDSWITH, PE_OP_GLOB,       PE_OP_IGLOB,    PE_OP_REGEX,     PE_OP_PMATCH};
    if (op == PE_OP_EXISTS)
        return NULL;
    switch (t) {
    case PE_FT_STRING:
        return op == PE_OP_BCONTAINS || op == PE_OP_BSTARTSWITH ? "string filters" : NULL;
    case PE_FT_U64:
        return op_in(op, numeric, sizeof(numeric) / sizeof(numeric[0])) ? NULL : "numeric filters";
    case PE_FT_BOOL: /* Falco's message says "numeric" for booleans too */
        return op_in(op, boolean, sizeof(boolean) / sizeof(boolean[0])) ? NULL : "numeric filters";
    case PE_FT_LIST:
        return op_in(op, list, sizeof(list) / sizeof(list[0])) ? NULL : "list filters";
    }
    return "filters of this type";
}

/* ---- literals ---- */

/* libsinsp parses integers with sscanf("%lu%c"): optional leading white
 * space and sign ("-1" wraps), decimal digits, nothing after; a value too
 * large saturates. */
static int parse_u64(const char *s, size_t len, uint64_t *out)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)s[i]))
        i++;
    int neg = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    if (i == len || s[i] < '0' || s[i] > '9')
        return -1;
    uint64_t v = 0;
    int over = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            over = 1;
        v = over ? UINT64_MAX : v * 10 + d;
    }
    if (i != len)
        return -1;
    *out = over ? UINT64_MAX : neg ? (uint64_t)0 - v : v;
    return 0;
}

static int parse_value(pe_compile_ctx *c, const pe_ast_node *n, pe_ftype t, const pe_ast_lit *v,
                       uint64_t *out)
{
    if (t == PE_FT_BOOL) {
        if (v->len == 4 && memcmp(v->s, "true", 4) == 0)
            *out = 1;
        else if (v->len == 5 && memcmp(v->s, "false", 5) == 0)
            *out = 0;
        else {
            ERR(c, n->src, v->pos, "filter error: unrecognized boolean value %.*s", (int)v->len,
                v->s);
            return -1;
        }
        return 0;
    }
    if (parse_u64(v->s, v->len, out)) {
        ERR(c, n->src, v->pos, "%.*s is not a valid number", (int)v->len, v->s);
        return -1;
    }
    return 0;
}

/* Falco's hints about literals that were probably meant as something
 * else; checked on the value with its blanks removed. */
static void warn_literal(pe_compile_ctx *c, const pe_ast_node *n, const pe_ast_lit *v)
{
    if (n->op == PE_OP_REGEX && pe_regex_could_be_simpler(v->s, v->len))
        WARN(c, n->src, v->pos,
             "regex check with '%.*s' may be optimized with simpler operators such as '=', "
             "'contains', 'startswith', 'endswith'",
             (int)v->len, v->s);
    char buf[256];
    size_t k = 0;
    for (size_t i = 0; i < v->len && k < sizeof(buf); i++)
        if (!isspace((unsigned char)v->s[i]))
            buf[k++] = v->s[i];
    if (k == sizeof(buf) || k == 0)
        return; /* too long to be a field name or a transformer call */
    size_t name = 0;
    while (name < k && buf[name] != '[')
        name++;
    if (pe_field_lookup(buf, name) >= 0 && (name == k || buf[k - 1] == ']'))
        WARN(c, n->src, v->pos, "'%.*s' may be a valid field misused as a const string value",
             (int)v->len, v->s);
    size_t t = 0;
    while (t < k && buf[t] != '(')
        t++;
    if (t < k && k >= t + 2 && buf[k - 1] == ')' && pe_is_transformer_name(buf, t, 1))
        WARN(c, n->src, v->pos,
             "'%.*s' may be a valid field transformer misused as a const string value", (int)v->len,
             v->s);
}

/* ---- checks ---- */

static const char *operand_name(const pe_ast_expr *e, size_t *len)
{
    while (e->kind == PE_EXPR_TRANSFORM && e->nargs)
        e = e->args[0];
    *len = e->kind == PE_EXPR_FIELD ? e->name_len : 0;
    return e->kind == PE_EXPR_FIELD ? e->name : "";
}

/* val(field) or a transformer on the right-hand side. */
static int compile_rhs_operand(pe_compile_ctx *c, const pe_ast_node *n, pe_check *k)
{
    pe_operand *r = pe_compile_alloc(c, sizeof(*r));
    if (!r || pe_compile_operand(c, n->rhs, n->src, r))
        return -1;
    if (n->op == PE_OP_PMATCH || n->op == PE_OP_REGEX) {
        ERR(c, n->src, n->rhs_pos, "operator '%s' doesn't support right-hand side fields",
            n->op == PE_OP_PMATCH ? "PMATCH" : "REGEX");
        return -1;
    }
    /* a list against one string: its elements, one by one (an extension) */
    int elementwise = k->lhs.type == PE_FT_LIST && r->type == PE_FT_STRING;
    if (r->type != k->lhs.type && !elementwise) {
        size_t ll, rl;
        const char *lname = operand_name(n->lhs, &ll), *rname = operand_name(n->rhs, &rl);
        ERR(c, n->src, n->rhs_pos,
            "field '%.*s' has type '%s' while the right-hand side field '%.*s' has "
            "incompatible type '%s'",
            (int)ll, lname, pe_type_spelling((pe_ftype)k->lhs.type), (int)rl, rname,
            pe_type_spelling((pe_ftype)r->type));
        return -1;
    }
    k->rhs = pe_compile_ref(c, r);
    return 0;
}

/* The automaton of a check's regexes' needed texts (program.h), when there
 * are several (one pattern of several words counts):
 * a list of secret paths as regexes is then one scan of a path, not one
 * search per pattern. */
static int regex_literals(pe_compile_ctx *c, pe_check *k, const pe_ref *res)
{
    const unsigned char *base = c->region->base;
    size_t max = k->nvals * PE_REGEX_NEEDS_MAX;
    const char **pats = malloc(max * sizeof(*pats));
    size_t *lens = malloc(max * sizeof(*lens));
    /* first[i]..first[i+1]: regex i's patterns, after the nvals + 1 offsets
     * (built here, then copied into the region at its used size) */
    uint32_t *v = malloc((k->nvals + 1 + max) * sizeof(*v));
    size_t np = 0, nids = 0;
    int rc = pats && lens && v ? 0 : -1;
    for (size_t i = 0; !rc && i < k->nvals; i++) {
        pe_str needs[PE_REGEX_NEEDS_MAX];
        size_t n = pe_regex_needs(base, PE_AT(base, res[i], pe_regex), needs, PE_REGEX_NEEDS_MAX);
        v[i] = (uint32_t)nids;
        for (size_t m = 0; m < n; m++) {
            size_t j = 0;
            while (j < np && !(lens[j] == needs[m].len &&
                               memcmp(pats[j], needs[m].s, needs[m].len) == 0))
                j++;
            if (j == np) {
                pats[np] = needs[m].s;
                lens[np++] = needs[m].len;
            }
            v[k->nvals + 1 + nids++] = (uint32_t)j;
        }
    }
    if (!rc)
        v[k->nvals] = (uint32_t)nids;
    const pe_aho *aho = !rc && np > 1 ? pe_aho_build(c->region, pats, lens, np, 0) : NULL;
    size_t used = (k->nvals + 1 + nids) * sizeof(*v);
    uint32_t *kept = aho ? pe_compile_alloc(c, used) : NULL;
    if (kept)
        memcpy(kept, v, used);
    free(pats);
    free(lens);
    free(v);
    if (rc || (np > 1 && (!aho || !kept)))
        return pe_compile_failed(c);
    if (aho) {
        k->rx_aho = pe_compile_ref(c, aho);
        k->rx_pats = pe_compile_ref(c, kept);
    }
    return 0;
}

/* One regex program per value (modifiers compare against each). */
static int compile_regexes(pe_compile_ctx *c, const pe_ast_node *n, const pe_ast_lit *lits,
                           pe_check *k, const pe_rstr *vals)
{
    pe_ref *v = pe_compile_alloc(c, k->nvals * sizeof(*v));
    if (!v)
        return -1;
    for (size_t i = 0; i < k->nvals; i++) {
        char msg[300];
        pe_str val = pe_rstr_str(c->region->base, vals[i]);
        const pe_regex *re = pe_regex_compile(c->region, val.s, val.len, msg, sizeof(msg));
        if (!re) {
            if (strcmp(msg, PE_REGEX_NO_ROOM) == 0)
                return pe_compile_failed(c);
            ERR(c, n->src, lits[i].pos, "invalid regex pattern: %s", msg);
            return -1;
        }
        v[i] = pe_compile_ref(c, re);
    }
    k->regexes = pe_compile_ref(c, v);
    return regex_literals(c, k, v);
}

/* The structure an operator needs over the constants, if any. */
static int build_helper(pe_compile_ctx *c, const pe_ast_node *n, const pe_ast_lit *lits,
                        pe_check *k, const pe_rstr *vals)
{
    if (n->op == PE_OP_IN || n->op == PE_OP_INTERSECTS) {
        const pe_strset *set = pe_strset_build(c->region, k->vals, k->nvals);
        k->set = pe_compile_ref(c, set);
        return set ? 0 : pe_compile_failed(c);
    }
    if (n->op == PE_OP_PMATCH) {
        const pe_pmatch *pm = pe_pmatch_build(c->region, vals, k->nvals);
        k->pm = pe_compile_ref(c, pm);
        return pm ? 0 : pe_compile_failed(c);
    }
    if (n->op == PE_OP_REGEX)
        return compile_regexes(c, n, lits, k, vals);
    return 0;
}

/* Constant right-hand side: one value, an identifier, or a list. */
static int compile_constants(pe_compile_ctx *c, const pe_ast_node *n, pe_check *k)
{
    const pe_ast_lit *lits = n->rhs_kind == PE_RHS_LIST ? n->list : &n->value;
    size_t nlits = n->rhs_kind == PE_RHS_LIST ? n->nlist : 1;
    pe_rstr *vals = pe_compile_alloc(c, nlits * sizeof(*vals));
    if (!vals)
        return -1;
    for (size_t i = 0; i < nlits; i++) {
        warn_literal(c, n, &lits[i]);
        if (pe_compile_keep(c, lits[i].s, lits[i].len, &vals[i]))
            return -1;
    }
    pe_lint_values(c, n, k, lits, nlits);
    k->vals = pe_compile_ref(c, vals);
    k->nvals = (uint32_t)nlits;
    pe_ftype t = (pe_ftype)k->lhs.type;
    if (t == PE_FT_U64 || t == PE_FT_BOOL) {
        uint64_t *nums = pe_compile_alloc(c, nlits * sizeof(*nums));
        if (!nums)
            return -1;
        for (size_t i = 0; i < nlits; i++)
            if (parse_value(c, n, t, &lits[i], &nums[i]))
                return -1;
        k->nums = pe_compile_ref(c, nums);
        return 0;
    }
    return build_helper(c, n, lits, k, vals);
}

static const pe_check *compile_check(pe_compile_ctx *c, const pe_ast_node *n)
{
    pe_check *k = pe_compile_alloc(c, sizeof(*k));
    if (!k || pe_compile_operand(c, n->lhs, n->src, &k->lhs))
        return NULL;
    pe_lint_operand(c, n, &k->lhs, n->pos);
    k->op = (uint8_t)n->op;
    k->mod = (uint8_t)n->mod;
    const char *what = op_type_error(n->op, (pe_ftype)k->lhs.type);
    if (what) {
        /* "not supported list filters" is Falco's wording, missing "for" */
        ERR(c, n->src, n->op_pos, "filter error: '%s' operator not supported %s%s",
            pe_op_name(n->op), k->lhs.type == PE_FT_LIST ? "" : "for ", what);
        return NULL;
    }
    if (n->rhs_kind == PE_RHS_NONE)
        return k;
    if (n->rhs_kind == PE_RHS_EXPR)
        return compile_rhs_operand(c, n, k) ? NULL : k;
    return compile_constants(c, n, k) ? NULL : k;
}

/* ---- nodes ---- */

/* A check's canonical text, kept for explanations. */
static int check_label(pe_compile_ctx *c, const pe_ast_node *n, pe_rstr *out)
{
    pe_strbuf sb = PE_STRBUF_INIT;
    pe_ast_print(&sb, n);
    int rc = -1;
    if (pe_sb_failed(&sb))
        c->oom = 1;
    else
        rc = pe_compile_keep(c, pe_sb_str(&sb), sb.len, out);
    pe_sb_free(&sb);
    return rc;
}

#define MAX_NESTING 512

/* ---- shared macro bodies ---- */

/* A diagnostic given while a macro's body was compiled. */
typedef struct memo_diag {
    int severity;
    const char *kind; /* static */
    const pe_cond_src *src;
    uint32_t pos;
    const char *msg; /* in the memo's arena */
} memo_diag;

/* A macro reference compiled once: the PE_C_MACRO node, how many levels
 * its body nests (the nesting limit still applies at each use), and the
 * diagnostics to give again. */
typedef struct memo_entry {
    const pe_cnode *node;
    unsigned height;
    const memo_diag *diags;
    size_t ndiags;
} memo_entry;

struct pe_compile_memo {
    pe_hmap map;        /* address of the body's AST -> memo_entry */
    pe_arena arena;     /* entries, keys, messages */
    memo_diag *pending; /* given since the outermost macro compile began */
    size_t npending, cappending;
    unsigned open;    /* macro compiles under way */
    unsigned deepest; /* deepest level reached in them */
    int failed;       /* a note could not be kept: stop sharing */
};

pe_compile_memo *pe_compile_memo_new(void)
{
    return calloc(1, sizeof(pe_compile_memo));
}

void pe_compile_memo_free(pe_compile_memo *m)
{
    if (!m)
        return;
    pe_hmap_free(&m->map);
    pe_arena_free(&m->arena);
    free(m->pending);
    free(m);
}

void pe_compile_memo_note(pe_compile_memo *m, int severity, const char *kind,
                          const pe_cond_src *src, uint32_t pos, const char *msg)
{
    if (!m->open)
        return;
    memo_diag d = {severity, kind, src, pos, pe_arena_strndup(&m->arena, msg, strlen(msg))};
    if (!d.msg || PE_PUSH(m->pending, m->npending, m->cappending, d))
        m->failed = 1;
}

static const memo_entry *memo_find(const pe_compile_memo *m, const pe_ast_node *body)
{
    return m ? pe_hmap_get(&m->map, (const char *)&body, sizeof(body)) : NULL;
}

/* Keeps node as the compiled reference to body; its diagnostics are those
 * noted since pending index `from`. Failing to keep it only costs a new
 * compile at the next reference. */
static void memo_keep(pe_compile_memo *m, const pe_ast_node *body, const pe_cnode *node,
                      unsigned height, size_t from)
{
    memo_entry *e = pe_arena_alloc(&m->arena, sizeof(*e));
    const pe_ast_node **key = pe_arena_alloc(&m->arena, sizeof(*key));
    size_t n = m->npending - from;
    memo_diag *d = n ? pe_arena_memdup(&m->arena, m->pending + from, n * sizeof(*d)) : NULL;
    if (m->failed || !e || !key || (n && !d))
        return;
    *key = body;
    *e = (memo_entry){node, height, d, n};
    if (pe_hmap_put(&m->map, (const char *)key, sizeof(*key), e))
        m->failed = 1;
}

static const pe_cnode *compile_node(pe_compile_ctx *c, const pe_ast_node *n, unsigned depth);

/* A reference compiled before: its diagnostics again, then the node. */
static const pe_cnode *memo_reuse(pe_compile_ctx *c, const memo_entry *e, unsigned depth)
{
    for (size_t i = 0; i < e->ndiags; i++) {
        const memo_diag *d = &e->diags[i];
        pe_compile_report(c, d->severity, d->kind, d->src, d->pos, "%s", d->msg);
    }
    if (c->memo->deepest < depth + e->height)
        c->memo->deepest = depth + e->height;
    return e->node;
}

/* A new node over kids (offsets of nodes compiled before it, so that kids
 * always sit at lower offsets than their parent: images are checked so). */
static const pe_cnode *new_node(pe_compile_ctx *c, pe_cnode_kind kind, const pe_ref *kids,
                                size_t nkids)
{
    pe_ref *k = nkids ? pe_compile_alloc(c, nkids * sizeof(*k)) : NULL;
    pe_cnode *out = (nkids && !k) ? NULL : pe_compile_alloc(c, sizeof(*out));
    if (!out)
        return NULL;
    if (nkids)
        memcpy(k, kids, nkids * sizeof(*k));
    out->kind = (uint8_t)kind;
    out->nkids = (uint32_t)nkids;
    out->kids = pe_compile_ref(c, k);
    return out;
}

static const pe_cnode *compile_kids(pe_compile_ctx *c, const pe_ast_node *n, pe_cnode_kind kind,
                                    unsigned depth)
{
    pe_ref small[8], *kids = n->nkids <= 8 ? small : malloc(n->nkids * sizeof(*kids));
    const pe_cnode *out = NULL;
    size_t i = 0;
    if (!kids)
        c->oom = 1;
    for (; kids && i < n->nkids; i++) {
        const pe_cnode *k = compile_node(c, n->kids[i], depth + 1);
        if (!k)
            break;
        kids[i] = pe_compile_ref(c, k);
    }
    if (kids && i == n->nkids)
        out = new_node(c, kind, kids, n->nkids);
    if (kids != small)
        free(kids);
    return out;
}

static const pe_cnode *compile_macro_node(pe_compile_ctx *c, const pe_ast_node *n, unsigned depth)
{
    const pe_cnode *body = compile_node(c, n->target, depth + 1);
    if (!body)
        return NULL;
    pe_ref kid = pe_compile_ref(c, body);
    pe_cnode *out = (pe_cnode *)new_node(c, PE_C_MACRO, &kid, 1);
    if (!out || pe_compile_keep(c, n->ident, n->ident_len, &out->label))
        return NULL;
    return out;
}

/* A macro reference: compiled once per macro and shared when a memo is
 * given (reused only where its body still fits under the nesting limit;
 * elsewhere a new compile reports the error). */
static const pe_cnode *compile_macro(pe_compile_ctx *c, const pe_ast_node *n, unsigned depth)
{
    pe_compile_memo *m = c->memo;
    if (!m || m->failed)
        return compile_macro_node(c, n, depth);
    const memo_entry *e = memo_find(m, n->target);
    if (e && depth + e->height <= MAX_NESTING)
        return memo_reuse(c, e, depth);
    size_t from = m->npending;
    unsigned outer = m->deepest;
    m->deepest = depth;
    m->open++;
    const pe_cnode *node = compile_macro_node(c, n, depth);
    m->open--;
    if (node)
        memo_keep(m, n->target, node, m->deepest - depth, from);
    if (m->deepest < outer)
        m->deepest = outer;
    if (!m->open)
        m->npending = 0;
    return node;
}

static const pe_cnode *compile_leaf(pe_compile_ctx *c, const pe_ast_node *n)
{
    const pe_check *k = compile_check(c, n);
    pe_cnode *out = k ? (pe_cnode *)new_node(c, PE_C_CHECK, NULL, 0) : NULL;
    if (!out || check_label(c, n, &out->label))
        return NULL;
    out->check = pe_compile_ref(c, k);
    return out;
}

static const pe_cnode *compile_node(pe_compile_ctx *c, const pe_ast_node *n, unsigned depth)
{
    if (depth > MAX_NESTING) {
        ERR(c, n->src, n->pos,
            "condition nests too deeply: more than %u levels with its macros expanded",
            MAX_NESTING);
        return NULL;
    }
    if (c->memo && c->memo->deepest < depth)
        c->memo->deepest = depth;
    if (c->over)
        return NULL;
    switch (n->kind) {
    case PE_AST_AND:
        return compile_kids(c, n, PE_C_AND, depth);
    case PE_AST_OR:
        return compile_kids(c, n, PE_C_OR, depth);
    case PE_AST_NOT:
        return compile_kids(c, n, PE_C_NOT, depth);
    case PE_AST_CHECK:
        return compile_leaf(c, n);
    case PE_AST_MACRO:
        return compile_macro(c, n, depth);
    case PE_AST_IDENT:
        pe_compile_report(c, PREMPTI_SEVERITY_ERROR, PE_KIND_VALIDATE, n->src, n->pos,
                          "Undefined macro '%.*s' used in filter.", (int)n->ident_len, n->ident);
        return NULL;
    }
    return NULL;
}

const pe_cnode *pe_compile_condition(pe_compile_ctx *c, const pe_ast_node *ast)
{
    return compile_node(c, ast, 0);
}

const char *pe_cnode_label(const unsigned char *base, const pe_cnode *n)
{
    static const char *const fixed[PE_C_KIND_COUNT] = {[PE_C_AND] = "and",
                                                       [PE_C_OR] = "or",
                                                       [PE_C_NOT] = "not",
                                                       [PE_C_TRUE] = "true",
                                                       [PE_C_FALSE] = "false"};
    if (n->kind == PE_C_CHECK || n->kind == PE_C_MACRO)
        return pe_rstr_c(base, n->label);
    return n->kind < PE_C_KIND_COUNT ? fixed[n->kind] : "";
}

/* The node a printed child stands for: a macro is its body when expanded. */
static const pe_cnode *shown(const unsigned char *base, const pe_cnode *n, int expand)
{
    while (expand && n->kind == PE_C_MACRO)
        n = pe_cnode_kid(base, n, 0);
    return n;
}

void pe_cnode_print(pe_strbuf *sb, const unsigned char *base, const pe_cnode *n, int expand)
{
    n = shown(base, n, expand);
    switch (n->kind) {
    case PE_C_AND:
    case PE_C_OR:
        pe_sb_putc(sb, '(');
        for (uint32_t i = 0; i < n->nkids; i++) {
            if (i)
                pe_sb_puts(sb, n->kind == PE_C_AND ? " and " : " or ");
            pe_cnode_print(sb, base, pe_cnode_kid(base, n, i), expand);
        }
        pe_sb_putc(sb, ')');
        break;
    case PE_C_NOT: {
        /* "not not a" would read back as "a" */
        const pe_cnode *kid = pe_cnode_kid(base, n, 0);
        int inner = shown(base, kid, expand)->kind == PE_C_NOT;
        pe_sb_puts(sb, inner ? "not (" : "not ");
        pe_cnode_print(sb, base, kid, expand);
        if (inner)
            pe_sb_putc(sb, ')');
        break;
    }
    default: /* checks, macros by name, true, false */
        pe_sb_puts(sb, pe_cnode_label(base, n));
        break;
    }
}
