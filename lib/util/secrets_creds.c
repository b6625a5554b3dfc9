#include <string.h>

#include "util/base64.h"
#include "util/secrets_internal.h"

/* ---- the literal test ------------------------------------------------------------- */

/* A value seen byte by byte: its length, classes and first bytes. */
typedef struct vstat {
    size_t n;
    unsigned cls;
    int same; /* every byte equal to the first */
    char head[MAX_VALUE];
} vstat;

static void vs_init(vstat *v)
{
    v->n = 0;
    v->cls = 0;
    v->same = 1;
}

static void vs_add(vstat *v, int c)
{
    if (v->n < MAX_VALUE)
        v->head[v->n] = (char)c;
    if (v->n && c != (unsigned char)v->head[0])
        v->same = 0;
    v->cls |= klass(c);
    v->n++;
}

static void vs_set(vstat *v, const char *s, size_t n)
{
    vs_init(v);
    for (size_t i = 0; i < n; i++)
        vs_add(v, (unsigned char)s[i]);
}

int pe_secret_has_ci(const char *s, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= n; i++) {
        size_t j = 0;
        while (j < w && lower((unsigned char)s[i + j]) == word[j])
            j++;
        if (j == w)
            return 1;
    }
    return 0;
}

static int starts(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && memcmp(s, p, k) == 0;
}

static const char *const placeholders[] = {
    "xxx",       "***",       "...",      "your",     "example",   "placeholder",   "changeme",
    "change_me", "change-me", "changeit", "redacted", "dummy",     "sample",        "password",
    "passwd",    "secret",    "token",    "here",     "todo",      "fixme",         "replace",
    "insert",    "fake",      "none",     "null",     "undefined", "x-oauth-basic",
};

/* A real secret, not a reference, a placeholder, a path or prose
 * (secrets.h, "the literal test"). */
static int literal_ok(const vstat *v, size_t min, size_t max, int mix)
{
    if (v->n < min || v->n > max || v->same || (v->cls & K_SPACE))
        return 0;
    size_t h = v->n < MAX_VALUE ? v->n : MAX_VALUE;
    const char *s = v->head;
    if (memchr("${<[(@%&", s[0], 8) || pe_secret_has_ci(s, h, "${") ||
        pe_secret_has_ci(s, h, "{{") || pe_secret_has_ci(s, h, "$(") ||
        pe_secret_has_ci(s, h, "://") || (memchr(s, '<', h) && memchr(s, '>', h)))
        return 0;
    if (s[0] == '/' || starts(s, h, "./") || starts(s, h, "../") || starts(s, h, "~/"))
        return 0;
    for (size_t i = 0; v->n < 32 && i < sizeof(placeholders) / sizeof(placeholders[0]); i++)
        if (pe_secret_has_ci(s, h, placeholders[i]))
            return 0;
    return !mix || mixed(v->cls);
}

/* ---- 3, 4. Bearer and Basic ------------------------------------------------------- */

static void try_bearer(scan *sc, size_t at)
{
    size_t p = at;
    if (at < sc->resume[M_BEARER] || !read_lit(sc, &p, "bearer", 1) || !read_seps(sc, &p))
        return;
    vstat v;
    vs_init(&v);
    for (;;) {
        size_t q = p;
        int c = rd(sc, &q);
        if (c < 0 || !in_alpha(c, A_BEARER))
            break;
        vs_add(&v, c);
        p = q;
    }
    sc->resume[M_BEARER] = p;
    if (literal_ok(&v, 16, (size_t)-1, 1))
        sc->found |= PE_SECRET_BIT(PE_SECRET_GENERIC_BEARER);
}

/* Reads up to a stop byte, keeping the first cap bytes in buf; returns
 * the length read (more than cap: too long) and leaves *p at the stop.
 * Stops: white space and the end, and by quote: the quote byte itself;
 * -1 (a URL authority): / ? # \ " ' ` < > ( ) { } |; -2 (a word): " and '. */
static size_t read_run(const scan *sc, size_t *p, int quote, char *buf, size_t cap)
{
    size_t n = 0;
    for (;;) {
        size_t q = *p;
        int c = rd(sc, &q);
        if (c <= ' ' || c == quote || (quote == -1 && strchr("/?#\\\"'`<>(){}|", c)) ||
            (quote == -2 && (c == '"' || c == '\'')))
            return n;
        if (n < cap)
            buf[n] = (char)c;
        n++;
        *p = q;
    }
}

/* "user:password" in s[0..n): the password passes the literal test. */
static int userpass_ok(const char *s, size_t n, size_t min, int mix)
{
    const char *colon = memchr(s, ':', n);
    if (!colon)
        return 0;
    vstat v;
    vs_set(&v, colon + 1, n - (size_t)(colon + 1 - s));
    return literal_ok(&v, min, MAX_VALUE, mix);
}

static void try_basic(scan *sc, size_t at)
{
    size_t p = at;
    if (at < sc->resume[M_BASIC] || !read_lit(sc, &p, "basic", 1) || !read_seps(sc, &p))
        return;
    char out[MAX_BASIC];
    size_t n = 0, in = 0;
    unsigned acc = 0;
    int bits = 0, printable = 1;
    for (;;) {
        size_t q = p;
        int c = rd(sc, &q), v = c < 0 ? -1 : pe_base64_digit(c);
        if (v < 0 && c != '=')
            break;
        p = q;
        if (v < 0 || ++in > MAX_BASIC)
            continue; /* padding, or too long: read on, judged below */
        acc = acc << 6 | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            int b = (int)(acc >> bits & 0xff);
            printable &= b >= 0x20 && b < 0x7f;
            out[n++] = (char)b;
        }
    }
    sc->resume[M_BASIC] = p;
    if (in <= MAX_BASIC && printable && userpass_ok(out, n, 4, 0))
        sc->found |= PE_SECRET_BIT(PE_SECRET_BASIC_AUTH);
}

/* curl's and wget's -u / --user user:password. at is the 'u' after '-'. */
static void try_user(scan *sc, size_t at, int before)
{
    size_t p = at;
    if (at < sc->resume[M_USER] || is_word(before) ||
        !read_lit(sc, &p, before == '-' ? "user" : "u", 0))
        return;
    size_t q = p;
    int c = rd(sc, &q);
    if (c == ' ' || c == '\t') {
        p = q;
        while ((c = peek(sc, p)) == ' ' || c == '\t')
            rd(sc, &p);
    } else if (c == '=') {
        p = q;
    } else {
        return;
    }
    q = p;
    int quote = rd(sc, &q);
    if (quote == '"' || quote == '\'')
        p = q;
    else
        quote = 0;
    char val[MAX_VALUE];
    size_t n = read_run(sc, &p, quote ? quote : -2, val, MAX_VALUE);
    sc->resume[M_USER] = p;
    if (n <= MAX_VALUE && userpass_ok(val, n, 6, 1))
        sc->found |= PE_SECRET_BIT(PE_SECRET_BASIC_AUTH);
}

/* ---- 5. credentials in URLs ------------------------------------------------------- */

void pe_secret_try_url(scan *sc, size_t p)
{
    if (p < sc->resume[M_URL] || rd(sc, &p) != '/' || rd(sc, &p) != '/')
        return;
    char auth[MAX_AUTHORITY];
    size_t n = read_run(sc, &p, -1, auth, MAX_AUTHORITY);
    sc->resume[M_URL] = p;
    if (n > MAX_AUTHORITY)
        return;
    size_t at = n;
    while (at > 0 && auth[at - 1] != '@')
        at--;
    if (at > 0 && userpass_ok(auth, at - 1, 6, 0))
        sc->found |= PE_SECRET_BIT(PE_SECRET_URL_CREDENTIALS);
}

/* ---- 6. assignments --------------------------------------------------------------- */

typedef struct word {
    const char *s;
    size_t n;
} word;
#define W(x)                                                                                       \
    {                                                                                              \
        x, sizeof(x) - 1                                                                           \
    }

static const word key_words[] = {
    W("password"),   W("passwd"),    W("passphrase"),    W("pwd"),
    W("secret"),     W("token"),     W("auth"),          W("apikey"),
    W("accesskey"),  W("secretkey"), W("privatekey"),    W("authkey"),
    W("accountkey"), W("masterkey"), W("encryptionkey"), W("signingkey"),
};

static const word key_not[] = {
    W("pagetoken"),   W("nexttoken"), W("continuationtoken"), W("synctoken"),
    W("cursortoken"), W("csrftoken"), W("xsrftoken"),         W("cancellationtoken"),
};

static int ends_with(const char *s, size_t n, word w)
{
    return n >= w.n && s[n - 1] == w.s[w.n - 1] && memcmp(s + n - w.n, w.s, w.n) == 0;
}

int pe_secret_key_kind(const char *k, size_t n, int aws)
{
    /* most words end otherwise: the last byte of every keyword */
    int last = n ? k[n - 1] : 0;
    if (last != 'd' && last != 'e' && last != 't' && last != 'h' && last != 'n' && last != 'y')
        return 0;
    for (size_t i = 0; last == 'n' && i < sizeof(key_not) / sizeof(key_not[0]); i++)
        if (ends_with(k, n, key_not[i]))
            return 0; /* every one ends "token" */
    if (ends_with(k, n, (word)W("secretaccesskey")) ||
        (aws && ends_with(k, n, (word)W("secretkey"))))
        return PE_SECRET_AWS_SECRET_KEY;
    for (size_t i = 0; i < sizeof(key_words) / sizeof(key_words[0]); i++)
        if (ends_with(k, n, key_words[i]))
            return PE_SECRET_PASSWORD_ASSIGNMENT;
    return 0;
}

/* An unquoted value that names something rather than holding it: a dotted
 * identifier (process.env.X, self.password) or an upper-case variable name
 * with an underscore (DB_PASSWORD). */
static int is_reference(const vstat *v)
{
    const char *s = v->head;
    size_t n = v->n, dots = 0, under = 0, upper = 1;
    if (n == 0 || n > MAX_VALUE || !is_alnum((unsigned char)s[0]) || (s[0] >= '0' && s[0] <= '9'))
        return 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '.') {
            if (i + 1 == n || !is_word((unsigned char)s[i + 1]) ||
                (s[i + 1] >= '0' && s[i + 1] <= '9'))
                return 0;
            dots++;
        } else if (!is_word(c) && c != '$') {
            return 0;
        }
        under += c == '_';
        upper &= !(c >= 'a' && c <= 'z');
    }
    return dots > 0 || (upper && under > 0);
}

static uint64_t judge(int kind, const vstat *v)
{
    if (kind == PE_SECRET_AWS_SECRET_KEY && v->n == 40 && mixed(v->cls)) {
        size_t i = 0;
        while (i < 40 && in_alpha((unsigned char)v->head[i], A_B64))
            i++;
        if (i == 40)
            return PE_SECRET_BIT(PE_SECRET_AWS_SECRET_KEY);
    }
    return literal_ok(v, 8, MAX_VALUE, 1) ? PE_SECRET_BIT(PE_SECRET_PASSWORD_ASSIGNMENT) : 0;
}

static int is_quote(int c)
{
    return c == '"' || c == '\'' || c == '`';
}

/* The operator after a key; advances. before: the byte before the key. */
static int read_operator(const scan *sc, size_t *p, int before)
{
    size_t q = *p;
    int c = rd(sc, &q), spaces = 0;
    if (is_quote(c)) {
        *p = q;
        c = rd(sc, &q);
    }
    while ((c == ' ' || c == '\t') && spaces < 8) {
        *p = q;
        spaces++;
        c = rd(sc, &q);
    }
    size_t after = q;
    int d = rd(sc, &after);
    if ((c == '=' && d != '=') || (c == ':' && d != ':') || (c == '>' && before == '<')) {
        *p = (c == '=' && d == '>') || (c == ':' && d == '=') ? after : q;
        return 1;
    }
    if (c == '?' && d == '=') {
        *p = after;
        return 1;
    }
    return spaces > 0 && before == '-' && c >= 0 && !is_space(c);
}

void pe_secret_try_assign(scan *sc, size_t p, int before, int option, int kind)
{
    if (!read_operator(sc, &p, option ? '-' : before))
        return;
    int c;
    while ((c = peek(sc, p)) == ' ' || c == '\t')
        rd(sc, &p);
    int quote = is_quote(c) ? c : 0;
    if (quote)
        rd(sc, &p);
    vstat v;
    vs_init(&v);
    for (;;) {
        size_t q = p;
        c = rd(sc, &q);
        if (c < 0 || c == quote || (quote ? c <= ' ' : c <= ' ' || strchr("\"'`,;&<>(){}[]\\", c)))
            break;
        vs_add(&v, c);
        p = q;
    }
    sc->resume[M_ASSIGN] = p;
    if (quote && c >= 0 && c != quote)
        return; /* white space inside quotes: prose */
    if (!quote && (c == '(' || c == '[' || is_reference(&v)))
        return; /* code: getenv("X"), os.environ["X"], process.env.X */
    sc->found |= judge(kind, &v);
}

void pe_secret_try_word(scan *sc, size_t at, int c, int prev, int prev2)
{
    if (c == 'b' || c == 'B') {
        try_bearer(sc, at);
        try_basic(sc, at);
    }
    if (c == 'u' && prev == '-')
        try_user(sc, at, prev2);
}

uint64_t pe_secret_scan_pair(const char *key, size_t keylen, const char *value, size_t vallen)
{
    char k[MAX_KEY];
    size_t kn = 0;
    if (!key || !value || keylen > MAX_KEY)
        return 0;
    for (size_t i = 0; i < keylen; i++)
        if (is_alnum((unsigned char)key[i]))
            k[kn++] = (char)lower((unsigned char)key[i]);
    int kind = pe_secret_key_kind(k, kn, pe_secret_has_ci(k, kn, "aws"));
    if (!kind)
        return 0;
    vstat v;
    vs_set(&v, value, vallen);
    return judge(kind, &v);
}
