/*
 * Host normalisation and URL splitting; the rules are in host.h. The IPv6
 * parser follows the WHATWG URL standard's algorithm (which accepts what
 * inet_pton does); the IPv4 parser accepts the union of inet_aton(3)'s and
 * WHATWG's number forms.
 */
#include "util/host.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "prempti/common.h"
#include "util/utf8.h"

/* ---- small helpers ---------------------------------------------------------------- */

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Whether s (n bytes) is word, ignoring ASCII case. */
static int ieq(const char *s, size_t n, const char *word)
{
    size_t j = 0;
    while (j < n && word[j] && lower(s[j]) == word[j])
        j++;
    return j == n && !word[j];
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static pe_str empty_str(void)
{
    pe_str e = {"", 0};
    return e;
}

static int dup_str(pe_str *out, const char *s, size_t len, pe_arena *a)
{
    char *d = pe_arena_strndup(a, s, len);
    if (!d)
        return PREMPTI_E_NOMEM;
    out->s = d;
    out->len = len;
    return 0;
}

/* ---- IPv4 ---------------------------------------------------------------------------- */

/* One part of an IPv4 address: decimal, 0x hex ("0x" alone is 0), or 0-led
 * octal. Returns 0 and sets *v (capped above 2^32), or -1. */
static int ipv4_number(const char *s, size_t n, uint64_t *v)
{
    unsigned base = 10;
    size_t i = 0;
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    } else if (n >= 2 && s[0] == '0') {
        base = 8;
        i = 1;
    } else if (n == 0) {
        return -1;
    }
    uint64_t acc = 0;
    for (; i < n; i++) {
        int d = pe_hex_digit((unsigned char)s[i]);
        if (d < 0 || (unsigned)d >= base)
            return -1;
        if (acc <= 0xFFFFFFFFu)
            acc = acc * base + (unsigned)d;
    }
    *v = acc;
    return 0;
}

/* Whether the last dot-separated label of s looks like a number (WHATWG's
 * "ends in a number"): all digits, or a valid 0x number. */
static int ends_in_number(const char *s, size_t n)
{
    size_t start = n;
    while (start > 0 && s[start - 1] != '.')
        start--;
    if (start == n)
        return 0;
    int digits = 1;
    for (size_t i = start; i < n; i++)
        digits &= is_digit((unsigned char)s[i]);
    uint64_t v;
    return digits || (n - start >= 2 && s[start] == '0' && (s[start + 1] | 0x20) == 'x' &&
                      ipv4_number(s + start, n - start, &v) == 0);
}

static int parse_ipv4(const char *s, size_t n, uint32_t *out)
{
    uint64_t parts[4];
    size_t np = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.')
            continue;
        if (np == 4 || ipv4_number(s + start, i - start, &parts[np]) != 0)
            return -1;
        np++;
        start = i + 1;
    }
    uint32_t addr = 0;
    for (size_t i = 0; i + 1 < np; i++) {
        if (parts[i] > 255)
            return -1;
        addr |= (uint32_t)parts[i] << (8 * (3 - i));
    }
    uint64_t room = np == 1 ? 0xFFFFFFFFu : ((uint64_t)1 << (8 * (5 - np))) - 1;
    if (parts[np - 1] > room)
        return -1;
    *out = addr | (uint32_t)parts[np - 1];
    return 0;
}

static size_t format_ipv4(char *out, const unsigned char *b)
{
    return (size_t)snprintf(out, 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}

/* ---- IPv6 ---------------------------------------------------------------------------- */

/* The dotted IPv4 tail of an IPv6 address (WHATWG: exactly 4 decimal parts,
 * no leading zeros). Writes pieces g[0], g[1]. */
static int ipv6_v4_tail(const char *s, size_t n, uint16_t *g)
{
    unsigned seen = 0;
    size_t i = 0;
    while (i < n) {
        if (seen > 0) {
            if (s[i] != '.' || seen == 4)
                return -1;
            i++;
        }
        if (i >= n || !is_digit((unsigned char)s[i]))
            return -1;
        int v = -1;
        for (; i < n && is_digit((unsigned char)s[i]); i++) {
            if (v == 0)
                return -1;
            v = (v < 0 ? 0 : v * 10) + (s[i] - '0');
            if (v > 255)
                return -1;
        }
        g[seen / 2] = (uint16_t)(g[seen / 2] * 0x100 + v);
        seen++;
    }
    return seen == 4 ? 0 : -1;
}

static int parse_ipv6(const char *s, size_t n, uint16_t g[8])
{
    memset(g, 0, 8 * sizeof(uint16_t));
    size_t i = 0, pi = 0;
    long comp = -1;
    if (n > 0 && s[0] == ':') {
        if (n < 2 || s[1] != ':')
            return -1;
        i = 2;
        comp = (long)++pi;
    }
    while (i < n) {
        if (pi == 8)
            return -1;
        if (s[i] == ':') {
            if (comp >= 0)
                return -1;
            i++;
            comp = (long)++pi;
            continue;
        }
        unsigned v = 0, l = 0;
        for (; l < 4 && i < n && pe_hex_digit((unsigned char)s[i]) >= 0; l++, i++)
            v = v * 16 + (unsigned)pe_hex_digit((unsigned char)s[i]);
        if (i < n && s[i] == '.') {
            if (l == 0 || pi > 6 || ipv6_v4_tail(s + i - l, n - (i - l), g + pi) != 0)
                return -1;
            pi += 2;
            i = n;
            break;
        }
        if (i < n && s[i] == ':') {
            if (++i == n)
                return -1;
        } else if (i < n) {
            return -1;
        }
        g[pi++] = (uint16_t)v;
    }
    if (comp >= 0) {
        size_t swaps = pi - (size_t)comp;
        for (size_t k = 7; k != 0 && swaps > 0; k--, swaps--) {
            uint16_t t = g[k];
            g[k] = g[(size_t)comp + swaps - 1];
            g[(size_t)comp + swaps - 1] = t;
        }
    } else if (pi != 8) {
        return -1;
    }
    return 0;
}

/* RFC 5952 text of g; out has room for 40 bytes. */
static size_t format_ipv6(char *out, const uint16_t g[8])
{
    int best = -1, best_len = 1;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    size_t o = 0;
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            out[o++] = ':';
            if (i == 0)
                out[o++] = ':';
            i += best_len - 1;
            continue;
        }
        o += (size_t)snprintf(out + o, 6, "%x", g[i]);
        if (i < 7)
            out[o++] = ':';
    }
    out[o] = '\0';
    return o;
}

/* The IPv4 address an IPv6 address stands for (mapped, translated: the
 * socket goes there) or carries (NAT64, 6to4, compatible). */
static unsigned ipv6_v4(const uint16_t g[8], unsigned char v4[4])
{
    int z01 = g[0] == 0 && g[1] == 0, z23 = g[2] == 0 && g[3] == 0;
    uint16_t hi = g[6], lo = g[7];
    unsigned kind = 0;
    if (z01 && z23 && g[4] == 0 && g[5] == 0xffff)
        kind = PE_HOST_F_MAPPED;
    else if (z01 && z23 && g[4] == 0xffff && g[5] == 0)
        kind = PE_HOST_F_MAPPED;
    else if (g[0] == 0x64 && g[1] == 0xff9b && z23 && g[4] == 0 && g[5] == 0)
        kind = PE_HOST_F_EMBEDDED;
    else if (z01 && z23 && g[4] == 0 && g[5] == 0 && hi != 0)
        kind = PE_HOST_F_EMBEDDED;
    else if (g[0] == 0x2002) {
        kind = PE_HOST_F_EMBEDDED;
        hi = g[1];
        lo = g[2];
    }
    v4[0] = (unsigned char)(hi >> 8);
    v4[1] = (unsigned char)hi;
    v4[2] = (unsigned char)(lo >> 8);
    v4[3] = (unsigned char)lo;
    return kind;
}

/* ---- host normalisation ------------------------------------------------------------- */

/* Length of a fullwidth or ideographic-dot sequence at s, and its ASCII. */
static size_t wide_char(const unsigned char *s, size_t n, char *ascii)
{
    if (n >= 3 && s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x82) {
        *ascii = '.';
        return 3;
    }
    if (n < 3 || s[0] != 0xef || (s[1] != 0xbc && s[1] != 0xbd) || s[2] < 0x80 || s[2] > 0xbf)
        return 0;
    unsigned cp = 0xff00u + ((unsigned)(s[1] - 0xbc) << 6) + (s[2] & 0x3fu);
    if (cp == 0xff61) {
        *ascii = '.';
        return 3;
    }
    if (cp < 0xff01 || cp > 0xff5e)
        return 0;
    *ascii = (char)(cp - 0xff01 + 0x21);
    return 3;
}

static int forbidden(unsigned char c)
{
    return c <= 0x20 || c == 0x7f || strchr("/\\?#@[]<>^|%", c) != NULL;
}

static int set_ipv6(pe_host *out, const uint16_t g[8], char *buf, pe_arena *a)
{
    for (int i = 0; i < 8; i++) {
        out->addr[2 * i] = (unsigned char)(g[i] >> 8);
        out->addr[2 * i + 1] = (unsigned char)g[i];
    }
    unsigned char v4[4];
    unsigned kind = ipv6_v4(g, v4);
    char quad[16];
    size_t qn = format_ipv4(quad, v4);
    if (kind == PE_HOST_F_MAPPED) {
        out->kind = PE_HOST_IPV4;
        memset(out->addr, 0, sizeof(out->addr));
        memcpy(out->addr, v4, 4);
        out->flags |= PE_HOST_F_MAPPED;
        if (dup_str(&out->text, quad, qn, a) != 0)
            return PREMPTI_E_NOMEM;
        out->v4 = out->text;
        return 0;
    }
    out->kind = PE_HOST_IPV6;
    out->flags |= kind;
    size_t n = format_ipv6(buf, g);
    if (dup_str(&out->text, buf, n, a) != 0 || (kind && dup_str(&out->v4, quad, qn, a) != 0))
        return PREMPTI_E_NOMEM;
    return 0;
}

/* An IPv6 literal (brackets removed); a zone after '%' is dropped. */
static int try_ipv6(pe_host *out, const char *s, size_t n, pe_arena *a)
{
    const char *pct = memchr(s, '%', n);
    size_t an = pct ? (size_t)(pct - s) : n;
    uint16_t g[8];
    if (parse_ipv6(s, an, g) != 0)
        return 1;
    char buf[48];
    if (pct)
        out->flags |= PE_HOST_F_ZONE;
    return set_ipv6(out, g, buf, a);
}

static void reset_host(pe_host *out)
{
    memset(out, 0, sizeof(*out));
    out->text = empty_str();
    out->v4 = empty_str();
}

/* Decodes %XX, maps wide forms, lower-cases; returns the length written. */
static size_t clean_name(char *d, const char *s, size_t len, unsigned *flags)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        char c = s[i];
        int h1, h2;
        if (c == '%' && i + 2 < len && (h1 = pe_hex_digit((unsigned char)s[i + 1])) >= 0 &&
            (h2 = pe_hex_digit((unsigned char)s[i + 2])) >= 0) {
            c = (char)(h1 * 16 + h2);
            *flags |= PE_HOST_F_ENCODED;
            i += 3;
        } else {
            char w;
            size_t wl = wide_char((const unsigned char *)s + i, len - i, &w);
            if (wl) {
                c = w;
                *flags |= PE_HOST_F_WIDE;
                i += wl;
            } else {
                i++;
            }
        }
        d[o++] = lower(c);
    }
    return o;
}

int pe_host_normalize(pe_host *out, const char *s, size_t len, pe_arena *a)
{
    reset_host(out);
    if (len == 0)
        return 0;
    if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
        int rc = try_ipv6(out, s + 1, len - 2, a);
        if (rc <= 0)
            return rc;
        out->flags |= PE_HOST_F_INVALID; /* brackets around something else */
    }
    char *buf = pe_arena_alloc_raw(a, (len > 48 ? len : 48) + 1);
    if (!buf)
        return PREMPTI_E_NOMEM;
    size_t n = clean_name(buf, s, len, &out->flags);
    if (memchr(buf, ':', n)) {
        int rc = try_ipv6(out, buf, n, a);
        if (rc <= 0)
            return rc;
    }
    while (n > 0 && buf[n - 1] == '.') {
        n--;
        out->flags |= PE_HOST_F_TRAILING_DOT;
    }
    uint32_t v4;
    if (n > 0 && parse_ipv4(buf, n, &v4) == 0) {
        out->kind = PE_HOST_IPV4;
        unsigned char b[4] = {(unsigned char)(v4 >> 24), (unsigned char)(v4 >> 16),
                              (unsigned char)(v4 >> 8), (unsigned char)v4};
        memcpy(out->addr, b, 4);
        char quad[16];
        size_t qn = format_ipv4(quad, b);
        if (qn != n || memcmp(quad, buf, n) != 0)
            out->flags |= PE_HOST_F_ODD_IPV4;
        if (dup_str(&out->text, quad, qn, a) != 0)
            return PREMPTI_E_NOMEM;
        out->v4 = out->text;
        return 0;
    }
    out->kind = n ? PE_HOST_NAME : PE_HOST_NONE;
    if (ends_in_number(buf, n))
        out->flags |= PE_HOST_F_BAD_IPV4;
    for (size_t i = 0; i < n; i++)
        if (forbidden((unsigned char)buf[i]))
            out->flags |= PE_HOST_F_INVALID;
    buf[n] = '\0';
    out->text.s = buf;
    out->text.len = n;
    return 0;
}

/* ---- ports --------------------------------------------------------------------------- */

static const struct {
    const char *name;
    long port;
} services[] = {
    {"http", 80},    {"https", 443},       {"ws", 80},      {"wss", 443},    {"ftp", 21},
    {"ftps", 990},   {"sftp", 22},         {"scp", 22},     {"ssh", 22},     {"git", 9418},
    {"rsync", 873},  {"telnet", 23},       {"gopher", 70},  {"ldap", 389},   {"ldaps", 636},
    {"smtp", 25},    {"smtps", 465},       {"imap", 143},   {"imaps", 993},  {"pop3", 110},
    {"pop3s", 995},  {"dict", 2628},       {"tftp", 69},    {"smb", 445},    {"rtsp", 554},
    {"mqtt", 1883},  {"domain", 53},       {"dns", 53},     {"socks", 1080}, {"irc", 6667},
    {"mysql", 3306}, {"postgresql", 5432}, {"redis", 6379}, {"vnc", 5900},
};

static long service_port(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
        if (ieq(s, n, services[i].name))
            return services[i].port;
    return -1;
}

static long decimal_port(const char *s, size_t n)
{
    if (n == 0)
        return -1;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
        if (v > 65535)
            return -1;
    }
    return v;
}

long pe_port_parse(const char *s, size_t n)
{
    long v = decimal_port(s, n);
    return v >= 0 ? v : service_port(s, n);
}

/* ---- URLs ---------------------------------------------------------------------------- */

static const char *const special_schemes[] = {"http", "https", "ws", "wss", "ftp", "file"};

static int is_special(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof(special_schemes) / sizeof(special_schemes[0]); i++)
        if (ieq(s, n, special_schemes[i]))
            return 1;
    return 0;
}

/* Length of "scheme" when s starts with scheme ':' (RFC 3986 characters). */
static size_t scheme_len(const char *s, size_t n)
{
    if (n == 0 || !((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z'))
        return 0;
    size_t i = 1;
    while (i < n && (((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') ||
                     is_digit((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
        i++;
    return i < n && s[i] == ':' ? i : 0;
}

typedef struct url_parts {
    size_t scheme_end;     /* 0: no scheme */
    size_t auth, auth_end; /* authority range (auth_end == auth: empty) */
    size_t path;           /* start of the path */
    int has_auth;
} url_parts;

/* Splits the authority [user@]host[:port] of s[b..e) into *out. */
static int split_authority(pe_url *out, const char *s, size_t b, size_t e, pe_arena *a)
{
    size_t at = SIZE_MAX, ats = 0;
    for (size_t i = b; i < e; i++) {
        if (s[i] == '@') {
            at = i;
            ats++;
        }
        if (s[i] == '\\')
            out->flags |= PE_URL_F_AMBIGUOUS;
    }
    if (ats > 1)
        out->flags |= PE_URL_F_AMBIGUOUS;
    size_t h = b;
    if (at != SIZE_MAX) {
        if (dup_str(&out->userinfo, s + b, at - b, a) != 0)
            return PREMPTI_E_NOMEM;
        h = at + 1;
    }
    size_t he = e, colon = SIZE_MAX;
    if (h < e && s[h] == '[') {
        const char *close = memchr(s + h, ']', e - h);
        he = close ? (size_t)(close - s) + 1 : e;
        if (he < e && s[he] == ':')
            colon = he;
    } else {
        const char *c = memchr(s + h, ':', e - h);
        if (c)
            colon = he = (size_t)(c - s);
    }
    if (colon != SIZE_MAX) {
        size_t pn = e - colon - 1;
        if (dup_str(&out->port, s + colon + 1, pn, a) != 0)
            return PREMPTI_E_NOMEM;
        out->port_num = decimal_port(s + colon + 1, pn);
        if (pn && out->port_num < 0)
            out->flags |= PE_URL_F_BAD_PORT;
    }
    return pe_host_normalize(&out->host, s + h, he - h, a);
}

/* Finds scheme and authority the way curl reads a web word. */
static void web_parts(url_parts *p, const char *s, size_t n)
{
    memset(p, 0, sizeof(*p));
    size_t sl = scheme_len(s, n), i = 0;
    int backslash = 0; /* "http:\\host": only WHATWG reads it, and ends the authority at '\' */
    if (sl) {
        int special = is_special(s, sl), file = ieq(s, sl, "file");
        size_t j = sl + 1, slashes = 0;
        while (j < n && (s[j] == '/' || (special && s[j] == '\\'))) {
            backslash |= s[j] == '\\';
            j++;
            slashes++;
        }
        if (file) {
            p->scheme_end = sl;
            p->has_auth = slashes >= 2;
            i = p->has_auth ? sl + 3 : sl + 1;
            if (!p->has_auth) {
                p->auth = p->auth_end = p->path = i;
                return;
            }
        } else if (special || slashes >= 2) {
            p->scheme_end = sl;
            p->has_auth = 1;
            i = j;
        } else if (slashes == 0 && !special) {
            sl = 0; /* "host:port...": curl's scheme-less form */
        } else {
            p->scheme_end = sl; /* "x:/path": no authority */
            p->auth = p->auth_end = p->path = sl + 1;
            return;
        }
    }
    if (!sl) {
        p->has_auth = 1;
        if (n >= 2 && s[0] == '/' && s[1] == '/')
            i = 2;
    }
    p->auth = i;
    while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#' && !(backslash && s[i] == '\\'))
        i++;
    p->auth_end = p->path = i;
}

static long default_port(const char *scheme, size_t n)
{
    return n ? service_port(scheme, n) : -1;
}

static int finish(pe_url *out, const char *s, size_t len, const url_parts *p, long dflt,
                  pe_arena *a)
{
    size_t sn = p->scheme_end;
    char *sch = pe_arena_strndup(a, s, sn);
    if (!sch || dup_str(&out->path, s + p->path, len - p->path, a) != 0)
        return PREMPTI_E_NOMEM;
    for (size_t i = 0; i < sn; i++)
        sch[i] = lower(sch[i]);
    out->scheme.s = sch;
    out->scheme.len = sn;
    if (p->has_auth) {
        out->flags |= PE_URL_F_AUTHORITY;
        int rc = split_authority(out, s, p->auth, p->auth_end, a);
        if (rc != 0)
            return rc;
    }
    if (out->port_num < 0 && !(out->flags & PE_URL_F_BAD_PORT) && out->host.kind != PE_HOST_NONE) {
        long d = sn ? default_port(sch, sn) : dflt;
        if (d >= 0) {
            out->port_num = d;
            out->flags |= PE_URL_F_DEFAULT_PORT;
        }
    }
    return 0;
}

static void reset_url(pe_url *out)
{
    memset(out, 0, sizeof(*out));
    out->scheme = out->userinfo = out->port = out->path = empty_str();
    out->port_num = -1;
    reset_host(&out->host);
}

/* OpenSSH's colon(): the offset of the ':' ending an scp host, or SIZE_MAX. */
static size_t scp_colon(const char *s, size_t n)
{
    if (n == 0 || s[0] == ':')
        return SIZE_MAX;
    int flag = s[0] == '[';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '@' && i + 1 < n && s[i + 1] == '[')
            flag = 1;
        if (s[i] == ']' && i + 1 < n && s[i + 1] == ':' && flag)
            return i + 1;
        if (s[i] == ':' && !flag)
            return i;
        if (s[i] == '/')
            return SIZE_MAX;
    }
    return SIZE_MAX;
}

static int has_scheme_slashes(const char *s, size_t n)
{
    size_t sl = scheme_len(s, n);
    return sl && n - sl >= 3 && s[sl + 1] == '/' && s[sl + 2] == '/';
}

/* [user@]host: userinfo up to the last '@'. */
static int user_host(pe_url *out, const char *s, size_t n, pe_arena *a)
{
    size_t h = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '@')
            h = i + 1;
    if (h && dup_str(&out->userinfo, s, h - 1, a) != 0)
        return PREMPTI_E_NOMEM;
    out->flags |= PE_URL_F_AUTHORITY;
    int rc = pe_host_normalize(&out->host, s + h, n - h, a);
    if (rc == 0 && out->host.kind != PE_HOST_NONE) {
        out->port_num = 22;
        out->flags |= PE_URL_F_DEFAULT_PORT;
    }
    return rc;
}

int pe_url_parse(pe_url *out, const char *s, size_t len, pe_url_style style, pe_arena *a)
{
    reset_url(out);
    url_parts p;
    if (style == PE_URL_WEB || has_scheme_slashes(s, len)) {
        web_parts(&p, s, len);
        return finish(out, s, len, &p, style == PE_URL_WEB ? 80 : 22, a);
    }
    if (style == PE_URL_SSH)
        return user_host(out, s, len, a);
    size_t c = scp_colon(s, len);
    if (c == SIZE_MAX) {
        out->flags |= PE_URL_F_LOCAL;
        return dup_str(&out->path, s, len, a);
    }
    size_t path = c + 1;
    if (path < len && s[path] == ':') {
        out->flags |= PE_URL_F_RSYNC_DAEMON;
        path++;
    }
    int rc = user_host(out, s, c, a);
    if (rc == 0 && (out->flags & PE_URL_F_RSYNC_DAEMON))
        out->port_num = 873;
    return rc ? rc : dup_str(&out->path, s + path, len - path, a);
}

int pe_dev_net_parse(pe_dev_net *out, const char *path, size_t len, pe_arena *a)
{
    if (len < 9 || (memcmp(path, "/dev/tcp/", 9) != 0 && memcmp(path, "/dev/udp/", 9) != 0))
        return 0;
    const char *h = path + 9, *end = path + len;
    const char *slash = memchr(h, '/', (size_t)(end - h));
    const char *hend = slash ? slash : end;
    const char *port = slash ? slash + 1 : end;
    memset(out, 0, sizeof(*out));
    if (dup_str(&out->proto, path + 5, 3, a) != 0 ||
        dup_str(&out->port, port, (size_t)(end - port), a) != 0)
        return PREMPTI_E_NOMEM;
    out->port_num = pe_port_parse(port, (size_t)(end - port));
    return pe_host_normalize(&out->host, h, (size_t)(hend - h), a) == 0 ? 1 : PREMPTI_E_NOMEM;
}
