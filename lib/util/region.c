#include "util/region.h"

#include "util/hash.h"

#include <stdlib.h>
#include <string.h>

#include "util/sys.h"

/* Memory is committed in steps of at least this much (and at least the
 * size committed so far, so that growing costs few system calls). */
#define COMMIT_STEP ((size_t)64 << 10)

static size_t page_size(void)
{
    return pe_sys_page_size();
}

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) / to * to;
}

int pe_region_init(pe_region *r, size_t max, size_t header)
{
    memset(r, 0, sizeof(*r));
    size_t limit = (size_t)UINT32_MAX + 1 - page_size(); /* offsets are 32 bits */
    if (max > limit)
        max = limit;
    max = round_up(max ? max : 1, page_size());
    void *p = pe_sys_reserve(max);
    if (!p)
        return -1;
    r->base = p;
    r->reserved = max;
    if (!pe_region_alloc(r, header ? header : 1)) {
        pe_region_free(r);
        return -1;
    }
    return 0;
}

int pe_region_init_fixed(pe_region *r, size_t max, size_t header)
{
    memset(r, 0, sizeof(*r));
    max = round_up(max ? max : 1, PE_REGION_ALIGN);
    if (max > UINT32_MAX || !(r->base = calloc(1, max)))
        return -1;
    r->reserved = r->committed = max;
    r->heap = 1;
    if (!pe_region_alloc(r, header ? header : 1)) {
        pe_region_free(r);
        return -1;
    }
    return 0;
}

/* Commits memory up to at least `need` bytes from base. */
static int commit(pe_region *r, size_t need)
{
    size_t step = r->committed > COMMIT_STEP ? r->committed : COMMIT_STEP;
    size_t to = round_up(need, page_size());
    if (to < r->committed + step)
        to = r->committed + step;
    if (to > r->reserved)
        to = r->reserved;
    if (pe_sys_commit(r->base + r->committed, to - r->committed) != 0)
        return -1;
    r->committed = to;
    return 0;
}

void *pe_region_alloc(pe_region *r, size_t size)
{
    if (!r->base || r->sealed)
        return NULL;
    size_t start = round_up(r->used, PE_REGION_ALIGN);
    if (start > r->reserved || size > r->reserved - start) {
        r->full = 1;
        return NULL;
    }
    if (start + size > r->committed && commit(r, start + size))
        return NULL;
    r->used = start + size;
    return r->base + start; /* committed pages start out zeroed, never reused */
}

char *pe_region_strndup(pe_region *r, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *d = pe_region_alloc(r, len + 1);
    if (d && len)
        memcpy(d, s, len);
    return d;
}

void *pe_region_memdup(pe_region *r, const void *p, size_t size)
{
    void *d = pe_region_alloc(r, size);
    if (d && size)
        memcpy(d, p, size);
    return d;
}

/* Strings longer than this are copied, not shared: interning them costs
 * more to compile than it saves in an image. */
#define INTERN_MAX 32

int pe_region_rstr(pe_region *r, const char *s, size_t len, pe_rstr *out)
{
    if (len > UINT32_MAX || (!r->strings && !(r->strings = calloc(1, sizeof(*r->strings)))))
        return -1;
    out->len = (uint32_t)len;
    if (len > INTERN_MAX) {
        char *d = pe_region_strndup(r, s, len);
        out->off = pe_ref_of(r, d);
        return d ? 0 : -1;
    }
    int found;
    pe_hent *e = pe_hmap_slot(r->strings, s, len, &found);
    if (!e)
        return -1;
    if (found) {
        out->off = (pe_ref)(uintptr_t)e->val;
        return 0;
    }
    char *d = pe_region_strndup(r, s, len);
    if (!d)
        return -1;
    out->off = pe_ref_of(r, d);
    pe_hmap_fill(r->strings, e, d, len, (void *)(uintptr_t)out->off);
    return 0;
}

static void drop_strings(pe_region *r)
{
    if (r->strings)
        pe_hmap_free(r->strings);
    free(r->strings);
    r->strings = NULL;
}

int pe_region_seal(pe_region *r)
{
    drop_strings(r);
    if (!r->base)
        return -1;
    if (r->heap) {
        r->sealed = 1;
        return 0;
    }
    size_t keep = round_up(r->used, page_size());
    if (keep < r->reserved && pe_sys_trim(r->base + keep, r->reserved - keep) != 0)
        return -1;
    r->reserved = keep;
    if (r->committed > keep)
        r->committed = keep;
    if (r->committed && pe_sys_seal(r->base, r->committed) != 0)
        return -1;
    r->sealed = 1;
    return 0;
}

void pe_region_free(pe_region *r)
{
    drop_strings(r);
    if (r->heap)
        free(r->base);
    else if (r->base)
        pe_sys_release(r->base, r->reserved);
    memset(r, 0, sizeof(*r));
}

/* ---- checking ---- */

int pe_rcheck_fail(pe_rcheck *c, const char *why)
{
    if (!c->why)
        c->why = why;
    return -1;
}

int pe_rcheck_work(pe_rcheck *c, uint64_t n)
{
    c->work += n;
    return c->work > c->budget ? pe_rcheck_fail(c, "too many references") : 0;
}

const void *pe_rcheck_array(pe_rcheck *c, pe_ref ref, size_t count, size_t elem, const char *what)
{
    /* a type's alignment divides its size: the largest power of two (up
     * to 8) dividing it is at least as strict as needed */
    size_t align = elem % 8 == 0 ? 8 : elem % 4 == 0 ? 4 : elem % 2 == 0 ? 2 : 1;
    if (!count && !ref)
        return c->base; /* nothing will be read */
    if (ref < c->header || ref % align || ref > c->size ||
        (elem && count > (c->size - ref) / elem)) {
        pe_rcheck_fail(c, what);
        return NULL;
    }
    if (c->touch && count && c->touch(c->touch_ctx, ref, count * elem)) {
        pe_rcheck_fail(c, "damaged page");
        return NULL;
    }
    return c->base + ref;
}

int pe_rcheck_str(pe_rcheck *c, pe_rstr s, int optional, const char *what)
{
    if (!s.off)
        return optional && !s.len ? 0 : pe_rcheck_fail(c, what);
    if (s.off < c->header || s.off >= c->size || s.len >= c->size - s.off)
        return pe_rcheck_fail(c, what);
    if (c->touch && c->touch(c->touch_ctx, s.off, (size_t)s.len + 1))
        return pe_rcheck_fail(c, "damaged page");
    return c->base[s.off + s.len] == '\0' ? 0 : pe_rcheck_fail(c, what);
}
