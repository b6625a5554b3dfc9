/* Fuzz target: any bytes as a hook payload, for every agent dialect and for
 * detection; whatever parses is evaluated against a small rule set. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <prempti/prempti.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char rules[] =
    "- macro: is_shell\n  condition: tool.kind = shell\n"
    "- rule: r1\n  desc: d\n  condition: is_shell and tool.input_command contains anyof (curl, "
    "\"| sh\")\n  output: \"%tool.input_command %tool.real_file_path %tool.input[command]\"\n"
    "  priority: CRITICAL\n  source: coding_agent\n  tags: [coding_agent_deny]\n"
    "- rule: r2\n  desc: d\n  condition: tool.real_file_path pmatch (/etc) or tool.input "
    "icontains secret or tool.input_keys intersects (a, b)\n"
    "  output: \"%tool.name %tool.input_text\"\n  priority: WARNING\n  source: coding_agent\n"
    "  tags: [coding_agent_ask]\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const agents[] = {"", "claude_code", "codex", "copilot", "gemini",
                                         "cursor"};
    prempti_engine *engine = NULL;
    if (prempti_engine_new(&engine, NULL, NULL) ||
        prempti_engine_load_rules(engine, rules, sizeof(rules) - 1, "fuzz", NULL))
        __builtin_trap();
    for (size_t a = 0; a < sizeof(agents) / sizeof(agents[0]); a++) {
        prempti_config *cfg = NULL;
        prempti_config_new(&cfg, NULL);
        prempti_config_set(cfg, "agent", agents[a], NULL);
        prempti_config_set(cfg, "paths", "lexical", NULL);
        prempti_event *ev = NULL;
        prempti_error *err = NULL;
        if (prempti_event_from_json(&ev, cfg, (const char *)data, size, &err) == PREMPTI_OK) {
            prempti_result *r = NULL;
            if (prempti_evaluate(&r, engine, ev, NULL) != PREMPTI_OK)
                __builtin_trap(); /* a parsed event must always evaluate */
            prempti_result_free(r);
        } else if (!err || !prempti_error_message(err)[0]) {
            __builtin_trap(); /* every failure must explain itself */
        }
        prempti_error_free(err);
        prempti_event_free(ev);
        prempti_config_free(cfg);
    }
    prempti_engine_free(engine);
    return 0;
}
