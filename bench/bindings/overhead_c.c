/*
 * The C side of the binding overhead benchmark (run.sh): the cost of one
 * evaluation as the bindings make it - through a holder, then reading the
 * decision and freeing the result - on a prebuilt event.
 * usage: prempti-bench-overhead RULES_PATH EVENT_JSON CALLS BATCHES
 * prints the medians over BATCHES of the mean ns per call of a batch, in wall
 * time and in the process's CPU time (which a loaded machine disturbs less).
 */
#define _POSIX_C_SOURCE 200809L
#include <prempti/prempti.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int fail(const char *what, prempti_error *err)
{
    fprintf(stderr, "%s: %s\n", what, err ? prempti_error_message(err) : "failed");
    prempti_error_free(err);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s RULES_PATH EVENT_JSON CALLS BATCHES\n", argv[0]);
        return 2;
    }
    long calls = atol(argv[3]), batches = atol(argv[4]);
    if (calls <= 0 || batches <= 0 || batches > 1000)
        return fail("bad counts", NULL);
    prempti_engine *engine = NULL;
    prempti_holder *holder = NULL;
    prempti_event *event = NULL;
    prempti_config *cfg = NULL;
    prempti_error *err = NULL;
    if (prempti_engine_new(&engine, NULL, &err) ||
        prempti_engine_load_rules_path(engine, argv[1], &err) ||
        prempti_holder_new(&holder, engine, &err))
        return fail("rules", err);
    prempti_engine_free(engine);
    if (prempti_config_new(&cfg, &err) || prempti_config_set(cfg, "paths", "lexical", &err) ||
        prempti_event_from_json(&event, cfg, argv[2], strlen(argv[2]), &err))
        return fail("event", err);
    prempti_result *first = NULL;
    if (prempti_holder_evaluate(&first, holder, event, &err))
        return fail("evaluate", err);
    if (prempti_result_match_count(first) != 0)
        return fail("the event matches a rule; the benchmark wants one that matches none", NULL);
    prempti_result_free(first);
    double *t = calloc((size_t)batches, sizeof(*t));
    double *cpu = calloc((size_t)batches, sizeof(*cpu));
    if (!t || !cpu)
        return fail("out of memory", NULL);
    long sink = 0;
    for (long b = -1; b < batches; b++) { /* batch -1 warms up */
        double start = now_ns(CLOCK_MONOTONIC), cpu_start = now_ns(CLOCK_PROCESS_CPUTIME_ID);
        for (long i = 0; i < calls; i++) {
            prempti_result *r = NULL;
            if (prempti_holder_evaluate(&r, holder, event, &err))
                return fail("evaluate", err);
            sink += prempti_result_decision(r);
            prempti_result_free(r);
        }
        if (b >= 0) {
            t[b] = (now_ns(CLOCK_MONOTONIC) - start) / (double)calls;
            cpu[b] = (now_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu_start) / (double)calls;
        }
    }
    qsort(t, (size_t)batches, sizeof(*t), cmp);
    qsort(cpu, (size_t)batches, sizeof(*cpu), cmp);
    printf("%.1f %.1f\n", t[batches / 2], cpu[batches / 2]);
    if (sink < 0)
        return 1; /* keeps the loop from being optimised away */
    free(t);
    free(cpu);
    prempti_event_free(event);
    prempti_config_free(cfg);
    prempti_holder_free(holder);
    return 0;
}
