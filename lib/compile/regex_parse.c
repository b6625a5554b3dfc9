/*
 * Regex parser: Falco's dialect (RE2 with RE2::POSIX options) into a small
 * tree for the code generator (regex.c). Error messages are RE2's, so a
 * rule author sees the words Falco would print after "invalid regex
 * pattern: ".
 *
 * What RE2's POSIX mode accepts, and so what this accepts: literals (UTF-8),
 * `.` (any rune but '\n'), `[...]` and `[^...]` with ranges, escapes and
 * `[:name:]` classes, `^` and `$` (line boundaries), groups `(...)`,
 * alternation, `*` `+` `?` (stackable), `{n}` `{n,}` `{n,m}` (n, m <= 1000),
 * escaped punctuation, `\n \r \t \a \f \v`, octal `\0`, `\012`, hex `\x41`,
 * `\x{263a}`. Rejected as RE2 rejects them: `\d \s \w \b \B \A \z \p \Q`,
 * back-references, `(?i)`, `(?:...)`; `*?` is `(x*)?` here, not a lazy star.
 */
#include "compile/regex_internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

#define MAX_REPEAT 1000 /* RE2's limit for {n,m} and for nested counts */
#define MAX_DEPTH  1000 /* groups and repetitions nested in each other */

/* Everything allocated goes to t, which outlives a longjmp (the parser's
 * own locals would be indeterminate after one). */
typedef struct rparser {
    const char *pat;
    size_t len, pos;
    rx_tree *t;
    size_t cappool;
    char *msg;
    size_t msgsz;
    unsigned groups; /* groups open at the cursor */
    jmp_buf fail;    /* 1: bad pattern (msg set), 2: out of memory */
} rparser;

#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 2, 3)))
#endif
static void
fail(rparser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->msg, p->msgsz, fmt, ap);
    va_end(ap);
    longjmp(p->fail, 1);
}

#if defined(__GNUC__)
__attribute__((noreturn))
#endif
static void
oom(rparser *p)
{
    snprintf(p->msg, p->msgsz, "out of memory");
    longjmp(p->fail, 2);
}

/* RE2 quotes the pattern in some messages; a long one is cut, visibly. */
static void fail_whole(rparser *p, const char *what)
{
    if (p->len > 200)
        fail(p, "%s: %.200s...", what, p->pat);
    fail(p, "%s: %.*s", what, (int)p->len, p->pat);
}

static void *tmp_alloc(rparser *p, size_t n)
{
    void *m = pe_arena_alloc(&p->t->tmp, n);
    if (!m)
        oom(p);
    return m;
}

static unsigned umax(unsigned a, unsigned b)
{
    return a > b ? a : b;
}

static rx_node *leaf(rparser *p, rx_kind k)
{
    rx_node *n = tmp_alloc(p, sizeof(*n));
    n->k = k;
    n->depth = 1;
    n->prod = 1;
    return n;
}

static rx_node *lit(rparser *p, uint32_t r)
{
    rx_node *n = leaf(p, RX_N_LIT);
    n->rune = r;
    return n;
}

/* ---- runes ---- */

/* The rune at pos (the pattern is valid UTF-8). */
static uint32_t rune_at(const rparser *p, size_t pos, size_t *w)
{
    return rx_decode((const unsigned char *)p->pat + pos, p->len - pos, w);
}

static uint32_t next_rune(rparser *p)
{
    size_t w;
    uint32_t r = rune_at(p, p->pos, &w);
    p->pos += w;
    return r;
}

static int is_alnum(uint32_t c)
{
    return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

static int hexval(uint32_t c)
{
    return c < 128 ? pe_hex_digit((int)c) : -1;
}

#if defined(__GNUC__)
__attribute__((noreturn))
#endif
static void
bad_escape(rparser *p, size_t begin)
{
    fail(p, "invalid escape sequence: %.*s", (int)(p->pos - begin), p->pat + begin);
}

/* \x41 or \x{263a}, after the 'x'. */
static uint32_t hex_escape(rparser *p, size_t begin)
{
    if (p->pos >= p->len)
        bad_escape(p, begin);
    uint32_t c = next_rune(p);
    if (c != '{') {
        if (p->pos >= p->len)
            bad_escape(p, begin);
        uint32_t c1 = next_rune(p);
        if (hexval(c) < 0 || hexval(c1) < 0)
            bad_escape(p, begin);
        return (uint32_t)(hexval(c) * 16 + hexval(c1));
    }
    uint32_t code = 0;
    int ndigits = 0;
    for (;;) {
        if (p->pos >= p->len)
            bad_escape(p, begin);
        c = next_rune(p);
        if (hexval(c) < 0)
            break;
        code = code * 16 + (uint32_t)hexval(c);
        ndigits++;
        if (code > RX_MAX_RUNE)
            bad_escape(p, begin);
    }
    if (c != '}' || ndigits == 0)
        bad_escape(p, begin);
    return code;
}

/* RE2's ParseEscape: the rune an escape stands for (cursor on '\'). */
static uint32_t parse_escape(rparser *p)
{
    size_t begin = p->pos++;
    if (p->pos >= p->len)
        fail(p, "trailing \\");
    uint32_t c = next_rune(p);
    if (c < 0x80 && !is_alnum(c))
        return c; /* escaped punctuation is itself */
    if (c >= '1' && c <= '7' && (p->pos >= p->len || p->pat[p->pos] < '0' || p->pat[p->pos] > '7'))
        bad_escape(p, begin); /* \1 alone would be a back-reference */
    if (c >= '0' && c <= '7') {
        uint32_t code = c - '0';
        for (int i = 0; i < 2 && p->pos < p->len && p->pat[p->pos] >= '0' && p->pat[p->pos] <= '7';
             i++)
            code = code * 8 + (uint32_t)(p->pat[p->pos++] - '0');
        return code;
    }
    switch (c) {
    case 'x':
        return hex_escape(p, begin);
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    case 'a':
        return '\a';
    case 'f':
        return '\f';
    case 'v':
        return '\v';
    default:
        bad_escape(p, begin); /* \d \s \w \b \p \Q ... are Perl syntax */
    }
}

/* ---- character classes ---- */

typedef struct ranges {
    rx_range *v;
    size_t n, cap;
} ranges;

static void add_range(rparser *p, ranges *r, uint32_t lo, uint32_t hi)
{
    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 8;
        rx_range *nv = tmp_alloc(p, ncap * sizeof(*nv));
        if (r->n)
            memcpy(nv, r->v, r->n * sizeof(*nv));
        r->v = nv;
        r->cap = ncap;
    }
    r->v[r->n].lo = lo;
    r->v[r->n].hi = hi;
    r->n++;
}

static const struct posix_class {
    const char *name;
    const char *ranges; /* pairs of bytes lo, hi */
} posix_classes[] = {
    {"alnum", "09AZaz"},
    {"alpha", "AZaz"},
    {"ascii", "\x01\x7f"},
    {"blank", "\t\t  "},
    {"cntrl", "\x01\x1f\x7f\x7f"},
    {"digit", "09"},
    {"graph", "!~"},
    {"lower", "az"},
    {"print", " ~"},
    {"punct", "!/:@[`{~"},
    {"space", "\t\r  "},
    {"upper", "AZ"},
    {"word", "09AZ__az"},
    {"xdigit", "09AFaf"},
};

static void add_complement(rparser *p, ranges *out, const ranges *in);
static void normalize(rparser *p, ranges *r);

/* [:name:] or [:^name:] at the cursor; 0 when the text is not one (then
 * '[' is an ordinary character). */
static int parse_class_name(rparser *p, ranges *r)
{
    const char *s = p->pat + p->pos;
    size_t left = p->len - p->pos, end = 2;
    while (end + 1 < left && !(s[end] == ':' && s[end + 1] == ']'))
        end++;
    if (end + 1 >= left)
        return 0;
    const char *name = s + 2;
    size_t n = end - 2;
    int negate = n > 0 && name[0] == '^';
    for (size_t k = 0; k < sizeof(posix_classes) / sizeof(posix_classes[0]); k++) {
        const struct posix_class *pc = &posix_classes[k];
        if (strlen(pc->name) != n - (size_t)negate || memcmp(pc->name, name + negate, n - negate))
            continue;
        ranges one = {0};
        /* "ascii" and "cntrl" start at NUL, which a C string cannot hold */
        if (strcmp(pc->name, "ascii") == 0 || strcmp(pc->name, "cntrl") == 0)
            add_range(p, &one, 0, 0);
        for (const char *q = pc->ranges; *q; q += 2)
            add_range(p, &one, (unsigned char)q[0], (unsigned char)q[1]);
        if (negate) {
            normalize(p, &one);
            add_complement(p, r, &one);
        } else {
            for (size_t i = 0; i < one.n; i++)
                add_range(p, r, one.v[i].lo, one.v[i].hi);
        }
        p->pos += end + 2;
        return 1;
    }
    fail(p, "invalid character class range: %.*s", (int)(end + 2), s);
}

static uint32_t class_char(rparser *p, size_t whole)
{
    if (p->pos >= p->len)
        fail(p, "missing ]: %.*s", (int)(p->len - whole), p->pat + whole);
    if (p->pat[p->pos] == '\\')
        return parse_escape(p);
    return next_rune(p);
}

static int cmp_range(const void *a, const void *b)
{
    const rx_range *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sorts and merges overlapping or adjacent ranges. */
static void normalize(rparser *p, ranges *r)
{
    (void)p;
    if (r->n < 2)
        return;
    qsort(r->v, r->n, sizeof(*r->v), cmp_range);
    size_t o = 0;
    for (size_t i = 1; i < r->n; i++) {
        if (r->v[i].lo <= r->v[o].hi + 1) {
            if (r->v[i].hi > r->v[o].hi)
                r->v[o].hi = r->v[i].hi;
        } else {
            r->v[++o] = r->v[i];
        }
    }
    r->n = o + 1;
}

/* Appends the complement of the normalized in over [0, RX_MAX_RUNE]. */
static void add_complement(rparser *p, ranges *out, const ranges *in)
{
    uint32_t next = 0;
    for (size_t i = 0; i < in->n; i++) {
        if (in->v[i].lo > next)
            add_range(p, out, next, in->v[i].lo - 1);
        next = in->v[i].hi + 1;
    }
    if (next <= RX_MAX_RUNE)
        add_range(p, out, next, RX_MAX_RUNE);
}

/* Moves a finished class into the pool; returns its node. */
static rx_node *class_node(rparser *p, ranges *r)
{
    normalize(p, r);
    if (p->cappool - p->t->npool < r->n) {
        size_t ncap = p->cappool ? p->cappool : 64;
        while (ncap - p->t->npool < r->n)
            ncap *= 2;
        rx_range *nv = realloc(p->t->pool, ncap * sizeof(*nv));
        if (!nv)
            oom(p);
        p->t->pool = nv;
        p->cappool = ncap;
    }
    rx_node *n = leaf(p, RX_N_CLASS);
    n->rfirst = (uint32_t)p->t->npool;
    n->rcount = (uint32_t)r->n;
    if (r->n)
        memcpy(p->t->pool + p->t->npool, r->v, r->n * sizeof(*r->v));
    p->t->npool += r->n;
    return n;
}

/* RE2's ParseCharClass, cursor on '['. */
static rx_node *parse_class(rparser *p)
{
    size_t whole = p->pos++;
    int negated = 0;
    if (p->pos < p->len && p->pat[p->pos] == '^') {
        negated = 1;
        p->pos++;
    }
    ranges r = {0};
    int first = 1; /* ']' is an ordinary character first in a class */
    while (p->pos < p->len && (p->pat[p->pos] != ']' || first)) {
        /* POSIX: '-' only first, last, or as a range separator */
        if (p->pat[p->pos] == '-' && !first && p->pos + 1 < p->len && p->pat[p->pos + 1] != ']') {
            size_t w;
            rune_at(p, p->pos + 1, &w);
            fail(p, "invalid character class range: %.*s", (int)(1 + w), p->pat + p->pos);
        }
        first = 0;
        if (p->len - p->pos > 2 && p->pat[p->pos] == '[' && p->pat[p->pos + 1] == ':' &&
            parse_class_name(p, &r))
            continue;
        size_t from = p->pos;
        uint32_t lo = class_char(p, whole), hi = lo;
        if (p->len - p->pos >= 2 && p->pat[p->pos] == '-' && p->pat[p->pos + 1] != ']') {
            p->pos++;
            hi = class_char(p, whole);
            if (hi < lo)
                fail(p, "invalid character class range: %.*s", (int)(p->pos - from), p->pat + from);
        }
        add_range(p, &r, lo, hi);
    }
    if (p->pos >= p->len)
        fail(p, "missing ]: %.*s", (int)(p->len - whole), p->pat + whole);
    p->pos++; /* ']' */
    if (!negated)
        return class_node(p, &r);
    normalize(p, &r);
    ranges c = {0};
    add_complement(p, &c, &r);
    return class_node(p, &c);
}

/* ---- structure ---- */

typedef struct nodes {
    rx_node **v;
    uint32_t n, cap;
} nodes;

static void push_node(rparser *p, nodes *x, rx_node *n)
{
    if (x->n == x->cap) {
        uint32_t ncap = x->cap ? x->cap * 2 : 4;
        rx_node **nv = tmp_alloc(p, ncap * sizeof(*nv));
        if (x->n)
            memcpy(nv, x->v, x->n * sizeof(*nv));
        x->v = nv;
        x->cap = ncap;
    }
    x->v[x->n++] = n;
}

static rx_node *compound(rparser *p, rx_kind k, nodes *x)
{
    if (x->n == 0)
        return leaf(p, RX_N_EMPTY);
    if (x->n == 1)
        return x->v[0];
    rx_node *n = leaf(p, k);
    n->kids = x->v;
    n->nkids = x->n;
    for (uint32_t i = 0; i < x->n; i++) {
        n->depth = umax(n->depth, x->v[i]->depth + 1);
        n->prod = umax(n->prod, x->v[i]->prod);
    }
    if (n->depth > MAX_DEPTH)
        fail(p, "expression nests too deeply");
    return n;
}

/* Parses a decimal count at *i (no leading zeros, as RE2). */
static int parse_count(const rparser *p, size_t *i, int *out)
{
    size_t j = *i;
    if (j >= p->len || p->pat[j] < '0' || p->pat[j] > '9')
        return 0;
    if (p->pat[j] == '0' && j + 1 < p->len && p->pat[j + 1] >= '0' && p->pat[j + 1] <= '9')
        return 0;
    long v = 0;
    while (j < p->len && p->pat[j] >= '0' && p->pat[j] <= '9') {
        if (v >= 100000000)
            return 0;
        v = v * 10 + (p->pat[j++] - '0');
    }
    *out = (int)v;
    *i = j;
    return 1;
}

/* {n}, {n,} or {n,m} at the cursor; returns its end offset or 0 when the
 * text is not a repetition (then '{' is an ordinary character). */
static size_t scan_repetition(const rparser *p, int *min, int *max)
{
    size_t i = p->pos + 1;
    if (p->pat[p->pos] != '{' || !parse_count(p, &i, min) || i >= p->len)
        return 0;
    *max = *min;
    if (p->pat[i] == ',') {
        i++;
        if (i >= p->len)
            return 0;
        if (p->pat[i] == '}')
            *max = -1;
        else if (!parse_count(p, &i, max))
            return 0;
    }
    if (i >= p->len || p->pat[i] != '}')
        return 0;
    return i + 1;
}

/* Combines x** and the like into one operator, as RE2 does. */
static int squash(rx_node *inner, int min, int max)
{
    if (inner->k != RX_N_REP || inner->counted || inner->min > 1 ||
        (inner->max != -1 && inner->max != 1) || min > 1 || (max != -1 && max != 1))
        return 0;
    int star = inner->min == 0 || min == 0;
    int unbounded = inner->max == -1 || max == -1;
    inner->min = star ? 0 : 1;
    inner->max = unbounded ? -1 : 1;
    return 1;
}

static rx_node *repeat(rparser *p, rx_node *sub, int min, int max, int counted, size_t op_at)
{
    if (!counted && squash(sub, min, max))
        return sub;
    rx_node *n = leaf(p, RX_N_REP);
    n->sub = sub;
    n->min = min;
    n->max = max;
    n->counted = counted;
    n->depth = sub->depth + 1;
    unsigned m = (unsigned)(max == -1 ? min : max);
    n->prod = counted && m > 0 ? m * sub->prod : sub->prod;
    if (counted && (n->prod > MAX_REPEAT || sub->prod > MAX_REPEAT))
        fail(p, "invalid repetition size: %.*s", (int)(p->pos - op_at), p->pat + op_at);
    if (n->depth > MAX_DEPTH)
        fail(p, "expression nests too deeply");
    return n;
}

static rx_node *parse_alt(rparser *p);

static rx_node *parse_atom(rparser *p)
{
    char c = p->pat[p->pos];
    int min, max;
    switch (c) {
    case '(': {
        p->pos++;
        if (++p->groups > MAX_DEPTH) /* checked before recursing */
            fail(p, "expression nests too deeply");
        rx_node *n = parse_alt(p);
        p->groups--;
        if (p->pos >= p->len || p->pat[p->pos] != ')')
            fail_whole(p, "missing )");
        p->pos++;
        return n;
    }
    case '[':
        return parse_class(p);
    case '.':
        p->pos++;
        return leaf(p, RX_N_ANY);
    case '^':
        p->pos++;
        return leaf(p, RX_N_BOL);
    case '$':
        p->pos++;
        return leaf(p, RX_N_EOL);
    case '\\':
        return lit(p, parse_escape(p));
    case '*':
    case '+':
    case '?':
        fail(p, "no argument for repetition operator: %c", c);
    case '{': {
        size_t end = scan_repetition(p, &min, &max);
        if (end)
            fail(p, "no argument for repetition operator: %.*s", (int)(end - p->pos),
                 p->pat + p->pos);
        p->pos++;
        return lit(p, '{');
    }
    default:
        return lit(p, next_rune(p));
    }
}

/* An atom and the repetition operators after it. */
static rx_node *parse_repeat(rparser *p)
{
    rx_node *n = parse_atom(p);
    while (p->pos < p->len) {
        size_t at = p->pos;
        int min, max;
        char c = p->pat[p->pos];
        if (c == '*' || c == '+' || c == '?') {
            p->pos++;
            n = repeat(p, n, c == '+', c == '?' ? 1 : -1, 0, at);
            continue;
        }
        size_t end = c == '{' ? scan_repetition(p, &min, &max) : 0;
        if (!end)
            break;
        p->pos = end;
        if ((max != -1 && max < min) || min > MAX_REPEAT || max > MAX_REPEAT)
            fail(p, "invalid repetition size: %.*s", (int)(end - at), p->pat + at);
        n = repeat(p, n, min, max, 1, at);
    }
    return n;
}

static rx_node *parse_concat(rparser *p)
{
    nodes x = {0};
    while (p->pos < p->len && p->pat[p->pos] != '|' && p->pat[p->pos] != ')')
        push_node(p, &x, parse_repeat(p));
    return compound(p, RX_N_CAT, &x);
}

static rx_node *parse_alt(rparser *p)
{
    nodes x = {0};
    push_node(p, &x, parse_concat(p));
    while (p->pos < p->len && p->pat[p->pos] == '|') {
        p->pos++;
        push_node(p, &x, parse_concat(p));
    }
    return compound(p, RX_N_ALT, &x);
}

/* ---- entry points ---- */

int rx_parse(rx_tree *t, const char *pattern, size_t len, char *msg, size_t msgsz)
{
    memset(t, 0, sizeof(*t));
    rparser p;
    memset(&p, 0, sizeof(p));
    p.pat = pattern;
    p.len = len;
    p.t = t;
    p.msg = msg;
    p.msgsz = msgsz;
    int r = setjmp(p.fail);
    if (r)
        return r == 2 ? -2 : -1;
    if (pe_utf8_check(pattern, len) != len)
        fail(&p, "invalid UTF-8");
    t->root = parse_alt(&p);
    if (p.pos < len)
        fail_whole(&p, "unexpected )");
    return 0;
}

void rx_tree_free(rx_tree *t)
{
    free(t->pool);
    pe_arena_free(&t->tmp);
    memset(t, 0, sizeof(*t));
}
