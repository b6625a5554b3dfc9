/*
 * Inline code analysis, shared between its files:
 *   inline.c        driver: languages, items, limits, eval recursion, verdict flags
 *   inline_lex.c    token store, brackets, escapes; Python and JS tokenizers
 *   inline_lex2.c   Lua, R, awk and AppleScript tokenizers
 *   inline_lexq.c   the quote-heavy tokenizers: Perl, Ruby, PHP
 *   inline_ps.c     PowerShell tokenizer (command and expression modes)
 *   inline_pscmd.c  PowerShell commands: cmdlets, aliases, native commands
 *   inline_eval.c   values: literals, interpolation, concatenation, lists, bindings
 *   inline_xf.c     pure functions as value transforms (decoders, joins, ...)
 *   inline_call.c   names, chains, calls; the scanner
 *   inline_effect.c arguments, and what each API does with them
 *   inline_stmt.c   imports and assignments
 *   inline_awk.c    awk's pipes and redirections
 *   inline_api.c, inline_api2.c   the API tables (data)
 */
#ifndef PE_SHELL_INLINE_INTERNAL_H
#define PE_SHELL_INLINE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "shell/inline.h"
#include "util/abuf.h"

/* Tokens. */
enum {
    T_END,       /* after the last token */
    T_IDENT,     /* a name (AppleScript: known phrases joined, "do shell script") */
    T_VAR,       /* a sigil variable: Perl $x @x %x, PHP $x, PowerShell $x (text with sigil) */
    T_STR,       /* a string literal (val: its value) */
    T_NUM,       /* a number */
    T_PUNCT,     /* an operator or bracket */
    T_CMD,       /* a command literal: backticks, qx, %x (val: the shell text) */
    T_LIST,      /* a word list literal: Perl qw(), Ruby %w[] (val: the words) */
    T_REGEX,     /* a regular expression literal (skipped) */
    T_NL,        /* a newline that ends a statement (outside brackets) */
    T_EMB_OPEN,  /* start of code interpolated in the string before it */
    T_EMB_CLOSE, /* its end */
    T_WORD,      /* PowerShell: a bare word in command mode */
    T_PARAM      /* PowerShell: a -Name parameter in command mode */
};

/* Token flags. */
enum {
    TF_DYN = 1u << 0,       /* a string with interpolations (holes in val) */
    TF_SPACE = 1u << 1,     /* whitespace (or a comment) comes before */
    TF_SYMBOL = 1u << 2,    /* Ruby :symbol, PHP/Perl bareword hash key */
    TF_CMD_START = 1u << 3, /* PowerShell: the first word of a command */
    TF_HEREDOC = 1u << 4    /* a here-doc body */
};

typedef struct inl_tok {
    unsigned char type, flags;
    uint32_t off;   /* byte offset in the text */
    uint32_t match; /* brackets and embeds: the index of the other end (0: none) */
    pe_str text;    /* as written (points into the text) */
    pe_str val;     /* T_STR T_CMD T_LIST: the value, NUL-terminated; holes are HOLE */
} inl_tok;

#define HOLE     "${_}"
#define HOLE_LEN 4

/* Opening and closing brackets. */
static inline int inl_opener(char ch)
{
    return ch == '(' || ch == '[' || ch == '{';
}

static inline int inl_closer(char ch)
{
    return ch == ')' || ch == ']' || ch == '}';
}

/* Whether ch is one of the bytes of set (never the NUL: strchr would say yes). */
static inline int inl_in(const char *set, char ch)
{
    return ch != '\0' && strchr(set, ch) != NULL;
}

/* Values. */
enum { V_NONE, V_STR, V_NUM, V_LIST, V_PATH, V_BOOL, V_FUNC };
enum {
    VF_DYN = 1u << 0,     /* not entirely known: holes in s, or unknown list items */
    VF_DECODED = 1u << 1, /* came through a decoder */
    VF_TRUE = 1u << 2,    /* V_BOOL: true */
    VF_MULTI = 1u << 3    /* a binding assigned more than once */
};

typedef struct inl_val {
    unsigned char kind, flags;
    pe_str s;              /* V_STR V_NUM: the text; V_PATH: the dotted name */
    struct inl_val *items; /* V_LIST */
    size_t n;
    const struct inl_val *arg; /* V_PATH: the first argument of the call that made the object */
} inl_val;

/* What an API call does (inl_api.how). */
enum {
    H_SHELL = 1, /* a1 is shell command text */
    H_POPEN,     /* a1: a list is argv, a string is argv[0] unless kw2/option "shell" is true */
    H_SPAWN,     /* a1 program, a2 argument list; an option shell: true joins them for sh */
    H_SYSTEM,    /* one string: shell; several arguments or a list: argv (from a1) */
    H_EXECV,     /* a1 path, a2 argv list whose first word is argv[0] (dropped) */
    H_EXECA,     /* a1 path, a2 argument list (no argv[0]) */
    H_EXECL,     /* a1 path, arguments from a2 + 1 (a2 is argv[0]) */
    H_REST,      /* a1 program, the following arguments its arguments */
    H_FORK,      /* node fork(module, args): runs node */
    H_PATH,      /* a1 is a path of item kind `kind` (also a URL when F_URL) */
    H_PATHS,     /* every argument from a1 on is a path (lists too) */
    H_OPEN,      /* a1 path, a2 mode ("r", "w", "a", "x", "+", flags): read or write */
    H_OSOPEN,    /* a1 path, a2 O_* flag expression */
    H_COPY,      /* a1 read, a2 written */
    H_MOVE,      /* a1 deleted (moved away), a2 written */
    H_URL,       /* a1 URL (or options object); a2 a path written (downloads) */
    H_HOSTPORT,  /* a1 host, a2 port */
    H_PORTHOST,  /* a1 port, a2 host, or a1 an options object {host, port} */
    H_ADDR,      /* a1 a (host, port) pair or "host:port" */
    H_EVAL,      /* a1 code of the same language (-4: the last argument) */
    H_DECODE,    /* decodes (xf); a pure function for values */
    H_PURE,      /* a pure function for values (xf) */
    H_FLAG,      /* sets features only */
    H_IMPORT,    /* a1 names a module: the call's value is that module */
    H_GETATTR,   /* getattr(obj, "name"): obj.name */
    H_SEND,      /* recv.send(:name, args...): recv.name(args...) */
    H_CALLFUNC,  /* call_user_func("f", args...): f(args...) */
    H_CALLARRAY, /* call_user_func_array("f", [args]) */
    H_PERLOPEN,  /* Perl's open(FH, MODE, ...) / open(FH, "MODE path") */
    H_CMD        /* a1: a string is shell text, a list is argv (Ruby IO.popen, proc_open) */
};

/* Features (inl_api.feat): result flags and reverse-shell evidence. */
enum {
    F_NET = 1u << 0,      /* network use */
    F_SOCKET = 1u << 1,   /* a raw socket (implies F_NET) */
    F_REDIRECT = 1u << 2, /* fd plumbing: dup2, fileno, pipe(), STDIN reopened, GetStream */
    F_PTY = 1u << 3,      /* a pty spawn */
    F_URL = 1u << 4,      /* H_PATH: the path may be a URL (then it is a CONNECT) */
    F_ARGV0 = 1u << 5,    /* the argv list starts with argv[0] */
    F_STRONLY = 1u << 6,  /* H_EVAL: only a string argument is code (setTimeout) */
    F_ELEVATE = 1u << 7,  /* runs elevated */
    F_DYNAMIC = 1u << 8,  /* resolves names at run time (PE_INLINE_DYNAMIC unless literal) */
    F_EXEC = 1u << 9,     /* H_PATH READ whose file is run as code (source, dofile) */
    F_PAIR = 1u << 10,    /* H_ADDR: only a (host, port) pair counts (sock.connect(..)) */
    F_URLONLY = 1u << 11  /* H_PATH: only a URL counts (a CONNECT) */
};

/* Value transforms (inl_api.xf). */
enum {
    X_ID = 0,  /* identity: str(), .decode(), URI(), POSIX file */
    X_B64,     /* base64 */
    X_B64_U16, /* base64 then UTF-16LE (PowerShell) */
    X_HEX,     /* hex */
    X_ROT13,
    X_REV,      /* reversed */
    X_URL,      /* percent-decoding */
    X_CHR,      /* chr(n...): characters of the numbers */
    X_JOINPATH, /* path components joined with '/' */
    X_JOIN,     /* receiver string joins the list argument */
    X_SPLIT,    /* receiver string split on whitespace */
    X_CONCAT,   /* the arguments concatenated (R paste0, PHP implode-free concat) */
    X_PASTE,    /* R paste(): joined with spaces */
    X_QUOTE,    /* AppleScript quoted form of: shell-quoted */
    X_U16,      /* UTF-16LE bytes to text */
    X_B64ARG2,  /* Buffer.from(x, enc): base64 or hex when the 2nd argument says so */
    X_CODECS,   /* codecs.decode(x, 'rot13' | 'base64' | 'hex') */
    X_UNPACK,   /* Ruby unpack("m") / Perl unpack("m", x) / pack("H*", x) */
    X_OPAQUE,   /* a decoder whose output is not computed (zlib, uudecode): unknown */
    X_RECV,     /* the receiver itself ("x".encode(), .to_s) */
    X_FORMAT,   /* "{} {}".format(a, b) */
    X_REPLACE,  /* s.replace(a, b) */
    X_TR,       /* Ruby's s.tr(set1, set2) */
    X_LIST,     /* the arguments as a list: array(..), c(..), list(..) */
    X_ARGV,     /* shlex.join(list): words quoted for sh */
    X_SOCKADDR, /* Perl sockaddr_in(port, host): "host:port" */
    X_HOME      /* the home directory: "~" (os.homedir(), Dir.home, Path.home()) */
};

typedef struct inl_api {
    const char *name;      /* resolved dotted name; ".m" = method m of any receiver; lower
                              case for case-insensitive languages */
    unsigned char how;     /* H_* */
    unsigned char kind;    /* pe_inline_kind for paths */
    signed char a1, a2;    /* argument indexes; -1 none, -2 the receiver's first argument,
                              -3 the receiver's value, -4 the last argument */
    const char *kw1, *kw2; /* keyword or option names of a1, a2 ("a|b"), or NULL */
    unsigned short feat;   /* F_* */
    unsigned char xf;      /* X_* */
} inl_api;

typedef struct inl_ctx inl_ctx;

/* A language: its API table (sorted by name, checked by the tests), how
 * its names are compared and written, and its tokenizer. */
enum {
    L_CI = 1u << 0,        /* names are case-insensitive (lower-cased) */
    L_PARENLESS = 1u << 1, /* calls may omit parentheses (Perl, Ruby, Lua strings) */
    L_NL_ENDS = 1u << 2,   /* a newline ends a statement */
    L_JUXTA = 1u << 3      /* adjacent strings concatenate (Python, awk) */
};

typedef struct inl_lang {
    pe_lang lang;
    const char *name;
    const inl_api *api;
    size_t napi;
    unsigned opts;
    const char *concat; /* concatenation operators, space-separated */
    void (*lex)(inl_ctx *c);
} inl_lang;

const inl_lang *inl_lang_get(pe_lang lang);
extern const inl_lang inl_python, inl_js, inl_perl, inl_ruby, inl_php, inl_lua, inl_r,
    inl_applescript, inl_powershell, inl_awk;

/* Rows of the API tables (inline_api*.c). */
#define ROW(n, how, kind, a1, a2, kw1, kw2, feat, xf)                                              \
    {                                                                                              \
        n, how, kind, a1, a2, kw1, kw2, feat, xf                                                   \
    }
#define SH(n, kw)                   ROW(n, H_SHELL, PE_INLINE_RUN, 0, -1, kw, NULL, 0, 0)
#define POPEN(n, kw, f)             ROW(n, H_POPEN, PE_INLINE_RUN, 0, -1, kw, "shell", f, 0)
#define SPAWN(n, kw1, kw2)          ROW(n, H_SPAWN, PE_INLINE_RUN, 0, 1, kw1, kw2, 0, 0)
#define SYS(n, first, f)            ROW(n, H_SYSTEM, PE_INLINE_RUN, first, -1, NULL, NULL, f, 0)
#define CMD(n)                      ROW(n, H_CMD, PE_INLINE_RUN, 0, -1, NULL, NULL, 0, 0)
#define EXECV(n, p, l)              ROW(n, H_EXECV, PE_INLINE_RUN, p, l, NULL, NULL, 0, 0)
#define EXECA(n, p, l)              ROW(n, H_EXECA, PE_INLINE_RUN, p, l, NULL, NULL, 0, 0)
#define EXECL(n, p, a0)             ROW(n, H_EXECL, PE_INLINE_RUN, p, a0, NULL, NULL, 0, 0)
#define REST(n)                     ROW(n, H_REST, PE_INLINE_RUN, 0, -1, NULL, NULL, 0, 0)
#define RD(n, i, kw, f)             ROW(n, H_PATH, PE_INLINE_READ, i, -1, kw, NULL, f, 0)
#define WR(n, i, kw)                ROW(n, H_PATH, PE_INLINE_WRITE, i, -1, kw, NULL, 0, 0)
#define DEL(n, i, kw)               ROW(n, H_PATH, PE_INLINE_DELETE, i, -1, kw, NULL, 0, 0)
#define DELS(n, first)              ROW(n, H_PATHS, PE_INLINE_DELETE, first, -1, NULL, NULL, 0, 0)
#define WRS(n, first)               ROW(n, H_PATHS, PE_INLINE_WRITE, first, -1, NULL, NULL, 0, 0)
#define OPEN(n, i, m, kw1, kw2, f)  ROW(n, H_OPEN, 0, i, m, kw1, kw2, f, 0)
#define COPY(n, i, kw1, kw2)        ROW(n, H_COPY, 0, i, i + 1, kw1, kw2, 0, 0)
#define MOVE(n, i, kw1, kw2)        ROW(n, H_MOVE, 0, i, i + 1, kw1, kw2, 0, 0)
#define URL(n, i, kw)               ROW(n, H_URL, 0, i, -1, kw, NULL, F_NET, 0)
#define DL(n, i, d, kw1, kw2)       ROW(n, H_URL, 0, i, d, kw1, kw2, F_NET, 0)
#define HOSTPORT(n, i, kw1, kw2, f) ROW(n, H_HOSTPORT, 0, i, i + 1, kw1, kw2, F_NET | (f), 0)
#define PORTHOST(n, f)              ROW(n, H_PORTHOST, 0, 0, 1, NULL, NULL, F_NET | (f), 0)
#define ADDR(n, i, kw1, kw2, f)     ROW(n, H_ADDR, 0, i, -1, kw1, kw2, F_NET | (f), 0)
#define EVAL(n, i, kw, f)           ROW(n, H_EVAL, 0, i, -1, kw, NULL, f, 0)
#define DEC(n, xf)                  ROW(n, H_DECODE, 0, 0, -1, NULL, NULL, 0, xf)
#define PURE(n, xf)                 ROW(n, H_PURE, 0, 0, -1, NULL, NULL, 0, xf)
#define PUREKW(n, kw, xf)           ROW(n, H_PURE, 0, 0, -1, kw, NULL, 0, xf)
#define FLAG(n, f)                  ROW(n, H_FLAG, 0, -1, -1, NULL, NULL, f, 0)
#define IMPORT(n)                   ROW(n, H_IMPORT, 0, 0, -1, NULL, NULL, F_DYNAMIC, 0)
#define TABLE(t)                    t, sizeof(t) / sizeof(t[0])
/* The API row named name (len bytes), or NULL. */
const inl_api *inl_api_find(const inl_lang *L, const char *name, size_t len);

/* Bindings: names assigned in the text (open addressing in the arena). */
typedef struct inl_bind {
    pe_str name;
    inl_val val;
} inl_bind;

struct inl_ctx {
    pe_arena *a;
    const inl_lang *L;
    const char *s; /* the text being analysed */
    size_t len;
    inl_tok *t;
    size_t nt, tcap;
    unsigned depth;  /* eval level */
    size_t base_off; /* nested text: offset of its eval call in the top text */
    pe_inline_item *items;
    size_t nitems, icap;
    unsigned flags;
    const char *error;
    unsigned feat;  /* F_* seen */
    int shell_run;  /* an interactive shell was run */
    unsigned mark;  /* item flags for everything found now (code that was decoded) */
    int renamed;    /* the last call resolved a name (import, getattr) */
    int want_value; /* a call's result is used (a member of it follows) */
    int dyn_exec;   /* a non-literal exec was seen */
    pe_str decoded_code; /* the first decoded program evaluated, or empty */
    const inl_val *awk_src; /* awk: the last command read with | getline */
    inl_bind *binds;
    size_t nbinds, bcap;
    const char *stars[8]; /* modules imported with * (or include / library) */
    size_t nstars;
    size_t work, budget;
    unsigned nest;
    int nomem, stop;
};

/* inline.c */
void inl_limit(inl_ctx *c, unsigned flag);
int inl_work(inl_ctx *c, size_t n); /* 0, or -1 when the budget ran out */
void inl_parse_error(inl_ctx *c, const char *msg);
void *inl_alloc(inl_ctx *c, size_t n);
/* The same, not zeroed: for arrays whose elements are written before use. */
void *inl_alloc_raw(inl_ctx *c, size_t n);
void inl_add(inl_ctx *c, pe_inline_kind kind, const inl_val *v, const char *api, size_t off,
             unsigned flags);
/* Whether a command text starts with a shell or command interpreter. */
int inl_runs_shell(pe_str text);
void inl_add_connect(inl_ctx *c, const inl_val *host, const inl_val *port, const char *api,
                     size_t off);
void inl_eval_code(inl_ctx *c, const inl_val *code, size_t off);

/* inline_lex.c */
size_t inl_push(inl_ctx *c, int type, size_t start, size_t end, unsigned flags);
void inl_finish_tokens(inl_ctx *c);
int inl_is_ident_start(int ch);
int inl_is_ident(int ch);
void lex_python(inl_ctx *c);
void lex_js(inl_ctx *c);
void lex_lua(inl_ctx *c);
void lex_r(inl_ctx *c);
void lex_awk(inl_ctx *c);
void lex_applescript(inl_ctx *c);
/* inline_lexq.c */
void lex_perl(inl_ctx *c);
void lex_ruby(inl_ctx *c);
void lex_php(inl_ctx *c);
/* inline_ps.c */
void lex_powershell(inl_ctx *c);
/* The command starting at token i (TF_CMD_START): its effects. */
void inl_ps_command(inl_ctx *c, size_t i);
/* Its value (New-Object gives the object's type); returns its end. */
size_t inl_ps_value(inl_ctx *c, size_t i, size_t e, inl_val *v);
/* inline_awk.c: pipes, getline and print redirections at token i. */
void inl_awk_at(inl_ctx *c, size_t i, size_t e);

/* The lexer's shared state, for the tokenizer files. */
typedef struct inl_lexer {
    inl_ctx *c;
    const char *s;
    size_t n, i;
    int depth;               /* brackets open in this (embedded) code */
    unsigned space;          /* TF_SPACE for the next token */
    size_t skip_at, skip_to; /* here-doc bodies to jump over at a line end */
    char delim;              /* the closing delimiter of the string being read */
} inl_lexer;

void lx_init(inl_lexer *L, inl_ctx *c);
size_t lx_push(inl_lexer *L, int type, size_t start);
void lx_newline(inl_lexer *L);
int lx_punct(inl_lexer *L);
int lx_number(inl_lexer *L);
int lx_space(inl_lexer *L);
void lx_ident(inl_lexer *L, int (*more)(int ch));
/* Escapes understood by a string (lx_escape). */
enum {
    E_C = 1u << 0,      /* \a \b \f \n \r \t \v \\ \' \" */
    E_X2 = 1u << 1,     /* \xHH (1-2 digits) */
    E_XBRACE = 1u << 2, /* \x{H..} */
    E_U4 = 1u << 3,     /* \uHHHH */
    E_UBRACE = 1u << 4, /* \u{H..} */
    E_U8 = 1u << 5,     /* \UHHHHHHHH */
    E_OCT = 1u << 6,    /* \NNN octal (1-3) */
    E_LUADEC = 1u << 7, /* \ddd decimal */
    E_E = 1u << 8,      /* \e */
    E_KEEP = 1u << 9,   /* an unknown escape keeps its backslash */
    E_LINE = 1u << 10,  /* backslash-newline is removed */
    E_LUAZ = 1u << 11,  /* \z skips whitespace */
    E_SQ = 1u << 12     /* single quotes: only \\ and \<delimiter> (others kept) */
};
/* Decodes the escape at L->s[L->i] == '\\' into b; advances L->i. */
void lx_escape(inl_lexer *L, pe_abuf *b, unsigned esc);
/* Lexes code until an unbalanced closer (close) or the end; used for
 * interpolations. Returns 1 when the closer was found (and consumed). */
typedef void (*lx_step_fn)(inl_lexer *L);
int lx_embed(inl_lexer *L, char close, lx_step_fn step);
/* Runs step until the end of the text. */
void lx_run(inl_lexer *L, lx_step_fn step);
/* Tokenizes c's text with step. */
void lx_lex(inl_ctx *c, lx_step_fn step);
/* Newlines, whitespace and numbers; 1 when one was lexed. */
int lx_common(inl_lexer *L);
void lx_line_comment(inl_lexer *L);
/* A block comment from L->i (its opener is open_len bytes) to close; nested
 * when nest is set. */
void lx_block_comment(inl_lexer *L, size_t open_len, const char *open, const char *close, int nest);
/* An interpolation hook: at L->i, consumes an interpolation (appending
 * HOLE to b and its code as embedded tokens) and returns 1; returns 2 when
 * it consumed literal text (Python's {{), 0 when it consumed nothing. */
typedef int (*lx_interp_fn)(inl_lexer *L, pe_abuf *b);
/* A string whose body starts at body and ends with close; the token spans
 * from start. */
void lx_quoted(inl_lexer *L, size_t start, size_t body, const char *close, size_t close_len,
               unsigned esc, lx_interp_fn interp, int type);
/* A string without escapes (a backslash before the quote keeps both when
 * escapes_quote). */
void lx_raw(inl_lexer *L, size_t start, size_t body, const char *close, size_t close_len,
            int escapes_quote);
/* Sets the value of string token k from b (TF_DYN when holes). */
void lx_set_val(inl_lexer *L, size_t k, pe_abuf *b, int dyn);
/* Whether a '/' here starts a regex (the previous token is not an operand). */
int lx_regex_ok(inl_lexer *L);
/* Skips a regex literal /.../flags at L->i ('[...]' classes honoured). */
void lx_regex(inl_lexer *L, char close);

/* inline_eval.c */
inl_val inl_eval(inl_ctx *c, size_t b, size_t e);
int inl_literal(const inl_val *v); /* a V_STR/V_NUM with no hole */
pe_str inl_text(const inl_val *v); /* a string or number's text; "" otherwise */
int inl_argv_text(inl_ctx *c, const inl_val *list, size_t from, pe_str *out, int *dyn);
inl_val inl_str_val(inl_ctx *c, const char *s, size_t n, unsigned flags);
/* Appends v's text to b (a hole when unknown, a list's words joined by
 * spaces); returns the flags to carry. */
unsigned inl_put_val(pe_abuf *b, const inl_val *v);
/* A string value from b (VF_DYN and VF_DECODED kept from flags). */
inl_val inl_finish(inl_ctx *c, pe_abuf *b, unsigned flags);
inl_val inl_transform(inl_ctx *c, unsigned xf, const inl_val *recv, const inl_val *args,
                      size_t nargs);
/* Binds name to v; assigned again (update 0), it becomes VF_DYN | VF_MULTI. */
void inl_bind_set(inl_ctx *c, const char *name, size_t len, const inl_val *v, int update);
const inl_val *inl_bind_get(inl_ctx *c, const char *name, size_t len);
/* The end of the expression starting at b (a top-level ',' ';' or newline). */
size_t inl_expr_end(inl_ctx *c, size_t b, size_t e);
/* A literal primary at i (string, number, list, tuple, boolean) into *v;
 * returns the token after it, or i when there is none. */
size_t inl_primary(inl_ctx *c, size_t i, size_t e, inl_val *v);
/* The value of the string (or command) token i with its known
 * interpolations filled in; *end receives the token after its embeds. */
inl_val inl_str_token(inl_ctx *c, size_t i, size_t *end);

/* inline_call.c: names, chains, calls, the scanner */
#define NAME_MAX_LEN 255
#define ELEVATED     "with administrator privileges" /* AppleScript */

/* A dotted name being resolved. */
typedef struct inl_name {
    char s[NAME_MAX_LEN + 1];
    size_t n;
    int ok; /* the name means something (no dynamic part, no overflow) */
} inl_name;

static inline int inl_is_p(const inl_tok *t, const char *p)
{
    return t->type == T_PUNCT && t->text.s[0] == p[0] && t->text.len == strlen(p) &&
           memcmp(t->text.s, p, t->text.len) == 0;
}

static inline int inl_is_id(const inl_tok *t, const char *w)
{
    return t->type == T_IDENT && t->text.len && t->text.s[0] == w[0] && t->text.len == strlen(w) &&
           memcmp(t->text.s, w, t->text.len) == 0;
}

void inl_scan(inl_ctx *c, size_t b, size_t e);
/* Copies a name (lower-cased for case-insensitive languages, Perl's :: as .). */
void inl_name_set(const inl_ctx *c, inl_name *nm, const char *s, size_t n);
/* Appends "." and a member to a name. */
void inl_name_add(const inl_ctx *c, inl_name *nm, const char *s, size_t n);
int inl_is_name_tok(const inl_tok *t);

/* inline_effect.c: arguments and effects */
typedef struct inl_args { /* the arguments of one call: token ranges and keywords */
    size_t n;
    size_t *b, *e;
    pe_str *kw;
    size_t open, close; /* the brackets; open == close for a call without them */
} inl_args;

inl_val inl_none(void); /* unknown (VF_DYN) */
int inl_absent(const inl_val *v);
int inl_split_args(inl_ctx *c, size_t b, size_t e, inl_args *a);
/* The index of an argument by keyword (alts, "a|b") or position (-4: the
 * last positional one); SIZE_MAX when absent. */
size_t inl_arg_index(const inl_args *a, int pos, const char *alts);
/* The value of a key in an object or hash literal argument, or of a keyword. */
int inl_option(inl_ctx *c, const inl_args *a, const char *alts, inl_val *v);
/* An argument's value (-2: the receiver's first argument, -3: the receiver). */
inl_val inl_arg(inl_ctx *c, const inl_args *a, int pos, const char *alts, const inl_val *recv);
/* Records what api does with these arguments. */
void inl_effect(inl_ctx *c, const inl_api *api, const inl_args *a, const inl_val *recv, size_t off);

/* inline_stmt.c: imports and assignments */
int inl_stmt_start(const inl_ctx *c, size_t i);
size_t inl_py_import(inl_ctx *c, size_t i, size_t e);
size_t inl_js_import(inl_ctx *c, size_t i, size_t e);
void inl_add_star(inl_ctx *c, const char *s, size_t n);
void inl_assignment(inl_ctx *c, size_t i, size_t e);
/* Evaluates the call chain starting at token i into *v when it is a
 * known pure function or a module/object name; returns the token after
 * the chain, or i when there is no chain. */
size_t inl_chain_value(inl_ctx *c, size_t i, size_t e, inl_val *v);
size_t inl_skip(const inl_ctx *c, size_t i); /* past a bracket group or one token */

#endif
