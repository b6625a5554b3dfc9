/*
 * What the fuzz targets share: invariant checks that abort with a message
 * (libFuzzer then keeps the input as a crash), a fixed set of agent
 * payloads covering every dialect and tool kind, strict JSON validation,
 * escaping of arbitrary bytes into JSON and YAML strings, and the checks
 * every evaluation result must pass.
 *
 * Each target defines LLVMFuzzerTestOneInput(); it is linked either with
 * libFuzzer (PREMPTI_FUZZ=ON) or with replay.c, which runs it over corpus
 * files so that ordinary test runs replay every corpus.
 */
#ifndef PE_FUZZ_H
#define PE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include <prempti/prempti.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with file:line, the failed condition and a message. */
__attribute__((noreturn, format(printf, 4, 5))) void
fz_fail(const char *file, int line, const char *cond, const char *fmt, ...);

#define FZ_CHECK(cond, ...)                                                                        \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);                                       \
    } while (0)

/* The fixed payloads: every dialect, every tool kind, shell text that
 * reaches the analyser's pipes, wrappers and substitutions, paths that need
 * normalising, an apply_patch touching several files. */
extern const char *const fz_events[];
extern const size_t fz_nevents;

/* The fixed payloads parsed with the default options, fz_nevents of them,
 * made once and kept for the process. */
prempti_event *const *fz_fixed_events(void);

/* head + text escaped as the body of a JSON string + tail: a payload that
 * carries arbitrary text in one of its strings. malloc'd. */
char *fz_payload(const char *head, const uint8_t *text, size_t len, const char *tail);

/* An engine with rules loaded; aborts when they do not load. */
prempti_engine *fz_engine(const char *rules, size_t len, const prempti_config *cfg);

/* A config from "key=value" pairs separated by ';' (NULL: defaults);
 * aborts on a bad pair. */
prempti_config *fz_config(const char *pairs);

/* An event from one of the fixed payloads; aborts when it does not parse. */
prempti_event *fz_event(const char *json, const prempti_config *cfg);

/* 1 when text (len bytes, not necessarily NUL-terminated) is exactly one
 * JSON value, with nothing after it but blanks. */
int fz_json_valid(const char *text, size_t len);

/* 1 when an answer blocks the tool call: exit status 2, or out holding a
 * deny (or block) in any of the agents' JSON forms. */
int fz_answer_blocks(int exit_status, const char *out);

/* 1 when the response blocks the tool call: exit status 2, or standard
 * output holding a deny (or block) in any of the agents' forms. */
int fz_response_blocks(const prempti_response *r);

/*
 * The invariants of one evaluation: the decision and every match's are
 * decisions; a deny has a deciding deny match; the result's JSON, the
 * explanation (when explain) and the audit record are valid JSON, the audit
 * record a single line; the agent's answer for a deny blocks, and so does
 * the error answer whenever no answer can be made.
 */
void fz_check_result(const prempti_engine *e, const prempti_event *ev, const prempti_result *r,
                     int explain);

/* Evaluates ev on e and checks the result (fz_check_result); aborts when
 * the evaluation fails with anything but a limit. Returns the decision, or
 * -1 when a limit stopped it. */
int fz_evaluate(const prempti_engine *e, const prempti_event *ev, int explain);

/* Parses a payload (len bytes) with cfg and evaluates it on e like
 * fz_evaluate(). Returns the decision, -1 when a limit stopped the
 * evaluation, or -2 when the payload does not parse (the error must say
 * why). With keep, the parsed event is handed back (free it; NULL when it
 * did not parse). */
int fz_decide_payload(const prempti_engine *e, const prempti_config *cfg, const char *json,
                      size_t len, int explain, prempti_event **keep);

/* data as the body of a JSON string (no quotes): '"', '\\' and control
 * characters escaped, other bytes kept. malloc'd; aborts when out of memory. */
char *fz_json_escape(const uint8_t *data, size_t size);

/* data as a YAML double-quoted scalar, quotes included: valid UTF-8 kept,
 * '"', '\\', control characters and every other byte escaped. malloc'd. */
char *fz_yaml_quote(const uint8_t *data, size_t size);

/* 1 when text (len bytes) can go to a terminal as it is: no control byte
 * but tab and newline, only valid UTF-8, no C1 control and no bidi
 * override or mark (which could hide or reorder what is shown). */
int fz_terminal_safe(const char *text, size_t len);

/* malloc'd printf; aborts when out of memory. */
__attribute__((format(printf, 1, 2))) char *fz_fmt(const char *fmt, ...);

/* A NUL-terminated copy of data. */
char *fz_strndup(const uint8_t *data, size_t size);

/* Splits data at its first '\n': the head before it, the tail after it
 * (empty when there is none). */
void fz_split_line(const uint8_t *data, size_t size, const uint8_t **head, size_t *head_len,
                   const uint8_t **tail, size_t *tail_len);

#endif
