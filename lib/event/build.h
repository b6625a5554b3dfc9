/*
 * Building an event: the state shared by the steps that turn a payload into
 * an event, in this order:
 *
 *   event.c    input checks, the JSON parse, generic fields, defaults
 *   dialect.c  which agent; agent.* fields; the tool name and tool input
 *   tool.c     tool.* fields from the tool name and input (tools.c knows
 *              every agent's tools), paths resolved (paths.c)
 *   views.c    one view per touched file of a patch (patch.c parses it)
 */
#ifndef PE_EVENT_BUILD_H
#define PE_EVENT_BUILD_H

#include <json-c/json.h>

#include "event/event_internal.h"
#include "prempti/config.h"
#include "util/strbuf.h"

typedef struct pe_build {
    prempti_event *ev;
    pe_view *base; /* the view every other view starts from */
    const prempti_config *cfg;
    prempti_error **err;
    json_object *payload;    /* the root object */
    json_object *tool_input; /* NULL when absent; may be owned by ev->owned */
    const char *home;        /* for `~` and $HOME; "" when unknown */
    int lexical;             /* paths=lexical */
    int max_depth;           /* max_json_depth, also for JSON inside strings */
    int is_mcp;              /* the dialect knows the call is an MCP call */
    /* The tool's spec when the payload names its kind (the neutral shape);
     * NULL: looked up by tool name. */
    const struct pe_tool_spec *spec;
} pe_build;

/* Copies s into the event and sets field id of view v. 0 or -1 (OOM). */
int pe_build_set(pe_build *b, pe_view *v, pe_field_id id, const char *s, size_t len);
int pe_build_set_cstr(pe_build *b, pe_view *v, pe_field_id id, const char *s);
void pe_build_set_num(pe_view *v, pe_field_id id, uint64_t n);
/* Sets field id of view v to the text built in sb, taking sb's memory
 * instead of copying it (sb is left empty). 0 or -1 (OOM; sb freed). */
int pe_build_adopt(pe_build *b, pe_view *v, pe_field_id id, pe_strbuf *sb);
/* Keeps obj alive as long as the event (takes the reference). 0 or -1. */
int pe_build_own(pe_build *b, json_object *obj);
/* Reports an out-of-memory failure; returns PREMPTI_E_NOMEM. */
int pe_build_oom(pe_build *b);

/* A string member of obj, or NULL when absent or not a string. */
const char *pe_json_str(json_object *obj, const char *key, size_t *len);

/* Dialect step: fills agent, hook and the agent.* fields, the tool name,
 * b->tool_input and (for MCP calls the agent describes) the mcp.* fields.
 * `agent` is the configured agent, "" to detect it. */
int pe_dialect_apply(pe_build *b, const char *agent);

/* Typed members for the neutral shape, with the agent dialects' checks and
 * messages: a member that must be of `type` when present (*out NULL when
 * absent or null), and a string member without NUL characters. */
int pe_dialect_member(pe_build *b, json_object *obj, const char *key, json_type type,
                      const char *expected, json_object **out);
int pe_dialect_str(pe_build *b, json_object *obj, const char *key, const char **s, size_t *len);

/* The neutral shape (neutral.c, docs/embedding.md): whether the payload is
 * to be read as one (`agent` is the configured agent option), and the
 * dialect step for it. */
int pe_neutral_wanted(json_object *payload, const char *agent);
int pe_neutral_apply(pe_build *b);

/* Tool step: tool.* fields from tool name and input, including paths, and
 * the views of a patch. */
int pe_tool_apply(pe_build *b);

/* Sets a path field pair of view v: id_raw gets path as sent, id_real its
 * resolved form, relative to base (NULL: the view's agent.real_cwd). When
 * id_name is not PE_F_COUNT it receives the last component of the raw path.
 * 0 or -1 (out of memory). */
int pe_tool_set_path(pe_build *b, pe_view *v, pe_field_id id_raw, pe_field_id id_name,
                     pe_field_id id_real, const char *path, size_t len, const char *base);

/* Views step: replaces the event's views by one view per file the patch
 * text touches (from_shell: the patch came inside a shell command, which
 * keeps its own view). Returns PREMPTI_OK or PREMPTI_E_EVENT with an
 * "apply_patch parse error: ..." message. */
int pe_views_from_patch(pe_build *b, const char *text, size_t len, int from_shell);

/* The most paths one tool call may name (a view each). */
#define PE_MAX_PATH_VIEWS 4096

/* Views step for a tool naming many paths (a JSON array; its strings): one
 * view per path, each with its own path fields. Fewer than two paths change
 * nothing. Returns PREMPTI_OK, PREMPTI_E_LIMIT past PE_MAX_PATH_VIEWS, or
 * PREMPTI_E_NOMEM. */
int pe_views_from_paths(pe_build *b, json_object *paths);

#endif
