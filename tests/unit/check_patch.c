/*
 * apply_patch: the envelope parser, table-driven (tests/data/events/
 * patch_parse.txt), and the property views exist for - content of one file
 * of a patch can never combine with the path of another in a rule.
 *
 * Keys of a patch_parse.txt case:
 *   case     a name
 *   patch    the patch text; continuation lines are joined with '\n' and a
 *            final '\n' is added
 *   crlf     "yes": every '\n' becomes "\r\n"
 *   files    the expected files, "<op> <path>" joined with " | "
 *   hunk N   the expected envelope of file N (continuation lines; '\n' added)
 *   error    a substring of the expected error message
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/patch.h"
#include "test_util.h"

static char *patch_text(const pe_case *c, size_t *len)
{
    const char *p = pe_case_get(c, "patch");
    const char *crlf = pe_case_get(c, "crlf");
    ck_assert_ptr_nonnull(p);
    pe_strbuf sb = PE_STRBUF_INIT;
    for (const char *s = p;; s++) {
        if (*s == '\n' || !*s) {
            if (crlf && strcmp(crlf, "yes") == 0)
                pe_sb_putc(&sb, '\r');
            pe_sb_putc(&sb, '\n');
            if (!*s)
                break;
        } else {
            pe_sb_putc(&sb, *s);
        }
    }
    *len = sb.len;
    return pe_sb_take(&sb);
}

static char *files_text(const pe_patch *p)
{
    pe_strbuf sb = PE_STRBUF_INIT;
    for (size_t i = 0; i < p->count; i++)
        pe_sb_printf(&sb, "%s%s %.*s", i ? " | " : "", p->files[i].op, (int)p->files[i].path.len,
                     p->files[i].path.s);
    return pe_sb_take(&sb);
}

static int check_case(const char *file, const pe_case *c)
{
    int failures = 0;
    const char *name = pe_case_get(c, "case");
    size_t len;
    char *text = patch_text(c, &len);
    pe_patch p = {0};
    char msg[256];
    int rc = pe_patch_parse(&p, text, len, 0, msg, sizeof(msg));
    const char *error = pe_case_get(c, "error");
    if (error) {
        if (rc != 1 || !strstr(msg, error)) {
            fprintf(stderr, "%s:%zu: %s: expected error '%s', got %d '%s'\n", file, c->line, name,
                    error, rc, msg);
            failures++;
        }
    } else if (rc != 0) {
        fprintf(stderr, "%s:%zu: %s: unexpected error %d '%s'\n", file, c->line, name, rc, msg);
        failures++;
    } else {
        char *files = files_text(&p);
        const char *want = pe_case_get(c, "files");
        if (want && strcmp(files, want) != 0) {
            fprintf(stderr, "%s:%zu: %s: files: expected '%s', got '%s'\n", file, c->line, name,
                    want, files);
            failures++;
        }
        free(files);
        for (size_t i = 0; i < p.count; i++) {
            char key[32];
            snprintf(key, sizeof(key), "hunk %zu", i);
            const char *hunk = pe_case_get(c, key);
            if (!hunk)
                continue;
            pe_strbuf env = PE_STRBUF_INIT;
            pe_patch_envelope(&env, &p.files[i]);
            pe_strbuf exp = PE_STRBUF_INIT;
            pe_sb_printf(&exp, "%s\n", hunk);
            if (strcmp(pe_sb_str(&env), pe_sb_str(&exp)) != 0) {
                fprintf(stderr, "%s:%zu: %s: %s: expected\n%s\ngot\n%s\n", file, c->line, name, key,
                        pe_sb_str(&exp), pe_sb_str(&env));
                failures++;
            }
            pe_sb_free(&env);
            pe_sb_free(&exp);
        }
    }
    pe_patch_free(&p);
    free(text);
    return failures;
}

START_TEST(parser_table)
{
    pe_cases cs = pe_cases_load(pe_test_data("events/patch_parse.txt"));
    int failures = 0;
    for (size_t i = 0; i < cs.count; i++)
        failures += check_case("patch_parse.txt", &cs.items[i]);
    printf("patch parser cases: %zu, %d failures\n", cs.count, failures);
    ck_assert_msg(cs.count >= 30, "too few cases");
    ck_assert_msg(failures == 0, "%d patch parser case(s) failed (see above)", failures);
    pe_cases_free(&cs);
}
END_TEST

START_TEST(too_many_files_is_a_limit)
{
    pe_strbuf sb = PE_STRBUF_INIT;
    pe_sb_puts(&sb, "{\"turn_id\":\"t\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":"
                    "\"apply_patch\",\"tool_input\":{\"command\":\"*** Begin Patch\\n");
    for (int i = 0; i <= PE_PATCH_MAX_FILES; i++)
        pe_sb_printf(&sb, "*** Delete File: f%d\\n", i);
    pe_sb_puts(&sb, "*** End Patch\\n\"}}");
    ck_assert(!pe_sb_failed(&sb));
    prempti_event *ev = NULL;
    prempti_error *err = NULL;
    ck_assert_int_eq(prempti_event_from_json(&ev, NULL, sb.data, sb.len, &err), PREMPTI_E_LIMIT);
    ck_assert_ptr_nonnull(strstr(prempti_error_message(err), "more than 4096 files"));
    prempti_error_free(err);
    /* one file fewer is fine */
    pe_sb_reset(&sb);
    pe_sb_puts(&sb, "{\"turn_id\":\"t\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":"
                    "\"apply_patch\",\"tool_input\":{\"command\":\"*** Begin Patch\\n");
    for (int i = 0; i < PE_PATCH_MAX_FILES; i++)
        pe_sb_printf(&sb, "*** Delete File: f%d\\n", i);
    pe_sb_puts(&sb, "*** End Patch\\n\"}}");
    ck_assert_int_eq(prempti_event_from_json(&ev, NULL, sb.data, sb.len, &err), PREMPTI_OK);
    prempti_event_free(ev);
    pe_sb_free(&sb);
}
END_TEST

/* ---- content isolation ---- */

/* Denies "content X and path Y" only when both are in one file. */
static const char *cross_rules =
    "- rule: Deny marker written to target\n"
    "  desc: a content rule combined with a path rule\n"
    "  condition: tool.input contains \"SECRET_MARKER\" and tool.file_path endswith "
    "\"target.txt\"\n"
    "  output: Falco blocked %tool.file_path (%tool.patch_op)\n"
    "  priority: CRITICAL\n"
    "  source: coding_agent\n"
    "  tags: [coding_agent_deny]\n"
    "- rule: Ask before writing under etc\n"
    "  desc: a path rule alone\n"
    "  condition: tool.real_file_path startswith /etc/\n"
    "  output: Falco asks about %tool.real_file_path\n"
    "  priority: WARNING\n"
    "  source: coding_agent\n"
    "  tags: [coding_agent_ask]\n";

static char *patch_payload(const char *tool, const char *key, const char *patch)
{
    char *s = malloc(strlen(patch) + 256);
    ck_assert_ptr_nonnull(s);
    sprintf(s,
            "{\"turn_id\":\"t\",\"cwd\":\"/p\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":"
            "\"%s\",\"tool_input\":{\"%s\":\"%s\"}}",
            tool, key, patch);
    return s;
}

static int decide(const prempti_engine *e, const char *json, const char **rule)
{
    prempti_config *cfg;
    ck_assert_int_eq(prempti_config_new(&cfg, NULL), PREMPTI_OK);
    ck_assert_int_eq(prempti_config_set(cfg, "paths", "lexical", NULL), PREMPTI_OK);
    prempti_event *ev = pe_test_event(json, cfg);
    prempti_result *r = NULL;
    ck_assert_int_eq(prempti_evaluate(&r, e, ev, NULL), PREMPTI_OK);
    int d = prempti_result_decision(r);
    static char name[128];
    long m = prempti_result_deciding_match(r);
    snprintf(name, sizeof(name), "%s", m >= 0 ? prempti_result_match_rule(r, (size_t)m) : "");
    *rule = name;
    prempti_result_free(r);
    prempti_event_free(ev);
    prempti_config_free(cfg);
    return d;
}

START_TEST(content_of_one_file_never_meets_the_path_of_another)
{
    prempti_engine *e = pe_test_engine(cross_rules, NULL);
    static const struct {
        const char *tool, *key, *patch;
        int decision;
    } cases[] = {
        /* marker in a.txt, target.txt is another file: no match */
        {"apply_patch", "command",
         "*** Begin Patch\\n*** Add File: a.txt\\n+SECRET_MARKER\\n*** Add File: target.txt\\n"
         "+harmless\\n*** End Patch\\n",
         PREMPTI_DEFER},
        /* the same, target first */
        {"apply_patch", "command",
         "*** Begin Patch\\n*** Update File: target.txt\\n@@\\n-a\\n+b\\n*** Delete File: "
         "SECRET_MARKER.txt\\n*** End Patch\\n",
         PREMPTI_DEFER},
        /* marker and path in one file: deny */
        {"apply_patch", "command",
         "*** Begin Patch\\n*** Add File: a.txt\\n+x\\n*** Add File: target.txt\\n"
         "+SECRET_MARKER\\n*** End Patch\\n",
         PREMPTI_DENY},
        /* a move: the Move view carries the hunk too */
        {"apply_patch", "command",
         "*** Begin Patch\\n*** Update File: x.txt\\n*** Move to: target.txt\\n@@\\n"
         "+SECRET_MARKER\\n*** End Patch\\n",
         PREMPTI_DENY},
        /* every view is evaluated: one file under /etc asks */
        {"apply_patch", "command",
         "*** Begin Patch\\n*** Add File: a.txt\\n+x\\n*** Add File: /etc/motd\\n+hi\\n"
         "*** End Patch\\n",
         PREMPTI_ASK},
        /* deny wins over ask across views */
        {"apply_patch", "command",
         "*** Begin Patch\\n*** Add File: /etc/motd\\n+hi\\n*** Add File: target.txt\\n"
         "+SECRET_MARKER\\n*** End Patch\\n",
         PREMPTI_DENY},
        /* a patch inside a shell command: the same isolation */
        {"Bash", "command",
         "apply_patch <<'EOF'\\n*** Begin Patch\\n*** Add File: a.txt\\n+SECRET_MARKER\\n"
         "*** Add File: target.txt\\n+harmless\\n*** End Patch\\nEOF\\n",
         PREMPTI_DEFER},
        {"Bash", "command",
         "apply_patch <<'EOF'\\n*** Begin Patch\\n*** Add File: target.txt\\n+SECRET_MARKER\\n"
         "*** End Patch\\nEOF\\n",
         PREMPTI_DENY},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *json = patch_payload(cases[i].tool, cases[i].key, cases[i].patch);
        const char *rule;
        int d = decide(e, json, &rule);
        ck_assert_msg(d == cases[i].decision, "case %zu: decision %s (rule '%s'), expected %s", i,
                      prempti_decision_name(d), rule, prempti_decision_name(cases[i].decision));
        free(json);
    }
    prempti_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("patch");
    TCase *tc = tcase_create("patch");
    tcase_add_test(tc, parser_table);
    tcase_add_test(tc, too_many_files_is_a_limit);
    tcase_add_test(tc, content_of_one_file_never_meets_the_path_of_another);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pe_test_run(suite());
}
