#include "jsonw.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

/* Bytes a JSON string can carry verbatim: printable ASCII but '"' and '\\'.
 * Everything else goes through the slow path (escapes, UTF-8 checks). */
static int plain_byte(unsigned char c)
{
    return (unsigned)(c - 0x20) < 0x60u && c != '"' && c != '\\';
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Whether all 8 bytes of w are plain (SWAR: "has a byte less than n" and
 * "has a byte equal to c" tests on the whole word). Large contents are
 * almost all plain, so this carries most of the work. */
static int plain_word(uint64_t w)
{
    uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');
    uint64_t bad = (w & HIGHS) | ((w - ONES * 0x20) & ~w & HIGHS) | ((q - ONES) & ~q & HIGHS) |
                   ((b - ONES) & ~b & HIGHS);
    return bad == 0;
}

static size_t skip_plain(const unsigned char *p, size_t i, size_t len)
{
    while (len - i >= 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (!plain_word(w))
            break;
        i += 8;
    }
    while (i < len && plain_byte(p[i]))
        i++;
    return i;
}

/* The escape for byte c (< 0x80 and not plain) into buf; returns buf. */
static const char *escape_of(unsigned char c, char buf[7])
{
    static const char hex[] = "0123456789abcdef";
    switch (c) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '\n':
        return "\\n";
    case '\r':
        return "\\r";
    case '\t':
        return "\\t";
    case '\b':
        return "\\b";
    case '\f':
        return "\\f";
    default:
        memcpy(buf, "\\u00", 4);
        buf[4] = hex[c >> 4];
        buf[5] = hex[c & 15];
        buf[6] = '\0';
        return buf;
    }
}

void pe_json_quote(pe_strbuf *sb, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    pe_sb_putc(sb, '"');
    size_t i = 0;
    while (i < len) {
        size_t run = i;
        i = skip_plain(p, i, len);
        /* valid UTF-8 sequences are copied as they are */
        size_t step;
        while (i < len && p[i] >= 0x80 && (step = pe_utf8_seq(p + i, len - i)) != 0)
            i = skip_plain(p, i + step, len);
        pe_sb_append(sb, s + run, i - run);
        if (i >= len)
            break;
        char buf[7];
        pe_sb_puts(sb, p[i] >= 0x80 ? "\xEF\xBF\xBD" /* U+FFFD */ : escape_of(p[i], buf));
        i++;
    }
    pe_sb_putc(sb, '"');
}

void pe_jw_init(pe_jw *w, pe_strbuf *sb)
{
    memset(w, 0, sizeof(*w));
    w->sb = sb;
}

static void before_value(pe_jw *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->has_items[w->depth])
        pe_sb_putc(w->sb, ',');
    w->has_items[w->depth] = 1;
}

static void open(pe_jw *w, char c)
{
    before_value(w);
    pe_sb_putc(w->sb, c);
    if (w->depth < PE_JW_MAX_DEPTH)
        w->depth++;
    else
        w->sb->failed = 1; /* deeper than any document we write */
    w->has_items[w->depth] = 0;
}

static void close(pe_jw *w, char c)
{
    pe_sb_putc(w->sb, c);
    if (w->depth)
        w->depth--;
}

void pe_jw_obj_begin(pe_jw *w)
{
    open(w, '{');
}

void pe_jw_obj_end(pe_jw *w)
{
    close(w, '}');
}

void pe_jw_arr_begin(pe_jw *w)
{
    open(w, '[');
}

void pe_jw_arr_end(pe_jw *w)
{
    close(w, ']');
}

void pe_jw_key(pe_jw *w, const char *key)
{
    before_value(w);
    pe_json_quote(w->sb, key, strlen(key));
    pe_sb_putc(w->sb, ':');
    w->after_key = 1;
}

void pe_jw_str(pe_jw *w, const char *s, size_t len)
{
    before_value(w);
    pe_json_quote(w->sb, s, len);
}

void pe_jw_cstr(pe_jw *w, const char *s)
{
    if (!s)
        pe_jw_null(w);
    else
        pe_jw_str(w, s, strlen(s));
}

void pe_jw_u64(pe_jw *w, uint64_t v)
{
    before_value(w);
    pe_sb_printf(w->sb, "%" PRIu64, v);
}

void pe_jw_i64(pe_jw *w, int64_t v)
{
    before_value(w);
    pe_sb_printf(w->sb, "%" PRId64, v);
}

void pe_jw_double(pe_jw *w, double v)
{
    before_value(w);
    if (!isfinite(v))
        pe_sb_puts(w->sb, "null");
    else
        pe_sb_printf(w->sb, "%.17g", v);
}

void pe_jw_bool(pe_jw *w, int v)
{
    before_value(w);
    pe_sb_puts(w->sb, v ? "true" : "false");
}

void pe_jw_null(pe_jw *w)
{
    before_value(w);
    pe_sb_puts(w->sb, "null");
}

void pe_jw_raw(pe_jw *w, const char *json, size_t len)
{
    before_value(w);
    pe_sb_append(w->sb, json, len);
}
