#include "explain.h"

#include <stdlib.h>
#include <string.h>

#include "str.h"

#define EXPLAIN_MAX_DEPTH 20002

json_object *pt_explain(const prempti_engine *engine, const prempti_event *ev, char **errmsg)
{
    char *text = NULL;
    prempti_error *err = NULL;
    if (prempti_explain(&text, engine, ev, &err) != PREMPTI_OK) {
        *errmsg = pt_fmt("cannot explain: %s", err ? prempti_error_message(err) : "out of memory");
        prempti_error_free(err);
        return NULL;
    }
    /* as deep as conditions may nest (max_condition_depth), two levels each */
    json_tokener *tok = json_tokener_new_ex(EXPLAIN_MAX_DEPTH);
    json_object *j = tok ? json_tokener_parse_ex(tok, text, (int)strlen(text)) : NULL;
    json_tokener_free(tok);
    prempti_free(text);
    if (!j)
        *errmsg = pt_fmt("cannot explain: the explanation is not JSON");
    return j;
}

static const char *member_str(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

static int member_bool(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_get_boolean(v);
}

static void print_node(FILE *out, json_object *node, const char *indent, int depth)
{
    pt_term_printf(out, "%s%*s[%s] %s%s\n", indent, depth * 2, "",
                   member_bool(node, "result") ? "yes" : "no ", member_str(node, "expr"),
                   member_bool(node, "truncated") ? " ..." : "");
    json_object *kids;
    if (!json_object_object_get_ex(node, "children", &kids))
        return;
    for (size_t i = 0; i < json_object_array_length(kids); i++)
        print_node(out, json_object_array_get_idx(kids, i), indent, depth + 1);
}

static int wanted(const char *rule, int matched, const char *const *names, size_t n)
{
    if (!names)
        return matched;
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], rule) == 0)
            return 1;
    return 0;
}

void pt_explain_print(FILE *out, json_object *explain, const char *const *names, size_t n,
                      const char *indent)
{
    json_object *rules;
    if (!explain || !json_object_object_get_ex(explain, "rules", &rules))
        return;
    for (size_t i = 0; i < json_object_array_length(rules); i++) {
        json_object *r = json_object_array_get_idx(rules, i);
        const char *name = member_str(r, "rule");
        int matched = member_bool(r, "matched");
        if (!wanted(name, matched, names, n))
            continue;
        json_object *view, *cond;
        int v = json_object_object_get_ex(r, "view", &view) ? json_object_get_int(view) : 0;
        pt_term_printf(out, "%s'%s' %s", indent, name, matched ? "matched" : "did not match");
        if (v)
            fprintf(out, " (file %d of the patch)", v + 1);
        fprintf(out, ":\n");
        if (json_object_object_get_ex(r, "condition", &cond)) {
            char deeper[64];
            snprintf(deeper, sizeof(deeper), "%s  ", indent);
            print_node(out, cond, deeper, 0);
        }
    }
}
