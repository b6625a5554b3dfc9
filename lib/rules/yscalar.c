#include "rules/yscalar.h"

#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "util/mem.h"
#include "util/utf8.h"

/* A line break seen while folding: where it is and whether it reads as
 * '\n' (CR LF, CR, LF, NEL) or is kept as is (LS, PS: 3 bytes). */
typedef struct brk {
    uint32_t at;
    unsigned char keep;
} brk;

typedef struct sdec {
    const unsigned char *t;
    size_t len;
    const pe_srcfile *f;
    pe_mbuf *b;
    int bad; /* input this decoder does not follow */
    /* folding state, as in libyaml's scanner */
    int leading_blanks;
    size_t ws_at, ws_n; /* pending blanks (one run) */
    int lead;           /* 0: no leading break (or an escaped one), 1: one */
    brk lead_break;
    brk *trail; /* trailing (empty-line) breaks */
    size_t ntrail, captrail;
} sdec;

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t';
}

static size_t brk_at(const sdec *d, size_t p)
{
    return p < d->len ? pe_break_len(d->t + p, d->len - p) : 0;
}

static brk make_brk(const sdec *d, size_t p)
{
    brk b = {(uint32_t)p, (unsigned char)(brk_at(d, p) == 3)};
    return b;
}

static void raw(sdec *d, size_t p, size_t n)
{
    pe_mbuf_raw(d->b, (const char *)d->t + p, n, d->f, (uint32_t)p);
}

static void glue(sdec *d, const char *s, size_t n, size_t at)
{
    pe_pos p = {d->f, (uint32_t)at};
    pe_mbuf_glue(d->b, s, n, p);
}

static void emit_break(sdec *d, brk b)
{
    if (b.keep)
        raw(d, b.at, 3);
    else
        glue(d, "\n", 1, b.at);
}

static void push_trail(sdec *d, size_t p)
{
    if (PE_PUSH(d->trail, d->ntrail, d->captrail, make_brk(d, p)))
        d->b->failed = 1;
}

static void emit_trail(sdec *d)
{
    for (size_t i = 0; i < d->ntrail; i++)
        emit_break(d, d->trail[i]);
    d->ntrail = 0;
}

/* libyaml's "join the whitespaces or fold line breaks". */
static void join(sdec *d)
{
    if (d->leading_blanks) {
        if (d->lead && !d->lead_break.keep) {
            if (!d->ntrail)
                glue(d, " ", 1, d->lead_break.at);
            emit_trail(d);
        } else {
            if (d->lead)
                emit_break(d, d->lead_break);
            emit_trail(d);
        }
        d->leading_blanks = 0;
        d->lead = 0;
    } else if (d->ws_n) {
        raw(d, d->ws_at, d->ws_n);
    }
    d->ws_n = 0;
}

/* Blanks and line breaks between content, as libyaml's flow/plain scanner. */
static size_t consume_blanks(sdec *d, size_t p, size_t end)
{
    while (p < end) {
        size_t bl;
        if (is_blank(d->t[p])) {
            if (!d->leading_blanks) {
                if (!d->ws_n)
                    d->ws_at = p;
                d->ws_n++;
            }
            p++;
        } else if ((bl = brk_at(d, p)) != 0) {
            if (!d->leading_blanks) {
                d->ws_n = 0;
                d->lead = 1;
                d->lead_break = make_brk(d, p);
                d->leading_blanks = 1;
            } else {
                push_trail(d, p);
            }
            p += bl;
        } else {
            break;
        }
    }
    return p;
}

static void decode_plain(sdec *d, size_t p, size_t end)
{
    while (p < end) {
        if (is_blank(d->t[p]) || brk_at(d, p)) {
            p = consume_blanks(d, p, end);
            continue;
        }
        join(d);
        size_t q = p;
        while (q < end && !is_blank(d->t[q]) && !brk_at(d, q))
            q++;
        raw(d, p, q - p);
        p = q;
    }
}

/* A double-quoted escape at p (a backslash); returns its length or 0. */
static size_t decode_escape(sdec *d, size_t p)
{
    static const char simple_in[] = "0abt\tnvfre \"/'\\";
    static const char simple_out[] = "\0\a\b\t\t\n\v\f\r\x1b \"/'\\";
    if (p + 1 >= d->len)
        return 0;
    unsigned char c = d->t[p + 1];
    const char *k = memchr(simple_in, c, sizeof(simple_in) - 1);
    if (k) {
        glue(d, &simple_out[k - simple_in], 1, p);
        return 2;
    }
    static const struct {
        char c;
        const char *bytes;
    } named[] = {
        {'N', "\xC2\x85"}, {'_', "\xC2\xA0"}, {'L', "\xE2\x80\xA8"}, {'P', "\xE2\x80\xA9"}};
    for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
        if (c == (unsigned char)named[i].c) {
            glue(d, named[i].bytes, strlen(named[i].bytes), p);
            return 2;
        }
    size_t digits = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
    if (!digits || p + 2 + digits > d->len)
        return 0;
    unsigned long v = 0;
    for (size_t i = 0; i < digits; i++) {
        int h = pe_hex_digit((unsigned char)d->t[p + 2 + i]);
        if (h < 0)
            return 0;
        v = v * 16 + (unsigned long)h;
    }
    if ((v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF)
        return 0;
    char buf[4];
    glue(d, buf, pe_utf8_encode(v, buf), p);
    return 2 + digits;
}

static void decode_quoted(sdec *d, size_t p, int single)
{
    unsigned char quote = single ? '\'' : '"';
    p++; /* the opening quote */
    for (;;) {
        d->leading_blanks = 0;
        while (p < d->len && !is_blank(d->t[p]) && !brk_at(d, p)) {
            size_t bl;
            if (single && d->t[p] == '\'' && p + 1 < d->len && d->t[p + 1] == '\'') {
                glue(d, "'", 1, p);
                p += 2;
            } else if (d->t[p] == quote) {
                break;
            } else if (!single && d->t[p] == '\\' && (bl = brk_at(d, p + 1)) != 0) {
                p += 1 + bl; /* an escaped line break: no space */
                d->leading_blanks = 1;
                d->lead = 0;
                break;
            } else if (!single && d->t[p] == '\\') {
                size_t n = decode_escape(d, p);
                if (!n) {
                    d->bad = 1;
                    return;
                }
                p += n;
            } else {
                raw(d, p, 1);
                p++;
            }
        }
        if (p >= d->len) {
            d->bad = 1;
            return;
        }
        if (d->t[p] == quote)
            return;
        p = consume_blanks(d, p, d->len);
        join(d);
    }
}

static size_t line_col(size_t line_start, size_t p)
{
    return p - line_start;
}

/* libyaml's scan_block_scalar_breaks: empty lines before content and the
 * indentation when not given. Returns the new position. */
static size_t block_breaks(sdec *d, size_t p, size_t *line_start, int *indent, int parent)
{
    size_t max_indent = 0;
    for (;;) {
        while ((!*indent || line_col(*line_start, p) < (size_t)*indent) && p < d->len &&
               d->t[p] == ' ')
            p++;
        if (line_col(*line_start, p) > max_indent)
            max_indent = line_col(*line_start, p);
        if ((!*indent || line_col(*line_start, p) < (size_t)*indent) && p < d->len &&
            d->t[p] == '\t') {
            d->bad = 1;
            return p;
        }
        size_t bl = brk_at(d, p);
        if (!bl)
            break;
        push_trail(d, p);
        p += bl;
        *line_start = p;
    }
    if (!*indent) {
        *indent = (int)max_indent;
        if (*indent < parent + 1)
            *indent = parent + 1;
        if (*indent < 1)
            *indent = 1;
    }
    return p;
}

/* The header after '|' or '>': chomping (+/-) and indentation (1-9) in
 * either order, blanks, a comment, the line break. */
static size_t block_header(sdec *d, size_t p, int *chomping, int *increment)
{
    for (int k = 0; k < 2 && p < d->len; k++) {
        unsigned char c = d->t[p];
        if ((c == '+' || c == '-') && !*chomping) {
            *chomping = c == '+' ? 1 : -1;
            p++;
        } else if (c >= '1' && c <= '9' && !*increment) {
            *increment = c - '0';
            p++;
        }
    }
    while (p < d->len && is_blank(d->t[p]))
        p++;
    if (p < d->len && d->t[p] == '#')
        while (p < d->len && !brk_at(d, p))
            p++;
    size_t bl = brk_at(d, p);
    if (!bl && p < d->len)
        d->bad = 1;
    return p + bl;
}

static void decode_block(sdec *d, size_t p, int literal, int parent)
{
    int chomping = 0, increment = 0;
    p = block_header(d, p + 1, &chomping, &increment);
    if (d->bad)
        return;
    int indent = increment ? (parent >= 0 ? parent + increment : increment) : 0;
    size_t line_start = p;
    p = block_breaks(d, p, &line_start, &indent, parent);
    int leading_blank = 0;
    d->lead = 0;
    while (!d->bad && p < d->len && line_col(line_start, p) == (size_t)indent) {
        int trailing_blank = is_blank(d->t[p]);
        if (!literal && d->lead && !d->lead_break.keep && !leading_blank && !trailing_blank) {
            if (!d->ntrail)
                glue(d, " ", 1, d->lead_break.at);
        } else if (d->lead) {
            emit_break(d, d->lead_break);
        }
        d->lead = 0;
        emit_trail(d);
        leading_blank = is_blank(d->t[p]);
        size_t q = p;
        while (q < d->len && !brk_at(d, q))
            q++;
        raw(d, p, q - p);
        p = q;
        size_t bl = brk_at(d, p);
        if (bl) {
            d->lead = 1;
            d->lead_break = make_brk(d, p);
            p += bl;
            line_start = p;
        }
        p = block_breaks(d, p, &line_start, &indent, parent);
    }
    if (chomping != -1 && d->lead)
        emit_break(d, d->lead_break);
    if (chomping == 1)
        emit_trail(d);
}

int pe_scalar_decode(pe_mbuf *b, const pe_ynode *n, const char *text)
{
    sdec d = {0};
    d.t = (const unsigned char *)text;
    d.len = n->pos.file->len;
    d.f = n->pos.file;
    d.b = b;
    size_t start = pe_mbuf_len(b);
    size_t p = n->pos.off;
    switch (n->style) {
    case YAML_PLAIN_SCALAR_STYLE:
        decode_plain(&d, p, n->end < d.len ? n->end : d.len);
        break;
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        if (p < d.len && d.t[p] == (n->style == YAML_SINGLE_QUOTED_SCALAR_STYLE ? '\'' : '"'))
            decode_quoted(&d, p, n->style == YAML_SINGLE_QUOTED_SCALAR_STYLE);
        else
            d.bad = 1;
        break;
    case YAML_LITERAL_SCALAR_STYLE:
    case YAML_FOLDED_SCALAR_STYLE:
        if (p < d.len && (d.t[p] == '|' || d.t[p] == '>'))
            decode_block(&d, p, d.t[p] == '|', n->parent_indent);
        else
            d.bad = 1;
        break;
    default:
        d.bad = 1;
    }
    free(d.trail);
    if (d.bad || pe_mbuf_failed(b))
        return -1;
    size_t got = pe_mbuf_len(b) - start;
    if (got != n->len || memcmp(pe_mbuf_str(b) + start, n->s, n->len) != 0)
        return -1;
    return 0;
}

int pe_scalar_mtext(pe_arena *a, const pe_ynode *n, const char *text, pe_mtext *out)
{
    pe_mbuf b = PE_MBUF_INIT;
    int rc;
    if (pe_scalar_decode(&b, n, text) == 0) {
        rc = pe_mbuf_finish(&b, a, out);
    } else {
        /* a scalar this decoder does not follow: point at its start */
        rc = pe_mtext_fixed(a, n->s, n->len, n->pos, out);
    }
    pe_mbuf_free(&b);
    return rc;
}
