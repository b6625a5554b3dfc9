/*
 * Whether an agent will really run the registered adapter: the switches
 * and trust records that make an agent skip hooks it has registered
 * (Claude Code's disableAllHooks, Gemini CLI's hooksConfig and folder
 * trust, Codex's hook trust and [features] hooks). prempti install and
 * prempti status print these.
 */
#ifndef PT_HOOKSTATE_H
#define PT_HOOKSTATE_H

#include "hookfile.h"

struct json_object;

/* Appends to warnings one sentence for each reason the agent may not run
 * the adapter registered in root (its hook file, already read); -1 out of
 * memory. */
int pt_hook_warnings(const pt_agent_spec *a, struct json_object *root, pt_strv *warnings);

/* Codex: the trust keys and hashes of the adapter handlers in root. */
int pt_codex_our_trust(struct json_object *root, const pt_agent_spec *a, pt_strv *keys,
                       pt_strv *hashes, char **errmsg);

#endif
