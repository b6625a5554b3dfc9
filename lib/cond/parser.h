/*
 * The condition parser: Falco's recursive-descent grammar, its lexing
 * order, its quirks and its error messages (docs/rules-language.md).
 */
#ifndef PE_COND_PARSER_H
#define PE_COND_PARSER_H

#include "cond/ast.h"
#include "util/arena.h"

typedef struct pe_parse_error {
    uint32_t pos;      /* byte offset of the problem in the text */
    char message[256]; /* Falco's wording, e.g. "expected a ')' token" */
} pe_parse_error;

/*
 * Parses text (len bytes) into an AST allocated in arena. Every node's src
 * is set to src. max_depth bounds the parser's recursion the way Falco's
 * depth guard does (Falco passes 1000): the error is "exceeded max depth
 * limit of N". Returns 0, or -1 with *err filled (a syntax error, or the
 * depth limit), or -2 when out of memory.
 */
int pe_parse_condition(pe_ast_node **out, const char *text, size_t len, const pe_cond_src *src,
                       unsigned max_depth, pe_arena *arena, pe_parse_error *err);

/*
 * Parses one field (with its [arg]) or one transformer call at the start of
 * text and stops there, as outputs use them after '%'. Returns 0 with *out
 * set and *consumed bytes used, -1 with *err when text does not start with
 * a valid field or transformer, -2 when out of memory.
 */
int pe_parse_field_or_transformer(pe_ast_expr **out, size_t *consumed, const char *text,
                                  size_t len, pe_arena *arena, pe_parse_error *err);

/*
 * Parses a transformer call (e.g. "toupper(tool.name)") at the start of
 * text. Returns 0 with *out NULL when text does not start with a
 * transformer call, 0 with *out set and *consumed bytes used, -1 with *err
 * on a syntax error, -2 when out of memory.
 */
int pe_parse_transformer_prefix(pe_ast_expr **out, size_t *consumed, const char *text,
                                size_t len, const pe_cond_src *src, pe_arena *arena,
                                pe_parse_error *err);

/* 1 when name (len bytes) is one of the transformer names, "val" included
 * when with_val is set. */
int pe_is_transformer_name(const char *name, size_t len, int with_val);

#endif
