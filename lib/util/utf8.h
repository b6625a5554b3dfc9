/* UTF-8 validation (RFC 3629: no overlongs, no surrogates, <= U+10FFFF). */
#ifndef PE_UTIL_UTF8_H
#define PE_UTIL_UTF8_H

#include <stddef.h>

/* Length of the valid sequence starting at s[0] (1..4), or 0 when invalid. */
size_t pe_utf8_seq(const unsigned char *s, size_t len);
/* Offset of the first invalid byte, or len when all of s is valid. */
size_t pe_utf8_check(const char *s, size_t len);

/* Writes the UTF-8 encoding of code point cp into out; returns its length
 * (1..4), or 0 for a surrogate or a value above U+10FFFF. */
size_t pe_utf8_encode(unsigned long cp, char out[4]);

/* The value of a hexadecimal digit (0-9, a-f, A-F), or -1. */
int pe_hex_digit(int c);

#endif
