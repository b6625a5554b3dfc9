/*
 * YAML text -> a small node tree with positions, built from libyaml's
 * events so that nesting depth and alias expansion are bounded while the
 * text is parsed (a rules file can neither exhaust the stack nor blow up
 * through aliases). Aliases become shared nodes.
 */
#ifndef PE_RULES_YTREE_H
#define PE_RULES_YTREE_H

#include <stddef.h>
#include <stdint.h>

#include "rules/srcmap.h"
#include "util/arena.h"

typedef enum pe_ykind { PE_Y_SCALAR, PE_Y_SEQ, PE_Y_MAP } pe_ykind;

typedef struct pe_ynode {
    pe_ykind kind;
    unsigned char style;   /* scalars: libyaml's yaml_scalar_style_t */
    unsigned char is_null; /* a plain "", "~", "null", "Null" or "NULL" */
    unsigned char open;    /* a collection still being parsed */
    pe_pos pos;            /* the node's first byte */
    uint32_t end;          /* scalars: the byte after the node */
    int parent_indent;     /* column of the enclosing block collection, or -1 */
    const char *s;         /* scalars: the decoded value (NUL-terminated) */
    size_t len;
    struct pe_ynode **kids; /* SEQ: items; MAP: key, value, key, value, ... */
    size_t nkids;
    uint64_t weight; /* nodes in the expansion (aliases counted again) */
} pe_ynode;

typedef struct pe_yerror {
    pe_pos pos;
    int limit; /* a limit was hit, not a syntax error */
    char message[320];
} pe_yerror;

/*
 * Parses every document of text. *docs receives the document roots (NULL
 * for an empty document); everything is allocated in a. max_depth bounds
 * collection nesting. Returns 0, -1 with *err filled, or -2 when out of
 * memory.
 */
int pe_yaml_parse(pe_ynode ***docs, size_t *ndocs, const char *text, size_t len,
                  const pe_srcfile *f, unsigned max_depth, pe_arena *a, pe_yerror *err);

/* The value of key in a mapping (the first such key, as yaml-cpp finds
 * it), or NULL. *key_out (may be NULL) receives the key node. */
const pe_ynode *pe_ymap_get(const pe_ynode *map, const char *key, const pe_ynode **key_out);

#endif
