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

/* ---- the dense automaton ---- */

/* Byte classes: one column per byte that occurs in a pattern, and column
 * 0 for every other byte (when there is one). */
static void classes(pe_aho *ac, const trie *t)
{
    unsigned char used[256] = {0};
    for (size_t i = 1; i < t->n; i++)
        used[t->byte[i]] = 1;
    size_t nused = 0;
    for (int c = 0; c < 256; c++)
        nused += used[c];
    size_t nc = nused == 256 ? 0 : 1;
    for (int c = 0; c < 256; c++)
        if (used[c])
            ac->cls[c] = (unsigned char)nc++;
    for (int c = 'A'; ac->fold && c <= 'Z'; c++)
        ac->cls[c] = ac->cls[c + 32];
    ac->nclasses = (uint32_t)nc;
}

typedef struct tables {
    uint32_t *next; /* nstates x nclasses, by state number */
    uint32_t *fail;
} tables;

/* Every state's next state for every class, following failure links, so
 * that no failure is taken while scanning; rows in breadth-first order (a
 * row is its failure state's row, already done, with its own edges). */
static int transitions(const pe_aho *ac, const trie *t, const bfs *b, tables *tb)
{
    size_t n = t->n, nc = ac->nclasses;
    if (nc && n > SIZE_MAX / sizeof(uint32_t) / nc)
        return -1;
    tb->next = malloc(n * nc * sizeof(uint32_t));
    tb->fail = malloc(n * sizeof(uint32_t));
    if (!tb->next || !tb->fail)
        return -1;
    memset(tb->next, 0, nc * sizeof(uint32_t)); /* the root's row: to itself */
    tb->fail[0] = 0;
    for (size_t s = 0; s < n; s++) {
        uint32_t node = b->order[s], f = tb->fail[s];
        uint32_t *row = tb->next + s * nc;
        if (s)
            memcpy(row, tb->next + (size_t)f * nc, nc * sizeof(uint32_t));
        for (uint32_t i = b->first[node]; i < b->first[node + 1]; i++) {
            uint32_t kid = b->num[b->kid[i]];
            unsigned char col = ac->cls[t->byte[b->kid[i]]];
            tb->fail[kid] = s ? tb->next[(size_t)f * nc + col] : 0;
            row[col] = kid;
        }
    }
    return 0;
}

/* The region's parts: the table, outputs and dictionary links. */
static int emit(pe_region *r, pe_aho *ac, const trie *t, const bfs *b, const tables *tb,
                const size_t *lens, size_t npat)
{
    size_t n = t->n, cells = n * ac->nclasses;
    ac->nstates = (uint32_t)n;
    ac->wide = n > 65535;
    void *table = pe_region_alloc(r, cells * (ac->wide ? 4 : 2));
    uint8_t *has_out = pe_region_alloc(r, n);
    pe_aho_state *st = pe_region_alloc(r, n * sizeof(*st));
    uint32_t *outs = pe_region_alloc(r, (npat ? npat : 1) * sizeof(*outs));
    if (!table || !has_out || !st || !outs)
        return -1;
    for (size_t i = 0; i < cells; i++) {
        if (ac->wide)
            ((uint32_t *)table)[i] = tb->next[i];
        else
            ((uint16_t *)table)[i] = (uint16_t)tb->next[i];
    }
    for (size_t p = 0; p < npat; p++) /* outputs grouped by state, in pattern order */
        if (lens[p])
            st[b->num[t->term[p]]].nout++;
    uint32_t off = 0;
    for (size_t s = 0; s < n; s++) {
        st[s].out = off;
        off += st[s].nout;
        st[s].nout = 0;
    }
    for (size_t p = 0; p < npat; p++)
        if (lens[p]) {
            pe_aho_state *e = &st[b->num[t->term[p]]];
            outs[e->out + e->nout++] = (uint32_t)p;
        }
    for (size_t s = 0; s < n; s++) { /* breadth-first: the failure state is done */
        uint32_t f = tb->fail[s];
        st[s].dict = !s ? PE_AHO_NONE : st[f].nout ? f : st[f].dict;
        has_out[s] = st[s].nout || st[s].dict != PE_AHO_NONE;
    }
    ac->table = pe_ref_of(r, table);
    ac->has_out = pe_ref_of(r, has_out);
    ac->states = pe_ref_of(r, st);
    ac->outs = pe_ref_of(r, outs);
    ac->nouts = off;
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
    tables tb = {0};
    int rc = trie_start(&t, lens, n);
    for (size_t i = 0; !rc && i < n; i++)
        if (lens[i])
            insert(&t, pats[i], lens[i], (uint32_t)i, fold);
    if (!rc)
        classes(ac, &t);
    if (!rc)
        rc = bfs_build(&b, &t);
    if (!rc)
        rc = transitions(ac, &t, &b, &tb);
    if (!rc)
        rc = emit(r, ac, &t, &b, &tb, lens, n);
    if (!rc)
        rc = empty_patterns(r, ac, lens, n);
    free(tb.next);
    free(tb.fail);
    bfs_free(&b);
    trie_free(&t);
    return rc ? NULL : ac;
}

/* ---- scanning ---- */

typedef struct scan {
    const pe_aho *ac;
    const void *table;
    const uint8_t *has_out;
    const pe_aho_state *states;
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

/* The scanning loops, for 16-bit (T = uint16_t) and 32-bit tables. */
#define DENSE_RUN(name, T)                                                                         \
    static void name(const scan *sc, size_t s, const unsigned char *p, size_t n)                   \
    {                                                                                              \
        const T *next = sc->table;                                                                 \
        const uint8_t *cls = sc->ac->cls, *out = sc->has_out;                                      \
        size_t nc = sc->ac->nclasses;                                                              \
        for (size_t i = 0; i < n; i++) {                                                           \
            s = next[s * nc + cls[p[i]]];                                                          \
            if (out[s])                                                                            \
                report(sc, (uint32_t)s);                                                           \
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
    static void name(const scan *sc, const unsigned char *p, size_t len)                           \
    {                                                                                              \
        const T *next = sc->table;                                                                 \
        const uint8_t *cls = sc->ac->cls, *out = sc->has_out;                                      \
        size_t nc = sc->ac->nclasses;                                                              \
        size_t q = len / 4, back = sc->ac->maxlen ? sc->ac->maxlen - 1 : 0;                        \
        const unsigned char *p0 = p, *p1 = p + q - back, *p2 = p + 2 * q - back,                   \
                            *p3 = p + 3 * q - back;                                                \
        size_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;                                                     \
        for (size_t i = 0; i < q; i++) {                                                           \
            s0 = next[s0 * nc + cls[p0[i]]];                                                       \
            s1 = next[s1 * nc + cls[p1[i]]];                                                       \
            s2 = next[s2 * nc + cls[p2[i]]];                                                       \
            s3 = next[s3 * nc + cls[p3[i]]];                                                       \
            if (out[s0] | out[s1] | out[s2] | out[s3]) {                                           \
                size_t ss[4] = {s0, s1, s2, s3};                                                   \
                for (int k = 0; k < 4; k++)                                                        \
                    if (out[ss[k]])                                                                \
                        report(sc, (uint32_t)ss[k]);                                               \
            }                                                                                      \
        }                                                                                          \
        /* Streams 1 to 3 started early: each runs on to its quarter's end. */                     \
        run(sc, s1, p1 + q, back);                                                                 \
        run(sc, s2, p2 + q, back);                                                                 \
        run(sc, s3, p3 + q, len - 4 * q + back);                                                   \
    }

DENSE_RUN(run16, uint16_t)
DENSE_RUN(run32, uint32_t)
DENSE_SPLIT(split16, run16, uint16_t)
DENSE_SPLIT(split32, run32, uint32_t)

void pe_aho_scan(const unsigned char *base, const pe_aho *ac, const char *text, size_t len,
                 uint64_t *seen, void (*found)(void *user, uint32_t index), void *user)
{
    scan sc = {ac,
               PE_AT(base, ac->table, void),
               PE_AT(base, ac->has_out, uint8_t),
               PE_AT(base, ac->states, pe_aho_state),
               PE_AT(base, ac->outs, uint32_t),
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
    if (!ac->nclasses)
        return; /* no pattern has a byte */
    const unsigned char *p = (const unsigned char *)text;
    int split = len >= SPLIT_MIN && ac->maxlen <= len / 8;
    if (ac->wide)
        split ? split32(&sc, p, len) : run32(&sc, 0, p, len);
    else
        split ? split16(&sc, p, len) : run16(&sc, 0, p, len);
}
