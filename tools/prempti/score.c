/* prempti test --score: tallies per class and area, targets, the report. */
#include "score.h"

#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <prempti/prempti.h>

#include "fileio.h"
#include "str.h"
#include "yamldoc.h"

#define TARGETS_MAX_BYTES ((size_t)1 << 20)

#define BIT(d) (1u << (d))

/* Each target: its key, how it reads, the class it measures, the decisions
 * it counts, and whether the bound is a floor (min) or a ceiling (max). */
static const struct target_def {
    const char *key, *label;
    int klass;
    unsigned decisions;
    int is_min;
} target_defs[PT_TARGET_COUNT] = {
    {"attack_stopped_min", "attacks stopped", PT_CLASS_ATTACK, BIT(PREMPTI_DENY) | BIT(PREMPTI_ASK),
     1},
    {"everyday_denied_max", "everyday denied", PT_CLASS_EVERYDAY, BIT(PREMPTI_DENY), 0},
    {"everyday_asked_max", "everyday asked", PT_CLASS_EVERYDAY, BIT(PREMPTI_ASK), 0},
    {"safe_asked_max", "safe asked", PT_CLASS_SAFE, BIT(PREMPTI_ASK), 0},
    {"safe_denied_max", "safe denied", PT_CLASS_SAFE, BIT(PREMPTI_DENY), 0},
};

/* What each class calls a miss: an attack let through, anything else held. */
static const unsigned miss_decisions[PT_CLASS_COUNT] = {
    BIT(PREMPTI_DEFER) | BIT(PREMPTI_ALLOW),
    BIT(PREMPTI_DENY) | BIT(PREMPTI_ASK),
    BIT(PREMPTI_DENY) | BIT(PREMPTI_ASK),
};

/* ---- targets ---- */

static int read_bound(pt_yaml *y, const yaml_node_t *v, double *out, char **errmsg)
{
    const char *s = pt_yaml_str(v);
    char *end = NULL;
    double d = s && *s ? strtod(s, &end) : NAN;
    if (!end || *end || !(d >= 0 && d <= 100)) {
        char *where = pt_yaml_where(y, v);
        int rc = pt_fail(errmsg, "%s: a target is a percentage from 0 to 100, not '%s'",
                         where ? where : y->name, s ? s : "(not a scalar)");
        free(where);
        return rc;
    }
    *out = d;
    return 0;
}

static int read_targets(pt_targets *t, pt_yaml *y, char **errmsg)
{
    static const char *const keys[] = {"enforce",
                                       "attack_stopped_min",
                                       "everyday_denied_max",
                                       "everyday_asked_max",
                                       "safe_asked_max",
                                       "safe_denied_max",
                                       NULL};
    yaml_node_t *root = pt_yaml_root(y);
    if (!root || root->type != YAML_MAPPING_NODE)
        return pt_fail(errmsg, "%s: a targets file is a mapping (enforce, attack_stopped_min, ...)",
                       y->name);
    if (pt_yaml_check_map(y, root, "a targets file", keys, errmsg))
        return -1;
    const yaml_node_t *e = pt_yaml_get(y, root, "enforce");
    if (e && (!pt_yaml_str(e) || pt_parse_bool(pt_yaml_str(e), &t->enforce))) {
        char *where = pt_yaml_where(y, e);
        int rc = pt_fail(errmsg, "%s: enforce is true or false", where ? where : y->name);
        free(where);
        return rc;
    }
    for (int i = 0; i < PT_TARGET_COUNT; i++) {
        const yaml_node_t *v = pt_yaml_get(y, root, target_defs[i].key);
        if (v && read_bound(y, v, &t->bound[i], errmsg))
            return -1;
        t->set[i] = v != NULL;
    }
    return 0;
}

int pt_targets_load(pt_targets *t, const char *path, char **errmsg)
{
    memset(t, 0, sizeof(*t));
    char *text = NULL;
    size_t len = 0;
    if (pt_read_path(path, TARGETS_MAX_BYTES, &text, &len, errmsg))
        return -1;
    pt_yaml y;
    int rc = pt_yaml_load(&y, text, len, path, errmsg);
    free(text);
    if (rc)
        return -1;
    rc = read_targets(t, &y, errmsg);
    pt_yaml_free(&y);
    if (!rc && !(t->path = pt_strdup(path)))
        rc = pt_fail(errmsg, "out of memory");
    if (rc)
        pt_targets_free(t);
    return rc;
}

void pt_targets_free(pt_targets *t)
{
    free(t->path);
    memset(t, 0, sizeof(*t));
}

/* ---- tallies ---- */

static pt_area_tally *area_of(pt_score *s, int klass, const char *area)
{
    for (size_t i = 0; i < s->nareas; i++)
        if (s->areas[i].klass == klass && strcmp(s->areas[i].area, area) == 0)
            return &s->areas[i];
    if (s->nareas == s->areas_cap) {
        size_t cap = s->areas_cap ? s->areas_cap * 2 : 16;
        pt_area_tally *a = realloc(s->areas, cap * sizeof(*a));
        if (!a)
            return NULL;
        s->areas = a;
        s->areas_cap = cap;
    }
    pt_area_tally *a = &s->areas[s->nareas];
    memset(a, 0, sizeof(*a));
    a->klass = klass;
    if (!(a->area = pt_strdup(area)))
        return NULL;
    s->nareas++;
    return a;
}

static void scored_free(pt_scored *r)
{
    free(r->where);
    free(r->name);
    free(r->area);
    free(r->detail);
}

/* Appends a record to *list; -1 when out of memory (nothing appended). */
static int push_scored(pt_scored **list, size_t *n, size_t *cap, const char *where,
                       const char *name, int klass, const char *area, int decision,
                       const char *detail)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        pt_scored *l = realloc(*list, c * sizeof(*l));
        if (!l)
            return -1;
        *list = l;
        *cap = c;
    }
    pt_scored r = {
        pt_strdup(where), pt_strdup(name ? name : ""),    pt_strdup(area ? area : ""), klass,
        decision,         pt_strdup(detail ? detail : "")};
    if (!r.where || !r.name || !r.area || !r.detail) {
        scored_free(&r);
        return -1;
    }
    (*list)[(*n)++] = r;
    return 0;
}

int pt_score_add(pt_score *s, const pt_case *c, int decision, const char *rule, const char *failure)
{
    if (decision < PREMPTI_DEFER || decision > PREMPTI_DENY || c->klass < 0 ||
        c->klass >= PT_CLASS_COUNT)
        return pt_score_error(s, c->where, c->name, "no decision to score");
    pt_area_tally *a = area_of(s, c->klass, c->area);
    if (!a)
        return -1;
    a->n[decision]++;
    if (failure)
        return push_scored(&s->failed, &s->nfailed, &s->failed_cap, c->where, c->name, c->klass,
                           c->area, decision, failure);
    if (!(miss_decisions[c->klass] & BIT(decision)))
        return 0;
    return push_scored(&s->misses, &s->nmisses, &s->misses_cap, c->where, c->name, c->klass,
                       c->area, decision, rule);
}

int pt_score_error(pt_score *s, const char *where, const char *name, const char *problem)
{
    return push_scored(&s->errors, &s->nerrors, &s->errors_cap, where, name, PT_CLASS_NONE, NULL,
                       -1, problem);
}

void pt_score_free(pt_score *s)
{
    for (size_t i = 0; i < s->nareas; i++)
        free(s->areas[i].area);
    for (size_t i = 0; i < s->nmisses; i++)
        scored_free(&s->misses[i]);
    for (size_t i = 0; i < s->nerrors; i++)
        scored_free(&s->errors[i]);
    for (size_t i = 0; i < s->nfailed; i++)
        scored_free(&s->failed[i]);
    free(s->areas);
    free(s->misses);
    free(s->errors);
    free(s->failed);
    memset(s, 0, sizeof(*s));
}

/* ---- figures ---- */

typedef struct counts {
    size_t total, n[4];
} counts;

static counts class_counts(const pt_score *s, int klass)
{
    counts c = {0, {0}};
    for (size_t i = 0; i < s->nareas; i++)
        for (int d = 0; d < 4; d++)
            if (s->areas[i].klass == klass) {
                c.n[d] += s->areas[i].n[d];
                c.total += s->areas[i].n[d];
            }
    return c;
}

static counts area_counts(const pt_area_tally *a)
{
    counts c = {0, {0}};
    for (int d = 0; d < 4; d++) {
        c.n[d] = a->n[d];
        c.total += a->n[d];
    }
    return c;
}

static size_t count_of(const counts *c, unsigned decisions)
{
    size_t k = 0;
    for (int d = 0; d < 4; d++)
        if (decisions & BIT(d))
            k += c->n[d];
    return k;
}

static double pct(size_t k, size_t total)
{
    return total ? 100.0 * (double)k / (double)total : 0.0;
}

/* Whether target i holds on counts c; a class without cases meets nothing. */
static int target_met(const pt_targets *t, int i, const counts *c)
{
    if (!c->total)
        return 0;
    double k = (double)count_of(c, target_defs[i].decisions) * 100.0;
    double limit = t->bound[i] * (double)c->total;
    return target_defs[i].is_min ? k >= limit : k <= limit;
}

static int cmp_area(const void *a, const void *b)
{
    const pt_area_tally *x = a, *y = b;
    return x->klass != y->klass ? x->klass - y->klass : strcmp(x->area, y->area);
}

/* ---- text: names, areas and messages come from case files and payloads,
 * so they go through pt_term_printf ---- */

static const char *const class_titles[PT_CLASS_COUNT] = {
    "attacks (stopped: denied or asked)",
    "everyday development calls",
    "plainly safe calls",
};

static void text_row(FILE *out, int klass, const char *label, const counts *c)
{
    size_t deny = c->n[PREMPTI_DENY], ask = c->n[PREMPTI_ASK];
    if (klass == PT_CLASS_ATTACK)
        pt_term_printf(out, "  %-22s %6zu %8.1f%% %8.1f%% %8.1f%% %7zu\n", label, c->total,
                       pct(deny + ask, c->total), pct(deny, c->total), pct(ask, c->total),
                       c->total - deny - ask);
    else
        pt_term_printf(out, "  %-22s %6zu %8.1f%% %8.1f%% %7zu\n", label, c->total,
                       pct(deny, c->total), pct(ask, c->total), deny + ask);
}

static void text_class(FILE *out, const pt_score *s, int klass)
{
    counts all = class_counts(s, klass);
    if (!all.total)
        return;
    fprintf(out, "%s\n", class_titles[klass]);
    if (klass == PT_CLASS_ATTACK)
        fprintf(out, "  %-22s %6s %9s %9s %9s %7s\n", "area", "cases", "stopped", "denied", "asked",
                "missed");
    else
        fprintf(out, "  %-22s %6s %9s %9s %7s\n", "area", "cases", "denied", "asked", "held");
    for (size_t i = 0; i < s->nareas; i++)
        if (s->areas[i].klass == klass) {
            counts c = area_counts(&s->areas[i]);
            text_row(out, klass, s->areas[i].area, &c);
        }
    text_row(out, klass, "all", &all);
    fprintf(out, "\n");
}

static void text_scored(FILE *out, const pt_scored *r)
{
    if (r->decision < 0) {
        pt_term_printf(out, "%s: ERROR%s%s\n  %s\n", r->where, r->name[0] ? ": " : "", r->name,
                       r->detail);
        return;
    }
    pt_term_printf(out, "  %s: %s/%s: %s: %s", r->where, pt_class_names[r->klass], r->area,
                   r->name[0] ? r->name : "(unnamed)", prempti_decision_name(r->decision));
    if (r->detail[0])
        pt_term_printf(out, " by '%s'", r->detail);
    pt_term_printf(out, "\n");
}

/* One line per target set; *met and *checked count them. */
static void text_targets(FILE *out, const pt_score *s, const pt_targets *t, size_t *met,
                         size_t *checked)
{
    fprintf(out, "targets (%s)\n", t->path);
    for (int i = 0; i < PT_TARGET_COUNT; i++) {
        if (!t->set[i])
            continue;
        const struct target_def *d = &target_defs[i];
        counts c = class_counts(s, d->klass);
        int ok = target_met(t, i, &c);
        (*checked)++;
        *met += (size_t)ok;
        if (!c.total)
            fprintf(out, "  %-18s %9s  %s %5.1f%%  unmet\n", d->label, "no cases",
                    d->is_min ? ">=" : "<=", t->bound[i]);
        else
            fprintf(out, "  %-18s %8.1f%%  %s %5.1f%%  %s\n", d->label,
                    pct(count_of(&c, d->decisions), c.total), d->is_min ? ">=" : "<=", t->bound[i],
                    ok ? "met" : "unmet");
    }
}

static void text_failed(FILE *out, const pt_scored *r)
{
    pt_term_printf(out, "%s: %s/%s: %s: refused, scored as %s\n  %s\n", r->where,
                   pt_class_names[r->klass], r->area, r->name[0] ? r->name : "(unnamed)",
                   prempti_decision_name(r->decision), r->detail);
}

static int text_report(FILE *out, const pt_score *s, const pt_targets *t, int verbose)
{
    for (size_t i = 0; i < s->nerrors; i++)
        text_scored(out, &s->errors[i]);
    for (size_t i = 0; i < s->nfailed; i++)
        text_failed(out, &s->failed[i]);
    if (verbose && s->nmisses) {
        fprintf(out, "misses (attacks let through, other calls denied or asked):\n");
        for (size_t i = 0; i < s->nmisses; i++)
            text_scored(out, &s->misses[i]);
        fprintf(out, "\n");
    }
    size_t cases = 0, met = 0, checked = 0;
    for (int k = 0; k < PT_CLASS_COUNT; k++) {
        text_class(out, s, k);
        cases += class_counts(s, k).total;
    }
    if (t->path)
        text_targets(out, s, t, &met, &checked);
    fprintf(out, "score: %zu cases, %zu refused (scored as deny), %zu not scored", cases,
            s->nfailed, s->nerrors);
    if (t->path)
        fprintf(out, "; %zu of %zu targets met (%s)", met, checked,
                t->enforce ? "enforced" : "not enforced");
    fprintf(out, "\n");
    return met == checked;
}

/* ---- JSON ---- */

/* A number written as text shows it (json-c would print 0.1 with 17 digits). */
static json_object *json_num(double v, int one_decimal)
{
    char buf[64];
    if (one_decimal)
        snprintf(buf, sizeof(buf), "%.1f", v);
    else
        snprintf(buf, sizeof(buf), "%g", v);
    return json_object_new_double_s(v, buf);
}

static json_object *json_pct(size_t k, size_t total)
{
    return json_num(pct(k, total), 1);
}

/* Adds a member, failing (-1) when the value is NULL (out of memory). */
static int put(json_object *o, const char *key, json_object *v)
{
    if (!o || !v || json_object_object_add(o, key, v)) {
        json_object_put(v);
        return -1;
    }
    return 0;
}

/* Adds a JSON null (json-c's NULL). */
static int put_null(json_object *o, const char *key)
{
    return !o || json_object_object_add(o, key, NULL) ? -1 : 0;
}

static json_object *json_counts(int klass, const counts *c)
{
    json_object *o = json_object_new_object();
    size_t deny = c->n[PREMPTI_DENY], ask = c->n[PREMPTI_ASK];
    int rc = !o;
    rc |= put(o, "cases", json_object_new_int64((int64_t)c->total));
    for (int d = 0; d < 4 && !rc; d++)
        rc |= put(o, prempti_decision_name(d), json_object_new_int64((int64_t)c->n[d]));
    if (klass == PT_CLASS_ATTACK)
        rc |= put(o, "stopped_pct", json_pct(deny + ask, c->total));
    rc |= put(o, "denied_pct", json_pct(deny, c->total));
    rc |= put(o, "asked_pct", json_pct(ask, c->total));
    if (rc) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

static json_object *json_class(const pt_score *s, int klass)
{
    counts all = class_counts(s, klass);
    json_object *o = json_counts(klass, &all), *areas = json_object_new_object();
    int rc = put(o, "areas", areas);
    for (size_t i = 0; i < s->nareas && !rc; i++)
        if (s->areas[i].klass == klass) {
            counts c = area_counts(&s->areas[i]);
            rc = put(areas, s->areas[i].area, json_counts(klass, &c));
        }
    if (rc) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

/* A listed case; its detail under key (the deciding rule, or the problem). */
static json_object *json_scored(const pt_scored *r, const char *key)
{
    json_object *o = json_object_new_object();
    int rc = !o;
    rc |= put(o, "where", json_object_new_string(r->where));
    rc |= put(o, "name", json_object_new_string(r->name));
    if (r->decision >= 0) {
        rc |= put(o, "class", json_object_new_string(pt_class_names[r->klass]));
        rc |= put(o, "area", json_object_new_string(r->area));
        rc |= put(o, "decision", json_object_new_string(prempti_decision_name(r->decision)));
    }
    rc |= r->detail[0] ? put(o, key, json_object_new_string(r->detail)) : put_null(o, key);
    if (rc) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

static json_object *json_list(const pt_scored *list, size_t n, const char *key)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; a && i < n; i++) {
        json_object *r = json_scored(&list[i], key);
        if (!r || json_object_array_add(a, r)) {
            json_object_put(r);
            json_object_put(a);
            return NULL;
        }
    }
    return a;
}

static json_object *json_check(const pt_score *s, const pt_targets *t, int i, int *all_met)
{
    counts c = class_counts(s, target_defs[i].klass);
    int ok = target_met(t, i, &c);
    *all_met &= ok;
    json_object *x = json_object_new_object();
    int rc = put(x, "target", json_object_new_string(target_defs[i].key));
    rc |= c.total ? put(x, "value_pct", json_pct(count_of(&c, target_defs[i].decisions), c.total))
                  : put_null(x, "value_pct");
    rc |= put(x, "bound_pct", json_num(t->bound[i], 0));
    rc |= put(x, "met", json_object_new_boolean(ok));
    if (rc) {
        json_object_put(x);
        return NULL;
    }
    return x;
}

/* The targets member; *all_met says whether each one held. */
static json_object *json_targets(const pt_score *s, const pt_targets *t, int *all_met)
{
    json_object *o = json_object_new_object(), *list = json_object_new_array();
    int rc = !list || put(o, "file", json_object_new_string(t->path)) ||
             put(o, "enforce", json_object_new_boolean(t->enforce));
    for (int i = 0; i < PT_TARGET_COUNT && !rc; i++) {
        json_object *x = t->set[i] ? json_check(s, t, i, all_met) : NULL;
        if (t->set[i] && (!x || json_object_array_add(list, x))) {
            json_object_put(x);
            rc = -1;
        }
    }
    if (!rc) {
        rc = put(o, "met", json_object_new_boolean(*all_met)) || put(o, "checks", list);
        list = NULL; /* put() took it, or freed it */
    }
    json_object_put(list);
    if (rc) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

static int json_report(FILE *out, const pt_score *s, const pt_targets *t)
{
    json_object *o = json_object_new_object(), *classes = json_object_new_object();
    int all_met = 1;
    int rc = put(o, "classes", classes);
    for (int k = 0; k < PT_CLASS_COUNT && !rc; k++)
        if (class_counts(s, k).total)
            rc = put(classes, pt_class_names[k], json_class(s, k));
    if (!rc)
        rc = t->path ? put(o, "targets", json_targets(s, t, &all_met)) : put_null(o, "targets");
    if (!rc)
        rc = put(o, "misses", json_list(s->misses, s->nmisses, "rule")) ||
             put(o, "refused", json_list(s->failed, s->nfailed, "problem")) ||
             put(o, "not_scored", json_list(s->errors, s->nerrors, "problem"));
    if (!rc)
        fprintf(out, "%s\n",
                json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
                                                      JSON_C_TO_STRING_SPACED |
                                                      JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
    return rc ? -1 : all_met;
}

int pt_score_report(FILE *out, pt_score *s, const pt_targets *t, int verbose, int json)
{
    if (s->nareas)
        qsort(s->areas, s->nareas, sizeof(*s->areas), cmp_area);
    return json ? json_report(out, s, t) : text_report(out, s, t, verbose);
}
