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
#include <stdint.h>

#include "util/region.h"
#include "util/pstr.h"

typedef struct pe_regex pe_regex;

/* The message of pe_regex_compile() when the region is full. */
#define PE_REGEX_NO_ROOM "no room left for compiled programs"

/* Largest compiled program, in NFA instructions. Counted repetition
 * expands, so "x{1000}" costs 1000 of them; a pattern beyond this is
 * rejected with "pattern too large - compile failed". */
#define PE_REGEX_MAX_INSTS 10000

/*
 * Compiles pattern (len bytes) into the region. On a bad pattern returns
 * NULL with RE2's message in msg (e.g. "invalid escape sequence: \d");
 * when the region is full with PE_REGEX_NO_ROOM, and on allocation failure
 * with "out of memory".
 */
const pe_regex *pe_regex_compile(pe_region *r, const char *pattern, size_t len, char *msg,
                                 size_t msgsz);

/*
 * 1 when the whole of s matches, else 0. Invalid UTF-8 bytes in s count as
 * U+FFFD. Thread-safe and allocation-free for programs of up to 512
 * instructions; larger ones use malloc and return -1 only if it fails.
 * Time is O(len(s) * instructions), and bounded by *work when work is not
 * NULL: every live state at every position costs one step, taken from
 * *work; when the steps run out the match stops and returns -2, which is
 * neither a match nor a non-match (the caller must treat it as an error).
 */
int pe_regex_match(const unsigned char *base, const pe_regex *re, const char *s, size_t len,
                   uint64_t *work);

/* The bytes every text re matches contains (NULL s: none worth looking for). */
pe_str pe_regex_need(const unsigned char *base, const pe_regex *re);

/* Texts one of which every text re matches contains (an alternation of
 * words gives each word; else the needed bytes, when there are some), into
 * out (up to max, which PE_REGEX_NEEDS_MAX always suffices for): how many;
 * 0 when none is known. */
#define PE_REGEX_NEEDS_MAX 64
size_t pe_regex_needs(const unsigned char *base, const pe_regex *re, pe_str *out, size_t max);

/* Number of NFA instructions of a compiled pattern (for tests and stats). */
size_t pe_regex_size(const pe_regex *re);

/*
 * Falco's hint: 1 when the pattern has no regex syntax except ^/$ at its
 * ends and `.*`, `.+` or `.?` at its start or end, so a plain '=',
 * 'contains', 'startswith' or 'endswith' would do.
 */
int pe_regex_could_be_simpler(const char *pattern, size_t len);

#endif
