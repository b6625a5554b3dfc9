/*
 * prempti-hook: the reference hook adapter. An agent runs it once per tool
 * call with the hook payload on standard input; it evaluates the call
 * against the configured rules and answers in the agent's own form (stdout,
 * stderr, exit status), then appends an audit record.
 *
 * It never answers a failure with an allow: every error (bad flags, a bad
 * config file, unreadable or malformed input, rules that fail to load) is
 * answered by prempti_response_for_error(), which blocks in the agent's form,
 * or with --fail-open gives no decision. See docs/tools.md.
 */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <prempti/prempti.h>

#include "cache.h"
#include "fileio.h"
#include "guard.h"
#include "settings.h"
#include "str.h"

static const char usage[] =
    "usage: prempti-hook [--agent NAME] [--rules PATH]... [--config FILE]\n"
    "                    [--mode guardrails|monitor] [--floor defer|allow]\n"
    "                    [--audit-log FILE|none] [--fail-open] [--no-cache] < payload.json\n"
    "\n"
    "Reads a coding agent's pre-tool hook payload on standard input, evaluates it\n"
    "against the rules and answers the agent (stdout, stderr, exit status).\n"
    "\n"
    "  --agent NAME       claude_code, codex, copilot, gemini or cursor\n"
    "                     (default: detected from the payload)\n"
    "  --rules PATH       a rules file or directory; repeat for more, in load order\n"
    "                     (replaces the configured rules)\n"
    "  --config FILE      config file (default: $PREMPTI_CONFIG, ~/.prempti/config.yaml)\n"
    "  --mode MODE        guardrails (enforce) or monitor (record, answer defer)\n"
    "  --floor FLOOR      decision when no rule decides: defer or allow\n"
    "  --audit-log FILE   audit log to append to; none for no records\n"
    "  --fail-open        on an internal error give no decision instead of blocking\n"
    "  --no-cache         compile the rules from YAML, without the compiled-pack cache\n"
    "  --help, --version\n"
    "\n"
    "Environment: PREMPTI_CONFIG, PREMPTI_MODE, PREMPTI_FLOOR, PREMPTI_RULES,\n"
    "PREMPTI_AUDIT_LOG, PREMPTI_FAIL_OPEN, PREMPTI_CACHE. See docs/tools.md.\n";

#define DEFAULT_MAX_EVENT_BYTES ((size_t)64 << 20)

typedef struct hook_run {
    const char *agent_flag; /* --agent, NULL when absent */
    int fail_open_flag;     /* --fail-open: 1, else -1 */
    pt_flags flags;
    pt_settings settings;
    int have_settings; /* settings holds something to free */
    int settings_ok;   /* ... and was loaded completely */
    prempti_config *cfg;
    char *payload;
    size_t payload_len;
    prempti_event *event;
    prempti_engine *engine;
    prempti_result *result;
    uint64_t latency_ns;
    char *error; /* the first failure, NULL when there was none */
    int monitor; /* monitor mode: an error is recorded, never blocks */
} hook_run;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Records the first failure (later ones are consequences of it). */
static void fail(hook_run *r, char *msg)
{
    if (!r->error)
        r->error = msg ? msg : pt_strdup("out of memory");
    else
        free(msg);
}

static void fail_with(hook_run *r, const char *what, prempti_error *err)
{
    fail(r, pt_fmt("%s%s", what, err ? prempti_error_message(err) : "out of memory"));
    prempti_error_free(err);
}

enum {
    OPT_AGENT = 1,
    OPT_RULES,
    OPT_CONFIG,
    OPT_MODE,
    OPT_FLOOR,
    OPT_AUDIT,
    OPT_FAIL_OPEN,
    OPT_NO_CACHE,
    OPT_HELP,
    OPT_VERSION
};

/* Returns 1 when --help or --version was answered, else 0 (a bad flag is
 * recorded as the run's failure so that it is answered in the agent's form). */
static int parse_args(hook_run *r, int argc, char **argv)
{
    static const struct option longopts[] = {{"agent", required_argument, NULL, OPT_AGENT},
                                             {"rules", required_argument, NULL, OPT_RULES},
                                             {"config", required_argument, NULL, OPT_CONFIG},
                                             {"mode", required_argument, NULL, OPT_MODE},
                                             {"floor", required_argument, NULL, OPT_FLOOR},
                                             {"audit-log", required_argument, NULL, OPT_AUDIT},
                                             {"fail-open", no_argument, NULL, OPT_FAIL_OPEN},
                                             {"no-cache", no_argument, NULL, OPT_NO_CACHE},
                                             {"help", no_argument, NULL, OPT_HELP},
                                             {"version", no_argument, NULL, OPT_VERSION},
                                             {NULL, 0, NULL, 0}};
    opterr = 0; /* every message goes through the agent's answer */
    int c;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_AGENT:
            r->agent_flag = optarg;
            break;
        case OPT_RULES:
            if (pt_strv_push(&r->flags.rules, optarg))
                fail(r, NULL);
            break;
        case OPT_CONFIG:
            r->flags.config = optarg;
            break;
        case OPT_MODE:
            r->flags.mode = optarg;
            break;
        case OPT_FLOOR:
            r->flags.floor = optarg;
            break;
        case OPT_AUDIT:
            r->flags.audit_log = optarg;
            break;
        case OPT_FAIL_OPEN:
            r->flags.fail_open = r->fail_open_flag = 1;
            break;
        case OPT_NO_CACHE:
            r->flags.no_cache = 1;
            break;
        case OPT_HELP:
            fputs(usage, stdout);
            return 1;
        case OPT_VERSION:
            printf("prempti-hook %s\n", prempti_version_string());
            return 1;
        case ':':
            fail(r, pt_fmt("usage: option %s needs a value", argv[optind - 1]));
            break;
        default:
            fail(r, pt_fmt("usage: unknown option %s", argv[optind - 1]));
            break;
        }
    }
    if (optind < argc)
        fail(r, pt_fmt("usage: unexpected argument '%s'", argv[optind]));
    return 0;
}

static size_t max_event_bytes(const hook_run *r)
{
    const char *v = r->cfg ? prempti_config_get(r->cfg, "max_event_bytes") : NULL;
    unsigned long long n = v ? strtoull(v, NULL, 10) : 0;
    return n ? (size_t)n : DEFAULT_MAX_EVENT_BYTES;
}

/* Settings and options. */
static void prepare(hook_run *r)
{
    char *msg = NULL;
    if (!r->error) {
        r->have_settings = 1;
        if (pt_settings_load(&r->settings, &r->flags, &msg))
            fail(r, msg);
        else
            r->settings_ok = 1;
    }
    if (!r->error) {
        if (pt_settings_config(&r->settings, r->agent_flag, &r->cfg, &msg))
            fail(r, msg);
    }
    if (r->cfg) {
        char pid[32];
        snprintf(pid, sizeof(pid), "%ld", (long)getppid());
        prempti_config_set(r->cfg, "agent_pid", pid, NULL); /* best effort: a field only */
    }
}

/* Standard input, read even after a failure so that the answer can name
 * the hook event. */
static void read_payload(hook_run *r)
{
    char *msg = NULL;
    if (pt_read_fd(0, "the payload on standard input", max_event_bytes(r), &r->payload,
                   &r->payload_len, &msg))
        fail(r, msg);
}

/* The answer to give if the run is cut short (guard.h), in the agent's
 * form as far as the agent and hook event are known by now. */
static void update_emergency_answer(const hook_run *r)
{
    const char *agent = r->event ? prempti_event_agent(r->event) : r->agent_flag;
    const char *hook = r->event ? prempti_event_hook(r->event) : NULL;
    prempti_response *resp = NULL;
    if (prempti_response_for_error(&resp, agent, hook,
                                   "prempti-hook stopped before deciding (time, CPU or memory "
                                   "limit, or an internal error)",
                                   r->settings.fail_open, NULL) == PREMPTI_OK)
        hook_guard_set_answer(prempti_response_stdout(resp), prempti_response_stderr(resp),
                              prempti_response_exit_code(resp));
    prempti_response_free(resp);
}

static void evaluate(hook_run *r)
{
    prempti_error *err = NULL;
    uint64_t t0 = now_ns();
    if (prempti_event_from_json(&r->event, r->cfg, r->payload, r->payload_len, &err)) {
        fail_with(r, "invalid payload: ", err);
        return;
    }
    uint64_t parse_ns = now_ns() - t0;
    update_emergency_answer(r);
    char *msg = NULL;
    if (pt_engine_load(&r->engine, r->cfg, &r->settings.rules, r->settings.use_cache, NULL, NULL,
                       NULL, &msg)) {
        fail(r, msg);
        return;
    }
    t0 = now_ns();
    int rc = prempti_evaluate(&r->result, r->engine, r->event, &err);
    if (rc == PREMPTI_E_IMAGE && !pt_engine_reload(&r->engine, r->cfg, &r->settings.rules, &msg)) {
        prempti_error_free(err); /* a damaged cache entry: the rules from YAML decide */
        rc = prempti_evaluate(&r->result, r->engine, r->event, &err);
    }
    free(msg);
    if (rc) {
        fail_with(r, "evaluation failed: ", err);
        return;
    }
    r->latency_ns = parse_ns + (now_ns() - t0);
}

/* The hook event named in a payload that could not be parsed, if any. */
static char *peek_hook(const hook_run *r)
{
    if (!r->payload || r->payload_len > 0x7fffffff)
        return NULL;
    json_tokener *tok = json_tokener_new();
    json_object *o = tok ? json_tokener_parse_ex(tok, r->payload, (int)r->payload_len) : NULL;
    json_tokener_free(tok);
    json_object *v = NULL;
    char *hook = NULL;
    if (json_object_is_type(o, json_type_object) &&
        (json_object_object_get_ex(o, "hook_event_name", &v) ||
         json_object_object_get_ex(o, "hookName", &v)) &&
        json_object_is_type(v, json_type_string))
        hook = pt_strdup(json_object_get_string(v));
    json_object_put(o);
    return hook;
}

static char *iso_now(void)
{
    struct timespec ts;
    struct tm tm;
    char buf[40];
    clock_gettime(CLOCK_REALTIME, &ts);
    if (!gmtime_r(&ts.tv_sec, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm))
        return NULL;
    return pt_fmt("%s.%09ldZ", buf, (long)ts.tv_nsec);
}

/* An audit line for a call answered with an error: the library makes
 * records from results only, and there is none. */
static char *error_record(const hook_run *r, const char *agent, const char *hook)
{
    json_object *o = json_object_new_object();
    char *time = iso_now();
    char *line = NULL;
    if (o && time) {
        /* monitor mode answers defer and records what guardrails would do */
        const char *would = r->settings.fail_open ? "defer" : "deny";
        json_object_object_add(o, "time", json_object_new_string(time));
        json_object_object_add(o, "decision", json_object_new_string(r->monitor ? "defer" : would));
        json_object_object_add(o, "would_be", json_object_new_string(would));
        json_object_object_add(o, "error", json_object_new_string(r->error));
        json_object_object_add(o, "fail_open", json_object_new_boolean(r->settings.fail_open));
        json_object_object_add(o, "agent", agent ? json_object_new_string(agent) : NULL);
        json_object_object_add(o, "hook_event", hook ? json_object_new_string(hook) : NULL);
        json_object_object_add(o, "mode",
                               json_object_new_string(r->monitor ? "monitor" : "guardrails"));
        line = pt_fmt("%s\n", json_object_to_json_string_ext(
                                  o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    }
    json_object_put(o);
    free(time);
    return line;
}

/* Appends the record; returns a warning for stderr, or NULL. */
static char *audit(const hook_run *r, const char *agent, const char *hook)
{
    if (!r->settings_ok || !r->settings.audit_log)
        return NULL;
    char *line = NULL, *msg = NULL;
    prempti_error *err = NULL;
    if (r->result && !r->error) {
        char *rec = NULL;
        if (prempti_audit_record(&rec, r->result, r->latency_ns, &err) == PREMPTI_OK) {
            line = pt_strdup(rec);
            prempti_free(rec);
        }
    } else {
        line = error_record(r, agent, hook);
    }
    char *dir = pt_dirname(r->settings.audit_log);
    if (!line || !dir) {
        msg = pt_strdup("prempti: audit log: out of memory; no record written\n");
    } else if ((!pt_is_dir(dir) && pt_mkdirs(dir, 0700, &msg)) || pt_check_private_dir(dir, &msg)) {
        char *inner = msg;
        msg = pt_fmt("prempti: audit log: %s; no record written\n", inner ? inner : "");
        free(inner);
    } else if (prempti_audit_append(r->settings.audit_log, line, strlen(line), &err)) {
        msg = pt_fmt("prempti: audit log: %s; no record written\n", prempti_error_message(err));
    }
    prempti_error_free(err);
    free(dir);
    free(line);
    return msg;
}

/* The answer for the run: the rules' response, or the error form. */
static prempti_response *respond(hook_run *r, const char **agent, char **hook_owned)
{
    prempti_response *resp = NULL;
    prempti_error *err = NULL;
    *agent = r->agent_flag;
    const char *hook = NULL;
    if (r->event) {
        *agent = prempti_event_agent(r->event);
        hook = prempti_event_hook(r->event);
    }
    if (!r->error && prempti_response_new(&resp, r->result, &err) != PREMPTI_OK)
        fail_with(r, "", err);
    if (!r->error)
        return resp;
    if (!hook)
        hook = *hook_owned = peek_hook(r);
    else
        *hook_owned = pt_strdup(hook);
    if (prempti_response_for_error(&resp, *agent, hook, r->error,
                                   r->settings.fail_open || r->monitor, NULL))
        resp = NULL; /* prempti_response_exit_code(NULL) is 2: still a block */
    return resp;
}

/* When nothing else settled it, --fail-open or PREMPTI_FAIL_OPEN decides how
 * an error in the settings themselves is answered. */
static void settle_fail_open(hook_run *r)
{
    const char *env = getenv("PREMPTI_FAIL_OPEN");
    int v = 0;
    if (r->fail_open_flag > 0)
        r->settings.fail_open = 1;
    else if (!r->settings_ok)
        r->settings.fail_open = env && pt_parse_bool(env, &v) == 0 && v;
    /* monitor mode blocks nothing, errors included; the mode is the one
     * in effect, or the flag and variable when the settings did not load */
    const char *mode = r->settings_ok ? pt_settings_option(&r->settings, "mode", NULL) : NULL;
    if (!mode)
        mode = r->flags.mode ? r->flags.mode : getenv("PREMPTI_MODE");
    r->monitor = mode && strcmp(mode, "monitor") == 0;
}

static void cleanup(hook_run *r)
{
    prempti_result_free(r->result);
    prempti_engine_free(r->engine);
    prempti_event_free(r->event);
    prempti_config_free(r->cfg);
    if (r->have_settings)
        pt_settings_free(&r->settings);
    pt_strv_clear(&r->flags.rules);
    free(r->payload);
    free(r->error);
}

int main(int argc, char **argv)
{
    hook_guard_init();
    signal(SIGPIPE, SIG_IGN); /* a closed stdout is a write error, not a silent death */
    hook_run r = {0};
    r.fail_open_flag = -1;
    r.flags = (pt_flags)PT_FLAGS_INIT;
    if (parse_args(&r, argc, argv)) {
        cleanup(&r);
        return 0;
    }
    prepare(&r);
    settle_fail_open(&r);
    update_emergency_answer(&r);
    read_payload(&r);
    if (!r.error)
        evaluate(&r);
    const char *agent = NULL;
    char *hook = NULL;
    prempti_response *resp = respond(&r, &agent, &hook);
    const char *out = prempti_response_stdout(resp), *errtext = prempti_response_stderr(resp);
    int code = prempti_response_exit_code(resp);
    if (!resp)
        errtext = "prempti: out of memory\n";
    /* The answer first: the audit record may not delay it (guard.h). */
    if (pt_write_all(1, out, strlen(out)) || pt_write_all(2, errtext, strlen(errtext)))
        code = 2;
    hook_guard_answered(code);
    char *warning = audit(&r, agent, hook);
    /* Gemini reads stderr as the answer when stdout is empty: there an audit
     * warning would turn "no decision" into an allow, so it is left out. */
    int quiet = !out[0] && agent && strcmp(agent, "gemini") == 0;
    if (warning && !quiet && pt_write_all(2, warning, strlen(warning)))
        code = 2;
    free(warning);
    free(hook);
    prempti_response_free(resp);
    cleanup(&r);
    return code;
}
