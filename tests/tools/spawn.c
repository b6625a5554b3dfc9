#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct sink {
    char *buf;
    size_t len, cap;
} sink;

static int sink_read(sink *s, int fd)
{
    if (s->cap - s->len < 4097) {
        size_t cap = s->cap * 2 + 8192;
        char *nb = realloc(s->buf, cap);
        if (!nb)
            return -1;
        s->buf = nb;
        s->cap = cap;
    }
    ssize_t n = read(fd, s->buf + s->len, s->cap - s->len - 1);
    if (n < 0 && errno == EINTR)
        return 1;
    if (n <= 0)
        return 0;
    s->len += (size_t)n;
    return 1;
}

/* Feeds stdin and drains stdout and stderr together, so that no pipe fills. */
static int pump(int in, const char *data, size_t len, int keep_open, int out, int err, sink *so,
                sink *se)
{
    size_t off = 0;
    struct pollfd p[3] = {{in, POLLOUT, 0}, {out, POLLIN, 0}, {err, POLLIN, 0}};
    if (len == 0) {
        if (!keep_open)
            close(in);
        p[0].fd = -1;
    }
    while (p[1].fd >= 0 || p[2].fd >= 0) {
        if (poll(p, 3, -1) < 0 && errno != EINTR)
            return -1;
        if (p[0].fd >= 0 && p[0].revents) {
            ssize_t w = write(in, data + off, len - off);
            if (w > 0)
                off += (size_t)w;
            if (w < 0 || off == len) { /* EPIPE: the program stopped reading */
                if (w < 0 || !keep_open)
                    close(in);
                p[0].fd = -1;
            }
        }
        for (int i = 1; i < 3; i++) {
            if (p[i].fd >= 0 && p[i].revents) {
                int r = sink_read(i == 1 ? so : se, p[i].fd);
                if (r < 0)
                    return -1;
                if (r == 0) {
                    close(p[i].fd);
                    p[i].fd = -1;
                }
            }
        }
    }
    if (p[0].fd >= 0 || keep_open)
        close(in);
    return 0;
}

/* Pipes the child must not inherit beyond its standard streams. */
static int cloexec_pipe(int fd[2])
{
    if (pipe(fd))
        return -1;
    fcntl(fd[0], F_SETFD, FD_CLOEXEC);
    fcntl(fd[1], F_SETFD, FD_CLOEXEC);
    return 0;
}

int pt_spawn(pt_run *r, char *const argv[], char *const env[], const char *in, size_t len)
{
    return pt_spawn_ex(r, argv, env, in, len, 0);
}

int pt_spawn_ex(pt_run *r, char *const argv[], char *const env[], const char *in, size_t len,
                int keep_open)
{
    int pin[2], pout[2], perr[2];
    memset(r, 0, sizeof(*r));
    signal(SIGPIPE, SIG_IGN);
    if (cloexec_pipe(pin) || cloexec_pipe(pout) || cloexec_pipe(perr))
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pin[0], 0);
    posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
    posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    close(pin[0]);
    close(pout[1]);
    close(perr[1]);
    if (rc != 0) {
        close(pin[1]);
        close(pout[0]);
        close(perr[0]);
        return -1;
    }
    sink so = {0}, se = {0};
    int ok = pump(pin[1], in, in ? len : 0, keep_open, pout[0], perr[0], &so, &se) == 0;
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r->out = so.buf ? so.buf : calloc(1, 1);
    r->err = se.buf ? se.buf : calloc(1, 1);
    if (so.buf)
        so.buf[so.len] = '\0';
    if (se.buf)
        se.buf[se.len] = '\0';
    return ok && r->out && r->err ? 0 : -1;
}

void pt_run_free(pt_run *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof(*r));
}

static int keep(const char *var)
{
    static const char *const kept[] = {
        "ASAN_OPTIONS=", "UBSAN_OPTIONS=", "LSAN_OPTIONS=", "LD_LIBRARY_PATH=", NULL};
    for (const char *const *k = kept; *k; k++)
        if (strncmp(var, *k, strlen(*k)) == 0)
            return 1;
    return 0;
}

char **pt_env_new(const char *home, char *const extra[])
{
    extern char **environ;
    size_t n = 0, m = 0;
    while (environ[n])
        n++;
    while (extra && extra[m])
        m++;
    char **env = calloc(n + m + 4, sizeof(*env));
    if (!env)
        return NULL;
    size_t k = 0;
    env[k++] = malloc(strlen(home) + 6);
    if (env[0])
        sprintf(env[0], "HOME=%s", home);
    env[k++] = strdup("PATH=/usr/local/bin:/usr/bin:/bin");
    env[k++] = strdup("TZ=UTC");
    for (size_t i = 0; i < n; i++)
        if (keep(environ[i]))
            env[k++] = strdup(environ[i]);
    for (size_t i = 0; i < m; i++)
        env[k++] = strdup(extra[i]);
    return env;
}

void pt_env_free(char **env)
{
    for (size_t i = 0; env && env[i]; i++)
        free(env[i]);
    free(env);
}
