#include "util/aho.h"

#include <stdlib.h>
#include <string.h>

/*
 * States are stored in arrays; the root has a dense 256-entry transition
 * table (most bytes of a text leave the root immediately), other states
 * keep sorted sparse edges. `out` lists the patterns ending at a state,
 * `dict` links to the nearest state on the failure chain that has outputs.
 */
typedef struct edge {
    unsigned char byte;
    uint32_t to;
} edge;

typedef struct state {
    uint32_t edges;  /* index into the edge pool */
    uint32_t nedges;
    uint32_t fail;
    uint32_t dict;   /* UINT32_MAX: none */
    uint32_t out;    /* index into the output pool */
    uint32_t nout;
} state;

struct pe_aho {
    state *states;
    size_t nstates;
    edge *edges;
    uint32_t *outs;
    uint32_t root_next[256];
    size_t npatterns;
    int fold;
    uint32_t *empty; /* patterns of length 0 (they match everything) */
    size_t nempty;
    /* The same automaton as a dense DFA over byte classes, when it is small
     * enough: one table lookup per byte of text. NULL: use the sparse form. */
    uint16_t *dfa;          /* nstates x nclasses next states */
    unsigned char *has_out; /* per state: patterns end here or on its dict chain */
    unsigned char cls[256]; /* byte -> class; class 0: bytes in no pattern */
    size_t nclasses;
    size_t maxlen; /* longest pattern */
};

/* Dense tables are built up to this many entries (2 bytes each). */
#define DFA_MAX_ENTRIES (1u << 19)

/* Texts at least this long are scanned as four interleaved streams. */
#define SPLIT_MIN 1024

static unsigned char fold_byte(unsigned char c, int fold)
{
    return fold && c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* ---- building (with temporary heap structures) ---- */

/*
 * The trie while building: node i > 0 has a parent and the byte leading to
 * it; children are found through one hash table keyed by (parent, byte);
 * term[p] is the node where pattern p ends (0 for an empty pattern).
 */
typedef struct builder {
    uint32_t *parent;
    unsigned char *byte;
    size_t n, cap;
    uint64_t *keys; /* (parent << 8 | byte) + 1; 0: empty slot */
    uint32_t *vals;
    size_t hcap; /* power of two */
    uint32_t *term;
} builder;

static void bfree(builder *b)
{
    free(b->parent);
    free(b->byte);
    free(b->keys);
    free(b->vals);
    free(b->term);
}

static int bstart(builder *b, const size_t *lens, size_t n)
{
    size_t total = 1;
    for (size_t i = 0; i < n; i++)
        total += lens[i];
    b->cap = total;
    b->hcap = 16;
    while (b->hcap < total * 2)
        b->hcap *= 2;
    b->parent = malloc(total * sizeof(*b->parent));
    b->byte = malloc(total);
    b->keys = calloc(b->hcap, sizeof(*b->keys));
    b->vals = malloc(b->hcap * sizeof(*b->vals));
    b->term = calloc(n + 1, sizeof(*b->term));
    if (!b->parent || !b->byte || !b->keys || !b->vals || !b->term)
        return -1;
    b->parent[0] = 0;
    b->byte[0] = 0;
    b->n = 1;
    return 0;
}

/* The child of node cur for byte c, created when missing. */
static uint32_t child(builder *b, uint32_t cur, unsigned char c)
{
    uint64_t key = ((uint64_t)cur << 8 | c) + 1;
    size_t h = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & (b->hcap - 1);
    while (b->keys[h] && b->keys[h] != key)
        h = (h + 1) & (b->hcap - 1);
    if (b->keys[h])
        return b->vals[h];
    uint32_t to = (uint32_t)b->n++; /* cap is the total pattern length: enough */
    b->parent[to] = cur;
    b->byte[to] = c;
    b->keys[h] = key;
    b->vals[h] = to;
    return to;
}

static void insert(builder *b, const char *p, size_t len, uint32_t id, int fold)
{
    uint32_t cur = 0;
    for (size_t i = 0; i < len; i++)
        cur = child(b, cur, fold_byte((unsigned char)p[i], fold));
    b->term[id] = cur;
}

static uint32_t goto_of(const pe_aho *ac, uint32_t s, unsigned char c)
{
    if (s == 0)
        return ac->root_next[c];
    const state *st = &ac->states[s];
    const edge *e = ac->edges + st->edges;
    size_t lo = 0, hi = st->nedges;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (e[mid].byte == c)
            return e[mid].to;
        if (e[mid].byte < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return UINT32_MAX;
}

/* Copies the trie into the compact arrays (edges sorted by byte, outputs
 * in pattern order) and computes failure links (BFS). */
static int finish(pe_aho *ac, builder *b, const size_t *lens, size_t npat, pe_arena *a)
{
    size_t n = b->n, nedges = n - 1, nouts = 0;
    for (size_t p = 0; p < npat; p++)
        nouts += lens[p] > 0;
    ac->nstates = n;
    ac->states = pe_arena_alloc(a, n * sizeof(state));
    ac->edges = pe_arena_alloc(a, (nedges ? nedges : 1) * sizeof(edge));
    ac->outs = pe_arena_alloc(a, (nouts ? nouts : 1) * sizeof(uint32_t));
    uint32_t *queue = malloc(n * sizeof(uint32_t));
    if (!ac->states || !ac->edges || !ac->outs || !queue) {
        free(queue);
        return -1;
    }
    /* counting sort: edges grouped by parent (their order within a parent
     * is fixed below), outputs grouped by node */
    for (size_t i = 1; i < n; i++) {
        ac->states[b->parent[i]].nedges++;
    }
    for (size_t p = 0; p < npat; p++)
        if (lens[p])
            ac->states[b->term[p]].nout++;
    uint32_t eoff = 0, ooff = 0;
    for (size_t i = 0; i < n; i++) {
        state *st = &ac->states[i];
        st->edges = eoff;
        st->out = ooff;
        eoff += st->nedges;
        ooff += st->nout;
        st->nedges = st->nout = 0;
        st->dict = UINT32_MAX;
    }
    for (size_t i = 1; i < n; i++) {
        state *st = &ac->states[b->parent[i]];
        edge *e = &ac->edges[st->edges + st->nedges++];
        e->byte = b->byte[i];
        e->to = (uint32_t)i;
    }
    for (size_t p = 0; p < npat; p++)
        if (lens[p]) {
            state *st = &ac->states[b->term[p]];
            ac->outs[st->out + st->nout++] = (uint32_t)p;
        }
    for (size_t i = 0; i < n; i++) { /* few edges per state: insertion sort */
        edge *e = ac->edges + ac->states[i].edges;
        for (uint32_t k = 1; k < ac->states[i].nedges; k++)
            for (uint32_t j = k; j > 0 && e[j - 1].byte > e[j].byte; j--) {
                edge t = e[j];
                e[j] = e[j - 1];
                e[j - 1] = t;
            }
    }
    memset(ac->root_next, 0, sizeof(ac->root_next));
    for (uint32_t k = 0; k < ac->states[0].nedges; k++)
        ac->root_next[ac->edges[ac->states[0].edges + k].byte] =
            ac->edges[ac->states[0].edges + k].to;
    ac->states[0].nedges = 0; /* the root's edges live in root_next */
    /* BFS: failure links, then dictionary links */
    size_t qh = 0, qt = 0;
    for (int c = 0; c < 256; c++)
        if (ac->root_next[c]) {
            ac->states[ac->root_next[c]].fail = 0;
            queue[qt++] = ac->root_next[c];
        }
    while (qh < qt) {
        uint32_t s = queue[qh++];
        const state *st = &ac->states[s];
        for (uint32_t k = 0; k < st->nedges; k++) {
            const edge *e = &ac->edges[st->edges + k];
            uint32_t f = st->fail;
            uint32_t g;
            while (f && (g = goto_of(ac, f, e->byte)) == UINT32_MAX)
                f = ac->states[f].fail;
            g = f ? goto_of(ac, f, e->byte) : ac->root_next[e->byte];
            if (g == UINT32_MAX || g == e->to)
                g = 0;
            state *child = &ac->states[e->to];
            child->fail = g;
            child->dict = ac->states[g].nout ? g : ac->states[g].dict;
            queue[qt++] = e->to;
        }
    }
    free(queue);
    return 0;
}

/* Builds the dense form: byte classes, then every state's next state for
 * every class (following failure links, so no failure is taken at scan). */
static int build_dfa(pe_aho *ac, pe_arena *a, const char *const *pats, const size_t *lens,
                     size_t n)
{
    unsigned char used[256] = {0};
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < lens[i]; k++)
            used[fold_byte((unsigned char)pats[i][k], ac->fold)] = 1;
    size_t nused = 0;
    for (int c = 0; c < 256; c++)
        nused += used[c];
    if (nused == 256)
        return 0; /* every byte in some pattern: no class 0, stays sparse */
    size_t nc = 1;
    for (int c = 0; c < 256; c++)
        if (used[c])
            ac->cls[c] = (unsigned char)nc++;
    for (int c = 'A'; ac->fold && c <= 'Z'; c++)
        ac->cls[c] = ac->cls[c + 32];
    if (ac->nstates > 65535 || ac->nstates * nc > DFA_MAX_ENTRIES)
        return 0; /* stays sparse */
    ac->nclasses = nc;
    ac->dfa = pe_arena_alloc_raw(a, ac->nstates * nc * sizeof(uint16_t)); /* all written */
    ac->has_out = pe_arena_alloc(a, ac->nstates);
    if (!ac->dfa || !ac->has_out)
        return -1;
    for (size_t s = 0; s < ac->nstates; s++)
        ac->has_out[s] = ac->states[s].nout || ac->states[s].dict != UINT32_MAX;
    /* Rows in breadth-first order: a state's row is its own edges over the
     * row of its failure state, which is shallower and so already done. */
    uint32_t *queue = malloc(ac->nstates * sizeof(uint32_t));
    if (!queue)
        return -1;
    for (int c = 0; c < 256; c++)
        ac->dfa[ac->cls[c]] = (uint16_t)ac->root_next[fold_byte((unsigned char)c, ac->fold)];
    size_t qh = 0, qt = 0;
    for (int c = 0; c < 256; c++)
        if (ac->root_next[c] && ac->cls[c])
            queue[qt++] = ac->root_next[c];
    while (qh < qt) {
        uint32_t st = queue[qh++];
        const state *S = &ac->states[st];
        memcpy(ac->dfa + (size_t)st * nc, ac->dfa + (size_t)S->fail * nc, nc * sizeof(uint16_t));
        for (uint32_t k = 0; k < S->nedges; k++) {
            const edge *e = &ac->edges[S->edges + k];
            ac->dfa[(size_t)st * nc + ac->cls[e->byte]] = (uint16_t)e->to;
            queue[qt++] = e->to;
        }
    }
    free(queue);
    return 0;
}

pe_aho *pe_aho_build(pe_arena *a, const char *const *pats, const size_t *lens, size_t n,
                     int fold)
{
    pe_aho *ac = pe_arena_alloc(a, sizeof(*ac));
    if (!ac)
        return NULL;
    ac->npatterns = n;
    ac->fold = fold;
    for (size_t i = 0; i < n; i++)
        if (lens[i] > ac->maxlen)
            ac->maxlen = lens[i];
    builder b = {0};
    int rc = bstart(&b, lens, n);
    size_t nempty = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        if (lens[i] == 0)
            nempty++;
        else
            insert(&b, pats[i], lens[i], (uint32_t)i, fold);
    }
    if (!rc && nempty) {
        ac->empty = pe_arena_alloc(a, nempty * sizeof(uint32_t));
        if (!ac->empty)
            rc = -1;
        for (size_t i = 0; !rc && i < n; i++)
            if (lens[i] == 0)
                ac->empty[ac->nempty++] = (uint32_t)i;
    }
    if (!rc)
        rc = finish(ac, &b, lens, n, a);
    bfree(&b);
    if (!rc)
        rc = build_dfa(ac, a, pats, lens, n);
    return rc ? NULL : ac;
}

size_t pe_aho_pattern_count(const pe_aho *ac)
{
    return ac->npatterns;
}

size_t pe_aho_seen_words(const pe_aho *ac)
{
    return (ac->npatterns + 63) / 64;
}

static void report(const pe_aho *ac, uint32_t s, uint64_t *seen,
                   void (*found)(void *, uint32_t), void *user)
{
    for (; s != UINT32_MAX; s = ac->states[s].dict) {
        const state *st = &ac->states[s];
        for (uint32_t k = 0; k < st->nout; k++) {
            uint32_t id = ac->outs[st->out + k];
            uint64_t bit = (uint64_t)1 << (id & 63);
            if (seen[id >> 6] & bit)
                continue;
            seen[id >> 6] |= bit;
            if (found)
                found(user, id);
        }
    }
}

/* Scans n bytes of p from state s (0: the root). */
static void dense_run(const pe_aho *ac, size_t s, const unsigned char *p, size_t n,
                      uint64_t *seen, void (*found)(void *, uint32_t), void *user)
{
    const uint16_t *dfa = ac->dfa;
    const unsigned char *cls = ac->cls;
    size_t nc = ac->nclasses;
    for (size_t i = 0; i < n; i++) {
        s = dfa[s * nc + cls[p[i]]];
        if (ac->has_out[s])
            report(ac, (uint32_t)s, seen, found, user);
    }
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
static void dense_split(const pe_aho *ac, const unsigned char *p, size_t len, uint64_t *seen,
                        void (*found)(void *, uint32_t), void *user)
{
    const uint16_t *dfa = ac->dfa;
    const unsigned char *cls = ac->cls, *out = ac->has_out;
    size_t nc = ac->nclasses;
    size_t q = len / 4, back = ac->maxlen ? ac->maxlen - 1 : 0;
    const unsigned char *p0 = p, *p1 = p + q - back, *p2 = p + 2 * q - back,
                        *p3 = p + 3 * q - back;
    size_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (size_t i = 0; i < q; i++) {
        s0 = dfa[s0 * nc + cls[p0[i]]];
        s1 = dfa[s1 * nc + cls[p1[i]]];
        s2 = dfa[s2 * nc + cls[p2[i]]];
        s3 = dfa[s3 * nc + cls[p3[i]]];
        if (out[s0] | out[s1] | out[s2] | out[s3]) {
            size_t ss[4] = {s0, s1, s2, s3};
            for (int k = 0; k < 4; k++)
                if (out[ss[k]])
                    report(ac, (uint32_t)ss[k], seen, found, user);
        }
    }
    /* Streams 1 to 3 started early: each runs on to its quarter's end. */
    dense_run(ac, s1, p1 + q, back, seen, found, user);
    dense_run(ac, s2, p2 + q, back, seen, found, user);
    dense_run(ac, s3, p3 + q, len - 4 * q + back, seen, found, user);
}

void pe_aho_scan(const pe_aho *ac, const char *text, size_t len, uint64_t *seen,
                 void (*found)(void *user, uint32_t index), void *user)
{
    for (size_t i = 0; i < ac->nempty; i++) {
        uint32_t id = ac->empty[i];
        if (!(seen[id >> 6] & ((uint64_t)1 << (id & 63)))) {
            seen[id >> 6] |= (uint64_t)1 << (id & 63);
            if (found)
                found(user, id);
        }
    }
    const unsigned char *p = (const unsigned char *)text;
    if (ac->dfa) {
        if (len >= SPLIT_MIN && ac->maxlen <= len / 8)
            dense_split(ac, p, len, seen, found, user);
        else
            dense_run(ac, 0, p, len, seen, found, user);
        return;
    }
    uint32_t s = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = fold_byte(p[i], ac->fold);
        uint32_t g;
        while (s && (g = goto_of(ac, s, c)) == UINT32_MAX)
            s = ac->states[s].fail;
        s = s ? goto_of(ac, s, c) : ac->root_next[c];
        if (s == UINT32_MAX)
            s = 0;
        if (s && (ac->states[s].nout || ac->states[s].dict != UINT32_MAX))
            report(ac, s, seen, found, user);
    }
}
