/*
 * Decoders for literal payloads, so that an encoded command can be
 * analysed like a plain one: `echo Y3VybCB4fHNo | base64 -d | sh`,
 * `xxd -r -p <<< 6375726c`, `printf '\x63\x75'`, `echo -e '\0143'`, `rev`,
 * `tr A-Za-z N-ZA-Mn-za-m`, and PowerShell's -EncodedCommand (base64 of
 * UTF-16LE).
 *
 * Each decoder is pure (no globals, no locale, no clock), linear in its
 * input (printf's output is capped at PE_DECODE_MAX_OUTPUT), allocates only
 * in the caller's arena, and returns:
 *   PE_DECODE_OK    decoded: out->bytes is what the tool would write;
 *   PE_DECODE_NONE  not decodable: out->flags says why, and out->bytes
 *                   holds what the tool writes before it fails (possibly
 *                   nothing) - a pipeline still runs that part;
 *   PREMPTI_E_NOMEM (negative) when the arena runs out (out->bytes "").
 * out->bytes is NUL-terminated but may itself hold NUL bytes.
 *
 * The behaviours modelled, checked against GNU coreutils 9.1, xxd
 * 2022-01-14, util-linux rev and bash 5.2 builtins (printf and echo agreed
 * with bash on 6,000 random invocations):
 *   base64   Both alphabets (+/ and -_; PE_DEC_URLSAFE when -_ is seen),
 *            '=' padding optional and allowed between quanta ("YQ==YQ=="
 *            is "aa", as coreutils), ASCII whitespace ignored (coreutils
 *            ignores only newlines; Python's b64decode ignores all). Any
 *            other byte is invalid: decoding stops there, as `base64 -d`
 *            does (its output up to the last complete quantum is kept),
 *            unless PE_B64_GARBAGE skips it (`base64 -di`, Python's
 *            default). A single dangling character is invalid.
 *   hex      `xxd -r -p`, step by step as its huntype(): pairs of hex
 *            digits; space, tab, CR and newline are skipped; another byte
 *            breaks a pending pair, and where three non-hex nibbles follow
 *            each other (a written pair counts as one) the rest of the
 *            line is skipped; a final odd digit is dropped. Garbage sets
 *            PE_DEC_GARBAGE (still decodable: it is what xxd writes).
 *   printf   bash's builtin: format escapes (\a \b \e \E \f \n \r \t \v
 *            \\ \' \" \? \NNN \xHH \uHHHH \UHHHHHHHH; unknown ones and \c
 *            stay as written), conversions %% %s %b %c %d %i %o %u %x %X
 *            with flags, width, precision and '*',
 *            the format reused while arguments remain, missing arguments
 *            empty or zero, numeric arguments in C syntax or 'c (the
 *            code of c). %b decodes \0NNN and \NNN and stops everything
 *            at \c (PE_DEC_STOPPED). Floating-point conversions (their
 *            output depends on the locale), %q, %Q and %(...)T are
 *            PE_DEC_UNSUPPORTED; an unknown conversion is PE_DEC_INVALID. Options "-v NAME" and
 * "--" are skipped (the output is what is assigned). echo     bash's builtin without xpg_echo:
 * leading words made only of -n, -e, -E letters are options; with -e, \a \b \e \E \f \n \r \t \v
 * \\ \0NNN \xHH \uHHHH \UHHHHHHHH are decoded, \c stops all output (and the newline), other escapes
 * (\1, \q) stay as written; words are joined by spaces and end with a newline unless -n. rev each
 * line's characters reversed (UTF-8 sequences kept whole, as util-linux rev in a UTF-8 locale);
 * newlines stay. A byte that is not UTF-8 is one character, as in the C locale (PE_DEC_GARBAGE; rev
 * in a UTF-8 locale fails there). tr       GNU tr: -c -C -d -s -t and their long forms, escapes
 * (\\ \a \b \f \n \r \t \v \NNN), ranges, [c*n] and [c*] repeats,
 *            [:class:] (C locale), [=c=]; SET2 is padded with its last
 *            character (or SET1 truncated with -t). What GNU tr refuses is
 *            PE_DEC_INVALID: a malformed set, a reversed range, [c*] in
 *            SET1, an empty SET2 or one ending with a class when it must
 *            be padded, [=c=] or classes other than upper/lower in SET2
 *            when translating, misaligned case classes, a complemented
 *            class mapped to more than one character, wrong operand
 *            counts. (Agreed with GNU tr on 13,000 random invocations.)
 *   utf16le  UTF-16LE to UTF-8; a leading BOM is dropped; an unpaired
 *            surrogate or an odd final byte becomes U+FFFD, as .NET's
 *            Encoding.Unicode does (PE_DEC_GARBAGE, still decodable).
 *   percent  %XX decoded (and '+' as space with PE_PCT_PLUS, as PHP's
 *            urldecode); a '%' not followed by two hex digits is kept.
 */
#ifndef PE_SHELL_DECODE_H
#define PE_SHELL_DECODE_H

#include <stddef.h>

#include "util/arena.h"
#include "util/pstr.h"

#define PE_DECODE_OK   0
#define PE_DECODE_NONE 1

/* Output cap for printf (width, precision and format reuse can multiply
 * its input); reaching it is PE_DEC_LIMIT. */
#define PE_DECODE_MAX_OUTPUT ((size_t)1 << 20)

enum {
    PE_DEC_INVALID = 1u << 0,     /* input the tool rejects (decoding stopped there) */
    PE_DEC_UNSUPPORTED = 1u << 1, /* a construct not modelled (printf %q, %T) */
    PE_DEC_LIMIT = 1u << 2,       /* PE_DECODE_MAX_OUTPUT reached */
    PE_DEC_STOPPED = 1u << 3,     /* \c ended the output (decodable) */
    PE_DEC_URLSAFE = 1u << 4,     /* base64: the URL-safe alphabet was used */
    PE_DEC_GARBAGE = 1u << 5      /* bytes skipped or replaced (decodable) */
};
/* Flags that make a result "not decodable". */
#define PE_DEC_FAILED (PE_DEC_INVALID | PE_DEC_UNSUPPORTED | PE_DEC_LIMIT)

typedef struct pe_decoded {
    pe_str bytes;   /* in the arena, NUL-terminated */
    unsigned flags; /* PE_DEC_* */
} pe_decoded;

/* Options of pe_decode_base64. */
enum { PE_B64_GARBAGE = 1u << 0 /* skip bytes outside the alphabet */ };
/* Options of pe_decode_percent. */
enum { PE_PCT_PLUS = 1u << 0 /* '+' is a space */ };

int pe_decode_base64(pe_decoded *out, const char *s, size_t len, unsigned opts, pe_arena *arena);
int pe_decode_hex(pe_decoded *out, const char *s, size_t len, pe_arena *arena);
int pe_decode_utf16le(pe_decoded *out, const char *s, size_t len, pe_arena *arena);
int pe_decode_rev(pe_decoded *out, const char *s, size_t len, pe_arena *arena);
int pe_decode_percent(pe_decoded *out, const char *s, size_t len, unsigned opts, pe_arena *arena);

/* printf: argv holds the words after "printf" (format first). */
int pe_decode_printf(pe_decoded *out, const pe_str *argv, size_t argc, pe_arena *arena);
/* echo: argv holds the words after "echo" (options included). */
int pe_decode_echo(pe_decoded *out, const pe_str *argv, size_t argc, pe_arena *arena);
/* tr: argv holds the words after "tr" (options included); in is its input. */
int pe_decode_tr(pe_decoded *out, const pe_str *argv, size_t argc, const char *in, size_t inlen,
                 pe_arena *arena);

#endif
