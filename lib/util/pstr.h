/*
 * pe_str: a byte string that is not owned, shared by every stage.
 */
#ifndef PE_UTIL_PSTR_H
#define PE_UTIL_PSTR_H

#include <stddef.h>
#include <string.h>

/* A byte string that is not owned. Field values are always followed by a
 * NUL byte (s[len] == 0), so they may be passed to C string functions. */
typedef struct pe_str {
    const char *s;
    size_t len;
} pe_str;

/* a and b hold the same bytes. */
static inline int pe_str_eq(pe_str a, pe_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.s, b.s, a.len) == 0);
}

#endif
