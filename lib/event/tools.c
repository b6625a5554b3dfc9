#include "tools.h"

#include <string.h>

#define K(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Shared member lists. */
#define CMD        K("command")
#define FILE_PATH  K("file_path")
#define PATH_FIRST K("path", "file_path")
#define FILE_FIRST K("file_path", "path")
#define DIR_FIRST  K("dir_path", "path")
#define PATTERN    K("pattern")

/* name, kind, command, path, cwd, url, query, prompt, subagent, url_in_prompt */
static const pe_tool_spec tools[] = {
    /* Claude Code (Bash also Codex; Read, Write, Grep, Task also Cursor) */
    {"Bash", PE_KIND_SHELL, CMD, NULL, K("workdir"), NULL, NULL, NULL, NULL, 0},
    {"PowerShell", PE_KIND_SHELL, CMD, NULL, NULL, NULL, NULL, NULL, NULL, 0},
    {"Monitor", PE_KIND_SHELL, CMD, NULL, NULL, K("/ws/url"), NULL, NULL, NULL, 0},
    {"Read", PE_KIND_READ, NULL, FILE_PATH, NULL, NULL, NULL, NULL, NULL, 0},
    {"Write", PE_KIND_WRITE, NULL, FILE_PATH, NULL, NULL, NULL, NULL, NULL, 0},
    {"Edit", PE_KIND_EDIT, NULL, FILE_PATH, NULL, NULL, NULL, NULL, NULL, 0},
    {"MultiEdit", PE_KIND_EDIT, NULL, FILE_PATH, NULL, NULL, NULL, NULL, NULL, 0},
    {"NotebookEdit", PE_KIND_EDIT, NULL, K("notebook_path"), NULL, NULL, NULL, NULL, NULL, 0},
    {"Glob", PE_KIND_SEARCH, NULL, K("path"), NULL, NULL, PATTERN, NULL, NULL, 0},
    {"Grep", PE_KIND_SEARCH, NULL, PATH_FIRST, NULL, NULL, PATTERN, NULL, NULL, 0},
    {"LS", PE_KIND_SEARCH, NULL, K("path"), NULL, NULL, NULL, NULL, NULL, 0},
    {"WebFetch", PE_KIND_WEB, NULL, NULL, NULL, K("url"), NULL, K("prompt"), NULL, 0},
    {"WebSearch", PE_KIND_WEB, NULL, NULL, NULL, NULL, K("query"), NULL, NULL, 0},
    {"Agent", PE_KIND_AGENT, NULL, NULL, NULL, NULL, NULL, K("prompt"), K("subagent_type"), 0},
    {"Task", PE_KIND_AGENT, NULL, NULL, NULL, NULL, NULL, K("prompt"), K("subagent_type"), 0},
    /* Codex: hook names, then the model-facing shell tools a harness may pass */
    {"apply_patch", PE_KIND_PATCH, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0},
    {"spawn_agent", PE_KIND_AGENT, NULL, NULL, NULL, NULL, NULL, K("message", "prompt"),
     K("agent_type", "subagent_type"), 0},
    {"shell", PE_KIND_SHELL, CMD, NULL, K("workdir"), NULL, NULL, NULL, NULL, 0},
    {"shell_command", PE_KIND_SHELL, CMD, NULL, K("workdir"), NULL, NULL, NULL, NULL, 0},
    {"local_shell", PE_KIND_SHELL, CMD, NULL, K("workdir", "working_directory"), NULL, NULL, NULL,
     NULL, 0},
    {"exec_command", PE_KIND_SHELL, K("cmd"), NULL, K("workdir"), NULL, NULL, NULL, NULL, 0},
    {"web_search", PE_KIND_WEB, NULL, NULL, NULL, NULL, K("query"), NULL, NULL, 0},
    /* GitHub Copilot CLI (web_fetch also Gemini, glob also Gemini) */
    {"bash", PE_KIND_SHELL, CMD, NULL, NULL, NULL, NULL, NULL, NULL, 0},
    {"powershell", PE_KIND_SHELL, CMD, NULL, NULL, NULL, NULL, NULL, NULL, 0},
    {"view", PE_KIND_READ, NULL, FILE_FIRST, NULL, NULL, NULL, NULL, NULL, 0},
    {"create", PE_KIND_WRITE, NULL, FILE_FIRST, NULL, NULL, NULL, NULL, NULL, 0},
    {"edit", PE_KIND_EDIT, NULL, FILE_FIRST, NULL, NULL, NULL, NULL, NULL, 0},
    {"glob", PE_KIND_SEARCH, NULL, DIR_FIRST, NULL, NULL, PATTERN, NULL, NULL, 0},
    {"grep", PE_KIND_SEARCH, NULL, PATH_FIRST, NULL, NULL, PATTERN, NULL, NULL, 0},
    {"task", PE_KIND_AGENT, NULL, NULL, NULL, NULL, NULL, K("prompt"),
     K("agent_type", "subagent_type"), 0},
    {"web_fetch", PE_KIND_WEB, NULL, NULL, NULL, K("url"), NULL, K("prompt"), NULL, 1},
    /* Gemini CLI */
    {"run_shell_command", PE_KIND_SHELL, CMD, NULL, K("dir_path", "directory"), NULL, NULL, NULL,
     NULL, 0},
    {"read_file", PE_KIND_READ, NULL, K("file_path", "absolute_path", "path"), NULL, NULL, NULL,
     NULL, NULL, 0},
    {"read_many_files", PE_KIND_READ, NULL, K("/include/0", "/paths/0"), NULL, NULL, NULL, NULL,
     NULL, 0},
    {"write_file", PE_KIND_WRITE, NULL, FILE_PATH, NULL, NULL, NULL, NULL, NULL, 0},
    {"replace", PE_KIND_EDIT, NULL, FILE_PATH, NULL, NULL, NULL, NULL, NULL, 0},
    {"grep_search", PE_KIND_SEARCH, NULL, DIR_FIRST, NULL, NULL, PATTERN, NULL, NULL, 0},
    {"search_file_content", PE_KIND_SEARCH, NULL, DIR_FIRST, NULL, NULL, PATTERN, NULL, NULL, 0},
    {"list_directory", PE_KIND_SEARCH, NULL, DIR_FIRST, NULL, NULL, NULL, NULL, NULL, 0},
    {"google_web_search", PE_KIND_WEB, NULL, NULL, NULL, NULL, K("query"), NULL, NULL, 0},
    /* Cursor */
    {"Shell", PE_KIND_SHELL, CMD, NULL, K("cwd"), NULL, NULL, NULL, NULL, 0},
};

const char *const pe_patch_keys[] = {"command", "input", "patch", NULL};

const pe_tool_spec *pe_tool_find(const char *name)
{
    for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
        if (strcmp(tools[i].name, name) == 0)
            return &tools[i];
    return NULL;
}

/* MCP tools named for what they do (filesystem, desktop-commander, shell
 * servers...): the first row whose word is in the tool's own name, lower
 * case, tells which of its members hold a command, a path or a URL. */
#define MCP_CMD  K("command", "command_line", "commandLine", "cmd", "script", "shell_command")
#define MCP_PATH K("path", "file_path", "filePath", "filepath", "file", "filename", "/paths/0")
#define MCP_URL  K("url", "uri", "href")
static const struct {
    const char *word;
    pe_tool_spec spec;
} mcp_acts[] = {
    {"exec",
     {"exec", PE_KIND_SHELL, MCP_CMD, NULL, K("cwd", "workdir"), NULL, NULL, NULL, NULL, 0}},
    {"run_command", {"run", PE_KIND_SHELL, MCP_CMD, NULL, K("cwd"), NULL, NULL, NULL, NULL, 0}},
    {"run_process", {"run", PE_KIND_SHELL, MCP_CMD, NULL, K("cwd"), NULL, NULL, NULL, NULL, 0}},
    {"start_process", {"run", PE_KIND_SHELL, MCP_CMD, NULL, K("cwd"), NULL, NULL, NULL, NULL, 0}},
    {"run_script", {"run", PE_KIND_SHELL, MCP_CMD, NULL, K("cwd"), NULL, NULL, NULL, NULL, 0}},
    {"shell", {"shell", PE_KIND_SHELL, MCP_CMD, NULL, K("cwd"), NULL, NULL, NULL, NULL, 0}},
    {"bash", {"bash", PE_KIND_SHELL, MCP_CMD, NULL, K("cwd"), NULL, NULL, NULL, NULL, 0}},
    {"terminal", {"terminal", PE_KIND_SHELL, MCP_CMD, NULL, K("cwd"), NULL, NULL, NULL, NULL, 0}},
    {"edit", {"edit", PE_KIND_EDIT, NULL, MCP_PATH, NULL, NULL, NULL, NULL, NULL, 0}},
    {"replace", {"replace", PE_KIND_EDIT, NULL, MCP_PATH, NULL, NULL, NULL, NULL, NULL, 0}},
    {"write", {"write", PE_KIND_WRITE, NULL, MCP_PATH, NULL, NULL, NULL, NULL, NULL, 0}},
    {"create_file", {"create", PE_KIND_WRITE, NULL, MCP_PATH, NULL, NULL, NULL, NULL, NULL, 0}},
    {"save_file", {"save", PE_KIND_WRITE, NULL, MCP_PATH, NULL, NULL, NULL, NULL, NULL, 0}},
    {"append", {"append", PE_KIND_WRITE, NULL, MCP_PATH, NULL, NULL, NULL, NULL, NULL, 0}},
    {"remove", {"remove", PE_KIND_WRITE, NULL, MCP_PATH, NULL, NULL, NULL, NULL, NULL, 0}},
    {"move_file",
     {"move", PE_KIND_WRITE, NULL, K("destination", "target", "to"), NULL, NULL, NULL, NULL, NULL,
      0}},
    {"delete_file", {"delete", PE_KIND_WRITE, NULL, MCP_PATH, NULL, NULL, NULL, NULL, NULL, 0}},
    {"read", {"read", PE_KIND_READ, NULL, MCP_PATH, NULL, NULL, NULL, NULL, NULL, 0}},
    {"get_file", {"get", PE_KIND_READ, NULL, MCP_PATH, NULL, NULL, NULL, NULL, NULL, 0}},
    {"view_file", {"view", PE_KIND_READ, NULL, MCP_PATH, NULL, NULL, NULL, NULL, NULL, 0}},
    {"open_file", {"open", PE_KIND_READ, NULL, MCP_PATH, NULL, NULL, NULL, NULL, NULL, 0}},
    {"search_files",
     {"search", PE_KIND_SEARCH, NULL, MCP_PATH, NULL, NULL, K("pattern", "query"), NULL, NULL, 0}},
    {"list_dir", {"list", PE_KIND_SEARCH, NULL, MCP_PATH, NULL, NULL, NULL, NULL, NULL, 0}},
    {"directory_tree", {"tree", PE_KIND_SEARCH, NULL, MCP_PATH, NULL, NULL, NULL, NULL, NULL, 0}},
    {"find_files",
     {"find", PE_KIND_SEARCH, NULL, MCP_PATH, NULL, NULL, K("pattern"), NULL, NULL, 0}},
    {"fetch", {"fetch", PE_KIND_WEB, NULL, NULL, NULL, MCP_URL, NULL, NULL, NULL, 0}},
    {"http", {"http", PE_KIND_WEB, NULL, NULL, NULL, MCP_URL, NULL, NULL, NULL, 0}},
    {"navigate", {"navigate", PE_KIND_WEB, NULL, NULL, NULL, MCP_URL, NULL, NULL, NULL, 0}},
    {"browse", {"browse", PE_KIND_WEB, NULL, NULL, NULL, MCP_URL, NULL, NULL, NULL, 0}},
    {"scrape", {"scrape", PE_KIND_WEB, NULL, NULL, NULL, MCP_URL, NULL, NULL, NULL, 0}},
};

const pe_tool_spec *pe_mcp_acts(const char *tool, size_t len)
{
    char low[128];
    if (len >= sizeof(low))
        len = sizeof(low) - 1;
    for (size_t i = 0; i < len; i++)
        low[i] = (char)((tool[i] >= 'A' && tool[i] <= 'Z') ? tool[i] - 'A' + 'a' : tool[i]);
    low[len] = '\0';
    for (size_t i = 0; i < sizeof(mcp_acts) / sizeof(mcp_acts[0]); i++)
        if (strstr(low, mcp_acts[i].word))
            return &mcp_acts[i].spec;
    return NULL;
}

const pe_tool_spec *pe_mcp_acts_run(const char *tool, size_t len, int has_command)
{
    char low[128];
    if (!has_command)
        return NULL;
    if (len >= sizeof(low))
        len = sizeof(low) - 1;
    for (size_t i = 0; i < len; i++)
        low[i] = (char)((tool[i] >= 'A' && tool[i] <= 'Z') ? tool[i] - 'A' + 'a' : tool[i]);
    low[len] = '\0';
    if (!strstr(low, "run") && !strstr(low, "command") && !strstr(low, "cmd"))
        return NULL;
    for (size_t i = 0; i < sizeof(mcp_acts) / sizeof(mcp_acts[0]); i++)
        if (strcmp(mcp_acts[i].word, "shell") == 0)
            return &mcp_acts[i].spec;
    return NULL;
}

const char *pe_kind_name(pe_kind kind)
{
    static const char *const names[] = {"shell",  "read", "write", "edit",  "patch",
                                        "search", "web",  "mcp",   "agent", "other"};
    return (unsigned)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "other";
}
