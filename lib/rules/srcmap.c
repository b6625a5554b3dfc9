#include "rules/srcmap.h"

#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

/* Whether byte c may start a line break (most bytes cannot). */
static int may_break(unsigned char c)
{
    return c == '\n' || c == '\r' || c == 0xC2 || c == 0xE2;
}

size_t pe_break_len(const unsigned char *s, size_t left)
{
    if (!left || !may_break(s[0]))
        return 0;
    if (left >= 1 && s[0] == '\n')
        return 1;
    if (left >= 1 && s[0] == '\r')
        return left >= 2 && s[1] == '\n' ? 2 : 1;
    if (left >= 2 && s[0] == 0xC2 && s[1] == 0x85)
        return 2;
    if (left >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9))
        return 3;
    return 0;
}

pe_srcfile *pe_srcfile_new(pe_arena *a, const char *name, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t first = len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF ? 3 : 0;
    uint32_t *lines = NULL;
    size_t n = 0, cap = 0;
    int oom = PE_PUSH(lines, n, cap, (uint32_t)first);
    for (size_t i = first; i < len && !oom;) {
        if (s[i] > '\r' && s[i] < 0xC2) { /* the common case: no break */
            i++;
            continue;
        }
        size_t b = pe_break_len(s + i, len - i);
        i += b ? b : 1;
        if (b)
            oom = PE_PUSH(lines, n, cap, (uint32_t)i);
    }
    pe_srcfile *f = oom ? NULL : pe_arena_alloc(a, sizeof(*f));
    uint32_t *kept = f ? pe_arena_memdup(a, lines, n * sizeof(*lines)) : NULL;
    char *nm = kept ? pe_arena_strndup(a, name, strlen(name)) : NULL;
    free(lines);
    if (!nm)
        return NULL;
    f->name = nm;
    f->lines = kept;
    f->nlines = (uint32_t)n;
    f->len = (uint32_t)len;
    return f;
}

void pe_pos_linecol(pe_pos p, unsigned *line, unsigned *col)
{
    *line = *col = 0;
    if (!p.file)
        return;
    uint32_t off = p.off > p.file->len ? p.file->len : p.off;
    size_t lo = 0, hi = p.file->nlines; /* last line starting at or before off */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (p.file->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    *line = (unsigned)lo + 1;
    *col = off >= p.file->lines[lo] ? (unsigned)(off - p.file->lines[lo]) + 1 : 1;
}

uint32_t pe_srcfile_offset(const pe_srcfile *f, const char *text, size_t line, size_t col)
{
    if (line >= f->nlines)
        return f->len;
    return pe_srcfile_advance(f, text, f->lines[line], col);
}

uint32_t pe_srcfile_advance(const pe_srcfile *f, const char *text, uint32_t off, size_t col)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = off;
    while (col-- > 0 && i < f->len && !pe_break_len(s + i, f->len - i)) {
        size_t w = s[i] < 0x80 ? 1 : s[i] >= 0xF0 ? 4 : s[i] >= 0xE0 ? 3 : s[i] >= 0xC0 ? 2 : 1;
        i += w;
    }
    return (uint32_t)(i > f->len ? f->len : i);
}

static const pe_srcrun *find_run(const pe_srcrun *runs, size_t n, size_t off)
{
    if (!n || runs[0].out > off)
        return NULL;
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (runs[mid].out <= off)
            lo = mid;
        else
            hi = mid;
    }
    return &runs[lo];
}

pe_pos pe_mtext_pos(const pe_mtext *t, size_t off)
{
    pe_pos p = {NULL, 0};
    const pe_srcrun *r = t ? find_run(t->runs, t->nruns, off) : NULL;
    if (!r)
        return p;
    p.file = r->file;
    p.off = r->fixed ? r->raw : r->raw + (uint32_t)(off - r->out);
    return p;
}

/* ---- building ---- */

static void add_run(pe_mbuf *b, const pe_srcfile *f, uint32_t raw, int fixed)
{
    uint32_t out = (uint32_t)b->sb.len;
    if (b->nruns) {
        pe_srcrun *last = &b->runs[b->nruns - 1];
        if (last->file == f && !fixed && !last->fixed && last->raw + (out - last->out) == raw)
            return;
        if (last->file == f && fixed && last->fixed && last->raw == raw)
            return;
        if (last->out == out) { /* an empty run: replace it */
            last->file = f;
            last->raw = raw;
            last->fixed = (uint32_t)fixed;
            return;
        }
    }
    pe_srcrun r = {out, raw, f, (uint32_t)fixed};
    if (PE_PUSH(b->runs, b->nruns, b->cap, r))
        b->failed = 1;
}

void pe_mbuf_raw(pe_mbuf *b, const char *s, size_t n, const pe_srcfile *f, uint32_t raw)
{
    if (!n)
        return;
    add_run(b, f, raw, 0);
    pe_sb_append(&b->sb, s, n);
}

void pe_mbuf_glue(pe_mbuf *b, const char *s, size_t n, pe_pos at)
{
    if (!n)
        return;
    add_run(b, at.file, at.off, 1);
    pe_sb_append(&b->sb, s, n);
}

void pe_mbuf_slice(pe_mbuf *b, const pe_mtext *t, size_t from, size_t n)
{
    if (!n)
        return;
    if (from + n > t->len)
        n = from < t->len ? t->len - from : 0;
    size_t end = from + n;
    const pe_srcrun *r = find_run(t->runs, t->nruns, from);
    if (!r) { /* no map: unknown position */
        pe_pos none = {NULL, 0};
        pe_mbuf_glue(b, t->s + from, n, none);
        return;
    }
    const pe_srcrun *last = t->runs + t->nruns;
    for (size_t at = from; at < end; r++) {
        size_t stop = r + 1 < last && r[1].out < end ? r[1].out : end;
        if (r->fixed) {
            pe_pos p = {r->file, r->raw};
            pe_mbuf_glue(b, t->s + at, stop - at, p);
        } else {
            pe_mbuf_raw(b, t->s + at, stop - at, r->file, r->raw + (uint32_t)(at - r->out));
        }
        at = stop;
    }
}

void pe_mbuf_mtext(pe_mbuf *b, const pe_mtext *t)
{
    pe_mbuf_slice(b, t, 0, t->len);
}

void pe_mbuf_drop(pe_mbuf *b, size_t n)
{
    size_t len = n < b->sb.len ? b->sb.len - n : 0;
    pe_sb_truncate(&b->sb, len);
    while (b->nruns && b->runs[b->nruns - 1].out >= len && len)
        b->nruns--;
    if (!len)
        b->nruns = 0;
}

int pe_mbuf_failed(const pe_mbuf *b)
{
    return b->failed || pe_sb_failed(&b->sb);
}

size_t pe_mbuf_len(const pe_mbuf *b)
{
    return b->sb.len;
}

const char *pe_mbuf_str(const pe_mbuf *b)
{
    return pe_sb_str(&b->sb);
}

int pe_mbuf_finish(pe_mbuf *b, pe_arena *a, pe_mtext *out)
{
    memset(out, 0, sizeof(*out));
    if (pe_mbuf_failed(b) || b->sb.len > UINT32_MAX)
        return -1;
    char *s = pe_arena_strndup(a, pe_sb_str(&b->sb), b->sb.len);
    pe_srcrun *runs = pe_arena_memdup(a, b->runs, b->nruns * sizeof(*runs));
    if (!s || (b->nruns && !runs))
        return -1;
    out->s = s;
    out->len = (uint32_t)b->sb.len;
    out->runs = runs;
    out->nruns = (uint32_t)b->nruns;
    pe_mbuf_reset(b);
    return 0;
}

void pe_mbuf_reset(pe_mbuf *b)
{
    pe_sb_reset(&b->sb);
    b->nruns = 0;
}

void pe_mbuf_free(pe_mbuf *b)
{
    pe_sb_free(&b->sb);
    free(b->runs);
    memset(b, 0, sizeof(*b));
}

int pe_mtext_fixed(pe_arena *a, const char *s, size_t n, pe_pos at, pe_mtext *out)
{
    pe_mbuf b = PE_MBUF_INIT;
    pe_mbuf_glue(&b, s, n, at);
    if (!n) /* an empty text still has its position */
        add_run(&b, at.file, at.off, 1);
    int rc = pe_mbuf_finish(&b, a, out);
    pe_mbuf_free(&b);
    return rc;
}
