#include "util/aho.h"

#include <stdlib.h>
#include <string.h>

/* Texts at least this long are scanned as four interleaved streams. */
#define SPLIT_MIN 1024

static unsigned char fold_byte(unsigned char c, int fold)
{
    return fold && c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* ---- the trie (temporary heap structures) ---- */

/*
 * Node i > 0 has a parent and the byte leading to it; children are found
 * through one hash table keyed by (parent, byte); term[p] is the node where
 * pattern p ends (0 for an empty pattern).
 */
typedef struct trie {
    uint32_t *parent;
    unsigned char *byte;
    size_t n;
    uint64_t *keys; /* (parent << 8 | byte) + 1; 0: empty slot */
    uint32_t *vals;
    size_t hcap; /* power of two */
    uint32_t *term;
} trie;

static void trie_free(trie *t)
{
    free(t->parent);
    free(t->byte);
    free(t->keys);
    free(t->vals);
    free(t->term);
}

static int trie_start(trie *t, const size_t *lens, size_t n)
{
    size_t total = 1;
    for (size_t i = 0; i < n; i++) {
        if (lens[i] > UINT32_MAX - 1 - total)
            return -1; /* states are numbered in 32 bits */
        total += lens[i];
    }
    t->hcap = 16;
    while (t->hcap < total * 2)
        t->hcap *= 2;
    t->parent = malloc(total * sizeof(*t->parent));
    t->byte = malloc(total);
    t->keys = calloc(t->hcap, sizeof(*t->keys));
    t->vals = malloc(t->hcap * sizeof(*t->vals));
    t->term = calloc(n + 1, sizeof(*t->term));
    if (!t->parent || !t->byte || !t->keys || !t->vals || !t->term)
        return -1;
    t->parent[0] = 0;
    t->byte[0] = 0;
    t->n = 1;
    return 0;
}

/* The child of node cur for byte c, created when missing (there is room:
 * the arrays hold one node per pattern byte). */
static uint32_t child(trie *t, uint32_t cur, unsigned char c)
{
    uint64_t key = ((uint64_t)cur << 8 | c) + 1;
    size_t h = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & (t->hcap - 1);
    while (t->keys[h] && t->keys[h] != key)
        h = (h + 1) & (t->hcap - 1);
    if (t->keys[h])
        return t->vals[h];
    uint32_t to = (uint32_t)t->n++;
    t->parent[to] = cur;
    t->byte[to] = c;
    t->keys[h] = key;
    t->vals[h] = to;
    return to;
}

static void insert(trie *t, const char *p, size_t len, uint32_t id, int fold)
{
    uint32_t cur = 0;
    for (size_t i = 0; i < len; i++)
        cur = child(t, cur, fold_byte((unsigned char)p[i], fold));
    t->term[id] = cur;
}

/* ---- breadth-first numbering ---- */

/*
 * The trie's nodes in breadth-first order: order[k] is the node numbered k,
 * num[node] its number; kids of node k (in byte order) are
 * kid[first[k] .. first[k + 1]), as node ids.
 */
typedef struct bfs {
    uint32_t *order, *num, *first, *kid;
} bfs;

static void bfs_free(bfs *b)
{
    free(b->order);
    free(b->num);
    free(b->first);
    free(b->kid);
}

static int bfs_build(bfs *b, const trie *t)
{
    size_t n = t->n;
    uint32_t *count = calloc(n + 1, sizeof(*count));
    b->order = malloc(n * sizeof(*b->order));
    b->num = malloc(n * sizeof(*b->num));
    b->first = calloc(n + 1, sizeof(*b->first));
    b->kid = malloc(n * sizeof(*b->kid));
    if (!count || !b->order || !b->num || !b->first || !b->kid) {
        free(count);
        return -1;
    }
    /* children grouped by parent (node ids), then sorted by byte */
    for (size_t i = 1; i < n; i++)
        count[t->parent[i] + 1]++;
    for (size_t i = 0; i < n; i++)
        count[i + 1] += count[i];
    uint32_t *grouped = b->first; /* reused below: start of each parent's group */
    memcpy(grouped, count, (n + 1) * sizeof(*count));
    for (size_t i = 1; i < n; i++)
        b->kid[count[t->parent[i]]++] = (uint32_t)i;
    for (size_t p = 0; p < n; p++) { /* few children each: insertion sort */
        uint32_t *k = b->kid + grouped[p];
        size_t m = grouped[p + 1] - grouped[p];
        for (size_t i = 1; i < m; i++)
            for (size_t j = i; j > 0 && t->byte[k[j - 1]] > t->byte[k[j]]; j--) {
                uint32_t x = k[j];
                k[j] = k[j - 1];
                k[j - 1] = x;
            }
    }
    free(count);
    size_t head = 0, tail = 0;
    b->order[tail++] = 0;
    while (head < tail) {
        uint32_t node = b->order[head++];
        for (uint32_t i = grouped[node]; i < grouped[node + 1]; i++)
            b->order[tail++] = b->kid[i];
    }
    for (size_t k = 0; k < n; k++)
        b->num[b->order[k]] = (uint32_t)k;
    return 0;
}

/* ---- the compact automaton ---- */

/* The state reached from s (> 0) on byte c, or NONE. */
static uint32_t goto_of(const pe_aho_state *st, const pe_aho_edge *edges, uint32_t s,
                        unsigned char c)
{
    const pe_aho_edge *e = edges + st[s].edges;
    uint32_t lo = 0, hi = st[s].nedges;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        unsigned char b = (unsigned char)(e[mid] & 0xff);
        if (b == c)
            return e[mid] >> 8;
        if (b < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return PE_AHO_NONE;
}

/* Edges from the trie, renumbered breadth-first and sorted by byte; the
 * root's in its table. */
static void fill_edges(pe_aho *ac, const trie *t, const bfs *b, pe_aho_state *st,
                       pe_aho_edge *edges)
{
    uint32_t k = 0;
    for (size_t s = 0; s < t->n; s++) {
        uint32_t node = b->order[s];
        st[s].edges = k;
        for (uint32_t i = b->first[node]; i < b->first[node + 1]; i++) {
            uint32_t kid = b->num[b->kid[i]];
            unsigned char byte = t->byte[b->kid[i]];
            if (s == 0)
                ac->root[byte] = kid;
            else
                edges[k++] = kid << 8 | byte;
        }
        st[s].nedges = k - st[s].edges;
    }
    ac->nedges = k;
}

/* Failure and dictionary links, breadth-first (a link always goes to a
 * state already done). */
static void fill_links(const pe_aho *ac, pe_aho_state *st, const pe_aho_edge *edges)
{
    st[0].fail = 0;
    st[0].dict = PE_AHO_NONE;
    for (int c = 0; c < 256; c++)
        if (ac->root[c])
            st[ac->root[c]].fail = 0;
    for (uint32_t s = 0; s < ac->nstates; s++) {
        for (uint32_t k = 0; s && k < st[s].nedges; k++) {
            uint32_t kid = edges[st[s].edges + k] >> 8;
            unsigned char c = (unsigned char)(edges[st[s].edges + k] & 0xff);
            uint32_t f = st[s].fail, g;
            while (f && (g = goto_of(st, edges, f, c)) == PE_AHO_NONE)
                f = st[f].fail;
            st[kid].fail = f ? goto_of(st, edges, f, c) : ac->root[c];
        }
        if (s) {
            uint32_t f = st[s].fail;
            st[s].dict = st[f].nout ? f : st[f].dict;
        }
    }
}

/* Patterns ending at each state, in pattern order. */
static void fill_outputs(const trie *t, const bfs *b, const size_t *lens, size_t npat,
                         pe_aho_state *st, uint32_t *outs, uint32_t *nouts)
{
    for (size_t p = 0; p < npat; p++)
        if (lens[p])
            st[b->num[t->term[p]]].nout++;
    uint32_t off = 0;
    for (size_t s = 0; s < t->n; s++) {
        st[s].out = off;
        off += st[s].nout;
        st[s].nout = 0;
    }
    for (size_t p = 0; p < npat; p++)
        if (lens[p]) {
            pe_aho_state *e = &st[b->num[t->term[p]]];
            outs[e->out + e->nout++] = (uint32_t)p;
        }
    *nouts = off;
}

static int emit(pe_region *r, pe_aho *ac, const trie *t, const bfs *b, const size_t *lens,
                size_t npat)
{
    size_t n = t->n;
    ac->nstates = (uint32_t)n;
    pe_aho_state *st = pe_region_alloc(r, n * sizeof(*st));
    pe_aho_edge *edges = pe_region_alloc(r, n * sizeof(*edges));
    uint32_t *outs = pe_region_alloc(r, (npat ? npat : 1) * sizeof(*outs));
    if (!st || !edges || !outs || n > (PE_AHO_NONE >> 8))
        return -1;
    fill_edges(ac, t, b, st, edges);
    fill_outputs(t, b, lens, npat, st, outs, &ac->nouts);
    fill_links(ac, st, edges);
    ac->states = pe_ref_of(r, st);
    ac->edges = pe_ref_of(r, edges);
    ac->outs = pe_ref_of(r, outs);
    return 0;
}

static int empty_patterns(pe_region *r, pe_aho *ac, const size_t *lens, size_t n)
{
    size_t nempty = 0;
    for (size_t i = 0; i < n; i++)
        nempty += lens[i] == 0;
    if (!nempty)
        return 0;
    uint32_t *e = pe_region_alloc(r, nempty * sizeof(*e));
    if (!e)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (lens[i] == 0)
            e[ac->nempty++] = (uint32_t)i;
    ac->empty = pe_ref_of(r, e);
    return 0;
}

const pe_aho *pe_aho_build(pe_region *r, const char *const *pats, const size_t *lens, size_t n,
                           int fold)
{
    pe_aho *ac = n <= UINT32_MAX ? pe_region_alloc(r, sizeof(*ac)) : NULL;
    if (!ac)
        return NULL;
    ac->npatterns = (uint32_t)n;
    ac->fold = (uint8_t)(fold != 0);
    for (size_t i = 0; i < n; i++)
        if (lens[i] > ac->maxlen)
            ac->maxlen = (uint32_t)lens[i];
    trie t = {0};
    bfs b = {0};
    int rc = trie_start(&t, lens, n);
    for (size_t i = 0; !rc && i < n; i++)
        if (lens[i])
            insert(&t, pats[i], lens[i], (uint32_t)i, fold);
    if (!rc)
        rc = bfs_build(&b, &t);
    if (!rc)
        rc = emit(r, ac, &t, &b, lens, n);
    if (!rc)
        rc = empty_patterns(r, ac, lens, n);
    bfs_free(&b);
    trie_free(&t);
    return rc ? NULL : ac;
}

/* ---- the dense form ---- */

/*
 * Rows are renumbered so that the states where patterns end (on themselves
 * or on their dictionary chain) come last, and each entry holds the next
 * row's offset (row x nclasses) rather than its number: a step is one add
 * and one load, and "a pattern ends here" is one comparison with out_min.
 */
struct pe_aho_dense {
    uint32_t nclasses;
    int wide;         /* entries are uint32_t (else uint16_t) */
    void *table;      /* nstates x nclasses row offsets */
    uint32_t *state;  /* row -> the compact automaton's state */
    size_t out_min;   /* offset of the first row with outputs */
    size_t bytes;
    uint8_t cls[256]; /* byte -> column */
};

/* Byte classes: one column per byte on some edge, and column 0 for every
 * other byte (when there is one). */
static void classes(pe_aho_dense *d, const pe_aho *ac, const pe_aho_edge *edges)
{
    unsigned char used[256] = {0};
    for (int c = 0; c < 256; c++)
        used[c] = ac->root[c] != 0;
    for (uint32_t i = 0; i < ac->nedges; i++)
        used[edges[i] & 0xff] = 1;
    size_t nused = 0;
    for (int c = 0; c < 256; c++)
        nused += used[c];
    uint32_t nc = nused == 256 ? 0 : 1;
    for (int c = 0; c < 256; c++)
        if (used[c])
            d->cls[c] = (uint8_t)nc++;
    for (int c = 'A'; ac->fold && c <= 'Z'; c++)
        d->cls[c] = d->cls[c + 32];
    d->nclasses = nc;
}

/* The root reports nothing (empty patterns are kept apart). */
static int has_out(const pe_aho_state *st, uint32_t s)
{
    return s && (st[s].nout || st[s].dict != PE_AHO_NONE);
}

/* row[s]: states without outputs first (the root, which has none, stays
 * row 0), in breadth-first order within each part; state[] the inverse. */
static void renumber(pe_aho_dense *d, const pe_aho *ac, const pe_aho_state *st, uint32_t *row)
{
    uint32_t quiet = 0;
    for (uint32_t s = 0; s < ac->nstates; s++)
        quiet += !has_out(st, s);
    uint32_t a = 0, b = quiet;
    for (uint32_t s = 0; s < ac->nstates; s++) {
        row[s] = has_out(st, s) ? b++ : a++;
        d->state[row[s]] = s;
    }
    d->out_min = (size_t)quiet * d->nclasses;
}

/* Row of s: its failure state's row (done: breadth-first) with its own
 * edges. */
#define DENSE_FILL(name, T)                                                                        \
    static void name(pe_aho_dense *d, const pe_aho *ac, const pe_aho_state *st,                    \
                     const pe_aho_edge *edges, const uint32_t *row)                                \
    {                                                                                              \
        T *t = d->table;                                                                           \
        size_t nc = d->nclasses;                                                                   \
        for (int c = 0; c < 256; c++)                                                              \
            t[d->cls[c]] = (T)(row[ac->root[ac->fold && c >= 'A' && c <= 'Z' ? c + 32 : c]] * nc); \
        for (uint32_t s = 1; s < ac->nstates; s++) {                                               \
            T *r = t + (size_t)row[s] * nc;                                                        \
            memcpy(r, t + (size_t)row[st[s].fail] * nc, nc * sizeof(T));                           \
            for (uint32_t k = 0; k < st[s].nedges; k++) {                                          \
                pe_aho_edge e = edges[st[s].edges + k];                                            \
                r[d->cls[e & 0xff]] = (T)(row[e >> 8] * nc);                                       \
            }                                                                                      \
        }                                                                                          \
    }

DENSE_FILL(fill16, uint16_t)
DENSE_FILL(fill32, uint32_t)

pe_aho_dense *pe_aho_dense_build(const unsigned char *base, const pe_aho *ac, size_t max_bytes)
{
    const pe_aho_state *st = PE_PTR(base, ac->states, pe_aho_state);
    const pe_aho_edge *edges = PE_PTR(base, ac->edges, pe_aho_edge);
    pe_aho_dense *d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    classes(d, ac, edges);
    size_t cells = (size_t)ac->nstates * d->nclasses;
    /* Offsets up to (nstates - 1) x nclasses must fit an entry. */
    d->wide = cells > 65536;
    size_t entry = d->wide ? 4 : 2, index = (size_t)ac->nstates * sizeof(uint32_t);
    d->bytes = cells * entry + 2 * index;
    uint32_t *row = NULL;
    if (cells / d->nclasses != ac->nstates || cells > UINT32_MAX || d->bytes > max_bytes ||
        !(d->table = malloc(cells * entry)) || !(d->state = malloc(index)) ||
        !(row = malloc(index))) {
        pe_aho_dense_free(d);
        return NULL;
    }
    renumber(d, ac, st, row);
    if (d->wide)
        fill32(d, ac, st, edges, row);
    else
        fill16(d, ac, st, edges, row);
    free(row);
    return d;
}

void pe_aho_dense_free(pe_aho_dense *d)
{
    if (!d)
        return;
    free(d->table);
    free(d->state);
    free(d);
}

size_t pe_aho_dense_size(const pe_aho_dense *d)
{
    return d->bytes;
}

/* ---- checking an automaton read back ---- */

static int check_states(pe_rcheck *c, const pe_aho *ac, const pe_aho_state *st,
                        const pe_aho_edge *edges)
{
    for (uint32_t s = 0; s < ac->nstates; s++) {
        const pe_aho_state *x = &st[s];
        if (x->edges > ac->nedges || x->nedges > ac->nedges - x->edges || x->out > ac->nouts ||
            x->nout > ac->nouts - x->out || (s && x->fail >= s) ||
            (x->dict != PE_AHO_NONE && x->dict >= s) ||
            (!s && (x->nedges || x->fail || x->nout || x->dict != PE_AHO_NONE)))
            return pe_rcheck_fail(c, "bad automaton state");
        for (uint32_t k = 1; k < x->nedges; k++) /* sorted, for the binary search */
            if ((edges[x->edges + k - 1] & 0xff) >= (edges[x->edges + k] & 0xff))
                return pe_rcheck_fail(c, "bad automaton edges");
    }
    for (uint32_t i = 0; i < ac->nedges; i++)
        if ((edges[i] >> 8) >= ac->nstates)
            return pe_rcheck_fail(c, "bad automaton edge");
    for (int b = 0; b < 256; b++)
        if (ac->root[b] >= ac->nstates)
            return pe_rcheck_fail(c, "bad automaton root");
    return 0;
}

static int check_ids(pe_rcheck *c, const uint32_t *ids, uint32_t n, uint32_t npatterns)
{
    for (uint32_t i = 0; i < n; i++)
        if (ids[i] >= npatterns)
            return pe_rcheck_fail(c, "bad pattern id");
    return 0;
}

int pe_aho_check(pe_rcheck *c, pe_ref ref, const pe_aho **out)
{
    const pe_aho *ac = pe_rcheck_array(c, ref, 1, sizeof(*ac), "bad automaton");
    if (!ac || !ac->nstates || ac->fold > 1 || ac->nstates > (PE_AHO_NONE >> 8) ||
        pe_rcheck_work(c, (uint64_t)ac->nstates + ac->nedges + ac->nouts + ac->nempty))
        return pe_rcheck_fail(c, "bad automaton");
    const pe_aho_state *st =
        pe_rcheck_array(c, ac->states, ac->nstates, sizeof(*st), "bad automaton states");
    const pe_aho_edge *edges =
        pe_rcheck_array(c, ac->edges, ac->nedges, sizeof(*edges), "bad automaton edges");
    const uint32_t *outs = pe_rcheck_array(c, ac->outs, ac->nouts, sizeof(*outs), "bad outputs");
    const uint32_t *empty = pe_rcheck_array(c, ac->empty, ac->nempty, sizeof(*empty), "bad empty");
    if (!st || !edges || !outs || !empty || !ac->states || check_states(c, ac, st, edges) ||
        check_ids(c, outs, ac->nouts, ac->npatterns) ||
        check_ids(c, empty, ac->nempty, ac->npatterns))
        return -1;
    *out = ac;
    return 0;
}

/* ---- scanning ---- */

typedef struct scan {
    const pe_aho *ac;
    const pe_aho_state *states;
    const pe_aho_edge *edges;
    const uint32_t *outs;
    uint64_t *seen;
    void (*found)(void *, uint32_t);
    void *user;
} scan;

static void report(const scan *sc, uint32_t s)
{
    for (; s != PE_AHO_NONE; s = sc->states[s].dict) {
        const pe_aho_state *st = &sc->states[s];
        for (uint32_t k = 0; k < st->nout; k++) {
            uint32_t id = sc->outs[st->out + k];
            uint64_t bit = (uint64_t)1 << (id & 63);
            if (sc->seen[id >> 6] & bit)
                continue;
            sc->seen[id >> 6] |= bit;
            if (sc->found)
                sc->found(sc->user, id);
        }
    }
}

/* The compact form: the root's table, else a state's edges, following
 * failure links (each one goes to a lower state). */
static void sparse_run(const scan *sc, const unsigned char *p, size_t n)
{
    const pe_aho *ac = sc->ac;
    const pe_aho_state *st = sc->states;
    uint32_t s = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = fold_byte(p[i], ac->fold);
        uint32_t g = 0;
        while (s && (g = goto_of(st, sc->edges, s, c)) == PE_AHO_NONE)
            s = st[s].fail;
        s = s ? g : ac->root[c];
        if (s && (st[s].nout || st[s].dict != PE_AHO_NONE))
            report(sc, s);
    }
}

/* The dense loops, for 16-bit (T = uint16_t) and 32-bit tables; o is a
 * row offset. */
#define DENSE_RUN(name, T)                                                                         \
    static void name(const scan *sc, const pe_aho_dense *d, size_t o, const unsigned char *p,      \
                     size_t n)                                                                     \
    {                                                                                              \
        const T *next = d->table;                                                                  \
        const uint8_t *cls = d->cls;                                                               \
        size_t out_min = d->out_min;                                                               \
        for (size_t i = 0; i < n; i++) {                                                           \
            o = next[o + cls[p[i]]];                                                               \
            if (o >= out_min)                                                                      \
                report(sc, d->state[o / d->nclasses]);                                             \
        }                                                                                          \
    }

/*
 * A long text as four streams, each from the root, stepped together so
 * that their table loads overlap instead of waiting on each other. Stream
 * k > 0 starts maxlen - 1 bytes before its quarter: an occurrence ending in
 * quarter k starts at most that far back, so it lies within stream k, and
 * an automaton started at the root reports only real occurrences. Every
 * occurrence is thus found by the stream of the quarter it ends in; one
 * found twice sets the same bit.
 */
#define DENSE_SPLIT(name, run, T)                                                                  \
    static void name(const scan *sc, const pe_aho_dense *d, const unsigned char *p, size_t len)    \
    {                                                                                              \
        const T *next = d->table;                                                                  \
        const uint8_t *cls = d->cls;                                                               \
        size_t out_min = d->out_min;                                                               \
        size_t q = len / 4, back = sc->ac->maxlen ? sc->ac->maxlen - 1 : 0;                        \
        const unsigned char *p0 = p, *p1 = p + q - back, *p2 = p + 2 * q - back,                   \
                            *p3 = p + 3 * q - back;                                                \
        size_t o0 = 0, o1 = 0, o2 = 0, o3 = 0;                                                     \
        for (size_t i = 0; i < q; i++) {                                                           \
            o0 = next[o0 + cls[p0[i]]];                                                            \
            o1 = next[o1 + cls[p1[i]]];                                                            \
            o2 = next[o2 + cls[p2[i]]];                                                            \
            o3 = next[o3 + cls[p3[i]]];                                                            \
            if ((o0 >= out_min) | (o1 >= out_min) | (o2 >= out_min) | (o3 >= out_min)) {           \
                size_t oo[4] = {o0, o1, o2, o3};                                                   \
                for (int k = 0; k < 4; k++)                                                        \
                    if (oo[k] >= out_min)                                                          \
                        report(sc, d->state[oo[k] / d->nclasses]);                                 \
            }                                                                                      \
        }                                                                                          \
        /* Streams 1 to 3 started early: each runs on to its quarter's end. */                     \
        run(sc, d, o1, p1 + q, back);                                                              \
        run(sc, d, o2, p2 + q, back);                                                              \
        run(sc, d, o3, p3 + q, len - 4 * q + back);                                                \
    }

DENSE_RUN(run16, uint16_t)
DENSE_RUN(run32, uint32_t)
DENSE_SPLIT(split16, run16, uint16_t)
DENSE_SPLIT(split32, run32, uint32_t)

void pe_aho_scan(const unsigned char *base, const pe_aho *ac, const pe_aho_dense *d,
                 const char *text, size_t len, uint64_t *seen,
                 void (*found)(void *user, uint32_t index), void *user)
{
    scan sc = {ac,
               PE_PTR(base, ac->states, pe_aho_state),
               PE_PTR(base, ac->edges, pe_aho_edge),
               PE_PTR(base, ac->outs, uint32_t),
               seen,
               found,
               user};
    const uint32_t *empty = PE_AT(base, ac->empty, uint32_t);
    for (uint32_t i = 0; i < ac->nempty; i++) {
        uint32_t id = empty[i];
        if (!(seen[id >> 6] & ((uint64_t)1 << (id & 63)))) {
            seen[id >> 6] |= (uint64_t)1 << (id & 63);
            if (found)
                found(user, id);
        }
    }
    const unsigned char *p = (const unsigned char *)text;
    if (!d) {
        sparse_run(&sc, p, len);
        return;
    }
    int split = len >= SPLIT_MIN && ac->maxlen <= len / 8;
    if (d->wide)
        split ? split32(&sc, d, p, len) : run32(&sc, d, 0, p, len);
    else
        split ? split16(&sc, d, p, len) : run16(&sc, d, 0, p, len);
}
