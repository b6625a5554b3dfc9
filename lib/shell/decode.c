/*
 * Byte-level decoders: base64, hex (xxd -r -p), UTF-16LE, rev, percent
 * escapes, and tr. The behaviour of each is described in decode.h.
 */
#include <string.h>

#include "prempti/common.h"
#include "shell/decode_internal.h"
#include "util/utf8.h"

int pe_decode_done(pe_decoded *out, pe_abuf *b, unsigned flags)
{
    out->flags = flags;
    if (pe_abuf_finish(b, &out->bytes) != 0)
        return PREMPTI_E_NOMEM;
    return (flags & PE_DEC_FAILED) ? PE_DECODE_NONE : PE_DECODE_OK;
}

static int is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* ---- base64 ------------------------------------------------------------------------- */

/* The 6-bit value of c in either alphabet, or -1. */
static int b64_value(unsigned char c, unsigned *flags)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '/')
        return c == '+' ? 62 : 63;
    if (c == '-' || c == '_') {
        *flags |= PE_DEC_URLSAFE;
        return c == '-' ? 62 : 63;
    }
    return -1;
}

/* Writes the bytes of a quantum of n (2..4) sextets. */
static void b64_flush(pe_abuf *b, const int *q, size_t n)
{
    unsigned v = 0;
    for (size_t i = 0; i < 4; i++)
        v = v << 6 | (i < n ? (unsigned)q[i] : 0u);
    char bytes[3] = {(char)(v >> 16), (char)(v >> 8), (char)v};
    pe_abuf_append(b, bytes, n - 1);
}

int pe_decode_base64(pe_decoded *out, const char *s, size_t len, unsigned opts, pe_arena *a)
{
    pe_abuf b;
    pe_abuf_init(&b, a, len / 4 * 3 + 3);
    unsigned flags = 0;
    int q[4];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_space(c))
            continue;
        if (c == '=') { /* padding ends a quantum of 2 or 3; more '=' are tolerated */
            if (n == 1) {
                flags |= PE_DEC_INVALID;
                break;
            }
            if (n > 1)
                b64_flush(&b, q, n);
            n = 0;
            continue;
        }
        int v = b64_value(c, &flags);
        if (v < 0) {
            if (opts & PE_B64_GARBAGE) {
                flags |= PE_DEC_GARBAGE;
                continue;
            }
            flags |= PE_DEC_INVALID;
            break;
        }
        q[n++] = v;
        if (n == 4) {
            b64_flush(&b, q, 4);
            n = 0;
        }
    }
    if (n == 1) /* a dangling sextet */
        flags |= PE_DEC_INVALID;
    else if (n > 1) /* an unpadded final quantum (coreutils writes it even before an error) */
        b64_flush(&b, q, n);
    return pe_decode_done(out, &b, flags);
}

/* ---- hex, as xxd -r -p ------------------------------------------------------------- */

/* xxd's huntype() for -p, step by step: the last three nibbles (-1 for a
 * non-hex byte) decide; a pair is written; three non-hex in a row (a
 * written pair counts as one) skip the rest of the line. */
int pe_decode_hex(pe_decoded *out, const char *s, size_t len, pe_arena *a)
{
    pe_abuf b;
    pe_abuf_init(&b, a, len / 2 + 1);
    unsigned flags = 0;
    int n1 = -1, n2 = 0, n3, ign_garb = 1;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\r' || c == ' ' || c == '\n' || c == '\t')
            continue;
        n3 = n2;
        n2 = n1;
        n1 = pe_hex_digit((unsigned char)c);
        if (n1 < 0)
            flags |= PE_DEC_GARBAGE;
        if (n1 < 0 && ign_garb)
            continue;
        ign_garb = 0;
        if (n2 >= 0 && n1 >= 0) {
            pe_abuf_putc(&b, (char)(n2 << 4 | n1));
            n1 = -1;
        } else if (n1 < 0 && n2 < 0 && n3 < 0) {
            const char *nl = memchr(s + i, '\n', len - i);
            i = nl ? (size_t)(nl - s) : len;
            ign_garb = 1;
        }
    }
    return pe_decode_done(out, &b, flags);
}

/* ---- UTF-16LE ---------------------------------------------------------------------- */

static void put_cp(pe_abuf *b, unsigned long cp)
{
    char u[4];
    size_t n = pe_utf8_encode(cp, u);
    pe_abuf_append(b, u, n);
}

int pe_decode_utf16le(pe_decoded *out, const char *s, size_t len, pe_arena *a)
{
    pe_abuf b;
    pe_abuf_init(&b, a, len / 2 * 3 + 3);
    const unsigned char *p = (const unsigned char *)s;
    unsigned flags = 0;
    size_t i = 0;
    if (len >= 2 && p[0] == 0xff && p[1] == 0xfe)
        i = 2;
    for (; i + 1 < len; i += 2) {
        unsigned long u = p[i] | (unsigned long)p[i + 1] << 8;
        if (u >= 0xd800 && u <= 0xdbff && i + 3 < len) {
            unsigned long lo = p[i + 2] | (unsigned long)p[i + 3] << 8;
            if (lo >= 0xdc00 && lo <= 0xdfff) {
                put_cp(&b, 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00));
                i += 2;
                continue;
            }
        }
        if (u >= 0xd800 && u <= 0xdfff) {
            flags |= PE_DEC_GARBAGE;
            u = 0xfffd;
        }
        put_cp(&b, u);
    }
    if (i < len) { /* an odd final byte: .NET writes U+FFFD */
        flags |= PE_DEC_GARBAGE;
        put_cp(&b, 0xfffd);
    }
    return pe_decode_done(out, &b, flags);
}

/* ---- rev and percent escapes ----------------------------------------------------------- */

int pe_decode_rev(pe_decoded *out, const char *s, size_t len, pe_arena *a)
{
    pe_abuf b;
    pe_abuf_init(&b, a, len);
    unsigned flags = 0;
    if (b.failed)
        return pe_decode_done(out, &b, 0);
    for (size_t start = 0; start < len;) {
        const char *nl = memchr(s + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - s) : len;
        /* each character is copied to its mirrored place in the line */
        size_t pos = end - start;
        char *line = b.data + b.len;
        for (size_t i = start; i < end;) {
            size_t k = pe_utf8_seq((const unsigned char *)s + i, end - i);
            if (!k) { /* not UTF-8: one byte, as rev in the C locale */
                flags |= PE_DEC_GARBAGE;
                k = 1;
            }
            pos -= k;
            memcpy(line + pos, s + i, k);
            i += k;
        }
        b.len += end - start;
        if (nl)
            b.data[b.len++] = '\n';
        start = end + (nl != NULL);
    }
    return pe_decode_done(out, &b, flags);
}

int pe_decode_percent(pe_decoded *out, const char *s, size_t len, unsigned opts, pe_arena *a)
{
    pe_abuf b;
    pe_abuf_init(&b, a, len);
    for (size_t i = 0; i < len; i++) {
        int h1, h2;
        if (s[i] == '%' && i + 2 < len && (h1 = pe_hex_digit((unsigned char)s[i + 1])) >= 0 &&
            (h2 = pe_hex_digit((unsigned char)s[i + 2])) >= 0) {
            pe_abuf_putc(&b, (char)(h1 << 4 | h2));
            i += 2;
        } else {
            pe_abuf_putc(&b, s[i] == '+' && (opts & PE_PCT_PLUS) ? ' ' : s[i]);
        }
    }
    return pe_decode_done(out, &b, 0);
}
