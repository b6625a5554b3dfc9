/*
 * prempti/error.h - diagnostics: errors and warnings with their position.
 *
 * Every fallible function takes an optional `prempti_error **err` as its last
 * parameter. On failure, when err is not NULL, *err receives a new error
 * object describing the first problem; release it with prempti_error_free().
 * On success *err is set to NULL. *err must be NULL on entry: it is
 * overwritten, never freed. The returned status code is the truth: an error
 * object is only a description of it (out of memory, it may be a static
 * object that prempti_error_free() leaves alone).
 *
 * Every getter below accepts NULL and then returns what its comment says
 * "for NULL".
 *
 * Warnings produced while loading rules use the same object type (see
 * prempti_engine_warning()). An error object may also carry the warnings
 * that were produced before the load failed (see prempti_error_note()).
 */
#ifndef PREMPTI_ERROR_H
#define PREMPTI_ERROR_H

#include "prempti/common.h"

PREMPTI_BEGIN_DECL

/** Severity of a diagnostic. Values are pinned. */
enum prempti_severity {
    PREMPTI_SEVERITY_ERROR = 0,
    PREMPTI_SEVERITY_WARNING = 1
};

/** Releases an error object. Accepts NULL. */
PREMPTI_API void prempti_error_free(prempti_error *err);

/** The status code (a negative PREMPTI_E_* value; 0 for a warning);
 *  PREMPTI_E_INVALID_ARG for NULL. */
PREMPTI_API int prempti_error_code(const prempti_error *err);

/** PREMPTI_SEVERITY_ERROR or PREMPTI_SEVERITY_WARNING (ERROR for NULL). */
PREMPTI_API int prempti_error_severity(const prempti_error *err);

/**
 * The message, e.g. "Undefined macro 'is_bash' used in filter.".
 * Borrowed: valid until the error is freed. Never NULL ("" for NULL).
 */
PREMPTI_API const char *prempti_error_message(const prempti_error *err);

/**
 * Falco's name for the kind of problem, e.g. "LOAD_ERR_COMPILE_CONDITION",
 * "LOAD_UNUSED_MACRO" or, for problems outside rules files, a libprempti
 * name such as "EVENT_INVALID_JSON". Borrowed; never NULL (may be ""; ""
 * for NULL).
 */
PREMPTI_API const char *prempti_error_kind(const prempti_error *err);

/**
 * The name of the input the problem is in: a rules file path, the name given
 * for an in-memory rules text, or "" when not applicable (and for NULL).
 * Borrowed; never NULL.
 */
PREMPTI_API const char *prempti_error_source(const prempti_error *err);

/** 1-based line of the offending text; 0 when unknown (and for NULL). */
PREMPTI_API unsigned prempti_error_line(const prempti_error *err);

/** 1-based column (in bytes) of the offending text; 0 when unknown (and for
 *  NULL). */
PREMPTI_API unsigned prempti_error_column(const prempti_error *err);

/**
 * The kind of rules-file item the problem is in ("rule", "macro", "list",
 * "required_engine_version", ...), or "" (also for NULL). Borrowed; never
 * NULL.
 */
PREMPTI_API const char *prempti_error_item_type(const prempti_error *err);

/** The name of that item (e.g. the rule name), or "" (also for NULL).
 *  Borrowed; never NULL. */
PREMPTI_API const char *prempti_error_item_name(const prempti_error *err);

/** Number of notes (earlier warnings) attached to this error (0 for NULL). */
PREMPTI_API size_t prempti_error_note_count(const prempti_error *err);

/**
 * The i-th note, in the order they were produced; NULL when i is out of
 * range or err is NULL. Borrowed: valid until the error is freed; do not free it.
 */
PREMPTI_API const prempti_error *prempti_error_note(const prempti_error *err, size_t i);

/**
 * Formats a diagnostic on one line the way compilers do:
 * "file:line:col: error|warning: message [KIND]" (parts that are unknown are
 * left out). Receives a new NUL-terminated string in *out; release it with
 * prempti_free(). Returns PREMPTI_OK, PREMPTI_E_NOMEM, or
 * PREMPTI_E_INVALID_ARG (out or err NULL); on failure *out is NULL.
 */
PREMPTI_API int prempti_error_format(char **out, const prempti_error *err);

PREMPTI_END_DECL

#endif /* PREMPTI_ERROR_H */
