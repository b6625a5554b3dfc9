#include "compile/ops.h"

#include <stdlib.h>
#include <string.h>

#include "util/hash.h"
#include "util/sys.h"

/* ---- string sets ---- */

const pe_strset *pe_strset_build(pe_region *r, pe_ref vals_ref, size_t n)
{
    pe_strset *set = pe_region_alloc(r, sizeof(*set));
    size_t cap = 8;
    while (cap < n * 2)
        cap *= 2;
    uint32_t *slots = set && cap <= UINT32_MAX ? pe_region_alloc(r, cap * sizeof(*slots)) : NULL;
    if (!slots)
        return NULL;
    const pe_rstr *vals = PE_AT(r->base, vals_ref, pe_rstr);
    set->cap = (uint32_t)cap;
    set->slots = pe_ref_of(r, slots);
    set->vals = vals_ref;
    set->nvals = (uint32_t)n;
    for (size_t i = 0; i < n; i++) {
        pe_str v = pe_rstr_str(r->base, vals[i]);
        size_t h = (size_t)pe_hash_bytes(v.s, v.len) & (cap - 1);
        while (slots[h]) {
            pe_str o = pe_rstr_str(r->base, vals[slots[h] - 1]);
            if (o.len == v.len && memcmp(o.s, v.s, o.len) == 0)
                break;
            h = (h + 1) & (cap - 1);
        }
        slots[h] = (uint32_t)i + 1;
    }
    return set;
}

int pe_strset_has(const unsigned char *base, const pe_strset *set, const char *s, size_t len)
{
    const uint32_t *slots = PE_AT(base, set->slots, uint32_t);
    const pe_rstr *vals = PE_AT(base, set->vals, pe_rstr);
    size_t h = (size_t)pe_hash_bytes(s, len) & (set->cap - 1);
    while (slots[h]) {
        pe_rstr o = vals[slots[h] - 1];
        if (o.len == len && memcmp(base + o.off, s, len) == 0)
            return 1;
        h = (h + 1) & (set->cap - 1);
    }
    return 0;
}

/* ---- glob ---- */

static unsigned char fold(unsigned char c, int icase)
{
    return icase && c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static int class_match(const char *name, size_t n, unsigned char c)
{
#define IS(s) (n == sizeof(s) - 1 && memcmp(name, s, n) == 0)
    if (IS("alpha"))
        return (c | 32) >= 'a' && (c | 32) <= 'z';
    if (IS("digit"))
        return c >= '0' && c <= '9';
    if (IS("alnum"))
        return ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9');
    if (IS("upper"))
        return c >= 'A' && c <= 'Z';
    if (IS("lower"))
        return c >= 'a' && c <= 'z';
    if (IS("space"))
        return c == ' ' || (c >= '\t' && c <= '\r');
    if (IS("blank"))
        return c == ' ' || c == '\t';
    if (IS("punct"))
        return c > 32 && c < 127 &&
               !(((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9'));
    if (IS("xdigit"))
        return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'f');
    if (IS("cntrl"))
        return c < 32 || c == 127;
    if (IS("print"))
        return c >= 32 && c < 127;
    if (IS("graph"))
        return c > 32 && c < 127;
#undef IS
    return 0;
}

/*
 * Matches a bracket expression starting at pat[*pi] == '['. Returns 1/0 for
 * match and advances *pi past it, or -1 when the bracket is not closed (then
 * '[' is an ordinary character, as in fnmatch).
 */
static int bracket(const char *pat, size_t plen, size_t *pi, unsigned char c, int icase)
{
    size_t i = *pi + 1;
    int negate = 0, matched = 0;
    if (i < plen && (pat[i] == '!' || pat[i] == '^')) {
        negate = 1;
        i++;
    }
    size_t first = i;
    c = fold(c, icase);
    while (i < plen && (pat[i] != ']' || i == first)) {
        if (pat[i] == '[' && i + 1 < plen && pat[i + 1] == ':') {
            size_t j = i + 2;
            while (j + 1 < plen && !(pat[j] == ':' && pat[j + 1] == ']'))
                j++;
            if (j + 1 < plen) {
                if (class_match(pat + i + 2, j - (i + 2), c) ||
                    (icase && class_match(pat + i + 2, j - (i + 2),
                                          (unsigned char)(c >= 'a' && c <= 'z' ? c - 32 : c))))
                    matched = 1;
                i = j + 2;
                continue;
            }
        }
        unsigned char lo = (unsigned char)pat[i];
        if (lo == '\\' && i + 1 < plen)
            lo = (unsigned char)pat[++i];
        unsigned char hi = lo;
        if (i + 2 < plen && pat[i + 1] == '-' && pat[i + 2] != ']') {
            hi = (unsigned char)pat[i + 2];
            if (hi == '\\' && i + 3 < plen)
                hi = (unsigned char)pat[++i + 2];
            i += 2;
        }
        lo = fold(lo, icase);
        hi = fold(hi, icase);
        if (c >= lo && c <= hi)
            matched = 1;
        i++;
    }
    if (i >= plen)
        return -1;
    *pi = i + 1;
    return matched != negate;
}

int pe_glob_match(const char *pat, size_t plen, const char *s, size_t slen, int icase)
{
    /* Greedy matching with one backtrack point (the last '*'): each '*'
     * only ever moves forward, so time is O(plen * slen). */
    size_t pi = 0, si = 0, star_p = (size_t)-1, star_s = 0;
    while (si < slen) {
        if (pi < plen) {
            char pc = pat[pi];
            if (pc == '*') {
                while (pi < plen && pat[pi] == '*')
                    pi++;
                star_p = pi;
                star_s = si;
                continue;
            }
            if (pc == '?') {
                pi++;
                si++;
                continue;
            }
            if (pc == '[') {
                size_t np = pi;
                int r = bracket(pat, plen, &np, (unsigned char)s[si], icase);
                if (r == 1) {
                    pi = np;
                    si++;
                    continue;
                }
                if (r == -1 && s[si] == '[') {
                    pi++;
                    si++;
                    continue;
                }
            } else {
                size_t adv = 1;
                if (pc == '\\') {
                    if (pi + 1 == plen)
                        return 0; /* fnmatch: a trailing backslash never matches */
                    pc = pat[pi + 1];
                    adv = 2;
                }
                if (fold((unsigned char)pc, icase) == fold((unsigned char)s[si], icase)) {
                    pi += adv;
                    si++;
                    continue;
                }
            }
        }
        if (star_p == (size_t)-1)
            return 0;
        pi = star_p;
        si = ++star_s;
    }
    while (pi < plen && pat[pi] == '*')
        pi++;
    return pi == plen;
}

/* ---- pmatch ---- */

/* Splits s into its components (between '/'), writing at most max of them
 * to out (which may be NULL); returns how many there are. */
static size_t split(const char *s, size_t len, pe_str *out, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len) {
        while (i < len && s[i] == '/')
            i++;
        size_t j = i;
        while (j < len && s[j] != '/')
            j++;
        if (j > i) {
            if (out && n < max) {
                out[n].s = s + i;
                out[n].len = j - i;
            }
            n++;
        }
        i = j;
    }
    return n;
}

static int build_pattern(pe_region *r, pe_str v, pe_pmpat *p)
{
    size_t n = split(v.s, v.len, NULL, 0);
    pe_str *comps = malloc((n + 1) * sizeof(*comps));
    pe_rstr *rc = pe_region_alloc(r, (n + 1) * sizeof(*rc));
    uint8_t *wild = pe_region_alloc(r, n + 1);
    int ok = comps && rc && wild;
    if (ok)
        split(v.s, v.len, comps, n);
    for (size_t k = 0; ok && k < n; k++) {
        ok = pe_region_rstr(r, comps[k].s, comps[k].len, &rc[k]) == 0;
        wild[k] = memchr(comps[k].s, '*', comps[k].len) || memchr(comps[k].s, '?', comps[k].len) ||
                  memchr(comps[k].s, '[', comps[k].len);
    }
    free(comps);
    p->comps = pe_ref_of(r, rc);
    p->ncomps = (uint32_t)n;
    p->wild = pe_ref_of(r, wild);
    return ok ? 0 : -1;
}

const pe_pmatch *pe_pmatch_build(pe_region *r, const pe_rstr *vals, size_t n)
{
    pe_pmatch *pm = pe_region_alloc(r, sizeof(*pm));
    pe_pmpat *pats = pm ? pe_region_alloc(r, (n ? n : 1) * sizeof(*pats)) : NULL;
    if (!pats)
        return NULL;
    pm->pats = pe_ref_of(r, pats);
    pm->npats = (uint32_t)n;
    for (size_t i = 0; i < n; i++)
        if (build_pattern(r, pe_rstr_str(r->base, vals[i]), &pats[i]))
            return NULL;
    return pm;
}

int pe_pmatch_match(const unsigned char *base, const pe_pmatch *pm, const char *s, size_t len)
{
    const pe_pmpat *pats = PE_AT(base, pm->pats, pe_pmpat);
    for (uint32_t i = 0; i < pm->npats; i++) {
        const pe_pmpat *p = &pats[i];
        const pe_rstr *comps = PE_AT(base, p->comps, pe_rstr);
        const uint8_t *wild = PE_AT(base, p->wild, uint8_t);
        size_t vi = 0;
        uint32_t k = 0;
        for (; k < p->ncomps; k++) {
            while (vi < len && s[vi] == '/')
                vi++;
            if (vi >= len)
                break;
            size_t vj = vi;
            while (vj < len && s[vj] != '/')
                vj++;
            pe_str c = pe_rstr_str(base, comps[k]);
            int ok = wild[k] ? pe_glob_match(c.s, c.len, s + vi, vj - vi, 0)
                             : (c.len == vj - vi && memcmp(c.s, s + vi, c.len) == 0);
            if (!ok)
                break;
            vi = vj;
        }
        if (k == p->ncomps)
            return 1;
    }
    return 0;
}

/* ---- scalar string operators ---- */

int pe_icontains(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
    if (nlen == 0)
        return 1;
    if (nlen > hlen)
        return 0;
    unsigned char first = fold((unsigned char)needle[0], 1);
    for (size_t i = 0; i + nlen <= hlen; i++) {
        if (fold((unsigned char)hay[i], 1) != first)
            continue;
        size_t k = 1;
        while (k < nlen && fold((unsigned char)hay[i + k], 1) == fold((unsigned char)needle[k], 1))
            k++;
        if (k == nlen)
            return 1;
    }
    return 0;
}

static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    return c ? c : (alen < blen ? -1 : alen > blen);
}

int pe_str_op(pe_op op, const char *v, size_t vlen, const char *lit, size_t llen)
{
    switch (op) {
    case PE_OP_EQ:
        return vlen == llen && memcmp(v, lit, llen) == 0;
    case PE_OP_NE:
        return !(vlen == llen && memcmp(v, lit, llen) == 0);
    case PE_OP_LT:
        return cmp_bytes(v, vlen, lit, llen) < 0;
    case PE_OP_LE:
        return cmp_bytes(v, vlen, lit, llen) <= 0;
    case PE_OP_GT:
        return cmp_bytes(v, vlen, lit, llen) > 0;
    case PE_OP_GE:
        return cmp_bytes(v, vlen, lit, llen) >= 0;
    case PE_OP_CONTAINS:
        return pe_sys_memmem(v, vlen, lit, llen) != NULL;
    case PE_OP_ICONTAINS:
        return pe_icontains(v, vlen, lit, llen);
    case PE_OP_STARTSWITH:
        return llen <= vlen && memcmp(v, lit, llen) == 0;
    case PE_OP_ENDSWITH:
        return llen <= vlen && memcmp(v + vlen - llen, lit, llen) == 0;
    case PE_OP_GLOB:
        return pe_glob_match(lit, llen, v, vlen, 0);
    case PE_OP_IGLOB:
        return pe_glob_match(lit, llen, v, vlen, 1);
    default:
        return 0;
    }
}
