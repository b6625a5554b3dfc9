#include "event/input_secrets.h"

#include <string.h>

#include <json-c/json.h>

#include "prempti/common.h"
#include "util/secrets.h"

/* Members whose key names a secret and whose value is a string hold it as
 * "key: value" would: tool.input_text puts the two on separate lines. The
 * recursion is bounded by max_json_depth, which the parse enforced. */
static uint64_t member_secrets(json_object *v)
{
    uint64_t found = 0;
    if (json_object_is_type(v, json_type_object)) {
        json_object_object_foreach(v, key, val)
        {
            if (json_object_is_type(val, json_type_string))
                found |= pe_secret_scan_pair(key, strlen(key), json_object_get_string(val),
                                             (size_t)json_object_get_string_len(val));
            else
                found |= member_secrets(val);
        }
    } else if (json_object_is_type(v, json_type_array)) {
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++)
            found |= member_secrets(json_object_array_get_idx(v, i));
    }
    return found;
}

int pe_input_secrets(pe_xctx *x, pe_value *out)
{
    pe_value text;
    int rc = pe_extract(x, PE_F_TOOL_INPUT_TEXT, NULL, 0, &text);
    if (rc < 0)
        return rc;
    uint64_t found = rc ? pe_secret_scan(text.str.s, text.str.len) : 0;
    if (x->view->tool_input)
        found |= member_secrets((json_object *)x->view->tool_input);
    if (!found)
        return 0;
    pe_str *items = pe_arena_alloc(x->scratch, PE_SECRET_KIND_COUNT * sizeof(*items));
    if (!items)
        return PREMPTI_E_NOMEM;
    size_t n = 0;
    for (int k = 0; k < PE_SECRET_KIND_COUNT; k++) {
        if (!(found & PE_SECRET_BIT(k)))
            continue;
        items[n].s = pe_secret_kind_name(k);
        items[n].len = strlen(items[n].s);
        n++;
    }
    out->items = items;
    out->nitems = n;
    return 1;
}
