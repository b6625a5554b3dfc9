/* Workload 4: the hook adapter end to end (bench/hook.c). */
#ifndef PE_BENCH_HOOK_H
#define PE_BENCH_HOOK_H

typedef struct hook_spec {
    const char *hook, *noop; /* programs */
    const char *project;     /* the default pack */
    const char *upstream;    /* upstream's pack, or NULL when absent */
    const char *big;         /* a large pack (10,000 rules; 1,000 in a quick run) */
    const char *big_name;    /* how the report names it: "10000 rules" */
    const char *payload;     /* what every run reads on stdin */
    const char *baseline;    /* another build of the adapter to compare with, or NULL */
} hook_spec;

void bench_hook(const hook_spec *hs, int quick);

#endif
