#define _GNU_SOURCE /* memmem */
#include "json_input.h"

#include <stdlib.h>
#include <string.h>

#include "error_internal.h"

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* What a scan of the (valid) JSON text finds: object members and array
 * elements, and the first `\u0000` escape inside an object key. */
typedef struct json_shape {
    size_t members;
    size_t elements;
    size_t nul_key; /* offset, or the text's length when there is none */
} json_shape;

/* Index just past the string that starts at t[i] (a '"'); records a
 * `\u0000` escape in *nul. */
static size_t skip_string(const char *t, size_t len, size_t i, size_t *nul)
{
    size_t j = i + 1;
    while (j < len && t[j] != '"') {
        if (t[j] == '\\') {
            if (j + 5 < len && memcmp(t + j + 1, "u0000", 5) == 0 && *nul == len)
                *nul = j;
            j += 2;
        } else {
            j++;
        }
    }
    return j + 1;
}

/*
 * One pass over text that the tokener accepted (so brackets balance and
 * nest at most max_json_depth, at most 1000, deep). Every ':' outside a
 * string is one object member; an array holds one element more than its
 * commas unless it is empty. Comparing these counts with the parsed tree
 * shows whether anything was dropped (json-c drops a member whose key it
 * cannot copy when memory runs out) or merged (a duplicate key).
 */
static void scan_shape(const char *t, size_t len, json_shape *sh)
{
    char open[1024]; /* '[' or '{' per open bracket */
    size_t depth = 0;
    sh->members = sh->elements = 0;
    sh->nul_key = len;
    size_t i = 0;
    while (i < len) {
        char c = t[i];
        if (c == '"') {
            size_t nul = len, j = skip_string(t, len, i, &nul);
            size_t k = j;
            while (k < len && is_ws(t[k]))
                k++;
            if (nul != len && k < len && t[k] == ':' && sh->nul_key == len)
                sh->nul_key = nul;
            i = j;
            continue;
        }
        i++;
        if (c == ':') {
            sh->members++;
        } else if (c == ',' && depth && open[depth - 1] == '[') {
            sh->elements++;
        } else if (c == '[' || c == '{') {
            if (depth < sizeof(open))
                open[depth] = c;
            depth++;
            size_t k = i;
            while (k < len && is_ws(t[k]))
                k++;
            sh->elements += c == '[' && k < len && t[k] != ']';
        } else if (c == ']' || c == '}') {
            depth -= depth > 0;
        }
    }
}

/* Members and elements of the parsed tree, counted like scan_shape(). */
static void tree_shape(json_object *o, json_shape *sh)
{
    if (json_object_is_type(o, json_type_object)) {
        json_object_object_foreach(o, key, val)
        {
            (void)key;
            sh->members++;
            tree_shape(val, sh);
        }
    } else if (json_object_is_type(o, json_type_array)) {
        size_t n = json_object_array_length(o);
        sh->elements += n;
        for (size_t i = 0; i < n; i++)
            tree_shape(json_object_array_get_idx(o, i), sh);
    }
}

int pe_json_parse(json_object **out, const char *text, size_t len, int max_depth, int lenient,
                  const char *what, prempti_error **err)
{
    *out = NULL;
    if (len > (size_t)INT32_MAX)
        return pe_fail(err, PREMPTI_E_LIMIT, "EVENT_TOO_LARGE", "%s is too large to parse", what);
    json_tokener *tok = json_tokener_new_ex(max_depth);
    if (!tok)
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    json_object *root = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    if (jerr == json_tokener_continue && end == len) {
        /* A top-level number or literal ends only at a delimiter: tell the
         * tokener the input is over. */
        root = json_tokener_parse_ex(tok, "", 1);
        jerr = json_tokener_get_error(tok);
    }
    json_tokener_free(tok);
    if (jerr == json_tokener_error_depth)
        return pe_fail(err, PREMPTI_E_LIMIT, "EVENT_TOO_DEEP",
                       "%s nests deeper than max_json_depth (%d)", what, max_depth);
    if (jerr == json_tokener_success)
        while (end < len && is_ws(text[end]))
            end++;
    if (jerr != json_tokener_success || end != len) {
        json_object_put(root);
        if (lenient)
            return 1;
        if (jerr == json_tokener_continue || jerr == json_tokener_error_parse_eof)
            return pe_fail(err, PREMPTI_E_JSON, "EVENT_INVALID_JSON",
                           "%s is not valid JSON: unexpected end of input", what);
        if (jerr != json_tokener_success)
            return pe_fail(err, PREMPTI_E_JSON, "EVENT_INVALID_JSON",
                           "%s is not valid JSON: %s at offset %zu", what,
                           json_tokener_error_desc(jerr), end);
        return pe_fail(err, PREMPTI_E_JSON, "EVENT_INVALID_JSON",
                       "%s is not valid JSON: unexpected text after the value at offset %zu", what,
                       end);
    }
    json_shape text_sh, tree_sh = {0, 0, 0};
    scan_shape(text, len, &text_sh);
    if (text_sh.nul_key != len) {
        json_object_put(root);
        return pe_fail(err, PREMPTI_E_JSON, "EVENT_NUL_IN_KEY",
                       "%s has an object key containing a NUL character (\\u0000) at offset "
                       "%zu; such keys are not accepted",
                       what, text_sh.nul_key);
    }
    tree_shape(root, &tree_sh);
    if (tree_sh.members != text_sh.members || tree_sh.elements != text_sh.elements) {
        /* Never evaluate a payload that lost a member: a dropped "command"
         * would match nothing and let the call through. */
        json_object_put(root);
        if (lenient)
            return 1;
        return pe_fail(err, PREMPTI_E_JSON, "EVENT_DUPLICATE_KEY",
                       "%s has a duplicate object key, or could not be read completely (out of "
                       "memory); duplicate keys are not accepted because parsers disagree on "
                       "which value counts",
                       what);
    }
    *out = root;
    return PREMPTI_OK;
}

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
