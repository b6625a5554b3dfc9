/*
 * The event: a parsed hook payload with every field value computed that
 * needs the outside world (paths) or is cheap. Immutable once built.
 *
 * An event has one or more views. A view is what one evaluation sees: the
 * whole tool call, or - for a multi-file patch - one touched file with only
 * its own hunk, so content of one file can never combine with another
 * file's path. prempti_evaluate() evaluates every view and escalates.
 */
#ifndef PE_EVENT_INTERNAL_H
#define PE_EVENT_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>

#include "prempti/event.h"
#include "event/fields.h"
#include "util/arena.h"

struct json_object;
struct pe_shell_result;

typedef struct pe_view {
    pe_value v[PE_F_COUNT];
    unsigned char present[PE_F_COUNT]; /* 1: the field has a value */
    /* The tool input this view sees (NULL when the payload has none);
     * owned by the event. Read-only json-c calls only. */
    const struct json_object *tool_input;
    /* The shell analysis of the view's command (shell tools only), made
     * when the event was built, in the event's arena; else NULL. */
    const struct pe_shell_result *shell;
    /* Its paths resolved, with their roles (PE_SHELL_P_*). */
    const pe_str *rpaths;
    const unsigned *rroles;
    size_t nrpaths;
} pe_view;

struct prempti_event {
    pe_arena arena;             /* every string the views point to */
    struct json_object *root;   /* the parsed payload */
    struct json_object **owned; /* tool inputs made for views, decoded JSON text */
    size_t owned_count, owned_cap;
    char **bufs; /* large field values handed over by the build */
    size_t buf_count, buf_cap;
    pe_view *views; /* at least one */
    size_t view_count;
    const char *agent; /* "claude_code", ... */
    const char *hook;  /* as the agent spelled it */
    uint64_t correlation_id;
    /* Some analysis stopped at a limit: what runs is not fully known, and
     * the verdict asks at least (limit_decision). */
    int incomplete;
    /* Holders besides the first: results that render their outputs from
     * the event when read (pe_event_ref); prempti_event_free() by each. */
    atomic_size_t extra_refs;
};

/* Another holder of ev (released with prempti_event_free()). */
prempti_event *pe_event_ref(const prempti_event *ev);

#endif
