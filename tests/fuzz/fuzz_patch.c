/* Fuzz target: apply_patch text, parsed directly and as the command of a
 * Codex apply_patch call. The parser accepts or refuses with a message
 * (never both, never a silent partial list); every file's path and hunk lie
 * inside the text; the event is evaluated once per touched file and passes
 * fz_check_result(), and a file under /etc, wherever it appears, denies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/patch.h"
#include "fuzz.h"

static const char rules[] =
    "- rule: system file\n  desc: d\n  condition: tool.real_file_path startswith /etc/\n"
    "  output: \"%tool.patch_op %tool.real_file_path\"\n  priority: CRITICAL\n"
    "  source: coding_agent\n  tags: [coding_agent_deny]\n"
    "- rule: every file\n  desc: d\n  condition: tool.patch_op in (Add, Update, Delete, Move)\n"
    "  output: \"%tool.file_name %tool.input_text\"\n  priority: INFO\n  source: coding_agent\n";

static int inside(const uint8_t *data, size_t size, pe_str s)
{
    return s.len == 0 ||
           ((const uint8_t *)s.s >= data && (const uint8_t *)s.s + s.len <= data + size);
}

/* A file under /etc/ as written: no `..`, backslash or control byte that
 * normalising could turn elsewhere, and a name after /etc/ (`/etc//` and
 * `/etc/./` are /etc itself). */
static int under_etc(pe_str p)
{
    if (p.len <= 5 || memcmp(p.s, "/etc/", 5) != 0)
        return 0;
    int named = 0;
    for (size_t i = 0; i < p.len; i++) {
        if ((unsigned char)p.s[i] < 0x20 || p.s[i] == '\\' ||
            (p.s[i] == '.' && i + 1 < p.len && p.s[i + 1] == '.'))
            return 0;
        named |= i >= 5 && p.s[i] != '/' && p.s[i] != '.';
    }
    return named;
}

/* Parses the first envelope of the text; 1 when all parsed, with whether a file
 * lies under /etc/. */
static int parse(const uint8_t *data, size_t size, int *etc)
{
    pe_patch p = {0};
    char msg[256] = "";
    size_t from = pe_patch_find_begin((const char *)data, size, 0);
    FZ_CHECK(from <= size, "begin at %zu of %zu", from, size);
    if (from == size)
        return 0;
    int rc = pe_patch_parse(&p, (const char *)data, size, from, msg, sizeof(msg));
    FZ_CHECK(rc >= -1 && rc <= 2, "parse returned %d", rc);
    FZ_CHECK(rc == 0 || rc == -1 || msg[0], "a refused patch without a message");
    FZ_CHECK(p.count <= PE_PATCH_MAX_FILES, "%zu files", p.count);
    for (size_t i = 0; rc == 0 && i < p.count; i++) {
        FZ_CHECK(inside(data, size, p.files[i].path) && inside(data, size, p.files[i].hunk),
                 "file %zu points outside the text", i);
        *etc |= under_etc(p.files[i].path);
    }
    pe_patch_free(&p);
    return rc == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static prempti_engine *engine;
    static prempti_config *cfg;
    if (!engine) {
        engine = fz_engine(rules, sizeof(rules) - 1, NULL);
        cfg = fz_config("paths=lexical;home=/home/u;agent=codex");
    }
    int etc = 0;
    int parsed = parse(data, size, &etc);
    char *json = fz_payload("{\"session_id\":\"s\",\"turn_id\":\"t\",\"cwd\":\"/home/u/proj\","
                            "\"hook_event_name\":\"PreToolUse\",\"model\":\"m\",\"tool_name\":"
                            "\"apply_patch\",\"tool_input\":{\"command\":\"",
                            data, size, "\"}}");
    int d = fz_decide_payload(engine, cfg, json, strlen(json), 1, NULL);
    if (d >= 0 && parsed && etc)
        FZ_CHECK(d == PREMPTI_DENY, "a file under /etc/, decision %d", d);
    free(json);
    return 0;
}
