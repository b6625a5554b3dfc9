#include "event/shell_fields.h"

#include <string.h>

#include "shell/shell.h"
#include "prempti/common.h"

int pe_shell_view(pe_build *b, pe_view *v)
{
    const pe_str *kind = &v->v[PE_F_TOOL_KIND].str;
    if (!v->present[PE_F_TOOL_INPUT_COMMAND] || kind->len != 5 || memcmp(kind->s, "shell", 5))
        return PREMPTI_OK;
    const pe_str *cmd = &v->v[PE_F_TOOL_INPUT_COMMAND].str;
    pe_shell_result *r = NULL;
    int rc = pe_shell_analyze(&r, cmd->s, cmd->len, &b->ev->arena);
    if (rc < 0)
        return rc == PREMPTI_E_NOMEM ? pe_build_oom(b) : rc;
    v->shell = r;
    if (r->flags & PE_SHELL_LIMIT)
        b->ev->incomplete = 1;
    return PREMPTI_OK;
}

int pe_shell_runs_apply_patch(const pe_view *v)
{
    const pe_shell_result *r = v->shell;
    for (size_t i = 0; r && i < r->ncommands; i++)
        if ((r->commands[i].len == 11 && memcmp(r->commands[i].s, "apply_patch", 11) == 0) ||
            (r->commands[i].len == 10 && memcmp(r->commands[i].s, "applypatch", 10) == 0))
            return 1;
    return 0;
}

static int list(pe_value *out, const pe_str *items, size_t n)
{
    out->items = items;
    out->nitems = n;
    return 1;
}

static int flag(pe_value *out, const pe_shell_result *r, unsigned bit)
{
    out->num = (r->flags & bit) != 0;
    return 1;
}

int pe_shell_field(pe_xctx *x, pe_field_id id, const char *arg, size_t arglen, pe_value *out)
{
    const pe_shell_result *r = x->view->shell;
    if (!r)
        return 0;
    switch (id) {
    case PE_F_SHELL_COMMANDS:
        return list(out, r->commands, r->ncommands);
    case PE_F_SHELL_WRAPPERS:
        return list(out, r->wrappers, r->nwrappers);
    case PE_F_SHELL_REDIRECT_TARGETS:
        return list(out, r->targets, r->ntargets);
    case PE_F_SHELL_WRITE_TARGETS:
        return list(out, r->writes, r->nwrites);
    case PE_F_SHELL_NORMALIZED:
        out->str = r->text;
        return 1;
    case PE_F_SHELL_PIPE_TO_INTERPRETER:
        return flag(out, r, PE_SHELL_PIPE_TO_INTERP);
    case PE_F_SHELL_DYNAMIC:
        return flag(out, r, PE_SHELL_DYNAMIC);
    case PE_F_SHELL_PARSE_ERROR:
        return flag(out, r, PE_SHELL_PARSE_ERROR);
    case PE_F_SHELL_LIMIT:
        return flag(out, r, PE_SHELL_LIMIT);
    case PE_F_SHELL_COMMAND_COUNT: {
        uint64_t n = 0;
        for (size_t i = 0; i < r->ncmds; i++)
            n += r->cmds[i].argc > 0;
        out->num = n;
        return 1;
    }
    case PE_F_SHELL_FLAGS: {
        const pe_str *items;
        size_t n;
        if (!arg)
            return 0;
        if (pe_shell_flags(r, arg, arglen, x->scratch, &items, &n) < 0)
            return PREMPTI_E_NOMEM;
        return list(out, items, n);
    }
    case PE_F_SHELL_INVOKES:
        if (!arg)
            return 0;
        out->num = (uint64_t)pe_shell_invokes(r, arg, arglen);
        return 1;
    default:
        return 0;
    }
}
