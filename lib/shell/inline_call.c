/*
 * Names and calls: a chain (`a.b(c).d[e](f)`) is resolved to a dotted
 * name through the bindings, each call in it is looked up in the API
 * table, and a known API's effect is recorded from its literal arguments
 * (the hows of inline_internal.h). The same chains give values to
 * expressions (inl_chain_value), without recording anything.
 */
#include <string.h>

#include "prempti/common.h"
#include "shell/inline_internal.h"

#define NAME_MAX_LEN 255
#define ELEVATED     "with administrator privileges" /* AppleScript */

typedef struct name_buf {
    char s[NAME_MAX_LEN + 1];
    size_t n;
    int ok; /* the name means something (no dynamic part, no overflow) */
} name_buf;

/* Arguments of one call: token ranges, and keyword names. */
typedef struct call_args {
    size_t n;
    size_t *b, *e;
    pe_str *kw;
    size_t open, close; /* the brackets; open == close for a call without them */
} call_args;

static int is_p(const inl_tok *t, const char *p)
{
    return t->type == T_PUNCT && t->text.len == strlen(p) && memcmp(t->text.s, p, t->text.len) == 0;
}

static int is_id(const inl_tok *t, const char *w)
{
    return t->type == T_IDENT && t->text.len == strlen(w) && memcmp(t->text.s, w, t->text.len) == 0;
}

size_t inl_skip(const inl_ctx *c, size_t i)
{
    const inl_tok *t = &c->t[i];
    int opens = t->type == T_EMB_OPEN ||
                (t->type == T_PUNCT && t->text.len == 1 && inl_in("([{", t->text.s[0]));
    if (opens && t->match > i)
        return t->match < c->nt ? t->match + 1 : c->nt;
    return i + 1;
}

static pe_str tok_name(const inl_tok *t)
{
    return t->val.len && t->type == T_IDENT ? t->val : t->text;
}

/* Copies a name, lower-cased for case-insensitive languages, with Perl's
 * Package::name written Package.name. */
static void name_set(const inl_ctx *c, name_buf *nm, const char *s, size_t n)
{
    nm->n = 0;
    nm->ok = n <= NAME_MAX_LEN;
    for (size_t i = 0; i < n && nm->ok; i++) {
        if (s[i] == ':' && i + 1 < n && s[i + 1] == ':' && c->L->lang == PE_LANG_PERL) {
            nm->s[nm->n++] = '.';
            i++;
            continue;
        }
        nm->s[nm->n++] =
            (c->L->opts & L_CI) && s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] | 0x20) : s[i];
    }
    nm->s[nm->n] = '\0';
}

static void name_add(const inl_ctx *c, name_buf *nm, const char *s, size_t n)
{
    if (nm->n + 1 + n > NAME_MAX_LEN) { /* longer than any API name: it cannot match */
        nm->ok = 0;
        return;
    }
    nm->s[nm->n++] = '.';
    for (size_t i = 0; i < n; i++)
        nm->s[nm->n++] =
            (c->L->opts & L_CI) && s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] | 0x20) : s[i];
    nm->s[nm->n] = '\0';
}

/* Member access operators of each language. */
static int is_member(const inl_ctx *c, const inl_tok *t)
{
    if (t->type != T_PUNCT)
        return 0;
    switch (c->L->lang) {
    case PE_LANG_PYTHON:
        return is_p(t, ".");
    case PE_LANG_JS:
        return is_p(t, ".") || is_p(t, "?.");
    case PE_LANG_PERL:
        return is_p(t, "->") || is_p(t, "::");
    case PE_LANG_RUBY:
        return is_p(t, ".") || is_p(t, "::") || is_p(t, "&.");
    case PE_LANG_PHP:
        return is_p(t, "->") || is_p(t, "::") || is_p(t, "?->") || is_p(t, "\\");
    case PE_LANG_LUA:
        return is_p(t, ".") || is_p(t, ":");
    case PE_LANG_R:
        return is_p(t, "::") || is_p(t, ":::") || is_p(t, "$") || is_p(t, "@");
    case PE_LANG_POWERSHELL:
        return is_p(t, ".") || is_p(t, "::");
    default:
        return 0;
    }
}

static int is_name_tok(const inl_tok *t)
{
    return t->type == T_IDENT || t->type == T_VAR || t->type == T_WORD;
}

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
        ((l == PE_LANG_PYTHON || l == PE_LANG_R) && is_p(op, "=")) ||
        ((l == PE_LANG_RUBY || l == PE_LANG_PHP) && is_p(op, ":") && !(op->flags & TF_SPACE)) ||
        ((l == PE_LANG_PERL || l == PE_LANG_RUBY || l == PE_LANG_PHP) && is_p(op, "=>"));
    if (!ok)
        return b;
    *kw = c->t[b].type == T_STR ? c->t[b].val : c->t[b].text;
    return b + 2;
}

static int split_args(inl_ctx *c, size_t b, size_t e, call_args *a)
{
    size_t cap = 1;
    for (size_t i = b; i < e; i = inl_skip(c, i))
        cap += is_p(&c->t[i], ",");
    a->n = 0;
    a->b = inl_alloc(c, cap * sizeof(size_t));
    a->e = inl_alloc(c, cap * sizeof(size_t));
    a->kw = inl_alloc(c, cap * sizeof(pe_str));
    if (!a->b || !a->e || !a->kw)
        return -1;
    for (size_t i = b; i < e;) {
        size_t j = i;
        while (j < e && !is_p(&c->t[j], ","))
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
static size_t arg_index(const call_args *a, int pos, const char *alts)
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

static inl_val none_val(void)
{
    inl_val v;
    memset(&v, 0, sizeof(v));
    v.flags = VF_DYN;
    v.s.s = "";
    return v;
}

/* The value of a key in an object or hash literal argument ({shell: true},
 * {host = "x"}, array('k' => v)), or in a keyword argument. */
static int option(inl_ctx *c, const call_args *a, const char *alts, inl_val *v)
{
    size_t k = arg_index(a, -1, alts);
    if (k != SIZE_MAX) {
        *v = inl_eval(c, a->b[k], a->e[k]);
        return 1;
    }
    for (size_t i = 0; alts && i < a->n; i++) {
        const inl_tok *t = &c->t[a->b[i]];
        if (!is_p(t, "{") || !t->match)
            continue;
        for (size_t j = a->b[i] + 1; j + 2 <= t->match; j = inl_skip(c, j)) {
            const inl_tok *key = &c->t[j], *op = &c->t[j + 1];
            pe_str kw = key->type == T_STR ? key->val : key->text;
            if ((key->type == T_IDENT || key->type == T_STR) &&
                (is_p(op, ":") || is_p(op, "=") || is_p(op, "=>")) && kw_is(kw, alts)) {
                size_t end = j + 2;
                while (end < t->match && !is_p(&c->t[end], ","))
                    end = inl_skip(c, end);
                *v = inl_eval(c, j + 2, end);
                return 1;
            }
        }
    }
    *v = none_val();
    return 0;
}

static inl_val arg(inl_ctx *c, const call_args *a, int pos, const char *alts, const inl_val *recv)
{
    if (pos == -2 || pos == -3) { /* the receiver's first argument, or the receiver */
        inl_val nothing = none_val();
        nothing.flags = 0;
        if (pos == -2)
            return recv && recv->arg ? *recv->arg : nothing;
        return recv && recv->kind != V_PATH ? *recv : nothing;
    }
    size_t k = arg_index(a, pos, alts);
    inl_val v;
    if (k != SIZE_MAX && is_p(&c->t[a->b[k]], "{") && alts && option(c, a, alts, &v))
        return v; /* axios({url: "..."}) */
    if (k != SIZE_MAX)
        return inl_eval(c, a->b[k], a->e[k]);
    if (alts && option(c, a, alts, &v))
        return v;
    v = none_val();
    v.flags = 0; /* absent: not an unknown value */
    return v;
}

static int absent(const inl_val *v)
{
    return v->kind == V_NONE && !(v->flags & VF_DYN);
}

/* ---- effects ---------------------------------------------------------------------------- */

static size_t off_of(const inl_ctx *c, size_t tok)
{
    return c->t[tok].off;
}

static void add_run_text(inl_ctx *c, const inl_val *v, const char *api, size_t off, unsigned flags)
{
    if (absent(v))
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
static void add_argv(inl_ctx *c, const inl_val *prog, const inl_val *list, size_t from,
                     const char *api, size_t off, unsigned flags)
{
    size_t n = list && list->kind == V_LIST ? list->n : list && list->kind != V_NONE ? 1 : 0;
    size_t extra =
        list && list->kind == V_NONE && (list->flags & VF_DYN) && list->s.len == 0 && list != prog;
    inl_val all = none_val();
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
    (void)extra;
    add_run_text(c, &all, api, off, flags | PE_INLINE_I_ARGV);
}

static int truthy(const inl_val *v)
{
    return (v->kind == V_BOOL && (v->flags & VF_TRUE)) ||
           (v->kind == V_NUM && v->s.len == 1 && v->s.s[0] == '1');
}

static int looks_url(const inl_val *v)
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
    if ((api->feat & F_URL) && looks_url(v)) {
        c->flags |= PE_INLINE_NETWORK;
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
    if (v->kind == V_BOOL || v->kind == V_PATH || absent(v))
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
static void effect_perl_open(inl_ctx *c, const inl_api *api, const call_args *a, size_t off)
{
    if (a->n < 2)
        return;
    const inl_tok *fh = &c->t[a->b[0]];
    int std =
        (fh->type == T_IDENT || fh->type == T_VAR) &&
        (strstr(fh->text.s, "STDIN") == fh->text.s || strstr(fh->text.s, "STDOUT") == fh->text.s ||
         strstr(fh->text.s, "STDERR") == fh->text.s);
    inl_val m = inl_eval(c, a->b[1], a->e[1]);
    if (std && m.kind == V_STR && strchr(m.s.s, '&'))
        c->feat |= F_REDIRECT;
    if (a->n >= 3) {
        const char *ms = m.kind == V_STR ? m.s.s : "";
        if (strcmp(ms, "-|") == 0 || strcmp(ms, "|-") == 0) {
            inl_val first = inl_eval(c, a->b[2], a->e[2]);
            if (a->n == 3) {
                add_run_text(c, &first, api->name, off, 0);
                return;
            }
            inl_val list = none_val();
            list.kind = V_LIST;
            list.flags = 0;
            list.items = inl_alloc(c, a->n * sizeof(inl_val));
            for (size_t i = 3; list.items && i < a->n; i++)
                list.items[list.n++] = inl_eval(c, a->b[i], a->e[i]);
            add_argv(c, &first, &list, 0, api->name, off, 0);
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
static void effect_url(inl_ctx *c, const inl_api *api, const call_args *a, const inl_val *recv,
                       size_t off)
{
    inl_val u = arg(c, a, api->a1, api->kw1, recv);
    if (u.kind == V_PATH && u.arg && u.arg->kind == V_STR) /* urlopen(Request("http://..")) */
        u = *u.arg;
    if (u.kind == V_STR || (u.flags & VF_DYN && u.kind != V_NONE)) {
        inl_add(c, PE_INLINE_CONNECT, &u, api->name, off, PE_INLINE_I_URL);
    } else {
        inl_val host, port;
        int h = option(c, a, "host|hostname|Host|HostName", &host);
        int p = option(c, a, "port|Port", &port);
        if (h || p)
            inl_add_connect(c, h ? &host : NULL, p ? &port : NULL, api->name, off);
        else if (!absent(&u))
            inl_add(c, PE_INLINE_CONNECT, &u, api->name, off, PE_INLINE_I_URL);
    }
    if (api->a2 >= 0 || api->kw2) {
        inl_val dest = arg(c, a, api->a2, api->kw2, NULL);
        add_path(c, PE_INLINE_WRITE, &dest, api, off);
    }
}

/* A (host, port) pair, "host:port", or a host and a port. */
static void effect_addr(inl_ctx *c, const inl_api *api, const call_args *a, const inl_val *recv,
                        size_t off)
{
    inl_val x = arg(c, a, api->a1, api->kw1, recv), port = none_val();
    if (api->feat & F_PAIR && x.kind != V_LIST)
        return; /* conn.connect("x.db") is not a socket */
    if (absent(&x) && api->how != H_PORTHOST)
        return;
    if (api->how == H_ADDR && x.kind == V_LIST && x.n >= 2) {
        inl_add_connect(c, &x.items[0], &x.items[1], api->name, off);
        return;
    }
    if (api->how == H_ADDR && x.kind == V_STR && looks_url(&x)) {
        inl_add(c, PE_INLINE_CONNECT, &x, api->name, off, PE_INLINE_I_URL);
        return;
    }
    if (api->how == H_PORTHOST) {
        inl_val host = none_val();
        if (option(c, a, "host|hostname", &host) | option(c, a, "port", &port)) {
            inl_add_connect(c, &host, &port, api->name, off);
            return;
        }
        host = arg(c, a, api->a2, NULL, recv);
        if (host.kind == V_NONE && !(host.flags & VF_DYN && a->n > 1))
            host = inl_str_val(c, "localhost", 9, 0);
        inl_add_connect(c, &host, &x, api->name, off);
        return;
    }
    if (api->a2 >= 0 || api->kw2)
        port = arg(c, a, api->a2, api->kw2, recv);
    inl_add_connect(c, &x, api->a2 >= 0 || api->kw2 ? &port : NULL, api->name, off);
}

static void effect_run(inl_ctx *c, const inl_api *api, const call_args *a, const inl_val *recv,
                       size_t off)
{
    unsigned fl = api->feat & F_ELEVATE ? PE_INLINE_I_ELEVATED : 0;
    const inl_tok *after = a->close + 1 < c->nt ? &c->t[a->close + 1] : NULL;
    if (after && after->type == T_IDENT && after->val.len && strcmp(after->val.s, ELEVATED) == 0)
        fl |= PE_INLINE_I_ELEVATED;
    inl_val x = arg(c, a, api->a1, api->kw1, recv);
    switch (api->how) {
    case H_SHELL:
        add_run_text(c, &x, api->name, off, fl);
        break;
    case H_CMD:
        if (x.kind == V_LIST)
            add_argv(c, NULL, &x, 0, api->name, off, fl);
        else
            add_run_text(c, &x, api->name, off, fl);
        break;
    case H_POPEN: {
        inl_val sh;
        option(c, a, api->kw2 ? api->kw2 : "shell", &sh);
        if (x.kind == V_LIST && truthy(&sh) && x.n)
            add_run_text(c, &x.items[0], api->name, off, fl);
        else if (x.kind == V_LIST || !truthy(&sh))
            add_argv(c, NULL, &x, 0, api->name, off, fl);
        else
            add_run_text(c, &x, api->name, off, fl);
        break;
    }
    case H_SPAWN: {
        inl_val list = arg(c, a, api->a2, api->kw2, recv), sh;
        option(c, a, "shell", &sh);
        if (list.kind != V_LIST && arg_index(a, api->a2, api->kw2) != SIZE_MAX &&
            c->t[a->b[arg_index(a, api->a2, api->kw2)]].type == T_PUNCT)
            list.kind = V_NONE, list.flags = 0; /* an options object, not arguments */
        if (x.kind == V_LIST && list.kind != V_LIST)
            add_argv(c, NULL, &x, 0, api->name, off, fl);
        else if (truthy(&sh)) {
            inl_val all = none_val();
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
            add_run_text(c, &text, api->name, off, fl);
        } else {
            add_argv(c, &x, absent(&list) ? NULL : &list, 0, api->name, off, fl);
        }
        break;
    }
    case H_SYSTEM: {
        size_t first = api->a1 > 0 ? (size_t)api->a1 : 0;     /* open3($in, $out, $err, cmd..) */
        while (first < a->n && is_p(&c->t[a->b[first]], "{")) /* Ruby's env hash */
            first++;
        if (first >= a->n)
            break;
        inl_val p = inl_eval(c, a->b[first], a->e[first]);
        if (a->n - first == 1 && p.kind != V_LIST) {
            add_run_text(c, &p, api->name, off, fl);
            break;
        }
        inl_val list = none_val();
        list.kind = V_LIST;
        list.flags = 0;
        list.items = inl_alloc(c, a->n * sizeof(inl_val));
        for (size_t i = first + 1; list.items && i < a->n; i++)
            list.items[list.n++] = inl_eval(c, a->b[i], a->e[i]);
        if (p.kind == V_LIST)
            add_argv(c, NULL, &p, 0, api->name, off, fl);
        else
            add_argv(c, &p, &list, 0, api->name, off, fl);
        break;
    }
    case H_EXECV:
    case H_EXECA: {
        inl_val list = arg(c, a, api->a2, api->kw2, recv);
        add_argv(c, &x, &list, api->how == H_EXECV ? 1 : 0, api->name, off, fl);
        break;
    }
    case H_EXECL:
    case H_REST: {
        inl_val list = none_val();
        list.kind = V_LIST;
        list.flags = 0;
        list.items = inl_alloc(c, (a->n + 1) * sizeof(inl_val));
        size_t from = api->how == H_EXECL ? (size_t)api->a2 + 1 : (size_t)api->a1 + 1;
        for (size_t i = from; list.items && i < a->n; i++)
            list.items[list.n++] = inl_eval(c, a->b[i], a->e[i]);
        add_argv(c, &x, &list, 0, api->name, off, fl);
        break;
    }
    case H_FORK: {
        inl_val node = inl_str_val(c, "node", 4, 0), list = arg(c, a, 1, NULL, recv);
        inl_val all = none_val();
        all.kind = V_LIST;
        all.flags = list.flags & VF_DYN;
        all.items = inl_alloc(c, (list.n + 2) * sizeof(inl_val));
        if (!all.items)
            return;
        all.items[all.n++] = x;
        for (size_t i = 0; list.kind == V_LIST && i < list.n; i++)
            all.items[all.n++] = list.items[i];
        add_argv(c, &node, &all, 0, api->name, off, fl);
        break;
    }
    default:
        break;
    }
}

static void effect(inl_ctx *c, const inl_api *api, const call_args *a, const inl_val *recv,
                   size_t off)
{
    if (api->feat & F_PAIR) { /* conn.connect("x.db") is not a socket */
        inl_val x = arg(c, a, api->a1, api->kw1, recv);
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
        inl_val p = arg(c, a, api->a1, api->kw1, recv);
        if (arg_index(a, api->a1, api->kw1) != SIZE_MAX || api->a1 < -1)
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
        inl_val p = arg(c, a, api->a1, api->kw1, recv), m = arg(c, a, api->a2, api->kw2, recv);
        if (arg_index(a, api->a2, api->kw2) == SIZE_MAX)
            m = inl_str_val(c, "r", 1, 0);
        effect_open(c, api, &p, &m, off);
        break;
    }
    case H_OSOPEN: {
        inl_val p = arg(c, a, api->a1, api->kw1, recv);
        size_t k = arg_index(a, api->a2, api->kw2);
        int write = 0;
        for (size_t i = k == SIZE_MAX ? 0 : a->b[k]; k != SIZE_MAX && i < a->e[k]; i++)
            write |= is_id(&c->t[i], "O_WRONLY") || is_id(&c->t[i], "O_RDWR") ||
                     is_id(&c->t[i], "O_CREAT") || is_id(&c->t[i], "O_TRUNC") ||
                     is_id(&c->t[i], "O_APPEND") || c->t[i].type == T_NUM;
        add_path(c, write ? PE_INLINE_WRITE : PE_INLINE_READ, &p, api, off);
        break;
    }
    case H_COPY:
    case H_MOVE: {
        inl_val s = arg(c, a, api->a1, api->kw1, recv), d = arg(c, a, api->a2, api->kw2, recv);
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
        size_t k = api->a1 == -4 ? arg_index(a, -4, NULL) : arg_index(a, api->a1, api->kw1);
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

/* ---- names and chains -------------------------------------------------------------------- */

static const inl_api *lookup(inl_ctx *c, const name_buf *nm)
{
    if (!nm->ok || !nm->n)
        return NULL;
    const inl_api *api = inl_api_find(c->L, nm->s, nm->n);
    const char *dot = memchr(nm->s, '.', nm->n);
    char buf[NAME_MAX_LEN + 64];
    for (size_t i = 0; !api && !dot && i < c->nstars; i++) {
        size_t sl = strlen(c->stars[i]);
        if (sl + 1 + nm->n >= sizeof(buf))
            continue;
        memcpy(buf, c->stars[i], sl);
        buf[sl] = '.';
        memcpy(buf + sl + 1, nm->s, nm->n);
        api = inl_api_find(c->L, buf, sl + 1 + nm->n);
    }
    if (!api && dot && c->L->lang == PE_LANG_R) /* pkg::fn: the function's own name */
        api = inl_api_find(c->L, dot + 1, (size_t)(nm->s + nm->n - dot - 1));
    if (!api && dot) {
        const char *last = nm->s + nm->n;
        while (last > nm->s && last[-1] != '.')
            last--;
        api = inl_api_find(c->L, last - 1, (size_t)(nm->s + nm->n - last) + 1);
    }
    return api;
}

/* The arguments of a call without parentheses: to the end of the statement. */
static size_t parenless_end(const inl_ctx *c, size_t i, size_t e)
{
    static const char *const stop[] = {"or", "and",  "if",   "unless",  "while", "until",
                                       "do", "then", "with", "without", "given", NULL};
    for (; i < e; i = inl_skip(c, i)) {
        const inl_tok *t = &c->t[i];
        if (t->type == T_NL || is_p(t, ";") || is_p(t, "}") || is_p(t, ")") || is_p(t, "]") ||
            is_p(t, "{") || t->type == T_EMB_CLOSE)
            return i;
        for (size_t k = 0; stop[k]; k++)
            if (i > 0 && is_id(t, stop[k]))
                return i;
        if (t->type == T_IDENT && t->val.len && strcmp(t->val.s, ELEVATED) == 0)
            return i;
    }
    return e;
}

/* Whether t ends a value, so that a '(' after it is a call's. */
static int ends_value(const inl_tok *t)
{
    return is_name_tok(t) || t->type == T_STR || is_p(t, ")") || is_p(t, "]") || is_p(t, "}");
}

static int ends_stmt(const inl_ctx *c, const inl_tok *t)
{
    return t->type == T_NL || t->type == T_END || t->type == T_EMB_CLOSE || is_p(t, ";") ||
           is_p(t, "}") || is_p(t, ")") ||
           (t->type == T_IDENT &&
            parenless_end(c, (size_t)(t - c->t), (size_t)(t - c->t) + 1) == (size_t)(t - c->t));
}

static int starts_value(const inl_tok *t)
{
    return t->type == T_STR || t->type == T_NUM || t->type == T_VAR || t->type == T_IDENT ||
           t->type == T_CMD || t->type == T_LIST || is_p(t, "[");
}

static void set_path(inl_val *v, const char *s, size_t n, inl_ctx *c)
{
    inl_val p = inl_str_val(c, s, n, 0);
    p.kind = V_PATH;
    p.arg = v->arg;
    *v = p;
}

/* Calls the API (or the value-only function) found for a chain link. */
static inl_val do_call(inl_ctx *c, const inl_api *api, name_buf *nm, const inl_val *recv,
                       call_args *a, int report, size_t off, int hops);

static inl_val dispatch(inl_ctx *c, name_buf *nm, const inl_val *recv, call_args *a, int report,
                        size_t off, int hops)
{
    const inl_api *api = lookup(c, nm);
    if (api)
        return do_call(c, api, nm, recv, a, report, off, hops);
    inl_val v = none_val();
    v.kind = V_PATH;
    v.s.s = nm->ok ? nm->s : "";
    if (nm->ok) {
        v = inl_str_val(c, nm->s, nm->n, 0);
        v.kind = V_PATH;
    }
    if (a->n) { /* the first argument, for methods of the object made here */
        inl_val *first = inl_alloc(c, sizeof(*first));
        if (first) {
            *first = inl_eval(c, a->b[0], a->e[0]);
            v.arg = first;
        }
    }
    return v;
}

static inl_val do_call(inl_ctx *c, const inl_api *api, name_buf *nm, const inl_val *recv,
                       call_args *a, int report, size_t off, int hops)
{
    if (api->how == H_IMPORT || api->how == H_GETATTR || api->how == H_SEND ||
        api->how == H_CALLFUNC || api->how == H_CALLARRAY) {
        inl_val target = arg(c, a, api->how == H_GETATTR ? 1 : 0, NULL, recv);
        if (!inl_literal(&target) || hops > 2) {
            if (report)
                c->flags |= PE_INLINE_DYNAMIC;
            return none_val();
        }
        name_buf to;
        const char *t = target.s.s;
        size_t tn = target.s.len;
        if (api->how == H_IMPORT && tn > 5 && memcmp(t, "node:", 5) == 0)
            t += 5, tn -= 5;
        if (api->how == H_GETATTR) {
            inl_val obj = arg(c, a, 0, NULL, NULL);
            name_set(c, &to, obj.kind == V_PATH ? obj.s.s : "", obj.kind == V_PATH ? obj.s.len : 0);
            to.ok &= obj.kind == V_PATH;
            name_add(c, &to, t, tn);
        } else if (api->how == H_SEND) {
            to = *nm;
            char *dot = strrchr(to.s, '.');
            to.n = dot ? (size_t)(dot - to.s) : 0;
            if (to.n)
                name_add(c, &to, t, tn);
            else
                name_set(c, &to, t, tn);
        } else {
            name_set(c, &to, t, tn);
        }
        for (size_t k = 0; k < to.n && api->how == H_IMPORT; k++) /* fs/promises */
            to.s[k] = to.s[k] == '/' ? '.' : to.s[k];
        if (api->how == H_IMPORT || api->how == H_GETATTR) {
            *nm = to;
            c->renamed = 1; /* its result is a name that may be called */
            inl_val v = inl_str_val(c, to.s, to.n, 0);
            v.kind = V_PATH;
            return v;
        }
        call_args rest = *a; /* the call with the name argument dropped */
        size_t drop = arg_index(a, 0, NULL);
        if (drop != SIZE_MAX) {
            rest.b += drop + 1;
            rest.e += drop + 1;
            rest.kw += drop + 1;
            rest.n -= drop + 1;
        }
        if (api->how == H_CALLARRAY && rest.n) {
            const inl_tok *open = &c->t[rest.b[0]];
            if ((is_p(open, "[") || is_p(open, "(")) && open->match)
                split_args(c, rest.b[0] + 1 + (is_id(&c->t[rest.b[0]], "array") ? 1 : 0),
                           open->match, &rest);
            else if (is_id(open, "array") && rest.b[0] + 1 < c->nt && c->t[rest.b[0] + 1].match)
                split_args(c, rest.b[0] + 2, c->t[rest.b[0] + 1].match, &rest);
        }
        *nm = to;
        return dispatch(c, nm, recv, &rest, report, off, hops + 1);
    }
    if (api->how == H_PURE || api->how == H_DECODE) {
        if (report && api->how == H_DECODE)
            c->flags |= PE_INLINE_DECODE;
        if (!report || api->xf != X_ID || a->n) {
            inl_val vals[4];
            size_t n = 0;
            if (api->kw1) /* parse(text = "...") */
                vals[n++] = arg(c, a, api->a1, api->kw1, recv);
            for (size_t i = 0; i < a->n && n < 4 && !api->kw1; i++)
                if (!a->kw[i].s)
                    vals[n++] = inl_eval(c, a->b[i], a->e[i]);
            if (a->n > 4 && (api->xf == X_CHR || api->xf == X_CONCAT || api->xf == X_PASTE ||
                             api->xf == X_JOINPATH || api->xf == X_LIST || api->xf == X_JOIN)) {
                inl_val *all = inl_alloc(c, a->n * sizeof(*all));
                if (!all)
                    return none_val();
                n = 0;
                for (size_t i = 0; i < a->n; i++)
                    if (!a->kw[i].s)
                        all[n++] = inl_eval(c, a->b[i], a->e[i]);
                inl_val out = inl_transform(c, api->xf, recv, all, n);
                if (report && (out.flags & VF_DECODED))
                    c->flags |= PE_INLINE_DECODE;
                return out;
            }
            const inl_val *r = recv && recv->kind != V_PATH ? recv
                               : recv && recv->arg          ? recv->arg
                                                            : NULL;
            inl_val out = inl_transform(c, api->xf, r, vals, n);
            if (report && (out.flags & VF_DECODED))
                c->flags |= PE_INLINE_DECODE;
            return out;
        }
        return none_val();
    }
    if (report)
        effect(c, api, a, recv, off);
    inl_val v = none_val();
    v = inl_str_val(c, nm->s, nm->n, 0);
    v.kind = V_PATH;
    if (a->n) {
        inl_val *first = inl_alloc(c, sizeof(*first));
        if (first) {
            *first = inl_eval(c, a->b[0], a->e[0]);
            v.arg = first;
        }
    }
    return v;
}

/* Python's s[::-1] reverses a literal; any other subscript is unknown. */
static inl_val reversed_slice(inl_ctx *c, size_t open, const inl_val *s)
{
    const inl_tok *t = c->t + open + 1, *end = c->t + c->t[open].match;
    int ok = 0;
    if (end - t == 3)
        ok = is_p(&t[0], "::") && is_p(&t[1], "-") && t[2].type == T_NUM && t[2].text.len == 1 &&
             t[2].text.s[0] == '1';
    else if (end - t == 4)
        ok = is_p(&t[0], ":") && is_p(&t[1], ":") && is_p(&t[2], "-") && t[3].type == T_NUM &&
             t[3].text.len == 1 && t[3].text.s[0] == '1';
    if (ok && c->L->lang == PE_LANG_PYTHON)
        return inl_transform(c, X_REV, s, NULL, 0);
    return none_val();
}

/* Words before a call that do not change what it calls. */
static int prefix_word(const inl_ctx *c, const inl_tok *t)
{
    pe_lang l = c->L->lang;
    return ((l == PE_LANG_JS || l == PE_LANG_PHP) && is_id(t, "new")) ||
           ((l == PE_LANG_JS || l == PE_LANG_PYTHON) && is_id(t, "await"));
}

/* The chain at i: resolves, calls, and returns its value. */
static size_t chain(inl_ctx *c, size_t i, size_t e, int report, inl_val *out)
{
    name_buf nm;
    inl_val v = none_val();
    const inl_tok *t = &c->t[i];
    int bound = 0; /* the chain starts with a variable, not a name to call */
    nm.n = 0;
    nm.ok = 1;
    nm.s[0] = '\0';
    size_t start = i;
    if (t->type == T_PUNCT && is_p(t, "\\") && i + 1 < e && c->t[i + 1].type == T_IDENT)
        t = &c->t[++i];            /* PHP's \system */
    if (t->flags & TF_CMD_START) { /* a PowerShell command used as a value */
        i = inl_ps_value(c, i, e, &v);
        if (v.kind == V_PATH)
            name_set(c, &nm, v.s.s, v.s.len);
        *out = v;
        return i;
    }
    while (i + 1 < e && is_name_tok(&c->t[i + 1]) && prefix_word(c, t))
        t = &c->t[++i]; /* new X(...) is a call of X; await x is x */
    size_t lit = inl_primary(c, i, e, &v);
    if (lit > i) { /* a literal: a string, number, list, boolean */
        i = lit;
        if (v.kind == V_PATH) /* (New-Object X).Method() */
            name_set(c, &nm, v.s.s, v.s.len);
    } else if (is_name_tok(t)) {
        pe_str name = tok_name(t);
        name_set(c, &nm, name.s, name.len);
        const inl_val *b = inl_bind_get(c, nm.s, nm.n);
        int called = i + 1 < e && is_p(&c->t[i + 1], "(");
        bound = b != NULL || t->type == T_VAR;
        if (b && b->kind == V_PATH) {
            name_set(c, &nm, b->s.s, b->s.len);
            v = *b;
        } else if (b && b->kind == V_STR && called && inl_literal(b)) {
            name_set(c, &nm, b->s.s, b->s.len); /* $f = 'system'; $f(...) */
        } else if (b) {
            v = *b;
            nm.ok = 0;
            if (called && report) /* $f(...) with $f not a known name */
                c->flags |= PE_INLINE_DYNAMIC;
        } else if (t->type == T_VAR && called) {
            nm.ok = 0; /* a call through a variable that holds something unknown */
            if (report)
                c->flags |= PE_INLINE_DYNAMIC;
        } else {
            v = inl_str_val(c, nm.s, nm.n, 0);
            v.kind = V_PATH;
        }
        i++;
    } else {
        return start;
    }
    int hops = 0, called = 0, from_var = bound;
    while (i <= e && !c->stop && hops++ < 4096) {
        /* at e: the end of the range, a statement end for calls without parentheses */
        const inl_tok *k = i < e ? &c->t[i] : &c->t[c->nt];
        if (is_member(c, k) && i + 1 < e && is_name_tok(&c->t[i + 1])) {
            called = from_var = 0;
            pe_str m = tok_name(&c->t[i + 1]);
            if (nm.n || v.kind != V_PATH)
                name_add(c, &nm, m.s, m.len);
            else
                name_set(c, &nm, m.s, m.len);
            i += 2;
            continue;
        }
        if (is_p(k, "[") && k->match && k->match < e && !nm.n && v.kind == V_STR) {
            v = reversed_slice(c, i, &v); /* "dwr"[::-1] */
            i = k->match + 1;
            continue;
        }
        if (is_p(k, "[") && k->match && k->match < e && nm.n && c->L->lang != PE_LANG_POWERSHELL) {
            inl_val key = inl_eval(c, i + 1, k->match);
            if (inl_literal(&key) && key.kind == V_STR)
                name_add(c, &nm, key.s.s, key.s.len);
            else
                nm.ok = 0;
            v = none_val();
            i = k->match + 1;
            continue;
        }
        call_args a;
        memset(&a, 0, sizeof(a));
        int call = 0;
        if (is_p(k, "(") && k->match) {
            if (split_args(c, i + 1, k->match < e ? k->match : e, &a) != 0)
                break;
            a.open = i;
            a.close = k->match;
            call = 1;
        } else if (k->type == T_STR && !(k->flags & TF_SPACE) && c->L->lang == PE_LANG_JS &&
                   k->text.s[0] == '`') {
            a.n = 1; /* a tagged template: $`cmd` */
            a.b = inl_alloc(c, sizeof(size_t));
            a.e = inl_alloc(c, sizeof(size_t));
            a.kw = inl_alloc(c, sizeof(pe_str));
            if (!a.b || !a.e || !a.kw)
                break;
            a.b[0] = i;
            a.e[0] = inl_skip(c, i);
            a.kw[0].s = NULL;
            while (a.e[0] < e && c->t[a.e[0]].type == T_EMB_OPEN)
                a.e[0] = inl_skip(c, a.e[0]);
            a.open = a.close = a.e[0] - 1;
            call = 1;
        } else if ((c->L->opts & L_PARENLESS) && !called && !from_var && nm.ok && nm.n &&
                   ((i < e && starts_value(k) && (k->flags & TF_SPACE)) || i >= e ||
                    ends_stmt(c, k) || (c->L->lang == PE_LANG_PERL && is_p(k, "{") && k->match)) &&
                   lookup(c, &nm)) {
            if (i < e && c->L->lang == PE_LANG_PERL && is_p(k, "{") && k->match)
                i = k->match + 1 < e ? k->match + 1 : e; /* exec { $prog } @args: the args */
            size_t pe = i < e && starts_value(&c->t[i]) ? parenless_end(c, i, e) : i;
            if (c->L->lang == PE_LANG_LUA && pe > i)
                pe = inl_skip(c, i); /* f "str" and f {table} take one argument */
            if (split_args(c, i, pe, &a) != 0)
                break;
            a.open = a.close = pe ? pe - 1 : 0;
            call = 2;
        }
        if (!call)
            break;
        inl_val recv = v;
        if (called && !c->renamed) /* f(..)(..): the second call is of f's result */
            nm.ok = 0;
        called = 1;
        c->renamed = 0;
        v = dispatch(c, &nm, &recv, &a, report, off_of(c, start), 0);
        if (v.kind == V_PATH && !nm.n && v.s.len)
            name_set(c, &nm, v.s.s, v.s.len);
        i = call == 1 ? (is_p(k, "(") ? k->match + 1 : a.e[0]) : a.close + 1;
        if (call == 2)
            break;
    }
    if (v.kind == V_PATH && nm.ok && nm.n && (v.s.len != nm.n || memcmp(v.s.s, nm.s, nm.n) != 0))
        set_path(&v, nm.s, nm.n, c);
    *out = v;
    return i;
}

size_t inl_chain_value(inl_ctx *c, size_t i, size_t e, inl_val *v)
{
    if (i >= e)
        return i;
    return chain(c, i, e, 0, v);
}

/* ---- statements: imports and assignments --------------------------------------------------- */

/* The dotted name at i (a.b.c); returns the token after it. */
static size_t dotted(inl_ctx *c, size_t i, size_t e, name_buf *nm)
{
    nm->n = 0;
    nm->ok = 1;
    nm->s[0] = '\0';
    while (i < e && c->t[i].type == T_IDENT) {
        if (nm->n)
            name_add(c, nm, c->t[i].text.s, c->t[i].text.len);
        else
            name_set(c, nm, c->t[i].text.s, c->t[i].text.len);
        if (i + 2 < e && is_p(&c->t[i + 1], ".") && c->t[i + 2].type == T_IDENT)
            i += 2;
        else
            return i + 1;
    }
    return i;
}

static void bind_path(inl_ctx *c, pe_str name, const char *path, size_t n)
{
    inl_val v = inl_str_val(c, path, n, 0);
    v.kind = V_PATH;
    inl_bind_set(c, name.s, name.len, &v, 0);
}

static void add_star(inl_ctx *c, const char *s, size_t n)
{
    inl_val v = inl_str_val(c, s, n, 0);
    if (c->nstars < sizeof(c->stars) / sizeof(c->stars[0]) && v.kind == V_STR)
        c->stars[c->nstars++] = v.s.s;
}

/* Python: import a.b [as x], ...; from a.b import c [as d], ... | *. */
static size_t py_import(inl_ctx *c, size_t i, size_t e)
{
    name_buf mod, nm;
    if (is_id(&c->t[i], "from")) {
        size_t j = i + 1;
        while (j < e && is_p(&c->t[j], "."))
            j++;
        j = dotted(c, j, e, &mod);
        if (j >= e || !is_id(&c->t[j], "import"))
            return i + 1;
        for (j++; j < e && c->t[j].type != T_NL && !is_p(&c->t[j], ";"); j++) {
            if (is_p(&c->t[j], "*")) {
                add_star(c, mod.s, mod.n);
            } else if (c->t[j].type == T_IDENT && !is_id(&c->t[j], "as")) {
                nm = mod;
                name_add(c, &nm, c->t[j].text.s, c->t[j].text.len);
                pe_str alias = c->t[j].text;
                if (j + 2 < e && is_id(&c->t[j + 1], "as") && c->t[j + 2].type == T_IDENT)
                    alias = c->t[j += 2].text;
                bind_path(c, alias, nm.s, nm.n);
            }
        }
        return j;
    }
    size_t j = i + 1;
    while (j < e) {
        j = dotted(c, j, e, &mod);
        if (j + 1 < e && is_id(&c->t[j], "as") && c->t[j + 1].type == T_IDENT) {
            bind_path(c, c->t[j + 1].text, mod.s, mod.n);
            j += 2;
        }
        if (j < e && is_p(&c->t[j], ","))
            j++;
        else
            break;
    }
    return j;
}

/* JS: import x from 'm'; import * as x from 'm'; import {a as b, c} from 'm'. */
static size_t js_import(inl_ctx *c, size_t i, size_t e)
{
    size_t j = i + 1, from = j;
    while (from < e && !is_id(&c->t[from], "from") && c->t[from].type != T_NL &&
           !is_p(&c->t[from], ";"))
        from++;
    if (from + 1 >= e || c->t[from + 1].type != T_STR)
        return i + 1;
    pe_str m = c->t[from + 1].val;
    if (m.len > 5 && memcmp(m.s, "node:", 5) == 0)
        m.s += 5, m.len -= 5;
    name_buf mod;
    name_set(c, &mod, m.s, m.len);
    for (size_t k = 0; k < mod.n; k++)
        mod.s[k] = mod.s[k] == '/' ? '.' : mod.s[k];
    for (; j < from; j++) {
        const inl_tok *t = &c->t[j];
        if (is_p(t, "*") && j + 2 < from && is_id(&c->t[j + 1], "as")) {
            bind_path(c, c->t[j + 2].text, mod.s, mod.n);
            j += 2;
        } else if (is_p(t, "{")) {
            size_t close = t->match && t->match < from ? t->match : from;
            for (size_t k = j + 1; k < close; k++) {
                if (c->t[k].type != T_IDENT)
                    continue;
                name_buf nm = mod;
                name_add(c, &nm, c->t[k].text.s, c->t[k].text.len);
                pe_str alias = c->t[k].text;
                if (k + 2 < close && is_id(&c->t[k + 1], "as"))
                    alias = c->t[k += 2].text;
                bind_path(c, alias, nm.s, nm.n);
            }
            j = close;
        } else if (t->type == T_IDENT) {
            bind_path(c, t->text, mod.s, mod.n); /* the default export */
        }
    }
    return from + 2;
}

/* Whether an assignment can start after token p (a statement boundary). */
static int stmt_start(const inl_ctx *c, size_t i)
{
    static const char *const kw[] = {"const",  "let",  "var", "local", "my",     "our", "global",
                                     "export", "then", "do",  "else",  "static", "set", NULL};
    if (i == 0)
        return 1;
    const inl_tok *p = &c->t[i - 1];
    if (p->type == T_NL || p->type == T_EMB_OPEN || is_p(p, ";") || is_p(p, "{") || is_p(p, "}") ||
        is_p(p, ":") || is_p(p, ")") || (c->L->lang == PE_LANG_JS && is_p(p, ",")))
        return 1;
    for (size_t k = 0; kw[k]; k++)
        if (is_id(p, kw[k]))
            return 1;
    return 0;
}

static size_t stmt_end(const inl_ctx *c, size_t i, size_t e)
{
    while (i < e && c->t[i].type != T_NL && !is_p(&c->t[i], ";") && !is_p(&c->t[i], "}") &&
           c->t[i].type != T_EMB_CLOSE && !is_p(&c->t[i], ")") &&
           !(c->L->lang == PE_LANG_JS && is_p(&c->t[i], ",")))
        i = inl_skip(c, i);
    return i;
}

/* const {a, b: c} = require('m'): a and c name members of the module. */
static void destructure(inl_ctx *c, size_t i, size_t e)
{
    const inl_tok *t = &c->t[i];
    inl_val src;
    size_t end = stmt_end(c, t->match + 2, e);
    inl_chain_value(c, t->match + 2, end, &src);
    if (src.kind != V_PATH)
        return;
    for (size_t k = i + 1; k < t->match; k++) {
        if (c->t[k].type != T_IDENT)
            continue;
        name_buf nm;
        name_set(c, &nm, src.s.s, src.s.len);
        name_add(c, &nm, c->t[k].text.s, c->t[k].text.len);
        pe_str alias = c->t[k].text;
        if (k + 2 < t->match && is_p(&c->t[k + 1], ":") && c->t[k + 2].type == T_IDENT)
            alias = c->t[k += 2].text;
        bind_path(c, alias, nm.s, nm.n);
    }
}

/* name = value (and += .= as concatenation, JS destructuring, R's <-,
 * AppleScript's set name to value). */
static void assignment(inl_ctx *c, size_t i, size_t e)
{
    const inl_tok *t = &c->t[i];
    if (!stmt_start(c, i) || i + 1 >= e)
        return;
    if (is_p(t, "{") && t->match && t->match + 1 < e && is_p(&c->t[t->match + 1], "=")) {
        destructure(c, i, e);
        return;
    }
    const inl_tok *op = &c->t[i + 1];
    int set_to =
        c->L->lang == PE_LANG_APPLESCRIPT && i > 0 && is_id(&c->t[i - 1], "set") && is_id(op, "to");
    int assign = is_p(op, "=") || is_p(op, ":=") || is_p(op, "<-") || is_p(op, "<<-") || set_to;
    int append = is_p(op, "+=") || is_p(op, ".=") ||
                 (c->L->lang == PE_LANG_RUBY && is_p(op, "<<") && (op->flags & TF_SPACE));
    if (!assign && !append)
        return;
    size_t end = stmt_end(c, i + 2, e);
    if (!is_name_tok(t))
        return;
    name_buf nm;
    name_set(c, &nm, t->text.s, t->text.len);
    inl_val v = inl_eval(c, i + 2, end);
    if (append) {
        const inl_val *old = inl_bind_get(c, nm.s, nm.n);
        inl_val parts[2] = {old ? *old : none_val(), v};
        v = inl_transform(c, X_CONCAT, NULL, parts, 2);
    }
    inl_bind_set(c, nm.s, nm.n, &v, append);
}

/* ---- the scanner ------------------------------------------------------------------------- */

void inl_scan(inl_ctx *c, size_t b, size_t e)
{
    pe_lang lang = c->L->lang;
    for (size_t i = b; i < e && !c->stop && !c->nomem; i++) {
        const inl_tok *t = &c->t[i];
        inl_work(c, 4);
        if (t->type == T_CMD) {
            size_t end;
            inl_val v = inl_str_token(c, i, &end); /* known interpolations filled in */
            inl_add(c, PE_INLINE_RUN, &v,
                    lang == PE_LANG_RUBY && t->text.s[0] == '%'   ? "%x"
                    : lang == PE_LANG_PERL && t->text.s[0] == 'q' ? "qx"
                    : t->flags & TF_HEREDOC                       ? "<<`heredoc`"
                                                                  : "backticks",
                    t->off, 0);
            continue;
        }
        if (lang == PE_LANG_AWK)
            inl_awk_at(c, i, e);
        if (lang == PE_LANG_POWERSHELL && (t->flags & TF_CMD_START)) {
            inl_ps_command(c, i);
            continue;
        }
        if (lang == PE_LANG_PYTHON && (is_id(t, "import") || is_id(t, "from")) &&
            stmt_start(c, i)) {
            i = py_import(c, i, e) - 1;
            continue;
        }
        if (lang == PE_LANG_JS && is_id(t, "import") && stmt_start(c, i) && i + 1 < e &&
            !is_p(&c->t[i + 1], "(")) {
            i = js_import(c, i, e) - 1;
            continue;
        }
        if ((lang == PE_LANG_RUBY && is_id(t, "include")) ||
            (lang == PE_LANG_R && (is_id(t, "library") || is_id(t, "require")))) {
            size_t k = i + 1 + (i + 1 < e && is_p(&c->t[i + 1], "("));
            if (k < e && (c->t[k].type == T_IDENT || c->t[k].type == T_STR)) {
                pe_str m = c->t[k].type == T_STR ? c->t[k].val : c->t[k].text;
                add_star(c, m.s, m.len);
            }
        }
        assignment(c, i, e);
        int literal_recv = t->type == T_STR && i + 1 < e &&
                           (is_member(c, &c->t[i + 1]) || is_p(&c->t[i + 1], "["));
        int paren_recv = is_p(t, "(") && t->match && t->match + 1 < e &&
                         is_member(c, &c->t[t->match + 1]) &&
                         !(i > b && ends_value(&c->t[i - 1]) &&
                           !(lang == PE_LANG_POWERSHELL && (t->flags & TF_SPACE)));
        if (i > b && prefix_word(c, &c->t[i - 1]) && is_name_tok(t))
            continue;
        if (((is_name_tok(t) && t->type != T_WORD) || literal_recv || paren_recv ||
             is_p(t, "\\")) &&
            !(i > b && is_member(c, &c->t[i - 1]))) {
            inl_val v;
            chain(c, i, e, 1, &v);
        }
    }
}
