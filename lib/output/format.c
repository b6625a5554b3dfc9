#include "output/format.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond/parser.h"
#include "error_internal.h"
#include "eval/eval.h"
#include "event/event_internal.h"

#define OUTPUT_KIND "LOAD_ERR_COMPILE_OUTPUT"

static void out_error(pe_compile_ctx *c, const pe_cond_src *src, size_t pos, const char *msg)
{
    c->errors++;
    if (c->diag)
        c->diag(c->user, PREMPTI_SEVERITY_ERROR, OUTPUT_KIND, src, (uint32_t)pos, msg);
}

typedef struct segs {
    pe_fmt_seg *v;
    size_t n, cap;
} segs;

static int push_seg(pe_compile_ctx *c, segs *s, pe_fmt_seg seg)
{
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 8;
        pe_fmt_seg *nv = pe_arena_alloc(c->arena, ncap * sizeof(*nv));
        if (!nv) {
            c->oom = 1;
            return -1;
        }
        if (s->n)
            memcpy(nv, s->v, s->n * sizeof(*nv));
        s->v = nv;
        s->cap = ncap;
    }
    s->v[s->n++] = seg;
    return 0;
}

/* Parses the field or transformer after a '%' at text[i]; fills the
 * segment's operand and returns the bytes used, or 0 after an error. */
static size_t parse_token(pe_compile_ctx *c, const char *text, size_t len, size_t i,
                          const pe_cond_src *src, pe_fmt_seg *seg)
{
    pe_operand *opd = pe_arena_alloc(c->arena, sizeof(*opd));
    if (!opd) {
        c->oom = 1;
        return 0;
    }
    pe_ast_expr *e = NULL;
    size_t used = 0;
    pe_parse_error perr;
    int rc = pe_parse_transformer_prefix(&e, &used, text + i, len - i, src, c->arena, &perr);
    if (rc == -2) {
        c->oom = 1;
        return 0;
    }
    if (rc == -1) {
        out_error(c, src, i + perr.pos, perr.message);
        return 0;
    }
    if (!e) {
        int id = -1;
        used = pe_field_longest_prefix(text + i, len - i, &id);
        if (!used) {
            size_t end = i;
            while (end < len && text[end] != ' ' && text[end] != '%')
                end++;
            char msg[300];
            snprintf(msg, sizeof(msg), "unknown filter: %.*s", (int)(end - i), text + i);
            out_error(c, src, i, msg);
            return 0;
        }
        e = pe_arena_alloc(c->arena, sizeof(*e));
        if (!e) {
            c->oom = 1;
            return 0;
        }
        e->kind = PE_EXPR_FIELD;
        e->pos = (uint32_t)i;
        e->name = pe_field((pe_field_id)id)->name;
        e->name_len = used;
        /* an [arg] directly after the name */
        if (i + used < len && text[i + used] == '[') {
            const char *close = memchr(text + i + used, ']', len - i - used);
            if (close) {
                e->arg = pe_arena_strndup(c->arena, text + i + used + 1,
                                          (size_t)(close - (text + i + used + 1)));
                e->arg_len = (size_t)(close - (text + i + used + 1));
                used = (size_t)(close - (text + i)) + 1;
            }
        }
    }
    if (pe_compile_operand(c, e, src, opd))
        return 0;
    seg->opd = opd;
    seg->opd_text = pe_arena_strndup(c->arena, text + i, used);
    return used;
}

const pe_format *pe_format_compile(pe_compile_ctx *c, const char *text, size_t len,
                                   const pe_cond_src *src)
{
    size_t base = 0;
    if (len && text[0] == '*')
        base = 1;
    segs s = {0};
    size_t lit = base, i = base;
    while (i < len) {
        if (text[i] != '%') {
            i++;
            continue;
        }
        pe_fmt_seg seg = {{text + lit, i - lit}, NULL, NULL, 0};
        size_t at = i;
        i++;
        if (i >= len) {
            out_error(c, src, at,
                      "invalid formatting syntax: formatting cannot end with a %");
            return NULL;
        }
        while (i < len && text[i] >= '0' && text[i] <= '9') {
            seg.width = seg.width * 10 + (unsigned)(text[i] - '0');
            if (seg.width > 4096)
                seg.width = 4096;
            i++;
        }
        size_t used = parse_token(c, text, len, i, src, &seg);
        if (!used)
            return NULL;
        i += used;
        lit = i;
        if (push_seg(c, &s, seg))
            return NULL;
    }
    if (lit < len || s.n == 0) {
        pe_fmt_seg seg = {{text + lit, len - lit}, NULL, NULL, 0};
        if (push_seg(c, &s, seg))
            return NULL;
    }
    pe_format *f = pe_arena_alloc(c->arena, sizeof(*f));
    if (!f) {
        c->oom = 1;
        return NULL;
    }
    /* literal text must outlive the rules text: copy it into the arena */
    for (size_t k = 0; k < s.n; k++) {
        char *d = pe_arena_strndup(c->arena, s.v[k].text.s, s.v[k].text.len);
        if (!d) {
            c->oom = 1;
            return NULL;
        }
        s.v[k].text.s = d;
    }
    f->segs = s.v;
    f->nsegs = s.n;
    return f;
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
        if (s->width) {
            size_t n = out->len - start;
            if (n > s->width)
                pe_sb_truncate(out, start + s->width);
            else
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
    pe_compile_ctx c = {&arena, NULL, NULL, 0, 0};
    int rc = PREMPTI_OK;
    size_t len = strlen(field);
    pe_fmt_seg seg = {{NULL, 0}, NULL, NULL, 0};
    size_t used = parse_token(&c, field, len, 0, NULL, &seg);
    if (c.oom)
        rc = pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    else if (!used || used != len)
        rc = pe_fail(err, PREMPTI_E_UNSUPPORTED, "UNKNOWN_FIELD", "unknown field '%s'", field);
    else {
        pe_xctx x;
        pe_xctx_init(&x, ev, &ev->views[0], &arena);
        pe_value v;
        int r = pe_eval_operand(&x, seg.opd, &v);
        if (r < 0)
            rc = pe_fail(err, r, "", "%s", prempti_strerror(r));
        else if (r > 0) {
            pe_value_text(&sb, seg.opd->type, &v);
            *out = pe_sb_take(&sb);
            if (!*out)
                rc = pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
        }
    }
    pe_sb_free(&sb);
    pe_arena_free(&arena);
    return rc;
}
