/*
 * Expansions and quoting inside words: $'...' (decoded), $"...", "...",
 * ${...}, $(...) and $((...)), $[...], $name and backquotes. An expansion
 * is scanned - its command substitutions parsed and recorded - and its
 * raw text is pushed in place of whatever scanning it pushed.
 */
#include <ctype.h>
#include <string.h>

#include "shell/internal.h"
#include "util/utf8.h"

/* Appends the UTF-8 encoding of cp; 0 when cp is not a scalar value. */
static int push_utf8(sh_lexer *lx, unsigned long cp)
{
    char b[4];
    size_t n = pe_utf8_encode(cp, b);
    if (!n)
        return 0;
    sh_push(lx, b, n);
    return 1;
}

/* Reads up to max digits of base (8 or 16) at lx->pos into *v; the count. */
static int read_digits(sh_lexer *lx, int base, int max, unsigned long *v)
{
    int n = 0;
    *v = 0;
    while (n < max) {
        int d = pe_hex_digit(sh_at(lx, lx->pos));
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
            sh_push(lx, lx->s + esc_start, lx->pos - esc_start);
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
                sh_push_c(lx, (char)c);
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
            sh_push(lx, lx->s + esc, 2);
        else if (v > 0)
            sh_push_c(lx, (char)v);
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
                ok = sh_at(lx, p + 1) == ')';
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

/* One element of arithmetic: an expansion, or a character. */
static void arith_step(sh_lexer *lx, unsigned depth, unsigned *flags)
{
    char c = lx->s[lx->pos];
    if (c == '$')
        sh_lex_dollar(lx, depth, 1, flags);
    else if (c == '`')
        sh_lex_backtick(lx, depth, 1, flags);
    else
        lx->pos += c == '\\' ? 2 : 1;
}

/* The body of an arithmetic expansion or command, up to stop; then end. */
static void arith_body(sh_lexer *lx, unsigned depth, size_t stop, size_t end, unsigned *flags)
{
    while (lx->pos < stop && !lx->c->stop)
        arith_step(lx, depth, flags);
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
            sh_lex_dq(lx, depth, flags, 0);
        } else if (c == '$') {
            sh_lex_dollar(lx, depth, in_dq, flags);
        } else if (c == '`') {
            sh_lex_backtick(lx, depth, in_dq, flags);
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
        arith_step(lx, depth, flags);
    }
    if (lx->pos > lx->len)
        lx->pos = lx->len;
    sh_parse_error(lx->c, "unterminated $[...]");
}

/* Everything after '$' that is an expansion; lx->pos at the '$'. */
static void lex_expansion(sh_lexer *lx, unsigned depth, int in_dq, unsigned *flags, size_t n)
{
    size_t start = lx->pos, mark = lx->ttop;
    int c = sh_at(lx, n);
    if (c == '{') {
        lx->pos = n + 1;
        *flags |= PE_SHELL_W_PARAM;
        lex_brace_param(lx, depth, in_dq, flags);
    } else if (c == '(') {
        size_t n2 = sh_skip_lc(lx, n + 1), end = 0;
        if (sh_at(lx, n2) == '(' && arith_trial(lx, n2 + 1, &end)) {
            lx->pos = n2 + 1;
            *flags |= PE_SHELL_W_ARITH;
            arith_body(lx, depth, end - 2, end, flags);
        } else {
            lx->pos = n + 1;
            *flags |= PE_SHELL_W_CMDSUB;
            sh_parse_subst(lx, depth + 1, PE_SHELL_CMDSUB, 0);
            sh_push_raw(lx, mark, start);
            lx->sub_len = lx->ttop - mark;
            return;
        }
    } else if (c == '[') {
        lx->pos = n + 1;
        *flags |= PE_SHELL_W_ARITH;
        lex_old_arith(lx, depth, flags);
    } else if (sh_is_name_start(c)) {
        lx->pos = n + 1;
        while (sh_is_name_char(sh_at(lx, lx->pos)))
            lx->pos++;
        *flags |= PE_SHELL_W_PARAM;
    } else {
        lx->pos = n + 1; /* $1 $@ $* $# $? $$ $! $- */
        *flags |= PE_SHELL_W_PARAM;
    }
    sh_push_raw(lx, mark, start);
}

/* '$' at lx->pos: an expansion, $'...', $"..." or a literal dollar. */
void sh_lex_dollar(sh_lexer *lx, unsigned depth, int in_dq, unsigned *flags)
{
    size_t n = sh_skip_lc(lx, lx->pos + 1);
    int c = sh_at(lx, n);
    if (!in_dq && c == '\'') {
        lx->pos = n + 1;
        *flags |= PE_SHELL_W_ANSI_C | PE_SHELL_W_QUOTED;
        lex_ansi_c(lx);
        return;
    }
    if (!in_dq && c == '"') {
        lx->pos = n;
        sh_lex_dq(lx, depth, flags, 0);
        return;
    }
    int special = c == '@' || c == '*' || c == '#' || c == '?' || c == '$' || c == '!' ||
                  c == '-' || sh_is_digit(c);
    if (c != '{' && c != '(' && c != '[' && !sh_is_name_start(c) && !special) {
        sh_push_c(lx, '$');
        lx->pos++;
        return;
    }
    if (!sh_enter(lx->c))
        return;
    lex_expansion(lx, depth, in_dq, flags, n);
    sh_leave(lx->c);
}

/* `...` at lx->pos: unescapes the text and analyses it as a script. */
void sh_lex_backtick(sh_lexer *lx, unsigned depth, int in_dq, unsigned *flags)
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
    size_t mark = lx->ttop;
    sh_push_raw(lx, mark, start);
    sh_analyze_text(lx->c, body, n, depth + 1, PE_SHELL_CMDSUB, SH_SCRIPT, lx->stdin_pipe);
    lx->nsubs++;
    lx->sub_out = lx->c->text_out;
    lx->sub_len = lx->ttop - mark;
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
void sh_lex_dq(sh_lexer *lx, unsigned depth, unsigned *flags, int heredoc)
{
    if (!heredoc) {
        lx->pos++;
        *flags |= PE_SHELL_W_QUOTED;
    }
    while (!lx->c->stop) {
        size_t run = plain_run(lx, heredoc);
        sh_push(lx, lx->s + lx->pos, run);
        lx->pos += run;
        int c = sh_at(lx, lx->pos);
        if (c < 0)
            break;
        if (c == '"') {
            lx->pos++;
            return;
        }
        if (c == '$') {
            sh_lex_dollar(lx, depth, 1, flags);
        } else if (c == '`') {
            sh_lex_backtick(lx, depth, 1, flags);
        } else { /* backslash */
            int e = sh_at(lx, lx->pos + 1);
            if (e == '\n') {
                lx->pos += 2;
            } else if (e == '$' || e == '`' || e == '\\' || (e == '"' && !heredoc)) {
                sh_push_c(lx, (char)e);
                lx->pos += 2;
            } else {
                sh_push_c(lx, '\\');
                lx->pos++;
            }
        }
    }
    if (!heredoc && !lx->c->stop)
        sh_parse_error(lx->c, "unterminated double quote");
}

/* The end of an operand of arithmetic starting at i: a name, a number
 * (with base# digits), a $ expansion ($x, ${..}, $(..)), an array element;
 * i when there is none. */
static size_t arith_operand(const char *s, size_t n, size_t i)
{
    size_t j = i;
    if (j < n && s[j] == '$') {
        j++;
        if (j < n && (s[j] == '{' || s[j] == '(')) {
            char open = s[j], close = open == '{' ? '}' : ')';
            int d = 0;
            for (; j < n; j++) {
                d += s[j] == open;
                d -= s[j] == close;
                if (d == 0)
                    return j + 1;
            }
            return n;
        }
    }
    while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '#' || s[j] == '@'))
        j++;
    if (j > i && j < n && s[j] == '[') { /* a[i] */
        while (j < n && s[j] != ']')
            j++;
        j += j < n;
    }
    return j;
}

/* Whether text is an arithmetic expression at all. bash runs ((rm -rf ~))
 * as arithmetic (and fails), but POSIX shells (dash, ash) read it as two
 * subshells and run rm: text that is not arithmetic is parsed as
 * subshells. A rough grammar: operands and operators alternate, unary
 * operators before operands, parentheses balance. */
static int arith_valid(const char *s, size_t n)
{
    int want = 1, depth = 0;
    size_t i = 0;
    while (i < n) {
        char ch = s[i];
        if (isspace((unsigned char)ch)) {
            i++;
        } else if (want && strchr("+-!~", ch)) {
            i++;
        } else if (want && ch == '(') {
            depth++, i++;
        } else if (want) {
            size_t j = arith_operand(s, n, i);
            if (j == i)
                return 0;
            i = j, want = 0;
            while (i + 1 < n && (s[i] == '+' || s[i] == '-') && s[i + 1] == s[i])
                i += 2; /* x++ */
        } else if (ch == ')') {
            if (--depth < 0)
                return 0;
            i++;
        } else if (strchr("+-*/%<>=!&|^,?:", ch)) {
            while (i < n && strchr("+-*/%<>=!&|^,?:", s[i]))
                i++;
            want = 1;
        } else {
            return 0;
        }
    }
    return !want && depth == 0;
}

int sh_lex_arith_cmd(sh_lexer *lx, unsigned depth, int check)
{
    size_t from = sh_skip_lc(lx, lx->pos) + 1, end = 0;
    if (!arith_trial(lx, from, &end))
        return 0;
    if (check && !arith_valid(lx->s + from, end - 2 - from))
        return 0;
    unsigned flags = 0;
    lx->pos = from;
    arith_body(lx, depth, end - 2, end, &flags);
    sh_count_work(lx);
    return 1;
}

unsigned sh_lex_subst_text(sh_lexer *lx, unsigned depth)
{
    unsigned flags = 0;
    sh_lex_dq(lx, depth, &flags, 1);
    lx->ttop = 0;
    sh_count_work(lx);
    return flags;
}
