/* Fuzz target: any bytes as the tools' config file (~/.prempti/config.yaml,
 * read by the settings code the adapter and the prempti command share),
 * then every line of the form key=value given to prempti_config_set().
 * A config file loads or fails with a message naming the file; loaded
 * settings always make a config. prempti_config_set() accepts a value or
 * refuses it leaving the option unchanged; an accepted value reads back in
 * a normal form that is accepted again unchanged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "fuzz_proc.h"
#include "settings.h"

static char *config_path;

static void config_file(const uint8_t *data, size_t size)
{
    fz_write_file(config_path, data, size);
    pt_flags flags = PT_FLAGS_INIT;
    flags.config = config_path;
    pt_settings s;
    char *msg = NULL;
    if (pt_settings_load(&s, &flags, &msg) == 0) {
        prempti_config *cfg = NULL;
        char *cmsg = NULL;
        if (pt_settings_config(&s, NULL, &cfg, &cmsg) != 0)
            FZ_CHECK(cmsg && strstr(cmsg, config_path), "a config error not naming the file: %s",
                     cmsg ? cmsg : "(none)");
        prempti_config_free(cfg);
        free(cmsg);
    } else {
        FZ_CHECK(msg && msg[0], "a failed load without a message");
    }
    free(msg);
    pt_settings_free(&s);
}

static void set_one(prempti_config *cfg, const char *key, const char *value)
{
    const char *before = prempti_config_get(cfg, key);
    char *kept = before ? strdup(before) : NULL;
    prempti_error *err = NULL;
    int rc = prempti_config_set(cfg, key, value, &err);
    if (rc == PREMPTI_OK) {
        const char *now = prempti_config_get(cfg, key);
        FZ_CHECK(now, "accepted %s, reads NULL", key);
        char *norm = strdup(now);
        FZ_CHECK(prempti_config_set(cfg, key, norm, NULL) == PREMPTI_OK, "%s=%s not accepted", key,
                 norm);
        FZ_CHECK(strcmp(prempti_config_get(cfg, key), norm) == 0, "%s: not a normal form", key);
        free(norm);
        prempti_engine *e = NULL;
        FZ_CHECK(prempti_engine_new(&e, cfg, &err) == PREMPTI_OK || err, "engine");
        prempti_engine_free(e);
    } else {
        FZ_CHECK(rc == PREMPTI_E_UNSUPPORTED || rc == PREMPTI_E_INVALID_ARG, "set returned %d", rc);
        FZ_CHECK(err && prempti_error_message(err)[0], "a refusal without a message");
        FZ_CHECK(rc == PREMPTI_E_UNSUPPORTED ||
                     (kept && !strcmp(prempti_config_get(cfg, key), kept)),
                 "a refused value changed %s", key);
    }
    prempti_error_free(err);
    free(kept);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!config_path) {
        fz_tool_home("config");
        config_path = fz_in_home("config.yaml");
    }
    config_file(data, size);
    prempti_config *cfg = fz_config(NULL);
    char *text = fz_strndup(data, size), *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *eq = strchr(line, '=');
        if (eq) {
            *eq = '\0';
            set_one(cfg, line, eq + 1);
        }
    }
    free(text);
    prempti_config_free(cfg);
    return 0;
}
