#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct pe_arena_block {
    pe_arena_block *next;
    size_t used;
    size_t size;
    int borrowed; /* the caller's memory (pe_arena_init_buf) */
    alignas(max_align_t) unsigned char data[];
};

#define ALIGN (alignof(max_align_t))

void pe_arena_init_buf(pe_arena *a, void *buf, size_t size)
{
    *a = (pe_arena)PE_ARENA_INIT;
    uintptr_t p = ((uintptr_t)buf + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
    size_t skip = (size_t)(p - (uintptr_t)buf);
    if (size < skip + sizeof(pe_arena_block) + ALIGN)
        return;
    pe_arena_block *b = (pe_arena_block *)p;
    b->next = NULL;
    b->used = 0;
    b->size = (size - skip - sizeof(pe_arena_block)) & ~(ALIGN - 1);
    b->borrowed = 1;
    a->head = b;
    a->block_size = 4096;
}

static void free_block(pe_arena_block *b)
{
    if (!b->borrowed)
        free(b);
}

void *pe_arena_alloc_raw(pe_arena *a, size_t size)
{
    if (size > SIZE_MAX - ALIGN)
        return NULL;
    size = (size + ALIGN - 1) & ~(ALIGN - 1);
    if (size == 0)
        size = ALIGN;
    pe_arena_block *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t bs = a->block_size ? a->block_size : 4096;
        while (bs < size)
            bs *= 2;
        if (bs > SIZE_MAX - sizeof(pe_arena_block))
            return NULL;
        b = malloc(sizeof(pe_arena_block) + bs);
        if (!b)
            return NULL;
        b->next = a->head;
        b->used = 0;
        b->size = bs;
        b->borrowed = 0;
        a->head = b;
        a->total += sizeof(pe_arena_block) + bs;
        if (a->block_size < 64 * 1024)
            a->block_size = bs * 2;
    }
    void *p = b->data + b->used;
    b->used += size;
    return p;
}

void *pe_arena_alloc(pe_arena *a, size_t size)
{
    void *p = pe_arena_alloc_raw(a, size);
    if (p)
        memset(p, 0, size);
    return p;
}

char *pe_arena_strndup(pe_arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *d = pe_arena_alloc_raw(a, len + 1);
    if (!d)
        return NULL;
    if (len)
        memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

void *pe_arena_memdup(pe_arena *a, const void *p, size_t size)
{
    void *d = pe_arena_alloc_raw(a, size);
    if (d && size)
        memcpy(d, p, size);
    return d;
}

void pe_arena_free(pe_arena *a)
{
    pe_arena_block *b = a->head;
    while (b) {
        pe_arena_block *n = b->next;
        free_block(b);
        b = n;
    }
    a->head = NULL;
    a->block_size = 0;
    a->total = 0;
}

pe_arena_mark pe_arena_get_mark(const pe_arena *a)
{
    pe_arena_mark m = {a->head, a->head ? a->head->used : 0, a->block_size, a->total};
    return m;
}

void pe_arena_release(pe_arena *a, pe_arena_mark m)
{
    while (a->head && a->head != m.head) {
        pe_arena_block *n = a->head->next;
        free_block(a->head);
        a->head = n;
    }
    if (a->head)
        a->head->used = m.used;
    a->block_size = m.block_size;
    a->total = m.total;
}
