/* Fuzz target: an output format (the first line) and a reason suffix (the
 * rest, up to a NUL). The suffix is set as the engine's reason_suffix, the
 * format is the output of a rule that matches every event and denies. Each
 * compiles or fails with a message; compiled, every fixed event is denied
 * with a reason that starts with the rule's name, and the result passes
 * fz_check_result(). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    prempti_event *const *events = fz_fixed_events();
    const uint8_t *fmt, *suffix;
    size_t fmt_len, suffix_len;
    fz_split_line(data, size, &fmt, &fmt_len, &suffix, &suffix_len);
    char *sfx = fz_strndup(suffix, suffix_len); /* a NUL ends it, as for any option */
    prempti_config *cfg = fz_config(NULL);
    prempti_error *err = NULL;
    prempti_engine *e = NULL;
    if (prempti_config_set(cfg, "reason_suffix", sfx, &err) != PREMPTI_OK ||
        prempti_engine_new(&e, cfg, &err) != PREMPTI_OK) {
        FZ_CHECK(err && prempti_error_message(err)[0], "a bad suffix without a message");
        goto done;
    }
    char *q = fz_yaml_quote(fmt, fmt_len);
    char *rules = fz_fmt("- rule: every call\n  desc: d\n  condition: evt.source = coding_agent\n"
                         "  output: %s\n  priority: ERROR\n  source: coding_agent\n"
                         "  tags: [coding_agent_deny]\n",
                         q);
    int rc = prempti_engine_load_rules(e, rules, strlen(rules), "format.yaml", &err);
    free(q);
    free(rules);
    if (rc != PREMPTI_OK) {
        FZ_CHECK(err && prempti_error_message(err)[0], "a bad output without a message");
        goto done;
    }
    for (size_t i = 0; i < fz_nevents; i++) {
        prempti_result *r = NULL;
        FZ_CHECK(prempti_evaluate(&r, e, events[i], NULL) == PREMPTI_OK, "evaluate");
        FZ_CHECK(prempti_result_decision(r) == PREMPTI_DENY, "not denied");
        FZ_CHECK(strncmp(prempti_result_reason(r), "every call", 10) == 0, "reason %s",
                 prempti_result_reason(r));
        fz_check_result(e, events[i], r, 0);
        prempti_result_free(r);
    }
done:
    prempti_error_free(err);
    prempti_engine_free(e);
    prempti_config_free(cfg);
    free(sfx);
    return 0;
}
