/*
 * Aho-Corasick multi-pattern matching: finds which of many literal byte
 * strings occur in a text in one pass, in time linear in the text (plus the
 * number of distinct patterns found). Built once into an arena; scanning
 * writes only to caller-provided memory, so one automaton may be scanned by
 * many threads at once.
 */
#ifndef PE_UTIL_AHO_H
#define PE_UTIL_AHO_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

typedef struct pe_aho pe_aho;

/*
 * Builds an automaton over n patterns (pats[i], lens[i]). Empty patterns
 * are allowed and match every text. With fold set, matching ignores ASCII
 * case. Returns NULL when out of memory.
 */
pe_aho *pe_aho_build(pe_arena *a, const char *const *pats, const size_t *lens, size_t n,
                     int fold);

size_t pe_aho_pattern_count(const pe_aho *ac);

/* Number of 64-bit words a `seen` set needs for this automaton. */
size_t pe_aho_seen_words(const pe_aho *ac);

/*
 * Scans text. For every pattern that occurs, the first time it is found,
 * sets its bit in seen (which the caller zeroes, pe_aho_seen_words() words)
 * and calls found(user, index). found may be NULL.
 */
void pe_aho_scan(const pe_aho *ac, const char *text, size_t len, uint64_t *seen,
                 void (*found)(void *user, uint32_t index), void *user);

#endif
