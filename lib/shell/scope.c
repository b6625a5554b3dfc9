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

void sh_bind_set(sh_ctx *c, unsigned scope, pe_str name, pe_str value, int known)
{
    if (c->nbinds >= UINT32_MAX - 1 || grow_slots(c) ||
        sh_grow(c, (void **)&c->binds, &c->bind_cap, c->nbinds + 1, sizeof(*c->binds)))
        return;
    sh_bind *b = &c->binds[c->nbinds];
    b->scope = scope;
    b->name = name;
    b->value = value;
    b->known = known;
    uint32_t *slot = name_slot(c, name);
    b->prev = *slot ? (long)*slot - 1 : -1;
    *slot = (uint32_t)++c->nbinds;
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

/* ---- values ------------------------------------------------------------- */

/* A variable's value when nothing in the command line set it: what the
 * analysis may assume. $SHELL and $BASH are taken for shells, so that
 * `$SHELL -c '...'` is read as the shell it runs. */
static int builtin_value(const sh_ctx *c, pe_str name, pe_str *v)
{
    const char *home = c->env && c->env->home ? c->env->home : "";
    if (sh_eq(name, "HOME") && home[0])
        *v = lit(home);
    else if (sh_eq(name, "IFS"))
        *v = lit(" \t\n");
    else if (sh_eq(name, "SHELL"))
        *v = lit("/bin/sh");
    else if (sh_eq(name, "BASH"))
        *v = lit("/bin/bash");
    else
        return 0;
    return 1;
}

/* The value of variable name in scope: 1 known (in *v), 0 not known. */
static int value_of(sh_ctx *c, unsigned scope, pe_str name, pe_str *v, int *set)
{
    const sh_bind *b = sh_bind_get(c, scope, name);
    if (b) {
        *v = b->value;
        *set = 1;
        return b->known;
    }
    *set = builtin_value(c, name, v);
    return *set;
}

typedef struct expander {
    sh_ctx *c;
    unsigned scope;
    char *out;
    size_t n, cap;
    int known;
} expander;

static void put(expander *e, const char *s, size_t len)
{
    if (e->n + len + 1 > e->cap) {
        size_t cap = e->cap ? e->cap : 64;
        while (cap < e->n + len + 1)
            cap *= 2;
        char *p = sh_alloc(e->c, cap);
        if (!p) {
            e->known = 0;
            return;
        }
        if (e->n)
            memcpy(p, e->out, e->n);
        e->out = p;
        e->cap = cap;
    }
    memcpy(e->out + e->n, s, len);
    e->n += len;
}

/* Index just past the matching close of an opening bracket at i. */
static size_t skip_group(pe_str w, size_t i, char open, char close)
{
    int d = 0;
    for (; i < w.len; i++) {
        if (w.s[i] == open)
            d++;
        else if (w.s[i] == close && --d == 0)
            return i + 1;
    }
    return w.len;
}

static size_t name_end(pe_str w, size_t i)
{
    while (i < w.len && sh_is_name_char((unsigned char)w.s[i]))
        i++;
    return i;
}

/* ${...} from i (at '$'); j is past the closing brace. */
static void brace_param(expander *e, pe_str w, size_t i, size_t j)
{
    pe_str body = {w.s + i + 2, j - i - 3}; /* between the braces */
    size_t ne = name_end(body, 0);
    pe_str name = {body.s, ne}, v;
    int set = 0, known = ne > 0 && value_of(e->c, e->scope, name, &v, &set);
    if (ne == body.len && ne > 0) { /* ${NAME} */
        if (known)
            put(e, v.s, v.len);
        else
            put(e, w.s + i, j - i), e->known = 0;
        return;
    }
    /* ${NAME:-word} ${NAME-word} ${NAME:=word} ${NAME=word}: the word when
     * NAME is unset (or empty, with ':') */
    size_t k = ne;
    int colon = k < body.len && body.s[k] == ':';
    char op = k + colon < body.len ? body.s[k + colon] : 0;
    if (ne > 0 && (op == '-' || op == '=')) {
        pe_str word = {body.s + k + colon + 1, body.len - k - colon - 1};
        if (known && !(colon && v.len == 0)) {
            put(e, v.s, v.len);
            return;
        }
        if (!set || (colon && known && v.len == 0)) {
            put(e, word.s, word.len); /* the default (its own expansions as written) */
            if (memchr(word.s, '$', word.len) || memchr(word.s, '`', word.len))
                e->known = 0;
            return;
        }
    }
    /* ${NAME:offset:length} on a known value: ${IFS:0:1} is a blank */
    if (ne > 0 && colon && known && k + 1 < body.len && sh_is_digit((unsigned char)body.s[k + 1])) {
        size_t off = 0, len = (size_t)-1, p = k + 1;
        while (p < body.len && sh_is_digit((unsigned char)body.s[p]) && off < 1000000)
            off = off * 10 + (size_t)(body.s[p++] - '0');
        if (p < body.len && body.s[p] == ':') {
            len = 0;
            for (p++; p < body.len && sh_is_digit((unsigned char)body.s[p]) && len < 1000000;)
                len = len * 10 + (size_t)(body.s[p++] - '0');
        }
        if (p == body.len) {
            if (off > v.len)
                off = v.len;
            if (len > v.len - off)
                len = v.len - off;
            put(e, v.s + off, len);
            return;
        }
    }
    put(e, w.s + i, j - i);
    e->known = 0;
}

/* An expansion at w.s[i] == '$'; returns the index past it. */
static size_t dollar(expander *e, pe_str w, size_t i)
{
    char n = i + 1 < w.len ? w.s[i + 1] : 0;
    size_t j;
    if (n == '{') {
        j = skip_group(w, i + 1, '{', '}');
        if (j > i + 3)
            brace_param(e, w, i, j);
        else
            put(e, w.s + i, j - i), e->known = 0;
        return j;
    }
    if (n == '(' || n == '[') { /* $(...), $((...)), $[...]: not known */
        j = skip_group(w, i + 1, n, n == '(' ? ')' : ']');
        put(e, w.s + i, j - i);
        e->known = 0;
        return j;
    }
    if (sh_is_name_start((unsigned char)n)) {
        j = name_end(w, i + 1);
        pe_str name = {w.s + i + 1, j - i - 1}, v;
        int set;
        if (value_of(e->c, e->scope, name, &v, &set))
            put(e, v.s, v.len);
        else
            put(e, w.s + i, j - i), e->known = 0;
        return j;
    }
    if (n && (sh_is_digit((unsigned char)n) || strchr("@*#?$!-", n))) {
        put(e, w.s + i, 2); /* positional and special parameters */
        e->known = 0;
        return i + 2;
    }
    put(e, "$", 1);
    return i + 1;
}

int sh_expand(sh_ctx *c, unsigned scope, pe_str w, unsigned flags, pe_str *out)
{
    *out = w;
    if (!(flags & (PE_SHELL_W_PARAM | PE_SHELL_W_TILDE | PE_SHELL_W_CMDSUB | PE_SHELL_W_ARITH)))
        return !(flags & PE_SHELL_W_PROCSUB);
    expander e = {c, scope, NULL, 0, 0, 1};
    size_t i = 0;
    if ((flags & PE_SHELL_W_TILDE) && w.len && w.s[0] == '~' && (w.len == 1 || w.s[1] == '/')) {
        const char *home = c->env && c->env->home ? c->env->home : "";
        if (home[0])
            put(&e, home, strlen(home));
        else
            put(&e, "~", 1), e.known = 0;
        i = 1;
    }
    /* ~user/... stays as written: the event stage knows the user's home */
    int params = (flags & (PE_SHELL_W_PARAM | PE_SHELL_W_CMDSUB | PE_SHELL_W_ARITH)) != 0;
    while (i < w.len && !c->stop) {
        const char *d = params ? memchr(w.s + i, '$', w.len - i) : NULL;
        const char *b = params ? memchr(w.s + i, '`', w.len - i) : NULL;
        size_t at = d ? (size_t)(d - w.s) : w.len;
        size_t bt = b ? (size_t)(b - w.s) : w.len;
        if (bt < at) { /* a backquoted substitution: not known */
            const char *end = memchr(w.s + bt + 1, '`', w.len - bt - 1);
            size_t j = end ? (size_t)(end - w.s) + 1 : w.len;
            put(&e, w.s + i, j - i);
            e.known = 0;
            i = j;
            continue;
        }
        put(&e, w.s + i, at - i);
        if (at >= w.len)
            break;
        i = dollar(&e, w, at);
    }
    if (flags & PE_SHELL_W_PROCSUB)
        e.known = 0;
    if (!e.out)
        return e.known;
    e.out[e.n] = '\0';
    out->s = e.out;
    out->len = e.n;
    return e.known;
}

/* ---- what commands do to the shell's state ------------------------------ */

/* NAME=value or NAME+=value in scope. */
static void assign(sh_ctx *c, unsigned scope, pe_str w, unsigned flags)
{
    const char *eq = memchr(w.s, '=', w.len);
    if (!eq)
        return;
    size_t nl = (size_t)(eq - w.s);
    int append = nl > 0 && w.s[nl - 1] == '+';
    pe_str name = {w.s, nl - (size_t)append}, raw = {eq + 1, w.len - nl - 1}, v;
    int known = raw.len > 0 && raw.s[0] == '(' ? 0 : sh_expand(c, scope, raw, flags, &v);
    if (raw.len > 0 && raw.s[0] == '(')
        v = raw; /* an array */
    if (append) {
        pe_str old;
        int set, oldk = value_of(c, scope, name, &old, &set);
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
    sh_bind_set(c, scope, name, v, known);
}

/* declare -n NAME=TARGET: NAME stands for TARGET. The reference is
 * followed once, when declared (a later change of TARGET is not seen). */
static void nameref(sh_ctx *c, unsigned scope, pe_str w, unsigned flags)
{
    const char *eq = memchr(w.s, '=', w.len);
    pe_str name = {w.s, (size_t)(eq - w.s)}, target = {eq + 1, w.len - name.len - 1}, v;
    int set, known = !(flags & PE_SHELL_W_EXPANDS) && value_of(c, scope, target, &v, &set);
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
    sh_bind_set(c, scope, no_str, dir, known && (cwd_known || dir.s[0] == '/'));
}

static void unknown_cwd(sh_ctx *c, unsigned scope)
{
    sh_bind_set(c, scope, no_str, lit("?"), 0);
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

void sh_scope_update(sh_ctx *c, size_t idx)
{
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *k = &sc->pub;
    unsigned scope = sc->scope;
    if (k->argc == 0) { /* NAME=value alone: the shell's own variables */
        for (size_t j = 0; j < k->nwords; j++)
            if (k->wordf[j] & PE_SHELL_W_ASSIGN)
                assign(c, scope, k->words[j], k->wordf[j]);
        return;
    }
    pe_str base = k->base;
    if (sh_eq(base, "export") || sh_eq(base, "declare") || sh_eq(base, "typeset") ||
        sh_eq(base, "local") || sh_eq(base, "readonly")) {
        int ref = 0; /* declare -n r=HOME: $r is $HOME */
        for (size_t j = 1; j < k->argc; j++) {
            pe_str a = k->argv[j];
            if (a.len > 1 && a.s[0] == '-' && memchr(a.s, 'n', a.len))
                ref = 1;
            else if (memchr(a.s, '=', a.len) && a.s[0] != '-')
                (ref ? nameref : assign)(c, scope, a, k->argf[j]);
        }
    } else if (sh_eq(base, "alias")) {
        for (size_t j = 1; j < k->argc; j++)
            alias_set(c, scope, k->argv[j]);
    } else if (sh_eq(base, "unalias")) {
        for (size_t j = first_operand(k, NULL); j < k->argc; j++)
            alias_set(c, scope, k->argv[j]);
    } else if (sh_eq(base, "cd") || sh_eq(base, "pushd")) {
        size_t j = first_operand(k, NULL);
        if (j >= k->argc)
            sh_bind_set(c, scope, no_str, lit(c->env && c->env->home ? c->env->home : "?"),
                        c->env && c->env->home && c->env->home[0]);
        else if (sh_eq(k->argv[j], "-") || (k->argv[j].len && k->argv[j].s[0] == '+'))
            unknown_cwd(c, scope);
        else
            change_dir(c, scope, k->argv[j], k->argf[j]);
    } else if (sh_eq(base, "popd")) {
        unknown_cwd(c, scope);
    } else if (sh_eq(base, "unset")) {
        for (size_t j = first_operand(k, NULL); j < k->argc; j++)
            sh_bind_set(c, scope, k->argv[j], no_str, 1);
    } else if (sh_eq(base, "read") || sh_eq(base, "mapfile") || sh_eq(base, "readarray")) {
        for (size_t j = first_operand(k, "adinNptuCc"); j < k->argc; j++)
            sh_bind_set(c, scope, k->argv[j], k->argv[j], 0);
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

int sh_scope_resolve(sh_ctx *c, size_t idx)
{
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *k = &sc->pub;
    /* the words from the command name on; those before stay as written */
    size_t first = (size_t)(k->argv - k->words), words = k->nwords, cap = 0, changed = 0;
    if (k->argc == 0)
        return 0;
    if (run_alias(c, idx))
        return 1;
    pe_str ifs;
    int ifs_set;
    if (!value_of(c, sc->scope, lit("IFS"), &ifs, &ifs_set))
        ifs = lit(" \t\n"); /* not known: the default; an empty IFS splits nothing */
    pe_str *tx = sh_alloc(c, words * sizeof(*tx));
    unsigned char *kn = sh_alloc(c, words);
    if (!tx || !kn)
        return 0;
    for (size_t j = 0; j < words; j++) {
        unsigned wf = k->wordf[j];
        kn[j] = j >= first && (wf & PE_SHELL_W_PARAM) &&
                sh_expand(c, sc->scope, k->words[j], wf, &tx[j]);
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
    sh_run_words(c, w, f, n, k->depth + 1, PE_SHELL_EXPANDED, sc->scope, sc->src);
    return 1;
}
