/*
 * Configs, engines and evaluation. A JS engine handle owns a holder: every
 * change of rules builds a new C engine and swaps it in, so evaluations
 * (synchronous, or on the libuv thread pool for evaluateAsync) never see a
 * half-loaded engine and never wait for a load.
 */
#include <stdlib.h>
#include <string.h>

#include "addon.h"

typedef struct pn_engine {
    prempti_config *cfg; /* the engine options, for every rebuild */
    prempti_holder *holder;
} pn_engine;

static void free_config(napi_env env, void *data, void *hint)
{
    (void)env;
    (void)hint;
    prempti_config_free(data);
}

static void free_engine(napi_env env, void *data, void *hint)
{
    (void)env;
    (void)hint;
    pn_engine *pe = data;
    /* Evaluations still running on the thread pool hold their own engine
     * references (prempti_holder_acquire), so this never pulls an engine
     * out from under them. */
    prempti_holder_free(pe->holder);
    prempti_config_free(pe->cfg);
    free(pe);
}

/* A new config from an array of [key, value] string pairs; NULL after
 * throwing. */
static prempti_config *config_from(napi_env env, napi_value pairs)
{
    uint32_t n = 0;
    prempti_config *cfg = NULL;
    prempti_error *err = NULL;
    int rc = prempti_config_new(&cfg, &err);
    if (rc) {
        pn_throw(env, rc, err);
        return NULL;
    }
    if (napi_get_array_length(env, pairs, &n) != napi_ok) {
        prempti_config_free(cfg);
        napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "options must be an array of pairs");
        return NULL;
    }
    for (uint32_t i = 0; i < n && !rc; i++) {
        napi_value pair, k, v;
        char *key = NULL, *value = NULL;
        if (napi_get_element(env, pairs, i, &pair) != napi_ok ||
            napi_get_element(env, pair, 0, &k) != napi_ok ||
            napi_get_element(env, pair, 1, &v) != napi_ok ||
            !(key = pn_string(env, k, "an option key must be a string")) ||
            !(value = pn_string(env, v, "an option value must be a string")))
            rc = -1;
        else if ((rc = prempti_config_set(cfg, key, value, &err)) != PREMPTI_OK)
            pn_throw(env, rc, err);
        free(key);
        free(value);
    }
    if (rc) {
        pn_throw_last(env);
        prempti_config_free(cfg);
        return NULL;
    }
    return cfg;
}

static napi_value config_create(napi_env env, napi_callback_info info)
{
    pn_args a;
    if (pn_get_args(env, info, &a, 1))
        return NULL;
    prempti_config *cfg = config_from(env, a.argv[0]);
    return cfg ? pn_wrap(env, PN_CONFIG, cfg, free_config) : NULL;
}

/* An empty engine for the options of pe, in its holder. */
static napi_value engine_create(napi_env env, napi_callback_info info)
{
    pn_args a;
    if (pn_get_args(env, info, &a, 1))
        return NULL;
    pn_engine *pe = calloc(1, sizeof(*pe));
    if (!pe) {
        napi_throw_error(env, "PREMPTI_E_NOMEM", "out of memory");
        return NULL;
    }
    if (!(pe->cfg = config_from(env, a.argv[0]))) {
        free(pe);
        return NULL;
    }
    prempti_engine *e = NULL;
    prempti_error *err = NULL;
    int rc = prempti_engine_new(&e, pe->cfg, &err);
    if (!rc)
        rc = prempti_holder_new(&pe->holder, e, &err);
    prempti_engine_free(e); /* the holder has its own reference */
    if (rc) {
        pn_throw(env, rc, err);
        free_engine(env, pe, NULL);
        return NULL;
    }
    return pn_wrap(env, PN_ENGINE, pe, free_engine);
}

/* ---- loading ---- */

/* A path (string or Buffer) as a new NUL-terminated copy. */
static char *path_from(napi_env env, napi_value v)
{
    bool is_buffer = false;
    if (napi_is_buffer(env, v, &is_buffer) == napi_ok && is_buffer) {
        void *data;
        size_t len;
        char *s = NULL;
        if (napi_get_buffer_info(env, v, &data, &len) == napi_ok && !memchr(data, 0, len) &&
            (s = malloc(len + 1))) {
            memcpy(s, data, len);
            s[len] = '\0';
        }
        if (!s)
            napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", "a bad path Buffer");
        return s;
    }
    return pn_string(env, v, "a path must be a string or a Buffer");
}

/* Loads {text, name} into e; text a string or a Buffer (any bytes: the
 * library reports what is wrong with them). */
static int load_text(napi_env env, prempti_engine *e, napi_value step, prempti_error **err)
{
    napi_value t, n;
    napi_valuetype nt = napi_undefined;
    bool is_buffer = false;
    char *text = NULL, *name = NULL;
    void *data = NULL;
    size_t len = 0;
    if (napi_get_named_property(env, step, "text", &t) != napi_ok ||
        napi_get_named_property(env, step, "name", &n) != napi_ok ||
        napi_typeof(env, n, &nt) != napi_ok || napi_is_buffer(env, t, &is_buffer) != napi_ok)
        return -1;
    if (nt == napi_string && !(name = pn_string(env, n, "name must be a string")))
        return -1;
    if (is_buffer && napi_get_buffer_info(env, t, &data, &len) != napi_ok) {
        free(name);
        return -1;
    }
    if (!is_buffer && !(text = pn_string(env, t, "rules text must be a string or a Buffer"))) {
        free(name);
        return -1;
    }
    int rc = prempti_engine_load_rules(e, text ? text : data, text ? strlen(text) : len, name, err);
    free(text);
    free(name);
    return rc;
}

/* Loads one step into e: an array of paths, or {text, name}. */
static int load_step(napi_env env, prempti_engine *e, napi_value step, prempti_error **err)
{
    bool is_array = false;
    napi_is_array(env, step, &is_array);
    if (!is_array)
        return load_text(env, e, step, err);
    uint32_t n = 0;
    napi_get_array_length(env, step, &n);
    char **paths = calloc(n + 1, sizeof(*paths));
    int rc = paths ? 0 : -1;
    for (uint32_t i = 0; i < n && !rc; i++) {
        napi_value v;
        if (napi_get_element(env, step, i, &v) != napi_ok || !(paths[i] = path_from(env, v)))
            rc = -1;
    }
    if (!rc)
        rc = prempti_engine_load_rules_paths(e, (const char *const *)paths, n, err);
    for (uint32_t i = 0; paths && i < n; i++)
        free(paths[i]);
    free(paths);
    return rc;
}

/* engineBuild(engine, steps): a new engine from the steps, swapped in when
 * all of them loaded; on failure nothing changes. */
static napi_value engine_build(napi_env env, napi_callback_info info)
{
    pn_args a;
    pn_engine *pe;
    uint32_t n = 0;
    if (pn_get_args(env, info, &a, 2) ||
        !(pe = pn_unwrap(env, a.argv[0], PN_ENGINE, "expected an engine handle")))
        return NULL;
    PN_CALL(env, napi_get_array_length(env, a.argv[1], &n));
    prempti_engine *e = NULL;
    prempti_error *err = NULL;
    int rc = prempti_engine_new(&e, pe->cfg, &err);
    for (uint32_t i = 0; i < n && !rc; i++) {
        napi_value step;
        rc = napi_get_element(env, a.argv[1], i, &step) == napi_ok ? load_step(env, e, step, &err)
                                                                   : -1;
    }
    if (!rc)
        rc = prempti_holder_set(pe->holder, e, &err);
    prempti_engine_free(e);
    if (rc)
        pn_throw(env, rc, err); /* or the JS exception a bad step raised */
    return NULL;
}

/* ---- evaluation ---- */

static napi_value engine_evaluate(napi_env env, napi_callback_info info)
{
    napi_value argv[2];
    size_t argc = 2;
    pn_engine *pe;
    prempti_event *ev;
    if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
        !(pe = pn_unwrap(env, argv[0], PN_ENGINE, "expected an engine handle")) ||
        !(ev = pn_unwrap(env, argv[1], PN_EVENT, "expected an event handle")))
        return NULL;
    prempti_result *r = NULL;
    prempti_error *err = NULL;
    int rc = prempti_holder_evaluate(&r, pe->holder, ev, &err);
    if (rc) {
        pn_throw(env, rc, err);
        return NULL;
    }
    napi_value v = pn_result_value(env, r, 0);
    prempti_result_free(r);
    return v;
}

/* engineEvaluateJSON(engine, config, payload): parses, evaluates and frees
 * the event in one call, so that nothing waits for the garbage collector;
 * returns [reason, matches or null, agent, hook] (numbers in the scratch). */
static napi_value engine_evaluate_json(napi_env env, napi_callback_info info)
{
    pn_args a;
    pn_engine *pe;
    prempti_event *ev;
    if (pn_get_args(env, info, &a, 3) ||
        !(pe = pn_unwrap(env, a.argv[0], PN_ENGINE, "expected an engine handle")) ||
        !(ev = pn_parse_event(env, a.argv[1], a.argv[2])))
        return NULL;
    prempti_result *r = NULL;
    prempti_error *err = NULL;
    napi_value out = NULL, v = NULL, agent = pn_str(env, prempti_event_agent(ev));
    napi_value hook = pn_str(env, prempti_event_hook(ev));
    int rc = prempti_holder_evaluate(&r, pe->holder, ev, &err);
    prempti_event_free(ev);
    if (rc) {
        pn_throw(env, rc, err);
        return NULL;
    }
    v = pn_result_value(env, r, 0);
    int matched = prempti_result_match_count(r) > 0;
    prempti_result_free(r);
    napi_value reason = v, matches = NULL;
    if (v && matched) {
        PN_CALL(env, napi_get_element(env, v, 0, &reason));
        PN_CALL(env, napi_get_element(env, v, 1, &matches));
    } else if (v) {
        PN_CALL(env, napi_get_null(env, &matches));
    }
    if (!v || !agent || !hook || napi_create_array_with_length(env, 4, &out) != napi_ok ||
        napi_set_element(env, out, 0, reason) != napi_ok ||
        napi_set_element(env, out, 1, matches) != napi_ok ||
        napi_set_element(env, out, 2, agent) != napi_ok ||
        napi_set_element(env, out, 3, hook) != napi_ok) {
        pn_throw_last(env);
        return NULL;
    }
    return out;
}

/* One evaluateAsync call: the engine is acquired and the event kept alive
 * (a strong reference to its handle) on the JS thread; the evaluation runs
 * on the thread pool; the result becomes JS values on the JS thread. */
typedef struct pn_work {
    napi_async_work work;
    napi_deferred deferred;
    napi_ref event_ref;
    prempti_engine *engine;
    const prempti_event *event;
    prempti_result *result;
    prempti_error *err;
    int rc;
} pn_work;

static void work_execute(napi_env env, void *data)
{
    (void)env;
    pn_work *w = data;
    w->rc = prempti_evaluate(&w->result, w->engine, w->event, &w->err);
}

static void work_complete(napi_env env, napi_status status, void *data)
{
    pn_work *w = data;
    napi_value v = NULL;
    if (status == napi_ok && w->rc == PREMPTI_OK && (v = pn_result_value(env, w->result, 1)))
        napi_resolve_deferred(env, w->deferred, v);
    else if (status == napi_ok && w->rc != PREMPTI_OK)
        napi_reject_deferred(env, w->deferred, pn_error_value(env, w->rc, w->err));
    else {
        napi_value e = NULL;
        bool pending = false;
        if (napi_is_exception_pending(env, &pending) == napi_ok && pending)
            napi_get_and_clear_last_exception(env, &e);
        else
            napi_create_error(env, NULL, pn_str(env, "the evaluation was cancelled"), &e);
        napi_reject_deferred(env, w->deferred, e);
    }
    if (w->rc == PREMPTI_OK)
        prempti_error_free(w->err);
    prempti_result_free(w->result);
    prempti_engine_free(w->engine);
    napi_delete_reference(env, w->event_ref);
    napi_delete_async_work(env, w->work);
    free(w);
}

static napi_value engine_evaluate_async(napi_env env, napi_callback_info info)
{
    pn_args a;
    pn_engine *pe;
    prempti_event *ev;
    if (pn_get_args(env, info, &a, 2) ||
        !(pe = pn_unwrap(env, a.argv[0], PN_ENGINE, "expected an engine handle")) ||
        !(ev = pn_unwrap(env, a.argv[1], PN_EVENT, "expected an event handle")))
        return NULL;
    pn_work *w = calloc(1, sizeof(*w));
    napi_value promise = NULL, name;
    if (!w) {
        napi_throw_error(env, "PREMPTI_E_NOMEM", "out of memory");
        return NULL;
    }
    w->event = ev;
    if (prempti_holder_acquire(&w->engine, pe->holder, NULL) != PREMPTI_OK ||
        napi_create_reference(env, a.argv[1], 1, &w->event_ref) != napi_ok ||
        napi_create_string_utf8(env, "prempti.evaluate", NAPI_AUTO_LENGTH, &name) != napi_ok ||
        napi_create_promise(env, &w->deferred, &promise) != napi_ok ||
        napi_create_async_work(env, NULL, name, work_execute, work_complete, w, &w->work) !=
            napi_ok ||
        napi_queue_async_work(env, w->work) != napi_ok) {
        /* A promise already made stays pending; the throw is what counts. */
        if (w->work)
            napi_delete_async_work(env, w->work);
        if (w->event_ref)
            napi_delete_reference(env, w->event_ref);
        prempti_engine_free(w->engine);
        free(w);
        pn_throw_last(env);
        return NULL;
    }
    return promise;
}

/* ---- what is loaded ---- */

static napi_value num(napi_env env, double d)
{
    napi_value v = NULL;
    napi_create_double(env, d, &v);
    return v;
}

/* [name, description, priority, [tags], file, line, column, active] */
static napi_value rule_value(napi_env env, const prempti_engine *e, size_t i)
{
    napi_value r, tags, active;
    size_t nt = prempti_engine_rule_tag_count(e, i);
    if (napi_create_array_with_length(env, 8, &r) != napi_ok ||
        napi_create_array_with_length(env, nt, &tags) != napi_ok ||
        napi_get_boolean(env, prempti_engine_rule_active(e, i) != 0, &active) != napi_ok)
        return NULL;
    for (size_t j = 0; j < nt; j++)
        if (napi_set_element(env, tags, (uint32_t)j, pn_str(env, prempti_engine_rule_tag(e, i, j))))
            return NULL;
    napi_value items[8] = {pn_str(env, prempti_engine_rule_name(e, i)),
                           pn_str(env, prempti_engine_rule_description(e, i)),
                           pn_str(env, prempti_priority_name(prempti_engine_rule_priority(e, i))),
                           tags,
                           pn_str(env, prempti_engine_rule_file(e, i)),
                           num(env, prempti_engine_rule_line(e, i)),
                           num(env, prempti_engine_rule_column(e, i)),
                           active};
    for (uint32_t k = 0; k < 8; k++)
        if (!items[k] || napi_set_element(env, r, k, items[k]) != napi_ok)
            return NULL;
    return r;
}

/* engineRules(engine) and engineWarnings(engine): arrays read from the
 * current engine, acquired for the time it takes. */
static napi_value engine_list(napi_env env, napi_callback_info info, int warnings)
{
    pn_args a;
    pn_engine *pe;
    prempti_engine *e = NULL;
    napi_value list = NULL;
    if (pn_get_args(env, info, &a, 1) ||
        !(pe = pn_unwrap(env, a.argv[0], PN_ENGINE, "expected an engine handle")) ||
        prempti_holder_acquire(&e, pe->holder, NULL) != PREMPTI_OK)
        return NULL;
    size_t n = warnings ? prempti_engine_warning_count(e) : prempti_engine_rule_count(e);
    int ok = napi_create_array_with_length(env, n, &list) == napi_ok;
    for (size_t i = 0; ok && i < n; i++) {
        napi_value v =
            warnings ? pn_diag(env, prempti_engine_warning(e, i)) : rule_value(env, e, i);
        ok = v && napi_set_element(env, list, (uint32_t)i, v) == napi_ok;
    }
    prempti_engine_free(e);
    if (!ok) {
        pn_throw_last(env);
        return NULL;
    }
    return list;
}

static napi_value engine_rules(napi_env env, napi_callback_info info)
{
    return engine_list(env, info, 0);
}

static napi_value engine_warnings(napi_env env, napi_callback_info info)
{
    return engine_list(env, info, 1);
}

/* engineClose(engine): releases the rules now; evaluations still running
 * on the thread pool keep their engine until they finish. */
static napi_value engine_close(napi_env env, napi_callback_info info)
{
    pn_args a;
    if (pn_get_args(env, info, &a, 1))
        return NULL;
    pn_engine *pe = pn_take(env, a.argv[0], PN_ENGINE);
    if (pe)
        free_engine(env, pe, NULL);
    return NULL;
}

napi_status pn_engine_init(napi_env env, napi_value exports)
{
    napi_property_descriptor props[] = {
        {"configCreate", NULL, config_create, NULL, NULL, NULL, napi_default, NULL},
        {"engineCreate", NULL, engine_create, NULL, NULL, NULL, napi_default, NULL},
        {"engineBuild", NULL, engine_build, NULL, NULL, NULL, napi_default, NULL},
        {"engineEvaluate", NULL, engine_evaluate, NULL, NULL, NULL, napi_default, NULL},
        {"engineEvaluateJSON", NULL, engine_evaluate_json, NULL, NULL, NULL, napi_default, NULL},
        {"engineEvaluateAsync", NULL, engine_evaluate_async, NULL, NULL, NULL, napi_default, NULL},
        {"engineRules", NULL, engine_rules, NULL, NULL, NULL, napi_default, NULL},
        {"engineWarnings", NULL, engine_warnings, NULL, NULL, NULL, napi_default, NULL},
        {"engineClose", NULL, engine_close, NULL, NULL, NULL, napi_default, NULL},
    };
    return napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}
