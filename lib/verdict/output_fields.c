/*
 * A match's output_fields, as Falco attaches them to a JSON alert: every
 * field the rule's output uses, once, with its typed value (null when the
 * field has none), keyed by the field as written and sorted by key (the
 * order the compiled format keeps in keyed).
 */
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "verdict/result_internal.h"

static int copy_str(pe_arena *a, pe_str *dst, pe_str src)
{
    char *d = pe_arena_strndup(a, src.s ? src.s : "", src.s ? src.len : 0);
    if (!d)
        return PREMPTI_E_NOMEM;
    dst->s = d;
    dst->len = src.s ? src.len : 0;
    return 0;
}

/* Copies a value so that it outlives the evaluation's scratch memory. */
static int copy_value(pe_arena *a, pe_ofield *f, const pe_value *v)
{
    f->value = *v;
    if (f->type == PE_FT_STRING)
        return copy_str(a, &f->value.str, v->str);
    if (f->type != PE_FT_LIST)
        return 0;
    pe_str *items = pe_arena_alloc(a, (v->nitems ? v->nitems : 1) * sizeof(*items));
    if (!items)
        return PREMPTI_E_NOMEM;
    for (size_t i = 0; i < v->nitems; i++)
        if (copy_str(a, &items[i], v->items[i]))
            return PREMPTI_E_NOMEM;
    f->value.items = items;
    return 0;
}

/* The key: a plain field's name is the library's own static text, so only
 * fields with an argument and transformers need a copy. */
static const char *field_key(pe_arena *a, const pe_xctx *x, const pe_fmt_seg *s)
{
    const pe_operand *o = PE_AT(x->img, s->opd, pe_operand);
    pe_str text = pe_rstr_str(x->img, s->opd_text);
    if (o->kind == PE_OPD_FIELD && !o->arg.off) {
        const pe_field_def *d = pe_field((pe_field_id)o->field);
        if (d && strcmp(d->name, text.s) == 0)
            return d->name;
    }
    return pe_arena_strndup(a, text.s, text.len);
}

static int eval_field(pe_arena *a, const pe_fmt_seg *s, pe_xctx *x, pe_ofield *f)
{
    f->key = field_key(a, x, s);
    if (!f->key)
        return PREMPTI_E_NOMEM;
    const pe_operand *o = PE_AT(x->img, s->opd, pe_operand);
    f->type = (pe_ftype)o->type;
    pe_value v;
    int rc = pe_eval_operand(x, o, &v);
    if (rc <= 0)
        return rc; /* absent (present stays 0) or an error */
    f->present = 1;
    return copy_value(a, f, &v);
}

int pe_output_fields(pe_arena *a, const pe_format *f, pe_xctx *x, const pe_ofield **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!f || !f->nkeyed)
        return 0;
    pe_ofield *fields = pe_arena_alloc(a, f->nkeyed * sizeof(*fields));
    if (!fields)
        return PREMPTI_E_NOMEM;
    const pe_fmt_seg *segs = PE_AT(x->img, f->segs, pe_fmt_seg);
    const uint32_t *keyed = PE_AT(x->img, f->keyed, uint32_t);
    for (size_t i = 0; i < f->nkeyed; i++) {
        int rc = eval_field(a, &segs[keyed[i]], x, &fields[i]);
        if (rc < 0)
            return rc;
    }
    *out = fields;
    *n = f->nkeyed;
    return 0;
}
