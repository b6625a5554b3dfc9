#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "str.h"

int pt_fail(char **errmsg, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    *errmsg = pt_vfmt(fmt, ap);
    va_end(ap);
    return -1;
}

int pt_read_fd(int fd, const char *what, size_t max, char **out, size_t *len, char **errmsg)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    *out = NULL;
    if (!buf)
        return pt_fail(errmsg, "out of memory reading %s", what);
    for (;;) {
        if (n == cap - 1) {
            /* one byte past the limit is enough to know it was exceeded */
            size_t want = cap * 2 > max + 2 ? max + 2 : cap * 2;
            if (want <= cap) {
                free(buf);
                return pt_fail(errmsg, "%s is larger than %zu bytes", what, max);
            }
            char *nb = realloc(buf, want);
            if (!nb) {
                free(buf);
                return pt_fail(errmsg, "out of memory reading %s", what);
            }
            buf = nb;
            cap = want;
        }
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            return pt_fail(errmsg, "cannot read %s: %s", what, strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max) {
            free(buf);
            return pt_fail(errmsg, "%s is larger than %zu bytes", what, max);
        }
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

int pt_read_path(const char *path, size_t max, char **out, size_t *len, char **errmsg)
{
    if (strcmp(path, "-") == 0)
        return pt_read_fd(0, "standard input", max, out, len, errmsg);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return pt_fail(errmsg, "cannot open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return pt_fail(errmsg, "%s is a directory", path);
    }
    int rc = pt_read_fd(fd, path, max, out, len, errmsg);
    close(fd);
    return rc;
}

int pt_open_regular(const char *path, char **errmsg)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return pt_fail(errmsg, "cannot open %s: %s", path, strerror(errno));
    struct stat st;
    const char *why = fstat(fd, &st) != 0    ? strerror(errno)
                      : S_ISDIR(st.st_mode)  ? "it is a directory"
                      : !S_ISREG(st.st_mode) ? "it is not a regular file (a FIFO, device or socket)"
                                             : NULL;
    int flags = why ? 0 : fcntl(fd, F_GETFL);
    if (!why && (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0))
        why = strerror(errno);
    if (why) {
        close(fd);
        return pt_fail(errmsg, "cannot read %s: %s", path, why);
    }
    return fd;
}

int pt_read_regular(const char *path, size_t max, char **out, size_t *len, char **errmsg)
{
    int fd = pt_open_regular(path, errmsg);
    if (fd < 0)
        return -1;
    int rc = pt_read_fd(fd, path, max, out, len, errmsg);
    close(fd);
    return rc;
}

/* What is wrong with who owns st and who may write it, or NULL. */
static const char *unsafe_owner(const struct stat *st)
{
    if (st->st_uid != geteuid() && st->st_uid != 0)
        return "it belongs to another user";
    if (st->st_mode & (S_IWGRP | S_IWOTH))
        return "it is writable by group or others";
    return NULL;
}

int pt_check_private_dir(const char *dir, char **errmsg)
{
    struct stat st;
    if (lstat(dir, &st) != 0)
        return pt_fail(errmsg, "cannot examine %s: %s", dir, strerror(errno));
    const char *why = S_ISLNK(st.st_mode)    ? "it is a symbolic link"
                      : !S_ISDIR(st.st_mode) ? "it is not a directory"
                                             : unsafe_owner(&st);
    if (why)
        return pt_fail(errmsg,
                       "refusing to use %s: %s (it must be a directory of yours with mode 0700: "
                       "chmod 700 %s)",
                       dir, why, dir);
    return 0;
}

int pt_check_private_file(int fd, const char *path, char **errmsg)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return pt_fail(errmsg, "cannot examine %s: %s", path, strerror(errno));
    const char *why = unsafe_owner(&st);
    if (why)
        return pt_fail(errmsg, "refusing to use %s: %s (chmod 600 %s)", path, why, path);
    return 0;
}

int pt_write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

int pt_write_file_atomic(const char *path, const char *data, size_t len, mode_t mode, int keep_mode,
                         char **errmsg)
{
    struct stat st;
    if (keep_mode && stat(path, &st) == 0)
        mode = st.st_mode & 07777;
    char *tmp = pt_fmt("%s.prempti-tmp-XXXXXX", path);
    if (!tmp)
        return pt_fail(errmsg, "out of memory");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return pt_fail(errmsg, "cannot create a file beside %s: %s", path, strerror(e));
    }
    int ok = fchmod(fd, mode) == 0 && pt_write_all(fd, data, len) == 0 && fsync(fd) == 0;
    int e = errno;
    if (close(fd) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = 0;
        e = errno;
    }
    if (!ok) {
        unlink(tmp);
        free(tmp);
        return pt_fail(errmsg, "cannot write %s: %s", path, strerror(e));
    }
    free(tmp);
    return 0;
}

int pt_mkdirs(const char *dir, mode_t mode, char **errmsg)
{
    char *p = pt_strdup(dir);
    if (!p)
        return pt_fail(errmsg, "out of memory");
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, mode) != 0 && errno != EEXIST) {
            int e = errno;
            int rc = pt_fail(errmsg, "cannot create directory %s: %s", p, strerror(e));
            free(p);
            return rc;
        }
        if (c == '\0')
            break;
        *s = c;
    }
    free(p);
    if (!pt_is_dir(dir))
        return pt_fail(errmsg, "%s exists and is not a directory", dir);
    return 0;
}

int pt_copy_file(const char *src, const char *dst, char **errmsg)
{
    char *data = NULL;
    size_t len = 0;
    struct stat st;
    if (stat(src, &st) != 0)
        return pt_fail(errmsg, "cannot read %s: %s", src, strerror(errno));
    if (pt_read_path(src, (size_t)st.st_size + (1u << 20), &data, &len, errmsg))
        return -1;
    int fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 0777);
    if (fd < 0) {
        int e = errno;
        free(data);
        return pt_fail(errmsg, "cannot create %s: %s", dst, strerror(e));
    }
    int ok = pt_write_all(fd, data, len) == 0 && fsync(fd) == 0;
    int e = errno;
    if (close(fd) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    free(data);
    if (!ok) {
        unlink(dst);
        return pt_fail(errmsg, "cannot write %s: %s", dst, strerror(e));
    }
    return 0;
}

int pt_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int pt_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

char *pt_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return pt_strdup(".");
    if (slash == path)
        return pt_strdup("/");
    return pt_fmt("%.*s", (int)(slash - path), path);
}
