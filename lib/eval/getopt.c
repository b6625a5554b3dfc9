/*
 * getopt(args, "optstring") and getopt(args, "optstring")[c], as libsinsp
 * extracts them: args is scanned like getopt(3) argv (without argv[0]):
 * "--" ends the options, "--long" tokens are skipped, the first token that
 * is not an option ("x", "-" or "") stops the scan, "-abc" is a cluster of
 * short options, and an option that takes a value takes the rest of its
 * token or the next token.
 *
 * Without a selector the result is a list: each option character, followed
 * by its value when it takes one; "?" for an unknown option; "" for an
 * option whose value is missing. With a selector [c] the result is one
 * string: the value of the last -c (its character when it takes no value,
 * "" when its value is missing), and there is no value when -c is absent.
 */
#include "eval/xform.h"

#include <string.h>

#include "prempti/common.h"

typedef struct optinfo {
    unsigned char valid[256];
    unsigned char has_value[256];
} optinfo;

/* Leading ':' only changes getopt(3)'s missing-argument return, which the
 * results do not show. */
static void parse_optstring(const pe_str *s, optinfo *oi)
{
    memset(oi, 0, sizeof(*oi));
    size_t i = s->len && s->s[0] == ':' ? 1 : 0;
    for (; i < s->len; i++) {
        unsigned char c = (unsigned char)s->s[i];
        if (c == ':')
            continue;
        oi->valid[c] = 1;
        if (i + 1 < s->len && s->s[i + 1] == ':') {
            oi->has_value[c] = 1;
            i++;
        }
    }
}

typedef struct results {
    pe_str *v;
    size_t n, cap;
} results;

static int push(pe_xctx *x, results *r, const char *s, size_t len)
{
    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 8;
        pe_str *nv = pe_arena_alloc(x->scratch, ncap * sizeof(*nv));
        if (!nv)
            return PREMPTI_E_NOMEM;
        if (r->n)
            memcpy(nv, r->v, r->n * sizeof(*nv));
        r->v = nv;
        r->cap = ncap;
    }
    r->v[r->n].s = s;
    r->v[r->n].len = len;
    r->n++;
    return 0;
}

/* An option character as its own NUL-terminated string. */
static const char *char_str(pe_xctx *x, char c)
{
    char *d = pe_arena_alloc(x->scratch, 2);
    if (d)
        d[0] = c;
    return d;
}

typedef struct scan {
    pe_xctx *x;
    const optinfo *oi;
    int has_sel;
    unsigned char sel;
    results out;
    pe_str selected;
    int found;
} scan;

/* Records option c and its value (NULL: it takes none). */
static int emit(scan *sc, char c, const pe_str *value)
{
    if (sc->has_sel) {
        if ((unsigned char)c != sc->sel)
            return 0;
        sc->found = 1; /* the last occurrence wins */
        if (value) {
            sc->selected = *value;
            return 0;
        }
        sc->selected.s = char_str(sc->x, c);
        sc->selected.len = 1;
        return sc->selected.s ? 0 : PREMPTI_E_NOMEM;
    }
    const char *name = char_str(sc->x, c);
    if (!name || push(sc->x, &sc->out, name, 1))
        return PREMPTI_E_NOMEM;
    return value ? push(sc->x, &sc->out, value->s, value->len) : 0;
}

/* An option whose value is missing: "" in place of the option (list) or
 * of its value (selector). */
static int emit_missing(scan *sc, char c)
{
    if (!sc->has_sel)
        return push(sc->x, &sc->out, "", 0);
    if ((unsigned char)c == sc->sel) {
        sc->found = 1;
        sc->selected.s = "";
        sc->selected.len = 0;
    }
    return 0;
}

/* One "-abc" token; *k is advanced past a token consumed as a value. */
static int scan_cluster(scan *sc, const pe_str *args, size_t nargs, size_t *k)
{
    const pe_str *tok = &args[*k];
    for (size_t i = 1; i < tok->len; i++) {
        char c = tok->s[i];
        if (c == ':' || !sc->oi->valid[(unsigned char)c]) {
            if (!sc->has_sel && push(sc->x, &sc->out, "?", 1))
                return PREMPTI_E_NOMEM;
            continue;
        }
        if (!sc->oi->has_value[(unsigned char)c]) {
            if (emit(sc, c, NULL))
                return PREMPTI_E_NOMEM;
            continue;
        }
        /* the value is the rest of this token, or else the next token */
        if (i + 1 < tok->len) {
            pe_str value = {tok->s + i + 1, tok->len - i - 1};
            return emit(sc, c, &value);
        }
        if (*k + 1 < nargs)
            return emit(sc, c, &args[++*k]);
        return emit_missing(sc, c);
    }
    return 0;
}

int pe_eval_getopt(pe_xctx *x, const pe_operand *o, pe_value *out)
{
    pe_value args, optstring;
    int rc;
    if ((rc = pe_eval_operand(x, &pe_operand_args(x, o)[1], &optstring)) <= 0 ||
        (rc = pe_eval_operand(x, &pe_operand_args(x, o)[0], &args)) <= 0)
        return rc;
    optinfo oi;
    parse_optstring(&optstring.str, &oi);
    pe_str sel = pe_rstr_str(x->img, o->arg);
    scan sc = {x, &oi, sel.s != NULL, sel.s ? (unsigned char)sel.s[0] : 0, {0}, {0}, 0};
    for (size_t k = 0; k < args.nitems; k++) {
        const pe_str *t = &args.items[k];
        if (t->len == 2 && t->s[0] == '-' && t->s[1] == '-')
            break; /* end of options */
        if (t->len > 2 && t->s[0] == '-' && t->s[1] == '-')
            continue; /* long options are not supported: skipped */
        if (t->len < 2 || t->s[0] != '-')
            break; /* the first operand ends the options */
        if ((rc = scan_cluster(&sc, args.items, args.nitems, &k)) < 0)
            return rc;
    }
    if (sc.has_sel) {
        if (!sc.found)
            return 0;
        out->str = sc.selected;
        return 1;
    }
    static const pe_str none[1];
    out->items = sc.out.v ? sc.out.v : none;
    out->nitems = sc.out.n;
    return 1;
}
