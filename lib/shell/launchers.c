/*
 * Launchers: commands that start another command given in their words in
 * their own way - package runners (npx, bunx, pnpm dlx, uvx, pipx run, uv
 * run, poetry run, bundle exec, deno run), terminal multiplexers (tmux),
 * debuggers, pagers and man (gdb -ex '!cmd', less +'!cmd', man -P cmd),
 * and programs that serve a directory to the network (python -m
 * http.server, php -S). A package taken from a URL, git or a tarball is
 * downloaded code about to run.
 */
#include <string.h>

#include "shell/carriers.h"
#include "shell/knowledge.h"

/* Whether a package spec comes from outside a registry. */
static int remote_spec(pe_str s)
{
    static const char *const prefixes[] = {"http://", "https://", "git+",       "git://",
                                           "github:", "gitlab:",  "bitbucket:", "gist:",
                                           "file:",   "ssh://",   NULL};
    for (const char *const *p = prefixes; *p; p++) {
        size_t n = strlen(*p);
        if (s.len >= n && memcmp(s.s, *p, n) == 0)
            return 1;
    }
    if ((s.len > 4 && memcmp(s.s + s.len - 4, ".tgz", 4) == 0) ||
        (s.len > 7 && memcmp(s.s + s.len - 7, ".tar.gz", 7) == 0))
        return 1;
    return 0;
}

/* A Go module path: host.tld/path (go run x@latest, go install x@v1). */
static int go_module(pe_str s)
{
    const char *slash = memchr(s.s, '/', s.len);
    return slash && s.s[0] != '.' && s.s[0] != '/' && memchr(s.s, '.', (size_t)(slash - s.s));
}

static void downloaded_package(sh_ctx *c, const sh_cmd *sc, pe_str spec, unsigned flags)
{
    sh_net_word(c, sc->scope, spec, flags, 0 /* PE_URL_WEB */);
    c->flags |= PE_SHELL_RUNS_DOWNLOAD;
}

typedef struct launcher {
    const char *name;              /* base name, or "base sub" */
    const char *const *value_opts; /* its options that take a value */
    const char *const *pkg_opts;   /* options naming the package (npx -p SPEC) */
    const char *const *code_opts;  /* options whose value is shell code (npx -c) */
    unsigned char first_is_pkg;    /* the first operand names a package; 2: Go's, fetched
                                      through the module proxy and checked against the
                                      checksum database, so a host to know, not a download */
} launcher;

static const char *const npx_vals[] = {"-p",         "--package", "-w",       "--workspace",
                                       "--registry", "--cache",   "--prefix", NULL};
static const char *const npx_pkg[] = {"-p", "--package", NULL};
static const char *const npx_code[] = {"-c", "--call", NULL};
static const char *const uvx_vals[] = {"--from", "--with",      "--python",
                                       "-p",     "--index-url", "--extra-index-url",
                                       "--spec", "--index",     NULL};
static const char *const uvx_pkg[] = {"--from", "--with", "--spec", NULL};
static const char *const run_vals[] = {"--python",    "-p",        "--env",     "-e",
                                       "--directory", "--project", "--package", "--with",
                                       "--gemfile",   NULL};
static const char *const none_l[] = {NULL};
static const char *const go_vals[] = {"-C",       "-exec", "-tags", "-ldflags", "-gcflags", "-mod",
                                      "-modfile", "-o",    "-p",    "-overlay", "-pgo",     NULL};
static const char *const deno_vals[] = {"--config",   "-c",     "--import-map", "--lock",
                                        "--location", "--cert", "--env-file",   NULL};

static const launcher launchers[] = {
    {"npx", npx_vals, npx_pkg, npx_code, 1},      {"npm exec", npx_vals, npx_pkg, npx_code, 1},
    {"npm x", npx_vals, npx_pkg, npx_code, 1},    {"pnpx", npx_vals, npx_pkg, npx_code, 1},
    {"pnpm dlx", npx_vals, npx_pkg, npx_code, 1}, {"pnpm exec", npx_vals, none_l, npx_code, 0},
    {"yarn dlx", npx_vals, npx_pkg, none_l, 1},   {"yarn exec", npx_vals, none_l, none_l, 0},
    {"bunx", npx_vals, npx_pkg, none_l, 1},       {"bun x", npx_vals, npx_pkg, none_l, 1},
    {"uvx", uvx_vals, uvx_pkg, none_l, 1},        {"uv tool run", uvx_vals, uvx_pkg, none_l, 1},
    {"pipx run", uvx_vals, uvx_pkg, none_l, 1},   {"uv run", run_vals, uvx_pkg, none_l, 0},
    {"poetry run", run_vals, none_l, none_l, 0},  {"pdm run", run_vals, none_l, none_l, 0},
    {"hatch run", run_vals, none_l, none_l, 0},   {"pipenv run", run_vals, none_l, none_l, 0},
    {"rye run", run_vals, none_l, none_l, 0},     {"pixi run", run_vals, none_l, none_l, 0},
    {"bundle exec", run_vals, none_l, none_l, 0}, {"direnv exec", run_vals, none_l, none_l, 0},
    {"dotenv", run_vals, none_l, none_l, 0},      {"deno run", deno_vals, none_l, none_l, 1},
    {"go run", go_vals, none_l, none_l, 2},       {"go install", go_vals, none_l, none_l, 2},
    {"go get", go_vals, none_l, none_l, 2},
};

static int in(const char *const *l, pe_str w)
{
    for (; *l; l++)
        if (sh_eq(w, *l))
            return 1;
    return 0;
}

/* The launcher row for a command: its base, or base and subcommand. */
static const launcher *find_launcher(const pe_shell_cmd *k, size_t *from)
{
    for (size_t i = 0; i < sizeof(launchers) / sizeof(launchers[0]); i++) {
        const char *n = launchers[i].name, *sp;
        if (!k->base.len || n[0] != k->base.s[0])
            continue;
        sp = strchr(n, ' ');
        size_t bl = sp ? (size_t)(sp - n) : strlen(n);
        if (k->base.len != bl || memcmp(k->base.s, n, bl) != 0)
            continue;
        if (!sp) {
            *from = 1;
            return &launchers[i];
        }
        /* the subcommand: the first words that are not options ("tool run") */
        size_t j = 1;
        while (j < k->argc && k->argv[j].len && k->argv[j].s[0] == '-')
            j++;
        const char *w = sp + 1;
        for (;;) {
            const char *e = strchr(w, ' ');
            size_t wl = e ? (size_t)(e - w) : strlen(w);
            if (j >= k->argc || k->argv[j].len != wl || memcmp(k->argv[j].s, w, wl) != 0)
                break;
            j++;
            if (!e) {
                *from = j;
                return &launchers[i];
            }
            w = e + 1;
        }
    }
    return NULL;
}

/* npx pkg args, uv run cmd args, deno run URL: the command launched. */
static void package_runner(sh_ctx *c, size_t idx)
{
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *k = &sc->pub;
    size_t j;
    const launcher *l = find_launcher(k, &j);
    if (!l)
        return;
    for (; j < k->argc; j++) {
        pe_str a = k->argv[j];
        const char *eq = memchr(a.s, '=', a.len);
        pe_str name = {a.s, eq ? (size_t)(eq - a.s) : a.len};
        if (sh_eq(a, "--")) {
            j++;
            break;
        }
        if (!a.len || a.s[0] != '-')
            break;
        int takes = (in(l->value_opts, name) || in(l->code_opts, name)) && !eq && j + 1 < k->argc;
        pe_str v = eq ? (pe_str){eq + 1, a.len - name.len - 1} : takes ? k->argv[j + 1] : a;
        unsigned vf = k->argf[takes ? j + 1 : j];
        if (in(l->pkg_opts, name) && remote_spec(v))
            downloaded_package(c, sc, v, vf);
        if (in(l->code_opts, name) && (eq || takes))
            sh_run_code(c, v, k->depth, PE_SHELL_STRING, sc->scope, 0);
        j += takes;
    }
    if (j >= k->argc)
        return;
    if (l->first_is_pkg == 2) {
        for (; j < k->argc; j++)
            if (go_module(k->argv[j]))
                sh_net_word(c, sc->scope, k->argv[j], k->argf[j], 0 /* PE_URL_WEB */);
        return;
    }
    if (l->first_is_pkg && remote_spec(k->argv[j])) {
        downloaded_package(c, sc, k->argv[j], k->argf[j]);
        return;
    }
    sh_run_words(c, k->argv + j, k->argf + j, k->argc - j, k->depth + 1, PE_SHELL_EXEC, sc->scope,
                 -1);
}

/* tmux new-session|new-window|split-window|run-shell|respawn-pane 'cmd',
 * send-keys 'cmd' Enter: the command is run by a shell. */
static void tmux(sh_ctx *c, size_t idx)
{
    static const char *const runs[] = {
        "new-session",    "new",       "new-window",    "neww",         "split-window",
        "splitw",         "run-shell", "run",           "respawn-pane", "respawnp",
        "respawn-window", "respawnw",  "display-popup", "popup",        "send-keys",
        "send",           NULL};
    static const char *const vals[] = {"-s", "-n", "-c", "-t", "-x", "-y", "-e", "-F", "-L",
                                       "-S", "-f", "-l", "-w", "-h", "-T", "-d", NULL};
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *k = &sc->pub;
    for (size_t j = 1; j < k->argc; j++) {
        if (!in(runs, k->argv[j]))
            continue;
        int keys = k->argv[j].s[0] == 's';
        for (size_t i = j + 1; i < k->argc; i++) {
            pe_str a = k->argv[i];
            if (sh_eq(a, ";"))
                break;
            if (a.len > 1 && a.s[0] == '-' && !keys) {
                i += in(vals, a) && !sh_eq(a, "-d") && a.len == 2;
                continue;
            }
            if (keys && (sh_eq(a, "Enter") || sh_eq(a, "C-m") || (a.len && a.s[0] == '-')))
                continue;
            sh_run_code(c, a, k->depth, PE_SHELL_STRING, sc->scope, 0);
        }
        return;
    }
}

/* gdb -ex '!cmd' / 'shell cmd', less +'!cmd', man -P cmd, expect -c: code
 * in a tool's own command language. */
static void tool_commands(sh_ctx *c, size_t idx)
{
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *k = &sc->pub;
    pe_str b = k->base;
    int gdb = sh_eq(b, "gdb") || sh_eq(b, "lldb"), pager = sh_eq(b, "less") || sh_eq(b, "more");
    for (size_t j = 1; j < k->argc; j++) {
        pe_str a = k->argv[j], cmd = {NULL, 0};
        if (gdb &&
            (sh_eq(a, "-ex") || sh_eq(a, "--eval-command") || sh_eq(a, "-o") ||
             sh_eq(a, "--one-line")) &&
            j + 1 < k->argc)
            cmd = k->argv[++j];
        else if (gdb && a.len > 15 && memcmp(a.s, "--eval-command=", 15) == 0)
            cmd = (pe_str){a.s + 15, a.len - 15};
        else if (pager && a.len > 1 && a.s[0] == '+')
            cmd = (pe_str){a.s + 1, a.len - 1};
        else if (sh_eq(b, "man") && (sh_eq(a, "-P") || sh_eq(a, "--pager")) && j + 1 < k->argc) {
            sh_run_code(c, k->argv[++j], k->depth, PE_SHELL_STRING, sc->scope, 0);
            continue;
        } else if (sh_eq(b, "expect") && sh_eq(a, "-c")) {
            c->flags |= PE_SHELL_DYNAMIC; /* Tcl that spawns and types: not followed */
            continue;
        }
        if (!cmd.s)
            continue;
        while (cmd.len && (cmd.s[0] == ' ' || cmd.s[0] == ':'))
            cmd.s++, cmd.len--;
        if (cmd.len && cmd.s[0] == '!')
            cmd.s++, cmd.len--;
        else if (cmd.len > 6 && memcmp(cmd.s, "shell ", 6) == 0)
            cmd.s += 6, cmd.len -= 6;
        else
            continue;
        sh_run_code(c, cmd, k->depth, PE_SHELL_STRING, sc->scope, 0);
    }
}

/* A program the knowledge table does not know, given an option whose
 * name says it takes a command (nodemon --exec, watchexec --shell,
 * x-runner --cmd 'rm -rf ~'): the value, when it reads as a command line,
 * is analysed as shell code that the program may run. */
static void command_options(sh_ctx *c, size_t idx)
{
    static const char *const names[] = {
        "exec",     "cmd",    "command",  "run",       "shell",      "sh",         "eval",
        "script",   "hook",   "exec-cmd", "on-change", "on-success", "on-failure", "pre-cmd",
        "post-cmd", "before", "after",    "do",        NULL};
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *k = &sc->pub;
    int any = 0; /* most commands have no such option: look before looking up */
    for (size_t j = 1; j < k->argc && !any; j++)
        any = k->argv[j].len > 3 && k->argv[j].s[0] == '-' && k->argv[j].s[1] == '-';
    if (!any || sh_know_find(k->base) || pe_shell_is_interpreter(k->base.s, k->base.len))
        return;
    for (size_t j = 1; j < k->argc; j++) {
        pe_str a = k->argv[j];
        if (a.len < 3 || a.s[0] != '-' || a.s[1] != '-')
            continue;
        const char *eq = memchr(a.s, '=', a.len);
        size_t nl = (eq ? (size_t)(eq - a.s) : a.len) - 2;
        if (!sh_in_list(names, a.s + 2, nl))
            continue;
        pe_str v = eq                ? (pe_str){eq + 1, a.len - nl - 3}
                   : j + 1 < k->argc ? k->argv[j + 1]
                                     : (pe_str){"", 0};
        if (memchr(v.s, ' ', v.len) || memchr(v.s, '|', v.len) || memchr(v.s, ';', v.len))
            sh_run_code(c, v, k->depth, PE_SHELL_STRING, sc->scope, 0);
        sc = &c->cmds[idx];
        k = &sc->pub;
    }
}

/* A program serving a directory over HTTP: the directory is exposed to
 * whoever connects (python -m http.server [-d DIR], php -S addr [-t DIR],
 * busybox httpd -h DIR, ruby -run -e httpd DIR, http-server DIR). */
static void http_server(sh_ctx *c, size_t idx)
{
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *k = &sc->pub;
    pe_str b = k->base, dir = {".", 1};
    unsigned df = 0;
    int serves = sh_eq(b, "httpd") || sh_eq(b, "darkhttpd") || sh_eq(b, "webfsd");
    for (size_t j = 1; j < k->argc; j++) {
        pe_str a = k->argv[j];
        if (sh_eq(a, "http.server") || sh_eq(a, "SimpleHTTPServer") ||
            (sh_eq(b, "php") && sh_eq(a, "-S")) || sh_eq(a, "httpd"))
            serves = 1;
        if ((sh_eq(a, "-d") || sh_eq(a, "--directory") || sh_eq(a, "-t") || sh_eq(a, "-h")) &&
            j + 1 < k->argc)
            dir = k->argv[j + 1], df = k->argf[j + 1];
    }
    if (sh_eq(b, "http-server") || sh_eq(b, "serve") || sh_eq(b, "darkhttpd")) {
        serves = 1;
        for (size_t j = 1; j < k->argc; j++)
            if (k->argv[j].len && k->argv[j].s[0] != '-' && !(j > 1 && k->argv[j - 1].s[0] == '-'))
                dir = k->argv[j], df = k->argf[j];
    }
    if (serves)
        sh_path_add(c, sc->scope, dir, df, PE_SHELL_P_LIST | PE_SHELL_P_UPLOAD);
}

void sh_launchers(sh_ctx *c, size_t idx)
{
    pe_str b = c->cmds[idx].pub.base;
    package_runner(c, idx);
    if (sh_eq(b, "tmux"))
        tmux(c, idx);
    tool_commands(c, idx);
    command_options(c, idx);
    http_server(c, idx);
}
