/*
 * prempti test --score: how a rule pack does on a corpus of classed calls
 * (attacks it should stop, everyday and plainly safe calls it should let
 * through), per class and per area, against targets read from a file.
 */
#ifndef PT_SCORE_H
#define PT_SCORE_H

#include <stddef.h>
#include <stdio.h>

#include "testcases.h"

/* The figures a targets file can bound (targets.yaml keys, in report order). */
enum pt_target {
    PT_TARGET_ATTACK_STOPPED, /* attack_stopped_min */
    PT_TARGET_EVERYDAY_DENIED,
    PT_TARGET_EVERYDAY_ASKED,
    PT_TARGET_SAFE_ASKED,
    PT_TARGET_SAFE_DENIED,
    PT_TARGET_COUNT
};

typedef struct pt_targets {
    char *path;  /* the file they were read from; NULL when there are none */
    int enforce; /* unmet targets make the run fail */
    int set[PT_TARGET_COUNT];
    double bound[PT_TARGET_COUNT]; /* a percentage, 0 to 100 */
} pt_targets;

/*
 * Reads a targets file (a YAML mapping: enforce, attack_stopped_min,
 * everyday_denied_max, everyday_asked_max, safe_asked_max, safe_denied_max).
 * 0 on success; -1 with a new message in *errmsg naming file:line:col.
 */
int pt_targets_load(pt_targets *t, const char *path, char **errmsg);
void pt_targets_free(pt_targets *t);

/* One case worth listing: a miss, a call the library refused, or a case that
 * could not be scored. */
typedef struct pt_scored {
    char *where, *name, *area;
    int klass;    /* enum pt_class */
    int decision; /* enum prempti_decision; -1 for a case that could not be scored */
    char *detail; /* the deciding rule, or the problem; "" when none */
} pt_scored;

typedef struct pt_area_tally {
    int klass;
    char *area;
    size_t n[4]; /* cases per decision (defer, allow, ask, deny) */
} pt_area_tally;

/* The running score. Zero-initialise; pt_score_free() it. */
typedef struct pt_score {
    pt_area_tally *areas;
    size_t nareas, areas_cap;
    pt_scored *misses, *errors, *failed;
    size_t nmisses, misses_cap, nerrors, errors_cap, nfailed, failed_cap;
} pt_score;

/* Counts case c with the decision the rules reached; rule is the deciding
 * rule (NULL when none). failure, when not NULL, says why the library
 * refused the call: it is counted with decision (the adapter's fail-closed
 * deny) and always listed. -1 when out of memory. */
int pt_score_add(pt_score *s, const pt_case *c, int decision, const char *rule,
                 const char *failure);

/* Records a case (or a file, with name NULL) that could not be scored. */
int pt_score_error(pt_score *s, const char *where, const char *name, const char *problem);

/*
 * Prints the figures (as text, or as one JSON object), with every miss
 * when verbose (always in JSON), every call the library refused and every
 * case that could not be scored.
 * Returns 1 when every target is met, 0 when one is not; -1 when out of
 * memory.
 */
int pt_score_report(FILE *out, pt_score *s, const pt_targets *t, int verbose, int json);

void pt_score_free(pt_score *s);

#endif
