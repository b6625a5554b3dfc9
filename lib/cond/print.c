#include "cond/print.h"

#include <string.h>

/* Bare strings stop at these; an empty value cannot be bare either. */
static int needs_quotes(const char *s, size_t len)
{
    if (len == 0)
        return 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == ' ' || strchr("()\"'=,\\", c))
            return 1;
    }
    return 0;
}

static void put_quoted(pe_strbuf *sb, const char *s, size_t len)
{
    pe_sb_putc(sb, '"');
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '"':
            pe_sb_puts(sb, "\\\"");
            break;
        case '\\':
            /* a quote right after a backslash would not end the string:
             * a final backslash is written Falco's legacy way, "\ " */
            pe_sb_puts(sb, i + 1 == len ? "\\ " : "\\\\");
            break;
        case '\b':
            pe_sb_puts(sb, "\\b");
            break;
        case '\f':
            pe_sb_puts(sb, "\\f");
            break;
        case '\n':
            pe_sb_puts(sb, "\\n");
            break;
        case '\r':
            pe_sb_puts(sb, "\\r");
            break;
        case '\t':
            pe_sb_puts(sb, "\\t");
            break;
        default:
            pe_sb_putc(sb, s[i]);
        }
    }
    pe_sb_putc(sb, '"');
}

void pe_print_value(pe_strbuf *sb, const char *s, size_t len)
{
    if (needs_quotes(s, len))
        put_quoted(sb, s, len);
    else
        pe_sb_append(sb, s, len);
}

static void print_arg(pe_strbuf *sb, const char *arg, size_t len)
{
    if (!arg)
        return;
    pe_sb_putc(sb, '[');
    /* field arguments stop at brackets, quotes and blanks */
    int quote = len == 0;
    for (size_t i = 0; i < len && !quote; i++)
        quote = (unsigned char)arg[i] <= ' ' || strchr("[]\"'\\", arg[i]) != NULL;
    if (quote)
        put_quoted(sb, arg, len);
    else
        pe_sb_append(sb, arg, len);
    pe_sb_putc(sb, ']');
}

static void print_exprs(pe_strbuf *sb, pe_ast_expr *const *v, size_t n, const char *sep)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            pe_sb_puts(sb, sep);
        pe_ast_print_expr(sb, v[i]);
    }
}

void pe_ast_print_expr(pe_strbuf *sb, const pe_ast_expr *e)
{
    switch (e->kind) {
    case PE_EXPR_FIELD:
        pe_sb_append(sb, e->name, e->name_len);
        print_arg(sb, e->arg, e->arg_len);
        break;
    case PE_EXPR_TRANSFORM:
        pe_sb_append(sb, e->name, e->name_len);
        pe_sb_putc(sb, '(');
        print_exprs(sb, e->args, e->nargs, ",");
        pe_sb_putc(sb, ')');
        print_arg(sb, e->arg, e->arg_len);
        break;
    case PE_EXPR_LITERAL:
        /* transformer arguments are numbers or quoted strings */
        if (e->lit.quoted)
            put_quoted(sb, e->lit.s, e->lit.len);
        else
            pe_sb_append(sb, e->lit.s, e->lit.len);
        break;
    case PE_EXPR_LIST:
        pe_sb_putc(sb, '(');
        print_exprs(sb, e->args, e->nargs, ", ");
        pe_sb_putc(sb, ')');
        break;
    }
}

static void print_rhs(pe_strbuf *sb, const pe_ast_node *c)
{
    switch (c->rhs_kind) {
    case PE_RHS_NONE:
        break;
    case PE_RHS_VALUE:
        pe_print_value(sb, c->value.s, c->value.len);
        break;
    case PE_RHS_IDENT:
        pe_sb_append(sb, c->value.s, c->value.len);
        break;
    case PE_RHS_LIST:
        pe_sb_putc(sb, '(');
        for (size_t i = 0; i < c->nlist; i++) {
            if (i)
                pe_sb_puts(sb, ", ");
            pe_print_value(sb, c->list[i].s, c->list[i].len);
        }
        pe_sb_putc(sb, ')');
        break;
    case PE_RHS_EXPR:
        if (c->rhs_is_val)
            pe_sb_puts(sb, "val(");
        pe_ast_print_expr(sb, c->rhs);
        if (c->rhs_is_val)
            pe_sb_putc(sb, ')');
        break;
    }
}

static void print_check(pe_strbuf *sb, const pe_ast_node *c)
{
    pe_ast_print_expr(sb, c->lhs);
    pe_sb_putc(sb, ' ');
    pe_sb_puts(sb, c->op_text ? c->op_text : pe_op_name(c->op));
    if (c->rhs_kind == PE_RHS_NONE)
        return;
    if (c->mod != PE_MOD_NONE) {
        pe_sb_putc(sb, ' ');
        pe_sb_puts(sb, pe_mod_name(c->mod));
    }
    pe_sb_putc(sb, ' ');
    print_rhs(sb, c);
}

void pe_ast_print(pe_strbuf *sb, const pe_ast_node *n)
{
    switch (n->kind) {
    case PE_AST_AND:
    case PE_AST_OR:
        pe_sb_putc(sb, '(');
        for (size_t i = 0; i < n->nkids; i++) {
            if (i)
                pe_sb_puts(sb, n->kind == PE_AST_AND ? " and " : " or ");
            pe_ast_print(sb, n->kids[i]);
        }
        pe_sb_putc(sb, ')');
        break;
    case PE_AST_NOT:
        /* "not not a" would read back as "a": keep the inner parentheses */
        pe_sb_puts(sb, n->kids[0]->kind == PE_AST_NOT ? "not (" : "not ");
        pe_ast_print(sb, n->kids[0]);
        if (n->kids[0]->kind == PE_AST_NOT)
            pe_sb_putc(sb, ')');
        break;
    case PE_AST_CHECK:
        print_check(sb, n);
        break;
    case PE_AST_IDENT:
    case PE_AST_MACRO:
        pe_sb_append(sb, n->ident, n->ident_len);
        break;
    }
}
