/*
 * Building diagnostics. An error object owns all its strings; a warning is
 * the same object with severity WARNING and code 0.
 */
#ifndef PE_ERROR_INTERNAL_H
#define PE_ERROR_INTERNAL_H

#include <stdarg.h>

#include "prempti/error.h"
#include "util/attr.h"

struct prempti_error {
    int code;
    int severity;
    char *message;
    char *kind;
    char *source;
    unsigned line;
    unsigned column;
    char *item_type;
    char *item_name;
    prempti_error **notes;
    size_t note_count;
    size_t note_cap;
    int is_static; /* the out-of-memory sentinel: never freed */
};

/* A list of diagnostics owned by its holder (warnings of a load). */
typedef struct pe_diags {
    prempti_error **items;
    size_t count;
    size_t cap;
    int oom; /* a diagnostic could not be recorded */
} pe_diags;

#define PE_PRINTF(a, b) PE_ATTR_PRINTF(a, b)

/* A new diagnostic; on allocation failure the static out-of-memory one. */
prempti_error *pe_error_new(int code, int severity, const char *kind, const char *fmt, ...)
    PE_PRINTF(4, 5);
prempti_error *pe_error_newv(int code, int severity, const char *kind, const char *fmt,
                             va_list ap) PE_PRINTF(4, 0);
/* Sets where the problem is (copies source); ignored on the sentinel. */
void pe_error_set_pos(prempti_error *e, const char *source, unsigned line, unsigned column);
void pe_error_set_item(prempti_error *e, const char *type, const char *name);
/* Moves a note into e (the note then belongs to e). */
void pe_error_add_note(prempti_error *e, prempti_error *note);
prempti_error *pe_error_clone(const prempti_error *e);

/*
 * Reports a failure: when err is not NULL, *err receives a new error.
 * Returns code, so callers can write `return pe_fail(err, ...)`.
 */
int pe_fail(prempti_error **err, int code, const char *kind, const char *fmt, ...)
    PE_PRINTF(4, 5);
/* Hands e to the caller through err (or frees it); returns e's code. */
int pe_raise(prempti_error **err, prempti_error *e);

void pe_diags_add(pe_diags *d, prempti_error *e);
void pe_diags_free(pe_diags *d);
/* Moves every diagnostic of src to the end of dst. */
void pe_diags_move(pe_diags *dst, pe_diags *src);

#endif
