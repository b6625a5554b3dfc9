/*
 * Compiled-engine images: a compiled rule set, its index and what the
 * engine derived from its options, in one block of memory that refers to
 * itself only by offsets (compile/program.h). A freshly compiled engine's
 * region is such an image; prempti_engine_save() writes it to a file with a
 * header, and prempti_engine_load_compiled() maps the file read-only and
 * uses it in place once every part of it has been checked. The format is
 * described in docs/cache.md.
 *
 * Layout: the header (offset 0), then the rest of the region as built. All
 * integers are the host's (the build key includes the byte order); every
 * offset is from the start of the image; offset 0 means "none".
 */
#ifndef PE_IMAGE_IMAGE_H
#define PE_IMAGE_IMAGE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "error_internal.h"
#include "prempti/config.h"
#include "util/region.h"

typedef struct pe_image pe_image;

#define PE_IMAGE_MAGIC "PREMPTI"
/* Bumped whenever the layout of anything in an image changes. */
#define PE_IMAGE_FORMAT 2

/* Pages of an image file are checksummed one by one, and checked when
 * first read (image/verify.c). */
#define PE_IMAGE_PAGE_SHIFT 14

typedef struct pe_image_header {
    char magic[8];        /* PE_IMAGE_MAGIC and a NUL */
    uint32_t format;      /* PE_IMAGE_FORMAT */
    uint32_t header_size; /* sizeof(pe_image_header) */
    uint64_t size;        /* bytes of the whole image (file) */
    uint64_t checksum;    /* of the header (this field read as 0) and the page table */
    uint64_t build_key;   /* pe_image_build_key(): library version, build, layouts */
    uint64_t options_key; /* pe_image_options_key() of the engine's options */
    pe_ref root;          /* pe_image_root */
    pe_ref pages;         /* npages uint64_t checksums of the bytes from header_size to
                             `pages`, in pages of 1 << PE_IMAGE_PAGE_SHIFT bytes (the last
                             shorter); 0 in memory, where nothing is checked */
    uint32_t npages;
    uint32_t pad;
    uint64_t reserved[3];
} pe_image_header;

#define PE_IMAGE_HEADER_SIZE sizeof(pe_image_header)

/* A rules file (or text) the engine was compiled from. */
typedef struct pe_image_source {
    pe_rstr name;     /* the path, as given (or the name of a text) */
    uint64_t size;    /* bytes */
    int64_t mtime_ns; /* status, taken before the file was read (0 for a text) */
    int64_t ctime_ns;
    uint64_t dev, ino;
    int64_t stat_ns; /* when that status was taken (wall clock) */
    uint64_t hash;   /* pe_hash64() of the content */
    uint8_t is_file; /* read from name (else a text given in memory) */
    uint8_t pad[7];
} pe_image_source;

/* A warning of the load, kept so that an engine mapped from an image
 * reports the same ones. */
typedef struct pe_image_diag {
    int32_t code;
    uint32_t severity;
    pe_rstr kind, message, source, item_type, item_name;
    uint32_t line, column;
} pe_image_diag;

/* Per rule: derived from the rule and the options. */
typedef struct pe_rule_state {
    uint8_t active;   /* takes part in evaluation */
    uint8_t decision; /* enum prempti_decision its tags ask for */
} pe_rule_state;

/* What an engine evaluates with. */
typedef struct pe_image_root {
    uint32_t nrules;
    pe_ref rules;  /* nrules pe_rule (rules/ruleset.h) */
    pe_ref state;  /* nrules pe_rule_state */
    pe_ref pf;     /* pe_prefilter (eval/prefilter.h) */
    pe_ref suffix; /* pe_format of the reason suffix; 0: none */
    pe_ref sources; /* nsources pe_image_source, in load order */
    uint32_t nsources;
    pe_ref warnings; /* nwarnings pe_image_diag */
    uint32_t nwarnings;
} pe_image_root;

/* A rules file or text a load read (heap copies, owned by the engine). */
typedef struct pe_source {
    char *name;
    uint64_t size;
    int64_t mtime_ns, ctime_ns, stat_ns;
    uint64_t dev, ino;
    uint64_t hash;
    int is_file;
} pe_source;

typedef struct pe_sources {
    pe_source *v;
    size_t n, cap;
} pe_sources;

void pe_sources_free(pe_sources *s);

/* What a load adds to a region before it becomes an image. */
typedef struct pe_image_parts {
    uint32_t nrules;
    pe_ref rules, state, pf, suffix;
    const pe_sources *sources[2]; /* every source, in order: earlier loads', this one's */
    const pe_diags *warnings[3];  /* earlier files', this load's files', the set's */
} pe_image_parts;

/*
 * Adds the root, the sources and the warnings to region r, writes the
 * header (with the build and options keys of cfg; size and checksum are
 * written when the image is saved), seals r and moves it into a new image
 * (*out). 0, PREMPTI_E_LIMIT when r is full, PREMPTI_E_NOMEM.
 */
int pe_image_finish(pe_region *r, const pe_image_parts *parts, const prempti_config *cfg,
                    pe_image **out);

/*
 * The bytes an engine evaluates with: a sealed region (a compiled engine)
 * or a mapped file (a loaded image). Shared by the engine and the results
 * made with it (which render their outputs later), freed with the last of
 * them.
 */
struct pe_image {
    atomic_size_t refs;
    const unsigned char *base;
    size_t size;
    pe_region region; /* owned when compiled here */
    void *map;        /* owned mapping of a loaded file, else NULL */
    size_t map_len;
};

/* A new image holding region r (taken over, sealed by the caller). */
pe_image *pe_image_from_region(pe_region *r);
pe_image *pe_image_ref(pe_image *img);
void pe_image_unref(pe_image *img);

static inline const pe_image_root *pe_image_root_of(const pe_image *img)
{
    const pe_image_header *h = (const pe_image_header *)(const void *)img->base;
    return PE_AT(img->base, h->root, pe_image_root);
}

/* ---- files ---- */

/* Writes img to path: a temporary file (mode 0600) in path's directory,
 * renamed over path. PREMPTI_OK or a status with *err set. */
int pe_image_save(const pe_image *img, const char *path, prempti_error **err);

/*
 * Maps the image file at path read-only (*out) after checking the file
 * (not a symbolic link, a regular file owned by the effective user and
 * writable by nobody else) and its header (format, the checksum of the
 * header and the page table, this build). The rest is checked as it is
 * used (image/lazy.c). PREMPTI_OK; PREMPTI_E_IMAGE when it cannot be used;
 * PREMPTI_E_IO.
 */
int pe_image_map(const char *path, pe_image **out, prempti_error **err);

/* Whether a mapped image was compiled with cfg's engine options. */
int pe_image_check_options(const pe_image *img, const prempti_config *cfg, const char *path,
                           prempti_error **err);

/* ---- checking the pages of a mapped image as they are read ---- */

typedef struct pe_verify pe_verify;

/* The page state of img (mapped, header checked); NULL when out of memory. */
pe_verify *pe_verify_new(const pe_image *img);
void pe_verify_free(pe_verify *v);
/* A pe_rcheck touch function: checks the pages of [off, off + len)
 * (once each); 0, or -1 when one is damaged or out of range. */
int pe_verify_range(void *v, size_t off, size_t len);
/* Number of pages for the bytes [first, end). */
size_t pe_verify_pages(size_t first, size_t end);

/* ---- checking the parts of a mapped image before their first use ---- */

typedef struct pe_lazy pe_lazy;

/* Checks img's head (header already checked) and prepares the checks of
 * its rules; NULL with the problem in *why. Free with pe_lazy_free(). */
pe_lazy *pe_lazy_new(const pe_image *img, const char **why);
void pe_lazy_free(pe_lazy *l);
/* Rule i, checked the first time: 0, or PREMPTI_E_IMAGE when damaged (a
 * NULL l: an engine compiled here, always 0). */
int pe_lazy_rule(pe_lazy *l, size_t i);
/* Every rule now: 0 or PREMPTI_E_IMAGE. */
int pe_lazy_all(pe_lazy *l);
/* How the index's parts are checked (for pe_accel_new). */
const pe_rcheck *pe_lazy_check(const pe_lazy *l);
const uint8_t *pe_lazy_evaluable(const pe_lazy *l);

/* ---- keys ---- */

/* A 64-bit hash of data (not cryptographic: it detects corruption and
 * changed files, not forgery). Streaming: start with pe_hash64_init(),
 * feed with pe_hash64_update() in pieces of any size, end with
 * pe_hash64_final(); pe_hash64() does all three. */
typedef struct pe_hash64_state {
    uint64_t v[4];
    unsigned char buf[32];
    size_t nbuf;
    uint64_t total;
} pe_hash64_state;

void pe_hash64_init(pe_hash64_state *st);
void pe_hash64_update(pe_hash64_state *st, const void *data, size_t len);
uint64_t pe_hash64_final(const pe_hash64_state *st);
uint64_t pe_hash64(const void *data, size_t len);

/* What an image depends on besides its options and sources: the library's
 * version and sources, the compiler, the byte order, the layouts of
 * compiled data and the field table. Computed once per process. */
uint64_t pe_image_build_key(void);

/* The key of the options an engine takes from cfg (those before
 * PE_OPT_AGENT: an image is valid only for the same ones). */
uint64_t pe_image_options_key(const prempti_config *cfg);

/* The checksum of an image of size bytes (header's checksum read as 0). */
uint64_t pe_image_checksum(const unsigned char *image, size_t size);

#endif
