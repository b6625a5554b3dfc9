/* Running the tools' real binaries from tests: standard input given,
 * standard output, standard error and exit status collected. */
#ifndef PT_TEST_SPAWN_H
#define PT_TEST_SPAWN_H

#include <stddef.h>

typedef struct pt_run {
    char *out, *err; /* NUL-terminated; free() */
    int status;      /* exit status, or 128 + signal */
} pt_run;

/* Runs argv[0] with argv and the environment env (NULL-terminated), feeding
 * in (len bytes; NULL for none). Returns 0, or -1 when it cannot be run. */
int pt_spawn(pt_run *r, char *const argv[], char *const env[], const char *in, size_t len);
/* pt_spawn(), and with keep_open the program's stdin stays open (nothing
 * more is written) until it exits: a writer that never finishes. */
int pt_spawn_ex(pt_run *r, char *const argv[], char *const env[], const char *in, size_t len,
                int keep_open);
void pt_run_free(pt_run *r);

/* A clean environment for the tools: HOME=home, a fixed PATH, TZ=UTC, no
 * PREMPTI_* or agent directory variables, the sanitizers' options kept;
 * extra ("K=V" strings, may be NULL) appended. Free with pt_env_free(). */
char **pt_env_new(const char *home, char *const extra[]);
void pt_env_free(char **env);

#endif
