/*
 * The matching machinery behind lookalike.c: what an edit costs, the edit
 * distance matrix, sorted name blobs, walking a blob as a trie, and
 * skeletons (a name with separators dropped and look-alikes folded).
 *
 * A popular list is one sorted NUL-separated blob. A text is compared with
 * all of its names at once by walking the blob as a trie: the matrix rows
 * of a name's prefix are shared with every following name that has the
 * same prefix, and as soon as no name with a prefix can come within the
 * distance searched (or its next byte cannot), all of them are skipped by a
 * binary search. The first letter may only be a look-alike of the text's,
 * so a walk starts at the few first letters that can match.
 *
 * Costs (see lookalike.h for why): separators are free to insert, delete
 * or exchange; look-alikes ('0' 'o'; '1' 'l' 'i'; "rn" 'm'; "vv" 'w') are
 * free to exchange; inserting or deleting a letter, swapping two
 * neighbours, substituting a letter for one next to it on a QWERTY
 * keyboard or a vowel for another costs 1; anything else (other
 * substitutions, digits inserted, deleted or changed, any edit of the first
 * letter but a look-alike) is out of reach. A text never starts with a
 * separator.
 */
#ifndef PE_UTIL_LOOKALIKE_MATCH_H
#define PE_UTIL_LOOKALIKE_MATCH_H

#include <stddef.h>

#include "util/lookalike.h"

/* Distances saturate here: nothing above 2 is ever accepted. */
#define PE_LK_FAR 3
/* Longest text compared: a candidate with an affix added. */
#define PE_LK_FORM_MAX (PE_LOOKALIKE_CAND_MAX + 16)

typedef unsigned char pe_lk_dist;

static inline int pe_lk_is_sep(char ch)
{
    return ch == '-' || ch == '_' || ch == '.';
}

static inline int pe_lk_is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* ---- sorted NUL-separated blobs ------------------------------------------ */

typedef struct pe_lk_blob {
    const char *start, *end;
} pe_lk_blob;

/* The first name in [lo, end) not below key (klen bytes). */
const char *pe_lk_lower_bound(const char *lo, const char *end, const char *key, size_t klen);

/* Whether the blob holds key exactly. */
int pe_lk_blob_has(pe_lk_blob b, const char *key, size_t klen);

/* The first name in (s, end) that does not start with s's first j bytes
 * (1 <= j <= strlen(s)). */
const char *pe_lk_skip_prefix(const char *s, size_t j, const char *end);

/* ---- edit distance ----------------------------------------------------------- */

/* What the costs need to know of a byte. */
typedef struct pe_lk_letter {
    char folded;
    unsigned char key; /* 0x80 | row << 4 | column on a QWERTY keyboard, 0 when none */
    unsigned char sep, digit, vowel;
    unsigned char pair; /* may be part of a look-alike pair */
    pe_lk_dist indel;   /* cost of inserting or deleting it */
} pe_lk_letter;

/* The matrix of a text against the prefixes of popular names: row j is
 * the first j bytes of a name, column i the first i bytes of the text. */
typedef struct pe_lk_matrix {
    const char *c;
    size_t n;
    int k; /* cells above k are as good as PE_LK_FAR */
    pe_lk_letter cl[PE_LK_FORM_MAX];
    pe_lk_letter letters[128]; /* of popular bytes, worked out when first met */
    unsigned char known[128];
    pe_lk_dist d[PE_LOOKALIKE_NAME_MAX + 1][PE_LK_FORM_MAX + 1];
    pe_lk_dist row_min[PE_LOOKALIKE_NAME_MAX + 1];
    /* first and last column at most k in each row (lo > hi: none) */
    size_t lo[PE_LOOKALIKE_NAME_MAX + 1], hi[PE_LOOKALIKE_NAME_MAX + 1];
} pe_lk_matrix;

/* The distance between a and b, or PE_LK_FAR when it is above k. */
pe_lk_dist pe_lk_distance(const char *a, size_t an, const char *b, size_t bn, int k);

typedef struct pe_lk_walk pe_lk_walk;
struct pe_lk_walk {
    pe_lk_matrix x;
    int k;      /* largest distance wanted */
    int second; /* only names whose second byte is a look-alike of the text's */
    /* called for every name p (m bytes) that may be within k: x.d[m][x.n]
     * is its distance, x.d[j][x.n] that of its first j bytes */
    void (*visit)(pe_lk_walk *w, const char *p, size_t m);
    void *ctx;
};

/* Walks the names of b against text (n bytes, at most PE_LK_FORM_MAX). */
void pe_lk_walk_table(pe_lk_walk *w, pe_lk_blob b, const char *text, size_t n);

/* ---- skeletons: separators dropped, look-alikes folded -------------------------- */

/* Writes s's skeleton (at most n bytes) to out and returns its length. */
size_t pe_lk_skeleton(const char *s, size_t n, char *out);

typedef enum pe_lk_skeleton_match {
    PE_LK_EQUAL,
    PE_LK_LONGER, /* p's skeleton goes on after want's */
    PE_LK_SHORTER,
    PE_LK_DIFFERS
} pe_lk_skeleton_match;

/*
 * Compares p's skeleton with want (wn bytes, a skeleton). PE_LK_LONGER:
 * *after is where p's bytes go on. PE_LK_DIFFERS and PE_LK_LONGER: every
 * name that starts with p's first *seen bytes compares the same way.
 */
pe_lk_skeleton_match pe_lk_skeleton_compare(const char *p, size_t m, const char *want, size_t wn,
                                            size_t *after, size_t *seen);

/* Whether a and b have the same skeleton. */
int pe_lk_same_skeleton(const char *a, size_t an, const char *b, size_t bn);

/* Whether a name starting with byte ch may have a skeleton starting with
 * first. */
int pe_lk_may_start(char ch, char first);

#endif
