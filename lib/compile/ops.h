/*
 * Operator semantics on values, exactly as Falco defines them, and the
 * compile-time structures some operators need.
 */
#ifndef PE_COMPILE_OPS_H
#define PE_COMPILE_OPS_H

#include "compile/program.h"
#include "util/arena.h"

/* A set of strings built once, for `in` / `intersects`. */
pe_strset *pe_strset_build(pe_arena *a, const pe_str *vals, size_t n);
int pe_strset_has(const pe_strset *set, const char *s, size_t len);

/* pmatch patterns (path prefixes by component), built once. */
pe_pmatch *pe_pmatch_build(pe_arena *a, const pe_str *vals, size_t n);
int pe_pmatch_match(const pe_pmatch *pm, const char *s, size_t len);

/* String operator `op` of a single value against one literal. */
int pe_str_op(pe_op op, const char *v, size_t vlen, const char *lit, size_t llen);

/* POSIX fnmatch(3) semantics (flags 0, or FNM_CASEFOLD when icase), on
 * byte strings, in time bounded by len(pattern) * len(value). */
int pe_glob_match(const char *pat, size_t plen, const char *s, size_t slen, int icase);

/* ASCII case-insensitive substring search. */
int pe_icontains(const char *hay, size_t hlen, const char *needle, size_t nlen);

#endif
