/*
 * A bump allocator: many small allocations freed together. Used for
 * compiled rule programs (freed with the engine) and for per-evaluation
 * scratch memory (freed when the evaluation returns).
 */
#ifndef PE_UTIL_ARENA_H
#define PE_UTIL_ARENA_H

#include <stddef.h>

typedef struct pe_arena_block pe_arena_block;

typedef struct pe_arena {
    pe_arena_block *head;
    size_t block_size; /* size of the next block to allocate */
    size_t total;      /* bytes obtained from malloc, for statistics */
} pe_arena;

#define PE_ARENA_INIT {NULL, 0, 0}

/*
 * Starts a on the caller's buffer (size bytes, e.g. on the stack) as its
 * first block: what fits costs no allocation, more comes from the heap.
 * The buffer is never freed by the arena; pe_arena_free() is still needed.
 * A buffer too small for a block is not used.
 */
void pe_arena_init_buf(pe_arena *a, void *buf, size_t size);

/* Returns zeroed memory aligned for any type, or NULL when out of memory. */
void *pe_arena_alloc(pe_arena *a, size_t size);
/* The same, uninitialised: for memory the caller writes entirely. */
void *pe_arena_alloc_raw(pe_arena *a, size_t size);
/* Copies len bytes and a NUL into the arena. */
char *pe_arena_strndup(pe_arena *a, const char *s, size_t len);
/* Copies an array of n elements of elem bytes. */
void *pe_arena_memdup(pe_arena *a, const void *p, size_t size);
void pe_arena_free(pe_arena *a);

/*
 * A point in an arena's history. Releasing to a mark frees everything
 * allocated after it (blocks and bytes), so a failed step that allocated in
 * a long-lived arena can be undone. Marks must be released newest first;
 * memory obtained before the mark stays valid.
 */
typedef struct pe_arena_mark {
    pe_arena_block *head;
    size_t used;
    size_t block_size;
    size_t total;
} pe_arena_mark;

pe_arena_mark pe_arena_get_mark(const pe_arena *a);
void pe_arena_release(pe_arena *a, pe_arena_mark m);

#endif
