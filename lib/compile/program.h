/*
 * Compiled conditions: an immutable tree of nodes whose checks have their
 * fields bound to ids, their literals parsed for the field's type, and their
 * operators' helper structures (sets, regex programs, path tries) built.
 *
 * Compiled data lives in one region (util/region.h) and refers to itself
 * only by offsets from the region's start (pe_ref, pe_rstr), with fixed-width
 * fields, so a compiled engine can be saved and mapped back at any address
 * and used in place (image/image.h). Readers take the region's base:
 * PE_AT(base, ref, T). Nothing in a program is written during evaluation.
 * A macro's compiled body is shared by every rule that uses it (the nodes
 * form a DAG).
 */
#ifndef PE_COMPILE_PROGRAM_H
#define PE_COMPILE_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "cond/ast.h"
#include "event/fields.h"
#include "util/region.h"

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
    PE_OPD_LIST,  /* a transformer list "(a, b.c, ...)": the values of args */
    PE_OPD_KIND_COUNT
} pe_opd_kind;

/* Something that yields a value for an event: a field, a transformer over
 * operands, a constant, or a list of those. `type` is the type of the
 * value produced; PE_FT_LIST is a list of strings. */
typedef struct pe_operand {
    uint8_t kind;  /* pe_opd_kind */
    uint8_t type;  /* pe_ftype */
    uint8_t xf;    /* pe_xform (XFORM) */
    uint8_t field; /* pe_field_id (FIELD) */
    pe_rstr arg;   /* field[arg] or getopt(...)[arg]; off 0: none */
    pe_ref args;   /* XFORM, LIST: nargs pe_operand */
    uint32_t nargs;
    pe_rstr cval; /* CONST */
} pe_operand;

typedef struct pe_check {
    pe_operand lhs;
    uint8_t op;  /* pe_op */
    uint8_t mod; /* pe_mod */
    uint8_t pad[2];
    /* Constant right-hand side (rhs == 0): every literal, as written
     * (unescaped), in order, for every operator. */
    pe_ref vals; /* nvals pe_rstr */
    uint32_t nvals;
    pe_ref nums;    /* nvals uint64_t: vals parsed, for numeric and boolean fields */
    pe_ref set;     /* pe_strset: in/intersects on strings */
    pe_ref regexes; /* nvals pe_ref to pe_regex: one program per value */
    /* Several regexes: an automaton over their needed texts (one scan of
     * a value tells which programs can match it) and each one's patterns:
     * nvals + 1 offsets, then the pattern ids; regex i can match only if
     * one of ids[first[i]] .. ids[first[i + 1] - 1] occurs (none: it always
     * runs). 0: none (each program looks for its own literal). */
    pe_ref rx_aho;  /* pe_aho */
    pe_ref rx_pats; /* uint32_t: first[nvals + 1], ids[first[nvals]] */
    pe_ref pm;      /* pe_pmatch */
    /* Right-hand side read from the event: val(field) or a transformer. */
    pe_ref rhs; /* pe_operand */
    /* Set when the rule set is indexed (eval/prefilter.c): contains and
     * icontains on a plain field are answered by the field's automaton
     * `lit_group`, value i being pattern lit_ids[i]. 0: not indexed. */
    pe_ref lit_ids; /* nvals uint32_t */
    uint32_t lit_group;
} pe_check;

typedef enum pe_cnode_kind {
    PE_C_AND,
    PE_C_OR,
    PE_C_NOT,
    PE_C_CHECK,
    PE_C_TRUE,
    PE_C_FALSE,
    PE_C_MACRO, /* a macro reference: one kid, the macro's body */
    PE_C_KIND_COUNT
} pe_cnode_kind;

typedef struct pe_cnode {
    uint8_t kind; /* pe_cnode_kind */
    uint8_t pad[3];
    uint32_t nkids;
    pe_ref kids;  /* nkids pe_ref to pe_cnode, each at a lower offset */
    pe_ref check; /* pe_check */
    /* What a check or a macro reference is, for explanations: the check in
     * canonical text ("tool.name in (Bash, bash)"), the macro's name (the
     * other kinds are named by pe_cnode_label). */
    pe_rstr label;
} pe_cnode;

/* A string of compiled data as a pe_str (NULL for off 0). */
static inline pe_str pe_rstr_str(const unsigned char *base, pe_rstr s)
{
    pe_str v = {s.off ? (const char *)base + s.off : NULL, s.len};
    return v;
}

/* A string of compiled data as a C string ("" for off 0). */
static inline const char *pe_rstr_c(const unsigned char *base, pe_rstr s)
{
    return s.off ? (const char *)base + s.off : "";
}

/* Kid i of node n. */
static inline const pe_cnode *pe_cnode_kid(const unsigned char *base, const pe_cnode *n, uint32_t i)
{
    return PE_AT(base, PE_AT(base, n->kids, pe_ref)[i], pe_cnode);
}

#endif
