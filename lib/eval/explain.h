/* Explaining a condition's evaluation node by node (evaluator-internal). */
#ifndef PE_EVAL_EXPLAIN_H
#define PE_EVAL_EXPLAIN_H

#include "eval/eval.h"
#include "util/jsonw.h"

/*
 * Evaluates n without short-circuiting and writes
 * {"expr": "<label>", "result": true|false, "children": [...]} to w.
 * Returns the node's result (1 or 0) or a negative PREMPTI_E_* code.
 */
int pe_eval_explain(pe_xctx *x, const pe_cnode *n, pe_jw *w);

#endif
