/*
 * Running a program's main() in-process for the fuzz targets of the tools
 * (the adapter, prempti test, prempti logs): standard input from memory,
 * standard output and error captured, getopt reset. Set PREMPTI_FUZZ_VERBOSE
 * to let the program's standard error through while reproducing a finding.
 */
#ifndef PE_FUZZ_PROC_H
#define PE_FUZZ_PROC_H

#include <stddef.h>
#include <stdint.h>

typedef struct fz_output {
    char *out, *err; /* NUL-terminated; free() */
    size_t out_len, err_len;
    int status; /* main's return value */
} fz_output;

/*
 * Makes the home of the in-process tool runs: a new private directory under
 * /tmp holding an empty config.yaml, set as HOME, with TZ=UTC and none of
 * the PREMPTI_* variables or NO_COLOR. Call once; returns the directory.
 */
const char *fz_tool_home(const char *name);

/* The path of file in that home (kept for the process: the targets' fixed
 * paths). */
char *fz_in_home(const char *file);

/* Writes a file; aborts when it cannot. */
void fz_write_file(const char *path, const void *data, size_t size);

/* A whole file, NUL-terminated (free()); NULL when it cannot be read. */
char *fz_read_file(const char *path, size_t *len);

/* Calls main_fn(argc, argv) with data on standard input; fills out. */
void fz_run_main(int (*main_fn)(int, char **), int argc, char **argv, const uint8_t *data,
                 size_t size, fz_output *out);
void fz_output_free(fz_output *out);

#endif
