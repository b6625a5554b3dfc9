/* Fuzz target: a regex (the first line) and a text (the rest) for the
 * `regex` operator. A pattern compiles or fails with RE2's kind of message;
 * a compiled one matches any text within its step budget or says it could
 * not (-2, never a wrong answer), gives the same answer twice, and is never
 * larger than PE_REGEX_MAX_INSTS, and a text it matches holds one of the
 * texts it needs. A text
 * that starts with 0xff is repeated to 64 KiB, so that large programs meet
 * long inputs. */
#include <stdlib.h>
#include <string.h>

#include "compile/regex.h"
#include "fuzz.h"

#define LONG_TEXT (64u << 10)

/* Steps one match may take: what a default evaluation allows, scaled down so
 * that a target run stays quick (a match past it answers -2, never 0 or 1). */
#define WORK 50000000u

static int match(const unsigned char *base, const pe_regex *re, const uint8_t *s, size_t len)
{
    uint64_t work = WORK;
    int r = pe_regex_match(base, re, (const char *)s, len, &work);
    FZ_CHECK(r == 0 || r == 1 || r == -2, "match returned %d", r);
    FZ_CHECK(r == -2 || work <= WORK, "work went up: %llu", (unsigned long long)work);
    return r;
}

/* A text the pattern matches contains one of the texts the pattern needs
 * (what rules are triggered on, and lists of patterns filtered by). */
static void check_needs(const unsigned char *base, const pe_regex *re, const uint8_t *s,
                        size_t len)
{
    pe_str needs[PE_REGEX_NEEDS_MAX];
    size_t n = pe_regex_needs(base, re, needs, PE_REGEX_NEEDS_MAX);
    int has = n == 0;
    for (size_t i = 0; i < n && !has; i++)
        for (size_t at = 0; !has && needs[i].len <= len && at <= len - needs[i].len; at++)
            has = memcmp(s + at, needs[i].s, needs[i].len) == 0;
    FZ_CHECK(has, "a match without any of the %zu texts the pattern needs", n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *pat, *text;
    size_t pat_len, text_len;
    fz_split_line(data, size, &pat, &pat_len, &text, &text_len);
    pe_region a = PE_REGION_INIT;
    FZ_CHECK(pe_region_init(&a, (size_t)64 << 20, 8) == 0, "out of memory");
    char msg[256] = "";
    const pe_regex *re = pe_regex_compile(&a, (const char *)pat, pat_len, msg, sizeof(msg));
    (void)pe_regex_could_be_simpler((const char *)pat, pat_len);
    if (!re) {
        FZ_CHECK(msg[0], "a rejected pattern without a message");
        pe_region_free(&a);
        return 0;
    }
    FZ_CHECK(pe_regex_size(re) <= PE_REGEX_MAX_INSTS, "program of %zu instructions",
             pe_regex_size(re));
    uint8_t *owned = NULL;
    if (text_len > 1 && text[0] == 0xff) {
        size_t unit = text_len - 1, n = 0;
        owned = malloc(LONG_TEXT + unit);
        FZ_CHECK(owned, "out of memory");
        while (n < LONG_TEXT) {
            memcpy(owned + n, text + 1, unit);
            n += unit;
        }
        text = owned;
        text_len = n;
    }
    int first = match(a.base, re, text, text_len);
    FZ_CHECK(match(a.base, re, text, text_len) == first, "two answers for one text");
    if (first == 1 && text_len <= 4096)
        check_needs(a.base, re, text, text_len);
    match(a.base, re, (const uint8_t *)"", 0);
    if (match(a.base, re, pat, pat_len) == 1)
        check_needs(a.base, re, pat, pat_len);
    free(owned);
    pe_region_free(&a);
    return 0;
}
