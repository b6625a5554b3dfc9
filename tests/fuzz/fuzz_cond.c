/* Fuzz target: a condition (the first line) and an output (the rest),
 * placed in one rule beside fixed lists and macros it may use, loaded, and
 * evaluated with explanations against every fixed event. A condition either
 * compiles or fails with a diagnostic; a compiled one must evaluate on every
 * event and pass fz_check_result(). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static const char prelude[] =
    "- list: l1\n  items: [a, \"b c\", /etc, curl, Bash, \"*\"]\n"
    "- list: l2\n  items: [l1, sh, bash]\n"
    "- macro: m1\n  condition: tool.kind = shell\n"
    "- macro: m2\n  condition: m1 and shell.commands intersects (l2)\n"
    "- macro: m3\n  condition: (m2 or tool.real_file_path startswith /etc) and not m1\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static prempti_event *const *events;
    if (!events) {
        events = fz_fixed_events();
        prempti_engine_free(fz_engine(prelude, sizeof(prelude) - 1, NULL)); /* it loads */
    }
    const uint8_t *cond, *out;
    size_t cond_len, out_len;
    fz_split_line(data, size, &cond, &cond_len, &out, &out_len);
    char *qc = fz_yaml_quote(cond, cond_len), *qo = fz_yaml_quote(out, out_len);
    char *rules =
        fz_fmt("%s- rule: fuzz\n  desc: d\n  condition: %s\n  output: %s\n"
               "  priority: WARNING\n  source: coding_agent\n  tags: [coding_agent_deny]\n",
               prelude, qc, qo);
    prempti_engine *e = NULL;
    prempti_error *err = NULL;
    FZ_CHECK(prempti_engine_new(&e, NULL, NULL) == PREMPTI_OK, "engine");
    int rc = prempti_engine_load_rules(e, rules, strlen(rules), "cond.yaml", &err);
    if (rc == PREMPTI_OK) {
        for (size_t i = 0; i < fz_nevents; i++)
            fz_evaluate(e, events[i], 1);
    } else {
        FZ_CHECK(err && prempti_error_message(err)[0], "a failed load without a message");
        FZ_CHECK(rc == PREMPTI_E_RULE || rc == PREMPTI_E_LIMIT || rc == PREMPTI_E_YAML,
                 "load returned %d: %s", rc, prempti_error_message(err));
    }
    prempti_error_free(err);
    prempti_engine_free(e);
    free(rules);
    free(qc);
    free(qo);
    return 0;
}
