/*
 * Agent dialects: each agent's hook payload is mapped onto the common
 * agent.* fields and a tool name + tool input object.
 */
#include <string.h>

#include "error_internal.h"
#include "event/build.h"

const char *pe_dialect_detect(json_object *root)
{
    if (pe_json_str(root, "hook_event_name", NULL) && pe_json_str(root, "tool_name", NULL))
        return "claude_code";
    return NULL;
}

/* Copies the string members named in map into fields of the base view. */
typedef struct member_map {
    const char *key;
    pe_field_id field;
} member_map;

static int copy_members(pe_build *b, const member_map *map)
{
    for (; map->key; map++) {
        size_t len;
        const char *s = pe_json_str(b->payload, map->key, &len);
        if (s && pe_build_set(b, b->base, map->field, s, len))
            return pe_fail(b->err, PREMPTI_E_NOMEM, "", "out of memory");
    }
    return PREMPTI_OK;
}

static const member_map snake_case_members[] = {
    {"hook_event_name", PE_F_AGENT_HOOK_EVENT_NAME},
    {"session_id", PE_F_AGENT_SESSION_ID},
    {"permission_mode", PE_F_AGENT_PERMISSION_MODE},
    {"transcript_path", PE_F_AGENT_TRANSCRIPT_PATH},
    {"model", PE_F_AGENT_MODEL},
    {"turn_id", PE_F_AGENT_TURN_ID},
    {"cwd", PE_F_AGENT_CWD},
    {"tool_use_id", PE_F_TOOL_USE_ID},
    {"tool_name", PE_F_TOOL_NAME},
    {"agent_id", PE_F_AGENT_ID},
    {"agent_type", PE_F_AGENT_TYPE},
    {NULL, 0},
};

int pe_dialect_apply(pe_build *b, const char *agent)
{
    if (strcmp(agent, "claude_code") != 0)
        return pe_fail(b->err, PREMPTI_E_UNSUPPORTED, "EVENT_UNKNOWN_AGENT",
                       "agent '%s' is not supported", agent);
    b->ev->agent = "claude_code";
    size_t tlen;
    const char *tool = pe_json_str(b->payload, "tool_name", &tlen);
    if (!tool || !tlen)
        return pe_fail(b->err, PREMPTI_E_EVENT, "EVENT_NO_TOOL_NAME",
                       "the payload has no tool_name string");
    int rc = copy_members(b, snake_case_members);
    if (rc)
        return rc;
    b->ev->hook = b->base->v[PE_F_AGENT_HOOK_EVENT_NAME].str.s;
    if (pe_build_set_cstr(b, b->base, PE_F_AGENT_NAME, b->ev->agent) ||
        pe_build_set_cstr(b, b->base, PE_F_AGENT_DIALECT, "claude_code"))
        return pe_fail(b->err, PREMPTI_E_NOMEM, "", "out of memory");
    json_object *in;
    if (json_object_object_get_ex(b->payload, "tool_input", &in) && in &&
        !json_object_is_type(in, json_type_null)) {
        if (!json_object_is_type(in, json_type_object))
            return pe_fail(b->err, PREMPTI_E_EVENT, "EVENT_BAD_TOOL_INPUT",
                           "tool_input is not a JSON object");
        b->tool_input = in;
    }
    return PREMPTI_OK;
}
