/*
 * Engine references and the holder (prempti/holder.h).
 *
 * The holder's mutex guards one thing: reading the current pointer and
 * counting a reference to it must happen together, or a concurrent swap
 * could destroy the engine between the two. The critical sections are a
 * handful of instructions (no loading, no evaluation, no allocation inside),
 * so a reload never waits behind evaluations and evaluations never wait
 * behind a reload: the failure mode of a reader-writer lock, a starved
 * writer, cannot happen.
 */
#include <stdlib.h>

#include "engine_internal.h"
#include "prempti/holder.h"
#include "prempti/result.h"
#include "util/sys.h"

struct prempti_holder {
    pe_sys_lock lock;
    prempti_engine *engine; /* one reference owned by the holder */
};

prempti_engine *prempti_engine_ref(prempti_engine *e)
{
    if (e)
        atomic_fetch_add_explicit(&e->extra_refs, 1, memory_order_relaxed);
    return e;
}

int pe_engine_unref(prempti_engine *e)
{
    /* Release: this thread's reads of the engine happen before whoever
     * destroys it; acquire on the last drop pairs with every release. */
    size_t before = atomic_fetch_sub_explicit(&e->extra_refs, 1, memory_order_acq_rel);
    return before == 0;
}

int pe_engine_shared(prempti_engine *e)
{
    return atomic_load_explicit(&e->extra_refs, memory_order_acquire) != 0;
}

int pe_engine_shared_error(prempti_error **err)
{
    return pe_fail(err, PREMPTI_E_INVALID_ARG, "ENGINE_SHARED",
                   "the engine is shared (held by a prempti_holder or referenced with "
                   "prempti_engine_ref()) and other threads may be evaluating on it: load the "
                   "rules into a new engine and swap it in with prempti_holder_set()");
}

int prempti_holder_new(prempti_holder **out, prempti_engine *engine, prempti_error **err)
{
    if (err)
        *err = NULL;
    if (out)
        *out = NULL;
    if (!out || !engine)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "out and engine must not be NULL");
    prempti_holder *h = calloc(1, sizeof(*h));
    if (!h)
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    if (pe_sys_lock_init(&h->lock) != 0) {
        free(h);
        return pe_fail(err, PREMPTI_E_NOMEM, "", "cannot create a mutex");
    }
    h->engine = prempti_engine_ref(engine);
    *out = h;
    return PREMPTI_OK;
}

void prempti_holder_free(prempti_holder *h)
{
    if (!h)
        return;
    prempti_engine_free(h->engine);
    pe_sys_lock_destroy(&h->lock);
    free(h);
}

int prempti_holder_set(prempti_holder *h, prempti_engine *engine, prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!h || !engine)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "holder and engine must not be NULL");
    prempti_engine_ref(engine);
    pe_sys_lock_take(&h->lock);
    prempti_engine *old = h->engine;
    h->engine = engine;
    pe_sys_lock_give(&h->lock);
    prempti_engine_free(old); /* outside the lock: it may destroy the engine */
    return PREMPTI_OK;
}

/* The current engine with a reference counted for the caller. */
static prempti_engine *acquire(prempti_holder *h)
{
    pe_sys_lock_take(&h->lock);
    prempti_engine *e = prempti_engine_ref(h->engine);
    pe_sys_lock_give(&h->lock);
    return e;
}

int prempti_holder_acquire(prempti_engine **out, prempti_holder *h, prempti_error **err)
{
    if (err)
        *err = NULL;
    if (out)
        *out = NULL;
    if (!out || !h)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "out and holder must not be NULL");
    *out = acquire(h);
    return PREMPTI_OK;
}

int prempti_holder_evaluate(prempti_result **out, prempti_holder *h, const prempti_event *event,
                            prempti_error **err)
{
    if (!h) {
        if (err)
            *err = NULL;
        if (out)
            *out = NULL;
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "holder is NULL");
    }
    prempti_engine *e = acquire(h);
    int rc = prempti_evaluate(out, e, event, err); /* checks out and event */
    prempti_engine_free(e);
    return rc;
}
