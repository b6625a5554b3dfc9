/* Fuzz target: any bytes as a rules file, loaded after a base file. A load
 * either succeeds or fails with a diagnostic and leaves the engine exactly
 * as it was; either way the engine then evaluates every fixed event, and
 * the results pass fz_check_result(). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static const char base[] = "- list: base_tools\n  items: [Bash, Read]\n"
                           "- macro: base_shell\n  condition: tool.name in (base_tools)\n"
                           "- rule: base\n  desc: d\n  condition: base_shell\n"
                           "  output: base %tool.name\n  priority: INFO\n"
                           "  source: coding_agent\n  tags: [coding_agent_ask]\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    prempti_event *const *events = fz_fixed_events();
    prempti_engine *e = fz_engine(base, sizeof(base) - 1, NULL);
    prempti_error *err = NULL;
    int rc = prempti_engine_load_rules(e, (const char *)data, size, "fuzz.yaml", &err);
    FZ_CHECK(rc == PREMPTI_OK || (err && prempti_error_message(err)[0]),
             "a failed load without a message (%d)", rc);
    FZ_CHECK(rc == PREMPTI_OK || rc == PREMPTI_E_YAML || rc == PREMPTI_E_RULE ||
                 rc == PREMPTI_E_LIMIT,
             "load returned %d", rc);
    if (rc != PREMPTI_OK) {
        FZ_CHECK(prempti_engine_rule_count(e) == 1 &&
                     strcmp(prempti_engine_rule_name(e, 0), "base") == 0,
                 "the failed load changed the engine");
    }
    for (size_t i = 0; i < prempti_engine_warning_count(e); i++)
        FZ_CHECK(prempti_error_message(prempti_engine_warning(e, i))[0], "an empty warning");
    prempti_error_free(err);
    for (size_t i = 0; i < fz_nevents; i++)
        fz_evaluate(e, events[i], 0); /* fuzz_eval explains */
    prempti_engine_free(e);
    return 0;
}
