/*
 * GNU tr (coreutils 9.1) as a decoder: `tr A-Za-z N-ZA-Mn-za-m` (rot13),
 * `tr -d`, `tr -s`, `tr -c`. Sets are parsed into elements and walked in
 * step, so a set's expansion is never stored: work is bounded by 256 per
 * element of SET1.
 */
#include <string.h>

#include "prempti/common.h"
#include "shell/decode_internal.h"

enum { EL_CHAR, EL_RANGE, EL_CLASS, EL_REPEAT };

typedef struct tr_el {
    unsigned char type, lo, hi;
    unsigned char cls; /* EL_CLASS: index in classes[] */
    size_t count;      /* EL_REPEAT: repeats, SIZE_MAX for [c*] (fill); EL_CLASS: its size */
} tr_el;

typedef struct tr_set {
    tr_el *el;
    size_t n;
    int has_fill, has_equiv;        /* count of [c*]; [=c=] */
    int has_class, has_class_other; /* a class; one not upper/lower */
} tr_set;

static const char *const classes[] = {"alnum", "alpha", "blank", "cntrl", "digit", "graph",
                                      "lower", "print", "punct", "space", "upper", "xdigit"};
#define CLS_LOWER 6
#define CLS_UPPER 10

static int in_class(unsigned cls, unsigned c)
{
    int lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z', digit = c >= '0' && c <= '9';
    int graph = c >= 33 && c <= 126;
    switch (cls) {
    case 0:
        return lower || upper || digit;
    case 1:
        return lower || upper;
    case 2:
        return c == ' ' || c == '\t';
    case 3:
        return c < 32 || c == 127;
    case 4:
        return digit;
    case 5:
        return graph;
    case 6:
        return lower;
    case 7:
        return graph || c == ' ';
    case 8:
        return graph && !lower && !upper && !digit;
    case 9:
        return c == ' ' || (c >= '\t' && c <= '\r');
    case 10:
        return upper;
    default:
        return digit || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
    }
}

/* One character of a set, escapes decoded; advances *i. */
static unsigned char set_char(const char *s, size_t n, size_t *i)
{
    unsigned char c = (unsigned char)s[(*i)++];
    if (c != '\\' || *i >= n)
        return c;
    c = (unsigned char)s[(*i)++];
    if (c >= '0' && c <= '7') {
        unsigned v = c - '0';
        for (int k = 0; k < 2 && *i < n && s[*i] >= '0' && s[*i] <= '7'; k++)
            v = v * 8 + (unsigned)(s[(*i)++] - '0');
        return (unsigned char)v;
    }
    static const char from[] = "abfnrtv", to[] = "\a\b\f\n\r\t\v";
    const char *e = strchr(from, c);
    return e && c ? (unsigned char)to[e - from] : c;
}

/* [:class:], [=c=] or [c*n] at s[i] == '['; returns 1 when one was read. */
static int bracket(const char *s, size_t n, size_t *i, tr_el *el, tr_set *set, int *bad)
{
    size_t j = *i + 1;
    if (j < n && (s[j] == ':' || s[j] == '=')) {
        char kind = s[j];
        size_t k = j + 1;
        while (k + 1 < n && !(s[k] == kind && s[k + 1] == ']'))
            k++;
        if (k + 1 >= n)
            return 0;
        if (kind == '=') {
            size_t c = j + 1;
            el->type = EL_CHAR;
            el->lo = el->hi = set_char(s, k, &c);
            set->has_equiv = 1;
            *bad |= c != k;
        } else {
            *bad = 1;
            for (unsigned x = 0; x < sizeof(classes) / sizeof(classes[0]); x++)
                if (strlen(classes[x]) == k - j - 1 &&
                    memcmp(classes[x], s + j + 1, k - j - 1) == 0) {
                    el->type = EL_CLASS;
                    el->cls = (unsigned char)x;
                    el->count = 0;
                    for (unsigned c = 0; c < 256; c++)
                        el->count += (size_t)in_class(x, c);
                    *bad = 0;
                    set->has_class = 1;
                    set->has_class_other |= x != CLS_LOWER && x != CLS_UPPER;
                }
        }
        *i = k + 2;
        return 1;
    }
    if (j >= n)
        return 0;
    unsigned char c = set_char(s, n, &j);
    if (j >= n || s[j] != '*')
        return 0;
    size_t k = j + 1, count = 0;
    unsigned base = k < n && s[k] == '0' ? 8 : 10;
    for (; k < n && s[k] >= '0' && s[k] <= '9'; k++) {
        if ((unsigned)(s[k] - '0') >= base)
            return 0;
        count = count < ((size_t)1 << 40) ? count * base + (size_t)(s[k] - '0') : count;
    }
    if (k >= n || s[k] != ']')
        return 0;
    el->type = EL_REPEAT;
    el->lo = el->hi = c;
    el->count = k == j + 1 || count == 0 ? SIZE_MAX : count;
    set->has_fill += el->count == SIZE_MAX;
    *i = k + 1;
    return 1;
}

static int parse_set(tr_set *set, pe_str w, pe_arena *a)
{
    memset(set, 0, sizeof(*set));
    set->el = pe_arena_alloc(a, (w.len + 1) * sizeof(tr_el));
    if (!set->el)
        return PREMPTI_E_NOMEM;
    int bad = 0;
    for (size_t i = 0; i < w.len && !bad;) {
        tr_el *el = &set->el[set->n++];
        if (w.s[i] == '[' && bracket(w.s, w.len, &i, el, set, &bad))
            continue;
        unsigned char c = set_char(w.s, w.len, &i);
        el->type = EL_CHAR;
        el->lo = el->hi = c;
        if (i + 1 < w.len && w.s[i] == '-') {
            i++;
            el->type = EL_RANGE;
            el->hi = set_char(w.s, w.len, &i);
            bad |= el->hi < el->lo;
        }
    }
    return bad ? 1 : 0;
}

/* Walks a set's characters in order. */
typedef struct tr_it {
    const tr_set *set;
    size_t el, k; /* element, position inside it */
    size_t fill;  /* length of a [c*] element */
    unsigned c;   /* EL_CLASS: the next byte to test */
} tr_it;

static size_t el_len(const tr_el *e, size_t fill)
{
    if (e->type == EL_CLASS)
        return e->count;
    if (e->type == EL_REPEAT)
        return e->count == SIZE_MAX ? fill : e->count;
    return (size_t)(e->hi - e->lo) + 1;
}

static size_t set_len(const tr_set *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += s->el[i].type == EL_REPEAT && s->el[i].count == SIZE_MAX ? 0 : el_len(&s->el[i], 0);
    return n;
}

/* The next character, or -1 at the end. */
static int it_next(tr_it *it)
{
    while (it->el < it->set->n) {
        const tr_el *e = &it->set->el[it->el];
        if (it->k < el_len(e, it->fill)) {
            size_t k = it->k++;
            if (e->type == EL_CLASS) {
                while (!in_class(e->cls, it->c))
                    it->c++;
                return (int)it->c++;
            }
            return e->type == EL_RANGE ? e->lo + (int)k : e->lo;
        }
        it->el++;
        it->k = 0;
        it->c = 0;
    }
    return -1;
}

typedef struct tr_opts {
    int complement, del, squeeze, truncate;
    size_t first; /* index of the first operand */
} tr_opts;

static int parse_opts(tr_opts *o, const pe_str *argv, size_t argc)
{
    static const struct {
        const char *name;
        char letter;
    } longs[] = {{"--complement", 'c'},
                 {"--delete", 'd'},
                 {"--squeeze-repeats", 's'},
                 {"--truncate-set1", 't'}};
    memset(o, 0, sizeof(*o));
    size_t i = 0;
    for (; i < argc && argv[i].len > 1 && argv[i].s[0] == '-'; i++) {
        pe_str w = argv[i];
        if (w.len == 2 && w.s[1] == '-') {
            i++;
            break;
        }
        for (size_t k = 0; w.s[1] == '-' && k < sizeof(longs) / sizeof(longs[0]); k++)
            if (w.len == strlen(longs[k].name) && memcmp(w.s, longs[k].name, w.len) == 0) {
                w.s = &"-c-d-s-t"[2 * k]; /* the short form */
                w.len = 2;
            }
        for (size_t k = 1; k < w.len; k++) {
            char c = w.s[k];
            if (c == 'c' || c == 'C')
                o->complement = 1;
            else if (c == 'd')
                o->del = 1;
            else if (c == 's')
                o->squeeze = 1;
            else if (c == 't')
                o->truncate = 1;
            else
                return -1;
        }
    }
    o->first = i;
    return 0;
}

/* The membership table of a set, complemented on request. */
static void members(const tr_set *s, int complement, unsigned char in[256])
{
    memset(in, 0, 256);
    tr_it it = {s, 0, 0, 1, 0}; /* a [c*] counts once */
    for (int c; (c = it_next(&it)) >= 0;)
        in[c] = 1;
    if (complement)
        for (int c = 0; c < 256; c++)
            in[c] = !in[c];
}

/* map[c] for translation: SET1 (complemented: ascending) against SET2. */
static int is_case_class(const tr_el *e)
{
    return e->type == EL_CLASS && (e->cls == CLS_LOWER || e->cls == CLS_UPPER);
}

/* GNU's validate_case_classes: each [:upper:] or [:lower:] of SET2 starts
 * where a case class of SET1 starts; GNU stops looking once SET1 has
 * ended, so one starting just at SET1's end is refused and later ones are
 * not. */
static int case_classes_aligned(const tr_set *s1, const tr_set *s2, size_t len1, size_t fill)
{
    size_t p1 = 0, p2 = 0, e1 = 0;
    for (size_t e2 = 0; e2 < s2->n && p2 <= len1; p2 += el_len(&s2->el[e2++], fill)) {
        if (!is_case_class(&s2->el[e2]))
            continue;
        while (e1 < s1->n && p1 < p2)
            p1 += el_len(&s1->el[e1++], 0);
        if (e1 >= s1->n || p1 != p2 || !is_case_class(&s1->el[e1]))
            return 0;
    }
    return 1;
}

/* Whether every character of SET2 is the same one. */
static int homogeneous(const tr_set *s2)
{
    tr_it it = {s2, 0, 0, 1, 0};
    int first = it_next(&it), c;
    while ((c = it_next(&it)) >= 0)
        if (c != first)
            return 0;
    return first >= 0;
}

/* map[c] for translation: SET1 (complemented: ascending) against SET2.
 * Returns 1 for what GNU tr refuses: an empty SET2 or one ending with a
 * class when it must be padded; a case class in SET2 not facing one of
 * SET1 (unless complementing); and - complementing a class - a SET2 that
 * is not one character repeated to SET1's length. */
static int build_map(unsigned char map[256], const tr_set *s1, const tr_set *s2, const tr_opts *o)
{
    for (int c = 0; c < 256; c++)
        map[c] = (unsigned char)c;
    unsigned char in1[256], order[256];
    size_t len1 = 0, len2 = set_len(s2);
    if (o->complement) {
        members(s1, 1, in1);
        for (int c = 0; c < 256; c++)
            if (in1[c])
                order[len1++] = (unsigned char)c;
    } else {
        len1 = set_len(s1);
    }
    size_t fill = len1 > len2 ? len1 - len2 : 0;
    if (!o->complement && !case_classes_aligned(s1, s2, len1, fill))
        return 1;
    if (s2->has_fill) {
        len2 += fill;
    } else if (len1 > len2 && !o->truncate) {
        if (len2 == 0 || s2->el[s2->n - 1].type == EL_CLASS)
            return 1;
        len2 = len1; /* padded with its last character */
    } else if (len1 > len2) {
        len1 = len2;
    }
    if (o->complement && s1->has_class && (len2 != len1 || !homogeneous(s2)))
        return 1;
    tr_it i1 = {s1, 0, 0, 0, 0}, i2 = {s2, 0, 0, fill, 0};
    int last = -1;
    for (size_t k = 0; k < len1; k++) {
        int c1 = o->complement ? order[k] : it_next(&i1);
        int c2 = it_next(&i2);
        c2 = c2 < 0 ? last : c2;
        if (c1 < 0 || c2 < 0)
            break;
        map[c1] = (unsigned char)c2;
        last = c2;
    }
    return 0;
}

int pe_decode_tr(pe_decoded *out, const pe_str *argv, size_t argc, const char *in, size_t inlen,
                 pe_arena *a)
{
    pe_abuf b;
    pe_abuf_init(&b, a, inlen);
    tr_opts o;
    tr_set s1, s2;
    memset(&s2, 0, sizeof(s2));
    if (parse_opts(&o, argv, argc) != 0)
        return pe_decode_done(out, &b, PE_DEC_INVALID);
    size_t nops = argc - o.first;
    int translate = !o.del && nops == 2;
    int ok = nops == 2 ? (translate || (o.del && o.squeeze)) : nops == 1 && (o.del != o.squeeze);
    int rc = ok ? parse_set(&s1, argv[o.first], a) : 1;
    if (rc == 0 && nops == 2)
        rc = parse_set(&s2, argv[o.first + 1], a);
    if (rc < 0) {
        b.failed = 1;
        return pe_decode_done(out, &b, 0);
    }
    if (rc > 0 || s1.has_fill || s2.has_fill > 1 ||
        (translate && (s2.has_class_other || s2.has_equiv)) || (!translate && s2.has_fill))
        return pe_decode_done(out, &b, PE_DEC_INVALID);
    unsigned char map[256], del[256], sq[256];
    if (translate && build_map(map, &s1, &s2, &o) != 0)
        return pe_decode_done(out, &b, PE_DEC_INVALID);
    if (!translate)
        for (int c = 0; c < 256; c++)
            map[c] = (unsigned char)c;
    if (o.del || (o.squeeze && nops == 1))
        members(&s1, o.complement, del);
    if (o.squeeze && nops == 2)
        members(&s2, 0, sq);
    else if (o.squeeze)
        memcpy(sq, del, sizeof(sq));
    int prev = -1;
    for (size_t i = 0; i < inlen; i++) {
        unsigned char c = (unsigned char)in[i];
        if (o.del && del[c])
            continue;
        c = map[c];
        if (o.squeeze && sq[c] && prev == c)
            continue;
        pe_abuf_putc(&b, (char)c);
        prev = c;
    }
    return pe_decode_done(out, &b, 0);
}
