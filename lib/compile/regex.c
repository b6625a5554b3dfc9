/*
 * Regex compiler: parses Falco's dialect (RE2 with RE2::POSIX options) into
 * a small tree, then emits a Thompson NFA (see regex_match.c for the
 * simulation). Error messages are RE2's, so a rule author sees the words
 * Falco would print after "invalid regex pattern: ".
 *
 * What RE2's POSIX mode accepts, and so what this accepts: literals (UTF-8),
 * `.` (any rune but '\n'), `[...]` and `[^...]` with ranges, escapes and
 * `[:name:]` classes, `^` and `$` (line boundaries), groups `(...)`,
 * alternation, `*` `+` `?` (stackable), `{n}` `{n,}` `{n,m}` (n, m <= 1000),
 * escaped punctuation, `\n \r \t \a \f \v`, octal `\0`, `\012`, hex `\x41`,
 * `\x{263a}`. Rejected as RE2 rejects them: `\d \s \w \b \B \A \z \p \Q`,
 * back-references, `(?i)`, `(?:...)`, lazy quantifiers in Perl's sense
 * (`*?` is `(x*)?` here).
 */
#include "compile/regex_internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

#define MAX_REPEAT 1000 /* RE2's limit for {n,m} and for nested counts */
#define MAX_DEPTH 1000  /* groups and repetitions nested in each other */

typedef enum nkind { N_EMPTY, N_LIT, N_CLASS, N_ANY, N_BOL, N_EOL, N_CAT, N_ALT, N_REP } nkind;

typedef struct rnode {
    nkind k;
    uint32_t rune;           /* LIT */
    uint32_t rfirst, rcount; /* CLASS: ranges in the pool */
    struct rnode **kids;     /* CAT, ALT */
    uint32_t nkids;
    struct rnode *sub; /* REP */
    int min, max;      /* REP: max -1 is unbounded */
    int counted;       /* REP: written {n,m} (not * + ?) */
    unsigned depth;    /* nesting below and including this node */
    unsigned prod;     /* largest product of nested {n,m} counts, capped */
} rnode;

typedef struct rparser {
    const char *pat;
    size_t len, pos;
    pe_arena tmp; /* the tree; freed once the program is emitted */
    rx_range *pool;
    size_t npool, cappool;
    char *msg;
    size_t msgsz;
    unsigned groups; /* groups open at the cursor */
    jmp_buf fail;    /* 1: bad pattern (msg set), 2: out of memory */
} rparser;

#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 2, 3)))
#endif
static void fail(rparser *p, const char *fmt, ...)
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
static void oom(rparser *p)
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
    void *m = pe_arena_alloc(&p->tmp, n);
    if (!m)
        oom(p);
    return m;
}

static unsigned umax(unsigned a, unsigned b)
{
    return a > b ? a : b;
}

static rnode *leaf(rparser *p, nkind k)
{
    rnode *n = tmp_alloc(p, sizeof(*n));
    n->k = k;
    n->depth = 1;
    n->prod = 1;
    return n;
}

static rnode *lit(rparser *p, uint32_t r)
{
    rnode *n = leaf(p, N_LIT);
    n->rune = r;
    return n;
}

/* ---- runes ---- */

/* Decodes the (already validated) UTF-8 sequence at pos. */
static uint32_t rune_at(const rparser *p, size_t pos, size_t *w)
{
    const unsigned char *s = (const unsigned char *)p->pat + pos;
    size_t n = pe_utf8_seq(s, p->len - pos);
    *w = n;
    switch (n) {
    case 2:
        return ((uint32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
    case 3:
        return ((uint32_t)(s[0] & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
    case 4:
        return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
               ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
    default:
        return s[0];
    }
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
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if ((c | 32) >= 'a' && (c | 32) <= 'f')
        return (int)((c | 32) - 'a' + 10);
    return -1;
}

#if defined(__GNUC__)
__attribute__((noreturn))
#endif
static void bad_escape(rparser *p, size_t begin)
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
    if (c >= '1' && c <= '7' &&
        (p->pos >= p->len || p->pat[p->pos] < '0' || p->pat[p->pos] > '7'))
        bad_escape(p, begin); /* \1 alone would be a back-reference */
    if (c >= '0' && c <= '7') {
        uint32_t code = c - '0';
        for (int i = 0; i < 2 && p->pos < p->len && p->pat[p->pos] >= '0' &&
                        p->pat[p->pos] <= '7';
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
    {"alnum", "09AZaz"},      {"alpha", "AZaz"},        {"ascii", "\x01\x7f"},
    {"blank", "\t\t  "},      {"cntrl", "\x01\x1f\x7f\x7f"},
    {"digit", "09"},          {"graph", "!~"},          {"lower", "az"},
    {"print", " ~"},          {"punct", "!/:@[`{~"},    {"space", "\t\r  "},
    {"upper", "AZ"},          {"word", "09AZ__az"},     {"xdigit", "09AFaf"},
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
static rnode *class_node(rparser *p, ranges *r)
{
    normalize(p, r);
    if (p->cappool - p->npool < r->n) {
        size_t ncap = p->cappool ? p->cappool : 64;
        while (ncap - p->npool < r->n)
            ncap *= 2;
        rx_range *nv = realloc(p->pool, ncap * sizeof(*nv));
        if (!nv)
            oom(p);
        p->pool = nv;
        p->cappool = ncap;
    }
    rnode *n = leaf(p, N_CLASS);
    n->rfirst = (uint32_t)p->npool;
    n->rcount = (uint32_t)r->n;
    if (r->n)
        memcpy(p->pool + p->npool, r->v, r->n * sizeof(*r->v));
    p->npool += r->n;
    return n;
}

/* RE2's ParseCharClass, cursor on '['. */
static rnode *parse_class(rparser *p)
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
                fail(p, "invalid character class range: %.*s", (int)(p->pos - from),
                     p->pat + from);
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
    rnode **v;
    uint32_t n, cap;
} nodes;

static void push_node(rparser *p, nodes *x, rnode *n)
{
    if (x->n == x->cap) {
        uint32_t ncap = x->cap ? x->cap * 2 : 4;
        rnode **nv = tmp_alloc(p, ncap * sizeof(*nv));
        if (x->n)
            memcpy(nv, x->v, x->n * sizeof(*nv));
        x->v = nv;
        x->cap = ncap;
    }
    x->v[x->n++] = n;
}

static rnode *compound(rparser *p, nkind k, nodes *x)
{
    if (x->n == 0)
        return leaf(p, N_EMPTY);
    if (x->n == 1)
        return x->v[0];
    rnode *n = leaf(p, k);
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
static int squash(rnode *inner, int min, int max)
{
    if (inner->k != N_REP || inner->counted || inner->min > 1 ||
        (inner->max != -1 && inner->max != 1) || min > 1 || (max != -1 && max != 1))
        return 0;
    int star = inner->min == 0 || min == 0;
    int unbounded = inner->max == -1 || max == -1;
    inner->min = star ? 0 : 1;
    inner->max = unbounded ? -1 : 1;
    return 1;
}

static rnode *repeat(rparser *p, rnode *sub, int min, int max, int counted, size_t op_at)
{
    if (!counted && squash(sub, min, max))
        return sub;
    rnode *n = leaf(p, N_REP);
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

static rnode *parse_alt(rparser *p);

static rnode *parse_atom(rparser *p)
{
    char c = p->pat[p->pos];
    int min, max;
    switch (c) {
    case '(': {
        p->pos++;
        if (++p->groups > MAX_DEPTH) /* checked before recursing */
            fail(p, "expression nests too deeply");
        rnode *n = parse_alt(p);
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
        return leaf(p, N_ANY);
    case '^':
        p->pos++;
        return leaf(p, N_BOL);
    case '$':
        p->pos++;
        return leaf(p, N_EOL);
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
static rnode *parse_repeat(rparser *p)
{
    rnode *n = parse_atom(p);
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

static rnode *parse_concat(rparser *p)
{
    nodes x = {0};
    while (p->pos < p->len && p->pat[p->pos] != '|' && p->pat[p->pos] != ')')
        push_node(p, &x, parse_repeat(p));
    return compound(p, N_CAT, &x);
}

static rnode *parse_alt(rparser *p)
{
    nodes x = {0};
    push_node(p, &x, parse_concat(p));
    while (p->pos < p->len && p->pat[p->pos] == '|') {
        p->pos++;
        push_node(p, &x, parse_concat(p));
    }
    return compound(p, N_ALT, &x);
}

/* ---- code generation ---- */

/* Instructions a node compiles to, saturating above the limit. */
static uint64_t size_of(const rnode *n)
{
    const uint64_t cap = (uint64_t)PE_REGEX_MAX_INSTS + 1;
    uint64_t s = 0;
    switch (n->k) {
    case N_EMPTY:
        return 0;
    case N_CAT:
    case N_ALT:
        for (uint32_t i = 0; i < n->nkids && s < cap; i++)
            s += size_of(n->kids[i]) + (n->k == N_ALT && i + 1 < n->nkids ? 2 : 0);
        return s < cap ? s : cap;
    case N_REP: {
        uint64_t x = size_of(n->sub);
        if (n->max == -1)
            s = n->min == 0 ? x + 2 : (uint64_t)n->min * x + 1;
        else
            s = (uint64_t)n->min * x + (uint64_t)(n->max - n->min) * (x + 1);
        return s < cap ? s : cap;
    }
    default:
        return 1;
    }
}

#define PENDING UINT32_MAX /* a jump target not known yet */

typedef struct emitter {
    rx_inst *insts;
    uint32_t n;
} emitter;

static uint32_t emit(emitter *e, rx_op op, uint32_t x, uint32_t y)
{
    e->insts[e->n].op = op;
    e->insts[e->n].x = x;
    e->insts[e->n].y = y;
    return e->n++;
}

static void gen(emitter *e, const rnode *n);

static void gen_rep(emitter *e, const rnode *n)
{
    int copies = n->max == -1 && n->min > 0 ? n->min - 1 : n->min;
    for (int i = 0; i < copies; i++)
        gen(e, n->sub);
    if (n->max == -1) {
        if (n->min == 0) { /* x*: L: split(L+1, out); x; jmp L */
            uint32_t l = emit(e, RX_SPLIT, 0, 0);
            e->insts[l].x = e->n;
            gen(e, n->sub);
            emit(e, RX_JMP, l, 0);
            e->insts[l].y = e->n;
        } else { /* x+: L: x; split(L, out) */
            uint32_t l = e->n;
            gen(e, n->sub);
            emit(e, RX_SPLIT, l, e->n + 1);
        }
        return;
    }
    /* optional copies, each able to skip to the end; PENDING marks the
     * skips to patch (nested ones are patched before gen() returns) */
    uint32_t first = e->n;
    for (int i = n->min; i < n->max; i++) {
        uint32_t s = emit(e, RX_SPLIT, 0, PENDING);
        e->insts[s].x = e->n;
        gen(e, n->sub);
    }
    for (uint32_t pc = first; pc < e->n; pc++)
        if (e->insts[pc].op == RX_SPLIT && e->insts[pc].y == PENDING)
            e->insts[pc].y = e->n;
}

static void gen(emitter *e, const rnode *n)
{
    switch (n->k) {
    case N_EMPTY:
        break;
    case N_LIT:
        emit(e, RX_CHAR, n->rune, 0);
        break;
    case N_CLASS:
        emit(e, RX_CLASS, n->rfirst, n->rcount);
        break;
    case N_ANY:
        emit(e, RX_ANY, 0, 0);
        break;
    case N_BOL:
        emit(e, RX_BOL, 0, 0);
        break;
    case N_EOL:
        emit(e, RX_EOL, 0, 0);
        break;
    case N_CAT:
        for (uint32_t i = 0; i < n->nkids; i++)
            gen(e, n->kids[i]);
        break;
    case N_ALT: {
        /* split(a, next); a; jmp end; split(b, next); b; jmp end; ... c */
        uint32_t jumps = e->n;
        for (uint32_t i = 0; i + 1 < n->nkids; i++) {
            uint32_t s = emit(e, RX_SPLIT, 0, 0);
            e->insts[s].x = e->n;
            gen(e, n->kids[i]);
            emit(e, RX_JMP, PENDING, 0);
            e->insts[s].y = e->n;
        }
        gen(e, n->kids[n->nkids - 1]);
        for (uint32_t pc = jumps; pc < e->n; pc++)
            if (e->insts[pc].op == RX_JMP && e->insts[pc].x == PENDING)
                e->insts[pc].x = e->n;
        break;
    }
    case N_REP:
        gen_rep(e, n);
        break;
    }
}

/* ---- entry points ---- */

const pe_regex *pe_regex_compile(pe_arena *a, const char *pattern, size_t len, char *msg,
                                 size_t msgsz)
{
    rparser p;
    memset(&p, 0, sizeof(p));
    p.pat = pattern;
    p.len = len;
    p.msg = msg;
    p.msgsz = msgsz;
    pe_regex *re = NULL;
    if (setjmp(p.fail) == 0) {
        if (pe_utf8_check(pattern, len) != len)
            fail(&p, "invalid UTF-8");
        rnode *root = parse_alt(&p);
        if (p.pos < len)
            fail_whole(&p, "unexpected )");
        uint64_t n = size_of(root) + 1;
        if (n > PE_REGEX_MAX_INSTS)
            fail(&p, "pattern too large - compile failed");
        emitter e = {pe_arena_alloc(a, (size_t)n * sizeof(rx_inst)), 0};
        rx_range *pool = pe_arena_alloc(a, (p.npool ? p.npool : 1) * sizeof(*pool));
        if (pool && p.npool)
            memcpy(pool, p.pool, p.npool * sizeof(*pool));
        re = pe_arena_alloc(a, sizeof(*re));
        if (!e.insts || !pool || !re)
            oom(&p);
        gen(&e, root);
        emit(&e, RX_MATCH, 0, 0);
        re->insts = e.insts;
        re->ninst = e.n;
        re->ranges = pool;
    } else {
        re = NULL;
    }
    free(p.pool);
    pe_arena_free(&p.tmp);
    return re;
}

size_t pe_regex_size(const pe_regex *re)
{
    return re->ninst;
}

int pe_regex_could_be_simpler(const char *v, size_t len)
{
    static const char special[] = ".+*?^$()[]{}|\\";
    for (size_t i = 0; i < len; i++) {
        /* anchors at the ends are implied by the full match */
        if ((i == 0 && v[i] == '^') || (i == len - 1 && v[i] == '$'))
            continue;
        /* ".*" ".+" ".?" at either end: startswith / endswith / contains */
        if (((i == 0 && len > 1) || i + 2 == len) && v[i] == '.' && i + 1 < len &&
            strchr("+*?", v[i + 1]) && v[i + 1]) {
            i++;
            continue;
        }
        if (memchr(special, v[i], sizeof(special) - 1))
            return 0;
    }
    return 1;
}
