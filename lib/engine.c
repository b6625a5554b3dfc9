#include "engine_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compile/compile.h"
#include "config_internal.h"
#include "output/suffix.h"
#include "util/mem.h"
#include "util/sys.h"

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

static int any_tag_in(const unsigned char *base, const pe_rule *r, const char *list)
{
    const pe_rstr *tags = PE_AT(base, r->tags, pe_rstr);
    for (size_t i = 0; i < r->ntags; i++)
        if (list_has(list, pe_rstr_c(base, tags[i])))
            return 1;
    return 0;
}

/* Which rules take part and what they decide, from the rules and the
 * options (written into the rule set's region). */
static void derive_state(const prempti_engine *e, const pe_ruleset *rs, pe_rule_state *st)
{
    const prempti_config *cfg = e->cfg;
    const unsigned char *base = rs->region.base;
    for (size_t i = 0; i < rs->nrules; i++) {
        const pe_rule *r = &rs->rules[i];
        const char *name = pe_rstr_c(base, r->name);
        int on = r->enabled;
        if (pattern_list_matches(pe_config_str(cfg, PE_OPT_ENABLE_RULES), name) ||
            any_tag_in(base, r, pe_config_str(cfg, PE_OPT_ENABLE_TAGS)))
            on = 1;
        if (pattern_list_matches(pe_config_str(cfg, PE_OPT_DISABLE_RULES), name) ||
            any_tag_in(base, r, pe_config_str(cfg, PE_OPT_DISABLE_TAGS)))
            on = 0;
        st[i].active = on && r->cond && r->priority <= e->min_priority;
        st[i].decision = any_tag_in(base, r, pe_config_str(cfg, PE_OPT_DENY_TAGS))  ? PREMPTI_DENY
                         : any_tag_in(base, r, pe_config_str(cfg, PE_OPT_ASK_TAGS)) ? PREMPTI_ASK
                         : any_tag_in(base, r, pe_config_str(cfg, PE_OPT_ALLOW_TAGS))
                             ? PREMPTI_ALLOW
                             : PREMPTI_DEFER;
    }
}

/* ---- engine ---- */

/* Compiles the reason suffix into r (none: *out 0).
 * 0, or a status with *err set (a bad suffix is reported so). */
int pe_engine_compile_suffix(const prempti_config *cfg, pe_region *r, pe_ref *out,
                             prempti_error **err)
{
    *out = 0;
    const char *suffix = pe_config_str(cfg, PE_OPT_REASON_SUFFIX);
    return suffix[0] ? pe_suffix_compile(r, suffix, out, err) : PREMPTI_OK;
}

/* The options an engine takes from its config, and (check_suffix) a check
 * of the reason suffix, compiled again into each load's image; an image
 * read back holds the suffix its options gave, checked when it was made. */
static int apply_options(prempti_engine *e, int check_suffix, prempti_error **err)
{
    const prempti_config *cfg = e->cfg;
    e->floor = pe_config_choice(cfg, PE_OPT_FLOOR) == PE_FLOOR_ALLOW ? PREMPTI_ALLOW
                                                                      : PREMPTI_DEFER;
    e->monitor = pe_config_choice(cfg, PE_OPT_MODE) == PE_MODE_MONITOR;
    e->limit_decision =
        pe_config_choice(cfg, PE_OPT_LIMIT_DECISION) == PE_LIMIT_DENY ? PREMPTI_DENY : PREMPTI_ASK;
    const char *mp = pe_config_str(cfg, PE_OPT_MIN_PRIORITY);
    e->min_priority = pe_priority_parse(mp, strlen(mp));
    e->max_regex_work = (uint64_t)pe_config_int(cfg, PE_OPT_MAX_REGEX_WORK);
    return check_suffix ? pe_suffix_check(pe_config_str(cfg, PE_OPT_REASON_SUFFIX), err)
                        : PREMPTI_OK;
}

int pe_engine_create(prempti_engine **out, const prempti_config *cfg, int with_loader,
                     prempti_error **err)
{
    prempti_engine *e = calloc(1, sizeof(*e));
    if (!e || !(e->cfg = pe_config_clone(cfg)) || (with_loader && pe_loader_new(&e->loader, cfg))) {
        prempti_engine_free(e);
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    }
    int rc = apply_options(e, with_loader, err);
    if (rc) {
        prempti_engine_free(e);
        return rc;
    }
    *out = e;
    return PREMPTI_OK;
}

int prempti_engine_new(prempti_engine **out, const prempti_config *cfg, prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!out)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "out is NULL");
    *out = NULL;
    return pe_engine_create(out, cfg, 1, err);
}

static void sources_free(pe_sources *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].name);
    free(s->v);
    memset(s, 0, sizeof(*s));
}

void prempti_engine_free(prempti_engine *e)
{
    if (!e || !pe_engine_unref(e))
        return;
    prempti_config_free(e->cfg);
    pe_loader_free(e->loader);
    pe_accel_free(e->accel);
    pe_lazy_free(e->lazy);
    pe_image_unref(e->img);
    pe_diags_free(&e->file_warnings);
    pe_diags_free(&e->set_warnings);
    sources_free(&e->sources);
    free(e);
}

int pe_engine_attach(prempti_engine *e, pe_image *img, pe_lazy *lazy, int eager)
{
    const pe_image_root *root = pe_image_root_of(img);
    pe_accel *accel = pe_accel_new(img->base, PE_PTR(img->base, root->pf, pe_prefilter), eager,
                                   lazy ? pe_lazy_check(lazy) : NULL,
                                   lazy ? pe_lazy_evaluable(lazy) : NULL, root->nrules);
    if (!accel) {
        pe_lazy_free(lazy);
        pe_image_unref(img);
        return -1;
    }
    pe_accel_free(e->accel);
    pe_lazy_free(e->lazy);
    pe_image_unref(e->img);
    e->accel = accel;
    e->lazy = lazy;
    e->img = img;
    e->base = img->base;
    e->rules = PE_AT(e->base, root->rules, pe_rule);
    e->state = PE_AT(e->base, root->state, pe_rule_state);
    e->nrules = root->nrules;
    e->pf = PE_AT(e->base, root->pf, pe_prefilter);
    e->suffix = PE_AT(e->base, root->suffix, pe_format);
    return 0;
}

/* Derives the state of rs's rules and indexes the active ones, in rs's
 * region (see eval/prefilter.h). 0 or -1 (the region is full or out of
 * memory). */
static int build_index(const prempti_engine *e, pe_ruleset *rs, pe_ref *state, pe_ref *pf)
{
    pe_region *r = &rs->region;
    pe_rule_state *st = pe_region_alloc(r, (rs->nrules + 1) * sizeof(*st));
    const pe_cnode **conds = calloc(rs->nrules + 1, sizeof(*conds));
    unsigned char *active = calloc(rs->nrules + 1, 1);
    int rc = st && conds && active ? 0 : -1;
    if (!rc)
        derive_state(e, rs, st);
    for (size_t i = 0; !rc && i < rs->nrules; i++) {
        conds[i] = PE_AT(r->base, rs->rules[i].cond, pe_cnode);
        active[i] = st[i].active;
    }
    const pe_prefilter *p = rc ? NULL : pe_prefilter_build(r, conds, active, rs->nrules);
    free(conds);
    free(active);
    *state = pe_ref_of(r, st);
    *pf = pe_ref_of(r, p);
    return p ? 0 : -1;
}

/* Makes rs's region into the engine's image (*out): its index, suffix,
 * sources and warnings added, sealed. new_sources and new_warnings are
 * this load's. */
static int make_image(prempti_engine *e, pe_ruleset *rs, const pe_sources *new_sources,
                      const pe_diags *new_warnings, pe_image **out, prempti_error **err)
{
    pe_image_parts parts = {(uint32_t)rs->nrules,
                            pe_ref_of(&rs->region, rs->rules),
                            0,
                            0,
                            0,
                            {&e->sources, new_sources},
                            {&e->file_warnings, new_warnings, &rs->warnings}};
    int rc = build_index(e, rs, &parts.state, &parts.pf)
                 ? (pe_region_full(&rs->region) ? PREMPTI_E_LIMIT : PREMPTI_E_NOMEM)
                 : pe_engine_compile_suffix(e->cfg, &rs->region, &parts.suffix, err);
    if (rc == PREMPTI_OK)
        rc = pe_image_finish(&rs->region, &parts, e->cfg, out);
    else if (err && *err)
        return rc; /* the suffix said why */
    if (rc == PREMPTI_E_LIMIT)
        return pe_fail(err, rc, "LOAD_ERR_COMPILE_CONDITION",
                       "The compiled rules and their index take more than %lld bytes "
                       "(max_compiled_bytes)",
                       (long long)pe_config_int(e->cfg, PE_OPT_MAX_COMPILED_BYTES));
    if (rc)
        return pe_fail(err, rc, "", "out of memory");
    return PREMPTI_OK;
}

/* Takes over this load's sources (room for them was made beforehand). */
static void keep_sources(prempti_engine *e, pe_sources *new_sources)
{
    if (new_sources->n) /* an empty directory has none */
        memcpy(e->sources.v + e->sources.n, new_sources->v, new_sources->n * sizeof(pe_source));
    e->sources.n += new_sources->n;
    new_sources->n = 0;
}

static int load_inputs(prempti_engine *e, const pe_load_input *in, size_t n,
                       pe_sources *new_sources, prempti_error **err)
{
    if (!e->loader)
        return pe_fail(err, PREMPTI_E_UNSUPPORTED, "",
                       "an engine loaded from a compiled image cannot load more rules");
    if (pe_grow((void **)&e->sources.v, &e->sources.cap, e->sources.n + new_sources->n + 1,
                sizeof(pe_source)))
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    pe_ruleset *rs = NULL;
    pe_diags w = {0};
    pe_image *img = NULL;
    int rc = pe_loader_load(e->loader, in, n, &rs, &w, err);
    if (!rc)
        rc = make_image(e, rs, new_sources, &w, &img, err);
    if (rc) {
        pe_ruleset_free(rs);
        pe_diags_free(&w);
        return rc;
    }
    if (pe_engine_attach(e, img, NULL, 1)) {
        pe_ruleset_free(rs);
        pe_diags_free(&w);
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    }
    pe_diags_move(&e->file_warnings, &w);
    pe_diags_free(&e->set_warnings);
    e->set_warnings = rs->warnings;
    memset(&rs->warnings, 0, sizeof(rs->warnings));
    pe_ruleset_free(rs); /* its region now belongs to the image */
    keep_sources(e, new_sources);
    return PREMPTI_OK;
}


/* A source for the image's key: name, size and content hash (and, for a
 * file, its status taken before it was read, with the time it was taken). */
static int add_source(pe_sources *s, const char *name, const char *text, size_t len,
                      const struct stat *st, int64_t stat_ns)
{
    pe_source src = {0};
    src.name = pe_strdup(name);
    src.size = len;
    src.hash = pe_hash64(text, len);
    src.is_file = st != NULL;
    if (st) {
        src.mtime_ns = pe_sys_mtime_ns(st);
        src.ctime_ns = pe_sys_ctime_ns(st);
        src.dev = (uint64_t)st->st_dev;
        src.ino = (uint64_t)st->st_ino;
        src.stat_ns = stat_ns;
    }
    if (!src.name || PE_PUSH(s->v, s->n, s->cap, src)) {
        free(src.name);
        return -1;
    }
    return 0;
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
    pe_sources srcs = {0};
    int rc = add_source(&srcs, in.name, in.text, len, NULL, 0)
                 ? pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory")
                 : load_inputs(e, &in, 1, &srcs, err);
    pe_sources_free(&srcs);
    return rc;
}

/* Reads a whole regular file; the caller frees *out. A FIFO or a device
 * named directly is refused, and opening one never waits
 * (pe_sys_open_read): a planted FIFO must not hang the hook. */
static int read_file(const char *path, int64_t max, char **out, size_t *len, prempti_error **err)
{
    int fd = pe_sys_open_read(path);
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

int pe_engine_expand_paths(const char *const *paths, size_t npaths, char ***names, size_t *n,
                           prempti_error **err)
{
    size_t cap = 0;
    *names = NULL;
    *n = 0;
    for (size_t i = 0; i < npaths; i++)
        if (!paths[i])
            return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "path %zu is NULL", i);
    int rc = PREMPTI_OK;
    for (size_t i = 0; !rc && i < npaths; i++)
        rc = expand_path(paths[i], names, n, &cap, err);
    return rc;
}

int prempti_engine_load_rules_paths(prempti_engine *e, const char *const *paths, size_t npaths,
                                    prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!e || (!paths && npaths))
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "engine and paths must not be NULL");
    if (pe_engine_shared(e))
        return pe_engine_shared_error(err);
    char **names = NULL;
    size_t n = 0;
    int rc = pe_engine_expand_paths(paths, npaths, &names, &n, err);
    pe_load_input *in = calloc(n + 1, sizeof(*in));
    char **texts = calloc(n + 1, sizeof(*texts));
    if (!rc && (!in || !texts))
        rc = pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    int64_t max = pe_config_int(e->cfg, PE_OPT_MAX_RULES_BYTES);
    pe_sources srcs = {0};
    for (size_t i = 0; !rc && i < n; i++) {
        struct stat st;
        int64_t sec;
        long nsec;
        pe_sys_now(&sec, &nsec);
        int have = stat(names[i], &st) == 0; /* before reading: see add_source */
        rc = read_file(names[i], max, &texts[i], &in[i].len, err);
        in[i].text = texts[i];
        in[i].name = names[i];
        if (!rc && add_source(&srcs, names[i], texts[i], in[i].len, have ? &st : NULL, sec * 1000000000 + nsec))
            rc = pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    }
    if (!rc)
        rc = load_inputs(e, in, n, &srcs, err);
    pe_sources_free(&srcs);
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
    return e ? e->nrules : 0;
}

const char *prempti_engine_rule_name(const prempti_engine *e, size_t i)
{
    return e && i < e->nrules && !pe_lazy_rule(e->lazy, i) ? pe_engine_rule_name(e, i) : NULL;
}

int prempti_engine_rule_active(const prempti_engine *e, size_t i)
{
    return e && i < e->nrules ? e->state[i].active : 0;
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
    return e ? e->file_warnings.count + e->set_warnings.count : 0;
}

const prempti_error *prempti_engine_warning(const prempti_engine *e, size_t i)
{
    if (!e)
        return NULL;
    if (i < e->file_warnings.count)
        return e->file_warnings.items[i];
    i -= e->file_warnings.count;
    return i < e->set_warnings.count ? e->set_warnings.items[i] : NULL;
}
