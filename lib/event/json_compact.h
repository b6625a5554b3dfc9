/*
 * Serialising a json-c value as compact JSON the way upstream prempti's
 * tool.input is built: no spaces, object keys sorted by bytes, no escaped
 * slashes, serde_json's string escapes. Must only run while the event is
 * being built (json-c caches number text inside the object).
 */
#ifndef PE_EVENT_JSON_COMPACT_H
#define PE_EVENT_JSON_COMPACT_H

#include "util/strbuf.h"

struct json_object;

void pe_json_compact(pe_strbuf *sb, struct json_object *v);

#endif
