#include "str.h"

#include <ctype.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *pt_vfmt(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s && vsnprintf(s, (size_t)n + 1, fmt, ap) != n) {
        free(s);
        return NULL;
    }
    return s;
}

char *pt_fmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = pt_vfmt(fmt, ap);
    va_end(ap);
    return s;
}

char *pt_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

int pt_strv_take(pt_strv *v, char *s)
{
    if (!s)
        return -1;
    if (v->count == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        char **items = realloc(v->items, cap * sizeof(*items));
        if (!items) {
            free(s);
            return -1;
        }
        v->items = items;
        v->cap = cap;
    }
    v->items[v->count++] = s;
    return 0;
}

int pt_strv_push(pt_strv *v, const char *s)
{
    return pt_strv_take(v, pt_strdup(s));
}

void pt_strv_clear(pt_strv *v)
{
    for (size_t i = 0; i < v->count; i++)
        free(v->items[i]);
    free(v->items);
    v->items = NULL;
    v->count = v->cap = 0;
}

int pt_strv_has(const pt_strv *v, const char *s)
{
    for (size_t i = 0; i < v->count; i++)
        if (strcmp(v->items[i], s) == 0)
            return 1;
    return 0;
}

char *pt_strv_join(const pt_strv *v, const char *sep)
{
    size_t len = 1, seplen = strlen(sep);
    for (size_t i = 0; i < v->count; i++)
        len += strlen(v->items[i]) + (i ? seplen : 0);
    char *s = malloc(len), *p = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < v->count; i++) {
        if (i) {
            memcpy(p, sep, seplen);
            p += seplen;
        }
        size_t n = strlen(v->items[i]);
        memcpy(p, v->items[i], n);
        p += n;
    }
    *p = '\0';
    return s;
}

int pt_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int pt_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int pt_parse_bool(const char *s, int *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off"};
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strlen(yes[i]) == n && strncasecmp(s, yes[i], n) == 0) {
            *out = 1;
            return 0;
        }
        if (strlen(no[i]) == n && strncasecmp(s, no[i], n) == 0) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

char *pt_shell_quote(const char *s)
{
    int plain = s[0] != '\0';
    for (const char *p = s; *p && plain; p++)
        plain = isalnum((unsigned char)*p) || strchr("/._-+=:,@%", *p);
    if (plain)
        return pt_strdup(s);
    /* 'it'\''s' : close the quote, an escaped quote, reopen */
    size_t quotes = 0;
    for (const char *p = s; *p; p++)
        quotes += *p == '\'';
    char *q = malloc(strlen(s) + 3 * quotes + 3), *o = q;
    if (!q)
        return NULL;
    *o++ = '\'';
    for (const char *p = s; *p; p++) {
        if (*p == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *p;
        }
    }
    *o++ = '\'';
    *o = '\0';
    return q;
}

/* Length of the UTF-8 sequence at p (n bytes left) and its code point, or 0
 * when it is not a valid one (overlong forms and surrogates included). */
static size_t utf8_char(const unsigned char *p, size_t n, unsigned long *cp)
{
    size_t len = p[0] >= 0xF0 && p[0] <= 0xF4   ? 4
                 : p[0] >= 0xE0 && p[0] <= 0xEF ? 3
                 : p[0] >= 0xC2 && p[0] <= 0xDF ? 2
                                                : 0;
    if (len == 0 || len > n)
        return 0;
    unsigned long c = p[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (p[i] & 0x3F);
    }
    static const unsigned long least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < least[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

static int hidden_char(unsigned long c)
{
    return (c >= 0x80 && c <= 0x9F) || c == 0x61C || c == 0x200E || c == 0x200F ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

char *pt_term_safe(const char *s, int keep_newlines)
{
    size_t n = strlen(s);
    if (n > (SIZE_MAX - 1) / 10)
        return NULL;
    char *out = malloc(n * 10 + 1), *o = out; /* \u{10FFFF} at most per byte */
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        unsigned long cp = 0;
        size_t len = c >= 0x80 ? utf8_char(p + i, n - i, &cp) : 1;
        if (c == '\t' || (c == '\n' && keep_newlines) || (c >= 0x20 && c < 0x7F)) {
            *o++ = (char)c;
        } else if (c == '\n' || c == '\r') {
            o += sprintf(o, "\\%c", c == '\n' ? 'n' : 'r');
        } else if (c < 0x80 || len == 0) {
            o += sprintf(o, "\\x%02x", c);
            len = 1;
        } else if (hidden_char(cp)) {
            o += sprintf(o, "\\u{%04lx}", cp);
        } else {
            memcpy(o, p + i, len);
            o += len;
        }
        i += len;
    }
    *o = '\0';
    return out;
}

void pt_term_printf(FILE *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = pt_vfmt(fmt, ap);
    va_end(ap);
    char *safe = text ? pt_term_safe(text, 1) : NULL;
    fputs(safe ? safe : "(out of memory)\n", out);
    free(safe);
    free(text);
}
