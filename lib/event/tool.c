/*
 * Tool step: from the tool name and its input to tool.kind, tool.input,
 * the shell command, paths (raw and resolved), URL, query, subagent and MCP
 * fields, and the flags every agent spells differently.
 */
#include <string.h>

#include "error_internal.h"
#include "event/build.h"
#include "event/json_compact.h"
#include "event/json_input.h"
#include "event/patch.h"
#include "event/paths.h"
#include "event/shell_fields.h"
#include "event/tool_text.h"
#include "event/tools.h"

/* The first of keys that is present (and not null) in the input. */
static json_object *first_member(json_object *in, const char *const *keys)
{
    for (; keys && *keys; keys++) {
        json_object *v = pe_json_member(in, *keys);
        if (v)
            return v;
    }
    return NULL;
}

/* The first of keys that holds a string. */
static json_object *first_string(json_object *in, const char *const *keys)
{
    for (; keys && *keys; keys++) {
        json_object *v = pe_json_member(in, *keys);
        if (v && json_object_is_type(v, json_type_string))
            return v;
    }
    return NULL;
}

static int set_json_str(pe_build *b, pe_view *v, pe_field_id id, json_object *s)
{
    return pe_build_set(b, v, id, json_object_get_string(s), (size_t)json_object_get_string_len(s));
}

static int set_first(pe_build *b, pe_view *v, pe_field_id id, const char *const *keys)
{
    json_object *s = first_string(b->tool_input, keys);
    return s ? set_json_str(b, v, id, s) : 0;
}

/* ---- values ---- */

/* A command given as an argument vector (older Codex) is shown the way a
 * shell would need it written, e.g. bash -lc 'rm -rf /'. */
static int set_command(pe_build *b, pe_view *v, const char *const *keys)
{
    json_object *c = first_member(b->tool_input, keys);
    if (!c)
        return 0;
    if (json_object_is_type(c, json_type_string))
        return set_json_str(b, v, PE_F_TOOL_INPUT_COMMAND, c);
    if (!json_object_is_type(c, json_type_array))
        return 0;
    size_t n = json_object_array_length(c);
    pe_strbuf sb = PE_STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        json_object *a = json_object_array_get_idx(c, i);
        if (!json_object_is_type(a, json_type_string)) {
            pe_sb_free(&sb);
            return 0; /* not an argument vector the agent could run */
        }
        if (i)
            pe_sb_putc(&sb, ' ');
        pe_shell_quote(&sb, json_object_get_string(a), (size_t)json_object_get_string_len(a));
    }
    return n ? pe_build_adopt(b, v, PE_F_TOOL_INPUT_COMMAND, &sb) : (pe_sb_free(&sb), 0);
}

static int set_url(pe_build *b, pe_view *v, const pe_tool_spec *t)
{
    json_object *u = first_string(b->tool_input, t->url);
    pe_str url = {NULL, 0};
    if (u) {
        url.s = json_object_get_string(u);
        url.len = (size_t)json_object_get_string_len(u);
    } else if (t->url_in_prompt) {
        json_object *p = first_string(b->tool_input, t->prompt);
        if (!p ||
            !pe_first_url(json_object_get_string(p), (size_t)json_object_get_string_len(p), &url))
            return 0;
    } else {
        return 0;
    }
    pe_strbuf host = PE_STRBUF_INIT;
    pe_url_host(&host, url.s, url.len);
    if (pe_build_set(b, v, PE_F_TOOL_URL, url.s, url.len)) {
        pe_sb_free(&host);
        return -1;
    }
    return pe_build_adopt(b, v, PE_F_TOOL_URL_HOST, &host);
}

static int is_true(json_object *in, const char *key)
{
    json_object *v = pe_json_member(in, key);
    return v && json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

/* Flags any tool may carry, whatever the agent. */
static void set_flags(pe_build *b, pe_view *v)
{
    json_object *in = b->tool_input;
    const char *sp = NULL;
    json_object *s = pe_json_member(in, "sandbox_permissions");
    if (s && json_object_is_type(s, json_type_string))
        sp = json_object_get_string(s);
    int escape = is_true(in, "dangerouslyDisableSandbox") ||
                 is_true(in, "with_escalated_permissions") ||
                 (sp && strcmp(sp, "require_escalated") == 0);
    pe_build_set_num(v, PE_F_TOOL_SANDBOX_ESCAPE, (uint64_t)escape);
    pe_build_set_num(v, PE_F_TOOL_BACKGROUND,
                     (uint64_t)(is_true(in, "run_in_background") || is_true(in, "is_background")));
}

/* mcp.server and mcp.tool from the tool name, unless the dialect set them:
 * mcp__<server>__<tool>, Cursor's MCP:<tool>, or - for a call the dialect
 * knows is an MCP call - the name itself. */
static int set_mcp_names(pe_build *b, pe_view *v, const char *name, size_t len)
{
    pe_str server, tool = {name, len};
    if (pe_mcp_split(name, len, &server, &tool)) {
        b->is_mcp = 1;
        if (!v->present[PE_F_MCP_SERVER] &&
            pe_build_set(b, v, PE_F_MCP_SERVER, server.s, server.len))
            return -1;
    } else if (len > 4 && memcmp(name, "MCP:", 4) == 0) {
        b->is_mcp = 1;
        tool.s += 4;
        tool.len -= 4;
    }
    if (b->is_mcp && !v->present[PE_F_MCP_TOOL] &&
        pe_build_set(b, v, PE_F_MCP_TOOL, tool.s, tool.len))
        return -1;
    return 0;
}

/* ---- paths ---- */

static int set_resolved(pe_build *b, pe_view *v, pe_field_id id, const char *path, size_t len,
                        const char *base)
{
    pe_path_opts o = {b->lexical, b->home};
    pe_strbuf sb = PE_STRBUF_INIT;
    if (pe_path_resolve(&sb, path, len, base, &o)) {
        pe_sb_free(&sb);
        return -1;
    }
    return pe_build_adopt(b, v, id, &sb);
}

int pe_tool_set_path(pe_build *b, pe_view *v, pe_field_id id_raw, pe_field_id id_name,
                     pe_field_id id_real, const char *path, size_t len, const char *base)
{
    if (!base && v->present[PE_F_AGENT_REAL_CWD])
        base = v->v[PE_F_AGENT_REAL_CWD].str.s;
    if (pe_build_set(b, v, id_raw, path, len) || set_resolved(b, v, id_real, path, len, base))
        return -1;
    if (id_name == PE_F_COUNT)
        return 0;
    const char *name;
    size_t nlen;
    pe_path_basename(path, len, &name, &nlen);
    return pe_build_set(b, v, id_name, name, nlen);
}

/* agent.real_cwd and agent.real_cwd_prefix (one trailing slash). */
static int set_cwd(pe_build *b, pe_view *v)
{
    const pe_str *cwd = &v->v[PE_F_AGENT_CWD].str;
    if (!v->present[PE_F_AGENT_CWD] || !cwd->len)
        return 0;
    if (set_resolved(b, v, PE_F_AGENT_REAL_CWD, cwd->s, cwd->len, NULL))
        return -1;
    const pe_str *real = &v->v[PE_F_AGENT_REAL_CWD].str;
    pe_strbuf p = PE_STRBUF_INIT;
    pe_sb_append(&p, real->s, real->len);
    if (real->len && real->s[real->len - 1] != '/')
        pe_sb_putc(&p, '/');
    return pe_build_adopt(b, v, PE_F_AGENT_REAL_CWD_PREFIX, &p);
}

/* ---- putting it together ---- */

static int set_spec_fields(pe_build *b, pe_view *v, const pe_tool_spec *t)
{
    json_object *s;
    if (set_command(b, v, t->command) || set_first(b, v, PE_F_TOOL_QUERY, t->query) ||
        set_first(b, v, PE_F_TOOL_PROMPT, t->prompt) ||
        set_first(b, v, PE_F_TOOL_SUBAGENT_TYPE, t->subagent) || set_url(b, v, t))
        return -1;
    if ((s = first_string(b->tool_input, t->path)) &&
        pe_tool_set_path(b, v, PE_F_TOOL_FILE_PATH, PE_F_TOOL_FILE_NAME, PE_F_TOOL_REAL_FILE_PATH,
                         json_object_get_string(s), (size_t)json_object_get_string_len(s), NULL))
        return -1;
    if ((s = first_string(b->tool_input, t->cwd)) &&
        pe_tool_set_path(b, v, PE_F_TOOL_COMMAND_CWD, PE_F_COUNT, PE_F_TOOL_REAL_COMMAND_CWD,
                         json_object_get_string(s), (size_t)json_object_get_string_len(s), NULL))
        return -1;
    return 0;
}

static int set_input(pe_build *b, pe_view *v)
{
    pe_strbuf sb = PE_STRBUF_INIT;
    if (b->tool_input)
        pe_json_compact(&sb, b->tool_input);
    else
        pe_sb_puts(&sb, "{}");
    v->tool_input = b->tool_input;
    return pe_build_adopt(b, v, PE_F_TOOL_INPUT, &sb);
}

/* The patch text of a patch tool: its whole input when that is text
 * (Copilot's freeform apply_patch), else its command (or input, patch). */
static int patch_views(pe_build *b)
{
    json_object *in = b->tool_input;
    json_object *s =
        in && json_object_is_type(in, json_type_string) ? in : first_string(in, pe_patch_keys);
    if (!s)
        return pe_fail(b->err, PREMPTI_E_EVENT, "EVENT_BAD_PATCH",
                       "apply_patch parse error: the tool input has no patch text (a "
                       "'command' string)");
    return pe_views_from_patch(b, json_object_get_string(s), (size_t)json_object_get_string_len(s),
                               0);
}

/* A file tool naming many paths (read_many_files' include, an MCP tool's
 * paths): a view per path. */
static int many_paths(pe_build *b, pe_kind kind)
{
    static const char *const keys[] = {"paths", "include", "file_paths", NULL};
    json_object *in = b->tool_input, *a;
    if (kind != PE_KIND_READ && kind != PE_KIND_SEARCH && kind != PE_KIND_WRITE &&
        kind != PE_KIND_EDIT)
        return PREMPTI_OK;
    for (const char *const *k = keys; in && json_object_is_type(in, json_type_object) && *k; k++)
        if (json_object_object_get_ex(in, *k, &a) && json_object_is_type(a, json_type_array))
            return pe_views_from_paths(b, a);
    return PREMPTI_OK;
}

/* An MCP tool named for what it does gets the fields of that kind of tool
 * (mcp.acts_as, the command and its shell analysis, the path, the URL);
 * tool.kind stays mcp. */
static int mcp_acts(pe_build *b, pe_view *v)
{
    const pe_str *tool = &v->v[PE_F_MCP_TOOL].str;
    const pe_tool_spec *t = v->present[PE_F_MCP_TOOL] ? pe_mcp_acts(tool->s, tool->len) : NULL;
    if (!b->tool_input || !json_object_is_type(b->tool_input, json_type_object))
        return PREMPTI_OK;
    if (!t && v->present[PE_F_MCP_TOOL]) {
        /* mcp__shell__run {"command": ...}: named for running, with a command */
        static const char *const keys[] = {"command", "cmd", "command_line", "commandLine",
                                           "shell_command", NULL};
        json_object *m;
        int has = 0;
        for (const char *const *k = keys; !has && *k; k++)
            has = json_object_object_get_ex(b->tool_input, *k, &m) &&
                  json_object_is_type(m, json_type_string);
        t = pe_mcp_acts_run(tool->s, tool->len, has);
    }
    if (!t)
        return PREMPTI_OK;
    if (pe_build_set_cstr(b, v, PE_F_MCP_ACTS_AS, pe_kind_name(t->kind)) ||
        set_spec_fields(b, v, t))
        return pe_build_oom(b);
    return t->kind == PE_KIND_SHELL ? pe_shell_view(b, v) : many_paths(b, t->kind);
}

int pe_tool_apply(pe_build *b)
{
    pe_view *v = b->base;
    const pe_str *name = &v->v[PE_F_TOOL_NAME].str;
    const pe_tool_spec *t = b->spec ? b->spec : pe_tool_find(name->s);
    if (set_mcp_names(b, v, name->s, name->len))
        return pe_build_oom(b);
    pe_kind kind = b->is_mcp ? PE_KIND_MCP : t ? t->kind : PE_KIND_OTHER;
    if (pe_build_set_cstr(b, v, PE_F_TOOL_KIND, pe_kind_name(kind)) || set_input(b, v) ||
        set_cwd(b, v))
        return pe_build_oom(b);
    set_flags(b, v);
    if (kind == PE_KIND_MCP)
        return mcp_acts(b, v);
    if (!t)
        return PREMPTI_OK;
    if (set_spec_fields(b, v, t))
        return pe_build_oom(b);
    if (kind == PE_KIND_PATCH)
        return patch_views(b);
    if (kind != PE_KIND_SHELL)
        return many_paths(b, kind); /* may replace b->base: v is not used after */
    int rc = pe_shell_view(b, v);
    if (rc)
        return rc;
    /* Only a command that runs apply_patch carries a patch; a here-doc
     * that merely contains one (git apply <<'EOF') is data. */
    const pe_str *cmd = &v->v[PE_F_TOOL_INPUT_COMMAND].str;
    if (pe_shell_runs_apply_patch(v))
        return pe_views_from_patch(b, cmd->s, cmd->len, 1);
    return PREMPTI_OK;
}
