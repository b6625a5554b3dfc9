#define _GNU_SOURCE /* glibc's memmem */
#include <string.h>

#include "util/sys.h"

#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* The maximal suffix of n (l bytes) for one byte order (greater: 1 for >,
 * 0 for <): its start - 1 in *ms and its period in *p. */
static void maximal_suffix(const unsigned char *n, size_t l, int greater, size_t *ms, size_t *p)
{
    size_t ip = (size_t)-1, jp = 0, k = 1, per = 1;
    while (jp + k < l) {
        unsigned char a = n[ip + k], b = n[jp + k];
        if (a == b) {
            if (k == per) {
                jp += per;
                k = 1;
            } else {
                k++;
            }
        } else if (greater ? a > b : a < b) {
            jp += k;
            k = 1;
            per = jp - ip;
        } else {
            ip = jp++;
            k = per = 1;
        }
    }
    *ms = ip;
    *p = per;
}

const void *pe_twoway_memmem(const void *hay, size_t hlen, const void *needle, size_t nlen)
{
    const unsigned char *h = hay, *n = needle, *z = h + hlen;
    size_t l = nlen;
    if (l == 0)
        return hay;
    if (l > hlen)
        return NULL;
    /* the critical factorisation: the later of the two maximal suffixes */
    size_t ms, p, ms2, p2;
    maximal_suffix(n, l, 1, &ms, &p);
    maximal_suffix(n, l, 0, &ms2, &p2);
    if (ms2 + 1 > ms + 1) {
        ms = ms2;
        p = p2;
    }
    size_t mem0, mem = 0;
    if (memcmp(n, n + p, ms + 1) != 0) { /* not periodic: shift by more */
        mem0 = 0;
        p = MAX(ms, l - ms - 1) + 1;
    } else {
        mem0 = l - p;
    }
    for (;;) {
        if ((size_t)(z - h) < l)
            return NULL;
        size_t k = MAX(ms + 1, mem);
        while (k < l && n[k] == h[k]) /* the right half, left to right */
            k++;
        if (k < l) {
            h += k - ms;
            mem = 0;
            continue;
        }
        for (k = ms + 1; k > mem && n[k - 1] == h[k - 1]; k--) /* the left half */
            ;
        if (k <= mem)
            return h;
        h += p;
        mem = mem0;
    }
}

const void *pe_sys_memmem(const void *hay, size_t hlen, const void *needle, size_t nlen)
{
    if (nlen == 0)
        return hay;
#if defined(__GLIBC__) || defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) ||    \
    defined(__NetBSD__)
    return memmem(hay, hlen, needle, nlen);
#else
    return pe_twoway_memmem(hay, hlen, needle, nlen);
#endif
}
