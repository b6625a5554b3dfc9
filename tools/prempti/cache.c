/* prempti cache: show or clear the compiled-pack cache (docs/cache.md). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "cli.h"
#include "fileio.h"

static const char help[] =
    "usage: prempti cache status|clear [--rules PATH]... [--config FILE]\n"
    "\n"
    "The compiled-pack cache holds the compiled form of the configured rules, so\n"
    "that the hook adapter maps it instead of reading YAML on every call. It lives\n"
    "in $XDG_CACHE_HOME/prempti, else ~/.cache/prempti; an entry is used only\n"
    "when it was made by this build of libprempti, with the same options, from\n"
    "the same rules files, unchanged.\n"
    "\n"
    "  status   the cache directory, its entries, and whether the entry for the\n"
    "           current configuration is there and usable (else why not)\n"
    "  clear    remove every entry (they are rebuilt when next needed)\n"
    "  --rules PATH, --config FILE   the configuration status looks at\n";

/* Whether a directory entry is one of ours: an image, or a temporary file
 * left by an interrupted write. */
static int is_entry(const char *name)
{
    return pt_starts_with(name, "engine-") && strstr(name, ".img") != NULL;
}

/* Calls fn on every entry of dir; the number of entries. */
static size_t each_entry(const char *dir, void (*fn)(const char *path, const struct stat *st,
                                                     void *ctx),
                         void *ctx)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (!is_entry(de->d_name))
            continue;
        char *path = pt_fmt("%s/%s", dir, de->d_name);
        struct stat st;
        if (path && lstat(path, &st) == 0) {
            fn(path, &st, ctx);
            n++;
        }
        free(path);
    }
    if (d)
        closedir(d);
    return n;
}

static void list_one(const char *path, const struct stat *st, void *ctx)
{
    (void)ctx;
    printf("%-12s %s (%lld bytes%s)\n", "", path, (long long)st->st_size,
           S_ISREG(st->st_mode) && st->st_uid == geteuid() ? "" : ", not ours: ignored");
}

static void remove_one(const char *path, const struct stat *st, void *ctx)
{
    size_t *removed = ctx;
    if (st->st_uid == geteuid() && unlink(path) == 0)
        (*removed)++;
    else
        fprintf(stderr, "prempti cache: cannot remove %s\n", path);
}

/* Whether the current configuration's entry is there and usable. */
static void show_current(const pt_settings *s, const char *dir)
{
    prempti_config *cfg = NULL;
    char *msg = NULL, *entry = NULL;
    /* Every part checked now, not as it would be used. */
    if (pt_settings_config(s, NULL, &cfg, &msg) ||
        prempti_config_set(cfg, "image_check", "full", NULL) != PREMPTI_OK ||
        !(entry = pt_cache_entry(dir, cfg, &s->rules))) {
        printf("%-12s cannot tell: %s\n", "current:", msg ? msg : "out of memory");
    } else {
        prempti_engine *e = NULL;
        prempti_error *err = NULL;
        int rc = prempti_engine_load_compiled(&e, entry, cfg, (const char *const *)s->rules.items,
                                              s->rules.count, &err);
        if (rc == PREMPTI_OK)
            printf("%-12s %s: usable (%zu rules)\n", "current:", entry,
                   prempti_engine_rule_count(e));
        else
            printf("%-12s %s: %s\n", "current:", entry,
                   err ? prempti_error_message(err) : prempti_strerror(rc));
        prempti_error_free(err);
        prempti_engine_free(e);
    }
    free(entry);
    free(msg);
    prempti_config_free(cfg);
}

static int status(const pt_settings *s, const char *dir)
{
    char *msg = NULL;
    printf("%-12s %s%s\n", "cache:", dir, s->use_cache ? "" : " (off: cache is false)");
    struct stat st;
    if (lstat(dir, &st) != 0) {
        printf("%-12s none yet\n", "entries:");
        return PT_EXIT_OK;
    }
    if (pt_cache_dir_ready(dir, &msg)) {
        printf("%-12s not usable: %s\n", "", msg ? msg : "out of memory");
        free(msg);
        return PT_EXIT_FAIL;
    }
    printf("%-12s\n", "entries:");
    if (!each_entry(dir, list_one, NULL))
        printf("%-12s none\n", "");
    show_current(s, dir);
    return PT_EXIT_OK;
}

static int clear(const char *dir)
{
    struct stat st;
    char *msg = NULL;
    if (lstat(dir, &st) == 0 && pt_cache_dir_ready(dir, &msg)) { /* never clear elsewhere */
        int rc = cli_error("cache", PT_EXIT_FAIL, "%s", msg ? msg : "out of memory");
        free(msg);
        return rc;
    }
    size_t removed = 0;
    size_t n = each_entry(dir, remove_one, &removed);
    printf("removed %zu of %zu entries from %s\n", removed, n, dir);
    return removed == n ? PT_EXIT_OK : PT_EXIT_FAIL;
}

static int run(const pt_flags *flags, const char *what)
{
    pt_settings s;
    if (cli_settings(&s, flags, "cache")) {
        pt_settings_free(&s);
        return PT_EXIT_FAIL;
    }
    char *dir = pt_cache_dir();
    int rc;
    if (!dir)
        rc = cli_error("cache", PT_EXIT_FAIL, "neither XDG_CACHE_HOME nor HOME is set");
    else if (strcmp(what, "status") == 0)
        rc = status(&s, dir);
    else
        rc = clear(dir);
    free(dir);
    pt_settings_free(&s);
    return rc;
}

int cmd_cache(int argc, char **argv)
{
    static const struct option opts[] = {{"rules", required_argument, NULL, OPT_RULES},
                                         {"config", required_argument, NULL, OPT_CONFIG},
                                         {"help", no_argument, NULL, OPT_HELP},
                                         {NULL, 0, NULL, 0}};
    pt_flags flags = PT_FLAGS_INIT;
    int c, status_code = -1;
    while (status_code < 0 && (c = cli_next(argc, argv, opts, "cache")) != -1) {
        int r = cli_settings_flag(c, &flags);
        if (r < 0)
            status_code = cli_error("cache", PT_EXIT_FAIL, "out of memory");
        else if (r > 0)
            continue;
        else if (c == OPT_HELP)
            status_code = cli_help(help);
        else
            status_code = PT_EXIT_USAGE;
    }
    if (status_code < 0) {
        const char *what = optind < argc ? argv[optind] : NULL;
        if (!what || optind + 1 != argc || (strcmp(what, "status") && strcmp(what, "clear")))
            status_code = cli_error("cache", PT_EXIT_USAGE, "expected 'status' or 'clear'");
        else
            status_code = run(&flags, what);
    }
    pt_strv_clear(&flags.rules);
    return status_code;
}
