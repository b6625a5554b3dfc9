/*
 * The condition parser: Falco's recursive-descent grammar, its lexing
 * order, its quirks and its error messages.
 */
#ifndef PE_COND_PARSER_H
#define PE_COND_PARSER_H

#include "cond/ast.h"
#include "util/arena.h"

typedef struct pe_parse_error {
    uint32_t pos;       /* byte offset of the problem in the text */
    char message[256];  /* Falco's wording, e.g. "expected a ')' token" */
} pe_parse_error;

/*
 * Parses text (len bytes) into an AST allocated in arena. Every node's src
 * is set to src. max_depth bounds nesting (Falco uses 1000).
 * Returns 0, or -1 with *err filled (a syntax error, or the depth limit),
 * or -2 when out of memory.
 */
int pe_parse_condition(pe_ast_node **out, const char *text, size_t len, const pe_cond_src *src,
                       unsigned max_depth, pe_arena *arena, pe_parse_error *err);

/*
 * Parses a transformer call (e.g. "toupper(tool.name)") at the start of
 * text, as outputs use them after '%'. Returns 0 with *out NULL when text
 * does not start with a transformer call, 0 with *out set and *consumed
 * bytes used, -1 with *err on a syntax error, -2 when out of memory.
 */
int pe_parse_transformer_prefix(pe_ast_expr **out, size_t *consumed, const char *text,
                                size_t len, const pe_cond_src *src, pe_arena *arena,
                                pe_parse_error *err);

#endif
