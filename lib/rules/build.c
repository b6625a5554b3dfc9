#include "rules/build.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile/compile.h"
#include "cond/parser.h"
#include "output/format.h"
#include "util/hash.h"
#include "util/mem.h"
#include "util/near.h"

struct pe_rcache {
    int valid, skipped;
    uint64_t nodes;         /* of the condition, macros expanded */
    long biggest;           /* its largest macro (-1: none) ... */
    uint64_t biggest_nodes; /* ... and that macro's nodes */
    pe_ref cond;            /* in the rule set's region */
    pe_ref output;
    pe_rstr cond_text;
    uint32_t *deps; /* macros the condition uses */
    size_t ndeps;
    uint32_t *lists; /* lists substituted into its text */
    size_t nlists;
    pe_diags warnings; /* compiler hints, LOAD_UNKNOWN_FILTER */
    size_t suppressed; /* hints over PE_MAX_WARNINGS */
};

static void cache_clear(pe_rcache *k)
{
    free(k->deps);
    free(k->lists);
    pe_diags_free(&k->warnings);
    memset(k, 0, sizeof(*k));
}

/* ---- exception fields ---- */

static int field_operand(const char *text, size_t len, pe_arena *a, pe_region *r)
{
    pe_compile_ctx cc = {r, NULL, NULL, 0, 0, NULL, 0};
    pe_operand *opd = pe_region_alloc(r, sizeof(*opd));
    pe_ast_expr *e = NULL;
    size_t used = 0;
    pe_parse_error perr;
    if (!opd || pe_parse_transformer_prefix(&e, &used, text, len, NULL, a, &perr) != 0)
        return 0;
    if (e)
        return used == len && pe_compile_operand(&cc, e, NULL, opd) == 0;
    /* a field, possibly with an [argument] */
    const char *open = memchr(text, '[', len);
    e = pe_arena_alloc(a, sizeof(*e));
    if (!e || (open && text[len - 1] != ']'))
        return 0;
    e->kind = PE_EXPR_FIELD;
    e->name = text;
    e->name_len = open ? (size_t)(open - text) : len;
    if (open) {
        e->arg = open + 1;
        e->arg_len = len - e->name_len - 2;
    }
    return pe_compile_operand(&cc, e, NULL, opd) == 0;
}

int pe_exc_field_defined(const char *text, size_t len)
{
    pe_arena a = PE_ARENA_INIT;
    pe_region r = PE_REGION_INIT;
    int ok = len > 0 && len < (1u << 30) && pe_region_init_fixed(&r, 4 * len + 4096, 8) == 0 &&
             field_operand(text, len, &a, &r);
    pe_arena_free(&a);
    pe_region_free(&r);
    return ok;
}

/* ---- diagnostics from the compiler ---- */

typedef struct sink {
    prempti_error *first;
    pe_diags *warnings;
    size_t *suppressed;
    pe_pos fallback;
    pe_item item;
} sink;

static void on_diag(void *user, int severity, const char *kind, const pe_cond_src *src,
                    uint32_t pos, const char *msg)
{
    sink *k = user;
    /* the position may be in a macro's text; the item is the rule compiled */
    pe_pos at = src ? pe_cond_src_pos(src, pos) : k->fallback;
    pe_item it = k->item;
    int err = severity == PREMPTI_SEVERITY_ERROR;
    prempti_error *e = pe_ld_new(err ? PREMPTI_E_RULE : 0, severity, kind, at, it, msg);
    if (!err)
        pe_ld_add_warning(k->warnings, k->suppressed, e);
    else if (!k->first)
        k->first = e;
    else
        prempti_error_free(e);
}

/* Falco's err_is_unknown_type_or_field(): what skip-if-unknown-filter skips. */
static int unknown_field_error(const char *msg)
{
    return strstr(msg, "nonexistent field") || strstr(msg, "invalid formatting token") ||
           strstr(msg, "unknown event type") || strstr(msg, "unknown filter:");
}

/* The compiled programs outgrew the region (max_compiled_bytes) while rule r
 * was compiled. */
static int too_many_bytes(pe_build *b, const pe_rinfo *r)
{
    return pe_ld_error(b->d, PREMPTI_E_LIMIT, "LOAD_ERR_COMPILE_CONDITION", r->pos,
                       pe_item_of("rule", r->name),
                       "The compiled rules take more than %zu bytes (max_compiled_bytes); "
                       "compiling this rule went past the limit",
                       b->lim.max_bytes);
}

/* A failed compile: a warning and a skipped rule, or the load's error. */
static int compile_failed(pe_build *b, const pe_rinfo *r, pe_rcache *k, sink *sk,
                          const pe_compile_ctx *cc)
{
    if (cc->over) {
        prempti_error_free(sk->first);
        return too_many_bytes(b, r);
    }
    if (cc->oom || !sk->first) {
        prempti_error_free(sk->first);
        return pe_ld_nomem(b->d);
    }
    if (r->skip_unknown && unknown_field_error(sk->first->message)) {
        prempti_error *w = pe_error_clone(sk->first);
        prempti_error_free(sk->first);
        if (!w->is_static) {
            w->code = 0;
            w->severity = PREMPTI_SEVERITY_WARNING;
            free(w->kind);
            w->kind = pe_strdup("LOAD_UNKNOWN_FILTER");
            if (!w->kind) {
                prempti_error_free(w);
                return pe_ld_nomem(b->d);
            }
        }
        pe_diags_add(&k->warnings, w);
        k->skipped = 1;
        k->valid = 1;
        return 0;
    }
    return pe_ld_raise(b->d, sk->first);
}

static int compile_output(pe_build *b, pe_rstate *s, const pe_rinfo *r, pe_rcache *k, sink *sk)
{
    pe_mtext *out = pe_arena_alloc(s->scratch, sizeof(*out));
    pe_cond_src *src = pe_arena_alloc(s->scratch, sizeof(*src));
    if (!out || !src || pe_join_frags(s->scratch, r->output, r->noutput, out))
        return pe_ld_nomem(b->d);
    src->text = out;
    src->item = sk->item;
    src->fallback = r->pos;
    /* rules often share one output text: it compiles to the same format */
    uintptr_t known = (uintptr_t)pe_hmap_get(&b->outputs, out->s, out->len);
    if (known) {
        k->output = (pe_ref)known;
        return 0;
    }
    pe_compile_ctx cc = {&b->rs->region, on_diag, sk, 0, 0, NULL, 0};
    const pe_format *f = pe_format_compile(&cc, out->s, out->len, src);
    k->output = pe_ref_of(&b->rs->region, f);
    if (!f)
        return compile_failed(b, r, k, sk, &cc);
    char *key = pe_arena_strndup(&b->output_keys, out->s, out->len);
    if (!key || pe_hmap_put(&b->outputs, key, out->len, (void *)(uintptr_t)k->output))
        return pe_ld_nomem(b->d);
    return 0;
}

/* Falco's order for a rule: exceptions, output, condition (parse, macros,
 * fields). */
static int compile_rule(pe_build *b, pe_rstate *s, size_t i)
{
    const pe_rinfo *r = &b->c->rules[i];
    pe_rcache *k = &b->cache[i];
    cache_clear(k);
    sink sk = {NULL, &k->warnings, &k->suppressed, r->pos, {"rule", r->name}};
    const pe_mtext *text;
    int rc = pe_rule_text(s, r, &text);
    if (rc || (rc = compile_output(b, s, r, k, &sk)) || k->skipped)
        return rc;
    pe_rres rr;
    rc = pe_resolve_rule(s, i, text, &rr);
    k->deps = rr.deps;
    k->ndeps = rr.ndeps;
    k->lists = rr.lists;
    k->nlists = rr.nlists;
    if (rc)
        return rc;
    k->nodes = rr.nodes;
    k->biggest = rr.biggest;
    k->biggest_nodes = rr.biggest >= 0 ? s->macros[rr.biggest].size : 0;
    pe_region *region = &b->rs->region;
    pe_compile_ctx cc = {region, on_diag, &sk, 0, 0, b->memo, 0};
    const pe_cnode *cond = pe_compile_condition(&cc, rr.ast);
    k->cond = pe_ref_of(region, cond);
    if (!cond)
        return compile_failed(b, r, k, &sk, &cc);
    const pe_mtext *t = rr.src->text;
    if (pe_region_rstr(region, t->s, t->len, &k->cond_text))
        return pe_region_full(region) ? too_many_bytes(b, r) : pe_ld_nomem(b->d);
    k->valid = 1;
    return 0;
}

/* ---- what a file changed ---- */

static int frags_mention(const pe_mtext *const *f, size_t n, const pe_nameset *names)
{
    for (size_t i = 0; i < n; i++)
        if (pe_nameset_mentioned(names, f[i]))
            return 1;
    return 0;
}

static int xent_mentions(const pe_xent *e, const pe_nameset *names)
{
    if (!e->is_list)
        return pe_nameset_mentioned(names, &e->text);
    for (size_t i = 0; i < e->nitems; i++)
        if (xent_mentions(&e->items[i], names))
            return 1;
    return 0;
}

/* Whether the rule's texts, or those of the macros it uses, mention one of
 * the names. */
static int rule_mentions(const pe_collector *c, const pe_rinfo *r, const pe_rcache *k,
                         const pe_nameset *names)
{
    if (frags_mention(r->cond, r->ncond, names))
        return 1;
    for (size_t i = 0; i < r->nexc; i++) {
        const pe_exc *ex = &r->exc[i];
        if (xent_mentions(&ex->fields, names) || xent_mentions(&ex->comps, names))
            return 1;
        for (size_t v = 0; v < ex->nvalues; v++)
            if (xent_mentions(&ex->values[v], names))
                return 1;
    }
    for (size_t i = 0; i < k->ndeps; i++) {
        const pe_minfo *m = &c->macros[k->deps[i]];
        if (frags_mention(m->cond, m->ncond, names))
            return 1;
    }
    return 0;
}

static int list_items_mention(const pe_collector *c, const pe_nameset *names)
{
    for (size_t i = 0; i < c->nlists; i++)
        for (size_t k = 0; k < c->lists[i].nitems; k++)
            if (pe_nameset_mentioned(names, &c->lists[i].items[k]))
                return 1;
    return 0;
}

typedef struct changes {
    uint64_t fnum;
    pe_nameset lists; /* names of the lists this file changed */
    int nlists;
    int all; /* a changed list is named in list items: everything may change */
} changes;

static int needs_compile(const pe_build *b, size_t i, const changes *ch)
{
    const pe_collector *c = b->c;
    const pe_rinfo *r = &c->rules[i];
    const pe_rcache *k = &b->cache[i];
    if (!k->valid || ch->all || r->mod == ch->fnum)
        return 1;
    for (size_t d = 0; d < k->ndeps; d++)
        if (c->macros[k->deps[d]].mod == ch->fnum)
            return 1;
    return ch->nlists && rule_mentions(c, r, k, &ch->lists);
}

/* What file fnum changed, as far as compiled rules of this load care (the
 * first check has none, and compiles everything anyway). */
static int find_changes(const pe_build *b, uint64_t fnum, changes *ch)
{
    const pe_collector *c = b->c;
    memset(ch, 0, sizeof(*ch));
    ch->fnum = fnum;
    int cached = 0;
    for (size_t i = 0; !cached && i < b->ncache; i++)
        cached = b->cache[i].valid;
    for (size_t i = 0; cached && i < c->nlists; i++)
        if (c->lists[i].mod == fnum) {
            if (pe_nameset_add(&ch->lists, &c->lists[i]))
                return -1;
            ch->nlists++;
        }
    ch->all = ch->nlists && list_items_mention(c, &ch->lists);
    return 0;
}

/* ---- the set's warnings ---- */

/* Adds w (taken over) unless an identical warning is there already: a hint
 * in a macro is reported once, not once per rule using it. seen holds the
 * warnings added, keyed by their text in a. */
static void add_unique(pe_diags *d, size_t *suppressed, pe_hmap *seen, pe_arena *a,
                       prempti_error *w)
{
    if (w->is_static || d->count >= PE_MAX_WARNINGS) {
        pe_ld_add_warning(d, suppressed, w);
        return;
    }
    pe_strbuf key = PE_STRBUF_INIT;
    pe_sb_printf(&key, "%s|%s|%u|%u|%s", w->kind, w->source, w->line, w->column, w->message);
    char *k = pe_sb_failed(&key) ? NULL : pe_arena_strndup(a, pe_sb_str(&key), key.len);
    size_t klen = key.len;
    pe_sb_free(&key);
    if (k && pe_hmap_get(seen, k, klen)) {
        prempti_error_free(w);
        return;
    }
    if (!k || pe_hmap_put(seen, k, klen, w))
        d->oom = 1; /* the warning is still added: only the dedup failed */
    pe_ld_add_warning(d, suppressed, w);
}

static void warn_unused(pe_diags *out, size_t *suppressed, const char *kind, pe_item it, pe_pos at,
                        const char *msg)
{
    pe_ld_add_warning(out, suppressed, pe_ld_new(0, PREMPTI_SEVERITY_WARNING, kind, at, it, msg));
}

static void unused_warnings(pe_build *b, size_t *suppressed)
{
    pe_collector *c = b->c;
    pe_diags *out = &b->rs->warnings;
    for (size_t i = 0; i < c->nrules; i++) {
        const pe_rcache *k = &b->cache[i];
        if (!k->valid)
            continue;
        for (size_t d = 0; d < k->ndeps; d++)
            b->macro_used[k->deps[d]] = 1;
        for (size_t l = 0; l < k->nlists; l++)
            b->list_used[k->lists[l]] = 1;
    }
    for (size_t i = 0; i < c->nmacros; i++)
        if (!b->macro_used[i])
            warn_unused(out, suppressed, "LOAD_UNUSED_MACRO",
                        pe_item_of("macro", c->macros[i].name), c->macros[i].pos,
                        "Macro not referred to by any other rule/macro");
    for (size_t i = 0; i < c->nlists; i++)
        if (!b->list_used[i])
            warn_unused(out, suppressed, "LOAD_UNUSED_LIST", pe_item_of("list", c->lists[i].name),
                        c->lists[i].pos, "List not referred to by any other rule/macro");
}

static void set_warnings(pe_build *b)
{
    pe_diags *out = &b->rs->warnings;
    pe_hmap seen = PE_HMAP_INIT;
    pe_arena keys = PE_ARENA_INIT;
    size_t suppressed = 0;
    for (size_t i = 0; i < b->c->nrules; i++) {
        for (size_t w = 0; w < b->cache[i].warnings.count; w++)
            add_unique(out, &suppressed, &seen, &keys,
                       pe_error_clone(b->cache[i].warnings.items[w]));
        suppressed += b->cache[i].suppressed;
    }
    pe_hmap_free(&seen);
    pe_arena_free(&keys);
    unused_warnings(b, &suppressed);
    pe_ld_summarize(out, suppressed);
}

/* ---- assembling the ruleset ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int join_desc(pe_region *r, const char *const *d, size_t n, pe_rstr *out)
{
    pe_strbuf sb = PE_STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i)
            pe_sb_putc(&sb, ' ');
        pe_sb_puts(&sb, d[i]);
    }
    int rc = pe_sb_failed(&sb) ? -1 : pe_region_rstr(r, pe_sb_str(&sb), sb.len, out);
    pe_sb_free(&sb);
    return rc;
}

/* The tags, sorted and without duplicates. */
static int copy_tags(pe_region *r, const pe_rinfo *ri, pe_rule *out)
{
    const char **tags = malloc((ri->ntags + 1) * sizeof(*tags));
    pe_rstr *kept = pe_region_alloc(r, (ri->ntags + 1) * sizeof(*kept));
    int rc = tags && kept ? 0 : -1;
    size_t n = 0;
    if (!rc && ri->ntags) {
        memcpy(tags, ri->tags, ri->ntags * sizeof(*tags));
        qsort(tags, ri->ntags, sizeof(*tags), cmp_str);
    }
    for (size_t i = 0; !rc && i < ri->ntags; i++)
        if (!n || strcmp(tags[n - 1], tags[i]) != 0) {
            tags[n] = tags[i];
            rc = pe_region_rstr(r, tags[n], strlen(tags[n]), &kept[n]);
            n++;
        }
    free(tags);
    out->tags = pe_ref_of(r, kept);
    out->ntags = (uint32_t)n;
    return rc;
}

static int assemble_rule(pe_region *r, const pe_rinfo *ri, const pe_rcache *k, pe_rule *out)
{
    if (pe_region_rstr(r, ri->name, ri->name_len, &out->name) ||
        join_desc(r, ri->desc, ri->ndesc, &out->desc) ||
        pe_region_rstr(r, ri->source, strlen(ri->source), &out->source) ||
        pe_region_rstr(r, ri->pos.file->name, strlen(ri->pos.file->name), &out->file) ||
        copy_tags(r, ri, out))
        return -1;
    out->priority = (uint8_t)ri->priority;
    out->enabled = (uint8_t)(ri->enabled != 0);
    unsigned line, column;
    pe_pos_linecol(ri->pos, &line, &column);
    out->line = line;
    out->column = column;
    if (k->valid && !k->skipped) {
        out->cond = k->cond;
        out->output = k->output;
        out->cond_text = k->cond_text;
    }
    return 0;
}

/* A tag that looks like a decision tag but is not one decides nothing:
 * coding_agent_denyy, Coding-Agent-Deny, coding_agnet_ask. */
static void check_decision_tags(pe_build *b, const pe_rinfo *r)
{
    static const char *const decisions[] = {"coding_agent_deny", "coding_agent_ask",
                                            "coding_agent_allow", NULL};
    for (size_t i = 0; i < r->ntags; i++) {
        const char *t = r->tags[i];
        char low[64];
        size_t n = strlen(t);
        if (n >= sizeof(low))
            continue;
        for (size_t j = 0; j < n; j++)
            low[j] = t[j] == '-' ? '_' : (char)tolower((unsigned char)t[j]);
        low[n] = '\0';
        const char *near = NULL;
        unsigned best = 3;
        int exact = 0;
        for (const char *const *d = decisions; *d; d++) {
            exact |= strcmp(t, *d) == 0;
            unsigned dist = pe_edit_distance(low, n, *d, strlen(*d), 2);
            if (dist < best)
                best = dist, near = *d;
        }
        if (!exact && near)
            pe_ld_warn(b->d, "LOAD_UNKNOWN_DECISION_TAG", r->pos, pe_item_of("rule", r->name),
                       "tag '%s' looks like a decision tag but is not one, so it decides "
                       "nothing (did you mean %s?)",
                       t, near);
    }
}

static int assemble(pe_build *b)
{
    pe_collector *c = b->c;
    pe_region *r = &b->rs->region;
    b->rs->rules = pe_region_alloc(r, (c->nrules + 1) * sizeof(*b->rs->rules));
    if (!b->rs->rules)
        return -1;
    for (size_t i = 0; i < c->nrules; i++) {
        check_decision_tags(b, &c->rules[i]);
        if (assemble_rule(r, &c->rules[i], &b->cache[i], &b->rs->rules[i]))
            return -1;
    }
    b->rs->nrules = c->nrules;
    return 0;
}

/* ---- checks ---- */

int pe_build_begin(pe_build *b, pe_collector *c, pe_ldiag *d, const pe_build_limits *lim)
{
    memset(b, 0, sizeof(*b));
    b->c = c;
    b->d = d;
    b->lim = *lim;
    b->rs = calloc(1, sizeof(*b->rs));
    if (!b->rs || pe_region_init(&b->rs->region, lim->max_bytes, lim->header)) {
        free(b->rs);
        b->rs = NULL;
        return pe_ld_nomem(d);
    }
    return 0;
}

static int grow_cache(pe_build *b)
{
    pe_collector *c = b->c;
    if (c->nrules <= b->ncache)
        return 0;
    pe_rcache *n = realloc(b->cache, c->nrules * sizeof(*n));
    if (!n)
        return -1;
    memset(n + b->ncache, 0, (c->nrules - b->ncache) * sizeof(*n));
    b->cache = n;
    b->ncache = c->nrules;
    return 0;
}

static int lists_or_macros_changed(const pe_collector *c, uint64_t fnum)
{
    for (size_t i = 0; i < c->nlists; i++)
        if (c->lists[i].mod == fnum)
            return 1;
    for (size_t i = 0; i < c->nmacros; i++)
        if (c->macros[i].mod == fnum)
            return 1;
    return 0;
}

/* The shared macro bodies go with the ASTs they were compiled from. */
static void drop_resolved(pe_build *b)
{
    if (b->have_res)
        pe_resolve_end(&b->res);
    pe_arena_free(&b->res_arena);
    b->have_res = 0;
    pe_compile_memo_free(b->memo);
    b->memo = NULL;
}

/* Lists and macros, resolved again when file fnum changed any of them. */
static int resolve_macros(pe_build *b, uint64_t fnum)
{
    pe_collector *c = b->c;
    if (b->have_res && !lists_or_macros_changed(c, fnum)) {
        b->res.work = 0;
        return 0;
    }
    drop_resolved(b);
    free(b->macro_used);
    free(b->list_used);
    b->macro_used = calloc(c->nmacros + 1, 1);
    b->list_used = calloc(c->nlists + 1, 1);
    b->memo = pe_compile_memo_new();
    if (!b->macro_used || !b->list_used || !b->memo)
        return pe_ld_nomem(b->d);
    int rc = pe_resolve_begin(&b->res, c, b->d, &b->res_arena, b->lim.max_depth);
    b->have_res = 1;
    if (rc)
        return rc;
    for (size_t i = 0; i < c->nmacros; i++)
        b->macro_used[i] = b->res.macros[i].used;
    for (size_t i = 0; i < c->nlists; i++)
        b->list_used[i] = b->res.lists[i].used;
    return 0;
}

/* The rules up to rule i have more condition nodes than max_nodes: what
 * an evaluation could have to walk for one event. */
static int too_many_nodes(pe_build *b, size_t i, uint64_t total)
{
    const pe_rinfo *r = &b->c->rules[i];
    const pe_rcache *k = &b->cache[i];
    char macro[600] = "";
    if (k->biggest >= 0)
        snprintf(macro, sizeof(macro), "; its macro '%s' alone expands to %llu nodes",
                 b->c->macros[k->biggest].name, (unsigned long long)k->biggest_nodes);
    return pe_ld_error(b->d, PREMPTI_E_LIMIT, "LOAD_ERR_COMPILE_CONDITION", r->pos,
                       pe_item_of("rule", r->name),
                       "The rules' conditions have more than %llu nodes in all once macros are "
                       "expanded (max_condition_nodes): this rule brings them to %llu%s",
                       (unsigned long long)b->lim.max_nodes, (unsigned long long)total, macro);
}

static int check_rules(pe_build *b, uint64_t fnum)
{
    changes ch;
    int rc = find_changes(b, fnum, &ch) ? pe_ld_nomem(b->d) : 0;
    uint64_t total = 0;
    for (size_t i = 0; !rc && i < b->c->nrules; i++) {
        pe_rcache *k = &b->cache[i];
        if (b->c->rules[i].unknown_source)
            cache_clear(k);
        else if (needs_compile(b, i, &ch))
            rc = compile_rule(b, &b->res, i);
        if (rc || !k->valid || k->skipped)
            continue;
        total += k->nodes;
        if (total > b->lim.max_nodes)
            rc = too_many_nodes(b, i, total);
    }
    pe_nameset_free(&ch.lists);
    return rc;
}

int pe_build_check(pe_build *b, uint64_t fnum, int final)
{
    int rc = grow_cache(b) ? pe_ld_nomem(b->d) : resolve_macros(b, fnum);
    if (!rc)
        rc = check_rules(b, fnum);
    if (!rc && final) {
        if (assemble(b))
            rc = pe_region_full(&b->rs->region)
                     ? pe_ld_error(b->d, PREMPTI_E_LIMIT, "LOAD_ERR_COMPILE_CONDITION",
                                   (pe_pos){NULL, 0}, pe_item_of("", ""),
                                   "The compiled rules take more than %zu bytes "
                                   "(max_compiled_bytes)",
                                   b->lim.max_bytes)
                     : pe_ld_nomem(b->d);
        else
            set_warnings(b);
    }
    return rc;
}

void pe_build_hints(const pe_build *b, pe_diags *out)
{
    for (size_t i = 0; i < b->ncache; i++)
        for (size_t w = 0; w < b->cache[i].warnings.count; w++)
            pe_diags_add(out, pe_error_clone(b->cache[i].warnings.items[w]));
}

int pe_build_finish(pe_build *b, pe_ruleset **out)
{
    *out = b->rs;
    b->rs = NULL;
    return 0;
}

void pe_build_end(pe_build *b)
{
    drop_resolved(b);
    pe_hmap_free(&b->outputs);
    pe_arena_free(&b->output_keys);
    for (size_t i = 0; i < b->ncache; i++)
        cache_clear(&b->cache[i]);
    free(b->cache);
    free(b->macro_used);
    free(b->list_used);
    pe_ruleset_free(b->rs);
    memset(b, 0, sizeof(*b));
}
