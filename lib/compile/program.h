/*
 * Compiled conditions: an immutable tree of nodes whose checks have their
 * fields bound to ids, their literals parsed for the field's type, and their
 * operators' helper structures (sets, regex programs, path tries) built.
 * Nothing in a program is written during evaluation, and everything in it
 * lives in the ruleset's arena. A macro's compiled body may be shared by
 * several rules (the tree is then a DAG).
 */
#ifndef PE_COMPILE_PROGRAM_H
#define PE_COMPILE_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "cond/ast.h"
#include "event/fields.h"

typedef enum pe_xform {
    PE_XF_TOLOWER,
    PE_XF_TOUPPER,
    PE_XF_B64,
    PE_XF_BASENAME,
    PE_XF_LEN,
    PE_XF_JOIN,
    PE_XF_CONCAT,
    PE_XF_GETOPT,
    PE_XF_COUNT
} pe_xform;

typedef enum pe_opd_kind {
    PE_OPD_FIELD,
    PE_OPD_XFORM,
    PE_OPD_CONST, /* a literal argument of a transformer */
    PE_OPD_LIST   /* a transformer list "(a, b.c, ...)": the values of args */
} pe_opd_kind;

/* Something that yields a value for an event: a field, a transformer over
 * operands, a constant, or a list of those. `type` is the type of the
 * value produced; PE_FT_LIST is a list of strings. */
typedef struct pe_operand {
    pe_opd_kind kind;
    pe_ftype type;
    pe_field_id field;
    const char *arg; /* field[arg] or getopt(...)[arg]; NULL when none */
    size_t arg_len;
    pe_xform xf;
    struct pe_operand *args; /* XFORM, LIST */
    size_t nargs;
    pe_str cval; /* CONST */
} pe_operand;

typedef struct pe_regex pe_regex;   /* compile/regex.h */
typedef struct pe_pmatch pe_pmatch; /* compile/ops.h */
typedef struct pe_strset pe_strset; /* compile/ops.h */

typedef struct pe_check {
    pe_operand lhs;
    pe_op op;
    pe_mod mod;
    /* Constant right-hand side (rhs == NULL): every literal, as written
     * (unescaped), in order, for every operator. */
    const pe_str *vals;
    size_t nvals;
    const uint64_t *nums;          /* vals parsed, for numeric and boolean fields */
    const pe_strset *set;          /* in/intersects on strings: the values */
    const pe_regex *const *regexes; /* regex: one program per value */
    const pe_pmatch *pm;           /* pmatch */
    /* Right-hand side read from the event: val(field) or a transformer. */
    const pe_operand *rhs;
    /* Set when the rule set is indexed (eval/prefilter.c): contains and
     * icontains on a plain field are answered by the field's automaton
     * `lit_group`, value i being pattern lit_ids[i]. NULL: not indexed. */
    const uint32_t *lit_ids;
    uint32_t lit_group;
} pe_check;

typedef enum pe_cnode_kind {
    PE_C_AND,
    PE_C_OR,
    PE_C_NOT,
    PE_C_CHECK,
    PE_C_TRUE,
    PE_C_FALSE,
    PE_C_MACRO /* a macro reference: one kid, the macro's body */
} pe_cnode_kind;

typedef struct pe_cnode {
    pe_cnode_kind kind;
    size_t nkids;
    const struct pe_cnode *const *kids;
    const pe_check *check;
    /* What the node is, for explanations: the check in canonical text
     * ("tool.name in (Bash, bash)"), the macro's name, or "and", "or",
     * "not", "true", "false". */
    const char *label;
} pe_cnode;

#endif
