/*
 * Lookalike package names (lib/util/lookalike.h): the case files under
 * tests/data/lookalike/, the tables' invariants, every popular and every
 * allowed name, the trie walk against a plain edit distance computed name
 * by name, and random input.
 *
 * Case keys: ecosystem (pypi npm crates rubygems; anything else is an
 * unknown ecosystem); name, or names (one per line, all with the same
 * expectation); imitates (required: the popular name, empty when the name
 * must not be flagged, * for any popular name); kind (confusable spelling
 * affix scope) and distance, checked when given; note.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_check.h"
#include "util/lookalike.h"
#include "util/lookalike_match.h"

static const char *const kinds[] = {"none", "confusable", "spelling", "affix", "scope"};

static void check_one(pe_case_check *k, const char *ecosystem, const char *name)
{
    const char *want = pe_case_value(k->c, "imitates");
    pe_lookalike r;
    int rc = pe_package_lookalike_explain(&r, ecosystem, name, strlen(name));
    const char *plain = pe_package_lookalike(ecosystem, name, strlen(name));
    char label[256];
    snprintf(label, sizeof(label), "imitates (%s)", name);
    ck_assert_msg(rc != -1, "%s:%zu: unknown ecosystem %s", k->file, k->c->line, ecosystem);
    ck_assert_msg((plain == NULL) == (rc == 0) && (!plain || plain == r.popular),
                  "%s:%zu: %s: the two entry points disagree", k->file, k->c->line, name);
    if (strcmp(want, "*") == 0) {
        if (rc != 1)
            pe_case_mismatch(k, label, "(any popular name)", "(not flagged)");
    } else if (strcmp(want, rc == 1 ? r.popular : "") != 0) {
        pe_case_mismatch(k, label, want[0] ? want : "(not flagged)",
                         rc == 1 ? r.popular : "(not flagged)");
    }
    if (rc == 1) {
        char dist[16];
        snprintf(dist, sizeof(dist), "%d", r.distance);
        pe_case_expect(k, "kind", kinds[r.kind]);
        pe_case_expect(k, "distance", dist);
    }
}

static void lookalike_case(pe_case_check *k, void *ctx)
{
    (void)ctx;
    static const char *const known[] = {"ecosystem", "name",     "names", "imitates",
                                        "kind",      "distance", "note",  NULL};
    pe_case_known_keys(k, known);
    const char *eco = pe_case_value(k->c, "ecosystem");
    const char *name = pe_case_value(k->c, "name");
    const char *names = pe_case_value(k->c, "names");
    ck_assert_msg(eco && (name || names) && pe_case_value(k->c, "imitates"),
                  "%s:%zu: ecosystem, name(s) and imitates are required", k->file, k->c->line);
    if (name)
        check_one(k, eco, name);
    for (const char *s = names; s && *s;) {
        size_t len = strcspn(s, "\n");
        char one[256];
        ck_assert_uint_lt(len, sizeof(one));
        memcpy(one, s, len);
        one[len] = '\0';
        if (len)
            check_one(k, eco, one);
        s += len + (s[len] == '\n');
    }
}

static const char *const case_files[] = {"lookalike/pypi.cases", "lookalike/npm.cases",
                                         "lookalike/crates.cases", "lookalike/rubygems.cases",
                                         "lookalike/reported.cases"};

START_TEST(case_file)
{
    pe_case_run_file(case_files[_i], lookalike_case, NULL);
}
END_TEST

/* ---- the tables ------------------------------------------------------------------- */

/* Calls fn on every name of a blob. */
static void each_name(const char *blob, size_t size, void (*fn)(const char *name, void *ctx),
                      void *ctx)
{
    for (const char *s = blob; s < blob + size; s += strlen(s) + 1)
        fn(s, ctx);
}

typedef struct order {
    const pe_lookalike_table *t;
    const char *prev;
    size_t count;
} order;

static void check_order(const char *name, void *ctx)
{
    order *o = ctx;
    char norm[PE_LOOKALIKE_NAME_MAX + 1];
    size_t len = strlen(name);
    ck_assert_msg(len > 0 && len <= PE_LOOKALIKE_NAME_MAX, "%s: bad length: %s", o->t->ecosystem,
                  name);
    ck_assert_msg(pe_lookalike_normalize(o->t->norm, name, len, norm) == len &&
                      strcmp(norm, name) == 0,
                  "%s: not normalised: %s", o->t->ecosystem, name);
    for (size_t i = 0; i < len; i++)
        ck_assert_msg(name[i] > ' ' && name[i] < 127, "%s: not printable ASCII: %s",
                      o->t->ecosystem, name);
    ck_assert_msg(!o->prev || strcmp(o->prev, name) < 0, "%s: out of order: %s after %s",
                  o->t->ecosystem, name, o->prev);
    o->prev = name;
    o->count++;
}

static void check_not_popular(const char *name, void *ctx)
{
    const pe_lookalike_table *t = ctx;
    pe_lk_blob b = {t->popular, t->popular + t->popular_size};
    ck_assert_msg(!pe_lk_blob_has(b, name, strlen(name)), "%s: %s is popular and allowed",
                  t->ecosystem, name);
}

START_TEST(tables_are_sorted_and_normalised)
{
    size_t n;
    const pe_lookalike_table *const *t = pe_lookalike_tables(&n);
    ck_assert_uint_eq(n, 4);
    for (size_t i = 0; i < n; i++) {
        order o = {t[i], NULL, 0};
        each_name(t[i]->popular, t[i]->popular_size, check_order, &o);
        ck_assert_uint_gt(o.count, 900);
        o.prev = NULL;
        each_name(t[i]->allow, t[i]->allow_size, check_order, &o);
        each_name(t[i]->allow, t[i]->allow_size, check_not_popular, (void *)t[i]);
        ck_assert(t[i]->prefixes[0] && t[i]->suffixes[0]);
        for (int l = 0; l < 2; l++)
            for (const char *const *a = l ? t[i]->suffixes : t[i]->prefixes; *a; a++)
                ck_assert_msg(strlen(*a) > 0 && strlen(*a) < 16, "%s: affix %s", t[i]->ecosystem,
                              *a);
        ck_assert_ptr_eq(pe_lookalike_tables(&n)[i], t[i]);
    }
}
END_TEST

typedef struct spelled {
    const pe_lookalike_table *t;
    size_t checked;
} spelled;

/* A popular name, in capitals, with its separators exchanged where the
 * ecosystem makes them one, and its prefixes shorter than 5 bytes: none is
 * flagged. */
static void check_popular(const char *name, void *ctx)
{
    spelled *s = ctx;
    pe_lookalike r;
    size_t len = strlen(name);
    char other[PE_LOOKALIKE_NAME_MAX + 1];
    ck_assert_msg(pe_lookalike_check(&r, s->t, name, len, 1) == 0, "%s: popular %s flagged (%s)",
                  s->t->ecosystem, name, r.popular);
    for (size_t i = 0; i <= len; i++) {
        char ch = name[i];
        other[i] = ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
        if (s->t->norm == PE_NORM_PYPI && (ch == '-' || ch == '.'))
            other[i] = i % 2 ? '_' : '.';
        if (s->t->norm == PE_NORM_CRATES && ch == '-')
            other[i] = '_';
    }
    ck_assert_msg(pe_lookalike_check(&r, s->t, other, len, 1) == 0, "%s: %s flagged (%s)",
                  s->t->ecosystem, other, r.popular);
    for (size_t cut = 1; cut < 5 && cut < len; cut++)
        ck_assert_msg(pe_lookalike_check(&r, s->t, name, cut, 1) == 0,
                      "%s: %.*s (shorter than 5) flagged", s->t->ecosystem, (int)cut, name);
    s->checked++;
}

START_TEST(popular_names_are_not_flagged)
{
    size_t n;
    const pe_lookalike_table *const *t = pe_lookalike_tables(&n);
    spelled s = {t[_i], 0};
    each_name(t[_i]->popular, t[_i]->popular_size, check_popular, &s);
    ck_assert_uint_gt(s.checked, 900);
}
END_TEST

/* Every allowed name is flagged without the allow list (so none is stale)
 * and not with it. */
static void check_allowed(const char *name, void *ctx)
{
    const pe_lookalike_table *t = ctx;
    pe_lookalike r;
    ck_assert_msg(pe_lookalike_check(&r, t, name, strlen(name), 1) == 0, "%s: allowed %s flagged",
                  t->ecosystem, name);
    ck_assert_msg(pe_lookalike_check(&r, t, name, strlen(name), 0) == 1,
                  "%s: %s is allowed but would not be flagged anyway", t->ecosystem, name);
}

START_TEST(allowed_names_are_needed)
{
    size_t n;
    const pe_lookalike_table *const *t = pe_lookalike_tables(&n);
    each_name(t[_i]->allow, t[_i]->allow_size, check_allowed, (void *)t[_i]);
}
END_TEST

START_TEST(unknown_ecosystems)
{
    pe_lookalike r = {"x", PE_LOOKALIKE_SPELLING, 7};
    ck_assert_int_eq(pe_package_lookalike_explain(&r, "maven", "reqeusts", 8), -1);
    ck_assert_ptr_null(r.popular);
    ck_assert_int_eq(r.kind, PE_LOOKALIKE_NONE);
    ck_assert_ptr_null(pe_package_lookalike(NULL, "reqeusts", 8));
    ck_assert_ptr_null(pe_package_lookalike("PyPI", "reqeusts", 8));
    ck_assert_str_eq(pe_package_lookalike("pypi", "reqeusts", 8), "requests");
    /* only len bytes are read */
    ck_assert_str_eq(pe_package_lookalike("pypi", "reqeustsXYZ", 8), "requests");
    ck_assert_ptr_null(pe_package_lookalike("pypi", "reqeusts", 0));
}
END_TEST

/* ---- the walk against a plain distance ------------------------------------------- */

/* The costs of lookalike_match.h, written out again the plain way. */
static int plain_sep(char c)
{
    return c == '-' || c == '_' || c == '.';
}

static char plain_fold(char c)
{
    return c == '0' ? 'o' : (c == '1' || c == 'i') ? 'l' : c;
}

static int plain_keys(char a, char b)
{
    static const char *const rows[] = {"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"};
    int ra = -1, ca = 0, rb = -1, cb = 0;
    for (int r = 0; r < 4; r++) {
        const char *x = strchr(rows[r], a), *y = strchr(rows[r], b);
        if (a && x)
            ra = r, ca = (int)(x - rows[r]);
        if (b && y)
            rb = r, cb = (int)(y - rows[r]);
    }
    if (ra < 0 || rb < 0)
        return 0;
    return (ra == rb && abs(ca - cb) == 1) || (rb == ra + 1 && (cb == ca - 1 || cb == ca)) ||
           (rb == ra - 1 && (cb == ca || cb == ca + 1));
}

static int plain_sub(char a, char b)
{
    if (plain_fold(a) == plain_fold(b) || (plain_sep(a) && plain_sep(b)))
        return 0;
    if (a >= '0' && a <= '9' && b >= '0' && b <= '9')
        return 3;
    if (strchr("aeiou", a) && strchr("aeiou", b) && a && b)
        return 1;
    return plain_keys(a, b) ? 1 : 3;
}

static int plain_indel(char c)
{
    return plain_sep(c) ? 0 : (c >= '0' && c <= '9') ? 3 : 1;
}

static int min_of(int a, int b)
{
    return a < b ? a : b;
}

/* Full matrix, no pruning; saturates at 3. The first letter may only be
 * matched by a look-alike (inserting, deleting, mistyping or swapping it
 * is out of reach). */
static int plain_distance(const char *c, size_t n, const char *p, size_t m)
{
    static int d[PE_LOOKALIKE_NAME_MAX + 1][PE_LK_FORM_MAX + 1];
    int pair = n > 1 && m > 1 &&
               ((p[0] == 'm' && c[0] == 'r' && c[1] == 'n') ||
                (p[0] == 'w' && c[0] == 'v' && c[1] == 'v') ||
                (c[0] == 'm' && p[0] == 'r' && p[1] == 'n') ||
                (c[0] == 'w' && p[0] == 'v' && p[1] == 'v'));
    if (plain_fold(c[0]) != plain_fold(p[0]) && !pair)
        return 3; /* the first letter is out of reach: no need to fill the matrix */
    for (size_t j = 0; j <= m; j++)
        for (size_t i = 0; i <= n; i++) {
            int v = 3;
            if (i == 0 && j == 0)
                v = 0;
            if (i > 0)
                v = min_of(v, d[j][i - 1] +
                                  (j == 0 && !plain_sep(c[i - 1]) ? 3 : plain_indel(c[i - 1])));
            if (j > 0)
                v = min_of(v, d[j - 1][i] +
                                  (i == 0 && !plain_sep(p[j - 1]) ? 3 : plain_indel(p[j - 1])));
            if (i > 0 && j > 0) {
                int s = plain_sub(c[i - 1], p[j - 1]);
                v = min_of(v, d[j - 1][i - 1] + (i == 1 && j == 1 && s ? 3 : s));
            }
            if (i > 1 && j > 1 && (i > 2 || j > 2) && c[i - 1] == p[j - 2] &&
                c[i - 2] == p[j - 1] && c[i - 1] != c[i - 2])
                v = min_of(v, d[j - 2][i - 2] + 1);
            if (i > 1 && j > 0 &&
                ((p[j - 1] == 'm' && c[i - 2] == 'r' && c[i - 1] == 'n') ||
                 (p[j - 1] == 'w' && c[i - 2] == 'v' && c[i - 1] == 'v')))
                v = min_of(v, d[j - 1][i - 2]);
            if (j > 1 && i > 0 &&
                ((c[i - 1] == 'm' && p[j - 2] == 'r' && p[j - 1] == 'n') ||
                 (c[i - 1] == 'w' && p[j - 2] == 'v' && p[j - 1] == 'v')))
                v = min_of(v, d[j - 2][i - 1]);
            d[j][i] = v > 3 ? 3 : v;
        }
    return d[m][n];
}

typedef struct visited {
    const char *first;
    size_t count;
    const char *names[4096];
    int dist[4096];
} visited;

static void record(pe_lk_walk *w, const char *p, size_t m)
{
    visited *v = w->ctx;
    if (w->x.d[m][w->x.n] <= w->k && v->count < 4096) {
        v->names[v->count] = p;
        v->dist[v->count++] = w->x.d[m][w->x.n];
    }
}

/* A popular name with up to three random edits. */
static size_t random_text(char *out, const char *blob, size_t size, uint64_t *seed)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789-_.rnvvmw";
    const char *s = blob + pe_test_rand(seed) % size;
    while (s > blob && s[-1])
        s--;
    size_t n = strlen(s);
    memcpy(out, s, n);
    for (int e = (int)(pe_test_rand(seed) % 4); e > 0; e--) {
        size_t at = n ? pe_test_rand(seed) % n : 0;
        char ch = alphabet[pe_test_rand(seed) % (sizeof(alphabet) - 1)];
        switch (pe_test_rand(seed) % 5) {
        case 4: /* a look-alike pair for its letter, or the letter for its pair */
            if (n < PE_LOOKALIKE_NAME_MAX && (out[at] == 'm' || out[at] == 'w')) {
                memmove(out + at + 1, out + at, n - at);
                out[at] = out[at + 1] == 'm' ? 'r' : 'v';
                out[at + 1] = out[at + 1] == 'm' ? 'n' : 'v';
                n++;
            } else if (at + 1 < n && ((out[at] == 'r' && out[at + 1] == 'n') ||
                                      (out[at] == 'v' && out[at + 1] == 'v'))) {
                out[at] = out[at] == 'r' ? 'm' : 'w';
                memmove(out + at + 1, out + at + 2, n - at - 2);
                n--;
            } else if (n < PE_LOOKALIKE_NAME_MAX) {
                memmove(out + at + 2, out + at, n - at);
                memcpy(out + at, pe_test_rand(seed) % 2 ? "rn" : "vv", 2);
                n += 2;
            }
            break;
        case 0:
            if (n < PE_LOOKALIKE_NAME_MAX) {
                memmove(out + at + 1, out + at, n - at);
                out[at] = ch;
                n++;
            }
            break;
        case 1:
            if (n > 1) {
                memmove(out + at, out + at + 1, n - at - 1);
                n--;
            }
            break;
        case 2:
            if (n)
                out[at] = ch;
            break;
        default:
            if (at + 1 < n) {
                char t = out[at];
                out[at] = out[at + 1];
                out[at + 1] = t;
            }
        }
    }
    return n;
}

/* Runs the walk for k = 0, 1, 2 over text and compares with the plain
 * distance to every name; returns how many names were within reach. */
static size_t compare_walk(const pe_lookalike_table *t, const char *text, size_t len)
{
    static visited v;
    static const char *near[4096];
    static int near_d[4096];
    size_t count = 0, found = 0;
    for (const char *p = t->popular; p < t->popular + t->popular_size; p += strlen(p) + 1) {
        int d = plain_distance(text, len, p, strlen(p));
        if (d <= 2 && count < 4096) {
            near[count] = p;
            near_d[count++] = d;
        }
    }
    for (int k = 0; k <= 2; k++) {
        pe_lk_walk w;
        w.k = k;
        w.second = 0;
        w.visit = record;
        w.ctx = &v;
        v.count = 0;
        pe_lk_walk_table(&w, (pe_lk_blob){t->popular, t->popular + t->popular_size}, text, len);
        size_t expected = 0;
        for (size_t e = 0; e < count; e++) {
            if (near_d[e] > k)
                continue;
            expected++;
            size_t i = 0;
            while (i < v.count && v.names[i] != near[e])
                i++;
            ck_assert_msg(i < v.count, "%s: walk for %.*s (k %d) missed %s at %d", t->ecosystem,
                          (int)len, text, k, near[e], near_d[e]);
            ck_assert_msg(v.dist[i] == near_d[e], "%s: %.*s / %s: %d, plainly %d", t->ecosystem,
                          (int)len, text, near[e], v.dist[i], near_d[e]);
        }
        ck_assert_uint_eq(v.count, expected);
        found += expected;
    }
    return found;
}

/* Whatever the walk skips is beyond reach: it finds exactly the names
 * that a plain distance puts within k, at that distance. Texts: popular
 * names with random edits, and popular names with a look-alike pair
 * written for its letter or the other way round. */
START_TEST(walk_finds_what_a_plain_distance_finds)
{
    size_t n, found = 0, pairs = 0;
    const pe_lookalike_table *t = pe_lookalike_tables(&n)[_i];
    uint64_t seed = 0x243F6A8885A308D3ull + (uint64_t)_i;
    int texts = t->norm == PE_NORM_NPM ? 40 : 80;
    char text[PE_LK_FORM_MAX];
    for (int it = 0; it < texts; it++) {
        size_t len = random_text(text, t->popular, t->popular_size, &seed);
        if (len > 0 && !plain_sep(text[0])) /* texts never start with a separator */
            found += compare_walk(t, text, len);
    }
    for (const char *p = t->popular; p < t->popular + t->popular_size && pairs < 30;
         p += strlen(p) + 1) {
        const char *rn = strstr(p + 1, "rn"), *m = strchr(p + 1, 'm');
        size_t len = strlen(p);
        if (!rn && !m)
            continue;
        if (rn) { /* "rn" as 'm' */
            size_t at = (size_t)(rn - p);
            memcpy(text, p, at);
            text[at] = 'm';
            memcpy(text + at + 1, rn + 2, len - at - 2);
            len--;
        } else { /* 'm' as "rn" */
            size_t at = (size_t)(m - p);
            memcpy(text, p, at);
            memcpy(text + at, "rn", 2);
            memcpy(text + at + 2, m + 1, len - at - 1);
            len++;
        }
        found += compare_walk(t, text, len);
        pairs++;
    }
    ck_assert_uint_gt(found, (size_t)texts);
    ck_assert_uint_eq(pairs, 30);
}
END_TEST

/* ---- random input ------------------------------------------------------------------ */

START_TEST(random_input_is_safe)
{
    static const char *const ecosystems[] = {"pypi", "npm", "crates", "rubygems"};
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz-_.@/0123456789ABCrnvmw";
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    size_t n;
    const pe_lookalike_table *const *t = pe_lookalike_tables(&n);
    for (int it = 0; it < 4000; it++) {
        char buf[PE_LOOKALIKE_CAND_MAX + 40];
        size_t len = pe_test_rand(&seed) % sizeof(buf);
        for (size_t i = 0; i < len; i++)
            buf[i] = pe_test_rand(&seed) % 8 == 0 ? (char)pe_test_rand(&seed)
                                                  : alphabet[pe_test_rand(&seed) % 49];
        int e = (int)(pe_test_rand(&seed) % 4);
        pe_lookalike r;
        int rc = pe_package_lookalike_explain(&r, ecosystems[e], buf, len);
        ck_assert(rc == 0 || rc == 1);
        if (rc == 1) {
            ck_assert(r.popular >= t[e]->popular && r.popular < t[e]->popular + t[e]->popular_size);
            ck_assert(r.popular == t[e]->popular || r.popular[-1] == '\0');
            ck_assert(r.kind > PE_LOOKALIKE_NONE && r.kind <= PE_LOOKALIKE_SCOPE);
            ck_assert(r.distance >= 0 && r.distance <= 2);
        } else {
            ck_assert_ptr_null(r.popular);
        }
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lookalike");
    TCase *tc = tcase_create("lookalike");
    tcase_add_loop_test(tc, case_file, 0, (int)(sizeof(case_files) / sizeof(case_files[0])));
    tcase_add_test(tc, tables_are_sorted_and_normalised);
    tcase_add_loop_test(tc, popular_names_are_not_flagged, 0, 4);
    tcase_add_loop_test(tc, allowed_names_are_needed, 0, 4);
    tcase_add_test(tc, unknown_ecosystems);
    tcase_add_loop_test(tc, walk_finds_what_a_plain_distance_finds, 0, 4);
    tcase_add_test(tc, random_input_is_safe);
    tcase_set_timeout(tc, 300);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
