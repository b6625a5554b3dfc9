/* Transformer evaluation (evaluator-internal). */
#ifndef PE_EVAL_XFORM_H
#define PE_EVAL_XFORM_H

#include "eval/eval.h"

/* An operand's arguments. */
static inline const pe_operand *pe_operand_args(const pe_xctx *x, const pe_operand *o)
{
    return PE_AT(x->img, o->args, pe_operand);
}

/* The value of a transformer operand: 1, 0 (no value) or < 0 (error). */
int pe_eval_xform(pe_xctx *x, const pe_operand *o, pe_value *out);
/* The value of a transformer list operand. */
int pe_eval_list(pe_xctx *x, const pe_operand *o, pe_value *out);
/* getopt(args, optstring) and getopt(args, optstring)[c]. */
int pe_eval_getopt(pe_xctx *x, const pe_operand *o, pe_value *out);

#endif
