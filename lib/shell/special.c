/*
 * Commands whose words a knowledge row cannot describe alone: the mode of
 * tar, find's start points and -delete, remote paths of scp and rsync,
 * ssh's remote command and tunnels, netcat's and socat's shells, curl's and
 * wget's URLs and downloads, crontab and keychain access.
 */
#include <string.h>

#include "shell/carriers.h"
#include "shell/facts.h"
#include "util/host.h"

typedef int (*special_fn)(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk);

static pe_str word(const sh_ctx *c, size_t idx, size_t j)
{
    return c->cmds[idx].pub.argv[j];
}

static unsigned wflags(const sh_ctx *c, size_t idx, size_t j)
{
    return c->cmds[idx].pub.argf[j];
}

static int has_word(const sh_ctx *c, size_t idx, const char *w)
{
    const pe_shell_cmd *k = &c->cmds[idx].pub;
    for (size_t j = 1; j < k->argc; j++)
        if (sh_eq(k->argv[j], w))
            return 1;
    return 0;
}

/* Whether a short option letter appears in a cluster before the operand
 * at index stop (ssh -fNR ..., nc -lvp). */
static int has_letter(const sh_ctx *c, size_t idx, char letter, size_t stop)
{
    const pe_shell_cmd *k = &c->cmds[idx].pub;
    for (size_t j = 1; j < k->argc && j < stop; j++) {
        pe_str a = k->argv[j];
        if (a.len > 1 && a.s[0] == '-' && a.s[1] != '-' && memchr(a.s + 1, letter, a.len - 1))
            return 1;
    }
    return 0;
}

/* ---- web ------------------------------------------------------------------ */

/* The last component of a URL's path ("" when it has none). */
static pe_str url_basename(pe_str u)
{
    const char *q = memchr(u.s, '?', u.len);
    size_t end = q ? (size_t)(q - u.s) : u.len, k = end;
    while (k > 0 && u.s[k - 1] != '/')
        k--;
    const char *scheme = u.len > 3 ? strstr(u.s, "://") : NULL;
    if (scheme && (size_t)(scheme - u.s) + 3 >= k) /* no path at all */
        return (pe_str){"", 0};
    return (pe_str){u.s + k, end - k};
}

/* Files a download writes: curl -o f / -O (named after the URL), wget -O f
 * or by default named after the URL, and > f. */
static void downloads_into(sh_ctx *c, size_t idx, const sh_walk *wk, int wget)
{
    const pe_shell_cmd *k = &c->cmds[idx].pub;
    unsigned scope = c->cmds[idx].scope;
    char out = wget ? 'O' : 'o';
    int remote_name = wget, named = 0;
    for (size_t j = 1; j < k->argc; j++) {
        pe_str a = k->argv[j];
        if (a.len > 1 && a.s[0] == '-' && a.s[1] != '-') {
            const char *o = memchr(a.s + 1, out, a.len - 1);
            if (!wget && memchr(a.s + 1, 'O', a.len - 1))
                remote_name = 1;
            if (!o)
                continue;
            pe_str v = (size_t)(o - a.s) + 1 < a.len
                           ? (pe_str){o + 1, a.len - (size_t)(o - a.s) - 1}
                       : j + 1 < k->argc ? k->argv[j + 1]
                                         : (pe_str){NULL, 0};
            if (v.s && !sh_eq(v, "-"))
                sh_file_written(c, scope, v, k->argf[j], NULL, 1);
            named = 1;
        } else if (sh_eq(a, wget ? "--output-document" : "--output") && j + 1 < k->argc) {
            if (!sh_eq(k->argv[j + 1], "-"))
                sh_file_written(c, scope, k->argv[j + 1], k->argf[j + 1], NULL, 1);
            named = 1;
        } else if (!wget && sh_eq(a, "--remote-name")) {
            remote_name = 1;
        }
    }
    for (size_t i = 0; remote_name && !named && i < wk->nops; i++) {
        pe_str b = url_basename(k->argv[wk->ops[i]]);
        char *d = b.len ? sh_strndup(c, b.s, b.len) : NULL;
        if (!d)
            continue;
        b.s = d;
        sh_file_written(c, scope, b, 0, NULL, 1);
        sh_path_in(c, scope, wk->w, b, 0, PE_SHELL_P_WRITE); /* named after the URL */
        k = &c->cmds[idx].pub;
    }
    for (size_t j = 0; j < k->nredirs; j++) {
        const pe_shell_redir *r = &k->redirs[j];
        if ((r->flags & PE_SHELL_R_WRITE) && (r->flags & PE_SHELL_R_FILE) &&
            (r->fd == -1 || r->fd == 1))
            sh_file_written(c, scope, r->target, r->flags, NULL, 1);
    }
}

/* Another command's output in a URL's path or query is sent to the host
 * (curl "https://x/api?u=$(whoami)"); in the host it is a lookup (DNS
 * exfiltration, facts.c). */
static int sends_output(pe_str u, unsigned flags)
{
    if (!(flags & PE_SHELL_W_CMDSUB))
        return 0;
    const char *scheme = u.len > 3 ? strstr(u.s, "://") : NULL;
    size_t i = scheme ? (size_t)(scheme - u.s) + 3 : 0;
    while (i < u.len && u.s[i] != '/' && u.s[i] != '?' && u.s[i] != '#')
        i += u.s[i] == '$' && i + 1 < u.len && u.s[i + 1] == '(' ? 1 : 1;
    for (; i < u.len; i++)
        if (u.s[i] == '`' || (u.s[i] == '$' && i + 1 < u.len && u.s[i + 1] == '('))
            return 1;
    return 0;
}

static int web(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    for (size_t i = 0; i < wk->nops; i++) {
        pe_str u = word(c, idx, wk->ops[i]);
        unsigned f = wflags(c, idx, wk->ops[i]);
        sh_net_word(c, c->cmds[idx].scope, u, f, PE_URL_WEB);
        if (sends_output(u, f))
            c->flags |= PE_SHELL_UPLOAD;
    }
    downloads_into(c, idx, wk, strcmp(k->name, "wget") == 0);
    return 1;
}

/* HTTPie and xh: [METHOD] URL [ITEM...]; a URL may lack its scheme
 * (":3000/x" is localhost), items name=@file and @file send a file. */
static int httpie(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    (void)k;
    const sh_cmd *sc = &c->cmds[idx];
    int url_seen = 0;
    for (size_t i = 0; i < wk->nops; i++) {
        size_t j = wk->ops[i];
        pe_str a = word(c, idx, j);
        int method = a.len && a.len <= 7;
        for (size_t m = 0; m < a.len; m++)
            method &= a.s[m] >= 'A' && a.s[m] <= 'Z';
        if (!url_seen && method && i + 1 < wk->nops)
            continue;
        if (!url_seen) {
            url_seen = 1;
            sh_net_word(c, sc->scope, a, wflags(c, idx, j), PE_URL_WEB);
            continue;
        }
        const char *at = memchr(a.s, '@', a.len);
        if (at && (at == a.s || at[-1] == '=')) {
            pe_str f = {at + 1, a.len - (size_t)(at - a.s) - 1};
            c->flags |= PE_SHELL_UPLOAD;
            sh_path_in(c, sc->scope, wk->w, f, wflags(c, idx, j),
                       PE_SHELL_P_UPLOAD | PE_SHELL_P_READ);
        } else if (memchr(a.s, '=', a.len)) {
            c->flags |= PE_SHELL_UPLOAD; /* name=value data sent */
        }
    }
    return 1;
}

/* ---- ssh, scp, rsync ------------------------------------------------------ */

/* ssh host with no command runs what it reads on the remote host: a
 * here-doc, a file the line wrote, another command's output. */
static void ssh_stdin(sh_ctx *c, size_t idx)
{
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_redir *in = NULL;
    for (size_t j = 0; j < sc->pub.nredirs; j++)
        if ((sc->pub.redirs[j].fd == -1 || sc->pub.redirs[j].fd == 0) &&
            sc->pub.redirs[j].op.s[0] == '<')
            in = &sc->pub.redirs[j];
    if (!in && !(sc->pub.flags & PE_SHELL_C_STDIN_PIPE))
        return; /* a terminal: an interactive login */
    pe_str code = {NULL, 0};
    int decoded = 0;
    if (in && (sh_eq(in->op, "<<") || sh_eq(in->op, "<<-")))
        code = in->body;
    else if (in && sh_eq(in->op, "<<<"))
        code = in->target;
    else if (in)
        sh_written_content(c, idx, in->target, in->flags, &code, &decoded);
    else
        sh_known_output(c, sc->src, &code, &decoded);
    c->flags |= PE_SHELL_ELSEWHERE;
    if (code.s) {
        c->remote++;
        sh_run_code(c, code, sc->pub.depth, PE_SHELL_REMOTE, sc->scope, 0);
        c->remote--;
    }
}

/* The remote command (words from j) is an interpreter with options only
 * (bash -s, sh, python3 -): what ssh reads is its program. */
static int remote_reads_program(const sh_ctx *c, size_t idx, size_t j)
{
    const pe_shell_cmd *k = &c->cmds[idx].pub;
    size_t first = 1;
    for (size_t w = j; w < k->argc; w++) {
        pe_str a = k->argv[w];
        for (size_t i = 0; i < a.len;) {
            while (i < a.len && a.s[i] == ' ')
                i++;
            size_t e = i;
            while (e < a.len && a.s[e] != ' ')
                e++;
            pe_str t = {a.s + i, e - i}, b = sh_basename(t);
            if (e > i && first && !pe_shell_is_interpreter(b.s, b.len))
                return 0;
            if (e > i && !first && !(t.s[0] == '-' && !sh_eq(t, "-c") && !sh_eq(t, "-e")))
                return 0;
            first &= e == i;
            i = e;
        }
    }
    return !first;
}

static int ssh(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    if (!wk->nops)
        return 1;
    size_t host = wk->ops[0], j = host + 1, argc = c->cmds[idx].pub.argc;
    sh_net_word(c, c->cmds[idx].scope, word(c, idx, host), wflags(c, idx, host), PE_URL_SSH);
    /* options may follow the host, and "--" end them (ssh host -t -- cmd) */
    while (j < argc && word(c, idx, j).len > 1 && word(c, idx, j).s[0] == '-') {
        pe_str a = word(c, idx, j++);
        if (sh_eq(a, "--"))
            break;
        if (a.s[1] != '-' && sh_know_short_arg(k, a.s[a.len - 1]))
            j++;
    }
    if (has_letter(c, idx, 'R', j) || has_letter(c, idx, 'D', j))
        c->flags |= PE_SHELL_LISTEN; /* a tunnel into this machine */
    if (j >= argc || remote_reads_program(c, idx, j)) {
        ssh_stdin(c, idx);
        if (j < argc)
            sh_carry_remote(c, idx, j);
        return 1;
    }
    /* what the remote command reads comes from here: it is sent */
    const sh_cmd *sc = &c->cmds[idx];
    for (size_t r = 0; r < sc->pub.nredirs; r++) {
        const pe_shell_redir *rd = &sc->pub.redirs[r];
        if (sh_eq(rd->op, "<") && (rd->fd == -1 || rd->fd == 0)) {
            c->flags |= PE_SHELL_UPLOAD;
            sh_path_in(c, sc->scope, wk->w, rd->target, rd->flags,
                       PE_SHELL_P_READ | PE_SHELL_P_UPLOAD);
        }
    }
    int xargs = 0; /* xargs gives what it runs no stdin */
    for (size_t w = 0; w < sc->pub.nwrappers; w++)
        xargs |= sh_eq(sc->pub.wrappers[w], "xargs");
    if ((sc->pub.flags & PE_SHELL_C_STDIN_PIPE) && !xargs) {
        c->flags |= PE_SHELL_UPLOAD;
        sh_stdin_sent(c);
    }
    sh_carry_remote(c, idx, j);
    return 1;
}

/* scp and rsync: host:path operands are remote; local sources sent to a
 * remote destination are uploads, what comes from a remote is written. */
static int copy_remote(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    (void)k;
    const sh_cmd *sc = &c->cmds[idx];
    if (!wk->nops)
        return 1;
    size_t last = wk->ops[wk->nops - 1];
    int dest_remote =
        sh_net_word(c, sc->scope, word(c, idx, last), wflags(c, idx, last), PE_URL_SCP) != 0;
    for (size_t i = 0; i + 1 < wk->nops || (wk->nops == 1 && i == 0); i++) {
        size_t j = wk->ops[i];
        if (sh_net_word(c, sc->scope, word(c, idx, j), wflags(c, idx, j), PE_URL_SCP))
            continue; /* a remote source */
        unsigned role = PE_SHELL_P_READ | (dest_remote ? PE_SHELL_P_UPLOAD : 0);
        sh_path_in(c, sc->scope, wk->w, word(c, idx, j), wflags(c, idx, j), role);
        if (wk->nops == 1)
            break;
    }
    int deletes = 0; /* rsync --delete: what the destination has beyond the source goes */
    for (size_t j = 1; j < sc->pub.argc; j++)
        deletes |= word(c, idx, j).len >= 8 && !memcmp(word(c, idx, j).s, "--delete", 8);
    if (dest_remote)
        c->flags |= PE_SHELL_UPLOAD;
    else if (wk->nops > 1)
        sh_path_in(c, sc->scope, wk->w, word(c, idx, last), wflags(c, idx, last),
                   PE_SHELL_P_WRITE | (deletes ? PE_SHELL_P_DELETE : 0));
    return 1;
}

/* ---- netcat and socat ----------------------------------------------------- */

static int netcat(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    (void)k;
    const sh_cmd *sc = &c->cmds[idx];
    size_t stop = sc->pub.argc;
    int listen = has_letter(c, idx, 'l', stop) || has_word(c, idx, "--listen");
    int exec = has_letter(c, idx, 'e', stop) || has_letter(c, idx, 'c', stop) ||
               has_word(c, idx, "--exec") || has_word(c, idx, "--sh-exec");
    if (listen)
        c->flags |= PE_SHELL_LISTEN;
    /* nc -l [-p] 4444 and nc -l -p 4444: the operand is a port, not a host;
     * nc -l addr port binds to addr (local) */
    if (wk->nops && !(listen && wk->nops == 1 &&
                      pe_port_parse(word(c, idx, wk->ops[0]).s, word(c, idx, wk->ops[0]).len) >= 0))
        sh_net_word(c, sc->scope, word(c, idx, wk->ops[0]), wflags(c, idx, wk->ops[0]), PE_URL_SSH);
    if (exec) /* a program's input and output handed to the peer */
        c->flags |= PE_SHELL_REVERSE_SHELL;
    /* nc host port < file: the file is sent */
    for (size_t j = 0; wk->nops && !listen && j < sc->pub.nredirs; j++) {
        const pe_shell_redir *r = &sc->pub.redirs[j];
        if (r->op.s[0] == '<' && (r->flags & PE_SHELL_R_FILE)) {
            sh_path_in(c, sc->scope, wk->w, r->target, r->flags,
                       PE_SHELL_P_READ | PE_SHELL_P_UPLOAD);
            c->flags |= PE_SHELL_UPLOAD;
        }
    }
    if (wk->nops && !listen && (sc->pub.flags & PE_SHELL_C_STDIN_PIPE)) {
        c->flags |= PE_SHELL_UPLOAD; /* cat secret | nc host port */
        sh_stdin_sent(c);
    }
    return 1;
}

/* The part of a socat address after its type ("TCP:h:p" -> "h:p"). */
static int socat_addr(pe_str a, const char *type, pe_str *rest)
{
    size_t n = strlen(type);
    if (a.len <= n || a.s[n] != ':')
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((a.s[i] | 0x20) != (type[i] | 0x20))
            return 0;
    rest->s = a.s + n + 1;
    rest->len = a.len - n - 1;
    return 1;
}

static int socat(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    (void)k;
    static const char *const net[] = {"TCP",         "TCP4",         "TCP6",
                                      "UDP",         "UDP4",         "UDP6",
                                      "OPENSSL",     "SSL",          "SCTP",
                                      "SOCKS4",      "SOCKS4A",      "PROXY",
                                      "TCP-CONNECT", "TCP4-CONNECT", "TCP6-CONNECT",
                                      "UDP-CONNECT", "UDP-SENDTO",   "OPENSSL-CONNECT",
                                      "SSL-CONNECT", "SCTP-CONNECT", "DTLS",
                                      NULL};
    static const char *const listen[] = {"TCP-LISTEN", "TCP4-LISTEN",    "TCP6-LISTEN",
                                         "UDP-LISTEN", "OPENSSL-LISTEN", "SSL-LISTEN",
                                         "TCP-L",      "UDP-RECV",       NULL};
    const sh_cmd *sc = &c->cmds[idx];
    int is_net = 0, is_exec = 0;
    for (size_t i = 0; i < wk->nops; i++) {
        pe_str a = word(c, idx, wk->ops[i]), rest;
        for (const char *const *t = net; *t; t++) {
            if (socat_addr(a, *t, &rest)) {
                size_t colon = 0; /* host:port[,options] */
                while (colon < rest.len && rest.s[colon] != ',')
                    colon++;
                rest.len = colon;
                sh_net_word(c, sc->scope, rest, 0, PE_URL_WEB);
                is_net = 1;
            }
        }
        for (const char *const *t = listen; *t; t++)
            if (socat_addr(a, *t, &rest))
                is_net = 1, c->flags |= PE_SHELL_LISTEN;
        if (socat_addr(a, "EXEC", &rest) || socat_addr(a, "SYSTEM", &rest)) {
            size_t comma = 0;
            while (comma < rest.len && rest.s[comma] != ',')
                comma++;
            rest.len = comma;
            sh_run_code(c, rest, sc->pub.depth, PE_SHELL_STRING, sc->scope, 0);
            is_exec = 1;
        }
        if (socat_addr(a, "FILE", &rest) || socat_addr(a, "OPEN", &rest) ||
            socat_addr(a, "GOPEN", &rest) || socat_addr(a, "CREATE", &rest))
            sh_path_in(c, sc->scope, wk->w, rest, 0,
                       PE_SHELL_P_READ | PE_SHELL_P_WRITE | (is_net ? PE_SHELL_P_UPLOAD : 0));
        if (sh_eq(a, "-") || sh_eq(a, "STDIO") || sh_eq(a, "STDIN"))
            continue;
    }
    if (is_net && is_exec)
        c->flags |= PE_SHELL_REVERSE_SHELL;
    return 1;
}

/* ---- archives and file trees ---------------------------------------------- */

/* tar -C DIR, -CDIR, --directory[=]DIR at word j: 1 with the directory,
 * 0 when j is not one; *extra: words it takes after j. */
static int tar_dir(const sh_ctx *c, size_t idx, size_t j, pe_str *dir, size_t *extra)
{
    pe_str a = word(c, idx, j);
    size_t argc = c->cmds[idx].pub.argc;
    *extra = 0;
    if (sh_eq(a, "--directory") || (a.len == 2 && sh_eq(a, "-C"))) {
        if (j + 1 >= argc)
            return 0;
        *dir = word(c, idx, j + 1);
        *extra = 1;
        return 1;
    }
    if (a.len > 12 && !memcmp(a.s, "--directory=", 12)) {
        *dir = (pe_str){a.s + 12, a.len - 12};
        return 1;
    }
    if (a.len > 2 && a.s[0] == '-' && a.s[1] == 'C') {
        *dir = (pe_str){a.s + 2, a.len - 2};
        return 1;
    }
    return 0;
}

/* tar's mode: c/r/u create or add (the archive written, operands read),
 * x extracts (the archive read, files written into -C or here), t lists.
 * The archive is where tar started; -C moves the operands after it. */
static int tar(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    const sh_cmd *sc = &c->cmds[idx];
    char mode = 0;
    pe_str archive = {NULL, 0};
    unsigned af = 0;
    for (size_t j = 1; j < sc->pub.argc; j++) {
        pe_str a = word(c, idx, j);
        int bundled = j == 1 && a.len && a.s[0] != '-'; /* tar czf x.tgz */
        if (a.len > 1 && a.s[0] == '-' && a.s[1] == '-') {
            if (sh_eq(a, "--create") || sh_eq(a, "--append") || sh_eq(a, "--update"))
                mode = 'c';
            else if (sh_eq(a, "--extract") || sh_eq(a, "--get"))
                mode = 'x';
            else if (sh_eq(a, "--list"))
                mode = 't';
            else if (sh_eq(a, "--file") && j + 1 < sc->pub.argc)
                archive = word(c, idx, j + 1), af = wflags(c, idx, j + 1);
            else if (a.len > 7 && memcmp(a.s, "--file=", 7) == 0)
                archive = (pe_str){a.s + 7, a.len - 7}, af = wflags(c, idx, j);
            continue;
        }
        if (!bundled && !(a.len > 1 && a.s[0] == '-'))
            continue;
        for (size_t i = bundled ? 0 : 1; i < a.len; i++) {
            char ch = a.s[i];
            if (strchr("crux", ch) && !mode)
                mode = ch == 'x' ? 'x' : 'c';
            else if (ch == 't' && !mode)
                mode = 't';
            if (ch == 'f') {
                if (i + 1 < a.len && !bundled)
                    archive = (pe_str){a.s + i + 1, a.len - i - 1}, af = wflags(c, idx, j);
                else if (j + 1 < sc->pub.argc)
                    archive = word(c, idx, j + 1), af = wflags(c, idx, j + 1);
                break;
            }
            if (ch == 'C' && !bundled)
                break; /* -C's directory follows */
        }
    }
    sh_where start = sh_where_of(c, sc->scope);
    if (sc->chdir.len)
        start = sh_where_enter(c, sc->scope, start, sc->chdir, sc->chdir_flags);
    if (archive.s && !sh_eq(archive, "-"))
        sh_path_in(c, sc->scope, start, archive, af,
                   mode == 'c' ? PE_SHELL_P_WRITE : PE_SHELL_P_READ);
    size_t skip = 0; /* the bundled word and the archive named after it */
    if (wk->nops && word(c, idx, wk->ops[0]).s[0] != '-' && wk->ops[0] == 1)
        skip = 1;
    if (skip && archive.s && wk->nops > 1 && word(c, idx, wk->ops[1]).s == archive.s)
        skip = 2;
    if (mode == 'c') { /* each operand where the -C before it left tar */
        sh_where here = start;
        size_t op = skip;
        for (size_t j = 1; j < sc->pub.argc && op < wk->nops; j++) {
            pe_str dir;
            size_t extra;
            if (tar_dir(c, idx, j, &dir, &extra)) {
                here = sh_where_enter(c, sc->scope, here, dir, wflags(c, idx, j + extra));
                j += extra;
            } else if (j == wk->ops[op]) {
                sh_path_in(c, sc->scope, here, word(c, idx, j), wflags(c, idx, j), PE_SHELL_P_READ);
                op++;
            }
            sc = &c->cmds[idx];
        }
    } else if (mode == 'x') { /* it writes where it extracts */
        pe_str here = {".", 1};
        sh_path_in(c, sc->scope, wk->w, here, 0, PE_SHELL_P_WRITE);
    }
    (void)k;
    return 1;
}

/* find: the start points come before the expression. */
static int is_find_start(pe_str a)
{
    return a.len && a.s[0] != '-' && a.s[0] != '(' && a.s[0] != '!';
}

pe_str sh_find_found(sh_ctx *c, const pe_str *w, const unsigned *f, size_t n, int *partial,
                     unsigned *flags)
{
    static const char *const tests[] = {
        "-type",  "-mtime",     "-mmin",       "-atime", "-amin",     "-ctime", "-cmin",   "-size",
        "-empty", "-newer",     "-user",       "-group", "-perm",     "-regex", "-iregex", "-links",
        "-inum",  "-uid",       "-gid",        "-xtype", "-samefile", "-name",  "-iname",  "-path",
        "-ipath", "-wholename", "-iwholename", "-lname", "-ilname",   NULL};
    pe_str start = {".", 1}, pat = {NULL, 0};
    int whole = 0;
    *partial = 0;
    *flags = 0;
    if (n > 1 && is_find_start(w[1]))
        start = w[1], *flags = f[1];
    for (size_t j = 1; j < n; j++) {
        pe_str a = w[j];
        if (!sh_in_list(tests, a.s, a.len))
            continue;
        *partial = 1;
        int negated = j > 1 && (sh_eq(w[j - 1], "!") || sh_eq(w[j - 1], "-not"));
        if (pat.s || negated || j + 1 >= n)
            continue;
        if (sh_eq(a, "-name") || sh_eq(a, "-iname"))
            pat = w[j + 1];
        else if (sh_eq(a, "-path") || sh_eq(a, "-ipath") || sh_eq(a, "-wholename") ||
                 sh_eq(a, "-iwholename"))
            pat = w[j + 1], whole = 1;
    }
    if (whole) {
        *flags = PE_SHELL_W_GLOB;
        return pat;
    }
    if (!pat.s && !*partial)
        return start;
    if (!pat.s) /* some of what is under start */
        pat = (pe_str){"*", 1};
    *flags |= PE_SHELL_W_GLOB;
    char *t = sh_alloc(c, start.len + 4 + pat.len + 1);
    if (!t)
        return start;
    memcpy(t, start.s, start.len);
    size_t o = start.len;
    while (o > 1 && t[o - 1] == '/')
        o--;
    memcpy(t + o, "/**/", 4);
    memcpy(t + o + 4, pat.s, pat.len);
    t[o + 4 + pat.len] = '\0';
    return (pe_str){t, o + 4 + pat.len};
}

/* The start points are listed; -delete deletes them whole, or what the
 * tests select under them. */
static int find(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    (void)k;
    const sh_cmd *sc = &c->cmds[idx];
    int partial;
    unsigned ff;
    pe_str found = sh_find_found(c, sc->pub.argv, sc->pub.argf, sc->pub.argc, &partial, &ff);
    sc = &c->cmds[idx];
    unsigned del = wk->delete_flag ? PE_SHELL_P_DELETE : 0;
    unsigned role = PE_SHELL_P_LIST | (partial ? 0 : del);
    size_t n = 0;
    for (size_t j = 1; j < sc->pub.argc && is_find_start(word(c, idx, j)); j++, n++)
        sh_path_in(c, sc->scope, wk->w, word(c, idx, j), wflags(c, idx, j), role);
    if (!n) { /* find with no start point searches "." */
        pe_str here = {".", 1};
        sh_path_in(c, sc->scope, wk->w, here, 0, role);
    }
    if (partial && del)
        sh_path_in(c, sc->scope, wk->w, found, ff, del);
    return 1;
}

/* crontab FILE and crontab -e replace the user's crontab; -l lists it. */
static int crontab(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    (void)k;
    const sh_cmd *sc = &c->cmds[idx];
    int list = has_letter(c, idx, 'l', sc->pub.argc);
    int remove = has_letter(c, idx, 'r', sc->pub.argc);
    for (size_t i = 0; i < wk->nops; i++)
        if (!sh_eq(word(c, idx, wk->ops[i]), "-"))
            sh_path_in(c, sc->scope, wk->w, word(c, idx, wk->ops[i]), wflags(c, idx, wk->ops[i]),
                       PE_SHELL_P_READ);
    pe_str tab = {"/var/spool/cron/crontabs", 24};
    if (!list || remove)
        sh_path_in(c, sc->scope, wk->w, tab, 0, remove ? PE_SHELL_P_DELETE : PE_SHELL_P_WRITE);
    else
        sh_path_in(c, sc->scope, wk->w, tab, 0, PE_SHELL_P_READ);
    return 1;
}

/* gpg --export-secret-keys reads the secret keyring. */
static int gpg(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    const sh_cmd *sc = &c->cmds[idx];
    for (size_t j = 1; j < sc->pub.argc; j++) {
        pe_str a = word(c, idx, j);
        if (sh_eq(a, "--export-secret-keys") || sh_eq(a, "--export-secret-subkeys") ||
            sh_eq(a, "--export-secret-key")) {
            pe_str ring = {"~/.gnupg/private-keys-v1.d", 26};
            sh_path_in(c, sc->scope, wk->w, ring, PE_SHELL_W_TILDE, PE_SHELL_P_READ);
        }
    }
    sh_operand_roles(c, sc, k, wk, OP_READ);
    return 1;
}

/* macOS security: dumping or finding passwords reads the keychain. */
static int security(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    (void)k;
    const sh_cmd *sc = &c->cmds[idx];
    if (!wk->nops)
        return 1;
    pe_str s = word(c, idx, wk->ops[0]);
    if (sh_eq(s, "dump-keychain") || sh_eq(s, "find-generic-password") ||
        sh_eq(s, "find-internet-password") || sh_eq(s, "export") || sh_eq(s, "find-certificate")) {
        pe_str chain = {"~/Library/Keychains", 19};
        sh_path_in(c, sc->scope, wk->w, chain, PE_SHELL_W_TILDE, PE_SHELL_P_READ);
    }
    return 1;
}

/* The files under dir, at any depth, as the glob find's selections use. */
static pe_str under(sh_ctx *c, pe_str dir)
{
    while (dir.len > 1 && dir.s[dir.len - 1] == '/')
        dir.len--;
    char *d = sh_alloc(c, dir.len + 6);
    if (!d)
        return dir;
    memcpy(d, dir.s, dir.len);
    memcpy(d + dir.len, "/**/*", 6);
    return (pe_str){d, dir.len + 5};
}

/* git subcommands that run commands: submodule foreach CMD, rebase
 * --exec CMD, filter-branch --tree-filter CMD ... (through sh), bisect
 * run CMD ARGS. */
static void git_runs(sh_ctx *c, size_t idx)
{
    static const char *const code_opts[] = {
        "-x",           "--exec",          "--tree-filter",   "--index-filter",    "--msg-filter",
        "--env-filter", "--commit-filter", "--parent-filter", "--tag-name-filter", NULL};
    const pe_shell_cmd *p = &c->cmds[idx].pub;
    size_t s = p->subidx, argc = p->argc;
    pe_str sub = p->argv[s], two = p->nsub > 1 ? p->argv[s + 1] : (pe_str){"", 0};
    if ((sh_eq(sub, "submodule") && sh_eq(two, "foreach")) ||
        (sh_eq(sub, "bisect") && sh_eq(two, "run"))) {
        size_t j = s + 2;
        while (j < argc && p->argv[j].len > 1 && p->argv[j].s[0] == '-')
            j++; /* foreach --recursive */
        if (j >= argc)
            return;
        if (sh_eq(two, "run")) /* bisect run: a command and its arguments */
            sh_run_words(c, p->argv + j, p->argf + j, argc - j, p->depth + 1, PE_SHELL_EXEC,
                         c->cmds[idx].scope, -1);
        else { /* submodule foreach: its words joined, run by sh */
            unsigned f = 0;
            pe_str code = sh_joined_args(c, idx, j, &f);
            sh_carry_code(c, &c->cmds[idx], code, f);
        }
        return;
    }
    if (!sh_eq(sub, "rebase") && !sh_eq(sub, "filter-branch"))
        return;
    for (size_t j = s + 1; j < argc; j++) {
        pe_str a = c->cmds[idx].pub.argv[j];
        const char *eq = memchr(a.s, '=', a.len);
        pe_str name = {a.s, eq ? (size_t)(eq - a.s) : a.len};
        if (!sh_in_list(code_opts, name.s, name.len))
            continue;
        if (eq)
            sh_carry_code(c, &c->cmds[idx], (pe_str){eq + 1, a.len - name.len - 1},
                          c->cmds[idx].pub.argf[j]);
        else if (j + 1 < argc)
            sh_carry_code(c, &c->cmds[idx], c->cmds[idx].pub.argv[j + 1],
                          c->cmds[idx].pub.argf[j + 1]);
    }
}

/* git: the subcommand's own file roles (clean and rm delete, the rest is
 * left to rules on the subcommand), in the directory -C names. */
static int git(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    (void)k;
    const sh_cmd *sc = &c->cmds[idx];
    if (!sc->pub.nsub)
        return 1;
    git_runs(c, idx);
    sc = &c->cmds[idx];
    pe_str sub = sc->pub.argv[sc->pub.subidx];
    size_t after = 0;
    while (after < wk->nops && wk->ops[after] <= sc->pub.subidx + sc->pub.nsub - 1)
        after++;
    if (sh_eq(sub, "checkout") || sh_eq(sub, "restore")) {
        /* paths put back from the index or a commit: their changes are lost
         * (checkout's paths follow "--" or are "."; a bare word is a branch) */
        int restore = sh_eq(sub, "restore"), staged_only = 0, worktree = 0, dashes = 0;
        for (size_t j = sc->pub.subidx + 1; j < sc->pub.argc; j++) {
            pe_str a = word(c, idx, j);
            staged_only |= sh_eq(a, "--staged") || sh_eq(a, "-S");
            worktree |= sh_eq(a, "--worktree") || sh_eq(a, "-W");
            if (sh_eq(a, "--")) {
                dashes = 1;
                continue;
            }
            if (a.len && a.s[0] == '-' && !dashes)
                continue;
            if ((restore && (!staged_only || worktree)) || dashes || sh_eq(a, ".") ||
                sh_eq(a, ":/"))
                sh_path_in(c, sc->scope, wk->w, a, wflags(c, idx, j), PE_SHELL_P_WRITE);
        }
    } else if (sh_eq(sub, "clean")) { /* untracked files go, under each path or here */
        if (has_word(c, idx, "--dry-run") || has_letter(c, idx, 'n', sc->pub.argc))
            return 1;
        for (size_t i = after; i <= wk->nops; i++) {
            if (i == wk->nops && i > after)
                break;
            pe_str dir = i < wk->nops ? word(c, idx, wk->ops[i]) : (pe_str){".", 1};
            unsigned f = i < wk->nops ? wflags(c, idx, wk->ops[i]) : 0;
            sh_path_in(c, sc->scope, wk->w, under(c, dir), f | PE_SHELL_W_GLOB, PE_SHELL_P_DELETE);
            sc = &c->cmds[idx];
        }
    } else if (sh_eq(sub, "apply") || sh_eq(sub, "am")) { /* patches read */
        for (size_t i = after; i < wk->nops; i++)
            sh_path_in(c, sc->scope, wk->w, word(c, idx, wk->ops[i]), wflags(c, idx, wk->ops[i]),
                       PE_SHELL_P_READ);
    } else if (sh_eq(sub, "commit") || sh_eq(sub, "tag")) { /* -F FILE: the message */
        for (size_t j = sc->pub.subidx + 1; j < sc->pub.argc; j++) {
            pe_str a = word(c, idx, j);
            if ((sh_eq(a, "-F") || sh_eq(a, "--file")) && j + 1 < sc->pub.argc)
                sh_path_in(c, sc->scope, wk->w, word(c, idx, j + 1), wflags(c, idx, j + 1),
                           PE_SHELL_P_READ);
            else if (a.len > 7 && !memcmp(a.s, "--file=", 7))
                sh_path_in(c, sc->scope, wk->w, (pe_str){a.s + 7, a.len - 7}, wflags(c, idx, j),
                           PE_SHELL_P_READ);
        }
    } else if (sh_eq(sub, "rm")) {
        if (has_word(c, idx, "--cached"))
            return 1; /* only out of the index: the files stay */
        for (size_t i = after; i < wk->nops; i++)
            sh_path_in(c, sc->scope, wk->w, word(c, idx, wk->ops[i]), wflags(c, idx, wk->ops[i]),
                       PE_SHELL_P_DELETE);
    } else if (sh_eq(sub, "clone") || sh_eq(sub, "fetch") || sh_eq(sub, "pull") ||
               sh_eq(sub, "push") || sh_eq(sub, "ls-remote") || sh_eq(sub, "submodule") ||
               sh_eq(sub, "remote")) {
        int clone = sh_eq(sub, "clone");
        for (size_t i = after; i < wk->nops; i++) {
            pe_str a = word(c, idx, wk->ops[i]);
            unsigned f = wflags(c, idx, wk->ops[i]);
            /* git clone URL DIR: the directory is written */
            if (!sh_net_word(c, sc->scope, a, f, PE_URL_SCP) && clone && i > after)
                sh_path_in(c, sc->scope, wk->w, a, f, PE_SHELL_P_WRITE);
        }
    }
    return 1;
}

/* gh gist create FILE, gh release upload TAG FILE: files sent to GitHub. */
static int gh(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    (void)k;
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *p = &sc->pub;
    if (p->nsub < 2)
        return 1;
    pe_str a = p->argv[p->subidx], b = p->argv[p->subidx + 1];
    int gist = sh_eq(a, "gist") && (sh_eq(b, "create") || sh_eq(b, "edit"));
    int release = sh_eq(a, "release") && (sh_eq(b, "upload") || sh_eq(b, "create"));
    if (!gist && !release)
        return 1;
    size_t first = 0; /* the operands after the subcommand (a release's tag first) */
    while (first < wk->nops && wk->ops[first] < p->subidx + 2)
        first++;
    for (size_t i = first + (release ? 1 : 0); i < wk->nops; i++) {
        sh_path_in(c, sc->scope, wk->w, word(c, idx, wk->ops[i]), wflags(c, idx, wk->ops[i]),
                   PE_SHELL_P_READ | PE_SHELL_P_UPLOAD);
        c->flags |= PE_SHELL_UPLOAD;
    }
    return 1;
}

/* Whether a cloud storage word is remote: s3://, gs://, az://, or rclone's
 * "remote:path". */
static int storage_remote(pe_str w, int rclone)
{
    static const char *const schemes[] = {"s3://",   "gs://", "az://", "https://",
                                          "http://", "r2://", "b2://", NULL};
    for (const char *const *s = schemes; *s; s++)
        if (w.len > strlen(*s) && !memcmp(w.s, *s, strlen(*s)))
            return 1;
    const char *colon = memchr(w.s, ':', w.len);
    return rclone && colon && colon > w.s && !memchr(w.s, '/', (size_t)(colon - w.s));
}

/* aws s3 cp|mv|sync, gsutil cp|mv|rsync, rclone copy|sync|move, azcopy
 * copy: local sources sent to a bucket are uploads. */
static int cloud_copy(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    (void)k;
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *p = &sc->pub;
    int rclone = sh_eq(p->base, "rclone");
    size_t first = 0;
    while (first < wk->nops && p->nsub && wk->ops[first] < p->subidx + p->nsub)
        first++;
    if (wk->nops < first + 2)
        return 1;
    pe_str dest = word(c, idx, wk->ops[wk->nops - 1]);
    int up = storage_remote(dest, rclone);
    for (size_t i = first; i + 1 < wk->nops; i++) {
        pe_str w = word(c, idx, wk->ops[i]);
        if (storage_remote(w, rclone))
            continue;
        sh_path_in(c, sc->scope, wk->w, w, wflags(c, idx, wk->ops[i]),
                   PE_SHELL_P_READ | (up ? PE_SHELL_P_UPLOAD : 0));
    }
    if (up)
        c->flags |= PE_SHELL_UPLOAD;
    else if (!storage_remote(dest, rclone) || rclone)
        sh_path_in(c, sc->scope, wk->w, dest, wflags(c, idx, wk->ops[wk->nops - 1]),
                   PE_SHELL_P_WRITE);
    return 1;
}

static const struct {
    const char *name;
    special_fn fn;
} handlers[] = {
    {"aws", cloud_copy},
    {"azcopy", cloud_copy},
    {"gh", gh},
    {"gsutil", cloud_copy},
    {"rclone", cloud_copy},
    {"crontab", crontab},
    {"curl", web},
    {"find", find},
    {"git", git},
    {"gpg", gpg},
    {"gpg2", gpg},
    {"http", httpie},
    {"https", httpie},
    {"xh", httpie},
    {"nc", netcat},
    {"ncat", netcat},
    {"netcat", netcat},
    {"nc.openbsd", netcat},
    {"nc.traditional", netcat},
    {"rsync", copy_remote},
    {"scp", copy_remote},
    {"security", security},
    {"socat", socat},
    {"ssh", ssh},
    {"tar", tar},
    {"wget", web},
};

int sh_special(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
        if (strcmp(handlers[i].name, k->name) == 0)
            return handlers[i].fn(c, idx, k, wk);
    return 0;
}
