/* Fuzz target: any bytes as a `prempti test` case file, run in-process by
 * the prempti command against fixed rules. Each case passes, fails or is
 * reported as a broken case; the command never crashes, exits 0 or 1 (2 for
 * usage errors only, which a case file cannot cause), says how many cases
 * passed and failed when the file could be read, and prints nothing that
 * could drive a terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_proc.h"

int prempti_cli_main(int argc, char **argv);

static const char rules[] =
    "- macro: is_shell\n  condition: tool.kind = shell\n"
    "- rule: Deny download piped into a shell\n  desc: d\n  condition: is_shell and "
    "shell.pipe_to_interpreter = true\n  output: \"%tool.input_command\"\n  priority: CRITICAL\n"
    "  source: coding_agent\n  tags: [coding_agent_deny]\n"
    "- rule: Ask before reading keys\n  desc: d\n  condition: tool.real_file_path contains .ssh\n"
    "  output: \"%tool.real_file_path\"\n  priority: WARNING\n  source: coding_agent\n"
    "  tags: [coding_agent_ask]\n"
    "- rule: Allow reads\n  desc: d\n  condition: tool.kind = read and not tool.real_file_path "
    "contains .ssh\n  output: \"%tool.file_path\"\n  priority: INFO\n  source: coding_agent\n"
    "  tags: [coding_agent_allow]\n";

static char *rules_path, *cases_path, *config_path;

static void setup(void)
{
    fz_tool_home("testcases");
    rules_path = fz_in_home("rules.yaml");
    cases_path = fz_in_home("cases.yaml");
    config_path = fz_in_home("config.yaml");
    fz_write_file(rules_path, rules, sizeof(rules) - 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!rules_path)
        setup();
    fz_write_file(cases_path, data, size);
    char *argv[] = {"prempti",  "test",      "--config", config_path, "--rules",
                    rules_path, "--verbose", cases_path, NULL};
    fz_output o;
    fz_run_main(prempti_cli_main, 8, argv, NULL, 0, &o);
    FZ_CHECK(o.status == 0 || o.status == 1, "exit %d\nstdout: %s\nstderr: %s", o.status, o.out,
             o.err);
    FZ_CHECK(o.status == 1 || strstr(o.out, " passed, 0 failed\n"), "exit 0 without a summary: %s",
             o.out);
    FZ_CHECK(fz_terminal_safe(o.out, o.out_len) && fz_terminal_safe(o.err, o.err_len),
             "unsafe on a terminal:\n%s\n%s", o.out, o.err);
    fz_output_free(&o);
    return 0;
}
