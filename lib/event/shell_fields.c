#include "event/shell_fields.h"

#include <string.h>

#include "event/paths.h"
#include "shell/packages.h"
#include "util/hash.h"
#include "shell/shell.h"
#include "prempti/common.h"

static int facts(pe_value *out, const pe_str *items, size_t n);

/* Most paths resolved per view: each may cost a walk through the file
 * system. Past it the rest count as unknown. */
#define MAX_RESOLVED_PATHS 512

/* Roles of the path list fields. */
static const struct {
    pe_field_id id;
    unsigned role;
} path_fields[] = {
    {PE_F_SHELL_PATHS, ~0u},
    {PE_F_SHELL_READ_PATHS, PE_SHELL_P_READ},
    {PE_F_SHELL_WRITE_PATHS, PE_SHELL_P_WRITE},
    {PE_F_SHELL_DELETE_PATHS, PE_SHELL_P_DELETE},
    {PE_F_SHELL_EXEC_PATHS, PE_SHELL_P_EXEC},
    {PE_F_SHELL_UPLOAD_PATHS, PE_SHELL_P_UPLOAD},
    {PE_F_SHELL_LISTED_PATHS, PE_SHELL_P_LIST},
};
#define NPATH_FIELDS (sizeof(path_fields) / sizeof(path_fields[0]))

/* The directory a path's cd left it in, resolved against the command's
 * own directory (tool.real_command_cwd, else agent.real_cwd). */
static int path_base(pe_build *b, const pe_view *v, pe_str cwd, pe_strbuf *out)
{
    const char *start = v->present[PE_F_TOOL_REAL_COMMAND_CWD]
                            ? v->v[PE_F_TOOL_REAL_COMMAND_CWD].str.s
                        : v->present[PE_F_AGENT_REAL_CWD] ? v->v[PE_F_AGENT_REAL_CWD].str.s
                                                          : "";
    if (!cwd.len) {
        pe_sb_reset(out);
        pe_sb_puts(out, start);
        return pe_sb_failed(out) ? -1 : 0;
    }
    pe_path_opts o = {b->lexical, b->home};
    return pe_path_resolve(out, cwd.s, cwd.len, start, &o);
}

/* The index of resolved path s among out[0..n) (a table of n slots of
 * index + 1, twice MAX_RESOLVED_PATHS), or n when it is new: then added. */
static size_t path_index(uint32_t *slots, const pe_str *out, size_t n, pe_str s)
{
    size_t mask = 2 * MAX_RESOLVED_PATHS - 1, k = (size_t)pe_hash_bytes(s.s, s.len) & mask;
    for (; slots[k]; k = (k + 1) & mask) {
        const pe_str *e = &out[slots[k] - 1];
        if (e->len == s.len && memcmp(e->s, s.s, s.len) == 0)
            return slots[k] - 1;
    }
    slots[k] = (uint32_t)n + 1;
    return n;
}

/* The resolved paths of a view, each once with its roles joined (the
 * same file can be reached as "~/x" and "$HOME/x"); then the list of each
 * role (absent when empty). */
static int resolve_paths(pe_build *b, pe_view *v, const pe_shell_result *r)
{
    size_t n = r->npaths < MAX_RESOLVED_PATHS ? r->npaths : MAX_RESOLVED_PATHS;
    int unknown = r->npaths > n;
    pe_str *all = pe_arena_alloc(&b->ev->arena, (n ? n : 1) * sizeof(pe_str));
    unsigned *roles = pe_arena_alloc(&b->ev->arena, (n ? n : 1) * sizeof(*roles));
    uint32_t *slots = pe_arena_alloc(&b->ev->arena, 2 * MAX_RESOLVED_PATHS * sizeof(*slots));
    if (!all || !roles || !slots)
        return -1;
    memset(slots, 0, 2 * MAX_RESOLVED_PATHS * sizeof(*slots));
    pe_strbuf base = PE_STRBUF_INIT, real = PE_STRBUF_INIT;
    pe_path_opts o = {b->lexical, b->home};
    size_t nall = 0;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const pe_shell_path *p = &r->paths[i];
        unknown |= (p->flags & PE_SHELL_P_UNKNOWN) != 0;
        if (!p->path.len)
            continue;
        rc = path_base(b, v, p->cwd, &base);
        if (!rc && p->path.len == 1 && p->path.s[0] == '-') {
            pe_sb_reset(&real); /* standard input sent (curl -T -): kept as "-" */
            pe_sb_putc(&real, '-');
            rc = pe_sb_failed(&real) ? -1 : 0;
        } else if (!rc) {
            rc = pe_path_resolve(&real, p->path.s, p->path.len, pe_sb_str(&base), &o);
        }
        if (rc)
            break;
        pe_str s = {pe_sb_str(&real), real.len};
        size_t k = path_index(slots, all, nall, s);
        if (k < nall) {
            roles[k] |= p->role;
            continue;
        }
        char *d = pe_arena_strndup(&b->ev->arena, s.s, s.len);
        if (!d) {
            rc = -1;
            break;
        }
        all[nall] = (pe_str){d, s.len};
        roles[nall++] = p->role;
    }
    pe_sb_free(&base);
    pe_sb_free(&real);
    if (rc)
        return -1;
    for (size_t f = 0; f < NPATH_FIELDS; f++) {
        pe_str *items = pe_arena_alloc(&b->ev->arena, (nall ? nall : 1) * sizeof(pe_str));
        size_t count = 0;
        if (!items)
            return -1;
        for (size_t i = 0; i < nall; i++)
            if (roles[i] & path_fields[f].role)
                items[count++] = all[i];
        if (!count)
            continue;
        v->v[path_fields[f].id].items = items;
        v->v[path_fields[f].id].nitems = count;
        v->present[path_fields[f].id] = 1;
    }
    v->rpaths = all;
    v->rroles = roles;
    v->nrpaths = nall;
    pe_build_set_num(v, PE_F_SHELL_UNKNOWN_PATHS, (uint64_t)unknown);
    return 0;
}

static int under(pe_str p, const char *dir, size_t n)
{
    return n && p.len >= n && memcmp(p.s, dir, n) == 0 && (p.len == n || p.s[n] == '/');
}

/* Directories for scratch files: what is there is nobody's project, unless
 * it is in the home directory (a home under /tmp holds dotfiles all the same). */
static int in_temp(pe_str p, const pe_view *v)
{
    static const char *const temp[] = {
        "/tmp", "/var/tmp", "/private/tmp", "/dev/shm", "/private/var/folders", NULL};
    const pe_str *home = &v->v[PE_F_AGENT_HOME].str;
    if (v->present[PE_F_AGENT_HOME] && home->len > 1 && under(p, home->s, home->len))
        return 0;
    for (const char *const *t = temp; *t; t++) {
        if (under(p, *t, strlen(*t)))
            return 1;
    }
    return 0;
}

/* The roles shell.outside_paths[role] names, with their path lists. */
static const struct {
    const char *name;
    unsigned role;
    pe_field_id paths;
} roles[] = {{"read", PE_SHELL_P_READ, PE_F_SHELL_READ_PATHS},
             {"write", PE_SHELL_P_WRITE, PE_F_SHELL_WRITE_PATHS},
             {"delete", PE_SHELL_P_DELETE, PE_F_SHELL_DELETE_PATHS},
             {"exec", PE_SHELL_P_EXEC, PE_F_SHELL_EXEC_PATHS},
             {"upload", PE_SHELL_P_UPLOAD, PE_F_SHELL_UPLOAD_PATHS},
             {"list", PE_SHELL_P_LIST, PE_F_SHELL_LISTED_PATHS}};
#define NROLES (sizeof(roles) / sizeof(roles[0]))

/* The index of a role's row; NROLES when the name is none. */
static size_t role_of(const char *name, size_t len)
{
    size_t i = 0;
    while (i < NROLES && !(strlen(roles[i].name) == len && memcmp(roles[i].name, name, len) == 0))
        i++;
    return i;
}

pe_field_id pe_shell_role_paths(const char *role, size_t len)
{
    if (!role)
        return PE_F_SHELL_PATHS;
    size_t i = role_of(role, len);
    return i < NROLES ? roles[i].paths : PE_F_COUNT;
}

/* shell.outside_paths[role]: the view's paths (of that role) that are
 * neither in the project (agent.real_cwd) nor in a temporary directory. */
static int outside_paths(pe_xctx *x, const char *arg, size_t arglen, pe_value *out)
{
    const pe_view *v = x->view;
    size_t r = arg ? role_of(arg, arglen) : NROLES;
    unsigned want = !arg ? ~0u : r < NROLES ? roles[r].role : 0;
    pe_str *items = pe_arena_alloc(x->scratch, (v->nrpaths ? v->nrpaths : 1) * sizeof(*items));
    if (!items)
        return PREMPTI_E_NOMEM;
    const pe_str *cwd = &v->v[PE_F_AGENT_REAL_CWD].str;
    const pe_str *pre = &v->v[PE_F_AGENT_REAL_CWD_PREFIX].str;
    int known = v->present[PE_F_AGENT_REAL_CWD] && cwd->len;
    size_t n = 0;
    for (size_t i = 0; i < v->nrpaths; i++) {
        pe_str p = v->rpaths[i];
        if (!(v->rroles[i] & want) || in_temp(p, v) || (p.len == 1 && p.s[0] == '-'))
            continue; /* "-": standard input */
        if (known && ((p.len == cwd->len && !memcmp(p.s, cwd->s, p.len)) ||
                      (p.len >= pre->len && !memcmp(p.s, pre->s, pre->len))))
            continue;
        items[n++] = p;
    }
    return facts(out, items, n);
}

/* Claude Code's PowerShell tool and Copilot CLI's powershell tool run
 * PowerShell, not sh. */
static int powershell_tool(const pe_str *name)
{
    return (name->len == 10 && memcmp(name->s, "PowerShell", 10) == 0) ||
           (name->len == 10 && memcmp(name->s, "powershell", 10) == 0);
}

/* The command as the shell command that would run it: pwsh -Command
 * 'CODE', so that the analysis reads it as PowerShell. */
static int as_pwsh(pe_arena *a, pe_str *cmd)
{
    static const char pre[] = "pwsh -NoProfile -Command '";
    size_t n = sizeof(pre) - 1 + 4 * cmd->len + 2;
    char *t = pe_arena_alloc_raw(a, n), *o = t;
    if (!t)
        return -1;
    memcpy(o, pre, sizeof(pre) - 1);
    o += sizeof(pre) - 1;
    for (size_t i = 0; i < cmd->len; i++) {
        if (cmd->s[i] == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = cmd->s[i];
        }
    }
    *o++ = '\'';
    *o = '\0';
    cmd->s = t;
    cmd->len = (size_t)(o - t);
    return 0;
}

int pe_shell_view(pe_build *b, pe_view *v)
{
    const pe_str *kind = &v->v[PE_F_TOOL_KIND].str, *acts = &v->v[PE_F_MCP_ACTS_AS].str;
    int shell = (kind->len == 5 && !memcmp(kind->s, "shell", 5)) ||
                (v->present[PE_F_MCP_ACTS_AS] && acts->len == 5 && !memcmp(acts->s, "shell", 5));
    if (!v->present[PE_F_TOOL_INPUT_COMMAND] || !shell)
        return PREMPTI_OK;
    pe_str cmd = v->v[PE_F_TOOL_INPUT_COMMAND].str;
    if (powershell_tool(&v->v[PE_F_TOOL_NAME].str) && as_pwsh(&b->ev->arena, &cmd))
        return pe_build_oom(b);
    pe_shell_result *r = NULL;
    pe_shell_env env = {b->home};
    int rc = pe_shell_analyze_env(&r, cmd.s, cmd.len, &env, &b->ev->arena);
    if (rc < 0)
        return rc == PREMPTI_E_NOMEM ? pe_build_oom(b) : rc;
    v->shell = r;
    if (r->flags & PE_SHELL_LIMIT)
        b->ev->incomplete = 1;
    return resolve_paths(b, v, r) ? pe_build_oom(b) : PREMPTI_OK;
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

/* A fact list: absent when empty, so that `exists` asks for any. */
static int facts(pe_value *out, const pe_str *items, size_t n)
{
    return n ? list(out, items, n) : 0;
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
    case PE_F_SHELL_OUTSIDE_PATHS:
        return outside_paths(x, arg, arglen, out);
    case PE_F_SHELL_SUBCOMMANDS:
        return facts(out, r->subcommands, r->nsubcommands);
    case PE_F_SHELL_URLS:
        return facts(out, r->urls, r->nurls);
    case PE_F_SHELL_HOSTS:
        return facts(out, r->hosts, r->nhosts);
    case PE_F_SHELL_ENV:
        return facts(out, r->env, r->nenv);
    case PE_F_SHELL_LANGUAGES:
        return facts(out, r->languages, r->nlanguages);
    case PE_F_SHELL_DECODED:
        return facts(out, r->decoded, r->ndecoded);
    case PE_F_SHELL_REVERSE_SHELL:
        return flag(out, r, PE_SHELL_REVERSE_SHELL);
    case PE_F_SHELL_LISTENS:
        return flag(out, r, PE_SHELL_LISTEN);
    case PE_F_SHELL_UPLOADS:
        return flag(out, r, PE_SHELL_UPLOAD);
    case PE_F_SHELL_DNS_EXFIL:
        return flag(out, r, PE_SHELL_DNS_EXFIL);
    case PE_F_SHELL_REMOTE:
        return flag(out, r, PE_SHELL_ELSEWHERE);
    case PE_F_SHELL_RUNS_DOWNLOAD:
        return flag(out, r, PE_SHELL_RUNS_DOWNLOAD);
    case PE_F_SHELL_INVOKES:
        if (!arg)
            return 0;
        out->num = (uint64_t)pe_shell_invokes(r, arg, arglen);
        return 1;
    default:
        return 0;
    }
}

int pe_packages_field(pe_xctx *x, pe_field_id id, pe_value *out)
{
    const pe_shell_result *r = x->view->shell;
    const pe_str *items;
    size_t n;
    if (!r)
        return 0;
    if (id == PE_F_SHELL_PACKAGES) {
        if (pe_packages_of(r, x->scratch, &items, &n))
            return PREMPTI_E_NOMEM;
    } else {
        pe_value pkgs;
        int rc = pe_extract(x, PE_F_SHELL_PACKAGES, NULL, 0, &pkgs);
        if (rc <= 0)
            return rc;
        if (pe_packages_lookalikes(pkgs.items, pkgs.nitems, x->scratch, &items, &n))
            return PREMPTI_E_NOMEM;
    }
    out->items = items;
    out->nitems = n;
    return n > 0;
}
