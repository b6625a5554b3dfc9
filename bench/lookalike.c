/*
 * Workload 8: pe_package_lookalike() per name, for each ecosystem's full
 * table, by kind of name: popular names (answered by the exact lookup),
 * typos of popular names (a swap of their third and fourth letters: the
 * walk finds them), and names made of a popular name and the first segment
 * of another ("react-lodash": neither popular nor flagged, so every search
 * runs to the end; the costliest case). Each call is timed on its own.
 */
#define _POSIX_C_SOURCE 200809L
#include "lookalike.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/lookalike.h"

static double clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#define NAMES_MAX 2000

typedef struct sample {
    char names[NAMES_MAX][PE_LOOKALIKE_CAND_MAX + 1];
    size_t count;
} sample;

/* Every stride-th popular name, made into a name of the given kind. */
static void make_sample(sample *s, const pe_lookalike_table *t, int kind)
{
    size_t total = 0;
    for (const char *p = t->popular; p < t->popular + t->popular_size; p += strlen(p) + 1)
        total++;
    size_t stride = total / NAMES_MAX + 1, i = 0;
    const char *other = t->popular + t->popular_size / 2;
    s->count = 0;
    for (const char *p = t->popular; p < t->popular + t->popular_size && s->count < NAMES_MAX;
         p += strlen(p) + 1, i++) {
        size_t len = strlen(p);
        char *out = s->names[s->count];
        if (i % stride || p[0] == '@')
            continue;
        memcpy(out, p, len + 1);
        if (kind == 1) {
            if (len < 6 || out[2] == out[3])
                continue;
            out[2] = p[3];
            out[3] = p[2];
        } else if (kind == 2) {
            while (other < t->popular + t->popular_size && (other[0] == '@' || strlen(other) < 3))
                other += strlen(other) + 1;
            if (other >= t->popular + t->popular_size)
                other = t->popular;
            size_t seg = strcspn(other, "-_./");
            if (len + 1 + seg > PE_LOOKALIKE_CAND_MAX)
                continue;
            out[len] = '-';
            memcpy(out + len + 1, other, seg);
            out[len + 1 + seg] = '\0';
            other += strlen(other) + 1;
        }
        s->count++;
    }
}

static void run(const pe_lookalike_table *t, const sample *s, int rounds, const char *label,
                void (*record)(const char *, const char *, double))
{
    size_t n = s->count * (size_t)rounds, k = 0, flagged = 0;
    double *v = calloc(n ? n : 1, sizeof(double));
    if (!v)
        return;
    for (int r = 0; r < rounds; r++)
        for (size_t i = 0; i < s->count; i++) {
            double t0 = clock_ns();
            const char *hit = pe_package_lookalike(t->ecosystem, s->names[i], strlen(s->names[i]));
            v[k++] = clock_ns() - t0;
            flagged += hit != NULL;
        }
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    qsort(v, n, sizeof(double), by_value);
    double median = n ? v[n / 2] : 0, p99 = n ? v[(size_t)((double)(n - 1) * 0.99)] : 0;
    printf("  %-9s %-9s median %8.2f us   p99 %8.2f us   mean %8.2f us   (%zu names, %zu "
           "flagged)\n",
           t->ecosystem, label, median / 1e3, p99 / 1e3, n ? sum / (double)n / 1e3 : 0, s->count,
           flagged / (size_t)(rounds ? rounds : 1));
    char key[64];
    snprintf(key, sizeof(key), "%s_%s_us_median", t->ecosystem, label);
    record("lookalike", key, median / 1e3);
    snprintf(key, sizeof(key), "%s_%s_us_p99", t->ecosystem, label);
    record("lookalike", key, p99 / 1e3);
    free(v);
}

void bench_lookalike(int quick, void (*record)(const char *, const char *, double))
{
    static const char *const labels[] = {"popular", "typo", "unknown"};
    size_t n;
    const pe_lookalike_table *const *t = pe_lookalike_tables(&n);
    sample *s = malloc(sizeof(*s));
    if (!s)
        return;
    printf("\n8. Package lookalike lookups (pe_package_lookalike, each call timed)\n");
    for (size_t i = 0; i < n; i++)
        for (int kind = 0; kind < 3; kind++) {
            make_sample(s, t[i], kind);
            if (quick)
                s->count = s->count < 20 ? s->count : 20;
            run(t[i], s, quick ? 1 : 5, labels[kind], record);
        }
    free(s);
}
