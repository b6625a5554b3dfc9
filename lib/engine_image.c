/*
 * prempti_engine_save() and prempti_engine_load_compiled(): an engine's
 * image written to a file, and an engine made from such a file once the
 * image has been checked against the rules files it was compiled from.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config_internal.h"
#include "engine_internal.h"
#include "util/mem.h"
#include "util/sys.h"

int prempti_engine_save(const prempti_engine *e, const char *path, prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!e || !path)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "engine and path must not be NULL");
    if (!e->img)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "the engine has no rules to save");
    return pe_image_save(e->img, path, err);
}

/* Hashes the file at path; 0 with *size and *hash, or -1. */
static int hash_file(const char *path, const struct stat *st, uint64_t *hash)
{
    int fd = pe_sys_open_read(path);
    if (fd < 0)
        return -1;
    struct stat now;
    pe_hash64_state h;
    pe_hash64_init(&h);
    unsigned char buf[65536];
    uint64_t total = 0;
    ssize_t n = 0;
    int rc = fstat(fd, &now) || now.st_ino != st->st_ino || now.st_dev != st->st_dev ? -1 : 0;
    while (!rc && (n = read(fd, buf, sizeof(buf))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = -1;
        else {
            pe_hash64_update(&h, buf, (size_t)n);
            total += (uint64_t)n;
        }
    }
    close(fd);
    *hash = pe_hash64_final(&h);
    return rc || total != (uint64_t)st->st_size ? -1 : 0;
}

/* A file changed within this long before its status was recorded could
 * be changed again with the same status (timestamps have a granularity:
 * a few milliseconds on Linux file systems, a second on some, two on
 * FAT): its content is compared; older ones are known by their status
 * alone. */
#define RACY_NS ((int64_t)3 * 1000000000)


/* What checking a source found: its status now (taken at stat_ns), and
 * whether its content had to be compared. */
typedef struct seen_source {
    struct stat st;
    int64_t stat_ns;
    int hashed;
} seen_source;

static int64_t now_ns(void)
{
    int64_t sec;
    long nsec;
    pe_sys_now(&sec, &nsec);
    return sec * 1000000000 + nsec;
}

/*
 * Whether the file `name` is still the source the image recorded: the
 * same path, device, inode, size, modification and change times, and the
 * same content. Every change of a file by a process sets its change time
 * to the time of the change (no process can set it back), so a status
 * that matches one recorded more than RACY_NS after the file's last
 * change proves the content unchanged; otherwise the content is hashed.
 */
static int same_source(const unsigned char *base, const pe_image_source *src, const char *name,
                       seen_source *seen)
{
    struct stat *st = &seen->st;
    uint64_t hash;
    seen->stat_ns = now_ns(); /* before the status: a conservative time for it */
    if (!src->is_file || strcmp(pe_rstr_c(base, src->name), name) != 0 || stat(name, st) ||
        !S_ISREG(st->st_mode) || (uint64_t)st->st_size != src->size ||
        pe_sys_mtime_ns(st) != src->mtime_ns || pe_sys_ctime_ns(st) != src->ctime_ns ||
        (uint64_t)st->st_dev != src->dev || (uint64_t)st->st_ino != src->ino)
        return 0;
    if (src->ctime_ns < src->stat_ns - RACY_NS)
        return 1;
    seen->hashed = 1;
    return hash_file(name, st, &hash) == 0 && hash == src->hash;
}

/* The image's sources (read before the image is checked, so bounded
 * here): 0 with *src and *n, or -1. */
static int image_sources(const pe_image *img, const pe_image_source **src, uint32_t *n)
{
    const pe_image_header *h = (const pe_image_header *)(const void *)img->base;
    pe_rcheck c = {img->base, h->pages, PE_IMAGE_HEADER_SIZE, 0, UINT64_MAX, NULL, NULL, NULL};
    const pe_image_root *root = pe_rcheck_array(&c, h->root, 1, sizeof(*root), "root");
    *src = root ? pe_rcheck_array(&c, root->sources, root->nsources, sizeof(**src), "sources")
                : NULL;
    for (uint32_t i = 0; *src && i < root->nsources; i++)
        if (pe_rcheck_str(&c, (*src)[i].name, 0, "source"))
            return -1;
    *n = root ? root->nsources : 0;
    return *src ? 0 : -1;
}

/* The image's sources against the files the paths name now; *seen (a new
 * array of *nseen, free() it) what was found. */
static int check_sources(const pe_image *img, const char *const *paths, size_t npaths,
                         const char *image_path, seen_source **seen, size_t *nseen,
                         prempti_error **err)
{
    const pe_image_source *src;
    uint32_t nsrc;
    *seen = NULL;
    *nseen = 0;
    if (image_sources(img, &src, &nsrc))
        return pe_fail(err, PREMPTI_E_IMAGE, "IMAGE_DAMAGED", "'%s' is damaged", image_path);
    char **names = NULL;
    size_t n = 0;
    int rc = pe_engine_expand_paths(paths, npaths, &names, &n, err);
    if (!rc && n != nsrc)
        rc = pe_fail(err, PREMPTI_E_IMAGE, "IMAGE_STALE",
                     "'%s' was compiled from other rules files", image_path);
    if (!rc && !(*seen = calloc(n + 1, sizeof(**seen))))
        rc = pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    for (size_t i = 0; !rc && i < n; i++)
        if (!same_source(img->base, &src[i], names[i], &(*seen)[i]))
            rc = pe_fail(err, PREMPTI_E_IMAGE, "IMAGE_STALE",
                         "'%s' is out of date: '%s' is not the file it was compiled from",
                         image_path, names[i]);
    *nseen = n;
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/*
 * An image whose rules files had to be compared by content (compiled
 * shortly after they changed) is written again with their status now,
 * once every one of them has stayed unchanged for RACY_NS: later loads
 * then know them by status alone. The new file keeps every byte but the
 * sources' records, and is only written when every page of the image
 * checks (a new page table must not vouch for a damaged page). Best
 * effort: an image that cannot be rewritten stays as it is.
 */
static void refresh_sources(const pe_image *img, const char *path, const seen_source *seen,
                            size_t n)
{
    int hashed = 0;
    for (size_t i = 0; i < n; i++) {
        if (pe_sys_ctime_ns(&seen[i].st) >= seen[i].stat_ns - RACY_NS)
            return; /* still recent: compare again next time */
        hashed |= seen[i].hashed;
    }
    const pe_image_header *h = (const pe_image_header *)(const void *)img->base;
    pe_verify *v = hashed ? pe_verify_new(img) : NULL;
    int good = v && pe_verify_range(v, h->header_size, h->pages - h->header_size) == 0;
    pe_verify_free(v);
    unsigned char *copy = good ? malloc(h->pages) : NULL;
    if (!copy)
        return;
    memcpy(copy, img->base, h->pages);
    const pe_image_root *root = pe_image_root_of(img);
    pe_image_source *src = (pe_image_source *)(void *)(copy + root->sources);
    for (size_t i = 0; i < n; i++) {
        src[i].mtime_ns = pe_sys_mtime_ns(&seen[i].st);
        src[i].ctime_ns = pe_sys_ctime_ns(&seen[i].st);
        src[i].stat_ns = seen[i].stat_ns;
    }
    pe_image fresh = {0};
    fresh.base = copy;
    fresh.size = h->pages;
    pe_image_save(&fresh, path, NULL);
    free(copy);
}

/* The warnings the load gave, as the engine reports them. */
static int restore_warnings(prempti_engine *e)
{
    const pe_image_root *root = pe_image_root_of(e->img);
    const pe_image_diag *w = PE_AT(e->base, root->warnings, pe_image_diag);
    for (uint32_t i = 0; i < root->nwarnings; i++) {
        const pe_image_diag *d = &w[i];
        prempti_error *x = pe_error_new(d->code, (int)d->severity, pe_rstr_c(e->base, d->kind),
                                        "%s", pe_rstr_c(e->base, d->message));
        if (x->is_static)
            return -1;
        pe_error_set_pos(x, pe_rstr_c(e->base, d->source), d->line, d->column);
        pe_error_set_item(x, pe_rstr_c(e->base, d->item_type), pe_rstr_c(e->base, d->item_name));
        pe_diags_add(&e->set_warnings, x);
    }
    return e->set_warnings.oom ? -1 : 0;
}

int prempti_engine_load_compiled(prempti_engine **out, const char *image_path,
                                 const prempti_config *cfg, const char *const *paths,
                                 size_t npaths, prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!out || !image_path || (!paths && npaths))
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "out, image_path and paths must be given");
    *out = NULL;
    pe_image *img = NULL;
    pe_lazy *lazy = NULL;
    prempti_engine *e = NULL;
    const char *why = NULL;
    seen_source *seen = NULL;
    size_t nseen = 0;
    int rc = pe_image_map(image_path, &img, err);
    if (!rc)
        rc = pe_image_check_options(img, cfg, image_path, err);
    if (!rc)
        rc = check_sources(img, paths, npaths, image_path, &seen, &nseen, err);
    if (!rc)
        refresh_sources(img, image_path, seen, nseen);
    free(seen);
    if (!rc && !(lazy = pe_lazy_new(img, &why)))
        rc = pe_fail(err, PREMPTI_E_IMAGE, "IMAGE_DAMAGED", "'%s' is damaged: %s", image_path,
                     why ? why : "out of memory");
    if (!rc)
        rc = pe_engine_create(&e, cfg, 0, err);
    if (rc) {
        pe_lazy_free(lazy);
        pe_image_unref(img);
        return rc;
    }
    if (pe_engine_attach(e, img, lazy, 0) || restore_warnings(e)) {
        prempti_engine_free(e);
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    }
    if (pe_config_choice(cfg, PE_OPT_IMAGE_CHECK) == PE_IMAGE_CHECK_FULL &&
        (pe_lazy_all(e->lazy) || pe_accel_check_all(e->accel))) {
        prempti_engine_free(e);
        return pe_fail(err, PREMPTI_E_IMAGE, "IMAGE_DAMAGED", "'%s' is damaged", image_path);
    }
    *out = e;
    return PREMPTI_OK;
}
