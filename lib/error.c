#include "error_internal.h"

#include <stdlib.h>
#include <string.h>

#include "prempti/common.h"
#include "util/mem.h"
#include "util/strbuf.h"

static prempti_error oom_error = {
    PREMPTI_E_NOMEM, PREMPTI_SEVERITY_ERROR, "out of memory", "", "", 0, 0, "", "",
    NULL, 0, 0, 1};

prempti_error *pe_error_newv(int code, int severity, const char *kind, const char *fmt,
                             va_list ap)
{
    prempti_error *e = calloc(1, sizeof(*e));
    if (!e)
        return &oom_error;
    pe_strbuf sb = PE_STRBUF_INIT;
    pe_sb_vprintf(&sb, fmt, ap);
    e->code = code;
    e->severity = severity;
    e->message = pe_sb_take(&sb);
    e->kind = pe_strdup(kind ? kind : "");
    e->source = pe_strdup("");
    e->item_type = pe_strdup("");
    e->item_name = pe_strdup("");
    if (!e->message || !e->kind || !e->source || !e->item_type || !e->item_name) {
        prempti_error_free(e);
        return &oom_error;
    }
    return e;
}

prempti_error *pe_error_new(int code, int severity, const char *kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    prempti_error *e = pe_error_newv(code, severity, kind, fmt, ap);
    va_end(ap);
    return e;
}

static void replace(char **slot, const char *value)
{
    char *d = pe_strdup(value ? value : "");
    if (d) {
        free(*slot);
        *slot = d;
    }
}

void pe_error_set_pos(prempti_error *e, const char *source, unsigned line, unsigned column)
{
    if (e->is_static)
        return;
    if (source)
        replace(&e->source, source);
    e->line = line;
    e->column = column;
}

void pe_error_set_item(prempti_error *e, const char *type, const char *name)
{
    if (e->is_static)
        return;
    replace(&e->item_type, type);
    replace(&e->item_name, name);
}

void pe_error_add_note(prempti_error *e, prempti_error *note)
{
    if (e->is_static || PE_PUSH(e->notes, e->note_count, e->note_cap, note))
        prempti_error_free(note);
}

prempti_error *pe_error_clone(const prempti_error *src)
{
    if (src->is_static)
        return (prempti_error *)src;
    prempti_error *e = pe_error_new(src->code, src->severity, src->kind, "%s", src->message);
    pe_error_set_pos(e, src->source, src->line, src->column);
    pe_error_set_item(e, src->item_type, src->item_name);
    for (size_t i = 0; i < src->note_count; i++)
        pe_error_add_note(e, pe_error_clone(src->notes[i]));
    return e;
}

int pe_fail(prempti_error **err, int code, const char *kind, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        *err = pe_error_newv(code, PREMPTI_SEVERITY_ERROR, kind, fmt, ap);
        va_end(ap);
    }
    return code;
}

int pe_raise(prempti_error **err, prempti_error *e)
{
    int code = e->code;
    if (err)
        *err = e;
    else
        prempti_error_free(e);
    return code;
}

void pe_diags_add(pe_diags *d, prempti_error *e)
{
    if (e->is_static) {
        d->oom = 1;
        return;
    }
    if (PE_PUSH(d->items, d->count, d->cap, e)) {
        d->oom = 1;
        prempti_error_free(e);
    }
}

void pe_diags_free(pe_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        prempti_error_free(d->items[i]);
    free(d->items);
    memset(d, 0, sizeof(*d));
}

void pe_diags_move(pe_diags *dst, pe_diags *src)
{
    for (size_t i = 0; i < src->count; i++)
        pe_diags_add(dst, src->items[i]);
    dst->oom |= src->oom;
    free(src->items);
    memset(src, 0, sizeof(*src));
}

/* ---- public API ---- */

void prempti_error_free(prempti_error *e)
{
    if (!e || e->is_static)
        return;
    free(e->message);
    free(e->kind);
    free(e->source);
    free(e->item_type);
    free(e->item_name);
    for (size_t i = 0; i < e->note_count; i++)
        prempti_error_free(e->notes[i]);
    free(e->notes);
    free(e);
}

int prempti_error_code(const prempti_error *e)
{
    return e ? e->code : PREMPTI_E_INVALID_ARG;
}

int prempti_error_severity(const prempti_error *e)
{
    return e ? e->severity : PREMPTI_SEVERITY_ERROR;
}

const char *prempti_error_message(const prempti_error *e)
{
    return e ? e->message : "";
}

const char *prempti_error_kind(const prempti_error *e)
{
    return e ? e->kind : "";
}

const char *prempti_error_source(const prempti_error *e)
{
    return e ? e->source : "";
}

unsigned prempti_error_line(const prempti_error *e)
{
    return e ? e->line : 0;
}

unsigned prempti_error_column(const prempti_error *e)
{
    return e ? e->column : 0;
}

const char *prempti_error_item_type(const prempti_error *e)
{
    return e ? e->item_type : "";
}

const char *prempti_error_item_name(const prempti_error *e)
{
    return e ? e->item_name : "";
}

size_t prempti_error_note_count(const prempti_error *e)
{
    return e ? e->note_count : 0;
}

const prempti_error *prempti_error_note(const prempti_error *e, size_t i)
{
    return e && i < e->note_count ? e->notes[i] : NULL;
}

int prempti_error_format(char **out, const prempti_error *e)
{
    if (!out)
        return PREMPTI_E_INVALID_ARG;
    *out = NULL;
    if (!e)
        return PREMPTI_E_INVALID_ARG;
    pe_strbuf sb = PE_STRBUF_INIT;
    if (e->source[0]) {
        pe_sb_puts(&sb, e->source);
        if (e->line) {
            pe_sb_printf(&sb, ":%u", e->line);
            if (e->column)
                pe_sb_printf(&sb, ":%u", e->column);
        }
        pe_sb_puts(&sb, ": ");
    }
    pe_sb_puts(&sb, e->severity == PREMPTI_SEVERITY_WARNING ? "warning: " : "error: ");
    if (e->item_name[0])
        pe_sb_printf(&sb, "%s '%s': ", e->item_type[0] ? e->item_type : "item", e->item_name);
    pe_sb_puts(&sb, e->message);
    if (e->kind[0])
        pe_sb_printf(&sb, " [%s]", e->kind);
    *out = pe_sb_take(&sb);
    return *out ? PREMPTI_OK : PREMPTI_E_NOMEM;
}
