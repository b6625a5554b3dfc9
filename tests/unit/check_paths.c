/*
 * Path resolution (lib/event/paths.c) against a real temporary tree with
 * symlinks, table-driven from tests/data/events/paths.txt. The tree:
 *
 *   $T/proj/src/main.c        file         $T/proj/file.txt     file
 *   $T/proj/sub/              dir          $T/proj/sub/up -> ..
 *   $T/proj/link -> $T/secret               $T/proj/rel -> ../secret
 *   $T/proj/broken -> $T/secret/new-key     (target missing)
 *   $T/proj/broken_rel -> ../secret/missing-dir/x
 *   $T/proj/chain1 -> chain2 -> chain3 -> $T/secret
 *   $T/proj/loop -> loop      $T/proj/loopa -> loopb -> loopa
 *   $T/proj/dirlink -> .      $T/proj/deep -> sub/up/../secret
 *   $T/proj/rootlink -> /     $T/projlink -> proj
 *   $T/secret/key             file
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "event/paths.h"
#include "test_util.h"

static char root[PATH_MAX];

static void touch(const char *rel)
{
    char p[2 * PATH_MAX];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    ck_assert_msg(f != NULL, "cannot create %s", p);
    fclose(f);
}

static void dir(const char *rel)
{
    char p[2 * PATH_MAX];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    ck_assert_int_eq(mkdir(p, 0700), 0);
}

/* A symlink at rel; a target starting with "$T" is made absolute. */
static void link_to(const char *rel, const char *target)
{
    char p[2 * PATH_MAX], t[2 * PATH_MAX];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    if (strncmp(target, "$T", 2) == 0)
        snprintf(t, sizeof(t), "%s%s", root, target + 2);
    else
        snprintf(t, sizeof(t), "%s", target);
    ck_assert_int_eq(symlink(t, p), 0);
}

static void build_tree(void)
{
    char tmpl[] = "/tmp/prempti-paths-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    ck_assert_ptr_nonnull(realpath(tmpl, root)); /* /tmp may itself be a symlink */
    dir("proj");
    dir("proj/src");
    dir("proj/sub");
    dir("secret");
    touch("proj/src/main.c");
    touch("proj/file.txt");
    touch("secret/key");
    link_to("proj/sub/up", "..");
    link_to("proj/link", "$T/secret");
    link_to("proj/rel", "../secret");
    link_to("proj/broken", "$T/secret/new-key");
    link_to("proj/broken_rel", "../secret/missing-dir/x");
    link_to("proj/chain1", "chain2");
    link_to("proj/chain2", "chain3");
    link_to("proj/chain3", "$T/secret");
    link_to("proj/loop", "loop");
    link_to("proj/loopa", "loopb");
    link_to("proj/loopb", "loopa");
    link_to("proj/dirlink", ".");
    link_to("proj/deep", "sub/up/../secret");
    link_to("proj/rootlink", "/");
    link_to("projlink", "proj");
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(void)
{
    ck_assert_int_eq(nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* Copies s with every "$T" replaced by the tree's location. */
static char *subst(const char *s)
{
    pe_strbuf sb = PE_STRBUF_INIT;
    for (; s && *s; s++) {
        if (s[0] == '$' && s[1] == 'T') {
            pe_sb_puts(&sb, root);
            s++;
        } else {
            pe_sb_putc(&sb, *s);
        }
    }
    pe_sb_append(&sb, "", 0); /* take() needs a buffer even for "" */
    char *r = pe_sb_take(&sb);
    ck_assert_ptr_nonnull(r);
    return r;
}

static int run_case(const pe_case *c)
{
    const char *lex = pe_case_get(c, "lexical");
    char *path = subst(pe_case_get(c, "path"));
    char *base = pe_case_get(c, "base") ? subst(pe_case_get(c, "base")) : NULL;
    char *home = pe_case_get(c, "home") ? subst(pe_case_get(c, "home")) : NULL;
    char *want = subst(pe_case_get(c, "real"));
    pe_path_opts o = {lex && strcmp(lex, "yes") == 0, home};
    pe_strbuf out = PE_STRBUF_INIT;
    ck_assert_int_eq(pe_path_resolve(&out, path, strlen(path), base, &o), 0);
    int failed = strcmp(pe_sb_str(&out), want) != 0;
    if (failed)
        fprintf(stderr, "paths.txt:%zu: %s: %s: expected '%s', got '%s'\n", c->line,
                pe_case_get(c, "case"), path, want, pe_sb_str(&out));
    pe_sb_free(&out);
    free(path);
    free(base);
    free(home);
    free(want);
    return failed;
}

START_TEST(paths_table)
{
    build_tree();
    pe_cases cs = pe_cases_load(pe_test_data("events/paths.txt"));
    int failures = 0;
    for (size_t i = 0; i < cs.count; i++)
        failures += run_case(&cs.items[i]);
    printf("path cases: %zu, %d failures\n", cs.count, failures);
    pe_cases_free(&cs);
    remove_tree();
    ck_assert_msg(failures == 0, "%d path case(s) failed (see above)", failures);
}
END_TEST

/* The whole event: a symlinked project whose link points at a secret
 * directory - a new file there must resolve to the secret directory. */
START_TEST(event_paths_resolve_through_the_filesystem)
{
    build_tree();
    char json[3 * PATH_MAX];
    snprintf(
        json, sizeof(json),
        "{\"cwd\":\"%s/projlink\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Write\","
        "\"tool_use_id\":\"t\",\"tool_input\":{\"file_path\":\"link/new-key\",\"content\":\"\"}}",
        root);
    prempti_event *ev = pe_test_event(json, NULL);
    char *cwd = NULL, *prefix = NULL, *real = NULL, *name = NULL;
    ck_assert_int_eq(prempti_event_field(&cwd, ev, "agent.real_cwd", NULL), PREMPTI_OK);
    ck_assert_int_eq(prempti_event_field(&prefix, ev, "agent.real_cwd_prefix", NULL), PREMPTI_OK);
    ck_assert_int_eq(prempti_event_field(&real, ev, "tool.real_file_path", NULL), PREMPTI_OK);
    ck_assert_int_eq(prempti_event_field(&name, ev, "tool.file_name", NULL), PREMPTI_OK);
    char want[PATH_MAX + 32];
    snprintf(want, sizeof(want), "%s/proj", root);
    ck_assert_str_eq(cwd, want);
    snprintf(want, sizeof(want), "%s/proj/", root);
    ck_assert_str_eq(prefix, want);
    snprintf(want, sizeof(want), "%s/secret/new-key", root);
    ck_assert_str_eq(real, want);
    ck_assert_str_eq(name, "new-key");
    prempti_free(cwd);
    prempti_free(prefix);
    prempti_free(real);
    prempti_free(name);
    prempti_event_free(ev);
    remove_tree();
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("paths");
    TCase *tc = tcase_create("paths");
    tcase_add_test(tc, paths_table);
    tcase_add_test(tc, event_paths_resolve_through_the_filesystem);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pe_test_run(suite());
}
