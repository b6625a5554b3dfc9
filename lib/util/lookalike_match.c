/*
 * Edit distances, sorted blobs, trie walks and skeletons for lookalike.c:
 * see lookalike_match.h.
 */
#include "util/lookalike_match.h"

#include <string.h>

/* ---- what an edit costs ----------------------------------------------------- */

/* Characters that look alike in a terminal fold to one. */
static char fold(char ch)
{
    if (ch == '0')
        return 'o';
    if (ch == '1' || ch == 'i')
        return 'l';
    return ch;
}

/* Two-letter sequences that look like one letter. */
static const struct {
    char two[3];
    char one;
} look_alike_pairs[] = {{"rn", 'm'}, {"vv", 'w'}};

/* Keys of a QWERTY keyboard: 0x80 | row << 4 | column (0: not a key). */
static const unsigned char key_at[128] = {
    ['1'] = 128, ['2'] = 129, ['3'] = 130, ['4'] = 131, ['5'] = 132, ['6'] = 133,
    ['7'] = 134, ['8'] = 135, ['9'] = 136, ['0'] = 137, ['q'] = 144, ['w'] = 145,
    ['e'] = 146, ['r'] = 147, ['t'] = 148, ['y'] = 149, ['u'] = 150, ['i'] = 151,
    ['o'] = 152, ['p'] = 153, ['a'] = 160, ['s'] = 161, ['d'] = 162, ['f'] = 163,
    ['g'] = 164, ['h'] = 165, ['j'] = 166, ['k'] = 167, ['l'] = 168, ['z'] = 176,
    ['x'] = 177, ['c'] = 178, ['v'] = 179, ['b'] = 180, ['n'] = 181, ['m'] = 182};

static pe_lk_letter letter_of(char ch)
{
    pe_lk_letter l;
    l.folded = fold(ch);
    l.key = (unsigned char)ch < 128 ? key_at[(unsigned char)ch] : 0;
    l.sep = (unsigned char)pe_lk_is_sep(ch);
    l.digit = (unsigned char)pe_lk_is_digit(ch);
    l.vowel = ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u';
    l.indel = l.sep ? 0 : l.digit ? PE_LK_FAR : 1;
    l.pair = 0;
    for (size_t k = 0; k < sizeof(look_alike_pairs) / sizeof(look_alike_pairs[0]); k++)
        l.pair |= ch == look_alike_pairs[k].one || ch == look_alike_pairs[k].two[0] ||
                  ch == look_alike_pairs[k].two[1];
    return l;
}

/* Neighbours on the keyboard (each row sits half a key right of the one
 * above it). */
static int keys_adjacent(unsigned ka, unsigned kb)
{
    if (!ka || !kb)
        return 0;
    int ra = (ka >> 4) & 7, ca = ka & 15, rb = (kb >> 4) & 7, cb = kb & 15;
    if (ra == rb)
        return ca - cb == 1 || cb - ca == 1;
    if (rb == ra + 1)
        return cb == ca - 1 || cb == ca;
    if (rb == ra - 1)
        return cb == ca || cb == ca + 1;
    return 0;
}

static pe_lk_dist min2(pe_lk_dist a, pe_lk_dist b)
{
    return a < b ? a : b;
}

static pe_lk_dist subst_cost(const pe_lk_letter *a, const pe_lk_letter *b)
{
    if (a->folded == b->folded || (a->sep && b->sep))
        return 0;
    if (a->digit && b->digit)
        return PE_LK_FAR;
    return (a->vowel && b->vowel) || keys_adjacent(a->key, b->key) ? 1 : PE_LK_FAR;
}

/* ---- the distance matrix, one row per byte of a popular name --------------- */

static void matrix_init(pe_lk_matrix *x, const char *c, size_t n, int k)
{
    x->c = c;
    x->n = n;
    x->k = k;
    memset(x->known, 0, sizeof(x->known));
    x->d[0][0] = 0;
    x->lo[0] = x->hi[0] = 0;
    for (size_t i = 1; i <= n; i++) {
        x->cl[i - 1] = letter_of(c[i - 1]);
        x->d[0][i] = x->d[0][i - 1] == 0 && x->cl[i - 1].sep ? 0 : PE_LK_FAR;
        if (x->d[0][i] == 0)
            x->hi[0] = i;
    }
    x->row_min[0] = 0;
}

static pe_lk_dist look_alike_pair(const pe_lk_matrix *x, const char *p, size_t j, size_t i)
{
    pe_lk_dist v = PE_LK_FAR;
    const char *c = x->c;
    for (size_t k = 0; k < sizeof(look_alike_pairs) / sizeof(look_alike_pairs[0]); k++) {
        const char *two = look_alike_pairs[k].two;
        char one = look_alike_pairs[k].one;
        if (i >= 2 && p[j - 1] == one && c[i - 2] == two[0] && c[i - 1] == two[1])
            v = min2(v, x->d[j - 1][i - 2]);
        if (j >= 2 && c[i - 1] == one && p[j - 2] == two[0] && p[j - 1] == two[1])
            v = min2(v, x->d[j - 2][i - 1]);
    }
    return v;
}

/* Cell (j, i), i >= 1, for the popular byte pl = p[j - 1]: the first letter
 * may not be inserted, deleted, mistyped or swapped; only look-alikes reach
 * past it (lookalike.c walks a swap of the first two letters on its own). */
static pe_lk_dist matrix_cell(const pe_lk_matrix *x, const char *p, const pe_lk_letter *pl,
                              size_t j, size_t i)
{
    const pe_lk_letter *cl = &x->cl[i - 1];
    const pe_lk_dist *up = x->d[j - 1];
    /* the cheap moves first: a substitution (whose cost takes a look at
     * the keyboard) only matters when it can do better */
    unsigned v = (unsigned)x->d[j][i - 1] + cl->indel, w = (unsigned)up[i] + pl->indel;
    v = w < v ? w : v;
    if (up[i - 1] < v) {
        unsigned s = subst_cost(cl, pl);
        if (i == 1 && j == 1 && s != 0)
            s = PE_LK_FAR;
        w = up[i - 1] + s;
        v = w < v ? w : v;
    }
    char ci = x->c[i - 1], pj = p[j - 1];
    if (v > 1 && i >= 2 && j >= 2 && (i > 2 || j > 2) && ci == p[j - 2] && x->c[i - 2] == pj &&
        ci != pj) {
        w = (unsigned)x->d[j - 2][i - 2] + 1;
        v = w < v ? w : v;
    }
    if (v > 0 && (pl->pair || cl->pair))
        v = min2((pe_lk_dist)(v > PE_LK_FAR ? PE_LK_FAR : v), look_alike_pair(x, p, j, i));
    return (pe_lk_dist)(v > PE_LK_FAR ? PE_LK_FAR : v);
}

/* Row j (1-based) for the popular name p; rows before it are in place.
 * Only columns that a cell of rows j - 1 and j - 2 at most k can reach are
 * computed (every edit moves at most two columns), and then as far right
 * as the values stay at most k; the rest is PE_LK_FAR. */
static void matrix_row(pe_lk_matrix *x, const char *p, size_t j)
{
    size_t n = x->n, from = n + 1, to = 0;
    pe_lk_dist *row = x->d[j];
    unsigned char pc = (unsigned char)p[j - 1];
    if (pc < 128 && !x->known[pc]) {
        x->letters[pc] = letter_of(p[j - 1]);
        x->known[pc] = 1;
    }
    pe_lk_letter pl = pc < 128 ? x->letters[pc] : letter_of(p[j - 1]);
    memset(row, PE_LK_FAR, n + 1);
    row[0] = x->d[j - 1][0] == 0 && pl.sep ? 0 : PE_LK_FAR;
    for (size_t back = 1; back <= 2 && back <= j; back++) {
        size_t r = j - back;
        if (x->lo[r] > x->hi[r])
            continue;
        from = x->lo[r] < from ? x->lo[r] : from;
        to = x->hi[r] + 2 > to ? x->hi[r] + 2 : to;
    }
    from = from < 1 ? 1 : from;
    pe_lk_dist low = row[0];
    x->lo[j] = row[0] <= x->k ? 0 : n + 1;
    x->hi[j] = 0;
    for (size_t i = from; i <= n && (i <= to || row[i - 1] <= x->k); i++) {
        pe_lk_dist v = row[i] = matrix_cell(x, p, &pl, j, i);
        low = min2(low, v);
        if (v <= x->k) {
            x->lo[j] = i < x->lo[j] ? i : x->lo[j];
            x->hi[j] = i;
        }
    }
    x->row_min[j] = low;
}

/* Whether no name that starts with p's first j bytes can come within k:
 * row j is above k, and row j - 1 can only reach past it by a swap (cost 1)
 * or, when p[j - 1] may begin "rn" or "vv", by a free look-alike pair. */
static int beyond(const pe_lk_matrix *x, const char *p, size_t j, int k)
{
    if (x->row_min[j] <= k)
        return 0;
    if (x->row_min[j - 1] > k)
        return 1;
    return x->row_min[j - 1] >= k && p[j - 1] != 'r' && p[j - 1] != 'v';
}

static pe_lk_dist matrix_distance(pe_lk_matrix *x, const char *p, size_t m, int k)
{
    if (m > PE_LOOKALIKE_NAME_MAX)
        return PE_LK_FAR;
    for (size_t j = 1; j <= m; j++) {
        matrix_row(x, p, j);
        if (beyond(x, p, j, k))
            return PE_LK_FAR;
    }
    return x->d[m][x->n];
}

pe_lk_dist pe_lk_distance(const char *a, size_t an, const char *b, size_t bm, int k)
{
    pe_lk_matrix x;
    if (an > PE_LK_FORM_MAX)
        return PE_LK_FAR;
    matrix_init(&x, a, an, k);
    return matrix_distance(&x, b, bm, k);
}

/* ---- sorted NUL-separated blobs --------------------------------------------- */

static const char *name_start(const char *lo, const char *pos)
{
    while (pos > lo && pos[-1] != '\0')
        pos--;
    return pos;
}

static int compare_key(const char *name, const char *key, size_t klen)
{
    size_t nlen = strlen(name);
    int r = memcmp(name, key, nlen < klen ? nlen : klen);
    if (r != 0)
        return r;
    return nlen < klen ? -1 : nlen > klen;
}

/* The first name in [lo, end) not below key. */
const char *pe_lk_lower_bound(const char *lo, const char *end, const char *key, size_t klen)
{
    const char *hi = end;
    while (lo < hi) {
        const char *mid = name_start(lo, lo + (hi - lo) / 2);
        if (compare_key(mid, key, klen) < 0)
            lo = mid + strlen(mid) + 1;
        else
            hi = mid;
    }
    return lo;
}

int pe_lk_blob_has(pe_lk_blob b, const char *key, size_t klen)
{
    const char *at = pe_lk_lower_bound(b.start, b.end, key, klen);
    return at < b.end && compare_key(at, key, klen) == 0;
}

/* The first name after s that does not start with s's first j bytes. Most
 * such runs are short: a few steps forward find their end before a binary
 * search over the rest is worth it. */
const char *pe_lk_skip_prefix(const char *s, size_t j, const char *end)
{
    const char *at = s;
    for (int step = 0; step < 8; step++) {
        at += strlen(at) + 1;
        if (at >= end || strncmp(at, s, j) != 0)
            return at;
    }
    char key[PE_LOOKALIKE_NAME_MAX];
    memcpy(key, s, j);
    key[j - 1]++; /* bytes of names are ASCII: no overflow */
    return pe_lk_lower_bound(at, end, key, j);
}

/* ---- walking a table ---------------------------------------------------------- */

static size_t common_prefix(const char *a, const char *b, size_t limit)
{
    size_t i = 0;
    while (i < limit && a[i] && a[i] == b[i])
        i++;
    return i;
}

/* Whether a name whose byte after the first j is ch may still come within
 * k when row j has nothing below k: only a free step can follow, which is
 * a separator, a look-alike of a byte of the text next to a cell at most k
 * (matched, or swapped from row j - 1), or a byte of a look-alike pair. */
static int may_follow(const pe_lk_matrix *x, size_t j, char ch)
{
    char folded = fold(ch);
    if (pe_lk_is_sep(ch) || ch == 'r' || ch == 'n' || ch == 'v' || ch == 'm' || ch == 'w')
        return 1; /* the look-alike pairs' bytes */
    for (size_t r = j - 1; r <= j; r++)
        for (size_t t = x->lo[r]; t <= x->hi[r] && t < x->n; t++)
            if (x->cl[t].folded == folded)
                return 1;
    return 0;
}

/* Visits every name in [s, end) whose distance to the text may be within k
 * (rows of the matrix hold it; visit decides). */
static void walk_range(pe_lk_walk *w, const char *s, const char *end)
{
    const char *prev = s;
    size_t valid = 0;
    while (s < end) {
        size_t m = strlen(s);
        if (m > PE_LOOKALIKE_NAME_MAX) {
            s += m + 1;
            continue;
        }
        size_t j = common_prefix(prev, s, valid), dead = 0;
        int cut = 0;
        while (!cut && j < m) {
            if (j >= 1 && w->x.row_min[j] >= w->k && !may_follow(&w->x, j, s[j])) {
                dead = j + 1;
                break;
            }
            matrix_row(&w->x, s, ++j);
            cut = beyond(&w->x, s, j, w->k);
        }
        valid = j;
        prev = s;
        if (cut || dead) {
            s = pe_lk_skip_prefix(s, cut ? j : dead, end);
            continue;
        }
        w->visit(w, s, m);
        s += m + 1;
    }
}

static void allow_first(unsigned char *set, char ch)
{
    set[(unsigned char)ch] = 1;
    if (fold(ch) != ch || ch == 'l' || ch == 'o') {
        set[(unsigned char)fold(ch)] = 1;
        for (const char *f = "01i"; *f; f++)
            if (fold(*f) == fold(ch))
                set[(unsigned char)*f] = 1;
    }
}

/* The first letters a popular name may have to come within reach of c. */
static void first_letters(unsigned char *set, const char *c, size_t n)
{
    memset(set, 0, 256);
    allow_first(set, c[0]);
    for (size_t i = 0; i < sizeof(look_alike_pairs) / sizeof(look_alike_pairs[0]); i++) {
        if (n > 1 && c[0] == look_alike_pairs[i].two[0] && c[1] == look_alike_pairs[i].two[1])
            set[(unsigned char)look_alike_pairs[i].one] = 1;
        if (c[0] == look_alike_pairs[i].one)
            set[(unsigned char)look_alike_pairs[i].two[0]] = 1;
    }
}

/* Walks the names in [from, to): all of them, or with w->second those whose
 * second byte is a look-alike of the text's. */
static void walk_first(pe_lk_walk *w, const char *from, const char *to, char first)
{
    unsigned char second[256];
    if (!w->second) {
        walk_range(w, from, to);
        return;
    }
    memset(second, 0, sizeof(second));
    allow_first(second, w->x.c[1]);
    for (int ch = 1; ch < 255; ch++) {
        if (!second[ch])
            continue;
        char lo[2] = {first, (char)ch}, hi[2] = {first, (char)(ch + 1)};
        const char *at = pe_lk_lower_bound(from, to, lo, 2);
        walk_range(w, at, pe_lk_lower_bound(at, to, hi, 2));
    }
}

/* Walks the names of b that may be within w->k of text (n bytes). */
void pe_lk_walk_table(pe_lk_walk *w, pe_lk_blob b, const char *text, size_t n)
{
    unsigned char first[256];
    if (n == 0 || n > PE_LK_FORM_MAX || (w->second && n < 2))
        return;
    matrix_init(&w->x, text, n, w->k);
    first_letters(first, text, n);
    for (int ch = 1; ch < 255; ch++) {
        if (!first[ch])
            continue;
        char lo = (char)ch, hi = (char)(ch + 1);
        const char *from = pe_lk_lower_bound(b.start, b.end, &lo, 1);
        walk_first(w, from, pe_lk_lower_bound(from, b.end, &hi, 1), lo);
    }
}

/* ---- confusables: equal skeletons ------------------------------------------------ */

static int pair_first(char ch)
{
    for (size_t k = 0; k < sizeof(look_alike_pairs) / sizeof(look_alike_pairs[0]); k++)
        if (look_alike_pairs[k].two[0] == ch)
            return 1;
    return 0;
}

/* The next letter of s's skeleton (separators skipped, look-alikes folded,
 * a look-alike pair read as its letter) from *i on, or 0 at the end; *seen
 * receives how many bytes of s decided it. */
static char skeleton_next(const char *s, size_t n, size_t *i, size_t *seen)
{
    while (*i < n && pe_lk_is_sep(s[*i]))
        (*i)++;
    if (*i >= n) {
        *seen = n;
        return 0;
    }
    for (size_t k = 0; k < sizeof(look_alike_pairs) / sizeof(look_alike_pairs[0]); k++)
        if (*i + 1 < n && s[*i] == look_alike_pairs[k].two[0] &&
            s[*i + 1] == look_alike_pairs[k].two[1]) {
            *i += 2;
            *seen = *i;
            return look_alike_pairs[k].one;
        }
    *seen = *i + 1 < n && pair_first(s[*i]) ? *i + 2 : *i + 1;
    return fold(s[(*i)++]);
}

size_t pe_lk_skeleton(const char *s, size_t n, char *out)
{
    size_t i = 0, k = 0, seen;
    char ch;
    while ((ch = skeleton_next(s, n, &i, &seen)) != 0)
        out[k++] = ch;
    return k;
}

/* Compares p's skeleton with want (wn letters). PE_LK_LONGER: p's goes on
 * after want's, and *after is where p's bytes go on; PE_LK_DIFFERS: *seen
 * receives how many bytes of p decided it (every name that starts with
 * them differs too; so does every name that starts with p's first *seen
 * bytes when PE_LK_LONGER). */
pe_lk_skeleton_match pe_lk_skeleton_compare(const char *p, size_t m, const char *want, size_t wn,
                                            size_t *after, size_t *seen)
{
    size_t i = 0, k = 0;
    *after = 0;
    for (;;) {
        char ch = skeleton_next(p, m, &i, seen);
        if (ch == 0)
            return k == wn ? PE_LK_EQUAL : PE_LK_SHORTER;
        if (k == wn)
            return PE_LK_LONGER;
        if (ch != want[k])
            return PE_LK_DIFFERS;
        k++;
        *after = i;
    }
}

int pe_lk_same_skeleton(const char *a, size_t an, const char *b, size_t bn)
{
    char sa[PE_LK_FORM_MAX];
    size_t after, seen;
    if (an > PE_LK_FORM_MAX)
        return 0;
    return pe_lk_skeleton_compare(b, bn, sa, pe_lk_skeleton(a, an, sa), &after, &seen) ==
           PE_LK_EQUAL;
}

int pe_lk_may_start(char ch, char first)
{
    for (size_t i = 0; i < sizeof(look_alike_pairs) / sizeof(look_alike_pairs[0]); i++)
        if (look_alike_pairs[i].two[0] == ch && look_alike_pairs[i].one == first)
            return 1;
    return !pe_lk_is_sep(ch) && fold(ch) == first;
}
