/*
 * prempti/holder.h - reloading rules while serving, without locks of your own.
 *
 * Engines are reference-counted. prempti_engine_new() hands its caller the
 * first reference; prempti_engine_ref() takes another; prempti_engine_free()
 * drops one, and the engine is destroyed when the last one goes.
 *
 * A holder keeps the engine that is "current" for a service. Threads
 * evaluate through it (prempti_holder_evaluate(), or prempti_holder_acquire()
 * then prempti_evaluate()); a reload builds and loads a new engine off to
 * the side, then prempti_holder_set() swaps it in. An evaluation that
 * started on the old engine finishes on it, and the old engine is destroyed
 * when the last such evaluation has released it. Neither side ever waits
 * for the other: the holder's lock is held only to copy a pointer and count
 * a reference, never while rules are loaded or an event is evaluated.
 *
 *     prempti_holder *h;
 *     prempti_holder_new(&h, engine, &err);   // h takes its own reference
 *     prempti_engine_free(engine);             // ... so drop ours if unused
 *     // serving threads:
 *     prempti_holder_evaluate(&result, h, event, &err);
 *     // reload, from any thread:
 *     prempti_engine_new(&fresh, cfg, &err);
 *     if (prempti_engine_load_rules_path(fresh, "rules/", &err) == PREMPTI_OK)
 *         prempti_holder_set(h, fresh, &err);  // on failure keep serving the old one
 *     prempti_engine_free(fresh);
 *
 * An engine with more than one reference is shared: loading rules into it
 * fails with PREMPTI_E_INVALID_ARG (other threads may be evaluating on it),
 * which keeps the "immutable once loaded" rule from being broken by mistake.
 *
 * Part of the libprempti public API; see prempti/prempti.h for the rules on
 * ownership and threads that every function follows.
 */
#ifndef PREMPTI_HOLDER_H
#define PREMPTI_HOLDER_H

#include "prempti/common.h"
#include "prempti/error.h"

PREMPTI_BEGIN_DECL

/** Holds the current engine of a service; see the top of this header. */
typedef struct prempti_holder prempti_holder;

/**
 * Takes a new reference to an engine, to be dropped with
 * prempti_engine_free(). Thread-safe. Returns engine (NULL for NULL).
 */
PREMPTI_API prempti_engine *prempti_engine_ref(prempti_engine *engine);

/**
 * Creates a holder whose current engine is engine.
 * @param[out] out receives a new holder; release it with prempti_holder_free().
 * @param engine the first current engine; the holder takes its own
 *        reference, the caller keeps (and eventually frees) its own.
 * @return PREMPTI_OK; PREMPTI_E_INVALID_ARG (out or engine NULL);
 *         PREMPTI_E_NOMEM. On failure *out is NULL and engine is untouched.
 */
PREMPTI_API int prempti_holder_new(prempti_holder **out, prempti_engine *engine,
                                   prempti_error **err);

/**
 * Releases a holder and its reference to the current engine. Accepts NULL.
 * No other thread may use the holder meanwhile; evaluations that acquired
 * the engine from it keep their own references and may still be running.
 */
PREMPTI_API void prempti_holder_free(prempti_holder *holder);

/**
 * Makes engine the current engine. The holder takes a new reference to it
 * and drops its reference to the previous one, which is destroyed once the
 * evaluations still using it have released it. Thread-safe with every other
 * holder call except prempti_holder_free().
 * @return PREMPTI_OK; PREMPTI_E_INVALID_ARG (holder or engine NULL; nothing
 *         changes).
 */
PREMPTI_API int prempti_holder_set(prempti_holder *holder, prempti_engine *engine,
                                   prempti_error **err);

/**
 * Acquires the current engine. Thread-safe.
 * @param[out] out receives a new reference to the current engine; release
 *             it with prempti_engine_free() when the evaluations made on it
 *             have returned.
 * @return PREMPTI_OK; PREMPTI_E_INVALID_ARG (out or holder NULL; *out is
 *         then NULL).
 */
PREMPTI_API int prempti_holder_acquire(prempti_engine **out, prempti_holder *holder,
                                       prempti_error **err);

/**
 * Evaluates an event on the current engine: prempti_holder_acquire(),
 * prempti_evaluate(), prempti_engine_free(). Thread-safe.
 * @param[out] out receives a new result; release it with prempti_result_free().
 * @return as prempti_evaluate(): PREMPTI_OK; PREMPTI_E_INVALID_ARG (a NULL
 *         argument); PREMPTI_E_NOMEM; PREMPTI_E_LIMIT; PREMPTI_E_INTERNAL. On failure *out is
 *         NULL: treat it as a failure, never as "allow".
 */
PREMPTI_API int prempti_holder_evaluate(prempti_result **out, prempti_holder *holder,
                                        const prempti_event *event, prempti_error **err);

PREMPTI_END_DECL

#endif /* PREMPTI_HOLDER_H */
