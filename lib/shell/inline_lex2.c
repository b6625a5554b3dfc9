/*
 * The tokenizers of Lua (long brackets), R (raw strings, quoted names,
 * %op%), awk (regular expressions) and AppleScript (nested comments, and
 * its multi-word commands joined into one name).
 */
#include <string.h>

#include "shell/inline_internal.h"

/* ---- Lua ------------------------------------------------------------------------------- */

/* The level of a long bracket [==[ at L->i, or -1. */
static int lua_long(const inl_lexer *L, size_t at)
{
    if (at >= L->n || L->s[at] != '[')
        return -1;
    size_t k = at + 1;
    while (k < L->n && L->s[k] == '=')
        k++;
    return k < L->n && L->s[k] == '[' ? (int)(k - at - 1) : -1;
}

static void lua_long_string(inl_lexer *L, size_t start, size_t at, int level, int comment)
{
    char close[64];
    if (level > 60)
        level = 60;
    close[0] = ']';
    memset(close + 1, '=', (size_t)level);
    close[level + 1] = ']';
    size_t body = at + (size_t)level + 2;
    if (body < L->n && L->s[body] == '\n') /* a first newline is skipped */
        body++;
    if (comment) {
        const char *end = NULL;
        for (size_t k = body; k + (size_t)level + 2 <= L->n && !end; k++)
            if (memcmp(L->s + k, close, (size_t)level + 2) == 0)
                end = L->s + k;
        L->i = end ? (size_t)(end - L->s) + (size_t)level + 2 : L->n;
        if (!end)
            inl_parse_error(L->c, "unterminated comment");
        L->space = TF_SPACE;
        return;
    }
    lx_raw(L, start, body, close, (size_t)level + 2, 0);
}

#define LUA_ESC (E_C | E_X2 | E_UBRACE | E_LUADEC | E_LUAZ | E_LINE | E_KEEP)

static void lua_step(inl_lexer *L)
{
    char ch = L->s[L->i];
    char nx = L->i + 1 < L->n ? L->s[L->i + 1] : 0;
    if (lx_common(L))
        return;
    if (ch == '-' && nx == '-') {
        int level = lua_long(L, L->i + 2);
        if (level >= 0)
            lua_long_string(L, L->i, L->i + 2, level, 1);
        else
            lx_line_comment(L);
    } else if (ch == '#' && nx == '!' && L->i == 0) {
        lx_line_comment(L);
    } else if (ch == '"' || ch == '\'') {
        char q[1] = {ch};
        lx_quoted(L, L->i, L->i + 1, q, 1, LUA_ESC, NULL, T_STR);
    } else if (ch == '[' && lua_long(L, L->i) >= 0) {
        lua_long_string(L, L->i, L->i, lua_long(L, L->i), 0);
    } else if (inl_is_ident_start((unsigned char)ch)) {
        lx_ident(L, NULL);
    } else {
        lx_punct(L);
    }
}

void lex_lua(inl_ctx *c)
{
    lx_lex(c, lua_step);
}

/* ---- R ----------------------------------------------------------------------------------- */

static int r_more(int ch)
{
    return ch == '.';
}

/* r"(...)" R'[...]' r"---{...}---" */
static int r_raw(inl_lexer *L)
{
    size_t k = L->i + 1;
    if (k >= L->n || (L->s[k] != '"' && L->s[k] != '\''))
        return 0;
    char q = L->s[k++];
    size_t dashes = 0;
    while (k < L->n && L->s[k] == '-')
        k++, dashes++;
    if (k >= L->n || !inl_in("([{", L->s[k]) || dashes > 60)
        return 0;
    char open = L->s[k], close[64];
    close[0] = open == '(' ? ')' : open == '[' ? ']' : '}';
    memset(close + 1, '-', dashes);
    close[dashes + 1] = q;
    lx_raw(L, L->i, k + 1, close, dashes + 2, 0);
    return 1;
}

static void r_step(inl_lexer *L)
{
    char ch = L->s[L->i];
    if (lx_common(L))
        return;
    if (ch == '#') {
        lx_line_comment(L);
    } else if ((ch == 'r' || ch == 'R') && r_raw(L)) {
        return;
    } else if (ch == '"' || ch == '\'') {
        char q[1] = {ch};
        lx_quoted(L, L->i, L->i + 1, q, 1, E_C | E_X2 | E_U4 | E_UBRACE | E_U8 | E_OCT, NULL,
                  T_STR);
    } else if (ch == '`') { /* a quoted name */
        size_t start = L->i++;
        while (L->i < L->n && L->s[L->i] != '`')
            L->i++;
        inl_push(L->c, T_IDENT, start + 1, L->i, L->space);
        L->space = 0;
        if (L->i < L->n)
            L->i++;
    } else if (ch == '%' && memchr(L->s + L->i + 1, '%', L->n - L->i - 1)) {
        size_t start = L->i++; /* %in% %>% and friends */
        while (L->i < L->n && L->s[L->i] != '%' && L->s[L->i] != '\n')
            L->i++;
        L->i += L->i < L->n && L->s[L->i] == '%';
        lx_push(L, T_PUNCT, start);
    } else if (inl_is_ident_start((unsigned char)ch) || ch == '.') {
        lx_ident(L, r_more);
    } else {
        lx_punct(L);
    }
}

void lex_r(inl_ctx *c)
{
    lx_lex(c, r_step);
}

/* ---- awk --------------------------------------------------------------------------------- */

static void awk_step(inl_lexer *L)
{
    char ch = L->s[L->i];
    if (lx_common(L))
        return;
    if (ch == '#') {
        lx_line_comment(L);
    } else if (ch == '\\' && L->i + 1 < L->n && L->s[L->i + 1] == '\n') {
        L->i += 2;
    } else if (ch == '"') {
        lx_quoted(L, L->i, L->i + 1, "\"", 1, E_C | E_OCT | E_KEEP, NULL, T_STR);
    } else if (ch == '/' && lx_regex_ok(L)) {
        lx_regex(L, '/');
    } else if (inl_is_ident_start((unsigned char)ch)) {
        lx_ident(L, NULL);
    } else {
        lx_punct(L);
    }
}

void lex_awk(inl_ctx *c)
{
    lx_lex(c, awk_step);
}

/* ---- AppleScript ------------------------------------------------------------------------ */

/* Phrases read as one name (lower case, single spaces). */
static const char *const as_phrases[] = {
    "do shell script", "do script",     "run script",    "open location",
    "quoted form of",  "posix file",    "posix path of", "with administrator privileges",
    "open for access", "do javascript", "load script",   NULL};

static void as_step(inl_lexer *L)
{
    char ch = L->s[L->i];
    char nx = L->i + 1 < L->n ? L->s[L->i + 1] : 0;
    if (lx_common(L))
        return;
    if ((ch == '-' && nx == '-') || ch == '#') {
        lx_line_comment(L);
    } else if (ch == '(' && nx == '*') {
        lx_block_comment(L, 2, "(*", "*)", 1);
    } else if ((unsigned char)ch == 0xc2 && (unsigned char)nx == 0xac) { /* continuation */
        L->i += 2;
        while (L->i < L->n && L->s[L->i] != '\n')
            L->i++;
        L->i += L->i < L->n;
    } else if (ch == '"') {
        lx_quoted(L, L->i, L->i + 1, "\"", 1, E_C, NULL, T_STR);
    } else if (ch == '|') { /* |a name| */
        size_t start = ++L->i;
        while (L->i < L->n && L->s[L->i] != '|')
            L->i++;
        inl_push(L->c, T_IDENT, start, L->i, L->space);
        L->space = 0;
        L->i += L->i < L->n;
    } else if ((unsigned char)ch == 0xc2 && (unsigned char)nx == 0xab) { /* «raw code» */
        size_t start = L->i;
        const char *end = memchr(L->s + L->i, 0xbb, L->n - L->i);
        L->i = end ? (size_t)(end - L->s) + 1 : L->n;
        lx_push(L, T_REGEX, start);
    } else if (inl_is_ident_start((unsigned char)ch)) {
        lx_ident(L, NULL);
    } else {
        lx_punct(L);
    }
}

static int word_is(const inl_tok *t, const char *w, size_t n)
{
    if (t->type != T_IDENT || t->text.len != n)
        return 0;
    for (size_t k = 0; k < n; k++)
        if ((t->text.s[k] | 0x20) != w[k])
            return 0;
    return 1;
}

/* Joins the identifier tokens of known phrases into one (val: the phrase). */
static void as_phrases_join(inl_ctx *c)
{
    size_t o = 0;
    for (size_t i = 0; i < c->nt; i++) {
        c->t[o] = c->t[i];
        for (size_t p = 0; as_phrases[p]; p++) {
            const char *ph = as_phrases[p];
            size_t k = i;
            while (k < c->nt && *ph) {
                size_t wl = strcspn(ph, " ");
                if (!word_is(&c->t[k], ph, wl))
                    break;
                ph += wl + (ph[wl] == ' ');
                k++;
            }
            if (*ph)
                continue;
            inl_tok *last = &c->t[k - 1];
            c->t[o].text.len = (size_t)(last->text.s + last->text.len - c->t[o].text.s);
            c->t[o].val.s = as_phrases[p];
            c->t[o].val.len = strlen(as_phrases[p]);
            i = k - 1;
            break;
        }
        o++;
    }
    c->nt = o;
}

void lex_applescript(inl_ctx *c)
{
    inl_lexer L;
    lx_init(&L, c);
    lx_run(&L, as_step);
    as_phrases_join(c);
}
