/*
 * Runs a hook command the way an agent does (sh -c COMMAND, the payload on
 * standard input) and collects its answer, within a time limit, so that
 * prempti install registers only an adapter that answers.
 */
#ifndef PT_PROBE_H
#define PT_PROBE_H

typedef struct pt_probe {
    int status;  /* exit status; -1 when killed by a signal or timed out */
    int timeout; /* 1 when it was stopped for taking too long */
    char *out;   /* standard output (new string) */
    char *err;   /* standard error (new string) */
} pt_probe;

/* Runs command with payload on stdin and env_set ("NAME=VALUE", or NULL)
 * added to the environment; 0, or -1 with *errmsg when it cannot be run.
 * Free the result with pt_probe_free() in every case. */
int pt_probe_run(const char *command, const char *payload, const char *env_set, int seconds,
                 pt_probe *out, char **errmsg);
void pt_probe_free(pt_probe *p);

#endif
