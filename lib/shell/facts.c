/*
 * Facts of one interpreted command (the network's in facts_net.c): which words are files it reads,
 * writes, deletes or runs, its subcommand, the URLs and hosts it talks to,
 * the variables it is given, and the network idioms (reverse shells,
 * uploads, listeners, DNS exfiltration). The words are walked once against
 * the command's row in knowledge.c; only what a row cannot say has code
 * here (tar's mode, find's expression, remote paths of scp, curl's @file).
 * Data is never a fact: a commit message, a grep pattern or an echo's
 * words are not paths, hosts or commands.
 */
#include <string.h>
#include <strings.h>

#include "shell/carriers.h"
#include "shell/facts.h"
#include "util/host.h"

void sh_strs_add(sh_ctx *c, sh_strs *l, pe_str s, int copy)
{
    if (!s.len || sh_grow(c, (void **)&l->items, &l->cap, l->n + 1, sizeof(*l->items)))
        return;
    if (copy && !(s.s = sh_strndup(c, s.s, s.len)))
        return;
    l->items[l->n++] = s;
}

sh_where sh_where_of(sh_ctx *c, unsigned scope)
{
    sh_where w;
    w.cwd = sh_cwd(c, scope, &w.known);
    return w;
}

sh_where sh_where_enter(sh_ctx *c, unsigned scope, sh_where w, pe_str dir, unsigned flags)
{
    pe_str d;
    int known = sh_expand(c, scope, dir, flags, &d);
    sh_where r = {d, known && (w.known || (d.len && d.s[0] == '/'))};
    if (d.len && d.s[0] != '/' && w.cwd.len) {
        char *j = sh_alloc(c, w.cwd.len + d.len + 2);
        if (!j)
            return w;
        memcpy(j, w.cwd.s, w.cwd.len);
        j[w.cwd.len] = '/';
        memcpy(j + w.cwd.len + 1, d.s, d.len);
        j[w.cwd.len + 1 + d.len] = '\0';
        r.cwd.s = j;
        r.cwd.len = w.cwd.len + 1 + d.len;
    }
    return r;
}

static void command_facts(sh_ctx *c, size_t idx);

/* The terminal and the null device: what goes there is not a file. */
static int dev_sink(pe_str w)
{
    static const char *const sinks[] = {"/dev/null", "/dev/stdout", "/dev/stderr",  "/dev/tty",
                                        "/dev/zero", "/dev/fd/1",   "/dev/fd/2",    "/dev/stdin",
                                        "/dev/fd/0", "/dev/random", "/dev/urandom", NULL};
    return sh_in_list(sinks, w.s, w.len);
}

/* A path being recorded: where it is, what it is for. */
typedef struct path_rec {
    sh_where w;
    unsigned wflags, role;
} path_rec;

static void record_path(sh_ctx *c, void *arg, pe_str p, int known, int tainted)
{
    const path_rec *pr = arg;
    (void)tainted;
    if (c->remote)
        return; /* a path on another host or in a container is none of this one's */
    if (sh_grow(c, (void **)&c->paths, &c->path_cap, c->npaths + 1, sizeof(*c->paths)))
        return;
    pe_shell_path *e = &c->paths[c->npaths++];
    e->path = p;
    e->cwd = pr->w.cwd;
    e->role = pr->role;
    e->flags = (known ? 0 : PE_SHELL_P_UNKNOWN) |
               ((pr->wflags & PE_SHELL_W_GLOB) || memchr(p.s, '*', p.len) ? PE_SHELL_P_GLOB : 0);
    if (!pr->w.known && !(p.len && (p.s[0] == '/' || p.s[0] == '~')))
        e->flags |= PE_SHELL_P_UNKNOWN;
}

/* <(...) and >(...): a pipe to another command, not a file. */
static int procsub_word(pe_str w, unsigned wflags)
{
    return (wflags & PE_SHELL_W_PROCSUB) && w.len > 2 && (w.s[0] == '<' || w.s[0] == '>') &&
           w.s[1] == '(' && w.s[w.len - 1] == ')';
}

void sh_path_in(sh_ctx *c, unsigned scope, sh_where w, pe_str word, unsigned wflags, unsigned role)
{
    if (!word.len || !role || dev_sink(word) || procsub_word(word, wflags))
        return;
    if (sh_eq(word, "-") && !(role & PE_SHELL_P_UPLOAD))
        return; /* standard input or output: cat - < f, wget -O- */
    if (word.len > 8 && !memcmp(word.s, "file:///", 8)) {
        word.s += 7, word.len -= 7; /* kubectl apply -f file:///etc/x: the file */
    } else if (sh_is_url(word)) {   /* kubectl apply -f https://...: fetched, not a file */
        sh_net_word(c, scope, word, wflags, PE_URL_WEB);
        return;
    }
    if ((role & PE_SHELL_P_UPLOAD) && sh_eq(word, "-")) {
        c->flags |= PE_SHELL_UPLOAD; /* what comes in on stdin is sent */
        role = PE_SHELL_P_UPLOAD;
        sh_stdin_sent(c);
    }
    if ((role & PE_SHELL_P_EXEC) && sh_file_downloaded(c, scope, word, wflags))
        c->flags |= PE_SHELL_RUNS_DOWNLOAD;
    path_rec pr = {w, wflags, role};
    sh_expand_each(c, scope, word, wflags, record_path, &pr);
}

void sh_path_add(sh_ctx *c, unsigned scope, pe_str word, unsigned wflags, unsigned role)
{
    sh_path_in(c, scope, sh_where_of(c, scope), word, wflags, role);
}

/* ---- walking the words --------------------------------------------------- */

static unsigned role_bits(unsigned or_role)
{
    switch (or_role) {
    case OR_READ:
        return PE_SHELL_P_READ;
    case OR_WRITE:
        return PE_SHELL_P_WRITE;
    case OR_DELETE:
        return PE_SHELL_P_DELETE;
    case OR_UPLOAD:
        return PE_SHELL_P_UPLOAD | PE_SHELL_P_READ;
    case OR_EXEC:
        return PE_SHELL_P_EXEC | PE_SHELL_P_READ;
    default:
        return 0;
    }
}

/* An option's value (word vi of k) with role r. */
static void option_value(sh_ctx *c, const sh_cmd *sc, sh_walk *wk, unsigned r, pe_str v,
                         unsigned vf, long sub)
{
    switch (r) {
    case OR_OPERAND_ONE:
        wk->skip_given = 1;
        break;
    case OR_READ_ONE: /* grep -f PATTERNS FILE...: the operands are all files */
        wk->skip_given = 1;
        sh_path_in(c, sc->scope, wk->w, v, vf, PE_SHELL_P_READ);
        break;
    case OR_TARGET:
        wk->target = 1;
        sh_path_in(c, sc->scope, wk->w, v, vf, PE_SHELL_P_WRITE);
        break;
    case OR_HOSTS: /* ssh -J user@jump:22,other */
        for (size_t i = 0, e; i < v.len; i = e + 1) {
            for (e = i; e < v.len && v.s[e] != ',';)
                e++;
            char *h = e > i ? sh_strndup(c, v.s + i, e - i) : NULL;
            if (h)
                sh_net_word(c, sc->scope, (pe_str){h, e - i}, vf, PE_URL_WEB);
        }
        break;
    case OR_CWD:
        wk->w = sh_where_enter(c, sc->scope, wk->w, v, vf);
        break;
    case OR_URL:
        sh_net_word(c, sc->scope, v, vf, PE_URL_WEB);
        break;
    case OR_UPLOAD_AT:
    case OR_UPLOAD_NAMED: { /* @file, name=@file, name=<file (-F), name@file (urlencode) */
        const char *at = memchr(v.s, '@', v.len);
        if (!at && v.len && memchr(v.s, '<', v.len) && memchr(v.s, '=', v.len))
            at = memchr(v.s, '<', v.len);
        int named = r == OR_UPLOAD_NAMED && at && !memchr(v.s, '=', (size_t)(at - v.s));
        c->flags |= PE_SHELL_UPLOAD;
        if (vf & PE_SHELL_W_CMDSUB) /* -d "$(cat f)": what the substitution read is sent */
            sh_output_sent(c, sub);
        if (at && (at == v.s || named || at[-1] == '=')) {
            pe_str f = {at + 1, v.len - (size_t)(at - v.s) - 1};
            size_t semi = 0;
            while (semi < f.len && f.s[semi] != ';')
                semi++; /* -F file=@x;type=text/plain */
            f.len = semi;
            if (f.len)
                sh_path_in(c, sc->scope, wk->w, f, vf, PE_SHELL_P_UPLOAD | PE_SHELL_P_READ);
        }
        break;
    }
    case OR_CODE:
        sh_carry_code(c, sc, v, vf);
        break;
    case OR_CONFIG:
        sh_carry_setting(c, sc, v, vf);
        break;
    case OR_RESOLVE: { /* the address after the second ':' (brackets for IPv6) */
        size_t colons = 0, i = 0;
        for (; i < v.len && colons < 2; i++)
            colons += v.s[i] == ':';
        pe_str addr = {v.s + i, v.len - i};
        const char *close = addr.len && addr.s[0] == '[' ? memchr(addr.s, ']', addr.len) : NULL;
        if (close) { /* [v6] */
            addr.s++;
            addr.len = (size_t)(close - addr.s);
        }
        for (size_t e = 0; !close && e < addr.len; e++)
            if (addr.s[e] == ',' || addr.s[e] == ':') {
                addr.len = e; /* --connect-to H:P:H2:P2, --resolve H:P:A1,A2 */
                break;
            }
        if (addr.len)
            sh_net_word(c, sc->scope, addr, vf, PE_URL_SSH);
        break;
    }
    default:
        if (r == OR_UPLOAD)
            c->flags |= PE_SHELL_UPLOAD; /* curl -T f */
        sh_path_in(c, sc->scope, wk->w, v, vf, role_bits(r));
    }
}

static void flag_role(sh_walk *wk, unsigned r)
{
    if (r == OR_EDIT_FLAG)
        wk->edit = 1;
    else if (r == OR_LIST_FLAG)
        wk->list = 1;
    else if (r == OR_DELETE_FLAG)
        wk->delete_flag = 1;
    else if (r == OR_KEEP_FLAG)
        wk->keep = 1;
}

static int takes_value(unsigned r)
{
    return r && r != OR_EDIT_FLAG && r != OR_LIST_FLAG && r != OR_DELETE_FLAG && r != OR_KEEP_FLAG;
}

/* A --long option at argv[j]; the number of extra words it takes. */
static size_t long_option(sh_ctx *c, const sh_cmd *sc, const sh_know *k, sh_walk *wk, size_t j)
{
    const pe_shell_cmd *p = &sc->pub;
    pe_str a = p->argv[j];
    const char *eq = memchr(a.s, '=', a.len);
    size_t nlen = eq ? (size_t)(eq - a.s) : a.len;
    unsigned r = sh_know_optrole(k, a.s, nlen);
    int takes = takes_value(r) || sh_know_long_arg(k, a.s + 2, nlen - 2);
    flag_role(wk, r);
    if (!takes)
        return 0;
    if (eq) {
        pe_str v = {eq + 1, a.len - nlen - 1};
        option_value(c, sc, wk, r, v, p->argf[j], -1);
        return 0;
    }
    if (j + 1 >= p->argc)
        return 0;
    option_value(c, sc, wk, r, p->argv[j + 1], p->argf[j + 1], sh_word_sub(sc, j + 1));
    return 1;
}

/* A -cluster at argv[j]; the number of extra words it takes. Options of a
 * single dash and several letters (openssl's -in, find's -delete) are
 * looked up whole first. */
static size_t short_option(sh_ctx *c, const sh_cmd *sc, const sh_know *k, sh_walk *wk, size_t j)
{
    const pe_shell_cmd *p = &sc->pub;
    pe_str a = p->argv[j];
    unsigned whole = a.len > 2 ? sh_know_optrole(k, a.s, a.len) : 0;
    if (whole) {
        flag_role(wk, whole);
        if (!takes_value(whole) || j + 1 >= p->argc)
            return 0;
        option_value(c, sc, wk, whole, p->argv[j + 1], p->argf[j + 1], sh_word_sub(sc, j + 1));
        return 1;
    }
    for (size_t i = 1; i < a.len; i++) {
        char opt[3] = {'-', a.s[i], 0};
        unsigned r = sh_know_optrole(k, opt, 2);
        flag_role(wk, r);
        if (!takes_value(r) && !sh_know_short_arg(k, a.s[i]))
            continue;
        if (i + 1 < a.len) { /* the value attached: -ofile */
            pe_str v = {a.s + i + 1, a.len - i - 1};
            if (takes_value(r))
                option_value(c, sc, wk, r, v, p->argf[j], -1);
            return 0;
        }
        if (j + 1 >= p->argc)
            return 0;
        if (takes_value(r))
            option_value(c, sc, wk, r, p->argv[j + 1], p->argf[j + 1], sh_word_sub(sc, j + 1));
        return 1;
    }
    return 0;
}

/* chmod -x f: a mode that looks like an option (chmod's own are -R -v -c
 * -f and long ones). */
static int chmod_mode(const sh_know *k, pe_str a)
{
    if (strcmp(k->name, "chmod") != 0 || a.len < 2 || a.s[1] == '-')
        return 0;
    for (size_t i = 1; i < a.len; i++)
        if (!strchr("rwxXst", a.s[i]))
            return 0;
    return 1;
}

/* Walks argv[from..] of a command against its row. */
static void walk_words(sh_ctx *c, const sh_cmd *sc, const sh_know *k, sh_walk *wk, size_t from)
{
    const pe_shell_cmd *p = &sc->pub;
    int opts_done = 0;
    for (size_t j = from; j < p->argc; j++) {
        pe_str a = p->argv[j];
        if (!opts_done && sh_eq(a, "--")) {
            opts_done = 1;
            continue;
        }
        if (!opts_done && a.len > 1 && a.s[0] == '-' && !chmod_mode(k, a)) {
            j += a.s[1] == '-' ? long_option(c, sc, k, wk, j) : short_option(c, sc, k, wk, j);
            continue;
        }
        if (!opts_done && (k->flags & K_PLUS) && a.len > 1 && a.s[0] == '+')
            continue; /* vim +cmd, less +F */
        const char *eq = memchr(a.s, '=', a.len);
        unsigned r = eq ? sh_know_optrole(k, a.s, (size_t)(eq - a.s) + 1) : 0;
        if (r) { /* dd's if=FILE */
            pe_str v = {eq + 1, a.len - (size_t)(eq - a.s) - 1};
            option_value(c, sc, wk, r, v, p->argf[j], -1);
            continue;
        }
        if (wk->nops < sizeof(wk->ops) / sizeof(wk->ops[0]))
            wk->ops[wk->nops++] = j;
        if (k->flags & K_PERMUTE)
            opts_done = 1;
    }
}

void sh_operand_roles(sh_ctx *c, const sh_cmd *sc, const sh_know *k, sh_walk *wk, unsigned op)
{
    const pe_shell_cmd *p = &sc->pub;
    size_t sub = 0; /* the subcommand's words come first (yq e EXPR FILE) */
    while (p->nsub && sub < wk->nops && wk->ops[sub] < p->subidx + p->nsub)
        sub++;
    size_t first = sub + (k->skip && !wk->skip_given ? k->skip : 0);
    if (first > wk->nops)
        first = wk->nops;
    size_t n = wk->nops;
    if (wk->edit && op == OP_READ)
        op = OP_EDIT;
    if (wk->keep && op == OP_EDIT)
        op = OP_READ; /* gzip -c f: f stays as it is */
    if (op == OP_LIST && n == first && !(sc->pub.flags & PE_SHELL_C_STDIN_PIPE)) {
        /* ls, du, tree with no operand: the working directory */
        pe_str here = {".", 1};
        sh_path_in(c, sc->scope, wk->w, here, 0, PE_SHELL_P_LIST);
        return;
    }
    for (size_t i = first; i < n; i++) {
        size_t j = wk->ops[i];
        int last = i + 1 == n && n - first > 1 && !wk->target;
        unsigned role = 0;
        switch (op) {
        case OP_READ:
            role = PE_SHELL_P_READ;
            break;
        case OP_WRITE:
            role = PE_SHELL_P_WRITE;
            break;
        case OP_DELETE:
            role = PE_SHELL_P_DELETE;
            break;
        case OP_EDIT:
            role = PE_SHELL_P_READ | PE_SHELL_P_WRITE;
            break;
        case OP_LIST:
            role = PE_SHELL_P_LIST;
            break;
        case OP_EXEC:
            role = PE_SHELL_P_EXEC | PE_SHELL_P_READ;
            break;
        case OP_COPY:
            role = last ? PE_SHELL_P_WRITE : PE_SHELL_P_READ;
            break;
        case OP_MOVE:
            role = last ? PE_SHELL_P_WRITE : PE_SHELL_P_READ | PE_SHELL_P_DELETE;
            break;
        case OP_FIRST:
            role = i == first ? PE_SHELL_P_WRITE : PE_SHELL_P_READ;
            break;
        case OP_IO:
            role = i == first ? PE_SHELL_P_READ : i == first + 1 ? PE_SHELL_P_WRITE : 0;
            break;
        case OP_EDIT_ONE:
            role = i == first ? PE_SHELL_P_READ | PE_SHELL_P_WRITE : 0;
            break;
        case OP_URL:
            continue; /* the special handlers know the style */
        default:
            break;
        }
        if (wk->list)
            role = PE_SHELL_P_LIST;
        if (wk->delete_flag)
            role |= PE_SHELL_P_DELETE;
        long from = sh_word_sub(sc, j);
        if (from >= 0 && (size_t)from < c->ncmds && c->cmds[from].pub.argc &&
            sh_eq(c->cmds[from].pub.base, "find")) {
            /* cat $(find . -name '.env*'): also the files find selects, as xargs
             * gets them (the word itself stays, a path that is not known) */
            const pe_shell_cmd *f = &c->cmds[from].pub;
            int partial;
            unsigned ff;
            pe_str found = sh_find_found(c, f->argv, f->argf, f->argc, &partial, &ff);
            if (found.len)
                sh_path_in(c, sc->scope, wk->w, found, ff, role);
        }
        sh_path_in(c, sc->scope, wk->w, sc->pub.argv[j], sc->pub.argf[j], role);
    }
}

/* ---- subcommands ----------------------------------------------------------- */

static int in_words(const char *const *l, pe_str w)
{
    for (; l && *l; l++)
        if (sh_eq(w, *l))
            return 1;
    return 0;
}

/* The name a subcommand stands for (npm i: install), or itself. */
static pe_str alias_of(const char *const *aliases, pe_str w)
{
    for (const char *const *a = aliases; a && a[0] && a[1]; a += 2)
        if (sh_eq(w, a[0])) {
            pe_str r = {a[1], strlen(a[1])};
            return r;
        }
    return w;
}

/* An action that ends a subcommand path: one of verbs, or get-... set-... */
static int is_verb(const char *const *verbs, pe_str w)
{
    static const char *const prefixes[] = {"get-",   "set-",    "add-",    "remove-", "list-",
                                           "print-", "create-", "delete-", NULL};
    for (const char *const *p = prefixes; *p; p++)
        if (w.len > strlen(*p) && !memcmp(w.s, *p, strlen(*p)))
            return 1;
    return in_words(verbs, w);
}

/* git reset, docker compose up: the path of words after the global
 * options; recorded as "git reset" and, for a group, "git stash drop". */
static void subcommand(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    pe_shell_cmd *p = &c->cmds[idx].pub;
    if (!wk->nops)
        return;
    size_t j = wk->ops[0], n = 1;
    pe_str a = p->argv[j];
    if (!a.len || (p->argf[j] & PE_SHELL_W_EXPANDS) || (k->sub->only && !in_words(k->sub->only, a)))
        return;
    /* later words only while they can be part of the path: with a list of
     * groups, only after a group's name (git stash drop, not git push origin);
     * with verbs, not after one (gcloud projects delete NAME) */
    while (n < k->sub->depth && n < wk->nops && wk->ops[n] == j + n &&
           (!k->sub->groups || in_words(k->sub->groups, p->argv[j])) &&
           !(k->sub->verbs && is_verb(k->sub->verbs, p->argv[j + n - 1])) &&
           !(p->argf[j + n] & PE_SHELL_W_EXPANDS))
        n++;
    p->subidx = j;
    p->nsub = n;
    pe_str first = alias_of(k->sub->aliases, p->argv[j]); /* npm i: npm install */
    size_t len = p->base.len + 1 + first.len;
    for (size_t i = 1; i < n; i++)
        len += 1 + p->argv[j + i].len;
    char *d = sh_alloc(c, len + 1);
    if (!d)
        return;
    size_t o = 0;
    memcpy(d, p->base.s, p->base.len);
    o = p->base.len;
    for (size_t i = 0; i < n; i++) {
        pe_str w = i ? p->argv[j + i] : first;
        d[o++] = ' ';
        memcpy(d + o, w.s, w.len);
        o += w.len;
        pe_str s = {d, o};
        sh_strs_add(c, &c->subs, s, 1);
    }
}

/* Variables the command is given (NAME=value before it, env NAME=value,
 * export NAME=value): recorded, and those that carry code or a file to
 * run are followed (carriers.c). */
static void env_facts(sh_ctx *c, const sh_cmd *sc)
{
    const pe_shell_cmd *k = &sc->pub;
    size_t first = k->argc ? (size_t)(k->argv - k->words) : k->nwords;
    int exports = k->argc && (sh_eq(k->base, "export") || sh_eq(k->base, "declare") ||
                              sh_eq(k->base, "typeset"));
    for (size_t j = 0; j < k->nwords; j++) {
        pe_str w = k->words[j];
        unsigned f = k->wordf[j];
        int given = k->argc && j < first && (f & PE_SHELL_W_ASSIGN);
        int exported = exports && j > first && memchr(w.s, '=', w.len) && w.s[0] != '-';
        if (!given && !exported)
            continue;
        pe_str t;
        sh_expand(c, sc->scope, w, f, &t);
        sh_strs_add(c, &c->envs, t, 0);
        sh_carry_variable(c, sc, t, f);
    }
}

static int xargs_wrapped(const pe_shell_cmd *k)
{
    for (size_t w = 0; w < k->nwrappers; w++)
        if (sh_eq(k->wrappers[w], "xargs"))
            return 1;
    return 0;
}

void sh_facts(sh_ctx *c, size_t idx)
{
    long outer = c->facts_of;
    c->facts_of = (long)idx;
    c->cmds[idx].path_from = c->npaths;
    command_facts(c, idx);
    c->cmds[idx].path_to = c->npaths;
    c->facts_of = outer;
}

static void words_facts(sh_ctx *c, size_t idx);

static void command_facts(sh_ctx *c, size_t idx)
{
    int net_out = sh_redir_facts(c, &c->cmds[idx]);
    env_facts(c, &c->cmds[idx]);
    const sh_cmd *sc = &c->cmds[idx];
    if (sc->pub.argc && !(sc->pub.flags & PE_SHELL_C_RESOLVED) && !c->stop)
        words_facts(c, idx);
    if (net_out && !c->stop)
        sh_output_to_network(c, idx);
    sh_net_pipeline(c, idx);
}

/* What the words of command idx say, against its knowledge row. */
static void words_facts(sh_ctx *c, size_t idx)
{
    const sh_cmd *sc = &c->cmds[idx];
    const sh_know *k =
        (sc->pub.argf[0] & PE_SHELL_W_UNKNOWN_NAME) ? NULL : sh_know_find(sc->pub.base);
    sh_walk wk;
    memset(&wk, 0, sizeof(wk));
    wk.w = sh_where_of(c, sc->scope);
    if (sc->chdir.len) /* env -C DIR cmd */
        wk.w = sh_where_enter(c, sc->scope, wk.w, sc->chdir, sc->chdir_flags);
    if (k && xargs_wrapped(&sc->pub) && k->operands != OP_NONE && k->operands != OP_URL) {
        /* arguments from xargs' input: files not known here */
        static const unsigned role_of[] = {[OP_READ] = PE_SHELL_P_READ,
                                           [OP_WRITE] = PE_SHELL_P_WRITE,
                                           [OP_DELETE] = PE_SHELL_P_DELETE,
                                           [OP_EDIT] = PE_SHELL_P_READ | PE_SHELL_P_WRITE,
                                           [OP_LIST] = PE_SHELL_P_LIST,
                                           [OP_COPY] = PE_SHELL_P_READ,
                                           [OP_MOVE] = PE_SHELL_P_READ | PE_SHELL_P_DELETE,
                                           [OP_FIRST] = PE_SHELL_P_READ,
                                           [OP_IO] = PE_SHELL_P_READ,
                                           [OP_EXEC] = PE_SHELL_P_EXEC};
        pe_str input = {SH_XARGS_INPUT, sizeof(SH_XARGS_INPUT) - 1};
        unsigned inf = PE_SHELL_W_CMDSUB;
        int from = sh_xargs_source(c, idx, &input, &inf);
        if (from != 2) /* known input: the command is analysed again with it */
            sh_path_in(c, sc->scope, wk.w, input, inf, role_of[k->operands]);
        sc = &c->cmds[idx];
    }
    if (k) {
        walk_words(c, sc, k, &wk, 1);
        if (k->flags & K_SUBS)
            subcommand(c, idx, k, &wk);
        sc = &c->cmds[idx];
        if (!(k->flags & K_SPECIAL) || !sh_special(c, idx, k, &wk))
            sh_operand_roles(c, &c->cmds[idx], k, &wk, k->operands);
        sc = &c->cmds[idx];
        if (k->operands == OP_URL && !(k->flags & K_SPECIAL))
            sh_lookup_words(c, sc, k, &wk);
        if (strcmp(k->name, "ztcp") == 0) { /* zsh: the connection's fd is in $REPLY */
            c->net_fd_var = 1;
            for (size_t j = 1; j < sc->pub.argc; j++)
                if (sh_eq(sc->pub.argv[j], "-l"))
                    c->flags |= PE_SHELL_LISTEN;
        }
    } else {
        for (size_t j = 1; j < sc->pub.argc; j++)
            wk.ops[wk.nops < 64 ? wk.nops++ : 63] = j;
    }
    sc = &c->cmds[idx];
    /* URLs among any command's operands, but for data (echo's words, a
     * grep pattern) */
    size_t data = k && k->skip && !wk.skip_given ? k->skip : 0;
    if (!k || !(k->flags & (K_SPECIAL | K_DATA)))
        for (size_t i = data; i < wk.nops; i++)
            if (sh_is_url(sc->pub.argv[wk.ops[i]]))
                sh_net_word(c, sc->scope, sc->pub.argv[wk.ops[i]], sc->pub.argf[wk.ops[i]],
                            PE_URL_WEB);
    sh_carry_command(c, idx, k, &wk);
}
