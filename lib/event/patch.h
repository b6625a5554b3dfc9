/*
 * The apply_patch envelope (Codex, Copilot; agent-hooks.md §2.7), parsed
 * strictly so that libprempti never sees fewer files than the agent writes:
 *
 *   *** Begin Patch
 *   *** Add File: <path>          then lines starting with '+'
 *   *** Delete File: <path>       no lines
 *   *** Update File: <path>       then optionally "*** Move to: <path>", then
 *                                 lines starting with ' ', '+', '-', "@@",
 *                                 "*** End of File", or blank lines
 *   *** End Patch
 *
 * Lines end with LF or CRLF. Text before the Begin line is ignored (a
 * heredoc around the patch, a shell command); parsing stops at the End line.
 * File headers must start at column 0 with the space after the colon, so
 * `+*** Add File: x` (content) and `*** Add File:x` (an error) are not
 * headers. A header path keeps everything after the prefix except trailing
 * whitespace (Unicode White_Space, as Codex's trim() removes it); a Move path
 * is taken verbatim, as Codex does. Anything the grammar does not allow -
 * a stray line after an Add's content, an indented or unknown header - is an
 * error rather than content, because Codex would read it as a header.
 */
#ifndef PE_EVENT_PATCH_H
#define PE_EVENT_PATCH_H

#include <stddef.h>

#include "event/fields.h"
#include "util/strbuf.h"

#define PE_PATCH_MAX_FILES 4096

typedef struct pe_patch_file {
    const char *op; /* "Add", "Update", "Delete" or "Move" */
    pe_str path;    /* points into the patch text */
    pe_str hunk;    /* the raw lines of this file's hunk, header included
                       (an Update and its Move share one hunk) */
} pe_patch_file;

typedef struct pe_patch {
    pe_patch_file *files;
    size_t count;
    size_t cap;
    size_t end; /* offset just after the End line */
} pe_patch;

/* Offset of the first line at or after offset `from` (a line start) that is
 * "*** Begin Patch" (surrounding whitespace allowed), or len when none is. */
size_t pe_patch_find_begin(const char *text, size_t len, size_t from);

/*
 * Parses the envelope that starts at or after offset `from` (a line start)
 * of text, adding its files to p (zeroed by the caller before the first
 * call; release with pe_patch_free()). Returns 0; 1 with a message in msg
 * (e.g. "line 4: orphan '*** Move to: ' line") when the patch is malformed;
 * 2 with a message when it touches more than PE_PATCH_MAX_FILES files; -1
 * when out of memory. Line numbers count from the start of text.
 */
int pe_patch_parse(pe_patch *p, const char *text, size_t len, size_t from, char *msg,
                   size_t msg_size);

void pe_patch_free(pe_patch *p);

/* Appends "*** Begin Patch\n" + the hunk with LF line ends + "*** End Patch\n". */
void pe_patch_envelope(pe_strbuf *sb, const pe_patch_file *f);

#endif
