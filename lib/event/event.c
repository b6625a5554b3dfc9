#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config_internal.h"
#include "error_internal.h"
#include "event/build.h"
#include "event/json_input.h"
#include "util/mem.h"
#include "util/sys.h"
#include "util/utf8.h"

int pe_build_set(pe_build *b, pe_view *v, pe_field_id id, const char *s, size_t len)
{
    char *d = pe_arena_strndup(&b->ev->arena, s ? s : "", s ? len : 0);
    if (!d)
        return -1;
    v->v[id].str.s = d;
    v->v[id].str.len = s ? len : 0;
    v->present[id] = 1;
    return 0;
}

int pe_build_set_cstr(pe_build *b, pe_view *v, pe_field_id id, const char *s)
{
    return pe_build_set(b, v, id, s, s ? strlen(s) : 0);
}

void pe_build_set_num(pe_view *v, pe_field_id id, uint64_t n)
{
    v->v[id].num = n;
    v->present[id] = 1;
}

int pe_build_oom(pe_build *b)
{
    return pe_fail(b->err, PREMPTI_E_NOMEM, "", "out of memory");
}

int pe_build_own(pe_build *b, json_object *obj)
{
    prempti_event *ev = b->ev;
    if (PE_PUSH(ev->owned, ev->owned_count, ev->owned_cap, obj)) {
        json_object_put(obj);
        return -1;
    }
    return 0;
}

int pe_build_adopt(pe_build *b, pe_view *v, pe_field_id id, pe_strbuf *sb)
{
    prempti_event *ev = b->ev;
    size_t len = sb->len;
    char *s = pe_sb_take(sb); /* NULL after a failed append */
    if (!s || PE_PUSH(ev->bufs, ev->buf_count, ev->buf_cap, s)) {
        free(s);
        return -1;
    }
    v->v[id].str.s = s;
    v->v[id].str.len = len;
    v->present[id] = 1;
    return 0;
}

const char *pe_json_str(json_object *obj, const char *key, size_t *len)
{
    json_object *v;
    if (!obj || !json_object_is_type(obj, json_type_object) ||
        !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    if (len)
        *len = (size_t)json_object_get_string_len(v);
    return json_object_get_string(v);
}

static uint64_t new_correlation_id(void)
{
    uint64_t id = 0;
    while (id == 0) {
        if (pe_sys_random(&id, sizeof(id)) != 0) {
            /* Entropy is unavailable: fall back to time and address bits,
             * which are unique enough for correlating log lines. */
            int64_t sec;
            long nsec;
            pe_sys_now(&sec, &nsec);
            id = ((uint64_t)sec << 32) ^ (uint64_t)nsec ^ (uint64_t)(uintptr_t)&sec;
        }
    }
    return id;
}

static int set_generic_fields(pe_build *b)
{
    pe_view *v = b->base;
    int64_t sec;
    long nsec;
    pe_sys_now(&sec, &nsec);
    uint64_t ns = (uint64_t)sec * 1000000000ULL + (uint64_t)nsec;
    pe_build_set_num(v, PE_F_EVT_TIME, ns);
    pe_build_set_num(v, PE_F_EVT_TIME_S, (uint64_t)sec);
    struct tm tm;
    char iso[64] = "";
    size_t n = pe_sys_gmtime((time_t)sec, &tm) == 0
                   ? strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%S", &tm)
                   : 0;
    snprintf(iso + n, sizeof(iso) - n, ".%09ldZ", nsec);
    char host[256];
    pe_sys_hostname(host, sizeof(host));
#if defined(__linux__)
    const char *os = "linux";
#elif defined(__APPLE__)
    const char *os = "macos";
#elif defined(_WIN32)
    const char *os = "windows";
#else
    const char *os = "unknown";
#endif
    pe_build_set_num(v, PE_F_CORRELATION_ID, b->ev->correlation_id);
    pe_build_set_num(v, PE_F_AGENT_PID, (uint64_t)pe_config_int(b->cfg, PE_OPT_AGENT_PID));
    if (pe_build_set_cstr(b, v, PE_F_EVT_TIME_ISO8601, iso) ||
        pe_build_set_cstr(b, v, PE_F_EVT_HOSTNAME, host) ||
        pe_build_set_cstr(b, v, PE_F_EVT_SOURCE, "coding_agent") ||
        pe_build_set_cstr(b, v, PE_F_AGENT_OS, os) ||
        pe_build_set_cstr(b, v, PE_F_AGENT_HOME, b->home))
        return -1;
    return 0;
}

/* Every string field without a value reads as "" and every number as 0,
 * as upstream does, so `!= ""` works on all of them. */
static void default_fields(pe_view *v)
{
    for (int i = 0; i < PE_F_COUNT; i++) {
        const pe_field_def *d = pe_field((pe_field_id)i);
        if (v->present[i] || d->lazy || d->arg == PE_ARG_REQUIRED || d->type == PE_FT_LIST)
            continue;
        if (d->type == PE_FT_STRING) {
            v->v[i].str.s = "";
            v->v[i].str.len = 0;
        }
        v->present[i] = 1;
    }
}

static int check_input(const char *json, size_t len, const prempti_config *cfg, prempti_error **err)
{
    int64_t max = pe_config_int(cfg, PE_OPT_MAX_EVENT_BYTES);
    if (len == 0)
        return pe_fail(err, PREMPTI_E_JSON, "EVENT_EMPTY", "the event payload is empty");
    if ((int64_t)len > max)
        return pe_fail(err, PREMPTI_E_LIMIT, "EVENT_TOO_LARGE",
                       "the event payload is %zu bytes, more than max_event_bytes (%lld)", len,
                       (long long)max);
    const char *nul = memchr(json, '\0', len);
    if (nul)
        return pe_fail(err, PREMPTI_E_JSON, "EVENT_NUL_BYTE",
                       "the event payload contains a NUL byte at offset %zu", (size_t)(nul - json));
    size_t bad = pe_utf8_check(json, len);
    if (bad != len)
        return pe_fail(err, PREMPTI_E_JSON, "EVENT_INVALID_UTF8",
                       "the event payload is not valid UTF-8 (offset %zu)", bad);
    return PREMPTI_OK;
}

/* The options of one event build; HOME is read here, once per event. */
static void read_options(pe_build *b)
{
    b->home = pe_config_str(b->cfg, PE_OPT_HOME);
    if (!b->home[0]) {
        const char *env = getenv("HOME");
        b->home = env ? env : "";
    }
    b->lexical = pe_config_choice(b->cfg, PE_OPT_PATHS) == PE_PATHS_LEXICAL;
    b->max_depth = (int)pe_config_int(b->cfg, PE_OPT_MAX_JSON_DEPTH);
}

static int build(pe_build *b, const char *json, size_t len)
{
    int rc = pe_json_parse(&b->ev->root, json, len, b->max_depth, 0, "the event payload", b->err);
    if (rc)
        return rc;
    if (!json_object_is_type(b->ev->root, json_type_object))
        return pe_fail(b->err, PREMPTI_E_EVENT, "EVENT_NOT_OBJECT",
                       "the event payload is not a JSON object");
    b->payload = b->ev->root;
    if ((rc = pe_dialect_apply(b, pe_config_str(b->cfg, PE_OPT_AGENT))))
        return rc;
    if (set_generic_fields(b))
        return pe_build_oom(b);
    if ((rc = pe_tool_apply(b)))
        return rc;
    for (size_t i = 0; i < b->ev->view_count; i++)
        default_fields(&b->ev->views[i]);
    return PREMPTI_OK;
}

int prempti_event_from_json(prempti_event **out, const prempti_config *cfg, const char *json,
                            size_t len, prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!out)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "out is NULL");
    *out = NULL;
    if (!json)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "json is NULL");
    int rc = check_input(json, len, cfg, err);
    if (rc)
        return rc;

    prempti_event *ev = calloc(1, sizeof(*ev));
    pe_view *base = calloc(1, sizeof(*base));
    if (!ev || !base) {
        free(ev);
        free(base);
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    }
    ev->views = base;
    ev->view_count = 1;
    ev->correlation_id = new_correlation_id();
    pe_build b = {ev, base, cfg, err, NULL, NULL, "", 0, 64, 0, NULL};
    read_options(&b);
    rc = build(&b, json, len);
    if (rc) {
        prempti_event_free(ev);
        return rc;
    }
    *out = ev;
    return PREMPTI_OK;
}

prempti_event *pe_event_ref(const prempti_event *ev)
{
    prempti_event *e = (prempti_event *)(uintptr_t)ev; /* the count is not the event's value */
    atomic_fetch_add_explicit(&e->extra_refs, 1, memory_order_relaxed);
    return e;
}

void prempti_event_free(prempti_event *ev)
{
    if (!ev)
        return;
    /* Another holder remains: the last one frees the event. */
    if (atomic_fetch_sub_explicit(&ev->extra_refs, 1, memory_order_acq_rel) != 0)
        return;
    for (size_t i = 0; i < ev->owned_count; i++)
        json_object_put(ev->owned[i]);
    free(ev->owned);
    for (size_t i = 0; i < ev->buf_count; i++)
        free(ev->bufs[i]);
    free(ev->bufs);
    json_object_put(ev->root);
    free(ev->views);
    pe_arena_free(&ev->arena);
    free(ev);
}

const char *prempti_event_agent(const prempti_event *ev)
{
    return ev && ev->agent ? ev->agent : "";
}

const char *prempti_event_hook(const prempti_event *ev)
{
    return ev && ev->hook ? ev->hook : "";
}
