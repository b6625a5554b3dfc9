/*
 * Small text parsers for tool values: URL hosts, the first URL in prose,
 * MCP tool names, and shell quoting of argument vectors.
 */
#ifndef PE_EVENT_TOOL_TEXT_H
#define PE_EVENT_TOOL_TEXT_H

#include <stddef.h>

#include "event/fields.h"
#include "util/strbuf.h"

/*
 * Appends the host of url, lower-cased: after "scheme://" (or from the start,
 * without a scheme) and any user info, the longest run of host characters
 * (letters, digits, - . _ ~ %, non-ASCII), so a port, path, query or
 * trailing punctuation ends it; the inside of [...] for IPv6; trailing dots
 * dropped. Appends nothing when url has no host.
 */
void pe_url_host(pe_strbuf *out, const char *url, size_t len);

/*
 * The first http:// or https:// URL in text (scheme in any case), as Gemini
 * CLI's web_fetch finds it: up to the next whitespace. Returns 0 when there
 * is none.
 */
int pe_first_url(const char *text, size_t len, pe_str *url);

/*
 * Splits Claude Code / Codex MCP tool names, mcp__<server>__<tool>, the way
 * Claude Code does: the server is everything up to the next "__" (so
 * plugin_<plugin>_<server> and claude_ai_<name> stay whole), the tool is the
 * rest. Returns 0 when name is not of that form.
 */
int pe_mcp_split(const char *name, size_t len, pe_str *server, pe_str *tool);

/* Byte length of a Unicode White_Space character at s[0..n), or 0. */
size_t pe_text_ws_at(const char *s, size_t n);

/* Appends one shell word, quoted as POSIX shells need it (like Python's
 * shlex.quote: as is when it only has safe characters, else in '...'). */
void pe_shell_quote(pe_strbuf *out, const char *s, size_t len);

#endif
