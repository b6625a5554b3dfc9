/*
 * prempti/event.h - turning an agent's hook payload into an event.
 *
 * prempti_event_from_json() understands the pre-tool hook payloads of Claude
 * Code, Codex, GitHub Copilot CLI, Gemini CLI and Cursor, and normalises them
 * into the fields rules match on (docs/fields.md). Everything that needs the
 * outside world - resolving paths through symlinks, the home directory -
 * happens here, so that evaluation never touches the filesystem.
 *
 * An event is immutable once built and may be shared between threads.
 */
#ifndef PREMPTI_EVENT_H
#define PREMPTI_EVENT_H

#include "prempti/common.h"
#include "prempti/error.h"

PREMPTI_BEGIN_DECL

/**
 * Parses a hook payload.
 * @param[out] out receives a new event; release it with prempti_event_free().
 * @param cfg event options (may be NULL): "agent" names the dialect (detected
 *        from the payload's shape when empty), "paths", "home", "agent_pid",
 *        size and depth limits; see prempti/config.h.
 * @param json the payload (copied; need not be NUL-terminated).
 * @return PREMPTI_OK; PREMPTI_E_JSON (not JSON, invalid UTF-8, a NUL byte,
 *         a NUL character in an object key), PREMPTI_E_EVENT (wrong shape:
 *         no tool name, a member of the wrong type, a payload that does not
 *         fit the named agent, or a malformed apply_patch - its message
 *         starts with "apply_patch parse error"), PREMPTI_E_UNSUPPORTED (the
 *         agent cannot be told, or a hook event that is not a pre-tool gate),
 *         PREMPTI_E_LIMIT (too large, too deep, a patch touching too many
 *         files), PREMPTI_E_NOMEM, PREMPTI_E_INVALID_ARG (out or json NULL).
 *         On failure *out is NULL. The error message names the problem.
 *         docs/agents.md lists the hook events handled per agent.
 */
PREMPTI_API int prempti_event_from_json(prempti_event **out, const prempti_config *cfg,
                                        const char *json, size_t len, prempti_error **err);

/** Releases an event. Accepts NULL. */
PREMPTI_API void prempti_event_free(prempti_event *event);

/**
 * The agent the payload came from: "claude_code", "codex", "copilot",
 * "gemini" or "cursor", or the agent name of an event in the neutral shape.
 * Borrowed; never NULL ("" for NULL).
 */
PREMPTI_API const char *prempti_event_agent(const prempti_event *event);

/** The hook event name as the agent spelled it, e.g. "PreToolUse"; "" for an
 *  event in the neutral shape and for NULL. Borrowed; never NULL. */
PREMPTI_API const char *prempti_event_hook(const prempti_event *event);

/**
 * The value of a field for this event as text, the way an output renders it
 * (numbers in decimal, lists as "(a,b)"); for fields that take an argument
 * write it in the name, e.g. "tool.input[command]". For a patch touching
 * several files (evaluated once per file) this is the first file's value.
 * Receives a new string in *out (release with prempti_free()), or NULL when
 * the field has no value for this event.
 * @return PREMPTI_OK; PREMPTI_E_UNSUPPORTED for an unknown field name;
 *         PREMPTI_E_INVALID_ARG (out, event or field NULL); PREMPTI_E_NOMEM.
 */
PREMPTI_API int prempti_event_field(char **out, const prempti_event *event, const char *field,
                                    prempti_error **err);

PREMPTI_END_DECL

#endif /* PREMPTI_EVENT_H */
