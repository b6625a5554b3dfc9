/*
 * Tool step: from a tool name and its input to tool.kind, the shell command,
 * file paths (raw and resolved), and tool.input as compact JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"
#include "error_internal.h"
#include "event/build.h"
#include "event/json_compact.h"
#include "event/paths.h"

typedef struct tool_spec {
    const char *name;
    const char *kind;
    const char *command_key; /* member holding the shell command */
    const char *path_key;    /* member holding the target path */
} tool_spec;

static const tool_spec claude_tools[] = {
    {"Bash", "shell", "command", NULL},
    {"PowerShell", "shell", "command", NULL},
    {"Read", "read", NULL, "file_path"},
    {"Write", "write", NULL, "file_path"},
    {"Edit", "edit", NULL, "file_path"},
    {"MultiEdit", "edit", NULL, "file_path"},
    {"NotebookEdit", "edit", NULL, "notebook_path"},
    {"Glob", "search", NULL, "path"},
    {"Grep", "search", NULL, "path"},
    {"LS", "search", NULL, "path"},
    {"WebFetch", "web", NULL, NULL},
    {"WebSearch", "web", NULL, NULL},
    {"Agent", "agent", NULL, NULL},
    {"Task", "agent", NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

static const tool_spec *find_tool(const char *name)
{
    for (const tool_spec *t = claude_tools; t->name; t++)
        if (strcmp(t->name, name) == 0)
            return t;
    return NULL;
}

static int oom(pe_build *b)
{
    return pe_fail(b->err, PREMPTI_E_NOMEM, "", "out of memory");
}

static int set_resolved(pe_build *b, pe_field_id id, const char *path, size_t len,
                        const char *base)
{
    const char *home = pe_config_str(b->cfg, PE_OPT_HOME);
    if (!home[0])
        home = getenv("HOME");
    pe_path_opts o = {pe_config_choice(b->cfg, PE_OPT_PATHS) == PE_PATHS_LEXICAL, home};
    pe_strbuf sb = PE_STRBUF_INIT;
    int rc = pe_path_resolve(&sb, path, len, base, &o);
    if (!rc)
        rc = pe_build_set(b, b->base, id, pe_sb_str(&sb), sb.len);
    pe_sb_free(&sb);
    return rc;
}

int pe_tool_apply(pe_build *b)
{
    pe_view *v = b->base;
    const char *name = v->v[PE_F_TOOL_NAME].str.s;
    const tool_spec *t = find_tool(name);
    int is_mcp = strncmp(name, "mcp__", 5) == 0;
    const char *kind = t ? t->kind : is_mcp ? "mcp" : "other";
    if (pe_build_set_cstr(b, v, PE_F_TOOL_KIND, kind))
        return oom(b);

    /* tool.input: compact JSON, "{}" when absent. */
    pe_strbuf sb = PE_STRBUF_INIT;
    if (b->tool_input)
        pe_json_compact(&sb, b->tool_input);
    else
        pe_sb_puts(&sb, "{}");
    int rc = pe_sb_failed(&sb) || pe_build_set(b, v, PE_F_TOOL_INPUT, sb.data, sb.len);
    pe_sb_free(&sb);
    if (rc)
        return oom(b);
    v->tool_input = b->tool_input;

    /* agent.real_cwd and its prefix form */
    const pe_str *cwd = &v->v[PE_F_AGENT_CWD].str;
    if (cwd->s && cwd->len) {
        if (set_resolved(b, PE_F_AGENT_REAL_CWD, cwd->s, cwd->len, NULL))
            return oom(b);
        const pe_str *real = &v->v[PE_F_AGENT_REAL_CWD].str;
        pe_strbuf p = PE_STRBUF_INIT;
        pe_sb_append(&p, real->s, real->len);
        if (real->len && real->s[real->len - 1] != '/')
            pe_sb_putc(&p, '/');
        rc = pe_sb_failed(&p) || pe_build_set(b, v, PE_F_AGENT_REAL_CWD_PREFIX, p.data, p.len);
        pe_sb_free(&p);
        if (rc)
            return oom(b);
    }

    if (!t)
        return PREMPTI_OK;
    size_t len;
    const char *s;
    if (t->command_key && (s = pe_json_str(b->tool_input, t->command_key, &len)) &&
        pe_build_set(b, v, PE_F_TOOL_INPUT_COMMAND, s, len))
        return oom(b);
    if (t->path_key && (s = pe_json_str(b->tool_input, t->path_key, &len))) {
        const char *base = v->present[PE_F_AGENT_REAL_CWD] ? v->v[PE_F_AGENT_REAL_CWD].str.s
                                                           : NULL;
        const char *fname;
        size_t flen;
        pe_path_basename(s, len, &fname, &flen);
        if (pe_build_set(b, v, PE_F_TOOL_FILE_PATH, s, len) ||
            pe_build_set(b, v, PE_F_TOOL_FILE_NAME, fname, flen) ||
            set_resolved(b, PE_F_TOOL_REAL_FILE_PATH, s, len, base))
            return oom(b);
    }
    return PREMPTI_OK;
}
