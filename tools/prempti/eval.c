/* prempti eval: evaluate hook payloads and print each result as one JSON line. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "explain.h"
#include "fileio.h"
#include "payload.h"

static const char help[] =
    "usage: prempti eval [--rules PATH]... [--agent NAME] [--event NAME] [--config FILE]\n"
    "                    [--floor defer|allow] [--mode guardrails|monitor] [--table]\n"
    "                    [--explain] [--no-cache] [FILE|-]...\n"
    "\n"
    "Evaluates each hook payload (standard input when none or '-') against the\n"
    "rules and prints the result as one JSON line: decision, would_be, reason,\n"
    "deciding_rule and every matching rule with its priority, tags and output.\n"
    "\n"
    "  --rules PATH    rules file or directory, repeatable (default: configured rules)\n"
    "  --agent NAME    the payloads' agent (default: detected from each payload)\n"
    "  --event NAME    evaluate as this hook event: sets the payload's hook_event_name\n"
    "                  (hookName for a Copilot camelCase payload) before parsing it\n"
    "  --config FILE   config file (default: $PREMPTI_CONFIG, ~/.prempti/config.yaml)\n"
    "  --floor, --mode as in the config file\n"
    "  --table         one readable line per payload instead of JSON\n"
    "  --explain       also say which parts of each rule's condition held: in JSON an\n"
    "                  \"explain\" member (every active rule), with --table a tree under\n"
    "                  each payload (the rules that matched)\n"
    "  --no-cache      compile the rules from YAML, without the compiled-pack cache\n"
    "\n"
    "Exit status 0 when every payload was evaluated, 1 when one could not be.\n";

typedef struct eval_opts {
    pt_flags flags;
    const char *agent;
    const char *event;
    int table;
    int explain;
} eval_opts;

static char *field(const prempti_event *ev, const char *name)
{
    char *v = NULL;
    if (prempti_event_field(&v, ev, name, NULL) != PREMPTI_OK || !v)
        return pt_strdup("");
    char *copy = pt_strdup(v);
    prempti_free(v);
    return copy;
}

static void print_row(const char *file, const prempti_event *ev, const prempti_result *res)
{
    const char *name = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    char *tool = field(ev, "tool.name");
    int d = prempti_result_decision(res), w = prempti_result_would_be(res);
    char decision[32];
    snprintf(decision, sizeof(decision), d == w ? "%s" : "%s (would %s)", prempti_decision_name(d),
             prempti_decision_name(w));
    long m = prempti_result_deciding_match(res);
    pt_term_printf(stdout, "%-28s %-12s %-10s %-8s %s\n", name, prempti_event_agent(ev),
                   tool ? tool : "", decision,
                   m >= 0 ? prempti_result_match_rule(res, (size_t)m) : "(no rule decided)");
    if (m >= 0)
        pt_term_printf(stdout, "%28s %s\n", "", prempti_result_match_output(res, (size_t)m));
    free(tool);
}

/* Reads a payload and applies --event. */
static int load_payload(const eval_opts *o, const char *file, size_t max, char **text, size_t *len,
                        char **errmsg)
{
    if (pt_read_path(file, max, text, len, errmsg))
        return -1;
    if (!o->event)
        return 0;
    json_object *p = pt_json_parse(*text, *len, errmsg);
    if (!p || pt_payload_set_event(p, o->agent, o->event, errmsg)) {
        json_object_put(p);
        return -1;
    }
    free(*text);
    *text = pt_json_text(p);
    json_object_put(p);
    *len = *text ? strlen(*text) : 0;
    return *text ? 0 : pt_fail(errmsg, "out of memory");
}

static int eval_one(const eval_opts *o, const char *file, const prempti_config *cfg,
                    const prempti_engine *engine)
{
    char *text = NULL, *msg = NULL, *json = NULL;
    size_t len = 0;
    prempti_event *ev = NULL;
    prempti_result *res = NULL;
    prempti_error *err = NULL;
    const char *max = prempti_config_get(cfg, "max_event_bytes");
    int rc = load_payload(o, file, strtoull(max, NULL, 10), &text, &len, &msg);
    if (!rc && (prempti_event_from_json(&ev, cfg, text, len, &err) ||
                prempti_evaluate(&res, engine, ev, &err) ||
                (!o->table && prempti_result_to_json(&json, res, &err))))
        rc = -1;
    if (!rc && o->event && strcmp(prempti_event_hook(ev), o->event) != 0)
        rc = pt_fail(&msg, "--event %s did not take effect (the payload reads as %s)", o->event,
                     prempti_event_hook(ev));
    json_object *why = NULL;
    if (!rc && o->explain && !(why = pt_explain(engine, ev, &msg)))
        rc = -1;
    if (rc)
        cli_error("eval", 1, "%s: %s", strcmp(file, "-") ? file : "standard input",
                  msg   ? msg
                  : err ? prempti_error_message(err)
                        : "out of memory");
    else if (o->table) {
        print_row(file, ev, res);
        if (why)
            pt_explain_print(stdout, why, NULL, 0, "    ");
    } else if (why) {
        /* the result with the explanation as one more member */
        json_object *r = json_tokener_parse(json);
        json_object_object_add(r, "explain", json_object_get(why));
        printf("%s\n", json_object_to_json_string_ext(r, JSON_C_TO_STRING_PLAIN |
                                                             JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(r);
    } else
        printf("%s\n", json);
    json_object_put(why);
    prempti_free(json);
    prempti_error_free(err);
    prempti_result_free(res);
    prempti_event_free(ev);
    free(text);
    free(msg);
    return rc;
}

static int run(eval_opts *o, int nfiles, char **files)
{
    pt_settings s;
    if (cli_settings(&s, &o->flags, "eval")) {
        pt_settings_free(&s);
        return PT_EXIT_FAIL;
    }
    prempti_config *cfg = NULL;
    prempti_engine *engine = NULL;
    char *msg = NULL;
    int status = PT_EXIT_FAIL;
    if (pt_settings_config(&s, o->agent, &cfg, &msg))
        cli_error("eval", PT_EXIT_FAIL, "%s", msg ? msg : "out of memory");
    else if ((engine = cli_engine(&s, cfg, "eval")) != NULL) {
        static char *stdin_only[] = {"-"};
        if (nfiles == 0) {
            nfiles = 1;
            files = stdin_only;
        }
        status = PT_EXIT_OK;
        if (o->table)
            printf("%-28s %-12s %-10s %-8s %s\n", "PAYLOAD", "AGENT", "TOOL", "DECISION", "RULE");
        for (int i = 0; i < nfiles; i++)
            if (eval_one(o, files[i], cfg, engine))
                status = PT_EXIT_FAIL;
    }
    free(msg);
    prempti_engine_free(engine);
    prempti_config_free(cfg);
    pt_settings_free(&s);
    return status;
}

int cmd_eval(int argc, char **argv)
{
    enum { OPT_EVENT = OPT_LOCAL, OPT_TABLE, OPT_EXPLAIN };
    static const struct option opts[] = {{"rules", required_argument, NULL, OPT_RULES},
                                         {"config", required_argument, NULL, OPT_CONFIG},
                                         {"mode", required_argument, NULL, OPT_MODE},
                                         {"floor", required_argument, NULL, OPT_FLOOR},
                                         {"agent", required_argument, NULL, OPT_AGENT},
                                         {"event", required_argument, NULL, OPT_EVENT},
                                         {"table", no_argument, NULL, OPT_TABLE},
                                         {"explain", no_argument, NULL, OPT_EXPLAIN},
                                         {"no-cache", no_argument, NULL, OPT_NO_CACHE},
                                         {"help", no_argument, NULL, OPT_HELP},
                                         {NULL, 0, NULL, 0}};
    eval_opts o = {PT_FLAGS_INIT, NULL, NULL, 0, 0};
    int c, status = -1;
    while (status < 0 && (c = cli_next(argc, argv, opts, "eval")) != -1) {
        int r = cli_settings_flag(c, &o.flags);
        if (r < 0)
            status = cli_error("eval", PT_EXIT_FAIL, "out of memory");
        else if (r > 0)
            continue;
        else if (c == OPT_HELP)
            status = cli_help(help);
        else if (c == OPT_AGENT)
            o.agent = optarg;
        else if (c == OPT_EVENT)
            o.event = optarg;
        else if (c == OPT_TABLE)
            o.table = 1;
        else if (c == OPT_EXPLAIN)
            o.explain = 1;
        else
            status = PT_EXIT_USAGE;
    }
    if (status < 0)
        status = run(&o, argc - optind, argv + optind);
    pt_strv_clear(&o.flags.rules);
    return status;
}
