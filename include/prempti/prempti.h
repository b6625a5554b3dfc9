/*
 * prempti/prempti.h - libprempti, a policy engine for AI coding agents.
 *
 * libprempti sits at the moment a coding agent is about to act (run a shell
 * command, read or write a file, fetch a URL, call an MCP tool). It evaluates
 * the tool call against rules written in the Falco rules language and answers
 * allow, deny, ask (the user decides) or defer (the agent's own permission
 * flow goes on), with one explanation for the model and the user.
 *
 * It is a policy layer, not a sandbox: it judges what the agent declares it
 * will do, not what the process then does. Pair it with containment.
 *
 *     prempti_engine *engine = NULL;  prempti_event *event = NULL;
 *     prempti_result *result = NULL;  prempti_error *err = NULL;
 *     if (prempti_engine_new(&engine, NULL, &err) != PREMPTI_OK ||
 *         prempti_engine_load_rules_path(engine, "rules.yaml", &err) != PREMPTI_OK ||
 *         prempti_event_from_json(&event, NULL, json, json_len, &err) != PREMPTI_OK ||
 *         prempti_evaluate(&result, engine, event, &err) != PREMPTI_OK)
 *         ... block the tool call: a failure is never an allow ...
 *     else if (prempti_result_decision(result) == PREMPTI_DENY) ...
 *
 * OWNERSHIP
 *  - An object delivered through a `**out` parameter belongs to the caller,
 *    who releases it with that type's _free function. Every _free accepts NULL.
 *  - A string delivered through `char **out` is released with prempti_free().
 *  - A pointer *returned* by a getter is borrowed: it stays valid until its
 *    parent object is freed (or, for engine getters, until the next load).
 *  - Inputs are copied, never retained. No object points into another, so
 *    objects may be freed in any order (an event may outlive its engine).
 *  - On failure every out-parameter is set to NULL; nothing half-built escapes.
 *
 * ERRORS
 *  - Fallible functions return int: PREMPTI_OK (0) or a negative
 *    PREMPTI_E_* code (values pinned forever; see prempti/common.h).
 *  - They take an optional `prempti_error **err` last; see prempti/error.h.
 *    *err must be NULL on entry (the call overwrites it without freeing
 *    what it pointed to): reuse a variable only after prempti_error_free()
 *    and setting it to NULL.
 *  - Each function's comment lists every status it can return. Every
 *    function that takes a pointer returns PREMPTI_E_INVALID_ARG for a NULL
 *    one it needs; a getter given NULL returns the value its comment names
 *    (never crashes).
 *  - An internal error is never reported as an allow.
 *
 * THREADS
 *  - There is no global mutable state and no initialisation call; every
 *    function is reentrant.
 *  - An engine must not be used by other threads while rules are loaded into
 *    it. Once loading is finished it is immutable: any number of threads may
 *    call prempti_evaluate() on it at the same time.
 *  - An event is immutable once built and may be shared between threads.
 *  - A config may be read by any number of threads at once (passed to
 *    prempti_engine_new() or prempti_event_from_json()); setting an option
 *    must not overlap any other use of that config.
 *  - Results, errors and responses are not synchronised: use each from one
 *    thread at a time (reading one from several threads is fine).
 *  - To reload rules while serving, keep the engine in a prempti_holder
 *    (prempti/holder.h): evaluate through it, and swap in a new engine with
 *    prempti_holder_set(). Engines are reference-counted; the old one is
 *    freed when the last evaluation using it returns.
 *
 * STRINGS
 *  - Data (rules texts, JSON payloads) is passed as pointer + length and need
 *    not be NUL-terminated; names, keys and paths are NUL-terminated.
 *  - All text is UTF-8.
 */
#ifndef PREMPTI_PREMPTI_H
#define PREMPTI_PREMPTI_H

#include "prempti/common.h"
#include "prempti/version.h"
#include "prempti/error.h"
#include "prempti/config.h"
#include "prempti/engine.h"
#include "prempti/holder.h"
#include "prempti/event.h"
#include "prempti/result.h"
#include "prempti/response.h"
#include "prempti/explain.h"

#endif /* PREMPTI_PREMPTI_H */
