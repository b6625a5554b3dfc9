/*
 * Settings shared by the prempti command and the hook adapter: built-in
 * defaults, then the config file (~/.prempti/config.yaml), then environment
 * variables, then command-line flags; each later source overrides the
 * earlier ones key by key. docs/tools.md describes every key.
 */
#ifndef PT_SETTINGS_H
#define PT_SETTINGS_H

#include <prempti/prempti.h>

#include "str.h"

/* Where CMake installs the default rule pack and the programs; paths.h
 * looks beside the running program first. */
#ifndef PT_DEFAULT_RULES_DIR
#define PT_DEFAULT_RULES_DIR "/usr/local/share/prempti/rules"
#endif
#ifndef PT_INSTALL_BINDIR
#define PT_INSTALL_BINDIR "/usr/local/bin"
#endif
/* The default pack relative to the programs' directory (see paths.h). */
#ifndef PT_RULES_FROM_BINDIR
#define PT_RULES_FROM_BINDIR "../share/prempti/rules"
#endif

/* Values from the command line; NULL (or -1) when a flag was not given. */
typedef struct pt_flags {
    const char *config;
    const char *mode;
    const char *floor;
    const char *audit_log;
    pt_strv rules; /* --rules, in order */
    int fail_open;
    int no_cache; /* --no-cache: 1, else 0 */
} pt_flags;

#define PT_FLAGS_INIT                                                                              \
    {                                                                                              \
        NULL, NULL, NULL, NULL, {NULL, 0, 0}, -1, 0                                                \
    }

typedef struct pt_settings {
    char *home;          /* $HOME, or NULL when it is not set */
    char *config_path;   /* the config file consulted, or NULL when none */
    int config_found;    /* whether it exists (and was read) */
    pt_strv opt_keys;    /* library options (prempti/config.h) in the order set */
    pt_strv opt_values;  /* ... their values */
    pt_strv opt_origins; /* ... and where each was set ("config.yaml:3:7", "--floor") */
    pt_strv rules;       /* rules files and directories, in load order */
    char *rules_origin;  /* where the list came from ("default", "--rules", ...) */
    char *audit_log;     /* the audit log, or NULL when records are not kept */
    char *audit_origin;
    int fail_open;
    int use_cache; /* the compiled-pack cache (cache.h): config `cache`, PREMPTI_CACHE,
                      --no-cache; on by default */
} pt_settings;

/* Loads the settings. On failure the message names the source and the
 * problem ("/root/.prempti/config.yaml:3:8: ..."). Free with
 * pt_settings_free() in every case. */
int pt_settings_load(pt_settings *s, const pt_flags *flags, char **errmsg);
void pt_settings_free(pt_settings *s);

/* The effective value of a library option and where it was set; NULL when
 * it was not set anywhere (the library's default applies). */
const char *pt_settings_option(const pt_settings *s, const char *key, const char **origin);

/* A new config holding the options, with agent set (NULL or "" detects). */
int pt_settings_config(const pt_settings *s, const char *agent, prempti_config **out,
                       char **errmsg);

/* The config file the settings read (and prempti mode writes): --config,
 * else $PREMPTI_CONFIG, else $HOME/.prempti/config.yaml; a new string, or
 * NULL when there is none (no HOME) or out of memory. */
char *pt_config_path(const pt_flags *flags);

/*
 * Loads rules paths in order into engine. For each diagnostic (the notes and
 * the error of a failed load; else, once everything loaded, the engine's
 * warnings) calls on_diag when it is not NULL. On failure *errmsg is "rules failed to load:
 * <the error formatted as file:line:col: error: message>" and loading stops.
 */
typedef void (*pt_diag_fn)(const prempti_error *diag, void *ctx);
int pt_load_rules(prempti_engine *engine, const pt_strv *paths, pt_diag_fn on_diag, void *ctx,
                  char **errmsg);

/* An error's one-line form (prempti_error_format), or its message. */
char *pt_error_text(const prempti_error *err);

#endif
