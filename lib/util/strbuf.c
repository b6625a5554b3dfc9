#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

void pe_sb_init_buf(pe_strbuf *sb, char *buf, size_t size)
{
    *sb = (pe_strbuf)PE_STRBUF_INIT;
    sb->data = buf;
    sb->cap = size;
    sb->borrowed = 1;
    buf[0] = '\0';
}

/* Leaves the caller's buffer for a heap copy of at least need bytes. */
static int unborrow(pe_strbuf *sb, size_t need)
{
    size_t cap = sb->cap * 2 > need ? sb->cap * 2 : need;
    char *d = malloc(cap);
    if (!d)
        return -1;
    memcpy(d, sb->data, sb->len + 1);
    sb->data = d;
    sb->cap = cap;
    sb->borrowed = 0;
    return 0;
}

static int reserve(pe_strbuf *sb, size_t extra)
{
    if (sb->failed)
        return -1;
    if (extra >= (size_t)-1 - sb->len)
        sb->failed = 1;
    else if (sb->len + extra + 1 <= sb->cap)
        return 0;
    else if (sb->borrowed ? unborrow(sb, sb->len + extra + 1)
                          : pe_grow((void **)&sb->data, &sb->cap, sb->len + extra + 1, 1))
        sb->failed = 1;
    return sb->failed ? -1 : 0;
}

void pe_sb_append(pe_strbuf *sb, const char *s, size_t len)
{
    if (reserve(sb, len))
        return;
    if (len)
        memcpy(sb->data + sb->len, s, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
}

void pe_sb_puts(pe_strbuf *sb, const char *s)
{
    pe_sb_append(sb, s, strlen(s));
}

void pe_sb_putc(pe_strbuf *sb, char c)
{
    pe_sb_append(sb, &c, 1);
}

void pe_sb_vprintf(pe_strbuf *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        sb->failed = 1;
        return;
    }
    if (reserve(sb, (size_t)n))
        return;
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void pe_sb_u64(pe_strbuf *sb, unsigned long long v)
{
    char buf[24], *p = buf + sizeof(buf);
    do
        *--p = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    pe_sb_append(sb, p, (size_t)(buf + sizeof(buf) - p));
}

void pe_sb_printf(pe_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pe_sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

void pe_sb_reset(pe_strbuf *sb)
{
    pe_sb_truncate(sb, 0);
}

void pe_sb_truncate(pe_strbuf *sb, size_t len)
{
    if (len < sb->len) {
        sb->len = len;
        sb->data[len] = '\0';
    }
}

int pe_sb_failed(const pe_strbuf *sb)
{
    return sb->failed;
}

const char *pe_sb_str(const pe_strbuf *sb)
{
    return sb->data ? sb->data : "";
}

char *pe_sb_take(pe_strbuf *sb)
{
    char *d = NULL;
    if (!sb->failed && sb->borrowed)
        d = pe_strdup(sb->data);
    else if (!sb->failed)
        d = sb->data ? sb->data : pe_strdup("");
    else if (!sb->borrowed)
        free(sb->data);
    *sb = (pe_strbuf)PE_STRBUF_INIT;
    return d;
}

void pe_sb_free(pe_strbuf *sb)
{
    if (!sb->borrowed)
        free(sb->data);
    *sb = (pe_strbuf)PE_STRBUF_INIT;
}
