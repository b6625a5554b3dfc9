/*
 * Summary values of a shell analysis, the ones rules use directly: lists
 * of command names, wrappers and redirection targets (no duplicates), the
 * normalised text, and the flags of a command in any spelling.
 */
#include <stdint.h>
#include <string.h>

#include "prempti/common.h"
#include "shell/internal.h"
#include "compile/ops.h"
#include "shell/knowledge.h"
#include "util/hash.h"

/* A list without duplicates, with a hash index. */
typedef struct strlist {
    pe_str *items;
    size_t n, cap;
    uint32_t *slots; /* index + 1; 0 is empty */
    size_t mask;
} strlist;

static int list_init(sh_ctx *c, strlist *l, size_t max)
{
    memset(l, 0, sizeof(*l));
    size_t nslots = 16;
    while (nslots < 2 * max)
        nslots *= 2;
    l->cap = max;
    l->items = sh_alloc(c, (max ? max : 1) * sizeof(*l->items));
    l->slots = sh_alloc(c, nslots * sizeof(*l->slots));
    l->mask = nslots - 1;
    return l->items && l->slots ? 0 : -1;
}

/* The slot of s: where it is, or the empty slot where it would go. */
static size_t list_slot(const strlist *l, pe_str s)
{
    size_t k = (size_t)pe_hash_bytes(s.s, s.len) & l->mask;
    while (l->slots[k]) {
        const pe_str *e = &l->items[l->slots[k] - 1];
        if (e->len == s.len && memcmp(e->s, s.s, s.len) == 0)
            break;
        k = (k + 1) & l->mask;
    }
    return k;
}

static int list_has(const strlist *l, pe_str s)
{
    return l->slots[list_slot(l, s)] != 0;
}

/* Adds s (which must stay valid) unless present; copy: into the arena. */
static void list_add(sh_ctx *c, strlist *l, pe_str s, int copy)
{
    size_t k = list_slot(l, s);
    if (l->slots[k] || l->n >= l->cap)
        return;
    if (copy && !(s.s = sh_strndup(c, s.s, s.len)))
        return;
    l->items[l->n] = s;
    l->slots[k] = (uint32_t)++l->n;
}

static pe_str cstr(const char *s)
{
    pe_str r = {s, strlen(s)};
    return r;
}

/* ---- the normalised text -------------------------------------------------- */

/* Writes w so that it stays one word (see pe_shell_result.text) into d,
 * or only counts when d is NULL; the length. */
static size_t put_word(char *d, pe_str w)
{
    if (!w.len) {
        if (d)
            memcpy(d, "''", 2);
        return 2;
    }
    size_t n = 0;
    for (size_t i = 0; i < w.len; i++) {
        char c = w.s[i], e = c == '\\'   ? '\\'
                             : c == ' '  ? ' '
                             : c == '\t' ? 't'
                             : c == '\n' ? 'n'
                             : c == '\r' ? 'r'
                                         : 0;
        if (e) {
            if (d)
                d[n] = '\\', d[n + 1] = e;
            n += 2;
        } else {
            if (d)
                d[n] = c;
            n++;
        }
    }
    return n;
}

static size_t put_raw(char *d, const char *s, size_t len)
{
    if (d)
        memcpy(d, s, len);
    return len;
}

static size_t put_redir(char *d, const pe_shell_redir *r)
{
    size_t n = 0;
    char fd[24];
    if (r->fd >= 0) {
        int k = 0, v = r->fd;
        char tmp[12];
        do
            tmp[k++] = (char)('0' + v % 10);
        while ((v /= 10) > 0);
        for (int i = 0; i < k; i++)
            fd[i] = tmp[k - 1 - i];
        n += put_raw(d ? d + n : NULL, fd, (size_t)k);
    }
    n += put_raw(d ? d + n : NULL, r->op.s, r->op.len);
    int dup = (sh_eq(r->op, ">&") || sh_eq(r->op, "<&")) && !(r->flags & PE_SHELL_R_FILE);
    if (!dup)
        n += put_raw(d ? d + n : NULL, " ", 1);
    return n + put_word(d ? d + n : NULL, r->target);
}

/* One command's line, without the newline; the length. */
static size_t put_line(char *d, const pe_shell_cmd *k)
{
    size_t n = 0;
    for (size_t i = 0; i < k->argc; i++) {
        if (n)
            n += put_raw(d ? d + n : NULL, " ", 1);
        n += put_word(d ? d + n : NULL, k->argv[i]);
    }
    for (size_t i = 0; i < k->nredirs; i++) {
        if (n)
            n += put_raw(d ? d + n : NULL, " ", 1);
        n += put_redir(d ? d + n : NULL, &k->redirs[i]);
    }
    return n;
}

static size_t put_text(char *d, const pe_shell_result *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->ncmds; i++) {
        const pe_shell_cmd *k = &r->cmds[i];
        if ((!k->argc && !k->nredirs) || (k->flags & PE_SHELL_C_RESOLVED))
            continue;
        if (n)
            n += put_raw(d ? d + n : NULL, "\n", 1);
        n += put_line(d ? d + n : NULL, k);
    }
    return n;
}

/* ---- summaries ------------------------------------------------------------ */

/* A fact list without duplicates. */
static int dedup(sh_ctx *c, const sh_strs *in, const pe_str **items, size_t *n)
{
    strlist l;
    if (list_init(c, &l, in->n))
        return -1;
    for (size_t i = 0; i < in->n; i++)
        list_add(c, &l, in->items[i], 0);
    *items = l.items;
    *n = l.n;
    return 0;
}

/* Paths used more than once (same text, same directory) merge their roles. */
static int merge_paths(sh_ctx *c, pe_shell_result *r)
{
    pe_shell_path *out = c->npaths ? sh_alloc(c, c->npaths * sizeof(*out)) : NULL;
    if (c->npaths && !out)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < c->npaths; i++) {
        const pe_shell_path *p = &c->paths[i];
        size_t j = 0;
        for (; j < n && j < 256; j++) /* long lists keep their repeats */
            if (out[j].path.len == p->path.len && out[j].cwd.len == p->cwd.len &&
                !memcmp(out[j].path.s, p->path.s, p->path.len) &&
                !memcmp(out[j].cwd.s, p->cwd.s, p->cwd.len))
                break;
        if (j < n && j < 256) {
            out[j].role |= p->role;
            out[j].flags |= p->flags;
        } else {
            out[n++] = *p;
        }
    }
    r->paths = out;
    r->npaths = n;
    return 0;
}

static int summarize_facts(sh_ctx *c, pe_shell_result *r)
{
    if (merge_paths(c, r) || dedup(c, &c->subs, &r->subcommands, &r->nsubcommands) ||
        dedup(c, &c->urls, &r->urls, &r->nurls) || dedup(c, &c->hosts, &r->hosts, &r->nhosts) ||
        dedup(c, &c->envs, &r->env, &r->nenv) ||
        dedup(c, &c->langs, &r->languages, &r->nlanguages) ||
        dedup(c, &c->decoded, &r->decoded, &r->ndecoded))
        return -1;
    return 0;
}

int sh_summarize(sh_ctx *c, pe_shell_result *r)
{
    size_t nw = 0, nr = 0;
    for (size_t i = 0; i < r->ncmds; i++) {
        nw += r->cmds[i].nwrappers;
        nr += r->cmds[i].nredirs;
    }
    strlist cmds, wraps, targets, writes;
    if (list_init(c, &cmds, r->ncmds) || list_init(c, &wraps, nw) || list_init(c, &targets, nr) ||
        list_init(c, &writes, nr))
        return -1;
    for (size_t i = 0; i < r->ncmds; i++) {
        const pe_shell_cmd *k = &r->cmds[i];
        if (k->argc && !(k->flags & PE_SHELL_C_RESOLVED))
            list_add(c, &cmds, k->base, 0);
        for (size_t j = 0; j < k->nwrappers; j++)
            list_add(c, &wraps, k->wrappers[j], 0);
        for (size_t j = 0; j < k->nredirs; j++) {
            if (k->redirs[j].flags & PE_SHELL_R_FILE)
                list_add(c, &targets, k->redirs[j].target, 0);
            if (k->redirs[j].flags & PE_SHELL_R_WRITE)
                list_add(c, &writes, k->redirs[j].target, 0);
        }
    }
    if (summarize_facts(c, r))
        return -1;
    r->commands = cmds.items, r->ncommands = cmds.n;
    r->wrappers = wraps.items, r->nwrappers = wraps.n;
    r->targets = targets.items, r->ntargets = targets.n;
    r->writes = writes.items, r->nwrites = writes.n;
    size_t len = put_text(NULL, r);
    char *text = sh_alloc(c, len + 1);
    if (!text)
        return -1;
    put_text(text, r);
    r->text.s = text;
    r->text.len = len;
    return 0;
}

/* ---- flags in any spelling ------------------------------------------------ */

/* Spellings of one flag, per command. */
static const struct {
    const char *cmd;
    const char *alts[4];
} flag_alias[] = {
    {"rm", {"-r", "-R", "--recursive", NULL}},
    {"rm", {"-f", "--force", NULL}},
    {"cp", {"-r", "-R", "--recursive", NULL}},
    {"cp", {"-f", "--force", NULL}},
    {"mv", {"-f", "--force", NULL}},
    {"ln", {"-s", "--symbolic", NULL}},
    {"ln", {"-f", "--force", NULL}},
    {"chmod", {"-R", "--recursive", NULL}},
    {"chown", {"-R", "--recursive", NULL}},
    {"chgrp", {"-R", "--recursive", NULL}},
    {"git", {"-f", "--force", NULL}},
    {"git", {"-d", "--delete", NULL}},
    {"git", {"-n", "--dry-run", NULL}},
    {"git", {"-x", NULL}},
    {"curl", {"-k", "--insecure", NULL}},
    {"curl", {"-o", "--output", NULL}},
    {"curl", {"-d", "--data", NULL}},
    {"curl", {"-T", "--upload-file", NULL}},
    {"curl", {"-F", "--form", NULL}},
    {"curl", {"-X", "--request", NULL}},
    {"wget", {"-O", "--output-document", NULL}},
    {"sed", {"-i", "--in-place", NULL}},
    {"shred", {"-u", "--remove", NULL}},
    {"rsync", {"-r", "--recursive", NULL}},
    {"tar", {"-x", "--extract", "--get"}},
};

#define NALIAS (sizeof(flag_alias) / sizeof(flag_alias[0]))

static int alias_has(size_t a, pe_str flag)
{
    for (size_t k = 0; k < 4 && flag_alias[a].alts[k]; k++)
        if (sh_eq(flag, flag_alias[a].alts[k]))
            return 1;
    return 0;
}

/* A word's flag name: up to '=', when the word is a flag at all. */
static int flag_name(pe_str w, pe_str *name)
{
    if (w.len < 2 || w.s[0] != '-' || sh_eq(w, "--"))
        return 0;
    const char *eq = memchr(w.s, '=', w.len);
    name->s = w.s;
    name->len = eq ? (size_t)(eq - w.s) : w.len;
    return 1;
}

/* flag is written in w: as the word, or as a letter of a -cluster. */
static int word_has_flag(pe_str w, pe_str flag)
{
    pe_str name;
    if (!flag_name(w, &name))
        return 0;
    if (name.len == flag.len && memcmp(name.s, flag.s, flag.len) == 0)
        return 1;
    if (flag.len != 2 || flag.s[0] != '-' || flag.s[1] == '-' || name.s[1] == '-')
        return 0;
    return memchr(name.s + 1, flag.s[1], name.len - 1) != NULL;
}

/* git takes any unambiguous prefix of a long option: --ha is --hard. */
static int git_abbrev(pe_str w, pe_str flag)
{
    pe_str name;
    if (!flag_name(w, &name) || name.len < 3 || name.s[1] != '-' || name.len >= flag.len ||
        memcmp(name.s, flag.s, name.len) != 0)
        return 0;
    const sh_know *g = sh_know_find(cstr("git"));
    int others = 0;
    for (const char *const *o = g->sub->abbrev; *o; o++)
        if (strncmp(*o, name.s, name.len) == 0 && !sh_eq(flag, *o))
            others++;
    return others == 0;
}

/* The word at i gives flag name with a value matching the glob val: as
 * "--name=value", or "--name value" (the next word). */
static int word_has_value(const pe_shell_cmd *k, size_t i, pe_str name, pe_str val)
{
    pe_str w = k->argv[i], got;
    if (w.len > name.len && w.s[name.len] == '=' && memcmp(w.s, name.s, name.len) == 0) {
        got.s = w.s + name.len + 1;
        got.len = w.len - name.len - 1;
    } else if (pe_str_eq(w, name) && i + 1 < k->argc) {
        got = k->argv[i + 1];
    } else {
        return 0;
    }
    return pe_glob_match(val.s, val.len, got.s, got.len, 0);
}

static int cmd_has_spelling(const pe_shell_cmd *k, pe_str flag, const pe_str *val, size_t from)
{
    int git = sh_eq(k->base, "git");
    for (size_t i = from; i < k->argc && !sh_eq(k->argv[i], "--"); i++) {
        if (val) {
            if (word_has_value(k, i, flag, *val))
                return 1;
            continue;
        }
        if (word_has_flag(k->argv[i], flag) || (git && git_abbrev(k->argv[i], flag)))
            return 1;
        /* git push origin +main forces the update, git push origin :main
         * deletes main */
        if (git && k->nsub && sh_eq(k->argv[k->subidx], "push") && i > k->subidx &&
            k->argv[i].len > 1 &&
            ((sh_eq(flag, "--force") && k->argv[i].s[0] == '+') ||
             (sh_eq(flag, "--delete") && k->argv[i].s[0] == ':')))
            return 1;
    }
    return 0;
}

/* flag is "-x", "--name" or "--name=glob" (a flag with a value). */
static int cmd_has_flag(const pe_shell_cmd *k, pe_str flag, size_t from)
{
    pe_str val, *v = NULL;
    const char *eq = memchr(flag.s, '=', flag.len);
    if (eq) {
        val.s = eq + 1;
        val.len = flag.len - (size_t)(eq - flag.s) - 1;
        flag.len = (size_t)(eq - flag.s);
        v = &val;
    }
    if (cmd_has_spelling(k, flag, v, from))
        return 1;
    for (size_t a = 0; a < NALIAS; a++) {
        if (!sh_eq(k->base, flag_alias[a].cmd) || !alias_has(a, flag))
            continue;
        for (size_t j = 0; j < 4 && flag_alias[a].alts[j]; j++)
            if (cmd_has_spelling(k, cstr(flag_alias[a].alts[j]), v, from))
                return 1;
    }
    return 0;
}

static int is_sep(char c)
{
    return c == ' ' || c == ',' || c == '\t';
}

/* The next token of a spec at *pos; 0 at the end. */
static int spec_token(const char *s, size_t len, size_t *pos, pe_str *tok)
{
    while (*pos < len && is_sep(s[*pos]))
        (*pos)++;
    size_t start = *pos;
    while (*pos < len && !is_sep(s[*pos]))
        (*pos)++;
    tok->s = s + start;
    tok->len = *pos - start;
    return tok->len > 0;
}

/* One spec token ("-r" or "-r|-R") against one command's words from. */
static int cmd_matches_alts(const pe_shell_cmd *k, pe_str tok, size_t from)
{
    size_t start = 0;
    for (size_t i = 0; i <= tok.len; i++) {
        if (i < tok.len && tok.s[i] != '|')
            continue;
        pe_str alt = {tok.s + start, i - start};
        if (alt.len && cmd_has_flag(k, alt, from))
            return 1;
        start = i + 1;
    }
    return 0;
}

/* Spec words that are not flags name the subcommand path: they must be
 * the first words of the command's own ("git stash" matches git stash
 * drop), and its flags are then those after the subcommand. */
static int cmd_matches_spec(const pe_shell_cmd *k, const char *spec, size_t len, size_t pos)
{
    pe_str tok;
    size_t nsub = 0;
    while (spec_token(spec, len, &pos, &tok)) {
        if (tok.s[0] != '-' && tok.s[0] != '+') {
            if (nsub >= k->nsub || tok.len != k->argv[k->subidx + nsub].len ||
                memcmp(tok.s, k->argv[k->subidx + nsub].s, tok.len) != 0)
                return 0;
            nsub++;
            continue;
        }
        if (!cmd_matches_alts(k, tok, nsub ? k->subidx + k->nsub : 1))
            return 0;
    }
    return 1;
}

/* Whether command k is a run of the command named name, as shell.commands
 * reports runs: one rebuilt into another command is that other command. */
static int runs_of(const pe_shell_cmd *k, const char *name, size_t len)
{
    return k->argc && !(k->flags & PE_SHELL_C_RESOLVED) && k->base.len == len &&
           memcmp(k->base.s, name, len) == 0;
}

int pe_shell_invokes(const pe_shell_result *r, const char *spec, size_t len)
{
    size_t pos = 0;
    pe_str name;
    if (!r || !spec || !spec_token(spec, len, &pos, &name))
        return 0;
    for (size_t i = 0; i < r->ncmds; i++) {
        const pe_shell_cmd *k = &r->cmds[i];
        if (runs_of(k, name.s, name.len) && cmd_matches_spec(k, spec, len, pos))
            return 1;
    }
    return 0;
}

/* Adds a command's flags: each word's flag name and each cluster letter. */
static void add_cmd_flags(sh_ctx *c, strlist *l, const pe_shell_cmd *k)
{
    const sh_know *g = sh_eq(k->base, "git") ? sh_know_find(k->base) : NULL;
    for (size_t i = 1; i < k->argc && !sh_eq(k->argv[i], "--"); i++) {
        pe_str name;
        if (!flag_name(k->argv[i], &name))
            continue;
        list_add(c, l, name, 1);
        for (const char *const *o = g ? g->sub->abbrev : NULL; o && *o; o++)
            if (git_abbrev(name, cstr(*o))) /* git reset --ha: --hard */
                list_add(c, l, cstr(*o), 0);
        if (name.s[1] == '-')
            continue;
        for (size_t j = 1; j < name.len; j++) {
            char letter[2] = {'-', name.s[j]};
            pe_str one = {letter, 2};
            list_add(c, l, one, 1);
        }
    }
}

int pe_shell_flags(const pe_shell_result *r, const char *name, size_t len, pe_arena *arena,
                   const pe_str **items, size_t *nitems)
{
    size_t max = 4 * NALIAS + 64, runs = 0;
    for (size_t i = 0; r && i < r->ncmds; i++)
        if (runs_of(&r->cmds[i], name, len)) {
            runs++;
            for (size_t j = 1; j < r->cmds[i].argc; j++)
                max += r->cmds[i].argv[j].len + 1;
        }
    *items = NULL;
    *nitems = 0;
    if (!runs)
        return PREMPTI_OK; /* not run: no flags */
    sh_ctx c;
    memset(&c, 0, sizeof(c));
    c.arena = arena;
    c.mem_max = (size_t)-1; /* bounded by the result's flags */
    pe_str want = {name, len};
    strlist l;
    if (list_init(&c, &l, max))
        return PREMPTI_E_NOMEM;
    for (size_t i = 0; i < r->ncmds; i++)
        if (runs_of(&r->cmds[i], name, len))
            add_cmd_flags(&c, &l, &r->cmds[i]);
    for (size_t a = 0; a < NALIAS; a++) {
        if (!sh_eq(want, flag_alias[a].cmd))
            continue;
        int present = 0;
        for (size_t j = 0; j < 4 && flag_alias[a].alts[j]; j++)
            present |= list_has(&l, cstr(flag_alias[a].alts[j]));
        for (size_t j = 0; present && j < 4 && flag_alias[a].alts[j]; j++)
            list_add(&c, &l, cstr(flag_alias[a].alts[j]), 0);
    }
    if (c.nomem)
        return PREMPTI_E_NOMEM;
    *items = l.items;
    *nitems = l.n;
    return PREMPTI_OK;
}
