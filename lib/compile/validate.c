/*
 * Checking compiled programs read back from an image (compile/program.h):
 * every offset in bounds, every enum in range, every part the evaluator
 * reads for a check's operator and type present, node kids at lower
 * offsets than their node (so the nodes form a DAG) and nesting within
 * the compiler's limit (so evaluation's recursion stays bounded). What
 * passes can be evaluated without reading outside the image or looping.
 */
#include <stdlib.h>
#include <string.h>

#include "compile/compile.h"
#include "compile/ops.h"
#include "compile/regex_internal.h"
#include "util/aho.h"

/* The compiler refuses deeper conditions (compile.c) and operands nest no
 * deeper than this in practice; deeper is refused. */
#define MAX_NODE_HEIGHT 513
#define MAX_OPERAND_DEPTH 1024

/* Nodes checked so far: offset -> height + 1 (open addressing). */
typedef struct memo {
    pe_ref *keys;
    uint32_t *vals;
    size_t cap, n;
} memo;

struct pe_prog_check {
    pe_rcheck *c;
    uint32_t ngroups;
    const uint32_t *group_patterns;
    memo seen;
};

static size_t slot(const memo *m, pe_ref key)
{
    size_t h = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 17) & (m->cap - 1);
    while (m->keys[h] && m->keys[h] != key)
        h = (h + 1) & (m->cap - 1);
    return h;
}

static int memo_put(memo *m, pe_ref key, uint32_t val)
{
    if (2 * (m->n + 1) > m->cap) {
        memo bigger = {NULL, NULL, m->cap ? 2 * m->cap : 256, 0};
        bigger.keys = calloc(bigger.cap, sizeof(*bigger.keys));
        bigger.vals = malloc(bigger.cap * sizeof(*bigger.vals));
        if (!bigger.keys || !bigger.vals) {
            free(bigger.keys);
            free(bigger.vals);
            return -1;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t h = slot(&bigger, m->keys[i]);
                bigger.keys[h] = m->keys[i];
                bigger.vals[h] = m->vals[i];
                bigger.n++;
            }
        free(m->keys);
        free(m->vals);
        *m = bigger;
    }
    size_t h = slot(m, key);
    m->n += !m->keys[h];
    m->keys[h] = key;
    m->vals[h] = val;
    return 0;
}

static uint32_t memo_get(const memo *m, pe_ref key)
{
    return m->cap && m->keys[slot(m, key)] == key ? m->vals[slot(m, key)] : 0;
}

pe_prog_check *pe_prog_check_new(pe_rcheck *c, uint32_t ngroups, const uint32_t *group_patterns)
{
    pe_prog_check *pc = calloc(1, sizeof(*pc));
    if (pc) {
        pc->c = c;
        pc->ngroups = ngroups;
        pc->group_patterns = group_patterns;
    }
    return pc;
}

void pe_prog_check_free(pe_prog_check *pc)
{
    if (!pc)
        return;
    free(pc->seen.keys);
    free(pc->seen.vals);
    free(pc);
}

#define FAIL(what) pe_rcheck_fail(pc->c, what)
#define ARRAY(ref, n, T, what) ((const T *)pe_rcheck_array(pc->c, ref, n, sizeof(T), what))

/* ---- operands ---- */

static int check_operand(pe_prog_check *pc, const pe_operand *o, unsigned depth)
{
    if (depth > MAX_OPERAND_DEPTH || pe_rcheck_work(pc->c, 1))
        return FAIL("operands nest too deeply");
    if (o->kind >= PE_OPD_KIND_COUNT || o->xf >= PE_XF_COUNT ||
        pe_rcheck_str(pc->c, o->arg, 1, "bad operand argument") ||
        pe_rcheck_str(pc->c, o->cval, 1, "bad operand constant"))
        return FAIL("bad operand");
    const pe_operand *args = ARRAY(o->args, o->nargs, pe_operand, "bad operand arguments");
    if (!args)
        return -1;
    for (uint32_t i = 0; i < o->nargs; i++)
        if (check_operand(pc, &args[i], depth + 1))
            return -1;
    return pe_operand_type_ok(o, args) ? 0 : FAIL("operand of the wrong type");
}

int pe_prog_check_operand(pe_prog_check *pc, pe_ref ref)
{
    const pe_operand *o = ARRAY(ref, 1, pe_operand, "bad operand");
    return o ? check_operand(pc, o, 0) : -1;
}

/* ---- operator structures ---- */

static int check_strs(pe_prog_check *pc, const pe_rstr *v, size_t n)
{
    if (pe_rcheck_work(pc->c, n))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (pe_rcheck_str(pc->c, v[i], 0, "bad string"))
            return -1;
    return 0;
}

static int check_regex(pe_prog_check *pc, pe_ref ref)
{
    const pe_regex *re = ARRAY(ref, 1, pe_regex, "bad regex");
    if (!re || !re->ninst || re->ninst > PE_REGEX_MAX_INSTS || pe_rcheck_work(pc->c, re->ninst))
        return FAIL("bad regex");
    const rx_inst *in = ARRAY(re->insts, re->ninst, rx_inst, "bad regex program");
    if (!in || !ARRAY(re->ranges, re->nranges, rx_range, "bad regex classes"))
        return -1;
    if (in[re->ninst - 1].op != RX_MATCH)
        return FAIL("regex program does not end in a match");
    if (re->need.off && pe_rcheck_str(pc->c, re->need, 0, "bad regex literal"))
        return -1;
    if (re->nbytes > RX_BYTES_MAX)
        return FAIL("bad regex bytes");
    const pe_rstr *needs = ARRAY(re->needs, re->nneeds, pe_rstr, "bad regex literals");
    if (!needs || re->nneeds > PE_REGEX_NEEDS_MAX || (re->nneeds && !re->needs))
        return FAIL("bad regex literals");
    for (uint32_t i = 0; i < re->nneeds; i++)
        if (pe_rcheck_str(pc->c, needs[i], 0, "bad regex literal"))
            return -1;
    for (uint32_t pc_ = 0; pc_ < re->ninst; pc_++) {
        const rx_inst *i = &in[pc_];
        int ok = i->op <= RX_MATCH;
        if (i->op == RX_JMP)
            ok = i->x < re->ninst;
        else if (i->op == RX_SPLIT)
            ok = i->x < re->ninst && i->y < re->ninst;
        else if (i->op == RX_CLASS)
            ok = i->x <= re->nranges && i->y <= re->nranges - i->x;
        if (!ok || (i->op != RX_MATCH && i->op != RX_JMP && i->op != RX_SPLIT &&
                    pc_ + 1 >= re->ninst))
            return FAIL("bad regex instruction");
    }
    return 0;
}

static int check_set(pe_prog_check *pc, const pe_check *k)
{
    const pe_strset *set = ARRAY(k->set, 1, pe_strset, "bad set");
    if (!set || !set->cap || (set->cap & (set->cap - 1)) || pe_rcheck_work(pc->c, set->cap))
        return FAIL("bad set");
    const uint32_t *slots = ARRAY(set->slots, set->cap, uint32_t, "bad set slots");
    const pe_rstr *vals = ARRAY(set->vals, set->nvals, pe_rstr, "bad set values");
    if (!slots || !vals || check_strs(pc, vals, set->nvals))
        return -1;
    int empty = 0;
    for (uint32_t i = 0; i < set->cap; i++) {
        empty |= !slots[i];
        if (slots[i] > set->nvals)
            return FAIL("bad set slot");
    }
    return empty ? 0 : FAIL("set without an empty slot");
}

static int check_pmatch(pe_prog_check *pc, pe_ref ref)
{
    const pe_pmatch *pm = ARRAY(ref, 1, pe_pmatch, "bad pmatch");
    const pe_pmpat *pats = pm ? ARRAY(pm->pats, pm->npats, pe_pmpat, "bad pmatch") : NULL;
    if (!pats || pe_rcheck_work(pc->c, pm->npats))
        return -1;
    for (uint32_t i = 0; i < pm->npats; i++) {
        const pe_rstr *comps = ARRAY(pats[i].comps, pats[i].ncomps, pe_rstr, "bad pmatch");
        if (!comps || !ARRAY(pats[i].wild, pats[i].ncomps, uint8_t, "bad pmatch") ||
            check_strs(pc, comps, pats[i].ncomps))
            return -1;
    }
    return 0;
}

/* The literal answers of the index: ids of its group's patterns. */
static int check_lits(pe_prog_check *pc, const pe_check *k)
{
    if (!k->lit_ids)
        return 0;
    const uint32_t *ids = ARRAY(k->lit_ids, k->nvals, uint32_t, "bad literal ids");
    if (!ids || k->lit_group >= pc->ngroups)
        return FAIL("bad literal ids");
    for (uint32_t i = 0; i < k->nvals; i++)
        if (ids[i] >= pc->group_patterns[k->lit_group])
            return FAIL("bad literal id");
    return 0;
}

/* The automaton of a check's regexes' needed texts and each one's patterns. */
static int check_regex_literals(pe_prog_check *pc, const pe_check *k)
{
    const pe_aho *aho;
    const uint32_t *first = ARRAY(k->rx_pats, (size_t)k->nvals + 1, uint32_t, "bad regex literals");
    if (!first || !k->rx_pats || !k->rx_aho || pe_aho_check(pc->c, k->rx_aho, &aho))
        return FAIL("bad regex literals");
    for (uint32_t i = 0; i < k->nvals; i++)
        if (first[i] > first[i + 1])
            return FAIL("bad regex literals");
    const uint32_t *ids = ARRAY(k->rx_pats, (size_t)k->nvals + 1 + first[k->nvals], uint32_t,
                                "bad regex literals");
    if (!ids || first[0] != 0 || pe_rcheck_work(pc->c, first[k->nvals]))
        return FAIL("bad regex literals");
    for (uint32_t i = 0; i < first[k->nvals]; i++)
        if (ids[k->nvals + 1 + i] >= aho->npatterns)
            return FAIL("bad regex literal id");
    return 0;
}

/* Constant right-hand side: what the evaluator reads for the type and
 * operator (eval/eval.c const_check). */
static int check_constants(pe_prog_check *pc, const pe_check *k)
{
    const pe_rstr *vals = ARRAY(k->vals, k->nvals, pe_rstr, "bad values");
    if (!vals || check_strs(pc, vals, k->nvals))
        return -1;
    int list_op = k->op == PE_OP_IN || k->op == PE_OP_INTERSECTS || k->op == PE_OP_PMATCH;
    if (!k->nvals && !list_op && k->mod == PE_MOD_NONE)
        return FAIL("check without a value");
    switch (k->lhs.type) {
    case PE_FT_U64:
    case PE_FT_BOOL:
        return ARRAY(k->nums, k->nvals, uint64_t, "bad numbers") && k->nums ? 0
                                                                          : FAIL("bad numbers");
    case PE_FT_LIST: /* in, intersects: the set; other operators: each element as a string */
        if (k->op == PE_OP_IN || k->op == PE_OP_INTERSECTS)
            return check_set(pc, k);
        break;
    default:
        break;
    }
    /* strings: answers from the index wherever str_const may read them */
    if (check_lits(pc, k))
        return -1;
    if (k->mod == PE_MOD_NONE && (k->op == PE_OP_IN || k->op == PE_OP_INTERSECTS))
        return check_set(pc, k);
    if (k->mod == PE_MOD_NONE && k->op == PE_OP_PMATCH)
        return check_pmatch(pc, k->pm);
    if (k->op == PE_OP_REGEX) {
        const pe_ref *res = ARRAY(k->regexes, k->nvals, pe_ref, "bad regexes");
        if (!res || !k->regexes)
            return FAIL("bad regexes");
        for (uint32_t i = 0; i < k->nvals; i++)
            if (check_regex(pc, res[i]))
                return -1;
        if (k->rx_aho || k->rx_pats)
            return check_regex_literals(pc, k);
    }
    return 0;
}

static int check_check(pe_prog_check *pc, pe_ref ref)
{
    const pe_check *k = ARRAY(ref, 1, pe_check, "bad check");
    if (!k || k->op >= PE_OP_COUNT || k->mod > PE_MOD_ALLOF || check_operand(pc, &k->lhs, 0))
        return -1;
    if (k->op == PE_OP_EXISTS)
        return 0;
    if (!k->rhs)
        return check_constants(pc, k);
    const pe_operand *r = ARRAY(k->rhs, 1, pe_operand, "bad right-hand side");
    if (!r || check_operand(pc, r, 0))
        return -1;
    /* the same type, or a list's elements against one string */
    int types_ok = r->type == k->lhs.type || (k->lhs.type == PE_FT_LIST && r->type == PE_FT_STRING);
    return types_ok && k->op != PE_OP_PMATCH && k->op != PE_OP_REGEX ? 0
                                                                      : FAIL("bad right-hand side");
}

/* ---- nodes ---- */

static int kid_count_ok(const pe_cnode *n)
{
    switch (n->kind) {
    case PE_C_AND:
    case PE_C_OR:
        return 1;
    case PE_C_NOT:
    case PE_C_MACRO:
        return n->nkids == 1;
    default:
        return n->nkids == 0;
    }
}

int pe_prog_check_node(pe_prog_check *pc, pe_ref ref, unsigned *height)
{
    uint32_t known = memo_get(&pc->seen, ref);
    if (known) {
        *height = known - 1;
        return 0;
    }
    const pe_cnode *n = ARRAY(ref, 1, pe_cnode, "bad node");
    if (!n || n->kind >= PE_C_KIND_COUNT || !kid_count_ok(n) || pe_rcheck_work(pc->c, 1))
        return FAIL("bad node");
    const pe_ref *kids = ARRAY(n->kids, n->nkids, pe_ref, "bad node kids");
    if (!kids || pe_rcheck_str(pc->c, n->label, 1, "bad node label"))
        return -1;
    unsigned h = 0;
    for (uint32_t i = 0; i < n->nkids; i++) {
        unsigned kh;
        if (!kids[i] || kids[i] >= ref) /* kids first: no cycles */
            return FAIL("node kids out of order");
        if (pe_prog_check_node(pc, kids[i], &kh))
            return -1;
        if (kh + 1 > h)
            h = kh + 1;
    }
    if (h > MAX_NODE_HEIGHT)
        return FAIL("condition nests too deeply");
    if (n->kind == PE_C_CHECK ? !n->check || check_check(pc, n->check) : n->check != 0)
        return FAIL("bad check");
    *height = h;
    return memo_put(&pc->seen, ref, h + 1) ? FAIL("out of memory") : 0;
}
