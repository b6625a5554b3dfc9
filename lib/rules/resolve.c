#include "rules/resolve.h"

#include <stdlib.h>
#include <string.h>

#include "cond/parser.h"
#include "util/mem.h"
#include "util/near.h"

#define VALIDATE  "LOAD_ERR_VALIDATE"
#define CONDITION "LOAD_ERR_COMPILE_CONDITION"

pe_pos pe_cond_src_pos(const pe_cond_src *src, uint32_t pos)
{
    pe_pos p = pe_mtext_pos(src->text, pos);
    return p.file ? p : src->fallback;
}

/* memmem(), which is not POSIX. */
static const char *find_bytes(const char *h, size_t hlen, const char *n, size_t nlen)
{
    if (!nlen || hlen < nlen)
        return NULL;
    const char *end = h + hlen - nlen + 1;
    for (const char *p = h; p < end;) {
        p = memchr(p, n[0], (size_t)(end - p));
        if (!p)
            return NULL;
        if (memcmp(p, n, nlen) == 0)
            return p;
        p++;
    }
    return NULL;
}

static int nomem(pe_rstate *s)
{
    return pe_ld_nomem(s->d);
}

/* ---- texts ---- */

int pe_join_frags(pe_arena *a, const pe_mtext *const *frags, size_t n, pe_mtext *out)
{
    if (n == 1) {
        *out = *frags[0];
        return 0;
    }
    pe_mbuf b = PE_MBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i) /* Falco appends with one space */
            pe_mbuf_glue(&b, " ", 1, pe_mtext_pos(frags[i], 0));
        pe_mbuf_mtext(&b, frags[i]);
    }
    int rc = pe_mbuf_finish(&b, a, out);
    pe_mbuf_free(&b);
    return rc;
}

static int delim(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' || c == ',' ||
           c == '=';
}

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Falco's quote_item(): "..." around items with a space not already quoted. */
static void quoted(pe_mbuf *b, const pe_mtext *t)
{
    int q = t->len && memchr(t->s, ' ', t->len) && t->s[0] != '"' && t->s[0] != '\'';
    pe_pos at = pe_mtext_pos(t, 0);
    if (q)
        pe_mbuf_glue(b, "\"", 1, at);
    pe_mbuf_mtext(b, t);
    if (q)
        pe_mbuf_glue(b, "\"", 1, pe_mtext_pos(t, t->len ? t->len - 1 : 0));
}

static int plain_name(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (delim(s[i]))
            return 0;
    return 1;
}

int pe_nameset_add(pe_nameset *s, const pe_linfo *l)
{
    if (plain_name(l->name, l->name_len))
        return pe_hmap_put(&s->plain, l->name, l->name_len, (void *)l);
    return PE_PUSH(s->odd, s->nodd, s->capodd, l);
}

int pe_nameset_mentioned(const pe_nameset *s, const pe_mtext *t)
{
    for (size_t i = 0; i < t->len;) {
        while (i < t->len && delim(t->s[i]))
            i++;
        size_t j = i;
        while (j < t->len && !delim(t->s[j]))
            j++;
        if (j > i && pe_hmap_get(&s->plain, t->s + i, j - i))
            return 1;
        i = j;
    }
    for (size_t i = 0; i < s->nodd; i++)
        if (find_bytes(t->s, t->len, s->odd[i]->name, s->odd[i]->name_len))
            return 1;
    return 0;
}

void pe_nameset_free(pe_nameset *s)
{
    pe_hmap_free(&s->plain);
    free(s->odd);
    memset(s, 0, sizeof(*s));
}

/* ---- exceptions (Falco's build_rule_exception_infos) ---- */

static int list_value(pe_rstate *s, const pe_rinfo *r, pe_mbuf *b, const pe_xent *v, pe_pos at)
{
    pe_mbuf_glue(b, "(", 1, v->pos);
    for (size_t i = 0; i < v->nitems; i++) {
        if (v->items[i].is_list)
            return pe_ld_rule_error(s->d, r->name, v->items[i].pos,
                                    "Expected values array to contain a list of strings");
        if (i)
            pe_mbuf_glue(b, ", ", 2, at);
        quoted(b, &v->items[i].text);
    }
    pe_mbuf_glue(b, ")", 1, at);
    return 0;
}

/* fields: f, comps: c, values: [v1, v2] -> (f c (v1, v2)) */
static int exc_single(pe_rstate *s, const pe_rinfo *r, const pe_exc *ex, pe_mbuf *b)
{
    for (size_t i = 0; i < ex->nvalues; i++) {
        const pe_xent *v = &ex->values[i];
        if (v->is_list)
            return pe_ld_rule_error(s->d, r->name, v->pos,
                                    "Expected values array to contain a list of strings");
        if (!i) {
            pe_mbuf_glue(b, "(", 1, ex->pos);
            pe_mbuf_mtext(b, &ex->fields.text);
            pe_mbuf_glue(b, " ", 1, ex->pos);
            pe_mbuf_mtext(b, &ex->comps.text);
            pe_mbuf_glue(b, " (", 2, ex->pos);
        } else {
            pe_mbuf_glue(b, ", ", 2, v->pos);
        }
        quoted(b, &v->text);
    }
    if (ex->nvalues)
        pe_mbuf_glue(b, "))", 2, ex->pos);
    return 0;
}

/* fields: [f1, f2], values: [[a, b], ...] -> (( f1 c1 a and  f2 c2 b) or (...)) */
static int exc_tuples(pe_rstate *s, const pe_rinfo *r, const pe_exc *ex, pe_mbuf *b)
{
    size_t start = pe_mbuf_len(b);
    pe_mbuf_glue(b, "(", 1, ex->pos);
    for (size_t i = 0; i < ex->nvalues; i++) {
        const pe_xent *t = &ex->values[i];
        if (ex->fields.nitems != (t->is_list ? t->nitems : 0))
            return pe_ld_rule_error(s->d, r->name, t->pos,
                                    "Fields and values lists must have equal length");
        pe_mbuf_glue(b, i ? " or (" : "(", i ? 5 : 1, t->pos);
        for (size_t k = 0; k < ex->fields.nitems; k++) {
            const pe_xent *v = &t->items[k];
            const pe_mtext *comp = &ex->comps.items[k].text;
            int list_like = 0;
            pe_exc_operator(comp->s, comp->len, &list_like);
            pe_mbuf_glue(b, k ? " and  " : " ", k ? 6 : 1, v->pos);
            pe_mbuf_mtext(b, &ex->fields.items[k].text);
            pe_mbuf_glue(b, " ", 1, v->pos);
            pe_mbuf_mtext(b, comp);
            pe_mbuf_glue(b, " ", 1, v->pos);
            if (v->is_list) {
                int rc = list_value(s, r, b, v, v->pos);
                if (rc)
                    return rc;
            } else if (list_like && !(v->text.len && v->text.s[0] == '(')) {
                pe_mbuf_glue(b, "(", 1, v->pos); /* Falco's paren_item() */
                pe_mbuf_mtext(b, &v->text);
                pe_mbuf_glue(b, ")", 1, v->pos);
            } else if (list_like) {
                pe_mbuf_mtext(b, &v->text);
            } else {
                quoted(b, &v->text);
            }
        }
        pe_mbuf_glue(b, ")", 1, t->pos);
    }
    pe_mbuf_glue(b, ")", 1, ex->pos);
    if (pe_mbuf_len(b) - start == 2) /* "()": no values */
        pe_mbuf_drop(b, 2);
    return 0;
}

int pe_rule_text(pe_rstate *s, const pe_rinfo *r, const pe_mtext **out)
{
    pe_mtext *t = pe_arena_alloc(s->scratch, sizeof(*t));
    if (!t || pe_join_frags(s->scratch, r->cond, r->ncond, t))
        return nomem(s);
    *out = t;
    if (!r->nexc)
        return 0;
    pe_mbuf b = PE_MBUF_INIT;
    pe_mbuf_glue(&b, "(", 1, pe_mtext_pos(t, 0));
    pe_mbuf_mtext(&b, t);
    pe_mbuf_glue(&b, ")", 1, pe_mtext_pos(t, t->len ? t->len - 1 : 0));
    int rc = 0;
    for (size_t i = 0; !rc && i < r->nexc; i++) {
        const pe_exc *ex = &r->exc[i];
        size_t before = pe_mbuf_len(&b);
        pe_mbuf_glue(&b, " and not ", 9, ex->pos);
        rc = ex->fields.is_list ? exc_tuples(s, r, ex, &b) : exc_single(s, r, ex, &b);
        if (!rc && pe_mbuf_len(&b) == before + 9) /* the exception had no values */
            pe_mbuf_drop(&b, 9);
    }
    if (!rc && pe_mbuf_len(&b) > PE_MAX_TEXT)
        rc = pe_ld_error(s->d, PREMPTI_E_LIMIT, CONDITION, r->pos, (pe_item){"rule", r->name},
                         "Condition is larger than %u bytes", PE_MAX_TEXT);
    if (!rc && pe_mbuf_finish(&b, s->scratch, t))
        rc = nomem(s);
    pe_mbuf_free(&b);
    return rc;
}

/* ---- lists ---- */

/* Falco's compile_list_infos(): an item naming a list defined earlier (by
 * index, before this list's last change) is replaced by that list's items. */
static int expand_lists(pe_rstate *s)
{
    pe_collector *c = s->c;
    for (size_t i = 0; i < c->nlists; i++) {
        const pe_linfo *l = &c->lists[i];
        size_t n = 0;
        for (size_t k = 0; k < l->nitems; k++) {
            long ref = pe_coll_find_list(c, l->items[k].s, l->items[k].len);
            n += ref >= 0 && c->lists[ref].index < l->visibility ? c->lists[ref].nitems : 1;
        }
        pe_lres *lr = &s->lists[i];
        lr->items = pe_arena_alloc(s->scratch, (n + 1) * sizeof(*lr->items));
        if (!lr->items)
            return nomem(s);
        for (size_t k = 0; k < l->nitems; k++) {
            long ref = pe_coll_find_list(c, l->items[k].s, l->items[k].len);
            if (ref >= 0 && c->lists[ref].index < l->visibility) {
                s->lists[ref].used = 1;
                for (size_t j = 0; j < c->lists[ref].nitems; j++)
                    lr->items[lr->nitems++] = &c->lists[ref].items[j];
            } else {
                lr->items[lr->nitems++] = &l->items[k];
            }
        }
        lr->plain_name = (unsigned char)plain_name(l->name, l->name_len);
        if (!lr->plain_name && PE_PUSH(s->odd_lists, s->nodd, s->capodd, (uint32_t)i))
            return nomem(s);
    }
    return 0;
}

/*
 * One pass of Falco's resolve_list() over in, into out: every occurrence of
 * the name delimited by blanks, ( ) , = or the text's ends is replaced by
 * " item1, item2 " (blanks around it consumed; an empty list also eats a
 * comma). The search resumes exactly where Falco's does. Returns whether
 * anything was replaced.
 */
static int subst_pass(pe_mbuf *out, const pe_mtext *in, const pe_linfo *l, const pe_lres *lr)
{
    const char *name = l->name;
    size_t nlen = l->name_len, p = 0, q = 0;
    int used = 0;
    while (q + nlen <= in->len) {
        const char *hit = find_bytes(in->s + q, in->len - q, name, nlen);
        if (!hit)
            break;
        size_t k = (size_t)(hit - in->s), end = k + nlen;
        char before = k > p              ? in->s[k - 1]
                      : pe_mbuf_len(out) ? pe_mbuf_str(out)[pe_mbuf_len(out) - 1]
                                         : '\0';
        int at_start = k == p && !pe_mbuf_len(out);
        if (!(at_start || delim(before)) || !(end >= in->len || delim(in->s[end]))) {
            q = k + 1;
            continue;
        }
        pe_pos at = pe_mtext_pos(in, k);
        pe_mbuf_slice(out, in, p, k - p);
        while (pe_mbuf_len(out) && blank(pe_mbuf_str(out)[pe_mbuf_len(out) - 1]))
            pe_mbuf_drop(out, 1);
        while (end < in->len && blank(in->s[end]))
            end++;
        if (!lr->nitems) {
            if (pe_mbuf_len(out) && pe_mbuf_str(out)[pe_mbuf_len(out) - 1] == ',')
                pe_mbuf_drop(out, 1);
            else if (end < in->len && in->s[end] == ',')
                end++;
        }
        int start_zero = pe_mbuf_len(out) == 0;
        if (!start_zero)
            pe_mbuf_glue(out, " ", 1, at);
        for (size_t i = 0; i < lr->nitems; i++) {
            if (i)
                pe_mbuf_glue(out, ", ", 2, at);
            quoted(out, lr->items[i]);
        }
        pe_mbuf_glue(out, " ", 1, at);
        p = end;
        q = start_zero ? end + 1 : end;
        used = 1;
        if (pe_mbuf_len(out) > PE_MAX_TEXT)
            return -1;
    }
    if (used)
        pe_mbuf_slice(out, in, p, in->len - p);
    return used;
}

int pe_subst_one(pe_arena *a, const pe_mtext *in, const char *name, const pe_mtext *const *items,
                 size_t n, pe_mtext *out, int *used)
{
    pe_linfo l = {0};
    l.name = name;
    l.name_len = strlen(name);
    pe_lres lr = {0};
    lr.items = (const pe_mtext **)items;
    lr.nitems = n;
    pe_mbuf b = PE_MBUF_INIT;
    int r = subst_pass(&b, in, &l, &lr);
    *used = r > 0;
    int rc = r < 0 ? -1 : *used ? pe_mbuf_finish(&b, a, out) : pe_mbuf_failed(&b) ? -1 : 0;
    if (!*used)
        *out = *in;
    pe_mbuf_free(&b);
    return rc;
}

/* A min-heap of list slots still to apply to a text, in Falco's order. */
typedef struct heap {
    uint32_t *v;
    size_t n, cap;
} heap;

static int heap_push(heap *h, uint32_t x)
{
    if (PE_PUSH(h->v, h->n, h->cap, x))
        return -1;
    for (size_t i = h->n - 1; i && h->v[(i - 1) / 2] > h->v[i]; i = (i - 1) / 2) {
        uint32_t t = h->v[i];
        h->v[i] = h->v[(i - 1) / 2];
        h->v[(i - 1) / 2] = t;
    }
    return 0;
}

static uint32_t heap_pop(heap *h)
{
    uint32_t top = h->v[0];
    h->v[0] = h->v[--h->n];
    for (size_t i = 0;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && h->v[l] < h->v[m])
            m = l;
        if (r < h->n && h->v[r] < h->v[m])
            m = r;
        if (m == i)
            break;
        uint32_t t = h->v[i];
        h->v[i] = h->v[m];
        h->v[m] = t;
        i = m;
    }
    return top;
}

/* Queues the lists named by whole tokens of t[from, to) that come after
 * list `after` (lists with other names are always queued). */
static int queue_tokens(pe_rstate *s, heap *h, const char *t, size_t from, size_t to, long after)
{
    for (size_t i = from; i < to;) {
        while (i < to && delim(t[i]))
            i++;
        size_t j = i;
        while (j < to && !delim(t[j]))
            j++;
        if (j > i) {
            long slot = pe_coll_find_list(s->c, t + i, j - i);
            if (slot > after && s->lists[slot].plain_name && s->lists[slot].stamp != s->stamp) {
                s->lists[slot].stamp = s->stamp;
                if (heap_push(h, (uint32_t)slot))
                    return -1;
            }
        }
        i = j;
    }
    return 0;
}

/*
 * Falco's list substitution over a whole text: every list in definition
 * order. Only lists that can match are tried: a bare-string name matches
 * whole tokens only, so candidates come from the text's tokens (and from
 * the items each substitution inserts). used receives the lists applied.
 */
static int substitute(pe_rstate *s, const pe_mtext *in, pe_mtext *out, uint32_t **used,
                      size_t *nused, pe_item it, pe_pos at)
{
    heap h = {0};
    size_t capused = 0, odd = 0;
    *out = *in;
    s->stamp++;
    int rc = queue_tokens(s, &h, in->s, 0, in->len, -1) ? nomem(s) : 0;
    pe_mbuf b = PE_MBUF_INIT;
    while (!rc && (h.n || odd < s->nodd)) {
        uint32_t slot = h.n && (odd == s->nodd || h.v[0] < s->odd_lists[odd]) ? heap_pop(&h)
                                                                              : s->odd_lists[odd++];
        s->work += out->len;
        if (s->work > PE_MAX_SUBST_WORK) {
            rc = pe_ld_error(s->d, PREMPTI_E_LIMIT, CONDITION, at, it,
                             "List substitution needs more than %u bytes of work; the rules "
                             "files use too many or too large lists",
                             PE_MAX_SUBST_WORK);
            break;
        }
        int r = subst_pass(&b, out, &s->c->lists[slot], &s->lists[slot]);
        if (!r) {
            pe_mbuf_reset(&b);
            continue;
        }
        if (r < 0 || pe_mbuf_len(&b) > PE_MAX_TEXT) {
            rc = pe_ld_error(s->d, PREMPTI_E_LIMIT, CONDITION, at, it,
                             "Condition is larger than %u bytes after list substitution",
                             PE_MAX_TEXT);
            break;
        }
        s->lists[slot].used = 1;
        if ((used && PE_PUSH(*used, *nused, capused, slot)) ||
            pe_mbuf_finish(&b, s->scratch, out) ||
            queue_tokens(s, &h, out->s, 0, out->len, (long)slot))
            rc = nomem(s);
    }
    pe_mbuf_free(&b);
    free(h.v);
    return rc;
}

/* ---- parsing ---- */

static int parse(pe_rstate *s, const pe_mtext *text, pe_item it, pe_pos fallback, uint32_t **used,
                 size_t *nused, pe_ast_node **ast, pe_cond_src **src_out)
{
    pe_mtext *t = pe_arena_alloc(s->scratch, sizeof(*t));
    pe_cond_src *src = pe_arena_alloc(s->scratch, sizeof(*src));
    if (!t || !src)
        return nomem(s);
    int rc = substitute(s, text, t, used, nused, it, fallback);
    if (rc)
        return rc;
    src->text = t;
    src->item = it;
    src->fallback = fallback;
    *src_out = src;
    pe_parse_error perr;
    rc = pe_parse_condition(ast, t->s, t->len, src, s->max_depth, s->scratch, &perr);
    if (rc == -2)
        return nomem(s);
    if (rc)
        return pe_ld_error(s->d, PREMPTI_E_RULE, CONDITION, pe_cond_src_pos(src, perr.pos), it,
                           "%s", perr.message);
    return 0;
}

/* ---- macros ---- */

typedef struct walk {
    pe_rstate *s;
    uint32_t vis;   /* macros with a smaller index are visible */
    uint32_t *path; /* macros being expanded (loop detection) */
    size_t npath;
    unsigned depth, max_depth;
    const pe_ast_node *loop, *unknown; /* the first of each problem */
    const char *loop_name;
    const pe_ast_node *too_deep;
} walk;

static long visible_macro(walk *w, const pe_ast_node *n)
{
    long j = pe_coll_find_macro(w->s->c, n->ident, n->ident_len);
    return j >= 0 && w->s->c->macros[j].index < w->vis ? j : -1;
}

/*
 * Falco's filter_macro_resolver, over AST n: identifiers naming visible
 * macros are substituted (linked when link is set; a macro whose own turn
 * has not come yet is walked too, with this walk's visibility, as Falco
 * walks its unresolved copy). Problems are recorded, not returned.
 */
static void walk_node(walk *w, pe_ast_node *n, int link);

static void walk_kids(walk *w, pe_ast_node *n, int link)
{
    if (++w->depth > w->max_depth) {
        if (!w->too_deep)
            w->too_deep = n;
    } else {
        for (size_t i = 0; i < n->nkids; i++)
            walk_node(w, n->kids[i], link);
    }
    w->depth--;
}

static void walk_node(walk *w, pe_ast_node *n, int link)
{
    if (w->too_deep)
        return;
    if (n->kind == PE_AST_AND || n->kind == PE_AST_OR || n->kind == PE_AST_NOT) {
        walk_kids(w, n, link);
        return;
    }
    if (n->kind != PE_AST_IDENT)
        return;
    long j = visible_macro(w, n);
    if (j < 0) {
        if (!w->unknown)
            w->unknown = n;
        return;
    }
    for (size_t i = 0; i < w->npath; i++)
        if (w->path[i] == (uint32_t)j) {
            if (!w->loop) {
                w->loop = n;
                w->loop_name = w->s->c->macros[j].name;
            }
            return;
        }
    pe_mres *m = &w->s->macros[j];
    m->used = 1;
    /* a macro whose own turn has not come is walked as Falco walks its copy;
     * once per top-level walk suffices: the same subtree gives the same
     * problems, and a loop through it was found the first time */
    if (!m->done && m->walked != w->s->turn) {
        m->walked = w->s->turn;
        if (w->npath >= PE_MAX_MACRO_NESTING) {
            w->too_deep = n;
            return;
        }
        w->path[w->npath++] = (uint32_t)j;
        walk_node(w, m->ast, 0);
        w->npath--;
    }
    if (link) {
        n->kind = PE_AST_MACRO;
        n->target = m->ast;
        n->macro = m;
    }
}

static int walk_report(pe_rstate *s, const walk *w, pe_item it)
{
    if (w->too_deep)
        return pe_ld_error(s->d, PREMPTI_E_LIMIT, VALIDATE,
                           pe_cond_src_pos(w->too_deep->src, w->too_deep->pos), it,
                           "exceeded max depth limit of %u while resolving macros", w->max_depth);
    const pe_ast_node *n = w->loop ? w->loop : w->unknown;
    if (!n)
        return 0;
    pe_pos at = pe_cond_src_pos(n->src, n->pos);
    if (w->loop)
        return pe_ld_error(s->d, PREMPTI_E_RULE, VALIDATE, at, it, "reference loop in macro '%s'",
                           w->loop_name);
    const char *near = NULL;
    unsigned dist = 0;
    for (size_t i = 0; i < s->c->nmacros; i++)
        if (s->c->macros[i].index < w->vis)
            pe_near_consider(n->ident, n->ident_len, s->c->macros[i].name, &near, &dist);
    return pe_ld_error(s->d, PREMPTI_E_RULE, VALIDATE, at, it,
                       "Undefined macro '%.*s' used in filter.%s%s%s", (int)n->ident_len, n->ident,
                       near ? " (did you mean " : "", near ? near : "", near ? "?)" : "");
}

static int resolve_ast(pe_rstate *s, pe_ast_node *ast, uint32_t vis, pe_item it)
{
    walk w = {s, vis, NULL, 0, 0, s->max_depth + PE_MAX_MACRO_NESTING, NULL, NULL, NULL, NULL};
    s->turn++;
    w.path = malloc(PE_MAX_MACRO_NESTING * sizeof(*w.path));
    if (!w.path)
        return nomem(s);
    walk_node(&w, ast, 1);
    free(w.path);
    return walk_report(s, &w, it);
}

/* Nodes of n with macros expanded, memoised per macro and saturated just
 * above the limit. Nesting is bounded as the compiler bounds it (every
 * and/or/not and macro level counts); *deep is set when it is exceeded. */
#define SIZE_CAP ((uint64_t)PE_MAX_EXPANDED + 1)

static uint64_t expanded_size(const pe_ast_node *n, unsigned depth, int *deep)
{
    if (depth > PE_MAX_MACRO_NESTING) {
        *deep = 1;
        return SIZE_CAP;
    }
    if (n->kind == PE_AST_MACRO) {
        pe_mres *m = (pe_mres *)n->macro;
        if (!m->size) {
            if (m->sizing) { /* cannot happen after resolution; stay safe */
                *deep = 1;
                return SIZE_CAP;
            }
            m->sizing = 1;
            m->size = expanded_size(n->target, depth + 1, deep);
            m->sizing = 0;
        }
        return m->size;
    }
    uint64_t total = 1;
    for (size_t i = 0; i < n->nkids && total < SIZE_CAP; i++)
        total += expanded_size(n->kids[i], depth + 1, deep);
    return total < SIZE_CAP ? total : SIZE_CAP;
}

static int parse_macros(pe_rstate *s)
{
    pe_collector *c = s->c;
    for (size_t i = 0; i < c->nmacros; i++) {
        const pe_minfo *m = &c->macros[i];
        pe_mres *mr = &s->macros[i];
        pe_mtext *t = pe_arena_alloc(s->scratch, sizeof(*t));
        if (!t || pe_join_frags(s->scratch, m->cond, m->ncond, t))
            return nomem(s);
        mr->text = t;
        pe_item it = {"macro", m->name};
        int rc = parse(s, t, it, m->pos, NULL, NULL, &mr->ast, &mr->src);
        if (rc)
            return rc;
    }
    return 0;
}

int pe_resolve_begin(pe_rstate *s, pe_collector *c, pe_ldiag *d, pe_arena *scratch,
                     unsigned max_depth)
{
    memset(s, 0, sizeof(*s));
    s->c = c;
    s->d = d;
    s->scratch = scratch;
    s->max_depth = max_depth;
    s->lists = pe_arena_alloc(scratch, (c->nlists + 1) * sizeof(*s->lists));
    s->macros = pe_arena_alloc(scratch, (c->nmacros + 1) * sizeof(*s->macros));
    if (!s->lists || !s->macros)
        return nomem(s);
    int rc = expand_lists(s);
    if (rc || (rc = parse_macros(s)))
        return rc;
    /* Falco resolves macros in definition order, each seeing the macros
     * defined (by index) before its own last definition or append */
    for (size_t i = 0; i < c->nmacros; i++) {
        pe_item it = {"macro", c->macros[i].name};
        if ((rc = resolve_ast(s, s->macros[i].ast, c->macros[i].visibility, it)))
            return rc;
        s->macros[i].done = 1;
    }
    return 0;
}

void pe_resolve_end(pe_rstate *s)
{
    free(s->odd_lists);
    s->odd_lists = NULL;
}

/* The macros a resolved AST uses, directly or through other macros. */
static int collect_deps(pe_rstate *s, const pe_ast_node *n, pe_rres *out, size_t *cap)
{
    if (n->kind == PE_AST_MACRO) {
        pe_mres *m = (pe_mres *)n->macro;
        if (m->seen) /* cleared by the caller */
            return 0;
        m->seen = 1;
        if (PE_PUSH(out->deps, out->ndeps, *cap, (uint32_t)(m - s->macros)))
            return -1;
        return collect_deps(s, n->target, out, cap);
    }
    for (size_t i = 0; i < n->nkids; i++)
        if (collect_deps(s, n->kids[i], out, cap))
            return -1;
    return 0;
}

int pe_resolve_rule(pe_rstate *s, size_t slot, const pe_mtext *text, pe_rres *out)
{
    const pe_rinfo *r = &s->c->rules[slot];
    pe_item it = {"rule", r->name};
    memset(out, 0, sizeof(*out));
    pe_cond_src *src;
    int rc;
    if ((rc = parse(s, text, it, r->pos, &out->lists, &out->nlists, &out->ast, &src)) ||
        (rc = resolve_ast(s, out->ast, UINT32_MAX, it)))
        return rc;
    out->src = src;
    int deep = 0;
    uint64_t size = expanded_size(out->ast, 0, &deep);
    if (deep)
        return pe_ld_error(s->d, PREMPTI_E_LIMIT, CONDITION, pe_cond_src_pos(src, 0), it,
                           "exceeded max depth limit of %d while expanding macros",
                           PE_MAX_MACRO_NESTING);
    if (size > PE_MAX_EXPANDED)
        return pe_ld_error(s->d, PREMPTI_E_LIMIT, CONDITION, pe_cond_src_pos(src, 0), it,
                           "Condition is too large once macros are expanded (more than %u "
                           "nodes)",
                           PE_MAX_EXPANDED);
    out->nodes = size;
    out->biggest = -1;
    size_t cap = 0;
    rc = collect_deps(s, out->ast, out, &cap) ? nomem(s) : 0;
    for (size_t i = 0; i < out->ndeps; i++) {
        const pe_mres *m = &s->macros[out->deps[i]];
        if (out->biggest < 0 || m->size > s->macros[out->biggest].size)
            out->biggest = (long)out->deps[i];
        s->macros[out->deps[i]].seen = 0;
    }
    return rc;
}
