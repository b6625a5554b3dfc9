#include "case_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/utf8.h"

const char *pe_case_value(const pe_case *c, const char *key)
{
    const char *v = pe_case_get(c, key);
    return v && v[0] == '\n' ? v + 1 : v;
}

void pe_case_mismatch(pe_case_check *k, const char *key, const char *want, const char *got)
{
    k->failures++;
    fprintf(stderr, "%s:%zu: %s\n  expected: %s\n  got:      %s\n", k->file, k->c->line, key, want,
            got);
}

void pe_case_expect(pe_case_check *k, const char *key, const char *got)
{
    const char *want = pe_case_value(k->c, key);
    if (want && strcmp(want, got) != 0)
        pe_case_mismatch(k, key, want, got);
}

void pe_case_expect_or_empty(pe_case_check *k, const char *key, const char *got)
{
    const char *want = pe_case_value(k->c, key);
    if (strcmp(want ? want : "", got) != 0)
        pe_case_mismatch(k, key, want ? want : "(nothing)", got[0] ? got : "(nothing)");
}

void pe_case_expect_set(pe_case_check *k, const char *key, const char *got)
{
    const char *want = pe_case_value(k->c, key);
    char *w = pe_case_sorted_words(want ? want : ""), *g = pe_case_sorted_words(got);
    if (strcmp(w, g) != 0)
        pe_case_mismatch(k, key, w, g);
    free(w);
    free(g);
}

void pe_case_known_keys(pe_case_check *k, const char *const *known)
{
    for (size_t i = 0; i < k->c->nkeys; i++) {
        const char *key = k->c->keys[i];
        int ok = 0;
        for (size_t j = 0; known[j] && !ok; j++) {
            size_t n = strlen(known[j]);
            ok = n && known[j][n - 1] == '[' ? strncmp(key, known[j], n) == 0
                                             : strcmp(key, known[j]) == 0;
        }
        if (!ok)
            pe_case_mismatch(k, "key", "a known key", key);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *pe_case_sorted_words(const char *s)
{
    size_t len = strlen(s);
    char *copy = strdup(s), *out = malloc(len + 1), *save = NULL;
    char **words = malloc((len / 2 + 1) * sizeof(*words));
    ck_assert(copy && out && words);
    size_t n = 0;
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
        words[n++] = t;
    qsort(words, n, sizeof(words[0]), cmp_str);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        size_t w = strlen(words[i]);
        if (i)
            out[o++] = ' ';
        memcpy(out + o, words[i], w);
        o += w;
    }
    out[o] = '\0';
    free(words);
    free(copy);
    return out;
}

char *pe_case_unescape(const char *s, size_t *len)
{
    char *out = malloc(strlen(s) + 1);
    ck_assert_ptr_nonnull(out);
    size_t o = 0;
    for (; *s; s++) {
        if (*s != '\\' || !s[1]) {
            out[o++] = *s;
            continue;
        }
        char e = *++s;
        if (e == 'x' && s[1] && s[2]) {
            char hex[3] = {s[1], s[2], 0};
            out[o++] = (char)strtol(hex, NULL, 16);
            s += 2;
        } else {
            out[o++] = e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e == '0' ? '\0' : e;
        }
    }
    out[o] = '\0';
    if (len)
        *len = o;
    return out;
}

size_t pe_case_run_file(const char *rel, void (*fn)(pe_case_check *k, void *ctx), void *ctx)
{
    pe_cases cs = pe_cases_load(pe_test_data(rel));
    pe_case_check k = {rel, NULL, 0};
    for (size_t i = 0; i < cs.count; i++) {
        k.c = &cs.items[i];
        fn(&k, ctx);
    }
    size_t count = cs.count;
    pe_cases_free(&cs);
    ck_assert_msg(k.failures == 0, "%s: %d failed expectation(s), see above", rel, k.failures);
    ck_assert_msg(count > 0, "%s has no cases", rel);
    return count;
}

void pe_case_put_escaped(pe_strbuf *sb, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = pe_utf8_seq((const unsigned char *)s + i, len - i);
        if (c == '\\')
            pe_sb_puts(sb, "\\\\");
        else if (c == '\n')
            pe_sb_puts(sb, "\\n");
        else if (c == '\t')
            pe_sb_puts(sb, "\\t");
        else if (c == '\r')
            pe_sb_puts(sb, "\\r");
        else if (c < 0x20 || c == 0x7f || k == 0)
            pe_sb_printf(sb, "\\x%02x", c);
        else {
            pe_sb_append(sb, s + i, k);
            i += k;
            continue;
        }
        i++;
    }
}

double pe_test_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

uint64_t pe_test_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

void pe_test_arena_with_room(pe_arena *a, size_t room)
{
    size_t block = (size_t)1 << 20;
    ck_assert_uint_lt(room, block - 16);
    a->block_size = block;
    ck_assert_ptr_nonnull(pe_arena_alloc(a, 16));
    a->block_size = SIZE_MAX; /* too large: the next block fails */
    ck_assert_ptr_nonnull(pe_arena_alloc(a, block - 16 - room));
}
