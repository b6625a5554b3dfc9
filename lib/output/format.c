#include "output/format.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile/diag.h"
#include "cond/parser.h"
#include "cond/print.h"
#include "error_internal.h"
#include "eval/eval.h"
#include "event/event_internal.h"

static void out_error(pe_compile_ctx *c, const pe_cond_src *src, size_t pos, const char *msg)
{
    pe_compile_report(c, PREMPTI_SEVERITY_ERROR, PE_KIND_OUTPUT, src, (uint32_t)pos, "%s", msg);
}

typedef struct segs {
    pe_fmt_seg *v;
    size_t n, cap;
} segs;

static int push_seg(pe_compile_ctx *c, segs *s, const pe_fmt_seg *seg)
{
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 8;
        pe_fmt_seg *nv = pe_compile_alloc(c, ncap * sizeof(*nv));
        if (!nv)
            return -1;
        if (s->n)
            memcpy(nv, s->v, s->n * sizeof(*nv));
        s->v = nv;
        s->cap = ncap;
    }
    s->v[s->n++] = *seg;
    return 0;
}

/* ---- the fields a token reads ---- */

typedef struct fields {
    pe_fmt_field *v;
    size_t n, cap;
} fields;

static int collect(pe_compile_ctx *c, const pe_ast_expr *e, const pe_operand *o, fields *f)
{
    if (e->kind != PE_EXPR_FIELD) {
        for (size_t i = 0; i < e->nargs; i++)
            if (collect(c, e->args[i], &o->args[i], f))
                return -1;
        return 0;
    }
    if (f->n == f->cap) {
        size_t ncap = f->cap ? f->cap * 2 : 4;
        pe_fmt_field *nv = pe_compile_alloc(c, ncap * sizeof(*nv));
        if (!nv)
            return -1;
        if (f->n)
            memcpy(nv, f->v, f->n * sizeof(*nv));
        f->v = nv;
        f->cap = ncap;
    }
    pe_strbuf sb = PE_STRBUF_INIT;
    pe_ast_print_expr(&sb, e);
    char *text = pe_sb_failed(&sb) ? NULL : pe_arena_strndup(c->arena, pe_sb_str(&sb), sb.len);
    pe_sb_free(&sb);
    if (!text) {
        c->oom = 1;
        return -1;
    }
    f->v[f->n].opd = o;
    f->v[f->n].text = text;
    f->n++;
    return 0;
}

/* ---- tokens ---- */

typedef struct capture {
    char first[300]; /* the first compile error of the attempts */
} capture;

static void capture_diag(void *user, int severity, const char *kind, const pe_cond_src *src,
                         uint32_t pos, const char *message)
{
    (void)severity;
    (void)kind;
    (void)src;
    (void)pos;
    capture *cap = user;
    if (!cap->first[0])
        snprintf(cap->first, sizeof(cap->first), "%s", message);
}

/* Parses and compiles text (len bytes) as a field or transformer; 0 with
 * *opd set, -1 when it is not one (*used: bytes the parser got to). */
static int try_token(pe_compile_ctx *c, const char *text, size_t len, const pe_cond_src *src,
                     capture *cap, pe_ast_expr **e, pe_operand **opd, size_t *used)
{
    pe_parse_error perr;
    int rc = pe_parse_field_or_transformer(e, used, text, len, c->arena, &perr);
    if (rc == -2)
        c->oom = 1;
    if (rc) {
        *used = perr.pos;
        return -1;
    }
    pe_compile_ctx quiet = *c;
    quiet.diag = capture_diag;
    quiet.user = cap;
    *opd = pe_compile_alloc(c, sizeof(**opd));
    rc = *opd ? pe_compile_operand(&quiet, *e, src, *opd) : -1;
    c->oom |= quiet.oom;
    return rc;
}

/* The text after '%' quoted in "unknown filter" when nothing compiled. */
static void snippet(const char *s, size_t len, char *out, size_t outsz)
{
    size_t n = 0;
    while (n < len && n < 64 && s[n] != '%' && (unsigned char)s[n] > ' ')
        n++;
    snprintf(out, outsz, "%.*s%s", (int)n, s, n == 64 ? "..." : "");
}

/*
 * Falco's rule: the token is the longest prefix of the text after '%' that
 * parses and compiles as a field or a transformer call. Shorter prefixes
 * are tried from the longest down; a failure at byte p cannot change for
 * prefixes longer than p plus the parser's look-ahead, so those are
 * skipped. Returns the bytes used, or 0 after an error.
 */
static size_t parse_token(pe_compile_ctx *c, const char *text, size_t len, size_t i,
                          const pe_cond_src *src, pe_fmt_seg *seg)
{
    enum { LOOKAHEAD = 16 };
    capture cap = {{0}};
    for (size_t l = len - i; l > 0 && !c->oom;) {
        pe_ast_expr *e = NULL;
        pe_operand *opd = NULL;
        size_t used = 0;
        if (try_token(c, text + i, l, src, &cap, &e, &opd, &used) == 0) {
            fields f = {0};
            if (collect(c, e, opd, &f))
                return 0;
            seg->opd = opd;
            seg->opd_text = pe_arena_strndup(c->arena, text + i, used);
            seg->fields = f.v;
            seg->nfields = f.n;
            if (!seg->opd_text)
                c->oom = 1;
            return c->oom ? 0 : used;
        }
        l = used + LOOKAHEAD < l - 1 ? used + LOOKAHEAD : l - 1;
    }
    if (c->oom)
        return 0;
    char msg[400], snip[80];
    snippet(text + i, len - i, snip, sizeof(snip));
    if (cap.first[0])
        snprintf(msg, sizeof(msg), "unknown filter: %s", cap.first);
    else if (snip[0])
        snprintf(msg, sizeof(msg), "unknown filter: %s", snip);
    else
        snprintf(msg, sizeof(msg),
                 "unknown filter: '%%' must be followed by a field or a field transformer "
                 "(a literal '%%' cannot be written)");
    out_error(c, src, i, msg);
    return 0;
}

/* "%" [width] token at text[*i] == '%'; fills seg's field part. */
static int parse_field_ref(pe_compile_ctx *c, const char *text, size_t len, size_t *i,
                           const pe_cond_src *src, pe_fmt_seg *seg)
{
    size_t at = *i, j = at + 1;
    if (j >= len) {
        out_error(c, src, at, "invalid formatting syntax: formatting cannot end with a %");
        return -1;
    }
    unsigned long width = 0;
    while (j < len && text[j] >= '0' && text[j] <= '9') {
        if (width <= PE_FMT_MAX_WIDTH)
            width = width * 10 + (unsigned long)(text[j] - '0');
        j++;
    }
    if (j >= len) {
        out_error(c, src, at, "invalid formatting syntax: formatting cannot end with a number");
        return -1;
    }
    if (width > PE_FMT_MAX_WIDTH) {
        char msg[128];
        snprintf(msg, sizeof(msg), "invalid formatting syntax: field width is larger than %d",
                 PE_FMT_MAX_WIDTH);
        out_error(c, src, at + 1, msg);
        return -1;
    }
    seg->width = (unsigned)width;
    size_t used = parse_token(c, text, len, j, src, seg);
    if (!used)
        return -1;
    *i = j + used;
    return 0;
}

/* Literal text must outlive the rules text: copies it into the arena. */
static int keep_literal(pe_compile_ctx *c, pe_fmt_seg *seg)
{
    char *d = pe_arena_strndup(c->arena, seg->text.s, seg->text.len);
    if (!d) {
        c->oom = 1;
        return -1;
    }
    seg->text.s = d;
    return 0;
}

/* f->keyed: the segments with a field, by opd_text, one per text (outputs
 * use a handful of fields: an insertion sort beats qsort here). */
static int sort_keys(pe_compile_ctx *c, pe_format *f)
{
    size_t *k = pe_compile_alloc(c, (f->nsegs ? f->nsegs : 1) * sizeof(*k));
    if (!k)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < f->nsegs; i++) {
        if (!f->segs[i].opd)
            continue;
        const char *t = f->segs[i].opd_text;
        size_t j = n;
        int cmp = 1;
        while (j > 0 && (cmp = strcmp(f->segs[k[j - 1]].opd_text, t)) > 0)
            j--;
        if (j > 0 && cmp == 0)
            continue; /* a field written twice is one key */
        memmove(k + j + 1, k + j, (n - j) * sizeof(*k));
        k[j] = i;
        n++;
    }
    f->keyed = k;
    f->nkeyed = n;
    return 0;
}

const pe_format *pe_format_compile(pe_compile_ctx *c, const char *text, size_t len,
                                   const pe_cond_src *src)
{
    size_t i = len && text[0] == '*' ? 1 : 0; /* "print even when values are missing" */
    segs s = {0};
    size_t lit = i;
    while (i < len) {
        if (text[i] != '%') {
            i++;
            continue;
        }
        pe_fmt_seg seg = {{text + lit, i - lit}, NULL, NULL, 0, NULL, 0};
        if (parse_field_ref(c, text, len, &i, src, &seg) || keep_literal(c, &seg) ||
            push_seg(c, &s, &seg))
            return NULL;
        lit = i;
    }
    if (lit < len || s.n == 0) {
        pe_fmt_seg seg = {{text + lit, len - lit}, NULL, NULL, 0, NULL, 0};
        if (keep_literal(c, &seg) || push_seg(c, &s, &seg))
            return NULL;
    }
    pe_format *f = pe_compile_alloc(c, sizeof(*f));
    if (!f)
        return NULL;
    f->segs = s.v;
    f->nsegs = s.n;
    return sort_keys(c, f) ? NULL : f;
}

void pe_value_text(pe_strbuf *out, pe_ftype type, const pe_value *v)
{
    switch (type) {
    case PE_FT_STRING:
        pe_sb_append(out, v->str.s, v->str.len);
        break;
    case PE_FT_U64:
        pe_sb_printf(out, "%" PRIu64, v->num);
        break;
    case PE_FT_BOOL:
        pe_sb_puts(out, v->num ? "true" : "false");
        break;
    case PE_FT_LIST:
        pe_sb_putc(out, '(');
        for (size_t i = 0; i < v->nitems; i++) {
            if (i)
                pe_sb_putc(out, ',');
            pe_sb_append(out, v->items[i].s, v->items[i].len);
        }
        pe_sb_putc(out, ')');
        break;
    }
}

int pe_format_render(pe_strbuf *out, const pe_format *f, pe_xctx *x)
{
    for (size_t i = 0; i < f->nsegs; i++) {
        const pe_fmt_seg *s = &f->segs[i];
        pe_sb_append(out, s->text.s, s->text.len);
        if (!s->opd)
            continue;
        pe_value v;
        size_t start = out->len;
        int rc = pe_eval_operand(x, s->opd, &v);
        if (rc < 0)
            return rc;
        if (rc == 0)
            pe_sb_puts(out, "<NA>");
        else
            pe_value_text(out, s->opd->type, &v);
        if (s->width) { /* Falco resizes the text: cut, or pad with spaces */
            size_t n = out->len - start;
            if (n > s->width)
                pe_sb_truncate(out, start + s->width);
            for (; n < s->width; n++)
                pe_sb_putc(out, ' ');
        }
    }
    return pe_sb_failed(out) ? PREMPTI_E_NOMEM : 0;
}

/* ---- prempti_event_field ---- */

int prempti_event_field(char **out, const prempti_event *ev, const char *field,
                        prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!out)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "out is NULL");
    *out = NULL;
    if (!ev || !field)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "event and field must not be NULL");
    pe_arena arena = PE_ARENA_INIT;
    pe_strbuf sb = PE_STRBUF_INIT;
    pe_compile_ctx c = {&arena, NULL, NULL, 0, 0, NULL, 0, 0};
    int rc = PREMPTI_OK;
    size_t len = strlen(field);
    pe_fmt_seg seg = {{NULL, 0}, NULL, NULL, 0, NULL, 0};
    size_t used = len ? parse_token(&c, field, len, 0, NULL, &seg) : 0;
    if (c.oom)
        rc = pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    else if (!used || used != len)
        rc = pe_fail(err, PREMPTI_E_UNSUPPORTED, "UNKNOWN_FIELD", "unknown field '%s'", field);
    else {
        pe_xctx *x = malloc(sizeof(*x));
        int r = x ? 0 : PREMPTI_E_NOMEM;
        pe_value v;
        if (x) {
            pe_xctx_init(x, ev, &ev->views[0], &arena);
            r = pe_eval_operand(x, seg.opd, &v);
            free(x);
        }
        if (r < 0)
            rc = pe_fail(err, r, "", "%s", prempti_strerror(r));
        else if (r > 0) {
            pe_value_text(&sb, seg.opd->type, &v);
            if (!(*out = pe_sb_take(&sb)))
                rc = pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
        }
    }
    pe_sb_free(&sb);
    pe_arena_free(&arena);
    return rc;
}
