/* Test cases of prempti test, read from YAML case files: unit tests of a rule
 * pack (expect, match, no_match) and corpus cases to score it (class, area). */
#ifndef PT_TESTCASES_H
#define PT_TESTCASES_H

#include "str.h"

/* The class of a corpus case: what a good pack does with it. */
enum pt_class {
    PT_CLASS_NONE = -1,
    PT_CLASS_ATTACK,   /* should be denied or asked */
    PT_CLASS_EVERYDAY, /* everyday development: should be neither, a few asks tolerated */
    PT_CLASS_SAFE,     /* plainly safe: should be neither */
    PT_CLASS_COUNT
};

/* "attack", "everyday", "safe". */
extern const char *const pt_class_names[PT_CLASS_COUNT];

/* What a case must carry: an expectation (unit tests) or a class (scoring). */
enum pt_case_need { PT_NEED_EXPECT, PT_NEED_CLASS };

typedef struct pt_case {
    char *where;   /* "file:line" of the case */
    char *name;    /* its name, or "" */
    char *agent;   /* the agent option ("" to detect) */
    char *home;    /* the home option */
    char *payload; /* JSON text */
    int expect;    /* enum prempti_decision; -1 when the case has none */
    int klass;     /* enum pt_class */
    char *area;    /* the corpus area, or "" */
    pt_strv match;
    pt_strv no_match;
    char *problem; /* what is wrong with the case itself; NULL when nothing */
} pt_case;

typedef struct pt_case_file {
    pt_case *cases;
    size_t count;
    char *problem; /* the file could not be read as a list of cases */
} pt_case_file;

/* Reads a case file whose cases must carry what need says. Problems are
 * recorded in the result (the file's or a case's), never fatal; -1 only when
 * out of memory. */
int pt_case_file_load(pt_case_file *f, const char *path, enum pt_case_need need);
void pt_case_file_free(pt_case_file *f);

/* Case files named by path: the file itself, or the *.yaml and *.yml files
 * of a directory in name order. */
int pt_case_paths(const char *path, pt_strv *out, char **errmsg);

#endif
