/* Fuzz target: any bytes as an audit log, read by `prempti logs` in-process
 * as a table, with --tail, and as filtered JSON lines. The reader never
 * crashes and exits 0; every line it prints ends with a newline; the table
 * is safe on a terminal (agents' text cannot drive it), and with --json
 * every printed line is one JSON object copied from the log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_proc.h"

int prempti_cli_main(int argc, char **argv);

static char *log_path, *config_path;

static void setup(void)
{
    fz_tool_home("auditlog");
    log_path = fz_in_home("audit.jsonl");
    config_path = fz_in_home("config.yaml");
}

/* Checks the printed lines; with json, that each is an object. */
static void check_lines(const fz_output *o, int json)
{
    FZ_CHECK(o->out_len == 0 || o->out[o->out_len - 1] == '\n', "output ends mid-line: %s", o->out);
    if (!json)
        FZ_CHECK(fz_terminal_safe(o->out, o->out_len), "unsafe on a terminal: %s", o->out);
    for (const char *p = o->out, *nl; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
        if (json)
            FZ_CHECK(fz_json_valid(p, (size_t)(nl - p)), "a printed line is not JSON: %.*s",
                     (int)(nl - p), p);
}

static void run(char **argv, int argc, int json)
{
    fz_output o;
    fz_run_main(prempti_cli_main, argc, argv, NULL, 0, &o);
    FZ_CHECK(o.status == 0, "exit %d: %s", o.status, o.err);
    check_lines(&o, json);
    fz_output_free(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!log_path)
        setup();
    fz_write_file(log_path, data, size);
    char *table[] = {"prempti", "logs", "--config", config_path, log_path, NULL};
    char *tail[] = {"prempti", "logs", "--config", config_path, "--tail", "2", log_path, NULL};
    char *json[] = {"prempti",  "logs",    "--config", config_path, "--json", "--decision",
                    "deny,ask", "--agent", "codex",    log_path,    NULL};
    run(table, 5, 0);
    run(tail, 7, 0);
    run(json, 10, 1);
    return 0;
}
