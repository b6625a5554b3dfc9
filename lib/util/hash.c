#include "hash.h"

#include <stdlib.h>
#include <string.h>

uint64_t pe_hash_bytes(const void *p, size_t len)
{
    /* FNV-1a with a final avalanche; keys are short names and literals. */
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static pe_hent *slot(pe_hent *ents, size_t cap, const char *key, size_t len, uint64_t h)
{
    size_t i = (size_t)h & (cap - 1);
    for (;;) {
        pe_hent *e = &ents[i];
        if (!e->key || (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0))
            return e;
        i = (i + 1) & (cap - 1);
    }
}

static int rehash(pe_hmap *m, size_t ncap)
{
    pe_hent *n = calloc(ncap, sizeof(*n));
    if (!n)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        pe_hent *e = &m->ents[i];
        if (e->key)
            *slot(n, ncap, e->key, e->len, e->hash) = *e;
    }
    free(m->ents);
    m->ents = n;
    m->cap = ncap;
    return 0;
}

int pe_hmap_put(pe_hmap *m, const char *key, size_t len, void *val)
{
    if ((m->count + 1) * 4 > m->cap * 3 && rehash(m, m->cap ? m->cap * 2 : 16))
        return -1;
    uint64_t h = pe_hash_bytes(key, len);
    pe_hent *e = slot(m->ents, m->cap, key, len, h);
    if (!e->key) {
        e->key = key ? key : "";
        e->len = len;
        e->hash = h;
        m->count++;
    }
    e->val = val;
    return 0;
}

pe_hent *pe_hmap_slot(pe_hmap *m, const char *key, size_t len, int *found)
{
    *found = 0;
    if ((m->count + 1) * 4 > m->cap * 3 && rehash(m, m->cap ? m->cap * 2 : 16))
        return NULL;
    uint64_t h = pe_hash_bytes(key, len);
    pe_hent *e = slot(m->ents, m->cap, key, len, h);
    *found = e->key != NULL;
    if (!e->key)
        e->hash = h; /* for pe_hmap_fill */
    return e;
}

void pe_hmap_fill(pe_hmap *m, pe_hent *e, const char *key, size_t len, void *val)
{
    e->key = key ? key : "";
    e->len = len;
    e->val = val;
    m->count++;
}

int pe_hmap_find(const pe_hmap *m, const char *key, size_t len, void **val)
{
    if (!m->cap)
        return 0;
    pe_hent *e = slot(m->ents, m->cap, key, len, pe_hash_bytes(key, len));
    if (!e->key)
        return 0;
    if (val)
        *val = e->val;
    return 1;
}

void *pe_hmap_get(const pe_hmap *m, const char *key, size_t len)
{
    void *v = NULL;
    pe_hmap_find(m, key, len, &v);
    return v;
}

void pe_hmap_free(pe_hmap *m)
{
    free(m->ents);
    m->ents = NULL;
    m->cap = m->count = 0;
}
