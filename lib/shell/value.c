/*
 * Words expanded with what the command line makes known (scope.c keeps the
 * bindings): ~ and ~user, $NAME and ${NAME}, the ${NAME:-word} family, the
 * prefix and suffix removals ${NAME#pat} ${NAME%pat}, and brace expansion.
 * A variable that a for loop gives several values stands for each in turn
 * when the caller asks for alternatives (sh_expand_each); anything not
 * known stays as written and makes the result not known.
 */
#include <stdlib.h>
#include <string.h>

#include "shell/internal.h"

/* Most values a word is taken to stand for (braces times loop values);
 * past it the word stays as written, not known. */
#define MAX_ALTS 16u
/* Nesting of ${...} inside ${...} defaults followed. */
#define MAX_PARAM_NEST 8
/* Longest value a ${NAME#pattern} removal is tried on. */
#define MAX_TRIM 4096

static pe_str lit(const char *s)
{
    pe_str r = {s, strlen(s)};
    return r;
}

/* ---- values --------------------------------------------------------------- */

/* The working directory as a value: "." where the command line started,
 * an absolute directory a cd made known; else not known (0). */
static int cwd_value(sh_ctx *c, unsigned scope, pe_str name, pe_str *v)
{
    int known;
    pe_str d = sh_cwd(c, scope, &known);
    if (sh_eq(name, "OLDPWD")) {
        const sh_bind *b = sh_bind_get(c, scope, lit("-"));
        if (!b)
            return 0;
        d = b->value;
        known = b->known;
    }
    if (!known || (d.len && d.s[0] != '/'))
        return 0;
    *v = d.len ? d : lit(".");
    return 1;
}

/* A variable's value when nothing in the command line set it: what the
 * analysis may assume. $SHELL and $BASH are taken for shells, so that
 * `$SHELL -c '...'` is read as the shell it runs. */
static int builtin_value(sh_ctx *c, unsigned scope, pe_str name, pe_str *v)
{
    const char *home = c->env && c->env->home ? c->env->home : "";
    if (sh_eq(name, "HOME") && home[0])
        *v = lit(home);
    else if (sh_eq(name, "IFS"))
        *v = lit(" \t\n");
    else if (sh_eq(name, "SHELL"))
        *v = lit("/bin/sh");
    else if (sh_eq(name, "BASH"))
        *v = lit("/bin/bash");
    else if (sh_eq(name, "PWD") || sh_eq(name, "OLDPWD"))
        return cwd_value(c, scope, name, v);
    else
        return 0;
    return 1;
}

/* Alternative k of a list value (alternatives separated by NUL bytes). */
static pe_str alt_piece(pe_str v, size_t k)
{
    size_t i = 0;
    for (; k > 0 && i < v.len; i++)
        if (v.s[i] == '\0')
            k--;
    size_t j = i;
    while (j < v.len && v.s[j] != '\0')
        j++;
    pe_str r = {v.s + i, j - i};
    return r;
}

int sh_value_of(sh_ctx *c, unsigned scope, pe_str name, pe_str *v, int *set, sh_xinfo *x)
{
    const sh_bind *b = sh_bind_get(c, scope, name);
    if (!b) {
        *set = builtin_value(c, scope, name, v);
        return *set;
    }
    *set = 1;
    *v = b->value;
    if (x && b->tainted)
        x->tainted = 1;
    if (!b->nalts)
        return b->known;
    if (!x || x->alt < 0)
        return 0; /* one of several: not known unless asked for each */
    /* alternative alt of all the lists met, counted in mixed radix */
    size_t stride = x->nalts ? x->nalts : 1;
    *v = alt_piece(b->value, ((size_t)x->alt / stride) % b->nalts);
    if (stride <= MAX_ALTS)
        x->nalts = stride * b->nalts;
    return b->known;
}

/* ---- expanding a word ------------------------------------------------------ */

/* Where tildes are expanded: at the start of the text, after an
 * assignment's first '=', after each ':' of an assignment's value. */
enum { TM_START = 1, TM_EQUALS = 2, TM_COLON = 4 };

typedef struct expander {
    sh_ctx *c;
    unsigned scope;
    sh_xinfo *x;
    char *out;
    size_t n, cap;
    int known;
    int params; /* the word holds expansions: '$' and '`' start one */
    int quoted; /* the word has quoted parts: a ${X:-~} default may be one */
    int nest;   /* ${...} defaults being expanded */
} expander;

static void put(expander *e, const char *s, size_t len)
{
    if (e->n + len + 1 > e->cap) {
        size_t cap = e->cap ? e->cap : 64;
        while (cap < e->n + len + 1)
            cap *= 2;
        char *p = sh_alloc(e->c, cap);
        if (!p) {
            e->known = 0;
            return;
        }
        if (e->n)
            memcpy(p, e->out, e->n);
        e->out = p;
        e->cap = cap;
    }
    memcpy(e->out + e->n, s, len);
    e->n += len;
}

static void put_unknown(expander *e, const char *s, size_t len)
{
    put(e, s, len);
    e->known = 0;
}

static int value(expander *e, pe_str name, pe_str *v, int *set)
{
    sh_xinfo local = {-1, 0, 0};
    return sh_value_of(e->c, e->scope, name, v, set, e->x ? e->x : &local);
}

/* Index just past the matching close of an opening bracket at i. */
static size_t skip_group(pe_str w, size_t i, char open, char close)
{
    int d = 0;
    for (; i < w.len; i++) {
        if (w.s[i] == open)
            d++;
        else if (w.s[i] == close && --d == 0)
            return i + 1;
    }
    return w.len;
}

static size_t name_end(pe_str w, size_t i)
{
    while (i < w.len && sh_is_name_char((unsigned char)w.s[i]))
        i++;
    return i;
}

static int login_char(char ch)
{
    return sh_is_name_char((unsigned char)ch) || ch == '-' || ch == '.';
}

/* A tilde prefix at w.s[i] == '~' up to '/' (or ':' in an assignment):
 * the home of the current $HOME, of root, or of another user (taken to
 * be /home/NAME). Returns the index past it. */
static size_t tilde(expander *e, pe_str w, size_t i, unsigned tm)
{
    size_t j = i + 1;
    while (j < w.len && w.s[j] != '/' && !((tm & TM_COLON) && w.s[j] == ':'))
        j++;
    pe_str user = {w.s + i + 1, j - i - 1}, v;
    int ok = 1;
    for (size_t k = 0; k < user.len; k++)
        ok &= login_char(user.s[k]);
    if (!ok || (user.len && !sh_is_name_start((unsigned char)user.s[0]))) {
        put(e, w.s + i, j - i); /* ~+, ~-, ~1: kept as written */
        return j;
    }
    int set;
    if (!user.len && value(e, lit("HOME"), &v, &set))
        put(e, v.s, v.len);
    else if (!user.len)
        put_unknown(e, "~", 1);
    else if (sh_eq(user, "root"))
        put(e, "/root", 5);
    else
        put(e, "/home/", 6), put(e, user.s, user.len);
    return j;
}

static void expand_text(expander *e, pe_str w, unsigned tm);

/* A glob pattern (* ? and literals) matches all of s; -1 when the pattern
 * has what is not followed ([...], escapes). */
static int glob_match(pe_str p, pe_str s)
{
    size_t pi = 0, si = 0, star = (size_t)-1, mark = 0;
    for (size_t k = 0; k < p.len; k++)
        if (p.s[k] == '[' || p.s[k] == '\\')
            return -1;
    while (si < s.len) {
        if (pi < p.len && (p.s[pi] == '?' || p.s[pi] == s.s[si])) {
            pi++, si++;
        } else if (pi < p.len && p.s[pi] == '*') {
            star = pi++;
            mark = si;
        } else if (star != (size_t)-1) {
            pi = star + 1;
            si = ++mark;
        } else {
            return 0;
        }
    }
    while (pi < p.len && p.s[pi] == '*')
        pi++;
    return pi == p.len;
}

/* ${NAME#pat} ${NAME##pat} ${NAME%pat} ${NAME%%pat} on a known value v:
 * 1 with the result put, 0 when the pattern is not followed. */
static int trim(expander *e, pe_str v, char op, int longest, pe_str pat)
{
    if (v.len > MAX_TRIM)
        return 0;
    size_t stars = 1;
    for (size_t i = 0; i < pat.len; i++)
        stars += pat.s[i] == '*';
    size_t best = (size_t)-1;
    for (size_t k = 0; k <= v.len; k++) {
        size_t len = longest ? v.len - k : k; /* the part removed */
        if (sh_work(e->c, (len + 1) * stars)) /* a match costs up to this */
            return 0;
        pe_str part = op == '#' ? (pe_str){v.s, len} : (pe_str){v.s + v.len - len, len};
        int m = glob_match(pat, part);
        if (m < 0)
            return 0;
        if (m) {
            best = len;
            break;
        }
    }
    if (best == (size_t)-1)
        put(e, v.s, v.len);
    else if (op == '#')
        put(e, v.s + best, v.len - best);
    else
        put(e, v.s, v.len - best);
    return 1;
}

/* The text of a ${...} word (a default, a pattern) expanded; known or not. */
static int sub_word(expander *e, pe_str word, unsigned tm, pe_str *out)
{
    if (e->nest >= MAX_PARAM_NEST || !sh_enter(e->c))
        return 0;
    expander sub = {e->c, e->scope, e->x, NULL, 0, 0, 1, e->params, e->quoted, e->nest + 1};
    expand_text(&sub, word, tm);
    sh_leave(e->c);
    *out = sub.out ? (pe_str){sub.out, sub.n} : (pe_str){"", 0};
    return sub.known;
}

/* ${...} from i (at '$'); j is past the closing brace. */
static void brace_param(expander *e, pe_str w, size_t i, size_t j)
{
    pe_str body = {w.s + i + 2, j - i - 3}; /* between the braces */
    size_t ne = name_end(body, 0);
    pe_str name = {body.s, ne}, v;
    int set = 0, known = ne > 0 && value(e, name, &v, &set);
    if (ne == body.len && ne > 0) { /* ${NAME} */
        if (known)
            put(e, v.s, v.len);
        else
            put_unknown(e, w.s + i, j - i);
        return;
    }
    size_t k = ne;
    int colon = k < body.len && body.s[k] == ':';
    char op = k + colon < body.len ? body.s[k + colon] : 0;
    /* ${NAME:-word} ${NAME-word} ${NAME:=word} ${NAME=word}: the word when
     * NAME is unset (or empty, with ':'), expanded in its turn */
    if (ne > 0 && (op == '-' || op == '=')) {
        pe_str word = {body.s + k + colon + 1, body.len - k - colon - 1}, d;
        if (known && !(colon && v.len == 0)) {
            put(e, v.s, v.len);
            return;
        }
        if (!set || (colon && known && v.len == 0)) {
            int dk = sub_word(e, word, e->quoted ? 0 : TM_START, &d);
            if (dk)
                put(e, d.s, d.len);
            else
                put_unknown(e, word.s, word.len);
            return;
        }
    }
    /* ${NAME#pattern} and the others on a known value */
    if (ne > 0 && !colon && known && (op == '#' || op == '%')) {
        int longest = k + 1 < body.len && body.s[k + 1] == op;
        pe_str pat = {body.s + k + 1 + longest, body.len - k - 1 - longest}, p;
        if (sub_word(e, pat, 0, &p) && trim(e, v, op, longest, p))
            return;
    }
    /* ${NAME:offset:length} on a known value: ${IFS:0:1} is a blank */
    if (ne > 0 && colon && known && k + 1 < body.len && sh_is_digit((unsigned char)body.s[k + 1])) {
        size_t off = 0, len = (size_t)-1, p = k + 1;
        while (p < body.len && sh_is_digit((unsigned char)body.s[p]) && off < 1000000)
            off = off * 10 + (size_t)(body.s[p++] - '0');
        if (p < body.len && body.s[p] == ':') {
            len = 0;
            for (p++; p < body.len && sh_is_digit((unsigned char)body.s[p]) && len < 1000000;)
                len = len * 10 + (size_t)(body.s[p++] - '0');
        }
        if (p == body.len) {
            if (off > v.len)
                off = v.len;
            if (len > v.len - off)
                len = v.len - off;
            put(e, v.s + off, len);
            return;
        }
    }
    put_unknown(e, w.s + i, j - i);
}

/* An expansion at w.s[i] == '$'; returns the index past it. */
static size_t dollar(expander *e, pe_str w, size_t i)
{
    char n = i + 1 < w.len ? w.s[i + 1] : 0;
    size_t j;
    if (n == '{') {
        j = skip_group(w, i + 1, '{', '}');
        if (j > i + 3)
            brace_param(e, w, i, j);
        else
            put_unknown(e, w.s + i, j - i);
        return j;
    }
    if (n == '(' || n == '[') { /* $(...), $((...)), $[...]: not known */
        j = skip_group(w, i + 1, n, n == '(' ? ')' : ']');
        if (e->x && n == '(' && !(j > i + 2 && w.s[i + 2] == '('))
            e->x->tainted = 1; /* another command's output */
        put_unknown(e, w.s + i, j - i);
        return j;
    }
    if (sh_is_name_start((unsigned char)n)) {
        j = name_end(w, i + 1);
        pe_str name = {w.s + i + 1, j - i - 1}, v;
        int set;
        if (value(e, name, &v, &set))
            put(e, v.s, v.len);
        else
            put_unknown(e, w.s + i, j - i);
        return j;
    }
    if (n && (sh_is_digit((unsigned char)n) || strchr("@*#?$!-", n))) {
        put_unknown(e, w.s + i, 2); /* positional and special parameters */
        return i + 2;
    }
    put(e, "$", 1);
    return i + 1;
}

static void expand_text(expander *e, pe_str w, unsigned tm)
{
    size_t i = 0;
    int eq_seen = 0;
    if ((tm & TM_START) && w.len && w.s[0] == '~')
        i = tilde(e, w, 0, tm);
    while (i < w.len && !e->c->stop) {
        char ch = w.s[i];
        if (e->params && ch == '$') {
            i = dollar(e, w, i);
        } else if (e->params && ch == '`') { /* a backquoted substitution: not known */
            const char *end = memchr(w.s + i + 1, '`', w.len - i - 1);
            size_t j = end ? (size_t)(end - w.s) + 1 : w.len;
            if (e->x)
                e->x->tainted = 1;
            put_unknown(e, w.s + i, j - i);
            i = j;
        } else if ((ch == ':' && (tm & TM_COLON) && (eq_seen || !(tm & TM_EQUALS))) ||
                   (ch == '=' && (tm & TM_EQUALS) && !eq_seen)) {
            eq_seen |= ch == '=';
            put(e, w.s + i, 1);
            i++;
            if (i < w.len && w.s[i] == '~')
                i = tilde(e, w, i, tm);
        } else {
            size_t j = i + 1;
            while (j < w.len && !strchr("$`:=", w.s[j]))
                j++;
            put(e, w.s + i, j - i);
            i = j;
        }
    }
}

int sh_expand_x(sh_ctx *c, unsigned scope, pe_str w, unsigned flags, pe_str *out, sh_xinfo *x)
{
    *out = w;
    if (!(flags & (PE_SHELL_W_PARAM | PE_SHELL_W_TILDE | PE_SHELL_W_CMDSUB | PE_SHELL_W_ARITH)))
        return !(flags & PE_SHELL_W_PROCSUB);
    unsigned tm = 0;
    if (flags & PE_SHELL_W_TILDE)
        tm = flags & SH_W_VALUE          ? TM_START | TM_COLON
             : flags & PE_SHELL_W_ASSIGN ? TM_EQUALS | TM_COLON
                                         : TM_START;
    expander e = {c, scope, x, NULL, 0, 0, 1, 0, (flags & PE_SHELL_W_QUOTED) != 0, 0};
    e.params = (flags & (PE_SHELL_W_PARAM | PE_SHELL_W_CMDSUB | PE_SHELL_W_ARITH)) != 0;
    expand_text(&e, w, tm);
    if (flags & PE_SHELL_W_PROCSUB)
        e.known = 0;
    if (!e.out)
        return e.known;
    e.out[e.n] = '\0';
    out->s = e.out;
    out->len = e.n;
    return e.known;
}

int sh_expand(sh_ctx *c, unsigned scope, pe_str w, unsigned flags, pe_str *out)
{
    return sh_expand_x(c, scope, w, flags, out, NULL);
}

/* ---- brace expansion ----------------------------------------------------------- */

/* The first brace group of w that expands ({a,b} or {1..3}, not ${...}):
 * its '{' at *open and '}' at *close; 0 when there is none. */
static int brace_group(pe_str w, size_t *open, size_t *close)
{
    for (size_t i = 0; i < w.len; i++) {
        if (w.s[i] == '$' && i + 1 < w.len && w.s[i + 1] == '{') {
            i = skip_group(w, i + 1, '{', '}') - 1;
            continue;
        }
        if (w.s[i] != '{')
            continue;
        int depth = 0, sep = 0;
        size_t k = i + 1;
        for (; k < w.len && (depth || w.s[k] != '}'); k++) {
            depth += w.s[k] == '{' ? 1 : w.s[k] == '}' ? -1 : 0;
            sep |= depth == 0 &&
                   (w.s[k] == ',' || (w.s[k] == '.' && k + 1 < w.len && w.s[k + 1] == '.'));
        }
        if (k >= w.len)
            return 0;
        if (sep) {
            *open = i;
            *close = k;
            return 1;
        }
    }
    return 0;
}

typedef struct alts {
    pe_str w[MAX_ALTS];
    size_t n;
    int over; /* more than MAX_ALTS */
} alts;

static void alts_add(sh_ctx *c, alts *a, pe_str pre, pe_str mid, pe_str post)
{
    if (a->n >= MAX_ALTS) {
        a->over = 1;
        return;
    }
    char *d = sh_alloc(c, pre.len + mid.len + post.len + 1);
    if (!d)
        return;
    memcpy(d, pre.s, pre.len);
    memcpy(d + pre.len, mid.s, mid.len);
    memcpy(d + pre.len + mid.len, post.s, post.len);
    d[pre.len + mid.len + post.len] = '\0';
    a->w[a->n++] = (pe_str){d, pre.len + mid.len + post.len};
}

/* {a..e} or {1..10}: the items, as words; 0 when not a sequence. */
static int brace_seq(sh_ctx *c, alts *a, pe_str pre, pe_str in, pe_str post)
{
    const char *dots = NULL;
    for (size_t k = 0; k + 1 < in.len; k++)
        if (in.s[k] == '.' && in.s[k + 1] == '.')
            dots = in.s + k;
    if (!dots)
        return 0;
    pe_str lo = {in.s, (size_t)(dots - in.s)}, hi = {dots + 2, in.len - lo.len - 2};
    long from, to;
    if (lo.len == 1 && hi.len == 1 && !sh_is_digit((unsigned char)lo.s[0])) {
        from = (unsigned char)lo.s[0];
        to = (unsigned char)hi.s[0];
    } else {
        char *end;
        char bl[24], bh[24];
        if (lo.len == 0 || lo.len >= sizeof(bl) || hi.len == 0 || hi.len >= sizeof(bh))
            return 0;
        memcpy(bl, lo.s, lo.len), bl[lo.len] = '\0';
        memcpy(bh, hi.s, hi.len), bh[hi.len] = '\0';
        from = strtol(bl, &end, 10);
        if (*end)
            return 0;
        to = strtol(bh, &end, 10);
        if (*end)
            return 0;
        if (from < -100000 || from > 100000 || to < -100000 || to > 100000)
            return 0;
        for (long v = from;; v += from <= to ? 1 : -1) {
            char num[16];
            size_t len = 0;
            long u = v < 0 ? -v : v;
            do
                num[sizeof(num) - ++len] = (char)('0' + u % 10);
            while ((u /= 10) > 0);
            if (v < 0)
                num[sizeof(num) - ++len] = '-';
            alts_add(c, a, pre, (pe_str){num + sizeof(num) - len, len}, post);
            if (v == to || a->over)
                break;
        }
        return 1;
    }
    for (long v = from;; v += from <= to ? 1 : -1) {
        char ch = (char)v;
        alts_add(c, a, pre, (pe_str){&ch, 1}, post);
        if (v == to || a->over)
            break;
    }
    return 1;
}

/* Brace expansion of w into a (bash: before any other expansion). */
static void brace_expand(sh_ctx *c, pe_str w, alts *a, int nest)
{
    size_t open, close;
    if (nest > 8 || !brace_group(w, &open, &close) || sh_work(c, w.len)) {
        alts_add(c, a, w, (pe_str){"", 0}, (pe_str){"", 0});
        return;
    }
    pe_str pre = {w.s, open}, in = {w.s + open + 1, close - open - 1};
    pe_str post = {w.s + close + 1, w.len - close - 1};
    alts items = {{{0}}, 0, 0};
    if (!brace_seq(c, &items, pre, in, post)) {
        size_t start = 0;
        int depth = 0;
        for (size_t k = 0; k <= in.len && !items.over; k++) {
            if (k < in.len && (in.s[k] == '{' || in.s[k] == '}')) {
                depth += in.s[k] == '{' ? 1 : -1;
                continue;
            }
            if (k < in.len && (depth || in.s[k] != ','))
                continue;
            alts_add(c, &items, pre, (pe_str){in.s + start, k - start}, post);
            start = k + 1;
        }
    }
    a->over |= items.over;
    for (size_t k = 0; k < items.n && !a->over && !c->stop; k++)
        brace_expand(c, items.w[k], a, nest + 1); /* the other groups */
}

void sh_expand_each(sh_ctx *c, unsigned scope, pe_str w, unsigned flags, sh_each_fn fn, void *arg)
{
    alts a = {{{0}}, 0, 0};
    if (flags & PE_SHELL_W_BRACE)
        brace_expand(c, w, &a, 0);
    if (!a.n || a.over || c->stop) {
        a.n = 1;
        a.w[0] = w;
    }
    unsigned f = a.over ? flags : flags & ~PE_SHELL_W_BRACE;
    size_t calls = 0;
    for (size_t k = 0; k < a.n && !c->stop; k++) {
        sh_xinfo x = {0, 0, 0};
        pe_str v;
        int known = sh_expand_x(c, scope, a.w[k], f, &v, &x) && !a.over;
        fn(c, arg, v, known, x.tainted);
        calls++;
        for (size_t alt = 1; alt < x.nalts && calls < MAX_ALTS && !c->stop; alt++, calls++) {
            sh_xinfo y = {(int)alt, 0, 0};
            known = sh_expand_x(c, scope, a.w[k], f, &v, &y);
            fn(c, arg, v, known, y.tainted);
        }
    }
}

/* ---- lists of values ------------------------------------------------------------ */

typedef struct list_build {
    pe_str items[MAX_ALTS];
    size_t n;
    int known, tainted, split;
    pe_str ifs;
} list_build;

/* One value of a loop's words: a field, or (an unquoted expansion) the
 * fields it splits into. */
static void list_item(sh_ctx *c, void *arg, pe_str v, int known, int tainted)
{
    list_build *l = arg;
    (void)c;
    l->known &= known;
    l->tainted |= tainted;
    if (!l->known)
        return;
    if (!l->split) {
        l->known = l->n < MAX_ALTS && !memchr(v.s, '\0', v.len);
        if (l->known)
            l->items[l->n++] = v;
        return;
    }
    for (size_t i = 0; i < v.len && l->known;) {
        while (i < v.len && memchr(l->ifs.s, v.s[i], l->ifs.len))
            i++;
        size_t j = i;
        while (j < v.len && !memchr(l->ifs.s, v.s[j], l->ifs.len))
            j++;
        if (j == i)
            break;
        l->known = l->n < MAX_ALTS && !memchr(v.s + i, '\0', j - i);
        if (l->known)
            l->items[l->n++] = (pe_str){v.s + i, j - i};
        i = j;
    }
}

void sh_bind_list(sh_ctx *c, unsigned scope, pe_str name, const pe_str *w, const unsigned *f,
                  size_t n)
{
    list_build l;
    memset(&l, 0, sizeof(l));
    l.known = 1;
    int set;
    if (!sh_value_of(c, scope, lit("IFS"), &l.ifs, &set, NULL) || !l.ifs.len)
        l.ifs = lit(" \t\n");
    for (size_t i = 0; i < n && l.known && !c->stop; i++) {
        l.split = (f[i] & PE_SHELL_W_EXPANDS) && !(f[i] & PE_SHELL_W_QUOTED);
        l.tainted |= (f[i] & PE_SHELL_W_CMDSUB) != 0;
        sh_expand_each(c, scope, w[i], f[i], list_item, &l);
    }
    if (!l.known || !l.n) {
        sh_bind *b = sh_bind_set(c, scope, name, name, 0);
        if (b)
            b->tainted = (unsigned char)l.tainted;
        return;
    }
    size_t len = 0;
    for (size_t i = 0; i < l.n; i++)
        len += l.items[i].len + 1;
    char *d = sh_alloc(c, len);
    if (!d)
        return;
    size_t o = 0;
    for (size_t i = 0; i < l.n; i++) {
        memcpy(d + o, l.items[i].s, l.items[i].len);
        o += l.items[i].len;
        d[o++] = '\0';
    }
    sh_bind *b = sh_bind_set(c, scope, name, (pe_str){d, o - 1}, 1);
    if (b && l.n > 1)
        b->nalts = (unsigned)l.n;
}
