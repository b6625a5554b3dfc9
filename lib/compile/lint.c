/*
 * Hints for rule authors (libprempti's own warnings, beyond Falco's): a
 * comparison with a value an enumerated field never takes (tool.kind =
 * shel, agent.name = claude), a field argument that selects nothing
 * (shell.outside_paths[writes]), a regex pattern wrapped in quotes that
 * the pattern itself must then match. Each names the nearest valid value.
 */
#include <string.h>

#include "compile/diag.h"
#include "prempti/error.h"
#include "util/near.h"

#define NEVER "LOAD_NEVER_MATCHES"
#define ODD   "LOAD_SUSPICIOUS_LITERAL"

static const struct {
    pe_field_id field;
    const char *const *values;
} enums[] = {
    {PE_F_TOOL_KIND, (const char *const[]){"shell", "read", "write", "edit", "patch", "search",
                                           "web", "mcp", "agent", "other", NULL}},
    {PE_F_MCP_ACTS_AS,
     (const char *const[]){"shell", "read", "write", "edit", "search", "web", NULL}},
    {PE_F_AGENT_NAME,
     (const char *const[]){"claude_code", "codex", "copilot", "gemini", "cursor", NULL}},
    {PE_F_AGENT_DIALECT, (const char *const[]){"claude_code", "codex", "copilot_camel",
                                               "copilot_vscode", "gemini", "cursor", NULL}},
    {PE_F_TOOL_PATCH_OP, (const char *const[]){"Add", "Update", "Delete", "Move", NULL}},
};

static const char *const outside_roles[] = {"read",   "write", "delete", "exec",
                                            "upload", "list",  NULL};

static int in_list(const char *const *l, const char *s, size_t len)
{
    for (; *l; l++)
        if (strlen(*l) == len && memcmp(*l, s, len) == 0)
            return 1;
    return 0;
}

static const char *nearest(const char *const *l, const char *s, size_t len)
{
    const char *best = NULL;
    unsigned d = 0;
    for (; *l; l++)
        pe_near_consider(s, len, *l, &best, &d);
    return best;
}

void pe_lint_operand(pe_compile_ctx *c, const pe_ast_node *n, const pe_operand *o, uint32_t pos)
{
    if (o->kind != PE_OPD_FIELD || o->field != PE_F_SHELL_OUTSIDE_PATHS || !o->arg.off)
        return;
    pe_str arg = pe_rstr_str(c->region->base, o->arg);
    if (in_list(outside_roles, arg.s, arg.len))
        return;
    const char *near = nearest(outside_roles, arg.s, arg.len);
    pe_compile_report(c, PREMPTI_SEVERITY_WARNING, NEVER, n->src, pos,
                      "shell.outside_paths[%.*s] never has a value: the roles are read, write, "
                      "delete, exec, upload and list%s%s%s",
                      (int)arg.len, arg.s, near ? " (did you mean " : "", near ? near : "",
                      near ? "?)" : "");
}

void pe_lint_values(pe_compile_ctx *c, const pe_ast_node *n, const pe_check *k,
                    const pe_ast_lit *lits, size_t nlits)
{
    for (size_t i = 0; n->op == PE_OP_REGEX && i < nlits; i++) {
        const pe_ast_lit *v = &lits[i];
        if (v->len >= 2 && (v->s[0] == '"' || v->s[0] == '\'') && v->s[v->len - 1] == v->s[0])
            pe_compile_report(c, PREMPTI_SEVERITY_WARNING, ODD, n->src, v->pos,
                              "regex pattern %.*s starts and ends with a quote, which the value "
                              "must then hold; write the pattern without them",
                              (int)v->len, v->s);
    }
    if (k->lhs.kind != PE_OPD_FIELD ||
        !(n->op == PE_OP_EQ || n->op == PE_OP_NE || n->op == PE_OP_IN || n->op == PE_OP_INTERSECTS))
        return;
    for (size_t e = 0; e < sizeof(enums) / sizeof(enums[0]); e++) {
        if (enums[e].field != k->lhs.field)
            continue;
        for (size_t i = 0; i < nlits; i++) {
            if (in_list(enums[e].values, lits[i].s, lits[i].len))
                continue;
            const char *near = nearest(enums[e].values, lits[i].s, lits[i].len);
            pe_compile_report(c, PREMPTI_SEVERITY_WARNING, NEVER, n->src, lits[i].pos,
                              "%s is never '%.*s'%s%s%s", pe_field(enums[e].field)->name,
                              (int)lits[i].len, lits[i].s, near ? " (did you mean " : "",
                              near ? near : "", near ? "?)" : "");
        }
    }
}
