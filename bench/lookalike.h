/* Workload 8 of the benchmark harness: package lookalike lookups. */
#ifndef PE_BENCH_LOOKALIKE_H
#define PE_BENCH_LOOKALIKE_H

/* Times pe_package_lookalike() per ecosystem and kind of name, prints a
 * table and passes each figure to record(section, key, value). */
void bench_lookalike(int quick, void (*record)(const char *section, const char *key, double value));

#endif
