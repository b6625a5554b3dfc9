/*
 * Evaluating compiled conditions against one view of an event. Pure: reads
 * the program and the event, writes only the evaluation's scratch memory
 * (and the view's lazily computed fields in the context). Plain checks
 * allocate nothing; transformers and very large regex programs use the
 * scratch arena or the heap.
 */
#ifndef PE_EVAL_EVAL_H
#define PE_EVAL_EVAL_H

#include "compile/program.h"
#include "event/extract.h"

/* 1 when the condition holds, 0 when not, a negative PREMPTI_E_* code when
 * evaluation failed (out of memory). Falco's rule: a check whose left-hand
 * side has no value is false, whatever its operator. */
int pe_eval_cond(pe_xctx *x, const pe_cnode *n);

/* One check: 1, 0 or a negative PREMPTI_E_* code. */
int pe_eval_check(pe_xctx *x, const pe_check *k);

/* The value of an operand: 1 with *out filled, 0 when it has none, or a
 * negative PREMPTI_E_* code. Strings produced are NUL-terminated. */
int pe_eval_operand(pe_xctx *x, const pe_operand *o, pe_value *out);

#endif
