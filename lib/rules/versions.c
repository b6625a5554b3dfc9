/*
 * required_engine_version and required_plugin_versions: Falco's semver
 * parsing and compatibility, and the check of plugin requirements against
 * the built-in coding_agent pseudo-plugin.
 */
#include <string.h>

#include "rules/collector.h"
#include "util/hash.h"
#include "util/mem.h"
#include "util/strbuf.h"

#define VALIDATE "LOAD_ERR_VALIDATE"

static int parse_u32(const char **s, uint32_t *out)
{
    const char *p = *s;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
        p++;
    if (*p == '+')
        p++;
    if (*p < '0' || *p > '9')
        return -1;
    uint64_t v = 0;
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (uint64_t)(*p++ - '0');
        if (v > UINT32_MAX)
            return -1;
    }
    *out = (uint32_t)v;
    *s = p;
    return 0;
}

int pe_semver_parse(const char *s, pe_semver *out)
{
    const char *p = s;
    if (parse_u32(&p, &out->major) || *p++ != '.' || parse_u32(&p, &out->minor) || *p++ != '.' ||
        parse_u32(&p, &out->patch))
        return -1;
    return 0;
}

static int semver_cmp(pe_semver a, pe_semver b)
{
    if (a.major != b.major)
        return a.major < b.major ? -1 : 1;
    if (a.minor != b.minor)
        return a.minor < b.minor ? -1 : 1;
    if (a.patch != b.patch)
        return a.patch < b.patch ? -1 : 1;
    return 0;
}

int pe_semver_compatible(pe_semver have, pe_semver want)
{
    return have.major == want.major && semver_cmp(have, want) >= 0;
}

int pe_coll_engine_version(pe_collector *c, pe_ldiag *d, pe_semver v, pe_pos pos)
{
    pe_semver engine = {PE_ENGINE_VERSION_MAJOR, PE_ENGINE_VERSION_MINOR, PE_ENGINE_VERSION_PATCH};
    if (!pe_semver_compatible(engine, v))
        return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, pos,
                           pe_item_of("required_engine_version", ""),
                           "Rules require engine version %u.%u.%u, but engine version is "
                           "%u.%u.%u",
                           v.major, v.minor, v.patch, engine.major, engine.minor, engine.patch);
    if (semver_cmp(c->required_engine, v) < 0)
        c->required_engine = v;
    return 0;
}

/* Falco's checks of one requirement entry (names kept in a hash so that
 * an entry with many alternatives stays linear). */
static int check_alternatives(pe_ldiag *d, const pe_plugin_req *r, pe_hmap *names)
{
    pe_item it = pe_item_of("required_plugin_versions", r->nalts ? r->alts[0].name : "");
    for (size_t i = 0; i < r->nalts; i++) {
        const char *name = r->alts[i].name;
        pe_semver v;
        if (pe_semver_parse(r->alts[i].version, &v))
            return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, r->pos, it,
                               "Invalid required version '%s' for plugin '%s'", r->alts[i].version,
                               name);
        if (pe_hmap_get(names, name, strlen(name)))
            return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, r->pos, it,
                               "Defined multiple alternative version requirements for plugin "
                               "'%s'",
                               name);
        if (pe_hmap_put(names, name, strlen(name), (void *)name))
            return pe_ld_nomem(d);
    }
    return 0;
}

int pe_coll_plugin_req(pe_collector *c, pe_ldiag *d, const pe_plugin_req *r)
{
    pe_hmap names = PE_HMAP_INIT;
    int rc = check_alternatives(d, r, &names);
    pe_hmap_free(&names);
    if (!rc && PE_PUSH(c->reqs, c->nreqs, c->capreqs, *r))
        rc = pe_ld_nomem(d);
    return rc;
}

/* Falco's check_plugin_requirements() with coding_agent as the only plugin. */
static int check_plugin(pe_ldiag *d, const pe_plugin_req *r)
{
    pe_item it = pe_item_of("required_plugin_versions", r->nalts ? r->alts[0].name : "");
    pe_semver have;
    pe_semver_parse(PE_PLUGIN_VERSION, &have);
    for (size_t i = 0; i < r->nalts; i++) {
        if (strcmp(r->alts[i].name, PE_PLUGIN_NAME) != 0)
            continue;
        pe_semver want;
        if (pe_semver_parse(r->alts[i].version, &want) || !pe_semver_compatible(have, want))
            return pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, r->pos, it,
                               "Plugin '%s' version '%s' is not compatible with required "
                               "plugin version '%s'",
                               PE_PLUGIN_NAME, PE_PLUGIN_VERSION, r->alts[i].version);
        return 0;
    }
    pe_strbuf sb = PE_STRBUF_INIT;
    for (size_t i = 0; i < r->nalts; i++)
        pe_sb_printf(&sb, "%s%s (>= %s)", i ? ", " : "", r->alts[i].name, r->alts[i].version);
    int rc = pe_sb_failed(&sb) ? pe_ld_nomem(d)
                               : pe_ld_error(d, PREMPTI_E_RULE, VALIDATE, r->pos, it,
                                             "Plugin requirement not satisfied, must load one "
                                             "of: %s",
                                             pe_sb_str(&sb));
    pe_sb_free(&sb);
    return rc;
}

int pe_coll_check_plugins(const pe_collector *c, pe_ldiag *d)
{
    for (size_t i = 0; i < c->nreqs; i++) {
        int rc = check_plugin(d, &c->reqs[i]);
        if (rc)
            return rc;
    }
    return 0;
}
