/* Rule metadata getters (prempti/engine.h): read-only views of the rules,
 * compiled here or mapped from an image (a rule of an image that fails its
 * check has no metadata: NULL, -1 or 0, as for a rule that does not exist). */
#include "engine_internal.h"

/* The i-th rule, or NULL when there is none. */
static const pe_rule *rule_at(const prempti_engine *e, size_t i)
{
    return e && i < e->nrules && !pe_lazy_rule(e->lazy, i) ? &e->rules[i] : NULL;
}

const char *prempti_engine_rule_description(const prempti_engine *e, size_t i)
{
    const pe_rule *r = rule_at(e, i);
    return r ? pe_rstr_c(e->base, r->desc) : NULL;
}

int prempti_engine_rule_priority(const prempti_engine *e, size_t i)
{
    const pe_rule *r = rule_at(e, i);
    return r ? r->priority : -1;
}

size_t prempti_engine_rule_tag_count(const prempti_engine *e, size_t i)
{
    const pe_rule *r = rule_at(e, i);
    return r ? r->ntags : 0;
}

const char *prempti_engine_rule_tag(const prempti_engine *e, size_t i, size_t j)
{
    const pe_rule *r = rule_at(e, i);
    return r && j < r->ntags ? pe_rstr_c(e->base, PE_AT(e->base, r->tags, pe_rstr)[j]) : NULL;
}

const char *prempti_engine_rule_file(const prempti_engine *e, size_t i)
{
    const pe_rule *r = rule_at(e, i);
    return r ? pe_rstr_c(e->base, r->file) : NULL;
}

unsigned prempti_engine_rule_line(const prempti_engine *e, size_t i)
{
    const pe_rule *r = rule_at(e, i);
    return r ? r->line : 0;
}

unsigned prempti_engine_rule_column(const prempti_engine *e, size_t i)
{
    const pe_rule *r = rule_at(e, i);
    return r ? r->column : 0;
}
