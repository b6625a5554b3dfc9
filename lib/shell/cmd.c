/*
 * Command knowledge: what a parsed simple command executes.
 *
 * Leading assignments are skipped and wrappers (sudo, env, timeout 5,
 * xargs, ...) stripped with their own options, so the command's name is
 * the program that runs. Then the code the command runs is found: the
 * string of sh -c / eval / su -c / watch / env -S, a here-doc or
 * here-string fed to a shell, find -exec's command - each analysed as a
 * nested script - or, for an interpreter reading its program from stdin,
 * whether that program is another command's output (x | sh, sh <(x)).
 */
#include <string.h>

#include "shell/carriers.h"
#include "shell/interp.h"

const char *const sh_none[] = {NULL};

int sh_in_list(const char *const *list, const char *s, size_t len)
{
    for (; *list; list++)
        if (strlen(*list) == len && memcmp(*list, s, len) == 0)
            return 1;
    return 0;
}

int sh_has_letter(const char *set, char c)
{
    return c && strchr(set, c) != NULL;
}

pe_str sh_basename(pe_str w)
{
    size_t k = w.len;
    while (k > 0 && w.s[k - 1] != '/')
        k--;
    pe_str b = {w.s + k, w.len - k};
    return b;
}

pe_str sh_rest_of(pe_str w, size_t k)
{
    pe_str r = {w.s + k, w.len - k};
    return r;
}

static int is_stdin_path(pe_str w)
{
    return sh_eq(w, "/dev/stdin") || sh_eq(w, "/dev/fd/0") || sh_eq(w, "/proc/self/fd/0");
}

/* Words from..to-1 joined by spaces, in the arena; their flags in *uf. */
pe_str sh_join_words(sh_interp *st, size_t from, size_t to, pe_str prefix, unsigned *uf)
{
    size_t len = prefix.len;
    for (size_t k = from; k < to; k++)
        len += st->w[k].len + 1;
    pe_str r = {"", 0};
    char *d = sh_alloc(st->c, len + 1);
    if (!d)
        return r;
    memcpy(d, prefix.s, prefix.len);
    r.len = prefix.len;
    for (size_t k = from; k < to; k++) {
        if (r.len)
            d[r.len++] = ' ';
        memcpy(d + r.len, st->w[k].s, st->w[k].len);
        r.len += st->w[k].len;
        *uf |= st->f[k];
    }
    d[r.len] = '\0';
    r.s = d;
    return r;
}

/* Judges code given as a word (or words): a program made of another
 * command's output, or of values unknown until run. */
void sh_judge_code(sh_interp *st, unsigned wflags)
{
    st->flags |= PE_SHELL_C_CODE;
    if (wflags & (PE_SHELL_W_CMDSUB | PE_SHELL_W_PROCSUB))
        st->flags |= PE_SHELL_C_RUNS_OUTPUT | PE_SHELL_C_DYNAMIC;
    else if (wflags & (PE_SHELL_W_PARAM | PE_SHELL_W_ARITH))
        st->flags |= PE_SHELL_C_DYNAMIC;
}

void sh_run_code(sh_ctx *c, pe_str code, unsigned depth, pe_shell_origin origin, unsigned scope,
                 int stdin_pipe)
{
    if (!code.len)
        return;
    unsigned saved = c->cur_scope;
    c->cur_scope = scope;
    sh_analyze_text(c, code.s, code.len, depth + 1, origin, SH_SCRIPT, stdin_pipe);
    c->cur_scope = saved;
}

/* Analyses code run by the command; stdin_pipe: it reads the command's
 * stdin, which is another command's output. */
void sh_run_string(sh_interp *st, pe_str code, pe_shell_origin origin, int stdin_pipe)
{
    sh_run_code(st->c, code, st->depth, origin, st->c->cmds[st->idx].run_scope, stdin_pipe);
}

void sh_run_words(sh_ctx *c, const pe_str *w, const unsigned *f, size_t n, unsigned depth,
                  pe_shell_origin origin, unsigned scope, long src)
{
    if (depth > PE_SHELL_MAX_DEPTH) {
        sh_limit(c, PE_SHELL_LIMIT_DEPTH);
        return;
    }
    sh_cmd k;
    memset(&k, 0, sizeof(k));
    k.pub.words = w;
    k.pub.wordf = f;
    k.pub.nwords = n;
    k.pub.depth = depth;
    k.pub.origin = origin;
    k.pub.flags = src >= 0 ? PE_SHELL_C_STDIN_PIPE : 0;
    k.scope = scope;
    k.src = src;
    if (sh_push_cmd(c, &k) == 0)
        sh_interpret(c, c->ncmds - 1);
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
    if (!in || (is_file_input(in) && is_stdin_path(in->target)))
        return (st->flags & PE_SHELL_C_STDIN_PIPE) != 0;
    return is_file_input(in) && (in->flags & PE_SHELL_W_PROCSUB);
}

/* The command whose output word j is, when the word is one substitution
 * ("$(x | y)", <(y)); else -1. */
static long word_sub(const sh_interp *st, size_t j)
{
    const long *ws = st->c->cmds[st->idx].wsub;
    return ws && j < st->n ? ws[j] : -1;
}

/* Code that is another command's output the line makes known (sh -c
 * "$(echo ... | base64 -d)", bash <(cat a.sh)): analysed as such; 1 when
 * it was. */
static int run_known(sh_interp *st, long sub)
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
static void stdin_program(sh_interp *st, int shell)
{
    const pe_shell_redir *in = stdin_redir(st);
    const sh_cmd *k = &st->c->cmds[st->idx];
    long sub = in ? k->redirs[in - st->redirs].sub : -1;
    pe_str content;
    int decoded;
    if (sh_stdin_is_output(st)) {
        st->flags |= PE_SHELL_C_RUNS_OUTPUT;
        if (in && (in->flags & PE_SHELL_W_PROCSUB)) /* sh < <(x) */
            run_known(st, sub);
    } else if (!in) {
        return; /* a terminal: interactive */
    } else if (sh_eq(in->op, "<<") || sh_eq(in->op, "<<-")) {
        sh_judge_code(st, in->body_flags);
        if (shell)
            sh_run_string(st, in->body, PE_SHELL_HEREDOC, 0);
        else
            sh_inline_code(st, in->body, in->body_flags);
    } else if (sh_eq(in->op, "<<<")) {
        if (run_known(st, sub)) /* sh <<< "$(echo ... | base64 -d)" */
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
        run_known(st, word_sub(st, pg.code_word))) {
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
        stdin_program(st, 1);
        return;
    }
    if (pg.operand < st->n && !pg.stdin_flag) {
        pe_str w = st->w[pg.operand];
        if (st->f[pg.operand] & PE_SHELL_W_PROCSUB) {
            st->flags |= PE_SHELL_C_RUNS_OUTPUT;
            run_known(st, word_sub(st, pg.operand)); /* bash <(...) */
        } else if (is_stdin_path(w) || sh_eq(w, "-")) {
            stdin_program(st, shell);
        } else {
            st->script = (long)pg.operand;
        }
        return;
    }
    if (!st->xargs || pg.stdin_flag)
        stdin_program(st, shell);
}

static void run_eval(sh_interp *st)
{
    if (st->i + 1 >= st->n)
        return;
    if (st->i + 2 == st->n && run_known(st, word_sub(st, st->i + 1)))
        return; /* eval "$(...)" */
    unsigned uf = 0;
    pe_str none_prefix = {"", 0};
    pe_str code = sh_join_words(st, st->i + 1, st->n, none_prefix, &uf);
    sh_judge_code(st, uf);
    sh_run_string(st, code, PE_SHELL_STRING, sh_stdin_is_output(st));
}

static void run_source(sh_interp *st)
{
    size_t j = st->i + 1;
    if (j < st->n && sh_eq(st->w[j], "--"))
        j++;
    st->flags |= PE_SHELL_C_INTERPRETER;
    if (j >= st->n)
        return;
    if (st->f[j] & PE_SHELL_W_PROCSUB) {
        st->flags |= PE_SHELL_C_RUNS_OUTPUT;
        run_known(st, word_sub(st, j)); /* . <(...) */
    } else if (is_stdin_path(st->w[j])) {
        stdin_program(st, 1);
    } else {
        if (st->f[j] & PE_SHELL_W_EXPANDS)
            st->flags |= PE_SHELL_C_DYNAMIC;
        st->script = (long)j;
    }
}

/* find ... -exec cmd args ; (or {} +): each is a nested command. */
static void run_find(sh_interp *st)
{
    static const char *const execs[] = {"-exec", "-execdir", "-ok", "-okdir", NULL};
    for (size_t j = st->i + 1; j < st->n; j++) {
        if (!sh_in_list(execs, st->w[j].s, st->w[j].len))
            continue;
        size_t from = j + 1, end = from;
        while (end < st->n && !sh_eq(st->w[end], ";") &&
               !(sh_eq(st->w[end], "+") && end > from && sh_eq(st->w[end - 1], "{}")))
            end++;
        if (end > from) {
            const sh_cmd *self = &st->c->cmds[st->idx];
            long src = sh_stdin_is_output(st) ? (self->src >= 0 ? self->src : (long)st->idx) : -1;
            /* {} stands for what find finds */
            pe_str *w = sh_alloc(st->c, (end - from) * sizeof(*w));
            unsigned *f = sh_alloc(st->c, (end - from) * sizeof(*f));
            if (!w || !f)
                return;
            int partial;
            unsigned ff;
            pe_str found =
                sh_find_found(st->c, st->w + st->i, st->f + st->i, st->n - st->i, &partial, &ff);
            for (size_t k = from; k < end; k++) {
                int cur = sh_eq(st->w[k], "{}");
                w[k - from] = cur ? found : st->w[k];
                f[k - from] = cur ? ff : st->f[k];
            }
            sh_run_words(st->c, w, f, end - from, st->depth + 1, PE_SHELL_EXEC, self->scope, src);
            if (st->c->stop)
                return;
        }
        j = end;
    }
}

/* at and batch run a job later, with sh: the commands of -f FILE, else
 * what they read (at -l, -r, -d, -c only look at jobs). */
static void run_at(sh_interp *st)
{
    for (size_t j = st->i + 1; j < st->n; j++) {
        pe_str w = st->w[j];
        if (w.len < 2 || w.s[0] != '-' || sh_eq(w, "--"))
            break;
        for (size_t k = 1; k < w.len; k++) {
            if (strchr("lrdc", w.s[k]))
                return;
            if (!strchr("qft", w.s[k]))
                continue;
            pe_str v = k + 1 < w.len ? sh_rest_of(w, k + 1) : j + 1 < st->n ? st->w[++j] : w;
            if (w.s[k] == 'f' && v.s != w.s) { /* the job's file */
                pe_str content;
                int decoded;
                unsigned vf = st->f[j];
                sh_path_add(st->c, st->c->cmds[st->idx].scope, v, vf,
                            PE_SHELL_P_EXEC | PE_SHELL_P_READ);
                if (sh_written_content(st->c, st->idx, v, vf, &content, &decoded))
                    sh_run_program(st->c, st->idx, (pe_str){"sh", 2}, &st->flags, content, decoded,
                                   PE_SHELL_FILE);
                return;
            }
            break;
        }
    }
    st->flags |= PE_SHELL_C_INTERPRETER;
    stdin_program(st, 1);
}

/* trap 'code' SIGNAL...: the code runs when a signal arrives. */
static void run_trap(sh_interp *st)
{
    size_t j = st->i + 1;
    if (j < st->n && sh_eq(st->w[j], "--"))
        j++;
    /* trap -l, trap -p, trap - SIG and trap SIG run nothing */
    if (j + 1 >= st->n || (st->w[j].len && st->w[j].s[0] == '-' && !sh_eq(st->w[j], "--")))
        return;
    sh_judge_code(st, st->f[j]);
    sh_run_string(st, st->w[j], PE_SHELL_STRING, 0);
}

static void run_command(sh_interp *st)
{
    pe_str base = sh_basename(st->w[st->i]);
    const runner *r = find_runner(base.s, base.len);
    if (r)
        run_runner(st, r);
    else if (sh_run_foreign(st))
        return;
    else if (sh_eq(base, "eval"))
        run_eval(st);
    else if (sh_eq(base, "source") || sh_eq(base, "."))
        run_source(st);
    else if (sh_eq(base, "find"))
        run_find(st);
    else if (sh_eq(base, "trap"))
        run_trap(st);
    else if (sh_eq(base, "at") || sh_eq(base, "batch"))
        run_at(st);
}

/* ---- one command ------------------------------------------------------- */

/* Copies the parsed redirections into their published form, here-doc
 * bodies included (they are read by now). */
static void publish_redirs(sh_interp *st, sh_cmd *k)
{
    pe_shell_redir *rd = k->nredirs ? sh_alloc(st->c, k->nredirs * sizeof(*rd)) : NULL;
    if (!rd)
        return;
    for (size_t j = 0; j < k->nredirs; j++) {
        rd[j] = k->redirs[j].pub;
        if (k->redirs[j].hd)
            rd[j].body = k->redirs[j].hd->body;
    }
    k->pub.redirs = st->redirs = rd;
    k->pub.nredirs = st->nredirs = k->nredirs;
}

/* A name, or a flag, that cannot be read without running the command. */
static void judge_words(sh_interp *st)
{
    if (st->f[st->i] & PE_SHELL_W_UNKNOWN_NAME)
        st->flags |= PE_SHELL_C_DYNAMIC;
    for (size_t j = st->i + 1; j < st->n && !sh_eq(st->w[j], "--"); j++)
        if (st->w[j].len && st->w[j].s[0] == '-' && (st->f[j] & PE_SHELL_W_EXPANDS))
            st->flags |= PE_SHELL_C_DYNAMIC;
}

/* xargs -I R with input not known: a word R is what xargs reads (what
 * find selects, or "$(xargs input)"), not a file or host named R. */
static void xargs_placeholder(sh_interp *st)
{
    pe_str r = st->xrepl;
    size_t j = st->i;
    while (j < st->n && !(st->w[j].len == r.len && r.len && !memcmp(st->w[j].s, r.s, r.len)))
        j++;
    if (j >= st->n)
        return;
    pe_str *w = sh_alloc(st->c, st->n * sizeof(*w));
    unsigned *f = sh_alloc(st->c, st->n * sizeof(*f));
    if (!w || !f)
        return;
    pe_str in = {SH_XARGS_INPUT, sizeof(SH_XARGS_INPUT) - 1};
    unsigned inf = PE_SHELL_W_CMDSUB;
    sh_xargs_source(st->c, st->idx, &in, &inf); /* find | xargs: what find selects */
    for (j = 0; j < st->n; j++) {
        int input = j > st->i && st->w[j].len == r.len && !memcmp(st->w[j].s, r.s, r.len);
        w[j] = input ? in : st->w[j];
        f[j] = input ? inf : st->f[j];
    }
    sh_cmd *k = &st->c->cmds[st->idx];
    k->pub.words = st->w = w;
    k->pub.wordf = st->f = f;
}

/* NAME=value words before the command are in its environment: the code
 * it runs sees them (X=rm bash -c '$X -rf /'), its own words do not. */
static void given_variables(sh_interp *st)
{
    sh_ctx *c = st->c;
    unsigned scope = c->cmds[st->idx].scope, env = scope;
    for (size_t j = 0; j < st->i && j < st->n; j++) {
        if (!(st->f[j] & PE_SHELL_W_ASSIGN))
            continue;
        if (env == scope && (env = sh_scope_new(c, scope)) == scope)
            return;
        sh_assign(c, env, st->w[j], st->f[j]);
    }
    c->cmds[st->idx].run_scope = env;
}

/* Unquoted here-doc bodies are expanded by the shell: their command
 * substitutions run whatever reads the body (before it is read). */
static void expand_heredocs(sh_interp *st)
{
    for (size_t j = 0; j < st->nredirs; j++) {
        pe_shell_redir *r = &st->redirs[j];
        int heredoc = sh_eq(r->op, "<<") || sh_eq(r->op, "<<-");
        if (heredoc && !(r->flags & PE_SHELL_W_QUOTED) && r->body.len)
            r->body_flags = sh_analyze_text(st->c, r->body.s, r->body.len, st->depth,
                                            PE_SHELL_CMDSUB, SH_SUBST, sh_stdin_is_output(st));
    }
}

void sh_interpret(sh_ctx *c, size_t idx)
{
    sh_cmd *k = &c->cmds[idx];
    if (k->done)
        return;
    k->done = 1;
    sh_interp st;
    memset(&st, 0, sizeof(st));
    st.c = c;
    st.idx = idx;
    st.w = k->pub.words;
    st.f = k->pub.wordf;
    st.n = k->pub.nwords;
    st.flags = k->pub.flags;
    st.depth = k->pub.depth;
    st.script = -1;
    unsigned saved_scope = c->cur_scope;
    c->cur_scope = k->scope;
    publish_redirs(&st, k);
    expand_heredocs(&st);
    while (st.i < st.n && (st.f[st.i] & PE_SHELL_W_ASSIGN))
        st.i++;
    k->run_scope = k->scope;
    sh_strip_wrappers(&st);
    if (st.i < st.n)
        given_variables(&st);
    if (st.xargs && st.i < st.n && !(st.f[st.i] & PE_SHELL_W_UNKNOWN_NAME)) {
        int ran =
            sh_xargs_known(c, idx, st.w + st.i, st.f + st.i, st.n - st.i, st.xrepl, st.xdelim, 0);
        if (ran) /* what runs is the command rebuilt */
            st.flags |= PE_SHELL_C_RESOLVED | (ran == 2 ? PE_SHELL_C_RUNS_OUTPUT : 0);
        else
            xargs_placeholder(&st);
    }
    if (st.flags & PE_SHELL_C_RESOLVED) {
        /* nothing more to interpret */
    } else if (st.shell) {
        st.flags |= PE_SHELL_C_INTERPRETER;
        stdin_program(&st, 1);
    } else if (st.i < st.n) {
        judge_words(&st);
        if (!(st.f[st.i] & PE_SHELL_W_UNKNOWN_NAME))
            run_command(&st);
    }
    k = &c->cmds[idx]; /* nested commands may have moved the array */
    if (st.i < st.n) {
        k->pub.name = st.w[st.i];
        /* an unknown name is not split: its '/' may come from an expansion */
        k->pub.base = st.f[st.i] & PE_SHELL_W_UNKNOWN_NAME ? st.w[st.i] : sh_basename(st.w[st.i]);
        k->pub.argv = st.w + st.i;
        k->pub.argf = st.f + st.i;
        k->pub.argc = st.n - st.i;
    } else {
        k->pub.name.s = k->pub.base.s = "";
    }
    k->pub.wrappers = st.wrappers;
    k->pub.nwrappers = st.nwrappers;
    k->script = st.script > (long)st.i ? st.script - (long)st.i : -1;
    k->pub.flags = st.flags;
    k->chdir = st.chdir;
    k->chdir_flags = st.chdir_flags;
    /* words made of variables of known value: the command they stand for */
    int resolved = (k->pub.flags & PE_SHELL_C_RESOLVED) != 0;
    if (!resolved && !c->stop && k->pub.argc && k->pub.origin != PE_SHELL_EXPANDED)
        resolved = sh_scope_resolve(c, idx);
    if (!c->stop) { /* cd > f: f is opened before the directory changes */
        sh_facts(c, idx);
        if (resolved != 1)
            sh_scope_update(c, idx);
    }
    c->cur_scope = saved_scope;
}
