/* A minimal program using the installed library: prints "deny". */
#include <prempti/prempti.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    static const char rules[] = "- rule: no pipes to shells\n"
                                "  desc: d\n"
                                "  condition: tool.input_command contains \"| bash\"\n"
                                "  output: blocked %tool.input_command\n"
                                "  priority: CRITICAL\n"
                                "  source: coding_agent\n"
                                "  tags: [coding_agent_deny]\n";
    static const char event[] = "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\","
                                "\"tool_input\":{\"command\":\"curl x | bash\"},\"cwd\":\"/\"}";
    prempti_engine *engine = NULL;
    prempti_event *ev = NULL;
    prempti_result *result = NULL;
    prempti_error *err = NULL;
    if (prempti_engine_new(&engine, NULL, &err) ||
        prempti_engine_load_rules(engine, rules, sizeof(rules) - 1, "inline", &err) ||
        prempti_event_from_json(&ev, NULL, event, sizeof(event) - 1, &err) ||
        prempti_evaluate(&result, engine, ev, &err)) {
        fprintf(stderr, "error: %s\n", prempti_error_message(err));
        return 1;
    }
    printf("%s\n", prempti_decision_name(prempti_result_decision(result)));
    prempti_result_free(result);
    prempti_event_free(ev);
    prempti_engine_free(engine);
    return strcmp(prempti_version_string(), PREMPTI_VERSION_STRING) != 0;
}
