/*
 * evaluate_events: the smallest complete use of libprempti.
 *
 *   evaluate_events RULES_PATH EVENT.json...
 *
 * Loads a rules file or directory, then evaluates each hook payload and
 * prints its decision and the reason the agent would be given.
 */
#include <prempti/prempti.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, r;
    do {
        if (cap - n < 4096) {
            char *nb = realloc(buf, cap = cap * 2 + 4096);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        r = fread(buf + n, 1, cap - n, f);
        n += r;
    } while (r > 0);
    fclose(f);
    *len = n;
    return buf;
}

static void print_error(const char *what, prempti_error *err)
{
    char *text = NULL;
    if (prempti_error_format(&text, err) == PREMPTI_OK)
        fprintf(stderr, "%s: %s\n", what, text);
    prempti_free(text);
    prempti_error_free(err);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s RULES_PATH EVENT.json...\n", argv[0]);
        return 2;
    }
    prempti_engine *engine = NULL;
    prempti_error *err = NULL;
    if (prempti_engine_new(&engine, NULL, &err) ||
        prempti_engine_load_rules_path(engine, argv[1], &err)) {
        print_error("cannot load rules", err);
        prempti_engine_free(engine);
        return 1;
    }
    int status = 0;
    for (int i = 2; i < argc; i++) {
        size_t len = 0;
        char *json = read_file(argv[i], &len);
        prempti_event *event = NULL;
        prempti_result *result = NULL;
        const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
        if (!json) {
            fprintf(stderr, "%s: cannot read\n", argv[i]);
            status = 1;
        } else if (prempti_event_from_json(&event, NULL, json, len, &err) ||
                   prempti_evaluate(&result, engine, event, &err)) {
            /* a payload we cannot judge is never allowed */
            printf("%-28s deny   (invalid event: %s)\n", name, prempti_error_message(err));
            prempti_error_free(err);
            err = NULL;
        } else {
            const char *reason = prempti_result_reason(result);
            printf("%-28s %-6s %s\n", name,
                   prempti_decision_name(prempti_result_decision(result)),
                   reason[0] ? reason : "(no rule decided: the agent's own flow goes on)");
        }
        prempti_result_free(result);
        prempti_event_free(event);
        free(json);
    }
    prempti_engine_free(engine);
    return status;
}
