/* The engine object, shared by the loading and evaluation stages. */
#ifndef PE_ENGINE_INTERNAL_H
#define PE_ENGINE_INTERNAL_H

#include <stdatomic.h>

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
    /* References beyond the first (lib/holder.c): 0 for a new engine, so
     * the one who created it holds the only reference. */
    atomic_size_t extra_refs;
};

/* Drops one reference; returns 1 when it was the last one (the caller then
 * destroys the engine), 0 otherwise. */
int pe_engine_unref(prempti_engine *e);

/* Whether anyone besides the caller holds a reference (a holder, or
 * prempti_engine_ref()): such an engine may be evaluated by other threads
 * at any time, so it must not be loaded into. */
int pe_engine_shared(prempti_engine *e);
/* Reports a load into a shared engine (PREMPTI_E_INVALID_ARG). */
int pe_engine_shared_error(prempti_error **err);

#endif
