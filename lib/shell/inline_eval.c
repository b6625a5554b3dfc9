/*
 * Values of expressions, as far as they are literal: strings (with their
 * interpolations filled in when those are known), numbers, lists,
 * concatenation, Python/Ruby '%' formatting, names bound earlier in the
 * text, and the pure functions of the API tables (decoders, joins,
 * splits). Anything else is a hole (HOLE) in the value, and VF_DYN.
 */
#include <string.h>

#include "prempti/common.h"
#include "shell/decode.h"
#include "shell/inline_internal.h"
#include "util/utf8.h"

#define MAX_BINDINGS 4096u

inl_val inl_str_val(inl_ctx *c, const char *s, size_t n, unsigned flags)
{
    inl_val v = inl_none();
    if (n > PE_INLINE_MAX_VALUE) {
        inl_limit(c, PE_INLINE_LIMIT_WORK);
        return v;
    }
    char *d = inl_alloc(c, n + 1);
    if (!d)
        return v;
    memcpy(d, s, n);
    d[n] = '\0';
    v.kind = V_STR;
    v.flags = (unsigned char)flags;
    v.s.s = d;
    v.s.len = n;
    inl_work(c, n);
    return v;
}

int inl_literal(const inl_val *v)
{
    return (v->kind == V_STR || v->kind == V_NUM) && !(v->flags & VF_DYN);
}

pe_str inl_text(const inl_val *v)
{
    pe_str none = {"", 0}; /* nothing literal */
    return v->kind == V_STR || v->kind == V_NUM ? v->s : none;
}

/* Appends v's text (a hole when unknown) to b; returns its flags. */
unsigned inl_put_val(pe_abuf *b, const inl_val *v)
{
    if (v->kind == V_STR || v->kind == V_NUM) {
        pe_abuf_append(b, v->s.s, v->s.len);
        return v->flags;
    }
    if (v->kind == V_LIST) { /* a list in string context: its words joined by spaces */
        unsigned f = v->flags;
        for (size_t i = 0; i < v->n; i++) {
            if (i)
                pe_abuf_putc(b, ' ');
            f |= inl_put_val(b, &v->items[i]);
        }
        return f;
    }
    pe_abuf_append(b, HOLE, HOLE_LEN);
    return VF_DYN;
}

inl_val inl_finish(inl_ctx *c, pe_abuf *b, unsigned flags)
{
    pe_str s;
    if (pe_abuf_finish(b, &s) != 0) {
        c->nomem = 1;
        return inl_none();
    }
    if (s.len > PE_INLINE_MAX_VALUE) {
        inl_limit(c, PE_INLINE_LIMIT_WORK);
        return inl_none();
    }
    inl_work(c, s.len);
    inl_val v = inl_none();
    v.kind = V_STR;
    v.flags = (unsigned char)(flags & (VF_DYN | VF_DECODED));
    v.s = s;
    return v;
}

/* ---- bindings ---------------------------------------------------------------------------- */

static uint64_t hash_name(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static inl_bind *slot(inl_bind *tab, size_t cap, const char *s, size_t n)
{
    size_t i = (size_t)hash_name(s, n) & (cap - 1);
    while (tab[i].name.s && !(tab[i].name.len == n && memcmp(tab[i].name.s, s, n) == 0))
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

static int grow(inl_ctx *c)
{
    size_t cap = c->bcap ? c->bcap * 2 : 16;
    inl_bind *tab = inl_alloc(c, cap * sizeof(*tab));
    if (!tab)
        return -1;
    for (size_t i = 0; i < c->bcap; i++)
        if (c->binds[i].name.s)
            *slot(tab, cap, c->binds[i].name.s, c->binds[i].name.len) = c->binds[i];
    c->binds = tab;
    c->bcap = cap;
    return 0;
}

void inl_bind_set(inl_ctx *c, const char *name, size_t len, const inl_val *v, int update)
{
    if (c->nbinds >= MAX_BINDINGS) {
        inl_limit(c, PE_INLINE_LIMIT_COUNT);
        return;
    }
    if ((c->nbinds + 1) * 2 > c->bcap && grow(c) != 0)
        return;
    inl_bind *b = slot(c->binds, c->bcap, name, len);
    if (b->name.s) {
        int same = b->val.kind == v->kind && b->val.s.len == v->s.len &&
                   memcmp(b->val.s.s, v->s.s, v->s.len) == 0;
        b->val = *v;
        if (!same && !update && v->kind != V_PATH) /* assigned twice: depends on the path taken */
            b->val.flags |= VF_DYN | VF_MULTI;
        return;
    }
    char *k = inl_alloc(c, len + 1);
    if (!k)
        return;
    memcpy(k, name, len);
    k[len] = '\0';
    b->name.s = k;
    b->name.len = len;
    b->val = *v;
    c->nbinds++;
}

const inl_val *inl_bind_get(inl_ctx *c, const char *name, size_t len)
{
    if (!c->bcap)
        return NULL;
    inl_bind *b = slot(c->binds, c->bcap, name, len);
    return b->name.s ? &b->val : NULL;
}

/* ---- expressions ------------------------------------------------------------------------- */

/* Whether token t is one of the language's concatenation operators. */
static int is_concat(const inl_ctx *c, const inl_tok *t)
{
    if (t->type != T_PUNCT && t->type != T_IDENT)
        return 0;
    const char *ops = c->L->concat;
    while (*ops) {
        size_t n = strcspn(ops, " ");
        if (n == t->text.len && memcmp(ops, t->text.s, n) == 0)
            return 1;
        ops += n + (ops[n] == ' ');
    }
    return 0;
}

/* A string token's value, with its interpolations filled in where their
 * values are known; *end receives the token after its embeds. */
inl_val inl_str_token(inl_ctx *c, size_t i, size_t *end)
{
    const inl_tok *t = &c->t[i];
    size_t k = i + 1;
    if (!(t->flags & TF_DYN)) {
        *end = k;
        return inl_str_val(c, t->val.s, t->val.len, 0);
    }
    pe_abuf b;
    pe_abuf_init(&b, c->a, t->val.len);
    unsigned f = 0;
    const char *p = t->val.s, *stop = t->val.s + t->val.len;
    while (p < stop) {
        const char *h = strstr(p, HOLE);
        if (!h || h >= stop) {
            pe_abuf_append(&b, p, (size_t)(stop - p));
            break;
        }
        pe_abuf_append(&b, p, (size_t)(h - p));
        inl_val e = inl_none();
        if (k < c->nt && c->t[k].type == T_EMB_OPEN) {
            size_t close = c->t[k].match ? c->t[k].match : k + 1;
            e = inl_eval(c, k + 1, close);
            k = close + 1;
        }
        f |= inl_put_val(&b, &e);
        p = h + HOLE_LEN;
    }
    while (k < c->nt && c->t[k].type == T_EMB_OPEN) /* embeds without a hole */
        k = (c->t[k].match ? c->t[k].match : k) + 1;
    *end = k;
    return inl_finish(c, &b, f);
}

/* Splits [b, e) at top-level commas into a list of values. */
static inl_val list_value(inl_ctx *c, size_t b, size_t e)
{
    inl_val v = inl_none();
    inl_args a; /* the items, as a call's arguments (a key => of PHP and Perl is skipped) */
    if (inl_split_args(c, b, e, &a) != 0)
        return v;
    v.items = inl_alloc(c, (a.n + 1) * sizeof(*v.items));
    if (!v.items)
        return v;
    v.kind = V_LIST;
    v.flags = 0;
    for (size_t k = 0; k < a.n; k++) {
        v.items[v.n] = inl_eval(c, a.b[k], a.e[k]);
        v.flags |= v.items[v.n++].flags & VF_DYN;
    }
    return v;
}

/* Whether [b, e) holds a top-level comma. */
static int has_comma(const inl_ctx *c, size_t b, size_t e)
{
    for (size_t i = b; i < e; i = inl_skip(c, i))
        if (inl_is_p(&c->t[i], ","))
            return 1;
    return 0;
}

size_t inl_primary(inl_ctx *c, size_t i, size_t e, inl_val *v)
{
    const inl_tok *t = &c->t[i];
    size_t end = i + 1;
    *v = inl_none();
    if (t->type == T_PUNCT && c->L->lang == PE_LANG_AWK && inl_is_p(t, "$") && i + 1 < e) {
        end = inl_skip(c, i + 1); /* a field: $1, $NF, $(i+1) */
    } else if (t->type == T_STR) {
        *v = inl_str_token(c, i, &end);
    } else if (t->type == T_NUM) {
        *v = inl_str_val(c, t->text.s, t->text.len, 0);
        v->kind = V_NUM;
    } else if (t->type == T_LIST) {
        inl_val s = inl_str_val(c, t->val.s, t->val.len, 0);
        *v = inl_transform(c, X_SPLIT, &s, NULL, 0);
    } else if (t->type == T_PUNCT && (inl_is_p(t, "[") || inl_is_p(t, "(") ||
                                      (inl_is_p(t, "{") && c->L->lang == PE_LANG_LUA))) {
        size_t close = t->match && t->match <= e ? t->match : e;
        end = close < e ? close + 1 : e;
        if (inl_is_p(t, "(") && !has_comma(c, i + 1, close))
            *v = inl_eval(c, i + 1, close);
        else
            *v = list_value(c, i + 1, close);
    } else if (t->type == T_PUNCT && inl_is_p(t, "@") && i + 1 < e && inl_is_p(&c->t[i + 1], "(")) {
        size_t close = c->t[i + 1].match && c->t[i + 1].match <= e ? c->t[i + 1].match : e;
        *v = list_value(c, i + 2, close); /* PowerShell @(...) */
        end = close < e ? close + 1 : e;
    } else if (inl_is_id(t, "True") || inl_is_id(t, "true") || inl_is_id(t, "TRUE") ||
               (t->type == T_VAR && t->text.len == 5 && memcmp(t->text.s, "$true", 5) == 0)) {
        v->kind = V_BOOL;
        v->flags = VF_TRUE;
    } else {
        return i;
    }
    return end;
}

/* Python and Ruby: "fmt %s" % x or % (a, b). */
static inl_val percent_format(inl_ctx *c, const inl_val *fmt, const inl_val *arg)
{
    pe_abuf b;
    pe_abuf_init(&b, c->a, fmt->s.len);
    unsigned f = fmt->flags;
    size_t ai = 0;
    for (size_t i = 0; i < fmt->s.len; i++) {
        char ch = fmt->s.s[i];
        if (ch != '%' || i + 1 >= fmt->s.len) {
            pe_abuf_putc(&b, ch);
            continue;
        }
        char conv = fmt->s.s[++i];
        if (conv == '%') {
            pe_abuf_putc(&b, '%');
            continue;
        }
        const inl_val *a =
            arg->kind == V_LIST ? (ai < arg->n ? &arg->items[ai] : NULL) : (ai == 0 ? arg : NULL);
        ai++;
        if (a && inl_in("sdirf", conv) && conv)
            f |= inl_put_val(&b, a);
        else
            f |= inl_put_val(&b, &(inl_val){.kind = V_NONE});
    }
    return inl_finish(c, &b, f);
}

inl_val inl_eval(inl_ctx *c, size_t b, size_t e)
{
    while (b < e && c->t[b].type == T_NL)
        b++;
    while (e > b && c->t[e - 1].type == T_NL)
        e--;
    if (b >= e)
        return inl_none();
    if (c->nest >= PE_INLINE_MAX_NEST) {
        inl_limit(c, PE_INLINE_LIMIT_DEPTH);
        return inl_none();
    }
    if (inl_work(c, e - b) != 0)
        return inl_none();
    c->nest++;
    inl_val first = inl_none();
    pe_abuf buf;
    pe_abuf_init(&buf, c->a, 0);
    unsigned f = 0;
    int n = 0, ops = 0; /* operands; an operator that is not a concatenation */
    for (size_t i = b; i < e && !c->stop;) {
        inl_val v;
        size_t next = inl_chain_value(c, i, e, &v);
        if (next > i) {
            if (n == 1)
                f |= inl_put_val(&buf, &first);
            if (n == 0)
                first = v;
            else
                f |= inl_put_val(&buf, &v);
            n++;
            i = next;
            continue;
        }
        const inl_tok *t = &c->t[i];
        if (inl_is_p(t, "%") && n == 1 && first.kind == V_STR &&
            (c->L->lang == PE_LANG_PYTHON || c->L->lang == PE_LANG_RUBY)) {
            inl_val arg;
            size_t after = inl_chain_value(c, i + 1, e, &arg);
            if (after > i + 1) {
                first = percent_format(c, &first, &arg);
                i = after;
                continue;
            }
        }
        ops |= !is_concat(c, t);
        i = inl_skip(c, i);
    }
    c->nest--;
    if (n == 0)
        return inl_none();
    if (n == 1 && !ops)
        return first;
    if (n == 1)
        f |= inl_put_val(&buf, &first);
    return inl_finish(c, &buf, f | (ops ? VF_DYN : 0));
}

size_t inl_expr_end(inl_ctx *c, size_t b, size_t e)
{
    size_t i = b;
    while (i < e && !inl_is_p(&c->t[i], ",") && !inl_is_p(&c->t[i], ";") && c->t[i].type != T_NL)
        i = inl_skip(c, i);
    return i;
}
