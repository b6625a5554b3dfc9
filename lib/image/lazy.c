/*
 * Checking an image read back from a file before its parts are used. The
 * head (root, rule states, the index's head, the reason suffix, sources,
 * warnings) is checked when the image is mapped; each rule (its record,
 * condition and output) the first time it is about to be evaluated or
 * named, each exact table and automaton of the index likewise
 * (eval/prefilter.c). Every byte read for a check is first checked
 * against its page's checksum (image/verify.c), so what passes is intact
 * and well formed: evaluation never reads outside the image, loops or
 * recurses without bound, and a damaged part makes the evaluation fail
 * (PREMPTI_E_IMAGE) rather than decide. The results are remembered; any
 * number of threads may check at once.
 */
#include <stdlib.h>
#include <string.h>

#include "compile/compile.h"
#include "eval/prefilter.h"
#include "image/image.h"
#include "output/format.h"
#include "prempti/common.h"
#include "rules/ruleset.h"

struct pe_lazy {
    pe_verify *pages;
    pe_rcheck proto; /* bounds, page checks, no budget used yet */
    const pe_image_root *root;
    const pe_rule *rules;
    uint32_t nrules;
    uint8_t *evaluable; /* active rules: what the index may name */
    uint32_t ngroups;
    uint32_t *group_patterns;
    _Atomic uint8_t *rule_state; /* 0 not checked, 1 good, 2 damaged */
};

/* ---- a rule ---- */

static int check_rule_texts(pe_rcheck *c, const pe_rule *r)
{
    if (pe_rcheck_str(c, r->name, 0, "bad rule name") ||
        pe_rcheck_str(c, r->desc, 0, "bad rule description") ||
        pe_rcheck_str(c, r->source, 0, "bad rule source") ||
        pe_rcheck_str(c, r->file, 0, "bad rule file") ||
        pe_rcheck_str(c, r->cond_text, 1, "bad rule condition text"))
        return -1;
    if (r->priority > PREMPTI_PRIORITY_DEBUG || r->enabled > 1)
        return pe_rcheck_fail(c, "bad rule");
    const pe_rstr *tags = pe_rcheck_array(c, r->tags, r->ntags, sizeof(*tags), "bad rule tags");
    if (!tags || pe_rcheck_work(c, r->ntags))
        return -1;
    for (uint32_t i = 0; i < r->ntags; i++)
        if (pe_rcheck_str(c, tags[i], 0, "bad rule tag"))
            return -1;
    return 0;
}

static int check_rule(pe_lazy *l, uint32_t i)
{
    pe_rcheck c = l->proto;
    pe_prog_check *pc = pe_prog_check_new(&c, l->ngroups, l->group_patterns);
    const pe_rule *r = pe_rcheck_array(&c, l->root->rules + (pe_ref)(i * sizeof(*r)), 1,
                                       sizeof(*r), "bad rule");
    unsigned height;
    int rc = !pc || !r || check_rule_texts(&c, r) ||
             (l->evaluable[i] && (!r->cond || !r->output)) ||
             (r->cond && pe_prog_check_node(pc, r->cond, &height)) ||
             (r->output && pe_format_check(pc, &c, r->output));
    pe_prog_check_free(pc);
    return rc ? -1 : 0;
}

int pe_lazy_rule(pe_lazy *l, size_t i)
{
    if (!l)
        return 0;
    uint8_t s = atomic_load_explicit(&l->rule_state[i], memory_order_acquire);
    if (!s) {
        s = check_rule(l, (uint32_t)i) ? 2 : 1;
        atomic_store_explicit(&l->rule_state[i], s, memory_order_release);
    }
    return s == 1 ? 0 : PREMPTI_E_IMAGE;
}

/* ---- the head ---- */

static int check_state(pe_rcheck *c, const pe_image_root *root, uint8_t *evaluable)
{
    const pe_rule_state *st =
        pe_rcheck_array(c, root->state, root->nrules, sizeof(*st), "bad rule states");
    if (!st || !root->state)
        return pe_rcheck_fail(c, "bad rule states");
    for (uint32_t i = 0; i < root->nrules; i++) {
        if (st[i].active > 1 || st[i].decision > PREMPTI_DENY)
            return pe_rcheck_fail(c, "bad rule state");
        evaluable[i] = st[i].active;
    }
    return 0;
}

static int check_meta(pe_rcheck *c, const pe_image_root *root)
{
    const pe_image_source *src =
        pe_rcheck_array(c, root->sources, root->nsources, sizeof(*src), "bad sources");
    const pe_image_diag *w =
        pe_rcheck_array(c, root->warnings, root->nwarnings, sizeof(*w), "bad warnings");
    if (!src || !w || pe_rcheck_work(c, (uint64_t)root->nsources + root->nwarnings))
        return -1;
    for (uint32_t i = 0; i < root->nsources; i++)
        if (pe_rcheck_str(c, src[i].name, 0, "bad source name") || src[i].is_file > 1)
            return pe_rcheck_fail(c, "bad source");
    for (uint32_t i = 0; i < root->nwarnings; i++)
        if (pe_rcheck_str(c, w[i].kind, 0, "bad warning") ||
            pe_rcheck_str(c, w[i].message, 0, "bad warning") ||
            pe_rcheck_str(c, w[i].source, 0, "bad warning") ||
            pe_rcheck_str(c, w[i].item_type, 0, "bad warning") ||
            pe_rcheck_str(c, w[i].item_name, 0, "bad warning") || w[i].severity > 1)
            return pe_rcheck_fail(c, "bad warning");
    return 0;
}

/* The rule records' bounds (their contents are checked one by one). */
static int check_rule_array(pe_rcheck *c, const pe_image_root *root)
{
    if (root->rules < c->header || root->rules % 8 || root->rules > c->size ||
        root->nrules > (c->size - root->rules) / sizeof(pe_rule))
        return pe_rcheck_fail(c, "bad rules");
    return 0;
}

static int check_head(pe_lazy *l, pe_rcheck *c, const pe_image_header *h)
{
    l->root = pe_rcheck_array(c, h->root, 1, sizeof(*l->root), "bad root");
    if (!l->root || check_rule_array(c, l->root))
        return -1;
    l->nrules = l->root->nrules;
    l->rules = PE_PTR(c->base, l->root->rules, pe_rule);
    l->evaluable = calloc(l->nrules + 1, 1);
    l->rule_state = calloc(l->nrules + 1, sizeof(*l->rule_state));
    if (!l->evaluable || !l->rule_state)
        return pe_rcheck_fail(c, "out of memory");
    if (check_state(c, l->root, l->evaluable) ||
        pe_prefilter_check_head(c, l->root->pf, l->evaluable, l->nrules, &l->ngroups,
                                &l->group_patterns) ||
        check_meta(c, l->root))
        return -1;
    if (!l->root->suffix)
        return 0;
    pe_prog_check *pc = pe_prog_check_new(c, l->ngroups, l->group_patterns);
    int rc = pc ? pe_format_check(pc, c, l->root->suffix) : pe_rcheck_fail(c, "out of memory");
    pe_prog_check_free(pc);
    return rc;
}

pe_lazy *pe_lazy_new(const pe_image *img, const char **why)
{
    const pe_image_header *h = (const pe_image_header *)(const void *)img->base;
    pe_lazy *l = calloc(1, sizeof(*l));
    if (!l || !(l->pages = pe_verify_new(img))) {
        free(l);
        *why = "out of memory";
        return NULL;
    }
    /* every item takes at least 8 bytes, though strings may be shared */
    pe_rcheck c = {img->base, h->pages, PE_IMAGE_HEADER_SIZE, 0, (uint64_t)h->pages + 4096, NULL,
                   pe_verify_range, l->pages};
    l->proto = c;
    if (check_head(l, &c, h)) {
        *why = c.why;
        pe_lazy_free(l);
        return NULL;
    }
    return l;
}

void pe_lazy_free(pe_lazy *l)
{
    if (!l)
        return;
    pe_verify_free(l->pages);
    free(l->evaluable);
    free(l->group_patterns);
    free(l->rule_state);
    free(l);
}

const pe_rcheck *pe_lazy_check(const pe_lazy *l)
{
    return &l->proto;
}

const uint8_t *pe_lazy_evaluable(const pe_lazy *l)
{
    return l->evaluable;
}

int pe_lazy_all(pe_lazy *l)
{
    for (uint32_t i = 0; i < l->nrules; i++)
        if (pe_lazy_rule(l, i))
            return PREMPTI_E_IMAGE;
    return 0;
}
