#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

int pe_test_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

char *pe_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n - 1 == 0) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (len)
            *len = n;
    }
    return buf;
}

const char *pe_test_data(const char *rel)
{
    static char path[4096];
    snprintf(path, sizeof(path), "%s/%s", PREMPTI_TEST_DATA, rel);
    return path;
}

int pe_test_have_compat(const char *what)
{
    struct stat st;
    if (stat(PREMPTI_COMPAT_DIR "/coding_agents_rules.yaml", &st) == 0)
        return 1;
    printf("SKIP: %s: upstream fixtures not found at %s\n", what, PREMPTI_COMPAT_DIR);
    return 0;
}

int pe_test_light(const char *what)
{
    const char *v = getenv("PREMPTI_TEST_LIGHT");
    if (!v || !v[0] || strcmp(v, "0") == 0)
        return 0;
    printf("LIGHT: %s: cut down under a checker (the sanitizer builds run it in full)\n", what);
    return 1;
}

const char *pe_test_errstr(const prempti_error *err)
{
    static char buf[2048];
    char *s = NULL;
    if (!err || prempti_error_format(&s, err) != PREMPTI_OK) {
        snprintf(buf, sizeof(buf), "(no error)");
        return buf;
    }
    snprintf(buf, sizeof(buf), "%s", s);
    prempti_free(s);
    return buf;
}

prempti_engine *pe_test_engine(const char *rules, const prempti_config *cfg)
{
    prempti_engine *e = NULL;
    prempti_error *err = NULL;
    ck_assert_int_eq(prempti_engine_new(&e, cfg, &err), PREMPTI_OK);
    int rc = prempti_engine_load_rules(e, rules, strlen(rules), "test.yaml", &err);
    ck_assert_msg(rc == PREMPTI_OK, "loading rules failed: %s", pe_test_errstr(err));
    return e;
}

prempti_event *pe_test_event(const char *json, const prempti_config *cfg)
{
    prempti_event *ev = NULL;
    prempti_error *err = NULL;
    int rc = prempti_event_from_json(&ev, cfg, json, strlen(json), &err);
    ck_assert_msg(rc == PREMPTI_OK, "event failed: %s (%s)", pe_test_errstr(err), json);
    return ev;
}

int pe_test_decide(const prempti_engine *e, const char *json, const prempti_config *cfg)
{
    prempti_event *ev = pe_test_event(json, cfg);
    prempti_result *r = NULL;
    prempti_error *err = NULL;
    int rc = prempti_evaluate(&r, e, ev, &err);
    ck_assert_msg(rc == PREMPTI_OK, "evaluate failed: %s", pe_test_errstr(err));
    int d = prempti_result_decision(r);
    prempti_result_free(r);
    prempti_event_free(ev);
    return d;
}

void pe_test_config_apply(prempti_config *cfg, const char *lines)
{
    char *copy = strdup(lines ? lines : ""), *save = NULL;
    ck_assert_ptr_nonnull(copy);
    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        char *eq = strchr(l, '=');
        ck_assert_msg(eq != NULL, "config line without '=': %s", l);
        *eq = '\0';
        prempti_error *err = NULL;
        ck_assert_msg(prempti_config_set(cfg, l, eq + 1, &err) == PREMPTI_OK, "%s",
                      pe_test_errstr(err));
    }
    free(copy);
}

prempti_config *pe_test_config(const char *lines)
{
    prempti_config *cfg = NULL;
    ck_assert_int_eq(prempti_config_new(&cfg, NULL), PREMPTI_OK);
    pe_test_config_apply(cfg, lines);
    return cfg;
}

prempti_result *pe_test_evaluate_file(const char *rules_rel, const char *payload,
                                      const prempti_config *cfg)
{
    prempti_engine *e = NULL;
    prempti_error *err = NULL;
    ck_assert_int_eq(prempti_engine_new(&e, cfg, &err), PREMPTI_OK);
    ck_assert_msg(prempti_engine_load_rules_path(e, pe_test_data(rules_rel), &err) == PREMPTI_OK,
                  "%s", pe_test_errstr(err));
    prempti_event *ev = pe_test_event(payload, cfg);
    prempti_result *r = NULL;
    ck_assert_msg(prempti_evaluate(&r, e, ev, &err) == PREMPTI_OK, "%s", pe_test_errstr(err));
    prempti_event_free(ev);
    prempti_engine_free(e);
    return r;
}

char *pe_test_replace(const char *text, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to), n = strlen(text) + 1;
    ck_assert_uint_gt(fl, 0);
    for (const char *p = text; (p = strstr(p, from)) != NULL; p += fl)
        n += tl;
    char *out = malloc(n), *o = out;
    ck_assert_ptr_nonnull(out);
    for (const char *p = text; *p;) {
        if (strncmp(p, from, fl) == 0) {
            memcpy(o, to, tl);
            o += tl;
            p += fl;
        } else
            *o++ = *p++;
    }
    *o = '\0';
    return out;
}

struct json_object *pe_test_json(const char *text, size_t len)
{
    json_tokener *tok = json_tokener_new();
    ck_assert_ptr_nonnull(tok);
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    json_object *o = json_tokener_parse_ex(tok, text, (int)len);
    int ok = json_tokener_get_error(tok) == json_tokener_success &&
             json_tokener_get_parse_end(tok) == len;
    json_tokener_free(tok);
    ck_assert_msg(ok, "not one valid JSON value (%zu bytes): %.*s", len,
                  (int)(len > 300 ? 300 : len), text);
    return o;
}

/* ---- case files ---- */

static void add_kv(pe_case *c, char *k, char *v)
{
    c->keys = realloc(c->keys, (c->nkeys + 1) * sizeof(*c->keys));
    c->values = realloc(c->values, (c->nkeys + 1) * sizeof(*c->values));
    ck_assert_ptr_nonnull(c->keys);
    ck_assert_ptr_nonnull(c->values);
    c->keys[c->nkeys] = k;
    c->values[c->nkeys] = v;
    c->nkeys++;
}

pe_cases pe_cases_load(const char *path)
{
    pe_cases cs = {0};
    cs.file = pe_test_read_file(path, NULL);
    ck_assert_msg(cs.file != NULL, "cannot read case file %s", path);
    pe_case cur = {0};
    char *last_value = NULL;
    size_t lineno = 0;
    char *p = cs.file;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        char *line = p;
        p = nl ? nl + 1 : p + strlen(p);
        if (strcmp(line, "---") == 0) {
            if (cur.nkeys) {
                cs.items = realloc(cs.items, (cs.count + 1) * sizeof(*cs.items));
                cs.items[cs.count++] = cur;
            }
            memset(&cur, 0, sizeof(cur));
            last_value = NULL;
            continue;
        }
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (line[0] == ' ' && line[1] == ' ' && last_value) {
            /* continuation: append "\n" + text (values live in the buffer,
             * so continuation lines are joined into a new allocation) */
            size_t a = strlen(last_value), b = strlen(line + 2);
            char *j = malloc(a + b + 2);
            memcpy(j, last_value, a);
            j[a] = '\n';
            memcpy(j + a + 1, line + 2, b + 1);
            cur.values[cur.nkeys - 1] = j;
            last_value = j;
            cs.owned = realloc(cs.owned, (cs.nowned + 1) * sizeof(*cs.owned));
            cs.owned[cs.nowned++] = j;
            continue;
        }
        char *colon = strstr(line, ": ");
        char *end_colon = line[strlen(line) - 1] == ':' ? line + strlen(line) - 1 : NULL;
        if (!colon && !end_colon)
            ck_abort_msg("%s:%zu: expected 'key: value'", path, lineno);
        if (!cur.nkeys)
            cur.line = lineno;
        char *sep = colon ? colon : end_colon;
        *sep = '\0';
        last_value = colon ? sep + 2 : sep;
        if (!colon)
            last_value = "";
        add_kv(&cur, line, last_value);
    }
    if (cur.nkeys) {
        cs.items = realloc(cs.items, (cs.count + 1) * sizeof(*cs.items));
        cs.items[cs.count++] = cur;
    }
    return cs;
}

const char *pe_case_get(const pe_case *c, const char *key)
{
    for (size_t i = 0; i < c->nkeys; i++)
        if (strcmp(c->keys[i], key) == 0)
            return c->values[i];
    return NULL;
}

void pe_cases_free(pe_cases *cs)
{
    for (size_t i = 0; i < cs->count; i++) {
        free(cs->items[i].keys);
        free(cs->items[i].values);
    }
    for (size_t i = 0; i < cs->nowned; i++)
        free(cs->owned[i]);
    free(cs->owned);
    free(cs->items);
    free(cs->file);
    memset(cs, 0, sizeof(*cs));
}
