/*
 * Compiled images (prempti_engine_save / prempti_engine_load_compiled),
 * driven by tests/data/image/tamper.cases: an image decides exactly as
 * the YAML it was compiled from; an image damaged in any way (bits flipped
 * at every kind of offset, truncated, extended, pages zeroed, another
 * pack's image, a symbolic link, a file open to others) is refused or has
 * its damaged part refused when first used (PREMPTI_E_IMAGE), so that the
 * YAML decides, never the damage; and an image crafted with valid
 * checksums around damaged structures is refused part by part without
 * reading outside it (the sanitizer and valgrind runs watch that).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine_internal.h"
#include "image/image.h"
#include "test_util.h"

typedef struct pack {
    const char *path;
    prempti_config *cfg;
    prempti_engine *yaml; /* compiled from the rules files */
    prempti_event **events;
    size_t nevents;
    char **want; /* per event: the YAML's result, as text */
    char dir[64], image[96];
    unsigned char *bytes; /* the saved image */
    size_t size;
} pack;

static int cases_run;

/* Everything a result says, as text: decision, reason, every match. */
static char *describe(const prempti_result *r)
{
    pe_strbuf sb = PE_STRBUF_INIT;
    pe_sb_printf(&sb, "%d/%d %s\n", prempti_result_decision(r), prempti_result_would_be(r),
                 prempti_result_reason(r));
    for (size_t m = 0; m < prempti_result_match_count(r); m++) {
        pe_sb_printf(&sb, "%s %d %d: %s [", prempti_result_match_rule(r, m),
                     prempti_result_match_priority(r, m), prempti_result_match_decision(r, m),
                     prempti_result_match_output(r, m));
        for (size_t t = 0; t < prempti_result_match_tag_count(r, m); t++)
            pe_sb_printf(&sb, " %s", prempti_result_match_tag(r, m, t));
        pe_sb_puts(&sb, " ]\n");
    }
    char *s = pe_sb_take(&sb);
    ck_assert_ptr_nonnull(s);
    return s;
}

static const char *const *paths_of(const pack *p)
{
    return &p->path;
}

static void write_bytes(const char *path, const unsigned char *b, size_t n, mode_t mode)
{
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(fchmod(fd, mode), 0);
    ck_assert_int_eq(write(fd, b, n), (ssize_t)n);
    close(fd);
}

/*
 * What the image at path decides for every event of p, as a hook would
 * with the cache: refused at load (E_IMAGE or E_IO) or per evaluation
 * (E_IMAGE) means the YAML decides; anything it decides itself must be
 * what the YAML decides. full: image_check=full. Returns how many events
 * the image itself decided.
 */
static size_t decide_as_yaml(const pack *p, const char *path, const char *what, int full)
{
    prempti_engine *e = NULL;
    prempti_error *err = NULL;
    ck_assert_int_eq(prempti_config_set(p->cfg, "image_check", full ? "full" : "lazy", NULL), 0);
    int rc = prempti_engine_load_compiled(&e, path, p->cfg, paths_of(p), 1, &err);
    cases_run++;
    if (rc) {
        ck_assert_msg(rc == PREMPTI_E_IMAGE || rc == PREMPTI_E_IO, "%s: %s: load gave %d (%s)",
                      p->path, what, rc, pe_test_errstr(err));
        prempti_error_free(err);
        return 0;
    }
    size_t decided = 0;
    for (size_t i = 0; i < p->nevents; i++) {
        prempti_result *r = NULL;
        rc = prempti_evaluate(&r, e, p->events[i], &err);
        if (rc) {
            ck_assert_msg(rc == PREMPTI_E_IMAGE, "%s: %s: event %zu: %d (%s)", p->path, what, i,
                          rc, pe_test_errstr(err));
            prempti_error_free(err);
            err = NULL;
            continue;
        }
        char *got = describe(r);
        ck_assert_msg(strcmp(got, p->want[i]) == 0,
                      "%s: %s: event %zu decided otherwise:\n%s\nwanted\n%s", p->path, what, i,
                      got, p->want[i]);
        free(got);
        prempti_result_free(r);
        decided++;
    }
    prempti_engine_free(e);
    return decided;
}

/* A damaged copy of the image, written to the pack's image path. */
static void try_bytes(const pack *p, const unsigned char *b, size_t n, const char *what)
{
    write_bytes(p->image, b, n, 0600);
    decide_as_yaml(p, p->image, what, 0);
    decide_as_yaml(p, p->image, what, 1);
}

static void flip_at(const pack *p, size_t off, int bit, const char *what)
{
    unsigned char *b = malloc(p->size);
    ck_assert_ptr_nonnull(b);
    memcpy(b, p->bytes, p->size);
    b[off] ^= (unsigned char)(1u << bit);
    char label[160];
    snprintf(label, sizeof(label), "%s: bit %d of byte %zu", what, bit, off);
    try_bytes(p, b, p->size, label);
    free(b);
}

/* ---- the kinds of damage ---- */

static void flips(const pack *p)
{
    const pe_image_header *h = (const pe_image_header *)(const void *)p->bytes;
    size_t page = (size_t)1 << PE_IMAGE_PAGE_SHIFT;
    for (size_t off = 0; off < sizeof(*h); off++) /* every byte of the header */
        flip_at(p, off, (int)(off % 8), "header");
    for (size_t off = h->pages; off < p->size; off += 3) /* the page table */
        flip_at(p, off, (int)(off % 8), "page table");
    for (size_t at = sizeof(*h); at < h->pages; at += page) { /* each page's ends and middle */
        flip_at(p, at, 0, "page start");
        flip_at(p, at + (h->pages - at < page ? (h->pages - at) / 2 : page / 2), 7, "page middle");
        flip_at(p, (h->pages - at < page ? h->pages : at + page) - 1, 3, "page end");
    }
    /* and every part in between: a stride that falls on every field kind */
    size_t stride = p->size / 400 | 1;
    for (size_t off = sizeof(*h) + 1; off < h->pages; off += stride)
        flip_at(p, off, (int)(off % 8), "body");
}

static void truncations(const pack *p)
{
    const pe_image_header *h = (const pe_image_header *)(const void *)p->bytes;
    size_t cuts[] = {0, 1, sizeof(*h) - 1, sizeof(*h), p->size / 2, h->pages, p->size - 8,
                     p->size - 1};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        char label[64];
        snprintf(label, sizeof(label), "truncated to %zu bytes", cuts[i]);
        try_bytes(p, p->bytes, cuts[i], label);
    }
    unsigned char *b = calloc(1, p->size + 4096);
    ck_assert_ptr_nonnull(b);
    memcpy(b, p->bytes, p->size);
    try_bytes(p, b, p->size + 4096, "extended by a page of zeroes");
    /* a page of zeroes inside, and the page table of zeroes */
    memset(b + sizeof(*h), 0, h->pages - sizeof(*h) < 4096 ? h->pages - sizeof(*h) : 4096);
    try_bytes(p, b, p->size, "first page zeroed");
    memcpy(b, p->bytes, p->size);
    memset(b + h->pages, 0, p->size - h->pages);
    try_bytes(p, b, p->size, "page table zeroed");
    free(b);
}

/* The file itself: not ours alone, a link, not a file. */
static void file_kinds(const pack *p)
{
    write_bytes(p->image, p->bytes, p->size, 0622);
    decide_as_yaml(p, p->image, "writable by others", 0);
    ck_assert_int_ne(prempti_engine_load_compiled(&(prempti_engine *){NULL}, p->image, p->cfg,
                                                  paths_of(p), 1, NULL),
                     PREMPTI_OK);
    write_bytes(p->image, p->bytes, p->size, 0620);
    ck_assert_int_eq(prempti_engine_load_compiled(&(prempti_engine *){NULL}, p->image, p->cfg,
                                                  paths_of(p), 1, NULL),
                     PREMPTI_E_IMAGE);
    char target[128];
    snprintf(target, sizeof(target), "%s/real.img", p->dir);
    write_bytes(target, p->bytes, p->size, 0600);
    unlink(p->image);
    ck_assert_int_eq(symlink(target, p->image), 0);
    ck_assert_int_eq(prempti_engine_load_compiled(&(prempti_engine *){NULL}, p->image, p->cfg,
                                                  paths_of(p), 1, NULL),
                     PREMPTI_E_IMAGE);
    decide_as_yaml(p, p->image, "a symbolic link", 0);
    unlink(p->image);
    unlink(target);
    ck_assert_int_eq(mkfifo(p->image, 0600), 0);
    ck_assert_int_ne(prempti_engine_load_compiled(&(prempti_engine *){NULL}, p->image, p->cfg,
                                                  paths_of(p), 1, NULL),
                     PREMPTI_OK);
    unlink(p->image);
    if (geteuid() == 0) { /* only root can give a file away */
        write_bytes(p->image, p->bytes, p->size, 0600);
        ck_assert_int_eq(chown(p->image, 65534, 65534), 0);
        ck_assert_int_eq(prempti_engine_load_compiled(&(prempti_engine *){NULL}, p->image,
                                                      p->cfg, paths_of(p), 1, NULL),
                         PREMPTI_E_IMAGE);
        unlink(p->image);
    } else {
        printf("SKIP: image owned by another user (needs root to give a file away)\n");
    }
}

/* Another pack's image in its place, and this pack's under other options. */
static void swaps(const pack *p, const pack *other)
{
    if (other && other->bytes) {
        write_bytes(p->image, other->bytes, other->size, 0600);
        ck_assert_int_eq(prempti_engine_load_compiled(&(prempti_engine *){NULL}, p->image,
                                                      p->cfg, paths_of(p), 1, NULL),
                         PREMPTI_E_IMAGE);
    }
    prempti_config *cfg = NULL;
    ck_assert_int_eq(prempti_config_new(&cfg, NULL), 0);
    ck_assert_int_eq(prempti_config_set(cfg, "floor", "allow", NULL), 0);
    write_bytes(p->image, p->bytes, p->size, 0600);
    ck_assert_int_eq(
        prempti_engine_load_compiled(&(prempti_engine *){NULL}, p->image, cfg, paths_of(p), 1, NULL),
        PREMPTI_E_IMAGE);
    prempti_config_free(cfg);
}

/* ---- the packs ---- */

static void load_events(pack *p, const pe_case *c)
{
    const char *ev = pe_case_get(c, "events");
    ck_assert_ptr_nonnull(ev);
    char *copy = strdup(ev), *save = NULL;
    ck_assert_ptr_nonnull(copy);
    p->events = calloc(64, sizeof(*p->events));
    p->want = calloc(64, sizeof(*p->want));
    for (char *line = strtok_r(copy, "\n", &save); line && p->nevents < 64;
         line = strtok_r(NULL, "\n", &save)) {
        while (*line == ' ')
            line++;
        if (!*line)
            continue;
        prempti_event *e = pe_test_event(line, p->cfg);
        prempti_result *r = NULL;
        ck_assert_int_eq(prempti_evaluate(&r, p->yaml, e, NULL), 0);
        p->want[p->nevents] = describe(r);
        p->events[p->nevents++] = e;
        prempti_result_free(r);
    }
    free(copy);
}

static int open_pack(pack *p, const pe_case *c)
{
    const char *where = pe_case_get(c, "pack");
    static char path[4096];
    memset(p, 0, sizeof(*p));
    if (strcmp(where, "@COMPAT@") == 0) {
        if (!pe_test_have_compat("compiled images of upstream's pack"))
            return 0;
        p->path = strdup(PREMPTI_COMPAT_DIR);
    } else {
        snprintf(path, sizeof(path), "%s/%s", PREMPTI_SOURCE_DIR, where);
        p->path = strdup(path);
    }
    p->cfg = pe_test_config("paths=lexical\nagent=claude_code");
    ck_assert_int_eq(prempti_engine_new(&p->yaml, p->cfg, NULL), 0);
    prempti_error *err = NULL;
    ck_assert_msg(prempti_engine_load_rules_path(p->yaml, p->path, &err) == 0, "%s",
                  pe_test_errstr(err));
    load_events(p, c);
    snprintf(p->dir, sizeof(p->dir), "/tmp/prempti-image-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(p->dir));
    snprintf(p->image, sizeof(p->image), "%s/engine.img", p->dir);
    ck_assert_msg(prempti_engine_save(p->yaml, p->image, &err) == 0, "%s", pe_test_errstr(err));
    struct stat st;
    ck_assert_int_eq(stat(p->image, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    p->bytes = (unsigned char *)pe_test_read_file(p->image, &p->size);
    ck_assert_ptr_nonnull(p->bytes);
    return 1;
}

static void close_pack(pack *p)
{
    for (size_t i = 0; i < p->nevents; i++) {
        prempti_event_free(p->events[i]);
        free(p->want[i]);
    }
    free(p->events);
    free(p->want);
    unlink(p->image);
    rmdir(p->dir);
    free(p->bytes);
    free((char *)p->path);
    prempti_engine_free(p->yaml);
    prempti_config_free(p->cfg);
}

START_TEST(an_intact_image_decides_as_the_yaml)
{
    pe_cases cs = pe_cases_load(pe_test_data("image/tamper.cases"));
    for (size_t i = 0; i < cs.count; i++) {
        pack p;
        if (!open_pack(&p, &cs.items[i]))
            continue;
        ck_assert_uint_eq(decide_as_yaml(&p, p.image, "intact", 0), p.nevents);
        ck_assert_uint_eq(decide_as_yaml(&p, p.image, "intact", 1), p.nevents);
        prempti_engine *e = NULL;
        ck_assert_int_eq(
            prempti_engine_load_compiled(&e, p.image, p.cfg, paths_of(&p), 1, NULL), 0);
        ck_assert_uint_eq(prempti_engine_rule_count(e), prempti_engine_rule_count(p.yaml));
        ck_assert_uint_eq(prempti_engine_warning_count(e), prempti_engine_warning_count(p.yaml));
        for (size_t r = 0; r < prempti_engine_rule_count(e); r++) {
            ck_assert_str_eq(prempti_engine_rule_name(e, r), prempti_engine_rule_name(p.yaml, r));
            ck_assert_int_eq(prempti_engine_rule_active(e, r),
                             prempti_engine_rule_active(p.yaml, r));
        }
        /* a mapped engine saves the same image again */
        char again[128];
        snprintf(again, sizeof(again), "%s/again.img", p.dir);
        ck_assert_int_eq(prempti_engine_save(e, again, NULL), 0);
        size_t n = 0;
        char *bytes = pe_test_read_file(again, &n);
        ck_assert_uint_eq(n, p.size);
        ck_assert(memcmp(bytes, p.bytes, n) == 0);
        free(bytes);
        unlink(again);
        ck_assert_int_eq(prempti_engine_load_rules(e, "[]", 2, "x", NULL), PREMPTI_E_UNSUPPORTED);
        prempti_engine_free(e);
        close_pack(&p);
    }
    pe_cases_free(&cs);
}
END_TEST

START_TEST(a_damaged_image_never_decides_otherwise)
{
    pe_cases cs = pe_cases_load(pe_test_data("image/tamper.cases"));
    pack packs[8];
    size_t n = 0;
    for (size_t i = 0; i < cs.count && n < 8; i++)
        if (open_pack(&packs[n], &cs.items[i]))
            n++;
    cases_run = 0;
    for (size_t i = 0; i < n; i++) {
        flips(&packs[i]);
        truncations(&packs[i]);
        file_kinds(&packs[i]);
        swaps(&packs[i], n > 1 ? &packs[(i + 1) % n] : NULL);
    }
    printf("image tampering: %d loads of damaged images, each deciding as the YAML\n",
           cases_run);
    for (size_t i = 0; i < n; i++)
        close_pack(&packs[i]);
    pe_cases_free(&cs);
}
END_TEST

/* The checksums of an image recomputed after its bytes were changed: what
 * a crafted image looks like. */
static void reseal(unsigned char *b)
{
    pe_image_header *h = (pe_image_header *)(void *)b;
    uint64_t *table = (uint64_t *)(void *)(b + h->pages);
    size_t page = (size_t)1 << PE_IMAGE_PAGE_SHIFT;
    for (uint32_t i = 0; i < h->npages; i++) {
        size_t at = sizeof(*h) + i * page, len = h->pages - at < page ? h->pages - at : page;
        table[i] = pe_hash64(b + at, len);
    }
    h->checksum = 0;
    pe_hash64_state st;
    pe_hash64_init(&st);
    pe_hash64_update(&st, h, sizeof(*h));
    pe_hash64_update(&st, table, h->npages * sizeof(*table));
    h->checksum = pe_hash64_final(&st);
}

/* Uses everything a crafted image offers; whatever it answers, it must
 * answer without reading outside the image (the sanitizers watch). */
static void use_crafted(const pack *p, const char *path, int full)
{
    prempti_engine *e = NULL;
    ck_assert_int_eq(prempti_config_set(p->cfg, "image_check", full ? "full" : "lazy", NULL), 0);
    if (prempti_engine_load_compiled(&e, path, p->cfg, paths_of(p), 1, NULL))
        return;
    for (size_t r = 0; r < prempti_engine_rule_count(e); r++)
        (void)prempti_engine_rule_name(e, r);
    for (size_t i = 0; i < p->nevents; i++) {
        prempti_result *res = NULL;
        if (prempti_evaluate(&res, e, p->events[i], NULL) == 0) {
            char *d = describe(res);
            free(d);
            char *json = NULL;
            if (prempti_result_to_json(&json, res, NULL) == 0)
                prempti_free(json);
        }
        prempti_result_free(res);
        char *why = NULL;
        if (prempti_explain(&why, e, p->events[i], NULL) == 0)
            prempti_free(why);
    }
    prempti_engine_free(e);
}

START_TEST(a_crafted_image_is_checked_part_by_part)
{
    pe_cases cs = pe_cases_load(pe_test_data("image/tamper.cases"));
    static const unsigned char values[] = {0x00, 0xff, 0x01, 0x80, 0x7f};
    size_t crafted = 0;
    for (size_t i = 0; i < cs.count; i++) {
        pack p;
        if (!open_pack(&p, &cs.items[i]))
            continue;
        const pe_image_header *h = (const pe_image_header *)(const void *)p.bytes;
        unsigned char *b = malloc(p.size);
        ck_assert_ptr_nonnull(b);
        size_t stride = h->pages / 250 | 1;
        for (size_t off = sizeof(*h); off < h->pages; off += stride) {
            memcpy(b, p.bytes, p.size);
            b[off] = values[(off / stride) % sizeof(values)];
            if (off + 1 < h->pages)
                b[off + 1] ^= 0x5a;
            reseal(b);
            write_bytes(p.image, b, p.size, 0600);
            use_crafted(&p, p.image, (int)(off / stride) % 2);
            crafted++;
        }
        free(b);
        close_pack(&p);
    }
    printf("crafted images: %zu, each used without reading outside it\n", crafted);
    pe_cases_free(&cs);
}
END_TEST

/* The rules files changed since the image was made: it is refused. */
START_TEST(a_changed_rules_file_makes_the_image_stale)
{
    char dir[] = "/tmp/prempti-stale-XXXXXX", rules[128], image[128];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(rules, sizeof(rules), "%s/r.yaml", dir);
    snprintf(image, sizeof(image), "%s/e.img", dir);
    const char *v1 = "- rule: r\n  desc: d\n  condition: tool.name = Bash\n  output: o\n"
                     "  priority: INFO\n  source: coding_agent\n  tags: [coding_agent_deny]\n";
    write_bytes(rules, (const unsigned char *)v1, strlen(v1), 0644);
    const char *paths[] = {rules};
    prempti_engine *e = NULL;
    ck_assert_int_eq(prempti_engine_new(&e, NULL, NULL), 0);
    ck_assert_int_eq(prempti_engine_load_rules_paths(e, paths, 1, NULL), 0);
    ck_assert_int_eq(prempti_engine_save(e, image, NULL), 0);
    prempti_engine_free(e);
    prempti_engine *m = NULL;
    ck_assert_int_eq(prempti_engine_load_compiled(&m, image, NULL, paths, 1, NULL), 0);
    prempti_engine_free(m);
    /* rewritten with another text of the same size */
    char *v2 = pe_test_replace(v1, "Bash", "Read");
    write_bytes(rules, (const unsigned char *)v2, strlen(v2), 0644);
    prempti_error *err = NULL;
    ck_assert_int_eq(prempti_engine_load_compiled(&m, image, NULL, paths, 1, &err),
                     PREMPTI_E_IMAGE);
    ck_assert_ptr_nonnull(strstr(prempti_error_message(err), "is not the file it was compiled"));
    prempti_error_free(err);
    /* even rewritten as it was (its change time tells), or with one more file */
    write_bytes(rules, (const unsigned char *)v1, strlen(v1), 0644);
    ck_assert_int_eq(prempti_engine_load_compiled(&m, image, NULL, paths, 1, NULL),
                     PREMPTI_E_IMAGE);
    const char *two[] = {rules, rules};
    ck_assert_int_eq(prempti_engine_load_compiled(&m, image, NULL, two, 2, NULL), PREMPTI_E_IMAGE);
    free(v2);
    unlink(rules);
    unlink(image);
    rmdir(dir);
}
END_TEST

/* The first source record of the image b (its root checked by the load). */
static pe_image_source *first_source(unsigned char *b)
{
    const pe_image_header *h = (const pe_image_header *)(const void *)b;
    const pe_image_root *root = (const pe_image_root *)(const void *)(b + h->root);
    return (pe_image_source *)(void *)(b + root->sources);
}

static ino_t inode_of(const char *path)
{
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    return st.st_ino;
}

/* An image recorded shortly after its rules file changed (its content is
 * compared on every load) is written again, once, with the file's status
 * now that it has settled; never when a page of it is damaged. */
START_TEST(a_racy_image_is_rewritten_once_its_rules_settle)
{
    /* the default pack: files of the source tree, changed long before the
     * test runs, in an image of many pages */
    const char *paths[] = {PREMPTI_SOURCE_DIR "/rules"};
    char **names = NULL;
    size_t nnames = 0;
    ck_assert_int_eq(pe_engine_expand_paths(paths, 1, &names, &nnames, NULL), 0);
    struct stat rst;
    ck_assert_int_eq(stat(names[0], &rst), 0);
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    char dir[] = "/tmp/prempti-racy-XXXXXX", image[128];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(image, sizeof(image), "%s/e.img", dir);
    prempti_engine *e = NULL;
    ck_assert_int_eq(prempti_engine_new(&e, NULL, NULL), 0);
    ck_assert_int_eq(prempti_engine_load_rules_paths(e, paths, 1, NULL), 0);
    ck_assert_int_eq(prempti_engine_save(e, image, NULL), 0);
    prempti_engine_free(e);
    size_t n;
    unsigned char *racy = (unsigned char *)pe_test_read_file(image, &n);
    ck_assert_ptr_nonnull(racy);
    /* as if recorded the moment the file changed */
    int64_t ctime_ns = (int64_t)rst.st_ctim.tv_sec * 1000000000 + rst.st_ctim.tv_nsec;
    first_source(racy)->stat_ns = ctime_ns;
    reseal(racy);
    for (int damaged = 1; damaged >= 0; damaged--) {
        unsigned char *b = malloc(n);
        ck_assert_ptr_nonnull(b);
        memcpy(b, racy, n);
        const pe_image_header *h = (const pe_image_header *)(const void *)b;
        ck_assert_uint_gt(h->npages, 4);
        if (damaged) /* a page of rule programs, which no load reads */
            b[h->header_size + ((size_t)h->npages / 2 << PE_IMAGE_PAGE_SHIFT) + 100] ^= 0x20;
        write_bytes(image, b, n, 0600);
        ino_t before = inode_of(image);
        prempti_engine *m = NULL;
        ck_assert_int_eq(prempti_engine_load_compiled(&m, image, NULL, paths, 1, NULL), 0);
        prempti_engine_free(m);
        if (damaged) {
            ck_assert_msg(inode_of(image) == before, "a damaged image was rewritten");
        } else {
            ck_assert_msg(inode_of(image) != before, "a settled racy image was not rewritten");
            size_t n2;
            unsigned char *again = (unsigned char *)pe_test_read_file(image, &n2);
            ck_assert_ptr_nonnull(again);
            ck_assert_uint_eq(n2, n);
            ck_assert_int_gt(first_source(again)->stat_ns, ctime_ns);
            free(again);
            before = inode_of(image); /* now known by status: never rewritten again */
            ck_assert_int_eq(prempti_engine_load_compiled(&m, image, NULL, paths, 1, NULL), 0);
            prempti_engine_free(m);
            ck_assert_msg(inode_of(image) == before, "a settled image was rewritten");
        }
        free(b);
    }
    free(racy);
    unlink(image);
    rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("image");
    TCase *tc = tcase_create("image");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, an_intact_image_decides_as_the_yaml);
    tcase_add_test(tc, a_damaged_image_never_decides_otherwise);
    tcase_add_test(tc, a_changed_rules_file_makes_the_image_stale);
    tcase_add_test(tc, a_racy_image_is_rewritten_once_its_rules_settle);
    tcase_add_test(tc, a_crafted_image_is_checked_part_by_part);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
