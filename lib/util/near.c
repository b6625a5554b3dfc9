#include "util/near.h"

#include <string.h>

#define NEAR_MAX_LEN 64

unsigned pe_edit_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned max)
{
    if (alen > NEAR_MAX_LEN || blen > NEAR_MAX_LEN)
        return max + 1;
    if ((alen > blen ? alen - blen : blen - alen) > max)
        return max + 1;
    unsigned d[NEAR_MAX_LEN + 1][NEAR_MAX_LEN + 1];
    for (size_t i = 0; i <= alen; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= blen; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= alen; i++) {
        unsigned row_min = max + 1;
        for (size_t j = 1; j <= blen; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
            if (v < row_min)
                row_min = v;
        }
        if (row_min > max)
            return max + 1;
    }
    return d[alen][blen] <= max ? d[alen][blen] : max + 1;
}

void pe_near_consider(const char *word, size_t len, const char *cand, const char **best,
                      unsigned *best_d)
{
    unsigned max = len <= 4 ? 1 : len <= 12 ? 2 : 3;
    size_t clen = strlen(cand);
    if (clen == len && memcmp(word, cand, len) == 0)
        return; /* the word itself is no suggestion */
    unsigned dist = pe_edit_distance(word, len, cand, clen, max);
    if (dist > max && len >= 3 && clen > len && memcmp(word, cand, len) == 0)
        dist = max; /* a prefix of the name (claude for claude_code): a weak hint */
    if (dist <= max && (!*best || dist < *best_d)) {
        *best = cand;
        *best_d = dist;
    }
}
