/*
 * Falco's decode_val() / decode_seq() over our YAML tree: the value of a
 * key as yaml-cpp would convert it (booleans, unsigned integers, strings,
 * sequences of strings), with Falco's generic validation messages, each
 * reported at the offending node.
 */
#ifndef PE_RULES_DECODE_H
#define PE_RULES_DECODE_H

#include "rules/collector.h"
#include "rules/reader.h"
#include "rules/ytree.h"

#define YAML_VALIDATE "LOAD_ERR_YAML_VALIDATE"

/* The reader's state while reading one file. */
typedef struct pe_rd {
    pe_collector *c;
    pe_ldiag *d;
    const char *text;
    const pe_srcfile *f;
    const pe_read_limits *lim;
    pe_item it; /* the item being read */
} pe_rd;

int pe_rd_error(pe_rd *r, pe_pos at, const char *msg);
int pe_rd_nomem(pe_rd *r);
const char *pe_rd_dup(pe_rd *r, const pe_ynode *v);

/*
 * The value of key in map: 1 with *out set when it is a non-empty scalar,
 * 0 when it is absent and optional, or a negative status (Falco's
 * messages: no mapping, empty mapping, not a scalar, empty value). ctx is
 * where "no mapping" is reported.
 */
int pe_rd_value(pe_rd *r, const pe_ynode *map, const pe_ynode *ctx, const char *key, int optional,
                const pe_ynode **out);
int pe_rd_string(pe_rd *r, const pe_ynode *map, const char *key, int optional, const char **out);
int pe_rd_bool(pe_rd *r, const pe_ynode *map, const char *key, int optional, int *out);
int pe_rd_uint(pe_rd *r, const pe_ynode *map, const char *key, uint64_t *out);
/* The value with its source map (conditions, outputs). */
int pe_rd_mtext(pe_rd *r, const pe_ynode *map, const char *key, int optional, const pe_mtext **out);
/* A sequence of scalars (items, tags); *seq_out is the sequence node. */
int pe_rd_strings(pe_rd *r, const pe_ynode *map, const char *key, int optional,
                  const pe_ynode **seq_out);
int pe_rd_tags(pe_rd *r, const pe_ynode *map, const char ***tags, size_t *n);
/* The item's name (rule: x); later diagnostics name the item by it. */
int pe_rd_name(pe_rd *r, const pe_ynode *item, const char *key, const char **out);
int pe_rd_check_name(pe_rd *r, const pe_ynode *v);
/* LOAD_UNKNOWN_KEY warnings for keys not in the NULL-terminated keys. */
int pe_rd_unknown_keys(pe_rd *r, const pe_ynode *map, const char *const *keys);
/* Drops leading and trailing white space, keeping positions. */
int pe_rd_trim(pe_rd *r, pe_mtext *t);

/* yaml-cpp's conversions: 0, or -1 when s is not such a value. */
int pe_decode_bool(const char *s, int *out);
int pe_decode_uint(const char *s, uint64_t max, uint64_t *out);

#endif
