/*
 * Regex compiler: emits a Thompson NFA from the parse tree of
 * regex_parse.c (see regex_match.c for the simulation), and Falco's hint
 * about patterns a plain operator could replace.
 */
#include "compile/regex_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- code generation ---- */

/* Instructions a node compiles to, saturating above the limit. */
static uint64_t size_of(const rx_node *n)
{
    const uint64_t cap = (uint64_t)PE_REGEX_MAX_INSTS + 1;
    uint64_t s = 0;
    switch (n->k) {
    case RX_N_EMPTY:
        return 0;
    case RX_N_CAT:
    case RX_N_ALT:
        for (uint32_t i = 0; i < n->nkids && s < cap; i++)
            s += size_of(n->kids[i]) + (n->k == RX_N_ALT && i + 1 < n->nkids ? 2 : 0);
        return s < cap ? s : cap;
    case RX_N_REP: {
        uint64_t x = size_of(n->sub);
        if (n->max == -1)
            s = n->min == 0 ? x + 2 : (uint64_t)n->min * x + 1;
        else
            s = (uint64_t)n->min * x + (uint64_t)(n->max - n->min) * (x + 1);
        return s < cap ? s : cap;
    }
    default:
        return 1;
    }
}

#define PENDING UINT32_MAX /* a jump target not known yet */

typedef struct emitter {
    rx_inst *insts;
    uint32_t n;
} emitter;

static uint32_t emit(emitter *e, rx_op op, uint32_t x, uint32_t y)
{
    e->insts[e->n].op = op;
    e->insts[e->n].x = x;
    e->insts[e->n].y = y;
    return e->n++;
}

static void gen(emitter *e, const rx_node *n);

static void gen_rep(emitter *e, const rx_node *n)
{
    int copies = n->max == -1 && n->min > 0 ? n->min - 1 : n->min;
    for (int i = 0; i < copies; i++)
        gen(e, n->sub);
    if (n->max == -1) {
        if (n->min == 0) { /* x*: L: split(L+1, out); x; jmp L */
            uint32_t l = emit(e, RX_SPLIT, 0, 0);
            e->insts[l].x = e->n;
            gen(e, n->sub);
            emit(e, RX_JMP, l, 0);
            e->insts[l].y = e->n;
        } else { /* x+: L: x; split(L, out) */
            uint32_t l = e->n;
            gen(e, n->sub);
            emit(e, RX_SPLIT, l, e->n + 1);
        }
        return;
    }
    /* optional copies, each able to skip to the end; PENDING marks the
     * skips to patch (nested ones are patched before gen() returns) */
    uint32_t first = e->n;
    for (int i = n->min; i < n->max; i++) {
        uint32_t s = emit(e, RX_SPLIT, 0, PENDING);
        e->insts[s].x = e->n;
        gen(e, n->sub);
    }
    for (uint32_t pc = first; pc < e->n; pc++)
        if (e->insts[pc].op == RX_SPLIT && e->insts[pc].y == PENDING)
            e->insts[pc].y = e->n;
}

static void gen(emitter *e, const rx_node *n)
{
    switch (n->k) {
    case RX_N_EMPTY:
        break;
    case RX_N_LIT:
        emit(e, RX_CHAR, n->rune, 0);
        break;
    case RX_N_CLASS:
        emit(e, RX_CLASS, n->rfirst, n->rcount);
        break;
    case RX_N_ANY:
        emit(e, RX_ANY, 0, 0);
        break;
    case RX_N_BOL:
        emit(e, RX_BOL, 0, 0);
        break;
    case RX_N_EOL:
        emit(e, RX_EOL, 0, 0);
        break;
    case RX_N_CAT:
        for (uint32_t i = 0; i < n->nkids; i++)
            gen(e, n->kids[i]);
        break;
    case RX_N_ALT: {
        /* split(a, next); a; jmp end; split(b, next); b; jmp end; ... c */
        uint32_t jumps = e->n;
        for (uint32_t i = 0; i + 1 < n->nkids; i++) {
            uint32_t s = emit(e, RX_SPLIT, 0, 0);
            e->insts[s].x = e->n;
            gen(e, n->kids[i]);
            emit(e, RX_JMP, PENDING, 0);
            e->insts[s].y = e->n;
        }
        gen(e, n->kids[n->nkids - 1]);
        for (uint32_t pc = jumps; pc < e->n; pc++)
            if (e->insts[pc].op == RX_JMP && e->insts[pc].x == PENDING)
                e->insts[pc].x = e->n;
        break;
    }
    case RX_N_REP:
        gen_rep(e, n);
        break;
    }
}

/* ---- entry points ---- */

/* The needed texts of t into re (compile/regex_internal.h): 0, or -1 when
 * out of memory or room. A set with a member of one byte, or several of
 * two, filters nothing worth a scan. */
static int keep_needs(pe_region *r, const rx_tree *t, pe_regex *re)
{
    rx_set *set = malloc(sizeof(*set));
    int n = set ? rx_need_set(t, set) : -1;
    int useful = n > 0;
    for (int i = 0; i < n; i++) /* several short ones hold on most texts */
        useful &= set->len[i] >= (n > 1 ? 3u : 2u);
    pe_rstr *v = useful ? pe_region_alloc(r, (size_t)n * sizeof(*v)) : NULL;
    for (int j = 0; v && j < n; j++) {
        char *kept = pe_region_strndup(r, set->s[j], set->len[j]);
        if (!kept)
            v = NULL;
        else
            v[j] = (pe_rstr){pe_ref_of(r, kept), (uint32_t)set->len[j]};
    }
    free(set);
    if (n < 0 || (useful && !v))
        return -1;
    if (v) {
        re->needs = pe_ref_of(r, v);
        re->nneeds = (uint32_t)n;
    }
    return 0;
}

const pe_regex *pe_regex_compile(pe_region *r, const char *pattern, size_t len, char *msg,
                                 size_t msgsz)
{
    rx_tree t;
    int rc = rx_parse(&t, pattern, len, msg, msgsz);
    pe_regex *re = NULL;
    uint64_t n = rc ? 0 : size_of(t.root) + 1;
    if (!rc && n > PE_REGEX_MAX_INSTS)
        snprintf(msg, msgsz, "pattern too large - compile failed");
    else if (!rc) {
        emitter e = {pe_region_alloc(r, (size_t)n * sizeof(rx_inst)), 0};
        rx_range *pool = pe_region_alloc(r, (t.npool ? t.npool : 1) * sizeof(*pool));
        re = pe_region_alloc(r, sizeof(*re));
        if (!e.insts || !pool || !re) {
            snprintf(msg, msgsz, "%s", pe_region_full(r) ? PE_REGEX_NO_ROOM : "out of memory");
            re = NULL;
        } else {
            if (t.npool)
                memcpy(pool, t.pool, t.npool * sizeof(*pool));
            gen(&e, t.root);
            emit(&e, RX_MATCH, 0, 0);
            re->insts = pe_ref_of(r, e.insts);
            re->ninst = e.n;
            re->ranges = pe_ref_of(r, pool);
            re->nranges = (uint32_t)t.npool;
            char need[RX_NEED_MAX];
            size_t nn = rx_need(&t, need);
            char *kept = nn >= 2 ? pe_region_strndup(r, need, nn) : NULL;
            if (nn >= 2 && !kept) {
                snprintf(msg, msgsz, "%s", pe_region_full(r) ? PE_REGEX_NO_ROOM : "out of memory");
                re = NULL;
            } else if (kept) {
                re->need.off = pe_ref_of(r, kept);
                re->need.len = (uint32_t)nn;
            }
            if (re)
                re->nbytes = (uint8_t)rx_need_bytes(&t, need, nn >= 2 ? nn : 0, re->bytes);
            if (re && keep_needs(r, &t, re)) {
                snprintf(msg, msgsz, "%s", pe_region_full(r) ? PE_REGEX_NO_ROOM : "out of memory");
                re = NULL;
            }
        }
    }
    rx_tree_free(&t);
    return re;
}

size_t pe_regex_needs(const unsigned char *base, const pe_regex *re, pe_str *out, size_t max)
{
    const pe_rstr *s = PE_AT(base, re->needs, pe_rstr);
    size_t n = 0;
    for (; n < re->nneeds && n < max; n++)
        out[n] = (pe_str){(const char *)base + s[n].off, s[n].len};
    return n;
}

pe_str pe_regex_need(const unsigned char *base, const pe_regex *re)
{
    pe_str s = {re->need.off ? (const char *)base + re->need.off : NULL, re->need.len};
    return s;
}

size_t pe_regex_size(const pe_regex *re)
{
    return re->ninst;
}

int pe_regex_could_be_simpler(const char *v, size_t len)
{
    static const char special[] = ".+*?^$()[]{}|\\";
    for (size_t i = 0; i < len; i++) {
        /* anchors at the ends are implied by the full match */
        if ((i == 0 && v[i] == '^') || (i == len - 1 && v[i] == '$'))
            continue;
        /* ".*" ".+" ".?" at either end: startswith / endswith / contains */
        if (((i == 0 && len > 1) || i + 2 == len) && v[i] == '.' && i + 1 < len &&
            strchr("+*?", v[i + 1]) && v[i + 1]) {
            i++;
            continue;
        }
        if (memchr(special, v[i], sizeof(special) - 1))
            return 0;
    }
    return 1;
}
