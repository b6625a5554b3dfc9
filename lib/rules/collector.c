#include "rules/collector.h"

#include <stdlib.h>
#include <string.h>

#include "util/hash.h"
#include "util/mem.h"
#include "util/strbuf.h"

#define VALIDATE "LOAD_ERR_VALIDATE"

enum { UNDO_LIST, UNDO_MACRO, UNDO_RULE };

struct pe_undo {
    int kind;
    size_t slot;
    union {
        pe_linfo l;
        pe_minfo m;
        pe_rinfo r;
    } old;
};

/* ---- name index ---- */

typedef const char *(*name_of_fn)(const void *base, size_t slot, size_t *len);

static const char *list_name(const void *base, size_t slot, size_t *len)
{
    const pe_linfo *l = (const pe_linfo *)base + slot;
    *len = l->name_len;
    return l->name;
}

static const char *macro_name(const void *base, size_t slot, size_t *len)
{
    const pe_minfo *m = (const pe_minfo *)base + slot;
    *len = m->name_len;
    return m->name;
}

static const char *rule_name(const void *base, size_t slot, size_t *len)
{
    const pe_rinfo *r = (const pe_rinfo *)base + slot;
    *len = r->name_len;
    return r->name;
}

static long idx_find(const pe_nameidx *x, const void *base, name_of_fn name_of, const char *name,
                     size_t len)
{
    if (!x->cap)
        return -1;
    size_t mask = x->cap - 1;
    for (size_t i = (size_t)pe_hash_bytes(name, len) & mask;; i = (i + 1) & mask) {
        uint32_t s = x->slots[i];
        if (!s)
            return -1;
        size_t l;
        const char *n = name_of(base, s - 1, &l);
        if (l == len && memcmp(n, name, len) == 0)
            return (long)s - 1;
    }
}

static void idx_put(pe_nameidx *x, const void *base, name_of_fn name_of, size_t slot)
{
    size_t len;
    const char *n = name_of(base, slot, &len);
    size_t mask = x->cap - 1, i = (size_t)pe_hash_bytes(n, len) & mask;
    while (x->slots[i])
        i = (i + 1) & mask;
    x->slots[i] = (uint32_t)slot + 1;
}

/* Rebuilds the index for slots [0, n) in its current memory. */
static void idx_rebuild(pe_nameidx *x, const void *base, name_of_fn name_of, size_t n)
{
    if (!x->cap)
        return;
    memset(x->slots, 0, x->cap * sizeof(*x->slots));
    for (size_t s = 0; s < n; s++)
        idx_put(x, base, name_of, s);
}

/* Makes room for n entries (load factor at most 1/2). */
static int idx_reserve(pe_nameidx *x, const void *base, name_of_fn name_of, size_t n)
{
    if (n <= x->cap / 2)
        return 0;
    size_t cap = x->cap ? x->cap : 16;
    while (n > cap / 2) {
        if (cap > SIZE_MAX / 2 / sizeof(uint32_t))
            return -1;
        cap *= 2;
    }
    uint32_t *slots = calloc(cap, sizeof(*slots));
    if (!slots)
        return -1;
    free(x->slots);
    x->slots = slots;
    x->cap = cap;
    idx_rebuild(x, base, name_of, n - 1);
    return 0;
}

long pe_coll_find_list(const pe_collector *c, const char *name, size_t len)
{
    return idx_find(&c->list_idx, c->lists, list_name, name, len);
}

long pe_coll_find_macro(const pe_collector *c, const char *name, size_t len)
{
    return idx_find(&c->macro_idx, c->macros, macro_name, name, len);
}

long pe_coll_find_rule(const pe_collector *c, const char *name, size_t len)
{
    return idx_find(&c->rule_idx, c->rules, rule_name, name, len);
}

/* ---- arrays in the arena ---- */

/* Appends n elements to an arena array, reallocating it (in the arena) when
 * full; old buffers stay valid, so a version kept in the undo log is never
 * overwritten. */
static int apush(pe_arena *a, void *arrp, size_t *count, size_t *cap, size_t elem,
                 const void *v, size_t n)
{
    void **arr = arrp;
    if (*count + n > *cap) {
        size_t ncap = *cap ? *cap : 4;
        while (ncap < *count + n) {
            if (ncap > SIZE_MAX / 2 / elem)
                return -1;
            ncap *= 2;
        }
        void *nb = pe_arena_alloc(a, ncap * elem);
        if (!nb)
            return -1;
        if (*count)
            memcpy(nb, *arr, *count * elem);
        *arr = nb;
        *cap = ncap;
    }
    if (n)
        memcpy((char *)*arr + *count * elem, v, n * elem);
    *count += n;
    return 0;
}

/* A private copy of an array (same capacity), for copy-on-write. */
static int acopy(pe_arena *a, void *arrp, size_t count, size_t cap, size_t elem)
{
    void **arr = arrp;
    if (!cap)
        return 0;
    void *nb = pe_arena_memdup(a, *arr, cap * elem);
    if (!nb)
        return -1;
    (void)count;
    *arr = nb;
    return 0;
}

/* ---- transactions ---- */

void pe_coll_init(pe_collector *c)
{
    memset(c, 0, sizeof(*c));
}

void pe_coll_free(pe_collector *c)
{
    free(c->lists);
    free(c->macros);
    free(c->rules);
    free(c->reqs);
    free(c->undo);
    free(c->list_idx.slots);
    free(c->macro_idx.slots);
    free(c->rule_idx.slots);
    pe_arena_free(&c->arena);
    memset(c, 0, sizeof(*c));
}

void pe_coll_begin(pe_collector *c)
{
    c->gen++;
    c->mark = pe_arena_get_mark(&c->arena);
    c->mark_lists = c->nlists;
    c->mark_macros = c->nmacros;
    c->mark_rules = c->nrules;
    c->mark_reqs = c->nreqs;
    c->mark_items = c->items;
    c->mark_seq = c->seq;
    c->mark_engine = c->required_engine;
    c->nundo = 0;
}

void pe_coll_commit(pe_collector *c)
{
    c->nundo = 0;
}

void pe_coll_rollback(pe_collector *c)
{
    while (c->nundo) {
        pe_undo *u = &c->undo[--c->nundo];
        if (u->kind == UNDO_LIST)
            c->lists[u->slot] = u->old.l;
        else if (u->kind == UNDO_MACRO)
            c->macros[u->slot] = u->old.m;
        else
            c->rules[u->slot] = u->old.r;
    }
    c->nlists = c->mark_lists;
    c->nmacros = c->mark_macros;
    c->nrules = c->mark_rules;
    c->nreqs = c->mark_reqs;
    c->items = c->mark_items;
    c->seq = c->mark_seq;
    c->required_engine = c->mark_engine;
    idx_rebuild(&c->list_idx, c->lists, list_name, c->nlists);
    idx_rebuild(&c->macro_idx, c->macros, macro_name, c->nmacros);
    idx_rebuild(&c->rule_idx, c->rules, rule_name, c->nrules);
    pe_arena_release(&c->arena, c->mark);
    c->gen++; /* entries copied during the failed load are gone */
}

static int push_undo(pe_collector *c, int kind, size_t slot, const void *old, size_t size)
{
    pe_undo u;
    memset(&u, 0, sizeof(u));
    u.kind = kind;
    u.slot = slot;
    memcpy(&u.old, old, size);
    return PE_PUSH(c->undo, c->nundo, c->capundo, u);
}

/* Before the first change of an entry in a load: keep the old version and
 * give the entry private arrays. */
static int touch_list(pe_collector *c, size_t slot)
{
    pe_linfo *l = &c->lists[slot];
    if (l->gen == c->gen)
        return 0;
    if (push_undo(c, UNDO_LIST, slot, l, sizeof(*l)) ||
        acopy(&c->arena, &l->items, l->nitems, l->capitems, sizeof(*l->items)))
        return -1;
    l->gen = c->gen;
    return 0;
}

static int touch_macro(pe_collector *c, size_t slot)
{
    pe_minfo *m = &c->macros[slot];
    if (m->gen == c->gen)
        return 0;
    if (push_undo(c, UNDO_MACRO, slot, m, sizeof(*m)) ||
        acopy(&c->arena, &m->cond, m->ncond, m->capcond, sizeof(*m->cond)))
        return -1;
    m->gen = c->gen;
    return 0;
}

static int touch_rule(pe_collector *c, size_t slot)
{
    pe_rinfo *r = &c->rules[slot];
    if (r->gen == c->gen)
        return 0;
    if (push_undo(c, UNDO_RULE, slot, r, sizeof(*r)) ||
        acopy(&c->arena, &r->cond, r->ncond, r->capcond, sizeof(*r->cond)) ||
        acopy(&c->arena, &r->output, r->noutput, r->capoutput, sizeof(*r->output)) ||
        acopy(&c->arena, &r->desc, r->ndesc, r->capdesc, sizeof(*r->desc)) ||
        acopy(&c->arena, &r->tags, r->ntags, r->captags, sizeof(*r->tags)) ||
        acopy(&c->arena, &r->exc, r->nexc, r->capexc, sizeof(*r->exc)))
        return -1;
    for (size_t i = 0; i < r->nexc; i++)
        if (acopy(&c->arena, &r->exc[i].values, r->exc[i].nvalues, r->exc[i].capvalues,
                  sizeof(*r->exc[i].values)))
            return -1;
    r->gen = c->gen;
    return 0;
}

/* ---- lists and macros ---- */

static pe_item item_of(const char *type, const char *name)
{
    pe_item it = {type, name};
    return it;
}

int pe_coll_define_list(pe_collector *c, pe_ldiag *d, const char *name, pe_pos pos,
                        const pe_mtext *items, size_t n)
{
    size_t len = strlen(name);
    long slot = pe_coll_find_list(c, name, len);
    pe_linfo l = {0};
    l.name = name;
    l.name_len = len;
    l.pos = pos;
    l.visibility = c->seq;
    l.gen = c->gen;
    l.mod = c->fnum;
    if (apush(&c->arena, &l.items, &l.nitems, &l.capitems, sizeof(*items), items, n))
        return pe_ld_nomem(d);
    if (slot >= 0) {
        if (touch_list(c, (size_t)slot))
            return pe_ld_nomem(d);
        l.index = c->lists[slot].index;
        c->lists[slot] = l;
    } else {
        l.index = c->seq;
        if (idx_reserve(&c->list_idx, c->lists, list_name, c->nlists + 1) ||
            PE_PUSH(c->lists, c->nlists, c->caplists, l))
            return pe_ld_nomem(d);
        idx_put(&c->list_idx, c->lists, list_name, c->nlists - 1);
    }
    c->seq++;
    return 0;
}

int pe_coll_append_list(pe_collector *c, pe_ldiag *d, const char *name, pe_pos pos,
                        const pe_mtext *items, size_t n)
{
    long slot = pe_coll_find_list(c, name, strlen(name));
    if (slot < 0)
        return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, pos, item_of("list", name),
                           "List uses 'append' or 'override.items: append' but no list by "
                           "that name already exists");
    if (touch_list(c, (size_t)slot))
        return pe_ld_nomem(d);
    pe_linfo *l = &c->lists[slot];
    if (apush(&c->arena, &l->items, &l->nitems, &l->capitems, sizeof(*items), items, n))
        return pe_ld_nomem(d);
    l->visibility = c->seq++;
    l->mod = c->fnum;
    return 0;
}

int pe_coll_define_macro(pe_collector *c, pe_ldiag *d, const char *name, pe_pos pos,
                         const pe_mtext *cond)
{
    size_t len = strlen(name);
    long slot = pe_coll_find_macro(c, name, len);
    pe_minfo m = {0};
    m.name = name;
    m.name_len = len;
    m.pos = pos;
    m.visibility = c->seq;
    m.gen = c->gen;
    m.mod = c->fnum;
    if (apush(&c->arena, &m.cond, &m.ncond, &m.capcond, sizeof(cond), &cond, 1))
        return pe_ld_nomem(d);
    if (slot >= 0) {
        if (touch_macro(c, (size_t)slot))
            return pe_ld_nomem(d);
        m.index = c->macros[slot].index;
        c->macros[slot] = m;
    } else {
        m.index = c->seq;
        if (idx_reserve(&c->macro_idx, c->macros, macro_name, c->nmacros + 1) ||
            PE_PUSH(c->macros, c->nmacros, c->capmacros, m))
            return pe_ld_nomem(d);
        idx_put(&c->macro_idx, c->macros, macro_name, c->nmacros - 1);
    }
    c->seq++;
    return 0;
}

int pe_coll_append_macro(pe_collector *c, pe_ldiag *d, const char *name, pe_pos pos,
                         const pe_mtext *cond)
{
    long slot = pe_coll_find_macro(c, name, strlen(name));
    if (slot < 0)
        return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, pos, item_of("macro", name),
                           "Macro uses 'append' or 'override.condition: append' but no macro "
                           "by that name already exists");
    if (touch_macro(c, (size_t)slot))
        return pe_ld_nomem(d);
    pe_minfo *m = &c->macros[slot];
    if (apush(&c->arena, &m->cond, &m->ncond, &m->capcond, sizeof(cond), &cond, 1))
        return pe_ld_nomem(d);
    m->visibility = c->seq++;
    m->mod = c->fnum;
    return 0;
}

/* ---- exceptions ---- */

int pe_xent_valid(const pe_xent *e)
{
    return e->is_list ? e->nitems > 0 : e->text.len > 0;
}

static const char *const str_ops[] = {"==",       "=",          "!=",         "glob",
                                      "iglob",    "contains",   "icontains",  "bcontains",
                                      "startswith", "bstartswith", "endswith", "regex"};
static const char *const other_ops[] = {"<=", "<", ">=", ">", "exists"};
static const char *const list_ops[] = {"intersects", "in", "pmatch"};

static int word_in(const char *s, size_t len, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(set[i]) == len && memcmp(set[i], s, len) == 0)
            return 1;
    return 0;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

int pe_exc_operator(const char *op, size_t len, int *list_like)
{
    *list_like = 0;
    if (word_in(op, len, str_ops, NELEM(str_ops)) ||
        word_in(op, len, other_ops, NELEM(other_ops)))
        return 1;
    if (word_in(op, len, list_ops, NELEM(list_ops))) {
        *list_like = 1;
        return 1;
    }
    /* "<string operator> <modifier>" */
    size_t w = 0;
    while (w < len && op[w] != ' ' && op[w] != '\t')
        w++;
    size_t m = w;
    while (m < len && (op[m] == ' ' || op[m] == '\t'))
        m++;
    static const char *const mods[] = {"oneof", "anyof", "allof"};
    if (m > w && word_in(op, w, str_ops, NELEM(str_ops)) &&
        word_in(op + m, len - m, mods, NELEM(mods))) {
        *list_like = 1;
        return 1;
    }
    return 0;
}

static int exc_error(pe_ldiag *d, const pe_rupdate *u, pe_pos at, const char *msg)
{
    return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, at, item_of("rule", u->name), "%s", msg);
}

static int check_field(pe_ldiag *d, const pe_rupdate *u, const pe_xent *f, int known_source)
{
    if (!known_source || pe_exc_field_defined(f->text.s, f->text.len))
        return 0;
    return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, f->pos, item_of("rule", u->name),
                       "'%s' is not a supported filter field", f->text.s);
}

/* Falco's validate_exception_info(): defaults the comps, checks shapes,
 * operators and fields. */
static int validate_exception(pe_collector *c, pe_ldiag *d, const pe_rupdate *u, pe_exc *ex,
                              int known_source)
{
    if (ex->fields.is_list) {
        if (!pe_xent_valid(&ex->comps)) {
            ex->comps.is_list = 1;
            ex->comps.nitems = ex->fields.nitems;
            ex->comps.items = pe_arena_alloc(&c->arena, ex->fields.nitems * sizeof(pe_xent));
            if (!ex->comps.items)
                return pe_ld_nomem(d);
            for (size_t i = 0; i < ex->fields.nitems; i++) {
                ex->comps.items[i].pos = ex->fields.items[i].pos;
                if (pe_mtext_fixed(&c->arena, "=", 1, ex->pos, &ex->comps.items[i].text))
                    return pe_ld_nomem(d);
            }
        }
        if (ex->fields.nitems != ex->comps.nitems)
            return exc_error(d, u, ex->comps.pos, "Fields and comps lists must have equal length");
        for (size_t i = 0; i < ex->comps.nitems; i++) {
            const pe_xent *op = &ex->comps.items[i];
            int list_like;
            if (op->is_list || !pe_exc_operator(op->text.s, op->text.len, &list_like))
                return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, op->pos,
                                   item_of("rule", u->name),
                                   "'%s' is not a supported comparison operator",
                                   op->is_list ? "" : op->text.s);
        }
        for (size_t i = 0; i < ex->fields.nitems; i++) {
            if (ex->fields.items[i].is_list)
                return exc_error(d, u, ex->fields.items[i].pos, "Value is not a scalar value");
            int rc = check_field(d, u, &ex->fields.items[i], known_source);
            if (rc)
                return rc;
        }
        return 0;
    }
    if (!pe_xent_valid(&ex->comps)) {
        ex->comps.is_list = 0;
        ex->comps.pos = ex->pos;
        if (pe_mtext_fixed(&c->arena, "in", 2, ex->pos, &ex->comps.text))
            return pe_ld_nomem(d);
    }
    if (ex->comps.is_list)
        return exc_error(d, u, ex->comps.pos, "Fields and comps must both be strings");
    int list_like = 0;
    const pe_mtext *op = &ex->comps.text;
    if (!pe_exc_operator(op->s, op->len, &list_like) || !list_like)
        return exc_error(d, u, ex->comps.pos,
                         "When fields is a single value, comps must be one of (in, pmatch, "
                         "intersects) or a string operator with a list modifier (oneof, "
                         "anyof, allof)");
    return check_field(d, u, &ex->fields, known_source);
}

/* Every exception of a definition or replacement must be complete. */
static int validate_exceptions(pe_collector *c, pe_ldiag *d, const pe_rupdate *u, pe_exc *exc,
                               size_t n, int known_source)
{
    for (size_t i = 0; i < n; i++) {
        if (!pe_xent_valid(&exc[i].fields))
            return exc_error(d, u, exc[i].pos,
                             "Rule exception item must have fields property with a list of "
                             "fields");
        int rc = validate_exception(c, d, u, &exc[i], known_source);
        if (rc)
            return rc;
    }
    return 0;
}

static long find_exc(const pe_rinfo *r, const char *name)
{
    for (size_t i = 0; i < r->nexc; i++)
        if (strcmp(r->exc[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* Appending exceptions to an existing rule (Falco's collector::append). */
static int append_exceptions(pe_collector *c, pe_ldiag *d, const pe_rupdate *u, pe_rinfo *r)
{
    int known = !r->unknown_source;
    for (size_t i = 0; i < u->nexc; i++) {
        pe_exc *ex = &u->exc[i];
        long k = find_exc(r, ex->name);
        if (k < 0) {
            if (!pe_xent_valid(&ex->fields))
                return exc_error(d, u, ex->pos,
                                 "Rule exception must have fields property with a list of "
                                 "fields");
            if (!ex->nvalues)
                return exc_error(d, u, ex->pos,
                                 "Rule exception must have values property with a list of "
                                 "values");
            int rc = validate_exception(c, d, u, ex, known);
            if (rc)
                return rc;
            if (apush(&c->arena, &r->exc, &r->nexc, &r->capexc, sizeof(*ex), ex, 1))
                return pe_ld_nomem(d);
            continue;
        }
        if (pe_xent_valid(&ex->fields))
            return exc_error(d, u, ex->fields.pos,
                             "Can not append exception fields to existing exception, only "
                             "values");
        if (pe_xent_valid(&ex->comps))
            return exc_error(d, u, ex->comps.pos,
                             "Can not append exception comps to existing exception, only "
                             "values");
        pe_exc *prev = &r->exc[k];
        if (apush(&c->arena, &prev->values, &prev->nvalues, &prev->capvalues,
                  sizeof(*ex->values), ex->values, ex->nvalues))
            return pe_ld_nomem(d);
    }
    return 0;
}

/* ---- rules ---- */

static int set_tags(pe_collector *c, pe_rinfo *r, const pe_rupdate *u, int replace)
{
    if (replace)
        r->ntags = 0;
    return apush(&c->arena, &r->tags, &r->ntags, &r->captags, sizeof(*u->tags), u->tags,
                 u->ntags);
}

int pe_coll_define_rule(pe_collector *c, pe_ldiag *d, const pe_rupdate *u)
{
    size_t len = strlen(u->name);
    long slot = pe_coll_find_rule(c, u->name, len);
    pe_item it = item_of("rule", u->name);
    if (slot >= 0 && strcmp(c->rules[slot].source, u->source) != 0)
        return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, u->pos, it,
                           "Rule has been re-defined with a different source");
    pe_rinfo r = {0};
    r.name = u->name;
    r.name_len = len;
    r.pos = u->pos;
    r.source = u->source;
    r.priority = u->priority;
    r.enabled = u->enabled;
    r.warn_evttypes = u->warn_evttypes;
    r.skip_unknown = u->skip_unknown;
    r.capture = u->capture;
    r.capture_duration = u->capture_duration;
    r.unknown_source = strcmp(u->source, PE_SOURCE) != 0;
    r.gen = c->gen;
    r.mod = c->fnum;
    r.visibility = c->seq;
    if (r.unknown_source)
        pe_ld_warn(d, "LOAD_UNKNOWN_SOURCE", u->pos, it, "Unknown source %s, skipping%s",
                   u->source,
                   u->source_missing ? " (the rule has no 'source' key, so it is a "
                                       "syscall rule; add 'source: coding_agent')"
                                     : "");
    int rc = validate_exceptions(c, d, u, u->exc, u->nexc, !r.unknown_source);
    if (rc)
        return rc;
    if (apush(&c->arena, &r.cond, &r.ncond, &r.capcond, sizeof(u->cond), &u->cond, 1) ||
        apush(&c->arena, &r.output, &r.noutput, &r.capoutput, sizeof(u->output), &u->output,
              1) ||
        apush(&c->arena, &r.desc, &r.ndesc, &r.capdesc, sizeof(u->desc), &u->desc, 1) ||
        set_tags(c, &r, u, 1) ||
        apush(&c->arena, &r.exc, &r.nexc, &r.capexc, sizeof(*u->exc), u->exc, u->nexc))
        return pe_ld_nomem(d);
    if (slot >= 0) {
        if (touch_rule(c, (size_t)slot))
            return pe_ld_nomem(d);
        r.index = c->rules[slot].index;
        c->rules[slot] = r;
    } else {
        r.index = c->seq;
        if (idx_reserve(&c->rule_idx, c->rules, rule_name, c->nrules + 1) ||
            PE_PUSH(c->rules, c->nrules, c->caprules, r))
            return pe_ld_nomem(d);
        idx_put(&c->rule_idx, c->rules, rule_name, c->nrules - 1);
    }
    c->seq++;
    return 0;
}

static int has_any(const pe_rupdate *u)
{
    return u->has_cond || u->has_output || u->has_desc || u->has_tags || u->has_exc ||
           u->has_priority || u->has_enabled || u->has_warn || u->has_skip || u->has_capture ||
           u->has_capture_duration;
}

static int push_text(pe_collector *c, const pe_mtext ***arr, size_t *n, size_t *cap,
                     const pe_mtext *t, int replace)
{
    if (replace)
        *n = 0;
    return apush(&c->arena, arr, n, cap, sizeof(t), &t, 1);
}

int pe_coll_append_rule(pe_collector *c, pe_ldiag *d, const pe_rupdate *u)
{
    pe_item it = item_of("rule", u->name);
    long slot = pe_coll_find_rule(c, u->name, strlen(u->name));
    if (slot < 0)
        return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, u->pos, it,
                           "Rule uses 'append' or 'override.<key>: append' but no rule by "
                           "that name already exists");
    if (!has_any(u))
        return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, u->pos, it,
                           "Appended rule must have exceptions or condition property");
    if (touch_rule(c, (size_t)slot))
        return pe_ld_nomem(d);
    pe_rinfo *r = &c->rules[slot];
    int oom = 0;
    if (u->has_cond)
        oom |= push_text(c, &r->cond, &r->ncond, &r->capcond, u->cond, 0);
    if (u->has_output)
        oom |= push_text(c, &r->output, &r->noutput, &r->capoutput, u->output, 0);
    if (u->has_desc)
        oom |= apush(&c->arena, &r->desc, &r->ndesc, &r->capdesc, sizeof(u->desc), &u->desc, 1);
    if (u->has_tags)
        oom |= set_tags(c, r, u, 0);
    if (oom)
        return pe_ld_nomem(d);
    if (u->has_exc) {
        int rc = append_exceptions(c, d, u, r);
        if (rc)
            return rc;
    }
    r->visibility = c->seq++;
    r->mod = c->fnum;
    return 0;
}

int pe_coll_replace_rule(pe_collector *c, pe_ldiag *d, const pe_rupdate *u)
{
    pe_item it = item_of("rule", u->name);
    long slot = pe_coll_find_rule(c, u->name, strlen(u->name));
    if (slot < 0)
        return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, u->pos, it,
                           "An 'override.<key>: replace' to a rule was requested but no rule "
                           "by that name already exists");
    if (!has_any(u))
        return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, u->pos, it,
                           "The rule must have at least one field that can be replaced");
    if (touch_rule(c, (size_t)slot))
        return pe_ld_nomem(d);
    pe_rinfo *r = &c->rules[slot];
    if (u->has_exc) {
        int rc = validate_exceptions(c, d, u, u->exc, u->nexc, !r->unknown_source);
        if (rc)
            return rc;
        r->nexc = 0;
        if (apush(&c->arena, &r->exc, &r->nexc, &r->capexc, sizeof(*u->exc), u->exc, u->nexc))
            return pe_ld_nomem(d);
    }
    int oom = 0;
    if (u->has_cond)
        oom |= push_text(c, &r->cond, &r->ncond, &r->capcond, u->cond, 1);
    if (u->has_output)
        oom |= push_text(c, &r->output, &r->noutput, &r->capoutput, u->output, 1);
    if (u->has_desc) {
        r->ndesc = 0;
        oom |= apush(&c->arena, &r->desc, &r->ndesc, &r->capdesc, sizeof(u->desc), &u->desc, 1);
    }
    if (u->has_tags)
        oom |= set_tags(c, r, u, 1);
    if (oom)
        return pe_ld_nomem(d);
    if (u->has_priority)
        r->priority = u->priority;
    if (u->has_enabled)
        r->enabled = u->enabled;
    if (u->has_warn)
        r->warn_evttypes = u->warn_evttypes;
    if (u->has_skip)
        r->skip_unknown = u->skip_unknown;
    if (u->has_capture)
        r->capture = u->capture;
    if (u->has_capture_duration)
        r->capture_duration = u->capture_duration;
    r->visibility = c->seq++;
    r->mod = c->fnum;
    return 0;
}

int pe_coll_enable_rule(pe_collector *c, pe_ldiag *d, const pe_rupdate *u)
{
    long slot = pe_coll_find_rule(c, u->name, strlen(u->name));
    if (slot < 0)
        return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, u->pos, item_of("rule", u->name),
                           "Rule has 'enabled' key but no rule by that name already exists");
    if (touch_rule(c, (size_t)slot))
        return pe_ld_nomem(d);
    c->rules[slot].enabled = u->enabled;
    return 0;
}

/* ---- versions ---- */

static int parse_u32(const char **s, uint32_t *out)
{
    const char *p = *s;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
        p++;
    if (*p == '+')
        p++;
    if (*p < '0' || *p > '9')
        return -1;
    uint64_t v = 0;
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (uint64_t)(*p++ - '0');
        if (v > UINT32_MAX)
            return -1;
    }
    *out = (uint32_t)v;
    *s = p;
    return 0;
}

int pe_semver_parse(const char *s, pe_semver *out)
{
    const char *p = s;
    if (parse_u32(&p, &out->major) || *p++ != '.' || parse_u32(&p, &out->minor) ||
        *p++ != '.' || parse_u32(&p, &out->patch))
        return -1;
    return 0;
}

static int semver_cmp(pe_semver a, pe_semver b)
{
    if (a.major != b.major)
        return a.major < b.major ? -1 : 1;
    if (a.minor != b.minor)
        return a.minor < b.minor ? -1 : 1;
    if (a.patch != b.patch)
        return a.patch < b.patch ? -1 : 1;
    return 0;
}

int pe_semver_compatible(pe_semver have, pe_semver want)
{
    return have.major == want.major && semver_cmp(have, want) >= 0;
}

int pe_coll_engine_version(pe_collector *c, pe_ldiag *d, pe_semver v, pe_pos pos)
{
    pe_semver engine = {PE_ENGINE_VERSION_MAJOR, PE_ENGINE_VERSION_MINOR,
                        PE_ENGINE_VERSION_PATCH};
    if (!pe_semver_compatible(engine, v))
        return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, pos,
                           item_of("required_engine_version", ""),
                           "Rules require engine version %u.%u.%u, but engine version is "
                           "%u.%u.%u",
                           v.major, v.minor, v.patch, engine.major, engine.minor, engine.patch);
    if (semver_cmp(c->required_engine, v) < 0)
        c->required_engine = v;
    return 0;
}

int pe_coll_plugin_req(pe_collector *c, pe_ldiag *d, const pe_plugin_req *r)
{
    pe_item it = item_of("required_plugin_versions", r->nalts ? r->alts[0].name : "");
    for (size_t i = 0; i < r->nalts; i++) {
        pe_semver v;
        if (pe_semver_parse(r->alts[i].version, &v))
            return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, r->pos, it,
                               "Invalid required version '%s' for plugin '%s'",
                               r->alts[i].version, r->alts[i].name);
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->alts[j].name, r->alts[i].name) == 0)
                return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, r->pos, it,
                                   "Defined multiple alternative version requirements for "
                                   "plugin '%s'",
                                   r->alts[i].name);
    }
    if (PE_PUSH(c->reqs, c->nreqs, c->capreqs, *r))
        return pe_ld_nomem(d);
    return 0;
}

/* Falco's check_plugin_requirements() with coding_agent as the only plugin. */
static int check_plugin(pe_ldiag *d, const pe_plugin_req *r)
{
    pe_item it = item_of("required_plugin_versions", r->nalts ? r->alts[0].name : "");
    pe_semver have;
    pe_semver_parse(PE_PLUGIN_VERSION, &have);
    for (size_t i = 0; i < r->nalts; i++) {
        if (strcmp(r->alts[i].name, PE_PLUGIN_NAME) != 0)
            continue;
        pe_semver want;
        if (pe_semver_parse(r->alts[i].version, &want) || !pe_semver_compatible(have, want))
            return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, r->pos, it,
                               "Plugin '%s' version '%s' is not compatible with required "
                               "plugin version '%s'",
                               PE_PLUGIN_NAME, PE_PLUGIN_VERSION, r->alts[i].version);
        return 0;
    }
    pe_strbuf sb = PE_STRBUF_INIT;
    for (size_t i = 0; i < r->nalts; i++)
        pe_sb_printf(&sb, "%s%s (>= %s)", i ? ", " : "", r->alts[i].name, r->alts[i].version);
    int rc = pe_sb_failed(&sb) ? pe_ld_nomem(d)
                               : pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, r->pos, it,
                                             "Plugin requirement not satisfied, must load one "
                                             "of: %s",
                                             pe_sb_str(&sb));
    pe_sb_free(&sb);
    return rc;
}

int pe_coll_check_plugins(const pe_collector *c, pe_ldiag *d)
{
    for (size_t i = 0; i < c->nreqs; i++) {
        int rc = check_plugin(d, &c->reqs[i]);
        if (rc)
            return rc;
    }
    return 0;
}
