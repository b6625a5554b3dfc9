/*
 * Regular expressions for the `regex` operator: Falco's dialect (RE2 in
 * POSIX mode, i.e. POSIX extended syntax, always a full match), run by an
 * automaton whose time is linear in the input, so agent-controlled text can
 * never make a match slow. See docs/rules-language.md for the syntax.
 */
#ifndef PE_COMPILE_REGEX_H
#define PE_COMPILE_REGEX_H

#include <stddef.h>

#include "util/arena.h"

typedef struct pe_regex pe_regex;

/* Compiles pattern into the arena; NULL with a message on a bad pattern
 * (or "out of memory"). */
const pe_regex *pe_regex_compile(pe_arena *a, const char *pattern, size_t len, char *msg,
                                 size_t msgsz);

/* 1 when the whole of s matches, else 0. Thread-safe; needs no allocation
 * beyond a bounded stack buffer, falling back to malloc for large patterns
 * (returns -1 only if that fails). */
int pe_regex_match(const pe_regex *re, const char *s, size_t len);

#endif
