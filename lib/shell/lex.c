/*
 * Shell tokens, words and here-doc bodies (POSIX XCU 2.3, plus bash's
 * operators). Quoting and expansions inside words are in expand.c.
 *
 * A word's text is built with quotes removed, escapes applied and ANSI-C
 * strings decoded; an expansion is kept as written (its raw text), and
 * flagged. Command substitutions are parsed in place by the parser, on the
 * same input, so their commands are recorded as they are met.
 *
 * Text is built on a stack (lx->tb) that can never outgrow the input: every
 * byte pushed stands for at least one byte consumed, and an expansion's
 * scratch text is dropped before its raw text is pushed.
 */
#include <string.h>

#include "shell/internal.h"

static int is_meta(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '|' || c == '&' || c == ';' || c == '(' ||
           c == ')' || c == '<' || c == '>' || c == '\r' || c == '\0';
}

void sh_push(sh_lexer *lx, const char *p, size_t n)
{
    if (n > lx->tcap - lx->ttop) { /* cannot happen (see above); never write past it */
        sh_limit(lx->c, PE_SHELL_LIMIT_WORK);
        return;
    }
    memcpy(lx->tb + lx->ttop, p, n);
    lx->ttop += n;
}

void sh_push_c(sh_lexer *lx, char c)
{
    sh_push(lx, &c, 1);
}

void sh_push_raw(sh_lexer *lx, size_t mark, size_t start)
{
    lx->ttop = mark;
    sh_push(lx, lx->s + start, lx->pos - start);
}

void sh_count_work(sh_lexer *lx)
{
    if (lx->pos > lx->counted) {
        sh_work(lx->c, lx->pos - lx->counted);
        lx->counted = lx->pos;
    }
}

void sh_lex_init(sh_lexer *lx, sh_ctx *c, const char *s, size_t len)
{
    memset(lx, 0, sizeof(*lx));
    lx->c = c;
    lx->s = s;
    lx->len = len;
    lx->tb = sh_alloc(c, len + 1);
    lx->tcap = lx->tb ? len + 1 : 0;
}

int sh_lex_peekc(const sh_lexer *lx)
{
    int c = sh_at(lx, sh_skip_lc(lx, lx->pos));
    return c < 0 ? 0 : c;
}

void sh_lex_heredoc(sh_lexer *lx, sh_heredoc *hd)
{
    if (sh_grow(lx->c, (void **)&lx->pend, &lx->pcap, lx->npend + 1, sizeof(*lx->pend)) == 0)
        lx->pend[lx->npend++] = hd;
}

/* ---- words ----------------------------------------------------------- */

typedef struct wstate {
    unsigned flags;
    size_t start;      /* lx->ttop when the word began */
    size_t assign_end; /* lx->ttop just after the assignment's '=' */
    size_t colon_end;  /* lx->ttop just after an unquoted ':' of its value */
    int name_ok;       /* the text so far is an unquoted name */
    int assign_done;   /* the first unquoted '=' was seen (or cannot be) */
    int bracket, brace, brace_sep;
} wstate;

/* Something other than a literal character: no assignment after this. */
static void not_literal(wstate *st)
{
    if (!st->assign_done)
        st->name_ok = 0;
}

static void literal_char(sh_lexer *lx, wstate *st, int c)
{
    lx->pos++;
    if (!st->assign_done) {
        int plus_eq = c == '+' && sh_at(lx, sh_skip_lc(lx, lx->pos)) == '=';
        if ((c == '=' || plus_eq) && st->name_ok && lx->ttop > st->start) {
            st->flags |= PE_SHELL_W_ASSIGN;
            if (plus_eq) {
                sh_push_c(lx, '+');
                c = '=';
                lx->pos = sh_skip_lc(lx, lx->pos) + 1;
            }
            st->assign_done = 1;
            sh_push_c(lx, (char)c);
            st->assign_end = lx->ttop;
            return;
        }
        if (c == '=')
            st->assign_done = 1;
        else if (!sh_is_name_char(c) || (lx->ttop == st->start && sh_is_digit(c)))
            st->name_ok = 0;
    }
    if (c == '*' || c == '?')
        st->flags |= PE_SHELL_W_GLOB;
    else if (c == '[')
        st->bracket = 1;
    else if (c == ']' && st->bracket)
        st->flags |= PE_SHELL_W_GLOB;
    else if (c == '{')
        st->brace = 1;
    else if ((c == ',' || (c == '.' && sh_at(lx, lx->pos) == '.')) && st->brace)
        st->brace_sep = 1;
    else if (c == '}' && st->brace_sep)
        st->flags |= PE_SHELL_W_BRACE;
    else if (c == '~' && lx->ttop == st->start && !st->flags)
        st->flags |= PE_SHELL_W_TILDE;
    else if (c == '~' && (st->flags & PE_SHELL_W_ASSIGN) &&
             (lx->ttop == st->assign_end || lx->ttop == st->colon_end))
        st->flags |= PE_SHELL_W_TILDE; /* X=~/a:~/b: bash expands both */
    else if (c == ':' && (st->flags & PE_SHELL_W_ASSIGN))
        st->colon_end = lx->ttop + 1;
    sh_push_c(lx, (char)c);
}

static void skip_blanks(sh_lexer *lx, int newlines);
static void lex_word(sh_lexer *lx, unsigned depth, sh_word *w);

/* NAME=( ... ) with lx->pos at the parenthesis. */
static void lex_array(sh_lexer *lx, unsigned depth, wstate *st)
{
    size_t start = lx->pos, mark = lx->ttop;
    if (!sh_enter(lx->c))
        return;
    lx->pos++;
    for (;;) {
        skip_blanks(lx, 1);
        int c = sh_at(lx, lx->pos);
        if (c == ')') {
            lx->pos++;
            break;
        }
        int procsub = (c == '<' || c == '>') && sh_at(lx, sh_skip_lc(lx, lx->pos + 1)) == '(';
        if (c < 0 || lx->c->stop || (is_meta(c) && !procsub)) {
            sh_parse_error(lx->c, "unterminated array assignment");
            break;
        }
        sh_word w;
        lex_word(lx, depth, &w);
        st->flags |= w.flags & PE_SHELL_W_EXPANDS;
    }
    sh_push_raw(lx, mark, start);
    sh_leave(lx->c);
}

/* <(...) or >(...) with lx->pos at the '<' or '>'. */
static void lex_procsub(sh_lexer *lx, unsigned depth, wstate *st)
{
    size_t start = lx->pos, mark = lx->ttop;
    int reader = lx->s[lx->pos] == '>';
    lx->pos = sh_skip_lc(lx, lx->pos + 1) + 1;
    st->flags |= PE_SHELL_W_PROCSUB;
    sh_parse_subst(lx, depth + 1, PE_SHELL_PROCSUB, reader);
    sh_push_raw(lx, mark, start);
    lx->sub_len = lx->ttop - mark;
}

/* One unquoted-context element of a word at lx->pos (not a metacharacter). */
static void word_part(sh_lexer *lx, unsigned depth, wstate *st, int c)
{
    if (c == '\\') {
        not_literal(st);
        st->flags |= PE_SHELL_W_QUOTED;
        lx->pos++;
        if (lx->pos < lx->len)
            sh_push_c(lx, lx->s[lx->pos++]);
        else
            sh_push_c(lx, '\\');
    } else if (c == '\'') {
        not_literal(st);
        st->flags |= PE_SHELL_W_QUOTED;
        const char *q = memchr(lx->s + lx->pos + 1, '\'', lx->len - lx->pos - 1);
        size_t end = q ? (size_t)(q - lx->s) : lx->len;
        sh_push(lx, lx->s + lx->pos + 1, end - lx->pos - 1);
        lx->pos = q ? end + 1 : lx->len;
        if (!q)
            sh_parse_error(lx->c, "unterminated single quote");
    } else if (c == '"') {
        not_literal(st);
        sh_lex_dq(lx, depth, &st->flags, 0);
    } else if (c == '$') {
        not_literal(st);
        sh_lex_dollar(lx, depth, 0, &st->flags);
    } else if (c == '`') {
        not_literal(st);
        sh_lex_backtick(lx, depth, 0, &st->flags);
    } else {
        literal_char(lx, st, c);
    }
}

/* Characters with no role of their own in an unquoted word (literal_char
 * only tracks whether the text is still a name): most of a command line.
 * A '.' has one inside braces ({a..b}). */
static int plain_char(int c, int brace)
{
    return sh_is_name_char(c) || c == '/' || c == '-' || c == '@' || c == '%' ||
           (c == '.' && !brace);
}

/* A run of plain characters from lx->pos, copied at once. */
static void plain_run(sh_lexer *lx, wstate *st)
{
    size_t p = lx->pos;
    while (p < lx->len && plain_char((unsigned char)lx->s[p], st->brace)) {
        int c = (unsigned char)lx->s[p];
        if (!st->assign_done &&
            (!sh_is_name_char(c) || (lx->ttop + (p - lx->pos) == st->start && sh_is_digit(c))))
            st->name_ok = 0;
        p++;
    }
    sh_push(lx, lx->s + lx->pos, p - lx->pos);
    lx->pos = p;
}

static void lex_word(sh_lexer *lx, unsigned depth, sh_word *w)
{
    unsigned outer_subs = lx->nsubs; /* a word inside a substitution of a word */
    long outer_out = lx->sub_out;
    size_t outer_len = lx->sub_len;
    lx->nsubs = 0;
    lx->sub_out = -1;
    wstate st = {0};
    st.start = lx->ttop;
    st.assign_end = (size_t)-1;
    st.colon_end = (size_t)-1;
    st.name_ok = 1;
    while (!lx->c->stop) {
        lx->pos = sh_skip_lc(lx, lx->pos);
        int c = sh_at(lx, lx->pos);
        if (c < 0)
            break;
        if (is_meta(c)) {
            if ((c == '<' || c == '>') && sh_at(lx, sh_skip_lc(lx, lx->pos + 1)) == '(') {
                not_literal(&st);
                lex_procsub(lx, depth, &st);
                continue;
            }
            if (c == '(' && (st.flags & PE_SHELL_W_ASSIGN) && lx->ttop == st.assign_end) {
                lex_array(lx, depth, &st);
                continue;
            }
            break;
        }
        if (plain_char(c, st.brace))
            plain_run(lx, &st);
        else
            word_part(lx, depth, &st, c);
    }
    w->flags = st.flags;
    w->text.len = lx->ttop - st.start;
    w->sub = lx->nsubs == 1 && lx->sub_len == w->text.len ? lx->sub_out : -1;
    lx->nsubs = outer_subs;
    lx->sub_out = outer_out;
    lx->sub_len = outer_len;
    w->text.s = sh_strndup(lx->c, lx->tb + st.start, w->text.len);
    if (!w->text.s)
        w->text.len = 0, w->text.s = "";
    lx->ttop = st.start;
}

/* ---- here-docs --------------------------------------------------------- */

/* Copies a here-doc body, without leading tabs on each line for <<-. */
static pe_str copy_body(sh_lexer *lx, size_t from, size_t to, int strip)
{
    pe_str b = {"", 0};
    char *d = sh_alloc(lx->c, to - from + 1);
    if (!d)
        return b;
    size_t n = 0;
    int bol = 1;
    for (size_t i = from; i < to; i++) {
        char c = lx->s[i];
        if (strip && bol && c == '\t')
            continue;
        bol = c == '\n';
        d[n++] = c;
    }
    b.s = d;
    b.len = n;
    return b;
}

static void read_heredoc(sh_lexer *lx, sh_heredoc *hd)
{
    size_t start = lx->pos, p = start, body_end = lx->len, next = lx->len;
    while (p < lx->len) {
        const char *nl = memchr(lx->s + p, '\n', lx->len - p);
        size_t eol = nl ? (size_t)(nl - lx->s) : lx->len, q = p;
        while (hd->strip_tabs && q < eol && lx->s[q] == '\t')
            q++;
        if (eol - q == hd->delim.len && memcmp(lx->s + q, hd->delim.s, hd->delim.len) == 0) {
            body_end = p;
            next = nl ? eol + 1 : eol;
            break;
        }
        p = nl ? eol + 1 : lx->len;
    }
    if (body_end == lx->len)
        sh_parse_error(lx->c, "unterminated here-document");
    hd->body = copy_body(lx, start, body_end, hd->strip_tabs);
    lx->pos = next;
}

static void read_heredocs(sh_lexer *lx)
{
    for (size_t i = 0; i < lx->npend && !lx->c->stop; i++) {
        read_heredoc(lx, lx->pend[i]);
        sh_count_work(lx);
    }
    lx->npend = 0;
}

/* ---- tokens ------------------------------------------------------------ */

/* A CR or NUL outside quotes: bash would take a CR as part of a word and
 * cannot pass a NUL at all, but other tools split lines there; the
 * analysis separates commands there, so that nothing hides behind it,
 * and reports it. */
static int lex_cr(sh_lexer *lx, int c)
{
    if (c != '\r' && c != '\0')
        return 0;
    lx->c->flags |= PE_SHELL_CR;
    sh_parse_error(lx->c, c ? "CR outside quotes" : "NUL byte in the command");
    lx->pos++;
    return 1;
}

/* Blanks, comments and line continuations; newlines (and CRs) too when
 * asked. */
static void skip_blanks(sh_lexer *lx, int newlines)
{
    for (;;) {
        lx->pos = sh_skip_lc(lx, lx->pos);
        int c = sh_at(lx, lx->pos);
        if (c == ' ' || c == '\t' || (newlines && c == '\n')) {
            lx->pos++;
        } else if (newlines && lex_cr(lx, c)) {
            continue;
        } else if (c == '#') {
            const char *nl = memchr(lx->s + lx->pos, '\n', lx->len - lx->pos);
            lx->pos = nl ? (size_t)(nl - lx->s) : lx->len;
        } else {
            return;
        }
    }
}

/* The position after op when the input at lx->pos spells it (line
 * continuations may split it); 0 when it does not. */
static size_t match_op(const sh_lexer *lx, const char *op)
{
    size_t p = lx->pos;
    for (size_t k = 0; op[k]; k++) {
        if (sh_at(lx, p) != (unsigned char)op[k])
            return 0;
        p = op[k + 1] ? sh_skip_lc(lx, p + 1) : p + 1;
    }
    return p;
}

/* A redirection operator at lx->pos ('<', '>' or "&>"), longest first. */
static void lex_redir_op(sh_lexer *lx, sh_token *t)
{
    static const char *const ops[] = {"<<<", "<<-", "&>>", "<<", "<&", "<>",
                                      ">>",  ">&",  ">|",  "&>", "<",  ">"};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        size_t p = match_op(lx, ops[i]);
        if (p) {
            t->kind = T_REDIR;
            t->op = ops[i];
            lx->pos = p;
            return;
        }
    }
}

/* An fd before a redirection: "2>" or "{name}>". 1 when found. */
static int lex_io_number(sh_lexer *lx, sh_token *t)
{
    size_t p = lx->pos;
    long fd = 0;
    if (lx->s[p] == '{') {
        p++;
        if (!sh_is_name_start(sh_at(lx, p)))
            return 0;
        while (sh_is_name_char(sh_at(lx, p)))
            p++;
        if (sh_at(lx, p) != '}')
            return 0;
        p++;
        fd = -2;
    } else {
        while (sh_is_digit(sh_at(lx, p))) {
            if (fd < 1000000)
                fd = fd * 10 + (lx->s[p] - '0');
            p++;
        }
    }
    int c = sh_at(lx, p);
    if ((c != '<' && c != '>') || sh_at(lx, sh_skip_lc(lx, p + 1)) == '(')
        return 0;
    lx->pos = p;
    lex_redir_op(lx, t);
    t->fd = (int)fd;
    return 1;
}

static const char *operator_at(sh_lexer *lx, sh_tok_kind *kind)
{
    static const struct {
        const char *text;
        sh_tok_kind kind;
    } ops[] = {{";;&", T_DSEMI_AMP}, {";;", T_DSEMI}, {";&", T_SEMI_AMP}, {";", T_SEMI},
               {"&&", T_AND_IF},     {"&", T_AMP},    {"||", T_OR_IF},    {"|&", T_PIPE_AMP},
               {"|", T_PIPE},        {"(", T_LPAREN}, {")", T_RPAREN}};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        size_t p = match_op(lx, ops[i].text);
        if (p) {
            lx->pos = p;
            *kind = ops[i].kind;
            return ops[i].text;
        }
    }
    return NULL;
}

static void lex_token(sh_lexer *lx, unsigned depth, sh_token *t)
{
    skip_blanks(lx, 0);
    int c = sh_at(lx, lx->pos);
    if (c < 0 || lx->c->stop) {
        t->kind = T_EOF;
        return;
    }
    if (c == '\n' || lex_cr(lx, c)) {
        t->kind = T_NEWLINE;
        t->op = "\n";
        if (c == '\n') {
            lx->pos++;
            sh_count_work(lx);
            read_heredocs(lx);
        }
        return;
    }
    int next = sh_at(lx, sh_skip_lc(lx, lx->pos + 1));
    if (c == '&' && next == '>') {
        lex_redir_op(lx, t);
        return;
    }
    if ((c == '<' || c == '>') && next != '(') {
        lex_redir_op(lx, t);
        return;
    }
    if ((sh_is_digit(c) || c == '{') && lex_io_number(lx, t))
        return;
    int op_start = c == ';' || c == '&' || c == '|' || c == '(' || c == ')';
    if (op_start && (t->op = operator_at(lx, &t->kind)) != NULL)
        return;
    t->kind = T_WORD;
    lex_word(lx, depth, &t->word);
}

void sh_lex_next(sh_lexer *lx, unsigned depth, sh_token *t)
{
    memset(t, 0, sizeof(*t));
    t->fd = -1;
    lex_token(lx, depth, t);
    sh_count_work(lx);
    if (t->kind == T_EOF && lx->npend) {
        sh_parse_error(lx->c, "unterminated here-document");
        lx->npend = 0;
    }
}
