/* Option ids and typed access to a config's values. */
#ifndef PE_CONFIG_INTERNAL_H
#define PE_CONFIG_INTERNAL_H

#include <stdint.h>

#include "prempti/config.h"

/* Same order as the table in config.c. */
typedef enum pe_opt {
    PE_OPT_FLOOR,
    PE_OPT_MODE,
    PE_OPT_LIMIT_DECISION,
    PE_OPT_DENY_TAGS,
    PE_OPT_ASK_TAGS,
    PE_OPT_ALLOW_TAGS,
    PE_OPT_MIN_PRIORITY,
    PE_OPT_REASON_SUFFIX,
    PE_OPT_ENABLE_RULES,
    PE_OPT_DISABLE_RULES,
    PE_OPT_ENABLE_TAGS,
    PE_OPT_DISABLE_TAGS,
    PE_OPT_MAX_RULES_BYTES,
    PE_OPT_MAX_YAML_DEPTH,
    PE_OPT_MAX_ITEMS,
    PE_OPT_MAX_CONDITION_DEPTH,
    PE_OPT_MAX_CONDITION_NODES,
    PE_OPT_MAX_COMPILED_BYTES,
    PE_OPT_MAX_REGEX_WORK,
    /* The options above are an engine's (compiled images are keyed on
     * them); those below are read per event. */
    PE_OPT_AGENT,
    PE_OPT_PATHS,
    PE_OPT_HOME,
    PE_OPT_AGENT_PID,
    PE_OPT_MAX_EVENT_BYTES,
    PE_OPT_MAX_JSON_DEPTH,
    PE_OPT_IMAGE_CHECK,
    PE_OPT_COUNT
} pe_opt;

#define PE_OPT_ENGINE_COUNT PE_OPT_AGENT

/* The value as text (the default when cfg is NULL or the option unset). */
const char *pe_config_str(const prempti_config *cfg, pe_opt opt);
/* An integer option's value. */
int64_t pe_config_int(const prempti_config *cfg, pe_opt opt);
/* A choice option's value as the index of the choice in its list. */
int pe_config_choice(const prempti_config *cfg, pe_opt opt);

/* Choice indexes, in the order of the choice lists in config.c. */
enum { PE_FLOOR_DEFER = 0, PE_FLOOR_ALLOW = 1 };
enum { PE_MODE_GUARDRAILS = 0, PE_MODE_MONITOR = 1 };
enum { PE_LIMIT_ASK = 0, PE_LIMIT_DENY = 1 };
enum { PE_PATHS_FILESYSTEM = 0, PE_PATHS_LEXICAL = 1 };
enum { PE_IMAGE_CHECK_LAZY = 0, PE_IMAGE_CHECK_FULL = 1 };

/* A copy of cfg (the defaults when cfg is NULL); NULL when out of memory. */
prempti_config *pe_config_clone(const prempti_config *cfg);

/* Parses a Falco priority name (case-insensitive, "info" accepted); -1 if unknown. */
int pe_priority_parse(const char *s, size_t len);

#endif
