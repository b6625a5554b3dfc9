/*
 * Internals shared by the shell analysis files:
 *   analyze.c      entry point, limits, the per-text driver, publishing
 *   lex.c          tokens, words and here-doc bodies
 *   expand.c       quoting and expansions inside words
 *   parse.c        the grammar: lists, pipelines, compound commands
 *   cmd.c          interpreting one command: wrappers, eval, source, find -exec
 *   runners.c      interpreters and where their program comes from
 *   known.c        output the line makes known, files it writes and runs
 *   carriers.c     commands that run other commands: xargs, parallel, ssh,
 *                  docker exec, git -c, sed e, vim -c, variables such as
 *                  GIT_SSH_COMMAND; decoded and written scripts
 *   scope.c        variables, directories and functions across commands
 *   value.c        words expanded with the values the line makes known
 *   knowledge.c    what each command reads, writes, deletes, connects to
 *   facts.c        walking a command's words against that knowledge
 *   facts_net.c    hosts, redirections, what is sent, shells over a network
 *   special*.c     commands a knowledge row cannot describe alone
 *   sum.c          summary values and flag queries
 * Never installed.
 */
#ifndef PE_SHELL_INTERNAL_H
#define PE_SHELL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

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
    long sub;       /* the target is one substitution: its output command, else -1 */
} sh_redir;

/* A simple command as parsed, then completed by sh_interpret(). */
typedef struct sh_cmd {
    pe_shell_cmd pub; /* words, depth, origin and STDIN_PIPE come from the parser */
    sh_redir *redirs;
    size_t nredirs;
    unsigned scope; /* the shell (subshell, script) it runs in: sh_ctx.scopes */
    long src;       /* the simple command whose output is its stdin, or -1 */
    pe_str chdir;   /* the directory a wrapper runs it in (env -C), "" when none */
    unsigned chdir_flags;
    unsigned run_scope;        /* where code it runs starts: its scope with the variables
                                  given to it (X=v sh -c '...') */
    unsigned char done;        /* interpreted */
    size_t path_from, path_to; /* its own facts: paths[path_from .. path_to) */
    /* For each word that is one command or process substitution ("$(x | y)",
     * <(x)), the command whose output it is (y), else -1; NULL when no word
     * is one. */
    const long *wsub;
    long script; /* argv index of the script an interpreter or source runs, or -1 */
} sh_cmd;

/* xargs -0: its input is split at NUL bytes. */
#define SH_XARGS_NUL 256
/* The word standing for what xargs reads from an input not known. */
#define SH_XARGS_INPUT "$(xargs input)"

/* A growable list of strings in the arena. */
typedef struct sh_strs {
    pe_str *items;
    size_t n, cap;
} sh_strs;

/* A variable or the working directory as set in a scope (scope.c). */
typedef struct sh_bind {
    unsigned scope;
    pe_str name;           /* "" for the working directory */
    pe_str value;          /* as far as known */
    int known;             /* value is exact */
    long prev;             /* the previous binding of the same name, or -1 */
    unsigned nalts;        /* > 1: a for loop's values, separated by NUL bytes */
    unsigned char tainted; /* the value is (made of) another command's output */
    unsigned char local;   /* declared local: a function's own */
} sh_bind;

/* A function defined on the line: its body runs in scope (a child of
 * def_scope, where it was defined). */
typedef struct sh_func {
    pe_str name;
    unsigned scope, def_scope;
} sh_func;

/* A for loop: before command `at` runs, name takes each of the words. */
typedef struct sh_loop {
    size_t at;
    unsigned scope;
    pe_str name;
    const pe_str *w;
    const unsigned *f;
    size_t n;
    int given; /* "in WORDS" was written (else the positional parameters) */
} sh_loop;

/* A file the command line wrote with known content, or downloaded. */
typedef struct sh_file {
    pe_str path; /* expanded, relative to cwd */
    pe_str cwd;
    pe_str content;
    int downloaded;
    int dir; /* a directory (git clone): what is under it was downloaded */
    int decoded; /* content is a payload the line decoded */
} sh_file;

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
    int stop;      /* a limit was reached or memory ran out: unwind */
    long text_out; /* the last script parsed is one pipeline: its last command, else -1 */
    int nomem;
    const pe_shell_env *env;
    /* Scopes: [0] is the command line's shell; a subshell, substitution or
     * nested script gets a child. scope_parent[i] is i's parent. */
    unsigned *scope_parent;
    size_t nscopes, scope_cap;
    unsigned cur_scope; /* where commands being parsed run */
    unsigned remote;    /* > 0 while analysing commands that run elsewhere */
    long facts_of;      /* the command whose facts are being recorded, or -1 */
    long net_fds[8];    /* descriptors opened to the network (exec 3<>/dev/tcp/h/p) */
    size_t nnet_fds;
    int net_fd_var; /* a descriptor in a variable is a connection (zsh's ztcp: $REPLY) */
    sh_bind *binds;
    size_t nbinds, bind_cap;
    sh_func *funcs;
    size_t nfuncs, func_cap;
    sh_loop *loops;
    size_t nloops, loop_cap;
    /* The latest binding of each name: an open-addressing table of binding
     * indices + 1 (0: empty), a power of two in size, at most half full. */
    uint32_t *bind_slots;
    size_t bind_nslots;
    sh_file *files;
    size_t nfiles, file_cap;
    /* Facts, in the order found (sum.c merges duplicates). */
    pe_shell_path *paths;
    size_t npaths, path_cap;
    sh_strs subs, urls, hosts, envs, langs, decoded;
} sh_ctx;

typedef struct sh_word {
    pe_str text; /* in the arena, NUL-terminated */
    unsigned flags;
    long sub; /* the word is one substitution: the command whose output it is, else -1 */
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
    /* The substitutions of the word being read: how many, and the last
     * one's output command (-1 when not one simple command's output) and
     * the length of its text. */
    unsigned nsubs;
    long sub_out;
    size_t sub_len;
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
 * parentheses do not close that way, or (check) when the text between is
 * not arithmetic - then it is two subshells, as POSIX shells read it. */
int sh_lex_arith_cmd(sh_lexer *lx, unsigned depth, int check);
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
/* Appends a command made of words (in the arena) at depth with origin, in
 * scope, and interprets it; src: the command feeding its stdin (or -1). */
void sh_run_words(sh_ctx *c, const pe_str *w, const unsigned *f, size_t n, unsigned depth,
                  pe_shell_origin origin, unsigned scope, long src);
/* The same, for words a command's variables expanded to: the command keeps
 * the redirections of cmds[from] (x=sh; $x <<< 'code' runs the code). */
void sh_run_words_of(sh_ctx *c, const pe_str *w, const unsigned *f, size_t n, unsigned depth,
                     pe_shell_origin origin, unsigned scope, size_t from);
/* Analyses code as a nested script one level deeper than depth, run in a
 * child of scope. */
void sh_run_code(sh_ctx *c, pe_str code, unsigned depth, pe_shell_origin origin, unsigned scope,
                 int stdin_pipe);
/* The basename of a word (after the last '/'). */
pe_str sh_basename(pe_str w);

/* scope.c */
/* A new scope, child of parent; its index (0 when out of room: the parent
 * scope is shared then, which only merges what is known). */
unsigned sh_scope_new(sh_ctx *c, unsigned parent);
/* Binds name (or "" for the working directory) in scope; the new binding
 * (valid until the next one), or NULL out of memory. */
sh_bind *sh_bind_set(sh_ctx *c, unsigned scope, pe_str name, pe_str value, int known);
/* The binding of name visible in scope, or NULL. */
const sh_bind *sh_bind_get(sh_ctx *c, unsigned scope, pe_str name);
/* NAME=value (or NAME+=value) in scope. */
void sh_assign(sh_ctx *c, unsigned scope, pe_str w, unsigned flags);
/* A function defined on the line (parse.c). */
void sh_func_define(sh_ctx *c, pe_str name, unsigned body_scope, unsigned def_scope);

/* value.c */
/* Word flag of an assignment's value (internal): ~ expands at its start
 * and after each ':'. */
#define SH_W_VALUE (1u << 24)
/* Expansion details: alt (in) picks which combination of the values of
 * the loop variables met it stands for (-1: such a variable is not known);
 * nalts (in 0, out) counts the combinations; tainted (out): some value is
 * another command's output ($(...), read, a variable made of them). */
typedef struct sh_xinfo {
    int alt;
    size_t nalts;
    int tainted;
} sh_xinfo;
/* The value of variable name in scope: 1 known (in *v), 0 not known; *set
 * when it is set at all. x may be NULL. */
int sh_value_of(sh_ctx *c, unsigned scope, pe_str name, pe_str *v, int *set, sh_xinfo *x);
/* Expands w (word text as recorded: quotes removed, expansions as written)
 * with what is known in scope: ~, $HOME, $NAME, ${NAME}, ${NAME:-word} ...
 * *out gets the text (unknown expansions kept as written); returns 1 when
 * every expansion was known, 0 when some was not. */
int sh_expand(sh_ctx *c, unsigned scope, pe_str w, unsigned flags, pe_str *out);
int sh_expand_x(sh_ctx *c, unsigned scope, pe_str w, unsigned flags, pe_str *out, sh_xinfo *x);
/* Calls fn with each value w stands for: its brace expansions, and each
 * value of a loop variable in it (at most 16 in all; past that, w as
 * written, not known). */
typedef void (*sh_each_fn)(sh_ctx *c, void *arg, pe_str value, int known, int tainted);
void sh_expand_each(sh_ctx *c, unsigned scope, pe_str w, unsigned flags, sh_each_fn fn, void *arg);
/* Binds name to each of the words in turn (a for loop). */
void sh_bind_list(sh_ctx *c, unsigned scope, pe_str name, const pe_str *w, const unsigned *f,
                  size_t n);
/* The working directory of scope: "" for where the command line started,
 * else a path; *known is 0 when a cd went somewhere not known. */
pe_str sh_cwd(sh_ctx *c, unsigned scope, int *known);
/* Records what one interpreted command does to the shell's state: NAME=value
 * (alone or with export/declare/...), cd, pushd, popd, unset, read. */
void sh_scope_update(sh_ctx *c, size_t idx);
/* Rebuilds a command whose words are made of variables of known value
 * (W='rm -rf /'; $W) into the command that runs (origin EXPANDED): 1 when
 * it did (the command is then marked RESOLVED, and what it does to the
 * shell's state is the rebuilt command's), 2 when it did once per value
 * of a loop variable (each in a scope of its own), 0 when not. */
int sh_scope_resolve(sh_ctx *c, size_t idx);

/* What find finds, as one path word (in the arena): its first start point
 * ("." when none), then "**" (any depth) and the first -name/-iname pattern
 * that is not negated ("*" when only other tests select), or the
 * -path/-ipath pattern itself; the start point alone when nothing selects. *partial is 1 when a
 * test narrows what is found (-name, -type, -mtime, -empty ...), so that find -delete does not
 * delete the whole start point; *flags are the word flags the path has (the start point's, and a
 * glob). */
pe_str sh_find_found(sh_ctx *c, const pe_str *w, const unsigned *f, size_t n, int *partial,
                     unsigned *flags);

/* facts.c */
/* Records the facts of one interpreted command: paths with their roles,
 * subcommand, URLs and hosts, variables it is given, network idioms. */
void sh_facts(sh_ctx *c, size_t idx);
/* Adds a fact string (copied when copy) to a list. */
void sh_strs_add(sh_ctx *c, sh_strs *l, pe_str s, int copy);
/* Records a path used with role, relative to scope's directory. */
void sh_path_add(sh_ctx *c, unsigned scope, pe_str word, unsigned wflags, unsigned role);

/* sum.c */
int sh_summarize(sh_ctx *c, pe_shell_result *r);

/* Small string helpers. */
/* Whether s (len bytes) is one of the NULL-terminated list. */
int sh_in_list(const char *const *list, const char *s, size_t len);
static inline int sh_eq(pe_str a, const char *b)
{
    size_t i = 0;
    for (; i < a.len; i++)
        if (b[i] != a.s[i] || !b[i])
            return 0;
    return b[i] == '\0';
}

/* a against the C string b in strcmp's order (bytes unsigned): < 0, 0, > 0. */
static inline int sh_cmp(pe_str a, const char *b)
{
    size_t i = 0;
    for (; i < a.len && b[i]; i++)
        if (b[i] != a.s[i])
            return (unsigned char)a.s[i] < (unsigned char)b[i] ? -1 : 1;
    return i < a.len ? 1 : b[i] ? -1 : 0;
}

#endif
