/* The engine object, shared by the loading and evaluation stages. */
#ifndef PE_ENGINE_INTERNAL_H
#define PE_ENGINE_INTERNAL_H

#include <stdatomic.h>

#include "error_internal.h"
#include "eval/prefilter.h"
#include "image/image.h"
#include "output/format.h"
#include "prempti/engine.h"
#include "rules/loader.h"
#include "rules/ruleset.h"

struct prempti_engine {
    prempti_config *cfg; /* private copy */
    pe_loader *loader;   /* NULL for an engine mapped from an image: it loads nothing more */
    pe_image *img;       /* the compiled rules; NULL until the first load */
    /* Parts of img, for evaluation (all NULL / 0 while img is NULL). */
    const unsigned char *base;
    const pe_rule *rules;
    const pe_rule_state *state;
    size_t nrules;
    const pe_prefilter *pf;
    const pe_format *suffix; /* reason suffix; NULL for none */
    pe_accel *accel;         /* dense automata of pf (NULL with no rules) */
    pe_lazy *lazy;           /* for an image read back: checks before first use */
    pe_diags file_warnings;  /* of each file read, when it was read */
    pe_diags set_warnings;   /* of the current set as a whole */
    pe_sources sources;      /* every file and text loaded, in order */
    int floor;               /* enum prempti_decision */
    int monitor;             /* monitor mode */
    int limit_decision;      /* at least this for an event whose analysis stopped at a limit */
    int min_priority;        /* least severe priority kept */
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
/* A new engine with cfg's options (the reason suffix checked); with a
 * loader when it will load rules files (not when an image is mapped in). */
int pe_engine_create(prempti_engine **out, const prempti_config *cfg, int with_loader,
                     prempti_error **err);

/* Points the engine's parts at img (taken over, with lazy, the checks of
 * an image read back, or NULL for one compiled here; the previous ones are
 * released); its dense automata are built now when eager is set, else as
 * they get used. 0, or -1 when out of memory (img and lazy are released). */
int pe_engine_attach(prempti_engine *e, pe_image *img, pe_lazy *lazy, int eager);

/* The rules files paths name (each a file, or a directory's *.yaml and
 * *.yml files in name order), as prempti_engine_load_rules_paths() reads
 * them: *names (n new strings, free each and the array). */
int pe_engine_expand_paths(const char *const *paths, size_t npaths, char ***names, size_t *n,
                           prempti_error **err);

/* Compiles cfg's reason suffix into r: *out is its pe_format (0 when there
 * is none). PREMPTI_OK, or a status with *err set. */
int pe_engine_compile_suffix(const prempti_config *cfg, pe_region *r, pe_ref *out,
                             prempti_error **err);

/* The i-th rule's name (rule i < e->nrules). */
static inline const char *pe_engine_rule_name(const prempti_engine *e, size_t i)
{
    return pe_rstr_c(e->base, e->rules[i].name);
}

#endif
