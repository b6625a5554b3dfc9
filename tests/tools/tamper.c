#include "tamper.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_ENTRIES 8
#define PATH_LEN    1200 /* a cache directory (< 900 bytes) and a name */

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return -1;
}

static void cache_dir(const char *home, char *out, size_t len)
{
    snprintf(out, len, "%s/.cache/prempti", home);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The cache's entries (whatever their type), sorted by name. */
static size_t entries(const char *home, char paths[][PATH_LEN])
{
    char dir[900];
    cache_dir(home, dir, sizeof(dir));
    DIR *d = opendir(dir);
    size_t n = 0;
    for (struct dirent *de; d && (de = readdir(d)) && n < MAX_ENTRIES;) {
        size_t len = strlen(de->d_name);
        if (strncmp(de->d_name, "engine-", 7) == 0 && len > 11 && len < 256 &&
            strcmp(de->d_name + len - 4, ".img") == 0)
            snprintf(paths[n++], PATH_LEN, "%.899s/%.255s", dir, de->d_name);
    }
    if (d)
        closedir(d);
    qsort(paths, n, sizeof(paths[0]), by_name);
    return n;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        if (*len == cap && !(buf = realloc(buf, cap = cap * 2 + 65536)))
            break;
        size_t got = fread(buf + *len, 1, cap - *len, f);
        *len += got;
        if (!got)
            break;
    }
    fclose(f);
    return buf;
}

/* Rewrites path in place (same inode, mode and owner). */
static int spill(const char *path, const unsigned char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t put = fwrite(data, 1, len, f);
    return fclose(f) == 0 && put == len ? 0 : -1;
}

static long offset(long off, size_t len)
{
    return off < 0 ? (long)len + off : off;
}

/* flip, zero, truncate, append on the bytes of one entry. */
static int edit(const char *path, const char *op, long a, long b, char *why, size_t wl)
{
    size_t len;
    unsigned char *data = slurp(path, &len);
    if (!data)
        return fail(why, wl, "cannot read %s", path);
    int rc = 0;
    if (!strcmp(op, "flip") || !strcmp(op, "zero")) {
        long at = offset(a, len), n = !strcmp(op, "flip") ? 1 : b;
        if (at < 0 || n < 1 || (size_t)(at + n) > len)
            rc = fail(why, wl, "%s %ld: outside the %zu bytes of %s", op, a, len, path);
        for (long i = 0; !rc && i < n; i++)
            data[at + i] = !strcmp(op, "flip") ? (unsigned char)~data[at + i] : 0;
    } else if (!strcmp(op, "truncate")) {
        long keep = offset(a, len);
        if (keep < 0 || (size_t)keep > len)
            rc = fail(why, wl, "truncate %ld: the file has %zu bytes", a, len);
        len = (size_t)keep;
    } else { /* append */
        unsigned char *more = realloc(data, len + (size_t)a);
        if (!more)
            rc = fail(why, wl, "out of memory");
        else
            memset((data = more) + len, 0x5a, (size_t)a);
        len += rc ? 0 : (size_t)a;
    }
    if (!rc && spill(path, data, len))
        rc = fail(why, wl, "cannot write %s", path);
    free(data);
    return rc;
}

static int swap(char paths[][PATH_LEN], size_t n, char *why, size_t wl)
{
    if (n != 2)
        return fail(why, wl, "swap needs two entries, the cache has %zu", n);
    size_t la, lb;
    unsigned char *a = slurp(paths[0], &la), *b = slurp(paths[1], &lb);
    int rc = a && b && !spill(paths[0], b, lb) && !spill(paths[1], a, la)
                 ? 0
                 : fail(why, wl, "cannot swap the entries");
    free(a);
    free(b);
    return rc;
}

/* Replaces path by a symbolic link to it or a FIFO, the original moved
 * aside. */
static int replace(const char *path, const char *kind, char *why, size_t wl)
{
    char moved[PATH_LEN + 8];
    if (snprintf(moved, sizeof(moved), "%s.moved", path) >= (int)sizeof(moved))
        return fail(why, wl, "path too long");
    if (rename(path, moved))
        return fail(why, wl, "cannot move %s: %s", path, strerror(errno));
    int rc = !strcmp(kind, "symlink") ? symlink(moved, path) : mkfifo(path, 0600);
    return rc ? fail(why, wl, "%s %s: %s", kind, path, strerror(errno)) : 0;
}

static int rewrite(const char *home, const char *rel, const char *from, const char *to, char *why,
                   size_t wl)
{
    char path[1100];
    snprintf(path, sizeof(path), "%s/%s", home, rel);
    size_t len;
    unsigned char *data = slurp(path, &len);
    if (!data || strlen(from) != strlen(to) || !len)
        return fail(why, wl, "rewrite %s: cannot read it, or %s and %s differ in length", rel, from,
                    to);
    data[len - 1] = '\0'; /* files under test end with a newline */
    char *at = strstr((char *)data, from);
    int rc = at ? 0 : fail(why, wl, "rewrite: %s not in %s", from, rel);
    if (at)
        memcpy(at, to, strlen(to));
    data[len - 1] = '\n';
    if (!rc && spill(path, data, len))
        rc = fail(why, wl, "cannot write %s", path);
    free(data);
    return rc;
}

int pt_tamper(const char *home, const char *line, char *why, size_t wl)
{
    char op[16], a[256] = "", b[256] = "", c[256] = "";
    if (sscanf(line, "%15s %255s %255s %255s", op, a, b, c) < 1)
        return fail(why, wl, "empty tamper line");
    char dir[900], paths[MAX_ENTRIES][PATH_LEN];
    cache_dir(home, dir, sizeof(dir));
    if (!strcmp(op, "rewrite"))
        return rewrite(home, a, b, c, why, wl);
    if (!strcmp(op, "dirmode"))
        return chmod(dir, (mode_t)strtol(a, NULL, 8)) ? fail(why, wl, "dirmode failed") : 0;
    if (!strcmp(op, "dirlink")) {
        char moved[1000];
        snprintf(moved, sizeof(moved), "%s/moved", home);
        return rename(dir, moved) || symlink(moved, dir) ? fail(why, wl, "dirlink failed") : 0;
    }
    if (!strcmp(op, "owner") && geteuid() != 0)
        return 1;
    size_t n = entries(home, paths);
    if (!n)
        return fail(why, wl, "%s: the cache has no entry", op);
    if (!strcmp(op, "swap"))
        return swap(paths, n, why, wl);
    for (size_t i = 0; i < n; i++) {
        int rc = 0;
        if (!strcmp(op, "flip") || !strcmp(op, "zero") || !strcmp(op, "truncate") ||
            !strcmp(op, "append"))
            rc = edit(paths[i], op, strtol(a, NULL, 0), strtol(b, NULL, 0), why, wl);
        else if (!strcmp(op, "mode"))
            rc = chmod(paths[i], (mode_t)strtol(a, NULL, 8)) ? fail(why, wl, "mode failed") : 0;
        else if (!strcmp(op, "owner"))
            rc =
                chown(paths[i], (uid_t)strtol(a, NULL, 10), (gid_t)-1) ? fail(why, wl, "chown") : 0;
        else if (!strcmp(op, "symlink") || !strcmp(op, "fifo"))
            rc = replace(paths[i], op, why, wl);
        else if (!strcmp(op, "remove"))
            rc = unlink(paths[i]) ? fail(why, wl, "cannot remove %s", paths[i]) : 0;
        else
            rc = fail(why, wl, "unknown tamper operation %s", op);
        if (rc)
            return rc;
    }
    return 0;
}

long pt_cache_entries(const char *home, int *modes_ok)
{
    char dir[900], paths[MAX_ENTRIES][PATH_LEN];
    cache_dir(home, dir, sizeof(dir));
    struct stat st;
    if (lstat(dir, &st) != 0)
        return -1;
    *modes_ok = S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700;
    size_t n = entries(home, paths);
    long regular = 0;
    for (size_t i = 0; i < n; i++) {
        if (lstat(paths[i], &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        regular++;
        *modes_ok &= (st.st_mode & 0777) == 0600 && st.st_uid == geteuid();
    }
    return regular;
}
