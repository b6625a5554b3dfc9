/*
 * Payload decoders (lib/shell/decode.h): the case files under
 * tests/data/decode/, round-trip properties on random data, random input,
 * and allocation failures.
 *
 * Case keys:
 *   decoder  base64 hex utf16le rev percent printf echo tr
 *   input    the input (base64 hex utf16le rev percent tr); input_c: C escapes
 *   args     printf/echo/tr words, one per line; args_c: the same, C escapes
 *   opts     garbage (base64), plus (percent)
 *   out      the expected output, written as pe_case_put_escaped() writes it
 *   rc       ok (default) or none
 *   flags    the expected flags, exactly (none when absent)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_check.h"
#include "shell/decode.h"
#include "util/strbuf.h"
#include "util/utf8.h"

static const struct {
    unsigned bit;
    const char *name;
} flag_names[] = {{PE_DEC_INVALID, "invalid"}, {PE_DEC_UNSUPPORTED, "unsupported"},
                  {PE_DEC_LIMIT, "limit"},     {PE_DEC_STOPPED, "stopped"},
                  {PE_DEC_URLSAFE, "urlsafe"}, {PE_DEC_GARBAGE, "garbage"}};

/* Words of a multi-line value (C escapes decoded when escaped). */
typedef struct words {
    pe_str *w;
    char **owned;
    size_t n;
} words;

static words split_args(const char *v, int escaped)
{
    words ws = {NULL, NULL, 0};
    if (!v)
        return ws;
    size_t cap = 1;
    for (const char *p = v; *p; p++)
        cap += *p == '\n';
    ws.w = calloc(cap, sizeof(*ws.w));
    ws.owned = calloc(cap, sizeof(*ws.owned));
    ck_assert(ws.w && ws.owned);
    for (const char *p = v;;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = strndup(p, n);
        ck_assert_ptr_nonnull(line);
        if (escaped) {
            size_t len;
            char *u = pe_case_unescape(line, &len);
            free(line);
            line = u;
            n = len;
        }
        ws.owned[ws.n] = line;
        ws.w[ws.n].s = line;
        ws.w[ws.n++].len = n;
        if (!nl)
            break;
        p = nl + 1;
    }
    return ws;
}

static void free_words(words *ws)
{
    for (size_t i = 0; i < ws->n; i++)
        free(ws->owned[i]);
    free(ws->owned);
    free(ws->w);
}

static int run_decoder(const char *name, pe_decoded *d, const char *in, size_t inlen,
                       const words *args, unsigned opts, pe_arena *a)
{
    if (strcmp(name, "base64") == 0)
        return pe_decode_base64(d, in, inlen, opts, a);
    if (strcmp(name, "hex") == 0)
        return pe_decode_hex(d, in, inlen, a);
    if (strcmp(name, "utf16le") == 0)
        return pe_decode_utf16le(d, in, inlen, a);
    if (strcmp(name, "rev") == 0)
        return pe_decode_rev(d, in, inlen, a);
    if (strcmp(name, "percent") == 0)
        return pe_decode_percent(d, in, inlen, opts, a);
    if (strcmp(name, "printf") == 0)
        return pe_decode_printf(d, args->w, args->n, a);
    if (strcmp(name, "echo") == 0)
        return pe_decode_echo(d, args->w, args->n, a);
    if (strcmp(name, "tr") == 0)
        return pe_decode_tr(d, args->w, args->n, in, inlen, a);
    ck_abort_msg("unknown decoder %s", name);
    return -1;
}

/* What holds for every answer. */
static void check_answer(int rc, const pe_decoded *d)
{
    ck_assert(rc == PE_DECODE_OK || rc == PE_DECODE_NONE);
    ck_assert(d->bytes.s && d->bytes.s[d->bytes.len] == '\0');
    ck_assert_int_eq(rc == PE_DECODE_NONE, (d->flags & PE_DEC_FAILED) != 0);
}

static void decode_case(pe_case_check *k, void *ctx)
{
    (void)ctx;
    static const char *const known[] = {"decoder", "input", "input_c", "args", "args_c", "opts",
                                        "out",     "rc",    "flags",   "note", NULL};
    pe_case_known_keys(k, known);
    const char *name = pe_case_value(k->c, "decoder");
    ck_assert_msg(name != NULL, "%s:%zu: no decoder", k->file, k->c->line);
    const char *in = pe_case_value(k->c, "input");
    size_t inlen = in ? strlen(in) : 0;
    char *owned = NULL;
    if (!in && pe_case_value(k->c, "input_c"))
        in = owned = pe_case_unescape(pe_case_value(k->c, "input_c"), &inlen);
    const char *av = pe_case_value(k->c, "args");
    words args = split_args(av ? av : pe_case_value(k->c, "args_c"), av == NULL);
    const char *o = pe_case_value(k->c, "opts");
    unsigned opts = o && strstr(o, "garbage") ? PE_B64_GARBAGE : 0;
    opts |= o && strstr(o, "plus") ? PE_PCT_PLUS : 0;
    pe_arena a = PE_ARENA_INIT;
    pe_decoded d;
    int rc = run_decoder(name, &d, in ? in : "", inlen, &args, opts, &a);
    check_answer(rc, &d);
    pe_strbuf sb = PE_STRBUF_INIT;
    pe_case_put_escaped(&sb, d.bytes.s, d.bytes.len);
    pe_case_expect(k, "out", pe_sb_str(&sb));
    pe_case_expect_or_empty(k, "rc", rc == PE_DECODE_OK ? "" : "none");
    pe_sb_reset(&sb);
    for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
        if (d.flags & flag_names[i].bit)
            pe_sb_printf(&sb, "%s%s", sb.len ? " " : "", flag_names[i].name);
    pe_case_expect_set(k, "flags", pe_sb_str(&sb));
    pe_sb_free(&sb);
    pe_arena_free(&a);
    free_words(&args);
    free(owned);
}

static const char *const case_files[] = {"decode/base64.cases", "decode/hex.cases",
                                         "decode/printf.cases", "decode/echo.cases",
                                         "decode/tr.cases",     "decode/misc.cases"};

START_TEST(case_file)
{
    pe_case_run_file(case_files[_i], decode_case, NULL);
}
END_TEST

/* ---- properties -------------------------------------------------------------------------- */

static size_t b64_encode(char *out, const unsigned char *in, size_t n, int url, int pad)
{
    const char *alpha = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                            : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) |
                     (i + 2 < n ? in[i + 2] : 0);
        size_t chars = n - i >= 3 ? 4 : n - i + 1;
        for (size_t k = 0; k < 4; k++)
            if (k < chars)
                out[o++] = alpha[(v >> (18 - 6 * k)) & 63];
            else if (pad)
                out[o++] = '=';
    }
    return o;
}

/* Encoding random bytes and decoding them gives them back, whatever the
 * alphabet, padding, and whitespace inserted; hex likewise. */
START_TEST(round_trips)
{
    uint64_t seed = 0xC0FFEE1234567ull;
    for (int it = 0; it < 20000; it++) {
        unsigned char raw[96];
        size_t n = pe_test_rand(&seed) % sizeof(raw);
        for (size_t i = 0; i < n; i++)
            raw[i] = (unsigned char)pe_test_rand(&seed);
        char enc[400], spaced[800];
        size_t en = b64_encode(enc, raw, n, it & 1, it & 2);
        size_t sn = 0;
        for (size_t i = 0; i < en; i++) {
            if (pe_test_rand(&seed) % 8 == 0)
                spaced[sn++] = " \n\t\r"[pe_test_rand(&seed) % 4];
            spaced[sn++] = enc[i];
        }
        pe_arena a = PE_ARENA_INIT;
        pe_decoded d;
        ck_assert_int_eq(pe_decode_base64(&d, spaced, sn, 0, &a), PE_DECODE_OK);
        ck_assert_uint_eq(d.bytes.len, n);
        ck_assert(memcmp(d.bytes.s, raw, n) == 0);
        for (size_t i = 0; i < n; i++)
            snprintf(enc + 2 * i, 3, "%02X", raw[i]);
        ck_assert_int_eq(pe_decode_hex(&d, enc, 2 * n, &a), PE_DECODE_OK);
        ck_assert(d.bytes.len == n && memcmp(d.bytes.s, raw, n) == 0);
        pe_arena_free(&a);
    }
}
END_TEST

/* UTF-16LE of random code points decodes to their UTF-8; rev twice and
 * rot13 twice are the identity on valid UTF-8 text. */
START_TEST(text_properties)
{
    uint64_t seed = 0xFEEDFACECAFEull;
    static const pe_str rot[2] = {{"A-Za-z", 6}, {"N-ZA-Mn-za-m", 12}};
    for (int it = 0; it < 5000; it++) {
        unsigned char u16[256];
        char u8[512];
        size_t n16 = 0, n8 = 0;
        for (int k = (int)(pe_test_rand(&seed) % 60); k > 0; k--) {
            unsigned long cp = pe_test_rand(&seed) % 4 ? pe_test_rand(&seed) % 0x800
                                                       : pe_test_rand(&seed) % 0x110000;
            if (cp >= 0xd800 && cp <= 0xdfff)
                cp = '\n';
            size_t k8 = pe_utf8_encode(cp, u8 + n8);
            ck_assert_uint_gt(k8, 0);
            n8 += k8;
            if (cp >= 0x10000) {
                unsigned long v = cp - 0x10000, hi = 0xd800 + (v >> 10), lo = 0xdc00 + (v & 0x3ff);
                u16[n16++] = (unsigned char)hi;
                u16[n16++] = (unsigned char)(hi >> 8);
                u16[n16++] = (unsigned char)lo;
                u16[n16++] = (unsigned char)(lo >> 8);
            } else {
                u16[n16++] = (unsigned char)cp;
                u16[n16++] = (unsigned char)(cp >> 8);
            }
        }
        pe_arena a = PE_ARENA_INIT;
        pe_decoded d, e;
        ck_assert_int_eq(pe_decode_utf16le(&d, (const char *)u16, n16, &a), PE_DECODE_OK);
        ck_assert(d.bytes.len == n8 && memcmp(d.bytes.s, u8, n8) == 0);
        ck_assert_int_eq(pe_decode_rev(&d, u8, n8, &a), PE_DECODE_OK);
        ck_assert_int_eq(pe_decode_rev(&e, d.bytes.s, d.bytes.len, &a), PE_DECODE_OK);
        ck_assert(e.bytes.len == n8 && memcmp(e.bytes.s, u8, n8) == 0);
        ck_assert_int_eq(pe_decode_tr(&d, rot, 2, u8, n8, &a), PE_DECODE_OK);
        ck_assert_int_eq(pe_decode_tr(&e, rot, 2, d.bytes.s, d.bytes.len, &a), PE_DECODE_OK);
        ck_assert(e.bytes.len == n8 && memcmp(e.bytes.s, u8, n8) == 0);
        pe_arena_free(&a);
    }
}
END_TEST

/* Random bytes and escape-rich fragments through every decoder: never a
 * crash, always a consistent answer. */
START_TEST(random_input_is_safe)
{
    static const char *const frags[] = {"\\", "\\x", "\\u", "\\U",  "\\0",  "\\1", "\\c", "%",
                                        "%s", "%b",  "%d",  "%*",   "%.",   "%-5", "%q",  "=",
                                        "[",  "[:",  ":]",  "*",    "-",    "a-z", "-e",  "-n",
                                        "YQ", "==",  "0x",  "\xff", "\xd8", "]",   "%%"};
    static const char *const names[] = {"base64",  "hex",    "utf16le", "rev",
                                        "percent", "printf", "echo",    "tr"};
    uint64_t seed = 0x123456789ABCDEFull;
    for (int it = 0; it < 30000; it++) {
        char buf[3][160];
        pe_str w[3];
        for (int j = 0; j < 3; j++) {
            size_t n = 0;
            for (int k = (int)(pe_test_rand(&seed) % 12); k > 0; k--) {
                if (pe_test_rand(&seed) % 5 == 0) {
                    buf[j][n++] = (char)pe_test_rand(&seed);
                } else {
                    const char *f = frags[pe_test_rand(&seed) % (sizeof(frags) / sizeof(frags[0]))];
                    memcpy(buf[j] + n, f, strlen(f));
                    n += strlen(f);
                }
            }
            buf[j][n] = '\0';
            w[j].s = buf[j];
            w[j].len = n;
        }
        words args = {w, NULL, 1 + pe_test_rand(&seed) % 3};
        pe_arena a = PE_ARENA_INIT;
        for (size_t d = 0; d < sizeof(names) / sizeof(names[0]); d++) {
            pe_decoded out;
            int rc = run_decoder(names[d], &out, w[0].s, w[0].len, &args,
                                 (unsigned)(pe_test_rand(&seed) & 1), &a);
            check_answer(rc, &out);
        }
        pe_arena_free(&a);
    }
}
END_TEST

/* printf's output is capped, whatever the width or the format reuse. */
START_TEST(printf_output_is_bounded)
{
    pe_str wide[2] = {{"%999999999s", 11}, {"x", 1}};
    pe_arena a = PE_ARENA_INIT;
    pe_decoded d;
    ck_assert_int_eq(pe_decode_printf(&d, wide, 2, &a), PE_DECODE_NONE);
    ck_assert(d.flags & PE_DEC_LIMIT);
    /* one conversion reused for many arguments: quadratic work is cut */
    size_t n = 20000;
    pe_str *many = calloc(n, sizeof(*many));
    char *fmt = malloc(4003);
    ck_assert(many && fmt);
    memset(fmt, 'y', 4000);
    memcpy(fmt + 4000, "%s", 3);
    many[0].s = fmt;
    many[0].len = 4002;
    for (size_t i = 1; i < n; i++)
        many[i] = wide[1];
    ck_assert_int_eq(pe_decode_printf(&d, many, n, &a), PE_DECODE_NONE);
    ck_assert(d.flags & PE_DEC_LIMIT);
    ck_assert_uint_le(d.bytes.len, PE_DECODE_MAX_OUTPUT + 8192);
    free(many);
    free(fmt);
    pe_arena_free(&a);
}
END_TEST

/* Every allocation failing in turn gives PREMPTI_E_NOMEM. */
START_TEST(allocation_failures_are_reported)
{
    static const pe_str fargs[3] = {{"%s|%5.2s|%b|%x|%c\\n", 19}, {"abc", 3}, {"defg", 4}};
    static const pe_str targs[2] = {{"[:lower:]", 9}, {"[:upper:]", 9}};
    static const pe_str eargs[2] = {{"-e", 2}, {"a\\x41\\u00e9", 11}};
    for (int which = 0; which < 4; which++) {
        int failures = 0, done = 0;
        for (size_t room = 0; !done; room += 16) {
            pe_arena a = PE_ARENA_INIT;
            pe_test_arena_with_room(&a, room);
            pe_decoded d;
            int rc = which == 0   ? pe_decode_printf(&d, fargs, 3, &a)
                     : which == 1 ? pe_decode_tr(&d, targs, 2, "rm -rf /", 8, &a)
                     : which == 2 ? pe_decode_echo(&d, eargs, 2, &a)
                                  : pe_decode_base64(&d, "cm0gLXJmIC8K", 12, 0, &a);
            if (rc >= 0) {
                check_answer(rc, &d);
                done = 1;
            } else {
                ck_assert_int_eq(rc, PREMPTI_E_NOMEM);
                failures++;
            }
            pe_arena_free(&a);
        }
        ck_assert_int_gt(failures, 0);
    }
}
END_TEST

/* A timing report, run only when PREMPTI_DECODE_BENCH is set (not asserted). */
START_TEST(timing_report)
{
    if (!getenv("PREMPTI_DECODE_BENCH"))
        return;
    static const char b64[] = "Y3VybCAtZnNTTCBodHRwczovL2V4YW1wbGUuY29tL2luc3RhbGwuc2ggfCBiYXNoIC1z"
                              "IC0tIC0tcHJlZml4PS91c3IvbG9jYWwgLS15ZXMgMj4mMQ==";
    static const pe_str fmt[1] = {
        {"\\x63\\x75\\x72\\x6c\\x20\\x2d\\x73\\x20\\x68\\x74\\x74\\x70"
         "\\x3a\\x2f\\x2f\\x78\\x2e\\x63\\x6f\\x6d\\x20\\x7c\\x20\\x73\\x68",
         100}};
    static const pe_str rot[2] = {{"A-Za-z", 6}, {"N-ZA-Mn-za-m", 12}};
    static const char text[] = "phey -sfFY uggcf://rknzcyr.pbz/vafgnyy.fu | onfu -f -- "
                               "--cersvk=/hfe/ybpny --lrf 2>&1 && rpub qbar";
    for (int which = 0; which < 3; which++) {
        int iters = 200000, failed = 0;
        double t0 = pe_test_now();
        for (int i = 0; i < iters; i++) {
            pe_arena a = PE_ARENA_INIT;
            pe_decoded d;
            int rc = which == 0   ? pe_decode_base64(&d, b64, sizeof(b64) - 1, 0, &a)
                     : which == 1 ? pe_decode_printf(&d, fmt, 1, &a)
                                  : pe_decode_tr(&d, rot, 2, text, sizeof(text) - 1, &a);
            failed |= rc != PE_DECODE_OK;
            pe_arena_free(&a);
        }
        double ns = (pe_test_now() - t0) / iters * 1e9;
        ck_assert_int_eq(failed, 0);
        size_t len = which == 0 ? sizeof(b64) - 1 : which == 1 ? fmt[0].len : sizeof(text) - 1;
        printf("decoding %s: %zu bytes: %5.0f ns\n",
               which == 0   ? "base64"
               : which == 1 ? "printf"
                            : "tr",
               len, ns);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("decode");
    TCase *tc = tcase_create("decode");
    tcase_add_loop_test(tc, case_file, 0, (int)(sizeof(case_files) / sizeof(case_files[0])));
    tcase_add_test(tc, round_trips);
    tcase_add_test(tc, text_properties);
    tcase_add_test(tc, random_input_is_safe);
    tcase_add_test(tc, printf_output_is_bounded);
    tcase_add_test(tc, allocation_failures_are_reported);
    tcase_add_test(tc, timing_report);
    tcase_set_timeout(tc, 300);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
