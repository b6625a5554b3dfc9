/* Fuzz target: any bytes as a hook payload, read as every agent dialect and
 * with detection, paths normalised lexically. Whatever parses gives a value
 * (or a clear error) for every field and is evaluated against rules that
 * read the fields of every stage: the result must pass fz_check_result().
 * Whatever does not parse must say why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/fields.h"
#include "fuzz.h"

static const char rules[] =
    "- list: shells\n  items: [sh, bash, zsh, python3]\n"
    "- macro: is_shell\n  condition: tool.kind = shell\n"
    "- rule: pipe\n  desc: d\n  condition: is_shell and (shell.pipe_to_interpreter = true or "
    "shell.commands intersects (shells) or tool.input_command regex \"^(curl|wget) .*\")\n"
    "  output: \"%tool.input_command %shell.normalized %shell.flags[git]\"\n"
    "  priority: CRITICAL\n  source: coding_agent\n  tags: [coding_agent_deny]\n"
    "- rule: files\n  desc: d\n  condition: tool.real_file_path pmatch (/etc, /home/u/.ssh) or "
    "tool.real_file_path glob \"*/.env\" or tool.input icontains secret or "
    "tool.input_keys intersects (url, edits) or tool.patch_op in (Delete, Move)\n"
    "  output: \"%tool.name %tool.file_name %tool.input[file_path] %toupper(tool.input_text)\"\n"
    "  priority: WARNING\n  source: coding_agent\n  tags: [coding_agent_ask]\n"
    "- rule: web\n  desc: d\n  condition: tool.url_host endswith example.com or mcp.server = "
    "github "
    "or shell.dynamic = true or shell.limit = true or agent.real_cwd_prefix exists\n"
    "  output: \"%tool.url %mcp.tool %agent.dialect %agent.workspace_roots %tool.kind\"\n"
    "  priority: NOTICE\n  source: coding_agent\n  tags: [coding_agent_allow]\n";

static const char *const agents[] = {"", "claude_code", "codex", "copilot", "gemini", "cursor"};

/* Every field, by name, with an argument where one is needed: each is known
 * (its value may be NULL: none for this event). */
static void read_fields(const prempti_event *ev)
{
    for (int id = 0; id < PE_F_COUNT; id++) {
        const pe_field_def *f = pe_field((pe_field_id)id);
        char name[128];
        snprintf(name, sizeof(name), "%s%s", f->name, f->arg == PE_ARG_NONE ? "" : "[command]");
        char *v = NULL;
        prempti_error *err = NULL;
        int rc = prempti_event_field(&v, ev, name, &err);
        FZ_CHECK(rc == PREMPTI_OK, "known field %s: %d %s", name, rc,
                 err ? prempti_error_message(err) : "");
        prempti_free(v);
        prempti_error_free(err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static prempti_engine *engine;
    static prempti_config *cfgs[sizeof(agents) / sizeof(agents[0])];
    if (!engine) {
        engine = fz_engine(rules, sizeof(rules) - 1, NULL);
        for (size_t a = 0; a < sizeof(agents) / sizeof(agents[0]); a++) {
            char pairs[96];
            snprintf(pairs, sizeof(pairs), "agent=%s;paths=lexical;home=/home/u", agents[a]);
            cfgs[a] = fz_config(pairs);
        }
    }
    for (size_t a = 0; a < sizeof(agents) / sizeof(agents[0]); a++) {
        prempti_event *ev = NULL;
        fz_decide_payload(engine, cfgs[a], (const char *)data, size, a == 0, &ev);
        if (ev) {
            FZ_CHECK(prempti_event_agent(ev) && prempti_event_hook(ev), "no agent or hook");
            read_fields(ev);
        }
        prempti_event_free(ev);
    }
    return 0;
}
