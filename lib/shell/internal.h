/*
 * Internals shared by the shell analysis files:
 *   analyze.c      entry point, limits, the per-text driver, publishing
 *   lex.c          tokens, words and here-doc bodies
 *   expand.c       quoting and expansions inside words
 *   parse.c        the grammar: lists, pipelines, compound commands
 *   cmd.c          command knowledge: wrappers, interpreters, -c strings
 *   sum.c          summary values and flag queries
 * Never installed.
 */
#ifndef PE_SHELL_INTERNAL_H
#define PE_SHELL_INTERNAL_H

#include <stddef.h>

#include "shell/shell.h"

/* A here-doc whose body is read when the lexer reaches the next newline. */
typedef struct sh_heredoc {
    pe_str delim;
    int quoted;     /* any quoting in the delimiter: the body is literal */
    int strip_tabs; /* <<- */
    pe_str body;    /* empty until read */
} sh_heredoc;

typedef struct sh_redir {
    pe_shell_redir pub;
    sh_heredoc *hd; /* << and <<- only */
} sh_redir;

/* A simple command as parsed, then completed by sh_interpret(). */
typedef struct sh_cmd {
    pe_shell_cmd pub; /* words, depth, origin and STDIN_PIPE come from the parser */
    sh_redir *redirs;
    size_t nredirs;
    unsigned char done; /* interpreted */
} sh_cmd;

typedef struct sh_ctx {
    pe_arena *arena;
    sh_cmd *cmds;
    size_t ncmds, cap;
    size_t nwords; /* all commands together */
    size_t work, work_max;
    size_t mem, mem_max; /* arena bytes taken while the analysis runs */
    unsigned nest;       /* parser recursion, all texts together */
    unsigned flags;      /* PE_SHELL_* */
    const char *error;
    int stop; /* a limit was reached or memory ran out: unwind */
    int nomem;
} sh_ctx;

typedef struct sh_word {
    pe_str text; /* in the arena, NUL-terminated */
    unsigned flags;
} sh_word;

typedef enum sh_tok_kind {
    T_EOF,
    T_WORD,
    T_NEWLINE,
    T_SEMI,      /* ; */
    T_AMP,       /* & */
    T_AND_IF,    /* && */
    T_OR_IF,     /* || */
    T_PIPE,      /* | */
    T_PIPE_AMP,  /* |& */
    T_LPAREN,    /* ( */
    T_RPAREN,    /* ) */
    T_DSEMI,     /* ;; */
    T_SEMI_AMP,  /* ;& */
    T_DSEMI_AMP, /* ;;& */
    T_REDIR      /* a redirection operator, with its fd */
} sh_tok_kind;

typedef struct sh_token {
    sh_tok_kind kind;
    sh_word word;   /* T_WORD */
    const char *op; /* T_REDIR: static text; also the text of every operator */
    int fd;         /* T_REDIR: -1 when defaulted, -2 for {name} */
} sh_token;

typedef struct sh_lexer {
    sh_ctx *c;
    const char *s;
    size_t len, pos;
    size_t counted; /* input up to here is counted as work */
    char *tb;       /* word text stack: never longer than the input */
    size_t tcap, ttop;
    sh_heredoc **pend; /* here-docs waiting for the next newline */
    size_t npend, pcap;
    /* The stdin of the command whose tokens are being read is another
     * command's output: its substitutions inherit that stdin. */
    int stdin_pipe;
} sh_lexer;

/* analyze.c */
typedef enum sh_mode {
    SH_SCRIPT, /* the text is a script */
    SH_SUBST   /* the text is an unquoted here-doc body: only its expansions run */
} sh_mode;
/* Analyses a nested text; its commands get depth and origin; stdin_pipe:
 * the text runs with another command's output as stdin. Returns, for
 * SH_SUBST, the word flags of the expansions found (else 0). */
unsigned sh_analyze_text(sh_ctx *c, const char *s, size_t len, unsigned depth,
                         pe_shell_origin origin, sh_mode mode, int stdin_pipe);
/* Counts n units of work; 0, or -1 (and stops) past the budget. */
int sh_work(sh_ctx *c, size_t n);
void sh_parse_error(sh_ctx *c, const char *msg);
void sh_limit(sh_ctx *c, unsigned which);
void sh_nomem(sh_ctx *c);
/* Arena helpers that record out-of-memory in c (NULL then). */
void *sh_alloc(sh_ctx *c, size_t size);
char *sh_strndup(sh_ctx *c, const char *s, size_t len);
/* Makes room for need elements of elem bytes in an arena array. 0 or -1. */
int sh_grow(sh_ctx *c, void **arr, size_t *cap, size_t need, size_t elem);
/* Appends a parsed command (its arrays must stay valid); -1 at a limit. */
int sh_push_cmd(sh_ctx *c, const sh_cmd *cmd);

/* Guards every recursive path against deep nesting: 0 (and a limit) when
 * too deep; else 1, to be paired with sh_leave(). */
int sh_enter(sh_ctx *c);
void sh_leave(sh_ctx *c);

/* Input characters: -1 past the end. */
static inline int sh_at(const sh_lexer *lx, size_t i)
{
    return i < lx->len ? (unsigned char)lx->s[i] : -1;
}

/* Skips line continuations (backslash-newline) starting at i. */
static inline size_t sh_skip_lc(const sh_lexer *lx, size_t i)
{
    while (i + 1 < lx->len && lx->s[i] == '\\' && lx->s[i + 1] == '\n')
        i += 2;
    return i;
}

static inline int sh_is_name_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static inline int sh_is_name_char(int c)
{
    return sh_is_name_start(c) || (c >= '0' && c <= '9');
}

static inline int sh_is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* lex.c */
void sh_lex_init(sh_lexer *lx, sh_ctx *c, const char *s, size_t len);
/* Pushes word text (never past the stack, which fits the input). */
void sh_push(sh_lexer *lx, const char *p, size_t n);
void sh_push_c(sh_lexer *lx, char c);
/* Replaces what an expansion pushed since mark with its raw text, from
 * start to the current position. */
void sh_push_raw(sh_lexer *lx, size_t mark, size_t start);
/* Counts the input consumed since the last count as work. */
void sh_count_work(sh_lexer *lx);
/* The next token; commands in its substitutions get depth + 1. */
void sh_lex_next(sh_lexer *lx, unsigned depth, sh_token *t);
/* The next raw character (0 at the end), without consuming it. */
int sh_lex_peekc(const sh_lexer *lx);
/* Registers a here-doc whose body follows the next newline. */
void sh_lex_heredoc(sh_lexer *lx, sh_heredoc *hd);
/* With lx->pos after the first '(' of "((": scans an arithmetic command or
 * for-header up to "))" and returns 1; 0 (nothing consumed) when the
 * parentheses do not close that way. */
int sh_lex_arith_cmd(sh_lexer *lx, unsigned depth);
/* expand.c: each with lx->pos at its first character; word flags
 * found are added to *flags. */
/* '$': an expansion, $'...', $"..." or a literal dollar sign. */
void sh_lex_dollar(sh_lexer *lx, unsigned depth, int in_dq, unsigned *flags);
/* `...`: analysed as a nested script. */
void sh_lex_backtick(sh_lexer *lx, unsigned depth, int in_dq, unsigned *flags);
/* "...", or (heredoc) the rest of the text as an unquoted here-doc body. */
void sh_lex_dq(sh_lexer *lx, unsigned depth, unsigned *flags, int heredoc);
/* Scans the whole text as an unquoted here-doc body; the word flags found. */
unsigned sh_lex_subst_text(sh_lexer *lx, unsigned depth);

/* parse.c */
void sh_parse_script(sh_lexer *lx, unsigned depth, pe_shell_origin origin, int stdin_pipe);
/* Parses a substitution's commands after "$(", "<(" or ">(" up to its ")".
 * stdin_pipe: the commands read a pipe (>(...)); they also inherit the
 * stdin of the command the substitution is part of. */
void sh_parse_subst(sh_lexer *lx, unsigned depth, pe_shell_origin origin, int stdin_pipe);

/* cmd.c */
/* Strips wrappers, finds the executed command and analyses the code it
 * runs (nested commands are appended to c). */
void sh_interpret(sh_ctx *c, size_t idx);

/* sum.c */
int sh_summarize(sh_ctx *c, pe_shell_result *r);

/* Small string helpers. */
static inline int sh_eq(pe_str a, const char *b)
{
    size_t i = 0;
    for (; i < a.len; i++)
        if (b[i] != a.s[i] || !b[i])
            return 0;
    return b[i] == '\0';
}

#endif
