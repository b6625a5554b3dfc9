#include "guard.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GUARD_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||                         \
    __has_feature(memory_sanitizer)
#define GUARD_SANITIZED 1
#endif
#endif
#ifndef GUARD_SANITIZED
#define GUARD_SANITIZED 0
#endif

#define DEFAULT_DEADLINE_MS   10000L
#define DEFAULT_MAX_MEMORY_MB 4096L
#define ANSWER_MAX            8192

static const char bare_block[] =
    "prempti: prempti-hook stopped before deciding (time, CPU or memory limit, or an internal "
    "error); the tool call is blocked\n";

/* The emergency answer. Written only outside the handler, with the signals
 * that use it blocked, so the handler never sees half of one. */
static struct {
    char out[ANSWER_MAX];
    char err[ANSWER_MAX];
    size_t outlen, errlen;
    int code;
} answer;
static volatile sig_atomic_t answered = 0, answered_code = 2;

static const int fatal_signals[] = {SIGALRM, SIGXCPU, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
#define NFATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))

static void write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

static void on_fatal(int sig)
{
    if (answered)
        _exit(answered_code);
    (void)sig;
    write_all(1, answer.out, answer.outlen);
    write_all(2, answer.err, answer.errlen);
    _exit(answer.code);
}

static long env_long(const char *name, long def)
{
    const char *v = getenv(name);
    char *end;
    if (!v || !v[0])
        return def;
    long n = strtol(v, &end, 10);
    return *end || n < 0 ? def : n;
}

static void set_limit(int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit cur;
    if (getrlimit(resource, &cur) != 0)
        return;
    /* never raise a limit someone else set lower */
    if (cur.rlim_max != RLIM_INFINITY && hard > cur.rlim_max)
        hard = cur.rlim_max;
    if (soft > hard)
        soft = hard;
    if (cur.rlim_cur != RLIM_INFINITY && soft > cur.rlim_cur)
        return;
    struct rlimit lim = {soft, hard};
    setrlimit(resource, &lim);
}

static void block_fatal(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < NFATAL; i++)
        sigaddset(&set, fatal_signals[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

void hook_guard_set_answer(const char *out, const char *err, int code)
{
    size_t no = out ? strlen(out) : 0, ne = err ? strlen(err) : 0;
    sigset_t old;
    block_fatal(&old);
    if (no < ANSWER_MAX && ne < ANSWER_MAX) {
        memcpy(answer.out, out ? out : "", no);
        memcpy(answer.err, err ? err : "", ne);
        answer.outlen = no;
        answer.errlen = ne;
        answer.code = code;
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
}

void hook_guard_answered(int code)
{
    answered_code = code;
    answered = 1;
}

void hook_guard_init(void)
{
    hook_guard_set_answer("", bare_block, 2);
    long deadline_ms = env_long("PREMPTI_HOOK_DEADLINE_MS", DEFAULT_DEADLINE_MS);
    long max_mb = env_long("PREMPTI_HOOK_MAX_MEMORY_MB", DEFAULT_MAX_MEMORY_MB);

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_fatal;
    sigfillset(&sa.sa_mask);
    /* a stack overflow must still be answered: handlers run on their own */
    static char altstack[65536];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack), .ss_flags = 0};
    if (sigaltstack(&ss, NULL) == 0)
        sa.sa_flags |= SA_ONSTACK;
    for (size_t i = 0; i < NFATAL; i++) {
        int sig = fatal_signals[i];
        if (GUARD_SANITIZED && sig != SIGALRM && sig != SIGXCPU)
            continue; /* leave crashes to the sanitizer's report */
        sigaction(sig, &sa, NULL);
    }
    if (deadline_ms > 0) {
        long cpu_s = deadline_ms / 1000 + 1;
        set_limit(RLIMIT_CPU, (rlim_t)cpu_s, (rlim_t)cpu_s + 5);
        struct itimerval t = {{0, 0}, {deadline_ms / 1000, (deadline_ms % 1000) * 1000}};
        setitimer(ITIMER_REAL, &t, NULL);
    }
    if (max_mb > 0 && !GUARD_SANITIZED) {
        rlim_t bytes = (rlim_t)max_mb << 20;
        set_limit(RLIMIT_AS, bytes, bytes);
    }
}
