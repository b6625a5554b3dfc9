/*
 * Reading JSON written by an agent: the payload itself and JSON carried
 * inside a string (Copilot's toolArgs, Cursor's MCP tool_input).
 *
 * Parsing (json_parse.c) is strict (RFC 8259), the nesting depth is
 * bounded, nothing but whitespace may follow the value, every allocation is
 * checked, and two kinds of object key are refused: a duplicate key
 * (parsers disagree on which value counts: the last in JSON.parse(), an
 * error in serde_json's typed structs) and a key containing a NUL character
 * (`\u0000`, which json-c would cut short, so {"tool_name":"Read",
 * "tool_name\u0000x":"Bash"} would read as one key while the agent sees
 * two).
 */
#ifndef PE_EVENT_JSON_INPUT_H
#define PE_EVENT_JSON_INPUT_H

#include <stddef.h>

#include <json-c/json.h>

#include "prempti/error.h"

/*
 * Parses text into *out (a new reference). `what` names the text in
 * messages ("the event payload", "toolArgs").
 * Returns PREMPTI_OK; when `lenient`, 1 (nothing reported) if the text is
 * not JSON at all (a syntax error); otherwise PREMPTI_E_JSON (not JSON, a
 * NUL in a key, a duplicate key - these two also when lenient), or
 * PREMPTI_E_LIMIT (nested deeper than max_depth) or PREMPTI_E_NOMEM, also
 * when lenient, reported through err.
 */
int pe_json_parse(json_object **out, const char *text, size_t len, int max_depth, int lenient,
                  const char *what, prempti_error **err);

/*
 * Follows an RFC 6901 JSON pointer ("/a/0/b", `~0` for `~`, `~1` for `/`);
 * "" is the root. Returns a borrowed value or NULL when it does not exist.
 * Read-only on the json-c objects.
 */
json_object *pe_json_pointer(json_object *root, const char *p, size_t len);

/* A member of obj by name, or by JSON pointer when key starts with '/';
 * NULL when absent or JSON null. */
json_object *pe_json_member(json_object *obj, const char *key);

#endif
