/*
 * YAML documents for the tools' own files (config.yaml, test case files):
 * one document loaded into a node tree that keeps every node's position,
 * so each complaint can say "file:line:col".
 */
#ifndef PT_YAMLDOC_H
#define PT_YAMLDOC_H

#include <stddef.h>
#include <yaml.h>

#include "str.h"

struct json_object;

typedef struct pt_yaml {
    yaml_document_t doc;
    int loaded;
    char *name;       /* the file name used in positions */
    size_t converted; /* nodes made by pt_yaml_to_json() so far, aliases expanded */
} pt_yaml;

/* Most nodes pt_yaml_to_json() makes from one document: aliases share
 * nodes, so a small file can stand for an exponential tree. */
#define PT_YAML_MAX_CONVERTED 200000

/* Loads text (one YAML document; none is an empty document). */
int pt_yaml_load(pt_yaml *y, const char *text, size_t len, const char *name, char **errmsg);
void pt_yaml_free(pt_yaml *y);

/* The root node; NULL for an empty document. */
yaml_node_t *pt_yaml_root(pt_yaml *y);

/* "name:line:col" of a node; NULL when out of memory. */
char *pt_yaml_where(const pt_yaml *y, const yaml_node_t *n);

/* A scalar's text (NUL-terminated); NULL for a mapping or a sequence. */
const char *pt_yaml_str(const yaml_node_t *n);

/* Number of pairs of a mapping; its i-th key and value. */
size_t pt_yaml_map_size(const yaml_node_t *map);
yaml_node_t *pt_yaml_map_key(pt_yaml *y, const yaml_node_t *map, size_t i);
yaml_node_t *pt_yaml_map_value(pt_yaml *y, const yaml_node_t *map, size_t i);

/* Number of items of a sequence; its i-th item. */
size_t pt_yaml_seq_size(const yaml_node_t *seq);
yaml_node_t *pt_yaml_seq_item(pt_yaml *y, const yaml_node_t *seq, size_t i);

/* The value of key in a mapping, or NULL. */
yaml_node_t *pt_yaml_get(pt_yaml *y, const yaml_node_t *map, const char *key);

/*
 * Checks that map is a mapping whose keys are scalars, each present once
 * and (when allowed is not NULL) one of the NULL-terminated allowed names.
 * what names the mapping in messages ("a test case").
 */
int pt_yaml_check_map(pt_yaml *y, const yaml_node_t *map, const char *what,
                      const char *const *allowed, char **errmsg);

/* A scalar, or a sequence of scalars, as a list of strings appended to out. */
int pt_yaml_strings(pt_yaml *y, const yaml_node_t *n, const char *what, pt_strv *out,
                    char **errmsg);

/*
 * Converts a node to JSON: mappings become objects, sequences arrays; a
 * plain scalar is null (null, ~, empty), a boolean (true, false), an integer
 * or a number when it reads as one, else a string; quoted scalars are always
 * strings. *out is a new json_object (json_object_put() it).
 */
int pt_yaml_to_json(pt_yaml *y, const yaml_node_t *n, struct json_object **out, char **errmsg);

#endif
