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
#include "util/mem.h"

static void out_error(pe_compile_ctx *c, const pe_cond_src *src, size_t pos, const char *msg)
{
    pe_compile_report(c, PREMPTI_SEVERITY_ERROR, PE_KIND_OUTPUT, src, (uint32_t)pos, "%s", msg);
}

/* A format being compiled: segments and fields gathered on the heap, then
 * copied into the region once (keeping the region free of discarded
 * copies), and a scratch arena for the ASTs of the tokens tried. */
typedef struct fmt_build {
    pe_compile_ctx *c;
    pe_arena scratch;
    pe_fmt_seg *segs;
    size_t nsegs, capsegs;
} fmt_build;

/* ---- the fields a token reads ---- */

typedef struct field_list {
    pe_fmt_field *v;
    size_t n, cap;
} field_list;

static int collect(pe_compile_ctx *c, const pe_ast_expr *e, const pe_operand *o, field_list *f)
{
    if (e->kind != PE_EXPR_FIELD) {
        const pe_operand *args = PE_AT(c->region->base, o->args, pe_operand);
        for (size_t i = 0; i < e->nargs; i++)
            if (collect(c, e->args[i], &args[i], f))
                return -1;
        return 0;
    }
    pe_fmt_field ff = {pe_compile_ref(c, o), {0, 0}};
    pe_strbuf sb = PE_STRBUF_INIT;
    pe_ast_print_expr(&sb, e);
    int rc =
        pe_sb_failed(&sb) ? (c->oom = 1, -1) : pe_compile_keep(c, pe_sb_str(&sb), sb.len, &ff.text);
    pe_sb_free(&sb);
    if (!rc && PE_PUSH(f->v, f->n, f->cap, ff))
        rc = (c->oom = 1, -1);
    return rc;
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
static int try_token(fmt_build *fb, const char *text, size_t len, const pe_cond_src *src,
                     capture *cap, pe_ast_expr **e, pe_operand **opd, size_t *used)
{
    pe_compile_ctx *c = fb->c;
    pe_parse_error perr;
    int rc = pe_parse_field_or_transformer(e, used, text, len, &fb->scratch, &perr);
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
    c->over |= quiet.over;
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

/* Fills seg's field part from a compiled token (e, opd) of `used` bytes. */
static int keep_token(pe_compile_ctx *c, const char *text, size_t used, const pe_ast_expr *e,
                      const pe_operand *opd, pe_fmt_seg *seg)
{
    field_list f = {0};
    int rc = collect(c, e, opd, &f);
    pe_fmt_field *v = rc || !f.n ? NULL : pe_compile_alloc(c, f.n * sizeof(*v));
    if (!rc && f.n && !v)
        rc = -1;
    if (v)
        memcpy(v, f.v, f.n * sizeof(*v));
    free(f.v);
    seg->opd = pe_compile_ref(c, opd);
    seg->fields = pe_compile_ref(c, v);
    seg->nfields = (uint32_t)f.n;
    return rc ? rc : pe_compile_keep(c, text, used, &seg->opd_text);
}

/*
 * Falco's rule: the token is the longest prefix of the text after '%' that
 * parses and compiles as a field or a transformer call. Shorter prefixes
 * are tried from the longest down; a failure at byte p cannot change for
 * prefixes longer than p plus the parser's look-ahead, so those are
 * skipped. Returns the bytes used, or 0 after an error.
 */
static size_t parse_token(fmt_build *fb, const char *text, size_t len, size_t i,
                          const pe_cond_src *src, pe_fmt_seg *seg)
{
    enum { LOOKAHEAD = 16 };
    pe_compile_ctx *c = fb->c;
    capture cap = {{0}};
    for (size_t l = len - i; l > 0 && !c->oom && !c->over;) {
        pe_ast_expr *e = NULL;
        pe_operand *opd = NULL;
        size_t used = 0;
        if (try_token(fb, text + i, l, src, &cap, &e, &opd, &used) == 0)
            return keep_token(c, text + i, used, e, opd, seg) ? 0 : used;
        l = used + LOOKAHEAD < l - 1 ? used + LOOKAHEAD : l - 1;
    }
    if (c->oom || c->over)
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
static int parse_field_ref(fmt_build *fb, const char *text, size_t len, size_t *i,
                           const pe_cond_src *src, pe_fmt_seg *seg)
{
    pe_compile_ctx *c = fb->c;
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
    seg->width = (uint32_t)width;
    size_t used = parse_token(fb, text, len, j, src, seg);
    if (!used)
        return -1;
    *i = j + used;
    return 0;
}

/* A segment: the literal text before it (copied: it must outlive the rules
 * text), and the field part already in seg. */
static int push_seg(fmt_build *fb, const char *lit, size_t len, pe_fmt_seg *seg)
{
    if (pe_compile_keep(fb->c, lit, len, &seg->text))
        return -1;
    if (PE_PUSH(fb->segs, fb->nsegs, fb->capsegs, *seg)) {
        fb->c->oom = 1;
        return -1;
    }
    return 0;
}

/* f->keyed: the segments with a field, by opd_text, one per text (outputs
 * use a handful of fields: an insertion sort beats qsort here). */
static int sort_keys(pe_compile_ctx *c, pe_format *f, const pe_fmt_seg *segs)
{
    const unsigned char *base = c->region->base;
    uint32_t *k = pe_compile_alloc(c, (f->nsegs ? f->nsegs : 1) * sizeof(*k));
    if (!k)
        return -1;
    uint32_t n = 0;
    for (uint32_t i = 0; i < f->nsegs; i++) {
        if (!segs[i].opd)
            continue;
        const char *t = pe_rstr_c(base, segs[i].opd_text);
        uint32_t j = n;
        int cmp = 1;
        while (j > 0 && (cmp = strcmp(pe_rstr_c(base, segs[k[j - 1]].opd_text), t)) > 0)
            j--;
        if (j > 0 && cmp == 0)
            continue; /* a field written twice is one key */
        memmove(k + j + 1, k + j, (n - j) * sizeof(*k));
        k[j] = i;
        n++;
    }
    f->keyed = pe_compile_ref(c, k);
    f->nkeyed = n;
    return 0;
}

static const pe_format *finish(fmt_build *fb)
{
    pe_compile_ctx *c = fb->c;
    pe_fmt_seg *segs = pe_compile_alloc(c, fb->nsegs * sizeof(*segs));
    pe_format *f = segs ? pe_compile_alloc(c, sizeof(*f)) : NULL;
    if (!f)
        return NULL;
    memcpy(segs, fb->segs, fb->nsegs * sizeof(*segs));
    f->segs = pe_compile_ref(c, segs);
    f->nsegs = (uint32_t)fb->nsegs;
    return sort_keys(c, f, segs) ? NULL : f;
}

static const pe_format *compile_segments(fmt_build *fb, const char *text, size_t len,
                                         const pe_cond_src *src)
{
    size_t i = len && text[0] == '*' ? 1 : 0; /* "print even when values are missing" */
    size_t lit = i;
    while (i < len) {
        if (text[i] != '%') {
            i++;
            continue;
        }
        pe_fmt_seg seg = {{0, 0}, 0, {0, 0}, 0, 0, 0};
        size_t start = i;
        if (parse_field_ref(fb, text, len, &i, src, &seg) ||
            push_seg(fb, text + lit, start - lit, &seg))
            return NULL;
        lit = i;
    }
    if (lit < len || fb->nsegs == 0) {
        pe_fmt_seg seg = {{0, 0}, 0, {0, 0}, 0, 0, 0};
        if (push_seg(fb, text + lit, len - lit, &seg))
            return NULL;
    }
    return finish(fb);
}

const pe_format *pe_format_compile(pe_compile_ctx *c, const char *text, size_t len,
                                   const pe_cond_src *src)
{
    fmt_build fb = {c, PE_ARENA_INIT, NULL, 0, 0};
    const pe_format *f = compile_segments(&fb, text, len, src);
    pe_arena_free(&fb.scratch);
    free(fb.segs);
    return f;
}

static int check_seg(pe_prog_check *pc, pe_rcheck *c, const pe_fmt_seg *s)
{
    if (pe_rcheck_str(c, s->text, 0, "bad output text") || s->width > PE_FMT_MAX_WIDTH)
        return pe_rcheck_fail(c, "bad output segment");
    if (!s->opd)
        return s->nfields ? pe_rcheck_fail(c, "bad output segment") : 0;
    const pe_fmt_field *fields =
        pe_rcheck_array(c, s->fields, s->nfields, sizeof(*fields), "bad output fields");
    if (!fields || pe_rcheck_str(c, s->opd_text, 0, "bad output field") ||
        pe_prog_check_operand(pc, s->opd) || pe_rcheck_work(c, s->nfields))
        return -1;
    for (uint32_t i = 0; i < s->nfields; i++)
        if (pe_rcheck_str(c, fields[i].text, 0, "bad output field") ||
            pe_prog_check_operand(pc, fields[i].opd))
            return -1;
    return 0;
}

int pe_format_check(pe_prog_check *pc, pe_rcheck *c, pe_ref ref)
{
    const pe_format *f = pe_rcheck_array(c, ref, 1, sizeof(*f), "bad output");
    const pe_fmt_seg *segs =
        f ? pe_rcheck_array(c, f->segs, f->nsegs, sizeof(*segs), "bad output") : NULL;
    const uint32_t *keyed =
        segs ? pe_rcheck_array(c, f->keyed, f->nkeyed, sizeof(*keyed), "bad output keys") : NULL;
    if (!keyed || pe_rcheck_work(c, f->nsegs))
        return -1;
    for (uint32_t i = 0; i < f->nsegs; i++)
        if (check_seg(pc, c, &segs[i]))
            return -1;
    for (uint32_t i = 0; i < f->nkeyed; i++)
        if (keyed[i] >= f->nsegs || !segs[keyed[i]].opd)
            return pe_rcheck_fail(c, "bad output key");
    return 0;
}

void pe_value_text(pe_strbuf *out, pe_ftype type, const pe_value *v)
{
    switch (type) {
    case PE_FT_STRING:
        pe_sb_append(out, v->str.s, v->str.len);
        break;
    case PE_FT_U64:
        pe_sb_u64(out, v->num);
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
    const pe_fmt_seg *segs = PE_AT(x->img, f->segs, pe_fmt_seg);
    for (uint32_t i = 0; i < f->nsegs; i++) {
        const pe_fmt_seg *s = &segs[i];
        pe_sb_append(out, (const char *)x->img + s->text.off, s->text.len);
        if (!s->opd)
            continue;
        const pe_operand *opd = PE_AT(x->img, s->opd, pe_operand);
        pe_value v;
        size_t start = out->len;
        int rc = pe_eval_operand(x, opd, &v);
        if (rc < 0)
            return rc;
        if (rc == 0)
            pe_sb_puts(out, "<NA>");
        else
            pe_value_text(out, (pe_ftype)opd->type, &v);
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
    pe_region region = PE_REGION_INIT;
    pe_strbuf sb = PE_STRBUF_INIT;
    size_t len = strlen(field);
    pe_compile_ctx c = {&region, NULL, NULL, 0, 0, NULL, 0};
    fmt_build fb = {&c, PE_ARENA_INIT, NULL, 0, 0};
    int rc = PREMPTI_OK;
    pe_fmt_seg seg = {{0, 0}, 0, {0, 0}, 0, 0, 0};
    if (pe_region_init_fixed(&region, 4 * len + 4096, 8))
        c.oom = 1;
    size_t used = len && !c.oom ? parse_token(&fb, field, len, 0, NULL, &seg) : 0;
    if (c.oom || c.over)
        rc = pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    else if (!used || used != len)
        rc = pe_fail(err, PREMPTI_E_UNSUPPORTED, "UNKNOWN_FIELD", "unknown field '%s'", field);
    else {
        pe_xctx *x = malloc(sizeof(*x));
        int r = x ? 0 : PREMPTI_E_NOMEM;
        pe_value v;
        const pe_operand *opd = PE_AT(region.base, seg.opd, pe_operand);
        if (x) {
            pe_xctx_init(x, ev, &ev->views[0], &arena);
            x->img = region.base;
            r = pe_eval_operand(x, opd, &v);
            free(x);
        }
        if (r < 0)
            rc = pe_fail(err, r, "", "%s", prempti_strerror(r));
        else if (r > 0) {
            pe_value_text(&sb, (pe_ftype)opd->type, &v);
            if (!(*out = pe_sb_take(&sb)))
                rc = pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
        }
    }
    pe_sb_free(&sb);
    pe_arena_free(&arena);
    pe_arena_free(&fb.scratch);
    free(fb.segs);
    pe_region_free(&region);
    return rc;
}
