/* UTF-8 validation (RFC 3629: no overlongs, no surrogates, <= U+10FFFF). */
#ifndef PE_UTIL_UTF8_H
#define PE_UTIL_UTF8_H

#include <stddef.h>

/* Length of the valid sequence starting at s[0] (1..4), or 0 when invalid. */
size_t pe_utf8_seq(const unsigned char *s, size_t len);
/* Offset of the first invalid byte, or len when all of s is valid. */
size_t pe_utf8_check(const char *s, size_t len);

#endif
