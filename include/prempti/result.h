/*
 * prempti/result.h - evaluating an event, and what the evaluation found.
 *
 * prempti_evaluate() runs every active rule of an engine against an event
 * and returns a result: the decision, every matching rule in evaluation order
 * with its rendered output, which match decided, and the reason text shown
 * to the agent. Evaluation reads the engine and the event and writes
 * neither; it touches no file, clock or global state.
 */
#ifndef PREMPTI_RESULT_H
#define PREMPTI_RESULT_H

#include "prempti/common.h"
#include "prempti/error.h"

PREMPTI_BEGIN_DECL

/**
 * Evaluates an event. Thread-safe: any number of threads may evaluate on the
 * same engine and the same event at once.
 * @param[out] out receives a new result; release it with prempti_result_free().
 * @return PREMPTI_OK; PREMPTI_E_NOMEM; PREMPTI_E_INVALID_ARG (out, engine or
 *         event NULL); PREMPTI_E_LIMIT (regular expressions needed more than
 *         max_regex_work steps); PREMPTI_E_INTERNAL.
 *         On any failure *out is NULL: a caller must treat a failed
 *         evaluation as a failure, never as "allow".
 */
PREMPTI_API int prempti_evaluate(prempti_result **out, const prempti_engine *engine,
                                 const prempti_event *event, prempti_error **err);

/** Releases a result. Accepts NULL. */
PREMPTI_API void prempti_result_free(prempti_result *result);

/**
 * The decision to act on (enum prempti_decision). In monitor mode this is
 * always PREMPTI_DEFER; see prempti_result_would_be(). For NULL (a failed
 * evaluation whose status was not checked) PREMPTI_E_INVALID_ARG, which is
 * no decision: a switch must treat anything but the four as a block.
 */
PREMPTI_API int prempti_result_decision(const prempti_result *result);

/**
 * The decision the rules reached, before monitor mode turned it into defer.
 * Equal to prempti_result_decision() in guardrails mode.
 * PREMPTI_E_INVALID_ARG for NULL.
 */
PREMPTI_API int prempti_result_would_be(const prempti_result *result);

/**
 * The explanation for the model and the user: "<rule name>: <rendered
 * output><suffix>" of the deciding rule, or "" when no rule decided.
 * Borrowed: valid until the result is freed. Never NULL ("" for NULL).
 */
PREMPTI_API const char *prempti_result_reason(const prempti_result *result);

/** The event's correlation id (non-zero), shared by every match; 0 for NULL. */
PREMPTI_API uint64_t prempti_result_correlation_id(const prempti_result *result);

/** Number of matching rules (0 for NULL). */
PREMPTI_API size_t prempti_result_match_count(const prempti_result *result);

/**
 * Index of the match whose rule decided (the first deny, else the first ask,
 * else the first allow, in evaluation order), or -1 when no rule decided
 * (and for NULL).
 */
PREMPTI_API long prempti_result_deciding_match(const prempti_result *result);

/*
 * The getters of match i return NULL, -1 or 0 (as each says) when i is out
 * of range, which includes a NULL result.
 */

/** The i-th match's rule name; NULL when out of range. Borrowed. */
PREMPTI_API const char *prempti_result_match_rule(const prempti_result *result, size_t i);

/** The i-th match's priority (enum prempti_priority); -1 when out of range. */
PREMPTI_API int prempti_result_match_priority(const prempti_result *result, size_t i);

/**
 * The decision the i-th match's tags ask for (enum prempti_decision;
 * PREMPTI_DEFER for a rule without a deciding tag); -1 when out of range.
 */
PREMPTI_API int prempti_result_match_decision(const prempti_result *result, size_t i);

/**
 * The i-th match's rendered output; NULL when out of range, or when memory
 * ran out rendering it. The deciding match's output is rendered with the
 * reason; another match's is rendered from the event the first time it is
 * read (the result keeps what it needs, so the engine and the event may
 * have been freed). Borrowed.
 */
PREMPTI_API const char *prempti_result_match_output(const prempti_result *result, size_t i);

/** Number of tags of the i-th match (0 when out of range). */
PREMPTI_API size_t prempti_result_match_tag_count(const prempti_result *result, size_t i);

/** Tag j of match i, in sorted order; NULL when out of range. Borrowed. */
PREMPTI_API const char *prempti_result_match_tag(const prempti_result *result, size_t i,
                                                 size_t j);

PREMPTI_END_DECL

#endif /* PREMPTI_RESULT_H */
