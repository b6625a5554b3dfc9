/* Counting the heap allocations the library makes (workload 6). The bench
 * links the static library with -Wl,--wrap=malloc,calloc,realloc. */
#ifndef PE_BENCH_ALLOC_H
#define PE_BENCH_ALLOC_H

#include <stddef.h>

void bench_alloc_reset(void);
size_t bench_alloc_count(void);

#endif
