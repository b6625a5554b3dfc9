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
static int apush(pe_arena *a, void *arrp, size_t *count, size_t *cap, size_t elem, const void *v,
                 size_t n)
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
        return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, pos, pe_item_of("list", name),
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
        return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, pos, pe_item_of("macro", name),
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

/* Exception names of a rule -> index + 1 (the first of equal names, as
 * Falco's find_if), so appending many exceptions stays linear. */
static int index_exceptions(const pe_rinfo *r, pe_hmap *names)
{
    for (size_t i = 0; i < r->nexc; i++)
        if (!pe_hmap_get(names, r->exc[i].name, strlen(r->exc[i].name)) &&
            pe_hmap_put(names, r->exc[i].name, strlen(r->exc[i].name), (void *)(uintptr_t)(i + 1)))
            return -1;
    return 0;
}

static int append_exception(pe_collector *c, pe_ldiag *d, const pe_rupdate *u, pe_rinfo *r,
                            pe_exc *ex, pe_hmap *names)
{
    size_t k = (size_t)(uintptr_t)pe_hmap_get(names, ex->name, strlen(ex->name));
    if (!k) {
        if (!pe_xent_valid(&ex->fields))
            return pe_ld_rule_error(d, u->name, ex->pos,
                                    "Rule exception must have fields property with a list of "
                                    "fields");
        if (!ex->nvalues)
            return pe_ld_rule_error(d, u->name, ex->pos,
                                    "Rule exception must have values property with a list of "
                                    "values");
        int rc = pe_exc_validate(c, d, u, ex, !r->unknown_source);
        if (rc)
            return rc;
        if (apush(&c->arena, &r->exc, &r->nexc, &r->capexc, sizeof(*ex), ex, 1) ||
            pe_hmap_put(names, ex->name, strlen(ex->name), (void *)(uintptr_t)r->nexc))
            return pe_ld_nomem(d);
        return 0;
    }
    if (pe_xent_valid(&ex->fields))
        return pe_ld_rule_error(d, u->name, ex->fields.pos,
                                "Can not append exception fields to existing exception, only "
                                "values");
    if (pe_xent_valid(&ex->comps))
        return pe_ld_rule_error(d, u->name, ex->comps.pos,
                                "Can not append exception comps to existing exception, only "
                                "values");
    pe_exc *prev = &r->exc[k - 1];
    if (apush(&c->arena, &prev->values, &prev->nvalues, &prev->capvalues, sizeof(*ex->values),
              ex->values, ex->nvalues))
        return pe_ld_nomem(d);
    return 0;
}

/* Appending exceptions to an existing rule (Falco's collector::append). */
static int append_exceptions(pe_collector *c, pe_ldiag *d, const pe_rupdate *u, pe_rinfo *r)
{
    pe_hmap names = PE_HMAP_INIT;
    int rc = index_exceptions(r, &names) ? pe_ld_nomem(d) : 0;
    for (size_t i = 0; !rc && i < u->nexc; i++)
        rc = append_exception(c, d, u, r, &u->exc[i], &names);
    pe_hmap_free(&names);
    return rc;
}

/* ---- rules ---- */

static int set_tags(pe_collector *c, pe_rinfo *r, const pe_rupdate *u, int replace)
{
    if (replace)
        r->ntags = 0;
    return apush(&c->arena, &r->tags, &r->ntags, &r->captags, sizeof(*u->tags), u->tags, u->ntags);
}

int pe_coll_define_rule(pe_collector *c, pe_ldiag *d, const pe_rupdate *u)
{
    size_t len = strlen(u->name);
    long slot = pe_coll_find_rule(c, u->name, len);
    pe_item it = pe_item_of("rule", u->name);
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
        pe_ld_warn(d, "LOAD_UNKNOWN_SOURCE", u->pos, it, "Unknown source %s, skipping%s", u->source,
                   u->source_missing ? " (the rule has no 'source' key, so it is a "
                                       "syscall rule; add 'source: coding_agent')"
                                     : "");
    int rc = pe_exc_validate_all(c, d, u, u->exc, u->nexc, !r.unknown_source);
    if (rc)
        return rc;
    if (apush(&c->arena, &r.cond, &r.ncond, &r.capcond, sizeof(u->cond), &u->cond, 1) ||
        apush(&c->arena, &r.output, &r.noutput, &r.capoutput, sizeof(u->output), &u->output, 1) ||
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
    pe_item it = pe_item_of("rule", u->name);
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
    pe_item it = pe_item_of("rule", u->name);
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
        int rc = pe_exc_validate_all(c, d, u, u->exc, u->nexc, !r->unknown_source);
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
        return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, u->pos, pe_item_of("rule", u->name),
                           "Rule has 'enabled' key but no rule by that name already exists");
    if (touch_rule(c, (size_t)slot))
        return pe_ld_nomem(d);
    c->rules[slot].enabled = u->enabled;
    return 0;
}
