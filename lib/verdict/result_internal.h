/*
 * The result object: owns copies of everything it reports, including what
 * the outputs (result JSON, agent responses, audit records) need from the
 * event, so a result never points into an engine or an event.
 */
#ifndef PE_VERDICT_RESULT_INTERNAL_H
#define PE_VERDICT_RESULT_INTERNAL_H

#include <stdint.h>

#include "event/extract.h"
#include "output/format.h"
#include "prempti/result.h"
#include "util/arena.h"

/* One field a rule's output uses, with its value for the matching view,
 * typed the way Falco's JSON output types it. */
typedef struct pe_ofield {
    const char *key; /* the field as the output wrote it, e.g. "tool.input[command]" */
    int present;     /* 0: no value (JSON null) */
    pe_ftype type;
    pe_value value; /* strings and list items live in the result's arena */
} pe_ofield;

typedef struct pe_match {
    const char *rule;
    const char *output;
    const char *const *tags;
    size_t ntags;
    int priority;
    int decision;
    size_t view;             /* which view of the event matched (a file of a patch) */
    size_t rule_index;       /* in the engine's evaluation order */
    const pe_ofield *fields; /* sorted by key, each key once */
    size_t nfields;
} pe_match;

struct prempti_result {
    pe_arena arena; /* every string below */
    int decision;
    int would_be;
    const char *reason;
    uint64_t correlation_id;
    pe_match *matches;
    size_t nmatches, capmatches;
    long deciding;
    int limited; /* the decision is limit_decision: the analysis stopped at a limit */
    int monitor;
    /* Copied from the event into the result's own allocation, after the
     * struct ("" when the event has no value). */
    const char *agent;
    const char *hook;
    const char *session_id;
    const char *tool_name;
    const char *tool_use_id;
    const char *cwd;
    const char *hostname;
    uint64_t event_time_ns; /* when the event was built */
};

/*
 * Collects the fields output f uses and their values on the view x reads,
 * copied into a (Falco's output_fields). Returns 0 or a negative
 * PREMPTI_E_* code.
 */
int pe_output_fields(pe_arena *a, const pe_format *f, pe_xctx *x, const pe_ofield **out, size_t *n);

#endif
