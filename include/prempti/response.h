/*
 * prempti/response.h - answering the agent, and recording what happened.
 *
 * A result knows which agent and hook event its event came from, so it can
 * be rendered as the exact stdout text, stderr text and exit code that agent
 * expects (Claude Code, Codex, Copilot CLI, Gemini CLI, Cursor). The same
 * table serves the reference hook adapter, the bindings and any harness;
 * docs/responses.md lists every answer and why it is so.
 *
 * Failures never become an allow: prempti_response_for_error() renders the
 * agent's blocking form (fail closed), or - only when asked to fail open -
 * prints nothing, which lets the agent's own permission flow go on.
 *
 * None of these functions is part of evaluation: prempti_audit_record()
 * reads the clock and prempti_audit_append() writes a file. All are
 * thread-safe on distinct output objects.
 */
#ifndef PREMPTI_RESPONSE_H
#define PREMPTI_RESPONSE_H

#include "prempti/common.h"
#include "prempti/error.h"

PREMPTI_BEGIN_DECL

/** What to print and how to exit, for one agent hook invocation. */
typedef struct prempti_response prempti_response;

/**
 * Serialises a result as one compact JSON object (no trailing newline):
 *   {"decision", "would_be", "mode": "guardrails"|"monitor", "reason",
 *    "correlation_id": decimal string, "agent", "hook_event", "session_id",
 *    "tool": {"name", "use_id"}, "cwd",
 *    "deciding_match": index or null, "deciding_rule": name or null,
 *    "matches": [{"rule", "priority" (Falco's name, e.g. "Critical"),
 *                 "decision", "tags", "output", "output_fields"}]}
 * output_fields maps each field the rule's output uses, as written (e.g.
 * "tool.input[command]"), to its value: a string, a number, a boolean, an
 * array of strings, or null when the field has no value. Text is UTF-8
 * (invalid bytes become U+FFFD); '/' is never escaped.
 * @param[out] out receives a new NUL-terminated string; release it with
 *             prempti_free().
 * @return PREMPTI_OK, PREMPTI_E_NOMEM, PREMPTI_E_INVALID_ARG (out or result
 *         NULL). On failure *out is NULL.
 */
PREMPTI_API int prempti_result_to_json(char **out, const prempti_result *result,
                                       prempti_error **err);

/**
 * Renders a result for the agent and hook event of its event, from its
 * decision and reason (in monitor mode the decision is defer, so nothing
 * of the would-be decision reaches the agent).
 * @param[out] out receives a new response; release it with
 *             prempti_response_free().
 * An event in the neutral shape has no hook event: it is answered on its
 * agent's pre-tool event when its agent name is one of the five (see
 * prempti_response_render() for other agents).
 * @return PREMPTI_OK; PREMPTI_E_UNSUPPORTED when the agent or hook event is
 *         not one libprempti can answer (the message says so: answer with
 *         prempti_response_for_error() then); PREMPTI_E_INVALID_ARG (out or
 *         result NULL); PREMPTI_E_NOMEM. On failure *out is NULL.
 */
PREMPTI_API int prempti_response_new(prempti_response **out, const prempti_result *result,
                                     prempti_error **err);

/**
 * Renders a decision for an agent and hook event of the caller's choosing,
 * exactly as prempti_response_new() renders a result of that agent's event:
 * to answer an agent about an event built in the neutral shape
 * (docs/embedding.md), or about a decision reached some other way.
 * agent is one of "claude_code", "codex", "copilot", "gemini", "cursor";
 * hook_event NULL or "" means the agent's pre-tool event ("PreToolUse" for
 * Claude Code and Codex, "preToolUse" for Copilot CLI and Cursor,
 * "BeforeTool" for Gemini CLI). reason (NUL-terminated; NULL counts as "")
 * is what the model is told; a blocking answer with an empty reason gets a
 * default one. user_text is what goes in the fields the agent shows the
 * user (prempti_response_new() puts the deciding rule's "<rule>: <output>"
 * there, without the suffix written for the model); NULL or "": the
 * reason. decision is an enum prempti_decision value.
 * @param[out] out receives a new response; release it with
 *             prempti_response_free().
 * @return PREMPTI_OK; PREMPTI_E_UNSUPPORTED (an unknown agent, or a hook
 *         event the agent cannot be answered on); PREMPTI_E_INVALID_ARG
 *         (out NULL, decision out of range); PREMPTI_E_NOMEM. On failure
 *         *out is NULL.
 */
PREMPTI_API int prempti_response_render(prempti_response **out, const char *agent,
                                        const char *hook_event, int decision, const char *reason,
                                        const char *user_text, prempti_error **err);

/**
 * Renders the answer to give when no result could be obtained (a payload
 * that cannot be parsed, rules that fail to load, an evaluation error, an
 * unsupported hook event). agent and hook_event may be NULL or "" when
 * unknown; message (NUL-terminated, may be NULL) is shown to the agent and
 * the user as "prempti: <message>".
 * With fail_open 0 the answer blocks the tool call in the agent's blocking
 * form (exit status 2 with the message on stderr, or the agent's deny JSON
 * where exit codes do not block); an unknown hook event gets the agent's
 * most general block. With fail_open non-zero nothing is printed and the
 * exit status is 0 (the agent's "no decision"), never an allow. An agent
 * that is not known always gets exit status 2 with the message on stderr.
 * @param[out] out receives a new response; release it with
 *             prempti_response_free().
 * @return PREMPTI_OK, PREMPTI_E_NOMEM, PREMPTI_E_INVALID_ARG (out NULL).
 */
PREMPTI_API int prempti_response_for_error(prempti_response **out, const char *agent,
                                           const char *hook_event, const char *message,
                                           int fail_open, prempti_error **err);

/** Text for standard output ("" for none, and for NULL). Borrowed; never NULL. */
PREMPTI_API const char *prempti_response_stdout(const prempti_response *response);

/** Text for standard error ("" for none, and for NULL). Borrowed; never NULL. */
PREMPTI_API const char *prempti_response_stderr(const prempti_response *response);

/** The exit status the hook process must end with (2 for a NULL response). */
PREMPTI_API int prempti_response_exit_code(const prempti_response *response);

/** Releases a response. Accepts NULL. */
PREMPTI_API void prempti_response_free(prempti_response *response);

/**
 * Builds an audit record: one JSON line, ending in "\n":
 *   {"time" (UTC ISO 8601 with nanoseconds, read from the clock now), the
 *    keys of prempti_result_to_json() from "decision" to "deciding_rule",
 *    "latency_ns" (given by the caller), "matches"}
 * where each match has the shape of a Falco JSON alert (keys hostname,
 * output, output_fields, priority, rule, source "coding_agent", tags, time)
 * so Falco tooling can forward it; its output_fields also carry
 * correlation.id and evt.time.iso8601, as upstream alerts do.
 * @param[out] out receives a new string; release it with prempti_free().
 * @return PREMPTI_OK, PREMPTI_E_NOMEM, PREMPTI_E_INVALID_ARG (out or result
 *         NULL).
 */
PREMPTI_API int prempti_audit_record(char **out, const prempti_result *result,
                                     uint64_t latency_ns, prempti_error **err);

/**
 * Appends a record to an audit log with a single write(2) on a file opened
 * with O_APPEND (created with mode 0600; an existing file keeps its mode),
 * so records from many processes appending at once never interleave. path
 * is NUL-terminated; record is a JSON text of len bytes that must be one
 * line ending in "\n" (as prempti_audit_record() makes them). Every '$'
 * and '`' of it is written as the JSON escape \u0024 / \u0060 (same JSON,
 * but no line of the log means anything to a shell).
 * The log is refused (PREMPTI_E_IO, error kind "AUDIT_UNSAFE") when it is
 * a symbolic link, not a regular file (a FIFO or device: the open never
 * waits), a file with more than one name (a hard link), or owned by another
 * user. The directory is the caller's to check.
 * @return PREMPTI_OK; PREMPTI_E_INVALID_ARG (NULL or empty path, a record
 *         that is not one line); PREMPTI_E_IO (the message names the path
 *         and the reason; a short write is an error and is never completed
 *         by a second write); PREMPTI_E_NOMEM.
 */
PREMPTI_API int prempti_audit_append(const char *path, const char *record, size_t len,
                                     prempti_error **err);

PREMPTI_END_DECL

#endif /* PREMPTI_RESPONSE_H */
