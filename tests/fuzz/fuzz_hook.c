/* Fuzz target: any bytes on the reference adapter's standard input, its
 * main() run in-process with fixed rules, for detection and for every
 * agent. The adapter must answer (exit 0 or 2, standard output empty or one
 * JSON value), append exactly one audit record (one line of JSON), and
 * block whenever the library, given the same payload, denies or cannot
 * parse it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_proc.h"

int prempti_hook_main(int argc, char **argv);

/* The adapter's guard (examples/prempti-hook/guard.c) sets process limits,
 * timers and crash handlers, none of which may apply to the fuzzer's own
 * process: here it only checks that every emergency answer blocks. */
void hook_guard_init(void);
void hook_guard_set_answer(const char *out, const char *err, int code);
void hook_guard_answered(int code);

void hook_guard_init(void)
{
}

void hook_guard_set_answer(const char *out, const char *err, int code)
{
    FZ_CHECK(fz_answer_blocks(code, out ? out : ""),
             "an emergency answer that does not block: "
             "exit %d, stdout %s, stderr %s",
             code, out ? out : "", err ? err : "");
}

void hook_guard_answered(int code)
{
    (void)code;
}

static const char rules[] =
    "- rule: deny downloads\n  desc: d\n  condition: tool.kind = shell and (shell.commands "
    "intersects (curl, wget) or shell.pipe_to_interpreter = true)\n"
    "  output: \"%tool.input_command\"\n  priority: CRITICAL\n  source: coding_agent\n"
    "  tags: [coding_agent_deny]\n"
    "- rule: ask keys\n  desc: d\n  condition: tool.real_file_path contains .ssh\n"
    "  output: \"%tool.real_file_path\"\n  priority: WARNING\n  source: coding_agent\n"
    "  tags: [coding_agent_ask]\n"
    "- rule: allow reads\n  desc: d\n  condition: tool.kind = read\n"
    "  output: \"%tool.file_path\"\n  priority: INFO\n  source: coding_agent\n"
    "  tags: [coding_agent_allow]\n";

static const char *const agents[] = {NULL, "claude_code", "codex", "copilot", "gemini", "cursor"};
#define NAGENTS (sizeof(agents) / sizeof(agents[0]))

static char *rules_path, *audit_path, *config_path;
static prempti_engine *engine;

static void setup(void)
{
    fz_tool_home("hook");
    rules_path = fz_in_home("rules.yaml");
    audit_path = fz_in_home("audit.jsonl");
    config_path = fz_in_home("config.yaml");
    fz_write_file(rules_path, rules, sizeof(rules) - 1);
    engine = fz_engine(rules, sizeof(rules) - 1, NULL);
}

/* What the library decides for the payload as agent; -1 when it does not
 * parse (the adapter must then block). */
static int library_decision(const char *agent, const uint8_t *data, size_t size)
{
    char pairs[64];
    snprintf(pairs, sizeof(pairs), "agent=%s", agent ? agent : "");
    prempti_config *cfg = fz_config(pairs);
    prempti_event *ev = NULL;
    int d = -1;
    if (prempti_event_from_json(&ev, cfg, (const char *)data, size, NULL) == PREMPTI_OK) {
        prempti_result *r = NULL;
        if (prempti_evaluate(&r, engine, ev, NULL) == PREMPTI_OK)
            d = prempti_result_decision(r);
        prempti_result_free(r);
    }
    prempti_event_free(ev);
    prempti_config_free(cfg);
    return d;
}

static void check_audit(void)
{
    size_t n = 0;
    char *buf = fz_read_file(audit_path, &n);
    FZ_CHECK(buf, "no audit log written");
    remove(audit_path);
    FZ_CHECK(n > 1 && buf[n - 1] == '\n' && !memchr(buf, '\n', n - 1), "not one audit line: %s",
             buf);
    FZ_CHECK(fz_json_valid(buf, n - 1), "audit line not JSON: %s", buf);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!engine)
        setup();
    for (size_t a = 0; a < NAGENTS; a++) {
        char *argv[12];
        int argc = 0;
        argv[argc++] = "prempti-hook";
        argv[argc++] = "--rules";
        argv[argc++] = rules_path;
        argv[argc++] = "--config";
        argv[argc++] = config_path;
        argv[argc++] = "--audit-log";
        argv[argc++] = audit_path;
        if (agents[a]) {
            argv[argc++] = "--agent";
            argv[argc++] = (char *)agents[a];
        }
        argv[argc] = NULL;
        fz_output o;
        fz_run_main(prempti_hook_main, argc, argv, data, size, &o);
        FZ_CHECK(o.status == 0 || o.status == 2, "exit %d", o.status);
        FZ_CHECK(!o.out_len || fz_json_valid(o.out, o.out_len), "stdout not JSON: %s", o.out);
        int d = library_decision(agents[a], data, size);
        if (d < 0 || d == PREMPTI_DENY)
            FZ_CHECK(fz_answer_blocks(o.status, o.out),
                     "decision %d, yet exit %d, stdout '%s', stderr '%s'", d, o.status, o.out,
                     o.err);
        check_audit();
        fz_output_free(&o);
    }
    return 0;
}
