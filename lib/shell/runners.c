/*
 * Interpreters (runners.c): shells, language interpreters and su, their
 * options, and where their program comes from - code in an argument, a
 * script, a here-doc, a pipe, a substitution the line makes known.
 */
#include <string.h>

#include "shell/carriers.h"
#include "shell/interp.h"

int sh_is_stdin_path(pe_str w)
{
    return sh_eq(w, "/dev/stdin") || sh_eq(w, "/dev/fd/0") || sh_eq(w, "/proc/self/fd/0");
}

/* The command's stdin redirection (the last one on fd 0), or NULL. */
static const pe_shell_redir *stdin_redir(const sh_interp *st)
{
    const pe_shell_redir *in = NULL;
    for (size_t k = 0; k < st->nredirs; k++) {
        const pe_shell_redir *r = &st->redirs[k];
        if ((r->fd == -1 || r->fd == 0) && r->op.s[0] == '<')
            in = r;
    }
    return in;
}

static int is_file_input(const pe_shell_redir *in)
{
    return sh_eq(in->op, "<") || sh_eq(in->op, "<>");
}

/* Whether the command's stdin is another command's output: a pipe (not
 * replaced by a redirection) or a process substitution. */
int sh_stdin_is_output(const sh_interp *st)
{
    const pe_shell_redir *in = stdin_redir(st);
    if (!in || (is_file_input(in) && sh_is_stdin_path(in->target)))
        return (st->flags & PE_SHELL_C_STDIN_PIPE) != 0;
    return is_file_input(in) && (in->flags & PE_SHELL_W_PROCSUB);
}

/* The command whose output word j is, when the word is one substitution
 * ("$(x | y)", <(y)); else -1. */
long sh_word_sub_of(const sh_interp *st, size_t j)
{
    const long *ws = st->c->cmds[st->idx].wsub;
    return ws && j < st->n ? ws[j] : -1;
}

/* Code that is another command's output the line makes known (sh -c
 * "$(echo ... | base64 -d)", bash <(cat a.sh)): analysed as such; 1 when
 * it was. */
int sh_run_known(sh_interp *st, long sub)
{
    pe_str code;
    int decoded;
    if (sub < 0 || !sh_known_output(st->c, sub, &code, &decoded))
        return 0;
    st->flags |= PE_SHELL_C_RUNS_OUTPUT | PE_SHELL_C_CODE;
    sh_run_program(st->c, st->idx, st->w[st->i], &st->flags, code, decoded, PE_SHELL_STRING);
    return 1;
}

/* ---- interpreters and other code runners ------------------------------ */

enum { RK_SHELL, RK_LANG, RK_SU };

typedef struct runner {
    const char *name;
    unsigned char kind;
    unsigned char versioned;  /* python3.12, perl5.36, lua5.4 */
    unsigned char c_operand;  /* -c makes the first operand the code (POSIX shells) */
    const char *code_short;   /* letters whose argument is the code */
    const char *arg_short;    /* letters taking an argument */
    const char *optarg_short; /* letters taking the rest of the cluster */
    const char *digit_short;  /* letters taking attached digits (perl -l0) */
    const char *file_short;   /* letters naming the program to run (python -m) */
    const char *const *code_long;
    const char *const *arg_long;
} runner;

static const char *const sh_arg_long[] = {"rcfile", "init-file", NULL};
static const char *const fish_code_long[] = {"command", NULL};
static const char *const fish_arg_long[] = {"init-command", NULL};
static const char *const node_code_long[] = {"eval", "print", NULL};
static const char *const node_arg_long[] = {
    "require", "import", "loader", "experimental-loader", "input-type", "env-file", "title", NULL};
static const char *const su_code_long[] = {"command", "session-command", NULL};
static const char *const su_arg_long[] = {"shell", "group", "supp-group", "whitelist-environment",
                                          NULL};
static const char *const script_arg_long[] = {"echo",       "log-in",         "log-out", "log-io",
                                              "log-timing", "logging-format", NULL};

#define SHELL(n)                                                                                   \
    {                                                                                              \
        n, RK_SHELL, 0, 1, "", "oO", "", "", "", sh_none, sh_arg_long                              \
    }
static const runner runners[] = {
    SHELL("sh"),
    SHELL("bash"),
    SHELL("dash"),
    SHELL("zsh"),
    SHELL("ksh"),
    SHELL("mksh"),
    SHELL("ash"),
    SHELL("yash"),
    SHELL("posh"),
    SHELL("rbash"),
    SHELL("csh"),
    SHELL("tcsh"),
    {"fish", RK_SHELL, 0, 0, "c", "C", "", "", "", fish_code_long, fish_arg_long},
    {"python", RK_LANG, 1, 0, "c", "WX", "", "", "m", sh_none, sh_none},
    {"pypy", RK_LANG, 1, 0, "c", "WX", "", "", "m", sh_none, sh_none},
    {"perl", RK_LANG, 1, 0, "eE", "", "iIMmxdD", "l0", "", sh_none, sh_none},
    {"ruby", RK_LANG, 1, 0, "e", "rICE", "xF", "WT0", "", sh_none, sh_none},
    {"node", RK_LANG, 0, 0, "ep", "r", "", "", "", node_code_long, node_arg_long},
    {"nodejs", RK_LANG, 0, 0, "ep", "r", "", "", "", node_code_long, node_arg_long},
    {"php", RK_LANG, 1, 0, "rBRE", "dcztS", "", "", "fF", sh_none, sh_none},
    {"lua", RK_LANG, 1, 0, "e", "l", "", "", "", sh_none, sh_none},
    {"luajit", RK_LANG, 0, 0, "e", "l", "", "", "", sh_none, sh_none},
    {"su", RK_SU, 0, 0, "c", "sgGw", "", "", "", su_code_long, su_arg_long},
    {"runuser", RK_SU, 0, 0, "c", "sgGwu", "", "", "", su_code_long, su_arg_long},
    {"script", RK_SU, 0, 0, "c", "EIOBTm", "t", "", "", fish_code_long, script_arg_long},
};

static int name_matches(const runner *r, const char *base, size_t len)
{
    if (!len || r->name[0] != base[0])
        return 0;
    size_t n = strlen(r->name);
    if (len < n || memcmp(base, r->name, n) != 0)
        return 0;
    if (len == n)
        return 1;
    if (!r->versioned)
        return 0;
    for (size_t k = n; k < len; k++)
        if (!((base[k] >= '0' && base[k] <= '9') || base[k] == '.'))
            return 0;
    return 1;
}

static const runner *find_runner(const char *base, size_t len)
{
    for (size_t k = 0; k < sizeof(runners) / sizeof(runners[0]); k++)
        if (name_matches(&runners[k], base, len))
            return &runners[k];
    return NULL;
}

int pe_shell_is_interpreter(const char *base, size_t len)
{
    const runner *r = find_runner(base, len);
    return r && r->kind != RK_SU;
}

/* Where a runner's program comes from, found from its arguments. */
typedef struct program {
    int code; /* code given: word code_word */
    size_t code_word;
    pe_str code_text; /* the code (may be part of a word: -cCODE) */
    int c_flag;       /* sh -c seen */
    int stdin_flag;   /* sh -s, python - */
    int file;         /* a script file or module, or an option missing its code: not stdin */
    int module;       /* python -m MODULE: code_word names the module */
    size_t operand;   /* the first operand, or n */
} program;

/* A -cluster of a runner at word j. Returns extra words taken, or -1 when
 * the cluster settled the program (code or module). */
static long runner_short(sh_interp *st, const runner *r, size_t j, program *pg)
{
    pe_str w = st->w[j];
    for (size_t k = 1; k < w.len; k++) {
        char ch = w.s[k];
        int last = k + 1 == w.len, next = last && j + 1 < st->n;
        if (r->c_operand && ch == 'c') {
            pg->c_flag = 1;
        } else if (r->kind == RK_SHELL && ch == 's') {
            pg->stdin_flag = 1;
        } else if (sh_has_letter(r->code_short, ch) || sh_has_letter(r->file_short, ch)) {
            int code = sh_has_letter(r->code_short, ch);
            pg->code = code;
            pg->file = !code;
            pg->module = ch == 'm' && r->kind == RK_LANG && !code;
            pg->code_word = next ? j + 1 : j;
            pg->code_text = next ? st->w[j + 1] : sh_rest_of(w, k + 1);
            if (last && !next) { /* no argument: nothing runs */
                pg->code = 0;
                pg->file = 1;
            }
            return -1;
        } else if (sh_has_letter(r->arg_short, ch)) {
            return next ? 1 : 0;
        } else if (sh_has_letter(r->optarg_short, ch)) {
            return 0;
        } else if (sh_has_letter(r->digit_short, ch)) {
            while (k + 1 < w.len && w.s[k + 1] >= '0' && w.s[k + 1] <= '9')
                k++;
        }
    }
    return 0;
}

/* A --long option of a runner at word j; like runner_short. */
static long runner_long(sh_interp *st, const runner *r, size_t j, program *pg)
{
    pe_str w = st->w[j];
    const char *eq = memchr(w.s, '=', w.len);
    size_t nlen = (eq ? (size_t)(eq - w.s) : w.len) - 2;
    if (sh_in_list(r->code_long, w.s + 2, nlen)) {
        if (!eq && j + 1 >= st->n) { /* no argument: nothing runs */
            pg->file = 1;
            return -1;
        }
        pg->code = 1;
        pg->code_word = eq ? j : j + 1;
        pg->code_text = eq ? sh_rest_of(w, (size_t)(eq - w.s) + 1) : st->w[j + 1];
        return -1;
    }
    return !eq && sh_in_list(r->arg_long, w.s + 2, nlen) && j + 1 < st->n ? 1 : 0;
}

static void find_program(sh_interp *st, const runner *r, program *pg)
{
    pg->operand = st->n;
    int opts_done = 0;
    for (size_t j = st->i + 1; j < st->n; j++) {
        pe_str w = st->w[j];
        int dash = w.len > 1 && w.s[0] == '-';
        int plus = r->kind == RK_SHELL && w.len > 1 && w.s[0] == '+';
        if (!opts_done && sh_eq(w, "--")) {
            opts_done = 1;
            continue;
        }
        if (opts_done || (!dash && !plus)) {
            if (!opts_done && sh_eq(w, "-") && r->kind == RK_SHELL) {
                opts_done = 1; /* sh - : the end of the options */
                continue;
            }
            if (r->kind == RK_SU)
                continue; /* su user -c cmd: options may follow operands */
            if (r->c_operand && pg->c_flag) {
                pg->code = 1;
                pg->code_word = j;
                pg->code_text = w;
            } else {
                pg->operand = j;
            }
            return;
        }
        long extra = plus            ? (memchr(w.s, 'o', w.len) || memchr(w.s, 'O', w.len))
                     : w.s[1] == '-' ? runner_long(st, r, j, pg)
                                     : runner_short(st, r, j, pg);
        if (extra < 0)
            return;
        j += (size_t)extra;
    }
}

/* The program of an interpreter that reads stdin: here-doc, here-string,
 * a redirected file or process substitution, or the pipe. */
void sh_stdin_program(sh_interp *st, int shell)
{
    const pe_shell_redir *in = stdin_redir(st);
    const sh_cmd *k = &st->c->cmds[st->idx];
    long sub = in ? k->redirs[in - st->redirs].sub : -1;
    pe_str content;
    int decoded;
    if (sh_stdin_is_output(st)) {
        st->flags |= PE_SHELL_C_RUNS_OUTPUT;
        if (in && (in->flags & PE_SHELL_W_PROCSUB)) /* sh < <(x) */
            sh_run_known(st, sub);
    } else if (!in) {
        return; /* a terminal: interactive */
    } else if (sh_eq(in->op, "<<") || sh_eq(in->op, "<<-")) {
        sh_judge_code(st, in->body_flags);
        if (shell)
            sh_run_string(st, in->body, PE_SHELL_HEREDOC, 0);
        else
            sh_inline_code(st, in->body, in->body_flags);
    } else if (sh_eq(in->op, "<<<")) {
        if (sh_run_known(st, sub)) /* sh <<< "$(echo ... | base64 -d)" */
            return;
        sh_judge_code(st, in->flags);
        if (shell)
            sh_run_string(st, in->target, PE_SHELL_HEREDOC, 0);
        else
            sh_inline_code(st, in->target, in->flags);
    } else if (in->flags & PE_SHELL_W_EXPANDS) {
        st->flags |= PE_SHELL_C_DYNAMIC;
    } else if (sh_written_content(st->c, st->idx, in->target, in->flags, &content, &decoded)) {
        /* sh < a.sh, a script the line wrote */
        st->flags |= PE_SHELL_C_CODE;
        sh_run_program(st->c, st->idx, st->w[st->i], &st->flags, content, decoded, PE_SHELL_FILE);
    }
}

/* Code that xargs fills in from its input: sh -c with no string, or a
 * string holding the -I replacement. */
static int code_from_xargs(const sh_interp *st, const program *pg)
{
    if (!st->xargs)
        return 0;
    if (!pg->code)
        return pg->c_flag;
    if (!st->xrepl.len)
        return 0;
    pe_str t = pg->code_text, x = st->xrepl;
    if (x.len > 64) /* keeps the search linear; a long replacement is assumed present */
        return 1;
    for (size_t k = 0; k + x.len <= t.len; k++)
        if (memcmp(t.s + k, x.s, x.len) == 0)
            return 1;
    return 0;
}

/* perl -n/-p/-i and ruby -n/-p loop over the lines of their file operands
 * (-i edits them in place): the words after the code are files read. */
static void line_loop_files(sh_interp *st, const program *pg)
{
    pe_str b = sh_basename(st->w[st->i]);
    if (!sh_eq(b, "perl") && !sh_eq(b, "ruby"))
        return;
    int loop = 0, edit = 0;
    for (size_t j = st->i + 1; j < pg->code_word; j++) {
        pe_str w = st->w[j];
        if (w.len < 2 || w.s[0] != '-' || w.s[1] == '-')
            continue;
        for (size_t k = 1; k < w.len && w.s[k] != 'e' && w.s[k] != 'E'; k++) {
            loop |= w.s[k] == 'n' || w.s[k] == 'p';
            edit |= w.s[k] == 'i';
        }
    }
    if (!loop && !edit)
        return;
    unsigned role = PE_SHELL_P_READ | (edit ? PE_SHELL_P_WRITE : 0);
    for (size_t j = pg->code_word + 1; j < st->n; j++)
        if (st->w[j].len && st->w[j].s[0] != '-')
            sh_path_add(st->c, st->c->cmds[st->idx].scope, st->w[j], st->f[j], role);
}

static void run_runner(sh_interp *st, const runner *r)
{
    program pg;
    memset(&pg, 0, sizeof(pg));
    find_program(st, r, &pg);
    int shell = r->kind != RK_LANG;
    if (r->kind != RK_SU)
        st->flags |= PE_SHELL_C_INTERPRETER;
    if (code_from_xargs(st, &pg)) {
        st->flags |= PE_SHELL_C_CODE | (st->flags & PE_SHELL_C_STDIN_PIPE ? PE_SHELL_C_RUNS_OUTPUT
                                                                          : PE_SHELL_C_DYNAMIC);
    }
    if (pg.code && pg.code_text.s == st->w[pg.code_word].s &&
        sh_run_known(st, sh_word_sub_of(st, pg.code_word))) {
        line_loop_files(st, &pg); /* sh -c "$(...)": what it runs is known */
        return;
    }
    if (pg.code) {
        sh_judge_code(st, st->f[pg.code_word]);
        if (shell)
            sh_run_string(st, pg.code_text, PE_SHELL_STRING, !st->xargs && sh_stdin_is_output(st));
        else
            sh_inline_code(st, pg.code_text, st->f[pg.code_word]);
        line_loop_files(st, &pg);
        return;
    }
    if (pg.module && pg.code_word > st->i && pg.code_word < st->n && pg.code_text.len) {
        /* python -m pip install x runs pip: the module stands for its command
         * (-mpip: the module is the rest of the cluster) */
        size_t n = st->n - pg.code_word;
        pe_str *w = sh_alloc(st->c, n * sizeof(*w));
        unsigned *f = sh_alloc(st->c, n * sizeof(*f));
        if (!w || !f)
            return;
        memcpy(w, st->w + pg.code_word, n * sizeof(*w));
        memcpy(f, st->f + pg.code_word, n * sizeof(*f));
        w[0] = pg.code_text;
        sh_run_words(st->c, w, f, n, st->depth + 1, PE_SHELL_EXEC, st->c->cmds[st->idx].scope, -1);
        return;
    }
    if (pg.file || pg.c_flag)
        return;
    if (r->kind == RK_SU) { /* a shell, which reads commands from stdin */
        st->flags |= PE_SHELL_C_INTERPRETER;
        sh_stdin_program(st, 1);
        return;
    }
    if (pg.operand < st->n && !pg.stdin_flag) {
        pe_str w = st->w[pg.operand];
        if (st->f[pg.operand] & PE_SHELL_W_PROCSUB) {
            st->flags |= PE_SHELL_C_RUNS_OUTPUT;
            sh_run_known(st, sh_word_sub_of(st, pg.operand)); /* bash <(...) */
        } else if (sh_is_stdin_path(w) || sh_eq(w, "-")) {
            sh_stdin_program(st, shell);
        } else {
            st->script = (long)pg.operand;
        }
        return;
    }
    if (!st->xargs || pg.stdin_flag)
        sh_stdin_program(st, shell);
}

int sh_run_interpreter(sh_interp *st)
{
    pe_str base = sh_basename(st->w[st->i]);
    const runner *r = find_runner(base.s, base.len);
    if (r)
        run_runner(st, r);
    return r != NULL;
}
