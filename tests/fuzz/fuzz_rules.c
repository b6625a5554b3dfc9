/* Fuzz target: any bytes as a rules file. A load either succeeds or fails
 * with a diagnostic; a failed load leaves the engine usable and unchanged. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <prempti/prempti.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base[] = "- rule: base\n  desc: d\n  condition: tool.name = Bash\n"
                           "  output: base %tool.name\n  priority: INFO\n"
                           "  source: coding_agent\n  tags: [coding_agent_ask]\n";
static const char event[] = "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\","
                            "\"tool_input\":{\"command\":\"ls\"},\"cwd\":\"/\"}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    prempti_engine *e = NULL;
    if (prempti_engine_new(&e, NULL, NULL) ||
        prempti_engine_load_rules(e, base, sizeof(base) - 1, "base", NULL))
        __builtin_trap();
    prempti_error *err = NULL;
    int rc = prempti_engine_load_rules(e, (const char *)data, size, "fuzz.yaml", &err);
    if (rc != PREMPTI_OK && (!err || !prempti_error_message(err)[0]))
        __builtin_trap();
    if (rc != PREMPTI_OK && prempti_engine_rule_count(e) != 1)
        __builtin_trap(); /* the failed load changed the engine */
    prempti_error_free(err);
    prempti_event *ev = NULL;
    prempti_result *r = NULL;
    if (prempti_event_from_json(&ev, NULL, event, sizeof(event) - 1, NULL) ||
        prempti_evaluate(&r, e, ev, NULL))
        __builtin_trap();
    prempti_result_free(r);
    prempti_event_free(ev);
    prempti_engine_free(e);
    return 0;
}
