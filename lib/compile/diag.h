/* Reporting compile diagnostics to the context's sink (compiler-internal). */
#ifndef PE_COMPILE_DIAG_H
#define PE_COMPILE_DIAG_H

#include "compile/compile.h"
#include "util/attr.h"

#define PE_KIND_COMPILE "LOAD_ERR_COMPILE_CONDITION"
#define PE_KIND_WARNING "LOAD_COMPILE_CONDITION"
#define PE_KIND_VALIDATE "LOAD_ERR_VALIDATE"
#define PE_KIND_OUTPUT "LOAD_ERR_COMPILE_OUTPUT"

PE_ATTR_PRINTF(6, 7)
void pe_compile_report(pe_compile_ctx *c, int severity, const char *kind,
                       const pe_cond_src *src, uint32_t pos, const char *fmt, ...);

/* Notes a diagnostic given while macro bodies are being compiled, to give
 * it again where the compiled body is reused (pe_compile_report does). */
void pe_compile_memo_note(pe_compile_memo *m, int severity, const char *kind,
                          const pe_cond_src *src, uint32_t pos, const char *msg);

/* lint.c: libprempti's hints for rule authors, reported as warnings. */
void pe_lint_operand(pe_compile_ctx *c, const pe_ast_node *n, const pe_operand *o, uint32_t pos);
void pe_lint_values(pe_compile_ctx *c, const pe_ast_node *n, const pe_check *k,
                    const pe_ast_lit *lits, size_t nlits);

/* Region helpers that set c->over (the region is full) or c->oom. */
void *pe_compile_alloc(pe_compile_ctx *c, size_t n);
int pe_compile_keep(pe_compile_ctx *c, const char *s, size_t len, pe_rstr *out);
/* Records why an allocation failed (c->over or c->oom); returns -1. */
int pe_compile_failed(pe_compile_ctx *c);
/* The offset of p in c's region. */
static inline pe_ref pe_compile_ref(const pe_compile_ctx *c, const void *p)
{
    return pe_ref_of(c->region, p);
}

#endif
