/*
 * A region: one contiguous block of memory that compiled data is built in,
 * so that the data can refer to itself by offsets from the region's start
 * and be saved, mapped back at any address and used in place (see
 * image/image.h). The region reserves address space up front and commits
 * it as it grows, so nothing ever moves while it is built: a pointer
 * obtained from it stays valid, and pe_ref_of() turns it into an offset.
 * Offset 0 is never handed out (it holds the image header), so a zero
 * offset means "none".
 */
#ifndef PE_UTIL_REGION_H
#define PE_UTIL_REGION_H

#include <stddef.h>
#include <stdint.h>

typedef struct pe_region {
    unsigned char *base;
    size_t used;      /* bytes handed out, from base */
    size_t committed; /* readable and writable, from base */
    size_t reserved;  /* address space held, from base */
    int sealed;       /* read-only from now on */
    int heap;         /* one fixed block from malloc (pe_region_init_fixed) */
    int full;         /* an allocation did not fit in the reservation */
    struct pe_hmap *strings; /* strings made by pe_region_rstr, to share them */
} pe_region;

#define PE_REGION_INIT                                                                             \
    {                                                                                              \
        NULL, 0, 0, 0, 0, 0, 0, NULL                                                               \
    }

/* Alignment of every allocation: enough for the 64-bit fields of compiled
 * data (and the same on every platform, so images do not depend on it). */
#define PE_REGION_ALIGN 8

/*
 * Reserves max bytes of address space (rounded up to pages; at most 4 GiB,
 * so that offsets fit 32 bits) and hands out the first `header` bytes as
 * zeroes. 0, or -1 when the address space cannot be had.
 */
int pe_region_init(pe_region *r, size_t max, size_t header);

/* A region of exactly max bytes from the heap, for short-lived compiled
 * data that is never saved (e.g. checking that a text names a field). */
int pe_region_init_fixed(pe_region *r, size_t max, size_t header);

/* Zeroed memory aligned to PE_REGION_ALIGN; NULL when the region is full
 * (its size is a limit, see pe_region_full) or sealed. */
void *pe_region_alloc(pe_region *r, size_t size);
/* Copies len bytes and a NUL into the region. */
char *pe_region_strndup(pe_region *r, const char *s, size_t len);
void *pe_region_memdup(pe_region *r, const void *p, size_t size);

/* Whether an allocation failed because the reservation was used up (as
 * opposed to the system refusing to commit memory). */
static inline int pe_region_full(const pe_region *r)
{
    return r->full;
}

/* Makes the region read-only and gives back the address space it did not
 * use. 0 or -1. */
int pe_region_seal(pe_region *r);

void pe_region_free(pe_region *r);

/* An offset into a region or an image; 0 means none. */
typedef uint32_t pe_ref;

/* A byte string in a region or an image: `len` bytes at `off`, followed by
 * a NUL. */
typedef struct pe_rstr {
    pe_ref off;
    uint32_t len;
} pe_rstr;

/* The offset of p, which r handed out (NULL gives 0). */
static inline pe_ref pe_ref_of(const pe_region *r, const void *p)
{
    return p ? (pe_ref)((const unsigned char *)p - r->base) : 0;
}

/* The object at offset ref from base, of type T; NULL for ref 0. */
#define PE_AT(base, ref, T) ((ref) ? (const T *)(const void *)((base) + (ref)) : (const T *)NULL)
/* The same for an offset known not to be 0 (a part every image has). */
#define PE_PTR(base, ref, T) ((const T *)(const void *)((base) + (ref)))
/* The same, writable: only for data still being built in a region. */
#define PE_AT_MUT(region, ref, T) ((ref) ? (T *)(void *)((region)->base + (ref)) : (T *)NULL)

/* Copies len bytes of s into r as a pe_rstr, or, for a short string,
 * finds the same bytes copied so before (strings are never written once
 * made: they are shared); -1 when r is full or out of memory. */
int pe_region_rstr(pe_region *r, const char *s, size_t len, pe_rstr *out);

/*
 * Checking data read back from outside (a mapped image): every offset and
 * length is checked against the data's bounds before anything is read
 * through it. Each stage checks its own structures with these; the first
 * problem is kept in `why`, and the work is bounded (so a hostile image
 * that makes many references to one large part cannot make checking
 * quadratic).
 */
typedef struct pe_rcheck {
    const unsigned char *base;
    size_t size;     /* bytes of data */
    size_t header;   /* offsets below this are no data's */
    uint64_t work;   /* items checked */
    uint64_t budget; /* most items checked */
    const char *why; /* the first problem (static text), NULL while none */
    /* Called on every range about to be read (may be NULL): 0, or -1 when
     * those bytes cannot be trusted (a page of a file whose checksum does
     * not match). */
    int (*touch)(void *ctx, size_t off, size_t len);
    void *touch_ctx;
} pe_rcheck;

/* Records the first problem; returns -1. */
int pe_rcheck_fail(pe_rcheck *c, const char *why);
/* Counts n items of work; -1 past the budget. */
int pe_rcheck_work(pe_rcheck *c, uint64_t n);
/* The array of count elements of elem bytes at ref (aligned for them; 0
 * allowed for an empty array), or NULL after recording `what`. */
const void *pe_rcheck_array(pe_rcheck *c, pe_ref ref, size_t count, size_t elem, const char *what);
/* A string: in bounds and followed by a NUL; off 0 only when optional. */
int pe_rcheck_str(pe_rcheck *c, pe_rstr s, int optional, const char *what);

#endif
