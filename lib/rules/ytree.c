#include "rules/ytree.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "util/hash.h"
#include "util/mem.h"

/* Aliases may repeat nodes, but the expansion of a document may not exceed
 * this many nodes nor twice the text's length (a "billion laughs" text
 * stops here instead of exhausting memory in later stages). */
#define MIN_WEIGHT_LIMIT 1000000u

typedef struct open_coll {
    pe_ynode *node;
    size_t first; /* index of its first child in the pending stack */
} open_coll;

typedef struct ybuild {
    const char *text;
    const pe_srcfile *f;
    pe_arena *a;
    pe_yerror *err;
    unsigned max_depth;
    uint64_t weight_limit;
    open_coll *stack;
    size_t depth, cap;
    pe_ynode **pending; /* children of open collections, in order */
    size_t npending, cappending;
    pe_hmap anchors;
    pe_ynode **docs;
    size_t ndocs, capdocs;
    pe_ynode *root;
    int oom;
    yaml_mark_t last; /* the last mark converted, and its offset */
    uint32_t last_off;
} ybuild;

/* libyaml's marks count characters: the byte offset is found by walking the
 * line. Marks mostly come in order, so the walk goes on from the last one
 * (a file on a single line must not cost quadratic time). */
static pe_pos mark_pos(ybuild *b, yaml_mark_t m)
{
    pe_pos p = {b->f, 0};
    if (m.line == b->last.line && m.column >= b->last.column)
        p.off = pe_srcfile_advance(b->f, b->text, b->last_off, m.column - b->last.column);
    else
        p.off = pe_srcfile_offset(b->f, b->text, m.line, m.column);
    b->last = m;
    b->last_off = p.off;
    return p;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
fail(ybuild *b, pe_pos at, int limit, const char *fmt, ...)
{
    b->err->pos = at;
    b->err->limit = limit;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->err->message, sizeof(b->err->message), fmt, ap);
    va_end(ap);
    return -1;
}

static uint64_t add_weight(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Attaches a finished node (written at pos) to its parent, or makes it the
 * document root. */
static int attach(ybuild *b, pe_ynode *n, pe_pos pos)
{
    if (!b->depth) {
        b->root = n;
        return 0;
    }
    pe_ynode *parent = b->stack[b->depth - 1].node;
    parent->weight = add_weight(parent->weight, n->weight);
    if (parent->weight > b->weight_limit)
        return fail(b, pos, 1,
                    "YAML aliases expand to more than %llu nodes; the document is too large",
                    (unsigned long long)b->weight_limit);
    if (PE_PUSH(b->pending, b->npending, b->cappending, n)) {
        b->oom = 1;
        return -2;
    }
    return 0;
}

static pe_ynode *new_node(ybuild *b, pe_ykind kind, yaml_mark_t start)
{
    pe_ynode *n = pe_arena_alloc(b->a, sizeof(*n));
    if (!n) {
        b->oom = 1;
        return NULL;
    }
    n->kind = kind;
    n->pos = mark_pos(b, start);
    n->weight = 1;
    n->parent_indent = -1;
    return n;
}

/* libyaml's block indentation for a block scalar: the column of the
 * innermost block collection (block scalars cannot be in flow ones). */
static int parent_indent(const ybuild *b)
{
    const pe_ynode *c = b->depth ? b->stack[b->depth - 1].node : NULL;
    int block = c && (c->kind == PE_Y_SEQ ? c->style == YAML_BLOCK_SEQUENCE_STYLE
                                          : c->style == YAML_BLOCK_MAPPING_STYLE);
    if (!block)
        return -1;
    unsigned line, col;
    pe_pos_linecol(c->pos, &line, &col);
    return (int)col - 1;
}

static int add_anchor(ybuild *b, const yaml_char_t *anchor, pe_ynode *n)
{
    if (!anchor)
        return 0;
    size_t len = strlen((const char *)anchor);
    char *k = pe_arena_strndup(b->a, (const char *)anchor, len);
    if (!k || pe_hmap_put(&b->anchors, k, len, n)) {
        b->oom = 1;
        return -2;
    }
    return 0;
}

static int on_scalar(ybuild *b, const yaml_event_t *ev)
{
    pe_ynode *n = new_node(b, PE_Y_SCALAR, ev->start_mark);
    if (!n)
        return -2;
    n->style = (unsigned char)ev->data.scalar.style;
    if (n->style == YAML_LITERAL_SCALAR_STYLE || n->style == YAML_FOLDED_SCALAR_STYLE)
        n->parent_indent = parent_indent(b);
    n->len = ev->data.scalar.length;
    n->s = pe_arena_strndup(b->a, (const char *)ev->data.scalar.value, n->len);
    n->end = mark_pos(b, ev->end_mark).off;
    if (!n->s) {
        b->oom = 1;
        return -2;
    }
    if (n->style == YAML_PLAIN_SCALAR_STYLE) {
        static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
        for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
            n->is_null |= strcmp(n->s, nulls[i]) == 0;
    }
    int rc = add_anchor(b, ev->data.scalar.anchor, n);
    return rc ? rc : attach(b, n, n->pos);
}

static int on_start(ybuild *b, const yaml_event_t *ev, pe_ykind kind)
{
    if (b->depth >= b->max_depth)
        return fail(b, mark_pos(b, ev->start_mark), 1,
                    "YAML nesting is deeper than max_yaml_depth (%u)", b->max_depth);
    pe_ynode *n = new_node(b, kind, ev->start_mark);
    if (!n)
        return -2;
    n->style = (unsigned char)(kind == PE_Y_SEQ ? ev->data.sequence_start.style
                                                : ev->data.mapping_start.style);
    n->open = 1;
    const yaml_char_t *anchor =
        kind == PE_Y_SEQ ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
    int rc = add_anchor(b, anchor, n);
    if (rc)
        return rc;
    open_coll oc = {n, b->npending};
    if (PE_PUSH(b->stack, b->depth, b->cap, oc)) {
        b->oom = 1;
        return -2;
    }
    return 0;
}

static int on_end(ybuild *b)
{
    open_coll oc = b->stack[--b->depth];
    pe_ynode *n = oc.node;
    n->nkids = b->npending - oc.first;
    /* pending is NULL while nothing was ever pending (the text `[]`) */
    n->kids =
        n->nkids ? pe_arena_memdup(b->a, b->pending + oc.first, n->nkids * sizeof(*n->kids)) : NULL;
    if (n->nkids && !n->kids) {
        b->oom = 1;
        return -2;
    }
    b->npending = oc.first;
    n->open = 0;
    return attach(b, n, n->pos);
}

static int on_alias(ybuild *b, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    pe_ynode *target = pe_hmap_get(&b->anchors, name, strlen(name));
    if (!target)
        return fail(b, mark_pos(b, ev->start_mark), 0, "found undefined alias '%s'", name);
    if (target->open)
        return fail(b, mark_pos(b, ev->start_mark), 0,
                    "alias '%s' refers to a collection that contains it", name);
    return attach(b, target, mark_pos(b, ev->start_mark));
}

static int on_document_end(ybuild *b)
{
    pe_hmap_free(&b->anchors);
    if (PE_PUSH(b->docs, b->ndocs, b->capdocs, b->root)) {
        b->oom = 1;
        return -2;
    }
    b->root = NULL;
    return 0;
}

static int on_event(ybuild *b, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        return on_scalar(b, ev);
    case YAML_SEQUENCE_START_EVENT:
        return on_start(b, ev, PE_Y_SEQ);
    case YAML_MAPPING_START_EVENT:
        return on_start(b, ev, PE_Y_MAP);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return on_end(b);
    case YAML_ALIAS_EVENT:
        return on_alias(b, ev);
    case YAML_DOCUMENT_END_EVENT:
        return on_document_end(b);
    default:
        return 0;
    }
}

static void syntax_error(ybuild *b, const yaml_parser_t *p)
{
    pe_pos at = {b->f, 0};
    if (p->error == YAML_READER_ERROR)
        at.off = (uint32_t)(p->problem_offset < b->f->len ? p->problem_offset : b->f->len);
    else
        at = mark_pos(b, p->problem_mark);
    const char *problem = p->problem ? p->problem : "invalid YAML";
    if (p->context) {
        unsigned line, col;
        pe_pos ctx = mark_pos(b, p->context_mark);
        pe_pos_linecol(ctx, &line, &col);
        snprintf(b->err->message, sizeof(b->err->message), "%s (%s at line %u, column %u)", problem,
                 p->context, line, col);
    } else if (p->error == YAML_MEMORY_ERROR) {
        b->oom = 1;
    } else {
        snprintf(b->err->message, sizeof(b->err->message), "%s", problem);
    }
    b->err->pos = at;
    b->err->limit = 0;
}

int pe_yaml_parse(pe_ynode ***docs, size_t *ndocs, const char *text, size_t len,
                  const pe_srcfile *f, unsigned max_depth, pe_arena *a, pe_yerror *err)
{
    *docs = NULL;
    *ndocs = 0;
    ybuild b = {0};
    b.text = text;
    b.f = f;
    b.a = a;
    b.err = err;
    b.max_depth = max_depth;
    b.weight_limit = len * 2 > MIN_WEIGHT_LIMIT ? len * 2 : MIN_WEIGHT_LIMIT;
    b.last_off = f->lines[0]; /* line 1 may start after a byte order mark */
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return -2;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    int rc = 0, done = 0;
    while (!rc && !done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            syntax_error(&b, &p);
            rc = b.oom ? -2 : -1;
            break;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        rc = on_event(&b, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    if (b.oom)
        rc = -2;
    if (!rc) {
        *docs = pe_arena_memdup(a, b.docs, b.ndocs * sizeof(*b.docs));
        if (b.ndocs && !*docs)
            rc = -2;
        else
            *ndocs = b.ndocs;
    }
    pe_hmap_free(&b.anchors);
    free(b.stack);
    free(b.pending);
    free(b.docs);
    return rc;
}

const pe_ynode *pe_ymap_get(const pe_ynode *map, const char *key, const pe_ynode **key_out)
{
    if (key_out)
        *key_out = NULL;
    if (!map || map->kind != PE_Y_MAP)
        return NULL;
    size_t klen = strlen(key);
    for (size_t i = 0; i + 1 < map->nkids; i += 2) {
        const pe_ynode *k = map->kids[i];
        if (k->kind == PE_Y_SCALAR && k->len == klen && memcmp(k->s, key, klen) == 0) {
            if (key_out)
                *key_out = k;
            return map->kids[i + 1];
        }
    }
    return NULL;
}
