/*
 * Recursive-descent parser for Falco conditions. Each function mirrors one
 * of libsinsp's parser functions (same order of alternatives, same depth
 * guards, same messages), so a condition Falco accepts is accepted here,
 * with the same tree, and a condition Falco rejects is rejected with the
 * same words. Known, deliberate differences are listed in
 * docs/rules-language.md.
 */
#include "cond/parser.h"

#include <string.h>

#include "cond/lex.h"

#define TRANSFORMERS_MSG                                                                       \
    "'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'"
#define OPERATORS_MSG                                                                          \
    "'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', "           \
    "'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', "             \
    "'intersects', 'in', 'pmatch'"

typedef struct parser {
    pe_lexer lx;
    const pe_cond_src *src;
    unsigned depth, max_depth;
} parser;

/* Falco's depth guard: every grammar function counts one level while it
 * runs, and reaching max_depth is an error. */
static void enter(parser *p)
{
    if (++p->depth >= p->max_depth)
        pe_lex_fail(&p->lx, p->lx.pos, "exceeded max depth limit of %u", p->max_depth);
}

static void leave(parser *p)
{
    p->depth--;
}

/* ---- tree building ---- */

typedef struct vec {
    void **v;
    size_t n, cap;
} vec;

static void push(parser *p, vec *x, void *e)
{
    if (x->n == x->cap) {
        size_t ncap = x->cap ? x->cap * 2 : 4;
        void **nv = pe_lex_alloc(&p->lx, ncap * sizeof(*nv));
        if (x->n)
            memcpy(nv, x->v, x->n * sizeof(*nv));
        x->v = nv;
        x->cap = ncap;
    }
    x->v[x->n++] = e;
}

static pe_ast_node *new_node(parser *p, pe_node_kind kind, size_t pos)
{
    pe_ast_node *n = pe_lex_alloc(&p->lx, sizeof(*n));
    n->kind = kind;
    n->pos = (uint32_t)pos;
    n->src = p->src;
    return n;
}

static pe_ast_expr *new_expr(parser *p, pe_expr_kind kind, size_t pos)
{
    pe_ast_expr *e = pe_lex_alloc(&p->lx, sizeof(*e));
    e->kind = kind;
    e->pos = (uint32_t)pos;
    return e;
}

/* The last token as a NUL-terminated name. */
static const char *last_copy(parser *p, size_t *len)
{
    *len = p->lx.last_len;
    return pe_lex_copy(&p->lx, p->lx.last, p->lx.last_len);
}

/* ---- transformers ---- */

static const char *const transformers[] = {"tolower", "toupper", "b64",    "basename",
                                           "len",     "join",    "concat", "getopt"};

int pe_is_transformer_name(const char *name, size_t len, int with_val)
{
    if (with_val && len == 3 && memcmp(name, "val", 3) == 0)
        return 1;
    for (size_t i = 0; i < sizeof(transformers) / sizeof(transformers[0]); i++)
        if (strlen(transformers[i]) == len && memcmp(transformers[i], name, len) == 0)
            return 1;
    return 0;
}

/* A transformer name immediately followed by '(' (Falco lexes "toupper("
 * as one token, so "toupper (x)" is not a transformer call). Leaves the
 * name in the last token and the cursor after '('. */
static int lex_transformer(parser *p)
{
    for (size_t i = 0; i < sizeof(transformers) / sizeof(transformers[0]); i++) {
        size_t n = strlen(transformers[i]);
        if (p->lx.len - p->lx.pos > n && memcmp(p->lx.text + p->lx.pos, transformers[i], n) == 0 &&
            p->lx.text[p->lx.pos + n] == '(') {
            p->lx.last = p->lx.text + p->lx.pos;
            p->lx.last_len = n;
            p->lx.pos += n + 1;
            return 1;
        }
    }
    return 0;
}

static pe_ast_expr *parse_transformer_remainder(parser *p, size_t pos);

/* '[' (quoted | bare) ']' right after a field name or a transformer. */
static void parse_field_arg(parser *p, pe_ast_expr *e)
{
    if (!pe_lex_str(&p->lx, "["))
        return;
    pe_ast_lit q;
    if (pe_lex_quoted(&p->lx, &q)) {
        e->arg = q.s;
        e->arg_len = q.len;
    } else if (pe_lex_field_arg_bare(&p->lx)) {
        e->arg = last_copy(p, &e->arg_len);
    } else {
        pe_lex_fail(&p->lx, p->lx.pos,
                    "expected a valid field argument: a quoted string or a bare string");
    }
    if (!pe_lex_str(&p->lx, "]"))
        pe_lex_fail(&p->lx, p->lx.pos, "expected a ']' token");
}

/* The rest of a field whose name was just lexed. */
static pe_ast_expr *parse_field_remainder(parser *p, size_t pos)
{
    enter(p);
    pe_ast_expr *e = new_expr(p, PE_EXPR_FIELD, pos);
    e->name = last_copy(p, &e->name_len);
    parse_field_arg(p, e);
    leave(p);
    return e;
}

/* A number or a quoted string as a transformer argument; NULL when none. */
static pe_ast_expr *parse_literal_arg(parser *p, size_t pos)
{
    pe_ast_lit q;
    if (pe_lex_quoted(&p->lx, &q)) {
        pe_ast_expr *e = new_expr(p, PE_EXPR_LITERAL, pos);
        e->lit = q;
        return e;
    }
    if (pe_lex_number(&p->lx)) {
        pe_ast_expr *e = new_expr(p, PE_EXPR_LITERAL, pos);
        e->lit.s = last_copy(p, &e->lit.len);
        e->lit.pos = (uint32_t)pos;
        return e;
    }
    return NULL;
}

/* TransformerListArg ::= Field | FieldTransformer | QuotedStr | NumValue */
static pe_ast_expr *parse_transformer_list_arg(parser *p)
{
    size_t pos = p->lx.pos;
    if (pe_lex_field_name(&p->lx))
        return parse_field_remainder(p, pos);
    if (lex_transformer(p)) {
        pe_lex_blank(&p->lx);
        return parse_transformer_remainder(p, pos);
    }
    pe_ast_expr *e = parse_literal_arg(p, pos);
    if (!e)
        pe_lex_fail(&p->lx, p->lx.pos,
                    "expected transformer list argument: field, transformer, quoted string, or "
                    "number");
    return e;
}

/* TransformerList ::= '(' ( TransformerListArg (',' TransformerListArg)* )? ')'
 * with the '(' already consumed. */
static pe_ast_expr *parse_transformer_list(parser *p, size_t pos)
{
    pe_ast_expr *list = new_expr(p, PE_EXPR_LIST, pos);
    vec items = {0};
    pe_lex_blank(&p->lx);
    if (!pe_lex_str(&p->lx, ")")) {
        push(p, &items, parse_transformer_list_arg(p));
        pe_lex_blank(&p->lx);
        while (pe_lex_str(&p->lx, ",")) {
            pe_lex_blank(&p->lx);
            push(p, &items, parse_transformer_list_arg(p));
            pe_lex_blank(&p->lx);
        }
        if (!pe_lex_str(&p->lx, ")"))
            pe_lex_fail(&p->lx, p->lx.pos, "expected ')'");
    }
    list->args = (pe_ast_expr **)items.v;
    list->nargs = items.n;
    return list;
}

/* FieldTransformerArg ::= NumValue | QuotedStr | TransformerList
 *                       | FieldTransformer | Field */
static pe_ast_expr *parse_transformer_arg(parser *p)
{
    enter(p);
    pe_lex_blank(&p->lx);
    size_t pos = p->lx.pos;
    pe_ast_expr *e = parse_literal_arg(p, pos);
    if (!e && pe_lex_str(&p->lx, "("))
        e = parse_transformer_list(p, pos);
    if (!e && lex_transformer(p))
        e = parse_transformer_remainder(p, pos);
    if (!e && pe_lex_field_name(&p->lx))
        e = parse_field_remainder(p, pos);
    if (!e)
        pe_lex_fail(&p->lx, p->lx.pos,
                    "expected field transformer argument: field, transformer, quoted string, "
                    "number, or transformer list");
    leave(p);
    return e;
}

/* Arguments and ')' of a transformer whose "name(" was just lexed (the
 * name is the last token), then an optional [arg]. */
static pe_ast_expr *parse_transformer_remainder(parser *p, size_t pos)
{
    enter(p);
    pe_ast_expr *e = new_expr(p, PE_EXPR_TRANSFORM, pos);
    e->name = last_copy(p, &e->name_len);
    vec args = {0};
    pe_lex_blank(&p->lx);
    do {
        push(p, &args, parse_transformer_arg(p));
        pe_lex_blank(&p->lx);
    } while (pe_lex_str(&p->lx, ","));
    pe_lex_blank(&p->lx);
    if (!pe_lex_str(&p->lx, ")"))
        pe_lex_fail(&p->lx, p->lx.pos, "expected a ')' token closing the transformer");
    e->args = (pe_ast_expr **)args.v;
    e->nargs = args.n;
    parse_field_arg(p, e); /* getopt(...)[c] */
    leave(p);
    return e;
}

/* val(field) or a transformer on the right-hand side; NULL when neither. */
static pe_ast_expr *try_transformer_or_val(parser *p, pe_ast_node *check)
{
    enter(p);
    pe_lex_blank(&p->lx);
    size_t pos = p->lx.pos;
    pe_ast_expr *e = NULL;
    if (pe_lex_str(&p->lx, "val(")) {
        pe_lex_blank(&p->lx);
        size_t fpos = p->lx.pos;
        if (!pe_lex_field_name(&p->lx))
            pe_lex_fail(&p->lx, p->lx.pos, "expected a field within 'val' transformer");
        e = parse_field_remainder(p, fpos);
        pe_lex_blank(&p->lx);
        if (!pe_lex_str(&p->lx, ")"))
            pe_lex_fail(&p->lx, p->lx.pos, "expected a ')' token closing the transformer");
        check->rhs_is_val = 1;
    } else if (lex_transformer(p)) {
        pe_lex_blank(&p->lx);
        e = parse_transformer_remainder(p, pos);
    }
    if (e)
        check->rhs_pos = (uint32_t)pos;
    leave(p);
    return e;
}

/* ---- right-hand sides ---- */

static void parse_num_value(parser *p, pe_ast_node *c)
{
    enter(p);
    pe_lex_blank(&p->lx);
    size_t pos = p->lx.pos;
    if ((c->rhs = try_transformer_or_val(p, c))) {
        c->rhs_kind = PE_RHS_EXPR;
    } else if (pe_lex_number(&p->lx)) {
        c->rhs_kind = PE_RHS_VALUE;
        c->value.s = last_copy(p, &c->value.len);
        c->value.pos = c->rhs_pos = (uint32_t)pos;
    } else {
        pe_lex_fail(&p->lx, p->lx.pos,
                    "expected a number value or a field with a valid transformer: "
                    "" TRANSFORMERS_MSG);
    }
    leave(p);
}

/* A quoted or bare string; 0 when none is next. */
static int lex_value(parser *p, pe_ast_lit *out)
{
    return pe_lex_quoted(&p->lx, out) || pe_lex_bare(&p->lx, out);
}

/* One element of a list: a quoted or bare string. */
static pe_ast_lit *parse_list_value(parser *p)
{
    enter(p);
    pe_lex_blank(&p->lx);
    pe_ast_lit *v = pe_lex_alloc(&p->lx, sizeof(*v));
    if (!lex_value(p, v))
        pe_lex_fail(&p->lx, p->lx.pos, "expected a string value");
    leave(p);
    return v;
}

/* '(' values? ')' with the '(' already consumed. Falco tries the first
 * element and takes any failure to mean "empty list"; a bad escape in it is
 * reported here instead of silently emptying the list. */
static void parse_list(parser *p, pe_ast_node *c)
{
    vec items = {0};
    pe_lex_blank(&p->lx);
    pe_ast_lit first;
    if (lex_value(p, &first)) {
        pe_ast_lit *v = pe_lex_alloc(&p->lx, sizeof(*v));
        *v = first;
        push(p, &items, v);
        pe_lex_blank(&p->lx);
        while (pe_lex_str(&p->lx, ",")) {
            push(p, &items, parse_list_value(p));
            pe_lex_blank(&p->lx);
        }
    }
    if (!pe_lex_str(&p->lx, ")"))
        pe_lex_fail(&p->lx, p->lx.pos, "expected a ')' token");
    c->rhs_kind = PE_RHS_LIST;
    c->nlist = items.n;
    c->list = pe_lex_alloc(&p->lx, (items.n ? items.n : 1) * sizeof(*c->list));
    for (size_t i = 0; i < items.n; i++)
        c->list[i] = *(pe_ast_lit *)items.v[i];
}

/* An identifier as a single literal value (a list name that was not
 * substituted stays a plain string). */
static int parse_ident_value(parser *p, pe_ast_node *c)
{
    size_t pos = p->lx.pos;
    if (!pe_lex_identifier(&p->lx))
        return 0;
    c->rhs_kind = PE_RHS_IDENT;
    c->value.s = last_copy(p, &c->value.len);
    c->value.pos = (uint32_t)pos;
    return 1;
}

static void parse_list_value_or_transformer(parser *p, pe_ast_node *c)
{
    enter(p);
    pe_lex_blank(&p->lx);
    c->rhs_pos = (uint32_t)p->lx.pos;
    if (pe_lex_str(&p->lx, "("))
        parse_list(p, c);
    else if ((c->rhs = try_transformer_or_val(p, c)))
        c->rhs_kind = PE_RHS_EXPR;
    else if (!parse_ident_value(p, c))
        pe_lex_fail(&p->lx, p->lx.pos,
                    "expected a list, an identifier, or a field with a valid transformer: "
                    "" TRANSFORMERS_MSG);
    leave(p);
}

static void parse_str_value_or_transformer(parser *p, pe_ast_node *c)
{
    enter(p);
    pe_lex_blank(&p->lx);
    if ((c->rhs = try_transformer_or_val(p, c))) {
        c->rhs_kind = PE_RHS_EXPR;
    } else if (lex_value(p, &c->value)) {
        c->rhs_kind = PE_RHS_VALUE;
        c->rhs_pos = c->value.pos;
    } else {
        pe_lex_fail(&p->lx, p->lx.pos,
                    "expected a string value or a field with a valid transformer: "
                    "" TRANSFORMERS_MSG);
    }
    leave(p);
}

/* ---- operators ---- */

typedef struct opdef {
    const char *text;
    pe_op op;
    unsigned char word; /* needs a blank after it */
} opdef;

static const opdef num_ops[] = {
    {"<=", PE_OP_LE, 0}, {"<", PE_OP_LT, 0}, {">=", PE_OP_GE, 0}, {">", PE_OP_GT, 0}, {NULL, 0, 0}};
static const opdef str_ops[] = {{"==", PE_OP_EQ, 0},
                                {"=", PE_OP_EQ, 0},
                                {"!=", PE_OP_NE, 0},
                                {"glob", PE_OP_GLOB, 1},
                                {"iglob", PE_OP_IGLOB, 1},
                                {"contains", PE_OP_CONTAINS, 1},
                                {"icontains", PE_OP_ICONTAINS, 1},
                                {"bcontains", PE_OP_BCONTAINS, 1},
                                {"startswith", PE_OP_STARTSWITH, 1},
                                {"bstartswith", PE_OP_BSTARTSWITH, 1},
                                {"endswith", PE_OP_ENDSWITH, 1},
                                {"regex", PE_OP_REGEX, 1},
                                {NULL, 0, 0}};
static const opdef list_ops[] = {{"intersects", PE_OP_INTERSECTS, 0},
                                 {"in", PE_OP_IN, 0},
                                 {"pmatch", PE_OP_PMATCH, 0},
                                 {NULL, 0, 0}};

/*
 * Falco's operator lexer: the first operator of the list that prefixes the
 * cursor wins. A word operator must then be followed by a blank; when it is
 * not, the lexer fails *without* giving the operator back, so the next list
 * is tried after it ("x.y globin (a)" is "x.y in (a)", as in Falco).
 */
static const opdef *lex_op(parser *p, const opdef *ops)
{
    for (; ops->text; ops++) {
        if (!pe_lex_str(&p->lx, ops->text))
            continue;
        if (ops->word && !pe_lex_blank(&p->lx))
            return NULL;
        return ops;
    }
    return NULL;
}

static void set_op(pe_ast_node *c, const opdef *op, size_t pos)
{
    c->op = op->op;
    c->op_text = op->text;
    c->op_pos = (uint32_t)pos;
}

/* 1 when text[i, i+n) is the keyword and, or or not. */
static int is_keyword(const char *s, size_t n)
{
    return (n == 3 && (memcmp(s, "and", 3) == 0 || memcmp(s, "not", 3) == 0)) ||
           (n == 2 && memcmp(s, "or", 2) == 0);
}

/*
 * A modifier after a string operator and a blank: oneof|anyof|allof, then
 * blanks, then '(' or an identifier other than and/or/not. Anything else
 * leaves the word to be read as a plain value ("x.y = anyof and ...").
 */
static pe_mod lex_modifier(parser *p)
{
    static const char *const names[] = {"oneof", "anyof", "allof"};
    static const pe_mod mods[] = {PE_MOD_ONEOF, PE_MOD_ANYOF, PE_MOD_ALLOF};
    pe_lexer *lx = &p->lx;
    for (size_t k = 0; k < 3; k++) {
        if (lx->len - lx->pos < 5 || memcmp(lx->text + lx->pos, names[k], 5) != 0)
            continue;
        size_t i = pe_lex_skip_blanks(lx, lx->pos + 5);
        if (i == lx->pos + 5 || i >= lx->len)
            return PE_MOD_NONE;
        size_t w = pe_lex_word_at(lx, i);
        if (lx->text[i] != '(' && (w == 0 || is_keyword(lx->text + i, w)))
            return PE_MOD_NONE;
        lx->last = lx->text + lx->pos;
        lx->last_len = 5;
        lx->pos = i;
        return mods[k];
    }
    return PE_MOD_NONE;
}

/* Operator and right-hand side after a field or transformer. */
static void parse_condition(parser *p, pe_ast_node *c)
{
    enter(p);
    pe_lex_blank(&p->lx);
    size_t op_pos = p->lx.pos;
    static const opdef exists = {"exists", PE_OP_EXISTS, 0};
    if (pe_lex_str(&p->lx, "exists")) {
        set_op(c, &exists, op_pos);
        c->rhs_kind = PE_RHS_NONE;
        leave(p);
        return;
    }
    pe_lex_blank(&p->lx);
    op_pos = p->lx.pos;
    const opdef *op;
    if ((op = lex_op(p, num_ops))) {
        set_op(c, op, op_pos);
        parse_num_value(p, c);
    } else if ((op = lex_op(p, str_ops))) {
        set_op(c, op, op_pos);
        int blank = op->word || pe_lex_blank(&p->lx);
        size_t mod_pos = p->lx.pos;
        if (blank && (c->mod = lex_modifier(p)) != PE_MOD_NONE) {
            c->rhs_pos = (uint32_t)p->lx.pos;
            if (pe_lex_str(&p->lx, "("))
                parse_list(p, c);
            else if (!parse_ident_value(p, c))
                pe_lex_fail(&p->lx, mod_pos, "expected a list or an identifier");
        } else {
            parse_str_value_or_transformer(p, c);
        }
    } else if ((op = lex_op(p, list_ops))) {
        set_op(c, op, op_pos);
        parse_list_value_or_transformer(p, c);
    } else {
        pe_lex_fail(&p->lx, p->lx.pos, "expected a valid check operator: one of " OPERATORS_MSG);
    }
    leave(p);
}

/* ---- boolean structure ---- */

static pe_ast_node *parse_or(parser *p);

/* The rest of a parenthesised expression, after its '('. */
static pe_ast_node *parse_embedded_remainder(parser *p)
{
    enter(p);
    pe_lex_blank(&p->lx);
    pe_ast_node *n = parse_or(p);
    pe_lex_blank(&p->lx);
    if (!pe_lex_str(&p->lx, ")"))
        pe_lex_fail(&p->lx, p->lx.pos, "expected a ')' token");
    leave(p);
    return n;
}

static pe_ast_node *parse_check(parser *p)
{
    enter(p);
    pe_lex_blank(&p->lx);
    size_t pos = p->lx.pos;
    pe_ast_node *n;
    if (pe_lex_str(&p->lx, "(")) {
        n = parse_embedded_remainder(p);
    } else if (pe_lex_field_name(&p->lx)) {
        n = new_node(p, PE_AST_CHECK, pos);
        n->lhs = parse_field_remainder(p, pos);
        parse_condition(p, n);
    } else if (lex_transformer(p)) {
        pe_lex_blank(&p->lx);
        n = new_node(p, PE_AST_CHECK, pos);
        n->lhs = parse_transformer_remainder(p, pos);
        parse_condition(p, n);
    } else if (pe_lex_identifier(&p->lx)) {
        n = new_node(p, PE_AST_IDENT, pos);
        n->ident = last_copy(p, &n->ident_len);
    } else {
        pe_lex_fail(&p->lx, p->lx.pos, "expected a '(' token, a field check, or an identifier");
    }
    leave(p);
    return n;
}

static pe_ast_node *parse_not(parser *p)
{
    enter(p);
    pe_lex_blank(&p->lx);
    size_t pos = p->lx.pos;
    int negate = 0;
    while (pe_lex_not_blank(&p->lx))
        negate = !negate;
    pe_ast_node *child;
    if (pe_lex_str(&p->lx, "not(")) {
        negate = !negate;
        child = parse_embedded_remainder(p);
    } else {
        child = parse_check(p);
    }
    leave(p);
    if (!negate)
        return child;
    pe_ast_node *n = new_node(p, PE_AST_NOT, pos);
    n->kids = pe_lex_alloc(&p->lx, sizeof(*n->kids));
    n->kids[0] = child;
    n->nkids = 1;
    return n;
}

/* Kid ( kw (BLANK Kid | '(' Or ')') )* : the and/or chains. */
static pe_ast_node *parse_chain(parser *p, const char *kw, pe_node_kind kind,
                                pe_ast_node *(*kid)(parser *))
{
    enter(p);
    pe_lex_blank(&p->lx);
    size_t pos = p->lx.pos;
    vec kids = {0};
    push(p, &kids, kid(p));
    pe_lex_blank(&p->lx);
    while (pe_lex_str(&p->lx, kw)) {
        if (pe_lex_blank(&p->lx))
            push(p, &kids, kid(p));
        else if (pe_lex_str(&p->lx, "("))
            push(p, &kids, parse_embedded_remainder(p));
        else
            pe_lex_fail(&p->lx, p->lx.pos, "expected blank or '(' after '%s'", kw);
        pe_lex_blank(&p->lx);
    }
    leave(p);
    if (kids.n == 1)
        return kids.v[0];
    pe_ast_node *n = new_node(p, kind, pos);
    n->kids = (pe_ast_node **)kids.v;
    n->nkids = kids.n;
    return n;
}

static pe_ast_node *parse_and(parser *p)
{
    return parse_chain(p, "and", PE_AST_AND, parse_not);
}

static pe_ast_node *parse_or(parser *p)
{
    return parse_chain(p, "or", PE_AST_OR, parse_and);
}

/* ---- entry points ---- */

static void init(parser *p, const char *text, size_t len, const pe_cond_src *src,
                 unsigned max_depth, pe_arena *arena, pe_parse_error *err)
{
    memset(p, 0, sizeof(*p));
    p->lx.text = text;
    p->lx.len = len;
    p->lx.arena = arena;
    p->lx.err = err;
    p->lx.last = "";
    p->src = src;
    p->max_depth = max_depth;
    err->pos = 0;
    err->message[0] = '\0';
}

int pe_parse_condition(pe_ast_node **out, const char *text, size_t len, const pe_cond_src *src,
                       unsigned max_depth, pe_arena *arena, pe_parse_error *err)
{
    parser p;
    init(&p, text, len, src, max_depth, arena, err);
    *out = NULL;
    int r = setjmp(p.lx.fail);
    if (r)
        return r == 2 ? -2 : -1;
    if (len == 0)
        pe_lex_fail(&p.lx, 0, "filter input string is empty");
    pe_ast_node *root = parse_or(&p);
    if (p.lx.pos != len)
        pe_lex_fail(&p.lx, p.lx.pos, "unexpected token after '%.*s', expecting 'or', 'and'",
                    (int)p.lx.last_len, p.lx.last);
    *out = root;
    return 0;
}

int pe_parse_field_or_transformer(pe_ast_expr **out, size_t *consumed, const char *text,
                                  size_t len, pe_arena *arena, pe_parse_error *err)
{
    parser p;
    init(&p, text, len, NULL, 1000, arena, err);
    *out = NULL;
    *consumed = 0;
    int r = setjmp(p.lx.fail);
    if (r)
        return r == 2 ? -2 : -1;
    if (pe_lex_field_name(&p.lx)) {
        *out = parse_field_remainder(&p, 0);
    } else if (lex_transformer(&p)) {
        pe_lex_blank(&p.lx);
        *out = parse_transformer_remainder(&p, 0);
    } else {
        pe_lex_fail(&p.lx, 0, "expected a field or a field transformer");
    }
    *consumed = p.lx.pos;
    return 0;
}

int pe_parse_transformer_prefix(pe_ast_expr **out, size_t *consumed, const char *text,
                                size_t len, const pe_cond_src *src, pe_arena *arena,
                                pe_parse_error *err)
{
    parser p;
    init(&p, text, len, src, 1000, arena, err);
    *out = NULL;
    *consumed = 0;
    int r = setjmp(p.lx.fail);
    if (r)
        return r == 2 ? -2 : -1;
    if (lex_transformer(&p)) {
        pe_lex_blank(&p.lx);
        *out = parse_transformer_remainder(&p, 0);
        *consumed = p.lx.pos;
    }
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

const char *pe_mod_name(pe_mod mod)
{
    switch (mod) {
    case PE_MOD_ONEOF:
        return "oneof";
    case PE_MOD_ANYOF:
        return "anyof";
    case PE_MOD_ALLOF:
        return "allof";
    case PE_MOD_NONE:
        break;
    }
    return "";
}
