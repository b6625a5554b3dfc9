#include "cache.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

char *pt_cache_dir(void)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && xdg[0] == '/') /* the XDG spec: a relative value is ignored */
        return pt_fmt("%s/prempti", xdg);
    if (home && home[0])
        return pt_fmt("%s/.cache/prempti", home);
    return NULL;
}

int pt_cache_dir_ready(const char *dir, char **errmsg)
{
    struct stat st;
    if (lstat(dir, &st) != 0) {
        if (errno != ENOENT)
            return pt_fail(errmsg, "cannot use the cache %s: %s", dir, strerror(errno));
        char *parent = pt_dirname(dir);
        int rc = parent ? pt_mkdirs(parent, 0700, errmsg) : pt_fail(errmsg, "out of memory");
        free(parent);
        if (rc)
            return rc;
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return pt_fail(errmsg, "cannot create the cache %s: %s", dir, strerror(errno));
        if (lstat(dir, &st) != 0)
            return pt_fail(errmsg, "cannot use the cache %s: %s", dir, strerror(errno));
    }
    if (!S_ISDIR(st.st_mode))
        return pt_fail(errmsg, "the cache %s is not a directory (a symbolic link is refused)",
                       dir);
    if (st.st_uid != geteuid())
        return pt_fail(errmsg, "the cache %s belongs to another user", dir);
    if ((st.st_mode & 077) && chmod(dir, 0700) != 0)
        return pt_fail(errmsg, "the cache %s is open to others and cannot be made 0700: %s",
                       dir, strerror(errno));
    return 0;
}

/* ---- which image ---- */

/* Options prempti_event_from_json() reads: they do not change a compiled
 * engine (agent_pid differs on every hook call), so they are left out of
 * the entry's name. */
static const char *const event_keys[] = {
    "agent",           "paths",          "home",        "agent_pid",
    "max_event_bytes", "max_json_depth", "image_check", NULL};

static int is_event_key(const char *key)
{
    for (size_t i = 0; event_keys[i]; i++)
        if (strcmp(event_keys[i], key) == 0)
            return 1;
    return 0;
}

static uint64_t fnv(uint64_t h, const char *s)
{
    for (size_t i = 0;; i++) { /* the NUL too: "a" "bc" differs from "ab" "c" */
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
        if (!s[i])
            return h;
    }
}

char *pt_cache_entry(const char *dir, const prempti_config *cfg, const pt_strv *paths)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < paths->count; i++)
        h = fnv(h, paths->items[i]);
    const char *key;
    for (size_t i = 0; (key = prempti_config_key(i)) != NULL; i++) {
        const char *v = prempti_config_get(cfg, key);
        if (!is_event_key(key) && v) {
            h = fnv(h, key);
            h = fnv(h, v);
        }
    }
    return pt_fmt("%s/engine-%016llx.img", dir, (unsigned long long)h);
}

/* ---- loading ---- */

static void report_warnings(prempti_engine *e, pt_diag_fn on_diag, void *ctx)
{
    for (size_t w = 0; on_diag && w < prempti_engine_warning_count(e); w++)
        on_diag(prempti_engine_warning(e, w), ctx);
}

/* The engine from the cache entry; NULL when there is no usable one. */
static prempti_engine *from_cache(const char *entry, const prempti_config *cfg,
                                  const pt_strv *paths)
{
    prempti_engine *e = NULL;
    if (prempti_engine_load_compiled(&e, entry, cfg, (const char *const *)paths->items,
                                     paths->count, NULL) != PREMPTI_OK)
        return NULL;
    return e;
}

static int from_yaml(prempti_engine **out, const prempti_config *cfg, const pt_strv *paths,
                     pt_diag_fn on_diag, void *ctx, char **errmsg)
{
    prempti_error *err = NULL;
    if (prempti_engine_new(out, cfg, &err) != PREMPTI_OK) {
        int rc = pt_fail(errmsg, "%s", err ? prempti_error_message(err) : "out of memory");
        prempti_error_free(err);
        return rc;
    }
    if (pt_load_rules(*out, paths, on_diag, ctx, errmsg)) {
        prempti_engine_free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

int pt_engine_load(prempti_engine **out, const prempti_config *cfg, const pt_strv *paths,
                   int use_cache, pt_diag_fn on_diag, void *ctx, int *cached, char **errmsg)
{
    char *dir = use_cache && paths->count ? pt_cache_dir() : NULL, *entry = NULL, *msg = NULL;
    int ready = dir && pt_cache_dir_ready(dir, &msg) == 0;
    free(msg); /* an unusable cache only means reading the YAML */
    if (ready)
        entry = pt_cache_entry(dir, cfg, paths);
    *out = entry ? from_cache(entry, cfg, paths) : NULL;
    if (cached)
        *cached = *out != NULL;
    int rc = 0;
    if (*out)
        report_warnings(*out, on_diag, ctx);
    else if (!(rc = from_yaml(out, cfg, paths, on_diag, ctx, errmsg)) && entry)
        prempti_engine_save(*out, entry, NULL); /* best effort: next time it is there */
    free(entry);
    free(dir);
    return rc;
}

int pt_engine_reload(prempti_engine **engine, const prempti_config *cfg, const pt_strv *paths,
                     char **errmsg)
{
    char *dir = pt_cache_dir(), *entry = NULL, *msg = NULL;
    if (dir && pt_cache_dir_ready(dir, &msg) == 0) /* never unlink through a planted link */
        entry = pt_cache_entry(dir, cfg, paths);
    free(msg);
    if (entry)
        unlink(entry);
    free(entry);
    free(dir);
    prempti_engine *fresh = NULL;
    if (pt_engine_load(&fresh, cfg, paths, 1, NULL, NULL, NULL, errmsg))
        return -1;
    prempti_engine_free(*engine);
    *engine = fresh;
    return 0;
}
