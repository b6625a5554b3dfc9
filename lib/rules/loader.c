/*
 * Rules loader (first slice): rules, macros and lists with the keys the
 * coding_agent rule packs use, Falco's textual list substitution, macro
 * resolution with loop detection, and compilation of the whole set.
 */
#include "rules/loader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "compile/compile.h"
#include "config_internal.h"
#include "cond/parser.h"
#include "util/mem.h"
#include "util/strbuf.h"

struct pe_cond_src {
    const char *file;
    unsigned line, column; /* of the first character of the text */
    const char *item_type;
    const char *item_name;
};

typedef struct lst {
    const char *name;
    const char **items;
    size_t nitems;
} lst;

typedef struct mac {
    const char *name;
    const char *cond;
    pe_cond_src src;
} mac;

typedef struct rul {
    const char *name;
    const char *desc;
    const char *cond;
    const char *output;
    int priority;
    const char *source;
    const char **tags;
    size_t ntags;
    int enabled;
    pe_cond_src cond_src;
    pe_cond_src out_src;
} rul;

struct pe_loader {
    pe_arena arena;
    lst *lists;
    size_t nlists, caplists;
    mac *macros;
    size_t nmacros, capmacros;
    rul *rules;
    size_t nrules, caprules;
    unsigned max_depth;
};

int pe_loader_new(pe_loader **out, const prempti_config *cfg)
{
    *out = calloc(1, sizeof(**out));
    if (!*out)
        return PREMPTI_E_NOMEM;
    (*out)->max_depth = (unsigned)pe_config_int(cfg, PE_OPT_MAX_CONDITION_DEPTH);
    return PREMPTI_OK;
}

void pe_loader_free(pe_loader *l)
{
    if (!l)
        return;
    free(l->lists);
    free(l->macros);
    free(l->rules);
    pe_arena_free(&l->arena);
    free(l);
}

void pe_ruleset_free(pe_ruleset *rs)
{
    if (!rs)
        return;
    pe_arena_free(&rs->arena);
    free(rs);
}

/* ---- reading YAML ---- */

typedef struct reader {
    pe_loader *l;
    const char *file;
    yaml_document_t *doc;
    prempti_error **err;
} reader;

static int yaml_error(reader *r, const char *msg, const yaml_node_t *n)
{
    prempti_error *e = pe_error_new(PREMPTI_E_RULE, PREMPTI_SEVERITY_ERROR,
                                    "LOAD_ERR_YAML_VALIDATE", "%s", msg);
    pe_error_set_pos(e, r->file, n ? (unsigned)n->start_mark.line + 1 : 0,
                     n ? (unsigned)n->start_mark.column + 1 : 0);
    return pe_raise(r->err, e);
}

static const char *scalar(reader *r, const yaml_node_t *n)
{
    if (!n || n->type != YAML_SCALAR_NODE)
        return NULL;
    return pe_arena_strndup(&r->l->arena, (const char *)n->data.scalar.value,
                            n->data.scalar.length);
}

static yaml_node_t *get(reader *r, yaml_node_t *map, const char *key)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(r->doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE && strcmp((char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(r->doc, p->value);
    }
    return NULL;
}

static void set_src(pe_cond_src *src, reader *r, const yaml_node_t *n, const char *type,
                    const char *name)
{
    src->file = r->file;
    src->line = (unsigned)n->start_mark.line + 1;
    src->column = (unsigned)n->start_mark.column + 1;
    /* block scalars start on the next line */
    if (n->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
        n->data.scalar.style == YAML_FOLDED_SCALAR_STYLE) {
        src->line++;
        src->column = 1;
    } else if (n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
               n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
        src->column++;
    }
    src->item_type = type;
    src->item_name = name;
}

static int read_strings(reader *r, yaml_node_t *seq, const char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!seq)
        return 0;
    if (seq->type != YAML_SEQUENCE_NODE)
        return yaml_error(r, "Value is not a sequence", seq);
    size_t count = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    const char **v = pe_arena_alloc(&r->l->arena, (count ? count : 1) * sizeof(*v));
    if (!v)
        return pe_fail(r->err, PREMPTI_E_NOMEM, "", "out of memory");
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *it = yaml_document_get_node(r->doc, seq->data.sequence.items.start[i]);
        if (!(v[i] = scalar(r, it)))
            return yaml_error(r, "sequence value is not scalar", it);
    }
    *out = v;
    *n = count;
    return 0;
}

static int read_list(reader *r, yaml_node_t *map, const char *name)
{
    lst li = {name, NULL, 0};
    int rc = read_strings(r, get(r, map, "items"), &li.items, &li.nitems);
    if (rc)
        return rc;
    for (size_t i = 0; i < r->l->nlists; i++)
        if (strcmp(r->l->lists[i].name, name) == 0) {
            r->l->lists[i] = li;
            return 0;
        }
    if (PE_PUSH(r->l->lists, r->l->nlists, r->l->caplists, li))
        return pe_fail(r->err, PREMPTI_E_NOMEM, "", "out of memory");
    return 0;
}

static int read_macro(reader *r, yaml_node_t *map, const char *name)
{
    yaml_node_t *c = get(r, map, "condition");
    mac m = {name, scalar(r, c), {0}};
    if (!m.cond)
        return yaml_error(r, "Item has no mapping for key 'condition'", map);
    set_src(&m.src, r, c, "macro", name);
    for (size_t i = 0; i < r->l->nmacros; i++)
        if (strcmp(r->l->macros[i].name, name) == 0) {
            r->l->macros[i] = m;
            return 0;
        }
    if (PE_PUSH(r->l->macros, r->l->nmacros, r->l->capmacros, m))
        return pe_fail(r->err, PREMPTI_E_NOMEM, "", "out of memory");
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int read_rule(reader *r, yaml_node_t *map, const char *name)
{
    rul ru = {0};
    ru.name = name;
    yaml_node_t *c = get(r, map, "condition"), *o = get(r, map, "output");
    yaml_node_t *p = get(r, map, "priority"), *d = get(r, map, "desc");
    static const char *const required[] = {"condition", "output", "desc", "priority"};
    yaml_node_t *nodes[] = {c, o, d, p};
    for (size_t i = 0; i < 4; i++) {
        if (!nodes[i]) {
            char msg[64];
            snprintf(msg, sizeof(msg), "Item has no mapping for key '%s'", required[i]);
            return yaml_error(r, msg, map);
        }
    }
    ru.cond = scalar(r, c);
    ru.output = scalar(r, o);
    ru.desc = scalar(r, d);
    const char *prio = scalar(r, p);
    if (!ru.cond || !ru.output || !ru.desc || !prio)
        return yaml_error(r, "Value is not a scalar value", map);
    ru.priority = pe_priority_parse(prio, strlen(prio));
    if (ru.priority < 0)
        return yaml_error(r, "Invalid priority", p);
    yaml_node_t *s = get(r, map, "source");
    ru.source = s ? scalar(r, s) : "syscall";
    if (!ru.source)
        return yaml_error(r, "Value is not a scalar value", s);
    int rc = read_strings(r, get(r, map, "tags"), &ru.tags, &ru.ntags);
    if (rc)
        return rc;
    if (ru.ntags)
        qsort(ru.tags, ru.ntags, sizeof(*ru.tags), cmp_str);
    ru.enabled = 1;
    yaml_node_t *en = get(r, map, "enabled");
    if (en) {
        const char *v = scalar(r, en);
        ru.enabled = !(v && (strcasecmp(v, "false") == 0 || strcasecmp(v, "no") == 0 ||
                             strcasecmp(v, "off") == 0));
    }
    set_src(&ru.cond_src, r, c, "rule", name);
    set_src(&ru.out_src, r, o, "rule", name);
    for (size_t i = 0; i < r->l->nrules; i++)
        if (strcmp(r->l->rules[i].name, name) == 0) {
            r->l->rules[i] = ru; /* a redefined rule keeps its place */
            return 0;
        }
    if (PE_PUSH(r->l->rules, r->l->nrules, r->l->caprules, ru))
        return pe_fail(r->err, PREMPTI_E_NOMEM, "", "out of memory");
    return 0;
}

static int read_item(reader *r, yaml_node_t *item)
{
    if (item->type != YAML_MAPPING_NODE)
        return yaml_error(r, "Unexpected element type. Each element should be a yaml "
                             "associative array.",
                          item);
    static const char *const kinds[] = {"required_engine_version", "required_plugin_versions",
                                        "list", "macro", "rule"};
    for (size_t k = 0; k < 5; k++) {
        yaml_node_t *v = get(r, item, kinds[k]);
        if (!v)
            continue;
        if (k < 2)
            return 0;
        const char *name = scalar(r, v);
        if (!name || !name[0])
            return yaml_error(r, "Mapping for key is empty", v);
        if (k == 2)
            return read_list(r, item, name);
        if (k == 3)
            return read_macro(r, item, name);
        return read_rule(r, item, name);
    }
    return 0;
}

static int read_text(pe_loader *l, const pe_load_input *in, prempti_error **err)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)in->text, in->len);
    /* diagnostics and rules keep the file name after the caller's copy is gone */
    const char *file = pe_arena_strndup(&l->arena, in->name, strlen(in->name));
    if (!file) {
        yaml_parser_delete(&parser);
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    }
    reader r = {l, file, NULL, err};
    int rc = 0;
    for (;;) {
        yaml_document_t doc;
        if (!yaml_parser_load(&parser, &doc)) {
            prempti_error *e = pe_error_new(PREMPTI_E_YAML, PREMPTI_SEVERITY_ERROR,
                                            "LOAD_ERR_YAML_PARSE", "%s",
                                            parser.problem ? parser.problem : "invalid YAML");
            pe_error_set_pos(e, in->name, (unsigned)parser.problem_mark.line + 1,
                             (unsigned)parser.problem_mark.column + 1);
            rc = pe_raise(err, e);
            break;
        }
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (!root) {
            yaml_document_delete(&doc);
            break;
        }
        r.doc = &doc;
        if (root->type != YAML_SEQUENCE_NODE) {
            rc = yaml_error(&r, "Rules content is not yaml array of objects", root);
        } else {
            for (yaml_node_item_t *it = root->data.sequence.items.start;
                 !rc && it < root->data.sequence.items.top; it++)
                rc = read_item(&r, yaml_document_get_node(&doc, *it));
        }
        yaml_document_delete(&doc);
        if (rc)
            break;
    }
    yaml_parser_delete(&parser);
    return rc;
}

/* ---- compiling ---- */

/* Falco's textual list substitution (see docs/rules-language.md). */
static int substitute_lists(const pe_loader *l, const char *cond, pe_strbuf *out)
{
    pe_sb_reset(out);
    pe_sb_puts(out, cond);
    static const char blanks[] = " \t\n\r";
    static const char delims[] = " \t\n\r(),=";
    for (size_t li = 0; li < l->nlists; li++) {
        const lst *L = &l->lists[li];
        size_t nlen = strlen(L->name);
        const char *found = strstr(pe_sb_str(out), L->name);
        while (found) {
            char *s = out->data;
            size_t start = (size_t)(found - s), end = start + nlen;
            if ((start == 0 || strchr(delims, s[start - 1])) &&
                (end >= out->len || strchr(delims, s[end]))) {
                while (start > 0 && strchr(blanks, s[start - 1]))
                    start--;
                while (end < out->len && strchr(blanks, s[end]))
                    end++;
                pe_strbuf sub = PE_STRBUF_INIT;
                for (size_t i = 0; i < L->nitems; i++) {
                    const char *it = L->items[i];
                    if (i)
                        pe_sb_puts(&sub, ", ");
                    int quote = strchr(it, ' ') && it[0] != '"' && it[0] != '\'';
                    if (quote)
                        pe_sb_putc(&sub, '"');
                    pe_sb_puts(&sub, it);
                    if (quote)
                        pe_sb_putc(&sub, '"');
                }
                if (sub.len == 0) {
                    if (start > 0 && s[start - 1] == ',')
                        start--;
                    else if (end < out->len && s[end] == ',')
                        end++;
                }
                pe_strbuf n = PE_STRBUF_INIT;
                if (start > 0) {
                    pe_sb_append(&n, s, start);
                    pe_sb_putc(&n, ' ');
                }
                pe_sb_append(&n, pe_sb_str(&sub), sub.len);
                pe_sb_putc(&n, ' ');
                if (end <= out->len)
                    pe_sb_puts(&n, s + end);
                size_t next = start + sub.len + 1;
                int failed = pe_sb_failed(&sub) || pe_sb_failed(&n);
                pe_sb_free(&sub);
                pe_sb_free(out);
                *out = n;
                if (failed)
                    return -1;
                found = next < out->len ? strstr(out->data + next, L->name) : NULL;
                continue;
            }
            found = strstr(found + 1, L->name);
        }
    }
    return pe_sb_failed(out) ? -1 : 0;
}

typedef struct compiler {
    pe_loader *l;
    pe_arena *ast_arena;
    pe_ast_node **macro_ast; /* parsed macros, NULL until needed */
    unsigned char *macro_state; /* 0 unparsed, 1 resolving, 2 done */
    prempti_error *first_error;
    pe_diags *warnings;
    int oom;
} compiler;

static prempti_error *diag_at(int severity, const char *kind, const pe_cond_src *src,
                              uint32_t pos, const char *msg)
{
    prempti_error *e = pe_error_new(severity == PREMPTI_SEVERITY_ERROR ? PREMPTI_E_RULE : 0,
                                    severity, kind, "%s", msg);
    if (src) {
        pe_error_set_pos(e, src->file, src->line, src->column + pos);
        pe_error_set_item(e, src->item_type, src->item_name);
    }
    return e;
}

static void on_diag(void *user, int severity, const char *kind, const pe_cond_src *src,
                    uint32_t pos, const char *msg)
{
    compiler *c = user;
    prempti_error *e = diag_at(severity, kind, src, pos, msg);
    if (severity == PREMPTI_SEVERITY_ERROR) {
        if (!c->first_error)
            c->first_error = e;
        else
            prempti_error_free(e);
    } else {
        pe_diags_add(c->warnings, e);
    }
}

static int find_macro(const pe_loader *l, const char *name, size_t len)
{
    for (size_t i = 0; i < l->nmacros; i++)
        if (strlen(l->macros[i].name) == len && memcmp(l->macros[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

static pe_ast_node *parse_text(compiler *c, const char *text, const pe_cond_src *src)
{
    pe_strbuf sub = PE_STRBUF_INIT;
    if (substitute_lists(c->l, text, &sub)) {
        pe_sb_free(&sub);
        c->oom = 1;
        return NULL;
    }
    /* the AST refers to the text: keep a copy with the ASTs */
    const char *t = pe_arena_strndup(c->ast_arena, pe_sb_str(&sub), sub.len);
    size_t len = sub.len;
    pe_sb_free(&sub);
    if (!t) {
        c->oom = 1;
        return NULL;
    }
    pe_ast_node *ast;
    pe_parse_error perr;
    int rc = pe_parse_condition(&ast, t, len, src, c->l->max_depth, c->ast_arena, &perr);
    if (rc == -2) {
        c->oom = 1;
        return NULL;
    }
    if (rc) {
        on_diag(c, PREMPTI_SEVERITY_ERROR, "LOAD_ERR_COMPILE_CONDITION", src, perr.pos,
                perr.message);
        return NULL;
    }
    return ast;
}

static int resolve(compiler *c, pe_ast_node *n);

static pe_ast_node *macro_ast(compiler *c, int mi, const pe_ast_node *ref)
{
    if (c->macro_state[mi] == 1) {
        char msg[300];
        snprintf(msg, sizeof(msg), "reference loop in macro '%s'", c->l->macros[mi].name);
        on_diag(c, PREMPTI_SEVERITY_ERROR, "LOAD_ERR_VALIDATE", ref->src, ref->pos, msg);
        return NULL;
    }
    if (c->macro_state[mi] == 0) {
        c->macro_state[mi] = 1;
        pe_ast_node *ast = parse_text(c, c->l->macros[mi].cond, &c->l->macros[mi].src);
        if (!ast || resolve(c, ast))
            return NULL;
        c->macro_ast[mi] = ast;
        c->macro_state[mi] = 2;
    }
    return c->macro_ast[mi];
}

/* Turns macro references into links to the macros' ASTs. */
static int resolve(compiler *c, pe_ast_node *n)
{
    switch (n->kind) {
    case PE_AST_AND:
    case PE_AST_OR:
    case PE_AST_NOT:
        for (size_t i = 0; i < n->nkids; i++)
            if (resolve(c, n->kids[i]))
                return -1;
        return 0;
    case PE_AST_IDENT: {
        int mi = find_macro(c->l, n->ident, n->ident_len);
        if (mi < 0) {
            char msg[300];
            snprintf(msg, sizeof(msg), "Undefined macro '%.*s' used in filter.",
                     (int)n->ident_len, n->ident);
            on_diag(c, PREMPTI_SEVERITY_ERROR, "LOAD_ERR_VALIDATE", n->src, n->pos, msg);
            return -1;
        }
        pe_ast_node *t = macro_ast(c, mi, n);
        if (!t)
            return -1;
        n->kind = PE_AST_MACRO;
        n->target = t;
        return 0;
    }
    default:
        return 0;
    }
}

static int compile_all(pe_loader *l, pe_ruleset **out, pe_diags *warnings, prempti_error **err)
{
    pe_ruleset *rs = calloc(1, sizeof(*rs));
    pe_arena ast_arena = PE_ARENA_INIT;
    compiler c = {l, &ast_arena, NULL, NULL, NULL, warnings, 0};
    c.macro_ast = calloc(l->nmacros + 1, sizeof(*c.macro_ast));
    c.macro_state = calloc(l->nmacros + 1, 1);
    if (!rs || !c.macro_ast || !c.macro_state ||
        !(rs->rules = pe_arena_alloc(&rs->arena, (l->nrules + 1) * sizeof(*rs->rules))))
        c.oom = 1;
    pe_compile_ctx cc = {rs ? &rs->arena : NULL, on_diag, &c, 0, 0};
    for (size_t i = 0; !c.oom && !c.first_error && i < l->nrules; i++) {
        const rul *ru = &l->rules[i];
        pe_rule *r = &rs->rules[rs->nrules++];
        r->name = pe_arena_strndup(&rs->arena, ru->name, strlen(ru->name));
        r->desc = pe_arena_strndup(&rs->arena, ru->desc, strlen(ru->desc));
        r->source = pe_arena_strndup(&rs->arena, ru->source, strlen(ru->source));
        r->priority = ru->priority;
        r->enabled = ru->enabled;
        r->file = pe_arena_strndup(&rs->arena, ru->cond_src.file ? ru->cond_src.file : "",
                                   ru->cond_src.file ? strlen(ru->cond_src.file) : 0);
        r->line = ru->cond_src.line;
        const char **tags = pe_arena_alloc(&rs->arena, (ru->ntags + 1) * sizeof(*tags));
        if (!r->name || !r->desc || !r->source || !r->file || !tags) {
            c.oom = 1;
            break;
        }
        for (size_t t = 0; t < ru->ntags; t++)
            if (!(tags[t] = pe_arena_strndup(&rs->arena, ru->tags[t], strlen(ru->tags[t]))))
                c.oom = 1;
        r->tags = tags;
        r->ntags = ru->ntags;
        if (strcmp(ru->source, "coding_agent") != 0)
            continue;
        pe_ast_node *ast = parse_text(&c, ru->cond, &ru->cond_src);
        if (!ast || resolve(&c, ast))
            break;
        r->cond = pe_compile_condition(&cc, ast);
        if (!r->cond)
            break;
        const char *o = ru->output;
        size_t olen = strlen(o);
        while (olen && (o[olen - 1] == ' ' || o[olen - 1] == '\n' || o[olen - 1] == '\t'))
            olen--;
        while (olen && (*o == ' ' || *o == '\n' || *o == '\t')) {
            o++;
            olen--;
        }
        r->output = pe_format_compile(&cc, o, olen, &ru->out_src);
        if (!r->output)
            break;
    }
    free(c.macro_ast);
    free(c.macro_state);
    pe_arena_free(&ast_arena);
    if (cc.oom)
        c.oom = 1;
    if (c.oom || c.first_error) {
        pe_ruleset_free(rs);
        if (c.oom && !c.first_error)
            return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
        return pe_raise(err, c.first_error);
    }
    *out = rs;
    return PREMPTI_OK;
}

int pe_loader_load(pe_loader *l, const pe_load_input *inputs, size_t n, pe_ruleset **out,
                   pe_diags *warnings, prempti_error **err)
{
    /* Snapshot of the item arrays: restored if anything fails. */
    size_t nl = l->nlists, nm = l->nmacros, nr = l->nrules;
    lst *sl = nl ? malloc(nl * sizeof(*sl)) : NULL;
    mac *sm = nm ? malloc(nm * sizeof(*sm)) : NULL;
    rul *sr = nr ? malloc(nr * sizeof(*sr)) : NULL;
    if ((nl && !sl) || (nm && !sm) || (nr && !sr)) {
        free(sl);
        free(sm);
        free(sr);
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    }
    if (nl)
        memcpy(sl, l->lists, nl * sizeof(*sl));
    if (nm)
        memcpy(sm, l->macros, nm * sizeof(*sm));
    if (nr)
        memcpy(sr, l->rules, nr * sizeof(*sr));
    pe_diags local = {0};
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++)
        rc = read_text(l, &inputs[i], err);
    if (!rc)
        rc = compile_all(l, out, &local, err);
    if (rc) {
        l->nlists = nl;
        l->nmacros = nm;
        l->nrules = nr;
        if (nl)
            memcpy(l->lists, sl, nl * sizeof(*sl));
        if (nm)
            memcpy(l->macros, sm, nm * sizeof(*sm));
        if (nr)
            memcpy(l->rules, sr, nr * sizeof(*sr));
        if (err && *err)
            for (size_t i = 0; i < local.count; i++)
                pe_error_add_note(*err, pe_error_clone(local.items[i]));
        pe_diags_free(&local);
    } else {
        pe_diags_move(warnings, &local);
    }
    free(sl);
    free(sm);
    free(sr);
    return rc;
}
