/* Shared helpers for the Check suites. */
#ifndef PE_TEST_UTIL_H
#define PE_TEST_UTIL_H

#include <check.h>
#include <stddef.h>

#include "prempti/prempti.h"

/* Runs a suite; returns the process exit status (0 when all passed). */
int pe_test_run(Suite *s);

/* Reads a whole file (NUL-terminated); NULL when it cannot. Free with free(). */
char *pe_test_read_file(const char *path, size_t *len);

/* The path of a test data file (static buffer, valid until the next call). */
const char *pe_test_data(const char *rel);

/* Whether the upstream compatibility fixtures are present; prints a visible
 * SKIP line naming the test when they are not. */
int pe_test_have_compat(const char *what);

/* Whether the suite runs under a checker (PREMPTI_TEST_LIGHT, set by the
 * valgrind build): stress loops and the largest inputs are then cut down.
 * Prints a visible LIGHT line naming what when it is. */
int pe_test_light(const char *what);

/* An engine with the given rules text loaded (fails the test on error). */
prempti_engine *pe_test_engine(const char *rules, const prempti_config *cfg);

/* An event parsed from json (fails the test on error). */
prempti_event *pe_test_event(const char *json, const prempti_config *cfg);

/* Evaluates and returns the decision (fails the test on error). */
int pe_test_decide(const prempti_engine *e, const char *json, const prempti_config *cfg);

/* Applies "key=value" lines (NULL or "" for none) to cfg; fails the test on
 * a bad line. */
void pe_test_config_apply(prempti_config *cfg, const char *lines);

/* A new config with "key=value" lines applied. Free with prempti_config_free(). */
prempti_config *pe_test_config(const char *lines);

/* Evaluates payload against the rules file rules_rel (under tests/data).
 * The engine and the event are freed before the result is returned, so the
 * result must stand on its own. Fails the test on any error. */
prempti_result *pe_test_evaluate_file(const char *rules_rel, const char *payload,
                                      const prempti_config *cfg);

/* text with every occurrence of from replaced by to; free() it. */
char *pe_test_replace(const char *text, const char *from, const char *to);

/* Parses exactly len bytes as one strict JSON value (fails the test when
 * they are not). Release with json_object_put(). */
struct json_object *pe_test_json(const char *text, size_t len);

/* Formats an error for a failure message; static buffer. */
const char *pe_test_errstr(const prempti_error *err);

/*
 * A data-driven case file: blocks separated by lines holding only "---",
 * each block made of "key: value" lines; a value may continue on
 * following lines that start with two spaces (joined with '\n'); lines
 * starting with '#' are comments.
 */
typedef struct pe_case {
    size_t line; /* first line of the block in the file */
    size_t nkeys;
    char **keys;
    char **values;
} pe_case;

typedef struct pe_cases {
    pe_case *items;
    size_t count;
    char *file;
    char **owned; /* joined multi-line values */
    size_t nowned;
} pe_cases;

/* Loads a case file (fails the test when it cannot). */
pe_cases pe_cases_load(const char *path);
/* The value of key in c, or NULL. */
const char *pe_case_get(const pe_case *c, const char *key);
void pe_cases_free(pe_cases *cs);

#endif
