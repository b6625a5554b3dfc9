#include "patch.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/tool_text.h"
#include "util/attr.h"
#include "util/mem.h"

#define BEGIN       "*** Begin Patch"
#define END         "*** End Patch"
#define ADD         "*** Add File: "
#define DELETE      "*** Delete File: "
#define UPDATE      "*** Update File: "
#define MOVE        "*** Move to: "
#define END_OF_FILE "*** End of File"

typedef struct line {
    const char *s; /* without the line end */
    size_t len;
    size_t start; /* offset of the line in the text */
    size_t no;    /* 1-based */
} line;

typedef struct cursor {
    const char *text;
    size_t len;
    size_t pos;
    size_t no;
} cursor;

static int next_line(cursor *c, line *l)
{
    if (c->pos >= c->len)
        return 0;
    const char *s = c->text + c->pos;
    const char *nl = memchr(s, '\n', c->len - c->pos);
    size_t n = nl ? (size_t)(nl - s) : c->len - c->pos;
    l->s = s;
    l->start = c->pos;
    l->no = ++c->no;
    l->len = n && s[n - 1] == '\r' ? n - 1 : n;
    c->pos += nl ? n + 1 : n;
    return 1;
}

/* Length of s without trailing White_Space. */
static size_t rtrim_len(const char *s, size_t len)
{
    for (;;) {
        size_t w = 0;
        for (size_t k = 1; k <= 3 && k <= len; k++)
            if (pe_text_ws_at(s + len - k, k) == k) {
                w = k;
                break;
            }
        if (!w)
            return len;
        len -= w;
    }
}

/* s trimmed on both sides equals word. */
static int trimmed_is(const char *s, size_t len, const char *word)
{
    size_t w;
    while ((w = pe_text_ws_at(s, len)) > 0) {
        s += w;
        len -= w;
    }
    len = rtrim_len(s, len);
    return len == strlen(word) && memcmp(s, word, len) == 0;
}

static int starts(const line *l, const char *prefix)
{
    size_t n = strlen(prefix);
    return l->len >= n && memcmp(l->s, prefix, n) == 0;
}

/* A cursor at offset from, a line start. */
static cursor cursor_at(const char *text, size_t len, size_t from)
{
    cursor c = {text, len, from, 0};
    for (const char *s = text; (s = memchr(s, '\n', from - (size_t)(s - text))) != NULL; s++)
        c.no++;
    return c;
}

size_t pe_patch_find_begin(const char *text, size_t len, size_t from)
{
    cursor c = cursor_at(text, len, from);
    line l;
    while (next_line(&c, &l))
        if (trimmed_is(l.s, l.len, BEGIN))
            return l.start;
    return len;
}

/* ---- the parser ---- */

typedef enum state { S_HEADER, S_ADD, S_UPDATE_START, S_UPDATE } state;

typedef struct parser {
    pe_patch *p;
    cursor c;
    state st;
    const char *op; /* of the open hunk */
    pe_str path, move;
    size_t hunk_start;
    size_t header_no; /* line of the open hunk's header */
    int changes;      /* the open Update has change lines */
    char *msg;
    size_t msg_size;
} parser;

PE_ATTR_PRINTF(3, 4)
static int fail(parser *ps, const line *l, const char *fmt, ...)
{
    int n = l ? snprintf(ps->msg, ps->msg_size, "line %zu: ", l->no) : 0;
    if (n < 0 || (size_t)n >= ps->msg_size)
        n = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->msg + n, ps->msg_size - (size_t)n, fmt, ap);
    va_end(ap);
    return 1;
}

static int push(parser *ps, const char *op, pe_str path, pe_str hunk)
{
    pe_patch *p = ps->p;
    if (p->count >= PE_PATCH_MAX_FILES) {
        fail(ps, NULL, "the patch touches more than %d files", PE_PATCH_MAX_FILES);
        return 2;
    }
    pe_patch_file f = {op, path, hunk};
    return PE_PUSH(p->files, p->count, p->cap, f) ? -1 : 0;
}

/* Closes the open hunk, which ends at offset end. */
static int close_hunk(parser *ps, size_t end)
{
    if (ps->st == S_HEADER)
        return 0;
    pe_str hunk = {ps->c.text + ps->hunk_start, end - ps->hunk_start};
    if ((ps->st == S_UPDATE || ps->st == S_UPDATE_START) && !ps->changes) {
        line h = {NULL, 0, 0, ps->header_no};
        return fail(ps, &h, "'%s%.*s' has no changes", UPDATE, (int)ps->path.len, ps->path.s);
    }
    int rc = push(ps, ps->op, ps->path, hunk);
    if (!rc && ps->move.s)
        rc = push(ps, "Move", ps->move, hunk);
    ps->st = S_HEADER;
    return rc;
}

/* A header path: everything after the prefix but trailing whitespace. */
static int header(parser *ps, const line *l, const char *prefix, const char *op, state next)
{
    size_t n = strlen(prefix);
    pe_str path = {l->s + n, rtrim_len(l->s + n, l->len - n)};
    if (!path.len)
        return fail(ps, l, "'%s' has an empty path", prefix);
    ps->op = op;
    ps->path = path;
    ps->move.s = NULL;
    ps->move.len = 0;
    ps->changes = 0;
    ps->hunk_start = l->start;
    ps->header_no = l->no;
    ps->st = next;
    return 0;
}

/* Strict: only a header or the End line may appear here. Returns 3 at End. */
static int at_header(parser *ps, const line *l)
{
    if (trimmed_is(l->s, l->len, END))
        return 3;
    if (starts(l, ADD))
        return header(ps, l, ADD, "Add", S_ADD);
    if (starts(l, DELETE)) {
        int rc = header(ps, l, DELETE, "Delete", S_ADD);
        if (rc)
            return rc;
        /* a Delete has no lines: close it right after its header */
        return close_hunk(ps, ps->c.pos);
    }
    if (starts(l, UPDATE))
        return header(ps, l, UPDATE, "Update", S_UPDATE_START);
    if (starts(l, "*** Move to:"))
        return fail(ps, l, "orphan '%s' line: it must directly follow an '%s' line", MOVE, UPDATE);
    static const char *const bare[] = {"*** Add File:", "*** Delete File:", "*** Update File:"};
    for (size_t i = 0; i < sizeof(bare) / sizeof(bare[0]); i++)
        if (trimmed_is(l->s, l->len, bare[i]))
            return fail(ps, l, "'%s' has an empty path", bare[i]);
    return fail(ps, l,
                "expected a file header ('%s', '%s' or '%s' at the start of the line) or '%s', "
                "got '%.*s'",
                ADD, DELETE, UPDATE, END, (int)(l->len > 60 ? 60 : l->len), l->s);
}

/* One line inside an Update hunk. Returns 0 when it belongs to the hunk, 4
 * when it ends the hunk, or an error. */
static int in_update(parser *ps, const line *l)
{
    if (ps->st == S_UPDATE_START) {
        ps->st = S_UPDATE;
        if (starts(l, MOVE)) {
            pe_str move = {l->s + strlen(MOVE), l->len - strlen(MOVE)};
            if (rtrim_len(move.s, move.len) == 0)
                return fail(ps, l, "'%s' has an empty path", MOVE);
            ps->move = move;
            return 0;
        }
    }
    if (rtrim_len(l->s, l->len) == 0)
        return 0; /* blank lines separate chunks */
    char c = l->s[0];
    if (c == ' ' || c == '+' || c == '-') {
        ps->changes = 1;
        return 0;
    }
    if ((l->len == 2 && memcmp(l->s, "@@", 2) == 0) || starts(l, "@@ "))
        return 0;
    if (l->len == strlen(END_OF_FILE) && memcmp(l->s, END_OF_FILE, l->len) == 0)
        return 0;
    if (starts(l, "*** Move to:"))
        return fail(ps, l, "orphan '%s' line: a file can only be moved once", MOVE);
    if (c == '*')
        return 4;
    return fail(ps, l,
                "unexpected line in the hunk of '%s%.*s' (lines must start with ' ', '+', '-' "
                "or '@@'): '%.*s'",
                UPDATE, (int)ps->path.len, ps->path.s, (int)(l->len > 60 ? 60 : l->len), l->s);
}

static int parse_line(parser *ps, const line *l)
{
    int rc;
    switch (ps->st) {
    case S_ADD:
        if (l->len && l->s[0] == '+')
            return 0;
        if ((rc = close_hunk(ps, l->start)))
            return rc;
        return at_header(ps, l);
    case S_UPDATE_START:
    case S_UPDATE:
        if ((rc = in_update(ps, l)) != 4)
            return rc;
        if ((rc = close_hunk(ps, l->start)))
            return rc;
        return at_header(ps, l);
    case S_HEADER:
        return at_header(ps, l);
    }
    return 0;
}

int pe_patch_parse(pe_patch *p, const char *text, size_t len, size_t from, char *msg,
                   size_t msg_size)
{
    parser ps = {
        p,       cursor_at(text, len, from), S_HEADER, NULL, {NULL, 0}, {NULL, 0}, 0, 0, 0, msg,
        msg_size};
    line l;
    msg[0] = '\0';
    for (;;) {
        if (!next_line(&ps.c, &l))
            return fail(&ps, NULL, "no '%s' line", BEGIN);
        if (trimmed_is(l.s, l.len, BEGIN))
            break;
    }
    for (;;) {
        if (!next_line(&ps.c, &l))
            return fail(&ps, NULL, "no '%s' line", END);
        int rc = parse_line(&ps, &l);
        if (rc == 3)
            break;
        if (rc)
            return rc;
    }
    if (p->count == 0)
        return fail(&ps, &l, "no file between '%s' and '%s'", BEGIN, END);
    p->end = ps.c.pos;
    return 0;
}

void pe_patch_free(pe_patch *p)
{
    free(p->files);
    memset(p, 0, sizeof(*p));
}

void pe_patch_envelope(pe_strbuf *sb, const pe_patch_file *f)
{
    pe_sb_puts(sb, BEGIN "\n");
    const char *s = f->hunk.s;
    size_t n = f->hunk.len;
    while (n) {
        const char *nl = memchr(s, '\n', n);
        size_t k = nl ? (size_t)(nl - s) : n;
        pe_sb_append(sb, s, k && s[k - 1] == '\r' ? k - 1 : k);
        pe_sb_putc(sb, '\n');
        k += nl ? 1 : 0;
        s += k;
        n -= k;
    }
    pe_sb_puts(sb, END "\n");
}
