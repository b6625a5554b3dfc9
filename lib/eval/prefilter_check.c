/*
 * Checking a prefilter read back from an image: its head at once, each
 * exact table and each group before its first use.
 */
#include <stdlib.h>
#include <string.h>

#include "eval/prefilter_internal.h"
#include "prempti/common.h"
#include "util/aho.h"

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
    if (!slots || check_rules(c, &f->present, evaluable, nrules))
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
    if (g->field >= PE_F_COUNT ||
        (pe_field((pe_field_id)g->field)->type != PE_FT_STRING &&
         pe_field((pe_field_id)g->field)->type != PE_FT_LIST) ||
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
