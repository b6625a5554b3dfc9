/*
 * A compiled rule set: what the loader hands to the engine after each load.
 * Its rules and their programs live in one region (util/region.h), which
 * the engine goes on to fill with its index and seal (image/image.h).
 */
#ifndef PE_RULES_RULESET_H
#define PE_RULES_RULESET_H

#include <stddef.h>

#include "compile/program.h"
#include "error_internal.h"
#include "output/format.h"
#include "util/region.h"

typedef struct pe_rule {
    pe_rstr name;
    pe_rstr desc;
    pe_rstr source; /* "coding_agent", or another source (not compiled) */
    pe_rstr file;   /* where it was (last fully) defined */
    /* the condition as compiled: exceptions added, lists substituted
     * (off 0 when not compiled) */
    pe_rstr cond_text;
    pe_ref tags; /* ntags pe_rstr, sorted, unique */
    uint32_t ntags;
    pe_ref cond;   /* pe_cnode; 0 when the rule is not compiled */
    pe_ref output; /* pe_format; 0 when the rule is not compiled */
    uint32_t line;
    uint32_t column;
    uint8_t priority; /* enum prempti_priority */
    uint8_t enabled;  /* as the rules files leave it */
    uint8_t pad[2];
} pe_rule;

typedef struct pe_ruleset {
    pe_region region;
    pe_rule *rules; /* in the region, in evaluation order (first definition) */
    size_t nrules;
    /* Warnings about the set as a whole (unused macros and lists, compiler
     * hints, skipped rules), recomputed by every load. */
    pe_diags warnings;
} pe_ruleset;

void pe_ruleset_free(pe_ruleset *rs);

#endif
