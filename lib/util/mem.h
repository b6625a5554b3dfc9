/* Small allocation helpers shared by every stage. */
#ifndef PE_UTIL_MEM_H
#define PE_UTIL_MEM_H

#include <stddef.h>

/* Duplicates len bytes and appends a NUL; NULL on allocation failure. */
char *pe_strndup(const char *s, size_t len);
/* Duplicates a NUL-terminated string; pe_strdup(NULL) is NULL. */
char *pe_strdup(const char *s);

/*
 * Makes room for at least `need` elements of `elem` bytes in *ptr, whose
 * capacity is *cap, growing geometrically. Returns 0, or -1 when the size
 * would overflow or memory runs out (then *ptr and *cap are unchanged).
 */
int pe_grow(void **ptr, size_t *cap, size_t need, size_t elem);

/* Appends one element to a (pointer, count, capacity) array. */
#define PE_PUSH(arr, count, cap, value)                                            \
    (pe_grow((void **)&(arr), &(cap), (count) + 1, sizeof(*(arr))) == 0           \
         ? ((arr)[(count)++] = (value), 0)                                         \
         : -1)

#endif
