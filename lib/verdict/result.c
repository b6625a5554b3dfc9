/*
 * The result's accessors, and the outputs and fields of matches rendered
 * from the event the first time they are read.
 */
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "event/event_internal.h"
#include "verdict/result_internal.h"

#define SCRATCH_BYTES 4096
#define TEXT_BYTES    2048

int pe_render_output(pe_strbuf *sb, const unsigned char *base, const pe_format *f,
                     const prempti_event *ev, size_t view, pe_arena *scratch)
{
    pe_xctx x;
    pe_xctx_init(&x, ev, &ev->views[view], scratch); /* fields only: no regex */
    x.img = base;
    return pe_format_render(sb, f, &x);
}

static pe_match *match(const prempti_result *r, size_t i)
{
    return r && i < r->nmatches ? &r->matches[i] : NULL;
}

static const pe_rule *rule_of(const prempti_result *r, const pe_match *m)
{
    return &r->rules[m->rule_index];
}

static const pe_format *format_of(const prempti_result *r, const pe_match *m)
{
    return PE_AT(r->img->base, rule_of(r, m)->output, pe_format);
}

const char *pe_match_rule(const prempti_result *r, size_t i)
{
    const pe_match *m = match(r, i);
    return m ? pe_rstr_c(r->img->base, rule_of(r, m)->name) : NULL;
}

size_t pe_match_tag_count(const prempti_result *r, size_t i)
{
    const pe_match *m = match(r, i);
    return m ? rule_of(r, m)->ntags : 0;
}

const char *pe_match_tag(const prempti_result *r, size_t i, size_t j)
{
    const pe_match *m = match(r, i);
    if (!m || j >= rule_of(r, m)->ntags)
        return NULL;
    return pe_rstr_c(r->img->base, PE_AT(r->img->base, rule_of(r, m)->tags, pe_rstr)[j]);
}

/* The result is the caller's alone (results are not synchronised), so
 * what is rendered on a read may be stored in it. */
static prempti_result *mutable(const prempti_result *r)
{
    return (prempti_result *)(uintptr_t)r;
}

const char *pe_match_output(const prempti_result *cr, size_t i)
{
    pe_match *m = match(cr, i);
    if (!m || m->output)
        return m ? m->output : NULL;
    prempti_result *r = mutable(cr);
    _Alignas(max_align_t) unsigned char mem[SCRATCH_BYTES];
    char text[TEXT_BYTES];
    pe_arena scratch;
    pe_strbuf sb;
    pe_arena_init_buf(&scratch, mem, sizeof(mem));
    pe_sb_init_buf(&sb, text, sizeof(text));
    if (!pe_render_output(&sb, r->img->base, format_of(r, m), r->event, m->view, &scratch))
        m->output = pe_arena_strndup(&r->lazy, pe_sb_str(&sb), sb.len);
    pe_sb_free(&sb);
    pe_arena_free(&scratch);
    return m->output;
}

int pe_match_fields(const prempti_result *cr, size_t i, const pe_ofield **fields, size_t *n)
{
    pe_match *m = match(cr, i);
    *fields = NULL;
    *n = 0;
    if (!m)
        return PREMPTI_E_INVALID_ARG;
    prempti_result *r = mutable(cr);
    int rc = 0;
    if (!m->fields_done) {
        _Alignas(max_align_t) unsigned char mem[SCRATCH_BYTES];
        pe_arena scratch;
        pe_arena_init_buf(&scratch, mem, sizeof(mem));
        pe_xctx x;
        pe_xctx_init(&x, r->event, &r->event->views[m->view], &scratch);
        x.img = r->img->base;
        pe_arena_mark mark = pe_arena_get_mark(&r->lazy);
        rc = pe_output_fields(&r->lazy, format_of(r, m), &x, &m->fields, &m->nfields);
        if (rc) /* nothing half-collected stays */
            pe_arena_release(&r->lazy, mark);
        m->fields_done = !rc;
        pe_arena_free(&scratch);
    }
    *fields = m->fields;
    *n = m->nfields;
    return rc;
}

/* ---- accessors ---- */

void prempti_result_free(prempti_result *r)
{
    if (!r)
        return;
    pe_arena_free(&r->lazy);
    pe_image_unref(r->img);
    prempti_event_free(r->event);
    free(r);
}

int prempti_result_decision(const prempti_result *r)
{
    return r ? r->decision : PREMPTI_E_INVALID_ARG;
}

int prempti_result_would_be(const prempti_result *r)
{
    return r ? r->would_be : PREMPTI_E_INVALID_ARG;
}

const char *prempti_result_reason(const prempti_result *r)
{
    return r && r->reason ? r->reason : "";
}

uint64_t prempti_result_correlation_id(const prempti_result *r)
{
    return r ? r->correlation_id : 0;
}

size_t prempti_result_match_count(const prempti_result *r)
{
    return r ? r->nmatches : 0;
}

long prempti_result_deciding_match(const prempti_result *r)
{
    return r ? r->deciding : -1;
}

const char *prempti_result_match_rule(const prempti_result *r, size_t i)
{
    return pe_match_rule(r, i);
}

int prempti_result_match_priority(const prempti_result *r, size_t i)
{
    const pe_match *m = match(r, i);
    return m ? m->priority : -1;
}

int prempti_result_match_decision(const prempti_result *r, size_t i)
{
    const pe_match *m = match(r, i);
    return m ? m->decision : -1;
}

const char *prempti_result_match_output(const prempti_result *r, size_t i)
{
    return pe_match_output(r, i);
}

size_t prempti_result_match_tag_count(const prempti_result *r, size_t i)
{
    return pe_match_tag_count(r, i);
}

const char *prempti_result_match_tag(const prempti_result *r, size_t i, size_t j)
{
    return pe_match_tag(r, i, j);
}
