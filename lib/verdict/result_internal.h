/*
 * The result object. It stands alone: what it reports at once is copied
 * into it, and what it renders later (outputs and fields of matches) it
 * renders from the image and the event it holds references to, so the
 * engine and the event may be freed first.
 */
#ifndef PE_VERDICT_RESULT_INTERNAL_H
#define PE_VERDICT_RESULT_INTERNAL_H

#include <stdint.h>

#include "event/extract.h"
#include "image/image.h"
#include "output/format.h"
#include "rules/ruleset.h"
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

/* A matching rule. Its output and fields are rendered from the event the
 * first time they are read (verdict/render.c), except the deciding
 * match's output, which the reason needed. */
typedef struct pe_match {
    uint32_t rule_index; /* in the image's rules (evaluation order) */
    uint32_t view;       /* which view of the event matched (a file of a patch) */
    int priority;
    int decision;
    const char *output;      /* NULL until rendered */
    const pe_ofield *fields; /* sorted by key, each key once; once fields_done */
    size_t nfields;
    int fields_done;
} pe_match;

/*
 * A result is one allocation: this struct, the matches, the event's text
 * the outputs report and the reason. What is rendered later goes to lazy.
 * A result with matches holds the image and the event it renders from;
 * one without holds neither.
 */
struct prempti_result {
    int decision;
    int would_be;
    int limited; /* the decision is limit_decision: the analysis stopped at a limit */
    int monitor;
    long deciding;
    uint64_t correlation_id;
    uint64_t event_time_ns; /* when the event was built */
    const char *reason;
    pe_match *matches;
    size_t nmatches;
    pe_image *img;        /* a reference, when there are matches */
    const pe_rule *rules; /* img's */
    prempti_event *event; /* a reference, when there are matches */
    pe_arena lazy;        /* outputs and fields rendered when read */
    /* The event's text, "" when the event has no value. */
    const char *agent;
    const char *hook;
    const char *session_id;
    const char *tool_name;
    const char *tool_use_id;
    const char *cwd;
    const char *hostname;
};

/* Match i's rule name and tags (from the image; valid with the result). */
const char *pe_match_rule(const prempti_result *r, size_t i);
size_t pe_match_tag_count(const prempti_result *r, size_t i);
const char *pe_match_tag(const prempti_result *r, size_t i, size_t j);

/* Match i's output, rendered the first time it is asked for; NULL when out
 * of memory. Not synchronised: a result is used by one thread at a time. */
const char *pe_match_output(const prempti_result *r, size_t i);

/* Match i's fields, collected the first time: 0, or PREMPTI_E_NOMEM. */
int pe_match_fields(const prempti_result *r, size_t i, const pe_ofield **fields, size_t *n);

/* Renders output f on view `view` of ev into sb (scratch memory of the
 * caller's; no regex runs in an output). 0 or a negative PREMPTI_E_*. */
int pe_render_output(pe_strbuf *sb, const unsigned char *base, const pe_format *f,
                     const prempti_event *ev, size_t view, pe_arena *scratch);

/*
 * Collects the fields output f uses and their values on the view x reads,
 * copied into a (Falco's output_fields). Returns 0 or a negative
 * PREMPTI_E_* code.
 */
int pe_output_fields(pe_arena *a, const pe_format *f, pe_xctx *x, const pe_ofield **out, size_t *n);

#endif
