/* The engine object, shared by the loading and evaluation stages. */
#ifndef PE_ENGINE_INTERNAL_H
#define PE_ENGINE_INTERNAL_H

#include "error_internal.h"
#include "eval/prefilter.h"
#include "output/format.h"
#include "prempti/engine.h"
#include "rules/loader.h"

/* Per rule of the current ruleset: derived from the rule and the config. */
typedef struct pe_rule_state {
    unsigned char active;   /* takes part in evaluation */
    unsigned char decision; /* enum prempti_decision its tags ask for */
} pe_rule_state;

struct prempti_engine {
    prempti_config *cfg; /* private copy */
    pe_loader *loader;
    pe_ruleset *rs;       /* NULL until the first successful load */
    pe_rule_state *state; /* rs->nrules entries */
    pe_arena pf_arena;    /* the prefilter of the current ruleset */
    const pe_prefilter *pf;
    pe_diags warnings;    /* of each file read (the set's own are in rs) */
    int floor;        /* enum prempti_decision */
    int monitor;      /* monitor mode */
    int limit_decision; /* at least this for an event whose analysis stopped at a limit */
    int min_priority; /* least severe priority kept */
    pe_arena suffix_arena;
    const pe_format *suffix; /* reason suffix; NULL for none */
    uint64_t max_regex_work; /* regex steps per evaluation */
};

#endif
