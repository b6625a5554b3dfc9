#if defined(_WIN32)
#define _CRT_RAND_S /* rand_s() */
#endif
#include "util/sys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(_WIN32)
#include <io.h>
#include <windows.h>
#else
#include <sys/mman.h>
#include <unistd.h>
#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif
#ifndef MAP_POPULATE
#define MAP_POPULATE 0
#endif
#endif
#if defined(__linux__) || defined(__APPLE__)
#include <sys/random.h>
#endif

#if defined(_WIN32)

/* ---- Windows (MinGW-w64): the C runtime's descriptors, Win32 for the rest ---- */

int pe_sys_open_read(const char *path)
{
    return _open(path, _O_RDONLY | _O_BINARY | _O_NOINHERIT);
}

int pe_sys_open_append(const char *path, unsigned mode)
{
    /* _open follows reparse points: refuse a link before opening (a race
     * remains; the POSIX build closes it with O_NOFOLLOW). */
    DWORD attrs = GetFileAttributesA(path);
    if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_REPARSE_POINT)) {
        errno = ELOOP;
        return -1;
    }
    int pmode = (mode & 0200) ? _S_IREAD | _S_IWRITE : _S_IREAD;
    return _open(path, _O_WRONLY | _O_APPEND | _O_CREAT | _O_BINARY | _O_NOINHERIT, pmode);
}

int pe_sys_owned_by_me(const struct stat *st)
{
    (void)st;
    return 1;
}

const char *pe_sys_strerror(int e, char *buf, size_t size)
{
    if (strerror_s(buf, size, e) != 0)
        snprintf(buf, size, "error %d", e);
    return buf;
}

int pe_sys_random(void *buf, size_t n)
{
    unsigned char *p = buf;
    for (size_t i = 0; i < n; i += sizeof(unsigned)) {
        unsigned v;
        if (rand_s(&v) != 0)
            return -1;
        memcpy(p + i, &v, n - i < sizeof(v) ? n - i : sizeof(v));
    }
    return 0;
}

void pe_sys_now(int64_t *sec, long *nsec)
{
    FILETIME ft; /* 100 ns ticks since 1601-01-01 */
    GetSystemTimePreciseAsFileTime(&ft);
    uint64_t t = ((uint64_t)ft.dwHighDateTime << 32 | ft.dwLowDateTime) - 116444736000000000ULL;
    *sec = (int64_t)(t / 10000000u);
    *nsec = (long)(t % 10000000u) * 100;
}

int pe_sys_gmtime(time_t t, struct tm *out)
{
    return gmtime_s(out, &t) == 0 ? 0 : -1;
}

void pe_sys_hostname(char *buf, size_t size)
{
    DWORD n = size > 0xffff ? 0xffff : (DWORD)size;
    if (size == 0 || !GetComputerNameExA(ComputerNameDnsHostname, buf, &n))
        n = 0;
    if (size)
        buf[n < size ? n : size - 1] = '\0';
}

pe_sys_kind pe_sys_lookup(const char *path, char **target)
{
    *target = NULL;
    return GetFileAttributesA(path) == INVALID_FILE_ATTRIBUTES ? PE_SYS_MISSING : PE_SYS_OTHER;
}

int64_t pe_sys_mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtime * 1000000000;
}

int64_t pe_sys_ctime_ns(const struct stat *st)
{
    return (int64_t)st->st_ctime * 1000000000;
}

int pe_sys_writable_by_others(const struct stat *st)
{
    (void)st;
    return 0;
}

int pe_sys_open_read_nofollow(const char *path)
{
    DWORD attrs = GetFileAttributesA(path);
    if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_REPARSE_POINT)) {
        errno = ELOOP;
        return -1;
    }
    return pe_sys_open_read(path);
}

int pe_sys_make_temp(char *tmpl)
{
    size_t n = strlen(tmpl);
    for (int tries = 0; tries < 100; tries++) {
        static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
        unsigned char r[6];
        if (n < 6 || pe_sys_random(r, sizeof(r)) != 0) {
            errno = EINVAL;
            return -1;
        }
        for (size_t i = 0; i < 6; i++)
            tmpl[n - 6 + i] = digits[r[i] % (sizeof(digits) - 1)];
        int fd = _open(tmpl, _O_RDWR | _O_CREAT | _O_EXCL | _O_BINARY | _O_NOINHERIT,
                       _S_IREAD | _S_IWRITE);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

int pe_sys_replace(const char *from, const char *to)
{
    if (MoveFileExA(from, to, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        return 0;
    errno = EACCES;
    return -1;
}

size_t pe_sys_page_size(void)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    return si.dwPageSize ? si.dwPageSize : 4096;
}

void *pe_sys_reserve(size_t size)
{
    return VirtualAlloc(NULL, size, MEM_RESERVE, PAGE_NOACCESS);
}

int pe_sys_commit(void *p, size_t size)
{
    return VirtualAlloc(p, size, MEM_COMMIT, PAGE_READWRITE) ? 0 : -1;
}

int pe_sys_seal(void *p, size_t size)
{
    DWORD old;
    return VirtualProtect(p, size, PAGE_READONLY, &old) ? 0 : -1;
}

int pe_sys_trim(void *p, size_t size)
{
    return VirtualFree(p, size, MEM_DECOMMIT) ? 0 : -1;
}

void pe_sys_release(void *base, size_t size)
{
    (void)size;
    VirtualFree(base, 0, MEM_RELEASE);
}

void *pe_sys_map_file(int fd, size_t size)
{
    HANDLE h = (HANDLE)_get_osfhandle(fd);
    HANDLE m = h == INVALID_HANDLE_VALUE ? NULL
                                         : CreateFileMappingA(h, NULL, PAGE_READONLY, 0, 0, NULL);
    void *p = m ? MapViewOfFile(m, FILE_MAP_READ, 0, 0, size) : NULL;
    if (m)
        CloseHandle(m); /* the view keeps the mapping */
    if (!p)
        errno = EIO;
    return p;
}

void pe_sys_unmap_file(void *p, size_t size)
{
    (void)size;
    UnmapViewOfFile(p);
}

int pe_sys_lock_init(pe_sys_lock *l)
{
    InitializeSRWLock((PSRWLOCK)(void *)&l->srw);
    return 0;
}

void pe_sys_lock_destroy(pe_sys_lock *l)
{
    (void)l; /* an SRW lock holds nothing to release */
}

void pe_sys_lock_take(pe_sys_lock *l)
{
    AcquireSRWLockExclusive((PSRWLOCK)(void *)&l->srw);
}

void pe_sys_lock_give(pe_sys_lock *l)
{
    ReleaseSRWLockExclusive((PSRWLOCK)(void *)&l->srw);
}

#else

/* ---- POSIX ---- */

int pe_sys_open_read(const char *path)
{
    return open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
}

int pe_sys_open_append(const char *path, unsigned mode)
{
    return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
                (mode_t)mode);
}

int pe_sys_owned_by_me(const struct stat *st)
{
    return st->st_uid == geteuid();
}

const char *pe_sys_strerror(int e, char *buf, size_t size)
{
    /* the XSI strerror_r: the library is built without _GNU_SOURCE */
    if (strerror_r(e, buf, size) != 0)
        snprintf(buf, size, "error %d", e);
    return buf;
}

int pe_sys_random(void *buf, size_t n)
{
#if defined(__linux__)
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t r = getrandom(p, n, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
#else
    /* macOS, the BSDs: getentropy gives at most 256 bytes a call */
    unsigned char *p = buf;
    while (n > 0) {
        size_t k = n < 256 ? n : 256;
        if (getentropy(p, k) != 0)
            return -1;
        p += k;
        n -= k;
    }
    return 0;
#endif
}

void pe_sys_now(int64_t *sec, long *nsec)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        ts.tv_sec = time(NULL), ts.tv_nsec = 0;
    *sec = (int64_t)ts.tv_sec;
    *nsec = ts.tv_nsec;
}

int pe_sys_gmtime(time_t t, struct tm *out)
{
    return gmtime_r(&t, out) ? 0 : -1;
}

void pe_sys_hostname(char *buf, size_t size)
{
    if (size == 0)
        return;
    if (gethostname(buf, size - 1) != 0)
        buf[0] = '\0';
    buf[size - 1] = '\0';
}

/* Reads the target of the symlink at path; NULL on failure. lstat's size is
 * a hint only (0 for some pseudo-filesystems), so the buffer grows. */
static char *read_link(const char *path, const struct stat *st)
{
    size_t size = st->st_size > 0 ? (size_t)st->st_size : 256;
    for (; size <= 1u << 20; size *= 2) {
        char *buf = malloc(size + 1);
        if (!buf)
            return NULL;
        ssize_t n = readlink(path, buf, size + 1);
        if (n >= 0 && (size_t)n <= size) {
            buf[n] = '\0';
            return buf;
        }
        free(buf);
        if (n < 0)
            return NULL;
    }
    return NULL;
}

pe_sys_kind pe_sys_lookup(const char *path, char **target)
{
    struct stat st;
    *target = NULL;
    if (lstat(path, &st) != 0)
        return PE_SYS_MISSING;
    if (!S_ISLNK(st.st_mode))
        return PE_SYS_OTHER;
    *target = read_link(path, &st);
    return PE_SYS_LINK;
}

int64_t pe_sys_mtime_ns(const struct stat *st)
{
#if defined(__APPLE__)
    return (int64_t)st->st_mtimespec.tv_sec * 1000000000 + st->st_mtimespec.tv_nsec;
#else
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
#endif
}

int64_t pe_sys_ctime_ns(const struct stat *st)
{
#if defined(__APPLE__)
    return (int64_t)st->st_ctimespec.tv_sec * 1000000000 + st->st_ctimespec.tv_nsec;
#else
    return (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
#endif
}

int pe_sys_writable_by_others(const struct stat *st)
{
    return (st->st_mode & (S_IWGRP | S_IWOTH)) != 0;
}

int pe_sys_open_read_nofollow(const char *path)
{
    return open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
}

int pe_sys_make_temp(char *tmpl)
{
    int fd = mkstemp(tmpl);
    if (fd >= 0 && fchmod(fd, 0600) != 0) {
        int e = errno;
        close(fd);
        unlink(tmpl);
        errno = e;
        return -1;
    }
    return fd;
}

int pe_sys_replace(const char *from, const char *to)
{
    return rename(from, to);
}

size_t pe_sys_page_size(void)
{
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (size_t)p : 4096;
}

void *pe_sys_reserve(size_t size)
{
    void *p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

int pe_sys_commit(void *p, size_t size)
{
    return mprotect(p, size, PROT_READ | PROT_WRITE);
}

int pe_sys_seal(void *p, size_t size)
{
    return mprotect(p, size, PROT_READ);
}

int pe_sys_trim(void *p, size_t size)
{
    return munmap(p, size);
}

void pe_sys_release(void *base, size_t size)
{
    munmap(base, size);
}

void *pe_sys_map_file(int fd, size_t size)
{
    void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    return p == MAP_FAILED ? NULL : p;
}

void pe_sys_unmap_file(void *p, size_t size)
{
    munmap(p, size);
}

int pe_sys_lock_init(pe_sys_lock *l)
{
    return pthread_mutex_init(l, NULL) == 0 ? 0 : -1;
}

void pe_sys_lock_destroy(pe_sys_lock *l)
{
    pthread_mutex_destroy(l);
}

void pe_sys_lock_take(pe_sys_lock *l)
{
    pthread_mutex_lock(l);
}

void pe_sys_lock_give(pe_sys_lock *l)
{
    pthread_mutex_unlock(l);
}

#endif
