/*
 * Audit records (golden, in tests/data/audit) and appending them: many
 * processes appending at once lose and interleave nothing; the log is
 * created with mode 0600; a short write is an error, never followed by a
 * second write; bad paths and records are reported.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "test_util.h"

#define RULES  "result_json/rules.yaml"
#define CONFIG "reason_suffix= | correlation=%correlation.id\nagent_pid=4242"

static uint64_t now_ns(void)
{
    struct timespec ts;
    ck_assert_int_eq(clock_gettime(CLOCK_REALTIME, &ts), 0);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Parses "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ" into ns since the epoch. */
static uint64_t parse_iso(const char *s)
{
    struct tm tm = {0};
    unsigned long ns = 0;
    int used = 0;
    ck_assert_msg(strlen(s) == 30 && s[29] == 'Z', "not a UTC time with ns: %s", s);
    ck_assert_int_eq(sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%9luZ%n", &tm.tm_year, &tm.tm_mon,
                            &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ns, &used),
                     7);
    ck_assert_int_eq(used, 30);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (uint64_t)timegm(&tm) * 1000000000u + ns;
}

static char *field_text(const char *payload, const char *field)
{
    prempti_event *ev = pe_test_event(payload, NULL);
    char *v = NULL;
    ck_assert_int_eq(prempti_event_field(&v, ev, field, NULL), PREMPTI_OK);
    prempti_event_free(ev);
    return v;
}

/* Replaces the record's dynamic values by the case file's placeholders. */
static char *with_placeholders(const char *record, const prempti_result *r, const char *time,
                               const char *event_time, const char *host)
{
    char id[24];
    snprintf(id, sizeof(id), "%" PRIu64, prempti_result_correlation_id(r));
    char *a = pe_test_replace(record, time, "$TIME");
    char *b = pe_test_replace(a, event_time, "$EVENT_TIME");
    char *c = pe_test_replace(b, id, "$ID");
    char hostname[300];
    snprintf(hostname, sizeof(hostname), "\"hostname\":\"%s\"", host);
    char *d = pe_test_replace(c, hostname, "\"hostname\":\"$HOST\"");
    free(a);
    free(b);
    free(c);
    return d;
}

/* The event time is the event's own evt.time.iso8601: take it from the
 * record's first alert (checked against the record time), or, without
 * matches, it does not appear. */
static const char *event_time_of(json_object *rec)
{
    json_object *m, *t;
    ck_assert(json_object_object_get_ex(rec, "matches", &m));
    if (json_object_array_length(m) == 0)
        return NULL;
    ck_assert(json_object_object_get_ex(json_object_array_get_idx(m, 0), "time", &t));
    return json_object_get_string(t);
}

START_TEST(golden_records)
{
    pe_cases cs = pe_cases_load(pe_test_data("audit/records.cases"));
    ck_assert_uint_ge(cs.count, 4);
    char host[256] = "";
    ck_assert_int_eq(gethostname(host, sizeof(host) - 1), 0);
    for (size_t i = 0; i < cs.count; i++) {
        const pe_case *c = &cs.items[i];
        prempti_config *cfg = pe_test_config(CONFIG);
        pe_test_config_apply(cfg, pe_case_get(c, "config"));
        uint64_t before = now_ns();
        prempti_result *r = pe_test_evaluate_file(RULES, pe_case_get(c, "payload"), cfg);
        char *rec = NULL;
        ck_assert_int_eq(prempti_audit_record(&rec, r, 1234, NULL), PREMPTI_OK);
        uint64_t after = now_ns();
        size_t len = strlen(rec);
        ck_assert_msg(len > 1 && rec[len - 1] == '\n' && !memchr(rec, '\n', len - 1),
                      "a record is one line ending in a newline: %s", rec);
        json_object *o = pe_test_json(rec, len - 1), *t;
        ck_assert(json_object_object_get_ex(o, "time", &t));
        const char *time = json_object_get_string(t);
        uint64_t at = parse_iso(time);
        ck_assert_msg(before <= at && at <= after, "record time %s is not when it was built", time);
        const char *event_time = event_time_of(o);
        if (event_time) {
            uint64_t ev_at = parse_iso(event_time);
            ck_assert(before <= ev_at && ev_at <= at);
        }
        char *got = with_placeholders(rec, r, time, event_time ? event_time : "$EVENT_TIME", host);
        got[strlen(got) - 1] = '\0'; /* the golden text is without its newline */
        ck_assert_msg(strcmp(got, pe_case_get(c, "record")) == 0,
                      "records.cases:%zu (%s)\n  got:  %s\n  want: %s", c->line,
                      pe_case_get(c, "name"), got, pe_case_get(c, "record"));
        free(got);
        json_object_put(o);
        prempti_free(rec);
        prempti_result_free(r);
        prempti_config_free(cfg);
    }
    pe_cases_free(&cs);
}
END_TEST

/* Each match is a Falco JSON alert: Falco's keys in Falco's order, the
 * source, the full priority name, and correlation.id as a number. */
START_TEST(matches_are_falco_alerts)
{
    static const char *const keys[] = {"hostname", "output", "priority", "rule",
                                       "source",   "tags",   "time",     "output_fields"};
    prempti_config *cfg = pe_test_config(CONFIG);
    const char *payload = "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\","
                          "\"tool_input\":{\"command\":\"typed deny-me ask-me correlated\"}}";
    prempti_result *r = pe_test_evaluate_file(RULES, payload, cfg);
    char *rec = NULL;
    ck_assert_int_eq(prempti_audit_record(&rec, r, 0, NULL), PREMPTI_OK);
    json_object *o = pe_test_json(rec, strlen(rec) - 1), *ms;
    ck_assert(json_object_object_get_ex(o, "matches", &ms));
    ck_assert_uint_eq(json_object_array_length(ms), prempti_result_match_count(r));
    ck_assert_uint_eq(json_object_array_length(ms), 4);
    char *host = field_text(payload, "evt.hostname");
    for (size_t i = 0; i < json_object_array_length(ms); i++) {
        json_object *m = json_object_array_get_idx(ms, i), *v, *f;
        ck_assert_int_eq(json_object_object_length(m), 8);
        for (size_t k = 0; k < 8; k++)
            ck_assert_msg(json_object_object_get_ex(m, keys[k], &v), "no key %s", keys[k]);
        json_object_object_get_ex(m, "source", &v);
        ck_assert_str_eq(json_object_get_string(v), "coding_agent");
        json_object_object_get_ex(m, "hostname", &v);
        ck_assert_str_eq(json_object_get_string(v), host);
        json_object_object_get_ex(m, "rule", &v);
        ck_assert_str_eq(json_object_get_string(v), prempti_result_match_rule(r, i));
        json_object_object_get_ex(m, "priority", &v);
        ck_assert_str_eq(json_object_get_string(v),
                         prempti_priority_name(prempti_result_match_priority(r, i)));
        json_object_object_get_ex(m, "output_fields", &f);
        ck_assert(json_object_object_get_ex(f, "correlation.id", &v));
        ck_assert(json_object_is_type(v, json_type_int));
        ck_assert(json_object_get_uint64(v) == prempti_result_correlation_id(r));
    }
    free(host);
    json_object_put(o);
    prempti_free(rec);
    prempti_result_free(r);
    prempti_config_free(cfg);
}
END_TEST

/* The record time is taken when the record is built, not at evaluation. */
START_TEST(record_time_is_build_time)
{
    prempti_result *r = pe_test_evaluate_file(
        RULES, "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\"}", NULL);
    char *a = NULL, *b = NULL;
    ck_assert_int_eq(prempti_audit_record(&a, r, 5, NULL), PREMPTI_OK);
    struct timespec pause = {0, 2000000};
    nanosleep(&pause, NULL);
    ck_assert_int_eq(prempti_audit_record(&b, r, 5, NULL), PREMPTI_OK);
    ck_assert_int_eq(strncmp(a, "{\"time\":\"", 9), 0);
    char ta[31], tb[31];
    memcpy(ta, a + 9, 30);
    memcpy(tb, b + 9, 30);
    ta[30] = tb[30] = '\0';
    ck_assert_msg(parse_iso(tb) >= parse_iso(ta) + 2000000, "%s then %s", ta, tb);
    prempti_free(a);
    prempti_free(b);
    prempti_result_free(r);
}
END_TEST

/* A file path in a new private directory; scratch_done() removes both. */
static char *scratch_path(const char *name)
{
    char dir[] = "/tmp/prempti-audit-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    ck_assert_ptr_nonnull(p);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

static void scratch_done(char *path)
{
    unlink(path);
    *strrchr(path, '/') = '\0';
    ck_assert_int_eq(rmdir(path), 0);
    free(path);
}

#define CHILDREN 8
#define RECORDS  200

/* One record of child c, number s, padded to a size that varies from a few
 * bytes to well over PIPE_BUF. */
static size_t make_record(char *buf, size_t cap, int c, int s)
{
    size_t pad = (size_t)((c * 7919 + s * 104729) % 20000);
    int n = snprintf(buf, cap, "{\"child\":%d,\"seq\":%d,\"pad\":\"", c, s);
    memset(buf + n, 'a' + (c % 26), pad);
    memcpy(buf + (size_t)n + pad, "\"}\n", 4);
    return (size_t)n + pad + 3;
}

START_TEST(concurrent_appends_never_interleave)
{
    char *path = scratch_path("concurrent.log");
    mode_t old = umask(022);
    pid_t kids[CHILDREN];
    for (int c = 0; c < CHILDREN; c++) {
        kids[c] = fork();
        ck_assert_int_ge(kids[c], 0);
        if (kids[c] == 0) {
            static char buf[32768];
            for (int s = 0; s < RECORDS; s++) {
                size_t len = make_record(buf, sizeof(buf), c, s);
                if (prempti_audit_append(path, buf, len, NULL) != PREMPTI_OK)
                    _exit(1);
            }
            _exit(0);
        }
    }
    umask(old);
    for (int c = 0; c < CHILDREN; c++) {
        int status;
        ck_assert_int_eq(waitpid(kids[c], &status, 0), kids[c]);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %d failed", c);
    }
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0600);
    size_t len;
    char *text = pe_test_read_file(path, &len);
    ck_assert_ptr_nonnull(text);
    int next[CHILDREN] = {0};
    size_t lines = 0;
    for (char *p = text; p < text + len;) {
        char *nl = memchr(p, '\n', (size_t)(text + len - p));
        ck_assert_ptr_nonnull(nl);
        json_object *o = pe_test_json(p, (size_t)(nl - p)), *v;
        ck_assert(json_object_object_get_ex(o, "child", &v));
        int c = json_object_get_int(v);
        ck_assert(json_object_object_get_ex(o, "seq", &v));
        ck_assert(c >= 0 && c < CHILDREN);
        /* Each child appends in order: a lost or repeated record shows here. */
        ck_assert_int_eq(json_object_get_int(v), next[c]++);
        char want[32768];
        ck_assert_uint_eq((size_t)(nl - p) + 1, make_record(want, sizeof(want), c, next[c] - 1));
        ck_assert_int_eq(memcmp(p, want, (size_t)(nl - p) + 1), 0);
        json_object_put(o);
        lines++;
        p = nl + 1;
    }
    ck_assert_uint_eq(lines, CHILDREN * RECORDS);
    for (int c = 0; c < CHILDREN; c++)
        ck_assert_int_eq(next[c], RECORDS);
    free(text);
    scratch_done(path);
}
END_TEST

START_TEST(appends_keep_existing_content)
{
    char *path = scratch_path("existing.log");
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("{\"old\":1}\n", f);
    fclose(f);
    ck_assert_int_eq(chmod(path, 0640), 0);
    ck_assert_int_eq(prempti_audit_append(path, "{\"new\":2}\n", 10, NULL), PREMPTI_OK);
    char *text = pe_test_read_file(path, NULL);
    ck_assert_str_eq(text, "{\"old\":1}\n{\"new\":2}\n");
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0640); /* an existing log keeps its mode */
    free(text);
    scratch_done(path);
}
END_TEST

/* A write cut short (here by a file size limit) is reported, and the rest
 * is not written afterwards: the file holds exactly what the one write got. */
START_TEST(short_write_is_an_error)
{
    char *path = scratch_path("short.log");
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit lim = {100, 100};
        if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
            _exit(3);
        char rec[301];
        memset(rec, 'x', 299);
        rec[0] = '{';
        rec[299] = '\n';
        rec[300] = '\0';
        prempti_error *err = NULL;
        int rc = prempti_audit_append(path, rec, 300, &err);
        int ok = rc == PREMPTI_E_IO && strstr(prempti_error_message(err), "short write") &&
                 strstr(prempti_error_message(err), path);
        prempti_error_free(err);
        _exit(ok ? 0 : 1);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", status);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_size, 100);
    scratch_done(path);
}
END_TEST

/* What the log path is made to be before the append, by the agent that
 * wants the records somewhere else. */
enum plant { PLANT_SYMLINK, PLANT_DANGLING, PLANT_FIFO, PLANT_HARDLINK, PLANT_DEVICE_LINK };

/* Each planted log is refused with a message saying why, the victim file
 * is unchanged (or not created), and nothing waits for a FIFO reader. */
START_TEST(unsafe_logs_are_refused)
{
    static const struct {
        enum plant plant;
        const char *says;
    } cases[] = {
        {PLANT_SYMLINK, "symbolic link"},     {PLANT_DANGLING, "symbolic link"},
        {PLANT_FIFO, "not a regular file"},   {PLANT_HARDLINK, "hard link"},
        {PLANT_DEVICE_LINK, "symbolic link"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *path = scratch_path("audit.jsonl");
        char victim[4096];
        snprintf(victim, sizeof(victim), "%s.victim", path);
        FILE *f = fopen(victim, "w");
        ck_assert_ptr_nonnull(f);
        fputs("echo original\n", f);
        fclose(f);
        switch (cases[i].plant) {
        case PLANT_SYMLINK:
            ck_assert_int_eq(symlink(victim, path), 0);
            break;
        case PLANT_DANGLING:
            unlink(victim);
            ck_assert_int_eq(symlink(victim, path), 0);
            break;
        case PLANT_FIFO:
            ck_assert_int_eq(mkfifo(path, 0600), 0);
            break;
        case PLANT_HARDLINK:
            ck_assert_int_eq(link(victim, path), 0);
            break;
        case PLANT_DEVICE_LINK:
            ck_assert_int_eq(symlink("/dev/null", path), 0);
            break;
        }
        alarm(10); /* a FIFO open that waits would end the test here */
        prempti_error *err = NULL;
        int rc = prempti_audit_append(path, "{\"cmd\":\"$(touch x)\"}\n", 21, &err);
        alarm(0);
        ck_assert_int_eq(rc, PREMPTI_E_IO);
        ck_assert_msg(strstr(prempti_error_message(err), cases[i].says), "case %zu: %s", i,
                      prempti_error_message(err));
        ck_assert_str_eq(prempti_error_kind(err), "AUDIT_UNSAFE");
        prempti_error_free(err);
        char *text = pe_test_read_file(victim, NULL);
        if (cases[i].plant == PLANT_DANGLING)
            ck_assert_ptr_null(text); /* not created through the link */
        else
            ck_assert_str_eq(text, "echo original\n");
        free(text);
        unlink(victim);
        scratch_done(path);
    }
}
END_TEST

/* '$' and '`' are written as JSON escapes: the line reads back as the same
 * JSON, and a shell sourcing the log would find nothing to expand. */
START_TEST(records_are_shell_inert)
{
    char *path = scratch_path("audit.jsonl");
    const char rec[] = "{\"command\":\"rm -rf build/$(touch /tmp/pwned) `id` \\\\$HOME\"}\n";
    ck_assert_int_eq(prempti_audit_append(path, rec, sizeof(rec) - 1, NULL), PREMPTI_OK);
    char *text = pe_test_read_file(path, NULL);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_null(strchr(text, '$'));
    ck_assert_ptr_null(strchr(text, '`'));
    json_object *o = json_tokener_parse(text), *v = NULL;
    ck_assert(json_object_object_get_ex(o, "command", &v));
    ck_assert_str_eq(json_object_get_string(v), "rm -rf build/$(touch /tmp/pwned) `id` \\$HOME");
    json_object_put(o);
    free(text);
    scratch_done(path);
}
END_TEST

START_TEST(bad_paths_and_records)
{
    static const struct {
        const char *path, *record;
        size_t len;
        int code;
        const char *says;
    } cases[] = {
        {"/nonexistent-dir/x/audit.log", "{}\n", 3, PREMPTI_E_IO, "/nonexistent-dir/x/audit.log"},
        {"/tmp", "{}\n", 3, PREMPTI_E_IO, "Is a directory"},
        {NULL, "{}\n", 3, PREMPTI_E_INVALID_ARG, "path"},
        {"", "{}\n", 3, PREMPTI_E_INVALID_ARG, "path"},
        {"/tmp/x.log", NULL, 0, PREMPTI_E_INVALID_ARG, "record"},
        {"/tmp/x.log", "", 0, PREMPTI_E_INVALID_ARG, "newline"},
        {"/tmp/x.log", "{}", 2, PREMPTI_E_INVALID_ARG, "newline"},
        {"/tmp/x.log", "{}\n{}\n", 6, PREMPTI_E_INVALID_ARG, "one line"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        prempti_error *err = NULL;
        ck_assert_int_eq(prempti_audit_append(cases[i].path, cases[i].record, cases[i].len, &err),
                         cases[i].code);
        ck_assert_msg(strstr(prempti_error_message(err), cases[i].says), "case %zu: %s", i,
                      prempti_error_message(err));
        prempti_error_free(err);
    }
    char *out = (char *)1;
    ck_assert_int_eq(prempti_audit_record(&out, NULL, 0, NULL), PREMPTI_E_INVALID_ARG);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(prempti_audit_record(NULL, NULL, 0, NULL), PREMPTI_E_INVALID_ARG);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("audit");
    TCase *tc = tcase_create("audit");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, golden_records);
    tcase_add_test(tc, matches_are_falco_alerts);
    tcase_add_test(tc, record_time_is_build_time);
    tcase_add_test(tc, concurrent_appends_never_interleave);
    tcase_add_test(tc, appends_keep_existing_content);
    tcase_add_test(tc, short_write_is_an_error);
    tcase_add_test(tc, bad_paths_and_records);
    tcase_add_test(tc, unsafe_logs_are_refused);
    tcase_add_test(tc, records_are_shell_inert);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pe_test_run(suite());
}
