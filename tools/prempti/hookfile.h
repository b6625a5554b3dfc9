/*
 * Where and how each agent registers hooks, and editing those JSON files:
 * adding, finding and removing the adapter's handlers while leaving every
 * other hook and setting as it was.
 */
#ifndef PT_HOOKFILE_H
#define PT_HOOKFILE_H

#include "str.h"

struct json_object;

typedef struct pt_agent_spec {
    const char *agent;       /* claude_code */
    const char *title;       /* Claude Code */
    const char *dir_env;     /* variable naming the agent's directory, or NULL */
    const char *dir;         /* that directory under $HOME when the variable is unset */
    const char *file;        /* the hook configuration file in it */
    int flat;                /* hooks.EVENT lists handlers (no matcher groups) */
    int own_file;            /* the file is prempti's alone (removed when emptied) */
    const char *events[3];   /* hook events to register, NULL-terminated */
    const char *command_key; /* the handler member holding the command */
    const char *note;        /* printed after installing, or NULL */
    int block_start_failure; /* wrap the command so a start failure blocks */
    const char *probe;       /* a harmless pre-tool payload, to check the adapter */
} pt_agent_spec;

/* The agent's spec, or NULL for an unknown name. */
const pt_agent_spec *pt_agent_spec_find(const char *agent);

/* The agent's hook configuration file (new string), or NULL with *errmsg. */
char *pt_agent_file(const pt_agent_spec *a, char **errmsg);

/* The program a handler command runs: its first word, without quotes
 * (a new string; NULL for an unterminated quote or out of memory). */
char *pt_command_program(const char *command);

/* Whether a handler command runs the adapter (its first word is a path
 * whose last component is prempti-hook). */
int pt_is_adapter_command(const char *command);

/* Adds or updates the adapter's handler (running command) on each of the
 * agent's events. *changed tells whether root was modified. */
int pt_hooks_install(struct json_object *root, const pt_agent_spec *a, const char *command,
                     int *changed, char **errmsg);

/* Removes every adapter handler, and the containers that held only it.
 * *changed tells whether root was modified. */
int pt_hooks_uninstall(struct json_object *root, const pt_agent_spec *a, int *changed,
                       char **errmsg);

/* The agent's events holding an adapter handler (appended to events), and
 * the first such handler's command (new string, or NULL). */
int pt_hooks_find(struct json_object *root, const pt_agent_spec *a, pt_strv *events, char **command,
                  char **errmsg);

/* Calls fn for every adapter handler of a matcher-group agent, with the
 * event, the group's index in the event's list, the handler's index in the
 * group and the group's matcher (NULL when it has none). */
typedef void (*pt_handler_fn)(const char *event, size_t group, size_t index, const char *matcher,
                              struct json_object *handler, void *ctx);
void pt_hooks_each_ours(struct json_object *root, const pt_agent_spec *a, pt_handler_fn fn,
                        void *ctx);

/* Whether root holds nothing but what an own_file needs ("version"). */
int pt_hooks_file_empty(struct json_object *root);

/*
 * Reads an agent's JSON configuration file: *root receives its top-level
 * object (a new, empty one when the file does not exist or holds only
 * blanks), *exists whether it exists. A file that is not a JSON object is
 * an error: such a file is never changed.
 */
int pt_json_file_load(const char *path, struct json_object **root, int *exists, char **errmsg);
#endif
