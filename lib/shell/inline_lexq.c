/*
 * The tokenizers of the languages with many quoting forms: Perl (q qq qw
 * qx m s tr y qr with any delimiter, here-docs, POD, sigils, interpolation
 * of $x @x ${..} @{[..]}), Ruby (%q %Q %w %x %r %i, here-docs, #{..},
 * symbols, =begin/=end) and PHP (tags, '..' "..", here-docs and nowdocs,
 * backticks, $x {$..} interpolation).
 */
#include <string.h>

#include "prempti/common.h"
#include "shell/inline_internal.h"

static char closing(char open)
{
    return open == '(' ? ')' : open == '[' ? ']' : open == '{' ? '}' : open == '<' ? '>' : open;
}

enum { Q_SQ, Q_DQ, Q_RAW };

/* A literal between delimiters at L->i (brackets nest). mode: Q_SQ (only \\
 * and \delim), Q_DQ (escapes esc and interpolation), Q_RAW (as written). */
static void delimited(inl_lexer *L, size_t start, int type, int mode, unsigned esc,
                      lx_interp_fn interp)
{
    inl_ctx *c = L->c;
    char open = L->s[L->i], close = closing(open);
    int level = 1;
    size_t k = inl_push(c, type, start, start, L->space);
    L->space = 0;
    pe_abuf b;
    pe_abuf_init(&b, c->a, 0);
    int dyn = 0;
    L->i++;
    L->delim = close;
    while (L->i < L->n) {
        char ch = L->s[L->i];
        if (ch == '\\' && L->i + 1 < L->n) {
            if (mode == Q_RAW) {
                pe_abuf_append(&b, L->s + L->i, 2);
                L->i += 2;
            } else if (L->s[L->i + 1] == close || L->s[L->i + 1] == open) {
                pe_abuf_putc(&b, L->s[L->i + 1]);
                L->i += 2;
            } else {
                lx_escape(L, &b, mode == Q_SQ ? E_SQ : esc);
            }
            continue;
        }
        if (open != close && ch == open)
            level++;
        else if (ch == close && --level == 0)
            break;
        int r = mode == Q_DQ && interp ? interp(L, &b) : 0;
        if (r) {
            dyn |= r == 1;
            continue;
        }
        pe_abuf_putc(&b, ch);
        L->i++;
    }
    if (L->i < L->n)
        L->i++;
    else
        inl_parse_error(c, "unterminated string");
    lx_set_val(L, k, &b, dyn);
}

/* Skips a regex-like literal with one or two parts (s{..}{..}, tr/../../):
 * one T_REGEX token for the whole literal. */
static void skip_parts(inl_lexer *L, size_t start, int parts)
{
    inl_ctx *c = L->c;
    size_t before = c->nt;
    char open = L->s[L->i];
    delimited(L, start, T_REGEX, Q_RAW, 0, NULL);
    if (parts == 2) {
        if (closing(open) != open) { /* s{a} {b}: its own delimiters */
            while (L->i < L->n && inl_in(" \t\n", L->s[L->i]))
                L->i++;
            if (L->i < L->n)
                delimited(L, start, T_REGEX, Q_RAW, 0, NULL);
        } else {
            L->i--; /* the middle delimiter opens the second part */
            delimited(L, start, T_REGEX, Q_RAW, 0, NULL);
        }
    }
    while (L->i < L->n && inl_is_ident((unsigned char)L->s[L->i]))
        L->i++;
    c->nt = before + (c->nt > before);
    if (c->nt > before)
        c->t[before].text.len = L->i - start;
}

/* ---- here-docs (Perl, Ruby): the body is on the lines after this one ------------------- */

/* Finds the body of a here-doc whose opener is on the current line and
 * registers it to be skipped at this line's end. */
static int heredoc_body(inl_lexer *L, const char *term, size_t tn, int indent, size_t *b, size_t *e)
{
    size_t from;
    if (L->skip_to) {
        from = L->skip_to;
    } else {
        const char *nl = memchr(L->s + L->i, '\n', L->n - L->i);
        if (!nl) {
            inl_parse_error(L->c, "unterminated here-document");
            return 0;
        }
        L->skip_at = (size_t)(nl - L->s);
        from = L->skip_at + 1;
    }
    for (size_t ls = from; ls < L->n;) {
        const char *nl = memchr(L->s + ls, '\n', L->n - ls);
        size_t le = nl ? (size_t)(nl - L->s) : L->n, t = ls;
        while (indent && t < le && (L->s[t] == ' ' || L->s[t] == '\t'))
            t++;
        if (le - t == tn && memcmp(L->s + t, term, tn) == 0) {
            *b = from;
            *e = ls;
            L->skip_to = le < L->n ? le + 1 : L->n;
            return 1;
        }
        ls = le + 1;
    }
    inl_parse_error(L->c, "unterminated here-document");
    *b = from;
    *e = L->n;
    L->skip_to = L->n;
    return 1;
}

/* The value of a body [b, e), read as a string of the given kind. */
/* Removes the indentation common to the lines of a squiggly here-doc's value. */
static void dedent(inl_tok *t)
{
    size_t min = SIZE_MAX;
    const char *v = t->val.s, *end = v + t->val.len;
    for (const char *l = v; l < end;) {
        const char *p = l;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p < end && *p != '\n' && (size_t)(p - l) < min)
            min = (size_t)(p - l);
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        l = nl ? nl + 1 : end;
    }
    if (min == SIZE_MAX || min == 0)
        return;
    char *o = (char *)t->val.s; /* the value is the lexer's own copy */
    size_t n = 0;
    for (const char *l = v; l < end;) {
        const char *nl = memchr(l, '\n', (size_t)(end - l));
        const char *le = nl ? nl + 1 : end, *p = l;
        while (p < le && (size_t)(p - l) < min && (*p == ' ' || *p == '\t'))
            p++;
        memmove(o + n, p, (size_t)(le - p));
        n += (size_t)(le - p);
        l = le;
    }
    o[n] = '\0';
    t->val.len = n;
}

static void body_value(inl_lexer *L, size_t start, int type, unsigned esc, lx_interp_fn interp,
                       size_t b, size_t e, int squiggly)
{
    size_t save_i = L->i, save_n = L->n, k = L->c->nt;
    L->n = e;
    lx_quoted(L, start, b, "", 0, esc, interp, type);
    L->i = save_i;
    L->n = save_n;
    if (k < L->c->nt) {
        L->c->t[k].flags |= TF_HEREDOC;
        if (squiggly)
            dedent(&L->c->t[k]);
    }
}

/* <<"EOF" <<'EOF' <<`EOF` <<EOF, with ~ (Perl, Ruby) or - (Ruby) before;
 * returns 1 when one was read at L->i (at "<<"). */
static int heredoc(inl_lexer *L, int ruby, unsigned esc, lx_interp_fn interp)
{
    size_t start = L->i, k = L->i + 2;
    int indent = 0, squiggly = 0;
    if (k < L->n && (L->s[k] == '~' || (ruby && L->s[k] == '-'))) {
        indent = 1;
        squiggly = L->s[k] == '~';
        k++;
    }
    if (k >= L->n)
        return 0;
    char q = L->s[k];
    size_t ts, te;
    if (q == '"' || q == '\'' || q == '`') {
        ts = k + 1;
        te = ts;
        while (te < L->n && L->s[te] != q && L->s[te] != '\n')
            te++;
        if (te >= L->n || L->s[te] != q)
            return 0;
        L->i = te + 1;
    } else if (inl_is_ident_start((unsigned char)q) &&
               (!ruby || indent || (q >= 'A' && q <= 'Z'))) {
        ts = te = k;
        while (te < L->n && inl_is_ident((unsigned char)L->s[te]))
            te++;
        L->i = te;
    } else {
        return 0;
    }
    size_t b, e;
    if (heredoc_body(L, L->s + ts, te - ts, indent, &b, &e))
        body_value(L, start, q == '`' ? T_CMD : T_STR, q == '\'' ? 0 : esc,
                   q == '\'' ? NULL : interp, b, e, squiggly);
    return 1;
}

/* ---- Perl -------------------------------------------------------------------------------- */

static void pl_step(inl_lexer *L);

/* An interpolated variable [L->i, name_end): one T_VAR between embed marks. */
static void var_embed(inl_lexer *L, pe_abuf *b, size_t name_end)
{
    inl_ctx *c = L->c;
    inl_push(c, T_EMB_OPEN, L->i, L->i, 0);
    inl_push(c, T_VAR, L->i, name_end, 0);
    inl_push(c, T_EMB_CLOSE, name_end, name_end, 0);
    L->i = name_end;
    pe_abuf_append(b, HOLE, HOLE_LEN);
}

static size_t name_end(const inl_lexer *L, size_t k)
{
    while (k < L->n) {
        if (inl_is_ident((unsigned char)L->s[k]))
            k++;
        else if (L->s[k] == ':' && k + 2 < L->n && L->s[k + 1] == ':' &&
                 inl_is_ident_start((unsigned char)L->s[k + 2]))
            k += 2;
        else
            break;
    }
    return k;
}

/* Subscripts after an interpolated Perl variable: [..] {..} ->[..] ->{..}. */
static size_t subscripts(const inl_lexer *L, size_t k)
{
    for (;;) {
        size_t j = k;
        if (j + 1 < L->n && L->s[j] == '-' && L->s[j + 1] == '>')
            j += 2;
        if (j >= L->n || (L->s[j] != '[' && L->s[j] != '{'))
            return k;
        char open = L->s[j], close = closing(open);
        int level = 0;
        for (; j < L->n; j++) {
            level += L->s[j] == open ? 1 : L->s[j] == close ? -1 : 0;
            if (level == 0)
                break;
        }
        if (j >= L->n)
            return k;
        k = j + 1;
    }
}

static int pl_interp(inl_lexer *L, pe_abuf *b)
{
    char ch = L->s[L->i];
    if ((ch != '$' && ch != '@') || L->i + 1 >= L->n)
        return 0;
    char nx = L->s[L->i + 1];
    if (nx == '{') {
        L->i += 2;
        pe_abuf_append(b, HOLE, HOLE_LEN);
        lx_embed(L, '}', pl_step);
        return 1;
    }
    if (!inl_is_ident_start((unsigned char)nx) && nx != ':')
        return 0;
    var_embed(L, b, subscripts(L, name_end(L, L->i + 1)));
    return 1;
}

#define PL_ESC (E_C | E_X2 | E_XBRACE | E_OCT | E_E)

static int is_word(const char *s, size_t n, const char *w)
{
    return n == strlen(w) && memcmp(s, w, n) == 0;
}

/* q qq qw qx m s tr y qr followed by a delimiter. */
static int pl_quote_op(inl_lexer *L, size_t start, size_t end)
{
    static const char *const ops[] = {"q", "qq", "qw", "qx", "m", "s", "tr", "y", "qr", NULL};
    const char *w = L->s + start;
    size_t n = end - start, k = end;
    int op = -1;
    for (int i = 0; ops[i]; i++)
        if (is_word(w, n, ops[i]))
            op = i;
    if (op < 0)
        return 0;
    while (k < L->n && (L->s[k] == ' ' || L->s[k] == '\t'))
        k++;
    if (k >= L->n || inl_is_ident((unsigned char)L->s[k]) || inl_in(" \t\n,;)=", L->s[k]) ||
        (L->s[k] == '#' && k > end))
        return 0;
    L->i = k;
    if (op == 0)
        delimited(L, start, T_STR, Q_SQ, 0, NULL);
    else if (op == 1 || op == 3)
        delimited(L, start, op == 1 ? T_STR : T_CMD, L->s[k] == '\'' ? Q_SQ : Q_DQ, PL_ESC,
                  pl_interp);
    else if (op == 2)
        delimited(L, start, T_LIST, Q_SQ, 0, NULL);
    else
        skip_parts(L, start, op == 5 || op == 6 || op == 7 ? 2 : 1);
    return 1;
}

/* $x @x %x $#x $::x, $1, and the punctuation variables ($_ $! $' ...). */
static void pl_var(inl_lexer *L)
{
    size_t start = L->i++;
    if (L->i < L->n && L->s[L->i] == '#' && L->s[start] == '$')
        L->i++;
    char ch = L->i < L->n ? L->s[L->i] : '\n';
    if (inl_is_ident_start((unsigned char)ch))
        L->i = name_end(L, L->i);
    else if (ch == ':' && L->i + 1 < L->n && L->s[L->i + 1] == ':')
        L->i = name_end(L, L->i + 2);
    else if (ch >= '0' && ch <= '9')
        while (L->i < L->n && L->s[L->i] >= '0' && L->s[L->i] <= '9')
            L->i++;
    else if (L->s[start] == '$' && ch != '{' && ch != '\n' && ch != ' ')
        L->i++;
    lx_push(L, T_VAR, start);
}

static void pl_step(inl_lexer *L)
{
    const char *s = L->s;
    char ch = s[L->i];
    char nx = L->i + 1 < L->n ? s[L->i + 1] : 0;
    int bol = L->i == 0 || s[L->i - 1] == '\n';
    if (bol && ch == '=' && inl_is_ident_start((unsigned char)nx)) { /* POD */
        const char *cut = NULL;
        for (size_t k = L->i; k + 4 <= L->n && !cut; k++)
            if ((k == 0 || s[k - 1] == '\n') && memcmp(s + k, "=cut", 4) == 0)
                cut = s + k;
        L->i = cut ? (size_t)(cut - s) + 4 : L->n;
        while (L->i < L->n && s[L->i] != '\n')
            L->i++;
        return;
    }
    if (bol && L->n - L->i >= 7 &&
        (memcmp(s + L->i, "__END__", 7) == 0 || memcmp(s + L->i, "__DATA_", 7) == 0)) {
        L->i = L->n;
        return;
    }
    if (lx_common(L))
        return;
    if (ch == '#') {
        lx_line_comment(L);
    } else if (ch == '\'') {
        lx_quoted(L, L->i, L->i + 1, "'", 1, E_SQ, NULL, T_STR);
    } else if (ch == '"') {
        lx_quoted(L, L->i, L->i + 1, "\"", 1, PL_ESC, pl_interp, T_STR);
    } else if (ch == '`') {
        lx_quoted(L, L->i, L->i + 1, "`", 1, PL_ESC, pl_interp, T_CMD);
    } else if (ch == '<' && nx == '<' && heredoc(L, 0, PL_ESC, pl_interp)) {
        return;
    } else if ((ch == '$' || ch == '@') && L->i + 1 < L->n) {
        pl_var(L);
    } else if (ch == '%' && lx_regex_ok(L) && inl_is_ident_start((unsigned char)nx)) {
        pl_var(L);
    } else if (ch == '/' && lx_regex_ok(L)) {
        lx_regex(L, '/');
    } else if (inl_is_ident_start((unsigned char)ch)) {
        size_t start = L->i;
        L->i = name_end(L, L->i);
        if (!pl_quote_op(L, start, L->i))
            lx_push(L, T_IDENT, start);
    } else {
        lx_punct(L);
    }
}

void lex_perl(inl_ctx *c)
{
    lx_lex(c, pl_step);
}

/* ---- Ruby -------------------------------------------------------------------------------- */

static void rb_step(inl_lexer *L);

static int rb_interp(inl_lexer *L, pe_abuf *b)
{
    if (L->s[L->i] != '#' || L->i + 1 >= L->n)
        return 0;
    char nx = L->s[L->i + 1];
    if (nx == '{') {
        L->i += 2;
        pe_abuf_append(b, HOLE, HOLE_LEN);
        lx_embed(L, '}', rb_step);
        return 1;
    }
    if (nx != '@' && nx != '$')
        return 0;
    size_t k = L->i + 2;
    while (k < L->n && L->s[k] == '@')
        k++;
    if (k >= L->n || !inl_is_ident_start((unsigned char)L->s[k]))
        return 0;
    while (k < L->n && inl_is_ident((unsigned char)L->s[k]))
        k++;
    L->i++;
    var_embed(L, b, k);
    return 1;
}

#define RB_ESC (E_C | E_X2 | E_U4 | E_UBRACE | E_OCT | E_E | E_LINE)

/* %q( %Q( %( %w[ %W[ %i[ %I[ %x( %r{ %s( at L->i. */
static int rb_percent(inl_lexer *L)
{
    size_t k = L->i + 1;
    char kind = 'Q';
    if (k < L->n && L->s[k] && inl_in("qQwWiIxrs", L->s[k])) {
        kind = L->s[k];
        k++;
    }
    if (k >= L->n || inl_is_ident((unsigned char)L->s[k]) || inl_in(" \t\n=", L->s[k]))
        return 0;
    if (!lx_regex_ok(L))
        return 0; /* a modulo */
    size_t start = L->i;
    L->i = k;
    if (kind == 'r' || kind == 's')
        skip_parts(L, start, 1);
    else if (kind == 'w' || kind == 'W' || kind == 'i' || kind == 'I')
        delimited(L, start, T_LIST, Q_SQ, 0, NULL);
    else
        delimited(L, start, kind == 'x' ? T_CMD : T_STR, kind == 'q' ? Q_SQ : Q_DQ, RB_ESC,
                  rb_interp);
    return 1;
}

/* :name (a symbol: T_STR with TF_SYMBOL), or :"name". */
static int rb_symbol(inl_lexer *L)
{
    const char *s = L->s;
    char nx = L->i + 1 < L->n ? s[L->i + 1] : 0;
    if (nx == '"' && lx_regex_ok(L)) {
        size_t k = L->c->nt;
        lx_quoted(L, L->i, L->i + 2, "\"", 1, RB_ESC, rb_interp, T_STR);
        if (k < L->c->nt)
            L->c->t[k].flags |= TF_SYMBOL;
        return 1;
    }
    if (!inl_is_ident_start((unsigned char)nx) ||
        (L->i > 0 && (s[L->i - 1] == ':' || inl_is_ident((unsigned char)s[L->i - 1]))))
        return 0;
    size_t start = L->i++;
    while (L->i < L->n &&
           (inl_is_ident((unsigned char)s[L->i]) || s[L->i] == '?' || s[L->i] == '!'))
        L->i++;
    size_t k = lx_push(L, T_STR, start);
    pe_abuf b;
    pe_abuf_init(&b, L->c->a, L->i - start);
    pe_abuf_append(&b, s + start + 1, L->i - start - 1);
    if (k != SIZE_MAX) {
        L->c->t[k].flags |= TF_SYMBOL;
        if (pe_abuf_finish(&b, &L->c->t[k].val) != 0)
            L->c->nomem = 1;
    }
    return 1;
}

static void rb_step(inl_lexer *L)
{
    const char *s = L->s;
    char ch = s[L->i];
    char nx = L->i + 1 < L->n ? s[L->i + 1] : 0;
    int bol = L->i == 0 || s[L->i - 1] == '\n';
    if (bol && L->n - L->i >= 6 && memcmp(s + L->i, "=begin", 6) == 0) {
        const char *end = NULL;
        for (size_t k = L->i + 6; k + 4 <= L->n && !end; k++)
            if (s[k - 1] == '\n' && memcmp(s + k, "=end", 4) == 0)
                end = s + k;
        L->i = end ? (size_t)(end - s) + 4 : L->n;
        if (!end)
            inl_parse_error(L->c, "unterminated comment");
        return;
    }
    if (bol && L->n - L->i >= 7 && memcmp(s + L->i, "__END__", 7) == 0) {
        L->i = L->n;
        return;
    }
    if (lx_common(L))
        return;
    if (ch == '#') {
        lx_line_comment(L);
    } else if (ch == '\\' && nx == '\n') {
        L->i += 2;
    } else if (ch == '\'') {
        lx_quoted(L, L->i, L->i + 1, "'", 1, E_SQ, NULL, T_STR);
    } else if (ch == '"') {
        lx_quoted(L, L->i, L->i + 1, "\"", 1, RB_ESC, rb_interp, T_STR);
    } else if (ch == '`') {
        lx_quoted(L, L->i, L->i + 1, "`", 1, RB_ESC, rb_interp, T_CMD);
    } else if (ch == '<' && nx == '<' && heredoc(L, 1, RB_ESC, rb_interp)) {
        return;
    } else if (ch == '%' && rb_percent(L)) {
        return;
    } else if (ch == ':' && rb_symbol(L)) {
        return;
    } else if ((ch == '@' || ch == '$') && (inl_is_ident_start((unsigned char)nx) || nx == '@')) {
        size_t start = L->i++;
        while (L->i < L->n && (inl_is_ident((unsigned char)s[L->i]) || s[L->i] == '@'))
            L->i++;
        lx_push(L, T_VAR, start);
    } else if (ch == '/' && lx_regex_ok(L)) {
        lx_regex(L, '/');
    } else if (inl_is_ident_start((unsigned char)ch)) {
        size_t start = L->i;
        lx_ident(L, NULL);
        /* method names may end with ? or ! (not before '=') */
        if (L->i < L->n && (s[L->i] == '?' || s[L->i] == '!') &&
            !(L->i + 1 < L->n && s[L->i + 1] == '=') && L->c->nt &&
            L->c->t[L->c->nt - 1].off == start) {
            L->i++;
            L->c->t[L->c->nt - 1].text.len = L->i - start;
        }
    } else {
        lx_punct(L);
    }
}

void lex_ruby(inl_ctx *c)
{
    lx_lex(c, rb_step);
}

/* ---- PHP --------------------------------------------------------------------------------- */

static void php_step(inl_lexer *L);

static int php_interp(inl_lexer *L, pe_abuf *b)
{
    char ch = L->s[L->i];
    char nx = L->i + 1 < L->n ? L->s[L->i + 1] : 0;
    if ((ch == '{' && nx == '$') || (ch == '$' && nx == '{')) {
        L->i += ch == '{' ? 1 : 2;
        pe_abuf_append(b, HOLE, HOLE_LEN);
        lx_embed(L, '}', php_step);
        return 1;
    }
    if (ch != '$' || !inl_is_ident_start((unsigned char)nx))
        return 0;
    size_t k = L->i + 1;
    while (k < L->n && inl_is_ident((unsigned char)L->s[k]))
        k++;
    if (k < L->n && L->s[k] == '[') {
        const char *close = memchr(L->s + k, ']', L->n - k);
        k = close ? (size_t)(close - L->s) + 1 : k;
    } else if (k + 2 < L->n && L->s[k] == '-' && L->s[k + 1] == '>' &&
               inl_is_ident_start((unsigned char)L->s[k + 2])) {
        for (k += 2; k < L->n && inl_is_ident((unsigned char)L->s[k]); k++)
            ;
    }
    var_embed(L, b, k);
    return 1;
}

#define PHP_ESC (E_C | E_X2 | E_UBRACE | E_OCT | E_E | E_KEEP)

/* <<<ID, <<<"ID", <<<'ID': the body follows on the next lines, the code
 * continues after the closing ID. */
static int php_heredoc(inl_lexer *L)
{
    size_t k = L->i + 3;
    while (k < L->n && (L->s[k] == ' ' || L->s[k] == '\t'))
        k++;
    char q = k < L->n && (L->s[k] == '"' || L->s[k] == '\'') ? L->s[k] : 0;
    size_t ts = k + (q != 0), te = ts;
    while (te < L->n && inl_is_ident((unsigned char)L->s[te]))
        te++;
    if (te == ts || (q && (te >= L->n || L->s[te] != q)))
        return 0;
    const char *nl = memchr(L->s + te, '\n', L->n - te);
    if (!nl)
        return 0;
    size_t start = L->i, body = (size_t)(nl - L->s) + 1, tn = te - ts, end = L->n, after = L->n;
    for (size_t ls = body; ls < L->n;) {
        const char *e = memchr(L->s + ls, '\n', L->n - ls);
        size_t le = e ? (size_t)(e - L->s) : L->n, t = ls;
        while (t < le && (L->s[t] == ' ' || L->s[t] == '\t'))
            t++;
        if (le - t >= tn && memcmp(L->s + t, L->s + ts, tn) == 0 &&
            (t + tn == le || !inl_is_ident((unsigned char)L->s[t + tn]))) {
            end = ls > body ? ls - 1 : ls; /* the last newline is not part of the body */
            after = t + tn;
            break;
        }
        ls = le + 1;
    }
    if (after == L->n)
        inl_parse_error(L->c, "unterminated here-document");
    size_t save_n = L->n;
    L->n = end;
    lx_quoted(L, start, body, "", 0, q == '\'' ? 0 : PHP_ESC, q == '\'' ? NULL : php_interp, T_STR);
    L->n = save_n;
    L->i = after;
    return 1;
}

/* Text outside <?php ... ?> is output, not code. */
static void php_html(inl_lexer *L)
{
    while (L->i < L->n) {
        const char *lt = memchr(L->s + L->i, '<', L->n - L->i);
        if (!lt) {
            L->i = L->n;
            return;
        }
        L->i = (size_t)(lt - L->s);
        if (L->n - L->i >= 5 && memcmp(lt, "<?php", 5) == 0) {
            L->i += 5;
            return;
        }
        if (L->n - L->i >= 2 && lt[1] == '?') {
            L->i += 2 + (L->n - L->i >= 3 && lt[2] == '=');
            return;
        }
        L->i++;
    }
}

static void php_step(inl_lexer *L)
{
    char ch = L->s[L->i];
    char nx = L->i + 1 < L->n ? L->s[L->i + 1] : 0;
    if (lx_common(L))
        return;
    if (ch == '?' && nx == '>') {
        size_t at = L->i;
        L->i += 2;
        inl_push(L->c, T_NL, at, L->i, 0);
        php_html(L);
    } else if (ch == '#' && nx == '[') {
        const char *close = memchr(L->s + L->i, ']', L->n - L->i);
        L->i = close ? (size_t)(close - L->s) + 1 : L->n;
    } else if (ch == '#' || (ch == '/' && nx == '/')) {
        lx_line_comment(L);
    } else if (ch == '/' && nx == '*') {
        lx_block_comment(L, 2, "/*", "*/", 0);
    } else if (ch == '\'') {
        lx_quoted(L, L->i, L->i + 1, "'", 1, E_SQ, NULL, T_STR);
    } else if (ch == '"') {
        lx_quoted(L, L->i, L->i + 1, "\"", 1, PHP_ESC, php_interp, T_STR);
    } else if (ch == '`') {
        lx_quoted(L, L->i, L->i + 1, "`", 1, PHP_ESC, php_interp, T_CMD);
    } else if (ch == '<' && nx == '<' && L->n - L->i > 3 && L->s[L->i + 2] == '<' &&
               php_heredoc(L)) {
        return;
    } else if (ch == '$' && (inl_is_ident_start((unsigned char)nx) || nx == '$')) {
        size_t start = L->i++;
        while (L->i < L->n && L->s[L->i] == '$')
            L->i++;
        while (L->i < L->n && inl_is_ident((unsigned char)L->s[L->i]))
            L->i++;
        lx_push(L, T_VAR, start);
    } else if (inl_is_ident_start((unsigned char)ch)) {
        lx_ident(L, NULL);
    } else {
        lx_punct(L);
    }
}

void lex_php(inl_ctx *c)
{
    inl_lexer L;
    lx_init(&L, c);
    size_t k = 0;
    if (L.n >= 2 && L.s[0] == '#' && L.s[1] == '!') /* a shebang line */
        while (k < L.n && L.s[k] != '\n')
            k++;
    while (k < L.n && inl_in(" \t\r\n", L.s[k]))
        k++;
    /* A file or stdin starts with <?php or markup: code is inside <?php ... ?>.
     * php -r code has no tags (and cannot start with '<'). */
    if (k < L.n && L.s[k] == '<')
        php_html(&L);
    lx_run(&L, php_step);
}
