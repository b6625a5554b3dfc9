#include "eval/eval.h"

#include <string.h>

#include "compile/ops.h"
#include "compile/regex.h"
#include "eval/prefilter.h"
#include "eval/xform.h"
#include "prempti/common.h"
#include "util/aho.h"
#include "util/hash.h"

int pe_eval_operand(pe_xctx *x, const pe_operand *o, pe_value *out)
{
    memset(out, 0, sizeof(*out));
    switch (o->kind) {
    case PE_OPD_FIELD: {
        pe_str arg = pe_rstr_str(x->img, o->arg);
        return pe_extract(x, (pe_field_id)o->field, arg.s, arg.len, out);
    }
    case PE_OPD_XFORM:
        return pe_eval_xform(x, o, out);
    case PE_OPD_CONST:
        out->str = pe_rstr_str(x->img, o->cval);
        return 1;
    case PE_OPD_LIST:
        return pe_eval_list(x, o, out);
    }
    return PREMPTI_E_INTERNAL;
}

/* ---- scalar comparisons ---- */

static int num_op(pe_op op, uint64_t a, uint64_t b)
{
    switch (op) {
    case PE_OP_EQ:
    case PE_OP_IN:
    case PE_OP_INTERSECTS:
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

/* A string against constant i: 1, 0, or < 0 when a large regex program
 * could not get its state memory, the evaluation's regex work ran out (a
 * match that cannot finish is an error, never a non-match), or the index
 * could not scan. */
static int str_const(pe_xctx *x, const pe_check *k, const pe_str *v, size_t i)
{
    if (k->lit_ids && x->lits)
        return pe_lits_answer(x, k, i); /* one scan of the field answers them all */
    if (k->op == PE_OP_REGEX) {
        const pe_regex *re = PE_AT(x->img, PE_AT(x->img, k->regexes, pe_ref)[i], pe_regex);
        int r = pe_regex_match(x->img, re, v->s, v->len, x->regex_work);
        return r == -2 ? PREMPTI_E_LIMIT : r < 0 ? PREMPTI_E_NOMEM : r;
    }
    pe_str lit = pe_rstr_str(x->img, PE_AT(x->img, k->vals, pe_rstr)[i]);
    return pe_str_op((pe_op)k->op, v->s, v->len, lit.s, lit.len);
}

/* Which of a check's regexes can match v: the bits of the needed literals
 * found in one scan (program.h), in local (nlocal words) when it is large
 * enough. NULL when out of scratch memory. */
static const uint64_t *regex_literals(pe_xctx *x, const pe_check *k, const pe_str *v,
                                      uint64_t *local, size_t nlocal)
{
    const pe_aho *aho = PE_AT(x->img, k->rx_aho, pe_aho);
    size_t words = pe_aho_seen_words(aho) + 1;
    uint64_t *seen =
        words <= nlocal ? local : pe_arena_alloc(x->scratch, words * sizeof(*seen));
    if (seen) {
        memset(seen, 0, words * sizeof(*seen));
        pe_aho_scan(x->img, aho, NULL, v->s, v->len, seen, NULL, NULL);
    }
    return seen;
}

/* Whether regex i of k can match a value whose needed texts found are seen. */
static int regex_can_match(const pe_check *k, const uint32_t *pats, const uint64_t *seen, size_t i)
{
    const uint32_t *ids = pats + k->nvals + 1;
    if (pats[i] == pats[i + 1])
        return 1; /* nothing it needs is known */
    for (uint32_t j = pats[i]; j < pats[i + 1]; j++)
        if (seen[ids[j] >> 6] >> (ids[j] & 63) & 1)
            return 1;
    return 0;
}

/* oneof / anyof / allof over the constants; an empty list is false. */
static int modifier(pe_xctx *x, const pe_check *k, const pe_value *v)
{
    size_t hits = 0;
    int numeric = k->lhs.type == PE_FT_U64 || k->lhs.type == PE_FT_BOOL;
    const uint64_t *nums = PE_AT(x->img, k->nums, uint64_t);
    uint64_t local[8];
    const uint64_t *seen = NULL;
    const uint32_t *pats = NULL;
    if (k->op == PE_OP_REGEX && k->rx_aho && !numeric) {
        if (!(seen = regex_literals(x, k, &v->str, local, 8)))
            return PREMPTI_E_NOMEM;
        pats = PE_AT(x->img, k->rx_pats, uint32_t);
    }
    for (size_t i = 0; i < k->nvals; i++) {
        int r;
        if (pats && !regex_can_match(k, pats, seen, i))
            r = 0; /* none of its needed texts is there */
        else
            r = numeric ? num_op((pe_op)k->op, v->num, nums[i]) : str_const(x, k, &v->str, i);
        if (r < 0)
            return r;
        hits += (size_t)r;
        if (r && k->mod == PE_MOD_ANYOF)
            return 1;
        if (!r && k->mod == PE_MOD_ALLOF)
            return 0;
        if (hits > 1 && k->mod == PE_MOD_ONEOF)
            return 0;
    }
    return k->mod == PE_MOD_ALLOF ? k->nvals > 0 : hits == 1 && k->mod == PE_MOD_ONEOF;
}

/* in: every element is in the set (an empty list is "in" anything);
 * intersects: at least one is. */
static int list_in_set(const pe_xctx *x, const pe_check *k, const pe_value *v)
{
    int all = k->op == PE_OP_IN;
    const pe_strset *set = PE_AT(x->img, k->set, pe_strset);
    for (size_t i = 0; i < v->nitems; i++) {
        int has = pe_strset_has(x->img, set, v->items[i].s, v->items[i].len);
        if (has != all)
            return has;
    }
    return all;
}

static int const_check(pe_xctx *x, const pe_check *k, const pe_value *v);

/* A string operator on a list field holds when it holds for one element
 * (a libprempti extension: Falco allows only in and intersects there). */
static int any_element(pe_xctx *x, const pe_check *k, const pe_value *v)
{
    pe_check one = *k;
    one.lhs.type = PE_FT_STRING;
    for (size_t i = 0; i < v->nitems; i++) {
        pe_value e = {0};
        e.str = v->items[i];
        int r = const_check(x, &one, &e);
        if (r)
            return r;
    }
    return 0;
}

static int const_check(pe_xctx *x, const pe_check *k, const pe_value *v)
{
    pe_ftype t = (pe_ftype)k->lhs.type;
    if (t == PE_FT_LIST)
        return k->op == PE_OP_IN || k->op == PE_OP_INTERSECTS ? list_in_set(x, k, v)
                                                              : any_element(x, k, v);
    if (k->mod != PE_MOD_NONE)
        return modifier(x, k, v);
    if (t == PE_FT_U64 || t == PE_FT_BOOL) {
        const uint64_t *nums = PE_AT(x->img, k->nums, uint64_t);
        if (k->op == PE_OP_IN || k->op == PE_OP_INTERSECTS) {
            for (size_t i = 0; i < k->nvals; i++)
                if (v->num == nums[i])
                    return 1;
            return 0;
        }
        return num_op((pe_op)k->op, v->num, nums[0]);
    }
    switch (k->op) {
    case PE_OP_IN:
    case PE_OP_INTERSECTS:
        return pe_strset_has(x->img, PE_AT(x->img, k->set, pe_strset), v->str.s, v->str.len);
    case PE_OP_PMATCH:
        return pe_pmatch_match(x->img, PE_AT(x->img, k->pm, pe_pmatch), v->str.s, v->str.len);
    case PE_OP_REGEX:
        if (k->rx_aho) { /* one pattern of several words: is one of them there? */
            uint64_t local[8];
            const uint64_t *seen = regex_literals(x, k, &v->str, local, 8);
            if (!seen)
                return PREMPTI_E_NOMEM;
            if (!regex_can_match(k, PE_AT(x->img, k->rx_pats, uint32_t), seen, 0))
                return 0;
        }
        return str_const(x, k, &v->str, 0);
    default:
        return str_const(x, k, &v->str, 0);
    }
}

/* ---- right-hand side from the event ---- */

static int str_eq(const pe_str *a, const pe_str *b)
{
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* Membership of a in the list b; a hash set in scratch memory when the
 * product of the sizes could make a scan slow. */
static int lists_check(pe_xctx *x, pe_op op, const pe_value *a, const pe_value *b)
{
    int all = op == PE_OP_IN;
    if (a->nitems * b->nitems <= 4096) {
        for (size_t i = 0; i < a->nitems; i++) {
            int has = 0;
            for (size_t j = 0; j < b->nitems && !has; j++)
                has = str_eq(&a->items[i], &b->items[j]);
            if (has != all)
                return has;
        }
        return all;
    }
    pe_hmap m = PE_HMAP_INIT;
    int rc = all;
    for (size_t j = 0; j < b->nitems; j++)
        if (pe_hmap_put(&m, b->items[j].s, b->items[j].len, x)) {
            pe_hmap_free(&m);
            return PREMPTI_E_NOMEM;
        }
    for (size_t i = 0; i < a->nitems; i++) {
        void *unused;
        int has = pe_hmap_find(&m, a->items[i].s, a->items[i].len, &unused);
        if (has != all) {
            rc = has;
            break;
        }
    }
    pe_hmap_free(&m);
    return rc;
}

/* val(field) or a transformer: both sides have the same type (checked at
 * compile time); in and intersects compare for equality. */
static int field_check(pe_xctx *x, const pe_check *k, const pe_value *v)
{
    pe_value r;
    const pe_operand *rhs = PE_PTR(x->img, k->rhs, pe_operand);
    int rc = pe_eval_operand(x, rhs, &r);
    if (rc <= 0)
        return rc;
    switch (k->lhs.type) {
    case PE_FT_LIST:
        if (rhs->type == PE_FT_STRING) { /* one element matches the value */
            pe_op op = k->op == PE_OP_IN || k->op == PE_OP_INTERSECTS ? PE_OP_EQ : (pe_op)k->op;
            for (size_t i = 0; i < v->nitems; i++)
                if (pe_str_op(op, v->items[i].s, v->items[i].len, r.str.s, r.str.len))
                    return 1;
            return 0;
        }
        return lists_check(x, (pe_op)k->op, v, &r);
    case PE_FT_U64:
    case PE_FT_BOOL:
        return num_op((pe_op)k->op, v->num, r.num);
    default:
        break;
    }
    pe_op op = k->op == PE_OP_IN || k->op == PE_OP_INTERSECTS ? PE_OP_EQ : (pe_op)k->op;
    return pe_str_op(op, v->str.s, v->str.len, r.str.s, r.str.len);
}

int pe_eval_check(pe_xctx *x, const pe_check *k)
{
    pe_value v;
    int rc = pe_eval_operand(x, &k->lhs, &v);
    if (rc <= 0)
        return rc; /* no value: every check is false, `exists` and `!=` too */
    if (k->op == PE_OP_EXISTS)
        return 1;
    return k->rhs ? field_check(x, k, &v) : const_check(x, k, &v);
}

int pe_eval_cond(pe_xctx *x, const pe_cnode *n)
{
    const pe_ref *kids = PE_AT(x->img, n->kids, pe_ref);
    int r;
    switch (n->kind) {
    case PE_C_AND:
        for (uint32_t i = 0; i < n->nkids; i++)
            if ((r = pe_eval_cond(x, PE_AT(x->img, kids[i], pe_cnode))) <= 0)
                return r;
        return 1;
    case PE_C_OR:
        for (uint32_t i = 0; i < n->nkids; i++)
            if ((r = pe_eval_cond(x, PE_AT(x->img, kids[i], pe_cnode))) != 0)
                return r;
        return 0;
    case PE_C_NOT:
        r = pe_eval_cond(x, PE_AT(x->img, kids[0], pe_cnode));
        return r < 0 ? r : !r;
    case PE_C_MACRO:
        return pe_eval_cond(x, PE_AT(x->img, kids[0], pe_cnode));
    case PE_C_CHECK:
        return pe_eval_check(x, PE_AT(x->img, n->check, pe_check));
    case PE_C_TRUE:
        return 1;
    case PE_C_FALSE:
        return 0;
    }
    return PREMPTI_E_INTERNAL;
}
