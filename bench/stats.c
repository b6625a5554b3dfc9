#define _GNU_SOURCE
#include "stats.h"

#include <stdlib.h>
#include <time.h>

double bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

stats summarise(double *v, size_t n)
{
    stats s = {0, 0, 0};
    if (!n)
        return s;
    qsort(v, n, sizeof(*v), cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    s.median = v[n / 2];
    s.p99 = v[(size_t)((double)(n - 1) * 0.99)];
    s.mean = sum / (double)n;
    return s;
}

static FILE *jout;
static int jfirst = 1;

void bench_json_open(FILE *f, const char *version, int quick)
{
    jout = f;
    if (jout)
        fprintf(jout, "{\"version\": \"%s\", \"quick\": %s, \"results\": [", version,
                quick ? "true" : "false");
}

void bench_json(const char *section, const char *key, double value)
{
    if (!jout)
        return;
    fprintf(jout, "%s\n  {\"section\": \"%s\", \"key\": \"%s\", \"value\": %.3f}",
            jfirst ? "" : ",", section, key, value);
    jfirst = 0;
}

void bench_json_close(void)
{
    if (jout) {
        fprintf(jout, "\n]}\n");
        fclose(jout);
    }
    jout = NULL;
}
