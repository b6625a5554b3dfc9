/*
 * A growable byte buffer that is always NUL-terminated. Allocation failure
 * is sticky: after it, appends do nothing and pe_sb_failed() is true, so a
 * sequence of appends needs one check at the end.
 */
#ifndef PE_UTIL_STRBUF_H
#define PE_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "util/attr.h"

typedef struct pe_strbuf {
    char *data; /* NULL until the first append */
    size_t len;
    size_t cap;
    int failed;
    int borrowed; /* data is the caller's buffer (pe_sb_init_buf), never freed */
} pe_strbuf;

#define PE_STRBUF_INIT                                                                             \
    {                                                                                              \
        NULL, 0, 0, 0, 0                                                                           \
    }

/* Starts sb on the caller's buffer (size bytes, at least 1), e.g. on the
 * stack: text that fits costs no allocation; longer text moves to the
 * heap. pe_sb_free() is still needed. */
void pe_sb_init_buf(pe_strbuf *sb, char *buf, size_t size);

void pe_sb_append(pe_strbuf *sb, const char *s, size_t len);
void pe_sb_puts(pe_strbuf *sb, const char *s);
void pe_sb_putc(pe_strbuf *sb, char c);
PE_ATTR_PRINTF(2, 3)
void pe_sb_printf(pe_strbuf *sb, const char *fmt, ...);
PE_ATTR_PRINTF(2, 0)
void pe_sb_vprintf(pe_strbuf *sb, const char *fmt, va_list ap);
/* Appends v in decimal. */
void pe_sb_u64(pe_strbuf *sb, unsigned long long v);
/* Drops the content but keeps the memory. */
void pe_sb_reset(pe_strbuf *sb);
/* Truncates to len bytes (len <= current length). */
void pe_sb_truncate(pe_strbuf *sb, size_t len);
int pe_sb_failed(const pe_strbuf *sb);
/* The content ("" when empty); borrowed. */
const char *pe_sb_str(const pe_strbuf *sb);
/* Hands the content over (caller frees with free()); NULL after a failure.
 * The buffer is left empty. */
char *pe_sb_take(pe_strbuf *sb);
void pe_sb_free(pe_strbuf *sb);

#endif
