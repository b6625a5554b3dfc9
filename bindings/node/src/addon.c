/* Module set-up, handles, argument helpers and errors (see addon.h). */
#include "addon.h"

#include <stdlib.h>
#include <string.h>

/* Per module instance (one per Node environment: main thread, workers). */
typedef struct pn_instance {
    napi_ref error_factory; /* index.js's function (info) -> Error; NULL until set */
    int32_t *scratch;       /* backing store of exports.scratch (PN_SCRATCH int32s) */
} pn_instance;

static const napi_type_tag tags[PN_KINDS] = {
    [PN_ENGINE] = {0x7072656d70746901ULL, 0x656e67696e650001ULL},
    [PN_CONFIG] = {0x7072656d70746901ULL, 0x636f6e6669670001ULL},
    [PN_EVENT] = {0x7072656d70746901ULL, 0x6576656e74000001ULL},
};

void pn_throw_last(napi_env env)
{
    bool pending = false;
    if (napi_is_exception_pending(env, &pending) == napi_ok && pending)
        return;
    const napi_extended_error_info *info = NULL;
    napi_get_last_error_info(env, &info);
    napi_throw_error(env, "PREMPTI_NODE_API",
                     info && info->error_message ? info->error_message : "Node-API call failed");
}

int pn_set(napi_env env, napi_value obj, const char *key, napi_value value)
{
    return value && napi_set_named_property(env, obj, key, value) == napi_ok ? 0 : -1;
}

napi_value pn_str(napi_env env, const char *s)
{
    napi_value v = NULL;
    if (napi_create_string_utf8(env, s ? s : "", NAPI_AUTO_LENGTH, &v) != napi_ok)
        return NULL;
    return v;
}

/* ---- handles ---- */

napi_value pn_wrap(napi_env env, pn_kind kind, void *ptr, napi_finalize finalize)
{
    napi_value obj;
    if (napi_create_object(env, &obj) != napi_ok ||
        napi_type_tag_object(env, obj, &tags[kind]) != napi_ok ||
        napi_wrap(env, obj, ptr, finalize, NULL, NULL) != napi_ok) {
        if (finalize)
            finalize(env, ptr, NULL); /* nothing owns it now */
        pn_throw_last(env);
        return NULL;
    }
    return obj;
}

void *pn_unwrap(napi_env env, napi_value v, pn_kind kind, const char *what)
{
    bool ok = false;
    void *ptr = NULL;
    napi_valuetype t;
    if (napi_typeof(env, v, &t) != napi_ok || t != napi_object ||
        napi_check_object_type_tag(env, v, &tags[kind], &ok) != napi_ok || !ok) {
        napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", what);
        return NULL;
    }
    if (napi_unwrap(env, v, &ptr) != napi_ok || !ptr) {
        napi_throw_error(env, "PREMPTI_E_CLOSED", "the handle is closed");
        return NULL;
    }
    return ptr;
}

void *pn_take(napi_env env, napi_value v, pn_kind kind)
{
    bool ok = false;
    void *ptr = NULL;
    if (napi_check_object_type_tag(env, v, &tags[kind], &ok) != napi_ok || !ok ||
        napi_remove_wrap(env, v, &ptr) != napi_ok)
        return NULL;
    return ptr;
}

/* ---- arguments ---- */

int pn_get_args(napi_env env, napi_callback_info info, pn_args *a, size_t need)
{
    a->argc = sizeof(a->argv) / sizeof(a->argv[0]);
    if (napi_get_cb_info(env, info, &a->argc, a->argv, NULL, NULL) != napi_ok) {
        pn_throw_last(env);
        return -1;
    }
    if (a->argc < need) {
        napi_throw_type_error(env, "ERR_MISSING_ARGS", "missing arguments");
        return -1;
    }
    return 0;
}

char *pn_string(napi_env env, napi_value v, const char *what)
{
    size_t len = 0;
    if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) {
        napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", what);
        return NULL;
    }
    char *s = malloc(len + 1);
    if (!s) {
        napi_throw_error(env, "PREMPTI_E_NOMEM", "out of memory");
        return NULL;
    }
    if (napi_get_value_string_utf8(env, v, s, len + 1, &len) != napi_ok) {
        free(s);
        pn_throw_last(env);
        return NULL;
    }
    if (strlen(s) != len) {
        free(s);
        napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", "a string contains a NUL character");
        return NULL;
    }
    return s;
}

/* ---- errors ---- */

static napi_value num(napi_env env, double d)
{
    napi_value v = NULL;
    napi_create_double(env, d, &v);
    return v;
}

napi_value pn_diag(napi_env env, const prempti_error *e)
{
    napi_value o, notes;
    size_t n = prempti_error_note_count(e);
    if (napi_create_object(env, &o) != napi_ok ||
        napi_create_array_with_length(env, n, &notes) != napi_ok)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        napi_value note = pn_diag(env, prempti_error_note(e, i));
        if (!note || napi_set_element(env, notes, (uint32_t)i, note) != napi_ok)
            return NULL;
    }
    int sev = prempti_error_severity(e);
    if (pn_set(env, o, "status", num(env, prempti_error_code(e))) ||
        pn_set(env, o, "severity",
               pn_str(env, sev == PREMPTI_SEVERITY_WARNING ? "warning" : "error")) ||
        pn_set(env, o, "message", pn_str(env, prempti_error_message(e))) ||
        pn_set(env, o, "kind", pn_str(env, prempti_error_kind(e))) ||
        pn_set(env, o, "file", pn_str(env, prempti_error_source(e))) ||
        pn_set(env, o, "line", num(env, prempti_error_line(e))) ||
        pn_set(env, o, "column", num(env, prempti_error_column(e))) ||
        pn_set(env, o, "itemType", pn_str(env, prempti_error_item_type(e))) ||
        pn_set(env, o, "itemName", pn_str(env, prempti_error_item_name(e))) ||
        pn_set(env, o, "notes", notes))
        return NULL;
    return o;
}

/* The info object of a failure without an error object (cannot normally
 * happen: the library reports every failure). */
static napi_value bare_diag(napi_env env, int rc)
{
    napi_value o, notes;
    if (napi_create_object(env, &o) != napi_ok ||
        napi_create_array_with_length(env, 0, &notes) != napi_ok)
        return NULL;
    if (pn_set(env, o, "status", num(env, rc)) ||
        pn_set(env, o, "severity", pn_str(env, "error")) ||
        pn_set(env, o, "message", pn_str(env, prempti_strerror(rc))) ||
        pn_set(env, o, "kind", pn_str(env, "")) || pn_set(env, o, "file", pn_str(env, "")) ||
        pn_set(env, o, "line", num(env, 0)) || pn_set(env, o, "column", num(env, 0)) ||
        pn_set(env, o, "itemType", pn_str(env, "")) ||
        pn_set(env, o, "itemName", pn_str(env, "")) || pn_set(env, o, "notes", notes))
        return NULL;
    return o;
}

napi_value pn_error_value(napi_env env, int rc, prempti_error *err)
{
    pn_instance *inst = NULL;
    napi_value info = err ? pn_diag(env, err) : bare_diag(env, rc);
    napi_value factory = NULL, global, error = NULL;
    if (info && napi_get_instance_data(env, (void **)&inst) == napi_ok && inst &&
        inst->error_factory &&
        napi_get_reference_value(env, inst->error_factory, &factory) == napi_ok && factory &&
        napi_get_global(env, &global) == napi_ok)
        napi_call_function(env, global, factory, 1, &info, &error);
    if (!error) {
        napi_value msg = pn_str(env, err ? prempti_error_message(err) : prempti_strerror(rc));
        napi_create_error(env, NULL, msg, &error);
    }
    prempti_error_free(err);
    return error;
}

void pn_throw(napi_env env, int rc, prempti_error *err)
{
    bool pending = false;
    if (napi_is_exception_pending(env, &pending) == napi_ok && pending) {
        prempti_error_free(err);
        return;
    }
    napi_value error = pn_error_value(env, rc, err);
    if (error)
        napi_throw(env, error);
}

/* ---- module ---- */

static napi_value set_error_factory(napi_env env, napi_callback_info info)
{
    pn_args a;
    pn_instance *inst = NULL;
    if (pn_get_args(env, info, &a, 1))
        return NULL;
    PN_CALL(env, napi_get_instance_data(env, (void **)&inst));
    if (inst->error_factory)
        PN_CALL(env, napi_delete_reference(env, inst->error_factory));
    inst->error_factory = NULL;
    PN_CALL(env, napi_create_reference(env, a.argv[0], 1, &inst->error_factory));
    return NULL;
}

static napi_value library_version(napi_env env, napi_callback_info info)
{
    (void)info;
    return pn_str(env, prempti_version_string());
}

int32_t *pn_scratch(napi_env env)
{
    pn_instance *inst = NULL;
    return napi_get_instance_data(env, (void **)&inst) == napi_ok && inst ? inst->scratch : NULL;
}

/* exports.scratch: an Int32Array the synchronous calls write small results
 * into, so that they cross into JS without a JS object per call. */
static napi_status export_scratch(napi_env env, napi_value exports, pn_instance *inst)
{
    napi_value buffer, array;
    void *data = NULL;
    napi_status st = napi_create_arraybuffer(env, PN_SCRATCH * sizeof(int32_t), &data, &buffer);
    if (st == napi_ok)
        st = napi_create_typedarray(env, napi_int32_array, PN_SCRATCH, buffer, 0, &array);
    if (st == napi_ok)
        st = napi_set_named_property(env, exports, "scratch", array);
    if (st == napi_ok)
        inst->scratch = data; /* kept alive by exports, which outlive every call */
    return st;
}

static void free_instance(napi_env env, void *data, void *hint)
{
    (void)hint;
    pn_instance *inst = data;
    if (inst->error_factory)
        napi_delete_reference(env, inst->error_factory);
    free(inst);
}

static napi_value init(napi_env env, napi_value exports)
{
    pn_instance *inst = calloc(1, sizeof(*inst));
    if (!inst || napi_set_instance_data(env, inst, free_instance, NULL) != napi_ok) {
        free(inst);
        napi_throw_error(env, "PREMPTI_E_NOMEM", "cannot set up the module");
        return NULL;
    }
    napi_property_descriptor props[] = {
        {"setErrorFactory", NULL, set_error_factory, NULL, NULL, NULL, napi_default, NULL},
        {"libraryVersion", NULL, library_version, NULL, NULL, NULL, napi_default, NULL},
    };
    PN_CALL(env, napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
    PN_CALL(env, export_scratch(env, exports, inst));
    PN_CALL(env, pn_engine_init(env, exports));
    PN_CALL(env, pn_event_init(env, exports));
    return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
