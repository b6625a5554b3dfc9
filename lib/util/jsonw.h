/*
 * A small JSON writer into a pe_strbuf: compact output, no escaped slashes
 * (so "/.ssh/" stays searchable), escapes exactly as serde_json does (quote,
 * backslash, \b \f \n \r \t, other controls as \u00XX), invalid UTF-8 replaced
 * by U+FFFD so the output is always valid JSON. Commas are handled by the writer.
 */
#ifndef PE_UTIL_JSONW_H
#define PE_UTIL_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

#define PE_JW_MAX_DEPTH 64

typedef struct pe_jw {
    pe_strbuf *sb;
    unsigned depth;
    unsigned char has_items[PE_JW_MAX_DEPTH + 1]; /* per level: an item was written */
    int after_key;
} pe_jw;

void pe_jw_init(pe_jw *w, pe_strbuf *sb);
void pe_jw_obj_begin(pe_jw *w);
void pe_jw_obj_end(pe_jw *w);
void pe_jw_arr_begin(pe_jw *w);
void pe_jw_arr_end(pe_jw *w);
void pe_jw_key(pe_jw *w, const char *key);
void pe_jw_str(pe_jw *w, const char *s, size_t len);
void pe_jw_cstr(pe_jw *w, const char *s); /* NULL writes null */
void pe_jw_u64(pe_jw *w, uint64_t v);
void pe_jw_i64(pe_jw *w, int64_t v);
void pe_jw_double(pe_jw *w, double v);
void pe_jw_bool(pe_jw *w, int v);
void pe_jw_null(pe_jw *w);
/* Writes already-serialised JSON as one value. */
void pe_jw_raw(pe_jw *w, const char *json, size_t len);

/* Appends s as a quoted, escaped JSON string. */
void pe_json_quote(pe_strbuf *sb, const char *s, size_t len);

#endif
