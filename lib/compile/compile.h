/*
 * Compiling condition ASTs into programs: binds field names, checks
 * operator/type compatibility with Falco's messages, parses literals and
 * builds operator structures. Diagnostics go to a sink with the AST node's
 * source and byte offset, so the loader can turn them into file:line:col.
 */
#ifndef PE_COMPILE_COMPILE_H
#define PE_COMPILE_COMPILE_H

#include "compile/program.h"
#include "util/region.h"
#include "util/strbuf.h"

/*
 * Compiled macro bodies, shared by every rule that uses the macro: a body
 * is compiled once (with the rule set's macros resolved once, a macro's
 * AST is the same for every rule), and the diagnostics compiling it gave
 * are given again to each later rule that uses it, as a new compile would.
 * Valid while the ASTs it was filled from live.
 */
typedef struct pe_compile_memo pe_compile_memo;

pe_compile_memo *pe_compile_memo_new(void);
void pe_compile_memo_free(pe_compile_memo *m);

typedef struct pe_compile_ctx {
    /* Where the program is built. Its size is a limit: a compile that
     * would take it further stops with `over` set and no diagnostic (the
     * caller knows which item and which limit). */
    pe_region *region;
    /* Receives every error and warning. severity is PREMPTI_SEVERITY_*;
     * kind is LOAD_ERR_COMPILE_CONDITION, LOAD_ERR_VALIDATE (undefined
     * macro), LOAD_COMPILE_CONDITION (a warning) or LOAD_ERR_COMPILE_OUTPUT. */
    void (*diag)(void *user, int severity, const char *kind, const pe_cond_src *src,
                 uint32_t pos, const char *message);
    void *user;
    int errors; /* number of errors reported */
    int oom;    /* out of memory */
    pe_compile_memo *memo; /* NULL: a macro's body is compiled at every reference */
    int over;              /* the region is full */
} pe_compile_ctx;

/* Compiles a resolved condition AST (macro references are PE_AST_MACRO).
 * Stops at the first error. Returns NULL after reporting an error (or on
 * out of memory, with c->oom set, or past max_bytes, with c->over set). */
const pe_cnode *pe_compile_condition(pe_compile_ctx *c, const pe_ast_node *ast);

/* Compiles a field or transformer expression as a value source, e.g. for
 * output formats, into *out (which is in c's region: transformer arguments
 * are allocated after it). Returns 0, or -1 after reporting (or on out of
 * memory, with c->oom set, or c->over). */
int pe_compile_operand(pe_compile_ctx *c, const pe_ast_expr *e, const pe_cond_src *src,
                       pe_operand *out);

/* Appends the canonical text of a compiled condition (the AST printer's
 * form, lib/cond/print.h); a macro prints as its name, or as its body when
 * expand is set. base is the region or image the node is in. */
void pe_cnode_print(pe_strbuf *sb, const unsigned char *base, const pe_cnode *n, int expand);

/* A node's label (pe_cnode.label; the kind's name for and, or, not, true,
 * false). */
const char *pe_cnode_label(const unsigned char *base, const pe_cnode *n);

/* Whether an operand read back from an image is one the compiler makes:
 * its kind, field, argument and type agree (args: its checked arguments). */
int pe_operand_type_ok(const pe_operand *o, const pe_operand *args);

/* Checks the compiled node at ref and everything under it, against what
 * the index offers (ngroups automata of group_patterns[g] patterns), for
 * an image read back; 0, or -1 with the problem in c->why. Each node is
 * checked once (memo), kids must sit at lower offsets, and *height
 * receives the node's nesting. */
typedef struct pe_prog_check pe_prog_check;
pe_prog_check *pe_prog_check_new(pe_rcheck *c, uint32_t ngroups, const uint32_t *group_patterns);
void pe_prog_check_free(pe_prog_check *pc);
int pe_prog_check_node(pe_prog_check *pc, pe_ref ref, unsigned *height);
/* An operand (of an output) and everything under it. */
int pe_prog_check_operand(pe_prog_check *pc, pe_ref ref);

/* Falco's name of an operand's value type: "charbuf", "uint64", "bool",
 * with " (list)" for lists. */
const char *pe_type_spelling(pe_ftype t);

#endif
