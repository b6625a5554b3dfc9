/*
 * Wrappers: commands that run another command given as their arguments
 * (sudo, env, timeout 5, nice, xargs, firejail, proxychains, ...), stripped
 * with their own options so that the command's name is the program that
 * runs. Each is a row of the table; some run a string as a script instead
 * (env -S, watch without -x, flock -c, entr -s).
 */
#include <string.h>

#include "shell/interp.h"

/* ---- wrappers ------------------------------------------------------------ */

enum {
    WK_PLAIN,
    WK_ENV,
    WK_XARGS,
    WK_WATCH,
    WK_SUDO,
    WK_SHELL,  /* with no command runs a shell (nsenter, unshare) */
    WK_CODE_C, /* -c CODE runs a string (flock, sg) */
    WK_CODE_S, /* -s makes the command a string (entr) */
    WK_USER_U  /* a wrapper only with -u USER (runuser; su's form otherwise) */
};

typedef struct wrap_spec {
    const char *name;
    const char *arg_short;       /* letters taking an argument (attached or the next word) */
    const char *optarg_short;    /* letters whose optional argument is attached */
    const char *stop_short;      /* letters meaning no command is run */
    const char *shell_short;     /* letters starting a shell when no command follows */
    const char *const *arg_long; /* long options taking the next word (without =) */
    unsigned char operands;      /* words before the command: timeout's duration */
    unsigned char assigns;       /* NAME=value words may precede the command */
    unsigned char kind;
} wrap_spec;

static const char *const sudo_long[] = {"user",   "group", "host", "prompt",          "close-from",
                                        "chdir",  "role",  "type", "command-timeout", "other-user",
                                        "chroot", NULL};
static const char *const env_long[] = {"unset", "chdir", "split-string", NULL};
static const char *const timeout_long[] = {"signal", "kill-after", NULL};
static const char *const stdbuf_long[] = {"input", "output", "error", NULL};
static const char *const time_long[] = {"format", "output", NULL};
static const char *const xargs_long[] = {"arg-file",  "delimiter",        "max-args", "max-procs",
                                         "max-chars", "process-slot-var", NULL};
static const char *const watch_long[] = {"interval", "equexit", NULL};
static const char *const nice_long[] = {"adjustment", NULL};
static const char *const ionice_long[] = {"class", "classdata", NULL};
static const char *const chroot_long[] = {"userspec", "groups", NULL};

static const char *const systemd_run_long[] = {"unit",
                                               "property",
                                               "description",
                                               "slice",
                                               "setenv",
                                               "uid",
                                               "gid",
                                               "nice",
                                               "working-directory",
                                               "machine",
                                               "host",
                                               "on-active",
                                               "on-boot",
                                               "on-startup",
                                               "on-unit-active",
                                               "on-unit-inactive",
                                               "on-calendar",
                                               "timer-property",
                                               "path-property",
                                               "socket-property",
                                               "service-type",
                                               NULL};
static const char *const strace_long[] = {"output", "trace", "signal", "string-limit",
                                          "attach", "user",  "env",    NULL};
static const char *const firejail_long[] = {
    "profile", "private", "whitelist", "blacklist", "read-only", "net", "dns", "name", NULL};
static const char *const pkexec_long[] = {"user", NULL};
static const char *const nsenter_long[] = {"target", "mount",  "uts",    "ipc",  "net",
                                           "pid",    "user",   "cgroup", "time", "root",
                                           "wd",     "setuid", "setgid", NULL};
static const char *const unshare_long[] = {
    "propagation", "setgroups", "map-user", "map-group", "root", "wd", "setuid", "setgid", NULL};
static const char *const proxychains_long[] = {NULL};
static const char *const xvfb_long[] = {"server-num",     "error-file",  "auth-file",
                                        "xauth-protocol", "server-args", NULL};
static const char *const screen_long[] = {NULL};
static const char *const runuser_long[] = {"user", "group", "supp-group", "whitelist-environment",
                                           NULL};

/* In strcmp order of names: find_wrapper() searches it by halves. */
static const wrap_spec wrap_specs[] = {
    {"builtin", "", "", "", "", sh_none, 0, 0, WK_PLAIN},
    {"busybox", "", "", "", "", sh_none, 0, 0, WK_PLAIN},
    {"caffeinate", "tw", "", "", "", sh_none, 0, 0, WK_PLAIN},
    {"catchsegv", "", "", "", "", sh_none, 0, 0, WK_PLAIN},
    {"cgexec", "g", "", "", "", sh_none, 0, 0, WK_PLAIN},
    {"chronic", "", "", "", "", sh_none, 0, 0, WK_PLAIN},
    {"chroot", "", "", "", "", chroot_long, 1, 0, WK_PLAIN},
    {"chrt", "TPD", "", "p", "", sh_none, 1, 0, WK_PLAIN},
    {"command", "", "", "vV", "", sh_none, 0, 0, WK_PLAIN},
    {"doas", "uC", "", "CL", "s", sh_none, 0, 0, WK_PLAIN},
    {"dtach", "nAcNeEr", "", "", "", sh_none, 0, 0, WK_PLAIN},
    {"entr", "", "", "", "", sh_none, 0, 0, WK_CODE_S},
    {"env", "uCSP", "", "", "", env_long, 0, 1, WK_ENV},
    {"exec", "a", "", "", "", sh_none, 0, 0, WK_PLAIN},
    {"fakeroot", "ils", "", "", "", sh_none, 0, 0, WK_PLAIN},
    {"firejail", "", "", "", "", firejail_long, 0, 0, WK_PLAIN},
    {"flock", "wEc", "", "", "", sh_none, 1, 0, WK_CODE_C},
    {"ionice", "cn", "", "pPu", "", ionice_long, 0, 0, WK_PLAIN},
    {"ltrace", "oespuaAEIlnLSx", "", "", "", strace_long, 0, 0, WK_PLAIN},
    {"nice", "n", "", "", "", nice_long, 0, 0, WK_PLAIN},
    {"nohup", "", "", "", "", sh_none, 0, 0, WK_PLAIN},
    {"nsenter", "tSGwr", "", "", "", nsenter_long, 0, 0, WK_SHELL},
    {"pkexec", "", "", "", "", pkexec_long, 0, 0, WK_PLAIN},
    {"proxychains", "f", "", "", "", proxychains_long, 0, 0, WK_PLAIN},
    {"proxychains4", "f", "", "", "", proxychains_long, 0, 0, WK_PLAIN},
    {"run0", "uDgM", "", "", "", sudo_long, 0, 1, WK_SUDO},
    {"runuser", "ugGw", "", "", "", runuser_long, 0, 0, WK_USER_U},
    {"screen", "SctehpsTXL", "", "lr", "", screen_long, 0, 0, WK_PLAIN},
    {"setsid", "", "", "", "", sh_none, 0, 0, WK_PLAIN},
    {"sg", "", "", "", "", sh_none, 1, 0, WK_CODE_C},
    {"stdbuf", "ioe", "", "", "", stdbuf_long, 0, 0, WK_PLAIN},
    {"strace", "oespuaAEIbPX", "", "", "", strace_long, 0, 0, WK_PLAIN},
    {"sudo", "aCcDgpRrTtUu", "h", "elVvK", "si", sudo_long, 0, 1, WK_SUDO},
    {"systemd-run", "upEM", "", "", "", systemd_run_long, 0, 0, WK_PLAIN},
    {"taskset", "", "", "p", "", sh_none, 1, 0, WK_PLAIN},
    {"time", "fo", "", "", "", time_long, 0, 0, WK_PLAIN},
    {"timeout", "sk", "", "", "", timeout_long, 1, 0, WK_PLAIN},
    {"torify", "", "", "", "", sh_none, 0, 0, WK_PLAIN},
    {"torsocks", "uapP", "", "", "", sh_none, 0, 0, WK_PLAIN},
    {"unbuffer", "", "", "", "", sh_none, 0, 0, WK_PLAIN},
    {"unshare", "", "", "", "", unshare_long, 0, 0, WK_SHELL},
    {"watch", "nq", "", "", "", watch_long, 0, 0, WK_WATCH},
    {"xargs", "adEILnPs", "eil", "", "", xargs_long, 0, 0, WK_XARGS},
    {"xvfb-run", "nsfe", "", "", "", xvfb_long, 0, 0, WK_PLAIN},
};

#define NWRAP (sizeof(wrap_specs) / sizeof(wrap_specs[0]))

/* The wrapper named base: a binary search (the table is in strcmp order). */
static const wrap_spec *find_wrapper(pe_str base)
{
    size_t lo = 0, hi = NWRAP;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = sh_cmp(base, wrap_specs[mid].name);
        if (!c)
            return &wrap_specs[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

int sh_wrappers_sorted(void)
{
    for (size_t i = 1; i < NWRAP; i++)
        if (strcmp(wrap_specs[i - 1].name, wrap_specs[i].name) >= 0)
            return 0;
    return 1;
}

/* What a wrapper's options said. */
typedef struct wrap_opts {
    int stop;      /* runs nothing (sudo -l, command -v) */
    int exec;      /* watch -x */
    int shell;     /* sudo -s / -i, doas -s */
    int has_split; /* env -S, flock -c, sg -c, entr -s: a string is the script */
    pe_str split;
    unsigned split_flags;
    int code_s; /* entr -s: the command is a string */
    int user;   /* runuser -u: the arguments are a command */
} wrap_opts;

static const char *const stop_long[] = {"help", "version", "list", "edit", "validate", NULL};

/* xargs -d's character: '\n' written with a backslash, or as it is. */
static int delimiter(pe_str v)
{
    if (v.len == 2 && v.s[0] == '\\')
        return v.s[1] == 'n' ? '\n' : v.s[1] == 't' ? '\t' : v.s[1] == '0' ? SH_XARGS_NUL : v.s[1];
    return v.len && v.s[0] ? (unsigned char)v.s[0] : SH_XARGS_NUL;
}

/* A --long option at word j; the number of extra words it takes. */
static size_t wrap_long(sh_interp *st, const wrap_spec *ws, size_t j, wrap_opts *o)
{
    pe_str w = st->w[j];
    const char *eq = memchr(w.s, '=', w.len);
    size_t nlen = (eq ? (size_t)(eq - w.s) : w.len) - 2;
    const char *name = w.s + 2;
    int takes = !eq && sh_in_list(ws->arg_long, name, nlen) && j + 1 < st->n;
    pe_str value = eq      ? sh_rest_of(w, (size_t)(eq - w.s) + 1)
                   : takes ? st->w[j + 1]
                           : sh_rest_of(w, w.len);
    if (sh_in_list(stop_long, name, nlen))
        o->stop = 1;
    else if (ws->kind == WK_ENV && nlen == 12 && memcmp(name, "split-string", 12) == 0)
        o->has_split = 1, o->split = value, o->split_flags = st->f[takes ? j + 1 : j];
    else if (ws->kind == WK_WATCH && nlen == 4 && memcmp(name, "exec", 4) == 0)
        o->exec = 1;
    else if (ws->kind == WK_SUDO && ((nlen == 5 && memcmp(name, "shell", 5) == 0) ||
                                     (nlen == 5 && memcmp(name, "login", 5) == 0)))
        o->shell = 1;
    else if (ws->kind == WK_USER_U && nlen == 4 && memcmp(name, "user", 4) == 0)
        o->user = 1;
    else if (ws->kind == WK_XARGS && nlen == 7 && memcmp(name, "replace", 7) == 0)
        st->xrepl = eq ? value : (pe_str){"{}", 2};
    else if (ws->kind == WK_XARGS && nlen == 4 && memcmp(name, "null", 4) == 0)
        st->xdelim = SH_XARGS_NUL;
    else if (ws->kind == WK_XARGS && nlen == 9 && memcmp(name, "delimiter", 9) == 0)
        st->xdelim = delimiter(value);
    else if (ws->kind == WK_XARGS && nlen == 8 && memcmp(name, "arg-file", 8) == 0)
        sh_path_add(st->c, st->c->cmds[st->idx].scope, value, st->f[takes ? j + 1 : j],
                    PE_SHELL_P_READ);
    else if ((ws->kind == WK_ENV || ws->kind == WK_SUDO) && nlen == 5 &&
             memcmp(name, "chdir", 5) == 0)
        st->chdir = value, st->chdir_flags = st->f[takes ? j + 1 : j];
    return takes ? 1 : 0;
}

/* A -cluster at word j; the number of extra words it takes. */
static size_t wrap_short(sh_interp *st, const wrap_spec *ws, size_t j, wrap_opts *o)
{
    pe_str w = st->w[j];
    for (size_t k = 1; k < w.len; k++) {
        char ch = w.s[k];
        if (sh_has_letter(ws->stop_short, ch)) {
            o->stop = 1;
            return 0;
        }
        if (ws->kind == WK_WATCH && ch == 'x')
            o->exec = 1;
        if (ws->kind == WK_CODE_S && ch == 's')
            o->code_s = 1;
        if (ws->kind == WK_XARGS && ch == '0')
            st->xdelim = SH_XARGS_NUL;
        if (ws->kind == WK_USER_U && ch == 'u')
            o->user = 1;
        if (sh_has_letter(ws->shell_short, ch))
            o->shell = 1;
        int arg = sh_has_letter(ws->arg_short, ch), opt = sh_has_letter(ws->optarg_short, ch);
        if (!arg && !opt)
            continue;
        size_t extra = arg && k + 1 == w.len && j + 1 < st->n ? 1 : 0;
        pe_str value = extra ? st->w[j + 1] : sh_rest_of(w, k + 1);
        if ((ws->kind == WK_ENV && ch == 'S') || (ws->kind == WK_CODE_C && ch == 'c'))
            o->has_split = 1, o->split = value, o->split_flags = st->f[j + extra];
        else if (ws->kind == WK_XARGS && (ch == 'I' || ch == 'i'))
            st->xrepl = value.len ? value : (pe_str){"{}", 2};
        else if (ws->kind == WK_XARGS && ch == 'd')
            st->xdelim = delimiter(value);
        else if (ws->kind == WK_XARGS && ch == 'a') /* xargs -a FILE: its input */
            sh_path_add(st->c, st->c->cmds[st->idx].scope, value, st->f[j + extra],
                        PE_SHELL_P_READ);
        else if ((ws->kind == WK_ENV && ch == 'C') || (ws->kind == WK_SUDO && ch == 'D'))
            st->chdir = value, st->chdir_flags = st->f[j + extra];
        return extra;
    }
    return 0;
}

/* Skips a wrapper's options from word j; the index of the wrapped
 * command's name, or st->n when the wrapper runs nothing itself. */
static size_t wrap_skip(sh_interp *st, const wrap_spec *ws, size_t j, wrap_opts *o)
{
    unsigned operands = ws->operands;
    int opts_done = 0;
    for (; j < st->n && !o->stop; j++) {
        pe_str w = st->w[j];
        if (!opts_done && w.len > 1 && w.s[0] == '-') {
            if (st->f[j] & PE_SHELL_W_EXPANDS)
                st->flags |= PE_SHELL_C_DYNAMIC; /* an option we cannot read */
            if (sh_eq(w, "--"))
                opts_done = 1;
            else if (w.s[1] == '-')
                j += wrap_long(st, ws, j, o);
            else
                j += wrap_short(st, ws, j, o);
            continue;
        }
        if (!opts_done && ws->kind == WK_ENV && sh_eq(w, "-"))
            continue; /* env - is env -i */
        if (ws->assigns && (st->f[j] & PE_SHELL_W_ASSIGN))
            continue;
        if (operands) {
            operands--;
            continue;
        }
        return j;
    }
    return st->n;
}

static void add_wrapper(sh_interp *st, pe_str base)
{
    if (!st->wrappers)
        st->wrappers = sh_alloc(st->c, st->n * sizeof(*st->wrappers));
    if (st->wrappers)
        st->wrappers[st->nwrappers++] = base;
}

/* Strips wrappers from st->i on. Some wrappers run a string as a script
 * (env -S, watch without -x): they stay the command, the string nested. */
void sh_strip_wrappers(sh_interp *st)
{
    while (st->i < st->n && !(st->f[st->i] & PE_SHELL_W_UNKNOWN_NAME)) {
        pe_str base = sh_basename(st->w[st->i]);
        const wrap_spec *ws = find_wrapper(base);
        if (!ws)
            return;
        wrap_opts o = {0};
        size_t j = wrap_skip(st, ws, st->i + 1, &o);
        if (ws->kind == WK_USER_U && !o.user)
            return; /* runuser user -c cmd: a runner (cmd.c) */
        unsigned uf = o.split_flags;
        if (o.has_split) {
            sh_run_string(st, sh_join_words(st, j, st->n, o.split, &uf), PE_SHELL_STRING,
                          sh_stdin_is_output(st));
            sh_judge_code(st, uf);
            return;
        }
        if (o.stop || j >= st->n) {
            st->shell = (o.shell || ws->kind == WK_SHELL) && !o.stop;
            return;
        }
        if (o.shell && ws->kind == WK_SUDO) { /* sudo -s CMD ARGS: $SHELL -c 'CMD ARGS' */
            pe_str none_prefix = {"", 0};
            sh_run_string(st, sh_join_words(st, j, st->n, none_prefix, &uf), PE_SHELL_STRING,
                          sh_stdin_is_output(st));
            sh_judge_code(st, uf);
            return;
        }
        if (o.code_s) { /* entr -s 'code' */
            sh_run_string(st, st->w[j], PE_SHELL_STRING, 0);
            sh_judge_code(st, st->f[j]);
            return;
        }
        if (ws->kind == WK_WATCH && !o.exec) {
            pe_str none_prefix = {"", 0};
            sh_run_string(st, sh_join_words(st, j, st->n, none_prefix, &uf), PE_SHELL_STRING, 0);
            sh_judge_code(st, uf);
            return;
        }
        if (ws->kind == WK_XARGS && !st->xargs)
            st->xargs = 1;
        add_wrapper(st, base);
        st->i = j;
    }
}
