/*
 * The secret detector (lib/util/secrets.h): the case files under
 * tests/data/secrets/, properties of the kind names, random and
 * adversarial input, and, on request, a timing report.
 *
 * Keys of a case: text (or text_c, C escapes) is scanned with
 * pe_secret_scan(); key and value are scanned apart with
 * pe_secret_scan_pair(). kinds: the kinds that must be found, exactly, in
 * any order (absent: none). note: why the case is there.
 * Every text case is also scanned with a space and a newline around it,
 * which must find the same kinds (the text's own ends are boundaries).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case_check.h"
#include "util/secrets.h"
#include "util/secrets_internal.h"
#include "util/strbuf.h"

static char *kind_words(uint64_t found)
{
    pe_strbuf sb = PE_STRBUF_INIT;
    for (int k = 0; k < PE_SECRET_KIND_COUNT; k++)
        if (found & PE_SECRET_BIT(k))
            pe_sb_printf(&sb, "%s%s", sb.len ? " " : "", pe_secret_kind_name(k));
    char *out = strdup(pe_sb_str(&sb));
    pe_sb_free(&sb);
    ck_assert_ptr_nonnull(out);
    return out;
}

static void expect_kinds(pe_case_check *k, uint64_t found, const char *what)
{
    const char *want = pe_case_value(k->c, "kinds");
    char *got = kind_words(found);
    char *w = pe_case_sorted_words(want ? want : ""), *g = pe_case_sorted_words(got);
    if (strcmp(w, g) != 0)
        pe_case_mismatch(k, what, w[0] ? w : "(none)", g[0] ? g : "(none)");
    free(w);
    free(g);
    free(got);
}

static size_t text_cases, pair_cases, detect_cases;

static void secret_case(pe_case_check *k, void *ctx)
{
    (void)ctx;
    static const char *const known[] = {"text", "text_c", "key", "value", "kinds", "note", NULL};
    pe_case_known_keys(k, known);
    const char *kinds = pe_case_value(k->c, "kinds");
    detect_cases += kinds && kinds[0];
    const char *key = pe_case_value(k->c, "key");
    if (key) {
        const char *value = pe_case_value(k->c, "value");
        ck_assert_msg(value != NULL, "%s:%zu: a key without a value", k->file, k->c->line);
        expect_kinds(k, pe_secret_scan_pair(key, strlen(key), value, strlen(value)), "kinds");
        pair_cases++;
        return;
    }
    const char *raw = pe_case_value(k->c, "text");
    size_t len = raw ? strlen(raw) : 0;
    char *owned = NULL;
    if (!raw) {
        const char *c = pe_case_value(k->c, "text_c");
        ck_assert_msg(c != NULL, "%s:%zu: no text", k->file, k->c->line);
        raw = owned = pe_case_unescape(c, &len);
    }
    expect_kinds(k, pe_secret_scan(raw, len), "kinds");
    char *framed = malloc(len + 3);
    ck_assert_ptr_nonnull(framed);
    framed[0] = ' ';
    memcpy(framed + 1, raw, len);
    framed[len + 1] = '\n';
    expect_kinds(k, pe_secret_scan(framed, len + 2), "kinds (framed by spaces)");
    free(framed);
    free(owned);
    text_cases++;
}

static const char *const case_files[] = {
    "secrets/tokens.cases",    "secrets/structure.cases", "secrets/assignments.cases",
    "secrets/encodings.cases", "secrets/benign.cases",
};
#define NFILES (sizeof(case_files) / sizeof(case_files[0]))

START_TEST(case_file)
{
    pe_case_run_file(case_files[_i], secret_case, NULL);
}
END_TEST

/* All files in one run, for the counts (the loop above runs each file in
 * its own process). */
START_TEST(case_counts)
{
    text_cases = pair_cases = detect_cases = 0;
    for (size_t i = 0; i < NFILES; i++)
        pe_case_run_file(case_files[i], secret_case, NULL);
    printf("secrets: %zu text cases, %zu key/value cases, %zu must detect, %zu must not\n",
           text_cases, pair_cases, detect_cases, text_cases + pair_cases - detect_cases);
    ck_assert_uint_gt(detect_cases, 100);
    ck_assert_uint_gt(text_cases + pair_cases - detect_cases, 100);
}
END_TEST

/* Every kind is found by some case, so a kind cannot silently stop
 * working. */
START_TEST(every_kind_is_tested)
{
    uint64_t seen = 0;
    for (size_t i = 0; i < NFILES; i++) {
        pe_cases cs = pe_cases_load(pe_test_data(case_files[i]));
        for (size_t c = 0; c < cs.count; c++) {
            const char *kinds = pe_case_get(&cs.items[c], "kinds");
            for (int k = 0; kinds && k < PE_SECRET_KIND_COUNT; k++) {
                const char *name = pe_secret_kind_name(k);
                size_t n = strlen(name);
                for (const char *p = strstr(kinds, name); p; p = strstr(p + 1, name))
                    if ((p == kinds || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
                        seen |= PE_SECRET_BIT(k);
            }
        }
        pe_cases_free(&cs);
    }
    for (int k = 0; k < PE_SECRET_KIND_COUNT; k++)
        ck_assert_msg(seen & PE_SECRET_BIT(k), "no case finds %s", pe_secret_kind_name(k));
}
END_TEST

/* Names are stable identifiers: lower case, digits and '_', unique. */
START_TEST(kind_names)
{
    for (int k = 0; k < PE_SECRET_KIND_COUNT; k++) {
        const char *name = pe_secret_kind_name(k);
        ck_assert_ptr_nonnull(name);
        ck_assert_uint_gt(strlen(name), 2);
        for (const char *p = name; *p; p++)
            ck_assert_msg((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_',
                          "kind name %s", name);
        for (int j = 0; j < k; j++)
            ck_assert_str_ne(name, pe_secret_kind_name(j));
    }
    ck_assert_ptr_null(pe_secret_kind_names[PE_SECRET_KIND_COUNT]);
    ck_assert_ptr_null(pe_secret_kind_name(-1));
    ck_assert_ptr_null(pe_secret_kind_name(PE_SECRET_KIND_COUNT));
    ck_assert(PE_SECRET_KIND_COUNT <= 64);
    ck_assert_uint_eq(pe_secret_scan(NULL, 0), 0);
    ck_assert_uint_eq(pe_secret_scan("", 0), 0);
    ck_assert_uint_eq(pe_secret_scan_pair(NULL, 0, "x", 1), 0);
}
END_TEST

/* The token table stays sorted (its rows are found by first byte), and
 * the byte-class table agrees with the classes it stands for. */
START_TEST(tables)
{
    ck_assert(pe_secret_rows_sorted());
    for (int c = -1; c < 256; c++) {
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        ck_assert_int_eq(is_alnum(c), alnum);
        ck_assert_int_eq(is_word(c), alnum || c == '_');
        ck_assert_int_eq(key_char(c), alnum || c == '_' || c == '.' || c == '-');
        ck_assert_int_eq(lower(c), c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
}
END_TEST

/* Length-counted input: a NUL ends nothing, bytes after len are not read. */
START_TEST(length_counted)
{
    static const char tok[] = "ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5";
    char buf[128];
    memcpy(buf, "a\0 ", 3);
    memcpy(buf + 3, tok, sizeof(tok) - 1);
    ck_assert_uint_eq(pe_secret_scan(buf, 3 + sizeof(tok) - 1),
                      PE_SECRET_BIT(PE_SECRET_GITHUB_TOKEN));
    /* cut one byte short: the body is too short */
    ck_assert_uint_eq(pe_secret_scan(buf, 3 + sizeof(tok) - 2), 0);
}
END_TEST

static const char *const frags[] = {
    "ghp_",  "sk-ant-", "sk-",    "eyJ",       ".",         "-----BEGIN", " PRIVATE KEY",
    "-----", "://",     "@",      ":",         "%",         "%25",        "%0A",
    "%20",   "Bearer ", "Basic ", "password=", "token: ",   "\"",         "'",
    "\\n",   "\n",      " ",      "-u ",       "--user=",   "AKIA",       "xoxb-",
    "=",     "+",       "/",      "MIIEvQIB",  "aB3dE5gH7", "0123456789", "<",
    ">",     "${",      "(",      "[",         "_",         "-",          "AAAA",
};
#define NFRAGS (sizeof(frags) / sizeof(frags[0]))

/* Random fragments and bytes: no crash, no read past the end (the
 * sanitizers and valgrind watch), and a result within the kinds. */
START_TEST(random_input_is_safe)
{
    uint64_t seed = 0x5EC2E75CA11ull;
    uint64_t all = 0;
    for (int k = 0; k < PE_SECRET_KIND_COUNT; k++)
        all |= PE_SECRET_BIT(k);
    for (int it = 0; it < 40000; it++) {
        size_t cap = 1 + pe_test_rand(&seed) % 600, n = 0;
        char *buf = malloc(cap); /* exactly cap bytes: overreads are caught */
        ck_assert_ptr_nonnull(buf);
        while (n < cap) {
            if (pe_test_rand(&seed) % 5 == 0) {
                buf[n++] = (char)pe_test_rand(&seed);
                continue;
            }
            const char *f = frags[pe_test_rand(&seed) % NFRAGS];
            size_t fl = strlen(f);
            for (size_t i = 0; i < fl && n < cap; i++)
                buf[n++] = f[i];
        }
        uint64_t found = pe_secret_scan(buf, n);
        ck_assert((found & ~all) == 0);
        size_t cut = n / 2;
        ck_assert((pe_secret_scan_pair(buf, cut < 80 ? cut : 80, buf + cut, n - cut) & ~all) == 0);
        free(buf);
    }
}
END_TEST

/* Inputs that make a backtracking matcher quadratic: each is 256 KiB, so
 * a quadratic scan would run for minutes and hit the suite's timeout;
 * the linear one takes milliseconds. Their result is checked too. */
START_TEST(adversarial_input_is_linear)
{
    static const struct {
        const char *unit;
        uint64_t found;
    } units[] = {
        {"sk-ant-", 0},
        {"eyJ.", 0},
        {"-----BEGIN PRIVATE KEY-----", 0},
        {"a://", 0},
        {"password=", 0},
        {"Bearer ", 0},
        {"Basic ", 0},
        {"x-api-key=\"", PE_SECRET_BIT(PE_SECRET_PASSWORD_ASSIGNMENT)}, /* x-api-key="x-api-key=" */
        {"%25%25", 0},
        {"-u ", 0},
        {"\\n", 0},
        {"glpat-.", 0},
        {"a:b@", 0},
    };
    size_t len = (size_t)256 << 10;
    char *buf = malloc(len);
    ck_assert_ptr_nonnull(buf);
    for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
        size_t ul = strlen(units[u].unit);
        for (size_t i = 0; i < len; i++)
            buf[i] = units[u].unit[i % ul];
        ck_assert_uint_eq(pe_secret_scan(buf, len), units[u].found);
    }
    /* one long token-shaped run: walked once, too long for every row */
    memset(buf, 'A', len);
    memcpy(buf, "sk-ant-", 7);
    ck_assert_uint_eq(pe_secret_scan(buf, len), 0);
    free(buf);
}
END_TEST

/* CPU time of this thread: other work on a shared machine inflates wall
 * time far more. */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A reference for the machine's speed: a loop that counts word starts. */
static size_t count_words(const char *s, size_t n)
{
    size_t words = 0;
    int prev = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        int w = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        words += w && !prev;
        prev = w;
    }
    return words;
}

/* Typical tool-input text: a command line, source code, an issue body in
 * Markdown, a JSON document. */
static const char typical[] =
    "cd /home/user/project && git status --porcelain && npm run build -- --mode=production\n"
    "import os\nimport requests\n\ndef fetch(url, timeout=30):\n"
    "    token = os.environ[\"API_TOKEN\"]\n"
    "    r = requests.get(url, headers={\"Authorization\": f\"Bearer {token}\"}, timeout=timeout)\n"
    "    r.raise_for_status()\n    return r.json()[\"items\"]\n\n"
    "## Steps to reproduce\n\n1. Run `make test` on a clean checkout.\n"
    "2. The password prompt appears twice; see https://example.com/docs/auth#prompts.\n"
    "Expected: one prompt. Actual: two, the second one after 30 s.\n"
    "{\"name\":\"web\",\"version\":\"1.4.2\",\"dependencies\":{\"express\":\"^4.19.2\","
    "\"pg\":\"^8.11.3\"},\"scripts\":{\"start\":\"node server.js\",\"test\":\"jest --ci\"}}\n";

/* A timing report, run only when PREMPTI_SECRETS_BENCH is set (timings
 * are not asserted: the machine is shared). */
START_TEST(timing_report)
{
    if (!getenv("PREMPTI_SECRETS_BENCH"))
        return;
    size_t kib = 64, len = kib << 10, unit = sizeof(typical) - 1;
    char *plain = malloc(len), *escaped = malloc(len);
    ck_assert(plain && escaped);
    for (size_t i = 0; i < len; i++)
        plain[i] = typical[i % unit];
    /* every fourth space written "%20", as in a URL: the text is scanned
     * twice, as written and decoded */
    for (size_t i = 0, o = 0, spaces = 0; o < len; i++) {
        char c = typical[i % unit];
        if (c == ' ' && ++spaces % 4 == 0 && o + 3 <= len) {
            memcpy(escaped + o, "%20", 3);
            o += 3;
        } else {
            escaped[o++] = c;
        }
    }
    int iters = 200;
    size_t words = 0;
    double t0 = cpu_s();
    for (int i = 0; i < iters; i++)
        words += count_words(plain, len);
    double ref = (cpu_s() - t0) / iters / (double)kib * 1e9;
    printf("secret scan: reference word loop: %.0f ns per KiB (%zu words)\n", ref, words / iters);
    const char *names[] = {"typical text", "with %XX escapes"};
    char *texts[] = {plain, escaped};
    for (int t = 0; t < 2; t++) {
        uint64_t found = 0;
        t0 = cpu_s();
        for (int i = 0; i < iters; i++)
            found |= pe_secret_scan(texts[t], len);
        double ns = (cpu_s() - t0) / iters / (double)kib * 1e9;
        printf("secret scan: %-17s %zu KiB: %.0f ns per KiB of CPU time (%.1f x the reference), "
               "kinds %llx\n",
               names[t], kib, ns, ns / ref, (unsigned long long)found);
    }
    free(plain);
    free(escaped);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("secrets");
    TCase *tc = tcase_create("secrets");
    tcase_add_loop_test(tc, case_file, 0, (int)NFILES);
    tcase_add_test(tc, case_counts);
    tcase_add_test(tc, every_kind_is_tested);
    tcase_add_test(tc, kind_names);
    tcase_add_test(tc, tables);
    tcase_add_test(tc, length_counted);
    tcase_add_test(tc, random_input_is_safe);
    tcase_add_test(tc, adversarial_input_is_linear);
    tcase_add_test(tc, timing_report);
    tcase_set_timeout(tc, 300);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
