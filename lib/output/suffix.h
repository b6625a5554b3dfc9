/*
 * The reason_suffix option: an output text appended to every reason.
 * Compiled into each compiled rules image, and checked the same way when
 * the option is set, so a suffix naming an unknown field is rejected by
 * prempti_config_set().
 */
#ifndef PE_OUTPUT_SUFFIX_H
#define PE_OUTPUT_SUFFIX_H

#include "output/format.h"
#include "util/region.h"

/* Compiles text (NUL-terminated, not empty) into r: *out is its pe_format.
 * PREMPTI_OK, else PREMPTI_E_INVALID_ARG ("invalid reason_suffix at offset
 * N: ..."), PREMPTI_E_LIMIT (r is full) or PREMPTI_E_NOMEM, with *err set. */
int pe_suffix_compile(pe_region *r, const char *text, pe_ref *out, prempti_error **err);

/* Checks text as pe_suffix_compile() would; returns PREMPTI_OK or the code. */
int pe_suffix_check(const char *text, prempti_error **err);

#endif
