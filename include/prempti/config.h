/*
 * prempti/config.h - options, set by key.
 *
 * A config object holds options as key/value text, so that new options never
 * add symbols and the same keys work in config files, environment variables,
 * command-line flags and the Python and Node bindings. Each key is checked
 * when it is set: an unknown key gives PREMPTI_E_UNSUPPORTED, a bad value
 * PREMPTI_E_INVALID_ARG, and the config is left unchanged.
 *
 * The engine copies the options it needs in prempti_engine_new(), and
 * prempti_event_from_json() reads the event options when it is called: a
 * config may be changed or freed afterwards without affecting either.
 *
 * Keys (values are text; lists are comma-separated):
 *
 *   Evaluation (read by prempti_engine_new):
 *   floor          "defer" (default) | "allow"   decision when no rule decides
 *   mode           "guardrails" (default) | "monitor"   monitor answers defer
 *                  and reports the would-be decision
 *   limit_decision "ask" (default) | "deny"   the least an event gets when its
 *                  analysis stopped at a limit (whatever the rules decide)
 *   deny_tags      tags that make a matching rule deny   ("coding_agent_deny")
 *   ask_tags       tags that make a matching rule ask    ("coding_agent_ask")
 *   allow_tags     tags that make a matching rule allow  ("coding_agent_allow")
 *   min_priority   least severe priority kept, Falco names ("debug")
 *   reason_suffix  text appended to the reason; may use %fields like an
 *                  output. "" for none. (default: see docs/configuration.md)
 *   enable_rules   rule-name patterns (`*` wildcards) to enable
 *   disable_rules  rule-name patterns to disable
 *   enable_tags    tags whose rules are enabled
 *   disable_tags   tags whose rules are disabled
 *                  (disabling wins over enabling; both win over `enabled:`)
 *
 *   Rules loading (read by prempti_engine_new):
 *   max_rules_bytes   largest rules text accepted   (16 MiB; 1 KiB .. 1 GiB)
 *   max_yaml_depth    deepest YAML nesting          (64; 4 .. 1024)
 *   max_items         most items over all files     (100000; 1 .. 10000000)
 *   max_condition_depth  deepest condition nesting  (1000; 8 .. 10000)
 *   max_condition_nodes  condition nodes over all rules, macros expanded
 *                     (4194304; 1 .. 1000000000)
 *   max_compiled_bytes   memory of the compiled rules (256 MiB; 64 KiB .. 4 GiB - 64 KiB)
 *
 *   Evaluation limits (read by prempti_engine_new):
 *   max_regex_work    regex matching steps per evaluation; past it the
 *                     evaluation fails with PREMPTI_E_LIMIT
 *                     (1000000000; 1 .. 1000000000000)
 *
 *   Events (read by prempti_event_from_json):
 *   agent          "" (default: detect from the payload's shape) | "claude_code"
 *                  | "codex" | "copilot" | "gemini" | "cursor" | "neutral"
 *                  (the neutral shape, for harnesses: docs/embedding.md)
 *   paths          "filesystem" (default: resolve symlinks) | "lexical"
 *                  (never touch the filesystem)
 *   home           home directory for `~` and `$HOME` in paths
 *                  (default: the HOME environment variable, read per event)
 *   agent_pid      the agent's process id, for agent.pid   (0)
 *   max_event_bytes   largest payload accepted      (64 MiB; 1 KiB .. 1 GiB)
 *   max_json_depth    deepest JSON nesting          (64; 2 .. 1000)
 *
 *   Compiled images (read by prempti_engine_load_compiled):
 *   image_check    "lazy" (default: each part of the image is checked before
 *                  its first use, and a damaged one fails that evaluation with
 *                  PREMPTI_E_IMAGE) | "full" (every part checked when loading)
 */
#ifndef PREMPTI_CONFIG_H
#define PREMPTI_CONFIG_H

#include "prempti/common.h"
#include "prempti/error.h"

PREMPTI_BEGIN_DECL

/**
 * Creates a config holding the defaults.
 * @param[out] out receives a new config; release it with prempti_config_free().
 * @return PREMPTI_OK; PREMPTI_E_NOMEM; PREMPTI_E_INVALID_ARG (out NULL).
 */
PREMPTI_API int prempti_config_new(prempti_config **out, prempti_error **err);

/** Releases a config. Accepts NULL. */
PREMPTI_API void prempti_config_free(prempti_config *cfg);

/**
 * Sets one option. key and value are NUL-terminated text.
 * @return PREMPTI_OK; PREMPTI_E_UNSUPPORTED for an unknown key;
 *         PREMPTI_E_INVALID_ARG for a value the key does not accept (the
 *         message says what is accepted; a reason_suffix is compiled here,
 *         so one naming an unknown field or ending in '%' is refused now
 *         rather than by prempti_engine_new()) or for a NULL cfg, key or
 *         value; PREMPTI_E_NOMEM. On failure the config is unchanged.
 */
PREMPTI_API int prempti_config_set(prempti_config *cfg, const char *key, const char *value,
                                   prempti_error **err);

/**
 * The current value of an option, in normalised form (e.g. "defer").
 * Borrowed: valid until the option is set again or the config is freed.
 * Returns NULL for an unknown key or a NULL config.
 */
PREMPTI_API const char *prempti_config_get(const prempti_config *cfg, const char *key);

/**
 * The name of the i-th known option key, for listing them; NULL when i is
 * out of range. Static string.
 */
PREMPTI_API const char *prempti_config_key(size_t i);

PREMPTI_END_DECL

#endif /* PREMPTI_CONFIG_H */
