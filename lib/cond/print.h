/*
 * Canonical text of conditions (Falco's ast.cpp form): and/or nodes in
 * parentheses, "not " before a negated child, checks as "<lhs> <op> <rhs>"
 * with single spaces and the operator as written, lists as "(a, b)",
 * transformers as "name(arg1,arg2)", values quoted and escaped when they
 * could not be read back as bare strings. Used for explain labels and tests.
 */
#ifndef PE_COND_PRINT_H
#define PE_COND_PRINT_H

#include "cond/ast.h"
#include "util/strbuf.h"

/* Appends the canonical text of a condition. A macro reference prints as
 * its name. */
void pe_ast_print(pe_strbuf *sb, const pe_ast_node *n);

/* Appends a field, transformer or literal operand. */
void pe_ast_print_expr(pe_strbuf *sb, const pe_ast_expr *e);

/* Appends a value the way it appears on a check's right-hand side: bare
 * when it reads back as the same bare string, else "quoted" with escapes. */
void pe_print_value(pe_strbuf *sb, const char *s, size_t len);

#endif
