/*
 * Shared utilities: JSON string quoting (serde_json's escapes, no escaped
 * slashes, invalid UTF-8 replaced), UTF-8 validation, string buffers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "util/jsonw.h"
#include "util/strbuf.h"
#include "util/utf8.h"

static const struct {
    const char *in;
    size_t len; /* 0: strlen */
    const char *out;
} quote_cases[] = {
    {"", 0, "\"\""},
    {"plain /path/.ssh/id_rsa", 0, "\"plain /path/.ssh/id_rsa\""},
    {"say \"hi\" \\ there", 0, "\"say \\\"hi\\\" \\\\ there\""},
    {"a\nb\rc\td\be\ff", 0, "\"a\\nb\\rc\\td\\be\\ff\""},
    {"\x01\x1f", 0, "\"\\u0001\\u001f\""},
    {"del\x7f", 0, "\"del\x7f\""},
    {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 0,
     "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""},
    {"bad\xff"
     "end",
     0,
     "\"bad\xef\xbf\xbd"
     "end\""},
    {"trunc\xe2\x82", 0, "\"trunc\xef\xbf\xbd\xef\xbf\xbd\""},
    {"overlong\xc0\xaf", 0, "\"overlong\xef\xbf\xbd\xef\xbf\xbd\""},
    {"surrogate\xed\xa0\x80", 0, "\"surrogate\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""},
    {"nul\0in", 6, "\"nul\\u0000in\""},
};

START_TEST(json_quote_table)
{
    for (size_t i = 0; i < sizeof(quote_cases) / sizeof(quote_cases[0]); i++) {
        pe_strbuf sb = PE_STRBUF_INIT;
        size_t len = quote_cases[i].len ? quote_cases[i].len : strlen(quote_cases[i].in);
        pe_json_quote(&sb, quote_cases[i].in, len);
        ck_assert_msg(!pe_sb_failed(&sb), "case %zu", i);
        ck_assert_msg(strcmp(pe_sb_str(&sb), quote_cases[i].out) == 0, "case %zu: got %s", i,
                      pe_sb_str(&sb));
        /* the output is always valid UTF-8 */
        ck_assert_uint_eq(pe_utf8_check(sb.data, sb.len), sb.len);
        pe_sb_free(&sb);
    }
}
END_TEST

/* The byte-at-a-time definition the fast quoting must agree with. */
static void reference_quote(pe_strbuf *sb, const unsigned char *p, size_t len)
{
    pe_sb_putc(sb, '"');
    for (size_t i = 0; i < len;) {
        unsigned c = p[i];
        size_t n = c >= 0x80 ? pe_utf8_seq(p + i, len - i) : 1;
        if (c >= 0x80 && !n) {
            pe_sb_puts(sb, "\xef\xbf\xbd");
            i++;
        } else if (c >= 0x80) {
            pe_sb_append(sb, (const char *)p + i, n);
            i += n;
        } else if (c == '"' || c == '\\') {
            pe_sb_putc(sb, '\\');
            pe_sb_putc(sb, (char)c);
            i++;
        } else if (c < 0x20) {
            const char *e = c == '\n'   ? "\\n"
                            : c == '\r' ? "\\r"
                            : c == '\t' ? "\\t"
                            : c == '\b' ? "\\b"
                            : c == '\f' ? "\\f"
                                        : NULL;
            if (e)
                pe_sb_puts(sb, e);
            else
                pe_sb_printf(sb, "\\u%04x", c);
            i++;
        } else {
            pe_sb_putc(sb, (char)c);
            i++;
        }
    }
    pe_sb_putc(sb, '"');
}

START_TEST(json_quote_matches_reference)
{
    /* special bytes at every offset of word-sized runs, and random mixes */
    static const unsigned char specials[] = {'"', '\\', '\n', 0x01, 0x1f, 0x7f, 0xc3, 0xff};
    uint64_t rng = 88172645463325252ULL;
    unsigned char buf[64];
    for (int round = 0; round < 20000; round++) {
        size_t len = round % 40;
        for (size_t i = 0; i < len; i++) {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            buf[i] = rng % 5 ? (unsigned char)('a' + rng % 26) : specials[(rng >> 8) % 8];
        }
        if (round % 3 == 0 && len > 1) /* a valid two-byte sequence somewhere */
            memcpy(buf + (rng >> 16) % (len - 1), "\xc3\xa9", 2);
        pe_strbuf got = PE_STRBUF_INIT, want = PE_STRBUF_INIT;
        pe_json_quote(&got, (const char *)buf, len);
        reference_quote(&want, buf, len);
        ck_assert_msg(got.len == want.len && memcmp(got.data, want.data, got.len) == 0,
                      "round %d: %s vs %s", round, pe_sb_str(&got), pe_sb_str(&want));
        ck_assert_uint_eq(pe_utf8_check(got.data, got.len), got.len);
        pe_sb_free(&got);
        pe_sb_free(&want);
    }
}
END_TEST

START_TEST(json_writer_commas_and_nesting)
{
    pe_strbuf sb = PE_STRBUF_INIT;
    pe_jw w;
    pe_jw_init(&w, &sb);
    pe_jw_obj_begin(&w);
    pe_jw_key(&w, "a");
    pe_jw_arr_begin(&w);
    pe_jw_u64(&w, 1);
    pe_jw_i64(&w, -2);
    pe_jw_bool(&w, 1);
    pe_jw_null(&w);
    pe_jw_obj_begin(&w);
    pe_jw_obj_end(&w);
    pe_jw_arr_end(&w);
    pe_jw_key(&w, "b/c");
    pe_jw_cstr(&w, NULL);
    pe_jw_key(&w, "d");
    pe_jw_raw(&w, "{\"x\":1}", 7);
    pe_jw_obj_end(&w);
    ck_assert_str_eq(pe_sb_str(&sb), "{\"a\":[1,-2,true,null,{}],\"b/c\":null,\"d\":{\"x\":1}}");
    pe_sb_free(&sb);
}
END_TEST

START_TEST(utf8_check_positions)
{
    ck_assert_uint_eq(pe_utf8_check("abc", 3), 3);
    ck_assert_uint_eq(pe_utf8_check("ab\xc3", 3), 2);
    ck_assert_uint_eq(pe_utf8_check("\xf4\x90\x80\x80", 4), 0); /* above U+10FFFF */
    ck_assert_uint_eq(pe_utf8_check("x\xe0\x80\x80", 4), 1);    /* overlong */
    ck_assert_uint_eq(pe_utf8_check("\xf0\x9f\x98\x80!", 5), 5);
    /* past the 8-byte ASCII fast path */
    ck_assert_uint_eq(pe_utf8_check("0123456789abcdefg\xff", 18), 17);
    ck_assert_uint_eq(pe_utf8_check("01234567\xc3\xa9"
                                    "89abcdef\x80",
                                    19),
                      18);
}
END_TEST

START_TEST(utf8_encode_and_hex_digits)
{
    static const struct {
        unsigned long cp;
        const char *utf8;
    } cases[] = {{0x41, "A"},
                 {0x7f, "\x7f"},
                 {0x80, "\xc2\x80"},
                 {0x7ff, "\xdf\xbf"},
                 {0x800, "\xe0\xa0\x80"},
                 {0xfffd, "\xef\xbf\xbd"},
                 {0x10000, "\xf0\x90\x80\x80"},
                 {0x10ffff, "\xf4\x8f\xbf\xbf"},
                 {0xd800, ""},
                 {0xdfff, ""},
                 {0x110000, ""}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[4];
        size_t n = pe_utf8_encode(cases[i].cp, out);
        ck_assert_uint_eq(n, strlen(cases[i].utf8));
        ck_assert_int_eq(memcmp(out, cases[i].utf8, n), 0);
        if (n) /* what is encoded is valid UTF-8 */
            ck_assert_uint_eq(pe_utf8_seq((const unsigned char *)out, n), n);
    }
    const char *digits = "0123456789abcdefABCDEF";
    for (int c = 0; c < 256; c++) {
        const char *at = c ? strchr(digits, c) : NULL;
        int want = !at ? -1 : (int)(at - digits) < 16 ? (int)(at - digits) : (int)(at - digits) - 6;
        ck_assert_int_eq(pe_hex_digit(c), want);
    }
}
END_TEST

START_TEST(strbuf_basics)
{
    pe_strbuf sb = PE_STRBUF_INIT;
    ck_assert_str_eq(pe_sb_str(&sb), "");
    pe_sb_puts(&sb, "abc");
    pe_sb_printf(&sb, "-%d-", 42);
    pe_sb_putc(&sb, 'z');
    ck_assert_str_eq(pe_sb_str(&sb), "abc-42-z");
    pe_sb_truncate(&sb, 2);
    ck_assert_str_eq(pe_sb_str(&sb), "ab");
    char *t = pe_sb_take(&sb);
    ck_assert_str_eq(t, "ab");
    ck_assert_uint_eq(sb.len, 0);
    free(t);
    /* a failure is sticky and take() then gives NULL */
    sb.failed = 1;
    pe_sb_puts(&sb, "x");
    ck_assert_ptr_null(pe_sb_take(&sb));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("util");
    tcase_add_test(tc, json_quote_table);
    tcase_add_test(tc, json_quote_matches_reference);
    tcase_add_test(tc, json_writer_commas_and_nesting);
    tcase_add_test(tc, utf8_check_positions);
    tcase_add_test(tc, utf8_encode_and_hex_digits);
    tcase_add_test(tc, strbuf_basics);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
