/* Hook payloads made or adjusted by the tools (prempti eval --event, the
 * short form of prempti test cases). */
#ifndef PT_PAYLOAD_H
#define PT_PAYLOAD_H

#include <stddef.h>

struct json_object;

/*
 * Sets the hook event of a payload in the member its agent carries it in:
 * hook_event_name, or for a Copilot camelCase payload (agent "copilot" or
 * unknown, with a camelCase member such as toolName) hookName - which
 * preToolUse, the event without a hookName, removes.
 */
int pt_payload_set_event(struct json_object *payload, const char *agent, const char *event,
                         char **errmsg);

/*
 * A new pre-tool payload of agent (claude_code, codex, copilot, gemini,
 * cursor) for a call of tool with input (an object, or a string; borrowed)
 * in directory cwd, for hook event (NULL: the agent's pre-tool event).
 * NULL on failure, with *errmsg set.
 */
struct json_object *pt_payload_build(const char *agent, const char *tool, struct json_object *input,
                                     const char *cwd, const char *event, char **errmsg);

/* Compact JSON text of o (no escaped '/'); new string, free() it. */
char *pt_json_text(struct json_object *o);

/* Parses exactly len bytes of text as one JSON value; NULL with *errmsg set. */
struct json_object *pt_json_parse(const char *text, size_t len, char **errmsg);

#endif
