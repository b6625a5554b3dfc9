#include "hookstate.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "codextrust.h"
#include "fileio.h"

#define CONFIG_TOML_MAX_BYTES ((size_t)4 << 20)

/* Claude Code's managed settings, which override the user's. */
#define CLAUDE_MANAGED_SETTINGS "/etc/claude-code/managed-settings.json"

static json_object *get_path(json_object *o, const char *a, const char *b)
{
    json_object *v = NULL;
    if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, a, &v))
        return NULL;
    if (b && (!json_object_is_type(v, json_type_object) || !json_object_object_get_ex(v, b, &v)))
        return NULL;
    return v;
}

static int is_true(json_object *v)
{
    return json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

static int is_false(json_object *v)
{
    return json_object_is_type(v, json_type_boolean) && !json_object_get_boolean(v);
}

static int warn(pt_strv *w, char *text)
{
    return pt_strv_take(w, text);
}

static int claude_warnings(json_object *root, pt_strv *w)
{
    char *msg = NULL;
    json_object *managed = NULL;
    int exists = 0, rc = 0;
    if (is_true(get_path(root, "disableAllHooks", NULL)))
        rc |= warn(w, pt_strdup("disableAllHooks is true in the user settings: Claude Code runs "
                                "no hooks, the adapter included"));
    if (pt_json_file_load(CLAUDE_MANAGED_SETTINGS, &managed, &exists, &msg) == 0 && exists) {
        if (is_true(get_path(managed, "disableAllHooks", NULL)))
            rc |= warn(w, pt_strdup("disableAllHooks is true in " CLAUDE_MANAGED_SETTINGS
                                    ": Claude Code runs no hooks"));
        if (is_true(get_path(managed, "allowManagedHooksOnly", NULL)))
            rc |= warn(w, pt_strdup("allowManagedHooksOnly is true in " CLAUDE_MANAGED_SETTINGS
                                    ": Claude Code ignores the user's hooks, the adapter "
                                    "included"));
    }
    json_object_put(managed);
    free(msg);
    return rc;
}

static int gemini_warnings(json_object *root, pt_strv *w)
{
    int rc = 0;
    json_object *disabled = get_path(root, "hooksConfig", "disabled");
    if (is_false(get_path(root, "hooksConfig", "enabled")))
        rc |= warn(w, pt_strdup("hooksConfig.enabled is false: Gemini CLI runs no hooks, the "
                                "adapter included"));
    for (size_t i = 0;
         json_object_is_type(disabled, json_type_array) && i < json_object_array_length(disabled);
         i++) {
        const char *name = json_object_get_string(json_object_array_get_idx(disabled, i));
        if (name && (strcmp(name, "prempti") == 0 || strstr(name, "prempti-hook")))
            rc |= warn(w, pt_fmt("hooksConfig.disabled lists '%s': Gemini CLI skips the "
                                 "adapter",
                                 name));
    }
    if (is_true(get_path(root, "security", "folderTrust")) ||
        is_true(get_path(get_path(root, "security", "folderTrust"), "enabled", NULL)))
        rc |= warn(w, pt_strdup("folder trust is on: in a folder you have not trusted Gemini "
                                "CLI runs none of the hooks of its settings files, the "
                                "adapter included (see docs/agents.md)"));
    return rc;
}

static int codex_warnings(json_object *root, const pt_agent_spec *a, pt_strv *w)
{
    char *msg = NULL, *path = pt_codex_config_toml(&msg), *text = NULL;
    size_t len = 0;
    pt_strv keys = {0}, hashes = {0};
    int rc = 0;
    if (path && pt_exists(path) && pt_read_path(path, CONFIG_TOML_MAX_BYTES, &text, &len, &msg))
        rc |= warn(w, pt_fmt("cannot tell whether Codex trusts the adapter: %s", msg));
    if (!text && !rc)
        text = pt_strdup("");
    if (text && pt_codex_hooks_disabled(text))
        rc |= warn(w, pt_fmt("[features] hooks = false in %s: Codex runs no hooks", path));
    if (text && pt_codex_our_trust(root, a, &keys, &hashes, &msg) == 0) {
        for (size_t i = 0; i < keys.count; i++) {
            int other = 0,
                state = pt_codex_trust_state(text, keys.items[i], hashes.items[i], &other);
            if (state == -1)
                rc |= warn(w, pt_fmt("Codex has the hook %s switched off (enabled = false)",
                                     keys.items[i]));
            else if (state == 0)
                rc |= warn(w, pt_fmt("Codex does not trust the hook %s%s, and skips it: run "
                                     "prempti install codex again, or trust it in Codex (/hooks)",
                                     keys.items[i], other ? " as it is now" : ""));
        }
    }
    pt_strv_clear(&keys);
    pt_strv_clear(&hashes);
    free(path);
    free(text);
    free(msg);
    return rc;
}

int pt_hook_warnings(const pt_agent_spec *a, json_object *root, pt_strv *warnings)
{
    if (strcmp(a->agent, "claude_code") == 0)
        return claude_warnings(root, warnings);
    if (strcmp(a->agent, "gemini") == 0)
        return gemini_warnings(root, warnings);
    if (strcmp(a->agent, "codex") == 0)
        return codex_warnings(root, a, warnings);
    return 0;
}

typedef struct trust_ctx {
    const char *hooks_path;
    pt_strv *keys, *hashes;
    int oom;
} trust_ctx;

static void add_trust(const char *event, size_t group, size_t index, const char *matcher,
                      json_object *handler, void *ctx)
{
    trust_ctx *t = ctx;
    if (pt_strv_take(t->keys, pt_codex_hook_key(t->hooks_path, event, group, index)) ||
        pt_strv_take(t->hashes, pt_codex_hook_hash(event, matcher, handler)))
        t->oom = 1;
}

int pt_codex_our_trust(json_object *root, const pt_agent_spec *a, pt_strv *keys, pt_strv *hashes,
                       char **errmsg)
{
    char *path = pt_codex_hooks_key_path(errmsg);
    if (!path)
        return -1;
    trust_ctx t = {path, keys, hashes, 0};
    pt_hooks_each_ours(root, a, add_trust, &t);
    free(path);
    return t.oom ? pt_fail(errmsg, "out of memory") : 0;
}
