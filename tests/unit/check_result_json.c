/*
 * prempti_result_to_json(): golden results (tests/data/result_json), JSON
 * validity, self-containment (the result outlives its engine and event),
 * typed output fields, and argument errors.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "output/result_json.h"
#include "test_util.h"

#define RULES  "result_json/rules.yaml"
#define CONFIG "reason_suffix= | correlation=%correlation.id\nagent_pid=4242"

START_TEST(golden_results)
{
    pe_cases cs = pe_cases_load(pe_test_data("result_json/results.cases"));
    ck_assert_uint_ge(cs.count, 5);
    for (size_t i = 0; i < cs.count; i++) {
        const pe_case *c = &cs.items[i];
        prempti_config *cfg = pe_test_config(CONFIG);
        pe_test_config_apply(cfg, pe_case_get(c, "config"));
        prempti_result *r = pe_test_evaluate_file(RULES, pe_case_get(c, "payload"), cfg);
        prempti_config_free(cfg);
        char *json = NULL;
        ck_assert_int_eq(prempti_result_to_json(&json, r, NULL), PREMPTI_OK);
        char id[24];
        snprintf(id, sizeof(id), "%" PRIu64, prempti_result_correlation_id(r));
        char *want = pe_test_replace(pe_case_get(c, "json"), "$ID", id);
        ck_assert_msg(strcmp(json, want) == 0, "results.cases:%zu (%s)\n  got:  %s\n  want: %s",
                      c->line, pe_case_get(c, "name"), json, want);
        json_object *o = pe_test_json(json, strlen(json)), *v;
        ck_assert(json_object_object_get_ex(o, "correlation_id", &v));
        ck_assert_str_eq(json_object_get_string(v), id);
        json_object_put(o);
        free(want);
        prempti_free(json);
        prempti_result_free(r);
    }
    pe_cases_free(&cs);
}
END_TEST

/* Every kind of value, written the way Falco's JSON output types it. */
START_TEST(field_values_are_typed)
{
    static const pe_str items[] = {{"a", 1}, {"b\"/", 3}};
    pe_ofield f[6] = {{0}};
    f[0].present = 1, f[0].type = PE_FT_STRING, f[0].value.str = (pe_str){"x/y", 3};
    f[1].present = 1, f[1].type = PE_FT_U64, f[1].value.num = UINT64_MAX;
    f[2].present = 1, f[2].type = PE_FT_BOOL, f[2].value.num = 1;
    f[3].present = 1, f[3].type = PE_FT_LIST, f[3].value.items = items, f[3].value.nitems = 2;
    f[4].present = 0, f[4].type = PE_FT_STRING;
    f[5].present = 1, f[5].type = PE_FT_STRING, f[5].value.str = (pe_str){"\xff\xfe", 2};
    static const char *const want[] = {"\"x/y\"", "18446744073709551615",
                                       "true",    "[\"a\",\"b\\\"/\"]",
                                       "null",    "\"\xEF\xBF\xBD\xEF\xBF\xBD\""};
    for (size_t i = 0; i < 6; i++) {
        pe_strbuf sb = PE_STRBUF_INIT;
        pe_jw w;
        pe_jw_init(&w, &sb);
        pe_out_field_value(&w, &f[i]);
        ck_assert_str_eq(pe_sb_str(&sb), want[i]);
        pe_sb_free(&sb);
    }
}
END_TEST

START_TEST(iso8601_times)
{
    char buf[PE_ISO8601_SIZE];
    pe_iso8601(buf, 0);
    ck_assert_str_eq(buf, "1970-01-01T00:00:00.000000000Z");
    pe_iso8601(buf, 1700000000123456789ULL);
    ck_assert_str_eq(buf, "2023-11-14T22:13:20.123456789Z");
    pe_iso8601(buf, UINT64_MAX); /* year 2554: still well-formed */
    ck_assert_str_eq(buf, "2554-07-21T23:34:33.709551615Z");
}
END_TEST

START_TEST(bad_arguments)
{
    char *json = (char *)1;
    prempti_error *err = NULL;
    ck_assert_int_eq(prempti_result_to_json(&json, NULL, &err), PREMPTI_E_INVALID_ARG);
    ck_assert_ptr_null(json);
    ck_assert_ptr_nonnull(strstr(prempti_error_message(err), "result"));
    prempti_error_free(err);
    ck_assert_int_eq(prempti_result_to_json(NULL, NULL, NULL), PREMPTI_E_INVALID_ARG);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("result_json");
    TCase *tc = tcase_create("result_json");
    tcase_add_test(tc, golden_results);
    tcase_add_test(tc, field_values_are_typed);
    tcase_add_test(tc, iso8601_times);
    tcase_add_test(tc, bad_arguments);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pe_test_run(suite());
}
