#include "mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

char *pe_strndup(const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *d = malloc(len + 1);
    if (!d)
        return NULL;
    if (len)
        memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

char *pe_strdup(const char *s)
{
    return s ? pe_strndup(s, strlen(s)) : NULL;
}

int pe_grow(void **ptr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return -1;
        ncap *= 2;
    }
    if (elem && ncap > SIZE_MAX / elem)
        return -1;
    void *p = realloc(*ptr, ncap * elem);
    if (!p)
        return -1;
    *ptr = p;
    *cap = ncap;
    return 0;
}
