/*
 * Command knowledge: what a parsed simple command executes.
 *
 * Leading assignments are skipped and wrappers (sudo, env, timeout 5,
 * xargs, ...) stripped with their own options, so the command's name is
 * the program that runs. Then the code the command runs is found: the
 * string of sh -c / eval / su -c / watch / env -S, a here-doc or
 * here-string fed to a shell, find -exec's command - each analysed as a
 * nested script - or, for an interpreter reading its program from stdin,
 * whether that program is another command's output (x | sh, sh <(x));
 * interpreters and their options are in runners.c.
 */
#include <string.h>

#include "shell/carriers.h"
#include "shell/interp.h"

const char *const sh_none[] = {NULL};

int sh_in_list(const char *const *list, const char *s, size_t len)
{
    pe_str w = {s, len};
    for (; *list; list++)
        if (sh_eq(w, *list)) /* stops at the first difference */
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

/* Runs words as a command; with the redirections of command `from` when
 * it is not SIZE_MAX. */
static void run_words(sh_ctx *c, const pe_str *w, const unsigned *f, size_t n, unsigned depth,
                      pe_shell_origin origin, unsigned scope, long src, size_t from)
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
    if (from != SIZE_MAX) {
        k.redirs = c->cmds[from].redirs;
        k.nredirs = c->cmds[from].nredirs;
        k.pub.redirs = c->cmds[from].pub.redirs;
        k.pub.nredirs = c->cmds[from].pub.nredirs;
    }
    if (sh_push_cmd(c, &k) == 0)
        sh_interpret(c, c->ncmds - 1);
}

void sh_run_words(sh_ctx *c, const pe_str *w, const unsigned *f, size_t n, unsigned depth,
                  pe_shell_origin origin, unsigned scope, long src)
{
    run_words(c, w, f, n, depth, origin, scope, src, SIZE_MAX);
}

void sh_run_words_of(sh_ctx *c, const pe_str *w, const unsigned *f, size_t n, unsigned depth,
                     pe_shell_origin origin, unsigned scope, size_t from)
{
    run_words(c, w, f, n, depth, origin, scope, c->cmds[from].src, from);
}

static void run_eval(sh_interp *st)
{
    if (st->i + 1 >= st->n)
        return;
    if (st->i + 2 == st->n && sh_run_known(st, sh_word_sub_of(st, st->i + 1)))
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
        sh_run_known(st, sh_word_sub_of(st, j)); /* . <(...) */
    } else if (sh_is_stdin_path(st->w[j])) {
        sh_stdin_program(st, 1);
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
    sh_stdin_program(st, 1);
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
    if (sh_run_interpreter(st))
        return;
    if (sh_run_foreign(st))
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
    c->cmds[idx].run_scope = c->cmds[idx].scope; /* heredocs may have moved c->cmds */
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
        sh_stdin_program(&st, 1);
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
