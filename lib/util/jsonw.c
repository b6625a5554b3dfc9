#include "jsonw.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

void pe_json_quote(pe_strbuf *sb, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    pe_sb_putc(sb, '"');
    size_t run = 0; /* start of the pending run of bytes copied verbatim */
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        const char *esc = NULL;
        char ubuf[7];
        size_t step = 1;
        if (c == '"')
            esc = "\\\"";
        else if (c == '\\')
            esc = "\\\\";
        else if (c == '\n')
            esc = "\\n";
        else if (c == '\r')
            esc = "\\r";
        else if (c == '\t')
            esc = "\\t";
        else if (c == '\b')
            esc = "\\b";
        else if (c == '\f')
            esc = "\\f";
        else if (c < 0x20) {
            ubuf[0] = '\\';
            ubuf[1] = 'u';
            ubuf[2] = '0';
            ubuf[3] = '0';
            ubuf[4] = hex[c >> 4];
            ubuf[5] = hex[c & 15];
            ubuf[6] = '\0';
            esc = ubuf;
        } else if (c >= 0x80) {
            step = pe_utf8_seq(p + i, len - i);
            if (!step) {
                esc = "\xEF\xBF\xBD"; /* U+FFFD */
                step = 1;
            }
        }
        if (esc) {
            pe_sb_append(sb, s + run, i - run);
            pe_sb_puts(sb, esc);
            run = i + step;
        }
        i += step;
    }
    pe_sb_append(sb, s + run, len - run);
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
