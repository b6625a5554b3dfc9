/*
 * The neutral event shape (docs/embedding.md): for harnesses that have no
 * agent hook payload to pass. The caller names the tool's kind, so rules
 * written on tool.kind apply to tools of any name, and names the agent
 * itself:
 *
 *   {"agent": "acme", "cwd": "/home/me/project", "session_id": "s1",
 *    "tool": {"kind": "shell", "name": "run", "input": {"command": "make"},
 *             "id": "call_1"}}
 *
 * Which input members hold the command, the path, the URL... is fixed per
 * kind (the table below), the way tools.c fixes it per agent tool name.
 */
#include <string.h>

#include "error_internal.h"
#include "event/build.h"
#include "event/tools.h"

#define K(...) ((const char *const[]){__VA_ARGS__, NULL})

#define PATH K("file_path", "path")

/* name (the kind's), kind, command, path, cwd, url, query, prompt, subagent,
 * url_in_prompt - as in tools.c, one row per kind, in pe_kind order. */
static const pe_tool_spec kinds[] = {
    {"shell", PE_KIND_SHELL, K("command", "cmd"), NULL, K("cwd", "workdir"), NULL, NULL, NULL, NULL,
     0},
    {"read", PE_KIND_READ, NULL, PATH, NULL, NULL, NULL, NULL, NULL, 0},
    {"write", PE_KIND_WRITE, NULL, PATH, NULL, NULL, NULL, NULL, NULL, 0},
    {"edit", PE_KIND_EDIT, NULL, PATH, NULL, NULL, NULL, NULL, NULL, 0},
    {"patch", PE_KIND_PATCH, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0},
    {"search", PE_KIND_SEARCH, NULL, K("path", "file_path"), NULL, NULL, K("pattern", "query"),
     NULL, NULL, 0},
    {"web", PE_KIND_WEB, NULL, NULL, NULL, K("url"), K("query"), K("prompt"), NULL, 0},
    {"mcp", PE_KIND_MCP, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0},
    {"agent", PE_KIND_AGENT, NULL, NULL, NULL, NULL, NULL, K("prompt"),
     K("subagent_type", "agent_type"), 0},
    {"other", PE_KIND_OTHER, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* Top-level members copied to agent.* fields. */
static const struct {
    const char *key;
    pe_field_id field;
} members[] = {
    {"cwd", PE_F_AGENT_CWD},
    {"session_id", PE_F_AGENT_SESSION_ID},
    {"turn_id", PE_F_AGENT_TURN_ID},
    {"model", PE_F_AGENT_MODEL},
    {"permission_mode", PE_F_AGENT_PERMISSION_MODE},
    {"transcript_path", PE_F_AGENT_TRANSCRIPT_PATH},
};

#define DEFAULT_AGENT "custom"

int pe_neutral_wanted(json_object *payload, const char *agent)
{
    if (strcmp(agent, "neutral") == 0)
        return 1;
    json_object *tool;
    return !agent[0] && json_object_object_get_ex(payload, "tool", &tool) &&
           json_object_is_type(tool, json_type_object);
}

static const pe_tool_spec *find_kind(const char *name)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return &kinds[i];
    return NULL;
}

/* A string member copied to field id of the base view (when present). */
static int copy_str(pe_build *b, json_object *obj, const char *key, pe_field_id id)
{
    const char *s;
    size_t len;
    int rc = pe_dialect_str(b, obj, key, &s, &len);
    if (!rc && s && pe_build_set(b, b->base, id, s, len))
        rc = pe_build_oom(b);
    return rc;
}

static int agent_fields(pe_build *b)
{
    const char *agent;
    size_t len;
    int rc = pe_dialect_str(b, b->payload, "agent", &agent, &len);
    if (rc)
        return rc;
    if (agent && !len)
        return pe_fail(b->err, PREMPTI_E_EVENT, "EVENT_BAD_MEMBER",
                       "member 'agent' is empty; name the agent or leave the member out");
    pe_view *v = b->base;
    if (agent ? pe_build_set(b, v, PE_F_AGENT_NAME, agent, len)
              : pe_build_set_cstr(b, v, PE_F_AGENT_NAME, DEFAULT_AGENT))
        return pe_build_oom(b);
    if (pe_build_set_cstr(b, v, PE_F_AGENT_DIALECT, "neutral"))
        return pe_build_oom(b);
    b->ev->agent = v->v[PE_F_AGENT_NAME].str.s; /* in the event's arena */
    for (size_t i = 0; !rc && i < sizeof(members) / sizeof(members[0]); i++)
        rc = copy_str(b, b->payload, members[i].key, members[i].field);
    return rc;
}

/* tool.kind (optional when the name is a tool libprempti knows) and tool.name
 * (the kind's name when absent). */
static int kind_and_name(pe_build *b, json_object *tool)
{
    const char *kind, *name;
    size_t klen, nlen;
    int rc = pe_dialect_str(b, tool, "kind", &kind, &klen);
    if (!rc)
        rc = pe_dialect_str(b, tool, "name", &name, &nlen);
    if (rc)
        return rc;
    if (kind && !(b->spec = find_kind(kind)))
        return pe_fail(b->err, PREMPTI_E_EVENT, "EVENT_BAD_MEMBER",
                       "tool kind '%s' is not one of shell, read, write, edit, patch, search, "
                       "web, mcp, agent, other",
                       kind);
    if ((!name || !nlen) && !kind)
        return pe_fail(b->err, PREMPTI_E_EVENT, "EVENT_MISSING_MEMBER",
                       "the tool has no kind and no name (non-empty strings)");
    if (!name || !nlen) {
        name = kind;
        nlen = klen;
    }
    if (b->spec && b->spec->kind == PE_KIND_MCP)
        b->is_mcp = 1;
    if (pe_build_set(b, b->base, PE_F_TOOL_NAME, name, nlen))
        return pe_build_oom(b);
    return PREMPTI_OK;
}

int pe_neutral_apply(pe_build *b)
{
    json_object *tool, *input;
    int rc = pe_dialect_member(b, b->payload, "tool", json_type_object, "an object", &tool);
    if (!rc && !tool)
        rc = pe_fail(b->err, PREMPTI_E_EVENT, "EVENT_MISSING_MEMBER",
                     "the payload has no tool (an object with kind, name and input)");
    if (!rc)
        rc = agent_fields(b);
    if (!rc)
        rc = kind_and_name(b, tool);
    if (!rc)
        rc = pe_dialect_member(b, tool, "input", json_type_object, "an object", &input);
    if (rc)
        return rc;
    b->tool_input = input; /* NULL when absent: tool.input is then {} */
    rc = copy_str(b, tool, "id", PE_F_TOOL_USE_ID);
    if (!rc && b->is_mcp)
        rc = copy_str(b, tool, "server", PE_F_MCP_SERVER);
    return rc;
}
