/*
 * What embedders need beyond evaluation: rule metadata, answering an agent
 * of the caller's choosing (prempti_response_render(), events in the
 * neutral shape), and the argument checks of the entry points.
 */
#include <stdio.h>
#include <string.h>

#include "output/response_internal.h"
#include "test_util.h"

static const char first_file[] = "- list: shells\n"
                                 "  items: [bash, sh]\n"
                                 "- rule: Deny curl\n"
                                 "  desc: no downloads\n"
                                 "  condition: tool.input_command contains curl\n"
                                 "  output: curl %tool.input_command\n"
                                 "  priority: ERROR\n"
                                 "  source: coding_agent\n"
                                 "  tags: [net, coding_agent_deny]\n"
                                 "- rule: Note\n"
                                 "  desc: \" \"\n"
                                 "  condition: tool.kind = read\n"
                                 "  output: read\n"
                                 "  priority: INFO\n"
                                 "  source: coding_agent\n";
/* Redefines "Deny curl" (it keeps its place) and adds a rule, indented. */
static const char second_file[] = "# the second file\n"
                                  "-   rule: Deny curl\n"
                                  "    desc: still no downloads\n"
                                  "    condition: tool.input_command contains wget\n"
                                  "    output: wget\n"
                                  "    priority: CRITICAL\n"
                                  "    source: coding_agent\n"
                                  "-   rule: Other source\n"
                                  "    desc: d\n"
                                  "    condition: evt.type = open\n"
                                  "    output: o\n"
                                  "    priority: DEBUG\n"
                                  "    source: syscall\n"
                                  "    tags: []\n";

START_TEST(rule_metadata)
{
    prempti_engine *e = NULL;
    prempti_error *err = NULL;
    ck_assert_int_eq(prempti_engine_new(&e, NULL, &err), PREMPTI_OK);
    ck_assert_int_eq(
        prempti_engine_load_rules(e, first_file, strlen(first_file), "first.yaml", &err),
        PREMPTI_OK);
    ck_assert_uint_eq(prempti_engine_rule_count(e), 2);
    ck_assert_str_eq(prempti_engine_rule_description(e, 0), "no downloads");
    ck_assert_str_eq(prempti_engine_rule_description(e, 1), " ");
    ck_assert_int_eq(prempti_engine_rule_priority(e, 0), PREMPTI_PRIORITY_ERROR);
    ck_assert_int_eq(prempti_engine_rule_priority(e, 1), PREMPTI_PRIORITY_INFORMATIONAL);
    ck_assert_uint_eq(prempti_engine_rule_tag_count(e, 0), 2);
    ck_assert_str_eq(prempti_engine_rule_tag(e, 0, 0), "coding_agent_deny"); /* sorted */
    ck_assert_str_eq(prempti_engine_rule_tag(e, 0, 1), "net");
    ck_assert_ptr_null(prempti_engine_rule_tag(e, 0, 2));
    ck_assert_uint_eq(prempti_engine_rule_tag_count(e, 1), 0);
    ck_assert_str_eq(prempti_engine_rule_file(e, 0), "first.yaml");
    ck_assert_uint_eq(prempti_engine_rule_line(e, 0), 3);
    ck_assert_uint_eq(prempti_engine_rule_column(e, 0), 3);
    ck_assert_uint_eq(prempti_engine_rule_line(e, 1), 10);

    ck_assert_int_eq(prempti_engine_load_rules(e, second_file, strlen(second_file), NULL, &err),
                     PREMPTI_OK);
    ck_assert_uint_eq(prempti_engine_rule_count(e), 3);
    ck_assert_str_eq(prempti_engine_rule_name(e, 0), "Deny curl");
    ck_assert_str_eq(prempti_engine_rule_description(e, 0), "still no downloads");
    ck_assert_int_eq(prempti_engine_rule_priority(e, 0), PREMPTI_PRIORITY_CRITICAL);
    ck_assert_uint_eq(prempti_engine_rule_tag_count(e, 0), 0);
    ck_assert_str_eq(prempti_engine_rule_file(e, 0), "<rules>");
    ck_assert_uint_eq(prempti_engine_rule_line(e, 0), 2);
    ck_assert_uint_eq(prempti_engine_rule_column(e, 0), 5);
    ck_assert_str_eq(prempti_engine_rule_file(e, 1), "first.yaml");
    ck_assert_str_eq(prempti_engine_rule_name(e, 2), "Other source");
    ck_assert_int_eq(prempti_engine_rule_active(e, 2), 0);
    ck_assert_int_eq(prempti_engine_rule_priority(e, 2), PREMPTI_PRIORITY_DEBUG);
    ck_assert_uint_eq(prempti_engine_rule_line(e, 2), 8);

    /* out of range, and a NULL engine */
    ck_assert_ptr_null(prempti_engine_rule_description(e, 3));
    ck_assert_int_eq(prempti_engine_rule_priority(e, 3), -1);
    ck_assert_uint_eq(prempti_engine_rule_tag_count(e, 3), 0);
    ck_assert_ptr_null(prempti_engine_rule_tag(e, 3, 0));
    ck_assert_ptr_null(prempti_engine_rule_file(e, 3));
    ck_assert_uint_eq(prempti_engine_rule_line(e, 3), 0);
    ck_assert_uint_eq(prempti_engine_rule_column(e, 3), 0);
    ck_assert_ptr_null(prempti_engine_rule_description(NULL, 0));
    ck_assert_int_eq(prempti_engine_rule_priority(NULL, 0), -1);
    ck_assert_ptr_null(prempti_engine_rule_file(NULL, 0));
    prempti_engine_free(e);

    /* an engine with no rules yet */
    ck_assert_int_eq(prempti_engine_new(&e, NULL, NULL), PREMPTI_OK);
    ck_assert_ptr_null(prempti_engine_rule_description(e, 0));
    ck_assert_uint_eq(prempti_engine_rule_line(e, 0), 0);
    prempti_engine_free(e);
}
END_TEST

/* Rules files read from paths name their path. */
START_TEST(rule_metadata_from_files)
{
    prempti_engine *e = NULL;
    ck_assert_int_eq(prempti_engine_new(&e, NULL, NULL), PREMPTI_OK);
    const char *path = PREMPTI_SOURCE_DIR "/rules";
    ck_assert_int_eq(prempti_engine_load_rules_path(e, path, NULL), PREMPTI_OK);
    size_t n = prempti_engine_rule_count(e);
    ck_assert_uint_gt(n, 0);
    for (size_t i = 0; i < n; i++) {
        const char *file = prempti_engine_rule_file(e, i);
        ck_assert_msg(strncmp(file, path, strlen(path)) == 0, "%s", file);
        ck_assert_uint_gt(prempti_engine_rule_line(e, i), 0);
        ck_assert_uint_gt(prempti_engine_rule_column(e, i), 0);
        ck_assert_int_ge(prempti_engine_rule_priority(e, i), PREMPTI_PRIORITY_EMERGENCY);
        ck_assert_int_le(prempti_engine_rule_priority(e, i), PREMPTI_PRIORITY_DEBUG);
        ck_assert_ptr_nonnull(prempti_engine_rule_description(e, i));
    }
    prempti_engine_free(e);
}
END_TEST

/* The default hook event of each agent is its pre-tool event, and the
 * answer equals the table's row for it. */
START_TEST(render_for_any_agent)
{
    static const struct {
        const char *agent, *hook;
    } pre[] = {{"claude_code", "PreToolUse"},
               {"codex", "PreToolUse"},
               {"copilot", "preToolUse"},
               {"gemini", "BeforeTool"},
               {"cursor", "preToolUse"}};
    for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
        for (int d = PREMPTI_DEFER; d <= PREMPTI_DENY; d++) {
            prempti_response *a = NULL, *b = NULL, *c = NULL;
            ck_assert_int_eq(prempti_response_render(&a, pre[i].agent, NULL, d, "why", NULL, NULL),
                             PREMPTI_OK);
            ck_assert_int_eq(prempti_response_render(&b, pre[i].agent, "", d, "why", NULL, NULL),
                             PREMPTI_OK);
            ck_assert_int_eq(pe_response_render(&c, pre[i].agent, pre[i].hook, d, "why", NULL),
                             PREMPTI_OK);
            ck_assert_str_eq(prempti_response_stdout(a), prempti_response_stdout(c));
            ck_assert_str_eq(prempti_response_stderr(a), prempti_response_stderr(c));
            ck_assert_int_eq(prempti_response_exit_code(a), prempti_response_exit_code(c));
            ck_assert_str_eq(prempti_response_stdout(b), prempti_response_stdout(c));
            prempti_response_free(a);
            prempti_response_free(b);
            prempti_response_free(c);
        }
    }
    prempti_response *r = NULL;
    ck_assert_int_eq(prempti_response_render(&r, "claude_code", "PermissionRequest", PREMPTI_DENY,
                                             NULL, NULL, NULL),
                     PREMPTI_OK);
    /* a blocking answer never goes out without a reason */
    ck_assert_ptr_nonnull(strstr(prempti_response_stdout(r), "blocked by a policy rule"));
    prempti_response_free(r);
    prempti_error *err = NULL;
    r = (prempti_response *)1;
    ck_assert_int_eq(prempti_response_render(&r, "acme", NULL, PREMPTI_DENY, "x", NULL, &err),
                     PREMPTI_E_UNSUPPORTED);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(prempti_error_message(err), "acme"));
    prempti_error_free(err);
    ck_assert_int_eq(prempti_response_render(&r, NULL, NULL, PREMPTI_DENY, "x", NULL, NULL),
                     PREMPTI_E_UNSUPPORTED);
    ck_assert_int_eq(
        prempti_response_render(&r, "codex", "PostToolUse", PREMPTI_DENY, "x", NULL, NULL),
        PREMPTI_E_UNSUPPORTED);
    ck_assert_int_eq(prempti_response_render(&r, "codex", NULL, 4, "x", NULL, NULL),
                     PREMPTI_E_INVALID_ARG);
    ck_assert_int_eq(prempti_response_render(NULL, "codex", NULL, 0, "x", NULL, NULL),
                     PREMPTI_E_INVALID_ARG);
}
END_TEST

#define DENY_ALL                                                                                   \
    "- rule: Deny make\n  desc: d\n  condition: tool.input_command startswith make\n"              \
    "  output: no make\n  priority: ERROR\n  source: coding_agent\n  tags: [coding_agent_deny]\n"

/* A neutral event whose agent libprempti can answer gets that agent's
 * pre-tool answer; any other agent name cannot be answered. */
START_TEST(neutral_events_are_answered_by_agent_name)
{
    prempti_engine *e = pe_test_engine(DENY_ALL, NULL);
    static const char *const names[] = {"codex", "acme"};
    for (size_t i = 0; i < 2; i++) {
        char json[256];
        snprintf(json, sizeof(json),
                 "{\"agent\":\"%s\",\"tool\":{\"kind\":\"shell\",\"input\":{\"command\":"
                 "\"make\"}}}",
                 names[i]);
        prempti_event *ev = pe_test_event(json, NULL);
        prempti_result *r = NULL;
        ck_assert_int_eq(prempti_evaluate(&r, e, ev, NULL), PREMPTI_OK);
        ck_assert_int_eq(prempti_result_decision(r), PREMPTI_DENY);
        prempti_response *resp = NULL;
        prempti_error *err = NULL;
        int rc = prempti_response_new(&resp, r, &err);
        if (i == 0) {
            ck_assert_int_eq(rc, PREMPTI_OK);
            ck_assert_ptr_nonnull(
                strstr(prempti_response_stdout(resp), "\"permissionDecision\":\"deny\""));
            ck_assert_ptr_nonnull(strstr(prempti_response_stderr(resp), "Deny make: no make"));
        } else {
            ck_assert_int_eq(rc, PREMPTI_E_UNSUPPORTED);
            ck_assert_ptr_null(resp);
            ck_assert_ptr_nonnull(strstr(prempti_error_message(err), "'acme'"));
        }
        prempti_error_free(err);
        prempti_response_free(resp);
        prempti_result_free(r);
        prempti_event_free(ev);
    }
    prempti_engine_free(e);
}
END_TEST

#define ASK_MAKE                                                                                   \
    "- rule: Ask make\n  desc: d\n  condition: tool.input_command startswith make\n"               \
    "  output: make %tool.input_command\n  priority: ERROR\n  source: coding_agent\n"              \
    "  tags: [coding_agent_ask]\n"

/* Rendering a result's decision, reason and user text (the deciding rule's
 * "<rule>: <output>") gives exactly prempti_response_new()'s answer. */
START_TEST(render_equals_response_new)
{
    static const char *const agents[] = {"claude_code", "codex", "copilot", "gemini", "cursor"};
    static const char *const packs[] = {DENY_ALL, ASK_MAKE};
    for (size_t p = 0; p < 2; p++) {
        prempti_engine *e = pe_test_engine(packs[p], NULL);
        for (size_t i = 0; i < sizeof(agents) / sizeof(agents[0]); i++) {
            char json[256];
            snprintf(json, sizeof(json),
                     "{\"agent\":\"%s\",\"tool\":{\"kind\":\"shell\",\"input\":{\"command\":"
                     "\"make all\"}}}",
                     agents[i]);
            prempti_event *ev = pe_test_event(json, NULL);
            prempti_result *r = NULL;
            ck_assert_int_eq(prempti_evaluate(&r, e, ev, NULL), PREMPTI_OK);
            char user[256];
            snprintf(user, sizeof(user), "%s: %s", prempti_result_match_rule(r, 0),
                     prempti_result_match_output(r, 0));
            prempti_response *a = NULL, *b = NULL;
            ck_assert_int_eq(prempti_response_new(&a, r, NULL), PREMPTI_OK);
            ck_assert_int_eq(prempti_response_render(&b, agents[i], NULL,
                                                     prempti_result_decision(r),
                                                     prempti_result_reason(r), user, NULL),
                             PREMPTI_OK);
            ck_assert_str_eq(prempti_response_stdout(a), prempti_response_stdout(b));
            ck_assert_str_eq(prempti_response_stderr(a), prempti_response_stderr(b));
            ck_assert_int_eq(prempti_response_exit_code(a), prempti_response_exit_code(b));
            prempti_response_free(a);
            prempti_response_free(b);
            prempti_result_free(r);
            prempti_event_free(ev);
        }
        prempti_engine_free(e);
    }
}
END_TEST

START_TEST(entry_points_check_arguments)
{
    prempti_error *err = NULL;
    ck_assert_int_eq(prempti_engine_new(NULL, NULL, &err), PREMPTI_E_INVALID_ARG);
    ck_assert_int_eq(prempti_error_code(err), PREMPTI_E_INVALID_ARG);
    prempti_error_free(err);
    /* a bad reason_suffix is refused when set, so an engine is never built
     * with one */
    prempti_config *cfg = NULL;
    ck_assert_int_eq(prempti_config_new(&cfg, NULL), PREMPTI_OK);
    ck_assert_int_eq(prempti_config_set(cfg, "reason_suffix", " | %tool.nam", &err),
                     PREMPTI_E_INVALID_ARG);
    ck_assert_ptr_nonnull(
        strstr(prempti_error_message(err), "invalid reason_suffix at offset 4: unknown filter"));
    prempti_error_free(err);
    prempti_engine *e = NULL;
    ck_assert_int_eq(prempti_engine_new(&e, cfg, NULL), PREMPTI_OK);
    prempti_engine_free(e);
    prempti_config_free(cfg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("embed");
    TCase *tc = tcase_create("embed");
    tcase_add_test(tc, rule_metadata);
    tcase_add_test(tc, rule_metadata_from_files);
    tcase_add_test(tc, render_for_any_agent);
    tcase_add_test(tc, neutral_events_are_answered_by_agent_name);
    tcase_add_test(tc, render_equals_response_new);
    tcase_add_test(tc, entry_points_check_arguments);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
