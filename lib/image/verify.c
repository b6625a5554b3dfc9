/*
 * The pages of a mapped image file: each has its checksum in the page
 * table (itself covered by the header's checksum), and is checked the
 * first time anything in it is about to be read, then remembered as good
 * or bad. Threads may check pages at once: the answer is the same.
 */
#include <stdlib.h>

#include "image/image.h"

struct pe_verify {
    const unsigned char *base;
    size_t first, end; /* the checked bytes: [first, end) */
    uint32_t npages;
    const uint64_t *sums;
    _Atomic uint8_t state[]; /* per page: 0 unknown, 1 good, 2 bad */
};

pe_verify *pe_verify_new(const pe_image *img)
{
    const pe_image_header *h = (const pe_image_header *)(const void *)img->base;
    pe_verify *v = calloc(1, sizeof(*v) + h->npages + 1);
    if (!v)
        return NULL;
    v->base = img->base;
    v->first = h->header_size;
    v->end = h->pages;
    v->npages = h->npages;
    v->sums = PE_PTR(img->base, h->pages, uint64_t);
    return v;
}

void pe_verify_free(pe_verify *v)
{
    free(v);
}

static int page_ok(pe_verify *v, uint32_t p)
{
    uint8_t st = atomic_load_explicit(&v->state[p], memory_order_acquire);
    if (st)
        return st == 1;
    size_t at = v->first + ((size_t)p << PE_IMAGE_PAGE_SHIFT);
    size_t len = v->end - at < ((size_t)1 << PE_IMAGE_PAGE_SHIFT)
                     ? v->end - at
                     : (size_t)1 << PE_IMAGE_PAGE_SHIFT;
    int good = pe_hash64(v->base + at, len) == v->sums[p];
    atomic_store_explicit(&v->state[p], good ? 1 : 2, memory_order_release);
    return good;
}

int pe_verify_range(void *ctx, size_t off, size_t len)
{
    pe_verify *v = ctx;
    if (!len || off + len <= v->first)
        return 0; /* the header: checked with the page table */
    if (off < v->first) {
        len -= v->first - off;
        off = v->first;
    }
    if (off + len > v->end)
        return -1;
    for (size_t p = (off - v->first) >> PE_IMAGE_PAGE_SHIFT;
         p <= (off + len - 1 - v->first) >> PE_IMAGE_PAGE_SHIFT; p++)
        if (!page_ok(v, (uint32_t)p))
            return -1;
    return 0;
}

size_t pe_verify_pages(size_t first, size_t end)
{
    return end > first ? ((end - first) + ((size_t)1 << PE_IMAGE_PAGE_SHIFT) - 1) >>
                             PE_IMAGE_PAGE_SHIFT
                       : 0;
}
