/*
 * Every agent's tools (agent-hooks.md §10.2, docs/fields.md "Tools"): for a
 * tool name, its kind and which members of its input hold the shell
 * command, the target path, the command's working directory, the URL, the
 * search query, the subagent prompt and type. Member names are tried in
 * order; a name starting with '/' is a JSON pointer.
 *
 * One table serves all agents: no two agents use one tool name for
 * different things, so a name means the same wherever it comes from.
 */
#ifndef PE_EVENT_TOOLS_H
#define PE_EVENT_TOOLS_H

#include <stddef.h>

typedef enum pe_kind {
    PE_KIND_SHELL,
    PE_KIND_READ,
    PE_KIND_WRITE,
    PE_KIND_EDIT,
    PE_KIND_PATCH,
    PE_KIND_SEARCH,
    PE_KIND_WEB,
    PE_KIND_MCP,
    PE_KIND_AGENT,
    PE_KIND_OTHER
} pe_kind;

/* NULL-terminated lists of member names. */
typedef const char *const pe_keys[];

typedef struct pe_tool_spec {
    const char *name;
    pe_kind kind;
    const char *const *command;
    const char *const *path;
    const char *const *cwd;
    const char *const *url;
    const char *const *query;
    const char *const *prompt;
    const char *const *subagent;
    int url_in_prompt; /* no url member: the first URL in the prompt (Gemini) */
} pe_tool_spec;

/* The spec of a tool name; NULL for a tool the table does not know. */
const pe_tool_spec *pe_tool_find(const char *name);

/* What an MCP tool does, read from its own name (mcp.tool: execute_command,
 * read_file, write_file, fetch ...): a spec whose kind and member lists
 * apply to its input; NULL when the name says nothing. */
const pe_tool_spec *pe_mcp_acts(const char *tool, size_t len);

/* A tool whose name says it runs something (run, run_cmd, execute_task)
 * and whose input has a command member: the shell spec when has_command. */
const pe_tool_spec *pe_mcp_acts_run(const char *tool, size_t len, int has_command);

/* "shell", "read", ... */
const char *pe_kind_name(pe_kind kind);

/* Members of a patch tool's input that may hold the patch text. */
extern const char *const pe_patch_keys[];

#endif
