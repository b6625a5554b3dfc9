#include "hookfile.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "payload.h"

/* A pre-tool payload in the snake_case shape most agents send. */
#define PROBE_SNAKE(event, tool, input, extra)                                                     \
    "{\"hook_event_name\":\"" event "\",\"session_id\":\"prempti-check\",\"cwd\":\"/\","           \
    "\"transcript_path\":\"\",\"tool_name\":\"" tool "\",\"tool_input\":{" input "}" extra "}"

/* Registration per agent: docs/tools.md "prempti install" and the agents'
 * hook documentation (see docs/responses.md for why Cursor fails closed). */
static const pt_agent_spec specs[] = {
    {"claude_code",
     "Claude Code",
     "CLAUDE_CONFIG_DIR",
     ".claude",
     "settings.json",
     0,
     0,
     {"PreToolUse", "PermissionRequest", NULL},
     "command",
     NULL,
     0,
     PROBE_SNAKE("PreToolUse", "Bash", "\"command\":\"true\"", ",\"tool_use_id\":\"toolu_check\"")},
    {"codex",
     "Codex",
     "CODEX_HOME",
     ".codex",
     "hooks.json",
     0,
     0,
     {"PreToolUse", "PermissionRequest", NULL},
     "command",
     NULL,
     1,
     PROBE_SNAKE("PreToolUse", "Bash", "\"command\":\"true\"",
                 ",\"turn_id\":\"prempti-check\",\"model\":\"prempti-check\"")},
    {"copilot",
     "Copilot CLI",
     "COPILOT_HOME",
     ".copilot",
     "hooks/prempti.json",
     1,
     1,
     {"preToolUse", "permissionRequest", NULL},
     "bash",
     NULL,
     0,
     "{\"sessionId\":\"prempti-check\",\"timestamp\":0,\"cwd\":\"/\",\"toolName\":\"bash\","
     "\"toolArgs\":\"{\\\"command\\\":\\\"true\\\"}\"}"},
    {"gemini",
     "Gemini CLI",
     NULL,
     ".gemini",
     "settings.json",
     0,
     0,
     {"BeforeTool", NULL, NULL},
     "command",
     NULL,
     0,
     PROBE_SNAKE("BeforeTool", "run_shell_command", "\"command\":\"true\"",
                 ",\"timestamp\":\"2026-01-01T00:00:00Z\"")},
    {"cursor",
     "Cursor",
     NULL,
     ".cursor",
     "hooks.json",
     1,
     0,
     {"preToolUse", NULL, NULL},
     "command",
     NULL,
     0,
     PROBE_SNAKE("preToolUse", "Shell", "\"command\":\"true\"",
                 ",\"conversation_id\":\"prempti-check\",\"workspace_roots\":[\"/\"]")},
};

const pt_agent_spec *pt_agent_spec_find(const char *agent)
{
    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
        if (strcmp(specs[i].agent, agent) == 0)
            return &specs[i];
    return NULL;
}

char *pt_agent_file(const pt_agent_spec *a, char **errmsg)
{
    const char *dir = a->dir_env ? getenv(a->dir_env) : NULL;
    const char *home = getenv("HOME");
    char *path = NULL;
    if (dir && dir[0])
        path = pt_fmt("%s/%s", dir, a->file);
    else if (home && home[0])
        path = pt_fmt("%s/%s/%s", home, a->dir, a->file);
    else
        pt_fail(errmsg, "HOME is not set: cannot find %s's configuration", a->title);
    if (!path && (dir || home))
        pt_fail(errmsg, "out of memory");
    return path;
}

char *pt_command_program(const char *command)
{
    const char *p = command + strspn(command, " \t");
    if (*p == '"' || *p == '\'') {
        const char *end = strchr(p + 1, *p);
        return end ? pt_fmt("%.*s", (int)(end - p - 1), p + 1) : NULL;
    }
    return pt_fmt("%.*s", (int)strcspn(p, " \t"), p);
}

int pt_is_adapter_command(const char *command)
{
    char *prog = pt_command_program(command);
    const char *base = prog ? strrchr(prog, '/') : NULL;
    int ours = prog && strcmp(base ? base + 1 : prog, "prempti-hook") == 0;
    free(prog);
    return ours;
}

/* The handler prempti registers for agent a. */
static json_object *new_handler(const pt_agent_spec *a, const char *command)
{
    json_object *h = json_object_new_object();
    if (!h)
        return NULL;
    int cursor = strcmp(a->agent, "cursor") == 0;
    if (!cursor)
        json_object_object_add(h, "type", json_object_new_string("command"));
    if (strcmp(a->agent, "gemini") == 0)
        json_object_object_add(h, "name", json_object_new_string("prempti"));
    json_object_object_add(h, a->command_key, json_object_new_string(command));
    if (strcmp(a->agent, "codex") == 0)
        json_object_object_add(h, "timeout", json_object_new_int(30));
    if (strcmp(a->agent, "copilot") == 0)
        json_object_object_add(h, "timeoutSec", json_object_new_int(30));
    if (cursor)
        json_object_object_add(h, "failClosed", json_object_new_boolean(1));
    /* without it Claude Code runs the tool when the hook cannot start */
    if (strcmp(a->agent, "claude_code") == 0)
        json_object_object_add(h, "onFailure", json_object_new_string("block"));
    return h;
}

static json_object *new_group(const pt_agent_spec *a, json_object *handler)
{
    json_object *g = json_object_new_object(), *list = json_object_new_array();
    if (!g || !list) {
        json_object_put(g);
        json_object_put(list);
        return NULL;
    }
    /* Codex matches a regular expression; Claude and Gemini take "*" for all */
    const char *matcher = strcmp(a->agent, "codex") == 0 ? ".*" : "*";
    json_object_object_add(g, "matcher", json_object_new_string(matcher));
    json_object_array_add(list, handler);
    json_object_object_add(g, "hooks", list);
    return g;
}

static int is_ours(const pt_agent_spec *a, json_object *h)
{
    json_object *cmd;
    return json_object_is_type(h, json_type_object) &&
           json_object_object_get_ex(h, a->command_key, &cmd) &&
           json_object_is_type(cmd, json_type_string) &&
           pt_is_adapter_command(json_object_get_string(cmd));
}

/* root.hooks, checked; created when create is set. NULL without error when
 * absent; *errmsg set on a wrong shape. */
static json_object *hooks_object(json_object *root, int create, char **errmsg)
{
    json_object *hooks = NULL;
    if (!json_object_object_get_ex(root, "hooks", &hooks) || !hooks) {
        if (!create)
            return NULL;
        if (!(hooks = json_object_new_object()) || json_object_object_add(root, "hooks", hooks)) {
            pt_fail(errmsg, "out of memory");
            return NULL;
        }
    }
    if (!json_object_is_type(hooks, json_type_object)) {
        pt_fail(errmsg, "\"hooks\" is not a JSON object");
        return NULL;
    }
    return hooks;
}

static json_object *event_array(json_object *hooks, const char *event, int create, char **errmsg)
{
    json_object *arr = NULL;
    if (!json_object_object_get_ex(hooks, event, &arr) || !arr) {
        if (!create)
            return NULL;
        if (!(arr = json_object_new_array()) || json_object_object_add(hooks, event, arr)) {
            pt_fail(errmsg, "out of memory");
            return NULL;
        }
    }
    if (!json_object_is_type(arr, json_type_array)) {
        pt_fail(errmsg, "\"hooks\".\"%s\" is not a JSON array", event);
        return NULL;
    }
    return arr;
}

/* The handler list of a matcher group, or NULL when it has none. */
static json_object *group_list(json_object *g)
{
    json_object *list;
    if (json_object_is_type(g, json_type_object) && json_object_object_get_ex(g, "hooks", &list) &&
        json_object_is_type(list, json_type_array))
        return list;
    return NULL;
}

/* Calls fn on every handler of one event's list, in order. */
static void each_handler(const pt_agent_spec *a, json_object *arr,
                         void (*fn)(json_object *h, void *ctx), void *ctx)
{
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *item = json_object_array_get_idx(arr, i);
        json_object *list = a->flat ? NULL : group_list(item);
        if (a->flat)
            fn(item, ctx);
        for (size_t j = 0; list && j < json_object_array_length(list); j++)
            fn(json_object_array_get_idx(list, j), ctx);
    }
}

/* Removes the adapter handlers from one event's list, and the matcher
 * groups this leaves empty; returns how many were removed. */
static int sweep(const pt_agent_spec *a, json_object *arr)
{
    int removed = 0;
    for (size_t i = json_object_array_length(arr); i-- > 0;) {
        json_object *item = json_object_array_get_idx(arr, i);
        if (a->flat) {
            if (is_ours(a, item)) {
                json_object_array_del_idx(arr, i, 1);
                removed++;
            }
            continue;
        }
        json_object *list = group_list(item);
        int here = 0;
        for (size_t j = list ? json_object_array_length(list) : 0; j-- > 0;) {
            if (is_ours(a, json_object_array_get_idx(list, j))) {
                json_object_array_del_idx(list, j, 1);
                here++;
            }
        }
        if (here && json_object_array_length(list) == 0)
            json_object_array_del_idx(arr, i, 1);
        removed += here;
    }
    return removed;
}

typedef struct match_ctx {
    const pt_agent_spec *a;
    json_object *want; /* already_there: the handler wanted */
    int seen, same;
    const char *event; /* pt_hooks_find: the event, the events found, the command */
    pt_strv *events;
    char *command;
    int oom;
} match_ctx;

static void compare_handler(json_object *h, void *ctx)
{
    match_ctx *m = ctx;
    if (!is_ours(m->a, h))
        return;
    m->same = !m->seen && json_object_equal(h, m->want);
    m->seen++;
}

/* Whether the list holds exactly one adapter handler, equal to want. */
static int already_there(const pt_agent_spec *a, json_object *arr, json_object *want)
{
    match_ctx m = {a, want, 0, 0, NULL, NULL, NULL, 0};
    each_handler(a, arr, compare_handler, &m);
    return m.seen == 1 && m.same;
}

static int install_event(json_object *hooks, const pt_agent_spec *a, const char *event,
                         const char *command, int *changed, char **errmsg)
{
    json_object *arr = event_array(hooks, event, 1, errmsg);
    json_object *want = new_handler(a, command);
    if (!arr || !want) {
        json_object_put(want);
        return arr ? pt_fail(errmsg, "out of memory") : -1;
    }
    if (already_there(a, arr, want)) {
        json_object_put(want);
        return 0;
    }
    if (sweep(a, arr) > 0)
        *changed = 1;
    json_object *entry = a->flat ? want : new_group(a, want);
    if (!entry || json_object_array_add(arr, entry)) {
        json_object_put(entry ? entry : want);
        return pt_fail(errmsg, "out of memory");
    }
    *changed = 1;
    return 0;
}

int pt_hooks_install(json_object *root, const pt_agent_spec *a, const char *command, int *changed,
                     char **errmsg)
{
    *changed = 0;
    if (a->flat && !json_object_object_get_ex(root, "version", NULL)) {
        json_object_object_add(root, "version", json_object_new_int(1));
        *changed = 1;
    }
    json_object *hooks = hooks_object(root, 1, errmsg);
    if (!hooks)
        return -1;
    for (const char *const *e = a->events; *e; e++)
        if (install_event(hooks, a, *e, command, changed, errmsg))
            return -1;
    return 0;
}

int pt_hooks_uninstall(json_object *root, const pt_agent_spec *a, int *changed, char **errmsg)
{
    *changed = 0;
    *errmsg = NULL;
    json_object *hooks = hooks_object(root, 0, errmsg);
    if (!hooks)
        return *errmsg ? -1 : 0;
    int emptied = 0;
    for (const char *const *e = a->events; *e; e++) {
        json_object *arr = event_array(hooks, *e, 0, errmsg);
        if (!arr) {
            if (*errmsg)
                return -1;
            continue;
        }
        if (sweep(a, arr) == 0)
            continue;
        *changed = 1;
        if (json_object_array_length(arr) == 0) {
            json_object_object_del(hooks, *e);
            emptied = 1;
        }
    }
    if (emptied && json_object_object_length(hooks) == 0)
        json_object_object_del(root, "hooks");
    return 0;
}

void pt_hooks_each_ours(json_object *root, const pt_agent_spec *a, pt_handler_fn fn, void *ctx)
{
    char *msg = NULL;
    json_object *hooks = a->flat ? NULL : hooks_object(root, 0, &msg);
    free(msg);
    for (const char *const *e = a->events; hooks && *e; e++) {
        json_object *arr = event_array(hooks, *e, 0, &msg), *m;
        free(msg);
        msg = NULL;
        for (size_t g = 0; arr && g < json_object_array_length(arr); g++) {
            json_object *group = json_object_array_get_idx(arr, g), *list = group_list(group);
            const char *matcher = json_object_object_get_ex(group, "matcher", &m) &&
                                          json_object_is_type(m, json_type_string)
                                      ? json_object_get_string(m)
                                      : NULL;
            for (size_t i = 0; list && i < json_object_array_length(list); i++) {
                json_object *h = json_object_array_get_idx(list, i);
                if (is_ours(a, h))
                    fn(*e, g, i, matcher, h, ctx);
            }
        }
    }
}

static void note_handler(json_object *h, void *ctx)
{
    match_ctx *m = ctx;
    json_object *cmd;
    if (!is_ours(m->a, h))
        return;
    if (!pt_strv_has(m->events, m->event) && pt_strv_push(m->events, m->event))
        m->oom = 1;
    if (!m->command && json_object_object_get_ex(h, m->a->command_key, &cmd) &&
        !(m->command = pt_strdup(json_object_get_string(cmd))))
        m->oom = 1;
}

int pt_hooks_find(json_object *root, const pt_agent_spec *a, pt_strv *events, char **command,
                  char **errmsg)
{
    *errmsg = NULL;
    match_ctx m = {a, NULL, 0, 0, NULL, events, NULL, 0};
    json_object *hooks = hooks_object(root, 0, errmsg);
    for (const char *const *e = a->events; hooks && *e && !*errmsg; e++) {
        json_object *arr = event_array(hooks, *e, 0, errmsg);
        m.event = *e;
        if (arr)
            each_handler(a, arr, note_handler, &m);
    }
    *command = m.command;
    if (m.oom && !*errmsg)
        pt_fail(errmsg, "out of memory");
    return *errmsg ? -1 : 0;
}

int pt_hooks_file_empty(json_object *root)
{
    json_object_object_foreach(root, key, val)
    {
        (void)val;
        if (strcmp(key, "version") != 0)
            return 0;
    }
    return 1;
}

#define JSON_FILE_MAX_BYTES ((size_t)16 << 20)

static int blank(const char *s)
{
    return s[strspn(s, " \t\r\n")] == '\0';
}

int pt_json_file_load(const char *path, json_object **root, int *exists, char **errmsg)
{
    *root = NULL;
    *exists = pt_exists(path);
    char *text = NULL, *msg = NULL;
    size_t len = 0;
    if (*exists && pt_read_regular(path, JSON_FILE_MAX_BYTES, &text, &len, errmsg))
        return -1;
    if (!text || blank(text)) {
        free(text);
        *root = json_object_new_object();
        return *root ? 0 : pt_fail(errmsg, "out of memory");
    }
    *root = pt_json_parse(text, len, &msg);
    free(text);
    if (!*root) {
        pt_fail(errmsg, "cannot parse %s: %s", path, msg ? msg : "out of memory");
        free(msg);
        return -1;
    }
    if (!json_object_is_type(*root, json_type_object)) {
        json_object_put(*root);
        *root = NULL;
        return pt_fail(errmsg, "%s does not hold a JSON object", path);
    }
    return 0;
}
