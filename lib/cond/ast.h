/*
 * The condition AST, as the parser produces it (Falco's grammar; see
 * docs/rules-language.md). Nodes live in an arena and are never modified
 * after parsing, except that the rules loader turns PE_AST_IDENT nodes into
 * PE_AST_MACRO links, so a macro's AST can be shared by every condition
 * that references it.
 *
 * Every node and every literal records `pos`, the byte offset of its first
 * character in the parsed text, and every node records `src`, the text it
 * was parsed from, so a diagnostic can point at the YAML line and column
 * (see pe_cond_src).
 */
#ifndef PE_COND_AST_H
#define PE_COND_AST_H

#include <stddef.h>
#include <stdint.h>

/* Where a parsed text came from; owned by the loader. Opaque to the parser. */
typedef struct pe_cond_src pe_cond_src;

typedef enum pe_op {
    PE_OP_EQ, /* = and == */
    PE_OP_NE, /* != */
    PE_OP_LT,
    PE_OP_LE,
    PE_OP_GT,
    PE_OP_GE,
    PE_OP_CONTAINS,
    PE_OP_ICONTAINS,
    PE_OP_BCONTAINS,
    PE_OP_STARTSWITH,
    PE_OP_BSTARTSWITH,
    PE_OP_ENDSWITH,
    PE_OP_GLOB,
    PE_OP_IGLOB,
    PE_OP_REGEX,
    PE_OP_IN,
    PE_OP_INTERSECTS,
    PE_OP_PMATCH,
    PE_OP_EXISTS,
    PE_OP_COUNT
} pe_op;

typedef enum pe_mod {
    PE_MOD_NONE,
    PE_MOD_ONEOF,
    PE_MOD_ANYOF,
    PE_MOD_ALLOF
} pe_mod;

/* A literal value: quoted (escapes already processed) or bare (verbatim). */
typedef struct pe_ast_lit {
    const char *s; /* NUL-terminated copy in the arena */
    size_t len;
    uint32_t pos; /* offset of the first character (the quote, if quoted) */
    unsigned char quoted;
} pe_ast_lit;

typedef enum pe_expr_kind {
    PE_EXPR_FIELD,     /* name[arg] */
    PE_EXPR_TRANSFORM, /* name(args...)[arg] */
    PE_EXPR_LITERAL,   /* a quoted string or a number, as a transformer argument */
    PE_EXPR_LIST       /* (a, b, ...) as a transformer argument; args are the items */
} pe_expr_kind;

/* A value-producing operand: a field, a transformer call, or a literal. */
typedef struct pe_ast_expr {
    pe_expr_kind kind;
    uint32_t pos;
    const char *name; /* field or transformer name (NUL-terminated) */
    size_t name_len;
    const char *arg; /* [arg] content, or NULL when there is no [arg] */
    size_t arg_len;
    struct pe_ast_expr **args; /* transformer arguments, list items */
    size_t nargs;
    pe_ast_lit lit; /* PE_EXPR_LITERAL */
} pe_ast_expr;

typedef enum pe_rhs_kind {
    PE_RHS_NONE,  /* `exists` */
    PE_RHS_VALUE, /* one literal: string ops, numeric ops */
    PE_RHS_LIST,  /* (a, b) : in/intersects/pmatch, or a modifier's list */
    PE_RHS_IDENT, /* a bare identifier after a list op or a modifier (one literal) */
    PE_RHS_EXPR   /* val(field) or a transformer */
} pe_rhs_kind;

typedef enum pe_node_kind {
    PE_AST_AND,
    PE_AST_OR,
    PE_AST_NOT,
    PE_AST_CHECK,
    PE_AST_IDENT, /* a macro reference (before resolution) */
    PE_AST_MACRO  /* a resolved macro reference: `target` is the macro's AST */
} pe_node_kind;

typedef struct pe_ast_node {
    pe_node_kind kind;
    uint32_t pos;
    const pe_cond_src *src;
    /* AND, OR: two or more kids; NOT: one kid */
    struct pe_ast_node **kids;
    size_t nkids;
    /* CHECK */
    pe_ast_expr *lhs;
    pe_op op;
    const char *op_text; /* as written, e.g. "==" vs "=" */
    uint32_t op_pos;     /* offset of the operator */
    pe_mod mod;
    pe_rhs_kind rhs_kind;
    uint32_t rhs_pos;  /* offset of the right-hand side (value, list, ...) */
    pe_ast_lit value;  /* RHS_VALUE, RHS_IDENT */
    pe_ast_lit *list;  /* RHS_LIST */
    size_t nlist;
    pe_ast_expr *rhs;  /* RHS_EXPR; for val(x) this is x with `rhs_is_val` set */
    unsigned char rhs_is_val;
    /* IDENT, MACRO */
    const char *ident;
    size_t ident_len;
    const struct pe_ast_node *target; /* MACRO */
    const void *macro;                /* MACRO: the loader's macro, for diagnostics */
} pe_ast_node;

/* The operator's Falco spelling ("contains", "=", ...). */
const char *pe_op_name(pe_op op);

/* The modifier's spelling ("oneof", ...); "" for PE_MOD_NONE. */
const char *pe_mod_name(pe_mod mod);

#endif
