#include "engine_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_internal.h"
#include "output/suffix.h"
#include "util/mem.h"

/* ---- tag and name selection ---- */

/* The next item of a comma-separated list, blanks around it trimmed: sets
 * *item and *len and advances *p; 0 at the end of the list. */
static int next_item(const char **p, const char **item, size_t *len)
{
    while (**p == ' ' || **p == ',')
        (*p)++;
    if (!**p)
        return 0;
    const char *e = *p;
    while (*e && *e != ',')
        e++;
    const char *t = e;
    while (t > *p && t[-1] == ' ')
        t--;
    *item = *p;
    *len = (size_t)(t - *p);
    *p = e;
    return 1;
}

/* Whether a comma-separated list contains item exactly. */
static int list_has(const char *list, const char *item)
{
    size_t n = strlen(item), len;
    const char *it;
    while (next_item(&list, &it, &len))
        if (len == n && n && memcmp(it, item, n) == 0)
            return 1;
    return 0;
}

/* Whole-name match with '*' wildcards (Falco's rule selection). */
static int wildcard(const char *pat, size_t plen, const char *s)
{
    size_t pi = 0, si = 0, sp = (size_t)-1, ss = 0, slen = strlen(s);
    while (si < slen) {
        if (pi < plen && pat[pi] == '*') {
            sp = ++pi;
            ss = si;
        } else if (pi < plen && pat[pi] == s[si]) {
            pi++;
            si++;
        } else if (sp != (size_t)-1) {
            pi = sp;
            si = ++ss;
        } else
            return 0;
    }
    while (pi < plen && pat[pi] == '*')
        pi++;
    return pi == plen;
}

static int pattern_list_matches(const char *list, const char *name)
{
    const char *it;
    size_t len;
    while (next_item(&list, &it, &len))
        if (len && wildcard(it, len, name))
            return 1;
    return 0;
}

static int any_tag_in(const pe_rule *r, const char *list)
{
    for (size_t i = 0; i < r->ntags; i++)
        if (list_has(list, r->tags[i]))
            return 1;
    return 0;
}

static void derive_state(prempti_engine *e, const pe_ruleset *rs, pe_rule_state *st)
{
    const prempti_config *cfg = e->cfg;
    for (size_t i = 0; i < rs->nrules; i++) {
        const pe_rule *r = &rs->rules[i];
        int on = r->enabled;
        if (pattern_list_matches(pe_config_str(cfg, PE_OPT_ENABLE_RULES), r->name) ||
            any_tag_in(r, pe_config_str(cfg, PE_OPT_ENABLE_TAGS)))
            on = 1;
        if (pattern_list_matches(pe_config_str(cfg, PE_OPT_DISABLE_RULES), r->name) ||
            any_tag_in(r, pe_config_str(cfg, PE_OPT_DISABLE_TAGS)))
            on = 0;
        st[i].active = on && r->cond && r->priority <= e->min_priority;
        st[i].decision = any_tag_in(r, pe_config_str(cfg, PE_OPT_DENY_TAGS))    ? PREMPTI_DENY
                         : any_tag_in(r, pe_config_str(cfg, PE_OPT_ASK_TAGS))   ? PREMPTI_ASK
                         : any_tag_in(r, pe_config_str(cfg, PE_OPT_ALLOW_TAGS)) ? PREMPTI_ALLOW
                                                                                : PREMPTI_DEFER;
    }
}

/* ---- engine ---- */

int prempti_engine_new(prempti_engine **out, const prempti_config *cfg, prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!out)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "out is NULL");
    *out = NULL;
    prempti_engine *e = calloc(1, sizeof(*e));
    if (!e || !(e->cfg = pe_config_clone(cfg)) || pe_loader_new(&e->loader, cfg)) {
        prempti_engine_free(e);
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    }
    e->floor =
        pe_config_choice(cfg, PE_OPT_FLOOR) == PE_FLOOR_ALLOW ? PREMPTI_ALLOW : PREMPTI_DEFER;
    e->monitor = pe_config_choice(cfg, PE_OPT_MODE) == PE_MODE_MONITOR;
    e->limit_decision =
        pe_config_choice(cfg, PE_OPT_LIMIT_DECISION) == PE_LIMIT_DENY ? PREMPTI_DENY : PREMPTI_ASK;
    const char *mp = pe_config_str(cfg, PE_OPT_MIN_PRIORITY);
    e->min_priority = pe_priority_parse(mp, strlen(mp));
    e->max_regex_work = (uint64_t)pe_config_int(cfg, PE_OPT_MAX_REGEX_WORK);
    const char *suffix = pe_config_str(cfg, PE_OPT_REASON_SUFFIX);
    if (suffix[0]) {
        int code = PREMPTI_OK;
        e->suffix = pe_suffix_compile(&e->suffix_arena, suffix, &code, err);
        if (!e->suffix) {
            prempti_engine_free(e);
            return code;
        }
    }
    *out = e;
    return PREMPTI_OK;
}

void prempti_engine_free(prempti_engine *e)
{
    if (!e || !pe_engine_unref(e))
        return;
    prempti_config_free(e->cfg);
    pe_loader_free(e->loader);
    pe_ruleset_free(e->rs);
    free(e->state);
    pe_arena_free(&e->pf_arena);
    pe_diags_free(&e->warnings);
    pe_arena_free(&e->suffix_arena);
    free(e);
}

/* Indexes the active rules of rs for evaluation (see eval/prefilter.h). */
static int build_prefilter(const pe_ruleset *rs, const pe_rule_state *st, pe_arena *arena,
                           const pe_prefilter **out)
{
    const pe_cnode **conds = calloc(rs->nrules + 1, sizeof(*conds));
    unsigned char *active = calloc(rs->nrules + 1, 1);
    int rc = conds && active ? 0 : -1;
    for (size_t i = 0; !rc && i < rs->nrules; i++) {
        conds[i] = rs->rules[i].cond;
        active[i] = st[i].active;
    }
    if (!rc)
        rc = (*out = pe_prefilter_build(arena, conds, active, rs->nrules)) ? 0 : -1;
    free(conds);
    free(active);
    return rc;
}

static int load_inputs(prempti_engine *e, const pe_load_input *in, size_t n, prempti_error **err)
{
    pe_ruleset *rs = NULL;
    pe_diags w = {0};
    int rc = pe_loader_load(e->loader, in, n, &rs, &w, err);
    if (rc) {
        pe_diags_free(&w);
        return rc;
    }
    pe_rule_state *st = calloc(rs->nrules + 1, sizeof(*st));
    if (!st) {
        pe_ruleset_free(rs);
        pe_diags_free(&w);
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    }
    derive_state(e, rs, st);
    pe_arena pf_arena = PE_ARENA_INIT;
    const pe_prefilter *pf = NULL;
    if (build_prefilter(rs, st, &pf_arena, &pf)) {
        pe_arena_free(&pf_arena);
        free(st);
        pe_ruleset_free(rs);
        pe_diags_free(&w);
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    }
    pe_ruleset_free(e->rs);
    free(e->state);
    pe_arena_free(&e->pf_arena);
    e->rs = rs;
    e->state = st;
    e->pf_arena = pf_arena;
    e->pf = pf;
    pe_diags_move(&e->warnings, &w);
    return PREMPTI_OK;
}

int prempti_engine_load_rules(prempti_engine *e, const char *text, size_t len,
                              const char *source_name, prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!e || (!text && len))
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "engine and text must not be NULL");
    if (pe_engine_shared(e))
        return pe_engine_shared_error(err);
    int64_t max = pe_config_int(e->cfg, PE_OPT_MAX_RULES_BYTES);
    if ((int64_t)len > max)
        return pe_fail(err, PREMPTI_E_LIMIT, "LOAD_ERR_FILE_READ",
                       "rules text of %zu bytes is larger than max_rules_bytes (%lld)", len,
                       (long long)max);
    pe_load_input in = {text ? text : "", len, source_name ? source_name : "<rules>"};
    return load_inputs(e, &in, 1, err);
}

/* Reads a whole regular file; the caller frees *out. A FIFO or a device
 * named directly is refused, and opening one never waits (O_NONBLOCK): a
 * planted FIFO must not hang the hook. */
static int read_file(const char *path, int64_t max, char **out, size_t *len, prempti_error **err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return pe_fail(err, PREMPTI_E_IO, "LOAD_ERR_FILE_READ", "cannot read '%s': %s", path,
                       strerror(errno));
    struct stat st;
    const char *why = fstat(fd, &st) != 0    ? strerror(errno)
                      : S_ISDIR(st.st_mode)  ? "it is a directory"
                      : !S_ISREG(st.st_mode) ? "it is not a regular file"
                                             : NULL;
    if (why) {
        close(fd);
        return pe_fail(err, PREMPTI_E_IO, "LOAD_ERR_FILE_READ", "cannot read '%s': %s", path, why);
    }
    pe_strbuf sb = PE_STRBUF_INIT;
    char buf[65536];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            pe_sb_free(&sb);
            return pe_fail(err, PREMPTI_E_IO, "LOAD_ERR_FILE_READ", "cannot read '%s': %s", path,
                           strerror(e));
        }
        if (n == 0)
            break;
        pe_sb_append(&sb, buf, (size_t)n);
        if ((int64_t)sb.len > max) {
            close(fd);
            pe_sb_free(&sb);
            return pe_fail(err, PREMPTI_E_LIMIT, "LOAD_ERR_FILE_READ",
                           "'%s' is larger than max_rules_bytes (%lld)", path, (long long)max);
        }
    }
    close(fd);
    *len = sb.len;
    *out = pe_sb_take(&sb);
    if (!*out)
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    return PREMPTI_OK;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_yaml_ext(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

/* Lists the *.yaml / *.yml regular files of dir, sorted by name. */
static int list_dir(const char *dir, char ***out, size_t *count, prempti_error **err)
{
    DIR *d = opendir(dir);
    if (!d)
        return pe_fail(err, PREMPTI_E_IO, "LOAD_ERR_FILE_READ", "cannot read directory '%s': %s",
                       dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = PREMPTI_OK;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!has_yaml_ext(de->d_name))
            continue;
        pe_strbuf p = PE_STRBUF_INIT;
        pe_sb_printf(&p, "%s/%s", dir, de->d_name);
        char *path = pe_sb_take(&p);
        struct stat st;
        if (!path) {
            rc = pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
            break;
        }
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        if (PE_PUSH(names, n, cap, path)) {
            free(path);
            rc = pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
            break;
        }
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), cmp_names);
    *out = names;
    *count = n;
    return rc;
}

/* Appends the files path names (itself, or a directory's rules files) to
 * names; the caller frees them. */
static int expand_path(const char *path, char ***names, size_t *n, size_t *cap, prempti_error **err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return pe_fail(err, PREMPTI_E_IO, "LOAD_ERR_FILE_READ", "cannot read '%s': %s", path,
                       strerror(errno));
    if (!S_ISDIR(st.st_mode)) {
        char *copy = pe_strdup(path);
        if (!copy || PE_PUSH(*names, *n, *cap, copy)) {
            free(copy);
            return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
        }
        return PREMPTI_OK;
    }
    char **dir = NULL;
    size_t nd = 0;
    int rc = list_dir(path, &dir, &nd, err);
    size_t i = 0;
    while (!rc && i < nd) {
        if (PE_PUSH(*names, *n, *cap, dir[i]))
            rc = pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
        else
            i++;
    }
    for (; i < nd; i++)
        free(dir[i]); /* not handed over */
    free(dir);
    return rc;
}

int prempti_engine_load_rules_paths(prempti_engine *e, const char *const *paths, size_t npaths,
                                    prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!e || (!paths && npaths))
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "engine and paths must not be NULL");
    for (size_t i = 0; i < npaths; i++)
        if (!paths[i])
            return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "path %zu is NULL", i);
    if (pe_engine_shared(e))
        return pe_engine_shared_error(err);
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = PREMPTI_OK;
    for (size_t i = 0; !rc && i < npaths; i++)
        rc = expand_path(paths[i], &names, &n, &cap, err);
    pe_load_input *in = calloc(n + 1, sizeof(*in));
    char **texts = calloc(n + 1, sizeof(*texts));
    if (!rc && (!in || !texts))
        rc = pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    int64_t max = pe_config_int(e->cfg, PE_OPT_MAX_RULES_BYTES);
    for (size_t i = 0; !rc && i < n; i++) {
        rc = read_file(names[i], max, &texts[i], &in[i].len, err);
        in[i].text = texts[i];
        in[i].name = names[i];
    }
    if (!rc)
        rc = load_inputs(e, in, n, err);
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
        if (texts)
            free(texts[i]);
    }
    free(names);
    free(texts);
    free(in);
    return rc;
}

int prempti_engine_load_rules_path(prempti_engine *e, const char *path, prempti_error **err)
{
    return prempti_engine_load_rules_paths(e, &path, 1, err); /* checks e and path */
}

size_t prempti_engine_rule_count(const prempti_engine *e)
{
    return e && e->rs ? e->rs->nrules : 0;
}

const char *prempti_engine_rule_name(const prempti_engine *e, size_t i)
{
    return e && e->rs && i < e->rs->nrules ? e->rs->rules[i].name : NULL;
}

int prempti_engine_rule_active(const prempti_engine *e, size_t i)
{
    return e && e->rs && i < e->rs->nrules ? e->state[i].active : 0;
}

/*
 * The warnings are those of every file read so far (each reported once,
 * when its file was read), then those of the current rule set as a whole
 * (unused macros and lists, compiler hints, skipped rules), which every
 * load recomputes, so a macro that a later file starts using stops being
 * reported and none is reported twice.
 */
size_t prempti_engine_warning_count(const prempti_engine *e)
{
    if (!e)
        return 0;
    return e->warnings.count + (e->rs ? e->rs->warnings.count : 0);
}

const prempti_error *prempti_engine_warning(const prempti_engine *e, size_t i)
{
    if (!e)
        return NULL;
    if (i < e->warnings.count)
        return e->warnings.items[i];
    i -= e->warnings.count;
    return e->rs && i < e->rs->warnings.count ? e->rs->warnings.items[i] : NULL;
}
