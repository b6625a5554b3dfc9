/* prempti logs: the audit log, one readable line per tool call. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fileio.h"
#include "payload.h"

static const char help[] =
    "usage: prempti logs [--follow] [--decision D[,D]] [--agent A] [--session S]\n"
    "                    [--tail N] [--json] [--no-color] [--config FILE] [FILE]\n"
    "\n"
    "Prints the audit log (default: the configured audit_log) one line per tool\n"
    "call: local time, agent, tool, decision and the deciding rule with its output.\n"
    "A call recorded in monitor mode shows what the rules would have decided\n"
    "('would deny'). Lines that are not audit records are skipped and counted.\n"
    "\n"
    "  --follow       keep printing records as they are appended\n"
    "  --decision D   only calls whose decision or would-be decision is one of D\n"
    "                 (allow, deny, ask, defer; comma-separated)\n"
    "  --agent A      only calls from agent A\n"
    "  --session S    only calls of session S\n"
    "  --tail N       only the last N matching calls (then follow, with --follow)\n"
    "  --json         print the matching records as they are (JSON lines)\n"
    "  --no-color     never colour the decision (default: colour on a terminal,\n"
    "                 unless NO_COLOR is set)\n";

#define REASON_MAX     160
#define FOLLOW_POLL_NS 200000000L

typedef struct logs_opts {
    pt_strv decisions;
    const char *agent, *session;
    long tail; /* -1: all */
    int follow, json, color;
} logs_opts;

typedef struct log_reader {
    const logs_opts *o;
    const char *path;
    int fd;
    char *buf; /* a line not yet complete */
    size_t len, cap;
    size_t skipped;
    pt_strv ring; /* --tail: the last matching lines */
    size_t ring_next;
    int tailing;   /* --tail N: the initial read keeps the last N lines */
    int silent;    /* --tail 0: the initial read prints nothing */
    int following; /* past the initial read */
} log_reader;

static const char *str_member(json_object *o, const char *key)
{
    json_object *v;
    if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    return NULL;
}

static int wanted(const logs_opts *o, json_object *rec)
{
    const char *d = str_member(rec, "decision"), *w = str_member(rec, "would_be");
    const char *agent = str_member(rec, "agent"), *session = str_member(rec, "session_id");
    if (o->decisions.count && !(d && pt_strv_has(&o->decisions, d)) &&
        !(w && pt_strv_has(&o->decisions, w)))
        return 0;
    if (o->agent && !(agent && strcmp(agent, o->agent) == 0))
        return 0;
    return !o->session || (session && strcmp(session, o->session) == 0);
}

/* "2026-11-21T10:20:22.615Z" as local time "2026-11-21 10:20:22". */
static void local_time(const char *iso, char *out, size_t n)
{
    struct tm tm = {0};
    int ok = iso && sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                           &tm.tm_hour, &tm.tm_min, &tm.tm_sec) == 6;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = ok ? timegm(&tm) : (time_t)-1;
    struct tm lt;
    if (t == (time_t)-1 || !localtime_r(&t, &lt) || !strftime(out, n, "%Y-%m-%d %H:%M:%S", &lt)) {
        /* as written, printable ASCII only: the record is agent-influenced */
        char raw[20];
        size_t k = 0;
        for (const char *p = iso ? iso : "?"; *p && k < 19; p++)
            raw[k++] = *p >= 0x20 && *p < 0x7f ? *p : '?';
        raw[k] = '\0';
        snprintf(out, n, "%-19s", raw);
    }
}

/* The deciding match's output without Falco's "<time>: <Priority> " prefix. */
static const char *match_output(json_object *rec, long idx)
{
    json_object *matches, *m;
    if (!json_object_object_get_ex(rec, "matches", &matches) ||
        !json_object_is_type(matches, json_type_array) || idx < 0 ||
        (size_t)idx >= json_object_array_length(matches) ||
        !(m = json_object_array_get_idx(matches, (size_t)idx)))
        return NULL;
    const char *out = str_member(m, "output"), *time = str_member(m, "time");
    const char *prio = str_member(m, "priority");
    if (out && time && prio && pt_starts_with(out, time) && out[strlen(time)] == ':') {
        const char *p = out + strlen(time) + 1 + (out[strlen(time) + 1] == ' ');
        if (pt_starts_with(p, prio) && p[strlen(prio)] == ' ')
            return p + strlen(prio) + 1;
    }
    return out;
}

/* "rule: output", the error, or what matched without deciding; cut short. */
static char *reason_of(json_object *rec)
{
    json_object *dm, *matches;
    const char *err = str_member(rec, "error"), *rule = str_member(rec, "deciding_rule");
    char *r;
    if (err)
        r = pt_fmt("error: %s", err);
    else if (rule && json_object_object_get_ex(rec, "deciding_match", &dm))
    {
        const char *out = match_output(rec, (long)json_object_get_int64(dm));
        r = pt_fmt("%s: %s", rule, out ? out : "?");
    }
    else if (json_object_object_get_ex(rec, "matches", &matches) &&
             json_object_is_type(matches, json_type_array) &&
             json_object_array_length(matches) > 0)
        r = pt_fmt("(no rule decided; %zu matched)", json_object_array_length(matches));
    else
        r = pt_strdup("(no rule matched)");
    for (char *p = r; p && *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    if (r && strlen(r) > REASON_MAX) {
        size_t cut = REASON_MAX - 3;
        while (cut && ((unsigned char)r[cut] & 0xC0) == 0x80) /* not inside a character */
            cut--;
        memcpy(r + cut, "...", 4);
    }
    return r;
}

static const char *color_of(const char *shown)
{
    if (pt_ends_with(shown, "deny"))
        return "\033[31m";
    if (pt_ends_with(shown, "ask"))
        return "\033[33m";
    if (pt_ends_with(shown, "allow"))
        return "\033[32m";
    return NULL;
}

static char *render(const logs_opts *o, json_object *rec)
{
    char when[64], shown[32];
    const char *d = str_member(rec, "decision"), *w = str_member(rec, "would_be");
    const char *tool = NULL;
    json_object *t;
    if (json_object_object_get_ex(rec, "tool", &t))
        tool = str_member(t, "name");
    local_time(str_member(rec, "time"), when, sizeof(when));
    if (d && w && strcmp(d, w) != 0)
        snprintf(shown, sizeof(shown), "would %s", w);
    else
        snprintf(shown, sizeof(shown), "%s", d ? d : "?");
    const char *on = o->color ? color_of(shown) : NULL;
    /* agents' text, made unable to drive the terminal */
    char *raw = reason_of(rec), *reason = raw ? pt_term_safe(raw, 0) : NULL;
    const char *a = str_member(rec, "agent");
    char *agent = pt_term_safe(a ? a : "?", 0), *tname = pt_term_safe(tool ? tool : "-", 0);
    char *decision = pt_term_safe(shown, 0); /* the record's own words, cut to fit */
    char *line = NULL;
    if (reason && agent && tname && decision)
        line = pt_fmt("%s  %-11s  %-14s  %s%-11s%s  %s", when, agent, tname, on ? on : "",
                      decision, on ? "\033[0m" : "", reason);
    free(decision);
    free(raw);
    free(reason);
    free(agent);
    free(tname);
    return line;
}

/* Prints (or with --tail keeps) one matching record. */
static void emit(log_reader *r, const char *raw, json_object *rec)
{
    char *line = r->o->json ? pt_strdup(raw) : render(r->o, rec);
    if (!line)
        return;
    if (!r->tailing) {
        printf("%s\n", line);
        free(line);
        fflush(stdout);
        return;
    }
    size_t n = (size_t)r->o->tail;
    if (r->ring.count < n) {
        pt_strv_take(&r->ring, line);
        return;
    }
    free(r->ring.items[r->ring_next]);
    r->ring.items[r->ring_next] = line;
    r->ring_next = (r->ring_next + 1) % n;
}

static void handle_line(log_reader *r, char *raw, size_t len)
{
    while (len && (raw[len - 1] == '\r' || raw[len - 1] == ' '))
        raw[--len] = '\0';
    if (len == 0)
        return;
    char *msg = NULL;
    json_object *rec = pt_json_parse(raw, len, &msg);
    free(msg);
    if (!json_object_is_type(rec, json_type_object) || !str_member(rec, "time") ||
        !str_member(rec, "decision")) {
        r->skipped++;
        if (r->following)
            fprintf(stderr, "prempti logs: skipped a line that is not an audit record\n");
    } else if (wanted(r->o, rec) && !r->silent) {
        emit(r, raw, rec);
    }
    json_object_put(rec);
}

/* Reads what is available; complete lines are handled, a partial one kept. */
static int read_more(log_reader *r)
{
    for (;;) {
        if (r->cap - r->len < 65536) {
            char *nb = realloc(r->buf, r->cap * 2 + 65536);
            if (!nb)
                return -1;
            r->buf = nb;
            r->cap = r->cap * 2 + 65536;
        }
        ssize_t n = read(r->fd, r->buf + r->len, r->cap - r->len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -1 : 0;
        r->len += (size_t)n;
        char *start = r->buf, *nl;
        while ((nl = memchr(start, '\n', r->len - (size_t)(start - r->buf))) != NULL) {
            *nl = '\0';
            handle_line(r, start, (size_t)(nl - start));
            start = nl + 1;
        }
        r->len -= (size_t)(start - r->buf);
        memmove(r->buf, start, r->len);
    }
}

static void flush_tail(log_reader *r)
{
    size_t n = r->ring.count;
    for (size_t i = 0; i < n; i++)
        printf("%s\n", r->ring.items[(r->ring_next + i) % n]);
    fflush(stdout);
    pt_strv_clear(&r->ring);
    r->tailing = 0;
}

/* Waits for more: a truncated or replaced (rotated) file is read again
 * from its start. Never returns unless reading fails. */
static int follow(log_reader *r)
{
    struct timespec nap = {0, FOLLOW_POLL_NS};
    for (;;) {
        nanosleep(&nap, NULL);
        struct stat now, cur;
        if (fstat(r->fd, &cur) != 0)
            return -1;
        off_t pos = lseek(r->fd, 0, SEEK_CUR);
        int replaced =
            stat(r->path, &now) == 0 && (now.st_ino != cur.st_ino || now.st_dev != cur.st_dev);
        if (replaced && read_more(r)) /* what was appended before the rotation */
            return -1;
        if (replaced || cur.st_size < pos) {
            char *msg = NULL;
            int fd = pt_open_regular(r->path, &msg);
            free(msg);
            if (fd < 0)
                continue; /* between a rotation's rename and the new file */
            close(r->fd);
            r->fd = fd;
            r->len = 0;
        }
        if (read_more(r))
            return -1;
    }
}

static int show(const logs_opts *o, const char *path)
{
    log_reader r = {o, path, -1, NULL, 0, 0, 0, {0}, 0, o->tail > 0, o->tail == 0, 0};
    char *msg = NULL;
    if ((r.fd = pt_open_regular(path, &msg)) < 0) {
        int rc = cli_error("logs", PT_EXIT_FAIL, "%s", msg ? msg : "out of memory");
        free(msg);
        return rc;
    }
    int rc = read_more(&r);
    if (rc == 0 && r.len && !o->follow) { /* a last line without its newline */
        r.buf[r.len] = '\0';
        handle_line(&r, r.buf, r.len);
    }
    flush_tail(&r);
    if (r.skipped)
        fprintf(stderr, "prempti logs: skipped %zu line%s that %s not audit records\n", r.skipped,
                r.skipped == 1 ? "" : "s", r.skipped == 1 ? "is" : "are");
    r.silent = 0;
    r.following = 1;
    if (rc == 0 && o->follow)
        rc = follow(&r);
    if (rc)
        cli_error("logs", PT_EXIT_FAIL, "cannot read %s: %s", path, strerror(errno));
    close(r.fd);
    free(r.buf);
    return rc ? PT_EXIT_FAIL : PT_EXIT_OK;
}

static int split_decisions(logs_opts *o, const char *list)
{
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        char *d = pt_fmt("%.*s", (int)n, p);
        if (!d ||
            (strcmp(d, "allow") && strcmp(d, "deny") && strcmp(d, "ask") && strcmp(d, "defer"))) {
            int rc = cli_error("logs", PT_EXIT_USAGE,
                               "--decision: '%s' is not allow, deny, ask or defer", d ? d : "");
            free(d);
            return rc;
        }
        pt_strv_take(&o->decisions, d);
        p += n + (p[n] == ',');
    }
    return 0;
}

static int parse_tail(logs_opts *o, const char *s)
{
    char *end;
    errno = 0;
    o->tail = strtol(s, &end, 10);
    if (errno || *end || end == s || o->tail < 0)
        return cli_error("logs", PT_EXIT_USAGE, "--tail: '%s' is not a count", s);
    return 0;
}

static int run(const logs_opts *o, const pt_flags *flags, int argc, char **argv)
{
    if (argc > 1)
        return cli_error("logs", PT_EXIT_USAGE, "name one log file at most");
    if (argc == 1)
        return show(o, argv[0]);
    pt_settings s;
    int status = PT_EXIT_FAIL;
    if (cli_settings(&s, flags, "logs") == 0) {
        if (s.audit_log)
            status = show(o, s.audit_log);
        else
            cli_error("logs", PT_EXIT_FAIL, "no audit log is configured (audit_log is none)");
    }
    pt_settings_free(&s);
    return status;
}

int cmd_logs(int argc, char **argv)
{
    enum { OPT_FOLLOW = OPT_LOCAL, OPT_DECISION, OPT_SESSION, OPT_TAIL, OPT_JSON, OPT_NO_COLOR };
    static const struct option opts[] = {{"follow", no_argument, NULL, OPT_FOLLOW},
                                         {"decision", required_argument, NULL, OPT_DECISION},
                                         {"agent", required_argument, NULL, OPT_AGENT},
                                         {"session", required_argument, NULL, OPT_SESSION},
                                         {"tail", required_argument, NULL, OPT_TAIL},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"no-color", no_argument, NULL, OPT_NO_COLOR},
                                         {"config", required_argument, NULL, OPT_CONFIG},
                                         {"help", no_argument, NULL, OPT_HELP},
                                         {NULL, 0, NULL, 0}};
    logs_opts o = {{0}, NULL, NULL, -1, 0, 0, 0};
    pt_flags flags = PT_FLAGS_INIT;
    const char *nc = getenv("NO_COLOR");
    o.color = isatty(1) && !(nc && nc[0]);
    int c, status = -1;
    while (status < 0 && (c = cli_next(argc, argv, opts, "logs")) != -1) {
        switch (c) {
        case OPT_HELP:
            status = cli_help(help);
            break;
        case OPT_FOLLOW:
            o.follow = 1;
            break;
        case OPT_DECISION:
            status = split_decisions(&o, optarg) ? PT_EXIT_USAGE : -1;
            break;
        case OPT_AGENT:
            o.agent = optarg;
            break;
        case OPT_SESSION:
            o.session = optarg;
            break;
        case OPT_TAIL:
            status = parse_tail(&o, optarg) ? PT_EXIT_USAGE : -1;
            break;
        case OPT_JSON:
            o.json = 1;
            break;
        case OPT_NO_COLOR:
            o.color = 0;
            break;
        case OPT_CONFIG:
            flags.config = optarg;
            break;
        default:
            status = PT_EXIT_USAGE;
            break;
        }
    }
    if (status < 0)
        status = run(&o, &flags, argc - optind, argv + optind);
    pt_strv_clear(&o.decisions);
    return status;
}
