#include "yamldoc.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fileio.h"

int pt_yaml_load(pt_yaml *y, const char *text, size_t len, const char *name, char **errmsg)
{
    memset(y, 0, sizeof(*y));
    y->name = pt_strdup(name);
    if (!y->name)
        return pt_fail(errmsg, "out of memory");
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        pt_yaml_free(y);
        return pt_fail(errmsg, "out of memory");
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    int rc = 0;
    if (!yaml_parser_load(&p, &y->doc)) {
        rc = pt_fail(errmsg, "%s:%zu:%zu: invalid YAML: %s%s%s", name, p.problem_mark.line + 1,
                     p.problem_mark.column + 1, p.context ? p.context : "", p.context ? " " : "",
                     p.problem ? p.problem : "parse error");
    } else {
        y->loaded = 1;
        yaml_document_t next;
        if (!yaml_parser_load(&p, &next)) {
            rc = pt_fail(errmsg, "%s:%zu:%zu: invalid YAML: %s", name, p.problem_mark.line + 1,
                         p.problem_mark.column + 1, p.problem ? p.problem : "parse error");
        } else {
            if (yaml_document_get_root_node(&next))
                rc = pt_fail(errmsg, "%s:%zu:%zu: only one YAML document is allowed", name,
                             next.start_mark.line + 1, next.start_mark.column + 1);
            yaml_document_delete(&next);
        }
    }
    yaml_parser_delete(&p);
    if (rc)
        pt_yaml_free(y);
    return rc;
}

void pt_yaml_free(pt_yaml *y)
{
    if (y->loaded)
        yaml_document_delete(&y->doc);
    free(y->name);
    memset(y, 0, sizeof(*y));
}

yaml_node_t *pt_yaml_root(pt_yaml *y)
{
    return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

char *pt_yaml_where(const pt_yaml *y, const yaml_node_t *n)
{
    return pt_fmt("%s:%zu:%zu", y->name, n->start_mark.line + 1, n->start_mark.column + 1);
}

const char *pt_yaml_str(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

size_t pt_yaml_map_size(const yaml_node_t *map)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return 0;
    return (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

yaml_node_t *pt_yaml_map_key(pt_yaml *y, const yaml_node_t *map, size_t i)
{
    return yaml_document_get_node(&y->doc, map->data.mapping.pairs.start[i].key);
}

yaml_node_t *pt_yaml_map_value(pt_yaml *y, const yaml_node_t *map, size_t i)
{
    return yaml_document_get_node(&y->doc, map->data.mapping.pairs.start[i].value);
}

size_t pt_yaml_seq_size(const yaml_node_t *seq)
{
    if (!seq || seq->type != YAML_SEQUENCE_NODE)
        return 0;
    return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *pt_yaml_seq_item(pt_yaml *y, const yaml_node_t *seq, size_t i)
{
    return yaml_document_get_node(&y->doc, seq->data.sequence.items.start[i]);
}

yaml_node_t *pt_yaml_get(pt_yaml *y, const yaml_node_t *map, const char *key)
{
    for (size_t i = 0; i < pt_yaml_map_size(map); i++) {
        const char *k = pt_yaml_str(pt_yaml_map_key(y, map, i));
        if (k && strcmp(k, key) == 0)
            return pt_yaml_map_value(y, map, i);
    }
    return NULL;
}

/* Fails with "where: message" for node n. */
static int fail_at(pt_yaml *y, const yaml_node_t *n, char **errmsg, const char *msg,
                   const char *arg)
{
    char *where = pt_yaml_where(y, n);
    int rc = pt_fail(errmsg, "%s: %s%s%s%s", where ? where : y->name, msg, arg ? " '" : "",
                     arg ? arg : "", arg ? "'" : "");
    free(where);
    return rc;
}

static int is_allowed(const char *const *allowed, const char *k)
{
    for (; *allowed; allowed++)
        if (strcmp(*allowed, k) == 0)
            return 1;
    return 0;
}

int pt_yaml_check_map(pt_yaml *y, const yaml_node_t *map, const char *what,
                      const char *const *allowed, char **errmsg)
{
    if (!map || map->type != YAML_MAPPING_NODE) {
        char *msg = pt_fmt("%s must be a mapping of keys to values", what);
        int rc = fail_at(y, map ? map : pt_yaml_root(y), errmsg, msg ? msg : "out of memory", NULL);
        free(msg);
        return rc;
    }
    size_t n = pt_yaml_map_size(map);
    for (size_t i = 0; i < n; i++) {
        const yaml_node_t *kn = pt_yaml_map_key(y, map, i);
        const char *k = pt_yaml_str(kn);
        if (!k)
            return fail_at(y, kn, errmsg, "a key must be a plain name", NULL);
        for (size_t j = 0; j < i; j++)
            if (strcmp(k, pt_yaml_str(pt_yaml_map_key(y, map, j))) == 0)
                return fail_at(y, kn, errmsg, "duplicate key", k);
        if (allowed && !is_allowed(allowed, k)) {
            char *msg = pt_fmt("unknown key in %s:", what);
            int rc = fail_at(y, kn, errmsg, msg ? msg : "unknown key", k);
            free(msg);
            return rc;
        }
    }
    return 0;
}

int pt_yaml_strings(pt_yaml *y, const yaml_node_t *n, const char *what, pt_strv *out, char **errmsg)
{
    if (n->type == YAML_SCALAR_NODE)
        return pt_strv_push(out, pt_yaml_str(n)) ? pt_fail(errmsg, "out of memory") : 0;
    if (n->type != YAML_SEQUENCE_NODE) {
        char *msg = pt_fmt("%s must be a string or a list of strings", what);
        int rc = fail_at(y, n, errmsg, msg ? msg : "out of memory", NULL);
        free(msg);
        return rc;
    }
    for (size_t i = 0; i < pt_yaml_seq_size(n); i++) {
        const yaml_node_t *item = pt_yaml_seq_item(y, n, i);
        if (!pt_yaml_str(item)) {
            char *msg = pt_fmt("every item of %s must be a string", what);
            int rc = fail_at(y, item, errmsg, msg ? msg : "out of memory", NULL);
            free(msg);
            return rc;
        }
        if (pt_strv_push(out, pt_yaml_str(item)))
            return pt_fail(errmsg, "out of memory");
    }
    return 0;
}

static int is_int(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

static int is_number(const char *s)
{
    char *end;
    if (!*s || strchr("+-.0123456789", *s) == NULL || strpbrk(s, "xXnNiI"))
        return 0;
    errno = 0;
    (void)strtod(s, &end);
    return *end == '\0' && errno == 0;
}

static json_object *plain_scalar(const char *s)
{
    if (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL"))
        return NULL;
    if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
        return json_object_new_boolean(1);
    if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
        return json_object_new_boolean(0);
    if (is_int(s)) {
        errno = 0;
        long long v = strtoll(s, NULL, 10);
        if (errno == 0)
            return json_object_new_int64(v);
    }
    if (is_number(s))
        return json_object_new_double_s(strtod(s, NULL), s);
    return json_object_new_string(s);
}

static int scalar_to_json(const yaml_node_t *n, json_object **out)
{
    const char *s = pt_yaml_str(n);
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
        *out = json_object_new_string_len(s, (int)n->data.scalar.length);
        return *out ? 0 : -1;
    }
    *out = plain_scalar(s);
    /* NULL is JSON null, except when it was not meant to be */
    return *out || !*s || !strcmp(s, "~") || !strcasecmp(s, "null") ? 0 : -1;
}

static int to_json(pt_yaml *y, const yaml_node_t *n, json_object **out, char **errmsg, int depth)
{
    *out = NULL;
    if (depth > 200)
        return fail_at(y, n, errmsg, "nested too deeply", NULL);
    if (++y->converted > PT_YAML_MAX_CONVERTED) {
        char *msg = pt_fmt("too large once its aliases are expanded (more than %d nodes)",
                           PT_YAML_MAX_CONVERTED);
        int rc = fail_at(y, n, errmsg, msg ? msg : "too large once its aliases are expanded", NULL);
        free(msg);
        return rc;
    }
    if (n->type == YAML_SCALAR_NODE)
        return scalar_to_json(n, out) ? pt_fail(errmsg, "out of memory") : 0;
    if (n->type == YAML_SEQUENCE_NODE) {
        json_object *a = json_object_new_array();
        for (size_t i = 0; a && i < pt_yaml_seq_size(n); i++) {
            json_object *v;
            if (to_json(y, pt_yaml_seq_item(y, n, i), &v, errmsg, depth + 1)) {
                json_object_put(a);
                return -1;
            }
            if (json_object_array_add(a, v)) {
                json_object_put(v);
                json_object_put(a);
                return pt_fail(errmsg, "out of memory");
            }
        }
        *out = a;
        return a ? 0 : pt_fail(errmsg, "out of memory");
    }
    if (pt_yaml_check_map(y, n, "a mapping", NULL, errmsg))
        return -1;
    json_object *o = json_object_new_object();
    for (size_t i = 0; o && i < pt_yaml_map_size(n); i++) {
        json_object *v;
        if (to_json(y, pt_yaml_map_value(y, n, i), &v, errmsg, depth + 1)) {
            json_object_put(o);
            return -1;
        }
        if (json_object_object_add(o, pt_yaml_str(pt_yaml_map_key(y, n, i)), v)) {
            json_object_put(v);
            json_object_put(o);
            return pt_fail(errmsg, "out of memory");
        }
    }
    *out = o;
    return o ? 0 : pt_fail(errmsg, "out of memory");
}

int pt_yaml_to_json(pt_yaml *y, const yaml_node_t *n, json_object **out, char **errmsg)
{
    return to_json(y, n, out, errmsg, 0);
}
