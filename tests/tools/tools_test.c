/*
 * The tools through their real binaries: prempti-hook and prempti run as
 * child processes with a temporary HOME, their stdout, stderr, exit status
 * and files checked against data-driven cases:
 *
 *   hook_golden      the library's golden answers (tests/data/responses/)
 *                    end to end through prempti-hook, with a real payload of
 *                    each agent and hook event, and the audit record of each;
 *   cases            the case files of tests/data/tools/cases: one command each;
 *   upstream         upstream's rules and floor through prempti eval on the
 *                    scenarios of upstream's end-to-end tests;
 *   concurrent_audit many adapter processes appending to one audit log.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"
#include "tamper.h"
#include "test_util.h"

#define DATA PREMPTI_TEST_DATA "/tools"

/* ---- small helpers ---- */

/* Mismatches are printed and counted, so that one run shows all of them;
 * each test fails at its end when there was any. */
static int mismatches;

#define expect(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            mismatches++;                                                                          \
        }                                                                                          \
    } while (0)

static void no_mismatches(const char *test)
{
    ck_assert_msg(mismatches == 0, "%s: %d mismatches (listed above)", test, mismatches);
}

static char *temp_home(void)
{
    char tmpl[] = "/tmp/prempti-tools-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    return strdup(tmpl);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

/* text with the placeholders replaced; free() it. */
static char *subst(const char *text, const char *home)
{
    static const char *const keys[] = {"@DATA@", "@HOME@", "@UPSTREAM@", "@SRC@", "@HOOK@"};
    const char *vals[] = {DATA, home, PREMPTI_COMPAT_DIR, PREMPTI_SOURCE_DIR, PT_HOOK_BIN};
    char *s = strdup(text);
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        char *n = pe_test_replace(s, keys[i], vals[i]);
        free(s);
        s = n;
    }
    return s;
}

/* Splits a command line on blanks; '...' groups a word. argv[0] "hook" or
 * "prempti" names the binary under test. */
static char **split_words(const char *line)
{
    size_t cap = 64, n = 0;
    char **argv = calloc(cap, sizeof(*argv));
    ck_assert_ptr_nonnull(argv);
    for (const char *p = line; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *start = p;
        size_t len;
        if (*p == '\'') {
            const char *end = strchr(p + 1, '\'');
            ck_assert_msg(end != NULL, "unterminated quote in '%s'", line);
            start = p + 1;
            len = (size_t)(end - start);
            p = end + 1;
        } else {
            len = strcspn(p, " ");
            p += len;
        }
        ck_assert_uint_lt(n, cap - 1);
        argv[n++] = strndup(start, len);
    }
    ck_assert_msg(n > 0, "empty command");
    const char *bin = strcmp(argv[0], "hook") == 0      ? PT_HOOK_BIN
                      : strcmp(argv[0], "prempti") == 0 ? PT_CLI_BIN
                                                        : NULL;
    ck_assert_msg(bin != NULL, "'%s': run 'hook' or 'prempti'", argv[0]);
    free(argv[0]);
    argv[0] = strdup(bin);
    return argv;
}

static void free_words(char **argv)
{
    for (size_t i = 0; argv[i]; i++)
        free(argv[i]);
    free(argv);
}

/* Runs a command line in home, with extra environment (may be NULL). */
static pt_run run_line_ex(const char *line, const char *home, char *const extra[], const char *in,
                          size_t len, int keep_open)
{
    char *expanded = subst(line, home);
    char **argv = split_words(expanded);
    char **env = pt_env_new(home, extra);
    pt_run r;
    ck_assert_msg(pt_spawn_ex(&r, argv, env, in, len, keep_open) == 0, "cannot run %s", expanded);
    pt_env_free(env);
    free_words(argv);
    free(expanded);
    return r;
}

static pt_run run_line(const char *line, const char *home, char *const extra[], const char *in,
                       size_t len)
{
    return run_line_ex(line, home, extra, in, len, 0);
}

/* want as a whole output: "" stays "", anything else gets its newline. */
static void expect_output(const char *where, const char *what, const char *got, const char *want)
{
    size_t n = strlen(want);
    int same = n == 0 ? got[0] == '\0'
                      : strncmp(got, want, n) == 0 && got[n] == '\n' && got[n + 1] == '\0';
    expect(same, "%s: %s\n  got:  [%s]\n  want: [%s]", where, what, got, want);
}

static size_t count_lines(const char *text)
{
    size_t n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

/* The audit log's records, each checked to be one JSON object per line. */
static json_object *read_audit(const char *where, const char *path)
{
    size_t len = 0;
    char *text = pe_test_read_file(path, &len);
    json_object *arr = json_object_new_array();
    for (char *line = text, *nl; line && (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
        json_object *o = pe_test_json(line, (size_t)(nl - line));
        ck_assert_msg(json_object_is_type(o, json_type_object), "%s: audit line is not an object",
                      where);
        json_object_array_add(arr, o);
    }
    ck_assert_msg(!text || len == 0 || text[len - 1] == '\n', "%s: audit log ends mid-line", where);
    free(text);
    return arr;
}

static const char *member(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

/* ---- hook_golden: the library's goldens through the adapter ---- */

typedef struct golden_ctx {
    pe_cases payloads;
    unsigned char covered[32][6]; /* payload row x (4 decisions, error closed, error open) */
    int runs;
} golden_ctx;

static const char *const markers[] = {"echo hello", "echo allow-me", "echo ask-me", "echo deny-me"};
static const char *const marker_rule[] = {"", "Allow marker", "Ask marker", "Deny marker"};
static const char *const marker_verb[] = {"", "Falco allows", "Falco wants confirmation for",
                                          "Falco blocked"};

static int decision_index(const char *name)
{
    for (int d = 0; d < 4; d++)
        if (strcmp(prempti_decision_name(d), name) == 0)
            return d;
    ck_abort_msg("unknown decision '%s'", name);
    return -1;
}

static long payload_row(const golden_ctx *g, const char *agent, const char *hook)
{
    for (size_t i = 0; i < g->payloads.count; i++) {
        const pe_case *p = &g->payloads.items[i];
        if (!strcmp(pe_case_get(p, "agent"), agent) && !strcmp(pe_case_get(p, "hook"), hook))
            return (long)i;
    }
    return -1;
}

/* The reason the marker rules give for decision d. */
static char *marker_reason(int d)
{
    char buf[256];
    if (d == 0)
        return strdup("");
    snprintf(buf, sizeof(buf), "%s: %s %s | policy=test", marker_rule[d], marker_verb[d],
             markers[d]);
    return strdup(buf);
}

/* Runs the adapter once and checks the golden answer and the new audit record. */
static void run_golden(golden_ctx *g, const char *where, const pe_case *c, const char *args,
                       const char *payload, const char *stdout_want, const char *stderr_want,
                       const char *audit_decision)
{
    char *home = temp_home();
    char line[2048];
    snprintf(line, sizeof(line),
             "hook --agent %s --config @DATA@/hook/config.yaml "
             "--audit-log @HOME@/audit.jsonl %s",
             pe_case_get(c, "agent"), args);
    pt_run r = run_line(line, home, NULL, payload, strlen(payload));
    expect_output(where, "stdout", r.out, stdout_want);
    expect_output(where, "stderr", r.err, stderr_want);
    expect(r.status == atoi(pe_case_get(c, "exit")), "%s: exit %d, want %s", where, r.status,
           pe_case_get(c, "exit"));
    char path[512];
    snprintf(path, sizeof(path), "%s/audit.jsonl", home);
    json_object *recs = read_audit(where, path);
    ck_assert_msg(json_object_array_length(recs) == 1, "%s: %zu audit records, want 1", where,
                  json_object_array_length(recs));
    json_object *rec = json_object_array_get_idx(recs, 0);
    ck_assert_str_eq(member(rec, "decision"), audit_decision);
    ck_assert_str_eq(member(rec, "agent"), pe_case_get(c, "agent"));
    ck_assert_str_eq(member(rec, "hook_event"), pe_case_get(c, "hook"));
    const char *would_be = pe_case_get(c, "would_be");
    if (would_be)
        ck_assert_str_eq(member(rec, "would_be"), would_be);
    json_object_put(recs);
    pt_run_free(&r);
    remove_tree(home);
    g->runs++;
}

static void golden_decision(golden_ctx *g, const char *where, const pe_case *c, long row)
{
    int d = decision_index(pe_case_get(c, "decision"));
    const char *would_be = pe_case_get(c, "would_be");
    int w = would_be ? decision_index(would_be) : d;
    char *reason = marker_reason(w);
    const char *mode = pe_case_get(c, "mode");
    const char *monitor = mode ? "--mode monitor" : "";
    char args[256];
    /* only the cases whose reason the marker rules produce */
    if (strcmp(pe_case_get(c, "reason"), reason) != 0) {
        free(reason);
        return;
    }
    if (pe_case_get(c, "payload")) { /* the case's own payload: the marker is in the command */
        snprintf(args, sizeof(args), "--rules @DATA@/hook/command_rules.yaml %s", monitor);
        run_golden(g, where, c, args, pe_case_get(c, "payload"), pe_case_get(c, "stdout"),
                   pe_case_get(c, "stderr"), pe_case_get(c, "decision"));
    }
    if (row >= 0) { /* the agent's payload from payloads.cases: the marker is the session */
        char *payload = pe_test_replace(pe_case_get(&g->payloads.items[row], "payload"),
                                        "@SESSION@", markers[w]);
        snprintf(args, sizeof(args), "--rules @DATA@/hook/session_rules.yaml %s", monitor);
        run_golden(g, where, c, args, payload, pe_case_get(c, "stdout"), pe_case_get(c, "stderr"),
                   pe_case_get(c, "decision"));
        free(payload);
        if (!mode)
            g->covered[row][d] = 1;
    }
    free(reason);
}

/* Error cases: rules that fail to load, the golden with the adapter's message. */
static void golden_error(golden_ctx *g, const char *where, const pe_case *c, long row)
{
    /* the other messages test how the library renders odd text */
    if (row < 0 || !strstr(pe_case_get(c, "message"), "rules failed to load"))
        return;
    int open = strcmp(pe_case_get(c, "error"), "open") == 0;
    char *message = subst("rules failed to load: @DATA@/hook/broken_rules.yaml:3:14: error: rule "
                          "'Broken': Undefined macro 'is_bash' used in filter. "
                          "[LOAD_ERR_VALIDATE]",
                          "");
    char *out = pe_test_replace(pe_case_get(c, "stdout"), pe_case_get(c, "message"), message);
    char *err = pe_test_replace(pe_case_get(c, "stderr"), pe_case_get(c, "message"), message);
    char *payload = pe_test_replace(pe_case_get(&g->payloads.items[row], "payload"), "@SESSION@",
                                    "echo deny-me");
    run_golden(g, where, c,
               open ? "--rules @DATA@/hook/broken_rules.yaml --fail-open"
                    : "--rules @DATA@/hook/broken_rules.yaml",
               payload, out, err, open ? "defer" : "deny");
    g->covered[row][open ? 5 : 4] = 1;
    free(payload);
    free(out);
    free(err);
    free(message);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.cases files of a directory under tests/data, sorted. */
static size_t case_files(const char *dir, char **names, size_t max)
{
    DIR *d = opendir(pe_test_data(dir));
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len > 6 && strcmp(de->d_name + len - 6, ".cases") == 0) {
            ck_assert_uint_lt(n, max);
            names[n++] = strdup(de->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp_names);
    return n;
}

START_TEST(hook_golden)
{
    static golden_ctx g;
    g.payloads = pe_cases_load(DATA "/hook/payloads.cases");
    ck_assert_uint_le(g.payloads.count, 32);
    char *names[64];
    size_t n = case_files("responses", names, 64);
    for (size_t f = 0; f < n; f++) {
        char rel[300];
        snprintf(rel, sizeof(rel), "responses/%s", names[f]);
        pe_cases cs = pe_cases_load(pe_test_data(rel));
        for (size_t i = 0; i < cs.count; i++) {
            const pe_case *c = &cs.items[i];
            char where[400];
            snprintf(where, sizeof(where), "%s:%zu", names[f], c->line);
            const char *agent = pe_case_get(c, "agent"), *hook = pe_case_get(c, "hook");
            long row = payload_row(&g, agent, hook);
            if (pe_case_get(c, "error"))
                golden_error(&g, where, c, row);
            else
                golden_decision(&g, where, c, row);
        }
        pe_cases_free(&cs);
        free(names[f]);
    }
    /* every agent x hook event reached every decision and both error forms */
    for (size_t i = 0; i < g.payloads.count; i++)
        for (int col = 0; col < 6; col++)
            ck_assert_msg(g.covered[i][col], "no golden ran for %s %s column %d",
                          pe_case_get(&g.payloads.items[i], "agent"),
                          pe_case_get(&g.payloads.items[i], "hook"), col);
    no_mismatches("hook_golden");
    printf("hook_golden: %d adapter runs over %zu agent x hook event rows\n", g.runs,
           g.payloads.count);
    pe_cases_free(&g.payloads);
}
END_TEST

/* ---- cases: one command per case ---- */

/* The values of every occurrence of key in c (a key may repeat), joined
 * with newlines; NULL when it does not occur. free() it. */
static char *all_values(const pe_case *c, const char *key)
{
    char *joined = NULL;
    for (size_t i = 0; i < c->nkeys; i++) {
        if (strcmp(c->keys[i], key) != 0)
            continue;
        size_t n = joined ? strlen(joined) : 0, m = strlen(c->values[i]);
        joined = realloc(joined, n + m + 2);
        ck_assert_ptr_nonnull(joined);
        if (n)
            joined[n++] = '\n';
        memcpy(joined + n, c->values[i], m + 1);
    }
    return joined;
}

/* Every line of want must occur in got. */
static void expect_has(const char *where, const char *what, const char *got, const char *want,
                       int present)
{
    char *copy = strdup(want);
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n"))
        expect((strstr(got, line) != NULL) == present, "%s: %s %s [%s]\n  got: [%s]", where, what,
               present ? "lacks" : "has", line, got);
    free(copy);
}

static void write_home_file(const char *home, const char *rel, const char *text)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", home, rel);
    for (char *p = path + strlen(home) + 1; (p = strchr(p, '/')) != NULL; p++) {
        *p = '\0';
        mkdir(path, 0700);
        *p = '/';
    }
    FILE *f = fopen(path, "w");
    ck_assert_msg(f != NULL, "cannot create %s", path);
    char *expanded = subst(text, home);
    fprintf(f, "%s\n", expanded);
    free(expanded);
    ck_assert_int_eq(fclose(f), 0);
}

static void check_file(const char *where, const char *home, const char *rel, const char *want)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", home, rel);
    size_t len;
    char *got = pe_test_read_file(path, &len);
    expect(got != NULL, "%s: %s was not written", where, rel);
    char *expanded = subst(want, home);
    if (got)
        expect_output(where, rel, got, expanded);
    free(expanded);
    free(got);
}

static void check_audit(const char *where, const pe_case *c, const char *home)
{
    const char *lines = pe_case_get(c, "audit_lines");
    char *has = all_values(c, "audit_has");
    if (!lines && !has)
        return;
    const char *rel = pe_case_get(c, "audit_file");
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", home, rel ? rel : "audit.jsonl");
    json_object *recs = read_audit(where, path);
    if (lines)
        expect(json_object_array_length(recs) == (size_t)atoi(lines),
               "%s: %zu audit records, want %s", where, json_object_array_length(recs), lines);
    json_object_put(recs);
    if (has) {
        size_t len;
        char *text = pe_test_read_file(path, &len), *want = subst(has, home);
        expect_has(where, "audit log", text ? text : "", want, 1);
        free(want);
        free(text);
    }
    free(has);
}

/* "plant: KIND PATH [ARG]", one per line, makes what an agent could plant
 * under HOME before the command runs: fifo PATH, symlink PATH TARGET,
 * hardlink PATH TARGET, mode PATH OCTAL, dir PATH. Parent directories are
 * created 0700; @HOME@ is expanded in TARGET. */
static void plant(const pe_case *c, const char *home)
{
    char *lines = all_values(c, "plant");
    char *save = NULL;
    for (char *line = lines ? strtok_r(lines, "\n", &save) : NULL; line;
         line = strtok_r(NULL, "\n", &save)) {
        char kind[16], rel[512], arg[512] = "";
        ck_assert_int_ge(sscanf(line, "%15s %511s %511s", kind, rel, arg), 2);
        char path[1100];
        snprintf(path, sizeof(path), "%s/%s", home, rel);
        for (char *p = path + strlen(home) + 1; (p = strchr(p, '/')) != NULL; p++) {
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
        char *target = subst(arg, home);
        int rc = strcmp(kind, "fifo") == 0       ? mkfifo(path, 0600)
                 : strcmp(kind, "symlink") == 0  ? symlink(target, path)
                 : strcmp(kind, "hardlink") == 0 ? link(target, path)
                 : strcmp(kind, "mode") == 0     ? chmod(path, (mode_t)strtol(arg, NULL, 8))
                 : strcmp(kind, "dir") == 0      ? mkdir(path, 0700)
                                                 : -2;
        ck_assert_msg(rc == 0, "plant %s: %s", line, rc == -2 ? "unknown kind" : strerror(errno));
        free(target);
    }
    free(lines);
}

static char **env_words(const pe_case *c, const char *home)
{
    const char *env = pe_case_get(c, "env");
    if (!env)
        return NULL;
    char *expanded = subst(env, home);
    char **words = calloc(32, sizeof(*words));
    size_t n = 0;
    for (char *w = strtok(expanded, " "); w && n < 31; w = strtok(NULL, " "))
        words[n++] = strdup(w);
    free(expanded);
    return words;
}

/* Whether any value of the case names upstream's rules (@UPSTREAM@). */
static int needs_upstream(const pe_case *c)
{
    for (size_t i = 0; i < c->nkeys; i++)
        if (strstr(c->values[i], "@UPSTREAM@"))
            return 1;
    return 0;
}

/* "setup: COMMAND" lines run first (with the case's stdin and env), then
 * "tamper: OP" lines change the cache they left (tamper.h). 1 when the
 * case cannot be run here. */
static int prepare_cache(const char *where, const pe_case *c, const char *home, char **env,
                         const char *in)
{
    char *setup = all_values(c, "setup"), *tamper = all_values(c, "tamper"), *save = NULL;
    for (char *line = setup ? strtok_r(setup, "\n", &save) : NULL; line;
         line = strtok_r(NULL, "\n", &save)) {
        pt_run r = run_line(line, home, env, in, in ? strlen(in) : 0);
        expect(r.status < 128, "%s: setup %s: exit %d\n  stderr: %s", where, line, r.status, r.err);
        pt_run_free(&r);
    }
    int skip = 0;
    for (char *line = tamper ? strtok_r(tamper, "\n", &save) : NULL; line && !skip;
         line = strtok_r(NULL, "\n", &save)) {
        char why[512];
        int rc = pt_tamper(home, line, why, sizeof(why));
        ck_assert_msg(rc >= 0, "%s: tamper %s: %s", where, line, why);
        skip = rc;
    }
    free(setup);
    free(tamper);
    return skip;
}

/* text with the digits of each "correlation=" id dropped (random per
 * event); free() it. */
static char *without_ids(const char *text)
{
    char *s = strdup(text), *w = s;
    for (const char *p = text; *p;) {
        if (strncmp(p, "correlation=", 12) == 0) {
            memcpy(w, p, 12);
            w += 12;
            for (p += 12; *p >= '0' && *p <= '9'; p++)
                ;
            continue;
        }
        *w++ = *p++;
    }
    *w = '\0';
    return s;
}

/* same_as_yaml: the command again with --no-cache answers the same;
 * "after: COMMAND" lines run next, their stdout holding every after_has line;
 * cache_entries: N usable entries afterwards, 0600 in a 0700 directory
 * ("none": no cache directory at all). */
static void check_cache(const char *where, const pe_case *c, const char *home, char **env,
                        const char *in, const pt_run *got)
{
    if (pe_case_get(c, "same_as_yaml")) {
        char line[2048];
        snprintf(line, sizeof(line), "%s --no-cache", pe_case_get(c, "run"));
        pt_run y = run_line(line, home, env, in, in ? strlen(in) : 0);
        char *a = without_ids(got->out), *b = without_ids(y.out);
        expect(y.status == got->status && strcmp(a, b) == 0,
               "%s: with the cache: exit %d [%s]; from YAML: exit %d [%s]", where, got->status,
               got->out, y.status, y.out);
        free(a);
        free(b);
        pt_run_free(&y);
    }
    char *after = all_values(c, "after"), *has = all_values(c, "after_has"), *save = NULL;
    for (char *line = after ? strtok_r(after, "\n", &save) : NULL; line;
         line = strtok_r(NULL, "\n", &save)) {
        pt_run a = run_line(line, home, env, NULL, 0);
        char *expanded = has ? subst(has, home) : NULL;
        if (expanded)
            expect_has(where, line, a.out, expanded, 1);
        free(expanded);
        pt_run_free(&a);
    }
    free(after);
    free(has);
    const char *want = pe_case_get(c, "cache_entries");
    if (!want)
        return;
    int modes_ok = 0;
    long n = pt_cache_entries(home, &modes_ok);
    if (strcmp(want, "none") == 0) {
        expect(n < 0, "%s: a cache directory was made", where);
        return;
    }
    expect(n == atol(want), "%s: %ld cache entries, want %s", where, n, want);
    expect(n < 0 || modes_ok, "%s: cache entries not 0600 or directory not 0700", where);
}

static void run_cli_case(const char *file, const pe_case *c)
{
    char where[400];
    snprintf(where, sizeof(where), "%s:%zu", file, c->line);
    if (needs_upstream(c) && !pe_test_have_compat(where))
        return;
    const char *cmd = pe_case_get(c, "run");
    ck_assert_msg(cmd && pe_case_get(c, "exit"), "%s: a case needs run and exit", where);
    char *home = temp_home();
    if (pe_case_get(c, "home_file"))
        write_home_file(home, pe_case_get(c, "home_file"), pe_case_get(c, "home_text"));
    plant(c, home);
    char *in = pe_case_get(c, "stdin") ? subst(pe_case_get(c, "stdin"), home) : NULL;
    if (in && pe_case_get(c, "stdin_repeat")) { /* a payload larger than a limit */
        size_t times = (size_t)atol(pe_case_get(c, "stdin_repeat")), n = strlen(in);
        char *big = malloc(n * times + 1);
        for (size_t i = 0; i < times; i++)
            memcpy(big + i * n, in, n);
        big[n * times] = '\0';
        free(in);
        in = big;
    }
    char **env = env_words(c, home);
    if (prepare_cache(where, c, home, env, in)) {
        printf("SKIP: %s: changing a file's owner needs root\n", where);
        pt_env_free(env);
        free(in);
        remove_tree(home);
        return;
    }
    pt_run r =
        run_line_ex(cmd, home, env, in, in ? strlen(in) : 0, pe_case_get(c, "stdin_open") != NULL);
    static const char *const outputs[] = {"stdout", "stderr"};
    for (int k = 0; k < 2; k++) {
        const char *got = k ? r.err : r.out;
        char key[32];
        const char *want = pe_case_get(c, outputs[k]);
        char *expanded = want ? subst(want, home) : NULL;
        if (expanded)
            expect_output(where, outputs[k], got, expanded);
        free(expanded);
        for (int present = 1; present >= 0; present--) {
            snprintf(key, sizeof(key), "%s_%s", outputs[k], present ? "has" : "lacks");
            char *lines = all_values(c, key);
            expanded = lines ? subst(lines, home) : NULL;
            if (expanded)
                expect_has(where, outputs[k], got, expanded, present);
            free(expanded);
            free(lines);
        }
    }
    /* "exit: any" where the status depends on the machine (an installed pack) */
    int any = strcmp(pe_case_get(c, "exit"), "any") == 0;
    expect(any || r.status == atoi(pe_case_get(c, "exit")),
           "%s: exit %d, want %s\n  stdout: %s\n  stderr: %s", where, r.status,
           pe_case_get(c, "exit"), r.out, r.err);
    if (pe_case_get(c, "stdout_lines"))
        expect(count_lines(r.out) == (size_t)atoi(pe_case_get(c, "stdout_lines")),
               "%s: %zu stdout lines, want %s", where, count_lines(r.out),
               pe_case_get(c, "stdout_lines"));
    if (pe_case_get(c, "file"))
        check_file(where, home, pe_case_get(c, "file"), pe_case_get(c, "file_text"));
    check_audit(where, c, home);
    check_cache(where, c, home, env, in, &r);
    pt_env_free(env);
    free(in);
    pt_run_free(&r);
    remove_tree(home);
}

START_TEST(cli_cases)
{
    char *names[64];
    size_t n = case_files("tools/cases", names, 64), total = 0;
    ck_assert_uint_gt(n, 0);
    for (size_t f = 0; f < n; f++) {
        char rel[300];
        snprintf(rel, sizeof(rel), "tools/cases/%s", names[f]);
        pe_cases cs = pe_cases_load(pe_test_data(rel));
        for (size_t i = 0; i < cs.count; i++)
            run_cli_case(names[f], &cs.items[i]);
        total += cs.count;
        pe_cases_free(&cs);
        free(names[f]);
    }
    printf("cli_cases: %zu cases\n", total);
    no_mismatches("cli_cases");
}
END_TEST

/* ---- upstream: upstream's rules and floor on upstream's scenarios ---- */

static void run_upstream_case(const pe_case *c, const char *home)
{
    char where[300], path[512], line[2048];
    snprintf(where, sizeof(where), "upstream.cases:%zu (%s)", c->line, pe_case_get(c, "name"));
    char *payload = pe_test_replace(pe_case_get(c, "payload"), "@CWD@", "/tmp/myproject");
    snprintf(path, sizeof(path), "%s/payload.json", home);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(payload, f);
    ck_assert_int_eq(fclose(f), 0);
    snprintf(line, sizeof(line),
             "prempti eval --rules @UPSTREAM@/coding_agents_rules.yaml "
             "--rules @UPSTREAM@/seen.yaml --floor allow %s",
             path);
    pt_run r = run_line(line, home, NULL, NULL, 0);
    ck_assert_msg(r.status == 0, "%s: exit %d: %s", where, r.status, r.err);
    json_object *res = pe_test_json(r.out, strlen(r.out) - 1);
    const char *rule = pe_case_get(c, "rule"), *got_rule = member(res, "deciding_rule");
    ck_assert_msg(strcmp(member(res, "decision"), pe_case_get(c, "expect")) == 0,
                  "%s: decision %s, want %s (rule %s)", where, member(res, "decision"),
                  pe_case_get(c, "expect"), got_rule ? got_rule : "none");
    if (strcmp(rule, "-") == 0)
        ck_assert_msg(got_rule == NULL, "%s: decided by %s, want no rule", where, got_rule);
    else
        ck_assert_msg(got_rule && strstr(got_rule, rule), "%s: decided by %s, want *%s*", where,
                      got_rule ? got_rule : "no rule", rule);
    if (pe_case_get(c, "reason_has"))
        ck_assert_msg(strstr(member(res, "reason"), pe_case_get(c, "reason_has")),
                      "%s: reason lacks %s", where, pe_case_get(c, "reason_has"));
    if (pe_case_get(c, "matched"))
        ck_assert_msg(strstr(r.out, pe_case_get(c, "matched")), "%s: no match of %s", where,
                      pe_case_get(c, "matched"));
    json_object_put(res);
    pt_run_free(&r);
    free(payload);
}

START_TEST(upstream_scenarios)
{
    if (!pe_test_have_compat("upstream_scenarios"))
        return;
    pe_cases cs = pe_cases_load(DATA "/upstream.cases");
    ck_assert_uint_gt(cs.count, 20);
    char *home = temp_home();
    for (size_t i = 0; i < cs.count; i++)
        run_upstream_case(&cs.items[i], home);
    remove_tree(home);
    printf("upstream_scenarios: %zu scenarios\n", cs.count);
    pe_cases_free(&cs);
}
END_TEST

/* ---- concurrent_audit: 16 processes x 50 calls on one log ---- */

#define WRITERS 16
#define CALLS   50

/* A forked writer: home is its copy of the parent's string, freed here. */
static void writer(char *home, int w, int calls)
{
    char line[1024], payload[1024];
    snprintf(line, sizeof(line),
             "hook --agent claude_code --rules @DATA@/hook/command_rules.yaml "
             "--config @DATA@/hook/config.yaml --audit-log @HOME@/audit.jsonl");
    for (int i = 0; i < calls; i++) {
        /* a long command, so records are well over PIPE_BUF */
        char filler[6000];
        memset(filler, 'a' + w % 26, sizeof(filler) - 1);
        filler[sizeof(filler) - 1] = '\0';
        snprintf(payload, sizeof(payload),
                 "{\"session_id\":\"w%d-c%d\",\"cwd\":\"/tmp/proj\","
                 "\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":"
                 "{\"command\":\"echo %s ",
                 w, i, i % 2 ? "deny-me" : "ask-me");
        char *full = malloc(strlen(payload) + sizeof(filler) + 16);
        sprintf(full, "%s%s\"}}", payload, filler);
        pt_run r = run_line(line, home, NULL, full, strlen(full));
        int failed = r.status != 0;
        pt_run_free(&r);
        free(full);
        if (failed) {
            free(home);
            _exit(1);
        }
    }
    free(home);
    _exit(0);
}

START_TEST(concurrent_audit)
{
    char *home = temp_home();
    int calls = pe_test_light("concurrent_audit") ? CALLS / 10 : CALLS;
    pid_t pids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        ck_assert_int_ge(pids[w], 0);
        if (pids[w] == 0)
            writer(home, w, calls);
    }
    for (int w = 0; w < WRITERS; w++) {
        int status;
        ck_assert_int_eq(waitpid(pids[w], &status, 0), pids[w]);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer %d failed", w);
    }
    char path[512];
    snprintf(path, sizeof(path), "%s/audit.jsonl", home);
    json_object *recs = read_audit("concurrent_audit", path);
    ck_assert_uint_eq(json_object_array_length(recs), (size_t)(WRITERS * calls));
    /* each call exactly once, with its own decision */
    static unsigned char seen[WRITERS][CALLS];
    for (size_t i = 0; i < json_object_array_length(recs); i++) {
        json_object *rec = json_object_array_get_idx(recs, i);
        int w, c;
        ck_assert_int_eq(sscanf(member(rec, "session_id"), "w%d-c%d", &w, &c), 2);
        ck_assert(w >= 0 && w < WRITERS && c >= 0 && c < calls && !seen[w][c]);
        seen[w][c] = 1;
        ck_assert_str_eq(member(rec, "decision"), c % 2 ? "deny" : "ask");
    }
    json_object_put(recs);
    remove_tree(home);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tools");
    TCase *tc = tcase_create("tools");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, hook_golden);
    tcase_add_test(tc, cli_cases);
    tcase_add_test(tc, upstream_scenarios);
    tcase_add_test(tc, concurrent_audit);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
