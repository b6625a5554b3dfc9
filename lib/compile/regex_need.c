/*
 * A regular expression's needed literal: bytes every text it matches must
 * contain. Matching first looks for them (memmem, far faster than running
 * the automaton) and answers "no match" at once when they are absent — on
 * a 64 KiB text, a few microseconds instead of milliseconds for a pattern
 * such as "(.|\n)*" "/[.]ssh/" "(.|\n)*" (which needs "/.ssh/"). The
 * analysis is conservative: a pattern without such a literal (alternatives,
 * classes, optional parts) simply has none.
 */
#include <string.h>

#include "compile/regex_internal.h"
#include "util/utf8.h"

/* What a node tells: the one text it matches (exact), or a text every
 * match contains (need). */
typedef struct lit {
    int exact; /* the node matches exactly the text in s */
    char s[RX_NEED_MAX];
    size_t n;
    char need[RX_NEED_MAX];
    size_t nn;
} lit;

/* Keeps the longer of the candidate and the best so far. */
static void keep(lit *out, const char *s, size_t n)
{
    if (n > out->nn) {
        memcpy(out->need, s, n);
        out->nn = n;
    }
}

/* A rune as a literal: invalid bytes of a text count as U+FFFD, so that
 * rune has no fixed bytes. */
static int rune_lit(uint32_t r, lit *out)
{
    if (r == 0xFFFD)
        return 0;
    out->exact = 1;
    out->n = pe_utf8_encode(r, out->s);
    return out->n > 0;
}

static void analyse(const rx_node *nd, const rx_range *pool, lit *out);

/* A concatenation: runs of exact neighbours join (zero-width anchors join
 * what surrounds them, which is adjacent in the text); the longest run or
 * need of a part is needed. */
static void analyse_cat(const rx_node *nd, const rx_range *pool, lit *out)
{
    char run[RX_NEED_MAX];
    size_t n = 0;
    int whole = 1; /* every part exact and the run never cut */
    for (uint32_t i = 0; i < nd->nkids; i++) {
        lit k;
        analyse(nd->kids[i], pool, &k);
        if (k.exact && n + k.n <= sizeof(run)) {
            memcpy(run + n, k.s, k.n);
            n += k.n;
            continue;
        }
        keep(out, run, n);
        if (k.exact) { /* too long to join: its start is still needed */
            memcpy(run, k.s, k.n < sizeof(run) ? k.n : sizeof(run));
            n = k.n < sizeof(run) ? k.n : sizeof(run);
            keep(out, run, n);
            n = 0;
        } else {
            keep(out, k.need, k.nn);
            n = 0;
        }
        whole = 0;
    }
    keep(out, run, n);
    if (whole) {
        out->exact = 1;
        memcpy(out->s, run, n);
        out->n = n;
    }
}

static void analyse(const rx_node *nd, const rx_range *pool, lit *out)
{
    memset(out, 0, sizeof(*out));
    switch (nd->k) {
    case RX_N_EMPTY:
    case RX_N_BOL:
    case RX_N_EOL:
        out->exact = 1; /* the empty text */
        break;
    case RX_N_LIT:
        rune_lit(nd->rune, out);
        break;
    case RX_N_CLASS:
        if (nd->rcount == 1 && pool[nd->rfirst].lo == pool[nd->rfirst].hi)
            rune_lit(pool[nd->rfirst].lo, out);
        break;
    case RX_N_CAT:
        analyse_cat(nd, pool, out);
        break;
    case RX_N_REP:
        if (nd->min >= 1) { /* the part occurs at least once */
            lit k;
            analyse(nd->sub, pool, &k);
            if (k.exact && nd->min == 1 && nd->max == 1)
                *out = k;
            else
                keep(out, k.exact ? k.s : k.need, k.exact ? k.n : k.nn);
        }
        break;
    case RX_N_ANY:
    case RX_N_ALT:
        break; /* no fixed text */
    }
    if (out->exact)
        keep(out, out->s, out->n);
}

size_t rx_need(const rx_tree *t, char out[RX_NEED_MAX])
{
    lit l;
    analyse(t->root, t->pool, &l);
    memcpy(out, l.need, l.nn);
    return l.nn;
}
