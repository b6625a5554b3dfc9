/* Fuzz target: any bytes as a hook payload, with detection or as one of the
 * agents, against the shipped default pack (rules/) and, when the upstream
 * fixtures sit beside the project, upstream's pack, with paths resolved
 * through the filesystem as in production. Results pass fz_check_result(). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "fuzz.h"

static const char *const agents[] = {"", "claude_code", "codex", "copilot", "gemini", "cursor"};
#define NAGENTS (sizeof(agents) / sizeof(agents[0]))

static prempti_engine *load_pack(const char *path)
{
    prempti_engine *e = NULL;
    prempti_error *err = NULL;
    if (prempti_engine_new(&e, NULL, &err) || prempti_engine_load_rules_path(e, path, &err))
        fz_fail(__FILE__, __LINE__, "pack loads", "%s: %s", path, prempti_error_message(err));
    return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static prempti_engine *packs[2];
    static size_t npacks;
    static prempti_config *cfgs[NAGENTS];
    if (!npacks) {
        struct stat st;
        packs[npacks++] = load_pack(PREMPTI_SOURCE_DIR "/rules");
        if (stat(PREMPTI_COMPAT_DIR "/coding_agents_rules.yaml", &st) == 0)
            packs[npacks++] = load_pack(PREMPTI_COMPAT_DIR);
        for (size_t a = 0; a < NAGENTS; a++) {
            char pairs[64];
            snprintf(pairs, sizeof(pairs), "agent=%s", agents[a]);
            cfgs[a] = fz_config(pairs);
        }
    }
    /* one dialect per input, chosen by its length (fuzz_event reads every
     * input as every dialect): the packs are what this target explores */
    size_t a = size % NAGENTS;
    prempti_event *ev = NULL;
    fz_decide_payload(packs[0], cfgs[a], (const char *)data, size, a == 0, &ev);
    for (size_t p = 1; ev && p < npacks; p++)
        fz_evaluate(packs[p], ev, a == 0);
    prempti_event_free(ev);
    return 0;
}
