#include "rules/decode.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "rules/yscalar.h"

int pe_rd_error(pe_rd *r, pe_pos at, const char *msg)
{
    return pe_ld_error(r->d, PREMPTI_E_RULE, YAML_VALIDATE, at, r->it, "%s", msg);
}

int pe_rd_nomem(pe_rd *r)
{
    return pe_ld_nomem(r->d);
}

/* ---- scalars, as yaml-cpp decodes them ---- */

const char *pe_rd_dup(pe_rd *r, const pe_ynode *v)
{
    return pe_arena_strndup(&r->c->arena, v->s, v->len);
}

/*
 * Falco's decode_val(): 1 with *out set when the key has a non-empty scalar
 * value, 0 when it is absent and optional, or a negative status.
 */
int pe_rd_value(pe_rd *r, const pe_ynode *map, const pe_ynode *ctx, const char *key, int optional,
                const pe_ynode **out)
{
    const pe_ynode *k;
    const pe_ynode *v = pe_ymap_get(map, key, &k);
    *out = NULL;
    if (!v) {
        if (optional)
            return 0;
        return pe_ld_error(r->d, PREMPTI_E_RULE, YAML_VALIDATE, ctx->pos, r->it,
                           "Item has no mapping for key '%s'", key);
    }
    if (v->kind == PE_Y_SCALAR && v->is_null)
        return pe_ld_error(r->d, PREMPTI_E_RULE, YAML_VALIDATE, k->pos, r->it,
                           "Mapping for key '%s' is empty", key);
    if (v->kind != PE_Y_SCALAR)
        return pe_rd_error(r, v->pos, "Value is not a scalar value");
    if (!v->len)
        return pe_rd_error(r, v->pos, "Value must be non-empty");
    *out = v;
    return 1;
}

int pe_rd_string(pe_rd *r, const pe_ynode *map, const char *key, int optional, const char **out)
{
    const pe_ynode *v;
    int rc = pe_rd_value(r, map, map, key, optional, &v);
    if (rc <= 0)
        return rc;
    if (!(*out = pe_rd_dup(r, v)))
        return pe_rd_nomem(r);
    return 1;
}

/* yaml-cpp accepts lower, UPPER and Capitalised spellings only. */
static int flexible_case(const char *s)
{
    int lower = 1, upper = 1, cap = isupper((unsigned char)s[0]) != 0;
    for (size_t i = 0; s[i]; i++) {
        lower &= !isupper((unsigned char)s[i]);
        upper &= !islower((unsigned char)s[i]);
        if (i)
            cap &= !isupper((unsigned char)s[i]);
    }
    return lower || upper || cap;
}

int pe_decode_bool(const char *s, int *out)
{
    static const char *const t[] = {"y", "yes", "true", "on"};
    static const char *const f[] = {"n", "no", "false", "off"};
    if (!flexible_case(s))
        return -1;
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, t[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcasecmp(s, f[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

/* yaml-cpp's unsigned conversion: a C++ stream with base detection (0x,
 * 0), no leading blanks, trailing blanks allowed, no minus sign. */
int pe_decode_uint(const char *s, uint64_t max, uint64_t *out)
{
    const char *p = s;
    if (*p == '+')
        p++;
    unsigned base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    } else if (p[0] == '0') {
        base = 8;
    }
    uint64_t v = 0;
    const char *digits = p;
    for (;; p++) {
        int dv = isdigit((unsigned char)*p)    ? *p - '0'
                 : isxdigit((unsigned char)*p) ? tolower((unsigned char)*p) - 'a' + 10
                                               : -1;
        if (dv < 0 || (unsigned)dv >= base)
            break;
        if (v > (max - (uint64_t)dv) / base)
            return -1;
        v = v * base + (uint64_t)dv;
    }
    if (p == digits)
        return -1;
    while (isspace((unsigned char)*p))
        p++;
    if (*p)
        return -1;
    *out = v;
    return 0;
}

int pe_rd_bool(pe_rd *r, const pe_ynode *map, const char *key, int optional, int *out)
{
    const pe_ynode *v;
    int rc = pe_rd_value(r, map, map, key, optional, &v);
    if (rc <= 0)
        return rc;
    if (pe_decode_bool(v->s, out))
        return pe_rd_error(r, v->pos, "Can't decode YAML scalar value");
    return 1;
}

int pe_rd_uint(pe_rd *r, const pe_ynode *map, const char *key, uint64_t *out)
{
    const pe_ynode *v;
    int rc = pe_rd_value(r, map, map, key, 1, &v);
    if (rc <= 0)
        return rc;
    if (pe_decode_uint(v->s, UINT64_MAX, out))
        return pe_rd_error(r, v->pos, "Can't decode YAML scalar value");
    return 1;
}

/* The value with its source map (conditions, outputs, exception parts). */
int pe_rd_mtext(pe_rd *r, const pe_ynode *map, const char *key, int optional, const pe_mtext **out)
{
    const pe_ynode *v;
    int rc = pe_rd_value(r, map, map, key, optional, &v);
    if (rc <= 0)
        return rc;
    pe_mtext *t = pe_arena_alloc(&r->c->arena, sizeof(*t));
    if (!t || pe_scalar_mtext(&r->c->arena, v, r->text, t))
        return pe_rd_nomem(r);
    *out = t;
    return 1;
}

/* Falco's decode_seq(): a sequence of scalars (tags, items). */
int pe_rd_strings(pe_rd *r, const pe_ynode *map, const char *key, int optional,
                  const pe_ynode **seq_out)
{
    const pe_ynode *v = pe_ymap_get(map, key, NULL);
    *seq_out = NULL;
    if (!v) {
        if (optional)
            return 0;
        return pe_ld_error(r->d, PREMPTI_E_RULE, YAML_VALIDATE, map->pos, r->it,
                           "Item has no mapping for key '%s'", key);
    }
    if (v->kind != PE_Y_SEQ)
        return pe_rd_error(r, v->pos, "Value is not a sequence");
    for (size_t i = 0; i < v->nkids; i++)
        if (v->kids[i]->kind != PE_Y_SCALAR || v->kids[i]->is_null)
            return pe_rd_error(r, v->kids[i]->pos, "sequence value is not scalar");
    *seq_out = v;
    return 1;
}

int pe_rd_tags(pe_rd *r, const pe_ynode *map, const char ***tags, size_t *n)
{
    const pe_ynode *seq;
    int rc = pe_rd_strings(r, map, "tags", 1, &seq);
    *tags = NULL;
    *n = 0;
    if (rc <= 0)
        return rc;
    *tags = pe_arena_alloc(&r->c->arena, (seq->nkids + 1) * sizeof(**tags));
    if (!*tags)
        return pe_rd_nomem(r);
    for (size_t i = 0; i < seq->nkids; i++)
        if (!((*tags)[i] = pe_rd_dup(r, seq->kids[i])))
            return pe_rd_nomem(r);
    *n = seq->nkids;
    return 1;
}

int pe_rd_check_name(pe_rd *r, const pe_ynode *v)
{
    if (v->len > PE_MAX_NAME)
        return pe_ld_error(r->d, PREMPTI_E_LIMIT, YAML_VALIDATE, v->pos, r->it,
                           "Name is longer than %d bytes", PE_MAX_NAME);
    return 0;
}

/* The item's name (rule: x), which later diagnostics name the item by. */
int pe_rd_name(pe_rd *r, const pe_ynode *item, const char *key, const char **out)
{
    const pe_ynode *v;
    int rc = pe_rd_value(r, item, item, key, 0, &v);
    if (rc <= 0)
        return rc;
    if ((rc = pe_rd_check_name(r, v)))
        return rc;
    if (!(*out = pe_rd_dup(r, v)))
        return pe_rd_nomem(r);
    r->it.name = *out;
    return 1;
}

/* ---- unknown keys (Falco 0.44) ---- */

static int key_in(const pe_ynode *k, const char *const *keys)
{
    for (size_t i = 0; keys[i]; i++)
        if (strlen(keys[i]) == k->len && memcmp(keys[i], k->s, k->len) == 0)
            return 1;
    return 0;
}

int pe_rd_unknown_keys(pe_rd *r, const pe_ynode *map, const char *const *keys)
{
    for (size_t i = 0; i + 1 < map->nkids; i += 2) {
        const pe_ynode *k = map->kids[i];
        if (k->kind != PE_Y_SCALAR)
            return pe_rd_error(r, k->pos, "Value is not a scalar value");
        if (!key_in(k, keys))
            pe_ld_warn(r->d, "LOAD_UNKNOWN_KEY", k->pos, r->it,
                       "Unknown key '%s'. The key will be ignored.", k->s);
    }
    return 0;
}

int pe_rd_trim(pe_rd *r, pe_mtext *t)
{
    size_t a = 0, b = t->len;
    while (a < b && isspace((unsigned char)t->s[a]))
        a++;
    while (b > a && isspace((unsigned char)t->s[b - 1]))
        b--;
    if (a == 0 && b == t->len)
        return 0;
    pe_mbuf mb = PE_MBUF_INIT;
    pe_mbuf_slice(&mb, t, a, b - a);
    pe_pos at = pe_mtext_pos(t, a);
    if (b == a)
        pe_mbuf_glue(&mb, "", 0, at);
    int rc = pe_mbuf_finish(&mb, &r->c->arena, t);
    pe_mbuf_free(&mb);
    if (!rc && !t->nruns)
        rc = pe_mtext_fixed(&r->c->arena, "", 0, at, t);
    return rc ? pe_rd_nomem(r) : 0;
}
