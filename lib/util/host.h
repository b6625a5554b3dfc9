/*
 * URLs and hosts as network commands take them, with hosts normalised so
 * that one address has one spelling.
 *
 * Everything is pure (no globals, no resolver, no clock), allocated in the
 * caller's arena, linear in the input, and never fails on malformed input:
 * what is odd about it is reported in flags. Every pe_str is NUL-terminated.
 *
 * Host normalisation (pe_host_normalize), in order:
 *   1. "[...]" is an IPv6 literal (a zone "%25eth0" or "%eth0" is dropped,
 *      PE_HOST_F_ZONE); its content is not percent-decoded.
 *   2. Percent-encoding is decoded, as curl and WHATWG URL parsers (browsers,
 *      Node's URL) do: "%31%32%37.0.0.1" is 127.0.0.1 (PE_HOST_F_ENCODED).
 *   3. Fullwidth ASCII (U+FF01..U+FF5E) and the ideographic full stops
 *      U+3002, U+FF0E, U+FF61 are mapped to ASCII, as UTS #46 (browsers,
 *      curl with libidn2) does: "１２７。0。0。1" is 127.0.0.1 (PE_HOST_F_WIDE).
 *      Other non-ASCII text (IDN) is left as written: no punycode.
 *   4. ASCII letters are lower-cased; trailing dots are removed
 *      (PE_HOST_F_TRAILING_DOT). Note: curl and glibc do not accept
 *      "127.0.0.1." as an address (they resolve it as a name, which fails),
 *      browsers do; stripping the dot errs on the side of the address.
 *   5. A text with a ':' is an IPv6 literal when it parses as one (bare
 *      addresses as nc, ssh and socket APIs take them).
 *   6. IPv4 in every spelling that inet_aton(3), curl and WHATWG accept:
 *      1 to 4 dot-separated parts, each decimal, hexadecimal ("0x", also
 *      "0x" alone = 0, as WHATWG; glibc rejects that one) or octal (a
 *      leading 0); all parts but the last are bytes, the last fills the
 *      remaining bytes: 2852039166, 0xa9fea9fe, 0251.0376.0251.0376,
 *      169.254.43518, 169.16689662, 0xA9.254.0251.0xfe are all
 *      169.254.169.254 (PE_HOST_F_ODD_IPV4 unless written as the dotted
 *      quad). A part out of range, "08", or a 5th part make it not an
 *      address: a name whose last label is numeric gets PE_HOST_F_BAD_IPV4
 *      (browsers refuse it; curl resolves it as a name).
 *   7. IPv6 is written as RFC 5952 text without brackets: lower case, no
 *      leading zeros, the longest run (first of equals) of two or more
 *      zero groups as "::" ("fd00:ec2:0:0:0:0:0:254" is fd00:ec2::254).
 *      IPv4-mapped ::ffff:a.b.c.d and IPv4-translated ::ffff:0:a.b.c.d
 *      (RFC 2765) become the dotted quad (PE_HOST_F_MAPPED): the socket
 *      connects there. NAT64 64:ff9b::/96, 6to4 2002:AABB:CCDD::/48 and
 *      IPv4-compatible ::a.b.c.d stay IPv6, and the IPv4 they carry is in
 *      v4 (PE_HOST_F_EMBEDDED).
 *   8. Bytes no host may hold (controls, space, and / \ ? # @ [ ] < > ^ |
 *      % left after decoding) set PE_HOST_F_INVALID; they are kept.
 *
 * URL parsing (pe_url_parse) follows the command that takes the word:
 *   PE_URL_WEB  curl, wget, web tools. "scheme://" (any number of slashes,
 *               also "http:host" for the WHATWG special schemes http,
 *               https, ws, wss, ftp, file); without a scheme the word is
 *               "host[:port][/path]" as curl reads it (so "localhost:8080"
 *               is a host and a port, not a scheme), and "//host/path" is
 *               an authority. The authority ends at '/', '?' or '#';
 *               userinfo ends at the last '@'. curl keeps a '\' in the
 *               authority where WHATWG ends it there, and refuses a second
 *               '@' where WHATWG takes the last one: both set
 *               PE_URL_F_AMBIGUOUS (the host reported is curl's).
 *   PE_URL_SCP  scp, rsync, git remotes: "scp://"-style URLs as above;
 *               otherwise "[user@]host:path" when a ':' comes before any
 *               '/' (OpenSSH's colon()); "[v6]:path"; rsync's daemon form
 *               "host::module" (PE_URL_F_RSYNC_DAEMON); anything else is a
 *               local path (PE_URL_F_LOCAL, no host).
 *   PE_URL_SSH  ssh, telnet and socket destinations: "ssh://" URLs, else
 *               "[user@]host" (user up to the last '@', as ssh), the host
 *               bare or in brackets.
 * port_num is the explicit port, or the scheme's default (curl guesses http
 * for a web word without a scheme; ssh and scp use 22) with
 * PE_URL_F_DEFAULT_PORT; -1 when unknown. A port that is not 0..65535 in
 * decimal sets PE_URL_F_BAD_PORT.
 *
 * bash's network redirections (pe_dev_net_parse): "/dev/tcp/HOST/PORT" and
 * "/dev/udp/HOST/PORT", recognised by their exact prefix as bash does; the
 * port may be a service name (bash calls getaddrinfo), known ones are
 * numbered.
 */
#ifndef PE_UTIL_HOST_H
#define PE_UTIL_HOST_H

#include <stddef.h>

#include "util/arena.h"
#include "util/pstr.h"

typedef enum pe_host_kind {
    PE_HOST_NONE, /* empty */
    PE_HOST_NAME, /* a DNS name (or anything that is not an address) */
    PE_HOST_IPV4,
    PE_HOST_IPV6
} pe_host_kind;

enum {
    PE_HOST_F_ENCODED = 1u << 0,      /* percent-encoding was decoded */
    PE_HOST_F_ODD_IPV4 = 1u << 1,     /* IPv4 not written as a decimal dotted quad */
    PE_HOST_F_MAPPED = 1u << 2,       /* IPv4-mapped/-translated IPv6, given as IPv4 */
    PE_HOST_F_EMBEDDED = 1u << 3,     /* IPv6 carrying an IPv4 address (see v4) */
    PE_HOST_F_TRAILING_DOT = 1u << 4, /* trailing dots were removed */
    PE_HOST_F_BAD_IPV4 = 1u << 5,     /* looks numeric but is not a valid IPv4 address */
    PE_HOST_F_INVALID = 1u << 6,      /* holds bytes no host may hold */
    PE_HOST_F_ZONE = 1u << 7,         /* an IPv6 zone id was dropped */
    PE_HOST_F_WIDE = 1u << 8          /* fullwidth forms or ideographic dots were mapped */
};

typedef struct pe_host {
    pe_str text; /* normalised host, no brackets; "" when none */
    pe_str v4;   /* the IPv4 address (dotted quad) of an IPv4 host or carried by an
                    IPv6 one; "" otherwise */
    pe_host_kind kind;
    unsigned flags;         /* PE_HOST_F_* */
    unsigned char addr[16]; /* IPv4: bytes 0..3; IPv6: all 16 */
} pe_host;

/*
 * Normalises the host s (len bytes, need not be NUL-terminated) into *out;
 * strings in arena. Returns 0, or PREMPTI_E_NOMEM (then *out is empty).
 */
int pe_host_normalize(pe_host *out, const char *s, size_t len, pe_arena *arena);

typedef enum pe_url_style { PE_URL_WEB, PE_URL_SCP, PE_URL_SSH } pe_url_style;

enum {
    PE_URL_F_AUTHORITY = 1u << 0,    /* a "//" authority (or scp/ssh host) was found */
    PE_URL_F_BAD_PORT = 1u << 1,     /* the port is not 0..65535 in decimal */
    PE_URL_F_DEFAULT_PORT = 1u << 2, /* port_num is the scheme's default */
    PE_URL_F_LOCAL = 1u << 3,        /* PE_URL_SCP: a local path, no host */
    PE_URL_F_RSYNC_DAEMON = 1u << 4, /* PE_URL_SCP: host::module */
    PE_URL_F_AMBIGUOUS = 1u << 5     /* curl and WHATWG would find different hosts */
};

typedef struct pe_url {
    pe_str scheme;   /* lower case; "" when none */
    pe_str userinfo; /* as written; "" when none */
    pe_str port;     /* as written; "" when none */
    long port_num;   /* explicit or default port, or -1 */
    pe_str path;     /* path, query and fragment as written (scp: the remote path) */
    pe_host host;    /* normalised; kind PE_HOST_NONE when there is no host */
    unsigned flags;  /* PE_URL_F_* */
} pe_url;

/*
 * Parses the word s (len bytes) as the command of the given style would
 * and fills *out; strings in arena. Malformed input is never an error.
 * Returns 0, or PREMPTI_E_NOMEM.
 */
int pe_url_parse(pe_url *out, const char *s, size_t len, pe_url_style style, pe_arena *arena);

/* A decimal port 0..65535 or a known service name (http, https, ssh, ...)
 * as a number; -1 otherwise. */
long pe_port_parse(const char *s, size_t len);

typedef struct pe_dev_net {
    pe_str proto;  /* "tcp" or "udp" */
    pe_str port;   /* as written */
    long port_num; /* pe_port_parse of port */
    pe_host host;
} pe_dev_net;

/*
 * Whether path (len bytes) is bash's /dev/tcp/HOST/PORT or /dev/udp/HOST/PORT.
 * Returns 1 and fills *out (strings in arena), 0 when it is not (then *out is
 * untouched), or PREMPTI_E_NOMEM.
 */
int pe_dev_net_parse(pe_dev_net *out, const char *path, size_t len, pe_arena *arena);

#endif
