/*
 * The evaluation prefilter: which rules can possibly match an event.
 *
 * For every rule the compiler's program is analysed for a *trigger set*: a
 * set of atoms (field F equals literal L, or F contains L, possibly ignoring
 * case) such that the condition can only hold if at least one atom holds.
 * `tool.name in (Bash, bash) and ...` gives {tool.name = Bash, tool.name =
 * bash}; `... contains anyof (curl, wget)` gives {contains curl, contains
 * wget}; for a conjunction the cheapest child's set is kept, a disjunction
 * needs a set for every child. Rules without one are always candidates.
 *
 * At evaluation each field that has atoms is read once: equality atoms are
 * looked up in a hash table, substring atoms found together in one pass of
 * an Aho-Corasick automaton over the value. The rules of the atoms found,
 * plus the always-candidates, are the candidates, evaluated in order. The
 * prefilter is conservative: it may keep a rule that then does not match,
 * never drop one that would.
 */
#ifndef PE_EVAL_PREFILTER_H
#define PE_EVAL_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

#include "compile/program.h"
#include "event/extract.h"
#include "util/arena.h"

typedef struct pe_prefilter pe_prefilter;

/*
 * Builds the prefilter for rules 0..n-1: conds[i] is rule i's program and
 * active[i] whether it takes part (inactive rules are never candidates).
 * Everything lives in the arena. NULL when out of memory.
 */
pe_prefilter *pe_prefilter_build(pe_arena *a, const pe_cnode *const *conds,
                                 const unsigned char *active, size_t n);

/* Number of 64-bit words of a candidate set. */
size_t pe_prefilter_words(const pe_prefilter *pf);

/*
 * Computes the candidate rules for the view of x into bits (words given by
 * pe_prefilter_words, written entirely). Uses x's scratch arena. Returns 0,
 * or a negative PREMPTI_E_* code when a field could not be extracted.
 */
int pe_prefilter_candidates(const pe_prefilter *pf, pe_xctx *x, uint64_t *bits);

/* For statistics: rules that are always candidates, and atoms indexed. */
size_t pe_prefilter_always_count(const pe_prefilter *pf);
size_t pe_prefilter_atom_count(const pe_prefilter *pf);

#endif
