/*
 * Every limit, at it and just past it (the case files of tests/data/limits/): the
 * input at the limit is accepted, the input one step past it gets an error
 * or an ask, never an allow, never unbounded work.
 *
 * A case builds up to two texts, `rules` (a rules file) and `event` (a hook
 * payload), each either given whole (`rules:`, continuation lines joined by
 * newlines) or generated:
 *   NAME.before, NAME.unit, NAME.after   pieces, with C escapes (\n \t \\ \xHH)
 *   NAME.repeat N                        the text is before + N units + after;
 *                                        in unit i (from 1) {i} is i, {p} is i-1
 *   NAME.middle, NAME.close              with repeat: before + N units + middle
 *                                        + N closes + after (nesting)
 *   NAME.unit2, NAME.repeat2             a second run of units after middle
 *   NAME.size N                          instead of repeat: as many units as
 *                                        make the text exactly N bytes
 * With only rules the case loads them; with only event it parses it; with
 * both it evaluates the event on the rules. Other keys:
 *   config     key=value lines applied to the config
 *   expect     ok, or the status the step must fail with (PREMPTI_E_LIMIT ...)
 *   message    text the error message must contain
 *   decision   with expect: ok, the decision the evaluation must give
 *   heavy      yes: left out under a checker (pe_test_light)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "util/strbuf.h"

static const struct {
    const char *name;
    int code;
} statuses[] = {{"ok", PREMPTI_OK},
                {"PREMPTI_E_NOMEM", PREMPTI_E_NOMEM},
                {"PREMPTI_E_INVALID_ARG", PREMPTI_E_INVALID_ARG},
                {"PREMPTI_E_IO", PREMPTI_E_IO},
                {"PREMPTI_E_YAML", PREMPTI_E_YAML},
                {"PREMPTI_E_RULE", PREMPTI_E_RULE},
                {"PREMPTI_E_JSON", PREMPTI_E_JSON},
                {"PREMPTI_E_EVENT", PREMPTI_E_EVENT},
                {"PREMPTI_E_LIMIT", PREMPTI_E_LIMIT}};

static int status_code(const char *where, const char *name)
{
    for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
        if (strcmp(statuses[i].name, name) == 0)
            return statuses[i].code;
    ck_abort_msg("%s: unknown status '%s'", where, name);
    return 0;
}

/* Appends s with C escapes decoded and {i} / {p} replaced by i and i - 1. */
static void put_piece(pe_strbuf *sb, const char *s, size_t i)
{
    for (; *s; s++) {
        if (s[0] == '{' && (s[1] == 'i' || s[1] == 'p') && s[2] == '}') {
            pe_sb_printf(sb, "%zu", s[1] == 'i' ? i : i - 1);
            s += 2;
        } else if (s[0] == '\\' && s[1]) {
            s++;
            unsigned v = 0;
            switch (*s) {
            case 'n':
                pe_sb_putc(sb, '\n');
                break;
            case 't':
                pe_sb_putc(sb, '\t');
                break;
            case 'x':
                ck_assert_msg(sscanf(s + 1, "%2x", &v) == 1, "bad \\x escape");
                pe_sb_putc(sb, (char)v);
                s += 2;
                break;
            default:
                pe_sb_putc(sb, *s);
                break;
            }
        } else {
            pe_sb_putc(sb, *s);
        }
    }
}

static const char *key_of(const pe_case *c, const char *name, const char *part)
{
    char key[64];
    snprintf(key, sizeof(key), "%s.%s", name, part);
    return pe_case_get(c, key);
}

/* The text called name; NULL when the case has none. */
static char *build(const pe_case *c, const char *where, const char *name, size_t *len)
{
    pe_strbuf sb = PE_STRBUF_INIT;
    const char *whole = pe_case_get(c, name);
    const char *unit = key_of(c, name, "unit"), *before = key_of(c, name, "before");
    const char *after = key_of(c, name, "after"), *repeat = key_of(c, name, "repeat");
    const char *size = key_of(c, name, "size");
    if (whole) {
        pe_sb_puts(&sb, whole);
        pe_sb_putc(&sb, '\n');
    } else if (unit) {
        ck_assert_msg(!repeat != !size, "%s: %s needs repeat or size", where, name);
        pe_strbuf tail = PE_STRBUF_INIT;
        if (after)
            put_piece(&tail, after, 0);
        if (before)
            put_piece(&sb, before, 0);
        size_t n = repeat ? (size_t)atol(repeat) : SIZE_MAX, want = size ? (size_t)atol(size) : 0;
        for (size_t i = 1; i <= n && (!size || sb.len + tail.len < want); i++)
            put_piece(&sb, unit, i);
        if (key_of(c, name, "middle"))
            put_piece(&sb, key_of(c, name, "middle"), 0);
        const char *unit2 = key_of(c, name, "unit2"), *repeat2 = key_of(c, name, "repeat2");
        for (size_t i = 1; unit2 && repeat2 && i <= (size_t)atol(repeat2); i++)
            put_piece(&sb, unit2, i);
        for (size_t i = n; key_of(c, name, "close") && i >= 1 && repeat; i--)
            put_piece(&sb, key_of(c, name, "close"), i);
        pe_sb_append(&sb, tail.data ? tail.data : "", tail.len);
        pe_sb_free(&tail);
        ck_assert_msg(!size || sb.len == want, "%s: %s is %zu bytes, not %zu", where, name, sb.len,
                      want);
    } else {
        return NULL;
    }
    ck_assert_msg(!pe_sb_failed(&sb), "out of memory");
    *len = sb.len;
    return sb.data ? sb.data : strdup("");
}

/* Checks a step's status and message against the case; 1 when it passed. */
static int outcome(const pe_case *c, const char *where, const char *step, int rc,
                   const prempti_error *err)
{
    const char *expect = pe_case_get(c, "expect"), *message = pe_case_get(c, "message");
    int want = status_code(where, expect);
    ck_assert_msg(rc == want, "%s: %s gave %d, want %s (%s)", where, step, rc, expect,
                  pe_test_errstr(err));
    if (message)
        ck_assert_msg(err && strstr(prempti_error_message(err), message),
                      "%s: message '%s' lacks '%s'", where, err ? prempti_error_message(err) : "",
                      message);
    return rc == PREMPTI_OK;
}

static void run_case(const pe_case *c, const char *file)
{
    char where[300];
    snprintf(where, sizeof(where), "%s:%zu (%s)", file, c->line,
             pe_case_get(c, "name") ? pe_case_get(c, "name") : "");
    if (pe_case_get(c, "heavy") && pe_test_light(where))
        return;
    size_t rules_len = 0, event_len = 0;
    char *rules = build(c, where, "rules", &rules_len);
    char *event = build(c, where, "event", &event_len);
    ck_assert_msg(rules || event, "%s: neither rules nor an event", where);
    ck_assert_msg(pe_case_get(c, "expect"), "%s: no expect", where);
    prempti_config *cfg = pe_test_config(pe_case_get(c, "config"));
    prempti_engine *e = NULL;
    prempti_event *ev = NULL;
    prempti_error *err = NULL;
    int both = rules && event;
    if (rules) {
        ck_assert_int_eq(prempti_engine_new(&e, cfg, NULL), PREMPTI_OK);
        int rc = prempti_engine_load_rules(e, rules, rules_len, "limits.yaml", &err);
        if (both)
            ck_assert_msg(rc == PREMPTI_OK, "%s: rules: %s", where, pe_test_errstr(err));
        else
            outcome(c, where, "loading the rules", rc, err);
        prempti_error_free(err);
        err = NULL;
    }
    if (event) {
        int rc = prempti_event_from_json(&ev, cfg, event, event_len, &err);
        if (both)
            ck_assert_msg(rc == PREMPTI_OK, "%s: event: %s", where, pe_test_errstr(err));
        else
            outcome(c, where, "parsing the event", rc, err);
        prempti_error_free(err);
        err = NULL;
    }
    if (both) {
        prempti_result *r = NULL;
        int rc = prempti_evaluate(&r, e, ev, &err);
        int ok = outcome(c, where, "evaluation", rc, err);
        const char *d = pe_case_get(c, "decision");
        if (ok && d)
            ck_assert_msg(strcmp(prempti_decision_name(prempti_result_decision(r)), d) == 0,
                          "%s: decision %s, want %s", where,
                          prempti_decision_name(prempti_result_decision(r)), d);
        prempti_result_free(r);
        prempti_error_free(err);
    }
    prempti_event_free(ev);
    prempti_engine_free(e);
    prempti_config_free(cfg);
    free(rules);
    free(event);
}

static const char *const files[] = {"input", "json", "yaml", "conditions", "regex", "shell"};

START_TEST(limit_cases)
{
    size_t total = 0;
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        char rel[64];
        snprintf(rel, sizeof(rel), "limits/%s.cases", files[f]);
        pe_cases cs = pe_cases_load(pe_test_data(rel));
        ck_assert_uint_gt(cs.count, 0);
        for (size_t i = 0; i < cs.count; i++)
            run_case(&cs.items[i], rel);
        total += cs.count;
        pe_cases_free(&cs);
    }
    printf("limit cases: %zu\n", total);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("limits");
    TCase *tc = tcase_create("cases");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, limit_cases);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
