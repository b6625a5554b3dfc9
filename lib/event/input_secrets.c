#include "event/input_secrets.h"

#include <string.h>

#include <json-c/json.h>

#include "prempti/common.h"
#include "util/secrets.h"

/* The string member of o named one of names, or NULL. */
static json_object *string_member(json_object *o, const char *const *names)
{
    json_object *v;
    for (; *names; names++)
        if (json_object_object_get_ex(o, *names, &v) && json_object_is_type(v, json_type_string))
            return v;
    return NULL;
}

/* {"name": "DB_PASSWORD", "value": "..."}: a variable given as two members
 * (Kubernetes env, CI variables, parameter stores). */
static uint64_t named_value(json_object *o)
{
    static const char *const names[] = {"name", "Name", "key", "Key", NULL};
    static const char *const values[] = {"value", "Value", NULL};
    json_object *name = string_member(o, names), *value = name ? string_member(o, values) : NULL;
    if (!value)
        return 0;
    return pe_secret_scan_pair(
        json_object_get_string(name), (size_t)json_object_get_string_len(name),
        json_object_get_string(value), (size_t)json_object_get_string_len(value));
}

/* Members whose key names a secret and whose value is a string hold it as
 * "key: value" would: tool.input_text puts the two on separate lines. The
 * recursion is bounded by max_json_depth, which the parse enforced. */
static uint64_t member_secrets(json_object *v)
{
    uint64_t found = 0;
    if (json_object_is_type(v, json_type_object)) {
        found |= named_value(v);
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
