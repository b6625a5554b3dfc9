/*
 * Token lexers of the condition language, shared by the parser. Each lexer
 * either consumes a token at the cursor (returning 1 and recording it as the
 * "last token" Falco quotes in "unexpected token after '...'") or leaves the
 * cursor alone and returns 0. Errors and out-of-memory unwind to the
 * parser's entry point with longjmp, so the grammar code stays linear.
 */
#ifndef PE_COND_LEX_H
#define PE_COND_LEX_H

#include <setjmp.h>
#include <stddef.h>

#include "cond/ast.h"
#include "cond/parser.h"
#include "util/arena.h"
#include "util/attr.h"

typedef struct pe_lexer {
    const char *text;
    size_t len;
    size_t pos;
    pe_arena *arena;
    pe_parse_error *err;
    const char *last; /* the last token lexed (a quoted string: its content) */
    size_t last_len;
    jmp_buf fail; /* longjmp'd to with 1 (syntax error) or 2 (out of memory) */
} pe_lexer;

#if defined(__GNUC__)
#define PE_NORETURN __attribute__((noreturn))
#define PE_FMT(a, b) PE_ATTR_PRINTF(a, b)
#else
#define PE_NORETURN
#define PE_FMT(a, b)
#endif

/* Reports a syntax error at byte offset pos and unwinds. */
PE_NORETURN PE_FMT(3, 4) void pe_lex_fail(pe_lexer *lx, size_t pos, const char *fmt, ...);
/* Unwinds with "out of memory". */
PE_NORETURN void pe_lex_oom(pe_lexer *lx);

void *pe_lex_alloc(pe_lexer *lx, size_t n);
const char *pe_lex_copy(pe_lexer *lx, const char *s, size_t n);

/* Blanks: space, \t, \b, \r, \n. Returns 1 when at least one was eaten. */
int pe_lex_blank(pe_lexer *lx);
/* The exact text s. */
int pe_lex_str(pe_lexer *lx, const char *s);
/* "not" followed by at least one POSIX [[:space:]] (all of them eaten). */
int pe_lex_not_blank(pe_lexer *lx);
/* [a-zA-Z][a-zA-Z0-9_]* */
int pe_lex_identifier(pe_lexer *lx);
/* [a-zA-Z][a-zA-Z0-9_]*(\.[a-zA-Z][a-zA-Z0-9_]*)+ */
int pe_lex_field_name(pe_lexer *lx);
/* 0[xX][0-9a-fA-F]+, else [+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)? */
int pe_lex_number(pe_lexer *lx);
/* A field argument's bare form: [^][\"'[:space:]]+ */
int pe_lex_field_arg_bare(pe_lexer *lx);
/* A bare value: [^()\"'[:space:]=,]+ taken verbatim. */
int pe_lex_bare(pe_lexer *lx, pe_ast_lit *out);
/* A '...' or "..." string with Falco's escapes processed. */
int pe_lex_quoted(pe_lexer *lx, pe_ast_lit *out);

/* Peeks: the byte at the cursor plus off, or 0 past the end. */
char pe_lex_peek(const pe_lexer *lx, size_t off);
/* Length of [a-zA-Z][a-zA-Z0-9_]* at offset i (0 when none); no side effect. */
size_t pe_lex_word_at(const pe_lexer *lx, size_t i);
/* Offset of the first non-blank at or after offset i; no side effect. */
size_t pe_lex_skip_blanks(const pe_lexer *lx, size_t i);

#endif
