/*
 * The collector: every list, macro and rule read so far, with Falco's
 * semantics across files (rule_loader_collector.cpp): definitions,
 * redefinitions that keep their evaluation slot, appends, selective
 * replaces, the enable-only form, exception validation, and the sequence
 * numbers behind macro and list visibility.
 *
 * Everything lives in the loader's arena. A load is a transaction:
 * pe_coll_begin() marks the state, pe_coll_rollback() restores it exactly
 * (entries changed during the load are copied on first write and their old
 * versions kept in an undo log), pe_coll_commit() keeps the changes.
 */
#ifndef PE_RULES_COLLECTOR_H
#define PE_RULES_COLLECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "rules/diag.h"
#include "rules/srcmap.h"
#include "util/arena.h"

/* The engine version libprempti reports (Falco 0.44's engine). */
#define PE_ENGINE_VERSION_MAJOR 0
#define PE_ENGINE_VERSION_MINOR 62
#define PE_ENGINE_VERSION_PATCH 0
/* The built-in pseudo-plugin providing the coding_agent source: the
 * version of upstream's coding_agent plugin whose fields libprempti offers. */
#define PE_PLUGIN_NAME    "coding_agent"
#define PE_PLUGIN_VERSION "0.2.0"
#define PE_SOURCE         "coding_agent"

/* Falco's messages (rule_loading_messages.h). */
#define PE_WARNING_APPEND                                                                          \
    "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under "          \
    "'override' instead."
#define PE_WARNING_ENABLED                                                                         \
    "The standalone 'enabled' key usage is deprecated. The correct approach requires also a "      \
    "'replace' entry under the 'override' key (i.e. 'enabled: replace')."
#define PE_ERROR_OVERRIDE_APPEND                                                                   \
    "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry "           \
    "(e.g. 'condition: append') under 'override' instead."

/* An exception's fields, comps or one of its values: a string or a list
 * (Falco's rule_exception_info::entry). */
typedef struct pe_xent {
    int is_list;
    pe_mtext text; /* !is_list */
    struct pe_xent *items;
    size_t nitems;
    pe_pos pos;
} pe_xent;

/* Falco's entry::is_valid(): a non-empty string or a non-empty list. */
int pe_xent_valid(const pe_xent *e);

typedef struct pe_exc {
    const char *name;
    pe_pos pos;
    pe_xent fields, comps;
    pe_xent *values;
    size_t nvalues, capvalues;
} pe_exc;

typedef struct pe_linfo {
    const char *name;
    size_t name_len;
    pe_pos pos;
    pe_mtext *items;
    size_t nitems, capitems;
    uint32_t index, visibility;
    uint64_t gen, mod;
} pe_linfo;

typedef struct pe_minfo {
    const char *name;
    size_t name_len;
    pe_pos pos;
    const pe_mtext **cond; /* fragments, joined with one space */
    size_t ncond, capcond;
    uint32_t index, visibility;
    uint64_t gen, mod;
} pe_minfo;

typedef struct pe_rinfo {
    const char *name;
    size_t name_len;
    pe_pos pos;
    const pe_mtext **cond, **output; /* fragments, joined with one space */
    size_t ncond, capcond, noutput, capoutput;
    const char **desc;
    size_t ndesc, capdesc;
    const char **tags; /* a set: duplicates removed when the ruleset is built */
    size_t ntags, captags;
    pe_exc *exc;
    size_t nexc, capexc;
    const char *source;
    int priority, enabled, warn_evttypes, skip_unknown, capture;
    uint64_t capture_duration;
    int unknown_source;
    uint32_t index, visibility;
    uint64_t gen, mod;
} pe_rinfo;

/* What an item read from a file brings: Falco's rule_info / rule_update_info.
 * A key is present when its has_ flag is set. */
typedef struct pe_rupdate {
    const char *name;
    pe_pos pos;
    int has_cond, has_output, has_desc, has_tags, has_exc, has_priority, has_enabled, has_warn,
        has_skip, has_capture, has_capture_duration;
    const pe_mtext *cond, *output;
    const char *desc;
    const char **tags;
    size_t ntags;
    pe_exc *exc;
    size_t nexc;
    const char *source;
    int source_missing; /* source defaulted to "syscall" */
    int priority, enabled, warn_evttypes, skip_unknown, capture;
    uint64_t capture_duration;
} pe_rupdate;

typedef struct pe_semver {
    uint32_t major, minor, patch;
} pe_semver;

typedef struct pe_plugin_alt {
    const char *name;
    const char *version;
} pe_plugin_alt;

typedef struct pe_plugin_req {
    pe_pos pos;
    pe_plugin_alt *alts;
    size_t nalts;
} pe_plugin_req;

/* Name -> slot index without stored keys (so a rollback never leaves a
 * dangling key behind). */
typedef struct pe_nameidx {
    uint32_t *slots; /* slot + 1; 0 is empty */
    size_t cap;
} pe_nameidx;

typedef struct pe_undo pe_undo;

typedef struct pe_collector {
    pe_arena arena;
    pe_linfo *lists;
    size_t nlists, caplists;
    pe_minfo *macros;
    size_t nmacros, capmacros;
    pe_rinfo *rules;
    size_t nrules, caprules;
    pe_nameidx list_idx, macro_idx, rule_idx;
    uint32_t seq; /* Falco's m_cur_index */
    pe_semver required_engine;
    pe_plugin_req *reqs;
    size_t nreqs, capreqs;
    size_t items;  /* top-level items read, for max_items */
    uint64_t gen;  /* the current load */
    uint64_t fnum; /* the current file, counted over all loads */
    /* the transaction */
    pe_arena_mark mark;
    size_t mark_lists, mark_macros, mark_rules, mark_reqs, mark_items;
    uint32_t mark_seq;
    pe_semver mark_engine;
    pe_undo *undo;
    size_t nundo, capundo;
} pe_collector;

void pe_coll_init(pe_collector *c);
void pe_coll_free(pe_collector *c);
void pe_coll_begin(pe_collector *c);
void pe_coll_commit(pe_collector *c);
void pe_coll_rollback(pe_collector *c);

/* Lookups: the slot, or -1. */
long pe_coll_find_list(const pe_collector *c, const char *name, size_t len);
long pe_coll_find_macro(const pe_collector *c, const char *name, size_t len);
long pe_coll_find_rule(const pe_collector *c, const char *name, size_t len);

/* Falco's collector operations. They return 0 or a negative status after
 * recording the error in d. Pointers in the arguments must live in the
 * collector's arena. */
int pe_coll_define_list(pe_collector *c, pe_ldiag *d, const char *name, pe_pos pos,
                        const pe_mtext *items, size_t n);
int pe_coll_append_list(pe_collector *c, pe_ldiag *d, const char *name, pe_pos pos,
                        const pe_mtext *items, size_t n);
int pe_coll_define_macro(pe_collector *c, pe_ldiag *d, const char *name, pe_pos pos,
                         const pe_mtext *cond);
int pe_coll_append_macro(pe_collector *c, pe_ldiag *d, const char *name, pe_pos pos,
                         const pe_mtext *cond);
int pe_coll_define_rule(pe_collector *c, pe_ldiag *d, const pe_rupdate *u);
int pe_coll_append_rule(pe_collector *c, pe_ldiag *d, const pe_rupdate *u);
int pe_coll_replace_rule(pe_collector *c, pe_ldiag *d, const pe_rupdate *u);
int pe_coll_enable_rule(pe_collector *c, pe_ldiag *d, const pe_rupdate *u);
int pe_coll_engine_version(pe_collector *c, pe_ldiag *d, pe_semver v, pe_pos pos);
int pe_coll_plugin_req(pe_collector *c, pe_ldiag *d, const pe_plugin_req *r);
/* Checks every plugin requirement against the built-in coding_agent plugin. */
int pe_coll_check_plugins(const pe_collector *c, pe_ldiag *d);

/* Falco's semver parsing (sscanf "%u.%u.%u"): 0, or -1 when invalid. */
int pe_semver_parse(const char *s, pe_semver *out);
/* Same major, and have >= want. */
int pe_semver_compatible(pe_semver have, pe_semver want);

/* Whether op is a comparison operator an exception may use: Falco's
 * operators, or (0.44) a string operator with a list modifier such as
 * "startswith anyof". *list_like receives whether its value is a list. */
int pe_exc_operator(const char *op, size_t len, int *list_like);

/* Falco's validate_exception_info() for one exception (defaults its
 * comps), and for every exception of a definition or replacement, which
 * must each have fields. 0 or a negative status recorded in d. */
int pe_exc_validate(pe_collector *c, pe_ldiag *d, const pe_rupdate *u, pe_exc *ex,
                    int known_source);
int pe_exc_validate_all(pe_collector *c, pe_ldiag *d, const pe_rupdate *u, pe_exc *exc, size_t n,
                        int known_source);

/* Field-name check of exception fields; implemented by the compile glue. */
int pe_exc_field_defined(const char *text, size_t len);

#endif
