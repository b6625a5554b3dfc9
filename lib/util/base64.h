/*
 * Base64 digits (RFC 4648), for the decoders that need only the alphabet.
 */
#ifndef PE_UTIL_BASE64_H
#define PE_UTIL_BASE64_H

/* The 6-bit value of c in the standard alphabet (A-Z a-z 0-9 + /), or -1. */
static inline int pe_base64_digit(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

#endif
