/*
 * prempti_evaluate(): runs the active rules on every view of the event,
 * collects the matches in evaluation order and combines their decisions
 * (deny > ask > allow > defer; the floor when no rule decides).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "eval/eval.h"
#include "event/event_internal.h"
#include "util/mem.h"
#include "verdict/result_internal.h"

static const char *dup(prempti_result *r, const char *s, size_t len)
{
    return pe_arena_strndup(&r->arena, s, len);
}

static int add_match(prempti_result *r, const prempti_engine *e, size_t ri, size_t view, pe_xctx *x)
{
    const pe_rule *rule = &e->rules[ri];
    const pe_format *output = PE_AT(e->base, rule->output, pe_format);
    pe_strbuf sb = PE_STRBUF_INIT;
    int rc = pe_format_render(&sb, output, x);
    pe_match m = {0};
    pe_str name = pe_rstr_str(e->base, rule->name);
    m.rule = dup(r, name.s, name.len);
    m.output = dup(r, pe_sb_str(&sb), sb.len);
    pe_sb_free(&sb);
    if (rc)
        return rc;
    const char **tags = pe_arena_alloc(&r->arena, (rule->ntags + 1) * sizeof(*tags));
    if (!m.rule || !m.output || !tags)
        return PREMPTI_E_NOMEM;
    const pe_rstr *rt = PE_AT(e->base, rule->tags, pe_rstr);
    for (size_t i = 0; i < rule->ntags; i++)
        if (!(tags[i] = dup(r, pe_rstr_c(e->base, rt[i]), rt[i].len)))
            return PREMPTI_E_NOMEM;
    m.tags = tags;
    m.ntags = rule->ntags;
    m.priority = rule->priority;
    m.decision = e->state[ri].decision;
    m.view = view;
    m.rule_index = ri;
    rc = pe_output_fields(&r->arena, output, x, &m.fields, &m.nfields);
    if (rc)
        return rc;
    if (PE_PUSH(r->matches, r->nmatches, r->capmatches, m))
        return PREMPTI_E_NOMEM;
    return 0;
}

/* Evaluates the candidate rules of one view, in evaluation order. */
static int eval_view(prempti_result *r, const prempti_engine *e, size_t view, pe_xctx *x)
{
    size_t words = pe_prefilter_words(e->pf);
    uint64_t *bits = pe_arena_alloc(x->scratch, words * sizeof(uint64_t) + 8);
    if (!bits)
        return PREMPTI_E_NOMEM;
    int rc = pe_prefilter_candidates(e->pf, e->accel, x, bits);
    for (size_t w = 0; !rc && w < words; w++) {
        for (uint64_t b = bits[w]; b && !rc; b &= b - 1) {
            size_t i = w * 64 + (size_t)__builtin_ctzll(b);
            int m = pe_lazy_rule(e->lazy, i);
            if (!m)
                m = pe_eval_cond(x, PE_PTR(e->base, e->rules[i].cond, pe_cnode));
            if (m < 0)
                rc = m;
            else if (m)
                rc = add_match(r, e, i, view, x);
        }
    }
    return rc;
}

static int cmp_match(const void *a, const void *b)
{
    const pe_match *x = a, *y = b;
    if (x->rule_index != y->rule_index)
        return x->rule_index < y->rule_index ? -1 : 1;
    return x->view < y->view ? -1 : x->view > y->view;
}

/* The reason given when the analysis of the command stopped at a limit and
 * nothing stricter decided. */
#define LIMIT_REASON                                                                               \
    "libprempti could not analyse all of this command (it is too long, too deeply nested or "      \
    "too large to follow), so what it runs cannot be judged; split it into smaller commands"

/* The reason: "<rule>: <output><suffix>", the suffix rendered on the view
 * that matched. */
static int build_reason(prempti_result *r, const prempti_engine *e, const prempti_event *ev,
                        pe_arena *scratch)
{
    if (r->deciding < 0 && !r->limited) {
        r->reason = "";
        return 0;
    }
    const pe_match *m = r->limited ? NULL : &r->matches[r->deciding];
    pe_strbuf sb = PE_STRBUF_INIT;
    if (m) {
        pe_sb_puts(&sb, m->rule);
        if (m->output[0]) {
            pe_sb_puts(&sb, ": ");
            pe_sb_puts(&sb, m->output);
        }
    } else {
        pe_sb_puts(&sb, LIMIT_REASON);
    }
    int rc = 0;
    if (e->suffix) {
        pe_xctx x;
        pe_xctx_init(&x, ev, &ev->views[m ? m->view : 0], scratch); /* fields only: no regex */
        x.img = e->base;
        rc = pe_format_render(&sb, e->suffix, &x);
    }
    if (!rc && !(r->reason = dup(r, pe_sb_str(&sb), sb.len)))
        rc = PREMPTI_E_NOMEM;
    if (!rc && pe_sb_failed(&sb))
        rc = PREMPTI_E_NOMEM;
    pe_sb_free(&sb);
    return rc;
}

/* The event's text the outputs report, in the order of the result's
 * context fields (agent ... hostname). */
#define NCONTEXT 7

static pe_str field_str(const prempti_event *ev, pe_field_id id)
{
    const pe_view *v = &ev->views[0];
    pe_str s = {"", 0};
    if (v->present[id] && v->v[id].str.s)
        s = v->v[id].str;
    return s;
}

static void event_context(const prempti_event *ev, pe_str out[NCONTEXT])
{
    out[0] = (pe_str){ev->agent ? ev->agent : "", ev->agent ? strlen(ev->agent) : 0};
    out[1] = (pe_str){ev->hook ? ev->hook : "", ev->hook ? strlen(ev->hook) : 0};
    out[2] = field_str(ev, PE_F_AGENT_SESSION_ID);
    out[3] = field_str(ev, PE_F_TOOL_NAME);
    out[4] = field_str(ev, PE_F_TOOL_USE_ID);
    out[5] = field_str(ev, PE_F_AGENT_CWD);
    out[6] = field_str(ev, PE_F_EVT_HOSTNAME);
}

/* A new result holding its own copy of what the outputs report about the
 * event, so it stands alone once the event is freed. The copy shares the
 * result's allocation: a result without matches costs one allocation. */
static prempti_result *new_result(const prempti_event *ev)
{
    pe_str ctx[NCONTEXT];
    event_context(ev, ctx);
    size_t total = 0;
    for (size_t i = 0; i < NCONTEXT; i++) {
        if (ctx[i].len > SIZE_MAX / 2 - total)
            return NULL;
        total += ctx[i].len + 1;
    }
    prempti_result *r = calloc(1, sizeof(*r) + total);
    if (!r)
        return NULL;
    const char **dst[NCONTEXT] = {&r->agent,       &r->hook, &r->session_id, &r->tool_name,
                                  &r->tool_use_id, &r->cwd,  &r->hostname};
    char *p = (char *)(r + 1);
    for (size_t i = 0; i < NCONTEXT; i++) {
        memcpy(p, ctx[i].s, ctx[i].len);
        p[ctx[i].len] = '\0';
        *dst[i] = p;
        p += ctx[i].len + 1;
    }
    const pe_view *v = &ev->views[0];
    r->event_time_ns = v->present[PE_F_EVT_TIME] ? v->v[PE_F_EVT_TIME].num : 0;
    r->correlation_id = ev->correlation_id;
    return r;
}

static void decide(prempti_result *r, const prempti_engine *e, const prempti_event *ev)
{
    int best = PREMPTI_DEFER;
    r->deciding = -1;
    for (size_t i = 0; i < r->nmatches; i++) {
        if (r->matches[i].decision > best) {
            best = r->matches[i].decision;
            r->deciding = (long)i;
        }
    }
    r->would_be = r->deciding < 0 ? e->floor : best;
    /* Past a limit, "nothing found" means nothing: never less than ask. */
    if (ev->incomplete && r->would_be < e->limit_decision) {
        r->would_be = e->limit_decision;
        r->deciding = -1;
        r->limited = 1;
    }
    r->decision = e->monitor ? PREMPTI_DEFER : r->would_be;
    r->monitor = e->monitor;
}

int prempti_evaluate(prempti_result **out, const prempti_engine *e, const prempti_event *ev,
                     prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!out)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "out is NULL");
    *out = NULL;
    if (!e || !ev)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "engine and event must not be NULL");
    prempti_result *r = new_result(ev);
    if (!r)
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    pe_arena scratch = PE_ARENA_INIT;
    pe_xctx *x = malloc(sizeof(*x));
    int rc = x ? 0 : PREMPTI_E_NOMEM;
    uint64_t regex_work = e->max_regex_work;
    for (size_t v = 0; !rc && e->pf && v < ev->view_count; v++) {
        pe_xctx_init(x, ev, &ev->views[v], &scratch);
        x->regex_work = &regex_work;
        x->img = e->base;
        rc = eval_view(r, e, v, x);
    }
    if (!rc) {
        if (ev->view_count > 1 && r->nmatches > 1)
            qsort(r->matches, r->nmatches, sizeof(*r->matches), cmp_match);
        decide(r, e, ev);
        rc = build_reason(r, e, ev, &scratch);
    }
    free(x);
    pe_arena_free(&scratch);
    if (rc) {
        prempti_result_free(r);
        if (rc == PREMPTI_E_LIMIT)
            return pe_fail(err, rc, "EVALUATION_FAILED",
                           "regular expressions need more than max_regex_work (%llu) steps "
                           "on this event",
                           (unsigned long long)e->max_regex_work);
        return pe_fail(err, rc, "EVALUATION_FAILED", "evaluation failed: %s", prempti_strerror(rc));
    }
    *out = r;
    return PREMPTI_OK;
}

/* ---- accessors ---- */

void prempti_result_free(prempti_result *r)
{
    if (!r)
        return;
    free(r->matches);
    pe_arena_free(&r->arena);
    free(r);
}

int prempti_result_decision(const prempti_result *r)
{
    return r ? r->decision : PREMPTI_E_INVALID_ARG;
}

int prempti_result_would_be(const prempti_result *r)
{
    return r ? r->would_be : PREMPTI_E_INVALID_ARG;
}

const char *prempti_result_reason(const prempti_result *r)
{
    return r && r->reason ? r->reason : "";
}

uint64_t prempti_result_correlation_id(const prempti_result *r)
{
    return r ? r->correlation_id : 0;
}

size_t prempti_result_match_count(const prempti_result *r)
{
    return r ? r->nmatches : 0;
}

long prempti_result_deciding_match(const prempti_result *r)
{
    return r ? r->deciding : -1;
}

static const pe_match *match(const prempti_result *r, size_t i)
{
    return r && i < r->nmatches ? &r->matches[i] : NULL;
}

const char *prempti_result_match_rule(const prempti_result *r, size_t i)
{
    const pe_match *m = match(r, i);
    return m ? m->rule : NULL;
}

int prempti_result_match_priority(const prempti_result *r, size_t i)
{
    const pe_match *m = match(r, i);
    return m ? m->priority : -1;
}

int prempti_result_match_decision(const prempti_result *r, size_t i)
{
    const pe_match *m = match(r, i);
    return m ? m->decision : -1;
}

const char *prempti_result_match_output(const prempti_result *r, size_t i)
{
    const pe_match *m = match(r, i);
    return m ? m->output : NULL;
}

size_t prempti_result_match_tag_count(const prempti_result *r, size_t i)
{
    const pe_match *m = match(r, i);
    return m ? m->ntags : 0;
}

const char *prempti_result_match_tag(const prempti_result *r, size_t i, size_t j)
{
    const pe_match *m = match(r, i);
    return m && j < m->ntags ? m->tags[j] : NULL;
}
