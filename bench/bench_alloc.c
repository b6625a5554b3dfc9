#include "bench_alloc.h"

#include <stdatomic.h>
#include <stdlib.h>

static atomic_size_t count;

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);

void *__wrap_malloc(size_t n)
{
    atomic_fetch_add_explicit(&count, 1, memory_order_relaxed);
    return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
    atomic_fetch_add_explicit(&count, 1, memory_order_relaxed);
    return __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
    atomic_fetch_add_explicit(&count, 1, memory_order_relaxed);
    return __real_realloc(p, n);
}

void bench_alloc_reset(void)
{
    atomic_store(&count, 0);
}

size_t bench_alloc_count(void)
{
    return atomic_load(&count);
}
