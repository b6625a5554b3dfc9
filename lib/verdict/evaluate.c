/*
 * prempti_evaluate(): runs the active rules on every view of the event,
 * collects the matches in evaluation order and combines their decisions
 * (deny > ask > allow > defer; the floor when no rule decides).
 *
 * An evaluation allocates once, for the result: its scratch memory starts
 * on the stack, and only the deciding rule's output is rendered (for the
 * reason); the other matches render theirs when read (verdict/render.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "eval/eval.h"
#include "event/event_internal.h"
#include "verdict/result_internal.h"

/* Stack memory for the scratch arena and the texts: enough for common
 * events, more comes from the heap. */
#define SCRATCH_BYTES 8192
#define TEXT_BYTES    2048

typedef struct hit {
    uint32_t rule, view;
} hit;

typedef struct hits {
    hit *v;
    size_t n, cap;
} hits;

/* Appends to h, which grows in the scratch arena. */
static int push_hit(hits *h, pe_arena *scratch, size_t rule, size_t view)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 16;
        hit *v = pe_arena_alloc_raw(scratch, cap * sizeof(*v));
        if (!v)
            return PREMPTI_E_NOMEM;
        if (h->n)
            memcpy(v, h->v, h->n * sizeof(*v));
        h->v = v;
        h->cap = cap;
    }
    h->v[h->n++] = (hit){(uint32_t)rule, (uint32_t)view};
    return 0;
}

/* Evaluates the candidate rules of one view, in evaluation order. */
static int eval_view(hits *h, const prempti_engine *e, size_t view, pe_xctx *x)
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
                rc = push_hit(h, x->scratch, i, view);
        }
    }
    return rc;
}

static int cmp_hit(const void *a, const void *b)
{
    const hit *x = a, *y = b;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    return x->view < y->view ? -1 : x->view > y->view;
}

/* What the evaluation decided, before the result exists. */
typedef struct verdict {
    int would_be, decision, limited;
    long deciding;
} verdict;

static verdict decide(const prempti_engine *e, const prempti_event *ev, const hits *h)
{
    verdict v = {0, 0, 0, -1};
    int best = PREMPTI_DEFER;
    for (size_t i = 0; i < h->n; i++) {
        if (e->state[h->v[i].rule].decision > best) {
            best = e->state[h->v[i].rule].decision;
            v.deciding = (long)i;
        }
    }
    v.would_be = v.deciding < 0 ? e->floor : best;
    /* Past a limit, "nothing found" means nothing: never less than ask. */
    if (ev->incomplete && v.would_be < e->limit_decision) {
        v.would_be = e->limit_decision;
        v.deciding = -1;
        v.limited = 1;
    }
    v.decision = e->monitor ? PREMPTI_DEFER : v.would_be;
    return v;
}

/* The reason given when the analysis of the command stopped at a limit and
 * nothing stricter decided. */
#define LIMIT_REASON                                                                               \
    "libprempti could not analyse all of this command (it is too long, too deeply nested or "      \
    "too large to follow), so what it runs cannot be judged; split it into smaller commands"

/* The reason, "<rule>: <output><suffix>" with the suffix rendered on the
 * view that matched, into reason; the deciding rule's output into output. */
static int build_reason(pe_strbuf *reason, pe_strbuf *output, const prempti_engine *e,
                        const prempti_event *ev, const hits *h, const verdict *v, pe_arena *scratch)
{
    if (v->deciding < 0 && !v->limited)
        return 0;
    size_t view = 0;
    if (v->deciding >= 0) {
        const hit *d = &h->v[v->deciding];
        const pe_rule *rule = &e->rules[d->rule];
        int rc = pe_render_output(output, e->base, PE_AT(e->base, rule->output, pe_format), ev,
                                  d->view, scratch);
        if (rc)
            return rc;
        pe_str name = pe_rstr_str(e->base, rule->name);
        pe_sb_append(reason, name.s, name.len);
        if (output->len) {
            pe_sb_puts(reason, ": ");
            pe_sb_append(reason, pe_sb_str(output), output->len);
        }
        view = d->view;
    } else {
        pe_sb_puts(reason, LIMIT_REASON);
    }
    int rc = e->suffix ? pe_render_output(reason, e->base, e->suffix, ev, view, scratch) : 0;
    return rc ? rc : pe_sb_failed(reason) || pe_sb_failed(output) ? PREMPTI_E_NOMEM : 0;
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

/* Copies s and a NUL to *p, advancing it. */
static const char *put(char **p, const char *s, size_t len)
{
    char *d = *p;
    memcpy(d, s, len);
    d[len] = '\0';
    *p += len + 1;
    return d;
}

/* Adds n + 1 to *total, or fails when it would overflow. */
static int add_size(size_t *total, size_t n)
{
    if (n >= SIZE_MAX / 2 - *total)
        return -1;
    *total += n + 1;
    return 0;
}

/* The result, in one allocation. */
static prempti_result *new_result(const prempti_engine *e, const prempti_event *ev, const hits *h,
                                  const verdict *v, const pe_strbuf *reason,
                                  const pe_strbuf *output)
{
    pe_str ctx[NCONTEXT];
    event_context(ev, ctx);
    size_t total = sizeof(prempti_result) + h->n * sizeof(pe_match);
    int bad = h->n > SIZE_MAX / 4 / sizeof(pe_match) || add_size(&total, reason->len) ||
              add_size(&total, output->len);
    for (size_t i = 0; i < NCONTEXT; i++)
        bad |= add_size(&total, ctx[i].len);
    prempti_result *r = bad ? NULL : malloc(total);
    if (!r)
        return NULL;
    memset(r, 0, sizeof(*r) + h->n * sizeof(pe_match));
    r->matches = (pe_match *)(r + 1);
    r->nmatches = h->n;
    for (size_t i = 0; i < h->n; i++) {
        r->matches[i].rule_index = h->v[i].rule;
        r->matches[i].view = h->v[i].view;
        r->matches[i].priority = e->rules[h->v[i].rule].priority;
        r->matches[i].decision = e->state[h->v[i].rule].decision;
    }
    char *p = (char *)(r->matches + h->n);
    const char **dst[NCONTEXT] = {&r->agent,       &r->hook, &r->session_id, &r->tool_name,
                                  &r->tool_use_id, &r->cwd,  &r->hostname};
    for (size_t i = 0; i < NCONTEXT; i++)
        *dst[i] = put(&p, ctx[i].s, ctx[i].len);
    r->reason = put(&p, pe_sb_str(reason), reason->len);
    const char *out = put(&p, pe_sb_str(output), output->len);
    if (v->deciding >= 0)
        r->matches[v->deciding].output = out;
    r->decision = v->decision;
    r->would_be = v->would_be;
    r->limited = v->limited;
    r->deciding = v->deciding;
    r->monitor = e->monitor;
    const pe_view *v0 = &ev->views[0];
    r->event_time_ns = v0->present[PE_F_EVT_TIME] ? v0->v[PE_F_EVT_TIME].num : 0;
    r->correlation_id = ev->correlation_id;
    if (h->n) { /* what rendering the matches later needs */
        r->img = pe_image_ref(e->img);
        r->rules = e->rules;
        r->event = pe_event_ref(ev);
    }
    return r;
}

/* Runs the rules; *out the result. */
static int evaluate(prempti_result **out, const prempti_engine *e, const prempti_event *ev,
                    pe_arena *scratch)
{
    pe_xctx x;
    hits h = {NULL, 0, 0};
    uint64_t regex_work = e->max_regex_work;
    int rc = 0;
    for (size_t v = 0; !rc && e->pf && v < ev->view_count; v++) {
        pe_xctx_init(&x, ev, &ev->views[v], scratch);
        x.regex_work = &regex_work;
        x.img = e->base;
        rc = eval_view(&h, e, v, &x);
    }
    if (rc)
        return rc;
    if (ev->view_count > 1 && h.n > 1)
        qsort(h.v, h.n, sizeof(*h.v), cmp_hit);
    verdict v = decide(e, ev, &h);
    char rbuf[TEXT_BYTES], obuf[TEXT_BYTES];
    pe_strbuf reason, output;
    pe_sb_init_buf(&reason, rbuf, sizeof(rbuf));
    pe_sb_init_buf(&output, obuf, sizeof(obuf));
    rc = build_reason(&reason, &output, e, ev, &h, &v, scratch);
    if (!rc && !(*out = new_result(e, ev, &h, &v, &reason, &output)))
        rc = PREMPTI_E_NOMEM;
    pe_sb_free(&reason);
    pe_sb_free(&output);
    return rc;
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
    _Alignas(max_align_t) unsigned char mem[SCRATCH_BYTES];
    pe_arena scratch;
    pe_arena_init_buf(&scratch, mem, sizeof(mem));
    int rc = evaluate(out, e, ev, &scratch);
    pe_arena_free(&scratch);
    if (rc == PREMPTI_E_LIMIT)
        return pe_fail(err, rc, "EVALUATION_FAILED",
                       "regular expressions need more than max_regex_work (%llu) steps "
                       "on this event",
                       (unsigned long long)e->max_regex_work);
    if (rc)
        return pe_fail(err, rc, "EVALUATION_FAILED", "evaluation failed: %s", prempti_strerror(rc));
    return PREMPTI_OK;
}
