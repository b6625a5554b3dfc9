/*
 * Lexers of the condition language. Each mirrors one token rule of
 * libsinsp's parser (a POSIX regex matched at the cursor, longest match, or
 * an exact string), so a text is split into the same tokens Falco sees.
 * NUL bytes end every token, as they end Falco's C-string cursor.
 */
#include "cond/lex.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void pe_lex_fail(pe_lexer *lx, size_t pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(lx->err->message, sizeof(lx->err->message), fmt, ap);
    va_end(ap);
    lx->err->pos = (uint32_t)pos;
    longjmp(lx->fail, 1);
}

void pe_lex_oom(pe_lexer *lx)
{
    longjmp(lx->fail, 2);
}

void *pe_lex_alloc(pe_lexer *lx, size_t n)
{
    void *m = pe_arena_alloc(lx->arena, n);
    if (!m)
        pe_lex_oom(lx);
    return m;
}

const char *pe_lex_copy(pe_lexer *lx, const char *s, size_t n)
{
    char *d = pe_arena_strndup(lx->arena, s, n);
    if (!d)
        pe_lex_oom(lx);
    return d;
}

char pe_lex_peek(const pe_lexer *lx, size_t off)
{
    return lx->pos + off < lx->len ? lx->text[lx->pos + off] : '\0';
}

static void set_last(pe_lexer *lx, const char *s, size_t n)
{
    lx->last = s;
    lx->last_len = n;
}

/* Consumes n bytes as the last token. */
static int take(pe_lexer *lx, size_t n)
{
    set_last(lx, lx->text + lx->pos, n);
    lx->pos += n;
    return 1;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\b' || c == '\r' || c == '\n';
}

static int is_posix_space(char c) /* [[:space:]] */
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_word(char c)
{
    return is_alpha(c) || is_digit(c) || c == '_';
}

static int is_hex(char c)
{
    return is_digit(c) || ((c | 32) >= 'a' && (c | 32) <= 'f');
}

size_t pe_lex_skip_blanks(const pe_lexer *lx, size_t i)
{
    while (i < lx->len && is_blank(lx->text[i]))
        i++;
    return i;
}

int pe_lex_blank(pe_lexer *lx)
{
    size_t start = lx->pos;
    lx->pos = pe_lex_skip_blanks(lx, start);
    return lx->pos > start;
}

int pe_lex_str(pe_lexer *lx, const char *s)
{
    size_t n = strlen(s);
    if (lx->len - lx->pos < n || memcmp(lx->text + lx->pos, s, n) != 0)
        return 0;
    return take(lx, n);
}

int pe_lex_not_blank(pe_lexer *lx)
{
    size_t i = lx->pos;
    if (lx->len - i < 4 || memcmp(lx->text + i, "not", 3) != 0 ||
        !is_posix_space(lx->text[i + 3]))
        return 0;
    i += 3;
    while (i < lx->len && is_posix_space(lx->text[i]))
        i++;
    return take(lx, i - lx->pos);
}

size_t pe_lex_word_at(const pe_lexer *lx, size_t i)
{
    if (i >= lx->len || !is_alpha(lx->text[i]))
        return 0;
    size_t j = i + 1;
    while (j < lx->len && is_word(lx->text[j]))
        j++;
    return j - i;
}

int pe_lex_identifier(pe_lexer *lx)
{
    size_t n = pe_lex_word_at(lx, lx->pos);
    return n ? take(lx, n) : 0;
}

int pe_lex_field_name(pe_lexer *lx)
{
    size_t i = lx->pos + pe_lex_word_at(lx, lx->pos);
    if (i == lx->pos)
        return 0;
    int parts = 0;
    size_t n;
    while (i < lx->len && lx->text[i] == '.' && (n = pe_lex_word_at(lx, i + 1)) > 0) {
        i += 1 + n;
        parts++;
    }
    return parts ? take(lx, i - lx->pos) : 0;
}

static size_t digits_at(const pe_lexer *lx, size_t i)
{
    size_t j = i;
    while (j < lx->len && is_digit(lx->text[j]))
        j++;
    return j - i;
}

int pe_lex_number(pe_lexer *lx)
{
    size_t i = lx->pos;
    if (lx->len - i >= 3 && lx->text[i] == '0' && (lx->text[i + 1] | 32) == 'x' &&
        is_hex(lx->text[i + 2])) {
        i += 3;
        while (i < lx->len && is_hex(lx->text[i]))
            i++;
        return take(lx, i - lx->pos);
    }
    if (i < lx->len && (lx->text[i] == '+' || lx->text[i] == '-'))
        i++;
    size_t n = digits_at(lx, i);
    if (!n)
        return 0;
    i += n;
    if (i < lx->len && lx->text[i] == '.')
        i += 1 + digits_at(lx, i + 1);
    /* the exponent needs a sign and a digit: "1e5" is "1" then "e5" */
    if (lx->len - i >= 3 && (lx->text[i] | 32) == 'e' &&
        (lx->text[i + 1] == '+' || lx->text[i + 1] == '-') && is_digit(lx->text[i + 2]))
        i += 2 + digits_at(lx, i + 2);
    return take(lx, i - lx->pos);
}

/* Length of a run of bytes that are not in stop, not POSIX spaces and not
 * NUL. */
static size_t run_at(const pe_lexer *lx, const char *stop)
{
    size_t i = lx->pos;
    while (i < lx->len) {
        char c = lx->text[i];
        if (c == '\0' || is_posix_space(c) || strchr(stop, c))
            break;
        i++;
    }
    return i - lx->pos;
}

int pe_lex_field_arg_bare(pe_lexer *lx)
{
    size_t n = run_at(lx, "[]\"'");
    return n ? take(lx, n) : 0;
}

int pe_lex_bare(pe_lexer *lx, pe_ast_lit *out)
{
    size_t n = run_at(lx, "()\"'=,");
    if (!n)
        return 0;
    out->pos = (uint32_t)lx->pos;
    out->s = pe_lex_copy(lx, lx->text + lx->pos, n);
    out->len = n;
    out->quoted = 0;
    return take(lx, n);
}

/* The value of the escape "\e" inside a q-quoted string, or -1. */
static int escape_value(char e, char q, pe_lexer *lx, size_t at)
{
    switch (e) {
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    case ' ': /* Falco keeps "\ " as a backslash for old, wrongly escaped rules */
    case '\\':
        return '\\';
    case '/':
        return '/';
    case '"':
        if (q != '"')
            pe_lex_fail(lx, at, "invalid \\\" escape in '-quoted string");
        return '"';
    case '\'':
        if (q != '\'')
            pe_lex_fail(lx, at, "invalid \\' escape in \"-quoted string");
        return '\'';
    default:
        pe_lex_fail(lx, at, "unsupported string escape sequence: \\%c", e);
    }
}

/* Unescapes text[body, end) into the arena; errors point at the backslash. */
static void unescape(pe_lexer *lx, size_t body, size_t end, char q, pe_ast_lit *out)
{
    char *d = pe_lex_alloc(lx, end - body + 1);
    size_t n = 0;
    for (size_t i = body; i < end; i++) {
        if (lx->text[i] != '\\') {
            d[n++] = lx->text[i];
            continue;
        }
        /* a body never ends with a lone backslash: it would have escaped
         * the closing quote */
        d[n++] = (char)escape_value(lx->text[i + 1], q, lx, i);
        i++;
    }
    d[n] = '\0';
    out->s = d;
    out->len = n;
}

int pe_lex_quoted(pe_lexer *lx, pe_ast_lit *out)
{
    char q = pe_lex_peek(lx, 0);
    if (q != '"' && q != '\'')
        return 0;
    /* the string ends at the first quote whose preceding byte is not a
     * backslash, so 'a\\' does not end at its last quote */
    size_t i = lx->pos + 1;
    while (i < lx->len && lx->text[i] != '\0' && !(lx->text[i] == q && lx->text[i - 1] != '\\'))
        i++;
    if (i >= lx->len || lx->text[i] != q)
        return 0;
    out->pos = (uint32_t)lx->pos;
    out->quoted = 1;
    unescape(lx, lx->pos + 1, i, q, out);
    lx->pos = i + 1;
    set_last(lx, out->s, out->len);
    return 1;
}
