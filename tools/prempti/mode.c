/* prempti mode (show or set the mode in the config file) and prempti status. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "cli.h"
#include "fileio.h"
#include "hookfile.h"
#include "hookstate.h"
#include "yamldoc.h"

static const char mode_help[] =
    "usage: prempti mode [--config FILE] [guardrails|monitor]\n"
    "\n"
    "Without an argument, prints the mode in effect and where it was set. With\n"
    "one, writes 'mode: MODE' into the config file (default ~/.prempti/config.yaml,\n"
    "created when missing), changing nothing else in it.\n"
    "  guardrails   deny and ask decisions are enforced (the default)\n"
    "  monitor      calls are evaluated and recorded, but every answer is defer\n";

static const char status_help[] =
    "usage: prempti status [--config FILE]\n"
    "\n"
    "Prints the version, the config file, the mode, floor and fail mode, the rules\n"
    "and how many load, the audit log, and for each agent whether the hook adapter\n"
    "is installed. Exit status 1 when the settings or the rules fail to load.\n";

#define CONFIG_MAX_BYTES ((size_t)1 << 20)

/* text with the value of its top-level "mode" key replaced (or the key
 * added at the end); NULL with *errmsg when the file cannot be edited. */
static char *edit_mode(const char *path, const char *text, size_t len, const char *mode,
                       char **errmsg)
{
    pt_yaml y;
    if (pt_yaml_load(&y, text, len, path, errmsg))
        return NULL;
    yaml_node_t *root = pt_yaml_root(&y);
    if (root && pt_yaml_check_map(&y, root, "the config file", NULL, errmsg)) {
        pt_yaml_free(&y);
        return NULL;
    }
    yaml_node_t *v = root ? pt_yaml_get(&y, root, "mode") : NULL;
    char *out = NULL;
    if (v && v->type == YAML_SCALAR_NODE) {
        size_t a = v->start_mark.index, b = v->end_mark.index;
        out = pt_fmt("%.*s%s%s", (int)a, text, mode, text + b);
    } else if (v) {
        pt_fail(errmsg, "%s: 'mode' is not a single value", path);
    } else {
        int nl = len == 0 || text[len - 1] == '\n';
        out = pt_fmt("%s%smode: %s\n", text, nl ? "" : "\n", mode);
    }
    pt_yaml_free(&y);
    return out;
}

/* Checks that the edited file reads back with the new mode. */
static int reads_back(const char *path, const char *text, const char *mode)
{
    pt_yaml y;
    char *msg = NULL;
    if (pt_yaml_load(&y, text, strlen(text), path, &msg)) {
        free(msg);
        return 0;
    }
    const char *v = pt_yaml_str(pt_yaml_get(&y, pt_yaml_root(&y), "mode"));
    int ok = v && strcmp(v, mode) == 0;
    pt_yaml_free(&y);
    return ok;
}

static int set_mode(const pt_flags *f, const char *mode)
{
    if (strcmp(mode, "guardrails") != 0 && strcmp(mode, "monitor") != 0)
        return cli_error("mode", PT_EXIT_USAGE, "'%s' is not a mode (guardrails or monitor)", mode);
    char *path = pt_config_path(f), *text = NULL, *msg = NULL, *edited = NULL, *dir = NULL;
    size_t len = 0;
    int rc = path ? 0 : pt_fail(&msg, "HOME is not set: name the config file with --config");
    if (!rc && pt_exists(path))
        rc = pt_read_regular(path, CONFIG_MAX_BYTES, &text, &len, &msg);
    if (!rc && !(edited = edit_mode(path, text ? text : "", len, mode, &msg)))
        rc = -1;
    if (!rc && !reads_back(path, edited, mode))
        rc = pt_fail(&msg, "%s cannot be edited safely; set 'mode: %s' in it by hand", path, mode);
    if (!rc && !(dir = pt_dirname(path)))
        rc = pt_fail(&msg, "out of memory");
    if (!rc && !pt_is_dir(dir))
        rc = pt_mkdirs(dir, 0700, &msg);
    if (!rc)
        rc = pt_write_file_atomic(path, edited, strlen(edited), 0600, 1, &msg);
    if (rc) {
        cli_error("mode", PT_EXIT_FAIL, "%s", msg ? msg : "out of memory");
    } else {
        printf("mode: %s (written to %s)\n", mode, path);
        const char *env = getenv("PREMPTI_MODE");
        if (env && env[0] && strcmp(env, mode) != 0)
            printf("note: PREMPTI_MODE=%s is set and overrides the config file\n", env);
    }
    free(path);
    free(text);
    free(msg);
    free(edited);
    free(dir);
    return rc ? PT_EXIT_FAIL : PT_EXIT_OK;
}

static int show_mode(const pt_flags *f)
{
    pt_settings s;
    int status = PT_EXIT_FAIL;
    if (cli_settings(&s, f, "mode") == 0) {
        const char *origin = NULL, *mode = pt_settings_option(&s, "mode", &origin);
        printf("%s (%s)\n", mode ? mode : "guardrails", mode ? origin : "default");
        status = PT_EXIT_OK;
    }
    pt_settings_free(&s);
    return status;
}

/* The options of mode and status (--config, --help): -1 to go on, else the
 * exit status. */
static int config_option(int argc, char **argv, const char *cmd, const char *help, pt_flags *f)
{
    static const struct option opts[] = {{"config", required_argument, NULL, OPT_CONFIG},
                                         {"help", no_argument, NULL, OPT_HELP},
                                         {NULL, 0, NULL, 0}};
    int c;
    while ((c = cli_next(argc, argv, opts, cmd)) != -1) {
        if (c == OPT_HELP)
            return cli_help(help);
        if (c != OPT_CONFIG)
            return PT_EXIT_USAGE;
        f->config = optarg;
    }
    return -1;
}

int cmd_mode(int argc, char **argv)
{
    pt_flags f = PT_FLAGS_INIT;
    int status = config_option(argc, argv, "mode", mode_help, &f);
    if (status >= 0)
        return status;
    if (argc - optind > 1)
        return cli_error("mode", PT_EXIT_USAGE, "give one mode: guardrails or monitor");
    return optind < argc ? set_mode(&f, argv[optind]) : show_mode(&f);
}

/* ---- status ---- */

static void show_option(const pt_settings *s, const char *label, const char *key, const char *def)
{
    const char *origin = NULL, *v = pt_settings_option(s, key, &origin);
    printf("%-12s %s (%s)\n", label, v ? v : def, v ? origin : "default");
}

/* Loads the rules as the adapter would; 0 when they load. */
static int show_rules(const pt_settings *s)
{
    for (size_t i = 0; i < s->rules.count; i++)
        printf("%-12s %s%s%s%s\n", i ? "" : "rules:", s->rules.items[i], i ? "" : " (",
               i ? "" : s->rules_origin, i ? "" : ")");
    prempti_config *cfg = NULL;
    prempti_engine *engine = NULL;
    char *msg = NULL;
    int rc = pt_settings_config(s, NULL, &cfg, &msg);
    if (!rc && prempti_config_set(cfg, "image_check", "full", NULL))
        rc = pt_fail(&msg, "out of memory");
    if (!rc)
        rc = pt_engine_load(&engine, cfg, &s->rules, s->use_cache, NULL, NULL, NULL, &msg);
    if (rc) {
        printf("%-12s error: %s\n", "", msg ? msg : "out of memory");
    } else {
        size_t n = prempti_engine_rule_count(engine), active = 0;
        for (size_t i = 0; i < n; i++)
            active += (size_t)prempti_engine_rule_active(engine, i);
        printf("%-12s %zu rules loaded (%zu active), %zu warnings\n", "", n, active,
               prempti_engine_warning_count(engine));
    }
    free(msg);
    prempti_engine_free(engine);
    prempti_config_free(cfg);
    return rc;
}

static void show_agent(const pt_agent_spec *a)
{
    char *msg = NULL, *file = pt_agent_file(a, &msg), *command = NULL;
    json_object *root = NULL;
    pt_strv events = {0};
    int exists = 0;
    if (!file || pt_json_file_load(file, &root, &exists, &msg) ||
        pt_hooks_find(root, a, &events, &command, &msg)) {
        printf("  %-12s cannot tell: %s\n", a->agent, msg ? msg : "out of memory");
    } else if (events.count == 0) {
        printf("  %-12s not installed (%s)\n", a->agent, file);
    } else {
        char *list = pt_strv_join(&events, ", ");
        char *prog = command ? pt_command_program(command) : NULL;
        printf("  %-12s installed (%s) in %s\n", a->agent, list ? list : "", file);
        if (prog && access(prog, X_OK) != 0)
            printf("  %-12s warning: the registered adapter %s is not executable\n", "", prog);
        free(list);
        free(prog);
    }
    pt_strv warnings = {0};
    if (root && events.count && pt_hook_warnings(a, root, &warnings))
        printf("  %-12s cannot tell whether the hooks run: out of memory\n", "");
    for (size_t i = 0; i < warnings.count; i++)
        printf("  %-12s warning: %s\n", "", warnings.items[i]);
    pt_strv_clear(&warnings);
    json_object_put(root);
    pt_strv_clear(&events);
    free(command);
    free(file);
    free(msg);
}

int cmd_status(int argc, char **argv)
{
    pt_flags f = PT_FLAGS_INIT;
    int status = config_option(argc, argv, "status", status_help, &f);
    if (status >= 0)
        return status;
    if (optind < argc)
        return cli_error("status", PT_EXIT_USAGE, "unexpected argument '%s'", argv[optind]);
    printf("prempti %s\n", prempti_version_string());
    pt_settings s;
    status = PT_EXIT_FAIL;
    if (cli_settings(&s, &f, "status") == 0) {
        printf("%-12s %s\n", "config:", s.config_path ? s.config_path : "(none: HOME is not set)");
        if (s.config_path && !s.config_found)
            printf("%-12s (not found: defaults apply)\n", "");
        show_option(&s, "mode:", "mode", "guardrails");
        show_option(&s, "floor:", "floor", "defer");
        printf("%-12s %s\n",
               "on error:", s.fail_open ? "fail open (no decision)" : "fail closed (block)");
        status = show_rules(&s) ? PT_EXIT_FAIL : PT_EXIT_OK;
        printf("%-12s %s (%s)\n", "audit log:", s.audit_log ? s.audit_log : "none",
               s.audit_origin ? s.audit_origin : "default");
        printf("agents:\n");
        for (const char *const *a = pt_agents; *a; a++)
            show_agent(pt_agent_spec_find(*a));
    }
    pt_settings_free(&s);
    return status;
}
