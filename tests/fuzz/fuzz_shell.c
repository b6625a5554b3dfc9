/* Fuzz target: shell text through the analyser, then as the command of a
 * Bash tool call through the shell.* fields and rules that read them.
 * Input starting with 0xff is a unit repeated to (byte 1 + 1) x 8 KiB, up
 * to 2 MiB, so that the input, word, command, depth, work and memory
 * limits are all reached. The analysis never fails on text (limits and
 * malformed input are flags); a limit is always also "dynamic"; the
 * summaries agree with the commands; the event evaluates and passes
 * fz_check_result(), and a limit makes the limit rule match. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "shell/shell.h"

static const char rules[] =
    "- rule: limit\n  desc: d\n  condition: tool.kind = shell and shell.limit = true\n"
    "  output: limit %shell.command_count\n  priority: WARNING\n  source: coding_agent\n"
    "  tags: [coding_agent_ask]\n"
    "- rule: interp\n  desc: d\n  condition: shell.pipe_to_interpreter = true or "
    "shell.invokes[rm,-r,-f] "
    "= true or shell.flags[git] intersects (--force, -f)\n"
    "  output: \"%shell.commands %shell.wrappers %shell.redirect_targets %shell.write_targets\"\n"
    "  priority: CRITICAL\n  source: coding_agent\n  tags: [coding_agent_deny]\n"
    "- rule: seen\n  desc: d\n  condition: shell.dynamic = true or shell.parse_error = true\n"
    "  output: \"%shell.normalized\"\n  priority: INFO\n  source: coding_agent\n";

static uint8_t *amplify(const uint8_t *data, size_t size, size_t *len)
{
    size_t unit = size - 2, want = ((size_t)data[1] + 1) * 8192, n = 0;
    uint8_t *buf = malloc(want + unit);
    FZ_CHECK(buf, "out of memory");
    while (n < want) {
        memcpy(buf + n, data + 2, unit);
        n += unit;
    }
    *len = n;
    return buf;
}

static void check_analysis(const char *cmd, size_t len)
{
    pe_arena a = PE_ARENA_INIT;
    pe_shell_result *r = NULL;
    FZ_CHECK(pe_shell_analyze(&r, cmd, len, &a) == PREMPTI_OK, "analysis failed");
    if (r->flags & PE_SHELL_LIMIT)
        FZ_CHECK(r->flags & PE_SHELL_DYNAMIC, "a limit that is not dynamic: %x", r->flags);
    if (r->flags &
        (PE_SHELL_LIMIT_DEPTH | PE_SHELL_LIMIT_COUNT | PE_SHELL_LIMIT_WORK | PE_SHELL_LIMIT_MEMORY))
        FZ_CHECK(r->flags & PE_SHELL_LIMIT, "a limit kind without the limit flag");
    FZ_CHECK(r->ncmds <= PE_SHELL_MAX_COMMANDS, "%zu commands", r->ncmds);
    for (size_t i = 0; i < r->ncmds; i++) {
        const pe_shell_cmd *c = &r->cmds[i];
        FZ_CHECK(c->depth <= PE_SHELL_MAX_DEPTH, "command at depth %u", c->depth);
        if ((c->flags & PE_SHELL_C_DYNAMIC) && !(c->flags & PE_SHELL_C_RESOLVED))
            FZ_CHECK(r->flags & PE_SHELL_DYNAMIC, "a dynamic command, a static result");
        if (c->flags & PE_SHELL_C_RUNS_OUTPUT)
            FZ_CHECK(r->flags & PE_SHELL_PIPE_TO_INTERP, "runs output, not flagged");
        /* a name rebuilt from known values (rm${IFS}-rf) is summarised as
         * the command it stands for */
        if (c->base.len && !(c->flags & (PE_SHELL_C_DYNAMIC | PE_SHELL_C_RESOLVED))) {
            int listed = 0;
            for (size_t k = 0; k < r->ncommands && !listed; k++)
                listed = r->commands[k].len == c->base.len &&
                         memcmp(r->commands[k].s, c->base.s, c->base.len) == 0;
            FZ_CHECK(listed, "command '%.*s' missing from the summary", (int)c->base.len,
                     c->base.s);
        }
    }
    if (r->error)
        FZ_CHECK(r->flags & PE_SHELL_PARSE_ERROR, "an error message without the flag");
    pe_arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static prempti_engine *engine;
    static prempti_config *cfg;
    if (!engine) {
        engine = fz_engine(rules, sizeof(rules) - 1, NULL);
        cfg = fz_config("paths=lexical;home=/home/u");
    }
    size_t len = size;
    uint8_t *owned = size > 2 && data[0] == 0xff ? amplify(data, size, &len) : NULL;
    const uint8_t *cmd = owned ? owned : data;
    check_analysis((const char *)cmd, len);

    char *json = fz_payload("{\"session_id\":\"s\",\"cwd\":\"/home/u/proj\",\"hook_event_name\":"
                            "\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"",
                            cmd, len, "\"}}");
    prempti_event *ev = NULL;
    /* -2: bytes that are not UTF-8 may be refused by the JSON reader */
    int d = fz_decide_payload(engine, cfg, json, strlen(json), 0, &ev);
    if (ev) {
        char *limit = NULL;
        FZ_CHECK(prempti_event_field(&limit, ev, "shell.limit", NULL) == PREMPTI_OK, "field");
        if (strcmp(limit, "true") == 0)
            FZ_CHECK(d == -1 || d >= PREMPTI_ASK, "a limit, yet decision %d", d);
        prempti_free(limit);
    }
    prempti_event_free(ev);
    free(json);
    free(owned);
    return 0;
}
