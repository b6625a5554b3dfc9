/*
 * What the library asks of the operating system, one function per need,
 * with each platform's way of doing it here and nowhere else: POSIX
 * (Linux, macOS, the BSDs) and Windows (MinGW-w64). The stages call these
 * and stay free of platform conditionals.
 *
 * Files are plain C runtime descriptors on every platform (open/read/
 * write/close/fstat, which MinGW provides), so callers keep using those.
 */
#ifndef PE_UTIL_SYS_H
#define PE_UTIL_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

/*
 * Opens a file to read without ever waiting: where the system has them, a
 * FIFO or a device named in its place must not block the open (O_NONBLOCK)
 * nor become the controlling terminal. The caller still checks that it is
 * a regular file (fstat). Returns a descriptor, or -1 with errno set.
 */
int pe_sys_open_read(const char *path);

/*
 * Opens a file to append to, creating it with mode (0600 style; Windows
 * keeps only read-only or not) when missing: never through a symbolic link
 * (errno ELOOP) and never waiting on a FIFO (errno ENXIO when it has no
 * reader). Returns a descriptor, or -1 with errno set.
 */
int pe_sys_open_append(const char *path, unsigned mode);

/* Whether the file is owned by the user running the library. Windows has
 * no owner in struct stat (ownership there is in the file's ACL): 1. */
int pe_sys_owned_by_me(const struct stat *st);

/* The text of error number e in buf (thread-safe, unlike strerror). */
const char *pe_sys_strerror(int e, char *buf, size_t size);

/* Fills buf with n cryptographically random bytes. Returns 0, or -1 when
 * the system has no entropy to give. */
int pe_sys_random(void *buf, size_t n);

/* The wall-clock time, in seconds and nanoseconds since the epoch. */
void pe_sys_now(int64_t *sec, long *nsec);

/* t as UTC calendar time in *out (thread-safe). Returns 0, or -1. */
int pe_sys_gmtime(time_t t, struct tm *out);

/* The machine's host name in buf (NUL-terminated; "" when unknown). */
void pe_sys_hostname(char *buf, size_t size);

/* What a path names, for walking it component by component. */
typedef enum pe_sys_kind {
    PE_SYS_MISSING, /* nothing, or nothing the process may see */
    PE_SYS_LINK,    /* a symbolic link (its target is read) */
    PE_SYS_OTHER    /* a file, a directory, anything else */
} pe_sys_kind;

/*
 * Looks at path without following a final symbolic link. For a link, sets
 * *target to its contents (malloc'd; NULL when it cannot be read, e.g. out
 * of memory). Windows links (reparse points) are reported as PE_SYS_OTHER:
 * the library resolves POSIX paths only and treats Windows paths lexically.
 */
pe_sys_kind pe_sys_lookup(const char *path, char **target);

/* The first occurrence of needle (nlen bytes) in hay (hlen bytes), or NULL;
 * an empty needle is found at hay. Linear time whatever the bytes (agents
 * choose the haystack, rule authors the needle): the C library's memmem
 * where it has one, else pe_twoway_memmem. */
const void *pe_sys_memmem(const void *hay, size_t hlen, const void *needle, size_t nlen);

/* Crochemore and Perrin's two-way search: linear time, constant space (the
 * fallback of pe_sys_memmem, built everywhere so that tests compare it). */
const void *pe_twoway_memmem(const void *hay, size_t hlen, const void *needle, size_t nlen);


/* ---- files' status ---- */

/* A file's modification and status-change times, in nanoseconds since the
 * epoch (Windows: whole seconds; its st_ctime is the creation time). */
int64_t pe_sys_mtime_ns(const struct stat *st);
int64_t pe_sys_ctime_ns(const struct stat *st);

/* Whether someone other than the owner may write the file (its group or
 * others; Windows: 0, the ACL is not read). */
int pe_sys_writable_by_others(const struct stat *st);

/* Opens a file to read, never through a symbolic link as the last
 * component (errno ELOOP) and never waiting on a FIFO. -1 with errno. */
int pe_sys_open_read_nofollow(const char *path);

/* Creates and opens a new file from tmpl (ending "XXXXXX", replaced in
 * place), mode 0600 where modes exist. -1 with errno set. */
int pe_sys_make_temp(char *tmpl);

/* Renames from over to (replacing it at once where the system can).
 * 0, or -1 with errno set. */
int pe_sys_replace(const char *from, const char *to);

/* ---- memory ---- */

/* The size of a memory page. */
size_t pe_sys_page_size(void);

/* Address space of size bytes (a multiple of the page size) with no memory
 * behind it yet; NULL when it cannot be had. */
void *pe_sys_reserve(size_t size);
/* Makes [p, p+size) of a reservation readable and writable (zeroed the
 * first time); 0, or -1. */
int pe_sys_commit(void *p, size_t size);
/* Makes [p, p+size) read-only; 0, or -1. */
int pe_sys_seal(void *p, size_t size);
/* Gives back the end of a reservation, [p, p+size); 0, or -1. */
int pe_sys_trim(void *p, size_t size);
/* Gives back a whole reservation (base as pe_sys_reserve() returned it,
 * size as it is now). */
void pe_sys_release(void *base, size_t size);

/* The first size bytes of the file open on fd, mapped read-only; NULL
 * with errno set. The mapping outlives the descriptor. */
void *pe_sys_map_file(int fd, size_t size);
void pe_sys_unmap_file(void *p, size_t size);


/* ---- locks ---- */

/* A mutual-exclusion lock (not recursive): a pthread mutex, or a Windows
 * slim reader/writer lock used exclusively. */
#if defined(_WIN32)
typedef struct pe_sys_lock {
    void *srw; /* an SRWLOCK */
} pe_sys_lock;
#else
#include <pthread.h>
typedef pthread_mutex_t pe_sys_lock;
#endif
/* 0, or -1 when the system has no lock to give. */
int pe_sys_lock_init(pe_sys_lock *l);
void pe_sys_lock_destroy(pe_sys_lock *l);
void pe_sys_lock_take(pe_sys_lock *l);
void pe_sys_lock_give(pe_sys_lock *l);

#endif
