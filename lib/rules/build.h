/*
 * Compiling the collected items (Falco's rule_loader_compiler.cpp) after
 * each file of a load, incrementally.
 *
 * Falco compiles everything collected so far after every file, which is
 * what makes a rule in one file fail when it uses a macro that only a later
 * file defines. A check here has the same outcome with less work: a rule
 * compiled by an earlier check of the same load is compiled again only when
 * the file just read changed it, a macro it uses, or a list whose name its
 * texts mention; lists and macros are resolved again only when the file
 * changed one of them. The last check of a load assembles the ruleset.
 */
#ifndef PE_RULES_BUILD_H
#define PE_RULES_BUILD_H

#include "compile/compile.h"
#include "rules/collector.h"
#include "rules/resolve.h"
#include "util/hash.h"
#include "rules/ruleset.h"

typedef struct pe_rcache pe_rcache;

/* Bounds on what a rule set may cost, over all its rules. */
typedef struct pe_build_limits {
    unsigned max_depth; /* condition nesting (the parser's limit) */
    uint64_t max_nodes; /* condition nodes over all rules, macros expanded: the
                           most an evaluation can walk */
    size_t max_bytes;   /* memory of the compiled programs (the region's size) */
    size_t header;      /* bytes the region keeps free at its start */
} pe_build_limits;

typedef struct pe_build {
    pe_collector *c;
    pe_ldiag *d;
    pe_build_limits lim;
    pe_ruleset *rs;   /* where programs are compiled; handed out by finish */
    pe_rcache *cache; /* per rule slot */
    size_t ncache;
    /* Lists and macros as resolved by a check, kept while files change
     * neither (a directory of rule files resolves them once). */
    pe_rstate res;
    pe_arena res_arena;
    int have_res;
    /* Macro bodies compiled for this resolution, shared by the rules. */
    pe_compile_memo *memo;
    /* Outputs compiled in this load, by text: rules with the same output
     * share its format. */
    pe_hmap outputs;
    pe_arena output_keys;
    unsigned char *macro_used, *list_used; /* by lists and macros themselves */
} pe_build;

int pe_build_begin(pe_build *b, pe_collector *c, pe_ldiag *d, const pe_build_limits *lim);
/* Compiles what file fnum changed (everything on the first check). When
 * final, also computes the set's warnings. 0 or a negative status. */
int pe_build_check(pe_build *b, uint64_t fnum, int final);
/* The ruleset of the last (final) check; *out belongs to the caller. */
int pe_build_finish(pe_build *b, pe_ruleset **out);
void pe_build_end(pe_build *b);

/* Copies the compiler hints of the rules compiled so far into out: when a
 * load fails, they are reported as notes of its error. */
void pe_build_hints(const pe_build *b, pe_diags *out);

#endif
