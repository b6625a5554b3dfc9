/*
 * What a command line does to its shell's state, as far as the text tells:
 * variables (W='rm -rf ~'; $W, X=curl; $X, export, ${VAR:-default}) and the
 * working directory (cd, pushd, popd). A subshell, a substitution and a
 * nested script each get a scope of their own, so `(cd x && rm -rf *)`
 * does not move what follows.
 *
 * Values are text: an assignment whose value is made only of literals and
 * known variables is known exactly; anything else (a substitution, an
 * arithmetic expansion, read, a positional parameter) is not, and a word
 * holding it stays as written.
 */
#include <string.h>

#include "shell/internal.h"

static const pe_str no_str = {"", 0};

static pe_str lit(const char *s)
{
    pe_str r = {s, strlen(s)};
    return r;
}

unsigned sh_scope_new(sh_ctx *c, unsigned parent)
{
    if (sh_grow(c, (void **)&c->scope_parent, &c->scope_cap, c->nscopes + 1,
                sizeof(*c->scope_parent)))
        return parent;
    c->scope_parent[c->nscopes] = parent;
    return (unsigned)c->nscopes++;
}

static int same(pe_str a, pe_str b)
{
    return a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
}

static size_t name_hash(pe_str n)
{
    size_t h = 2166136261u;
    for (size_t i = 0; i < n.len; i++)
        h = (h ^ (unsigned char)n.s[i]) * 16777619u;
    return h;
}

/* The slot of name in the table: where its latest binding is, or the empty
 * slot where it would go. */
static uint32_t *name_slot(sh_ctx *c, pe_str name)
{
    size_t mask = c->bind_nslots - 1, i = name_hash(name) & mask;
    while (c->bind_slots[i] && !same(c->binds[c->bind_slots[i] - 1].name, name))
        i = (i + 1) & mask;
    return &c->bind_slots[i];
}

/* Keeps the table at most half full (rehashing the latest binding of each
 * name into a table twice the size). 0, or -1 out of memory. */
static int grow_slots(sh_ctx *c)
{
    if (c->bind_nslots && 2 * (c->nbinds + 1) <= c->bind_nslots)
        return 0;
    size_t n = c->bind_nslots ? 2 * c->bind_nslots : 64;
    uint32_t *old = c->bind_slots, *slots = sh_alloc(c, n * sizeof(*slots));
    size_t oldn = c->bind_nslots;
    if (!slots)
        return -1;
    memset(slots, 0, n * sizeof(*slots));
    c->bind_slots = slots;
    c->bind_nslots = n;
    for (size_t i = 0; i < oldn; i++)
        if (old[i])
            *name_slot(c, c->binds[old[i] - 1].name) = old[i];
    return 0;
}

sh_bind *sh_bind_set(sh_ctx *c, unsigned scope, pe_str name, pe_str value, int known)
{
    if (c->nbinds >= UINT32_MAX - 1 || grow_slots(c) ||
        sh_grow(c, (void **)&c->binds, &c->bind_cap, c->nbinds + 1, sizeof(*c->binds)))
        return NULL;
    sh_bind *b = &c->binds[c->nbinds];
    memset(b, 0, sizeof(*b));
    b->scope = scope;
    b->name = name;
    b->value = value;
    b->known = known;
    uint32_t *slot = name_slot(c, name);
    b->prev = *slot ? (long)*slot - 1 : -1;
    *slot = (uint32_t)++c->nbinds;
    return b;
}

/* Whether scope a is s or one of its ancestors. */
static int encloses(const sh_ctx *c, unsigned a, unsigned s)
{
    for (;;) {
        if (s == a)
            return 1;
        if (s == 0 || s >= c->nscopes)
            return 0;
        s = c->scope_parent[s];
    }
}

const sh_bind *sh_bind_get(sh_ctx *c, unsigned scope, pe_str name)
{
    if (!c->bind_nslots)
        return NULL;
    /* the bindings of this name only, newest first */
    for (long i = (long)*name_slot(c, name) - 1; i >= 0; i = c->binds[i].prev) {
        if (sh_work(c, 1))
            return NULL;
        if (encloses(c, c->binds[i].scope, scope))
            return &c->binds[i];
    }
    return NULL;
}

pe_str sh_cwd(sh_ctx *c, unsigned scope, int *known)
{
    const sh_bind *b = sh_bind_get(c, scope, no_str);
    *known = b ? b->known : 1;
    return b ? b->value : no_str;
}

/* ---- what commands do to the shell's state ------------------------------ */

/* NAME=value or NAME+=value in scope; local: declared local (a function's
 * own). */
static void assign(sh_ctx *c, unsigned scope, pe_str w, unsigned flags, int local)
{
    const char *eq = memchr(w.s, '=', w.len);
    if (!eq)
        return;
    size_t nl = (size_t)(eq - w.s);
    int append = nl > 0 && w.s[nl - 1] == '+';
    pe_str name = {w.s, nl - (size_t)append}, raw = {eq + 1, w.len - nl - 1}, v = raw;
    sh_xinfo x = {-1, 0, 0};
    unsigned vf = (flags & ~PE_SHELL_W_ASSIGN) | SH_W_VALUE;
    int known = raw.len > 0 && raw.s[0] == '(' ? 0 : sh_expand_x(c, scope, raw, vf, &v, &x);
    if (append) {
        pe_str old;
        int set, oldk = sh_value_of(c, scope, name, &old, &set, &x);
        if (set) {
            char *j = sh_alloc(c, old.len + v.len + 1);
            if (!j)
                return;
            memcpy(j, old.s, old.len);
            memcpy(j + old.len, v.s, v.len);
            j[old.len + v.len] = '\0';
            v.s = j;
            v.len += old.len;
            known = known && oldk;
        }
    }
    sh_bind *b = sh_bind_set(c, scope, name, v, known);
    if (b) {
        b->tainted = x.tainted || (flags & PE_SHELL_W_CMDSUB);
        b->local = (unsigned char)local;
    }
}

void sh_assign(sh_ctx *c, unsigned scope, pe_str w, unsigned flags)
{
    assign(c, scope, w, flags, 0);
}

/* declare -n NAME=TARGET: NAME stands for TARGET. The reference is
 * followed once, when declared (a later change of TARGET is not seen). */
static void nameref(sh_ctx *c, unsigned scope, pe_str w, unsigned flags)
{
    const char *eq = memchr(w.s, '=', w.len);
    pe_str name = {w.s, (size_t)(eq - w.s)}, target = {eq + 1, w.len - name.len - 1}, v;
    int set, known = !(flags & PE_SHELL_W_EXPANDS) && sh_value_of(c, scope, target, &v, &set, NULL);
    sh_bind_set(c, scope, name, known ? v : target, known);
}

/* Aliases live among the variables under their name prefixed with '='
 * (which no variable name holds): alias NAME=TEXT, unalias NAME. */
static void alias_set(sh_ctx *c, unsigned scope, pe_str w)
{
    const char *eq = memchr(w.s, '=', w.len);
    size_t nl = eq ? (size_t)(eq - w.s) : w.len;
    char *key = sh_alloc(c, nl + 2);
    if (!key)
        return;
    key[0] = '=';
    memcpy(key + 1, w.s, nl);
    key[nl + 1] = '\0';
    pe_str name = {key, nl + 1}, value = {eq ? eq + 1 : "", eq ? w.len - nl - 1 : 0};
    sh_bind_set(c, scope, name, value, eq != NULL);
}

/* ---- the working directory ------------------------------------------------ */

/* Besides the directory (name ""), a scope keeps the previous one (name
 * "-", $OLDPWD, for cd -) and the directory stack of pushd (name "+": its
 * directories separated by NUL bytes, nalts of them). */
static const pe_str prev_dir = {"-", 1}, dir_stack = {"+", 1};

/* Moves the scope's directory to dir; the one left becomes cd -'s. */
static void set_dir(sh_ctx *c, unsigned scope, pe_str dir, int known)
{
    int old_known;
    pe_str old = sh_cwd(c, scope, &old_known);
    sh_bind_set(c, scope, prev_dir, old, old_known);
    sh_bind_set(c, scope, no_str, dir, known);
}

static void unknown_cwd(sh_ctx *c, unsigned scope)
{
    set_dir(c, scope, lit("?"), 0);
}

/* A directory relative to the scope's working directory. */
static void change_dir(sh_ctx *c, unsigned scope, pe_str w, unsigned flags)
{
    pe_str dir;
    int known = sh_expand(c, scope, w, flags, &dir), cwd_known;
    pe_str cwd = sh_cwd(c, scope, &cwd_known);
    if (dir.len && dir.s[0] != '/' && cwd.len) {
        char *j = sh_alloc(c, cwd.len + dir.len + 2);
        if (!j)
            return;
        memcpy(j, cwd.s, cwd.len);
        j[cwd.len] = '/';
        memcpy(j + cwd.len + 1, dir.s, dir.len);
        j[cwd.len + 1 + dir.len] = '\0';
        dir.s = j;
        dir.len += cwd.len + 1;
    }
    set_dir(c, scope, dir, known && (cwd_known || (dir.len && dir.s[0] == '/')));
}

/* cd -: back to the directory the last cd left ($OLDPWD). */
static void back_dir(sh_ctx *c, unsigned scope)
{
    const sh_bind *b = sh_bind_get(c, scope, prev_dir);
    if (b)
        set_dir(c, scope, b->value, b->known);
    else
        unknown_cwd(c, scope);
}

/* pushd DIR: the directory left goes on the stack. */
static void push_dir(sh_ctx *c, unsigned scope, pe_str w, unsigned flags)
{
    int known;
    pe_str cwd = sh_cwd(c, scope, &known);
    const sh_bind *b = sh_bind_get(c, scope, dir_stack);
    pe_str old = b ? b->value : no_str;
    unsigned n = b ? b->nalts : 0;
    known = known && (!b || b->known);
    char *d = sh_alloc(c, cwd.len + 1 + old.len + 1);
    if (!d)
        return;
    memcpy(d, cwd.s, cwd.len);
    d[cwd.len] = '\0';
    memcpy(d + cwd.len + 1, old.s, old.len);
    pe_str v = {d, cwd.len + (n ? 1 + old.len : 0)};
    d[v.len] = '\0';
    sh_bind *nb = sh_bind_set(c, scope, dir_stack, v, known);
    if (nb)
        nb->nalts = n + 1;
    change_dir(c, scope, w, flags);
}

/* popd: back to the directory on top of the stack. */
static void pop_dir(sh_ctx *c, unsigned scope)
{
    const sh_bind *b = sh_bind_get(c, scope, dir_stack);
    if (!b || !b->nalts || !b->known) {
        unknown_cwd(c, scope);
        return;
    }
    const char *nul = memchr(b->value.s, '\0', b->value.len);
    pe_str top = {b->value.s, nul ? (size_t)(nul - b->value.s) : b->value.len};
    pe_str rest = nul ? (pe_str){nul + 1, b->value.len - top.len - 1} : no_str;
    unsigned n = b->nalts - 1;
    set_dir(c, scope, top, 1);
    sh_bind *nb = sh_bind_set(c, scope, dir_stack, rest, 1);
    if (nb)
        nb->nalts = n;
}

/* The operands of a builtin after its options; options in arg_opts take
 * a value (read -p PROMPT). */
static size_t first_operand(const pe_shell_cmd *k, const char *arg_opts)
{
    size_t j = 1;
    for (; j < k->argc; j++) {
        pe_str a = k->argv[j];
        if (sh_eq(a, "--"))
            return j + 1;
        if (a.len < 2 || a.s[0] != '-')
            break;
        char last = a.s[a.len - 1];
        if (arg_opts && strchr(arg_opts, last) && j + 1 < k->argc)
            j++;
    }
    return j;
}

static void directory(sh_ctx *c, unsigned scope, const pe_shell_cmd *k)
{
    pe_str base = k->base;
    size_t j = first_operand(k, NULL);
    int pushd = sh_eq(base, "pushd");
    if (sh_eq(base, "popd")) {
        if (j < k->argc || j > 1)
            unknown_cwd(c, scope); /* popd +N, -n */
        else
            pop_dir(c, scope);
    } else if (j >= k->argc && !pushd) {
        pe_str home;
        int set, known = sh_value_of(c, scope, lit("HOME"), &home, &set, NULL);
        set_dir(c, scope, known ? home : lit("?"), known);
    } else if (j >= k->argc || (k->argv[j].len && k->argv[j].s[0] == '+') ||
               (pushd && sh_eq(k->argv[j], "-"))) {
        unknown_cwd(c, scope); /* pushd alone swaps, +N rotates */
    } else if (sh_eq(k->argv[j], "-")) {
        back_dir(c, scope);
    } else if (pushd) {
        push_dir(c, scope, k->argv[j], k->argf[j]);
    } else {
        change_dir(c, scope, k->argv[j], k->argf[j]);
    }
}

/* ---- functions --------------------------------------------------------------- */

void sh_func_define(sh_ctx *c, pe_str name, unsigned body_scope, unsigned def_scope)
{
    if (sh_grow(c, (void **)&c->funcs, &c->func_cap, c->nfuncs + 1, sizeof(*c->funcs)))
        return;
    sh_func *f = &c->funcs[c->nfuncs++];
    f->name = name;
    f->scope = body_scope;
    f->def_scope = def_scope;
}

/* A call of a function defined on the line runs its body in the caller's
 * shell: what the body set (not declared local) and where it cd'd stay. */
static void call_function(sh_ctx *c, unsigned scope, const pe_shell_cmd *k)
{
    if (k->argf[0] & (PE_SHELL_W_QUOTED | PE_SHELL_W_EXPANDS))
        return;
    const sh_func *f = NULL;
    for (size_t i = c->nfuncs; i-- > 0 && !f;)
        if (same(c->funcs[i].name, k->argv[0]) && encloses(c, c->funcs[i].def_scope, scope))
            f = &c->funcs[i];
    if (!f || sh_work(c, c->nbinds))
        return;
    unsigned body = f->scope;
    int caller_known;
    pe_str caller = sh_cwd(c, scope, &caller_known);
    for (size_t i = 0, n = c->nbinds; i < n; i++) {
        sh_bind b = c->binds[i];
        if (b.scope != body || b.local)
            continue;
        if (!b.name.len && b.value.len && b.value.s[0] != '/' && caller.len)
            b.known = 0; /* cd sub in the body: relative to where it was defined */
        sh_bind *nb = sh_bind_set(c, scope, b.name, b.value, b.known);
        if (nb)
            nb->nalts = b.nalts, nb->tainted = b.tainted;
    }
}

void sh_scope_update(sh_ctx *c, size_t idx)
{
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *k = &sc->pub;
    unsigned scope = sc->scope;
    if (k->argc == 0) { /* NAME=value alone: the shell's own variables */
        for (size_t j = 0; j < k->nwords; j++)
            if (k->wordf[j] & PE_SHELL_W_ASSIGN)
                assign(c, scope, k->words[j], k->wordf[j], 0);
        return;
    }
    pe_str base = k->base;
    if (sh_eq(base, "export") || sh_eq(base, "declare") || sh_eq(base, "typeset") ||
        sh_eq(base, "local") || sh_eq(base, "readonly")) {
        int ref = 0; /* declare -n r=HOME: $r is $HOME */
        int local = !sh_eq(base, "export") && !sh_eq(base, "readonly");
        for (size_t j = 1; j < k->argc; j++) {
            pe_str a = k->argv[j];
            if (a.len > 1 && a.s[0] == '-') {
                ref |= memchr(a.s, 'n', a.len) != NULL;
                local &= !memchr(a.s, 'g', a.len);
            } else if (memchr(a.s, '=', a.len)) {
                if (ref)
                    nameref(c, scope, a, k->argf[j]);
                else
                    assign(c, scope, a, k->argf[j], local);
            }
        }
    } else if (sh_eq(base, "alias")) {
        for (size_t j = 1; j < k->argc; j++)
            alias_set(c, scope, k->argv[j]);
    } else if (sh_eq(base, "unalias")) {
        for (size_t j = first_operand(k, NULL); j < k->argc; j++)
            alias_set(c, scope, k->argv[j]);
    } else if (sh_eq(base, "cd") || sh_eq(base, "pushd") || sh_eq(base, "popd")) {
        directory(c, scope, k);
    } else if (sh_eq(base, "unset")) {
        for (size_t j = first_operand(k, NULL); j < k->argc; j++)
            sh_bind_set(c, scope, k->argv[j], no_str, 1);
    } else if (sh_eq(base, "read") || sh_eq(base, "mapfile") || sh_eq(base, "readarray")) {
        for (size_t j = first_operand(k, "adinNptuCc"); j < k->argc; j++) {
            sh_bind *b = sh_bind_set(c, scope, k->argv[j], k->argv[j], 0);
            if (b)
                b->tainted = 1; /* what it reads is another command's output */
        }
    } else if (c->nfuncs) {
        call_function(c, scope, k);
    }
}

/* ---- commands made of known values ------------------------------------- */

/* Splits text into fields on the characters of ifs into the arena (runs of
 * separators make one break: exact for blanks, close enough for others). */
static size_t split_fields(sh_ctx *c, pe_str t, pe_str ifs, pe_str *w, unsigned *f, size_t max)
{
    size_t n = 0, i = 0;
    while (i < t.len && n < max) {
        while (i < t.len && memchr(ifs.s, t.s[i], ifs.len))
            i++;
        size_t j = i;
        while (j < t.len && !memchr(ifs.s, t.s[j], ifs.len))
            j++;
        if (j > i) {
            char *d = sh_strndup(c, t.s + i, j - i);
            if (!d)
                return n;
            w[n].s = d;
            w[n].len = j - i;
            f[n] = memchr(d, '*', j - i) || memchr(d, '?', j - i) ? PE_SHELL_W_GLOB : 0;
            n++;
        }
        i = j;
    }
    return n;
}

/* A command whose name is an alias runs the alias's text with the
 * command's other words appended (quoted, as they were given). */
static int run_alias(sh_ctx *c, size_t idx)
{
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *k = &sc->pub;
    if (k->argf[0] & (PE_SHELL_W_QUOTED | PE_SHELL_W_EXPANDS))
        return 0; /* "x" and \x are not aliases */
    char key[72];
    if (k->argv[0].len + 1 >= sizeof(key))
        return 0;
    key[0] = '=';
    memcpy(key + 1, k->argv[0].s, k->argv[0].len);
    pe_str name = {key, k->argv[0].len + 1};
    const sh_bind *b = sh_bind_get(c, sc->scope, name);
    if (!b || !b->known)
        return 0;
    size_t len = b->value.len + 1;
    for (size_t j = 1; j < k->argc; j++)
        len += 3 + 4 * k->argv[j].len;
    char *t = sh_alloc(c, len + 1), *o = t;
    if (!t)
        return 0;
    memcpy(o, b->value.s, b->value.len);
    o += b->value.len;
    for (size_t j = 1; j < k->argc; j++) {
        *o++ = ' ';
        *o++ = '\'';
        for (size_t i = 0; i < k->argv[j].len; i++) {
            if (k->argv[j].s[i] == '\'') {
                memcpy(o, "'\\''", 4);
                o += 4;
            } else {
                *o++ = k->argv[j].s[i];
            }
        }
        *o++ = '\'';
    }
    *o = '\0';
    pe_str code = {t, (size_t)(o - t)}, value = b->value;
    unsigned scope = sc->scope;
    c->cmds[idx].pub.flags |= PE_SHELL_C_RESOLVED;
    /* an alias is not expanded in its own text (alias ls='ls -F') */
    char *kept = sh_strndup(c, key, name.len);
    if (!kept)
        return 0;
    name.s = kept;
    sh_bind_set(c, scope, name, no_str, 0);
    sh_run_code(c, code, k->depth, PE_SHELL_EXPANDED, scope, 0);
    sh_bind_set(c, scope, name, value, 1);
    return 1;
}

/* The command rebuilt with the values of its variables (combination alt
 * of the loop variables' values, *nalts of them) and run; 1 when it was. */
static int resolve_alt(sh_ctx *c, size_t idx, int alt, size_t *nalts, unsigned scope)
{
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *k = &sc->pub;
    /* the words from the command name on; those before stay as written */
    size_t first = (size_t)(k->argv - k->words), words = k->nwords, cap = 0, changed = 0;
    pe_str ifs;
    int ifs_set;
    if (!sh_value_of(c, sc->scope, lit("IFS"), &ifs, &ifs_set, NULL))
        ifs = lit(" \t\n"); /* not known: the default; an empty IFS splits nothing */
    pe_str *tx = sh_alloc(c, words * sizeof(*tx));
    unsigned char *kn = sh_alloc(c, words);
    if (!tx || !kn)
        return 0;
    for (size_t j = 0; j < words; j++) {
        unsigned wf = k->wordf[j];
        sh_xinfo x = {alt, 0, 0};
        kn[j] = j >= first && (wf & PE_SHELL_W_PARAM) &&
                sh_expand_x(c, sc->scope, k->words[j], wf, &tx[j], &x);
        if (x.nalts > *nalts)
            *nalts = x.nalts;
        if (!kn[j])
            tx[j] = k->words[j];
        changed += kn[j];
        cap += kn[j] && !(wf & PE_SHELL_W_QUOTED) ? tx[j].len / 2 + 1 : 1;
    }
    /* nothing known to put in, or a name that stays unknown */
    if (!changed || ((k->argf[0] & PE_SHELL_W_UNKNOWN_NAME) && !kn[first]))
        return 0;
    pe_str *w = sh_alloc(c, cap * sizeof(*w));
    unsigned *f = sh_alloc(c, cap * sizeof(*f));
    if (!w || !f)
        return 0;
    size_t n = 0;
    for (size_t j = 0; j < words && n < cap; j++) {
        unsigned wf = k->wordf[j];
        if (!kn[j]) {
            w[n] = tx[j];
            f[n++] = wf;
        } else if (wf & PE_SHELL_W_QUOTED) {
            w[n] = tx[j];
            f[n++] = wf & ~(PE_SHELL_W_PARAM | PE_SHELL_W_TILDE);
        } else {
            n += split_fields(c, tx[j], ifs, w + n, f + n, cap - n);
        }
    }
    if (n == 0)
        return 0;
    c->cmds[idx].pub.flags |= PE_SHELL_C_RESOLVED;
    sh_run_words_of(c, w, f, n, k->depth + 1, PE_SHELL_EXPANDED, scope, idx);
    return 1;
}

int sh_scope_resolve(sh_ctx *c, size_t idx)
{
    const sh_cmd *sc = &c->cmds[idx];
    if (sc->pub.argc == 0)
        return 0;
    if (run_alias(c, idx))
        return 1;
    size_t nalts = 0, first = (size_t)(sc->pub.argv - sc->pub.words);
    for (size_t j = first; j < sc->pub.nwords; j++) {
        sh_xinfo x = {0, 0, 0};
        pe_str t;
        if (sc->pub.wordf[j] & PE_SHELL_W_PARAM)
            sh_expand_x(c, sc->scope, sc->pub.words[j], sc->pub.wordf[j], &t, &x);
        nalts = x.nalts > nalts ? x.nalts : nalts;
    }
    /* a loop variable: the command once per value (each combination), each
     * in a scope of its own (one of them cd's, not all in turn) */
    unsigned scope = nalts > 1 ? sh_scope_new(c, sc->scope) : sc->scope;
    if (!resolve_alt(c, idx, 0, &nalts, scope))
        return 0;
    for (size_t alt = 1; alt < nalts && alt < 16 && !c->stop; alt++)
        resolve_alt(c, idx, (int)alt, &nalts, sh_scope_new(c, c->cmds[idx].scope));
    return nalts > 1 ? 2 : 1;
}
