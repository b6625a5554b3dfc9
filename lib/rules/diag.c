#include "rules/diag.h"

#include <stdarg.h>
#include <stdio.h>

#include "util/strbuf.h"

prempti_error *pe_ld_new(int code, int severity, const char *kind, pe_pos at, pe_item item,
                         const char *msg)
{
    prempti_error *e = pe_error_new(code, severity, kind, "%s", msg);
    unsigned line, col;
    pe_pos_linecol(at, &line, &col);
    pe_error_set_pos(e, at.file ? at.file->name : "", line, col);
    pe_error_set_item(e, item.type, item.name);
    return e;
}

PE_PRINTF(6, 0)
static prempti_error *newv(int code, int severity, const char *kind, pe_pos at, pe_item item,
                           const char *fmt, va_list ap)
{
    pe_strbuf sb = PE_STRBUF_INIT;
    pe_sb_vprintf(&sb, fmt, ap);
    prempti_error *e =
        pe_sb_failed(&sb)
            ? pe_error_new(PREMPTI_E_NOMEM, PREMPTI_SEVERITY_ERROR, "", "%s", "out of memory")
            : pe_ld_new(code, severity, kind, at, item, pe_sb_str(&sb));
    pe_sb_free(&sb);
    return e;
}

int pe_ld_raise(pe_ldiag *d, prempti_error *e)
{
    int code = prempti_error_code(e);
    if (!d->err)
        d->err = e;
    else
        prempti_error_free(e);
    return code;
}

int pe_ld_error(pe_ldiag *d, int code, const char *kind, pe_pos at, pe_item item, const char *fmt,
                ...)
{
    va_list ap;
    va_start(ap, fmt);
    prempti_error *e = newv(code, PREMPTI_SEVERITY_ERROR, kind, at, item, fmt, ap);
    va_end(ap);
    return pe_ld_raise(d, e);
}

int pe_ld_nomem(pe_ldiag *d)
{
    return pe_ld_raise(
        d, pe_error_new(PREMPTI_E_NOMEM, PREMPTI_SEVERITY_ERROR, "", "%s", "out of memory"));
}

int pe_ld_rule_error(pe_ldiag *d, const char *rule, pe_pos at, const char *msg)
{
    return pe_ld_error(d, PREMPTI_E_RULE, "LOAD_ERR_VALIDATE", at, pe_item_of("rule", rule), "%s",
                       msg);
}

void pe_ld_warn(pe_ldiag *d, const char *kind, pe_pos at, pe_item item, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    prempti_error *e = newv(0, PREMPTI_SEVERITY_WARNING, kind, at, item, fmt, ap);
    va_end(ap);
    pe_ld_add_warning(d->warnings, &d->suppressed, e);
}

void pe_ld_add_warning(pe_diags *list, size_t *suppressed, prempti_error *w)
{
    if (list->count >= PE_MAX_WARNINGS) {
        (*suppressed)++;
        prempti_error_free(w);
        return;
    }
    pe_diags_add(list, w);
}

void pe_ld_summarize(pe_diags *list, size_t suppressed)
{
    if (suppressed)
        pe_diags_add(list, pe_error_new(0, PREMPTI_SEVERITY_WARNING, "LOAD_TOO_MANY_WARNINGS",
                                        "%zu more warnings were not kept", suppressed));
}
