/*
 * Rule outputs: Falco's `%field` substitution. A format is compiled once
 * (field names bound, transformers parsed) and rendered per match; a field
 * without a value renders as <NA>.
 */
#ifndef PE_OUTPUT_FORMAT_H
#define PE_OUTPUT_FORMAT_H

#include "compile/compile.h"
#include "event/extract.h"
#include "util/strbuf.h"

typedef struct pe_fmt_seg {
    pe_str text;              /* literal text before the field (may be empty) */
    const pe_operand *opd;    /* NULL for a trailing literal */
    const char *opd_text;     /* the field as written, e.g. "tool.name" */
    unsigned width;           /* %10field: pad or cut to 10 bytes; 0: none */
} pe_fmt_seg;

typedef struct pe_format {
    pe_fmt_seg *segs;
    size_t nsegs;
} pe_format;

/*
 * Compiles an output text (already trimmed by the caller; a leading '*' is
 * dropped here). Errors go to c's sink with kind LOAD_ERR_COMPILE_OUTPUT
 * and an offset into text. Returns NULL on error.
 */
const pe_format *pe_format_compile(pe_compile_ctx *c, const char *text, size_t len,
                                   const pe_cond_src *src);

/* Appends the rendered output. Returns 0 or a negative PREMPTI_E_* code. */
int pe_format_render(pe_strbuf *out, const pe_format *f, pe_xctx *x);

/* Appends a value as output text (numbers in decimal, lists as "(a,b)"). */
void pe_value_text(pe_strbuf *out, pe_ftype type, const pe_value *v);

#endif
