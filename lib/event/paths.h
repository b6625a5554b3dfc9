/*
 * Path normalisation, as upstream prempti does it, plus home expansion:
 *  - `~`, `~/x`, `$HOME`, `${HOME}/x` are expanded with the configured home;
 *  - a relative path is joined to the (already resolved) base directory;
 *  - the result is canonicalised even when it does not exist yet: the
 *    nearest existing ancestor is resolved through symlinks and the missing
 *    rest is appended lexically; a broken symlink is followed by reading its
 *    target, at most PE_PATH_MAX_HOPS times;
 *  - whatever cannot be resolved is normalised lexically (`.` dropped, `..`
 *    applied, never climbing above the root).
 * In lexical mode the filesystem is never touched.
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
 * Resolves path (len bytes) against base (NUL-terminated, absolute or "")
 * into out (reset first). Returns 0, or -1 when out of memory.
 * An empty path gives an empty result.
 */
int pe_path_resolve(pe_strbuf *out, const char *path, size_t len, const char *base,
                    const pe_path_opts *o);

/* Lexical normalisation only (see above); appends to out. */
void pe_path_lexical(pe_strbuf *out, const char *path, size_t len);

/* The last component of path ("" for a trailing slash); `\` also separates. */
void pe_path_basename(const char *path, size_t len, const char **name, size_t *name_len);

#endif
