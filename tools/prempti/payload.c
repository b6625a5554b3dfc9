#include <stddef.h>

#include "payload.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "str.h"

#define TEST_SESSION "prempti-test"

static const char *const camel_members[] = {"toolName", "toolArgs",  "toolInput",
                                            "hookName", "sessionId", NULL};

static int is_copilot_camel(json_object *payload, const char *agent)
{
    if (agent && agent[0] && strcmp(agent, "copilot") != 0)
        return 0;
    for (const char *const *m = camel_members; *m; m++)
        if (json_object_object_get_ex(payload, *m, NULL))
            return 1;
    return 0;
}

int pt_payload_set_event(json_object *payload, const char *agent, const char *event, char **errmsg)
{
    if (!json_object_is_type(payload, json_type_object))
        return pt_fail(errmsg, "the payload is not a JSON object");
    const char *member = "hook_event_name";
    if (is_copilot_camel(payload, agent)) {
        member = "hookName";
        if (strcmp(event, "preToolUse") == 0) {
            json_object_object_del(payload, member);
            return 0;
        }
    }
    json_object *v = json_object_new_string(event);
    if (!v || json_object_object_add(payload, member, v)) {
        json_object_put(v);
        return pt_fail(errmsg, "out of memory");
    }
    return 0;
}

static int add(json_object *o, const char *key, json_object *v)
{
    if (!v)
        return -1;
    return json_object_object_add(o, key, v);
}

static int add_str(json_object *o, const char *key, const char *s)
{
    return add(o, key, json_object_new_string(s));
}

/* Claude Code, Codex, Gemini and Cursor: snake case with tool_name and tool_input. */
static int snake_case(json_object *o, const char *agent, const char *tool, json_object *input,
                      const char *cwd)
{
    int rc = 0;
    if (strcmp(agent, "cursor") == 0) {
        json_object *roots = json_object_new_array();
        rc |= add(o, "workspace_roots", roots);
        rc |= roots ? json_object_array_add(roots, json_object_new_string(cwd)) : -1;
        rc |= add_str(o, "conversation_id", TEST_SESSION);
        rc |= add_str(o, "generation_id", "generation-test");
        rc |= add_str(o, "hook_event_name", "preToolUse");
    } else {
        rc |= add_str(o, "session_id", TEST_SESSION);
        rc |= add_str(o, "hook_event_name", strcmp(agent, "gemini") ? "PreToolUse" : "BeforeTool");
    }
    if (strcmp(agent, "codex") == 0) {
        rc |= add_str(o, "turn_id", "turn-test");
        rc |= add_str(o, "model", "gpt-5-codex");
    }
    rc |= add_str(o, "cwd", cwd);
    rc |= add_str(o, "tool_name", tool);
    rc |= add(o, "tool_input", json_object_get(input));
    if (strcmp(agent, "gemini") != 0)
        rc |= add_str(o, "tool_use_id", "toolu_test");
    return rc;
}

/* Copilot CLI's camelCase preToolUse: the arguments as a JSON string. */
static int camel_case(json_object *o, const char *tool, json_object *input, const char *cwd)
{
    int rc = add_str(o, "sessionId", TEST_SESSION);
    rc |= add(o, "timestamp", json_object_new_int64(1704614600000LL));
    rc |= add_str(o, "cwd", cwd);
    rc |= add_str(o, "toolName", tool);
    char *args = json_object_is_type(input, json_type_string)
                     ? pt_strdup(json_object_get_string(input))
                     : pt_json_text(input);
    rc |= args ? add_str(o, "toolArgs", args) : -1;
    free(args);
    return rc;
}

json_object *pt_payload_build(const char *agent, const char *tool, json_object *input,
                              const char *cwd, const char *event, char **errmsg)
{
    static const char *const known[] = {"claude_code", "codex",  "copilot",
                                        "gemini",      "cursor", NULL};
    const char *const *k = known;
    while (*k && strcmp(*k, agent) != 0)
        k++;
    if (!*k) {
        pt_fail(errmsg, "unknown agent '%s' (use claude_code, codex, copilot, gemini or cursor)",
                agent);
        return NULL;
    }
    json_object *o = json_object_new_object();
    int rc = !o;
    if (!rc)
        rc = strcmp(agent, "copilot") == 0 ? camel_case(o, tool, input, cwd)
                                           : snake_case(o, agent, tool, input, cwd);
    if (rc) {
        json_object_put(o);
        pt_fail(errmsg, "out of memory");
        return NULL;
    }
    if (event && pt_payload_set_event(o, agent, event, errmsg)) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

char *pt_json_text(json_object *o)
{
    return pt_strdup(
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

json_object *pt_json_parse(const char *text, size_t len, char **errmsg)
{
    if (len > 0x7fffffff) {
        pt_fail(errmsg, "JSON text too large");
        return NULL;
    }
    json_tokener *tok = json_tokener_new();
    if (!tok) {
        pt_fail(errmsg, "out of memory");
        return NULL;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    json_object *o = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error e = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    while (o && end < len && strchr(" \t\r\n", text[end]))
        end++;
    if (!o || e != json_tokener_success || end != len) {
        if (e == json_tokener_success && o)
            pt_fail(errmsg, "unexpected text after the JSON value at byte %zu", end + 1);
        else
            pt_fail(errmsg, "invalid JSON at byte %zu: %s", end + 1,
                    e == json_tokener_continue ? "unexpected end of input"
                                               : json_tokener_error_desc(e));
        json_object_put(o);
        o = NULL;
    }
    json_tokener_free(tok);
    return o;
}
