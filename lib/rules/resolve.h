/*
 * Resolution of conditions, in Falco's order (rule_loader_compiler.cpp):
 * exception code generation (text), textual list substitution, parsing,
 * and macro substitution with Falco's visibility rules and loop detection.
 * Everything here is redone on each check of a load, in a scratch arena.
 *
 * Macro references become PE_AST_MACRO nodes linked to the macro's AST
 * (shared, not copied), so the resolved conditions form a DAG.
 */
#ifndef PE_RULES_RESOLVE_H
#define PE_RULES_RESOLVE_H

#include "cond/ast.h"
#include "rules/collector.h"
#include "util/hash.h"

/* Where a parsed text came from (the AST's opaque source). */
struct pe_cond_src {
    const pe_mtext *text;
    pe_item item;
    pe_pos fallback; /* for offsets the text's map does not cover */
};

/* Position of byte pos of src's text. */
pe_pos pe_cond_src_pos(const pe_cond_src *src, uint32_t pos);

/* A list during a check: its items with earlier lists expanded (P9). */
typedef struct pe_lres {
    const pe_mtext **items;
    size_t nitems;
    unsigned char used;
    unsigned char plain_name; /* no delimiter in the name: matched by whole tokens */
    uint32_t stamp;
} pe_lres;

typedef struct pe_mres {
    const pe_mtext *text; /* the joined text, before list substitution */
    pe_ast_node *ast;
    pe_cond_src *src;
    unsigned char done, used, sizing, seen;
    uint32_t walked; /* the top-level walk that last walked it */
    uint64_t size;   /* nodes once macros are expanded; 0: not known yet */
} pe_mres;

typedef struct pe_rstate {
    pe_collector *c;
    pe_ldiag *d;
    pe_arena *scratch;
    unsigned max_depth;
    pe_lres *lists;
    pe_mres *macros;
    uint32_t *odd_lists; /* lists whose names contain delimiters */
    size_t nodd, capodd;
    uint32_t stamp;
    uint32_t turn; /* top-level macro walks so far */
    uint64_t work; /* bytes processed by list substitution in this check */
} pe_rstate;

/* A rule's resolved condition. deps and lists are malloc'd (caller frees). */
typedef struct pe_rres {
    pe_ast_node *ast;
    const pe_cond_src *src;
    uint32_t *deps; /* macros used, directly or not */
    size_t ndeps;
    uint32_t *lists; /* lists substituted into the rule's own text */
    size_t nlists;
    uint64_t nodes; /* of the condition with its macros expanded */
    long biggest;   /* the macro used that expands to the most nodes; -1: none */
} pe_rres;

/* Expands lists, parses and resolves every macro. 0 or a negative status. */
int pe_resolve_begin(pe_rstate *s, pe_collector *c, pe_ldiag *d, pe_arena *scratch,
                     unsigned max_depth);
void pe_resolve_end(pe_rstate *s);

/* The rule's condition text with its exceptions (Falco's
 * build_rule_exception_infos), before list substitution. */
int pe_rule_text(pe_rstate *s, const pe_rinfo *r, const pe_mtext **out);
/* Joins text fragments with one space (appends). */
int pe_join_frags(pe_arena *a, const pe_mtext *const *frags, size_t n, pe_mtext *out);

/* Resolves rule slot's condition text (from pe_rule_text): substitution,
 * parsing, macros. */
int pe_resolve_rule(pe_rstate *s, size_t slot, const pe_mtext *text, pe_rres *out);

/* One list's substitution over in (Falco's resolve_list), into a; *used
 * says whether anything was replaced (then *out is the new text). */
int pe_subst_one(pe_arena *a, const pe_mtext *in, const char *name, const pe_mtext *const *items,
                 size_t n, pe_mtext *out, int *used);

/* Names of lists, to tell which texts they may change: a name without
 * delimiters only matches whole tokens (as substitution does), any other
 * name is looked for as a substring. */
typedef struct pe_nameset {
    pe_hmap plain;
    const pe_linfo **odd;
    size_t nodd, capodd;
} pe_nameset;

int pe_nameset_add(pe_nameset *s, const pe_linfo *l);
/* Whether t may contain one of the names (conservative). */
int pe_nameset_mentioned(const pe_nameset *s, const pe_mtext *t);
void pe_nameset_free(pe_nameset *s);

/* Limits that keep pathological rules files bounded. */
#define PE_MAX_TEXT          (8u << 20)   /* a condition after substitution */
#define PE_MAX_SUBST_WORK    (256u << 20) /* substitution bytes per check */
#define PE_MAX_EXPANDED      (1u << 20)   /* nodes of a rule after macro expansion */
#define PE_MAX_MACRO_NESTING 512          /* as the compiler's limit */

#endif
