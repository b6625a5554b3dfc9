/*
 * Rule outputs, data-driven: tests/data/cond/output.cases gives an output
 * format and an event (tool / input / cwd, or payload) and the exact
 * rendered text, or the exact load error and its offset. opd: lists the
 * segments' fields as written and fields: the plain fields they read (what
 * the output stage records as output_fields).
 */
#include <stdlib.h>
#include <string.h>

#include "cond_test.h"
#include "output/format.h"

static int failures;

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        failures++;                                                                                \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fputc('\n', stderr);                                                                       \
    } while (0)

static void on_diag(void *user, int severity, const char *kind, const pe_cond_src *src,
                    uint32_t pos, const char *msg)
{
    (void)src;
    ct_diag *d = user;
    if (d->msg[0])
        return; /* keep the first */
    d->severity = severity;
    snprintf(d->kind, sizeof(d->kind), "%s", kind);
    d->pos = pos;
    snprintf(d->msg, sizeof(d->msg), "%s", msg);
}

/* The segments' texts joined with ',' (fields: the plain fields). */
static char *describe(const unsigned char *base, const pe_format *f, int plain)
{
    pe_strbuf sb = PE_STRBUF_INIT;
    const pe_fmt_seg *segs = PE_AT(base, f->segs, pe_fmt_seg);
    for (size_t i = 0; i < f->nsegs; i++) {
        const pe_fmt_seg *s = &segs[i];
        if (!s->opd)
            continue;
        if (!plain) {
            pe_sb_puts(&sb, sb.len ? "," : "");
            pe_sb_puts(&sb, pe_rstr_c(base, s->opd_text));
            continue;
        }
        const pe_fmt_field *fields = PE_AT(base, s->fields, pe_fmt_field);
        for (size_t k = 0; k < s->nfields; k++) {
            pe_sb_puts(&sb, sb.len ? "," : "");
            pe_sb_puts(&sb, pe_rstr_c(base, fields[k].text));
        }
    }
    pe_sb_putc(&sb, '\0');
    char *r = pe_sb_take(&sb);
    ck_assert_ptr_nonnull(r);
    return r;
}

static void check_list(const pe_case *c, const unsigned char *base, const pe_format *f,
                       const char *key, int plain)
{
    const char *want = pe_case_get(c, key);
    if (!want)
        return;
    char *got = describe(base, f, plain);
    if (strcmp(got, want) != 0)
        FAIL("output.cases:%zu: %s: %s, wanted %s", c->line, key, got, want);
    free(got);
}

static void check_render(const pe_case *c, const unsigned char *base, const pe_format *f)
{
    size_t wlen;
    char *want = ct_get(c, "expect", &wlen);
    ck_assert_msg(want != NULL, "output.cases:%zu: no expect", c->line);
    prempti_event *ev = ct_event(c);
    pe_arena scratch = PE_ARENA_INIT;
    pe_xctx *x = malloc(sizeof(*x));
    ck_assert_ptr_nonnull(x);
    pe_xctx_init(x, ev, &ev->views[0], &scratch);
    x->img = base;
    pe_strbuf sb = PE_STRBUF_INIT;
    int rc = pe_format_render(&sb, f, x);
    if (rc || sb.len != wlen || memcmp(pe_sb_str(&sb), want, wlen) != 0)
        FAIL("output.cases:%zu: rendered \"%s\" (rc %d), wanted \"%s\"", c->line, pe_sb_str(&sb),
             rc, want);
    pe_sb_free(&sb);
    free(x);
    pe_arena_free(&scratch);
    prempti_event_free(ev);
    free(want);
}

static void check_case(const pe_case *c)
{
    size_t len;
    char *text = ct_get(c, "format", &len);
    ck_assert_msg(text != NULL, "output.cases:%zu: no format", c->line);
    pe_region a = PE_REGION_INIT;
    ck_assert_int_eq(pe_region_init(&a, (size_t)64 << 20, 8), 0);
    ct_diag d = {0};
    pe_compile_ctx cc = {&a, on_diag, &d, 0, 0, NULL, 0};
    const pe_format *f = pe_format_compile(&cc, text, len, NULL);
    ck_assert(!cc.oom);
    const char *error = pe_case_get(c, "error"), *at = pe_case_get(c, "at");
    if (error) {
        if (f)
            FAIL("output.cases:%zu: compiled, wanted: %s", c->line, error);
        else if (strcmp(d.msg, error) != 0 || !at || d.pos != strtoul(at, NULL, 10) ||
                 strcmp(d.kind, "LOAD_ERR_COMPILE_OUTPUT") != 0)
            FAIL("output.cases:%zu: %u %s %s\nwanted\n  %s %s", c->line, d.pos, d.kind, d.msg,
                 at ? at : "?", error);
    } else if (!f) {
        FAIL("output.cases:%zu: %s", c->line, d.msg);
    } else {
        check_render(c, a.base, f);
        check_list(c, a.base, f, "opd", 0);
        check_list(c, a.base, f, "fields", 1);
    }
    pe_region_free(&a);
    free(text);
}

START_TEST(output_cases)
{
    failures = 0;
    pe_cases cs = pe_cases_load(pe_test_data("cond/output.cases"));
    for (size_t i = 0; i < cs.count; i++)
        check_case(&cs.items[i]);
    printf("output.cases: %zu formats, %d failed\n", cs.count, failures);
    ck_assert_int_eq(failures, 0);
    pe_cases_free(&cs);
}
END_TEST

/* prempti_event_field() names a field the way outputs do. */
START_TEST(event_field_uses_output_syntax)
{
    prempti_event *ev = pe_test_event("{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\","
                                      "\"tool_input\":{\"command\":\"ls\"},\"cwd\":\"/w\"}",
                                      NULL);
    static const struct {
        const char *field, *want;
    } ok[] = {{"tool.name", "Bash"},
              {"toupper(tool.name)", "BASH"},
              {"tool.input[command]", "ls"},
              {"len(tool.input_command)", "2"},
              {"tool.input_keys", "(command)"},
              {"tool.sandbox_escape", "false"}};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        char *v = NULL;
        prempti_error *err = NULL;
        ck_assert_int_eq(prempti_event_field(&v, ev, ok[i].field, &err), PREMPTI_OK);
        ck_assert_str_eq(v, ok[i].want);
        prempti_free(v);
    }
    char *v = (char *)"x";
    ck_assert_int_eq(prempti_event_field(&v, ev, "tool.input[nope]", NULL), PREMPTI_OK);
    ck_assert_ptr_null(v);
    static const char *const bad[] = {"tool.nam", "tool.name x", "", "toupper(agent.pid)",
                                      "tool.name[x]"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        prempti_error *err = NULL;
        ck_assert_int_eq(prempti_event_field(&v, ev, bad[i], &err), PREMPTI_E_UNSUPPORTED);
        ck_assert_ptr_null(v);
        prempti_error_free(err);
    }
    prempti_event_free(ev);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("output");
    TCase *tc = tcase_create("output");
    tcase_add_test(tc, output_cases);
    tcase_add_test(tc, event_field_uses_output_syntax);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
