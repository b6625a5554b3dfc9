/*
 * Statements that bind names: imports (Python, JS), include/library (Ruby,
 * R), and assignments (name = value, += .= <<, destructuring, R's <-,
 * AppleScript's set ... to).
 */
#include <string.h>

#include "shell/inline_internal.h"

/* ---- statements: imports and assignments --------------------------------------------------- */

/* The dotted name at i (a.b.c); returns the token after it. */
static size_t dotted(inl_ctx *c, size_t i, size_t e, inl_name *nm)
{
    nm->n = 0;
    nm->ok = 1;
    nm->s[0] = '\0';
    while (i < e && c->t[i].type == T_IDENT) {
        if (nm->n)
            inl_name_add(c, nm, c->t[i].text.s, c->t[i].text.len);
        else
            inl_name_set(c, nm, c->t[i].text.s, c->t[i].text.len);
        if (i + 2 < e && inl_is_p(&c->t[i + 1], ".") && c->t[i + 2].type == T_IDENT)
            i += 2;
        else
            return i + 1;
    }
    return i;
}

static void inl_bind_path(inl_ctx *c, pe_str name, const char *path, size_t n)
{
    inl_val v = inl_str_val(c, path, n, 0);
    v.kind = V_PATH;
    inl_bind_set(c, name.s, name.len, &v, 0);
}

void inl_add_star(inl_ctx *c, const char *s, size_t n)
{
    inl_val v = inl_str_val(c, s, n, 0);
    if (c->nstars < sizeof(c->stars) / sizeof(c->stars[0]) && v.kind == V_STR)
        c->stars[c->nstars++] = v.s.s;
}

/* Python: import a.b [as x], ...; from a.b import c [as d], ... | *. */
size_t inl_py_import(inl_ctx *c, size_t i, size_t e)
{
    inl_name mod, nm;
    if (inl_is_id(&c->t[i], "from")) {
        size_t j = i + 1;
        while (j < e && inl_is_p(&c->t[j], "."))
            j++;
        j = dotted(c, j, e, &mod);
        if (j >= e || !inl_is_id(&c->t[j], "import"))
            return i + 1;
        for (j++; j < e && c->t[j].type != T_NL && !inl_is_p(&c->t[j], ";"); j++) {
            if (inl_is_p(&c->t[j], "*")) {
                inl_add_star(c, mod.s, mod.n);
            } else if (c->t[j].type == T_IDENT && !inl_is_id(&c->t[j], "as")) {
                nm = mod;
                inl_name_add(c, &nm, c->t[j].text.s, c->t[j].text.len);
                pe_str alias = c->t[j].text;
                if (j + 2 < e && inl_is_id(&c->t[j + 1], "as") && c->t[j + 2].type == T_IDENT)
                    alias = c->t[j += 2].text;
                inl_bind_path(c, alias, nm.s, nm.n);
            }
        }
        return j;
    }
    size_t j = i + 1;
    while (j < e) {
        j = dotted(c, j, e, &mod);
        if (j + 1 < e && inl_is_id(&c->t[j], "as") && c->t[j + 1].type == T_IDENT) {
            inl_bind_path(c, c->t[j + 1].text, mod.s, mod.n);
            j += 2;
        }
        if (j < e && inl_is_p(&c->t[j], ","))
            j++;
        else
            break;
    }
    return j;
}

/* JS: import x from 'm'; import * as x from 'm'; import {a as b, c} from 'm'. */
size_t inl_js_import(inl_ctx *c, size_t i, size_t e)
{
    size_t j = i + 1, from = j;
    while (from < e && !inl_is_id(&c->t[from], "from") && c->t[from].type != T_NL &&
           !inl_is_p(&c->t[from], ";"))
        from++;
    if (from + 1 >= e || c->t[from + 1].type != T_STR)
        return i + 1;
    pe_str m = c->t[from + 1].val;
    if (m.len > 5 && memcmp(m.s, "node:", 5) == 0)
        m.s += 5, m.len -= 5;
    inl_name mod;
    inl_name_set(c, &mod, m.s, m.len);
    for (size_t k = 0; k < mod.n; k++)
        mod.s[k] = mod.s[k] == '/' ? '.' : mod.s[k];
    for (; j < from; j++) {
        const inl_tok *t = &c->t[j];
        if (inl_is_p(t, "*") && j + 2 < from && inl_is_id(&c->t[j + 1], "as")) {
            inl_bind_path(c, c->t[j + 2].text, mod.s, mod.n);
            j += 2;
        } else if (inl_is_p(t, "{")) {
            size_t close = t->match && t->match < from ? t->match : from;
            for (size_t k = j + 1; k < close; k++) {
                if (c->t[k].type != T_IDENT)
                    continue;
                inl_name nm = mod;
                inl_name_add(c, &nm, c->t[k].text.s, c->t[k].text.len);
                pe_str alias = c->t[k].text;
                if (k + 2 < close && inl_is_id(&c->t[k + 1], "as"))
                    alias = c->t[k += 2].text;
                inl_bind_path(c, alias, nm.s, nm.n);
            }
            j = close;
        } else if (t->type == T_IDENT) {
            inl_bind_path(c, t->text, mod.s, mod.n); /* the default export */
        }
    }
    return from + 2;
}

/* Whether an assignment can start after token p (a statement boundary). */
int inl_stmt_start(const inl_ctx *c, size_t i)
{
    static const char *const kw[] = {"const",  "let",  "var", "local", "my",     "our", "global",
                                     "export", "then", "do",  "else",  "static", "set", NULL};
    if (i == 0)
        return 1;
    const inl_tok *p = &c->t[i - 1];
    if (p->type == T_NL || p->type == T_EMB_OPEN || inl_is_p(p, ";") || inl_is_p(p, "{") ||
        inl_is_p(p, "}") || inl_is_p(p, ":") || inl_is_p(p, ")") ||
        (c->L->lang == PE_LANG_JS && inl_is_p(p, ",")))
        return 1;
    for (size_t k = 0; kw[k]; k++)
        if (inl_is_id(p, kw[k]))
            return 1;
    return 0;
}

static size_t stmt_end(const inl_ctx *c, size_t i, size_t e)
{
    while (i < e && c->t[i].type != T_NL && !inl_is_p(&c->t[i], ";") && !inl_is_p(&c->t[i], "}") &&
           c->t[i].type != T_EMB_CLOSE && !inl_is_p(&c->t[i], ")") &&
           !(c->L->lang == PE_LANG_JS && inl_is_p(&c->t[i], ",")))
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
        inl_name nm;
        inl_name_set(c, &nm, src.s.s, src.s.len);
        inl_name_add(c, &nm, c->t[k].text.s, c->t[k].text.len);
        pe_str alias = c->t[k].text;
        if (k + 2 < t->match && inl_is_p(&c->t[k + 1], ":") && c->t[k + 2].type == T_IDENT)
            alias = c->t[k += 2].text;
        inl_bind_path(c, alias, nm.s, nm.n);
    }
}

/* name = value (and += .= as concatenation, JS destructuring, R's <-,
 * AppleScript's set name to value). */
void inl_assignment(inl_ctx *c, size_t i, size_t e)
{
    const inl_tok *t = &c->t[i];
    if (i + 1 >= e)
        return;
    if (inl_is_p(t, "{") && t->match && t->match + 1 < e && inl_is_p(&c->t[t->match + 1], "=")) {
        if (inl_stmt_start(c, i))
            destructure(c, i, e);
        return;
    }
    const inl_tok *op = &c->t[i + 1];
    int set_to = c->L->lang == PE_LANG_APPLESCRIPT && i > 0 && inl_is_id(&c->t[i - 1], "set") &&
                 inl_is_id(op, "to");
    int assign = inl_is_p(op, "=") || inl_is_p(op, ":=") || inl_is_p(op, "<-") ||
                 inl_is_p(op, "<<-") || set_to;
    int append = inl_is_p(op, "+=") || inl_is_p(op, ".=") ||
                 (c->L->lang == PE_LANG_RUBY && inl_is_p(op, "<<") && (op->flags & TF_SPACE));
    if (!assign && !append)
        return;
    if (!inl_stmt_start(c, i)) {
        /* an append inside an expression (c => d += c, a callback run
         * later or many times): the variable's value is no longer known */
        if (append && inl_is_name_tok(t)) {
            inl_name nm;
            inl_name_set(c, &nm, t->text.s, t->text.len);
            inl_val unknown = inl_none();
            inl_bind_set(c, nm.s, nm.n, &unknown, 0);
        }
        return;
    }
    size_t end = stmt_end(c, i + 2, e);
    if (!inl_is_name_tok(t))
        return;
    inl_name nm;
    inl_name_set(c, &nm, t->text.s, t->text.len);
    inl_val v = inl_eval(c, i + 2, end);
    if (append) {
        const inl_val *old = inl_bind_get(c, nm.s, nm.n);
        inl_val parts[2] = {old ? *old : inl_none(), v};
        v = inl_transform(c, X_CONCAT, NULL, parts, 2);
    }
    inl_bind_set(c, nm.s, nm.n, &v, append);
}
