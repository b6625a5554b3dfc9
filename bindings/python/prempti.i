/*
 * The low-level module, prempti.capi: SWIG wraps the public C headers as
 * they are, with typemaps that make the C conventions Pythonic:
 *   - `T **out` parameters become return values; handles (engine, config,
 *     event, result, response, holder) are owned by their Python object and
 *     released when it goes away, so the *_free functions are not exposed;
 *   - `prempti_error **err` disappears: a failure raises the exception made
 *     by the factory the prempti package registers (set_error_factory);
 *   - status returns disappear (None on success);
 *   - text in is str or bytes; `char **out` text comes back as str;
 *   - the names lose their prefix (prempti_engine_new -> engine_new).
 * Evaluation, event parsing and rule loading release the GIL.
 * The prempti package (prempti/__init__.py) is the API to use; this module
 * is its foundation and follows the C API one to one.
 */
%module(package="prempti") capi

%{
#include <stdlib.h>
#include <string.h>
#include <prempti/prempti.h>
%}

%include "stdint.i"

%rename("%(regex:/^(prempti|PREMPTI)_(.*)/\\2/)s") "";

/* ---- handles: opaque, owned by their Python object ---- */

%define PR_HANDLE(T, FREE)
%nodefaultctor T;
struct T {};
%extend T {
    ~T() { FREE($self); }
}
%ignore FREE;
%typemap(in, numinputs=0) T **out (T *handle = NULL) "$1 = &handle;";
%typemap(argout) T **out {
    if (result == PREMPTI_OK)
        $result = SWIG_Python_AppendOutput($result,
                                           SWIG_NewPointerObj(*$1, $*1_descriptor, SWIG_POINTER_OWN));
}
%enddef

PR_HANDLE(prempti_engine, prempti_engine_free)
PR_HANDLE(prempti_config, prempti_config_free)
PR_HANDLE(prempti_event, prempti_event_free)
PR_HANDLE(prempti_result, prempti_result_free)
PR_HANDLE(prempti_response, prempti_response_free)
PR_HANDLE(prempti_holder, prempti_holder_free)

/* A new reference, released by its Python object like any other handle. */
%newobject prempti_engine_ref;

/* Diagnostics are never owned by Python: failures become exceptions and
 * warnings are read through error_info() while their engine is alive. */
%nodefaultctor prempti_error;
%nodefaultdtor prempti_error;
struct prempti_error {};
%ignore prempti_error_free;
%ignore prempti_error_format;
%ignore prempti_free;

/* ---- errors ---- */

%{
static PyObject *pr_error_factory = NULL;

static PyObject *pr_str(const char *s)
{
    return PyUnicode_DecodeUTF8(s ? s : "", s ? (Py_ssize_t)strlen(s) : 0, "replace");
}

/* (code, severity, message, kind, source, line, column, item_type,
 *  item_name, notes) with notes a tuple of the same tuples. */
static PyObject *pr_error_tuple(const prempti_error *e)
{
    size_t n = prempti_error_note_count(e);
    PyObject *notes = PyTuple_New((Py_ssize_t)n);
    if (!notes)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        PyObject *note = pr_error_tuple(prempti_error_note(e, i));
        if (!note) {
            Py_DECREF(notes);
            return NULL;
        }
        PyTuple_SET_ITEM(notes, (Py_ssize_t)i, note);
    }
    return Py_BuildValue("(iiNNNIINNN)", prempti_error_code(e), prempti_error_severity(e),
                         pr_str(prempti_error_message(e)), pr_str(prempti_error_kind(e)),
                         pr_str(prempti_error_source(e)), prempti_error_line(e),
                         prempti_error_column(e), pr_str(prempti_error_item_type(e)),
                         pr_str(prempti_error_item_name(e)), notes);
}

/* Sets the Python exception for a failed call (status rc, error e or NULL). */
static void pr_raise(int rc, const prempti_error *e)
{
    if (PyErr_Occurred())
        return;
    PyObject *info = e ? pr_error_tuple(e)
                       : Py_BuildValue("(iisssIIsss)", rc, 0, prempti_strerror(rc), "", "", 0u,
                                       0u, "", "", "");
    if (!info)
        return;
    if (!pr_error_factory) {
        PyErr_SetObject(PyExc_RuntimeError, info);
        Py_DECREF(info);
        return;
    }
    PyObject *exc = PyObject_CallOneArg(pr_error_factory, info);
    Py_DECREF(info);
    if (exc) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
    }
}
%}

%typemap(in, numinputs=0) prempti_error **err (prempti_error *error = NULL) "$1 = &error;";
%typemap(argout) prempti_error **err {
    if (result != PREMPTI_OK) {
        Py_XDECREF($result);
        $result = NULL;
        pr_raise(result, *$1);
        SWIG_fail; /* freearg releases the error */
    }
}
%typemap(freearg) prempti_error **err "prempti_error_free(*$1);";

/* Functions whose int is a status: None on success (failures raised). */
%define PR_STATUS(FN)
%typemap(out) int FN "$result = SWIG_Py_Void();";
%enddef
PR_STATUS(prempti_config_new)
PR_STATUS(prempti_config_set)
PR_STATUS(prempti_engine_new)
PR_STATUS(prempti_engine_load_rules)
PR_STATUS(prempti_engine_load_rules_path)
PR_STATUS(prempti_engine_load_rules_paths)
PR_STATUS(prempti_holder_new)
PR_STATUS(prempti_holder_set)
PR_STATUS(prempti_holder_acquire)
PR_STATUS(prempti_holder_evaluate)
PR_STATUS(prempti_event_from_json)
PR_STATUS(prempti_event_field)
PR_STATUS(prempti_evaluate)
PR_STATUS(prempti_explain)
PR_STATUS(prempti_result_to_json)
PR_STATUS(prempti_response_new)
PR_STATUS(prempti_response_render)
PR_STATUS(prempti_response_for_error)
PR_STATUS(prempti_audit_record)
PR_STATUS(prempti_audit_append)

/* ---- text ---- */

/* Data in: str (as UTF-8) or bytes, borrowed for the call. */
%typemap(in) (const char *text, size_t len), (const char *json, size_t len),
             (const char *record, size_t len) {
    if (PyBytes_Check($input)) {
        char *p;
        Py_ssize_t n;
        if (PyBytes_AsStringAndSize($input, &p, &n) < 0)
            SWIG_fail;
        $1 = p;
        $2 = (size_t)n;
    } else if (PyUnicode_Check($input)) {
        Py_ssize_t n;
        const char *p = PyUnicode_AsUTF8AndSize($input, &n);
        if (!p)
            SWIG_fail;
        $1 = ($1_ltype)p;
        $2 = (size_t)n;
    } else {
        PyErr_Format(PyExc_TypeError, "expected str or bytes, not %s", Py_TYPE($input)->tp_name);
        SWIG_fail;
    }
}

/* Paths in: a sequence of str or bytes, copied (the GIL is released while
 * they are read). */
%typemap(in) (const char *const *paths, size_t npaths) (char **copies = NULL, size_t ncopies = 0) {
    PyObject *seq = PySequence_Fast($input, "paths must be a sequence of str or bytes");
    if (!seq)
        SWIG_fail;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    copies = calloc((size_t)n + 1, sizeof(*copies));
    for (Py_ssize_t i = 0; copies && i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        const char *s = NULL;
        Py_ssize_t len = 0;
        if (PyBytes_Check(item))
            PyBytes_AsStringAndSize(item, (char **)&s, &len);
        else if (PyUnicode_Check(item))
            s = PyUnicode_AsUTF8AndSize(item, &len);
        else
            PyErr_Format(PyExc_TypeError, "a path must be str or bytes, not %s",
                         Py_TYPE(item)->tp_name);
        if (s && strlen(s) != (size_t)len)
            PyErr_SetString(PyExc_ValueError, "a path contains a NUL character");
        if (PyErr_Occurred())
            break;
        if (!(copies[i] = strdup(s))) {
            PyErr_NoMemory();
            break;
        }
        ncopies++;
    }
    Py_DECREF(seq);
    if (!copies)
        PyErr_NoMemory();
    if (PyErr_Occurred())
        SWIG_fail;
    $1 = ($1_ltype)copies;
    $2 = (size_t)n;
}
%typemap(freearg) (const char *const *paths, size_t npaths) {
    for (size_t i = 0; i < ncopies$argnum; i++)
        free(copies$argnum[i]);
    free(copies$argnum);
}

/* Text out: a new string released with prempti_free(); None when NULL. */
%typemap(in, numinputs=0) char **out (char *text = NULL) "$1 = &text;";
%typemap(argout) char **out {
    if (result == PREMPTI_OK) {
        PyObject *o = *$1 ? pr_str(*$1) : SWIG_Py_Void();
        if (!o)
            SWIG_fail;
        $result = SWIG_Python_AppendOutput($result, o);
    }
}
%typemap(freearg) char **out "prempti_free(*$1);";

/* ---- threads: the calls that may take a while release the GIL ---- */

%nothread;
%thread prempti_engine_load_rules;
%thread prempti_engine_load_rules_path;
%thread prempti_engine_load_rules_paths;
%thread prempti_event_from_json;
%thread prempti_evaluate;
%thread prempti_holder_evaluate;
%thread prempti_explain;
%thread prempti_audit_append;

/* ---- the API ---- */

%include "prempti/common.h"
%include "prempti/version.h"
%include "prempti/error.h"
%include "prempti/config.h"
%include "prempti/engine.h"
%include "prempti/holder.h"
%include "prempti/event.h"
%include "prempti/result.h"
%include "prempti/response.h"
%include "prempti/explain.h"

/* ---- helpers for the prempti package ---- */

%inline %{
/* Registers the callable that turns an error tuple (see error_info) into
 * the exception to raise. */
void set_error_factory(PyObject *factory)
{
    Py_XINCREF(factory);
    Py_XDECREF(pr_error_factory);
    pr_error_factory = factory;
}

/* A diagnostic as a tuple: (code, severity, message, kind, source, line,
 * column, item_type, item_name, notes). */
PyObject *error_info(const prempti_error *e)
{
    if (!e)
        return SWIG_Py_Void();
    return pr_error_tuple(e);
}
%}
