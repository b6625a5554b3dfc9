/*
 * prempti/response.h - answering the agent, and recording what happened.
 *
 * A result knows which agent and hook event its event came from, so it can
 * be rendered as the exact stdout text, stderr text and exit code that agent
 * expects (Claude Code, Codex, Copilot CLI, Gemini CLI, Cursor). The same
 * table serves the reference hook adapter, the bindings and any harness.
 *
 * Failures never become an allow: prempti_response_for_error() renders the
 * agent's blocking form (fail closed), or - only when asked to fail open -
 * defer, which lets the agent's own permission flow go on.
 */
#ifndef PREMPTI_RESPONSE_H
#define PREMPTI_RESPONSE_H

#include "prempti/common.h"
#include "prempti/error.h"

PREMPTI_BEGIN_DECL

/** What to print and how to exit, for one agent hook invocation. */
typedef struct prempti_response prempti_response;

/**
 * Serialises a result as one JSON object:
 * {"decision", "would_be", "mode", "reason", "correlation_id", "agent",
 *  "hook_event", "session_id", "tool", "deciding_match",
 *  "matches": [{"rule", "priority", "decision", "tags", "output",
 *               "output_fields"}]}.
 * @param[out] out receives a new NUL-terminated string; release it with
 *             prempti_free().
 * @return PREMPTI_OK, PREMPTI_E_NOMEM, PREMPTI_E_INVALID_ARG.
 */
PREMPTI_API int prempti_result_to_json(char **out, const prempti_result *result,
                                       prempti_error **err);

/**
 * Renders a result for the agent and hook event of its event.
 * @param[out] out receives a new response; release it with
 *             prempti_response_free().
 * @return PREMPTI_OK; PREMPTI_E_UNSUPPORTED when the hook event is not one
 *         this agent can be answered on (the message says so); PREMPTI_E_NOMEM.
 */
PREMPTI_API int prempti_response_new(prempti_response **out, const prempti_result *result,
                                     prempti_error **err);

/**
 * Renders the answer to give when no result could be obtained (a payload
 * that cannot be parsed, rules that fail to load, an evaluation error).
 * agent and hook_event may be NULL or "" when unknown; message (NUL-
 * terminated) is shown to the agent and the user.
 * With fail_open 0 the answer blocks the tool call in the agent's blocking
 * form (e.g. exit status 2 with the message on stderr); with fail_open 1 it
 * is the agent's "no decision" (defer), never an allow.
 * @param[out] out receives a new response; release it with
 *             prempti_response_free().
 * @return PREMPTI_OK, PREMPTI_E_NOMEM, PREMPTI_E_INVALID_ARG.
 */
PREMPTI_API int prempti_response_for_error(prempti_response **out, const char *agent,
                                           const char *hook_event, const char *message,
                                           int fail_open, prempti_error **err);

/** Text for standard output ("" for none). Borrowed; never NULL. */
PREMPTI_API const char *prempti_response_stdout(const prempti_response *response);

/** Text for standard error ("" for none). Borrowed; never NULL. */
PREMPTI_API const char *prempti_response_stderr(const prempti_response *response);

/** The exit status the hook process must end with. */
PREMPTI_API int prempti_response_exit_code(const prempti_response *response);

/** Releases a response. Accepts NULL. */
PREMPTI_API void prempti_response_free(prempti_response *response);

/**
 * Builds an audit record: one JSON line, ending in "\n", with the time,
 * correlation id, agent, session, tool, decision, mode, would-be decision,
 * the evaluation latency given by the caller (latency_ns), and every match
 * in the shape of a Falco JSON alert (time, rule, priority, source, tags,
 * output, output_fields, hostname) so Falco tooling can forward them.
 * @param[out] out receives a new string; release it with prempti_free().
 */
PREMPTI_API int prempti_audit_record(char **out, const prempti_result *result, uint64_t latency_ns,
                                     prempti_error **err);

/**
 * Appends a record to an audit log with a single write(2) on a file opened
 * with O_APPEND (created with mode 0600), so records from many processes
 * appending at once never interleave. path and record are NUL-terminated
 * (len bytes of record are written).
 * @return PREMPTI_OK; PREMPTI_E_IO (message names the path and the reason).
 */
PREMPTI_API int prempti_audit_append(const char *path, const char *record, size_t len,
                                     prempti_error **err);

PREMPTI_END_DECL

#endif /* PREMPTI_RESPONSE_H */
