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
 *
 * The same automata answer the checks themselves: every `contains` and
 * `icontains` literal on a plain field is a pattern of its field's
 * automaton, and building the index gives each such check its pattern ids
 * (pe_check.lit_group / lit_ids). During evaluation a field is scanned at
 * most once per view — when candidates are computed if it has triggers,
 * else when the first check asks — and each check reads one bit.
 */
#ifndef PE_EVAL_PREFILTER_H
#define PE_EVAL_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

#include "compile/program.h"
#include "event/extract.h"
#include "util/arena.h"
#include "util/region.h"

typedef struct pe_prefilter pe_prefilter;

/*
 * Builds the prefilter for rules 0..n-1: conds[i] is rule i's program and
 * active[i] whether it takes part (inactive rules are never candidates).
 * The programs are in region r, which the prefilter is built into (it
 * writes the indexed checks' pattern ids). NULL when r is full or out of
 * memory.
 */
const pe_prefilter *pe_prefilter_build(pe_region *r, const pe_cnode *const *conds,
                                       const unsigned char *active, size_t n);

/*
 * Checking a prefilter read back from an image, over nrules rules of which
 * those with evaluable[i] set may be candidates: 0, or -1 with the problem
 * in c. The head (the prefilter, its always-candidates, its tables' and
 * groups' arrays, each automaton's header) first: it fills *ngroups and
 * *patterns (a new array, free() it: each group's number of patterns, what
 * checks' literal ids must stay under). Each exact table and each group
 * (its automaton and rule lists) separately, before its first use.
 */
int pe_prefilter_check_head(pe_rcheck *c, pe_ref ref, const uint8_t *evaluable, uint32_t nrules,
                            uint32_t *ngroups, uint32_t **patterns);
int pe_prefilter_check_exact(pe_rcheck *c, const pe_prefilter *pf, uint32_t j,
                             const uint8_t *evaluable, uint32_t nrules);
int pe_prefilter_check_group(pe_rcheck *c, const pe_prefilter *pf, uint32_t g,
                             const uint8_t *evaluable, uint32_t nrules);

/*
 * The dense automata of a prefilter's groups (util/aho.h), derived in
 * memory from the compact ones in the image: all at once (eager, for an
 * engine compiled here), or each once its group has scanned enough text
 * to repay the work (for an engine mapped from an image: a hook that
 * evaluates one event never builds one). Evaluation may build one while
 * other threads scan: publication is atomic. Free with pe_accel_free().
 */
typedef struct pe_accel pe_accel;

/* check: for an image read back, how its parts are checked before their
 * first use (copied; evaluable, nrules as for pe_prefilter_check_head,
 * borrowed); NULL for an engine compiled here (trusted). A damaged part
 * makes pe_prefilter_candidates() fail with PREMPTI_E_IMAGE. */
pe_accel *pe_accel_new(const unsigned char *base, const pe_prefilter *pf, int eager,
                       const pe_rcheck *check, const uint8_t *evaluable, uint32_t nrules);
void pe_accel_free(pe_accel *a);
/* Checks every part now: 0, or -1 when one is damaged. */
int pe_accel_check_all(pe_accel *a);
/* Bytes the dense automata built so far take. */
size_t pe_accel_bytes(const pe_accel *a);

/* Number of 64-bit words of a candidate set. */
size_t pe_prefilter_words(const pe_prefilter *pf);

/*
 * Starts the evaluation of the view of x: computes the candidate rules into
 * bits (words given by pe_prefilter_words, written entirely) and attaches
 * the per-view literal answers to x (x->lits). pf is in x->img. Uses x's
 * scratch arena.
 * Returns 0, or a negative PREMPTI_E_* code when a field could not be
 * extracted.
 */
int pe_prefilter_candidates(const pe_prefilter *pf, pe_accel *accel, pe_xctx *x, uint64_t *bits);

/*
 * The answer of an indexed check (lit_ids set) for its value i, on the view
 * of x, which pe_prefilter_candidates() prepared: 1, 0, or a negative code.
 */
int pe_lits_answer(pe_xctx *x, const pe_check *k, size_t i);

/* For statistics: rules that are always candidates, and atoms indexed. */
size_t pe_prefilter_always_count(const pe_prefilter *pf);
size_t pe_prefilter_atom_count(const pe_prefilter *pf);

#endif
