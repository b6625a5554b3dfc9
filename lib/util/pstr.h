/*
 * pe_str: a byte string that is not owned, shared by every stage.
 */
#ifndef PE_UTIL_PSTR_H
#define PE_UTIL_PSTR_H

#include <stddef.h>

/* A byte string that is not owned. Field values are always followed by a
 * NUL byte (s[len] == 0), so they may be passed to C string functions. */
typedef struct pe_str {
    const char *s;
    size_t len;
} pe_str;

#endif
