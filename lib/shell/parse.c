/*
 * The shell grammar, by recursive descent (POSIX XCU 2.10 plus bash's
 * [[ ]], (( )), function, select and ;& / ;;&). The parser's only output
 * is simple commands: words and redirections, with where they were found
 * and whether their stdin is a pipe. It recovers from every error (a
 * parse error is reported and the next token is skipped), so whatever can
 * be recovered still is.
 */
#include <string.h>

#include "shell/internal.h"

typedef struct sh_parser {
    sh_lexer *lx;
    sh_ctx *c;
    sh_token tok; /* lookahead */
    int have;
    unsigned depth;
    pe_shell_origin origin;
    long pipe_src;    /* the simple command feeding the next one's stdin, or -1 */
    long last_simple; /* the simple command parse_command() pushed, or -1 */
    unsigned npipes;  /* pipelines parsed */
} sh_parser;

/* A simple command being collected. */
typedef struct sh_builder {
    pe_str *words;
    unsigned *wordf;
    long *wsub; /* NULL until a word is one substitution */
    size_t nwords, wcap, fcap, scap;
    sh_redir *redirs;
    size_t nredirs, rcap;
} sh_builder;

static sh_token *peek(sh_parser *p)
{
    if (!p->have) {
        sh_lex_next(p->lx, p->depth, &p->tok);
        p->have = 1;
    }
    return &p->tok;
}

static void consume(sh_parser *p)
{
    p->have = 0;
}

/* An unquoted word spelled exactly kw (reserved words, { } [[ ]] !). */
static int is_kw(const sh_token *t, const char *kw)
{
    return t->kind == T_WORD && t->word.flags == 0 && sh_eq(t->word.text, kw);
}

static int is_closer(const sh_token *t)
{
    static const char *const kws[] = {"}", "then", "else", "elif", "fi", "do", "done", "esac"};
    switch (t->kind) {
    case T_EOF:
    case T_RPAREN:
    case T_DSEMI:
    case T_SEMI_AMP:
    case T_DSEMI_AMP:
        return 1;
    case T_WORD:
        for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
            if (is_kw(t, kws[i]))
                return 1;
        return 0;
    default:
        return 0;
    }
}

static int starts_command(const sh_token *t)
{
    return (t->kind == T_WORD && !is_closer(t)) || t->kind == T_REDIR || t->kind == T_LPAREN;
}

static void skip_newlines(sh_parser *p)
{
    while (peek(p)->kind == T_NEWLINE)
        consume(p);
}

static int expect_kw(sh_parser *p, const char *kw, const char *msg)
{
    if (is_kw(peek(p), kw)) {
        consume(p);
        return 1;
    }
    sh_parse_error(p->c, msg);
    return 0;
}

static int expect(sh_parser *p, sh_tok_kind kind, const char *msg)
{
    if (peek(p)->kind == kind) {
        consume(p);
        return 1;
    }
    sh_parse_error(p->c, msg);
    return 0;
}

/* ---- building simple commands ----------------------------------------- */

/* Whether one more word or redirection fits the limit (a limit if not). */
static int room_for_word(sh_parser *p, const sh_builder *b)
{
    if (p->c->nwords + b->nwords + b->nredirs < PE_SHELL_MAX_WORDS)
        return 1;
    sh_limit(p->c, PE_SHELL_LIMIT_COUNT);
    return 0;
}

static void add_word(sh_parser *p, sh_builder *b, pe_str text, unsigned flags, long sub)
{
    if (!room_for_word(p, b))
        return;
    if (sh_grow(p->c, (void **)&b->words, &b->wcap, b->nwords + 1, sizeof(*b->words)) ||
        sh_grow(p->c, (void **)&b->wordf, &b->fcap, b->nwords + 1, sizeof(*b->wordf)))
        return;
    if (sub >= 0 && !b->wsub) {
        if (sh_grow(p->c, (void **)&b->wsub, &b->scap, b->wcap, sizeof(*b->wsub)))
            return;
        for (size_t i = 0; i < b->nwords; i++)
            b->wsub[i] = -1;
    }
    if (b->wsub && sh_grow(p->c, (void **)&b->wsub, &b->scap, b->nwords + 1, sizeof(*b->wsub)))
        return;
    if (b->wsub)
        b->wsub[b->nwords] = sub;
    b->words[b->nwords] = text;
    b->wordf[b->nwords++] = flags;
}

static pe_str cstr(const char *s)
{
    pe_str r = {s, strlen(s)};
    return r;
}

/* A target made of digits, or "-": the redirection duplicates an fd. */
static int is_fd_word(pe_str w, unsigned flags)
{
    if (flags & PE_SHELL_W_UNKNOWN_NAME)
        return 0;
    if (sh_eq(w, "-"))
        return 1;
    for (size_t i = 0; i < w.len; i++)
        if (w.s[i] < '0' || w.s[i] > '9')
            return 0;
    return w.len > 0;
}

static unsigned redir_flags(const char *op, pe_str target, unsigned wflags)
{
    static const char *const writes[] = {">", ">>", ">|", "&>", "&>>", "<>"};
    for (size_t i = 0; i < sizeof(writes) / sizeof(writes[0]); i++)
        if (strcmp(op, writes[i]) == 0)
            return PE_SHELL_R_FILE | PE_SHELL_R_WRITE;
    if (strcmp(op, "<") == 0)
        return PE_SHELL_R_FILE;
    if ((strcmp(op, ">&") == 0 || strcmp(op, "<&") == 0) && !is_fd_word(target, wflags))
        return PE_SHELL_R_FILE | (op[0] == '>' ? PE_SHELL_R_WRITE : 0);
    return 0;
}

static void parse_redir(sh_parser *p, sh_builder *b)
{
    sh_token op = p->tok;
    consume(p);
    sh_token *t = peek(p);
    if (t->kind != T_WORD) {
        sh_parse_error(p->c, "expected a word after a redirection");
        return;
    }
    sh_redir r;
    memset(&r, 0, sizeof(r));
    r.pub.op = cstr(op.op);
    r.pub.fd = op.fd;
    r.pub.target = t->word.text;
    r.pub.body = cstr("");
    r.pub.flags = t->word.flags | redir_flags(op.op, t->word.text, t->word.flags);
    r.sub = t->word.sub;
    if (strcmp(op.op, "<<") == 0 || strcmp(op.op, "<<-") == 0) {
        /* registered before the next token is read: it may be the newline */
        r.hd = sh_alloc(p->c, sizeof(*r.hd));
        if (!r.hd)
            return;
        r.hd->delim = t->word.text;
        r.hd->quoted = (t->word.flags & PE_SHELL_W_QUOTED) != 0;
        r.hd->strip_tabs = op.op[2] == '-';
        r.hd->body = cstr("");
        sh_lex_heredoc(p->lx, r.hd);
    }
    consume(p);
    if (room_for_word(p, b) &&
        sh_grow(p->c, (void **)&b->redirs, &b->rcap, b->nredirs + 1, sizeof(*b->redirs)) == 0)
        b->redirs[b->nredirs++] = r;
}

static void push_cmd(sh_parser *p, const sh_builder *b, int stdin_pipe)
{
    sh_cmd k;
    memset(&k, 0, sizeof(k));
    k.pub.words = b->words;
    k.pub.wordf = b->wordf;
    k.pub.nwords = b->nwords;
    k.wsub = b->wsub;
    k.redirs = b->redirs;
    k.nredirs = b->nredirs;
    k.pub.flags = stdin_pipe ? PE_SHELL_C_STDIN_PIPE : 0;
    k.pub.depth = p->depth;
    k.pub.origin = p->origin;
    k.scope = p->c->cur_scope;
    k.src = p->pipe_src;
    p->pipe_src = -1; /* only the first command of a pipeline element reads the pipe first */
    if (sh_push_cmd(p->c, &k) == 0)
        p->last_simple = (long)p->c->ncmds - 1;
}

/* Runs parse in a new scope (a subshell, a function body): what it
 * assigns or where it cd's stays inside. */
static void in_child_scope(sh_parser *p, void (*parse)(sh_parser *, int), int stdin_pipe)
{
    unsigned saved = p->c->cur_scope;
    p->c->cur_scope = sh_scope_new(p->c, saved);
    parse(p, stdin_pipe);
    p->c->cur_scope = saved;
}

/* ---- grammar ------------------------------------------------------------ */

static void parse_list(sh_parser *p, int stdin_pipe);
static void parse_command(sh_parser *p, int stdin_pipe);
static int is_compound(const sh_token *t);

/* A function body: a compound command (what else follows is still read),
 * in a scope of its own that a call of the function brings in. */
static void parse_body(sh_parser *p, pe_str name)
{
    if (!sh_enter(p->c))
        return;
    skip_newlines(p);
    if (!is_compound(peek(p)))
        sh_parse_error(p->c, "expected a compound command as a function body");
    unsigned saved = p->c->cur_scope;
    p->c->cur_scope = sh_scope_new(p->c, saved);
    if (p->c->cur_scope != saved)
        sh_func_define(p->c, name, p->c->cur_scope, saved);
    parse_command(p, 0); /* defined, not run here */
    p->c->cur_scope = saved;
    sh_leave(p->c);
}

/* name ( ) body - the name has been read. */
static void parse_funcdef(sh_parser *p, pe_str name)
{
    consume(p); /* ( */
    expect(p, T_RPAREN, "expected ')' in a function definition");
    parse_body(p, name);
}

/* A simple command; first: a word already read (or NULL). */
static void parse_simple(sh_parser *p, int stdin_pipe, const sh_word *first)
{
    sh_builder b;
    memset(&b, 0, sizeof(b));
    if (first)
        add_word(p, &b, first->text, first->flags, first->sub);
    while (!p->c->stop) {
        sh_token *t = peek(p);
        if (t->kind == T_WORD) {
            add_word(p, &b, t->word.text, t->word.flags, t->word.sub);
            consume(p);
        } else if (t->kind == T_REDIR) {
            parse_redir(p, &b);
        } else if (t->kind == T_LPAREN && b.nwords == 1 && !b.nredirs &&
                   !(b.wordf[0] & (PE_SHELL_W_ASSIGN | PE_SHELL_W_UNKNOWN_NAME))) {
            parse_funcdef(p, b.words[0]);
            return;
        } else {
            break;
        }
    }
    if (b.nwords || b.nredirs)
        push_cmd(p, &b, stdin_pipe);
}

/* [[ ... ]]: operators inside are words of the test. */
static void parse_cond(sh_parser *p, int stdin_pipe)
{
    sh_builder b;
    memset(&b, 0, sizeof(b));
    while (!p->c->stop) {
        sh_token *t = peek(p);
        if (t->kind == T_WORD) {
            int end = b.nwords > 0 && is_kw(t, "]]");
            add_word(p, &b, t->word.text, t->word.flags, -1);
            consume(p);
            if (end)
                break;
        } else if (t->kind == T_NEWLINE) {
            consume(p);
        } else if (t->kind == T_EOF || t->kind == T_SEMI || t->kind == T_AMP ||
                   t->kind == T_DSEMI || t->kind == T_SEMI_AMP || t->kind == T_DSEMI_AMP) {
            sh_parse_error(p->c, "expected ']]'");
            break;
        } else {
            add_word(p, &b, cstr(t->op), 0, -1);
            consume(p);
        }
    }
    push_cmd(p, &b, stdin_pipe);
}

/* Redirections after a compound command. A here-doc is kept on a record
 * without words; a process substitution on stdin feeds its commands. */
static void parse_compound_redirs(sh_parser *p, size_t first, int stdin_pipe)
{
    sh_builder b;
    memset(&b, 0, sizeof(b));
    while (!p->c->stop && peek(p)->kind == T_REDIR)
        parse_redir(p, &b);
    if (!b.nredirs)
        return;
    for (size_t i = 0; i < b.nredirs; i++) {
        const pe_shell_redir *r = &b.redirs[i].pub;
        if (r->fd <= 0 && r->fd != -2 && sh_eq(r->op, "<") && (r->flags & PE_SHELL_W_PROCSUB))
            for (size_t k = first; k < p->c->ncmds; k++)
                if (p->c->cmds[k].pub.depth == p->depth)
                    p->c->cmds[k].pub.flags |= PE_SHELL_C_STDIN_PIPE;
    }
    push_cmd(p, &b, stdin_pipe);
}

/* A for loop's variable takes its words before the body runs. */
static void add_loop(sh_parser *p, pe_str name, const sh_builder *b, int given)
{
    sh_ctx *c = p->c;
    if (!name.len || sh_grow(c, (void **)&c->loops, &c->loop_cap, c->nloops + 1, sizeof(*c->loops)))
        return;
    sh_loop *l = &c->loops[c->nloops++];
    l->at = c->ncmds;
    l->scope = c->cur_scope;
    l->name = name;
    l->w = b->words;
    l->f = b->wordf;
    l->n = b->nwords;
    l->given = given;
}

static void parse_for(sh_parser *p, int stdin_pipe)
{
    consume(p); /* for / select */
    sh_token *t = peek(p);
    pe_str name = {"", 0};
    if (t->kind == T_LPAREN) {
        consume(p);
        if (!sh_lex_arith_cmd(p->lx, p->depth, 0))
            sh_parse_error(p->c, "expected '((' after for");
    } else if (t->kind == T_WORD) {
        if (!t->word.flags)
            name = t->word.text;
        consume(p);
    } else {
        sh_parse_error(p->c, "expected a name after for");
    }
    skip_newlines(p);
    sh_builder list;
    memset(&list, 0, sizeof(list));
    int given = is_kw(peek(p), "in");
    if (given) {
        consume(p);
        while (peek(p)->kind == T_WORD) { /* substitutions in the list run */
            add_word(p, &list, p->tok.word.text, p->tok.word.flags, -1);
            consume(p);
        }
    }
    add_loop(p, name, &list, given);
    if (peek(p)->kind == T_SEMI)
        consume(p);
    skip_newlines(p);
    if (is_kw(peek(p), "{")) {
        consume(p);
        parse_list(p, stdin_pipe);
        expect_kw(p, "}", "expected '}'");
        return;
    }
    if (!expect_kw(p, "do", "expected 'do'"))
        return;
    parse_list(p, stdin_pipe);
    expect_kw(p, "done", "expected 'done'");
}

static void parse_case(sh_parser *p, int stdin_pipe)
{
    consume(p); /* case */
    if (!expect(p, T_WORD, "expected a word after case"))
        return;
    skip_newlines(p);
    if (!expect_kw(p, "in", "expected 'in'"))
        return;
    for (;;) {
        skip_newlines(p);
        sh_token *t = peek(p);
        if (is_kw(t, "esac")) {
            consume(p);
            return;
        }
        if (t->kind == T_LPAREN)
            consume(p);
        if (!expect(p, T_WORD, "expected a case pattern"))
            return;
        while (peek(p)->kind == T_PIPE) {
            consume(p);
            if (!expect(p, T_WORD, "expected a case pattern"))
                return;
        }
        if (!expect(p, T_RPAREN, "expected ')' after a case pattern"))
            return;
        parse_list(p, stdin_pipe);
        t = peek(p);
        if (t->kind == T_DSEMI || t->kind == T_SEMI_AMP || t->kind == T_DSEMI_AMP)
            consume(p);
        else if (!is_kw(t, "esac")) {
            sh_parse_error(p->c, "expected ';;' or 'esac'");
            return;
        }
    }
}

static void parse_if(sh_parser *p, int stdin_pipe)
{
    consume(p); /* if */
    parse_list(p, stdin_pipe);
    expect_kw(p, "then", "expected 'then'");
    parse_list(p, stdin_pipe);
    while (is_kw(peek(p), "elif")) {
        consume(p);
        parse_list(p, stdin_pipe);
        expect_kw(p, "then", "expected 'then'");
        parse_list(p, stdin_pipe);
    }
    if (is_kw(peek(p), "else")) {
        consume(p);
        parse_list(p, stdin_pipe);
    }
    expect_kw(p, "fi", "expected 'fi'");
}

/* A body between an opening and a closing word ({ }, do done). */
static void parse_block(sh_parser *p, int stdin_pipe, const char *close, const char *msg)
{
    consume(p);
    parse_list(p, stdin_pipe);
    expect_kw(p, close, msg);
}

static int is_compound(const sh_token *t)
{
    static const char *const kws[] = {"{", "if", "while", "until", "for", "select", "case"};
    if (t->kind == T_LPAREN)
        return 1;
    for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
        if (is_kw(t, kws[i]))
            return 1;
    return 0;
}

static void parse_compound(sh_parser *p, int stdin_pipe)
{
    if (!sh_enter(p->c))
        return;
    size_t first = p->c->ncmds;
    sh_token *t = peek(p);
    if (t->kind == T_LPAREN) {
        consume(p);
        if (!(sh_lex_peekc(p->lx) == '(' && sh_lex_arith_cmd(p->lx, p->depth, 1))) {
            in_child_scope(p, parse_list, stdin_pipe);
            expect(p, T_RPAREN, "expected ')'");
        }
    } else if (is_kw(t, "{")) {
        parse_block(p, stdin_pipe, "}", "expected '}'");
    } else if (is_kw(t, "if")) {
        parse_if(p, stdin_pipe);
    } else if (is_kw(t, "while") || is_kw(t, "until")) {
        consume(p);
        parse_list(p, stdin_pipe);
        if (is_kw(peek(p), "do"))
            parse_block(p, stdin_pipe, "done", "expected 'done'");
        else
            sh_parse_error(p->c, "expected 'do'");
    } else if (is_kw(t, "case")) {
        parse_case(p, stdin_pipe);
    } else {
        parse_for(p, stdin_pipe);
    }
    sh_leave(p->c);
    parse_compound_redirs(p, first, stdin_pipe);
}

/* function name [()] body */
static void parse_function(sh_parser *p)
{
    consume(p);
    pe_str name = peek(p)->kind == T_WORD ? p->tok.word.text : (pe_str){"", 0};
    if (!expect(p, T_WORD, "expected a function name"))
        return;
    if (peek(p)->kind == T_LPAREN)
        parse_funcdef(p, name);
    else
        parse_body(p, name);
}

static void parse_command(sh_parser *p, int stdin_pipe)
{
    sh_token *t = peek(p);
    int simple = 0;
    if (is_compound(t))
        parse_compound(p, stdin_pipe);
    else if (is_kw(t, "function"))
        parse_function(p);
    else if (is_kw(t, "[["))
        parse_cond(p, stdin_pipe);
    else if (starts_command(t))
        simple = 1, p->last_simple = -1, parse_simple(p, stdin_pipe, NULL);
    else
        sh_parse_error(p->c, "expected a command");
    if (!simple)
        p->last_simple = -1; /* a compound's output is not one command's */
}

/* Where the parse is: what a later subshell boundary applies to. */
typedef struct sh_mark {
    size_t cmds, scopes, loops, funcs;
} sh_mark;

static sh_mark mark(const sh_parser *p)
{
    sh_mark m = {p->c->ncmds, p->c->nscopes, p->c->nloops, p->c->nfuncs};
    return m;
}

/* What was parsed since m runs in a subshell of its own (an element of a
 * pipeline, a job put in the background): its cd and assignments stay
 * there. */
static void isolate(sh_parser *p, sh_mark m)
{
    sh_ctx *c = p->c;
    unsigned cur = c->cur_scope, sub = sh_scope_new(c, cur);
    if (sub == cur)
        return;
    for (size_t k = m.cmds; k < c->ncmds; k++)
        if (c->cmds[k].scope == cur)
            c->cmds[k].scope = sub;
    for (size_t k = m.scopes; k < c->nscopes; k++)
        if (k != sub && c->scope_parent[k] == cur)
            c->scope_parent[k] = sub;
    for (size_t k = m.loops; k < c->nloops; k++)
        if (c->loops[k].scope == cur)
            c->loops[k].scope = sub;
    for (size_t k = m.funcs; k < c->nfuncs; k++)
        if (c->funcs[k].def_scope == cur)
            c->funcs[k].def_scope = sub;
}

static void parse_pipeline(sh_parser *p, int stdin_pipe)
{
    sh_mark m = mark(p);
    p->npipes++;
    if (is_kw(peek(p), "!"))
        consume(p);
    if (is_kw(peek(p), "coproc"))
        consume(p);
    if (is_kw(peek(p), "time")) {
        /* the keyword before a compound command; else the time wrapper */
        sh_word time = p->tok.word;
        consume(p);
        p->last_simple = -1;
        if (is_compound(peek(p)))
            parse_compound(p, stdin_pipe);
        else
            parse_simple(p, stdin_pipe, &time);
    } else {
        parse_command(p, stdin_pipe);
    }
    int elements = 1;
    while (peek(p)->kind == T_PIPE || peek(p)->kind == T_PIPE_AMP) {
        if (elements++ == 1)
            isolate(p, m); /* every element of a pipeline is a subshell */
        m = mark(p);
        consume(p);
        p->lx->stdin_pipe = 1; /* before the next command's first token is read */
        skip_newlines(p);
        if (!starts_command(peek(p))) {
            sh_parse_error(p->c, "expected a command after '|'");
            break;
        }
        p->pipe_src = p->last_simple;
        parse_command(p, 1);
        isolate(p, m);
    }
    p->pipe_src = -1;
    p->lx->stdin_pipe = stdin_pipe;
}

static void parse_and_or(sh_parser *p, int stdin_pipe)
{
    parse_pipeline(p, stdin_pipe);
    while (peek(p)->kind == T_AND_IF || peek(p)->kind == T_OR_IF) {
        consume(p);
        skip_newlines(p);
        if (!starts_command(peek(p))) {
            sh_parse_error(p->c, "expected a command after '&&' or '||'");
            return;
        }
        parse_pipeline(p, stdin_pipe);
    }
}

static int is_separator(const sh_token *t)
{
    return t->kind == T_SEMI || t->kind == T_AMP || t->kind == T_NEWLINE;
}

/* Commands up to a closing token, which is left for the caller. */
static void parse_list(sh_parser *p, int stdin_pipe)
{
    while (!p->c->stop) {
        p->lx->stdin_pipe = stdin_pipe;
        sh_token *t = peek(p);
        if (t->kind == T_NEWLINE) {
            consume(p);
            continue;
        }
        if (is_closer(t))
            return;
        if (starts_command(t)) {
            sh_mark m = mark(p);
            parse_and_or(p, stdin_pipe);
            t = peek(p);
            if (t->kind == T_AMP)
                isolate(p, m); /* a background job runs in a subshell */
            if (is_separator(t))
                consume(p);
            else if (!is_closer(t))
                goto unexpected;
            continue;
        }
    unexpected:
        sh_parse_error(p->c, "unexpected token");
        consume(p);
    }
}

/* The command whose output a script is: its last, when it is one pipeline. */
static long output_of(const sh_parser *p)
{
    return p->npipes == 1 ? p->last_simple : -1;
}

void sh_parse_script(sh_lexer *lx, unsigned depth, pe_shell_origin origin, int stdin_pipe)
{
    sh_parser p = {lx, lx->c, {0}, 0, depth, origin, -1, -1, 0};
    while (!lx->c->stop) {
        parse_list(&p, stdin_pipe);
        if (peek(&p)->kind == T_EOF)
            break;
        sh_parse_error(lx->c, "unexpected token");
        consume(&p);
    }
    lx->c->text_out = output_of(&p);
}

void sh_parse_subst(sh_lexer *lx, unsigned depth, pe_shell_origin origin, int stdin_pipe)
{
    if (depth > PE_SHELL_MAX_DEPTH) {
        sh_limit(lx->c, PE_SHELL_LIMIT_DEPTH);
        return;
    }
    sh_parser p = {lx, lx->c, {0}, 0, depth, origin, -1, -1, 0};
    if (!sh_enter(p.c))
        return;
    unsigned saved = p.c->cur_scope; /* a substitution is a subshell */
    p.c->cur_scope = sh_scope_new(p.c, saved);
    int outer = lx->stdin_pipe; /* the command this substitution is part of */
    while (!lx->c->stop) {
        parse_list(&p, stdin_pipe || outer);
        sh_tok_kind k = peek(&p)->kind;
        if (k == T_RPAREN) {
            consume(&p);
            break;
        }
        if (k == T_EOF) {
            sh_parse_error(lx->c, "unterminated $(...) or <(...)");
            break;
        }
        sh_parse_error(lx->c, "unexpected token");
        consume(&p);
    }
    lx->stdin_pipe = outer;
    p.c->cur_scope = saved;
    sh_leave(p.c);
    lx->nsubs++;
    lx->sub_out = output_of(&p);
}
