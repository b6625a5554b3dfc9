/*
 * Images as files: written whole (temporary file, then renamed), mapped
 * read-only, and checked before anything in them is used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#if defined(_WIN32)
#include <io.h>
#else
#include <unistd.h>
#endif

#include "image/image.h"
#include "util/strbuf.h"
#include "util/sys.h"


/* Writes all of data to fd; 0 or -1 (errno). */
static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The checksum of a header (its own checksum read as 0) and page table. */
static uint64_t header_sum(const pe_image_header *h, const uint64_t *table)
{
    pe_image_header copy = *h;
    copy.checksum = 0;
    pe_hash64_state st;
    pe_hash64_init(&st);
    pe_hash64_update(&st, &copy, sizeof(copy));
    pe_hash64_update(&st, table, (size_t)h->npages * sizeof(*table));
    return pe_hash64_final(&st);
}

/* The file: the header, the image's bytes, then a checksum per page of
 * them (the header's checksum covers itself and that table). */
static int write_image(int fd, const pe_image *img)
{
    const pe_image_header *mem = (const pe_image_header *)(const void *)img->base;
    /* a mapped image ends in its old page table: only the bytes before it */
    size_t first = sizeof(*mem), end = mem->pages ? (size_t)mem->pages : (size_t)mem->size;
    size_t npages = pe_verify_pages(first, end);
    uint64_t *table = calloc(npages + 1, sizeof(*table));
    if (!table || npages > UINT32_MAX)
        return -1;
    for (size_t p = 0; p < npages; p++) {
        size_t at = first + (p << PE_IMAGE_PAGE_SHIFT), len = end - at;
        if (len > (size_t)1 << PE_IMAGE_PAGE_SHIFT)
            len = (size_t)1 << PE_IMAGE_PAGE_SHIFT;
        table[p] = pe_hash64(img->base + at, len);
    }
    pe_image_header h = *mem;
    h.pages = (pe_ref)end;
    h.npages = (uint32_t)npages;
    h.size = end + npages * sizeof(*table);
    h.checksum = header_sum(&h, table);
    int rc = write_all(fd, &h, sizeof(h)) || write_all(fd, img->base + first, end - first) ||
                     write_all(fd, table, npages * sizeof(*table))
                 ? -1
                 : 0;
    free(table);
    return rc;
}

int pe_image_save(const pe_image *img, const char *path, prempti_error **err)
{
    pe_strbuf tmp = PE_STRBUF_INIT;
    pe_sb_printf(&tmp, "%s.XXXXXX", path);
    if (pe_sb_failed(&tmp)) {
        pe_sb_free(&tmp);
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    }
    char *name = (char *)pe_sb_str(&tmp);
    int fd = pe_sys_make_temp(name); /* 0600, in the target's directory: the rename is atomic */
    int rc = PREMPTI_OK;
    if (fd < 0) {
        rc = pe_fail(err, PREMPTI_E_IO, "IMAGE_WRITE", "cannot create '%s': %s", name,
                     strerror(errno));
    } else {
        int bad = write_image(fd, img);
        bad = close(fd) || bad;
        if (bad || pe_sys_replace(name, path)) {
            rc = pe_fail(err, PREMPTI_E_IO, "IMAGE_WRITE", "cannot write '%s': %s", path,
                         strerror(errno));
            unlink(name);
        }
    }
    pe_sb_free(&tmp);
    return rc;
}

/* The file must be ours alone: a regular file owned by the effective user,
 * writable by nobody else, of a size an image can have. */
static int check_file(const struct stat *st, const char *path, prempti_error **err)
{
    if (!S_ISREG(st->st_mode))
        return pe_fail(err, PREMPTI_E_IMAGE, "IMAGE_UNSAFE", "'%s' is not a regular file", path);
    if (!pe_sys_owned_by_me(st) || pe_sys_writable_by_others(st))
        return pe_fail(err, PREMPTI_E_IMAGE, "IMAGE_UNSAFE",
                       "'%s' is not owned by this user alone (owner or mode)", path);
    if ((uint64_t)st->st_size < PE_IMAGE_HEADER_SIZE || (uint64_t)st->st_size > UINT32_MAX)
        return pe_fail(err, PREMPTI_E_IMAGE, "IMAGE_DAMAGED", "'%s' has the wrong size", path);
    return PREMPTI_OK;
}

/* What the header says before anything else is read: its format, where
 * the page table is, the checksum of both, then the build. */
static int check_header(const pe_image *img, const char *path, prempti_error **err)
{
    const pe_image_header *h = (const pe_image_header *)(const void *)img->base;
    if (memcmp(h->magic, PE_IMAGE_MAGIC, sizeof(PE_IMAGE_MAGIC)) != 0 ||
        h->format != PE_IMAGE_FORMAT || h->header_size != sizeof(*h) || h->size != img->size ||
        h->pages < sizeof(*h) || h->pages % PE_REGION_ALIGN || h->pages > h->size ||
        h->npages != pe_verify_pages(sizeof(*h), h->pages) ||
        h->size - h->pages != (uint64_t)h->npages * sizeof(uint64_t))
        return pe_fail(err, PREMPTI_E_IMAGE, "IMAGE_DAMAGED",
                       "'%s' is not a compiled image of this format", path);
    if (h->checksum != header_sum(h, PE_PTR(img->base, h->pages, uint64_t)))
        return pe_fail(err, PREMPTI_E_IMAGE, "IMAGE_DAMAGED", "'%s' is damaged (checksum)",
                       path);
    if (h->build_key != pe_image_build_key())
        return pe_fail(err, PREMPTI_E_IMAGE, "IMAGE_STALE",
                       "'%s' was made by another build of libprempti", path);
    return PREMPTI_OK;
}

int pe_image_map(const char *path, pe_image **out, prempti_error **err)
{
    *out = NULL;
    int fd = pe_sys_open_read_nofollow(path);
    if (fd < 0)
        return pe_fail(err, errno == ELOOP ? PREMPTI_E_IMAGE : PREMPTI_E_IO, "IMAGE_READ",
                       "cannot open '%s': %s", path, strerror(errno));
    struct stat st;
    int rc = fstat(fd, &st) ? pe_fail(err, PREMPTI_E_IO, "IMAGE_READ", "cannot read '%s': %s",
                                      path, strerror(errno))
                            : check_file(&st, path, err);
    void *map = NULL;
    if (!rc && !(map = pe_sys_map_file(fd, (size_t)st.st_size)))
        rc = pe_fail(err, PREMPTI_E_IO, "IMAGE_READ", "cannot map '%s': %s", path,
                     strerror(errno));
    close(fd);
    pe_image *img = rc ? NULL : calloc(1, sizeof(*img));
    if (!rc && !img) {
        pe_sys_unmap_file(map, (size_t)st.st_size);
        rc = pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    }
    if (rc)
        return rc;
    atomic_init(&img->refs, 1);
    img->map = map;
    img->map_len = img->size = (size_t)st.st_size;
    img->base = map;
    if ((rc = check_header(img, path, err))) {
        pe_image_unref(img);
        return rc;
    }
    *out = img;
    return PREMPTI_OK;
}

int pe_image_check_options(const pe_image *img, const prempti_config *cfg, const char *path,
                           prempti_error **err)
{
    const pe_image_header *h = (const pe_image_header *)(const void *)img->base;
    if (h->options_key != pe_image_options_key(cfg))
        return pe_fail(err, PREMPTI_E_IMAGE, "IMAGE_STALE",
                       "'%s' was compiled with other options", path);
    return PREMPTI_OK;
}
