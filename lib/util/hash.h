/*
 * An open-addressing hash map from byte strings to pointers. Keys are not
 * copied: they must outlive the map (keep them in an arena or in the values).
 */
#ifndef PE_UTIL_HASH_H
#define PE_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

typedef struct pe_hent {
    const char *key; /* NULL: empty slot */
    size_t len;
    uint64_t hash;
    void *val;
} pe_hent;

typedef struct pe_hmap {
    pe_hent *ents;
    size_t cap; /* a power of two, or 0 */
    size_t count;
} pe_hmap;

#define PE_HMAP_INIT {NULL, 0, 0}

uint64_t pe_hash_bytes(const void *p, size_t len);
/* Inserts or replaces; returns 0 or -1 when out of memory. */
int pe_hmap_put(pe_hmap *m, const char *key, size_t len, void *val);
/* Returns 1 and sets *val when found, else 0. */
int pe_hmap_find(const pe_hmap *m, const char *key, size_t len, void **val);
/* The value, or NULL when absent (use pe_hmap_find for NULL values). */
void *pe_hmap_get(const pe_hmap *m, const char *key, size_t len);
/* The entry of key, hashing it once: an existing one (*found 1), or the
 * empty one where key belongs (*found 0), which the caller fills with
 * pe_hmap_fill() (its own copy of the key, equal to key) before any other
 * use of m. NULL when out of memory. */
pe_hent *pe_hmap_slot(pe_hmap *m, const char *key, size_t len, int *found);
void pe_hmap_fill(pe_hmap *m, pe_hent *e, const char *key, size_t len, void *val);
void pe_hmap_free(pe_hmap *m);

#endif
