#include "util/abuf.h"

#include <stdint.h>
#include <string.h>

void pe_abuf_init(pe_abuf *b, pe_arena *arena, size_t hint)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->arena = arena;
    b->failed = 0;
    if (hint) {
        b->data = pe_arena_alloc_raw(arena, hint + 1);
        b->failed = b->data == NULL;
        b->cap = b->data ? hint + 1 : 0;
    }
}

/* Room for n more bytes and a NUL. */
static int reserve(pe_abuf *b, size_t n)
{
    if (b->failed)
        return -1;
    if (n < b->cap - b->len)
        return 0;
    if (n > SIZE_MAX / 4 - b->len) {
        b->failed = 1;
        return -1;
    }
    size_t cap = b->cap ? b->cap * 2 : 64;
    while (cap <= b->len + n)
        cap *= 2;
    char *d = pe_arena_alloc_raw(b->arena, cap);
    if (!d) {
        b->failed = 1;
        return -1;
    }
    if (b->len)
        memcpy(d, b->data, b->len);
    b->data = d;
    b->cap = cap;
    return 0;
}

void pe_abuf_append(pe_abuf *b, const void *p, size_t n)
{
    if (n && reserve(b, n) == 0) {
        memcpy(b->data + b->len, p, n);
        b->len += n;
    }
}

void pe_abuf_putc(pe_abuf *b, char c)
{
    if (b->len + 1 < b->cap) { /* room for it and the NUL: the common case */
        b->data[b->len++] = c;
        return;
    }
    pe_abuf_append(b, &c, 1);
}

void pe_abuf_puts(pe_abuf *b, const char *s)
{
    pe_abuf_append(b, s, strlen(s));
}

int pe_abuf_finish(pe_abuf *b, pe_str *out)
{
    out->s = "";
    out->len = 0;
    if (reserve(b, 0) != 0)
        return -1;
    b->data[b->len] = '\0';
    out->s = b->data;
    out->len = b->len;
    return 0;
}
