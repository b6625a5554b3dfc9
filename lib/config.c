#include "config_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error_internal.h"
#include "output/suffix.h"
#include "util/mem.h"
#include "util/strbuf.h"

typedef enum { K_CHOICE, K_TEXT, K_INT, K_PRIORITY, K_AGENT, K_FORMAT } opt_kind;

typedef struct optdef {
    const char *name;
    opt_kind kind;
    const char *def;
    const char *const *choices; /* K_CHOICE: NULL-terminated */
    int64_t min, max;           /* K_INT */
} optdef;

static const char *const floor_choices[] = {"defer", "allow", NULL};
static const char *const mode_choices[] = {"guardrails", "monitor", NULL};
static const char *const limit_choices[] = {"ask", "deny", NULL};
static const char *const paths_choices[] = {"filesystem", "lexical", NULL};
static const char *const image_check_choices[] = {"lazy", "full", NULL};
static const char *const agent_choices[] = {"",       "claude_code", "codex",   "copilot",
                                            "gemini", "cursor",      "neutral", NULL};

#define DEFAULT_SUFFIX                                                                             \
    " | For AI agents: this action was stopped or flagged by a libprempti policy rule; "           \
    "tell the user what was blocked and why | correlation=%correlation.id"

static const optdef opts[PE_OPT_COUNT] = {
    [PE_OPT_FLOOR] = {"floor", K_CHOICE, "defer", floor_choices, 0, 0},
    [PE_OPT_MODE] = {"mode", K_CHOICE, "guardrails", mode_choices, 0, 0},
    [PE_OPT_LIMIT_DECISION] = {"limit_decision", K_CHOICE, "ask", limit_choices, 0, 0},
    [PE_OPT_DENY_TAGS] = {"deny_tags", K_TEXT, "coding_agent_deny", NULL, 0, 0},
    [PE_OPT_ASK_TAGS] = {"ask_tags", K_TEXT, "coding_agent_ask", NULL, 0, 0},
    [PE_OPT_ALLOW_TAGS] = {"allow_tags", K_TEXT, "coding_agent_allow", NULL, 0, 0},
    [PE_OPT_MIN_PRIORITY] = {"min_priority", K_PRIORITY, "debug", NULL, 0, 0},
    [PE_OPT_REASON_SUFFIX] = {"reason_suffix", K_FORMAT, DEFAULT_SUFFIX, NULL, 0, 0},
    [PE_OPT_ENABLE_RULES] = {"enable_rules", K_TEXT, "", NULL, 0, 0},
    [PE_OPT_DISABLE_RULES] = {"disable_rules", K_TEXT, "", NULL, 0, 0},
    [PE_OPT_ENABLE_TAGS] = {"enable_tags", K_TEXT, "", NULL, 0, 0},
    [PE_OPT_DISABLE_TAGS] = {"disable_tags", K_TEXT, "", NULL, 0, 0},
    [PE_OPT_MAX_RULES_BYTES] = {"max_rules_bytes", K_INT, "16777216", NULL, 1024, 1073741824},
    [PE_OPT_MAX_YAML_DEPTH] = {"max_yaml_depth", K_INT, "64", NULL, 4, 1024},
    [PE_OPT_MAX_ITEMS] = {"max_items", K_INT, "100000", NULL, 1, 10000000},
    [PE_OPT_MAX_CONDITION_DEPTH] = {"max_condition_depth", K_INT, "1000", NULL, 8, 10000},
    [PE_OPT_MAX_CONDITION_NODES] = {"max_condition_nodes", K_INT, "4194304", NULL, 1, 1000000000},
    /* compiled rules refer to themselves by 32-bit offsets (util/region.h):
     * at most 4 GiB less 64 KiB */
    [PE_OPT_MAX_COMPILED_BYTES] = {"max_compiled_bytes", K_INT, "268435456", NULL, 65536,
                                   4294901760LL},
    [PE_OPT_MAX_REGEX_WORK] = {"max_regex_work", K_INT, "1000000000", NULL, 1, 1000000000000LL},
    [PE_OPT_AGENT] = {"agent", K_CHOICE, "", agent_choices, 0, 0},
    [PE_OPT_PATHS] = {"paths", K_CHOICE, "filesystem", paths_choices, 0, 0},
    [PE_OPT_HOME] = {"home", K_TEXT, "", NULL, 0, 0},
    [PE_OPT_AGENT_PID] = {"agent_pid", K_INT, "0", NULL, 0, 4294967295LL},
    [PE_OPT_MAX_EVENT_BYTES] = {"max_event_bytes", K_INT, "67108864", NULL, 1024, 1073741824},
    [PE_OPT_MAX_JSON_DEPTH] = {"max_json_depth", K_INT, "64", NULL, 2, 1000},
    [PE_OPT_IMAGE_CHECK] = {"image_check", K_CHOICE, "lazy", image_check_choices, 0, 0},
};

struct prempti_config {
    char *values[PE_OPT_COUNT]; /* NULL: default */
};

static const char *const priority_names[] = {"emergency", "alert",  "critical",      "error",
                                             "warning",   "notice", "informational", "debug"};

int pe_priority_parse(const char *s, size_t len)
{
    for (int i = 0; i < 8; i++)
        if (strlen(priority_names[i]) == len && strncasecmp(s, priority_names[i], len) == 0)
            return i;
    if (len == 4 && strncasecmp(s, "info", 4) == 0)
        return 6;
    return -1;
}

static int find_key(const char *key)
{
    for (int i = 0; i < PE_OPT_COUNT; i++)
        if (strcmp(opts[i].name, key) == 0)
            return i;
    return -1;
}

static int parse_int(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno)
        return -1;
    *out = v;
    return 0;
}

static int choice_index(const optdef *d, const char *value)
{
    for (int i = 0; d->choices[i]; i++)
        if (strcmp(d->choices[i], value) == 0)
            return i;
    return -1;
}

/* Validates value for d; returns the normalised text (caller frees) or NULL. */
static char *normalise(const optdef *d, const char *value, prempti_error **err, int *code)
{
    *code = PREMPTI_E_INVALID_ARG;
    switch (d->kind) {
    case K_CHOICE:
    case K_AGENT:
        if (choice_index(d, value) < 0) {
            pe_strbuf sb = PE_STRBUF_INIT;
            for (int i = 0; d->choices[i]; i++)
                pe_sb_printf(&sb, "%s'%s'", i ? ", " : "", d->choices[i]);
            pe_fail(err, PREMPTI_E_INVALID_ARG, "CONFIG_INVALID_VALUE",
                    "invalid value '%s' for option '%s': expected one of %s", value, d->name,
                    pe_sb_str(&sb));
            pe_sb_free(&sb);
            return NULL;
        }
        break;
    case K_PRIORITY:
        if (pe_priority_parse(value, strlen(value)) < 0) {
            pe_fail(err, PREMPTI_E_INVALID_ARG, "CONFIG_INVALID_VALUE",
                    "invalid value '%s' for option '%s': expected a Falco priority "
                    "(emergency, alert, critical, error, warning, notice, informational, "
                    "debug)",
                    value, d->name);
            return NULL;
        }
        return pe_strdup(priority_names[pe_priority_parse(value, strlen(value))]);
    case K_INT: {
        int64_t v;
        if (parse_int(value, &v) || v < d->min || v > d->max) {
            pe_fail(err, PREMPTI_E_INVALID_ARG, "CONFIG_INVALID_VALUE",
                    "invalid value '%s' for option '%s': expected an integer from %lld to "
                    "%lld",
                    value, d->name, (long long)d->min, (long long)d->max);
            return NULL;
        }
        break;
    }
    case K_FORMAT:
        if (value[0] && (*code = pe_suffix_check(value, err)) != PREMPTI_OK)
            return NULL;
        break;
    case K_TEXT:
        break;
    }
    char *n = pe_strdup(value);
    if (!n)
        *code = pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    return n;
}

const char *pe_config_str(const prempti_config *cfg, pe_opt opt)
{
    if (cfg && cfg->values[opt])
        return cfg->values[opt];
    return opts[opt].def;
}

int64_t pe_config_int(const prempti_config *cfg, pe_opt opt)
{
    int64_t v = 0;
    parse_int(pe_config_str(cfg, opt), &v); /* validated when set */
    return v;
}

int pe_config_choice(const prempti_config *cfg, pe_opt opt)
{
    int i = choice_index(&opts[opt], pe_config_str(cfg, opt));
    return i < 0 ? 0 : i;
}

int prempti_config_new(prempti_config **out, prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!out)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "out is NULL");
    *out = calloc(1, sizeof(**out));
    if (!*out)
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    return PREMPTI_OK;
}

prempti_config *pe_config_clone(const prempti_config *cfg)
{
    prempti_config *c = calloc(1, sizeof(*c));
    if (!c || !cfg)
        return c;
    for (int i = 0; i < PE_OPT_COUNT; i++) {
        if (cfg->values[i] && !(c->values[i] = pe_strdup(cfg->values[i]))) {
            prempti_config_free(c);
            return NULL;
        }
    }
    return c;
}

void prempti_config_free(prempti_config *cfg)
{
    if (!cfg)
        return;
    for (int i = 0; i < PE_OPT_COUNT; i++)
        free(cfg->values[i]);
    free(cfg);
}

int prempti_config_set(prempti_config *cfg, const char *key, const char *value, prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!cfg || !key || !value)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "config, key and value must not be NULL");
    int i = find_key(key);
    if (i < 0)
        return pe_fail(err, PREMPTI_E_UNSUPPORTED, "CONFIG_UNKNOWN_KEY", "unknown option '%s'",
                       key);
    int code;
    char *n = normalise(&opts[i], value, err, &code);
    if (!n)
        return code;
    free(cfg->values[i]);
    cfg->values[i] = n;
    return PREMPTI_OK;
}

const char *prempti_config_get(const prempti_config *cfg, const char *key)
{
    if (!cfg || !key)
        return NULL;
    int i = find_key(key);
    return i < 0 ? NULL : pe_config_str(cfg, (pe_opt)i);
}

const char *prempti_config_key(size_t i)
{
    return i < PE_OPT_COUNT ? opts[i].name : NULL;
}
