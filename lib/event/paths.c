#include "paths.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void pe_path_basename(const char *path, size_t len, const char **name, size_t *name_len)
{
    size_t i = len;
    while (i > 0 && path[i - 1] != '/' && path[i - 1] != '\\')
        i--;
    *name = path + i;
    *name_len = len - i;
}

void pe_path_lexical(pe_strbuf *out, const char *path, size_t len)
{
    int absolute = len > 0 && path[0] == '/';
    if (absolute)
        pe_sb_putc(out, '/');
    size_t root_len = out->len; /* never pop below this */
    size_t i = 0;
    while (i < len) {
        while (i < len && path[i] == '/')
            i++;
        size_t j = i;
        while (j < len && path[j] != '/')
            j++;
        size_t n = j - i;
        if (n == 0 || (n == 1 && path[i] == '.')) {
            /* skip */
        } else if (n == 2 && path[i] == '.' && path[i + 1] == '.') {
            size_t k = out->len;
            while (k > root_len && out->data[k - 1] != '/')
                k--;
            /* drop the component and the slash before it (if not the root's) */
            if (k > root_len)
                k--;
            pe_sb_truncate(out, k);
        } else {
            if (out->len > root_len)
                pe_sb_putc(out, '/');
            pe_sb_append(out, path + i, n);
        }
        i = j;
    }
}

/* Expands a leading ~ or $HOME; returns 1 and fills exp when it did. */
static int expand_home(pe_strbuf *exp, const char *path, size_t len, const char *home)
{
    if (!home || !home[0])
        return 0;
    size_t skip = 0;
    if (len >= 1 && path[0] == '~' && (len == 1 || path[1] == '/'))
        skip = 1;
    else if (len >= 5 && memcmp(path, "$HOME", 5) == 0 && (len == 5 || path[5] == '/'))
        skip = 5;
    else if (len >= 7 && memcmp(path, "${HOME}", 7) == 0 && (len == 7 || path[7] == '/'))
        skip = 7;
    if (!skip)
        return 0;
    pe_sb_puts(exp, home);
    pe_sb_append(exp, path + skip, len - skip);
    return 1;
}

static int resolve_abs(pe_strbuf *out, const char *abs, int hops);

/* Resolves the symlink at link (which exists) followed by rest. */
static int follow_link(pe_strbuf *out, const char *link, const char *rest, int hops)
{
    char target[PATH_MAX];
    ssize_t n = readlink(link, target, sizeof(target) - 1);
    if (n < 0 || hops >= PE_PATH_MAX_HOPS)
        return 1; /* give up: caller falls back to lexical */
    target[n] = '\0';
    pe_strbuf next = PE_STRBUF_INIT;
    if (target[0] != '/') {
        const char *slash = strrchr(link, '/');
        pe_sb_append(&next, link, slash ? (size_t)(slash - link) + 1 : 0);
    }
    pe_sb_puts(&next, target);
    pe_sb_puts(&next, rest);
    int r = pe_sb_failed(&next) ? -1 : resolve_abs(out, pe_sb_str(&next), hops + 1);
    pe_sb_free(&next);
    return r;
}

/*
 * Resolves an absolute path through the filesystem. Returns 0 on success,
 * 1 when it could not be resolved (caller uses the lexical form), -1 on OOM.
 */
static int resolve_abs(pe_strbuf *out, const char *abs, int hops)
{
    size_t len = strlen(abs);
    char *prefix = malloc(len + 2);
    if (!prefix)
        return -1;
    size_t cut = len; /* abs[0..cut) is the candidate ancestor ("/" when 0) */
    int rc = 1;
    for (;;) {
        size_t plen = cut ? cut : 1;
        memcpy(prefix, cut ? abs : "/", plen);
        prefix[plen] = '\0';
        struct stat st;
        if (lstat(prefix, &st) == 0) {
            const char *rest = abs + cut;
            char real[PATH_MAX];
            if (realpath(prefix, real)) {
                pe_strbuf joined = PE_STRBUF_INIT;
                pe_sb_puts(&joined, real);
                pe_sb_putc(&joined, '/');
                pe_sb_puts(&joined, rest);
                pe_sb_reset(out);
                pe_path_lexical(out, pe_sb_str(&joined), joined.len);
                rc = pe_sb_failed(&joined) || pe_sb_failed(out) ? -1 : 0;
                pe_sb_free(&joined);
            } else if (S_ISLNK(st.st_mode)) {
                rc = follow_link(out, prefix, rest, hops);
            }
            break;
        }
        if (cut == 0)
            break;
        while (cut > 0 && abs[cut - 1] != '/')
            cut--;
        while (cut > 0 && abs[cut - 1] == '/')
            cut--;
    }
    free(prefix);
    return rc;
}

int pe_path_resolve(pe_strbuf *out, const char *path, size_t len, const char *base,
                    const pe_path_opts *o)
{
    pe_sb_reset(out);
    if (len == 0)
        return 0;
    pe_strbuf full = PE_STRBUF_INIT;
    if (!expand_home(&full, path, len, o->home))
        pe_sb_append(&full, path, len);
    if (full.len && full.data[0] != '/' && base && base[0]) {
        pe_strbuf joined = PE_STRBUF_INIT;
        pe_sb_puts(&joined, base);
        pe_sb_putc(&joined, '/');
        pe_sb_append(&joined, full.data, full.len);
        pe_sb_free(&full);
        full = joined;
    }
    if (pe_sb_failed(&full)) {
        pe_sb_free(&full);
        return -1;
    }
    int rc = 1;
    if (!o->lexical && full.data[0] == '/' && !memchr(full.data, '\0', full.len))
        rc = resolve_abs(out, full.data, 0);
    if (rc == 1) {
        pe_sb_reset(out);
        pe_path_lexical(out, full.data, full.len);
        rc = 0;
    }
    pe_sb_free(&full);
    return rc < 0 || pe_sb_failed(out) ? -1 : 0;
}
