#include "event/new_text.h"

#include <string.h>

#include <json-c/json.h>

#include "prempti/common.h"
#include "event/tools.h"
#include "util/host.h"
#include "util/strbuf.h"

static const char *const text_keys[] = {"content", "contents",   "file_text", "new_string",
                                        "new_str", "new_source", "newText",   NULL};

static int is_text_key(const char *key)
{
    for (const char *const *k = text_keys; *k; k++)
        if (strcmp(key, *k) == 0)
            return 1;
    return 0;
}

static void put_line(pe_strbuf *sb, const char *s, size_t len)
{
    if (sb->len)
        pe_sb_putc(sb, '\n');
    pe_sb_append(sb, s, len);
}

/* The values of text members anywhere under v (depth bounded by the
 * parse's max_json_depth); NotebookEdit's new_source may be an array of
 * lines. */
static void collect(pe_strbuf *sb, json_object *v, int take)
{
    switch (json_object_get_type(v)) {
    case json_type_object: {
        json_object_object_foreach(v, key, val) collect(sb, val, is_text_key(key));
        break;
    }
    case json_type_array: {
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++)
            collect(sb, json_object_array_get_idx(v, i), take);
        break;
    }
    case json_type_string:
        if (take)
            put_line(sb, json_object_get_string(v), (size_t)json_object_get_string_len(v));
        break;
    default:
        break;
    }
}

/* The '+' lines of a patch hunk (not a "+++ " header of a unified diff). */
static void added_lines(pe_strbuf *sb, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) : len;
        if (end > i && s[i] == '+' && !(end - i >= 4 && memcmp(s + i, "+++ ", 4) == 0))
            put_line(sb, s + i + 1, end - i - 1);
        i = end + 1;
    }
}

int pe_new_text(pe_xctx *x, pe_value *out)
{
    const pe_str *kind = &x->view->v[PE_F_TOOL_KIND].str;
    json_object *in = (json_object *)x->view->tool_input;
    int patch = kind->len == 5 && memcmp(kind->s, "patch", 5) == 0;
    if (!in || !(patch || (kind->len == 5 && memcmp(kind->s, "write", 5) == 0) ||
                 (kind->len == 4 && memcmp(kind->s, "edit", 4) == 0)))
        return 0;
    pe_strbuf sb = PE_STRBUF_INIT;
    if (patch && json_object_is_type(in, json_type_object)) {
        for (const char *const *k = pe_patch_keys; *k; k++) {
            json_object *p;
            if (json_object_object_get_ex(in, *k, &p) && json_object_is_type(p, json_type_string))
                added_lines(&sb, json_object_get_string(p), (size_t)json_object_get_string_len(p));
        }
    } else {
        collect(&sb, in, 0);
    }
    if (pe_sb_failed(&sb))
        return PREMPTI_E_NOMEM;
    char *d = pe_arena_strndup(x->scratch, sb.len ? pe_sb_str(&sb) : "", sb.len);
    size_t len = sb.len;
    pe_sb_free(&sb);
    if (!d)
        return PREMPTI_E_NOMEM;
    out->str.s = d;
    out->str.len = len;
    return 1;
}

static int scheme_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '-' || c == '.';
}

/* Where a URL in prose ends: blanks, quotes, brackets and the like. */
static int url_end(char c)
{
    return (unsigned char)c <= ' ' || strchr("\"'`<>()[]{}|\\,;", c) != NULL;
}

int pe_text_hosts(pe_arena *scratch, pe_str t, pe_value *out)
{
    size_t n = 0, cap = 0;
    pe_str *items = NULL;
    for (size_t i = 1; i + 3 <= t.len; i++) {
        if (memcmp(t.s + i, "://", 3) != 0 || !scheme_char(t.s[i - 1]))
            continue;
        size_t start = i;
        while (start > 0 && scheme_char(t.s[start - 1]))
            start--;
        size_t end = i + 3;
        while (end < t.len && !url_end(t.s[end]))
            end++;
        pe_url u;
        if (pe_url_parse(&u, t.s + start, end - start, PE_URL_WEB, scratch) < 0)
            return PREMPTI_E_NOMEM;
        i = end - 1;
        if (u.host.kind == PE_HOST_NONE)
            continue;
        int dup = 0;
        for (size_t k = 0; k < n && !dup; k++)
            dup = items[k].len == u.host.text.len &&
                  memcmp(items[k].s, u.host.text.s, items[k].len) == 0;
        if (dup)
            continue;
        if (n == cap) { /* arena: the old array is simply left behind */
            size_t nc = cap ? 2 * cap : 8;
            pe_str *g = pe_arena_alloc(scratch, nc * sizeof(*g));
            if (!g)
                return PREMPTI_E_NOMEM;
            if (n)
                memcpy(g, items, n * sizeof(*g));
            items = g, cap = nc;
        }
        items[n++] = u.host.text;
    }
    out->items = items;
    out->nitems = n;
    return n > 0;
}
