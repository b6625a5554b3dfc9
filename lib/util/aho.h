/*
 * Aho-Corasick multi-pattern matching: finds which of many literal byte
 * strings occur in a text in one pass, in time linear in the text (plus the
 * number of distinct patterns found). Built once into a region as a dense
 * DFA over byte classes (one table lookup per byte of text); scanning writes
 * only to caller-provided memory, so one automaton may be scanned by many
 * threads at once.
 *
 * The automaton refers to its parts by offsets (util/region.h), so it can be
 * saved and mapped back; its states are numbered breadth-first, so every
 * dictionary link goes to a lower state and following links always ends.
 */
#ifndef PE_UTIL_AHO_H
#define PE_UTIL_AHO_H

#include <stddef.h>
#include <stdint.h>

#include "util/region.h"

#define PE_AHO_NONE UINT32_MAX

/* Where the patterns ending at a state are listed. */
typedef struct pe_aho_state {
    uint32_t out; /* first index into outs */
    uint32_t nout;
    uint32_t dict; /* the nearest lower state on the failure chain with outputs */
} pe_aho_state;

typedef struct pe_aho {
    uint32_t npatterns;
    uint32_t nstates;
    uint32_t nclasses; /* columns of the table */
    uint32_t maxlen;   /* longest pattern */
    uint8_t fold;      /* ASCII case is ignored */
    uint8_t wide;      /* table entries are uint32_t (else uint16_t) */
    uint8_t pad[2];
    pe_ref table;   /* nstates x nclasses next states */
    pe_ref has_out; /* nstates uint8_t: patterns end here or on its dict chain */
    pe_ref states;  /* nstates pe_aho_state */
    pe_ref outs;    /* nouts uint32_t pattern ids */
    uint32_t nouts;
    pe_ref empty; /* nempty uint32_t: patterns of length 0 (they match every text) */
    uint32_t nempty;
    uint8_t cls[256]; /* byte -> column */
} pe_aho;

/*
 * Builds an automaton over n patterns (pats[i], lens[i]). Empty patterns
 * are allowed and match every text. With fold set, matching ignores ASCII
 * case. Returns NULL when the region is full or out of memory.
 */
const pe_aho *pe_aho_build(pe_region *r, const char *const *pats, const size_t *lens, size_t n,
                           int fold);

static inline size_t pe_aho_pattern_count(const pe_aho *ac)
{
    return ac->npatterns;
}

/* Number of 64-bit words a `seen` set needs for this automaton. */
static inline size_t pe_aho_seen_words(const pe_aho *ac)
{
    return ((size_t)ac->npatterns + 63) / 64;
}

/*
 * Scans text with the automaton ac, whose parts are at base. For every
 * pattern that occurs, the first time it is found, sets its bit in seen
 * (which the caller zeroes, pe_aho_seen_words() words) and calls
 * found(user, index). found may be NULL.
 */
void pe_aho_scan(const unsigned char *base, const pe_aho *ac, const char *text, size_t len,
                 uint64_t *seen, void (*found)(void *user, uint32_t index), void *user);

#endif
