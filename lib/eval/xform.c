/*
 * Transformers at evaluation time. Results live in the evaluation's
 * scratch arena; inputs are never written. Semantics follow libsinsp:
 * tolower/toupper/b64/basename apply to each element of a list, b64 fails
 * the extraction on invalid input, getopt follows getopt(3) with
 * libsinsp's result shapes.
 */
#include "eval/xform.h"

#include <string.h>

#include "prempti/common.h"
#include "util/strbuf.h"

static char *scratch(pe_xctx *x, size_t n)
{
    return pe_arena_alloc(x->scratch, n);
}

/* ---- per-string transformers ---- */

static int b64_digit(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* libsinsp's Base64::decodeWithoutPadding: up to two '=' at the end are
 * dropped; the remaining digits must form whole bytes whose unused low
 * bits are zero. 1 and *out filled, 0 when s is not base64. */
static int b64_decode(pe_xctx *x, const pe_str *in, pe_str *out)
{
    size_t n = in->len;
    if (n && in->s[n - 1] == '=')
        n--;
    if (n && in->s[n - 1] == '=')
        n--;
    if (in->len && n == 0)
        return 0; /* "=" or "==" */
    if (n % 4 == 1)
        return 0;
    char *d = scratch(x, n / 4 * 3 + 3);
    if (!d)
        return PREMPTI_E_NOMEM;
    size_t k = 0;
    uint32_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64_digit((unsigned char)in->s[i]);
        if (v < 0)
            return 0;
        acc = (acc << 6) | (uint32_t)v;
        if (i % 4 == 3) {
            d[k++] = (char)(acc >> 16);
            d[k++] = (char)(acc >> 8);
            d[k++] = (char)acc;
            acc = 0;
        }
    }
    if (n % 4 == 2) {
        if (acc & 0xf)
            return 0;
        d[k++] = (char)(acc >> 4);
    } else if (n % 4 == 3) {
        if (acc & 0x3)
            return 0;
        d[k++] = (char)(acc >> 10);
        d[k++] = (char)(acc >> 2);
    }
    d[k] = '\0';
    out->s = d;
    out->len = k;
    return 1;
}

/* Applies a per-string transformer; 1, 0 (invalid input) or < 0. */
static int map_one(pe_xctx *x, pe_xform xf, const pe_str *in, pe_str *out)
{
    if (xf == PE_XF_B64)
        return b64_decode(x, in, out);
    if (xf == PE_XF_BASENAME) {
        size_t i = in->len;
        while (i > 0 && in->s[i - 1] != '/')
            i--;
        out->s = in->s + i;
        out->len = in->len - i;
        return 1;
    }
    char *d = scratch(x, in->len + 1);
    if (!d)
        return PREMPTI_E_NOMEM;
    for (size_t i = 0; i < in->len; i++) {
        char c = in->s[i];
        if (xf == PE_XF_TOLOWER && c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        else if (xf == PE_XF_TOUPPER && c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        d[i] = c;
    }
    d[in->len] = '\0';
    out->s = d;
    out->len = in->len;
    return 1;
}

static int map_value(pe_xctx *x, const pe_operand *o, pe_value *out)
{
    pe_value a;
    int rc = pe_eval_operand(x, &pe_operand_args(x, o)[0], &a);
    if (rc <= 0)
        return rc;
    if (pe_operand_args(x, o)[0].type != PE_FT_LIST)
        return map_one(x, (pe_xform)o->xf, &a.str, &out->str);
    pe_str *items = pe_arena_alloc(x->scratch, (a.nitems ? a.nitems : 1) * sizeof(*items));
    if (!items)
        return PREMPTI_E_NOMEM;
    for (size_t i = 0; i < a.nitems; i++)
        if ((rc = map_one(x, (pe_xform)o->xf, &a.items[i], &items[i])) <= 0)
            return rc; /* one invalid element fails the whole extraction */
    out->items = items;
    out->nitems = a.nitems;
    return 1;
}

/* ---- multi-value transformers ---- */

/* Stack room for the text they build (copied to the scratch arena), so
 * that the common case costs no allocation. */
#define TEXT_BYTES 512

static int keep_sb(pe_xctx *x, pe_strbuf *sb, pe_str *out)
{
    int rc = PREMPTI_E_NOMEM;
    char *d = pe_sb_failed(sb) ? NULL : pe_arena_strndup(x->scratch, pe_sb_str(sb), sb->len);
    if (d) {
        out->s = d;
        out->len = sb->len;
        rc = 1;
    }
    pe_sb_free(sb);
    return rc;
}

static int join(pe_xctx *x, const pe_operand *o, pe_value *out)
{
    pe_value sep, list;
    int rc;
    if ((rc = pe_eval_operand(x, &pe_operand_args(x, o)[0], &sep)) <= 0 ||
        (rc = pe_eval_operand(x, &pe_operand_args(x, o)[1], &list)) <= 0)
        return rc;
    char buf[TEXT_BYTES];
    pe_strbuf sb;
    pe_sb_init_buf(&sb, buf, sizeof(buf));
    for (size_t i = 0; i < list.nitems; i++) {
        if (i)
            pe_sb_append(&sb, sep.str.s, sep.str.len);
        pe_sb_append(&sb, list.items[i].s, list.items[i].len);
    }
    return keep_sb(x, &sb, &out->str);
}

static int concat(pe_xctx *x, const pe_operand *o, pe_value *out)
{
    char buf[TEXT_BYTES];
    pe_strbuf sb;
    pe_sb_init_buf(&sb, buf, sizeof(buf));
    for (size_t i = 0; i < o->nargs; i++) {
        pe_value a;
        int rc = pe_eval_operand(x, &pe_operand_args(x, o)[i], &a);
        if (rc <= 0) {
            pe_sb_free(&sb);
            return rc;
        }
        pe_sb_append(&sb, a.str.s, a.str.len);
    }
    return keep_sb(x, &sb, &out->str);
}

/* A transformer list: the values of its items, strings and lists
 * flattened into one list. Absent when an item is absent. */
static int list_values(pe_xctx *x, const pe_operand *o, pe_value *out)
{
    pe_value *vals = pe_arena_alloc(x->scratch, (o->nargs ? o->nargs : 1) * sizeof(*vals));
    if (!vals)
        return PREMPTI_E_NOMEM;
    size_t total = 0;
    for (size_t i = 0; i < o->nargs; i++) {
        int rc = pe_eval_operand(x, &pe_operand_args(x, o)[i], &vals[i]);
        if (rc <= 0)
            return rc;
        total += pe_operand_args(x, o)[i].type == PE_FT_LIST ? vals[i].nitems : 1;
    }
    pe_str *items = pe_arena_alloc(x->scratch, (total ? total : 1) * sizeof(*items));
    if (!items)
        return PREMPTI_E_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < o->nargs; i++) {
        if (pe_operand_args(x, o)[i].type != PE_FT_LIST) {
            items[k++] = vals[i].str;
            continue;
        }
        memcpy(items + k, vals[i].items, vals[i].nitems * sizeof(*items));
        k += vals[i].nitems;
    }
    out->items = items;
    out->nitems = total;
    return 1;
}

int pe_eval_xform(pe_xctx *x, const pe_operand *o, pe_value *out)
{
    switch (o->xf) {
    case PE_XF_TOLOWER:
    case PE_XF_TOUPPER:
    case PE_XF_B64:
    case PE_XF_BASENAME:
        return map_value(x, o, out);
    case PE_XF_LEN: {
        pe_value a;
        int rc = pe_eval_operand(x, &pe_operand_args(x, o)[0], &a);
        if (rc <= 0)
            return rc;
        out->num = pe_operand_args(x, o)[0].type == PE_FT_LIST ? a.nitems : a.str.len;
        return 1;
    }
    case PE_XF_JOIN:
        return join(x, o, out);
    case PE_XF_CONCAT:
        return concat(x, o, out);
    case PE_XF_GETOPT:
        return pe_eval_getopt(x, o, out);
    case PE_XF_COUNT:
        break;
    }
    return PREMPTI_E_INTERNAL;
}

int pe_eval_list(pe_xctx *x, const pe_operand *o, pe_value *out)
{
    return list_values(x, o, out);
}
