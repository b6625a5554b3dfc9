/*
 * Validating rule exceptions (Falco's validate_exception_info()): default
 * comps, shapes, comparison operators (with 0.44's list modifiers) and
 * fields of the coding_agent source.
 */
#include <string.h>

#include "rules/collector.h"

#define VALIDATE "LOAD_ERR_VALIDATE"
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

int pe_xent_valid(const pe_xent *e)
{
    return e->is_list ? e->nitems > 0 : e->text.len > 0;
}

static const char *const str_ops[] = {"==",         "=",           "!=",        "glob",
                                      "iglob",      "contains",    "icontains", "bcontains",
                                      "startswith", "bstartswith", "endswith",  "regex"};
static const char *const other_ops[] = {"<=", "<", ">=", ">", "exists"};
static const char *const list_ops[] = {"intersects", "in", "pmatch"};

static int word_in(const char *s, size_t len, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(set[i]) == len && memcmp(set[i], s, len) == 0)
            return 1;
    return 0;
}

int pe_exc_operator(const char *op, size_t len, int *list_like)
{
    *list_like = 0;
    if (word_in(op, len, str_ops, NELEM(str_ops)) || word_in(op, len, other_ops, NELEM(other_ops)))
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

static int check_field(pe_ldiag *d, const pe_rupdate *u, const pe_xent *f, int known_source)
{
    if (!known_source || pe_exc_field_defined(f->text.s, f->text.len))
        return 0;
    return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, f->pos, pe_item_of("rule", u->name),
                       "'%s' is not a supported filter field", f->text.s);
}

/* Falco's validate_exception_info(): defaults the comps, checks shapes,
 * operators and fields. */
int pe_exc_validate(pe_collector *c, pe_ldiag *d, const pe_rupdate *u, pe_exc *ex, int known_source)
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
            return pe_ld_rule_error(d, u->name, ex->comps.pos,
                                    "Fields and comps lists must have equal length");
        for (size_t i = 0; i < ex->comps.nitems; i++) {
            const pe_xent *op = &ex->comps.items[i];
            int list_like;
            if (op->is_list || !pe_exc_operator(op->text.s, op->text.len, &list_like))
                return pe_ld_error(
                    d, PREMPTI_E_RULE, VALIDATE, op->pos, pe_item_of("rule", u->name),
                    "'%s' is not a supported comparison operator", op->is_list ? "" : op->text.s);
        }
        for (size_t i = 0; i < ex->fields.nitems; i++) {
            if (ex->fields.items[i].is_list)
                return pe_ld_rule_error(d, u->name, ex->fields.items[i].pos,
                                        "Value is not a scalar value");
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
        return pe_ld_rule_error(d, u->name, ex->comps.pos, "Fields and comps must both be strings");
    int list_like = 0;
    const pe_mtext *op = &ex->comps.text;
    if (!pe_exc_operator(op->s, op->len, &list_like) || !list_like)
        return pe_ld_rule_error(d, u->name, ex->comps.pos,
                                "When fields is a single value, comps must be one of (in, pmatch, "
                                "intersects) or a string operator with a list modifier (oneof, "
                                "anyof, allof)");
    return check_field(d, u, &ex->fields, known_source);
}

/* Every exception of a definition or replacement must be complete. */
int pe_exc_validate_all(pe_collector *c, pe_ldiag *d, const pe_rupdate *u, pe_exc *exc, size_t n,
                        int known_source)
{
    for (size_t i = 0; i < n; i++) {
        if (!pe_xent_valid(&exc[i].fields))
            return pe_ld_rule_error(d, u->name, exc[i].pos,
                                    "Rule exception item must have fields property with a list of "
                                    "fields");
        int rc = pe_exc_validate(c, d, u, &exc[i], known_source);
        if (rc)
            return rc;
    }
    return 0;
}
