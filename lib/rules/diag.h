/*
 * Diagnostics of the rules loader: Falco's kinds and messages, with the
 * file, line and column of the offending text and the item they are in.
 */
#ifndef PE_RULES_DIAG_H
#define PE_RULES_DIAG_H

#include "error_internal.h"
#include "rules/srcmap.h"

/* The item a diagnostic is about ("rule" 'Name'); both may be "". */
typedef struct pe_item {
    const char *type;
    const char *name;
} pe_item;

static inline pe_item pe_item_of(const char *type, const char *name)
{
    pe_item it = {type, name};
    return it;
}

/* Warnings kept per list; more are counted and summed up in one warning,
 * so that a rules file cannot make the loader hold millions of them. */
#define PE_MAX_WARNINGS 10000

/* Where a load's diagnostics go: the first error, and the warnings. */
typedef struct pe_ldiag {
    prempti_error *err; /* owned until handed to the caller */
    pe_diags *warnings; /* not owned */
    size_t suppressed;  /* warnings over PE_MAX_WARNINGS */
} pe_ldiag;

/* A new diagnostic (never NULL: the static out-of-memory one at worst). */
prempti_error *pe_ld_new(int code, int severity, const char *kind, pe_pos at, pe_item item,
                         const char *msg);

/* Records an error (only the first one is kept); returns code. */
int pe_ld_error(pe_ldiag *d, int code, const char *kind, pe_pos at, pe_item item, const char *fmt,
                ...) PE_PRINTF(6, 7);
/* Records an error already built; returns its code. */
int pe_ld_raise(pe_ldiag *d, prempti_error *e);
int pe_ld_nomem(pe_ldiag *d);
/* A LOAD_ERR_VALIDATE error about rule `rule` (Falco's collector errors). */
int pe_ld_rule_error(pe_ldiag *d, const char *rule, pe_pos at, const char *msg);
void pe_ld_warn(pe_ldiag *d, const char *kind, pe_pos at, pe_item item, const char *fmt, ...)
    PE_PRINTF(5, 6);
/* Adds warning w (taken over) to list unless it is full (then counts it). */
void pe_ld_add_warning(pe_diags *list, size_t *suppressed, prempti_error *w);
/* Adds the "N more warnings" summary when some were dropped. */
void pe_ld_summarize(pe_diags *list, size_t suppressed);

#endif
