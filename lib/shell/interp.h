/*
 * What cmd.c and wrappers.c share while one simple command is interpreted.
 * Never installed.
 */
#ifndef PE_SHELL_INTERP_H
#define PE_SHELL_INTERP_H

#include "shell/internal.h"

/* The command being interpreted. */
typedef struct sh_interp {
    sh_ctx *c;
    size_t idx;
    const pe_str *w;
    const unsigned *f;
    size_t n;
    size_t i; /* the command word */
    unsigned flags;
    unsigned depth;
    pe_shell_redir *redirs;
    size_t nredirs;
    pe_str *wrappers;
    size_t nwrappers;
    int xargs;    /* stripped an xargs: arguments also come from its input */
    pe_str chdir; /* env -C DIR, sudo -D DIR: where the command runs ("" when here) */
    unsigned chdir_flags;
    int shell;    /* the command is a wrapper starting a shell: sudo -s, doas -s */
    pe_str xrepl; /* xargs -I / -i replacement string ("" when none) */
    long script;  /* the word naming the script an interpreter runs, or -1 */
    int xdelim;   /* what separates xargs' input: 0 blanks (the default),
                     SH_XARGS_NUL (-0), or the -d character */
} sh_interp;

extern const char *const sh_none[];

int sh_has_letter(const char *set, char c);
pe_str sh_rest_of(pe_str w, size_t k);
/* Words from..to-1 joined by spaces, in the arena; their flags in *uf. */
pe_str sh_join_words(sh_interp *st, size_t from, size_t to, pe_str prefix, unsigned *uf);
/* Judges code given as a word (or words). */
void sh_judge_code(sh_interp *st, unsigned wflags);
/* code.c: analyses code given as text to the command's language
 * interpreter and records what it does (wflags: the code word's flags). */
void sh_inline_code(sh_interp *st, pe_str code, unsigned wflags);
/* code.c: interpreters whose options the runner table cannot read
 * (pwsh, awk, osascript, Rscript, bun -e, deno eval); 1 when it was one. */
int sh_run_foreign(sh_interp *st);
/* Analyses code run by the command (stdin_pipe: it reads the command's stdin). */
void sh_run_string(sh_interp *st, pe_str code, pe_shell_origin origin, int stdin_pipe);
/* Whether the command's stdin is another command's output. */
int sh_stdin_is_output(const sh_interp *st);

/* runners.c */
/* Analyses the program of an interpreter (sh, python, su ...) named by
 * the command word; 0 when the command is not one. */
int sh_run_interpreter(sh_interp *st);
/* The program of an interpreter that reads stdin (shell: as a script,
 * else in its language): here-doc, here-string, a file the line wrote,
 * or another command's output. */
void sh_stdin_program(sh_interp *st, int shell);
/* /dev/stdin, /dev/fd/0, /proc/self/fd/0. */
int sh_is_stdin_path(pe_str w);
/* The command whose output word j is, when the word is one substitution
 * ("$(x | y)", <(y)); else -1. */
long sh_word_sub_of(const sh_interp *st, size_t j);
/* Code that is another command's output the line makes known (sh -c
 * "$(echo ... | base64 -d)", bash <(cat a.sh)): analysed as such; 1 when
 * it was. */
int sh_run_known(sh_interp *st, long sub);

/* wrappers.c: strips wrappers from st->i on. */
void sh_strip_wrappers(sh_interp *st);
/* Whether the wrapper table is in strcmp order (it is searched by halves). */
int sh_wrappers_sorted(void);

#endif
