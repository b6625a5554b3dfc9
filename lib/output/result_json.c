/*
 * prempti_result_to_json(): a result as one JSON object, for harnesses,
 * bindings and the `prempti eval` command.
 */
#include "output/result_json.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "error_internal.h"
#include "prempti/response.h"
#include "util/sys.h"

void pe_iso8601(char buf[PE_ISO8601_SIZE], uint64_t ns)
{
    time_t secs = (time_t)(ns / 1000000000u);
    struct tm tm;
    size_t n = 0;
    if (pe_sys_gmtime(secs, &tm) == 0)
        n = strftime(buf, PE_ISO8601_SIZE, "%Y-%m-%dT%H:%M:%S", &tm);
    if (n == 0) /* a year strftime cannot print: keep the text well-formed */
        n = (size_t)snprintf(buf, PE_ISO8601_SIZE, "1970-01-01T00:00:00");
    snprintf(buf + n, PE_ISO8601_SIZE - n, ".%09" PRIu64 "Z", ns % 1000000000u);
}

static void key_str(pe_jw *w, const char *key, const char *value)
{
    pe_jw_key(w, key);
    pe_jw_cstr(w, value);
}

void pe_out_common(pe_jw *w, const prempti_result *r)
{
    char id[24];
    snprintf(id, sizeof(id), "%" PRIu64, r->correlation_id);
    key_str(w, "decision", prempti_decision_name(r->decision));
    key_str(w, "would_be", prempti_decision_name(r->would_be));
    key_str(w, "mode", r->monitor ? "monitor" : "guardrails");
    key_str(w, "reason", r->reason ? r->reason : "");
    /* A string: a random 64-bit id does not survive a double (JavaScript, jq). */
    key_str(w, "correlation_id", id);
    key_str(w, "agent", r->agent);
    key_str(w, "hook_event", r->hook);
    key_str(w, "session_id", r->session_id);
    pe_jw_key(w, "tool");
    pe_jw_obj_begin(w);
    key_str(w, "name", r->tool_name);
    key_str(w, "use_id", r->tool_use_id);
    pe_jw_obj_end(w);
    key_str(w, "cwd", r->cwd);
    pe_jw_key(w, "deciding_match");
    if (r->deciding < 0)
        pe_jw_null(w);
    else
        pe_jw_i64(w, r->deciding);
    key_str(w, "deciding_rule", r->deciding < 0 ? NULL : pe_match_rule(r, (size_t)r->deciding));
}

void pe_out_field_value(pe_jw *w, const pe_ofield *f)
{
    if (!f->present) {
        pe_jw_null(w);
        return;
    }
    switch (f->type) {
    case PE_FT_STRING:
        pe_jw_str(w, f->value.str.s, f->value.str.len);
        break;
    case PE_FT_U64:
        pe_jw_u64(w, f->value.num);
        break;
    case PE_FT_BOOL:
        pe_jw_bool(w, f->value.num != 0);
        break;
    case PE_FT_LIST:
        pe_jw_arr_begin(w);
        for (size_t i = 0; i < f->value.nitems; i++)
            pe_jw_str(w, f->value.items[i].s, f->value.items[i].len);
        pe_jw_arr_end(w);
        break;
    }
}

int pe_out_take(char **out, pe_strbuf *sb, prempti_error **err)
{
    *out = pe_sb_take(sb);
    if (!*out) {
        pe_sb_free(sb);
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    }
    return PREMPTI_OK;
}

/* Match i; PREMPTI_E_NOMEM when its output or fields could not be
 * rendered. */
static int write_match(pe_jw *w, const prempti_result *r, size_t i)
{
    const pe_match *m = &r->matches[i];
    const char *output = pe_match_output(r, i);
    const pe_ofield *fields;
    size_t nfields;
    if (!output || pe_match_fields(r, i, &fields, &nfields))
        return PREMPTI_E_NOMEM;
    pe_jw_obj_begin(w);
    key_str(w, "rule", pe_match_rule(r, i));
    key_str(w, "priority", prempti_priority_name(m->priority));
    key_str(w, "decision", prempti_decision_name(m->decision));
    pe_jw_key(w, "tags");
    pe_jw_arr_begin(w);
    for (size_t j = 0; j < pe_match_tag_count(r, i); j++)
        pe_jw_cstr(w, pe_match_tag(r, i, j));
    pe_jw_arr_end(w);
    key_str(w, "output", output);
    pe_jw_key(w, "output_fields");
    pe_jw_obj_begin(w);
    for (size_t j = 0; j < nfields; j++) {
        pe_jw_key(w, fields[j].key);
        pe_out_field_value(w, &fields[j]);
    }
    pe_jw_obj_end(w);
    pe_jw_obj_end(w);
    return 0;
}

int prempti_result_to_json(char **out, const prempti_result *r, prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!out)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "out is NULL");
    *out = NULL;
    if (!r)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "result is NULL");
    pe_strbuf sb = PE_STRBUF_INIT;
    pe_jw w;
    pe_jw_init(&w, &sb);
    pe_jw_obj_begin(&w);
    pe_out_common(&w, r);
    pe_jw_key(&w, "matches");
    pe_jw_arr_begin(&w);
    for (size_t i = 0; i < r->nmatches; i++) {
        if (write_match(&w, r, i)) {
            pe_sb_free(&sb);
            return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
        }
    }
    pe_jw_arr_end(&w);
    pe_jw_obj_end(&w);
    return pe_out_take(out, &sb, err);
}
