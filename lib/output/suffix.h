/*
 * The reason_suffix option: an output text appended to every reason.
 * Compiled by the engine, and checked the same way when the option is set,
 * so a suffix naming an unknown field is rejected by prempti_config_set().
 */
#ifndef PE_OUTPUT_SUFFIX_H
#define PE_OUTPUT_SUFFIX_H

#include "output/format.h"

/* Compiles text (NUL-terminated) into arena. Returns NULL on failure with
 * PREMPTI_E_INVALID_ARG ("invalid reason_suffix at offset N: ...") or
 * PREMPTI_E_NOMEM reported through err and stored in *code. */
const pe_format *pe_suffix_compile(pe_arena *arena, const char *text, int *code,
                                   prempti_error **err);

/* Checks text as pe_suffix_compile() would; returns PREMPTI_OK or the code. */
int pe_suffix_check(const char *text, prempti_error **err);

#endif
