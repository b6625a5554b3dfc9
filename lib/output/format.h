/*
 * Rule outputs: Falco's `%field` substitution. A format is compiled once
 * (fields bound, transformers parsed and type-checked) and rendered per
 * match; a field without a value renders as <NA>.
 */
#ifndef PE_OUTPUT_FORMAT_H
#define PE_OUTPUT_FORMAT_H

#include "compile/compile.h"
#include "event/extract.h"
#include "util/strbuf.h"

/* A plain field used by a segment: the segment's own field, or a field
 * inside its transformer (Falco lists those in output_fields by name). */
typedef struct pe_fmt_field {
    pe_ref opd;   /* pe_operand */
    pe_rstr text; /* as written, e.g. "tool.input[command]" */
} pe_fmt_field;

typedef struct pe_fmt_seg {
    pe_rstr text;     /* literal text before the field (may be empty) */
    pe_ref opd;       /* pe_operand; 0 for a trailing literal */
    pe_rstr opd_text; /* the field as written, e.g. "tool.name" or
                         "toupper(tool.name)" */
    uint32_t width;   /* %10field: pad or cut to 10 bytes; 0: none */
    pe_ref fields;    /* nfields pe_fmt_field: the plain fields opd reads, in order */
    uint32_t nfields;
} pe_fmt_seg;

/* A compiled output, in a region or an image (compile/program.h). */
typedef struct pe_format {
    pe_ref segs; /* nsegs pe_fmt_seg */
    uint32_t nsegs;
    /* The segments with a field, one per distinct opd_text, sorted by it:
     * the order of a match's output_fields, computed once when compiled. */
    pe_ref keyed; /* nkeyed uint32_t segment indexes */
    uint32_t nkeyed;
} pe_format;

/* Widest %Nfield accepted. */
#define PE_FMT_MAX_WIDTH 4096

/*
 * Compiles an output text (already trimmed by the caller; a leading '*' is
 * dropped here). After '%' come an optional width and the longest field or
 * transformer call that is valid there ("%tool.name_x" is tool.name then
 * "_x"). Errors go to c's sink with kind LOAD_ERR_COMPILE_OUTPUT and the
 * offset in text of the problem: "invalid formatting syntax: formatting
 * cannot end with a %", "... cannot end with a number", "unknown filter:
 * ...". Returns NULL on error.
 */
const pe_format *pe_format_compile(pe_compile_ctx *c, const char *text, size_t len,
                                   const pe_cond_src *src);

/* Appends the rendered output (f is in x->img). Returns 0 or a negative
 * PREMPTI_E_* code. */
int pe_format_render(pe_strbuf *out, const pe_format *f, pe_xctx *x);

/* Checks a format read back from an image (and its operands, with pc):
 * 0, or -1 with the problem in the checker. */
int pe_format_check(pe_prog_check *pc, pe_rcheck *c, pe_ref ref);

/* Appends a value as output text (numbers in decimal, booleans as
 * true/false, lists as "(a,b)"). */
void pe_value_text(pe_strbuf *out, pe_ftype type, const pe_value *v);

#endif
