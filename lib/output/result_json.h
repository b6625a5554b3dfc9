/*
 * Pieces shared by the result JSON and the audit record, so both spell the
 * common keys and the typed field values the same way.
 */
#ifndef PE_OUTPUT_RESULT_JSON_H
#define PE_OUTPUT_RESULT_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "prempti/error.h"
#include "util/jsonw.h"
#include "verdict/result_internal.h"

/* Room for "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ" and a NUL, for any 64-bit time. */
#define PE_ISO8601_SIZE 48

/* Formats ns since the epoch as UTC ISO 8601 with nanoseconds. */
void pe_iso8601(char buf[PE_ISO8601_SIZE], uint64_t ns);

/* Writes the keys every record of a result has (decision, would_be, mode,
 * reason, correlation_id, agent, hook_event, session_id, tool, cwd,
 * deciding_match, deciding_rule) into the object being written. */
void pe_out_common(pe_jw *w, const prempti_result *r);

/* Writes a field's value: string, number, boolean, array of strings, or
 * null when the field has none. */
void pe_out_field_value(pe_jw *w, const pe_ofield *f);

/* Hands sb's text to *out (a new string for prempti_free()), or fails with
 * PREMPTI_E_NOMEM. sb is left empty. */
int pe_out_take(char **out, pe_strbuf *sb, prempti_error **err);

#endif
