/*
 * Views of a patch: one per touched file, each seeing only its own hunk, so
 * that a rule on "content X and path Y" can never combine the content of one
 * file with the path of another (upstream prempti's per-hunk multiplexing).
 * Views of a tool reading many files (Gemini's read_many_files, an MCP
 * read_multiple_files): one per path, so that every path is judged.
 */
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "event/build.h"
#include "event/json_compact.h"
#include "event/patch.h"

/* Parses every envelope: one for a patch tool, all of them in a shell
 * command (which may run apply_patch more than once). */
static int parse_all(pe_build *b, pe_patch *p, const char *text, size_t len, int from_shell)
{
    char msg[256];
    size_t at = 0;
    for (;;) {
        int rc = pe_patch_parse(p, text, len, at, msg, sizeof(msg));
        if (rc < 0)
            return pe_build_oom(b);
        if (rc)
            return pe_fail(b->err, rc == 2 ? PREMPTI_E_LIMIT : PREMPTI_E_EVENT, "EVENT_BAD_PATCH",
                           "apply_patch parse error%s: %s",
                           from_shell ? " (in a shell command)" : "", msg);
        if (!from_shell || (at = pe_patch_find_begin(text, len, p->end)) >= len)
            return PREMPTI_OK;
    }
}

/* The tool input a file's view sees: the original members but the patch
 * text, and "command" holding only this file's hunk in its own envelope. */
static json_object *view_input(pe_build *b, const pe_patch_file *f, int from_shell)
{
    json_object *in = json_object_new_object();
    if (!in || pe_build_own(b, in))
        return NULL;
    json_object *orig = from_shell ? NULL : b->tool_input;
    if (orig && json_object_is_type(orig, json_type_object)) {
        json_object_object_foreach(orig, key, val)
        {
            if (strcmp(key, "command") != 0 && strcmp(key, "input") != 0 &&
                strcmp(key, "patch") != 0 && json_object_object_add(in, key, json_object_get(val)))
                return NULL;
        }
    }
    pe_strbuf sb = PE_STRBUF_INIT;
    pe_patch_envelope(&sb, f);
    json_object *cmd = pe_sb_failed(&sb) ? NULL : json_object_new_string_len(sb.data, (int)sb.len);
    pe_sb_free(&sb);
    if (!cmd || json_object_object_add(in, "command", cmd)) {
        json_object_put(cmd);
        return NULL;
    }
    return in;
}

static int fill_view(pe_build *b, pe_view *v, const pe_patch_file *f, int from_shell)
{
    /* A shell command's patch is evaluated as the apply_patch call it is. */
    static const pe_field_id shell_only[] = {PE_F_TOOL_INPUT_COMMAND, PE_F_TOOL_COMMAND_CWD,
                                             PE_F_TOOL_REAL_COMMAND_CWD};
    const char *base = NULL; /* relative patch paths: the command's directory */
    if (from_shell) {
        if (v->present[PE_F_TOOL_REAL_COMMAND_CWD])
            base = v->v[PE_F_TOOL_REAL_COMMAND_CWD].str.s;
        for (size_t i = 0; i < sizeof(shell_only) / sizeof(shell_only[0]); i++)
            v->present[shell_only[i]] = 0;
        if (pe_build_set_cstr(b, v, PE_F_TOOL_NAME, "apply_patch"))
            return -1;
    }
    json_object *in = view_input(b, f, from_shell);
    if (!in)
        return -1;
    v->tool_input = in;
    pe_strbuf sb = PE_STRBUF_INIT;
    pe_json_compact(&sb, in);
    if (pe_build_adopt(b, v, PE_F_TOOL_INPUT, &sb) ||
        pe_build_set_cstr(b, v, PE_F_TOOL_KIND, "patch") ||
        pe_build_set_cstr(b, v, PE_F_TOOL_PATCH_OP, f->op))
        return -1;
    return pe_tool_set_path(b, v, PE_F_TOOL_FILE_PATH, PE_F_TOOL_FILE_NAME,
                            PE_F_TOOL_REAL_FILE_PATH, f->path.s, f->path.len, base);
}

int pe_views_from_patch(pe_build *b, const char *text, size_t len, int from_shell)
{
    pe_patch p = {0};
    int rc = parse_all(b, &p, text, len, from_shell);
    if (rc) {
        pe_patch_free(&p);
        return rc;
    }
    size_t first = from_shell ? 1 : 0; /* the shell command keeps its own view */
    size_t count = first + p.count;
    pe_view *views = calloc(count, sizeof(*views));
    if (!views) {
        pe_patch_free(&p);
        return pe_build_oom(b);
    }
    for (size_t i = 0; i < count; i++)
        views[i] = *b->base;
    for (size_t i = 0; !rc && i < p.count; i++)
        if (fill_view(b, &views[first + i], &p.files[i], from_shell))
            rc = pe_build_oom(b);
    pe_patch_free(&p);
    if (rc) {
        free(views);
        return rc;
    }
    free(b->ev->views);
    b->ev->views = views;
    b->ev->view_count = count;
    b->base = &views[0];
    return PREMPTI_OK;
}

int pe_views_from_paths(pe_build *b, json_object *paths)
{
    size_t n = json_object_array_length(paths), count = 0;
    if (n > PE_MAX_PATH_VIEWS)
        return pe_fail(b->err, PREMPTI_E_LIMIT, "EVENT_TOO_MANY_PATHS",
                       "the tool names %zu paths, more than %d", n, PE_MAX_PATH_VIEWS);
    for (size_t i = 0; i < n; i++)
        count += json_object_is_type(json_object_array_get_idx(paths, i), json_type_string);
    if (count < 2)
        return PREMPTI_OK; /* the spec's first path is the only one */
    pe_view *views = calloc(count, sizeof(*views));
    if (!views)
        return pe_build_oom(b);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *p = json_object_array_get_idx(paths, i);
        if (!json_object_is_type(p, json_type_string))
            continue;
        views[k] = *b->base;
        if (pe_tool_set_path(b, &views[k], PE_F_TOOL_FILE_PATH, PE_F_TOOL_FILE_NAME,
                             PE_F_TOOL_REAL_FILE_PATH, json_object_get_string(p),
                             (size_t)json_object_get_string_len(p), NULL)) {
            free(views);
            return pe_build_oom(b);
        }
        k++;
    }
    free(b->ev->views);
    b->ev->views = views;
    b->ev->view_count = count;
    b->base = &views[0];
    return PREMPTI_OK;
}
