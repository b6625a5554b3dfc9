/*
 * Rules files, driven by the case files tests/data/rules/NAME.cases.
 *
 * A case gives one or more rules files and what loading them must do:
 *   name: what the case shows
 *   file NAME: the rules text (continuation lines; "  " alone is a blank line)
 *   mode: together (default: one load step, a directory when several files)
 *         | separate (one load per file, stopping at the first failure)
 *   config: key=value (an engine option; may repeat)
 *   error: KIND FILE:LINE:COL ITEM: MESSAGE   (the load must fail so)
 *   code: TEXT               prempti_strerror() of the error's status
 *   warning: KIND FILE:LINE:COL ITEM: MESSAGE (every warning, in order; on a
 *            failed load: the notes of the error)
 *   kept-warning: ...        after a failed load: the engine's warnings
 *   rules: A | B             the rules, in evaluation order
 *   active: A | B            the rules taking part in evaluation
 *   cond RULE: TEXT          the condition as compiled
 *   desc RULE: / tags RULE: / priority RULE: / enabled RULE:
 *   eval: DECISION JSON      a Claude Code payload and the decision
 *   eval-error: JSON => TEXT the evaluation fails, prempti_strerror() TEXT
 *   match: JSON => A | B     the rules matching it, in order
 *   output: JSON => RULE => TEXT   the rendered output of a matching rule
 * ITEM is "type 'name'" or "-" when the diagnostic names no item.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine_internal.h"
#include "test_util.h"

typedef struct rfile {
    const char *name;
    char *text;
} rfile;

typedef struct rcase {
    const char *path;
    const pe_case *c;
    rfile files[8];
    size_t nfiles;
    char tmpdir[64];
} rcase;

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* "KIND FILE:LINE:COL ITEM: MESSAGE" */
static void diag_str(const prempti_error *e, char *buf, size_t n)
{
    char item[600];
    if (prempti_error_item_type(e)[0])
        snprintf(item, sizeof(item), "%s '%s'", prempti_error_item_type(e),
                 prempti_error_item_name(e));
    else
        snprintf(item, sizeof(item), "-");
    snprintf(buf, n, "%s %s:%u:%u %s: %s", prempti_error_kind(e),
             base_name(prempti_error_source(e)), prempti_error_line(e), prempti_error_column(e),
             item, prempti_error_message(e));
}

static void load_files(rcase *rc)
{
    const pe_case *c = rc->c;
    for (size_t i = 0; i < c->nkeys; i++) {
        if (strncmp(c->keys[i], "file ", 5) != 0)
            continue;
        ck_assert_msg(rc->nfiles < 8, "%s:%zu: too many files", rc->path, c->line);
        const char *v = c->values[i];
        if (v[0] == '\n')
            v++;
        size_t len = strlen(v);
        char *t = malloc(len + 2);
        ck_assert_ptr_nonnull(t);
        memcpy(t, v, len);
        t[len] = '\n';
        t[len + 1] = '\0';
        rc->files[rc->nfiles].name = c->keys[i] + 5;
        rc->files[rc->nfiles].text = t;
        rc->nfiles++;
    }
}

static void write_dir(rcase *rc)
{
    snprintf(rc->tmpdir, sizeof(rc->tmpdir), "/tmp/prempti-rules-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(rc->tmpdir));
    for (size_t i = 0; i < rc->nfiles; i++) {
        char p[512];
        snprintf(p, sizeof(p), "%s/%s", rc->tmpdir, rc->files[i].name);
        FILE *f = fopen(p, "wb");
        ck_assert_ptr_nonnull(f);
        fputs(rc->files[i].text, f);
        fclose(f);
    }
}

static void remove_dir(rcase *rc)
{
    if (!rc->tmpdir[0])
        return;
    for (size_t i = 0; i < rc->nfiles; i++) {
        char p[512];
        snprintf(p, sizeof(p), "%s/%s", rc->tmpdir, rc->files[i].name);
        unlink(p);
    }
    rmdir(rc->tmpdir);
}

static prempti_config *make_config(const rcase *rc)
{
    prempti_config *cfg = NULL;
    ck_assert_int_eq(prempti_config_new(&cfg, NULL), PREMPTI_OK);
    for (size_t i = 0; i < rc->c->nkeys; i++) {
        if (strcmp(rc->c->keys[i], "config") != 0)
            continue;
        char kv[256];
        snprintf(kv, sizeof(kv), "%s", rc->c->values[i]);
        char *eq = strchr(kv, '=');
        ck_assert_msg(eq != NULL, "%s:%zu: config needs key=value", rc->path, rc->c->line);
        *eq = '\0';
        prempti_error *err = NULL;
        ck_assert_msg(prempti_config_set(cfg, kv, eq + 1, &err) == PREMPTI_OK, "%s:%zu: %s",
                      rc->path, rc->c->line, pe_test_errstr(err));
    }
    return cfg;
}

/* Loads the case's files; returns the failed load's error (or NULL). A
 * failed load must leave the engine's rules as they were. */
static prempti_error *load(rcase *rc, prempti_engine *e)
{
    const char *mode = pe_case_get(rc->c, "mode");
    prempti_error *err = NULL;
    if (mode && strcmp(mode, "separate") == 0) {
        for (size_t i = 0; i < rc->nfiles; i++) {
            size_t before = prempti_engine_rule_count(e);
            size_t warnings = prempti_engine_warning_count(e);
            if (prempti_engine_load_rules(e, rc->files[i].text, strlen(rc->files[i].text),
                                          rc->files[i].name, &err) != PREMPTI_OK) {
                ck_assert_uint_eq(prempti_engine_rule_count(e), before);
                ck_assert_uint_eq(prempti_engine_warning_count(e), warnings);
                return err;
            }
        }
        return NULL;
    }
    if (rc->nfiles == 1) {
        prempti_engine_load_rules(e, rc->files[0].text, strlen(rc->files[0].text),
                                  rc->files[0].name, &err);
        return err;
    }
    write_dir(rc);
    prempti_engine_load_rules_path(e, rc->tmpdir, &err);
    return err;
}

/* Compares the diagnostics with the case's lines for key, in order. */
static void check_diags(const rcase *rc, const char *key, const prempti_error *const *got, size_t n)
{
    size_t k = 0;
    char buf[2048];
    for (size_t i = 0; i < rc->c->nkeys; i++) {
        if (strcmp(rc->c->keys[i], key) != 0)
            continue;
        ck_assert_msg(k < n, "%s:%zu: missing %s: %s", rc->path, rc->c->line, key,
                      rc->c->values[i]);
        diag_str(got[k++], buf, sizeof(buf));
        ck_assert_msg(strcmp(buf, rc->c->values[i]) == 0,
                      "%s:%zu: %s\n  expected %s\n  got      %s", rc->path, rc->c->line, key,
                      rc->c->values[i], buf);
    }
    if (k < n) {
        diag_str(got[k], buf, sizeof(buf));
        ck_abort_msg("%s:%zu: unexpected %s: %s", rc->path, rc->c->line, key, buf);
    }
}

static const pe_rule *find_rule(const rcase *rc, const prempti_engine *e, const char *name)
{
    for (size_t i = 0; i < e->nrules; i++)
        if (strcmp(pe_engine_rule_name(e, i), name) == 0)
            return &e->rules[i];
    ck_abort_msg("%s:%zu: no rule '%s'", rc->path, rc->c->line, name);
    return NULL;
}

static void join_names(const prempti_engine *e, int active_only, char *buf, size_t n)
{
    buf[0] = '\0';
    size_t len = 0;
    for (size_t i = 0; i < prempti_engine_rule_count(e); i++) {
        if (active_only && !prempti_engine_rule_active(e, i))
            continue;
        len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? " | " : "",
                                prempti_engine_rule_name(e, i));
        ck_assert_uint_lt(len, n);
    }
}

static void check_rule_props(const rcase *rc, const prempti_engine *e)
{
    static const char *const prios[] = {"emergency", "alert",  "critical",      "error",
                                        "warning",   "notice", "informational", "debug"};
    for (size_t i = 0; i < rc->c->nkeys; i++) {
        const char *k = rc->c->keys[i], *want = rc->c->values[i];
        const char *sp = strchr(k, ' ');
        if (!sp || strncmp(k, "file ", 5) == 0)
            continue;
        const pe_rule *r = find_rule(rc, e, sp + 1);
        const unsigned char *base = e->base;
        char got[8192] = "";
        if (strncmp(k, "cond ", 5) == 0) {
            snprintf(got, sizeof(got), "%s",
                     r->cond_text.off ? pe_rstr_c(base, r->cond_text) : "(not compiled)");
        } else if (strncmp(k, "desc ", 5) == 0) {
            snprintf(got, sizeof(got), "%s", pe_rstr_c(base, r->desc));
        } else if (strncmp(k, "tags ", 5) == 0) {
            const pe_rstr *tags = PE_AT(base, r->tags, pe_rstr);
            for (size_t t = 0; t < r->ntags; t++)
                snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", t ? ", " : "",
                         pe_rstr_c(base, tags[t]));
        } else if (strncmp(k, "priority ", 9) == 0) {
            snprintf(got, sizeof(got), "%s", prios[r->priority]);
        } else if (strncmp(k, "enabled ", 8) == 0) {
            snprintf(got, sizeof(got), "%d", r->enabled);
        } else {
            ck_abort_msg("%s:%zu: unknown key '%s'", rc->path, rc->c->line, k);
        }
        ck_assert_msg(strcmp(got, want) == 0, "%s:%zu: %s\n  expected %s\n  got      %s", rc->path,
                      rc->c->line, k, want, got);
    }
}

static prempti_result *evaluate(const rcase *rc, const prempti_engine *e, const char *json,
                                const prempti_config *cfg)
{
    prempti_event *ev = NULL;
    prempti_result *r = NULL;
    prempti_error *err = NULL;
    ck_assert_msg(prempti_event_from_json(&ev, cfg, json, strlen(json), &err) == PREMPTI_OK,
                  "%s:%zu: event: %s", rc->path, rc->c->line, pe_test_errstr(err));
    ck_assert_msg(prempti_evaluate(&r, e, ev, &err) == PREMPTI_OK, "%s:%zu: evaluate: %s", rc->path,
                  rc->c->line, pe_test_errstr(err));
    prempti_event_free(ev);
    return r;
}

/* Splits "JSON => REST" in place. */
static char *split_arrow(const rcase *rc, char *s)
{
    char *a = strstr(s, " => ");
    ck_assert_msg(a != NULL, "%s:%zu: expected 'JSON => ...'", rc->path, rc->c->line);
    *a = '\0';
    return a + 4;
}

static void check_eval(const rcase *rc, const prempti_engine *e, const prempti_config *cfg)
{
    for (size_t i = 0; i < rc->c->nkeys; i++) {
        const char *k = rc->c->keys[i];
        char v[4096];
        snprintf(v, sizeof(v), "%s", rc->c->values[i]);
        if (strcmp(k, "eval") == 0) {
            char *json = strchr(v, ' ');
            ck_assert_ptr_nonnull(json);
            *json++ = '\0';
            prempti_result *r = evaluate(rc, e, json, cfg);
            ck_assert_msg(strcmp(prempti_decision_name(prempti_result_decision(r)), v) == 0,
                          "%s:%zu: %s: expected %s, got %s", rc->path, rc->c->line, json, v,
                          prempti_decision_name(prempti_result_decision(r)));
            prempti_result_free(r);
        } else if (strcmp(k, "eval-error") == 0) {
            char *want = split_arrow(rc, v);
            prempti_event *ev = NULL;
            prempti_result *r = NULL;
            prempti_error *err = NULL;
            ck_assert_msg(prempti_event_from_json(&ev, cfg, v, strlen(v), &err) == PREMPTI_OK,
                          "%s:%zu: event: %s", rc->path, rc->c->line, pe_test_errstr(err));
            int code = prempti_evaluate(&r, e, ev, &err);
            ck_assert_msg(code < 0 && r == NULL, "%s:%zu: %s: evaluated (%s), expected an error",
                          rc->path, rc->c->line, v,
                          r ? prempti_decision_name(prempti_result_decision(r)) : "-");
            ck_assert_msg(strcmp(prempti_strerror(code), want) == 0,
                          "%s:%zu: expected %s, got %s (%s)", rc->path, rc->c->line, want,
                          prempti_strerror(code), pe_test_errstr(err));
            prempti_error_free(err);
            prempti_event_free(ev);
        } else if (strcmp(k, "match") == 0 || strcmp(k, "output") == 0) {
            char *want = split_arrow(rc, v), *text = NULL;
            if (strcmp(k, "output") == 0)
                text = split_arrow(rc, want);
            prempti_result *r = evaluate(rc, e, v, cfg);
            char got[4096] = "";
            int found = 0;
            for (size_t m = 0; m < prempti_result_match_count(r); m++) {
                const char *name = prempti_result_match_rule(r, m);
                if (text && strcmp(name, want) == 0) {
                    snprintf(got, sizeof(got), "%s", prempti_result_match_output(r, m));
                    found = 1;
                } else if (!text) {
                    snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", m ? " | " : "",
                             name);
                }
            }
            if (text)
                ck_assert_msg(found, "%s:%zu: rule '%s' did not match", rc->path, rc->c->line,
                              want);
            ck_assert_msg(strcmp(got, text ? text : want) == 0,
                          "%s:%zu: %s\n  expected %s\n  got      %s", rc->path, rc->c->line, k,
                          text ? text : want, got);
            prempti_result_free(r);
        }
    }
}

/* The engine after the loads; its warnings are compared with wkey lines. */
static void check_ok(const rcase *rc, const prempti_engine *e, const prempti_config *cfg,
                     const char *wkey)
{
    const prempti_error *w[256];
    size_t n = prempti_engine_warning_count(e);
    ck_assert_uint_le(n, 256);
    for (size_t i = 0; i < n; i++)
        w[i] = prempti_engine_warning(e, i);
    check_diags(rc, wkey, w, n);
    char buf[8192];
    const char *want = pe_case_get(rc->c, "rules");
    join_names(e, 0, buf, sizeof(buf));
    if (want)
        ck_assert_msg(strcmp(buf, want) == 0, "%s:%zu: rules\n  expected %s\n  got      %s",
                      rc->path, rc->c->line, want, buf);
    if ((want = pe_case_get(rc->c, "active"))) {
        join_names(e, 1, buf, sizeof(buf));
        ck_assert_msg(strcmp(buf, want) == 0, "%s:%zu: active\n  expected %s\n  got      %s",
                      rc->path, rc->c->line, want, buf);
    }
    check_rule_props(rc, e);
    check_eval(rc, e, cfg);
}

static void run_case(const char *path, const pe_case *c)
{
    rcase rc = {0};
    rc.path = path;
    rc.c = c;
    load_files(&rc);
    prempti_config *cfg = make_config(&rc);
    prempti_engine *e = NULL;
    ck_assert_int_eq(prempti_engine_new(&e, cfg, NULL), PREMPTI_OK);
    prempti_error *err = load(&rc, e);
    if (err && !pe_case_get(c, "mode")) /* one load step: nothing was kept */
        ck_assert_uint_eq(prempti_engine_rule_count(e), 0);
    const char *want = pe_case_get(c, "error");
    if (want) {
        char buf[2048];
        ck_assert_msg(err != NULL, "%s:%zu: loaded, expected error %s", path, c->line, want);
        diag_str(err, buf, sizeof(buf));
        ck_assert_msg(strcmp(buf, want) == 0, "%s:%zu: error\n  expected %s\n  got      %s", path,
                      c->line, want, buf);
        const char *code = pe_case_get(c, "code");
        if (code)
            ck_assert_msg(strcmp(prempti_strerror(prempti_error_code(err)), code) == 0,
                          "%s:%zu: code: expected %s, got %s", path, c->line, code,
                          prempti_strerror(prempti_error_code(err)));
        const prempti_error *notes[256];
        size_t n = prempti_error_note_count(err);
        ck_assert_uint_le(n, 256);
        for (size_t i = 0; i < n; i++)
            notes[i] = prempti_error_note(err, i);
        check_diags(&rc, "warning", notes, n);
        if (pe_case_get(c, "rules"))
            check_ok(&rc, e, cfg, "kept-warning"); /* what earlier loads left */
    } else {
        ck_assert_msg(err == NULL, "%s:%zu: %s", path, c->line, pe_test_errstr(err));
        check_ok(&rc, e, cfg, "warning");
    }
    prempti_error_free(err);
    prempti_engine_free(e);
    prempti_config_free(cfg);
    remove_dir(&rc);
    for (size_t i = 0; i < rc.nfiles; i++)
        free(rc.files[i].text);
}

/* ---- the case files ---- */

/* Check's assertions only work inside tests, so main() counts the cases
 * itself (blocks with a key line, as pe_cases_load() splits them) and each
 * test loads its file. */
static char **paths;
static size_t npaths;
static struct {
    size_t file, index;
} * flat;
static size_t nflat;

static size_t count_cases(const char *path)
{
    char *text = pe_test_read_file(path, NULL);
    size_t n = 0;
    int keys = 0;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len == 3 && strncmp(line, "---", 3) == 0) {
            n += keys;
            keys = 0;
        } else if (len && line[0] != '#' && line[0] != ' ') {
            keys = 1;
        }
        line = nl ? nl + 1 : line + len;
    }
    free(text);
    return n + keys;
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void find_cases(void)
{
    const char *dir = pe_test_data("rules");
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n < 6 || strcmp(de->d_name + n - 6, ".cases") != 0)
            continue;
        paths = realloc(paths, (npaths + 1) * sizeof(*paths));
        size_t len = strlen(dir) + n + 2;
        paths[npaths] = malloc(len);
        snprintf(paths[npaths], len, "%s/%s", dir, de->d_name);
        npaths++;
    }
    closedir(d);
    qsort(paths, npaths, sizeof(*paths), cmp_path);
    for (size_t f = 0; f < npaths; f++) {
        size_t n = count_cases(paths[f]);
        flat = realloc(flat, (nflat + n) * sizeof(*flat));
        for (size_t i = 0; i < n; i++) {
            flat[nflat].file = f;
            flat[nflat].index = i;
            nflat++;
        }
    }
}

START_TEST(rules_case)
{
    const char *path = paths[flat[_i].file];
    pe_cases cs = pe_cases_load(path);
    ck_assert_uint_lt(flat[_i].index, cs.count);
    run_case(path, &cs.items[flat[_i].index]);
    pe_cases_free(&cs);
}
END_TEST

/* Enough cases to cover the loader (printed for the reviewer). */
START_TEST(case_count)
{
    size_t total = 0;
    for (size_t f = 0; f < npaths; f++) {
        pe_cases cs = pe_cases_load(paths[f]);
        total += cs.count;
        pe_cases_free(&cs);
    }
    printf("rules cases: %zu in %zu files\n", total, npaths);
    ck_assert_uint_eq(total, nflat);
    ck_assert_uint_gt(total, 100);
}
END_TEST

int main(void)
{
    find_cases();
    Suite *s = suite_create("rules");
    TCase *tc = tcase_create("cases");
    tcase_add_loop_test(tc, rules_case, 0, (int)nflat);
    tcase_add_test(tc, case_count);
    suite_add_tcase(s, tc);
    int rc = pe_test_run(s);
    for (size_t i = 0; i < npaths; i++)
        free(paths[i]);
    free(paths);
    free(flat);
    return rc;
}
