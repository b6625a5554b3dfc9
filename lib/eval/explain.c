/*
 * Explanations: every node of a condition with its outcome, evaluated
 * without short-circuiting, as JSON (prempti_explain()).
 */
#include "eval/explain.h"

#include <stdlib.h>

#include "compile/compile.h"
#include "engine_internal.h"
#include "event/event_internal.h"
#include "prempti/explain.h"

/* JSON levels one more node needs (its object and its children array),
 * plus the two that close the document around the rules. */
#define LEVELS_PER_NODE 2

int pe_eval_explain(pe_xctx *x, const pe_cnode *n, pe_jw *w)
{
    /* The node's own result first, so it can be written before its
     * children; evaluation is pure, so evaluating again below is safe. */
    int r = pe_eval_cond(x, n);
    if (r < 0)
        return r;
    pe_jw_obj_begin(w);
    pe_jw_key(w, "expr");
    pe_jw_cstr(w, pe_cnode_label(x->img, n));
    pe_jw_key(w, "result");
    pe_jw_bool(w, r);
    if (n->nkids && w->depth + LEVELS_PER_NODE * 2 > PE_JW_MAX_DEPTH) {
        pe_jw_key(w, "truncated");
        pe_jw_bool(w, 1);
        pe_jw_obj_end(w);
        return r;
    }
    pe_jw_key(w, "children");
    pe_jw_arr_begin(w);
    for (uint32_t i = 0; i < n->nkids; i++) {
        int rc = pe_eval_explain(x, pe_cnode_kid(x->img, n, i), w);
        if (rc < 0)
            return rc;
    }
    pe_jw_arr_end(w);
    pe_jw_obj_end(w);
    return r;
}

static int explain_rule(pe_jw *w, pe_xctx *x, const pe_rule *rule, size_t view)
{
    const pe_cnode *cond = PE_AT(x->img, rule->cond, pe_cnode);
    pe_jw_obj_begin(w);
    pe_jw_key(w, "rule");
    pe_jw_cstr(w, pe_rstr_c(x->img, rule->name));
    pe_jw_key(w, "view");
    pe_jw_u64(w, view);
    int matched = pe_eval_cond(x, cond);
    if (matched < 0)
        return matched;
    pe_jw_key(w, "matched");
    pe_jw_bool(w, matched);
    pe_jw_key(w, "condition");
    int rc = pe_eval_explain(x, cond, w);
    if (rc < 0)
        return rc;
    pe_jw_obj_end(w);
    return 0;
}

static int explain_all(pe_strbuf *sb, const prempti_engine *e, const prempti_event *ev)
{
    pe_xctx *x = malloc(sizeof(*x)); /* large: the view's lazy field cache */
    if (!x)
        return PREMPTI_E_NOMEM;
    pe_arena scratch = PE_ARENA_INIT;
    pe_jw w;
    pe_jw_init(&w, sb);
    pe_jw_obj_begin(&w);
    pe_jw_key(&w, "rules");
    pe_jw_arr_begin(&w);
    int rc = 0;
    uint64_t regex_work = e->max_regex_work;
    for (size_t v = 0; !rc && v < ev->view_count; v++) {
        pe_xctx_init(x, ev, &ev->views[v], &scratch);
        x->regex_work = &regex_work;
        x->img = e->base;
        for (size_t i = 0; !rc && i < e->nrules; i++)
            if (e->state[i].active && !(rc = pe_lazy_rule(e->lazy, i)))
                rc = explain_rule(&w, x, &e->rules[i], v);
    }
    pe_jw_arr_end(&w);
    pe_jw_obj_end(&w);
    free(x);
    pe_arena_free(&scratch);
    if (!rc && pe_sb_failed(sb))
        rc = PREMPTI_E_NOMEM;
    return rc;
}

int prempti_explain(char **out, const prempti_engine *engine, const prempti_event *event,
                    prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!out)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "out is NULL");
    *out = NULL;
    if (!engine || !event)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "engine and event must not be NULL");
    pe_strbuf sb = PE_STRBUF_INIT;
    int rc = explain_all(&sb, engine, event);
    if (!rc && !(*out = pe_sb_take(&sb)))
        rc = PREMPTI_E_NOMEM;
    pe_sb_free(&sb);
    if (rc)
        return pe_fail(err, rc, "EVALUATION_FAILED", "explanation failed: %s",
                       prempti_strerror(rc));
    return PREMPTI_OK;
}
