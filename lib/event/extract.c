#include "event/extract.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "prempti/common.h"
#include "event/json_compact.h"
#include "event/shell_fields.h"
#include "event/json_input.h"
#include "event/input_secrets.h"
#include "event/new_text.h"
#include "util/strbuf.h"

void pe_xctx_init(pe_xctx *x, const prempti_event *ev, const pe_view *view, pe_arena *scratch)
{
    x->event = ev;
    x->view = view;
    x->scratch = scratch;
    memset(x->lazy_state, 0, sizeof(x->lazy_state));
    x->lits = NULL;
    x->regex_work = NULL;
    x->img = NULL;
}

/* Stack room for text built before it is copied to the scratch arena. */
#define TEXT_BYTES 1024

/* Copies a string built in sb into the scratch arena as the value. */
static int scratch_str(pe_xctx *x, pe_strbuf *sb, pe_value *out)
{
    if (pe_sb_failed(sb))
        return PREMPTI_E_NOMEM;
    char *d = pe_arena_strndup(x->scratch, pe_sb_str(sb), sb->len);
    if (!d)
        return PREMPTI_E_NOMEM;
    out->str.s = d;
    out->str.len = sb->len;
    return 1;
}

/* Text of a JSON value as a rule sees it: strings raw, the rest as JSON. */
static int json_value_text(pe_xctx *x, json_object *v, pe_value *out)
{
    if (json_object_is_type(v, json_type_string)) {
        out->str.s = json_object_get_string(v);
        out->str.len = (size_t)json_object_get_string_len(v);
        return 1;
    }
    char buf[TEXT_BYTES]; /* the common case costs no allocation */
    pe_strbuf sb;
    pe_sb_init_buf(&sb, buf, sizeof(buf));
    pe_json_compact(&sb, v); /* read-only on json-c objects */
    int rc = scratch_str(x, &sb, out);
    pe_sb_free(&sb);
    return rc;
}

static int tool_input_arg(pe_xctx *x, const char *arg, size_t len, pe_value *out)
{
    json_object *root = (json_object *)x->view->tool_input;
    if (!root)
        return 0;
    json_object *v = NULL;
    if (len > 0 && arg[0] == '/') {
        v = pe_json_pointer(root, arg, len);
    } else if (json_object_is_type(root, json_type_object)) {
        char *key = pe_arena_strndup(x->scratch, arg, len);
        if (!key)
            return PREMPTI_E_NOMEM;
        if (!json_object_object_get_ex(root, key, &v))
            v = NULL;
    }
    if (!v)
        return 0;
    return json_value_text(x, v, out);
}

/* Starts a new line of tool.input_text (lines are joined with '\n'). */
static void new_line(pe_strbuf *sb, int *first)
{
    if (!*first)
        pe_sb_putc(sb, '\n');
    *first = 0;
}

/* Every key and scalar of the tool input, decoded, one per line, in input
 * order. The recursion is bounded by max_json_depth, which the parse
 * enforced. */
static void input_text(pe_strbuf *sb, json_object *v, int *first)
{
    switch (json_object_get_type(v)) {
    case json_type_object: {
        json_object_object_foreach(v, key, val)
        {
            new_line(sb, first);
            pe_sb_puts(sb, key);
            input_text(sb, val, first);
        }
        break;
    }
    case json_type_array: {
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++)
            input_text(sb, json_object_array_get_idx(v, i), first);
        break;
    }
    case json_type_string:
        new_line(sb, first);
        pe_sb_append(sb, json_object_get_string(v), (size_t)json_object_get_string_len(v));
        break;
    default: /* numbers, booleans, null: their JSON text */
        new_line(sb, first);
        pe_json_compact(sb, v);
        break;
    }
}

static int compute_lazy(pe_xctx *x, pe_field_id id, pe_value *out)
{
    switch (id) {
    case PE_F_TOOL_INPUT_TEXT: {
        char buf[TEXT_BYTES];
        pe_strbuf sb;
        pe_sb_init_buf(&sb, buf, sizeof(buf));
        int first = 1;
        if (x->view->tool_input)
            input_text(&sb, (json_object *)x->view->tool_input, &first);
        int rc = scratch_str(x, &sb, out);
        pe_sb_free(&sb);
        return rc;
    }
    case PE_F_TOOL_INPUT_KEYS: {
        json_object *in = (json_object *)x->view->tool_input;
        size_t n = in && json_object_is_type(in, json_type_object)
                       ? (size_t)json_object_object_length(in)
                       : 0,
               i = 0;
        pe_str *items = pe_arena_alloc(x->scratch, (n ? n : 1) * sizeof(*items));
        if (!items)
            return PREMPTI_E_NOMEM;
        if (n) {
            json_object_object_foreach(in, key, val)
            {
                (void)val;
                items[i].s = key;
                items[i].len = strlen(key);
                i++;
            }
        }
        out->items = items;
        out->nitems = n;
        return 1;
    }
    case PE_F_TOOL_INPUT_SECRETS:
        return pe_input_secrets(x, out);
    case PE_F_TOOL_NEW_TEXT:
        return pe_new_text(x, out);
    case PE_F_TOOL_NEW_TEXT_HOSTS: {
        pe_value t;
        int rc = pe_extract(x, PE_F_TOOL_NEW_TEXT, NULL, 0, &t);
        return rc <= 0 ? rc : pe_text_hosts(x->scratch, t.str, out);
    }
    case PE_F_SHELL_PACKAGES:
    case PE_F_SHELL_PACKAGE_LOOKALIKES:
        return pe_packages_field(x, id, out);
    default:
        return 0;
    }
}

int pe_extract(pe_xctx *x, pe_field_id id, const char *arg, size_t arglen, pe_value *out)
{
    /* the shell analysis is in the event; its path lists were resolved
     * when the event was built (not lazy) */
    if (id >= PE_F_SHELL_COMMANDS && id <= PE_F_SHELL_RUNS_DOWNLOAD && pe_field(id)->lazy)
        return pe_shell_field(x, id, arg, arglen, out);
    if (arg) {
        if (id == PE_F_TOOL_INPUT)
            return tool_input_arg(x, arg, arglen, out);
        return 0;
    }
    const pe_view *v = x->view;
    if (!pe_field(id)->lazy) {
        *out = v->v[id];
        return v->present[id];
    }
    if (x->lazy_state[id]) {
        *out = x->lazy[id];
        return x->lazy_state[id] > 0;
    }
    int rc = compute_lazy(x, id, &x->lazy[id]);
    if (rc < 0)
        return rc;
    x->lazy_state[id] = rc ? 1 : -1;
    *out = x->lazy[id];
    return rc;
}
