/*
 * Regular expressions for the `regex` operator: Falco's dialect (RE2 in
 * POSIX mode: POSIX extended syntax, UTF-8, `.` not matching a newline,
 * `^`/`$` at line boundaries, always a full match), compiled to an NFA and
 * run by a Thompson simulation whose time is linear in the input, so
 * agent-controlled text can never make a match slow. The accepted syntax
 * is documented in docs/rules-language.md.
 */
#ifndef PE_COMPILE_REGEX_H
#define PE_COMPILE_REGEX_H

#include <stddef.h>

#include "util/arena.h"

typedef struct pe_regex pe_regex;

/* Largest compiled program, in NFA instructions. Counted repetition
 * expands, so "x{1000}" costs 1000 of them; a pattern beyond this is
 * rejected with "pattern too large - compile failed". */
#define PE_REGEX_MAX_INSTS 10000

/*
 * Compiles pattern (len bytes) into the arena. On a bad pattern returns
 * NULL with RE2's message in msg (e.g. "invalid escape sequence: \d");
 * on allocation failure returns NULL with msg "out of memory".
 */
const pe_regex *pe_regex_compile(pe_arena *a, const char *pattern, size_t len, char *msg,
                                 size_t msgsz);

/* The most NFA states one match may visit (about 0.1 s, plus a few dozen
 * ns per input byte): room for any program on short texts and for eight
 * live states per byte on long ones. A program times an input beyond it
 * (4,000 instructions alive at once over 4 KiB of text, say) stops with
 * PREMPTI_E_LIMIT instead of costing seconds per megabyte. */
#define PE_REGEX_WORK(len) (((size_t)1 << 24) + 8u * (size_t)(len))

/*
 * 1 when the whole of s matches, else 0. Invalid UTF-8 bytes in s count as
 * U+FFFD. Thread-safe and allocation-free for programs of up to 512
 * instructions; larger ones use malloc and return -1 only if it fails.
 * Time is O(len(s) * instructions), and never more than PE_REGEX_WORK(len)
 * state visits: past it the answer is PREMPTI_E_LIMIT.
 */
int pe_regex_match(const pe_regex *re, const char *s, size_t len);

/* Number of NFA instructions of a compiled pattern (for tests and stats). */
size_t pe_regex_size(const pe_regex *re);

/*
 * Falco's hint: 1 when the pattern has no regex syntax except ^/$ at its
 * ends and `.*`, `.+` or `.?` at its start or end, so a plain '=',
 * 'contains', 'startswith' or 'endswith' would do.
 */
int pe_regex_could_be_simpler(const char *pattern, size_t len);

#endif
