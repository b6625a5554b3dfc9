/*
 * Inline code analysis: the driver (limits, items, eval recursion, the
 * flags drawn from everything seen) and the interpreter-name table.
 * The rules are in inline.h.
 */
#include <string.h>

#include "prempti/common.h"
#include "shell/inline_internal.h"

void inl_limit(inl_ctx *c, unsigned flag)
{
    c->flags |= PE_INLINE_LIMIT | PE_INLINE_DYNAMIC | flag;
    if (flag != PE_INLINE_LIMIT_DEPTH)
        c->stop = 1;
}

int inl_work(inl_ctx *c, size_t n)
{
    c->work += n;
    if (c->work <= c->budget)
        return 0;
    inl_limit(c, PE_INLINE_LIMIT_WORK);
    return -1;
}

void inl_parse_error(inl_ctx *c, const char *msg)
{
    c->flags |= PE_INLINE_PARSE_ERROR;
    if (!c->error)
        c->error = msg;
}

static void *alloc(inl_ctx *c, size_t n, int zero)
{
    void *p = c->nomem ? NULL
              : zero   ? pe_arena_alloc(c->a, n ? n : 1)
                       : pe_arena_alloc_raw(c->a, n ? n : 1);
    if (!p) {
        c->nomem = 1;
        c->stop = 1;
    }
    return p;
}

void *inl_alloc_raw(inl_ctx *c, size_t n)
{
    return alloc(c, n, 0);
}

void *inl_alloc(inl_ctx *c, size_t n)
{
    return alloc(c, n, 1);
}

int inl_runs_shell(pe_str text)
{
    static const char *const shells[] = {
        "sh",         "bash",           "dash", "zsh",  "ksh", "ash",
        "mksh",       "fish",           "csh",  "tcsh", "cmd", "cmd.exe",
        "powershell", "powershell.exe", "pwsh", NULL};
    const char *p = text.s, *end = text.s + text.len;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\'' || *p == '"'))
        p++;
    const char *w = p;
    while (p < end && *p != ' ' && *p != '\t' && *p != '\'' && *p != '"')
        p++;
    const char *base = w;
    for (const char *q = w; q < p; q++)
        if (*q == '/' || *q == '\\')
            base = q + 1;
    for (size_t k = 0; shells[k]; k++)
        if ((size_t)(p - base) == strlen(shells[k]) &&
            memcmp(base, shells[k], (size_t)(p - base)) == 0)
            return 1;
    return 0;
}

static pe_inline_item *new_item(inl_ctx *c)
{
    if (c->nitems >= PE_INLINE_MAX_ITEMS) {
        inl_limit(c, PE_INLINE_LIMIT_COUNT);
        return NULL;
    }
    if (c->nitems == c->icap) {
        size_t cap = c->icap ? c->icap * 2 : 8;
        pe_inline_item *n = inl_alloc_raw(c, cap * sizeof(*n));
        if (!n)
            return NULL;
        if (c->nitems)
            memcpy(n, c->items, c->nitems * sizeof(*n));
        c->items = n;
        c->icap = cap;
    }
    pe_inline_item *it = &c->items[c->nitems++];
    memset(it, 0, sizeof(*it));
    it->host.text.s = it->host.v4.s = "";
    it->port = -1;
    return it;
}

void inl_add(inl_ctx *c, pe_inline_kind kind, const inl_val *v, const char *api, size_t off,
             unsigned flags)
{
    if (c->stop)
        return;
    if (v->kind == V_LIST) { /* paths and URLs given as lists: each is its own item */
        for (size_t i = 0; i < v->n; i++)
            inl_add(c, kind, &v->items[i], api, off, flags);
        return;
    }
    pe_str text = inl_text(v);
    pe_inline_item *it = new_item(c);
    if (!it)
        return;
    it->kind = kind;
    it->value = text;
    it->api.s = api;
    it->api.len = strlen(api);
    it->flags = flags | c->mark;
    if (v->flags & VF_DYN || v->kind == V_NONE || v->kind == V_PATH)
        it->flags |= PE_INLINE_I_DYNAMIC;
    if (v->flags & VF_DECODED)
        it->flags |= PE_INLINE_I_DECODED;
    it->depth = c->depth;
    it->offset = c->depth ? c->base_off : off;
    if (kind == PE_INLINE_RUN) {
        if (it->flags & PE_INLINE_I_DYNAMIC)
            c->flags |= PE_INLINE_DYNAMIC_EXEC;
        c->shell_run |= inl_runs_shell(text);
    }
    if (kind == PE_INLINE_CONNECT) {
        c->flags |= PE_INLINE_NETWORK;
        pe_url u;
        if (pe_url_parse(&u, text.s, text.len, PE_URL_WEB, c->a) != 0) {
            c->nomem = 1;
            return;
        }
        it->host = u.host;
        it->port = u.port_num;
        if (strstr(u.host.text.s, HOLE)) { /* the host itself is not known */
            memset(&it->host, 0, sizeof(it->host));
            it->host.text.s = it->host.v4.s = "";
            it->port = -1;
        }
    }
}

/* "scheme://host" or "host:port" as the host argument of fsockopen and
 * socket APIs: the host part. */
static pe_str bare_host(pe_str h, long *port)
{
    const char *p = strstr(h.s, "://");
    if (p) {
        h.len -= (size_t)(p + 3 - h.s);
        h.s = p + 3;
    }
    const char *colon = memchr(h.s, ':', h.len);
    if (colon && !memchr(colon + 1, ':', h.len - (size_t)(colon + 1 - h.s)) && h.s[0] != '[') {
        *port = pe_port_parse(colon + 1, h.len - (size_t)(colon + 1 - h.s));
        h.len = (size_t)(colon - h.s);
    }
    return h;
}

void inl_add_connect(inl_ctx *c, const inl_val *host, const inl_val *port, const char *api,
                     size_t off)
{
    c->flags |= PE_INLINE_NETWORK;
    if (c->stop)
        return;
    pe_str h = {"", 0}, p = {"", 0};
    if (host && (host->kind == V_STR || host->kind == V_NUM))
        h = host->s;
    long pn = -1;
    if (port && (port->kind == V_STR || port->kind == V_NUM)) {
        p = port->s;
        pn = pe_port_parse(p.s, p.len);
    }
    h = bare_host(h, port && port->kind != V_NONE ? &(long){0} : &pn);
    pe_abuf b;
    pe_abuf_init(&b, c->a, h.len + p.len + 8);
    int v6 = memchr(h.s, ':', h.len) != NULL;
    pe_abuf_append(&b, v6 ? "[" : "", v6);
    if (h.len)
        pe_abuf_append(&b, h.s, h.len);
    else
        pe_abuf_append(&b, HOLE, HOLE_LEN);
    pe_abuf_append(&b, v6 ? "]" : "", v6);
    if (p.len || pn >= 0 || (port && port->kind == V_NONE && (port->flags & VF_DYN))) {
        pe_abuf_putc(&b, ':');
        if (p.len)
            pe_abuf_append(&b, p.s, p.len);
        else if (pn >= 0) {
            char num[8];
            size_t n = 0;
            for (long x = pn; n == 0 || x; x /= 10)
                num[n++] = (char)('0' + x % 10);
            while (n)
                pe_abuf_putc(&b, num[--n]);
        } else
            pe_abuf_append(&b, HOLE, HOLE_LEN);
    }
    pe_str text;
    if (pe_abuf_finish(&b, &text) != 0) {
        c->nomem = 1;
        return;
    }
    pe_inline_item *it = new_item(c);
    if (!it)
        return;
    it->kind = PE_INLINE_CONNECT;
    it->value = text;
    it->api.s = api;
    it->api.len = strlen(api);
    it->depth = c->depth;
    it->offset = c->depth ? c->base_off : off;
    it->port = pn;
    it->flags |= c->mark;
    if (!h.len || !inl_literal(host) || (port && !inl_literal(port) && port->kind != V_NONE))
        it->flags |= PE_INLINE_I_DYNAMIC;
    if (h.len && pe_host_normalize(&it->host, h.s, h.len, c->a) != 0)
        c->nomem = 1;
}

static void analyse_text(inl_ctx *c)
{
    c->t = NULL;
    c->nt = c->tcap = 0;
    c->L->lex(c);
    inl_finish_tokens(c);
    if (!c->nomem && c->t)
        inl_scan(c, 0, c->nt);
}

void inl_eval_code(inl_ctx *c, const inl_val *code, size_t off)
{
    int literal = inl_literal(code);
    c->flags |= literal ? PE_INLINE_EVAL : PE_INLINE_DYNAMIC_EXEC;
    if (!literal)
        c->dyn_exec = 1;
    if (code->kind != V_STR || !code->s.len)
        return;
    if (c->depth + 1 > PE_INLINE_MAX_DEPTH) {
        inl_limit(c, PE_INLINE_LIMIT_DEPTH);
        return;
    }
    inl_ctx saved = *c;
    if (code->flags & VF_DECODED) {
        c->mark |= PE_INLINE_I_DECODED;
        /* hiding the program is the point, whatever it turns out to do */
        c->flags |= PE_INLINE_EVAL_DECODED;
        if (!c->decoded_code.len)
            c->decoded_code = code->s;
    }
    c->s = code->s.s;
    c->len = code->s.len;
    c->base_off = c->depth ? c->base_off : off;
    c->depth++;
    analyse_text(c);
    /* keep what was found (items, flags, bindings); restore the outer text */
    c->s = saved.s;
    c->len = saved.len;
    c->t = saved.t;
    c->nt = saved.nt;
    c->tcap = saved.tcap;
    c->depth = saved.depth;
    c->base_off = saved.base_off;
    c->mark = saved.mark;
}

int pe_inline_analyze(pe_inline_result **out, pe_lang lang, const char *code, size_t len,
                      pe_arena *arena)
{
    if (!out || !arena || (!code && len))
        return PREMPTI_E_INVALID_ARG;
    *out = NULL;
    pe_inline_result *r = pe_arena_alloc(arena, sizeof(*r));
    if (!r)
        return PREMPTI_E_NOMEM;
    const inl_lang *L = inl_lang_get(lang);
    if (!L || !len) {
        *out = r;
        return 0;
    }
    inl_ctx c;
    memset(&c, 0, sizeof(c));
    c.a = arena;
    c.L = L;
    c.s = code;
    c.len = len;
    if (len > PE_INLINE_MAX_INPUT) {
        c.len = PE_INLINE_MAX_INPUT;
        c.flags |= PE_INLINE_LIMIT | PE_INLINE_LIMIT_WORK | PE_INLINE_DYNAMIC;
    }
    c.budget = PE_INLINE_WORK(c.len);
    if (lang == PE_LANG_POWERSHELL) { /* the home directory's automatic variables */
        static const char *const homes[] = {"$home", "$env:userprofile", "$env:home",
                                            "${env:userprofile}", "${env:home}", NULL};
        inl_val home = inl_str_val(&c, "~", 1, 0);
        for (const char *const *h = homes; *h; h++)
            inl_bind_set(&c, *h, strlen(*h), &home, 0);
    }
    analyse_text(&c);
    if (c.nomem)
        return PREMPTI_E_NOMEM;
    if ((c.flags & PE_INLINE_SOCKET) &&
        ((c.feat & (F_REDIRECT | F_PTY)) || c.shell_run || (c.flags & PE_INLINE_DYNAMIC_EXEC)))
        c.flags |= PE_INLINE_REVERSE_SHELL;
    if (c.flags & PE_INLINE_LIMIT)
        c.flags |= PE_INLINE_DYNAMIC;
    r->items = c.items;
    r->nitems = c.nitems;
    r->flags = c.flags;
    r->error = c.error;
    r->decoded_code = c.decoded_code;
    *out = r;
    return 0;
}

/* ---- interpreter names ------------------------------------------------------------------ */

/* Whether s is name followed by nothing or by a version (digits and dots). */
static int versioned(const char *s, size_t n, const char *name)
{
    size_t k = strlen(name);
    if (n < k || memcmp(s, name, k) != 0)
        return 0;
    if (n == k)
        return 1;
    if (s[k] < '0' || s[k] > '9')
        return 0;
    for (size_t i = k; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
            return 0;
    return 1;
}

static const struct {
    const char *name;
    pe_lang lang;
    int version; /* a version may follow */
} interpreters[] = {
    {"python", PE_LANG_PYTHON, 1},
    {"pypy", PE_LANG_PYTHON, 1},
    {"py", PE_LANG_PYTHON, 0},
    {"node", PE_LANG_JS, 1},
    {"nodejs", PE_LANG_JS, 1},
    {"deno", PE_LANG_JS, 0},
    {"bun", PE_LANG_JS, 0},
    {"ts-node", PE_LANG_JS, 0},
    {"tsx", PE_LANG_JS, 0},
    {"perl", PE_LANG_PERL, 1},
    {"ruby", PE_LANG_RUBY, 1},
    {"jruby", PE_LANG_RUBY, 0},
    {"php", PE_LANG_PHP, 1},
    {"lua", PE_LANG_LUA, 1},
    {"luajit", PE_LANG_LUA, 0},
    {"Rscript", PE_LANG_R, 0},
    {"R", PE_LANG_R, 0},
    {"osascript", PE_LANG_APPLESCRIPT, 0},
    {"pwsh", PE_LANG_POWERSHELL, 0},
    {"pwsh-preview", PE_LANG_POWERSHELL, 0},
    {"powershell", PE_LANG_POWERSHELL, 0},
    {"awk", PE_LANG_AWK, 0},
    {"gawk", PE_LANG_AWK, 0},
    {"mawk", PE_LANG_AWK, 0},
    {"nawk", PE_LANG_AWK, 0},
    {"original-awk", PE_LANG_AWK, 0},
};

pe_lang pe_inline_lang(const char *base, size_t len)
{
    if (!base)
        return PE_LANG_NONE;
    if (len > 4 && (base[len - 4] == '.') && (base[len - 3] | 0x20) == 'e' &&
        (base[len - 2] | 0x20) == 'x' && (base[len - 1] | 0x20) == 'e')
        len -= 4; /* powershell.exe */
    for (size_t i = 0; len && i < sizeof(interpreters) / sizeof(interpreters[0]); i++) {
        const char *n = interpreters[i].name;
        if (n[0] != base[0])
            continue; /* most names differ at once */
        if (interpreters[i].version ? versioned(base, len, n)
                                    : len == strlen(n) && memcmp(base, n, len) == 0)
            return interpreters[i].lang;
    }
    return PE_LANG_NONE;
}

const char *pe_lang_name(pe_lang lang)
{
    const inl_lang *L = inl_lang_get(lang);
    return L ? L->name : "none";
}
