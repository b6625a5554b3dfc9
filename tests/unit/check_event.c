/*
 * Events, data-driven: every case file under tests/data/events/ (except the
 * path and patch-parser tables, which have their own suites) is a list of
 * payloads with what building an event from them must give.
 *
 * Keys of a case:
 *   case             a name for failure messages
 *   set <option>     a config option ("set agent: codex"); by default
 *                    paths=lexical and home=/home/tester, so that results do
 *                    not depend on the machine (check_paths covers the
 *                    filesystem)
 *   payload          the hook payload (continuation lines joined with '\n')
 *   status           the expected failure, e.g. PREMPTI_E_EVENT
 *   message          a substring of the expected error message
 *   agent, hook      prempti_event_agent() / prempti_event_hook()
 *   views            the number of views
 *   <field>          the field's value on view 0, through prempti_event_field()
 *   view N <field>   the field's value on view N
 * A field value "<none>" means the field has no value.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/event_internal.h"
#include "test_util.h"

#define EVENTS_DIR "events"

static const struct {
    const char *name;
    int code;
} statuses[] = {
    {"PREMPTI_E_NOMEM", PREMPTI_E_NOMEM},       {"PREMPTI_E_INVALID_ARG", PREMPTI_E_INVALID_ARG},
    {"PREMPTI_E_JSON", PREMPTI_E_JSON},         {"PREMPTI_E_EVENT", PREMPTI_E_EVENT},
    {"PREMPTI_E_LIMIT", PREMPTI_E_LIMIT},       {"PREMPTI_E_UNSUPPORTED", PREMPTI_E_UNSUPPORTED},
    {"PREMPTI_E_INTERNAL", PREMPTI_E_INTERNAL},
};

static int status_code(const char *name)
{
    for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
        if (strcmp(statuses[i].name, name) == 0)
            return statuses[i].code;
    ck_abort_msg("unknown status name %s", name);
    return 0;
}

/* Value of field on view `view`, as text; "<none>" when it has none. */
static char *field_text(const prempti_event *ev, size_t view, const char *field, int *rc)
{
    prempti_event one = *ev; /* the same event, seen through one view */
    one.views = &ev->views[view];
    one.view_count = 1;
    char *out = NULL;
    prempti_error *err = NULL;
    *rc = prempti_event_field(&out, &one, field, &err);
    prempti_error_free(err);
    if (*rc == PREMPTI_OK && !out)
        out = strdup("<none>");
    return out;
}

typedef struct run {
    const char *file;
    int failures;
} run;

#define FAIL(r, c, ...)                                                                            \
    do {                                                                                           \
        fprintf(stderr, "%s:%zu: %s: ", (r)->file, (c)->line, case_name(c));                       \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fputc('\n', stderr);                                                                       \
        (r)->failures++;                                                                           \
    } while (0)

static const char *case_name(const pe_case *c)
{
    const char *n = pe_case_get(c, "case");
    return n ? n : "(unnamed)";
}

static prempti_config *case_config(const pe_case *c)
{
    prempti_config *cfg;
    ck_assert_int_eq(prempti_config_new(&cfg, NULL), PREMPTI_OK);
    ck_assert_int_eq(prempti_config_set(cfg, "paths", "lexical", NULL), PREMPTI_OK);
    ck_assert_int_eq(prempti_config_set(cfg, "home", "/home/tester", NULL), PREMPTI_OK);
    for (size_t i = 0; i < c->nkeys; i++) {
        if (strncmp(c->keys[i], "set ", 4) != 0)
            continue;
        prempti_error *err = NULL;
        int rc = prempti_config_set(cfg, c->keys[i] + 4, c->values[i], &err);
        ck_assert_msg(rc == PREMPTI_OK, "line %zu: bad option: %s", c->line, pe_test_errstr(err));
    }
    return cfg;
}

static void check_failure(run *r, const pe_case *c, int rc, const prempti_error *err)
{
    const char *status = pe_case_get(c, "status");
    const char *message = pe_case_get(c, "message");
    if (rc != status_code(status))
        FAIL(r, c, "expected %s, got %d (%s)", status, rc, pe_test_errstr(err));
    else if (!err || (message && !strstr(prempti_error_message(err), message)))
        FAIL(r, c, "message '%s' does not contain '%s'", err ? prempti_error_message(err) : "",
             message);
}

/* "view N <field>" or "<field>"; returns the field name, or NULL for other keys. */
static const char *field_key(const char *key, size_t *view)
{
    *view = 0;
    if (strncmp(key, "view ", 5) == 0) {
        char *end;
        *view = strtoul(key + 5, &end, 10);
        return *end == ' ' ? end + 1 : NULL;
    }
    static const char *const plain[] = {"case",  "payload", "status", "message",
                                        "agent", "hook",    "views"};
    for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
        if (strcmp(key, plain[i]) == 0)
            return NULL;
    return strncmp(key, "set ", 4) == 0 ? NULL : key;
}

static void check_success(run *r, const pe_case *c, const prempti_event *ev)
{
    const char *agent = pe_case_get(c, "agent");
    const char *hook = pe_case_get(c, "hook");
    const char *views = pe_case_get(c, "views");
    if (agent && strcmp(prempti_event_agent(ev), agent) != 0)
        FAIL(r, c, "agent: expected %s, got %s", agent, prempti_event_agent(ev));
    if (hook && strcmp(prempti_event_hook(ev), hook) != 0)
        FAIL(r, c, "hook: expected %s, got %s", hook, prempti_event_hook(ev));
    if (views && strtoul(views, NULL, 10) != ev->view_count)
        FAIL(r, c, "views: expected %s, got %zu", views, ev->view_count);
    for (size_t i = 0; i < c->nkeys; i++) {
        size_t view;
        const char *field = field_key(c->keys[i], &view);
        if (!field)
            continue;
        if (view >= ev->view_count) {
            FAIL(r, c, "%s: the event has only %zu views", c->keys[i], ev->view_count);
            continue;
        }
        int rc;
        char *got = field_text(ev, view, field, &rc);
        if (rc != PREMPTI_OK)
            FAIL(r, c, "%s: not a field (%d)", c->keys[i], rc);
        else if (strcmp(got, c->values[i]) != 0)
            FAIL(r, c, "%s: expected '%s', got '%s'", c->keys[i], c->values[i], got);
        free(got);
    }
}

static void run_case(run *r, const pe_case *c)
{
    const char *payload = pe_case_get(c, "payload");
    ck_assert_msg(payload != NULL, "%s:%zu: no payload", r->file, c->line);
    prempti_config *cfg = case_config(c);
    prempti_event *ev = NULL;
    prempti_error *err = NULL;
    int rc = prempti_event_from_json(&ev, cfg, payload, strlen(payload), &err);
    if (pe_case_get(c, "status")) {
        check_failure(r, c, rc, err);
        if (ev)
            FAIL(r, c, "an event was returned with an error");
    } else if (rc != PREMPTI_OK) {
        FAIL(r, c, "failed: %s", pe_test_errstr(err));
    } else {
        check_success(r, c, ev);
    }
    prempti_event_free(ev);
    prempti_error_free(err);
    prempti_config_free(cfg);
}

static int is_case_file(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".txt") == 0 && strcmp(name, "paths.txt") != 0 &&
           strcmp(name, "patch_parse.txt") != 0;
}

START_TEST(case_files)
{
    DIR *d = opendir(pe_test_data(EVENTS_DIR));
    ck_assert_msg(d != NULL, "cannot open %s", pe_test_data(EVENTS_DIR));
    struct dirent *de;
    int files = 0, cases = 0, failures = 0;
    while ((de = readdir(d)) != NULL) {
        if (!is_case_file(de->d_name))
            continue;
        char rel[512];
        snprintf(rel, sizeof(rel), EVENTS_DIR "/%s", de->d_name);
        pe_cases cs = pe_cases_load(pe_test_data(rel));
        run r = {de->d_name, 0};
        for (size_t i = 0; i < cs.count; i++)
            run_case(&r, &cs.items[i]);
        files++;
        cases += (int)cs.count;
        failures += r.failures;
        pe_cases_free(&cs);
    }
    closedir(d);
    printf("event cases: %d files, %d cases, %d failures\n", files, cases, failures);
    ck_assert_msg(files >= 5 && cases > 0, "no case files found");
    ck_assert_msg(failures == 0, "%d event case expectation(s) failed (see above)", failures);
}
END_TEST

/* Every prefix of every case payload, and each with one byte replaced by a
 * quote, builds an event or fails with an error - never crashes or leaks. */
START_TEST(cut_and_damaged_payloads_never_crash)
{
    DIR *d = opendir(pe_test_data(EVENTS_DIR));
    ck_assert_ptr_nonnull(d);
    struct dirent *de;
    size_t builds = 0;
    while ((de = readdir(d)) != NULL) {
        if (!is_case_file(de->d_name))
            continue;
        char rel[512];
        snprintf(rel, sizeof(rel), EVENTS_DIR "/%s", de->d_name);
        pe_cases cs = pe_cases_load(pe_test_data(rel));
        for (size_t i = 0; i < cs.count; i++) {
            const char *p = pe_case_get(&cs.items[i], "payload");
            size_t n = p ? strlen(p) : 0;
            char *buf = malloc(n + 1);
            ck_assert_ptr_nonnull(buf);
            for (size_t k = 0; k < 2 * n; k++) {
                memcpy(buf, p, n);
                size_t len = k < n ? k : n;
                if (k >= n)
                    buf[k - n] = '"';
                prempti_event *ev = NULL;
                prempti_error *err = NULL;
                int rc = prempti_event_from_json(&ev, NULL, buf, len, &err);
                ck_assert_msg(rc == PREMPTI_OK ? ev && !err : !ev && err, "%s:%zu at %zu",
                              de->d_name, cs.items[i].line, k);
                prempti_event_free(ev);
                prempti_error_free(err);
                builds++;
            }
            free(buf);
        }
        pe_cases_free(&cs);
    }
    closedir(d);
    ck_assert_uint_gt(builds, 10000);
}
END_TEST

/* ---- inputs too large or odd to write into a case file ---- */

static int build(const char *json, size_t len, const prempti_config *cfg, prempti_event **ev,
                 prempti_error **err)
{
    *ev = NULL;
    *err = NULL;
    return prempti_event_from_json(ev, cfg, json, len, err);
}

/* Building from json must fail with code and a message containing what. */
static void expect_fail(const char *json, size_t len, const prempti_config *cfg, int code,
                        const char *what)
{
    prempti_event *ev;
    prempti_error *err;
    int rc = build(json, len, cfg, &ev, &err);
    ck_assert_msg(rc == code, "expected %d, got %d (%s)", code, rc, pe_test_errstr(err));
    ck_assert_ptr_null(ev);
    ck_assert_msg(strstr(prempti_error_message(err), what) != NULL, "'%s' lacks '%s'",
                  prempti_error_message(err), what);
    prempti_error_free(err);
}

/* {"hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":
 * "/p/big.txt","content":"xxx...x"}} with n bytes of content. */
static char *big_write(size_t n, size_t *len)
{
    static const char head[] = "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Write\","
                               "\"tool_use_id\":\"t\",\"tool_input\":{\"file_path\":"
                               "\"/p/big.txt\",\"content\":\"";
    static const char tail[] = "\"}}";
    char *s = malloc(sizeof(head) + n + sizeof(tail));
    ck_assert_ptr_nonnull(s);
    memcpy(s, head, sizeof(head) - 1);
    memset(s + sizeof(head) - 1, 'x', n);
    memcpy(s + sizeof(head) - 1 + n, tail, sizeof(tail));
    *len = sizeof(head) - 1 + n + sizeof(tail) - 1;
    return s;
}

START_TEST(large_write_is_accepted_by_default)
{
    size_t len;
    char *json = big_write(6u << 20, &len); /* 6 MiB of content */
    prempti_event *ev;
    prempti_error *err;
    ck_assert_int_eq(build(json, len, NULL, &ev, &err), PREMPTI_OK);
    char *path = NULL;
    ck_assert_int_eq(prempti_event_field(&path, ev, "tool.real_file_path", NULL), PREMPTI_OK);
    ck_assert_str_eq(path, "/p/big.txt");
    prempti_free(path);
    char *content = NULL;
    ck_assert_int_eq(prempti_event_field(&content, ev, "tool.input[content]", NULL), PREMPTI_OK);
    ck_assert_uint_eq(strlen(content), 6u << 20);
    prempti_free(content);
    prempti_event_free(ev);
    free(json);
}
END_TEST

START_TEST(max_event_bytes_is_enforced)
{
    size_t len;
    char *json = big_write(4096, &len);
    prempti_config *cfg;
    ck_assert_int_eq(prempti_config_new(&cfg, NULL), PREMPTI_OK);
    ck_assert_int_eq(prempti_config_set(cfg, "max_event_bytes", "4096", NULL), PREMPTI_OK);
    expect_fail(json, len, cfg, PREMPTI_E_LIMIT, "max_event_bytes");
    expect_fail(json, 4096, cfg, PREMPTI_E_JSON, "unexpected end of input"); /* cut short */
    prempti_config_free(cfg);
    free(json);
}
END_TEST

/* A payload whose tool input nests `depth` arrays deep. */
static char *nested(size_t depth, const char *prefix, const char *suffix)
{
    size_t n = strlen(prefix) + 2 * depth + strlen(suffix) + 1;
    char *s = malloc(n);
    ck_assert_ptr_nonnull(s);
    char *p = s + sprintf(s, "%s", prefix);
    memset(p, '[', depth);
    memset(p + depth, ']', depth);
    strcpy(p + 2 * depth, suffix);
    return s;
}

START_TEST(deep_nesting_is_a_limit)
{
    static const char prefix[] = "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\","
                                 "\"tool_use_id\":\"t\",\"tool_input\":{\"x\":";
    char *ok = nested(60, prefix, "}}");
    char *deep = nested(100000, prefix, "}}");
    prempti_event *ev;
    prempti_error *err;
    ck_assert_int_eq(build(ok, strlen(ok), NULL, &ev, &err), PREMPTI_OK);
    prempti_event_free(ev);
    expect_fail(deep, strlen(deep), NULL, PREMPTI_E_LIMIT, "max_json_depth");
    free(ok);
    free(deep);
}
END_TEST

START_TEST(json_inside_a_string_obeys_the_depth_limit)
{
    /* Copilot's toolArgs is parsed as a second document: the same bound. */
    char *inner = nested(100, "{\\\"path\\\":\\\"/etc/passwd\\\",\\\"x\\\":", "}\"}");
    char *json = malloc(strlen(inner) + 64);
    ck_assert_ptr_nonnull(json);
    sprintf(json, "{\"toolName\":\"create\",\"toolArgs\":\"%s", inner);
    expect_fail(json, strlen(json), NULL, PREMPTI_E_LIMIT, "toolArgs nests deeper");
    free(inner);
    free(json);
}
END_TEST

START_TEST(raw_nul_byte_is_rejected)
{
    static const char json[] = "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\0\"}";
    expect_fail(json, sizeof(json) - 1, NULL, PREMPTI_E_JSON, "NUL byte at offset 49");
}
END_TEST

START_TEST(invalid_utf8_is_rejected)
{
    static const char *const bad[] = {
        /* not UTF-8 (the literal is split so that \xff does not swallow "ash") */
        ("{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"B\xff"
         "ash\"}"),
        "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"\xc0\xafx\"}",    /* overlong '/' */
        "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"\xed\xa0\x80\"}", /* surrogate */
        "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"x\xe2\x82\"}",    /* cut short */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect_fail(bad[i], strlen(bad[i]), NULL, PREMPTI_E_JSON, "not valid UTF-8 (offset");
}
END_TEST

START_TEST(detection_ignores_the_environment)
{
    /* Gemini, Codex and Cursor set CLAUDE_* aliases; nothing is read from them. */
    static const char claude[] = "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\","
                                 "\"tool_input\":{\"command\":\"ls\"},\"tool_use_id\":\"t\"}";
    setenv("CURSOR_VERSION", "3.9", 1);
    setenv("GEMINI_SESSION_ID", "g", 1);
    setenv("CLAUDE_PROJECT_DIR", "/p", 1);
    setenv("COPILOT_HOME", "/c", 1);
    prempti_event *ev = pe_test_event(claude, NULL);
    ck_assert_str_eq(prempti_event_agent(ev), "claude_code");
    prempti_event_free(ev);
}
END_TEST

START_TEST(correlation_ids_are_unique_and_non_zero)
{
    static const char json[] = "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\","
                               "\"tool_use_id\":\"t\",\"tool_input\":{\"command\":\"ls\"}}";
    uint64_t seen[64];
    for (size_t i = 0; i < 64; i++) {
        prempti_event *ev = pe_test_event(json, NULL);
        seen[i] = ev->correlation_id;
        ck_assert_uint_ne(seen[i], 0);
        for (size_t j = 0; j < i; j++)
            ck_assert_uint_ne(seen[i], seen[j]);
        prempti_event_free(ev);
    }
}
END_TEST

/* The event's value of field must be want. */
static void expect_field(const char *json, const prempti_config *cfg, const char *field,
                         const char *want)
{
    prempti_event *ev = pe_test_event(json, cfg);
    char *got = NULL;
    ck_assert_int_eq(prempti_event_field(&got, ev, field, NULL), PREMPTI_OK);
    ck_assert_str_eq(got, want);
    prempti_free(got);
    prempti_event_free(ev);
}

START_TEST(home_comes_from_the_environment_when_not_configured)
{
    static const char json[] = "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Read\","
                               "\"tool_use_id\":\"t\",\"tool_input\":{\"file_path\":\"~/.ssh/k\"}}";
    prempti_config *cfg;
    ck_assert_int_eq(prempti_config_new(&cfg, NULL), PREMPTI_OK);
    ck_assert_int_eq(prempti_config_set(cfg, "paths", "lexical", NULL), PREMPTI_OK);
    char *old = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    setenv("HOME", "/env/home", 1);
    expect_field(json, cfg, "tool.real_file_path", "/env/home/.ssh/k");
    /* the option wins over the environment */
    ck_assert_int_eq(prempti_config_set(cfg, "home", "/opt/home", NULL), PREMPTI_OK);
    expect_field(json, cfg, "tool.real_file_path", "/opt/home/.ssh/k");
    /* no home at all: `~` stays a name, joined to the cwd like upstream */
    unsetenv("HOME");
    ck_assert_int_eq(prempti_config_set(cfg, "home", "", NULL), PREMPTI_OK);
    expect_field(json, cfg, "tool.real_file_path", "~/.ssh/k");
    if (old)
        setenv("HOME", old, 1);
    free(old);
    prempti_config_free(cfg);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("event");
    TCase *tc = tcase_create("event");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, case_files);
    tcase_add_test(tc, cut_and_damaged_payloads_never_crash);
    tcase_add_test(tc, large_write_is_accepted_by_default);
    tcase_add_test(tc, max_event_bytes_is_enforced);
    tcase_add_test(tc, deep_nesting_is_a_limit);
    tcase_add_test(tc, json_inside_a_string_obeys_the_depth_limit);
    tcase_add_test(tc, raw_nul_byte_is_rejected);
    tcase_add_test(tc, invalid_utf8_is_rejected);
    tcase_add_test(tc, detection_ignores_the_environment);
    tcase_add_test(tc, correlation_ids_are_unique_and_non_zero);
    tcase_add_test(tc, home_comes_from_the_environment_when_not_configured);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pe_test_run(suite());
}
