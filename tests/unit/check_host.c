/*
 * Hosts and URLs (lib/util/host.h): the case files under tests/data/host/,
 * a differential check of IPv4 and IPv6 literals against the C library's
 * inet_aton / inet_pton, random input, and allocation failures.
 *
 * hosts.cases keys: host (or host_c, C escapes); text, kind (none name ipv4
 * ipv6), v4 are checked when given; flags (host flags) must be exactly
 * those listed.
 * urls.cases keys: url (or url_c); style (web scp ssh; web when absent);
 * scheme userinfo host port port_num path kind v4 checked when given;
 * flags (url flags) and host_flags must be exactly those listed.
 * dev.cases keys: path; proto host port port_num (no proto: not a /dev path).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_check.h"
#include "util/host.h"
#include "util/strbuf.h"

typedef struct flag_name {
    unsigned bit;
    const char *name;
} flag_name;

static const flag_name host_flags[] = {
    {PE_HOST_F_ENCODED, "encoded"},  {PE_HOST_F_ODD_IPV4, "odd_ipv4"},
    {PE_HOST_F_MAPPED, "mapped"},    {PE_HOST_F_EMBEDDED, "embedded"},
    {PE_HOST_F_TRAILING_DOT, "dot"}, {PE_HOST_F_BAD_IPV4, "bad_ipv4"},
    {PE_HOST_F_INVALID, "invalid"},  {PE_HOST_F_ZONE, "zone"},
    {PE_HOST_F_WIDE, "wide"},        {0, NULL}};

static const flag_name url_flags[] = {{PE_URL_F_AUTHORITY, "authority"},
                                      {PE_URL_F_BAD_PORT, "bad_port"},
                                      {PE_URL_F_DEFAULT_PORT, "default_port"},
                                      {PE_URL_F_LOCAL, "local"},
                                      {PE_URL_F_RSYNC_DAEMON, "rsync_daemon"},
                                      {PE_URL_F_AMBIGUOUS, "ambiguous"},
                                      {0, NULL}};

static const char *const kinds[] = {"none", "name", "ipv4", "ipv6"};

/* Flags must be exactly the listed ones (in any order). */
static void expect_flags(pe_case_check *k, const char *key, unsigned flags, const flag_name *names)
{
    pe_strbuf sb = PE_STRBUF_INIT;
    for (size_t i = 0; names[i].name; i++)
        if (flags & names[i].bit)
            pe_sb_printf(&sb, "%s%s", sb.len ? " " : "", names[i].name);
    pe_case_expect_set(k, key, pe_sb_str(&sb));
    pe_sb_free(&sb);
}

static int nul_terminated(pe_str s)
{
    return s.s && s.s[s.len] == '\0';
}

/* What holds for every host, whatever the input. */
static void host_invariants(const pe_host *h, pe_arena *a)
{
    ck_assert(nul_terminated(h->text) && nul_terminated(h->v4));
    ck_assert((h->kind == PE_HOST_NONE) == (h->text.len == 0));
    if (h->kind == PE_HOST_IPV4) {
        ck_assert(h->v4.len > 0 && strcmp(h->v4.s, h->text.s) == 0);
        ck_assert(!(h->flags & (PE_HOST_F_BAD_IPV4 | PE_HOST_F_INVALID)));
    }
    if (h->kind == PE_HOST_IPV4 || h->kind == PE_HOST_IPV6) {
        /* normalised text is a fixed point: same text, same address, no oddity */
        pe_host again;
        ck_assert_int_eq(pe_host_normalize(&again, h->text.s, h->text.len, a), 0);
        ck_assert_str_eq(again.text.s, h->text.s);
        ck_assert_int_eq(again.kind, h->kind);
        ck_assert(memcmp(again.addr, h->addr, sizeof(h->addr)) == 0);
        ck_assert(!(again.flags & (PE_HOST_F_ODD_IPV4 | PE_HOST_F_ENCODED | PE_HOST_F_WIDE)));
    }
    if (h->flags & PE_HOST_F_EMBEDDED)
        ck_assert(h->kind == PE_HOST_IPV6 && h->v4.len > 0);
}

static void host_case(pe_case_check *k, void *ctx)
{
    (void)ctx;
    static const char *const known[] = {"host",  "host_c", "text", "kind",
                                        "flags", "v4",     "note", NULL};
    pe_case_known_keys(k, known);
    const char *raw = pe_case_value(k->c, "host");
    size_t len = raw ? strlen(raw) : 0;
    char *owned = NULL;
    if (!raw) {
        const char *c = pe_case_value(k->c, "host_c");
        ck_assert_msg(c != NULL, "%s:%zu: no host", k->file, k->c->line);
        raw = owned = pe_case_unescape(c, &len);
    }
    pe_arena a = PE_ARENA_INIT;
    pe_host h;
    ck_assert_int_eq(pe_host_normalize(&h, raw, len, &a), 0);
    host_invariants(&h, &a);
    pe_case_expect(k, "text", h.text.s);
    pe_case_expect(k, "kind", kinds[h.kind]);
    pe_case_expect(k, "v4", h.v4.s);
    expect_flags(k, "flags", h.flags, host_flags);
    pe_arena_free(&a);
    free(owned);
}

static const char *const styles[] = {"web", "scp", "ssh"};

static void url_case(pe_case_check *k, void *ctx)
{
    (void)ctx;
    static const char *const known[] = {"url",  "url_c", "style",      "scheme", "userinfo",
                                        "host", "port",  "port_num",   "path",   "kind",
                                        "v4",   "flags", "host_flags", "note",   NULL};
    pe_case_known_keys(k, known);
    const char *raw = pe_case_value(k->c, "url");
    size_t len = raw ? strlen(raw) : 0;
    char *owned = NULL;
    if (!raw) {
        const char *c = pe_case_value(k->c, "url_c");
        ck_assert_msg(c != NULL, "%s:%zu: no url", k->file, k->c->line);
        raw = owned = pe_case_unescape(c, &len);
    }
    const char *st = pe_case_value(k->c, "style");
    pe_url_style style = PE_URL_WEB;
    for (int i = 0; st && i < 3; i++)
        if (strcmp(st, styles[i]) == 0)
            style = (pe_url_style)i;
    pe_arena a = PE_ARENA_INIT;
    pe_url u;
    ck_assert_int_eq(pe_url_parse(&u, raw, len, style, &a), 0);
    host_invariants(&u.host, &a);
    ck_assert(nul_terminated(u.scheme) && nul_terminated(u.userinfo) && nul_terminated(u.port) &&
              nul_terminated(u.path));
    char num[32];
    snprintf(num, sizeof(num), "%ld", u.port_num);
    pe_case_expect(k, "scheme", u.scheme.s);
    pe_case_expect(k, "userinfo", u.userinfo.s);
    pe_case_expect(k, "host", u.host.text.s);
    pe_case_expect(k, "port", u.port.s);
    pe_case_expect(k, "port_num", num);
    pe_case_expect(k, "path", u.path.s);
    pe_case_expect(k, "kind", kinds[u.host.kind]);
    pe_case_expect(k, "v4", u.host.v4.s);
    expect_flags(k, "flags", u.flags, url_flags);
    expect_flags(k, "host_flags", u.host.flags, host_flags);
    pe_arena_free(&a);
    free(owned);
}

static void dev_case(pe_case_check *k, void *ctx)
{
    (void)ctx;
    static const char *const known[] = {"path", "proto", "host", "port", "port_num", "note", NULL};
    pe_case_known_keys(k, known);
    const char *path = pe_case_value(k->c, "path");
    ck_assert_ptr_nonnull(path);
    pe_arena a = PE_ARENA_INIT;
    pe_dev_net d;
    memset(&d, 0, sizeof(d));
    int rc = pe_dev_net_parse(&d, path, strlen(path), &a);
    ck_assert(rc == 0 || rc == 1);
    if (rc == 0) {
        if (pe_case_value(k->c, "proto"))
            pe_case_mismatch(k, "proto", pe_case_value(k->c, "proto"), "(not a /dev path)");
    } else {
        char num[32];
        snprintf(num, sizeof(num), "%ld", d.port_num);
        if (!pe_case_value(k->c, "proto"))
            pe_case_mismatch(k, "proto", "(not a /dev path)", d.proto.s);
        pe_case_expect(k, "proto", d.proto.s);
        pe_case_expect(k, "host", d.host.text.s);
        pe_case_expect(k, "port", d.port.s);
        pe_case_expect(k, "port_num", num);
    }
    pe_arena_free(&a);
}

static const char *const case_files[] = {"host/hosts.cases", "host/urls.cases", "host/dev.cases"};
static void (*const case_fns[])(pe_case_check *, void *) = {host_case, url_case, dev_case};

START_TEST(case_file)
{
    pe_case_run_file(case_files[_i], case_fns[_i], NULL);
}
END_TEST

/* ---- differential checks against the C library ----------------------------------- */

static void random_numeric(char *buf, size_t cap, uint64_t *seed)
{
    static const char alphabet[] = "0123456789.xXabcdefABCDEF0000111..";
    size_t n = 1 + pe_test_rand(seed) % (cap - 1);
    for (size_t i = 0; i < n; i++)
        buf[i] = alphabet[pe_test_rand(seed) % (sizeof(alphabet) - 1)];
    buf[n] = '\0';
}

/* Where glibc's inet_aton accepts a string, the address is the same (the
 * two differ by design only on a trailing '.' and on "0x" alone, which
 * this parser also accepts, as WHATWG does). */
START_TEST(ipv4_agrees_with_inet_aton)
{
    uint64_t seed = 0x51ED270B2A1B3C4Dull;
    int accepted = 0;
    for (int it = 0; it < 200000; it++) {
        char buf[24];
        random_numeric(buf, 20, &seed);
        struct in_addr in;
        int libc = inet_aton(buf, &in);
        pe_arena a = PE_ARENA_INIT;
        pe_host h;
        ck_assert_int_eq(pe_host_normalize(&h, buf, strlen(buf), &a), 0);
        host_invariants(&h, &a);
        if (libc) {
            accepted++;
            ck_assert_msg(h.kind == PE_HOST_IPV4, "%s: inet_aton accepts it, kind %d", buf, h.kind);
            ck_assert_msg(memcmp(h.addr, &in.s_addr, 4) == 0, "%s: address differs", buf);
        } else if (h.kind == PE_HOST_IPV4) {
            size_t n = strlen(buf);
            int trailing_dot = n > 0 && buf[n - 1] == '.';
            ck_assert_msg(trailing_dot || strstr(buf, "0x") || strstr(buf, "0X"),
                          "%s: an address here, not for inet_aton", buf);
        }
        pe_arena_free(&a);
    }
    ck_assert_int_gt(accepted, 1000);
}
END_TEST

static void random_v6(char *buf, size_t cap, uint64_t *seed)
{
    static const char *const frags[] = {
        "::",        ":",     "0", "1", "ff",      "ffff",      "abcd",  "0:0",  "1.2.3.4",
        "255.0.0.1", "12345", "g", ".", "::ffff:", "64:ff9b::", "2002:", "0000", "fe80"};
    size_t n = 0;
    for (int k = 1 + (int)(pe_test_rand(seed) % 10); k > 0; k--) {
        const char *f = frags[pe_test_rand(seed) % (sizeof(frags) / sizeof(frags[0]))];
        size_t fl = strlen(f);
        if (n + fl >= cap)
            break;
        memcpy(buf + n, f, fl);
        n += fl;
    }
    buf[n] = '\0';
}

/* inet_pton accepts exactly the IPv6 texts this parser accepts, with the
 * same address; mapped ones come back as IPv4. */
START_TEST(ipv6_agrees_with_inet_pton)
{
    uint64_t seed = 0x2545F4914F6CDD1Dull;
    int accepted = 0;
    for (int it = 0; it < 200000; it++) {
        char buf[64];
        random_v6(buf, sizeof(buf), &seed);
        if (!strchr(buf, ':'))
            continue;
        unsigned char bin[16];
        int libc = inet_pton(AF_INET6, buf, bin) == 1;
        pe_arena a = PE_ARENA_INIT;
        pe_host h;
        ck_assert_int_eq(pe_host_normalize(&h, buf, strlen(buf), &a), 0);
        host_invariants(&h, &a);
        int ours =
            h.kind == PE_HOST_IPV6 || (h.kind == PE_HOST_IPV4 && (h.flags & PE_HOST_F_MAPPED));
        ck_assert_msg(libc == ours, "%s: inet_pton %d, here %d", buf, libc, ours);
        if (libc && h.kind == PE_HOST_IPV6) {
            accepted++;
            ck_assert_msg(memcmp(bin, h.addr, 16) == 0, "%s: address differs", buf);
            char text[INET6_ADDRSTRLEN];
            ck_assert_ptr_nonnull(inet_ntop(AF_INET6, bin, text, sizeof(text)));
            if (!strchr(text, '.')) /* glibc writes some embedded IPv4 in dotted form */
                ck_assert_str_eq(text, h.text.s);
        } else if (libc) {
            ck_assert(memcmp(bin + 12, h.addr, 4) == 0);
        }
        pe_arena_free(&a);
    }
    ck_assert_int_gt(accepted, 1000);
}
END_TEST

/* Random bytes and URL fragments: never a crash, always the invariants. */
START_TEST(random_input_is_safe)
{
    static const char *const frags[] = {"http",
                                        "://",
                                        ":",
                                        "@",
                                        "[",
                                        "]",
                                        "/",
                                        "//",
                                        "?",
                                        "#",
                                        "%",
                                        "%2e",
                                        "%3a",
                                        "\\",
                                        "::",
                                        "ffff",
                                        "0x",
                                        "1",
                                        ".",
                                        "127",
                                        "255",
                                        "user",
                                        "\xef\xbc\x8e",
                                        "\xe3\x80\x82",
                                        "\xef\xbc\x91",
                                        "file",
                                        "scp",
                                        "%25",
                                        "/dev/tcp/",
                                        "80"};
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    for (int it = 0; it < 50000; it++) {
        char buf[256];
        size_t n = 0;
        for (int k = (int)(pe_test_rand(&seed) % 16); k > 0; k--) {
            if (pe_test_rand(&seed) % 6 == 0) {
                buf[n++] = (char)pe_test_rand(&seed);
            } else {
                const char *f = frags[pe_test_rand(&seed) % (sizeof(frags) / sizeof(frags[0]))];
                size_t fl = strlen(f);
                memcpy(buf + n, f, fl);
                n += fl;
            }
        }
        pe_arena a = PE_ARENA_INIT;
        pe_host h;
        ck_assert_int_eq(pe_host_normalize(&h, buf, n, &a), 0);
        host_invariants(&h, &a);
        for (int s = 0; s < 3; s++) {
            pe_url u;
            ck_assert_int_eq(pe_url_parse(&u, buf, n, (pe_url_style)s, &a), 0);
            host_invariants(&u.host, &a);
            ck_assert(u.port_num >= -1 && u.port_num <= 65535);
            ck_assert(nul_terminated(u.path) && nul_terminated(u.userinfo));
            ck_assert(u.path.len <= n && u.userinfo.len <= n && u.port.len <= n);
        }
        pe_dev_net d;
        int rc = pe_dev_net_parse(&d, buf, n, &a);
        ck_assert(rc == 0 || rc == 1);
        if (rc == 1)
            host_invariants(&d.host, &a);
        pe_arena_free(&a);
    }
}
END_TEST

/* Every allocation failing in turn gives PREMPTI_E_NOMEM, never a crash;
 * with room enough the answer is the usual one. */
START_TEST(allocation_failures_are_reported)
{
    static const char *const words[] = {"http://user:pw@[::ffff:a9fe:a9fe]:8080/latest/meta-data",
                                        "git@%31%32%37.0.0.1:org/repo.git",
                                        "/dev/tcp/0251.0376.0251.0376/http"};
    for (size_t w = 0; w < 3; w++) {
        size_t len = strlen(words[w]);
        int failures = 0, done = 0;
        for (size_t room = 0; !done; room += 16) {
            pe_arena a = PE_ARENA_INIT;
            pe_test_arena_with_room(&a, room);
            int rc;
            const char *host = NULL;
            pe_url u;
            pe_dev_net d;
            if (w == 2) {
                rc = pe_dev_net_parse(&d, words[w], len, &a);
                host = rc == 1 ? d.host.text.s : NULL;
                rc = rc == 1 ? 0 : rc;
            } else {
                rc = pe_url_parse(&u, words[w], len, w == 0 ? PE_URL_WEB : PE_URL_SCP, &a);
                host = rc == 0 ? u.host.text.s : NULL;
            }
            if (rc == 0) {
                ck_assert_str_eq(host, w == 1 ? "127.0.0.1" : "169.254.169.254");
                done = 1;
            } else {
                ck_assert_int_eq(rc, PREMPTI_E_NOMEM);
                failures++;
            }
            pe_arena_free(&a);
        }
        ck_assert_int_gt(failures, 1);
    }
}
END_TEST

/* A timing report, run only when PREMPTI_HOST_BENCH is set (not asserted:
 * the machine is shared). */
START_TEST(timing_report)
{
    if (!getenv("PREMPTI_HOST_BENCH"))
        return;
    static const struct {
        pe_url_style style;
        const char *word;
    } words[] = {{PE_URL_WEB, "https://api.github.com/repos/org/project/releases/latest"},
                 {PE_URL_WEB, "http://[::ffff:a9fe:a9fe]:80/latest/meta-data/iam/"},
                 {PE_URL_WEB, "http://0251.0376.0251.0376/latest/user-data"},
                 {PE_URL_SCP, "git@github.com:org/project.git"}};
    for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
        size_t len = strlen(words[k].word);
        int iters = 200000, failed = 0;
        double t0 = pe_test_now();
        for (int i = 0; i < iters; i++) {
            pe_arena a = PE_ARENA_INIT;
            pe_url u;
            failed |= pe_url_parse(&u, words[k].word, len, words[k].style, &a);
            pe_arena_free(&a);
        }
        double ns = (pe_test_now() - t0) / iters * 1e9;
        ck_assert_int_eq(failed, 0);
        printf("url parsing: %3zu bytes: %5.0f ns (%s)\n", len, ns, words[k].word);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("host");
    TCase *tc = tcase_create("host");
    tcase_add_loop_test(tc, case_file, 0, (int)(sizeof(case_files) / sizeof(case_files[0])));
    tcase_add_test(tc, ipv4_agrees_with_inet_aton);
    tcase_add_test(tc, ipv6_agrees_with_inet_pton);
    tcase_add_test(tc, random_input_is_safe);
    tcase_add_test(tc, allocation_failures_are_reported);
    tcase_add_test(tc, timing_report);
    tcase_set_timeout(tc, 300);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
