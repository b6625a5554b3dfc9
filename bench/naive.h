/*
 * The synthetic rule packs of workload 2, and the naive baseline they are
 * compared with: every rule in turn, a plain substring search per literal.
 */
#ifndef PE_BENCH_NAIVE_H
#define PE_BENCH_NAIVE_H

#include <stddef.h>

typedef struct naive_rule {
    int op;         /* 0 contains, 1 startswith, 2 pmatch, 3 in */
    char lit[32];   /* the literal (or the first `in` value) */
    char lit2[32];  /* the second `in` value */
    size_t len, len2;
} naive_rule;

typedef struct naive_pack {
    size_t n;
    naive_rule *rules;
} naive_pack;

void naive_pack_build(naive_pack *p, size_t n);
void naive_pack_free(naive_pack *p);
/* The pack as a rules file (caller frees). */
char *naive_pack_yaml(const naive_pack *p);
/* The i-th event's command: one in three matches some rule (caller frees). */
char *naive_pack_command(const naive_pack *p, size_t i);
/* Evaluates every rule naively; returns the number of matching rules. */
size_t naive_pack_eval(const naive_pack *p, const char *cmd, size_t len);

#endif
