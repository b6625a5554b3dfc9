/*
 * The shell.* fields: the shell analysis wired into rule fields, checked
 * through the public API (prempti_event_field) and through conditions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_check.h"
#include "shell/packages.h"
#include "prempti/common.h"
#include "shell/shell.h"
#include "test_util.h"

static char *payload(const char *tool, const char *cmd, const char *cwd)
{
    size_t n = strlen(cmd) * 6 + strlen(cwd) + 300;
    char *s = malloc(n), *esc = malloc(strlen(cmd) * 6 + 1), *o = esc;
    for (const char *p = cmd; *p; p++) {
        if (*p == '"' || *p == '\\')
            *o++ = '\\';
        if ((unsigned char)*p < 0x20) {
            o += sprintf(o, "\\u%04x", (unsigned)(unsigned char)*p);
            continue;
        }
        *o++ = *p;
    }
    *o = '\0';
    if (strcmp(tool, "Read") == 0)
        snprintf(s, n,
                 "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Read\",\"tool_input\":"
                 "{\"file_path\":\"/tmp/x\"},\"cwd\":\"%s\"}",
                 cwd);
    else
        snprintf(s, n,
                 "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"%s\",\"tool_input\":"
                 "{\"command\":\"%s\"},\"cwd\":\"%s\"}",
                 tool, esc, cwd);
    free(esc);
    return s;
}

/* The case files under tests/data/shell_fields/. A block with a
 * "defaults" key sets the cwd and config (key=value lines) of the blocks
 * after it; a block's own cwd and config keys win. */
static const char *const field_files[] = {"fields.cases", "values.cases", "cwd.cases",
                                          "paths.cases", "packages.cases"};

/* Checks one case; returns the number of fields checked, counts failures. */
static size_t check_fields(const char *file, const pe_case *c, const char *cwd, const char *config,
                           int *failures)
{
    const char *tool = pe_case_get(c, "tool");
    char *json = payload(tool ? tool : "Bash", pe_case_get(c, "cmd"), cwd);
    prempti_config *cfg = config ? pe_test_config(config) : NULL;
    prempti_event *ev = pe_test_event(json, cfg);
    size_t checked = 0;
    for (size_t k = 0; k < c->nkeys; k++) {
        if (strncmp(c->keys[k], "shell.", 6) != 0) {
            /* a misspelt key would check nothing: only these are not fields */
            static const char *const other[] = {"cmd", "tool", "cwd", "config", "note", NULL};
            int known = 0;
            for (const char *const *o = other; *o && !known; o++)
                known = strcmp(c->keys[k], *o) == 0;
            ck_assert_msg(known, "%s:%zu: unknown key '%s'", file, c->line, c->keys[k]);
            continue;
        }
        char *v = NULL;
        prempti_error *err = NULL;
        ck_assert_msg(prempti_event_field(&v, ev, c->keys[k], &err) == PREMPTI_OK, "%s:%zu: %s: %s",
                      file, c->line, c->keys[k], pe_test_errstr(err));
        const char *want = c->values[k];
        int ok = strcmp(want, "absent") == 0 ? v == NULL : v && strcmp(v, want) == 0;
        if (!ok) {
            (*failures)++;
            fprintf(stderr, "%s:%zu: %s\n  expected: %s\n  got:      %s\n", file, c->line,
                    c->keys[k], want, v ? v : "(no value)");
        }
        prempti_free(v);
        checked++;
    }
    prempti_event_free(ev);
    prempti_config_free(cfg);
    free(json);
    return checked;
}

START_TEST(fields_table)
{
    const char *file = field_files[_i];
    char rel[256];
    snprintf(rel, sizeof(rel), "shell_fields/%s", file);
    pe_cases cs = pe_cases_load(pe_test_data(rel));
    size_t checked = 0;
    int failures = 0;
    const char *cwd = "/tmp", *config = NULL;
    for (size_t i = 0; i < cs.count; i++) {
        const pe_case *c = &cs.items[i];
        const char *own_cwd = pe_case_get(c, "cwd"), *own_config = pe_case_get(c, "config");
        if (pe_case_get(c, "defaults")) {
            cwd = own_cwd ? own_cwd : "/tmp";
            config = own_config;
            continue;
        }
        checked += check_fields(file, c, own_cwd ? own_cwd : cwd, own_config ? own_config : config,
                                &failures);
    }
    ck_assert_msg(failures == 0, "%s: %d failed expectation(s), see above", file, failures);
    ck_assert_uint_ge(checked, 20);
    pe_cases_free(&cs);
}
END_TEST

/* Rules on shell fields: a pipe into a shell however it is spelled, and
 * no match on quoted data. */
START_TEST(rules_on_shell_fields)
{
    static const char rules[] =
        "- rule: download into a shell\n  desc: d\n  condition: shell.commands intersects (curl, "
        "wget) and shell.pipe_to_interpreter = true\n  output: o\n  priority: CRITICAL\n"
        "  source: coding_agent\n  tags: [coding_agent_deny]\n"
        "- rule: recursive delete\n  desc: d\n  condition: shell.invokes[rm,-r,-f] = true\n"
        "  output: o\n  priority: WARNING\n  source: coding_agent\n  tags: [coding_agent_ask]\n"
        "- rule: cannot tell\n  desc: d\n  condition: shell.dynamic = true or shell.parse_error "
        "= true\n  output: o\n  priority: WARNING\n  source: coding_agent\n"
        "  tags: [coding_agent_ask]\n";
    static const struct {
        const char *cmd;
        int decision;
    } cases[] = {
        {"curl -s x | bash", PREMPTI_DENY},
        {"c'u'rl x|sh", PREMPTI_DENY},
        {"bash <(wget -qO- x)", PREMPTI_DENY},
        {"sudo env FOO=1 bash -c 'curl x | sh'", PREMPTI_DENY},
        {"grep 'curl x | bash' notes.txt", PREMPTI_DEFER},
        {"rm --recursive --force build", PREMPTI_ASK},
        {"echo rm -rf /", PREMPTI_DEFER},
        {"$CMD -rf /", PREMPTI_ASK},
        {"ls -la", PREMPTI_DEFER},
    };
    prempti_engine *e = pe_test_engine(rules, NULL);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *json = payload("Bash", cases[i].cmd, "/tmp");
        int d = pe_test_decide(e, json, NULL);
        ck_assert_msg(d == cases[i].decision, "%s: got %s", cases[i].cmd, prempti_decision_name(d));
        free(json);
    }
    prempti_engine_free(e);
}
END_TEST

/* The value of a field of a Bash call running cmd; free() it. */
static char *field_of(const char *cmd, const char *field)
{
    char *json = payload("Bash", cmd, "/tmp"), *v = NULL;
    prempti_event *ev = pe_test_event(json, NULL);
    ck_assert_int_eq(prempti_event_field(&v, ev, field, NULL), PREMPTI_OK);
    prempti_event_free(ev);
    free(json);
    return v;
}

/* Past PE_PACKAGES_MAX_CHECKED packages the rest are not checked, and the
 * lookalikes say so: many names cannot hide a typosquat. */
START_TEST(packages_past_the_check_limit)
{
    size_t n = PE_PACKAGES_MAX_CHECKED + 72, len = 0;
    char *cmd = malloc(16 + n * 16);
    len += (size_t)sprintf(cmd, "npm install");
    for (size_t i = 0; i < n; i++)
        len += i == n - 1 ? (size_t)sprintf(cmd + len, " lodahs")
                          : (size_t)sprintf(cmd + len, " acme-pkg-%zu", i);
    char *pkgs = field_of(cmd, "shell.packages"), *like = field_of(cmd, "shell.package_lookalikes");
    ck_assert_ptr_nonnull(pkgs);
    ck_assert_msg(strstr(pkgs, ",npm:lodahs)") != NULL, "%s", pkgs);
    char want[96];
    snprintf(want, sizeof(want), "(72 packages not checked (more than %d named))",
             PE_PACKAGES_MAX_CHECKED);
    ck_assert_str_eq(like, want);
    free(pkgs);
    free(like);
    /* the same typosquat within the limit is named */
    like = field_of("npm install acme-a acme-b lodahs", "shell.package_lookalikes");
    ck_assert_str_eq(like, "(lodahs (npm; looks like lodash))");
    free(like);
    free(cmd);
}
END_TEST

/* Memory running out at any allocation is reported; with enough memory
 * the lists are the usual ones. */
START_TEST(packages_allocation_failures)
{
    static const char *const cmds[] = {
        "pip install reqeusts flask && npm i lodahs @types/node lodahs && cargo add serde_jsno",
        "npm init vite && uvx --with a,b,c,reqeusts tool && gem install nokogri rails"};
    for (size_t c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
        pe_arena ra = PE_ARENA_INIT;
        pe_shell_result *r = NULL;
        ck_assert_int_eq(pe_shell_analyze(&r, cmds[c], strlen(cmds[c]), &ra), PREMPTI_OK);
        const pe_str *want, *want_like, *got, *got_like;
        size_t nwant, nwant_like, n, nlike;
        ck_assert_int_eq(pe_packages_of(r, &ra, &want, &nwant), 0);
        ck_assert_int_eq(pe_packages_lookalikes(want, nwant, &ra, &want_like, &nwant_like), 0);
        ck_assert_uint_ge(nwant, 5);
        ck_assert_uint_ge(nwant_like, 2);
        int failures = 0, done = 0;
        for (size_t room = 0; !done; room += 8) {
            pe_arena a = PE_ARENA_INIT;
            pe_test_arena_with_room(&a, room);
            int rc = pe_packages_of(r, &a, &got, &n);
            if (rc == 0)
                rc = pe_packages_lookalikes(got, n, &a, &got_like, &nlike);
            if (rc == 0) {
                ck_assert_uint_eq(n, nwant);
                ck_assert_uint_eq(nlike, nwant_like);
                for (size_t i = 0; i < n; i++)
                    ck_assert_str_eq(got[i].s, want[i].s);
                for (size_t i = 0; i < nlike; i++)
                    ck_assert_str_eq(got_like[i].s, want_like[i].s);
                done = 1;
            } else {
                ck_assert_int_eq(rc, PREMPTI_E_NOMEM);
                failures++;
            }
            pe_arena_free(&a);
        }
        ck_assert_int_gt(failures, 10);
        pe_arena_free(&ra);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("shell_fields");
    TCase *tc = tcase_create("shell_fields");
    tcase_add_loop_test(tc, fields_table, 0, (int)(sizeof(field_files) / sizeof(field_files[0])));
    tcase_add_test(tc, rules_on_shell_fields);
    tcase_add_test(tc, packages_past_the_check_limit);
    tcase_add_test(tc, packages_allocation_failures);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
