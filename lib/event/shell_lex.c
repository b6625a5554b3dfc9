/*
 * Shell tokens and words (POSIX XCU 2.3, plus bash's operators and quoting).
 *
 * A word's text is built with quotes removed, escapes applied and ANSI-C
 * strings decoded; an expansion is kept as written (its raw text), and
 * flagged. Command substitutions are parsed in place by the parser, on the
 * same input, so their commands are recorded as they are met; backquoted
 * text is unescaped and analysed as a nested script.
 *
 * Text is built on a stack (lx->tb) that can never outgrow the input: every
 * byte pushed stands for at least one byte consumed, and an expansion's
 * scratch text is dropped before its raw text is pushed.
 */
#include <string.h>

#include "event/shell_internal.h"

static int at(const sh_lexer *lx, size_t i)
{
    return i < lx->len ? (unsigned char)lx->s[i] : -1;
}

/* Skips line continuations (backslash-newline) starting at i. */
static size_t skip_lc(const sh_lexer *lx, size_t i)
{
    while (i + 1 < lx->len && lx->s[i] == '\\' && lx->s[i + 1] == '\n')
        i += 2;
    return i;
}

static int is_meta(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '|' || c == '&' || c == ';' || c == '(' ||
           c == ')' || c == '<' || c == '>' || c == '\r' || c == '\0';
}

static int is_name_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_name_char(int c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void push(sh_lexer *lx, const char *p, size_t n)
{
    if (n > lx->tcap - lx->ttop) { /* cannot happen (see above); never write past it */
        sh_limit(lx->c, PE_SHELL_LIMIT_WORK);
        return;
    }
    memcpy(lx->tb + lx->ttop, p, n);
    lx->ttop += n;
}

static void push_c(sh_lexer *lx, char c)
{
    push(lx, &c, 1);
}

/* Counts the input consumed since the last count as work. */
static void count_work(sh_lexer *lx)
{
    if (lx->pos > lx->counted) {
        sh_work(lx->c, lx->pos - lx->counted);
        lx->counted = lx->pos;
    }
}

/* Guards every recursive path of the lexer against deep nesting. */
static int enter(sh_lexer *lx)
{
    if (lx->c->stop)
        return 0;
    if (++lx->c->nest > PE_SHELL_MAX_NEST) {
        lx->c->nest--;
        sh_limit(lx->c, PE_SHELL_LIMIT_DEPTH);
        return 0;
    }
    return 1;
}

static void leave(sh_lexer *lx)
{
    lx->c->nest--;
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
    int c = at(lx, skip_lc(lx, lx->pos));
    return c < 0 ? 0 : c;
}

void sh_lex_heredoc(sh_lexer *lx, sh_heredoc *hd)
{
    if (sh_grow(lx->c, (void **)&lx->pend, &lx->pcap, lx->npend + 1, sizeof(*lx->pend)) == 0)
        lx->pend[lx->npend++] = hd;
}

/* ---- expansions ------------------------------------------------------ */

static void lex_dq(sh_lexer *lx, unsigned depth, unsigned *flags, int heredoc);
static void lex_dollar(sh_lexer *lx, unsigned depth, int in_dq, unsigned *flags);
static void lex_backtick(sh_lexer *lx, unsigned depth, int in_dq, unsigned *flags);
static void lex_word(sh_lexer *lx, unsigned depth, sh_word *w);

/* Replaces whatever an expansion pushed since mark with its raw text. */
static void push_raw(sh_lexer *lx, size_t mark, size_t start)
{
    lx->ttop = mark;
    push(lx, lx->s + start, lx->pos - start);
}

/* Appends the UTF-8 encoding of cp; 0 when cp is not a scalar value. */
static int push_utf8(sh_lexer *lx, unsigned long cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            return 0;
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else if (cp <= 0x10FFFF) {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    } else {
        return 0;
    }
    push(lx, b, n);
    return 1;
}

/* Reads up to max digits of base (8 or 16) at lx->pos into *v; the count. */
static int read_digits(sh_lexer *lx, int base, int max, unsigned long *v)
{
    int n = 0;
    *v = 0;
    while (n < max) {
        int d = hex_value(at(lx, lx->pos));
        if (d < 0 || d >= base)
            break;
        *v = *v * (unsigned long)base + (unsigned long)d;
        lx->pos++;
        n++;
    }
    return n;
}

/* One escape of $'...' after its backslash: -1 when it is not one (the
 * backslash and the character are then kept), else the byte (0 = NUL). */
static long ansi_escape(sh_lexer *lx, int e, size_t esc_start)
{
    static const char simple[] = "n\nt\tr\ra\ab\be\033E\033f\fv\v\\\\''\"\"??";
    for (size_t i = 0; simple[i]; i += 2)
        if (simple[i] == e)
            return (unsigned char)simple[i + 1];
    unsigned long v;
    if (e >= '0' && e <= '7') {
        lx->pos--; /* the first digit is part of the number */
        read_digits(lx, 8, 3, &v);
        return (long)(v & 0xFF);
    }
    if (e == 'x')
        return read_digits(lx, 16, 2, &v) ? (long)v : -1;
    if (e == 'u' || e == 'U') {
        if (!read_digits(lx, 16, e == 'u' ? 4 : 8, &v))
            return -1;
        if (v == 0)
            return 0;
        if (!push_utf8(lx, v)) /* not a character: keep it as written */
            push(lx, lx->s + esc_start, lx->pos - esc_start);
        return -2; /* already pushed */
    }
    if (e == 'c' && lx->pos < lx->len)
        return lx->s[lx->pos++] & 0x1F;
    return -1;
}

/* $'...' with lx->pos after the opening quote. A NUL ends the value (as in
 * bash) but not the quoted text. */
static void lex_ansi_c(sh_lexer *lx)
{
    int truncated = 0;
    while (lx->pos < lx->len) {
        int c = (unsigned char)lx->s[lx->pos];
        if (c == '\'') {
            lx->pos++;
            return;
        }
        if (c != '\\' || lx->pos + 1 >= lx->len) {
            if (!truncated)
                push_c(lx, (char)c);
            lx->pos++;
            continue;
        }
        size_t esc = lx->pos;
        int e = (unsigned char)lx->s[lx->pos + 1];
        lx->pos += 2;
        size_t mark = lx->ttop;
        long v = ansi_escape(lx, e, esc);
        if (truncated)
            lx->ttop = mark;
        else if (v == 0)
            truncated = 1;
        else if (v == -1)
            push(lx, lx->s + esc, 2);
        else if (v > 0)
            push_c(lx, (char)v);
    }
    sh_parse_error(lx->c, "unterminated $'...' string");
}

/* Scans "(( ... ))" arithmetic from from (after the opening parentheses);
 * sets *end after the closing "))". 0 when the parentheses do not close
 * that way (then it is a command substitution or subshell after all). */
static int arith_trial(sh_lexer *lx, size_t from, size_t *end)
{
    size_t p = from;
    int d = 0, ok = 0;
    while (p < lx->len) {
        char c = lx->s[p];
        if (c == '\\') {
            p += 2;
            continue;
        }
        if (c == '(') {
            d++;
        } else if (c == ')') {
            if (d == 0) {
                ok = at(lx, p + 1) == ')';
                *end = p + 2;
                break;
            }
            d--;
        }
        p++;
    }
    sh_work(lx->c, (p < lx->len ? p : lx->len) - from);
    return ok;
}

/* The body of an arithmetic expansion or command, up to stop; then end. */
static void arith_body(sh_lexer *lx, unsigned depth, size_t stop, size_t end, unsigned *flags)
{
    while (lx->pos < stop && !lx->c->stop) {
        char c = lx->s[lx->pos];
        if (c == '$')
            lex_dollar(lx, depth, 1, flags);
        else if (c == '`')
            lex_backtick(lx, depth, 1, flags);
        else
            lx->pos += c == '\\' ? 2 : 1;
    }
    if (lx->pos < end)
        lx->pos = end;
    if (lx->pos > lx->len)
        lx->pos = lx->len;
}

/* ${...} with lx->pos after the brace. */
static void lex_brace_param(sh_lexer *lx, unsigned depth, int in_dq, unsigned *flags)
{
    while (lx->pos < lx->len && !lx->c->stop) {
        char c = lx->s[lx->pos];
        if (c == '}') {
            lx->pos++;
            return;
        }
        if (c == '\\') {
            lx->pos += 2;
        } else if (c == '\'' && !in_dq) {
            const char *q = memchr(lx->s + lx->pos + 1, '\'', lx->len - lx->pos - 1);
            lx->pos = q ? (size_t)(q - lx->s) + 1 : lx->len;
        } else if (c == '"') {
            lex_dq(lx, depth, flags, 0);
        } else if (c == '$') {
            lex_dollar(lx, depth, in_dq, flags);
        } else if (c == '`') {
            lex_backtick(lx, depth, in_dq, flags);
        } else {
            lx->pos++;
        }
    }
    if (lx->pos > lx->len)
        lx->pos = lx->len;
    if (!lx->c->stop)
        sh_parse_error(lx->c, "unterminated ${...}");
}

/* $[ ... ] (old arithmetic) with lx->pos after the bracket. */
static void lex_old_arith(sh_lexer *lx, unsigned depth, unsigned *flags)
{
    int d = 0;
    while (lx->pos < lx->len && !lx->c->stop) {
        char c = lx->s[lx->pos];
        if (c == ']' && d-- == 0) {
            lx->pos++;
            return;
        }
        if (c == '[')
            d++;
        if (c == '$')
            lex_dollar(lx, depth, 1, flags);
        else if (c == '`')
            lex_backtick(lx, depth, 1, flags);
        else
            lx->pos += c == '\\' ? 2 : 1;
    }
    if (lx->pos > lx->len)
        lx->pos = lx->len;
    sh_parse_error(lx->c, "unterminated $[...]");
}

/* Everything after '$' that is an expansion; lx->pos at the '$'. */
static void lex_expansion(sh_lexer *lx, unsigned depth, int in_dq, unsigned *flags, size_t n)
{
    size_t start = lx->pos, mark = lx->ttop;
    int c = at(lx, n);
    if (c == '{') {
        lx->pos = n + 1;
        *flags |= PE_SHELL_W_PARAM;
        lex_brace_param(lx, depth, in_dq, flags);
    } else if (c == '(') {
        size_t n2 = skip_lc(lx, n + 1), end = 0;
        if (at(lx, n2) == '(' && arith_trial(lx, n2 + 1, &end)) {
            lx->pos = n2 + 1;
            *flags |= PE_SHELL_W_ARITH;
            arith_body(lx, depth, end - 2, end, flags);
        } else {
            lx->pos = n + 1;
            *flags |= PE_SHELL_W_CMDSUB;
            sh_parse_subst(lx, depth + 1, PE_SHELL_CMDSUB, 0);
        }
    } else if (c == '[') {
        lx->pos = n + 1;
        *flags |= PE_SHELL_W_ARITH;
        lex_old_arith(lx, depth, flags);
    } else if (is_name_start(c)) {
        lx->pos = n + 1;
        while (is_name_char(at(lx, lx->pos)))
            lx->pos++;
        *flags |= PE_SHELL_W_PARAM;
    } else {
        lx->pos = n + 1; /* $1 $@ $* $# $? $$ $! $- */
        *flags |= PE_SHELL_W_PARAM;
    }
    push_raw(lx, mark, start);
}

/* '$' at lx->pos: an expansion, $'...', $"..." or a literal dollar. */
static void lex_dollar(sh_lexer *lx, unsigned depth, int in_dq, unsigned *flags)
{
    size_t n = skip_lc(lx, lx->pos + 1);
    int c = at(lx, n);
    if (!in_dq && c == '\'') {
        lx->pos = n + 1;
        *flags |= PE_SHELL_W_ANSI_C | PE_SHELL_W_QUOTED;
        lex_ansi_c(lx);
        return;
    }
    if (!in_dq && c == '"') {
        lx->pos = n;
        lex_dq(lx, depth, flags, 0);
        return;
    }
    int special = c == '@' || c == '*' || c == '#' || c == '?' || c == '$' || c == '!' ||
                  c == '-' || is_digit(c);
    if (c != '{' && c != '(' && c != '[' && !is_name_start(c) && !special) {
        push_c(lx, '$');
        lx->pos++;
        return;
    }
    if (!enter(lx))
        return;
    lex_expansion(lx, depth, in_dq, flags, n);
    leave(lx);
}

/* `...` at lx->pos: unescapes the text and analyses it as a script. */
static void lex_backtick(sh_lexer *lx, unsigned depth, int in_dq, unsigned *flags)
{
    size_t start = lx->pos, p = lx->pos + 1;
    while (p < lx->len && lx->s[p] != '`')
        p += lx->s[p] == '\\' ? 2 : 1;
    size_t end = p < lx->len ? p : lx->len;
    char *body = sh_alloc(lx->c, end - start);
    if (!body)
        return;
    size_t n = 0;
    for (size_t q = start + 1; q < end; q++) {
        char e = q + 1 < end ? lx->s[q + 1] : 0;
        if (lx->s[q] == '\\' && (e == '$' || e == '`' || e == '\\' || (in_dq && e == '"')))
            q++;
        body[n++] = lx->s[q];
    }
    lx->pos = p < lx->len ? p + 1 : lx->len;
    if (p >= lx->len)
        sh_parse_error(lx->c, "unterminated `...`");
    *flags |= PE_SHELL_W_CMDSUB;
    push_raw(lx, lx->ttop, start);
    sh_analyze_text(lx->c, body, n, depth + 1, PE_SHELL_CMDSUB, SH_SCRIPT);
}

/* A run of characters with no meaning inside double quotes. */
static size_t plain_run(const sh_lexer *lx, int heredoc)
{
    size_t p = lx->pos;
    while (p < lx->len) {
        char c = lx->s[p];
        if (c == '\\' || c == '$' || c == '`' || (c == '"' && !heredoc))
            break;
        p++;
    }
    return p - lx->pos;
}

/* "..." with lx->pos at the quote, or (heredoc) a whole here-doc body,
 * where '"' is an ordinary character. */
static void lex_dq(sh_lexer *lx, unsigned depth, unsigned *flags, int heredoc)
{
    if (!heredoc) {
        lx->pos++;
        *flags |= PE_SHELL_W_QUOTED;
    }
    while (!lx->c->stop) {
        size_t run = plain_run(lx, heredoc);
        push(lx, lx->s + lx->pos, run);
        lx->pos += run;
        int c = at(lx, lx->pos);
        if (c < 0)
            break;
        if (c == '"') {
            lx->pos++;
            return;
        }
        if (c == '$') {
            lex_dollar(lx, depth, 1, flags);
        } else if (c == '`') {
            lex_backtick(lx, depth, 1, flags);
        } else { /* backslash */
            int e = at(lx, lx->pos + 1);
            if (e == '\n') {
                lx->pos += 2;
            } else if (e == '$' || e == '`' || e == '\\' || (e == '"' && !heredoc)) {
                push_c(lx, (char)e);
                lx->pos += 2;
            } else {
                push_c(lx, '\\');
                lx->pos++;
            }
        }
    }
    if (!heredoc && !lx->c->stop)
        sh_parse_error(lx->c, "unterminated double quote");
}

/* ---- words ----------------------------------------------------------- */

typedef struct wstate {
    unsigned flags;
    size_t start;       /* lx->ttop when the word began */
    size_t assign_end;  /* lx->ttop just after the assignment's '=' */
    int name_ok;        /* the text so far is an unquoted name */
    int assign_done;    /* the first unquoted '=' was seen (or cannot be) */
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
        int plus_eq = c == '+' && at(lx, skip_lc(lx, lx->pos)) == '=';
        if ((c == '=' || plus_eq) && st->name_ok && lx->ttop > st->start) {
            st->flags |= PE_SHELL_W_ASSIGN;
            if (plus_eq) {
                push_c(lx, '+');
                c = '=';
                lx->pos = skip_lc(lx, lx->pos) + 1;
            }
            st->assign_done = 1;
            push_c(lx, (char)c);
            st->assign_end = lx->ttop;
            return;
        }
        if (c == '=')
            st->assign_done = 1;
        else if (!is_name_char(c) || (lx->ttop == st->start && is_digit(c)))
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
    else if ((c == ',' || (c == '.' && at(lx, lx->pos) == '.')) && st->brace)
        st->brace_sep = 1;
    else if (c == '}' && st->brace_sep)
        st->flags |= PE_SHELL_W_BRACE;
    else if (c == '~' && lx->ttop == st->start && !st->flags)
        st->flags |= PE_SHELL_W_TILDE;
    push_c(lx, (char)c);
}

static void skip_blanks(sh_lexer *lx, int newlines);

/* NAME=( ... ) with lx->pos at the parenthesis. */
static void lex_array(sh_lexer *lx, unsigned depth, wstate *st)
{
    size_t start = lx->pos, mark = lx->ttop;
    if (!enter(lx))
        return;
    lx->pos++;
    for (;;) {
        skip_blanks(lx, 1);
        int c = at(lx, lx->pos);
        if (c == ')') {
            lx->pos++;
            break;
        }
        int procsub = (c == '<' || c == '>') && at(lx, skip_lc(lx, lx->pos + 1)) == '(';
        if (c < 0 || lx->c->stop || (is_meta(c) && !procsub)) {
            sh_parse_error(lx->c, "unterminated array assignment");
            break;
        }
        sh_word w;
        lex_word(lx, depth, &w);
        st->flags |= w.flags & PE_SHELL_W_EXPANDS;
    }
    push_raw(lx, mark, start);
    leave(lx);
}

/* <(...) or >(...) with lx->pos at the '<' or '>'. */
static void lex_procsub(sh_lexer *lx, unsigned depth, wstate *st)
{
    size_t start = lx->pos, mark = lx->ttop;
    int reader = lx->s[lx->pos] == '>';
    lx->pos = skip_lc(lx, lx->pos + 1) + 1;
    st->flags |= PE_SHELL_W_PROCSUB;
    sh_parse_subst(lx, depth + 1, PE_SHELL_PROCSUB, reader);
    push_raw(lx, mark, start);
}

/* One unquoted-context element of a word at lx->pos (not a metacharacter). */
static void word_part(sh_lexer *lx, unsigned depth, wstate *st, int c)
{
    if (c == '\\') {
        not_literal(st);
        st->flags |= PE_SHELL_W_QUOTED;
        lx->pos++;
        if (lx->pos < lx->len)
            push_c(lx, lx->s[lx->pos++]);
        else
            push_c(lx, '\\');
    } else if (c == '\'') {
        not_literal(st);
        st->flags |= PE_SHELL_W_QUOTED;
        const char *q = memchr(lx->s + lx->pos + 1, '\'', lx->len - lx->pos - 1);
        size_t end = q ? (size_t)(q - lx->s) : lx->len;
        push(lx, lx->s + lx->pos + 1, end - lx->pos - 1);
        lx->pos = q ? end + 1 : lx->len;
        if (!q)
            sh_parse_error(lx->c, "unterminated single quote");
    } else if (c == '"') {
        not_literal(st);
        lex_dq(lx, depth, &st->flags, 0);
    } else if (c == '$') {
        not_literal(st);
        lex_dollar(lx, depth, 0, &st->flags);
    } else if (c == '`') {
        not_literal(st);
        lex_backtick(lx, depth, 0, &st->flags);
    } else {
        literal_char(lx, st, c);
    }
}

static void lex_word(sh_lexer *lx, unsigned depth, sh_word *w)
{
    wstate st = {0};
    st.start = lx->ttop;
    st.assign_end = (size_t)-1;
    st.name_ok = 1;
    while (!lx->c->stop) {
        lx->pos = skip_lc(lx, lx->pos);
        int c = at(lx, lx->pos);
        if (c < 0)
            break;
        if (is_meta(c)) {
            if ((c == '<' || c == '>') && at(lx, skip_lc(lx, lx->pos + 1)) == '(') {
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
        word_part(lx, depth, &st, c);
    }
    w->flags = st.flags;
    w->text.len = lx->ttop - st.start;
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
        count_work(lx);
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
        lx->pos = skip_lc(lx, lx->pos);
        int c = at(lx, lx->pos);
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

/* A redirection operator at lx->pos ('<', '>' or "&>"). */
static void lex_redir_op(sh_lexer *lx, sh_token *t)
{
    static const struct {
        const char *op;
    } ops[] = {{"<<<"}, {"<<-"}, {"&>>"}, {"<<"}, {"<&"}, {"<>"}, {">>"},
               {">&"},  {">|"},  {"&>"},  {"<"},  {">"}};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        size_t p = lx->pos, k = 0;
        const char *op = ops[i].op;
        while (op[k] && at(lx, p) == (unsigned char)op[k]) {
            k++;
            p = op[k] ? skip_lc(lx, p + 1) : p + 1;
        }
        if (!op[k]) {
            t->kind = T_REDIR;
            t->op = op;
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
        if (!is_name_start(at(lx, p)))
            return 0;
        while (is_name_char(at(lx, p)))
            p++;
        if (at(lx, p) != '}')
            return 0;
        p++;
        fd = -2;
    } else {
        while (is_digit(at(lx, p))) {
            if (fd < 1000000)
                fd = fd * 10 + (lx->s[p] - '0');
            p++;
        }
    }
    int c = at(lx, p);
    if ((c != '<' && c != '>') || at(lx, skip_lc(lx, p + 1)) == '(')
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
        size_t p = lx->pos, k = 0;
        const char *op = ops[i].text;
        while (op[k] && at(lx, p) == (unsigned char)op[k]) {
            k++;
            p = op[k] ? skip_lc(lx, p + 1) : p + 1;
        }
        if (!op[k]) {
            lx->pos = p;
            *kind = ops[i].kind;
            return op;
        }
    }
    return NULL;
}

static void lex_token(sh_lexer *lx, unsigned depth, sh_token *t)
{
    skip_blanks(lx, 0);
    int c = at(lx, lx->pos);
    if (c < 0 || lx->c->stop) {
        t->kind = T_EOF;
        return;
    }
    if (c == '\n' || lex_cr(lx, c)) {
        t->kind = T_NEWLINE;
        t->op = "\n";
        if (c == '\n') {
            lx->pos++;
            count_work(lx);
            read_heredocs(lx);
        }
        return;
    }
    int next = at(lx, skip_lc(lx, lx->pos + 1));
    if (c == '&' && next == '>') {
        lex_redir_op(lx, t);
        return;
    }
    if ((c == '<' || c == '>') && next != '(') {
        lex_redir_op(lx, t);
        return;
    }
    if ((is_digit(c) || c == '{') && lex_io_number(lx, t))
        return;
    if ((t->op = operator_at(lx, &t->kind)) != NULL)
        return;
    t->kind = T_WORD;
    lex_word(lx, depth, &t->word);
}

void sh_lex_next(sh_lexer *lx, unsigned depth, sh_token *t)
{
    memset(t, 0, sizeof(*t));
    t->fd = -1;
    lex_token(lx, depth, t);
    count_work(lx);
    if (t->kind == T_EOF && lx->npend) {
        sh_parse_error(lx->c, "unterminated here-document");
        lx->npend = 0;
    }
}

int sh_lex_arith_cmd(sh_lexer *lx, unsigned depth)
{
    size_t from = skip_lc(lx, lx->pos) + 1, end = 0;
    if (!arith_trial(lx, from, &end))
        return 0;
    unsigned flags = 0;
    lx->pos = from;
    arith_body(lx, depth, end - 2, end, &flags);
    count_work(lx);
    return 1;
}

void sh_lex_subst_text(sh_lexer *lx, unsigned depth)
{
    unsigned flags = 0;
    lex_dq(lx, depth, &flags, 1);
    lx->ttop = 0;
    count_work(lx);
}
