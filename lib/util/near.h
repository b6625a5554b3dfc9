/*
 * Nearest names, for "did you mean ...?" hints in diagnostics.
 */
#ifndef PE_UTIL_NEAR_H
#define PE_UTIL_NEAR_H

#include <stddef.h>

/*
 * The optimal string alignment distance between a and b (insertions,
 * deletions, substitutions, transpositions of neighbours), or max + 1 when
 * it is larger than max. Names longer than 64 bytes count as far.
 */
unsigned pe_edit_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned max);

/*
 * Keeps the better of *best and cand as the suggestion for word: a
 * candidate qualifies within distance 1 for words of up to 4 bytes, 2 up to
 * 12, 3 beyond, or when word is a prefix of it (as far as the largest
 * distance allowed); ties keep the earlier one. *best_d holds the distance of
 * *best (start with *best = NULL).
 */
void pe_near_consider(const char *word, size_t len, const char *cand, const char **best,
                      unsigned *best_d);

#endif
