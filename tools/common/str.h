/*
 * Small string helpers shared by the prempti command and the hook adapter.
 * Every returned string is malloc()ed and belongs to the caller (free()).
 */
#ifndef PT_STR_H
#define PT_STR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* printf into a new string; NULL when out of memory. */
char *pt_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *pt_vfmt(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* A copy of s (NULL for NULL or when out of memory). */
char *pt_strdup(const char *s);

/* A growable list of owned strings. Zero-initialise before use. */
typedef struct pt_strv {
    char **items;
    size_t count;
    size_t cap;
} pt_strv;

/* Appends a copy of s; -1 when out of memory. */
int pt_strv_push(pt_strv *v, const char *s);
/* Appends s itself (taking ownership, even on failure); -1 when out of memory. */
int pt_strv_take(pt_strv *v, char *s);
void pt_strv_clear(pt_strv *v);
/* Whether v holds a string equal to s. */
int pt_strv_has(const pt_strv *v, const char *s);
/* The items joined with sep; NULL when out of memory. */
char *pt_strv_join(const pt_strv *v, const char *sep);

/* Whether s starts with prefix / ends with suffix. */
int pt_starts_with(const char *s, const char *prefix);
int pt_ends_with(const char *s, const char *suffix);

/* Parses a boolean word (1/true/yes/on, 0/false/no/off; case-insensitive,
 * surrounding blanks ignored) into *out; -1 when s is none of them. */
int pt_parse_bool(const char *s, int *out);

/* s quoted for a POSIX shell when it needs quoting, else a copy. */
char *pt_shell_quote(const char *s);

/*
 * s made safe to show on a terminal: text from agents and rules cannot move
 * the cursor, change colours, set the window title or reorder what is shown.
 * Control characters (C0 but for tab, and newline when keep_newlines), DEL,
 * the C1 controls U+0080..U+009F, bidirectional controls (U+061C, U+200E,
 * U+200F, U+202A..U+202E, U+2066..U+2069) and bytes that are not UTF-8 are
 * written as escapes: \r, \n, \xHH for a byte, \u{HHHH} for a character.
 * NULL when out of memory.
 */
char *pt_term_safe(const char *s, int keep_newlines);

/* printf to out with the whole text made safe by pt_term_safe() (newlines
 * kept): for lines that show agents' text. */
void pt_term_printf(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
