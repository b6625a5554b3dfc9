/*
 * bash's printf and echo builtins as decoders (decode.h has the rules).
 * Escapes follow bash 5.2's tescape() (printf) and ansicstr() (echo -e).
 */
#include <inttypes.h>
#include <string.h>

#include "prempti/common.h"
#include "shell/decode_internal.h"
#include "util/utf8.h"

/* Where an escape is read: printf's format, a %b argument, echo -e. */
enum esc_mode { ESC_FORMAT, ESC_B, ESC_ECHO };

static int is_octal(char c)
{
    return c >= '0' && c <= '7';
}

/* Decodes the escape at s[*i] == '\\' into b; advances *i. Returns 1 when
 * it is \c in a mode where \c ends all output. */
static int escape(pe_abuf *b, const char *s, size_t n, size_t *i, enum esc_mode mode)
{
    static const char from[] = "abeEfnrtv\\", to[] = "\a\b\033\033\f\n\r\t\v\\";
    size_t j = *i + 1;
    if (j >= n) { /* a final backslash is itself */
        pe_abuf_putc(b, '\\');
        *i = j;
        return 0;
    }
    char c = s[j++];
    const char *e = strchr(from, c);
    if (e && c) {
        pe_abuf_putc(b, to[e - from]);
    } else if (is_octal(c) && (mode != ESC_ECHO || c == '0')) {
        unsigned v = (unsigned)(c - '0');
        int more = mode == ESC_FORMAT ? 2 : c == '0' ? 3 : 2;
        for (; more > 0 && j < n && is_octal(s[j]); more--)
            v = v * 8 + (unsigned)(s[j++] - '0');
        pe_abuf_putc(b, (char)(v & 0xff));
    } else if (c == 'x' || c == 'u' || c == 'U') {
        int max = c == 'x' ? 2 : c == 'u' ? 4 : 8;
        unsigned long v = 0;
        size_t start = j;
        for (; max > 0 && j < n && pe_hex_digit((unsigned char)s[j]) >= 0; max--)
            v = v * 16 + (unsigned long)pe_hex_digit((unsigned char)s[j++]);
        if (j == start) { /* no digit: the backslash stands for itself */
            pe_abuf_putc(b, '\\');
            j = start - 1;
        } else if (c == 'x') {
            pe_abuf_putc(b, (char)v);
        } else {
            char u[4];
            size_t k = pe_utf8_encode(v, u);
            if (k)
                pe_abuf_append(b, u, k);
            else /* not a character: kept as written */
                pe_abuf_append(b, s + *i, j - *i);
        }
    } else if (c == 'c' && mode != ESC_FORMAT) {
        *i = j;
        return 1;
    } else if ((c == '\'' || c == '"' || c == '?') && mode == ESC_FORMAT) {
        pe_abuf_putc(b, c);
    } else { /* unknown: the backslash is kept, the character read normally */
        pe_abuf_putc(b, '\\');
        j--;
    }
    *i = j;
    return 0;
}

/* Decodes s with escapes of the given mode; returns 1 when \c stopped it. */
static int unescape(pe_abuf *b, const char *s, size_t n, enum esc_mode mode)
{
    for (size_t i = 0; i < n;) {
        const char *bs = memchr(s + i, '\\', n - i);
        size_t end = bs ? (size_t)(bs - s) : n;
        pe_abuf_append(b, s + i, end - i);
        i = end;
        if (i < n && escape(b, s, n, &i, mode))
            return 1;
    }
    return 0;
}

/* ---- printf ---------------------------------------------------------------------------- */

typedef struct pf {
    pe_abuf *b;
    const pe_str *argv;
    size_t argc, ai;
    unsigned flags;
    size_t work, budget;
} pf;

static pe_str next_arg(pf *p)
{
    pe_str none = {"", 0};
    return p->ai < p->argc ? p->argv[p->ai++] : none;
}

/* bash's getintmax: C syntax (sign, 0x, 0), or 'c / "c for c's code. */
static intmax_t arg_int(pe_str w)
{
    size_t i = 0;
    while (i < w.len && (w.s[i] == ' ' || w.s[i] == '\t' || w.s[i] == '\n'))
        i++;
    if (i < w.len && (w.s[i] == '\'' || w.s[i] == '"')) {
        const unsigned char *u = (const unsigned char *)w.s + i + 1;
        size_t k = i + 1 < w.len ? pe_utf8_seq(u, w.len - i - 1) : 0;
        if (k <= 1)
            return i + 1 < w.len ? u[0] : 0;
        unsigned long cp = u[0] & (0x7f >> k);
        for (size_t j = 1; j < k; j++)
            cp = cp << 6 | (u[j] & 0x3f);
        return (intmax_t)cp;
    }
    int neg = 0;
    if (i < w.len && (w.s[i] == '-' || w.s[i] == '+'))
        neg = w.s[i++] == '-';
    unsigned base = 10;
    if (i + 1 < w.len && w.s[i] == '0' && (w.s[i + 1] | 0x20) == 'x') {
        base = 16;
        i += 2;
    } else if (i < w.len && w.s[i] == '0') {
        base = 8;
    }
    uintmax_t v = 0;
    for (; i < w.len; i++) {
        int d = pe_hex_digit((unsigned char)w.s[i]);
        if (d < 0 || (unsigned)d >= base)
            break;
        v = v * base + (unsigned)d;
    }
    return neg ? -(intmax_t)v : (intmax_t)v;
}

/* Appends s padded to width (left-aligned with '-'), cut to prec. */
static void put_padded(pf *p, const char *s, size_t n, const char *fl, long width, long prec)
{
    if (prec >= 0 && (size_t)prec < n)
        n = (size_t)prec;
    size_t pad = width > 0 && (size_t)width > n ? (size_t)width - n : 0;
    int left = strchr(fl, '-') != NULL;
    for (size_t k = 0; !left && k < pad; k++)
        pe_abuf_putc(p->b, ' ');
    pe_abuf_append(p->b, s, n);
    for (size_t k = 0; left && k < pad; k++)
        pe_abuf_putc(p->b, ' ');
}

/* Appends n copies of c. */
static void put_n(pe_abuf *b, char c, size_t n)
{
    for (size_t k = 0; k < n; k++)
        pe_abuf_putc(b, c);
}

/* %d %i %o %u %x %X as C's printf writes them (flags - + space # 0). */
static void put_int(pf *p, char conv, const char *fl, long width, long prec)
{
    intmax_t v = arg_int(next_arg(p));
    int is_signed = conv == 'd' || conv == 'i';
    unsigned base = conv == 'o' ? 8 : conv == 'x' || conv == 'X' ? 16 : 10;
    uintmax_t mag = is_signed && v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
    const char *digits = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    char num[72];
    size_t nd = 0;
    for (uintmax_t m = mag; m; m /= base)
        num[sizeof(num) - 1 - nd++] = digits[m % base];
    if (mag == 0 && prec != 0)
        num[sizeof(num) - 1 - nd++] = '0';
    char pre[3] = {0};
    if (is_signed && v < 0)
        pre[0] = '-';
    else if (is_signed && strchr(fl, '+'))
        pre[0] = '+';
    else if (is_signed && strchr(fl, ' '))
        pre[0] = ' ';
    else if (strchr(fl, '#') && base == 16 && mag)
        memcpy(pre, conv == 'X' ? "0X" : "0x", 2);
    size_t zeros = prec > 0 && (size_t)prec > nd ? (size_t)prec - nd : 0;
    if (strchr(fl, '#') && base == 8 && zeros == 0 && (nd == 0 || num[sizeof(num) - nd] != '0'))
        zeros = 1;
    size_t body = strlen(pre) + zeros + nd;
    size_t pad = width > 0 && (size_t)width > body ? (size_t)width - body : 0;
    int left = strchr(fl, '-') != NULL, zero_pad = strchr(fl, '0') && !left && prec < 0;
    if (!left && !zero_pad)
        put_n(p->b, ' ', pad);
    pe_abuf_puts(p->b, pre);
    put_n(p->b, '0', zeros + (zero_pad ? pad : 0));
    pe_abuf_append(p->b, num + sizeof(num) - nd, nd);
    if (left)
        put_n(p->b, ' ', pad);
}

/* A width or precision: digits or '*' (from the arguments). -1 when absent. */
static long fmt_number(pf *p, const char *s, size_t n, size_t *i)
{
    if (*i < n && s[*i] == '*') {
        (*i)++;
        intmax_t v = arg_int(next_arg(p));
        return v < 0                                ? -1
               : v > (intmax_t)PE_DECODE_MAX_OUTPUT ? (long)PE_DECODE_MAX_OUTPUT + 1
                                                    : (long)v;
    }
    if (*i >= n || s[*i] < '0' || s[*i] > '9')
        return -1;
    long v = 0;
    for (; *i < n && s[*i] >= '0' && s[*i] <= '9'; (*i)++)
        v = v > (long)PE_DECODE_MAX_OUTPUT ? v : v * 10 + (s[*i] - '0');
    return v;
}

/* One conversion at s[*i] == '%'. Returns 1 when output must stop. */
static int conversion(pf *p, const char *s, size_t n, size_t *i)
{
    size_t j = *i + 1;
    if (j < n && s[j] == '%') { /* only "%%" right away is a percent sign */
        pe_abuf_putc(p->b, '%');
        *i = j + 1;
        return 0;
    }
    char fl[8];
    size_t nf = 0;
    while (j < n && strchr("-+ #0'", s[j]) && s[j]) {
        if (nf < sizeof(fl) - 1)
            fl[nf++] = s[j];
        j++;
    }
    fl[nf] = '\0';
    long width = fmt_number(p, s, n, &j), prec = -1;
    if (j < n && s[j] == '.') {
        j++;
        prec = fmt_number(p, s, n, &j);
        prec = prec < 0 ? 0 : prec;
    }
    while (j < n && strchr("hjlLtz", s[j]) && s[j]) /* bash's LENMODS */
        j++;
    if (width > (long)PE_DECODE_MAX_OUTPUT || prec > (long)PE_DECODE_MAX_OUTPUT) {
        p->flags |= PE_DEC_LIMIT;
        return 1;
    }
    char conv = j < n ? s[j++] : '\0';
    *i = j;
    if (conv == 's' || conv == 'c') {
        pe_str w = next_arg(p); /* %c of "" writes its NUL terminator, as bash */
        put_padded(p, w.len || conv == 's' ? w.s : "", conv == 'c' ? 1 : w.len, fl, width,
                   conv == 'c' ? -1 : prec);
    } else if (conv == 'b') {
        pe_str w = next_arg(p);
        pe_abuf tmp;
        pe_abuf_init(&tmp, p->b->arena, w.len);
        int stop = unescape(&tmp, w.s, w.len, ESC_B);
        p->b->failed |= tmp.failed;
        if (!tmp.failed)
            put_padded(p, tmp.data, tmp.len, fl, width, prec);
        if (stop)
            p->flags |= PE_DEC_STOPPED;
        return stop;
    } else if (conv && strchr("diouxX", conv)) {
        put_int(p, conv, fl, width, prec);
    } else if (conv && strchr("eEfFgGaAqQ(", conv)) {
        p->flags |= PE_DEC_UNSUPPORTED;
        return 1;
    } else { /* bash: "invalid format character", and printing stops */
        p->flags |= PE_DEC_INVALID;
        return 1;
    }
    return 0;
}

/* One pass over the format; returns 1 when output must stop. */
static int format_pass(pf *p, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (p->b->len > PE_DECODE_MAX_OUTPUT || p->work > p->budget) {
            p->flags |= PE_DEC_LIMIT;
            return 1;
        }
        size_t start = i;
        while (i < n && s[i] != '\\' && s[i] != '%')
            i++;
        pe_abuf_append(p->b, s + start, i - start);
        p->work += i - start + 1;
        if (i >= n)
            break;
        if (s[i] == '\\')
            escape(p->b, s, n, &i, ESC_FORMAT);
        else if (conversion(p, s, n, &i))
            return 1;
    }
    return 0;
}

int pe_decode_printf(pe_decoded *out, const pe_str *argv, size_t argc, pe_arena *a)
{
    pe_abuf b;
    pe_abuf_init(&b, a, 0);
    size_t first = 0, total = 0;
    if (first + 1 < argc && argv[first].len == 2 && memcmp(argv[first].s, "-v", 2) == 0)
        first += 2;
    if (first < argc && argv[first].len == 2 && memcmp(argv[first].s, "--", 2) == 0)
        first++;
    if (first >= argc) /* bash: "usage": nothing is printed */
        return pe_decode_done(out, &b, PE_DEC_INVALID);
    for (size_t k = first; k < argc; k++)
        total += argv[k].len + 1;
    pf p = {&b, argv + first + 1, argc - first - 1, 0, 0, 0, 16 * total + 65536};
    pe_str fmt = argv[first];
    for (;;) {
        size_t before = p.ai;
        if (format_pass(&p, fmt.s, fmt.len) || p.ai >= p.argc || p.ai == before)
            break;
    }
    return pe_decode_done(out, &b, p.flags);
}

/* ---- echo ------------------------------------------------------------------------------ */

/* Whether w is an option word of bash's echo: '-' and only n, e, E. */
static int echo_option(pe_str w)
{
    if (w.len < 2 || w.s[0] != '-')
        return 0;
    for (size_t i = 1; i < w.len; i++)
        if (w.s[i] != 'n' && w.s[i] != 'e' && w.s[i] != 'E')
            return 0;
    return 1;
}

int pe_decode_echo(pe_decoded *out, const pe_str *argv, size_t argc, pe_arena *a)
{
    pe_abuf b;
    size_t total = 0, i = 0;
    for (size_t k = 0; k < argc; k++)
        total += argv[k].len + 1;
    pe_abuf_init(&b, a, total + 1);
    int newline = 1, escapes = 0;
    for (; i < argc && echo_option(argv[i]); i++)
        for (size_t k = 1; k < argv[i].len; k++) {
            char c = argv[i].s[k];
            if (c == 'n')
                newline = 0;
            else
                escapes = c == 'e';
        }
    for (size_t k = i; k < argc; k++) {
        if (k > i)
            pe_abuf_putc(&b, ' ');
        if (!escapes)
            pe_abuf_append(&b, argv[k].s, argv[k].len);
        else if (unescape(&b, argv[k].s, argv[k].len, ESC_ECHO))
            return pe_decode_done(out, &b, PE_DEC_STOPPED);
    }
    if (newline)
        pe_abuf_putc(&b, '\n');
    return pe_decode_done(out, &b, 0);
}
