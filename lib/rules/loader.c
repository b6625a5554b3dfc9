/*
 * The load step: reads each input into the collector and checks the set
 * after each file (as Falco compiles after each file), then checks plugin
 * requirements and hands out the compiled ruleset. A load is a
 * transaction: on any error the collector is rolled back to where it was.
 */
#include "rules/loader.h"

#include <stdlib.h>
#include <string.h>

#include "config_internal.h"
#include "image/image.h"
#include "rules/build.h"
#include "rules/collector.h"
#include "rules/reader.h"

struct pe_loader {
    pe_collector c;
    pe_build_limits build;
    pe_read_limits lim;
};

int pe_loader_new(pe_loader **out, const prempti_config *cfg)
{
    *out = calloc(1, sizeof(**out));
    if (!*out)
        return PREMPTI_E_NOMEM;
    pe_coll_init(&(*out)->c);
    (*out)->build.max_depth = (unsigned)pe_config_int(cfg, PE_OPT_MAX_CONDITION_DEPTH);
    (*out)->build.max_nodes = (uint64_t)pe_config_int(cfg, PE_OPT_MAX_CONDITION_NODES);
    (*out)->build.max_bytes = (size_t)pe_config_int(cfg, PE_OPT_MAX_COMPILED_BYTES);
    (*out)->build.header = PE_IMAGE_HEADER_SIZE; /* the ruleset's region becomes an image */
    (*out)->lim.max_yaml_depth = (unsigned)pe_config_int(cfg, PE_OPT_MAX_YAML_DEPTH);
    (*out)->lim.max_items = (size_t)pe_config_int(cfg, PE_OPT_MAX_ITEMS);
    return PREMPTI_OK;
}

void pe_loader_free(pe_loader *l)
{
    if (!l)
        return;
    pe_coll_free(&l->c);
    free(l);
}

void pe_ruleset_free(pe_ruleset *rs)
{
    if (!rs)
        return;
    pe_diags_free(&rs->warnings);
    pe_region_free(&rs->region);
    free(rs);
}

static int load_one(pe_loader *l, pe_build *b, pe_ldiag *d, const pe_load_input *in, int final)
{
    pe_collector *c = &l->c;
    c->fnum++;
    const pe_srcfile *f = pe_srcfile_new(&c->arena, in->name ? in->name : "", in->text, in->len);
    if (!f)
        return pe_ld_nomem(d);
    pe_arena scratch = PE_ARENA_INIT;
    int rc = pe_read_rules(c, d, f, in->text, in->len, &l->lim, &scratch);
    pe_arena_free(&scratch);
    return rc ? rc : pe_build_check(b, c->fnum, final);
}

static int load_all(pe_loader *l, pe_ldiag *d, const pe_load_input *inputs, size_t n,
                    pe_ruleset **out)
{
    pe_build b;
    int rc = pe_build_begin(&b, &l->c, d, &l->build);
    for (size_t i = 0; !rc && i < n; i++)
        rc = load_one(l, &b, d, &inputs[i], i + 1 == n);
    if (!rc && !n) /* nothing to read: the same rules, compiled again */
        rc = pe_build_check(&b, 0, 1);
    if (!rc)
        rc = pe_coll_check_plugins(&l->c, d);
    if (!rc)
        rc = pe_build_finish(&b, out);
    if (rc)
        pe_build_hints(&b, d->warnings);
    pe_build_end(&b);
    return rc;
}

int pe_loader_load(pe_loader *l, const pe_load_input *inputs, size_t n, pe_ruleset **out,
                   pe_diags *warnings, prempti_error **err)
{
    *out = NULL;
    pe_diags local = {0};
    pe_ldiag d = {NULL, &local, 0};
    pe_coll_begin(&l->c);
    int rc = load_all(l, &d, inputs, n, out);
    pe_ld_summarize(&local, d.suppressed);
    if (!rc && local.oom)
        rc = pe_ld_nomem(&d);
    if (rc) {
        pe_ruleset_free(*out);
        *out = NULL;
        pe_coll_rollback(&l->c);
        prempti_error *e = d.err ? d.err
                                 : pe_error_new(PREMPTI_E_INTERNAL, PREMPTI_SEVERITY_ERROR, "",
                                                "%s", "load failed without a diagnostic");
        for (size_t i = 0; i < local.count; i++)
            pe_error_add_note(e, local.items[i]);
        free(local.items);
        return pe_raise(err, e);
    }
    pe_coll_commit(&l->c);
    pe_diags_move(warnings, &local);
    return PREMPTI_OK;
}

size_t pe_loader_arena_bytes(const pe_loader *l)
{
    return l->c.arena.total;
}
