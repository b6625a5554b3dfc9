/*
 * Compiling operands: fields (bound to ids of the coding_agent field
 * table), transformers (type-checked the way libsinsp checks them, with its
 * messages), and the literal and list arguments of transformers.
 */
#include "compile/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "prempti/error.h"
#include "util/near.h"

void pe_compile_report(pe_compile_ctx *c, int severity, const char *kind, const pe_cond_src *src,
                       uint32_t pos, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (severity == PREMPTI_SEVERITY_ERROR)
        c->errors++;
    if (c->diag)
        c->diag(c->user, severity, kind, src, pos, msg);
    if (c->memo)
        pe_compile_memo_note(c->memo, severity, kind, src, pos, msg);
}

int pe_compile_failed(pe_compile_ctx *c)
{
    if (pe_region_full(c->region))
        c->over = 1;
    else
        c->oom = 1;
    return -1;
}

void *pe_compile_alloc(pe_compile_ctx *c, size_t n)
{
    void *p = pe_region_alloc(c->region, n ? n : 1);
    if (!p)
        pe_compile_failed(c);
    return p;
}

/* Programs outlive the ASTs they come from: every string is copied (a NULL
 * s stays "none", offset 0). */
int pe_compile_keep(pe_compile_ctx *c, const char *s, size_t len, pe_rstr *out)
{
    memset(out, 0, sizeof(*out));
    if (!s)
        return 0;
    if (pe_region_rstr(c->region, s, len, out))
        return pe_compile_failed(c);
    return 0;
}

const char *pe_type_spelling(pe_ftype t)
{
    switch (t) {
    case PE_FT_STRING:
        return "charbuf";
    case PE_FT_U64:
        return "uint64";
    case PE_FT_BOOL:
        return "bool";
    case PE_FT_LIST:
        return "charbuf (list)";
    }
    return "unknown";
}

#define ERR(c, src, pos, ...)                                                                      \
    pe_compile_report(c, PREMPTI_SEVERITY_ERROR, PE_KIND_COMPILE, src, pos, __VA_ARGS__)

static int compile_expr(pe_compile_ctx *c, const pe_ast_expr *e, const pe_cond_src *src,
                        pe_operand *out);

/* Copies the expression's [arg] into the operand. */
static int keep_arg(pe_compile_ctx *c, const pe_ast_expr *e, pe_operand *out)
{
    return pe_compile_keep(c, e->arg, e->arg_len, &out->arg);
}

/* An operand's arguments, in c's region. */
static const pe_operand *args_of(const pe_compile_ctx *c, const pe_operand *o)
{
    return PE_AT(c->region->base, o->args, pe_operand);
}

static int compile_field(pe_compile_ctx *c, const pe_ast_expr *e, const pe_cond_src *src,
                         pe_operand *out)
{
    int id = pe_field_lookup(e->name, e->name_len);
    if (id < 0) {
        /* Falco names the field with its argument, as its factory sees it;
         * the nearest field name follows as a hint */
        const char *near = NULL;
        unsigned dist = 0;
        for (int f = 0; f < PE_F_COUNT; f++)
            pe_near_consider(e->name, e->name_len, pe_field((pe_field_id)f)->name, &near, &dist);
        if (e->arg && e->arg_len)
            ERR(c, src, e->pos, "filter_check called with nonexistent field %.*s[%.*s]%s%s%s",
                (int)e->name_len, e->name, (int)e->arg_len, e->arg, near ? " (did you mean " : "",
                near ? near : "", near ? "?)" : "");
        else
            ERR(c, src, e->pos, "filter_check called with nonexistent field %.*s%s%s%s",
                (int)e->name_len, e->name, near ? " (did you mean " : "", near ? near : "",
                near ? "?)" : "");
        return -1;
    }
    const pe_field_def *d = pe_field((pe_field_id)id);
    if (e->arg && d->arg == PE_ARG_NONE) {
        ERR(c, src, e->pos, "filter error: field '%s' does not accept an argument", d->name);
        return -1;
    }
    if (!e->arg && d->arg == PE_ARG_REQUIRED) {
        ERR(c, src, e->pos, "filter error: field '%s' requires an argument", d->name);
        return -1;
    }
    out->kind = PE_OPD_FIELD;
    out->type = (uint8_t)d->type;
    out->field = (uint8_t)id;
    return keep_arg(c, e, out);
}

/* The field a transformer chain is applied on, as Falco names it in
 * messages: the innermost field of the first argument. */
static void base_name(const pe_ast_expr *e, const char **name, size_t *len)
{
    while (e->kind == PE_EXPR_TRANSFORM && e->nargs)
        e = e->args[0];
    if (e->kind == PE_EXPR_FIELD) {
        *name = e->name;
        *len = e->name_len;
    } else {
        *name = "";
        *len = 0;
    }
}

static const char *const xform_names[PE_XF_COUNT] = {
    [PE_XF_TOLOWER] = "tolower",   [PE_XF_TOUPPER] = "toupper", [PE_XF_B64] = "b64",
    [PE_XF_BASENAME] = "basename", [PE_XF_LEN] = "len",         [PE_XF_JOIN] = "join",
    [PE_XF_CONCAT] = "concat",     [PE_XF_GETOPT] = "getopt"};

static int lookup_xform(const pe_ast_expr *e, pe_xform *xf)
{
    for (int k = 0; k < PE_XF_COUNT; k++)
        if (strlen(xform_names[k]) == e->name_len &&
            memcmp(xform_names[k], e->name, e->name_len) == 0) {
            *xf = (pe_xform)k;
            return 0;
        }
    return -1;
}

/* tolower, toupper, b64, basename, len: one field-like argument. */
static int check_single(pe_compile_ctx *c, const pe_ast_expr *e, const pe_cond_src *src,
                        pe_operand *out)
{
    const char *name = xform_names[out->xf];
    if (e->nargs != 1) {
        ERR(c, src, e->pos, "filter error: transformer '%s' expects exactly one argument", name);
        return -1;
    }
    const pe_operand *args = args_of(c, out);
    if (args[0].kind == PE_OPD_CONST) {
        ERR(c, src, e->args[0]->pos,
            "filter error: transformer '%s' expects a field, a transformer or a list as "
            "argument",
            name);
        return -1;
    }
    if (e->arg) {
        ERR(c, src, e->pos, "filter error: transformer '%s' does not support field arguments",
            name);
        return -1;
    }
    pe_ftype in = (pe_ftype)args[0].type;
    int ok = in == PE_FT_STRING || in == PE_FT_LIST; /* charbuf, or a list of them */
    if (!ok) {
        const char *field;
        size_t flen;
        base_name(e, &field, &flen);
        ERR(c, src, e->pos,
            "can't add field transformer: type '%s' is not supported by '%s' transformer "
            "applied on field '%.*s'",
            pe_type_spelling(in), name, (int)flen, field);
        return -1;
    }
    out->type = (uint8_t)(out->xf == PE_XF_LEN ? PE_FT_U64 : in);
    return 0;
}

static int is_list(const pe_operand *o)
{
    return o->type == PE_FT_LIST;
}

/* join, concat and getopt, with libsinsp's multi-value transformer checks
 * and messages. */
static int check_multi(pe_compile_ctx *c, const pe_ast_expr *e, const pe_cond_src *src,
                       pe_operand *out)
{
    const pe_operand *a = args_of(c, out);
    size_t n = out->nargs;
    const char *msg = NULL;
    switch (out->xf) {
    case PE_XF_JOIN:
        if (n != 2)
            msg = "join() requires exactly 2 arguments: separator and list";
        else if (is_list(&a[0]))
            msg = "join() first argument (separator) must be a single value, not a list";
        else if (!is_list(&a[1]))
            msg = "join() second argument must be a list";
        else if (a[0].type != PE_FT_STRING)
            msg = "join() separator must be a string";
        out->type = PE_FT_STRING;
        break;
    case PE_XF_CONCAT:
        if (n < 2)
            msg = "concat() requires at least 2 arguments";
        for (size_t i = 0; !msg && i < n; i++)
            if (a[i].type != PE_FT_STRING)
                msg = "concat() arguments must be strings";
        out->type = PE_FT_STRING;
        break;
    default: /* getopt */
        if (n != 2)
            msg = "getopt() requires exactly 2 arguments: args list and optstring";
        else if (!is_list(&a[0]))
            msg = "getopt() first argument must be a list";
        else if (is_list(&a[1]))
            msg = "getopt() second argument (optstring) must be a single value";
        else if (a[1].type != PE_FT_STRING)
            msg = "getopt() arguments must be strings";
        else if (e->arg && e->arg_len != 1)
            msg = "getopt() field argument must be a single option character";
        out->type = e->arg ? PE_FT_STRING : PE_FT_LIST;
        break;
    }
    if (!msg && e->arg && out->xf != PE_XF_GETOPT) {
        ERR(c, src, e->pos, "transformer '%s' does not support field arguments",
            xform_names[out->xf]);
        return -1;
    }
    if (msg) {
        ERR(c, src, e->pos, "%s", msg);
        return -1;
    }
    return keep_arg(c, e, out);
}

static int compile_args(pe_compile_ctx *c, const pe_ast_expr *e, const pe_cond_src *src,
                        pe_operand *out)
{
    pe_operand *args = pe_compile_alloc(c, e->nargs * sizeof(*args));
    if (!args)
        return -1;
    out->nargs = (uint32_t)e->nargs;
    out->args = pe_compile_ref(c, args);
    for (size_t i = 0; i < e->nargs; i++)
        if (compile_expr(c, e->args[i], src, &args[i]))
            return -1;
    return 0;
}

static int compile_xform(pe_compile_ctx *c, const pe_ast_expr *e, const pe_cond_src *src,
                         pe_operand *out)
{
    pe_xform xf;
    if (lookup_xform(e, &xf)) { /* the parser only builds known names */
        ERR(c, src, e->pos, "filter error: unknown transformer '%.*s'", (int)e->name_len, e->name);
        return -1;
    }
    out->xf = (uint8_t)xf;
    out->kind = PE_OPD_XFORM;
    if (compile_args(c, e, src, out))
        return -1;
    return out->xf <= PE_XF_LEN ? check_single(c, e, src, out) : check_multi(c, e, src, out);
}

/* "(a, b.c, ...)": the values of its items, one list of strings. */
static int compile_list(pe_compile_ctx *c, const pe_ast_expr *e, const pe_cond_src *src,
                        pe_operand *out)
{
    out->kind = PE_OPD_LIST;
    out->type = PE_FT_LIST;
    if (compile_args(c, e, src, out))
        return -1;
    const pe_operand *args = args_of(c, out);
    for (size_t i = 0; i < out->nargs; i++)
        if (args[i].type != PE_FT_STRING && args[i].type != PE_FT_LIST) {
            ERR(c, src, e->args[i]->pos,
                "filter error: transformer list elements must be strings, not '%s'",
                pe_type_spelling((pe_ftype)args[i].type));
            return -1;
        }
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
        return pe_compile_keep(c, e->lit.s, e->lit.len, &out->cval);
    case PE_EXPR_LIST:
        return compile_list(c, e, src, out);
    }
    return -1;
}

int pe_compile_operand(pe_compile_ctx *c, const pe_ast_expr *e, const pe_cond_src *src,
                       pe_operand *out)
{
    return compile_expr(c, e, src, out);
}

/* ---- the same rules, for checking compiled data read back ---- */

static int all_args(const pe_operand *args, uint32_t n, int list_ok)
{
    for (uint32_t i = 0; i < n; i++)
        if (args[i].type != PE_FT_STRING && !(list_ok && args[i].type == PE_FT_LIST))
            return 0;
    return 1;
}

/* The type a transformer or list yields over args (of checked operands),
 * as the compiler derives it above; -1 when the compiler would have
 * refused the combination. */
static int derived_type(const pe_operand *o, const pe_operand *args, int has_arg)
{
    uint32_t n = o->nargs;
    if (o->kind == PE_OPD_LIST)
        return !has_arg && all_args(args, n, 1) ? PE_FT_LIST : -1;
    switch (o->xf) {
    case PE_XF_TOLOWER:
    case PE_XF_TOUPPER:
    case PE_XF_B64:
    case PE_XF_BASENAME:
    case PE_XF_LEN:
        if (n != 1 || has_arg || args[0].kind == PE_OPD_CONST || !all_args(args, 1, 1))
            return -1;
        return o->xf == PE_XF_LEN ? PE_FT_U64 : args[0].type;
    case PE_XF_JOIN:
        return n == 2 && !has_arg && args[0].type == PE_FT_STRING && args[1].type == PE_FT_LIST
                   ? PE_FT_STRING
                   : -1;
    case PE_XF_CONCAT:
        return n >= 2 && !has_arg && all_args(args, n, 0) ? PE_FT_STRING : -1;
    case PE_XF_GETOPT:
        if (n != 2 || args[0].type != PE_FT_LIST || args[1].type != PE_FT_STRING ||
            (has_arg && o->arg.len != 1))
            return -1;
        return has_arg ? PE_FT_STRING : PE_FT_LIST;
    default:
        return -1;
    }
}

int pe_operand_type_ok(const pe_operand *o, const pe_operand *args)
{
    int has_arg = o->arg.off != 0;
    switch (o->kind) {
    case PE_OPD_FIELD: {
        if (o->field >= PE_F_COUNT || o->nargs)
            return 0;
        const pe_field_def *d = pe_field((pe_field_id)o->field);
        return o->type == d->type && (has_arg || d->arg != PE_ARG_REQUIRED) &&
               (!has_arg || d->arg != PE_ARG_NONE);
    }
    case PE_OPD_CONST:
        return o->type == PE_FT_STRING && !o->nargs && !has_arg && o->cval.off;
    case PE_OPD_XFORM:
    case PE_OPD_LIST:
        return derived_type(o, args, has_arg) == (int)o->type;
    default:
        return 0;
    }
}
