/*
 * prempti/explain.h - why each rule matched or not.
 *
 * prempti_explain() evaluates every active rule of an engine on an event,
 * without stopping early, and reports the outcome of every node of every
 * condition: each check in its canonical text (e.g.
 * `tool.name in (Bash, bash)`), each macro by name, each `and`, `or` and
 * `not`. Use it to debug a rule pack; it is slower than prempti_evaluate()
 * and never decides anything.
 *
 * Part of the libprempti public API; see prempti/prempti.h for the rules on
 * ownership and threads that every function follows.
 */
#ifndef PREMPTI_EXPLAIN_H
#define PREMPTI_EXPLAIN_H

#include "prempti/common.h"
#include "prempti/error.h"

PREMPTI_BEGIN_DECL

/**
 * Explains the evaluation of an event as JSON:
 *
 *     {"rules": [{"rule": "<name>", "view": 0, "matched": true,
 *                 "condition": NODE}, ...]}
 *
 * with one entry per active rule and per view of the event (views in
 * order, then rules in evaluation order), and NODE =
 * {"expr": "<check, macro name, and, or, not>", "result": true|false,
 *  "children": [NODE, ...]}. Nodes nested too deeply for the output are
 * cut and carry "truncated": true.
 * Thread-safe like prempti_evaluate(): the engine and the event are read,
 * never written.
 * @param[out] out receives a new NUL-terminated string; release it with
 *             prempti_free().
 * @return PREMPTI_OK; PREMPTI_E_NOMEM; PREMPTI_E_INVALID_ARG (out, engine or
 *         event NULL). On failure *out is NULL.
 */
PREMPTI_API int prempti_explain(char **out, const prempti_engine *engine,
                                const prempti_event *event, prempti_error **err);

PREMPTI_END_DECL

#endif /* PREMPTI_EXPLAIN_H */
