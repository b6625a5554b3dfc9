#include "eval/prefilter_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prempti/common.h"
#include "compile/regex.h"
#include "event/shell_fields.h"
#include "util/aho.h"
#include "util/hash.h"
#include "util/mem.h"

/* ---- trigger sets ---- */

/* AT_PRESENT: the field has a value (a boolean field: the value true). */
typedef enum atom_kind { AT_EXACT, AT_SUBSTR, AT_ISUBSTR, AT_PRESENT, AT_KIND_COUNT } atom_kind;

typedef struct atom {
    pe_field_id field;
    atom_kind kind;
    const char *s;
    size_t len;
} atom;

/* A trigger set; `none` means the node has no necessary atoms (it can hold
 * whatever the event says). An empty set that is not `none` means the node
 * can never hold. */
typedef struct atomset {
    atom *v;
    size_t n, cap;
    int none;
} atomset;

static void set_free(atomset *s)
{
    free(s->v);
    memset(s, 0, sizeof(*s));
}

static int set_add(atomset *s, atom a)
{
    return PE_PUSH(s->v, s->n, s->cap, a);
}

/* Whether s already has atom a (a disjunction of many checks on one
 * command's runs repeats it). */
static int set_has(const atomset *s, const atom *a)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].field == a->field && s->v[i].kind == a->kind && s->v[i].len == a->len &&
            memcmp(s->v[i].s, a->s, a->len) == 0)
            return 1;
    return 0;
}

static atomset set_none(void)
{
    atomset s = {NULL, 0, 0, 1};
    return s;
}

/* Fields with a handful of values, some of them on most events: Bash is
 * a large share of all tool calls, and every event has an agent. */
static int few_values(pe_field_id f)
{
    switch (f) {
    case PE_F_TOOL_NAME:
    case PE_F_TOOL_KIND:
    case PE_F_TOOL_PATCH_OP:
    case PE_F_AGENT_NAME:
    case PE_F_AGENT_OS:
    case PE_F_AGENT_DIALECT:
    case PE_F_AGENT_HOOK_EVENT_NAME:
    case PE_F_AGENT_PERMISSION_MODE:
        return 1;
    default:
        return 0;
    }
}

/* Fields that have no value on most events, even on most shell commands
 * (a list of them is absent when empty): every check on one is false
 * without a value, so its presence is a trigger. How often each has one:
 * most commands name a path or a subcommand, few write, delete, upload or
 * run code. Booleans are triggers when true. */
static double presence_weight(pe_field_id f)
{
    switch (f) {
    case PE_F_SHELL_PATHS:
    case PE_F_SHELL_READ_PATHS:
    case PE_F_SHELL_LISTED_PATHS:
    case PE_F_SHELL_SUBCOMMANDS:
        return 0.15;
    case PE_F_SHELL_WRITE_PATHS:
    case PE_F_SHELL_DELETE_PATHS:
    case PE_F_SHELL_EXEC_PATHS:
    case PE_F_SHELL_UPLOAD_PATHS:
    case PE_F_SHELL_URLS:
    case PE_F_SHELL_HOSTS:
    case PE_F_SHELL_ENV:
    case PE_F_SHELL_LANGUAGES:
    case PE_F_SHELL_DECODED:
    case PE_F_SHELL_PACKAGES:
    case PE_F_SHELL_PACKAGE_LOOKALIKES:
        return 0.03;
    default:
        return 0;
    }
}

/* Fields whose value takes real work (a secret scan of the whole input,
 * hosts in a written text, lookalike names): a trigger computes its field
 * for every event, so one on these must be worth it. */
static int costly(pe_field_id f)
{
    return f == PE_F_TOOL_INPUT_SECRETS || f == PE_F_TOOL_NEW_TEXT_HOSTS ||
           f == PE_F_SHELL_PACKAGE_LOOKALIKES;
}

/* An estimate of how often an atom holds for a typical event: the smaller,
 * the better the set filters. Equality is rare, except on fields with few
 * values (tool.name = Bash holds for a large share of events); substrings
 * get rarer with length; lazily computed fields cost an extraction, costly
 * ones much more. */
static double atom_weight(const atom *a)
{
    double w;
    if (a->kind == AT_PRESENT)
        w = pe_field(a->field)->type == PE_FT_BOOL ? 0.02 : presence_weight(a->field);
    else if (a->kind == AT_EXACT)
        w = few_values(a->field) ? 0.5 : 0.003;
    else {
        w = 1.0;
        for (size_t i = 0; i < a->len && w > 0.005; i++)
            w *= 0.55;
        if (a->kind == AT_ISUBSTR)
            w *= 1.5;
    }
    if (pe_field(a->field)->lazy)
        w *= 2;
    if (costly(a->field))
        w *= 200;
    return w;
}

static double set_weight(const atomset *s)
{
    double w = 0;
    for (size_t i = 0; i < s->n; i++)
        w += atom_weight(&s->v[i]);
    return w;
}

/* Skips a bracket expression starting at p[i] == '['; returns the index
 * after it, or len when it is not closed. */
static size_t skip_bracket(const char *p, size_t len, size_t i)
{
    i++;
    if (i < len && (p[i] == '!' || p[i] == '^'))
        i++;
    if (i < len && p[i] == ']')
        i++;
    while (i < len && p[i] != ']')
        i++;
    return i < len ? i + 1 : len;
}

/* Longest run of literal characters of a glob pattern: outside brackets,
 * without * ? or escapes. Every such run must appear in a matching value. */
static void glob_literal(const char *p, size_t len, const char **out, size_t *out_len)
{
    size_t best = 0, best_at = 0, i = 0;
    while (i < len) {
        while (i < len && strchr("*?[\\", p[i])) {
            if (p[i] == '[')
                i = skip_bracket(p, len, i);
            else
                i += p[i] == '\\' ? 2 : 1;
        }
        if (i > len)
            i = len;
        size_t start = i;
        while (i < len && !strchr("*?[\\", p[i]))
            i++;
        if (i - start > best) {
            best = i - start;
            best_at = start;
        }
    }
    *out = p + best_at;
    *out_len = best;
}

/* Longest component of a pmatch pattern without wildcards; 0 when none. */
static void pmatch_literal(const char *p, size_t len, const char **out, size_t *out_len)
{
    size_t best = 0, best_at = 0, i = 0;
    while (i < len) {
        while (i < len && p[i] == '/')
            i++;
        size_t start = i;
        while (i < len && p[i] != '/')
            i++;
        int wild = memchr(p + start, '*', i - start) || memchr(p + start, '?', i - start) ||
                   memchr(p + start, '[', i - start);
        if (!wild && i - start > best) {
            best = i - start;
            best_at = start;
        }
    }
    *out = p + best_at;
    *out_len = best;
}

static atom_kind substr_kind(pe_op op)
{
    return op == PE_OP_ICONTAINS || op == PE_OP_IGLOB ? AT_ISUBSTR : AT_SUBSTR;
}

static int set_one(atomset *out, pe_field_id field, atom_kind kind, const char *s, size_t len)
{
    atomset one = {NULL, 0, 0, 0};
    atom a = {field, kind, s, len};
    if (set_add(&one, a))
        return -1;
    *out = one;
    return 0;
}

/* The trigger set of a check on a field with an argument, or on a boolean:
 * shell.invokes[git reset --hard] = true and a match of an element of
 * shell.flags[rm] need a run of the command, so its name in
 * shell.commands; shell.outside_paths[role] has a value only when the
 * role's path list has one; a boolean `= true` needs the value true. */
static int implied_set(const unsigned char *base, const pe_check *k, atomset *out)
{
    const pe_operand *l = &k->lhs;
    pe_str arg = pe_rstr_str(base, l->arg);
    int is_true = l->type == PE_FT_BOOL && !k->rhs && k->op == PE_OP_EQ &&
                  k->mod == PE_MOD_NONE && k->nvals == 1 && k->nums &&
                  PE_AT(base, k->nums, uint64_t)[0] == 1;
    switch (l->field) {
    case PE_F_SHELL_INVOKES: {
        size_t n = 0;
        while (n < arg.len && arg.s[n] != ' ' && arg.s[n] != ',' && arg.s[n] != '\t')
            n++;
        return is_true && n ? set_one(out, PE_F_SHELL_COMMANDS, AT_EXACT, arg.s, n) : 0;
    }
    case PE_F_SHELL_FLAGS:
        /* `in` and `exists` hold for an empty list; every other check
         * needs an element */
        if (!arg.len || k->op == PE_OP_IN || k->op == PE_OP_EXISTS)
            return 0;
        return set_one(out, PE_F_SHELL_COMMANDS, AT_EXACT, arg.s, arg.len);
    case PE_F_SHELL_OUTSIDE_PATHS: {
        pe_field_id f = pe_shell_role_paths(arg.s, arg.len);
        return f == PE_F_COUNT ? 0 : set_one(out, f, AT_PRESENT, "", 0);
    }
    default:
        return !arg.s && is_true && l->type == PE_FT_BOOL
                   ? set_one(out, (pe_field_id)l->field, AT_PRESENT, "", 0)
                   : 0;
    }
}

static int literal_set(const unsigned char *base, const pe_check *k, atomset *out);

/* The trigger set of one check: its literals; else, on a field that is
 * mostly absent, the field's presence (a check on an absent field is
 * false, `exists` and `!=` too: eval/eval.c). */
static int check_set(const unsigned char *base, const pe_check *k, atomset *out)
{
    *out = set_none();
    const pe_operand *l = &k->lhs;
    if (l->kind != PE_OPD_FIELD)
        return 0;
    if (l->arg.off || l->type == PE_FT_BOOL)
        return implied_set(base, k, out);
    if (literal_set(base, k, out))
        return -1;
    double present = presence_weight((pe_field_id)l->field);
    if (present > 0 && (out->none || set_weight(out) > present)) {
        set_free(out);
        return set_one(out, (pe_field_id)l->field, AT_PRESENT, "", 0);
    }
    return 0;
}

/* The literals of a check as a trigger set. */
static int literal_set(const unsigned char *base, const pe_check *k, atomset *out)
{
    *out = set_none();
    const pe_operand *l = &k->lhs;
    if (k->rhs || (l->type != PE_FT_STRING && l->type != PE_FT_LIST))
        return 0;
    const pe_rstr *rv = PE_AT(base, k->vals, pe_rstr);
    pe_str vals[1];
    /* on a list, `in` holds for an empty one; the other operators need an
     * element that holds (eval.c any_element), which has the literal */
    if (l->type == PE_FT_LIST && k->op == PE_OP_IN)
        return 0;
    atomset s = {NULL, 0, 0, 0};
    int exact = k->op == PE_OP_EQ || k->op == PE_OP_IN || k->op == PE_OP_INTERSECTS;
    int substr = k->op == PE_OP_CONTAINS || k->op == PE_OP_ICONTAINS ||
                 k->op == PE_OP_STARTSWITH || k->op == PE_OP_ENDSWITH;
    int glob = k->op == PE_OP_GLOB || k->op == PE_OP_IGLOB;
    int regex = k->op == PE_OP_REGEX && k->regexes;
    if (!exact && !substr && !glob && !regex && k->op != PE_OP_PMATCH)
        return 0;
    /* For allof every value must hold: one (the longest) suffices as a trigger. */
    size_t from = 0, to = k->nvals;
    if (k->mod == PE_MOD_ALLOF && k->nvals) {
        for (size_t i = 1; i < k->nvals; i++)
            if (rv[i].len > rv[from].len)
                from = i;
        to = from + 1;
    }
    for (size_t i = from; i < to; i++) {
        vals[0] = pe_rstr_str(base, rv[i]);
        atom a = {(pe_field_id)l->field, AT_EXACT, vals[0].s, vals[0].len};
        if (substr || glob) {
            a.kind = substr_kind((pe_op)k->op);
            if (glob)
                glob_literal(vals[0].s, vals[0].len, &a.s, &a.len);
        } else if (k->op == PE_OP_PMATCH) {
            a.kind = AT_SUBSTR;
            pmatch_literal(vals[0].s, vals[0].len, &a.s, &a.len);
        } else if (regex) { /* texts one of which every match contains */
            pe_str needs[PE_REGEX_NEEDS_MAX];
            const pe_regex *re = PE_AT(base, PE_AT(base, k->regexes, pe_ref)[i], pe_regex);
            size_t n = pe_regex_needs(base, re, needs, PE_REGEX_NEEDS_MAX);
            a.kind = AT_SUBSTR;
            a.len = 0;
            for (size_t m = 0; m + 1 < n; m++) {
                atom one = {a.field, AT_SUBSTR, needs[m].s, needs[m].len};
                if (!set_has(&s, &one) && set_add(&s, one)) {
                    set_free(&s);
                    return -1;
                }
            }
            if (n) {
                a.s = needs[n - 1].s;
                a.len = needs[n - 1].len;
            }
        }
        if (a.kind != AT_EXACT && a.len == 0) {
            set_free(&s);
            return 0; /* an empty needle holds for every value */
        }
        if (set_add(&s, a)) {
            set_free(&s);
            return -1;
        }
    }
    *out = s; /* may be empty: `in ()` never holds */
    return 0;
}

/* What a build has already worked out for nodes shared by several rules
 * (a macro's compiled body is one node however many rules use it): the
 * trigger set of each macro reference, and the macro bodies whose checks
 * were collected. Without it a macro used twice by each of its users
 * would be walked an exponential number of times. */
typedef struct shared {
    const unsigned char *base; /* the region being built */
    pe_hmap sets;   /* macro node address -> its atomset (malloc'd) */
    pe_hmap walked; /* macro node address -> itself */
    pe_arena keys;
} shared;

static void shared_free(shared *sh)
{
    for (size_t i = 0; i < sh->sets.cap; i++)
        if (sh->sets.ents[i].key) {
            atomset *s = sh->sets.ents[i].val;
            set_free(s);
            free(s);
        }
    pe_hmap_free(&sh->sets);
    pe_hmap_free(&sh->walked);
    pe_arena_free(&sh->keys);
}

/* A key holding node's address, kept in the arena (keys are not copied). */
static const char *node_key(shared *sh, const pe_cnode *n)
{
    const pe_cnode **k = pe_arena_alloc(&sh->keys, sizeof(*k));
    if (k)
        *k = n;
    return (const char *)k;
}

static int set_copy(const atomset *from, atomset *out)
{
    *out = *from;
    out->v = NULL;
    out->cap = 0;
    if (!from->n)
        return 0;
    out->v = malloc(from->n * sizeof(*out->v));
    if (!out->v)
        return -1;
    memcpy(out->v, from->v, from->n * sizeof(*out->v));
    out->cap = from->n;
    return 0;
}

static int derive(shared *sh, const pe_cnode *n, atomset *out, unsigned depth);

static int derive_and(shared *sh, const pe_cnode *n, atomset *out, unsigned depth)
{
    atomset best = set_none();
    double best_w = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        atomset s;
        if (derive(sh, pe_cnode_kid(sh->base, n, (uint32_t)i), &s, depth + 1)) {
            set_free(&best);
            return -1;
        }
        if (s.none)
            continue;
        double w = set_weight(&s);
        if (best.none || w < best_w) {
            set_free(&best);
            best = s;
            best_w = w;
        } else
            set_free(&s);
    }
    *out = best;
    return 0;
}

/* Whether kid i of n is the same node as an earlier kid (`m or m`). */
static int repeated_kid(const unsigned char *base, const pe_cnode *n, size_t i)
{
    const pe_ref *kids = PE_AT(base, n->kids, pe_ref);
    for (size_t j = 0; j < i; j++)
        if (kids[j] == kids[i])
            return 1;
    return 0;
}

static int derive_or(shared *sh, const pe_cnode *n, atomset *out, unsigned depth)
{
    atomset all = {NULL, 0, 0, 0};
    for (size_t i = 0; i < n->nkids; i++) {
        if (repeated_kid(sh->base, n, i))
            continue; /* the same atoms again */
        atomset s;
        if (derive(sh, pe_cnode_kid(sh->base, n, (uint32_t)i), &s, depth + 1)) {
            set_free(&all);
            return -1;
        }
        if (s.none) {
            set_free(&all);
            *out = set_none();
            return 0;
        }
        for (size_t k = 0; k < s.n; k++)
            if (!set_has(&all, &s.v[k]) && set_add(&all, s.v[k])) {
                set_free(&s);
                set_free(&all);
                return -1;
            }
        set_free(&s);
    }
    *out = all;
    return 0;
}

/* A macro reference's set, worked out once per build. */
static int derive_macro(shared *sh, const pe_cnode *n, atomset *out, unsigned depth)
{
    const atomset *known = pe_hmap_get(&sh->sets, (const char *)&n, sizeof(n));
    if (known)
        return set_copy(known, out);
    if (derive(sh, pe_cnode_kid(sh->base, n, 0), out, depth + 1))
        return -1;
    atomset *keep = malloc(sizeof(*keep));
    const char *key = node_key(sh, n);
    if (!keep || !key || set_copy(out, keep)) {
        free(keep);
        set_free(out);
        return -1;
    }
    if (pe_hmap_put(&sh->sets, key, sizeof(n), keep)) {
        set_free(keep);
        free(keep);
        set_free(out);
        return -1;
    }
    return 0;
}

static int derive(shared *sh, const pe_cnode *n, atomset *out, unsigned depth)
{
    *out = set_none();
    if (depth > 4096)
        return 0;
    switch (n->kind) {
    case PE_C_AND:
        return derive_and(sh, n, out, depth);
    case PE_C_OR:
        return derive_or(sh, n, out, depth);
    case PE_C_CHECK:
        return check_set(sh->base, PE_AT(sh->base, n->check, pe_check), out);
    case PE_C_FALSE:
        out->none = 0; /* never holds */
        return 0;
    case PE_C_MACRO:
        return derive_macro(sh, n, out, depth);
    case PE_C_NOT:
    case PE_C_TRUE:
    default:
        return 0;
    }
}

/* ---- the index ---- */

/* Build-time collection: one entry per distinct (field, kind, literal). */
typedef struct entry {
    atom a;
    uint32_t *ids; /* rules triggered */
    size_t n, cap;
    uint32_t group, pattern; /* where a substring entry ended up */
} entry;

/* A literal of a check, to be given its pattern id once groups exist. */
typedef struct use {
    pe_check *check;
    size_t value;
    size_t entry;
} use;

typedef struct collector {
    entry *v;
    size_t n, cap;
    use *uses;
    size_t nuses, capuses;
    pe_hmap map; /* key: field id, kind, literal -> entry index + 1 */
    pe_arena keys;
} collector;

/* The entry for an atom, created when new; its index, or -1 (OOM). */
static long entry_of(collector *c, const atom *a)
{
    /* key: field id, kind, then the literal's bytes */
    size_t len = a->len + 2;
    char *key = pe_arena_alloc(&c->keys, len);
    if (!key)
        return -1;
    key[0] = (char)a->field;
    key[1] = (char)a->kind;
    memcpy(key + 2, a->s, a->len);
    uintptr_t idx = (uintptr_t)pe_hmap_get(&c->map, key, len);
    if (!idx) {
        entry e = {*a, NULL, 0, 0, 0, 0};
        if (PE_PUSH(c->v, c->n, c->cap, e) || pe_hmap_put(&c->map, key, len, (void *)(c->n)))
            return -1;
        idx = c->n;
    }
    return (long)idx - 1;
}

static int collect(collector *c, const atom *a, uint32_t rule)
{
    long i = entry_of(c, a);
    if (i < 0)
        return -1;
    entry *e = &c->v[i];
    if (e->n && e->ids[e->n - 1] == rule)
        return 0; /* the same rule twice (e.g. Bash twice in one list) */
    return PE_PUSH(e->ids, e->n, e->cap, rule);
}

/* contains/icontains on a plain string field: answered by its group. */
static int answerable(const pe_check *k)
{
    return (k->op == PE_OP_CONTAINS || k->op == PE_OP_ICONTAINS) && !k->rhs &&
           k->lhs.kind == PE_OPD_FIELD && !k->lhs.arg.off && k->lhs.type == PE_FT_STRING &&
           k->nvals > 0;
}

/* Records every literal of the answerable checks under n (a macro's body
 * once). The checks are written later (their pattern ids): the rule set is
 * still being built in the region, so this is part of building it. */
static int collect_checks(collector *c, shared *sh, pe_region *r, const pe_cnode *n, unsigned depth)
{
    if (depth > 4096)
        return 0;
    if (n->kind == PE_C_MACRO) {
        if (pe_hmap_get(&sh->walked, (const char *)&n, sizeof(n)))
            return 0;
        const char *key = node_key(sh, n);
        if (!key || pe_hmap_put(&sh->walked, key, sizeof(n), (void *)n))
            return -1;
    }
    if (n->kind == PE_C_CHECK) {
        pe_check *k = PE_AT_MUT(r, n->check, pe_check);
        if (!answerable(k) || k->lit_ids)
            return 0;
        const pe_rstr *vals = PE_AT(r->base, k->vals, pe_rstr);
        for (size_t i = 0; i < k->nvals; i++) {
            pe_str v = pe_rstr_str(r->base, vals[i]);
            atom a = {(pe_field_id)k->lhs.field, substr_kind((pe_op)k->op), v.s, v.len};
            long e = entry_of(c, &a);
            use u = {k, i, (size_t)e};
            if (e < 0 || PE_PUSH(c->uses, c->nuses, c->capuses, u))
                return -1;
        }
        return 0;
    }
    for (uint32_t i = 0; i < n->nkids; i++)
        if (collect_checks(c, sh, r, pe_cnode_kid(r->base, n, i), depth + 1))
            return -1;
    return 0;
}

static void collector_free(collector *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i].ids);
    free(c->v);
    free(c->uses);
    pe_hmap_free(&c->map);
    pe_arena_free(&c->keys);
}

static int copy_rules(pe_region *r, const entry *e, pf_rules *out)
{
    void *ids = e->n ? pe_region_memdup(r, e->ids, e->n * sizeof(uint32_t)) : NULL;
    out->ids = pe_ref_of(r, ids);
    out->n = (uint32_t)e->n;
    return e->n && !ids ? -1 : 0;
}

static int build_exact(pe_region *r, pf_exact *f, const collector *c)
{
    size_t count = 0;
    for (size_t i = 0; i < c->n; i++)
        count += c->v[i].a.field == f->field && c->v[i].a.kind == AT_EXACT;
    size_t cap = 8;
    while (cap < count * 2)
        cap *= 2;
    exact_slot *slots = cap <= UINT32_MAX ? pe_region_alloc(r, cap * sizeof(*slots)) : NULL;
    if (!slots)
        return -1;
    f->cap = (uint32_t)cap;
    f->slots = pe_ref_of(r, slots);
    for (size_t i = 0; i < c->n; i++) {
        const entry *e = &c->v[i];
        if (e->a.field == f->field && e->a.kind == AT_PRESENT && copy_rules(r, e, &f->present))
            return -1;
        if (e->a.field != f->field || e->a.kind != AT_EXACT)
            continue;
        size_t h = (size_t)pe_hash_bytes(e->a.s, e->a.len) & (cap - 1);
        while (slots[h].s.off)
            h = (h + 1) & (cap - 1);
        /* a copy of its own, not a shared string: the table and what it
         * holds stay together, so checking it reads a few pages of an
         * image, not one page per value */
        char *v = pe_region_strndup(r, e->a.s, e->a.len);
        if (!v || e->a.len > UINT32_MAX || copy_rules(r, e, &slots[h].rules))
            return -1;
        slots[h].s.off = pe_ref_of(r, v);
        slots[h].s.len = (uint32_t)e->a.len;
    }
    return 0;
}

static int build_group(pe_region *r, pf_group *g, collector *c, atom_kind kind, uint32_t gi)
{
    size_t count = 0;
    for (size_t i = 0; i < c->n; i++)
        count += c->v[i].a.field == g->field && c->v[i].a.kind == kind;
    const char **pats = malloc((count + 1) * sizeof(*pats));
    size_t *lens = malloc((count + 1) * sizeof(*lens));
    pf_rules *rules = pe_region_alloc(r, (count + 1) * sizeof(*rules));
    int rc = pats && lens && rules ? 0 : -1;
    uint32_t k = 0;
    for (size_t i = 0; !rc && i < c->n; i++) {
        entry *e = &c->v[i];
        if (e->a.field != g->field || e->a.kind != kind)
            continue;
        pats[k] = e->a.s;
        lens[k] = e->a.len;
        e->group = gi;
        e->pattern = k;
        rc = copy_rules(r, e, &rules[k]);
        g->triggers |= e->n > 0;
        k++;
    }
    const pe_aho *aho = rc ? NULL : pe_aho_build(r, pats, lens, count, kind == AT_ISUBSTR);
    g->aho = pe_ref_of(r, aho);
    g->rules = pe_ref_of(r, rules);
    free(pats);
    free(lens);
    return aho ? 0 : -1;
}

static int build_index(pe_region *r, pe_prefilter *pf, collector *c)
{
    /* one exact table per field with equality atoms, one group per field
     * and case mode with substring literals */
    unsigned char kinds[PE_F_COUNT][AT_KIND_COUNT] = {{0}};
    for (size_t i = 0; i < c->n; i++)
        kinds[c->v[i].a.field][c->v[i].a.kind] = 1;
    for (int f = 0; f < PE_F_COUNT; f++) {
        pf->nexact += kinds[f][AT_EXACT] | kinds[f][AT_PRESENT];
        pf->ngroups += (uint32_t)kinds[f][AT_SUBSTR] + kinds[f][AT_ISUBSTR];
    }
    pf_exact *exact = pe_region_alloc(r, (pf->nexact + 1) * sizeof(*exact));
    pf_group *groups = pe_region_alloc(r, (pf->ngroups + 1) * sizeof(*groups));
    if (!exact || !groups)
        return -1;
    pf->exact = pe_ref_of(r, exact);
    pf->groups = pe_ref_of(r, groups);
    size_t ne = 0, ng = 0;
    for (int f = 0; f < PE_F_COUNT; f++) {
        if (kinds[f][AT_EXACT] || kinds[f][AT_PRESENT]) {
            pf_exact *x = &exact[ne++];
            x->field = (uint8_t)f;
            x->type = (uint8_t)pe_field((pe_field_id)f)->type;
            if (build_exact(r, x, c))
                return -1;
        }
        for (int kind = AT_SUBSTR; kind <= AT_ISUBSTR; kind++) {
            if (!kinds[f][kind])
                continue;
            groups[ng].field = (uint8_t)f;
            if (build_group(r, &groups[ng], c, (atom_kind)kind, (uint32_t)ng))
                return -1;
            ng++;
        }
    }
    return 0;
}

/* Gives every answerable check its group and its values' pattern ids. */
static int assign_checks(pe_region *r, collector *c)
{
    for (size_t u = 0; u < c->nuses; u++) {
        pe_check *k = c->uses[u].check;
        if (!k->lit_ids) {
            uint32_t *ids = pe_region_alloc(r, k->nvals * sizeof(uint32_t));
            if (!ids)
                return -1;
            k->lit_ids = pe_ref_of(r, ids);
        }
        const entry *e = &c->v[c->uses[u].entry];
        k->lit_group = e->group;
        PE_AT_MUT(r, k->lit_ids, uint32_t)[c->uses[u].value] = e->pattern;
    }
    return 0;
}

const pe_prefilter *pe_prefilter_build(pe_region *r, const pe_cnode *const *conds,
                                       const unsigned char *active, size_t n)
{
    pe_prefilter *pf = n <= UINT32_MAX - 64 ? pe_region_alloc(r, sizeof(*pf)) : NULL;
    if (!pf)
        return NULL;
    pf->nrules = (uint32_t)n;
    pf->words = (uint32_t)((n + 63) / 64);
    uint64_t *always = pe_region_alloc(r, (pf->words ? pf->words : 1) * sizeof(uint64_t));
    if (!always)
        return NULL;
    pf->always = pe_ref_of(r, always);
    collector c = {0};
    c.keys.block_size = 16384;
    shared sh = {r->base, PE_HMAP_INIT, PE_HMAP_INIT, PE_ARENA_INIT};
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        if (!active[i] || !conds[i])
            continue;
        atomset s;
        if (collect_checks(&c, &sh, r, conds[i], 0) || derive(&sh, conds[i], &s, 0)) {
            rc = -1;
            break;
        }
        if (s.none) {
            always[i >> 6] |= (uint64_t)1 << (i & 63);
            pf->nalways++;
        }
        for (size_t k = 0; !rc && k < s.n; k++)
            rc = collect(&c, &s.v[k], (uint32_t)i);
        set_free(&s);
    }
    pf->natoms = (uint32_t)c.n;
    if (!rc)
        rc = build_index(r, pf, &c);
    if (!rc)
        rc = assign_checks(r, &c);
    collector_free(&c);
    shared_free(&sh);
    return rc ? NULL : pf;
}
