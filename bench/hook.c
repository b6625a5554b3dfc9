/*
 * Workload 4: the hook adapter end to end (spawn, payload on stdin,
 * response read, exit) beside a no-op program, every variant once per
 * round, interleaved, so that they share the machine's state. Each
 * variant has its own cache directory (XDG_CACHE_HOME) and HOME in a
 * scratch directory: warm variants find their compiled pack there, cold
 * ones have it removed before every run (so they compile and save it),
 * --no-cache ones read the YAML as every call did before the cache.
 */
#define _GNU_SOURCE
#include "hook.h"

#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stats.h"

extern char **environ;

typedef struct variant {
    const char *name;
    char *argv[12];
    char **envp;
    char *cache; /* this variant's cache directory (prempti/ under XDG_CACHE_HOME) */
    int cold;    /* cache entries removed before each run */
    double *t;
} variant;

static double spawn_once(const char *path, char *const argv[], char *const envp[],
                         const char *input)
{
    int in[2], out[2];
    if (pipe(in) || pipe(out))
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    /* a blocking answer also goes to stderr: keep it off the report */
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    double t0 = bench_now_ns();
    pid_t pid;
    if (posix_spawn(&pid, path, &fa, NULL, argv, envp) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        return -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    if (input && write(in[1], input, strlen(input)) < 0)
        perror("write");
    close(in[1]);
    char buf[4096];
    while (read(out[0], buf, sizeof(buf)) > 0)
        ;
    close(out[0]);
    int status;
    waitpid(pid, &status, 0);
    return bench_now_ns() - t0;
}

/* environ with HOME and XDG_CACHE_HOME replaced (a new array). */
static char **env_with(const char *home)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 3, sizeof(*env)), *x;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "HOME=", 5) && strncmp(environ[i], "XDG_CACHE_HOME=", 15) &&
            strncmp(environ[i], "PREMPTI_", 8))
            env[k++] = environ[i];
    if (asprintf(&x, "HOME=%s", home) < 0)
        abort();
    env[k++] = x;
    if (asprintf(&x, "XDG_CACHE_HOME=%s/cache", home) < 0)
        abort();
    env[k++] = x;
    return env;
}

/* Frees what env_with() added (its last two entries) and the array. */
static void free_env(char **env)
{
    size_t n = 0;
    while (env[n])
        n++;
    free(env[n - 1]);
    free(env[n - 2]);
    free(env);
}

static void clear_cache(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char p[4096];
        snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
        unlink(p);
    }
    if (d)
        closedir(d);
}

static size_t cache_bytes(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t total = 0;
    while (d && (de = readdir(d))) {
        char p[4096];
        struct stat st;
        snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
        if (de->d_name[0] != '.' && stat(p, &st) == 0)
            total += (size_t)st.st_size;
    }
    if (d)
        closedir(d);
    return total;
}

static void setup(variant *v, const char *scratch, const char *name, const char *prog,
                  const char *rules, const char *mode)
{
    char home[4096];
    snprintf(home, sizeof(home), "%s/%s", scratch, name);
    mkdir(home, 0700);
    v->name = name;
    v->envp = env_with(home);
    if (asprintf(&v->cache, "%s/cache/prempti", home) < 0)
        abort();
    v->cold = mode && strcmp(mode, "cold") == 0;
    int k = 0;
    v->argv[k++] = (char *)prog;
    if (rules) {
        char *const extra[] = {"--agent", "claude_code", "--rules", (char *)rules, "--audit-log",
                               "/dev/null"};
        for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
            v->argv[k++] = extra[i];
        if (mode && strcmp(mode, "nocache") == 0)
            v->argv[k++] = "--no-cache";
    }
    v->argv[k] = NULL;
}

static void report(const variant *v, int reps, const stats *noop)
{
    stats s = summarise(v->t, (size_t)reps);
    printf("  %-26s median %7.3f ms  mean %7.3f ms  p99 %7.3f ms  %5.2fx (mean %5.2fx)\n",
           v->name, s.median / 1e6, s.mean / 1e6, s.p99 / 1e6, s.median / noop->median,
           s.mean / noop->mean);
    bench_json(v->name, "median_ms", s.median / 1e6);
    bench_json(v->name, "mean_ms", s.mean / 1e6);
    bench_json(v->name, "p99_ms", s.p99 / 1e6);
    bench_json(v->name, "ratio_median", s.median / noop->median);
    bench_json(v->name, "ratio_mean", s.mean / noop->mean);
}

/* Waits until the file at path (just written) is older than the cache's
 * racy window (3 s, lib/engine_image.c): a compiled pack made earlier has
 * its rules compared by content on every load, as a pack just edited
 * would; installed packs are long past it. */
static void settle(const char *path)
{
    struct stat st;
    if (!path || stat(path, &st) != 0)
        return;
    for (;;) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        double age = (double)(now.tv_sec - st.st_ctim.tv_sec) +
                     (double)(now.tv_nsec - st.st_ctim.tv_nsec) / 1e9;
        if (age > 3.5)
            return;
        usleep((useconds_t)((3.6 - age) * 1e6));
    }
}

void bench_hook(const hook_spec *hs, int quick)
{
    printf("\n4. Hook adapter end to end (spawn -> response printed), interleaved\n");
    if (!hs->hook || access(hs->hook, X_OK) != 0 || !hs->noop || access(hs->noop, X_OK) != 0) {
        printf("  skipped: adapter or no-op program not found\n");
        return;
    }
    char scratch[] = "/tmp/prempti-bench-XXXXXX";
    if (!mkdtemp(scratch))
        return;
    variant v[12];
    int nv = 0;
    setup(&v[nv++], scratch, "no-op program", hs->noop, NULL, NULL);
    setup(&v[nv++], scratch, "default pack, warm", hs->hook, hs->project, "warm");
    if (hs->upstream) {
        setup(&v[nv++], scratch, "upstream, warm cache", hs->hook, hs->upstream, "warm");
        setup(&v[nv++], scratch, "upstream, cold cache", hs->hook, hs->upstream, "cold");
        setup(&v[nv++], scratch, "upstream, --no-cache", hs->hook, hs->upstream, "nocache");
    }
    char names[4][64];
    static const char *const what[] = {"warm cache", "cold cache", "--no-cache", "baseline build"};
    for (int i = 0; i < 4; i++)
        snprintf(names[i], sizeof(names[i]), "%s, %s", hs->big_name, what[i]);
    setup(&v[nv++], scratch, names[0], hs->hook, hs->big, "warm");
    setup(&v[nv++], scratch, names[1], hs->hook, hs->big, "cold");
    setup(&v[nv++], scratch, names[2], hs->hook, hs->big, "nocache");
    if (hs->baseline && access(hs->baseline, X_OK) == 0) { /* as it runs: no flag it lacks */
        if (hs->upstream)
            setup(&v[nv++], scratch, "upstream, baseline build", hs->baseline, hs->upstream,
                  NULL);
        setup(&v[nv++], scratch, names[3], hs->baseline, hs->big, NULL);
    }
    int reps = quick ? 3 : 200;
    settle(hs->big);
    for (int i = 0; i < nv; i++) { /* warm-up: the warm variants' caches are filled */
        v[i].t = calloc((size_t)reps, sizeof(double));
        spawn_once(v[i].argv[0], v[i].argv, v[i].envp, hs->payload);
    }
    for (int r = 0; r < reps; r++)
        for (int i = 0; i < nv; i++) {
            if (v[i].cold)
                clear_cache(v[i].cache);
            v[i].t[r] = spawn_once(v[i].argv[0], v[i].argv, v[i].envp, hs->payload);
        }
    stats noop = summarise(v[0].t, (size_t)reps);
    for (int i = 0; i < nv; i++)
        report(&v[i], reps, &noop);
    for (int i = 1; i < nv; i++)
        if (!v[i].cold && cache_bytes(v[i].cache))
            printf("  %-26s compiled pack: %zu bytes\n", v[i].name, cache_bytes(v[i].cache));
    for (int i = 0; i < nv; i++) {
        clear_cache(v[i].cache);
        free(v[i].t);
        free(v[i].cache);
        free_env(v[i].envp);
    }
}
