/*
 * Names and calls: a inl_chain (`a.b(c).d[e](f)`) is resolved to a dotted
 * name through the bindings, each call in it is looked up in the API
 * table, and a known API's effect is recorded from its literal arguments
 * (the hows of inline_internal.h). The same chains give values to
 * expressions (inl_chain_value), without recording anything.
 */
#include <string.h>

#include "prempti/common.h"
#include "shell/inline_internal.h"

size_t inl_skip(const inl_ctx *c, size_t i)
{
    const inl_tok *t = &c->t[i];
    int opens = t->type == T_EMB_OPEN ||
                (t->type == T_PUNCT && t->text.len == 1 && inl_opener(t->text.s[0]));
    if (opens && t->match > i)
        return t->match < c->nt ? t->match + 1 : c->nt;
    return i + 1;
}

static pe_str inl_tok_name(const inl_tok *t)
{
    return t->val.len && t->type == T_IDENT ? t->val : t->text;
}

/* Copies a name, lower-cased for case-insensitive languages, with Perl's
 * Package::name written Package.name. */
void inl_name_set(const inl_ctx *c, inl_name *nm, const char *s, size_t n)
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

void inl_name_add(const inl_ctx *c, inl_name *nm, const char *s, size_t n)
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
static int inl_is_member(const inl_ctx *c, const inl_tok *t)
{
    if (t->type != T_PUNCT)
        return 0;
    switch (c->L->lang) {
    case PE_LANG_PYTHON:
        return inl_is_p(t, ".");
    case PE_LANG_JS:
        return inl_is_p(t, ".") || inl_is_p(t, "?.");
    case PE_LANG_PERL:
        return inl_is_p(t, "->") || inl_is_p(t, "::");
    case PE_LANG_RUBY:
        return inl_is_p(t, ".") || inl_is_p(t, "::") || inl_is_p(t, "&.");
    case PE_LANG_PHP:
        return inl_is_p(t, "->") || inl_is_p(t, "::") || inl_is_p(t, "?->") || inl_is_p(t, "\\");
    case PE_LANG_LUA:
        return inl_is_p(t, ".") || inl_is_p(t, ":");
    case PE_LANG_R:
        return inl_is_p(t, "::") || inl_is_p(t, ":::") || inl_is_p(t, "$") || inl_is_p(t, "@");
    case PE_LANG_POWERSHELL:
        return inl_is_p(t, ".") || inl_is_p(t, "::");
    default:
        return 0;
    }
}

int inl_is_name_tok(const inl_tok *t)
{
    return t->type == T_IDENT || t->type == T_VAR || t->type == T_WORD;
}

/* ---- names and chains -------------------------------------------------------------------- */

static const inl_api *lookup(inl_ctx *c, const inl_name *nm)
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
        if (t->type == T_NL || inl_is_p(t, ";") || inl_is_p(t, "}") || inl_is_p(t, ")") ||
            inl_is_p(t, "]") || inl_is_p(t, "{") || t->type == T_EMB_CLOSE)
            return i;
        for (size_t k = 0; stop[k]; k++)
            if (i > 0 && inl_is_id(t, stop[k]))
                return i;
        if (t->type == T_IDENT && t->val.len && strcmp(t->val.s, ELEVATED) == 0)
            return i;
    }
    return e;
}

/* Whether t ends a value, so that a '(' after it is a call's. */
static int inl_ends_value(const inl_tok *t)
{
    return inl_is_name_tok(t) || t->type == T_STR || inl_is_p(t, ")") || inl_is_p(t, "]") ||
           inl_is_p(t, "}");
}

static int ends_stmt(const inl_ctx *c, const inl_tok *t)
{
    return t->type == T_NL || t->type == T_END || t->type == T_EMB_CLOSE || inl_is_p(t, ";") ||
           inl_is_p(t, "}") || inl_is_p(t, ")") ||
           (t->type == T_IDENT &&
            parenless_end(c, (size_t)(t - c->t), (size_t)(t - c->t) + 1) == (size_t)(t - c->t));
}

static int starts_value(const inl_tok *t)
{
    return t->type == T_STR || t->type == T_NUM || t->type == T_VAR || t->type == T_IDENT ||
           t->type == T_CMD || t->type == T_LIST || inl_is_p(t, "[");
}

static void set_path(inl_val *v, const char *s, size_t n, inl_ctx *c)
{
    inl_val p = inl_str_val(c, s, n, 0);
    p.kind = V_PATH;
    p.arg = v->arg;
    *v = p;
}

/* Calls the API (or the value-only function) found for a chain link. */
static inl_val do_call(inl_ctx *c, const inl_api *api, inl_name *nm, const inl_val *recv,
                       inl_args *a, int report, size_t off, int hops);

/* The object a call makes: named by the call, with its first argument
 * (for its methods: Path("x").read_text()) when the value is used. */
static inl_val object(inl_ctx *c, const inl_name *nm, const inl_args *a, int report)
{
    inl_val v = inl_none();
    if (nm->ok) {
        v = inl_str_val(c, nm->s, nm->n, 0);
        v.kind = V_PATH;
    }
    if (a->n && (!report || c->want_value)) {
        inl_val *first = inl_alloc(c, sizeof(*first));
        if (first) {
            *first = inl_eval(c, a->b[0], a->e[0]);
            v.arg = first;
        }
    }
    return v;
}

static inl_val dispatch(inl_ctx *c, inl_name *nm, const inl_val *recv, inl_args *a, int report,
                        size_t off, int hops)
{
    const inl_api *api = lookup(c, nm);
    if (api)
        return do_call(c, api, nm, recv, a, report, off, hops);
    return object(c, nm, a, report);
}

static inl_val do_call(inl_ctx *c, const inl_api *api, inl_name *nm, const inl_val *recv,
                       inl_args *a, int report, size_t off, int hops)
{
    if (api->how == H_IMPORT || api->how == H_GETATTR || api->how == H_SEND ||
        api->how == H_CALLFUNC || api->how == H_CALLARRAY) {
        inl_val target = inl_arg(c, a, api->how == H_GETATTR ? 1 : 0, NULL, recv);
        if (!inl_literal(&target) || hops > 2) {
            if (report)
                c->flags |= PE_INLINE_DYNAMIC;
            return inl_none();
        }
        inl_name to;
        const char *t = target.s.s;
        size_t tn = target.s.len;
        if (api->how == H_IMPORT && tn > 5 && memcmp(t, "node:", 5) == 0)
            t += 5, tn -= 5;
        if (api->how == H_GETATTR) {
            inl_val obj = inl_arg(c, a, 0, NULL, NULL);
            inl_name_set(c, &to, obj.kind == V_PATH ? obj.s.s : "",
                         obj.kind == V_PATH ? obj.s.len : 0);
            to.ok &= obj.kind == V_PATH;
            inl_name_add(c, &to, t, tn);
        } else if (api->how == H_SEND) {
            to = *nm;
            char *dot = strrchr(to.s, '.');
            to.n = dot ? (size_t)(dot - to.s) : 0;
            if (to.n)
                inl_name_add(c, &to, t, tn);
            else
                inl_name_set(c, &to, t, tn);
        } else {
            inl_name_set(c, &to, t, tn);
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
        inl_args rest = *a; /* the call with the name argument dropped */
        size_t drop = inl_arg_index(a, 0, NULL);
        if (drop != SIZE_MAX) {
            rest.b += drop + 1;
            rest.e += drop + 1;
            rest.kw += drop + 1;
            rest.n -= drop + 1;
        }
        if (api->how == H_CALLARRAY && rest.n) {
            const inl_tok *open = &c->t[rest.b[0]];
            if ((inl_is_p(open, "[") || inl_is_p(open, "(")) && open->match)
                inl_split_args(c, rest.b[0] + 1 + (inl_is_id(&c->t[rest.b[0]], "array") ? 1 : 0),
                               open->match, &rest);
            else if (inl_is_id(open, "array") && rest.b[0] + 1 < c->nt && c->t[rest.b[0] + 1].match)
                inl_split_args(c, rest.b[0] + 2, c->t[rest.b[0] + 1].match, &rest);
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
                vals[n++] = inl_arg(c, a, api->a1, api->kw1, recv);
            for (size_t i = 0; i < a->n && n < 4 && !api->kw1; i++)
                if (!a->kw[i].s)
                    vals[n++] = inl_eval(c, a->b[i], a->e[i]);
            if (a->n > 4 && (api->xf == X_CHR || api->xf == X_CONCAT || api->xf == X_PASTE ||
                             api->xf == X_JOINPATH || api->xf == X_LIST || api->xf == X_JOIN)) {
                inl_val *all = inl_alloc(c, a->n * sizeof(*all));
                if (!all)
                    return inl_none();
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
        return inl_none();
    }
    if (report)
        inl_effect(c, api, a, recv, off);
    return object(c, nm, a, report);
}

/* Python's s[::-1] reverses a literal; any other subscript is unknown. */
static inl_val reversed_slice(inl_ctx *c, size_t open, const inl_val *s)
{
    const inl_tok *t = c->t + open + 1, *end = c->t + c->t[open].match;
    int ok = 0;
    if (end - t == 3)
        ok = inl_is_p(&t[0], "::") && inl_is_p(&t[1], "-") && t[2].type == T_NUM &&
             t[2].text.len == 1 && t[2].text.s[0] == '1';
    else if (end - t == 4)
        ok = inl_is_p(&t[0], ":") && inl_is_p(&t[1], ":") && inl_is_p(&t[2], "-") &&
             t[3].type == T_NUM && t[3].text.len == 1 && t[3].text.s[0] == '1';
    if (ok && c->L->lang == PE_LANG_PYTHON)
        return inl_transform(c, X_REV, s, NULL, 0);
    return inl_none();
}

/* Words before a call that do not change what it calls. */
static int inl_prefix_word(const inl_ctx *c, const inl_tok *t)
{
    pe_lang l = c->L->lang;
    return ((l == PE_LANG_JS || l == PE_LANG_PHP) && inl_is_id(t, "new")) ||
           ((l == PE_LANG_JS || l == PE_LANG_PYTHON) && inl_is_id(t, "await"));
}

/* Whether t introduces a function definition (its name is not a call). */
static int defines(const inl_tok *t)
{
    return inl_is_id(t, "def") || inl_is_id(t, "function") || inl_is_id(t, "sub") ||
           inl_is_id(t, "fn") || inl_is_id(t, "func");
}

/* The chain at i: resolves, calls, and returns its value. */
static size_t inl_chain(inl_ctx *c, size_t i, size_t e, int report, inl_val *out)
{
    inl_name nm;
    inl_val v = inl_none();
    const inl_tok *t = &c->t[i];
    int bound = 0; /* the chain starts with a variable, not a name to call */
    nm.n = 0;
    nm.ok = 1;
    nm.s[0] = '\0';
    size_t start = i;
    if (t->type == T_PUNCT && inl_is_p(t, "\\") && i + 1 < e && c->t[i + 1].type == T_IDENT)
        t = &c->t[++i];            /* PHP's \system */
    if (t->flags & TF_CMD_START) { /* a PowerShell command used as a value */
        i = inl_ps_value(c, i, e, &v);
        if (v.kind == V_PATH)
            inl_name_set(c, &nm, v.s.s, v.s.len);
        *out = v;
        return i;
    }
    while (i + 1 < e && inl_is_name_tok(&c->t[i + 1]) && inl_prefix_word(c, t))
        t = &c->t[++i]; /* new X(...) is a call of X; await x is x */
    size_t lit = inl_primary(c, i, e, &v);
    if (lit > i) { /* a literal: a string, number, list, boolean */
        i = lit;
        if (v.kind == V_PATH) /* (New-Object X).Method() */
            inl_name_set(c, &nm, v.s.s, v.s.len);
    } else if (inl_is_name_tok(t)) {
        pe_str name = inl_tok_name(t);
        inl_name_set(c, &nm, name.s, name.len);
        const inl_val *b = inl_bind_get(c, nm.s, nm.n);
        int called = i + 1 < e && inl_is_p(&c->t[i + 1], "(");
        bound = b != NULL || t->type == T_VAR;
        if (b && b->kind == V_PATH) {
            inl_name_set(c, &nm, b->s.s, b->s.len);
            v = *b;
        } else if (b && b->kind == V_STR && called && inl_literal(b)) {
            inl_name_set(c, &nm, b->s.s, b->s.len); /* $f = 'system'; $f(...) */
        } else if (b) {
            v = *b;
            nm.ok = 0;
            if (called && report && t->type == T_VAR) /* $f(..): $f not a known name */
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
        if (inl_is_member(c, k) && i + 1 < e && inl_is_name_tok(&c->t[i + 1])) {
            called = from_var = 0;
            pe_str m = inl_tok_name(&c->t[i + 1]);
            if (nm.n || v.kind != V_PATH)
                inl_name_add(c, &nm, m.s, m.len);
            else
                inl_name_set(c, &nm, m.s, m.len);
            i += 2;
            continue;
        }
        if (inl_is_p(k, "[") && k->match && k->match < e && !nm.n && v.kind == V_STR) {
            v = reversed_slice(c, i, &v); /* "dwr"[::-1] */
            i = k->match + 1;
            continue;
        }
        if (inl_is_p(k, "[") && k->match && k->match < e && nm.n &&
            c->L->lang != PE_LANG_POWERSHELL) {
            inl_val key = inl_eval(c, i + 1, k->match);
            if (inl_literal(&key) && key.kind == V_STR)
                inl_name_add(c, &nm, key.s.s, key.s.len);
            else
                nm.ok = 0;
            v = inl_none();
            i = k->match + 1;
            continue;
        }
        inl_args a;
        memset(&a, 0, sizeof(a));
        int call = 0;
        if (inl_is_p(k, "(") && k->match) {
            if (inl_split_args(c, i + 1, k->match < e ? k->match : e, &a) != 0)
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
                    ends_stmt(c, k) ||
                    (c->L->lang == PE_LANG_PERL && inl_is_p(k, "{") && k->match)) &&
                   lookup(c, &nm)) {
            if (i < e && c->L->lang == PE_LANG_PERL && inl_is_p(k, "{") && k->match)
                i = k->match + 1 < e ? k->match + 1 : e; /* exec { $prog } @args: the args */
            size_t pe = i < e && starts_value(&c->t[i]) ? parenless_end(c, i, e) : i;
            if (c->L->lang == PE_LANG_LUA && pe > i)
                pe = inl_skip(c, i); /* f "str" and f {table} take one argument */
            if (inl_split_args(c, i, pe, &a) != 0)
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
        size_t after = call == 1 ? (inl_is_p(k, "(") ? k->match + 1 : a.e[0]) : a.close + 1;
        c->want_value =
            after < e && (inl_is_member(c, &c->t[after]) || inl_is_p(&c->t[after], "["));
        v = dispatch(c, &nm, &recv, &a, report, c->t[start].off, 0);
        if (v.kind == V_PATH && !nm.n && v.s.len)
            inl_name_set(c, &nm, v.s.s, v.s.len);
        i = call == 1 ? (inl_is_p(k, "(") ? k->match + 1 : a.e[0]) : a.close + 1;
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
    return inl_chain(c, i, e, 0, v);
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
        if (lang == PE_LANG_PYTHON && (inl_is_id(t, "import") || inl_is_id(t, "from")) &&
            inl_stmt_start(c, i)) {
            i = inl_py_import(c, i, e) - 1;
            continue;
        }
        if (lang == PE_LANG_JS && inl_is_id(t, "import") && inl_stmt_start(c, i) && i + 1 < e &&
            !inl_is_p(&c->t[i + 1], "(")) {
            i = inl_js_import(c, i, e) - 1;
            continue;
        }
        if ((lang == PE_LANG_RUBY && inl_is_id(t, "include")) ||
            (lang == PE_LANG_R && (inl_is_id(t, "library") || inl_is_id(t, "require")))) {
            size_t k = i + 1 + (i + 1 < e && inl_is_p(&c->t[i + 1], "("));
            if (k < e && (c->t[k].type == T_IDENT || c->t[k].type == T_STR)) {
                pe_str m = c->t[k].type == T_STR ? c->t[k].val : c->t[k].text;
                inl_add_star(c, m.s, m.len);
            }
        }
        inl_assignment(c, i, e);
        int literal_recv = t->type == T_STR && i + 1 < e &&
                           (inl_is_member(c, &c->t[i + 1]) || inl_is_p(&c->t[i + 1], "["));
        int paren_recv = inl_is_p(t, "(") && t->match && t->match + 1 < e &&
                         inl_is_member(c, &c->t[t->match + 1]) &&
                         !(i > b && inl_ends_value(&c->t[i - 1]) &&
                           !(lang == PE_LANG_POWERSHELL && (t->flags & TF_SPACE)));
        if (i > b && inl_prefix_word(c, &c->t[i - 1]) && inl_is_name_tok(t))
            continue;
        if (i > b && defines(&c->t[i - 1]))
            continue; /* def system(x): a definition, not a call */
        if (((inl_is_name_tok(t) && t->type != T_WORD) || literal_recv || paren_recv ||
             inl_is_p(t, "\\")) &&
            !(i > b && inl_is_member(c, &c->t[i - 1]))) {
            inl_val v;
            inl_chain(c, i, e, 1, &v);
        }
    }
}
