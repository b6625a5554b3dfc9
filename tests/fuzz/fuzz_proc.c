#define _GNU_SOURCE /* optind = 0 resets glibc's getopt fully */
#include "fuzz_proc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static char home[256];

const char *fz_tool_home(const char *name)
{
    static const char *const vars[] = {"PREMPTI_CONFIG", "PREMPTI_MODE",      "PREMPTI_FLOOR",
                                       "PREMPTI_RULES",  "PREMPTI_AUDIT_LOG", "PREMPTI_FAIL_OPEN",
                                       "NO_COLOR"};
    snprintf(home, sizeof(home), "/tmp/prempti-fuzz-%s-XXXXXX", name);
    FZ_CHECK(mkdtemp(home), "mkdtemp %s", home);
    char *config = fz_in_home("config.yaml");
    fz_write_file(config, "", 0);
    free(config);
    setenv("HOME", home, 1);
    setenv("TZ", "UTC", 1);
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
        unsetenv(vars[i]);
    return home;
}

char *fz_in_home(const char *file)
{
    return fz_fmt("%s/%s", home, file);
}

void fz_write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    FZ_CHECK(f, "cannot write %s", path);
    FZ_CHECK(fwrite(data, 1, size, f) == size && fclose(f) == 0, "cannot write %s", path);
}

/* A scratch file for one stream, opened once and reused. */
static int scratch(void)
{
    FILE *f = tmpfile();
    FZ_CHECK(f, "tmpfile");
    return dup(fileno(f)); /* the FILE may go; the file lives while the fd does */
}

static void rewind_empty(int fd)
{
    FZ_CHECK(ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0, "truncate");
}

static char *slurp(int fd, size_t *len)
{
    off_t end = lseek(fd, 0, SEEK_END);
    FZ_CHECK(end >= 0 && lseek(fd, 0, SEEK_SET) == 0, "seek");
    char *buf = malloc((size_t)end + 1);
    FZ_CHECK(buf, "out of memory");
    size_t n = 0;
    while (n < (size_t)end) {
        ssize_t r = read(fd, buf + n, (size_t)end - n);
        FZ_CHECK(r > 0, "read");
        n += (size_t)r;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

char *fz_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = slurp(fileno(f), len);
    fclose(f);
    return buf;
}

void fz_run_main(int (*main_fn)(int, char **), int argc, char **argv, const uint8_t *data,
                 size_t size, fz_output *out)
{
    static int in_fd = -1, out_fd, err_fd;
    static int verbose;
    if (in_fd < 0) {
        in_fd = scratch();
        out_fd = scratch();
        err_fd = scratch();
        verbose = getenv("PREMPTI_FUZZ_VERBOSE") != NULL;
    }
    rewind_empty(in_fd);
    FZ_CHECK(size == 0 || write(in_fd, data, size) == (ssize_t)size, "write stdin");
    FZ_CHECK(lseek(in_fd, 0, SEEK_SET) == 0, "seek");
    rewind_empty(out_fd);
    rewind_empty(err_fd);
    fflush(stdout);
    fflush(stderr);
    int saved[3] = {dup(0), dup(1), dup(2)};
    FZ_CHECK(saved[0] >= 0 && saved[1] >= 0 && saved[2] >= 0, "dup");
    dup2(in_fd, 0);
    dup2(out_fd, 1);
    if (!verbose)
        dup2(err_fd, 2);
    optind = 0;
    out->status = main_fn(argc, argv);
    fflush(stdout);
    fflush(stderr);
    for (int fd = 0; fd < 3; fd++) {
        dup2(saved[fd], fd);
        close(saved[fd]);
    }
    clearerr(stdin);
    out->out = slurp(out_fd, &out->out_len);
    out->err = slurp(err_fd, &out->err_len);
}

void fz_output_free(fz_output *out)
{
    free(out->out);
    free(out->err);
    memset(out, 0, sizeof(*out));
}
