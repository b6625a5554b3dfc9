/*
 * Source maps: where every byte of a condition or output text came from.
 *
 * A text given to the condition parser is rarely a copy of the YAML: it is
 * a decoded scalar (quotes, escapes, folded lines), joined with appended
 * fragments, wrapped by exception code generation and rewritten by list
 * substitution. Each such text is a pe_mtext: the bytes plus sorted runs
 * mapping text offsets to byte offsets in a rules file. A diagnostic's
 * offset is turned into file:line:column through these runs.
 */
#ifndef PE_RULES_SRCMAP_H
#define PE_RULES_SRCMAP_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/strbuf.h"

/* A rules file: its name and where its lines start (for offset -> line). */
typedef struct pe_srcfile {
    const char *name;
    const uint32_t *lines; /* byte offset of each line's first byte */
    uint32_t nlines;
    uint32_t len;
} pe_srcfile;

/* A byte offset in a rules file. file == NULL: unknown. */
typedef struct pe_pos {
    const pe_srcfile *file;
    uint32_t off;
} pe_pos;

/* Text bytes [out, next run's out) come from the file bytes starting at raw,
 * one for one, or all from raw when fixed (generated or escaped text). */
typedef struct pe_srcrun {
    uint32_t out;
    uint32_t raw;
    const pe_srcfile *file;
    uint32_t fixed;
} pe_srcrun;

/* A text with its source map; immutable, lives in an arena. s[len] == 0. */
typedef struct pe_mtext {
    const char *s;
    uint32_t len;
    const pe_srcrun *runs;
    uint32_t nruns;
} pe_mtext;

/* Length of the line break at s (0 when there is none): CR LF, CR, LF,
 * NEL, LS or PS, as libyaml recognises them. */
size_t pe_break_len(const unsigned char *s, size_t left);

/* Builds a pe_srcfile for text (lines counted the way libyaml counts them:
 * CR LF, CR, LF, NEL, LS, PS). Returns NULL when out of memory. */
pe_srcfile *pe_srcfile_new(pe_arena *a, const char *name, const char *text, size_t len);

/* The 1-based line and byte column of a position (0, 0 when unknown). */
void pe_pos_linecol(pe_pos p, unsigned *line, unsigned *col);

/* The byte offset of libyaml's (0-based line, column in characters). */
uint32_t pe_srcfile_offset(const pe_srcfile *f, const char *text, size_t line, size_t col);
/* The offset col characters after off, on off's line. */
uint32_t pe_srcfile_advance(const pe_srcfile *f, const char *text, uint32_t off, size_t col);

/* Where byte off of t came from (offsets past the end map after the last byte). */
pe_pos pe_mtext_pos(const pe_mtext *t, size_t off);

/* A growable mapped text. Allocation failure is sticky (see pe_mbuf_failed). */
typedef struct pe_mbuf {
    pe_strbuf sb;
    pe_srcrun *runs;
    size_t nruns, cap;
    int failed;
} pe_mbuf;

#define PE_MBUF_INIT {PE_STRBUF_INIT, NULL, 0, 0, 0}

/* Bytes copied from file f at raw (raw, raw+1, ...). */
void pe_mbuf_raw(pe_mbuf *b, const char *s, size_t n, const pe_srcfile *f, uint32_t raw);
/* Bytes that all point at one position (generated text, escapes). */
void pe_mbuf_glue(pe_mbuf *b, const char *s, size_t n, pe_pos at);
/* Bytes [from, from+n) of t, with their positions. */
void pe_mbuf_slice(pe_mbuf *b, const pe_mtext *t, size_t from, size_t n);
void pe_mbuf_mtext(pe_mbuf *b, const pe_mtext *t);
/* Drops the last n bytes (and runs that start after the new end). */
void pe_mbuf_drop(pe_mbuf *b, size_t n);
int pe_mbuf_failed(const pe_mbuf *b);
size_t pe_mbuf_len(const pe_mbuf *b);
const char *pe_mbuf_str(const pe_mbuf *b);
/* Copies the text and its map into a; 0, or -1 when out of memory. The
 * buffer is left empty but keeps its memory. */
int pe_mbuf_finish(pe_mbuf *b, pe_arena *a, pe_mtext *out);
void pe_mbuf_reset(pe_mbuf *b);
void pe_mbuf_free(pe_mbuf *b);

/* A text whose every byte points at one position (e.g. a plain name). */
int pe_mtext_fixed(pe_arena *a, const char *s, size_t n, pe_pos at, pe_mtext *out);

#endif
