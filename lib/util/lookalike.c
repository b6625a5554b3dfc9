/*
 * Package names that imitate popular ones: the rules (see lookalike.h).
 * The candidate is normalised and looked up; when it is not known, one
 * trie walk of the popular list finds typing mistakes and confusables
 * (lookalike_match.h), a few skeleton searches find affixes added, removed
 * or swapped, and npm scopes are compared scope by scope.
 */
#include "util/lookalike.h"

#include <string.h>

#include "util/lookalike_match.h"

#define MIN_LEN 5

/* The most edits accepted between names of these lengths. */
static int budget(size_t a, size_t b)
{
    size_t m = a < b ? a : b;
    return m >= 10 ? 2 : m >= MIN_LEN ? 1 : 0;
}

/* ---- the best match ------------------------------------------------------------ */

typedef struct found {
    const char *popular;
    pe_lookalike_kind kind;
    int distance;
    int score;
} found;

/* Closer matches win: confusable, then one typo, an affix, two typos. */
static void offer(found *f, const char *popular, pe_lookalike_kind kind, int distance)
{
    int score = kind == PE_LOOKALIKE_CONFUSABLE ? 0 : kind == PE_LOOKALIKE_AFFIX ? 3 : 2 * distance;
    if (!f->popular || score < f->score) {
        f->popular = popular;
        f->kind = kind;
        f->distance = kind == PE_LOOKALIKE_AFFIX ? 0 : distance;
        f->score = score;
    }
}

typedef struct check {
    const pe_lookalike_table *t;
    pe_lk_blob popular;
    const char *c; /* the normalised candidate */
    size_t n;
    int swapped; /* walking the candidate with its first two letters swapped */
    found best;
} check;

/* ---- segments: where legitimate families differ ----------------------------- */

#define SEGMENTS_MAX (PE_LK_FORM_MAX / 2 + 2)

typedef struct segments {
    const char *at[SEGMENTS_MAX];
    size_t len[SEGMENTS_MAX];
    size_t count;
} segments;

static void split(segments *g, const char *s, size_t n)
{
    size_t from = 0;
    g->count = 0;
    for (size_t i = 0; i <= n && g->count < SEGMENTS_MAX; i++) {
        if (i == n || pe_lk_is_sep(s[i])) {
            g->at[g->count] = s + from;
            g->len[g->count++] = i - from;
            from = i + 1;
        }
    }
}

static int same_segment(const segments *a, size_t i, const segments *b, size_t j)
{
    return a->len[i] == b->len[j] && memcmp(a->at[i], b->at[j], a->len[i]) == 0;
}

/* Whether the longer list is the shorter with one segment more. */
static int one_segment_more(const segments *lo, const segments *hi)
{
    size_t i = 0, j = 0, skipped = 0;
    while (j < hi->count) {
        if (i < lo->count && same_segment(lo, i, hi, j)) {
            i++;
            j++;
        } else if (skipped++ == 0) {
            j++;
        } else {
            return 0;
        }
    }
    return i == lo->count;
}

/* Whether b is a with two neighbours swapped: a slip of the hand, never
 * how a family names its members (they add or change letters). */
static int swapped_pair(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0;
    while (i < an && i < bn && a[i] == b[i])
        i++;
    return an == bn && i + 1 < an && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           memcmp(a + i + 2, b + i + 2, an - i - 2) == 0;
}

/* Names of one family (pytest-cov, pytest-csv; kafka-python, kafka-python-ng)
 * are not typos of each other: one short segment differs (unless by a
 * swap: serde_jsno), or one segment is added. */
static int same_family(const char *c, size_t n, const char *p, size_t m)
{
    segments a, b;
    split(&a, c, n);
    split(&b, p, m);
    if (a.count + 1 == b.count)
        return one_segment_more(&a, &b);
    if (b.count + 1 == a.count)
        return one_segment_more(&b, &a);
    if (a.count != b.count || a.count < 2)
        return 0;
    size_t differ = 0, which = 0;
    for (size_t i = 0; i < a.count; i++)
        if (!same_segment(&a, i, &b, i)) {
            differ++;
            which = i;
        }
    return differ == 1 && (a.len[which] < MIN_LEN || b.len[which] < MIN_LEN) &&
           !swapped_pair(a.at[which], a.len[which], b.at[which], b.len[which]);
}

/* ---- affixes ---------------------------------------------------------------------- */

typedef struct part {
    const char *s;
    size_t len;
    const char *affix; /* NULL: trailing digits */
} part;

/* s without the affix (exactly, not followed or preceded by a separator). */
static int strip_affix(const char *s, size_t n, const char *affix, int prefix, part *out)
{
    size_t a = strlen(affix);
    if (n <= a)
        return 0;
    if (prefix && memcmp(s, affix, a) == 0 && !pe_lk_is_sep(s[a])) {
        *out = (part){s + a, n - a, affix};
        return 1;
    }
    if (!prefix && memcmp(s + n - a, affix, a) == 0 && !pe_lk_is_sep(s[n - a - 1])) {
        *out = (part){s, n - a, affix};
        return 1;
    }
    return 0;
}

/* Where a run of trailing digits (and the separator before it) starts; n
 * when there is none. */
static size_t digits_start(const char *s, size_t n)
{
    size_t i = n;
    while (i > 0 && pe_lk_is_digit(s[i - 1]))
        i--;
    if (i == n || i == 0)
        return n;
    return i > 1 && pe_lk_is_sep(s[i - 1]) ? i - 1 : i;
}

#define PARTS_MAX 24

/* The names s stands for without one of its affixes. */
static size_t cores(const pe_lookalike_table *t, const char *s, size_t n, part *out)
{
    size_t count = 0;
    for (int prefix = 1; prefix >= 0; prefix--)
        for (const char *const *a = prefix ? t->prefixes : t->suffixes; *a; a++)
            if (count < PARTS_MAX - 1 && strip_affix(s, n, *a, prefix, &out[count]))
                count++;
    size_t d = digits_start(s, n);
    if (d < n)
        out[count++] = (part){s, d, NULL};
    return count;
}

/* A search for popular names built on a part of the candidate (the whole
 * of it, or what is left without its affix): the part itself (plain), the
 * part with one of the table's affixes added. */
typedef struct affixed {
    check *k;
    char want[PE_LK_FORM_MAX]; /* the part's skeleton */
    size_t wn;
    const char *exclude; /* the part's own affix: a swap needs another one */
    int plain;           /* offer popular names equal to the part */
    int with_affix;      /* offer popular names with an affix added to it */
    size_t offset;       /* bytes of each name before the part (a prefix) */
    size_t suffix_max;   /* the longest suffix (or run of trailing digits) */
} affixed;

/* Whether p's bytes from at on are one of the table's suffixes (not the
 * part's own), or trailing digits after the whole candidate (urllib for
 * urllib3). */
static int is_suffix_of(const affixed *q, const char *p, size_t m, size_t at)
{
    if (at == 0 || pe_lk_is_sep(p[at - 1]))
        return 0;
    for (const char *const *a = q->k->t->suffixes; *a; a++)
        if (*a != q->exclude && strlen(*a) == m - at && memcmp(p + at, *a, m - at) == 0)
            return 1;
    if (q->plain)
        return 0; /* a part without its affix takes no digits besides */
    size_t i = at + (at < m && pe_lk_is_sep(p[at]));
    while (i < m && pe_lk_is_digit(p[i]))
        i++;
    return i == m && pe_lk_is_digit(p[m - 1]);
}

/* Names in [s, end), each compared from q->offset on. */
static void affixed_range(affixed *q, const char *s, const char *end)
{
    while (s < end) {
        size_t m = strlen(s), after, seen;
        if (m > PE_LOOKALIKE_NAME_MAX || m <= q->offset) {
            s += m + 1;
            continue;
        }
        const char *p = s + q->offset;
        size_t pm = m - q->offset;
        pe_lk_skeleton_match r = pe_lk_skeleton_compare(p, pm, q->want, q->wn, &after, &seen);
        if (r == PE_LK_EQUAL && (q->offset ? !pe_lk_is_sep(p[0]) : q->plain))
            offer(&q->k->best, s, PE_LOOKALIKE_AFFIX, 0);
        if (r == PE_LK_LONGER && !q->offset && q->with_affix && is_suffix_of(q, s, m, after))
            offer(&q->k->best, s, PE_LOOKALIKE_AFFIX, 0);
        if (r == PE_LK_DIFFERS || (r == PE_LK_LONGER && (q->offset || !q->with_affix))) {
            s = pe_lk_skip_prefix(s, q->offset + seen, end);
        } else if (r == PE_LK_LONGER && pm - after > q->suffix_max) {
            s = pe_lk_skip_prefix(s, after + q->suffix_max + 1, end);
        } else {
            s += m + 1;
        }
    }
}

/* Names that start with a byte whose skeleton letter is first. */
static void affixed_table(affixed *q, char first)
{
    pe_lk_blob b = q->k->popular;
    for (int ch = 1; ch < 128; ch++) {
        char lo = (char)ch, hi = (char)(ch + 1);
        if (!pe_lk_may_start(lo, first))
            continue;
        const char *from = pe_lk_lower_bound(b.start, b.end, &lo, 1);
        affixed_range(q, from, pe_lk_lower_bound(from, b.end, &hi, 1));
    }
}

/* Popular names that are the part (s, n bytes; own affix exclude) plain,
 * with a suffix added (one walk: they start with the part), or with a
 * prefix added (one range of the table per prefix). */
static void find_affixed(check *k, const char *s, size_t n, const char *exclude, int plain,
                         int with_affix)
{
    affixed q = {.k = k, .exclude = exclude, .plain = plain, .with_affix = with_affix};
    if (n > PE_LK_FORM_MAX || (q.wn = pe_lk_skeleton(s, n, q.want)) == 0)
        return;
    q.suffix_max = 8;
    for (const char *const *a = k->t->suffixes; *a; a++)
        q.suffix_max = strlen(*a) > q.suffix_max ? strlen(*a) : q.suffix_max;
    affixed_table(&q, q.want[0]);
    for (const char *const *a = k->t->prefixes; with_affix && *a; a++) {
        if (*a == exclude)
            continue;
        size_t len = strlen(*a);
        char hi[16];
        if (len == 0 || len >= sizeof(hi))
            continue;
        memcpy(hi, *a, len);
        hi[len - 1]++;
        const char *from = pe_lk_lower_bound(k->popular.start, k->popular.end, *a, len);
        q.offset = len;
        affixed_range(&q, from, pe_lk_lower_bound(from, k->popular.end, hi, len));
    }
}

static void check_affixes(check *k)
{
    part mine[PARTS_MAX];
    size_t count = cores(k->t, k->c, k->n, mine);
    for (size_t i = 0; i < count; i++)
        if (mine[i].len >= 2)
            find_affixed(k, mine[i].s, mine[i].len, mine[i].affix, 1,
                         mine[i].affix && mine[i].len >= MIN_LEN);
    find_affixed(k, k->c, k->n, NULL, 0, 1);
}

/* ---- typing mistakes ------------------------------------------------------------- */

static void visit_spelling(pe_lk_walk *w, const char *p, size_t m)
{
    check *k = w->ctx;
    int d = w->x.d[m][w->x.n] + k->swapped;
    if (d > budget(k->n, m))
        return;
    if (d == 0)
        offer(&k->best, p, PE_LOOKALIKE_CONFUSABLE, 0);
    else if (!same_family(k->c, k->n, p, m))
        offer(&k->best, p, PE_LOOKALIKE_SPELLING, d);
}

/* One walk from the candidate's first letter, one for the swap of its first
 * two letters (a common slip that moves the first letter) among the names
 * that start with the two swapped, with a distance to spare less. */
static void check_spelling(check *k)
{
    pe_lk_walk w;
    char swapped[PE_LOOKALIKE_CAND_MAX];
    w.k = budget(k->n, PE_LOOKALIKE_NAME_MAX);
    w.second = 0;
    w.visit = visit_spelling;
    w.ctx = k;
    pe_lk_walk_table(&w, k->popular, k->c, k->n);
    if (w.k == 0 || k->c[0] == k->c[1] || pe_lk_is_sep(k->c[0]) || pe_lk_is_sep(k->c[1]))
        return;
    memcpy(swapped, k->c, k->n);
    swapped[0] = k->c[1];
    swapped[1] = k->c[0];
    w.k--;
    w.second = 1;
    k->swapped = 1;
    pe_lk_walk_table(&w, k->popular, swapped, k->n);
}

/* ---- npm scopes ------------------------------------------------------------------- */

/* Offers "@scope/rest" names of the scope group starting at s that imitate
 * the candidate's; returns the end of the group. */
static const char *scope_group(check *k, const char *s, const char *end, const char *scope,
                               size_t slen, const char *rest, size_t rlen)
{
    const char *ps = s + 1, *pslash = strchr(ps, '/');
    if (!pslash)
        return s + strlen(s) + 1;
    size_t plen = (size_t)(pslash - ps);
    const char *group_end = pe_lk_skip_prefix(s, plen + 2, end);
    if (plen == slen && memcmp(ps, scope, slen) == 0)
        return group_end; /* the same scope is its owner's */
    int most = budget(slen, plen);
    pe_lk_dist d = pe_lk_distance(scope, slen, ps, plen, most);
    for (const char *p = s; d <= most && p < group_end; p += strlen(p) + 1)
        if (pe_lk_same_skeleton(rest, rlen, p + plen + 2, strlen(p + plen + 2)))
            offer(&k->best, p, PE_LOOKALIKE_SCOPE, d);
    return group_end;
}

/* "@s/x" imitates "@t/x" when s is close to t. */
static void check_scope(check *k)
{
    const char *slash = memchr(k->c, '/', k->n);
    if (!slash || slash == k->c + 1 || slash == k->c + k->n - 1)
        return;
    const char *scope = k->c + 1, *rest = slash + 1;
    size_t slen = (size_t)(slash - scope), rlen = k->n - (size_t)(rest - k->c);
    char first[PE_LK_FORM_MAX];
    if (pe_lk_skeleton(scope, slen, first) == 0)
        return;
    for (int ch = 1; ch < 127; ch++) {
        if (!pe_lk_may_start((char)ch, first[0]))
            continue;
        char lo[2] = {'@', (char)ch}, hi[2] = {'@', (char)(ch + 1)};
        const char *s = pe_lk_lower_bound(k->popular.start, k->popular.end, lo, 2);
        const char *end = pe_lk_lower_bound(s, k->popular.end, hi, 2);
        while (s < end)
            s = scope_group(k, s, end, scope, slen, rest, rlen);
    }
}

/* ---- entry points ------------------------------------------------------------------ */

size_t pe_lookalike_normalize(pe_lookalike_norm norm, const char *name, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = name[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (norm == PE_NORM_PYPI && pe_lk_is_sep(ch)) {
            if (n > 0 && out[n - 1] == '-')
                continue;
            ch = '-';
        } else if (norm == PE_NORM_CRATES && ch == '_') {
            ch = '-';
        }
        out[n++] = ch;
    }
    out[n] = '\0';
    return n;
}

static pe_lk_blob blob_of(const char *s, size_t size)
{
    return (pe_lk_blob){s, s + size};
}

int pe_lookalike_check(pe_lookalike *out, const pe_lookalike_table *t, const char *name, size_t len,
                       int use_allow)
{
    char c[PE_LOOKALIKE_CAND_MAX + 1];
    *out = (pe_lookalike){NULL, PE_LOOKALIKE_NONE, 0};
    if (len > PE_LOOKALIKE_CAND_MAX)
        return 0;
    check k = {.t = t, .popular = blob_of(t->popular, t->popular_size), .c = c};
    while (len > 0 && pe_lk_is_sep(*name)) { /* no registry takes them; the rest decides */
        name++;
        len--;
    }
    k.n = pe_lookalike_normalize(t->norm, name, len, c);
    if (k.n < MIN_LEN || memchr(c, '\0', k.n) || pe_lk_blob_has(k.popular, c, k.n) ||
        (use_allow && pe_lk_blob_has(blob_of(t->allow, t->allow_size), c, k.n)))
        return 0;
    if (t->norm == PE_NORM_NPM && c[0] == '@') {
        check_scope(&k);
    } else {
        check_spelling(&k);
        check_affixes(&k);
    }
    if (!k.best.popular)
        return 0;
    *out = (pe_lookalike){k.best.popular, k.best.kind, k.best.distance};
    return 1;
}

const pe_lookalike_table *const *pe_lookalike_tables(size_t *n)
{
    static const pe_lookalike_table *const tables[] = {
        &pe_lookalike_pypi, &pe_lookalike_npm, &pe_lookalike_crates, &pe_lookalike_rubygems};
    *n = sizeof(tables) / sizeof(tables[0]);
    return tables;
}

static const pe_lookalike_table *table_for(const char *ecosystem)
{
    size_t n;
    const pe_lookalike_table *const *t = pe_lookalike_tables(&n);
    for (size_t i = 0; ecosystem && i < n; i++)
        if (strcmp(t[i]->ecosystem, ecosystem) == 0)
            return t[i];
    return NULL;
}

int pe_package_lookalike_explain(pe_lookalike *out, const char *ecosystem, const char *name,
                                 size_t len)
{
    const pe_lookalike_table *t = table_for(ecosystem);
    if (!t) {
        *out = (pe_lookalike){NULL, PE_LOOKALIKE_NONE, 0};
        return -1;
    }
    return pe_lookalike_check(out, t, name, len, 1);
}

const char *pe_package_lookalike(const char *ecosystem, const char *name, size_t len)
{
    pe_lookalike r;
    return pe_package_lookalike_explain(&r, ecosystem, name, len) == 1 ? r.popular : NULL;
}
