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
    ck_assert_uint_lt(c->n, 512);
    c->ids[c->n++] = id;
}

static void check_round(int fold, const char *alphabet)
{
    size_t asz = strlen(alphabet);
    size_t n = 1 + rnd(200);
    char *store = calloc(n, 8);
    const char **pats = calloc(n, sizeof(*pats));
    size_t *lens = calloc(n, sizeof(*lens));
    for (size_t i = 0; i < n; i++) {
        lens[i] = rnd(6); /* 0..5, empty patterns included */
        for (size_t k = 0; k < lens[i]; k++)
            store[i * 8 + k] = alphabet[rnd((uint32_t)asz)];
        pats[i] = store + i * 8;
    }
    pe_arena a = PE_ARENA_INIT;
    pe_aho *ac = pe_aho_build(&a, pats, lens, n, fold);
    ck_assert_ptr_nonnull(ac);
    ck_assert_uint_eq(pe_aho_pattern_count(ac), n);
    for (int t = 0; t < 20; t++) {
        char text[64];
        size_t tlen = rnd(sizeof(text));
        for (size_t k = 0; k < tlen; k++)
            text[k] = alphabet[rnd((uint32_t)asz)];
        uint64_t seen[8] = {0};
        ck_assert_uint_le(pe_aho_seen_words(ac), 8);
        collect c = {{0}, 0};
        pe_aho_scan(ac, text, tlen, seen, on_found, &c);
        size_t expected = 0;
        for (size_t i = 0; i < n; i++) {
            int want = naive_has(text, tlen, pats[i], lens[i], fold);
            int got = (seen[i >> 6] >> (i & 63)) & 1;
            ck_assert_msg(want == got, "pattern '%.*s' in '%.*s': want %d got %d", (int)lens[i],
                          pats[i], (int)tlen, text, want, got);
            expected += (size_t)want;
        }
        /* each found pattern is reported exactly once */
        ck_assert_uint_eq(c.n, expected);
    }
    pe_arena_free(&a);
    free(store);
    free(pats);
    free(lens);
}

START_TEST(matches_naive_search)
{
    for (int round = 0; round < 300; round++)
        check_round(0, "ab");
    for (int round = 0; round < 300; round++)
        check_round(0, "abc/| ");
}
END_TEST

START_TEST(case_folding)
{
    for (int round = 0; round < 300; round++)
        check_round(1, "aAbB");
    const char *pats[] = {"Curl", "BASH"};
    size_t lens[] = {4, 4};
    pe_arena a = PE_ARENA_INIT;
    pe_aho *ac = pe_aho_build(&a, pats, lens, 2, 1);
    uint64_t seen[1] = {0};
    pe_aho_scan(ac, "cURL x | bash", 13, seen, NULL, NULL);
    ck_assert_uint_eq(seen[0], 3);
    pe_arena_free(&a);
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
    pe_arena a = PE_ARENA_INIT;
    pe_aho *ac = pe_aho_build(&a, pats, lens, N, 0);
    ck_assert_ptr_nonnull(ac);
    uint64_t seen[(N + 63) / 64] = {0};
    const char text[] = "xx tok42\x01 tok4999\x01 tok7";
    pe_aho_scan(ac, text, sizeof(text) - 1, seen, NULL, NULL);
    for (int i = 0; i < N; i++) {
        int want = i == 42 || i == 4999;
        ck_assert_int_eq((int)((seen[i >> 6] >> (i & 63)) & 1), want);
    }
    pe_arena_free(&a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("aho");
    TCase *tc = tcase_create("aho");
    tcase_add_test(tc, matches_naive_search);
    tcase_add_test(tc, case_folding);
    tcase_add_test(tc, many_patterns_and_binary_bytes);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
