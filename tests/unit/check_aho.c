/*
 * The multi-pattern matcher against a naive search: random pattern sets
 * over a small alphabet (so patterns overlap, nest and share suffixes) and
 * random texts must find exactly the patterns a substring search finds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "util/aho.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

static int naive_has(const char *text, size_t tlen, const char *p, size_t plen, int fold)
{
    if (plen == 0)
        return 1;
    for (size_t i = 0; i + plen <= tlen; i++) {
        size_t k = 0;
        while (k < plen) {
            char a = text[i + k], b = p[k];
            if (fold) {
                a = (char)(a >= 'A' && a <= 'Z' ? a + 32 : a);
                b = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
            }
            if (a != b)
                break;
            k++;
        }
        if (k == plen)
            return 1;
    }
    return 0;
}

typedef struct collect {
    uint32_t ids[512];
    size_t n;
} collect;

static void on_found(void *user, uint32_t id)
{
    collect *c = user;
    if (c->n >= 512)
        ck_abort_msg("more reports than patterns");
    c->ids[c->n++] = id;
}

/* Scans text with both forms of the automaton (compact, and dense built
 * from it), which must find the same patterns; seen and the reports are
 * the dense scan's. */
static void scan_both(const unsigned char *base, const pe_aho *ac, const char *text, size_t len,
                      uint64_t *seen, void (*found)(void *, uint32_t), void *user)
{
    size_t words = pe_aho_seen_words(ac) + 1;
    uint64_t *compact = calloc(words, sizeof(*compact));
    ck_assert_ptr_nonnull(compact);
    pe_aho_scan(base, ac, NULL, text, len, compact, NULL, NULL);
    pe_aho_dense *d = pe_aho_dense_build(base, ac, SIZE_MAX);
    ck_assert_ptr_nonnull(d);
    pe_aho_scan(base, ac, d, text, len, seen, found, user);
    ck_assert_msg(memcmp(compact, seen, (words - 1) * sizeof(*seen)) == 0,
                  "the compact and dense forms disagree on a text of %zu bytes", len);
    pe_aho_dense_free(d);
    free(compact);
}

/* One round: a random pattern set (lengths 0..maxpat-1 over alphabet) and
 * 20 random texts (lengths 0..maxtext-1 over text_alphabet), some patterns
 * copied into each text at random places. */
typedef struct round_spec {
    int fold;
    const char *alphabet, *text_alphabet;
    size_t maxpat, maxtext, plant;
} round_spec;

static void check_round(const round_spec *r)
{
    size_t asz = strlen(r->alphabet), tsz = strlen(r->text_alphabet);
    size_t n = 1 + rnd(200);
    char *store = calloc(n, r->maxpat);
    const char **pats = calloc(n, sizeof(*pats));
    size_t *lens = calloc(n, sizeof(*lens));
    char *text = malloc(r->maxtext);
    for (size_t i = 0; i < n; i++) {
        lens[i] = rnd((uint32_t)r->maxpat); /* empty patterns included */
        for (size_t k = 0; k < lens[i]; k++)
            store[i * r->maxpat + k] = r->alphabet[rnd((uint32_t)asz)];
        pats[i] = store + i * r->maxpat;
    }
    pe_region a = PE_REGION_INIT;
    ck_assert_int_eq(pe_region_init(&a, (size_t)256 << 20, 8), 0);
    const pe_aho *ac = pe_aho_build(&a, pats, lens, n, r->fold);
    ck_assert_ptr_nonnull(ac);
    ck_assert_uint_eq(pe_aho_pattern_count(ac), n);
    for (int t = 0; t < 20; t++) {
        size_t tlen = rnd((uint32_t)r->maxtext);
        for (size_t k = 0; k < tlen; k++)
            text[k] = r->text_alphabet[rnd((uint32_t)tsz)];
        for (size_t k = 0; k < r->plant && tlen; k++) {
            size_t i = rnd((uint32_t)n);
            if (lens[i] <= tlen)
                memcpy(text + rnd((uint32_t)(tlen - lens[i] + 1)), pats[i], lens[i]);
        }
        uint64_t seen[8] = {0};
        ck_assert_uint_le(pe_aho_seen_words(ac), 8);
        collect c = {{0}, 0};
        scan_both(a.base, ac, text, tlen, seen, on_found, &c);
        size_t expected = 0;
        for (size_t i = 0; i < n; i++) {
            int want = naive_has(text, tlen, pats[i], lens[i], r->fold);
            int got = (seen[i >> 6] >> (i & 63)) & 1;
            if (want != got) /* (an assertion per pattern would cost a write each) */
                ck_abort_msg("pattern '%.*s' in a text of %zu bytes: want %d got %d", (int)lens[i],
                             pats[i], tlen, want, got);
            expected += (size_t)want;
        }
        /* each found pattern is reported exactly once */
        ck_assert_uint_eq(c.n, expected);
    }
    pe_region_free(&a);
    free(store);
    free(pats);
    free(lens);
    free(text);
}

START_TEST(matches_naive_search)
{
    static const round_spec specs[] = {
        {0, "ab", "ab", 6, 64, 0},
        {0, "abc/| ", "abc/| ", 6, 64, 0},
        /* Long texts are scanned as several streams: occurrences anywhere,
         * across the streams' boundaries included, must all be found. */
        {0, "abcd", "abcdxyz", 13, 4096, 40},
        {0, "ab", "abxyz", 9, 3000, 400},
    };
    for (size_t k = 0; k < sizeof(specs) / sizeof(specs[0]); k++)
        for (int round = 0; round < (specs[k].maxtext > 64 ? 60 : 300); round++)
            check_round(&specs[k]);
}
END_TEST

START_TEST(case_folding)
{
    static const round_spec small = {1, "aAbB", "aAbB", 6, 64, 0};
    static const round_spec large = {1, "aAbB", "aAbBxy", 9, 2500, 200};
    for (int round = 0; round < 300; round++)
        check_round(&small);
    for (int round = 0; round < 60; round++)
        check_round(&large);
    const char *pats[] = {"Curl", "BASH"};
    size_t lens[] = {4, 4};
    pe_region a = PE_REGION_INIT;
    ck_assert_int_eq(pe_region_init(&a, (size_t)256 << 20, 8), 0);
    const pe_aho *ac = pe_aho_build(&a, pats, lens, 2, 1);
    uint64_t seen[1] = {0};
    scan_both(a.base, ac, "cURL x | bash", 13, seen, NULL, NULL);
    ck_assert_uint_eq(seen[0], 3);
    pe_region_free(&a);
}
END_TEST

START_TEST(many_patterns_and_binary_bytes)
{
    enum { N = 5000 };
    static char store[N][12];
    const char *pats[N];
    size_t lens[N];
    for (int i = 0; i < N; i++) {
        lens[i] = (size_t)snprintf(store[i], sizeof(store[i]), "tok%d\x01", i);
        pats[i] = store[i];
    }
    pe_region a = PE_REGION_INIT;
    ck_assert_int_eq(pe_region_init(&a, (size_t)256 << 20, 8), 0);
    const pe_aho *ac = pe_aho_build(&a, pats, lens, N, 0);
    ck_assert_ptr_nonnull(ac);
    uint64_t seen[(N + 63) / 64] = {0};
    const char text[] = "xx tok42\x01 tok4999\x01 tok7";
    scan_both(a.base, ac, text, sizeof(text) - 1, seen, NULL, NULL);
    for (int i = 0; i < N; i++) {
        int want = i == 42 || i == 4999;
        ck_assert_int_eq((int)((seen[i >> 6] >> (i & 63)) & 1), want);
    }
    pe_region_free(&a);
}
END_TEST

/* Patterns over all 256 byte values (no byte outside every pattern). */
START_TEST(every_byte_value)
{
    static char store[256][3];
    const char *pats[256];
    size_t lens[256];
    for (int i = 0; i < 256; i++) {
        store[i][0] = (char)i;
        store[i][1] = (char)(255 - i);
        lens[i] = 2;
        pats[i] = store[i];
    }
    pe_region a = PE_REGION_INIT;
    ck_assert_int_eq(pe_region_init(&a, (size_t)256 << 20, 8), 0);
    const pe_aho *ac = pe_aho_build(&a, pats, lens, 256, 0);
    ck_assert_ptr_nonnull(ac);
    char text[2048];
    for (size_t k = 0; k < sizeof(text); k++)
        text[k] = (char)rnd(256);
    for (size_t tlen = 0; tlen <= sizeof(text); tlen += 511) {
        uint64_t seen[4] = {0};
        scan_both(a.base, ac, text, tlen, seen, NULL, NULL);
        for (int i = 0; i < 256; i++)
            if (naive_has(text, tlen, pats[i], 2, 0) != (int)((seen[i >> 6] >> (i & 63)) & 1))
                ck_abort_msg("pattern %d in %zu bytes", i, tlen);
    }
    pe_region_free(&a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("aho");
    TCase *tc = tcase_create("aho");
    tcase_add_test(tc, matches_naive_search);
    tcase_add_test(tc, case_folding);
    tcase_add_test(tc, many_patterns_and_binary_bytes);
    tcase_add_test(tc, every_byte_value);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
