/*
 * Audit records: one JSON line per evaluation, whose matches have the shape
 * of Falco's JSON alerts (so falcosidekick-style tooling can forward them),
 * and appending such a line to a log shared by many hook processes.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error_internal.h"
#include "output/result_json.h"
#include "prempti/response.h"
#include "util/sys.h"

/* Fields every upstream alert carries besides the rule's own: the prefix
 * field of Falco's output line (time_format_iso_8601) and correlation.id,
 * which the upstream plugin declares as an output field. */
static size_t falco_extra_fields(pe_ofield extra[2], const prempti_result *r, const char *iso)
{
    memset(extra, 0, 2 * sizeof(*extra));
    extra[0].key = "correlation.id";
    extra[0].present = 1;
    extra[0].type = PE_FT_U64;
    extra[0].value.num = r->correlation_id;
    extra[1].key = "evt.time.iso8601";
    extra[1].present = 1;
    extra[1].type = PE_FT_STRING;
    extra[1].value.str.s = iso;
    extra[1].value.str.len = strlen(iso);
    return 2;
}

/* The rule's fields and the extra ones, merged in key order (Falco's JSON
 * objects are sorted maps); a rule's own field wins over an extra one. */
static void write_falco_fields(pe_jw *w, const pe_ofield *fields, size_t nfields,
                               const pe_ofield *extra, size_t nx)
{
    size_t i = 0, j = 0;
    pe_jw_obj_begin(w);
    while (i < nfields || j < nx) {
        int c = i == nfields ? 1 : j == nx ? -1 : strcmp(fields[i].key, extra[j].key);
        const pe_ofield *f = c <= 0 ? &fields[i++] : &extra[j++];
        if (c == 0)
            j++;
        pe_jw_key(w, f->key);
        pe_out_field_value(w, f);
    }
    pe_jw_obj_end(w);
}

/* Match i as Falco's JSON alert, keys in Falco's order; PREMPTI_E_NOMEM
 * when its output or fields could not be rendered. */
static int write_falco_alert(pe_jw *w, const prempti_result *r, size_t i, const char *event_time,
                             pe_strbuf *scratch)
{
    const pe_match *m = &r->matches[i];
    const char *priority = prempti_priority_name(m->priority);
    const char *output = pe_match_output(r, i);
    const pe_ofield *fields;
    size_t nfields;
    if (!output || pe_match_fields(r, i, &fields, &nfields))
        return PREMPTI_E_NOMEM;
    pe_ofield extra[2];
    size_t nx = falco_extra_fields(extra, r, event_time);
    pe_sb_reset(scratch);
    pe_sb_printf(scratch, "%s: %s %s", event_time, priority ? priority : "", output);
    pe_jw_obj_begin(w);
    pe_jw_key(w, "hostname");
    pe_jw_cstr(w, r->hostname);
    pe_jw_key(w, "output");
    pe_jw_str(w, pe_sb_str(scratch), scratch->len);
    pe_jw_key(w, "output_fields");
    write_falco_fields(w, fields, nfields, extra, nx);
    pe_jw_key(w, "priority");
    pe_jw_cstr(w, priority);
    pe_jw_key(w, "rule");
    pe_jw_cstr(w, pe_match_rule(r, i));
    pe_jw_key(w, "source");
    pe_jw_cstr(w, "coding_agent");
    pe_jw_key(w, "tags");
    pe_jw_arr_begin(w);
    for (size_t j = 0; j < pe_match_tag_count(r, i); j++)
        pe_jw_cstr(w, pe_match_tag(r, i, j));
    pe_jw_arr_end(w);
    pe_jw_key(w, "time");
    pe_jw_cstr(w, event_time);
    pe_jw_obj_end(w);
    return 0;
}

static uint64_t now_ns(void)
{
    int64_t sec;
    long nsec;
    pe_sys_now(&sec, &nsec);
    return (uint64_t)sec * 1000000000u + (uint64_t)nsec;
}

int prempti_audit_record(char **out, const prempti_result *r, uint64_t latency_ns,
                         prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!out)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "out is NULL");
    *out = NULL;
    if (!r)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "result is NULL");
    char now[PE_ISO8601_SIZE], event_time[PE_ISO8601_SIZE];
    pe_iso8601(now, now_ns());
    pe_iso8601(event_time, r->event_time_ns);
    pe_strbuf sb = PE_STRBUF_INIT, scratch = PE_STRBUF_INIT;
    pe_jw w;
    pe_jw_init(&w, &sb);
    pe_jw_obj_begin(&w);
    pe_jw_key(&w, "time");
    pe_jw_cstr(&w, now);
    pe_out_common(&w, r);
    pe_jw_key(&w, "latency_ns");
    pe_jw_u64(&w, latency_ns);
    pe_jw_key(&w, "matches");
    pe_jw_arr_begin(&w);
    int oom = 0;
    for (size_t i = 0; !oom && i < r->nmatches; i++)
        oom = write_falco_alert(&w, r, i, event_time, &scratch) != 0;
    pe_jw_arr_end(&w);
    pe_jw_obj_end(&w);
    pe_sb_putc(&sb, '\n');
    oom |= pe_sb_failed(&scratch);
    pe_sb_free(&scratch);
    if (oom) {
        pe_sb_free(&sb);
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    }
    return pe_out_take(out, &sb, err);
}

/* ---- appending ---- */

static int check_record(const char *record, size_t len, prempti_error **err)
{
    if (len == 0 || record[len - 1] != '\n')
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "",
                       "an audit record must be one line ending in a newline");
    if (memchr(record, '\n', len - 1))
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "",
                       "an audit record must be one line (it contains a newline before its end)");
    if (len > SSIZE_MAX)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "the audit record is too large");
    return PREMPTI_OK;
}

/* One write(2) of the whole record: with O_APPEND the kernel places it at
 * the end in one piece, so concurrent appenders never interleave. A second
 * write could land after another process's record, so a short write is an
 * error rather than something to continue. */
static int write_once(int fd, const char *path, const char *record, size_t len, prempti_error **err)
{
    char eb[128];
    ssize_t n;
    do
        n = write(fd, record, len);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return pe_fail(err, PREMPTI_E_IO, "AUDIT_WRITE", "cannot append to audit log '%s': %s",
                       path, pe_sys_strerror(errno, eb, sizeof(eb)));
    if ((size_t)n != len)
        return pe_fail(err, PREMPTI_E_IO, "AUDIT_WRITE",
                       "short write to audit log '%s': %zd of %zu bytes written", path, n, len);
    return PREMPTI_OK;
}

/* The record with every '$' and '`' written as a JSON escape: the log then
 * means nothing to a shell even if it ends up sourced (a line of it is one
 * inert word). A JSON text never has these bytes outside a string, nor as
 * part of an escape, so the record's meaning is unchanged. NULL when out of
 * memory; the record itself when there is nothing to change. */
static char *shell_inert(const char *record, size_t len, size_t *outlen)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += record[i] == '$' || record[i] == '`';
    *outlen = len;
    if (n == 0)
        return (char *)record;
    char *out = n <= (SIZE_MAX - len) / 5 ? malloc(len + 5 * n) : NULL;
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (record[i] == '$' || record[i] == '`') {
            memcpy(out + o, record[i] == '$' ? "\\u0024" : "\\u0060", 6);
            o += 6;
        } else {
            out[o++] = record[i];
        }
    }
    *outlen = o;
    return out;
}

/*
 * The log must be a regular file of ours with one name: never a symlink
 * (O_NOFOLLOW), a FIFO or device (O_NONBLOCK keeps the open itself from
 * waiting for a reader), a hard link to another file (an agent could link
 * ~/.bashrc there) or someone else's file.
 */
static int check_log_file(int fd, const char *path, prempti_error **err)
{
    struct stat st;
    char eb[128];
    if (fstat(fd, &st) != 0)
        return pe_fail(err, PREMPTI_E_IO, "AUDIT_OPEN", "cannot examine audit log '%s': %s", path,
                       pe_sys_strerror(errno, eb, sizeof(eb)));
    const char *why = !S_ISREG(st.st_mode)       ? "it is not a regular file"
                      : st.st_nlink != 1         ? "it has more than one name (a hard link)"
                      : !pe_sys_owned_by_me(&st) ? "it belongs to another user"
                                                 : NULL;
    if (why)
        return pe_fail(err, PREMPTI_E_IO, "AUDIT_UNSAFE",
                       "refusing to append to audit log '%s': %s", path, why);
    return PREMPTI_OK;
}

int prempti_audit_append(const char *path, const char *record, size_t len, prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!path || !path[0] || !record)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "path and record must not be NULL or empty");
    int rc = check_record(record, len, err);
    if (rc)
        return rc;
    char eb[128];
    int fd = pe_sys_open_append(path, 0600);
    if (fd < 0) {
        int e = errno;
        if (e == ELOOP || e == ENXIO) /* ENXIO: a FIFO with no reader */
            return pe_fail(err, PREMPTI_E_IO, "AUDIT_UNSAFE",
                           "refusing to append to audit log '%s': %s", path,
                           e == ELOOP ? "it is a symbolic link" : "it is not a regular file");
        return pe_fail(err, PREMPTI_E_IO, "AUDIT_OPEN", "cannot open audit log '%s': %s", path,
                       pe_sys_strerror(e, eb, sizeof(eb)));
    }
    rc = check_log_file(fd, path, err);
    size_t n = 0;
    char *line = rc ? NULL : shell_inert(record, len, &n);
    if (!rc && !line)
        rc = pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    if (!rc)
        rc = write_once(fd, path, line, n, err);
    if (line != record)
        free(line);
    /* close() can report a deferred write error (e.g. on NFS). */
    if (close(fd) != 0 && rc == PREMPTI_OK && errno != EINTR)
        rc = pe_fail(err, PREMPTI_E_IO, "AUDIT_CLOSE", "cannot close audit log '%s': %s", path,
                     pe_sys_strerror(errno, eb, sizeof(eb)));
    return rc;
}
