/*
 * PowerShell commands (the tokenizer is inline_ps.c): a cmdlet table with
 * the parameters that name files, URLs and hosts, aliases, and native
 * commands (anything that is not a known cmdlet or alias and has no
 * Verb-Noun dash) reported as RUN with their arguments quoted for sh.
 */
#include <string.h>

#include "prempti/common.h"
#include "shell/inline_internal.h"

/* ---- commands ----------------------------------------------------------------------------------
 */

enum {
    PS_IGNORE,  /* a cmdlet that runs, reads, writes nothing of interest */
    PS_IEX,     /* Invoke-Expression: PowerShell code */
    PS_START,   /* Start-Process: FilePath, ArgumentList, -Verb RunAs */
    PS_READ,    /* p0 is read */
    PS_WRITE,   /* p0 is written */
    PS_DELETE,  /* p0 is deleted */
    PS_COPY,    /* p0 read, p1 written */
    PS_MOVE,    /* p0 deleted, p1 written */
    PS_WEB,     /* p0 a URL, out written */
    PS_NEWOBJ,  /* New-Object TypeName ArgumentList */
    PS_CONNECT, /* p0 a host, -Port */
    PS_DYNAMIC, /* compiles or loads code (Add-Type) */
    PS_NATIVE   /* not a cmdlet: a native command */
};

typedef struct ps_cmdlet {
    const char *name; /* lower case; aliases point at the cmdlet's row by action */
    unsigned char kind;
    const char *p0, *p1; /* parameter names of the first two positions ("a|b") */
    const char *out;     /* a parameter naming a file written */
} ps_cmdlet;

static const ps_cmdlet cmdlets[] = {
    {"%", PS_IGNORE, NULL, NULL, NULL},
    {"?", PS_IGNORE, NULL, NULL, NULL},
    {"ac", PS_WRITE, "path", "value", NULL},
    {"add-content", PS_WRITE, "path|literalpath", "value", NULL},
    {"add-type", PS_DYNAMIC, "typedefinition", NULL, "outputassembly"},
    {"cd", PS_IGNORE, NULL, NULL, NULL},
    {"chdir", PS_IGNORE, NULL, NULL, NULL},
    {"clc", PS_WRITE, "path", NULL, NULL},
    {"clear-content", PS_WRITE, "path|literalpath", NULL, NULL},
    {"copy", PS_COPY, "path|literalpath", "destination", NULL},
    {"copy-item", PS_COPY, "path|literalpath", "destination", NULL},
    {"cpi", PS_COPY, "path|literalpath", "destination", NULL},
    {"del", PS_DELETE, "path|literalpath", NULL, NULL},
    {"dir", PS_IGNORE, NULL, NULL, NULL},
    {"echo", PS_IGNORE, NULL, NULL, NULL},
    {"foreach", PS_IGNORE, NULL, NULL, NULL},
    {"group", PS_IGNORE, NULL, NULL, NULL},
    {"epcsv", PS_WRITE, "path|literalpath", NULL, NULL},
    {"erase", PS_DELETE, "path|literalpath", NULL, NULL},
    {"export-clixml", PS_WRITE, "path|literalpath", NULL, NULL},
    {"export-csv", PS_WRITE, "path|literalpath", NULL, NULL},
    {"gc", PS_READ, "path|literalpath", NULL, NULL},
    {"gci", PS_IGNORE, NULL, NULL, NULL},
    {"get-content", PS_READ, "path|literalpath", NULL, NULL},
    {"icm", PS_READ, NULL, NULL, "filepath"},
    {"iex", PS_IEX, "command", NULL, NULL},
    {"import-clixml", PS_READ, "path|literalpath", NULL, NULL},
    {"import-csv", PS_READ, "path|literalpath", NULL, NULL},
    {"invoke-command", PS_READ, NULL, NULL, "filepath"},
    {"invoke-expression", PS_IEX, "command", NULL, NULL},
    {"invoke-restmethod", PS_WEB, "uri", NULL, "outfile"},
    {"invoke-webrequest", PS_WEB, "uri", NULL, "outfile"},
    {"ipcsv", PS_READ, "path|literalpath", NULL, NULL},
    {"irm", PS_WEB, "uri", NULL, "outfile"},
    {"iwr", PS_WEB, "uri", NULL, "outfile"},
    {"mi", PS_MOVE, "path|literalpath", "destination", NULL},
    {"move", PS_MOVE, "path|literalpath", "destination", NULL},
    {"move-item", PS_MOVE, "path|literalpath", "destination", NULL},
    {"new-item", PS_WRITE, "path", NULL, NULL},
    {"new-object", PS_NEWOBJ, "typename", "argumentlist|args", NULL},
    {"ni", PS_WRITE, "path", NULL, NULL},
    {"out-file", PS_WRITE, "filepath|path|literalpath", NULL, NULL},
    {"measure", PS_IGNORE, NULL, NULL, NULL},
    {"pwd", PS_IGNORE, NULL, NULL, NULL},
    {"rd", PS_DELETE, "path|literalpath", NULL, NULL},
    {"remove-item", PS_DELETE, "path|literalpath", NULL, NULL},
    {"ren", PS_MOVE, "path|literalpath", "newname", NULL},
    {"rename-item", PS_MOVE, "path|literalpath", "newname", NULL},
    {"ri", PS_DELETE, "path|literalpath", NULL, NULL},
    {"rni", PS_MOVE, "path|literalpath", "newname", NULL},
    {"saps", PS_START, "filepath", "argumentlist|args", NULL},
    {"select", PS_IGNORE, NULL, NULL, NULL},
    {"sc", PS_WRITE, "path|literalpath", "value", NULL},
    {"select-string", PS_READ, NULL, NULL, "path|literalpath"},
    {"set-content", PS_WRITE, "path|literalpath", "value", NULL},
    {"sls", PS_READ, NULL, NULL, "path|literalpath"},
    {"start", PS_START, "filepath", "argumentlist|args", NULL},
    {"start-bitstransfer", PS_WEB, "source", NULL, "destination"},
    {"start-process", PS_START, "filepath", "argumentlist|args", NULL},
    {"tee-object", PS_WRITE, NULL, NULL, "filepath|literalpath"},
    {"test-netconnection", PS_CONNECT, "computername", NULL, NULL},
    {"tnc", PS_CONNECT, "computername", NULL, NULL},
    {"type", PS_READ, "path|literalpath", NULL, NULL},
    {"where", PS_IGNORE, NULL, NULL, NULL},
    {"write-host", PS_IGNORE, NULL, NULL, NULL},
    {"write-output", PS_IGNORE, NULL, NULL, NULL},
};

/* Parameters that take no value (so a word after them is positional). */
static const char *const switches[] = {"recurse",
                                       "force",
                                       "confirm",
                                       "whatif",
                                       "verbose",
                                       "debug",
                                       "passthru",
                                       "nonewline",
                                       "usebasicparsing",
                                       "wait",
                                       "nonewwindow",
                                       "append",
                                       "noclobber",
                                       "raw",
                                       "asjob",
                                       "usedefaultcredentials",
                                       "skipcertificatecheck",
                                       "asplaintext",
                                       "noprofile",
                                       "noninteractive",
                                       "informationlevel",
                                       "detailed",
                                       "quiet",
                                       "erroraction",
                                       NULL};

static int lower_eq(const char *s, size_t n, const char *w)
{
    if (strlen(w) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((s[i] >= 'A' && s[i] <= 'Z' ? s[i] | 0x20 : s[i]) != w[i])
            return 0;
    return 1;
}

/* Whether the parameter (without '-' and ':') names one of alts, as a
 * prefix (PowerShell accepts unambiguous prefixes). */
static int param_is(pe_str p, const char *alts)
{
    while (alts && *alts) {
        size_t n = strcspn(alts, "|");
        size_t k = 0;
        while (k < p.len && k < n && (p.s[k] | 0x20) == alts[k])
            k++;
        if (p.len && k == p.len && p.len <= n)
            return 1;
        alts += n + (alts[n] == '|');
    }
    return 0;
}

static int is_switch(pe_str p)
{
    for (size_t k = 0; switches[k]; k++)
        if (lower_eq(p.s, p.len, switches[k]))
            return 1;
    return 0;
}

static const char redirect_param[] = "out";

/* The elements of a command: [b, e) split into parameters and values. */
typedef struct ps_el {
    size_t b, e;  /* the value's tokens */
    pe_str param; /* its parameter name (no '-' or ':'), or empty */
} ps_el;

static size_t cmd_end(const inl_ctx *c, size_t i, size_t e)
{
    for (; i < e; i = inl_skip(c, i)) {
        const inl_tok *t = &c->t[i];
        if (t->type == T_NL || t->type == T_EMB_CLOSE || inl_is_p(t, ";") || inl_is_p(t, "|") ||
            inl_is_p(t, ")") || inl_is_p(t, "}") || inl_is_p(t, "&&") || inl_is_p(t, "||") ||
            (t->flags & TF_CMD_START))
            return i;
    }
    return e;
}

/* One value: a token with what is glued to it (a, b, c lists; $(...)). */
static size_t value_end(const inl_ctx *c, size_t i, size_t e)
{
    size_t j = i;
    do {
        if (inl_is_p(&c->t[j], "$") && j + 1 < e && inl_is_p(&c->t[j + 1], "("))
            j++;
        j = inl_skip(c, j);
        while (j < e && c->t[j].type == T_EMB_OPEN)
            j = inl_skip(c, j);
        /* a bare word glued to a variable or string ($HOME\.ssh\id_rsa) */
        while (j < e && j > i && !(c->t[j].flags & TF_SPACE) &&
               (c->t[j - 1].type == T_WORD || c->t[j - 1].type == T_VAR ||
                c->t[j - 1].type == T_STR) &&
               (c->t[j].type == T_WORD || c->t[j].type == T_VAR || c->t[j].type == T_STR))
            j = inl_skip(c, j);
        if (j < e && inl_is_p(&c->t[j], ",") && j + 1 < e) {
            j++;
            continue;
        }
        break;
    } while (j < e);
    return j;
}

static size_t elements(inl_ctx *c, size_t b, size_t e, ps_el *out, size_t max)
{
    size_t n = 0;
    for (size_t i = b; i < e && n < max;) {
        const inl_tok *t = &c->t[i];
        ps_el el = {i, i, {"", 0}};
        if (i + 1 < e && t->type == T_WORD && !(c->t[i + 1].flags & TF_SPACE) &&
            (inl_is_p(&c->t[i + 1], ">") || inl_is_p(&c->t[i + 1], ">>")) &&
            (lower_eq(t->text.s, t->text.len, "*") ||
             (t->text.s[0] >= '1' && t->text.s[0] <= '6' && t->text.len == 1))) {
            i++; /* the stream of 2> */
            continue;
        }
        if (t->type == T_PARAM) {
            el.param.s = t->text.s + 1;
            el.param.len = t->text.len - 1;
            int colon = el.param.len && el.param.s[el.param.len - 1] == ':';
            el.param.len -= colon;
            i++;
            if (i < e && (colon || !is_switch(el.param)) && c->t[i].type != T_PARAM) {
                el.b = i;
                el.e = i = value_end(c, i, e);
            }
        } else if (t->type == T_PUNCT && (inl_is_p(t, ">") || inl_is_p(t, ">>"))) {
            if (i + 1 < e && (inl_is_p(&c->t[i + 1], "&") ||
                              lower_eq(c->t[i + 1].text.s, c->t[i + 1].text.len, "$null"))) {
                i = inl_skip(c, i + 1 + inl_is_p(&c->t[i + 1], "&")); /* 2>&1, >$null */
                continue;
            }
            el.param.s = redirect_param; /* compared by address: a name no parameter has */
            el.param.len = 3;
            el.b = i + 1;
            el.e = i = i + 1 < e ? value_end(c, i + 1, e) : e;
        } else {
            el.e = i = value_end(c, i, e);
        }
        out[n++] = el;
    }
    return n;
}

static inl_val el_value(inl_ctx *c, const ps_el *el)
{
    if (el->b >= el->e) {
        inl_val v;
        memset(&v, 0, sizeof(v));
        v.s.s = "";
        return v;
    }
    const inl_tok *t = &c->t[el->b];
    if (t->type == T_WORD && el->e == el->b + 1)
        return inl_str_val(c, t->text.s, t->text.len, 0);
    size_t n = 1;
    int glued = el->e - el->b <= 8;
    for (size_t i = el->b; i < el->e; i = inl_skip(c, i)) {
        n += inl_is_p(&c->t[i], ",");
        const inl_tok *ti = &c->t[i];
        if ((i > el->b && (ti->flags & TF_SPACE)) ||
            !(ti->type == T_WORD || ti->type == T_VAR || ti->type == T_STR))
            glued = 0;
    }
    if (n == 1 && glued && el->e > el->b + 1) { /* $HOME\.ssh\id_rsa: one bare word */
        inl_val parts[8];
        size_t np = 0;
        for (size_t i = el->b; i < el->e; i = inl_skip(c, i))
            parts[np++] = c->t[i].type == T_WORD ? inl_str_val(c, c->t[i].text.s, c->t[i].text.len, 0)
                                                 : inl_eval(c, i, inl_skip(c, i));
        return inl_transform(c, X_CONCAT, NULL, parts, np);
    }
    if (n == 1)
        return inl_eval(c, el->b, el->e);
    inl_val v; /* a, b, c: a list */
    memset(&v, 0, sizeof(v));
    v.kind = V_LIST;
    v.s.s = "";
    v.items = inl_alloc(c, n * sizeof(inl_val));
    for (size_t i = el->b; v.items && i < el->e;) {
        size_t j = i;
        while (j < el->e && !inl_is_p(&c->t[j], ","))
            j = inl_skip(c, j);
        ps_el part = {i, j, {"", 0}};
        v.items[v.n] = el_value(c, &part);
        v.flags |= v.items[v.n++].flags & VF_DYN;
        i = j + 1;
    }
    return v;
}

/* The value of the named parameter (alts) or of position pos. */
static int ps_arg(inl_ctx *c, const ps_el *els, size_t n, const char *alts, int pos, inl_val *v)
{
    for (size_t i = 0; alts && i < n; i++)
        if (els[i].param.len && param_is(els[i].param, alts)) {
            *v = el_value(c, &els[i]);
            return 1;
        }
    int seen = 0;
    for (size_t i = 0; pos >= 0 && i < n; i++) {
        if (els[i].param.len)
            continue;
        if (seen++ == pos) {
            *v = el_value(c, &els[i]);
            return 1;
        }
    }
    return 0;
}

static const ps_cmdlet *find_cmdlet(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof(cmdlets) / sizeof(cmdlets[0]); i++)
        if (lower_eq(s, n, cmdlets[i].name))
            return &cmdlets[i];
    return NULL;
}

/* A native command: its name and elements as sh words. */
static void native(inl_ctx *c, const inl_tok *name, const ps_el *els, size_t n, size_t off)
{
    inl_val list;
    memset(&list, 0, sizeof(list));
    list.kind = V_LIST;
    list.items = inl_alloc(c, (2 * n + 1) * sizeof(inl_val));
    if (!list.items)
        return;
    size_t at = (size_t)(name - c->t), end;
    const inl_val *bound =
        name->type == T_VAR ? inl_bind_get(c, name->text.s, name->text.len) : NULL;
    inl_val unknown;
    memset(&unknown, 0, sizeof(unknown));
    unknown.flags = VF_DYN;
    unknown.s.s = "";
    list.items[list.n++] = name->type == T_WORD  ? inl_str_val(c, name->text.s, name->text.len, 0)
                           : name->type == T_STR ? inl_str_token(c, at, &end)
                           : bound               ? *bound
                                                 : unknown;
    for (size_t i = 0; i < n; i++) {
        if (els[i].param.len) {
            inl_val pv = inl_str_val(c, els[i].param.s - 1, els[i].param.len + 1, 0);
            list.items[list.n++] = pv;
        }
        if (els[i].e > els[i].b) {
            list.items[list.n] = el_value(c, &els[i]);
            list.flags |= list.items[list.n++].flags & VF_DYN;
        }
    }
    pe_str text;
    int dyn;
    if (inl_argv_text(c, &list, 0, &text, &dyn) != 0)
        return;
    inl_val v = inl_str_val(c, text.s, text.len, dyn ? VF_DYN : 0);
    inl_add(c, PE_INLINE_RUN, &v, "native", off, PE_INLINE_I_ARGV);
}

/* iex with its code from the pipeline: "code" | iex, (iwr x) | iex. */
static void iex_piped(inl_ctx *c, size_t i, size_t off)
{
    if (i == 0 || !inl_is_p(&c->t[i - 1], "|")) {
        c->flags |= PE_INLINE_DYNAMIC_EXEC;
        return;
    }
    size_t start = i - 1;
    while (start > 0) {
        const inl_tok *p = &c->t[start - 1];
        if (p->type == T_NL || inl_is_p(p, ";") || inl_is_p(p, "|") || inl_is_p(p, "{") ||
            inl_is_p(p, "("))
            break;
        start--;
        if (inl_is_p(&c->t[start], ")") || inl_is_p(&c->t[start], "}"))
            start = c->t[start].match < start ? c->t[start].match : start;
    }
    inl_val code = (c->t[start].flags & TF_CMD_START) ? (inl_val){.kind = V_NONE, .flags = VF_DYN}
                                                      : inl_eval(c, start, i - 1);
    inl_eval_code(c, &code, off);
}

void inl_ps_command(inl_ctx *c, size_t i)
{
    size_t e = cmd_end(c, i + 1, c->nt), off = c->t[i].off;
    const inl_tok *name = &c->t[i];
    int call_op = i > 0 && (inl_is_p(&c->t[i - 1], "&") || inl_is_p(&c->t[i - 1], "."));
    ps_el els[64];
    size_t n = elements(c, i + 1, e, els, 64);
    pe_str nm = name->text;
    const char *bs = NULL;
    for (size_t k = 0; k < nm.len; k++)
        bs = nm.s[k] == '\\' && k + 1 < nm.len && !memchr(nm.s, '/', nm.len) ? nm.s + k : bs;
    if (bs && memchr(nm.s, '-', nm.len)) { /* Module\Verb-Noun */
        nm.len -= (size_t)(bs + 1 - nm.s);
        nm.s = bs + 1;
    }
    for (size_t k = 0; k < n; k++) /* > file, >> file: written, whatever the command */
        if (els[k].param.s == redirect_param) {
            inl_val w = el_value(c, &els[k]);
            inl_add(c, PE_INLINE_WRITE, &w, ">", off, 0);
            els[k] = els[--n];
            k--;
        }
    const ps_cmdlet *cmd = find_cmdlet(nm.s, nm.len);
    if (call_op && name->type == T_WORD && nm.len > 4 &&
        lower_eq(nm.s + nm.len - 4, 4, ".ps1")) { /* & ./x.ps1, . ./x.ps1 */
        inl_val p = inl_str_val(c, nm.s, nm.len, 0);
        inl_add(c, PE_INLINE_READ, &p, "dot-source", off, 0);
        return;
    }
    if (!cmd) {
        if (memchr(nm.s, '-', nm.len) && name->type == T_WORD && !call_op)
            return; /* an unknown cmdlet (Verb-Noun) */
        native(c, name, els, n, off);
        return;
    }
    inl_val v, w;
    switch (cmd->kind) {
    case PS_IEX:
        if (ps_arg(c, els, n, cmd->p0, 0, &v))
            inl_eval_code(c, &v, off);
        else
            iex_piped(c, i, off);
        break;
    case PS_START: {
        if (!ps_arg(c, els, n, cmd->p0, 0, &v))
            break;
        inl_val list;
        memset(&list, 0, sizeof(list));
        list.kind = V_LIST;
        if (ps_arg(c, els, n, cmd->p1, 1, &w))
            list = w.kind == V_LIST ? w : list;
        unsigned fl = 0;
        if (ps_arg(c, els, n, "verb", -1, &w) && w.kind == V_STR &&
            lower_eq(w.s.s, w.s.len, "runas"))
            fl |= PE_INLINE_I_ELEVATED;
        inl_val all;
        memset(&all, 0, sizeof(all));
        all.kind = V_LIST;
        all.items = inl_alloc(c, (list.n + 2) * sizeof(inl_val));
        if (!all.items)
            return;
        all.items[all.n++] = v;
        for (size_t k = 0; k < list.n; k++)
            all.items[all.n++] = list.items[k];
        pe_str text;
        int dyn;
        if (inl_argv_text(c, &all, 0, &text, &dyn) != 0)
            return;
        inl_val t = inl_str_val(c, text.s, text.len, dyn ? VF_DYN : 0);
        if (list.n == 0 && ps_arg(c, els, n, cmd->p1, 1, &w) && w.kind == V_STR) {
            inl_val parts[3] = {t, inl_str_val(c, " ", 1, 0), w}; /* a command line string */
            t = inl_transform(c, X_CONCAT, NULL, parts, 3);
        }
        inl_add(c, PE_INLINE_RUN, &t, cmd->name, off, fl | PE_INLINE_I_ARGV);
        break;
    }
    case PS_READ:
    case PS_WRITE:
    case PS_DELETE:
        if (ps_arg(c, els, n, cmd->p0 ? cmd->p0 : cmd->out, cmd->p0 ? 0 : -1, &v))
            inl_add(c,
                    cmd->kind == PS_READ    ? PE_INLINE_READ
                    : cmd->kind == PS_WRITE ? PE_INLINE_WRITE
                                            : PE_INLINE_DELETE,
                    &v, cmd->name, off, 0);
        break;
    case PS_COPY:
    case PS_MOVE:
        if (ps_arg(c, els, n, cmd->p0, 0, &v))
            inl_add(c, cmd->kind == PS_COPY ? PE_INLINE_READ : PE_INLINE_DELETE, &v, cmd->name, off,
                    0);
        if (ps_arg(c, els, n, cmd->p1, 1, &w))
            inl_add(c, PE_INLINE_WRITE, &w, cmd->name, off, 0);
        break;
    case PS_WEB:
        c->flags |= PE_INLINE_NETWORK;
        if (ps_arg(c, els, n, cmd->p0, 0, &v))
            inl_add(c, PE_INLINE_CONNECT, &v, cmd->name, off, PE_INLINE_I_URL);
        if (ps_arg(c, els, n, cmd->out, cmd->kind == PS_WEB && cmd->out[0] == 'd' ? 1 : -1, &w))
            inl_add(c, PE_INLINE_WRITE, &w, cmd->name, off, 0);
        if (ps_arg(c, els, n, "infile", -1, &w)) /* the request's body: the file is sent */
            inl_add(c, PE_INLINE_READ, &w, cmd->name, off, 0);
        break;
    case PS_CONNECT:
        if (ps_arg(c, els, n, cmd->p0, 0, &v)) {
            int has_port = ps_arg(c, els, n, "port", -1, &w);
            inl_add_connect(c, &v, has_port ? &w : NULL, cmd->name, off);
        }
        break;
    case PS_NEWOBJ: {
        if (!ps_arg(c, els, n, cmd->p0, 0, &v) || v.kind != V_STR)
            break;
        const char *tn = v.s.s;
        size_t tl = v.s.len;
        if (tl > 7 && lower_eq(tn, 7, "system."))
            tn += 7, tl -= 7;
        char low[128];
        if (tl >= sizeof(low))
            break;
        for (size_t k = 0; k < tl; k++)
            low[k] = (char)(tn[k] >= 'A' && tn[k] <= 'Z' ? tn[k] | 0x20 : tn[k]);
        const inl_api *api = inl_api_find(c->L, low, tl);
        if (!api)
            break;
        c->feat |= api->feat;
        c->flags |= (api->feat & F_NET ? PE_INLINE_NETWORK : 0) |
                    (api->feat & F_SOCKET ? PE_INLINE_SOCKET | PE_INLINE_NETWORK : 0);
        if (api->how == H_HOSTPORT && ps_arg(c, els, n, cmd->p1, 1, &w) && w.kind == V_LIST &&
            w.n >= 2)
            inl_add_connect(c, &w.items[0], &w.items[1], api->name, off);
        break;
    }
    case PS_DYNAMIC:
        c->flags |= PE_INLINE_DYNAMIC;
        break;
    default:
        break;
    }
    if (cmd->kind != PS_WEB && cmd->kind != PS_IGNORE && cmd->out && cmd->p0 &&
        ps_arg(c, els, n, cmd->out, -1, &w))
        inl_add(c, PE_INLINE_WRITE, &w, cmd->name, off, 0);
}

size_t inl_ps_value(inl_ctx *c, size_t i, size_t e, inl_val *v)
{
    size_t end = cmd_end(c, i + 1, e);
    memset(v, 0, sizeof(*v));
    v->flags = VF_DYN;
    v->s.s = "";
    const inl_tok *t = &c->t[i];
    if (!lower_eq(t->text.s, t->text.len, "new-object"))
        return end;
    ps_el els[16];
    size_t n = elements(c, i + 1, end, els, 16);
    inl_val tn;
    if (!ps_arg(c, els, n, "typename", 0, &tn) || tn.kind != V_STR)
        return end;
    const char *s = tn.s.s;
    size_t len = tn.s.len;
    if (len > 7 && lower_eq(s, 7, "system."))
        s += 7, len -= 7;
    *v = inl_str_val(c, s, len, 0);
    for (size_t k = 0; k < v->s.len; k++)
        ((char *)v->s.s)[k] = (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] | 0x20 : s[k]);
    v->kind = V_PATH;
    return end;
}
