/*
 * Operator semantics on values, exactly as Falco defines them, and the
 * compile-time structures some operators need.
 */
#ifndef PE_COMPILE_OPS_H
#define PE_COMPILE_OPS_H

#include "compile/program.h"
#include "util/region.h"

/* A set of strings built once, for `in` / `intersects`: an open-addressing
 * table (cap a power of two, at least one slot empty) of indexes into the
 * check's values (slot v + 1; 0: empty). */
typedef struct pe_strset {
    uint32_t cap;
    pe_ref slots; /* cap uint32_t */
    pe_ref vals;  /* nvals pe_rstr (the check's) */
    uint32_t nvals;
} pe_strset;

/* pmatch patterns (path prefixes by component), built once. */
typedef struct pe_pmpat {
    pe_ref comps; /* ncomps pe_rstr */
    uint32_t ncomps;
    pe_ref wild; /* ncomps uint8_t: the component has ? * [ */
} pe_pmpat;

typedef struct pe_pmatch {
    pe_ref pats; /* npats pe_pmpat */
    uint32_t npats;
} pe_pmatch;

/* Builds the set of the n strings at vals (an offset in r). NULL when r is
 * full or out of memory. */
const pe_strset *pe_strset_build(pe_region *r, pe_ref vals, size_t n);
int pe_strset_has(const unsigned char *base, const pe_strset *set, const char *s, size_t len);

const pe_pmatch *pe_pmatch_build(pe_region *r, const pe_rstr *vals, size_t n);
int pe_pmatch_match(const unsigned char *base, const pe_pmatch *pm, const char *s, size_t len);

/* String operator `op` of a single value against one literal. */
int pe_str_op(pe_op op, const char *v, size_t vlen, const char *lit, size_t llen);

/* POSIX fnmatch(3) semantics (flags 0, or FNM_CASEFOLD when icase), on
 * byte strings, in time bounded by len(pattern) * len(value). */
int pe_glob_match(const char *pat, size_t plen, const char *s, size_t slen, int icase);

/* ASCII case-insensitive substring search. */
int pe_icontains(const char *hay, size_t hlen, const char *needle, size_t nlen);

#endif
