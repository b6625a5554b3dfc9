/*
 * A compiled rule set: what the loader hands to the engine after each load.
 * Immutable; everything lives in its arena.
 */
#ifndef PE_RULES_RULESET_H
#define PE_RULES_RULESET_H

#include <stddef.h>

#include "compile/program.h"
#include "error_internal.h"
#include "output/format.h"
#include "util/arena.h"

typedef struct pe_rule {
    const char *name;
    const char *desc;
    int priority;            /* enum prempti_priority */
    const char *const *tags; /* sorted, unique */
    size_t ntags;
    int enabled;             /* as the rules files leave it */
    const char *source;      /* "coding_agent", or another source (not compiled) */
    const pe_cnode *cond;    /* NULL when the rule is not compiled */
    const pe_format *output; /* NULL when the rule is not compiled */
    const char *file;        /* where it was (last fully) defined */
    unsigned line;
    unsigned column;
    /* the condition as compiled: exceptions added, lists substituted (NULL
     * when not compiled) */
    const char *cond_text;
} pe_rule;

typedef struct pe_ruleset {
    pe_arena arena;
    pe_rule *rules; /* in evaluation order (first definition) */
    size_t nrules;
    /* Warnings about the set as a whole (unused macros and lists, compiler
     * hints, skipped rules), recomputed by every load. */
    pe_diags warnings;
} pe_ruleset;

void pe_ruleset_free(pe_ruleset *rs);

#endif
