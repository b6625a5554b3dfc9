/*
 * Recursive-descent parser for Falco conditions. The structure, the lexing
 * order and the error messages follow libsinsp's filter parser so that a
 * condition Falco accepts is accepted here and a condition Falco rejects is
 * rejected with the same words.
 */
#include "cond/parser.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/mem.h"

#define TRANSFORMERS_MSG                                                                       \
    "'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'"

typedef struct parser {
    const char *text;
    size_t len;
    size_t pos;
    const pe_cond_src *src;
    pe_arena *arena;
    pe_parse_error *err;
    unsigned depth, max_depth;
    const char *last_tok; /* the last token lexed, for "unexpected token after" */
    size_t last_tok_len;
    jmp_buf fail; /* longjmp'd to with 1 (syntax) or 2 (out of memory) */
} parser;

#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 2, 3)))
#endif
static void
syntax_error(parser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
    va_end(ap);
    p->err->pos = (uint32_t)p->pos;
    longjmp(p->fail, 1);
}

#if defined(__GNUC__)
__attribute__((noreturn))
#endif
static void
out_of_memory(parser *p)
{
    longjmp(p->fail, 2);
}

static void *alloc(parser *p, size_t n)
{
    void *m = pe_arena_alloc(p->arena, n);
    if (!m)
        out_of_memory(p);
    return m;
}

static const char *copy(parser *p, const char *s, size_t n)
{
    char *d = pe_arena_strndup(p->arena, s, n);
    if (!d)
        out_of_memory(p);
    return d;
}

static void depth_push(parser *p)
{
    if (++p->depth > p->max_depth)
        syntax_error(p, "exceeded max depth limit of %u", p->max_depth);
}

static void depth_pop(parser *p)
{
    p->depth--;
}

/* ---- lexing helpers ---- */

static int at_end(const parser *p)
{
    return p->pos >= p->len;
}

static char peek(const parser *p, size_t off)
{
    return p->pos + off < p->len ? p->text[p->pos + off] : '\0';
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\b' || c == '\r' || c == '\n';
}

static int is_space(char c) /* POSIX [[:space:]] */
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_ident_char(char c)
{
    return is_alpha(c) || is_digit(c) || c == '_';
}

static void set_last(parser *p, size_t start)
{
    p->last_tok = p->text + start;
    p->last_tok_len = p->pos - start;
}

/* Consumes blanks; returns 1 when at least one was consumed. */
static int lex_blank(parser *p)
{
    size_t start = p->pos;
    while (!at_end(p) && is_blank(p->text[p->pos]))
        p->pos++;
    return p->pos > start;
}

/* Consumes the exact string s when it is next. */
static int lex_str(parser *p, const char *s)
{
    size_t n = strlen(s);
    if (p->len - p->pos < n || memcmp(p->text + p->pos, s, n) != 0)
        return 0;
    size_t start = p->pos;
    p->pos += n;
    set_last(p, start);
    return 1;
}

/* [a-zA-Z][a-zA-Z0-9_]* */
static int lex_identifier(parser *p)
{
    if (at_end(p) || !is_alpha(p->text[p->pos]))
        return 0;
    size_t start = p->pos;
    while (!at_end(p) && is_ident_char(p->text[p->pos]))
        p->pos++;
    set_last(p, start);
    return 1;
}

/* [a-zA-Z][a-zA-Z0-9_]*(\.[a-zA-Z][a-zA-Z0-9_]*)+ */
static int lex_field_name(parser *p)
{
    size_t start = p->pos, i = p->pos;
    if (i >= p->len || !is_alpha(p->text[i]))
        return 0;
    while (i < p->len && is_ident_char(p->text[i]))
        i++;
    int parts = 0;
    while (i + 1 < p->len && p->text[i] == '.' && is_alpha(p->text[i + 1])) {
        i++;
        while (i < p->len && is_ident_char(p->text[i]))
            i++;
        parts++;
    }
    if (!parts)
        return 0;
    p->pos = i;
    set_last(p, start);
    return 1;
}

/* A decimal or hexadecimal number, as Falco lexes it. */
static int lex_number(parser *p)
{
    size_t i = p->pos, start = p->pos;
    if (i + 2 < p->len + 1 && p->text[i] == '0' && i + 1 < p->len &&
        (p->text[i + 1] == 'x' || p->text[i + 1] == 'X')) {
        size_t j = i + 2;
        while (j < p->len && ((p->text[j] >= '0' && p->text[j] <= '9') ||
                              (p->text[j] >= 'a' && p->text[j] <= 'f') ||
                              (p->text[j] >= 'A' && p->text[j] <= 'F')))
            j++;
        if (j > i + 2) {
            p->pos = j;
            set_last(p, start);
            return 1;
        }
    }
    if (i < p->len && (p->text[i] == '+' || p->text[i] == '-'))
        i++;
    if (i >= p->len || !is_digit(p->text[i]))
        return 0;
    while (i < p->len && is_digit(p->text[i]))
        i++;
    if (i < p->len && p->text[i] == '.') {
        i++;
        while (i < p->len && is_digit(p->text[i]))
            i++;
    }
    if (i + 2 < p->len + 1 && i < p->len && (p->text[i] == 'e' || p->text[i] == 'E') &&
        i + 1 < p->len && (p->text[i + 1] == '+' || p->text[i + 1] == '-') && i + 2 < p->len &&
        is_digit(p->text[i + 2])) {
        i += 2;
        while (i < p->len && is_digit(p->text[i]))
            i++;
    }
    p->pos = i;
    set_last(p, start);
    return 1;
}

static int bare_char(char c)
{
    return !is_blank(c) && c != '(' && c != ')' && c != '"' && c != '\'' && c != '=' &&
           c != ',' && c != '\f' && c != '\v';
}

/* One or more characters that are not blank, ( ) " ' = or , : taken verbatim. */
static int lex_bare_string(parser *p, pe_ast_lit *out)
{
    size_t start = p->pos;
    while (!at_end(p) && bare_char(p->text[p->pos]))
        p->pos++;
    if (p->pos == start)
        return 0;
    set_last(p, start);
    out->s = copy(p, p->text + start, p->pos - start);
    out->len = p->pos - start;
    out->pos = (uint32_t)start;
    out->quoted = 0;
    return 1;
}

/* Unescapes the body of a quoted string; raises Falco's escape errors. */
static void unescape(parser *p, size_t body, size_t end, char quote, pe_ast_lit *out)
{
    char *d = alloc(p, end - body + 1);
    size_t n = 0;
    for (size_t i = body; i < end; i++) {
        char c = p->text[i];
        if (c != '\\') {
            d[n++] = c;
            continue;
        }
        char e = i + 1 < end ? p->text[i + 1] : '\0';
        i++;
        switch (e) {
        case '\\':
            d[n++] = '\\';
            break;
        case '/':
            d[n++] = '/';
            break;
        case 'b':
            d[n++] = '\b';
            break;
        case 'f':
            d[n++] = '\f';
            break;
        case 'n':
            d[n++] = '\n';
            break;
        case 'r':
            d[n++] = '\r';
            break;
        case 't':
            d[n++] = '\t';
            break;
        case ' ':
            d[n++] = '\\'; /* Falco's legacy "\ " */
            break;
        case '"':
            if (quote != '"') {
                p->pos = i - 1;
                syntax_error(p, "invalid \\\" escape in '-quoted string");
            }
            d[n++] = '"';
            break;
        case '\'':
            if (quote != '\'') {
                p->pos = i - 1;
                syntax_error(p, "invalid \\' escape in \"-quoted string");
            }
            d[n++] = '\'';
            break;
        default:
            p->pos = i - 1;
            if (e)
                syntax_error(p, "unsupported string escape sequence: \\%c", e);
            syntax_error(p, "unsupported string escape sequence: \\");
        }
    }
    d[n] = '\0';
    out->s = d;
    out->len = n;
}

/*
 * A '...' or "..." string. The string ends at the first matching quote whose
 * preceding character is not a backslash (Falco's rule, so 'a\\' does not
 * end at its last quote).
 */
static int lex_quoted_string(parser *p, pe_ast_lit *out)
{
    if (at_end(p) || (p->text[p->pos] != '"' && p->text[p->pos] != '\''))
        return 0;
    char q = p->text[p->pos];
    size_t start = p->pos, i = p->pos + 1;
    while (i < p->len && !(p->text[i] == q && p->text[i - 1] != '\\'))
        i++;
    if (i >= p->len)
        return 0; /* unterminated: not a string token */
    p->pos = i + 1;
    size_t after = p->pos;
    set_last(p, start);
    unescape(p, start + 1, i, q, out);
    p->pos = after;
    out->pos = (uint32_t)start;
    out->quoted = 1;
    return 1;
}

static int lex_value(parser *p, pe_ast_lit *out)
{
    return lex_quoted_string(p, out) || lex_bare_string(p, out);
}

/* ---- grammar ---- */

static pe_ast_node *parse_or(parser *p);

static pe_ast_node *new_node(parser *p, pe_node_kind kind, size_t pos)
{
    pe_ast_node *n = alloc(p, sizeof(*n));
    n->kind = kind;
    n->pos = (uint32_t)pos;
    n->src = p->src;
    return n;
}

typedef struct kids {
    pe_ast_node **v;
    size_t n, cap;
} kids;

static void push_kid(parser *p, kids *k, pe_ast_node *n)
{
    if (k->n == k->cap) {
        size_t ncap = k->cap ? k->cap * 2 : 4;
        pe_ast_node **nv = alloc(p, ncap * sizeof(*nv));
        if (k->n)
            memcpy(nv, k->v, k->n * sizeof(*nv));
        k->v = nv;
        k->cap = ncap;
    }
    k->v[k->n++] = n;
}

static pe_ast_node *finish_chain(parser *p, pe_node_kind kind, size_t pos, kids *k)
{
    if (k->n == 1)
        return k->v[0];
    pe_ast_node *n = new_node(p, kind, pos);
    n->kids = k->v;
    n->nkids = k->n;
    return n;
}

static void expect_close(parser *p)
{
    lex_blank(p);
    if (!lex_str(p, ")"))
        syntax_error(p, "expected a ')' token");
}

static int is_transformer_name(const char *s, size_t n)
{
    static const char *const names[] = {"tolower", "toupper", "b64",    "basename",
                                        "len",     "join",    "concat", "getopt"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
            return 1;
    return 0;
}

/* Field argument: "[" (quoted | bare) "]" right after the name. */
static void parse_field_arg(parser *p, pe_ast_expr *e)
{
    if (peek(p, 0) != '[')
        return;
    p->pos++;
    pe_ast_lit lit;
    if (!lex_quoted_string(p, &lit)) {
        size_t start = p->pos;
        while (!at_end(p)) {
            char c = p->text[p->pos];
            if (c == '[' || c == ']' || c == '"' || c == '\'' || is_space(c) || c == '\b')
                break;
            p->pos++;
        }
        if (p->pos == start)
            syntax_error(p, "expected a valid field argument: a quoted string or a bare string");
        set_last(p, start);
        lit.s = copy(p, p->text + start, p->pos - start);
        lit.len = p->pos - start;
    }
    if (!lex_str(p, "]"))
        syntax_error(p, "expected a ']' token");
    e->arg = lit.s;
    e->arg_len = lit.len;
}

static pe_ast_expr *new_expr(parser *p, pe_expr_kind kind, size_t pos)
{
    pe_ast_expr *e = alloc(p, sizeof(*e));
    e->kind = kind;
    e->pos = (uint32_t)pos;
    return e;
}

static pe_ast_expr *parse_field(parser *p)
{
    size_t start = p->pos;
    if (!lex_field_name(p))
        return NULL;
    pe_ast_expr *e = new_expr(p, PE_EXPR_FIELD, start);
    e->name = copy(p, p->text + start, p->pos - start);
    e->name_len = p->pos - start;
    parse_field_arg(p, e);
    return e;
}

static pe_ast_expr *parse_transformer(parser *p);

typedef struct exprs {
    pe_ast_expr **v;
    size_t n, cap;
} exprs;

static void push_expr(parser *p, exprs *x, pe_ast_expr *e)
{
    if (x->n == x->cap) {
        size_t ncap = x->cap ? x->cap * 2 : 4;
        pe_ast_expr **nv = alloc(p, ncap * sizeof(*nv));
        if (x->n)
            memcpy(nv, x->v, x->n * sizeof(*nv));
        x->v = nv;
        x->cap = ncap;
    }
    x->v[x->n++] = e;
}

/* A transformer argument: field, transformer, quoted string, number, or
 * (when allowed) a parenthesised list of those. NULL when none is next. */
static pe_ast_expr *parse_transformer_arg(parser *p, int allow_list)
{
    size_t at = p->pos;
    pe_ast_expr *a = parse_transformer(p);
    if (!a)
        a = parse_field(p);
    if (a)
        return a;
    pe_ast_lit lit = {0};
    if (lex_quoted_string(p, &lit)) {
        a = new_expr(p, PE_EXPR_LITERAL, at);
        a->lit = lit;
        return a;
    }
    if (lex_number(p)) {
        a = new_expr(p, PE_EXPR_LITERAL, at);
        a->lit.s = copy(p, p->text + at, p->pos - at);
        a->lit.len = p->pos - at;
        a->lit.pos = (uint32_t)at;
        return a;
    }
    if (!allow_list || !lex_str(p, "("))
        return NULL;
    a = new_expr(p, PE_EXPR_LIST, at);
    exprs x = {0};
    lex_blank(p);
    if (!lex_str(p, ")")) {
        for (;;) {
            lex_blank(p);
            pe_ast_expr *item = parse_transformer_arg(p, 0);
            if (!item)
                syntax_error(p, "expected transformer list argument: field, transformer, "
                                "quoted string, or number");
            push_expr(p, &x, item);
            lex_blank(p);
            if (lex_str(p, ")"))
                break;
            if (!lex_str(p, ","))
                syntax_error(p, "expected ')'");
        }
    }
    a->args = x.v;
    a->nargs = x.n;
    return a;
}

/* name "(" arg ("," arg)* ")" ("[" arg "]")? where name is a transformer. */
static pe_ast_expr *parse_transformer(parser *p)
{
    size_t start = p->pos, i = p->pos;
    while (i < p->len && is_ident_char(p->text[i]))
        i++;
    if (i == start || i >= p->len || p->text[i] != '(' ||
        !is_transformer_name(p->text + start, i - start))
        return NULL;
    depth_push(p);
    p->pos = i + 1;
    set_last(p, start);
    pe_ast_expr *e = new_expr(p, PE_EXPR_TRANSFORM, start);
    e->name = copy(p, p->text + start, i - start);
    e->name_len = i - start;
    exprs x = {0};
    for (;;) {
        lex_blank(p);
        pe_ast_expr *a = parse_transformer_arg(p, 1);
        if (!a)
            syntax_error(p, "expected field transformer argument: field, transformer, quoted "
                            "string, number, or transformer list");
        push_expr(p, &x, a);
        lex_blank(p);
        if (lex_str(p, ")"))
            break;
        if (!lex_str(p, ","))
            syntax_error(p, "expected a ')' token closing the transformer");
    }
    e->args = x.v;
    e->nargs = x.n;
    parse_field_arg(p, e);
    depth_pop(p);
    return e;
}

/* The right-hand side val(field) or a transformer; NULL when neither. */
static pe_ast_expr *parse_rhs_expr(parser *p, pe_ast_node *check)
{
    size_t start = p->pos;
    if (lex_str(p, "val(")) {
        lex_blank(p);
        pe_ast_expr *f = parse_field(p);
        if (!f)
            syntax_error(p, "expected a field within 'val' transformer");
        lex_blank(p);
        if (!lex_str(p, ")"))
            syntax_error(p, "expected a ')' token closing the transformer");
        check->rhs_is_val = 1;
        f->pos = (uint32_t)start;
        return f;
    }
    return parse_transformer(p);
}

/* ( v1, v2, ... ) with quoted or bare strings; the '(' is already consumed. */
static void parse_list(parser *p, pe_ast_node *c)
{
    pe_ast_lit *items = NULL;
    size_t n = 0, cap = 0;
    lex_blank(p);
    if (!lex_str(p, ")")) {
        for (;;) {
            lex_blank(p);
            pe_ast_lit lit;
            if (!lex_value(p, &lit))
                syntax_error(p, "expected a string value");
            if (n == cap) {
                size_t ncap = cap ? cap * 2 : 8;
                pe_ast_lit *nv = alloc(p, ncap * sizeof(*nv));
                if (n)
                    memcpy(nv, items, n * sizeof(*nv));
                items = nv;
                cap = ncap;
            }
            items[n++] = lit;
            lex_blank(p);
            if (lex_str(p, ")"))
                break;
            if (!lex_str(p, ","))
                syntax_error(p, "expected a ')' token");
        }
    }
    c->rhs_kind = PE_RHS_LIST;
    c->list = items;
    c->nlist = n;
}

typedef struct opdef {
    const char *text;
    pe_op op;
} opdef;

static const opdef numeric_ops[] = {
    {"<=", PE_OP_LE}, {"<", PE_OP_LT}, {">=", PE_OP_GE}, {">", PE_OP_GT}, {NULL, 0}};
static const opdef symbol_ops[] = {{"==", PE_OP_EQ}, {"=", PE_OP_EQ}, {"!=", PE_OP_NE}, {NULL, 0}};
static const opdef word_ops[] = {{"glob", PE_OP_GLOB},
                                 {"iglob", PE_OP_IGLOB},
                                 {"contains", PE_OP_CONTAINS},
                                 {"icontains", PE_OP_ICONTAINS},
                                 {"bcontains", PE_OP_BCONTAINS},
                                 {"startswith", PE_OP_STARTSWITH},
                                 {"bstartswith", PE_OP_BSTARTSWITH},
                                 {"endswith", PE_OP_ENDSWITH},
                                 {"regex", PE_OP_REGEX},
                                 {NULL, 0}};
static const opdef list_ops[] = {
    {"intersects", PE_OP_INTERSECTS}, {"in", PE_OP_IN}, {"pmatch", PE_OP_PMATCH}, {NULL, 0}};

static const opdef *lex_op(parser *p, const opdef *ops)
{
    for (; ops->text; ops++)
        if (lex_str(p, ops->text))
            return ops;
    return NULL;
}

/* After a string operator: "oneof|anyof|allof" BLANK ("(" | identifier),
 * unless the identifier is and/or/not. Returns the modifier or NONE. */
static pe_mod lex_modifier(parser *p)
{
    static const struct {
        const char *w;
        pe_mod m;
    } mods[] = {{"oneof", PE_MOD_ONEOF}, {"anyof", PE_MOD_ANYOF}, {"allof", PE_MOD_ALLOF}};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(mods[i].w);
        if (p->len - p->pos < n || memcmp(p->text + p->pos, mods[i].w, n) != 0)
            continue;
        size_t j = p->pos + n;
        size_t k = j;
        while (k < p->len && is_blank(p->text[k]))
            k++;
        if (k == j || k >= p->len)
            return PE_MOD_NONE;
        if (p->text[k] != '(') {
            if (!is_alpha(p->text[k]))
                return PE_MOD_NONE;
            size_t e = k;
            while (e < p->len && is_ident_char(p->text[e]))
                e++;
            size_t wl = e - k;
            if ((wl == 3 && (!memcmp(p->text + k, "and", 3) || !memcmp(p->text + k, "not", 3))) ||
                (wl == 2 && !memcmp(p->text + k, "or", 2)))
                return PE_MOD_NONE;
        }
        size_t start = p->pos;
        p->pos = k;
        p->last_tok = p->text + start;
        p->last_tok_len = n;
        return mods[i].m;
    }
    return PE_MOD_NONE;
}

static void parse_list_or_ident(parser *p, pe_ast_node *c, const char *msg)
{
    if (lex_str(p, "(")) {
        parse_list(p, c);
        return;
    }
    size_t start = p->pos;
    if (lex_identifier(p)) {
        c->rhs_kind = PE_RHS_IDENT;
        c->value.s = copy(p, p->text + start, p->pos - start);
        c->value.len = p->pos - start;
        c->value.pos = (uint32_t)start;
        return;
    }
    syntax_error(p, "%s", msg);
}

/* Operator and right-hand side after a field or transformer. */
static void parse_condition(parser *p, pe_ast_node *c)
{
    lex_blank(p);
    if (lex_str(p, "exists")) {
        c->op = PE_OP_EXISTS;
        c->op_text = "exists";
        c->rhs_kind = PE_RHS_NONE;
        return;
    }
    const opdef *op = lex_op(p, numeric_ops);
    if (op) {
        c->op = op->op;
        c->op_text = op->text;
        lex_blank(p);
        size_t start = p->pos;
        if (lex_number(p)) {
            c->rhs_kind = PE_RHS_VALUE;
            c->value.s = copy(p, p->text + start, p->pos - start);
            c->value.len = p->pos - start;
            c->value.pos = (uint32_t)start;
            return;
        }
        if ((c->rhs = parse_rhs_expr(p, c))) {
            c->rhs_kind = PE_RHS_EXPR;
            return;
        }
        syntax_error(p, "expected a number value or a field with a valid transformer: "
                        "'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', "
                        "'concat', 'getopt'");
    }
    int word = 0;
    op = lex_op(p, symbol_ops);
    if (!op) {
        op = lex_op(p, word_ops);
        word = op != NULL;
    }
    if (op) {
        c->op = op->op;
        c->op_text = op->text;
        if (word && !lex_blank(p))
            syntax_error(p, "expected a valid check operator: one of 'exists', '<=', '<', "
                            "'>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', "
                            "'icontains', 'bcontains', 'startswith', 'bstartswith', "
                            "'endswith', 'regex', 'intersects', 'in', 'pmatch'");
        int blank = word ? 1 : lex_blank(p);
        pe_mod m = blank ? lex_modifier(p) : PE_MOD_NONE; /* needs a blank before it */
        if (m != PE_MOD_NONE) {
            c->mod = m;
            parse_list_or_ident(p, c, "expected a list or an identifier");
            return;
        }
        if ((c->rhs = parse_rhs_expr(p, c))) {
            c->rhs_kind = PE_RHS_EXPR;
            return;
        }
        if (lex_value(p, &c->value)) {
            c->rhs_kind = PE_RHS_VALUE;
            return;
        }
        syntax_error(p, "expected a string value or a field with a valid transformer: "
                        "" TRANSFORMERS_MSG);
    }
    op = lex_op(p, list_ops);
    if (op) {
        c->op = op->op;
        c->op_text = op->text;
        lex_blank(p);
        if ((c->rhs = parse_rhs_expr(p, c))) {
            c->rhs_kind = PE_RHS_EXPR;
            return;
        }
        parse_list_or_ident(p, c,
                            "expected a list, an identifier, or a field with a valid "
                            "transformer: " TRANSFORMERS_MSG);
        return;
    }
    syntax_error(p, "expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', "
                    "'==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', "
                    "'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', "
                    "'pmatch'");
}

static pe_ast_node *parse_check(parser *p)
{
    depth_push(p);
    lex_blank(p);
    size_t start = p->pos;
    pe_ast_node *n;
    if (lex_str(p, "(")) {
        n = parse_or(p);
        expect_close(p);
        depth_pop(p);
        return n;
    }
    pe_ast_expr *lhs = parse_transformer(p);
    if (!lhs)
        lhs = parse_field(p);
    if (lhs) {
        n = new_node(p, PE_AST_CHECK, start);
        n->lhs = lhs;
        parse_condition(p, n);
        depth_pop(p);
        return n;
    }
    if (lex_identifier(p)) {
        n = new_node(p, PE_AST_IDENT, start);
        n->ident = copy(p, p->text + start, p->pos - start);
        n->ident_len = p->pos - start;
        depth_pop(p);
        return n;
    }
    syntax_error(p, "expected a '(' token, a field check, or an identifier");
}

static pe_ast_node *parse_not(parser *p)
{
    depth_push(p);
    lex_blank(p);
    size_t start = p->pos;
    int negate = 0;
    pe_ast_node *child = NULL;
    for (;;) {
        /* "not" is a keyword only when a blank or '(' follows it */
        if (p->len - p->pos >= 3 && memcmp(p->text + p->pos, "not", 3) == 0) {
            char next = peek(p, 3);
            if (is_space(next) || next == '\b') {
                lex_str(p, "not");
                while (!at_end(p) && (is_space(p->text[p->pos]) || p->text[p->pos] == '\b'))
                    p->pos++;
                negate = !negate;
                continue;
            }
            if (next == '(') {
                lex_str(p, "not(");
                child = parse_or(p);
                expect_close(p);
                negate = !negate;
                break;
            }
        }
        break;
    }
    if (!child)
        child = parse_check(p);
    depth_pop(p);
    if (!negate)
        return child;
    pe_ast_node *n = new_node(p, PE_AST_NOT, start);
    n->kids = alloc(p, sizeof(*n->kids));
    n->kids[0] = child;
    n->nkids = 1;
    return n;
}

/* ( keyword (BLANK next | '(' Or ')') )* shared by and/or chains */
static pe_ast_node *parse_chain(parser *p, const char *kw, pe_node_kind kind,
                                pe_ast_node *(*next)(parser *))
{
    depth_push(p);
    lex_blank(p);
    size_t start = p->pos;
    kids k = {0};
    push_kid(p, &k, next(p));
    lex_blank(p);
    for (;;) {
        size_t save = p->pos;
        if (!lex_str(p, kw))
            break;
        if (lex_blank(p)) {
            push_kid(p, &k, next(p));
        } else if (lex_str(p, "(")) {
            pe_ast_node *inner = parse_or(p);
            expect_close(p);
            push_kid(p, &k, inner);
        } else {
            p->pos = save + strlen(kw);
            syntax_error(p, "expected blank or '(' after '%s'", kw);
        }
        lex_blank(p);
    }
    depth_pop(p);
    return finish_chain(p, kind, start, &k);
}

static pe_ast_node *parse_and(parser *p)
{
    return parse_chain(p, "and", PE_AST_AND, parse_not);
}

static pe_ast_node *parse_or(parser *p)
{
    return parse_chain(p, "or", PE_AST_OR, parse_and);
}

int pe_parse_condition(pe_ast_node **out, const char *text, size_t len, const pe_cond_src *src,
                       unsigned max_depth, pe_arena *arena, pe_parse_error *err)
{
    parser p = {0};
    p.text = text;
    p.len = len;
    p.src = src;
    p.arena = arena;
    p.err = err;
    p.max_depth = max_depth;
    *out = NULL;
    int r = setjmp(p.fail);
    if (r)
        return r == 2 ? -2 : -1;
    lex_blank(&p);
    if (at_end(&p)) {
        p.pos = 0;
        syntax_error(&p, "filter input string is empty");
    }
    pe_ast_node *root = parse_or(&p);
    lex_blank(&p);
    if (!at_end(&p)) {
        syntax_error(&p, "unexpected token after '%.*s', expecting 'or', 'and'",
                     (int)p.last_tok_len, p.last_tok);
    }
    *out = root;
    return 0;
}

int pe_parse_transformer_prefix(pe_ast_expr **out, size_t *consumed, const char *text,
                                size_t len, const pe_cond_src *src, pe_arena *arena,
                                pe_parse_error *err)
{
    parser p = {0};
    p.text = text;
    p.len = len;
    p.src = src;
    p.arena = arena;
    p.err = err;
    p.max_depth = 100;
    *out = NULL;
    int r = setjmp(p.fail);
    if (r)
        return r == 2 ? -2 : -1;
    *out = parse_transformer(&p);
    *consumed = p.pos;
    return 0;
}

const char *pe_op_name(pe_op op)
{
    static const char *const names[PE_OP_COUNT] = {
        [PE_OP_EQ] = "=",
        [PE_OP_NE] = "!=",
        [PE_OP_LT] = "<",
        [PE_OP_LE] = "<=",
        [PE_OP_GT] = ">",
        [PE_OP_GE] = ">=",
        [PE_OP_CONTAINS] = "contains",
        [PE_OP_ICONTAINS] = "icontains",
        [PE_OP_BCONTAINS] = "bcontains",
        [PE_OP_STARTSWITH] = "startswith",
        [PE_OP_BSTARTSWITH] = "bstartswith",
        [PE_OP_ENDSWITH] = "endswith",
        [PE_OP_GLOB] = "glob",
        [PE_OP_IGLOB] = "iglob",
        [PE_OP_REGEX] = "regex",
        [PE_OP_IN] = "in",
        [PE_OP_INTERSECTS] = "intersects",
        [PE_OP_PMATCH] = "pmatch",
        [PE_OP_EXISTS] = "exists",
    };
    return (unsigned)op < PE_OP_COUNT ? names[op] : "?";
}
