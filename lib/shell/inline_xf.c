/*
 * Pure functions of the API tables, as value transforms: decoders (base64,
 * hex, rot13, percent, UTF-16), joins, splits, path joins, characters,
 * format strings, replacement, shell quoting; and argv lists as sh text.
 */
#include <string.h>

#include "prempti/common.h"
#include "shell/decode.h"
#include "shell/inline_internal.h"
#include "util/utf8.h"

/* ---- sh quoting of argv lists ------------------------------------------------------------ */

static void sh_quote(pe_abuf *b, pe_str w)
{
    int plain = w.len > 0;
    for (size_t i = 0; i < w.len && plain; i++) {
        char ch = w.s[i];
        plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                inl_in("_-./=:,+@%^", ch);
    }
    if (plain || (w.len == HOLE_LEN && memcmp(w.s, HOLE, HOLE_LEN) == 0)) {
        pe_abuf_append(b, w.s, w.len);
        return;
    }
    pe_abuf_putc(b, '\'');
    for (size_t i = 0; i < w.len; i++) {
        if (w.s[i] == '\'')
            pe_abuf_puts(b, "'\\''");
        else
            pe_abuf_putc(b, w.s[i]);
    }
    pe_abuf_putc(b, '\'');
}

int inl_argv_text(inl_ctx *c, const inl_val *list, size_t from, pe_str *out, int *dyn)
{
    pe_abuf b;
    pe_abuf_init(&b, c->a, 0);
    *dyn = (list->flags & VF_DYN) != 0;
    for (size_t i = from; i < list->n; i++) {
        const inl_val *w = &list->items[i];
        if (i > from)
            pe_abuf_putc(&b, ' ');
        if (w->kind == V_STR || w->kind == V_NUM) {
            sh_quote(&b, w->s); /* a word with holes is quoted: its holes stay visible */
            *dyn |= (w->flags & VF_DYN) != 0;
        } else {
            pe_abuf_append(&b, HOLE, HOLE_LEN);
            *dyn = 1;
        }
    }
    inl_val v = inl_finish(c, &b, 0);
    *out = v.s;
    return c->nomem ? -1 : 0;
}

/* ---- transforms (pure functions of the API tables) -------------------------------------- */

/* The first string among recv and args. */
static const inl_val *first_str(const inl_val *recv, const inl_val *args, size_t n)
{
    if (recv && recv->kind == V_STR)
        return recv;
    for (size_t i = 0; i < n; i++)
        if (args[i].kind == V_STR || args[i].kind == V_NUM)
            return &args[i];
    return NULL;
}

static int str_is(const inl_val *v, const char *w)
{
    return v && inl_literal(v) && v->s.len == strlen(w) && memcmp(v->s.s, w, v->s.len) == 0;
}

/* Runs a decoder on a literal input. */
static inl_val decoded(inl_ctx *c, unsigned xf, const inl_val *in)
{
    if (!in || !inl_literal(in)) {
        inl_val v = inl_none();
        v.flags |= VF_DECODED;
        return v;
    }
    pe_decoded d;
    int rc;
    static const pe_str rot[2] = {{"A-Za-z", 6}, {"N-ZA-Mn-za-m", 12}};
    switch (xf) {
    case X_HEX:
        rc = pe_decode_hex(&d, in->s.s, in->s.len, c->a);
        break;
    case X_ROT13:
        rc = pe_decode_tr(&d, rot, 2, in->s.s, in->s.len, c->a);
        break;
    case X_REV:
        rc = pe_decode_rev(&d, in->s.s, in->s.len, c->a);
        break;
    case X_URL:
        rc = pe_decode_percent(&d, in->s.s, in->s.len, 0, c->a);
        break;
    case X_U16:
        rc = pe_decode_utf16le(&d, in->s.s, in->s.len, c->a);
        break;
    default:
        rc = pe_decode_base64(&d, in->s.s, in->s.len, PE_B64_GARBAGE, c->a);
        break;
    }
    if (rc < 0) {
        c->nomem = 1;
        return inl_none();
    }
    if (xf == X_B64_U16 && rc == PE_DECODE_OK) {
        inl_val mid = inl_str_val(c, d.bytes.s, d.bytes.len, 0);
        return decoded(c, X_U16, &mid);
    }
    unsigned flags = VF_DECODED | (rc == PE_DECODE_NONE ? VF_DYN : 0);
    return inl_str_val(c, d.bytes.s, d.bytes.len,
                       xf == X_REV ? flags & ~(unsigned)VF_DECODED : flags);
}

static inl_val join(inl_ctx *c, const inl_val *sep, const inl_val *list)
{
    pe_abuf b;
    pe_abuf_init(&b, c->a, 0);
    unsigned f = list->flags | (sep && !inl_literal(sep) ? VF_DYN : 0);
    for (size_t i = 0; i < list->n; i++) {
        if (i && sep)
            f |= inl_put_val(&b, sep);
        f |= inl_put_val(&b, &list->items[i]);
    }
    return inl_finish(c, &b, f);
}

/* s split at each sep ("": each character, as JS's split("")). */
static inl_val split_on(inl_ctx *c, const inl_val *s, const inl_val *sep)
{
    inl_val v = inl_none();
    size_t cap = s->s.len + 1, n = 0;
    inl_val *items = inl_alloc(c, cap * sizeof(*items));
    if (!items)
        return v;
    const char *p = s->s.s, *end = p + s->s.len;
    size_t sl = sep->s.len;
    while (p <= end && n < cap) {
        const char *q =
            sl ? p : p + (p < end ? pe_utf8_seq((const unsigned char *)p, (size_t)(end - p)) : 1);
        if (sl)
            while (q + sl <= end && memcmp(q, sep->s.s, sl) != 0)
                q++;
        if (!sl && q == p)
            q = p + 1; /* a byte that is not UTF-8 */
        if (q + sl > end && sl)
            q = end;
        if (!sl && p == end)
            break;
        items[n++] = inl_str_val(c, p, (size_t)(q - p), s->flags);
        p = q + sl;
        if (q == end)
            break;
    }
    v.kind = V_LIST;
    v.flags = s->flags & VF_DYN;
    v.items = items;
    v.n = n;
    return v;
}

static inl_val split(inl_ctx *c, const inl_val *s)
{
    inl_val v = inl_none();
    if (!s || s->kind != V_STR)
        return v;
    size_t n = 0, cap = s->s.len / 2 + 1;
    inl_val *items = inl_alloc(c, cap * sizeof(*items));
    if (!items)
        return v;
    for (size_t i = 0; i < s->s.len;) {
        while (i < s->s.len && inl_in(" \t\n\r", s->s.s[i]))
            i++;
        size_t st = i;
        while (i < s->s.len && !inl_in(" \t\n\r", s->s.s[i]))
            i++;
        if (i > st && n < cap)
            items[n++] = inl_str_val(c, s->s.s + st, i - st, s->flags);
    }
    v.kind = V_LIST;
    v.flags = s->flags & VF_DYN;
    v.items = items;
    v.n = n;
    return v;
}

static inl_val chars(inl_ctx *c, const inl_val *recv, const inl_val *args, size_t n)
{
    if (n == 1 && args[0].kind == V_LIST) /* intToUtf8(c(99, 117)) */
        return chars(c, NULL, args[0].items, args[0].n);
    pe_abuf b;
    pe_abuf_init(&b, c->a, n + 1);
    unsigned f = 0;
    const inl_val *src = n ? args : recv;
    size_t cnt = n ? n : (recv ? 1 : 0);
    for (size_t i = 0; i < cnt; i++) {
        const inl_val *a = &src[i];
        long cp = -1;
        if (a->kind == V_NUM && inl_literal(a)) {
            cp = 0;
            for (size_t k = 0; k < a->s.len && cp >= 0; k++)
                cp = a->s.s[k] >= '0' && a->s.s[k] <= '9' && cp < 0x110000
                         ? cp * 10 + (a->s.s[k] - '0')
                         : -1;
        }
        char u[4];
        size_t k = cp >= 0
                       ? (cp < 0x100 ? (u[0] = (char)cp, 1u) : pe_utf8_encode((unsigned long)cp, u))
                       : 0;
        if (k)
            pe_abuf_append(&b, u, k);
        else
            f |= inl_put_val(&b, &(inl_val){.kind = V_NONE});
    }
    return inl_finish(c, &b, f);
}

static inl_val join_path(inl_ctx *c, const inl_val *args, size_t n)
{
    pe_abuf b;
    pe_abuf_init(&b, c->a, 0);
    unsigned f = 0;
    for (size_t i = 0; i < n; i++) {
        const inl_val *a = &args[i];
        if (a->kind == V_STR && a->s.len && a->s.s[0] == '/')
            b.len = 0; /* an absolute component starts again, as os.path.join */
        else if (b.len && b.data[b.len - 1] != '/')
            pe_abuf_putc(&b, '/');
        f |= inl_put_val(&b, a);
    }
    return inl_finish(c, &b, f);
}

static inl_val quote_form(inl_ctx *c, const inl_val *s)
{
    pe_abuf b;
    pe_abuf_init(&b, c->a, 0);
    unsigned f = 0;
    if (s && s->kind == V_STR) {
        pe_abuf_putc(&b, '\'');
        for (size_t i = 0; i < s->s.len; i++)
            if (s->s.s[i] == '\'')
                pe_abuf_puts(&b, "'\\''");
            else
                pe_abuf_putc(&b, s->s.s[i]);
        pe_abuf_putc(&b, '\'');
        f = s->flags;
    } else {
        f = inl_put_val(&b, &(inl_val){.kind = V_NONE});
    }
    return inl_finish(c, &b, f);
}

/* "{} {0} {name}".format(...): positional fields filled in, others holes. */
static inl_val format_braces(inl_ctx *c, const inl_val *fmt, const inl_val *args, size_t n)
{
    if (!fmt || fmt->kind != V_STR)
        return inl_none();
    pe_abuf b;
    pe_abuf_init(&b, c->a, fmt->s.len);
    unsigned f = fmt->flags;
    size_t next = 0;
    const char *s = fmt->s.s, *end = s + fmt->s.len;
    while (s < end) {
        if ((*s == '{' || *s == '}') && s + 1 < end && s[1] == *s) {
            pe_abuf_putc(&b, *s);
            s += 2;
            continue;
        }
        if (*s != '{') {
            pe_abuf_putc(&b, *s++);
            continue;
        }
        const char *close = memchr(s, '}', (size_t)(end - s));
        if (!close) {
            pe_abuf_append(&b, s, (size_t)(end - s));
            break;
        }
        size_t idx = next++, k = 1;
        if (s + 1 < close && s[1] >= '0' && s[1] <= '9')
            for (idx = 0; s + k < close && s[k] >= '0' && s[k] <= '9'; k++)
                idx = idx * 10 + (size_t)(s[k] - '0');
        int named = s + k < close && s[k] != ':' && s[k] != '!';
        f |= inl_put_val(&b, !named && idx < n ? &args[idx] : &(inl_val){.kind = V_NONE});
        s = close + 1;
    }
    return inl_finish(c, &b, f);
}

/* s.replace(old, new) for literal strings: every occurrence. */
static inl_val replace_all(inl_ctx *c, const inl_val *s, const inl_val *args, size_t n)
{
    if (!s || !inl_literal(s) || n < 2 || !inl_literal(&args[0]) || !inl_literal(&args[1]) ||
        args[0].s.len == 0)
        return s && n < 2 ? *s : inl_none();
    pe_abuf b;
    pe_abuf_init(&b, c->a, s->s.len);
    const char *p = s->s.s, *end = p + s->s.len;
    while (p < end) {
        if ((size_t)(end - p) >= args[0].s.len && memcmp(p, args[0].s.s, args[0].s.len) == 0) {
            pe_abuf_append(&b, args[1].s.s, args[1].s.len);
            p += args[0].s.len;
        } else {
            pe_abuf_putc(&b, *p++);
        }
    }
    return inl_finish(c, &b, s->flags);
}

inl_val inl_transform(inl_ctx *c, unsigned xf, const inl_val *recv, const inl_val *args,
                      size_t nargs)
{
    const inl_val *s = first_str(recv, args, nargs);
    switch (xf) {
    case X_ID:
        return nargs ? args[0] : recv ? *recv : inl_none();
    case X_REV:
        if (recv && recv->kind == V_LIST && !nargs) { /* [a, b].reverse() */
            inl_val v = *recv;
            v.items = inl_alloc(c, (recv->n + 1) * sizeof(inl_val));
            for (size_t i = 0; v.items && i < recv->n; i++)
                v.items[i] = recv->items[recv->n - 1 - i];
            return v.items ? v : inl_none();
        }
        return decoded(c, xf, nargs ? &args[0] : recv);
    case X_B64:
    case X_B64_U16:
    case X_HEX:
    case X_ROT13:
    case X_URL:
    case X_U16:
        return decoded(c, xf, nargs ? &args[0] : recv);
    case X_CHR:
        return chars(c, recv, args, nargs);
    case X_JOINPATH:
        return join_path(c, args, nargs);
    case X_QUOTE:
        return quote_form(c, nargs ? &args[0] : recv);
    case X_SPLIT:
        if (recv && recv->kind == V_STR && nargs && inl_literal(&args[0]) && inl_literal(recv))
            return split_on(c, recv, &args[0]); /* "a,b".split(",") */
        return split(c, recv && recv->kind == V_STR ? recv : nargs ? &args[0] : NULL);
    case X_CONCAT:
    case X_PASTE: {
        inl_val list = {V_LIST, 0, {"", 0}, (inl_val *)args, nargs, NULL};
        inl_val sp = inl_str_val(c, " ", 1, 0);
        return join(c, xf == X_PASTE ? &sp : NULL, &list);
    }
    case X_JOIN: {
        const inl_val *list = recv && recv->kind == V_LIST ? recv : NULL, *sep = NULL;
        for (size_t i = 0; i < nargs && !list; i++)
            list = args[i].kind == V_LIST ? &args[i] : list;
        sep = recv && recv->kind == V_STR ? recv : NULL;
        for (size_t i = 0; i < nargs && !sep; i++) /* table.concat(t, " "), implode(" ", $a) */
            sep = args[i].kind == V_STR && &args[i] != list ? &args[i] : NULL;
        if (!list && nargs > 1) { /* Perl join(sep, a, b, ...) */
            inl_val rest = {V_LIST, 0, {"", 0}, (inl_val *)args + 1, nargs - 1, NULL};
            return join(c, sep, &rest);
        }
        return list ? join(c, sep, list) : inl_none();
    }
    case X_B64ARG2: {
        const inl_val *in = nargs ? &args[0] : recv;
        if (nargs > 1 && (str_is(&args[1], "base64") || str_is(&args[1], "base64url")))
            return decoded(c, X_B64, in);
        if (nargs > 1 && str_is(&args[1], "hex"))
            return decoded(c, X_HEX, in);
        return in ? *in : inl_none();
    }
    case X_CODECS: {
        const inl_val *in = recv && recv->kind == V_STR ? recv : nargs ? &args[0] : NULL;
        const inl_val *codec =
            recv && recv->kind == V_STR ? (nargs ? &args[0] : NULL) : (nargs > 1 ? &args[1] : NULL);
        if (str_is(codec, "rot13") || str_is(codec, "rot_13") || str_is(codec, "rot-13"))
            return decoded(c, X_ROT13, in);
        if (str_is(codec, "base64") || str_is(codec, "base_64") || str_is(codec, "base64_codec"))
            return decoded(c, X_B64, in);
        if (str_is(codec, "hex") || str_is(codec, "hex_codec"))
            return decoded(c, X_HEX, in);
        return in && (!codec || str_is(codec, "utf-8") || str_is(codec, "utf8")) ? *in : inl_none();
    }
    case X_UNPACK: {
        const inl_val *fmt = NULL, *data = recv && recv->kind == V_STR ? recv : NULL;
        if (recv && recv->kind == V_LIST && recv->n) /* ["6c73"].pack("H*") */
            data = &recv->items[0];
        for (size_t i = 0; i < nargs; i++) {
            if (!fmt && (str_is(&args[i], "m") || str_is(&args[i], "m0") ||
                         str_is(&args[i], "H*") || str_is(&args[i], "h*")))
                fmt = &args[i];
            else if (!data && args[i].kind == V_STR)
                data = &args[i];
        }
        if (!fmt)
            return inl_none();
        return decoded(c, fmt->s.s[0] == 'm' ? X_B64 : X_HEX, data);
    }
    case X_LIST: {
        inl_val v = inl_none();
        v.kind = V_LIST;
        v.flags = 0;
        v.items = inl_alloc(c, (nargs + 1) * sizeof(inl_val));
        for (size_t i = 0; v.items && i < nargs; i++) {
            v.items[v.n++] = args[i];
            v.flags |= args[i].flags & VF_DYN;
        }
        return v;
    }
    case X_RECV:
        return recv ? *recv : inl_none();
    case X_HOME:
        return inl_str_val(c, "~", 1, 0);
    case X_FORMAT:
        return format_braces(c, recv, args, nargs);
    case X_REPLACE:
        return replace_all(c, recv, args, nargs);
    case X_TR: {
        if (!recv || !inl_literal(recv) || nargs < 2 || !inl_literal(&args[0]) ||
            !inl_literal(&args[1]))
            return inl_none();
        pe_str sets[2] = {args[0].s, args[1].s};
        pe_decoded d;
        int rc = pe_decode_tr(&d, sets, 2, recv->s.s, recv->s.len, c->a);
        if (rc < 0)
            c->nomem = 1;
        return rc == PE_DECODE_OK ? inl_str_val(c, d.bytes.s, d.bytes.len, VF_DECODED) : inl_none();
    }
    case X_OPAQUE: {
        inl_val v = inl_none();
        v.flags |= VF_DECODED;
        return v;
    }
    case X_ARGV: {
        const inl_val *list = nargs && args[0].kind == V_LIST ? &args[0] : NULL;
        pe_str t;
        int dyn;
        if (!list || inl_argv_text(c, list, 0, &t, &dyn) != 0)
            return inl_none();
        return inl_str_val(c, t.s, t.len, dyn ? VF_DYN : 0);
    }
    case X_SOCKADDR: { /* sockaddr_in(port, host) */
        if (nargs < 2)
            return inl_none();
        inl_val parts[3] = {args[1], inl_str_val(c, ":", 1, 0), args[0]};
        inl_val list = {V_LIST, 0, {"", 0}, parts, 3, NULL};
        return join(c, NULL, &list);
    }
    default:
        return s ? *s : inl_none();
    }
}
