#include "tool_text.h"

#include <ctype.h>
#include <string.h>

#include "util/host.h"

size_t pe_text_ws_at(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    if (n >= 1 && (s[0] == ' ' || (s[0] >= 0x09 && s[0] <= 0x0d)))
        return 1;
    if (n >= 2 && s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
        return 2;
    if (n < 3)
        return 0;
    if ((s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80) ||
        (s[0] == 0xe2 && s[1] == 0x80 &&
         ((s[2] >= 0x80 && s[2] <= 0x8a) || s[2] == 0xa8 || s[2] == 0xa9 || s[2] == 0xaf)) ||
        (s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f) ||
        (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80))
        return 3;
    return 0;
}

static int host_char(unsigned char c)
{
    return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '%' || c >= 0x80;
}

/* Offset just after "scheme://" or a leading "//"; 0 when there is none. */
static size_t after_scheme(const char *u, size_t len)
{
    if (len >= 2 && u[0] == '/' && u[1] == '/')
        return 2;
    size_t i = 0;
    while (i < len && (isalnum((unsigned char)u[i]) || u[i] == '+' || u[i] == '-' || u[i] == '.'))
        i++;
    if (i > 0 && isalpha((unsigned char)u[0]) && len - i >= 3 && memcmp(u + i, "://", 3) == 0)
        return i + 3;
    return 0;
}

void pe_url_host(pe_strbuf *out, const char *url, size_t len)
{
    size_t i = after_scheme(url, len);
    size_t end = i; /* end of the authority */
    while (end < len && !strchr("/?#\\", url[end]))
        end++;
    const char *at = NULL;
    for (size_t k = i; k < end; k++)
        if (url[k] == '@')
            at = url + k;
    if (at)
        i = (size_t)(at - url) + 1;
    size_t h = i, n;
    if (h < end && url[h] == '[') {
        const char *close = memchr(url + h, ']', end - h);
        if (!close)
            return;
        h++;
        n = (size_t)(close - (url + h));
    } else {
        n = 0;
        while (h + n < end && host_char((unsigned char)url[h + n]))
            n++;
        while (n > 0 && url[h + n - 1] == '.')
            n--;
    }
    /* one spelling per address, as the shell analysis writes hosts */
    pe_arena arena = PE_ARENA_INIT;
    pe_host host;
    if (pe_host_normalize(&host, url + h, n, &arena) == 0)
        pe_sb_append(out, host.text.s, host.text.len);
    else
        out->failed = 1; /* out of memory, as an append would report it */
    pe_arena_free(&arena);
}

static int prefix_ci(const char *s, size_t len, const char *p)
{
    size_t n = strlen(p);
    if (len < n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != p[i])
            return 0;
    return 1;
}

int pe_first_url(const char *text, size_t len, pe_str *url)
{
    for (size_t i = 0; i < len; i++) {
        if ((text[i] != 'h' && text[i] != 'H') ||
            !(prefix_ci(text + i, len - i, "http://") || prefix_ci(text + i, len - i, "https://")))
            continue;
        size_t j = i;
        while (j < len && !pe_text_ws_at(text + j, len - j))
            j++;
        url->s = text + i;
        url->len = j - i;
        return 1;
    }
    return 0;
}

int pe_mcp_split(const char *name, size_t len, pe_str *server, pe_str *tool)
{
    if (len < 5 || memcmp(name, "mcp__", 5) != 0)
        return 0;
    const char *s = name + 5;
    size_t n = len - 5, k = 0;
    while (k + 1 < n && !(s[k] == '_' && s[k + 1] == '_'))
        k++;
    if (k + 1 >= n) { /* no tool part */
        server->s = s;
        server->len = n;
        tool->s = s + n;
        tool->len = 0;
        return 1;
    }
    server->s = s;
    server->len = k;
    tool->s = s + k + 2;
    tool->len = n - k - 2;
    return 1;
}

static int shell_safe(unsigned char c)
{
    return isalnum(c) || strchr("_@%+=:,./-", c) != NULL;
}

void pe_shell_quote(pe_strbuf *out, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && s[i] && shell_safe((unsigned char)s[i]))
        i++;
    if (len && i == len) {
        pe_sb_append(out, s, len);
        return;
    }
    pe_sb_putc(out, '\'');
    for (i = 0; i < len; i++) {
        if (s[i] == '\'')
            pe_sb_puts(out, "'\"'\"'");
        else
            pe_sb_putc(out, s[i]);
    }
    pe_sb_putc(out, '\'');
}
