/* The operating-system helpers of lib/util/sys.h and memmem.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"
#include "util/sys.h"

/* A naive search, the reference the two-way search must agree with. */
static const void *naive(const unsigned char *h, size_t hl, const unsigned char *n, size_t nl)
{
    for (size_t i = 0; i + nl <= hl; i++)
        if (memcmp(h + i, n, nl) == 0)
            return h + i;
    return NULL;
}

/* Every needle and haystack over {a, b} up to 7 and 10 bytes (periodic and
 * aperiodic needles, matches at every position, partial matches). */
START_TEST(twoway_agrees_on_every_small_text)
{
    unsigned char h[16], n[16];
    size_t checked = 0, max_n = 7, max_h = 10;
    if (pe_test_light("twoway_agrees_on_every_small_text")) {
        max_n = 5;
        max_h = 8;
    }
    for (size_t nl = 0; nl <= max_n; nl++) {
        for (unsigned nb = 0; nb < (1u << nl); nb++) {
            for (size_t i = 0; i < nl; i++)
                n[i] = (unsigned char)('a' + ((nb >> i) & 1));
            for (size_t hl = 0; hl <= max_h; hl++) {
                for (unsigned hb = 0; hb < (1u << hl); hb++) {
                    for (size_t i = 0; i < hl; i++)
                        h[i] = (unsigned char)('a' + ((hb >> i) & 1));
                    const void *want = naive(h, hl, n, nl);
                    ck_assert_ptr_eq(pe_twoway_memmem(h, hl, n, nl), want);
                    ck_assert_ptr_eq(pe_sys_memmem(h, hl, n, nl), want);
                    checked++;
                }
            }
        }
    }
    ck_assert_uint_gt(checked, max_n == 7 ? 500000 : 10000);
}
END_TEST

/* Longer random texts over small alphabets, and the input that makes a
 * naive search quadratic, found in linear time. */
START_TEST(twoway_agrees_on_random_texts)
{
    unsigned seed = 12345;
    unsigned char h[600], n[40];
    int rounds = pe_test_light("twoway_agrees_on_random_texts") ? 2000 : 20000;
    for (int round = 0; round < rounds; round++) {
        unsigned alpha = 2 + (unsigned)(round % 3);
        size_t hl = (size_t)(rand_r(&seed) % sizeof(h)), nl = (size_t)(rand_r(&seed) % sizeof(n));
        for (size_t i = 0; i < hl; i++)
            h[i] = (unsigned char)(rand_r(&seed) % alpha);
        for (size_t i = 0; i < nl; i++)
            n[i] = (unsigned char)(rand_r(&seed) % alpha);
        if (nl && hl > nl && round % 2) /* plant it */
            memcpy(h + (size_t)rand_r(&seed) % (hl - nl), n, nl);
        ck_assert_ptr_eq(pe_twoway_memmem(h, hl, n, nl), naive(h, hl, n, nl));
    }
    size_t big = 8u << 20, nl = 4096;
    unsigned char *hay = malloc(big), *needle = malloc(nl);
    ck_assert(hay && needle);
    memset(hay, 'a', big);
    memset(needle, 'a', nl);
    needle[nl - 1] = 'b';
    ck_assert_ptr_null(pe_twoway_memmem(hay, big, needle, nl));
    hay[big - 1] = 'b';
    ck_assert_ptr_eq(pe_twoway_memmem(hay, big, needle, nl), hay + big - nl);
    free(hay);
    free(needle);
}
END_TEST

START_TEST(random_bytes_differ)
{
    unsigned char a[300], b[300];
    ck_assert_int_eq(pe_sys_random(a, sizeof(a)), 0);
    ck_assert_int_eq(pe_sys_random(b, sizeof(b)), 0);
    ck_assert(memcmp(a, b, sizeof(a)) != 0);
}
END_TEST

START_TEST(time_text_and_host)
{
    int64_t sec;
    long nsec;
    pe_sys_now(&sec, &nsec);
    ck_assert_int_gt(sec, 1700000000); /* after November 2023 */
    ck_assert(nsec >= 0 && nsec < 1000000000L);
    struct tm tm;
    ck_assert_int_eq(pe_sys_gmtime((time_t)86400 * 365, &tm), 0);
    ck_assert_int_eq(tm.tm_year, 71);
    ck_assert_int_eq(tm.tm_yday, 0);
    char buf[64];
    ck_assert_str_eq(pe_sys_strerror(ENOENT, buf, sizeof(buf)), strerror(ENOENT));
    char host[8];
    memset(host, 'x', sizeof(host));
    pe_sys_hostname(host, sizeof(host));
    ck_assert_uint_lt(strlen(host), sizeof(host)); /* cut, never unterminated */
}
END_TEST

START_TEST(lookup_and_safe_opens)
{
    char dir[] = "/tmp/prempti-sys-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char file[64], link[64], missing[64];
    snprintf(file, sizeof(file), "%s/file", dir);
    snprintf(link, sizeof(link), "%s/link", dir);
    snprintf(missing, sizeof(missing), "%s/missing", dir);
    int fd = pe_sys_open_append(file, 0600);
    ck_assert_int_ge(fd, 0);
    struct stat st;
    ck_assert_int_eq(fstat(fd, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    ck_assert(pe_sys_owned_by_me(&st));
    close(fd);
    ck_assert_int_eq(symlink("file", link), 0);

    char *target = NULL;
    ck_assert_int_eq(pe_sys_lookup(file, &target), PE_SYS_OTHER);
    ck_assert_ptr_null(target);
    ck_assert_int_eq(pe_sys_lookup(missing, &target), PE_SYS_MISSING);
    ck_assert_int_eq(pe_sys_lookup(link, &target), PE_SYS_LINK);
    ck_assert_str_eq(target, "file");
    free(target);

    errno = 0;
    ck_assert_int_eq(pe_sys_open_append(link, 0600), -1); /* never through a link */
    ck_assert_int_eq(errno, ELOOP);
    fd = pe_sys_open_read(link); /* reading follows links; the caller checks the type */
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(pe_sys_open_read(missing), -1);

    unlink(link);
    unlink(file);
    rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sys");
    TCase *tc = tcase_create("sys");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, twoway_agrees_on_every_small_text);
    tcase_add_test(tc, twoway_agrees_on_random_texts);
    tcase_add_test(tc, random_bytes_differ);
    tcase_add_test(tc, time_text_and_host);
    tcase_add_test(tc, lookup_and_safe_opens);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
