/*
 * Making an image from a compiled rule set's region (the parts a load adds
 * after compiling: sources, warnings, the root and the header), and the
 * shared holder of an image's bytes.
 */
#include "image/image.h"

#include <stdlib.h>
#include <string.h>

#include "util/sys.h"

void pe_sources_free(pe_sources *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].name);
    free(s->v);
    memset(s, 0, sizeof(*s));
}

/* ---- the holder ---- */

pe_image *pe_image_from_region(pe_region *r)
{
    pe_image *img = calloc(1, sizeof(*img));
    if (!img)
        return NULL;
    atomic_init(&img->refs, 1);
    img->region = *r;
    memset(r, 0, sizeof(*r));
    img->base = img->region.base;
    img->size = img->region.used;
    return img;
}

pe_image *pe_image_ref(pe_image *img)
{
    atomic_fetch_add_explicit(&img->refs, 1, memory_order_relaxed);
    return img;
}

void pe_image_unref(pe_image *img)
{
    if (!img || atomic_fetch_sub_explicit(&img->refs, 1, memory_order_acq_rel) != 1)
        return;
    pe_region_free(&img->region);
    if (img->map)
        pe_sys_unmap_file(img->map, img->map_len);
    free(img);
}

/* ---- finishing a region ---- */

static int keep_str(pe_region *r, const char *s, pe_rstr *out)
{
    return pe_region_rstr(r, s ? s : "", s ? strlen(s) : 0, out);
}

static int add_sources(pe_region *r, const pe_image_parts *parts, pe_image_root *root)
{
    size_t n = parts->sources[0]->n + parts->sources[1]->n;
    pe_image_source *v = pe_region_alloc(r, (n + 1) * sizeof(*v));
    if (!v)
        return -1;
    size_t k = 0;
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < parts->sources[l]->n; i++, k++) {
            const pe_source *s = &parts->sources[l]->v[i];
            if (keep_str(r, s->name, &v[k].name))
                return -1;
            v[k].size = s->size;
            v[k].mtime_ns = s->mtime_ns;
            v[k].ctime_ns = s->ctime_ns;
            v[k].stat_ns = s->stat_ns;
            v[k].dev = s->dev;
            v[k].ino = s->ino;
            v[k].hash = s->hash;
            v[k].is_file = (uint8_t)(s->is_file != 0);
        }
    root->sources = pe_ref_of(r, v);
    root->nsources = (uint32_t)n;
    return 0;
}

static int add_diag(pe_region *r, const prempti_error *e, pe_image_diag *d)
{
    d->code = e->code;
    d->severity = (uint32_t)e->severity;
    d->line = e->line;
    d->column = e->column;
    return keep_str(r, e->kind, &d->kind) || keep_str(r, e->message, &d->message) ||
                   keep_str(r, e->source, &d->source) ||
                   keep_str(r, e->item_type, &d->item_type) ||
                   keep_str(r, e->item_name, &d->item_name)
               ? -1
               : 0;
}

static int add_warnings(pe_region *r, const pe_image_parts *parts, pe_image_root *root)
{
    size_t n = 0;
    for (int l = 0; l < 3; l++)
        n += parts->warnings[l]->count;
    pe_image_diag *v = pe_region_alloc(r, (n + 1) * sizeof(*v));
    if (!v)
        return -1;
    size_t k = 0;
    for (int l = 0; l < 3; l++)
        for (size_t i = 0; i < parts->warnings[l]->count; i++)
            if (add_diag(r, parts->warnings[l]->items[i], &v[k++]))
                return -1;
    root->warnings = pe_ref_of(r, v);
    root->nwarnings = (uint32_t)n;
    return 0;
}

int pe_image_finish(pe_region *r, const pe_image_parts *parts, const prempti_config *cfg,
                    pe_image **out)
{
    *out = NULL;
    pe_image_root *root = pe_region_alloc(r, sizeof(*root));
    if (!root || add_sources(r, parts, root) || add_warnings(r, parts, root))
        return pe_region_full(r) ? PREMPTI_E_LIMIT : PREMPTI_E_NOMEM;
    root->nrules = parts->nrules;
    root->rules = parts->rules;
    root->state = parts->state;
    root->pf = parts->pf;
    root->suffix = parts->suffix;
    pe_image_header *h = (pe_image_header *)(void *)r->base;
    memcpy(h->magic, PE_IMAGE_MAGIC, sizeof(PE_IMAGE_MAGIC));
    h->format = PE_IMAGE_FORMAT;
    h->header_size = (uint32_t)sizeof(*h);
    h->size = (r->used + PE_REGION_ALIGN - 1) / PE_REGION_ALIGN * PE_REGION_ALIGN;
    h->build_key = pe_image_build_key();
    h->options_key = pe_image_options_key(cfg);
    h->root = pe_ref_of(r, root);
    if (pe_region_seal(r))
        return PREMPTI_E_NOMEM;
    if (!(*out = pe_image_from_region(r)))
        return PREMPTI_E_NOMEM;
    (*out)->size = h->size;
    return PREMPTI_OK;
}
