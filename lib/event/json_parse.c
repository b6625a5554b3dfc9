/*
 * A strict JSON parser (RFC 8259) that builds json-c objects.
 *
 * json-c's own tokener does not check every allocation it makes: when the
 * copy of an object key fails it adds the member under a NULL key (a crash)
 * or drops it (a payload that silently lost its "command"). Here every
 * allocation is checked and ends the parse with PREMPTI_E_NOMEM, duplicate
 * keys are refused instead of merged (parsers disagree on which one counts),
 * and a key containing NUL is refused (json-c would cut it short).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "event/json_input.h"
#include "util/strbuf.h"
#include "util/utf8.h"

typedef struct jparser {
    const unsigned char *t;
    size_t len, pos;
    int max_depth;
    const char *what;
    prempti_error **err;
    pe_strbuf sb; /* the string being decoded */
    int rc;       /* the first failure */
    int syntax;   /* the failure is a syntax error (lenient callers take it as text) */
} jparser;

static int fail_syntax(jparser *p, const char *msg)
{
    if (!p->rc) {
        p->syntax = 1;
        p->rc = p->pos >= p->len
                    ? pe_fail(p->err, PREMPTI_E_JSON, "EVENT_INVALID_JSON",
                              "%s is not valid JSON: unexpected end of input", p->what)
                    : pe_fail(p->err, PREMPTI_E_JSON, "EVENT_INVALID_JSON",
                              "%s is not valid JSON: %s at offset %zu", p->what, msg, p->pos);
    }
    return p->rc;
}

static int fail_oom(jparser *p)
{
    if (!p->rc)
        p->rc = pe_fail(p->err, PREMPTI_E_NOMEM, "", "out of memory");
    return p->rc;
}

static void skip_ws(jparser *p)
{
    while (p->pos < p->len && (p->t[p->pos] == ' ' || p->t[p->pos] == '\t' ||
                               p->t[p->pos] == '\n' || p->t[p->pos] == '\r'))
        p->pos++;
}

static int hex4(const unsigned char *s, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int d = pe_hex_digit(s[i]);
        if (d < 0)
            return -1;
        v = v << 4 | (unsigned)d;
    }
    *out = v;
    return 0;
}

/* A \u escape at p->pos (on the 'u'), a surrogate pair taken whole; a lone
 * surrogate becomes U+FFFD, as a UTF-16 string would print it. */
static int unicode_escape(jparser *p)
{
    unsigned hi;
    if (p->len - p->pos < 5 || hex4(p->t + p->pos + 1, &hi))
        return fail_syntax(p, "bad \\u escape");
    p->pos += 5;
    unsigned long cp = hi;
    if (hi >= 0xD800 && hi <= 0xDBFF) {
        unsigned lo;
        if (p->len - p->pos >= 6 && p->t[p->pos] == '\\' && p->t[p->pos + 1] == 'u' &&
            hex4(p->t + p->pos + 2, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((unsigned long)(hi - 0xD800) << 10) + (lo - 0xDC00);
            p->pos += 6;
        } else {
            cp = 0xFFFD;
        }
    } else if (hi >= 0xDC00 && hi <= 0xDFFF) {
        cp = 0xFFFD;
    }
    char buf[4];
    pe_sb_append(&p->sb, buf, pe_utf8_encode(cp, buf));
    return 0;
}

/* Decodes the string at p->pos (on its opening quote) into p->sb. */
static int string_body(jparser *p)
{
    pe_sb_reset(&p->sb);
    p->pos++;
    for (;;) {
        size_t run = p->pos;
        while (p->pos < p->len && p->t[p->pos] != '"' && p->t[p->pos] != '\\' &&
               p->t[p->pos] >= 0x20)
            p->pos++;
        pe_sb_append(&p->sb, (const char *)p->t + run, p->pos - run);
        if (p->pos >= p->len)
            return fail_syntax(p, "unterminated string");
        unsigned char c = p->t[p->pos];
        if (c == '"') {
            p->pos++;
            return pe_sb_failed(&p->sb) ? fail_oom(p) : 0;
        }
        if (c < 0x20)
            return fail_syntax(p, "control character in a string");
        if (p->pos + 1 >= p->len)
            return fail_syntax(p, "unterminated string");
        c = p->t[++p->pos];
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *k = c ? strchr(from, c) : NULL;
        if (k) {
            pe_sb_putc(&p->sb, to[k - from]);
            p->pos++;
        } else if (c == 'u') {
            if (unicode_escape(p))
                return p->rc;
        } else {
            return fail_syntax(p, "bad escape in a string");
        }
    }
}

static int value(jparser *p, json_object **out, int depth);

static int object(jparser *p, json_object **out, int depth)
{
    json_object *o = json_object_new_object();
    if (!o)
        return fail_oom(p);
    *out = o;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->t[p->pos] == '}') {
        p->pos++;
        return 0;
    }
    for (;;) {
        skip_ws(p);
        if (p->pos >= p->len || p->t[p->pos] != '"')
            return fail_syntax(p, "expected a string key");
        size_t at = p->pos;
        if (string_body(p))
            return p->rc;
        if (memchr(p->sb.data, '\0', p->sb.len)) {
            p->rc = pe_fail(p->err, PREMPTI_E_JSON, "EVENT_NUL_IN_KEY",
                            "%s has an object key containing a NUL character (\\u0000) at offset "
                            "%zu; such keys are not accepted",
                            p->what, at);
            return p->rc;
        }
        char *key = pe_sb_take(&p->sb);
        if (!key)
            return fail_oom(p);
        if (json_object_object_get_ex(o, key, NULL)) {
            free(key);
            p->rc = pe_fail(p->err, PREMPTI_E_JSON, "EVENT_DUPLICATE_KEY",
                            "%s has a duplicate object key at offset %zu; duplicate keys are not "
                            "accepted because parsers disagree on which value counts",
                            p->what, at);
            return p->rc;
        }
        skip_ws(p);
        if (p->pos >= p->len || p->t[p->pos] != ':') {
            free(key);
            return fail_syntax(p, "expected ':'");
        }
        p->pos++;
        json_object *v = NULL;
        if (value(p, &v, depth)) {
            free(key);
            json_object_put(v);
            return p->rc;
        }
        int added = json_object_object_add_ex(o, key, v, JSON_C_OBJECT_ADD_KEY_IS_NEW);
        free(key);
        if (added) {
            json_object_put(v);
            return fail_oom(p);
        }
        skip_ws(p);
        if (p->pos < p->len && p->t[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->pos < p->len && p->t[p->pos] == '}') {
            p->pos++;
            return 0;
        }
        return fail_syntax(p, "expected ',' or '}'");
    }
}

static int array(jparser *p, json_object **out, int depth)
{
    json_object *a = json_object_new_array();
    if (!a)
        return fail_oom(p);
    *out = a;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->t[p->pos] == ']') {
        p->pos++;
        return 0;
    }
    for (;;) {
        json_object *v = NULL;
        if (value(p, &v, depth)) {
            json_object_put(v);
            return p->rc;
        }
        if (json_object_array_add(a, v)) {
            json_object_put(v);
            return fail_oom(p);
        }
        skip_ws(p);
        if (p->pos < p->len && p->t[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->pos < p->len && p->t[p->pos] == ']') {
            p->pos++;
            return 0;
        }
        return fail_syntax(p, "expected ',' or ']'");
    }
}

static size_t digits(const jparser *p, size_t i)
{
    while (i < p->len && p->t[i] >= '0' && p->t[i] <= '9')
        i++;
    return i;
}

/* An integer as json-c makes it (int64, else uint64, else a double); any
 * other number a double that keeps its text, as json-c's tokener does. */
static int number(jparser *p, json_object **out)
{
    size_t start = p->pos, i = p->pos + (p->t[p->pos] == '-');
    size_t int_end = digits(p, i);
    if (int_end == i || (p->t[i] == '0' && int_end > i + 1))
        return fail_syntax(p, "bad number");
    size_t end = int_end;
    if (end < p->len && p->t[end] == '.') {
        size_t f = digits(p, end + 1);
        if (f == end + 1)
            return fail_syntax(p, "bad number");
        end = f;
    }
    if (end < p->len && (p->t[end] == 'e' || p->t[end] == 'E')) {
        size_t e = end + 1 + (end + 1 < p->len && (p->t[end + 1] == '+' || p->t[end + 1] == '-'));
        size_t f = digits(p, e);
        if (f == e)
            return fail_syntax(p, "bad number");
        end = f;
    }
    char buf[64], *text = end - start < sizeof(buf) ? buf : malloc(end - start + 1);
    if (!text)
        return fail_oom(p);
    memcpy(text, p->t + start, end - start);
    text[end - start] = '\0';
    p->pos = end;
    json_object *o = NULL;
    int as_double = end != int_end;
    if (!as_double) {
        errno = 0;
        long long v = strtoll(text, NULL, 10);
        if (errno == 0) {
            o = json_object_new_int64(v);
        } else if (text[0] != '-') {
            errno = 0;
            unsigned long long u = strtoull(text, NULL, 10);
            if (errno == 0)
                o = json_object_new_uint64(u);
            else
                as_double = 1;
        } else {
            as_double = 1;
        }
    }
    if (as_double)
        o = json_object_new_double_s(strtod(text, NULL), text);
    if (text != buf)
        free(text);
    *out = o;
    return o ? 0 : fail_oom(p);
}

static int literal(jparser *p, const char *word, json_object **out, int is_null)
{
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->t + p->pos, word, n) != 0)
        return fail_syntax(p, "unexpected character");
    p->pos += n;
    if (is_null)
        return 0;
    *out = json_object_new_boolean(word[0] == 't');
    return *out ? 0 : fail_oom(p);
}

static int value(jparser *p, json_object **out, int depth)
{
    *out = NULL;
    skip_ws(p);
    if (p->pos >= p->len)
        return fail_syntax(p, "expected a value");
    unsigned char c = p->t[p->pos];
    if ((c == '{' || c == '[') && depth >= p->max_depth) {
        p->rc = pe_fail(p->err, PREMPTI_E_LIMIT, "EVENT_TOO_DEEP",
                        "%s nests deeper than max_json_depth (%d)", p->what, p->max_depth);
        return p->rc;
    }
    switch (c) {
    case '{':
        return object(p, out, depth + 1);
    case '[':
        return array(p, out, depth + 1);
    case '"':
        if (string_body(p))
            return p->rc;
        *out = json_object_new_string_len(p->sb.data ? p->sb.data : "", (int)p->sb.len);
        return *out ? 0 : fail_oom(p);
    case 't':
        return literal(p, "true", out, 0);
    case 'f':
        return literal(p, "false", out, 0);
    case 'n':
        return literal(p, "null", out, 1);
    default:
        if (c == '-' || (c >= '0' && c <= '9'))
            return number(p, out);
        return fail_syntax(p, "unexpected character");
    }
}

int pe_json_parse(json_object **out, const char *text, size_t len, int max_depth, int lenient,
                  const char *what, prempti_error **err)
{
    *out = NULL;
    if (len > (size_t)INT32_MAX)
        return pe_fail(err, PREMPTI_E_LIMIT, "EVENT_TOO_LARGE", "%s is too large to parse", what);
    /* a lenient caller takes a syntax error as "not JSON": nothing to report */
    prempti_error *mine = NULL;
    jparser p = {(const unsigned char *)text, len, 0, max_depth, what, &mine, PE_STRBUF_INIT, 0, 0};
    json_object *root = NULL;
    if (value(&p, &root, 0) == 0) {
        skip_ws(&p);
        if (p.pos < len)
            fail_syntax(&p, "unexpected text after the value");
    }
    pe_sb_free(&p.sb);
    if (!p.rc) {
        *out = root;
        return PREMPTI_OK;
    }
    json_object_put(root);
    if (lenient && p.syntax) {
        prempti_error_free(mine);
        return 1;
    }
    if (err)
        *err = mine;
    else
        prempti_error_free(mine);
    return p.rc;
}
