/*
 * What an image is valid for: a 64-bit hash (for file contents and the
 * image's checksum), the key of the library build and the key of an
 * engine's options.
 */
#include <stdio.h>
#include <string.h>

#include "build_id.h"
#include "compile/ops.h"
#include "compile/regex_internal.h"
#include "config_internal.h"
#include "event/fields.h"
#include "image/image.h"
#include "output/format.h"
#include "prempti/version.h"
#include "rules/ruleset.h"
#include "util/aho.h"

/* ---- the hash: four 64-bit lanes over 32-byte blocks ---- */

#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL
#define P4 0x85EBCA77C2B2AE63ULL
#define P5 0x27D4EB2F165667C5ULL

static uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static uint64_t read64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static uint64_t lane(uint64_t acc, uint64_t in)
{
    return rotl(acc + in * P2, 31) * P1;
}

static void block(uint64_t v[4], const unsigned char *p)
{
    v[0] = lane(v[0], read64(p));
    v[1] = lane(v[1], read64(p + 8));
    v[2] = lane(v[2], read64(p + 16));
    v[3] = lane(v[3], read64(p + 24));
}

void pe_hash64_init(pe_hash64_state *st)
{
    memset(st, 0, sizeof(*st));
    st->v[0] = P1 + P2;
    st->v[1] = P2;
    st->v[2] = 0;
    st->v[3] = 0 - P1;
}

void pe_hash64_update(pe_hash64_state *st, const void *data, size_t len)
{
    const unsigned char *p = data;
    st->total += len;
    if (st->nbuf) {
        size_t take = 32 - st->nbuf < len ? 32 - st->nbuf : len;
        memcpy(st->buf + st->nbuf, p, take);
        st->nbuf += take;
        p += take;
        len -= take;
        if (st->nbuf < 32)
            return;
        block(st->v, st->buf);
        st->nbuf = 0;
    }
    for (; len >= 32; p += 32, len -= 32)
        block(st->v, p);
    memcpy(st->buf, p, len);
    st->nbuf = len;
}

static uint64_t merge(uint64_t h, uint64_t v)
{
    return (h ^ lane(0, v)) * P1 + P4;
}

uint64_t pe_hash64_final(const pe_hash64_state *st)
{
    const uint64_t *v = st->v;
    uint64_t h = rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18);
    for (int i = 0; i < 4; i++)
        h = merge(h, v[i]);
    h += st->total;
    const unsigned char *p = st->buf;
    size_t n = st->nbuf;
    for (; n >= 8; p += 8, n -= 8)
        h = rotl(h ^ lane(0, read64(p)), 27) * P1 + P4;
    for (; n; p++, n--)
        h = rotl(h ^ (*p * P5), 11) * P1;
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

uint64_t pe_hash64(const void *data, size_t len)
{
    pe_hash64_state st;
    pe_hash64_init(&st);
    pe_hash64_update(&st, data, len);
    return pe_hash64_final(&st);
}

uint64_t pe_image_checksum(const unsigned char *image, size_t size)
{
    pe_hash64_state st;
    pe_hash64_init(&st);
    size_t at = offsetof(pe_image_header, checksum);
    uint64_t zero = 0;
    pe_hash64_update(&st, image, at);
    pe_hash64_update(&st, &zero, sizeof(zero));
    pe_hash64_update(&st, image + at + sizeof(zero), size - at - sizeof(zero));
    return pe_hash64_final(&st);
}

/* ---- the build key ---- */

static void add_str(pe_hash64_state *st, const char *s)
{
    pe_hash64_update(st, s, strlen(s) + 1);
}

static void add_num(pe_hash64_state *st, uint64_t n)
{
    pe_hash64_update(st, &n, sizeof(n));
}

/* The field table: ids, names, types and arguments are compiled in. */
static void add_fields(pe_hash64_state *st)
{
    for (int i = 0; i < PE_F_COUNT; i++) {
        const pe_field_def *d = pe_field((pe_field_id)i);
        add_str(st, d->name);
        add_num(st, (uint64_t)d->type << 16 | (uint64_t)d->arg << 8 | d->lazy);
    }
}

static void add_layouts(pe_hash64_state *st)
{
    static const size_t sizes[] = {
        sizeof(pe_image_header), sizeof(pe_image_root), sizeof(pe_image_source),
        sizeof(pe_image_diag),   sizeof(pe_rule_state), sizeof(pe_rule),
        sizeof(pe_cnode),        sizeof(pe_check),      sizeof(pe_operand),
        sizeof(pe_rstr),         sizeof(struct pe_regex), sizeof(rx_inst),
        sizeof(rx_range),        sizeof(pe_strset),     sizeof(pe_pmatch),
        sizeof(pe_pmpat),        sizeof(pe_format),     sizeof(pe_fmt_seg),
        sizeof(pe_fmt_field),    sizeof(pe_aho),        sizeof(pe_aho_state),
        sizeof(void *),          PE_REGION_ALIGN,       PE_OP_COUNT,
        PE_C_KIND_COUNT,         PE_XF_COUNT,           PE_OPD_KIND_COUNT};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        add_num(st, sizes[i]);
    const uint32_t order = 0x01020304; /* the byte order */
    pe_hash64_update(st, &order, sizeof(order));
}

uint64_t pe_image_build_key(void)
{
    static _Atomic uint64_t key; /* computed once; 0 is never a key */
    uint64_t k = atomic_load_explicit(&key, memory_order_relaxed);
    if (k)
        return k;
    pe_hash64_state st;
    pe_hash64_init(&st);
    add_str(&st, PE_IMAGE_MAGIC);
    add_num(&st, PE_IMAGE_FORMAT);
    add_str(&st, PREMPTI_VERSION_STRING);
    add_str(&st, PE_BUILD_SOURCES);
#ifdef __VERSION__
    add_str(&st, __VERSION__);
#endif
    add_layouts(&st);
    add_fields(&st);
    k = pe_hash64_final(&st) | 1;
    atomic_store_explicit(&key, k, memory_order_relaxed);
    return k;
}

uint64_t pe_image_options_key(const prempti_config *cfg)
{
    pe_hash64_state st;
    pe_hash64_init(&st);
    for (int i = 0; i < PE_OPT_ENGINE_COUNT; i++) {
        add_num(&st, (uint64_t)i);
        add_str(&st, pe_config_str(cfg, (pe_opt)i));
    }
    return pe_hash64_final(&st);
}
