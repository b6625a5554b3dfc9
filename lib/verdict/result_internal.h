/* The result object: owns copies of everything it reports. */
#ifndef PE_VERDICT_RESULT_INTERNAL_H
#define PE_VERDICT_RESULT_INTERNAL_H

#include <stdint.h>

#include "prempti/result.h"
#include "util/arena.h"

typedef struct pe_match {
    const char *rule;
    const char *output;
    const char *const *tags;
    size_t ntags;
    int priority;
    int decision;
    size_t view;       /* which view of the event matched (a file of a patch) */
    size_t rule_index; /* in the engine's evaluation order */
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
    int monitor;
};

#endif
