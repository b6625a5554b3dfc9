/*
 * A regular expression's needed literal: bytes every text it matches must
 * contain. Matching first looks for them (memmem, far faster than running
 * the automaton) and answers "no match" at once when they are absent — on
 * a 64 KiB text, a few microseconds instead of milliseconds for a pattern
 * such as "(.|\n)*" "/[.]ssh/" "(.|\n)*" (which needs "/.ssh/"). The
 * analysis is conservative: a pattern without such a literal (alternatives,
 * classes, optional parts) simply has none.
 */
#include <stdlib.h>
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

/* ---- sets of needed texts ---- */

/* How well a set filters: its shortest member's length, fewer members
 * breaking ties; 0 for an empty set or one with the empty text. */
static size_t set_score(const rx_set *s)
{
    size_t min = s->n ? RX_NEED_MAX : 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->len[i] < min)
            min = s->len[i];
    return min * (RX_SET_MAX + 1) + (min ? RX_SET_MAX - s->n : 0);
}

/* Adds a member (the empty text too: an exact set may hold it); -1 when
 * the set is full. */
static int set_put(rx_set *s, const char *p, size_t n)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->len[i] == n && memcmp(s->s[i], p, n) == 0)
            return 0;
    if (s->n == RX_SET_MAX)
        return -1;
    memcpy(s->s[s->n], p, n);
    s->len[s->n++] = n;
    return 0;
}

/* dst := src (only the members in use: a set is large). */
static void set_copy(rx_set *dst, const rx_set *src)
{
    dst->n = src->n;
    for (size_t i = 0; i < src->n; i++) {
        dst->len[i] = src->len[i];
        memcpy(dst->s[i], src->s[i], src->len[i]);
    }
}

/* a := a x b (every member of a followed by every member of b); -1 when
 * the product does not fit (a is then unchanged). */
static int set_product(rx_set *a, const rx_set *b, rx_set *tmp)
{
    if (a->n * b->n > RX_SET_MAX)
        return -1;
    if (a->n == 1 && b->n == 1) { /* a run of literals: in place */
        if (a->len[0] + b->len[0] > RX_NEED_MAX)
            return -1;
        memcpy(a->s[0] + a->len[0], b->s[0], b->len[0]);
        a->len[0] += b->len[0];
        return 0;
    }
    tmp->n = 0;
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++) {
            if (a->len[i] + b->len[j] > RX_NEED_MAX)
                return -1;
            char cat[RX_NEED_MAX];
            memcpy(cat, a->s[i], a->len[i]);
            memcpy(cat + a->len[i], b->s[j], b->len[j]);
            if (set_put(tmp, cat, a->len[i] + b->len[j]))
                return -1;
        }
    set_copy(a, tmp);
    return 0;
}

/* A node's needed texts: *out and whether they are exact (every match of
 * the node is one of them, so neighbours can be joined to them). */
typedef struct nset {
    rx_set set;
    int exact;
} nset;

static void keep_best(nset *best, const nset *cand)
{
    if (set_score(&cand->set) > set_score(&best->set)) {
        set_copy(&best->set, &cand->set);
        best->exact = 0;
    }
}

/* The set of node nd into *out (possibly empty: none known); -1 when out
 * of memory. A node's own literal (exact text or need) is a set of one; an
 * alternation whose every branch has a set is the union of theirs (exact
 * when every branch is); a concatenation joins runs of exact parts (each
 * member of one followed by each of the next: "[.](md|rst)" needs ".md" or
 * ".rst") and keeps its best run or part; a repetition at least once needs
 * what its part needs. */
static int need_set(const rx_node *nd, const rx_range *pool, nset *out, unsigned depth)
{
    out->set.n = 0;
    out->exact = 0;
    if (nd->k != RX_N_CAT && nd->k != RX_N_ALT && nd->k != RX_N_REP) { /* a leaf */
        lit l;
        analyse(nd, pool, &l);
        out->exact = l.exact;
        if (l.exact)
            set_put(&out->set, l.s, l.n);
        if (l.exact)
            return 0;
    }
    if (depth > 32)
        return 0;
    if (nd->k == RX_N_CLASS) { /* a few ASCII characters: each one */
        uint32_t count = 0;
        for (uint32_t i = 0; i < nd->rcount; i++) {
            const rx_range *r = &pool[nd->rfirst + i];
            count += r->hi < 0x80 ? r->hi - r->lo + 1 : RX_SET_MAX;
        }
        for (uint32_t i = 0; count <= 8 && i < nd->rcount; i++)
            for (uint32_t c = pool[nd->rfirst + i].lo; c <= pool[nd->rfirst + i].hi; c++) {
                char ch = (char)c;
                set_put(&out->set, &ch, 1);
            }
        out->exact = count <= 8 && out->set.n > 0;
        return 0;
    }
    if (nd->k == RX_N_REP) {
        if (nd->min < 1)
            return 0;
        nset *k = malloc(sizeof(*k));
        if (!k || need_set(nd->sub, pool, k, depth + 1)) {
            free(k);
            return -1;
        }
        if (k->exact && nd->min == 1 && nd->max == 1) { /* (x){1} is x */
            set_copy(&out->set, &k->set);
            out->exact = 1;
        } else {
            keep_best(out, k);
        }
        free(k);
        return 0;
    }
    if (nd->k != RX_N_CAT && nd->k != RX_N_ALT)
        return 0;
    /* k: a part's set; acc: the run (CAT) or union (ALT) so far; tmp */
    nset *m = malloc(3 * sizeof(*m));
    if (!m)
        return -1;
    nset *k = &m[0], *acc = &m[1];
    rx_set *tmp = &m[2].set;
    acc->set.n = 0;
    acc->exact = 1;
    if (nd->k == RX_N_CAT)
        set_put(&acc->set, "", 0); /* the empty run */
    int whole = 1, rc = 0;
    for (uint32_t i = 0; i < nd->nkids && !rc; i++) {
        if ((rc = need_set(nd->kids[i], pool, k, depth + 1)) < 0)
            break;
        if (nd->k == RX_N_ALT) {
            whole &= k->set.n > 0;
            acc->exact &= k->exact;
            for (size_t j = 0; whole && j < k->set.n; j++)
                if (set_put(&acc->set, k->set.s[j], k->set.len[j]))
                    whole = 0; /* too many */
            continue;
        }
        if (k->exact && acc->exact && set_product(&acc->set, &k->set, tmp) == 0)
            continue; /* the run goes on */
        whole = 0;
        keep_best(out, acc); /* the run ends */
        keep_best(out, k);
        set_copy(&acc->set, &k->set);
        acc->exact = k->exact;
        if (!k->exact) { /* a new run starts after it */
            acc->set.n = 0;
            acc->exact = 1;
            set_put(&acc->set, "", 0);
        }
    }
    if (!rc && whole && acc->set.n) {
        if (set_score(&acc->set) >= set_score(&out->set) || acc->exact) {
            set_copy(&out->set, &acc->set);
            out->exact = acc->exact;
        }
    } else if (!rc && nd->k == RX_N_CAT) {
        keep_best(out, acc); /* the last run (a partial union is nothing) */
    }
    free(m);
    return rc;
}

int rx_need_set(const rx_tree *t, rx_set *out)
{
    nset *n = malloc(sizeof(*n));
    if (!n || need_set(t->root, t->pool, n, 0) < 0) {
        free(n);
        return -1;
    }
    set_copy(out, &n->set);
    free(n);
    for (size_t i = 0; i < out->n; i++)
        if (!out->len[i])
            out->n = 0; /* the empty text is in every text */
    return (int)out->n;
}

/* ---- needed bytes ---- */

static void add_bytes(const char *s, size_t n, const char *need, size_t nn, unsigned char *seen)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c && c < 0x80 && !memchr(need, c, nn))
            seen[c] = 1;
    }
}

size_t rx_need_bytes(const rx_tree *t, const char *need, size_t need_len, char *out)
{
    unsigned char seen[128] = {0};
    const rx_node *nd = t->root;
    /* the parts of a concatenation are each needed: their literals' bytes */
    const rx_node *const *kids = (const rx_node *const *)&nd;
    size_t nk = 1;
    if (nd->k == RX_N_CAT) {
        kids = (const rx_node *const *)nd->kids;
        nk = nd->nkids;
    }
    for (size_t i = 0; i < nk; i++) {
        lit l;
        analyse(kids[i], t->pool, &l);
        if (l.exact)
            add_bytes(l.s, l.n, need, need_len, seen);
        else
            add_bytes(l.need, l.nn, need, need_len, seen);
    }
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) /* punctuation first: rarer in text */
        for (int c = 1; c < 128 && n < RX_BYTES_MAX; c++) {
            int alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (seen[c] && alnum == pass && c > ' ')
                out[n++] = (char)c;
        }
    return n;
}

size_t rx_need(const rx_tree *t, char out[RX_NEED_MAX])
{
    lit l;
    analyse(t->root, t->pool, &l);
    memcpy(out, l.need, l.nn);
    return l.nn;
}
