#include "probe.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "str.h"

#define PROBE_MAX_OUTPUT ((size_t)1 << 20)

typedef struct sink {
    int fd;
    char *buf;
    size_t len;
} sink;

static void child(const char *command, const char *env_set, int in[2], int out[2], int err[2])
{
    setpgid(0, 0); /* its own group, so that a timeout stops all of it */
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    for (int *p = in; p; p = p == in ? out : p == out ? err : NULL) {
        close(p[0]);
        close(p[1]);
    }
    if (env_set && putenv((char *)env_set) != 0)
        _exit(127);
    execl("/bin/sh", "sh", "-c", command, (char *)NULL);
    _exit(127);
}

/* Reads what is ready on a sink; returns 0 at end of file. */
static int drain(sink *s)
{
    char chunk[4096];
    ssize_t n = read(s->fd, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR)
        return 1;
    if (n <= 0)
        return 0;
    if (s->len + (size_t)n <= PROBE_MAX_OUTPUT) {
        char *grown = realloc(s->buf, s->len + (size_t)n + 1);
        if (!grown)
            return 0;
        memcpy(grown + s->len, chunk, (size_t)n);
        s->buf = grown;
        s->len += (size_t)n;
        s->buf[s->len] = '\0';
    }
    return 1;
}

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Collects both outputs until they close or the time is up. */
static int collect(sink s[2], int seconds)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int open_fds = 2;
    while (open_fds > 0) {
        long left = seconds * 1000L - elapsed_ms(&t0);
        if (left <= 0)
            return -1;
        struct pollfd p[2] = {{s[0].fd, POLLIN, 0}, {s[1].fd, POLLIN, 0}};
        int n = poll(p, 2, (int)left);
        if (n < 0 && errno != EINTR)
            return -1;
        for (int i = 0; n > 0 && i < 2; i++) {
            if (s[i].fd >= 0 && (p[i].revents & (POLLIN | POLLHUP | POLLERR)) && !drain(&s[i])) {
                close(s[i].fd);
                s[i].fd = -1;
                open_fds--;
            }
        }
    }
    return 0;
}

int pt_probe_run(const char *command, const char *payload, const char *env_set, int seconds,
                 pt_probe *out, char **errmsg)
{
    memset(out, 0, sizeof(*out));
    out->status = -1;
    int in[2] = {-1, -1}, o[2] = {-1, -1}, e[2] = {-1, -1};
    if (pipe(in) || pipe(o) || pipe(e))
        return pt_fail(errmsg, "cannot create pipes: %s", strerror(errno));
    pid_t pid = fork();
    if (pid == 0)
        child(command, env_set, in, o, e);
    if (pid > 0)
        setpgid(pid, pid); /* also here: the child may not have run yet */
    close(in[0]);
    close(o[1]);
    close(e[1]);
    if (pid < 0) {
        close(in[1]);
        close(o[0]);
        close(e[0]);
        return pt_fail(errmsg, "cannot start the adapter: %s", strerror(errno));
    }
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    pt_write_all(in[1], payload, strlen(payload)); /* an adapter may not read it all */
    close(in[1]);
    sink s[2] = {{o[0], NULL, 0}, {e[0], NULL, 0}};
    out->timeout = collect(s, seconds) != 0;
    if (out->timeout)
        kill(-pid, SIGKILL);
    for (int i = 0; i < 2; i++)
        if (s[i].fd >= 0)
            close(s[i].fd);
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
    signal(SIGPIPE, old);
    out->status = !out->timeout && WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
    out->out = s[0].buf ? s[0].buf : pt_strdup("");
    out->err = s[1].buf ? s[1].buf : pt_strdup("");
    if (!out->out || !out->err)
        return pt_fail(errmsg, "out of memory");
    return 0;
}

void pt_probe_free(pt_probe *p)
{
    free(p->out);
    free(p->err);
    memset(p, 0, sizeof(*p));
}
