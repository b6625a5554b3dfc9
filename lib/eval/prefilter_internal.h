/*
 * The prefilter's layout in an image and the per-evaluation state, shared
 * by its stages: building (prefilter.c), checking a copy read back
 * (prefilter_check.c) and computing candidates (candidates.c).
 */
#ifndef PE_EVAL_PREFILTER_INTERNAL_H
#define PE_EVAL_PREFILTER_INTERNAL_H

#include "eval/prefilter.h"

_Static_assert(PE_F_COUNT < 256, "field ids are stored in one byte of index keys");

/* The rules an atom triggers. */
typedef struct pf_rules {
    pe_ref ids; /* n uint32_t rule indexes */
    uint32_t n;
} pf_rules;

typedef struct exact_slot {
    pe_rstr s; /* off 0: empty slot */
    pf_rules rules;
} exact_slot;

/* Equality atoms of one field: a hash table from value to rules (cap a
 * power of two, at least one slot empty), and the rules triggered by the
 * field having a value at all (for a boolean field: the value true). */
typedef struct pf_exact {
    uint8_t field; /* pe_field_id */
    uint8_t type;  /* pe_ftype */
    uint8_t pad[2];
    uint32_t cap;
    pe_ref slots; /* cap exact_slot */
    pf_rules present;
} pf_exact;

/* The substring literals of one field, with or without case: one automaton
 * answers every contains/icontains check on that field, and triggers rules. */
typedef struct pf_group {
    uint8_t field;    /* pe_field_id */
    uint8_t triggers; /* scanned when candidates are computed */
    uint8_t pad[2];
    pe_ref aho;   /* pe_aho */
    pe_ref rules; /* per pattern: the rules it triggers (often none), pf_rules */
} pf_group;

struct pe_prefilter {
    uint32_t nrules, words;
    pe_ref always; /* words uint64_t */
    pe_ref exact;  /* nexact pf_exact */
    uint32_t nexact;
    pe_ref groups; /* ngroups pf_group */
    uint32_t ngroups;
    uint32_t natoms, nalways;
};

/* Per evaluation of one view: each group's found patterns, once scanned. */
struct pe_lits {
    const unsigned char *base;
    const pe_prefilter *pf;
    pe_accel *accel;
    uint64_t **found; /* per group; NULL until the group's field is scanned */
    uint64_t *cands;  /* the candidate set while it is being computed */
};

#endif
