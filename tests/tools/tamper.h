/*
 * Tampering with the compiled-pack cache under a test HOME
 * ($HOME/.cache/prempti), the way a fault or someone else could, and
 * checking what the tools left there afterwards (tests/data/tools/cases/
 * cache.cases).
 */
#ifndef PT_TEST_TAMPER_H
#define PT_TEST_TAMPER_H

#include <stddef.h>

/*
 * Applies one operation, a line of the case's `tamper` key, to every entry
 * of the cache (or to the directory). Returns 0, 1 when the operation
 * cannot be made here (changing a file's owner needs root: the case is
 * skipped), or -1 with a message in why (a bad line, or no entry).
 *   flip OFF        invert the byte at OFF (negative: from the end)
 *   zero OFF LEN    zero LEN bytes from OFF
 *   truncate LEN    keep LEN bytes (negative: drop that many)
 *   append N        add N bytes
 *   mode OCTAL      chmod the entries;  dirmode OCTAL  the directory
 *   owner UID       chown the entries to UID
 *   symlink         move each entry away and leave a symbolic link to it
 *   fifo            replace each entry with a FIFO
 *   dirlink         move the directory to $HOME/moved and link it back
 *   swap            exchange the contents of the two entries
 *   remove          delete the entries
 *   rewrite REL A B replace A with B in the file $HOME/REL (same length:
 *                   the size stays)
 */
int pt_tamper(const char *home, const char *line, char *why, size_t whylen);

/* The number of regular entries (engine-*.img) in the cache, and whether
 * each is 0600 and the directory 0700 (*modes_ok); -1 when there is no
 * cache directory. */
long pt_cache_entries(const char *home, int *modes_ok);

#endif
