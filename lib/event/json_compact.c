#include "json_compact.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "util/jsonw.h"

typedef struct kv {
    const char *key;
    struct json_object *val;
} kv;

static int cmp_kv(const void *a, const void *b)
{
    return strcmp(((const kv *)a)->key, ((const kv *)b)->key);
}

void pe_json_compact(pe_strbuf *sb, struct json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        pe_sb_puts(sb, "null");
        break;
    case json_type_boolean:
        pe_sb_puts(sb, json_object_get_boolean(v) ? "true" : "false");
        break;
    case json_type_int:
        if (json_object_get_int64(v) == INT64_MAX)
            pe_sb_printf(sb, "%" PRIu64, json_object_get_uint64(v));
        else
            pe_sb_printf(sb, "%" PRId64, json_object_get_int64(v));
        break;
    case json_type_double: {
        /* The tokener keeps a parsed number's original text as userdata;
         * reading it (unlike json-c's own serialiser) writes nothing, so
         * this is safe during evaluation on a shared event. */
        const char *text = json_object_get_userdata(v);
        if (text)
            pe_sb_puts(sb, text);
        else
            pe_sb_printf(sb, "%.17g", json_object_get_double(v));
        break;
    }
    case json_type_string:
        pe_json_quote(sb, json_object_get_string(v), (size_t)json_object_get_string_len(v));
        break;
    case json_type_array: {
        size_t n = json_object_array_length(v);
        pe_sb_putc(sb, '[');
        for (size_t i = 0; i < n; i++) {
            if (i)
                pe_sb_putc(sb, ',');
            pe_json_compact(sb, json_object_array_get_idx(v, i));
        }
        pe_sb_putc(sb, ']');
        break;
    }
    case json_type_object: {
        size_t n = (size_t)json_object_object_length(v), i = 0;
        kv *items = n ? malloc(n * sizeof(*items)) : NULL;
        if (n && !items) {
            sb->failed = 1;
            return;
        }
        json_object_object_foreach(v, key, val)
        {
            items[i].key = key;
            items[i].val = val;
            i++;
        }
        if (n > 1)
            qsort(items, n, sizeof(*items), cmp_kv);
        pe_sb_putc(sb, '{');
        for (i = 0; i < n; i++) {
            if (i)
                pe_sb_putc(sb, ',');
            pe_json_quote(sb, items[i].key, strlen(items[i].key));
            pe_sb_putc(sb, ':');
            pe_json_compact(sb, items[i].val);
        }
        pe_sb_putc(sb, '}');
        free(items);
        break;
    }
    }
}
