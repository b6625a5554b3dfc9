/* Test cases of prempti test, read from YAML case files. */
#ifndef PT_TESTCASES_H
#define PT_TESTCASES_H

#include "str.h"

typedef struct pt_case {
    char *where;   /* "file:line" of the case */
    char *name;    /* its name, or "" */
    char *agent;   /* the agent option ("" to detect) */
    char *home;    /* the home option */
    char *payload; /* JSON text */
    int expect;    /* enum prempti_decision */
    pt_strv match;
    pt_strv no_match;
    char *problem; /* what is wrong with the case itself; NULL when nothing */
} pt_case;

typedef struct pt_case_file {
    pt_case *cases;
    size_t count;
    char *problem; /* the file could not be read as a list of cases */
} pt_case_file;

/* Reads a case file. Problems are recorded in the result (the file's or a
 * case's), never fatal; -1 only when out of memory. */
int pt_case_file_load(pt_case_file *f, const char *path);
void pt_case_file_free(pt_case_file *f);

/* Case files named by path: the file itself, or the *.yaml and *.yml files
 * of a directory in name order. */
int pt_case_paths(const char *path, pt_strv *out, char **errmsg);

#endif
