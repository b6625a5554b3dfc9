/*
 * Files for the tools: bounded reads, atomic replacement, directories.
 * Functions returning int give 0 on success and -1 on failure, with a new
 * message in *errmsg (free() it; NULL only when even that ran out of memory).
 */
#ifndef PT_FILEIO_H
#define PT_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

/* Sets *errmsg to a new formatted message and returns -1. */
int pt_fail(char **errmsg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Reads fd to its end into a new NUL-terminated buffer (*out, free()), at
 * most max bytes: more is an error naming the limit, never a silent cut.
 * what names the input in messages ("standard input", a path).
 */
int pt_read_fd(int fd, const char *what, size_t max, char **out, size_t *len, char **errmsg);

/* pt_read_fd() on a file, or on standard input when path is "-". Pipes are
 * accepted (`prempti eval <(...)`): for inputs named on a command line. */
int pt_read_path(const char *path, size_t max, char **out, size_t *len, char **errmsg);

/*
 * Opens a file that must be a regular file (settings, agents' settings,
 * the audit log): a FIFO, device, socket or directory is refused, and the
 * open itself never waits for a FIFO's writer. Returns the fd (O_CLOEXEC,
 * blocking again) or -1 with a message.
 */
int pt_open_regular(const char *path, char **errmsg);

/* pt_read_fd() on a file opened with pt_open_regular(). */
int pt_read_regular(const char *path, size_t max, char **out, size_t *len, char **errmsg);

/*
 * Checks a directory that holds our own files (~/.prempti, the audit log's
 * directory): a real directory, not a symbolic link, owned by the user
 * running us or by root, and writable by neither group nor others. The
 * message says what is wrong and how to fix it.
 */
int pt_check_private_dir(const char *dir, char **errmsg);

/*
 * Checks a settings file that decides how we protect (the config file):
 * owned by the user running us or by root, and writable by neither group
 * nor others.
 */
int pt_check_private_file(int fd, const char *path, char **errmsg);

/*
 * Replaces path with data: written to a temporary file in the same
 * directory, flushed, then renamed over path, so readers see the old or the
 * new file, never half of one. The file gets mode (e.g. 0600), or keeps the
 * mode of the file it replaces when keep_mode is set and it exists.
 */
int pt_write_file_atomic(const char *path, const char *data, size_t len, mode_t mode, int keep_mode,
                         char **errmsg);

/* Writes all len bytes to fd, retrying after interruptions; 0 or -1 (errno). */
int pt_write_all(int fd, const char *data, size_t len);

/* Creates dir and its missing parents with mode. */
int pt_mkdirs(const char *dir, mode_t mode, char **errmsg);

/* Copies src to dst, which must not exist yet (O_EXCL). */
int pt_copy_file(const char *src, const char *dst, char **errmsg);

int pt_is_dir(const char *path);
int pt_exists(const char *path);

/* The directory part of path ("." when it has none); NULL when out of memory. */
char *pt_dirname(const char *path);

#endif
