/* Fuzz target: a rules file against every fixed event, through evaluation
 * and explanation, in three engines: the defaults, floor=allow and
 * mode=monitor. Besides fz_check_result() on every result (valid JSON
 * everywhere, one-line audit records, a deny always blocks), the engines
 * must agree: monitor answers defer and would decide what the default
 * engine decides; floor=allow changes only the calls nothing decides. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

enum { DEFAULTS, FLOOR_ALLOW, MONITOR, NENGINES };

static const char *const configs[NENGINES] = {NULL, "floor=allow", "mode=monitor"};

static int decide(const prempti_engine *e, const prempti_event *ev, int *would_be)
{
    prempti_result *r = NULL;
    prempti_error *err = NULL;
    int rc = prempti_evaluate(&r, e, ev, &err);
    FZ_CHECK(rc == PREMPTI_OK || rc == PREMPTI_E_LIMIT, "evaluate: %s", prempti_error_message(err));
    prempti_error_free(err);
    if (rc != PREMPTI_OK)
        return -1;
    fz_check_result(e, ev, r, 0);
    int d = prempti_result_decision(r);
    *would_be = prempti_result_would_be(r);
    prempti_result_free(r);
    return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static prempti_event *const *events;
    static prempti_config *cfgs[NENGINES];
    if (!events) {
        events = fz_fixed_events();
        for (int k = 0; k < NENGINES; k++)
            cfgs[k] = fz_config(configs[k]);
    }
    prempti_engine *e[NENGINES] = {NULL};
    int loaded = 0;
    for (int k = 0; k < NENGINES; k++) {
        prempti_error *err = NULL;
        FZ_CHECK(prempti_engine_new(&e[k], cfgs[k], NULL) == PREMPTI_OK, "engine");
        int rc = prempti_engine_load_rules(e[k], (const char *)data, size, "eval.yaml", &err);
        FZ_CHECK(rc == PREMPTI_OK || (err && prempti_error_message(err)[0]), "no message");
        FZ_CHECK(k == 0 || (rc == PREMPTI_OK) == loaded, "the options changed whether it loads");
        loaded = rc == PREMPTI_OK;
        prempti_error_free(err);
    }
    for (size_t i = 0; loaded && i < fz_nevents; i++) {
        int wb[NENGINES], d[NENGINES];
        for (int k = 0; k < NENGINES; k++)
            d[k] = decide(e[k], events[i], &wb[k]);
        if (d[DEFAULTS] < 0 || d[FLOOR_ALLOW] < 0 || d[MONITOR] < 0)
            continue;
        FZ_CHECK(d[MONITOR] == PREMPTI_DEFER && wb[MONITOR] == d[DEFAULTS],
                 "monitor: %d would be %d, guardrails %d", d[MONITOR], wb[MONITOR], d[DEFAULTS]);
        FZ_CHECK(d[FLOOR_ALLOW] == (d[DEFAULTS] == PREMPTI_DEFER ? PREMPTI_ALLOW : d[DEFAULTS]),
                 "floor=allow gives %d where the default gives %d", d[FLOOR_ALLOW], d[DEFAULTS]);
        prempti_error *err = NULL;
        char *why = NULL;
        int rc = prempti_explain(&why, e[DEFAULTS], events[i], &err);
        FZ_CHECK(rc == PREMPTI_OK || rc == PREMPTI_E_LIMIT, "explain: %s",
                 prempti_error_message(err));
        FZ_CHECK(rc != PREMPTI_OK || fz_json_valid(why, strlen(why)), "explanation: %s", why);
        prempti_free(why);
        prempti_error_free(err);
    }
    for (int k = 0; k < NENGINES; k++)
        prempti_engine_free(e[k]);
    return 0;
}
