/* Events, results as JS values, and agent responses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"

static void free_event(napi_env env, void *data, void *hint)
{
    (void)env;
    (void)hint;
    prempti_event_free(data);
}

prempti_event *pn_parse_event(napi_env env, napi_value config, napi_value payload)
{
    prempti_config *cfg = pn_unwrap(env, config, PN_CONFIG, "expected a config handle");
    bool is_buffer = false;
    char *copy = NULL;
    void *data = NULL;
    size_t len = 0;
    if (!cfg)
        return NULL;
    PN_CALL(env, napi_is_buffer(env, payload, &is_buffer));
    if (is_buffer) {
        PN_CALL(env, napi_get_buffer_info(env, payload, &data, &len));
    } else {
        PN_CALL(env, napi_get_value_string_utf8(env, payload, NULL, 0, &len));
        if (!(copy = malloc(len + 1))) {
            napi_throw_error(env, "PREMPTI_E_NOMEM", "out of memory");
            return NULL;
        }
        if (napi_get_value_string_utf8(env, payload, copy, len + 1, &len) != napi_ok) {
            free(copy);
            pn_throw_last(env);
            return NULL;
        }
        data = copy;
    }
    prempti_event *ev = NULL;
    prempti_error *err = NULL;
    int rc = prempti_event_from_json(&ev, cfg, data, len, &err);
    free(copy);
    if (rc) {
        pn_throw(env, rc, err);
        return NULL;
    }
    return ev;
}

/* eventFromJSON(config, payload) -> [handle, agent, hook]; payload a string
 * or a Buffer. */
static napi_value event_from_json(napi_env env, napi_callback_info info)
{
    pn_args a;
    prempti_event *ev;
    if (pn_get_args(env, info, &a, 2) || !(ev = pn_parse_event(env, a.argv[0], a.argv[1])))
        return NULL;
    napi_value out, agent = pn_str(env, prempti_event_agent(ev));
    napi_value hook = pn_str(env, prempti_event_hook(ev));
    napi_value handle = pn_wrap(env, PN_EVENT, ev, free_event);
    if (!handle)
        return NULL;
    PN_CALL(env, napi_create_array_with_length(env, 3, &out));
    if (!agent || !hook || napi_set_element(env, out, 0, handle) != napi_ok ||
        napi_set_element(env, out, 1, agent) != napi_ok ||
        napi_set_element(env, out, 2, hook) != napi_ok) {
        pn_throw_last(env);
        return NULL;
    }
    return out;
}

/* eventField(event, name) -> string or null */
static napi_value event_field(napi_env env, napi_callback_info info)
{
    pn_args a;
    prempti_event *ev;
    char *name = NULL, *value = NULL;
    if (pn_get_args(env, info, &a, 2) ||
        !(ev = pn_unwrap(env, a.argv[0], PN_EVENT, "expected an event handle")) ||
        !(name = pn_string(env, a.argv[1], "a field name must be a string")))
        return NULL;
    prempti_error *err = NULL;
    int rc = prempti_event_field(&value, ev, name, &err);
    free(name);
    if (rc) {
        pn_throw(env, rc, err);
        return NULL;
    }
    napi_value v = NULL;
    if (value)
        v = pn_str(env, value);
    else
        napi_get_null(env, &v);
    prempti_free(value);
    return v;
}

/* eventClose(event): frees the event now instead of when it is collected. */
static napi_value event_close(napi_env env, napi_callback_info info)
{
    pn_args a;
    if (pn_get_args(env, info, &a, 1))
        return NULL;
    prempti_event_free(pn_take(env, a.argv[0], PN_EVENT));
    return NULL;
}

/* ---- results ---- */

static napi_value number(napi_env env, double d)
{
    napi_value v = NULL;
    napi_create_double(env, d, &v);
    return v;
}

/* [rule, output, [tags], priority name, decision] */
static napi_value match_value(napi_env env, const prempti_result *r, size_t i)
{
    napi_value m, tags;
    size_t nt = prempti_result_match_tag_count(r, i);
    if (napi_create_array_with_length(env, 5, &m) != napi_ok ||
        napi_create_array_with_length(env, nt, &tags) != napi_ok)
        return NULL;
    for (size_t j = 0; j < nt; j++)
        if (napi_set_element(env, tags, (uint32_t)j,
                             pn_str(env, prempti_result_match_tag(r, i, j))) != napi_ok)
            return NULL;
    napi_value items[5] = {
        pn_str(env, prempti_result_match_rule(r, i)),
        pn_str(env, prempti_result_match_output(r, i)),
        tags,
        pn_str(env, prempti_priority_name(prempti_result_match_priority(r, i))),
        number(env, prempti_result_match_decision(r, i)),
    };
    for (uint32_t k = 0; k < 5; k++)
        if (!items[k] || napi_set_element(env, m, k, items[k]) != napi_ok)
            return NULL;
    return m;
}

static napi_value int32(napi_env env, int32_t i)
{
    napi_value v = NULL;
    napi_create_int32(env, i, &v);
    return v;
}

static napi_value matches_value(napi_env env, const prempti_result *r)
{
    napi_value matches = NULL;
    size_t n = prempti_result_match_count(r);
    if (!n) {
        napi_get_null(env, &matches);
        return matches;
    }
    if (napi_create_array_with_length(env, n, &matches) != napi_ok)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        napi_value m = match_value(env, r, i);
        if (!m || napi_set_element(env, matches, (uint32_t)i, m) != napi_ok)
            return NULL;
    }
    return matches;
}

napi_value pn_result_value(napi_env env, const prempti_result *r, int full)
{
    uint64_t id = prempti_result_correlation_id(r);
    int32_t nums[PN_SCRATCH] = {
        [PN_DECISION] = prempti_result_decision(r),
        [PN_WOULD_BE] = prempti_result_would_be(r),
        [PN_DECIDING] = (int32_t)prempti_result_deciding_match(r),
        [PN_ID_LOW] = (int32_t)(uint32_t)id,
        [PN_ID_HIGH] = (int32_t)(uint32_t)(id >> 32),
    };
    napi_value reason = pn_str(env, prempti_result_reason(r));
    napi_value matches = prempti_result_match_count(r) || full ? matches_value(env, r) : NULL;
    int32_t *scratch = full ? NULL : pn_scratch(env);
    if (!reason || (full || prempti_result_match_count(r) ? !matches : !scratch)) {
        pn_throw_last(env);
        return NULL;
    }
    if (!full) {
        memcpy(scratch, nums, sizeof(nums));
        if (!prempti_result_match_count(r))
            return reason;
    }
    napi_value out, items[2 + PN_SCRATCH] = {reason, matches};
    uint32_t count = full ? 2 + PN_SCRATCH : 2;
    for (uint32_t k = 2; k < count; k++)
        if (!(items[k] = int32(env, nums[k - 2]))) {
            pn_throw_last(env);
            return NULL;
        }
    PN_CALL(env, napi_create_array_with_length(env, count, &out));
    for (uint32_t k = 0; k < count; k++)
        PN_CALL(env, napi_set_element(env, out, k, items[k]));
    return out;
}

/* ---- responses ---- */

/* renderResponse(agent, hook, decision, reason, userText) -> [stdout, stderr,
 * exitCode] (hook "": the agent's pre-tool event; userText "": the reason). */
static napi_value render_response(napi_env env, napi_callback_info info)
{
    pn_args a;
    int32_t decision = 0;
    char *agent = NULL, *hook = NULL, *reason = NULL, *user = NULL;
    napi_value out = NULL;
    if (pn_get_args(env, info, &a, 5))
        return NULL;
    if ((agent = pn_string(env, a.argv[0], "agent must be a string")) &&
        (hook = pn_string(env, a.argv[1], "hook must be a string")) &&
        napi_get_value_int32(env, a.argv[2], &decision) == napi_ok &&
        (reason = pn_string(env, a.argv[3], "reason must be a string")) &&
        (user = pn_string(env, a.argv[4], "the user's text must be a string"))) {
        prempti_response *resp = NULL;
        prempti_error *err = NULL;
        int rc = prempti_response_render(&resp, agent, hook, decision, reason, user, &err);
        napi_value items[3];
        if (rc)
            pn_throw(env, rc, err);
        else if (!(items[0] = pn_str(env, prempti_response_stdout(resp))) ||
                 !(items[1] = pn_str(env, prempti_response_stderr(resp))) ||
                 !(items[2] = number(env, prempti_response_exit_code(resp))) ||
                 napi_create_array_with_length(env, 3, &out) != napi_ok ||
                 napi_set_element(env, out, 0, items[0]) != napi_ok ||
                 napi_set_element(env, out, 1, items[1]) != napi_ok ||
                 napi_set_element(env, out, 2, items[2]) != napi_ok) {
            out = NULL;
            pn_throw_last(env);
        }
        prempti_response_free(resp);
    }
    free(agent);
    free(hook);
    free(reason);
    free(user);
    return out;
}

napi_status pn_event_init(napi_env env, napi_value exports)
{
    napi_property_descriptor props[] = {
        {"eventFromJSON", NULL, event_from_json, NULL, NULL, NULL, napi_default, NULL},
        {"eventField", NULL, event_field, NULL, NULL, NULL, napi_default, NULL},
        {"eventClose", NULL, event_close, NULL, NULL, NULL, napi_default, NULL},
        {"renderResponse", NULL, render_response, NULL, NULL, NULL, napi_default, NULL},
    };
    return napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}
