/*
 * The native half of the Node binding: a thin Node-API layer over the C API.
 * index.js is the API; these functions are its foundation:
 *
 *   addon.c   module set-up, handles, argument helpers, errors
 *   engine.c  configs, engines (a holder per engine), evaluation, async
 *   event.c   events, results as JS values, agent responses
 */
#ifndef PN_ADDON_H
#define PN_ADDON_H

#include <node_api.h>
#include <prempti/prempti.h>

/* Calls a Node-API function; on failure throws (unless an exception is
 * already pending) and returns NULL from the calling function. */
#define PN_CALL(env, call)                                                                         \
    do {                                                                                           \
        if ((call) != napi_ok) {                                                                   \
            pn_throw_last(env);                                                                    \
            return NULL;                                                                           \
        }                                                                                          \
    } while (0)

/* Handle kinds, each a JS object wrapping a C pointer, tagged so that one
 * kind is never taken for another. */
typedef enum pn_kind { PN_ENGINE, PN_CONFIG, PN_EVENT, PN_KINDS } pn_kind;

/* Wraps ptr in a new JS object; finalize releases it when the object is
 * collected (NULL: nothing to release). */
napi_value pn_wrap(napi_env env, pn_kind kind, void *ptr, napi_finalize finalize);
/* The C pointer of a handle of the given kind; throws a TypeError and
 * returns NULL for anything else, or for a handle that was closed. */
void *pn_unwrap(napi_env env, napi_value v, pn_kind kind, const char *what);
/* Takes the pointer out of a handle (close): the caller releases it, the
 * finalizer will not, and later uses of the handle throw. NULL (nothing
 * thrown) when it was closed already or is not of that kind. */
void *pn_take(napi_env env, napi_value v, pn_kind kind);

/* The JS arguments of a call: at most 8. */
typedef struct pn_args {
    size_t argc;
    napi_value argv[8];
} pn_args;
int pn_get_args(napi_env env, napi_callback_info info, pn_args *a, size_t need);

/* A JS string as a new NUL-terminated UTF-8 copy (free with free()); NULL
 * after throwing. */
char *pn_string(napi_env env, napi_value v, const char *what);
napi_value pn_str(napi_env env, const char *s);

/* Throws the error a failed call reported (rc, err may be NULL), made by the
 * factory index.js registers; frees err. */
void pn_throw(napi_env env, int rc, prempti_error *err);
/* The same error as a value (for rejecting a promise); frees err. */
napi_value pn_error_value(napi_env env, int rc, prempti_error *err);
/* A diagnostic as a plain object {code, severity, message, kind, file, line,
 * column, itemType, itemName, notes}. */
napi_value pn_diag(napi_env env, const prempti_error *e);
/* Throws the pending Node-API failure as a JS error. */
void pn_throw_last(napi_env env);

/* Sets obj[key] = value; 0 or -1. */
int pn_set(napi_env env, napi_value obj, const char *key, napi_value value);

/* A new event parsed from payload (a string or a Buffer) with the options
 * of a config handle; NULL after throwing. */
prempti_event *pn_parse_event(napi_env env, napi_value config, napi_value payload);

/* Registered functions of each part. */
napi_status pn_engine_init(napi_env env, napi_value exports);
napi_status pn_event_init(napi_env env, napi_value exports);

/* exports.scratch, shared with index.js: what a synchronous evaluation
 * leaves for the Result it builds. */
enum { PN_DECISION, PN_WOULD_BE, PN_DECIDING, PN_ID_LOW, PN_ID_HIGH, PN_SCRATCH };
int32_t *pn_scratch(napi_env env);

/* A result as JS values. Synchronous form: the numbers go to the scratch
 * array and the value is the reason (a string) when nothing matched, else
 * [reason, matches]. Full form (evaluateAsync, whose completions may
 * interleave): [reason, matches or null, decision, wouldBe, decidingMatch,
 * idLow, idHigh]. A match is [rule, output, [tags], priority name,
 * decision]. */
napi_value pn_result_value(napi_env env, const prempti_result *r, int full);

#endif
