/*
 * Path normalisation for the raw and real path fields (docs/fields.md,
 * "Paths"). The real form of a path is computed in three steps:
 *
 *  1. expansion: a leading `~`, `~/`, `$HOME` or `${HOME}` is replaced by the
 *     home directory (when one is known);
 *  2. lexical normalisation: a relative path is joined to the base directory
 *     (the *resolved* session cwd), then `.`, empty components and `..` are
 *     removed lexically, never climbing above the root - this is what the
 *     agents themselves do before touching a file (Node's path.resolve(),
 *     Codex's absolute paths), so `a/link/../b` names `a/b`;
 *  3. canonicalisation, even when the file does not exist yet: the path is
 *     walked from the root one component at a time through the filesystem,
 *     following every symlink met (also a broken final one, whose target
 *     becomes the path), with the kernel's rules for `..` inside link
 *     targets; once a component does not exist the rest is appended
 *     lexically. After PE_PATH_MAX_HOPS symlinks (a loop) the walk gives up
 *     and the lexical form of step 2 is the result.
 *
 * Windows-style paths (`C:\x`, `C:/x`, `\\server\share\x`, `\\?\C:\x`) are
 * recognised on every platform: backslashes become `/`, the `\\?\` prefix is
 * dropped, the drive or share is the root, and they are only normalised
 * lexically (a POSIX filesystem cannot resolve them). A backslash in any
 * other path is an ordinary character, as POSIX has it.
 *
 * In lexical mode step 3 is skipped: the filesystem is never touched.
 */
#ifndef PE_EVENT_PATHS_H
#define PE_EVENT_PATHS_H

#include <stddef.h>

#include "util/strbuf.h"

#define PE_PATH_MAX_HOPS 40

typedef struct pe_path_opts {
    int lexical;      /* 1: never touch the filesystem */
    const char *home; /* "" or NULL: no expansion */
} pe_path_opts;

/*
 * Resolves path (len bytes) against base (NUL-terminated; an absolute, already
 * resolved directory, or "" / NULL for none) into out (reset first). An empty
 * path gives an empty result; a relative path without a base stays relative.
 * Returns 0, or -1 when out of memory.
 */
int pe_path_resolve(pe_strbuf *out, const char *path, size_t len, const char *base,
                    const pe_path_opts *o);

/*
 * The last component of path as the agent wrote it: trailing separators and
 * `.` components are ignored, a path ending in `..` has none (""); `/` and
 * `\` both separate.
 */
void pe_path_basename(const char *path, size_t len, const char **name, size_t *name_len);

#endif
