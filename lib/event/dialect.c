/*
 * Agent dialects (docs/agents.md): which agent sent a payload, which hook
 * event it is, and how its members map onto the agent.* fields, the tool
 * name and the tool input.
 */
#include <stdio.h>
#include <string.h>

#include "error_internal.h"
#include "event/build.h"
#include "event/json_input.h"

typedef enum hook_kind {
    H_TOOL,         /* a tool call with tool name and tool input */
    H_CURSOR_SHELL, /* Cursor beforeShellExecution: command at the top level */
    H_CURSOR_MCP,   /* Cursor beforeMCPExecution */
    H_CURSOR_READ   /* Cursor beforeReadFile: file_path at the top level */
} hook_kind;

typedef struct hook_def {
    const char *name;
    hook_kind kind;
} hook_def;

typedef enum shape {
    SHAPE_SNAKE, /* hook_event_name, tool_name, tool_input */
    SHAPE_CAMEL, /* Copilot: hookName, toolName, toolArgs / toolInput */
    SHAPE_CURSOR /* snake case plus Cursor's own events and members */
} shape;

typedef struct member_map {
    const char *key;
    pe_field_id field;
} member_map;

typedef struct dialect_def {
    const char *agent; /* agent.name */
    const char *name;  /* agent.dialect */
    shape shape;
    const hook_def *hooks; /* the supported ones */
    const char *hook_list; /* the same, for messages */
    const member_map *members;
    int input_may_be_text; /* tool input may be JSON inside a string */
} dialect_def;

static const hook_def pre_and_permission[] = {
    {"PreToolUse", H_TOOL}, {"PermissionRequest", H_TOOL}, {NULL, H_TOOL}};
static const hook_def copilot_camel_hooks[] = {
    {"preToolUse", H_TOOL}, {"permissionRequest", H_TOOL}, {NULL, H_TOOL}};
static const hook_def gemini_hooks[] = {{"BeforeTool", H_TOOL}, {NULL, H_TOOL}};
static const hook_def cursor_hooks[] = {{"beforeShellExecution", H_CURSOR_SHELL},
                                        {"beforeMCPExecution", H_CURSOR_MCP},
                                        {"beforeReadFile", H_CURSOR_READ},
                                        {"preToolUse", H_TOOL},
                                        {NULL, H_TOOL}};

/* Where two members map to one field, the first present wins. */
static const member_map snake_members[] = {
    {"session_id", PE_F_AGENT_SESSION_ID},
    {"permission_mode", PE_F_AGENT_PERMISSION_MODE},
    {"transcript_path", PE_F_AGENT_TRANSCRIPT_PATH},
    {"model", PE_F_AGENT_MODEL},
    {"turn_id", PE_F_AGENT_TURN_ID},
    {"prompt_id", PE_F_AGENT_TURN_ID},
    {"cwd", PE_F_AGENT_CWD},
    {"tool_use_id", PE_F_TOOL_USE_ID},
    {"agent_id", PE_F_AGENT_ID},
    {"agent_type", PE_F_AGENT_TYPE},
    {NULL, PE_F_COUNT},
};
static const member_map camel_members[] = {
    {"sessionId", PE_F_AGENT_SESSION_ID},
    {"cwd", PE_F_AGENT_CWD},
    {NULL, PE_F_COUNT},
};
static const member_map cursor_members[] = {
    {"conversation_id", PE_F_AGENT_SESSION_ID},
    {"session_id", PE_F_AGENT_SESSION_ID},
    {"generation_id", PE_F_AGENT_TURN_ID},
    {"model", PE_F_AGENT_MODEL},
    {"transcript_path", PE_F_AGENT_TRANSCRIPT_PATH},
    {"cwd", PE_F_AGENT_CWD},
    {"tool_use_id", PE_F_TOOL_USE_ID},
    {"cursor_version", PE_F_AGENT_VERSION},
    {NULL, PE_F_COUNT},
};

enum { D_CLAUDE, D_CODEX, D_COPILOT_CAMEL, D_COPILOT_VSCODE, D_GEMINI, D_CURSOR };

static const dialect_def dialects[] = {
    [D_CLAUDE] = {"claude_code", "claude_code", SHAPE_SNAKE, pre_and_permission,
                  "PreToolUse and PermissionRequest", snake_members, 0},
    [D_CODEX] = {"codex", "codex", SHAPE_SNAKE, pre_and_permission,
                 "PreToolUse and PermissionRequest", snake_members, 0},
    [D_COPILOT_CAMEL] = {"copilot", "copilot_camel", SHAPE_CAMEL, copilot_camel_hooks,
                         "preToolUse and permissionRequest", camel_members, 1},
    [D_COPILOT_VSCODE] = {"copilot", "copilot_vscode", SHAPE_SNAKE, pre_and_permission,
                          "PreToolUse and PermissionRequest", snake_members, 1},
    [D_GEMINI] = {"gemini", "gemini", SHAPE_SNAKE, gemini_hooks, "BeforeTool", snake_members, 0},
    [D_CURSOR] = {"cursor", "cursor", SHAPE_CURSOR, cursor_hooks,
                  "beforeShellExecution, beforeMCPExecution, beforeReadFile and preToolUse",
                  cursor_members, 1},
};

/* ---- detection (agent-hooks.md §10.5; never from environment variables) ---- */

static int has(json_object *o, const char *key)
{
    return json_object_object_get_ex(o, key, NULL);
}

static int has_any(json_object *o, const char *const *keys)
{
    for (; *keys; keys++)
        if (has(o, *keys))
            return 1;
    return 0;
}

static int name_in(const char *s, const char *const *names)
{
    for (; s && *names; names++)
        if (strcmp(s, *names) == 0)
            return 1;
    return 0;
}

static const char *const cursor_marks[] = {"conversation_id", "workspace_roots", "cursor_version",
                                           "generation_id", NULL};
static const char *const cursor_events[] = {
    "beforeShellExecution", "afterShellExecution", "beforeMCPExecution", "afterMCPExecution",
    "beforeReadFile",       "afterFileEdit",       "beforeSubmitPrompt", "beforeTabFileRead",
    "afterTabFileEdit",     "afterAgentResponse",  "afterAgentThought",  NULL};
static const char *const camel_marks[] = {"toolName", "toolArgs",  "toolInput",
                                          "hookName", "sessionId", NULL};
static const char *const gemini_events[] = {"BeforeTool",          "AfterTool",   "BeforeAgent",
                                            "AfterAgent",          "BeforeModel", "AfterModel",
                                            "BeforeToolSelection", "PreCompress", NULL};

static const dialect_def *detect(json_object *root)
{
    const char *hook = pe_json_str(root, "hook_event_name", NULL);
    if (has_any(root, cursor_marks) || name_in(hook, cursor_events))
        return &dialects[D_CURSOR];
    if (has_any(root, camel_marks))
        return &dialects[D_COPILOT_CAMEL];
    if (name_in(hook, gemini_events) || has(root, "mcp_context"))
        return &dialects[D_GEMINI];
    if (!hook)
        return NULL;
    if (has(root, "turn_id") || has(root, "model"))
        return &dialects[D_CODEX];
    /* Copilot's VS Code-compatible dialect stamps a timestamp and, unlike
     * Claude Code and Gemini, sends no tool_use_id and no transcript_path. */
    if (has(root, "timestamp") && !has(root, "tool_use_id") && !has(root, "transcript_path"))
        return &dialects[D_COPILOT_VSCODE];
    return &dialects[D_CLAUDE];
}

/* The dialect of an explicitly named agent; NULL when the payload's shape
 * does not fit it at all. */
static const dialect_def *named(json_object *root, const char *agent)
{
    if (strcmp(agent, "copilot") == 0) {
        if (has_any(root, camel_marks))
            return &dialects[D_COPILOT_CAMEL];
        return has(root, "hook_event_name") ? &dialects[D_COPILOT_VSCODE] : NULL;
    }
    for (size_t i = 0; i < sizeof(dialects) / sizeof(dialects[0]); i++)
        if (strcmp(dialects[i].agent, agent) == 0)
            return has(root, "hook_event_name") ? &dialects[i] : NULL;
    return NULL;
}

/* " (it looks like a <agent> payload)" when detection disagrees with agent. */
static const char *hint(json_object *root, const char *agent, char *buf, size_t n)
{
    const dialect_def *d = detect(root);
    buf[0] = '\0';
    if (d && strcmp(d->agent, agent) != 0)
        snprintf(buf, n, " (it looks like a %s payload)", d->agent);
    return buf;
}

/* ---- typed member access ---- */

static const char *json_kind(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        return "null";
    case json_type_boolean:
        return "a boolean";
    case json_type_int:
    case json_type_double:
        return "a number";
    case json_type_string:
        return "a string";
    case json_type_array:
        return "an array";
    case json_type_object:
        return "an object";
    }
    return "a value";
}

static int wrong_type(pe_build *b, const char *key, json_object *v, const char *expected)
{
    return pe_fail(b->err, PREMPTI_E_EVENT, "EVENT_BAD_MEMBER", "member '%s' is %s, expected %s",
                   key, json_kind(v), expected);
}

/*
 * A member that must be of `type` when present. Returns 0 with *out NULL when
 * it is absent or null, 0 with *out set, or an error naming what was expected.
 */
static int opt_member(pe_build *b, json_object *obj, const char *key, json_type type,
                      const char *expected, json_object **out)
{
    *out = NULL;
    json_object *v;
    if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null))
        return PREMPTI_OK;
    if (!json_object_is_type(v, type))
        return wrong_type(b, key, v, expected);
    *out = v;
    return PREMPTI_OK;
}

/* Names, ids and paths may not hide text behind a NUL, which C string
 * comparisons and system calls (and the agents' own lookups) stop at. */
static int no_nul(pe_build *b, const char *key, const char *s, size_t len)
{
    if (s && memchr(s, '\0', len))
        return pe_fail(b->err, PREMPTI_E_EVENT, "EVENT_BAD_MEMBER",
                       "member '%s' contains a NUL character", key);
    return PREMPTI_OK;
}

static int opt_str(pe_build *b, json_object *obj, const char *key, const char **s, size_t *len)
{
    json_object *v;
    int rc = opt_member(b, obj, key, json_type_string, "a string", &v);
    *s = v ? json_object_get_string(v) : NULL;
    *len = v ? (size_t)json_object_get_string_len(v) : 0;
    return rc ? rc : no_nul(b, key, *s, *len);
}

static int req_str(pe_build *b, json_object *obj, const char *key, const char **s, size_t *len)
{
    int rc = opt_str(b, obj, key, s, len);
    if (!rc && (!*s || !*len))
        rc = pe_fail(b->err, PREMPTI_E_EVENT, "EVENT_MISSING_MEMBER",
                     "the payload has no %s (a non-empty string)", key);
    return rc;
}

static int copy_members(pe_build *b, const member_map *map)
{
    for (; map->key; map++) {
        const char *s;
        size_t len;
        int rc = opt_str(b, b->payload, map->key, &s, &len);
        if (rc)
            return rc;
        if (s && !b->base->present[map->field] && pe_build_set(b, b->base, map->field, s, len))
            return pe_build_oom(b);
    }
    return PREMPTI_OK;
}

/* ---- the tool input ---- */

/* JSON inside a string is decoded; text that is not JSON stays the string. */
static int decode_text_input(pe_build *b, json_object *s, const char *key)
{
    json_object *parsed;
    int rc = pe_json_parse(&parsed, json_object_get_string(s),
                           (size_t)json_object_get_string_len(s), b->max_depth, 1, key, b->err);
    if (rc < 0)
        return rc;
    if (rc == 1) {
        b->tool_input = s;
        return PREMPTI_OK;
    }
    if (pe_build_own(b, parsed))
        return pe_build_oom(b);
    b->tool_input = parsed;
    return PREMPTI_OK;
}

static int take_input(pe_build *b, const char *key, int may_be_text)
{
    json_object *in;
    if (!json_object_object_get_ex(b->payload, key, &in) || json_object_is_type(in, json_type_null))
        return PREMPTI_OK;
    if (json_object_is_type(in, json_type_object)) {
        b->tool_input = in;
        return PREMPTI_OK;
    }
    if (may_be_text && json_object_is_type(in, json_type_string))
        return decode_text_input(b, in, key);
    return wrong_type(b, key, in, may_be_text ? "an object or a JSON string" : "an object");
}

/* A tool input made of some top-level members (Cursor's granular events). */
static int input_from_members(pe_build *b, const char *const *keys)
{
    json_object *in = json_object_new_object();
    if (!in || pe_build_own(b, in))
        return pe_build_oom(b);
    for (; *keys; keys++) {
        json_object *v;
        if (json_object_object_get_ex(b->payload, *keys, &v) &&
            json_object_object_add(in, *keys, json_object_get(v)))
            return pe_build_oom(b);
    }
    b->tool_input = in;
    return PREMPTI_OK;
}

/* ---- MCP calls described by the payload rather than the tool name ---- */

static int set_member(pe_build *b, json_object *obj, const char *key, pe_field_id id)
{
    const char *s;
    size_t len;
    int rc = opt_str(b, obj, key, &s, &len);
    if (!rc && s && !b->base->present[id] && pe_build_set(b, b->base, id, s, len))
        rc = pe_build_oom(b);
    return rc;
}

static int gemini_mcp_context(pe_build *b)
{
    json_object *ctx;
    int rc = opt_member(b, b->payload, "mcp_context", json_type_object, "an object", &ctx);
    if (rc || !ctx)
        return rc;
    b->is_mcp = 1;
    static const struct {
        const char *key;
        pe_field_id id;
    } m[] = {{"server_name", PE_F_MCP_SERVER},
             {"tool_name", PE_F_MCP_TOOL},
             {"url", PE_F_MCP_ENDPOINT},
             {"command", PE_F_MCP_ENDPOINT},
             {"tcp", PE_F_MCP_ENDPOINT}};
    for (size_t i = 0; !rc && i < sizeof(m) / sizeof(m[0]); i++)
        rc = set_member(b, ctx, m[i].key, m[i].id);
    return rc;
}

/* Cursor's beforeMCPExecution: mcp.tool comes from the tool name (tool.c). */
static int cursor_mcp(pe_build *b)
{
    b->is_mcp = 1;
    int rc = set_member(b, b->payload, "url", PE_F_MCP_ENDPOINT);
    return rc ? rc : set_member(b, b->payload, "command", PE_F_MCP_ENDPOINT);
}

/* Cursor's workspace_roots: a list field, and the cwd when none is sent. */
static int cursor_roots(pe_build *b)
{
    json_object *roots;
    int rc = opt_member(b, b->payload, "workspace_roots", json_type_array, "an array of strings",
                        &roots);
    if (rc || !roots)
        return rc;
    size_t n = json_object_array_length(roots);
    pe_str *items = pe_arena_alloc(&b->ev->arena, (n ? n : 1) * sizeof(*items));
    if (!items)
        return pe_build_oom(b);
    for (size_t i = 0; i < n; i++) {
        json_object *r = json_object_array_get_idx(roots, i);
        if (!json_object_is_type(r, json_type_string))
            return wrong_type(b, "workspace_roots[]", r, "a string");
        items[i].s = json_object_get_string(r); /* the payload outlives the views */
        items[i].len = (size_t)json_object_get_string_len(r);
        if ((rc = no_nul(b, "workspace_roots[]", items[i].s, items[i].len)))
            return rc;
    }
    pe_view *v = b->base;
    v->v[PE_F_AGENT_WORKSPACE_ROOTS].items = items;
    v->v[PE_F_AGENT_WORKSPACE_ROOTS].nitems = n;
    v->present[PE_F_AGENT_WORKSPACE_ROOTS] = 1;
    if (n && !v->present[PE_F_AGENT_CWD] &&
        pe_build_set(b, v, PE_F_AGENT_CWD, items[0].s, items[0].len))
        return pe_build_oom(b);
    return PREMPTI_OK;
}

/* ---- putting it together ---- */

static const hook_def *find_hook(const dialect_def *d, const char *name)
{
    for (const hook_def *h = d->hooks; h->name; h++)
        if (strcmp(h->name, name) == 0)
            return h;
    return NULL;
}

/* The hook event as the agent spells it; Copilot's camelCase payload only
 * names permissionRequest (hookName) and is a preToolUse otherwise. */
static int hook_name(pe_build *b, const dialect_def *d, const char **hook, size_t *len)
{
    if (d->shape != SHAPE_CAMEL)
        return req_str(b, b->payload, "hook_event_name", hook, len);
    int rc = opt_str(b, b->payload, "hookName", hook, len);
    if (!rc && !*hook) {
        *hook = "preToolUse";
        *len = strlen(*hook);
    }
    return rc;
}

static int tool_name_and_input(pe_build *b, const dialect_def *d, const hook_def *h)
{
    static const char *const shell_members[] = {"command", "cwd", "sandbox", NULL};
    static const char *const read_members[] = {"file_path", "attachments", NULL};
    const char *tool;
    size_t len;
    int rc;
    switch (h->kind) {
    case H_CURSOR_SHELL:
        /* Cursor's granular events carry no tool name: name them after the
         * preToolUse tool they correspond to, so one rule covers both. */
        if ((rc = req_str(b, b->payload, "command", &tool, &len)))
            return rc;
        tool = "Shell";
        rc = input_from_members(b, shell_members);
        break;
    case H_CURSOR_READ:
        if ((rc = req_str(b, b->payload, "file_path", &tool, &len)))
            return rc;
        tool = "Read";
        rc = input_from_members(b, read_members);
        break;
    default:
        if ((rc = req_str(b, b->payload, d->shape == SHAPE_CAMEL ? "toolName" : "tool_name", &tool,
                          &len)))
            return rc;
        if (d->shape == SHAPE_CAMEL)
            rc = has(b->payload, "toolArgs") ? take_input(b, "toolArgs", 1)
                                             : take_input(b, "toolInput", 1);
        else
            rc = take_input(b, "tool_input", d->input_may_be_text);
        if (!rc && h->kind == H_CURSOR_MCP)
            rc = cursor_mcp(b);
        break;
    }
    if (!rc && pe_build_set_cstr(b, b->base, PE_F_TOOL_NAME, tool))
        rc = pe_build_oom(b);
    return rc;
}

static int choose(pe_build *b, const char *agent, const dialect_def **out)
{
    char buf[64];
    const char *hook;
    size_t len;
    int rc = opt_str(b, b->payload, "hook_event_name", &hook, &len);
    if (rc)
        return rc; /* before detection, which needs it to be a string */
    if (!agent[0]) {
        *out = detect(b->payload);
        if (!*out)
            return pe_fail(b->err, PREMPTI_E_UNSUPPORTED, "EVENT_UNKNOWN_AGENT",
                           "cannot tell which agent sent this payload (no hook_event_name, "
                           "toolName or other known member); set the agent option "
                           "(claude_code, codex, copilot, gemini or cursor)");
        return PREMPTI_OK;
    }
    *out = named(b->payload, agent);
    if (!*out)
        return pe_fail(b->err, PREMPTI_E_EVENT, "EVENT_WRONG_AGENT",
                       "the payload does not fit agent '%s': it has no %s%s", agent,
                       strcmp(agent, "copilot") == 0 ? "toolName or hook_event_name"
                                                     : "hook_event_name",
                       hint(b->payload, agent, buf, sizeof(buf)));
    return PREMPTI_OK;
}

int pe_dialect_apply(pe_build *b, const char *agent)
{
    if (pe_neutral_wanted(b->payload, agent))
        return pe_neutral_apply(b);
    const dialect_def *d;
    int rc = choose(b, agent, &d);
    if (rc)
        return rc;
    const char *hook;
    size_t hlen;
    if ((rc = hook_name(b, d, &hook, &hlen)))
        return rc;
    const hook_def *h = find_hook(d, hook);
    if (!h) {
        char buf[64];
        return pe_fail(b->err, PREMPTI_E_UNSUPPORTED, "EVENT_UNSUPPORTED_HOOK",
                       "%s hook event '%s' is not supported; libprempti handles %s%s", d->agent,
                       hook, d->hook_list, hint(b->payload, d->agent, buf, sizeof(buf)));
    }
    pe_view *v = b->base;
    b->ev->agent = d->agent;
    if (pe_build_set(b, v, PE_F_AGENT_HOOK_EVENT_NAME, hook, hlen) ||
        pe_build_set_cstr(b, v, PE_F_AGENT_NAME, d->agent) ||
        pe_build_set_cstr(b, v, PE_F_AGENT_DIALECT, d->name))
        return pe_build_oom(b);
    b->ev->hook = v->v[PE_F_AGENT_HOOK_EVENT_NAME].str.s;
    if ((rc = copy_members(b, d->members)))
        return rc;
    if (d->shape == SHAPE_CURSOR && (rc = cursor_roots(b)))
        return rc;
    if ((rc = tool_name_and_input(b, d, h)))
        return rc;
    if (strcmp(d->agent, "gemini") == 0)
        rc = gemini_mcp_context(b);
    return rc;
}

/* ---- shared with the neutral shape (neutral.c) ---- */

int pe_dialect_member(pe_build *b, json_object *obj, const char *key, json_type type,
                      const char *expected, json_object **out)
{
    return opt_member(b, obj, key, type, expected, out);
}

int pe_dialect_str(pe_build *b, json_object *obj, const char *key, const char **s, size_t *len)
{
    return opt_str(b, obj, key, s, len);
}
