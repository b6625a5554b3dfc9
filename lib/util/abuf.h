/*
 * A growable byte buffer in an arena, for building results that live in
 * the caller's arena (pe_strbuf uses malloc). Growing copies into a new
 * arena block twice the size, so a buffer of n bytes costs at most 3n
 * arena bytes. Allocation failure is sticky: after it appends do nothing
 * and pe_abuf_finish() reports it.
 */
#ifndef PE_UTIL_ABUF_H
#define PE_UTIL_ABUF_H

#include <stddef.h>

#include "util/arena.h"
#include "util/pstr.h"

typedef struct pe_abuf {
    char *data;
    size_t len;
    size_t cap;
    pe_arena *arena;
    int failed;
} pe_abuf;

/* An empty buffer in arena; hint is the expected size (0 for a default). */
void pe_abuf_init(pe_abuf *b, pe_arena *arena, size_t hint);
void pe_abuf_append(pe_abuf *b, const void *p, size_t n);
void pe_abuf_putc(pe_abuf *b, char c);
void pe_abuf_puts(pe_abuf *b, const char *s);
/* NUL-terminates and sets *out to the content (in the arena). Returns 0,
 * or -1 when an allocation failed (then *out is "" ). */
int pe_abuf_finish(pe_abuf *b, pe_str *out);

#endif
