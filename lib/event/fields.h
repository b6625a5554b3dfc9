/*
 * The field table of the coding_agent source: every field a condition or an
 * output may name, with its type and whether it takes an argument. Field
 * values are produced by the event stage (extract.c); the compiler binds
 * names to these ids once, so evaluation never looks a name up.
 */
#ifndef PE_EVENT_FIELDS_H
#define PE_EVENT_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "util/pstr.h"

typedef enum pe_ftype {
    PE_FT_STRING, /* also paths */
    PE_FT_U64,
    PE_FT_BOOL,
    PE_FT_LIST /* a list of strings */
} pe_ftype;

typedef enum pe_farg {
    PE_ARG_NONE,     /* name[arg] is an error */
    PE_ARG_OPTIONAL, /* name and name[arg] are both valid */
    PE_ARG_REQUIRED  /* name alone is an error */
} pe_farg;

/* A field's value for one event. Which member is meaningful depends on the
 * field's type; presence is reported separately. */
typedef struct pe_value {
    pe_str str;          /* PE_FT_STRING */
    uint64_t num;        /* PE_FT_U64, PE_FT_BOOL (0/1) */
    const pe_str *items; /* PE_FT_LIST */
    size_t nitems;
} pe_value;

/* Field ids; the order is the order of the table in fields.c. */
typedef enum pe_field_id {
    /* upstream prempti's 21 fields */
    PE_F_CORRELATION_ID,
    PE_F_AGENT_NAME,
    PE_F_AGENT_OS,
    PE_F_AGENT_PID,
    PE_F_AGENT_HOOK_EVENT_NAME,
    PE_F_AGENT_SESSION_ID,
    PE_F_AGENT_PERMISSION_MODE,
    PE_F_AGENT_TRANSCRIPT_PATH,
    PE_F_AGENT_MODEL,
    PE_F_AGENT_TURN_ID,
    PE_F_AGENT_CWD,
    PE_F_AGENT_REAL_CWD,
    PE_F_AGENT_REAL_CWD_PREFIX,
    PE_F_TOOL_USE_ID,
    PE_F_TOOL_NAME,
    PE_F_TOOL_INPUT,
    PE_F_TOOL_INPUT_COMMAND,
    PE_F_TOOL_FILE_PATH,
    PE_F_TOOL_FILE_NAME,
    PE_F_TOOL_REAL_FILE_PATH,
    PE_F_TOOL_PATCH_OP,
    /* libprempti additions */
    PE_F_AGENT_DIALECT,
    PE_F_AGENT_ID,
    PE_F_AGENT_TYPE,
    PE_F_TOOL_KIND,
    PE_F_TOOL_INPUT_TEXT,
    PE_F_TOOL_INPUT_KEYS,
    PE_F_TOOL_INPUT_SECRETS,
    PE_F_TOOL_COMMAND_CWD,
    PE_F_TOOL_REAL_COMMAND_CWD,
    PE_F_TOOL_URL,
    PE_F_TOOL_URL_HOST,
    PE_F_TOOL_QUERY,
    PE_F_TOOL_PROMPT,
    PE_F_TOOL_SUBAGENT_TYPE,
    PE_F_TOOL_SANDBOX_ESCAPE,
    PE_F_TOOL_BACKGROUND,
    PE_F_MCP_SERVER,
    PE_F_MCP_TOOL,
    PE_F_MCP_ENDPOINT,
    PE_F_AGENT_VERSION,
    PE_F_AGENT_WORKSPACE_ROOTS,
    PE_F_AGENT_HOME,
    PE_F_TOOL_NEW_TEXT,
    PE_F_TOOL_NEW_TEXT_HOSTS,
    PE_F_MCP_ACTS_AS,
    /* shell analysis of tool.input_command (shell/shell.h) */
    PE_F_SHELL_COMMANDS,
    PE_F_SHELL_WRAPPERS,
    PE_F_SHELL_NORMALIZED,
    PE_F_SHELL_REDIRECT_TARGETS,
    PE_F_SHELL_WRITE_TARGETS,
    PE_F_SHELL_PIPE_TO_INTERPRETER,
    PE_F_SHELL_DYNAMIC,
    PE_F_SHELL_PARSE_ERROR,
    PE_F_SHELL_LIMIT,
    PE_F_SHELL_COMMAND_COUNT,
    PE_F_SHELL_FLAGS,
    PE_F_SHELL_INVOKES,
    PE_F_SHELL_PATHS,
    PE_F_SHELL_READ_PATHS,
    PE_F_SHELL_WRITE_PATHS,
    PE_F_SHELL_DELETE_PATHS,
    PE_F_SHELL_EXEC_PATHS,
    PE_F_SHELL_UPLOAD_PATHS,
    PE_F_SHELL_LISTED_PATHS,
    PE_F_SHELL_UNKNOWN_PATHS,
    PE_F_SHELL_OUTSIDE_PATHS,
    PE_F_SHELL_SUBCOMMANDS,
    PE_F_SHELL_URLS,
    PE_F_SHELL_HOSTS,
    PE_F_SHELL_ENV,
    PE_F_SHELL_LANGUAGES,
    PE_F_SHELL_DECODED,
    PE_F_SHELL_REVERSE_SHELL,
    PE_F_SHELL_LISTENS,
    PE_F_SHELL_UPLOADS,
    PE_F_SHELL_DNS_EXFIL,
    PE_F_SHELL_REMOTE,
    PE_F_SHELL_RUNS_DOWNLOAD,
    /* packages the shell command installs (shell/packages.h) */
    PE_F_SHELL_PACKAGES,
    PE_F_SHELL_PACKAGE_LOOKALIKES,
    /* generic event fields every Falco source has */
    PE_F_EVT_SOURCE,
    PE_F_EVT_TIME,
    PE_F_EVT_TIME_S,
    PE_F_EVT_TIME_ISO8601,
    PE_F_EVT_HOSTNAME,
    PE_F_COUNT
} pe_field_id;

typedef struct pe_field_def {
    const char *name;
    pe_ftype type;
    pe_farg arg;
    const char *desc;
    /* 1: computed during evaluation, only when a rule needs it (pure
     * functions of the event that cost something); 0: computed when the
     * event is built. */
    unsigned char lazy;
} pe_field_def;

/* The definition of a field id. */
const pe_field_def *pe_field(pe_field_id id);
/* Looks a field name up (exact, without any [arg]); -1 when unknown. */
int pe_field_lookup(const char *name, size_t len);
/* Length of the longest known field name that is a prefix of text (Falco's
 * output rule: "%tool.name_x" is tool.name then "_x"); 0 when none. */
size_t pe_field_longest_prefix(const char *text, size_t len, int *id);

#endif
