/*
 * What the parts of the secret detector share (secrets.c: the scan, issuer
 * tokens, private keys; secrets_creds.c: credentials in headers, URLs and
 * assignments): byte classes and the reader of the scanned view.
 */
#ifndef PE_UTIL_SECRETS_INTERNAL_H
#define PE_UTIL_SECRETS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "util/secrets.h"

/* ---- bytes ------------------------------------------------------------------------ */

/* Alphabets of token bodies. */
enum {
    A_LOWER = 1u << 0,
    A_UPPER = 1u << 1,
    A_DIGIT = 1u << 2,
    A_HEXLO = 1u << 3, /* a-f */
    A_HEXUP = 1u << 4, /* A-F */
    A_US = 1u << 5,
    A_DASH = 1u << 6,
    A_DOT = 1u << 7,
    A_SLASH = 1u << 8,
    A_PLUS = 1u << 9,
    A_EQ = 1u << 10,
    A_TILDE = 1u << 11,
};
#define A_ALNUM   (A_LOWER | A_UPPER | A_DIGIT)
#define A_UPNUM   (A_UPPER | A_DIGIT)
#define A_HEX     (A_HEXLO | A_DIGIT)
#define A_ANYHEX  (A_HEXLO | A_HEXUP | A_DIGIT)
#define A_URLSAFE (A_ALNUM | A_US | A_DASH)
#define A_B64     (A_ALNUM | A_PLUS | A_SLASH | A_EQ)
#define A_BEARER  (A_URLSAFE | A_DOT | A_TILDE | A_PLUS | A_SLASH | A_EQ)

static inline int in_alpha(int c, unsigned a)
{
    if (c >= 'a' && c <= 'z')
        return (a & A_LOWER) || ((a & A_HEXLO) && c <= 'f');
    if (c >= 'A' && c <= 'Z')
        return (a & A_UPPER) || ((a & A_HEXUP) && c <= 'F');
    if (c >= '0' && c <= '9')
        return (a & A_DIGIT) != 0;
    switch (c) {
    case '_':
        return (a & A_US) != 0;
    case '-':
        return (a & A_DASH) != 0;
    case '.':
        return (a & A_DOT) != 0;
    case '/':
        return (a & A_SLASH) != 0;
    case '+':
        return (a & A_PLUS) != 0;
    case '=':
        return (a & A_EQ) != 0;
    case '~':
        return (a & A_TILDE) != 0;
    default:
        return 0;
    }
}

/* Byte classes by one lookup: the table is in secrets.c, and a test checks
 * it against these definitions. */
enum {
    CL_ALNUM = 1, /* [A-Za-z0-9] */
    CL_WORD = 2,  /* [A-Za-z0-9_] */
    CL_KEY = 4,   /* [A-Za-z0-9_.-]: a byte of a key run */
    CL_UPPER = 8, /* [A-Z] */
};
extern const unsigned char pe_secret_byte_class[256];

static inline unsigned byte_class(int c)
{
    return (unsigned)c < 256 ? pe_secret_byte_class[c] : 0; /* -1: the end */
}

static inline int is_alnum(int c)
{
    return (byte_class(c) & CL_ALNUM) != 0;
}

static inline int is_word(int c)
{
    return (byte_class(c) & CL_WORD) != 0;
}

static inline int key_char(int c)
{
    return (byte_class(c) & CL_KEY) != 0;
}

static inline int lower(int c)
{
    return byte_class(c) & CL_UPPER ? c + ('a' - 'A') : c;
}

static inline int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static inline int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Classes of the "mixed classes" test. */
enum { K_LOWER = 1, K_UPPER = 2, K_DIGIT = 4, K_SYMBOL = 8, K_SEP = 16, K_SPACE = 32 };

static inline unsigned klass(int c)
{
    if (c >= 'a' && c <= 'z')
        return K_LOWER;
    if (c >= 'A' && c <= 'Z')
        return K_UPPER;
    if (c >= '0' && c <= '9')
        return K_DIGIT;
    if (c == '_' || c == '-' || c == '.' || c == '/')
        return K_SEP;
    if (c <= ' ' || c == 0x7f)
        return K_SPACE;
    return K_SYMBOL; /* punctuation, non-ASCII bytes */
}

static inline int mixed(unsigned k)
{
    unsigned letters = k & (K_LOWER | K_UPPER);
    return (letters && (k & (K_DIGIT | K_SYMBOL))) || ((k & K_DIGIT) && (k & K_SYMBOL));
}

/* ---- the view: the text as written, or percent-decoded ---------------------------- */

enum { MAX_KEY = 64, MAX_VALUE = 256, MAX_AUTHORITY = 512, MAX_BASIC = 384, MAX_LABEL = 100 };

/* Matchers other than the rows, each with its own resume offset. */
enum { M_PEM, M_URL, M_ASSIGN, M_BEARER, M_BASIC, M_USER, M_COUNT };

typedef struct pe_secret_scanner {
    const unsigned char *s;
    size_t n;
    int decode; /* 1: "%XX" is the byte XX */
    uint64_t found;
    /* Raw offset before which a matcher does not start again: where its
     * last attempt stopped reading. This keeps the scan linear. */
    size_t resume[M_COUNT];
    size_t *row_resume;           /* the same, one per row of the token table */
    unsigned char row_start[129]; /* rows whose prefix starts with byte c:
                                   * [row_start[c], row_start[c + 1]) */
} scan;

/* The byte of the view at raw offset *p, advancing *p; -1 at the end. */
static inline int rd(const scan *sc, size_t *p)
{
    size_t i = *p;
    if (i >= sc->n)
        return -1;
    int c = sc->s[i];
    if (!sc->decode || c != '%' || sc->n - i < 3 || hexval(sc->s[i + 1]) < 0 ||
        hexval(sc->s[i + 2]) < 0) {
        *p = i + 1;
        return c;
    }
    c = hexval(sc->s[i + 1]) << 4 | hexval(sc->s[i + 2]);
    i += 3;
    if (c == '%' && sc->n - i >= 2 && hexval(sc->s[i]) >= 0 && hexval(sc->s[i + 1]) >= 0) {
        c = hexval(sc->s[i]) << 4 | hexval(sc->s[i + 1]); /* "%2541": "%41": 'A' */
        i += 2;
    }
    *p = i;
    return c;
}

static inline int peek(const scan *sc, size_t p)
{
    return rd(sc, &p);
}

/* Reads word (lower case) at *p, in any case when ci; advances only on a match. */
static inline int read_lit(const scan *sc, size_t *p, const char *word, int ci)
{
    size_t q = *p;
    for (; *word; word++) {
        int c = rd(sc, &q);
        if (c < 0 || (ci ? lower(c) : c) != (unsigned char)*word)
            return 0;
    }
    *p = q;
    return 1;
}

/* One to eight spaces, tabs or '+' (a space in a query string). */
static inline int read_seps(const scan *sc, size_t *p)
{
    int n = 0;
    for (;;) {
        size_t q = *p;
        int c = rd(sc, &q);
        if ((c != ' ' && c != '\t' && c != '+') || n == 8)
            return n > 0;
        *p = q;
        n++;
    }
}

/* The matchers that start at a word boundary with 'b', 'B' or "-u":
 * Bearer, Basic, -u / --user (secrets_creds.c). c is the byte at raw
 * offset at, prev and prev2 the two before it (-1 when none). */
void pe_secret_try_word(scan *sc, size_t at, int c, int prev, int prev2);

/* Case-insensitive: word (lower case) occurs in s[0..n). */
int pe_secret_has_ci(const char *s, size_t n, const char *word);

/* What a key names, from its letters and digits lower-cased: 0, PE_SECRET_AWS_SECRET_KEY or
 * PE_SECRET_PASSWORD_ASSIGNMENT. aws: "aws" occurs in the whole key. */
int pe_secret_key_kind(const char *k, size_t n, int aws);

/* The operator and value after a key of that kind that ends at raw offset
 * p; before is the byte before the key, option is 1 when the key starts
 * with '-'. */
void pe_secret_try_assign(scan *sc, size_t p, int before, int option, int kind);

/* 1 when the token table is sorted by prefix, as the binary search of
 * its rows needs (a test keeps it so as rows are added). */
int pe_secret_rows_sorted(void);

/* Credentials in a URL; p is just after the ':' of "scheme:". */
void pe_secret_try_url(scan *sc, size_t p);

#endif
