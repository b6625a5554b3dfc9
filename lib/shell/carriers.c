/*
 * Commands, settings and variables that carry other commands, and payloads
 * that reach a shell another way than as its text (carriers.h).
 *
 * Known output: the output of some commands is known from their words -
 * echo, printf, cat of a here-doc, and base64 -d, xxd -r -p, rev, tr and
 * openssl's base64 decoding of a known input. When such output reaches a
 * shell through a pipe, or a file the same command line wrote and then
 * runs, the shell's program is that output, and it is analysed too.
 */
#include <string.h>

#include "shell/carriers.h"
#include "shell/code.h"
#include "shell/decode.h"

/* ---- code in options, settings and variables ------------------------------ */

static void run_text(sh_ctx *c, const sh_cmd *sc, pe_str code, unsigned flags,
                     pe_shell_origin origin)
{
    pe_str t;
    if (!sh_expand(c, sc->scope, code, flags, &t))
        c->flags |= PE_SHELL_DYNAMIC; /* code we cannot read */
    sh_run_code(c, t, sc->pub.depth, origin, sc->scope, 0);
}

void sh_carry_code(sh_ctx *c, const sh_cmd *sc, pe_str code, unsigned flags)
{
    run_text(c, sc, code, flags, PE_SHELL_STRING);
}

static int key_is(pe_str key, const char *name)
{
    size_t n = strlen(name);
    if (key.len != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((key.s[i] | 0x20) != (name[i] | 0x20))
            return 0;
    return 1;
}

static int key_starts(pe_str key, const char *prefix)
{
    pe_str k = {key.s, strlen(prefix) < key.len ? strlen(prefix) : key.len};
    return strlen(prefix) < key.len && key_is(k, prefix);
}

/* A git setting whose value is a command git runs (through sh). */
static int git_code_key(pe_str key, pe_str value)
{
    static const char *const code[] = {"core.sshCommand",
                                       "core.pager",
                                       "core.editor",
                                       "core.fsmonitor",
                                       "sequence.editor",
                                       "diff.external",
                                       "gpg.program",
                                       "core.askPass",
                                       "merge.tool",
                                       "uploadpack.packObjectsHook",
                                       NULL};
    for (const char *const *k = code; *k; k++)
        if (key_is(key, *k))
            return 1;
    if (key_starts(key, "pager.") || key_starts(key, "difftool.") ||
        key_starts(key, "mergetool.") || key_starts(key, "filter."))
        return 1;
    /* aliases and credential helpers starting with '!' are shell code */
    return (key_starts(key, "alias.") || key_is(key, "credential.helper")) && value.len &&
           value.s[0] == '!';
}

/* A proxy setting: HTTPS_PROXY, http_proxy, ALL_PROXY (variables, wgetrc). */
static int proxy_key(pe_str key)
{
    static const char *const keys[] = {"http_proxy", "https_proxy", "ftp_proxy", "all_proxy", NULL};
    for (const char *const *k = keys; *k; k++)
        if (key_is(key, *k))
            return 1;
    return 0;
}

void sh_carry_setting(sh_ctx *c, const sh_cmd *sc, pe_str setting, unsigned flags)
{
    const char *eq = memchr(setting.s, '=', setting.len);
    if (!eq) /* ssh -o 'ProxyCommand sh -c ...' separates with a blank */
        eq = memchr(setting.s, ' ', setting.len);
    if (!eq)
        return;
    pe_str key = {setting.s, (size_t)(eq - setting.s)};
    pe_str value = {eq + 1, setting.len - key.len - 1};
    if (key_is(key, "exec")) { /* tar --checkpoint-action=exec=CMD */
        run_text(c, sc, value, flags, PE_SHELL_STRING);
        return;
    }
    if (key_is(key, "ProxyJump") || proxy_key(key)) { /* ssh -o ProxyJump=, wget -e */
        sh_net_word(c, sc->scope, value, flags, PE_URL_WEB);
        return;
    }
    if (key_is(key, "ProxyCommand") || key_is(key, "LocalCommand") ||
        key_is(key, "KnownHostsCommand") || key_is(key, "RemoteCommand")) { /* ssh -o */
        run_text(c, sc, value, flags, PE_SHELL_STRING);
        return;
    }
    if (git_code_key(key, value)) {
        if (value.len && value.s[0] == '!')
            value.s++, value.len--;
        run_text(c, sc, value, flags, PE_SHELL_STRING);
    } else if (key_is(key, "core.hooksPath")) { /* hooks run from there from now on */
        sh_path_add(c, sc->scope, value, flags, PE_SHELL_P_EXEC);
    }
}

/* Variables whose value is a command something runs, or a file it runs. */
static const char *const code_vars[] = {"GIT_SSH_COMMAND",
                                        "GIT_EDITOR",
                                        "GIT_PAGER",
                                        "GIT_SEQUENCE_EDITOR",
                                        "GIT_EXTERNAL_DIFF",
                                        "PAGER",
                                        "EDITOR",
                                        "VISUAL",
                                        "PROMPT_COMMAND",
                                        "MANPAGER",
                                        "BROWSER",
                                        "SUDO_EDITOR",
                                        "FCEDIT",
                                        NULL};
static const char *const file_vars[] = {"BASH_ENV",      "ENV",
                                        "PYTHONSTARTUP", "GIT_SSH",
                                        "SSH_ASKPASS",   "GIT_ASKPASS",
                                        "SUDO_ASKPASS",  "LD_PRELOAD",
                                        "LD_AUDIT",      "DYLD_INSERT_LIBRARIES",
                                        "PERL5DB",       NULL};

static int var_in(pe_str name, const char *const *list)
{
    for (; *list; list++)
        if (sh_eq(name, *list))
            return 1;
    return 0;
}

void sh_carry_variable(sh_ctx *c, const sh_cmd *sc, pe_str assignment, unsigned flags)
{
    const char *eq = memchr(assignment.s, '=', assignment.len);
    if (!eq)
        return;
    pe_str name = {assignment.s, (size_t)(eq - assignment.s)};
    pe_str value = {eq + 1, assignment.len - name.len - 1};
    if (!value.len)
        return;
    if (proxy_key(name)) { /* HTTPS_PROXY=http://proxy:8080 cmd: the proxy is reached */
        sh_net_word(c, sc->scope, value, flags, PE_URL_WEB);
    } else if (var_in(name, code_vars)) {
        sh_run_code(c, value, sc->pub.depth, PE_SHELL_STRING, sc->scope, 0);
    } else if (var_in(name, file_vars)) {
        if (flags & PE_SHELL_W_PROCSUB) /* BASH_ENV=<(curl x): another command's output */
            c->flags |= PE_SHELL_PIPE_TO_INTERP;
        else
            sh_path_add(c, sc->scope, value, 0, PE_SHELL_P_EXEC | PE_SHELL_P_READ);
    } else if (sh_eq(name, "LESSOPEN") || sh_eq(name, "LESSCLOSE")) {
        pe_str v = value; /* "|cmd %s" */
        if (v.s[0] == '|')
            v.s++, v.len--;
        sh_run_code(c, v, sc->pub.depth, PE_SHELL_STRING, sc->scope, 0);
    } else if (sh_eq(name, "NODE_OPTIONS")) { /* --require FILE runs FILE first */
        (void)flags;
        static const char *const req[] = {
            "--require", "-r", "--import", "--loader", "--experimental-loader", NULL};
        const char *p = value.s, *end = value.s + value.len;
        while (p < end) {
            while (p < end && *p == ' ')
                p++;
            const char *q = p;
            while (q < end && *q != ' ')
                q++;
            pe_str opt = {p, (size_t)(q - p)};
            const char *e2 = memchr(opt.s, '=', opt.len);
            pe_str name2 = {opt.s, e2 ? (size_t)(e2 - opt.s) : opt.len};
            if (var_in(name2, req)) {
                pe_str f = e2 ? (pe_str){e2 + 1, opt.len - name2.len - 1} : (pe_str){NULL, 0};
                if (!e2) {
                    const char *r = q;
                    while (r < end && *r == ' ')
                        r++;
                    const char *t = r;
                    while (t < end && *t != ' ')
                        t++;
                    f = (pe_str){r, (size_t)(t - r)};
                    q = t;
                }
                if (f.len) {
                    char *d = sh_strndup(c, f.s, f.len);
                    if (d)
                        sh_path_add(c, sc->scope, (pe_str){d, f.len}, 0,
                                    PE_SHELL_P_EXEC | PE_SHELL_P_READ);
                }
            }
            p = q;
        }
    }
}

/* ---- commands that run arguments ------------------------------------------- */

int sh_xargs_source(sh_ctx *c, size_t idx, pe_str *word, unsigned *flags)
{
    long src = c->cmds[idx].src;
    pe_str in;
    int decoded = 0;
    if (src < 0)
        return 0;
    if (sh_known_output(c, src, &in, &decoded))
        return 2;
    const pe_shell_cmd *s = &c->cmds[src].pub;
    if (s->argc && sh_eq(s->base, "find")) {
        int partial;
        *word = sh_find_found(c, s->argv, s->argf, s->argc, &partial, flags);
        return 1;
    }
    return 0;
}

/* The items of xargs' input: split at blanks, at NUL bytes (-0), at the
 * -d character; with -I, at newlines. At most max. */
static size_t input_items(pe_str in, int delim, int lines, pe_str *items, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < in.len && n < max;) {
        size_t e = i;
        if (!delim && !lines) {
            while (i < in.len && strchr(" \t\n", in.s[i]))
                i++;
            for (e = i; e < in.len && !strchr(" \t\n", in.s[e]);)
                e++;
        } else {
            char d = delim == SH_XARGS_NUL ? '\0' : delim ? (char)delim : '\n';
            while (e < in.len && in.s[e] != d)
                e++;
        }
        if (e > i)
            items[n++] = (pe_str){in.s + i, e - i};
        i = e + 1;
    }
    return n;
}

/* w with every occurrence of r replaced by v (in the arena when it had one). */
static pe_str replaced(sh_ctx *c, pe_str w, pe_str r, pe_str v)
{
    size_t count = 0;
    for (size_t i = 0; r.len && i + r.len <= w.len; i++)
        if (!memcmp(w.s + i, r.s, r.len))
            count++, i += r.len - 1;
    if (!count)
        return w;
    char *d = sh_alloc(c, w.len + count * v.len + 1);
    if (!d)
        return w;
    size_t o = 0;
    for (size_t i = 0; i < w.len;) {
        if (i + r.len <= w.len && !memcmp(w.s + i, r.s, r.len)) {
            memcpy(d + o, v.s, v.len);
            o += v.len;
            i += r.len;
        } else {
            d[o++] = w.s[i++];
        }
    }
    d[o] = '\0';
    return (pe_str){d, o};
}

int sh_xargs_known(sh_ctx *c, size_t idx, const pe_str *w, const unsigned *f, size_t n, pe_str repl,
                   int delim, int append)
{
    const sh_cmd *sc = &c->cmds[idx];
    pe_str in, items[64];
    int decoded = 0;
    if (!n || sc->src < 0 || !sh_known_output(c, sc->src, &in, &decoded))
        return 0;
    size_t ni = input_items(in, delim, repl.len > 0, items, repl.len ? 16 : 64);
    unsigned depth = sc->pub.depth + 1, scope = sc->scope;
    if (decoded) {
        c->flags |= PE_SHELL_DECODES;
        sh_strs_add(c, &c->decoded, in, 0);
    }
    pe_str b = sh_basename(w[0]);
    int interp = pe_shell_is_interpreter(b.s, b.len) ? 2 : 1;
    if (repl.len) { /* one run per line, in place of the string */
        for (size_t i = 0; i < ni && !c->stop; i++) {
            pe_str *rw = sh_alloc(c, (n + 1) * sizeof(*rw));
            unsigned *rf = sh_alloc(c, (n + 1) * sizeof(*rf));
            if (!rw || !rf)
                return 1;
            int placed = 0;
            for (size_t j = 0; j < n; j++) {
                rw[j] = replaced(c, w[j], repl, items[i]);
                rf[j] = f[j];
                placed |= rw[j].s != w[j].s;
            }
            char *d = append && !placed ? sh_strndup(c, items[i].s, items[i].len) : NULL;
            rw[n] = (pe_str){d ? d : "", d ? items[i].len : 0}; /* parallel: appended */
            rf[n] = 0;
            sh_run_words(c, rw, rf, n + (append && !placed), depth, PE_SHELL_EXEC, scope, -1);
        }
        return interp;
    }
    pe_str *rw = sh_alloc(c, (n + ni) * sizeof(*rw));
    unsigned *rf = sh_alloc(c, (n + ni) * sizeof(*rf));
    if (!rw || !rf)
        return 1;
    memcpy(rw, w, n * sizeof(*rw));
    memcpy(rf, f, n * sizeof(*rf));
    for (size_t i = 0; i < ni; i++) {
        char *d = sh_strndup(c, items[i].s, items[i].len);
        if (!d)
            return 1;
        rw[n + i] = (pe_str){d, items[i].len};
        rf[n + i] = 0;
    }
    sh_run_words(c, rw, rf, n + ni, depth, PE_SHELL_EXEC, scope, -1);
    return interp;
}

/* code with {} replaced by arg, quoted as parallel quotes it (or arg
 * appended when there is no {}), in the arena. */
static pe_str parallel_line(sh_ctx *c, pe_str code, pe_str arg)
{
    char *q = sh_alloc(c, 4 * arg.len + 3), *o = q;
    if (!q)
        return code;
    *o++ = '\'';
    for (size_t i = 0; i < arg.len; i++) {
        if (arg.s[i] == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = arg.s[i];
        }
    }
    *o++ = '\'';
    pe_str quoted = {q, (size_t)(o - q)}, brace = {"{}", 2};
    pe_str line = replaced(c, code, brace, quoted);
    if (line.s != code.s)
        return line;
    char *d = sh_alloc(c, code.len + 1 + quoted.len + 1);
    if (!d)
        return code;
    memcpy(d, code.s, code.len);
    d[code.len] = ' ';
    memcpy(d + code.len + 1, quoted.s, quoted.len);
    d[code.len + 1 + quoted.len] = '\0';
    return (pe_str){d, code.len + 1 + quoted.len};
}

/* parallel CMD ::: ARGS (CMD, its words joined, run by a shell with each
 * argument in place of {} or appended), parallel ::: CMD... (each argument
 * a command line), or CMD run on what it reads (as xargs). */
static void parallel(sh_ctx *c, size_t idx)
{
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *k = &sc->pub;
    size_t sep = 0, start = 1;
    static const char *const takes[] = {
        "-j",        "--jobs", "-S", "--sshlogin", "--joblog", "--results", "--tmpdir", "--delay",
        "--timeout", "-N",     "-n", "--max-args", "-I",       "--colsep",  "--halt",   NULL};
    for (; start < k->argc; start++) { /* parallel's own options */
        pe_str a = k->argv[start];
        if (!a.len || a.s[0] != '-')
            break;
        for (const char *const *t = takes; *t; t++)
            if (sh_eq(a, *t))
                start++;
    }
    for (sep = start; sep < k->argc && !sh_eq(k->argv[sep], ":::") && !sh_eq(k->argv[sep], ":::+");
         sep++)
        ;
    if (sep == start) { /* each argument is a command line */
        for (size_t j = sep + 1; j < k->argc; j++)
            sh_run_code(c, k->argv[j], k->depth, PE_SHELL_STRING, sc->scope, 0);
        return;
    }
    pe_str one = k->argv[start];
    if (sep >= k->argc && sep == start + 1 && strpbrk(one.s, " \t|;&<>$`")) {
        /* a command line run on each line of the input: 'rm -rf {}/cache' */
        pe_str in, items[16];
        int decoded = 0;
        if (sc->src < 0 || !sh_known_output(c, sc->src, &in, &decoded)) {
            pe_str arg = {"\"$1\"", 4}; /* not known: an argument */
            sh_run_code(c, replaced(c, one, (pe_str){"{}", 2}, arg), k->depth, PE_SHELL_STRING,
                        sc->scope, 0);
            return;
        }
        size_t ni = input_items(in, '\n', 1, items, 16);
        for (size_t i = 0; i < ni && !c->stop; i++)
            sh_run_code(c, parallel_line(c, one, items[i]), k->depth, PE_SHELL_STRING,
                        c->cmds[idx].scope, 0);
        return;
    }
    if (sep >= k->argc) { /* arguments from the input, as xargs: the command alone */
        if (!sh_xargs_known(c, idx, k->argv + start, k->argf + start, sep - start,
                            (pe_str){"{}", 2}, '\n', 1)) {
            pe_str *w = sh_alloc(c, (sep - start + 1) * sizeof(*w));
            unsigned *f = sh_alloc(c, (sep - start + 1) * sizeof(*f));
            if (!w || !f)
                return;
            memcpy(w, k->argv + start, (sep - start) * sizeof(*w));
            memcpy(f, k->argf + start, (sep - start) * sizeof(*f));
            w[sep - start] = (pe_str){SH_XARGS_INPUT, sizeof(SH_XARGS_INPUT) - 1};
            f[sep - start] = PE_SHELL_W_CMDSUB;
            sh_run_words(c, w, f, sep - start + 1, k->depth + 1, PE_SHELL_EXEC, sc->scope, -1);
        }
        return;
    }
    unsigned uf = 0;
    size_t len = 0;
    for (size_t j = start; j < sep; j++)
        len += k->argv[j].len + 1, uf |= k->argf[j];
    char *d = sh_alloc(c, len + 1);
    if (!d)
        return;
    size_t o = 0;
    for (size_t j = start; j < sep; j++) {
        if (o)
            d[o++] = ' ';
        memcpy(d + o, k->argv[j].s, k->argv[j].len);
        o += k->argv[j].len;
    }
    d[o] = '\0';
    pe_str code = {d, o};
    for (size_t j = sep + 1; j < k->argc && j < sep + 17 && !c->stop; j++) {
        if (sh_eq(k->argv[j], ":::") || sh_eq(k->argv[j], ":::+"))
            continue;
        sh_run_code(c, parallel_line(c, code, k->argv[j]), k->depth, PE_SHELL_STRING,
                    c->cmds[idx].scope, 0);
    }
}

/* sed's e command runs a command; w, r read and write files. */
static void sed_script(sh_ctx *c, const sh_cmd *sc, pe_str s)
{
    size_t i = 0;
    while (i < s.len) {
        while (i < s.len && strchr(" \t\n;{}!", s.s[i]))
            i++;
        while (i < s.len && (sh_is_digit((unsigned char)s.s[i]) || strchr(",$~", s.s[i])))
            i++;                          /* addresses */
        if (i < s.len && s.s[i] == '/') { /* a /regex/ address */
            i++;
            while (i < s.len && s.s[i] != '/')
                i += s.s[i] == '\\' ? 2 : 1;
            i++;
            continue;
        }
        if (i >= s.len)
            break;
        char cmd = s.s[i++];
        size_t e = i;
        while (e < s.len && s.s[e] != '\n' && (cmd == 's' || cmd == 'y' || s.s[e] != ';'))
            e++;
        pe_str arg = {s.s + i, e - i};
        while (arg.len && (arg.s[0] == ' ' || arg.s[0] == '\t'))
            arg.s++, arg.len--;
        if (cmd == 'e') {
            if (arg.len)
                sh_run_code(c, arg, sc->pub.depth, PE_SHELL_STRING, sc->scope, 0);
            else
                c->flags |= PE_SHELL_DYNAMIC; /* runs the pattern space */
        } else if (cmd == 'w' || cmd == 'W') {
            sh_path_add(c, sc->scope, arg, 0, PE_SHELL_P_WRITE);
        } else if (cmd == 'r' || cmd == 'R') {
            sh_path_add(c, sc->scope, arg, 0, PE_SHELL_P_READ);
        } else if (cmd == 's' && arg.len) { /* s/a/b/flags: e runs the result */
            char d = arg.s[0];
            size_t k = 1, seps = 0;
            while (k < arg.len && seps < 2) {
                if (arg.s[k] == '\\')
                    k++;
                else if (arg.s[k] == d)
                    seps++;
                k++;
            }
            for (; k < arg.len && arg.s[k] != ';' && arg.s[k] != '}'; k++)
                if (arg.s[k] == 'e')
                    c->flags |= PE_SHELL_DYNAMIC;
                else if (arg.s[k] == 'w') {
                    pe_str f = {arg.s + k + 1, arg.len - k - 1};
                    sh_path_add(c, sc->scope, f, 0, PE_SHELL_P_WRITE);
                    break;
                }
        }
        i = e;
    }
}

static void sed(sh_ctx *c, const sh_cmd *sc, const sh_walk *wk)
{
    const pe_shell_cmd *k = &sc->pub;
    int given = 0;
    for (size_t j = 1; j + 1 < k->argc; j++)
        if (sh_eq(k->argv[j], "-e") || sh_eq(k->argv[j], "--expression")) {
            sed_script(c, sc, k->argv[j + 1]);
            given = 1;
        }
    if (!given && wk->nops)
        sed_script(c, sc, k->argv[wk->ops[0]]);
}

/* vim -c '!cmd', +'!cmd', --cmd ':!cmd', ':r !cmd', ':w !cmd'. */
static void editor_commands(sh_ctx *c, const sh_cmd *sc)
{
    const pe_shell_cmd *k = &sc->pub;
    for (size_t j = 1; j < k->argc; j++) {
        pe_str a = k->argv[j], cmd = {NULL, 0};
        if ((sh_eq(a, "-c") || sh_eq(a, "--cmd")) && j + 1 < k->argc)
            cmd = k->argv[++j];
        else if (a.len > 1 && a.s[0] == '+')
            cmd = (pe_str){a.s + 1, a.len - 1};
        const char *bang = cmd.s ? memchr(cmd.s, '!', cmd.len) : NULL;
        if (!bang)
            continue;
        pe_str code = {bang + 1, cmd.len - (size_t)(bang - cmd.s) - 1};
        sh_run_code(c, code, k->depth, PE_SHELL_STRING, sc->scope, 0);
    }
}

/* npm pkg set scripts.NAME=CODE, npm set-script NAME CODE: code npm runs
 * with sh later (npm install runs scripts.postinstall). */
static void package_scripts(sh_ctx *c, size_t idx, const sh_walk *wk)
{
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *p = &sc->pub;
    if (!p->nsub)
        return;
    pe_str sub = p->argv[p->subidx];
    int pkg_set = p->nsub > 1 && sh_eq(sub, "pkg") && sh_eq(p->argv[p->subidx + 1], "set");
    size_t first = 0;
    while (first < wk->nops && wk->ops[first] < p->subidx + p->nsub)
        first++;
    if (sh_eq(sub, "set-script") && first + 1 < wk->nops) {
        size_t j = wk->ops[first + 1];
        run_text(c, sc, p->argv[j], p->argf[j], PE_SHELL_STRING);
        return;
    }
    for (size_t i = first; pkg_set && i < wk->nops; i++) {
        sc = &c->cmds[idx];
        pe_str a = sc->pub.argv[wk->ops[i]];
        const char *eq = memchr(a.s, '=', a.len);
        if (eq && a.len > 8 && !memcmp(a.s, "scripts.", 8))
            run_text(c, sc, (pe_str){eq + 1, a.len - (size_t)(eq - a.s) - 1},
                     sc->pub.argf[wk->ops[i]], PE_SHELL_STRING);
    }
}

/* docker/podman exec|run and kubectl exec: the command runs in a
 * container; docker -v mounts host paths into it. */
static void container(sh_ctx *c, size_t idx)
{
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *k = &sc->pub;
    if (!k->nsub)
        return;
    pe_str sub = k->argv[k->subidx + k->nsub - 1];
    int kube = sh_eq(k->base, "kubectl");
    int exec = sh_eq(sub, "exec"), run = !kube && (sh_eq(sub, "run") || sh_eq(sub, "create"));
    if (!exec && !run)
        return;
    static const char *const docker_vals[] = {
        "-e",           "--env",      "-u",          "--user",      "-w",
        "--workdir",    "--env-file", "-v",          "--volume",    "--mount",
        "--name",       "-p",         "--publish",   "--network",   "--entrypoint",
        "-h",           "--hostname", "-l",          "--label",     "--cap-add",
        "--cap-drop",   "--device",   "--pid",       "--ipc",       "--security-opt",
        "--platform",   "-m",         "--memory",    "--cpus",      "--restart",
        "--log-driver", "--add-host", "--dns",       "--ulimit",    "--tmpfs",
        "--gpus",       "--userns",   "--uts",       "--group-add", "-c",
        "--container",  "-n",         "--namespace", "--context",   NULL};
    size_t j = k->subidx + k->nsub;
    size_t target = 0; /* the container, pod or image */
    for (; j < k->argc; j++) {
        pe_str a = k->argv[j];
        if (sh_eq(a, "--")) {
            j++;
            break;
        }
        if (a.len > 1 && a.s[0] == '-') {
            int takes = 0;
            for (const char *const *v = docker_vals; *v; v++)
                if (sh_eq(a, *v))
                    takes = 1;
            int volume = sh_eq(a, "-v") || sh_eq(a, "--volume");
            if (volume && j + 1 < k->argc) { /* host:container[:mode] */
                pe_str v = k->argv[j + 1];
                const char *colon = memchr(v.s, ':', v.len);
                if (colon && v.s[0] != ':') {
                    pe_str host = {v.s, (size_t)(colon - v.s)};
                    sh_path_add(c, sc->scope, host, k->argf[j + 1],
                                PE_SHELL_P_READ | PE_SHELL_P_WRITE);
                }
            }
            if (takes && !memchr(a.s, '=', a.len))
                j++;
            continue;
        }
        if (!target) {
            target = j;
            if (kube)
                continue; /* kubectl exec POD -- cmd */
            j++;
            break;
        }
    }
    if (j < k->argc && target) {
        c->flags |= PE_SHELL_ELSEWHERE;
        c->remote++;
        sh_run_words(c, k->argv + j, k->argf + j, k->argc - j, k->depth + 1, PE_SHELL_REMOTE,
                     sh_scope_new(c, sc->scope), -1);
        c->remote--;
    }
}

pe_str sh_joined_args(sh_ctx *c, size_t idx, size_t from, unsigned *flags)
{
    const pe_shell_cmd *k = &c->cmds[idx].pub;
    size_t len = 0;
    for (size_t j = from; j < k->argc; j++)
        len += k->argv[j].len + 1;
    char *d = sh_alloc(c, len + 1);
    if (!d)
        return (pe_str){"", 0};
    size_t n = 0;
    for (size_t j = from; j < k->argc; j++) {
        if (n)
            d[n++] = ' ';
        memcpy(d + n, k->argv[j].s, k->argv[j].len);
        n += k->argv[j].len;
        *flags |= k->argf[j];
    }
    d[n] = '\0';
    return (pe_str){d, n};
}

void sh_carry_remote(sh_ctx *c, size_t idx, size_t from)
{
    unsigned f = 0; /* ssh joins its words with spaces for the remote shell */
    pe_str code = sh_joined_args(c, idx, from, &f);
    const sh_cmd *sc = &c->cmds[idx];
    c->flags |= PE_SHELL_ELSEWHERE;
    c->remote++;
    sh_run_code(c, code, sc->pub.depth, PE_SHELL_REMOTE, sc->scope, 0);
    c->remote--;
}

/* ---- putting it together --------------------------------------------------- */

void sh_carry_command(sh_ctx *c, size_t idx, const sh_know *k, const sh_walk *wk)
{
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *p = &sc->pub;
    pe_str b = p->base;
    sh_record_writes(c, idx);
    sc = &c->cmds[idx];
    if (sh_eq(b, "parallel"))
        parallel(c, idx);
    else if (sh_eq(b, "sed") && wk)
        sed(c, &c->cmds[idx], wk);
    else if (k && wk && (sh_eq(b, "cp") || sh_eq(b, "mv") || sh_eq(b, "install")))
        sh_record_copies(c, idx, wk->ops, wk->nops);
    else if (k && wk && (sh_eq(b, "npm") || sh_eq(b, "pnpm")))
        package_scripts(c, idx, wk);
    else if (sh_eq(b, "vim") || sh_eq(b, "vi") || sh_eq(b, "nvim") || sh_eq(b, "ex") ||
             sh_eq(b, "view"))
        editor_commands(c, &c->cmds[idx]);
    else if (k && (sh_eq(b, "docker") || sh_eq(b, "podman") || sh_eq(b, "kubectl")))
        container(c, idx);
    else if (k && sh_eq(b, "git") && p->nsub && sh_eq(p->argv[p->subidx], "config") && wk) {
        /* git config [--global] key value: a setting stored for later runs */
        size_t first = 0;
        while (first < wk->nops && wk->ops[first] <= p->subidx)
            first++;
        if (first + 1 < wk->nops) {
            pe_str key = p->argv[wk->ops[first]], val = p->argv[wk->ops[first + 1]];
            char *kv = sh_alloc(c, key.len + val.len + 2);
            if (kv) {
                memcpy(kv, key.s, key.len);
                kv[key.len] = '=';
                memcpy(kv + key.len + 1, val.s, val.len);
                kv[key.len + 1 + val.len] = '\0';
                sh_carry_setting(c, &c->cmds[idx], (pe_str){kv, key.len + 1 + val.len},
                                 p->argf[wk->ops[first + 1]]);
            }
        }
    }
    sc = &c->cmds[idx];
    p = &sc->pub;
    /* the program of an interpreter reading a pipe whose content is known */
    if ((p->flags & PE_SHELL_C_RUNS_OUTPUT) && sc->src >= 0 &&
        (p->flags & PE_SHELL_C_INTERPRETER) && !(p->flags & PE_SHELL_C_CODE)) {
        pe_str code;
        int decoded = 0;
        if (sh_decodes_input(c, sc->src))
            c->flags |= PE_SHELL_DECODES;
        if (sh_known_output(c, sc->src, &code, &decoded))
            sh_run_program(c, idx, p->argc ? b : (pe_str){"sh", 2}, NULL, code, decoded,
                           PE_SHELL_HEREDOC);
        sc = &c->cmds[idx];
        p = &sc->pub;
    }
    sh_launchers(c, idx);
    if (k && sh_eq(b, "make") && wk) { /* make runs its Makefile's recipes */
        int f = 0;
        for (size_t j = 1; j < p->argc; j++) {
            pe_str a = p->argv[j];
            f |= sh_eq(a, "-f") || sh_eq(a, "--file") || sh_eq(a, "--makefile");
            if (a.len > 6 && memcmp(a.s, "SHELL=", 6) == 0)
                run_text(c, sc, (pe_str){a.s + 6, a.len - 6}, p->argf[j], PE_SHELL_STRING);
        }
        if (!f)
            sh_path_in(c, sc->scope, wk->w, (pe_str){"Makefile", 8}, 0, PE_SHELL_P_EXEC);
        sc = &c->cmds[idx];
        p = &sc->pub;
    }
    sc = &c->cmds[idx];
    p = &sc->pub;
    /* bash --rcfile F / --init-file F runs F before anything else */
    for (size_t j = 1; sh_eq(b, "bash") && j + 1 < p->argc; j++) {
        if (!sh_eq(p->argv[j], "--rcfile") && !sh_eq(p->argv[j], "--init-file"))
            continue;
        sh_path_add(c, sc->scope, p->argv[j + 1], p->argf[j + 1],
                    PE_SHELL_P_EXEC | PE_SHELL_P_READ);
        sh_run_written(c, idx, c->cmds[idx].pub.argv[j + 1], c->cmds[idx].pub.argf[j + 1]);
        sc = &c->cmds[idx];
        p = &sc->pub;
    }
    /* a script this command line wrote or downloaded, run now */
    if (p->argc && memchr(p->name.s, '/', p->name.len) && !(p->argf[0] & PE_SHELL_W_UNKNOWN_NAME)) {
        sh_path_add(c, sc->scope, p->name, p->argf[0], PE_SHELL_P_EXEC);
        sh_run_written(c, idx, c->cmds[idx].pub.name, c->cmds[idx].pub.argf[0]);
    } else if (sc->script > 0) { /* bash f, python3 f, . f */
        long s = sc->script;
        sh_path_add(c, sc->scope, p->argv[s], p->argf[s], PE_SHELL_P_EXEC | PE_SHELL_P_READ);
        sh_run_written(c, idx, c->cmds[idx].pub.argv[s], c->cmds[idx].pub.argf[s]);
    }
}
