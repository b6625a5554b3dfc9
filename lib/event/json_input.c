#define _GNU_SOURCE /* memmem */
#include "json_input.h"

#include <stdlib.h>
#include <string.h>

#include "error_internal.h"

/* Looks up one decoded pointer token in cur. */
static json_object *pointer_step(json_object *cur, const char *tok, size_t n)
{
    if (json_object_is_type(cur, json_type_object)) {
        json_object *v;
        return json_object_object_get_ex(cur, tok, &v) ? v : NULL;
    }
    if (!json_object_is_type(cur, json_type_array) || n == 0 || (n > 1 && tok[0] == '0'))
        return NULL;
    size_t idx = 0;
    for (size_t i = 0; i < n; i++) {
        if (tok[i] < '0' || tok[i] > '9' || idx > (SIZE_MAX - 9) / 10)
            return NULL;
        idx = idx * 10 + (size_t)(tok[i] - '0');
    }
    return idx < json_object_array_length(cur) ? json_object_array_get_idx(cur, idx) : NULL;
}

json_object *pe_json_pointer(json_object *root, const char *p, size_t len)
{
    if (len == 0)
        return root;
    if (p[0] != '/')
        return NULL;
    char *tok = malloc(len); /* a token is never longer than the pointer */
    if (!tok)
        return NULL;
    json_object *cur = root;
    size_t i = 1;
    for (;;) {
        size_t n = 0;
        while (i < len && p[i] != '/') {
            char c = p[i++];
            if (c == '~' && i < len && (p[i] == '0' || p[i] == '1'))
                c = p[i++] == '0' ? '~' : '/';
            tok[n++] = c;
        }
        tok[n] = '\0';
        cur = pointer_step(cur, tok, n);
        if (!cur || i >= len)
            break;
        i++; /* the '/' */
    }
    free(tok);
    return cur;
}

json_object *pe_json_member(json_object *obj, const char *key)
{
    json_object *v = NULL;
    if (!obj)
        return NULL;
    if (key[0] == '/')
        v = pe_json_pointer(obj, key, strlen(key));
    else if (json_object_is_type(obj, json_type_object))
        json_object_object_get_ex(obj, key, &v);
    return v && !json_object_is_type(v, json_type_null) ? v : NULL;
}
