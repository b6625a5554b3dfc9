/*
 * Binding and checking conditions (Falco's "compile" step).
 */
#include "compile/compile.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compile/ops.h"
#include "compile/regex.h"
#include "prempti/error.h"

#define COMPILE_KIND "LOAD_ERR_COMPILE_CONDITION"
#define WARN_KIND "LOAD_COMPILE_CONDITION"

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static void report(pe_compile_ctx *c, int severity, const pe_cond_src *src, uint32_t pos,
                   const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (severity == PREMPTI_SEVERITY_ERROR)
        c->errors++;
    if (c->diag)
        c->diag(c->user, severity,
                severity == PREMPTI_SEVERITY_ERROR ? COMPILE_KIND : WARN_KIND, src, pos, msg);
}

static void *alloc(pe_compile_ctx *c, size_t n)
{
    void *p = pe_arena_alloc(c->arena, n);
    if (!p)
        c->oom = 1;
    return p;
}

/* Programs outlive the ASTs they come from: every string is copied. */
static int keep(pe_compile_ctx *c, const char *s, size_t len, pe_str *out)
{
    out->s = s ? pe_arena_strndup(c->arena, s, len) : NULL;
    out->len = len;
    if (s && !out->s) {
        c->oom = 1;
        return -1;
    }
    return 0;
}

static const char *type_name(pe_ftype t)
{
    switch (t) {
    case PE_FT_STRING:
        return "string";
    case PE_FT_U64:
        return "numeric";
    case PE_FT_BOOL:
        return "boolean";
    case PE_FT_LIST:
        return "list";
    }
    return "unknown";
}

static const char *type_spelling(pe_ftype t) /* Falco's names of field types */
{
    switch (t) {
    case PE_FT_STRING:
        return "string";
    case PE_FT_U64:
        return "uint64";
    case PE_FT_BOOL:
        return "bool";
    case PE_FT_LIST:
        return "list";
    }
    return "unknown";
}

/* ---- operands ---- */

static const struct {
    const char *name;
    pe_xform xf;
} xforms[] = {{"tolower", PE_XF_TOLOWER}, {"toupper", PE_XF_TOUPPER}, {"b64", PE_XF_B64},
              {"basename", PE_XF_BASENAME}, {"len", PE_XF_LEN},         {"join", PE_XF_JOIN},
              {"concat", PE_XF_CONCAT},     {"getopt", PE_XF_GETOPT}};

static int compile_expr(pe_compile_ctx *c, const pe_ast_expr *e, const pe_cond_src *src,
                        pe_operand *out);

static int compile_field(pe_compile_ctx *c, const pe_ast_expr *e, const pe_cond_src *src,
                         pe_operand *out)
{
    int id = pe_field_lookup(e->name, e->name_len);
    if (id < 0) {
        report(c, PREMPTI_SEVERITY_ERROR, src, e->pos,
               "filter_check called with nonexistent field %.*s", (int)e->name_len, e->name);
        return -1;
    }
    const pe_field_def *d = pe_field((pe_field_id)id);
    if (e->arg && d->arg == PE_ARG_NONE) {
        report(c, PREMPTI_SEVERITY_ERROR, src, e->pos,
               "filter error: field '%s' does not accept an argument", d->name);
        return -1;
    }
    if (!e->arg && d->arg == PE_ARG_REQUIRED) {
        report(c, PREMPTI_SEVERITY_ERROR, src, e->pos,
               "filter error: field '%s' requires an argument", d->name);
        return -1;
    }
    out->kind = PE_OPD_FIELD;
    out->type = d->type;
    out->field = (pe_field_id)id;
    pe_str arg;
    if (keep(c, e->arg, e->arg_len, &arg))
        return -1;
    out->arg = arg.s;
    out->arg_len = arg.len;
    return 0;
}

static void describe_expr(const pe_ast_expr *e, char *buf, size_t n)
{
    if (e->kind == PE_EXPR_FIELD)
        snprintf(buf, n, "%.*s", (int)e->name_len, e->name);
    else if (e->kind == PE_EXPR_TRANSFORM && e->nargs)
        describe_expr(e->args[0], buf, n);
    else
        snprintf(buf, n, "<literal>");
}

static int compile_xform(pe_compile_ctx *c, const pe_ast_expr *e, const pe_cond_src *src,
                         pe_operand *out)
{
    size_t k = 0;
    while (k < sizeof(xforms) / sizeof(xforms[0]) &&
           !(strlen(xforms[k].name) == e->name_len &&
             memcmp(xforms[k].name, e->name, e->name_len) == 0))
        k++;
    if (k == sizeof(xforms) / sizeof(xforms[0])) {
        report(c, PREMPTI_SEVERITY_ERROR, src, e->pos, "unknown transformer '%.*s'",
               (int)e->name_len, e->name);
        return -1;
    }
    pe_xform xf = xforms[k].xf;
    out->kind = PE_OPD_XFORM;
    out->xf = xf;
    out->nargs = e->nargs;
    out->args = alloc(c, (e->nargs ? e->nargs : 1) * sizeof(*out->args));
    if (!out->args)
        return -1;
    for (size_t i = 0; i < e->nargs; i++)
        if (compile_expr(c, e->args[i], src, &out->args[i]))
            return -1;
    int single = xf <= PE_XF_LEN;
    if (single) {
        if (e->nargs != 1 || out->args[0].kind == PE_OPD_CONST ||
            out->args[0].kind == PE_OPD_CONST_LIST) {
            report(c, PREMPTI_SEVERITY_ERROR, src, e->pos,
                   "filter error: transformer '%s' expects one field argument", xforms[k].name);
            return -1;
        }
        if (e->arg) {
            report(c, PREMPTI_SEVERITY_ERROR, src, e->pos,
                   "filter error: transformer '%s' does not support field arguments",
                   xforms[k].name);
            return -1;
        }
        pe_ftype in = out->args[0].type;
        int ok = xf == PE_XF_LEN ? (in == PE_FT_STRING || in == PE_FT_LIST) : in == PE_FT_STRING;
        if (!ok) {
            char what[128];
            describe_expr(e->args[0], what, sizeof(what));
            report(c, PREMPTI_SEVERITY_ERROR, src, e->pos,
                   "can't add field transformer: type '%s' is not supported by '%s' "
                   "transformer applied on field '%s'",
                   type_spelling(in), xforms[k].name, what);
            return -1;
        }
        out->type = xf == PE_XF_LEN ? PE_FT_U64 : PE_FT_STRING;
        return 0;
    }
    /* join / concat / getopt */
    if (xf == PE_XF_CONCAT) {
        if (e->nargs < 2) {
            report(c, PREMPTI_SEVERITY_ERROR, src, e->pos,
                   "filter error: transformer 'concat' expects at least two arguments");
            return -1;
        }
        for (size_t i = 0; i < e->nargs; i++)
            if (out->args[i].type != PE_FT_STRING) {
                report(c, PREMPTI_SEVERITY_ERROR, src, e->args[i]->pos,
                       "filter error: transformer 'concat' only accepts string arguments");
                return -1;
            }
        out->type = PE_FT_STRING;
        return 0;
    }
    if (xf == PE_XF_JOIN) {
        if (e->nargs != 2 || out->args[0].kind != PE_OPD_CONST ||
            (out->args[1].type != PE_FT_LIST && out->args[1].kind != PE_OPD_CONST_LIST)) {
            report(c, PREMPTI_SEVERITY_ERROR, src, e->pos,
                   "filter error: transformer 'join' expects a separator string and a list");
            return -1;
        }
        out->type = PE_FT_STRING;
        return 0;
    }
    /* getopt(list, "optstring")[c] */
    if (e->nargs != 2 || out->args[1].kind != PE_OPD_CONST ||
        (out->args[0].type != PE_FT_LIST && out->args[0].type != PE_FT_STRING)) {
        report(c, PREMPTI_SEVERITY_ERROR, src, e->pos,
               "filter error: transformer 'getopt' expects an argument list and an option "
               "string");
        return -1;
    }
    pe_str arg;
    if (keep(c, e->arg, e->arg_len, &arg))
        return -1;
    out->arg = arg.s;
    out->arg_len = arg.len;
    out->type = e->arg ? PE_FT_STRING : PE_FT_LIST;
    return 0;
}

static int compile_expr(pe_compile_ctx *c, const pe_ast_expr *e, const pe_cond_src *src,
                        pe_operand *out)
{
    memset(out, 0, sizeof(*out));
    switch (e->kind) {
    case PE_EXPR_FIELD:
        return compile_field(c, e, src, out);
    case PE_EXPR_TRANSFORM:
        return compile_xform(c, e, src, out);
    case PE_EXPR_LITERAL:
        out->kind = PE_OPD_CONST;
        out->type = PE_FT_STRING;
        return keep(c, e->lit.s, e->lit.len, &out->cval);
    case PE_EXPR_LIST: {
        out->kind = PE_OPD_CONST_LIST;
        out->type = PE_FT_LIST;
        pe_str *items = alloc(c, (e->nargs ? e->nargs : 1) * sizeof(*items));
        if (!items)
            return -1;
        for (size_t i = 0; i < e->nargs; i++) {
            if (e->args[i]->kind != PE_EXPR_LITERAL) {
                report(c, PREMPTI_SEVERITY_ERROR, src, e->args[i]->pos,
                       "filter error: only constant values are supported in transformer lists");
                return -1;
            }
            if (keep(c, e->args[i]->lit.s, e->args[i]->lit.len, &items[i]))
                return -1;
        }
        out->items = items;
        out->nitems = e->nargs;
        return 0;
    }
    }
    return -1;
}

int pe_compile_operand(pe_compile_ctx *c, const pe_ast_expr *e, const pe_cond_src *src,
                       pe_operand *out)
{
    return compile_expr(c, e, src, out);
}

/* ---- checks ---- */

static int op_allowed(pe_op op, pe_ftype t)
{
    switch (t) {
    case PE_FT_STRING:
        return op != PE_OP_BCONTAINS && op != PE_OP_BSTARTSWITH;
    case PE_FT_U64:
        return op == PE_OP_EQ || op == PE_OP_NE || op == PE_OP_LT || op == PE_OP_LE ||
               op == PE_OP_GT || op == PE_OP_GE || op == PE_OP_IN || op == PE_OP_INTERSECTS ||
               op == PE_OP_EXISTS;
    case PE_FT_BOOL:
        return op == PE_OP_EQ || op == PE_OP_NE || op == PE_OP_IN || op == PE_OP_INTERSECTS ||
               op == PE_OP_EXISTS;
    case PE_FT_LIST:
        return op == PE_OP_IN || op == PE_OP_INTERSECTS || op == PE_OP_EXISTS;
    }
    return 0;
}

/* Falco's integer parsing: plain decimal only ("-1" wraps, like sscanf %lu). */
static int parse_u64(const char *s, size_t len, uint64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    if (i == len)
        return -1;
    uint64_t v = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = neg ? (uint64_t)0 - v : v;
    return 0;
}

static int parse_literal_num(pe_compile_ctx *c, const pe_ast_node *n, pe_ftype t,
                             const pe_ast_lit *lit, uint64_t *out)
{
    if (t == PE_FT_BOOL) {
        if (lit->len == 4 && memcmp(lit->s, "true", 4) == 0)
            *out = 1;
        else if (lit->len == 5 && memcmp(lit->s, "false", 5) == 0)
            *out = 0;
        else {
            report(c, PREMPTI_SEVERITY_ERROR, n->src, lit->pos,
                   "filter error: unrecognized boolean value %.*s", (int)lit->len, lit->s);
            return -1;
        }
        return 0;
    }
    if (parse_u64(lit->s, lit->len, out)) {
        report(c, PREMPTI_SEVERITY_ERROR, n->src, lit->pos, "%.*s is not a valid number",
               (int)lit->len, lit->s);
        return -1;
    }
    return 0;
}

/* Falco warns when a literal looks like a field or a transformer call. */
static void warn_misused_literal(pe_compile_ctx *c, const pe_ast_node *n, const pe_ast_lit *lit)
{
    if (lit->quoted)
        return;
    if (pe_field_lookup(lit->s, lit->len) >= 0) {
        report(c, PREMPTI_SEVERITY_WARNING, n->src, lit->pos,
               "'%.*s' may be a valid field misused as a const string value", (int)lit->len,
               lit->s);
        return;
    }
    for (size_t k = 0; k < sizeof(xforms) / sizeof(xforms[0]); k++) {
        size_t l = strlen(xforms[k].name);
        if (lit->len > l + 1 && memcmp(lit->s, xforms[k].name, l) == 0 && lit->s[l] == '(') {
            report(c, PREMPTI_SEVERITY_WARNING, n->src, lit->pos,
                   "'%.*s' may be a valid field transformer misused as a const string value",
                   (int)lit->len, lit->s);
            return;
        }
    }
}

static const pe_check *compile_check(pe_compile_ctx *c, const pe_ast_node *n)
{
    pe_check *k = alloc(c, sizeof(*k));
    if (!k)
        return NULL;
    if (compile_expr(c, n->lhs, n->src, &k->lhs))
        return NULL;
    k->op = n->op;
    k->mod = n->mod;
    pe_ftype t = k->lhs.type;
    if (!op_allowed(n->op, t)) {
        report(c, PREMPTI_SEVERITY_ERROR, n->src, n->pos,
               "filter error: '%s' operator not supported for %s filters", n->op_text,
               type_name(t));
        return NULL;
    }
    if (n->mod != PE_MOD_NONE && t != PE_FT_STRING) {
        report(c, PREMPTI_SEVERITY_ERROR, n->src, n->pos,
               "filter error: '%s' operator modifiers are not supported for %s filters",
               n->op_text, type_name(t));
        return NULL;
    }
    if (n->rhs_kind == PE_RHS_NONE)
        return k;
    if (n->rhs_kind == PE_RHS_EXPR) {
        if (n->op == PE_OP_PMATCH || n->op == PE_OP_REGEX) {
            report(c, PREMPTI_SEVERITY_ERROR, n->src, n->rhs->pos,
                   "operator '%s' doesn't support right-hand side fields",
                   n->op == PE_OP_PMATCH ? "PMATCH" : "REGEX");
            return NULL;
        }
        pe_operand *r = alloc(c, sizeof(*r));
        if (!r || compile_expr(c, n->rhs, n->src, r))
            return NULL;
        pe_ftype want = (n->op == PE_OP_IN || n->op == PE_OP_INTERSECTS) && t != PE_FT_LIST
                            ? r->type
                            : t;
        if (r->type != want && !(r->type == PE_FT_LIST && (n->op == PE_OP_IN ||
                                                           n->op == PE_OP_INTERSECTS))) {
            char lhs[128], rhs[128];
            describe_expr(n->lhs, lhs, sizeof(lhs));
            describe_expr(n->rhs, rhs, sizeof(rhs));
            report(c, PREMPTI_SEVERITY_ERROR, n->src, n->rhs->pos,
                   "field '%s' has type '%s' while the right-hand side field '%s' has "
                   "incompatible type '%s'",
                   lhs, type_spelling(t), rhs, type_spelling(r->type));
            return NULL;
        }
        k->rhs = r;
        return k;
    }
    /* constant right-hand side */
    const pe_ast_lit *lits;
    size_t nlits;
    if (n->rhs_kind == PE_RHS_LIST) {
        lits = n->list;
        nlits = n->nlist;
    } else {
        lits = &n->value;
        nlits = 1;
    }
    pe_str *vals = alloc(c, (nlits ? nlits : 1) * sizeof(*vals));
    if (!vals)
        return NULL;
    for (size_t i = 0; i < nlits; i++) {
        if (keep(c, lits[i].s, lits[i].len, &vals[i]))
            return NULL;
        if (n->rhs_kind == PE_RHS_VALUE)
            warn_misused_literal(c, n, &lits[i]);
    }
    k->vals = vals;
    k->nvals = nlits;
    if (t == PE_FT_U64 || t == PE_FT_BOOL) {
        uint64_t *nums = alloc(c, (nlits ? nlits : 1) * sizeof(*nums));
        if (!nums)
            return NULL;
        for (size_t i = 0; i < nlits; i++)
            if (parse_literal_num(c, n, t, &lits[i], &nums[i]))
                return NULL;
        k->nums = nums;
        return k;
    }
    if (n->op == PE_OP_IN || n->op == PE_OP_INTERSECTS) {
        if (!(k->set = pe_strset_build(c->arena, vals, nlits)))
            c->oom = 1;
    } else if (n->op == PE_OP_PMATCH) {
        if (!(k->pm = pe_pmatch_build(c->arena, vals, nlits)))
            c->oom = 1;
    } else if (n->op == PE_OP_REGEX) {
        char msg[256];
        k->regex = pe_regex_compile(c->arena, vals[0].s, vals[0].len, msg, sizeof(msg));
        if (!k->regex) {
            report(c, PREMPTI_SEVERITY_ERROR, n->src, lits[0].pos, "invalid regex pattern: %s",
                   msg);
            return NULL;
        }
    }
    return c->oom ? NULL : k;
}

/* ---- nodes ---- */

#define MAX_MACRO_NESTING 512

static const pe_cnode *compile_node(pe_compile_ctx *c, const pe_ast_node *n, unsigned depth)
{
    if (depth > MAX_MACRO_NESTING) {
        report(c, PREMPTI_SEVERITY_ERROR, n->src, n->pos,
               "exceeded max depth limit of %u while expanding macros", MAX_MACRO_NESTING);
        return NULL;
    }
    pe_cnode *out = alloc(c, sizeof(*out));
    if (!out)
        return NULL;
    switch (n->kind) {
    case PE_AST_AND:
    case PE_AST_OR:
    case PE_AST_NOT: {
        out->kind = n->kind == PE_AST_AND ? PE_C_AND : n->kind == PE_AST_OR ? PE_C_OR : PE_C_NOT;
        const pe_cnode **kids = alloc(c, n->nkids * sizeof(*kids));
        if (!kids)
            return NULL;
        int failed = 0;
        for (size_t i = 0; i < n->nkids; i++) {
            kids[i] = compile_node(c, n->kids[i], depth + 1);
            failed |= kids[i] == NULL;
        }
        if (failed)
            return NULL;
        out->kids = kids;
        out->nkids = n->nkids;
        return out;
    }
    case PE_AST_CHECK:
        out->kind = PE_C_CHECK;
        out->check = compile_check(c, n);
        return out->check ? out : NULL;
    case PE_AST_MACRO:
        return compile_node(c, n->target, depth + 1);
    case PE_AST_IDENT: {
        char msg[300];
        snprintf(msg, sizeof(msg), "Undefined macro '%.*s' used in filter.", (int)n->ident_len,
                 n->ident);
        c->errors++;
        if (c->diag)
            c->diag(c->user, PREMPTI_SEVERITY_ERROR, "LOAD_ERR_VALIDATE", n->src, n->pos, msg);
        return NULL;
    }
    }
    return NULL;
}

const pe_cnode *pe_compile_condition(pe_compile_ctx *c, const pe_ast_node *ast)
{
    return compile_node(c, ast, 0);
}
