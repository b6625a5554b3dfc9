/* What the benchmark's workloads share: a clock, summaries, JSON output. */
#ifndef PE_BENCH_STATS_H
#define PE_BENCH_STATS_H

#include <stddef.h>
#include <stdio.h>

typedef struct stats {
    double median, p99, mean;
} stats;

double bench_now_ns(void);
/* Sorts v and summarises it. */
stats summarise(double *v, size_t n);
/* Records a figure in the JSON results (when they are being written). */
void bench_json(const char *section, const char *key, double value);
/* Starts and ends the JSON results in f (NULL: none). */
void bench_json_open(FILE *f, const char *version, int quick);
void bench_json_close(void);

#endif
