/*
 * Codex runs a user-level hook only once it is trusted: config.toml holds,
 * per handler, [hooks.state."<hooks.json path>:<event>:<group>:<handler>"]
 * with trusted_hash = "sha256:<hex>", the SHA-256 of the handler's
 * normalised definition (compact JSON, keys sorted). A changed command is
 * untrusted again. This module computes those keys and hashes and edits
 * the few lines of config.toml that hold them, refusing files it cannot
 * edit safely.
 */
#ifndef PT_CODEXTRUST_H
#define PT_CODEXTRUST_H

#include "str.h"

struct json_object;

/* config.toml beside hooks.json, and the path Codex uses for hooks.json in
 * its keys ($CODEX_HOME resolved, else ~/.codex): new strings, or NULL. */
char *pt_codex_config_toml(char **errmsg);
char *pt_codex_hooks_key_path(char **errmsg);

/* The trust key and hash of one handler (a command handler of hooks.json):
 * new strings; NULL out of memory. */
char *pt_codex_hook_key(const char *hooks_path, const char *event, size_t group, size_t index);
char *pt_codex_hook_hash(const char *event, const char *matcher, struct json_object *handler);

/* text with trusted_hash set for each keys[i] to hashes[i] (set) or with
 * those tables removed (hashes NULL). A new string, or NULL with *errmsg
 * when the file holds the keys in a form this editor does not handle. */
char *pt_codex_trust_edit(const char *text, const pt_strv *keys, const pt_strv *hashes,
                          char **errmsg);

/* What config.toml says about a key: 1 trusted with hash, 0 not trusted
 * (or trusted with another hash: *other set), -1 disabled (enabled = false). */
int pt_codex_trust_state(const char *text, const char *key, const char *hash, int *other);

/* Whether config.toml turns hooks off ([features] hooks = false). */
int pt_codex_hooks_disabled(const char *text);

#endif
