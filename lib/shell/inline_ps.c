/*
 * PowerShell: a tokenizer that knows its two parsing modes (a statement
 * that starts with a bare word is a command: its arguments are words,
 * strings, variables and -Parameters; anything else is an expression), its
 * strings ('..' with '' and ".." with backtick escapes and $x $(..)
 * interpolation, here-strings @'..'@ @"..."@), comments (# and <# #>) and
 * type literals ([System.Net.WebClient], lower-cased without "System.").
 * Commands are then read against a cmdlet table; a name that is not a
 * cmdlet or a known alias, and has no Verb-Noun dash, is a native command
 * (reported as RUN, its arguments quoted for sh). On Linux and macOS pwsh
 * has no cat/cp/ls/mv/rm/curl/wget aliases, so those are native too.
 */
#include <string.h>

#include "prempti/common.h"
#include "shell/inline_internal.h"
#include "util/utf8.h"

/* ---- tokenizer ------------------------------------------------------------------------------- */

typedef struct ps_lexer {
    inl_lexer L;
    int cmd_at;                              /* a command may start at the next word */
    int in_cmd;                              /* inside a command's arguments */
    unsigned char saved[PE_INLINE_MAX_NEST]; /* in_cmd of the enclosing brackets */
    unsigned sp; /* brackets open (saved[] holds the first PE_INLINE_MAX_NEST) */
} ps_lexer;

static void ps_step(inl_lexer *L);

static int ps_interp(inl_lexer *L, pe_abuf *b)
{
    char ch = L->s[L->i];
    char nx = L->i + 1 < L->n ? L->s[L->i + 1] : 0;
    if (ch != '$')
        return 0;
    if (nx == '(') {
        L->i += 2;
        pe_abuf_append(b, HOLE, HOLE_LEN);
        ps_lexer *P = (ps_lexer *)L;
        int at = P->cmd_at, in = P->in_cmd;
        unsigned sp = P->sp;
        P->cmd_at = 1;
        P->in_cmd = 0;
        lx_embed(L, ')', ps_step);
        P->cmd_at = at;
        P->in_cmd = in;
        P->sp = sp;
        return 1;
    }
    size_t k = L->i + 1;
    if (nx == '{') {
        const char *close = memchr(L->s + k, '}', L->n - k);
        k = close ? (size_t)(close - L->s) + 1 : L->n;
    } else if (inl_is_ident_start((unsigned char)nx)) {
        while (k < L->n &&
               (inl_is_ident((unsigned char)L->s[k]) ||
                (L->s[k] == ':' && k + 1 < L->n && inl_is_ident_start((unsigned char)L->s[k + 1]))))
            k++;
    } else {
        return 0;
    }
    inl_ctx *c = L->c;
    inl_push(c, T_EMB_OPEN, L->i, L->i, 0);
    inl_push(c, T_VAR, L->i, k, 0);
    inl_push(c, T_EMB_CLOSE, k, k, 0);
    L->i = k;
    pe_abuf_append(b, HOLE, HOLE_LEN);
    return 1;
}

/* "...": backtick escapes, "" for a quote, interpolation. */
static void ps_dq(inl_lexer *L, size_t start, size_t body, const char *close, size_t cl)
{
    inl_ctx *c = L->c;
    size_t k = inl_push(c, T_STR, start, start, L->space);
    L->space = 0;
    pe_abuf b;
    pe_abuf_init(&b, c->a, 0);
    int dyn = 0;
    static const char from[] = "0abefnrtv", to[] = "\0\a\b\033\f\n\r\t\v";
    for (L->i = body; L->i < L->n;) {
        char ch = L->s[L->i];
        if (L->n - L->i >= cl && memcmp(L->s + L->i, close, cl) == 0) {
            if (cl == 1 && L->i + 1 < L->n && L->s[L->i + 1] == '"') {
                pe_abuf_putc(&b, '"');
                L->i += 2;
                continue;
            }
            break;
        }
        if (ch == '`' && L->i + 1 < L->n) {
            const char *e = memchr(from, L->s[L->i + 1], sizeof(from) - 1);
            pe_abuf_putc(&b, e ? to[e - from] : L->s[L->i + 1]);
            L->i += 2;
        } else if (ps_interp(L, &b)) {
            dyn = 1;
        } else {
            pe_abuf_putc(&b, ch);
            L->i++;
        }
    }
    if (L->n - L->i >= cl && memcmp(L->s + L->i, close, cl) == 0)
        L->i += cl;
    else
        inl_parse_error(c, "unterminated string");
    lx_set_val(L, k, &b, dyn);
}

/* '...': '' for a quote. */
static void ps_sq(inl_lexer *L, size_t start, size_t body, const char *close, size_t cl)
{
    inl_ctx *c = L->c;
    size_t k = inl_push(c, T_STR, start, start, L->space);
    L->space = 0;
    pe_abuf b;
    pe_abuf_init(&b, c->a, 0);
    for (L->i = body; L->i < L->n;) {
        if (L->n - L->i >= cl && memcmp(L->s + L->i, close, cl) == 0) {
            if (cl == 1 && L->i + 1 < L->n && L->s[L->i + 1] == '\'') {
                pe_abuf_putc(&b, '\'');
                L->i += 2;
                continue;
            }
            break;
        }
        pe_abuf_putc(&b, L->s[L->i++]);
    }
    if (L->n - L->i >= cl && memcmp(L->s + L->i, close, cl) == 0)
        L->i += cl;
    else
        inl_parse_error(c, "unterminated string");
    lx_set_val(L, k, &b, 0);
}

static int word_char(char ch)
{
    return !(ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || inl_in(";|&(){}<>,\"'`", ch) ||
             ch == '\0');
}

static const char *const keywords[] = {
    "if",     "else",     "elseif",  "while",  "for",   "foreach", "do",       "until",
    "switch", "function", "filter",  "return", "param", "begin",   "process",  "end",
    "try",    "catch",    "finally", "throw",  "trap",  "break",   "continue", "exit",
    "class",  "using",    "data",    "in",     NULL};

static int is_keyword(const char *s, size_t n)
{
    for (size_t k = 0; keywords[k]; k++)
        if (strlen(keywords[k]) == n) {
            size_t j = 0;
            while (j < n && (s[j] | 0x20) == keywords[k][j])
                j++;
            if (j == n)
                return 1;
        }
    return 0;
}

/* [Type.Name] before :: or a value: an identifier named as the rows name
 * types (lower case, without "System."); [char]99 is the character. */
static int ps_type(inl_lexer *L)
{
    size_t k = L->i + 1;
    while (k < L->n && (inl_is_ident((unsigned char)L->s[k]) || L->s[k] == '.'))
        k++;
    if (k == L->i + 1 || k >= L->n || L->s[k] != ']' || !lx_regex_ok(L))
        return 0;
    size_t start = L->i, ns = L->i + 1, ne = k;
    if (ne - ns > 7 && (L->s[ns] | 0x20) == 's' && memcmp(L->s + ns + 1, "ystem.", 6) == 0)
        ns += 7;
    L->i = k + 1;
    if (ne - ns == 4 && memcmp(L->s + ns, "char", 4) == 0 && L->i < L->n && L->s[L->i] >= '0' &&
        L->s[L->i] <= '9') {
        unsigned long v = 0;
        size_t j = L->i;
        int hex = L->n - j > 2 && L->s[j] == '0' && (L->s[j + 1] | 0x20) == 'x';
        for (j += hex ? 2 : 0;
             j < L->n && pe_hex_digit((unsigned char)L->s[j]) >= 0 && (hex || L->s[j] <= '9'); j++)
            v = v < 0x110000 ? v * (hex ? 16 : 10) + (unsigned)pe_hex_digit((unsigned char)L->s[j])
                             : v;
        L->i = j;
        size_t t = lx_push(L, T_STR, start);
        pe_abuf b;
        pe_abuf_init(&b, L->c->a, 4);
        char u[4];
        size_t n = v < 0x80 ? (u[0] = (char)v, 1u) : pe_utf8_encode(v, u);
        pe_abuf_append(&b, u, n);
        lx_set_val(L, t, &b, 0);
        return 1;
    }
    size_t t = lx_push(L, T_IDENT, start);
    if (t != SIZE_MAX) {
        pe_abuf b;
        pe_abuf_init(&b, L->c->a, ne - ns);
        for (size_t j = ns; j < ne; j++)
            pe_abuf_putc(&b, (char)(L->s[j] >= 'A' && L->s[j] <= 'Z' ? L->s[j] | 0x20 : L->s[j]));
        if (pe_abuf_finish(&b, &L->c->t[t].val) != 0)
            L->c->nomem = 1;
        L->c->t[t].flags |= TF_SYMBOL;
    }
    return 1;
}

static void ps_var(inl_lexer *L)
{
    size_t start = L->i++;
    if (L->i < L->n && L->s[L->i] == '{') {
        const char *close = memchr(L->s + L->i, '}', L->n - L->i);
        L->i = close ? (size_t)(close - L->s) + 1 : L->n;
    } else if (L->i < L->n && !inl_is_ident((unsigned char)L->s[L->i])) {
        L->i++; /* $_ handled as a name; $? $$ $^ */
    } else {
        while (L->i < L->n && (inl_is_ident((unsigned char)L->s[L->i]) ||
                               (L->s[L->i] == ':' && L->i + 1 < L->n &&
                                inl_is_ident_start((unsigned char)L->s[L->i + 1]))))
            L->i++;
    }
    lx_push(L, T_VAR, start);
}

/* Statement boundaries, and brackets: each opens a new statement list (a
 * parenthesised pipeline, a script block, a subexpression) and its closer
 * returns to the command or expression around it. */
static void ps_mark(ps_lexer *P, const inl_tok *t)
{
    int p1 = t->type == T_PUNCT && t->text.len == 1;
    char ch = p1 ? t->text.s[0] : 0;
    if (p1 && (ch == '(' || ch == '{' || ch == '[')) {
        if (P->sp < PE_INLINE_MAX_NEST)
            P->saved[P->sp] = (unsigned char)P->in_cmd;
        P->sp++;
        P->cmd_at = ch != '[';
        P->in_cmd = 0;
    } else if (p1 && (ch == ')' || ch == '}' || ch == ']')) {
        if (P->sp > 0 && --P->sp < PE_INLINE_MAX_NEST)
            P->in_cmd = P->saved[P->sp];
        P->cmd_at = 0;
    } else if (t->type == T_NL || (p1 && (ch == ';' || ch == '|')) ||
               (t->type == T_PUNCT && t->text.len == 2 &&
                (memcmp(t->text.s, "&&", 2) == 0 || memcmp(t->text.s, "||", 2) == 0))) {
        P->cmd_at = 1;
        P->in_cmd = 0;
    } else if (p1 && (ch == '=' || ch == '&' || ch == '.') && !P->in_cmd) {
        P->cmd_at = ch != '.' || P->cmd_at; /* $x = cmd; & cmd; . ./x at a statement's start */
    } else {
        P->cmd_at = 0;
    }
}

/* Member access glued to a value in command mode: $x.Length, (..).Method(). */
static int ps_member(const inl_lexer *L)
{
    const inl_ctx *c = L->c;
    if (!c->nt || L->space || L->i + 1 >= L->n ||
        !inl_is_ident_start((unsigned char)L->s[L->i + 1]))
        return 0;
    const inl_tok *p = &c->t[c->nt - 1];
    return p->type == T_VAR ||
           (p->type == T_PUNCT && p->text.len == 1 && inl_in(")]", p->text.s[0]));
}

static void ps_step(inl_lexer *L)
{
    ps_lexer *P = (ps_lexer *)L;
    inl_ctx *c = L->c;
    const char *s = L->s;
    char ch = s[L->i];
    char nx = L->i + 1 < L->n ? s[L->i + 1] : 0;
    size_t before = c->nt;
    if (ch == '`' && nx == '\n') { /* line continuation */
        L->i += 2;
        return;
    }
    if (ch == '\n' || lx_space(L)) {
        if (ch == '\n')
            lx_newline(L);
    } else if (ch == '#') {
        lx_line_comment(L);
    } else if (ch == '<' && nx == '#') {
        lx_block_comment(L, 2, "<#", "#>", 0);
    } else if (ch == '@' && (nx == '"' || nx == '\'') && L->i + 2 < L->n) {
        size_t body = L->i + 2;
        while (body < L->n && s[body] != '\n')
            body++;
        body += body < L->n;
        char close[3] = {'\n', nx, '@'};
        if (nx == '"')
            ps_dq(L, L->i, body, close, 3);
        else
            ps_sq(L, L->i, body, close, 3);
    } else if (ch == '"') {
        ps_dq(L, L->i, L->i + 1, "\"", 1);
    } else if (ch == '\'') {
        ps_sq(L, L->i, L->i + 1, "'", 1);
    } else if (ch == '$' && nx == '(') {
        size_t start = L->i;
        L->i += 1;
        lx_push(L, T_PUNCT, start); /* "$" then "(": a subexpression */
        return;
    } else if (ch == '$') {
        ps_var(L);
    } else if (P->in_cmd && ch == '-' && (inl_is_ident_start((unsigned char)nx))) {
        size_t start = L->i++;
        while (L->i < L->n && (inl_is_ident((unsigned char)s[L->i]) || s[L->i] == '-'))
            L->i++;
        if (L->i < L->n && s[L->i] == ':')
            L->i++;
        lx_push(L, T_PARAM, start);
    } else if (ch == '[' && !P->in_cmd && ps_type(L)) {
        /* a type literal */
    } else if (P->in_cmd && ch == '.' && ps_member(L)) {
        lx_punct(L);
        lx_ident(L, NULL); /* the member, as in an expression */
        return;
    } else if ((P->cmd_at || P->in_cmd) && word_char(ch) &&
               !(ch >= '0' && ch <= '9' && P->cmd_at) &&
               !(P->cmd_at && (ch == '-' || ch == '[' || ch == '@' || ch == '!' || ch == '=')) &&
               !((ch == '.' || ch == '&') && (nx == ' ' || nx == '\t'))) { /* . ./x.ps1 */
        size_t start = L->i;
        while (L->i < L->n && word_char(s[L->i]))
            L->i++;
        int cmd = P->cmd_at && !is_keyword(s + start, L->i - start);
        size_t t = lx_push(L, cmd || P->in_cmd ? T_WORD : T_IDENT, start);
        if (cmd && t != SIZE_MAX) {
            c->t[t].flags |= TF_CMD_START;
            P->in_cmd = 1;
        }
        P->cmd_at = 0;
        return;
    } else if (lx_number(L)) {
        /* a number */
    } else if (inl_is_ident_start((unsigned char)ch)) {
        lx_ident(L, NULL);
    } else {
        lx_punct(L);
    }
    if (c->nt > before && P->cmd_at && !P->in_cmd && before > 0 &&
        (c->t[before].type == T_STR || c->t[before].type == T_VAR) &&
        c->t[before - 1].type == T_PUNCT && c->t[before - 1].text.len == 1 &&
        inl_in("&.", c->t[before - 1].text.s[0])) {
        c->t[before].flags |= TF_CMD_START; /* & "C:\x.exe" args, & $cmd */
        P->in_cmd = 1;
        P->cmd_at = 0;
        return;
    }
    if (c->nt > before)
        ps_mark(P, &c->t[c->nt - 1]);
}

void lex_powershell(inl_ctx *c)
{
    ps_lexer P;
    memset(&P, 0, sizeof(P));
    lx_init(&P.L, c);
    P.cmd_at = 1;
    lx_run(&P.L, ps_step);
}
