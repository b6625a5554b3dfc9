#include "codextrust.h"

#include <ctype.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "sha256.h"

/* Codex's home as Codex computes it: $CODEX_HOME made canonical, else
 * ~/.codex as it is spelled. */
static char *codex_home(char **errmsg)
{
    const char *env = getenv("CODEX_HOME"), *home = getenv("HOME");
    char buf[PATH_MAX];
    if (env && env[0])
        return pt_strdup(realpath(env, buf) ? buf : env);
    if (home && home[0])
        return pt_fmt("%s/.codex", home);
    pt_fail(errmsg, "HOME is not set: cannot find Codex's configuration");
    return NULL;
}

static char *in_codex_home(const char *name, char **errmsg)
{
    char *dir = codex_home(errmsg), *path = dir ? pt_fmt("%s/%s", dir, name) : NULL;
    free(dir);
    return path;
}

char *pt_codex_config_toml(char **errmsg)
{
    return in_codex_home("config.toml", errmsg);
}

char *pt_codex_hooks_key_path(char **errmsg)
{
    return in_codex_home("hooks.json", errmsg);
}

/* "PreToolUse" -> "pre_tool_use", Codex's label for the event in keys. */
static char *event_label(const char *event)
{
    pt_strv parts = {0};
    char *out = NULL, *word = malloc(strlen(event) + 1);
    size_t n = 0;
    for (const char *p = event; word; p++) {
        if ((!*p || isupper((unsigned char)*p)) && n) {
            word[n] = '\0';
            if (pt_strv_push(&parts, word))
                break;
            n = 0;
        }
        if (!*p) {
            out = pt_strv_join(&parts, "_");
            break;
        }
        word[n++] = (char)tolower((unsigned char)*p);
    }
    free(word);
    pt_strv_clear(&parts);
    return out;
}

char *pt_codex_hook_key(const char *hooks_path, const char *event, size_t group, size_t index)
{
    char *label = event_label(event);
    char *key = label ? pt_fmt("%s:%s:%zu:%zu", hooks_path, label, group, index) : NULL;
    free(label);
    return key;
}

/* s as serde_json writes a string: quotes, backslashes and control
 * characters escaped, everything else (including '/' and UTF-8) as is. */
static void json_str(pt_strv *out, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t len = strlen(s), n = 0;
    char *buf = malloc(len * 6 + 3);
    if (!buf) {
        pt_strv_take(out, NULL);
        return;
    }
    buf[n++] = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        const char *esc = *p == '"'    ? "\\\""
                          : *p == '\\' ? "\\\\"
                          : *p == '\n' ? "\\n"
                          : *p == '\r' ? "\\r"
                          : *p == '\t' ? "\\t"
                          : *p == '\b' ? "\\b"
                          : *p == '\f' ? "\\f"
                                       : NULL;
        if (esc) {
            memcpy(buf + n, esc, 2);
            n += 2;
        } else if (*p < 0x20) {
            memcpy(buf + n, "\\u00", 4);
            buf[n + 4] = hex[*p >> 4];
            buf[n + 5] = hex[*p & 15];
            n += 6;
        } else {
            buf[n++] = (char)*p;
        }
    }
    buf[n++] = '"';
    buf[n] = '\0';
    pt_strv_take(out, buf);
}

static const char *member_str(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}

char *pt_codex_hook_hash(const char *event, const char *matcher, json_object *handler)
{
    /* Codex's normalised identity, keys sorted: the handler with its
     * defaults filled in (async false, timeout 600, at least 1) */
    json_object *v;
    int async = json_object_object_get_ex(handler, "async", &v) && json_object_get_boolean(v);
    int64_t timeout =
        json_object_object_get_ex(handler, "timeout", &v) ? json_object_get_int64(v) : 600;
    const char *command = member_str(handler, "command"),
               *status = member_str(handler, "statusMessage");
    char *label = event_label(event);
    pt_strv parts = {0};
    json_str(&parts, label ? label : "");
    json_str(&parts, command ? command : "");
    json_str(&parts, matcher ? matcher : "");
    json_str(&parts, status ? status : "");
    char *text = NULL;
    if (parts.count == 4 && label && parts.items[0] && parts.items[1] && parts.items[2] &&
        parts.items[3])
        text = pt_fmt("{\"event_name\":%s,\"hooks\":[{\"async\":%s,\"command\":%s%s%s,"
                      "\"timeout\":%lld,\"type\":\"command\"}]%s%s}",
                      parts.items[0], async ? "true" : "false", parts.items[1],
                      status ? ",\"statusMessage\":" : "", status ? parts.items[3] : "",
                      (long long)(timeout < 1 ? 1 : timeout), matcher ? ",\"matcher\":" : "",
                      matcher ? parts.items[2] : "");
    char hex[65], *hash = NULL;
    if (text) {
        pt_sha256_hex(text, strlen(text), hex);
        hash = pt_fmt("sha256:%s", hex);
    }
    free(text);
    free(label);
    pt_strv_clear(&parts);
    return hash;
}

/* ---- config.toml, line by line ---- */

typedef struct lines {
    pt_strv v;
} lines;

static int split(lines *L, const char *text)
{
    memset(L, 0, sizeof(*L));
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        if (pt_strv_take(&L->v, pt_fmt("%.*s", (int)n, p)))
            return -1;
        p += n + (p[n] == '\n');
    }
    return 0;
}

static const char *trim(const char *s)
{
    return s + strspn(s, " \t");
}

static int is_header(const char *line)
{
    return trim(line)[0] == '[';
}

/* Whether the trimmed line is the assignment of key (key, blanks, '='). */
static int assigns(const char *line, const char *key)
{
    const char *t = trim(line);
    size_t n = strlen(key);
    return strncmp(t, key, n) == 0 && (t[n] == '=' || t[n] == ' ' || t[n] == '\t') &&
           trim(t + n)[0] == '=';
}

/* Whether line assigns key with '.' after it (a dotted key). */
static int dotted(const char *line, const char *key)
{
    const char *t = trim(line);
    size_t n = strlen(key);
    return strncmp(t, key, n) == 0 && trim(t + n)[0] == '.';
}

static int same_header(const char *line, const char *header)
{
    const char *t = trim(line);
    size_t n = strlen(header);
    return strncmp(t, header, n) == 0 && trim(t + n)[0] == '\0';
}

static size_t table_end(const lines *L, size_t header)
{
    size_t i = header + 1;
    while (i < L->v.count && !is_header(L->v.items[i]))
        i++;
    return i;
}

/* The table header of a key ([hooks.state."KEY"]), KEY as a TOML string. */
static char *header_of(const char *key)
{
    pt_strv q = {0};
    json_str(&q, key);
    char *h = q.count && q.items[0] ? pt_fmt("[hooks.state.%s]", q.items[0]) : NULL;
    pt_strv_clear(&q);
    return h;
}

static long find_header(const lines *L, const char *header)
{
    for (size_t i = 0; i < L->v.count; i++)
        if (same_header(L->v.items[i], header))
            return (long)i;
    return -1;
}

/* A file that sets hooks or hooks.state in another form (an inline table,
 * dotted keys, the key spelled differently) cannot take a new table. */
static int check_editable(const lines *L, const char *header, const char *quoted, char **errmsg)
{
    int root = 1, in_hooks = 0;
    for (size_t i = 0; i < L->v.count; i++) {
        const char *line = L->v.items[i];
        if (is_header(line)) {
            root = 0;
            in_hooks = same_header(line, "[hooks]");
        }
        if ((root && (assigns(line, "hooks") || dotted(line, "hooks"))) ||
            (in_hooks && (assigns(line, "state") || dotted(line, "state"))) ||
            (strstr(line, quoted) && !same_header(line, header)))
            return pt_fail(errmsg,
                           "line %zu sets Codex's hook state in a form prempti does not edit; "
                           "trust the hook in Codex (/hooks) instead",
                           i + 1);
    }
    return 0;
}

static int set_trust(lines *L, const char *key, const char *hash, char **errmsg)
{
    pt_strv q = {0};
    json_str(&q, key);
    char *header = header_of(key), *line = pt_fmt("trusted_hash = \"%s\"", hash);
    int rc = header && line && q.items && q.items[0] ? 0 : pt_fail(errmsg, "out of memory");
    if (!rc)
        rc = check_editable(L, header, q.items[0], errmsg);
    long h = rc ? -1 : find_header(L, header);
    if (!rc && h >= 0) {
        size_t end = table_end(L, (size_t)h), i = (size_t)h + 1;
        while (i < end && !assigns(L->v.items[i], "trusted_hash"))
            i++;
        if (i < end) {
            free(L->v.items[i]);
            L->v.items[i] = line;
            line = NULL;
        } else {
            rc = pt_strv_take(&L->v, line) ? pt_fail(errmsg, "out of memory") : 0;
            line = NULL;
            /* move the new last line up under the header */
            if (!rc) {
                char *moved = L->v.items[L->v.count - 1];
                memmove(&L->v.items[h + 2], &L->v.items[h + 1],
                        (L->v.count - 2 - (size_t)h) * sizeof(char *));
                L->v.items[h + 1] = moved;
            }
        }
    } else if (!rc) {
        int blank = L->v.count > 0 && trim(L->v.items[L->v.count - 1])[0] != '\0';
        if ((blank && pt_strv_push(&L->v, "")) || pt_strv_take(&L->v, header) ||
            pt_strv_take(&L->v, line))
            rc = pt_fail(errmsg, "out of memory");
        header = line = NULL;
    }
    free(header);
    free(line);
    pt_strv_clear(&q);
    return rc;
}

static void remove_lines(lines *L, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        free(L->v.items[i]);
    memmove(&L->v.items[from], &L->v.items[to], (L->v.count - to) * sizeof(char *));
    L->v.count -= to - from;
}

static int clear_trust(lines *L, const char *key, char **errmsg)
{
    char *header = header_of(key);
    if (!header)
        return pt_fail(errmsg, "out of memory");
    long h = find_header(L, header);
    free(header);
    if (h < 0)
        return 0;
    size_t from = (size_t)h, end = table_end(L, from);
    /* a table at the end takes the blank line that set it apart with it */
    while (end == L->v.count && from > 0 && trim(L->v.items[from - 1])[0] == '\0')
        from--;
    remove_lines(L, from, end);
    return 0;
}

char *pt_codex_trust_edit(const char *text, const pt_strv *keys, const pt_strv *hashes,
                          char **errmsg)
{
    lines L;
    int rc = split(&L, text) ? pt_fail(errmsg, "out of memory") : 0;
    for (size_t i = 0; !rc && i < keys->count; i++)
        rc = hashes ? set_trust(&L, keys->items[i], hashes->items[i], errmsg)
                    : clear_trust(&L, keys->items[i], errmsg);
    char *joined = rc ? NULL : pt_strv_join(&L.v, "\n");
    char *out = joined ? pt_fmt("%s%s", joined, L.v.count ? "\n" : "") : NULL;
    if (!rc && !out)
        pt_fail(errmsg, "out of memory");
    free(joined);
    pt_strv_clear(&L.v);
    return out;
}

/* The text of a line's quoted value ("..." after '='), a new string. */
static char *quoted_value(const char *line)
{
    const char *q = strchr(line, '"'), *end = q ? strchr(q + 1, '"') : NULL;
    return end ? pt_fmt("%.*s", (int)(end - q - 1), q + 1) : NULL;
}

static const char *value_of(const char *line)
{
    return trim(strchr(line, '=') + 1);
}

int pt_codex_trust_state(const char *text, const char *key, const char *hash, int *other)
{
    lines L;
    char *header = header_of(key);
    int state = 0;
    *other = 0;
    if (header && split(&L, text) == 0) {
        long h = find_header(&L, header);
        size_t end = h >= 0 ? table_end(&L, (size_t)h) : 0;
        for (size_t i = h >= 0 ? (size_t)h + 1 : 0; i < end; i++) {
            const char *line = L.v.items[i];
            if (assigns(line, "enabled") && strncmp(value_of(line), "false", 5) == 0) {
                state = -1;
                break;
            }
            if (assigns(line, "trusted_hash")) {
                char *v = quoted_value(line);
                state = v && strcmp(v, hash) == 0;
                *other = v && !state;
                free(v);
            }
        }
        pt_strv_clear(&L.v);
    }
    free(header);
    return state;
}

int pt_codex_hooks_disabled(const char *text)
{
    lines L;
    int off = 0, in_features = 0, root = 1;
    if (split(&L, text))
        return 0;
    for (size_t i = 0; i < L.v.count && !off; i++) {
        const char *line = L.v.items[i], *t = trim(line);
        if (is_header(line)) {
            root = 0;
            in_features = same_header(line, "[features]");
            continue;
        }
        if (in_features && (assigns(line, "hooks") || assigns(line, "codex_hooks")))
            off = strncmp(value_of(line), "false", 5) == 0;
        if (root &&
            (strncmp(t, "features.hooks", 14) == 0 ||
             strncmp(t, "features.codex_hooks", 20) == 0) &&
            strchr(t, '='))
            off = strncmp(value_of(t), "false", 5) == 0;
    }
    pt_strv_clear(&L.v);
    return off;
}
