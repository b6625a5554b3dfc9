#include "paths.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/sys.h"

static int is_sep(char c)
{
    return c == '/' || c == '\\';
}

static int is_dot(const char *s, size_t n)
{
    return n == 1 && s[0] == '.';
}

static int is_dotdot(const char *s, size_t n)
{
    return n == 2 && s[0] == '.' && s[1] == '.';
}

void pe_path_basename(const char *path, size_t len, const char **name, size_t *name_len)
{
    *name = path + len;
    *name_len = 0;
    while (len > 0) {
        while (len > 0 && is_sep(path[len - 1]))
            len--;
        size_t start = len;
        while (start > 0 && !is_sep(path[start - 1]))
            start--;
        const char *c = path + start;
        size_t n = len - start;
        if (is_dot(c, n) && start > 0) {
            len = start; /* "x/." names x */
            continue;
        }
        if (!is_dot(c, n) && !is_dotdot(c, n)) {
            *name = c;
            *name_len = n;
        }
        return;
    }
}

/* ---- Windows-style paths ---- */

static int is_drive(const char *p, size_t len)
{
    return len >= 2 && isalpha((unsigned char)p[0]) && p[1] == ':' && (len == 2 || is_sep(p[2]));
}

/* `C:\x`, `C:/x`, `C:`, `\\server\share`, `\\?\C:\x`; a POSIX `//x` is not. */
static int is_windows(const char *p, size_t len)
{
    return is_drive(p, len) || (len >= 2 && p[0] == '\\' && p[1] == '\\');
}

/* Appends p with `\` turned into `/` and any `\\?\` (or `\\?\UNC\`) prefix dropped. */
static void windows_to_slashes(pe_strbuf *out, const char *p, size_t len)
{
    if (len >= 4 && memcmp(p, "\\\\?\\", 4) == 0) {
        p += 4;
        len -= 4;
        if (len >= 4 && memcmp(p, "UNC\\", 4) == 0) {
            p += 4;
            len -= 4;
            pe_sb_puts(out, "//");
        }
    }
    for (size_t i = 0; i < len; i++)
        pe_sb_putc(out, p[i] == '\\' ? '/' : p[i]);
}

/* ---- lexical normalisation ---- */

/*
 * Length of the root of p (whose separators are `/`): "C:/" for a drive,
 * "//server/share/" for a UNC path when win, "/" for any other absolute
 * path, 0 for a relative one. *norm receives how the root is written.
 */
static size_t root_len(const char *p, size_t len, int win, pe_strbuf *norm)
{
    if (win && len >= 2 && isalpha((unsigned char)p[0]) && p[1] == ':') {
        pe_sb_append(norm, p, 2);
        pe_sb_putc(norm, '/');
        return 2;
    }
    if (win && len >= 2 && p[0] == '/' && p[1] == '/') {
        /* the server and the share are part of the root */
        size_t i = 2;
        pe_sb_puts(norm, "//");
        for (int part = 0; part < 2 && i < len; part++) {
            size_t j = i;
            while (j < len && p[j] != '/')
                j++;
            pe_sb_append(norm, p + i, j - i);
            pe_sb_putc(norm, '/');
            i = j < len ? j + 1 : j;
        }
        return i;
    }
    if (len > 0 && p[0] == '/') {
        pe_sb_putc(norm, '/');
        return 1;
    }
    return 0;
}

/* Appends the lexical normal form of p: `.` and empty components dropped,
 * `..` applied but never above the root (a leading `..` of a relative path
 * is dropped), no trailing separator. */
static void lexical(pe_strbuf *out, const char *p, size_t len, int win)
{
    size_t i = root_len(p, len, win, out);
    size_t root_end = out->len; /* never pop below the root */
    while (i < len) {
        while (i < len && p[i] == '/')
            i++;
        size_t j = i;
        while (j < len && p[j] != '/')
            j++;
        const char *c = p + i;
        size_t n = j - i;
        if (n == 0 || is_dot(c, n)) {
            /* nothing */
        } else if (is_dotdot(c, n)) {
            size_t k = out->len;
            while (k > root_end && out->data[k - 1] != '/')
                k--;
            if (k > root_end)
                k--; /* the separator before the dropped component */
            pe_sb_truncate(out, k);
        } else {
            if (out->len > root_end)
                pe_sb_putc(out, '/');
            pe_sb_append(out, c, n);
        }
        i = j;
    }
}

/* ---- the filesystem walk ---- */

/* Drops the last component of the canonical path in cur ("/" stays). */
static void pop_component(pe_strbuf *cur)
{
    size_t k = cur->len;
    while (k > 1 && cur->data[k - 1] != '/')
        k--;
    pe_sb_truncate(cur, k > 1 ? k - 1 : 1);
}

typedef struct walk {
    pe_strbuf cur;  /* canonical, existing prefix ("/" at the start) */
    pe_strbuf tail; /* components after the first missing one */
    pe_strbuf todo; /* what is still to be walked */
    int hops;
} walk;

/* Replaces todo by target + "/" + todo[from..]. */
static void splice(walk *w, const char *target, size_t from)
{
    pe_strbuf next = PE_STRBUF_INIT;
    pe_sb_puts(&next, target);
    pe_sb_putc(&next, '/');
    pe_sb_append(&next, w->todo.data + from, w->todo.len - from);
    if (pe_sb_failed(&next))
        w->todo.failed = 1;
    pe_sb_free(&w->todo);
    w->todo = next;
}

/* Walks one component c of todo (which ends at todo offset `next`).
 * Returns 0 to go on, 1 to give up (too many symlinks), -1 when out of memory. */
static int walk_component(walk *w, const char *c, size_t n, size_t next)
{
    if (w->tail.len) { /* past a missing component: lexical */
        if (is_dotdot(c, n)) {
            size_t k = w->tail.len;
            while (k > 0 && w->tail.data[k - 1] != '/')
                k--;
            pe_sb_truncate(&w->tail, k ? k - 1 : 0);
        } else {
            pe_sb_putc(&w->tail, '/');
            pe_sb_append(&w->tail, c, n);
        }
        return 0;
    }
    if (is_dotdot(c, n)) {
        pop_component(&w->cur); /* cur has no symlinks: its parent is physical */
        return 0;
    }
    size_t keep = w->cur.len;
    if (w->cur.len > 1)
        pe_sb_putc(&w->cur, '/');
    pe_sb_append(&w->cur, c, n);
    if (pe_sb_failed(&w->cur))
        return -1;
    char *target = NULL;
    pe_sys_kind kind = pe_sys_lookup(pe_sb_str(&w->cur), &target);
    if (kind == PE_SYS_MISSING) {
        pe_sb_truncate(&w->cur, keep);
        pe_sb_putc(&w->tail, '/');
        pe_sb_append(&w->tail, c, n);
        return 0;
    }
    if (kind == PE_SYS_OTHER)
        return 0;
    pe_sb_truncate(&w->cur, keep);
    if (++w->hops > PE_PATH_MAX_HOPS || !target) {
        free(target);
        return 1;
    }
    if (target[0] == '/')
        pe_sb_truncate(&w->cur, 1);
    splice(w, target, next);
    free(target);
    return pe_sb_failed(&w->todo) ? -1 : 2;
}

/* Canonicalises the absolute, lexically normal path p into out.
 * Returns 0, 1 when it gives up (symlink loop, unreadable link), -1 on OOM. */
static int walk_path(pe_strbuf *out, const char *p)
{
    walk w = {PE_STRBUF_INIT, PE_STRBUF_INIT, PE_STRBUF_INIT, 0};
    pe_sb_putc(&w.cur, '/');
    pe_sb_puts(&w.todo, p);
    int rc = pe_sb_failed(&w.todo) ? -1 : 0;
    size_t i = 0;
    while (rc == 0 && i < w.todo.len) {
        const char *t = w.todo.data;
        while (i < w.todo.len && t[i] == '/')
            i++;
        size_t j = i;
        while (j < w.todo.len && t[j] != '/')
            j++;
        size_t n = j - i;
        if (n == 0 || is_dot(t + i, n)) {
            i = j;
            continue;
        }
        rc = walk_component(&w, t + i, n, j);
        if (rc == 2) { /* todo was replaced by a link target */
            rc = 0;
            i = 0;
        } else {
            i = j;
        }
    }
    if (rc == 0) {
        pe_sb_reset(out);
        if (w.tail.len && w.cur.len == 1)
            pe_sb_append(out, w.tail.data, w.tail.len); /* tail starts with '/' */
        else {
            pe_sb_append(out, w.cur.data, w.cur.len);
            pe_sb_append(out, w.tail.data, w.tail.len);
        }
        if (pe_sb_failed(&w.cur) || pe_sb_failed(&w.tail) || pe_sb_failed(out))
            rc = -1;
    }
    pe_sb_free(&w.cur);
    pe_sb_free(&w.tail);
    pe_sb_free(&w.todo);
    return rc;
}

/* ---- putting it together ---- */

/* Appends path with a leading `~`, `$HOME` or `${HOME}` replaced by home. */
static void expand_home(pe_strbuf *out, const char *path, size_t len, const char *home)
{
    static const char *const forms[] = {"~", "$HOME", "${HOME}"};
    if (home && home[0]) {
        for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
            size_t n = strlen(forms[f]);
            if (len >= n && memcmp(path, forms[f], n) == 0 && (len == n || is_sep(path[n]))) {
                pe_sb_puts(out, home);
                pe_sb_append(out, path + n, len - n);
                return;
            }
        }
    }
    pe_sb_append(out, path, len);
}

int pe_path_resolve(pe_strbuf *out, const char *path, size_t len, const char *base,
                    const pe_path_opts *o)
{
    pe_sb_reset(out);
    if (len == 0)
        return 0;
    pe_strbuf raw = PE_STRBUF_INIT, full = PE_STRBUF_INIT, norm = PE_STRBUF_INIT;
    expand_home(&raw, path, len, o->home);
    if (pe_sb_failed(&raw)) {
        pe_sb_free(&raw);
        return -1;
    }
    size_t blen = base ? strlen(base) : 0;
    int win = is_windows(raw.data, raw.len);
    int relative = !win && raw.data[0] != '/';
    if (relative && blen) {
        win = is_windows(base, blen);
        if (win)
            windows_to_slashes(&full, base, blen);
        else
            pe_sb_append(&full, base, blen);
        pe_sb_putc(&full, '/');
    }
    if (win)
        windows_to_slashes(&full, raw.data, raw.len);
    else
        pe_sb_append(&full, raw.data, raw.len);
    lexical(&norm, pe_sb_str(&full), full.len, win);

    int rc = pe_sb_failed(&full) || pe_sb_failed(&norm) ? -1 : 1;
    /* A NUL would cut the path short in every system call: never resolve it. */
    if (rc == 1 && !o->lexical && !win && norm.len && norm.data[0] == '/' &&
        !memchr(norm.data, '\0', norm.len))
        rc = walk_path(out, norm.data);
    if (rc == 1) {
        pe_sb_reset(out);
        pe_sb_append(out, norm.data, norm.len);
        rc = 0;
    }
    pe_sb_free(&raw);
    pe_sb_free(&full);
    pe_sb_free(&norm);
    return rc < 0 || pe_sb_failed(out) ? -1 : 0;
}
