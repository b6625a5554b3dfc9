/*
 * SHA-256 (FIPS 180-4), for the hashes other programs record in their own
 * configuration (Codex trusts a hook by the SHA-256 of its definition).
 */
#ifndef PT_SHA256_H
#define PT_SHA256_H

#include <stddef.h>

/* The digest of data as 64 lowercase hex digits and a NUL, in hex[65]. */
void pt_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
