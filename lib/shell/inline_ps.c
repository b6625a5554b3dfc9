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

/* ---- commands ----------------------------------------------------------------------------------
 */

enum {
    PS_IGNORE,  /* a cmdlet that runs, reads, writes nothing of interest */
    PS_IEX,     /* Invoke-Expression: PowerShell code */
    PS_START,   /* Start-Process: FilePath, ArgumentList, -Verb RunAs */
    PS_READ,    /* p0 is read */
    PS_WRITE,   /* p0 is written */
    PS_DELETE,  /* p0 is deleted */
    PS_COPY,    /* p0 read, p1 written */
    PS_MOVE,    /* p0 deleted, p1 written */
    PS_WEB,     /* p0 a URL, out written */
    PS_NEWOBJ,  /* New-Object TypeName ArgumentList */
    PS_CONNECT, /* p0 a host, -Port */
    PS_DYNAMIC, /* compiles or loads code (Add-Type) */
    PS_NATIVE   /* not a cmdlet: a native command */
};

typedef struct ps_cmdlet {
    const char *name; /* lower case; aliases point at the cmdlet's row by action */
    unsigned char kind;
    const char *p0, *p1; /* parameter names of the first two positions ("a|b") */
    const char *out;     /* a parameter naming a file written */
} ps_cmdlet;

static const ps_cmdlet cmdlets[] = {
    {"%", PS_IGNORE, NULL, NULL, NULL},
    {"?", PS_IGNORE, NULL, NULL, NULL},
    {"ac", PS_WRITE, "path", "value", NULL},
    {"add-content", PS_WRITE, "path|literalpath", "value", NULL},
    {"add-type", PS_DYNAMIC, "typedefinition", NULL, "outputassembly"},
    {"cd", PS_IGNORE, NULL, NULL, NULL},
    {"chdir", PS_IGNORE, NULL, NULL, NULL},
    {"clc", PS_WRITE, "path", NULL, NULL},
    {"clear-content", PS_WRITE, "path|literalpath", NULL, NULL},
    {"copy", PS_COPY, "path|literalpath", "destination", NULL},
    {"copy-item", PS_COPY, "path|literalpath", "destination", NULL},
    {"cpi", PS_COPY, "path|literalpath", "destination", NULL},
    {"del", PS_DELETE, "path|literalpath", NULL, NULL},
    {"dir", PS_IGNORE, NULL, NULL, NULL},
    {"echo", PS_IGNORE, NULL, NULL, NULL},
    {"foreach", PS_IGNORE, NULL, NULL, NULL},
    {"group", PS_IGNORE, NULL, NULL, NULL},
    {"epcsv", PS_WRITE, "path|literalpath", NULL, NULL},
    {"erase", PS_DELETE, "path|literalpath", NULL, NULL},
    {"export-clixml", PS_WRITE, "path|literalpath", NULL, NULL},
    {"export-csv", PS_WRITE, "path|literalpath", NULL, NULL},
    {"gc", PS_READ, "path|literalpath", NULL, NULL},
    {"gci", PS_IGNORE, NULL, NULL, NULL},
    {"get-content", PS_READ, "path|literalpath", NULL, NULL},
    {"icm", PS_READ, NULL, NULL, "filepath"},
    {"iex", PS_IEX, "command", NULL, NULL},
    {"import-clixml", PS_READ, "path|literalpath", NULL, NULL},
    {"import-csv", PS_READ, "path|literalpath", NULL, NULL},
    {"invoke-command", PS_READ, NULL, NULL, "filepath"},
    {"invoke-expression", PS_IEX, "command", NULL, NULL},
    {"invoke-restmethod", PS_WEB, "uri", NULL, "outfile"},
    {"invoke-webrequest", PS_WEB, "uri", NULL, "outfile"},
    {"ipcsv", PS_READ, "path|literalpath", NULL, NULL},
    {"irm", PS_WEB, "uri", NULL, "outfile"},
    {"iwr", PS_WEB, "uri", NULL, "outfile"},
    {"mi", PS_MOVE, "path|literalpath", "destination", NULL},
    {"move", PS_MOVE, "path|literalpath", "destination", NULL},
    {"move-item", PS_MOVE, "path|literalpath", "destination", NULL},
    {"new-item", PS_WRITE, "path", NULL, NULL},
    {"new-object", PS_NEWOBJ, "typename", "argumentlist|args", NULL},
    {"ni", PS_WRITE, "path", NULL, NULL},
    {"out-file", PS_WRITE, "filepath|path|literalpath", NULL, NULL},
    {"measure", PS_IGNORE, NULL, NULL, NULL},
    {"pwd", PS_IGNORE, NULL, NULL, NULL},
    {"rd", PS_DELETE, "path|literalpath", NULL, NULL},
    {"remove-item", PS_DELETE, "path|literalpath", NULL, NULL},
    {"ren", PS_MOVE, "path|literalpath", "newname", NULL},
    {"rename-item", PS_MOVE, "path|literalpath", "newname", NULL},
    {"ri", PS_DELETE, "path|literalpath", NULL, NULL},
    {"rni", PS_MOVE, "path|literalpath", "newname", NULL},
    {"saps", PS_START, "filepath", "argumentlist|args", NULL},
    {"select", PS_IGNORE, NULL, NULL, NULL},
    {"sc", PS_WRITE, "path|literalpath", "value", NULL},
    {"select-string", PS_READ, NULL, NULL, "path|literalpath"},
    {"set-content", PS_WRITE, "path|literalpath", "value", NULL},
    {"sls", PS_READ, NULL, NULL, "path|literalpath"},
    {"start", PS_START, "filepath", "argumentlist|args", NULL},
    {"start-bitstransfer", PS_WEB, "source", NULL, "destination"},
    {"start-process", PS_START, "filepath", "argumentlist|args", NULL},
    {"tee-object", PS_WRITE, NULL, NULL, "filepath|literalpath"},
    {"test-netconnection", PS_CONNECT, "computername", NULL, NULL},
    {"tnc", PS_CONNECT, "computername", NULL, NULL},
    {"type", PS_READ, "path|literalpath", NULL, NULL},
    {"where", PS_IGNORE, NULL, NULL, NULL},
    {"write-host", PS_IGNORE, NULL, NULL, NULL},
    {"write-output", PS_IGNORE, NULL, NULL, NULL},
};

/* Parameters that take no value (so a word after them is positional). */
static const char *const switches[] = {"recurse",
                                       "force",
                                       "confirm",
                                       "whatif",
                                       "verbose",
                                       "debug",
                                       "passthru",
                                       "nonewline",
                                       "usebasicparsing",
                                       "wait",
                                       "nonewwindow",
                                       "append",
                                       "noclobber",
                                       "raw",
                                       "asjob",
                                       "usedefaultcredentials",
                                       "skipcertificatecheck",
                                       "asplaintext",
                                       "noprofile",
                                       "noninteractive",
                                       "informationlevel",
                                       "detailed",
                                       "quiet",
                                       "erroraction",
                                       NULL};

static int lower_eq(const char *s, size_t n, const char *w)
{
    if (strlen(w) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((s[i] >= 'A' && s[i] <= 'Z' ? s[i] | 0x20 : s[i]) != w[i])
            return 0;
    return 1;
}

/* Whether the parameter (without '-' and ':') names one of alts, as a
 * prefix (PowerShell accepts unambiguous prefixes). */
static int param_is(pe_str p, const char *alts)
{
    while (alts && *alts) {
        size_t n = strcspn(alts, "|");
        size_t k = 0;
        while (k < p.len && k < n && (p.s[k] | 0x20) == alts[k])
            k++;
        if (p.len && k == p.len && p.len <= n)
            return 1;
        alts += n + (alts[n] == '|');
    }
    return 0;
}

static int is_switch(pe_str p)
{
    for (size_t k = 0; switches[k]; k++)
        if (lower_eq(p.s, p.len, switches[k]))
            return 1;
    return 0;
}

/* The elements of a command: [b, e) split into parameters and values. */
typedef struct ps_el {
    size_t b, e;  /* the value's tokens */
    pe_str param; /* its parameter name (no '-' or ':'), or empty */
} ps_el;

static int is_pu(const inl_tok *t, const char *p)
{
    return t->type == T_PUNCT && t->text.len == strlen(p) && memcmp(t->text.s, p, t->text.len) == 0;
}

static size_t cmd_end(const inl_ctx *c, size_t i, size_t e)
{
    for (; i < e; i = inl_skip(c, i)) {
        const inl_tok *t = &c->t[i];
        if (t->type == T_NL || t->type == T_EMB_CLOSE || is_pu(t, ";") || is_pu(t, "|") ||
            is_pu(t, ")") || is_pu(t, "}") || is_pu(t, "&&") || is_pu(t, "||") ||
            (t->flags & TF_CMD_START))
            return i;
    }
    return e;
}

/* One value: a token with what is glued to it (a, b, c lists; $(...)). */
static size_t value_end(const inl_ctx *c, size_t i, size_t e)
{
    size_t j = i;
    do {
        if (is_pu(&c->t[j], "$") && j + 1 < e && is_pu(&c->t[j + 1], "("))
            j++;
        j = inl_skip(c, j);
        while (j < e && c->t[j].type == T_EMB_OPEN)
            j = inl_skip(c, j);
        if (j < e && is_pu(&c->t[j], ",") && j + 1 < e) {
            j++;
            continue;
        }
        break;
    } while (j < e);
    return j;
}

static size_t elements(inl_ctx *c, size_t b, size_t e, ps_el *out, size_t max)
{
    size_t n = 0;
    for (size_t i = b; i < e && n < max;) {
        const inl_tok *t = &c->t[i];
        ps_el el = {i, i, {"", 0}};
        if (i + 1 < e && t->type == T_WORD && !(c->t[i + 1].flags & TF_SPACE) &&
            (is_pu(&c->t[i + 1], ">") || is_pu(&c->t[i + 1], ">>")) &&
            (lower_eq(t->text.s, t->text.len, "*") ||
             (t->text.s[0] >= '1' && t->text.s[0] <= '6' && t->text.len == 1))) {
            i++; /* the stream of 2> */
            continue;
        }
        if (t->type == T_PARAM) {
            el.param.s = t->text.s + 1;
            el.param.len = t->text.len - 1;
            int colon = el.param.len && el.param.s[el.param.len - 1] == ':';
            el.param.len -= colon;
            i++;
            if (i < e && (colon || !is_switch(el.param)) && c->t[i].type != T_PARAM) {
                el.b = i;
                el.e = i = value_end(c, i, e);
            }
        } else if (t->type == T_PUNCT && (is_pu(t, ">") || is_pu(t, ">>"))) {
            if (i + 1 < e && (is_pu(&c->t[i + 1], "&") ||
                              lower_eq(c->t[i + 1].text.s, c->t[i + 1].text.len, "$null"))) {
                i = inl_skip(c, i + 1 + is_pu(&c->t[i + 1], "&")); /* 2>&1, >$null */
                continue;
            }
            el.param.s = "out";
            el.param.len = 3;
            el.b = i + 1;
            el.e = i = i + 1 < e ? value_end(c, i + 1, e) : e;
        } else {
            el.e = i = value_end(c, i, e);
        }
        out[n++] = el;
    }
    return n;
}

static inl_val el_value(inl_ctx *c, const ps_el *el)
{
    if (el->b >= el->e) {
        inl_val v;
        memset(&v, 0, sizeof(v));
        v.s.s = "";
        return v;
    }
    const inl_tok *t = &c->t[el->b];
    if (t->type == T_WORD && el->e == el->b + 1)
        return inl_str_val(c, t->text.s, t->text.len, 0);
    size_t n = 1;
    for (size_t i = el->b; i < el->e; i = inl_skip(c, i))
        n += is_pu(&c->t[i], ",");
    if (n == 1)
        return inl_eval(c, el->b, el->e);
    inl_val v; /* a, b, c: a list */
    memset(&v, 0, sizeof(v));
    v.kind = V_LIST;
    v.s.s = "";
    v.items = inl_alloc(c, n * sizeof(inl_val));
    for (size_t i = el->b; v.items && i < el->e;) {
        size_t j = i;
        while (j < el->e && !is_pu(&c->t[j], ","))
            j = inl_skip(c, j);
        ps_el part = {i, j, {"", 0}};
        v.items[v.n] = el_value(c, &part);
        v.flags |= v.items[v.n++].flags & VF_DYN;
        i = j + 1;
    }
    return v;
}

/* The value of the named parameter (alts) or of position pos. */
static int ps_arg(inl_ctx *c, const ps_el *els, size_t n, const char *alts, int pos, inl_val *v)
{
    for (size_t i = 0; alts && i < n; i++)
        if (els[i].param.len && param_is(els[i].param, alts)) {
            *v = el_value(c, &els[i]);
            return 1;
        }
    int seen = 0;
    for (size_t i = 0; pos >= 0 && i < n; i++) {
        if (els[i].param.len)
            continue;
        if (seen++ == pos) {
            *v = el_value(c, &els[i]);
            return 1;
        }
    }
    return 0;
}

static const ps_cmdlet *find_cmdlet(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof(cmdlets) / sizeof(cmdlets[0]); i++)
        if (lower_eq(s, n, cmdlets[i].name))
            return &cmdlets[i];
    return NULL;
}

/* A native command: its name and elements as sh words. */
static void native(inl_ctx *c, const inl_tok *name, const ps_el *els, size_t n, size_t off)
{
    inl_val list;
    memset(&list, 0, sizeof(list));
    list.kind = V_LIST;
    list.items = inl_alloc(c, (2 * n + 1) * sizeof(inl_val));
    if (!list.items)
        return;
    size_t at = (size_t)(name - c->t), end;
    const inl_val *bound =
        name->type == T_VAR ? inl_bind_get(c, name->text.s, name->text.len) : NULL;
    inl_val unknown;
    memset(&unknown, 0, sizeof(unknown));
    unknown.flags = VF_DYN;
    unknown.s.s = "";
    list.items[list.n++] = name->type == T_WORD  ? inl_str_val(c, name->text.s, name->text.len, 0)
                           : name->type == T_STR ? inl_str_token(c, at, &end)
                           : bound               ? *bound
                                                 : unknown;
    for (size_t i = 0; i < n; i++) {
        if (els[i].param.len) {
            inl_val pv = inl_str_val(c, els[i].param.s - 1, els[i].param.len + 1, 0);
            list.items[list.n++] = pv;
        }
        if (els[i].e > els[i].b) {
            list.items[list.n] = el_value(c, &els[i]);
            list.flags |= list.items[list.n++].flags & VF_DYN;
        }
    }
    pe_str text;
    int dyn;
    if (inl_argv_text(c, &list, 0, &text, &dyn) != 0)
        return;
    inl_val v = inl_str_val(c, text.s, text.len, dyn ? VF_DYN : 0);
    inl_add(c, PE_INLINE_RUN, &v, "native", off, PE_INLINE_I_ARGV);
}

/* iex with its code from the pipeline: "code" | iex, (iwr x) | iex. */
static void iex_piped(inl_ctx *c, size_t i, size_t off)
{
    if (i == 0 || !is_pu(&c->t[i - 1], "|")) {
        c->flags |= PE_INLINE_DYNAMIC_EXEC;
        return;
    }
    size_t start = i - 1;
    while (start > 0) {
        const inl_tok *p = &c->t[start - 1];
        if (p->type == T_NL || is_pu(p, ";") || is_pu(p, "|") || is_pu(p, "{") || is_pu(p, "("))
            break;
        start--;
        if (is_pu(&c->t[start], ")") || is_pu(&c->t[start], "}"))
            start = c->t[start].match < start ? c->t[start].match : start;
    }
    inl_val code = (c->t[start].flags & TF_CMD_START) ? (inl_val){.kind = V_NONE, .flags = VF_DYN}
                                                      : inl_eval(c, start, i - 1);
    inl_eval_code(c, &code, off);
}

void inl_ps_command(inl_ctx *c, size_t i)
{
    size_t e = cmd_end(c, i + 1, c->nt), off = c->t[i].off;
    const inl_tok *name = &c->t[i];
    int call_op = i > 0 && (is_pu(&c->t[i - 1], "&") || is_pu(&c->t[i - 1], "."));
    ps_el els[64];
    size_t n = elements(c, i + 1, e, els, 64);
    pe_str nm = name->text;
    const char *bs = NULL;
    for (size_t k = 0; k < nm.len; k++)
        bs = nm.s[k] == '\\' && k + 1 < nm.len && !memchr(nm.s, '/', nm.len) ? nm.s + k : bs;
    if (bs && memchr(nm.s, '-', nm.len)) { /* Module\Verb-Noun */
        nm.len -= (size_t)(bs + 1 - nm.s);
        nm.s = bs + 1;
    }
    for (size_t k = 0; k < n; k++) /* > file, >> file: written, whatever the command */
        if (els[k].param.s && strcmp(els[k].param.s, "out") == 0) {
            inl_val w = el_value(c, &els[k]);
            inl_add(c, PE_INLINE_WRITE, &w, ">", off, 0);
            els[k] = els[--n];
            k--;
        }
    const ps_cmdlet *cmd = find_cmdlet(nm.s, nm.len);
    if (call_op && name->type == T_WORD && nm.len > 4 &&
        lower_eq(nm.s + nm.len - 4, 4, ".ps1")) { /* & ./x.ps1, . ./x.ps1 */
        inl_val p = inl_str_val(c, nm.s, nm.len, 0);
        inl_add(c, PE_INLINE_READ, &p, "dot-source", off, 0);
        return;
    }
    if (!cmd) {
        if (memchr(nm.s, '-', nm.len) && name->type == T_WORD && !call_op)
            return; /* an unknown cmdlet (Verb-Noun) */
        native(c, name, els, n, off);
        return;
    }
    inl_val v, w;
    switch (cmd->kind) {
    case PS_IEX:
        if (ps_arg(c, els, n, cmd->p0, 0, &v))
            inl_eval_code(c, &v, off);
        else
            iex_piped(c, i, off);
        break;
    case PS_START: {
        if (!ps_arg(c, els, n, cmd->p0, 0, &v))
            break;
        inl_val list;
        memset(&list, 0, sizeof(list));
        list.kind = V_LIST;
        if (ps_arg(c, els, n, cmd->p1, 1, &w))
            list = w.kind == V_LIST ? w : list;
        unsigned fl = 0;
        if (ps_arg(c, els, n, "verb", -1, &w) && w.kind == V_STR &&
            lower_eq(w.s.s, w.s.len, "runas"))
            fl |= PE_INLINE_I_ELEVATED;
        inl_val all;
        memset(&all, 0, sizeof(all));
        all.kind = V_LIST;
        all.items = inl_alloc(c, (list.n + 2) * sizeof(inl_val));
        if (!all.items)
            return;
        all.items[all.n++] = v;
        for (size_t k = 0; k < list.n; k++)
            all.items[all.n++] = list.items[k];
        pe_str text;
        int dyn;
        if (inl_argv_text(c, &all, 0, &text, &dyn) != 0)
            return;
        inl_val t = inl_str_val(c, text.s, text.len, dyn ? VF_DYN : 0);
        if (list.n == 0 && ps_arg(c, els, n, cmd->p1, 1, &w) && w.kind == V_STR) {
            inl_val parts[3] = {t, inl_str_val(c, " ", 1, 0), w}; /* a command line string */
            t = inl_transform(c, X_CONCAT, NULL, parts, 3);
        }
        inl_add(c, PE_INLINE_RUN, &t, cmd->name, off, fl | PE_INLINE_I_ARGV);
        break;
    }
    case PS_READ:
    case PS_WRITE:
    case PS_DELETE:
        if (ps_arg(c, els, n, cmd->p0 ? cmd->p0 : cmd->out, cmd->p0 ? 0 : -1, &v))
            inl_add(c,
                    cmd->kind == PS_READ    ? PE_INLINE_READ
                    : cmd->kind == PS_WRITE ? PE_INLINE_WRITE
                                            : PE_INLINE_DELETE,
                    &v, cmd->name, off, 0);
        break;
    case PS_COPY:
    case PS_MOVE:
        if (ps_arg(c, els, n, cmd->p0, 0, &v))
            inl_add(c, cmd->kind == PS_COPY ? PE_INLINE_READ : PE_INLINE_DELETE, &v, cmd->name, off,
                    0);
        if (ps_arg(c, els, n, cmd->p1, 1, &w))
            inl_add(c, PE_INLINE_WRITE, &w, cmd->name, off, 0);
        break;
    case PS_WEB:
        c->flags |= PE_INLINE_NETWORK;
        if (ps_arg(c, els, n, cmd->p0, 0, &v))
            inl_add(c, PE_INLINE_CONNECT, &v, cmd->name, off, PE_INLINE_I_URL);
        if (ps_arg(c, els, n, cmd->out, cmd->kind == PS_WEB && cmd->out[0] == 'd' ? 1 : -1, &w))
            inl_add(c, PE_INLINE_WRITE, &w, cmd->name, off, 0);
        break;
    case PS_CONNECT:
        if (ps_arg(c, els, n, cmd->p0, 0, &v)) {
            int has_port = ps_arg(c, els, n, "port", -1, &w);
            inl_add_connect(c, &v, has_port ? &w : NULL, cmd->name, off);
        }
        break;
    case PS_NEWOBJ: {
        if (!ps_arg(c, els, n, cmd->p0, 0, &v) || v.kind != V_STR)
            break;
        const char *tn = v.s.s;
        size_t tl = v.s.len;
        if (tl > 7 && lower_eq(tn, 7, "system."))
            tn += 7, tl -= 7;
        char low[128];
        if (tl >= sizeof(low))
            break;
        for (size_t k = 0; k < tl; k++)
            low[k] = (char)(tn[k] >= 'A' && tn[k] <= 'Z' ? tn[k] | 0x20 : tn[k]);
        const inl_api *api = inl_api_find(c->L, low, tl);
        if (!api)
            break;
        c->feat |= api->feat;
        c->flags |= (api->feat & F_NET ? PE_INLINE_NETWORK : 0) |
                    (api->feat & F_SOCKET ? PE_INLINE_SOCKET | PE_INLINE_NETWORK : 0);
        if (api->how == H_HOSTPORT && ps_arg(c, els, n, cmd->p1, 1, &w) && w.kind == V_LIST &&
            w.n >= 2)
            inl_add_connect(c, &w.items[0], &w.items[1], api->name, off);
        break;
    }
    case PS_DYNAMIC:
        c->flags |= PE_INLINE_DYNAMIC;
        break;
    default:
        break;
    }
    if (cmd->kind != PS_WEB && cmd->kind != PS_IGNORE && cmd->out && cmd->p0 &&
        ps_arg(c, els, n, cmd->out, -1, &w))
        inl_add(c, PE_INLINE_WRITE, &w, cmd->name, off, 0);
}

size_t inl_ps_value(inl_ctx *c, size_t i, size_t e, inl_val *v)
{
    size_t end = cmd_end(c, i + 1, e);
    memset(v, 0, sizeof(*v));
    v->flags = VF_DYN;
    v->s.s = "";
    const inl_tok *t = &c->t[i];
    if (!lower_eq(t->text.s, t->text.len, "new-object"))
        return end;
    ps_el els[16];
    size_t n = elements(c, i + 1, end, els, 16);
    inl_val tn;
    if (!ps_arg(c, els, n, "typename", 0, &tn) || tn.kind != V_STR)
        return end;
    const char *s = tn.s.s;
    size_t len = tn.s.len;
    if (len > 7 && lower_eq(s, 7, "system."))
        s += 7, len -= 7;
    *v = inl_str_val(c, s, len, 0);
    for (size_t k = 0; k < v->s.len; k++)
        ((char *)v->s.s)[k] = (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] | 0x20 : s[k]);
    v->kind = V_PATH;
    return end;
}
