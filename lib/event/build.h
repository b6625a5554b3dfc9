/*
 * Building an event: the state shared by the dialect, tool and path steps.
 */
#ifndef PE_EVENT_BUILD_H
#define PE_EVENT_BUILD_H

#include <json-c/json.h>

#include "event/event_internal.h"
#include "prempti/config.h"

typedef struct pe_build {
    prempti_event *ev;
    pe_view *base; /* the view every other view starts from */
    const prempti_config *cfg;
    prempti_error **err;
    /* The payload normalised by the dialect step. */
    json_object *payload;    /* the root object */
    json_object *tool_input; /* NULL when absent; may be owned by ev->owned */
} pe_build;

/* Copies s into the event and sets field id of view v. 0 or -1 (OOM). */
int pe_build_set(pe_build *b, pe_view *v, pe_field_id id, const char *s, size_t len);
int pe_build_set_cstr(pe_build *b, pe_view *v, pe_field_id id, const char *s);
void pe_build_set_num(pe_view *v, pe_field_id id, uint64_t n);
/* Keeps obj alive as long as the event (takes the reference). 0 or -1. */
int pe_build_own(pe_build *b, json_object *obj);

/* A string member of obj, or NULL when absent or not a string. */
const char *pe_json_str(json_object *obj, const char *key, size_t *len);

/* Dialect step: fills agent, hook and the common agent.* fields, sets
 * b->tool_input. Returns PREMPTI_OK or an error (reported through b->err). */
int pe_dialect_apply(pe_build *b, const char *agent);
/* Detects the agent from the payload's shape; NULL when it cannot tell. */
const char *pe_dialect_detect(json_object *root);

/* Tool step: tool.* fields from tool name and input, including paths. */
int pe_tool_apply(pe_build *b);

#endif
