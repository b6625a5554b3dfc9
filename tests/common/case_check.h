/*
 * Helpers for suites that walk data-driven case files (see pe_cases in
 * test_util.h): expectations that report every mismatch with the case's
 * line before failing, C-escaped values, a test random generator, and an
 * arena that runs out of memory on demand.
 */
#ifndef PE_CASE_CHECK_H
#define PE_CASE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "test_util.h"
#include "util/arena.h"
#include "util/strbuf.h"

typedef struct pe_case_check {
    const char *file; /* the case file's name, for messages */
    const pe_case *c;
    int failures;
} pe_case_check;

/* The value of key; a value written as "key:" and indented lines starts
 * with those lines (the loader's leading newline is dropped). NULL when
 * the key is absent. */
const char *pe_case_value(const pe_case *c, const char *key);

/* Records and prints a failed expectation. */
void pe_case_mismatch(pe_case_check *k, const char *key, const char *want, const char *got);

/* When the case has key, its value must equal got. */
void pe_case_expect(pe_case_check *k, const char *key, const char *got);

/* The case's value for key, or "" when absent, must equal got (for keys
 * whose absence means "nothing"). */
void pe_case_expect_or_empty(pe_case_check *k, const char *key, const char *got);

/* The case's value for key (absent: nothing), as a set of space-separated
 * words, must equal got's words in any order (for flag lists). */
void pe_case_expect_set(pe_case_check *k, const char *key, const char *got);

/* Every key of the case must be in known (NULL-terminated); keys ending
 * in '[' in known match any key with that prefix. */
void pe_case_known_keys(pe_case_check *k, const char *const *known);

/* Space-separated words of s sorted and joined again (for unordered sets);
 * free() the result. */
char *pe_case_sorted_words(const char *s);

/* Decodes C escapes (\n \r \t \\ \0 \xHH, any other \c is c) of s into a
 * new buffer (free() it); *len receives the decoded length. */
char *pe_case_unescape(const char *s, size_t *len);

/* Runs fn on every case of tests/data/<rel>, then fails the test when
 * any expectation failed or the file has no case. Returns the count. */
size_t pe_case_run_file(const char *rel, void (*fn)(pe_case_check *k, void *ctx), void *ctx);

/* Appends bytes as case files write them: \\ \n \t \r; other control bytes
 * and bytes that are not UTF-8 as \xHH; UTF-8 text as it is. */
void pe_case_put_escaped(pe_strbuf *sb, const char *s, size_t len);

/* Monotonic time in seconds, for the timing reports. */
double pe_test_now(void);

/* xorshift64: a deterministic generator for property tests. */
uint64_t pe_test_rand(uint64_t *state);

/* Prepares an empty arena that can hand out exactly room more bytes (one
 * block); every allocation beyond that fails. */
void pe_test_arena_with_room(pe_arena *a, size_t room);

#endif
