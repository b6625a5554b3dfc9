#include "rules/reader.h"

#include <ctype.h>
#include <string.h>

#include "config_internal.h"
#include "rules/decode.h"
#include "rules/yscalar.h"
#include "rules/ytree.h"
#include "util/hash.h"
#include "util/mem.h"

static const char *const rule_keys[] = {"rule",
                                        "condition",
                                        "output",
                                        "desc",
                                        "priority",
                                        "source",
                                        "enabled",
                                        "tags",
                                        "exceptions",
                                        "warn_evttypes",
                                        "skip-if-unknown-filter",
                                        "capture",
                                        "capture_duration",
                                        "append",
                                        "override",
                                        NULL};
static const char *const macro_keys[] = {"macro", "condition", "append", "override", NULL};
static const char *const list_keys[] = {"list", "items", "append", "override", NULL};
static const char *const exception_keys[] = {"name", "fields", "comps", "values", NULL};
static const char *const plugin_keys[] = {"name", "version", "alternatives", NULL};
static const char *const alternative_keys[] = {"name", "version", NULL};

/* Falco's decode_exception_info_entry() for one node: a string or a
 * (nested) list of strings. */
static int read_xent(pe_rd *r, const pe_ynode *v, int trim, int nested, pe_xent *out)
{
    memset(out, 0, sizeof(*out));
    out->pos = v->pos;
    if (v->kind == PE_Y_SCALAR && !v->is_null) {
        if (!v->len)
            return pe_rd_error(r, v->pos, "Value must be non-empty");
        if (pe_scalar_mtext(&r->c->arena, v, r->text, &out->text))
            return pe_rd_nomem(r);
        return trim ? pe_rd_trim(r, &out->text) : 0;
    }
    if (v->kind == PE_Y_SEQ) {
        out->is_list = 1;
        out->items = pe_arena_alloc(&r->c->arena, (v->nkids + 1) * sizeof(*out->items));
        if (!out->items)
            return pe_rd_nomem(r);
        for (size_t i = 0; i < v->nkids; i++) {
            int rc = read_xent(r, v->kids[i], trim, 1, &out->items[i]);
            if (rc)
                return rc;
        }
        out->nitems = v->nkids;
        return 0;
    }
    /* Falco keeps an empty entry here; say what is wrong instead */
    if (nested)
        return pe_rd_error(r, v->pos,
                           v->kind == PE_Y_MAP ? "Value is not a scalar value"
                                               : "Value must be non-empty");
    return 0;
}

static int read_exc_values(pe_rd *r, const pe_ynode *ex, pe_exc *e, int append)
{
    const pe_ynode *vals = pe_ymap_get(ex, "values", NULL);
    if (!vals) {
        if (append)
            pe_ld_warn(r->d, "LOAD_APPEND_NO_VALUES", ex->pos, r->it,
                       "Overriding/appending exception with no values");
        return 0;
    }
    if (vals->kind != PE_Y_SEQ)
        return pe_rd_error(r, vals->pos, "Rule exception values must be a sequence");
    e->values = pe_arena_alloc(&r->c->arena, (vals->nkids + 1) * sizeof(*e->values));
    if (!e->values)
        return pe_rd_nomem(r);
    for (size_t i = 0; i < vals->nkids; i++) {
        int rc = read_xent(r, vals->kids[i], 0, 1, &e->values[i]);
        if (rc)
            return rc;
    }
    e->nvalues = e->capvalues = vals->nkids;
    return 0;
}

/* One exception; names holds the names read before in the same item. */
static int read_exception(pe_rd *r, const pe_ynode *ex, int append, pe_exc *out, pe_hmap *names)
{
    memset(out, 0, sizeof(*out));
    if (ex->kind != PE_Y_MAP)
        return pe_rd_error(r, ex->pos, "Rule exception must be a mapping");
    int rc = pe_rd_unknown_keys(r, ex, exception_keys);
    const pe_ynode *v;
    if (rc || (rc = pe_rd_value(r, ex, ex, "name", 0, &v)) < 0 || (rc = pe_rd_check_name(r, v)))
        return rc;
    out->pos = ex->pos;
    if (!(out->name = pe_rd_dup(r, v)))
        return pe_rd_nomem(r);
    if (pe_hmap_get(names, v->s, v->len))
        pe_ld_warn(r->d, "LOAD_EXCEPTION_NAME_NOT_UNIQUE", ex->pos, r->it,
                   "Multiple definitions of exception '%s' in the same rule", out->name);
    else if (pe_hmap_put(names, v->s, v->len, out))
        return pe_rd_nomem(r);
    const pe_ynode *fields = pe_ymap_get(ex, "fields", NULL);
    const pe_ynode *comps = pe_ymap_get(ex, "comps", NULL);
    if (!fields && !append)
        return pe_rd_error(r, ex->pos, "Item has no mapping for key 'fields'");
    if (fields && (rc = read_xent(r, fields, 0, 0, &out->fields)))
        return rc;
    if (comps && (rc = read_xent(r, comps, 1, 0, &out->comps)))
        return rc;
    if (!fields)
        out->fields.pos = ex->pos;
    if (!comps)
        out->comps.pos = fields ? fields->pos : ex->pos;
    return read_exc_values(r, ex, out, append);
}

/* Falco's read_rule_exceptions(). */
static int read_exceptions(pe_rd *r, const pe_ynode *item, int append, pe_rupdate *u)
{
    const pe_ynode *exs = pe_ymap_get(item, "exceptions", NULL);
    u->exc = NULL;
    u->nexc = 0;
    if (!exs || (exs->kind == PE_Y_SCALAR && exs->is_null))
        return 0;
    if (exs->kind != PE_Y_SEQ)
        return pe_rd_error(r, exs->pos, "Rule exceptions must be a sequence");
    u->exc = pe_arena_alloc(&r->c->arena, (exs->nkids + 1) * sizeof(*u->exc));
    if (!u->exc)
        return pe_rd_nomem(r);
    pe_hmap names = PE_HMAP_INIT;
    int rc = 0;
    for (size_t i = 0; !rc && i < exs->nkids; i++) {
        rc = read_exception(r, exs->kids[i], append, &u->exc[i], &names);
        u->nexc = rc ? u->nexc : i + 1;
    }
    pe_hmap_free(&names);
    return rc;
}

/* ---- override ---- */

enum {
    K_CONDITION = 1 << 0,
    K_OUTPUT = 1 << 1,
    K_DESC = 1 << 2,
    K_TAGS = 1 << 3,
    K_EXCEPTIONS = 1 << 4,
    K_PRIORITY = 1 << 5,
    K_ENABLED = 1 << 6,
    K_WARN = 1 << 7,
    K_SKIP = 1 << 8,
    K_CAPTURE = 1 << 9,
    K_CAPTURE_DURATION = 1 << 10,
    K_ITEMS = 1 << 11
};

/* Names of the overridable keys, in std::set (sorted) order: the order in
 * which Falco reports keys missing from 'override'. */
static const struct {
    const char *name;
    unsigned bit;
} okeys[] = {{"capture", K_CAPTURE},     {"capture_duration", K_CAPTURE_DURATION},
             {"condition", K_CONDITION}, {"desc", K_DESC},
             {"enabled", K_ENABLED},     {"exceptions", K_EXCEPTIONS},
             {"items", K_ITEMS},         {"output", K_OUTPUT},
             {"priority", K_PRIORITY},   {"skip-if-unknown-filter", K_SKIP},
             {"tags", K_TAGS},           {"warn_evttypes", K_WARN}};

#define NOKEYS (sizeof(okeys) / sizeof(okeys[0]))

static unsigned key_bit(const pe_ynode *k)
{
    for (size_t i = 0; i < NOKEYS; i++)
        if (strlen(okeys[i].name) == k->len && memcmp(okeys[i].name, k->s, k->len) == 0)
            return okeys[i].bit;
    return 0;
}

/* Falco's decode_overrides(). */
static int read_overrides(pe_rd *r, const pe_ynode *item, unsigned can_append, unsigned can_replace,
                          unsigned *app, unsigned *rep)
{
    const pe_ynode *ov = pe_ymap_get(item, "override", NULL);
    *app = *rep = 0;
    if (!ov || (ov->kind == PE_Y_SCALAR && ov->is_null))
        return 0;
    if (ov->kind != PE_Y_MAP)
        return pe_rd_error(r, ov->pos, "Value of override must be a mapping");
    for (size_t i = 0; i + 1 < ov->nkids; i += 2) {
        const pe_ynode *k = ov->kids[i], *op = ov->kids[i + 1];
        if (k->kind != PE_Y_SCALAR)
            return pe_rd_error(r, k->pos, "Value is not a scalar value");
        if (op->kind != PE_Y_SCALAR)
            return pe_rd_error(r, op->pos, "Value is not a scalar value");
        unsigned bit = key_bit(k);
        const char *ops = op->is_null ? "null" : op->s; /* yaml-cpp's as<string>() */
        if (strcmp(ops, "append") == 0) {
            if (!(bit & can_append))
                return pe_ld_error(r->d, PREMPTI_E_RULE, YAML_VALIDATE, k->pos, r->it,
                                   "Key '%s' cannot be appended to, use 'replace' instead", k->s);
            *app |= bit;
        } else if (strcmp(ops, "replace") == 0) {
            if (!(bit & can_replace))
                return pe_ld_error(r->d, PREMPTI_E_RULE, YAML_VALIDATE, k->pos, r->it,
                                   "Key '%s' cannot be replaced", k->s);
            *rep |= bit;
        } else {
            return pe_ld_error(r->d, PREMPTI_E_RULE, YAML_VALIDATE, op->pos, r->it,
                               "Invalid override operation for key '%s': '%s'. Allowed values "
                               "are: %s%s",
                               k->s, ops, bit & can_append ? "append " : "",
                               bit & can_replace ? "replace " : "");
        }
    }
    return 0;
}

static int get_append_flag(pe_rd *r, const pe_ynode *item, int *append)
{
    *append = 0;
    int rc = pe_rd_bool(r, item, "append", 1, append);
    if (rc < 0)
        return rc;
    if (*append)
        pe_ld_warn(r->d, "LOAD_DEPRECATED_ITEM", item->pos, r->it, "%s", PE_WARNING_APPEND);
    return 0;
}

/* ---- rules ---- */

#define RULE_APPEND (K_CONDITION | K_OUTPUT | K_DESC | K_TAGS | K_EXCEPTIONS)
#define RULE_REPLACE                                                                               \
    (RULE_APPEND | K_PRIORITY | K_ENABLED | K_WARN | K_SKIP | K_CAPTURE | K_CAPTURE_DURATION)

static unsigned defined_keys(const pe_ynode *item, unsigned mask)
{
    unsigned out = 0;
    for (size_t i = 0; i < NOKEYS; i++)
        if ((okeys[i].bit & mask) && pe_ymap_get(item, okeys[i].name, NULL))
            out |= okeys[i].bit;
    return out;
}

static int get_priority(pe_rd *r, const pe_ynode *item, int *out)
{
    const pe_ynode *v;
    int rc = pe_rd_value(r, item, item, "priority", 0, &v);
    if (rc < 0)
        return rc;
    *out = pe_priority_parse(v->s, v->len);
    if (*out < 0)
        return pe_rd_error(r, v->pos, "Invalid priority");
    return 0;
}

static int get_output(pe_rd *r, const pe_ynode *item, int trim, const pe_mtext **out)
{
    int rc = pe_rd_mtext(r, item, "output", 0, out);
    if (rc < 0 || !trim)
        return rc < 0 ? rc : 0;
    return pe_rd_trim(r, (pe_mtext *)*out);
}

/* Decodes one overridable key of a rule into u. */
static int read_key(pe_rd *r, const pe_ynode *item, unsigned bit, pe_rupdate *u)
{
    switch (bit) {
    case K_CONDITION:
        u->has_cond = 1;
        return pe_rd_mtext(r, item, "condition", 0, &u->cond);
    case K_EXCEPTIONS:
        u->has_exc = 1;
        return read_exceptions(r, item, 1, u);
    case K_OUTPUT:
        u->has_output = 1;
        return get_output(r, item, 0, &u->output);
    case K_DESC:
        u->has_desc = 1;
        return pe_rd_string(r, item, "desc", 0, &u->desc);
    case K_TAGS:
        u->has_tags = 1;
        return pe_rd_tags(r, item, &u->tags, &u->ntags);
    case K_PRIORITY:
        u->has_priority = 1;
        return get_priority(r, item, &u->priority);
    case K_ENABLED:
        u->has_enabled = 1;
        return pe_rd_bool(r, item, "enabled", 0, &u->enabled);
    case K_WARN:
        u->has_warn = 1;
        return pe_rd_bool(r, item, "warn_evttypes", 0, &u->warn_evttypes);
    case K_SKIP:
        u->has_skip = 1;
        return pe_rd_bool(r, item, "skip-if-unknown-filter", 0, &u->skip_unknown);
    case K_CAPTURE:
        u->has_capture = 1;
        return pe_rd_bool(r, item, "capture", 0, &u->capture);
    default:
        u->has_capture_duration = 1;
        return pe_rd_uint(r, item, "capture_duration", &u->capture_duration);
    }
}

static const char *key_name(unsigned bit)
{
    for (size_t k = 0; k < NOKEYS; k++)
        if (okeys[k].bit == bit)
            return okeys[k].name;
    return "";
}

/* One override kind (append or replace): decodes the listed keys, in
 * Falco's order, each of which must be present in the item. */
static int read_update(pe_rd *r, const pe_ynode *item, unsigned listed, unsigned *expected,
                       const char *kind, pe_rupdate *u)
{
    static const unsigned order[] = {K_CONDITION, K_EXCEPTIONS, K_OUTPUT,          K_DESC,
                                     K_TAGS,      K_PRIORITY,   K_ENABLED,         K_WARN,
                                     K_SKIP,      K_CAPTURE,    K_CAPTURE_DURATION};
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        unsigned bit = order[i];
        if (!(listed & bit))
            continue;
        if (!(*expected & bit))
            return pe_ld_error(r->d, PREMPTI_E_RULE, YAML_VALIDATE, item->pos, r->it,
                               "An %s override for '%s' was specified but '%s' is not defined",
                               kind, key_name(bit), key_name(bit));
        *expected &= ~bit;
        int rc = read_key(r, item, bit, u);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int read_rule_overrides(pe_rd *r, const pe_ynode *item, const char *name, unsigned app,
                               unsigned rep)
{
    unsigned expected = defined_keys(item, RULE_REPLACE);
    pe_rupdate u;
    int rc;
    if (app) {
        memset(&u, 0, sizeof(u));
        u.name = name;
        u.pos = item->pos;
        if ((rc = read_update(r, item, app, &expected, "append", &u)) ||
            (rc = pe_coll_append_rule(r->c, r->d, &u)))
            return rc;
    }
    if (rep) {
        memset(&u, 0, sizeof(u));
        u.name = name;
        u.pos = item->pos;
        if ((rc = read_update(r, item, rep, &expected, "replace", &u)) ||
            (rc = pe_coll_replace_rule(r->c, r->d, &u)))
            return rc;
    }
    for (size_t i = 0; i < NOKEYS; i++)
        if (expected & okeys[i].bit) {
            const pe_ynode *k;
            pe_ymap_get(item, okeys[i].name, &k);
            return pe_ld_error(r->d, PREMPTI_E_RULE, YAML_VALIDATE, k->pos, r->it,
                               "Unexpected key '%s': no corresponding entry under 'override' "
                               "is defined.",
                               okeys[i].name);
        }
    return 0;
}

/* The legacy `append: true`: only condition and exceptions count (P16). */
static int read_rule_append(pe_rd *r, const pe_ynode *item, const char *name)
{
    pe_rupdate u;
    memset(&u, 0, sizeof(u));
    u.name = name;
    u.pos = item->pos;
    int rc;
    if (pe_ymap_get(item, "condition", NULL)) {
        if ((rc = pe_rd_mtext(r, item, "condition", 0, &u.cond)) < 0)
            return rc;
        u.has_cond = 1;
    }
    if (pe_ymap_get(item, "exceptions", NULL)) {
        if ((rc = read_exceptions(r, item, 1, &u)))
            return rc;
        u.has_exc = 1;
    }
    return pe_coll_append_rule(r->c, r->d, &u);
}

static int read_rule_define(pe_rd *r, const pe_ynode *item, const char *name)
{
    pe_rupdate u;
    memset(&u, 0, sizeof(u));
    u.name = name;
    u.pos = item->pos;
    u.enabled = 1;
    u.warn_evttypes = 1;
    int rc;
    if (!pe_ymap_get(item, "condition", NULL) && !pe_ymap_get(item, "output", NULL) &&
        !pe_ymap_get(item, "desc", NULL) && !pe_ymap_get(item, "priority", NULL)) {
        if ((rc = pe_rd_bool(r, item, "enabled", 0, &u.enabled)) < 0)
            return rc;
        pe_ld_warn(r->d, "LOAD_DEPRECATED_ITEM", item->pos, r->it, "%s", PE_WARNING_ENABLED);
        return pe_coll_enable_rule(r->c, r->d, &u);
    }
    uint64_t dur = 0;
    if ((rc = pe_rd_mtext(r, item, "condition", 0, &u.cond)) < 0 ||
        (rc = get_output(r, item, 1, &u.output)) < 0 ||
        (rc = pe_rd_string(r, item, "desc", 0, &u.desc)) < 0 ||
        (rc = get_priority(r, item, &u.priority)) < 0 ||
        (rc = pe_rd_string(r, item, "source", 1, &u.source)) < 0 ||
        (rc = pe_rd_bool(r, item, "enabled", 1, &u.enabled)) < 0 ||
        (rc = pe_rd_bool(r, item, "warn_evttypes", 1, &u.warn_evttypes)) < 0 ||
        (rc = pe_rd_bool(r, item, "skip-if-unknown-filter", 1, &u.skip_unknown)) < 0 ||
        (rc = pe_rd_bool(r, item, "capture", 1, &u.capture)) < 0 ||
        (rc = pe_rd_uint(r, item, "capture_duration", &dur)) < 0 ||
        (rc = pe_rd_tags(r, item, &u.tags, &u.ntags)) < 0 ||
        (rc = read_exceptions(r, item, 0, &u)) < 0)
        return rc;
    u.capture_duration = dur;
    u.has_cond = u.has_output = u.has_desc = u.has_priority = 1;
    if (!u.source) {
        u.source = "syscall";
        u.source_missing = 1;
    }
    return pe_coll_define_rule(r->c, r->d, &u);
}

static int read_rule(pe_rd *r, const pe_ynode *item)
{
    const char *name;
    int rc, append;
    unsigned app, rep;
    r->it.type = "rule";
    if ((rc = pe_rd_name(r, item, "rule", &name)) < 0 ||
        (rc = pe_rd_unknown_keys(r, item, rule_keys)) || (rc = get_append_flag(r, item, &append)) ||
        (rc = read_overrides(r, item, RULE_APPEND, RULE_REPLACE, &app, &rep)))
        return rc;
    if (append && (app || rep))
        return pe_rd_error(r, item->pos, PE_ERROR_OVERRIDE_APPEND);
    if (app || rep)
        return read_rule_overrides(r, item, name, app, rep);
    if (append)
        return read_rule_append(r, item, name);
    return read_rule_define(r, item, name);
}

/* ---- macros and lists ---- */

static int valid_identifier(const char *s, size_t n)
{
    if (!n || !isalpha((unsigned char)s[0]))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_')
            return 0;
    return 1;
}

static int valid_barestr(const char *s, size_t n)
{
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strchr("()\"'=, \t\n\r\f\v", s[i]) || s[i] == '\0')
            return 0;
    return 1;
}

/* A macro's or list's name, with Falco's warning for names a condition
 * cannot refer to. */
static int read_name(pe_rd *r, const pe_ynode *item, const char *const *keys,
                     int (*valid)(const char *, size_t), const char *kind, const char *msg,
                     const char **name)
{
    int rc = pe_rd_name(r, item, r->it.type, name);
    if (rc < 0 || (rc = pe_rd_unknown_keys(r, item, keys)))
        return rc;
    if (!valid(*name, strlen(*name)))
        pe_ld_warn(r->d, kind, item->pos, r->it, "%s", msg);
    return 0;
}

/* Whether a macro or list item appends (append: true, or an append
 * override of its one key), after Falco's checks of both. */
static int read_append_mode(pe_rd *r, const pe_ynode *item, unsigned key, int *append)
{
    unsigned app, rep;
    int rc = get_append_flag(r, item, append);
    if (rc || (rc = read_overrides(r, item, key, key, &app, &rep)))
        return rc;
    if (*append && (app || rep))
        return pe_rd_error(r, item->pos, PE_ERROR_OVERRIDE_APPEND);
    *append |= (app & key) != 0;
    return 0;
}

static int read_macro(pe_rd *r, const pe_ynode *item)
{
    const char *name;
    const pe_mtext *cond;
    int rc, append;
    r->it.type = "macro";
    if ((rc = read_name(r, item, macro_keys, valid_identifier, "LOAD_INVALID_MACRO_NAME",
                        "Macro has an invalid name. Macro names should match a regular "
                        "expression: ([a-zA-Z]+[a-zA-Z0-9_]*)",
                        &name)) ||
        (rc = pe_rd_mtext(r, item, "condition", 0, &cond)) < 0 ||
        (rc = read_append_mode(r, item, K_CONDITION, &append)))
        return rc;
    if (append)
        return pe_coll_append_macro(r->c, r->d, name, item->pos, cond);
    return pe_coll_define_macro(r->c, r->d, name, item->pos, cond);
}

static int read_list(pe_rd *r, const pe_ynode *item)
{
    const char *name;
    const pe_ynode *seq;
    int rc, append;
    r->it.type = "list";
    if ((rc = read_name(r, item, list_keys, valid_barestr, "LOAD_INVALID_LIST_NAME",
                        "List has an invalid name. List names should match a regular "
                        "expression: ([^()\"'[:space:]=,]+)",
                        &name)) ||
        (rc = pe_rd_strings(r, item, "items", 0, &seq)) < 0 ||
        (rc = read_append_mode(r, item, K_ITEMS, &append)))
        return rc;
    pe_mtext *items = pe_arena_alloc(&r->c->arena, (seq->nkids + 1) * sizeof(*items));
    if (!items)
        return pe_rd_nomem(r);
    for (size_t i = 0; i < seq->nkids; i++)
        if (pe_scalar_mtext(&r->c->arena, seq->kids[i], r->text, &items[i]))
            return pe_rd_nomem(r);
    if (append)
        return pe_coll_append_list(r->c, r->d, name, item->pos, items, seq->nkids);
    return pe_coll_define_list(r->c, r->d, name, item->pos, items, seq->nkids);
}

/* ---- version requirements ---- */

static int read_engine_version(pe_rd *r, const pe_ynode *item)
{
    const pe_ynode *v;
    r->it.type = "required_engine_version";
    int rc = pe_rd_unknown_keys(r, item, (const char *const[]){"required_engine_version", NULL});
    if (rc || (rc = pe_rd_value(r, item, item, "required_engine_version", 0, &v)) < 0)
        return rc;
    uint64_t n;
    pe_semver ver = {0, 0, 0};
    if (pe_decode_uint(v->s, UINT32_MAX, &n) == 0)
        ver.minor = (uint32_t)n; /* an integer N means 0.N.0 */
    else if (pe_semver_parse(v->s, &ver))
        return pe_ld_error(r->d, PREMPTI_E_RULE, YAML_VALIDATE, v->pos, r->it,
                           "Unable to parse engine version '%s' as a semver string. Expected "
                           "\"x.y.z\" semver format.",
                           v->s);
    return pe_coll_engine_version(r->c, r->d, ver, v->pos);
}

static int read_plugin_alt(pe_rd *r, const pe_ynode *m, const char *const *keys, const char *what,
                           pe_plugin_alt *out)
{
    if (m->kind != PE_Y_MAP)
        return pe_rd_error(r, m->pos, what);
    int rc = pe_rd_string(r, m, "name", 0, &out->name);
    if (rc < 0)
        return rc;
    r->it.name = out->name;
    if ((rc = pe_rd_unknown_keys(r, m, keys)) ||
        (rc = pe_rd_string(r, m, "version", 0, &out->version)) < 0)
        return rc;
    return 0;
}

static int read_plugin_entry(pe_rd *r, const pe_ynode *p)
{
    const pe_ynode *alts = pe_ymap_get(p, "alternatives", NULL);
    size_t n = 1 + (alts && alts->kind == PE_Y_SEQ ? alts->nkids : 0);
    pe_plugin_req req = {p->pos, pe_arena_alloc(&r->c->arena, n * sizeof(pe_plugin_alt)), 1};
    if (!req.alts)
        return pe_rd_nomem(r);
    r->it.name = "";
    int rc = read_plugin_alt(r, p, plugin_keys, "Plugin version must be a mapping", &req.alts[0]);
    if (rc)
        return rc;
    if (alts) {
        if (alts->kind != PE_Y_SEQ)
            return pe_rd_error(r, alts->pos,
                               "Value of plugin version alternatives must be a sequence");
        for (size_t i = 0; i < alts->nkids; i++, req.nalts++)
            if ((rc = read_plugin_alt(r, alts->kids[i], alternative_keys,
                                      "Plugin version alternative must be a mapping",
                                      &req.alts[req.nalts])))
                return rc;
        r->it.name = req.alts[0].name;
    }
    return pe_coll_plugin_req(r->c, r->d, &req);
}

static int read_plugin_versions(pe_rd *r, const pe_ynode *item)
{
    r->it.type = "required_plugin_versions";
    const pe_ynode *seq = pe_ymap_get(item, "required_plugin_versions", NULL);
    int rc = pe_rd_unknown_keys(r, item, (const char *const[]){"required_plugin_versions", NULL});
    if (rc)
        return rc;
    if (seq->kind != PE_Y_SEQ)
        return pe_rd_error(r, seq->pos, "Value of required_plugin_versions must be a sequence");
    for (size_t i = 0; i < seq->nkids; i++)
        if ((rc = read_plugin_entry(r, seq->kids[i])))
            return rc;
    return 0;
}

/* ---- items and documents ---- */

static int read_item(pe_rd *r, const pe_ynode *item)
{
    r->it.type = "";
    r->it.name = "";
    if (item->kind != PE_Y_MAP)
        return pe_rd_error(r, item->pos,
                           "Unexpected element type. Each element should be a yaml associative "
                           "array.");
    if (++r->c->items > r->lim->max_items)
        return pe_ld_error(r->d, PREMPTI_E_LIMIT, YAML_VALIDATE, item->pos, r->it,
                           "Too many items: the rules files have more than max_items (%zu)",
                           r->lim->max_items);
    if (pe_ymap_get(item, "required_engine_version", NULL))
        return read_engine_version(r, item);
    if (pe_ymap_get(item, "required_plugin_versions", NULL))
        return read_plugin_versions(r, item);
    if (pe_ymap_get(item, "list", NULL))
        return read_list(r, item);
    if (pe_ymap_get(item, "macro", NULL))
        return read_macro(r, item);
    if (pe_ymap_get(item, "rule", NULL))
        return read_rule(r, item);
    pe_ld_warn(r->d, "LOAD_UNKNOWN_ITEM", item->pos, r->it, "Unknown top level item");
    return 0;
}

static int read_document(pe_rd *r, const pe_ynode *root)
{
    if (!root || (root->kind == PE_Y_SCALAR && root->is_null))
        return 0;
    r->it.type = r->it.name = "";
    if (root->kind == PE_Y_SCALAR)
        return pe_rd_error(r, root->pos, "Rules content is not yaml");
    if (root->kind != PE_Y_SEQ)
        return pe_rd_error(r, root->pos, "Rules content is not yaml array of objects");
    for (size_t i = 0; i < root->nkids; i++) {
        const pe_ynode *item = root->kids[i];
        if (item->kind == PE_Y_SCALAR && item->is_null)
            continue;
        int rc = read_item(r, item);
        if (rc)
            return rc;
    }
    return 0;
}

int pe_read_rules(pe_collector *c, pe_ldiag *d, const pe_srcfile *f, const char *text, size_t len,
                  const pe_read_limits *lim, pe_arena *scratch)
{
    pe_rd r = {c, d, text, f, lim, {"", ""}};
    pe_ynode **docs;
    size_t ndocs;
    pe_yerror ye;
    int rc = pe_yaml_parse(&docs, &ndocs, text, len, f, lim->max_yaml_depth, scratch, &ye);
    if (rc == -2)
        return pe_rd_nomem(&r);
    if (rc)
        return pe_ld_error(d, ye.limit ? PREMPTI_E_LIMIT : PREMPTI_E_YAML, "LOAD_ERR_YAML_PARSE",
                           ye.pos, r.it, "%s", ye.message);
    for (size_t i = 0; i < ndocs; i++)
        if ((rc = read_document(&r, docs[i])))
            return rc;
    return 0;
}
