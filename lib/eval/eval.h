/*
 * Evaluating compiled conditions against one view of an event. Pure: reads
 * the program and the event, writes only the evaluation's scratch memory.
 */
#ifndef PE_EVAL_EVAL_H
#define PE_EVAL_EVAL_H

#include "compile/program.h"
#include "event/extract.h"

/* 1 when the condition holds, 0 when not, a negative PREMPTI_E_* code when
 * evaluation failed (out of scratch memory). */
int pe_eval_cond(pe_xctx *x, const pe_cnode *n);

/* The value of an operand: 1 with *out filled, 0 when it has none, or a
 * negative PREMPTI_E_* code. Strings produced are NUL-terminated. */
int pe_eval_operand(pe_xctx *x, const pe_operand *o, pe_value *out);

#endif
