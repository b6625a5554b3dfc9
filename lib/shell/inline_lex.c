/*
 * Tokens of inline code: the token store, bracket matching and escapes
 * shared by every tokenizer, and the tokenizers of Python and JavaScript
 * (Lua, R, awk and AppleScript are in inline_lex2.c). A string's value is decoded as the
 * language does; an interpolation leaves a hole in it and its code follows
 * the string token between T_EMB_OPEN and T_EMB_CLOSE.
 */
#include <string.h>

#include "prempti/common.h"
#include "shell/inline_internal.h"
#include "util/utf8.h"

/* ---- token store ---------------------------------------------------------------------- */

size_t inl_push(inl_ctx *c, int type, size_t start, size_t end, unsigned flags)
{
    if (c->stop || c->nomem)
        return SIZE_MAX;
    if (c->nt + 2 > c->tcap) { /* room for this token and the T_END */
        size_t cap = c->tcap ? c->tcap * 2 : 32;
        inl_tok *t = inl_alloc_raw(c, cap * sizeof(*t));
        if (!t)
            return SIZE_MAX;
        if (c->nt)
            memcpy(t, c->t, c->nt * sizeof(*t));
        c->t = t;
        c->tcap = cap;
    }
    if (inl_work(c, 8) != 0)
        return SIZE_MAX;
    inl_tok *k = &c->t[c->nt];
    memset(k, 0, sizeof(*k));
    k->type = (unsigned char)type;
    k->flags = (unsigned char)flags;
    k->off = (uint32_t)start;
    k->text.s = c->s + start;
    k->text.len = end - start;
    k->val.s = "";
    return c->nt++;
}

static int is_open(const inl_tok *k)
{
    return k->type == T_EMB_OPEN ||
           (k->type == T_PUNCT && k->text.len == 1 && inl_opener(k->text.s[0]));
}

static int closes(const inl_tok *open, const inl_tok *k)
{
    if (open->type == T_EMB_OPEN)
        return k->type == T_EMB_CLOSE;
    if (k->type != T_PUNCT || k->text.len != 1)
        return 0;
    char o = open->text.s[0], e = k->text.s[0];
    return (o == '(' && e == ')') || (o == '[' && e == ']') || (o == '{' && e == '}');
}

static int is_close(const inl_tok *k)
{
    return k->type == T_EMB_CLOSE ||
           (k->type == T_PUNCT && k->text.len == 1 && inl_closer(k->text.s[0]));
}

/* Appends T_END and pairs brackets; an unpaired one is a parse error (an
 * unclosed opener is matched with T_END). */
void inl_finish_tokens(inl_ctx *c)
{
    if (c->nomem)
        return;
    if (!c->t || c->nt + 1 > c->tcap) { /* no token yet (inl_push keeps room otherwise) */
        size_t cap = c->nt + 1;
        inl_tok *t = inl_alloc_raw(c, cap * sizeof(*t));
        if (!t)
            return;
        if (c->nt)
            memcpy(t, c->t, c->nt * sizeof(*t));
        c->t = t;
        c->tcap = cap;
    }
    inl_tok *end = &c->t[c->nt];
    memset(end, 0, sizeof(*end));
    end->type = T_END;
    end->off = (uint32_t)c->len;
    end->text.s = c->s + c->len;
    end->val.s = "";
    uint32_t *stack = inl_alloc_raw(c, (c->nt + 1) * sizeof(*stack));
    if (!stack)
        return;
    size_t sp = 0;
    for (size_t i = 0; i < c->nt; i++) {
        inl_tok *k = &c->t[i];
        if (is_open(k)) {
            stack[sp++] = (uint32_t)i;
        } else if (is_close(k)) {
            if (sp && closes(&c->t[stack[sp - 1]], k)) {
                k->match = stack[--sp];
                c->t[k->match].match = (uint32_t)i;
            } else {
                inl_parse_error(c, "unbalanced closing bracket");
            }
        }
    }
    if (sp)
        inl_parse_error(c, "unclosed bracket");
    while (sp)
        c->t[stack[--sp]].match = (uint32_t)c->nt;
}

/* ---- lexer helpers ------------------------------------------------------------------- */

int inl_is_ident_start(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch >= 0x80;
}

int inl_is_ident(int ch)
{
    return inl_is_ident_start(ch) || (ch >= '0' && ch <= '9');
}

void lx_init(inl_lexer *L, inl_ctx *c)
{
    memset(L, 0, sizeof(*L));
    L->c = c;
    L->s = c->s;
    L->n = c->len;
}

size_t lx_push(inl_lexer *L, int type, size_t start)
{
    size_t k = inl_push(L->c, type, start, L->i, L->space);
    L->space = 0;
    if (k != SIZE_MAX && type == T_PUNCT && L->i - start == 1) {
        char ch = L->s[start];
        L->depth += inl_opener(ch) ? 1 : inl_closer(ch) ? -1 : 0;
    }
    return k;
}

/* A newline at L->i: a statement end outside brackets; jumps over here-doc
 * bodies that were read ahead. */
void lx_newline(inl_lexer *L)
{
    size_t at = L->i++;
    if (L->skip_to && at == L->skip_at) {
        L->i = L->skip_to;
        L->skip_at = L->skip_to = 0;
    }
    L->space = TF_SPACE;
    inl_ctx *c = L->c;
    if (L->depth <= 0 && c->nt && c->t[c->nt - 1].type != T_NL)
        inl_push(c, T_NL, at, at + 1, 0);
}

int lx_space(inl_lexer *L)
{
    size_t start = L->i;
    while (L->i < L->n && (L->s[L->i] == ' ' || L->s[L->i] == '\t' || L->s[L->i] == '\r' ||
                           L->s[L->i] == '\f' || L->s[L->i] == '\v'))
        L->i++;
    if (L->i > start)
        L->space = TF_SPACE;
    return L->i > start;
}

void lx_ident(inl_lexer *L, int (*more)(int ch))
{
    size_t start = L->i;
    while (L->i < L->n &&
           (inl_is_ident((unsigned char)L->s[L->i]) || (more && more((unsigned char)L->s[L->i]))))
        L->i++;
    lx_push(L, T_IDENT, start);
}

int lx_number(inl_lexer *L)
{
    if (L->i >= L->n || L->s[L->i] < '0' || L->s[L->i] > '9')
        return 0;
    size_t start = L->i;
    while (L->i < L->n) {
        char ch = L->s[L->i];
        if (inl_is_ident((unsigned char)ch) && ch < 0x7f)
            L->i++;
        else if (ch == '.' && L->i + 1 < L->n && L->s[L->i + 1] >= '0' && L->s[L->i + 1] <= '9')
            L->i++;
        else
            break;
    }
    lx_push(L, T_NUM, start);
    return 1;
}

/* Operators, longest first. */
static const char *const ops3[] = {"===", "!==", "**=", "...", "<<-", "->>", ":::",
                                   "<=>", "//=", ">>=", "<<=", "?->", "<<<", NULL};
static const char *const ops2[] = {"==", "!=", "<=", ">=", "&&", "||", "::", "->", "=>",
                                   "..", "+=", "-=", "*=", "/=", ".=", "%=", "|=", "&=",
                                   "^=", "?.", "<-", "=~", "!~", "|&", "&.", "**", "//",
                                   "<<", ">>", "++", "--", "??", ":=", NULL};

int lx_punct(inl_lexer *L)
{
    size_t start = L->i, rest = L->n - L->i;
    const char *p = L->s + L->i;
    size_t len = 1;
    if (rest < 2 || !inl_in("=&|:>.-<*/+~?", p[1]))
        rest = 1; /* no operator has this second character */
    for (size_t k = 0; ops3[k] && rest >= 3; k++)
        if (memcmp(p, ops3[k], 3) == 0)
            len = 3;
    for (size_t k = 0; len == 1 && ops2[k] && rest >= 2; k++)
        if (memcmp(p, ops2[k], 2) == 0)
            len = 2;
    L->i += len;
    lx_push(L, T_PUNCT, start);
    return 1;
}

static void put_cp(pe_abuf *b, unsigned long cp)
{
    char u[4];
    size_t k = pe_utf8_encode(cp, u);
    if (k)
        pe_abuf_append(b, u, k);
    else
        pe_abuf_puts(b, "\xef\xbf\xbd");
}

/* Up to max digits of base at L->i into *v; returns the count read. */
static size_t digits(inl_lexer *L, unsigned base, size_t max, unsigned long *v)
{
    size_t k = 0;
    *v = 0;
    while (k < max && L->i < L->n) {
        int d = pe_hex_digit((unsigned char)L->s[L->i]);
        if (d < 0 || (unsigned)d >= base)
            break;
        if (*v < 0x110000)
            *v = *v * base + (unsigned)d;
        L->i++;
        k++;
    }
    return k;
}

void lx_escape(inl_lexer *L, pe_abuf *b, unsigned esc)
{
    static const char from[] = "abfnrtv\\'\"", to[] = "\a\b\f\n\r\t\v\\'\"";
    size_t at = L->i++;
    if (L->i >= L->n) {
        pe_abuf_putc(b, '\\');
        return;
    }
    char ch = L->s[L->i++];
    const char *e = strchr(from, ch);
    unsigned long v;
    if (ch == '\n' && (esc & E_LINE))
        return;
    if (esc & E_SQ) { /* single quotes: only \\ and the delimiter */
        if (ch == '\\' || ch == L->delim)
            pe_abuf_putc(b, ch);
        else
            pe_abuf_append(b, L->s + at, 2);
        return;
    }
    if (e && ch && (esc & E_C)) {
        pe_abuf_putc(b, to[e - from]);
    } else if (ch == 'e' && (esc & E_E)) {
        pe_abuf_putc(b, '\033');
    } else if (ch == 'x' && (esc & E_XBRACE) && L->i < L->n && L->s[L->i] == '{') {
        L->i++;
        digits(L, 16, 8, &v);
        if (L->i < L->n && L->s[L->i] == '}')
            L->i++;
        put_cp(b, v);
    } else if (ch == 'x' && (esc & (E_X2 | E_XBRACE)) && digits(L, 16, 2, &v)) {
        pe_abuf_putc(b, (char)v);
    } else if (ch == 'u' && (esc & E_UBRACE) && L->i < L->n && L->s[L->i] == '{') {
        L->i++;
        digits(L, 16, 8, &v);
        if (L->i < L->n && L->s[L->i] == '}')
            L->i++;
        put_cp(b, v);
    } else if (ch == 'u' && (esc & E_U4) && digits(L, 16, 4, &v)) {
        put_cp(b, v);
    } else if (ch == 'U' && (esc & E_U8) && digits(L, 16, 8, &v)) {
        put_cp(b, v);
    } else if (ch >= '0' && ch <= '7' && (esc & E_OCT)) {
        L->i--;
        digits(L, 8, 3, &v);
        pe_abuf_putc(b, (char)v);
    } else if (ch >= '0' && ch <= '9' && (esc & E_LUADEC)) {
        L->i--;
        digits(L, 10, 3, &v);
        pe_abuf_putc(b, (char)v);
    } else if (ch == 'z' && (esc & E_LUAZ)) {
        while (L->i < L->n && inl_in(" \t\r\n\f\v", L->s[L->i]))
            L->i++;
    } else if (esc & E_KEEP) {
        pe_abuf_append(b, L->s + at, 2);
    } else {
        pe_abuf_putc(b, ch);
    }
}

void lx_set_val(inl_lexer *L, size_t k, pe_abuf *b, int dyn)
{
    inl_ctx *c = L->c;
    if (k == SIZE_MAX || k >= c->nt)
        return;
    if (pe_abuf_finish(b, &c->t[k].val) != 0)
        c->nomem = 1;
    c->t[k].text.len = L->i - c->t[k].off;
    if (dyn)
        c->t[k].flags |= TF_DYN;
    inl_work(c, b->len);
}

int lx_embed(inl_lexer *L, char close, lx_step_fn step)
{
    inl_ctx *c = L->c;
    int depth = L->depth;
    inl_push(c, T_EMB_OPEN, L->i, L->i, 0);
    /* past the nesting limit the text is not tokenised (no deeper call:
     * the stack stays bounded whatever the input) */
    int deep = ++c->nest > PE_INLINE_MAX_NEST;
    if (deep)
        inl_limit(c, PE_INLINE_LIMIT_DEPTH);
    L->depth = 0;
    int found = 0;
    while (!deep && L->i < L->n && !c->stop && !c->nomem) {
        if (L->s[L->i] == close && L->depth <= 0) {
            found = 1;
            break;
        }
        size_t before = L->i;
        step(L);
        if (L->i == before) /* a step always advances; never loop */
            L->i++;
    }
    if (c->stop || deep) /* past a limit: find the closer without tokens */
        while (L->i < L->n && L->s[L->i] != close)
            L->i++;
    found |= L->i < L->n && L->s[L->i] == close;
    inl_push(c, T_EMB_CLOSE, L->i, L->i, 0);
    if (found)
        L->i++;
    else
        inl_parse_error(c, "unterminated interpolation");
    c->nest--;
    L->depth = depth;
    return found;
}

int lx_regex_ok(inl_lexer *L)
{
    static const char *const kw[] = {"return", "typeof", "case",   "do",    "else",  "in",   "of",
                                     "new",    "delete", "void",   "throw", "split", "grep", "map",
                                     "join",   "if",     "unless", "and",   "or",    "not",  "when",
                                     "while",  "until",  "x",      NULL};
    inl_ctx *c = L->c;
    if (!c->nt)
        return 1;
    const inl_tok *p = &c->t[c->nt - 1];
    if (p->type == T_IDENT) {
        for (size_t k = 0; kw[k]; k++)
            if (p->text.len == strlen(kw[k]) && memcmp(p->text.s, kw[k], p->text.len) == 0)
                return 1;
        return 0;
    }
    if (p->type == T_PUNCT)
        return !(p->text.len == 1 && inl_closer(p->text.s[0]));
    return p->type == T_NL || p->type == T_EMB_OPEN;
}

void lx_regex(inl_lexer *L, char close)
{
    size_t start = L->i++;
    int cls = 0;
    while (L->i < L->n && L->s[L->i] != '\n') {
        char ch = L->s[L->i];
        if (ch == '\\' && L->i + 1 < L->n)
            L->i++;
        else if (ch == '[')
            cls = 1;
        else if (ch == ']')
            cls = 0;
        else if (ch == close && !cls)
            break;
        L->i++;
    }
    if (L->i < L->n && L->s[L->i] == close)
        L->i++;
    else
        inl_parse_error(L->c, "unterminated regular expression");
    while (L->i < L->n && inl_is_ident((unsigned char)L->s[L->i]))
        L->i++;
    lx_push(L, T_REGEX, start);
}

void lx_quoted(inl_lexer *L, size_t start, size_t body, const char *close, size_t close_len,
               unsigned esc, lx_interp_fn interp, int type)
{
    inl_ctx *c = L->c;
    size_t k = inl_push(c, type, start, start, L->space);
    L->space = 0;
    pe_abuf b;
    pe_abuf_init(&b, c->a, 0);
    int dyn = 0, r;
    L->i = body;
    L->delim = close_len ? close[0] : 0;
    while (L->i < L->n && !c->stop) {
        if (close_len && L->n - L->i >= close_len && memcmp(L->s + L->i, close, close_len) == 0)
            break;
        char ch = L->s[L->i];
        if (ch == '\\' && esc) {
            lx_escape(L, &b, esc);
        } else if (interp && (r = interp(L, &b)) != 0) {
            dyn |= r == 1;
        } else {
            pe_abuf_putc(&b, ch);
            L->i++;
        }
    }
    if (close_len && L->n - L->i >= close_len && memcmp(L->s + L->i, close, close_len) == 0)
        L->i += close_len;
    else if (close_len) /* no closer: the body runs to the end of the text */
        inl_parse_error(c, "unterminated string");
    lx_set_val(L, k, &b, dyn);
}

/* A raw string: a backslash escapes the quote but both bytes stay. */
void lx_raw(inl_lexer *L, size_t start, size_t body, const char *close, size_t close_len,
            int escapes_quote)
{
    inl_ctx *c = L->c;
    size_t k = inl_push(c, T_STR, start, start, L->space);
    L->space = 0;
    L->i = body;
    while (L->i < L->n && !(L->n - L->i >= close_len && memcmp(L->s + L->i, close, close_len) == 0))
        L->i += escapes_quote && L->s[L->i] == '\\' && L->i + 1 < L->n ? 2 : 1;
    size_t end = L->i;
    if (L->n - L->i >= close_len)
        L->i += close_len;
    else
        inl_parse_error(c, "unterminated string");
    pe_abuf b;
    pe_abuf_init(&b, c->a, 0);
    pe_abuf_append(&b, L->s + body, end - body);
    lx_set_val(L, k, &b, 0);
}

void lx_line_comment(inl_lexer *L)
{
    while (L->i < L->n && L->s[L->i] != '\n')
        L->i++;
    L->space = TF_SPACE;
}

/* A block comment from L->i (at its opener of open_len) to close; nested
 * when nest is set (AppleScript, Lua long brackets are not nested). */
void lx_block_comment(inl_lexer *L, size_t open_len, const char *open, const char *close, int nest)
{
    size_t cl = strlen(close);
    int level = 1;
    L->i += open_len;
    while (L->i < L->n && level > 0) {
        if (nest && L->n - L->i >= open_len && memcmp(L->s + L->i, open, open_len) == 0) {
            level++;
            L->i += open_len;
        } else if (L->n - L->i >= cl && memcmp(L->s + L->i, close, cl) == 0) {
            level--;
            L->i += cl;
        } else {
            L->i++;
        }
    }
    if (level > 0)
        inl_parse_error(L->c, "unterminated comment");
    L->space = TF_SPACE;
}

/* Whitespace, newlines and the shared tokens; returns 1 when it lexed. */
int lx_common(inl_lexer *L)
{
    char ch = L->s[L->i];
    if (ch == '\n') {
        lx_newline(L);
        return 1;
    }
    if (lx_space(L) || lx_number(L))
        return 1;
    return 0;
}

void lx_lex(inl_ctx *c, lx_step_fn step)
{
    inl_lexer L;
    lx_init(&L, c);
    lx_run(&L, step);
}

void lx_run(inl_lexer *L, lx_step_fn step)
{
    while (L->i < L->n && !L->c->stop && !L->c->nomem) {
        size_t before = L->i;
        step(L);
        if (L->i == before)
            L->i++;
    }
}

/* ---- Python ---------------------------------------------------------------------------- */

static void py_step(inl_lexer *L);

static int py_fstring(inl_lexer *L, pe_abuf *b)
{
    char ch = L->s[L->i];
    if ((ch == '{' || ch == '}') && L->i + 1 < L->n && L->s[L->i + 1] == ch) {
        pe_abuf_putc(b, ch);
        L->i += 2;
        return 2;
    }
    if (ch != '{')
        return 0;
    L->i++;
    pe_abuf_append(b, HOLE, HOLE_LEN);
    lx_embed(L, '}', py_step);
    return 1;
}

/* A string after its prefix letters (r b u f, any case and order). */
static void py_string(inl_lexer *L, size_t start, int raw, int fstr)
{
    char q = L->s[L->i];
    int triple = L->n - L->i >= 3 && L->s[L->i + 1] == q && L->s[L->i + 2] == q;
    char close[3] = {q, q, q};
    size_t cl = triple ? 3 : 1, body = L->i + cl;
    if (raw && !fstr)
        lx_raw(L, start, body, close, cl, 1);
    else
        lx_quoted(L, start, body, close, cl,
                  raw ? 0 : E_C | E_X2 | E_U4 | E_U8 | E_OCT | E_KEEP | E_LINE,
                  fstr ? py_fstring : NULL, T_STR);
}

static int py_prefix(const char *s, size_t n, int *raw, int *fstr)
{
    if (n == 0 || n > 2)
        return 0;
    *raw = *fstr = 0;
    for (size_t k = 0; k < n; k++) {
        char ch = (char)(s[k] | 0x20);
        if (ch == 'r')
            *raw = 1;
        else if (ch == 'f')
            *fstr = 1;
        else if (ch != 'b' && ch != 'u')
            return 0;
    }
    return 1;
}

static void py_step(inl_lexer *L)
{
    char ch = L->s[L->i];
    if (lx_common(L))
        return;
    if (ch == '#') {
        lx_line_comment(L);
    } else if (ch == '\\' && L->i + 1 < L->n && L->s[L->i + 1] == '\n') {
        L->i += 2; /* line continuation */
    } else if (ch == '"' || ch == '\'') {
        py_string(L, L->i, 0, 0);
    } else if (inl_is_ident_start((unsigned char)ch)) {
        size_t start = L->i;
        while (L->i < L->n && inl_is_ident((unsigned char)L->s[L->i]))
            L->i++;
        int raw, fstr;
        if (L->i < L->n && (L->s[L->i] == '"' || L->s[L->i] == '\'') &&
            py_prefix(L->s + start, L->i - start, &raw, &fstr)) {
            py_string(L, start, raw, fstr);
            return;
        }
        lx_push(L, T_IDENT, start);
    } else {
        lx_punct(L);
    }
}

void lex_python(inl_ctx *c)
{
    lx_lex(c, py_step);
}

/* ---- JavaScript ------------------------------------------------------------------------ */

static void js_step(inl_lexer *L);

static int js_template(inl_lexer *L, pe_abuf *b)
{
    if (L->s[L->i] != '$' || L->i + 1 >= L->n || L->s[L->i + 1] != '{')
        return 0;
    L->i += 2;
    pe_abuf_append(b, HOLE, HOLE_LEN);
    lx_embed(L, '}', js_step);
    return 1;
}

static int js_more(int ch)
{
    return ch == '$';
}

#define JS_ESC (E_C | E_X2 | E_U4 | E_UBRACE | E_OCT | E_LINE)

static void js_step(inl_lexer *L)
{
    char ch = L->s[L->i];
    char nx = L->i + 1 < L->n ? L->s[L->i + 1] : 0;
    if (lx_common(L))
        return;
    if ((ch == '/' && nx == '/') || (ch == '#' && nx == '!' && L->i == 0)) {
        lx_line_comment(L);
    } else if (ch == '/' && nx == '*') {
        lx_block_comment(L, 2, "/*", "*/", 0);
    } else if (ch == '"' || ch == '\'') {
        char q[1] = {ch};
        lx_quoted(L, L->i, L->i + 1, q, 1, JS_ESC, NULL, T_STR);
    } else if (ch == '`') {
        lx_quoted(L, L->i, L->i + 1, "`", 1, JS_ESC, js_template, T_STR);
    } else if (ch == '/' && lx_regex_ok(L)) {
        lx_regex(L, '/');
    } else if (inl_is_ident_start((unsigned char)ch) || ch == '$') {
        lx_ident(L, js_more);
    } else {
        lx_punct(L);
    }
}

void lex_js(inl_ctx *c)
{
    lx_lex(c, js_step);
}
