/*
 * Candidates: the rules an event's view can match, from the prefilter's
 * exact tables and automata, and the automata's answers to the checks.
 * Dense automata are derived in memory from the image's compact ones.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "eval/prefilter_internal.h"
#include "prempti/common.h"
#include "util/aho.h"
#include "event/fields.h"
#include "util/hash.h"

/* ---- dense automata ---- */

/* A group's dense automaton is built once it has scanned this much text
 * (a few long texts, or many short ones), and only up to this size. */
#define DENSE_AFTER ((uint64_t)256 << 10)
#define DENSE_MAX   ((size_t)256 << 20)

typedef struct accel_group {
    _Atomic(pe_aho_dense *) dense;
    atomic_uint_fast64_t scanned;
    atomic_int building; /* a thread is building it (or gave up) */
} accel_group;

/* A part of an image read back, checked before its first use: 0 not yet,
 * 1 good, 2 damaged. */
typedef _Atomic uint8_t part_state;

struct pe_accel {
    const unsigned char *base;
    const pe_prefilter *pf;
    atomic_size_t bytes;
    /* For an image read back (trusted is 0): how to check its parts. */
    int trusted;
    pe_rcheck proto;
    const uint8_t *evaluable;
    uint32_t nrules;
    part_state *exact_state; /* per exact table */
    part_state *group_state; /* per group */
    accel_group g[];
};

static void build_dense(pe_accel *a, uint32_t g)
{
    accel_group *ag = &a->g[g];
    int idle = 0;
    if (!atomic_compare_exchange_strong(&ag->building, &idle, 1))
        return; /* another thread builds it */
    const pf_group *grp = &PE_PTR(a->base, a->pf->groups, pf_group)[g];
    pe_aho_dense *d = pe_aho_dense_build(a->base, PE_PTR(a->base, grp->aho, pe_aho), DENSE_MAX);
    if (d) {
        atomic_fetch_add(&a->bytes, pe_aho_dense_size(d));
        atomic_store_explicit(&ag->dense, d, memory_order_release);
    } /* else: stays compact (building stays set: not tried again) */
}

pe_accel *pe_accel_new(const unsigned char *base, const pe_prefilter *pf, int eager,
                       const pe_rcheck *check, const uint8_t *evaluable, uint32_t nrules)
{
    pe_accel *a = calloc(1, sizeof(*a) + (pf->ngroups + 1) * sizeof(accel_group));
    if (!a)
        return NULL;
    a->base = base;
    a->pf = pf;
    a->trusted = !check;
    if (check) {
        a->proto = *check;
        a->evaluable = evaluable;
        a->nrules = nrules;
        a->exact_state = calloc(pf->nexact + 1, sizeof(*a->exact_state));
        a->group_state = calloc(pf->ngroups + 1, sizeof(*a->group_state));
        if (!a->exact_state || !a->group_state) {
            pe_accel_free(a);
            return NULL;
        }
    }
    for (uint32_t g = 0; eager && g < pf->ngroups; g++)
        build_dense(a, g);
    return a;
}

void pe_accel_free(pe_accel *a)
{
    if (!a)
        return;
    for (uint32_t g = 0; g < a->pf->ngroups; g++)
        pe_aho_dense_free(atomic_load(&a->g[g].dense));
    free(a->exact_state);
    free(a->group_state);
    free(a);
}

/* Whether part i is good, checking it the first time. */
static int part_ok(pe_accel *a, part_state *st, uint32_t i,
                   int (*check)(pe_rcheck *, const pe_prefilter *, uint32_t, const uint8_t *,
                                uint32_t))
{
    if (a->trusted)
        return 1;
    uint8_t s = atomic_load_explicit(&st[i], memory_order_acquire);
    if (!s) {
        pe_rcheck c = a->proto;
        s = check(&c, a->pf, i, a->evaluable, a->nrules) ? 2 : 1;
        atomic_store_explicit(&st[i], s, memory_order_release);
    }
    return s == 1;
}

int pe_accel_check_all(pe_accel *a)
{
    for (uint32_t j = 0; j < a->pf->nexact; j++)
        if (!part_ok(a, a->exact_state, j, pe_prefilter_check_exact))
            return -1;
    for (uint32_t g = 0; g < a->pf->ngroups; g++)
        if (!part_ok(a, a->group_state, g, pe_prefilter_check_group))
            return -1;
    return 0;
}

size_t pe_accel_bytes(const pe_accel *a)
{
    return a ? atomic_load((atomic_size_t *)&a->bytes) : 0;
}

/* The dense automaton of group g, if there is one (building it once the
 * group has scanned enough). */
static const pe_aho_dense *dense_for(pe_accel *a, uint32_t g, size_t len)
{
    if (!a)
        return NULL;
    accel_group *ag = &a->g[g];
    pe_aho_dense *d = atomic_load_explicit(&ag->dense, memory_order_acquire);
    if (d || atomic_load_explicit(&ag->building, memory_order_relaxed))
        return d;
    if (atomic_fetch_add_explicit(&ag->scanned, len, memory_order_relaxed) + len >= DENSE_AFTER) {
        build_dense(a, g);
        return atomic_load_explicit(&ag->dense, memory_order_acquire);
    }
    return NULL;
}

/* ---- evaluation ---- */

static void mark(const unsigned char *base, uint64_t *bits, const pf_rules *r)
{
    const uint32_t *ids = PE_AT(base, r->ids, uint32_t);
    for (uint32_t i = 0; i < r->n; i++)
        bits[ids[i] >> 6] |= (uint64_t)1 << (ids[i] & 63);
}

static void exact_lookup(const unsigned char *base, const pf_exact *f, const char *s, size_t len,
                         uint64_t *bits)
{
    const exact_slot *slots = PE_AT(base, f->slots, exact_slot);
    size_t h = (size_t)pe_hash_bytes(s, len) & (f->cap - 1);
    for (const exact_slot *e; (e = &slots[h])->s.off; h = (h + 1) & (f->cap - 1))
        if (e->s.len == len && memcmp(base + e->s.off, s, len) == 0) {
            mark(base, bits, &e->rules);
            return;
        }
}

typedef struct scan_ctx {
    const unsigned char *base;
    const pf_rules *rules;
    uint64_t *cands;
} scan_ctx;

static void on_found(void *user, uint32_t pattern)
{
    scan_ctx *sc = user;
    if (sc->cands)
        mark(sc->base, sc->cands, &sc->rules[pattern]);
}

/* Scans group g's field once for this view: records which patterns occur
 * and, while candidates are being computed, the rules they trigger. */
static int scan_group(pe_lits *l, pe_xctx *x, size_t g)
{
    const pf_group *grp = &PE_AT(l->base, l->pf->groups, pf_group)[g];
    pe_value v;
    int rc = pe_extract(x, (pe_field_id)grp->field, NULL, 0, &v);
    if (rc < 0)
        return rc;
    /* the group is read (and checked, in an image read back) only when
     * its field has a value to scan */
    if (rc > 0 && l->accel &&
        !part_ok(l->accel, l->accel->group_state, (uint32_t)g, pe_prefilter_check_group))
        return PREMPTI_E_IMAGE;
    const pe_aho *aho = PE_AT(l->base, grp->aho, pe_aho);
    uint64_t *found = pe_arena_alloc(x->scratch, (pe_aho_seen_words(aho) + 1) * 8);
    if (!found)
        return PREMPTI_E_NOMEM;
    if (rc > 0) {
        scan_ctx sc = {l->base, PE_AT(l->base, grp->rules, pf_rules), l->cands};
        /* a list: each element on its own (a literal across two is none) */
        int list = pe_field((pe_field_id)grp->field)->type == PE_FT_LIST;
        size_t n = list ? v.nitems : 1;
        for (size_t i = 0; i < n; i++) {
            pe_str s = list ? v.items[i] : v.str;
            const pe_aho_dense *d = dense_for(l->accel, (uint32_t)g, s.len);
            pe_aho_scan(l->base, aho, d, s.s, s.len, found, on_found, &sc);
        }
    }
    l->found[g] = found;
    return 0;
}

int pe_lits_answer(pe_xctx *x, const pe_check *k, size_t i)
{
    pe_lits *l = x->lits;
    if (!l->found[k->lit_group]) {
        int rc = scan_group(l, x, k->lit_group);
        if (rc < 0)
            return rc;
    }
    uint32_t id = PE_AT(x->img, k->lit_ids, uint32_t)[i];
    return (int)((l->found[k->lit_group][id >> 6] >> (id & 63)) & 1);
}

int pe_prefilter_candidates(const pe_prefilter *pf, pe_accel *accel, pe_xctx *x, uint64_t *bits)
{
    pe_lits *l = pe_arena_alloc(x->scratch, sizeof(*l));
    if (!l || !(l->found = pe_arena_alloc(x->scratch, (pf->ngroups + 1) * sizeof(uint64_t *))))
        return PREMPTI_E_NOMEM;
    const unsigned char *base = x->img;
    l->base = base;
    l->pf = pf;
    l->accel = accel;
    l->cands = bits;
    x->lits = l;
    if (pf->words)
        memcpy(bits, PE_PTR(base, pf->always, uint64_t), pf->words * sizeof(uint64_t));
    const pf_exact *exact = PE_AT(base, pf->exact, pf_exact);
    for (uint32_t i = 0; i < pf->nexact; i++) {
        const pf_exact *f = &exact[i];
        pe_value v;
        int rc = pe_extract(x, (pe_field_id)f->field, NULL, 0, &v);
        if (rc < 0)
            return rc;
        if (rc == 0)
            continue; /* absent: every check on it is false */
        if (accel && !part_ok(accel, accel->exact_state, i, pe_prefilter_check_exact))
            return PREMPTI_E_IMAGE;
        if (f->type == PE_FT_BOOL || f->type == PE_FT_U64) {
            if (v.num)
                mark(base, bits, &f->present);
            continue;
        }
        mark(base, bits, &f->present);
        if (f->type == PE_FT_LIST)
            for (size_t k = 0; k < v.nitems; k++)
                exact_lookup(base, f, v.items[k].s, v.items[k].len, bits);
        else
            exact_lookup(base, f, v.str.s, v.str.len, bits);
    }
    const pf_group *groups = PE_AT(base, pf->groups, pf_group);
    for (uint32_t g = 0; g < pf->ngroups; g++)
        if (groups[g].triggers) {
            int rc = scan_group(l, x, g);
            if (rc < 0)
                return rc;
        }
    l->cands = NULL; /* later scans only answer checks */
    return 0;
}
