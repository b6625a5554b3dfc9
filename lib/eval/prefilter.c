#include "eval/prefilter.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prempti/common.h"
#include "util/aho.h"
#include "util/hash.h"
#include "util/mem.h"

/* ---- trigger sets ---- */

typedef enum atom_kind { AT_EXACT, AT_SUBSTR, AT_ISUBSTR } atom_kind;

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

/* An estimate of how often an atom holds for a typical event: the smaller,
 * the better the set filters. Equality is rare, except on fields with few
 * values (tool.name = Bash holds for a large share of events); substrings
 * get rarer with length; lazily computed fields cost an extraction. */
static double atom_weight(const atom *a)
{
    double w;
    if (a->kind == AT_EXACT)
        w = few_values(a->field) ? 0.3 : 0.02;
    else {
        w = 1.0;
        for (size_t i = 0; i < a->len && w > 0.005; i++)
            w *= 0.55;
        if (a->kind == AT_ISUBSTR)
            w *= 1.5;
    }
    if (pe_field(a->field)->lazy)
        w *= 2;
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

/* The trigger set of one check. */
static int check_set(const unsigned char *base, const pe_check *k, atomset *out)
{
    *out = set_none();
    const pe_operand *l = &k->lhs;
    if (l->kind != PE_OPD_FIELD || l->arg.off || k->rhs ||
        (l->type != PE_FT_STRING && l->type != PE_FT_LIST))
        return 0;
    const pe_rstr *rv = PE_AT(base, k->vals, pe_rstr);
    pe_str vals[1];
    if (l->type == PE_FT_LIST && k->op != PE_OP_INTERSECTS)
        return 0;
    atomset s = {NULL, 0, 0, 0};
    int exact = k->op == PE_OP_EQ || k->op == PE_OP_IN || k->op == PE_OP_INTERSECTS;
    int substr = k->op == PE_OP_CONTAINS || k->op == PE_OP_ICONTAINS ||
                 k->op == PE_OP_STARTSWITH || k->op == PE_OP_ENDSWITH;
    int glob = k->op == PE_OP_GLOB || k->op == PE_OP_IGLOB;
    if (!exact && !substr && !glob && k->op != PE_OP_PMATCH)
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
            if (set_add(&all, s.v[k])) {
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

_Static_assert(PE_F_COUNT < 256, "field ids are stored in one byte of index keys");

/* The rules an atom triggers. */
typedef struct pf_rules {
    pe_ref ids; /* n uint32_t rule indexes */
    uint32_t n;
} pf_rules;

typedef struct exact_slot {
    pe_rstr s; /* off 0: empty slot */
    pf_rules rules;
} exact_slot;

/* Equality atoms of one field: a hash table from value to rules (cap a
 * power of two, at least one slot empty). */
typedef struct pf_exact {
    uint8_t field; /* pe_field_id */
    uint8_t type;  /* pe_ftype */
    uint8_t pad[2];
    uint32_t cap;
    pe_ref slots; /* cap exact_slot */
} pf_exact;

/* The substring literals of one field, with or without case: one automaton
 * answers every contains/icontains check on that field, and triggers rules. */
typedef struct pf_group {
    uint8_t field;    /* pe_field_id */
    uint8_t triggers; /* scanned when candidates are computed */
    uint8_t pad[2];
    pe_ref aho;   /* pe_aho */
    pe_ref rules; /* per pattern: the rules it triggers (often none), pf_rules */
} pf_group;

struct pe_prefilter {
    uint32_t nrules, words;
    pe_ref always; /* words uint64_t */
    pe_ref exact;  /* nexact pf_exact */
    uint32_t nexact;
    pe_ref groups; /* ngroups pf_group */
    uint32_t ngroups;
    uint32_t natoms, nalways;
};

/* Per evaluation of one view: each group's found patterns, once scanned. */
struct pe_lits {
    const unsigned char *base;
    const pe_prefilter *pf;
    pe_accel *accel;
    uint64_t **found; /* per group; NULL until the group's field is scanned */
    uint64_t *cands;  /* the candidate set while it is being computed */
};

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
        if (e->a.field != f->field || e->a.kind != AT_EXACT)
            continue;
        size_t h = (size_t)pe_hash_bytes(e->a.s, e->a.len) & (cap - 1);
        while (slots[h].s.off)
            h = (h + 1) & (cap - 1);
        if (pe_region_rstr(r, e->a.s, e->a.len, &slots[h].s) || copy_rules(r, e, &slots[h].rules))
            return -1;
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
    unsigned char kinds[PE_F_COUNT][3] = {{0}};
    for (size_t i = 0; i < c->n; i++)
        kinds[c->v[i].a.field][c->v[i].a.kind] = 1;
    for (int f = 0; f < PE_F_COUNT; f++) {
        pf->nexact += kinds[f][AT_EXACT];
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
        if (kinds[f][AT_EXACT]) {
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

/* ---- checking a prefilter read back ---- */

static int check_rules(pe_rcheck *c, const pf_rules *r, const uint8_t *evaluable, uint32_t nrules)
{
    const uint32_t *ids = pe_rcheck_array(c, r->ids, r->n, sizeof(*ids), "bad rule list");
    if (!ids || pe_rcheck_work(c, r->n))
        return -1;
    for (uint32_t i = 0; i < r->n; i++)
        if (ids[i] >= nrules || !evaluable[ids[i]])
            return pe_rcheck_fail(c, "bad rule in the index");
    return 0;
}

static int check_exact(pe_rcheck *c, const pf_exact *f, const uint8_t *evaluable, uint32_t nrules)
{
    if (f->field >= PE_F_COUNT || f->type != pe_field((pe_field_id)f->field)->type || !f->cap ||
        (f->cap & (f->cap - 1)) || pe_rcheck_work(c, f->cap))
        return pe_rcheck_fail(c, "bad exact table");
    const exact_slot *slots = pe_rcheck_array(c, f->slots, f->cap, sizeof(*slots), "bad slots");
    if (!slots)
        return -1;
    int empty = 0;
    for (uint32_t i = 0; i < f->cap; i++) {
        empty |= !slots[i].s.off;
        if (slots[i].s.off && (pe_rcheck_str(c, slots[i].s, 0, "bad exact value") ||
                               check_rules(c, &slots[i].rules, evaluable, nrules)))
            return -1;
    }
    return empty ? 0 : pe_rcheck_fail(c, "exact table without an empty slot");
}

static int check_group(pe_rcheck *c, const pf_group *g, const uint8_t *evaluable, uint32_t nrules)
{
    const pe_aho *aho;
    if (g->field >= PE_F_COUNT || pe_field((pe_field_id)g->field)->type != PE_FT_STRING ||
        g->triggers > 1 || pe_aho_check(c, g->aho, &aho))
        return pe_rcheck_fail(c, "bad literal group");
    const pf_rules *rules =
        pe_rcheck_array(c, g->rules, aho->npatterns, sizeof(*rules), "bad group");
    if (!rules)
        return -1;
    for (uint32_t i = 0; i < aho->npatterns; i++)
        if (check_rules(c, &rules[i], evaluable, nrules))
            return -1;
    return 0;
}

static int check_always(pe_rcheck *c, const pe_prefilter *pf, const uint8_t *evaluable)
{
    const uint64_t *always = pe_rcheck_array(c, pf->always, pf->words, 8, "bad index");
    if (!always)
        return -1;
    for (uint32_t i = 0; i < pf->words * 64; i++)
        if ((always[i >> 6] >> (i & 63) & 1) && (i >= pf->nrules || !evaluable[i]))
            return pe_rcheck_fail(c, "bad rule in the index");
    return 0;
}

int pe_prefilter_check_head(pe_rcheck *c, pe_ref ref, const uint8_t *evaluable, uint32_t nrules,
                            uint32_t *ngroups, uint32_t **patterns)
{
    *patterns = NULL;
    const pe_prefilter *pf = pe_rcheck_array(c, ref, 1, sizeof(*pf), "bad index");
    if (!pf || !pf->always || pf->nrules != nrules || pf->words != ((uint64_t)nrules + 63) / 64 ||
        check_always(c, pf, evaluable))
        return pe_rcheck_fail(c, "bad index");
    const pf_exact *exact = pe_rcheck_array(c, pf->exact, pf->nexact, sizeof(*exact), "bad index");
    const pf_group *groups =
        pe_rcheck_array(c, pf->groups, pf->ngroups, sizeof(*groups), "bad index");
    if (!exact || !groups || pe_rcheck_work(c, (uint64_t)pf->nexact + pf->ngroups))
        return -1;
    *patterns = calloc(pf->ngroups + 1, sizeof(**patterns));
    if (!*patterns)
        return pe_rcheck_fail(c, "out of memory");
    for (uint32_t g = 0; g < pf->ngroups; g++) { /* each automaton's size: ids are checked
                                                    against it */
        const pe_aho *aho = pe_rcheck_array(c, groups[g].aho, 1, sizeof(*aho), "bad group");
        if (!aho || !groups[g].aho) {
            free(*patterns);
            *patterns = NULL;
            return pe_rcheck_fail(c, "bad group");
        }
        (*patterns)[g] = aho->npatterns;
    }
    *ngroups = pf->ngroups;
    return 0;
}

int pe_prefilter_check_exact(pe_rcheck *c, const pe_prefilter *pf, uint32_t j,
                             const uint8_t *evaluable, uint32_t nrules)
{
    return check_exact(c, &PE_PTR(c->base, pf->exact, pf_exact)[j], evaluable, nrules);
}

int pe_prefilter_check_group(pe_rcheck *c, const pe_prefilter *pf, uint32_t g,
                             const uint8_t *evaluable, uint32_t nrules)
{
    return check_group(c, &PE_PTR(c->base, pf->groups, pf_group)[g], evaluable, nrules);
}

size_t pe_prefilter_words(const pe_prefilter *pf)
{
    return pf->words;
}

size_t pe_prefilter_always_count(const pe_prefilter *pf)
{
    return pf->nalways;
}

size_t pe_prefilter_atom_count(const pe_prefilter *pf)
{
    return pf->natoms;
}

/* ---- dense automata ---- */

/* A group's dense automaton is built once it has scanned this much text
 * (a few long texts, or many short ones), and only up to this size. */
#define DENSE_AFTER ((uint64_t)256 << 10)
#define DENSE_MAX   ((size_t)256 << 20)

typedef struct accel_group {
    _Atomic(pe_aho_dense *) dense;
    atomic_uint_fast64_t scanned;
    atomic_int building; /* a thread is building it (or gave up) */
} accel_group;

/* A part of an image read back, checked before its first use: 0 not yet,
 * 1 good, 2 damaged. */
typedef _Atomic uint8_t part_state;

struct pe_accel {
    const unsigned char *base;
    const pe_prefilter *pf;
    atomic_size_t bytes;
    /* For an image read back (trusted is 0): how to check its parts. */
    int trusted;
    pe_rcheck proto;
    const uint8_t *evaluable;
    uint32_t nrules;
    part_state *exact_state; /* per exact table */
    part_state *group_state; /* per group */
    accel_group g[];
};

static void build_dense(pe_accel *a, uint32_t g)
{
    accel_group *ag = &a->g[g];
    int idle = 0;
    if (!atomic_compare_exchange_strong(&ag->building, &idle, 1))
        return; /* another thread builds it */
    const pf_group *grp = &PE_PTR(a->base, a->pf->groups, pf_group)[g];
    pe_aho_dense *d = pe_aho_dense_build(a->base, PE_PTR(a->base, grp->aho, pe_aho), DENSE_MAX);
    if (d) {
        atomic_fetch_add(&a->bytes, pe_aho_dense_size(d));
        atomic_store_explicit(&ag->dense, d, memory_order_release);
    } /* else: stays compact (building stays set: not tried again) */
}

pe_accel *pe_accel_new(const unsigned char *base, const pe_prefilter *pf, int eager,
                       const pe_rcheck *check, const uint8_t *evaluable, uint32_t nrules)
{
    pe_accel *a = calloc(1, sizeof(*a) + (pf->ngroups + 1) * sizeof(accel_group));
    if (!a)
        return NULL;
    a->base = base;
    a->pf = pf;
    a->trusted = !check;
    if (check) {
        a->proto = *check;
        a->evaluable = evaluable;
        a->nrules = nrules;
        a->exact_state = calloc(pf->nexact + 1, sizeof(*a->exact_state));
        a->group_state = calloc(pf->ngroups + 1, sizeof(*a->group_state));
        if (!a->exact_state || !a->group_state) {
            pe_accel_free(a);
            return NULL;
        }
    }
    for (uint32_t g = 0; eager && g < pf->ngroups; g++)
        build_dense(a, g);
    return a;
}

void pe_accel_free(pe_accel *a)
{
    if (!a)
        return;
    for (uint32_t g = 0; g < a->pf->ngroups; g++)
        pe_aho_dense_free(atomic_load(&a->g[g].dense));
    free(a->exact_state);
    free(a->group_state);
    free(a);
}

/* Whether part i is good, checking it the first time. */
static int part_ok(pe_accel *a, part_state *st, uint32_t i,
                   int (*check)(pe_rcheck *, const pe_prefilter *, uint32_t, const uint8_t *,
                                uint32_t))
{
    if (a->trusted)
        return 1;
    uint8_t s = atomic_load_explicit(&st[i], memory_order_acquire);
    if (!s) {
        pe_rcheck c = a->proto;
        s = check(&c, a->pf, i, a->evaluable, a->nrules) ? 2 : 1;
        atomic_store_explicit(&st[i], s, memory_order_release);
    }
    return s == 1;
}

int pe_accel_check_all(pe_accel *a)
{
    for (uint32_t j = 0; j < a->pf->nexact; j++)
        if (!part_ok(a, a->exact_state, j, pe_prefilter_check_exact))
            return -1;
    for (uint32_t g = 0; g < a->pf->ngroups; g++)
        if (!part_ok(a, a->group_state, g, pe_prefilter_check_group))
            return -1;
    return 0;
}

size_t pe_accel_bytes(const pe_accel *a)
{
    return a ? atomic_load((atomic_size_t *)&a->bytes) : 0;
}

/* The dense automaton of group g, if there is one (building it once the
 * group has scanned enough). */
static const pe_aho_dense *dense_for(pe_accel *a, uint32_t g, size_t len)
{
    if (!a)
        return NULL;
    accel_group *ag = &a->g[g];
    pe_aho_dense *d = atomic_load_explicit(&ag->dense, memory_order_acquire);
    if (d || atomic_load_explicit(&ag->building, memory_order_relaxed))
        return d;
    if (atomic_fetch_add_explicit(&ag->scanned, len, memory_order_relaxed) + len >= DENSE_AFTER) {
        build_dense(a, g);
        return atomic_load_explicit(&ag->dense, memory_order_acquire);
    }
    return NULL;
}

/* ---- evaluation ---- */

static void mark(const unsigned char *base, uint64_t *bits, const pf_rules *r)
{
    const uint32_t *ids = PE_AT(base, r->ids, uint32_t);
    for (uint32_t i = 0; i < r->n; i++)
        bits[ids[i] >> 6] |= (uint64_t)1 << (ids[i] & 63);
}

static void exact_lookup(const unsigned char *base, const pf_exact *f, const char *s, size_t len,
                         uint64_t *bits)
{
    const exact_slot *slots = PE_AT(base, f->slots, exact_slot);
    size_t h = (size_t)pe_hash_bytes(s, len) & (f->cap - 1);
    for (const exact_slot *e; (e = &slots[h])->s.off; h = (h + 1) & (f->cap - 1))
        if (e->s.len == len && memcmp(base + e->s.off, s, len) == 0) {
            mark(base, bits, &e->rules);
            return;
        }
}

typedef struct scan_ctx {
    const unsigned char *base;
    const pf_rules *rules;
    uint64_t *cands;
} scan_ctx;

static void on_found(void *user, uint32_t pattern)
{
    scan_ctx *sc = user;
    if (sc->cands)
        mark(sc->base, sc->cands, &sc->rules[pattern]);
}

/* Scans group g's field once for this view: records which patterns occur
 * and, while candidates are being computed, the rules they trigger. */
static int scan_group(pe_lits *l, pe_xctx *x, size_t g)
{
    if (l->accel &&
        !part_ok(l->accel, l->accel->group_state, (uint32_t)g, pe_prefilter_check_group))
        return PREMPTI_E_IMAGE;
    const pf_group *grp = &PE_AT(l->base, l->pf->groups, pf_group)[g];
    const pe_aho *aho = PE_AT(l->base, grp->aho, pe_aho);
    uint64_t *found = pe_arena_alloc(x->scratch, (pe_aho_seen_words(aho) + 1) * 8);
    if (!found)
        return PREMPTI_E_NOMEM;
    pe_value v;
    int rc = pe_extract(x, (pe_field_id)grp->field, NULL, 0, &v);
    if (rc < 0)
        return rc;
    if (rc > 0) {
        scan_ctx sc = {l->base, PE_AT(l->base, grp->rules, pf_rules), l->cands};
        const pe_aho_dense *d = dense_for(l->accel, (uint32_t)g, v.str.len);
        pe_aho_scan(l->base, aho, d, v.str.s, v.str.len, found, on_found, &sc);
    }
    l->found[g] = found;
    return 0;
}

int pe_lits_answer(pe_xctx *x, const pe_check *k, size_t i)
{
    pe_lits *l = x->lits;
    if (!l->found[k->lit_group]) {
        int rc = scan_group(l, x, k->lit_group);
        if (rc < 0)
            return rc;
    }
    uint32_t id = PE_AT(x->img, k->lit_ids, uint32_t)[i];
    return (int)((l->found[k->lit_group][id >> 6] >> (id & 63)) & 1);
}

int pe_prefilter_candidates(const pe_prefilter *pf, pe_accel *accel, pe_xctx *x, uint64_t *bits)
{
    pe_lits *l = pe_arena_alloc(x->scratch, sizeof(*l));
    if (!l || !(l->found = pe_arena_alloc(x->scratch, (pf->ngroups + 1) * sizeof(uint64_t *))))
        return PREMPTI_E_NOMEM;
    const unsigned char *base = x->img;
    l->base = base;
    l->pf = pf;
    l->accel = accel;
    l->cands = bits;
    x->lits = l;
    if (pf->words)
        memcpy(bits, PE_PTR(base, pf->always, uint64_t), pf->words * sizeof(uint64_t));
    const pf_exact *exact = PE_AT(base, pf->exact, pf_exact);
    for (uint32_t i = 0; i < pf->nexact; i++) {
        const pf_exact *f = &exact[i];
        if (accel && !part_ok(accel, accel->exact_state, i, pe_prefilter_check_exact))
            return PREMPTI_E_IMAGE;
        pe_value v;
        int rc = pe_extract(x, (pe_field_id)f->field, NULL, 0, &v);
        if (rc < 0)
            return rc;
        if (rc == 0)
            continue; /* absent: every check on it is false */
        if (f->type == PE_FT_LIST)
            for (size_t k = 0; k < v.nitems; k++)
                exact_lookup(base, f, v.items[k].s, v.items[k].len, bits);
        else
            exact_lookup(base, f, v.str.s, v.str.len, bits);
    }
    const pf_group *groups = PE_AT(base, pf->groups, pf_group);
    for (uint32_t g = 0; g < pf->ngroups; g++)
        if (groups[g].triggers) {
            int rc = scan_group(l, x, g);
            if (rc < 0)
                return rc;
        }
    l->cands = NULL; /* later scans only answer checks */
    return 0;
}
