#include "testcases.h"

#include <dirent.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include <prempti/prempti.h>

#include "fileio.h"
#include "payload.h"
#include "yamldoc.h"

#define CASE_FILE_MAX_BYTES ((size_t)64 << 20)
#define DEFAULT_HOME        "/home/user"
#define DEFAULT_CWD         "/home/user/project"

static const char *const case_keys[] = {"name",     "agent", "event",   "tool",   "input",
                                        "cwd",      "home",  "payload", "expect", "match",
                                        "no_match", "class", "area",    "why",    NULL};

const char *const pt_class_names[PT_CLASS_COUNT] = {"attack", "everyday", "safe"};

static const char *str_or(pt_yaml *y, const yaml_node_t *map, const char *key, const char *def)
{
    const char *v = pt_yaml_str(pt_yaml_get(y, map, key));
    return v ? v : def;
}

static int decision_of(const char *name)
{
    for (int d = PREMPTI_DEFER; d <= PREMPTI_DENY; d++)
        if (strcmp(prempti_decision_name(d), name) == 0)
            return d;
    return -1;
}

/* The payload of the short form: agent + tool + input (+ cwd, event). */
static char *short_form(pt_yaml *y, const yaml_node_t *c, char **problem)
{
    const yaml_node_t *in = pt_yaml_get(y, c, "input");
    json_object *input = NULL, *p = NULL;
    if (!pt_yaml_str(pt_yaml_get(y, c, "tool"))) {
        pt_fail(problem, "a case needs 'tool' (with 'input') or 'payload'");
        return NULL;
    }
    if (in && pt_yaml_to_json(y, in, &input, problem))
        return NULL;
    if (!input && !(input = json_object_new_object())) {
        pt_fail(problem, "out of memory");
        return NULL;
    }
    if (!json_object_is_type(input, json_type_object) &&
        !json_object_is_type(input, json_type_string)) {
        json_object_put(input);
        pt_fail(problem, "'input' must be a mapping or a string");
        return NULL;
    }
    p = pt_payload_build(str_or(y, c, "agent", "claude_code"), str_or(y, c, "tool", ""), input,
                         str_or(y, c, "cwd", DEFAULT_CWD), pt_yaml_str(pt_yaml_get(y, c, "event")),
                         problem);
    char *text = p ? pt_json_text(p) : NULL;
    if (p && !text)
        pt_fail(problem, "out of memory");
    json_object_put(p);
    json_object_put(input);
    return text;
}

/* The full form: a payload as a mapping, or as JSON text. */
static char *full_form(pt_yaml *y, const yaml_node_t *c, const yaml_node_t *pn, char **problem)
{
    static const char *const short_only[] = {"tool", "input", "cwd", NULL};
    for (const char *const *k = short_only; *k; k++)
        if (pt_yaml_get(y, c, *k)) {
            pt_fail(problem, "'%s' belongs to the short form; a case with 'payload' cannot have it",
                    *k);
            return NULL;
        }
    json_object *p = NULL;
    if (pt_yaml_str(pn)) {
        const char *s = pt_yaml_str(pn);
        if (!(p = pt_json_parse(s, strlen(s), problem)))
            return NULL;
    } else if (pt_yaml_to_json(y, pn, &p, problem)) {
        return NULL;
    }
    const char *event = pt_yaml_str(pt_yaml_get(y, c, "event"));
    char *text = NULL;
    if (!event || pt_payload_set_event(p, str_or(y, c, "agent", ""), event, problem) == 0)
        if (!(text = pt_json_text(p)))
            pt_fail(problem, "out of memory");
    json_object_put(p);
    return text;
}

static int read_lists(pt_yaml *y, const yaml_node_t *c, pt_case *tc)
{
    const yaml_node_t *m = pt_yaml_get(y, c, "match"), *nm = pt_yaml_get(y, c, "no_match");
    if (m && pt_yaml_strings(y, m, "match", &tc->match, &tc->problem))
        return -1;
    if (nm && pt_yaml_strings(y, nm, "no_match", &tc->no_match, &tc->problem))
        return -1;
    return 0;
}

/* expect: required for unit tests, checked when present for scoring. */
static int read_expect(pt_yaml *y, const yaml_node_t *c, pt_case *tc, enum pt_case_need need)
{
    const char *expect = pt_yaml_str(pt_yaml_get(y, c, "expect"));
    tc->expect = -1;
    if (!expect && need == PT_NEED_EXPECT)
        return pt_fail(&tc->problem, "a case needs 'expect: allow|deny|ask|defer'");
    if (expect && (tc->expect = decision_of(expect)) < 0)
        return pt_fail(&tc->problem, "'expect: %s' is not one of allow, deny, ask, defer", expect);
    return 0;
}

/* class and area: required for scoring, checked when present otherwise. */
static int read_class(pt_yaml *y, const yaml_node_t *c, pt_case *tc, enum pt_case_need need)
{
    const char *klass = pt_yaml_str(pt_yaml_get(y, c, "class"));
    const char *area = pt_yaml_str(pt_yaml_get(y, c, "area"));
    tc->klass = PT_CLASS_NONE;
    if (!(tc->area = pt_strdup(area ? area : "")))
        return pt_fail(&tc->problem, "out of memory");
    if (!klass && need == PT_NEED_CLASS)
        return pt_fail(&tc->problem, "a corpus case needs 'class: attack|everyday|safe'");
    for (int k = 0; klass && k < PT_CLASS_COUNT; k++)
        if (strcmp(klass, pt_class_names[k]) == 0)
            tc->klass = k;
    if (klass && tc->klass == PT_CLASS_NONE)
        return pt_fail(&tc->problem, "'class: %s' is not one of attack, everyday, safe", klass);
    if (need == PT_NEED_CLASS && !tc->area[0])
        return pt_fail(&tc->problem, "a corpus case needs 'area' (what it is about)");
    return 0;
}

/* Fills tc from the mapping c; a problem is left in tc->problem. */
static void read_case(pt_yaml *y, const yaml_node_t *c, pt_case *tc, enum pt_case_need need)
{
    tc->name = pt_strdup(str_or(y, c, "name", ""));
    if (pt_yaml_check_map(y, c, "a test case", case_keys, &tc->problem))
        return;
    tc->agent = pt_strdup(str_or(y, c, "agent", ""));
    tc->home = pt_strdup(str_or(y, c, "home", DEFAULT_HOME));
    if (!tc->name || !tc->agent || !tc->home) {
        pt_fail(&tc->problem, "out of memory");
        return;
    }
    if (read_expect(y, c, tc, need) || read_class(y, c, tc, need) || read_lists(y, c, tc))
        return;
    const yaml_node_t *pn = pt_yaml_get(y, c, "payload");
    tc->payload = pn ? full_form(y, c, pn, &tc->problem) : short_form(y, c, &tc->problem);
    if (!pn && !tc->agent[0]) {
        free(tc->agent);
        tc->agent = pt_strdup("claude_code");
    }
}

static int load_cases(pt_case_file *f, pt_yaml *y, enum pt_case_need need)
{
    yaml_node_t *root = pt_yaml_root(y);
    if (!root || root->type != YAML_SEQUENCE_NODE || pt_yaml_seq_size(root) == 0) {
        char *where = root ? pt_yaml_where(y, root) : pt_strdup(y->name);
        pt_fail(&f->problem, "%s: a case file is a non-empty list of test cases",
                where ? where : y->name);
        free(where);
        return 0;
    }
    f->count = pt_yaml_seq_size(root);
    if (!(f->cases = calloc(f->count, sizeof(*f->cases))))
        return -1;
    for (size_t i = 0; i < f->count; i++) {
        yaml_node_t *c = pt_yaml_seq_item(y, root, i);
        pt_case *tc = &f->cases[i];
        if (!(tc->where = pt_fmt("%s:%zu", y->name, c->start_mark.line + 1)))
            return -1;
        tc->klass = PT_CLASS_NONE;
        read_case(y, c, tc, need);
    }
    return 0;
}

int pt_case_file_load(pt_case_file *f, const char *path, enum pt_case_need need)
{
    memset(f, 0, sizeof(*f));
    char *text = NULL;
    size_t len = 0;
    if (pt_read_path(path, CASE_FILE_MAX_BYTES, &text, &len, &f->problem))
        return f->problem ? 0 : -1;
    pt_yaml y;
    int rc = 0;
    if (pt_yaml_load(&y, text, len, path, &f->problem) == 0) {
        rc = load_cases(f, &y, need);
        pt_yaml_free(&y);
    }
    free(text);
    return rc;
}

void pt_case_file_free(pt_case_file *f)
{
    for (size_t i = 0; i < f->count; i++) {
        pt_case *c = &f->cases[i];
        free(c->where);
        free(c->name);
        free(c->agent);
        free(c->home);
        free(c->area);
        free(c->payload);
        pt_strv_clear(&c->match);
        pt_strv_clear(&c->no_match);
        free(c->problem);
    }
    free(f->cases);
    free(f->problem);
    memset(f, 0, sizeof(*f));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int pt_case_paths(const char *path, pt_strv *out, char **errmsg)
{
    if (!pt_is_dir(path))
        return pt_strv_push(out, path) ? pt_fail(errmsg, "out of memory") : 0;
    DIR *d = opendir(path);
    if (!d)
        return pt_fail(errmsg, "cannot open directory %s", path);
    pt_strv names = {0};
    struct dirent *de;
    int rc = 0;
    while (!rc && (de = readdir(d)) != NULL)
        if (de->d_name[0] != '.' &&
            (pt_ends_with(de->d_name, ".yaml") || pt_ends_with(de->d_name, ".yml")))
            rc = pt_strv_take(&names, pt_fmt("%s/%s", path, de->d_name));
    closedir(d);
    if (names.count)
        qsort(names.items, names.count, sizeof(*names.items), cmp_str);
    for (size_t i = 0; !rc && i < names.count; i++)
        rc = pt_strv_push(out, names.items[i]);
    if (!rc && names.count == 0)
        rc = pt_fail(errmsg, "%s has no *.yaml case files", path);
    else if (rc)
        rc = pt_fail(errmsg, "out of memory");
    pt_strv_clear(&names);
    return rc;
}
