#include "eval/eval.h"

#include <string.h>

#include "compile/ops.h"
#include "compile/regex.h"
#include "prempti/common.h"
#include "util/strbuf.h"

/* ---- transformers ---- */

static int scratch_copy(pe_xctx *x, const char *s, size_t len, pe_value *out, char **data)
{
    char *d = pe_arena_strndup(x->scratch, s, len);
    if (!d)
        return PREMPTI_E_NOMEM;
    out->str.s = d;
    out->str.len = len;
    if (data)
        *data = d;
    return 1;
}

static int b64_value(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Decodes base64 (padding optional); 0 when the input is not base64. */
static int b64_decode(pe_xctx *x, const pe_str *in, pe_value *out)
{
    size_t len = in->len;
    while (len && in->s[len - 1] == '=')
        len--;
    if (in->len - len > 2 || len % 4 == 1)
        return 0;
    char *d = pe_arena_alloc(x->scratch, len / 4 * 3 + 3);
    if (!d)
        return PREMPTI_E_NOMEM;
    size_t n = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        int v = b64_value((unsigned char)in->s[i]);
        if (v < 0)
            return 0;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            d[n++] = (char)((acc >> bits) & 0xff);
        }
    }
    d[n] = '\0';
    out->str.s = d;
    out->str.len = n;
    return 1;
}

static int eval_xform(pe_xctx *x, const pe_operand *o, pe_value *out)
{
    pe_value a;
    int rc;
    switch (o->xf) {
    case PE_XF_TOLOWER:
    case PE_XF_TOUPPER: {
        if ((rc = pe_eval_operand(x, &o->args[0], &a)) <= 0)
            return rc;
        char *d;
        if ((rc = scratch_copy(x, a.str.s, a.str.len, out, &d)) < 0)
            return rc;
        for (size_t i = 0; i < a.str.len; i++) {
            char c = d[i];
            if (o->xf == PE_XF_TOLOWER && c >= 'A' && c <= 'Z')
                d[i] = (char)(c + 32);
            else if (o->xf == PE_XF_TOUPPER && c >= 'a' && c <= 'z')
                d[i] = (char)(c - 32);
        }
        return 1;
    }
    case PE_XF_B64:
        if ((rc = pe_eval_operand(x, &o->args[0], &a)) <= 0)
            return rc;
        return b64_decode(x, &a.str, out);
    case PE_XF_BASENAME: {
        if ((rc = pe_eval_operand(x, &o->args[0], &a)) <= 0)
            return rc;
        size_t i = a.str.len;
        while (i > 0 && a.str.s[i - 1] != '/')
            i--;
        out->str.s = a.str.s + i;
        out->str.len = a.str.len - i;
        return 1;
    }
    case PE_XF_LEN:
        if ((rc = pe_eval_operand(x, &o->args[0], &a)) <= 0)
            return rc;
        out->num = o->args[0].type == PE_FT_LIST ? a.nitems : a.str.len;
        return 1;
    case PE_XF_CONCAT: {
        pe_strbuf sb = PE_STRBUF_INIT;
        for (size_t i = 0; i < o->nargs; i++) {
            if ((rc = pe_eval_operand(x, &o->args[i], &a)) <= 0) {
                pe_sb_free(&sb);
                return rc;
            }
            pe_sb_append(&sb, a.str.s, a.str.len);
        }
        rc = pe_sb_failed(&sb) ? PREMPTI_E_NOMEM : scratch_copy(x, pe_sb_str(&sb), sb.len, out, NULL);
        pe_sb_free(&sb);
        return rc;
    }
    case PE_XF_JOIN: {
        pe_value sep;
        if ((rc = pe_eval_operand(x, &o->args[0], &sep)) <= 0 ||
            (rc = pe_eval_operand(x, &o->args[1], &a)) <= 0)
            return rc;
        pe_strbuf sb = PE_STRBUF_INIT;
        for (size_t i = 0; i < a.nitems; i++) {
            if (i)
                pe_sb_append(&sb, sep.str.s, sep.str.len);
            pe_sb_append(&sb, a.items[i].s, a.items[i].len);
        }
        rc = pe_sb_failed(&sb) ? PREMPTI_E_NOMEM : scratch_copy(x, pe_sb_str(&sb), sb.len, out, NULL);
        pe_sb_free(&sb);
        return rc;
    }
    case PE_XF_GETOPT:
    case PE_XF_COUNT:
        break;
    }
    return 0;
}

int pe_eval_operand(pe_xctx *x, const pe_operand *o, pe_value *out)
{
    memset(out, 0, sizeof(*out));
    switch (o->kind) {
    case PE_OPD_FIELD:
        return pe_extract(x, o->field, o->arg, o->arg_len, out);
    case PE_OPD_XFORM:
        return eval_xform(x, o, out);
    case PE_OPD_CONST:
        out->str = o->cval;
        return 1;
    case PE_OPD_CONST_LIST:
        out->items = o->items;
        out->nitems = o->nitems;
        return 1;
    }
    return 0;
}

/* ---- checks ---- */

static int num_op(pe_op op, uint64_t a, uint64_t b)
{
    switch (op) {
    case PE_OP_EQ:
        return a == b;
    case PE_OP_NE:
        return a != b;
    case PE_OP_LT:
        return a < b;
    case PE_OP_LE:
        return a <= b;
    case PE_OP_GT:
        return a > b;
    case PE_OP_GE:
        return a >= b;
    default:
        return 0;
    }
}

/* A string value against one constant, for every string operator. */
static int str_check(const pe_check *k, const pe_str *v, size_t i)
{
    switch (k->op) {
    case PE_OP_REGEX:
        return pe_regex_match(k->regex, v->s, v->len) == 1;
    default:
        return pe_str_op(k->op, v->s, v->len, k->vals[i].s, k->vals[i].len);
    }
}

static int modifier_check(const pe_check *k, const pe_str *v)
{
    size_t hits = 0;
    for (size_t i = 0; i < k->nvals; i++) {
        if (str_check(k, v, i)) {
            hits++;
            if (k->mod == PE_MOD_ANYOF)
                return 1;
        } else if (k->mod == PE_MOD_ALLOF) {
            return 0;
        }
    }
    if (k->mod == PE_MOD_ONEOF)
        return hits == 1;
    return k->mod == PE_MOD_ALLOF ? k->nvals > 0 : 0;
}

static int const_check(const pe_check *k, const pe_value *v)
{
    pe_ftype t = k->lhs.type;
    if (t == PE_FT_LIST) {
        if (k->op == PE_OP_IN) {
            for (size_t i = 0; i < v->nitems; i++)
                if (!pe_strset_has(k->set, v->items[i].s, v->items[i].len))
                    return 0;
            return 1;
        }
        for (size_t i = 0; i < v->nitems; i++)
            if (pe_strset_has(k->set, v->items[i].s, v->items[i].len))
                return 1;
        return 0;
    }
    if (t == PE_FT_U64 || t == PE_FT_BOOL) {
        if (k->op == PE_OP_IN || k->op == PE_OP_INTERSECTS) {
            for (size_t i = 0; i < k->nvals; i++)
                if (v->num == k->nums[i])
                    return 1;
            return 0;
        }
        return num_op(k->op, v->num, k->nums[0]);
    }
    if (k->mod != PE_MOD_NONE)
        return modifier_check(k, &v->str);
    switch (k->op) {
    case PE_OP_IN:
    case PE_OP_INTERSECTS:
        return pe_strset_has(k->set, v->str.s, v->str.len);
    case PE_OP_PMATCH:
        return pe_pmatch_match(k->pm, v->str.s, v->str.len);
    default:
        return str_check(k, &v->str, 0);
    }
}

/* Right-hand side read from the event (val() or a transformer). */
static int field_check(pe_xctx *x, const pe_check *k, const pe_value *v)
{
    pe_value r;
    int rc = pe_eval_operand(x, k->rhs, &r);
    if (rc <= 0)
        return rc;
    pe_ftype t = k->lhs.type;
    if (k->rhs->type == PE_FT_LIST) {
        for (size_t i = 0; i < r.nitems; i++) {
            int eq = t == PE_FT_STRING && v->str.len == r.items[i].len &&
                     memcmp(v->str.s, r.items[i].s, v->str.len) == 0;
            if (eq)
                return 1;
        }
        return 0;
    }
    if (t == PE_FT_U64 || t == PE_FT_BOOL) {
        pe_op op = k->op == PE_OP_IN || k->op == PE_OP_INTERSECTS ? PE_OP_EQ : k->op;
        return num_op(op, v->num, r.num);
    }
    pe_op op = k->op == PE_OP_IN || k->op == PE_OP_INTERSECTS ? PE_OP_EQ : k->op;
    return pe_str_op(op, v->str.s, v->str.len, r.str.s, r.str.len);
}

static int eval_check(pe_xctx *x, const pe_check *k)
{
    pe_value v;
    int rc = pe_eval_operand(x, &k->lhs, &v);
    if (rc <= 0)
        return rc; /* an absent value makes every check false */
    if (k->op == PE_OP_EXISTS)
        return 1;
    if (k->rhs)
        return field_check(x, k, &v);
    return const_check(k, &v);
}

int pe_eval_cond(pe_xctx *x, const pe_cnode *n)
{
    int r;
    switch (n->kind) {
    case PE_C_AND:
        for (size_t i = 0; i < n->nkids; i++)
            if ((r = pe_eval_cond(x, n->kids[i])) <= 0)
                return r;
        return 1;
    case PE_C_OR:
        for (size_t i = 0; i < n->nkids; i++)
            if ((r = pe_eval_cond(x, n->kids[i])) != 0)
                return r;
        return 0;
    case PE_C_NOT:
        r = pe_eval_cond(x, n->kids[0]);
        return r < 0 ? r : !r;
    case PE_C_CHECK:
        return eval_check(x, n->check);
    case PE_C_TRUE:
        return 1;
    case PE_C_FALSE:
        return 0;
    }
    return PREMPTI_E_INTERNAL;
}
