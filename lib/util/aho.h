/*
 * Aho-Corasick multi-pattern matching: finds which of many literal byte
 * strings occur in a text in one pass, in time linear in the text (plus the
 * number of distinct patterns found).
 *
 * An automaton is built once into a region in its compact form: states
 * numbered breadth-first with their own edges, a failure link and a
 * dictionary link each (always to a lower state, so following links always
 * ends), the root's transitions as a table. That form refers to its parts
 * by offsets (util/region.h), so it can be saved and mapped back. For
 * speed a dense DFA over byte classes (one table lookup per byte, no
 * failure links) can be derived from it in memory (pe_aho_dense_build).
 * Scanning writes only to caller-provided memory, so one automaton may be
 * scanned by many threads at once.
 */
#ifndef PE_UTIL_AHO_H
#define PE_UTIL_AHO_H

#include <stddef.h>
#include <stdint.h>

#include "util/region.h"

#define PE_AHO_NONE UINT32_MAX

typedef struct pe_aho_state {
    uint32_t edges; /* first index into the edge array */
    uint32_t nedges;
    uint32_t fail; /* the longest proper suffix that is a state (lower) */
    uint32_t dict; /* the nearest state on the failure chain with outputs (lower), or NONE */
    uint32_t out;  /* first index into outs: the patterns ending here */
    uint32_t nout;
} pe_aho_state;

/* An edge: the target state << 8 | the byte (folded when matching ignores
 * case). A state's edges are sorted by byte. */
typedef uint32_t pe_aho_edge;

typedef struct pe_aho {
    uint32_t npatterns;
    uint32_t nstates;
    uint32_t maxlen; /* longest pattern */
    uint8_t fold;    /* ASCII case is ignored */
    uint8_t pad[3];
    pe_ref states; /* nstates pe_aho_state */
    pe_ref edges;  /* nedges pe_aho_edge */
    uint32_t nedges;
    pe_ref outs; /* nouts uint32_t pattern ids */
    uint32_t nouts;
    pe_ref empty; /* nempty uint32_t: patterns of length 0 (they match every text) */
    uint32_t nempty;
    uint32_t root[256]; /* the root's next state for each (folded) byte */
} pe_aho;

/* The same automaton as a dense DFA, in memory (never in an image). */
typedef struct pe_aho_dense pe_aho_dense;

/*
 * Builds an automaton over n patterns (pats[i], lens[i]). Empty patterns
 * are allowed and match every text. With fold set, matching ignores ASCII
 * case. Returns NULL when the region is full or out of memory.
 */
const pe_aho *pe_aho_build(pe_region *r, const char *const *pats, const size_t *lens, size_t n,
                           int fold);

/* The dense form of ac (whose parts are at base); NULL when out of memory
 * or when it would take more than max_bytes. Free with pe_aho_dense_free(). */
pe_aho_dense *pe_aho_dense_build(const unsigned char *base, const pe_aho *ac, size_t max_bytes);
void pe_aho_dense_free(pe_aho_dense *d);
/* Bytes the dense form takes. */
size_t pe_aho_dense_size(const pe_aho_dense *d);

static inline size_t pe_aho_pattern_count(const pe_aho *ac)
{
    return ac->npatterns;
}

/* Number of 64-bit words a `seen` set needs for this automaton. */
static inline size_t pe_aho_seen_words(const pe_aho *ac)
{
    return ((size_t)ac->npatterns + 63) / 64;
}

/* Checks an automaton read back from an image: every part in bounds, every
 * transition, link and pattern id in range, links to lower states. 0 with
 * *out set, or -1 with the problem in c. */
int pe_aho_check(pe_rcheck *c, pe_ref ref, const pe_aho **out);

/*
 * Scans text with the automaton ac, whose parts are at base, through its
 * dense form when dense is not NULL. For every pattern that occurs, the
 * first time it is found, sets its bit in seen (which the caller zeroes,
 * pe_aho_seen_words() words) and calls found(user, index). found may be
 * NULL.
 */
void pe_aho_scan(const unsigned char *base, const pe_aho *ac, const pe_aho_dense *dense,
                 const char *text, size_t len, uint64_t *seen,
                 void (*found)(void *user, uint32_t index), void *user);

#endif
