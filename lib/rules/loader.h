/*
 * The rules loader: reads rules files (YAML) into items with their
 * positions, applies Falco's semantics across files (override, append,
 * redefinition, exceptions, list and macro resolution) and compiles the
 * whole set. Loads are transactional: a failed load leaves the loader as
 * it was.
 */
#ifndef PE_RULES_LOADER_H
#define PE_RULES_LOADER_H

#include "error_internal.h"
#include "prempti/config.h"
#include "rules/ruleset.h"

typedef struct pe_loader pe_loader;

typedef struct pe_load_input {
    const char *text;
    size_t len;
    const char *name; /* file name for diagnostics */
} pe_load_input;

int pe_loader_new(pe_loader **out, const prempti_config *cfg);
void pe_loader_free(pe_loader *l);

/*
 * Reads the inputs, in order, after everything loaded before, then compiles
 * the whole set into a new ruleset (*out, owned by the caller). Warnings of
 * this step are appended to warnings. On failure nothing changes and *err
 * describes the first error (with earlier warnings as notes).
 */
int pe_loader_load(pe_loader *l, const pe_load_input *inputs, size_t n, pe_ruleset **out,
                   pe_diags *warnings, prempti_error **err);

/* Bytes the loader holds for the items read so far (tests check that a
 * failed load gives its memory back). */
size_t pe_loader_arena_bytes(const pe_loader *l);

#endif
