/*
 * An LD_PRELOAD shim that makes one allocation of a program fail, to show
 * that every allocation failure is answered (a block, or the right answer),
 * never with silence or a crash. glibc routes its own allocations (strdup,
 * stdio, json-c's and libyaml's) through these symbols too.
 *
 *   PREMPTI_FAIL_ALLOC_AT=n      the n-th allocation (1-based) returns NULL
 *   PREMPTI_ALLOC_COUNT_FILE=f   at exit, the number of allocations is
 *                                written to f (to learn how many there are)
 *
 * Only allocations made after the shim's constructor count, so the dynamic
 * loader's own work never fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static unsigned long count, fail_at;
static int armed;

__attribute__((constructor)) static void setup(void)
{
    const char *at = getenv("PREMPTI_FAIL_ALLOC_AT");
    fail_at = at ? strtoul(at, NULL, 10) : 0;
    armed = 1;
}

__attribute__((destructor)) static void report(void)
{
    const char *path = getenv("PREMPTI_ALLOC_COUNT_FILE");
    if (!path)
        return;
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%lu\n", count);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0) {
        if (write(fd, buf, (size_t)n) != n)
            (void)0;
        close(fd);
    }
}

/* Whether this allocation is the one to fail. */
static int fails(void)
{
    if (!armed)
        return 0;
    return ++count == fail_at;
}

void *malloc(size_t n)
{
    if (fails()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
    if (fails()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
    if (fails()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_realloc(p, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    if (fails())
        return ENOMEM;
    void *p = __libc_memalign(align, n);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

void *aligned_alloc(size_t align, size_t n)
{
    if (fails()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_memalign(align, n);
}
