/* Fuzz target: any bytes through the shell stage's building blocks - the
 * inline-code analysis (every language), URL and host parsing, /dev/tcp
 * paths, and the payload decoders. The first byte picks the block; each
 * must answer, never fail on its input, and keep its invariants. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "shell/decode.h"
#include "shell/inline.h"
#include "util/host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(pe_str s)
{
    if (!s.s || s.s[s.len] != '\0')
        __builtin_trap();
}

static void inline_code(unsigned lang, const char *s, size_t n, pe_arena *a)
{
    pe_inline_result *r = NULL;
    if (pe_inline_analyze(&r, (pe_lang)(1 + lang % 10), s, n, a) != 0)
        __builtin_trap();
    for (size_t i = 0; i < r->nitems; i++) {
        check_str(r->items[i].value);
        check_str(r->items[i].host.text);
        if (r->items[i].offset > n || r->items[i].depth > PE_INLINE_MAX_DEPTH)
            __builtin_trap();
    }
    if ((r->error != NULL) != ((r->flags & PE_INLINE_PARSE_ERROR) != 0))
        __builtin_trap();
}

static void hosts(const char *s, size_t n, pe_arena *a)
{
    for (int style = 0; style < 3; style++) {
        pe_url u;
        if (pe_url_parse(&u, s, n, (pe_url_style)style, a) != 0)
            __builtin_trap();
        check_str(u.host.text);
        check_str(u.path);
        if (u.port_num < -1 || u.port_num > 65535)
            __builtin_trap();
    }
    pe_dev_net d;
    if (pe_dev_net_parse(&d, s, n, a) < 0)
        __builtin_trap();
}

static void decoders(const char *s, size_t n, pe_arena *a)
{
    /* the input split at NUL bytes into words, for printf, echo and tr */
    pe_str w[8];
    size_t nw = 0, start = 0;
    for (size_t i = 0; i <= n && nw < 8; i++)
        if (i == n || s[i] == '\0') {
            w[nw].s = s + start;
            w[nw++].len = i - start;
            start = i + 1;
        }
    pe_decoded d;
    int rc[8] = {pe_decode_base64(&d, s, n, 0, a),
                 pe_decode_hex(&d, s, n, a),
                 pe_decode_utf16le(&d, s, n, a),
                 pe_decode_rev(&d, s, n, a),
                 pe_decode_percent(&d, s, n, PE_PCT_PLUS, a),
                 pe_decode_printf(&d, w, nw, a),
                 pe_decode_echo(&d, w, nw, a),
                 pe_decode_tr(&d, w, nw > 2 ? 2 : nw, s, n, a)};
    for (size_t i = 0; i < 8; i++)
        if (rc[i] != PE_DECODE_OK && rc[i] != PE_DECODE_NONE)
            __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    pe_arena a = PE_ARENA_INIT;
    unsigned pick = data[0] % 12;
    if (pick < 10)
        inline_code(pick, s, n, &a);
    else if (pick == 10)
        hosts(s, n, &a);
    else
        decoders(s, n, &a);
    pe_arena_free(&a);
    return 0;
}
