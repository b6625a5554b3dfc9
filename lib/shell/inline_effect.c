/*
 * Arguments of a call (positional, keyword, options objects) and the
 * effect of each API how (inline_internal.h): the commands run, the files
 * read, written and deleted, the hosts connected to, from literal values.
 */
#include <string.h>

#include "prempti/common.h"
#include "shell/inline_internal.h"

/* ---- arguments ------------------------------------------------------------------------- */

/* A keyword at the start of [b, e): name= (Python, R), name: (Ruby, PHP),
 * name => (Perl, Ruby). Returns the token after it, or b. */
static size_t keyword(const inl_ctx *c, size_t b, size_t e, pe_str *kw)
{
    if (b + 1 >= e || !(c->t[b].type == T_IDENT || c->t[b].type == T_STR))
        return b;
    const inl_tok *op = &c->t[b + 1];
    pe_lang l = c->L->lang;
    int ok =
        ((l == PE_LANG_PYTHON || l == PE_LANG_R) && inl_is_p(op, "=")) ||
        ((l == PE_LANG_RUBY || l == PE_LANG_PHP) && inl_is_p(op, ":") && !(op->flags & TF_SPACE)) ||
        ((l == PE_LANG_PERL || l == PE_LANG_RUBY || l == PE_LANG_PHP) && inl_is_p(op, "=>"));
    if (!ok)
        return b;
    *kw = c->t[b].type == T_STR ? c->t[b].val : c->t[b].text;
    return b + 2;
}

int inl_split_args(inl_ctx *c, size_t b, size_t e, inl_args *a)
{
    size_t cap = 1;
    for (size_t i = b; i < e; i = inl_skip(c, i))
        cap += inl_is_p(&c->t[i], ",");
    a->n = 0;
    a->b = inl_alloc(c, cap * sizeof(size_t));
    a->e = inl_alloc(c, cap * sizeof(size_t));
    a->kw = inl_alloc(c, cap * sizeof(pe_str));
    if (!a->b || !a->e || !a->kw)
        return -1;
    for (size_t i = b; i < e;) {
        size_t j = i;
        while (j < e && !inl_is_p(&c->t[j], ","))
            j = inl_skip(c, j);
        while (i < j && c->t[i].type == T_NL)
            i++;
        if (j > i) {
            a->kw[a->n].s = NULL;
            a->kw[a->n].len = 0;
            a->b[a->n] = keyword(c, i, j, &a->kw[a->n]);
            a->e[a->n++] = j;
        }
        i = j + 1;
    }
    return 0;
}

static int kw_is(pe_str kw, const char *alts)
{
    while (kw.s && alts && *alts) {
        size_t n = strcspn(alts, "|");
        if (n == kw.len && memcmp(alts, kw.s, n) == 0)
            return 1;
        alts += n + (alts[n] == '|');
    }
    return 0;
}

/* The index of an argument by keyword (alts) or position (-4: the last
 * positional one); SIZE_MAX when absent. */
size_t inl_arg_index(const inl_args *a, int pos, const char *alts)
{
    for (size_t i = 0; alts && i < a->n; i++)
        if (kw_is(a->kw[i], alts))
            return i;
    size_t seen = 0, last = SIZE_MAX;
    for (size_t i = 0; i < a->n; i++) {
        if (a->kw[i].s)
            continue;
        if (pos >= 0 && seen == (size_t)pos)
            return i;
        seen++;
        last = i;
    }
    return pos == -4 ? last : SIZE_MAX;
}

inl_val inl_none(void)
{
    inl_val v;
    memset(&v, 0, sizeof(v));
    v.flags = VF_DYN;
    v.s.s = "";
    return v;
}

/* The value of a key in an object or hash literal argument ({shell: true},
 * {host = "x"}, array('k' => v)), or in a keyword argument. */
int inl_option(inl_ctx *c, const inl_args *a, const char *alts, inl_val *v)
{
    size_t k = inl_arg_index(a, -1, alts);
    if (k != SIZE_MAX) {
        *v = inl_eval(c, a->b[k], a->e[k]);
        return 1;
    }
    for (size_t i = 0; alts && i < a->n; i++) {
        const inl_tok *t = &c->t[a->b[i]];
        if (!inl_is_p(t, "{") || !t->match)
            continue;
        for (size_t j = a->b[i] + 1; j + 2 <= t->match; j = inl_skip(c, j)) {
            const inl_tok *key = &c->t[j], *op = &c->t[j + 1];
            pe_str kw = key->type == T_STR ? key->val : key->text;
            if ((key->type == T_IDENT || key->type == T_STR) &&
                (inl_is_p(op, ":") || inl_is_p(op, "=") || inl_is_p(op, "=>")) && kw_is(kw, alts)) {
                size_t end = j + 2;
                while (end < t->match && !inl_is_p(&c->t[end], ","))
                    end = inl_skip(c, end);
                *v = inl_eval(c, j + 2, end);
                return 1;
            }
        }
    }
    *v = inl_none();
    return 0;
}

inl_val inl_arg(inl_ctx *c, const inl_args *a, int pos, const char *alts, const inl_val *recv)
{
    if (pos == -2 || pos == -3) { /* the receiver's first argument, or the receiver */
        inl_val nothing = inl_none();
        nothing.flags = 0;
        if (pos == -2)
            return recv && recv->arg ? *recv->arg : nothing;
        return recv && recv->kind != V_PATH ? *recv : nothing;
    }
    size_t k = inl_arg_index(a, pos, alts);
    inl_val v;
    if (k != SIZE_MAX && inl_is_p(&c->t[a->b[k]], "{") && alts && inl_option(c, a, alts, &v))
        return v; /* axios({url: "..."}) */
    if (k != SIZE_MAX)
        return inl_eval(c, a->b[k], a->e[k]);
    if (alts && inl_option(c, a, alts, &v))
        return v;
    v = inl_none();
    v.flags = 0; /* absent: not an unknown value */
    return v;
}

int inl_absent(const inl_val *v)
{
    return v->kind == V_NONE && !(v->flags & VF_DYN);
}

/* ---- effects ---------------------------------------------------------------------------- */

static void inl_add_run(inl_ctx *c, const inl_val *v, const char *api, size_t off, unsigned flags)
{
    if (inl_absent(v))
        return;
    inl_val text = *v;
    if (v->kind == V_LIST) {
        pe_str s;
        int dyn;
        if (inl_argv_text(c, v, 0, &s, &dyn) != 0)
            return;
        text = inl_str_val(c, s.s, s.len, dyn ? VF_DYN : 0);
    }
    inl_add(c, PE_INLINE_RUN, &text, api, off, flags);
}

/* An argv: program then the values of a list (from index from). */
static void inl_add_argv(inl_ctx *c, const inl_val *prog, const inl_val *list, size_t from,
                         const char *api, size_t off, unsigned flags)
{
    size_t n = list && list->kind == V_LIST ? list->n : list && list->kind != V_NONE ? 1 : 0;
    inl_val all = inl_none();
    all.kind = V_LIST;
    all.flags = (list && (list->flags & VF_DYN)) ? VF_DYN : 0;
    all.items = inl_alloc(c, (n + 2) * sizeof(inl_val));
    if (!all.items)
        return;
    if (prog)
        all.items[all.n++] = *prog;
    for (size_t i = from; list && list->kind == V_LIST && i < list->n; i++)
        all.items[all.n++] = list->items[i];
    if (list && list->kind != V_LIST && list->kind != V_NONE)
        all.items[all.n++] = *list;
    inl_add_run(c, &all, api, off, flags | PE_INLINE_I_ARGV);
}

static int truthy(const inl_val *v)
{
    return (v->kind == V_BOOL && (v->flags & VF_TRUE)) ||
           (v->kind == V_NUM && v->s.len == 1 && v->s.s[0] == '1');
}

static int inl_looks_url(const inl_val *v)
{
    if (v->kind != V_STR)
        return 0;
    const char *p = strstr(v->s.s, "://");
    if (!p || p == v->s.s)
        return 0;
    for (const char *q = v->s.s; q < p; q++)
        if (!((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z') && *q != '+' && *q != '-' && *q != '.')
            return 0;
    return !(p - v->s.s == 4 && memcmp(v->s.s, "file", 4) == 0);
}

static void add_path(inl_ctx *c, pe_inline_kind kind, const inl_val *v, const inl_api *api,
                     size_t off)
{
    if ((api->feat & F_URL) && inl_looks_url(v)) {
        c->flags |= PE_INLINE_NETWORK;
        if (api->feat & F_EXEC) /* source("https://..."): runs what it fetches */
            c->flags |= PE_INLINE_DYNAMIC_EXEC;
        inl_add(c, PE_INLINE_CONNECT, v, api->name, off, PE_INLINE_I_URL);
        return;
    }
    if (api->feat & F_URLONLY) /* curl_setopt($h, CURLOPT_TIMEOUT, 5): not a URL */
        return;
    if (v->kind == V_LIST) {
        for (size_t i = 0; i < v->n; i++)
            add_path(c, kind, &v->items[i], api, off);
        return;
    }
    if (v->kind == V_BOOL || v->kind == V_PATH || inl_absent(v))
        return;
    inl_add(c, kind, v, api->name, off, 0);
}

static void effect_open(inl_ctx *c, const inl_api *api, const inl_val *path, const inl_val *mode,
                        size_t off)
{
    if (path->kind == V_STR && path->s.len && path->s.s[0] == '|') { /* Ruby/Perl open("|cmd") */
        inl_val cmd = inl_str_val(c, path->s.s + 1, path->s.len - 1, path->flags);
        inl_add(c, PE_INLINE_RUN, &cmd, api->name, off, 0);
        return;
    }
    int write = 0;
    if (mode->kind == V_STR)
        write = strpbrk(mode->s.s, "wax+") != NULL || (mode->flags & VF_DYN);
    else if (mode->kind != V_NONE || (mode->flags & VF_DYN && mode->s.len))
        write = 1;
    add_path(c, write ? PE_INLINE_WRITE : PE_INLINE_READ, path, api, off);
}

/* Perl's open: 3 arguments (FH, MODE, EXPR...) or 2 (FH, "MODE EXPR"). */
static void effect_perl_open(inl_ctx *c, const inl_api *api, const inl_args *a, size_t off)
{
    if (a->n < 2)
        return;
    const inl_tok *fh = &c->t[a->b[0]];
    pe_str h = fh->text; /* the handle, as written (not NUL-terminated) */
    int std = (fh->type == T_IDENT || fh->type == T_VAR) && h.len >= 5 &&
              (memcmp(h.s, "STDIN", 5) == 0 ||
               (h.len >= 6 && (memcmp(h.s, "STDOUT", 6) == 0 || memcmp(h.s, "STDERR", 6) == 0)));
    inl_val m = inl_eval(c, a->b[1], a->e[1]);
    if (std && m.kind == V_STR && strchr(m.s.s, '&'))
        c->feat |= F_REDIRECT;
    if (a->n >= 3) {
        const char *ms = m.kind == V_STR ? m.s.s : "";
        if (strcmp(ms, "-|") == 0 || strcmp(ms, "|-") == 0) {
            inl_val first = inl_eval(c, a->b[2], a->e[2]);
            if (a->n == 3) {
                inl_add_run(c, &first, api->name, off, 0);
                return;
            }
            inl_val list = inl_none();
            list.kind = V_LIST;
            list.flags = 0;
            list.items = inl_alloc(c, a->n * sizeof(inl_val));
            for (size_t i = 3; list.items && i < a->n; i++)
                list.items[list.n++] = inl_eval(c, a->b[i], a->e[i]);
            inl_add_argv(c, &first, &list, 0, api->name, off, 0);
            return;
        }
        inl_val p = inl_eval(c, a->b[2], a->e[2]);
        int write = m.kind != V_STR || strpbrk(ms, ">+") != NULL;
        add_path(c, write ? PE_INLINE_WRITE : PE_INLINE_READ, &p, api, off);
        return;
    }
    if (m.kind != V_STR)
        return;
    const char *s = m.s.s, *end = s + m.s.len;
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    if (s < end && (*s == '|' || end[-1] == '|')) {
        const char *cs = *s == '|' ? s + 1 : s, *ce = *s == '|' ? end : end - 1;
        while (cs < ce && (*cs == ' ' || *cs == '\t'))
            cs++;
        while (ce > cs && (ce[-1] == ' ' || ce[-1] == '\t'))
            ce--;
        inl_val cmd = inl_str_val(c, cs, (size_t)(ce - cs), m.flags);
        inl_add(c, PE_INLINE_RUN, &cmd, api->name, off, 0);
        return;
    }
    if (end - s >= 2 && (s[0] == '<' || s[0] == '>' || s[0] == '+') && memchr(s, '&', 3))
        return; /* a dup of another handle: >&S */
    pe_inline_kind kind = PE_INLINE_READ;
    if (s < end && (*s == '>' || *s == '+'))
        kind = PE_INLINE_WRITE;
    while (s < end && inl_in("<>+& \t", *s))
        s++;
    inl_val p = inl_str_val(c, s, (size_t)(end - s), m.flags);
    add_path(c, kind, &p, api, off);
}

/* H_URL with an options object (Node's http.request({host, port, path})). */
static void effect_url(inl_ctx *c, const inl_api *api, const inl_args *a, const inl_val *recv,
                       size_t off)
{
    inl_val u = inl_arg(c, a, api->a1, api->kw1, recv);
    if (u.kind == V_PATH && u.arg && u.arg->kind == V_STR) /* urlopen(Request("http://..")) */
        u = *u.arg;
    if (u.kind == V_STR || (u.flags & VF_DYN && u.kind != V_NONE)) {
        inl_add(c, PE_INLINE_CONNECT, &u, api->name, off, PE_INLINE_I_URL);
    } else {
        inl_val host, port;
        int h = inl_option(c, a, "host|hostname|Host|HostName", &host);
        int p = inl_option(c, a, "port|Port", &port);
        if (h || p)
            inl_add_connect(c, h ? &host : NULL, p ? &port : NULL, api->name, off);
        else if (!inl_absent(&u))
            inl_add(c, PE_INLINE_CONNECT, &u, api->name, off, PE_INLINE_I_URL);
    }
    if (api->a2 >= 0 || api->kw2) {
        inl_val dest = inl_arg(c, a, api->a2, api->kw2, NULL);
        add_path(c, PE_INLINE_WRITE, &dest, api, off);
    }
}

/* A (host, port) pair, "host:port", or a host and a port. */
static void effect_addr(inl_ctx *c, const inl_api *api, const inl_args *a, const inl_val *recv,
                        size_t off)
{
    inl_val x = inl_arg(c, a, api->a1, api->kw1, recv), port = inl_none();
    if (api->feat & F_PAIR && x.kind != V_LIST)
        return; /* conn.connect("x.db") is not a socket */
    if (inl_absent(&x) && api->how != H_PORTHOST)
        return;
    if (api->how == H_ADDR && x.kind == V_LIST && x.n >= 2) {
        inl_add_connect(c, &x.items[0], &x.items[1], api->name, off);
        return;
    }
    if (api->how == H_ADDR && x.kind == V_STR && inl_looks_url(&x)) {
        inl_add(c, PE_INLINE_CONNECT, &x, api->name, off, PE_INLINE_I_URL);
        return;
    }
    if (api->how == H_PORTHOST) {
        inl_val host = inl_none();
        if (inl_option(c, a, "host|hostname", &host) | inl_option(c, a, "port", &port)) {
            inl_add_connect(c, &host, &port, api->name, off);
            return;
        }
        host = inl_arg(c, a, api->a2, NULL, recv);
        if (host.kind == V_NONE && !(host.flags & VF_DYN && a->n > 1))
            host = inl_str_val(c, "localhost", 9, 0);
        inl_add_connect(c, &host, &x, api->name, off);
        return;
    }
    if (api->a2 >= 0 || api->kw2)
        port = inl_arg(c, a, api->a2, api->kw2, recv);
    inl_add_connect(c, &x, api->a2 >= 0 || api->kw2 ? &port : NULL, api->name, off);
}

static void effect_run(inl_ctx *c, const inl_api *api, const inl_args *a, const inl_val *recv,
                       size_t off)
{
    unsigned fl = api->feat & F_ELEVATE ? PE_INLINE_I_ELEVATED : 0;
    const inl_tok *after = a->close + 1 < c->nt ? &c->t[a->close + 1] : NULL;
    if (after && after->type == T_IDENT && after->val.len && strcmp(after->val.s, ELEVATED) == 0)
        fl |= PE_INLINE_I_ELEVATED;
    inl_val x = inl_arg(c, a, api->a1, api->kw1, recv);
    switch (api->how) {
    case H_SHELL:
        inl_add_run(c, &x, api->name, off, fl);
        break;
    case H_CMD:
        if (x.kind == V_LIST)
            inl_add_argv(c, NULL, &x, 0, api->name, off, fl);
        else
            inl_add_run(c, &x, api->name, off, fl);
        break;
    case H_POPEN: {
        inl_val sh;
        inl_option(c, a, api->kw2 ? api->kw2 : "shell", &sh);
        if (x.kind == V_LIST && truthy(&sh) && x.n)
            inl_add_run(c, &x.items[0], api->name, off, fl);
        else if (x.kind == V_LIST || !truthy(&sh))
            inl_add_argv(c, NULL, &x, 0, api->name, off, fl);
        else
            inl_add_run(c, &x, api->name, off, fl);
        break;
    }
    case H_SPAWN: {
        inl_val list = inl_arg(c, a, api->a2, api->kw2, recv), sh;
        inl_option(c, a, "shell", &sh);
        if (list.kind != V_LIST && inl_arg_index(a, api->a2, api->kw2) != SIZE_MAX &&
            c->t[a->b[inl_arg_index(a, api->a2, api->kw2)]].type == T_PUNCT)
            list.kind = V_NONE, list.flags = 0; /* an options object, not arguments */
        if (x.kind == V_LIST && list.kind != V_LIST)
            inl_add_argv(c, NULL, &x, 0, api->name, off, fl);
        else if (truthy(&sh)) {
            inl_val all = inl_none();
            all.kind = V_LIST;
            all.flags = x.flags | list.flags;
            all.items = inl_alloc(c, (list.n + 1) * sizeof(inl_val));
            if (!all.items)
                return;
            all.items[all.n++] = x;
            for (size_t i = 0; list.kind == V_LIST && i < list.n; i++)
                all.items[all.n++] = list.items[i];
            inl_val sp = inl_str_val(c, " ", 1, 0);
            inl_val text = inl_transform(c, X_JOIN, &sp, &all, 1);
            inl_add_run(c, &text, api->name, off, fl);
        } else {
            inl_add_argv(c, &x, inl_absent(&list) ? NULL : &list, 0, api->name, off, fl);
        }
        break;
    }
    case H_SYSTEM: {
        size_t first = api->a1 > 0 ? (size_t)api->a1 : 0; /* open3($in, $out, $err, cmd..) */
        while (first < a->n && inl_is_p(&c->t[a->b[first]], "{")) /* Ruby's env hash */
            first++;
        if (first >= a->n)
            break;
        inl_val p = inl_eval(c, a->b[first], a->e[first]);
        if (a->n - first == 1 && p.kind != V_LIST) {
            inl_add_run(c, &p, api->name, off, fl);
            break;
        }
        inl_val list = inl_none();
        list.kind = V_LIST;
        list.flags = 0;
        list.items = inl_alloc(c, a->n * sizeof(inl_val));
        for (size_t i = first + 1; list.items && i < a->n; i++)
            list.items[list.n++] = inl_eval(c, a->b[i], a->e[i]);
        if (p.kind == V_LIST)
            inl_add_argv(c, NULL, &p, 0, api->name, off, fl);
        else
            inl_add_argv(c, &p, &list, 0, api->name, off, fl);
        break;
    }
    case H_EXECV:
    case H_EXECA: {
        inl_val list = inl_arg(c, a, api->a2, api->kw2, recv);
        inl_add_argv(c, &x, &list, api->how == H_EXECV ? 1 : 0, api->name, off, fl);
        break;
    }
    case H_EXECL:
    case H_REST: {
        inl_val list = inl_none();
        list.kind = V_LIST;
        list.flags = 0;
        list.items = inl_alloc(c, (a->n + 1) * sizeof(inl_val));
        size_t from = api->how == H_EXECL ? (size_t)api->a2 + 1 : (size_t)api->a1 + 1;
        for (size_t i = from; list.items && i < a->n; i++)
            list.items[list.n++] = inl_eval(c, a->b[i], a->e[i]);
        inl_add_argv(c, &x, &list, 0, api->name, off, fl);
        break;
    }
    case H_FORK: {
        inl_val node = inl_str_val(c, "node", 4, 0), list = inl_arg(c, a, 1, NULL, recv);
        inl_val all = inl_none();
        all.kind = V_LIST;
        all.flags = list.flags & VF_DYN;
        all.items = inl_alloc(c, (list.n + 2) * sizeof(inl_val));
        if (!all.items)
            return;
        all.items[all.n++] = x;
        for (size_t i = 0; list.kind == V_LIST && i < list.n; i++)
            all.items[all.n++] = list.items[i];
        inl_add_argv(c, &node, &all, 0, api->name, off, fl);
        break;
    }
    default:
        break;
    }
}

void inl_effect(inl_ctx *c, const inl_api *api, const inl_args *a, const inl_val *recv, size_t off)
{
    if (api->feat & F_PAIR) { /* conn.connect("x.db") is not a socket */
        inl_val x = inl_arg(c, a, api->a1, api->kw1, recv);
        if (x.kind != V_LIST)
            return;
    }
    c->feat |= api->feat;
    if (api->feat & F_SOCKET)
        c->flags |= PE_INLINE_SOCKET | PE_INLINE_NETWORK;
    if (api->feat & F_NET)
        c->flags |= PE_INLINE_NETWORK;
    switch (api->how) {
    case H_SHELL:
    case H_CMD:
    case H_POPEN:
    case H_SPAWN:
    case H_SYSTEM:
    case H_EXECV:
    case H_EXECA:
    case H_EXECL:
    case H_REST:
    case H_FORK:
        effect_run(c, api, a, recv, off);
        break;
    case H_PATH: {
        inl_val p = inl_arg(c, a, api->a1, api->kw1, recv);
        if (inl_arg_index(a, api->a1, api->kw1) != SIZE_MAX || api->a1 < -1)
            add_path(c, (pe_inline_kind)api->kind, &p, api, off);
        break;
    }
    case H_PATHS:
        for (size_t i = (size_t)api->a1; i < a->n; i++) {
            inl_val p = inl_eval(c, a->b[i], a->e[i]);
            if (!a->kw[i].s)
                add_path(c, (pe_inline_kind)api->kind, &p, api, off);
        }
        break;
    case H_OPEN: {
        inl_val p = inl_arg(c, a, api->a1, api->kw1, recv),
                m = inl_arg(c, a, api->a2, api->kw2, recv);
        if (inl_arg_index(a, api->a2, api->kw2) == SIZE_MAX)
            m = inl_str_val(c, "r", 1, 0);
        effect_open(c, api, &p, &m, off);
        break;
    }
    case H_OSOPEN: {
        inl_val p = inl_arg(c, a, api->a1, api->kw1, recv);
        size_t k = inl_arg_index(a, api->a2, api->kw2);
        int write = 0;
        for (size_t i = k == SIZE_MAX ? 0 : a->b[k]; k != SIZE_MAX && i < a->e[k]; i++)
            write |= inl_is_id(&c->t[i], "O_WRONLY") || inl_is_id(&c->t[i], "O_RDWR") ||
                     inl_is_id(&c->t[i], "O_CREAT") || inl_is_id(&c->t[i], "O_TRUNC") ||
                     inl_is_id(&c->t[i], "O_APPEND") || c->t[i].type == T_NUM;
        add_path(c, write ? PE_INLINE_WRITE : PE_INLINE_READ, &p, api, off);
        break;
    }
    case H_COPY:
    case H_MOVE: {
        inl_val s = inl_arg(c, a, api->a1, api->kw1, recv),
                d = inl_arg(c, a, api->a2, api->kw2, recv);
        add_path(c, api->how == H_COPY ? PE_INLINE_READ : PE_INLINE_DELETE, &s, api, off);
        add_path(c, PE_INLINE_WRITE, &d, api, off);
        break;
    }
    case H_URL:
        c->flags |= PE_INLINE_NETWORK;
        effect_url(c, api, a, recv, off);
        break;
    case H_HOSTPORT:
    case H_PORTHOST:
    case H_ADDR:
        c->flags |= PE_INLINE_NETWORK;
        effect_addr(c, api, a, recv, off);
        break;
    case H_EVAL: {
        size_t k = api->a1 == -4 ? inl_arg_index(a, -4, NULL) : inl_arg_index(a, api->a1, api->kw1);
        if (k == SIZE_MAX)
            break;
        inl_val code = inl_eval(c, a->b[k], a->e[k]);
        if ((api->feat & F_STRONLY) && c->t[a->b[k]].type != T_STR && !inl_literal(&code))
            break; /* setTimeout(() => .., 10): a function, not code in a string */
        inl_eval_code(c, &code, off);
        break;
    }
    case H_PERLOPEN:
        effect_perl_open(c, api, a, off);
        break;
    case H_DECODE:
        c->flags |= PE_INLINE_DECODE;
        break;
    default:
        break;
    }
}
