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
    if (var_in(name, code_vars)) {
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

/* ---- known output ---------------------------------------------------------- */

/* The stdin body of a here-doc or here-string, if the command has one. */
static int heredoc_input(const pe_shell_cmd *k, pe_str *out)
{
    const pe_shell_redir *in = NULL;
    for (size_t j = 0; j < k->nredirs; j++) {
        const pe_shell_redir *r = &k->redirs[j];
        if ((r->fd == -1 || r->fd == 0) && r->op.s[0] == '<')
            in = r;
    }
    if (!in)
        return 0;
    if ((sh_eq(in->op, "<<") || sh_eq(in->op, "<<-")) &&
        !(in->body_flags & (PE_SHELL_W_CMDSUB | PE_SHELL_W_PARAM))) {
        *out = in->body;
        return 1;
    }
    if (sh_eq(in->op, "<<<") && !(in->flags & PE_SHELL_W_EXPANDS)) {
        *out = in->target; /* a here-string gets a newline */
        return 1;
    }
    return 0;
}

/* Whether word j..argc are all literal (nothing to expand). */
static int literal_words(const pe_shell_cmd *k, size_t from)
{
    for (size_t j = from; j < k->argc; j++)
        if (k->argf[j] & (PE_SHELL_W_EXPANDS | PE_SHELL_W_GLOB))
            return 0;
    return 1;
}

static int has_opt(const pe_shell_cmd *k, const char *a, const char *b)
{
    for (size_t j = 1; j < k->argc; j++)
        if (sh_eq(k->argv[j], a) || (b && sh_eq(k->argv[j], b)))
            return 1;
    return 0;
}

/* The input of command idx when it is known: its here-doc, or the known
 * output of the command feeding its pipe. */
static int known_output(sh_ctx *c, long idx, pe_str *out, int *decoded, unsigned depth);

static int known_input(sh_ctx *c, long idx, pe_str *in, int *decoded, unsigned depth)
{
    const sh_cmd *sc = &c->cmds[idx];
    if (heredoc_input(&sc->pub, in))
        return 1;
    return sc->src >= 0 && known_output(c, sc->src, in, decoded, depth + 1);
}

static int decoded_result(int rc, const pe_decoded *d, pe_str *out, int *decoded)
{
    if (rc != PE_DECODE_OK || (d->flags & PE_DEC_FAILED))
        return 0;
    *out = d->bytes;
    *decoded = 1;
    return 1;
}

static int known_output(sh_ctx *c, long idx, pe_str *out, int *decoded, unsigned depth)
{
    if (idx < 0 || (size_t)idx >= c->ncmds || depth > 16 || sh_work(c, 1))
        return 0;
    const pe_shell_cmd *k = &c->cmds[idx].pub;
    if (!k->argc)
        return 0;
    pe_str b = k->base, in;
    pe_decoded d;
    if (sh_eq(b, "echo") && literal_words(k, 1))
        return pe_decode_echo(&d, k->argv + 1, k->argc - 1, c->arena) == PE_DECODE_OK &&
               (*out = d.bytes, 1);
    if (sh_eq(b, "printf") && k->argc > 1 && literal_words(k, 1)) {
        int rc = pe_decode_printf(&d, k->argv + 1, k->argc - 1, c->arena);
        if (rc == PE_DECODE_OK && !(d.flags & PE_DEC_FAILED)) {
            *out = d.bytes;
            *decoded |= memchr(k->argv[1].s, '\\', k->argv[1].len) != NULL;
            return 1;
        }
        return 0;
    }
    if ((sh_eq(b, "cat") && k->argc == 1) || (sh_eq(b, "tee") && k->argc >= 1))
        return known_input(c, idx, out, decoded, depth);
    if (!known_input(c, idx, &in, decoded, depth))
        return 0;
    if ((sh_eq(b, "base64") || sh_eq(b, "basenc")) &&
        (has_opt(k, "-d", "--decode") || has_opt(k, "-D", "-di")))
        return decoded_result(pe_decode_base64(&d, in.s, in.len,
                                               has_opt(k, "-i", "-di") ? PE_B64_GARBAGE : 0,
                                               c->arena),
                              &d, out, decoded);
    if (sh_eq(b, "openssl") && (has_opt(k, "base64", "-base64") || has_opt(k, "-a", NULL)) &&
        has_opt(k, "-d", NULL))
        return decoded_result(pe_decode_base64(&d, in.s, in.len, 0, c->arena), &d, out, decoded);
    if (sh_eq(b, "xxd") && has_opt(k, "-r", NULL))
        return decoded_result(pe_decode_hex(&d, in.s, in.len, c->arena), &d, out, decoded);
    if (sh_eq(b, "rev") && k->argc == 1)
        return decoded_result(pe_decode_rev(&d, in.s, in.len, c->arena), &d, out, decoded);
    if (sh_eq(b, "tr") && literal_words(k, 1))
        return decoded_result(pe_decode_tr(&d, k->argv + 1, k->argc - 1, in.s, in.len, c->arena),
                              &d, out, decoded);
    return 0;
}

/* ---- files written, then run ----------------------------------------------- */

void sh_file_written(sh_ctx *c, unsigned scope, pe_str word, unsigned flags, const pe_str *content,
                     int downloaded)
{
    pe_str p;
    sh_expand(c, scope, word, flags, &p);
    if (sh_grow(c, (void **)&c->files, &c->file_cap, c->nfiles + 1, sizeof(*c->files)))
        return;
    int known;
    sh_file *f = &c->files[c->nfiles++];
    f->path = p;
    f->cwd = sh_cwd(c, scope, &known);
    f->content = content ? *content : (pe_str){NULL, 0};
    f->downloaded = downloaded;
    f->dir = 0;
}

void sh_dir_downloaded(sh_ctx *c, unsigned scope, pe_str word, unsigned flags)
{
    size_t n = c->nfiles;
    sh_file_written(c, scope, word, flags, NULL, 1);
    if (c->nfiles > n)
        c->files[n].dir = 1;
}

/* cwd/p into buf ("./" dropped; p alone when absolute or cwd is ""): its
 * length, 0 when it does not fit. */
static size_t joined(char *buf, size_t cap, pe_str cwd, pe_str p)
{
    while (p.len > 2 && p.s[0] == '.' && p.s[1] == '/')
        p.s += 2, p.len -= 2;
    size_t n = 0;
    if (cwd.len && !(p.len && (p.s[0] == '/' || p.s[0] == '~'))) {
        if (cwd.len + 1 >= cap)
            return 0;
        memcpy(buf, cwd.s, cwd.len);
        n = cwd.len;
        if (buf[n - 1] != '/')
            buf[n++] = '/';
    }
    if (n + p.len >= cap)
        return 0;
    memcpy(buf + n, p.s, p.len);
    n += p.len;
    while (n > 1 && buf[n - 1] == '/')
        n--;
    return n;
}

/* Whether word (in scope's directory) is under a directory entry f. */
static int under_dir(sh_ctx *c, unsigned scope, pe_str p, const sh_file *f)
{
    char a[1024], b[1024];
    int known;
    size_t na = joined(a, sizeof(a), sh_cwd(c, scope, &known), p);
    size_t nb = joined(b, sizeof(b), f->cwd, f->path);
    return na && nb && na > nb && a[nb] == '/' && memcmp(a, b, nb) == 0;
}

static int same_str(pe_str a, pe_str b)
{
    return a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
}

/* The file the command line wrote under that name, in that directory; with
 * dirs, also a file under a directory it cloned. */
static const sh_file *file_named(sh_ctx *c, unsigned scope, pe_str word, unsigned flags, int dirs)
{
    pe_str p;
    int known;
    sh_expand(c, scope, word, flags, &p);
    pe_str cwd = sh_cwd(c, scope, &known);
    if (p.len > 2 && p.s[0] == '.' && p.s[1] == '/')
        p.s += 2, p.len -= 2;
    for (size_t i = c->nfiles; i-- > 0;) {
        pe_str fp = c->files[i].path;
        if (fp.len > 2 && fp.s[0] == '.' && fp.s[1] == '/')
            fp.s += 2, fp.len -= 2;
        if (c->files[i].dir ? dirs && under_dir(c, scope, p, &c->files[i])
                            : same_str(fp, p) && (p.s[0] == '/' || same_str(c->files[i].cwd, cwd)))
            return &c->files[i];
    }
    return NULL;
}

/* Output redirected into a file (> f, tee f) with known content. */
static void record_writes(sh_ctx *c, size_t idx)
{
    const sh_cmd *sc = &c->cmds[idx];
    pe_str out;
    int decoded = 0, known = known_output(c, (long)idx, &out, &decoded, 0);
    if (!known)
        return; /* what is not known is not followed (downloads are recorded apart) */
    for (size_t j = 0; j < sc->pub.nredirs; j++) {
        const pe_shell_redir *r = &sc->pub.redirs[j];
        if ((r->flags & PE_SHELL_R_WRITE) && (r->flags & PE_SHELL_R_FILE) &&
            (r->fd == -1 || r->fd == 1))
            sh_file_written(c, sc->scope, r->target, r->flags, &out, 0);
    }
    if (sh_eq(sc->pub.base, "tee"))
        for (size_t j = 1; j < sc->pub.argc; j++)
            if (sc->pub.argv[j].s[0] != '-')
                sh_file_written(c, sc->scope, sc->pub.argv[j], sc->pub.argf[j], &out, 0);
}

int sh_file_downloaded(sh_ctx *c, unsigned scope, pe_str word, unsigned flags)
{
    /* a file a command reads as code (make's Makefile) is not counted under
     * a cloned directory: building what was cloned is everyday work */
    const sh_file *f = c->nfiles ? file_named(c, scope, word, flags, 0) : NULL;
    return f && f->downloaded;
}

/* A script a shell runs: `bash f`, `. f`, `./f`. */
static void run_written(sh_ctx *c, size_t idx, pe_str word, unsigned flags)
{
    const sh_cmd *sc = &c->cmds[idx];
    const sh_file *f = file_named(c, sc->scope, word, flags, 1);
    if (!f)
        return;
    if (f->downloaded) {
        c->cmds[idx].pub.flags |= PE_SHELL_C_DOWNLOADED;
        c->flags |= PE_SHELL_RUNS_DOWNLOAD;
    } else if (f->content.s) {
        /* a script in another language is read as that language, never as sh */
        pe_lang lang = sh_script_lang(sc->pub.base, f->content);
        if (lang != PE_LANG_NONE)
            sh_inline_text(c, idx, sc->pub.depth, &c->cmds[idx].pub.flags, lang, f->content, 0);
        else
            sh_run_code(c, f->content, sc->pub.depth, PE_SHELL_FILE, sc->scope, 0);
    }
}

/* The script operand of an interpreter, if it has one (not -c code). */
static long script_operand(const pe_shell_cmd *k)
{
    if (k->flags & PE_SHELL_C_CODE)
        return -1;
    for (size_t j = 1; j < k->argc; j++) {
        pe_str a = k->argv[j];
        if (sh_eq(a, "--"))
            return j + 1 < k->argc ? (long)j + 1 : -1;
        if (a.len && a.s[0] != '-' && a.s[0] != '+')
            return (long)j;
        if (sh_eq(a, "-o") || sh_eq(a, "-O") || sh_eq(a, "--rcfile") || sh_eq(a, "--init-file") ||
            sh_eq(a, "-m") || sh_eq(a, "-W") || sh_eq(a, "-X"))
            j++;
    }
    return -1;
}

/* ---- commands that run arguments ------------------------------------------- */

int sh_xargs_source(sh_ctx *c, size_t idx, pe_str *word, unsigned *flags)
{
    long src = c->cmds[idx].src;
    pe_str in;
    int decoded = 0;
    if (src < 0)
        return 0;
    if (known_output(c, src, &in, &decoded, 0))
        return 2;
    const pe_shell_cmd *s = &c->cmds[src].pub;
    if (s->argc && sh_eq(s->base, "find")) {
        int partial;
        *word = sh_find_found(c, s->argv, s->argf, s->argc, &partial, flags);
        return 1;
    }
    return 0;
}

/* xargs: the command runs with the words of its input appended (or put in
 * place of -I's string, one run per line). */
static void xargs_input(sh_ctx *c, size_t idx)
{
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *k = &sc->pub;
    pe_str in;
    int decoded = 0;
    if (!k->argc || sc->src < 0 || !known_output(c, sc->src, &in, &decoded, 0))
        return;
    pe_str repl = {NULL, 0};
    int delim = -1; /* -0 / --null: NUL; -d C / --delimiter=C: C; else blanks */
    size_t nown = (size_t)(k->argv - k->words);
    for (size_t j = 0; j < nown; j++) {
        pe_str o = k->words[j];
        if (sh_eq(o, "-I") && j + 1 < nown)
            repl = k->words[j + 1];
        else if (sh_eq(o, "-0") || sh_eq(o, "--null"))
            delim = 0;
        else if (sh_eq(o, "-d") && j + 1 < nown && k->words[j + 1].len == 1)
            delim = (unsigned char)k->words[j + 1].s[0];
        else if (o.len == 3 && o.s[0] == '-' && o.s[1] == 'd')
            delim = (unsigned char)o.s[2];
        else if (o.len == 13 && memcmp(o.s, "--delimiter=", 12) == 0)
            delim = (unsigned char)o.s[12];
    }
    size_t cap = k->argc + in.len / 2 + 2;
    pe_str *w = sh_alloc(c, cap * sizeof(*w));
    unsigned *f = sh_alloc(c, cap * sizeof(*f));
    if (!w || !f)
        return;
    size_t n = 0;
    for (size_t j = 0; j < k->argc; j++, n++) {
        w[n] = k->argv[j];
        f[n] = k->argf[j];
        if (repl.len && sh_eq(w[n], repl.s)) { /* one line in place of the string */
            size_t e = 0;
            while (e < in.len && in.s[e] != '\n')
                e++;
            w[n] = (pe_str){in.s, e};
        }
    }
    for (size_t i = 0; !repl.len && i < in.len && n < cap;) { /* the input's words */
        size_t e = i;
        if (delim >= 0) { /* items end at the delimiter, blanks included */
            while (e < in.len && (unsigned char)in.s[e] != delim)
                e++;
        } else {
            while (i < in.len && (in.s[i] == ' ' || in.s[i] == '\t' || in.s[i] == '\n'))
                i++;
            e = i;
            while (e < in.len && in.s[e] != ' ' && in.s[e] != '\t' && in.s[e] != '\n')
                e++;
        }
        if (e > i) {
            char *d = sh_strndup(c, in.s + i, e - i);
            if (!d)
                return;
            w[n] = (pe_str){d, e - i};
            f[n++] = 0;
        }
        i = e + (delim >= 0 && e < in.len); /* past the delimiter */
    }
    sh_run_words(c, w, f, n, k->depth + 1, PE_SHELL_EXEC, sc->scope, -1);
}

/* parallel CMD ::: ARGS (CMD run with each argument, {} replaced), or
 * parallel ::: CMD... (each argument a command line). */
static void parallel(sh_ctx *c, size_t idx)
{
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *k = &sc->pub;
    size_t sep = 0, start = 1;
    static const char *const takes[] = {"-j",        "--jobs",    "-S",       "--sshlogin",
                                        "--joblog",  "--results", "--tmpdir", "--delay",
                                        "--timeout", NULL};
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
    if (sep >= k->argc) { /* arguments from the input: the command alone */
        pe_str code = k->argv[start];
        if (sep == start + 1)
            sh_run_code(c, code, k->depth, PE_SHELL_STRING, sc->scope, 0);
        else
            sh_run_words(c, k->argv + start, k->argf + start, sep - start, k->depth + 1,
                         PE_SHELL_EXEC, sc->scope, -1);
        return;
    }
    for (size_t j = sep + 1; j < k->argc && j < sep + 17; j++) {
        size_t n = sep - start, cap = n + 1;
        pe_str *w = sh_alloc(c, cap * sizeof(*w));
        unsigned *f = sh_alloc(c, cap * sizeof(*f));
        if (!w || !f)
            return;
        int placed = 0;
        for (size_t i = 0; i < n; i++) {
            w[i] = k->argv[start + i];
            f[i] = k->argf[start + i];
            if (sh_eq(w[i], "{}")) {
                w[i] = k->argv[j];
                f[i] = k->argf[j];
                placed = 1;
            }
        }
        if (!placed) {
            w[n] = k->argv[j];
            f[n++] = k->argf[j];
        }
        sh_run_words(c, w, f, n, k->depth + 1, PE_SHELL_EXEC, sc->scope, -1);
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

void sh_carry_remote(sh_ctx *c, size_t idx, size_t from)
{
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *k = &sc->pub;
    size_t len = 0;
    for (size_t j = from; j < k->argc; j++)
        len += k->argv[j].len + 1;
    char *d = sh_alloc(c, len + 1);
    if (!d)
        return;
    size_t n = 0; /* ssh joins its words with spaces for the remote shell */
    for (size_t j = from; j < k->argc; j++) {
        if (n)
            d[n++] = ' ';
        memcpy(d + n, k->argv[j].s, k->argv[j].len);
        n += k->argv[j].len;
    }
    d[n] = '\0';
    c->flags |= PE_SHELL_ELSEWHERE;
    c->remote++;
    sh_run_code(c, (pe_str){d, n}, k->depth, PE_SHELL_REMOTE, sc->scope, 0);
    c->remote--;
}

/* ---- putting it together --------------------------------------------------- */

void sh_carry_command(sh_ctx *c, size_t idx, const sh_know *k, const sh_walk *wk)
{
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *p = &sc->pub;
    pe_str b = p->base;
    record_writes(c, idx);
    sc = &c->cmds[idx];
    for (size_t w = 0; w < p->nwrappers; w++)
        if (sh_eq(p->wrappers[w], "xargs"))
            xargs_input(c, idx);
    if (sh_eq(b, "parallel"))
        parallel(c, idx);
    else if (sh_eq(b, "sed") && wk)
        sed(c, &c->cmds[idx], wk);
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
    /* the program of a shell reading a pipe whose content is known */
    if ((p->flags & PE_SHELL_C_RUNS_OUTPUT) && sc->src >= 0 &&
        pe_shell_is_interpreter(b.s, b.len)) {
        pe_str code;
        int decoded = 0;
        if (known_output(c, sc->src, &code, &decoded, 0)) {
            if (decoded) {
                c->flags |= PE_SHELL_DECODES;
                sh_strs_add(c, &c->decoded, code, 0);
            }
            sh_run_code(c, code, p->depth, decoded ? PE_SHELL_DECODED : PE_SHELL_HEREDOC, sc->scope,
                        0);
        }
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
        run_written(c, idx, c->cmds[idx].pub.argv[j + 1], c->cmds[idx].pub.argf[j + 1]);
        sc = &c->cmds[idx];
        p = &sc->pub;
    }
    /* a script this command line wrote or downloaded, run now */
    if (p->argc && memchr(p->name.s, '/', p->name.len) && !(p->argf[0] & PE_SHELL_W_UNKNOWN_NAME)) {
        sh_path_add(c, sc->scope, p->name, p->argf[0], PE_SHELL_P_EXEC);
        run_written(c, idx, c->cmds[idx].pub.name, c->cmds[idx].pub.argf[0]);
    } else if (p->argc && (pe_shell_is_interpreter(b.s, b.len) || sh_eq(b, "source") ||
                           sh_eq(b, ".") || sh_eq(b, "chmod"))) {
        long s = script_operand(&c->cmds[idx].pub);
        if (s > 0 && !sh_eq(b, "chmod")) {
            sh_path_add(c, c->cmds[idx].scope, c->cmds[idx].pub.argv[s], c->cmds[idx].pub.argf[s],
                        PE_SHELL_P_EXEC | PE_SHELL_P_READ);
            run_written(c, idx, c->cmds[idx].pub.argv[s], c->cmds[idx].pub.argf[s]);
        }
    }
}
