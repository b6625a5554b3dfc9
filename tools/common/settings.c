#include "settings.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "paths.h"
#include "yamldoc.h"

#define CONFIG_MAX_BYTES (1u << 20)

/* Keys of the config file that the tools handle themselves; every other key
 * is a library option (prempti/config.h). */
static const char *const agent_only_keys[] = {"agent", "agent_pid", NULL};

/* Loading state: the settings being filled, and a scratch config that checks
 * every library option as soon as it is read, so errors carry its origin. */
typedef struct loader {
    pt_settings *s;
    prempti_config *check;
    char **errmsg;
} loader;

static int oom(char **errmsg)
{
    return pt_fail(errmsg, "out of memory");
}

static int set_string(char **dst, const char *value)
{
    char *copy = pt_strdup(value);
    if (!copy)
        return -1;
    free(*dst);
    *dst = copy;
    return 0;
}

/* "~/x" becomes "$HOME/x"; a relative path is taken relative to base (when
 * not NULL); anything else is copied. */
static int resolve_path(const loader *L, const char *path, const char *base, const char *origin,
                        char **out)
{
    *out = NULL;
    if (!path[0])
        return pt_fail(L->errmsg, "%s: empty path", origin);
    if (strcmp(path, "~") == 0 || pt_starts_with(path, "~/")) {
        if (!L->s->home)
            return pt_fail(L->errmsg, "%s: cannot expand '%s': HOME is not set", origin, path);
        *out = pt_fmt("%s%s", L->s->home, path + 1);
    } else if (path[0] != '/' && base) {
        *out = pt_fmt("%s/%s", base, path);
    } else {
        *out = pt_strdup(path);
    }
    return *out ? 0 : oom(L->errmsg);
}

static int add_option(loader *L, const char *key, const char *value, const char *origin)
{
    prempti_error *err = NULL;
    if (prempti_config_set(L->check, key, value, &err) != PREMPTI_OK) {
        int rc = pt_fail(L->errmsg, "%s: %s", origin, prempti_error_message(err));
        prempti_error_free(err);
        return rc;
    }
    if (pt_strv_push(&L->s->opt_keys, key) || pt_strv_push(&L->s->opt_values, value) ||
        pt_strv_push(&L->s->opt_origins, origin))
        return oom(L->errmsg);
    return 0;
}

static int set_rules(loader *L, const pt_strv *paths, const char *base, const char *origin)
{
    if (paths->count == 0)
        return pt_fail(L->errmsg, "%s: no rules path given", origin);
    pt_strv_clear(&L->s->rules);
    for (size_t i = 0; i < paths->count; i++) {
        char *p;
        if (resolve_path(L, paths->items[i], base, origin, &p) || pt_strv_take(&L->s->rules, p))
            return -1;
    }
    return set_string(&L->s->rules_origin, origin) ? oom(L->errmsg) : 0;
}

/* "none" turns the audit log off. */
static int set_audit(loader *L, const char *value, const char *base, const char *origin)
{
    free(L->s->audit_log);
    L->s->audit_log = NULL;
    if (strcmp(value, "none") != 0 && resolve_path(L, value, base, origin, &L->s->audit_log))
        return -1;
    return set_string(&L->s->audit_origin, origin) ? oom(L->errmsg) : 0;
}

static int set_fail_open(loader *L, const char *value, const char *origin)
{
    if (pt_parse_bool(value, &L->s->fail_open))
        return pt_fail(L->errmsg, "%s: '%s' is not a boolean (use true or false)", origin, value);
    return 0;
}

static int set_cache(loader *L, const char *value, const char *origin)
{
    if (pt_parse_bool(value, &L->s->use_cache))
        return pt_fail(L->errmsg, "%s: '%s' is not a boolean (use true or false)", origin, value);
    return 0;
}

static int is_one_of(const char *key, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(key, *names) == 0)
            return 1;
    return 0;
}

/* One key of the config file, its value already read as a list of strings. */
static int config_value(loader *L, const char *key, const pt_strv *items, const char *where,
                        const char *dir)
{
    static const char *const single[] = {"audit_log", "fail_open", "cache", "mode", "floor", NULL};
    if (is_one_of(key, agent_only_keys))
        return pt_fail(L->errmsg, "%s: '%s' cannot be set in a config file (use --agent)", where,
                       key);
    if (strcmp(key, "rules") == 0)
        return set_rules(L, items, dir, where);
    if (is_one_of(key, single) && items->count != 1)
        return pt_fail(L->errmsg, "%s: '%s' takes one value", where, key);
    if (strcmp(key, "audit_log") == 0)
        return set_audit(L, items->items[0], dir, where);
    if (strcmp(key, "fail_open") == 0)
        return set_fail_open(L, items->items[0], where);
    if (strcmp(key, "cache") == 0)
        return set_cache(L, items->items[0], where);
    char *joined = pt_strv_join(items, ",");
    int rc = joined ? add_option(L, key, joined, where) : oom(L->errmsg);
    free(joined);
    return rc;
}

static int config_key(loader *L, pt_yaml *y, const char *key, const yaml_node_t *val,
                      const char *where, const char *dir)
{
    pt_strv items = {0};
    int rc = pt_yaml_strings(y, val, key, &items, L->errmsg);
    if (!rc)
        rc = config_value(L, key, &items, where, dir);
    pt_strv_clear(&items);
    return rc;
}

static int config_file(loader *L, const char *path, const char *text, size_t len)
{
    pt_yaml y;
    if (pt_yaml_load(&y, text, len, path, L->errmsg))
        return -1;
    yaml_node_t *root = pt_yaml_root(&y);
    char *dir = pt_dirname(path);
    int rc = dir ? 0 : oom(L->errmsg);
    if (!rc && root && pt_yaml_check_map(&y, root, "the config file", NULL, L->errmsg))
        rc = -1;
    for (size_t i = 0; !rc && i < pt_yaml_map_size(root); i++) {
        const char *key = pt_yaml_str(pt_yaml_map_key(&y, root, i));
        const yaml_node_t *val = pt_yaml_map_value(&y, root, i);
        char *where = pt_yaml_where(&y, val);
        rc = where ? config_key(L, &y, key, val, where, dir) : oom(L->errmsg);
        free(where);
    }
    free(dir);
    pt_yaml_free(&y);
    return rc;
}

char *pt_config_path(const pt_flags *flags)
{
    const char *env = getenv("PREMPTI_CONFIG"), *home = getenv("HOME");
    if (flags->config)
        return pt_strdup(flags->config);
    if (env && env[0])
        return pt_strdup(env);
    return home && home[0] ? pt_fmt("%s/.prempti/config.yaml", home) : NULL;
}

/* Reads the config file, which decides how we protect: a regular file of
 * the user's (or root's) that nobody else may write, in a directory nobody
 * else may write when it is our own ~/.prempti. */
static int read_private_config(const char *path, int in_our_dir, char **text, size_t *len,
                               char **errmsg)
{
    char *dir = in_our_dir ? pt_dirname(path) : NULL;
    if (in_our_dir && (!dir || pt_check_private_dir(dir, errmsg))) {
        int rc = dir ? -1 : oom(errmsg);
        free(dir);
        return rc;
    }
    free(dir);
    int fd = pt_open_regular(path, errmsg);
    if (fd < 0)
        return -1;
    int rc = pt_check_private_file(fd, path, errmsg);
    if (!rc)
        rc = pt_read_fd(fd, path, CONFIG_MAX_BYTES, text, len, errmsg);
    close(fd);
    return rc;
}

/* Reads the config file: one named by --config or $PREMPTI_CONFIG must
 * exist; ~/.prempti/config.yaml is read when it exists. */
static int read_config(loader *L, const pt_flags *f)
{
    const char *env = getenv("PREMPTI_CONFIG");
    pt_settings *s = L->s;
    if (f->config || (env && env[0])) { /* named: it must exist; ~ is expanded */
        char *named = pt_config_path(f);
        int rc = named ? resolve_path(L, named, NULL, f->config ? "--config" : "PREMPTI_CONFIG",
                                      &s->config_path)
                       : oom(L->errmsg);
        free(named);
        if (rc)
            return -1;
    } else if (!(s->config_path = pt_config_path(f)) || !pt_exists(s->config_path)) {
        return 0;
    }
    char *text = NULL;
    size_t len = 0;
    if (read_private_config(s->config_path, !f->config && !(env && env[0]), &text, &len,
                            L->errmsg)) {
        char *inner = *L->errmsg;
        *L->errmsg = pt_fmt("config file: %s", inner ? inner : "cannot read");
        free(inner);
        return -1;
    }
    s->config_found = 1;
    int rc = config_file(L, s->config_path, text, len);
    free(text);
    return rc;
}

static const char *env_value(const char *name)
{
    const char *v = getenv(name);
    return v && v[0] ? v : NULL;
}

/* PREMPTI_RULES: paths separated by ':' (empty parts ignored). */
static int env_rules(loader *L, const char *value)
{
    pt_strv paths = {0};
    const char *p = value;
    int rc = 0;
    while (!rc && *p) {
        size_t n = strcspn(p, ":");
        if (n)
            rc = pt_strv_take(&paths, pt_fmt("%.*s", (int)n, p)) ? oom(L->errmsg) : 0;
        p += n + (p[n] == ':');
    }
    if (!rc && paths.count == 0)
        rc = pt_fail(L->errmsg, "PREMPTI_RULES: no path in '%s'", value);
    if (!rc)
        rc = set_rules(L, &paths, NULL, "PREMPTI_RULES");
    pt_strv_clear(&paths);
    return rc;
}

static int read_env(loader *L)
{
    const char *v;
    if ((v = env_value("PREMPTI_MODE")) && add_option(L, "mode", v, "PREMPTI_MODE"))
        return -1;
    if ((v = env_value("PREMPTI_FLOOR")) && add_option(L, "floor", v, "PREMPTI_FLOOR"))
        return -1;
    if ((v = env_value("PREMPTI_RULES")) && env_rules(L, v))
        return -1;
    if ((v = env_value("PREMPTI_AUDIT_LOG")) && set_audit(L, v, NULL, "PREMPTI_AUDIT_LOG"))
        return -1;
    if ((v = env_value("PREMPTI_FAIL_OPEN")) && set_fail_open(L, v, "PREMPTI_FAIL_OPEN"))
        return -1;
    if ((v = env_value("PREMPTI_CACHE")) && set_cache(L, v, "PREMPTI_CACHE"))
        return -1;
    return 0;
}

static int read_flags(loader *L, const pt_flags *f)
{
    if (f->mode && add_option(L, "mode", f->mode, "--mode"))
        return -1;
    if (f->floor && add_option(L, "floor", f->floor, "--floor"))
        return -1;
    if (f->rules.count && set_rules(L, &f->rules, NULL, "--rules"))
        return -1;
    if (f->audit_log && set_audit(L, f->audit_log, NULL, "--audit-log"))
        return -1;
    if (f->fail_open >= 0)
        L->s->fail_open = f->fail_open;
    if (f->no_cache)
        L->s->use_cache = 0;
    return 0;
}

/* The default pack, then the user's own rules when that directory exists. */
static int default_rules(loader *L)
{
    pt_settings *s = L->s;
    if (pt_strv_take(&s->rules, pt_default_rules_dir()) || set_string(&s->rules_origin, "default"))
        return oom(L->errmsg);
    if (s->home) {
        char *user = pt_fmt("%s/.prempti/rules/user", s->home);
        if (!user)
            return oom(L->errmsg);
        if (pt_is_dir(user))
            return pt_strv_take(&s->rules, user) ? oom(L->errmsg) : 0;
        free(user);
    }
    return 0;
}

static int default_audit(loader *L)
{
    pt_settings *s = L->s;
    if (s->home && !(s->audit_log = pt_fmt("%s/.prempti/log/audit.jsonl", s->home)))
        return oom(L->errmsg);
    return set_string(&s->audit_origin, "default") ? oom(L->errmsg) : 0;
}

int pt_settings_load(pt_settings *s, const pt_flags *flags, char **errmsg)
{
    memset(s, 0, sizeof(*s));
    *errmsg = NULL;
    loader L = {s, NULL, errmsg};
    prempti_error *err = NULL;
    if (prempti_config_new(&L.check, &err) != PREMPTI_OK) {
        prempti_error_free(err);
        return oom(errmsg);
    }
    s->use_cache = 1;
    const char *home = env_value("HOME");
    int rc = (home && !(s->home = pt_strdup(home))) ? oom(errmsg) : 0;
    if (!rc)
        rc = default_rules(&L);
    if (!rc)
        rc = default_audit(&L);
    if (!rc)
        rc = read_config(&L, flags);
    if (!rc)
        rc = read_env(&L);
    if (!rc)
        rc = read_flags(&L, flags);
    prempti_config_free(L.check);
    return rc;
}

void pt_settings_free(pt_settings *s)
{
    free(s->home);
    free(s->config_path);
    pt_strv_clear(&s->opt_keys);
    pt_strv_clear(&s->opt_values);
    pt_strv_clear(&s->opt_origins);
    pt_strv_clear(&s->rules);
    free(s->rules_origin);
    free(s->audit_log);
    free(s->audit_origin);
    memset(s, 0, sizeof(*s));
}

const char *pt_settings_option(const pt_settings *s, const char *key, const char **origin)
{
    for (size_t i = s->opt_keys.count; i-- > 0;) {
        if (strcmp(s->opt_keys.items[i], key) == 0) {
            if (origin)
                *origin = s->opt_origins.items[i];
            return s->opt_values.items[i];
        }
    }
    return NULL;
}

int pt_settings_config(const pt_settings *s, const char *agent, prempti_config **out, char **errmsg)
{
    prempti_error *err = NULL;
    *out = NULL;
    prempti_config *cfg;
    if (prempti_config_new(&cfg, &err) != PREMPTI_OK) {
        prempti_error_free(err);
        return oom(errmsg);
    }
    for (size_t i = 0; i < s->opt_keys.count; i++) {
        if (prempti_config_set(cfg, s->opt_keys.items[i], s->opt_values.items[i], &err)) {
            int rc = pt_fail(errmsg, "%s: %s", s->opt_origins.items[i], prempti_error_message(err));
            prempti_error_free(err);
            prempti_config_free(cfg);
            return rc;
        }
    }
    if (agent && prempti_config_set(cfg, "agent", agent, &err) != PREMPTI_OK) {
        int rc = pt_fail(errmsg, "--agent: %s", prempti_error_message(err));
        prempti_error_free(err);
        prempti_config_free(cfg);
        return rc;
    }
    *out = cfg;
    return 0;
}

char *pt_error_text(const prempti_error *err)
{
    char *text = NULL;
    if (prempti_error_format(&text, err) == PREMPTI_OK && text) {
        char *copy = pt_strdup(text);
        prempti_free(text);
        return copy;
    }
    return pt_strdup(err ? prempti_error_message(err) : "unknown error");
}

static void report_error(const prempti_error *err, pt_diag_fn on_diag, void *ctx)
{
    for (size_t i = 0; i < prempti_error_note_count(err); i++)
        on_diag(prempti_error_note(err, i), ctx);
    on_diag(err, ctx);
}

int pt_load_rules(prempti_engine *engine, const pt_strv *paths, pt_diag_fn on_diag, void *ctx,
                  char **errmsg)
{
    /* One load of every path: one compilation, and all or nothing. */
    if (paths->count == 0)
        return 0;
    prempti_error *err = NULL;
    if (prempti_engine_load_rules_paths(engine, (const char *const *)paths->items, paths->count,
                                        &err) != PREMPTI_OK) {
        if (on_diag && err)
            report_error(err, on_diag, ctx);
        char *text = err ? pt_error_text(err) : NULL;
        int rc = pt_fail(errmsg, "rules failed to load: %s", text ? text : "unknown error");
        free(text);
        prempti_error_free(err);
        return rc;
    }
    for (size_t w = 0; on_diag && w < prempti_engine_warning_count(engine); w++)
        on_diag(prempti_engine_warning(engine, w), ctx);
    return 0;
}
