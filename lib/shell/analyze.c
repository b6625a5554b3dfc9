/*
 * Shell analysis: the entry point, the per-text driver and the limits.
 *
 * A text (the command, or a nested script: a -c string, a backquoted
 * command, a here-doc body) is parsed into simple commands; then each is
 * interpreted (cmd.c), which may analyse further texts one level
 * deeper. Command substitutions are parsed in place on the same text.
 */
#include <string.h>

#include "prempti/common.h"
#include "shell/internal.h"

int sh_work(sh_ctx *c, size_t n)
{
    c->work += n;
    if (c->work <= c->work_max)
        return 0;
    sh_limit(c, PE_SHELL_LIMIT_WORK);
    return -1;
}

void sh_parse_error(sh_ctx *c, const char *msg)
{
    if (c->stop) /* unwinding produces no new facts */
        return;
    c->flags |= PE_SHELL_PARSE_ERROR;
    if (!c->error)
        c->error = msg;
}

void sh_limit(sh_ctx *c, unsigned which)
{
    c->flags |= PE_SHELL_LIMIT | PE_SHELL_DYNAMIC | which;
    c->stop = 1;
}

int sh_enter(sh_ctx *c)
{
    if (c->stop)
        return 0;
    if (c->nest >= PE_SHELL_MAX_NEST) {
        sh_limit(c, PE_SHELL_LIMIT_DEPTH);
        return 0;
    }
    c->nest++;
    return 1;
}

void sh_leave(sh_ctx *c)
{
    c->nest--;
}

void sh_nomem(sh_ctx *c)
{
    c->nomem = 1;
    c->stop = 1;
}

/* Counts size against the memory budget; 0, or -1 (a limit) past it. Once
 * the analysis has stopped, what remains - interpreting what was recorded,
 * the summaries - is bounded by what was recorded, and always allowed. */
static int take_memory(sh_ctx *c, size_t size)
{
    c->mem += size;
    if (c->stop || c->mem <= c->mem_max)
        return 0;
    sh_limit(c, PE_SHELL_LIMIT_MEMORY);
    return -1;
}

void *sh_alloc(sh_ctx *c, size_t size)
{
    if (c->nomem || take_memory(c, size))
        return NULL;
    void *p = pe_arena_alloc(c->arena, size);
    if (!p)
        sh_nomem(c);
    return p;
}

char *sh_strndup(sh_ctx *c, const char *s, size_t len)
{
    if (c->nomem || take_memory(c, len + 1))
        return NULL;
    char *p = pe_arena_strndup(c->arena, s, len);
    if (!p)
        sh_nomem(c);
    return p;
}

int sh_grow(sh_ctx *c, void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 4;
    while (ncap < need) {
        if (ncap > ((size_t)-1) / 2 / elem) {
            sh_nomem(c);
            return -1;
        }
        ncap *= 2;
    }
    void *p = sh_alloc(c, ncap * elem);
    if (!p)
        return -1;
    if (*cap)
        memcpy(p, *arr, *cap * elem);
    *arr = p;
    *cap = ncap;
    return 0;
}

int sh_push_cmd(sh_ctx *c, const sh_cmd *cmd)
{
    size_t words = cmd->pub.nwords + cmd->nredirs; /* a redirection counts as a word */
    if (c->ncmds >= PE_SHELL_MAX_COMMANDS || c->nwords + words > PE_SHELL_MAX_WORDS) {
        sh_limit(c, PE_SHELL_LIMIT_COUNT);
        return -1;
    }
    if (sh_grow(c, (void **)&c->cmds, &c->cap, c->ncmds + 1, sizeof(*c->cmds)))
        return -1;
    c->cmds[c->ncmds++] = *cmd;
    c->nwords += words;
    return 0;
}

/* A for loop's variable takes its words (or, without "in", the positional
 * parameters: not known). */
static void bind_loop(sh_ctx *c, const sh_loop *l)
{
    if (l->given)
        sh_bind_list(c, l->scope, l->name, l->w, l->f, l->n);
    else
        sh_bind_set(c, l->scope, l->name, l->name, 0);
}

unsigned sh_analyze_text(sh_ctx *c, const char *s, size_t len, unsigned depth,
                         pe_shell_origin origin, sh_mode mode, int stdin_pipe)
{
    c->text_out = -1;
    if (depth > PE_SHELL_MAX_DEPTH) {
        sh_limit(c, PE_SHELL_LIMIT_DEPTH);
        return 0;
    }
    if (!sh_enter(c))
        return 0;
    sh_lexer lx;
    sh_lex_init(&lx, c, s, len);
    lx.stdin_pipe = stdin_pipe;
    unsigned flags = 0;
    size_t first = c->ncmds, loop = c->nloops;
    /* a nested text runs in a shell of its own (a subshell, sh -c) */
    unsigned saved = c->cur_scope;
    if (depth > 0)
        c->cur_scope = sh_scope_new(c, saved);
    if (lx.tb && mode == SH_SCRIPT)
        sh_parse_script(&lx, depth, origin, stdin_pipe);
    else if (lx.tb)
        flags = sh_lex_subst_text(&lx, depth);
    size_t end = c->ncmds, loops = c->nloops;
    long out = mode == SH_SCRIPT ? c->text_out : -1;
    /* Even past a limit: what was parsed is still reported, by name. */
    for (size_t i = first; i < end && !c->nomem; i++) {
        for (; loop < loops && c->loops[loop].at <= i && !c->stop; loop++)
            bind_loop(c, &c->loops[loop]);
        sh_interpret(c, i);
    }
    c->cur_scope = saved;
    sh_leave(c);
    c->text_out = out;
    return flags;
}

/* The published commands; the result's flags from theirs. */
static int publish(sh_ctx *c, pe_shell_result *r)
{
    pe_shell_cmd *cmds = c->ncmds ? sh_alloc(c, c->ncmds * sizeof(*cmds)) : NULL;
    if (c->ncmds && !cmds)
        return -1;
    for (size_t i = 0; i < c->ncmds; i++) {
        cmds[i] = c->cmds[i].pub;
        if ((cmds[i].flags & PE_SHELL_C_DYNAMIC) && !(cmds[i].flags & PE_SHELL_C_RESOLVED))
            c->flags |= PE_SHELL_DYNAMIC;
        if (cmds[i].flags & PE_SHELL_C_RUNS_OUTPUT)
            c->flags |= PE_SHELL_PIPE_TO_INTERP;
    }
    r->cmds = cmds;
    r->ncmds = c->ncmds;
    r->flags = c->flags;
    r->error = c->error;
    return 0;
}

int pe_shell_analyze(pe_shell_result **out, const char *cmd, size_t len, pe_arena *arena)
{
    return pe_shell_analyze_env(out, cmd, len, NULL, arena);
}

int pe_shell_analyze_env(pe_shell_result **out, const char *cmd, size_t len,
                         const pe_shell_env *env, pe_arena *arena)
{
    if (!out || !arena || (!cmd && len))
        return PREMPTI_E_INVALID_ARG;
    *out = NULL;
    sh_ctx c;
    memset(&c, 0, sizeof(c));
    c.arena = arena;
    c.env = env;
    c.facts_of = -1;
    if (len > PE_SHELL_MAX_INPUT) { /* analyse what fits; the rest is a limit */
        len = PE_SHELL_MAX_INPUT;
        c.flags |= PE_SHELL_LIMIT | PE_SHELL_LIMIT_WORK | PE_SHELL_DYNAMIC;
    }
    c.work_max = PE_SHELL_WORK(len);
    c.mem_max = PE_SHELL_MEMORY(len);
    sh_scope_new(&c, 0); /* scope 0: the command line's shell */
    sh_analyze_text(&c, cmd ? cmd : "", len, 0, PE_SHELL_TOP, SH_SCRIPT, 0);
    c.mem_max = (size_t)-1; /* the result is made of what was recorded: bounded */
    pe_shell_result *r = sh_alloc(&c, sizeof(*r));
    if (c.nomem || publish(&c, r) || sh_summarize(&c, r) || c.nomem)
        return PREMPTI_E_NOMEM;
    *out = r;
    return PREMPTI_OK;
}
